//! `dokku plugin:*` against a real install in a temporary root: community plugins installed
//! from a local git repository (file://) and from a tarball, their triggers recorded in
//! `$DOKKU_ROOT/hooks.log`, every message and exit status compared byte for byte.

use std::fs;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::Command;

use dokku_rs_testkit::{Root, Run};

const PRIMING: &str = "-----> Priming bash-completion cache\n";

/// A hook that records `<plugin> <hook> <args>` unless `HOOKY_FAIL` names it.
fn hook_script(hook: &str) -> String {
    format!(
        "#!/bin/sh\n[ \"$HOOKY_FAIL\" = \"{hook}\" ] && exit 3\n\
         echo \"$(basename \"$(dirname \"$0\")\") {hook} $*\" >> \"$DOKKU_ROOT/hooks.log\"\n"
    )
}

const HOOKS: [&str; 4] = ["install", "update", "uninstall", "dependencies"];

struct T {
    root: Root,
}

impl T {
    fn new() -> T {
        T { root: Root::new() }
    }

    fn cache(&self) -> PathBuf {
        self.root.dir.join("completion")
    }

    fn available(&self) -> PathBuf {
        self.root.lib().join("plugins/available")
    }

    fn enabled(&self) -> PathBuf {
        self.root.lib().join("plugins/enabled")
    }

    fn run_env(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let mut cmd = self.root.command(self.root.bin("dokku"));
        cmd.env("DOKKU_COMPLETION_CACHE", self.cache()).args(args);
        for (k, v) in env {
            cmd.env(k, v);
        }
        Run::from(cmd.output().expect("run dokku"))
    }

    fn run(&self, args: &[&str]) -> Run {
        self.run_env(args, &[])
    }

    fn hooks(&self) -> String {
        fs::read_to_string(self.root.home().join("hooks.log")).unwrap_or_default()
    }

    fn clear_hooks(&self) {
        let _ = fs::remove_file(self.root.home().join("hooks.log"));
    }

