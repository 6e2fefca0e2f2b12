//! The `resource` core plugin: per-process resource limits and reservations stored as
//! `config/resource/<app>/<proc|_default_>.<limit|reserve>.<resource>` properties, their
//! report, and the docker arguments (`--cpus`, `--memory`, …) the deploy and build phases
//! read through the `docker-args-process-*` triggers. One binary, dispatched on the name it
//! runs under.

mod resources;
mod subcommands;
mod triggers;

use dokku_common::plugin::{self, PluginSpec};

const DESCRIPTION: &str = "Manage resource settings for an app";
/// `usage, description` lines, in upstream's order (the clear commands reuse the set texts).
const HELP: &[&str] = &[
    "resource:limit [--process-type <process-type>] [RESOURCE_OPTS...] <app>, Limit resources for a given app/process-type combination",
    "resource:limit-clear [--process-type <process-type>] <app>, Limit resources for a given app/process-type combination",
    "resource:report [<app>] [<flag>], Displays a resource report for one or more apps",
    "resource:reserve [--process-type <process-type>] [RESOURCE_OPTS...] <app>, Reserve resources for a given app/process-type combination",
    "resource:reserve-clear [--process-type <process-type>] <app>, Reserve resources for a given app/process-type combination",
];

static SPEC: PluginSpec = PluginSpec {
    name: "resource",
    description: DESCRIPTION,
    help: &[],
    subcommands: &[
        ("limit", subcommands::limit),
        ("limit-clear", subcommands::limit_clear),
        ("report", subcommands::report),
        ("reserve", subcommands::reserve),
        ("reserve-clear", subcommands::reserve_clear),
    ],
    triggers: &[
        (
            "docker-args-process-build",
            triggers::docker_args_process_build,
        ),
        (
            "docker-args-process-deploy",
            triggers::docker_args_process_deploy,
        ),
        ("install", triggers::install),
        ("post-app-clone-setup", triggers::post_app_clone_setup),
        ("post-app-rename-setup", triggers::post_app_rename_setup),
        ("post-delete", triggers::post_delete),
        ("report", triggers::report),
        ("resource-get-property", triggers::resource_get_property),
    ],
    aliases: &[],
    commands: None,
};

/// The binary's entry point; also called in-process by the `dokku` entry point.
pub fn main() {
    plugin::go_main(&SPEC, HELP)
}
