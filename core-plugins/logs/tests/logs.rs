//! `logs`, `logs:*` and the logs triggers through the real `dokku` entry point (and `plugn
//! trigger`) in a temporary install: output bytes, exit statuses, stored files and the
//! generated vector config.

use std::fs;
use std::path::PathBuf;

use dokku_rs_testkit::{Root, Run};

const USAGE: &str = "Usage: dokku logs[:COMMAND]\n\nManage log integration for an app\n\nAdditional commands:\n\
\x20   logs [-h|--help] [-t|--tail] [-n|--num num] [-q|--quiet] [-p|--ps process] <app>  Display recent log output\n\
\x20   logs:failed [--all|<app>]                                                         Shows the last failed deploy logs\n\
\x20   logs:report [<app>] [<flag>]                                                      Displays a logs report for one or more apps\n\
\x20   logs:set [--global|<app>] <key> <value>                                           Set or clear a logs property for an app\n\
\x20   logs:vector-logs [--num num] [--tail]                                             Display vector log output\n\
\x20   logs:vector-start                                                                 Start the vector logging container\n\
\x20   logs:vector-stop                                                                  Stop the vector logging container\n";

const FLAG_USAGE: &str = "Usage of logs:\n\
\x20 -h, --help        print help for the command\n\
\x20 -n, --num int     the number of lines to display (default 100)\n\
\x20 -p, --ps string   only display logs from the given process\n\
\x20 -q, --quiet       display raw logs without colors, time and names\n\
\x20 -t, --tail        continually stream logs\n";

const BLACKHOLE: &str = "{\n  \"sources\": {\n    \"docker-null-source\": {\n      \"type\": \"docker_logs\",\n      \"include_labels\": [\n        \"com.dokku.vector-null\"\n      ]\n    }\n  },\n  \"sinks\": {\n    \"docker-null-sink\": {\n      \"inputs\": [\n        \"docker-null-source\"\n      ],\n      \"print_interval_secs\": 1,\n      \"type\": \"blackhole\"\n    }\n  }\n}";

fn prop(root: &Root, app: &str, key: &str) -> PathBuf {
    root.lib().join("config/logs").join(app).join(key)
}

fn read(path: PathBuf) -> Option<String> {
    fs::read_to_string(path).ok()
}

fn vector_json(root: &Root) -> Option<String> {
    read(root.lib().join("data/logs/vector.json"))
}

fn trigger(root: &Root, args: &[&str]) -> Run {
    let mut full = vec!["trigger"];
    full.extend_from_slice(args);
    root.plugn(&full)
}

/// Run one of this plugin's hooks directly, with `stdin`.
fn hook(root: &Root, args: &[&str], stdin: &[u8]) -> Run {
    use std::io::Write;
    let path = root.lib().join("core-plugins/available/logs").join(args[0]);
    let mut child = root
        .command(&path)
        .args(&args[1..])
        .env("PLUGIN_PATH", root.lib().join("plugins"))
        .env(
            "PLUGIN_CORE_AVAILABLE_PATH",
            root.lib().join("core-plugins/available"),
        )
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    Run::from(child.wait_with_output().unwrap())
}

/// A root where `install` ran (the data directory vector.json lives in) and `web` exists.
fn with_app() -> Root {
    let root = Root::new();
    hook(&root, &["install"], b"").ok();
    root.dokku(&["apps:create", "web"]).ok();
    root
}

#[test]
fn help_texts() {
    let root = Root::new();
    root.dokku(&["logs:help"]).ok().stdout(USAGE).stderr("");
    root.dokku(&["logs", "-h"]).ok().stdout(USAGE).stderr("");
    root.dokku(&["logs", "--help"]).ok().stdout(USAGE);
    let short = root.dokku(&["help"]);
    short.ok();
    assert!(
        short.stdout.lines().any(|l| l.starts_with("    logs ")
            && l.trim_end().ends_with(" Manage log integration for an app")),
        "{}",
        short.stdout
    );
    let all = root.dokku(&["help", "--all"]);
    all.ok();
    assert!(
        all.stdout
            .lines()
            .map(str::trim_end)
            .any(|l| l.starts_with("    logs:failed [--all|<app>] ")
                && l.ends_with(" Shows the last failed deploy logs")),
        "{}",
        all.stdout
    );
}

