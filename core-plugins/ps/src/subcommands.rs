//! `ps:report`, `ps:scale` and `ps:set`, with upstream's flag sets. The commands that act on
//! containers (`start`, `stop`, `restart`, `rebuild`, `restore`, `retire`, `inspect`) arrive
//! with the deploy machinery.

use dokku_common::pflag::{Flag, FlagSet, Kind};
use dokku_common::property::{self, GLOBAL};
use dokku_common::{app, log, report, Error, Result};

use crate::formation;
use crate::ps;
use crate::report::PsReport;

const SCALE: FlagSet<'static> = FlagSet {
    name: "ps:scale",
    flags: &[
        Flag {
            name: "skip-deploy",
            kind: Kind::Bool,
            usage: "--skip-deploy: skip deploy of the app",
        },
        Flag {
            name: "format",
            kind: Kind::Str("stdout"),
            usage: "format: [ stdout | json ]",
        },
    ],
};

const SET: FlagSet<'static> = FlagSet {
    name: "ps:set",
    flags: &[Flag {
        name: "global",
        kind: Kind::Bool,
        usage: "--global: set a global property",
    }],
};

/// The info flag `ParseReportArgs` would pick: the first `--x` that is neither `--global`
/// nor `--format` (whose value is skipped).
fn info_flag(args: &[String]) -> Option<String> {
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        if arg == "--format" {
            iter.next();
        } else if arg != "--global" && arg.starts_with("--") {
            return Some(arg.clone());
        }
    }
    None
}

/// `ps:report [<app>|--global] [--format stdout|json] [--<flag>]`.
pub fn report(args: &[String]) -> Result<()> {
    let reporter = PsReport {
        info_flag: info_flag(args),
    };
    report::run_subcommand(ps::PLUGIN, args, &reporter)
}

/// `ps:scale [--skip-deploy] [--format stdout|json] <app> [<proc>=<count>...]`.
pub fn scale(args: &[String]) -> Result<()> {
    let parsed = SCALE.parse(args)?;
    let name = parsed.arg(0);
    app::verify_app_name(name)?;
    let tuples = parsed.positional.get(1..).unwrap_or(&[]);
    if tuples.is_empty() {
        return formation::report(name, parsed.string("format"));
    }
    if !ps::can_scale(name) {
        return Err(Error::new(format!(
            "App {name} contains an app.json file with a formations key and cannot be manually scaled"
        )));
    }
    log::info1(&format!("Scaling {name} processes: {}", tuples.join(" ")));
    formation::set(name, parsed.flag("skip-deploy"), false, tuples, true)
}

/// `ps:set <app>|--global <property> [<value>]`.
pub fn set(args: &[String]) -> Result<()> {
    let parsed = SET.parse(args)?;
    let (name, key, value) = if parsed.flag("global") {
        (GLOBAL, parsed.arg(0), parsed.arg(1))
    } else {
        (parsed.arg(0), parsed.arg(1), parsed.arg(2))
    };
    if key == "restart-policy" && !value.is_empty() && !ps::is_valid_restart_policy(value) {
        return Err(Error::new("Invalid restart-policy specified"));
    }
    property::command_set(
        ps::PLUGIN,
        name,
        key,
        value,
        ps::PROPERTIES,
        ps::GLOBAL_PROPERTIES,
    )
}
