//! Per-plugin app data directories at `$DOKKU_LIB_ROOT/data/<plugin>/<app>` (Go's
//! `CreateAppDataDirectory`, `CloneAppData`, `MigrateAppDataDirectory`,
//! `RemoveAppDataDirectory`, `SetupAppData`): created 0755, copied on clone/rename, removed
//! with the app. Copies write every file atomically and keep modes and symlinks.

use std::fs;
use std::io;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::fs::{self as dfs, DIR_MODE};
use crate::paths::Paths;

/// A plugin or app name must be one plain path component before it is joined to a path.
fn component(kind: &str, name: &str) -> Result<()> {
    if name.is_empty()
        || name == "."
        || name == ".."
        || name.contains('/')
        || name.contains('\0')
        || name.contains('\n')
    {
        return Err(Error::new(format!("Invalid {kind} name {name:?}")));
    }
    Ok(())
}

/// `data/<plugin>`.
pub fn dir(plugin: &str) -> Result<PathBuf> {
    component("plugin", plugin)?;
    Ok(Paths::from_env().data_root().join(plugin))
}

/// `data/<plugin>/<app>`.
pub fn app_dir(plugin: &str, app: &str) -> Result<PathBuf> {
    component("app", app)?;
    Ok(dir(plugin)?.join(app))
}

/// Create `data/<plugin>` (0755).
pub fn create(plugin: &str) -> Result<()> {
    Ok(dfs::ensure_dir(&dir(plugin)?, DIR_MODE)?)
}

/// Create `data/<plugin>/<app>` (0755).
pub fn create_app(plugin: &str, app: &str) -> Result<()> {
    Ok(dfs::ensure_dir(&app_dir(plugin, app)?, DIR_MODE)?)
}

/// Remove `data/<plugin>/<app>` and everything in it; missing is fine.
pub fn remove_app(plugin: &str, app: &str) -> Result<()> {
    Ok(dfs::remove_all(&app_dir(plugin, app)?)?)
}

/// Copy `old`'s data directory over `new`'s (merging into an existing one). Without data for
/// `old`, `new` just gets an empty directory.
pub fn clone_app(plugin: &str, old: &str, new: &str) -> Result<()> {
    let src = app_dir(plugin, old)?;
    let dst = app_dir(plugin, new)?;
    if !src.is_dir() {
        return create_app(plugin, new);
    }
    copy_tree(&src, &dst)
        .map_err(|e| Error::new(format!("Unable to clone app data to new location: {e}")))
}

/// [`clone_app`], then remove `old`'s directory.
pub fn migrate_app(plugin: &str, old: &str, new: &str) -> Result<()> {
    clone_app(plugin, old, new)?;
    remove_app(plugin, old)
}

/// Create `data/<plugin>` and a directory in it for every app.
pub fn setup(plugin: &str) -> Result<()> {
    create(plugin)?;
    for app in crate::app::unfiltered_apps().unwrap_or_default() {
        create_app(plugin, &app)?;
    }
    Ok(())
}

/// Recursively copy `src` into `dst`: directories keep their mode, files are written
/// atomically with their mode, symlinks are recreated as symlinks (never followed).
pub fn copy_tree(src: &Path, dst: &Path) -> io::Result<()> {
    let meta = fs::symlink_metadata(src)?;
    let mode = meta.permissions().mode() & 0o7777;
    if meta.file_type().is_symlink() {
        let target = fs::read_link(src)?;
        if dfs::exists_no_follow(dst) {
            dfs::remove_all(dst)?;
        }
        std::os::unix::fs::symlink(target, dst)?;
        return Ok(());
    }
    if meta.is_dir() {
        dfs::ensure_dir(dst, mode)?;
        for entry in fs::read_dir(src)? {
            let entry = entry?;
            copy_tree(&entry.path(), &dst.join(entry.file_name()))?;
        }
        return Ok(());
    }
    if meta.is_file() {
        let data = fs::read(src)?;
        return dfs::write_atomic(dst, &data, mode);
    }
    // Sockets, fifos and devices have no business in a data directory: skip them.
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fs::testutil::TempDir;

    fn mode(p: &Path) -> u32 {
        fs::metadata(p).unwrap().permissions().mode() & 0o7777
    }

    #[test]
    fn copy_keeps_modes_links_and_merges() {
        let dir = TempDir::new();
        let src = dir.path().join("src");
        fs::create_dir_all(src.join("sub")).unwrap();
        fs::write(src.join("a"), "A").unwrap();
        fs::set_permissions(src.join("a"), fs::Permissions::from_mode(0o640)).unwrap();
        fs::write(src.join("sub/b"), "B").unwrap();
        fs::write(src.join(".hidden"), "H").unwrap();
        std::os::unix::fs::symlink("a", src.join("link")).unwrap();
        let dst = dir.path().join("dst");
        fs::create_dir(&dst).unwrap();
        fs::write(dst.join("keep"), "K").unwrap();
        fs::write(dst.join("a"), "old").unwrap();
        copy_tree(&src, &dst).unwrap();
        assert_eq!(fs::read(dst.join("a")).unwrap(), b"A");
        assert_eq!(mode(&dst.join("a")), 0o640);
        assert_eq!(fs::read(dst.join("sub/b")).unwrap(), b"B");
        assert_eq!(fs::read(dst.join(".hidden")).unwrap(), b"H");
        assert_eq!(fs::read(dst.join("keep")).unwrap(), b"K");
        assert_eq!(fs::read_link(dst.join("link")).unwrap(), Path::new("a"));
        // A second copy replaces the link instead of failing.
        copy_tree(&src, &dst).unwrap();
        assert_eq!(fs::read_link(dst.join("link")).unwrap(), Path::new("a"));
    }

    #[test]
    fn names_are_single_components() {
        for bad in ["", ".", "..", "a/b", "a\nb"] {
            assert!(app_dir("apps", bad).is_err(), "{bad:?}");
            assert!(dir(bad).is_err(), "{bad:?}");
        }
    }
}
