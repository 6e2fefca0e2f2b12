//! The triggers the ports plugin implements. Triggers that write check the app name first.
//! They take no app lock: the plugins firing them may hold it.

use dokku_common::args::nth;
use dokku_common::property::{self, Migration, Store};
use dokku_common::{app, log, report, Error, Result};

use crate::portmap;
use crate::state::{self, PLUGIN};

fn checked(args: &[String]) -> Result<&str> {
    let name = nth(args, 0);
    app::check_name(name)?;
    Ok(name)
}

/// `DOKKU_PROXY_PORT_MAP` values are normalised before becoming the `map` list.
fn normalise_port_map(value: &str) -> String {
    portmap::join(&portmap::parse_partial(value).0)
}

/// `install`: the property directory and the migration of `DOKKU_PROXY_PORT_MAP`.
pub fn install(_args: &[String]) -> Result<()> {
    let store = Store::from_env();
    store.setup(PLUGIN).map_err(|e| {
        Error::new(format!(
            "Unable to install the ports plugin: {}",
            e.message()
        ))
    })?;
    store.migrate_config(
        PLUGIN,
        &[Migration {
            config_var: "DOKKU_PROXY_PORT_MAP".to_string(),
            property: state::MAP.to_string(),
            list: true,
            custom_transform: Some(normalise_port_map),
            ..Migration::default()
        }],
    )
}

/// `ports-clear <app>`.
pub fn ports_clear(args: &[String]) -> Result<()> {
    state::clear_ports(checked(args)?)
}

/// `ports-configure <app>`.
pub fn ports_configure(args: &[String]) -> Result<()> {
    state::configure(checked(args)?)
}

/// `ports-get <app> [stdout|json]`: the user's mappings, else the detected ones, one per
/// line or as a JSON array; bare ports dropped, one per `scheme:host-port`.
pub fn ports_get(args: &[String]) -> Result<()> {
    let name = nth(args, 0);
    let format = match nth(args, 1) {
        "" => "stdout",
        f => f,
    };
    if format != "json" && format != "stdout" {
        return Err(Error::new(format!("Invalid format specified: {format}")));
    }
    let mut maps = state::port_maps(name);
    if maps.is_empty() {
        maps = state::detected_port_maps(name);
    }
    maps.retain(|m| !m.is_internal());
    let maps = portmap::unique(&maps);
    if format == "json" {
        log::log(&portmap::to_json(Some(&maps)));
    } else {
        for map in &maps {
            log::log(&map.to_string());
        }
    }
    Ok(())
}

/// `ports-get-available`: a free port above 1024 (nothing when none was found).
pub fn ports_get_available(_args: &[String]) -> Result<()> {
    let port = state::available_port();
    if port > 0 {
        log::log(&port.to_string());
    }
    Ok(())
}

/// `ports-get-property <app> <key>`: the computed proxy ports (0 when unset), or a ports
/// property.
pub fn ports_get_property(args: &[String]) -> Result<()> {
    let (name, key) = (nth(args, 0), nth(args, 1));
    let value = match key {
        "proxy-port" => state::computed_proxy_port(name).to_string(),
        "proxy-ssl-port" => state::computed_proxy_ssl_port(name).to_string(),
        _ => Store::from_env().get(PLUGIN, name, key),
    };
    log::log(&value);
    Ok(())
}

/// `ports-set-detected <app> [<mapping>...]`.
pub fn ports_set_detected(args: &[String]) -> Result<()> {
    let name = checked(args)?;
    state::set_detected(name, &args[1..].join(" "))
}

/// `post-app-clone-setup <old> <new>`.
pub fn post_app_clone_setup(args: &[String]) -> Result<()> {
    property::clone_setup_trigger(PLUGIN, args)
}

/// `post-app-rename-setup <old> <new>`.
pub fn post_app_rename_setup(args: &[String]) -> Result<()> {
    property::rename_setup_trigger(PLUGIN, args)
}

/// `post-certs-remove <app>`.
pub fn post_certs_remove(args: &[String]) -> Result<()> {
    state::certs_removed(checked(args)?)
}

/// `post-certs-update <app>`.
pub fn post_certs_update(args: &[String]) -> Result<()> {
    state::certs_updated(checked(args)?)
}

/// `post-delete <app>`: remove the app's properties; a failure is only a warning.
pub fn post_delete(args: &[String]) -> Result<()> {
    if let Err(e) = Store::from_env().destroy(PLUGIN, nth(args, 0)) {
        log::warn(e.message());
    }
    Ok(())
}

/// `report <app>`.
pub fn report(args: &[String]) -> Result<()> {
    report::report_one(&crate::report::PortsReport, nth(args, 0), "", None)
}
