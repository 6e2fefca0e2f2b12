//! The `network` core plugin: the `network:*` commands (docker networks created with dokku's
//! label, and the per-app network properties), the `IP.*`/`PORT.*` files schedulers and
//! proxies read through the `network-*` triggers, the `--network` docker argument and the
//! attachment of app containers to extra networks. One binary, dispatched on the name it
//! runs under.

mod network;
mod networks;
mod report;
mod subcommands;
mod triggers;

use dokku_common::plugin::{self, PluginSpec};

const DESCRIPTION: &str = "Manage network settings for an app";
/// `usage, description` lines, in upstream's order.
const HELP: &[&str] = &[
    "network:create <network>, Creates an attachable docker network",
    "network:destroy <network>, Destroys a docker network",
    "network:exists <network>, Checks if a docker network exists",
    "network:info <network> [--format text|json], Outputs information about a docker network",
    "network:list [--format text|json] [--dokku-managed], Lists all docker networks",
    "network:rebuild <app>, Rebuilds network settings for an app",
    "network:rebuildall, Rebuild network settings for all apps",
    "network:report [<app>] [<flag>], Displays a network report for one or more apps",
    "network:set <app> <property> (<value>...), Set or clear a network property for an app",
];

static SPEC: PluginSpec = PluginSpec {
    name: "network",
    description: DESCRIPTION,
    help: &[],
    subcommands: &[
        ("create", subcommands::create),
        ("destroy", subcommands::destroy),
        ("exists", subcommands::exists),
        ("info", subcommands::info),
        ("list", subcommands::list),
        ("rebuild", subcommands::rebuild),
        ("rebuildall", subcommands::rebuildall),
        ("report", subcommands::report),
        ("set", subcommands::set),
    ],
    triggers: &[
        ("core-post-deploy", triggers::core_post_deploy),
        (
            "docker-args-process-build",
            triggers::docker_args_process_build,
        ),
        (
            "docker-args-process-deploy",
            triggers::docker_args_process_deploy,
        ),
        ("docker-args-process-run", triggers::docker_args_process_run),
        ("install", triggers::install),
        ("network-build-config", triggers::network_build_config),
        ("network-config-exists", triggers::network_config_exists),
        ("network-get-ipaddr", triggers::network_get_ipaddr),
        ("network-get-listeners", triggers::network_get_listeners),
        ("network-get-property", triggers::network_get_property),
        (
            "network-get-static-listeners",
            triggers::network_get_static_listeners,
        ),
        ("network-write-ipaddr", triggers::network_write_ipaddr),
        ("network-write-port", triggers::network_write_port),
        ("post-app-clone-setup", triggers::post_app_clone_setup),
        ("post-app-rename-setup", triggers::post_app_rename_setup),
        ("post-container-create", triggers::post_container_create),
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
