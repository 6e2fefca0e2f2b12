//! The scheduler-docker-local properties
//! (`config/scheduler-docker-local/<app|--global>/<property>`).

use dokku_common::property::{Store, GLOBAL};

pub const PLUGIN: &str = "scheduler-docker-local";

/// The keys `scheduler-docker-local:set` accepts, per app and with `--global`.
pub const KEYS: &[&str] = &["init-process", "parallel-schedule-count"];

/// The scheduler name this plugin answers to in `scheduler-*` triggers.
pub const SCHEDULER: &str = "docker-local";

pub fn get(app: &str, property: &str) -> String {
    Store::from_env().get(PLUGIN, app, property)
}

/// App value, else global value, else `default`.
pub fn computed(app: &str, property: &str, default: &str) -> String {
    let value = get(app, property);
    if !value.is_empty() {
        return value;
    }
    match get(GLOBAL, property) {
        v if v.is_empty() => default.to_string(),
        v => v,
    }
}

pub fn computed_init_process(app: &str) -> String {
    computed(app, "init-process", "true")
}

pub fn computed_parallel_schedule_count(app: &str) -> String {
    computed(app, "parallel-schedule-count", "1")
}
