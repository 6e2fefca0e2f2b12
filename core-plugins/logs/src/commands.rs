//! The `logs` command itself (the log viewer) and the `logs:*` subcommands.

use std::process::{Command, Stdio};

use dokku_common::pflag::{Flag, FlagSet, Kind};
use dokku_common::property::{self, GLOBAL};
use dokku_common::{app, docker, log, scheduler, trigger, Error, Result};

use crate::settings;
use crate::vector;

pub const NAME: &str = "logs";
pub const DESCRIPTION: &str = "Manage log integration for an app";
/// `usage, description` lines, in upstream's order.
pub const HELP: &[&str] = &[
    "logs [-h|--help] [-t|--tail] [-n|--num num] [-q|--quiet] [-p|--ps process] <app>, Display recent log output",
    "logs:failed [--all|<app>], Shows the last failed deploy logs",
    "logs:report [<app>] [<flag>], Displays a logs report for one or more apps",
    "logs:set [--global|<app>] <key> <value>, Set or clear a logs property for an app",
    "logs:vector-logs [--num num] [--tail], Display vector log output",
    "logs:vector-start, Start the vector logging container",
    "logs:vector-stop, Stop the vector logging container",
];

const VECTOR_CONTAINER: &str = "vector-vector-1";

/// `logs:help` (and `logs -h`): the usage on stdout.
pub fn usage() {
    log::write_stdout(&format!(
        "Usage: dokku {NAME}[:COMMAND]\n\n{DESCRIPTION}\n\nAdditional commands:\n{}\n",
        dokku_common::text::columnize(HELP, ",", "    ")
    ));
}

/// `logs [-n N] [-t] [-q] [-p <proc>] <app>`: the app's scheduler prints the logs.
pub fn view(args: &[String]) -> Result<()> {
    let parsed = crate::flags::parse(args)?;
    if parsed.help {
        usage();
        return Ok(());
    }
    let name = parsed.args.first().map(String::as_str).unwrap_or("");
    app::verify_app_name(name)?;
    if !scheduler::is_deployed(name) {
        return Err(Error::new(format!("App {name} has not been deployed")));
    }
    let sched = scheduler::app_scheduler(name);
    trigger::fire(
        "scheduler-logs",
        &[
            sched.as_str(),
            name,
            parsed.ps.as_str(),
            if parsed.tail { "true" } else { "false" },
            if parsed.quiet { "true" } else { "false" },
            &parsed.num.to_string(),
        ],
    )
}

const FAILED: FlagSet<'static> = FlagSet {
    name: "logs:failed",
    flags: &[Flag {
        name: "all",
        kind: Kind::Bool,
        // Upstream's wording.
        usage: "--all: restore all apps",
    }],
};

/// `GetFailedLogs`: the scheduler's view of the last failed deploy's containers.
fn failed_logs(name: &str) -> Result<()> {
    log::info2_quiet(&format!("{name} failed deploy logs"));
    let sched = scheduler::app_scheduler(name);
    trigger::fire("scheduler-logs-failed", &[sched.as_str(), name])
}

/// `logs:failed [--all|<app>]`; `--all` runs app by app, counting failures.
pub fn failed(args: &[String]) -> Result<()> {
    let parsed = FAILED.parse(args)?;
    if !parsed.flag("all") {
        let name = parsed.arg(0);
        app::verify_app_name(name)?;
        return failed_logs(name);
    }
    let apps = match app::dokku_apps() {
        Ok(apps) => apps,
        Err(e) => {
            log::warn(e.message());
            return Ok(());
        }
    };
    let mut errors = 0;
    for name in apps {
        log::info1(&format!("Running logs:failed against app {name}"));
        if let Err(e) = failed_logs(&name) {
            log::warn(&format!(
                "Error running logs:failed against app {name}: {}",
                e.message()
            ));
            errors += 1;
        }
    }
    if errors > 0 {
        return Err(Error::new(format!(
            "logs:failed command returned {errors} errors"
        )));
    }
    Ok(())
}

