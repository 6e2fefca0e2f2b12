//! The `ps` core plugin: the process settings of an app (`ps:set`), its formation
//! (`ps:scale`, the `scale` properties, the Procfile-derived process types), the `ps`
//! report and the `ps-*` / lifecycle triggers. One binary, dispatched on the name it runs
//! under. The bash `functions` library other plugins source ships next to it.

mod formation;
mod procfile;
mod ps;
mod report;
mod subcommands;
mod triggers;

use dokku_common::plugin::{self, PluginSpec};

static SPEC: PluginSpec = PluginSpec {
    name: "ps",
    description: "Manage app processes",
    help: &[
        (
            "ps:inspect <app>",
            "Displays a sanitized version of docker inspect for an app",
        ),
        (
            "ps:rebuild [--parallel count] [--all|<app>]",
            "Rebuilds an app from source",
        ),
        (
            "ps:report [<app>] [<flag>]",
            "Displays a process report for one or more apps",
        ),
        (
            "ps:restart [--parallel count] [--all|<app>] [<process-name>]",
            "Restart an app",
        ),
        (
            "ps:restore [<app>]",
            "Start previously running apps e.g. after reboot",
        ),
        (
            "ps:scale [--skip-deploy] [--format stdout|json] <app> [<proc>=<count>...]",
            "Get/Set how many instances of a given process to run",
        ),
        (
            "ps:set <app> <key> <value>",
            "Set or clear a ps property for an app",
        ),
        ("ps:start [--parallel count] [--all|<app>]", "Start an app"),
        ("ps:stop [--parallel count] [--all|<app>]", "Stop an app"),
    ],
    subcommands: &[
        ("report", subcommands::report),
        ("scale", subcommands::scale),
        ("set", subcommands::set),
    ],
    triggers: &[
        ("app-restart", triggers::app_restart),
        (
            "docker-args-process-deploy",
            triggers::docker_args_process_deploy,
        ),
        ("install", triggers::install),
        ("post-app-clone", triggers::post_app_clone),
        ("post-app-clone-setup", triggers::post_app_clone_setup),
        ("post-app-rename", triggers::post_app_rename),
        ("post-app-rename-setup", triggers::post_app_rename_setup),
        ("post-create", triggers::post_create),
        ("post-delete", triggers::post_delete),
        ("post-release-builder", triggers::post_release_builder),
        ("post-stop", triggers::post_stop),
        ("procfile-exists", triggers::procfile_exists),
        ("ps-can-scale", triggers::ps_can_scale),
        ("ps-current-scale", triggers::ps_current_scale),
        ("ps-get-property", triggers::ps_get_property),
        ("ps-set-scale", triggers::ps_set_scale),
        ("report", triggers::report),
    ],
    aliases: &[],
    commands: None,
};

/// The binary's entry point; also called in-process by the `dokku` entry point.
pub fn main() {
    plugin::main(&SPEC)
}
