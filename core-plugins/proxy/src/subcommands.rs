//! `proxy:*` subcommands, with upstream's flag sets.

use dokku_common::parallel::{run_against_all_apps, RUN_IN_SERIAL};
use dokku_common::pflag::{Flag, FlagSet, Kind};
use dokku_common::property::{self, GLOBAL};
use dokku_common::{app, log, report, Error, Result};

use crate::proxy;

const fn all(usage: &'static str) -> Flag {
    Flag {
        name: "all",
        kind: Kind::Bool,
        usage,
    }
}

const fn parallel(usage: &'static str) -> Flag {
    Flag {
        name: "parallel",
        kind: Kind::Int(RUN_IN_SERIAL),
        usage,
    }
}

const BUILD_CONFIG: FlagSet<'static> = FlagSet {
    name: "proxy:build-config",
    flags: &[
        all("--all: build-config for all apps"),
        parallel(
            "--parallel: number of apps to build-config for in parallel, -1 to match cpu count",
        ),
    ],
};
const CLEAR_CONFIG: FlagSet<'static> = FlagSet {
    name: "proxy:clear-config",
    // Upstream's usage text says build-config here too.
    flags: &[all("--all: build-config for all apps")],
};
const DISABLE: FlagSet<'static> = FlagSet {
    name: "proxy:disable",
    flags: &[
        all("--all: disable proxy for all apps"),
        parallel(
            "--parallel: number of apps to disable proxy for in parallel, -1 to match cpu count",
        ),
    ],
};
const ENABLE: FlagSet<'static> = FlagSet {
    name: "proxy:enable",
    flags: &[
        all("--all: enable proxy for all apps"),
        parallel(
            "--parallel: number of apps to enable proxy for in parallel, -1 to match cpu count",
        ),
    ],
};
const SET: FlagSet<'static> = FlagSet {
    name: "proxy:set",
    flags: &[Flag {
        name: "global",
        kind: Kind::Bool,
        usage: "--global: set a global property",
    }],
};

/// `<cmd> [--parallel N] [--all|<app>]`: every app with `--all`, else the verified app.
fn for_app_or_all(
    set: &FlagSet<'_>,
    command_name: &str,
    args: &[String],
    action: fn(&str) -> Result<()>,
) -> Result<()> {
    let parsed = set.parse(args)?;
    if parsed.flag("all") {
        return run_against_all_apps(action, command_name, parsed.int("parallel"));
    }
    let name = parsed.arg(0);
    app::verify_app_name(name)?;
    action(name)
}

/// `proxy:build-config [--parallel N] [--all|<app>]`.
pub fn build_config(args: &[String]) -> Result<()> {
    for_app_or_all(&BUILD_CONFIG, "build-config", args, proxy::build_config)
}

/// `proxy:clear-config [--all|<app>]`: `--all` fires the trigger once with `--all`.
pub fn clear_config(args: &[String]) -> Result<()> {
    let parsed = CLEAR_CONFIG.parse(args)?;
    if parsed.flag("all") {
        return proxy::clear_config("--all");
    }
    let name = parsed.arg(0);
    app::verify_app_name(name)?;
    proxy::clear_config(name)
}

/// `proxy:disable [--parallel N] [--all|<app>]`.
pub fn disable(args: &[String]) -> Result<()> {
    for_app_or_all(&DISABLE, "disable", args, proxy::disable)
}

/// `proxy:enable [--parallel N] [--all|<app>]`.
pub fn enable(args: &[String]) -> Result<()> {
    for_app_or_all(&ENABLE, "enable", args, proxy::enable)
}

/// `proxy:report [<app>|--global] [--format stdout|json] [--<flag>]`.
pub fn report(args: &[String]) -> Result<()> {
    report::run_subcommand("proxy", args, &crate::report::ProxyReport)
}

/// `proxy:set <app>|--global <property> [<value>]`, and the older
/// `proxy:set <app>|--global <type>`: an unknown property without a value is the type.
pub fn set(args: &[String]) -> Result<()> {
    let parsed = SET.parse(args)?;
    let (name, mut key, mut value) = if parsed.flag("global") {
        (GLOBAL, parsed.arg(0), parsed.arg(1))
    } else {
        (parsed.arg(0), parsed.arg(1), parsed.arg(2))
    };
    if !proxy::PROPERTIES.contains(&key) && value.is_empty() {
        if key.contains(':') {
            log::warn("Detected potential port mapping instead of proxy type");
            return Err(Error::new(
                "Consider using ports:set command or specifying a valid proxy",
            ));
        }
        value = key;
        key = "type";
    }
    property::command_set(
        proxy::PLUGIN,
        name,
        key,
        value,
        proxy::PROPERTIES,
        proxy::GLOBAL_PROPERTIES,
    )
}
