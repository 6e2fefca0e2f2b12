//! The triggers the scheduler plugin implements.

use dokku_common::args::nth;
use dokku_common::pflag::{Flag, FlagSet, Kind};
use dokku_common::property::{self, Migration, Store, GLOBAL};
use dokku_common::{log, report, Error, Result};

use crate::scheduler::{self, PLUGIN};

/// `install`: the property directory and the migration of `DOKKU_SCHEDULER` and
/// `DOKKU_APP_SHELL` (app and global) into `selected` and `shell`.
pub fn install(_args: &[String]) -> Result<()> {
    let store = Store::from_env();
    store.setup(PLUGIN).map_err(|e| {
        Error::new(format!(
            "Unable to install the scheduler plugin: {}",
            e.message()
        ))
    })?;
    let entry = |var: &str, property: &str| Migration {
        config_var: var.to_string(),
        global_config_var: var.to_string(),
        property: property.to_string(),
        ..Migration::default()
    };
    store.migrate_config(
        PLUGIN,
        &[
            entry("DOKKU_SCHEDULER", "selected"),
            entry("DOKKU_APP_SHELL", "shell"),
        ],
    )
}

const DETECT: FlagSet<'static> = FlagSet {
    name: "scheduler-detect",
    flags: &[Flag {
        name: "global",
        kind: Kind::Bool,
        usage: "--global: use the global environment",
    }],
};

/// `scheduler-detect <app>|--global`: the app's `selected`, else the global one, else
/// `docker-local`, on one line.
pub fn scheduler_detect(args: &[String]) -> Result<()> {
    let parsed = DETECT.parse(args)?;
    let app = if parsed.flag("global") {
        GLOBAL
    } else {
        parsed.arg(0)
    };
    log::log(&scheduler::computed_selected(app));
    Ok(())
}

/// `post-app-clone-setup <old> <new>`.
pub fn post_app_clone_setup(args: &[String]) -> Result<()> {
    property::clone_setup_trigger(PLUGIN, args)
}

/// `post-app-rename-setup <old> <new>`.
pub fn post_app_rename_setup(args: &[String]) -> Result<()> {
    property::rename_setup_trigger(PLUGIN, args)
}

/// `post-delete <app>`.
pub fn post_delete(args: &[String]) -> Result<()> {
    property::delete_trigger(PLUGIN, args)
}

/// `report <app>`.
pub fn report(args: &[String]) -> Result<()> {
    report::report_one(&crate::report::SchedulerReport, nth(args, 0), "", None)
}
