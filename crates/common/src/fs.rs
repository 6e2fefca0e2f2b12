//! Crash-safe file operations. Every state write goes through [`write_atomic`]: the data is
//! written to a temporary file in the destination directory, fsynced, renamed over the
//! destination and the directory is fsynced, so readers see either the old or the new
//! content, never a torn file.

use std::ffi::OsString;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// Mode of property files and other private state.
pub const FILE_MODE: u32 = 0o600;
/// Mode of state directories.
pub const DIR_MODE: u32 = 0o755;

/// Marker in the names of temporary files, so directory listings can skip them.
pub const TEMP_MARKER: &str = ".dokku-tmp.";

/// Whether `name` is one of our in-flight temporary files.
pub fn is_temp_name(name: &std::ffi::OsStr) -> bool {
    let bytes = name.as_bytes();
    bytes.starts_with(b".")
        && bytes
            .windows(TEMP_MARKER.len())
            .any(|w| w == TEMP_MARKER.as_bytes())
}

fn temp_path(dest: &Path) -> PathBuf {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let mut name = OsString::from(".");
    name.push(dest.file_name().unwrap_or_default());
    name.push(format!("{TEMP_MARKER}{}.{n}.{nanos}", std::process::id()));
    dest.with_file_name(name)
}

/// Atomically replace `dest` with `data`, leaving the file at `mode` (and owned by the dokku
/// system user when running as root).
pub fn write_atomic(dest: &Path, data: &[u8], mode: u32) -> io::Result<()> {
    write_atomic_with(dest, mode, |f| f.write_all(data))
}

/// Atomically replace `dest` with whatever `fill` writes. If `fill` (or anything after it)
/// fails, `dest` keeps its previous content and the temporary file is removed.
pub fn write_atomic_with(
    dest: &Path,
    mode: u32,
    fill: impl FnOnce(&mut File) -> io::Result<()>,
) -> io::Result<()> {
    write_atomic_impl(dest, mode, true, fill)
}

/// Like [`write_atomic`], but the file keeps the writer's ownership: for host files outside
/// dokku's state (`/etc/...`) that must stay root's even when written as root.
pub fn write_atomic_keep_owner(dest: &Path, data: &[u8], mode: u32) -> io::Result<()> {
    write_atomic_impl(dest, mode, false, |f| f.write_all(data))
}

