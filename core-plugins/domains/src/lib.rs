//! The `domains` core plugin: app and global domains (the VHOST files), the vhost switch,
//! the `domains` report and the `domains-*` triggers. One binary, dispatched on the name it
//! runs under; `domains-fn` backs the bash `functions` library other plugins source.

mod commands;
mod domains;
mod functions;
mod hostname;
mod report;
mod triggers;
mod urls;
mod vhost;

use dokku_common::bash_help;
use dokku_common::plugin::PluginSpec;

static SPEC: PluginSpec = PluginSpec {
    name: commands::NAME,
    description: commands::DESCRIPTION,
    help: &[],
    subcommands: &[
        ("add", commands::add),
        ("add-global", commands::add_global),
        ("clear", commands::clear),
        ("clear-global", commands::clear_global),
        ("default", commands::default),
        ("disable", commands::disable),
        ("enable", commands::enable),
        ("remove", commands::remove),
        ("remove-global", commands::remove_global),
        ("report", commands::report),
        ("reset", commands::reset),
        ("set", commands::set),
        ("set-global", commands::set_global),
        ("setup", commands::setup),
    ],
    triggers: &[
        ("core-post-deploy", triggers::core_post_deploy),
        ("domains-add", triggers::domains_add),
        ("domains-disable", triggers::domains_disable),
        ("domains-enable", triggers::domains_enable),
        ("domains-list", triggers::domains_list),
        ("domains-urls", urls::trigger),
        ("domains-vhost-enabled", triggers::domains_vhost_enabled),
        ("install", triggers::install),
        ("post-app-clone-setup", triggers::post_app_clone_setup),
        ("post-app-rename-setup", triggers::post_app_rename_setup),
        ("post-create", triggers::post_create),
        ("report", report::trigger),
    ],
    aliases: &[("domains-fn", functions::run)],
    commands: None,
};

/// The binary's entry point; also called in-process by the `dokku` entry point.
pub fn main() {
    bash_help::main(&SPEC, commands::HELP)
}
