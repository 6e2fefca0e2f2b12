//! The `scheduler` core plugin: which scheduler runs an app (`selected`, default
//! `docker-local`) and the shell `run`/`enter` use, plus the `scheduler-detect` trigger every
//! scheduler-aware plugin asks. One binary, dispatched on the name it runs under.

mod report;
mod scheduler;
mod subcommands;
mod triggers;

use dokku_common::plugin::{self, PluginSpec};

const DESCRIPTION: &str = "Manage scheduler settings for an app";
/// `usage, description` lines, in upstream's order.
const HELP: &[&str] = &[
    "scheduler:report [<app>] [<flag>], Displays a scheduler report for one or more apps",
    "scheduler:set <app> <property> (<value>), Set or clear a scheduler property for an app",
];

static SPEC: PluginSpec = PluginSpec {
    name: "scheduler",
    description: DESCRIPTION,
    help: &[],
    subcommands: &[("report", subcommands::report), ("set", subcommands::set)],
    triggers: &[
        ("install", triggers::install),
        ("post-app-clone-setup", triggers::post_app_clone_setup),
        ("post-app-rename-setup", triggers::post_app_rename_setup),
        ("post-delete", triggers::post_delete),
        ("report", triggers::report),
        ("scheduler-detect", triggers::scheduler_detect),
    ],
    aliases: &[],
    commands: None,
};

/// The binary's entry point; also called in-process by the `dokku` entry point.
pub fn main() {
    plugin::go_main(&SPEC, HELP)
}
