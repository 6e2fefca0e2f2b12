//! Shared helpers of the ps tests: an installed root where a fixture plugin plays the
//! scheduler, the registry and the deploy pipeline, recording what the ps plugin fires.

#![allow(dead_code)]

use std::fs;
use std::path::PathBuf;

pub use dokku_rs_testkit::{Root, Run};

pub const MSG_NO_APP: &str = " !     Please specify an app to run the command on\n";
pub const MSG_INVALID: &str = " !     App name must begin with lowercase alphanumeric character, and may only contain lowercase alphanumerics, dots, and hyphens\n";

/// Core plugins whose answers to the triggers the fixture plays would mix with its own.
const STAND_INS: &[&str] = &["scheduler", "scheduler-docker-local", "registry", "git"];

/// The fixture's hooks. Each appends `<hook> <args>` to `<root>/record`; the control files
/// in `<root>/control` decide the answers:
/// * `deployed-<app>`: `scheduler-is-deployed` succeeds;
/// * `status-<app>`: what `scheduler-app-status` prints;
/// * `tag-<app>`: what `deployed-app-image-tag` prints;
/// * `fail-<hook>`: that hook fails with status 3.
const HOOKS: &[&str] = &[
    "scheduler-is-deployed",
    "scheduler-app-status",
    "deployed-app-image-tag",
    "deploy",
    "receive-app",
];

pub fn fixture_script(root: &Root) -> String {
    let record = root.dir.join("record");
    let control = root.dir.join("control");
    format!(
        r#"#!/usr/bin/env bash
hook="$(basename "$0")"
echo "$hook $*" >>"{record}"
[[ -f "{control}/fail-$hook" ]] && {{ echo "$hook failed" >&2; exit 3; }}
case "$hook" in
  scheduler-is-deployed) [[ -f "{control}/deployed-$2" ]]; exit $? ;;
  scheduler-app-status) [[ -f "{control}/status-$2" ]] && cat "{control}/status-$2"; exit 0 ;;
  deployed-app-image-tag) [[ -f "{control}/tag-$1" ]] && cat "{control}/tag-$1"; exit 0 ;;
esac
exit 0
"#,
        record = record.display(),
        control = control.display()
    )
}

/// A root with the fixture plugin installed and the stand-in core plugins disabled.
pub fn root() -> Root {
    let root = Root::new();
    for name in STAND_INS {
        if root.lib().join("plugins/enabled").join(name).exists() {
            root.plugn(&["disable", name]).ok();
        }
    }
    fs::create_dir_all(root.dir.join("control")).unwrap();
    root.write_exec(
        "lib/plugins/available/zz-ps-fixture/plugin.toml",
        "[plugin]\ndescription = \"ps test fixture\"\nversion = \"0.1.0\"\n[plugin.config]\n",
    );
    let script = fixture_script(&root);
    for hook in HOOKS {
        root.write_exec(
            &format!("lib/plugins/available/zz-ps-fixture/{hook}"),
            &script,
        );
    }
    root.plugn(&["enable", "zz-ps-fixture"]).ok();
    root
}

/// A fixture root with the app `web` created by `apps:create`.
pub fn root_with_app() -> Root {
    let root = root();
    root.dokku(&["apps:create", "web"]).ok();
    take(&root);
    root
}

/// The recorded hook calls since the last call, then forget them.
pub fn take(root: &Root) -> String {
    let path = root.dir.join("record");
    let text = fs::read_to_string(&path).unwrap_or_default();
    let _ = fs::remove_file(&path);
    text
}

/// Write a control file.
pub fn control(root: &Root, name: &str, content: &str) {
    fs::write(root.dir.join("control").join(name), content).unwrap();
}

pub fn remove_control(root: &Root, name: &str) {
    let _ = fs::remove_file(root.dir.join("control").join(name));
}

/// Mark the app deployed: the scheduler says so, and the cached answer is dropped.
pub fn deploy(root: &Root, app: &str) {
    control(root, &format!("deployed-{app}"), "");
    let _ = fs::remove_file(root.lib().join("config/common").join(app).join("deployed"));
}

pub fn prop_path(root: &Root, app: &str, key: &str) -> PathBuf {
    root.lib().join("config/ps").join(app).join(key)
}

/// A ps property file's content, `None` when missing.
pub fn prop(root: &Root, app: &str, key: &str) -> Option<String> {
    fs::read_to_string(prop_path(root, app, key)).ok()
}

pub fn set_prop(root: &Root, app: &str, key: &str, value: &str) {
    let path = prop_path(root, app, key);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, value).unwrap();
}

/// `data/ps/<app>/<name>`.
pub fn data_path(root: &Root, app: &str, name: &str) -> PathBuf {
    root.lib().join("data/ps").join(app).join(name)
}

pub fn write_procfile(root: &Root, app: &str, content: &str) {
    let path = data_path(root, app, "Procfile");
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, content).unwrap();
}

/// Run one of the ps plugin's triggers directly (only its own hook runs).
pub fn hook(root: &Root, args: &[&str]) -> Run {
    hook_with(root, args, &[], None)
}

pub fn hook_with(root: &Root, args: &[&str], env: &[(&str, &str)], stdin: Option<&[u8]>) -> Run {
    use std::io::Write;
    use std::process::Stdio;
    let path = root.lib().join("core-plugins/available/ps").join(args[0]);
    let mut cmd = root.command(&path);
    cmd.args(&args[1..])
        .env("PLUGIN_PATH", root.lib().join("plugins"))
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
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let input = stdin.unwrap_or(b"");
    let _ = child.stdin.take().unwrap().write_all(input);
    Run::from(child.wait_with_output().unwrap())
}

/// `dokku` with extra environment.
pub fn dokku_env(root: &Root, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut cmd = root.command(root.bin("dokku"));
    for (k, v) in env {
        cmd.env(k, v);
    }
    Run::from(cmd.args(args).output().unwrap())
}
