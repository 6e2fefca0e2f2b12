//! Moving legacy `-v` docker-options into entries and attachments (upstream's `migrate.go`).

use std::collections::BTreeMap;
use std::path::PathBuf;

use dokku_common::property::Store;
use dokku_common::text::go_quote as q;
use dokku_common::{app, Error, Result};

use crate::attachment::{self, Attachment, DEFAULT_PROCESS_TYPE, PHASE_DEPLOY, PHASE_RUN, PLUGIN};
use crate::docker_options;
use crate::entry::{self, registry_dir};
use crate::mounts;

/// Per-app marker: legacy `-v` options were drained (only set when there were some).
pub const MIGRATED_PROPERTY: &str = "legacy-mounts-migrated";

/// Where older releases kept the marker as a flag file.
pub fn flag_dir() -> PathBuf {
    registry_dir().join("migrations")
}

/// Turn a leftover `migrations/<app>` flag file into the property.
fn convert_flag_file(app_name: &str) -> Result<()> {
    let path = flag_dir().join(app_name);
    if std::fs::symlink_metadata(&path).is_err() {
        return Ok(());
    }
    Store::from_env().set(PLUGIN, app_name, MIGRATED_PROPERTY, "true")?;
    dokku_common::fs::remove_file(&path)
        .map_err(|e| Error::new(entry::os_error("remove", &path, &e)))
}

/// Re-run the migration for one app (`storage:migrate <app>`); the marker is left as it is
/// when nothing is drained.
pub fn migrate_app(app_name: &str) -> Result<()> {
    app::check_name(app_name)?;
    convert_flag_file(app_name)?;
    drain(app_name).map_err(|e| {
        Error::new(format!(
            "storage migration failed for app {}: {}",
            q(app_name),
            e.message()
        ))
    })
}

/// The install-time pass over every app, skipping apps already marked.
pub fn migrate_all_unmarked() -> Result<()> {
    let apps = match app::dokku_apps() {
        Ok(apps) => apps,
        Err(e) if e.message() == app::MSG_NO_APPS => return Ok(()),
        Err(e) => return Err(e),
    };
    let store = Store::from_env();
    for name in apps {
        convert_flag_file(&name)?;
        if store.exists(PLUGIN, &name, MIGRATED_PROPERTY) {
            continue;
        }
        drain(&name).map_err(|e| {
            Error::new(format!(
                "storage migration failed for app {}: {}",
                q(&name),
                e.message()
            ))
        })?;
    }
    Ok(())
}

/// Entry, then attachment, then removal of the option: a failure never loses a mount.
fn drain(app_name: &str) -> Result<()> {
    let _lock = dokku_common::lock::app_lock(app_name)?;
    let mut phases_of: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for phase in [PHASE_DEPLOY, PHASE_RUN] {
        for option in docker_options::for_phase(app_name, phase)? {
            if let Some(mount) = option.strip_prefix("-v ") {
                let phases = phases_of.entry(mount.to_string()).or_default();
                if !phases.iter().any(|p| p == phase) {
                    phases.push(phase.to_string());
                }
            }
        }
    }
    if phases_of.is_empty() {
        return Ok(());
    }
    for (mount, phases) in &phases_of {
        drain_mount(app_name, mount, phases)?;
    }
    Store::from_env().set(PLUGIN, app_name, MIGRATED_PROPERTY, "true")
}

fn drain_mount(app_name: &str, mount: &str, phases: &[String]) -> Result<()> {
    let parsed = mounts::parse(mount);
    let mut synthesized = entry::legacy_entry(&parsed.host_path);
    if entry::exists(&synthesized.name) {
        let existing = entry::load(&synthesized.name)?;
        if existing.host_path != synthesized.host_path
            || existing.scheduler != synthesized.scheduler
        {
            return Err(Error::new(format!(
                "legacy entry {} already exists with conflicting fields",
                q(&synthesized.name)
            )));
        }
    } else {
        entry::save(&mut synthesized)?;
    }
    if parsed.container_path.is_empty() {
        return Ok(());
    }
    let new = Attachment {
        entry_name: synthesized.name.clone(),
        container_path: parsed.container_path.clone(),
        phases: Some(phases.to_vec()),
        process_type: DEFAULT_PROCESS_TYPE.to_string(),
        readonly: parsed.readonly,
        volume_options: parsed.volume_options.clone(),
        ..Attachment::default()
    };
    let mut all = attachment::load(app_name)?;
    let present = all.iter().any(|a| {
        a.entry_name == new.entry_name
            && a.container_path == new.container_path
            && a.process_type == new.process_type
    });
    if !present {
        all.push(new);
        attachment::save(app_name, &all)?;
    }
    docker_options::remove_from_phases(app_name, phases, &format!("-v {mount}"))
}
