//! The triggers the checks plugin implements.

use dokku_common::args::nth;
use dokku_common::property::{self, Migration, Store, GLOBAL};
use dokku_common::trigger::{self, Trigger};
use dokku_common::{app, log, Error, Result};

use crate::checks::{self, ALL, PLUGIN};

/// `checks-get-property <app> wait-to-retire`: the computed value; any other key fails
/// silently.
pub fn checks_get_property(args: &[String]) -> Result<()> {
    if nth(args, 1) == "wait-to-retire" {
        log::log(&checks::computed_wait_to_retire(nth(args, 0)));
        return Ok(());
    }
    Err(Error::silent(1))
}

fn config_get(app: &str, key: &str) -> String {
    if app == GLOBAL {
        trigger::capture_lenient("config-get-global", &[key])
    } else {
        trigger::capture_lenient("config-get", &[app, key])
    }
}

/// `DOKKU_QUIET_OUTPUT=1 config_unset [--no-restart] <app>|--global <keys…>`.
fn config_unset(app: &str, keys: &[&str]) {
    for key in keys {
        let unset = if app == GLOBAL {
            Trigger::new("config-unset").arg(GLOBAL).arg(key)
        } else {
            Trigger::new("config-unset").arg(app).arg(key)
        };
        let _ = unset.env("DOKKU_QUIET_OUTPUT", "1").stdin_null().output();
    }
}

/// The 0.5.x `DOKKU_SKIP_ALL_CHECKS` / `DOKKU_SKIP_DEFAULT_CHECKS` variables (app or
/// global `true`) become `disabled` / `skipped` = `_all_` for every app.
fn migrate_0_5_0(store: &Store, apps: &[String]) -> Result<()> {
    let global_all = config_get(GLOBAL, "DOKKU_SKIP_ALL_CHECKS");
    let global_default = config_get(GLOBAL, "DOKKU_SKIP_DEFAULT_CHECKS");
    for name in apps {
        let app_all = config_get(name, "DOKKU_SKIP_ALL_CHECKS");
        let app_default = config_get(name, "DOKKU_SKIP_DEFAULT_CHECKS");
        if app_all == "true" || global_all == "true" {
            log::info1(&format!("Migrating DOKKU_SKIP_ALL_CHECKS to checks disabled property for {name}. Use 'dokku checks:set {name} disabled <value>' to manage this going forward."));
            store.set(PLUGIN, name, "disabled", ALL)?;
        }
        if app_default == "true" || global_default == "true" {
            log::info1(&format!("Migrating DOKKU_SKIP_DEFAULT_CHECKS to checks skipped property for {name}. Use 'dokku checks:set {name} skipped <value>' to manage this going forward."));
            store.set(PLUGIN, name, "skipped", ALL)?;
        }
        if !app_all.is_empty() || !app_default.is_empty() {
            config_unset(
                name,
                &["DOKKU_SKIP_ALL_CHECKS", "DOKKU_SKIP_DEFAULT_CHECKS"],
            );
        }
    }
    if !global_all.is_empty() || !global_default.is_empty() {
        config_unset(
            GLOBAL,
            &["DOKKU_SKIP_ALL_CHECKS", "DOKKU_SKIP_DEFAULT_CHECKS"],
        );
    }
    Ok(())
}

/// The 0.6.x `DOKKU_CHECKS_ENABLED=0` becomes `skipped` = `_all_`; the variable goes.
fn migrate_0_6_0(store: &Store, apps: &[String]) -> Result<()> {
    for name in apps {
        let enabled = config_get(name, "DOKKU_CHECKS_ENABLED");
        if enabled.is_empty() {
            continue;
        }
        if enabled == "0" {
            log::info1(&format!("Migrating DOKKU_CHECKS_ENABLED to checks skipped property for {name}. Use 'dokku checks:set {name} skipped <value>' to manage this going forward."));
            store.set(PLUGIN, name, "skipped", ALL)?;
        }
        config_unset(name, &["DOKKU_CHECKS_ENABLED"]);
    }
    Ok(())
}

/// `install`: the property directory, the pre-0.38 ENV files drained (this plugin installs
/// before config), then every legacy variable moved into its property.
pub fn install(_args: &[String]) -> Result<()> {
    let store = Store::from_env();
    store.setup(PLUGIN)?;
    let status = Trigger::new("config-migrate-env").stdin_null().status()?;
    if status != 0 {
        return Err(Error::silent(status));
    }
    let apps = app::unfiltered_apps().unwrap_or_default();
    migrate_0_5_0(&store, &apps)?;
    migrate_0_6_0(&store, &apps)?;
    let entry = |property: &str, app_var: &str, global_var: &str| Migration {
        config_var: app_var.to_string(),
        global_config_var: global_var.to_string(),
        property: property.to_string(),
        ..Migration::default()
    };
    store.migrate_config(
        PLUGIN,
        &[
            entry(
                "wait-to-retire",
                "DOKKU_WAIT_TO_RETIRE",
                "DOKKU_WAIT_TO_RETIRE",
            ),
            entry("disabled", "DOKKU_CHECKS_DISABLED", ""),
            entry("skipped", "DOKKU_CHECKS_SKIPPED", ""),
            entry("wait", "DOKKU_CHECKS_WAIT", "DOKKU_CHECKS_WAIT"),
            entry("timeout", "DOKKU_CHECKS_TIMEOUT", "DOKKU_CHECKS_TIMEOUT"),
            entry("attempts", "DOKKU_CHECKS_ATTEMPTS", "DOKKU_CHECKS_ATTEMPTS"),
            entry(
                "default-wait",
                "DOKKU_DEFAULT_CHECKS_WAIT",
                "DOKKU_DEFAULT_CHECKS_WAIT",
            ),
        ],
    )
}

/// `post-delete <app>`: remove the app's properties.
pub fn post_delete(args: &[String]) -> Result<()> {
    property::delete_trigger(PLUGIN, args)
}

/// `post-app-clone-setup <old> <new>`: copy the properties (upstream loses them).
pub fn post_app_clone_setup(args: &[String]) -> Result<()> {
    property::clone_setup_trigger(PLUGIN, args)
}

/// `post-app-rename-setup <old> <new>`: move the properties (upstream leaves them behind).
pub fn post_app_rename_setup(args: &[String]) -> Result<()> {
    property::rename_setup_trigger(PLUGIN, args)
}
