//! What upstream's `domains/functions` does: app and global domain lists, the default
//! domains derived from the global VHOST file, and the vhost switch (the `NO_VHOST` config
//! variable, read and written through the config plugin's triggers).
//!
//! Output, trigger order and arguments follow upstream; validation always happens before
//! anything is written.

use dokku_common::trigger::{self, Trigger};
use dokku_common::{log, Error, Result};

use crate::hostname;
use crate::vhost::{Lines, Scope};

/// `<d> is invalid. exiting...` for the first domain that is not a valid hostname.
pub fn validate<S: AsRef<str>>(domains: &[S]) -> Result<()> {
    match domains.iter().find(|d| !hostname::is_valid(d.as_ref())) {
        Some(bad) => Err(log::fail(format!(
            "{} is invalid. exiting...",
            bad.as_ref()
        ))),
        None => Ok(()),
    }
}

/// `plugn trigger …`, a failing hook ending the command with its status (`set -e`).
fn fire<S: AsRef<std::ffi::OsStr>>(hook: &str, args: &[S]) -> Result<()> {
    trigger::call_ok(hook, args)
}

/// `post-domains-update <app> <action> [<domains>…]`.
fn post_update<S: AsRef<str>>(app: &str, action: &str, domains: &[S]) -> Result<()> {
    let mut args = vec![app, action];
    args.extend(domains.iter().map(AsRef::as_ref));
    fire("post-domains-update", &args)
}

/// A trigger's stdout with trailing newlines removed, whatever its status (`$(…)` in a
/// `local` assignment).
pub(crate) fn capture(hook: &str, args: &[&str]) -> String {
    let out = Trigger::new(hook)
        .args(args)
        .stdin_null()
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default();
    out.trim_end_matches('\n').to_string()
}

/// `is_app_vhost_enabled`: false only when the app's `NO_VHOST` is `1`.
pub fn app_vhost_enabled(app: &str) -> bool {
    capture("config-get", &[app, "NO_VHOST"]) != "1"
}

/// Set `NO_VHOST` quietly through the config plugin, restarting a deployed app unless
/// `restart` is false (`DOKKU_QUIET_OUTPUT=1 config_set [--no-restart] app NO_VHOST=v`).
fn set_no_vhost(app: &str, value: &str, restart: bool) -> Result<()> {
    let pair = format!("NO_VHOST={value}");
    let mut args = Vec::new();
    if !restart {
        args.push("--no-restart");
    }
    args.extend([app, pair.as_str()]);
    match Trigger::new("config-set")
        .args(&args)
        .env("DOKKU_QUIET_OUTPUT", "1")
        .status()?
    {
        0 => Ok(()),
        status => Err(Error::silent(status)),
    }
}

/// The global VHOST lines as upstream's `while read -r` loops see them: trailing newlines
/// dropped, each line trimmed of spaces and tabs.
pub fn global_lines_read() -> Vec<String> {
    let content = Scope::Global.content();
    let content = content.trim_end_matches('\n');
    if content.is_empty() {
        return Vec::new();
    }
    content
        .split('\n')
        .map(|l| l.trim_matches([' ', '\t']).to_string())
        .collect()
}

/// `is_global_vhost_enabled`: some (trimmed) global line is a valid hostname.
pub fn global_enabled() -> bool {
    global_lines_read().iter().any(|l| hostname::is_valid(l))
}

/// `get_default_vhosts`: for each global domain that is not an IP address, the
/// `nginx-hostname` trigger's answer, else `<app>.<domain>` (just `<app>` when the app name
/// has a dot). Blank lines are skipped.
pub fn default_vhosts(app: &str) -> Vec<String> {
    if !global_enabled() {
        return Vec::new();
    }
    let mut hosts = Vec::new();
    for vhost in global_lines_read() {
        if vhost.is_empty() || hostname::is_ip(&vhost) {
            continue;
        }
        let suffix = format!(".{vhost}");
        let subdomain = app.strip_suffix(suffix.as_str()).unwrap_or(app);
        let mut host = capture("nginx-hostname", &[app, subdomain, &vhost]);
        if host.is_empty() {
            host = if app.contains('.') {
                app.to_string()
            } else {
                format!("{app}.{vhost}")
            };
        }
        hosts.push(host);
    }
    hosts
}

/// `domains_setup`: give an app without a VHOST file its default domains, or turn its vhost
/// support off when there are none.
pub fn setup(app: &str) -> Result<()> {
    let scope = Scope::app(app)?;
    if scope.is_file() {
        return Ok(());
    }
    let defaults = default_vhosts(app);
    if defaults.is_empty() {
        log::info1_quiet("Global server virtual host not set, disabling app vhost...");
        return disable_vhost(app, false);
    }
    log::info1_quiet("Creating new app virtual host file...");
    scope.write_domains(&defaults)
}

/// `domains_add`: append the domains the app does not have yet, turn vhost support on when
/// it was off, then fire `post-domains-update <app> add <domains>`.
pub fn add(app: &str, domains: &[String]) -> Result<()> {
    let scope = Scope::app(app)?;
    validate(domains)?;
    let messages = scope.update(|lines| {
        let mut messages = Vec::new();
        let mut changed = false;
        for domain in domains {
            if lines.contains(domain) {
                messages.push(format!("Skipping: {domain} already added to {app}"));
            } else {
                lines.push(domain);
                changed = true;
                messages.push(format!("Added {domain} to {app}"));
            }
        }
        (changed, messages)
    })?;
    for message in &messages {
        log::info1(message);
    }
    if !app_vhost_enabled(app) {
        enable(app, false, true)?;
    }
    post_update(app, "add", domains)
}

