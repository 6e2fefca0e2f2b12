//! The `shell` core plugin: `dokku shell`, an interactive prompt running dokku commands.
//! One binary, dispatched on the name it runs under.

mod editor;
mod history;
mod repl;
mod words;

use dokku_common::bash_help;
use dokku_common::plugin::PluginSpec;

const HELP: &[&str] = &["    shell, Spawn dokku shell"];

static SPEC: PluginSpec = PluginSpec {
    name: "shell",
    description: "Interactive dokku prompt",
    help: &[],
    subcommands: &[("default", repl::run)],
    triggers: &[],
    aliases: &[],
    commands: None,
};

/// The binary's entry point; also called in-process by the `dokku` entry point.
pub fn main() {
    bash_help::main(&SPEC, HELP)
}
