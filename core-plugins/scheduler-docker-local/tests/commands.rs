//! `scheduler-docker-local:*` and the file-based triggers through the real `dokku` entry
//! point (and `plugn trigger`) in a temporary install.

use std::fs;
use std::path::PathBuf;

use dokku_rs_testkit::{Root, Run};

const USAGE: &str = "Usage: dokku scheduler-docker-local[:COMMAND]\n\nManage the docker-local scheduler integration for an app\n\nAdditional commands:\n\
\x20   scheduler-docker-local:report [<app>] [<flag>]                     Displays a scheduler-docker-local report for one or more apps\n\
\x20   scheduler-docker-local:set [<app>|--global] <property> (<value>)   Set or clear a scheduler-docker-local property for an app or globally\n";

fn prop(root: &Root, app: &str, key: &str) -> PathBuf {
    root.lib()
        .join("config/scheduler-docker-local")
        .join(app)
        .join(key)
}

fn read(path: PathBuf) -> Option<String> {
    fs::read_to_string(path).ok()
}

fn trigger(root: &Root, args: &[&str]) -> Run {
    let mut full = vec!["trigger"];
    full.extend_from_slice(args);
    root.plugn(&full)
}

/// Run one of this plugin's hooks directly, so no other plugin's hook of that name runs.
fn hook(root: &Root, args: &[&str]) -> Run {
    let path = root
        .lib()
        .join("core-plugins/available/scheduler-docker-local")
        .join(args[0]);
    Run::from(
        root.command(&path)
            .args(&args[1..])
            .env("PLUGIN_PATH", root.lib().join("plugins"))
            .env(
                "PLUGIN_CORE_AVAILABLE_PATH",
                root.lib().join("core-plugins/available"),
            )
            .output()
            .unwrap(),
    )
}

fn with_app() -> Root {
    let root = Root::new();
    root.dokku(&["apps:create", "web"]).ok();
    root
}

#[test]
fn help_texts() {
    let root = Root::new();
    root.dokku(&["scheduler-docker-local:help"])
        .ok()
        .stdout(USAGE)
        .stderr("");
    root.dokku(&["scheduler-docker-local"]).ok().stdout(USAGE);
    let short = root.dokku(&["help"]);
    short.ok();
    assert!(
        short
            .stdout
            .lines()
            .map(str::trim_end)
            .any(|l| l.starts_with("    scheduler-docker-local ")
                && l.ends_with(" Manage the docker-local scheduler integration for an app")),
        "{}",
        short.stdout
    );
    let all = root.dokku(&["help", "--all"]);
    all.ok();
    assert!(
        all.stdout.lines().map(str::trim_end).any(|l| l
            .starts_with("    scheduler-docker-local:set [<app>|--global] <property> (<value>) ")
            && l.ends_with(
                " Set or clear a scheduler-docker-local property for an app or globally"
            )),
        "{}",
        all.stdout
    );
    root.dokku(&["scheduler-docker-local:nope"]).code(1);
}

#[test]
fn set_and_errors() {
    let root = with_app();
    root.dokku(&["scheduler-docker-local:set", "web", "init-process", "false"])
        .ok()
        .stdout("=====> Setting init-process to false\n")
        .stderr("");
    assert_eq!(
        read(prop(&root, "web", "init-process")).as_deref(),
        Some("false")
    );
    root.dokku(&[
        "scheduler-docker-local:set",
        "--global",
        "parallel-schedule-count",
        "4",
    ])
    .ok()
    .stdout("=====> Setting parallel-schedule-count to 4\n");
    assert_eq!(
        read(prop(&root, "--global", "parallel-schedule-count")).as_deref(),
        Some("4")
    );
    root.dokku(&["scheduler-docker-local:set", "web", "init-process"])
        .ok()
        .stdout("=====> Unsetting init-process\n");
    assert!(!prop(&root, "web", "init-process").exists());
    root.dokku(&[
        "--quiet",
        "scheduler-docker-local:set",
        "web",
        "init-process",
        "true",
    ])
    .ok()
    .stdout("");
    // Errors, in upstream's order; nothing written.
    root.dokku(&["scheduler-docker-local:set", "web", "nope", "x"])
        .code(1)
        .stdout("")
        .stderr(" !     Invalid key specified, valid keys include: init-process, parallel-schedule-count\n");
    root.dokku(&["scheduler-docker-local:set", "web"])
        .code(1)
        .stderr(" !     No key specified\n");
    root.dokku(&["scheduler-docker-local:set", "--global"])
        .code(1)
        .stderr(" !     No key specified\n");
    root.dokku(&["scheduler-docker-local:set", "missing", "init-process", "x"])
        .code(20)
        .stderr(" !     App missing does not exist\n");
    root.dokku(&["scheduler-docker-local:set"])
        .code(20)
        .stderr(" !     App  does not exist\n");
    root.dokku(&["scheduler-docker-local:set", "Bad", "init-process", "x"])
        .code(20)
        .stderr(" !     App Bad does not exist\n");
    assert!(!root
        .lib()
        .join("config/scheduler-docker-local/missing")
        .exists());
    assert!(!prop(&root, "web", "nope").exists());
}

