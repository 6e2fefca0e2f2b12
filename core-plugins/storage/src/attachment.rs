//! Attachments: how an app mounts an entry. All of an app's attachments are one JSON object
//! per line in the list property `config/storage/<app>/mounts` (upstream's `attachment.go`).
//! Read-modify-write changes hold the app lock, so concurrent mounts do not lose each other.

use serde::{Deserialize, Serialize};

use dokku_common::property::Store;
use dokku_common::text::go_quote as q;
use dokku_common::{app, lock, Error, Result};

use crate::entry::has_parent_component;
use crate::gojson;

pub const PLUGIN: &str = "storage";
pub const PROPERTY: &str = "mounts";
pub const PHASE_DEPLOY: &str = "deploy";
pub const PHASE_RUN: &str = "run";
/// The process type that stands for every process (as docker-options').
pub const DEFAULT_PROCESS_TYPE: &str = "_default_";

fn is_false(b: &bool) -> bool {
    !*b
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    #[serde(default)]
    pub entry_name: String,
    #[serde(default)]
    pub container_path: String,
    // `null` when absent, as Go writes a nil slice.
    #[serde(default)]
    pub phases: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub process_type: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub subpath: String,
    #[serde(default, skip_serializing_if = "is_false")]
    pub readonly: bool,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub volume_options: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub volume_chown: String,
}

impl Attachment {
    pub fn phases(&self) -> &[String] {
        self.phases.as_deref().unwrap_or(&[])
    }

    /// Same entry, container path and process type.
    fn same_slot(&self, other: &Attachment) -> bool {
        self.entry_name == other.entry_name
            && self.container_path == other.container_path
            && self.process_type == other.process_type
    }

    /// Upstream's structural rules, plus: no `..` in the container path.
    pub fn validate(&self) -> Result<()> {
        if self.entry_name.is_empty() {
            return Err(Error::new("attachment is missing entry name"));
        }
        if self.container_path.is_empty() {
            return Err(Error::new("attachment is missing container path"));
        }
        if !self.container_path.starts_with('/') {
            return Err(Error::new(format!(
                "attachment container path {} must be absolute",
                q(&self.container_path)
            )));
        }
        if has_parent_component(&self.container_path) {
            return Err(Error::new(format!(
                "attachment container path {} must not contain \"..\"",
                q(&self.container_path)
            )));
        }
        if self.phases().is_empty() {
            return Err(Error::new("attachment must specify at least one phase"));
        }
        for phase in self.phases() {
            if phase != PHASE_DEPLOY && phase != PHASE_RUN {
                return Err(Error::new(format!(
                    "attachment phase {} is not supported (must be {} or {})",
                    q(phase),
                    q(PHASE_DEPLOY),
                    q(PHASE_RUN)
                )));
            }
        }
        Ok(())
    }
}

/// Every attachment of an app (none when the app name is unusable or nothing is stored).
pub fn load(app_name: &str) -> Result<Vec<Attachment>> {
    if app::check_name(app_name).is_err() {
        return Ok(Vec::new());
    }
    let lines = Store::from_env()
        .list_get(PLUGIN, app_name, PROPERTY)
        .map_err(|e| {
            Error::new(format!(
                "unable to read storage attachments for {}: {}",
                q(app_name),
                e.message()
            ))
        })?;
    let mut out = Vec::new();
    for line in lines {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let attachment = serde_json::from_str(line).map_err(|e| {
            Error::new(format!(
                "unable to parse storage attachment for {}: {e}",
                q(app_name)
            ))
        })?;
        out.push(attachment);
    }
    Ok(out)
}

/// Replace the whole attachment list of an app.
pub fn save(app_name: &str, attachments: &[Attachment]) -> Result<()> {
    app::check_name(app_name)?;
    let lines: Vec<String> = attachments.iter().map(gojson::compact).collect();
    Store::from_env().list_write(PLUGIN, app_name, PROPERTY, &lines)
}

/// Append an attachment; the same (entry, container path, process type) twice is refused.
pub fn add(app_name: &str, attachment: Attachment) -> Result<()> {
    attachment.validate()?;
    let _lock = lock::app_lock(app_name)?;
    let mut all = load(app_name)?;
    if all.iter().any(|a| a.same_slot(&attachment)) {
        return Err(Error::new(format!(
            "storage entry {} is already mounted at {} for process type {} on app {}",
            q(&attachment.entry_name),
            q(&attachment.container_path),
            q(&attachment.process_type),
            q(app_name)
        )));
    }
    all.push(attachment);
    save(app_name, &all)
}

