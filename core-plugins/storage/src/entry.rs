//! Storage entries: one JSON file per named volume at
//! `$DOKKU_LIB_ROOT/data/storage-registry/entries/<name>.json` (upstream's `entry.go`).

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Deserializer, Serialize};

use dokku_common::text::go_quote as q;
use dokku_common::{fs as dfs, Error, Paths, Result};

use crate::{gojson, sha1};

pub const SCHEMA_VERSION: i64 = 1;
pub const DOCKER_LOCAL: &str = "docker-local";
pub const K3S: &str = "k3s";
/// Reserved for entries the legacy-mount migration synthesises.
pub const LEGACY_PREFIX: &str = "legacy-";
/// Keeps the k3s helm release name `storage-<name>` within helm's limit.
pub const MAX_NAME_LENGTH: usize = 45;
pub const RECLAIM_RETAIN: &str = "Retain";
pub const RECLAIM_DELETE: &str = "Delete";
const ACCESS_MODES: &[&str] = &[
    "ReadWriteOnce",
    "ReadOnlyMany",
    "ReadWriteMany",
    "ReadWriteOncePod",
];

/// Go leaves a field at its zero value when the JSON holds `null`.
fn null_default<'de, D, T>(d: D) -> std::result::Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

fn is_zero(v: &i64) -> bool {
    *v == 0
}

/// One storage entry, serialised field for field like upstream's struct.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    #[serde(default, deserialize_with = "null_default")]
    pub name: String,
    #[serde(default, deserialize_with = "null_default")]
    pub scheduler: String,
    #[serde(
        default,
        deserialize_with = "null_default",
        skip_serializing_if = "String::is_empty"
    )]
    pub host_path: String,
    #[serde(
        default,
        deserialize_with = "null_default",
        skip_serializing_if = "String::is_empty"
    )]
    pub size: String,
    #[serde(
        default,
        deserialize_with = "null_default",
        skip_serializing_if = "String::is_empty"
    )]
    pub access_mode: String,
    #[serde(
        default,
        deserialize_with = "null_default",
        skip_serializing_if = "String::is_empty"
    )]
    pub storage_class: String,
    #[serde(
        default,
        deserialize_with = "null_default",
        skip_serializing_if = "String::is_empty"
    )]
    pub namespace: String,
    #[serde(
        default,
        deserialize_with = "null_default",
        skip_serializing_if = "String::is_empty"
    )]
    pub chown: String,
    #[serde(
        default,
        deserialize_with = "null_default",
        skip_serializing_if = "String::is_empty"
    )]
    pub mode: String,
    #[serde(
        default,
        deserialize_with = "null_default",
        skip_serializing_if = "String::is_empty"
    )]
    pub reclaim_policy: String,
    #[serde(
        default,
        deserialize_with = "null_default",
        skip_serializing_if = "BTreeMap::is_empty"
    )]
    pub annotations: BTreeMap<String, String>,
    #[serde(
        default,
        deserialize_with = "null_default",
        skip_serializing_if = "BTreeMap::is_empty"
    )]
    pub labels: BTreeMap<String, String>,
    // Always written: upstream has no omitempty here.
    #[serde(default, deserialize_with = "null_default")]
    pub schema_version: i64,
}

/// Go's rendering of an OS error: `<op> <path>: <reason>`.
pub fn os_error(op: &str, path: &Path, err: &io::Error) -> String {
    let reason = match err.kind() {
        io::ErrorKind::NotFound => "no such file or directory".to_string(),
        io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        io::ErrorKind::AlreadyExists => "file exists".to_string(),
        _ => match err.raw_os_error() {
            Some(code) => nix::errno::Errno::from_raw(code).desc().to_lowercase(),
            None => err.to_string(),
        },
    };
    format!("{op} {}: {reason}", path.display())
}

/// `mkdir -p` with mode 0755 (before the umask), as Go's `os.MkdirAll(path, 0755)`.
pub fn mkdir_all(path: &Path) -> io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o755)
        .create(path)
}

/// `$DOKKU_LIB_ROOT/data/storage`: default host directories.
pub fn storage_dir() -> PathBuf {
    Paths::from_env().data_root().join("storage")
}

/// `$DOKKU_LIB_ROOT/data/storage-registry`.
pub fn registry_dir() -> PathBuf {
    Paths::from_env().data_root().join("storage-registry")
}

pub fn entries_dir() -> PathBuf {
    registry_dir().join("entries")
}

