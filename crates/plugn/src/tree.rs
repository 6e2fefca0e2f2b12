//! The on-disk plugin tree: `$PLUGIN_PATH/{available,enabled,config.toml}`.

use std::ffi::{OsStr, OsString};
use std::fs;
use std::io;
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::path::{Path, PathBuf};

/// A plugin root. Paths below it are built by string concatenation, as upstream does, so
/// hooks see `$0` exactly as `$PLUGIN_PATH/enabled/<plugin>/<hook>`.
#[derive(Debug, Clone)]
pub struct PluginTree {
    root: PathBuf,
}

impl PluginTree {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        PluginTree { root: root.into() }
    }

    /// The tree named by `PLUGIN_PATH`, if set and non-empty.
    pub fn from_env() -> Option<Self> {
        match std::env::var_os("PLUGIN_PATH") {
            Some(p) if !p.is_empty() => Some(PluginTree::new(p)),
            _ => None,
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// `<root>/<parts joined by '/'>`, concatenated textually.
    pub fn path(&self, parts: &[&OsStr]) -> PathBuf {
        let mut s = self.root.as_os_str().as_bytes().to_vec();
        for part in parts {
            s.push(b'/');
            s.extend_from_slice(part.as_bytes());
        }
        PathBuf::from(OsString::from_vec(s))
    }

    pub fn available_dir(&self) -> PathBuf {
        self.path(&["available".as_ref()])
    }

    pub fn enabled_dir(&self) -> PathBuf {
        self.path(&["enabled".as_ref()])
    }

    pub fn config_path(&self) -> PathBuf {
        self.path(&["config.toml".as_ref()])
    }

    pub fn available(&self, name: &OsStr) -> PathBuf {
        self.path(&["available".as_ref(), name])
    }

    pub fn enabled(&self, name: &OsStr) -> PathBuf {
        self.path(&["enabled".as_ref(), name])
    }

    /// Names of the enabled entries, in byte order, hidden entries excluded.
    pub fn enabled_names(&self) -> Vec<OsString> {
        sorted_entries(&self.enabled_dir())
    }

    /// Names of the available entries, in byte order, hidden entries excluded.
    pub fn available_names(&self) -> Vec<OsString> {
        sorted_entries(&self.available_dir())
    }
}

/// Directory entries as the glob `dir/*` sees them: no dotfiles, sorted by raw bytes
/// whatever the locale. A missing or unreadable directory has no entries.
pub fn sorted_entries(dir: &Path) -> Vec<OsString> {
    let mut names: Vec<OsString> = match fs::read_dir(dir) {
        Ok(rd) => rd
            .filter_map(|e| e.ok())
            .map(|e| e.file_name())
            .filter(|n| !n.as_bytes().starts_with(b"."))
            .collect(),
        Err(_) => Vec::new(),
    };
    names.sort_by(|a, b| a.as_bytes().cmp(b.as_bytes()));
    names
}

/// True when `path` exists after following symlinks.
pub fn exists(path: &Path) -> bool {
    fs::metadata(path).is_ok()
}

/// True when `path` is a directory after following symlinks.
pub fn is_dir(path: &Path) -> bool {
    fs::metadata(path).map(|m| m.is_dir()).unwrap_or(false)
}

/// True when `path` is a regular file after following symlinks.
pub fn is_file(path: &Path) -> bool {
    fs::metadata(path).map(|m| m.is_file()).unwrap_or(false)
}

pub(crate) fn not_found(e: &io::Error) -> bool {
    e.kind() == io::ErrorKind::NotFound
}
