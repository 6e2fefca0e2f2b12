//! Commands that change the plugin tree: init, enable, disable, install, update, uninstall.

use std::fs;
use std::io;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::names;
use crate::tree::{self, not_found, PluginTree};
use crate::Error;

/// `init`: create the tree; an existing `config.toml` keeps its content.
pub fn init(tree: &PluginTree) -> Result<(), Error> {
    for dir in [
        tree.root().to_path_buf(),
        tree.enabled_dir(),
        tree.available_dir(),
    ] {
        fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
    }
    let config = tree.config_path();
    fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&config)
        .map_err(|e| Error::io(&config, e))?;
    Ok(())
}

/// `enable`: point `enabled/<name>` at `<PLUGIN_PATH>/available/<name>` (the exact target string
/// Dokku checks). Replacing the link atomically keeps a second `enable` from writing a link
/// inside the plugin, as upstream's `ln -fs` does.
pub fn enable(tree: &PluginTree, name: &str) -> Result<(), Error> {
    names::check_plugin(name)?;
    let enabled_dir = tree.enabled_dir();
    fs::create_dir_all(&enabled_dir).map_err(|e| Error::io(&enabled_dir, e))?;
    let link = tree.enabled(name.as_ref());
    let target = tree.available(name.as_ref());
    if fs::read_link(&link).map(|t| t == target).unwrap_or(false) {
        return Ok(());
    }
    let tmp = tree.path(&[
        "enabled".as_ref(),
        format!(".{name}.plugn-link-{}", std::process::id()).as_ref(),
    ]);
    let _ = fs::remove_file(&tmp);
    symlink(&target, &tmp).map_err(|e| Error::io(&tmp, e))?;
    fs::rename(&tmp, &link).map_err(|e| {
        let _ = fs::remove_file(&tmp);
        Error::io(&link, e)
    })
}

/// `disable`: remove `enabled/<name>`; not being enabled is an error (exit 1), as upstream.
pub fn disable(tree: &PluginTree, name: &str) -> Result<(), Error> {
    names::check_plugin(name)?;
    let enabled_dir = tree.enabled_dir();
    fs::create_dir_all(&enabled_dir).map_err(|e| Error::io(&enabled_dir, e))?;
    let link = tree.enabled(name.as_ref());
    let reason = match fs::symlink_metadata(&link) {
        Err(_) => Some("No such file or directory"),
        Ok(m) if m.is_dir() => Some("Is a directory"),
        Ok(_) => None,
    };
    if let Some(reason) = reason {
        eprintln!("rm: cannot remove '{}': {}", link.display(), reason);
        return Err(Error::Status(1));
    }
    fs::remove_file(&link).map_err(|e| Error::io(&link, e))
}

/// `uninstall`: remove the enabled link and the available entry; a symlinked plugin (a Dokku
/// core plugin) loses only its link. Silent and successful when absent.
pub fn uninstall(tree: &PluginTree, name: &str) -> Result<(), Error> {
    names::check_plugin(name)?;
    remove_entry(&tree.enabled(name.as_ref()))?;
    remove_entry(&tree.available(name.as_ref()))
}

/// `rm -rf` of one entry, never following a symlink.
fn remove_entry(path: &Path) -> Result<(), Error> {
    let result = match fs::symlink_metadata(path) {
        Err(e) if not_found(&e) => return Ok(()),
        Err(e) => Err(e),
        Ok(m) if m.is_dir() => fs::remove_dir_all(path),
        Ok(_) => fs::remove_file(path),
    };
    match result {
        Err(e) if !not_found(&e) => Err(Error::io(path, e)),
        _ => Ok(()),
    }
}

/// The default plugin name for a URL: its last `/` segment, cut at the first dot.
pub fn default_name(url: &str) -> &str {
    let last = url.rsplit('/').next().unwrap_or(url);
    last.split('.').next().unwrap_or(last)
}

fn is_tarball(url: &str) -> bool {
    let last = url.rsplit('/').next().unwrap_or(url);
    last.ends_with(".tar.gz") || last.ends_with(".tgz")
}

/// `install <url> [name]`: a git clone, or a `.tar.gz`/`.tgz` download unpacked beside the
/// tree and swapped into place only once complete.
pub fn install(tree: &PluginTree, url: &str, name: Option<&str>) -> Result<(), Error> {
    let available = tree.available_dir();
    if !tree::is_dir(&available) {
        return Err(Error::Status(1));
    }
    if url.starts_with('-') {
        eprintln!("plugn: refusing URL '{url}': it starts with '-'");
        return Err(Error::Status(1));
    }
    let name = name.unwrap_or_else(|| default_name(url));
    names::check_plugin(name)?;
    if is_tarball(url) {
        install_tarball(tree, url, name)
    } else {
        install_git(tree, url, name)
    }
}

