//! The triggers the logs plugin implements.

use std::io::Read;
use std::path::Path;

use dokku_common::args::nth;
use dokku_common::property::Store;
use dokku_common::{app, data, docker, fs as dfs, log, Error, Result};

use crate::settings::{self, PLUGIN};
use crate::vector;

/// Log drivers whose local files honour `--log-opt max-size`.
const SIZE_DRIVERS: &[&str] = &["local", "json-file"];

/// `docker-args-process-deploy <app> …` (stdin passed through): ` --log-opt=max-size=<size> `
/// ahead of stdin, unless the app's log driver keeps no local files or the size is
/// `unlimited`.
pub fn docker_args_process_deploy(args: &[String]) -> Result<()> {
    let name = nth(args, 0);
    let mut stdin = Vec::new();
    std::io::stdin().read_to_end(&mut stdin)?;
    let options = Store::from_env()
        .list_get("docker-options", name, "_default_.deploy")
        .map_err(|e| {
            Error::new(format!(
                "Unable to read docker options for {name}._default_.deploy: {}",
                e.message()
            ))
        })?;
    let driver = options
        .iter()
        .map(|o| o.trim())
        .find_map(|o| o.strip_prefix("--log-driver="))
        .map(str::to_string);
    let driver = match driver {
        Some(d) => d,
        None => docker::run(&["system", "info", "--format", "{{ .LoggingDriver }}"])
            .map(|o| o.stdout_trimmed().to_string())
            .unwrap_or_default(),
    };
    if SIZE_DRIVERS.contains(&driver.as_str()) {
        let size = settings::computed_max_size(name);
        if size != "unlimited" {
            log::write_stdout(&format!(" --log-opt=max-size={size} "));
        }
    }
    log::write_stdout(&String::from_utf8_lossy(&stdin));
    Ok(())
}

/// `install`: the property and data directories, and `$DOKKU_LOGS_DIR/apps` (0755).
pub fn install(_args: &[String]) -> Result<()> {
    Store::from_env().setup(PLUGIN).map_err(|e| {
        Error::new(format!(
            "Unable to install the logs plugin: {}",
            e.message()
        ))
    })?;
    data::setup(PLUGIN)?;
    let logs_dir = dokku_common::env::var("DOKKU_LOGS_DIR")
        .ok_or_else(|| Error::new("DOKKU_LOGS_DIR not set!"))?;
    let apps_dir = Path::new(&logs_dir).join("apps");
    std::fs::create_dir_all(&apps_dir)?;
    dfs::set_permissions(&apps_dir, 0o755)?;
    Ok(())
}

/// `logs-get-property <app> max-size`: the computed size (the only key it answers).
pub fn logs_get_property(args: &[String]) -> Result<()> {
    if nth(args, 1) != "max-size" {
        return Err(Error::new("Invalid logs property specified"));
    }
    log::log(&settings::computed_max_size(nth(args, 0)));
    Ok(())
}

/// `post-create <app>`: the app's data directory.
pub fn post_create(args: &[String]) -> Result<()> {
    let name = nth(args, 0);
    app::check_name(name)?;
    data::create_app(PLUGIN, name)
}

/// `post-delete <app>`: data and properties go, then the vector config is regenerated
/// without the app.
pub fn post_delete(args: &[String]) -> Result<()> {
    let name = nth(args, 0);
    app::check_name(name)?;
    let data_result = data::remove_app(PLUGIN, name);
    let property_result = Store::from_env().destroy(PLUGIN, name);
    vector::regenerate();
    data_result.and(property_result)
}

/// `post-app-clone-setup <old> <new>`: the clone gets the properties and data (and so a
/// vector source of its own for an inherited sink).
pub fn post_app_clone_setup(args: &[String]) -> Result<()> {
    let (old, new) = dokku_common::property::app_pair(args)?;
    Store::from_env().clone_app(PLUGIN, old, new)?;
    data::clone_app(PLUGIN, old, new)?;
    vector::regenerate();
    Ok(())
}

/// `post-app-rename-setup <old> <new>`: properties move, data is copied.
pub fn post_app_rename_setup(args: &[String]) -> Result<()> {
    let (old, new) = dokku_common::property::app_pair(args)?;
    let store = Store::from_env();
    store.clone_app(PLUGIN, old, new)?;
    store.destroy(PLUGIN, old)?;
    data::clone_app(PLUGIN, old, new)?;
    vector::regenerate();
    Ok(())
}

/// `post-app-rename <old> <new>`: the old data directory goes.
pub fn post_app_rename(args: &[String]) -> Result<()> {
    let (old, new) = dokku_common::property::app_pair(args)?;
    data::migrate_app(PLUGIN, old, new)
}
