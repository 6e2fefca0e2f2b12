//! The `20_events` core plugin (`dokku events*`): logs trigger calls while event logging is
//! on. The binary also serves as every hook: called under a logged trigger's name, it
//! appends one line to the events log.

mod cmd;
mod event;
mod hooks;
mod install;

use dokku_common::bash_help;
use dokku_common::plugin::{self, Entry, PluginSpec};

static SPEC: PluginSpec = PluginSpec {
    name: cmd::NAME,
    description: cmd::DESCRIPTION,
    help: &[],
    subcommands: &[
        ("default", cmd::default),
        ("list", cmd::list),
        ("on", cmd::on),
        ("off", cmd::off),
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
        Entry::Named(name) if hooks::is_hook(&name) => {
            event::log(&name, argv.get(1..).unwrap_or(&[]));
            Ok(())
        }
        _ => bash_help::run(&SPEC, cmd::HELP, &argv),
    };
    plugin::exit(result)
}
