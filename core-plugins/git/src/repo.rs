//! The app's bare repository at `$DOKKU_ROOT/<app>`: creating it with its `pre-receive`
//! hook, reading its heads, and copying the app directory on clone/rename.

use std::fs;
use std::io;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use dokku_common::fs::{self as dfs};
use dokku_common::{log, Error, Paths, Result};

use crate::props;
use crate::refname;

/// `$DOKKU_ROOT/<app>`. The name must have been validated.
pub fn app_root(app: &str) -> PathBuf {
    Paths::from_env().app_root(app)
}

/// Environment variables that would point git at another repository than the one we name.
const GIT_LOCATION_VARS: &[&str] = &[
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_INDEX_FILE",
    "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_COMMON_DIR",
    "GIT_NAMESPACE",
    "GIT_QUARANTINE_PATH",
];

/// A git program that must not inherit a repository location from our environment.
pub fn git_program(program: &str) -> Command {
    let mut cmd = Command::new(program);
    for var in GIT_LOCATION_VARS {
        cmd.env_remove(var);
    }
    cmd
}

/// `git <args>` run in `dir`.
pub fn git(dir: &Path, args: &[&str]) -> Command {
    let mut cmd = git_program("git");
    cmd.args(args).current_dir(dir);
    cmd
}

/// A child's status as the calling shell would pass it on: its code, or 128 + the signal.
pub fn exit_status(status: std::process::ExitStatus) -> Result<()> {
    use std::os::unix::process::ExitStatusExt;
    match status.code() {
        Some(0) => Ok(()),
        Some(code) => Err(Error::silent(code)),
        None => Err(Error::silent(128 + status.signal().unwrap_or(0))),
    }
}

/// The `pre-receive` hook upstream writes: it hands the pushed refs to `dokku git-hook`.
pub fn hook_script(dokku_root: &Path, app: &str) -> String {
    // The root is configuration, not user input, but it lands inside double quotes: keep the
    // characters that are special there literal.
    let mut root = String::new();
    for c in dokku_root.to_string_lossy().chars() {
        if matches!(c, '"' | '$' | '`' | '\\') {
            root.push('\\');
        }
        root.push(c);
    }
    format!(
        "#!/usr/bin/env bash\nset -e\nset -o pipefail\n\ncat | DOKKU_ROOT=\"{root}\" dokku git-hook \"{app}\"\n"
    )
}

/// Run `cmd` with its output held back; a failure prints the output (on stdout, as
/// upstream's `suppress_output` does) and fails with the command's status.
fn suppress_output(mut cmd: Command, what: &str) -> Result<()> {
    let out = cmd
        .stdin(Stdio::null())
        .output()
        .map_err(|e| Error::new(format!("Unable to run {what}: {e}")))?;
    if out.status.success() {
        return Ok(());
    }
    let mut text = out.stdout;
    text.extend_from_slice(&out.stderr);
    log::write_stdout(&String::from_utf8_lossy(&text));
    Err(Error::silent(out.status.code().unwrap_or(1)))
}

/// `fn-git-create-hook`: make the bare repository if there is none, then (re)write its
/// `pre-receive` hook for this app.
pub fn create_hook(app: &str) -> Result<()> {
    let paths = Paths::from_env();
    let root = paths.app_root(app);
    if !root.join("refs").is_dir() {
        let mut cmd = git(Path::new("/"), &["init", "-q", "--bare"]);
        cmd.arg(&root);
        suppress_output(cmd, "git init")?;
    }
    let hooks = root.join("hooks");
    dfs::ensure_dir(&hooks, dfs::DIR_MODE)?;
    let hook = hooks.join("pre-receive");
    dfs::write_atomic(&hook, hook_script(&paths.dokku_root, app).as_bytes(), 0o755)
        .map_err(|e| Error::new(format!("Unable to write {}: {e}", hook.display())))
}

/// `refs/heads/<branch>` of the app, when both names are valid.
pub fn head_file(app: &str, branch: &str) -> Option<PathBuf> {
    let valid = dokku_common::app::check_name(app).is_ok() && refname::is_valid_branch(branch);
    valid.then(|| app_root(app).join("refs/heads").join(branch))
}

/// `fn-git-has-code`: the branch (default: the deploy branch) has a loose head file.
pub fn has_code(app: &str, branch: &str) -> bool {
    let branch = if branch.is_empty() {
        props::computed_deploy_branch(app, props::DEFAULT_BRANCH)
    } else {
        branch.to_string()
    };
    head_file(app, &branch).is_some_and(|p| p.is_file())
}