    fn git(&self, dir: &Path, args: &[&str]) -> String {
        let out = Command::new("git")
            .args(args)
            .current_dir(dir)
            .env("HOME", &self.root.dir)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_AUTHOR_NAME", "t")
            .env("GIT_AUTHOR_EMAIL", "t@example.com")
            .env("GIT_COMMITTER_NAME", "t")
            .env("GIT_COMMITTER_EMAIL", "t@example.com")
            .output()
            .expect("git");
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    fn write_plugin_files(dir: &Path, description: &str, version: &str) {
        fs::create_dir_all(dir).unwrap();
        fs::write(
            dir.join("plugin.toml"),
            format!("[plugin]\ndescription = \"{description}\"\nversion = \"{version}\"\n[plugin.config]\n"),
        )
        .unwrap();
        for hook in HOOKS {
            let path = dir.join(hook);
            fs::write(&path, hook_script(hook)).unwrap();
            fs::set_permissions(&path, fs::Permissions::from_mode(0o755)).unwrap();
        }
    }

    /// `src/dokku-hooky`: commit v1 (tagged), then a second commit on `main`.
    /// Returns the repository and the two commit ids.
    fn repo(&self) -> (PathBuf, String, String) {
        let dir = self.root.dir.join("src/dokku-hooky");
        T::write_plugin_files(&dir, "hook recorder", "0.1.0");
        self.git(&dir, &["init", "-q", "-b", "main", "."]);
        self.git(&dir, &["add", "-A"]);
        self.git(&dir, &["commit", "-qm", "one"]);
        self.git(&dir, &["tag", "v1"]);
        let v1 = self.git(&dir, &["rev-parse", "HEAD"]);
        fs::write(dir.join("extra"), "x\n").unwrap();
        self.git(&dir, &["add", "-A"]);
        self.git(&dir, &["commit", "-qm", "two"]);
        let head = self.git(&dir, &["rev-parse", "HEAD"]);
        (dir, v1, head)
    }

    fn url(dir: &Path) -> String {
        format!("file://{}", dir.display())
    }

    /// `src/dokku-tarry.tar.gz` holding a single top directory (flattened on install).
    fn tarball(&self) -> String {
        let src = self.root.dir.join("tarsrc");
        T::write_plugin_files(&src.join("tarry-1.0"), "from a tarball", "1.0.0");
        let out = self.root.dir.join("src/dokku-tarry.tar.gz");
        fs::create_dir_all(out.parent().unwrap()).unwrap();
        let status = Command::new("tar")
            .arg("czf")
            .arg(&out)
            .arg("-C")
            .arg(&src)
            .arg("tarry-1.0")
            .status()
            .unwrap();
        assert!(status.success());
        format!("file://{}", out.display())
    }

    /// Install the git fixture as `hooky` and forget the hooks it fired.
    fn install_hooky(&self) -> (PathBuf, String, String) {
        let (dir, v1, head) = self.repo();
        self.run(&["plugin:install", &T::url(&dir)]).ok();
        self.clear_hooks();
        (dir, v1, head)
    }

    fn list_line(&self, name: &str) -> String {
        let out = self.root.plugn(&["list"]).stdout;
        out.lines()
            .find(|l| l.split_whitespace().next() == Some(name))
            .map(|l| format!("{l}\n"))
            .unwrap_or_default()
    }
}

fn object(
    name: &str,
    version: &str,
    enabled: bool,
    core: bool,
    desc: &str,
    git: (&str, &str, &str),
) -> String {
    format!(
        "{{\"name\":\"{name}\",\"version\":\"{version}\",\"enabled\":{enabled},\"core\":{core},\"description\":\"{desc}\",\"source_url\":\"{}\",\"committish\":\"{}\",\"branch\":\"{}\"}}",
        git.0, git.1, git.2
    )
}

fn is_root() -> bool {
    nix::unistd::geteuid().is_root()
}

// ---------------------------------------------------------------------------------------
// Help

const USAGE: &str = "Usage: dokku plugin[:COMMAND]

Manage installed plugins

Additional commands:
    plugin:disable <name>                                                                                                        Disable an installed plugin (third-party only)
    plugin:enable <name>                                                                                                         Enable a previously disabled plugin
    plugin:install [--core|--git-url] [--committish branch|commit|commit] [--name custom-plugin-name] [--skip-install-trigger]   Optionally download git-url (and pin to the specified branch/commit/tag) & run install trigger for active plugins (or only core ones)
    plugin:install-dependencies [--core]                                                                                         Run install-dependencies trigger for active plugins (or only core ones)
    plugin:list [--format stdout|json]                                                                                           Print active plugins
    plugin:trigger <args...>                                                                                                     Trigger an arbitrary plugin hook
    plugin:uninstall <name>                                                                                                      Uninstall a plugin (third-party only)
    plugin:update [name [branch|commit|tag]]                                                                                     Optionally update named plugin from git (and pin to the specified branch/commit/tag) & run update trigger for active plugins
";

#[test]
fn help_texts() {
    let t = T::new();
    t.run(&["plugin:help"]).ok().stdout(USAGE).stderr("");
    t.run(&["plugin"]).ok().stdout(USAGE).stderr("");
    let commands = t.root.lib().join("core-plugins/available/plugin/commands");
    let out = t.root.command(&commands).arg("help").output().unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "    plugin, Manage installed plugins\n"
    );
    let all = t.run(&["help", "--all"]);
    all.ok()
        .stdout_has("    plugin:list [--format stdout|json]  ");
    t.run(&["plugin:nope"]).code(1).stderr(
        " !     `plugin:nope` is not a dokku command.\n !     See `dokku help` for a list of available commands.\n",
    );
}

// ---------------------------------------------------------------------------------------
// list / installed

