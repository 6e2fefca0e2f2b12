//! `install-builder-prune` (fired by `install`): a daily `docker builder prune`, as a systemd
//! timer on hosts run by systemd, else a cron job. Only a real install touches `/etc` (see
//! [`dokku_common::env::system_install`]); elsewhere the trigger does nothing.

use std::path::Path;
use std::process::Command;

use dokku_common::{env, fs, Error, Result};

const SERVICE_FILE: &str = "/etc/systemd/system/docker-builder-prune.service";
const TIMER_FILE: &str = "/etc/systemd/system/docker-builder-prune.timer";
const CRON_FILE: &str = "/etc/cron.d/docker-builder-prune";

fn service(user: &str, docker: &str) -> String {
    format!(
        "[Unit]\nDescription=Docker builder prune service\nRequires=docker.service\nAfter=docker.service\n\n\
         [Service]\nType=oneshot\nUser={user}\nExecStart={docker} builder prune -f\n\n\
         [Install]\nWantedBy=docker.service\n"
    )
}

fn timer() -> String {
    "[Unit]\nDescription=Run docker-builder-prune.service every day at 4:05am\n\n\
     [Timer]\nOnCalendar=Mon..Sun 04:05\nPersistent=true\n\n\
     [Install]\nWantedBy=timers.target\n"
        .to_string()
}

fn cron(user: &str, docker: &str) -> String {
    format!(
        "PATH=/usr/local/bin:/usr/bin:/bin\nSHELL=/bin/bash\n\n\
         5 4 * * * {user} {docker} builder prune >>/var/log/dokku/builder-prune.log 2>&1\n"
    )
}

pub fn install_builder_prune(_args: &[String]) -> Result<()> {
    if !env::system_install() {
        return Ok(());
    }
    let user = env::system_user();
    let docker = env::var_or("DOCKER_BIN", "docker");
    if !Path::new("/run/systemd/system").is_dir() {
        fs::write_atomic_keep_owner(Path::new(CRON_FILE), cron(&user, &docker).as_bytes(), 0o644)?;
        return Ok(());
    }
    fs::write_atomic_keep_owner(
        Path::new(SERVICE_FILE),
        service(&user, &docker).as_bytes(),
        0o644,
    )?;
    fs::write_atomic_keep_owner(Path::new(TIMER_FILE), timer().as_bytes(), 0o644)?;
    let Some(systemctl) = env::command_path("systemctl") else {
        return Ok(());
    };
    for args in [
        ["--quiet", "reenable", "docker-builder-prune"],
        ["--quiet", "enable", "docker-builder-prune.timer"],
        ["--quiet", "start", "docker-builder-prune.timer"],
    ] {
        let status = Command::new(&systemctl).args(args).status()?;
        if !status.success() {
            return Err(Error::silent(status.code().unwrap_or(1)));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unit_files() {
        assert_eq!(
            service("dokku", "docker"),
            "[Unit]\nDescription=Docker builder prune service\nRequires=docker.service\nAfter=docker.service\n\n[Service]\nType=oneshot\nUser=dokku\nExecStart=docker builder prune -f\n\n[Install]\nWantedBy=docker.service\n"
        );
        assert!(timer().contains("\n[Timer]\nOnCalendar=Mon..Sun 04:05\nPersistent=true\n\n"));
        assert_eq!(
            cron("dokku", "/usr/bin/docker"),
            "PATH=/usr/local/bin:/usr/bin:/bin\nSHELL=/bin/bash\n\n5 4 * * * dokku /usr/bin/docker builder prune >>/var/log/dokku/builder-prune.log 2>&1\n"
        );
    }
}
