//! `install` (git and tarball, file:// and loopback HTTP) and `update`
//! (spec §4.3, §4.5; §8 T17–T35, fixed Q27).

mod common;
use common::*;
use std::fs;

// ---------------------------------------------------------------------------------------------
// git installs

#[test]
fn t17_install_git_file_url() {
    let fx = Fx::new();
    let r = smoke_repo(&fx);
    fx.cmd(&["install", &file_url(&r)])
        .run()
        .ok("", 0)
        .err_has("Cloning into 'smoke-test-plugin'");
    let dir = fx.avail("smoke-test-plugin");
    assert!(dir.join(".git").is_dir());
    assert!(is_executable(&dir.join("trigger")));
    assert_eq!(
        read(&dir.join("plugin.toml")),
        smoke_toml("0.2.0"),
        "clone of main"
    );
    assert!(
        !exists_nofollow(&fx.enabled("smoke-test-plugin")),
        "install must not enable"
    );
}

#[test]
fn t18_install_same_url_again() {
    let fx = Fx::new();
    let r = smoke_repo(&fx);
    fx.cmd(&["install", &file_url(&r)]).run().code_is(0);
    let before = snapshot(&fx.pp);
    fx.cmd(&["install", &file_url(&r)])
        .run()
        .ok("", 0)
        .err_has("Plugin 'smoke-test-plugin' is already installed.");
    assert_eq!(snapshot(&fx.pp), before);
}

#[test]
fn t19_install_other_url_spelling() {
    let fx = Fx::new();
    let r = smoke_repo(&fx);
    fx.cmd(&["install", &file_url(&r)]).run().code_is(0);
    fx.cmd(&["install", &s(&r)]).run().ok("", 1).err_has(
        "Plugin 'smoke-test-plugin' is already installed, but with a different url. To install anyway, uninstall it first.",
    );
}

#[test]
fn t20_install_over_non_git_dir() {
    let fx = Fx::new();
    let r = smoke_repo(&fx);
    fx.mkplugin("plain", "1.0.0", "plain");
    let before = snapshot(&fx.pp);
    fx.cmd(&["install", &file_url(&r), "plain"])
        .run()
        .ok("", 1)
        .err_has("plain is already installed, but it does not seem to be a git repository");
    assert_eq!(snapshot(&fx.pp), before);
}

#[test]
fn t20_install_over_symlinked_core_plugin() {
    let fx = Fx::new();
    let r = smoke_repo(&fx);
    let core = fx.root.join("core-plugins/available/apps");
    write_file(&core.join("plugin.toml"), &smoke_toml("0.38.27"), 0o644);
    symlink_to(&core, fx.avail("apps"));
    fx.cmd(&["install", &file_url(&r), "apps"])
        .run()
        .ok("", 1)
        .err_has("apps is already installed, but it does not seem to be a git repository");
    assert!(core.join("plugin.toml").is_file());
}

#[test]
fn t21_install_custom_name() {
    let fx = Fx::new();
    let r = smoke_repo(&fx);
    fx.cmd(&["install", &file_url(&r), "custom"])
        .run()
        .ok("", 0)
        .err_has("Cloning into 'custom'");
    assert!(fx.avail("custom").join(".git").is_dir());
    assert!(fx.avail("custom").join("plugin.toml").is_file());
    assert!(!exists_nofollow(&fx.avail("smoke-test-plugin")));
}

#[test]
fn t22_install_nonexistent_repo() {
    let fx = Fx::new();
    let url = file_url(&fx.root.join("repos/nonexistent"));
    let out = fx.cmd(&["install", &url]).run();
    out.ok("", 128);
    assert!(!out.stderr.is_empty(), "git's error expected on stderr");
    assert!(
        !exists_nofollow(&fx.avail("nonexistent")),
        "nothing left behind"
    );
    assert_eq!(fs::read_dir(fx.pp.join("available")).unwrap().count(), 0);
}

#[test]
fn t23_install_dotted_bare_repo() {
    let fx = Fx::new();
    let r = smoke_repo(&fx);
    let bare = fx.root.join("repos/dotted.name.git");
    fx.git(&fx.root, &["clone", "-q", "--bare", &s(&r), &s(&bare)]);
    fx.cmd(&["install", &file_url(&bare)])
        .run()
        .ok("", 0)
        .err_has("Cloning into 'dotted'");
    assert!(fx.avail("dotted").join("plugin.toml").is_file());
}

