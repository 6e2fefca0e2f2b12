//! The proxy properties (`config/proxy/<app|--global>/…`) and the actions that fire the
//! proxy implementations' triggers.

use dokku_common::property::{Store, GLOBAL};

use dokku_common::{lock, log, Result};

pub const PLUGIN: &str = "proxy";
pub const DEFAULT_TYPE: &str = "nginx";

/// Every property `proxy:set` accepts for an app.
pub const PROPERTIES: &[&str] = &["disabled", "proxy-port", "proxy-ssl-port", "type"];
/// The ones that may also be set with `--global`.
pub const GLOBAL_PROPERTIES: &[&str] = &["proxy-port", "proxy-ssl-port", "type"];

pub fn get(app: &str, property: &str) -> String {
    Store::from_env().get(PLUGIN, app, property)
}

/// The app's value, else the global one.
pub fn computed(app: &str, property: &str) -> String {
    match get(app, property) {
        v if v.is_empty() => get(GLOBAL, property),
        v => v,
    }
}

/// The app's proxy type, else the global one, else `nginx`.
pub fn computed_type(app: &str) -> String {
    match computed(app, "type") {
        t if t.is_empty() => DEFAULT_TYPE.to_string(),
        t => t,
    }
}

/// Enabled unless the `disabled` property is `true`.
pub fn is_enabled(app: &str) -> bool {
    Store::from_env().get_default(PLUGIN, app, "disabled", "false") != "true"
}

/// Fire `hook <arg>` with its output streamed; a failing hook fails with status 1.
fn fire(hook: &str, arg: &str) -> Result<()> {
    dokku_common::trigger::fire(hook, &[arg])
}

/// `proxy-build-config <app>`: every proxy implementation rebuilds its config if selected.
pub fn build_config(app: &str) -> Result<()> {
    fire("proxy-build-config", app)
}

/// `proxy-clear-config <app|--all>`.
pub fn clear_config(app: &str) -> Result<()> {
    fire("proxy-clear-config", app)
}

/// Turn the proxy on: delete `disabled`, then fire `proxy-enable`. The app lock covers only
/// the check and the write.
pub fn enable(app: &str) -> Result<()> {
    {
        let _lock = lock::app_lock(app)?;
        if is_enabled(app) {
            log::info1("Proxy is already enabled for app");
            return Ok(());
        }
        log::info1("Enabling proxy for app");
        Store::from_env().delete(PLUGIN, app, "disabled")?;
    }
    fire("proxy-enable", app)
}

/// Turn the proxy off: `disabled=true`, then fire `proxy-disable`.
pub fn disable(app: &str) -> Result<()> {
    {
        let _lock = lock::app_lock(app)?;
        if !is_enabled(app) {
            // Upstream's wording.
            log::info1("Proxy is already disable for app");
            return Ok(());
        }
        log::info1("Disabling proxy for app");
        Store::from_env().set(PLUGIN, app, "disabled", "true")?;
    }
    fire("proxy-disable", app)
}
