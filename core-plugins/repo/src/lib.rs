//! The `repo` core plugin: `repo:gc`, which packs an app's repository while keeping its
//! loose branch heads (the deploy path reads `refs/heads/<branch>` files directly).
//! `repo:purge-cache` and the `post-delete`/`post-stack-set` cache purge need the build
//! cache of the deploy work and are not here yet.

mod gc;

use dokku_common::pflag::{Flag, FlagSet};
use dokku_common::plugin::{self, PluginSpec};
use dokku_common::Result;

const DESCRIPTION: &str = "Manage the app's repo";
/// `usage, description` lines, in upstream's order.
const HELP: &[&str] = &[
    "repo:gc <app>, Runs 'git gc --aggressive' against the application's repo",
    "repo:purge-cache <app>, Deletes the contents of the build cache stored in the repository",
];

static SPEC: PluginSpec = PluginSpec {
    name: "repo",
    description: DESCRIPTION,
    help: &[],
    subcommands: &[("gc", gc_subcommand)],
    triggers: &[],
    aliases: &[],
    commands: None,
};

const NO_FLAGS: &[Flag] = &[];

/// `repo:gc <app>`: upstream parses it with a pflag set holding no flags.
fn gc_subcommand(args: &[String]) -> Result<()> {
    let parsed = FlagSet {
        name: "repo:gc",
        flags: NO_FLAGS,
    }
    .parse(args)?;
    let name = parsed.arg(0);
    dokku_common::app::verify_app_name(name)?;
    gc::run(name)
}

/// The binary's entry point; also called in-process by the `dokku` entry point.
pub fn main() {
    plugin::go_main(&SPEC, HELP)
}
