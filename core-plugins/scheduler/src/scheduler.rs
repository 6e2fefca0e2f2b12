//! The scheduler properties (`config/scheduler/<app|--global>/{selected,shell}`).

use dokku_common::property::{Store, GLOBAL};

pub const PLUGIN: &str = "scheduler";
pub const DEFAULT_SCHEDULER: &str = "docker-local";

/// Every property `scheduler:set` accepts; all of them may also be set with `--global`.
pub const PROPERTIES: &[&str] = &["selected", "shell"];

pub fn get(app: &str, property: &str) -> String {
    Store::from_env().get(PLUGIN, app, property)
}

/// The app's value, else the global one (no default).
pub fn computed(app: &str, property: &str) -> String {
    match get(app, property) {
        v if v.is_empty() => get(GLOBAL, property),
        v => v,
    }
}

/// The app's scheduler, else the global one, else `docker-local`. For `--global` the app
/// value is the global one, so this is the global value or the default.
pub fn computed_selected(app: &str) -> String {
    match computed(app, "selected") {
        v if v.is_empty() => DEFAULT_SCHEDULER.to_string(),
        v => v,
    }
}