fn install_git(tree: &PluginTree, url: &str, name: &str) -> Result<(), Error> {
    let dir = tree.available(name.as_ref());
    if tree::exists(&dir) {
        if !tree::is_dir(&dir.join(".git")) {
            eprintln!("{name} is already installed, but it does not seem to be a git repository");
            return Err(Error::Status(1));
        }
        let out = git(&dir)
            .args(["config", "remote.origin.url"])
            .stderr(Stdio::null())
            .output();
        let origin = out
            .map(|o| {
                String::from_utf8_lossy(&o.stdout)
                    .trim_end_matches('\n')
                    .to_string()
            })
            .unwrap_or_default();
        if origin != url {
            eprintln!("Plugin '{name}' is already installed, but with a different url. To install anyway, uninstall it first.");
            return Err(Error::Status(1));
        }
        eprintln!("Plugin '{name}' is already installed.");
        return Ok(());
    }
    let status = Command::new("git")
        .current_dir(tree.available_dir())
        .args(["clone", "--", url, name])
        .status()
        .map_err(|e| Error::io("git", e))?;
    exit_status(status)
}

fn install_tarball(tree: &PluginTree, url: &str, name: &str) -> Result<(), Error> {
    let mut download = if which("curl") {
        let mut c = Command::new("curl");
        c.args(["-sfL", url]);
        c
    } else if which("wget") {
        let mut c = Command::new("wget");
        c.args(["-q", "--max-redirect=1", "-O-", url]);
        c
    } else {
        eprintln!("Please install either curl or wget to install via tar.gz");
        return Err(Error::Status(1));
    };
    // Hidden names: `list` and `trigger` never see a half-unpacked plugin.
    let pid = std::process::id();
    let staging = tree.path(&[
        "available".as_ref(),
        format!(".{name}.plugn-new-{pid}").as_ref(),
    ]);
    let _ = remove_entry(&staging);
    fs::create_dir(&staging).map_err(|e| Error::io(&staging, e))?;
    let result = unpack(&mut download, &staging).and_then(|()| swap_in(tree, name, &staging));
    let _ = remove_entry(&staging);
    result
}

fn unpack(download: &mut Command, staging: &Path) -> Result<(), Error> {
    let mut fetch = download
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| Error::io("download", e))?;
    let pipe = fetch
        .stdout
        .take()
        .map(Stdio::from)
        .unwrap_or_else(Stdio::null);
    let tar = Command::new("tar")
        .arg("xzf")
        .arg("-")
        .arg("-C")
        .arg(staging)
        .stdin(pipe)
        .status();
    let fetched = fetch.wait().map_err(|e| Error::io("download", e))?;
    let tar = tar.map_err(|e| Error::io("tar", e))?;
    // pipefail: the last failing command of `download | tar` decides.
    if !tar.success() {
        return exit_status(tar);
    }
    exit_status(fetched)
}

/// Move the unpacked tree into `available/<name>`, flattening a single top directory.
fn swap_in(tree: &PluginTree, name: &str, staging: &Path) -> Result<(), Error> {
    let entries: Vec<PathBuf> = fs::read_dir(staging)
        .map_err(|e| Error::io(staging, e))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    let source = match entries.as_slice() {
        [only]
            if fs::symlink_metadata(only)
                .map(|m| m.is_dir())
                .unwrap_or(false) =>
        {
            only.clone()
        }
        _ => staging.to_path_buf(),
    };
    let dest = tree.available(name.as_ref());
    let pid = std::process::id();
    let old = tree.path(&[
        "available".as_ref(),
        format!(".{name}.plugn-old-{pid}").as_ref(),
    ]);
    let had_old = fs::symlink_metadata(&dest).is_ok();
    if had_old {
        fs::rename(&dest, &old).map_err(|e| Error::io(&dest, e))?;
    }
    if let Err(e) = fs::rename(&source, &dest) {
        if had_old {
            let _ = fs::rename(&old, &dest);
        }
        return Err(Error::io(&dest, e));
    }
    if had_old {
        remove_entry(&old)?;
    }
    Ok(())
}

/// Messages `update` prints on stdout.
pub enum Updated {
    NotManaged,
    Pinned(String),
    Updated,
    UpdatedAndPinned(String),
}

impl Updated {
    /// The line `plugn update <name>` prints on stdout.
    pub fn message(&self, name: &str) -> String {
        match self {
            Updated::NotManaged => format!("Plugin ({name}) not managed by git\n"),
            Updated::Pinned(pin) => format!("Plugin pinned to {pin}\n"),
            Updated::Updated => format!("Plugin ({name}) updated\n"),
            Updated::UpdatedAndPinned(c) => format!("Plugin ({name}) updated and pinned to {c}\n"),
        }
    }
}

