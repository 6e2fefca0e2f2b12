//! `scheduler:*` and the scheduler triggers through the real `dokku` entry point (and `plugn
//! trigger`) in a temporary install: output bytes, exit statuses and stored files.

use std::fs;
use std::path::PathBuf;

use dokku_rs_testkit::{Root, Run};

const USAGE: &str = "Usage: dokku scheduler[:COMMAND]\n\nManage scheduler settings for an app\n\nAdditional commands:\n\
\x20   scheduler:report [<app>] [<flag>]         Displays a scheduler report for one or more apps\n\
\x20   scheduler:set <app> <property> (<value>)  Set or clear a scheduler property for an app\n";

fn prop(root: &Root, app: &str, key: &str) -> PathBuf {
    root.lib().join("config/scheduler").join(app).join(key)
}

fn read(path: PathBuf) -> Option<String> {
    fs::read_to_string(path).ok()
}

fn trigger(root: &Root, args: &[&str]) -> Run {
    let mut full = vec!["trigger"];
    full.extend_from_slice(args);
    root.plugn(&full)
}

fn with_app() -> Root {
    let root = Root::new();
    root.dokku(&["apps:create", "web"]).ok();
    root
}

#[test]
fn help_texts() {
    let root = Root::new();
    root.dokku(&["scheduler"]).ok().stdout(USAGE).stderr("");
    root.dokku(&["scheduler:help"])
        .ok()
        .stdout(USAGE)
        .stderr("");
    let short = root.dokku(&["help"]);
    short.ok();
    assert!(
        short
            .stdout
            .lines()
            .map(str::trim_end)
            .any(|l| l.starts_with("    scheduler ")
                && l.ends_with(" Manage scheduler settings for an app")),
        "{}",
        short.stdout
    );
    let all = root.dokku(&["help", "--all"]);
    all.ok();
    assert!(
        all.stdout.lines().map(str::trim_end).any(|l| l
            .starts_with("    scheduler:set <app> <property> (<value>) ")
            && l.ends_with(" Set or clear a scheduler property for an app")),
        "{}",
        all.stdout
    );
}

#[test]
fn set_and_unset() {
    let root = with_app();
    root.dokku(&["scheduler:set", "web", "selected", "null"])
        .ok()
        .stdout("=====> Setting selected to null\n")
        .stderr("");
    assert_eq!(
        read(prop(&root, "web", "selected")).as_deref(),
        Some("null")
    );
    root.dokku(&["scheduler:set", "--global", "shell", "/bin/sh"])
        .ok()
        .stdout("=====> Setting shell to /bin/sh\n");
    assert_eq!(
        read(prop(&root, "--global", "shell")).as_deref(),
        Some("/bin/sh")
    );
    // `--global` may come anywhere, as pflag allows.
    root.dokku(&["scheduler:set", "selected", "k3s", "--global"])
        .ok()
        .stdout("=====> Setting selected to k3s\n");
    assert_eq!(
        read(prop(&root, "--global", "selected")).as_deref(),
        Some("k3s")
    );
    root.dokku(&["scheduler:set", "web", "selected"])
        .ok()
        .stdout("=====> Unsetting selected\n");
    assert!(!prop(&root, "web", "selected").exists());
    // Unsetting what is not set is fine.
    root.dokku(&["scheduler:set", "web", "shell"])
        .ok()
        .stdout("=====> Unsetting shell\n");
    // Quiet output hides the message.
    root.dokku(&["--quiet", "scheduler:set", "web", "shell", "/bin/zsh"])
        .ok()
        .stdout("");
    assert_eq!(
        read(prop(&root, "web", "shell")).as_deref(),
        Some("/bin/zsh")
    );
}