#[test]
fn viewer_without_a_deploy() {
    let root = with_app();
    root.dokku(&["logs"])
        .code(1)
        .stdout("")
        .stderr(" !     Please specify an app to run the command on\n");
    root.dokku(&["logs", "missing"])
        .code(20)
        .stderr(" !     App missing does not exist\n");
    root.dokku(&["logs", "web"])
        .code(1)
        .stdout("")
        .stderr(" !     App web has not been deployed\n");
    root.dokku(&["logs", "-t", "-n", "5", "-p", "web", "web"])
        .code(1)
        .stderr(" !     App web has not been deployed\n");
    root.dokku(&["logs", "web", "-x"])
        .code(2)
        .stdout("")
        .stderr(format!("{FLAG_USAGE}unknown shorthand flag: 'x' in -x\n").as_str());
    root.dokku(&["logs", "web", "-n", "abc"])
        .code(2)
        .stderr(format!("{FLAG_USAGE}invalid argument \"abc\" for \"-n, --num\" flag: strconv.ParseInt: parsing \"abc\": invalid syntax\n").as_str());
    root.dokku(&["logs", "web", "--num"])
        .code(2)
        .stderr(format!("{FLAG_USAGE}flag needs an argument: --num\n").as_str());
}

#[test]
fn viewer_asks_the_scheduler() {
    let root = with_app();
    // A deployed app (as docker-local sees it) reaches `scheduler-logs` with upstream's
    // arguments; a recorder plugin prints them.
    fs::write(root.home().join("web/CONTAINER.web.1"), "dokku-rs-none\n").unwrap();
    root.write_exec(
        "lib/plugins/available/recorder/plugin.toml",
        "[plugin]\ndescription = \"r\"\nversion = \"0.1.0\"\n[plugin.config]\n",
    );
    root.write_exec(
        "lib/plugins/available/recorder/scheduler-logs",
        "#!/usr/bin/env bash\necho \"scheduler-logs $*\"\n",
    );
    root.write_exec(
        "lib/plugins/available/recorder/scheduler-logs-failed",
        "#!/usr/bin/env bash\necho \"scheduler-logs-failed $*\"\n",
    );
    root.plugn(&["enable", "recorder"]).ok();
    root.dokku(&["logs", "web", "-n", "5", "--tail", "-p", "worker"])
        .ok()
        .stdout_has("scheduler-logs docker-local web worker true false 5\n");
    root.dokku(&["logs", "-q", "web"])
        .ok()
        .stdout_has("scheduler-logs docker-local web  false true 100\n");
    root.dokku(&["logs:failed", "web"])
        .ok()
        .stdout_has("=====> web failed deploy logs\nscheduler-logs-failed docker-local web\n");
    let all = root.dokku(&["logs:failed", "--all"]);
    all.ok();
    assert!(
        all.stdout.contains("-----> Running logs:failed against app web\n=====> web failed deploy logs\nscheduler-logs-failed docker-local web\n"),
        "{}",
        all.stdout
    );
}

#[test]
fn failed_without_containers() {
    let root = with_app();
    root.dokku(&["logs:failed", "web"])
        .ok()
        .stdout("=====> web failed deploy logs\n")
        .stderr(" !     No failed containers found\n");
    root.dokku(&["logs:failed"])
        .code(1)
        .stderr(" !     Please specify an app to run the command on\n");
    root.dokku(&["logs:failed", "missing"]).code(20);
    root.dokku(&["logs:failed", "--nope"]).code(2).stderr(
        "Usage of logs:failed:\n      --all   --all: restore all apps\nunknown flag: --nope\n",
    );
    let empty = Root::new();
    empty
        .dokku(&["logs:failed", "--all"])
        .ok()
        .stderr(" !     You haven't deployed any applications yet\n");
}

