//! `network:*` commands and network triggers that need no docker daemon, through the real
//! `dokku` entry point in a temporary install: output bytes, exit statuses, stored files.

use dokku_rs_testkit::support;

use std::fs;

use dokku_rs_testkit::Root;
use support::{add_plugin, hook, prop, read};

const USAGE: &str = "Usage: dokku network[:COMMAND]\n\nManage network settings for an app\n\nAdditional commands:\n\
\x20   network:create <network>                             Creates an attachable docker network\n\
\x20   network:destroy <network>                            Destroys a docker network\n\
\x20   network:exists <network>                             Checks if a docker network exists\n\
\x20   network:info <network> [--format text|json]          Outputs information about a docker network\n\
\x20   network:list [--format text|json] [--dokku-managed]  Lists all docker networks\n\
\x20   network:rebuild <app>                                Rebuilds network settings for an app\n\
\x20   network:rebuildall                                   Rebuild network settings for all apps\n\
\x20   network:report [<app>] [<flag>]                      Displays a network report for one or more apps\n\
\x20   network:set <app> <property> (<value>...)            Set or clear a network property for an app\n";

const APP_REPORT: &str = "=====> web network information\n\
\x20      Network attach post create:           \n\
\x20      Network attach post deploy:           \n\
\x20      Network bind all interfaces:          \n\
\x20      Network computed attach post create:  \n\
\x20      Network computed attach post deploy:  \n\
\x20      Network computed bind all interfaces: false\n\
\x20      Network computed initial network:     \n\
\x20      Network computed tld:                 \n\
\x20      Network global attach post create:    \n\
\x20      Network global attach post deploy:    \n\
\x20      Network global bind all interfaces:   \n\
\x20      Network global initial network:       \n\
\x20      Network global tld:                   \n\
\x20      Network initial network:              \n\
\x20      Network static web listener:          \n\
\x20      Network tld:                          \n\
\x20      Network web listeners:                \n";

const GLOBAL_REPORT: &str = "=====> --global network information\n\
\x20      Network computed attach post create:  \n\
\x20      Network computed attach post deploy:  \n\
\x20      Network computed bind all interfaces: false\n\
\x20      Network computed initial network:     \n\
\x20      Network computed tld:                 \n\
\x20      Network global attach post create:    \n\
\x20      Network global attach post deploy:    \n\
\x20      Network global bind all interfaces:   \n\
\x20      Network global initial network:       \n\
\x20      Network global tld:                   \n";

fn root_with_app() -> Root {
    let root = Root::new();
    root.dokku(&["apps:create", "web"]).ok();
    root
}

#[test]
fn help_and_flag_errors() {
    let root = Root::new();
    root.dokku(&["network"]).ok().stdout(USAGE).stderr("");
    root.dokku(&["network:help"]).ok().stdout(USAGE).stderr("");
    let short = root.dokku(&["help"]);
    assert!(
        short.stdout.lines().any(|l| l.starts_with("    network ")
            && l.trim_end()
                .ends_with(" Manage network settings for an app")),
        "{}",
        short.stdout
    );
    let all = root.dokku(&["help", "--all"]);
    assert!(
        // Other plugins' lines may widen the columns: compare without trailing padding.
        all.stdout.lines().any(
            |l| l.starts_with("    network:set <app> <property> (<value>...) ")
                && l.trim_end()
                    .ends_with(" Set or clear a network property for an app")
        ),
        "{}",
        all.stdout
    );
    root.dokku(&["network:info", "--nope"]).code(2).stdout("").stderr(
        "Usage of network:info:\n      --format string   format: [ text | json ] (default \"text\")\nunknown flag: --nope\n",
    );
    root.dokku(&["network:list", "-x"]).code(2).stderr(
        "Usage of network:list:\n      --dokku-managed   show only dokku-managed networks\n      --format string   format: [ text | json ] (default \"text\")\nunknown shorthand flag: 'x' in -x\n",
    );
    root.dokku(&["network:create", "--force"])
        .code(2)
        .stderr("Usage of network:create:\nunknown flag: --force\n");
    root.dokku(&["network:destroy", "--help"]).ok().stderr(
        "Usage of network:destroy:\n      --force   --force: force destroy without confirmation\n",
    );
    root.dokku(&["network:set", "web", "tld", "-x"]).code(2).stderr(
        "Usage of network:set:\n      --global   --global: set a global property\nunknown shorthand flag: 'x' in -x\n",
    );
}