#[test]
fn set_errors_write_nothing() {
    let root = with_app();
    let before = root.lib().join("config/scheduler/web");
    let list = |p: &PathBuf| fs::read_dir(p).map(|d| d.count()).unwrap_or(0);
    root.dokku(&["scheduler:set", "web", "nope", "x"])
        .code(1)
        .stdout("")
        .stderr(" !     Invalid property specified, valid properties include: selected, shell\n");
    root.dokku(&["scheduler:set", "web"])
        .code(1)
        .stderr(" !     No property specified\n");
    root.dokku(&["scheduler:set", "--global"])
        .code(1)
        .stderr(" !     Property cannot be specified globally\n");
    root.dokku(&["scheduler:set", "--global", "nope", "x"])
        .code(1)
        .stderr(" !     Property cannot be specified globally\n");
    root.dokku(&["scheduler:set", "missing", "selected", "x"])
        .code(20)
        .stderr(" !     App missing does not exist\n");
    root.dokku(&["scheduler:set"])
        .code(1)
        .stderr(" !     Please specify an app to run the command on\n");
    root.dokku(&["scheduler:set", "Bad_Name", "selected", "x"])
        .code(1)
        .stderr(" !     App name must begin with lowercase alphanumeric character, and may only contain lowercase alphanumerics, dots, and hyphens\n");
    root.dokku(&["scheduler:set", "web", "selected", "x", "--nope"])
        .code(2)
        .stdout("")
        .stderr("Usage of scheduler:set:\n      --global   --global: set a global property\nunknown flag: --nope\n");
    assert_eq!(list(&before), 0);
    assert!(!root.lib().join("config/scheduler/missing").exists());
}

#[test]
fn report_text_json_and_flags() {
    let root = with_app();
    let expected = "=====> web scheduler information\n\
\x20      Scheduler computed selected:   docker-local\n\
\x20      Scheduler computed shell:      \n\
\x20      Scheduler global selected:     \n\
\x20      Scheduler global shell:        \n\
\x20      Scheduler selected:            \n\
\x20      Scheduler shell:               \n";
    root.dokku(&["scheduler:report", "web"])
        .ok()
        .stdout(expected)
        .stderr("");
    // Without an app: every app.
    root.dokku(&["scheduler:report"]).ok().stdout(expected);
    root.dokku(&["scheduler:set", "--global", "selected", "k3s"])
        .ok();
    root.dokku(&["scheduler:set", "--global", "shell", "/bin/sh"])
        .ok();
    root.dokku(&["scheduler:report", "web", "--scheduler-computed-selected"])
        .ok()
        .stdout("k3s\n");
    root.dokku(&["scheduler:report", "web", "--scheduler-computed-shell"])
        .ok()
        .stdout("/bin/sh\n");
    root.dokku(&["scheduler:set", "web", "selected", "null"])
        .ok();
    root.dokku(&["scheduler:report", "web", "--format", "json"])
        .ok()
        .stdout("{\"computed-selected\":\"null\",\"computed-shell\":\"/bin/sh\",\"global-selected\":\"k3s\",\"global-shell\":\"/bin/sh\",\"scheduler-computed-selected\":\"null\",\"scheduler-computed-shell\":\"/bin/sh\",\"scheduler-global-selected\":\"k3s\",\"scheduler-global-shell\":\"/bin/sh\",\"scheduler-selected\":\"null\",\"scheduler-shell\":\"\",\"selected\":\"null\",\"shell\":\"\"}\n");
    root.dokku(&["scheduler:report", "--global"]).ok().stdout(
        "=====> --global scheduler information\n\
\x20      Scheduler computed selected:   k3s\n\
\x20      Scheduler computed shell:      /bin/sh\n\
\x20      Scheduler global selected:     k3s\n\
\x20      Scheduler global shell:        /bin/sh\n",
    );
    root.dokku(&["scheduler:report", "web", "--nope"])
        .code(1)
        .stderr(" !     Invalid flag passed, valid flags: --scheduler-computed-selected, --scheduler-computed-shell, --scheduler-global-selected, --scheduler-global-shell, --scheduler-selected, --scheduler-shell\n");
    root.dokku(&["scheduler:report", "missing"])
        .code(20)
        .stderr(" !     App missing does not exist\n");
    root.dokku(&["scheduler:report", "web", "--format", "xml"])
        .code(1)
        .stderr(" !     Format must be \"stdout\" or \"json\": \"xml\"\n");
}

