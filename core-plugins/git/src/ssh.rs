//! The dokku user's ssh side of git: trusted hosts (`known_hosts`) and the deploy key.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use dokku_common::args::nth;
use dokku_common::fs::{self as dfs};
use dokku_common::lock::FileLock;
use dokku_common::text::go_quote;
use dokku_common::{env, log, Error, Paths, Result};

fn ssh_dir() -> PathBuf {
    Paths::from_env().dokku_root.join(".ssh")
}

/// A host name or address `ssh-keyscan` can take as its one operand: letters, digits and
/// `.-_:` (IPv6), starting with a letter, digit or `:`, so it can never read as an option.
pub fn is_valid_host(host: &str) -> bool {
    let bytes = host.as_bytes();
    !bytes.is_empty()
        && bytes.len() <= 255
        && (bytes[0].is_ascii_alphanumeric() || bytes[0] == b':')
        && bytes
            .iter()
            .all(|&b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_' | b':'))
}

fn ensure_ssh_dir() -> Result<PathBuf> {
    let dir = ssh_dir();
    if !dir.is_dir() {
        dfs::ensure_dir(&dir, 0o700)?;
    }
    Ok(dir)
}

/// `git:allow-host <host>`: append the host's rsa key, as `ssh-keyscan` reports it, to
/// `$DOKKU_ROOT/.ssh/known_hosts`. Nothing is written when the scan fails.
pub fn allow_host(args: &[String]) -> Result<()> {
    let host = nth(args, 0);
    if host.is_empty() {
        return Err(log::fail("Please supply a git host"));
    }
    if !is_valid_host(host) {
        return Err(log::fail(format!(
            "Invalid git host specified: {}",
            go_quote(host)
        )));
    }
    let out = Command::new("ssh-keyscan")
        .args(["-t", "rsa", "--", host])
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| Error::new(format!("Unable to run ssh-keyscan: {e}")))?;
    if !out.status.success() {
        return Err(Error::silent(out.status.code().unwrap_or(1)));
    }
    let dir = ensure_ssh_dir()?;
    let _lock = FileLock::directory(&dir)?;
    let path = dir.join("known_hosts");
    let mut content = dfs::read_optional(&path)?.unwrap_or_default();
    content.extend_from_slice(&out.stdout);
    let mode = std::fs::metadata(&path)
        .map(|m| std::os::unix::fs::PermissionsExt::mode(&m.permissions()) & 0o7777)
        .unwrap_or(0o644);
    dfs::write_atomic(&path, &content, mode)
        .map_err(|e| Error::new(format!("Unable to write {}: {e}", path.display())))?;
    log::info1(&format!("{host} added to known hosts"));
    Ok(())
}

fn public_key_path() -> Option<PathBuf> {
    let dir = ssh_dir();
    ["id_ed25519.pub", "id_rsa.pub"]
        .iter()
        .map(|name| dir.join(name))
        .find(|p| p.is_file())
}

/// `git:generate-deploy-key`: an ed25519 key without passphrase, unless a key exists.
pub fn generate_deploy_key(_args: &[String]) -> Result<()> {
    if public_key_path().is_some() {
        log::exclaim_quiet("A deploy key already exists for this host");
        return Ok(());
    }
    let dir = ensure_ssh_dir()?;
    let hostname = nix::unistd::gethostname()
        .map(|h| h.to_string_lossy().into_owned())
        .unwrap_or_default();
    let status = Command::new("ssh-keygen")
        .args([
            "-t",
            "ed25519",
            "-C",
            &format!("dokku@{hostname}"),
            "-N",
            "",
            "-f",
        ])
        .arg(dir.join("id_ed25519"))
        .status()
        .map_err(|e| Error::new(format!("Unable to run ssh-keygen: {e}")))?;
    crate::repo::exit_status(status)
}

/// `git:public-key`: print the deploy key, or explain how to make one.
pub fn public_key(_args: &[String]) -> Result<()> {
    if let Some(path) = public_key_path() {
        let key = std::fs::read(&path)?;
        let mut out = std::io::stdout().lock();
        let _ = out.write_all(&key);
        let _ = out.flush();
        return Ok(());
    }
    log::warn(&format!(
        "There is no deploy key associated with the {} user.",
        env::system_user()
    ));
    log::warn("Generate an ssh key with the following command:");
    log::warn("  dokku git:generate-deploy-key");
    Err(log::fail(
        "As an alternative, configure the netrc authentication via the git:auth command",
    ))
}
