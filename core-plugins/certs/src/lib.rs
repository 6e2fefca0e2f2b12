//! The `certs` core plugin: an app's TLS certificate and key in `$DOKKU_ROOT/<app>/tls`,
//! the `ssl` report and the `certs-*` triggers. One binary, dispatched on the name it runs
//! under; `certs-fn` backs the bash `functions` library other plugins source.

mod certinfo;
mod commands;
mod functions;
mod pem;
mod report;
mod tarball;
mod tls;
mod triggers;
mod validate;

use dokku_common::bash_help;
use dokku_common::plugin::PluginSpec;

static SPEC: PluginSpec = PluginSpec {
    name: commands::NAME,
    description: commands::DESCRIPTION,
    help: &[],
    subcommands: &[
        ("add", commands::add),
        ("default", commands::default),
        ("generate", commands::generate),
        ("remove", commands::remove),
        ("report", commands::report),
        ("show", commands::show),
        ("update", commands::add),
    ],
    triggers: &[
        ("certs-exists", triggers::certs_exists),
        ("certs-get", triggers::certs_get),
        ("certs-remove", triggers::certs_remove),
        ("certs-set", triggers::certs_set),
        ("post-app-clone-setup", triggers::post_app_clone_setup),
        ("post-app-rename-setup", triggers::post_app_rename_setup),
        ("report", triggers::report),
    ],
    aliases: &[("certs-fn", functions::run)],
    commands: None,
};

/// The binary's entry point; also called in-process by the `dokku` entry point.
pub fn main() {
    bash_help::main(&SPEC, commands::HELP)
}