#[test]
fn report_formats() {
    let root = Root::new();
    root.dokku(&["network:report"])
        .ok()
        .stdout("")
        .stderr(" !     You haven't deployed any applications yet\n");
    root.dokku(&["apps:create", "web"]).ok();
    root.dokku(&["network:report", "web"])
        .ok()
        .stdout(APP_REPORT)
        .stderr("");
    root.dokku(&["network:report"]).ok().stdout(APP_REPORT);
    root.dokku(&["network:report", "--global"])
        .ok()
        .stdout(GLOBAL_REPORT);
    root.dokku(&["--quiet", "network:report", "web"])
        .ok()
        .stdout(&APP_REPORT["=====> web network information\n".len()..]);
    root.dokku(&["network:set", "--global", "tld", "dokku.test"])
        .ok()
        .stdout("=====> Setting tld to dokku.test\n");
    root.dokku(&["network:report", "--global", "--format", "json"]).ok().stdout(
        "{\"computed-attach-post-create\":\"\",\"computed-attach-post-deploy\":\"\",\"computed-bind-all-interfaces\":\"false\",\"computed-initial-network\":\"\",\"computed-tld\":\"dokku.test\",\"global-attach-post-create\":\"\",\"global-attach-post-deploy\":\"\",\"global-bind-all-interfaces\":\"\",\"global-initial-network\":\"\",\"global-tld\":\"dokku.test\",\"network-computed-attach-post-create\":\"\",\"network-computed-attach-post-deploy\":\"\",\"network-computed-bind-all-interfaces\":\"false\",\"network-computed-initial-network\":\"\",\"network-computed-tld\":\"dokku.test\",\"network-global-attach-post-create\":\"\",\"network-global-attach-post-deploy\":\"\",\"network-global-bind-all-interfaces\":\"\",\"network-global-initial-network\":\"\",\"network-global-tld\":\"dokku.test\"}\n",
    );
    let json = root.dokku(&["network:report", "web", "--format", "json"]);
    json.ok();
    for key in [
        "\"tld\":\"\"",
        "\"network-tld\":\"\"",
        "\"computed-tld\":\"dokku.test\"",
        "\"web-listeners\":\"\"",
        "\"network-web-listeners\":\"\"",
        "\"static-web-listener\":\"\"",
    ] {
        assert!(json.stdout.contains(key), "{key}: {}", json.stdout);
    }
    root.dokku(&["network:set", "web", "bind-all-interfaces", "true"])
        .ok();
    root.dokku(&[
        "network:report",
        "web",
        "--network-computed-bind-all-interfaces",
    ])
    .ok()
    .stdout("true\n");
    root.dokku(&["network:report", "web", "--network-computed-tld"])
        .ok()
        .stdout("dokku.test\n");
    root.dokku(&["network:report", "web", "--network-nope"]).code(1).stderr(
        " !     Invalid flag passed, valid flags: --network-attach-post-create, --network-attach-post-deploy, --network-bind-all-interfaces, --network-computed-attach-post-create, --network-computed-attach-post-deploy, --network-computed-bind-all-interfaces, --network-computed-initial-network, --network-computed-tld, --network-global-attach-post-create, --network-global-attach-post-deploy, --network-global-bind-all-interfaces, --network-global-initial-network, --network-global-tld, --network-initial-network, --network-static-web-listener, --network-tld, --network-web-listeners\n",
    );
    root.dokku(&["network:report", "web", "--format", "json", "--network-tld"])
        .code(1)
        .stderr(" !     --format flag cannot be specified when specifying an info flag\n");
    root.dokku(&["network:report", "nope"])
        .code(20)
        .stderr(" !     App nope does not exist\n");
    // Two info flags: upstream drops the parse error and exits quietly.
    root.dokku(&["network:report", "web", "--network-tld", "--network-x"])
        .ok()
        .stdout("")
        .stderr("");
}