/// The default host path of an entry.
pub fn default_host_path(name: &str) -> PathBuf {
    storage_dir().join(name)
}

/// The file of an entry, or `None` for a name that is not one path component (such a name
/// can never have been saved, so it simply does not exist).
fn entry_path(name: &str) -> Option<PathBuf> {
    if name.is_empty() || name == "." || name == ".." || name.contains(['/', '\0']) {
        return None;
    }
    Some(entries_dir().join(format!("{name}.json")))
}

pub fn ensure_entries_dir() -> Result<()> {
    let dir = entries_dir();
    dfs::ensure_dir(&dir, 0o755).map_err(|e| {
        Error::new(format!(
            "unable to create storage entries directory: {}",
            os_error("mkdir", &dir, &e)
        ))
    })
}

pub fn exists(name: &str) -> bool {
    entry_path(name).is_some_and(|p| p.exists())
}

pub fn does_not_exist(name: &str) -> Error {
    Error::new(format!("storage entry {} does not exist", q(name)))
}

pub fn load(name: &str) -> Result<Entry> {
    let path = entry_path(name).ok_or_else(|| does_not_exist(name))?;
    let data = match std::fs::read(&path) {
        Ok(d) => d,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Err(does_not_exist(name)),
        Err(e) => {
            return Err(Error::new(format!(
                "unable to read storage entry {}: {}",
                q(name),
                os_error("open", &path, &e)
            )))
        }
    };
    serde_json::from_slice(&data)
        .map_err(|e| Error::new(format!("unable to parse storage entry {}: {e}", q(name))))
}

pub fn save(entry: &mut Entry) -> Result<()> {
    let path = entry_path(&entry.name).ok_or_else(|| does_not_exist(&entry.name))?;
    ensure_entries_dir()?;
    if is_zero(&entry.schema_version) {
        entry.schema_version = SCHEMA_VERSION;
    }
    dfs::write_atomic(&path, gojson::indent(entry).as_bytes(), 0o600).map_err(|e| {
        Error::new(format!(
            "unable to write storage entry {}: {}",
            q(&entry.name),
            os_error("open", &path, &e)
        ))
    })
}

pub fn delete(name: &str) -> Result<()> {
    let Some(path) = entry_path(name) else {
        return Ok(());
    };
    dfs::remove_file(&path).map_err(|e| {
        Error::new(format!(
            "unable to remove storage entry {}: {}",
            q(name),
            os_error("remove", &path, &e)
        ))
    })
}

/// Every entry, sorted by name.
pub fn list() -> Result<Vec<Entry>> {
    let dir = entries_dir();
    let read = match std::fs::read_dir(&dir) {
        Ok(r) => r,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => {
            return Err(Error::new(format!(
                "unable to list storage entries: {}",
                os_error("open", &dir, &e)
            )))
        }
    };
    let mut entries = Vec::new();
    for item in read.flatten() {
        if item.file_type().map(|t| t.is_dir()).unwrap_or(false) {
            continue;
        }
        let Ok(file) = item.file_name().into_string() else {
            continue;
        };
        if dfs::is_temp_name(item.file_name().as_os_str()) {
            continue;
        }
        if let Some(name) = file.strip_suffix(".json") {
            entries.push(load(name)?);
        }
    }
    entries.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(entries)
}

/// A Kubernetes DNS-1123 label: `[a-z0-9]([-a-z0-9]*[a-z0-9])?`.
fn is_dns1123_label(name: &str) -> bool {
    let bytes = name.as_bytes();
    let edge = |b: &u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    !bytes.is_empty()
        && bytes.first().is_some_and(edge)
        && bytes.last().is_some_and(edge)
        && bytes.iter().all(|b| edge(b) || *b == b'-')
}

/// Docker's named-volume token: `[a-zA-Z0-9][a-zA-Z0-9_.-]+`.
pub fn is_named_volume(token: &str) -> bool {
    let bytes = token.as_bytes();
    bytes.len() >= 2
        && bytes[0].is_ascii_alphanumeric()
        && bytes[1..]
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'))
}

/// Whether a path has a `..` component.
pub fn has_parent_component(path: &str) -> bool {
    path.split('/').any(|c| c == "..")
}

