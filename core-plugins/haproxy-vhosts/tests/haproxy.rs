//! `haproxy:*` and the haproxy-vhosts triggers through the real `dokku` entry point.

#[path = "../../caddy-vhosts/tests/shared/label_proxy.rs"]
mod shared;

const USAGE: &str = "Usage: dokku haproxy[:COMMAND]\n\
\n\
Manage the haproxy proxy integration\n\
\n\
Additional commands:\n\
\x20   haproxy:labels:add <app> <label> <value>   Add a label to an haproxy app\n\
\x20   haproxy:labels:remove <app> <label>        Remove a label from an haproxy app\n\
\x20   haproxy:labels:show <app> [<label>]        Show labels for an haproxy app\n\
\x20   haproxy:report [<app>] [<flag>]            Displays an haproxy report for one or more apps\n\
\x20   haproxy:set <app> <property> (<value>)     Set or clear an haproxy property for an app\n\
\x20   haproxy:show-config <app>                  Display haproxy compose config\n\
\x20   haproxy:start                              Starts the haproxy server\n\
\x20   haproxy:stop                               Stops the haproxy server\n";

const REPORT_WEB: &str = "=====> web haproxy information\n\
\x20      Haproxy computed image:              byjg/easy-haproxy:6.1.1\n\
\x20      Haproxy computed letsencrypt email:  \n\
\x20      Haproxy computed letsencrypt server: https://acme-v02.api.letsencrypt.org/directory\n\
\x20      Haproxy computed log level:          ERROR\n\
\x20      Haproxy computed refresh conf:       10\n\
\x20      Haproxy global image:                \n\
\x20      Haproxy global letsencrypt email:    \n\
\x20      Haproxy global letsencrypt server:   \n\
\x20      Haproxy global log level:            \n\
\x20      Haproxy global refresh conf:         \n";

/// The compose files, as upstream renders them (the stray quote after the email included).
const COMPOSE_DEFAULT: &str = "---\n\
services:\n\
\x20 haproxy:\n\
\x20   image: \"byjg/easy-haproxy:6.1.1\"\n\
\n\
\x20   environment:\n\
\x20     - EASYHAPROXY_DISCOVER=docker\n\
\x20     - EASYHAPROXY_LABEL_PREFIX=haproxy\n\
\x20     - EASYHAPROXY_LOG_LEVEL=ERROR\n\
\x20     - EASYHAPROXY_REFRESH_CONF=10\n\
\x20     - CERTBOT_LOG_LEVEL=ERROR\n\
\x20     - HAPROXY_LOG_LEVEL=ERROR\n\
\x20     \n\
\x20     - HAPROXY_STATS_PORT=false\n\
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
\x20     - \"/var/run/docker.sock:/var/run/docker.sock:ro\"\n";

const COMPOSE_LETSENCRYPT: &str = "---\n\
services:\n\
\x20 haproxy:\n\
\x20   image: \"byjg/easy-haproxy:6.1.1\"\n\
\n\
\x20   environment:\n\
\x20     - EASYHAPROXY_DISCOVER=docker\n\
\x20     - EASYHAPROXY_LABEL_PREFIX=haproxy\n\
\x20     - EASYHAPROXY_LOG_LEVEL=INFO\n\
\x20     - EASYHAPROXY_REFRESH_CONF=30\n\
\x20     - CERTBOT_LOG_LEVEL=INFO\n\
\x20     - HAPROXY_LOG_LEVEL=INFO\n\
\x20     \n\
\x20     - EASYHAPROXY_LETSENCRYPT_EMAIL=admin@example.com\"\n\
\x20     - EASYHAPROXY_LETSENCRYPT_SERVER=https://acme-v02.api.letsencrypt.org/directory\n\
\x20     \n\
\x20     - HAPROXY_STATS_PORT=false\n\
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
\x20     - \"/var/run/docker.sock:/var/run/docker.sock:ro\"\n";

#[test]
fn help() {
    shared::help("haproxy", USAGE);
}

#[test]
fn labels() {
    shared::labels("haproxy");
    shared::label_errors("haproxy");
}

#[test]
fn set_errors() {
    shared::set_errors(
        "haproxy",
        "Invalid key specified, valid keys include: image log-level letsencrypt-email letsencrypt-server refresh-conf",
    );
    let root = shared::root_with_app();
    root.dokku(&["haproxy:set", "web", "refresh-conf", "5"])
        .code(1)
        .stderr(" !     The key 'refresh-conf' can only be set globally\n");
}

#[test]
fn report() {
    let root = shared::root_with_app();
    root.dokku(&["haproxy:report", "web"])
        .ok()
        .stdout(REPORT_WEB)
        .stderr("");
    root.dokku(&["haproxy:set", "--global", "refresh-conf", "30"])
        .ok()
        .stdout("=====> Setting refresh-conf to 30\n");
    root.dokku(&[
        "haproxy:report",
        "--global",
        "--haproxy-global-refresh-conf",
    ])
    .ok()
    .stdout("30\n");
    root.dokku(&["haproxy:report", "web", "--format", "json"])
        .ok()
        .stdout_has("\"computed-refresh-conf\":\"30\",");
    // `report` trigger: the whole stdout report of one app.
    root.dokku(&["report", "web"])
        .ok()
        .stdout_has("=====> web haproxy information\n");
}

#[test]
fn lifecycle() {
    shared::lifecycle("haproxy", None, false);
}

#[test]
fn show_config() {
    let root = shared::root_with_app();
    shared::fake_docker(&root, true);
    assert_eq!(shared::show_config(&root, "haproxy"), COMPOSE_DEFAULT);
    for (key, value) in [
        ("letsencrypt-email", "admin@example.com"),
        ("log-level", "info"),
        ("refresh-conf", "30"),
    ] {
        root.dokku(&["haproxy:set", "--global", key, value]).ok();
    }
    assert_eq!(shared::show_config(&root, "haproxy"), COMPOSE_LETSENCRYPT);
}

#[test]
fn show_config_sources() {
    shared::show_config_sources(
        "haproxy",
        "map[HAPROXY_IMAGE:byjg/easy-haproxy:6.1.1 HAPROXY_LETSENCRYPT_EMAIL: \
HAPROXY_LETSENCRYPT_SERVER:https://acme-v02.api.letsencrypt.org/directory HAPROXY_LOG_LEVEL:ERROR \
HAPROXY_REFRESH_CONF:10]",
    );
}
