//! `builder:*` subcommands, with upstream's flag sets.

use dokku_common::pflag::{Flag, FlagSet, Kind};
use dokku_common::property::{self, GLOBAL};
use dokku_common::{log, report, Result};

use crate::{GLOBAL_PROPERTIES, PLUGIN, PROPERTIES};

const SET: FlagSet<'static> = FlagSet {
    name: "builder:set",
    flags: &[Flag {
        name: "global",
        kind: Kind::Bool,
        usage: "--global: set a global property",
    }],
};

/// `builder:report [<app>|--global] [--format stdout|json] [--<flag>]`.
pub fn report(args: &[String]) -> Result<()> {
    report::run_subcommand(PLUGIN, args, &crate::report::BuilderReport)
}

/// `builder:set [--global] <app>|<property> …`. `detected` is written by deploys only: asking
/// to set it warns and succeeds without checking anything else, as upstream.
pub fn set(args: &[String]) -> Result<()> {
    let parsed = SET.parse(args)?;
    let (app, key, value) = if parsed.flag("global") {
        (GLOBAL, parsed.arg(0), parsed.arg(1))
    } else {
        (parsed.arg(0), parsed.arg(1), parsed.arg(2))
    };
    if key == "detected" {
        log::warn("detected is a read-only property");
        return Ok(());
    }
    property::command_set(PLUGIN, app, key, value, PROPERTIES, GLOBAL_PROPERTIES)
}
