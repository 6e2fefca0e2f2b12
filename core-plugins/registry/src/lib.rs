//! The `registry` core plugin: where an app's images are tagged and pushed (image repo or
//! repo template, server, extra tags, push on release), per-app registry credentials in
//! `config/registry/<app>/config.json`, and the `deployed-app-*` triggers the deploy reads
//! image names through. One binary, dispatched on the name it runs under.

mod registry;
mod subcommands;
mod template;
mod triggers;

use dokku_common::plugin::{self, PluginSpec};

const DESCRIPTION: &str = "Manage registry settings for an app";
/// `usage, description` lines, in upstream's order.
const HELP: &[&str] = &[
    "registry:login [--global|--password-stdin] [<app>] <server> <username> [<password>], Login to a docker registry",
    "registry:logout [--global] [<app>] <server>, Logout from a docker registry",
    "registry:report [<app>] [<flag>], Displays a registry report for one or more apps",
    "registry:set <app>|--global <property> (<value>), Set or clear a registry property for an app",
];

static SPEC: PluginSpec = PluginSpec {
    name: "registry",
    description: DESCRIPTION,
    help: &[],
    subcommands: &[
        ("login", subcommands::login),
        ("logout", subcommands::logout),
        ("report", subcommands::report),
        ("set", subcommands::set),
    ],
    triggers: &[
        ("deployed-app-image-repo", triggers::deployed_app_image_repo),
        ("deployed-app-image-tag", triggers::deployed_app_image_tag),
        ("deployed-app-repository", triggers::deployed_app_repository),
        ("install", triggers::install),
        ("post-app-clone-setup", triggers::post_app_clone_setup),
        ("post-app-rename-setup", triggers::post_app_rename_setup),
        ("post-create", triggers::post_create),
        ("post-delete", triggers::post_delete),
        ("post-release-builder", triggers::post_release_builder),
        ("report", triggers::report),
    ],
    aliases: &[],
    commands: None,
};

/// The binary's entry point; also called in-process by the `dokku` entry point.
pub fn main() {
    plugin::go_main(&SPEC, HELP)
}
