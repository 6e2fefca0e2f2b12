//! Command resolution, global flags, auth, rc files and the ssh command, through the real entry
//! point in an installed temporary root.

use std::fs;
use std::os::unix::fs::symlink;
use std::path::Path;

use dokku_rs_testkit::Root;

const UNKNOWN: &str = " !     `{}` is not a dokku command.\n !     See `dokku help` for a list of available commands.\n";

fn unknown(cmd: &str) -> String {
    UNKNOWN.replace("{}", cmd)
}

/// Lay out a plugin the way the installer lays out core plugins: files under
/// core-plugins/available/<name>, linked into plugins/available and both enabled trees.
/// A real plugin of that name is removed first: its files are links to its binary, which
/// the fake's files would otherwise be written through.
fn fake_core(root: &Root, name: &str, files: &[(&str, &str)]) {
    let lib = root.lib();
    let dir = lib.join("core-plugins/available").join(name);
    for link in [
        lib.join("plugins/enabled").join(name),
        lib.join("plugins/available").join(name),
        lib.join("core-plugins/enabled").join(name),
    ] {
        if fs::symlink_metadata(&link).is_ok() {
            fs::remove_file(&link).unwrap();
        }
    }
    if dir.exists() {
        fs::remove_dir_all(&dir).unwrap();
    }
    for (rel, body) in files {
        root.write_exec(&format!("lib/core-plugins/available/{name}/{rel}"), body);
    }
    fs::write(
        dir.join("plugin.toml"),
        format!(
            "[plugin]\ndescription = \"fake {name}\"\nversion = \"0.38.27\"\n[plugin.config]\n"
        ),
    )
    .unwrap();
    symlink(&dir, lib.join("plugins/available").join(name)).unwrap();
    symlink(&dir, lib.join("core-plugins/enabled").join(name)).unwrap();
    symlink(
        lib.join("plugins/available").join(name),
        lib.join("plugins/enabled").join(name),
    )
    .unwrap();
}

/// A community plugin (a real directory under plugins/available), enabled with plugn.
fn community(root: &Root, name: &str, files: &[(&str, &str)]) {
    for (rel, body) in files {
        root.write_exec(&format!("lib/plugins/available/{name}/{rel}"), body);
    }
    root.plugn(&["enable", name]).ok();
}

/// The repository's bash fixture plugin, copied in as `hello` and enabled.
fn hello(root: &Root) {
    let src = dokku_rs_testkit::repo_root().join("tests/fixtures/community-plugin");
    let dest = root.lib().join("plugins/available/hello");
    copy_dir(&src, &dest);
    root.plugn(&["enable", "hello"]).ok();
}

fn copy_dir(src: &Path, dest: &Path) {
    fs::create_dir_all(dest).unwrap();
    for entry in fs::read_dir(src).unwrap() {
        let entry = entry.unwrap();
        let to = dest.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &to);
        } else {
            fs::copy(entry.path(), &to).unwrap();
        }
    }
}

const ECHO_ARGS: &str = "#!/bin/sh\nprintf '[%s]' \"$@\"; echo\n";

#[test]
fn missing_version_file_fails_like_upstream() {
    let root = Root::new();
    fs::remove_file(root.lib().join("VERSION")).unwrap();
    root.dokku(&["version"])
        .code(1)
        .stdout("")
        .stderr(" !     Unable to determine dokku's version\n");
    fs::write(root.lib().join("STABLE_VERSION"), "1.2.3\n\n").unwrap();
    root.dokku(&["version"])
        .ok()
        .stdout("dokku version 1.2.3\n");
}

#[test]
fn unknown_commands_give_the_two_line_error() {
    let root = Root::new();
    root.dokku(&["fakecommand"])
        .code(1)
        .stdout("")
        .stderr(&unknown("fakecommand"));
    root.dokku(&["apps:", "x"])
        .code(1)
        .stderr(&unknown("apps: x"));
    root.dokku(&["nosuch:cmd", "a b"])
        .code(1)
        .stderr(&unknown("nosuch:cmd a b"));
}

#[test]
fn subcommand_lookup_order() {
    let root = Root::new();
    community(
        &root,
        "tool",
        &[
            ("subcommands/default", "#!/bin/sh\necho default \"$@\"\n"),
            ("subcommands/run", "#!/bin/sh\necho run \"$@\"\n"),
            ("commands", "#!/bin/sh\nexit 10\n"),
        ],
    );
    root.dokku(&["tool"]).ok().stdout("default tool\n");
    root.dokku(&["tool:run", "x", "y z"])
        .ok()
        .stdout("run tool:run x y z\n");
    // A non-executable subcommand is not a match.
    fs::set_permissions(
        root.lib().join("plugins/available/tool/subcommands/run"),
        std::os::unix::fs::PermissionsExt::from_mode(0o644),
    )
    .unwrap();
    root.dokku(&["tool:run"])
        .code(1)
        .stderr(&unknown("tool:run"));
}

