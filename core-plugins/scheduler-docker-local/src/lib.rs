//! The `scheduler-docker-local` core plugin: the docker-local scheduler's settings
//! (`init-process`, `parallel-schedule-count`), its app lifecycle hooks, and the `scheduler-*`
//! triggers that work on the files and containers of apps it runs. The deploy itself
//! (`scheduler-deploy`, `check-deploy`, …) is not here yet. One binary, dispatched on the
//! name it runs under.

mod commands;
mod containers;
mod install;
mod logs;
mod report;
mod retire;
mod settings;
mod status;
mod storage_exec;
mod triggers;

use dokku_common::bash_help;
use dokku_common::plugin::PluginSpec;

static SPEC: PluginSpec = PluginSpec {
    name: commands::NAME,
    description: commands::DESCRIPTION,
    help: &[],
    subcommands: &[
        ("default", commands::default),
        ("report", commands::report),
        ("set", commands::set),
    ],
    triggers: &[
        ("install", install::install),
        ("post-app-clone-setup", triggers::post_app_clone_setup),
        ("post-app-rename-setup", triggers::post_app_rename_setup),
        ("post-create", triggers::post_create),
        ("post-delete", triggers::post_delete),
        ("report", report::trigger),
        ("scheduler-app-status", status::scheduler_app_status),
        ("scheduler-is-deployed", status::scheduler_is_deployed),
        ("scheduler-logs", logs::scheduler_logs),
        ("scheduler-logs-failed", logs::scheduler_logs_failed),
        ("scheduler-pre-restore", retire::scheduler_pre_restore),
        (
            "scheduler-register-retired",
            retire::scheduler_register_retired,
        ),
        ("scheduler-retire", retire::scheduler_retire),
        ("scheduler-stop", status::scheduler_stop),
        ("scheduler-storage-exec", storage_exec::trigger),
        ("scheduler-uses-host-cron", status::scheduler_uses_host_cron),
    ],
    aliases: &[],
    commands: None,
};

/// The binary's entry point; also called in-process by the `dokku` entry point.
pub fn main() {
    bash_help::main(&SPEC, commands::HELP)
}
