//! The `docker-options` core plugin: extra `docker` arguments per app, phase (build, deploy,
//! run) and, for deploy, process type, stored one option per line in canonical shell-quoted
//! form, and handed to builders and schedulers through the `docker-args-*` triggers.
//! Option text is split into words with shell quoting rules but never expanded. One binary,
//! dispatched on the name it runs under.

mod migrate;
mod options;
mod report;
mod shellwords;
mod subcommands;
mod triggers;

use dokku_common::plugin::{self, PluginSpec};

const DESCRIPTION: &str = "Manage docker options for an app";
/// `usage, description` lines, in upstream's order.
const HELP: &[&str] = &[
    "docker-options:add <app> <phase(s)> OPTION, Add Docker option to app for phase (comma separated phase list)",
    "docker-options:clear <app> [phase(s)], Clear a docker options from application with an optional phase (comma separated phase list)",
    "docker-options:remove <app> <phase(s)> OPTION, Remove Docker option from app for phase (comma separated phase list)",
    "docker-options:report [<app>] [<flag>], Displays a docker options report for one or more apps",
];

static SPEC: PluginSpec = PluginSpec {
    name: "docker-options",
    description: DESCRIPTION,
    help: &[],
    subcommands: &[
        ("add", subcommands::add),
        ("clear", subcommands::clear),
        ("list", subcommands::list),
        ("remove", subcommands::remove),
        ("report", subcommands::report),
    ],
    triggers: &[
        ("docker-args-build", triggers::docker_args_build),
        ("docker-args-deploy", triggers::docker_args_deploy),
        (
            "docker-args-process-deploy",
            triggers::docker_args_process_deploy,
        ),
        ("docker-args-run", triggers::docker_args_run),
        ("install", triggers::install),
        ("post-app-clone-setup", triggers::post_app_clone_setup),
        ("post-app-rename-setup", triggers::post_app_rename_setup),
        ("post-delete", triggers::post_delete),
        ("report", triggers::report),
    ],
    aliases: &[],
    commands: None,
};

/// The binary's entry point; also called in-process by the `dokku` entry point.
pub fn main() {
    plugin::go_main(&SPEC, HELP)
}
