//! Invocation, dispatch, help blocks, `init` and `.plugn` (spec §2, §4.1, §4.2; §8 T01–T09).

mod common;
use common::*;
use std::fs;

#[test]
fn t01_version_without_plugin_path() {
    let fx = Fx::new();
    let want = format!("plugn: {VERSION}\n");
    for args in [
        &["version"][..],
        &["-v"],
        &["--version"],
        &["version", "foo"],
    ] {
        fx.cmd(args).no_plugin_path().run().ok(&want, 0).err_empty();
    }
}

#[test]
fn t01b_version_with_plugin_path() {
    let fx = Fx::new();
    fx.cmd(&["--version"])
        .run()
        .ok(&format!("plugn: {VERSION}\n"), 0);
}

#[test]
fn t02_plugin_path_missing() {
    let fx = Fx::new();
    for args in [&["list"][..], &[], &["help"], &["trigger", "x"]] {
        fx.cmd(args).no_plugin_path().run().ok(NO_PLUGIN_PATH, 2);
        fx.cmd(args)
            .env("PLUGIN_PATH", "")
            .run()
            .ok(NO_PLUGIN_PATH, 2);
    }
}

#[test]
fn t03_help_block() {
    let fx = Fx::new();
    fx.cmd::<&str>(&[]).run().ok(HELP_BLOCK, 0).err_empty();
    fx.cmd(&["help"]).run().ok(HELP_BLOCK, 0).err_empty();
}

#[test]
fn t04_unknown_command() {
    let fx = Fx::new();
    for cmd in ["nosuch", "--help", "-h"] {
        fx.cmd(&[cmd])
            .run()
            .ok(&format!("No such command: {cmd}\n{HELP_BLOCK}"), 2)
            .err_empty();
    }
}

#[test]
fn t05_config_namespace_block() {
    let fx = Fx::new();
    fx.cmd(&["config"]).run().ok(CONFIG_BLOCK, 0).err_empty();
}

#[test]
fn t06_config_unknown_subcommand() {
    let fx = Fx::new();
    let minus_first = CONFIG_BLOCK.split_once('\n').unwrap().1;
    fx.cmd(&["config", "nosuch"])
        .run()
        .ok(&format!("No such command: nosuch\n{minus_first}"), 2)
        .err_empty();
}

#[test]
fn t07_removed_gateway_commands() {
    let fx = Fx::new();
    for args in [
        &["gateway"][..],
        &["trigger-gateway", "x"],
        &["reload-gateway"],
    ] {
        fx.cmd(args)
            .run()
            .ok(&format!("No such command: {}\n{HELP_BLOCK}", args[0]), 2);
    }
}

#[test]
fn t08_init_new_path() {
    let fx = Fx::bare();
    let p = fx.root.join("new").join("nested");
    let want = format!("Initialized empty Plugn plugin path in {}\n", s(&p));
    fx.cmd(&["init"]).env("PLUGIN_PATH", &p).run().ok(&want, 0);
    assert!(p.join("available").is_dir());
    assert!(p.join("enabled").is_dir());
    assert_eq!(read(&p.join("config.toml")), "");
    // Re-run keeps config.toml content.
    fs::write(p.join("config.toml"), "[x]\n  k = \"v\"\n").unwrap();
    fx.cmd(&["init"]).env("PLUGIN_PATH", &p).run().ok(&want, 0);
    assert_eq!(read(&p.join("config.toml")), "[x]\n  k = \"v\"\n");
    assert!(p.join("available").is_dir() && p.join("enabled").is_dir());
}

#[test]
fn t09_dotplugn_used_when_plugin_path_unset() {
    let fx = Fx::bare();
    fs::write(fx.cwd.join(".plugn"), "plugins").unwrap();
    let p = fx.cwd.join("plugins");
    fx.cmd(&["init"]).no_plugin_path().run().ok(
        &format!("Initialized empty Plugn plugin path in {}\n", s(&p)),
        0,
    );
    assert!(p.join("available").is_dir() && p.join("enabled").is_dir());
    // Empty PLUGIN_PATH counts as unset.
    let fx2 = Fx::bare();
    fs::write(fx2.cwd.join(".plugn"), "plugins").unwrap();
    fx2.cmd(&["init"]).env("PLUGIN_PATH", "").run().ok(
        &format!(
            "Initialized empty Plugn plugin path in {}\n",
            s(&fx2.cwd.join("plugins"))
        ),
        0,
    );
}

/// Fixed Q09: `.plugn` in cwd must not override an explicit PLUGIN_PATH (security, §7.1).
#[test]
fn q09_dotplugn_ignored_when_plugin_path_set() {
    let fx = Fx::bare();
    fs::write(fx.cwd.join(".plugn"), "plugins").unwrap();
    let other = fx.root.join("other");
    fx.cmd(&["init"]).env("PLUGIN_PATH", &other).run().ok(
        &format!("Initialized empty Plugn plugin path in {}\n", s(&other)),
        0,
    );
    assert!(other.join("available").is_dir());
    assert!(
        !fx.cwd.join("plugins").exists(),
        ".plugn must not have been used"
    );
}