#[test]
fn set_validation_and_storage() {
    let root = with_app();
    root.dokku(&["logs:set", "web", "max-size", "20m"])
        .ok()
        .stdout("=====> Setting max-size to 20m\n")
        .stderr("");
    assert_eq!(read(prop(&root, "web", "max-size")).as_deref(), Some("20m"));
    root.dokku(&["logs:set", "--global", "max-size", "unlimited"])
        .ok()
        .stdout("=====> Setting max-size to unlimited\n");
    root.dokku(&["logs:set", "web", "max-size"])
        .ok()
        .stdout("=====> Unsetting max-size\n");
    assert!(!prop(&root, "web", "max-size").exists());
    for (args, msg) in [
        (&["web", "max-size", "20"][..], "Invalid max-size unit measure, value must end in any of [k, m, g]"),
        (&["web", "max-size", "m"][..], "Invalid max-size value, must be a number followed by a unit of measure [k, m, g]"),
        (&["web", "max-size", "1.5m"][..], "Invalid max-size value, unable to convert number to int: strconv.Atoi: parsing \"1.5\": invalid syntax"),
        // Values are checked before the app is.
        (&["missing", "max-size", "x"][..], "Invalid max-size unit measure, value must end in any of [k, m, g]"),
        (&["web", "app-label-alias", "_bad"][..], "Invalid app-label-alias value, must start with a letter or number and contain only letters, numbers, and any of [_, ., -]"),
        (&["web", "vector-image", "x"][..], "vector-image may only be set globally with --global"),
        (&["web", "vector-networks", ""][..], "vector-networks may only be set globally with --global"),
        // `host` always exists; an unknown first name would fail before the empty entry.
        (&["--global", "vector-networks", "host,,b"][..], "Invalid vector-networks value, empty entry in comma-separated list"),
        (&["--global", "vector-networks", "bridge"][..], "Invalid vector-networks value, \"bridge\" is not a valid entry for vector-networks"),
        (&["web", "vector-sink", "console://?sinks=x"][..], "Invalid option sinks"),
        (&["web", "vector-sink", "console://"][..], "qson: invalid url query param provided"),
        (&["web", "vector-sink", "://x"][..], "parse \"://x\": missing protocol scheme"),
        (&["web", "vector-cron-sink", "http://?p=base64enc:!!"][..], "Error decoding base64: illegal base64 data at input byte 0"),
        (&["web", "nope", "x"][..], "Invalid property specified, valid properties include: app-label-alias, max-size, vector-cron-sink, vector-image, vector-networks, vector-sink"),
        (&["--global", "nope"][..], "Property cannot be specified globally"),
        (&["web"][..], "No property specified"),
    ] {
        let mut full = vec!["logs:set"];
        full.extend_from_slice(args);
        root.dokku(&full)
            .code(1)
            .stdout("")
            .stderr(format!(" !     {msg}\n").as_str());
    }
    root.dokku(&["logs:set", "missing", "max-size", "5m"])
        .code(20)
        .stderr(" !     App missing does not exist\n");
    root.dokku(&[
        "logs:set",
        "--global",
        "vector-networks",
        "dokku-rs-no-such-network",
    ])
    .code(1)
    .stderr(" !     Network \"dokku-rs-no-such-network\" does not exist\n");
    // A key with one bracket crashes upstream's query decoder (Go panic, exit 2).
    root.dokku(&["logs:set", "web", "vector-sink", "console://?a]=1"])
        .code(2)
        .stderr("panic: runtime error: slice bounds out of range [1:0]\n");
    assert!(!root.lib().join("config/logs/missing").exists());
    assert!(!prop(&root, "web", "vector-sink").exists());
    assert!(!prop(&root, "web", "vector-image").exists());
    root.dokku(&["logs:set", "--global", "vector-image", "my/vector:1"])
        .ok()
        .stdout("=====> Setting vector-image to my/vector:1\n");
    root.dokku(&["logs:set", "--global", "vector-networks", "bridge,host"])
        .code(1);
    root.dokku(&["logs:set", "--global", "vector-networks", "host"])
        .ok()
        .stdout("=====> Setting vector-networks to host\n");
}