pub fn validate_name(name: &str, allow_legacy_prefix: bool) -> Result<()> {
    if name.is_empty() {
        return Err(Error::new("storage entry name is required"));
    }
    if name.len() > MAX_NAME_LENGTH {
        return Err(Error::new(format!(
            "storage entry name {} is too long (max {MAX_NAME_LENGTH} characters); helm release names cap our budget",
            q(name)
        )));
    }
    if !is_dns1123_label(name) {
        return Err(Error::new(format!(
            "storage entry name {} must be a DNS-1123 label (lowercase letters, digits, and dashes; cannot start or end with a dash)",
            q(name)
        )));
    }
    if !allow_legacy_prefix && name.starts_with(LEGACY_PREFIX) {
        return Err(Error::new(format!(
            "storage entry name {} must not start with reserved prefix {}",
            q(name),
            q(LEGACY_PREFIX)
        )));
    }
    Ok(())
}

/// A 3 or 4 digit octal mode in its 4 digit form; empty stays empty ("leave it alone").
pub fn normalize_mode(mode: &str) -> Result<String> {
    if mode.is_empty() {
        return Ok(String::new());
    }
    let octal = (3..=4).contains(&mode.len()) && mode.bytes().all(|b| (b'0'..=b'7').contains(&b));
    if !octal {
        return Err(Error::new(format!(
            "Unsupported directory mode {}. Value must be a 3 or 4 digit octal mode, such as 0755",
            q(mode)
        )));
    }
    Ok(if mode.len() == 3 {
        format!("0{mode}")
    } else {
        mode.to_string()
    })
}

impl Entry {
    /// The cross-field rules of upstream's `Entry.Validate`, plus: no `..` in host paths.
    pub fn validate(&self) -> Result<()> {
        let n = q(&self.name);
        validate_name(&self.name, self.name.starts_with(LEGACY_PREFIX))?;
        if self.scheduler != DOCKER_LOCAL && self.scheduler != K3S {
            return Err(Error::new(format!(
                "storage entry {n} has unsupported scheduler {} (supported: docker-local, k3s)",
                q(&self.scheduler)
            )));
        }
        if !self.reclaim_policy.is_empty()
            && self.reclaim_policy != RECLAIM_RETAIN
            && self.reclaim_policy != RECLAIM_DELETE
        {
            return Err(Error::new(format!(
                "storage entry {n} has unsupported reclaim policy {}",
                q(&self.reclaim_policy)
            )));
        }
        let absolute = self.host_path.starts_with('/');
        if absolute && has_parent_component(&self.host_path) {
            return Err(Error::new(format!(
                "storage entry {n} host_path must not contain \"..\", got {}",
                q(&self.host_path)
            )));
        }
        if self.scheduler == DOCKER_LOCAL {
            let fail = |what: &str| {
                Err(Error::new(format!(
                    "storage entry {n} (docker-local) {what}"
                )))
            };
            if self.host_path.is_empty() {
                return fail("is missing host_path");
            }
            if !absolute && !is_named_volume(&self.host_path) {
                return Err(Error::new(format!(
                    "storage entry {n} host_path must be an absolute path or a docker named volume token, got {}",
                    q(&self.host_path)
                )));
            }
            if !self.size.is_empty() {
                return fail("does not accept --size");
            }
            if !self.storage_class.is_empty() {
                return fail("does not accept --storage-class-name");
            }
            if !self.access_mode.is_empty() {
                return fail("does not accept --access-mode");
            }
            normalize_mode(&self.mode)?;
            let default = default_host_path(&self.name);
            if self.reclaim_policy == RECLAIM_DELETE && Path::new(&self.host_path) != default {
                return fail(&format!(
                    "only accepts --reclaim-policy Delete on the default host path ({})",
                    default.display()
                ));
            }
        } else {
            let fail = |what: &str| Err(Error::new(format!("storage entry {n} (k3s) {what}")));
            if self.size.is_empty() {
                return fail("requires --size");
            }
            if !self.storage_class.is_empty() && !self.host_path.is_empty() {
                return fail("cannot set both --storage-class-name and a host path; the cluster provisions class-backed volumes");
            }
            if !self.access_mode.is_empty() && !ACCESS_MODES.contains(&self.access_mode.as_str()) {
                return Err(Error::new(format!(
                    "storage entry {n} has unsupported access mode {}",
                    q(&self.access_mode)
                )));
            }
            if !self.host_path.is_empty() && !absolute {
                return Err(Error::new(format!(
                    "storage entry {n} host_path must be absolute, got {}",
                    q(&self.host_path)
                )));
            }
            if !self.mode.is_empty() {
                return fail("does not accept --mode");
            }
        }
        Ok(())
    }

