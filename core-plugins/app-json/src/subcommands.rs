//! `app-json:*` subcommands, with upstream's flag sets.

use dokku_common::pflag::{Flag, FlagSet, Kind};
use dokku_common::property::{self, GLOBAL};
use dokku_common::{app, extract, report, Error, Result};

use crate::appjson::{self, GLOBAL_PROPERTIES, PLUGIN, PROPERTIES};

const SET: FlagSet<'static> = FlagSet {
    name: "app-json:set",
    flags: &[Flag {
        name: "global",
        kind: Kind::Bool,
        usage: "--global: set a global property",
    }],
};

/// `app-json:report [<app>|--global] [--format stdout|json] [--<flag>]`.
pub fn report(args: &[String]) -> Result<()> {
    report::run_subcommand(PLUGIN, args, &appjson::AppJsonReport)
}

/// `app-json:set <app>|--global appjson-path [<path>]`. The path is read from the app's
/// source during the build, so one leading outside it (`..`) is refused.
pub fn set(args: &[String]) -> Result<()> {
    let parsed = SET.parse(args)?;
    let (name, key, value) = if parsed.flag("global") {
        (GLOBAL, parsed.arg(0), parsed.arg(1))
    } else {
        (parsed.arg(0), parsed.arg(1), parsed.arg(2))
    };
    if key == "appjson-path" && !value.is_empty() {
        if name != GLOBAL {
            app::verify_app_name(name)?;
        }
        if !extract::is_contained(value) || value.contains(['\n', '\0']) {
            return Err(Error::new(format!(
                "Invalid appjson-path {value:?}: it must be a path inside the app's source"
            )));
        }
    }
    property::command_set(PLUGIN, name, key, value, PROPERTIES, GLOBAL_PROPERTIES)
}
