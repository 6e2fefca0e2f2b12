//! The `proxy` core plugin: which proxy serves an app (`type`, default `nginx`), whether it
//! is enabled, the proxy ports, and the `proxy-*` triggers. The proxy implementations
//! (nginx-vhosts, caddy, …) hook `proxy-build-config`, `proxy-clear-config`, `proxy-enable`
//! and `proxy-disable`, which this plugin fires for every plugin; each implementation checks
//! `proxy-type` itself. One binary, dispatched on the name it runs under.

mod proxy;
mod report;
mod subcommands;
mod triggers;

use dokku_common::plugin::{self, PluginSpec};

const DESCRIPTION: &str = "Manage the proxy integration for an app";
/// `usage, description` lines, in upstream's order.
const HELP: &[&str] = &[
    "proxy:build-config [--parallel count] [--all|<app>], (Re)builds config for a given app",
    "proxy:clear-config [--all|<app>], Clears config for a given app",
    "proxy:disable <app>, Disable proxy for app",
    "proxy:enable <app>, Enable proxy for app",
    "proxy:report [<app>] [<flag>], Displays a proxy report for one or more apps",
    "proxy:set <app> <proxy-type>, Set proxy type for app",
];

static SPEC: PluginSpec = PluginSpec {
    name: "proxy",
    description: DESCRIPTION,
    help: &[],
    // `ports`, `ports-add`, … are installed but have no handler: like upstream's they fail
    // with "Invalid plugin subcommand call: <name>".
    subcommands: &[
        ("build-config", subcommands::build_config),
        ("clear-config", subcommands::clear_config),
        ("disable", subcommands::disable),
        ("enable", subcommands::enable),
        ("report", subcommands::report),
        ("set", subcommands::set),
    ],
    triggers: &[
        ("install", triggers::install),
        ("post-app-clone-setup", triggers::post_app_clone_setup),
        ("post-app-rename-setup", triggers::post_app_rename_setup),
        ("post-delete", triggers::post_delete),
        ("proxy-is-enabled", triggers::proxy_is_enabled),
        ("proxy-type", triggers::proxy_type),
        ("report", triggers::report),
    ],
    aliases: &[],
    commands: None,
};

/// The binary's entry point; also called in-process by the `dokku` entry point.
pub fn main() {
    plugin::go_main(&SPEC, HELP)
}
