//! `dokku report [<app>|--all]`: host diagnostics, then the `report` trigger for the app(s).
//!
//! Upstream is a bash script under `set -eo pipefail`; the sequence, texts and failure
//! behaviour are kept: a missing version tool prints bash's "command not found" and an
//! empty version, while a failing piped command (`free`, `df`, `docker`, `plugn list`)
//! ends the report with its status.

use dokku_common::{env, log, trigger, Paths, Result};

use crate::shell::{self, Site};

const FS_TYPES: [&str; 12] = [
    "--type", "btrfs", "--type", "ext4", "--type", "ext3", "--type", "ext2", "--type", "vfat",
    "--type", "iso9660",
];

/// Upstream's script path as bash would name it: the path this subcommand runs under.
fn script() -> String {
    dokku_common::plugin::argv0()
}

pub fn report(args: &[String]) -> Result<()> {
    let app = args.first().map(String::as_str).unwrap_or("");
    let script = script();
    let at = |line| Site {
        script: &script,
        line,
    };
    let arch = arch();
    if app == "--format" {
        return Err(log::fail("--format flag not supported on global report"));
    }

    log::info1(&format!(
        "uname: {}",
        shell::capture(at(17), "uname", &["-a"])
    ));
    log::info1("memory: ");
    shell::indented(at(19), "free", &["-m"])?;
    log::info1("disk utilization: ");
    let mut df = vec!["-h"];
    df.extend(FS_TYPES);
    shell::indented(at(21), "df", &df)?;
    log::info1("disk inode utilization: ");
    df[0] = "-hi";
    shell::indented(at(23), "df", &df)?;

    let docker = env::var_or("DOCKER_BIN", "docker");
    log::info1("docker version: ");
    shell::indented(at(25), &docker, &["version"])?;
    log::info1("docker daemon info: ");
    shell::indented(at(27), &docker, &["-D", "system", "info"])?;
    herokuish(&docker, &arch, at(32))?;

    log::info1(&format!("dokku version: {}", dokku_version()));
    optional_tool("dokku-event-listener", &["version"], at(38));
    optional_tool("dokku-update", &["version"], at(43));
    for (tool, flag, line) in [
        ("docker-container-healthchecker", "version", 47),
        ("docker-image-labeler", "version", 48),
        ("git", "--version", 49),
        ("lambda-builder", "version", 50),
        ("netrc", "version", 51),
    ] {
        tool_version(tool, flag, at(line));
    }
    optional_tool("pack", &["version"], at(53));
    for (tool, flag, line) in [
        ("plugn", "version", 57),
        ("sigil", "-v", 58),
        ("sshcommand", "version", 59),
    ] {
        tool_version(tool, flag, at(line));
    }
    log::info1("dokku plugins: ");
    shell::indented(at(61), "plugn", &["list"])?;

    if app == "--all" {
        for app in app_list() {
            trigger::call_ok("report", &[app])?;
        }
    } else if !app.is_empty() {
        trigger::call_ok("report", &[app])?;
    }
    Ok(())
}

/// `dpkg --print-architecture 2>/dev/null || true`.
fn arch() -> String {
    dokku_common::text::command_substitution(
        std::process::Command::new("dpkg")
            .arg("--print-architecture")
            .stderr(std::process::Stdio::null()),
    )
}

/// The herokuish version from the builder image when it is present locally. Upstream's
/// check could also pull the image from a registry configured for the (empty) app; that
/// pull is not attempted here.
fn herokuish(docker: &str, arch: &str, site: Site<'_>) -> Result<()> {
    log::info1("herokuish version: ");
    let image = env::var("DOKKU_IMAGE").unwrap_or_default();
    if arch == "arm64" {
        log::warn(&format!("herokuish not supported on {arch} architecture"));
    } else if shell::succeeds(docker, &["image", "inspect", &image]) {
        let run_args = env::var("DOKKU_GLOBAL_RUN_ARGS").unwrap_or_default();
        let mut args = vec!["container", "run"];
        args.extend(run_args.split_whitespace());
        args.extend(["--rm", &image, "herokuish", "version"]);
        shell::indented(site, docker, &args)?;
    } else {
        log::warn(&format!("Herokuish image {image} is not available"));
    }
    Ok(())
}

/// `$(dokku_version)`: the stable version file, else the version file; when neither
/// exists the subshell's failure is printed and the value is empty.
fn dokku_version() -> String {
    let lib = Paths::from_env().lib_root;
    for name in ["STABLE_VERSION", "VERSION"] {
        let path = lib.join(name);
        if path.is_file() {
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            return format!("dokku version {}", text.trim_end_matches('\n'));
        }
    }
    log::warn("Unable to determine dokku's version");
    String::new()
}

/// `-----> <tool> version: $(<tool> <flag>)`, run whether or not the tool exists.
fn tool_version(tool: &str, flag: &str, site: Site<'_>) {
    let version = shell::capture(site, tool, &[flag]);
    log::info1(&format!("{tool} version: {version}"));
}

/// A tool upstream checks for first: its version, or a warning that it is missing.
fn optional_tool(tool: &str, args: &[&str], site: Site<'_>) {
    if env::command_path(tool).is_some() {
        let version = shell::capture(site, tool, args);
        log::info1(&format!("{tool} version: {version}"));
    } else {
        log::warn(&format!("{tool} binary is not available"));
    }
}

/// `dokku_apps` as the loop uses it: the `app-list` trigger's words, or (nothing and) the
/// failure message when there are none, which does not stop the report.
fn app_list() -> Vec<String> {
    let out = trigger::Trigger::new("app-list")
        .arg("")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default();
    let apps: Vec<String> = out.split_whitespace().map(str::to_string).collect();
    if apps.is_empty() {
        log::warn(dokku_common::app::MSG_NO_APPS);
    }
    apps
}