const SET: FlagSet<'static> = FlagSet {
    name: "logs:set",
    flags: &[Flag {
        name: "global",
        kind: Kind::Bool,
        usage: "--global: set a global property",
    }],
};

/// `logs:set <app>|--global <property> [<value>]`: the value is checked first (before the
/// app), then stored; sink and alias changes rewrite the vector config.
pub fn set(args: &[String]) -> Result<()> {
    let parsed = SET.parse(args)?;
    let (name, key, value) = if parsed.flag("global") {
        (GLOBAL, parsed.arg(0), parsed.arg(1))
    } else {
        (parsed.arg(0), parsed.arg(1), parsed.arg(2))
    };
    settings::validate(name, key, value)?;
    property::command_set(
        settings::PLUGIN,
        name,
        key,
        value,
        settings::PROPERTIES,
        settings::GLOBAL_PROPERTIES,
    )?;
    if settings::VECTOR_PROPERTIES.contains(&key) {
        log::verbose_quiet(&format!(
            "Writing updated vector config to {}",
            vector::config_path()?.display()
        ));
        vector::write()?;
    }
    Ok(())
}

const VECTOR_LOGS: FlagSet<'static> = FlagSet {
    name: "logs:vector-logs",
    flags: &[
        Flag {
            name: "num",
            kind: Kind::Int(100),
            usage: "the number of lines to display",
        },
        Flag {
            name: "tail",
            kind: Kind::Bool,
            usage: "continually stream logs",
        },
    ],
};

/// Print each non-empty line of `text` as a verbose line, unless quiet.
fn verbose_lines(text: &[u8], to_stderr: bool) {
    if dokku_common::env::quiet() {
        return;
    }
    for line in String::from_utf8_lossy(text).split('\n') {
        if line.is_empty() {
            continue;
        }
        let out = format!("{}{line}\n", log::VERBOSE);
        if to_stderr {
            log::write_stderr(&out);
        } else {
            log::write_stdout(&out);
        }
    }
}

/// `logs:vector-logs [--num N] [--tail]`: the vector container's own logs.
pub fn vector_logs(args: &[String]) -> Result<()> {
    let parsed = VECTOR_LOGS.parse(args)?;
    let exists =
        docker::run(&["container", "inspect", VECTOR_CONTAINER]).is_ok_and(|o| o.success());
    if !exists {
        return Err(Error::new("Vector container does not exist"));
    }
    if !docker::container_is_running(VECTOR_CONTAINER) {
        log::warn("Vector container is not running");
    }
    log::info1_quiet("Vector container logs");
    let mut cmd = Command::new(docker::bin());
    cmd.args(["container", "logs", VECTOR_CONTAINER]);
    let num = parsed.int("num");
    if num > 0 {
        cmd.args(["--tail", &num.to_string()]);
    }
    let tail = parsed.flag("tail");
    if tail {
        cmd.arg("--follow");
    }
    let failed = || {
        log::write_stdout(&format!(
            "{}Failed to fetch container logs: {VECTOR_CONTAINER}\n",
            log::WARN
        ))
    };
    if tail {
        // Streaming: lines pass as they come.
        match cmd.stdin(Stdio::null()).status() {
            Ok(_) => {}
            Err(_) => failed(),
        }
        return Ok(());
    }
    match cmd.stdin(Stdio::null()).output() {
        Ok(out) => {
            verbose_lines(&out.stdout, false);
            verbose_lines(&out.stderr, true);
            if !out.status.success() {
                failed();
            }
        }
        Err(_) => failed(),
    }
    Ok(())
}

/// `logs:vector-start` and `logs:vector-stop` need `docker compose` and the vector image;
/// they are not implemented yet.
pub fn vector_unsupported(name: &str) -> Result<()> {
    Err(Error::new(format!(
        "logs:{name} is not supported by dokku-rs yet"
    )))
}

pub fn vector_start(_args: &[String]) -> Result<()> {
    vector_unsupported("vector-start")
}

pub fn vector_stop(_args: &[String]) -> Result<()> {
    vector_unsupported("vector-stop")
}