#[test]
fn set_properties() {
    let root = root_with_app();
    root.dokku(&["network:set", "web", "tld", "example.test"])
        .ok()
        .stdout("=====> Setting tld to example.test\n")
        .stderr("");
    assert_eq!(
        read(prop(&root, "network", "web", "tld")).as_deref(),
        Some("example.test")
    );
    root.dokku(&["network:set", "web", "tld"])
        .ok()
        .stdout("=====> Unsetting tld\n");
    assert!(!prop(&root, "network", "web", "tld").exists());
    root.dokku(&["network:set", "web", "static-web-listener", "10.0.0.1:8080"])
        .ok();
    root.dokku(&["network:report", "web", "--network-web-listeners"])
        .ok()
        .stdout("10.0.0.1:8080\n");
    root.dokku(&["network:set", "--global", "bind-all-interfaces", "true"])
        .ok();
    assert_eq!(
        read(prop(&root, "network", "--global", "bind-all-interfaces")).as_deref(),
        Some("true")
    );
    root.dokku(&[
        "network:report",
        "web",
        "--network-computed-bind-all-interfaces",
    ])
    .ok()
    .stdout("true\n");

    // Several networks for the attach properties are stored comma-separated.
    root.dokku(&["network:set", "web", "attach-post-create", "net-a", "net-b"])
        .ok()
        .stdout("=====> Setting attach-post-create to net-a,net-b\n");
    assert_eq!(
        read(prop(&root, "network", "web", "attach-post-create")).as_deref(),
        Some("net-a,net-b")
    );
    // Only the whole value counts as a conflict, as upstream compares it.
    root.dokku(&["network:set", "web", "attach-post-deploy", "net-a"])
        .ok();
    root.dokku(&["network:set", "web", "attach-post-create", "net-a"])
        .code(1)
        .stdout("")
        .stderr(" !     Network name already associated with this app: net-a\n");
    root.dokku(&["network:set", "--global", "attach-post-deploy", "g-net"])
        .ok();
    root.dokku(&["network:set", "--global", "attach-post-create", "g-net"])
        .code(1)
        .stderr(" !     Network name already associated with this app: g-net\n");
    root.dokku(&["network:set", "web", "initial-network", "container:db.1"])
        .ok()
        .stdout("=====> Setting initial-network to container:db.1\n");
    root.dokku(&["network:set", "web", "attach-post-create"])
        .ok()
        .stdout("=====> Unsetting attach-post-create\n");
}

#[test]
fn set_refuses_bad_input_and_writes_nothing() {
    let root = root_with_app();
    let before = root.lib().join("config/network");
    let listing = || {
        let mut names: Vec<String> = walk(&before);
        names.sort();
        names
    };
    let initial = listing();
    for (args, code, err) in [
        (vec!["network:set", "web"], 1, " !     No property specified\n"),
        (
            vec!["network:set", "web", "nope", "x"],
            1,
            " !     Invalid property specified, valid properties include: attach-post-create, attach-post-deploy, bind-all-interfaces, initial-network, static-web-listener, tld\n",
        ),
        (
            vec!["network:set", "--global", "static-web-listener", "1.2.3.4:80"],
            1,
            " !     Property cannot be specified globally\n",
        ),
        (
            vec!["network:set", "web", "attach-post-create", "host"],
            1,
            " !     Invalid network name specified for attach: host\n",
        ),
        (
            vec!["network:set", "web", "attach-post-deploy", "ok-net", "bridge"],
            1,
            " !     Invalid network name specified for attach: bridge\n",
        ),
        (
            vec!["network:set", "web", "attach-post-create", "a b"],
            1,
            " !     Invalid network name specified for attach: a b\n",
        ),
        (
            vec!["network:set", "web", "attach-post-create", "a,b"],
            1,
            " !     Invalid network name specified for attach: a,b\n",
        ),
        (
            vec!["network:set", "web", "attach-post-create", "ok", ""],
            1,
            " !     Invalid network name specified for attach: \n",
        ),
        (
            vec!["network:set", "web", "initial-network", "net --privileged"],
            1,
            " !     Invalid network name specified: net --privileged\n",
        ),
        (
            vec!["network:set", "web", "initial-network", "../x"],
            1,
            " !     Invalid network name specified: ../x\n",
        ),
        (vec!["network:set", "nope", "tld", "x"], 20, " !     App nope does not exist\n"),
        (
            vec!["network:set", "We", "tld", "x"],
            1,
            " !     App name must begin with lowercase alphanumeric character, and may only contain lowercase alphanumerics, dots, and hyphens\n",
        ),
        (
            vec!["network:set", "", "tld", "x"],
            1,
            " !     Please specify an app to run the command on\n",
        ),
    ] {
        root.dokku(&args).code(code).stdout("").stderr(err);
    }
    assert_eq!(listing(), initial, "nothing was written");
}

