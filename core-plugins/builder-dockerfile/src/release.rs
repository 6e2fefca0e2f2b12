//! `builder-release dockerfile <app> <tag>`: the release hooks around a one-line rebuild of
//! the image (`FROM` itself) that gives it the release labels.

use std::fs::File;
use std::io::{Read, Seek};
use std::process::{Command, Stdio};

use dokku_common::args::nth;
use dokku_common::text::command_substitution;
use dokku_common::trigger::Trigger;
use dokku_common::{docker, log, Error, Paths, Result};

/// `plugn trigger …` under `set -e`: a failing hook ends the release with its status.
fn fire(trigger: Trigger) -> Result<()> {
    match trigger.status()? {
        0 => Ok(()),
        status => Err(Error::silent(status)),
    }
}

/// The bash `fn-force-arm64-image`: an amd64 image on a host dpkg does not call amd64.
fn forced_amd64(image: &str) -> bool {
    let arch = command_substitution(
        Command::new(docker::bin())
            .args(["image", "inspect", "--format", "{{.Architecture}}", image])
            .stderr(Stdio::inherit()),
    );
    if arch != "amd64" {
        return false;
    }
    let host = command_substitution(
        Command::new("dpkg")
            .arg("--print-architecture")
            .stderr(Stdio::null()),
    );
    host != "amd64"
}

/// A private, empty build context, removed on drop.
struct TempDir(std::path::PathBuf);

impl TempDir {
    fn new() -> Result<TempDir> {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let path = std::env::temp_dir().join(format!(
            "dokku-{}-trigger-builder-dockerfile-builder-release.{}-{nanos}",
            dokku_common::env::dokku_pid(),
            std::process::id()
        ));
        std::os::unix::fs::DirBuilderExt::mode(&mut std::fs::DirBuilder::new(), 0o700)
            .create(&path)
            .map_err(|e| Error::new(format!("mktemp: failed to create directory: {e}")))?;
        Ok(TempDir(path))
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The bash `suppress_output`: run with stdout and stderr into one temporary file, shown on
/// stdout only when the command fails. Returns whether it succeeded.
fn suppress_output(cmd: &mut Command) -> Result<bool> {
    let dir = TempDir::new()?;
    let path = dir.0.join("output");
    let mut file = File::options()
        .create_new(true)
        .read(true)
        .write(true)
        .open(&path)?;
    let status = cmd
        .stdin(Stdio::null())
        .stdout(file.try_clone()?)
        .stderr(file.try_clone()?)
        .status()
        .map_err(|e| Error::new(format!("exec: \"{}\": {e}", docker::bin())))?;
    if status.success() {
        return Ok(true);
    }
    let mut output = Vec::new();
    file.rewind()?;
    file.read_to_end(&mut output)?;
    log::write_stdout(&String::from_utf8_lossy(&output));
    Ok(false)
}

/// `builder-release <builder-type> <app> <tag>`.
pub fn builder_release(args: &[String]) -> Result<()> {
    let (builder, app, tag) = (nth(args, 0), nth(args, 1), nth(args, 2));
    if builder != "dockerfile" {
        return Ok(());
    }
    dokku_common::app::check_name(app)?;
    // Upstream takes the name with `local IMAGE=$(…)`, which hides the failure: the message
    // is printed and the release goes on with an empty image name.
    let image = docker::app_image_name(app, tag).unwrap_or_else(|e| {
        e.report();
        String::new()
    });
    if dokku_common::trigger::exists("pre-release-dockerfile") {
        log::warn("Deprecated: please upgrade plugin to use 'pre-release-builder' plugin trigger instead of pre-release-dockerfile");
        fire(Trigger::new("pre-release-dockerfile").args(&[app, tag]))?;
    }
    fire(Trigger::new("pre-release-builder").args(&[builder, app, &image]))?;

    let context = TempDir::new()?;
    let mut build_args = vec![
        "--label=org.label-schema.schema-version=1.0".to_string(),
        "--label=org.label-schema.vendor=dokku".to_string(),
        format!("--label=com.dokku.app-name={app}"),
        "--label=com.dokku.image-stage=release".to_string(),
        "--label=dokku".to_string(),
    ];
    if forced_amd64(&image) {
        log::warn("Detected linux/amd64 image, forcing --platform=linux/amd64");
        build_args.push("--platform=linux/amd64".to_string());
    }
    // Unquoted in upstream: split on blanks, unfiltered.
    let global = dokku_common::env::var("DOKKU_GLOBAL_BUILD_ARGS").unwrap_or_default();
    let dockerfile = Paths::from_env()
        .plugin_available_path
        .join("builder-dockerfile/dockerfiles/builder-release.Dockerfile");

    let mut cmd = Command::new(docker::bin());
    cmd.args(["image", "build"])
        .args(&build_args)
        .args(global.split([' ', '\t', '\n']).filter(|w| !w.is_empty()))
        .arg("-f")
        .arg(&dockerfile)
        .arg("--build-arg")
        .arg(format!("APP_IMAGE={image}"))
        .args(["-t", &image])
        .arg(&context.0);
    match docker::registry_config_dir(app) {
        Some(dir) => cmd.env("DOCKER_CONFIG", dir),
        None => cmd.env_remove("DOCKER_CONFIG"),
    };
    if !suppress_output(&mut cmd)? {
        log::warn("Failure injecting docker labels on image");
        return Err(Error::silent(1));
    }
    drop(context);

    fire(Trigger::new("post-release-builder").args(&[builder, app, &image]))
}
