//! Where an app's app.json lives and how it is read: `data/app-json/<app>/app.json`, or
//! while a deploy is in flight `app.json.<DOKKU_PID>` (a `.missing` marker meaning none).

use std::path::{Path, PathBuf};

use dokku_common::extract;
use dokku_common::property::{Store, GLOBAL};
use dokku_common::report::{Flag, Options, Reporter};
use dokku_common::{Error, Result};

use crate::model::AppJson;

pub const PLUGIN: &str = "app-json";
pub const PROPERTIES: &[&str] = &["appjson-path"];
pub const GLOBAL_PROPERTIES: &[&str] = &["appjson-path"];

/// `data/app-json/<app>`; `None` for a name that is not a single path component.
pub fn data_dir(app: &str) -> Option<PathBuf> {
    dokku_common::app::check_name(app).ok()?;
    dokku_common::data::app_dir(PLUGIN, app).ok()
}

fn live_path(app: &str) -> Option<PathBuf> {
    data_dir(app).map(|d| d.join("app.json"))
}

/// The file to read: the in-flight deploy's copy when there is one, else the live one.
pub fn process_specific_path(app: &str) -> Option<PathBuf> {
    let live = live_path(app)?;
    let pid = extract::pid_path(&live);
    Some(if pid.exists() { pid } else { live })
}

/// Whether the app has an app.json, as the in-flight deploy sees it.
pub fn has_app_json(app: &str) -> bool {
    let Some(live) = live_path(app) else {
        return false;
    };
    if extract::missing_path(&live).exists() {
        return false;
    }
    extract::pid_path(&live).exists() || live.exists()
}

/// An I/O error worded like Go's `*PathError`.
fn go_io_error(op: &str, path: &Path, err: &std::io::Error) -> String {
    let text = err.to_string();
    let text = text.split(" (os error").next().unwrap_or(&text);
    let mut chars = text.chars();
    let text = match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    };
    format!("{op} {}: {text}", path.display())
}

/// Go's `ReadAppJSON`.
pub fn read(path: &Path) -> Result<AppJson> {
    let bytes = std::fs::read(path).map_err(|e| {
        let op = if path.is_dir() { "read" } else { "open" };
        Error::new(format!(
            "Cannot read app.json file: {}",
            go_io_error(op, path, &e)
        ))
    })?;
    let text = String::from_utf8_lossy(&bytes);
    if text.trim().is_empty() {
        return Ok(AppJson::default());
    }
    let standard = crate::jsonc::standardize(&text)
        .map_err(|e| Error::new(format!("Cannot parse app.json as jsonc: {e}")))?;
    let value: serde_json::Value = serde_json::from_str(&standard).map_err(|e| {
        let message = e.to_string();
        let message = message.split(" at line ").next().unwrap_or(&message);
        Error::new(format!(
            "Cannot parse app.json as jsonc: hujson: line {}, column {}: {message}",
            e.line(),
            e.column()
        ))
    })?;
    AppJson::from_value(&value).map_err(|e| Error::new(format!("Cannot parse app.json: {e}")))
}

/// Go's `GetAppJSON`: empty when the app has none.
pub fn get(app: &str) -> Result<AppJson> {
    if !has_app_json(app) {
        return Ok(AppJson::default());
    }
    match process_specific_path(app) {
        Some(path) => read(&path),
        None => Ok(AppJson::default()),
    }
}

pub fn property(app: &str) -> String {
    Store::from_env().get(PLUGIN, app, "appjson-path")
}

/// The app's path, else the global one, else `app.json`.
pub fn computed_path(app: &str) -> String {
    let value = property(app);
    if !value.is_empty() {
        return value;
    }
    let global = property(GLOBAL);
    if !global.is_empty() {
        return global;
    }
    "app.json".to_string()
}

pub struct AppJsonReport;

impl Reporter for AppJsonReport {
    fn report_type(&self) -> &str {
        PLUGIN
    }

    fn options(&self) -> Options {
        Options {
            trim_prefix: true,
            emit_legacy_prefix: true,
            uppercase_first: true,
        }
    }

    fn flags(&self, app: &str) -> Result<Vec<Flag<'_>>> {
        let mut flags = vec![
            Flag::new("--app-json-computed-appjson-path", computed_path),
            Flag::new("--app-json-global-appjson-path", |_| property(GLOBAL)),
        ];
        if app != GLOBAL {
            flags.push(Flag::new("--app-json-appjson-path", property));
        }
        Ok(flags)
    }
}
