//! The triggers the proxy plugin implements.

use dokku_common::args::nth;
use dokku_common::property::{self, Migration, Store, Transform};
use dokku_common::{log, report, Error, Result};

use crate::proxy::{self, PLUGIN};

/// `install`: the property directory and the migration of the old `DOKKU_*PROXY*` variables.
pub fn install(_args: &[String]) -> Result<()> {
    let store = Store::from_env();
    store.setup(PLUGIN).map_err(|e| {
        Error::new(format!(
            "Unable to install the proxy plugin: {}",
            e.message()
        ))
    })?;
    let entry = |app_var: &str, global_var: &str, property: &str| Migration {
        config_var: app_var.to_string(),
        global_config_var: global_var.to_string(),
        property: property.to_string(),
        ..Migration::default()
    };
    store.migrate_config(
        PLUGIN,
        &[
            entry("DOKKU_APP_PROXY_TYPE", "DOKKU_PROXY_TYPE", "type"),
            Migration {
                transform: Some(Transform::NonEmptyToTrue),
                ..entry("DOKKU_DISABLE_PROXY", "", "disabled")
            },
            entry("DOKKU_PROXY_PORT", "DOKKU_PROXY_PORT", "proxy-port"),
            entry(
                "DOKKU_PROXY_SSL_PORT",
                "DOKKU_PROXY_SSL_PORT",
                "proxy-ssl-port",
            ),
        ],
    )
}

/// `proxy-is-enabled <app>`: prints `true` or `false`.
pub fn proxy_is_enabled(args: &[String]) -> Result<()> {
    log::log(if proxy::is_enabled(nth(args, 0)) {
        "true"
    } else {
        "false"
    });
    Ok(())
}

/// `proxy-type <app>`: the app's type, else the global one, else `nginx`.
pub fn proxy_type(args: &[String]) -> Result<()> {
    log::log(&proxy::computed_type(nth(args, 0)));
    Ok(())
}

/// `post-app-clone-setup <old> <new>`.
pub fn post_app_clone_setup(args: &[String]) -> Result<()> {
    property::clone_setup_trigger(PLUGIN, args)
}

/// `post-app-rename-setup <old> <new>`.
pub fn post_app_rename_setup(args: &[String]) -> Result<()> {
    property::rename_setup_trigger(PLUGIN, args)
}

/// `post-delete <app>`: remove the app's properties.
pub fn post_delete(args: &[String]) -> Result<()> {
    property::delete_trigger(PLUGIN, args)
}

/// `report <app>`.
pub fn report(args: &[String]) -> Result<()> {
    report::report_one(&crate::report::ProxyReport, nth(args, 0), "", None)
}
