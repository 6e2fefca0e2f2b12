//! Network properties, their computed values, the per-container `IP.*`/`PORT.*` files and the
//! listeners built from them (upstream's `network.go` and `report.go`).

use std::net::IpAddr;
use std::path::{Path, PathBuf};

use dokku_common::property::{Store, GLOBAL};
use dokku_common::{app, docker, log, scheduler, trigger, Error, Paths, Result};

pub const PLUGIN: &str = "network";

/// Every property `network:set` accepts for an app.
pub const PROPERTIES: &[&str] = &[
    "attach-post-create",
    "attach-post-deploy",
    "bind-all-interfaces",
    "initial-network",
    "static-web-listener",
    "tld",
];

/// The properties that may also be set with `--global`.
pub const GLOBAL_PROPERTIES: &[&str] = &[
    "attach-post-create",
    "attach-post-deploy",
    "bind-all-interfaces",
    "initial-network",
    "tld",
];

pub fn get(app: &str, property: &str) -> String {
    Store::from_env().get(PLUGIN, app, property)
}

pub fn global(property: &str) -> String {
    get(GLOBAL, property)
}

/// The app value, else the global one (neither has a built-in default but
/// `bind-all-interfaces`, see [`computed_bind_all_interfaces`]).
pub fn computed(app: &str, property: &str) -> String {
    match get(app, property) {
        v if v.is_empty() => global(property),
        v => v,
    }
}

pub fn computed_bind_all_interfaces(app: &str) -> String {
    match computed(app, "bind-all-interfaces") {
        v if v.is_empty() => "false".to_string(),
        v => v,
    }
}

pub fn static_web_listener(app: &str) -> String {
    get(app, "static-web-listener")
}

/// Docker's own rule for object names (`[a-zA-Z0-9][a-zA-Z0-9_.-]*`). Docker accepts nearly
/// any network name, but names outside this set cannot be addressed reliably through its
/// API (`a/b`, `..`) or would be read as flags or split as several words by the deploy.
pub fn is_valid_network_name(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphanumeric())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
}

/// `initial-network` also takes docker's `container:<name|id>` network mode.
pub fn is_valid_initial_network(name: &str) -> bool {
    match name.strip_prefix("container:") {
        Some(rest) => is_valid_network_name(rest),
        None => is_valid_network_name(name),
    }
}

fn app_root(app: &str) -> PathBuf {
    Paths::from_env().app_root(app)
}

/// Go's `ReadFirstLine`: the first non-blank line, trimmed; `""` when unreadable.
pub fn read_first_line(path: &Path) -> String {
    std::fs::read(path)
        .map(|b| {
            String::from_utf8_lossy(&b)
                .lines()
                .map(str::trim)
                .find(|l| !l.is_empty())
                .unwrap_or("")
                .to_string()
        })
        .unwrap_or_default()
}

/// Names in `dir` starting with `prefix`, sorted (what `filepath.Glob(dir/prefix*)` gives).
fn files_with_prefix(dir: &Path, prefix: &str) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .filter_map(|e| e.file_name().into_string().ok())
                .filter(|n| n.starts_with(prefix))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

/// `ip:port` for every `IP.<proc>.*` file (port from the matching `PORT.*` file, default
/// 5000), or the static listener for `web` when one is set.
pub fn listeners(app: &str, process_type: &str) -> Vec<String> {
    if process_type == "web" {
        let listener = static_web_listener(app);
        if !listener.is_empty() {
            return vec![listener];
        }
    }
    if app::check_name(app).is_err() || process_type.contains('/') {
        return Vec::new();
    }
    let root = app_root(app);
    let ip_prefix = format!("IP.{process_type}.");
    files_with_prefix(&root, &ip_prefix)
        .into_iter()
        .map(|name| {
            let suffix = &name[ip_prefix.len()..];
            let ip = read_first_line(&root.join(&name));
            let port = match read_first_line(&root.join(format!("PORT.{process_type}.{suffix}"))) {
                p if p.is_empty() => "5000".to_string(),
                p => p,
            };
            format!("{ip}:{port}")
        })
        .collect()
}

/// Whether `IP.web.1` and `PORT.web.1` exist, or a static web listener is set.
pub fn has_network_config(app: &str) -> bool {
    if app::check_name(app).is_ok() {
        let root = app_root(app);
        if root.join("IP.web.1").exists() && root.join("PORT.web.1").exists() {
            return true;
        }
    }
    !static_web_listener(app).is_empty()
}

/// Remove every `IP.*` and `PORT.*` file of an app (stale after a clone or rename). Each
/// failure is warned about; the result says whether all went.
pub fn clear_network_config(app: &str) -> bool {
    let root = app_root(app);
    let mut success = true;
    for prefix in ["IP.", "PORT."] {
        for name in files_with_prefix(&root, prefix) {
            let path = root.join(&name);
            if std::fs::remove_file(&path).is_err() {
                log::warn(&format!("Unable to remove file {}", path.display()));
                success = false;
            }
        }
    }
    success
}

/// Go's `net.SplitHostPort`, keeping only the host.
fn split_host(listener: &str) -> Option<&str> {
    let colon = listener.rfind(':')?;
    let (host, port) = (&listener[..colon], &listener[colon + 1..]);
    if port.contains(['[', ']']) {
        return None;
    }
    if let Some(rest) = host.strip_prefix('[') {
        let inner = rest.strip_suffix(']')?;
        if inner.contains(['[', ']']) {
            return None;
        }
        return Some(inner);
    }
    if host.contains([':', '[', ']']) {
        return None;
    }
    Some(host)
}

