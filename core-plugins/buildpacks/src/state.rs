//! The buildpacks plugin's state: the `buildpacks` list property and the `stack` scalar
//! (`$DOKKU_LIB_ROOT/config/buildpacks/<app|--global>/`), and the quiet trigger calls that
//! read other plugins' settings.

use dokku_common::property::{Store, GLOBAL};
use dokku_common::{env, Result};

pub const PLUGIN: &str = "buildpacks";
pub const LIST: &str = "buildpacks";
pub const STACK: &str = "stack";

pub fn list(app: &str) -> Result<Vec<String>> {
    Store::from_env().list_get(PLUGIN, app, LIST)
}

pub fn stack(app: &str) -> String {
    Store::from_env().get_default(PLUGIN, app, STACK, "")
}

/// The trimmed stdout of a trigger and its status, with its stderr swallowed and
/// `/dev/null` as stdin, as Go's buffered `CallPlugnTrigger` leaves them.
pub fn quiet_trigger(hook: &str, args: &[&str]) -> (i32, String) {
    let opts = plugn::trigger::Options {
        stdin: plugn::trigger::Stdin::Null,
        capture_stdout: true,
        capture_stderr: true,
        env: Vec::new(),
    };
    match plugn::trigger::run(&dokku_common::trigger::tree(), hook, args, &opts) {
        Ok(out) => (
            out.status,
            String::from_utf8_lossy(&out.stdout).trim().to_string(),
        ),
        Err(_) => (1, String::new()),
    }
}

/// The deprecated `DOKKU_IMAGE` app variable, with its warning when set.
fn deprecated_dokku_image(app: &str) -> String {
    let (_, image) = quiet_trigger("config-get", &[app, "DOKKU_IMAGE"]);
    if !image.is_empty() {
        dokku_common::log::warn(
            "Deprecated: use buildpacks:set-property instead of specifying DOKKU_IMAGE environment variable",
        );
    }
    image
}

/// The stack a build uses: the app's, else the global one, else the deprecated
/// `DOKKU_IMAGE` variable. `None` when nothing is set.
pub fn configured_stack(app: &str) -> Option<String> {
    let lookups: [&dyn Fn() -> String; 3] = [&|| stack(app), &|| stack(GLOBAL), &|| {
        deprecated_dokku_image(app)
    }];
    lookups.iter().map(|f| f()).find(|s| !s.is_empty())
}

/// The report's computed stack: [`configured_stack`], else `$DOKKU_IMAGE`.
pub fn computed_stack(app: &str) -> String {
    configured_stack(app).unwrap_or_else(|| env::var("DOKKU_IMAGE").unwrap_or_default())
}
