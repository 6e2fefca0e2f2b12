//! `caddy:*` and the caddy-vhosts triggers through the real `dokku` entry point.

#[path = "shared/label_proxy.rs"]
mod shared;

const USAGE: &str = "Usage: dokku caddy[:COMMAND]\n\
\n\
Manage the caddy proxy integration\n\
\n\
Additional commands:\n\
\x20   caddy:labels:add <app> <label> <value>            Add a label to an caddy app\n\
\x20   caddy:labels:remove <app> <label>                 Remove a label from an caddy app\n\
\x20   caddy:labels:show <app> [<label>]                 Show labels for an caddy app\n\
\x20   caddy:report [<app>] [<flag>]                     Displays an caddy report for one or more apps\n\
\x20   caddy:set [<app>|--global] <property> (<value>)   Set or clear an caddy property for an app or globally\n\
\x20   caddy:show-config <app>                           Display caddy compose config\n\
\x20   caddy:start                                       Starts the caddy server\n\
\x20   caddy:stop                                        Stops the caddy server\n";

const REPORT_WEB: &str = "=====> web caddy information\n\
\x20      Caddy computed image:              lucaslorentz/caddy-docker-proxy:2.13\n\
\x20      Caddy computed letsencrypt email:  \n\
\x20      Caddy computed letsencrypt server: https://acme-v02.api.letsencrypt.org/directory\n\
\x20      Caddy computed log level:          ERROR\n\
\x20      Caddy computed polling interval:   5s\n\
\x20      Caddy computed tls internal:       false\n\
\x20      Caddy global image:                \n\
\x20      Caddy global letsencrypt email:    \n\
\x20      Caddy global letsencrypt server:   \n\
\x20      Caddy global log level:            \n\
\x20      Caddy global polling interval:     \n\
\x20      Caddy global tls internal:         \n\
\x20      Caddy tls internal:                \n";

/// The compose files, as upstream renders them (`@LIB@` is `DOKKU_LIB_ROOT`).
const COMPOSE_DEFAULT: &str = "---\n\
services:\n\
\x20 caddy:\n\
\x20   image: \"lucaslorentz/caddy-docker-proxy:2.13\"\n\
\n\
\x20   environment:\n\
\x20     - CADDY_INGRESS_NETWORKS=bridge\n\
\x20     - CADDY_DOCKER_POLLING_INTERVAL=5s\n\
\n\
\x20   labels: # Global options\n\
\x20     - caddy.log.format=json\n\
\x20     - caddy.log.level=ERROR\n\
\x20     \n\
\x20     - \"caddy.auto_https=off\"\n\
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
\x20     - \"@LIB@/data/caddy:/data\"\n";

const COMPOSE_LETSENCRYPT: &str = "---\n\
services:\n\
\x20 caddy:\n\
\x20   image: \"my/caddy:1\"\n\
\n\
\x20   environment:\n\
\x20     - CADDY_INGRESS_NETWORKS=bridge\n\
\x20     - CADDY_DOCKER_POLLING_INTERVAL=10s\n\
\n\
\x20   labels: # Global options\n\
\x20     - caddy.log.format=json\n\
\x20     - caddy.log.level=DEBUG\n\
\x20     \n\
\x20     - \"caddy.email=admin@example.com\"\n\
\x20     - \"caddy.acme_ca=https://acme-staging-v02.api.letsencrypt.org/directory\"\n\
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
\x20     - \"@LIB@/data/caddy:/data\"\n";

#[test]
fn help() {
    shared::help("caddy", USAGE);
}

#[test]
fn labels() {
    shared::labels("caddy");
    shared::label_errors("caddy");
}

#[test]
fn set_errors() {
    shared::set_errors(
        "caddy",
        "Invalid key specified, valid keys include: image letsencrypt-email letsencrypt-server log-level polling-interval tls-internal",
    );
}

#[test]
fn report_and_tls_internal() {
    let root = shared::root_with_app();
    root.dokku(&["caddy:report", "web"])
        .ok()
        .stdout(REPORT_WEB)
        .stderr("");
    root.dokku(&["caddy:set", "--global", "tls-internal", "true"])
        .ok();
    root.dokku(&["caddy:report", "web", "--caddy-computed-tls-internal"])
        .ok()
        .stdout("true\n");
    root.dokku(&["caddy:set", "web", "tls-internal", "false"])
        .ok()
        .stdout("=====> Setting tls-internal to false\n");
    root.dokku(&["caddy:report", "web", "--caddy-computed-tls-internal"])
        .ok()
        .stdout("false\n");
    root.dokku(&["caddy:set", "--global", "log-level", "debug"])
        .ok();
    root.dokku(&["caddy:report", "web", "--caddy-computed-log-level"])
        .ok()
        .stdout("DEBUG\n");
    root.dokku(&["caddy:report", "web", "--format", "json"])
        .ok()
        .stdout("{\"computed-image\":\"lucaslorentz/caddy-docker-proxy:2.13\",\"computed-letsencrypt-email\":\"\",\"computed-letsencrypt-server\":\"https://acme-v02.api.letsencrypt.org/directory\",\"computed-log-level\":\"DEBUG\",\"computed-polling-interval\":\"5s\",\"computed-tls-internal\":\"false\",\"global-image\":\"\",\"global-letsencrypt-email\":\"\",\"global-letsencrypt-server\":\"\",\"global-log-level\":\"debug\",\"global-polling-interval\":\"\",\"global-tls-internal\":\"true\",\"tls-internal\":\"false\"}\n");
    root.dokku(&["caddy:report", "web", "--caddy-bogus"])
        .code(1)
        .stderr_has("Invalid flag passed, valid flags: --caddy-computed-image, ");
}

#[test]
fn show_config() {
    let root = shared::root_with_app();
    shared::fake_docker(&root, true);
    assert_eq!(
        shared::show_config(&root, "caddy"),
        shared::expand(&root, COMPOSE_DEFAULT)
    );
    for (key, value) in [
        ("letsencrypt-email", "admin@example.com"),
        ("letsencrypt-server", "https://acme-staging-v02.api.letsencrypt.org/directory"),
        ("log-level", "debug"),
        ("polling-interval", "10s"),
        ("image", "my/caddy:1"),
    ] {
        root.dokku(&["caddy:set", "--global", key, value]).ok();
    }
    // Per-app settings do not reach the proxy's compose file.
    root.dokku(&["caddy:set", "web", "tls-internal", "true"]).ok();
    assert_eq!(
        shared::show_config(&root, "caddy"),
        shared::expand(&root, COMPOSE_LETSENCRYPT)
    );
}

#[test]
fn show_config_sources() {
    shared::show_config_sources(
        "caddy",
        "map[CADDY_DATA_DIR:@LIB@/data/caddy CADDY_IMAGE:lucaslorentz/caddy-docker-proxy:2.13 \
CADDY_LETSENCRYPT_EMAIL: CADDY_LETSENCRYPT_SERVER:https://acme-v02.api.letsencrypt.org/directory \
CADDY_LOG_LEVEL:ERROR CADDY_POLLING_INTERVAL:5s]",
    );
}

#[test]
fn lifecycle() {
    // Upstream caddy-vhosts has no clone/rename triggers.
    shared::lifecycle("caddy", Some("tls-internal"), false);
}
