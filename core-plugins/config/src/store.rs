//! Where environments live and how they are read and changed.
//!
//! `$DOKKU_LIB_ROOT/config/<app>/ENV` and `$DOKKU_LIB_ROOT/config/--global/ENV`, in the format of
//! [`crate::dotenv`], mode 0600. A scope name of `""` or `--global` means the global
//! environment, anything else is an app name, checked to be a valid app name (a single safe
//! path component) before any path is built.
//!
//! Every change goes through [`update`]: it holds an exclusive `flock` on the environment's
//! directory for the whole read-modify-write, and writes through
//! [`dokku_common::fs::write_atomic`], so concurrent writers never lose each other's keys and
//! a killed writer leaves either the old or the new file. Readers take no lock: they see one
//! complete file or the other.

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};

use dokku_common::fs::{self as dfs, DIR_MODE, FILE_MODE};
use dokku_common::lock::FileLock;
use dokku_common::{app, log, Error, Paths, Result};

use crate::dotenv;

pub const GLOBAL: &str = "--global";

/// `""` and `--global` both address the global environment, as upstream's helpers accept.
pub fn is_global(scope: &str) -> bool {
    scope.is_empty() || scope == GLOBAL
}

/// `^[a-zA-Z_][a-zA-Z0-9_]*$`, with upstream's message.
pub fn validate_key(key: &str) -> Result<()> {
    let b = key.as_bytes();
    let ok = match b.split_first() {
        Some((&first, rest)) => {
            (first.is_ascii_alphabetic() || first == b'_')
                && rest.iter().all(|&c| c.is_ascii_alphanumeric() || c == b'_')
        }
        None => false,
    };
    if ok {
        Ok(())
    } else {
        Err(Error::new(format!("Invalid key name: '{key}'")))
    }
}

/// The directory holding a scope's ENV file.
pub fn env_dir(scope: &str) -> Result<PathBuf> {
    let root = Paths::from_env().config_root();
    if is_global(scope) {
        return Ok(root.join(GLOBAL));
    }
    app::check_name(scope)?;
    Ok(root.join(scope))
}

pub fn env_file(scope: &str) -> Result<PathBuf> {
    Ok(env_dir(scope)?.join("ENV"))
}

/// An environment: keys in byte order, as upstream sorts them everywhere.
pub type Env = BTreeMap<String, String>;

/// The name upstream uses in messages about a scope's file.
pub fn display_name(scope: &str) -> &str {
    if is_global(scope) {
        "<global>"
    } else {
        scope
    }
}

/// Read and parse a file; a missing file is an empty environment.
pub fn read_file(path: &Path) -> Result<Env> {
    match dfs::read_optional(path) {
        Ok(Some(bytes)) => dotenv::parse(&bytes).map_err(Error::new),
        Ok(None) => Ok(Env::new()),
        Err(e) => Err(Error::new(go_io_error("open", path, &e))),
    }
}

/// The `op path: reason` text Go's `*PathError` prints.
pub fn go_io_error(op: &str, path: &Path, err: &io::Error) -> String {
    let reason = match err.kind() {
        io::ErrorKind::NotFound => "no such file or directory".to_string(),
        io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ if err.raw_os_error() == Some(nix::libc::EISDIR) => {
            return format!("read {}: is a directory", path.display())
        }
        _ => {
            let text = err.to_string();
            match text.find(" (os error") {
                Some(i) => text[..i].to_lowercase(),
                None => text,
            }
        }
    };
    format!("{op} {}: {reason}", path.display())
}

/// Drop keys that are not valid variable names, announcing each as upstream does.
/// Returns whether anything was dropped.
pub fn drop_invalid_keys(env: &mut Env, name: &str) -> bool {
    let invalid: Vec<String> = env
        .keys()
        .filter(|k| validate_key(k).is_err())
        .cloned()
        .collect();
    for key in &invalid {
        log::info1(&format!(
            "Deleting invalid key {key} from config for {name}"
        ));
        env.remove(key);
    }
    !invalid.is_empty()
}

