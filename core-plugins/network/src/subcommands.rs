//! `network:*` subcommands, with upstream's flag sets.

use dokku_common::pflag::{Flag, FlagSet, Kind};
use dokku_common::property::{self, GLOBAL};
use dokku_common::{app, confirm, docker, log, report, Error, Result};

use crate::network::{self, GLOBAL_PROPERTIES, PLUGIN, PROPERTIES};
use crate::networks::{self, NAME_LABEL};

const fn empty(name: &'static str) -> FlagSet<'static> {
    FlagSet { name, flags: &[] }
}

const FORMAT_TEXT: Flag = Flag {
    name: "format",
    kind: Kind::Str("text"),
    usage: "format: [ text | json ]",
};

const CREATE: FlagSet<'static> = empty("network:create");
const DESTROY: FlagSet<'static> = FlagSet {
    name: "network:destroy",
    flags: &[Flag {
        name: "force",
        kind: Kind::Bool,
        usage: "--force: force destroy without confirmation",
    }],
};
const EXISTS: FlagSet<'static> = empty("network:exists");
const INFO: FlagSet<'static> = FlagSet {
    name: "network:info",
    flags: &[FORMAT_TEXT],
};
const LIST: FlagSet<'static> = FlagSet {
    name: "network:list",
    flags: &[
        FORMAT_TEXT,
        Flag {
            name: "dokku-managed",
            kind: Kind::Bool,
            usage: "show only dokku-managed networks",
        },
    ],
};
const REBUILD: FlagSet<'static> = empty("network:rebuild");
const REBUILDALL: FlagSet<'static> = empty("network:rebuildall");
const SET: FlagSet<'static> = FlagSet {
    name: "network:set",
    flags: &[Flag {
        name: "global",
        kind: Kind::Bool,
        usage: "--global: set a global property",
    }],
};

/// A name `network:create` accepts (see [`network::is_valid_network_name`]).
fn checked_new_name(name: &str) -> Result<()> {
    if name.is_empty() {
        return Err(Error::new("No network name specified"));
    }
    if !network::is_valid_network_name(name) {
        return Err(Error::new(format!(
            "Invalid network name specified: {name}"
        )));
    }
    Ok(())
}

/// `network:create <network>`: an attachable network labelled as dokku's.
pub fn create(args: &[String]) -> Result<()> {
    let parsed = CREATE.parse(args)?;
    let name = parsed.arg(0);
    checked_new_name(name)?;
    log::info1_quiet(&format!("Creating network {name}"));
    let label = format!("{NAME_LABEL}={name}");
    let out = docker::run(&[
        "network",
        "create",
        "--attachable",
        "--label",
        &label,
        "--",
        name,
    ])
    .map_err(|e| Error::new(format!("Unable to create network: {}", e.message())))?;
    if !out.success() {
        return Err(Error::new(format!(
            "Unable to create network: {}",
            out.stderr
        )));
    }
    Ok(())
}

/// `network:destroy <network> [--force]`.
pub fn destroy(args: &[String]) -> Result<()> {
    let parsed = DESTROY.parse(args)?;
    let name = parsed.arg(0);
    if name.is_empty() {
        return Err(Error::new("No network name specified"));
    }
    if !parsed.flag("force") {
        confirm::destructive(name, "network")?;
    }
    log::info1_quiet(&format!("Destroying network {name}"));
    let out = docker::run(&["network", "rm", "--", name])
        .map_err(|e| Error::new(format!("Unable to destroy network: {}", e.message())))?;
    if !out.success() {
        return Err(Error::new(format!(
            "Unable to destroy network: {}",
            out.stderr
        )));
    }
    Ok(())
}

/// `network:exists <network>`.
pub fn exists(args: &[String]) -> Result<()> {
    let parsed = EXISTS.parse(args)?;
    if networks::exists(parsed.arg(0))? {
        log::info1_quiet("Network exists");
        Ok(())
    } else {
        Err(Error::new("Network does not exist"))
    }
}

