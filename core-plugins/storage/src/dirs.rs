//! Host directories of docker-local entries: the `--chown` ids and the root helpers in
//! `bin/` that chown, chmod and remove `data/storage/<name>`.
//!
//! Ownership and modes are only ever changed with root's rights: as root the helper runs
//! directly, otherwise through `sudo -n`, which the sudoers rule written by the install
//! trigger allows for exactly these three helpers (upstream always goes through sudo).

use std::path::PathBuf;
use std::process::{Command, Stdio};

use dokku_common::{docker, log, Error, Paths, Result};

pub const HELPERS: &[&str] = &[
    "chown-storage-dir",
    "chmod-storage-dir",
    "destroy-storage-dir",
];

/// `$PLUGIN_AVAILABLE_PATH/storage/bin/<name>`.
pub fn helper_path(name: &str) -> PathBuf {
    Paths::from_env()
        .plugin_available_path
        .join("storage")
        .join("bin")
        .join(name)
}

/// Run a helper with root's rights; a failure carries the helper's stderr as is.
pub fn call_helper(name: &str, args: &[&str]) -> Result<()> {
    let helper = helper_path(name);
    let mut cmd = if nix::unistd::Uid::effective().is_root() {
        let mut cmd = Command::new(&helper);
        cmd.env("DOKKU_LIB_ROOT", Paths::from_env().lib_root);
        cmd
    } else {
        let mut cmd = Command::new("sudo");
        cmd.arg("-n").arg(&helper);
        cmd
    };
    let out = cmd
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| Error::new(format!("exec: {}: {e}", helper.display())))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(Error::new(
            String::from_utf8_lossy(&out.stderr).into_owned(),
        ))
    }
}

/// Whether docker runs with user namespaces (ids inside containers are then shifted).
fn userns_enabled() -> Result<bool> {
    let out = docker::run_ok(&[
        "info",
        "-f",
        "{{range .SecurityOptions}}{{if eq . \"name=userns\"}}true{{end}}{{end}}",
    ])?;
    Ok(out.stdout_trimmed() == "true")
}

/// The numeric id a `--chown` value stands for (`false` stays `false`), shifted by 165536
/// under docker user namespaces.
pub fn resolve_chown_id(flag: &str) -> Result<String> {
    let id: u32 = match flag {
        "herokuish" => 32767,
        "heroku" => 1000,
        "packeto" => {
            log::verbose("Detected deprecated chown flag 'packeto'. Using 'paketo' instead. Please update your configuration.");
            2000
        }
        "paketo" => 2000,
        "root" => 0,
        "false" => return Ok("false".to_string()),
        other => parse_uint16(other)
            .ok_or_else(|| Error::new("Unsupported chown permissions"))?
            .into(),
    };
    let id = if userns_enabled()? { id + 165536 } else { id };
    Ok(id.to_string())
}

/// Go's `strconv.ParseUint(s, 10, 16)`.
fn parse_uint16(s: &str) -> Option<u16> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uint16() {
        assert_eq!(parse_uint16("1500"), Some(1500));
        assert_eq!(parse_uint16("007"), Some(7));
        assert_eq!(parse_uint16("65535"), Some(65535));
        for bad in ["65536", "-1", "+1", "", "abc", "1_0"] {
            assert_eq!(parse_uint16(bad), None, "{bad}");
        }
    }
}
