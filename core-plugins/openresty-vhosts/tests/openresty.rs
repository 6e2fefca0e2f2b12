//! `openresty:*` and the openresty-vhosts triggers through the real `dokku` entry point.

#[path = "../../caddy-vhosts/tests/shared/label_proxy.rs"]
mod shared;

const USAGE: &str = "Usage: dokku openresty[:COMMAND]\n\
\n\
Manage the openresty proxy integration\n\
\n\
Additional commands:\n\
\x20   openresty:labels:add <app> <label> <value>   Add a label to an openresty app\n\
\x20   openresty:labels:remove <app> <label>        Remove a label from an openresty app\n\
\x20   openresty:labels:show <app> [<label>]        Show labels for an openresty app\n\
\x20   openresty:report [<app>] [<flag>]            Displays an openresty report for one or more apps\n\
\x20   openresty:set <app> <property> (<value>)     Set or clear an openresty property for an app\n\
\x20   openresty:show-config <app>                  Display openresty compose config\n\
\x20   openresty:start                              Starts the openresty server\n\
\x20   openresty:stop                               Stops the openresty server\n";

/// The compose files, as upstream renders them (`@LIB@` is `DOKKU_LIB_ROOT`).
const COMPOSE_DEFAULT: &str = "---\n\
services:\n\
\x20 openresty:\n\
\x20   image: \"dokku/openresty-docker-proxy:0.12.1\"\n\
\n\
\x20   environment:\n\
\x20     - OPENRESTY_LABEL_PREFIX=openresty.\n\
\x20     \n\
\n\
\x20   network_mode: bridge\n\
\n\
\x20   ports:\n\
\x20     - \"80:80\"\n\
\x20     \n\
\n\
\x20   restart: unless-stopped\n\
\n\
\x20   volumes:\n\
\x20     - \"/var/run/docker.sock:/var/run/docker.sock:ro\"\n\
\x20     - \"@LIB@/data/openresty-vhosts/.docker-letsencrypt:/etc/resty-auto-ssl\"\n";

const COMPOSE_LETSENCRYPT: &str = "---\n\
services:\n\
\x20 openresty:\n\
\x20   image: \"dokku/openresty-docker-proxy:0.12.1\"\n\
\n\
\x20   environment:\n\
\x20     - OPENRESTY_LABEL_PREFIX=openresty.\n\
\x20     \n\
\x20     - OPENRESTY_LETSENCRYPT_EMAIL=admin@example.com\n\
\x20     - OPENRESTY_LETSENCRYPT_CA=https://acme-v02.api.letsencrypt.org/directory\n\
\x20     \n\
\n\
\x20   network_mode: bridge\n\
\n\
\x20   ports:\n\
\x20     - \"80:80\"\n\
\x20     \n\
\x20     - \"443:443\"\n\
\x20     \n\
\n\
\x20   restart: unless-stopped\n\
\n\
\x20   volumes:\n\
\x20     - \"/var/run/docker.sock:/var/run/docker.sock:ro\"\n\
\x20     - \"@LIB@/data/openresty-vhosts/.docker-letsencrypt:/etc/resty-auto-ssl\"\n";

#[test]
fn help() {
    shared::help("openresty", USAGE);
}

#[test]
fn labels() {
    shared::labels("openresty");
    shared::label_errors("openresty");
}

#[test]
fn set_errors() {
    shared::set_errors(
        "openresty",
        "Invalid key specified, valid keys include: access-log-format, access-log-path, allowed-letsencrypt-domains-func-base64, bind-address-ipv4, bind-address-ipv6, client-body-timeout, client-header-timeout, client-max-body-size, error-log-path, hsts, hsts-include-subdomains, hsts-preload, hsts-max-age, image, keepalive-timeout, log-level, letsencrypt-email, letsencrypt-server, lingering-timeout, proxy-connect-timeout, proxy-connect-timeout, proxy-read-timeout, proxy-send-timeout, send-timeout, underscore-in-headers, x-forwarded-for-value, x-forwarded-port-value, x-forwarded-proto-value, x-forwarded-ssl",
    );
}

