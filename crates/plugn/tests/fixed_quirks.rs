//! Upstream quirks that this implementation fixes on purpose (spec §7 and the Q rows of §8):
//! name validation (T48, Q49, Q49b, Q56, Q57), verbatim environment (Q55).
//! Q09 lives in cli.rs, Q27 in install.rs, Q47 in config.rs.

mod common;
use common::*;
use std::fs;

/// A tree with plugins a (enabled, git-less) and b (enabled, with hooks writing markers).
fn tree() -> Fx {
    let fx = Fx::new();
    fx.plugin("a");
    fx.plugin("b");
    fx.hook("a", "h", &fx.touch_body("a-h"));
    fx.hook("b", "h", &fx.touch_body("b-h"));
    fs::write(fx.pp.join("config.toml"), "[a]\n  k = \"v\"\n").unwrap();
    fx
}

const BAD_NAMES: &[&str] = &[
    "", ".", "..", "a/b", "../a", "a/..", "/", "..a", "a..", "x/../a",
];

/// Asserts that `args` is refused without any change below the fixture root.
#[track_caller]
fn refused_untouched(fx: &Fx, args: &[&str]) {
    let before = snapshot(&fx.root);
    fx.cmd(args).run().refused();
    assert_eq!(
        snapshot(&fx.root),
        before,
        "plugn {args:?} changed the filesystem"
    );
}

/// Fixed T48: `trigger ""` is an invalid hook name: exit 1, nothing run.
#[test]
fn t48_trigger_empty_hook_refused() {
    let fx = tree();
    refused_untouched(&fx, &["trigger", ""]);
}

#[test]
fn trigger_invalid_hook_names_refused() {
    let fx = tree();
    // Things a path-based hook name could reach.
    fx.hook("a", "sub/h", &fx.touch_body("sub"));
    for bad in [".", "..", "sub/h", "../b/h", "/h", "h/", "a..b"] {
        refused_untouched(&fx, &["trigger", bad, "arg"]);
    }
}

/// Fixed Q49b: path traversal in the hook name is refused; nothing is executed.
#[test]
fn q49b_trigger_path_traversal_refused() {
    let fx = tree();
    let out = fx
        .cmd(&["trigger", "../../../../../../../../bin/echo", "x"])
        .run();
    out.refused();
    let mark = fx.marker("traversal");
    refused_untouched(
        &fx,
        &[
            "trigger",
            "../../../../../../../../usr/bin/touch",
            &s(&mark),
        ],
    );
    assert!(!mark.exists());
}

/// Fixed Q49: a hook name with a space names one file; it is not word-split.
#[test]
fn q49_hook_name_with_space_not_split() {
    let fx = tree();
    fx.hook("a", "my hook", "printf '[%s]' \"$0\" \"$@\"; echo");
    fx.hook("a", "my", "echo WRONG; exit 9");
    fx.cmd(&["trigger", "my hook", "x"])
        .run()
        .ok(&format!("[{}/enabled/a/my hook][x]\n", fx.p()), 0)
        .err_empty();
    // Absent everywhere → nothing runs, exit 0.
    fx.cmd(&["trigger", "no such hook"])
        .run()
        .ok("", 0)
        .err_empty();
}

/// Glob characters in a hook name are literal too.
#[test]
fn hook_name_with_glob_chars_is_literal() {
    let fx = tree();
    fx.hook("a", "h*", "echo star");
    fx.cmd(&["trigger", "h*"]).run().ok("star\n", 0);
    assert!(!fx.marker("a-h").exists() && !fx.marker("b-h").exists());
    fx.cmd(&["trigger", "?"]).run().ok("", 0);
}

/// Fixed Q55: the environment reaches hooks verbatim (checked with /usr/bin/env as the hook).
#[test]
fn q55_environment_passed_verbatim() {
    let fx = tree();
    symlink_to("/usr/bin/env", fx.avail("a").join("showenv"));
    let out = fx
        .cmd(&["trigger", "showenv"])
        .env("FOO", "a\\tb")
        .env("HEX", "\\x41")
        .env("TRAIL", "x\\")
        .env("BAD-NAME", "1")
        .env("SPACEY", " lead and trail ")
        .env("MULTI", "l1\nl2")
        .run();
    out.code_is(0).err_empty();
    let env = out.out();
    let lines: Vec<&str> = env.split('\n').collect();
    for want in [
        "FOO=a\\tb",
        "HEX=\\x41",
        "TRAIL=x\\",
        "BAD-NAME=1",
        "SPACEY= lead and trail ",
        &format!("PLUGN_VERSION={VERSION}"),
        &format!("PLUGIN_PATH={}", fx.p()),
        &format!("HOME={}", s(&fx.home)),
    ] {
        assert!(lines.contains(&want), "hook env lacks {want:?}:\n{env}");
    }
    assert!(
        env.contains("\nMULTI=l1\nl2\n") || env.starts_with("MULTI=l1\nl2\n"),
        "{env}"
    );
    assert!(!env.contains("BASH_ENV="), "no leaked BASH_ENV:\n{env}");
}

