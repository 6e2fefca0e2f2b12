//! The `checks:*` subcommands. Each receives the arguments after its command word.

use dokku_common::args::nth;
use dokku_common::property::{Store, GLOBAL};
use dokku_common::{app, bash_help, log, Error, Result};

use crate::checks::{self, Mode, ALL, PLUGIN};

pub const NAME: &str = "checks";
pub const DESCRIPTION: &str = "Manage zero-downtime settings";
pub const HELP: &[&str] = &[
    "    checks:disable <app> [process-type(s)], Disable zero-downtime deployment for all processes (or comma-separated process-type list) ***WARNING: this will cause downtime during deployments***",
    "    checks:enable <app> [process-type(s)], Enable zero-downtime deployment for all processes (or comma-separated process-type list)",
    "    checks:report [<app>] [<flag>], Displays a checks report for one or more apps",
    "    checks:run <app> [process-type(s)], Runs zero-downtime checks for all processes (or comma-separated process-type list)",
    "    checks:set [--global|<app>] <key> <value>, Set or clear a logs property for an app",
    "    checks:skip <app> [process-type(s)], Skip zero-downtime checks for all processes (or comma-separated process-type list)",
];

/// The bash `verify_app_name`: every failure is `App <app> does not exist`, exit 20.
fn verify_app(name: &str) -> Result<()> {
    app::verify_app_name(name).map_err(|_| Error::app_does_not_exist(name))
}

/// `${2:-_all_}`.
fn proc_types(args: &[String]) -> &str {
    match nth(args, 1) {
        "" => ALL,
        p => p,
    }
}

/// Bare `dokku checks`: the usage, as `checks:help` prints it.
pub fn default(_args: &[String]) -> Result<()> {
    log::write_stdout(&bash_help::usage(NAME, DESCRIPTION, HELP));
    Ok(())
}

pub fn disable(args: &[String]) -> Result<()> {
    let name = nth(args, 0);
    verify_app(name)?;
    checks::disable_or_skip(name, proc_types(args), Mode::Disable)
}

pub fn skip(args: &[String]) -> Result<()> {
    let name = nth(args, 0);
    verify_app(name)?;
    checks::disable_or_skip(name, proc_types(args), Mode::Skip)
}

pub fn enable(args: &[String]) -> Result<()> {
    let name = nth(args, 0);
    verify_app(name)?;
    checks::enable(name, proc_types(args))
}

pub fn run(args: &[String]) -> Result<()> {
    let name = nth(args, 0);
    verify_app(name)?;
    crate::run::run(name, proc_types(args))
}

/// `checks:set <app>|--global wait-to-retire [<value>]`.
pub fn set(args: &[String]) -> Result<()> {
    let (name, key, value) = (nth(args, 0), nth(args, 1), nth(args, 2));
    if name != GLOBAL {
        verify_app(name)?;
    }
    if key.is_empty() {
        return Err(Error::new("No key specified"));
    }
    if key != "wait-to-retire" {
        return Err(Error::new(
            "Invalid key specified, valid keys include: wait-to-retire",
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

/// `checks:report [<app>|--global] [--format stdout|json] [--<flag>]` (Go upstream).
pub fn report(args: &[String]) -> Result<()> {
    dokku_common::report::run_subcommand(NAME, args, &crate::report::ChecksReport)
}
