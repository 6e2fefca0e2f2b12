//! `nginx:set`, `nginx:report` and the `nginx-property` / `pagesize` helpers through the
//! real `dokku` entry point in a temporary install.

mod common;

use std::fs;
use std::os::unix::fs::PermissionsExt;

use common::*;

const USAGE: &str = "Usage: dokku nginx[:COMMAND]\n\nManage the nginx proxy\n\nAdditional commands:\n\
\x20   nginx:access-logs <app> [-t]              Show the nginx access logs for an application (-t follows)\n\
\x20   nginx:error-logs <app> [-t]               Show the nginx error logs for an application (-t follows)\n\
\x20   nginx:reload                              Reloads the nginx server config\n\
\x20   nginx:report [<app>] [<flag>]             Displays an nginx report for one or more apps\n\
\x20   nginx:set <app> <property> (<value>)      Set or clear an nginx property for an app\n\
\x20   nginx:show-config <app>                   Display app nginx config\n\
\x20   nginx:start                               Starts the nginx server\n\
\x20   nginx:stop                                Stops the nginx server\n\
\x20   nginx:validate-config [<app>] [--clean]   Validates and optionally cleans up invalid nginx configurations\n";

const KEYS: &[&str] = &[
    "access-log-format",
    "access-log-path",
    "bind-address-ipv4",
    "bind-address-ipv6",
    "client-body-timeout",
    "client-header-timeout",
    "client-max-body-size",
    "disable-custom-config",
    "error-log-path",
    "hsts",
    "hsts-include-subdomains",
    "hsts-preload",
    "hsts-max-age",
    "keepalive-timeout",
    "lingering-timeout",
    "nginx-conf-sigil-path",
    "nginx-service-command",
    "proxy-buffer-size",
    "proxy-buffering",
    "proxy-buffers",
    "proxy-busy-buffers-size",
    "proxy-connect-timeout",
    "proxy-read-timeout",
    "proxy-send-timeout",
    "proxy-keepalive",
    "send-timeout",
    "underscore-in-headers",
    "x-forwarded-for-value",
    "x-forwarded-port-value",
    "x-forwarded-proto-value",
    "x-forwarded-ssl",
];

/// Each key's built-in computed value for the app `web`.
fn defaults() -> Vec<(&'static str, String)> {
    let page = page_kib();
    let mut v: Vec<(&str, String)> = vec![
        ("access-log-format", String::new()),
        ("access-log-path", "/var/log/nginx/web-access.log".into()),
        ("bind-address-ipv4", String::new()),
        ("bind-address-ipv6", "::".into()),
        ("client-body-timeout", "60s".into()),
        ("client-header-timeout", "60s".into()),
        ("client-max-body-size", "1m".into()),
        ("disable-custom-config", "false".into()),
        ("error-log-path", "/var/log/nginx/web-error.log".into()),
        ("hsts", "true".into()),
        ("hsts-include-subdomains", "true".into()),
        ("hsts-max-age", "15724800".into()),
        ("hsts-preload", "false".into()),
        ("keepalive-timeout", "75s".into()),
        ("lingering-timeout", "5s".into()),
        ("nginx-conf-sigil-path", "nginx.conf.sigil".into()),
        ("nginx-service-command", String::new()),
        ("proxy-buffer-size", format!("{page}k")),
        ("proxy-buffering", "on".into()),
        ("proxy-buffers", format!("8 {page}k")),
        ("proxy-busy-buffers-size", format!("{}k", page * 2)),
        ("proxy-connect-timeout", "60s".into()),
        ("proxy-keepalive", String::new()),
        ("proxy-read-timeout", "60s".into()),
        ("proxy-send-timeout", "60s".into()),
        ("send-timeout", "60s".into()),
        ("underscore-in-headers", "off".into()),
        ("x-forwarded-for-value", "$remote_addr".into()),
        ("x-forwarded-port-value", "$server_port".into()),
        ("x-forwarded-proto-value", "$scheme".into()),
        ("x-forwarded-ssl", String::new()),
    ];
    v.sort_by(|a, b| a.0.cmp(b.0));
    v
}

