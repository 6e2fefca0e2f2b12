//! The `builder` core plugin: which builder an app uses (`selected`, else whatever
//! `builder-detect` finds), the `build-dir` the source is narrowed to after extraction,
//! `skip-cleanup`, the `detected` builder the deploy records, and the `builder-*` property and
//! image triggers. The builds themselves belong to the `builder-<name>` plugins.

mod build_dir;
mod docker;
mod prune;
mod report;
mod subcommands;
mod triggers;

use dokku_common::plugin::{self, PluginSpec};

pub const PLUGIN: &str = "builder";
/// Every property, with the ones `--global` accepts.
pub const PROPERTIES: &[&str] = &["build-dir", "detected", "selected", "skip-cleanup"];
pub const GLOBAL_PROPERTIES: &[&str] = &["build-dir", "selected", "skip-cleanup"];

const DESCRIPTION: &str = "Manage builder settings for an app";
/// `usage, description` lines, in upstream's order.
const HELP: &[&str] = &[
    "builder:report [<app>] [<flag>], Displays a builder report for one or more apps",
    "builder:set <app> <property> (<value>), Set or clear a builder property for an app",
];

static SPEC: PluginSpec = PluginSpec {
    name: PLUGIN,
    description: DESCRIPTION,
    help: &[],
    subcommands: &[("report", subcommands::report), ("set", subcommands::set)],
    triggers: &[
        ("builder-detect", triggers::builder_detect),
        ("builder-get-property", triggers::builder_get_property),
        ("builder-image-is-cnb", triggers::builder_image_is_cnb),
        (
            "builder-image-is-herokuish",
            triggers::builder_image_is_herokuish,
        ),
        ("builder-set-property", triggers::builder_set_property),
        ("core-post-extract", build_dir::core_post_extract),
        ("install", triggers::install),
        ("install-builder-prune", prune::install_builder_prune),
        ("post-app-clone-setup", triggers::post_app_clone_setup),
        ("post-app-rename-setup", triggers::post_app_rename_setup),
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