/// Insert, or rewrite the mount-time fields of the attachment in the same slot (not a
/// merge: what was typed replaces what was there). Returns whether it was created.
pub fn upsert(app_name: &str, attachment: Attachment) -> Result<bool> {
    attachment.validate()?;
    let _lock = lock::app_lock(app_name)?;
    let mut all = load(app_name)?;
    if let Some(existing) = all.iter_mut().find(|a| a.same_slot(&attachment)) {
        existing.phases = attachment.phases;
        existing.subpath = attachment.subpath;
        existing.readonly = attachment.readonly;
        existing.volume_options = attachment.volume_options;
        existing.volume_chown = attachment.volume_chown;
        save(app_name, &all)?;
        return Ok(false);
    }
    all.push(attachment);
    save(app_name, &all)?;
    Ok(true)
}

/// Remove the attachment of `entry_name` (at `container_path`, when given). Without a path,
/// more than one match is an error naming the paths.
pub fn remove(app_name: &str, entry_name: &str, container_path: &str) -> Result<()> {
    let _lock = lock::app_lock(app_name)?;
    let (matches, keep): (Vec<Attachment>, Vec<Attachment>) =
        load(app_name)?.into_iter().partition(|a| {
            a.entry_name == entry_name
                && (container_path.is_empty() || a.container_path == container_path)
        });
    if matches.is_empty() {
        return Err(Error::new(if container_path.is_empty() {
            format!(
                "storage entry {} is not mounted on app {}",
                q(entry_name),
                q(app_name)
            )
        } else {
            format!(
                "storage entry {} is not mounted at {} on app {}",
                q(entry_name),
                q(container_path),
                q(app_name)
            )
        }));
    }
    if matches.len() > 1 && container_path.is_empty() {
        let mut paths: Vec<&str> = matches.iter().map(|a| a.container_path.as_str()).collect();
        paths.sort_unstable();
        return Err(Error::new(format!(
            "storage entry {} is mounted at multiple paths on app {} ({}); pass --container-dir to disambiguate",
            q(entry_name),
            q(app_name),
            paths.join(", ")
        )));
    }
    save(app_name, &keep)
}

/// The attachments applying to `phase`, sorted by entry name then container path.
pub fn for_phase(app_name: &str, phase: &str) -> Result<Vec<Attachment>> {
    let mut out: Vec<Attachment> = load(app_name)?
        .into_iter()
        .filter(|a| a.phases().iter().any(|p| p == phase))
        .collect();
    out.sort_by(|a, b| {
        (a.entry_name.as_str(), a.container_path.as_str())
            .cmp(&(b.entry_name.as_str(), b.container_path.as_str()))
    });
    Ok(out)
}

/// The apps with at least one attachment of `entry_name`, sorted; `None` when there are no
/// apps at all (upstream then reports `null`).
pub fn apps_using(entry_name: &str) -> Result<Option<Vec<String>>> {
    let apps = match app::dokku_apps() {
        Ok(apps) => apps,
        Err(e) if e.message() == app::MSG_NO_APPS => return Ok(None),
        Err(e) => return Err(e),
    };
    let mut using = Vec::new();
    for name in apps {
        if load(&name)?.iter().any(|a| a.entry_name == entry_name) {
            using.push(name);
        }
    }
    using.sort();
    Ok(Some(using))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn att(phases: &[&str]) -> Attachment {
        Attachment {
            entry_name: "data".into(),
            container_path: "/data".into(),
            phases: Some(phases.iter().map(|s| s.to_string()).collect()),
            process_type: DEFAULT_PROCESS_TYPE.into(),
            ..Attachment::default()
        }
    }

    #[test]
    fn json_and_rules() {
        let mut a = att(&["deploy", "run"]);
        assert_eq!(
            gojson::compact(&a),
            r#"{"entry_name":"data","container_path":"/data","phases":["deploy","run"],"process_type":"_default_"}"#
        );
        a.readonly = true;
        a.volume_options = "Z".into();
        assert!(gojson::compact(&a).ends_with(r#""readonly":true,"volume_options":"Z"}"#));
        assert!(a.validate().is_ok());
        assert_eq!(
            att(&["build"]).validate().unwrap_err().message(),
            "attachment phase \"build\" is not supported (must be \"deploy\" or \"run\")"
        );
        assert_eq!(
            att(&[]).validate().unwrap_err().message(),
            "attachment must specify at least one phase"
        );
        let mut rel = att(&["run"]);
        rel.container_path = "data".into();
        assert_eq!(
            rel.validate().unwrap_err().message(),
            "attachment container path \"data\" must be absolute"
        );
        rel.container_path = "/a/../b".into();
        assert!(rel
            .validate()
            .unwrap_err()
            .message()
            .contains("must not contain"));
        let parsed: Attachment =
            serde_json::from_str(r#"{"entry_name":"x","container_path":"/x"}"#).unwrap();
        assert_eq!(parsed.phases, None);
        assert_eq!(
            gojson::compact(&parsed),
            r#"{"entry_name":"x","container_path":"/x","phases":null}"#
        );
    }
}
