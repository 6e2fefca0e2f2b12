//! The triggers the storage plugin implements.

use serde::Serialize;

use dokku_common::args::nth;
use dokku_common::property::{self, Store};
use dokku_common::text::go_quote as q;
use dokku_common::{app, fs as dfs, log, Error, Result};

use crate::attachment::{self, Attachment, PHASE_DEPLOY, PHASE_RUN, PLUGIN, PROPERTY};
use crate::entry::{self, Entry, DOCKER_LOCAL};
use crate::{dirs, gojson, migrate, mounts};

fn missing_entry(app_name: &str, a: &Attachment, e: Error) -> Error {
    Error::new(format!(
        "attachment on {} references missing entry {}: {}",
        q(app_name),
        q(&a.entry_name),
        e.message()
    ))
}

/// `install`: the property directory, `data/storage` and the registry directories (owned by
/// the dokku user), the legacy-mount migration, and on a real install the sudoers rule for
/// the root helpers.
pub fn install(_args: &[String]) -> Result<()> {
    Store::from_env().setup(PLUGIN).map_err(|e| {
        Error::new(format!(
            "Unable to install the storage plugin: {}",
            e.message()
        ))
    })?;
    let storage = entry::storage_dir();
    dfs::ensure_dir(&storage, 0o755).map_err(|e| {
        Error::new(format!(
            "Unable to create storage directory: {}",
            entry::os_error("mkdir", &storage, &e)
        ))
    })?;
    entry::ensure_entries_dir()?;
    for dir in [
        entry::registry_dir(),
        entry::entries_dir(),
        migrate::flag_dir(),
    ] {
        dfs::ensure_dir(&dir, 0o755).map_err(|e| {
            Error::new(format!(
                "Unable to create {}: {}",
                dir.display(),
                entry::os_error("mkdir", &dir, &e)
            ))
        })?;
    }
    repair_registry_ownership().map_err(|e| {
        Error::new(format!(
            "Unable to repair storage registry ownership: {}",
            e.message()
        ))
    })?;
    migrate::migrate_all_unmarked()
        .map_err(|e| Error::new(format!("storage migration failed: {}", e.message())))?;
    if dokku_common::env::system_install() {
        write_sudoers()?;
    }
    Ok(())
}

/// Hand every registry file to the dokku user (earlier releases wrote some as root).
fn repair_registry_ownership() -> Result<()> {
    for item in walkdir::WalkDir::new(entry::registry_dir()).follow_links(false) {
        let Ok(item) = item else { continue };
        if item.file_type().is_file() {
            dfs::chown_to_system_user(item.path())
                .map_err(|e| Error::new(entry::os_error("chown", item.path(), &e)))?;
        }
    }
    Ok(())
}

/// The sudoers rule: the dokku group may run the three helpers as root, keeping
/// `DOKKU_LIB_ROOT`.
fn sudoers_content() -> String {
    let group = dokku_common::env::system_group();
    let mut content = String::new();
    for helper in dirs::HELPERS {
        content.push_str(&format!(
            "%{group} ALL=(ALL) NOPASSWD:{} *\n",
            dirs::helper_path(helper).display()
        ));
    }
    content.push_str("Defaults env_keep += \"DOKKU_LIB_ROOT\"\n");
    content
}

/// `/etc/sudoers.d/dokku-storage`.
fn write_sudoers() -> Result<()> {
    let content = sudoers_content();
    // sudo ignores names with a dot in sudoers.d, so the candidate is inert until checked;
    // a broken rule there would lock everyone out of sudo.
    let path = std::path::Path::new("/etc/sudoers.d/dokku-storage");
    let candidate = std::path::Path::new("/etc/sudoers.d/.dokku-storage.new");
    let fail = |e: std::io::Error| {
        Error::new(format!(
            "Unable to write sudoers file: {}",
            entry::os_error("open", path, &e)
        ))
    };
    dfs::write_atomic_keep_owner(candidate, content.as_bytes(), 0o440).map_err(fail)?;
    if let Some(visudo) = dokku_common::env::command_path("visudo") {
        let checked = std::process::Command::new(visudo)
            .args(["-cqf"])
            .arg(candidate)
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
        if !checked {
            let _ = std::fs::remove_file(candidate);
            return Err(Error::new(
                "Unable to write sudoers file: visudo rejected it",
            ));
        }
    }
    std::fs::rename(candidate, path).map_err(fail)?;
    dfs::sync_parent(path).map_err(fail)
}

/// `post-delete <app>`: the app's attachments go; entries are global and stay.
pub fn post_delete(args: &[String]) -> Result<()> {
    if nth(args, 0).is_empty() {
        return Ok(());
    }
    property::delete_trigger(PLUGIN, args)
}

