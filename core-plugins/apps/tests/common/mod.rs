//! Helpers shared by the apps integration tests.

#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use dokku_rs_testkit::{Root, Run};

pub const MSG_INVALID: &str = " !     App name must begin with lowercase alphanumeric character, and may only contain lowercase alphanumerics, dots, and hyphens\n";
pub const MSG_NO_APP: &str = " !     Please specify an app to run the command on\n";
pub const PROMPT_WARNINGS: &str = " !     WARNING: Potentially Destructive Action\n !     This command will destroy app web.\n !     To proceed, type \"web\"\n";
pub const DESTROY_OUT: &str = "-----> Destroying web (including all add-ons)\n-----> Cleaning up...\n-----> Retiring old containers and images\n";

/// What nginx-vhosts prints on stdout while writing the nginx.conf of a new, undeployed app
/// (upstream's `nginx_build_config` from its `post-create`: the default `http:80:5000` map
/// with no listeners renders the built-in template; nginx is not driven in a test root).
pub fn nginx_conf_built(domain: &str) -> String {
    format!("-----> Configuring {domain}...(using built-in template)\n-----> Creating http nginx.conf\n       Reloading nginx\n")
}

/// Its stderr then (`dokku_log_warn_quiet`, so not with `--quiet`).
pub fn no_listeners(app: &str) -> String {
    format!(" !     No web listeners specified for {app}\n")
}

/// Every path under the root (the log directory aside), with file contents, so that a
/// command that must write nothing can be checked.
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
            if rel == "log" {
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

pub fn read(path: impl AsRef<Path>) -> String {
    fs::read_to_string(path.as_ref())
        .unwrap_or_else(|e| panic!("read {}: {e}", path.as_ref().display()))
}

pub fn prop(root: &Root, plugin: &str, app: &str, key: &str) -> PathBuf {
    root.lib().join("config").join(plugin).join(app).join(key)
}

pub fn data_dir(root: &Root, plugin: &str, app: &str) -> PathBuf {
    root.lib().join("data").join(plugin).join(app)
}

pub fn created_at(root: &Root, app: &str) -> String {
    read(prop(root, "apps", app, "created-at"))
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

/// `plugn trigger <args>` with the environment the dokku entry point gives its plugins.
pub fn trigger(root: &Root, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut cmd = root.command(root.bin("plugn"));
    let lib = root.lib();
    cmd.env("PLUGIN_PATH", lib.join("plugins"))
        .env("DOKKU_LIB_ROOT", &lib)
        .env(
            "PLUGIN_CORE_AVAILABLE_PATH",
            lib.join("core-plugins/available"),
        )
        .env("PLUGIN_AVAILABLE_PATH", lib.join("plugins/available"))
        .env("PLUGIN_ENABLED_PATH", lib.join("plugins/enabled"))
        .env("DOKKU_NOT_IMPLEMENTED_EXIT", "10")
        .arg("trigger")
        .args(args)
        .stdin(Stdio::null());
    for (k, v) in env {
        cmd.env(k, v);
    }
    Run::from(cmd.output().expect("run plugn"))
}

/// Only the apps plugin's own `hook`, with the environment plugn gives it.
pub fn own_hook(root: &Root, hook: &str, args: &[&str]) -> Run {
    let lib = root.lib();
    let mut cmd = root.command(lib.join("core-plugins/available/apps").join(hook));
    cmd.env("PLUGIN_PATH", lib.join("plugins"))
        .env("DOKKU_LIB_ROOT", &lib)
        .env(
            "PLUGIN_CORE_AVAILABLE_PATH",
            lib.join("core-plugins/available"),
        )
        .env("PLUGIN_AVAILABLE_PATH", lib.join("plugins/available"))
        .env("PLUGIN_ENABLED_PATH", lib.join("plugins/enabled"))
        .args(args);
    Run::from(cmd.output().expect("run hook"))
}

/// Hooks the recorder plugin implements: everything the apps plugin fires, and `receive-app`,
/// which the ps plugin fires to rebuild a cloned or renamed app that has code.
pub const RECORDED: &[&str] = &[
    "deployed-app-image-tag",
    "git-has-code",
    "post-app-clone",
    "post-app-clone-setup",
    "post-app-rename",
    "post-app-rename-setup",
    "post-create",
    "post-delete",
    "pre-delete",
    "receive-app",
    "scheduler-detect",
    "scheduler-post-delete",
    "scheduler-retire",
    "scheduler-stop",
];

/// A community plugin that logs every call of the hooks above (with the environment that
/// matters to them) and can be told to print something or to fail.
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
line="$hook $*"
case "$hook" in
  post-app-clone|post-app-rename) line="$line SKIP_REBUILD=${{SKIP_REBUILD:-}}" ;;
  pre-delete|post-delete|scheduler-stop) line="$line FORCE=${{DOKKU_APPS_FORCE_DELETE:-}}" ;;
