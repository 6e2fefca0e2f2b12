//! `domains-fn <verb> …`: the binary side of the bash `functions` library, one verb per
//! upstream function that touches state. Outputs are what the bash functions print.

use dokku_common::args::nth;
use dokku_common::{app, log, Error, Result};

use crate::commands;
use crate::domains;

fn bool_line(value: bool) {
    log::log(if value { "true" } else { "false" });
}

/// Run `f` for one app, or for every app with `--all` (`fn-domains-enable` and friends).
fn each_app(target: &str, f: impl Fn(&str) -> Result<()>) -> Result<()> {
    if target != "--all" {
        return f(target);
    }
    let apps = match app::dokku_apps() {
        Ok(apps) => apps,
        Err(e) => {
            log::warn(e.message());
            Vec::new()
        }
    };
    apps.iter().try_for_each(|a| f(a))
}

pub fn run(args: &[String]) -> Result<()> {
    let verb = nth(args, 0);
    let rest = args.get(1..).unwrap_or(&[]);
    let target = nth(rest, 0);
    let tail = rest.get(1..).unwrap_or(&[]);
    // `--no-restart` as the second argument, as upstream's functions take it.
    let restart = nth(rest, 1) != "--no-restart";
    match verb {
        "add" => domains::add(target, tail),
        "remove" => domains::remove(target, tail),
        "set" => domains::set(target, tail),
        "setup" => domains::setup(target),
        "enable" => domains::enable(target, restart, false),
        "disable" => domains::disable(target),
        "enable-vhost" => domains::enable_vhost(target, restart),
        "disable-vhost" => domains::disable_vhost(target, restart),
        "fn-enable" => each_app(target, |a| domains::enable(a, true, false)),
        "fn-disable" => each_app(target, domains::disable),
        "fn-clear" => commands::clear_apps(target),
        "clear-app" => domains::clear_app(target),
        "add-global" => domains::add_global(rest),
        "remove-global" => domains::remove_global(rest),
        "set-global" => domains::set_global(rest),
        "clear-global" => domains::clear_global(),
        "app-domains" => {
            let bytes = domains::app_domains(target)?;
            crate::triggers::write_bytes(&bytes);
            Ok(())
        }
        "default-vhosts" => {
            for host in domains::default_vhosts(target) {
                log::log(&host);
            }
            Ok(())
        }
        "app-vhost-enabled" => {
            bool_line(domains::app_vhost_enabled(target));
            Ok(())
        }
        "global-vhost-enabled" => {
            bool_line(domains::global_enabled());
            Ok(())
        }
        _ => Err(Error::new(format!("Invalid domains-fn call: {verb}"))),
    }
}