/// `network:info <network> [--format text|json]`.
pub fn info(args: &[String]) -> Result<()> {
    let parsed = INFO.parse(args)?;
    let name = parsed.arg(0);
    let format = parsed.string("format");
    if name.is_empty() {
        return Err(Error::new("No network name specified"));
    }
    if format != "json" && format != "text" {
        return Err(Error::new(
            "Invalid format specified, use either text or json",
        ));
    }
    let Some(network) = networks::find(name)? else {
        return Err(Error::new("Network does not exist"));
    };
    if format == "json" {
        log::log(&network.to_json());
        return Ok(());
    }
    log::info2_quiet(&format!("{name} network information"));
    let row = |label: &str, value: &str| log::verbose(&format!("{label:<16}{value}"));
    row("ID:", &network.id);
    row("Name:", &network.name);
    row("Driver:", &network.driver);
    row("Scope:", &network.scope);
    row("Dokku managed:", &network.dokku_managed.to_string());
    Ok(())
}

/// `network:list [--format text|json] [--dokku-managed]`; any format but `json` is text.
pub fn list(args: &[String]) -> Result<()> {
    let parsed = LIST.parse(args)?;
    let all = networks::list()?;
    let shown: Vec<&networks::DockerNetwork> = all
        .iter()
        .filter(|n| !parsed.flag("dokku-managed") || n.dokku_managed)
        .collect();
    if parsed.string("format") == "json" {
        log::log(&networks::list_json(&shown));
        return Ok(());
    }
    log::info2_quiet("Networks");
    for network in shown {
        log::log(&network.name);
    }
    Ok(())
}

/// `network:rebuild <app>` (no app check, as upstream: an unknown app is simply not
/// deployed).
pub fn rebuild(args: &[String]) -> Result<()> {
    let parsed = REBUILD.parse(args)?;
    network::build_config(parsed.arg(0))
}

/// `network:rebuildall`.
pub fn rebuildall(args: &[String]) -> Result<()> {
    REBUILDALL.parse(args)?;
    let apps = match app::dokku_apps() {
        Ok(apps) => apps,
        Err(e) if e.message() == app::MSG_NO_APPS => {
            log::warn(e.message());
            return Ok(());
        }
        Err(e) => return Err(e),
    };
    for name in apps {
        network::build_config(&name)?;
    }
    Ok(())
}

/// `network:report [<app>|--global] [--format stdout|json] [--<flag>]`.
pub fn report(args: &[String]) -> Result<()> {
    report::run_subcommand(PLUGIN, args, &crate::report::NetworkReport)
}

/// `network:set <app>|--global <property> [<value>...]`. The attach properties take several
/// networks, stored comma-separated.
pub fn set(args: &[String]) -> Result<()> {
    let parsed = SET.parse(args)?;
    let skip = if parsed.flag("global") { 0 } else { 1 };
    let name = if parsed.flag("global") {
        GLOBAL
    } else {
        parsed.arg(0)
    };
    let key = parsed.arg(skip);
    let values: Vec<&str> = parsed
        .positional
        .iter()
        .skip(skip + 1)
        .map(String::as_str)
        .collect();
    if name != GLOBAL {
        app::verify_app_name(name)?;
    }
    let value = match key {
        "attach-post-create" | "attach-post-deploy" => attach_value(name, key, &values)?,
        _ => values.first().copied().unwrap_or("").to_string(),
    };
    if key == "initial-network" && !value.is_empty() && !network::is_valid_initial_network(&value) {
        return Err(Error::new(format!(
            "Invalid network name specified: {value}"
        )));
    }
    property::command_set(PLUGIN, name, key, &value, PROPERTIES, GLOBAL_PROPERTIES)
}

/// Check the networks given for an attach property and join them with commas.
fn attach_value(app: &str, key: &str, values: &[&str]) -> Result<String> {
    let other = if key == "attach-post-create" {
        "attach-post-deploy"
    } else {
        "attach-post-create"
    };
    for &name in values {
        if name == "host" || name == "bridge" {
            return Err(Error::new(format!(
                "Invalid network name specified for attach: {name}"
            )));
        }
        // One empty value clears the property, as upstream; otherwise every name must be
        // one docker can address (a comma would also break the stored list).
        let clears = name.is_empty() && values.len() == 1;
        if !clears && !network::is_valid_network_name(name) {
            return Err(Error::new(format!(
                "Invalid network name specified for attach: {name}"
            )));
        }
        if !name.is_empty() && network::computed(app, other) == name {
            return Err(Error::new(format!(
                "Network name already associated with this app: {name}"
            )));
        }
    }
    Ok(values.join(","))
}