fn walk(dir: &std::path::Path) -> Vec<String> {
    let mut out = Vec::new();
    if let Ok(entries) = fs::read_dir(dir) {
        for e in entries.flatten() {
            out.push(e.path().display().to_string());
            if e.path().is_dir() {
                out.extend(walk(&e.path()));
            }
        }
    }
    out
}

#[test]
fn docker_args_triggers() {
    let root = root_with_app();
    for t in [
        "docker-args-process-build",
        "docker-args-process-deploy",
        "docker-args-process-run",
    ] {
        hook(
            &root,
            "network",
            &[t, "web", "herokuish", "tag"],
            Some(b" --a1"),
        )
        .ok()
        .stdout(" --a1");
    }
    root.dokku(&["network:set", "--global", "initial-network", "global-net"])
        .ok();
    hook(
        &root,
        "network",
        &[
            "docker-args-process-deploy",
            "web",
            "herokuish",
            "tag",
            "web",
            "1",
        ],
        Some(b"base"),
    )
    .ok()
    .stdout(" --network=global-net base");
    root.dokku(&["network:set", "web", "initial-network", "app-net"])
        .ok();
    for t in ["docker-args-process-deploy", "docker-args-process-run"] {
        hook(
            &root,
            "network",
            &[t, "web", "dockerfile", "tag"],
            Some(b""),
        )
        .ok()
        .stdout(" --network=app-net ");
    }
    hook(
        &root,
        "network",
        &["docker-args-process-build", "web", "herokuish"],
        Some(b"x"),
    )
    .ok()
    .stdout(" --network=app-net x");
    // Dockerfile builds get nothing from this plugin.
    hook(
        &root,
        "network",
        &["docker-args-process-build", "web", "dockerfile"],
        Some(b"x"),
    )
    .ok()
    .stdout("x");
    // Through plugn, as the deploy calls it: every hook adds its part to the same stdin.
    let out = root.plugn(&[
        "trigger",
        "docker-args-process-run",
        "web",
        "herokuish",
        "tag",
    ]);
    out.ok();
    assert!(out.stdout.contains(" --network=app-net "), "{}", out.stdout);
}