#[test]
fn list_is_plugn_list_verbatim() {
    let t = T::new();
    let plugn = t.root.plugn(&["list"]);
    plugn.ok();
    assert!(plugn
        .stdout
        .contains("  plugin               0.38.27 enabled    dokku core plugin plugin\n"));
    t.run(&["plugin:list"])
        .ok()
        .stdout(&plugn.stdout)
        .stderr("");
    t.run(&["plugin:list", "--format", "stdout"])
        .ok()
        .stdout(&plugn.stdout);
    t.run(&["plugin:list", "--format=stdout"])
        .ok()
        .stdout(&plugn.stdout);
}

#[test]
fn list_json_for_core_plugins() {
    let t = T::new();
    let run = t.run(&["plugin:list", "--format", "json"]);
    run.ok().stderr("");
    let want = object(
        "plugin",
        "0.38.27",
        true,
        true,
        "dokku core plugin plugin",
        ("", "", ""),
    );
    assert!(
        run.stdout.starts_with('[') && run.stdout.ends_with("]\n"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains(&want), "{}", run.stdout);
    let count = t.root.plugn(&["list"]).stdout.lines().count();
    assert_eq!(run.stdout.matches("{\"name\":").count(), count);
    t.run(&["plugin:list", "--format=json"])
        .ok()
        .stdout(&run.stdout);
}

#[test]
fn list_rejects_other_formats() {
    let t = T::new();
    let msg = " !     Invalid output format specified, supported formats: json, stdout\n";
    t.run(&["plugin:list", "--format", "yaml"])
        .code(1)
        .stdout("")
        .stderr(msg);
    t.run(&["plugin:list", "--format"]).code(1).stderr(msg);
    t.run_env(
        &["plugin:list", "--format", "x"],
        &[("DOKKU_FAIL_EXIT_CODE", "7")],
    )
    .code(7)
    .stderr(msg);
}

#[test]
fn list_json_reports_git_source() {
    let t = T::new();
    let (dir, v1, head) = t.install_hooky();
    let url = T::url(&dir);
    let run = t.run(&["plugin:list", "--format", "json"]);
    run.ok();
    let want = object(
        "hooky",
        "0.1.0",
        true,
        false,
        "hook recorder",
        (&url, &head, "main"),
    );
    assert!(run.stdout.contains(&want), "{}", run.stdout);

    // Pinned to a tag: detached HEAD, so no branch.
    t.run(&["plugin:update", "hooky", "v1"]).ok();
    let run = t.run(&["plugin:list", "--format", "json"]);
    let want = object(
        "hooky",
        "0.1.0",
        true,
        false,
        "hook recorder",
        (&url, &v1, ""),
    );
    assert!(run.stdout.contains(&want), "{}", run.stdout);

    // Disabled plugins are listed too.
    t.run(&["plugin:disable", "hooky"]).ok();
    let run = t.run(&["plugin:list", "--format", "json"]);
    let want = object(
        "hooky",
        "0.1.0",
        false,
        false,
        "hook recorder",
        (&url, &v1, ""),
    );
    assert!(run.stdout.contains(&want), "{}", run.stdout);
    t.run(&["plugin:list"])
        .ok()
        .stdout_has("  hooky                0.1.0 disabled   hook recorder\n");
}

#[test]
fn installed_is_exit_status_only() {
    let t = T::new();
    t.run(&["plugin:installed", "plugin"])
        .ok()
        .stdout("")
        .stderr("");
    t.run(&["plugin:installed", "plug"])
        .code(1)
        .stdout("")
        .stderr("");
    t.run(&["plugin:installed"]).code(1).stdout("").stderr("");
    t.run(&["plugin:installed", "hooky"]).code(1);
    t.install_hooky();
    t.run(&["plugin:installed", "hooky"]).ok().stdout("");
    t.run(&["plugin:disable", "hooky"]).ok();
    t.run(&["plugin:installed", "hooky"]).ok();
}

// ---------------------------------------------------------------------------------------
// install

#[test]
fn install_from_git() {
    let t = T::new();
    let (dir, _, head) = t.repo();
    let url = T::url(&dir);
    let avail = t.available();
    let run = t.run(&["plugin:install", &url]);
    run.ok()
        .stdout(&format!(
            "-----> Cloning plugin repo {url} to {}/hooky\n-----> Plugin hooky enabled\n{PRIMING}",
            avail.display()
        ))
        .stderr_has("Cloning into 'hooky'...");
    // The install trigger runs for every enabled plugin; hooky records it.
    assert_eq!(t.hooks(), "hooky install \n");
    assert_eq!(
        fs::read_link(t.enabled().join("hooky")).unwrap(),
        avail.join("hooky")
    );
    assert_eq!(t.git(&avail.join("hooky"), &["rev-parse", "HEAD"]), head);
    assert_eq!(
        t.list_line("hooky"),
        "  hooky                0.1.0 enabled    hook recorder\n"
    );

    // Same URL again: plugn says so, then the enable step refuses.
    t.clear_hooks();
    t.run(&["plugin:install", &url])
        .code(1)
        .stdout(&format!(
            "-----> Cloning plugin repo {url} to {}/hooky\n",
            avail.display()
        ))
        .stderr("Plugin 'hooky' is already installed.\n !     Plugin already enabled\n");
    assert_eq!(t.hooks(), "");
}

#[test]
fn install_with_committish_name_and_skip() {
    let t = T::new();
    let (dir, v1, _) = t.repo();
    let url = T::url(&dir);
    let avail = t.available();
    t.run(&["plugin:install", &url, "--committish", "v1", "--name", "pinned", "--skip-install-trigger"])
        .ok()
        .stdout(&format!(
            "-----> Cloning plugin repo {url} to {}/pinned\n-----> Plugin pinned enabled\nPlugin (pinned) updated and pinned to v1\n{PRIMING}",
            avail.display()
        ));
    assert_eq!(t.hooks(), "");
    assert_eq!(t.git(&avail.join("pinned"), &["rev-parse", "HEAD"]), v1);
    assert_eq!(
        fs::read_to_string(avail.join("pinned/.plugin_committish")).unwrap(),
        "v1\n"
    );
    t.run(&["plugin:update", "pinned"])
        .ok()
        .stdout(&format!("Plugin pinned to v1\n{PRIMING}"));
}

#[test]
fn install_quiet_hides_info_lines() {
    let t = T::new();
    let (dir, _, _) = t.repo();
    t.run(&["--quiet", "plugin:install", &T::url(&dir)])
        .ok()
        .stdout("");
    assert_eq!(t.hooks(), "hooky install \n");
}

#[test]
fn install_from_tarball() {
    let t = T::new();
    let url = t.tarball();
    let avail = t.available();
    t.run(&["plugin:install", &url, "--name", "tarry"])
        .ok()
        .stdout(&format!(
            "-----> Cloning plugin repo {url} to {}/tarry\n-----> Plugin tarry enabled\n{PRIMING}",
            avail.display()
        ))
        .stderr("");
    assert!(avail.join("tarry/plugin.toml").is_file(), "flattened");
    assert_eq!(t.hooks(), "tarry install \n");
    assert_eq!(
        t.list_line("tarry"),
        "  tarry                1.0.0 enabled    from a tarball\n"
    );
    let json = t.run(&["plugin:list", "--format", "json"]);
    let want = object(
        "tarry",
        "1.0.0",
        true,
        false,
        "from a tarball",
        ("", "", ""),
    );
    assert!(json.stdout.contains(&want), "{}", json.stdout);
    // Not a git checkout: update says so.
    t.run(&["plugin:update", "tarry"])
        .ok()
        .stdout(&format!("Plugin (tarry) not managed by git\n{PRIMING}"));
}

#[test]
fn install_derives_names_like_upstream() {
    let t = T::new();
    // Only `.git` and `dokku-` are stripped, so a tarball keeps its suffix.
    let url = t.tarball();
    t.run(&["plugin:install", &url, "--skip-install-trigger"])
        .ok()
        .stdout_has("/tarry.tar.gz\n-----> Plugin tarry.tar.gz enabled\n");
    assert!(t.available().join("tarry.tar.gz/plugin.toml").is_file());
}

#[test]
fn install_rejects_other_sources() {
    let t = T::new();
    let msg = " !     First argument must be --core or url to plugin\n \
               !     Valid prefixes: https:, git:, ssh:, file:\n \
               !     Valid suffixes: .tar.gz, .tgz\n \
               !     Please retry with valid arguments\n";
    for bad in ["http://example.com/x", "/tmp/plugin", "--name"] {
        t.run(&["plugin:install", bad])
            .code(1)
            .stdout("")
            .stderr(msg);
    }
    assert!(!t.cache().exists());
}

#[test]
fn install_failures_keep_their_status() {
    let t = T::new();
    let missing = format!("file://{}/src/nothing.git", t.root.dir.display());
    let run = t.run(&["plugin:install", &missing]);
    run.code(128).stdout(&format!(
        "-----> Cloning plugin repo {missing} to {}/nothing\n",
        t.available().display()
    ));
    assert!(!t.available().join("nothing").exists());

    // A failing install trigger fails the command after the clone and enable.
    let (dir, _, _) = t.repo();
    let run = t.run_env(
        &["plugin:install", &T::url(&dir)],
        &[("HOOKY_FAIL", "install")],
    );
    run.code(3).stdout_has("-----> Plugin hooky enabled\n");
    assert!(!run.stdout.contains("Priming"));
    assert!(t.enabled().join("hooky").exists());
}

#[test]
fn install_without_url_runs_the_install_trigger() {
    let t = T::new();
    t.install_hooky();
    t.run(&["plugin:install"]).ok().stdout(PRIMING).stderr("");
    assert_eq!(t.hooks(), "hooky install \n");
    t.clear_hooks();
    // --core only reaches the core tree.
    t.run(&["plugin:install", "--core"]).ok().stdout(PRIMING);
    t.run(&["plugin:install", "--core", "https://x/y.git"]).ok().stdout(&format!(
        "-----> Cannot install additional core plugins, running core plugin install trigger\n{PRIMING}"
    ));
    assert_eq!(t.hooks(), "");
    t.run_env(&["plugin:install"], &[("HOOKY_FAIL", "install")])
        .code(3)
        .stdout("");
}

#[test]
fn install_dependencies() {
    let t = T::new();
    t.install_hooky();
    t.run(&["plugin:install-dependencies"])
        .ok()
        .stdout("")
        .stderr("");
    assert_eq!(t.hooks(), "hooky dependencies \n");
    t.clear_hooks();
    t.run(&["plugin:install-dependencies", "--core"])
        .ok()
        .stdout("");
    assert_eq!(t.hooks(), "");
    t.run_env(
        &["plugin:install-dependencies"],
        &[("HOOKY_FAIL", "dependencies")],
    )
    .code(3);
}

#[test]
fn completion_cache_is_primed() {
    let t = T::new();
    t.run(&["plugin:install"]).ok();
    let words = fs::read_to_string(t.cache()).unwrap();
    assert!(words.lines().any(|l| l == "plugin:list"), "{words}");
    assert!(words.lines().any(|l| l == "plugin:install"), "{words}");
    let mut sorted: Vec<&str> = words.lines().collect();
    sorted.sort();
    assert_eq!(sorted, words.lines().collect::<Vec<_>>());
}

// ---------------------------------------------------------------------------------------
// enable / disable / uninstall

#[test]
fn enable_and_disable() {
    let t = T::new();
    t.install_hooky();
    t.run(&["plugin:disable", "hooky"])
        .ok()
        .stdout(&format!("-----> Plugin hooky disabled\n{PRIMING}"))
        .stderr("");
    assert!(fs::symlink_metadata(t.enabled().join("hooky")).is_err());
    t.run(&["plugin:disable", "hooky"])
        .code(1)
        .stdout("")
        .stderr(" !     Plugin already disabled\n");
    t.run(&["plugin:enable", "hooky"])
        .ok()
        .stdout(&format!("-----> Plugin hooky enabled\n{PRIMING}"));
    t.run(&["plugin:enable", "hooky"])
        .code(1)
        .stdout("")
        .stderr(" !     Plugin already enabled\n");
    t.run(&["--quiet", "plugin:disable", "hooky"])
        .ok()
        .stdout("");
    t.run(&["--quiet", "plugin:enable", "hooky"])
        .ok()
        .stdout("");
    assert_eq!(t.hooks(), "", "enable/disable fire no trigger");
}

#[test]
fn enable_and_disable_errors() {
    let t = T::new();
    t.run(&["plugin:enable"])
        .code(1)
        .stderr(" !     Please specify a plugin to enable\n");
    t.run(&["plugin:disable"])
        .code(1)
        .stderr(" !     Please specify a plugin to disable\n");
    t.run(&["plugin:enable", "ghost"])
        .code(1)
        .stdout("")
        .stderr(" !     Plugin does not exist\n");
    t.run(&["plugin:enable", "plugin"])
        .code(1)
        .stderr(" !     Plugin already enabled\n");
    t.run(&["plugin:disable", "plugin"])
        .code(1)
        .stderr(" !     Cannot disable a core plugin\n");
    t.run(&["plugin:disable", "ghost"])
        .code(1)
        .stderr(" !     Plugin already disabled\n");
    // Enabled but not available.
    fs::create_dir_all(t.enabled().join("ghost")).unwrap();
    t.run(&["plugin:disable", "ghost"])
        .code(1)
        .stderr(" !     Plugin does not exist\n");
    let invalid = "plugn: invalid plugin name '../x': it must be non-empty and must not contain '/', '..', a newline or NUL\n";
    t.run(&["plugin:enable", "../x"])
        .code(1)
        .stdout("")
        .stderr(invalid);
    t.run(&["plugin:disable", "../x"]).code(1).stderr(invalid);
    t.run(&["plugin:uninstall", "../x"]).code(1).stderr(invalid);
    t.run_env(
        &["plugin:enable", "ghost2"],
        &[("DOKKU_FAIL_EXIT_CODE", "9")],
    )
    .code(9);
}

#[test]
fn uninstall_fires_the_trigger_then_removes() {
    let t = T::new();
    t.install_hooky();
    t.run(&["plugin:uninstall", "hooky"])
        .ok()
        .stdout(&format!("-----> Plugin hooky uninstalled\n{PRIMING}"))
        .stderr("");
    assert_eq!(t.hooks(), "hooky uninstall hooky\n");
    assert!(fs::symlink_metadata(t.available().join("hooky")).is_err());
    assert!(fs::symlink_metadata(t.enabled().join("hooky")).is_err());
    t.run(&["plugin:uninstall", "hooky"])
        .code(1)
        .stdout("")
        .stderr(" !     Plugin (hooky) is not currently installed\n");
    t.run(&["plugin:uninstall"])
        .code(1)
        .stderr(" !     Please specify a plugin to uninstall\n");
    t.run(&["plugin:uninstall", "plugin"])
        .code(1)
        .stderr(" !     Cannot uninstall a core plugin\n");
    assert!(t.root.lib().join("core-plugins/available/plugin").is_dir());
}

#[test]
fn uninstall_stops_when_a_hook_fails() {
    let t = T::new();
    t.install_hooky();
    t.run_env(
        &["plugin:uninstall", "hooky"],
        &[("HOOKY_FAIL", "uninstall")],
    )
    .code(3)
    .stdout("");
    assert!(
        t.available().join("hooky").is_dir(),
        "kept when the trigger failed"
    );
}

// ---------------------------------------------------------------------------------------
// update

#[test]
fn update_named_with_pins() {
    let t = T::new();
    let (dir, v1, head) = t.install_hooky();
    let avail = t.available().join("hooky");
    t.run(&["plugin:update", "hooky", "v1"])
        .ok()
        .stdout(&format!(
            "Plugin (hooky) updated and pinned to v1\n{PRIMING}"
        ));
    assert_eq!(t.git(&avail, &["rev-parse", "HEAD"]), v1);
    assert_eq!(t.hooks(), "hooky update \n");
    // Pinned to a tag: a plain update reports the pin.
    t.run(&["plugin:update", "hooky"])
        .ok()
        .stdout(&format!("Plugin pinned to v1\n{PRIMING}"));
    // Back to the branch, then follow new commits.
    t.run(&["plugin:update", "hooky", "main"])
        .ok()
        .stdout(&format!(
            "Plugin (hooky) updated and pinned to main\n{PRIMING}"
        ));
    assert_eq!(t.git(&avail, &["rev-parse", "HEAD"]), head);
    fs::write(dir.join("third"), "3\n").unwrap();
    t.git(&dir, &["add", "-A"]);
    t.git(&dir, &["commit", "-qm", "three"]);
    let newest = t.git(&dir, &["rev-parse", "HEAD"]);
    t.run(&["plugin:update", "hooky", ""])
        .ok()
        .stdout(&format!("Plugin (hooky) updated\n{PRIMING}"));
    assert_eq!(t.git(&avail, &["rev-parse", "HEAD"]), newest);
}

#[test]
fn update_all_skips_core_plugins() {
    let t = T::new();
    t.install_hooky();
    t.run(&[
        "plugin:install",
        &t.tarball(),
        "--name",
        "tarry",
        "--skip-install-trigger",
    ])
    .ok();
    t.clear_hooks();
    t.run(&["plugin:update"]).ok().stdout(&format!(
        "Plugin (hooky) updated\nPlugin (tarry) not managed by git\n{PRIMING}"
    ));
    assert_eq!(t.hooks(), "hooky update \ntarry update \n");
    t.clear_hooks();
    t.run_env(&["plugin:update"], &[("HOOKY_FAIL", "update")])
        .code(3);
}

#[test]
fn update_errors() {
    let t = T::new();
    t.run(&["plugin:update", "a.b"])
        .code(1)
        .stdout("")
        .stderr(" !     Invalid plugin name specified\n");
    t.run(&["plugin:update", "../x"])
        .code(1)
        .stderr(" !     Invalid plugin name specified\n");
    t.run(&["plugin:update", "ghost"])
        .code(1)
        .stderr(" !     Specified plugin not enabled or installed\n");
    t.run(&["plugin:update", "plugin"]).code(1).stderr(
        " !     Cannot trigger plugin:update against core plugin, please update Dokku instead\n",
    );
    // A git failure (unknown ref) ends the command silently with git's status.
    t.install_hooky();
    let run = t.run(&["plugin:update", "hooky", "no-such-ref"]);
    assert_ne!(run.code, 0);
    assert_eq!(run.stdout, "");
    assert_eq!(t.hooks(), "");
}

// ---------------------------------------------------------------------------------------
// trigger

#[test]
fn trigger_runs_plugn_trigger() {
    let t = T::new();
    t.install_hooky();
    t.run(&["plugin:trigger", "dependencies", "a", "b c"])
        .ok()
        .stdout("")
        .stderr("");
    assert_eq!(t.hooks(), "hooky dependencies a b c\n");
    t.run_env(
        &["plugin:trigger", "dependencies"],
        &[("HOOKY_FAIL", "dependencies")],
    )
    .code(3);
    // A hook's stdout is the command's.
    let hook = t.available().join("hooky/say");
    fs::write(
        &hook,
        "#!/bin/sh\necho \"said $*\"\necho oops >&2\nexit 4\n",
    )
    .unwrap();
    fs::set_permissions(&hook, fs::Permissions::from_mode(0o755)).unwrap();
    t.run(&["plugin:trigger", "say", "x"])
        .code(4)
        .stdout("said x\n")
        .stderr("oops\n");
    // plugn's own usage and name errors.
    let plugn = t.root.plugn(&["trigger"]);
    t.run(&["plugin:trigger"])
        .code(plugn.code)
        .stdout(&plugn.stdout)
        .stderr(&plugn.stderr);
    t.run(&["plugin:trigger", "../x"]).code(1).stderr(
        "plugn: invalid hook name '../x': it must be non-empty and must not contain '/', '..', a newline or NUL\n",
    );
}

#[test]
fn trigger_switches_to_the_system_user() {
    if !is_root()
        || nix::unistd::User::from_name("nobody")
            .ok()
            .flatten()
            .is_none()
    {
        return;
    }
    let t = T::new();
    t.install_hooky();
    let hook = t.available().join("hooky/whoami");
    fs::write(&hook, "#!/bin/sh\necho \"$(id -un) $HOME $USER\"\n").unwrap();
    fs::set_permissions(&hook, fs::Permissions::from_mode(0o755)).unwrap();
    let home = nix::unistd::User::from_name("nobody").unwrap().unwrap().dir;
    t.run_env(
        &["plugin:trigger", "whoami"],
        &[("DOKKU_SYSTEM_USER", "nobody")],
    )
    .ok()
    .stdout(&format!("nobody {} nobody\n", home.display()));
    t.run_env(
        &["plugin:trigger", "whoami"],
        &[("DOKKU_SYSTEM_USER", "no-such-user-x")],
    )
    .code(1)
    .stderr("sudo: unknown user no-such-user-x\n");
}

// ---------------------------------------------------------------------------------------
// the plugin's own install/update triggers

#[test]
fn install_trigger_hands_plugins_to_the_system_user() {
    if !is_root()
        || nix::unistd::Group::from_name("nogroup")
            .ok()
            .flatten()
            .is_none()
    {
        return;
    }
    let t = T::new();
    t.install_hooky();
    // Fired directly: through `dokku`, a foreign system user would also make the completion
    // priming re-run `dokku help` through sudo.
    let trigger = t.root.lib().join("core-plugins/available/plugin/install");
    let out = t
        .root
        .command(&trigger)
        .env("DOKKU_SYSTEM_USER", "nobody")
        .env("DOKKU_SYSTEM_GROUP", "nogroup")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let owner = |p: &Path| {
        let m = fs::symlink_metadata(p).unwrap();
        (m.uid(), m.gid())
    };
    assert_eq!(
        owner(&t.available().join("hooky/plugin.toml")),
        (65534, 65534)
    );
    assert_eq!(
        owner(&t.available().join("hooky/.git/HEAD")),
        (65534, 65534)
    );
    assert_eq!(owner(&t.enabled().join("hooky")), (65534, 65534));
    assert_eq!(
        owner(
            &t.root
                .lib()
                .join("core-plugins/available/plugin/plugin.toml")
        ),
        (65534, 65534)
    );
    // Back to root through the update trigger.
    t.run_env(
        &["plugin:update", "hooky"],
        &[
            ("DOKKU_SYSTEM_USER", "root"),
            ("DOKKU_SYSTEM_GROUP", "root"),
        ],
    )
    .ok();
    assert_eq!(owner(&t.available().join("hooky/plugin.toml")), (0, 0));
    t.run_env(
        &["plugin:install"],
        &[
            ("DOKKU_SYSTEM_USER", "root"),
            ("DOKKU_SYSTEM_GROUP", "no-such-group-x"),
        ],
    )
    .code(1)
    .stderr("chown: invalid user: 'root:no-such-group-x'\n");
}
