//! The record store: `$DOKKU_LIB_ROOT/data/builds/<app>/<id>.json` plus the captured output
//! `<id>.log`, retention and the reaping of abandoned records.
//!
//! Every record write is atomic. Writers hold an exclusive `flock` on the app's directory,
//! so a finalize racing a `builds:cancel` or a prune never loses an update. The lock is
//! taken only when the directory exists (or is being created by `builds-record-start`):
//! without it there is nothing to protect.

use std::io;
use std::path::{Path, PathBuf};

use dokku_common::fs::{self as dfs, DIR_MODE};
use dokku_common::lock::FileLock;
use dokku_common::property::{Store, GLOBAL};
use dokku_common::text::go_quote;
use dokku_common::{app, log, Error, Paths, Result};

use crate::record::{Build, FAILED, RUNNING};

pub const PLUGIN: &str = "builds";
pub const DEFAULT_RETENTION: i64 = 20;
pub const MINIMUM_RETENTION: i64 = 1;

/// A record as loaded, with the file name it came from: updates and removals go to that
/// file, whatever the record's own `id` field says.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub file_id: String,
    pub build: Build,
}

/// `data/builds`.
pub fn root() -> PathBuf {
    Paths::from_env().data_root().join(PLUGIN)
}

/// `data/builds/<app>`; the name must be a valid app name.
pub fn app_dir(app: &str) -> Result<PathBuf> {
    app::check_name(app)?;
    Ok(root().join(app))
}

/// Whether `id` can name a file in the app's directory. Ids come from `builds-generate-id`
/// (`[0-9a-z]{14}`) or `pid-<n>`, but also from the command line and the deploy lock file.
pub fn valid_id(id: &str) -> bool {
    !id.is_empty() && id != "." && id != ".." && !id.contains(['/', '\0'])
}

pub fn record_path(app: &str, id: &str) -> Result<PathBuf> {
    Ok(app_dir(app)?.join(format!("{id}.json")))
}

pub fn log_path(app: &str, id: &str) -> Result<PathBuf> {
    Ok(app_dir(app)?.join(format!("{id}.log")))
}

/// The `log_path` shown for a record: upstream's `filepath.Join(dir, id + ".log")`, which
/// cleans the path lexically. Display only; nothing is opened through it.
pub fn display_log_path(build: &Build) -> String {
    let joined = format!("{}/{}/{}.log", root().display(), build.app, build.id);
    clean_path(&joined)
}

/// Go's `path.Clean` on a slash path.
fn clean_path(p: &str) -> String {
    let absolute = p.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in p.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|l| *l != "..") {
                    parts.pop();
                } else if !absolute {
                    parts.push("..");
                }
            }
            other => parts.push(other),
        }
    }
    let body = parts.join("/");
    match (absolute, body.is_empty()) {
        (true, _) => format!("/{body}"),
        (false, true) => ".".to_string(),
        (false, false) => body,
    }
}

/// An I/O error worded as Go's `*PathError` is: `<op> <path>: <reason>`.
pub fn path_error(op: &str, path: &Path, e: &io::Error) -> String {
    format!("{op} {}: {}", path.display(), errno_text(e))
}

/// The lowercase reason Go prints for an errno.
pub fn errno_text(e: &io::Error) -> String {
    match e.raw_os_error() {
        Some(code) => {
            let desc = nix::errno::Errno::from_raw(code).desc();
            let mut chars = desc.chars();
            match chars.next() {
                Some(first) => first.to_lowercase().chain(chars).collect(),
                None => desc.to_string(),
            }
        }
        None => e.to_string(),
    }
}

/// Hold the app's store lock. `create` makes the directory first; otherwise a missing
/// directory means there is nothing to lock and `None` is returned.
pub fn lock(app: &str, create: bool) -> Result<Option<FileLock>> {
    let dir = app_dir(app)?;
    if create {
        dfs::ensure_dir(&dir, DIR_MODE).map_err(|e| {
            Error::new(format!(
                "create builds data dir: {}",
                path_error("mkdir", &dir, &e)
            ))
        })?;
    } else if !dir.is_dir() {
        return Ok(None);
    }
    FileLock::directory(&dir)
        .map(Some)
        .map_err(|e| Error::new(format!("Unable to lock builds data dir for {app}: {e}")))
}