/// `Nginx <words>:` padded to the report's 40 columns, then the value.
fn line(flag: &str, value: &str) -> String {
    let mut key = flag.replace('-', " ");
    key.replace_range(0..1, "N");
    format!("       {:<40}{value}\n", format!("{key}:"))
}

/// The default report of the app `web`, assembled line by line in flag order.
fn default_report() -> String {
    let mut rows: Vec<(String, String)> = Vec::new();
    for (key, value) in defaults() {
        rows.push((format!("nginx-{key}"), String::new()));
        rows.push((format!("nginx-computed-{key}"), value));
        rows.push((format!("nginx-global-{key}"), String::new()));
    }
    rows.push(("nginx-last-visited-at".into(), String::new()));
    rows.sort();
    let mut out = String::from("=====> web nginx information\n");
    for (flag, value) in rows {
        out.push_str(&line(&flag, &value));
    }
    out
}

#[test]
fn help_texts() {
    let root = root();
    root.dokku(&["nginx:help"]).ok().stdout(USAGE).stderr("");
    root.dokku(&["nginx"]).ok().stdout(USAGE).stderr("");
    let all = root.dokku(&["help", "--all"]);
    all.ok();
    assert!(all.stdout.lines().any(
        |l| l.starts_with("    nginx:set <app> <property> (<value>) ")
            && l.trim_end()
                .ends_with(" Set or clear an nginx property for an app")
    ));
    let short = root.dokku(&["help"]);
    assert!(short
        .stdout
        .lines()
        .any(|l| l.starts_with("    nginx ") && l.trim_end().ends_with(" Manage the nginx proxy")));
}

#[test]
fn set_every_key() {
    let root = root_with_app();
    for key in KEYS {
        let value = if *key == "proxy-keepalive" {
            "32"
        } else {
            "some value"
        };
        root.dokku(&["nginx:set", "web", key, value])
            .ok()
            .stdout(&format!("=====> Setting {key} to {value}\n"))
            .stderr("");
        assert_eq!(prop(&root, "web", key).as_deref(), Some(value));
        let mode = fs::metadata(prop_path(&root, "web", key))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
        root.dokku(&["nginx:set", "--global", key, value])
            .ok()
            .stdout(&format!("=====> Setting {key} to {value}\n"));
        assert_eq!(prop(&root, "--global", key).as_deref(), Some(value));
    }
    root.dokku(&["nginx:set", "web", "hsts"])
        .ok()
        .stdout("=====> Unsetting hsts\n");
    assert_eq!(prop(&root, "web", "hsts"), None);
    root.dokku(&["nginx:set", "--global", "hsts", ""])
        .ok()
        .stdout("=====> Unsetting hsts\n");
    assert_eq!(prop(&root, "--global", "hsts"), None);
    dokku_env(
        &root,
        &["nginx:set", "web", "hsts", "false"],
        &[("DOKKU_QUIET_OUTPUT", "1")],
    )
    .ok()
    .stdout("");
    assert_eq!(prop(&root, "web", "hsts").as_deref(), Some("false"));
}

#[test]
fn set_rejects_bad_input() {
    let root = root_with_app();
    root.dokku(&["nginx:set", "web"])
        .code(1)
        .stdout("")
        .stderr(" !     No key specified\n");
    root.dokku(&["nginx:set", "web", "nope", "x"])
        .code(1)
        .stderr(&format!(
            " !     Invalid key specified, valid keys include: {}\n",
            KEYS.join(", ")
        ));
    for bad in ["x", "1.5", "-1", " 2", "2k"] {
        root.dokku(&["nginx:set", "web", "proxy-keepalive", bad])
            .code(1)
            .stderr(" !     Invalid value for proxy-keepalive: must be an integer\n");
    }
    root.dokku(&["nginx:set", "nope", "hsts", "false"])
        .code(20)
        .stderr(" !     App nope does not exist\n");
    root.dokku(&["nginx:set", "../web", "hsts", "false"])
        .code(20)
        .stderr(" !     App ../web does not exist\n");
    root.dokku(&["nginx:set", "", "hsts", "false"])
        .code(20)
        .stderr(" !     App  does not exist\n");
    assert!(!root.lib().join("config/nginx/nope").exists());
    assert!(!prop_path(&root, "web", "proxy-keepalive").exists());
    assert!(!prop_path(&root, "web", "nope").exists());
    root.dokku(&["nginx:set", "web", "proxy-keepalive", "0042"])
        .ok();
}

