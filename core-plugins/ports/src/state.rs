//! The ports state: the `map` (user) and `map-detected` (builders) list properties, and the
//! proxy ports, which live in the proxy plugin's `proxy-port` / `proxy-ssl-port` properties.

use std::net::TcpListener;

use dokku_common::property::{Store, GLOBAL};
use dokku_common::trigger::{self, Trigger};
use dokku_common::{log, Error, Result};

use crate::portmap::{self, PortMap};

pub const PLUGIN: &str = "ports";
pub const MAP: &str = "map";
pub const MAP_DETECTED: &str = "map-detected";

const PROXY: &str = "proxy";
const PROXY_PORT: &str = "proxy-port";
const PROXY_SSL_PORT: &str = "proxy-ssl-port";

fn store() -> Store {
    Store::from_env()
}

/// A stored list of mappings: `Err` when the file cannot be read, the mappings that parse
/// (up to the first bad entry) otherwise.
fn read_maps(app: &str, property: &str) -> std::result::Result<Vec<PortMap>, ()> {
    store()
        .list_get(PLUGIN, app, property)
        .map(|lines| portmap::parse_lines(&lines))
        .map_err(|_| ())
}

/// The user's mappings (empty when unset or unreadable).
pub fn port_maps(app: &str) -> Vec<PortMap> {
    read_maps(app, MAP).unwrap_or_default()
}

/// The user's mappings as Go marshals them: `null` when none were read, `[]` when the file
/// could not be read.
pub fn port_maps_json(app: &str) -> String {
    match read_maps(app, MAP) {
        Ok(maps) if maps.is_empty() => portmap::to_json(None),
        Ok(maps) => portmap::to_json(Some(&maps)),
        Err(()) => portmap::to_json(Some(&[])),
    }
}

/// Validate and store the user's mappings (sorted, bare ports dropped).
pub fn set_port_maps(app: &str, maps: &[PortMap]) -> Result<()> {
    portmap::check_reuse(maps)
        .map_err(|e| Error::new(format!("Error validating port mappings: {e}")))?;
    store().list_write(PLUGIN, app, MAP, &portmap::to_sorted_lines(maps))
}

/// Append to the user's mappings.
pub fn add_port_maps(app: &str, maps: &[PortMap]) -> Result<()> {
    let mut all = port_maps(app);
    all.extend_from_slice(maps);
    set_port_maps(app, &all)
}

/// Remove mappings; a bare port removes every mapping on that host port. Nothing left
/// deletes the property.
pub fn remove_port_maps(app: &str, maps: &[PortMap]) -> Result<()> {
    let exact: Vec<String> = maps
        .iter()
        .filter(|m| !m.is_internal())
        .map(ToString::to_string)
        .collect();
    let by_port: Vec<i64> = maps
        .iter()
        .filter(|m| m.is_internal())
        .map(|m| m.host_port)
        .collect();
    let keep: Vec<PortMap> = port_maps(app)
        .into_iter()
        .filter(|m| !exact.contains(&m.to_string()) && !by_port.contains(&m.host_port))
        .collect();
    if keep.is_empty() {
        return store().delete(PLUGIN, app, MAP);
    }
    set_port_maps(app, &keep)
}

/// `ports:clear` and `ports-clear`: forget both the user's and the detected mappings.
pub fn clear_ports(app: &str) -> Result<()> {
    store().delete(PLUGIN, app, MAP)?;
    store().delete(PLUGIN, app, MAP_DETECTED)
}

/// Store what a builder detected: unique per `scheme:host-port`, sorted, bare ports dropped.
/// Invalid entries end the list silently, as upstream.
pub fn set_detected(app: &str, input: &str) -> Result<()> {
    let (maps, _) = portmap::parse_partial(input);
    let lines = portmap::to_sorted_lines(&portmap::unique(&maps));
    store().list_write(PLUGIN, app, MAP_DETECTED, &lines)
}

/// The mappings builders detected, else `http:<proxy-port or 80>:5000`; when the app has a
/// certificate, an `https:<ssl-port or 443>` copy of each `http:80` mapping, or (with none)
/// every `http` mapping turned into `https`.
pub fn detected_port_maps(app: &str) -> Vec<PortMap> {
    let mut maps = read_maps(app, MAP_DETECTED).unwrap_or_default();
    if maps.is_empty() {
        let base = match computed_proxy_port(app) {
            0 => 80,
            port => port,
        };
        maps = vec![PortMap::new("http", base, 5000)];
    }
    if !cert_exists(app) {
        return maps;
    }
    let ssl = match computed_proxy_ssl_port(app) {
        0 => 443,
        port => port,
    };
    let copies: Vec<PortMap> = maps
        .iter()
        .filter(|m| m.scheme == "http" && m.host_port == 80)
        .map(|m| PortMap::new("https", ssl, m.container_port))
        .collect();
    if copies.is_empty() {
        for map in maps.iter_mut().filter(|m| m.scheme == "http") {
            map.scheme = "https".to_string();
        }
    } else {
        maps.extend(copies);
    }
    maps
}