/// `domains_remove`: drop the domains (an absent one is still reported as removed).
pub fn remove(app: &str, domains: &[String]) -> Result<()> {
    let scope = Scope::app(app)?;
    let existed = scope.is_file();
    scope.update(|lines| {
        let mut changed = !existed;
        for domain in domains {
            changed |= lines.remove(domain);
        }
        (changed, ())
    })?;
    for domain in domains {
        log::info1(&format!("Removed {domain} from {app}"));
    }
    post_update(app, "remove", domains)
}

/// `domains_set`: replace the app's domains.
pub fn set(app: &str, domains: &[String]) -> Result<()> {
    let scope = Scope::app(app)?;
    validate(domains)?;
    scope.write_domains(domains)?;
    log::info1(&format!("Set {} for {app}", domains.join(" ")));
    if !app_vhost_enabled(app) {
        enable(app, false, true)?;
    }
    post_update(app, "set", domains)
}

/// `domains_disable` (`domains:disable`): turn vhost support off without a restart.
pub fn disable(app: &str) -> Result<()> {
    let scope = Scope::app(app)?;
    scope.touch()?;
    if app_vhost_enabled(app) {
        disable_vhost(app, false)
    } else {
        log::info1(&format!(
            "Domains (VHOST) support is already disabled for app ({app})"
        ));
        Ok(())
    }
}

/// `domains_enable`: turn vhost support on, writing the default domains when there are
/// some. `keep_domains` (used after `add`/`set` wrote the user's domains) keeps the file
/// as it is instead: upstream overwrote those domains with the defaults.
pub fn enable(app: &str, restart: bool, keep_domains: bool) -> Result<()> {
    let scope = Scope::app(app)?;
    let defaults = if keep_domains {
        Vec::new()
    } else {
        default_vhosts(app)
    };
    scope.touch()?;
    if app_vhost_enabled(app) {
        log::info1(&format!(
            "Domains (VHOST) support is already enabled for app ({app})"
        ));
        return Ok(());
    }
    if !defaults.is_empty() {
        scope.write_domains(&defaults)?;
    }
    enable_vhost(app, restart)
}

/// `disable_app_vhost`: `pre-disable-vhost`, drop the VHOST file, `NO_VHOST=1`; without a
/// restart, `post-domains-update <app> disable` lets the proxy catch up.
pub fn disable_vhost(app: &str, restart: bool) -> Result<()> {
    let scope = Scope::app(app)?;
    fire("pre-disable-vhost", &[app])?;
    if scope.is_file() {
        log::info1("App virtual host support disabled");
        scope.remove()?;
    }
    set_no_vhost(app, "1", restart)?;
    if !restart {
        post_update::<&str>(app, "disable", &[])?;
    }
    Ok(())
}

/// `enable_app_vhost`: `pre-enable-vhost`, `NO_VHOST=0`, and without a restart
/// `post-domains-update <app> enable`.
pub fn enable_vhost(app: &str, restart: bool) -> Result<()> {
    Scope::app(app)?;
    fire("pre-enable-vhost", &[app])?;
    set_no_vhost(app, "0", restart)?;
    if !restart {
        post_update::<&str>(app, "enable", &[])?;
    }
    Ok(())
}

/// `fn-domains-clear-app`.
pub fn clear_app(app: &str) -> Result<()> {
    Scope::app(app)?.remove()?;
    post_update::<&str>(app, "clear", &[])?;
    log::info1(&format!("Cleared domains in {app}"));
    Ok(())
}

/// `get_app_domains`: the VHOST file's bytes when vhost support is on. A name that cannot
/// be an app has none.
pub fn app_domains(app: &str) -> Result<Vec<u8>> {
    let Ok(scope) = Scope::app(app) else {
        return Ok(Vec::new());
    };
    if !app_vhost_enabled(app) {
        return Ok(Vec::new());
    }
    Ok(scope.read()?.map(|l| l.to_bytes()).unwrap_or_default())
}

/// `domains_add_global`.
pub fn add_global(domains: &[String]) -> Result<()> {
    validate(domains)?;
    let existed = Scope::Global.is_file();
    let messages = Scope::Global.update(|lines| {
        let mut messages = Vec::new();
        let mut changed = !existed;
        for domain in domains {
            if lines.contains(domain) {
                messages.push(format!("Skipping {domain}: already added"));
            } else {
                lines.push(domain);
                changed = true;
                messages.push(format!("Added {domain}"));
            }
        }
        (changed, messages)
    })?;
    for message in &messages {
        log::info1(message);
    }
    Ok(())
}

/// `domains_remove_global`.
pub fn remove_global(domains: &[String]) -> Result<()> {
    let existed = Scope::Global.is_file();
    Scope::Global.update(|lines| {
        let mut changed = !existed;
        for domain in domains {
            changed |= lines.remove(domain);
        }
        (changed, ())
    })?;
    for domain in domains {
        log::info1(&format!("Removed {domain}"));
    }
    Ok(())
}

/// `domains_set_global`.
pub fn set_global(domains: &[String]) -> Result<()> {
    validate(domains)?;
    Scope::Global.write_domains(domains)?;
    log::info1(&format!("Set {}", domains.join(" ")));
    Ok(())
}

/// `domains_clear_global`: leave an empty global VHOST file.
pub fn clear_global() -> Result<()> {
    Scope::Global.update(|lines| {
        *lines = Lines::default();
        (true, ())
    })
}