#[test]
fn vector_config_follows_sinks() {
    let root = with_app();
    let path = root.lib().join("data/logs/vector.json");
    root.dokku(&["logs:set", "web", "vector-sink", "console://?encoding[codec]=json"])
        .ok()
        .stdout(format!("=====> Setting vector-sink to console://?encoding[codec]=json\n       Writing updated vector config to {}\n", path.display()).as_str())
        .stderr("");
    let expected = "{\n  \"sources\": {\n    \"docker-source:web\": {\n      \"type\": \"docker_logs\",\n      \"include_labels\": [\n        \"com.dokku.app-name=web\"\n      ]\n    }\n  },\n  \"sinks\": {\n    \"docker-sink:web\": {\n      \"encoding\": {\n        \"codec\": \"json\"\n      },\n      \"inputs\": [\n        \"docker-source:web\"\n      ],\n      \"type\": \"console\"\n    }\n  }\n}";
    assert_eq!(vector_json(&root).as_deref(), Some(expected));
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        fs::metadata(&path).unwrap().permissions().mode() & 0o777,
        0o600
    );
    // The clone gets a source of its own, the rename moves it, destroy drops it.
    root.dokku(&["apps:clone", "web", "web.copy"]).ok();
    let text = vector_json(&root).unwrap();
    assert!(text.contains("\"docker-source:web-copy\": {"), "{text}");
    assert!(text.contains("\"com.dokku.app-name=web.copy\""), "{text}");
    root.dokku(&["apps:rename", "web.copy", "other"]).ok();
    let text = vector_json(&root).unwrap();
    assert!(!text.contains("web-copy"), "{text}");
    assert!(text.contains("\"docker-sink:other\": {"), "{text}");
    assert_eq!(
        read(prop(&root, "other", "vector-sink")).as_deref(),
        Some("console://?encoding[codec]=json")
    );
    root.dokku(&["--force", "apps:destroy", "other"]).ok();
    assert_eq!(vector_json(&root).as_deref(), Some(expected));
    // Global alias, cron sink, and `&` kept literal.
    root.dokku(&["logs:set", "--global", "app-label-alias", "app_name"])
        .ok();
    root.dokku(&[
        "logs:set",
        "--global",
        "vector-cron-sink",
        "http://?uri=https://x.example/?a=1%26b=2",
    ])
    .ok();
    let text = vector_json(&root).unwrap();
    assert!(
        text.contains("\"uri\": \"https://x.example/?a=1&b=2\""),
        "{text}"
    );
    assert!(text.contains("\"docker-global-router\": {"), "{text}");
    assert!(text.contains("\"docker-relabel:web\": {"), "{text}");
    root.dokku(&["logs:set", "web", "vector-sink"]).ok();
    root.dokku(&["logs:set", "--global", "vector-cron-sink"])
        .ok();
    assert_eq!(vector_json(&root).as_deref(), Some(BLACKHOLE));
    // Without the data directory the write fails as upstream's does.
    fs::remove_dir_all(root.lib().join("data/logs")).unwrap();
    root.dokku(&["logs:set", "web", "vector-sink", "console://?a=1"])
        .code(1)
        .stderr(
            format!(
                " !     open {}: no such file or directory\n",
                path.display()
            )
            .as_str(),
        );
    // The lifecycle hooks only warn.
    root.dokku(&["apps:create", "second"]).ok();
    fs::remove_dir_all(root.lib().join("data/logs")).unwrap();
    root.dokku(&["--force", "apps:destroy", "second"])
        .ok()
        .stderr_has(
            format!(
            " !     Unable to write updated vector config: open {}: no such file or directory\n",
            path.display()
        )
            .as_str(),
        );
}

#[test]
fn report_redacts_sinks() {
    let root = with_app();
    root.dokku(&[
        "logs:set",
        "web",
        "vector-sink",
        "aws_s3://?auth[access_key_id]=secret",
    ])
    .ok();
    root.dokku(&["logs:set", "--global", "max-size", "50m"])
        .ok();
    let expected = "=====> web logs information\n\
\x20      Logs app label alias:           \n\
\x20      Logs computed app label alias:  com.dokku.app-name\n\
\x20      Logs computed max size:         50m\n\
\x20      Logs computed vector cron sink: \n\
\x20      Logs computed vector image:     timberio/vector:0.57.0-debian\n\
\x20      Logs computed vector networks:  \n\
\x20      Logs computed vector sink:      aws_s3://redacted\n\
\x20      Logs global app label alias:    \n\
\x20      Logs global max size:           50m\n\
\x20      Logs global vector cron sink:   \n\
\x20      Logs global vector image:       \n\
\x20      Logs global vector networks:    \n\
\x20      Logs global vector sink:        \n\
\x20      Logs max size:                  \n\
\x20      Logs vector cron sink:          \n\
\x20      Logs vector sink:               aws_s3://redacted\n";
    root.dokku(&["logs:report", "web"])
        .ok()
        .stdout(expected)
        .stderr("");
    // The exact flag shows the raw value; the computed flag stays redacted, as upstream.
    root.dokku(&["logs:report", "web", "--logs-vector-sink"])
        .ok()
        .stdout("aws_s3://?auth[access_key_id]=secret\n");
    root.dokku(&["logs:report", "web", "--logs-computed-vector-sink"])
        .ok()
        .stdout("aws_s3://redacted\n");
    let json = root.dokku(&["logs:report", "web", "--format", "json"]);
    json.ok();
    assert!(
        json.stdout
            .contains("\"vector-sink\":\"aws_s3://?auth[access_key_id]=secret\""),
        "{}",
        json.stdout
    );
    assert!(
        json.stdout
            .contains("\"logs-vector-sink\":\"aws_s3://?auth[access_key_id]=secret\""),
        "{}",
        json.stdout
    );
    // The `report` trigger passes no format: raw values.
    trigger(&root, &["report", "web"]).ok().stdout_has(
        "       Logs vector sink:               aws_s3://?auth[access_key_id]=secret\n",
    );
    root.dokku(&["logs:report", "--global"])
        .ok()
        .stdout_has("=====> --global logs information\n       Logs computed app label alias:  com.dokku.app-name\n");
    root.dokku(&["logs:report", "web", "--nope"])
        .code(1)
        .stderr_has("Invalid flag passed, valid flags: --logs-app-label-alias, ");
}

