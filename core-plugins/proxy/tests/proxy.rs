//! `proxy:*`, the proxy triggers and the bash label helpers through the real `dokku` entry
//! point in a temporary install, with bash fixture plugins standing in for the proxy
//! implementations (nginx-vhosts, caddy, …) to prove what is fired and with which arguments.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;

use dokku_rs_testkit::{Root, Run};

const USAGE: &str = "Usage: dokku proxy[:COMMAND]\n\nManage the proxy integration for an app\n\nAdditional commands:\n\
\x20   proxy:build-config [--parallel count] [--all|<app>]  (Re)builds config for a given app\n\
\x20   proxy:clear-config [--all|<app>]                     Clears config for a given app\n\
\x20   proxy:disable <app>                                  Disable proxy for app\n\
\x20   proxy:enable <app>                                   Enable proxy for app\n\
\x20   proxy:report [<app>] [<flag>]                        Displays a proxy report for one or more apps\n\
\x20   proxy:set <app> <proxy-type>                         Set proxy type for app\n";

const MSG_NO_APP: &str = " !     Please specify an app to run the command on\n";
const MSG_INVALID: &str = " !     App name must begin with lowercase alphanumeric character, and may only contain lowercase alphanumerics, dots, and hyphens\n";

/// What the real nginx-vhosts (the default proxy type) prints on stdout when it rewrites the
/// nginx.conf of an undeployed app without domains (upstream's `nginx_build_config`: no
/// listeners, the default `http:80:5000` map, so the built-in template is rendered).
const NGINX_BUILT: &str = "-----> Creating http nginx.conf\n       Reloading nginx\n";

/// Its stderr then.
fn no_listeners(app: &str) -> String {
    format!(" !     No web listeners specified for {app}\n")
}

fn app(root: &Root, name: &str) {
    fs::create_dir_all(root.home().join(name)).unwrap();
}

fn prop(root: &Root, app: &str, key: &str) -> PathBuf {
    root.lib().join("config/proxy").join(app).join(key)
}

fn read(path: PathBuf) -> Option<String> {
    fs::read_to_string(path).ok()
}

fn record(root: &Root) -> String {
    fs::read_to_string(root.dir.join("record")).unwrap_or_default()
}

