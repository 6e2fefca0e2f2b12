//! The checks properties (`config/checks/<app|--global>/…`) and the disable/enable/skip
//! edits of the per-process-type `disabled` and `skipped` lists.

use dokku_common::property::{Store, GLOBAL};
use dokku_common::{log, Result};

use crate::lists;

pub const PLUGIN: &str = "checks";
/// The value meaning "every process type".
pub const ALL: &str = "_all_";
pub const DEFAULT_WAIT_TO_RETIRE: &str = "60";

/// `$(fn-plugin-property-get-default checks <app> <key> "")`.
pub fn get(app: &str, key: &str) -> String {
    Store::from_env()
        .get(PLUGIN, app, key)
        .trim_end_matches('\n')
        .to_string()
}

/// A list property: written when non-empty, deleted when empty.
fn store_list(app: &str, key: &str, value: &str) -> Result<()> {
    let store = Store::from_env();
    if value.is_empty() {
        store.delete(PLUGIN, app, key)
    } else {
        store.set(PLUGIN, app, key, value)
    }
}

/// The app's `wait-to-retire`, else the global one, else 60.
pub fn computed_wait_to_retire(app: &str) -> String {
    let value = get(app, "wait-to-retire");
    if !value.is_empty() {
        return value;
    }
    match get(GLOBAL, "wait-to-retire") {
        v if v.is_empty() => DEFAULT_WAIT_TO_RETIRE.to_string(),
        v => v,
    }
}

/// Whether checks are disabled for a process type (`_all_` or listed).
pub fn is_disabled(app: &str, proc_type: &str) -> bool {
    let list = get(app, "disabled");
    list == ALL || lists::contains(&list, proc_type)
}

/// Which list a command adds process types to; the other one loses them.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Disable,
    Skip,
}

impl Mode {
    fn keys(self) -> (&'static str, &'static str) {
        match self {
            Mode::Disable => ("disabled", "skipped"),
            Mode::Skip => ("skipped", "disabled"),
        }
    }

    fn verb(self) -> &'static str {
        match self {
            Mode::Disable => "Disabling",
            Mode::Skip => "Skipping",
        }
    }
}

/// `checks:disable` / `checks:skip`: `_all_` replaces the list and clears the other one;
/// a comma list is merged in and taken out of the other list.
pub fn disable_or_skip(app: &str, proc_types: &str, mode: Mode) -> Result<()> {
    let (own_key, other_key) = mode.keys();
    let mut own = get(app, own_key);
    let mut other = get(app, other_key);
    if proc_types == ALL {
        log::info1(&format!("{} zero downtime for app ({app})", mode.verb()));
        Store::from_env().set(PLUGIN, app, own_key, ALL)?;
        return Store::from_env().delete(PLUGIN, app, other_key);
    }
    log::info1(&format!(
        "{} zero downtime for app's ({app}) proctypes ({proc_types})",
        mode.verb()
    ));
    for proc_type in lists::split(proc_types) {
        if !lists::contains(&own, proc_type) {
            own = lists::add(&own, proc_type);
        }
        if lists::contains(&other, proc_type) {
            other = lists::remove(&other, proc_type);
        }
    }
    own = lists::remove(&own, ALL);
    let (disabled, skipped) = match mode {
        Mode::Disable => (own, other),
        Mode::Skip => (other, own),
    };
    store_list(app, "disabled", &disabled)?;
    store_list(app, "skipped", &skipped)
}

/// `checks:enable`: `_all_` clears both lists; a comma list is taken out of both.
pub fn enable(app: &str, proc_types: &str) -> Result<()> {
    let store = Store::from_env();
    if proc_types == ALL {
        log::info1(&format!("Enabling zero downtime for app's ({app})"));
        store.delete(PLUGIN, app, "disabled")?;
        return store.delete(PLUGIN, app, "skipped");
    }
    log::info1(&format!(
        "Enabling zero downtime for app's ({app}) proctypes ({proc_types})"
    ));
    let mut disabled = get(app, "disabled");
    let mut skipped = get(app, "skipped");
    for proc_type in lists::split(proc_types) {
        disabled = lists::remove(&disabled, proc_type);
        skipped = lists::remove(&skipped, proc_type);
    }
    store_list(app, "disabled", &disabled)?;
    store_list(app, "skipped", &skipped)
}
