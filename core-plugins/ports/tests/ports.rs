//! `ports:*` and the ports triggers through the real `dokku` entry point (and `plugn
//! trigger`) in a temporary install: output bytes, exit statuses and stored files.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;

use dokku_rs_testkit::{Root, Run};

const USAGE: &str = "Usage: dokku ports[:COMMAND]\n\nManage ports for an app\n\nAdditional commands:\n\
\x20   ports:list <app>                                                           List port mappings for app\n\
\x20   ports:add <app> [<scheme>:<host-port>:<container-port>...]                 Add port mappings to an app\n\
\x20   ports:clear <app>                                                          Clear all port mappings for an app\n\
\x20   ports:remove <app> [<host-port>|<scheme>:<host-port>:<container-port>...]  Remove specific port mappings from an app\n\
\x20   ports:set <app> [<scheme>:<host-port>:<container-port>...]                 Set port mappings for an app\n\
\x20   ports:report [<app>] [<flag>]                                              Displays a ports report for one or more apps\n";

const MSG_NO_APP: &str = " !     Please specify an app to run the command on\n";
const MSG_INVALID: &str = " !     App name must begin with lowercase alphanumeric character, and may only contain lowercase alphanumerics, dots, and hyphens\n";

/// nginx-vhosts answers every `post-proxy-ports-update` by rewriting the app's nginx.conf
/// (upstream's `nginx_build_config`): with no listeners and a non-empty http map it renders
/// the built-in template. The app here has no domains, so no "Configuring" line.
const NGINX_BUILT: &str = "-----> Creating http nginx.conf\n       Reloading nginx\n";
/// Its stderr then.
const NO_LISTENERS: &str = " !     No web listeners specified for web\n";
/// nginx skips https maps while the app has no certificate, saying so.
fn https_ignored(map: &str) -> String {
    format!(" !     Ignoring detected https port mapping without an accompanying ssl certificate ({map})\n")
}

fn app(root: &Root, name: &str) {
    fs::create_dir_all(root.home().join(name)).unwrap();
}

fn prop(root: &Root, plugin: &str, app: &str, key: &str) -> PathBuf {
    root.lib().join("config").join(plugin).join(app).join(key)
}

fn read(path: PathBuf) -> Option<String> {
    fs::read_to_string(path).ok()
}

fn record(root: &Root) -> String {
    fs::read_to_string(root.dir.join("record")).unwrap_or_default()
}

/// A community plugin with bash hooks; `$REC` in a body appends to `<root>/record`.
fn add_plugin(root: &Root, name: &str, hooks: &[(&str, &str)]) {
    // A taken name would write through the real plugin's symlink into its files.
    assert!(
        !root.lib().join("plugins/available").join(name).exists(),
        "plugin {name} already exists"
    );
    let rec = root.dir.join("record");
    root.write_exec(
        &format!("lib/plugins/available/{name}/plugin.toml"),
        &format!("[plugin]\ndescription = \"{name}\"\nversion = \"0.1.0\"\n[plugin.config]\n"),
    );
    for (hook, body) in hooks {
        let body = body.replace("$REC", &format!("'{}'", rec.display()));
        root.write_exec(
            &format!("lib/plugins/available/{name}/{hook}"),
            &format!("#!/usr/bin/env bash\nset -eo pipefail\n{body}\n"),
        );
    }
    root.plugn(&["enable", name]).ok();
}

/// A certificate for the real certs plugin, whose `certs-exists` only looks for the pair.
fn add_cert(root: &Root, app: &str) {
    let tls = root.home().join(app).join("tls");
    fs::create_dir_all(&tls).unwrap();
    fs::write(tls.join("server.crt"), "crt\n").unwrap();
    fs::write(tls.join("server.key"), "key\n").unwrap();
}

/// A plugin recording every `post-proxy-ports-update` call.
fn add_recorder(root: &Root) {
    add_plugin(
        root,
        "recorder",
        &[(
            "post-proxy-ports-update",
            "echo \"post-proxy-ports-update $*\" >>$REC",
        )],
    );
}

