//! The triggers the cron plugin implements.

use std::path::Path;

use dokku_common::args::nth;
use dokku_common::property::{self, Store, GLOBAL};
use dokku_common::{log, report, scheduler, trigger, Error, Result};

use crate::appjson;
use crate::crontab;
use crate::tasks::{self, Source, PLUGIN};

/// `app-json-is-valid <app> <app.json path>`: the file's cron entries must all be valid.
pub fn app_json_is_valid(args: &[String]) -> Result<()> {
    let (name, path) = (nth(args, 0), Path::new(nth(args, 1)));
    if !std::fs::metadata(path).is_ok_and(|m| !m.is_dir()) {
        return Ok(());
    }
    let entries = appjson::read_file_cron(path).map_err(Error::new)?;
    match tasks::fetch(name, Source::Entries(entries.as_deref()), true) {
        (_, None) => Ok(()),
        (_, Some(e)) => Err(Error::new(e)),
    }
}

/// `cron-get-property [--global] <app> <key>`.
pub fn cron_get_property(args: &[String]) -> Result<()> {
    let global = matches!(
        nth(args, 0),
        "--global" | "-global" | "--global=true" | "-global=true"
    );
    let (name, key) = if global {
        (GLOBAL, nth(args, 1))
    } else {
        (nth(args, 0), nth(args, 1))
    };
    let default = match key {
        "mailfrom" | "mailto" => "",
        "maintenance" => "false",
        _ => return Err(Error::new("Invalid cron property specified")),
    };
    log::log(&Store::from_env().get_default(PLUGIN, name, key, default));
    Ok(())
}

/// `cron-write`: regenerate the crontab. Upstream only has `scheduler-cron-write`; plugins
/// (letsencrypt) probe for this file and call it to refresh their injected entries.
pub fn cron_write(_args: &[String]) -> Result<()> {
    crontab::write()
}

/// `install`.
pub fn install(_args: &[String]) -> Result<()> {
    Store::from_env().setup(PLUGIN).map_err(|e| {
        Error::new(format!(
            "Unable to install the cron plugin: {}",
            e.message()
        ))
    })
}

/// `post-app-clone-setup <old> <new>`.
pub fn post_app_clone_setup(args: &[String]) -> Result<()> {
    property::clone_setup_trigger(PLUGIN, args)
}

/// `post-app-rename-setup <old> <new>`.
pub fn post_app_rename_setup(args: &[String]) -> Result<()> {
    property::rename_setup_trigger(PLUGIN, args)
}

/// `post-delete <app>`: the crontab loses the app's tasks, then its properties go.
pub fn post_delete(args: &[String]) -> Result<()> {
    let name = nth(args, 0);
    let scheduler = scheduler::app_scheduler(name);
    trigger::fire("scheduler-cron-write", &[scheduler.as_str(), name])?;
    property::delete_trigger(PLUGIN, args)
}

/// `post-deploy <app> …`: the crontab picks up the deployed app.json.
pub fn post_deploy(args: &[String]) -> Result<()> {
    let name = nth(args, 0);
    let scheduler = scheduler::app_scheduler(name);
    trigger::fire("scheduler-cron-write", &[scheduler.as_str(), name])
}

/// `report <app>`.
pub fn report(args: &[String]) -> Result<()> {
    report::report_one(&crate::report::CronReport, nth(args, 0), "", None)
}

/// `scheduler-cron-write [<scheduler>] [<app>]`: rewrite the host crontab unless the
/// scheduler manages its own cron.
pub fn scheduler_cron_write(args: &[String]) -> Result<()> {
    let scheduler = nth(args, 0);
    if !scheduler.is_empty() && !crontab::uses_host_cron(scheduler) {
        return Ok(());
    }
    crontab::write()
}

/// `scheduler-stop <scheduler> <app> [<remove-containers>]`.
pub fn scheduler_stop(args: &[String]) -> Result<()> {
    let (scheduler, name) = (nth(args, 0), nth(args, 1));
    if !crontab::uses_host_cron(scheduler) {
        return Ok(());
    }
    trigger::fire("scheduler-cron-write", &[scheduler, name])
}