/// Write a record to `<file_id>.json` atomically (mode 0644, as upstream).
pub fn write(app: &str, file_id: &str, build: &Build) -> Result<()> {
    let dir = app_dir(app)?;
    dfs::ensure_dir(&dir, DIR_MODE).map_err(|e| {
        Error::new(format!(
            "create builds data dir: {}",
            path_error("mkdir", &dir, &e)
        ))
    })?;
    let path = record_path(app, file_id)?;
    dfs::write_atomic(&path, build.to_file_json().as_bytes(), 0o644).map_err(|e| {
        Error::new(format!(
            "write build record: {}",
            path_error("open", &path, &e)
        ))
    })
}

/// Why a record could not be read.
#[derive(Debug)]
pub enum ReadError {
    NotFound,
    Other(String),
}

/// Load `<id>.json`. An id that cannot name a file reads as missing.
pub fn read(app: &str, id: &str) -> std::result::Result<Build, ReadError> {
    if !valid_id(id) {
        return Err(ReadError::NotFound);
    }
    let path = record_path(app, id).map_err(|e| ReadError::Other(e.message().to_string()))?;
    read_path(&path, id)
}

fn read_path(path: &Path, id: &str) -> std::result::Result<Build, ReadError> {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Err(ReadError::NotFound),
        Err(e) => return Err(ReadError::Other(path_error("open", path, &e))),
    };
    Build::from_json(&bytes).map_err(|e| ReadError::Other(format!("parse build record {id}: {e}")))
}

/// Every readable record of the app, newest first (ties keep file-name order). Unreadable
/// records are skipped with a warning.
pub fn fetch(app: &str) -> Result<Vec<Loaded>> {
    let dir = app_dir(app)?;
    let entries = match std::fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => {
            return Err(Error::new(format!(
                "list builds dir for {app}: {}",
                path_error("open", &dir, &e)
            )))
        }
    };
    let mut names: Vec<(String, bool)> = entries
        .flatten()
        .filter_map(|entry| {
            let is_dir = entry.file_type().map(|t| t.is_dir()).unwrap_or(false);
            entry.file_name().into_string().ok().map(|n| (n, is_dir))
        })
        .collect();
    names.sort();
    let mut builds = Vec::new();
    for (name, is_dir) in names {
        let Some(id) = name.strip_suffix(".json") else {
            continue;
        };
        if is_dir {
            continue;
        }
        match read_path(&dir.join(&name), id) {
            Ok(build) => builds.push(Loaded {
                file_id: id.to_string(),
                build,
            }),
            Err(e) => {
                let reason = match e {
                    ReadError::NotFound => {
                        path_error("open", &dir.join(&name), &io::Error::from_raw_os_error(2))
                    }
                    ReadError::Other(msg) => msg,
                };
                log::warn(&format!(
                    "Skipping unreadable build record {app}/{name}: {reason}"
                ));
            }
        }
    }
    builds.sort_by_key(|l| std::cmp::Reverse(l.build.started_at));
    Ok(builds)
}

/// Go's `strconv.Atoi`, with its error text.
pub fn atoi(s: &str) -> std::result::Result<i64, String> {
    let err = |why: &str| format!("strconv.Atoi: parsing {}: {why}", go_quote(s));
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(err("invalid syntax"));
    }
    s.parse::<i64>().map_err(|_| err("value out of range"))
}

/// The retention for an app: its property, else the global one, else 20. Values that are
/// not integers of at least 1 are skipped with a warning.
pub fn retention(app: &str) -> i64 {
    let store = Store::from_env();
    if !app.is_empty() && app != GLOBAL {
        if let Some(n) = parse_retention(&store.get(PLUGIN, app, "retention"), app) {
            return n;
        }
    }
    parse_retention(&store.get(PLUGIN, GLOBAL, "retention"), GLOBAL).unwrap_or(DEFAULT_RETENTION)
}

fn parse_retention(raw: &str, scope: &str) -> Option<i64> {
    if raw.is_empty() {
        return None;
    }
    let Ok(n) = atoi(raw) else {
        log::warn(&format!(
            "Ignoring non-integer builds retention {} for {scope}",
            go_quote(raw)
        ));
        return None;
    };
    if n < MINIMUM_RETENTION {
        log::warn(&format!(
            "Ignoring builds retention {n} below minimum {MINIMUM_RETENTION} for {scope}"
        ));
        return None;
    }
    Some(n)
}

