//! `builder-build dockerfile <app> <dir>`: `docker image build` of the source's Dockerfile
//! as `dokku/<app>:latest`, then the detected port mappings.
//!
//! Upstream is a bash script under `set -e`; its exit statuses are kept: a failing hook or
//! docker build ends the trigger with that status, which is what makes `dokku_build` retag
//! the previous release and fail with `App build failed`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use dokku_common::args::nth;
use dokku_common::trigger::Trigger;
use dokku_common::{docker, log, words, Error, Result};

/// `docker build` flags taking a value (as `--flag value` or `--flag=value`) that survive
/// the filter; everything else from the docker-options and global arguments is dropped.
const VALUE_FLAGS: &[&str] = &[
    "--add-host",
    "--allow",
    "--annotation",
    "--attest",
    "--build-arg",
    "--builder",
    "--cache-from",
    "--cache-to",
    "--call",
    "--cgroup-parent",
    "--label",
    "--memory-swap",
    "--network",
    "--platform",
    "--progress",
    "--provenance",
    "--sbom",
    "--secret",
    "--shm-size",
    "--ssh",
    "--tag",
    "--target",
    "--ulimit",
];

/// Flags without a value that survive the filter.
const SWITCHES: &[&str] = &["--check", "-D", "--debug", "--no-cache"];

/// The filtered `docker image build` arguments, each flag and its value as separate words
/// (`--flag=value` is split). Upstream's quirks are kept: the first empty word ends the
/// list; `--memory=<v>` and `-m=<v>` are dropped (only `--memory <v>` and `-m <v>` pass,
/// as `--memory <v>`); a value flag with nothing after it fails the build (`Err`).
pub fn filter_build_args(args: &[String]) -> std::result::Result<Vec<String>, ()> {
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(arg) = args.get(i) {
        if arg.is_empty() {
            break;
        }
        let with_value = if VALUE_FLAGS.contains(&arg.as_str()) {
            Some(arg.as_str())
        } else if arg == "--memory" || arg == "-m" {
            Some("--memory")
        } else {
            None
        };
        if let Some(flag) = with_value {
            let Some(value) = args.get(i + 1) else {
                return Err(());
            };
            out.push(flag.to_string());
            out.push(value.clone());
            i += 2;
            continue;
        }
        if let Some((flag, value)) = arg.split_once('=') {
            if VALUE_FLAGS.contains(&flag) {
                out.push(flag.to_string());
                out.push(value.to_string());
            }
        } else if SWITCHES.contains(&arg.as_str()) {
            out.push(arg.clone());
        }
        i += 1;
    }
    Ok(out)
}

/// The words of the collected argument string, split as `xargs` does (quotes group, a
/// backslash escapes); an unterminated quote keeps the words before it, with xargs' message.
fn split_args(text: &str) -> Vec<String> {
    let (words, unmatched) = words::split_xargs_partial(text);
    if let Some(u) = unmatched {
        log::write_stderr(&format!(
            "xargs: unmatched {} quote; by default quotes are special to xargs unless you use the -0 option\n",
            u.kind()
        ));
    }
    words
}

/// The ports a Dockerfile exposes: the second field of each line starting with `EXPOSE `
/// (so only the first port of a line), after CRLF line endings are converted.
pub fn dockerfile_ports(content: &[u8]) -> Vec<String> {
    let text = dokku_common::extract::dos2unix(content).unwrap_or_else(|| content.to_vec());
    let fields: Vec<String> = String::from_utf8_lossy(&text)
        .lines()
        .filter(|line| line.starts_with("EXPOSE "))
        .filter_map(|line| {
            line.split([' ', '\t'])
                .filter(|f| !f.is_empty())
                .nth(1)
                .map(str::to_string)
        })
        .collect();
    // Upstream joins them through xargs, which also applies its quoting.
    split_args(&fields.join("\n"))
}

/// One exposed port as a mapping: `udp:N:N` for anything naming udp, `https:443:443`, else
/// `http:N:N` (a `/tcp` suffix removed).
pub fn port_map(port: &str) -> String {
    if port.contains("udp") {
        let p = port.replace("/udp", "");
        format!("udp:{p}:{p}")
    } else {
        let p = port.replace("/tcp", "");
        let scheme = if p == "443" { "https" } else { "http" };
        format!("{scheme}:{p}:{p}")
    }
}

