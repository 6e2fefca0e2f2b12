//! Helpers shared by the config integration tests.

#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Stdio;

use dokku_rs_testkit::{Root, Run};

pub const MSG_INVALID_APP: &str = " !     App name must begin with lowercase alphanumeric character, and may only contain lowercase alphanumerics, dots, and hyphens\n";

/// An installed root with the app `web` (its directory only; the config plugin creates its
/// own state on first write).
pub fn root_with_app() -> Root {
    let root = Root::new();
    add_app(&root, "web");
    root
}

pub fn add_app(root: &Root, app: &str) {
    fs::create_dir_all(root.home().join(app)).unwrap();
}

pub fn env_path(root: &Root, scope: &str) -> PathBuf {
    root.lib().join("config").join(scope).join("ENV")
}

pub fn read(path: impl AsRef<Path>) -> String {
    fs::read_to_string(path.as_ref())
        .unwrap_or_else(|e| panic!("read {}: {e}", path.as_ref().display()))
}

/// `dokku <args>` with extra environment.
pub fn dokku_env(root: &Root, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut cmd = root.command(root.bin("dokku"));
    cmd.args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    Run::from(cmd.output().expect("run dokku"))
}

/// The environment the dokku entry point gives plugins, for running plugn or a plugin
/// binary directly.
pub fn plugin_env(root: &Root, cmd: &mut std::process::Command) {
    let lib = root.lib();
    cmd.env("PLUGIN_PATH", lib.join("plugins"))
        .env("DOKKU_LIB_ROOT", &lib)
        .env(
            "PLUGIN_CORE_AVAILABLE_PATH",
            lib.join("core-plugins/available"),
        )
        .env("PLUGIN_AVAILABLE_PATH", lib.join("plugins/available"))
        .env("PLUGIN_ENABLED_PATH", lib.join("plugins/enabled"))
        .env("DOKKU_NOT_IMPLEMENTED_EXIT", "10");
}

/// `plugn trigger <args>`.
pub fn trigger(root: &Root, args: &[&str]) -> Run {
    trigger_stdin(root, args, b"")
}

/// `plugn trigger <args>` with `input` on stdin.
pub fn trigger_stdin(root: &Root, args: &[&str], input: &[u8]) -> Run {
    use std::io::Write;
    let mut cmd = root.command(root.bin("plugn"));
    plugin_env(root, &mut cmd);
    cmd.arg("trigger")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("spawn plugn");
    child.stdin.take().unwrap().write_all(input).unwrap();
    Run::from(child.wait_with_output().expect("wait plugn"))
}

/// Run one of the config plugin's entry points (`config_sub`, a trigger) directly.
pub fn config_bin(root: &Root, name: &str, args: &[&str]) -> Run {
    let path = root.lib().join("core-plugins/available/config").join(name);
    let mut cmd = root.command(path);
    plugin_env(root, &mut cmd);
    Run::from(cmd.args(args).output().expect("run config binary"))
}

/// Every path under the root (the log directory aside) with file contents and modes, to
/// prove that a refused command wrote nothing.
pub fn snapshot(root: &Root) -> Vec<(String, Option<Vec<u8>>)> {
    fn walk(base: &Path, dir: &Path, out: &mut Vec<(String, Option<Vec<u8>>)>) {
        let mut entries: Vec<_> = fs::read_dir(dir).unwrap().flatten().collect();
        entries.sort_by_key(|e| e.file_name());
        for entry in entries {
            let path = entry.path();
            let rel = path
                .strip_prefix(base)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            if rel == "log" || rel == "recorder.log" {
                continue;
            }
            let meta = fs::symlink_metadata(&path).unwrap();
            if meta.is_dir() {
                out.push((rel, None));
                walk(base, &path, out);
            } else if meta.is_file() {
                out.push((rel, Some(fs::read(&path).unwrap())));
            } else {
                out.push((rel, None));
            }
        }
    }
    let mut out = Vec::new();
    walk(&root.dir, &root.dir, &mut out);
    out
}

/// A community plugin recording the triggers the config plugin fires. It answers nothing:
/// the real `ps` plugin answers `ps-get-property` and the real scheduler-docker-local answers
/// `scheduler-is-deployed` (and, failing for an app that is not deployed, stops plugn before
/// the recorder sees the call). `post-config-update` fails when the control file
/// `fail-post-config-update` exists.
pub struct Recorder {
    pub log: PathBuf,
    pub control: PathBuf,
}

impl Recorder {
    pub fn install(root: &Root) -> Recorder {
        let log = root.dir.join("recorder.log");
        let control = root.dir.join("recorder");
        fs::create_dir_all(&control).unwrap();
        let script = format!(
            r#"#!/usr/bin/env bash
hook="$(basename "$0")"
echo "$hook $*" >>"{log}"
case "$hook" in
  post-config-update) [[ -f "{control}/fail-$hook" ]] && {{ echo "hook failed" >&2; exit 4; }}; exit 0 ;;
esac
exit 0
"#,
            log = log.display(),
            control = control.display()
        );
        root.write_exec(
            "lib/plugins/available/zz-recorder/plugin.toml",
            "[plugin]\ndescription = \"records triggers\"\nversion = \"0.1.0\"\n[plugin.config]\n",
        );
        for hook in [
            "post-config-update",
            "ps-get-property",
            "release-and-deploy",
            "scheduler-is-deployed",
        ] {
            root.write_exec(
                &format!("lib/plugins/available/zz-recorder/{hook}"),
                &script,
            );
        }
        root.plugn(&["enable", "zz-recorder"]).ok();
        Recorder { log, control }
    }

    /// The calls so far, then forget them.
    pub fn take(&self) -> Vec<String> {
        let text = fs::read_to_string(&self.log).unwrap_or_default();
        let _ = fs::remove_file(&self.log);
        text.lines().map(str::to_string).collect()
    }

    pub fn set(&self, name: &str, content: &str) {
        fs::write(self.control.join(name), content).unwrap();
    }
}

/// Mark the app deployed the way scheduler-docker-local reads it: a `CONTAINER.web.1` file
/// in its app directory.
pub fn mark_deployed(root: &Root, app: &str) {
    fs::write(
        root.home().join(app).join("CONTAINER.web.1"),
        "0123456789ab\n",
    )
    .unwrap();
}

pub fn lines(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}