fn sorted_lines(text: &str) -> Vec<&str> {
    let mut lines: Vec<&str> = text.lines().collect();
    lines.sort_unstable();
    lines
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

/// A proxy implementation named `name`: like upstream's proxy plugins, each hook acts only
/// when `proxy-type` names it, and records `<name> <hook> <args>`.
fn add_fake_proxy(root: &Root, name: &str) {
    let body = |hook: &str| {
        format!(
            "[[ \"$1\" == --all || \"$(plugn trigger proxy-type \"$1\")\" == {name} ]] || exit 0\n\
             echo \"{name} {hook} $*\" >>$REC"
        )
    };
    let hooks: Vec<(String, String)> = [
        "proxy-build-config",
        "proxy-clear-config",
        "proxy-enable",
        "proxy-disable",
    ]
    .iter()
    .map(|h| (h.to_string(), body(h)))
    .collect();
    let refs: Vec<(&str, &str)> = hooks
        .iter()
        .map(|(h, b)| (h.as_str(), b.as_str()))
        .collect();
    add_plugin(root, name, &refs);
}

/// Run one of this plugin's triggers directly (not through `plugn trigger`, so other
/// plugins' hooks of the same name do not run).
fn hook(root: &Root, args: &[&str]) -> Run {
    let path = root
        .lib()
        .join("core-plugins/available/proxy")
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

#[test]
fn help_and_dead_subcommands() {
    let root = Root::new();
    root.dokku(&["proxy"]).ok().stdout(USAGE).stderr("");
    root.dokku(&["proxy:help"]).ok().stdout(USAGE).stderr("");
    let all = root.dokku(&["help", "--all"]);
    all.ok();
    // Like `column -t`, `help --all` pads every column but a row's last, so two-column rows
    // carry trailing spaces when another plugin's help line has a comma (a third column).
    assert!(
        all.stdout.lines().any(|l| l
            .starts_with("    proxy:build-config [--parallel count] [--all|<app>] ")
            && l.trim_end().ends_with(" (Re)builds config for a given app")),
        "{}",
        all.stdout
    );
    for dead in [
        "ports",
        "ports-add",
        "ports-clear",
        "ports-remove",
        "ports-set",
    ] {
        root.dokku(&[&format!("proxy:{dead}"), "web"])
            .code(1)
            .stdout("")
            .stderr(&format!(" !     Invalid plugin subcommand call: {dead}\n"));
    }
    root.dokku(&["proxy:enable", "--nope"]).code(2).stdout("").stderr(
        "Usage of proxy:enable:\n      --all            --all: enable proxy for all apps\n      --parallel int   --parallel: number of apps to enable proxy for in parallel, -1 to match cpu count\nunknown flag: --nope\n",
    );
    root.dokku(&["proxy:build-config", "--parallel", "x"]).code(2).stderr(
        "Usage of proxy:build-config:\n      --all            --all: build-config for all apps\n      --parallel int   --parallel: number of apps to build-config for in parallel, -1 to match cpu count\ninvalid argument \"x\" for \"--parallel\" flag: strconv.ParseInt: parsing \"x\": invalid syntax\n",
    );
    root.dokku(&["proxy:clear-config", "--parallel", "2"]).code(2).stderr(
        "Usage of proxy:clear-config:\n      --all   --all: build-config for all apps\nunknown flag: --parallel\n",
    );
    root.dokku(&["proxy:set", "-h"])
        .ok()
        .stderr("Usage of proxy:set:\n      --global   --global: set a global property\n");
}

#[test]
fn enable_disable() {
    let root = Root::new();
    app(&root, "web");
    add_fake_proxy(&root, "nginx");
    for cmd in [
        "proxy:enable",
        "proxy:disable",
        "proxy:build-config",
        "proxy:clear-config",
    ] {
        root.dokku(&[cmd]).code(1).stdout("").stderr(MSG_NO_APP);
        root.dokku(&[cmd, "nope"])
            .code(20)
            .stderr(" !     App nope does not exist\n");
        root.dokku(&[cmd, "../web"]).code(1).stderr(MSG_INVALID);
    }

    root.dokku(&["proxy:enable", "web"])
        .ok()
        .stdout("-----> Proxy is already enabled for app\n")
        .stderr("");
    // The real nginx-vhosts (the default proxy type is nginx) answers `proxy-disable` and
    // `proxy-enable` too, restarting the app, which ps refuses for an undeployed one.
    // Its `domains-disable` fires `post-domains-update`, where nginx-vhosts sees the proxy
    // disabled (there is no nginx.conf to delete yet).
    root.dokku(&["proxy:disable", "web"])
        .ok()
        .stdout("-----> Disabling proxy for app\n-----> Nginx support is disabled for app (web)\n")
        .stderr(" !     App web has not been deployed\n");
    assert_eq!(
        read(prop(&root, "web", "disabled")).as_deref(),
        Some("true")
    );
    let mode = fs::metadata(prop(&root, "web", "disabled"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
    root.dokku(&["proxy:disable", "web"])
        .ok()
        .stdout("-----> Proxy is already disable for app\n");
    hook(&root, &["proxy-is-enabled", "web"])
        .ok()
        .stdout("false\n");
    // `domains-enable` turns vhosts back on and nginx-vhosts writes the app's nginx.conf.
    root.dokku(&["proxy:enable", "web"])
        .ok()
        .stdout(&format!("-----> Enabling proxy for app\n{NGINX_BUILT}"))
        .stderr(&format!(
            "{} !     App web has not been deployed\n",
            no_listeners("web")
        ));
    assert!(root.home().join("web/nginx.conf").is_file());
    assert_eq!(read(prop(&root, "web", "disabled")), None);
    hook(&root, &["proxy-is-enabled", "web"])
        .ok()
        .stdout("true\n");
    // Only `true` disables.
    fs::write(prop(&root, "web", "disabled"), "yes").unwrap();
    hook(&root, &["proxy-is-enabled", "web"])
        .ok()
        .stdout("true\n");
    assert_eq!(
        record(&root),
        "nginx proxy-disable web\nnginx proxy-enable web\n"
    );
}

#[test]
fn dispatch_goes_to_the_selected_proxy() {
    let root = Root::new();
    app(&root, "web");
    app(&root, "api");
    add_fake_proxy(&root, "nginx");
    add_fake_proxy(&root, "caddy");
    root.dokku(&["proxy:set", "api", "caddy"])
        .ok()
        .stdout("=====> Setting type to caddy\n");
    // The real nginx-vhosts builds for the nginx app (and ignores the caddy one) too.
    root.dokku(&["proxy:build-config", "web"])
        .ok()
        .stdout(NGINX_BUILT)
        .stderr(&no_listeners("web"));
    root.dokku(&["proxy:build-config", "api"])
        .ok()
        .stdout("")
        .stderr("");
    assert!(!root.home().join("api/nginx.conf").exists());
    root.dokku(&["proxy:clear-config", "api"]).ok();
    root.dokku(&["proxy:disable", "api"]).ok();
    assert_eq!(
        record(&root),
        "nginx proxy-build-config web\n\
         caddy proxy-build-config api\n\
         caddy proxy-clear-config api\n\
         caddy proxy-disable api\n"
    );
    // `clear-config --all` fires once, with `--all`, for every implementation to handle.
    fs::remove_file(root.dir.join("record")).unwrap();
    root.dokku(&["proxy:clear-config", "--all"]).ok().stdout("");
    assert_eq!(
        sorted_lines(&record(&root)),
        vec![
            "caddy proxy-clear-config --all",
            "nginx proxy-clear-config --all"
        ]
    );
    // The global type applies to apps without their own.
    root.dokku(&["proxy:set", "--global", "caddy"])
        .ok()
        .stdout("=====> Setting type to caddy\n");
    fs::remove_file(root.dir.join("record")).unwrap();
    root.dokku(&["proxy:build-config", "web"]).ok();
    assert_eq!(record(&root), "caddy proxy-build-config web\n");
}

#[test]
fn all_apps_serial_and_parallel() {
    let root = Root::new();
    root.dokku(&["proxy:build-config", "--all"])
        .ok()
        .stdout("")
        .stderr(" !     Running build-config in serial mode\n !     You haven't deployed any applications yet\n");
    app(&root, "a");
    app(&root, "b");
    add_plugin(
        &root,
        "recorder",
        &[("proxy-build-config", "echo \"build $*\" >>$REC")],
    );
    root.dokku(&["proxy:build-config", "--all"])
        .ok()
        .stdout(&format!("-----> Running build-config against app a\n{NGINX_BUILT}-----> Running build-config against app b\n{NGINX_BUILT}"))
        .stderr(&format!(
            " !     Running build-config in serial mode\n{}{}",
            no_listeners("a"),
            no_listeners("b")
        ));
    assert_eq!(record(&root), "build a\nbuild b\n");
    let run = root.dokku(&["proxy:build-config", "--all", "--parallel", "2"]);
    run.ok();
    // The apps run side by side, so only the lines are fixed, not their order.
    assert_eq!(
        sorted_lines(&run.stdout),
        vec![
            "       Reloading nginx",
            "       Reloading nginx",
            "-----> Creating http nginx.conf",
            "-----> Creating http nginx.conf",
            "-----> Running command against a",
            "-----> Running command against b",
        ]
    );
    assert_eq!(
        sorted_lines(&run.stderr),
        vec![
            " !     No web listeners specified for a",
            " !     No web listeners specified for b",
        ]
    );
    root.dokku(&["proxy:build-config", "--all", "--parallel", "-2"])
        .code(1)
        .stdout("")
        .stderr(" !     Invalid value -2 for --parallel flag\n");
    let run = root.dokku(&["proxy:disable", "--parallel=-1", "--all"]);
    run.ok();
    assert!(
        run.stderr
            .starts_with(" !     Setting --parallel=-1 value to CPU count of "),
        "{}",
        run.stderr
    );
    assert_eq!(read(prop(&root, "a", "disabled")).as_deref(), Some("true"));
    assert_eq!(read(prop(&root, "b", "disabled")).as_deref(), Some("true"));
    root.dokku(&["proxy:enable", "--all"])
        .ok()
        .stdout(&format!("-----> Running enable against app a\n-----> Enabling proxy for app\n{NGINX_BUILT}-----> Running enable against app b\n-----> Enabling proxy for app\n{NGINX_BUILT}"))
        // The real nginx-vhosts rebuilds each app's config, then restarts the app, which ps
        // refuses for undeployed ones.
        .stderr(&format!(
            " !     Running enable in serial mode\n{} !     App a has not been deployed\n{} !     App b has not been deployed\n",
            no_listeners("a"),
            no_listeners("b")
        ));

    // A failing implementation is counted, the other apps still run.
    add_plugin(
        &root,
        "picky",
        &[("proxy-build-config", "[[ \"$1\" != b ]]")],
    );
    // nginx-vhosts runs before picky, so b's config is written before the failure.
    root.dokku(&["proxy:build-config", "--all"])
        .code(1)
        .stdout(&format!("-----> Running build-config against app a\n{NGINX_BUILT}-----> Running build-config against app b\n{NGINX_BUILT}"))
        .stderr(&format!(
            " !     Running build-config in serial mode\n{}{} !     Error running build-config against app b: \n !     build-config command returned 1 errors\n",
            no_listeners("a"),
            no_listeners("b")
        ));
    let run = root.dokku(&["proxy:build-config", "--all", "--parallel", "4"]);
    run.code(1);
    assert!(
        run.stderr
            .ends_with(" !     Encountered 1 errors during parallel run\n"),
        "{}",
        run.stderr
    );
    assert_eq!(
        sorted_lines(&run.stderr),
        vec![
            " !     Encountered 1 errors during parallel run",
            " !     Error running build-config against b: ",
            " !     No web listeners specified for a",
            " !     No web listeners specified for b",
        ]
    );
    root.dokku(&["proxy:build-config", "b"])
        .code(1)
        .stdout(NGINX_BUILT)
        .stderr(&no_listeners("b"));
}

#[test]
fn set_command() {
    let root = Root::new();
    app(&root, "web");
    root.dokku(&["proxy:set", "web", "caddy"])
        .ok()
        .stdout("=====> Setting type to caddy\n")
        .stderr("");
    assert_eq!(read(prop(&root, "web", "type")).as_deref(), Some("caddy"));
    root.dokku(&["proxy:set", "web", "type", "traefik"])
        .ok()
        .stdout("=====> Setting type to traefik\n");
    root.dokku(&["proxy:set", "web", "proxy-port", "8080"])
        .ok()
        .stdout("=====> Setting proxy-port to 8080\n");
    assert_eq!(
        read(prop(&root, "web", "proxy-port")).as_deref(),
        Some("8080")
    );
    root.dokku(&["proxy:set", "web", "type"])
        .ok()
        .stdout("=====> Unsetting type\n");
    assert_eq!(read(prop(&root, "web", "type")), None);
    // No property at all unsets the type too.
    root.dokku(&["proxy:set", "web", "caddy"]).ok();
    root.dokku(&["proxy:set", "web"])
        .ok()
        .stdout("=====> Unsetting type\n");
    assert_eq!(read(prop(&root, "web", "type")), None);
    root.dokku(&["--quiet", "proxy:set", "web", "caddy"])
        .ok()
        .stdout("");

    root.dokku(&["proxy:set", "web", "http:80:5000"])
        .code(1)
        .stdout("")
        .stderr(" !     Detected potential port mapping instead of proxy type\n !     Consider using ports:set command or specifying a valid proxy\n");
    // That check comes before the app is looked at, as upstream.
    root.dokku(&["proxy:set", "nope", "http:80:5000"])
        .code(1)
        .stderr(" !     Detected potential port mapping instead of proxy type\n !     Consider using ports:set command or specifying a valid proxy\n");
    root.dokku(&["proxy:set", "web", "nope", "x"]).code(1).stderr(
        " !     Invalid property specified, valid properties include: disabled, proxy-port, proxy-ssl-port, type\n",
    );
    root.dokku(&["proxy:set", "nope", "caddy"])
        .code(20)
        .stderr(" !     App nope does not exist\n");
    root.dokku(&["proxy:set"]).code(1).stderr(MSG_NO_APP);
    root.dokku(&["proxy:set", "Web", "caddy"])
        .code(1)
        .stderr(MSG_INVALID);

    root.dokku(&["proxy:set", "--global", "haproxy"])
        .ok()
        .stdout("=====> Setting type to haproxy\n");
    assert_eq!(
        read(prop(&root, "--global", "type")).as_deref(),
        Some("haproxy")
    );
    root.dokku(&["proxy:set", "--global", "proxy-ssl-port", "8443"])
        .ok()
        .stdout("=====> Setting proxy-ssl-port to 8443\n");
    root.dokku(&["proxy:set", "--global", "disabled", "true"])
        .code(1)
        .stderr(" !     Property cannot be specified globally\n");
    assert_eq!(read(prop(&root, "--global", "disabled")), None);
}

#[test]
fn report() {
    let root = Root::new();
    root.dokku(&["proxy:report"])
        .ok()
        .stdout("")
        .stderr(" !     You haven't deployed any applications yet\n");
    app(&root, "web");
    root.dokku(&["proxy:report", "web"]).ok().stderr("").stdout(
        "=====> web proxy information\n\
         \x20      Proxy computed disabled:       false\n\
         \x20      Proxy computed proxy port:     \n\
         \x20      Proxy computed proxy ssl port: \n\
         \x20      Proxy computed type:           nginx\n\
         \x20      Proxy disabled:                \n\
         \x20      Proxy enabled:                 true\n\
         \x20      Proxy global proxy port:       \n\
         \x20      Proxy global proxy ssl port:   \n\
         \x20      Proxy global type:             \n\
         \x20      Proxy proxy port:              \n\
         \x20      Proxy proxy ssl port:          \n\
         \x20      Proxy type:                    \n",
    );
    root.dokku(&["proxy:set", "--global", "traefik"]).ok();
    root.dokku(&["proxy:set", "--global", "proxy-port", "8080"])
        .ok();
    root.dokku(&["proxy:set", "web", "proxy-ssl-port", "8443"])
        .ok();
    root.dokku(&["proxy:disable", "web"]).ok();
    root.dokku(&["proxy:report", "web", "--format", "json"]).ok().stdout(
        "{\"computed-disabled\":\"true\",\"computed-proxy-port\":\"8080\",\"computed-proxy-ssl-port\":\"8443\",\
         \"computed-type\":\"traefik\",\"disabled\":\"true\",\"enabled\":\"false\",\"global-proxy-port\":\"8080\",\
         \"global-proxy-ssl-port\":\"\",\"global-type\":\"traefik\",\"proxy-computed-disabled\":\"true\",\
         \"proxy-computed-proxy-port\":\"8080\",\"proxy-computed-proxy-ssl-port\":\"8443\",\
         \"proxy-computed-type\":\"traefik\",\"proxy-disabled\":\"true\",\"proxy-enabled\":\"false\",\
         \"proxy-global-proxy-port\":\"8080\",\"proxy-global-proxy-ssl-port\":\"\",\"proxy-global-type\":\"traefik\",\
         \"proxy-port\":\"\",\"proxy-proxy-port\":\"\",\"proxy-proxy-ssl-port\":\"8443\",\"proxy-ssl-port\":\"8443\",\
         \"proxy-type\":\"\",\"type\":\"\"}\n",
    );
    root.dokku(&["proxy:report", "--global"]).ok().stdout(
        "=====> --global proxy information\n\
         \x20      Proxy computed proxy port:     8080\n\
         \x20      Proxy computed proxy ssl port: \n\
         \x20      Proxy computed type:           traefik\n\
         \x20      Proxy global proxy port:       8080\n\
         \x20      Proxy global proxy ssl port:   \n\
         \x20      Proxy global type:             traefik\n",
    );
    root.dokku(&["proxy:report", "web", "--proxy-computed-type"])
        .ok()
        .stdout("traefik\n");
    root.dokku(&["proxy:report", "--global", "--proxy-enabled"]).code(1).stderr(
        " !     Invalid flag passed, valid flags: --proxy-computed-proxy-port, --proxy-computed-proxy-ssl-port, --proxy-computed-type, --proxy-global-proxy-port, --proxy-global-proxy-ssl-port, --proxy-global-type\n",
    );
    root.dokku(&["--quiet", "proxy:report", "web"])
        .ok()
        .stdout_has("       Proxy enabled:                 false\n");
    hook(&root, &["report", "web"])
        .ok()
        .stdout_has("=====> web proxy information\n");
}

#[test]
fn type_and_lifecycle_triggers() {
    let root = Root::new();
    app(&root, "web");
    hook(&root, &["proxy-type", "web"]).ok().stdout("nginx\n");
    root.dokku(&["proxy:set", "--global", "caddy"]).ok();
    hook(&root, &["proxy-type", "web"]).ok().stdout("caddy\n");
    root.dokku(&["proxy:set", "web", "haproxy"]).ok();
    hook(&root, &["proxy-type", "web"]).ok().stdout("haproxy\n");
    root.dokku(&["proxy:disable", "web"]).ok();

    hook(&root, &["post-app-clone-setup", "web", "copy"]).ok();
    assert_eq!(
        read(prop(&root, "copy", "type")).as_deref(),
        Some("haproxy")
    );
    assert_eq!(
        read(prop(&root, "copy", "disabled")).as_deref(),
        Some("true")
    );
    hook(&root, &["post-app-rename-setup", "copy", "moved"]).ok();
    assert!(!root.lib().join("config/proxy/copy").exists());
    assert_eq!(
        read(prop(&root, "moved", "type")).as_deref(),
        Some("haproxy")
    );
    hook(&root, &["post-delete", "moved"]).ok();
    assert!(!root.lib().join("config/proxy/moved").exists());
    assert!(prop(&root, "web", "type").exists());
    assert!(prop(&root, "--global", "type").exists());
    hook(&root, &["post-app-rename-setup", "web", "../x"]).code(1);
    hook(&root, &["post-delete", ""]).code(1);
    assert!(root.lib().join("config/proxy/web").exists());
}

#[test]
fn install_migrates_old_variables() {
    let root = Root::new();
    app(&root, "web");
    add_plugin(
        &root,
        "legacyenv",
        &[
            (
                "config-get",
                "case \"$1:$2\" in web:DOKKU_APP_PROXY_TYPE) echo caddy ;; web:DOKKU_DISABLE_PROXY) echo 1 ;; esac",
            ),
            (
                "config-get-global",
                "case \"$1\" in DOKKU_PROXY_TYPE) echo traefik ;; DOKKU_PROXY_PORT) echo 8080 ;; esac",
            ),
            ("config-unset", "echo \"config-unset $*\" >>$REC"),
        ],
    );
    hook(&root, &["install"]).ok().stdout(
        "-----> Migrating deprecated global DOKKU_PROXY_TYPE to proxy type property. Use 'dokku proxy:set --global type <value>' to manage this going forward.\n\
         -----> Migrating deprecated DOKKU_APP_PROXY_TYPE to proxy type property for web. Use 'dokku proxy:set web type <value>' to manage this going forward.\n\
         -----> Migrating deprecated DOKKU_DISABLE_PROXY to proxy disabled property for web. Use 'dokku proxy:set web disabled <value>' to manage this going forward.\n\
         -----> Migrating deprecated global DOKKU_PROXY_PORT to proxy proxy-port property. Use 'dokku proxy:set --global proxy-port <value>' to manage this going forward.\n",
    );
    assert_eq!(
        read(prop(&root, "--global", "type")).as_deref(),
        Some("traefik")
    );
    assert_eq!(read(prop(&root, "web", "type")).as_deref(), Some("caddy"));
    assert_eq!(
        read(prop(&root, "web", "disabled")).as_deref(),
        Some("true")
    );
    assert_eq!(
        read(prop(&root, "--global", "proxy-port")).as_deref(),
        Some("8080")
    );
    assert_eq!(
        record(&root),
        "config-unset --global DOKKU_PROXY_TYPE\n\
         config-unset web DOKKU_APP_PROXY_TYPE\n\
         config-unset web DOKKU_DISABLE_PROXY\n\
         config-unset --global DOKKU_PROXY_PORT\n"
    );
    hook(&root, &["install"]).ok().stdout("");
}

/// A label-based proxy plugin whose `commands` use the shared bash helpers, as upstream's
/// caddy/haproxy/openresty/traefik plugins do.
fn add_label_proxy(root: &Root) {
    root.write_exec(
        "lib/plugins/available/fakeproxy/plugin.toml",
        "[plugin]\ndescription = \"fakeproxy\"\nversion = \"0.1.0\"\n[plugin.config]\n",
    );
    root.write_exec(
        "lib/plugins/available/fakeproxy/commands",
        "#!/usr/bin/env bash\n\
         source \"$PLUGIN_AVAILABLE_PATH/proxy/command-functions\"\n\
         case \"$1\" in\n\
         \x20 fakeproxy:labels:add) cmd-proxy-labels-add \"proxy:labels:add\" fakeproxy \"${@:2}\" ;;\n\
         \x20 fakeproxy:labels:remove) cmd-proxy-labels-remove \"proxy:labels:remove\" fakeproxy \"${@:2}\" ;;\n\
         \x20 fakeproxy:labels:show) cmd-proxy-labels-show \"proxy:labels:show\" fakeproxy \"${@:2}\" ;;\n\
         \x20 fakeproxy:escape) fn-proxy-escape-extended-sed \"$2\" ;;\n\
         \x20 fakeproxy:path) fn-proxy-get-labels-file-path fakeproxy \"$2\" ;;\n\
         \x20 *) exit \"$DOKKU_NOT_IMPLEMENTED_EXIT\" ;;\n\
         esac\n",
    );
    root.plugn(&["enable", "fakeproxy"]).ok();
}

#[test]
fn bash_label_helpers() {
    let root = Root::new();
    app(&root, "web");
    add_label_proxy(&root);
    let dir = root.lib().join("config/fakeproxy/web");
    fs::create_dir_all(&dir).unwrap();
    let labels = dir.join("labels");

    root.dokku(&["fakeproxy:path", "web"])
        .ok()
        .stdout(&format!("{}\n", labels.display()));
    root.dokku(&["fakeproxy:escape", "a.b[c]*(d)|e/f\\g$^?+{}h"])
        .ok()
        .stdout("a\\.b\\[c\\]\\*\\(d\\)\\|e\\/f\\\\g\\$\\^\\?\\+\\{\\}h\n");

    root.dokku(&["fakeproxy:labels:show", "web"])
        .ok()
        .stdout("")
        .stderr(" !     No fakeproxy labels set for web\n");
    root.dokku(&["fakeproxy:labels:add", "web", "b.rule", "Host(`x.com`)"])
        .ok()
        .stdout("");
    root.dokku(&["fakeproxy:labels:add", "web", "a", "1"]).ok();
    root.dokku(&["fakeproxy:labels:add", "web", "a", "2"]).ok();
    root.dokku(&["fakeproxy:labels:add", "web", "a.x", "3"])
        .ok();
    assert_eq!(
        read(labels.clone()).as_deref(),
        Some("a.x=3\na=2\nb.rule=Host(`x.com`)\n")
    );
    root.dokku(&["fakeproxy:labels:show", "web"]).ok().stdout(
        "=====> web fakeproxy labels\n       a.x=3\n       a=2\n       b.rule=Host(`x.com`)\n",
    );
    root.dokku(&["fakeproxy:labels:show", "web", "b.rule"])
        .ok()
        .stdout("Host(`x.com`)\n");
    root.dokku(&["fakeproxy:labels:show", "web", "missing"])
        .ok()
        .stdout("\n");
    root.dokku(&["fakeproxy:labels:remove", "web", "a"])
        .ok()
        .stdout("");
    assert_eq!(
        read(labels.clone()).as_deref(),
        Some("a.x=3\nb.rule=Host(`x.com`)\n")
    );
    root.dokku(&["fakeproxy:labels:remove", "web", "a."]).ok();
    assert_eq!(
        read(labels.clone()).as_deref(),
        Some("a.x=3\nb.rule=Host(`x.com`)\n")
    );
    // Nothing but the labels file is left behind by the atomic rewrites.
    let entries: Vec<String> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(entries, vec!["labels"]);

    root.dokku(&["fakeproxy:labels:add", "web", "a"])
        .code(1)
        .stderr(" !     Please specify a value for the container label\n");
    root.dokku(&["fakeproxy:labels:add", "web"])
        .code(1)
        .stderr(" !     Please specify a container label for the app\n");
    root.dokku(&["fakeproxy:labels:remove", "web"])
        .code(1)
        .stderr(" !     Please specify a container label for the app\n");
    root.dokku(&["fakeproxy:labels:add", "nope", "a", "1"])
        .code(20)
        .stderr(" !     App nope does not exist\n");
    root.dokku(&["--quiet", "fakeproxy:labels:show", "web"])
        .ok()
        .stdout("       a.x=3\n       b.rule=Host(`x.com`)\n");
}
