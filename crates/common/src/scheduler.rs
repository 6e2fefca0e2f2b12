//! The app's scheduler and whether the app is deployed (Go's `GetAppScheduler` and
//! `IsDeployed`), for plugins that act differently on deployed apps (restarts, proxy rebuilds).

use crate::property::{Store, GLOBAL};
use crate::trigger;

/// `scheduler-detect <app>`, else `scheduler-detect --global`, else `docker-local`.
pub fn app_scheduler(app: &str) -> String {
    if app != GLOBAL {
        let value = trigger::capture_lenient("scheduler-detect", &[app]);
        if !value.is_empty() {
            return value;
        }
    }
    let global = trigger::capture_lenient("scheduler-detect", &[GLOBAL]);
    if global.is_empty() {
        "docker-local".to_string()
    } else {
        global
    }
}

/// The cached `common/<app>/deployed` property, else the answer of the app's scheduler to
/// `scheduler-is-deployed`, cached. Without any implementor of that trigger the app counts as
/// not deployed and nothing is cached (plugn would report success for a trigger nobody
/// implements, which would wrongly mark every app deployed).
pub fn is_deployed(app: &str) -> bool {
    let store = Store::from_env();
    let cached = store.get_default("common", app, "deployed", "");
    if !cached.is_empty() {
        return cached == "true";
    }
    if !trigger::exists("scheduler-is-deployed") {
        return false;
    }
    let scheduler = app_scheduler(app);
    let deployed = trigger::Trigger::new("scheduler-is-deployed")
        .arg(&scheduler)
        .arg(app)
        .stdin_null()
        .output()
        .map(|o| o.status == 0)
        .unwrap_or(false);
    if crate::app::check_name(app).is_ok() {
        let _ = store.set(
            "common",
            app,
            "deployed",
            if deployed { "true" } else { "false" },
        );
    }
    deployed
}
