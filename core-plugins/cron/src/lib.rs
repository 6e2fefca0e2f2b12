//! The `cron` core plugin: cron tasks declared in an app's `app.json`, their maintenance
//! switches, the `cron` report, and the system user's crontab regenerated from them (plus
//! what plugins inject through `cron-entries`). One binary, dispatched on the name it runs
//! under.

mod appjson;
mod commands;
mod crontab;
mod report;
mod schedule;
mod shellwords;
mod tasks;
mod triggers;

use dokku_common::plugin::{self, PluginSpec};

const DESCRIPTION: &str = "Manage scheduled cron tasks";
/// `usage, description` lines, in upstream's order.
const HELP: &[&str] = &[
    "cron:list <app> [--format json|stdout], List scheduled cron tasks for an app",
    "cron:report [<app>] [<flag>], Display report about an app",
    "cron:resume <app> <cron_id>, Resume a cron task",
    "cron:run <app> <cron_id> [--detach] [--ttl-seconds SECONDS], Run a cron task on the fly",
    "cron:set [--global|<app>] <key> <value>, Set or clear a cron property for an app",
    "cron:suspend <app> <cron_id>, Suspend a cron task",
];

static SPEC: PluginSpec = PluginSpec {
    name: "cron",
    description: DESCRIPTION,
    help: &[],
    subcommands: &[
        ("list", commands::list),
        ("report", commands::report),
        ("resume", commands::resume),
        ("set", commands::set),
        ("suspend", commands::suspend),
    ],
    triggers: &[
        ("app-json-is-valid", triggers::app_json_is_valid),
        ("cron-get-property", triggers::cron_get_property),
        ("cron-write", triggers::cron_write),
        ("install", triggers::install),
        ("post-app-clone-setup", triggers::post_app_clone_setup),
        ("post-app-rename-setup", triggers::post_app_rename_setup),
        ("post-delete", triggers::post_delete),
        ("post-deploy", triggers::post_deploy),
        ("report", triggers::report),
        ("scheduler-cron-write", triggers::scheduler_cron_write),
        ("scheduler-stop", triggers::scheduler_stop),
    ],
    aliases: &[],
    commands: None,
};

/// The binary's entry point; also called in-process by the `dokku` entry point.
pub fn main() {
    plugin::go_main(&SPEC, HELP)
}
