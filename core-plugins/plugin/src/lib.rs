//! The `plugin` core plugin: `plugin:*` commands that install, enable, update and remove
//! plugins through the plugn library, plus the plugin's own `install`/`update` triggers.

mod completion;
mod help;
mod install;
mod list;
mod manage;
mod run_trigger;
mod support;
mod triggers;

use dokku_common::bash_help;
use dokku_common::plugin::PluginSpec;

static SPEC: PluginSpec = PluginSpec {
    name: "plugin",
    description: help::DESCRIPTION,
    help: &[],
    subcommands: &[
        ("default", help::default),
        ("disable", manage::disable),
        ("enable", manage::enable),
        ("install", install::install),
        ("install-dependencies", install::install_dependencies),
        ("installed", list::installed),
        ("list", list::list),
        ("trigger", run_trigger::trigger),
        ("uninstall", manage::uninstall),
        ("update", manage::update),
    ],
    triggers: &[("install", triggers::install), ("update", triggers::update)],
    aliases: &[],
    commands: None,
};

/// The binary's entry point; also called in-process by the `dokku` entry point.
pub fn main() {
    bash_help::main(&SPEC, help::LINES)
}