/// `certs-exists` or `certs-force` prints `true`.
fn cert_exists(app: &str) -> bool {
    trigger::capture_lenient("certs-exists", &[app]) == "true"
        || trigger::capture_lenient("certs-force", &[app]) == "true"
}

/// `domains-vhost-enabled <app>` exits 0 (its output streams through).
fn vhost_enabled(app: &str) -> bool {
    matches!(
        Trigger::new("domains-vhost-enabled").arg(app).go_stdin().status(),
        Ok(0)
    )
}

/// A property holding a port; anything but an integer counts as unset (0).
fn port_property(app: &str, property: &str) -> i64 {
    portmap::atoi(&store().get(PROXY, app, property)).unwrap_or(0)
}

/// The app's proxy port, else the global one, else 0.
pub fn computed_proxy_port(app: &str) -> i64 {
    match port_property(app, PROXY_PORT) {
        0 => port_property(GLOBAL, PROXY_PORT),
        port => port,
    }
}

/// The app's proxy SSL port, else the global one, else 0.
pub fn computed_proxy_ssl_port(app: &str) -> i64 {
    match port_property(app, PROXY_SSL_PORT) {
        0 => port_property(GLOBAL, PROXY_SSL_PORT),
        port => port,
    }
}

/// A free TCP port above 1024 on localhost, or 0. Ports outside the range are held open
/// while looking further, so the next try gets another one.
pub fn available_port() -> u16 {
    let mut held = Vec::new();
    loop {
        let Ok(listener) = TcpListener::bind(("127.0.0.1", 0)) else {
            return 0;
        };
        let Ok(port) = listener.local_addr().map(|a| a.port()) else {
            return 0;
        };
        if port >= 1025 {
            return port;
        }
        held.push(listener);
    }
}

/// `ports-configure`: make sure the app has a proxy port, and an SSL port when it has a
/// certificate. With vhosts the global port (or 80/443) is used, else a random free one.
pub fn configure(app: &str) -> Result<()> {
    if port_property(app, PROXY_PORT) == 0 {
        let mut port = if vhost_enabled(app) {
            port_property(GLOBAL, PROXY_PORT)
        } else {
            log::info1("No port set, setting to random open high port");
            let port = i64::from(available_port());
            log::info1(&format!("Random port {port}"));
            port
        };
        if port == 0 {
            port = 80;
        }
        store().set(PROXY, app, PROXY_PORT, &port.to_string())?;
    }
    if port_property(app, PROXY_SSL_PORT) != 0 || !cert_exists(app) {
        return Ok(());
    }
    let mut port = match port_property(GLOBAL, PROXY_SSL_PORT) {
        0 => 443,
        port => port,
    };
    if !vhost_enabled(app) {
        log::info1("No ssl port set, setting to random open high port");
        port = i64::from(available_port());
    }
    store().set(PROXY, app, PROXY_SSL_PORT, &port.to_string())
}

/// `post-certs-update`: drop the default 80/443 proxy ports and, unless an `https:443`
/// mapping exists, add one for each `http:80` mapping.
pub fn certs_updated(app: &str) -> Result<()> {
    let s = store();
    if s.get(PROXY, app, PROXY_PORT) == "80" {
        let _ = s.delete(PROXY, app, PROXY_PORT);
    }
    if s.get(PROXY, app, PROXY_SSL_PORT) == "443" {
        let _ = s.delete(PROXY, app, PROXY_SSL_PORT);
    }
    let maps = port_maps(app);
    if maps
        .iter()
        .any(|m| m.scheme == "https" && m.host_port == 443)
    {
        return Ok(());
    }
    let http80: Vec<PortMap> = maps
        .into_iter()
        .filter(|m| m.scheme == "http" && m.host_port == 80)
        .collect();
    let added: Vec<PortMap> = portmap::unique(&http80)
        .iter()
        .map(|m| PortMap::new("https", 443, m.container_port))
        .collect();
    if added.is_empty() {
        return Ok(());
    }
    add_port_maps(app, &added)
}

/// `post-certs-remove`: drop the SSL proxy port and the `https:443` mappings.
pub fn certs_removed(app: &str) -> Result<()> {
    store().delete(PROXY, app, PROXY_SSL_PORT)?;
    let https: Vec<PortMap> = port_maps(app)
        .into_iter()
        .filter(|m| m.scheme == "https" && m.host_port == 443)
        .collect();
    remove_port_maps(app, &https)
}
