//! `common/common [--quiet] [--global] <cmd> ...`: the internal CLI the bash helpers
//! (`verify_app_name`, `is_deployed`, `get_app_scheduler`, ...) call. Failures print
//! ` !     msg` unless quiet and exit with the error's code (20 for a missing app).

use std::process::{Command, Stdio};

use dokku_common::args;
use dokku_common::pflag::{Flag, FlagSet, Kind};
use dokku_common::property::GLOBAL;
use dokku_common::{app, log, scheduler, trigger, Error, Result};

/// Upstream's flags for this CLI (pflag's command line set, named after the program).
const FLAGS: &[Flag] = &[
    Flag { name: "quiet", kind: Kind::Bool, usage: "--quiet: set DOKKU_QUIET_OUTPUT=1" },
    Flag { name: "global", kind: Kind::Bool, usage: "--global: Whether global or app-specific" },
];

pub fn main(argv: &[String]) -> Result<()> {
    let parsed = FlagSet { name: "common", flags: FLAGS }.parse(argv)?;
    if parsed.flag("quiet") {
        // Children (triggers) must see it too, as with upstream's os.Setenv.
        std::env::set_var("DOKKU_QUIET_OUTPUT", "1");
    }
    run(
        parsed.arg(0),
        &parsed.positional[parsed.positional.len().min(1)..],
        parsed.flag("global"),
    )
    .map_err(Error::quiet)
}

fn run(cmd: &str, rest: &[String], global: bool) -> Result<()> {
    let arg = |i: usize| args::nth(rest, i);
    match cmd {
        "verify-app-name" => app::verify_app_name(arg(0)),
        "is-valid-app-name" => app::is_valid_app_name(arg(0)),
        "is-valid-app-name-old" => app::is_valid_app_name_old(arg(0)),
        "is-deployed" => {
            if scheduler::is_deployed(arg(0)) {
                Ok(())
            } else {
                Err(Error::new(format!("App {} not deployed", arg(0))))
            }
        }
        "scheduler-detect" => {
            let target = if global { GLOBAL } else { arg(0) };
            log::write_stdout(&scheduler::app_scheduler(target));
            Ok(())
        }
        "plugn-trigger-exists" => {
            log::write_stdout(bool_str(trigger::exists(arg(0))));
            Ok(())
        }
        "image-is-cnb-based" => {
            log::write_stdout(bool_str(image_is_cnb_based(arg(0))));
            Ok(())
        }
        "image-is-herokuish-based" => {
            log::write_stdout(bool_str(image_is_herokuish_based(arg(0), arg(1))));
            Ok(())
        }
        "compose-up"
        | "compose-down"
        | "copy-dir-from-image"
        | "copy-from-image"
        | "docker-cleanup" => Err(Error::new(format!(
            "common {cmd} requires the deploy machinery, which dokku-rs does not provide yet"
        ))),
        _ => Err(Error::new(format!("Invalid common command call: {cmd}"))),
    }
}

fn bool_str(b: bool) -> &'static str {
    if b {
        "true"
    } else {
        "false"
    }
}

/// `docker inspect --format FORMAT IMAGE`, trimmed, with one pair of surrounding single
/// quotes removed; `None` when docker fails.
fn docker_inspect(image: &str, format: &str) -> Option<String> {
    let docker = dokku_common::env::var_or("DOCKER_BIN", "docker");
    let out = Command::new(docker)
        .args(["inspect", "--format", format, image])
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    let text = String::from_utf8_lossy(&out.stdout).trim().to_string();
    let text = match text.strip_prefix('\'').and_then(|t| t.strip_suffix('\'')) {
        Some(inner) => inner.to_string(),
        None => text,
    };
    Some(text)
}

fn image_is_cnb_based(image: &str) -> bool {
    !image.is_empty()
        && docker_inspect(
            image,
            "{{index .Config.Labels \"io.buildpacks.stack.id\" }}",
        )
        .is_some_and(|o| !o.is_empty())
}

fn image_is_herokuish_based(image: &str, app: &str) -> bool {
    if image.is_empty() {
        return false;
    }
    if image_is_cnb_based(image) {
        return true;
    }
    let mut user = String::new();
    if !app.is_empty() {
        user = trigger::Trigger::new("config-get")
            .arg(app)
            .arg("DOKKU_APP_USER")
            .stdin_null()
            .output()
            .ok()
            .filter(|o| o.status == 0)
            .map(|o| o.trimmed())
            .unwrap_or_default();
    }
    if user.is_empty() {
        user = "herokuishuser".to_string();
    }
    docker_inspect(image, &user_env_format(&user)).is_some_and(|o| !o.is_empty())
}

/// Go template printing the image's `USER=<user>` env entry, if any.
fn user_env_format(user: &str) -> String {
    format!("{{{{range .Config.Env}}}}{{{{if eq . \"USER={user}\" }}}}{{{{println .}}}}{{{{end}}}}{{{{end}}}}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inspect_format() {
        assert_eq!(
            user_env_format("herokuishuser"),
            "{{range .Config.Env}}{{if eq . \"USER=herokuishuser\" }}{{println .}}{{end}}{{end}}"
        );
    }
}
