//! The `logs` core plugin: the log viewer (`logs <app>`, through the app's scheduler),
//! `logs:failed`, the log settings (`max-size`, vector sinks, app label alias) with their
//! report, the generated vector config, and the `docker-args-process-deploy` options that
//! cap docker's log files. One binary, dispatched on the name it runs under.

mod commands;
mod flags;
mod gojson;
mod gourl;
mod report;
mod settings;
mod sink;
mod triggers;
mod vector;

use dokku_common::plugin::{self, Entry, PluginSpec};
use dokku_common::{log, Result};

static SPEC: PluginSpec = PluginSpec {
    name: commands::NAME,
    description: commands::DESCRIPTION,
    help: &[],
    subcommands: &[
        ("failed", commands::failed),
        ("report", report::subcommand),
        ("set", commands::set),
        ("vector-logs", commands::vector_logs),
        ("vector-start", commands::vector_start),
        ("vector-stop", commands::vector_stop),
    ],
    triggers: &[
        (
            "docker-args-process-deploy",
            triggers::docker_args_process_deploy,
        ),
        ("install", triggers::install),
        ("logs-get-property", triggers::logs_get_property),
        ("post-app-clone-setup", triggers::post_app_clone_setup),
        ("post-app-rename", triggers::post_app_rename),
        ("post-app-rename-setup", triggers::post_app_rename_setup),
        ("post-create", triggers::post_create),
        ("post-delete", triggers::post_delete),
        ("report", report::trigger),
    ],
    aliases: &[],
    commands: None,
};

/// The `commands` entry: `logs` is the viewer, `logs:help` the usage, `help` the summary.
fn commands(args: &[String]) -> Result<()> {
    match args.first().map(String::as_str).unwrap_or("") {
        "logs" => commands::view(args.get(1..).unwrap_or(&[])),
        "logs:help" => {
            commands::usage();
            Ok(())
        }
        "help" => {
            if plugin::parent_cmdline_has_all() {
                let lines: String = commands::HELP
                    .iter()
                    .map(|l| format!("    {l}\n"))
                    .collect();
                log::write_stdout(&format!("\n{lines}"));
            } else {
                log::write_stdout(&format!(
                    "\n    {}, {}\n",
                    commands::NAME,
                    commands::DESCRIPTION
                ));
            }
            Ok(())
        }
        _ => {
            let code = dokku_common::env::not_implemented_exit().unwrap_or_else(|| {
                log::log("failed to retrieve DOKKU_NOT_IMPLEMENTED_EXIT environment variable");
                dokku_common::env::DEFAULT_NOT_IMPLEMENTED_EXIT
            });
            Err(dokku_common::Error::silent(code))
        }
    }
}

/// The binary's entry point; also called in-process by the `dokku` entry point.
pub fn main() {
    plugin::init_process();
    let argv = plugin::argv();
    let argv0 = argv.first().map(String::as_str).unwrap_or("");
    if plugin::classify(argv0) == Entry::Commands {
        plugin::exit(commands(argv.get(1..).unwrap_or(&[])));
    }
    plugin::exit(SPEC.dispatch(&argv))
}