#[test]
fn report_defaults() {
    let root = root_with_app();
    root.dokku(&["nginx:report", "web"])
        .ok()
        .stdout(&default_report())
        .stderr("");
    hook(&root, &["report", "web"])
        .ok()
        .stdout(&default_report());
    root.dokku(&["apps:create", "api"]).ok();
    let every = root.dokku(&["nginx:report"]);
    every.ok();
    assert_eq!(
        every.stdout,
        format!(
            "{}{}",
            default_report()
                .replace("=====> web", "=====> api")
                .replace("/web-", "/api-"),
            default_report()
        )
    );
}

#[test]
fn report_values_json_and_flags() {
    let root = root_with_app();
    root.dokku(&["nginx:set", "--global", "client-max-body-size", "20m"])
        .ok();
    root.dokku(&["nginx:set", "--global", "hsts", "false"]).ok();
    root.dokku(&["nginx:set", "web", "hsts", "true"]).ok();
    root.dokku(&["nginx:set", "web", "x-forwarded-ssl", "on"])
        .ok();
    let out = root.dokku(&["nginx:report", "web"]);
    out.ok();
    for row in [
        line("nginx-client-max-body-size", ""),
        line("nginx-computed-client-max-body-size", "20m"),
        line("nginx-global-client-max-body-size", "20m"),
        line("nginx-hsts", "true"),
        line("nginx-computed-hsts", "true"),
        line("nginx-global-hsts", "false"),
        line("nginx-computed-x-forwarded-ssl", "on"),
    ] {
        assert!(out.stdout.contains(&row), "{row:?} in\n{}", out.stdout);
    }
    root.dokku(&[
        "nginx:report",
        "web",
        "--nginx-computed-client-max-body-size",
    ])
    .ok()
    .stdout("20m\n");
    root.dokku(&["nginx:report", "web", "--nginx-computed-proxy-buffers"])
        .ok()
        .stdout(&format!("8 {}k\n", page_kib()));

    let json = root.dokku(&["nginx:report", "web", "--format", "json"]);
    json.ok();
    // Keys lose the `nginx-` prefix and there are no legacy duplicates.
    for pair in [
        "\"computed-client-max-body-size\":\"20m\"",
        "\"global-hsts\":\"false\"",
        "\"hsts\":\"true\"",
        "\"last-visited-at\":\"\"",
        "{\"access-log-format\":\"\",",
    ] {
        assert!(json.stdout.contains(pair), "{pair} in {}", json.stdout);
    }
    assert!(!json.stdout.contains("\"nginx-global") && !json.stdout.contains("\"nginx-hsts"));
    assert!(json.stdout.contains("\"nginx-conf-sigil-path\":\"\""));
    assert_eq!(json.stdout.matches("\":\"").count(), 94);

    let global = root.dokku(&["nginx:report", "--global"]);
    global.ok();
    let mut expected = String::from("=====> --global nginx information\n");
    for (key, _) in defaults() {
        let value = match key {
            "client-max-body-size" => "20m",
            "hsts" => "false",
            _ => "",
        };
        expected.push_str(&format!(
            "       {:<38}{value}\n",
            format!("Nginx global {}:", key.replace('-', " "))
        ));
    }
    assert_eq!(global.stdout, expected);
    root.dokku(&["nginx:report", "--global", "--format", "json"])
        .ok()
        .stdout_has("\"global-hsts\":\"false\"");
    root.dokku(&["nginx:report", "--global", "--nginx-hsts"])
        .code(1)
        .stderr_has(" !     Invalid flag passed, valid flags: --nginx-global-access-log-format, ");

    root.dokku(&["nginx:report", "web", "--format", "json", "--nginx-hsts"])
        .code(1)
        .stderr(" !     --format flag cannot be specified when specifying an info flag\n");
    root.dokku(&["nginx:report", "web", "--nope"])
        .code(1)
        .stderr_has(" !     Invalid flag passed, valid flags: --nginx-access-log-format, --nginx-access-log-path, ");
    root.dokku(&["nginx:report", "web", "--nginx-hsts", "--nginx-global-hsts"])
        .ok()
        .stdout("");
    root.dokku(&["nginx:report", "nope"])
        .code(20)
        .stderr(" !     App nope does not exist\n");
    root.dokku(&["nginx:report", "web", "-x"]).code(2).stderr(
        "Usage of nginx-vhosts:report:\n      --format string   format: [ stdout | json ] (default \"stdout\")\nunknown shorthand flag: 'x' in -x\n",
    );
}