/// Go's `net.ParseIP(s).String()`, or `None` when `s` is no IP address.
fn canonical_ip(s: &str) -> Option<String> {
    match s.parse::<IpAddr>().ok()? {
        IpAddr::V4(v4) => Some(v4.to_string()),
        IpAddr::V6(v6) => Some(match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => v6.to_string(),
        }),
    }
}

/// The address a container is reachable on: the static listener's host for `web`, loopback
/// under host networking, else its address on the initial network (default `bridge`).
pub fn container_ip(app: &str, process_type: &str, container_id: &str) -> String {
    if process_type == "web" {
        let listener = static_web_listener(app);
        if !listener.is_empty() {
            if let Some(host) = split_host(&listener) {
                return host.to_string();
            }
            return canonical_ip(&listener).unwrap_or_else(|| "127.0.0.1".to_string());
        }
    }
    if matches!(docker::inspect(container_id, "{{ .HostConfig.NetworkMode }}"), Ok(m) if m == "host")
    {
        return "127.0.0.1".to_string();
    }
    let network = match computed(app, "initial-network") {
        n if n.is_empty() => "bridge".to_string(),
        n => n,
    };
    let format = format!(
        "{{{{ $network := index .NetworkSettings.Networks \"{network}\" }}}}{{{{ $network.IPAddress}}}}"
    );
    match docker::inspect(container_id, &format) {
        Ok(ip) if !ip.is_empty() => ip,
        // Docker before 1.9 only had the top-level address.
        _ => docker::inspect(container_id, "{{ .NetworkSettings.IPAddress }}").unwrap_or_default(),
    }
}

/// Go's `ParseScaleOutput`: `proc=count` lines; any other line is an error.
fn parse_scale(output: &str) -> Result<Vec<(String, i32)>> {
    let mut scale = Vec::new();
    for line in output.split('\n') {
        let Some((process_type, count)) = line.split_once('=') else {
            return Err(Error::new(format!(
                "invalid scale output stored by dokku: {line}"
            )));
        };
        let count: i32 = count.parse().map_err(|_| {
            Error::new(format!(
                "strconv.ParseInt: parsing {}: invalid syntax",
                dokku_common::text::go_quote(count)
            ))
        })?;
        scale.push((process_type.to_string(), count));
    }
    Ok(scale)
}

/// Refresh the `IP.<proc>.<n>` files of a deployed docker-local app from its running
/// containers (`network:rebuild`, `network-build-config`).
pub fn build_config(app: &str) -> Result<()> {
    if !scheduler::is_deployed(app) || !static_web_listener(app).is_empty() {
        return Ok(());
    }
    let out = trigger::Trigger::new("ps-current-scale")
        .arg(app)
        .stdin_null()
        .output()?;
    if out.status != 0 {
        return Err(Error::silent(1));
    }
    let scale = parse_scale(&out.trimmed())?;
    if scale.is_empty() || scheduler::app_scheduler(app) != "docker-local" {
        return Ok(());
    }
    app::check_name(app)?;
    log::info1(&format!(
        "Ensuring network configuration is in sync for {app}"
    ));
    let root = app_root(app);
    for (process_type, count) in scale {
        if process_type.contains('/') {
            continue;
        }
        for index in 1..=count.max(0) {
            let cid = read_first_line(&root.join(format!("CONTAINER.{process_type}.{index}")));
            if cid.is_empty() || !docker::container_is_running(&cid) {
                continue;
            }
            let ip = container_ip(app, &process_type, &cid);
            if ip.is_empty() {
                continue;
            }
            let index = index.to_string();
            let result = trigger::Trigger::new("network-write-ipaddr")
                .args(&[app, process_type.as_str(), index.as_str(), ip.as_str()])
                .stdin_null()
                .output();
            // A failing hook has already printed its reason on stderr.
            if let Err(e) = result {
                log::warn(e.message());
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        for ok in ["a", "net-1", "my_net.v2", "A9"] {
            assert!(is_valid_network_name(ok), "{ok}");
        }
        for bad in ["", "-x", ".x", "_x", "a b", "a/b", "a,b", "a:b", "é", "a;b"] {
            assert!(!is_valid_network_name(bad), "{bad}");
        }
        assert!(is_valid_initial_network("container:web.1"));
        assert!(!is_valid_initial_network("container:"));
        assert!(!is_valid_initial_network("--privileged"));
    }

    #[test]
    fn host_splitting() {
        assert_eq!(split_host("1.2.3.4:80"), Some("1.2.3.4"));
        assert_eq!(split_host("[::1]:80"), Some("::1"));
        assert_eq!(split_host("host:"), Some("host"));
        assert_eq!(split_host(":80"), Some(""));
        assert_eq!(split_host("1.2.3.4"), None);
        assert_eq!(split_host("a:b:c"), None);
        assert_eq!(canonical_ip("::ffff:1.2.3.4").as_deref(), Some("1.2.3.4"));
        assert_eq!(
            canonical_ip("2001:db8:0:0::1").as_deref(),
            Some("2001:db8::1")
        );
        assert_eq!(canonical_ip("nope"), None);
    }

    #[test]
    fn scale_output() {
        assert_eq!(
            parse_scale("web=2\nworker=0").unwrap(),
            vec![("web".to_string(), 2), ("worker".to_string(), 0)]
        );
        assert_eq!(
            parse_scale("").unwrap_err().message(),
            "invalid scale output stored by dokku: "
        );
    }
}
