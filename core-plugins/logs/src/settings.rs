//! The logs properties (`config/logs/<app|--global>/<property>`), their defaults and the
//! checks `logs:set` runs on values before anything is written.

use dokku_common::property::{Store, GLOBAL};
use dokku_common::text::go_quote;
use dokku_common::{docker, Error, Result};

pub const PLUGIN: &str = "logs";
/// The default `max-size` of docker's local log files.
pub const MAX_SIZE: &str = "10m";
/// The label every dokku container carries its app name under.
pub const APP_LABEL_ALIAS: &str = "com.dokku.app-name";
/// The vector image upstream 0.38.27 pins.
pub const DEFAULT_VECTOR_IMAGE: &str = "timberio/vector:0.57.0-debian";

/// Properties valid per app.
pub const PROPERTIES: &[&str] = &[
    "app-label-alias",
    "max-size",
    "vector-cron-sink",
    "vector-sink",
];
/// Properties valid with `--global` (also valid per app as far as `logs:set` is concerned).
pub const GLOBAL_PROPERTIES: &[&str] = &[
    "app-label-alias",
    "max-size",
    "vector-cron-sink",
    "vector-image",
    "vector-networks",
    "vector-sink",
];
/// Properties whose change rewrites the vector config.
pub const VECTOR_PROPERTIES: &[&str] = &["app-label-alias", "vector-cron-sink", "vector-sink"];

pub fn get(app: &str, property: &str) -> String {
    Store::from_env().get(PLUGIN, app, property)
}

/// App value, else global value, else `default`.
pub fn computed(app: &str, property: &str, default: &str) -> String {
    match get(app, property) {
        v if v.is_empty() => match get(GLOBAL, property) {
            g if g.is_empty() => default.to_string(),
            g => g,
        },
        v => v,
    }
}

pub fn computed_max_size(app: &str) -> String {
    computed(app, "max-size", MAX_SIZE)
}

pub fn computed_app_label_alias(app: &str) -> String {
    computed(app, "app-label-alias", APP_LABEL_ALIAS)
}

/// The global `vector-image`, else the pinned image (an empty file counts as set).
pub fn computed_vector_image() -> String {
    Store::from_env().get_default(PLUGIN, GLOBAL, "vector-image", DEFAULT_VECTOR_IMAGE)
}

/// `^[A-Za-z0-9][A-Za-z0-9_.-]*$`.
fn valid_label_key(value: &str) -> bool {
    let mut chars = value.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
}

/// Go's `strconv.Atoi` failure text, or `None` when `s` is an integer.
fn atoi_error(s: &str) -> Option<String> {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Some(format!(
            "strconv.Atoi: parsing {}: invalid syntax",
            go_quote(s)
        ));
    }
    if s.parse::<i64>().is_err() {
        return Some(format!(
            "strconv.Atoi: parsing {}: value out of range",
            go_quote(s)
        ));
    }
    None
}

fn validate_max_size(value: &str) -> Result<()> {
    if value.is_empty() || value == "unlimited" {
        return Ok(());
    }
    let bytes = value.as_bytes();
    if !matches!(bytes[bytes.len() - 1], b'k' | b'm' | b'g') {
        return Err(Error::new(
            "Invalid max-size unit measure, value must end in any of [k, m, g]",
        ));
    }
    if bytes.len() < 2 {
        return Err(Error::new(
            "Invalid max-size value, must be a number followed by a unit of measure [k, m, g]",
        ));
    }
    if let Some(e) = atoi_error(&value[..value.len() - 1]) {
        return Err(Error::new(format!(
            "Invalid max-size value, unable to convert number to int: {e}"
        )));
    }
    Ok(())
}

fn validate_vector_networks(app: &str, value: &str) -> Result<()> {
    if app != GLOBAL {
        return Err(Error::new(
            "vector-networks may only be set globally with --global",
        ));
    }
    if value.is_empty() {
        return Ok(());
    }
    for name in value.split(',') {
        let name = name.trim();
        if name.is_empty() {
            return Err(Error::new(
                "Invalid vector-networks value, empty entry in comma-separated list",
            ));
        }
        if name == "bridge" {
            return Err(Error::new(
                "Invalid vector-networks value, \"bridge\" is not a valid entry for vector-networks",
            ));
        }
        let exists = docker::run(&["network", "inspect", name]).is_ok_and(|o| o.success());
        if !exists {
            return Err(Error::new(format!(
                "Network {} does not exist",
                go_quote(name)
            )));
        }
    }
    Ok(())
}

/// Upstream's `validateSetValue`, run before the app is even checked.
pub fn validate(app: &str, key: &str, value: &str) -> Result<()> {
    match key {
        "app-label-alias" if !value.is_empty() && !valid_label_key(value) => Err(Error::new(
            "Invalid app-label-alias value, must start with a letter or number and contain only letters, numbers, and any of [_, ., -]",
        )),
        "max-size" => validate_max_size(value),
        "vector-image" if app != GLOBAL => Err(Error::new(
            "vector-image may only be set globally with --global",
        )),
        "vector-networks" => validate_vector_networks(app, value),
        "vector-sink" | "vector-cron-sink" if !value.is_empty() => {
            crate::sink::to_config(value, &[])
                .map(|_| ())
                .map_err(crate::sink::SinkError::into_error)
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn max_sizes() {
        for ok in ["", "unlimited", "10m", "1k", "-5g", "+3m"] {
            assert!(validate_max_size(ok).is_ok(), "{ok}");
        }
        let e = |v: &str| validate_max_size(v).unwrap_err().message().to_string();
        assert_eq!(
            e("10"),
            "Invalid max-size unit measure, value must end in any of [k, m, g]"
        );
        assert_eq!(
            e("m"),
            "Invalid max-size value, must be a number followed by a unit of measure [k, m, g]"
        );
        assert_eq!(e("xm"), "Invalid max-size value, unable to convert number to int: strconv.Atoi: parsing \"x\": invalid syntax");
        assert_eq!(e("99999999999999999999m"), "Invalid max-size value, unable to convert number to int: strconv.Atoi: parsing \"99999999999999999999\": value out of range");
        assert_eq!(
            e("10é"),
            "Invalid max-size unit measure, value must end in any of [k, m, g]"
        );
    }

    #[test]
    fn label_keys() {
        assert!(valid_label_key("app_name"));
        assert!(valid_label_key("com.example.app-name"));
        assert!(!valid_label_key("-x"));
        assert!(!valid_label_key("a b"));
        assert!(!valid_label_key(""));
    }
}