/// Load a scope's environment. A file holding invalid keys is cleaned and rewritten (under
/// the lock), as upstream's loader does.
pub fn load(scope: &str) -> Result<Env> {
    let path = env_file(scope)?;
    let env = read_file(&path)?;
    if env.keys().all(|k| validate_key(k).is_ok()) {
        return Ok(env);
    }
    let Locked { env, .. } = Locked::acquire(scope)?;
    Ok(env)
}

/// The app environment with the global one underneath (app values win).
pub fn load_merged(scope: &str) -> Result<Env> {
    let app_env = load(scope)?;
    let mut merged = load(GLOBAL)?;
    merged.extend(app_env);
    Ok(merged)
}

/// A scope's environment held under its lock.
pub struct Locked {
    scope: String,
    dir: PathBuf,
    _lock: FileLock,
    pub env: Env,
}

impl Locked {
    /// Lock the scope's directory (creating it if needed) and load its environment, dropping
    /// invalid keys and writing the file back if there were any.
    pub fn acquire(scope: &str) -> Result<Locked> {
        let dir = env_dir(scope)?;
        if !dir.is_dir() {
            dfs::ensure_dir(&dir, DIR_MODE)
                .map_err(|e| Error::new(format!("Unable to create {}: {e}", dir.display())))?;
        }
        let lock = FileLock::directory(&dir)
            .map_err(|e| Error::new(format!("Unable to lock {}: {e}", dir.display())))?;
        let env = read_file(&dir.join("ENV"))?;
        let mut locked = Locked {
            scope: scope.to_string(),
            dir,
            _lock: lock,
            env,
        };
        let name = display_name(scope).to_string();
        if drop_invalid_keys(&mut locked.env, &name) && locked.write().is_err() {
            return Err(log::fail(format!(
                "Error writing back config for {name} after removing invalid keys"
            )));
        }
        Ok(locked)
    }

    pub fn path(&self) -> PathBuf {
        self.dir.join("ENV")
    }

    /// Replace the ENV file with the current environment, atomically, mode 0600.
    pub fn write(&self) -> Result<()> {
        let path = self.path();
        remove_stale_temp_files(&self.dir);
        dfs::write_atomic(&path, dotenv::marshal(&self.env).as_bytes(), FILE_MODE).map_err(|e| {
            Error::new(format!(
                "Unable to write config for {}: {e}",
                display_name(&self.scope)
            ))
        })
    }
}

/// Temporary files of writers that were killed mid-write. Only called under the lock, when
/// no other writer of this directory can be in flight.
fn remove_stale_temp_files(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        if dfs::is_temp_name(&name) && name.to_string_lossy().starts_with(".ENV") {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Run `change` on a scope's environment under its lock; the file is written only when
/// `change` returns `true`.
pub fn update<T>(scope: &str, change: impl FnOnce(&mut Env) -> Result<(bool, T)>) -> Result<T> {
    let mut locked = Locked::acquire(scope)?;
    let (dirty, out) = change(&mut locked.env)?;
    if dirty {
        locked.write()?;
    }
    Ok(out)
}

/// [`update`] for changes that only remove keys: a scope without a directory has nothing to
/// remove, so it is neither created nor locked.
pub fn update_existing<T>(
    scope: &str,
    change: impl FnOnce(&mut Env) -> Result<(bool, T)>,
) -> Result<T> {
    if !env_dir(scope)?.is_dir() {
        return change(&mut Env::new()).map(|(_, out)| out);
    }
    update(scope, change)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys() {
        for ok in ["A", "_", "a_B9", "_1"] {
            assert!(validate_key(ok).is_ok(), "{ok}");
        }
        for bad in ["", "1A", "A-B", "A=B", "A B", "A\0", "é", "A.B", "A\n"] {
            let e = validate_key(bad).unwrap_err();
            assert_eq!(e.message(), format!("Invalid key name: '{bad}'"));
        }
    }

    #[test]
    fn scopes() {
        assert!(is_global("") && is_global("--global") && !is_global("web"));
        assert!(env_dir("../x").is_err());
        assert!(env_dir("a/b").is_err());
        assert!(env_dir("-x").is_err());
        assert!(env_dir("Web").is_err());
        assert!(env_dir("..").is_err());
    }
}