/// Q55 with a bash hook: backslash escapes are not interpreted.
#[test]
fn q55_bash_hook_sees_literal_backslashes() {
    let fx = tree();
    fx.hook("a", "foo", "printf '[%s][%s]\\n' \"$FOO\" \"$TRAIL\"");
    fx.cmd(&["trigger", "foo"])
        .env("FOO", "a\\tb")
        .env("TRAIL", "x\\")
        .run()
        .ok("[a\\tb][x\\]\n", 0);
}

/// Fixed Q56: `uninstall` without a name (or with an invalid one) deletes nothing.
#[test]
fn q56_uninstall_without_name_refused() {
    let fx = tree();
    let before = snapshot(&fx.root);
    let out = fx.cmd(&["uninstall"]).run();
    out.stdout_is("").code_is(1);
    assert_eq!(
        snapshot(&fx.root),
        before,
        "uninstall without a name changed the filesystem"
    );
    assert!(fx.avail("a").is_dir() && fx.avail("b").is_dir());
}

#[test]
fn q56_uninstall_invalid_names_refused() {
    let fx = tree();
    // Something `..`-style names could reach.
    write_file(&fx.root.join("victim/file"), "keep\n", 0o644);
    for bad in BAD_NAMES
        .iter()
        .copied()
        .chain(["../../victim", "../enabled"])
    {
        refused_untouched(&fx, &["uninstall", bad]);
    }
}

/// Fixed Q57: enabling twice is idempotent, no self-link inside the plugin.
#[test]
fn q57_enable_twice_no_self_link() {
    let fx = Fx::new();
    fx.mkplugin("p1", "1.0.0", "p1");
    fx.cmd(&["enable", "p1"]).run().ok("", 0);
    fx.cmd(&["enable", "p1"]).run().ok("", 0).err_empty();
    assert!(
        !exists_nofollow(&fx.avail("p1").join("p1")),
        "self-link created"
    );
    assert_eq!(
        s(&fs::read_link(fx.enabled("p1")).unwrap()),
        format!("{}/available/p1", fx.p())
    );
    // Also for a dangling link (enabled but not installed).
    fx.cmd(&["enable", "ghost"]).run().ok("", 0);
    fx.cmd(&["enable", "ghost"]).run().ok("", 0);
    assert_eq!(
        s(&fs::read_link(fx.enabled("ghost")).unwrap()),
        format!("{}/available/ghost", fx.p())
    );
}

#[test]
fn enable_invalid_names_refused() {
    let fx = tree();
    for bad in BAD_NAMES {
        refused_untouched(&fx, &["enable", bad]);
    }
    refused_untouched(&fx, &["enable"]);
}

#[test]
fn disable_invalid_names_refused() {
    let fx = tree();
    for bad in BAD_NAMES.iter().copied().chain(["../enabled/a"]) {
        refused_untouched(&fx, &["disable", bad]);
    }
    let before = snapshot(&fx.root);
    fx.cmd(&["disable"]).run().stdout_is("").code_is(1);
    assert_eq!(snapshot(&fx.root), before);
}

#[test]
fn update_invalid_names_refused() {
    let fx = tree();
    for bad in BAD_NAMES {
        refused_untouched(&fx, &["update", bad]);
        refused_untouched(&fx, &["update", bad, "v0.1.0"]);
    }
    refused_untouched(&fx, &["update"]);
    assert!(!fx.home.join(".gitconfig").exists());
}

#[test]
fn install_invalid_names_refused() {
    let fx = tree();
    let r = smoke_repo(&fx);
    let t = tarballs(&fx);
    // An explicit empty name is left out: like upstream's `${2:-...}` it may mean "derive it".
    for bad in BAD_NAMES.iter().filter(|n| !n.is_empty()) {
        refused_untouched(&fx, &["install", &file_url(&r), bad]);
        refused_untouched(&fx, &["install", &file_url(&t.join("flat.tgz")), bad]);
    }
    // A URL whose last segment yields an empty default name.
    refused_untouched(&fx, &["install", &format!("{}/", file_url(&r))]);
}
