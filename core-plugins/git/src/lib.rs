//! The `git` core plugin: git deploy settings (`git:set`, `git:report`), the app's bare
//! repository and its `pre-receive` hook, netrc credentials, known hosts and the deploy key,
//! `git-upload-pack` for clones from dokku, and the git triggers outside the deploy path.
//! One binary, dispatched on the name it runs under.

mod auth;
mod netrc;
mod props;
mod refname;
mod repo;
mod report;
mod ssh;
mod subcommands;
mod sync;
mod triggers;
mod upload_pack;

use dokku_common::bash_help;
use dokku_common::plugin::{self, Entry, PluginSpec};

static SPEC: PluginSpec = PluginSpec {
    name: subcommands::NAME,
    description: subcommands::DESCRIPTION,
    help: &[],
    subcommands: &[
        ("allow-host", ssh::allow_host),
        ("auth", auth::auth),
        ("auth-status", auth::auth_status),
        ("default", subcommands::default),
        ("generate-deploy-key", ssh::generate_deploy_key),
        ("initialize", subcommands::initialize),
        ("public-key", ssh::public_key),
        ("report", report::subcommand),
        ("set", subcommands::set),
        ("status", subcommands::status),
        ("sync", sync::sync),
    ],
    triggers: &[
        ("deploy-source-set", triggers::deploy_source_set),
        ("git-deploy-branch", triggers::git_deploy_branch),
        ("git-get-property", triggers::git_get_property),
        ("git-has-code", triggers::git_has_code),
        ("git-revision", triggers::git_revision),
        ("install", triggers::install),
        ("post-app-clone-setup", triggers::post_app_clone_setup),
        ("post-app-rename-setup", triggers::post_app_rename_setup),
        ("post-create", triggers::post_create),
        ("post-delete", triggers::post_delete),
        ("report", report::trigger),
    ],
    aliases: &[],
    commands: None,
};

/// The binary's entry point; also called in-process by the `dokku` entry point.
pub fn main() {
    plugin::init_process();
    let argv = plugin::argv();
    let argv0 = argv.first().map(String::as_str).unwrap_or("");
    if plugin::classify(argv0) == Entry::Commands
        && argv.get(1).map(String::as_str) == Some("git-upload-pack")
    {
        plugin::exit(upload_pack::run(argv.get(2..).unwrap_or(&[])));
    }
    plugin::exit(bash_help::run(&SPEC, subcommands::HELP, &argv))
}