esac
echo "$line" >>"{log}"
if [[ -f "{control}/out-$hook" ]]; then cat "{control}/out-$hook"; fi
if [[ -f "{control}/fail-$hook" ]]; then exit 3; fi
exit 0
"#,
            log = log.display(),
            control = control.display()
        );
        root.write_exec(
            "lib/plugins/available/zz-recorder/plugin.toml",
            "[plugin]\ndescription = \"records triggers\"\nversion = \"0.1.0\"\n[plugin.config]\n",
        );
        for hook in RECORDED {
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

    /// Make `hook` print `text` on stdout.
    pub fn output(&self, hook: &str, text: &str) {
        fs::write(self.control.join(format!("out-{hook}")), text).unwrap();
    }

    /// Make `hook` exit 3.
    pub fn fail(&self, hook: &str) {
        fs::write(self.control.join(format!("fail-{hook}")), "").unwrap();
    }
}

/// Install the bash `statekeeper` fixture plugin shipped with these tests.
pub fn install_statekeeper(root: &Root) {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/statekeeper");
    for entry in fs::read_dir(&src).unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        root.write_exec(
            &format!("lib/plugins/available/statekeeper/{name}"),
            &read(entry.path()),
        );
    }
    root.plugn(&["enable", "statekeeper"]).ok();
}

pub fn lines(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

/// An installed root with a global domain, so the domains plugin's `post-create` gives each
/// new app its default domain silently (as on a configured server).
pub fn root() -> Root {
    let root = Root::new();
    fs::write(root.home().join("VHOST"), "dokku.me\n").unwrap();
    root
}

/// Commit one file in a fresh source repository and fetch it into the app's bare repository
/// as `refs/heads/master` (a fetch runs no `pre-receive` hook), so that the git plugin's
/// `git-has-code` says the app has code.
pub fn commit_into_app(root: &Root, app: &str) {
    let git = |dir: &Path, args: &[&str]| {
        let out = Command::new("git")
            .args(args)
            .current_dir(dir)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_AUTHOR_NAME", "t")
            .env("GIT_AUTHOR_EMAIL", "t@example.com")
            .env("GIT_COMMITTER_NAME", "t")
            .env("GIT_COMMITTER_EMAIL", "t@example.com")
            .output()
            .expect("run git");
        assert!(
            out.status.success(),
            "git {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    let src = root.dir.join(format!("src-{app}"));
    fs::create_dir_all(&src).unwrap();
    git(&src, &["init", "-q"]);
    fs::write(src.join("Procfile"), "web: true\n").unwrap();
    git(&src, &["add", "Procfile"]);
    git(&src, &["commit", "-q", "-m", "code"]);
    git(
        &root.home().join(app),
        &[
            "fetch",
            "-q",
            src.to_str().unwrap(),
            "HEAD:refs/heads/master",
        ],
    );
}