#[test]
fn report_without_apps_warns() {
    let root = Root::new();
    root.dokku(&["scheduler:report"])
        .ok()
        .stdout("")
        .stderr(" !     You haven't deployed any applications yet\n");
}

#[test]
fn scheduler_detect_as_callers_call_it() {
    let root = with_app();
    trigger(&root, &["scheduler-detect", "web"])
        .ok()
        .stdout("docker-local\n");
    trigger(&root, &["scheduler-detect", "--global"])
        .ok()
        .stdout("docker-local\n");
    root.dokku(&["scheduler:set", "--global", "selected", "k3s"])
        .ok();
    trigger(&root, &["scheduler-detect", "web"])
        .ok()
        .stdout("k3s\n");
    root.dokku(&["scheduler:set", "web", "selected", "null"])
        .ok();
    trigger(&root, &["scheduler-detect", "web"])
        .ok()
        .stdout("null\n");
    trigger(&root, &["scheduler-detect", "--global"])
        .ok()
        .stdout("k3s\n");
    // An app that does not exist falls back to the global value, as upstream.
    trigger(&root, &["scheduler-detect", "other"])
        .ok()
        .stdout("k3s\n");
    // The `common` helper the bash API uses goes through the trigger.
    let common = root.lib().join("core-plugins/available/common/common");
    let out = Run::from(
        root.command(&common)
            .args(["--quiet", "scheduler-detect", "web"])
            .env("PLUGIN_PATH", root.lib().join("plugins"))
            .output()
            .unwrap(),
    );
    out.ok();
    assert_eq!(out.stdout.trim(), "null");
}

#[test]
fn lifecycle_clone_rename_destroy() {
    let root = with_app();
    root.dokku(&["scheduler:set", "web", "selected", "null"])
        .ok();
    root.dokku(&["scheduler:set", "web", "shell", "/bin/sh"])
        .ok();
    root.dokku(&["apps:clone", "web", "copy"]).ok();
    assert_eq!(
        read(prop(&root, "copy", "selected")).as_deref(),
        Some("null")
    );
    assert_eq!(
        read(prop(&root, "copy", "shell")).as_deref(),
        Some("/bin/sh")
    );
    root.dokku(&["apps:rename", "copy", "moved"]).ok();
    assert!(!root.lib().join("config/scheduler/copy").exists());
    assert_eq!(
        read(prop(&root, "moved", "selected")).as_deref(),
        Some("null")
    );
    root.dokku(&["--force", "apps:destroy", "moved"]).ok();
    assert!(!root.lib().join("config/scheduler/moved").exists());
    assert_eq!(
        read(prop(&root, "web", "selected")).as_deref(),
        Some("null")
    );
    // The report trigger prints the app's report.
    trigger(&root, &["report", "web"])
        .ok()
        .stdout_has("       Scheduler selected:            null\n");
}

#[test]
fn install_migrates_legacy_variables() {
    let root = with_app();
    root.dokku(&["config:set", "--no-restart", "web", "DOKKU_SCHEDULER=null"])
        .ok();
    root.dokku(&["config:set", "--global", "DOKKU_APP_SHELL=/bin/ash"])
        .ok();
    let out = root.plugn(&["trigger", "install"]);
    out.ok();
    assert_eq!(
        read(prop(&root, "web", "selected")).as_deref(),
        Some("null")
    );
    assert_eq!(
        read(prop(&root, "--global", "shell")).as_deref(),
        Some("/bin/ash")
    );
    assert!(out.stdout.contains("-----> Migrating deprecated DOKKU_SCHEDULER to scheduler selected property for web. Use 'dokku scheduler:set web selected <value>' to manage this going forward.\n"), "{}", out.stdout);
    assert!(out.stdout.contains("-----> Migrating deprecated global DOKKU_APP_SHELL to scheduler shell property. Use 'dokku scheduler:set --global shell <value>' to manage this going forward.\n"), "{}", out.stdout);
    root.dokku(&["config:get", "web", "DOKKU_SCHEDULER"])
        .code(1);
    root.dokku(&["config:get", "--global", "DOKKU_APP_SHELL"])
        .code(1);
}
