//! Helpers of the builder plugins' tests, and the checks every `builder-<name>` plugin shares
//! (they are one shape, see `dokku_common::builder_settings`). The `builder-<name>` crates
//! include this file by path, so each of their test files only declares its plugin and adds
//! what is its own.

#![allow(dead_code)]

use std::fs;
use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::atomic::{AtomicUsize, Ordering};

pub use dokku_rs_testkit::{Root, Run};

pub const NO_APPS: &str = " !     You haven't deployed any applications yet\n";
pub const MSG_INVALID: &str = " !     App name must begin with lowercase alphanumeric character, and may only contain lowercase alphanumerics, dots, and hyphens\n";

/// A root with the app `web` created by `apps:create`.
pub fn root_with_app() -> Root {
    let root = Root::new();
    root.dokku(&["apps:create", "web"]).ok();
    root
}

/// `config/<plugin>/<app>/<key>`.
pub fn prop(root: &Root, plugin: &str, app: &str, key: &str) -> PathBuf {
    root.lib().join("config").join(plugin).join(app).join(key)
}

/// The file's content, `None` when missing.
pub fn read(path: impl AsRef<Path>) -> Option<String> {
    fs::read_to_string(path).ok()
}

pub fn mode(path: impl AsRef<Path>) -> u32 {
    fs::metadata(path).unwrap().permissions().mode() & 0o7777
}

/// Run a plugin's own trigger (or `commands`) link directly, as plugn runs it, so that other
/// plugins' hooks of the same name stay out of the way.
pub fn hook(root: &Root, plugin: &str, args: &[&str]) -> Run {
    hook_stdin(root, plugin, args, b"")
}

/// [`hook`] with `input` on stdin.
pub fn hook_stdin(root: &Root, plugin: &str, args: &[&str], input: &[u8]) -> Run {
    hook_env(root, plugin, args, input, &[])
}

/// [`hook_stdin`] with extra environment (e.g. a `PATH` with a fake `dpkg` first).
pub fn hook_env(
    root: &Root,
    plugin: &str,
    args: &[&str],
    input: &[u8],
    env: &[(&str, String)],
) -> Run {
    let path = root
        .lib()
        .join("core-plugins/available")
        .join(plugin)
        .join(args[0]);
    let mut cmd = root.command(&path);
    cmd.args(&args[1..])
        .env("PLUGIN_PATH", root.lib().join("plugins"))
        .env(
            "PLUGIN_CORE_AVAILABLE_PATH",
            root.lib().join("core-plugins/available"),
        )
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("spawn hook");
    // A hook may exit without reading its input.
    let _ = child.stdin.take().unwrap().write_all(input);
    Run::from(child.wait_with_output().expect("wait hook"))
}

/// Run the plugin's binary under another name (`argv[0]`), as a stray link would.
pub fn invoke_as(root: &Root, plugin: &str, binary: &str, argv0: &str) -> Run {
    use std::os::unix::process::CommandExt;
    let path = root
        .lib()
        .join("core-plugins/available")
        .join(plugin)
        .join(binary);
    Run::from(root.command(&path).arg0(argv0).arg("x").output().unwrap())
}

/// Assert the sorted listing of `dir` (see [`listing`]) holds exactly `expected`.
#[track_caller]
pub fn assert_listing(dir: &Path, expected: &[&str]) {
    let mut expected: Vec<String> = expected.iter().map(|s| s.to_string()).collect();
    expected.sort();
    assert_eq!(listing(dir), expected, "content of {}", dir.display());
}

/// Make every command in the root see a host of architecture `arch` (`dpkg
/// --print-architecture`; the root's `usr/bin` comes first in `PATH`).
pub fn fake_arch(root: &Root, arch: &str) {
    root.write_exec("usr/bin/dpkg", &format!("#!/bin/sh\necho {arch}\n"));
}

/// A community plugin with bash hooks, enabled.
pub fn add_plugin(root: &Root, name: &str, hooks: &[(&str, &str)]) {
    root.write_exec(
        &format!("lib/plugins/available/{name}/plugin.toml"),
        &format!("[plugin]\ndescription = \"{name}\"\nversion = \"0.1.0\"\n[plugin.config]\n"),
    );
    for (hook, body) in hooks {
        root.write_exec(
            &format!("lib/plugins/available/{name}/{hook}"),
            &format!("#!/usr/bin/env bash\nset -eo pipefail\n{body}\n"),
        );
    }
    root.plugn(&["enable", name]).ok();
}

