//! App mounts as the `host:container[:options]` strings and rows that `storage:list`, the
//! report and the deploy see (upstream's `storage.go`).

use serde::Serialize;

use dokku_common::text::go_quote as q;
use dokku_common::{Error, Result};

use crate::attachment::{self, Attachment, PHASE_DEPLOY};
use crate::entry::{self, is_named_volume, Entry};

/// One mount of an app, as `storage:list --format json` and `storage-list` print it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ListEntry {
    #[serde(skip_serializing_if = "String::is_empty")]
    pub entry_name: String,
    pub host_path: String,
    pub container_path: String,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub readonly: bool,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub volume_options: String,
}

impl ListEntry {
    /// `host:container[:options]`, with `ro` first among the options.
    pub fn colon_form(&self) -> String {
        let options = match (self.readonly, self.volume_options.is_empty()) {
            (true, false) => format!("ro,{}", self.volume_options),
            (true, true) => "ro".to_string(),
            (false, false) => self.volume_options.clone(),
            (false, true) => String::new(),
        };
        if options.is_empty() {
            format!("{}:{}", self.host_path, self.container_path)
        } else {
            format!("{}:{}:{options}", self.host_path, self.container_path)
        }
    }
}

/// The shape of a legacy mount argument: `/host:/container…` or `volume:/container…`.
pub fn verify_paths(mount: &str) -> Result<()> {
    if let Some(rest) = mount.strip_prefix('/') {
        // Go's `.` does not match a newline.
        let first_line = rest.split('\n').next().unwrap_or("");
        if !first_line.contains(":/") {
            return Err(Error::new(
                "Storage path must be two valid paths divided by colon.",
            ));
        }
        return Ok(());
    }
    let valid = mount
        .find(":/")
        .is_some_and(|i| is_named_volume(&mount[..i]));
    if !valid {
        return Err(Error::new("Volume name must be two characters or more. Volume name must not contain invalid characters. Storage path must be two valid paths divided by colon."));
    }
    Ok(())
}

/// Split `host:container[:options]`; an `ro` option becomes `readonly`.
pub fn parse(mount: &str) -> ListEntry {
    let mut parts = mount.splitn(3, ':');
    let mut out = ListEntry {
        host_path: parts.next().unwrap_or("").to_string(),
        container_path: parts.next().unwrap_or("").to_string(),
        ..ListEntry::default()
    };
    if let Some(options) = parts.next().filter(|o| !o.is_empty()) {
        let mut rest = Vec::new();
        for token in options.split(',') {
            if token == "ro" {
                out.readonly = true;
            } else {
                rest.push(token);
            }
        }
        out.volume_options = rest.join(",");
    }
    out
}

/// The row of one attachment; an entry without host path shows its name instead.
fn row(entry: &Entry, attachment: &Attachment) -> ListEntry {
    ListEntry {
        entry_name: entry.name.clone(),
        host_path: if entry.host_path.is_empty() {
            entry.name.clone()
        } else {
            entry.host_path.clone()
        },
        container_path: attachment.container_path.clone(),
        readonly: attachment.readonly,
        volume_options: attachment.volume_options.clone(),
    }
}

/// Every mount of an app in `phase` (default deploy), joined with its entry.
pub fn app_rows(app_name: &str, phase: &str) -> Result<Vec<ListEntry>> {
    let phase = if phase.is_empty() {
        PHASE_DEPLOY
    } else {
        phase
    };
    attachment::for_phase(app_name, phase)?
        .iter()
        .map(|a| {
            let entry = entry::load(&a.entry_name).map_err(|e| {
                Error::new(format!(
                    "attachment on {} references missing entry {}: {}",
                    q(app_name),
                    q(&a.entry_name),
                    e.message()
                ))
            })?;
            Ok(row(&entry, a))
        })
        .collect()
}

/// `-v <mount>` for every mount of the phase, space-separated; empty on any error.
pub fn for_display(app_name: &str, phase: &str) -> String {
    match app_rows(app_name, phase) {
        Ok(rows) => rows
            .iter()
            .map(|r| format!("-v {}", r.colon_form()))
            .collect::<Vec<_>>()
            .join(" "),
        Err(_) => String::new(),
    }
}

/// The docker `-v` argument of a docker-local attachment, if it has both paths.
pub fn docker_volume_flag(entry: &Entry, attachment: &Attachment) -> Option<String> {
    if entry.host_path.is_empty() || attachment.container_path.is_empty() {
        return None;
    }
    let mut options = Vec::new();
    if attachment.readonly {
        options.push("ro");
    }
    if !attachment.volume_options.is_empty() {
        options.push(attachment.volume_options.as_str());
    }
    let mut flag = format!("-v {}:{}", entry.host_path, attachment.container_path);
    if !options.is_empty() {
        flag.push(':');
        flag.push_str(&options.join(","));
    }
    Some(flag)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legacy_paths() {
        assert!(verify_paths("/tmp/mount:/mount").is_ok());
        assert!(verify_paths("mount_volume:/mount").is_ok());
        assert_eq!(
            verify_paths("/tmp/mount").unwrap_err().message(),
            "Storage path must be two valid paths divided by colon."
        );
        assert!(verify_paths("/tmp:mount").is_err());
        for bad in ["a:/x", "..:/x", "tmp/mount:/x", ":/x"] {
            assert!(
                verify_paths(bad)
                    .unwrap_err()
                    .message()
                    .starts_with("Volume name"),
                "{bad}"
            );
        }
    }

    #[test]
    fn parsing_and_forms() {
        let p = parse("/a:/b:ro,Z,noexec");
        assert_eq!((p.readonly, p.volume_options.as_str()), (true, "Z,noexec"));
        assert_eq!(p.colon_form(), "/a:/b:ro,Z,noexec");
        assert_eq!(parse("/a:/b").colon_form(), "/a:/b");
        assert_eq!(parse("/a:/b:").colon_form(), "/a:/b");
        assert_eq!(parse("/a").container_path, "");
        let rows = vec![parse("/a:/b:ro")];
        assert_eq!(
            crate::gojson::compact(&rows),
            r#"[{"host_path":"/a","container_path":"/b","readonly":true}]"#
        );
    }
}