#[test]
fn property_and_listener_triggers() {
    let root = root_with_app();
    let get = |key: &str| {
        hook(
            &root,
            "network",
            &["network-get-property", "web", key],
            None,
        )
    };
    get("bind-all-interfaces").ok().stdout("false\n");
    get("tld").ok().stdout("\n");
    root.dokku(&["network:set", "--global", "tld", "g.test"])
        .ok();
    get("tld").ok().stdout("g.test\n");
    root.dokku(&["network:set", "web", "attach-post-deploy", "n1"])
        .ok();
    get("attach-post-deploy").ok().stdout("n1\n");
    get("static-web-listener")
        .code(1)
        .stdout("")
        .stderr(" !     Invalid network property specified: static-web-listener\n");

    hook(&root, "network", &["network-config-exists", "web"], None)
        .ok()
        .stdout("false\n");
    hook(
        &root,
        "network",
        &["network-get-listeners", "web", "web"],
        None,
    )
    .ok()
    .stdout("\n");
    hook(
        &root,
        "network",
        &["network-write-ipaddr", "web", "web", "1", "172.17.0.5"],
        None,
    )
    .ok()
    .stdout("");
    assert_eq!(
        fs::read(root.home().join("web/IP.web.1")).unwrap(),
        b"172.17.0.5"
    );
    // IP without PORT: not yet a network config; the port defaults to 5000.
    hook(&root, "network", &["network-config-exists", "web"], None)
        .ok()
        .stdout("false\n");
    hook(
        &root,
        "network",
        &["network-get-listeners", "web", "web"],
        None,
    )
    .ok()
    .stdout("172.17.0.5:5000\n");
    hook(
        &root,
        "network",
        &["network-write-port", "web", "web", "1", "3000"],
        None,
    )
    .ok();
    assert_eq!(
        fs::read(root.home().join("web/PORT.web.1")).unwrap(),
        b"3000"
    );
    hook(
        &root,
        "network",
        &["network-write-ipaddr", "web", "web", "2", "172.17.0.6"],
        None,
    )
    .ok();
    hook(
        &root,
        "network",
        &["network-write-ipaddr", "web", "worker", "1", "172.17.0.7"],
        None,
    )
    .ok();
    hook(&root, "network", &["network-config-exists", "web"], None)
        .ok()
        .stdout("true\n");
    hook(
        &root,
        "network",
        &["network-get-listeners", "web", "web"],
        None,
    )
    .ok()
    .stdout("172.17.0.5:3000 172.17.0.6:5000\n");
    hook(&root, "network", &["network-get-listeners", "web"], None)
        .ok()
        .stdout("172.17.0.5:3000 172.17.0.6:5000\n")
        .stderr(" !     Deprecated: Please specify a processType argument for the network-get-listeners plugin trigger\n");
    hook(
        &root,
        "network",
        &["network-get-listeners", "web", "worker"],
        None,
    )
    .ok()
    .stdout("172.17.0.7:5000\n");
    root.dokku(&["network:report", "web", "--network-web-listeners"])
        .ok()
        .stdout("172.17.0.5:3000 172.17.0.6:5000\n");

    // A static listener replaces the web listeners, and answers for the web address.
    root.dokku(&["network:set", "web", "static-web-listener", "10.1.2.3:8000"])
        .ok();
    hook(
        &root,
        "network",
        &["network-get-listeners", "web", "web"],
        None,
    )
    .ok()
    .stdout("10.1.2.3:8000\n");
    hook(
        &root,
        "network",
        &["network-get-static-listeners", "web", "web"],
        None,
    )
    .ok()
    .stdout("10.1.2.3:8000\n");
    let ip = |listener: &str| {
        root.dokku(&["network:set", "web", "static-web-listener", listener])
            .ok();
        hook(
            &root,
            "network",
            &["network-get-ipaddr", "web", "web", "no-such-container"],
            None,
        )
    };
    ip("10.1.2.3:8000").ok().stdout("10.1.2.3\n");
    ip("[::1]:80").ok().stdout("::1\n");
    ip("2001:db8:0:0::1").ok().stdout("2001:db8::1\n");
    ip("192.168.0.9").ok().stdout("192.168.0.9\n");
    ip("backend").ok().stdout("127.0.0.1\n");
    hook(&root, "network", &["network-config-exists", "web"], None)
        .ok()
        .stdout("true\n");

    // Path components from trigger arguments are checked before anything is written.
    for (args, err) in [
        (vec!["network-write-ipaddr", "web", "../x", "1", "1.1.1.1"], " !     Invalid process type specified: ../x\n"),
        (vec!["network-write-port", "web", "web", "1/2", "80"], " !     Invalid container index specified: 1/2\n"),
        (vec!["network-write-ipaddr", "../web", "web", "1", "1.1.1.1"], " !     App name must begin with lowercase alphanumeric character, and may only contain lowercase alphanumerics, dots, and hyphens\n"),
    ] {
        hook(&root, "network", &args, None).code(1).stderr(err);
    }
    let missing = root.home().join("nope/IP.web.1");
    hook(
        &root,
        "network",
        &["network-write-ipaddr", "nope", "web", "1", "1.1.1.1"],
        None,
    )
    .code(1)
    .stderr(&format!(
        " !     open {}: no such file or directory\n",
        missing.display()
    ));
}