#[test]
fn report_last_visited_at() {
    let root = root_with_app();
    let log = root.dir.join("web-access.log");
    fs::write(&log, "GET /\n").unwrap();
    let status = std::process::Command::new("touch")
        .args(["-d", "@1700000000"])
        .arg(&log)
        .status()
        .unwrap();
    assert!(status.success());
    root.dokku(&[
        "nginx:set",
        "web",
        "access-log-path",
        &log.to_string_lossy(),
    ])
    .ok();
    root.dokku(&["nginx:report", "web", "--nginx-last-visited-at"])
        .ok()
        .stdout("1700000000\n");
    // Only the app's own setting counts, and only for a file.
    root.dokku(&["nginx:set", "web", "access-log-path", "off"])
        .ok();
    root.dokku(&["nginx:report", "web", "--nginx-last-visited-at"])
        .ok()
        .stdout("\n");
    root.dokku(&[
        "nginx:set",
        "web",
        "access-log-path",
        &root.dir.to_string_lossy(),
    ])
    .ok();
    root.dokku(&["nginx:report", "web", "--nginx-last-visited-at"])
        .ok()
        .stdout("\n");
    root.dokku(&["nginx:set", "web", "access-log-path"]).ok();
    root.dokku(&[
        "nginx:set",
        "--global",
        "access-log-path",
        &log.to_string_lossy(),
    ])
    .ok();
    root.dokku(&["nginx:report", "web", "--nginx-last-visited-at"])
        .ok()
        .stdout("\n");
}

#[test]
fn property_helper() {
    let root = root_with_app();
    root.dokku(&["nginx:set", "web", "client-max-body-size", "5m"])
        .ok();
    root.dokku(&["nginx:set", "--global", "client-max-body-size", "9m"])
        .ok();
    root.dokku(&["nginx:set", "--global", "proxy-read-timeout", "120s"])
        .ok();
    let p = |args: &[&str]| {
        let mut full = vec!["nginx-property"];
        full.extend_from_slice(args);
        hook(&root, &full)
    };
    p(&["--app", "web", "client-max-body-size"])
        .ok()
        .stdout("5m");
    p(&["--app", "web", "--global", "client-max-body-size"])
        .ok()
        .stdout("9m");
    p(&["--global", "client-max-body-size"]).ok().stdout("9m");
    p(&["--computed", "--app", "web", "client-max-body-size"])
        .ok()
        .stdout("5m");
    p(&["--app", "web", "--computed", "proxy-read-timeout"])
        .ok()
        .stdout("120s");
    p(&["--app=web", "--computed", "access-log-path"])
        .ok()
        .stdout("/var/log/nginx/web-access.log");
    p(&["--app", "web", "proxy-read-timeout"]).ok().stdout("");
    // Unknown keys, and properties that are not settings, print nothing.
    fs::write(prop_path(&root, "--global", "proxy-status"), "started").unwrap();
    p(&["--global", "proxy-status"]).ok().stdout("");
    p(&["--app", "web", "--computed", "nope"]).ok().stdout("");
    p(&["--app", "web"]).ok().stdout("");
    p(&["--nope"]).code(2).stdout("").stderr(
        "Usage of ps:inspect:\n      --app string   app: the app to inspect\n      --computed     computed: inspect computed property\n      --global       global: inspect global property\nunknown flag: --nope\n",
    );
    hook(&root, &["pagesize"])
        .ok()
        .stdout(&format!("{}\n", page_kib()));
}