/// Run one of this plugin's triggers directly (not through `plugn trigger`, so other
/// plugins' hooks of the same name do not run).
fn hook(root: &Root, args: &[&str]) -> Run {
    let path = root
        .lib()
        .join("core-plugins/available/ports")
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

fn trigger(root: &Root, args: &[&str]) -> Run {
    let mut full = vec!["trigger"];
    full.extend_from_slice(args);
    root.plugn(&full)
}

#[test]
fn help_texts() {
    let root = Root::new();
    root.dokku(&["ports"]).ok().stdout(USAGE).stderr("");
    root.dokku(&["ports:help"]).ok().stdout(USAGE).stderr("");
    let all = root.dokku(&["help", "--all"]);
    all.ok();
    // `dokku help --all` sorts and aligns what every plugin prints; like `column -t`, it pads
    // every column but a row's last, so a two-column row is space-padded when another
    // plugin's help line has a comma (a third column).
    for (usage, desc) in [
        ("ports:list <app>", "List port mappings for app"),
        (
            "ports:remove <app> [<host-port>|<scheme>:<host-port>:<container-port>...]",
            "Remove specific port mappings from an app",
        ),
        (
            "ports:report [<app>] [<flag>]",
            "Displays a ports report for one or more apps",
        ),
    ] {
        assert!(
            all.stdout
                .lines()
                .any(|l| l.starts_with(&format!("    {usage} "))
                    && l.trim_end().ends_with(&format!(" {desc}"))),
            "{}",
            all.stdout
        );
    }
    let short = root.dokku(&["help"]);
    short.ok();
    assert!(
        short
            .stdout
            .lines()
            .any(|l| l.starts_with("    ports ") && l.ends_with(" Manage ports for an app")),
        "{}",
        short.stdout
    );
    // Subcommands parse with an empty pflag set.
    root.dokku(&["ports:list", "--nope"])
        .code(2)
        .stdout("")
        .stderr("Usage of ports:list:\nunknown flag: --nope\n");
    root.dokku(&["ports:add", "web", "-80"])
        .code(2)
        .stderr("Usage of ports:add:\nunknown shorthand flag: '8' in -80\n");
    root.dokku(&["ports:set", "--help"])
        .ok()
        .stderr("Usage of ports:set:\n");
    root.dokku(&["ports:report", "web", "-x"]).code(2).stderr(
        "Usage of ports:report:\n      --format string   format: [ stdout | json ] (default \"stdout\")\nunknown shorthand flag: 'x' in -x\n",
    );
}

#[test]
fn app_validation() {
    let root = Root::new();
    for cmd in [
        "ports:list",
        "ports:add",
        "ports:set",
        "ports:remove",
        "ports:clear",
    ] {
        root.dokku(&[cmd]).code(1).stdout("").stderr(MSG_NO_APP);
        root.dokku(&[cmd, "nope", "http:80:5000"])
            .code(20)
            .stderr(" !     App nope does not exist\n");
        for bad in ["../x", "Web", "a/b", "-"] {
            root.dokku(&[cmd, bad, "http:80:5000"])
                .code(1)
                .stderr(MSG_INVALID);
        }
    }
    assert!(!root.lib().join("config/ports/..").join("x").exists());
    assert_eq!(
        fs::read_dir(root.lib().join("config/ports"))
            .map(|d| d.count())
            .unwrap_or(0),
        0
    );
}

#[test]
fn add_set_remove_clear() {
    let root = Root::new();
    app(&root, "web");
    add_recorder(&root);
    let map = || read(prop(&root, "ports", "web", "map"));

    root.dokku(&["ports:list", "web"])
        .code(1)
        .stdout("")
        .stderr(" !     No port mappings configured for app\n");
    root.dokku(&["ports:add", "web"])
        .code(1)
        .stderr(" !     No port mapping specified\n");

    root.dokku(&["ports:add", "web", "udp:53:53", "http:80:5000"])
        .ok()
        .stdout(NGINX_BUILT)
        .stderr(NO_LISTENERS);
    assert_eq!(map().as_deref(), Some("http:80:5000\nudp:53:53\n"));
    let mode = fs::metadata(prop(&root, "ports", "web", "map"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
    // Leading zeros and signs are normalised; several mappings may share one argument.
    root.dokku(&["ports:add", "web", "https:+443:05000 tcp:8080:8080"])
        .ok()
        .stdout(NGINX_BUILT)
        .stderr(&format!(
            "{}{NO_LISTENERS}",
            https_ignored("https:443:5000")
        ));
    assert_eq!(
        map().as_deref(),
        Some("http:80:5000\nhttps:443:5000\ntcp:8080:8080\nudp:53:53\n")
    );
    root.dokku(&["ports:list", "web"]).ok().stderr("").stdout(
        "-----> Port mappings for web\n\
         \x20   -----> scheme  host port  container port\n\
         \x20   http           80         5000\n\
         \x20   https          443        5000\n\
         \x20   tcp            8080       8080\n\
         \x20   udp            53         53\n",
    );
    root.dokku(&["--quiet", "ports:list", "web"]).ok().stdout(
        "    http   80    5000\n    https  443   5000\n    tcp    8080  8080\n    udp    53    53\n",
    );

    // Reuse of a scheme:host-port, in the new set or against what is stored.
    root.dokku(&["ports:add", "web", "http:81:1", "http:81:2"])
        .code(1)
        .stderr(" !     Error validating new port mappings: The same scheme:host-port is being reused: http:81\n");
    root.dokku(&["ports:add", "web", "http:80:3000"])
        .code(1)
        .stderr(" !     Error validating all port mappings: The same scheme:host-port is being reused: http:80\n");
    root.dokku(&["ports:set", "web", "http:80:1", "http:80:2"])
        .code(1)
        .stderr(" !     Error validating port mappings: The same scheme:host-port is being reused: http:80\n");

    // Remove by mapping and by bare host port (every scheme on that port).
    root.dokku(&["ports:add", "web", "https:8080:1"]).ok();
    root.dokku(&["ports:remove", "web", "http:80:5000", "8080"])
        .ok()
        .stdout(NGINX_BUILT)
        .stderr(&format!(
            "{}{NO_LISTENERS}",
            https_ignored("https:443:5000")
        ));
    assert_eq!(map().as_deref(), Some("https:443:5000\nudp:53:53\n"));
    // Removing what is not there still rewrites and succeeds.
    root.dokku(&["ports:remove", "web", "http:1:1"]).ok();
    root.dokku(&["ports:remove", "web", "443", "53"]).ok();
    assert_eq!(map(), None, "nothing left deletes the property");

    root.dokku(&["ports:set", "web", "http:80:5000", "https:443:5000"])
        .ok()
        .stdout(NGINX_BUILT)
        .stderr(&format!(
            "{}{NO_LISTENERS}",
            https_ignored("https:443:5000")
        ));
    assert_eq!(map().as_deref(), Some("http:80:5000\nhttps:443:5000\n"));
    // A bare port given to add/set is accepted and not stored.
    root.dokku(&["ports:set", "web", "9999", "http:80:1"]).ok();
    assert_eq!(map().as_deref(), Some("http:80:1\n"));

    fs::write(
        prop(&root, "ports", "web", "map-detected"),
        "http:80:3000\n",
    )
    .unwrap();
    // With no map left nginx falls back to the detected default (http:80:5000).
    root.dokku(&["ports:clear", "web"])
        .ok()
        .stdout(NGINX_BUILT)
        .stderr(NO_LISTENERS);
    assert_eq!(map(), None);
    assert_eq!(read(prop(&root, "ports", "web", "map-detected")), None);
    root.dokku(&["ports:clear", "web"]).ok();

    assert_eq!(
        record(&root),
        "post-proxy-ports-update web add\n\
         post-proxy-ports-update web add\n\
         post-proxy-ports-update web add\n\
         post-proxy-ports-update web remove\n\
         post-proxy-ports-update web remove\n\
         post-proxy-ports-update web remove\n\
         post-proxy-ports-update web set\n\
         post-proxy-ports-update web set\n\
         post-proxy-ports-update web clear\n\
         post-proxy-ports-update web clear\n"
    );
}

#[test]
fn invalid_mappings_write_nothing() {
    let root = Root::new();
    app(&root, "web");
    add_recorder(&root);
    root.dokku(&["ports:set", "web", "http:80:5000"]).ok();
    let before = read(prop(&root, "ports", "web", "map"));
    let cases: &[(&str, &str)] = &[
        ("http:80", "Invalid port map http:80 [len=2]"),
        ("http:0:5000", "Invalid port map http:0:5000 [hostPort=0]"),
        ("http:65536:5000", "Invalid port map http:65536:5000 [hostPort=65536]"),
        ("http:80:0", "Invalid port map http:80:0 [containerPort=0]"),
        ("http:80:70000", "Invalid port map http:80:70000 [containerPort=70000]"),
        (
            "http:eighty:5000",
            "Invalid port map http:eighty:5000 [err=strconv.Atoi: parsing \"eighty\": invalid syntax]",
        ),
        (
            "http:80:5000:1",
            "Invalid port map http:80:5000:1 [err=strconv.Atoi: parsing \"5000:1\": invalid syntax]",
        ),
        (
            "http:99999999999999999999:1",
            "Invalid port map http:99999999999999999999:1 [err=strconv.Atoi: parsing \"99999999999999999999\": value out of range]",
        ),
        (
            "http:80:5000;rm",
            "Invalid port map http:80:5000;rm [err=strconv.Atoi: parsing \"5000;rm\": invalid syntax]",
        ),
        (
            "http:8\t0:1",
            "Invalid port map http:8\t0:1 [err=strconv.Atoi: parsing \"8\\t0\": invalid syntax]",
        ),
    ];
    for (arg, msg) in cases {
        for cmd in ["ports:add", "ports:set", "ports:remove"] {
            root.dokku(&[cmd, "web", "https:443:5000", arg])
                .code(1)
                .stdout("")
                .stderr(&format!(" !     {msg}\n"));
        }
    }
    // An empty argument among valid ones is an empty token after the space join.
    root.dokku(&["ports:set", "web", "http:80:1", "", "http:81:1"])
        .code(1)
        .stderr(" !     Invalid port map  [err=strconv.Atoi: parsing \"\": invalid syntax]\n");
    assert_eq!(read(prop(&root, "ports", "web", "map")), before);
    assert_eq!(record(&root), "post-proxy-ports-update web set\n");
}

#[test]
fn failing_update_hook_fails_the_command() {
    let root = Root::new();
    app(&root, "web");
    add_plugin(
        &root,
        "broken",
        &[("post-proxy-ports-update", "echo nope >&2\nexit 3")],
    );
    root.dokku(&["ports:add", "web", "http:80:5000"])
        .code(1)
        .stdout("")
        .stderr_has("nope\n");
    // The mappings were stored before the hook ran.
    assert_eq!(
        read(prop(&root, "ports", "web", "map")).as_deref(),
        Some("http:80:5000\n")
    );
}

#[test]
fn report() {
    let root = Root::new();
    root.dokku(&["ports:report"])
        .ok()
        .stdout("")
        .stderr(" !     You haven't deployed any applications yet\n");
    app(&root, "web");
    root.dokku(&["ports:report", "web"]).ok().stderr("").stdout(
        "=====> web ports information\n\
         \x20      Ports map:                     \n\
         \x20      Ports map detected:            http:80:5000\n\
         \x20      Ports map detected json:       [{\"container_port\":5000,\"host_port\":80,\"scheme\":\"http\"}]\n\
         \x20      Ports map json:                null\n",
    );
    root.dokku(&["ports:set", "web", "https:443:5000", "http:80:5000"])
        .ok();
    root.dokku(&["proxy:set", "web", "proxy-port", "8080"]).ok();
    let json = "{\"map\":\"http:80:5000 https:443:5000\",\
        \"map-detected\":\"http:8080:5000\",\
        \"map-detected-json\":\"[{\\\"container_port\\\":5000,\\\"host_port\\\":8080,\\\"scheme\\\":\\\"http\\\"}]\",\
        \"map-json\":\"[{\\\"container_port\\\":5000,\\\"host_port\\\":80,\\\"scheme\\\":\\\"http\\\"},{\\\"container_port\\\":5000,\\\"host_port\\\":443,\\\"scheme\\\":\\\"https\\\"}]\",\
        \"ports-map\":\"http:80:5000 https:443:5000\",\
        \"ports-map-detected\":\"http:8080:5000\",\
        \"ports-map-detected-json\":\"[{\\\"container_port\\\":5000,\\\"host_port\\\":8080,\\\"scheme\\\":\\\"http\\\"}]\",\
        \"ports-map-json\":\"[{\\\"container_port\\\":5000,\\\"host_port\\\":80,\\\"scheme\\\":\\\"http\\\"},{\\\"container_port\\\":5000,\\\"host_port\\\":443,\\\"scheme\\\":\\\"https\\\"}]\"}\n";
    root.dokku(&["ports:report", "web", "--format", "json"])
        .ok()
        .stdout(json);
    root.dokku(&["ports:report", "web", "--ports-map"])
        .ok()
        .stdout("http:80:5000 https:443:5000\n");
    root.dokku(&["ports:report", "--ports-map-detected"])
        .ok()
        .stdout("http:8080:5000\n");
    root.dokku(&["ports:report", "web", "--nope"]).code(1).stderr(
        " !     Invalid flag passed, valid flags: --ports-map, --ports-map-detected, --ports-map-detected-json, --ports-map-json\n",
    );
    root.dokku(&["ports:report", "web", "--format", "json", "--ports-map"])
        .code(1)
        .stderr(" !     --format flag cannot be specified when specifying an info flag\n");
    root.dokku(&["ports:report", "web", "--format", "xml"])
        .code(1)
        .stderr(" !     Format must be \"stdout\" or \"json\": \"xml\"\n");
    // Upstream drops the "only a single flag" error: nothing printed, status 0.
    root.dokku(&["ports:report", "web", "--ports-map", "--ports-map-json"])
        .ok()
        .stdout("")
        .stderr("");
    // No global values.
    root.dokku(&["ports:report", "--global"])
        .ok()
        .stdout("=====> --global ports information\n");
    root.dokku(&["ports:report", "--global", "--format", "json"])
        .ok()
        .stdout("{}\n");
    root.dokku(&["--quiet", "ports:report", "web", "--ports-map-json"])
        .ok()
        .stdout("[{\"container_port\":5000,\"host_port\":80,\"scheme\":\"http\"},{\"container_port\":5000,\"host_port\":443,\"scheme\":\"https\"}]\n");
    root.dokku(&["ports:report", "nope"])
        .code(20)
        .stderr(" !     App nope does not exist\n");
    // The `report` trigger prints the text report.
    trigger(&root, &["report", "web"])
        .ok()
        .stdout_has("=====> web ports information\n       Ports map:                     http:80:5000 https:443:5000\n");
}

#[test]
fn ports_get_and_detected() {
    let root = Root::new();
    app(&root, "web");
    // Nothing stored: the default mapping, on the proxy port when one is set.
    trigger(&root, &["ports-get", "web"])
        .ok()
        .stdout("http:80:5000\n");
    trigger(&root, &["ports-get", "web", "json"])
        .ok()
        .stdout("[{\"container_port\":5000,\"host_port\":80,\"scheme\":\"http\"}]\n");
    trigger(&root, &["ports-get", "web", "xml"])
        .code(1)
        .stderr(" !     Invalid format specified: xml\n");
    root.dokku(&["proxy:set", "--global", "proxy-port", "8000"])
        .ok();
    trigger(&root, &["ports-get", "web"])
        .ok()
        .stdout("http:8000:5000\n");
    trigger(&root, &["ports-get-property", "web", "proxy-port"])
        .ok()
        .stdout("8000\n");
    trigger(&root, &["ports-get-property", "web", "proxy-ssl-port"])
        .ok()
        .stdout("0\n");
    trigger(&root, &["ports-get-property", "web", "map"])
        .ok()
        .stdout("\n");

    // Detected mappings: unique per scheme:host-port, sorted, bare ports dropped, stopping at
    // the first invalid entry.
    trigger(
        &root,
        &[
            "ports-set-detected",
            "web",
            "http:80:3000",
            "http:80:4000 udp:53:53",
            "8080",
            "bad",
            "http:81:1",
        ],
    )
    .ok();
    assert_eq!(
        read(prop(&root, "ports", "web", "map-detected")).as_deref(),
        Some("http:80:3000\nudp:53:53\n")
    );
    trigger(&root, &["ports-get", "web"])
        .ok()
        .stdout("http:80:3000\nudp:53:53\n");
    trigger(&root, &["ports-get-property", "web", "map-detected"])
        .ok()
        .stdout("http:80:3000\nudp:53:53\n\n");

    // With a certificate, http:80 mappings get an https copy on the SSL port.
    add_cert(&root, "web");
    trigger(&root, &["ports-get", "web"])
        .ok()
        .stdout("http:80:3000\nudp:53:53\nhttps:443:3000\n");
    trigger(
        &root,
        &["ports-set-detected", "web", "http:8080:3000", "udp:53:53"],
    )
    .ok();
    // No http:80: every http mapping becomes https instead.
    trigger(&root, &["ports-get", "web"])
        .ok()
        .stdout("https:8080:3000\nudp:53:53\n");

    // The user's mappings win over the detected ones.
    root.dokku(&["ports:set", "web", "http:80:5000", "https:443:5000"])
        .ok();
    trigger(&root, &["ports-get", "web", "json"]).ok().stdout(
        "[{\"container_port\":5000,\"host_port\":80,\"scheme\":\"http\"},{\"container_port\":5000,\"host_port\":443,\"scheme\":\"https\"}]\n",
    );

    trigger(&root, &["ports-clear", "web"]).ok();
    assert_eq!(read(prop(&root, "ports", "web", "map")), None);
    assert_eq!(read(prop(&root, "ports", "web", "map-detected")), None);

    let port = trigger(&root, &["ports-get-available"]);
    port.ok();
    let n: u32 = port.stdout.trim().parse().unwrap();
    assert!((1025..=65535).contains(&n), "{n}");
}

#[test]
fn ports_configure() {
    let root = Root::new();
    app(&root, "web");
    app(&root, "api");
    // Vhosts enabled (nothing says otherwise): 80, or the global port.
    trigger(&root, &["ports-configure", "web"]).ok().stdout("");
    assert_eq!(
        read(prop(&root, "proxy", "web", "proxy-port")).as_deref(),
        Some("80")
    );
    assert_eq!(read(prop(&root, "proxy", "web", "proxy-ssl-port")), None);
    // An existing port is kept.
    trigger(&root, &["ports-configure", "web"]).ok().stdout("");
    assert_eq!(
        read(prop(&root, "proxy", "web", "proxy-port")).as_deref(),
        Some("80")
    );

    // Vhosts disabled: a random high port, announced; with a certificate an SSL one too.
    add_plugin(
        &root,
        "novhost",
        &[("domains-vhost-enabled", "[[ \"$1\" != api ]]")],
    );
    add_cert(&root, "api");
    let run = trigger(&root, &["ports-configure", "api"]);
    run.ok();
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{}", run.stdout);
    assert_eq!(
        lines[0],
        "-----> No port set, setting to random open high port"
    );
    let port = read(prop(&root, "proxy", "api", "proxy-port")).unwrap();
    assert_eq!(lines[1], format!("-----> Random port {port}"));
    assert!(port.parse::<u32>().unwrap() > 1024);
    assert_eq!(
        lines[2],
        "-----> No ssl port set, setting to random open high port"
    );
    let ssl: u32 = read(prop(&root, "proxy", "api", "proxy-ssl-port"))
        .unwrap()
        .parse()
        .unwrap();
    assert!(ssl > 1024);
}

#[test]
fn certs_triggers() {
    let root = Root::new();
    app(&root, "web");
    root.dokku(&["ports:set", "web", "http:80:5000", "http:8080:5000"])
        .ok();
    let proxy_dir = root.lib().join("config/proxy/web");
    fs::create_dir_all(&proxy_dir).unwrap();
    fs::write(proxy_dir.join("proxy-port"), "80").unwrap();
    fs::write(proxy_dir.join("proxy-ssl-port"), "443").unwrap();
    hook(&root, &["post-certs-update", "web"]).ok();
    assert!(!proxy_dir.join("proxy-port").exists());
    assert!(!proxy_dir.join("proxy-ssl-port").exists());
    assert_eq!(
        read(prop(&root, "ports", "web", "map")).as_deref(),
        Some("http:8080:5000\nhttp:80:5000\nhttps:443:5000\n")
    );
    // Already there: nothing added twice.
    hook(&root, &["post-certs-update", "web"]).ok();
    assert_eq!(
        read(prop(&root, "ports", "web", "map")).as_deref(),
        Some("http:8080:5000\nhttp:80:5000\nhttps:443:5000\n")
    );
    fs::write(proxy_dir.join("proxy-ssl-port"), "8443").unwrap();
    hook(&root, &["post-certs-remove", "web"]).ok();
    assert!(!proxy_dir.join("proxy-ssl-port").exists());
    assert_eq!(
        read(prop(&root, "ports", "web", "map")).as_deref(),
        Some("http:8080:5000\nhttp:80:5000\n")
    );
}

#[test]
fn lifecycle_triggers() {
    let root = Root::new();
    app(&root, "web");
    root.dokku(&["ports:set", "web", "http:80:5000"]).ok();
    trigger(&root, &["ports-set-detected", "web", "http:80:3000"]).ok();
    hook(&root, &["post-app-clone-setup", "web", "copy"]).ok();
    assert_eq!(
        read(prop(&root, "ports", "copy", "map")).as_deref(),
        Some("http:80:5000\n")
    );
    assert_eq!(
        read(prop(&root, "ports", "copy", "map-detected")).as_deref(),
        Some("http:80:3000\n")
    );
    hook(&root, &["post-app-rename-setup", "copy", "moved"]).ok();
    assert!(!root.lib().join("config/ports/copy").exists());
    assert_eq!(
        read(prop(&root, "ports", "moved", "map")).as_deref(),
        Some("http:80:5000\n")
    );
    hook(&root, &["post-delete", "moved"]).ok();
    assert!(!root.lib().join("config/ports/moved").exists());
    assert!(root.lib().join("config/ports/web/map").exists());
    // Hostile names are refused before any path is built.
    hook(&root, &["post-app-clone-setup", "web", "../../x"]).code(1);
    hook(&root, &["ports-set-detected", "../web", "http:80:1"]).code(1);
    assert!(!root.lib().join("config/x").exists());
    assert!(!root.lib().join("config/web").exists());
}

#[test]
fn install_migrates_the_port_map_variable() {
    let root = Root::new();
    app(&root, "web");
    app(&root, "api");
    add_plugin(
        &root,
        "legacyenv",
        &[
            (
                "config-get",
                "[[ \"$1\" == web && \"$2\" == DOKKU_PROXY_PORT_MAP ]] && echo 'http:080:5000 https:443:5000' || true",
            ),
            ("config-unset", "echo \"config-unset $* quiet=$DOKKU_QUIET_OUTPUT\" >>$REC"),
        ],
    );
    let install = root.lib().join("core-plugins/available/ports/install");
    let out = Run::from(
        root.command(&install)
            .env("PLUGIN_PATH", root.lib().join("plugins"))
            .env(
                "PLUGIN_CORE_AVAILABLE_PATH",
                root.lib().join("core-plugins/available"),
            )
            .output()
            .unwrap(),
    );
    out.ok().stdout(
        "-----> Migrating deprecated DOKKU_PROXY_PORT_MAP to ports map property for web. Use 'dokku ports:set web map <value>' to manage this going forward.\n",
    );
    assert_eq!(
        read(prop(&root, "ports", "web", "map")).as_deref(),
        Some("http:80:5000\nhttps:443:5000\n")
    );
    assert_eq!(read(prop(&root, "ports", "api", "map")), None);
    assert!(record(&root).contains("config-unset web DOKKU_PROXY_PORT_MAP quiet=1\n"));
    // Once migrated, a later install leaves the property alone.
    fs::write(prop(&root, "ports", "web", "map"), "udp:53:53\n").unwrap();
    Run::from(
        root.command(&install)
            .env("PLUGIN_PATH", root.lib().join("plugins"))
            .output()
            .unwrap(),
    )
    .ok()
    .stdout("");
    assert_eq!(
        read(prop(&root, "ports", "web", "map")).as_deref(),
        Some("udp:53:53\n")
    );
}