fn write_atomic_impl(
    dest: &Path,
    mode: u32,
    chown: bool,
    fill: impl FnOnce(&mut File) -> io::Result<()>,
) -> io::Result<()> {
    let tmp = temp_path(dest);
    let result = (|| {
        let mut file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(mode)
            .open(&tmp)?;
        fill(&mut file)?;
        // The umask may have narrowed the mode given to open.
        file.set_permissions(fs::Permissions::from_mode(mode))?;
        if chown {
            chown_to_system_user(&tmp)?;
        }
        file.sync_all()?;
        drop(file);
        fs::rename(&tmp, dest)?;
        sync_parent(dest)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// Remove a file durably; a missing file is not an error.
pub fn remove_file(path: &Path) -> io::Result<()> {
    match fs::remove_file(path) {
        Ok(()) => sync_parent(path),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
    }
}

/// Remove a directory tree (or a file, or a symlink without following it); missing is fine.
pub fn remove_all(path: &Path) -> io::Result<()> {
    let meta = match fs::symlink_metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e),
    };
    let result = if meta.is_dir() {
        fs::remove_dir_all(path)
    } else {
        fs::remove_file(path)
    };
    match result {
        Ok(()) => sync_parent(path),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
    }
}

/// fsync the directory holding `path`, so a rename or unlink survives a crash.
pub fn sync_parent(path: &Path) -> io::Result<()> {
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    File::open(parent)?.sync_all()
}

/// `mkdir -p` with `mode` on every directory created, then force `mode` on the leaf and
/// hand it to the dokku system user (when root), as Go's `MkdirAll` + `SetPermissions` do.
pub fn ensure_dir(path: &Path, mode: u32) -> io::Result<()> {
    fs::DirBuilder::new()
        .recursive(true)
        .mode(mode)
        .create(path)?;
    set_permissions(path, mode)
}

/// `mkdir -p` with `mode`, keeping the creator's ownership: for host directories outside
/// dokku's state (`/etc/nginx/conf.d`) that must stay root's.
pub fn ensure_dir_keep_owner(path: &Path, mode: u32) -> io::Result<()> {
    fs::DirBuilder::new()
        .recursive(true)
        .mode(mode)
        .create(path)
}

/// chmod `mode` and chown to the dokku system user when running as root.
pub fn set_permissions(path: &Path, mode: u32) -> io::Result<()> {
    fs::set_permissions(path, fs::Permissions::from_mode(mode))?;
    chown_to_system_user(path)
}

/// chown to `DOKKU_SYSTEM_USER:DOKKU_SYSTEM_GROUP` when we are root and both exist.
/// Unprivileged runs (tests, a temp root) keep their own ownership.
pub fn chown_to_system_user(path: &Path) -> io::Result<()> {
    if !nix::unistd::Uid::effective().is_root() {
        return Ok(());
    }
    let Some(user) = crate::account::user_by_name(&crate::env::system_user()) else {
        return Ok(());
    };
    let gid = crate::account::group_by_name(&crate::env::system_group())
        .map(|g| g.gid)
        .unwrap_or(user.gid);
    std::os::unix::fs::lchown(path, Some(user.uid), Some(gid))
}

/// Read a file, mapping "missing" to `None`.
pub fn read_optional(path: &Path) -> io::Result<Option<Vec<u8>>> {
    match fs::read(path) {
        Ok(b) => Ok(Some(b)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

/// Whether anything (even a dangling symlink) exists at `path`.
pub fn exists_no_follow(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok()
}

#[cfg(test)]
pub(crate) mod testutil {
    use std::path::{Path, PathBuf};
    use std::sync::atomic::{AtomicU64, Ordering};

    /// A directory removed on drop; no extra crate needed.
    pub struct TempDir(PathBuf);

    impl TempDir {
        pub fn new() -> TempDir {
            static N: AtomicU64 = AtomicU64::new(0);
            let dir = std::env::temp_dir().join(format!(
                "dokku-common-test-{}-{}",
                std::process::id(),
                N.fetch_add(1, Ordering::Relaxed)
            ));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).unwrap();
            TempDir(dir)
        }

        pub fn path(&self) -> &Path {
            &self.0
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::testutil::TempDir;
    use super::*;

    fn mode_of(p: &Path) -> u32 {
        fs::metadata(p).unwrap().permissions().mode() & 0o7777
    }

    #[test]
    fn atomic_write_replaces_content_and_sets_mode() {
        let dir = TempDir::new();
        let f = dir.path().join("prop");
        write_atomic(&f, b"one", 0o600).unwrap();
        assert_eq!(fs::read(&f).unwrap(), b"one");
        assert_eq!(mode_of(&f), 0o600);
        write_atomic(&f, b"two", 0o600).unwrap();
        assert_eq!(fs::read(&f).unwrap(), b"two");
        assert_eq!(
            fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temp file left behind"
        );
    }

    #[test]
    fn keep_owner_write() {
        let dir = TempDir::new();
        let f = dir.path().join("unit");
        write_atomic_keep_owner(&f, b"[Unit]\n", 0o644).unwrap();
        assert_eq!(fs::read(&f).unwrap(), b"[Unit]\n");
        assert_eq!(mode_of(&f), 0o644);
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn interrupted_write_keeps_old_content() {
        let dir = TempDir::new();
        let f = dir.path().join("prop");
        write_atomic(&f, b"old", 0o600).unwrap();
        let err = write_atomic_with(&f, 0o600, |file| {
            file.write_all(b"partial new cont")?;
            Err(io::Error::other("interrupted"))
        })
        .unwrap_err();
        assert_eq!(err.to_string(), "interrupted");
        assert_eq!(fs::read(&f).unwrap(), b"old");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn temp_names_are_recognised() {
        let t = temp_path(Path::new("/x/prop"));
        assert!(is_temp_name(t.file_name().unwrap()));
        assert!(!is_temp_name(std::ffi::OsStr::new("prop")));
        assert!(!is_temp_name(std::ffi::OsStr::new(".hidden")));
    }

    #[test]
    fn dirs_and_removal() {
        let dir = TempDir::new();
        let d = dir.path().join("a/b/c");
        ensure_dir(&d, 0o755).unwrap();
        assert_eq!(mode_of(&d), 0o755);
        write_atomic(&d.join("f"), b"x", 0o600).unwrap();
        remove_file(&d.join("f")).unwrap();
        remove_file(&d.join("f")).unwrap();
        remove_all(&dir.path().join("a")).unwrap();
        assert!(!dir.path().join("a").exists());
        remove_all(&dir.path().join("a")).unwrap();
    }
}