#[test]
fn report_formats() {
    let root = with_app();
    let expected = "=====> web scheduler-docker-local information\n\
\x20      Scheduler docker local computed init process:            true\n\
\x20      Scheduler docker local computed parallel schedule count: 1\n\
\x20      Scheduler docker local global init process:              \n\
\x20      Scheduler docker local global parallel schedule count:   \n\
\x20      Scheduler docker local init process:                     \n\
\x20      Scheduler docker local parallel schedule count:          \n";
    root.dokku(&["scheduler-docker-local:report", "web"])
        .ok()
        .stdout(expected)
        .stderr("");
    root.dokku(&["scheduler-docker-local:report"])
        .ok()
        .stdout(expected);
    trigger(&root, &["report", "web"]).ok().stdout_has(expected);
    root.dokku(&[
        "scheduler-docker-local:set",
        "--global",
        "init-process",
        "false",
    ])
    .ok();
    root.dokku(&[
        "scheduler-docker-local:set",
        "web",
        "parallel-schedule-count",
        "3",
    ])
    .ok();
    root.dokku(&["scheduler-docker-local:report", "web", "--format", "json"])
        .ok()
        .stdout("{\"computed-init-process\":\"false\",\"computed-parallel-schedule-count\":\"3\",\"global-init-process\":\"false\",\"global-parallel-schedule-count\":\"\",\"init-process\":\"\",\"parallel-schedule-count\":\"3\"}\n");
    root.dokku(&[
        "scheduler-docker-local:report",
        "web",
        "--scheduler-docker-local-computed-init-process",
    ])
    .ok()
    .stdout("false\n");
    root.dokku(&["scheduler-docker-local:report", "--global"])
        .ok()
        .stdout(
            "=====> --global scheduler-docker-local information\n\
\x20      Scheduler docker local computed init process:            false\n\
\x20      Scheduler docker local computed parallel schedule count: 1\n\
\x20      Scheduler docker local global init process:              false\n\
\x20      Scheduler docker local global parallel schedule count:   \n",
        );
    root.dokku(&["scheduler-docker-local:report", "web", "--bogus"])
        .code(1)
        .stderr(" !     Invalid flag passed, valid flags: --scheduler-docker-local-computed-init-process, --scheduler-docker-local-computed-parallel-schedule-count, --scheduler-docker-local-global-init-process, --scheduler-docker-local-global-parallel-schedule-count, --scheduler-docker-local-init-process, --scheduler-docker-local-parallel-schedule-count\n");
    root.dokku(&["scheduler-docker-local:report", "missing"])
        .code(20)
        .stderr(" !     App missing does not exist\n");
    root.dokku(&["scheduler-docker-local:report", "web", "-x"])
        .code(2)
        .stderr("Usage of scheduler-docker-local:report:\n      --format string   format: [ stdout | json ] (default \"stdout\")\nunknown shorthand flag: 'x' in -x\n");
}

#[test]
fn deployed_and_cron_triggers() {
    let root = with_app();
    let app_root = root.home().join("web");
    hook(&root, &["scheduler-is-deployed", "docker-local", "web"])
        .code(1)
        .stdout("")
        .stderr("");
    // Other schedulers' apps are not this plugin's business.
    hook(&root, &["scheduler-is-deployed", "k3s", "web"]).ok();
    fs::write(app_root.join("CONTAINER.web.1"), "abc\n").unwrap();
    hook(&root, &["scheduler-is-deployed", "docker-local", "web"]).ok();
    trigger(&root, &["scheduler-is-deployed", "docker-local", "web"]).ok();
    fs::remove_file(app_root.join("CONTAINER.web.1")).unwrap();
    fs::write(app_root.join("CONTAINER"), "abc\n").unwrap();
    hook(&root, &["scheduler-is-deployed", "docker-local", "web"]).ok();
    fs::remove_file(app_root.join("CONTAINER")).unwrap();
    hook(&root, &["scheduler-is-deployed", "docker-local", "missing"]).code(1);
    hook(&root, &["scheduler-is-deployed", "docker-local", "../web"]).code(1);
    hook(&root, &["scheduler-uses-host-cron", "docker-local"])
        .ok()
        .stdout("true\n");
    hook(&root, &["scheduler-uses-host-cron", "k3s"])
        .ok()
        .stdout("");
    // The `logs` command asks through dokku-common, which caches the answer.
    root.dokku(&["logs", "web"])
        .code(1)
        .stderr(" !     App web has not been deployed\n");
    assert_eq!(
        read(root.lib().join("config/common/web/deployed")).as_deref(),
        Some("false")
    );
}

