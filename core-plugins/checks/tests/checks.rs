//! `checks:*` and the checks triggers through the real `dokku` entry point (and `plugn
//! trigger`) in a temporary install: output bytes, exit statuses and stored files.

use std::fs;
use std::path::PathBuf;

use dokku_rs_testkit::{Root, Run};

const USAGE: &str = "Usage: dokku checks[:COMMAND]\n\nManage zero-downtime settings\n\nAdditional commands:\n\
\x20   checks:disable <app> [process-type(s)]      Disable zero-downtime deployment for all processes (or comma-separated process-type list) ***WARNING: this will cause downtime during deployments***\n\
\x20   checks:enable <app> [process-type(s)]       Enable zero-downtime deployment for all processes (or comma-separated process-type list)\n\
\x20   checks:report [<app>] [<flag>]              Displays a checks report for one or more apps\n\
\x20   checks:run <app> [process-type(s)]          Runs zero-downtime checks for all processes (or comma-separated process-type list)\n\
\x20   checks:set [--global|<app>] <key> <value>   Set or clear a logs property for an app\n\
\x20   checks:skip <app> [process-type(s)]         Skip zero-downtime checks for all processes (or comma-separated process-type list)\n";

fn prop(root: &Root, app: &str, key: &str) -> PathBuf {
    root.lib().join("config/checks").join(app).join(key)
}

