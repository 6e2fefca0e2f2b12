//! The `ports` core plugin: `ports:*` commands, the `map`/`map-detected` properties and the
//! `ports-*` triggers proxies and builders read port mappings through. One binary,
//! dispatched on the name it runs under.

mod portmap;
mod report;
mod state;
mod subcommands;
mod triggers;

use dokku_common::plugin::{self, PluginSpec};

const DESCRIPTION: &str = "Manage ports for an app";
/// `usage, description` lines, in upstream's order.
const HELP: &[&str] = &[
    "ports:list <app>, List port mappings for app",
    "ports:add <app> [<scheme>:<host-port>:<container-port>...], Add port mappings to an app",
    "ports:clear <app>, Clear all port mappings for an app",
    "ports:remove <app> [<host-port>|<scheme>:<host-port>:<container-port>...], Remove specific port mappings from an app",
    "ports:set <app> [<scheme>:<host-port>:<container-port>...], Set port mappings for an app",
    "ports:report [<app>] [<flag>], Displays a ports report for one or more apps",
];

static SPEC: PluginSpec = PluginSpec {
    name: "ports",
    description: DESCRIPTION,
    help: &[],
    subcommands: &[
        ("add", subcommands::add),
        ("clear", subcommands::clear),
        ("list", subcommands::list),
        ("remove", subcommands::remove),
        ("report", subcommands::report),
        ("set", subcommands::set),
    ],
    triggers: &[
        ("install", triggers::install),
        ("ports-clear", triggers::ports_clear),
        ("ports-configure", triggers::ports_configure),
        ("ports-get", triggers::ports_get),
        ("ports-get-available", triggers::ports_get_available),
        ("ports-get-property", triggers::ports_get_property),
        ("ports-set-detected", triggers::ports_set_detected),
        ("post-app-clone-setup", triggers::post_app_clone_setup),
        ("post-app-rename-setup", triggers::post_app_rename_setup),
        ("post-certs-remove", triggers::post_certs_remove),
        ("post-certs-update", triggers::post_certs_update),
        ("post-delete", triggers::post_delete),
        ("report", triggers::report),
    ],
    aliases: &[],
    commands: None,
};

/// The binary's entry point; also called in-process by the `dokku` entry point.
pub fn main() {
    plugin::go_main(&SPEC, HELP)
}
