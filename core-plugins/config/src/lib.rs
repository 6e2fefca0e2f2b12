//! The `config` core plugin: app and global environments (`config:*`), the `config_sub`
//! helper behind `config/functions`, and the config triggers, in one multi-call binary.

mod base64;
mod cmd;
mod dotenv;
mod flags;
mod format;
mod import;
mod migrate;
mod ops;
mod store;
mod triggers;

use dokku_common::plugin::{self, Entry, PluginSpec};
use dokku_common::Result;

macro_rules! verbs {
    ($($name:literal => $f:ident),* $(,)?) => {
        $(fn $f(args: &[String]) -> Result<()> {
            cmd::subcommand($name, args)
        })*
    };
}

verbs! {
    "bundle" => bundle,
    "clear" => clear,
    "export" => export,
    "get" => get,
    "import" => import_cmd,
    "keys" => keys,
    "show" => show,
    "set" => set,
    "unset" => unset,
}

static SPEC: PluginSpec = PluginSpec {
    name: "config",
    description: cmd::DESCRIPTION,
    help: &[],
    subcommands: &[
        ("bundle", bundle),
        ("clear", clear),
        ("export", export),
        ("get", get),
        ("import", import_cmd),
        ("keys", keys),
        ("show", show),
        ("set", set),
        ("unset", unset),
    ],
    triggers: &[
        ("config-export", triggers::config_export),
        ("config-get", triggers::config_get),
        ("config-get-global", triggers::config_get_global),
        ("config-migrate-env", triggers::config_migrate_env),
        ("config-set", triggers::config_set),
        ("config-unset", triggers::config_unset),
        ("docker-args-deploy", triggers::docker_args),
        ("docker-args-run", triggers::docker_args),
        ("install", triggers::install),
        ("post-app-clone-setup", triggers::post_app_clone_setup),
        ("post-app-rename-setup", triggers::post_app_rename_setup),
        ("post-create", triggers::post_create),
        ("post-delete", triggers::post_delete),
    ],
    aliases: &[("config_sub", cmd::config_sub)],
    commands: None,
};

/// The binary's entry point; also called in-process by the `dokku` entry point.
pub fn main() {
    plugin::init_process();
    let argv = plugin::argv();
    // Bare `config` shows the environment instead of the usage, and upstream's help text has
    // no trailing blank line, so the whole `commands` entry is answered here.
    let argv0 = argv.first().map(String::as_str).unwrap_or("");
    if plugin::classify(argv0) == Entry::Commands {
        plugin::exit(cmd::commands(argv.get(1..).unwrap_or(&[])));
    }
    plugin::exit(SPEC.dispatch(&argv))
}
