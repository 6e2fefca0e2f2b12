//! The app lifecycle triggers of the docker-local scheduler.

use std::path::Path;

use dokku_common::args::nth;
use dokku_common::property::{self, Store};
use dokku_common::{app, data, docker, fs as dfs, log, Error, Result};

use crate::containers::app_root;
use crate::settings::PLUGIN;

/// `chown -R` to the dokku system user (a no-op unless running as root).
pub fn chown_tree(path: &Path) -> Result<()> {
    for entry in walkdir::WalkDir::new(path).follow_links(false) {
        let entry = entry.map_err(|e| Error::new(e.to_string()))?;
        dfs::chown_to_system_user(entry.path())?;
    }
    Ok(())
}

/// `post-create <app>`: the app's data directory (`data/scheduler-docker-local/<app>`).
pub fn post_create(args: &[String]) -> Result<()> {
    let name = nth(args, 0);
    app::check_name(name)?;
    data::create_app(PLUGIN, name)?;
    chown_tree(&data::app_dir(PLUGIN, name)?)
}

/// `post-delete <app>`: properties, the data directory, and every container labelled with
/// the app (removed by force, quietly).
pub fn post_delete(args: &[String]) -> Result<()> {
    let name = nth(args, 0);
    app::check_name(name)?;
    Store::from_env().destroy(PLUGIN, name)?;
    data::remove_app(PLUGIN, name)?;
    let label = format!("label=com.dokku.app-name={name}");
    if let Ok(out) = docker::run(&["container", "ls", "--filter", &label, "-q"]) {
        if !out.stderr.is_empty() {
            log::write_stderr(&out.stderr);
        }
        for cid in out.stdout.split_whitespace() {
            let _ = docker::run(&["container", "rm", "--force", cid]);
        }
    }
    Ok(())
}

/// Remove every regular file named `CONTAINER.*` anywhere under `dir` (links not followed):
/// a clone must not claim the original's containers.
fn remove_container_files(dir: &Path) -> Result<()> {
    if !dir.is_dir() {
        return Err(Error::new(format!(
            "pushd: {}: No such file or directory",
            dir.display()
        )));
    }
    for entry in walkdir::WalkDir::new(dir).follow_links(false) {
        let Ok(entry) = entry else { continue };
        let is_container_file = entry.file_type().is_file()
            && entry
                .file_name()
                .to_str()
                .is_some_and(|n| n.starts_with("CONTAINER."));
        if is_container_file {
            dfs::remove_file(entry.path())?;
        }
    }
    Ok(())
}

/// `post-app-clone-setup <old> <new>`: copy the properties, drop the copied container files.
pub fn post_app_clone_setup(args: &[String]) -> Result<()> {
    property::clone_setup_trigger(PLUGIN, args)?;
    let (_, new) = property::app_pair(args)?;
    match app_root(new) {
        Some(root) => remove_container_files(&root),
        None => Ok(()),
    }
}

/// `post-app-rename-setup <old> <new>`: move the properties, and the data directory.
pub fn post_app_rename_setup(args: &[String]) -> Result<()> {
    property::rename_setup_trigger(PLUGIN, args)?;
    let (old, new) = property::app_pair(args)?;
    if data::app_dir(PLUGIN, old)?.is_dir() {
        data::migrate_app(PLUGIN, old, new)?;
    }
    Ok(())
}