/// Git's dumb HTTP protocol over the loopback server.
#[test]
fn t17_install_git_over_http() {
    let fx = Fx::new();
    let r = smoke_repo(&fx);
    let served = fx.root.join("served");
    fs::create_dir_all(&served).unwrap();
    let bare = served.join("smoke-test-plugin.git");
    fx.git(&fx.root, &["clone", "-q", "--bare", &s(&r), &s(&bare)]);
    fx.git(&bare, &["update-server-info"]);
    let srv = HttpServer::start(&served);
    fx.cmd(&["install", &srv.url("smoke-test-plugin.git")])
        .run()
        .ok("", 0)
        .err_has("Cloning into 'smoke-test-plugin'");
    assert_eq!(
        read(&fx.avail("smoke-test-plugin").join("plugin.toml")),
        smoke_toml("0.2.0")
    );
}

// ---------------------------------------------------------------------------------------------
// tarball installs

fn check_v0(fx: &Fx) {
    let dir = fx.avail("v0");
    assert_eq!(
        read(&dir.join("plugin.toml")),
        smoke_toml("0.3.0"),
        "flattened plugin.toml"
    );
    assert!(
        is_executable(&dir.join("trigger")),
        "trigger keeps its exec bit"
    );
    assert!(dir.join(".dotfile").is_file(), "dotfiles are moved up too");
    assert!(
        !exists_nofollow(&dir.join("smoke-test-plugin-0.3.0")),
        "top dir removed"
    );
}

#[test]
fn t24_install_tarball_single_top_dir() {
    let fx = Fx::new();
    let t = tarballs(&fx);
    fx.cmd(&["install", &file_url(&t.join("v0.3.0.tar.gz"))])
        .run()
        .ok("", 0);
    check_v0(&fx);
    // Nothing else (no temp dirs) appears.
    fx.cmd(&["list"])
        .run()
        .ok(&list_line("v0", "0.3.0", "disabled", "smoke test"), 0);
    assert!(!exists_nofollow(&fx.enabled("v0")));
}

#[test]
fn t24_install_tarball_over_http() {
    let fx = Fx::new();
    let t = tarballs(&fx);
    let srv = HttpServer::start(&t);
    fx.cmd(&["install", &srv.url("v0.3.0.tar.gz")])
        .run()
        .ok("", 0);
    check_v0(&fx);
}

#[test]
fn t25_install_flat_tarball() {
    let fx = Fx::new();
    let t = tarballs(&fx);
    fx.cmd(&["install", &file_url(&t.join("flat.tgz")), "flatplug"])
        .run()
        .ok("", 0);
    assert_eq!(
        read(&fx.avail("flatplug").join("plugin.toml")),
        smoke_toml("0.4.0-flat")
    );
    assert!(is_executable(&fx.avail("flatplug").join("trigger")));
}

#[test]
fn t25_install_flat_tarball_over_http() {
    let fx = Fx::new();
    let t = tarballs(&fx);
    let srv = HttpServer::start(&t);
    fx.cmd(&["install", &srv.url("flat.tgz"), "flatplug"])
        .run()
        .ok("", 0);
    assert_eq!(
        read(&fx.avail("flatplug").join("plugin.toml")),
        smoke_toml("0.4.0-flat")
    );
}

#[test]
fn t26_install_missing_tarball() {
    let fx = Fx::new();
    let t = tarballs(&fx);
    fx.cmd(&["install", &file_url(&t.join("missing.tar.gz")), "missing"])
        .run()
        .ok("", 2);
    assert!(!exists_nofollow(&fx.avail("missing")));
    assert_eq!(
        fs::read_dir(fx.pp.join("available")).unwrap().count(),
        0,
        "no temp dirs left"
    );
}

