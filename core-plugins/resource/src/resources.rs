//! The resource model: property names, value checks, reading, writing and the report.

use std::collections::BTreeMap;

use dokku_common::property::Store;
use dokku_common::report::{Flag, Options, Reporter};
use dokku_common::{log, Error, Result};

pub const PLUGIN: &str = "resource";
/// The process type that applies to every process without its own value.
pub const DEFAULT_PROCESS_TYPE: &str = "_default_";

/// Every resource, in the order upstream's flags list and the informational output use.
pub const KEYS: &[&str] = &[
    "cpu",
    "memory",
    "memory-swap",
    "network",
    "network-ingress",
    "network-egress",
    "nvidia-gpu",
];

/// `limit` or `reserve`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Limit,
    Reserve,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Limit => "limit",
            Kind::Reserve => "reserve",
        }
    }

    fn noun(self) -> &'static str {
        match self {
            Kind::Limit => "limits",
            Kind::Reserve => "reservation",
        }
    }
}

/// `<proc>.<limit|reserve>.<resource>`.
pub fn property_key(process_type: &str, resource_type: &str, key: &str) -> String {
    format!("{process_type}.{resource_type}.{key}")
}

/// A process type becomes part of a file name: it must be one safe path component.
pub fn check_process_type(process_type: &str) -> Result<()> {
    let bad = process_type == "."
        || process_type == ".."
        || process_type
            .chars()
            .any(|c| c == '/' || c.is_control() || c.is_whitespace());
    if bad {
        return Err(Error::new(format!(
            "Invalid process-type specified: {process_type:?}"
        )));
    }
    Ok(())
}

/// Upstream appends `m` to a memory value without one of these suffixes.
const MEMORY_SUFFIXES: &[&str] = &["b", "k", "m", "g", "KB", "MB", "GB", "B"];

/// The value handed to docker: memory without a unit is in megabytes.
pub fn docker_value(key: &str, value: &str) -> String {
    if key == "memory" && !MEMORY_SUFFIXES.iter().any(|s| value.ends_with(s)) {
        format!("{value}m")
    } else {
        value.to_string()
    }
}

/// Docker's size syntax (`RAMInBytes`): digits, optional `.digits`, then an optional unit
/// letter, `i` and `b`.
fn docker_size(value: &str) -> bool {
    let bytes = value.as_bytes();
    let mut i = 0;
    let digits = |i: &mut usize| {
        let start = *i;
        while *i < bytes.len() && bytes[*i].is_ascii_digit() {
            *i += 1;
        }
        *i > start
    };
    if !digits(&mut i) {
        return false;
    }
    while i < bytes.len() && bytes[i] == b'.' {
        i += 1;
        if !digits(&mut i) {
            return false;
        }
    }
    if i < bytes.len() && b"kKmMgGtTpP".contains(&bytes[i]) {
        i += 1;
    }
    if i < bytes.len() && (bytes[i] == b'i' || bytes[i] == b'I') {
        i += 1;
    }
    if i < bytes.len() && (bytes[i] == b'b' || bytes[i] == b'B') {
        i += 1;
    }
    i == bytes.len()
}

/// A number of CPUs: `2`, `0.5`, `.5`.
fn cpu_count(value: &str) -> bool {
    let (whole, frac) = value.split_once('.').unwrap_or((value, ""));
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let has_point = value.contains('.');
    (!whole.is_empty() || has_point)
        && (!has_point || !frac.is_empty())
        && all_digits(whole)
        && all_digits(frac)
}

/// Reject values that would not survive the trip into docker's argument list: the
/// scheduler splits the trigger output on whitespace and honours quotes and backslashes,
/// so those would smuggle extra arguments in.
pub fn check_value(key: &str, value: &str) -> Result<()> {
    if value.is_empty() || value == "clear" {
        return Ok(());
    }
    if value
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '\'' | '"' | '\\'))
    {
        return Err(Error::new(format!(
            "Invalid {key} value {value:?}: it must not contain whitespace, quotes or backslashes"
        )));
    }
    let ok = match key {
        "cpu" => cpu_count(value),
        "memory" => docker_size(&docker_value(key, value)),
        "memory-swap" => value == "-1" || docker_size(value),
        _ => true,
    };
    if ok {
        return Ok(());
    }
    let expected = match key {
        "cpu" => "a number of cpus such as 0.5 or 2",
        "memory" => "a size such as 512m or 1g (units b, k, m, g, KB, MB, GB)",
        _ => "a size such as 512m or 1g, or -1",
    };
    Err(Error::new(format!(
        "Invalid {key} value {value:?}: expected {expected}"
    )))
}

