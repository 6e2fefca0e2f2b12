//! Shared helpers of the nginx-vhosts tests: an installed root with stand-ins for `sudo`,
//! `nginx` and a service command (each recording its calls), and a fixture plugin playing
//! the scheduler and recording triggers.

#![allow(dead_code)]

use std::fs;
use std::path::PathBuf;

pub use dokku_rs_testkit::{Root, Run};

/// Core plugins whose answers to the triggers the fixture plays would mix with its own.
const STAND_INS: &[&str] = &["scheduler", "scheduler-docker-local", "git", "registry"];

/// The fixture's hooks; each records `<hook> <args>`. Control files in `<root>/control`:
/// `scheduler` (what `scheduler-detect` prints), `template-<app>` (what
/// `nginx-app-template-source <app> validate-config` prints), `fail-<hook>`.
const HOOKS: &[&str] = &[
    "scheduler-detect",
    "scheduler-proxy-config",
    "scheduler-proxy-logs",
    "network-clear-config",
    "nginx-app-template-source",
    "ports-clear",
    "deploy",
];

pub fn record_path(root: &Root) -> PathBuf {
    root.dir.join("record")
}

pub fn control_path(root: &Root, name: &str) -> PathBuf {
    root.dir.join("control").join(name)
}

fn fixture_script(root: &Root) -> String {
    format!(
        r#"#!/usr/bin/env bash
hook="$(basename "$0")"
echo "$hook $*" >>"{record}"
control="{control}"
[[ -f "$control/fail-$hook" ]] && {{ echo "$hook failed" >&2; exit 3; }}
case "$hook" in
  scheduler-detect) [[ -f "$control/scheduler" ]] && cat "$control/scheduler" ;;
  scheduler-proxy-config) echo "config from $1" ;;
  scheduler-proxy-logs) echo "logs from $1" ;;
  nginx-app-template-source) [[ "$2" == validate-config && -f "$control/template-$1" ]] && cat "$control/template-$1" ;;
esac
exit 0
"#,
        record = record_path(root).display(),
        control = root.dir.join("control").display()
    )
}

