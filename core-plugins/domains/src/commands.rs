//! The `domains:*` subcommands. Each receives the arguments after its command word.

use dokku_common::args::nth;
use dokku_common::{app, bash_help, log, Error, Result};

use crate::domains;

pub const NAME: &str = "domains";
pub const DESCRIPTION: &str = "Manage domains used by the proxy";
pub const HELP: &[&str] = &[
    "    domains:add <app> <domain> [<domain> ...], Add domains to app",
    "    domains:add-global <domain> [<domain> ...], Add global domain names",
    "    domains:clear <app>, Clear all domains for app",
    "    domains:clear-global, Clear global domain names",
    "    domains:disable <app>, Disable VHOST support",
    "    domains:enable <app>, Enable VHOST support",
    "    domains:remove <app> <domain> [<domain> ...], Remove domains from app",
    "    domains:remove-global <domain> [<domain> ...], Remove global domain names",
    "    domains:report [<app>|--global] [<flag>], Displays a domains report for one or more apps",
    "    domains:reset <app>, Reset app domains to global-configured domains",
    "    domains:set <app> <domain> [<domain> ...], Set domains for app",
    "    domains:set-global <domain> [<domain> ...], Set global domain names",
];

/// The bash `verify_app_name`: any failure (bad name, missing app, filtered out by
/// `user-auth-app`) is `App <app> does not exist`, exit 20.
pub fn verify_app(name: &str) -> Result<()> {
    app::verify_app_name(name).map_err(|_| Error::app_does_not_exist(name))
}

/// Upstream's usage error when no domain is given. Its text interpolates the positional
/// arguments as they are, hence the doubled spaces when they are empty.
fn need_domain(args: &[String], app_form: bool) -> Result<()> {
    let missing = if app_form { nth(args, 1) } else { nth(args, 0) };
    if !missing.is_empty() {
        return Ok(());
    }
    let shown = if app_form {
        format!("{} {}", nth(args, 0), nth(args, 1))
    } else {
        nth(args, 0).to_string()
    };
    Err(log::fail(format!(
        "Please specify a domain name. Usage: dokku {shown} <domain> [<domain> ...]"
    )))
}

/// Bare `dokku domains`: the usage, as `domains:help` prints it.
pub fn default(_args: &[String]) -> Result<()> {
    log::write_stdout(&bash_help::usage(NAME, DESCRIPTION, HELP));
    Ok(())
}

pub fn add(args: &[String]) -> Result<()> {
    need_domain(args, true)?;
    verify_app(&args[0])?;
    domains::add(&args[0], &args[1..])
}

pub fn add_global(args: &[String]) -> Result<()> {
    need_domain(args, false)?;
    domains::add_global(args)
}

pub fn remove(args: &[String]) -> Result<()> {
    need_domain(args, true)?;
    verify_app(&args[0])?;
    domains::remove(&args[0], &args[1..])
}

pub fn remove_global(args: &[String]) -> Result<()> {
    need_domain(args, false)?;
    domains::remove_global(args)
}

pub fn set(args: &[String]) -> Result<()> {
    need_domain(args, true)?;
    verify_app(&args[0])?;
    domains::set(&args[0], &args[1..])
}

pub fn set_global(args: &[String]) -> Result<()> {
    need_domain(args, false)?;
    domains::set_global(args)
}

/// `fn-domains-clear`: one app, or every app with `--all`.
pub fn clear_apps(target: &str) -> Result<()> {
    if target != "--all" {
        return domains::clear_app(target);
    }
    // Upstream loops over `$(dokku_apps)`: with no apps the failure is printed and the
    // loop simply has nothing to do.
    let apps = match app::dokku_apps() {
        Ok(apps) => apps,
        Err(e) => {
            log::warn(e.message());
            Vec::new()
        }
    };
    for name in apps {
        domains::clear_app(&name)?;
    }
    Ok(())
}

pub fn clear(args: &[String]) -> Result<()> {
    let target = nth(args, 0);
    if target != "--all" {
        verify_app(target)?;
    }
    clear_apps(target)
}

pub fn clear_global(_args: &[String]) -> Result<()> {
    log::info1_quiet("Clearing global domains");
    domains::clear_global()
}

/// Upstream skips the app check here (it only checks when given `--all`, which then fails)
/// and would touch `$DOKKU_ROOT/VHOST` for an empty name; the app is always checked instead.
pub fn disable(args: &[String]) -> Result<()> {
    let name = nth(args, 0);
    verify_app(name)?;
    domains::disable(name)
}

pub fn enable(args: &[String]) -> Result<()> {
    let name = nth(args, 0);
    verify_app(name)?;
    domains::enable(name, true, false)
}

/// Fire `post-domains-update <app> reset`.
fn post_reset(name: &str) -> Result<()> {
    dokku_common::trigger::call_ok("post-domains-update", &[name, "reset"])
}

pub fn reset(args: &[String]) -> Result<()> {
    let name = nth(args, 0);
    verify_app(name)?;
    clear_apps(name)?;
    domains::setup(name)?;
    post_reset(name)?;
    log::info1_quiet(&format!("Reset domains for {name}"));
    Ok(())
}

pub fn setup(args: &[String]) -> Result<()> {
    let name = nth(args, 0);
    verify_app(name)?;
    domains::setup(name)?;
    post_reset(name)?;
    log::info1_quiet(&format!("Setup domains for {name}"));
    Ok(())
}

pub fn report(args: &[String]) -> Result<()> {
    dokku_common::report::run(NAME, args, &crate::report::DomainsReport)
}
