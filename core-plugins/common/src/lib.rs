//! The `common` core plugin binary. Installed as `common/common` (the internal CLI of
//! dokku-core §3.1) and `common/prop` (the property CLI of §2.2), plus its triggers.

mod cli;
mod prop;
mod triggers;

use dokku_common::plugin::{self, PluginSpec};

static SPEC: PluginSpec = PluginSpec {
    name: "common",
    description: "dokku core common plugin",
    help: &[],
    subcommands: &[],
    triggers: &[
        ("app-list", triggers::app_list),
        ("core-post-deploy", triggers::core_post_deploy),
        ("install", triggers::install),
        ("post-delete", triggers::post_delete),
    ],
    aliases: &[("common", cli::main), ("prop", prop::main)],
    commands: None,
};

/// The binary's entry point; also called in-process by the `dokku` entry point.
pub fn main() {
    plugin::main(&SPEC)
}
