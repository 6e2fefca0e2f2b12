//! The `cron:*` subcommands, with upstream's flag sets. Each receives the arguments after
//! its command word.

use dokku_common::pflag::{Flag, FlagSet, Kind};
use dokku_common::property::{self, GLOBAL};
use dokku_common::{app, log, report, scheduler, text, trigger, Error, Result};

use crate::tasks::{self, Source, Task, MAINTENANCE_PREFIX, PLUGIN};

const GLOBAL_FLAG: Flag = Flag {
    name: "global",
    kind: Kind::Bool,
    usage: "--global: set a global property",
};

const LIST: FlagSet<'static> = FlagSet {
    name: "cron:list",
    flags: &[
        GLOBAL_FLAG,
        Flag {
            name: "format",
            kind: Kind::Str("stdout"),
            usage: "format: [ stdout | json ]",
        },
    ],
};
const SET: FlagSet<'static> = FlagSet {
    name: "cron:set",
    flags: &[GLOBAL_FLAG],
};
const SUSPEND: FlagSet<'static> = FlagSet {
    name: "cron:suspend",
    flags: &[],
};
const RESUME: FlagSet<'static> = FlagSet {
    name: "cron:resume",
    flags: &[],
};

/// Properties `cron:set` accepts, per app and globally.
const PROPERTIES: &[&str] = &["mailfrom", "mailto", "maintenance"];

fn maintenance_column(task: &Task) -> &'static str {
    match (
        task.maintenance,
        task.task_in_maintenance,
        task.app_in_maintenance,
    ) {
        (true, true, _) => "true (task)",
        (true, false, true) => "true (app)",
        _ => "false",
    }
}

/// `cron:list [--global|<app>] [--format stdout|json]`.
pub fn list(args: &[String]) -> Result<()> {
    let parsed = LIST.parse(args)?;
    let name = if parsed.flag("global") {
        GLOBAL
    } else {
        parsed.arg(0)
    };
    let format = match parsed.string("format") {
        "" => "stdout",
        f => f,
    };
    if format != "stdout" && format != "json" {
        return Err(Error::new(
            "Invalid format specified, supported formats: json, stdout",
        ));
    }
    let tasks = if name == GLOBAL {
        tasks::global_tasks()
    } else {
        app::verify_app_name(name)?;
        match tasks::fetch(name, Source::App, false) {
            (tasks, None) => tasks,
            (_, Some(e)) => return Err(Error::new(e)),
        }
    };
    if format == "json" {
        log::log(&tasks::to_json(&tasks));
        return Ok(());
    }
    let mut lines = vec!["ID | Schedule | Concurrency | Maintenance | Command".to_string()];
    lines.extend(tasks.iter().map(|t| {
        format!(
            "{} | {} | {} | {} | {}",
            t.id,
            t.schedule,
            t.concurrency_policy,
            maintenance_column(t),
            t.command
        )
    }));
    log::log(&text::columnize(&lines, "|", ""));
    Ok(())
}

/// `cron:report [<app>|--global] [--format stdout|json] [--<flag>]`.
pub fn report(args: &[String]) -> Result<()> {
    report::run_subcommand(PLUGIN, args, &crate::report::CronReport)
}

/// `CommandSet`: the generic property set, with the task maintenance properties
/// (`maintenance.<id>`) valid for the app's tasks, then the crontab rewritten.
pub fn set_property(name: &str, property: &str, value: &str) -> Result<()> {
    if (property == "mailfrom" || property == "mailto") && name != GLOBAL {
        return Err(Error::new(
            "Property cannot be specified on a per-app basis",
        ));
    }
    let mut valid: Vec<&str> = PROPERTIES.to_vec();
    if let Some(id) = property.strip_prefix(MAINTENANCE_PREFIX) {
        if name == GLOBAL {
            return Err(Error::new(
                "Task maintenance properties cannot be set globally",
            ));
        }
        if id.is_empty() {
            return Err(Error::new("Invalid task maintenance property, missing ID"));
        }
        let (found, error) = tasks::fetch(name, Source::App, false);
        if let Some(e) = error {
            return Err(Error::new(e));
        }
        if !found.iter().any(|t| t.id == id) {
            return Err(Error::new(format!(
                "Invalid task maintenance property, no matching task ID found: {property}"
            )));
        }
        valid.push(property);
    }
    property::command_set(PLUGIN, name, property, value, &valid, PROPERTIES)?;
    let scheduler = scheduler::app_scheduler(name);
    if name == GLOBAL {
        trigger::fire("scheduler-cron-write", &[scheduler.as_str()])
    } else {
        trigger::fire("scheduler-cron-write", &[scheduler.as_str(), name])
    }
}

/// `cron:set [--global|<app>] <key> [<value>]`.
pub fn set(args: &[String]) -> Result<()> {
    let parsed = SET.parse(args)?;
    let (name, property, value) = if parsed.flag("global") {
        (GLOBAL, parsed.arg(0), parsed.arg(1))
    } else {
        (parsed.arg(0), parsed.arg(1), parsed.arg(2))
    };
    set_property(name, property, value)
}

/// `cron:suspend <app> <cron_id>`.
pub fn suspend(args: &[String]) -> Result<()> {
    let parsed = SUSPEND.parse(args)?;
    set_property(
        parsed.arg(0),
        &format!("{MAINTENANCE_PREFIX}{}", parsed.arg(1)),
        "true",
    )
}

/// `cron:resume <app> <cron_id>`.
pub fn resume(args: &[String]) -> Result<()> {
    let parsed = RESUME.parse(args)?;
    set_property(
        parsed.arg(0),
        &format!("{MAINTENANCE_PREFIX}{}", parsed.arg(1)),
        "",
    )
}