#[test]
fn subcommand_exit_status_is_the_commands() {
    let root = Root::new();
    community(
        &root,
        "tool",
        &[(
            "subcommands/fail",
            "#!/bin/sh\necho out; echo err >&2; exit 7\n",
        )],
    );
    root.dokku(&["tool:fail"])
        .code(7)
        .stdout("out\n")
        .stderr("err\n");
}

#[test]
fn commands_fallback_follows_the_exit_10_convention() {
    let root = Root::new();
    let log = root.dir.join("calls");
    let body = |name: &str, code: i32| {
        format!(
            "#!/bin/sh\necho {name} \"$@\" >> {}\nexit {code}\n",
            log.display()
        )
    };
    community(&root, "a-first", &[("commands", &body("a-first", 10))]);
    community(&root, "b-second", &[("commands", &body("b-second", 0))]);
    community(&root, "c-third", &[("commands", &body("c-third", 0))]);
    community(&root, "d-fourth", &[("commands", &body("d-fourth", 3))]);
    community(&root, "e-fifth", &[("commands", &body("e-fifth", 0))]);
    // exit 0 does not stop the loop; the first other failure ends it with its status.
    root.dokku(&["whatever", "arg"]).code(3).stdout("");
    assert_eq!(
        fs::read_to_string(&log).unwrap(),
        "a-first whatever arg\nb-second whatever arg\nc-third whatever arg\nd-fourth whatever arg\n"
    );
}

#[test]
fn core_plugins_get_the_app_inserted_after_the_command() {
    let root = Root::new();
    fake_core(&root, "fakecore", &[("subcommands/show", ECHO_ARGS)]);
    root.dokku(&["fakecore:show", "x"])
        .ok()
        .stdout("[fakecore:show][x]\n");
    root.dokku(&["--app", "my-app", "fakecore:show", "x"])
        .ok()
        .stdout("[fakecore:show][my-app][x]\n");
    root.dokku(&["fakecore:show", "--app", "my-app"])
        .ok()
        .stdout("[fakecore:show][my-app][--app][my-app]\n");
    // Community plugins receive argv untouched.
    community(&root, "comm", &[("subcommands/show", ECHO_ARGS)]);
    root.dokku(&["--app", "my-app", "comm:show", "x"])
        .ok()
        .stdout("[comm:show][x]\n");
}

#[test]
fn aliases_and_directory_renames() {
    let root = Root::new();
    fake_core(
        &root,
        "builder-dockerfile",
        &[("subcommands/report", ECHO_ARGS)],
    );
    fake_core(
        &root,
        "nginx-vhosts",
        &[("subcommands/show-config", ECHO_ARGS)],
    );
    fake_core(
        &root,
        "scheduler-docker-local",
        &[("subcommands/set", ECHO_ARGS)],
    );
    // An alias rewrites the command word too; a rename keeps it.
    root.dokku(&["dockerfile:report", "app"])
        .ok()
        .stdout("[builder-dockerfile:report][app]\n");
    root.dokku(&["docker-local:set", "app", "k", "v"])
        .ok()
        .stdout("[scheduler-docker-local:set][app][k][v]\n");
    root.dokku(&["nginx:show-config", "app"])
        .ok()
        .stdout("[nginx:show-config][app]\n");
}

#[test]
fn global_flags_are_exported_and_stripped_from_the_front() {
    let root = Root::new();
    hello(&root);
    root.dokku(&["--quiet", "--force", "hello:whoami"])
        .ok()
        .stdout(&format!(
            "user={} name=default command=hello:whoami app= flags=--quiet --force\n",
            whoami()
        ));
    root.dokku(&["--app", "web", "--trace", "hello:whoami", "--no-restart"])
        .ok()
        .stdout(&format!(
            "user={} name=default command=hello:whoami app=web flags=--app --trace --no-restart\n",
            whoami()
        ));
    // --rm and friends are plain flags now: stripped when leading, ignored.
    root.dokku(&["--rm", "hello:whoami"])
        .ok()
        .stdout_has("command=hello:whoami ");
}