/// The ports the built image exposes (`.Config.ExposedPorts`, in key order).
fn image_ports(image: &str) -> Vec<String> {
    let format = "{{range $key, $value := .Config.ExposedPorts}}{{$key}} {{end}}";
    let out = Command::new(docker::bin())
        .args(["image", "inspect", "--format", format, image])
        .stderr(std::process::Stdio::inherit())
        .output();
    match out {
        Ok(o) => split_args(&String::from_utf8_lossy(&o.stdout)),
        Err(_) => Vec::new(),
    }
}

/// The argument given to `ports-set-detected`: the Dockerfile's ports, else the image's,
/// as mappings; with none, the proxy port (after `ports-configure`, whose output upstream
/// captures along) mapped to 5000.
fn detected_port_map(app: &str, image: &str, dockerfile: &Path, env: &Env) -> String {
    let mut ports = std::fs::read(dockerfile)
        .map(|c| dockerfile_ports(&c))
        .unwrap_or_default();
    if ports.is_empty() {
        ports = image_ports(image);
    }
    if !ports.is_empty() {
        let maps: Vec<String> = ports.iter().map(|p| port_map(p)).collect();
        return split_args(&maps.join(" ")).join(" ");
    }
    let mut text = capture(with_env(Trigger::new("ports-configure").arg(app), env));
    let proxy = capture(with_env(
        Trigger::new("ports-get-property").args(&[app, "proxy-port"]),
        env,
    ));
    text.push_str(&format!("http:{}:5000\n", proxy.trim_end_matches('\n')));
    text.trim_end_matches('\n').to_string()
}

/// The environment the build and the later hooks run with: the app's config (upstream
/// `eval`s `config_export app`), plus `DOCKER_CONFIG` for per-app registry credentials.
type Env = BTreeMap<String, String>;

fn app_env(app: &str) -> Env {
    let out = Trigger::new("config-export")
        .args(&[app, "false", "false", "json"])
        .output();
    match out {
        Ok(o) if o.status == 0 => serde_json::from_slice(&o.stdout).unwrap_or_default(),
        _ => Env::new(),
    }
}

fn with_env(mut trigger: Trigger, env: &Env) -> Trigger {
    for (k, v) in env {
        trigger = trigger.env(k, v);
    }
    trigger
}

/// `$(plugn trigger …)`: everything the hooks printed, whatever their status.
fn capture(trigger: Trigger) -> String {
    trigger
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default()
}

/// `plugn trigger …` under `set -e`: a failing hook ends the build with its status.
fn fire(trigger: Trigger) -> Result<()> {
    match trigger.status()? {
        0 => Ok(()),
        status => Err(Error::silent(status)),
    }
}

/// The `docker-args-*` filters for the build, given empty stdin (`: | plugn trigger …`).
fn docker_args(hook: &str, app: &str) -> Result<(i32, String)> {
    let out = Trigger::new(hook)
        .args(&[app, "dockerfile"])
        .stdin(Vec::new())
        .output()?;
    let text = String::from_utf8_lossy(&out.stdout);
    Ok((out.status, text.trim_end_matches('\n').to_string()))
}

const BUILD_LABELS: &[&str] = &[
    "--label=org.label-schema.schema-version=1.0",
    "--label=org.label-schema.vendor=dokku",
    "--label=com.dokku.image-stage=build",
    "--label=com.dokku.builder-type=dockerfile",
];