#[test]
fn report_computed_values() {
    let root = shared::root_with_app();
    let one = |flag: &str, expected: &str| {
        root.dokku(&["openresty:report", "web", flag])
            .ok()
            .stdout(expected);
    };
    one(
        "--openresty-computed-access-log-path",
        "/var/log/nginx/web-access.log\n",
    );
    one(
        "--openresty-computed-allowed-letsencrypt-domains-func-base64",
        "cmV0dXJuIHRydWU=\n",
    );
    one("--openresty-computed-hsts", "true\n");
    one("--openresty-computed-client-max-body-size", "1m\n");
    root.dokku(&["openresty:set", "--global", "client-max-body-size", "5m"])
        .ok();
    root.dokku(&["openresty:set", "web", "hsts", "false"])
        .ok()
        .stdout("=====> Setting hsts to false\n");
    root.dokku(&[
        "openresty:set",
        "--global",
        "allowed-letsencrypt-domains-func-base64",
        "return false",
    ])
    .ok();
    one("--openresty-computed-client-max-body-size", "5m\n");
    one("--openresty-client-max-body-size", "\n");
    one("--openresty-computed-hsts", "false\n");
    one(
        "--openresty-global-allowed-letsencrypt-domains-func-base64",
        "return false\n",
    );
    one(
        "--openresty-computed-allowed-letsencrypt-domains-func-base64",
        "cmV0dXJuIGZhbHNl\n",
    );
    root.dokku(&["openresty:set", "web", "client-max-body-size", "10m"])
        .ok();
    one("--openresty-computed-client-max-body-size", "10m\n");
    // Per-app lines only exist for apps.
    root.dokku(&["openresty:report", "--global", "--openresty-hsts"])
        .code(1)
        .stderr_has("Invalid flag passed");
    let run = root.dokku(&["openresty:report", "web"]);
    run.ok()
        .stdout_has("=====> web openresty information\n       Openresty access log format:                                \n")
        .stdout_has("       Openresty computed x forwarded for value:                   $remote_addr\n");
    assert_eq!(run.stdout.lines().count(), 1 + 32 * 2 + 27);
}

#[test]
fn lifecycle() {
    // Upstream openresty-vhosts carries properties (and so labels) on clone and rename.
    shared::lifecycle("openresty", Some("hsts"), true);
}

#[test]
fn show_config() {
    let root = shared::root_with_app();
    shared::fake_docker(&root, true);
    assert_eq!(
        shared::show_config(&root, "openresty"),
        shared::expand(&root, COMPOSE_DEFAULT)
    );
    root.dokku(&["openresty:set", "--global", "letsencrypt-email", "admin@example.com"])
        .ok();
    // Per-app settings do not reach the proxy's compose file.
    root.dokku(&["openresty:set", "web", "client-max-body-size", "5m"])
        .ok();
    assert_eq!(
        shared::show_config(&root, "openresty"),
        shared::expand(&root, COMPOSE_LETSENCRYPT)
    );
}

#[test]
fn show_config_sources() {
    shared::show_config_sources(
        "openresty",
        "map[ALLOWED_DOMAINS_FUNC_BASE64:cmV0dXJuIHRydWUK \
OPENRESTY_DATA_DIR:@LIB@/data/openresty-vhosts/.docker-letsencrypt \
OPENRESTY_IMAGE:dokku/openresty-docker-proxy:0.12.1 OPENRESTY_LETSENCRYPT_EMAIL: \
OPENRESTY_LETSENCRYPT_SERVER:https://acme-v02.api.letsencrypt.org/directory]",
    );
}

/// The allowed-domains function reaches custom templates as the base64 of the stored value
/// and a newline (upstream pipes `prop get-with-default` output into `base64`); an empty value
/// leaves the parameter out.
#[test]
fn show_config_allowed_domains_func() {
    let root = shared::root_with_app();
    shared::fake_docker(&root, true);
    let template = root.dir.join("func.sigil");
    std::fs::write(&template, "{{ $.ALLOWED_DOMAINS_FUNC_BASE64 }}\n").unwrap();
    let hook = format!("echo '{}'", template.display());
    dokku_rs_testkit::support::add_plugin(
        &root,
        "custom-compose",
        &[("openresty-template-source", &hook)],
    );
    root.dokku(&[
        "openresty:set",
        "--global",
        "allowed-letsencrypt-domains-func-base64",
        "return domain == \"example.com\"",
    ])
    .ok();
    assert_eq!(
        shared::show_config(&root, "openresty"),
        "cmV0dXJuIGRvbWFpbiA9PSAiZXhhbXBsZS5jb20iCg==\n"
    );
    let path = shared::prop_path(
        &root,
        "openresty",
        "--global",
        "allowed-letsencrypt-domains-func-base64",
    );
    std::fs::write(&path, "").unwrap();
    assert_eq!(shared::show_config(&root, "openresty"), "<no value>\n");
}
