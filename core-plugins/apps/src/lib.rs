//! The `apps` core plugin: `apps:*` commands, the app lifecycle (create, clone, rename,
//! destroy) with the triggers other plugins hook into, deploy locks, the `app` report and the
//! `apps` properties. One binary, dispatched on the name it runs under.

mod flags;
mod help;
mod lifecycle;
mod report;
mod subcommands;
mod triggers;

use dokku_common::plugin::{self, Entry, PluginSpec};

static SPEC: PluginSpec = PluginSpec {
    name: "apps",
    description: help::DESCRIPTION,
    help: &[],
    subcommands: &[
        ("clone", subcommands::clone),
        ("create", subcommands::create),
        ("destroy", subcommands::destroy),
        ("exists", subcommands::exists),
        ("list", subcommands::list),
        ("lock", subcommands::lock),
        ("locked", subcommands::locked),
        ("rename", subcommands::rename),
        ("report", subcommands::report),
        ("set", subcommands::set),
        ("unlock", subcommands::unlock),
    ],
    triggers: &[
        ("app-create", triggers::app_create),
        ("app-destroy", triggers::app_destroy),
        ("app-exists", triggers::app_exists),
        ("app-maybe-create", triggers::app_maybe_create),
        ("deploy-source-set", triggers::deploy_source_set),
        ("install", triggers::install),
        ("post-app-clone-setup", triggers::post_app_clone_setup),
        ("post-app-rename", triggers::post_app_rename),
        ("post-app-rename-setup", triggers::post_app_rename_setup),
        ("post-create", triggers::post_create),
        ("post-delete", triggers::post_delete),
        ("report", triggers::report),
    ],
    aliases: &[],
    commands: None,
};

/// The binary's entry point; also called in-process by the `dokku` entry point.
pub fn main() {
    plugin::init_process();
    let argv = plugin::argv();
    let argv0 = argv.first().map(String::as_str).unwrap_or("");
    // Upstream's `commands` binary answers the bare `apps` with the app list and lays out
    // its help differently from the framework's default, so it is handled here entirely.
    if plugin::classify(argv0) == Entry::Commands {
        plugin::exit(help::commands(argv.get(1..).unwrap_or(&[])));
    }
    plugin::exit(SPEC.dispatch(&argv))
}
