//! `git:auth` and `git:auth-status`: the netrc entries git uses to fetch over https,
//! in `$DOKKU_ROOT/.netrc` (mode 0600, owned by the dokku user).

use std::io::Read;
use std::os::fd::AsRawFd;
use std::path::PathBuf;

use dokku_common::args::nth;
use dokku_common::fs::{self as dfs, FILE_MODE};
use dokku_common::lock::FileLock;
use dokku_common::text::go_quote;
use dokku_common::{log, Error, Paths, Result};

use crate::netrc::{self, Netrc};

const MSG_NO_HOST: &str = "Please supply a git host";
const MSG_NO_PASSWORD: &str = "Missing password for netrc auth entry";

fn netrc_path() -> PathBuf {
    Paths::from_env().dokku_root.join(".netrc")
}

/// The host must be one netrc word that no tool could take for an option; `default` names
/// netrc's catch-all entry.
fn check_host(host: &str) -> Result<()> {
    let word_ok = host == "default" || netrc::token_problem(host).is_none();
    if host.starts_with('-') || !word_ok || !host.is_ascii() {
        return Err(log::fail(format!(
            "Invalid git host specified: {}",
            go_quote(host)
        )));
    }
    Ok(())
}

fn check_token(what: &str, value: &str) -> Result<()> {
    match netrc::token_problem(value) {
        None => Ok(()),
        Some(problem) => Err(log::fail(format!(
            "Invalid {what} for netrc auth entry: {problem}"
        ))),
    }
}

/// Whether stdin is a pipe (`[[ -p /dev/stdin ]]`).
fn stdin_is_pipe() -> bool {
    nix::sys::stat::fstat(std::io::stdin().as_raw_fd())
        .map(|st| st.st_mode & nix::libc::S_IFMT == nix::libc::S_IFIFO)
        .unwrap_or(false)
}

/// `fn-git-auth-read-password`: with a username and no password, one line from a piped
/// stdin (its newline dropped, the rest kept as is).
fn read_password(username: &str, password: &str) -> String {
    let mut password = password.to_string();
    if !username.is_empty() && password.is_empty() && stdin_is_pipe() {
        let mut line = Vec::new();
        let mut byte = [0u8; 1];
        let mut stdin = std::io::stdin().lock();
        while let Ok(1) = stdin.read(&mut byte) {
            match byte[0] {
                b'\n' => break,
                0 => {}
                b => line.push(b),
            }
        }
        password = String::from_utf8_lossy(&line).into_owned();
    }
    // The value passes through `$(…)` upstream, which drops trailing newlines.
    password.trim_end_matches('\n').to_string()
}

/// Parse the three arguments shared by both commands and resolve the password.
fn parse(args: &[String]) -> Result<(String, String, String)> {
    let host = nth(args, 0);
    if host.is_empty() {
        return Err(log::fail(MSG_NO_HOST));
    }
    check_host(host)?;
    let username = nth(args, 1);
    let password = read_password(username, nth(args, 2));
    if !username.is_empty() && password.is_empty() {
        return Err(log::fail(MSG_NO_PASSWORD));
    }
    Ok((host.to_string(), username.to_string(), password))
}

fn read_netrc() -> Result<Option<Netrc>> {
    let path = netrc_path();
    match dfs::read_optional(&path) {
        Ok(data) => Ok(data.map(|d| Netrc::parse(&d))),
        Err(e) => Err(log::fail(format!("open {}: {e}", path.display()))),
    }
}

/// `fn-git-auth-secure-netrc` for a file we did not rewrite: 0600, the dokku user's.
fn secure_netrc() -> Result<()> {
    let path = netrc_path();
    if path.is_file() {
        dfs::set_permissions(&path, FILE_MODE)?;
    }
    Ok(())
}

fn write_netrc(netrc: &Netrc) -> Result<()> {
    let path = netrc_path();
    dfs::write_atomic(&path, &netrc.render(), FILE_MODE)
        .map_err(|e| log::fail(format!("Unable to write {}: {e}", path.display())))
}

/// `git:auth <host> [<username> <password>]`: set the host's entry, or remove it when no
/// username is given. The password may come on stdin.
pub fn auth(args: &[String]) -> Result<()> {
    let (host, username, password) = parse(args)?;
    if !username.is_empty() {
        check_token("username", &username)?;
        check_token("password", &password)?;
    }
    // Serialise read-modify-write cycles of concurrent `git:auth` runs.
    let root = Paths::from_env().dokku_root;
    let _lock = FileLock::directory(&root)?;
    let current = read_netrc()?;
    if username.is_empty() {
        log::info1(&format!("Removing netrc auth entry for host {host}"));
        match current {
            Some(mut netrc) => {
                if netrc.unset(&host) {
                    write_netrc(&netrc)?;
                }
                secure_netrc()
            }
            // Upstream's tool leaves an empty file behind.
            None => write_netrc(&Netrc::default()),
        }
    } else {
        log::info1(&format!("Setting netrc auth entry for host {host}"));
        let mut netrc = current.unwrap_or_default();
        netrc.set(&host, &username, &password);
        write_netrc(&netrc)
    }
}

/// `git:auth-status <host> [<username> <password>]`: exit 0 when the entry matches (absent
/// when no username is given), 1 otherwise, printing nothing.
pub fn auth_status(args: &[String]) -> Result<()> {
    let (host, username, password) = parse(args)?;
    let current = read_netrc().ok().flatten().and_then(|n| n.get(&host));
    let matches = if username.is_empty() {
        current.is_none()
    } else {
        current.as_deref() == Some(format!("{username}:{password}").as_str())
    };
    if matches {
        Ok(())
    } else {
        Err(Error::silent(1))
    }
}