/// `update <name> [committish]`.
pub fn update(tree: &PluginTree, name: &str, committish: Option<&str>) -> Result<Updated, Error> {
    names::check_plugin(name)?;
    let dir = tree.available(name.as_ref());
    if !tree::is_dir(&dir) {
        println!("Plugin ({name}) not installed");
        return Err(Error::Status(1));
    }
    if !tree::is_dir(&dir.join(".git")) {
        return Ok(Updated::NotManaged);
    }
    trust_directory(&dir)?;
    let committish = committish.filter(|c| !c.is_empty());
    if committish.is_none()
        && !quiet_git(&dir, &["symbolic-ref", "-q", "HEAD"])
            .map(|o| o.status.success())
            .unwrap_or(false)
    {
        let pin = fs::read_to_string(dir.join(".plugin_committish")).unwrap_or_default();
        return Ok(Updated::Pinned(pin.trim_end_matches('\n').to_string()));
    }
    run_git(&dir, &["fetch"])?;
    match committish {
        Some(c) => {
            if c.starts_with('-') {
                eprintln!("plugn: refusing committish '{c}': it starts with '-'");
                return Err(Error::Status(1));
            }
            run_git(&dir, &["fetch", "--tags"])?;
            run_git(&dir, &["checkout", c])?;
            let _ = quiet_git(&dir, &["pull"]);
            let marker = dir.join(".plugin_committish");
            crate::config::write_atomic(&marker, format!("{c}\n").as_bytes())
                .map_err(|e| Error::io(&marker, e))?;
            Ok(Updated::UpdatedAndPinned(c.to_string()))
        }
        None => {
            run_git(&dir, &["pull"])?;
            Ok(Updated::Updated)
        }
    }
}

/// Record the checkout in the invoking user's global `safe.directory` list, as upstream does,
/// so that root can update plugins owned by the dokku user.
fn trust_directory(dir: &Path) -> Result<(), Error> {
    let dir = dir.to_string_lossy();
    let out = Command::new("git")
        .args(["config", "--global", "--get-all", "safe.directory"])
        .stderr(Stdio::null())
        .output();
    let listed = out
        .map(|o| {
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .any(|l| l.contains(dir.as_ref()))
        })
        .unwrap_or(false);
    if listed {
        return Ok(());
    }
    let status = Command::new("git")
        .args([
            "config",
            "--global",
            "--add",
            "safe.directory",
            dir.as_ref(),
        ])
        .status()
        .map_err(|e| Error::io("git", e))?;
    exit_status(status)
}

fn git(dir: &Path) -> Command {
    let mut c = Command::new("git");
    c.arg("-C")
        .arg(dir)
        .arg("-c")
        .arg(format!("safe.directory={}", dir.display()));
    c
}

fn quiet_git(dir: &Path, args: &[&str]) -> io::Result<std::process::Output> {
    git(dir).args(args).stdin(Stdio::null()).output()
}

/// Run git quietly; on failure show what git said (upstream swallows it) and keep its status.
fn run_git(dir: &Path, args: &[&str]) -> Result<(), Error> {
    let out = quiet_git(dir, args).map_err(|e| Error::io("git", e))?;
    if out.status.success() {
        return Ok(());
    }
    let _ = io::Write::write_all(&mut io::stderr(), &out.stderr);
    exit_status(out.status)
}

fn exit_status(status: std::process::ExitStatus) -> Result<(), Error> {
    use std::os::unix::process::ExitStatusExt;
    match (status.code(), status.signal()) {
        (Some(0), _) => Ok(()),
        (Some(code), _) => Err(Error::Status(code)),
        (None, Some(sig)) => Err(Error::Status(128 + sig)),
        _ => Err(Error::Status(1)),
    }
}

fn which(program: &str) -> bool {
    let Some(path) = std::env::var_os("PATH") else {
        return false;
    };
    std::env::split_paths(&path).any(|dir| {
        let candidate = dir.join(program);
        nix::unistd::access(&candidate, nix::unistd::AccessFlags::X_OK).is_ok()
            && tree::is_file(&candidate)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_from_urls() {
        assert_eq!(
            default_name("https://x/smoke-test-plugin.git"),
            "smoke-test-plugin"
        );
        assert_eq!(default_name("file:///t/v0.3.0.tar.gz"), "v0");
        assert_eq!(default_name("file:///t/dotted.name.git"), "dotted");
        assert_eq!(default_name("https://x/"), "");
        assert!(is_tarball("file:///a/b.tgz"));
        assert!(!is_tarball("file:///a/b.tgz?x=1"));
    }
}
