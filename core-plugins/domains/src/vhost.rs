//! The VHOST files: `$DOKKU_ROOT/VHOST` (global domains) and `$DOKKU_ROOT/<app>/VHOST` (an
//! app's domains), one domain per line, as upstream writes them. Files written by a real
//! Dokku are read as they are; lines this plugin does not touch keep their bytes.
//!
//! Every change is a read-modify-write under a lock (the app lock for an app file, a
//! plugin lock for the global file) ending in an atomic replace.

use std::io;
use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;

use dokku_common::lock::{self, FileLock};
use dokku_common::{fs as dfs, Error, Paths, Result};

/// Mode of a VHOST file created here: what a shell redirection gives under the usual umask.
const NEW_FILE_MODE: u32 = 0o644;

/// Which VHOST file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope<'a> {
    Global,
    App(&'a str),
}

impl<'a> Scope<'a> {
    /// An app's file; the name is checked to be an app name (a single safe path component)
    /// before any path is built from it.
    pub fn app(name: &'a str) -> Result<Scope<'a>> {
        dokku_common::app::check_name(name).map_err(|_| Error::app_does_not_exist(name))?;
        Ok(Scope::App(name))
    }

    pub fn path(&self) -> PathBuf {
        let root = Paths::from_env().dokku_root;
        match self {
            Scope::Global => root.join("VHOST"),
            Scope::App(app) => root.join(app).join("VHOST"),
        }
    }

    /// Hold this while reading and rewriting the file; never across a trigger (a hook may
    /// call back into dokku for the same app).
    fn lock(&self) -> Result<FileLock> {
        match self {
            Scope::App(app) => {
                // The file lives in the app directory: an app that is not there has no file.
                if !Paths::from_env().app_root(app).is_dir() {
                    return Err(Error::app_does_not_exist(app));
                }
                lock::app_lock(app)
            }
            Scope::Global => {
                let dir = Paths::from_env().data_root().join("domains");
                dfs::ensure_dir(&dir, dfs::DIR_MODE)?;
                FileLock::exclusive(&dir.join(".global-vhost.lock"))
                    .map_err(|e| Error::new(format!("Unable to lock the global VHOST file: {e}")))
            }
        }
    }

    /// The file's lines, `None` when it is missing.
    pub fn read(&self) -> Result<Option<Lines>> {
        Ok(read_file(&self.path())?.map(|b| Lines::parse(&b)))
    }

    /// The raw content, `""` when missing or unreadable (Go's `os.ReadFile` with the error
    /// ignored, as the report does).
    pub fn content(&self) -> String {
        std::fs::read(self.path())
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .unwrap_or_default()
    }

    pub fn is_file(&self) -> bool {
        self.path().is_file()
    }

    /// Apply `change` to the current lines (empty when missing) under the lock. `change`
    /// returns whether to write; the file is then replaced atomically.
    pub fn update<T>(&self, change: impl FnOnce(&mut Lines) -> (bool, T)) -> Result<T> {
        let _guard = self.lock()?;
        let path = self.path();
        let mut lines = read_file(&path)?
            .map(|b| Lines::parse(&b))
            .unwrap_or_default();
        let (write, out) = change(&mut lines);
        if write {
            write_file(&path, &lines.to_bytes())?;
        }
        Ok(out)
    }

    /// Replace the file with one line per domain.
    pub fn write_domains<S: AsRef<str>>(&self, domains: &[S]) -> Result<()> {
        self.update(|lines| {
            *lines = Lines::from_domains(domains);
            (true, ())
        })
    }

    /// Create an empty file when there is none (`touch`).
    pub fn touch(&self) -> Result<()> {
        if self.path().exists() {
            return Ok(());
        }
        self.update(|_| (true, ()))
    }

    /// Remove the file; a missing one is fine (`rm -f`).
    pub fn remove(&self) -> Result<()> {
        let _guard = self.lock()?;
        let path = self.path();
        dfs::remove_file(&path)
            .map_err(|e| Error::new(format!("Unable to remove {}: {e}", path.display())))
    }
}

fn read_file(path: &std::path::Path) -> Result<Option<Vec<u8>>> {
    dfs::read_optional(path)
        .map_err(|e| Error::new(format!("Unable to read {}: {e}", path.display())))
}

/// Atomic replace; an existing file keeps its mode, as a shell redirection into it would.
fn write_file(path: &std::path::Path, data: &[u8]) -> Result<()> {
    let mode = match std::fs::metadata(path) {
        Ok(meta) => meta.permissions().mode() & 0o7777,
        Err(e) if e.kind() == io::ErrorKind::NotFound => NEW_FILE_MODE,
        Err(e) => {
            return Err(Error::new(format!(
                "Unable to write {}: {e}",
                path.display()
            )))
        }
    };
    dfs::write_atomic(path, data, mode)
        .map_err(|e| Error::new(format!("Unable to write {}: {e}", path.display())))
}

/// A VHOST file as lines of bytes, remembering whether the last one ended in a newline so
/// that an untouched file is written back byte for byte.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Lines {
    lines: Vec<Vec<u8>>,
    /// The last line had no newline (a hand-edited file).
    unterminated: bool,
}