#[test]
fn t26_install_tarball_http_404() {
    let fx = Fx::new();
    let t = tarballs(&fx);
    let srv = HttpServer::start(&t);
    fx.cmd(&["install", &srv.url("missing.tar.gz"), "missing"])
        .run()
        .ok("", 2);
    assert!(!exists_nofollow(&fx.avail("missing")));
    assert_eq!(
        fs::read_dir(fx.pp.join("available")).unwrap().count(),
        0,
        "no temp dirs left"
    );
}

#[test]
fn t27_install_bad_tarball() {
    let fx = Fx::new();
    let t = tarballs(&fx);
    fx.cmd(&["install", &file_url(&t.join("bad.tar.gz")), "flatplug"])
        .run()
        .ok("", 2)
        .err_has("not in gzip format");
    assert!(!exists_nofollow(&fx.avail("flatplug")));
}

/// Fixed Q27: a failed tarball reinstall keeps the existing plugin and leaves no temp dirs.
#[test]
fn q27_failed_tarball_reinstall_keeps_existing() {
    let fx = Fx::new();
    let t = tarballs(&fx);
    fx.cmd(&["install", &file_url(&t.join("flat.tgz")), "flatplug"])
        .run()
        .ok("", 0);
    fx.enable("flatplug");
    let before = snapshot(&fx.pp);
    let listing = list_line("flatplug", "0.4.0-flat", "enabled", "smoke test");
    fx.cmd(&["install", &file_url(&t.join("bad.tar.gz")), "flatplug"])
        .run()
        .ok("", 2)
        .err_has("not in gzip format");
    assert_eq!(
        snapshot(&fx.pp),
        before,
        "existing install must be untouched"
    );
    fx.cmd(&["list"]).run().ok(&listing, 0);
    fx.cmd(&["install", &file_url(&t.join("missing.tar.gz")), "flatplug"])
        .run()
        .ok("", 2);
    assert_eq!(
        snapshot(&fx.pp),
        before,
        "existing install must be untouched"
    );
    fx.cmd(&["list"]).run().ok(&listing, 0);
}

#[test]
fn q27_failed_tarball_reinstall_over_http_keeps_existing() {
    let fx = Fx::new();
    let t = tarballs(&fx);
    let srv = HttpServer::start(&t);
    fx.cmd(&["install", &srv.url("flat.tgz"), "flatplug"])
        .run()
        .ok("", 0);
    let before = snapshot(&fx.pp);
    fx.cmd(&["install", &srv.url("bad.tar.gz"), "flatplug"])
        .run()
        .ok("", 2)
        .err_has("not in gzip format");
    fx.cmd(&["install", &srv.url("missing.tar.gz"), "flatplug"])
        .run()
        .ok("", 2);
    assert_eq!(snapshot(&fx.pp), before);
    fx.cmd(&["list"]).run().ok(
        &list_line("flatplug", "0.4.0-flat", "disabled", "smoke test"),
        0,
    );
}

// ---------------------------------------------------------------------------------------------
// update

#[test]
fn t28_update_not_installed() {
    let fx = Fx::new();
    fx.cmd(&["update", "nothere"])
        .run()
        .ok("Plugin (nothere) not installed\n", 1);
}

#[test]
fn t29_update_not_managed_by_git() {
    let fx = Fx::new();
    // What a tarball install leaves: a plain directory.
    fx.mkplugin("v0", "0.3.0", "smoke test");
    fx.cmd(&["update", "v0"])
        .run()
        .ok("Plugin (v0) not managed by git\n", 0);
    assert!(
        !fx.home.join(".gitconfig").exists(),
        "no git config for non-git plugins"
    );
}

#[test]
fn t29_update_symlinked_core_plugin_not_managed_by_git() {
    let fx = Fx::new();
    let core = fx.root.join("core-plugins/available/apps");
    write_file(&core.join("plugin.toml"), &smoke_toml("0.38.27"), 0o644);
    symlink_to(&core, fx.avail("apps"));
    fx.cmd(&["update", "apps"])
        .run()
        .ok("Plugin (apps) not managed by git\n", 0);
}