/// `builder-build <builder-type> <app> <source-dir>`.
pub fn builder_build(args: &[String]) -> Result<()> {
    let (builder, app, dir) = (nth(args, 0), nth(args, 1), nth(args, 2));
    if builder != "dockerfile" {
        return Ok(());
    }
    dokku_common::app::check_name(app)?;
    log::info1(&format!("Building {app} from Dockerfile"));
    let image = format!("dokku/{app}:latest");

    // Upstream `pushd`es into the directory (a missing one ends the script silently).
    let dir = PathBuf::from(dir);
    if !dir.is_dir() {
        return Err(Error::silent(1));
    }
    if !dir.join("Dockerfile").is_file() {
        return Err(log::fail("No Dockerfile found in source code directory"));
    }

    if dokku_common::trigger::exists("pre-build-dockerfile") {
        log::warn("Deprecated: please upgrade plugin to use 'pre-build' plugin trigger instead of pre-build-dockerfile");
        fire(Trigger::new("pre-build-dockerfile").arg(app))?;
    }
    let dir_arg = nth(args, 2);
    fire(Trigger::new("pre-build").args(&[builder, app, dir_arg]))?;

    // The first filter's status is ignored (upstream assigns it with `local`), the second's
    // is not.
    let (_, mut collected) = docker_args("docker-args-build", app)?;
    let (status, process) = docker_args("docker-args-process-build", app)?;
    if status != 0 {
        return Err(Error::silent(status));
    }
    collected.push(' ');
    collected.push_str(&process);
    collected.push(' ');
    collected.push_str(&dokku_common::env::var("DOKKU_GLOBAL_BUILD_ARGS").unwrap_or_default());
    let filtered = filter_build_args(&split_args(&collected)).map_err(|()| Error::silent(1))?;

    let mut env = app_env(app);
    let registry = docker::registry_config_dir(app);
    env.remove("DOCKER_CONFIG");
    if let Some(config) = &registry {
        env.insert(
            "DOCKER_CONFIG".to_string(),
            config.to_string_lossy().into_owned(),
        );
    }

    let mut cmd = Command::new(docker::bin());
    cmd.args(["image", "build"])
        .args(BUILD_LABELS)
        .arg(format!("--label=com.dokku.app-name={app}"))
        .arg("--label=dokku")
        .args(&filtered)
        .args(["--tag", &image, "."])
        .current_dir(&dir)
        .env_remove("DOCKER_CONFIG")
        .envs(&env);
    let status = cmd
        .status()
        .map_err(|e| Error::new(format!("exec: \"{}\": {e}", docker::bin())))?;
    if !status.success() {
        return Err(Error::silent(status.code().unwrap_or(1)));
    }

    let maps = detected_port_map(app, &image, &dir.join("Dockerfile"), &env);
    fire(with_env(
        Trigger::new("ports-set-detected").args(&[app, &maps]),
        &env,
    ))?;
    if dokku_common::trigger::exists("post-build-dockerfile") {
        log::warn("Deprecated: please upgrade plugin to use 'post-build' plugin trigger instead of post-build-dockerfile");
        fire(with_env(
            Trigger::new("post-build-dockerfile").arg(app),
            &env,
        ))?;
    }
    fire(with_env(
        Trigger::new("post-build").args(&[builder, app, dir_arg]),
        &env,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn filter() {
        let input = words(&[
            "--rm",
            "-v",
            "/a:/b",
            "--build-arg",
            "A=1",
            "--label=x=y",
            "--no-cache",
            "-m",
            "1g",
            "--memory=2g",
            "-m=3g",
            "--memory-swap=4g",
            "--network",
            "host",
            "--pull",
        ]);
        assert_eq!(
            filter_build_args(&input).unwrap(),
            words(&[
                "--build-arg",
                "A=1",
                "--label",
                "x=y",
                "--no-cache",
                "--memory",
                "1g",
                "--memory-swap",
                "4g",
                "--network",
                "host",
            ])
        );
        // An empty word ends the list; a value flag at the end fails.
        assert_eq!(
            filter_build_args(&words(&["--no-cache", "", "--debug"])).unwrap(),
            words(&["--no-cache"])
        );
        assert!(filter_build_args(&words(&["--no-cache", "--target"])).is_err());
        assert_eq!(
            filter_build_args(&words(&["--tag", ""])).unwrap(),
            words(&["--tag", ""])
        );
    }

    #[test]
    fn ports() {
        assert_eq!(
            dockerfile_ports(b"FROM x\r\nEXPOSE 80 81\r\nEXPOSE  53/udp\r\n expose 9\r\nEXPOSE\t7\r\nEXPOSE 443/tcp\n"),
            words(&["80", "53/udp", "443/tcp"])
        );
        assert_eq!(dockerfile_ports(b"FROM x\n"), Vec::<String>::new());
        assert_eq!(port_map("53/udp"), "udp:53:53");
        assert_eq!(port_map("443/tcp"), "https:443:443");
        assert_eq!(port_map("443"), "https:443:443");
        assert_eq!(port_map("8080"), "http:8080:8080");
    }
}
