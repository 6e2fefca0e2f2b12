//! The one-time move of pre-0.38 environment files, `$DOKKU_ROOT/ENV` and
//! `$DOKKU_ROOT/<app>/ENV`, into `$DOKKU_LIB_ROOT/config/...` (upstream's `migrate.go`).
//!
//! A legacy file is merged over the current environment (its values win) once; the
//! `config/config/<app|--global>/env-migrated` property records that. A legacy file found
//! after the migration is on record is never imported: it is removed if it holds nothing the
//! current environment lacks, else renamed to `ENV.migrated` with a warning naming the keys.

use std::path::Path;

use dokku_common::property::Store;
use dokku_common::{app, log, Error, Paths, Result};

use crate::store::{self, Env, Locked, GLOBAL};

const MIGRATED: &str = "env-migrated";

pub fn migrate_env_files() -> Result<()> {
    let props = Store::from_env();
    props.setup("config").map_err(|e| {
        Error::new(format!(
            "Unable to setup config properties: {}",
            e.message()
        ))
    })?;
    migrate_global(&props).map_err(|e| {
        Error::new(format!(
            "Unable to migrate global environment: {}",
            e.message()
        ))
    })?;
    let Ok(apps) = app::unfiltered_apps() else {
        return Ok(());
    };
    for name in apps.iter().filter(|a| app::check_name(a).is_ok()) {
        migrate_app(&props, name).map_err(|e| {
            Error::new(format!(
                "Unable to migrate environment for {name}: {}",
                e.message()
            ))
        })?;
    }
    Ok(())
}

fn migrate_global(props: &Store) -> Result<()> {
    props.setup(GLOBAL).map_err(|e| {
        Error::new(format!(
            "Unable to setup global environment: {}",
            e.message()
        ))
    })?;
    let legacy = Paths::from_env().dokku_root.join("ENV");
    let locked = Locked::acquire(GLOBAL).map_err(|e| {
        Error::new(format!(
            "Unable to load global environment: {}",
            e.message()
        ))
    })?;
    drain(props, GLOBAL, &legacy, locked)
}

fn migrate_app(props: &Store, name: &str) -> Result<()> {
    props
        .setup_app("config", name)
        .map_err(|e| Error::new(format!("Unable to setup app environment: {}", e.message())))?;
    crate::triggers::setup_app_config_dir(name).map_err(|e| {
        Error::new(format!(
            "Unable to setup app config directory: {}",
            e.message()
        ))
    })?;
    let locked = Locked::acquire(name)
        .map_err(|e| Error::new(format!("Unable to load app environment: {}", e.message())))?;
    let legacy = Paths::from_env().app_root(name).join("ENV");
    drain(props, name, &legacy, locked)
}

/// Read a legacy file as upstream's loader does, invalid keys announced and left out.
fn load_legacy(name: &str, path: &Path) -> Result<Env> {
    let mut env = store::read_file(path)?;
    store::drop_invalid_keys(&mut env, name);
    Ok(env)
}

fn write_migrated(props: &Store, name: &str) -> Result<()> {
    props.set("config", name, MIGRATED, "true").map_err(|e| {
        Error::new(format!(
            "Unable to set {MIGRATED} property: {}",
            e.message()
        ))
    })
}

fn drain(props: &Store, name: &str, legacy: &Path, mut locked: Locked) -> Result<()> {
    let migrated = props.get_default("config", name, MIGRATED, "") == "true";
    if !legacy.is_file() {
        return if migrated {
            Ok(())
        } else {
            write_migrated(props, name)
        };
    }
    if migrated {
        return preserve_stale(name, legacy, &locked.env);
    }
    let old = load_legacy(name, legacy)
        .map_err(|e| Error::new(format!("Unable to load old environment: {}", e.message())))?;
    locked.env.extend(old);
    locked
        .write()
        .map_err(|e| Error::new(format!("Unable to write environment: {}", e.message())))?;
    write_migrated(props, name)?;
    drop(locked);
    dokku_common::fs::remove_file(legacy).map_err(|e| {
        Error::new(format!(
            "Unable to remove migrated file {}: {}",
            legacy.display(),
            store::go_io_error("remove", legacy, &e)
        ))
    })
}

fn preserve_stale(name: &str, legacy: &Path, current: &Env) -> Result<()> {
    let stale = load_legacy(name, legacy)
        .map_err(|e| Error::new(format!("Unable to load stale environment: {}", e.message())))?;
    let diverged: Vec<&str> = stale
        .iter()
        .filter(|(k, v)| current.get(*k) != Some(v))
        .map(|(k, _)| k.as_str())
        .collect();
    if diverged.is_empty() {
        return dokku_common::fs::remove_file(legacy).map_err(|e| {
            Error::new(format!(
                "Unable to remove stale file {}: {}",
                legacy.display(),
                store::go_io_error("remove", legacy, &e)
            ))
        });
    }
    let preserved = format!("{}.migrated", legacy.display());
    log::warn(&format!(
        "Not importing already-migrated ENV file {}: the current config takes precedence for {}",
        legacy.display(),
        diverged.join(" ")
    ));
    log::warn(&format!(
        "Preserved at {preserved}: re-apply anything still needed with dokku config:set, then delete it - dokku does not read it and it may hold values that were unset on purpose"
    ));
    std::fs::rename(legacy, &preserved).map_err(|e| {
        Error::new(format!(
            "Unable to preserve stale file {}: {}",
            legacy.display(),
            go_link_error(legacy, Path::new(&preserved), &e)
        ))
    })
}

/// Go's `*LinkError` text for a failed rename.
fn go_link_error(from: &Path, to: &Path, err: &std::io::Error) -> String {
    let base = store::go_io_error("rename", from, err);
    let reason = base.rsplit(": ").next().unwrap_or("");
    format!("rename {} {}: {reason}", from.display(), to.display())
}