#[test]
fn docker_args_and_property_trigger() {
    let root = with_app();
    // This daemon logs with json-file: the size applies, stdin follows.
    hook(
        &root,
        &["docker-args-process-deploy", "web", "herokuish", "latest"],
        b" --rm ",
    )
    .ok()
    .stdout(" --log-opt=max-size=10m  --rm ");
    root.dokku(&["logs:set", "web", "max-size", "1g"]).ok();
    trigger(
        &root,
        &["docker-args-process-deploy", "web", "herokuish", "latest"],
    )
    .ok()
    .stdout_has(" --log-opt=max-size=1g ");
    root.dokku(&["logs:set", "web", "max-size", "unlimited"])
        .ok();
    hook(&root, &["docker-args-process-deploy", "web"], b"x")
        .ok()
        .stdout("x");
    root.dokku(&["logs:set", "web", "max-size", "5k"]).ok();
    // A log driver without local files: no size.
    fs::create_dir_all(root.lib().join("config/docker-options/web")).unwrap();
    fs::write(
        root.lib()
            .join("config/docker-options/web/_default_.deploy"),
        "--restart=always\n--log-driver=syslog\n",
    )
    .unwrap();
    hook(&root, &["docker-args-process-deploy", "web"], b"")
        .ok()
        .stdout("");
    fs::write(
        root.lib()
            .join("config/docker-options/web/_default_.deploy"),
        "--log-driver=local\n",
    )
    .unwrap();
    hook(&root, &["docker-args-process-deploy", "web"], b"")
        .ok()
        .stdout(" --log-opt=max-size=5k ");
    hook(&root, &["logs-get-property", "web", "max-size"], b"")
        .ok()
        .stdout("5k\n");
    hook(&root, &["logs-get-property", "other", "max-size"], b"")
        .ok()
        .stdout("10m\n");
    hook(&root, &["logs-get-property", "web", "vector-sink"], b"")
        .code(1)
        .stderr(" !     Invalid logs property specified\n");
}

#[test]
fn install_and_data_dirs() {
    let root = Root::new();
    root.dokku(&["apps:create", "web"]).ok();
    hook(&root, &["install"], b"").ok().stdout("").stderr("");
    assert!(root.lib().join("config/logs").is_dir());
    assert!(root.lib().join("data/logs/web").is_dir());
    assert!(root.dir.join("log/apps").is_dir());
    root.dokku(&["apps:create", "second"]).ok();
    assert!(root.lib().join("data/logs/second").is_dir());
    fs::write(root.lib().join("data/logs/second/x"), "y").unwrap();
    root.dokku(&["apps:rename", "second", "third"]).ok();
    assert!(!root.lib().join("data/logs/second").exists());
    assert_eq!(
        read(root.lib().join("data/logs/third/x")).as_deref(),
        Some("y")
    );
    let no_env = Run::from(
        root.command(root.lib().join("core-plugins/available/logs/install"))
            .env_remove("DOKKU_LOGS_DIR")
            .output()
            .unwrap(),
    );
    no_env.code(1).stderr(" !     DOKKU_LOGS_DIR not set!\n");
}

#[test]
fn vector_commands() {
    let root = Root::new();
    root.dokku(&["logs:vector-logs"])
        .code(1)
        .stderr(" !     Vector container does not exist\n");
    root.dokku(&["logs:vector-start"])
        .code(1)
        .stderr(" !     logs:vector-start is not supported by dokku-rs yet\n");
}