fn read(root: &Root, app: &str, key: &str) -> Option<String> {
    fs::read_to_string(prop(root, app, key)).ok()
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

/// `(disabled, skipped)` as stored.
fn state(root: &Root) -> (Option<String>, Option<String>) {
    (read(root, "web", "disabled"), read(root, "web", "skipped"))
}

fn some(s: &str) -> Option<String> {
    Some(s.to_string())
}

#[test]
fn help_texts() {
    let root = Root::new();
    root.dokku(&["checks:help"]).ok().stdout(USAGE).stderr("");
    root.dokku(&["checks"]).ok().stdout(USAGE).stderr("");
    let short = root.dokku(&["help"]);
    short.ok();
    assert!(
        short.stdout.lines().any(|l| l.starts_with("    checks ")
            && l.trim_end().ends_with(" Manage zero-downtime settings")),
        "{}",
        short.stdout
    );
    let all = root.dokku(&["help", "--all"]);
    all.ok();
    assert!(
        all.stdout.lines().map(str::trim_end).any(|l| l.starts_with("    checks:skip <app> [process-type(s)] ")
            && l.ends_with(" Skip zero-downtime checks for all processes (or comma-separated process-type list)")),
        "{}",
        all.stdout
    );
}

#[test]
fn disable_skip_enable_all() {
    let root = with_app();
    root.dokku(&["checks:disable", "web"])
        .ok()
        .stdout("-----> Disabling zero downtime for app (web)\n")
        .stderr("");
    assert_eq!(state(&root), (some("_all_"), None));
    root.dokku(&["checks:skip", "web"])
        .ok()
        .stdout("-----> Skipping zero downtime for app (web)\n");
    assert_eq!(state(&root), (None, some("_all_")));
    root.dokku(&["checks:enable", "web"])
        .ok()
        .stdout("-----> Enabling zero downtime for app's (web)\n");
    assert_eq!(state(&root), (None, None));
    // `_all_` given explicitly is the same as nothing.
    root.dokku(&["checks:disable", "web", "_all_"])
        .ok()
        .stdout("-----> Disabling zero downtime for app (web)\n");
    assert_eq!(state(&root), (some("_all_"), None));
}

#[test]
fn per_process_type_lists() {
    let root = with_app();
    root.dokku(&["checks:disable", "web", "web,worker"])
        .ok()
        .stdout("-----> Disabling zero downtime for app's (web) proctypes (web,worker)\n");
    assert_eq!(state(&root), (some("web,worker"), None));
    root.dokku(&["checks:skip", "web", "worker,cron"])
        .ok()
        .stdout("-----> Skipping zero downtime for app's (web) proctypes (worker,cron)\n");
    assert_eq!(
        state(&root),
        (
            some("web"),
            some("cron,worker")
                .filter(|_| false)
                .or(some("worker,cron"))
        )
    );
    root.dokku(&["checks:disable", "web", "web"]).ok();
    assert_eq!(state(&root), (some("web"), some("worker,cron")));
    root.dokku(&["checks:enable", "web", "worker"])
        .ok()
        .stdout("-----> Enabling zero downtime for app's (web) proctypes (worker)\n");
    assert_eq!(state(&root), (some("web"), some("cron")));
    root.dokku(&["checks:enable", "web", "web,cron"]).ok();
    assert_eq!(state(&root), (None, None));
    // One process type out of `_all_`: upstream keeps only that one.
    root.dokku(&["checks:disable", "web"]).ok();
    root.dokku(&["checks:disable", "web", "worker"]).ok();
    assert_eq!(state(&root), (some("worker"), None));
    // Removal is by substring, as upstream's bash does it.
    root.dokku(&["checks:disable", "web", "web,webhook"]).ok();
    assert_eq!(state(&root), (some("worker,web,webhook"), None));
    root.dokku(&["checks:enable", "web", "web"]).ok();
    assert_eq!(state(&root), (some("worker,hook"), None));
    root.dokku(&["checks:report", "web", "--checks-disabled-list"])
        .ok()
        .stdout("worker,hook\n");
    trigger(&root, &["checks-get-property", "web", "wait-to-retire"])
        .ok()
        .stdout("60\n");
}

#[test]
fn command_errors() {
    let root = with_app();
    for cmd in [
        "checks:disable",
        "checks:enable",
        "checks:skip",
        "checks:run",
    ] {
        root.dokku(&[cmd, "missing"])
            .code(20)
            .stdout("")
            .stderr(" !     App missing does not exist\n");
        root.dokku(&[cmd])
            .code(20)
            .stderr(" !     App  does not exist\n");
        root.dokku(&[cmd, "Bad_App"])
            .code(20)
            .stderr(" !     App Bad_App does not exist\n");
    }
    assert!(!root.lib().join("config/checks/missing").exists());
    root.dokku(&["checks:nope"]).code(1);
}

#[test]
fn set_wait_to_retire() {
    let root = with_app();
    root.dokku(&["checks:set", "web", "wait-to-retire", "30"])
        .ok()
        .stdout("=====> Setting wait-to-retire to 30\n")
        .stderr("");
    assert_eq!(read(&root, "web", "wait-to-retire"), some("30"));
    root.dokku(&["checks:set", "--global", "wait-to-retire", "90"])
        .ok()
        .stdout("=====> Setting wait-to-retire to 90\n");
    trigger(&root, &["checks-get-property", "web", "wait-to-retire"])
        .ok()
        .stdout("30\n");
    root.dokku(&["checks:set", "web", "wait-to-retire"])
        .ok()
        .stdout("=====> Unsetting wait-to-retire\n");
    trigger(&root, &["checks-get-property", "web", "wait-to-retire"])
        .ok()
        .stdout("90\n");
    trigger(&root, &["checks-get-property", "web", "other"])
        .code(1)
        .stdout("")
        .stderr("");
    root.dokku(&["checks:set", "web", "disabled", "x"])
        .code(1)
        .stderr(" !     Invalid key specified, valid keys include: wait-to-retire\n");
    root.dokku(&["checks:set", "web"])
        .code(1)
        .stderr(" !     No key specified\n");
    root.dokku(&["checks:set", "--global"])
        .code(1)
        .stderr(" !     No key specified\n");
    root.dokku(&["checks:set", "missing", "wait-to-retire", "5"])
        .code(20)
        .stderr(" !     App missing does not exist\n");
    assert!(!prop(&root, "web", "disabled").exists());
}

#[test]
fn report_formats() {
    let root = with_app();
    let expected = "=====> web checks information\n\
\x20      Checks computed wait to retire: 60\n\
\x20      Checks disabled list:           none\n\
\x20      Checks global wait to retire:   \n\
\x20      Checks skipped list:            none\n\
\x20      Checks wait to retire:          \n";
    root.dokku(&["checks:report", "web"])
        .ok()
        .stdout(expected)
        .stderr("");
    root.dokku(&["checks:report"]).ok().stdout(expected);
    trigger(&root, &["report", "web"]).ok().stdout_has(expected);
    root.dokku(&["checks:skip", "web", "worker"]).ok();
    root.dokku(&["checks:set", "--global", "wait-to-retire", "15"])
        .ok();
    root.dokku(&["checks:report", "web", "--format", "json"])
        .ok()
        .stdout("{\"computed-wait-to-retire\":\"15\",\"disabled-list\":\"none\",\"global-wait-to-retire\":\"15\",\"skipped-list\":\"worker\",\"wait-to-retire\":\"\"}\n");
    root.dokku(&["checks:report", "--global"]).ok().stdout(
        "=====> --global checks information\n\
\x20      Checks computed wait to retire: 15\n\
\x20      Checks global wait to retire:   15\n",
    );
    root.dokku(&["checks:report", "web", "--checks-nope"])
        .code(1)
        .stderr(" !     Invalid flag passed, valid flags: --checks-computed-wait-to-retire, --checks-disabled-list, --checks-global-wait-to-retire, --checks-skipped-list, --checks-wait-to-retire\n");
    root.dokku(&["checks:report", "missing"])
        .code(20)
        .stderr(" !     App missing does not exist\n");
}

#[test]
fn lifecycle() {
    let root = with_app();
    root.dokku(&["checks:disable", "web", "worker"]).ok();
    root.dokku(&["checks:set", "web", "wait-to-retire", "5"])
        .ok();
    root.dokku(&["apps:clone", "web", "copy"]).ok();
    assert_eq!(read(&root, "copy", "disabled"), some("worker"));
    root.dokku(&["apps:rename", "copy", "moved"]).ok();
    assert!(!root.lib().join("config/checks/copy").exists());
    assert_eq!(read(&root, "moved", "wait-to-retire"), some("5"));
    root.dokku(&["--force", "apps:destroy", "moved"]).ok();
    assert!(!root.lib().join("config/checks/moved").exists());
    assert_eq!(read(&root, "web", "disabled"), some("worker"));
}

#[test]
fn install_migrates_legacy_variables() {
    let root = Root::new();
    root.dokku(&["apps:create", "web"]).ok();
    root.dokku(&["apps:create", "api"]).ok();
    root.dokku(&[
        "config:set",
        "--no-restart",
        "web",
        "DOKKU_SKIP_ALL_CHECKS=true",
        "DOKKU_CHECKS_WAIT=7",
    ])
    .ok();
    root.dokku(&[
        "config:set",
        "--no-restart",
        "api",
        "DOKKU_CHECKS_ENABLED=0",
    ])
    .ok();
    root.dokku(&["config:set", "--global", "DOKKU_WAIT_TO_RETIRE=120"])
        .ok();
    let hook = root.lib().join("core-plugins/available/checks/install");
    let out = Run::from(
        root.command(&hook)
            .env("PLUGIN_PATH", root.lib().join("plugins"))
            .output()
            .unwrap(),
    );
    out.ok();
    assert!(out.stdout.contains("-----> Migrating DOKKU_SKIP_ALL_CHECKS to checks disabled property for web. Use 'dokku checks:set web disabled <value>' to manage this going forward.\n"), "{}", out.stdout);
    assert!(out.stdout.contains("-----> Migrating DOKKU_CHECKS_ENABLED to checks skipped property for api. Use 'dokku checks:set api skipped <value>' to manage this going forward.\n"), "{}", out.stdout);
    assert_eq!(read(&root, "web", "disabled"), some("_all_"));
    assert_eq!(read(&root, "api", "skipped"), some("_all_"));
    assert_eq!(read(&root, "web", "wait"), some("7"));
    assert_eq!(read(&root, "--global", "wait-to-retire"), some("120"));
    root.dokku(&["config:get", "web", "DOKKU_SKIP_ALL_CHECKS"])
        .code(1);
    root.dokku(&["config:get", "api", "DOKKU_CHECKS_ENABLED"])
        .code(1);
    root.dokku(&["config:get", "web", "DOKKU_CHECKS_WAIT"])
        .code(1);
    // A second run finds nothing to do.
    let again = Run::from(
        root.command(&hook)
            .env("PLUGIN_PATH", root.lib().join("plugins"))
            .output()
            .unwrap(),
    );
    again.ok();
    assert!(!again.stdout.contains("Migrating"), "{}", again.stdout);
}

#[test]
fn run_without_containers() {
    let root = with_app();
    // Process types come from the ps plugin's `ps-current-scale` (its `scale` property); a
    // recorder plugin answers `ports-get` and records `check-deploy`.
    root.write_exec(
        "lib/plugins/available/recorder/plugin.toml",
        "[plugin]\ndescription = \"r\"\nversion = \"0.1.0\"\n[plugin.config]\n",
    );
    root.write_exec(
        "lib/plugins/available/recorder/ports-get",
        "#!/usr/bin/env bash\nprintf 'http:80:5000\\nudp:53:53\\nhttps:443:5001\\n'\n",
    );
    root.write_exec(
        "lib/plugins/available/recorder/check-deploy",
        "#!/usr/bin/env bash\n# The ip (5th argument) comes from the network plugin.\necho \"check-deploy $1 $2 $3 $4 ($#)\"\n[[ \"$3\" != fail ]]\n",
    );
    root.plugn(&["enable", "recorder"]).ok();
    fs::write(root.lib().join("config/ps/web/scale"), "web=1\nworker=0\n").unwrap();
    root.dokku(&["checks:run", "web"])
        .code(1)
        .stdout("-----> Running pre-flight checks\n")
        .stderr(" !     Invalid container index specified (web.web.1)\n");
    root.dokku(&["checks:run", "web", "cron"])
        .code(1)
        .stderr(" !     Invalid process type specified (web.cron)\n");
    root.dokku(&["checks:disable", "web", "web"]).ok();
    root.dokku(&["checks:run", "web"])
        .ok()
        .stdout("-----> Running pre-flight checks\n-----> Zero downtime is disabled for app (web.web). Skipping checks\n")
        .stderr("");
    root.dokku(&["checks:enable", "web"]).ok();
    fs::write(root.home().join("web/CONTAINER.web.1"), "abc123\n").unwrap();
    root.dokku(&["checks:run", "web"])
        .ok()
        .stdout("-----> Running pre-flight checks\n-----> Running checks for app (web.web.1)\ncheck-deploy web abc123 web 5001 (5)\n");
    root.dokku(&["checks:run", "web", "web.1"])
        .ok()
        .stdout("-----> Running pre-flight checks\n-----> Running checks for app (web.web.1)\ncheck-deploy web abc123 web 5001 (5)\n");
    root.dokku(&["checks:run", "web", "web.2"])
        .code(1)
        .stderr(" !     Invalid container index specified (web.web.2)\n");
    fs::write(root.lib().join("config/ps/web/scale"), "fail=1\n").unwrap();
    fs::write(root.home().join("web/CONTAINER.fail.1"), "def\n").unwrap();
    root.dokku(&["checks:run", "web"])
        .code(1)
        .stdout_has("check-deploy web def fail 5001 (5)\n");
}
