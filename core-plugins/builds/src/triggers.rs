//! The triggers of the builds plugin: build ids, the start and end of a build record, and
//! the app lifecycle. Arguments naming files are checked before anything is touched.

use dokku_common::args::nth;
use dokku_common::property::{self, Store};
use dokku_common::{app, fs as dfs, log, Error, Result};

use crate::record::{self, Build, FAILED, RUNNING, SUCCEEDED};
use crate::store::{self, ReadError, PLUGIN};
use crate::time::Timestamp;

/// `builds-generate-id`: a fresh id and nothing else on stdout (callers capture it).
pub fn generate_id(_args: &[String]) -> Result<()> {
    log::log(&record::generate_id());
    Ok(())
}

/// The app and build id every record trigger starts with.
fn app_and_id<'a>(trigger: &str, args: &'a [String]) -> Result<(&'a str, &'a str)> {
    let (name, id) = (nth(args, 0), nth(args, 1));
    if name.is_empty() {
        return Err(Error::new(format!("{trigger}: missing app name")));
    }
    if id.is_empty() {
        return Err(Error::new(format!("{trigger}: missing build id")));
    }
    Ok((name, id))
}

/// `builds-record-start <app> <build-id> <pid> <source>`: a new `running` record; the kind
/// follows from the source, an unknown source is recorded as `unknown`.
pub fn record_start(args: &[String]) -> Result<()> {
    const T: &str = "builds-record-start";
    let (name, id) = app_and_id(T, args)?;
    let pid_arg = nth(args, 2);
    let pid = store::atoi(pid_arg).map_err(|e| {
        Error::new(format!(
            "{T}: invalid pid {}: {e}",
            dokku_common::text::go_quote(pid_arg)
        ))
    })?;
    app::check_name(name)?;
    check_id(T, id)?;
    let mut source = nth(args, 3);
    if !record::SOURCES.contains(&source) {
        log::warn(&format!(
            "{T}: unknown source {} for app {name}, recording as \"unknown\"",
            dokku_common::text::go_quote(source)
        ));
        source = "unknown";
    }
    let build = Build {
        id: id.to_string(),
        app: name.to_string(),
        kind: record::default_kind(source).to_string(),
        pid,
        started_at: Timestamp::now(),
        finished_at: None,
        status: RUNNING.to_string(),
        source: source.to_string(),
        exit_code: None,
    };
    let _guard = store::lock(name, true)?;
    store::write(name, id, &build)
}

fn check_id(trigger: &str, id: &str) -> Result<()> {
    if store::valid_id(id) {
        Ok(())
    } else {
        Err(Error::new(format!(
            "{trigger}: invalid build id {}",
            dokku_common::text::go_quote(id)
        )))
    }
}

/// `builds-record-finalize <app> <build-id> <exit-code>`: `succeeded` for 0, else `failed`,
/// then prune. A record already finalized (by `builds:cancel`) is left as it is.
pub fn record_finalize(args: &[String]) -> Result<()> {
    const T: &str = "builds-record-finalize";
    let (name, id) = app_and_id(T, args)?;
    let exit_arg = nth(args, 2);
    let exit_code = store::atoi(exit_arg).map_err(|e| {
        Error::new(format!(
            "{T}: invalid exit code {}: {e}",
            dokku_common::text::go_quote(exit_arg)
        ))
    })?;
    app::check_name(name)?;
    let _guard = store::lock(name, false)?;
    let mut build = match store::read(name, id) {
        Ok(b) => b,
        Err(ReadError::NotFound) => {
            log::warn(&format!("{T}: no record for {name}/{id}, skipping"));
            return Ok(());
        }
        Err(ReadError::Other(e)) => return Err(Error::new(e)),
    };
    if !record::is_terminal(&build.status) {
        build.finish(if exit_code == 0 { SUCCEEDED } else { FAILED }, exit_code);
        store::write(name, id, &build)?;
    }
    store::prune_locked(name)
}

/// `install`: the property directory.
pub fn install(_args: &[String]) -> Result<()> {
    Store::from_env().setup(PLUGIN).map_err(|e| {
        Error::new(format!(
            "Unable to install the builds plugin: {}",
            e.message()
        ))
    })
}

/// `post-delete <app>`: the app's records, logs and properties.
pub fn post_delete(args: &[String]) -> Result<()> {
    let name = nth(args, 0);
    let dir = store::app_dir(name)?;
    if let Err(e) = dfs::remove_all(&dir) {
        log::warn(&format!(
            "Could not remove builds data for {name}: {}",
            store::path_error("unlinkat", &dir, &e)
        ));
    }
    property::delete_trigger(PLUGIN, args)
}

/// `post-app-rename-setup <old> <new>`: move the records to the new name (rewriting their
/// `app` field, so log paths and later updates point at the new directory) and the
/// properties with them.
pub fn post_app_rename_setup(args: &[String]) -> Result<()> {
    let (old, new) = property::app_pair(args)?;
    let old_dir = store::app_dir(old)?;
    let new_dir = store::app_dir(new)?;
    if old_dir.is_dir() {
        let moved = dfs::ensure_dir(&store::root(), dfs::DIR_MODE)
            .and_then(|_| std::fs::rename(&old_dir, &new_dir))
            .and_then(|_| dfs::sync_parent(&new_dir));
        match moved {
            Ok(()) => retarget_records(new)?,
            Err(e) => log::warn(&format!(
                "Could not rename builds data dir for {old}: rename {} {}: {}",
                old_dir.display(),
                new_dir.display(),
                store::errno_text(&e)
            )),
        }
    }
    let store = Store::from_env();
    store.clone_app(PLUGIN, old, new)?;
    store.destroy(PLUGIN, old)
}

fn retarget_records(app: &str) -> Result<()> {
    let _guard = store::lock(app, false)?;
    for mut loaded in store::fetch(app)? {
        if loaded.build.app != app {
            loaded.build.app = app.to_string();
            store::write(app, &loaded.file_id, &loaded.build)?;
        }
    }
    Ok(())
}