fn whoami() -> String {
    let out = std::process::Command::new("id")
        .arg("-un")
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

#[test]
fn user_auth_trigger_decides() {
    let root = Root::new();
    hello(&root);
    let log = root.dir.join("auth.log");
    let run = |args: &[&str], name: Option<&str>| {
        let mut cmd = root.command(root.bin("dokku"));
        cmd.args(args).env("HELLO_AUTH_LOG", &log);
        if let Some(n) = name {
            cmd.env("NAME", n);
        }
        dokku_rs_testkit::Run::from(cmd.output().unwrap())
    };
    run(&["hello:whoami"], Some("admin"))
        .ok()
        .stdout_has("name=admin ");
    run(&["hello:whoami", "forbidden"], None)
        .code(1)
        .stdout("")
        .stderr(" !     Access denied\n");
    run(&["help"], None).ok();
    let user = whoami();
    assert_eq!(
        fs::read_to_string(&log).unwrap(),
        format!("auth user={user} name=admin args=hello:whoami\nauth user={user} name=default args=hello:whoami forbidden\nauth user={user} name=default args=help\n")
    );
}

#[test]
fn rc_files_are_sourced_with_bash() {
    let root = Root::new();
    community(
        &root,
        "env",
        &[(
            "subcommands/show",
            "#!/bin/sh\necho \"A=$RC_A B=$RC_B LIB=$DOKKU_LIB_ROOT\"\n",
        )],
    );
    fs::write(root.home().join("dokkurc"), "export RC_A='from dokkurc'\n").unwrap();
    fs::write(
        root.home().join(".dokkurc/b"),
        "export RC_B=\"$RC_A and .dokkurc\"\n",
    )
    .unwrap();
    root.dokku(&["env:show"]).ok().stdout(&format!(
        "A=from dokkurc B=from dokkurc and .dokkurc LIB={}\n",
        root.lib().display()
    ));
    // An entry that cannot be read stops everything with upstream's message.
    let bad = root.home().join(".dokkurc/zz-broken");
    symlink(root.dir.join("missing"), &bad).unwrap();
    root.dokku(&["env:show"])
        .code(1)
        .stdout("")
        .stderr(&format!("Unable to read {} for sourcing\n", bad.display()));
}

#[test]
fn ssh_original_command_is_split_without_a_shell() {
    let root = Root::new();
    community(&root, "comm", &[("subcommands/show", ECHO_ARGS)]);
    let marker = root.dir.join("pwned");
    let m = marker.display();
    let ssh = |command: &str| {
        let mut cmd = root.command(root.bin("dokku"));
        // sshcommand's forced command passes the words of the original command as argv too.
        let words: Vec<&str> = command.split_whitespace().collect();
        cmd.args(&words)
            .env("SSH_ORIGINAL_COMMAND", command)
            .env("NAME", "admin");
        dokku_rs_testkit::Run::from(cmd.output().unwrap())
    };
    ssh(r#"comm:show "a b" 'c d' e\ f"#)
        .ok()
        .stdout("[comm:show][a b][c d][e f]\n");
    ssh(&format!("comm:show x; touch {m}"))
        .ok()
        .stdout(&format!("[comm:show][x;][touch][{m}]\n"));
    ssh(&format!(
        "comm:show $(touch {m}) `touch {m}` && touch {m} | touch {m}"
    ))
    .ok();
    ssh(&format!("comm:show 'x'\ntouch {m}"))
        .ok()
        .stdout(&format!("[comm:show][x][touch][{m}]\n"));
    ssh(&format!("touch {m}"))
        .code(1)
        .stderr(&unknown(&format!("touch {m}")));
    ssh("comm:show 'unterminated")
        .code(1)
        .stderr_has("unmatched single quote");
    assert!(!marker.exists(), "a hostile ssh command ran something");
    // git verbs keep their quotes, as sshd hands them over.
    community(
        &root,
        "gitlike",
        &[(
            "commands",
            "#!/bin/sh\ncase \"$1\" in git-*) printf '[%s]' \"$@\"; echo;; *) exit 10;; esac\n",
        )],
    );
    ssh("git-receive-pack 'my-app'")
        .ok()
        .stdout("[git-receive-pack]['my-app']\n");
}

#[test]
fn help_lists_core_and_community_commands() {
    let root = Root::new();
    hello(&root);
    // Without a terminal the banner is quiet, as upstream.
    let plain = root.dokku(&["help"]);
    plain
        .ok()
        .stdout_has("    hello   A community-style test plugin\n");
    assert!(
        !plain.stdout.contains("Community plugin commands:") && !plain.stdout.contains("Usage:"),
        "{}",
        plain.stdout
    );
    let mut cmd = root.command(root.bin("dokku"));
    cmd.args(["help"]).env("DOKKU_FORCE_TTY", "true");
    let tty = dokku_rs_testkit::Run::from(cmd.output().unwrap());
    assert!(tty.stdout.starts_with(
        "Usage: dokku [--quiet|--trace|--force] COMMAND <app> [command-specific-options]\n\nPrimary help options, type \"dokku COMMAND:help\" for more details, or dokku help --all to see all commands.\n\nCommands:\n\n"
    ), "{}", tty.stdout);
    assert!(
        tty.stdout.ends_with(
            "\nCommunity plugin commands:\n\n    hello   A community-style test plugin\n"
        ),
        "{}",
        tty.stdout
    );
    // --all reaches plugins that check their parent's command line.
    root.dokku(&["help", "--all"])
        .ok()
        .stdout_has("    hello:greet <app>       Greet an app and remember it\n")
        .stdout_has("    hello:whoami            Print who is calling\n");
    root.dokku(&["hello:help"]).ok().stdout_has(
        "Usage: dokku hello[:COMMAND]\n\nA community-style test plugin.\n\nAdditional commands:\n",
    );
    root.dokku(&["hello"])
        .ok()
        .stdout_has("Additional commands:\n");
}

/// Core plugin subcommands run inside the entry point's process; the result must be what
/// exec'ing the plugin's binary gives, byte for byte.
#[test]
fn in_process_subcommands_match_exec() {
    let root = Root::new();
    let exec = |args: &[&str]| {
        let out = root
            .command(root.bin("dokku"))
            .env("DOKKU_RS_EXEC_SUBCOMMANDS", "1")
            .args(args)
            .output()
            .unwrap();
        dokku_rs_testkit::Run::from(out)
    };
    root.dokku(&["apps:create", "one"]).ok();
    exec(&["apps:create", "two"]).ok();
    let cases: &[&[&str]] = &[
        &["config:set", "--no-restart", "one", "A=b c", "Q='x'"],
        &["config:get", "one", "A"],
        &["config:get", "--quoted", "one", "Q"],
        &["config:export", "one"],
        &["config:get", "missing-app", "A"],
        &["apps:list"],
        &["--quiet", "apps:list"],
        &["apps:report", "one"],
        &["domains:report", "one", "--format", "json"],
        &["ports:add", "one", "http:80:5000"],
        &["ports:report", "one"],
        &["ps:scale", "one", "web=x"],
        &["config:set", "one"],
        &["events"],
    ];
    for args in cases {
        let a = root.dokku(args);
        // Undo state changes so the exec'd run starts from the same state.
        if args[0] == "ports:add" {
            root.dokku(&["ports:clear", "one"]).ok();
        }
        let b = exec(args);
        if args[0] == "ports:add" {
            root.dokku(&["ports:clear", "one"]).ok();
        }
        assert_eq!((a.code, &a.stdout, &a.stderr), (b.code, &b.stdout, &b.stderr), "dokku {args:?}");
    }
}

/// The hooks a subcommand fires are children of the entry point itself: no second program
/// was started for the subcommand. With the knob set, they are children of the plugin's
/// binary, as upstream's exec gives.
#[test]
fn subcommands_run_in_the_entry_process() {
    let root = Root::new();
    let log = root.home().join("parents");
    community(
        &root,
        "watcher",
        &[(
            "post-config-update",
            &format!("#!/usr/bin/env bash\nreadlink /proc/$PPID/exe >>'{}'\n", log.display()),
        )],
    );
    root.dokku(&["apps:create", "app"]).ok();
    let _ = fs::remove_file(&log);
    root.dokku(&["config:set", "--no-restart", "app", "A=1"]).ok();
    let out = root
        .command(root.bin("dokku"))
        .env("DOKKU_RS_EXEC_SUBCOMMANDS", "1")
        .args(["config:set", "--no-restart", "app", "A=2"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let parents = fs::read_to_string(&log).unwrap();
    let lines: Vec<&str> = parents.lines().collect();
    assert_eq!(lines.len(), 2, "{parents}");
    assert!(lines[0].ends_with("/dokku"), "{parents}");
    assert!(lines[1].ends_with("/config"), "{parents}");
}

/// A subcommand file that is not the core plugin's binary (an operator's override) is
/// exec'd, never replaced by the linked code.
#[test]
fn replaced_subcommand_files_are_executed() {
    let root = Root::new();
    root.dokku(&["apps:create", "app"]).ok();
    root.write_exec(
        "lib/core-plugins/available/config/subcommands/get",
        "#!/usr/bin/env bash\necho \"override $*\"\n",
    );
    root.dokku(&["config:get", "app", "A"]).ok().stdout("override config:get app A\n");
}
