//! `ports:*` subcommands. Each validates the app and the mappings before anything is
//! written; read-modify-write sequences hold the app's lock, which is released before the
//! `post-proxy-ports-update` trigger runs (its hooks may call dokku on the same app).

use dokku_common::pflag::{Flag, FlagSet};
use dokku_common::{app, lock, log, report, text, Error, Result};

use crate::portmap::{self, PortMap};
use crate::state;

const NO_FLAGS: &[Flag] = &[];

/// Upstream parses every subcommand with a pflag set holding no flags: any `-x`/`--x` is an
/// error with the usage, and only the positional arguments remain.
fn positional(name: &str, args: &[String]) -> Result<Vec<String>> {
    let set = FlagSet {
        name,
        flags: NO_FLAGS,
    };
    Ok(set.parse(args)?.positional)
}

/// The app (first positional argument), verified.
fn verified_app(args: &[String]) -> Result<&str> {
    let name = args.first().map(String::as_str).unwrap_or("");
    app::verify_app_name(name)?;
    Ok(name)
}

/// The mappings given after the app, parsed; none is an error.
fn given_maps(args: &[String]) -> Result<Vec<PortMap>> {
    let given = args.get(1..).unwrap_or(&[]);
    if given.is_empty() {
        return Err(Error::new("No port mapping specified"));
    }
    portmap::parse(&given.join(" ")).map_err(Error::new)
}

/// Tell proxies the mappings changed. A failing hook fails the command with status 1 (its
/// own output has already explained why).
fn ports_updated(app: &str, action: &str) -> Result<()> {
    dokku_common::trigger::fire("post-proxy-ports-update", &[app, action])
}

/// `ports:list <app>`.
pub fn list(args: &[String]) -> Result<()> {
    let args = positional("ports:list", args)?;
    let name = verified_app(&args)?;
    let maps = state::port_maps(name);
    if maps.is_empty() {
        return Err(Error::new("No port mappings configured for app"));
    }
    let mut lines: Vec<String> = Vec::with_capacity(maps.len() + 1);
    if !dokku_common::env::quiet() {
        lines.push("-----> scheme:host port:container port".to_string());
    }
    lines.extend(maps.iter().map(ToString::to_string));
    // Upstream sorts the header together with the rows.
    lines.sort();
    log::info1_quiet(&format!("Port mappings for {name}"));
    log::write_stdout(&format!("{}\n", text::columnize(&lines, ":", "    ")));
    Ok(())
}

/// `ports:add <app> <mapping>...`.
pub fn add(args: &[String]) -> Result<()> {
    let args = positional("ports:add", args)?;
    let name = verified_app(&args)?;
    let maps = given_maps(&args)?;
    portmap::check_reuse(&maps)
        .map_err(|e| Error::new(format!("Error validating new port mappings: {e}")))?;
    {
        let _lock = lock::app_lock(name)?;
        let mut all = state::port_maps(name);
        all.extend_from_slice(&maps);
        portmap::check_reuse(&all)
            .map_err(|e| Error::new(format!("Error validating all port mappings: {e}")))?;
        state::set_port_maps(name, &all)?;
    }
    ports_updated(name, "add")
}

/// `ports:clear <app>`.
pub fn clear(args: &[String]) -> Result<()> {
    let args = positional("ports:clear", args)?;
    let name = verified_app(&args)?;
    {
        let _lock = lock::app_lock(name)?;
        state::clear_ports(name)?;
    }
    ports_updated(name, "clear")
}

/// `ports:remove <app> <mapping|host-port>...`.
pub fn remove(args: &[String]) -> Result<()> {
    let args = positional("ports:remove", args)?;
    let name = verified_app(&args)?;
    let maps = given_maps(&args)?;
    {
        let _lock = lock::app_lock(name)?;
        state::remove_port_maps(name, &maps)?;
    }
    ports_updated(name, "remove")
}

/// `ports:set <app> <mapping>...`.
pub fn set(args: &[String]) -> Result<()> {
    let args = positional("ports:set", args)?;
    let name = verified_app(&args)?;
    let maps = given_maps(&args)?;
    portmap::check_reuse(&maps)
        .map_err(|e| Error::new(format!("Error validating port mappings: {e}")))?;
    {
        let _lock = lock::app_lock(name)?;
        state::set_port_maps(name, &maps)?;
    }
    ports_updated(name, "set")
}

/// `ports:report [<app>|--global] [--format stdout|json] [--<flag>]`.
pub fn report(args: &[String]) -> Result<()> {
    report::run_subcommand("ports", args, &crate::report::PortsReport)
}