/// Values given on the command line, in [`KEYS`] order.
pub type Values = Vec<(&'static str, String)>;

/// `resource:limit|reserve` once the app is verified: with no values, show the current
/// ones; otherwise write each value (`clear` deletes it).
pub fn set(app: &str, process_type: &str, values: &Values, kind: Kind) -> Result<()> {
    let process_type = if process_type.is_empty() {
        DEFAULT_PROCESS_TYPE
    } else {
        process_type
    };
    check_process_type(process_type)?;
    for (key, value) in values {
        check_value(key, value)?;
    }
    if values.iter().all(|(_, v)| v.is_empty()) {
        show(app, process_type, kind);
        return Ok(());
    }

    let mut message = format!("Setting resource {} for {app}", kind.noun());
    if process_type != DEFAULT_PROCESS_TYPE {
        message.push_str(&format!(" ({process_type})"));
    }
    log::info2_quiet(&message);

    let store = Store::from_env();
    for (key, value) in values {
        if value.is_empty() {
            continue;
        }
        let property = property_key(process_type, kind.name(), key);
        if value == "clear" {
            log::verbose(&format!("{key}: cleared"));
            store.delete(PLUGIN, app, &property)?;
        } else {
            log::verbose(&format!("{key}: {value}"));
            store.set(PLUGIN, app, &property, value)?;
        }
    }
    Ok(())
}

/// The current values of one process type and kind.
fn show(app: &str, process_type: &str, kind: Kind) {
    let mut message = format!("resource {} {app} information", kind.noun());
    if process_type == DEFAULT_PROCESS_TYPE {
        message.push_str(" [defaults]");
    } else {
        message.push_str(&format!(" ({process_type})"));
    }
    log::info2_quiet(&message);
    let store = Store::from_env();
    for key in KEYS {
        let value = store.get(PLUGIN, app, &property_key(process_type, kind.name(), key));
        log::verbose(&format!("{key}: {value}"));
    }
}

/// `resource:limit-clear|reserve-clear`: without a process type every resource property of
/// the app goes (limits and reservations alike, as upstream); with one, only that process
/// type's values of this kind.
pub fn clear(app: &str, process_type: &str, kind: Kind) -> Result<()> {
    if !process_type.is_empty() {
        check_process_type(process_type)?;
    }
    let mut message = format!("clearing {app} {}", kind.noun());
    if !process_type.is_empty() && process_type != DEFAULT_PROCESS_TYPE {
        message.push_str(&format!(" ({process_type})"));
    }
    log::info2_quiet(&message);

    let store = Store::from_env();
    if process_type.is_empty() {
        // Upstream ignores failures here.
        if let Ok(all) = store.get_all(PLUGIN, app) {
            for key in all.keys() {
                let _ = store.delete(PLUGIN, app, key);
            }
        }
        return Ok(());
    }
    for key in KEYS {
        let _ = store.delete(PLUGIN, app, &property_key(process_type, kind.name(), key));
    }
    Ok(())
}

/// Every stored resource property of an app (or `--global`).
pub fn all(app: &str) -> Result<BTreeMap<String, String>> {
    Store::from_env().get_all(PLUGIN, app)
}

/// The process type's value, else the `_default_` one, else empty.
pub fn get_value(app: &str, process_type: &str, resource_type: &str, key: &str) -> Result<String> {
    let resources = all(app)?;
    if let Some(v) = resources.get(&property_key(process_type, resource_type, key)) {
        return Ok(v.clone());
    }
    Ok(resources
        .get(&property_key(DEFAULT_PROCESS_TYPE, resource_type, key))
        .cloned()
        .unwrap_or_default())
}

/// `resource:report`: one `--resource-<property>` flag per stored property; keys keep their
/// case (the only report that does not capitalise them).
pub struct ResourceReport;

impl Reporter for ResourceReport {
    fn report_type(&self) -> &str {
        PLUGIN
    }

    fn options(&self) -> Options {
        Options {
            trim_prefix: true,
            emit_legacy_prefix: true,
            uppercase_first: false,
        }
    }

    fn flags(&self, app: &str) -> Result<Vec<Flag<'_>>> {
        // Upstream prints nothing at all when the properties cannot be listed.
        let resources = all(app).map_err(|_| Error::silent(0))?;
        Ok(resources
            .into_iter()
            .map(|(key, value)| Flag::new(format!("--resource-{key}"), move |_| value.clone()))
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_suffixes_like_upstream() {
        assert_eq!(docker_value("memory", "512"), "512m");
        assert_eq!(docker_value("memory", "1g"), "1g");
        assert_eq!(docker_value("memory", "1GB"), "1GB");
        assert_eq!(docker_value("memory", "1G"), "1Gm");
        assert_eq!(docker_value("memory-swap", "512"), "512");
        assert_eq!(docker_value("cpu", "2"), "2");
    }

    #[test]
    fn values() {
        for (key, value) in [
            ("cpu", "2"),
            ("cpu", "0.5"),
            ("cpu", ".5"),
            ("memory", "512"),
            ("memory", "1.5g"),
            ("memory", "1gib"),
            ("memory", "100MB"),
            ("memory-swap", "-1"),
            ("memory-swap", "2g"),
            ("memory-swap", "1024"),
            ("nvidia-gpu", "all"),
            ("nvidia-gpu", "device=0,1"),
            ("network", "10mbit"),
            ("memory", "clear"),
        ] {
            assert!(check_value(key, value).is_ok(), "{key}={value}");
        }
        for (key, value) in [
            ("cpu", "two"),
            ("cpu", "1."),
            ("cpu", "."),
            ("cpu", "-1"),
            ("memory", "1G"),
            ("memory", "-1"),
            ("memory", "1gg"),
            ("memory", "abc"),
            ("memory-swap", "x"),
            ("memory", "1g --privileged"),
            ("nvidia-gpu", "all\n--privileged"),
            ("network", "a'b"),
            ("network", "a\\b"),
        ] {
            assert!(check_value(key, value).is_err(), "{key}={value:?}");
        }
    }

    #[test]
    fn process_types() {
        for ok in ["web", "_default_", "worker-1", "web.v2", "build"] {
            assert!(check_process_type(ok).is_ok(), "{ok}");
        }
        for bad in ["..", ".", "a/b", "../x", "a b", "a\nb"] {
            assert!(check_process_type(bad).is_err(), "{bad:?}");
        }
    }
}