static SOURCES: AtomicUsize = AtomicUsize::new(0);

/// A fresh source tree inside the root: each entry is a file (holding its own path) or, when
/// it ends with `/`, a directory.
pub fn source(root: &Root, entries: &[&str]) -> PathBuf {
    let n = SOURCES.fetch_add(1, Ordering::SeqCst);
    let dir = root.dir.join(format!("src-{n}"));
    fs::create_dir_all(&dir).unwrap();
    for entry in entries {
        let path = dir.join(entry);
        if entry.ends_with('/') {
            fs::create_dir_all(&path).unwrap();
        } else {
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(&path, entry).unwrap();
        }
    }
    dir
}

/// Every path under `dir`, relative and sorted, directories with a trailing `/`.
pub fn listing(dir: &Path) -> Vec<String> {
    fn walk(base: &Path, dir: &Path, out: &mut Vec<String>) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let rel = path.strip_prefix(base).unwrap().display().to_string();
            let meta = fs::symlink_metadata(&path).unwrap();
            if meta.is_dir() {
                out.push(format!("{rel}/"));
                walk(base, &path, out);
            } else {
                out.push(rel);
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

/// Go's compact JSON object of string values, keys sorted.
pub fn json(pairs: &[(&str, &str)]) -> String {
    let mut pairs = pairs.to_vec();
    pairs.sort();
    let body: Vec<String> = pairs
        .iter()
        .map(|(k, v)| format!("\"{k}\":\"{v}\""))
        .collect();
    format!("{{{}}}\n", body.join(","))
}

/// `commands help` with `--all` on the parent's command line, as `dokku help --all` runs it.
pub fn help_all(root: &Root, plugin: &str) -> Run {
    let commands = root
        .lib()
        .join("core-plugins/available")
        .join(plugin)
        .join("commands");
    // The trailing `true` keeps sh from exec'ing the command, so sh stays its parent.
    Run::from(
        root.command("sh")
            .arg("-c")
            .arg("\"$0\" help; true")
            .arg(&commands)
            .arg("--all")
            .output()
            .unwrap(),
    )
}

/// A `builder-<name>` plugin as the shared checks see it.
pub struct Builder {
    pub plugin: &'static str,
    /// The name in its description and `builder-detect` output.
    pub builder: &'static str,
    /// The short name `dokku` accepts for the plugin (`dockerfile:help`).
    pub alias: &'static str,
    pub property: &'static str,
    /// The computed value when nothing is set (on this amd64 host).
    pub default: &'static str,
    /// The file `builder-detect` looks for and `core-post-extract` moves into place.
    pub file: Option<&'static str>,
    /// `core-post-extract` fails (rather than removing the default file) when the
    /// configured file is missing.
    pub missing_fails: bool,
    /// Keeps `data/<plugin>/<app>`.
    pub data_dir: bool,
}

impl Builder {
    pub fn usage(&self) -> String {
        let p = self.plugin;
        format!(
            "Usage: dokku {p}[:COMMAND]\n\nManage the {b} builder integration for an app\n\n\
             Additional commands:\n\
             \x20   {p}:report [<app>] [<flag>]          Displays a {p} report for one or more apps\n\
             \x20   {p}:set <app> <property> (<value>)   Set or clear a {p} property for an app\n",
            b = self.builder
        )
    }

    fn cmd(&self, sub: &str) -> String {
        format!("{}:{sub}", self.plugin)
    }

    fn flag(&self, kind: &str) -> String {
        match kind {
            "" => format!("--{}-{}", self.plugin, self.property),
            _ => format!("--{}-{kind}-{}", self.plugin, self.property),
        }
    }
}

/// `:help`, the bare name, the short alias and the `commands help` lines.
pub fn check_help(b: &Builder) {
    let root = Root::new();
    let usage = b.usage();
    root.dokku(&[&b.cmd("help")]).ok().stdout(&usage).stderr("");
    root.dokku(&[b.plugin]).ok().stdout(&usage).stderr("");
    root.dokku(&[&format!("{}:help", b.alias)])
        .ok()
        .stdout(&usage);
    hook(&root, b.plugin, &["commands", "help"])
        .ok()
        .stdout(&format!(
            "    {}, Manage the {} builder integration for an app\n",
            b.plugin, b.builder
        ));
    help_all(&root, b.plugin).ok().stdout(&format!(
        "    {p}:report [<app>] [<flag>], Displays a {p} report for one or more apps\n\
         \x20   {p}:set <app> <property> (<value>), Set or clear a {p} property for an app\n",
        p = b.plugin
    ));
    // Every other word belongs to someone else.
    hook(&root, b.plugin, &["commands", &b.cmd("report")])
        .code(10)
        .stdout("")
        .stderr("");
    root.dokku(&["help"]).ok().stdout_has(&format!(
        "Manage the {} builder integration for an app",
        b.builder
    ));
    root.dokku(&["help", "--all"])
        .ok()
        .stdout_has(&format!("{}:set <app> <property> (<value>)", b.plugin));
}

/// `:set` writes, clears and honours `--global` and `--quiet`.
pub fn check_set(b: &Builder) {
    let root = root_with_app();
    let file = prop(&root, b.plugin, "web", b.property);
    root.dokku(&[&b.cmd("set"), "web", b.property, "some value"])
        .ok()
        .stdout(&format!("=====> Setting {} to some value\n", b.property))
        .stderr("");
    assert_eq!(read(&file).as_deref(), Some("some value"));
    assert_eq!(mode(&file), 0o600);
    root.dokku(&["--quiet", &b.cmd("set"), "web", b.property, "v2"])
        .ok()
        .stdout("");
    assert_eq!(read(&file).as_deref(), Some("v2"));
    root.dokku(&[&b.cmd("set"), "web", b.property])
        .ok()
        .stdout(&format!("=====> Unsetting {}\n", b.property));
    assert!(!file.exists());
    root.dokku(&[&b.cmd("set"), "web", b.property, ""]).ok();
    root.dokku(&[&b.cmd("set"), "--global", b.property, "g"])
        .ok()
        .stdout(&format!("=====> Setting {} to g\n", b.property));
    assert_eq!(
        read(prop(&root, b.plugin, "--global", b.property)).as_deref(),
        Some("g")
    );
    root.dokku(&[&b.cmd("set"), "--global", b.property]).ok();
    assert!(!prop(&root, b.plugin, "--global", b.property).exists());
}

/// `:set`'s refusals, in upstream's order, leave nothing behind.
pub fn check_set_errors(b: &Builder) {
    let root = root_with_app();
    let set = b.cmd("set");
    root.dokku(&[&set])
        .code(20)
        .stdout("")
        .stderr(" !     App  does not exist\n");
    root.dokku(&[&set, "nope", b.property, "x"])
        .code(20)
        .stderr(" !     App nope does not exist\n");
    root.dokku(&[&set, "Bad_App", b.property, "x"])
        .code(20)
        .stderr(" !     App Bad_App does not exist\n");
    root.dokku(&[&set, "web"])
        .code(1)
        .stderr(" !     No key specified\n");
    root.dokku(&[&set, "--global"])
        .code(1)
        .stderr(" !     No key specified\n");
    root.dokku(&[&set, "web", "bogus", "x"])
        .code(1)
        .stderr(&format!(
            " !     Invalid key specified, valid keys include: {}\n",
            b.property
        ));
    assert!(!root
        .lib()
        .join("config")
        .join(b.plugin)
        .join("web")
        .exists());
    assert!(!root
        .lib()
        .join("config")
        .join(b.plugin)
        .join("nope")
        .exists());
}

/// The report's JSON, `--global`, info flags, every app, the `report` trigger and errors.
/// (Each plugin's own tests pin its stdout layout.)
pub fn check_report(b: &Builder) {
    let root = Root::new();
    let report = b.cmd("report");
    root.dokku(&[&report]).ok().stdout("").stderr(NO_APPS);
    root.dokku(&["apps:create", "web"]).ok();
    root.dokku(&["apps:create", "api"]).ok();
    let p = b.property;
    let (computed, global) = (format!("computed-{p}"), format!("global-{p}"));
    root.dokku(&[&report, "web", "--format", "json"])
        .ok()
        .stdout(&json(&[(&computed, b.default), (&global, ""), (p, "")]));
    root.dokku(&[&b.cmd("set"), "--global", p, "g.x"]).ok();
    root.dokku(&[&b.cmd("set"), "web", p, "a.x"]).ok();
    root.dokku(&[&report, "web", "--format", "json"])
        .ok()
        .stdout(&json(&[(&computed, "a.x"), (&global, "g.x"), (p, "a.x")]));
    root.dokku(&[&report, "api", "--format", "json"])
        .ok()
        .stdout(&json(&[(&computed, "g.x"), (&global, "g.x"), (p, "")]));
    root.dokku(&[&report, "--global", "--format", "json"])
        .ok()
        .stdout(&json(&[(&computed, "g.x"), (&global, "g.x")]));
    root.dokku(&[&report, "web", &b.flag("computed")])
        .ok()
        .stdout("a.x\n");
    root.dokku(&[&report, "api", &b.flag("")]).ok().stdout("\n");
    root.dokku(&[&report, "--global", &b.flag("global")])
        .ok()
        .stdout("g.x\n");
    let mut flags = [b.flag("computed"), b.flag("global"), b.flag("")];
    flags.sort();
    root.dokku(&[&report, "web", "--nope"])
        .code(1)
        .stdout("")
        .stderr(&format!(
            " !     Invalid flag passed, valid flags: {}\n",
            flags.join(", ")
        ));
    root.dokku(&[&report, "--global", &b.flag("")])
        .code(1)
        .stderr(&format!(
            " !     Invalid flag passed, valid flags: {}, {}\n",
            b.flag("computed"),
            b.flag("global")
        ));
    root.dokku(&[&report, "web", "--format", "json", &b.flag("")])
        .code(1)
        .stderr(" !     --format flag cannot be specified when specifying an info flag\n");
    // Two info flags: upstream drops the error and prints nothing.
    root.dokku(&[&report, "web", "--a", "--b"])
        .ok()
        .stdout("")
        .stderr("");
    root.dokku(&[&report, "nope"])
        .code(20)
        .stderr(" !     App nope does not exist\n");
    root.dokku(&[&report, "Bad"]).code(1).stderr(MSG_INVALID);

    // Every app, in name order, each as alone; the trigger prints the same.
    let api = root.dokku(&[&report, "api"]).ok().stdout.clone();
    let web = root.dokku(&[&report, "web"]).ok().stdout.clone();
    assert!(api.starts_with(&format!("=====> api {} information\n", b.plugin)));
    root.dokku(&[&report]).ok().stdout(&format!("{api}{web}"));
    hook(&root, b.plugin, &["report", "web"]).ok().stdout(&web);
    root.dokku(&["--quiet", &report, "web"])
        .ok()
        .stdout(web.split_once('\n').unwrap().1);
}

/// Properties follow the app through clone and rename and go with it on destroy; the data
/// directory of the plugins that keep one too.
pub fn check_lifecycle(b: &Builder) {
    let root = root_with_app();
    hook(&root, b.plugin, &["install"])
        .ok()
        .stdout("")
        .stderr("");
    assert!(root.lib().join("config").join(b.plugin).is_dir());
    let data = |app: &str| root.lib().join("data").join(b.plugin).join(app);
    assert_eq!(root.lib().join("data").join(b.plugin).is_dir(), b.data_dir);
    root.dokku(&[&b.cmd("set"), "web", b.property, "w.x"]).ok();
    if b.data_dir {
        fs::create_dir_all(data("web")).unwrap();
        fs::write(data("web").join("rev.zip"), "zip").unwrap();
    }
    root.dokku(&["apps:clone", "web", "copy"]).ok();
    assert_eq!(
        read(prop(&root, b.plugin, "copy", b.property)).as_deref(),
        Some("w.x")
    );
    assert_eq!(
        read(prop(&root, b.plugin, "web", b.property)).as_deref(),
        Some("w.x")
    );
    root.dokku(&["apps:rename", "web", "moved"]).ok();
    assert_eq!(
        read(prop(&root, b.plugin, "moved", b.property)).as_deref(),
        Some("w.x")
    );
    assert!(!root
        .lib()
        .join("config")
        .join(b.plugin)
        .join("web")
        .exists());
    if b.data_dir {
        assert!(!data("web").exists());
        assert_eq!(read(data("moved").join("rev.zip")).as_deref(), Some("zip"));
    }
    root.dokku(&["apps:destroy", "moved", "--force"]).ok();
    assert!(!root
        .lib()
        .join("config")
        .join(b.plugin)
        .join("moved")
        .exists());
    assert!(!data("moved").exists());
    root.dokku(&["apps:destroy", "copy", "--force"]).ok();
    assert!(!root
        .lib()
        .join("config")
        .join(b.plugin)
        .join("copy")
        .exists());
    // A bad name never reaches the filesystem.
    hook(&root, b.plugin, &["post-delete", ".."]).code(1);
    assert!(root.lib().join("config").join(b.plugin).is_dir());
    hook(&root, b.plugin, &["post-app-rename-setup", "a", "../b"]).code(1);
    invoke_as(&root, b.plugin, b.plugin, "nope")
        .code(1)
        .stderr(" !     Invalid plugin trigger call: nope\n");
    invoke_as(&root, b.plugin, b.plugin, "subcommands/nope")
        .code(1)
        .stderr(" !     Invalid plugin subcommand call: nope\n");
}

/// `builder-detect` prints the builder's name exactly when its file is in the source.
pub fn check_detect_file(b: &Builder) {
    let file = b.file.expect("a file-detected builder");
    let root = root_with_app();
    let with = source(&root, &[file, "README"]);
    let without = source(&root, &["README"]);
    let as_dir = source(&root, &[&format!("{file}/")]);
    let detect = |dir: &Path| {
        hook(
            &root,
            b.plugin,
            &["builder-detect", "web", dir.to_str().unwrap()],
        )
    };
    detect(&with)
        .ok()
        .stdout(&format!("{}\n", b.builder))
        .stderr("");
    detect(&without).ok().stdout("");
    detect(&as_dir).ok().stdout("");
    // A symlink to a file counts, as bash's `-f` follows it.
    let linked = source(&root, &["real"]);
    std::os::unix::fs::symlink("real", linked.join(file)).unwrap();
    detect(&linked).ok().stdout(&format!("{}\n", b.builder));
    // The configured path does not matter for detection, only the default name.
    root.dokku(&[&b.cmd("set"), "web", b.property, "README"])
        .ok();
    detect(&without).ok().stdout("");
}

/// `core-post-extract` moves the configured file to the default name; a missing (or
/// outside) file fails or removes the default one; nothing outside the source is touched.
pub fn check_post_extract(b: &Builder) {
    let file = b.file.expect("a builder with a config file");
    let root = root_with_app();
    let extract = |dir: &Path| {
        hook(
            &root,
            b.plugin,
            &["core-post-extract", "web", dir.to_str().unwrap(), "rev"],
        )
    };
    let missing = |path: &str| format!(" !     Invalid {} specified: {path}\n", b.property);

    // Nothing configured: the default file stays, or its absence is fine.
    let plain = source(&root, &[file, "README"]);
    extract(&plain).ok().stdout("").stderr("");
    assert_listing(&plain, &[file, "README"]);
    let empty = source(&root, &["README"]);
    extract(&empty).ok().stdout("").stderr("");
    assert_listing(&empty, &["README"]);

    // A configured file replaces the default one.
    root.dokku(&[&b.cmd("set"), "web", b.property, "deploy/custom"])
        .ok();
    let custom = source(&root, &[file, "deploy/custom", "README"]);
    extract(&custom).ok().stdout("").stderr("");
    assert_listing(&custom, &[file, "README", "deploy/"]);
    assert_eq!(read(custom.join(file)).as_deref(), Some("deploy/custom"));

    // The global value applies when the app has none.
    root.dokku(&[&b.cmd("set"), "web", b.property]).ok();
    root.dokku(&[&b.cmd("set"), "--global", b.property, "./glob"])
        .ok();
    let global = source(&root, &["glob"]);
    extract(&global).ok();
    assert_listing(&global, &[file]);
    assert_eq!(read(global.join(file)).as_deref(), Some("glob"));
    root.dokku(&[&b.cmd("set"), "--global", b.property]).ok();

    // A configured file that is not there, or not inside the source.
    let outside = root.dir.join("outside");
    fs::write(&outside, "secret").unwrap();
    for path in ["deploy/none", "../outside", outside.to_str().unwrap()] {
        root.dokku(&[&b.cmd("set"), "web", b.property, path]).ok();
        let dir = source(&root, &[file, "README"]);
        if b.missing_fails {
            extract(&dir).code(1).stdout("").stderr(&missing(path));
            assert_listing(&dir, &[file, "README"]);
        } else {
            extract(&dir).ok().stdout("").stderr("");
            assert_listing(&dir, &["README"]);
        }
    }
    assert_eq!(read(&outside).as_deref(), Some("secret"));

    // The source directory must exist.
    hook(
        &root,
        b.plugin,
        &["core-post-extract", "web", "/nonexistent/dir"],
    )
    .code(1)
    .stderr(" !     pushd: /nonexistent/dir: No such file or directory\n");
}
