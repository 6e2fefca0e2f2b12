//! `trace:*` through the real `dokku` entry point in a temporary install.

use std::os::unix::fs::PermissionsExt;

use dokku_rs_testkit::{Root, Run};

const USAGE: &str = "Usage: dokku trace[:COMMAND]\n\nManage trace mode\n\nAdditional commands:\n    trace:off   Disable trace mode\n    trace:on    Enable trace mode\n";

/// A community plugin whose `probe` command prints the DOKKU_TRACE it was given.
fn add_probe(root: &Root) {
    root.write_exec(
        "lib/plugins/available/probe/plugin.toml",
        "[plugin]\ndescription = \"probe\"\nversion = \"0.1.0\"\n[plugin.config]\n",
    );
    root.write_exec(
        "lib/plugins/available/probe/commands",
        "#!/usr/bin/env bash\n[[ \"$1\" == probe ]] || exit \"$DOKKU_NOT_IMPLEMENTED_EXIT\"\necho \"DOKKU_TRACE=${DOKKU_TRACE-unset}\"\n",
    );
    root.plugn(&["enable", "probe"]).ok();
}

#[test]
fn on_and_off_reach_plugins() {
    let root = Root::new();
    add_probe(&root);
    let rc = root.home().join(".dokkurc/DOKKU_TRACE");

    root.dokku(&["probe"]).ok().stdout("DOKKU_TRACE=unset\n");

    root.dokku(&["trace:on"])
        .ok()
        .stdout("-----> Enabling trace mode\n")
        .stderr("");
    assert_eq!(std::fs::read(&rc).unwrap(), b"export DOKKU_TRACE=1\n");
    let mode = std::fs::metadata(&rc).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o644);
    // The entry point sources .dokkurc/* with bash: every plugin now runs traced.
    root.dokku(&["probe"]).ok().stdout("DOKKU_TRACE=1\n");
    root.dokku(&["trace:on"])
        .ok()
        .stdout("-----> Enabling trace mode\n");
    assert_eq!(std::fs::read(&rc).unwrap(), b"export DOKKU_TRACE=1\n");

    root.dokku(&["trace:off"])
        .ok()
        .stdout("-----> Disabling trace mode\n")
        .stderr("");
    assert!(!rc.exists());
    root.dokku(&["probe"]).ok().stdout("DOKKU_TRACE=unset\n");
    // Removing what is not there is fine.
    root.dokku(&["trace:off"])
        .ok()
        .stdout("-----> Disabling trace mode\n");
}

#[test]
fn missing_rc_dir_is_created() {
    let root = Root::new();
    std::fs::remove_dir_all(root.home().join(".dokkurc")).unwrap();
    root.dokku(&["trace:off"])
        .ok()
        .stdout("-----> Disabling trace mode\n");
    assert!(root.home().join(".dokkurc").is_dir());
    std::fs::remove_dir_all(root.home().join(".dokkurc")).unwrap();
    root.dokku(&["trace:on"]).ok();
    assert!(root.home().join(".dokkurc/DOKKU_TRACE").is_file());
}

#[test]
fn help_texts() {
    let root = Root::new();
    root.dokku(&["trace:help"]).ok().stdout(USAGE).stderr("");
    // The bare command (whatever follows it) is the usage too, as upstream's default.
    root.dokku(&["trace"]).ok().stdout(USAGE);
    root.dokku(&["trace", "on"]).ok().stdout(USAGE);
    assert!(!root.home().join(".dokkurc/DOKKU_TRACE").exists());

    let commands = root.lib().join("plugins/enabled/trace/commands");
    let run = |script: &str| {
        Run::from(
            root.command("bash")
                .args(["-c", script, "bash"])
                .arg(&commands)
                .env("DOKKU_NOT_IMPLEMENTED_EXIT", "10")
                .output()
                .unwrap(),
        )
    };
    run("\"$1\" help")
        .ok()
        .stdout("    trace, Manage trace mode\n");
    // `dokku help --all` is recognised from the parent's command line.
    run("\"$1\" help; : --all")
        .ok()
        .stdout("    trace:on, Enable trace mode\n    trace:off, Disable trace mode\n");
    run("\"$1\" trace").code(10).stdout("");
    run("\"$1\" trace:on").code(10).stdout("");
}

#[test]
fn unknown_subcommand() {
    let root = Root::new();
    root.dokku(&["trace:nope"]).code(1).stdout("").stderr(
        " !     `trace:nope` is not a dokku command.\n !     See `dokku help` for a list of available commands.\n",
    );
}
