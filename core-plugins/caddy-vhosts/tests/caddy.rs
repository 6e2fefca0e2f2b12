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
fn show_config_needs_compose_or_is_deploy_work() {
    let root = shared::root_with_app();
    let run = root.dokku(&["caddy:show-config", "web"]);
    run.code(1);
    assert!(
        run.stderr == " !     Required docker compose plugin is not installed\n"
            || run.stderr == " !     caddy:show-config is not implemented in dokku-rs yet\n",
        "{}",
        run.stderr
    );
}

#[test]
fn lifecycle() {
    // Upstream caddy-vhosts has no clone/rename triggers.
    shared::lifecycle("caddy", Some("tls-internal"), false);
}