/// `sudo`: records the call; runs programs inside the root, and answers for the others with
/// the status in `control/sudo-status` (0 by default).
fn sudo_script(root: &Root) -> String {
    format!(
        r#"#!/usr/bin/env bash
echo "sudo $*" >>"{record}"
case "$1" in
  "{dir}"/*) exec "$@" ;;
esac
status=0
[[ -f "{control}/sudo-status" ]] && status="$(cat "{control}/sudo-status")"
exit "$status"
"#,
        record = record_path(root).display(),
        dir = root.dir.display(),
        control = root.dir.join("control").display()
    )
}

/// `nginx`: `-v` says 1.22.1 (Debian 12's); `-t` fails while `control/nginx-broken` exists;
/// `-t -c FILE` fails when the config it includes contains `broken`.
fn nginx_script(root: &Root) -> String {
    format!(
        r#"#!/usr/bin/env bash
echo "nginx $*" >>"{record}"
if [[ "$1" == "-v" ]]; then
  echo "nginx version: nginx/1.22.1" >&2
  exit 0
fi
if [[ "$1" == "-t" && "$2" == "-c" ]]; then
  included="$(sed -n 's/^ *include \(.*\);$/\1/p' "$3")"
  if grep -q broken "$included"; then
    echo "nginx: [emerg] broken config in $included" >&2
    exit 1
  fi
  exit 0
fi
if [[ "$1" == "-t" && -f "{control}/nginx-broken" ]]; then
  echo "nginx: configuration file test failed" >&2
  exit 1
fi
echo "nginx: configuration file test is successful" >&2
exit 0
"#,
        record = record_path(root).display(),
        control = root.dir.join("control").display()
    )
}

/// A service command: records its action; fails while `control/service-fails` exists.
fn service_script(root: &Root) -> String {
    format!(
        r#"#!/usr/bin/env bash
echo "service $*" >>"{record}"
if [[ -f "{control}/service-fails" ]]; then
  echo "service $1 failed"
  exit 4
fi
echo "service $1 done"
"#,
        record = record_path(root).display(),
        control = root.dir.join("control").display()
    )
}

/// A root with the fixture plugin, fake `sudo` and `nginx` on the PATH and the service
/// command at `<root>/service` (not configured yet).
pub fn root() -> Root {
    let root = Root::new();
    for name in STAND_INS {
        if root.lib().join("plugins/enabled").join(name).exists() {
            root.plugn(&["disable", name]).ok();
        }
    }
    fs::create_dir_all(root.dir.join("control")).unwrap();
    root.write_exec(
        "lib/plugins/available/zz-nginx-fixture/plugin.toml",
        "[plugin]\ndescription = \"nginx test fixture\"\nversion = \"0.1.0\"\n[plugin.config]\n",
    );
    let script = fixture_script(&root);
    for hook in HOOKS {
        root.write_exec(
            &format!("lib/plugins/available/zz-nginx-fixture/{hook}"),
            &script,
        );
    }
    root.plugn(&["enable", "zz-nginx-fixture"]).ok();
    root.write_exec("usr/bin/sudo", &sudo_script(&root));
    root.write_exec("usr/bin/nginx", &nginx_script(&root));
    root.write_exec("service", &service_script(&root));
    root
}

/// A fixture root with the app `web`, recording cleared.
pub fn root_with_app() -> Root {
    let root = root();
    root.dokku(&["apps:create", "web"]).ok();
    take(&root);
    root
}

/// Use `<root>/service` as the global nginx service command.
pub fn use_service(root: &Root) {
    let path = root.dir.join("service");
    root.dokku(&[
        "nginx:set",
        "--global",
        "nginx-service-command",
        &path.to_string_lossy(),
    ])
    .ok();
}

pub fn take(root: &Root) -> String {
    let text = fs::read_to_string(record_path(root)).unwrap_or_default();
    let _ = fs::remove_file(record_path(root));
    text
}

pub fn control(root: &Root, name: &str, content: &str) {
    fs::write(control_path(root, name), content).unwrap();
}

pub fn remove_control(root: &Root, name: &str) {
    let _ = fs::remove_file(control_path(root, name));
}

pub fn prop_path(root: &Root, app: &str, key: &str) -> PathBuf {
    root.lib().join("config/nginx").join(app).join(key)
}

pub fn prop(root: &Root, app: &str, key: &str) -> Option<String> {
    fs::read_to_string(prop_path(root, app, key)).ok()
}

/// `$DOKKU_ROOT/<app>/nginx.conf`.
pub fn conf_path(root: &Root, app: &str) -> PathBuf {
    root.home().join(app).join("nginx.conf")
}

/// The page size in KiB, as `getconf` reports it.
pub fn page_kib() -> u64 {
    let out = std::process::Command::new("getconf")
        .arg("PAGESIZE")
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout)
        .trim()
        .parse::<u64>()
        .unwrap()
        / 1024
}

fn plugin_env(root: &Root, cmd: &mut std::process::Command) {
    cmd.env("PLUGIN_PATH", root.lib().join("plugins"))
        .env(
            "PLUGIN_AVAILABLE_PATH",
            root.lib().join("plugins/available"),
        )
        .env("PLUGIN_ENABLED_PATH", root.lib().join("plugins/enabled"))
        .env(
            "PLUGIN_CORE_AVAILABLE_PATH",
            root.lib().join("core-plugins/available"),
        )
        .env("DOKKU_LIB_ROOT", root.lib());
}

/// Run a program at the nginx-vhosts plugin root (a trigger or helper) directly.
pub fn hook(root: &Root, args: &[&str]) -> Run {
    hook_env(root, args, &[])
}

pub fn hook_env(root: &Root, args: &[&str], env: &[(&str, &str)]) -> Run {
    let path = root
        .lib()
        .join("core-plugins/available/nginx-vhosts")
        .join(args[0]);
    let mut cmd = root.command(&path);
    plugin_env(root, &mut cmd);
    for (k, v) in env {
        cmd.env(k, v);
    }
    Run::from(cmd.args(&args[1..]).output().unwrap())
}

/// `dokku` with extra environment.
pub fn dokku_env(root: &Root, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut cmd = root.command(root.bin("dokku"));
    for (k, v) in env {
        cmd.env(k, v);
    }
    Run::from(cmd.args(args).output().unwrap())
}

/// `bash -c SCRIPT` with the plugin environment, for the bash libraries.
pub fn bash(root: &Root, script: &str, env: &[(&str, &str)]) -> Run {
    let mut cmd = root.command("bash");
    plugin_env(root, &mut cmd);
    cmd.env("DOKKU_ROOT", root.home())
        .env("DOKKU_NOT_IMPLEMENTED_EXIT", "10");
    for (k, v) in env {
        cmd.env(k, v);
    }
    Run::from(cmd.arg("-c").arg(script).output().unwrap())
}
