//! The triggers the apps plugin implements. Every app argument is checked to be a valid app
//! name (either form) before any path is built from it.

use std::time::UNIX_EPOCH;

use dokku_common::args::nth;
use dokku_common::property::{self, Migration, Store};
use dokku_common::{app, data, lock, report, Error, Paths, Result};

use crate::lifecycle::{self, Sink};

/// `app-create <app>`: create the app as `apps:create` does.
pub fn app_create(args: &[String]) -> Result<()> {
    lifecycle::create(nth(args, 0), &mut Sink::Stream)
}

/// `app-destroy <app>`: destroy the app as `apps:destroy` does (asking unless forced).
pub fn app_destroy(args: &[String]) -> Result<()> {
    let name = nth(args, 0);
    app::check_name(name)?;
    lifecycle::destroy(name)
}

/// `app-exists <app>`: exit 0, or 20 with `App <app> does not exist`.
pub fn app_exists(args: &[String]) -> Result<()> {
    app::verify_app_name(nth(args, 0))
}

/// `app-maybe-create <app>`: create a missing app unless auto-creation is disabled.
pub fn app_maybe_create(args: &[String]) -> Result<()> {
    lifecycle::maybe_create(nth(args, 0))
}

/// `deploy-source-set <app> <type> <metadata>`: record where the last deploy came from.
pub fn deploy_source_set(args: &[String]) -> Result<()> {
    let name = nth(args, 0);
    app::check_name(name)?;
    let _lock = lock::app_lock(name)?;
    let store = Store::from_env();
    store.set("apps", name, "deploy-source", nth(args, 1))?;
    store.set("apps", name, "deploy-source-metadata", nth(args, 2))
}

/// `install`: the property and data directories, the migration of
/// `DOKKU_DISABLE_APP_AUTOCREATION`, and a `created-at` for apps that predate it (the app
/// directory's modification time).
pub fn install(_args: &[String]) -> Result<()> {
    let store = Store::from_env();
    store.setup("apps").map_err(|e| {
        Error::new(format!(
            "Unable to install the apps plugin: {}",
            e.message()
        ))
    })?;
    data::setup("apps")?;
    let apps = app::unfiltered_apps().unwrap_or_default();
    store.migrate_config(
        "apps",
        &[Migration {
            global_config_var: "DOKKU_DISABLE_APP_AUTOCREATION".to_string(),
            property: "disable-autocreation".to_string(),
            ..Migration::default()
        }],
    )?;
    let paths = Paths::from_env();
    for name in apps {
        if store.exists("apps", &name, "created-at") {
            continue;
        }
        let modified = std::fs::metadata(paths.app_root(&name))
            .and_then(|m| m.modified())
            .ok()
            .unwrap_or_else(std::time::SystemTime::now);
        let secs = modified
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        store.set("apps", &name, "created-at", &secs.to_string())?;
    }
    Ok(())
}

/// `post-app-clone-setup <old> <new>`: copy the apps properties and data directory.
pub fn post_app_clone_setup(args: &[String]) -> Result<()> {
    property::clone_setup_trigger("apps", args)?;
    let (old, new) = property::app_pair(args)?;
    data::clone_app("apps", old, new)
}

/// `post-app-rename <old> <new>`: move what is left of the old data directory.
pub fn post_app_rename(args: &[String]) -> Result<()> {
    let (old, new) = property::app_pair(args)?;
    data::migrate_app("apps", old, new)
}

/// `post-app-rename-setup <old> <new>`: move the properties, copy the data directory.
pub fn post_app_rename_setup(args: &[String]) -> Result<()> {
    property::rename_setup_trigger("apps", args)?;
    let (old, new) = property::app_pair(args)?;
    data::clone_app("apps", old, new)
}

/// `post-create <app>`: the app's data directory.
pub fn post_create(args: &[String]) -> Result<()> {
    let name = nth(args, 0);
    app::check_name(name)?;
    data::create_app("apps", name)
}

/// `post-delete <app> <tag>`: remove the data directory and the properties (both are
/// attempted; the first failure is reported).
pub fn post_delete(args: &[String]) -> Result<()> {
    let name = nth(args, 0);
    app::check_name(name)?;
    let data_result = data::remove_app("apps", name);
    let property_result = Store::from_env().destroy("apps", name);
    data_result.and(property_result)
}

/// `report <app>`: the app report, as `apps:report <app>` prints it.
pub fn report(args: &[String]) -> Result<()> {
    report::report_one(&crate::report::AppsReport, nth(args, 0), "", None)
}
