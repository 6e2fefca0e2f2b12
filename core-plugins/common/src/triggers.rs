//! Triggers implemented by the common plugin.

use dokku_common::args::nth;
use dokku_common::property::Store;
use dokku_common::{app, Error, Result};

/// `app-list [filtered]`: one app per line; `false` skips the `user-auth-app` filter.
pub fn app_list(args: &[String]) -> Result<()> {
    let apps = if nth(args, 0) == "false" { app::unfiltered_apps() } else { app::dokku_apps() };
    let text: String = apps.unwrap_or_default().iter().map(|a| format!("{a}\n")).collect();
    dokku_common::log::write_stdout(&text);
    Ok(())
}

/// `core-post-deploy <app> ...`: remember that the app is deployed.
pub fn core_post_deploy(args: &[String]) -> Result<()> {
    Store::from_env().set("common", nth(args, 0), "deployed", "true")
}

/// `post-delete <app>`: drop the app's common properties.
pub fn post_delete(args: &[String]) -> Result<()> {
    Store::from_env().destroy("common", nth(args, 0))
}

/// `install`: create `config/common` and cache the deployed state of every app.
pub fn install(_args: &[String]) -> Result<()> {
    Store::from_env().setup("common").map_err(|e| {
        Error::new(format!(
            "Unable to install the common plugin: {}",
            e.message()
        ))
    })?;
    for name in app::unfiltered_apps().unwrap_or_default() {
        dokku_common::scheduler::is_deployed(&name);
    }
    Ok(())
}
