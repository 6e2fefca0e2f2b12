//! Triggers that read an app's docker-local state: whether it is deployed, how many of its
//! containers run, stopping them, and whether this scheduler uses the host crontab.

use dokku_common::args::nth;
use dokku_common::{docker, log, trigger, Error, Result};

use crate::containers::{self, app_root};
use crate::settings::SCHEDULER;

/// `scheduler-is-deployed <scheduler> <app>`: for docker-local, success when the app root
/// holds a `CONTAINER` file or any `CONTAINER.*` entry, status 1 otherwise. Other schedulers'
/// apps are not ours: success, as upstream's early `return`.
pub fn scheduler_is_deployed(args: &[String]) -> Result<()> {
    if nth(args, 0) != SCHEDULER {
        return Ok(());
    }
    let app = nth(args, 1);
    let Some(root) = app_root(app) else {
        return Err(Error::silent(1));
    };
    if root.join("CONTAINER").is_file()
        || !containers::entries_with_prefix(app, "CONTAINER.").is_empty()
    {
        return Ok(());
    }
    Err(Error::silent(1))
}

/// `scheduler-uses-host-cron <scheduler>`: `true` for docker-local.
pub fn scheduler_uses_host_cron(args: &[String]) -> Result<()> {
    if nth(args, 0) == SCHEDULER {
        log::log("true");
    }
    Ok(())
}

/// `scheduler-app-status <scheduler> <app>`: `<count> <true|false|mixed>`, the number of
/// the app's containers and whether they run.
pub fn scheduler_app_status(args: &[String]) -> Result<()> {
    if nth(args, 0) != SCHEDULER {
        return Ok(());
    }
    let ids = containers::app_container_ids(nth(args, 1));
    let running = ids
        .iter()
        .filter(|cid| containers::container_state_is(cid, "Running"))
        .count();
    let state = if running == 0 {
        "false"
    } else if running == ids.len() {
        "true"
    } else {
        "mixed"
    };
    log::log(&format!("{} {state}", ids.len()));
    Ok(())
}

/// `docker container ls …` ids, its stderr passed through as the shell would.
fn list_ids(args: &[&str]) -> Vec<String> {
    match docker::run(args) {
        Ok(out) => {
            if !out.stderr.is_empty() {
                log::write_stderr(&out.stderr);
            }
            out.stdout.split_whitespace().map(str::to_string).collect()
        }
        Err(e) => {
            log::write_stderr(&format!("{}\n", e.message()));
            Vec::new()
        }
    }
}

/// `ps-get-property <app> stop-timeout-seconds`, as `--time`-style argument when set.
pub fn stop_timeout_arg(app: &str, flag: &str) -> Option<String> {
    let out = trigger::Trigger::new("ps-get-property")
        .arg(app)
        .arg("stop-timeout-seconds")
        .stdin_null()
        .output()
        .ok()?;
    let value = String::from_utf8_lossy(&out.stdout)
        .trim_end_matches('\n')
        .to_string();
    if value.is_empty() {
        None
    } else {
        Some(format!("{flag}={value}"))
    }
}

/// Stop one container quietly: no restart policy, then `docker container stop`.
fn stop_container(cid: &str, timeout: Option<&str>) {
    let _ = docker::run(&["container", "update", "--restart=no", cid]);
    let mut args = vec!["container", "stop"];
    args.extend(timeout);
    args.push(cid);
    let _ = docker::run(&args);
}

/// `scheduler-stop <scheduler> <app> [true]`: stop the app's running containers and every
/// running container labelled with the app; with `true`, register them for retirement and
/// remove them.
pub fn scheduler_stop(args: &[String]) -> Result<()> {
    if nth(args, 0) != SCHEDULER {
        return Ok(());
    }
    let app = nth(args, 1);
    let running: Vec<String> = if dokku_common::scheduler::is_deployed(app) {
        containers::app_container_ids(app)
            .into_iter()
            .filter(|cid| containers::container_state_is(cid, "Running"))
            .collect()
    } else {
        Vec::new()
    };
    let timeout = stop_timeout_arg(app, "-t");
    for cid in &running {
        stop_container(cid, timeout.as_deref());
    }
    let label = format!("label=com.dokku.app-name={app}");
    for cid in list_ids(&["container", "ls", "-q", "-f", &label]) {
        stop_container(&cid, timeout.as_deref());
    }
    if nth(args, 2) != "true" {
        return Ok(());
    }
    let ids = list_ids(&["ps", "-q", "-f", &label]);
    if ids.is_empty() {
        return Ok(());
    }
    for cid in &ids {
        let status = trigger::Trigger::new("scheduler-register-retired")
            .arg(app)
            .arg(cid)
            .status()?;
        if status != 0 {
            return Err(Error::silent(status));
        }
    }
    let mut rm = vec!["container", "rm", "--force"];
    rm.extend(ids.iter().map(String::as_str));
    let _ = docker::run(&rm);
    Ok(())
}
