//! Shared helpers of the git plugin tests: an installed root with apps, commits fetched
//! into an app's repository with the real git, and file snapshots.

#![allow(dead_code)]

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

pub use dokku_rs_testkit::{Root, Run};

/// A root with the app `web` made by `apps:create`.
pub fn root_with_app() -> Root {
    let root = Root::new();
    root.dokku(&["apps:create", "web"]).ok();
    root
}

/// `$DOKKU_ROOT/<rel>`.
pub fn home(root: &Root, rel: &str) -> PathBuf {
    root.home().join(rel)
}

/// `$DOKKU_LIB_ROOT/config/git/<rel>`.
pub fn prop_path(root: &Root, rel: &str) -> PathBuf {
    root.lib().join("config/git").join(rel)
}

pub fn read(path: &Path) -> Option<String> {
    fs::read(path)
        .ok()
        .map(|b| String::from_utf8(b).expect("utf-8"))
}

pub fn mode(path: &Path) -> u32 {
    fs::metadata(path).unwrap().permissions().mode() & 0o7777
}

/// `git <args>` run by the test itself, with a fixed identity and no user configuration.
pub fn git(dir: &Path, args: &[&str]) -> String {
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
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// Commit `file` in a fresh source repository under the root and fetch it into the app's
/// repository as `refs/heads/<branch>` (a fetch runs no `pre-receive` hook). Returns the sha.
pub fn commit_into_app(root: &Root, app: &str, branch: &str, file: &str) -> String {
    let src = root.dir.join(format!("src-{app}-{file}"));
    fs::create_dir_all(&src).unwrap();
    git(&src, &["init", "-q"]);
    fs::write(src.join(file), file).unwrap();
    git(&src, &["add", file]);
    git(&src, &["commit", "-q", "-m", file]);
    let sha = git(&src, &["rev-parse", "HEAD"]);
    let refspec = format!("HEAD:refs/heads/{branch}");
    git(
        &home(root, app),
        &["fetch", "-q", src.to_str().unwrap(), &refspec],
    );
    sha
}

/// Every file under `dir` with its bytes, to prove a refused command changed nothing.
pub fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push((path.clone(), fs::read(&path).unwrap_or_default()));
            }
        }
    }
    out.sort();
    out
}

/// Run the plugin's `commands` entry the way `dokku help` does (with `--all` in the
/// parent's command line when asked).
pub fn commands(root: &Root, plugin: &str, word: &str, all: bool) -> Run {
    let script = root
        .lib()
        .join(format!("plugins/enabled/{plugin}/commands"));
    let body = if all {
        "\"$1\" \"$2\"; : --all"
    } else {
        "\"$1\" \"$2\""
    };
    Run::from(
        root.command("bash")
            .args(["-c", body, "bash"])
            .arg(&script)
            .arg(word)
            .env("DOKKU_NOT_IMPLEMENTED_EXIT", "10")
            .output()
            .unwrap(),
    )
}

/// A community plugin appending `<hook> <args…>` to `triggers.log` for each given hook.
pub fn add_recorder(root: &Root, hooks: &[&str]) {
    let log = root.dir.join("triggers.log");
    root.write_exec(
        "lib/plugins/available/recorder/plugin.toml",
        "[plugin]\ndescription = \"records triggers\"\nversion = \"0.1.0\"\n[plugin.config]\n",
    );
    for hook in hooks {
        let body = format!(
            "#!/usr/bin/env bash\necho \"{hook} $*\" >>'{}'\n",
            log.display()
        );
        root.write_exec(&format!("lib/plugins/available/recorder/{hook}"), &body);
    }
    root.plugn(&["enable", "recorder"]).ok();
}

/// The recorded trigger lines since the last call.
pub fn take_log(root: &Root) -> String {
    let path = root.dir.join("triggers.log");
    let text = fs::read_to_string(&path).unwrap_or_default();
    let _ = fs::remove_file(&path);
    text
}

/// Run one of the plugin's installed entries (a trigger) directly.
pub fn trigger(root: &Root, name: &str, args: &[&str]) -> Run {
    let path = root.lib().join(format!("plugins/enabled/git/{name}"));
    Run::from(
        root.command(path)
            .args(args)
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
            .output()
            .unwrap(),
    )
}
