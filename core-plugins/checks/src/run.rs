//! `checks:run`: the zero-downtime checks against an app's running containers, through
//! `check-deploy` (the scheduler's check runner), one container at a time.

use dokku_common::paths::Paths;
use dokku_common::trigger::Trigger;
use dokku_common::{log, Error, Result};

use crate::checks::{self, ALL};
use crate::lists;

/// `$(plugn trigger <hook> <args>)`: stdout with trailing newlines removed; a failing hook
/// ends the command with its status, as `set -e` does upstream.
fn capture(hook: &str, args: &[&str]) -> Result<String> {
    let out = Trigger::new(hook).args(args).output()?;
    if out.status != 0 {
        return Err(Error::silent(out.status));
    }
    Ok(String::from_utf8_lossy(&out.stdout)
        .trim_end_matches('\n')
        .to_string())
}

/// `< <(plugn trigger …)` read line by line: the status is ignored.
fn lines_of(hook: &str, args: &[&str]) -> String {
    Trigger::new(hook)
        .args(args)
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default()
}

/// One container: `CONTAINER.<proc>.<index>` must exist; its ip and the app's last non-udp
/// container port (default 5000) go to `check-deploy`.
fn check_process(app: &str, proc_type: &str, index: &str) -> Result<()> {
    let file = Paths::from_env()
        .app_root(app)
        .join(format!("CONTAINER.{proc_type}.{index}"));
    if proc_type.contains('/') || index.contains('/') || !file.is_file() {
        return Err(Error::new(format!(
            "Invalid container index specified ({app}.{proc_type}.{index})"
        )));
    }
    log::info1(&format!(
        "Running checks for app ({app}.{proc_type}.{index})"
    ));
    let cid = String::from_utf8_lossy(&std::fs::read(&file)?)
        .trim_end_matches('\n')
        .to_string();
    let ip = capture("network-get-ipaddr", &[app, proc_type, &cid])?;
    let mut port = "5000".to_string();
    // `while read -r` drops an unterminated last line.
    let ports = lines_of("ports-get", &[app]);
    let mut complete: Vec<&str> = ports.split('\n').collect();
    complete.pop();
    for line in complete {
        let fields: Vec<&str> = line.trim().split(':').collect();
        if fields[0] != "udp" {
            port = fields.get(2).copied().unwrap_or("").to_string();
        }
    }
    let status = Trigger::new("check-deploy")
        .args(&[app, &cid, proc_type, &port, &ip])
        .status()?;
    if status != 0 {
        return Err(Error::silent(status));
    }
    Ok(())
}

/// Every container of every process type in `ps-current-scale` (or of `only`), skipping
/// process types whose checks are disabled.
fn check_all_processes(app: &str, only: &str) -> Result<()> {
    let mut valid = false;
    let scale = lines_of("ps-current-scale", &[app]);
    for line in scale.lines() {
        let line = line.trim_matches(|c| c == ' ' || c == '\t');
        let (proc_type, count) = match line.split_once('=') {
            Some((p, c)) => (p, c),
            None => (line, line),
        };
        if !only.is_empty() && only != proc_type {
            continue;
        }
        valid = true;
        if checks::is_disabled(app, proc_type) {
            log::info1(&format!(
                "Zero downtime is disabled for app ({app}.{proc_type}). Skipping checks"
            ));
            continue;
        }
        let count: i64 = count.trim().parse().unwrap_or(0);
        for index in 1..=count {
            check_process(app, proc_type, &index.to_string())?;
        }
    }
    if !valid {
        return Err(Error::new(format!(
            "Invalid process type specified ({app}.{only})"
        )));
    }
    Ok(())
}

/// `checks:run <app> [<proc>[.<index>],…]`.
pub fn run(app: &str, proc_types: &str) -> Result<()> {
    log::info1("Running pre-flight checks");
    if proc_types == ALL {
        return check_all_processes(app, "");
    }
    for item in lists::split(proc_types) {
        let item = lists::echo(item);
        let mut parts = item.splitn(3, '.');
        let proc_type = parts.next().unwrap_or("");
        let index = if item.contains('.') {
            parts.next().unwrap_or("")
        } else {
            ""
        };
        if index.is_empty() {
            check_all_processes(app, proc_type)?;
        } else {
            check_process(app, proc_type, index)?;
        }
    }
    Ok(())
}
