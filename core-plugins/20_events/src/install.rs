//! The `install` trigger: the events log and its rotation, and hook links matching the
//! current setting (an upgrade lays the plugin directory out afresh, without them).
//!
//! Upstream also installs an rsyslog filter copying the `dokku-event` tag into the log;
//! the hooks here append to the log themselves, so no filter is installed.

use std::fs::OpenOptions;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

use dokku_common::{env, fs, Paths, Result};

use crate::{cmd, event, hooks};

const LOGROTATE_FILE: &str = "/etc/logrotate.d/dokku";
const LOGS_DIR_MODE: u32 = 0o775;
const LOG_MODE: u32 = 0o664;

pub fn install(args: &[String]) -> Result<()> {
    let paths = Paths::from_env();
    ensure_log(&paths)?;
    if env::system_install() {
        write_logrotate(&paths.logs_dir)?;
    }
    let dir = hooks::plugin_dir();
    if env::var_os("DOKKU_EVENTS").is_some() || cmd::rc_file().is_file() {
        hooks::install(&dir)?;
    } else {
        hooks::remove(&dir)?;
    }
    event::log("install", args);
    Ok(())
}

/// The logs directory and an empty events log, writable by the dokku group; existing ones
/// are left as they are.
fn ensure_log(paths: &Paths) -> Result<()> {
    if !paths.logs_dir.is_dir() {
        fs::ensure_dir(&paths.logs_dir, LOGS_DIR_MODE)?;
    }
    let log = &paths.events_logfile;
    if !log.is_file() {
        OpenOptions::new()
            .append(true)
            .create(true)
            .mode(LOG_MODE)
            .open(log)?;
        fs::set_permissions(log, LOG_MODE)?;
    }
    Ok(())
}

/// Daily rotation of the dokku logs, unless the operator already has a policy (or the host
/// has no logrotate).
fn write_logrotate(logs_dir: &Path) -> Result<()> {
    let path = Path::new(LOGROTATE_FILE);
    if path.exists() || !path.parent().is_some_and(Path::is_dir) {
        return Ok(());
    }
    let text = format!(
        "{}/*.log {{\n        daily\n        missingok\n        rotate 7\n        compress\n        delaycompress\n        notifempty\n        copytruncate\n}}\n",
        logs_dir.display()
    );
    fs::write_atomic_keep_owner(path, text.as_bytes(), 0o644)?;
    Ok(())
}
