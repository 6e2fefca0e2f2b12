//! Running the docker CLI the way upstream's Go helpers do (`DockerBin`, `CallExecCommand`,
//! `DockerInspect`, `ContainerIsRunning`): arguments are passed as an argv, never through a
//! shell, and output is captured.

use std::ffi::OsStr;
use std::process::{Command, Stdio};

use crate::error::{Error, Result};

/// `$DOCKER_BIN`, else `docker`.
pub fn bin() -> String {
    crate::env::var_or("DOCKER_BIN", "docker")
}

/// A finished docker invocation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    pub status: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Output {
    pub fn success(&self) -> bool {
        self.status == 0
    }

    /// Stdout with surrounding whitespace trimmed (Go's `StdoutContents`).
    pub fn stdout_trimmed(&self) -> &str {
        self.stdout.trim()
    }

    /// Stderr with surrounding whitespace trimmed (Go's `StderrContents`).
    pub fn stderr_trimmed(&self) -> &str {
        self.stderr.trim()
    }
}

/// Run `docker <args>` with stdin from `/dev/null` and both outputs captured. Only a failure
/// to start docker is an error; a non-zero status is in the [`Output`].
pub fn run<S: AsRef<OsStr>>(args: &[S]) -> Result<Output> {
    let docker = bin();
    if crate::env::var("DOKKU_TRACE").as_deref() == Some("1") {
        let shown: Vec<String> = args
            .iter()
            .map(|a| a.as_ref().to_string_lossy().into_owned())
            .collect();
        crate::log::warn(&format!("exec: {docker} {}", shown.join(" ")));
    }
    let out = Command::new(&docker)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| Error::new(format!("exec: \"{docker}\": {e}")))?;
    Ok(Output {
        status: out.status.code().unwrap_or(1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    })
}

/// Like [`run`], but a non-zero status is an error whose message is docker's raw stderr,
/// as Go's `CallExecCommand` returns it.
pub fn run_ok<S: AsRef<OsStr>>(args: &[S]) -> Result<Output> {
    let out = run(args)?;
    if out.success() {
        Ok(out)
    } else {
        Err(Error::new(out.stderr))
    }
}

/// `docker inspect --format <format> <id>`: trimmed output, with one pair of surrounding
/// single quotes removed (Go's `DockerInspect`). Fails with docker's stderr.
pub fn inspect(id: &str, format: &str) -> Result<String> {
    let out = run_ok(&["inspect", "--format", format, id])?;
    let text = out.stdout_trimmed();
    let text = match text.strip_prefix('\'').and_then(|t| t.strip_suffix('\'')) {
        Some(inner) => inner,
        None => text,
    };
    Ok(text.to_string())
}

/// Whether the container is running (`ContainerIsRunning`).
pub fn container_is_running(id: &str) -> bool {
    matches!(inspect(id, "'{{.State.Running}}'"), Ok(v) if v.trim() == "true")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_helpers() {
        let out = Output {
            status: 1,
            stdout: " a \n".into(),
            stderr: "boom\n".into(),
        };
        assert!(!out.success());
        assert_eq!(out.stdout_trimmed(), "a");
        assert_eq!(out.stderr_trimmed(), "boom");
    }
}
