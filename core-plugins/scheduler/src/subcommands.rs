//! `scheduler:*` subcommands, with upstream's flag sets.

use dokku_common::pflag::{Flag, FlagSet, Kind};
use dokku_common::property::{self, GLOBAL};
use dokku_common::{report, Result};

use crate::scheduler;

const SET: FlagSet<'static> = FlagSet {
    name: "scheduler:set",
    flags: &[Flag {
        name: "global",
        kind: Kind::Bool,
        usage: "--global: set a global property",
    }],
};

/// `scheduler:report [<app>|--global] [--format stdout|json] [--<flag>]`.
pub fn report(args: &[String]) -> Result<()> {
    report::run_subcommand("scheduler", args, &crate::report::SchedulerReport)
}

/// `scheduler:set <app>|--global <property> [<value>]`. Upstream does not check the value:
/// any scheduler name is stored.
pub fn set(args: &[String]) -> Result<()> {
    let parsed = SET.parse(args)?;
    let (name, key, value) = if parsed.flag("global") {
        (GLOBAL, parsed.arg(0), parsed.arg(1))
    } else {
        (parsed.arg(0), parsed.arg(1), parsed.arg(2))
    };
    property::command_set(
        scheduler::PLUGIN,
        name,
        key,
        value,
        scheduler::PROPERTIES,
        scheduler::PROPERTIES,
    )
}
