//! The `app-json` core plugin: where in an app's source its app.json is (`appjson-path`),
//! extracting it at build time into `data/app-json/<app>/app.json` (PID-specific while a
//! deploy is in flight), and the triggers other plugins read it through. One binary,
//! dispatched on the name it runs under.

mod appjson;
mod jsonc;
mod model;
mod subcommands;
mod tasks;
mod triggers;

use dokku_common::plugin::{self, PluginSpec};

const DESCRIPTION: &str = "Manage app-json settings for an app";
/// `usage, description` lines, in upstream's order.
const HELP: &[&str] = &[
    "app-json:report [<app>] [<flag>], Displays a app-json report for one or more apps",
    "app-json:set <app> <property> (<value>), Set or clear a app-json property for an app",
];

static SPEC: PluginSpec = PluginSpec {
    name: "app-json",
    description: DESCRIPTION,
    help: &[],
    subcommands: &[("report", subcommands::report), ("set", subcommands::set)],
    triggers: &[
        ("app-json-get-content", triggers::app_json_get_content),
        (
            "app-json-process-deploy-parallelism",
            triggers::app_json_process_deploy_parallelism,
        ),
        ("core-post-deploy", triggers::core_post_deploy),
        ("core-post-extract", triggers::core_post_extract),
        ("install", triggers::install),
        ("post-app-clone-setup", triggers::post_app_clone_setup),
        ("post-app-rename", triggers::post_app_rename),
        ("post-app-rename-setup", triggers::post_app_rename_setup),
        ("post-create", triggers::post_create),
        ("post-delete", triggers::post_delete),
        ("post-deploy", tasks::post_deploy),
        ("post-release-builder", tasks::post_release_builder),
        ("pre-release-builder", tasks::pre_release_builder),
        ("report", triggers::report),
    ],
    aliases: &[],
    commands: None,
};

/// The binary's entry point; also called in-process by the `dokku` entry point.
pub fn main() {
    plugin::go_main(&SPEC, HELP)
}