#[test]
fn lifecycle_triggers() {
    let root = root_with_app();
    root.dokku(&["network:set", "web", "tld", "a.test"]).ok();
    root.dokku(&["network:set", "web", "attach-post-create", "n1"])
        .ok();
    fs::write(root.home().join("web/IP.web.1"), "172.17.0.2").unwrap();
    fs::write(root.home().join("web/PORT.web.1"), "5000").unwrap();

    // Clone: properties copied, the copy's IP/PORT files (copied with the app) dropped.
    root.dokku(&["apps:clone", "web", "copy"]).ok();
    assert_eq!(
        read(prop(&root, "network", "copy", "tld")).as_deref(),
        Some("a.test")
    );
    assert_eq!(
        read(prop(&root, "network", "copy", "attach-post-create")).as_deref(),
        Some("n1")
    );
    assert!(root.home().join("web/IP.web.1").exists());
    assert!(!root.home().join("copy/IP.web.1").exists());
    assert!(!root.home().join("copy/PORT.web.1").exists());

    root.dokku(&["apps:rename", "copy", "moved"]).ok();
    assert_eq!(
        read(prop(&root, "network", "moved", "tld")).as_deref(),
        Some("a.test")
    );
    assert!(!root.lib().join("config/network/copy").exists());

    root.dokku(&["--force", "apps:destroy", "moved"]).ok();
    assert!(!root.lib().join("config/network/moved").exists());
    assert!(root.lib().join("config/network/web").exists());

    // The report trigger prints the app's report.
    hook(&root, "network", &["report", "web"], None)
        .ok()
        .stdout_has("=====> web network information\n");
}

#[test]
fn install_sets_bind_all_interfaces_from_proxy_is_enabled() {
    let root = Root::new();
    root.dokku(&["apps:create", "web"]).ok();
    root.dokku(&["apps:create", "api"]).ok();
    root.dokku(&["network:set", "api", "bind-all-interfaces", "false"])
        .ok();
    let _ = fs::remove_file(prop(&root, "network", "web", "bind-all-interfaces"));
    // Upstream only checks that proxy-is-enabled succeeds, and streams what it prints.
    hook(&root, "network", &["install"], None)
        .ok()
        .stdout("true\n       Setting network property 'bind-all-interfaces' to true\n")
        .stderr("");
    assert_eq!(
        read(prop(&root, "network", "web", "bind-all-interfaces")).as_deref(),
        Some("true")
    );
    assert_eq!(
        read(prop(&root, "network", "api", "bind-all-interfaces")).as_deref(),
        Some("false")
    );
    assert!(root.lib().join("config/network").is_dir());
    // A failing proxy-is-enabled makes it false.
    root.dokku(&["apps:create", "other"]).ok();
    let _ = fs::remove_file(prop(&root, "network", "other", "bind-all-interfaces"));
    add_plugin(&root, "failing-proxy", &[("proxy-is-enabled", "exit 3")]);
    hook(&root, "network", &["install"], None)
        .ok()
        .stdout_has("Setting network property 'bind-all-interfaces' to false\n");
    assert_eq!(
        read(prop(&root, "network", "other", "bind-all-interfaces")).as_deref(),
        Some("false")
    );
}

#[test]
fn rebuild_of_undeployed_apps_does_nothing() {
    let root = Root::new();
    root.dokku(&["network:rebuildall"])
        .ok()
        .stdout("")
        .stderr(" !     You haven't deployed any applications yet\n");
    root.dokku(&["apps:create", "web"]).ok();
    root.dokku(&["network:rebuild", "web"])
        .ok()
        .stdout("")
        .stderr("");
    root.dokku(&["network:rebuild", "nope"])
        .ok()
        .stdout("")
        .stderr("");
    root.dokku(&["network:rebuildall"])
        .ok()
        .stdout("")
        .stderr("");
    hook(&root, "network", &["network-build-config", "web"], None)
        .ok()
        .stdout("");
}
