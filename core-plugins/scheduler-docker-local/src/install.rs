//! The `install` trigger: the data directory and property tree, and, on a real system
//! install only, the host pieces upstream sets up (the healthchecker sudoers entry and the
//! `dokku-retire` timer or cron job).

use std::path::Path;
use std::process::{Command, Stdio};

use dokku_common::property::Store;
use dokku_common::{data, env, fs as dfs, Error, Result};

use crate::settings::PLUGIN;
use crate::triggers::chown_tree;

const SUDOERS: &str = "/etc/sudoers.d/dokku-docker-container-healthchecker";
const OLD_CRON_SUDOERS: &str = "/etc/sudoers.d/dokku-cron";
const SERVICE: &str = "/etc/systemd/system/dokku-retire.service";
const TIMER: &str = "/etc/systemd/system/dokku-retire.timer";
const CRON: &str = "/etc/cron.d/dokku-retire";

pub fn install(_args: &[String]) -> Result<()> {
    data::create(PLUGIN)?;
    chown_tree(&data::dir(PLUGIN)?)?;
    Store::from_env().setup(PLUGIN)?;
    // A temporary root (tests, benchmarks) must never touch the host.
    if env::system_install() {
        install_host_files()?;
    }
    Ok(())
}

fn write_host_file(path: &str, text: &str, mode: u32) -> Result<()> {
    let path = Path::new(path);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    dfs::write_atomic_keep_owner(path, text.as_bytes(), mode)
        .map_err(|e| Error::new(format!("Unable to write {}: {e}", path.display())))
}

fn install_host_files() -> Result<()> {
    dfs::remove_file(Path::new(OLD_CRON_SUDOERS))?;
    // Upstream writes the entry even when the healthchecker is missing, which leaves sudo
    // with an unparsable `NOPASSWD:` line; without the binary there is nothing to allow.
    if let Some(checker) = env::command_path("docker-container-healthchecker") {
        write_host_file(
            SUDOERS,
            &format!("%dokku ALL=(ALL) NOPASSWD:{}\n", checker.display()),
            0o440,
        )?;
    }
    let user = env::system_user();
    let dokku = env::command_path("dokku")
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    if systemd_is_running() {
        write_host_file(
            SERVICE,
            &format!(
                "[Unit]\nDescription=Dokku retire service\nRequires=docker.service\nAfter=docker.service\n\n\
                 [Service]\nType=oneshot\nUser={user}\nExecStart={dokku} ps:retire\nSuccessExitStatus=137\n\n\
                 [Install]\nWantedBy=docker.service\n"
            ),
            0o644,
        )?;
        write_host_file(
            TIMER,
            "[Unit]\nDescription=Run dokku-retire.service every 5 minutes\n\n\
             [Timer]\nOnCalendar=*:0/5\nPersistent=true\n\n\
             [Install]\nWantedBy=timers.target\n",
            0o644,
        )?;
        for args in [
            &["--quiet", "reenable", "dokku-retire"][..],
            &["--quiet", "enable", "dokku-retire.timer"][..],
            &["--quiet", "start", "dokku-retire.timer"][..],
        ] {
            let status = Command::new("systemctl")
                .args(args)
                .stdin(Stdio::null())
                .status()?;
            if !status.success() {
                return Err(Error::silent(status.code().unwrap_or(1)));
            }
        }
    } else {
        write_host_file(
            CRON,
            &format!(
                "PATH=/usr/local/bin:/usr/bin:/bin\nSHELL=/bin/bash\n\n\
                 */5 * * * * {user} {dokku} ps:retire >> /var/log/dokku/retire.log 2>&1\n"
            ),
            0o644,
        )?;
    }
    Ok(())
}

/// Upstream's test: `systemctl` lists the `-.mount` unit.
fn systemd_is_running() -> bool {
    Command::new("systemctl")
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).contains("-.mount"))
        .unwrap_or(false)
}
