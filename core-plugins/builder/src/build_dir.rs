//! `core-post-extract <app> <dir> [<rev>]`: with a `build-dir` set, the extracted source is
//! replaced by that subdirectory, so monorepo apps build from their own folder.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use dokku_common::args::nth;
use dokku_common::{fs as dfs, Error, Result};

use crate::report::computed;

pub fn core_post_extract(args: &[String]) -> Result<()> {
    let (app, work) = (nth(args, 0), Path::new(nth(args, 1)));
    let build_dir = computed(app, "build-dir", "");
    let build_dir = build_dir.trim_matches('/');
    if build_dir.is_empty() {
        return Ok(());
    }
    let not_found = || {
        Error::new(format!(
            "Specified build-dir not found in sourcecode working directory: {build_dir}"
        ))
    };
    let root = work.canonicalize().map_err(|_| not_found())?;
    let source = root
        .join(build_dir)
        .canonicalize()
        .map_err(|_| not_found())?;
    // Symlinks are resolved, so a build-dir leading out of the source is simply not found.
    if !source.starts_with(&root) || !source.is_dir() {
        return Err(not_found());
    }
    if source == root {
        return Ok(());
    }
    promote(&root, &source).map_err(|e| {
        Error::new(format!(
            "Unable to move build-dir to sourcecode working directory: {e}"
        ))
    })
}

/// Make `source`'s content the whole of `root`: park it under a fresh name at the top, clear
/// everything else, then move its entries up. Renames stay on one filesystem and keep modes,
/// owners and symlinks.
fn promote(root: &Path, source: &Path) -> io::Result<()> {
    let parked = free_name(root, source)?;
    fs::rename(source, &parked)?;
    for entry in fs::read_dir(root)? {
        let path = entry?.path();
        if path != parked {
            dfs::remove_all(&path)?;
        }
    }
    for entry in fs::read_dir(&parked)? {
        let entry = entry?;
        fs::rename(entry.path(), root.join(entry.file_name()))?;
    }
    fs::remove_dir(&parked)?;
    dfs::sync_parent(&parked)
}

/// A name free both at the top of `root` and among `source`'s entries (which move up).
fn free_name(root: &Path, source: &Path) -> io::Result<PathBuf> {
    let pid = std::process::id();
    for n in 0..1000 {
        let name = format!(".dokku-build-dir-{pid}-{n}");
        if !dfs::exists_no_follow(&root.join(&name)) && !dfs::exists_no_follow(&source.join(&name))
        {
            return Ok(root.join(name));
        }
    }
    Err(io::Error::new(
        io::ErrorKind::AlreadyExists,
        "no free temporary name",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn tempdir(tag: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("builder-promote-{}-{tag}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir.canonicalize().unwrap()
    }

    #[test]
    fn promotes_a_nested_directory() {
        let root = tempdir("nested");
        fs::create_dir_all(root.join("apps/web/bin")).unwrap();
        fs::write(root.join("README"), "top").unwrap();
        fs::write(root.join("apps/other"), "x").unwrap();
        fs::write(root.join("apps/web/Procfile"), "web: x").unwrap();
        fs::write(root.join("apps/web/bin/run"), "#!/bin/sh").unwrap();
        fs::set_permissions(
            root.join("apps/web/bin/run"),
            fs::Permissions::from_mode(0o750),
        )
        .unwrap();
        std::os::unix::fs::symlink("Procfile", root.join("apps/web/link")).unwrap();
        // An entry named like the parking place moves up as well.
        fs::write(
            root.join(format!(
                "apps/web/.dokku-build-dir-{}-0",
                std::process::id()
            )),
            "",
        )
        .unwrap();
        promote(&root, &root.join("apps/web")).unwrap();
        let mut names: Vec<String> = fs::read_dir(&root)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        let parked = format!(".dokku-build-dir-{}-0", std::process::id());
        assert_eq!(names, [parked.as_str(), "Procfile", "bin", "link"]);
        assert_eq!(fs::read_to_string(root.join("Procfile")).unwrap(), "web: x");
        let mode = fs::metadata(root.join("bin/run"))
            .unwrap()
            .permissions()
            .mode()
            & 0o777;
        assert_eq!(mode, 0o750);
        assert_eq!(
            fs::read_link(root.join("link")).unwrap(),
            Path::new("Procfile")
        );
        fs::remove_dir_all(&root).unwrap();
    }
}