    /// Whether the entry lives at its default host path (the only one the root helpers
    /// touch).
    pub fn uses_default_host_path(&self) -> bool {
        Path::new(&self.host_path) == default_host_path(&self.name)
    }
}

/// Refuse a flag the root helpers implement when the entry is not at its default path.
pub fn require_default_host_path(entry: &Entry, flag: &str) -> Result<()> {
    if entry.uses_default_host_path() {
        return Ok(());
    }
    Err(Error::new(format!(
        "{flag} is only supported when the storage entry uses the default host path ({}); omit {flag} and manage {} manually",
        default_host_path(&entry.name).display(),
        entry.host_path
    )))
}

/// The deterministic entry behind a legacy `host:container[:options]` mount: the same host
/// path always gives the same `legacy-<sha1[:10]>` name, so migrations are idempotent and
/// apps sharing a host path share the entry.
pub fn legacy_entry(host: &str) -> Entry {
    let input = if host.starts_with('/') {
        host.to_string()
    } else {
        format!("vol:{host}")
    };
    Entry {
        name: format!(
            "{LEGACY_PREFIX}{}",
            &sha1::hex_digest(input.as_bytes())[..10]
        ),
        scheduler: DOCKER_LOCAL.to_string(),
        host_path: host.to_string(),
        schema_version: SCHEMA_VERSION,
        ..Entry::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert!(validate_name("rdmtest-entry", false).is_ok());
        assert!(validate_name(&"a".repeat(45), false).is_ok());
        let e = validate_name(&"a".repeat(46), false).unwrap_err();
        assert!(e.message().contains("is too long (max 45 characters)"));
        for bad in ["rdm_test", "RdmTest", "-a", "a-", "a.b"] {
            assert!(
                validate_name(bad, false)
                    .unwrap_err()
                    .message()
                    .contains("DNS-1123"),
                "{bad}"
            );
        }
        assert_eq!(
            validate_name("legacy-foo", false).unwrap_err().message(),
            "storage entry name \"legacy-foo\" must not start with reserved prefix \"legacy-\""
        );
        assert!(validate_name("legacy-foo", true).is_ok());
        assert_eq!(
            validate_name("", false).unwrap_err().message(),
            "storage entry name is required"
        );
    }

    #[test]
    fn modes() {
        assert_eq!(normalize_mode("750").unwrap(), "0750");
        assert_eq!(normalize_mode("0777").unwrap(), "0777");
        assert_eq!(normalize_mode("").unwrap(), "");
        for bad in ["0888", "07555", "u+rwx", "75"] {
            assert_eq!(
                normalize_mode(bad).unwrap_err().message(),
                format!("Unsupported directory mode \"{bad}\". Value must be a 3 or 4 digit octal mode, such as 0755")
            );
        }
    }

    #[test]
    fn json_layout() {
        let mut e = legacy_entry("/tmp/mount");
        assert!(e.name.starts_with("legacy-") && e.name.len() == 17);
        assert_eq!(legacy_entry("/tmp/mount").name, e.name);
        assert_ne!(legacy_entry("vol").name, legacy_entry("/vol").name);
        e.annotations.insert("a/b".into(), "<x>".into());
        assert_eq!(
            gojson::indent(&e),
            format!("{{\n  \"name\": \"{}\",\n  \"scheduler\": \"docker-local\",\n  \"host_path\": \"/tmp/mount\",\n  \"annotations\": {{\n    \"a/b\": \"\\u003cx\\u003e\"\n  }},\n  \"schema_version\": 1\n}}", e.name)
        );
        let parsed: Entry = serde_json::from_str(r#"{"name":"x","scheduler":"k3s","size":"1Gi","labels":null,"schema_version":1,"extra":true}"#).unwrap();
        assert_eq!(parsed.size, "1Gi");
        assert!(parsed.labels.is_empty());
    }

    #[test]
    fn named_volumes_and_dotdot() {
        assert!(is_named_volume("mount_volume"));
        assert!(!is_named_volume("a"));
        assert!(!is_named_volume(".."));
        assert!(!is_named_volume("a/b"));
        assert!(has_parent_component("/a/../b"));
        assert!(has_parent_component(".."));
        assert!(!has_parent_component("/a/..b/c"));
    }
}