#[test]
fn app_status_without_containers() {
    let root = with_app();
    hook(&root, &["scheduler-app-status", "docker-local", "web"])
        .ok()
        .stdout("0 false\n");
    hook(&root, &["scheduler-app-status", "k3s", "web"])
        .ok()
        .stdout("");
    // Ids docker does not know count as not running.
    fs::write(
        root.home().join("web/CONTAINER.web.1"),
        "dokku-rs-no-such-container\n",
    )
    .unwrap();
    hook(&root, &["scheduler-app-status", "docker-local", "web"])
        .ok()
        .stdout("1 false\n");
}

#[test]
fn lifecycle() {
    let root = with_app();
    let data = root.lib().join("data/scheduler-docker-local");
    assert!(data.join("web").is_dir(), "post-create makes the data dir");
    root.dokku(&["scheduler-docker-local:set", "web", "init-process", "false"])
        .ok();
    fs::write(data.join("web/failed-containers"), "abc web.1\n").unwrap();
    root.dokku(&["apps:clone", "web", "copy"]).ok();
    assert_eq!(
        read(prop(&root, "copy", "init-process")).as_deref(),
        Some("false")
    );
    assert!(data.join("copy").is_dir());
    assert!(!data.join("copy/failed-containers").exists());
    // The clone hook drops container files the new app root holds, at any depth.
    fs::write(root.home().join("copy/CONTAINER.web.1"), "abc").unwrap();
    fs::create_dir_all(root.home().join("copy/refs/heads")).unwrap();
    fs::write(root.home().join("copy/refs/heads/CONTAINER.x"), "abc").unwrap();
    fs::write(root.home().join("copy/CONTAINERS"), "keep").unwrap();
    hook(&root, &["post-app-clone-setup", "web", "copy"]).ok();
    assert!(!root.home().join("copy/CONTAINER.web.1").exists());
    assert!(!root.home().join("copy/refs/heads/CONTAINER.x").exists());
    assert!(root.home().join("copy/CONTAINERS").exists());
    root.dokku(&["apps:rename", "web", "moved"]).ok();
    assert!(!root
        .lib()
        .join("config/scheduler-docker-local/web")
        .exists());
    assert_eq!(
        read(prop(&root, "moved", "init-process")).as_deref(),
        Some("false")
    );
    assert_eq!(
        read(data.join("moved/failed-containers")).as_deref(),
        Some("abc web.1\n")
    );
    assert!(!data.join("web").exists());
    root.dokku(&["--force", "apps:destroy", "moved"]).ok();
    assert!(!root
        .lib()
        .join("config/scheduler-docker-local/moved")
        .exists());
    assert!(!data.join("moved").exists());
    // Bad names never become paths.
    hook(&root, &["post-delete", "../x"]).code(1);
    hook(&root, &["post-create", ""]).code(1);
}

#[test]
fn install_sets_up_directories() {
    let root = with_app();
    fs::remove_dir_all(root.lib().join("data/scheduler-docker-local")).unwrap();
    hook(&root, &["install"]).ok().stdout("").stderr("");
    assert!(root.lib().join("data/scheduler-docker-local").is_dir());
    assert!(root.lib().join("config/scheduler-docker-local").is_dir());
}

#[test]
fn register_retired_writes_the_list() {
    let root = with_app();
    let list = root
        .lib()
        .join("data/scheduler-docker-local/dead-containers");
    hook(&root, &["install"]).ok();
    // No container id: nothing to do.
    hook(&root, &["scheduler-register-retired", "web", ""]).ok();
    assert!(!list.exists());
    let before = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    hook(
        &root,
        &["scheduler-register-retired", "web", "dokku-rs-nope", "30"],
    )
    .ok()
    .stdout("")
    .stderr("");
    let text = read(list.clone()).unwrap();
    let fields: Vec<&str> = text.trim_end().split(' ').collect();
    assert_eq!(&fields[..2], &["web", "dokku-rs-nope"]);
    let due: u64 = fields[2].parse().unwrap();
    assert!(due >= before + 30 && due <= before + 32, "{text}");
    // Listed once only.
    hook(
        &root,
        &["scheduler-register-retired", "web", "dokku-rs-nope"],
    )
    .ok();
    assert_eq!(read(list.clone()).unwrap(), text);
    // Entries not yet due stay; a due entry docker does not know is dropped.
    fs::write(
        &list,
        format!("{text}web dokku-rs-gone 1\nother dokku-rs-other 1\n"),
    )
    .unwrap();
    hook(&root, &["scheduler-retire", "docker-local", "web"])
        .ok()
        .stdout("       Attempting to retire web container dokku-rs-gone\n")
        .stderr("");
    assert_eq!(
        read(list.clone()).unwrap(),
        format!("{text}other dokku-rs-other 1\n")
    );
    hook(&root, &["scheduler-retire"])
        .ok()
        .stdout("       Attempting to retire other container dokku-rs-other\n");
    assert_eq!(read(list).unwrap(), text);
}
