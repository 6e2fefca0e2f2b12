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

use dokku_common::plugin::{self, Entry, PluginSpec};

static SPEC: PluginSpec = PluginSpec {
    name: "plugin",
    description: help::DESCRIPTION,
    help: help::HELP,
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

fn main() {
    plugin::init_process();
    let argv = plugin::argv();
    // This is a bash plugin upstream: its help texts are laid out by `column`, not by the
    // Go columnizer the framework uses, so the `commands` help words are answered here.
    let argv0 = argv.first().map(String::as_str).unwrap_or("");
    if plugin::classify(argv0) == Entry::Commands {
        if let Some(result) = help::commands(argv.get(1..).unwrap_or(&[])) {
            plugin::exit(result);
        }
    }
    plugin::exit(SPEC.dispatch(&argv))
}
