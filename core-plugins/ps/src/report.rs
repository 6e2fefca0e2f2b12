//! The `ps` report (`ps:report` and the `report` trigger).

use std::path::Path;

use dokku_common::property::GLOBAL;
use dokku_common::report::{Flag, Options, Reporter};
use dokku_common::{env, scheduler, Paths, Result};

use crate::ps;

pub struct PsReport {
    /// The info flag asked for: container status flags are only listed when it is none or
    /// one of them (they cost a `docker inspect` each).
    pub info_flag: Option<String>,
}

fn global_flags() -> Vec<Flag<'static>> {
    vec![
        Flag::new("--ps-computed-procfile-path", ps::computed_procfile_path),
        Flag::new("--ps-computed-restart-policy", ps::computed_restart_policy),
        Flag::new("--ps-computed-skip-deploy", ps::computed_skip_deploy),
        Flag::new(
            "--ps-computed-stop-timeout-seconds",
            ps::computed_stop_timeout,
        ),
        Flag::new("--ps-global-procfile-path", |_| {
            ps::get(GLOBAL, "procfile-path")
        }),
        Flag::new("--ps-global-restart-policy", |_| {
            ps::get(GLOBAL, "restart-policy")
        }),
        Flag::new("--ps-global-skip-deploy", |_| {
            ps::get(GLOBAL, "skip-deploy")
        }),
        Flag::new("--ps-global-stop-timeout-seconds", |_| {
            ps::get(GLOBAL, "stop-timeout-seconds")
        }),
    ]
}

fn app_flags() -> Vec<Flag<'static>> {
    vec![
        Flag::new("--deployed", |app| scheduler::is_deployed(app).to_string()),
        Flag::new("--processes", ps::process_count),
        Flag::new("--ps-can-scale", |app| ps::can_scale(app).to_string()),
        Flag::new("--ps-computed-dockerfile-start-cmd", |app| {
            ps::get(app, "dockerfile-start-cmd")
        }),
        Flag::new("--ps-computed-start-cmd", |app| ps::get(app, "start-cmd")),
        Flag::new("--ps-dockerfile-start-cmd", |app| {
            ps::get(app, "dockerfile-start-cmd")
        }),
        Flag::new("--ps-procfile-path", |app| ps::get(app, "procfile-path")),
        Flag::new("--ps-restart-policy", |app| ps::get(app, "restart-policy")),
        Flag::new("--ps-skip-deploy", |app| ps::get(app, "skip-deploy")),
        Flag::new("--ps-start-cmd", |app| ps::get(app, "start-cmd")),
        Flag::new("--ps-stop-timeout-seconds", |app| {
            ps::get(app, "stop-timeout-seconds")
        }),
        Flag::new("--restore", ps::restore),
        Flag::new("--running", ps::running_state),
    ]
}

/// `docker inspect --format FORMAT ID`, trimmed and unquoted; `""` on any failure.
fn docker_inspect(id: &str, format: &str) -> String {
    let docker = env::var_or("DOCKER_BIN", "docker");
    let out = std::process::Command::new(docker)
        .args(["inspect", "--format", format, id])
        .stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .output();
    match out {
        Ok(o) if o.status.success() => {
            let text = String::from_utf8_lossy(&o.stdout).trim().to_string();
            match text.strip_prefix('\'').and_then(|t| t.strip_suffix('\'')) {
                Some(inner) => inner.to_string(),
                None => text,
            }
        }
        _ => String::new(),
    }
}

/// The first line of a file (`""` when unreadable).
fn first_line(path: &Path) -> String {
    std::fs::read(path)
        .map(|b| {
            let text = String::from_utf8_lossy(&b).into_owned();
            text.lines().next().unwrap_or("").trim().to_string()
        })
        .unwrap_or_default()
}

/// `--status-<proc>.<n>`: `<state> (CID: <first 11 characters>)` for each `CONTAINER.*`
/// file of a docker-local app.
fn status_flags(app: &str) -> Vec<Flag<'static>> {
    if scheduler::app_scheduler(app) != "docker-local" {
        return Vec::new();
    }
    let Ok(entries) = std::fs::read_dir(Paths::from_env().app_root(app)) else {
        return Vec::new();
    };
    let mut files: Vec<(String, std::path::PathBuf)> = entries
        .flatten()
        .filter(|e| e.file_type().map(|t| t.is_file()).unwrap_or(false))
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            let process = name.strip_prefix("CONTAINER.")?.to_string();
            Some((process, e.path()))
        })
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|(process, path)| {
            Flag::new(format!("--status-{process}"), move |_| {
                let id = first_line(&path);
                let mut status = docker_inspect(&id, "{{ .State.Status }}");
                if status.is_empty() {
                    status = "missing".to_string();
                }
                // Upstream slices the id and crashes on a shorter one.
                let short: String = id.chars().take(11).collect();
                format!("{status} (CID: {short})")
            })
        })
        .collect()
}

impl Reporter for PsReport {
    fn report_type(&self) -> &str {
        "ps"
    }

    fn options(&self) -> Options {
        Options {
            trim_prefix: true,
            emit_legacy_prefix: true,
            uppercase_first: true,
        }
    }

    fn flags(&self, app: &str) -> Result<Vec<Flag<'_>>> {
        let mut flags = global_flags();
        if app == GLOBAL {
            return Ok(flags);
        }
        flags.extend(app_flags());
        let wants_status = match &self.info_flag {
            None => true,
            Some(f) => f.starts_with("--status-"),
        };
        if wants_status {
            flags.extend(status_flags(app));
        }
        Ok(flags)
    }
}
