//! The `checks` core plugin: per-process-type zero-downtime settings (`disabled`,
//! `skipped`, `wait-to-retire`), `checks:run`, and the `checks-get-property` trigger the
//! deploy reads. One binary, dispatched on the name it runs under.

mod checks;
mod commands;
mod lists;
mod report;
mod run;
mod triggers;

use dokku_common::bash_help;
use dokku_common::plugin::PluginSpec;

static SPEC: PluginSpec = PluginSpec {
    name: commands::NAME,
    description: commands::DESCRIPTION,
    help: &[],
    subcommands: &[
        ("default", commands::default),
        ("disable", commands::disable),
        ("enable", commands::enable),
        ("report", commands::report),
        ("run", commands::run),
        ("set", commands::set),
        ("skip", commands::skip),
    ],
    triggers: &[
        ("checks-get-property", triggers::checks_get_property),
        ("install", triggers::install),
        ("post-app-clone-setup", triggers::post_app_clone_setup),
        ("post-app-rename-setup", triggers::post_app_rename_setup),
        ("post-delete", triggers::post_delete),
        ("report", report::trigger),
    ],
    aliases: &[],
    commands: None,
};

/// The binary's entry point; also called in-process by the `dokku` entry point.
pub fn main() {
    bash_help::main(&SPEC, commands::HELP)
}
