//! The `scheduler-docker-local:*` subcommands. Each receives the arguments after its command
//! word.

use dokku_common::args::nth;
use dokku_common::property::{Store, GLOBAL};
use dokku_common::{app, bash_help, log, Error, Result};

use crate::settings::{KEYS, PLUGIN};

pub const NAME: &str = "scheduler-docker-local";
pub const DESCRIPTION: &str = "Manage the docker-local scheduler integration for an app";
pub const HELP: &[&str] = &[
    "    scheduler-docker-local:report [<app>] [<flag>], Displays a scheduler-docker-local report for one or more apps",
    "    scheduler-docker-local:set [<app>|--global] <property> (<value>), Set or clear a scheduler-docker-local property for an app or globally",
];

/// The bash `verify_app_name`: every failure is `App <app> does not exist`, exit 20.
pub fn verify_app(name: &str) -> Result<()> {
    app::verify_app_name(name).map_err(|_| Error::app_does_not_exist(name))
}

/// Bare `dokku scheduler-docker-local`: the usage, as `scheduler-docker-local:help` prints it.
pub fn default(_args: &[String]) -> Result<()> {
    log::write_stdout(&bash_help::usage(NAME, DESCRIPTION, HELP));
    Ok(())
}

/// `scheduler-docker-local:report [<app>|--global] [--format stdout|json] [--<flag>]`.
pub fn report(args: &[String]) -> Result<()> {
    dokku_common::report::run_subcommand(NAME, args, &crate::report::SchedulerDockerLocalReport)
}

/// `scheduler-docker-local:set <app>|--global <key> [<value>]`: any value is stored as is;
/// an empty one deletes the key.
pub fn set(args: &[String]) -> Result<()> {
    let (name, key, value) = (nth(args, 0), nth(args, 1), nth(args, 2));
    if name != GLOBAL {
        verify_app(name)?;
    }
    if key.is_empty() {
        return Err(Error::new("No key specified"));
    }
    if !KEYS.contains(&key) {
        return Err(Error::new(
            "Invalid key specified, valid keys include: init-process, parallel-schedule-count",
        ));
    }
    let store = Store::from_env();
    if value.is_empty() {
        log::info2_quiet(&format!("Unsetting {key}"));
        store.delete(PLUGIN, name, key)
    } else {
        log::info2_quiet(&format!("Setting {key} to {value}"));
        store.set(PLUGIN, name, key, value)
    }
}
