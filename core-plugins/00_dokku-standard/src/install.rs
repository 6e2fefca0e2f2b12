//! The `install` trigger: `$DOKKU_ROOT/VHOST` from the host's resolvable name, and on a
//! real install the redeploy-on-boot systemd unit and the login hints.
//!
//! The host-wide parts (`/etc/...`, `systemctl`) only run when
//! [`dokku_common::env::system_install`] allows it: as root, without `DOKKU_RS_NO_SYSTEM=1`,
//! for the dokku user's own `DOKKU_ROOT`. Upstream's upstart variant is not written.

use std::path::Path;

use dokku_common::{env, fs, Paths, Result};

use crate::shell::{self, Site};

const UNIT_FILE: &str = "/etc/systemd/system/dokku-redeploy.service";
const MOTD_DIR: &str = "/etc/update-motd.d";
const MOTD_FILE: &str = "/etc/update-motd.d/99-dokku";

pub fn install(_args: &[String]) -> Result<()> {
    let root = Paths::from_env().dokku_root;
    let script = dokku_common::plugin::argv0();
    write_vhost(&root, &script)?;
    if env::system_install() {
        redeploy_unit(&script)?;
        motd(&root)?;
    }
    let vhost = root.join("VHOST");
    if vhost.is_file() {
        fs::chown_to_system_user(&vhost)?;
    }
    Ok(())
}

/// Without a VHOST, use `hostname -f` when DNS resolves it (`dig +short` prints something).
/// Without `dig` nothing can resolve, so nothing is tried (upstream lets bash complain).
fn write_vhost(root: &Path, script: &str) -> Result<()> {
    let vhost = root.join("VHOST");
    if vhost.is_file() || env::command_path("dig").is_none() {
        return Ok(());
    }
    let at = |line| Site { script, line };
    let host = shell::capture(at(5), "hostname", &["-f"]);
    let resolved = shell::capture(at(5), "dig", &["+short", host.as_str()]);
    let root_present = root.is_dir() || root.is_symlink();
    if resolved.is_empty() || !root_present {
        return Ok(());
    }
    fs::write_atomic(&vhost, format!("{host}\n").as_bytes(), 0o644)?;
    Ok(())
}

/// A unit restoring the apps when docker starts, enabled through systemctl, on hosts run
/// by systemd.
fn redeploy_unit(script: &str) -> Result<()> {
    if !Path::new("/run/systemd/system").is_dir() {
        return Ok(());
    }
    let dokku = env::command_path("dokku")
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| "/usr/bin/dokku".to_string());
    let unit = format!(
        "[Unit]\nDescription=Dokku app redeploy service\nRequires=docker.service\nAfter=docker.service\n\n\
         [Service]\nType=simple\nUser={user}\nExecStart={dokku} ps:restore --parallel -1\n\n\
         [Install]\nWantedBy=docker.service\n",
        user = env::system_user()
    );
    fs::write_atomic_keep_owner(Path::new(UNIT_FILE), unit.as_bytes(), 0o644)?;
    if let Some(systemctl) = env::command_path("systemctl") {
        shell::run(
            Site { script, line: 44 },
            &systemctl.to_string_lossy(),
            &["--quiet", "reenable", "dokku-redeploy"],
        )?;
    }
    Ok(())
}

/// Single-quote a value for sh.
fn sh_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// Login hints while the host lacks a global domain or an ssh key.
fn motd(root: &Path) -> Result<()> {
    let script = format!(
        r#"#!/bin/sh
# Written by dokku's install trigger: setup hints shown at login.
root={root}
if [ ! -s "$root/VHOST" ]; then
  printf '\n ! If using virtualhost routing is desired (eg. my-app => my-app.dokku.me), set a global domain for your server:\n\n     dokku domains:set-global dokku.me\n'
fi
if [ ! -s "$root/.ssh/authorized_keys" ]; then
  printf "\n ! Setup a user's ssh key for deployment by passing in the public ssh key as shown:\n\n     echo 'CONTENTS_OF_ID_RSA_PUB_FILE' | dokku ssh-keys:add admin\n"
fi
if [ ! -f "$root/VHOST" ] || [ ! -s "$root/.ssh/authorized_keys" ]; then
  printf '\n'
fi
"#,
        root = sh_quote(&root.to_string_lossy())
    );
    let dir = Path::new(MOTD_DIR);
    if !dir.is_dir() {
        std::fs::create_dir_all(dir)?;
    }
    fs::write_atomic_keep_owner(Path::new(MOTD_FILE), script.as_bytes(), 0o755)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting() {
        assert_eq!(sh_quote("/home/dokku"), "'/home/dokku'");
        assert_eq!(sh_quote("/a'b"), r"'/a'\''b'");
    }
}
