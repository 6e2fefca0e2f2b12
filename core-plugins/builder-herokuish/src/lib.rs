//! The `builder-herokuish` core plugin (Heroku buildpacks through herokuish): the `allowed`
//! setting (herokuish is only allowed by default on amd64 hosts), detection of a buildpack
//! source, the `builder-herokuish-allowed` check and the `USER` its containers run as.
//! Everything but the declaration and those triggers is shared with the other builders
//! (`dokku_common::builder_settings`); the build itself comes with the deploy pipeline.

use dokku_common::args::nth;
use dokku_common::builder_settings::{self, source_has_file, Fallback, Settings};
use dokku_common::trigger::capture_lenient;
use dokku_common::{log, Error, Result};

static SETTINGS: Settings = Settings {
    plugin: "builder-herokuish",
    builder: "herokuish",
    property: "allowed",
    fallback: Fallback::Computed(allowed_by_default),
    config_file: None,
    detect: None,
    data_dir: false,
    triggers: &[
        ("builder-detect", builder_detect),
        ("builder-herokuish-allowed", builder_herokuish_allowed),
        ("docker-args-build", docker_args),
        ("docker-args-deploy", docker_args),
        ("docker-args-run", docker_args),
    ],
};

/// `dpkg --print-architecture`, `""` when it cannot tell.
fn host_architecture() -> String {
    std::process::Command::new("dpkg")
        .arg("--print-architecture")
        .stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default()
}

/// The herokuish images only exist for amd64.
fn allowed_by_default() -> String {
    (host_architecture() == "amd64").to_string()
}

/// `builder-detect <app> <dir>`: `herokuish` for a `.buildpacks` file, a `BUILDPACK_URL` in
/// the source's `.env`, or a `BUILDPACK_URL` in the app's config; nothing on arm64 unless
/// herokuish is allowed there.
fn builder_detect(args: &[String]) -> Result<()> {
    let (app, dir) = (nth(args, 0), nth(args, 1));
    if host_architecture() == "arm64" && SETTINGS.computed(app) != "true" {
        return Ok(());
    }
    let dotenv = format!("{dir}/.env");
    let dotenv_names_buildpack = || {
        std::fs::read(&dotenv)
            .map(|b| b.windows(13).any(|w| w == b"BUILDPACK_URL"))
            .unwrap_or(false)
    };
    if source_has_file(dir, ".buildpacks")
        || (source_has_file(dir, ".env") && dotenv_names_buildpack())
        || !capture_lenient("config-get", &[app, "BUILDPACK_URL"]).is_empty()
    {
        log::log("herokuish");
    }
    Ok(())
}

/// `builder-herokuish-allowed <app>`: exit 0 when herokuish may build the app, else 1.
fn builder_herokuish_allowed(args: &[String]) -> Result<()> {
    if SETTINGS.computed(nth(args, 0)) == "true" {
        Ok(())
    } else {
        Err(Error::silent(1))
    }
}

/// `docker-args-{build,deploy,run} <app> …`, stdin passed through: an app built by herokuish
/// gets `--env=USER=<DOKKU_APP_USER, default herokuishuser>`.
fn docker_args(args: &[String]) -> Result<()> {
    let stdin = builder_settings::read_stdin();
    let app = nth(args, 0);
    let app_type = capture_lenient("builder-get-property", &[app, "detected"]);
    if app_type != "herokuish" {
        log::write_stdout(&stdin);
        return Ok(());
    }
    let mut user = capture_lenient("config-get", &[app, "DOKKU_APP_USER"]);
    if user.is_empty() {
        user = "herokuishuser".to_string();
    }
    log::write_stdout(&format!("{stdin} --env=USER={user}"));
    Ok(())
}

/// The binary's entry point; also called in-process by the `dokku` entry point.
pub fn main() {
    builder_settings::main(&SETTINGS)
}
