//! `traefik:*` and the traefik-vhosts triggers through the real `dokku` entry point.

#[path = "../../caddy-vhosts/tests/shared/label_proxy.rs"]
mod shared;

const USAGE: &str = "Usage: dokku traefik[:COMMAND]\n\
\n\
Manage the traefik proxy integration\n\
\n\
Additional commands:\n\
\x20   traefik:labels:add <app> <label> <value>   Add a label to an traefik app\n\
\x20   traefik:labels:remove <app> <label>        Remove a label from an traefik app\n\
\x20   traefik:labels:show <app> [<label>]        Show labels for an traefik app\n\
\x20   traefik:report [<app>] [<flag>]            Displays an traefik report for one or more apps\n\
\x20   traefik:set <app> <property> (<value>)     Set or clear an traefik property for an app\n\
\x20   traefik:show-config <app>                  Display traefik compose config\n\
\x20   traefik:start                              Starts the traefik server\n\
\x20   traefik:stop                               Stops the traefik server\n";

#[test]
fn help() {
    shared::help("traefik", USAGE);
}

#[test]
fn labels() {
    shared::labels("traefik");
    shared::label_errors("traefik");
}

#[test]
fn set_errors() {
    shared::set_errors(
        "traefik",
        "Invalid key specified, valid keys include: api-enabled api-entry-point api-entry-point-address api-vhost challenge-mode dashboard-enabled basic-auth-username basic-auth-password dns-provider dns-provider-<ENV_VAR> image letsencrypt-email letsencrypt-server log-level http-entry-point https-entry-point",
    );
    let root = shared::root_with_app();
    root.dokku(&["traefik:set", "web", "dns-provider-CF_API_KEY", "k"])
        .code(1)
        .stderr(" !     The key 'dns-provider-CF_API_KEY' can only be set globally\n");
    assert!(!shared::prop_path(&root, "traefik", "web", "dns-provider-CF_API_KEY").exists());
}

#[test]
fn secrets_are_masked_in_stdout_only() {
    let root = shared::root_with_app();
    root.dokku(&["traefik:set", "--global", "basic-auth-password", "s3cret"])
        .ok()
        .stdout("=====> Setting basic-auth-password to s3cret\n");
    root.dokku(&["traefik:set", "--global", "dns-provider-CF_API_KEY", "k3y"])
        .ok();
    root.dokku(&["traefik:set", "--global", "basic-auth-username", "admin"])
        .ok();
    let run = root.dokku(&["traefik:report", "web"]);
    run.ok()
        .stdout_has("       Traefik computed basic auth password:     *******\n")
        .stdout_has("       Traefik computed basic auth username:     admin\n")
        .stdout_has("       Traefik global basic auth password:       *******\n")
        .stdout_has("       Traefik global dns provider CF_API_KEY:   *******\n");
    assert!(!run.stdout.contains("s3cret") && !run.stdout.contains("k3y"));
    root.dokku(&[
        "traefik:report",
        "web",
        "--traefik-global-basic-auth-password",
    ])
    .ok()
    .stdout("s3cret\n");
    root.dokku(&[
        "traefik:report",
        "web",
        "--traefik-global-dns-provider-CF_API_KEY",
    ])
    .ok()
    .stdout("k3y\n");
    root.dokku(&["traefik:report", "web", "--format", "json"])
        .ok()
        .stdout_has("\"global-basic-auth-password\":\"s3cret\",")
        .stdout_has("\"global-dns-provider-CF_API_KEY\":\"k3y\",");
    root.dokku(&["traefik:set", "--global", "dns-provider-CF_API_KEY"])
        .ok()
        .stdout("=====> Unsetting dns-provider-CF_API_KEY\n");
    root.dokku(&["traefik:report", "web"]).ok();
    assert!(!root
        .dokku(&["traefik:report", "web"])
        .stdout
        .contains("CF_API_KEY"));
}

#[test]
fn report_defaults() {
    let root = shared::root_with_app();
    let run = root.dokku(&["traefik:report", "web"]);
    run.ok()
        .stdout_has("=====> web traefik information\n       Traefik computed api enabled:             false\n")
        .stdout_has("       Traefik computed image:                   traefik:v3.7.10\n")
        .stdout_has("       Traefik global log level:                 \n");
    assert_eq!(run.stdout.lines().count(), 31);
}

#[test]
fn lifecycle() {
    shared::lifecycle("traefik", None, false);
}
