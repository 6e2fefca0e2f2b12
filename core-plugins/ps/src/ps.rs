//! The ps properties and the process-level actions other parts of the plugin share.

use dokku_common::property::Store;
use dokku_common::trigger::{self, Trigger};
use dokku_common::{log, scheduler, Error, Result};

pub const PLUGIN: &str = "ps";

/// Every `ps:set` property.
pub const PROPERTIES: &[&str] = &[
    "dockerfile-start-cmd",
    "procfile-path",
    "restart-policy",
    "restore",
    "skip-deploy",
    "start-cmd",
    "stop-timeout-seconds",
];

/// The properties `ps:set --global` accepts.
pub const GLOBAL_PROPERTIES: &[&str] = &[
    "procfile-path",
    "restart-policy",
    "skip-deploy",
    "stop-timeout-seconds",
];

pub const DEFAULT_RESTART_POLICY: &str = "on-failure:10";

pub fn store() -> Store {
    Store::from_env()
}

/// The raw property (`""` when unset).
pub fn get(app: &str, property: &str) -> String {
    store().get(PLUGIN, app, property)
}

/// App value, else global value, else `default`.
pub fn computed(app: &str, property: &str, default: &str) -> String {
    store().get_computed(PLUGIN, app, property, default)
}

pub fn computed_procfile_path(app: &str) -> String {
    computed(app, "procfile-path", "Procfile")
}

pub fn computed_restart_policy(app: &str) -> String {
    computed(app, "restart-policy", DEFAULT_RESTART_POLICY)
}

pub fn computed_skip_deploy(app: &str) -> String {
    computed(app, "skip-deploy", "false")
}

pub fn computed_stop_timeout(app: &str) -> String {
    computed(app, "stop-timeout-seconds", "30")
}

/// `restore`, `true` when the file is missing.
pub fn restore(app: &str) -> String {
    store().get_default(PLUGIN, app, "restore", "true")
}

/// Whether `ps:scale` may change the app (`can-scale` is not set to anything but `true`).
pub fn can_scale(app: &str) -> bool {
    store().get_default(PLUGIN, app, "can-scale", "true") == "true"
}

/// `no`, `always`, `unless-stopped`, `on-failure` or `on-failure:<anything>`.
pub fn is_valid_restart_policy(policy: &str) -> bool {
    matches!(policy, "no" | "always" | "unless-stopped" | "on-failure")
        || policy.starts_with("on-failure:")
}

/// The scheduler's `<count> <state>` line for the app (trimmed, `""` when nobody answers).
fn app_status(app: &str) -> String {
    let scheduler = scheduler::app_scheduler(app);
    trigger::capture_lenient("scheduler-app-status", &[scheduler.as_str(), app])
}

/// The number of the app's containers, `-1` when the scheduler gives no number.
pub fn process_count(app: &str) -> String {
    let status = app_status(app);
    let first = status.split(' ').next().unwrap_or("");
    first
        .parse::<i64>()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "-1".to_string())
}

/// `true`, `false` or `mixed`, as the scheduler reports it (`""` when it reports nothing:
/// upstream crashes there).
pub fn running_state(app: &str) -> String {
    app_status(app).split(' ').nth(1).unwrap_or("").to_string()
}

/// The deployed image tag (`latest` when nobody answers); a failing trigger fails.
pub fn running_image_tag(app: &str) -> Result<String> {
    let out = Trigger::new("deployed-app-image-tag")
        .arg(app)
        .stdin_null()
        .output()?;
    if out.status != 0 {
        return Err(Error::silent(1));
    }
    let tag = out.trimmed();
    Ok(if tag.is_empty() {
        "latest".to_string()
    } else {
        tag
    })
}

/// Go's `Restart`/`RestartProcess`: redeploy the running image (all processes, or one),
/// or warn when there is nothing deployed.
pub fn restart(app: &str, process: Option<&str>) -> Result<()> {
    if !scheduler::is_deployed(app) {
        log::warn(&format!("App {app} has not been deployed"));
        return Ok(());
    }
    let tag = running_image_tag(app)?;
    let mut args = vec![app, tag.as_str()];
    args.extend(process);
    trigger::fire("deploy", &args)
}

/// Go's `Rebuild`: build the app again from its source.
pub fn rebuild(app: &str) -> Result<()> {
    trigger::fire("receive-app", &[app])
}