/// Copy the attachments of `old` to `new`, if it has any.
fn copy_attachments(old: &str, new: &str) -> Result<bool> {
    if !Store::from_env().exists(PLUGIN, old, PROPERTY) {
        return Ok(false);
    }
    attachment::save(new, &attachment::load(old)?)?;
    Ok(true)
}

/// `post-app-clone-setup <old> <new>`.
pub fn post_app_clone_setup(args: &[String]) -> Result<()> {
    if nth(args, 0).is_empty() || nth(args, 1).is_empty() {
        return Ok(());
    }
    let (old, new) = property::app_pair(args)?;
    copy_attachments(old, new).map(|_| ())
}

/// `post-app-rename-setup <old> <new>`: attachments move, the old property folder goes.
pub fn post_app_rename_setup(args: &[String]) -> Result<()> {
    if nth(args, 0).is_empty() || nth(args, 1).is_empty() {
        return Ok(());
    }
    let (old, new) = property::app_pair(args)?;
    if copy_attachments(old, new)? {
        Store::from_env().destroy(PLUGIN, old)?;
    }
    Ok(())
}

/// `storage-list <app> <phase> [json]` (deprecated): the mounts as `host:container[:opts]`
/// lines or JSON.
pub fn storage_list(args: &[String]) -> Result<()> {
    log::warn("Deprecated: please use the 'storage-app-mounts' plugn trigger or the storage Go package directly instead of 'storage-list'");
    let rows = mounts::app_rows(nth(args, 0), nth(args, 1))?;
    if nth(args, 2) == "json" {
        log::log(&gojson::compact(&rows));
        return Ok(());
    }
    for row in rows {
        log::log(&row.colon_form());
    }
    Ok(())
}

#[derive(Serialize)]
struct MountPair<'a> {
    entry: &'a Entry,
    attachment: &'a Attachment,
}

/// `storage-app-mounts <app> [<phase>]`: `[{"entry": …, "attachment": …}]` for schedulers.
pub fn storage_app_mounts(args: &[String]) -> Result<()> {
    let app_name = nth(args, 0);
    let phase = match nth(args, 1) {
        "" => PHASE_DEPLOY,
        p => p,
    };
    let attachments = attachment::for_phase(app_name, phase)?;
    let mut entries = Vec::new();
    for a in &attachments {
        entries.push(entry::load(&a.entry_name).map_err(|e| missing_entry(app_name, a, e))?);
    }
    let pairs: Vec<MountPair> = entries
        .iter()
        .zip(&attachments)
        .map(|(entry, attachment)| MountPair { entry, attachment })
        .collect();
    log::log(&gojson::compact(&pairs));
    Ok(())
}

/// ` -v host:container[:opts]` for each docker-local attachment of the phase (stdin is not
/// read: the other `docker-args-*` hooks pass it on).
fn docker_args(args: &[String], phase: &str) -> Result<()> {
    let app_name = nth(args, 0);
    if app::check_name(app_name).is_err() {
        return Ok(());
    }
    let mut out = String::new();
    for a in attachment::for_phase(app_name, phase)? {
        let e = entry::load(&a.entry_name).map_err(|e| missing_entry(app_name, &a, e))?;
        if e.scheduler != DOCKER_LOCAL {
            continue;
        }
        if let Some(flag) = mounts::docker_volume_flag(&e, &a) {
            out.push(' ');
            out.push_str(&flag);
        }
    }
    log::write_stdout(&out);
    Ok(())
}

/// `docker-args-deploy <app> <tag> [<proc> <index>]`.
pub fn docker_args_deploy(args: &[String]) -> Result<()> {
    docker_args(args, PHASE_DEPLOY)
}

/// `docker-args-run <app> <tag>`.
pub fn docker_args_run(args: &[String]) -> Result<()> {
    docker_args(args, PHASE_RUN)
}

#[cfg(test)]
mod tests {
    #[test]
    fn sudoers_rule() {
        std::env::set_var("PLUGIN_AVAILABLE_PATH", "/var/lib/dokku/plugins/available");
        std::env::set_var("DOKKU_SYSTEM_GROUP", "dokku");
        assert_eq!(
            super::sudoers_content(),
            "%dokku ALL=(ALL) NOPASSWD:/var/lib/dokku/plugins/available/storage/bin/chown-storage-dir *\n\
             %dokku ALL=(ALL) NOPASSWD:/var/lib/dokku/plugins/available/storage/bin/chmod-storage-dir *\n\
             %dokku ALL=(ALL) NOPASSWD:/var/lib/dokku/plugins/available/storage/bin/destroy-storage-dir *\n\
             Defaults env_keep += \"DOKKU_LIB_ROOT\"\n"
        );
    }
}
