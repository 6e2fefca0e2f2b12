//! `url`, `urls`, `deploy` and `cleanup`: thin commands that hand the work to triggers and
//! to the common plugin's CLI, exactly where upstream does. With no plugin implementing
//! those triggers they do what upstream does then: nothing, successfully.

use std::path::PathBuf;

use dokku_common::args::nth;
use dokku_common::{app, trigger, Error, Paths, Result};

use crate::shell::{self, Site};

/// The common plugin's internal CLI, which upstream's bash helpers call.
fn common_cli() -> PathBuf {
    Paths::from_env().core_plugin_dir("common").join("common")
}

/// The file upstream's helpers live in, as bash would name it in an error.
fn functions_file() -> String {
    Paths::from_env()
        .core_plugin_dir("common")
        .join("functions")
        .display()
        .to_string()
}

/// The bash `verify_app_name`: whatever is wrong (bad name, missing, filtered out by
/// `user-auth-app`) is reported as a missing app, exit 20.
fn verify(app: &str) -> Result<()> {
    app::verify_app_name(app).map_err(|_| Error::app_does_not_exist(app))
}

/// `dokku url <app>`: the first URL, from `domains-urls <app> url`.
pub fn url(args: &[String]) -> Result<()> {
    urls_of(nth(args, 0), "url")
}

/// `dokku urls <app>`: every URL, from `domains-urls <app> urls`.
pub fn urls(args: &[String]) -> Result<()> {
    urls_of(nth(args, 0), "urls")
}

fn urls_of(app: &str, kind: &str) -> Result<()> {
    verify(app)?;
    trigger::call_ok("domains-urls", &[app, kind])
}

/// `dokku deploy <app> [<tag>] [<process-type>]`: only the scheduler's deploy step, for an
/// image that was already built and released.
pub fn deploy(args: &[String]) -> Result<()> {
    let app = nth(args, 0);
    verify(app)?;
    let functions = functions_file();
    let cli = common_cli();
    let scheduler = shell::capture(
        Site {
            script: &functions,
            line: 386,
        },
        &cli.to_string_lossy(),
        &["--quiet", "scheduler-detect", app],
    );
    trigger::call_ok(
        "scheduler-deploy",
        &[scheduler.as_str(), app, nth(args, 1), nth(args, 2)],
    )
}

/// `dokku cleanup [<app>]`: the common CLI's docker cleanup, for the app or (without one)
/// the whole host.
pub fn cleanup(args: &[String]) -> Result<()> {
    let target = match nth(args, 0) {
        "" => "--global",
        app => app,
    };
    let functions = functions_file();
    shell::run(
        Site {
            script: &functions,
            line: 736,
        },
        &common_cli().to_string_lossy(),
        &["--quiet", "docker-cleanup", target],
    )
}
