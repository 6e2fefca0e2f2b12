//! The `nginx-vhosts` core plugin (`nginx:*` commands): the nginx properties and report,
//! showing an app's generated config and its logs, controlling and validating the nginx
//! service, the proxy lifecycle triggers, and the helpers behind the bash `functions` and
//! `internal-functions` libraries, and generating each app's `nginx.conf`.

mod build;
mod commands;
mod helpers;
mod props;
mod report;
mod service;
mod triggers;

use dokku_common::bash_help;
use dokku_common::plugin::PluginSpec;

static SPEC: PluginSpec = PluginSpec {
    name: commands::NAME,
    description: commands::DESCRIPTION,
    help: &[],
    subcommands: &[
        ("access-logs", commands::access_logs),
        ("default", commands::default),
        ("error-logs", commands::error_logs),
        ("reload", commands::reload),
        ("report", commands::report),
        ("set", commands::set),
        ("show-conf", commands::show_config),
        ("show-config", commands::show_config),
        ("start", commands::start),
        ("stop", commands::stop),
        ("validate", commands::validate_config),
        ("validate-config", commands::validate_config),
    ],
    triggers: &[
        ("core-post-deploy", triggers::core_post_deploy),
        ("dependencies", triggers::dependencies),
        ("install", triggers::install),
        ("post-app-clone-setup", triggers::post_app_clone_setup),
        ("post-app-rename-setup", triggers::post_app_rename_setup),
        ("post-create", triggers::post_create),
        ("post-delete", triggers::post_delete),
        ("post-domains-update", triggers::post_domains_update),
        ("post-proxy-ports-update", triggers::post_proxy_ports_update),
        ("pre-disable-vhost", triggers::pre_disable_vhost),
        ("pre-enable-vhost", triggers::pre_enable_vhost),
        ("pre-restore", triggers::pre_restore),
        ("proxy-build-config", triggers::proxy_build_config),
        ("proxy-clear-config", triggers::proxy_clear_config),
        ("proxy-disable", triggers::proxy_disable),
        ("proxy-enable", triggers::proxy_enable),
        ("report", triggers::report),
        (
            "scheduler-post-deploy-process",
            triggers::scheduler_post_deploy_process,
        ),
    ],
    aliases: &[
        ("nginx-property", helpers::nginx_property),
        ("nginx-vhosts-fn", helpers::nginx_vhosts_fn),
        ("pagesize", helpers::pagesize),
    ],
    commands: None,
};

/// The binary's entry point; also called in-process by the `dokku` entry point.
pub fn main() {
    bash_help::main(&SPEC, commands::HELP)
}
