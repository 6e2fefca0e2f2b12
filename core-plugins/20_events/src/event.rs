//! Logging one trigger call.
//!
//! Upstream's hook sends `INVOKED: <hook>( <args> ) NAME=… FINGERPRINT=… DOKKU_PID=…` to
//! syslog (`logger -t dokku-event -i`) and an rsyslog filter copies it to the events log.
//! Here the hook appends the line itself, with the prefix rsyslog's traditional file
//! format gives it, and still hands the message to `logger` when there is one. On a host
//! that kept upstream's rsyslog filter the file is left to rsyslog, so no line is doubled.

use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use dokku_common::{env, Paths};

/// The syslog tag upstream logs events under.
const TAG: &str = "dokku-event";
/// Where upstream's install writes the rsyslog filter routing the tag to the events log.
const RSYSLOG_FILTER: &str = "/etc/rsyslog.d/99-dokku.conf";
/// Upstream's install leaves the log group-writable for the dokku group.
const LOG_MODE: u32 = 0o664;

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Log a call of `hook` when `DOKKU_EVENTS` is set. Never fails and never prints: a hook
/// must not disturb the trigger it observes (nor read its stdin, which hooks share).
pub fn log(hook: &str, args: &[String]) {
    if env::var_os("DOKKU_EVENTS").is_none() {
        return;
    }
    let msg = message(hook, args);
    let logger = env::command_path("logger");
    if logger.is_none() || !rsyslog_routes_events() {
        let line = format!("{}{}\n", syslog_prefix(), escape_controls(&msg));
        append(&Paths::from_env().events_logfile, line.as_bytes());
    }
    if let Some(logger) = logger {
        let _ = Command::new(logger)
            .args(["-t", TAG, "-i", "--", &msg])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
}

/// `INVOKED: <hook>( <args joined by spaces> ) NAME=$NAME FINGERPRINT=$FINGERPRINT
/// DOKKU_PID=$DOKKU_PID`, unset variables giving empty values.
pub fn message(hook: &str, args: &[String]) -> String {
    let var = |name: &str| {
        std::env::var_os(name)
            .map(|v| v.to_string_lossy().into_owned())
            .unwrap_or_default()
    };
    format!(
        "INVOKED: {hook}( {} ) NAME={} FINGERPRINT={} DOKKU_PID={}",
        args.join(" "),
        var("NAME"),
        var("FINGERPRINT"),
        var("DOKKU_PID")
    )
}

/// One `write` on an `O_APPEND` descriptor, so concurrent hooks never interleave within a
/// line. Failures are ignored: event logging is best effort, as with syslog.
fn append(path: &Path, line: &[u8]) {
    let file = std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .mode(LOG_MODE)
        .open(path);
    if let Ok(mut file) = file {
        let _ = file.write_all(line);
    }
}

/// rsyslog's default control-character escaping (`#` and three octal digits), which keeps
/// one event on one line.
pub fn escape_controls(msg: &str) -> String {
    let mut out = String::with_capacity(msg.len());
    for c in msg.chars() {
        if (c as u32) < 0x20 || c == '\u{7f}' {
            out.push_str(&format!("#{:03o}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// `Mmm dd hh:mm:ss host dokku-event[pid]: ` in local time, as rsyslog's traditional file
/// format writes it.
fn syslog_prefix() -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname").unwrap_or_default();
    let host = host.trim().split('.').next().unwrap_or("");
    let host = if host.is_empty() { "localhost" } else { host };
    let (mon, day, h, m, s) = local_time();
    format!(
        "{} {day:>2} {h:02}:{m:02}:{s:02} {host} {TAG}[{}]: ",
        MONTHS[mon.min(11)],
        std::process::id()
    )
}

/// (month 0-11, day, hour, minute, second) now, in the local time zone.
fn local_time() -> (usize, i32, i32, i32, i32) {
    use nix::libc;
    // SAFETY: `time` accepts a null pointer; `localtime_r` only writes the `tm` we own and
    // reads the `time_t` we pass, both valid for the duration of the calls.
    unsafe {
        let now = libc::time(std::ptr::null_mut());
        let mut tm: libc::tm = std::mem::zeroed();
        if libc::localtime_r(&now, &mut tm).is_null() {
            return (0, 1, 0, 0, 0);
        }
        (
            tm.tm_mon.max(0) as usize,
            tm.tm_mday,
            tm.tm_hour,
            tm.tm_min,
            tm.tm_sec,
        )
    }
}

/// Whether upstream's rsyslog filter for the event tag is installed (`DOKKU_RSYSLOG_FILTER`
/// overrides its path).
fn rsyslog_routes_events() -> bool {
    let path = env::var_os("DOKKU_RSYSLOG_FILTER")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(RSYSLOG_FILTER));
    std::fs::read_to_string(path)
        .map(|text| text.contains(TAG))
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping() {
        assert_eq!(escape_controls("a\nb\tc\u{7f}d é"), "a#012b#011c#177d é");
    }

    #[test]
    fn prefix_shape() {
        let p = syslog_prefix();
        assert!(
            p.ends_with(&format!(" dokku-event[{}]: ", std::process::id())),
            "{p}"
        );
        assert!(MONTHS.contains(&&p[..3]), "{p}");
        assert_eq!(&p[3..4], " ");
        assert_eq!(&p[9..10], ":");
    }
}
