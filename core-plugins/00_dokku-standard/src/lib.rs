//! The `00_dokku-standard` core plugin: `report`, `url`, `urls`, `deploy`, `cleanup`, the
//! help lines of the entry point's own commands, and the host-level `install` trigger.

mod apps;
mod help;
mod install;
mod report;
mod shell;

use dokku_common::plugin::{self, Entry, PluginSpec};

static SPEC: PluginSpec = PluginSpec {
    name: "00_dokku-standard",
    description: "dokku core standard plugin",
    help: &[],
    subcommands: &[
        ("cleanup", apps::cleanup),
        ("deploy", apps::deploy),
        ("report", report::report),
        ("url", apps::url),
        ("urls", apps::urls),
    ],
    triggers: &[("install", install::install)],
    aliases: &[],
    commands: None,
};

/// The binary's entry point; also called in-process by the `dokku` entry point.
pub fn main() {
    plugin::init_process();
    let argv = plugin::argv();
    let argv0 = argv.first().map(String::as_str).unwrap_or("");
    let result = match plugin::classify(argv0) {
        Entry::Commands => help::commands(argv.get(1..).unwrap_or(&[])),
        _ => SPEC.dispatch(&argv),
    };
    plugin::exit(result)
}
