//! The `builds` core plugin: the build-record store (`data/builds/<app>/<id>.{json,log}`),
//! the `builds-*` triggers the deploy pipeline fires around a build, and the `builds:*`
//! commands that list, show, follow, cancel and prune builds. One binary, dispatched on the
//! name it runs under.

mod record;
mod report;
mod store;
mod subcommands;
mod time;
mod triggers;

use dokku_common::plugin::{self, PluginSpec};

const DESCRIPTION: &str = "Manage running and historical builds";
/// `usage, description` lines, in upstream's order.
const HELP: &[&str] = &[
    "builds:cancel <app>, Cancel a running build for an app",
    "builds:info <app> <build-id> [--format json|stdout], Show details for a single build",
    "builds:list [<app>] [--format json] [--kind build|deploy] [--status <status>], List builds",
    "builds:output <app> [<build-id>|current], Show build output",
    "builds:prune <app> [--all-apps], Prune build records to retention",
    "builds:report [<app>] [<flag>], Display a build report for one or more apps",
    "builds:set [--global|<app>] <key> [<value>], Set or clear a builds property",
];

static SPEC: PluginSpec = PluginSpec {
    name: "builds",
    description: DESCRIPTION,
    help: &[],
    subcommands: &[
        ("cancel", subcommands::cancel),
        ("info", subcommands::info),
        ("list", subcommands::list),
        ("output", subcommands::output),
        ("prune", subcommands::prune),
        ("report", subcommands::report),
        ("set", subcommands::set),
    ],
    triggers: &[
        ("builds-generate-id", triggers::generate_id),
        ("builds-record-finalize", triggers::record_finalize),
        ("builds-record-start", triggers::record_start),
        ("install", triggers::install),
        ("post-app-rename-setup", triggers::post_app_rename_setup),
        ("post-delete", triggers::post_delete),
    ],
    aliases: &[],
    commands: None,
};

/// The binary's entry point; also called in-process by the `dokku` entry point.
pub fn main() {
    plugin::go_main(&SPEC, HELP)
}
