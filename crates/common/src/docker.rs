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

/// `docker image inspect <image>` succeeds (output discarded).
pub fn image_exists(image: &str) -> bool {
    run(&["image", "inspect", image]).is_ok_and(|o| o.success())
}

/// The bash `fn-registry-docker-config-dir`: `config/registry/<app>` when its `config.json`
/// exists and `jq -r '.auths | length'` on it prints anything but `0` (so an unreadable or
/// malformed file counts as holding credentials, as with jq's error).
pub fn registry_config_dir(app: &str) -> Option<std::path::PathBuf> {
    let dir = crate::Paths::from_env()
        .config_root()
        .join("registry")
        .join(app);
    let file = dir.join("config.json");
    if app.is_empty() || app.contains('/') || !file.is_file() {
        return None;
    }
    let length_is_zero = std::fs::read(&file)
        .ok()
        .and_then(|bytes| serde_json::from_slice::<serde_json::Value>(&bytes).ok())
        .and_then(|doc| jq_auths_length_is_zero(&doc));
    (length_is_zero != Some(true)).then_some(dir)
}

/// jq's `.auths | length == 0` for a parsed document; `None` where jq would fail.
fn jq_auths_length_is_zero(doc: &serde_json::Value) -> Option<bool> {
    use serde_json::Value;
    let auths = match doc {
        Value::Object(map) => map.get("auths").unwrap_or(&Value::Null),
        Value::Null => &Value::Null,
        _ => return None,
    };
    match auths {
        Value::Null => Some(true),
        Value::Object(m) => Some(m.is_empty()),
        Value::Array(a) => Some(a.is_empty()),
        Value::String(s) => Some(s.is_empty()),
        Value::Number(n) => Some(n.as_f64() == Some(0.0)),
        Value::Bool(_) => None,
    }
}

/// `$(plugn trigger <hook> <args>)`: stdout with trailing newlines dropped, status ignored.
fn trigger_text(hook: &str, app: &str) -> String {
    crate::trigger::capture_text(hook, &[app])
}

/// The bash `fn-verify-app-image`: the image exists locally or, for a tag other than
/// `latest` of an app whose releases are pushed (`deployed-app-image-tag` answers), it is
/// pulled from the registry (with the app's registry credentials) and tagged.
pub fn verify_app_image(app: &str, image: &str) -> bool {
    if image_exists(image) {
        return true;
    }
    if image.ends_with(":latest") || trigger_text("deployed-app-image-tag", app).is_empty() {
        return false;
    }
    let config = registry_config_dir(app);
    let remote_repo = trigger_text("deployed-app-repository", app);
    let deployed_repo = trigger_text("deployed-app-image-repo", app);
    let tag = image.rsplit(':').next().unwrap_or(image);
    crate::log::write_stderr(&format!(
        "-----> Image {image} not found locally, pulling from registry\n"
    ));
    let docker = |args: &[&str]| {
        let mut cmd = Command::new(bin());
        cmd.args(args).stdout(std::io::stderr());
        match &config {
            Some(dir) => cmd.env("DOCKER_CONFIG", dir),
            None => cmd.env_remove("DOCKER_CONFIG"),
        };
        cmd.status().is_ok_and(|s| s.success())
    };
    if !deployed_repo.is_empty() && image.starts_with(&format!("{remote_repo}{deployed_repo}:")) {
        return docker(&["image", "pull", image]);
    }
    let repo = if deployed_repo.is_empty() {
        image.rsplit_once(':').map_or(image, |(repo, _)| repo)
    } else {
        &deployed_repo
    };
    let remote = format!("{remote_repo}{repo}:{tag}");
    docker(&["image", "pull", &remote]) && docker(&["image", "tag", &remote, image])
}

/// The bash `get_app_image_name <app> [<tag>]`: `dokku/<app>:<tag>` (`latest` when no tag is
/// given); an explicit tag must pass [`verify_app_image`], else `App image (<image>) not
/// found`.
pub fn app_image_name(app: &str, tag: &str) -> Result<String> {
    if tag.is_empty() {
        return Ok(format!("dokku/{app}:latest"));
    }
    let image = format!("dokku/{app}:{tag}");
    if verify_app_image(app, &image) {
        Ok(image)
    } else {
        Err(crate::log::fail(format!("App image ({image}) not found")))
    }
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

    #[test]
    fn registry_auth_length() {
        let zero = |text: &str| jq_auths_length_is_zero(&serde_json::from_str(text).unwrap());
        assert_eq!(zero("{}"), Some(true));
        assert_eq!(zero("{\"auths\":{}}"), Some(true));
        assert_eq!(zero("{\"auths\":{\"r\":{}}}"), Some(false));
        assert_eq!(zero("{\"auths\":\"\"}"), Some(true));
        assert_eq!(zero("{\"auths\":true}"), None);
        assert_eq!(zero("[1]"), None);
        assert_eq!(zero("null"), Some(true));
    }
}
