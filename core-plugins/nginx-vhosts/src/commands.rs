//! The `nginx:*` subcommands. Each receives the arguments after its command word.

use std::os::unix::process::CommandExt;

use dokku_common::args::nth;
use dokku_common::property::GLOBAL;
use dokku_common::{app, bash_help, log, report, scheduler, trigger, Error, Paths, Result};

use crate::props;
use crate::service;

pub const NAME: &str = "nginx";
pub const DESCRIPTION: &str = "Manage the nginx proxy";
pub const HELP: &[&str] = &[
    "    nginx:access-logs <app> [-t], Show the nginx access logs for an application (-t follows)",
    "    nginx:error-logs <app> [-t], Show the nginx error logs for an application (-t follows)",
    "    nginx:report [<app>] [<flag>], Displays an nginx report for one or more apps",
    "    nginx:set <app> <property> (<value>), Set or clear an nginx property for an app",
    "    nginx:show-config <app>, Display app nginx config",
    "    nginx:reload, Reloads the nginx server config",
    "    nginx:start, Starts the nginx server",
    "    nginx:stop, Stops the nginx server",
    "    nginx:validate-config [<app>] [--clean], Validates and optionally cleans up invalid nginx configurations",
];

/// The bash `verify_app_name`: any failure is `App <app> does not exist`, exit 20.
pub fn verify_app(name: &str) -> Result<()> {
    app::verify_app_name(name).map_err(|_| Error::app_does_not_exist(name))
}

/// `$(plugn trigger <hook> <args…>)` under `set -e`: the output without its trailing
/// newlines; a failing trigger ends the command with its status.
pub fn capture(hook: &str, args: &[&str]) -> Result<String> {
    let out = trigger::Trigger::new(hook).args(args).output()?;
    if out.status != 0 {
        return Err(Error::silent(out.status));
    }
    Ok(String::from_utf8_lossy(&out.stdout)
        .trim_end_matches('\n')
        .to_string())
}

/// `plugn trigger <hook> <args…>` whose status becomes the command's.
fn call(hook: &str, args: &[&str]) -> Result<()> {
    trigger::call_ok(hook, args)
}

/// Schedulers other than docker-local and null keep the proxy themselves.
fn external_scheduler(name: &str) -> Option<String> {
    let scheduler = scheduler::app_scheduler(name);
    (scheduler != "docker-local" && scheduler != "null").then_some(scheduler)
}

/// Bare `dokku nginx`: the usage, as `nginx:help` prints it.
pub fn default(_args: &[String]) -> Result<()> {
    log::write_stdout(&bash_help::usage(NAME, DESCRIPTION, HELP));
    Ok(())
}

/// `nginx:report [<app>|--global] [--format stdout|json] [--<flag>]`.
pub fn report(args: &[String]) -> Result<()> {
    report::run_subcommand("nginx-vhosts", args, &crate::report::NginxReport)
}

/// `nginx:set <app>|--global <property> [<value>]`.
pub fn set(args: &[String]) -> Result<()> {
    let (name, key, value) = (nth(args, 0), nth(args, 1), nth(args, 2));
    if key.is_empty() {
        return Err(log::fail("No key specified"));
    }
    if !props::is_key(key) {
        return Err(log::fail(format!(
            "Invalid key specified, valid keys include: {}",
            props::KEYS.join(", ")
        )));
    }
    // Upstream never checks the app (every key may be global) and writes properties for
    // apps that do not exist; here a non-global target must be an app.
    if name != GLOBAL {
        verify_app(name)?;
    }
    if key == "proxy-keepalive" && !value.is_empty() && !value.bytes().all(|b| b.is_ascii_digit()) {
        return Err(log::fail(
            "Invalid value for proxy-keepalive: must be an integer",
        ));
    }
    let store = props::store();
    if value.is_empty() {
        log::info2_quiet(&format!("Unsetting {key}"));
        store.delete(props::PLUGIN, name, key)
    } else {
        log::info2_quiet(&format!("Setting {key} to {value}"));
        store.set(props::PLUGIN, name, key, value)
    }
}

/// `nginx:show-config <app>` (and `nginx:show-conf`): print the app's `nginx.conf`.
pub fn show_config(args: &[String]) -> Result<()> {
    let name = nth(args, 0);
    verify_app(name)?;
    let proxy_type = capture("proxy-type", &[name])?;
    if let Some(scheduler) = external_scheduler(name) {
        return call("scheduler-proxy-config", &[&scheduler, name, &proxy_type]);
    }
    if proxy_type != "nginx" {
        return Err(log::fail(
            "This command is only available for apps with the nginx proxy type",
        ));
    }
    let conf = Paths::from_env().app_root(name).join("nginx.conf");
    if !conf.is_file() {
        return Err(log::fail(format!("No nginx.conf exists for {name}")));
    }
    let content = std::fs::read(&conf)?;
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(&content);
    let _ = out.flush();
    Ok(())
}

/// `nginx:access-logs <app> [-t]`.
pub fn access_logs(args: &[String]) -> Result<()> {
    verify_app(nth(args, 0))?;
    logs("access", nth(args, 0), nth(args, 1) == "-t")
}

/// `nginx:error-logs <app> [-t]`.
pub fn error_logs(args: &[String]) -> Result<()> {
    verify_app(nth(args, 0))?;
    logs("error", nth(args, 0), nth(args, 1) == "-t")
}

/// `nginx_logs`: the last 20 lines of the app's access or error log, or follow it; other
/// schedulers answer through `scheduler-proxy-logs`.
pub fn logs(kind: &str, name: &str, follow: bool) -> Result<()> {
    let path = props::computed(name, &format!("{kind}-log-path"));
    if path == "off" || path == "/dev/null" {
        return Err(log::fail(format!("{kind} logs are disabled for this app")));
    }
    let proxy_type = capture("proxy-type", &[name])?;
    let num = if follow { "0" } else { "20" };
    if let Some(scheduler) = external_scheduler(name) {
        let follow = if follow { "true" } else { "false" };
        return call(
            "scheduler-proxy-logs",
            &[&scheduler, name, &proxy_type, kind, follow, num],
        );
    }
    // `tail` prints (and fails on) a missing file itself, exactly as upstream shows it.
    let option = if follow {
        "-F".to_string()
    } else {
        format!("-n {num}")
    };
    let err = std::process::Command::new("tail")
        .arg(option)
        .arg(&path)
        .exec();
    Err(Error::with_code(format!("tail: {err}"), 127))
}

/// `nginx:start`: remember the proxy as started, enable and start the service.
pub fn start(_args: &[String]) -> Result<()> {
    props::store().set(props::PLUGIN, GLOBAL, "proxy-status", "started")?;
    service::init_cmd("enable", "")?;
    service::init_cmd("start", "")
}

/// `nginx:stop`: remember the proxy as stopped, stop and disable the service.
pub fn stop(_args: &[String]) -> Result<()> {
    props::store().set(props::PLUGIN, GLOBAL, "proxy-status", "stopped")?;
    service::init_cmd("stop", "")?;
    service::init_cmd("disable", "")
}

/// `nginx:reload`.
pub fn reload(_args: &[String]) -> Result<()> {
    service::reload_checked()
}

/// `nginx:validate-config [<app>] [--clean]` (and `nginx:validate`).
pub fn validate_config(args: &[String]) -> Result<()> {
    service::validate(nth(args, 0), nth(args, 1))
}