/// Finalize every running record whose process is gone as `failed` with exit code -1.
/// The caller holds the lock.
fn reap_abandoned(app: &str) -> Result<usize> {
    let mut reaped = 0;
    for mut loaded in fetch(app)? {
        if loaded.build.status != RUNNING || loaded.build.is_live() {
            continue;
        }
        loaded.build.finish(FAILED, -1);
        match write(app, &loaded.file_id, &loaded.build) {
            Ok(()) => reaped += 1,
            Err(e) => log::warn(&format!(
                "Could not reap abandoned build {app}/{}: {}",
                loaded.build.id,
                e.message()
            )),
        }
    }
    Ok(reaped)
}

/// Reap abandoned records, then delete finalized records (and their logs) beyond the
/// retention, oldest first. Live builds are never touched. The caller holds the lock.
pub fn prune_locked(app: &str) -> Result<()> {
    reap_abandoned(app)?;
    let builds = fetch(app)?;
    let keep = usize::try_from(retention(app)).unwrap_or(usize::MAX);
    let finalized: Vec<&Loaded> = builds.iter().filter(|l| !l.build.is_live()).collect();
    for loaded in finalized.iter().skip(keep) {
        remove_files(app, &loaded.file_id);
    }
    Ok(())
}

/// [`prune_locked`] under the app's lock.
pub fn prune(app: &str) -> Result<()> {
    let _guard = lock(app, false)?;
    prune_locked(app)
}

fn remove_files(app: &str, id: &str) {
    if let Ok(path) = record_path(app, id) {
        if let Err(e) = dfs::remove_file(&path) {
            log::warn(&format!(
                "Could not remove build record {app}/{id}: {}",
                path_error("remove", &path, &e)
            ));
        }
    }
    if let Ok(path) = log_path(app, id) {
        if let Err(e) = dfs::remove_file(&path) {
            log::warn(&format!(
                "Could not remove build log {app}/{id}.log: {}",
                path_error("remove", &path, &e)
            ));
        }
    }
}

/// The newest record, if any.
pub fn latest(app: &str) -> Option<Build> {
    fetch(app).ok()?.into_iter().next().map(|l| l.build)
}

/// `data/apps/<app>/.deploy.lock`, which holds the running build's id.
pub fn deploy_lock_path(app: &str) -> PathBuf {
    Paths::from_env().deploy_lock(app)
}

/// The id in the deploy lock: `Ok(None)` when no deploy holds it.
pub fn deploy_lock_id(app: &str) -> Result<Option<String>> {
    let path = deploy_lock_path(app);
    match std::fs::read(&path) {
        Ok(bytes) => Ok(Some(String::from_utf8_lossy(&bytes).trim().to_string())),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::new(path_error("open", &path, &e))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cleaning() {
        assert_eq!(clean_path("/a/b/../c//./d.log"), "/a/c/d.log");
        assert_eq!(clean_path("/a/../../x.log"), "/x.log");
        assert_eq!(clean_path("a/../.."), "..");
    }

    #[test]
    fn go_atoi() {
        assert_eq!(atoi("5"), Ok(5));
        assert_eq!(atoi("+5"), Ok(5));
        assert_eq!(atoi("-3"), Ok(-3));
        assert_eq!(atoi("007"), Ok(7));
        assert_eq!(
            atoi("abc").unwrap_err(),
            "strconv.Atoi: parsing \"abc\": invalid syntax"
        );
        assert_eq!(
            atoi("").unwrap_err(),
            "strconv.Atoi: parsing \"\": invalid syntax"
        );
        assert_eq!(
            atoi("1_0").unwrap_err(),
            "strconv.Atoi: parsing \"1_0\": invalid syntax"
        );
        assert_eq!(
            atoi(" 1").unwrap_err(),
            "strconv.Atoi: parsing \" 1\": invalid syntax"
        );
        assert_eq!(
            atoi("99999999999999999999").unwrap_err(),
            "strconv.Atoi: parsing \"99999999999999999999\": value out of range"
        );
    }

    #[test]
    fn ids() {
        for ok in ["lq2x9k1ma1b2c3", "pid-123", ".hidden", "a.b"] {
            assert!(valid_id(ok), "{ok}");
        }
        for bad in ["", ".", "..", "../x", "a/b", "a\0b"] {
            assert!(!valid_id(bad), "{bad:?}");
        }
    }

    #[test]
    fn errno_words() {
        assert_eq!(
            errno_text(&io::Error::from_raw_os_error(2)),
            "no such file or directory"
        );
        assert_eq!(
            errno_text(&io::Error::from_raw_os_error(13)),
            "permission denied"
        );
    }
}