/// Modification time (unix seconds) of the deploy branch's head file, or `""`.
pub fn last_updated_at(app: &str) -> String {
    let branch = props::computed_deploy_branch(app, props::DEFAULT_BRANCH);
    head_file(app, &branch)
        .and_then(|p| fs::metadata(p).ok())
        .and_then(|m| m.modified().ok())
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map(|d| d.as_secs().to_string())
        .unwrap_or_default()
}

/// `git rev-parse HEAD` in the app's repository, or `""` when it fails.
pub fn sha(app: &str) -> String {
    if dokku_common::env::var("DOKKU_TRACE").as_deref() == Some("1") {
        log::warn("exec: git rev-parse HEAD");
    }
    match git(&app_root(app), &["rev-parse", "HEAD"])
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
    {
        Ok(out) if out.status.success() => String::from_utf8_lossy(&out.stdout).trim().to_string(),
        _ => String::new(),
    }
}

/// Names never copied from one app to another: caches and the per-app domain files.
const NOT_COPIED: &[&str] = &[".cache", "cache", "VHOST", "URLS"];

/// Copy the old app's directory into the new one's on clone and rename, as upstream's
/// `find ./* … | cpio -pdmu` does: top-level dot-files stay behind, caches and `VHOST`/`URLS`
/// at any depth are skipped, existing files are replaced, file modes and modification times
/// are kept, symlinks are copied as links. Every file is written atomically.
pub fn copy_app_dir(old: &str, new: &str) -> Result<()> {
    let (src, dst) = (app_root(old), app_root(new));
    copy_children(&src, &dst, true).map_err(|e| {
        Error::new(format!(
            "Unable to copy {} to {}: {e}",
            src.display(),
            dst.display()
        ))
    })
}

/// Copy everything under `src` into `dst` (dot-files included), as `rsync -a src/ dst` does
/// for a git directory: modes, times and symlinks kept, existing files replaced.
pub fn copy_tree(src: &Path, dst: &Path) -> Result<()> {
    copy_children(src, dst, false).map_err(|e| {
        Error::new(format!(
            "Unable to copy {} to {}: {e}",
            src.display(),
            dst.display()
        ))
    })
}

fn copy_children(src: &Path, dst: &Path, top: bool) -> io::Result<()> {
    let mut entries: Vec<_> = fs::read_dir(src)?.collect::<io::Result<_>>()?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let name = entry.file_name();
        let name_str = name.to_string_lossy();
        if (top && name_str.starts_with('.')) || NOT_COPIED.contains(&name_str.as_ref()) {
            continue;
        }
        copy_entry(&entry.path(), &dst.join(&name))?;
    }
    Ok(())
}

fn copy_entry(src: &Path, dst: &Path) -> io::Result<()> {
    let meta = fs::symlink_metadata(src)?;
    let mode = meta.permissions().mode() & 0o7777;
    let kind = meta.file_type();
    if kind.is_symlink() {
        let target = fs::read_link(src)?;
        if dfs::exists_no_follow(dst) && !fs::symlink_metadata(dst)?.is_dir() {
            fs::remove_file(dst)?;
        }
        std::os::unix::fs::symlink(target, dst)?;
        dfs::sync_parent(dst)
    } else if kind.is_dir() {
        if !dst.is_dir() {
            dfs::ensure_dir(dst, mode)?;
        }
        copy_children(src, dst, false)
    } else if kind.is_file() {
        let modified = meta.modified()?;
        let mut input = fs::File::open(src)?;
        dfs::write_atomic_with(dst, mode, |f| {
            io::copy(&mut input, f)?;
            f.set_modified(modified)
        })
    } else {
        // Sockets, fifos and devices have no place in an app directory.
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hook_text() {
        assert_eq!(
            hook_script(Path::new("/home/dokku"), "web"),
            "#!/usr/bin/env bash\nset -e\nset -o pipefail\n\ncat | DOKKU_ROOT=\"/home/dokku\" dokku git-hook \"web\"\n"
        );
        assert!(hook_script(Path::new("/a\"$b`\\c"), "web")
            .contains("DOKKU_ROOT=\"/a\\\"\\$b\\`\\\\c\""));
    }
}