/// T30–T35 build on each other, as in the spec: each test replays the steps before its own
/// (asserting them too), so every case has its own test and a failure points at its step.
fn update_sequence(upto: u32) {
    let fx = Fx::new();
    let r = smoke_repo(&fx);
    let name = "smoke-test-plugin";
    let dir = fx.avail(name);
    // Cloned with the fixture's own git so that update is tested independently of install.
    fx.git(&fx.root, &["clone", "-q", &file_url(&r), &s(&dir)]);
    let head = |fx: &Fx| fx.git(&dir, &["rev-parse", "HEAD"]).trim().to_string();

    // T30: new commit upstream, plain update fast-forwards.
    let new_main = repo_commit(&fx, &r, "main", "0.2.1");
    fx.cmd(&["update", name])
        .run()
        .ok("Plugin (smoke-test-plugin) updated\n", 0);
    assert_eq!(head(&fx), new_main, "t30: HEAD = upstream main");
    if upto == 30 {
        return;
    }

    // T31: pin to a tag.
    fx.cmd(&["update", name, "v0.1.0"]).run().ok(
        "Plugin (smoke-test-plugin) updated and pinned to v0.1.0\n",
        0,
    );
    assert_eq!(read(&dir.join(".plugin_committish")), "v0.1.0\n", "t31");
    let v010 = fx
        .git(&r, &["rev-parse", "v0.1.0^{commit}"])
        .trim()
        .to_string();
    assert_eq!(head(&fx), v010, "t31: HEAD at v0.1.0");
    fx.cmd(&["list"])
        .run()
        .ok("  smoke-test-plugin    0.1.0 disabled   smoke test\n", 0);
    if upto == 31 {
        return;
    }

    // T32: plain update while pinned reports the pin.
    fx.cmd(&["update", name])
        .run()
        .ok("Plugin pinned to v0.1.0\n", 0);
    assert_eq!(head(&fx), v010, "t32: still pinned");
    if upto == 32 {
        return;
    }

    // T33: pin to a branch, then a plain update follows that branch.
    fx.cmd(&["update", name, "testing"]).run().ok(
        "Plugin (smoke-test-plugin) updated and pinned to testing\n",
        0,
    );
    assert_eq!(read(&dir.join(".plugin_committish")), "testing\n", "t33");
    assert_eq!(
        read(&dir.join("plugin.toml")),
        smoke_toml("0.3.0-testing"),
        "t33"
    );
    let new_testing = repo_commit(&fx, &r, "testing", "0.3.1-testing");
    fx.cmd(&["update", name])
        .run()
        .ok("Plugin (smoke-test-plugin) updated\n", 0);
    assert_eq!(
        head(&fx),
        new_testing,
        "t33: plain update pulled the branch"
    );
    if upto == 33 {
        return;
    }

    // T34: unknown ref fails with git's status, nothing on stdout.
    fx.cmd(&["update", name, "no-such-ref"]).run().ok("", 1);
    assert_eq!(head(&fx), new_testing, "t34: unchanged");
    if upto == 34 {
        return;
    }

    // T35: safe.directory was added exactly once to the invoking user's global config.
    fx.git_as_user(
        &fx.cwd,
        &["config", "--global", "--get-all", "safe.directory"],
    )
    .ok(&format!("{}/available/smoke-test-plugin\n", fx.p()), 0);
}

#[test]
fn t30_update_pulls_main() {
    update_sequence(30);
}

#[test]
fn t31_update_pin_to_tag() {
    update_sequence(31);
}

#[test]
fn t32_update_while_pinned_reports_pin() {
    update_sequence(32);
}

#[test]
fn t33_update_pin_to_branch_then_follow_it() {
    update_sequence(33);
}

#[test]
fn t34_update_unknown_ref_fails() {
    update_sequence(34);
}

#[test]
fn t35_safe_directory_written_once() {
    update_sequence(35);
}

#[test]
fn t34_update_unreachable_remote_fails() {
    let fx = Fx::new();
    let r = smoke_repo(&fx);
    let dir = fx.avail("smoke-test-plugin");
    fx.git(&fx.root, &["clone", "-q", &file_url(&r), &s(&dir)]);
    fs::rename(&r, fx.root.join("repos/moved")).unwrap();
    let out = fx.cmd(&["update", "smoke-test-plugin"]).run();
    out.stdout_is("");
    assert!(
        out.code() != Some(0),
        "update with a vanished remote must fail"
    );
}
