//! Runs the built `common` binary under its installed names (`prop`, `common`, trigger names)
//! against a temporary DOKKU_ROOT / DOKKU_LIB_ROOT, checking outputs and files byte for byte.

use std::os::unix::fs::{symlink, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};

struct Sandbox {
    dir: PathBuf,
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Sandbox {
    fn new() -> Sandbox {
        static N: AtomicU64 = AtomicU64::new(0);
        let dir = std::env::temp_dir().join(format!(
            "common-cli-test-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        for d in [
            "bin",
            "root",
            "lib/plugins/enabled",
            "lib/plugins/available",
        ] {
            std::fs::create_dir_all(dir.join(d)).unwrap();
        }
        let exe = env!("CARGO_BIN_EXE_common");
        for name in [
            "prop",
            "common",
            "core-post-deploy",
            "post-delete",
            "install",
            "bogus",
        ] {
            symlink(exe, dir.join("bin").join(name)).unwrap();
        }
        Sandbox { dir }
    }

    fn lib(&self) -> PathBuf {
        self.dir.join("lib")
    }

    fn config(&self, rel: &str) -> PathBuf {
        self.lib().join("config").join(rel)
    }

    fn app(&self, name: &str) -> &Self {
        std::fs::create_dir_all(self.dir.join("root").join(name)).unwrap();
        self
    }

    /// An enabled plugin with an executable hook script.
    fn hook(&self, plugin: &str, hook: &str, script: &str) {
        let dir = self.lib().join("plugins/enabled").join(plugin);
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(hook);
        std::fs::write(&path, format!("#!/bin/sh\n{script}\n")).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }

    fn run(&self, name: &str, args: &[&str]) -> Run {
        self.run_env(name, args, &[])
    }

    fn run_env(&self, name: &str, args: &[&str], env: &[(&str, &str)]) -> Run {
        let out = Command::new(self.dir.join("bin").join(name))
            .args(args)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("DOKKU_ROOT", self.dir.join("root"))
            .env("DOKKU_LIB_ROOT", self.lib())
            .env("PLUGIN_PATH", self.lib().join("plugins"))
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .output()
            .unwrap();
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p).unwrap().permissions().mode() & 0o7777
}

fn assert_run(r: &Run, code: i32, stdout: &str, stderr: &str) {
    assert_eq!(
        (r.code, r.stdout.as_str(), r.stderr.as_str()),
        (code, stdout, stderr)
    );
}

#[test]
fn prop_scalars() {
    let s = Sandbox::new();
    assert_run(
        &s.run(
            "prop",
            &["set", "ps", "web", "restart-policy", "on-failure:10"],
        ),
        0,
        "",
        "",
    );
    let f = s.config("ps/web/restart-policy");
    assert_eq!(std::fs::read(&f).unwrap(), b"on-failure:10");
    assert_eq!(mode(&f), 0o600);
    assert_eq!(mode(&s.config("ps/web")), 0o755);
    assert_run(
        &s.run("prop", &["get", "ps", "web", "restart-policy"]),
        0,
        "on-failure:10\n",
        "",
    );
    assert_run(
        &s.run("prop", &["exists", "ps", "web", "restart-policy"]),
        0,
        "",
        "",
    );
    assert_run(&s.run("prop", &["exists", "ps", "web", "nope"]), 1, "", "");
    assert_run(&s.run("prop", &["get", "ps", "web", "nope"]), 0, "", "");
    assert_run(
        &s.run("prop", &["get-with-default", "ps", "web", "nope", "dflt"]),
        0,
        "dflt\n",
        "",
    );
    s.run("prop", &["set", "ps", "web", "empty", ""]);
    assert_eq!(std::fs::read(s.config("ps/web/empty")).unwrap(), b"");
    assert_run(
        &s.run("prop", &["get-with-default", "ps", "web", "empty", "dflt"]),
        0,
        "",
        "",
    );
    assert_run(
        &s.run("prop", &["del", "ps", "web", "restart-policy"]),
        0,
        "",
        "",
    );
    assert_run(
        &s.run("prop", &["del", "ps", "web", "restart-policy"]),
        0,
        "",
        "",
    );
    assert!(!f.exists());
    assert_run(&s.run("prop", &["no-such-op", "ps"]), 0, "", "");
}

#[test]
fn prop_lists() {
    let s = Sandbox::new();
    for (v, i) in [("b.com", ""), (" c.com ", ""), ("a.com", "1")] {
        assert_run(
            &s.run("prop", &["rpush", "domains", "web", "vhosts", v, i]),
            0,
            "",
            "",
        );
    }
    let f = s.config("domains/web/vhosts");
    assert_eq!(
        std::fs::read_to_string(&f).unwrap(),
        "a.com\nb.com\nc.com\n"
    );
    assert_eq!(mode(&f), 0o600);
    assert_run(
        &s.run("prop", &["lrange", "domains", "web", "vhosts"]),
        0,
        "a.com\nb.com\nc.com\n",
        "",
    );
    assert_run(
        &s.run("prop", &["llen", "domains", "web", "vhosts"]),
        0,
        "3\n",
        "",
    );
    assert_run(
        &s.run("prop", &["llen", "domains", "web", "none"]),
        0,
        "0\n",
        "",
    );
    assert_run(
        &s.run("prop", &["lindex", "domains", "web", "vhosts", "2"]),
        0,
        "c.com\n",
        "",
    );
    assert_run(
        &s.run("prop", &["lindex", "domains", "web", "vhosts", "3"]),
        1,
        "",
        "Index not found\n",
    );
    assert_run(
        &s.run("prop", &["lindex", "domains", "web", "vhosts", "x"]),
        1,
        "",
        "",
    );
    assert_run(
        &s.run("prop", &["lindex", "domains", "web", "vhosts"]),
        1,
        "",
        "",
    );
    assert_run(
        &s.run("prop", &["lismember", "domains", "web", "vhosts", "b.com"]),
        0,
        "",
        "",
    );
    assert_run(
        &s.run("prop", &["lismember", "domains", "web", "vhosts", "x"]),
        1,
        "",
        "Value not found\n",
    );
    assert_run(
        &s.run("prop", &["lset", "domains", "web", "vhosts", "B.com", "1"]),
        0,
        "",
        "",
    );
    assert_run(
        &s.run("prop", &["lrem", "domains", "web", "vhosts", "a.com"]),
        0,
        "",
        "",
    );
    assert_run(
        &s.run("prop", &["lrem", "domains", "web", "vhosts", "a.com"]),
        1,
        "",
        "Property not found, nothing was removed\n",
    );
    assert_run(
        &s.run(
            "prop",
            &["lrem-by-prefix", "domains", "web", "vhosts", "B."],
        ),
        0,
        "",
        "",
    );
    assert_eq!(std::fs::read_to_string(&f).unwrap(), "c.com\n");
    let r = s.run("prop", &["lrem", "domains", "web", "missing", "x"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.starts_with("open ") && r.stderr.ends_with("no such file or directory\n"),
        "{}",
        r.stderr
    );
    assert_run(
        &s.run("prop", &["lwrite", "domains", "web", "vhosts", "x", "y"]),
        0,
        "",
        "",
    );
    assert_eq!(std::fs::read_to_string(&f).unwrap(), "x\ny\n");
}

#[test]
fn prop_tree_operations() {
    let s = Sandbox::new();
    assert_run(&s.run("prop", &["setup", "git"]), 0, "", "");
    assert_eq!(mode(&s.config("git")), 0o755);
    assert_run(&s.run("prop", &["setup-app", "git", "web"]), 0, "", "");
    assert!(s.config("git/web").is_dir());
    s.run("prop", &["set", "git", "web", "deploy-branch", "main"]);
    s.run("prop", &["rpush", "git", "web", "list", "one"]);
    assert_run(
        &s.run("prop", &["get-all", "git", "web"]),
        0,
        "deploy-branch main\nlist one\n",
        "",
    );
    assert_run(
        &s.run("prop", &["get-all-by-prefix", "git", "web", "de"]),
        0,
        "deploy-branch main\n",
        "",
    );
    assert_run(&s.run("prop", &["get-all", "git", "nothing"]), 0, "", "");
    assert_run(&s.run("prop", &["clone", "git", "web", "api"]), 0, "", "");
    assert_eq!(std::fs::read(s.config("git/api/list")).unwrap(), b"one\n");
    assert_run(&s.run("prop", &["destroy", "git", "web"]), 0, "", "");
    assert!(!s.config("git/web").exists());
    assert_run(&s.run("prop", &["destroy", "git", "_all_"]), 0, "", "");
    assert!(!s.config("git").exists());
}

#[test]
fn prop_refuses_unsafe_names() {
    let s = Sandbox::new();
    for args in [
        ["set", "ps", "", "k", "v"],
        ["set", "ps", "..", "k", "v"],
        ["set", "ps", "web", "../../x", "v"],
        ["set", "../x", "web", "k", "v"],
    ] {
        let r = s.run("prop", &args);
        assert_eq!(r.code, 1, "{args:?}");
        assert!(r.stderr.starts_with("Invalid "), "{}", r.stderr);
    }
    assert!(!s.lib().join("config").exists());
    assert_run(
        &s.run("prop", &["get-with-default", "ps", "..", "k", "d"]),
        0,
        "d\n",
        "",
    );
    assert_run(
        &s.run("prop", &["destroy", "common", ""]),
        1,
        "",
        "Invalid app name \"\": it must not be empty\n",
    );
}

#[test]
fn common_app_names() {
    let s = Sandbox::new();
    s.app("web").app("old_app");
    assert_run(
        &s.run("common", &["--quiet", "verify-app-name", "web"]),
        0,
        "",
        "",
    );
    assert_run(
        &s.run("common", &["--quiet", "verify-app-name", "old_app"]),
        0,
        "",
        "",
    );
    assert_run(
        &s.run("common", &["--quiet", "verify-app-name", "api"]),
        20,
        "",
        "",
    );
    assert_run(
        &s.run("common", &["verify-app-name", "api"]),
        20,
        "",
        " !     App api does not exist\n",
    );
    assert_run(
        &s.run("common", &["verify-app-name", "Bad/"]),
        1,
        "",
        " !     App name must begin with lowercase alphanumeric character, and may only contain lowercase alphanumerics, dots, and hyphens\n",
    );
    assert_run(
        &s.run("common", &["is-valid-app-name", ""]),
        1,
        "",
        " !     Please specify an app to run the command on\n",
    );
    assert_run(&s.run("common", &["is-valid-app-name", "a_b"]), 1, "", " !     App name must begin with lowercase alphanumeric character, and may only contain lowercase alphanumerics, dots, and hyphens\n");
    assert_run(
        &s.run("common", &["is-valid-app-name-old", "a_b"]),
        0,
        "",
        "",
    );
    assert_run(
        &s.run("common", &["verify-app-name", "web", "--quiet"]),
        0,
        "",
        "",
    );
    assert_run(
        &s.run("common", &["nope"]),
        1,
        "",
        " !     Invalid common command call: nope\n",
    );
    assert_run(&s.run("common", &["--quiet", "nope"]), 1, "", "");
}

#[test]
fn common_user_auth_app_filter() {
    let s = Sandbox::new();
    s.app("web").app("api");
    s.hook(
        "acl",
        "user-auth-app",
        "shift 2; for a in \"$@\"; do [ \"$a\" = web ] && echo web; done; true",
    );
    assert_run(&s.run("common", &["verify-app-name", "web"]), 0, "", "");
    assert_run(
        &s.run("common", &["verify-app-name", "api"]),
        20,
        "",
        " !     App api does not exist\n",
    );
}

#[test]
fn common_deployed_and_scheduler() {
    let s = Sandbox::new();
    s.app("web");
    assert_run(
        &s.run("common", &["is-deployed", "web"]),
        1,
        "",
        " !     App web not deployed\n",
    );
    assert_run(
        &s.run("common", &["--quiet", "is-deployed", "web"]),
        1,
        "",
        "",
    );
    assert!(
        !s.config("common/web/deployed").exists(),
        "no scheduler: nothing cached"
    );
    assert_run(&s.run("core-post-deploy", &["web"]), 0, "", "");
    assert_eq!(
        std::fs::read(s.config("common/web/deployed")).unwrap(),
        b"true"
    );
    assert_run(
        &s.run("common", &["--quiet", "is-deployed", "web"]),
        0,
        "",
        "",
    );
    assert_run(&s.run("post-delete", &["web"]), 0, "", "");
    assert!(!s.config("common/web").exists());

    assert_run(
        &s.run("common", &["--quiet", "scheduler-detect", "web"]),
        0,
        "docker-local",
        "",
    );
    s.hook(
        "scheduler",
        "scheduler-detect",
        "[ \"$1\" = web ] && echo k3s; true",
    );
    assert_run(&s.run("common", &["scheduler-detect", "web"]), 0, "k3s", "");
    assert_run(
        &s.run("common", &["scheduler-detect", "--global"]),
        0,
        "docker-local",
        "",
    );
    assert_run(
        &s.run("common", &["--global", "scheduler-detect", "web"]),
        0,
        "docker-local",
        "",
    );

    s.hook(
        "scheduler-k3s",
        "scheduler-is-deployed",
        "[ \"$1\" = k3s ] && [ \"$2\" = web ]",
    );
    assert_run(
        &s.run("common", &["--quiet", "is-deployed", "web"]),
        0,
        "",
        "",
    );
    assert_eq!(
        std::fs::read(s.config("common/web/deployed")).unwrap(),
        b"true"
    );
}

#[test]
fn common_trigger_exists_and_install() {
    let s = Sandbox::new();
    s.app("web");
    s.hook("20_events", "post-deploy", "true");
    assert_run(
        &s.run(
            "common",
            &["--quiet", "plugn-trigger-exists", "post-deploy"],
        ),
        0,
        "false",
        "",
    );
    s.hook("ps", "post-deploy", "true");
    assert_run(
        &s.run(
            "common",
            &["--quiet", "plugn-trigger-exists", "post-deploy"],
        ),
        0,
        "true",
        "",
    );
    s.hook("sched", "scheduler-is-deployed", "exit 1");
    assert_run(&s.run("install", &[]), 0, "", "");
    assert_eq!(mode(&s.config("common")), 0o755);
    assert_eq!(
        std::fs::read(s.config("common/web/deployed")).unwrap(),
        b"false"
    );
}

#[test]
fn unknown_entry_points() {
    let s = Sandbox::new();
    assert_run(
        &s.run("bogus", &[]),
        1,
        "",
        " !     Invalid plugin trigger call: bogus\n",
    );
}

#[test]
fn app_list_trigger_prints_every_app() {
    let root = dokku_rs_testkit::Root::new();
    for app in ["web", "api", ".hidden", "Upper"] {
        std::fs::create_dir_all(root.home().join(app)).unwrap();
    }
    root.plugn(&["trigger", "app-list"]).ok().stdout("api\nweb\n");
    root.plugn(&["trigger", "app-list", "false"]).ok().stdout("api\nweb\n");
}