/// Fixed Q09: a trailing newline in `.plugn` is stripped.
#[test]
fn q09_dotplugn_trailing_newline_stripped() {
    let fx = Fx::bare();
    fs::write(fx.cwd.join(".plugn"), "plugins\n").unwrap();
    let p = fx.cwd.join("plugins");
    fx.cmd(&["init"]).no_plugin_path().run().ok(
        &format!("Initialized empty Plugn plugin path in {}\n", s(&p)),
        0,
    );
    assert!(p.join("enabled").is_dir());
    assert!(!fx.cwd.join("plugins\n").exists());
}

/// Fixed Q09: a `.plugn` in the cwd of a trigger (e.g. an app's source tree) must not redirect
/// hook lookup when PLUGIN_PATH is set.
#[test]
fn q09_dotplugn_cannot_redirect_trigger() {
    let fx = Fx::new();
    fx.plugin("good");
    fx.hook("good", "pre-build", "echo good");
    let evil = fx.cwd.join("evil");
    write_file(
        &evil.join("available/bad/pre-build"),
        "#!/bin/bash\necho evil\n",
        0o755,
    );
    fs::create_dir_all(evil.join("enabled")).unwrap();
    symlink_to(evil.join("available/bad"), evil.join("enabled/bad"));
    fs::write(fx.cwd.join(".plugn"), "evil").unwrap();
    fx.cmd(&["trigger", "pre-build"]).run().ok("good\n", 0);
}

/// Fixed quirk: `help CMD` prints synopsis + description + empty line, no source dump.
#[test]
fn help_cmd_synopsis_without_source() {
    let fx = Fx::new();
    let cases: &[(&[&str], &str)] = &[
        (&["help", "version"], "version \n  Show version\n\n"),
        (&["help", "install"], "install <url> <name> \n  Install a new plugin from a Git URL\n\n"),
        (&["help", "uninstall"], "uninstall <plugin> \n  Remove plugin from available plugins\n\n"),
        (
            &["help", "update"],
            "update <plugin> <committish> \n  Update plugin and optionally pin to commit/tag/branch\n\n",
        ),
        (&["help", "list"], "list \n  List all local plugins\n\n"),
        (&["help", "trigger"], "trigger <hook> \n  Triggers hook in enabled plugins\n\n"),
        (&["help", "enable"], "enable <plugin> \n  Enable a plugin\n\n"),
        (&["help", "disable"], "disable <plugin> \n  Disable a plugin\n\n"),
        (&["help", "init"], "init \n  Initialize an empty plugin path\n\n"),
        (&["help", "config", "get"], "config-get <plugin> <name> \n  Get plugin configuration\n\n"),
        (
            &["help", "config", "set"],
            "config-set <plugin> <name> <value> \n  Set plugin configuration\n\n",
        ),
        (&["help", "config", "export"], "config-export <plugin> \n  Export plugin configuration\n\n"),
    ];
    for (args, want) in cases {
        fx.cmd(args).run().ok(want, 0);
    }
    // `source`'s synopsis name is `_source` upstream; only the shape is pinned here.
    let out = fx.cmd(&["help", "source"]).run();
    out.code_is(0);
    let text = out.out();
    assert!(
        text.ends_with("\n  Source commands for sourcable plugins\n\n"),
        "{text:?}"
    );
    assert_eq!(text.lines().count(), 3, "{text:?}");
    fx.cmd(&["help", "nosuch"]).run().code_is(0);
}

/// Fixed quirk: dispatch is an exact match on argv[1], not a regex.
#[test]
fn dispatch_exact_match_not_regex() {
    let fx = Fx::new();
    fx.cmd(&["l.st"])
        .run()
        .ok(&format!("No such command: l.st\n{HELP_BLOCK}"), 2);
    let mark = fx.marker("hijack");
    let out = fx.cmd(&["v.*", "touch", &s(&mark)]).run();
    out.ok(&format!("No such command: v.*\n{HELP_BLOCK}"), 2);
    assert!(!mark.exists(), "v.* must not execute its arguments");
    fx.cmd(&["list "])
        .run()
        .ok(&format!("No such command: list \n{HELP_BLOCK}"), 2);
}

/// Fixed quirk: `:::` in the arguments is not hijacked; hooks receive it verbatim.
#[test]
fn dispatch_triple_colon_passed_verbatim() {
    let fx = Fx::new();
    fx.plugin("a");
    fx.hook("a", "h", "printf '[%s]' \"$@\"; echo");
    fx.cmd(&["trigger", "h", ":::", "toml-get", "plugin", "version"])
        .run()
        .ok("[:::][toml-get][plugin][version]\n", 0);
}