impl Lines {
    pub fn parse(data: &[u8]) -> Lines {
        if data.is_empty() {
            return Lines::default();
        }
        let unterminated = !data.ends_with(b"\n");
        let body = data.strip_suffix(b"\n").unwrap_or(data);
        Lines {
            lines: body.split(|&b| b == b'\n').map(<[u8]>::to_vec).collect(),
            unterminated,
        }
    }

    pub fn from_domains<S: AsRef<str>>(domains: &[S]) -> Lines {
        Lines {
            lines: domains
                .iter()
                .map(|d| d.as_ref().as_bytes().to_vec())
                .collect(),
            unterminated: false,
        }
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        for (i, line) in self.lines.iter().enumerate() {
            out.extend_from_slice(line);
            if !(self.unterminated && i + 1 == self.lines.len()) {
                out.push(b'\n');
            }
        }
        out
    }

    /// A whole line equals `domain` (`grep --line-regexp --fixed-strings`).
    pub fn contains(&self, domain: &str) -> bool {
        self.lines.iter().any(|l| l == domain.as_bytes())
    }

    /// Append a line. An unterminated last line gets its newline first, so the new domain
    /// is never glued onto it.
    pub fn push(&mut self, domain: &str) {
        self.unterminated = false;
        self.lines.push(domain.as_bytes().to_vec());
    }

    /// Drop every line equal to `domain`; returns whether one was dropped.
    pub fn remove(&mut self, domain: &str) -> bool {
        let last_unterminated =
            self.unterminated && self.lines.last().is_some_and(|l| l == domain.as_bytes());
        let before = self.lines.len();
        self.lines.retain(|l| l != domain.as_bytes());
        if last_unterminated {
            // The line that lacked its newline is gone; every kept line had one.
            self.unterminated = false;
        }
        self.lines.len() != before
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_keeps_bytes() {
        for data in [
            &b""[..],
            b"a\n",
            b"a\nb\n",
            b"a\nb",
            b"\n\n",
            b"a\r\n",
            b"\xff\n",
        ] {
            assert_eq!(Lines::parse(data).to_bytes(), data, "{data:?}");
        }
    }

    #[test]
    fn edits() {
        let mut l = Lines::parse(b"a\nb");
        assert!(l.contains("b") && !l.contains("c") && !l.contains(""));
        l.push("c");
        assert_eq!(l.to_bytes(), b"a\nb\nc\n");

        let mut l = Lines::parse(b"a\nb\na\nc");
        assert!(l.remove("a"));
        assert_eq!(l.to_bytes(), b"b\nc");
        assert!(l.remove("c"));
        assert_eq!(l.to_bytes(), b"b\n");
        assert!(!l.remove("zz"));
        // the domain is matched literally, not as a pattern
        let mut l = Lines::parse(b"aXb\na.b\n");
        l.remove("a.b");
        assert_eq!(l.to_bytes(), b"aXb\n");
        assert_eq!(Lines::from_domains(&["x", "y"]).to_bytes(), b"x\ny\n");
    }
}
