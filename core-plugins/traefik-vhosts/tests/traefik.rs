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

/// The compose files, as upstream renders them (`@LIB@` is `DOKKU_LIB_ROOT`; the
/// htpasswd salt and hash are random, `@SALT@` and `@HASH@` here).
const COMPOSE_DEFAULT: &str = "---\n\
services:\n\
\x20 traefik:\n\
\x20   image: \"traefik:v3.7.10\"\n\
\x20   command:\n\
\x20     - --entrypoints.http.address=:80\n\
\x20     \n\
\x20     \n\
\x20     - --providers.docker\n\
\x20     - --providers.docker.exposedByDefault=false\n\
\x20     - --api=false\n\
\x20     - --api.dashboard=false\n\
\n\
\x20     - --log.level=ERROR\n\
\x20     - --log.format=json\n\
\n\
\x20     \n\
\n\
\x20   \n\
\n\
\x20   \n\
\x20   labels: []\n\
\x20   \n\
\n\
\x20     \n\
\n\
\x20     \n\
\n\
\x20     \n\
\n\
\x20   network_mode: bridge\n\
\n\
\x20   ports:\n\
\x20     - \"80:80\"\n\
\x20     \n\
\x20     \n\
\n\
\x20   restart: unless-stopped\n\
\n\
\x20   volumes:\n\
\x20     - \"/var/run/docker.sock:/var/run/docker.sock:ro\"\n\
\x20     - \"@LIB@/data/traefik:/data\"\n";

const COMPOSE_LETSENCRYPT: &str = "---\n\
services:\n\
\x20 traefik:\n\
\x20   image: \"traefik:v3.7.10\"\n\
\x20   command:\n\
\x20     - --entrypoints.http.address=:80\n\
\x20     \n\
\x20     - --entrypoints.http.http.redirections.entrypoint.to=https\n\
\x20     - --entrypoints.http.http.redirections.entrypoint.scheme=https\n\
\x20     - --entrypoints.https.address=:443\n\
\x20     \n\
\x20     \n\
\x20     - --providers.docker\n\
\x20     - --providers.docker.exposedByDefault=false\n\
\x20     - --api=false\n\
\x20     - --api.dashboard=false\n\
\n\
\x20     - --log.level=ERROR\n\
\x20     - --log.format=json\n\
\n\
\x20     \n\
\x20     - --certificatesresolvers.leresolver.acme.caserver=https://acme-v02.api.letsencrypt.org/directory\n\
\x20     - --certificatesresolvers.leresolver.acme.email=admin@example.com\n\
\x20     - --certificatesresolvers.leresolver.acme.storage=/data/acme.json\n\
\x20     \n\
\x20     - --certificatesresolvers.leresolver.acme.tlschallenge=true\n\
\x20     \n\
\x20     \n\
\n\
\x20   \n\
\n\
\x20   \n\
\x20   labels:\n\
\x20   \n\
\n\
\x20     \n\
\n\
\x20     \n\
\n\
\x20     \n\
\x20     - \"traefik.http.routers.api.tls.certresolver=leresolver\"\n\
\x20     \n\
\n\
\x20   network_mode: bridge\n\
\n\
\x20   ports:\n\
\x20     - \"80:80\"\n\
\x20     \n\
\x20     - \"443:443\"\n\
\x20     \n\
\x20     \n\
\n\
\x20   restart: unless-stopped\n\
\n\
\x20   volumes:\n\
\x20     - \"/var/run/docker.sock:/var/run/docker.sock:ro\"\n\
\x20     - \"@LIB@/data/traefik:/data\"\n";

const COMPOSE_FULL: &str = "---\n\
services:\n\
\x20 traefik:\n\
\x20   image: \"traefik:v3.7.10\"\n\
\x20   command:\n\
\x20     - --entrypoints.http.address=:80\n\
\x20     \n\
\x20     - --entrypoints.http.http.redirections.entrypoint.to=https\n\
\x20     - --entrypoints.http.http.redirections.entrypoint.scheme=https\n\
\x20     - --entrypoints.https.address=:443\n\
\x20     \n\
\x20     \n\
\x20     - --providers.docker\n\
\x20     - --providers.docker.exposedByDefault=false\n\
\x20     - --api=true\n\
\x20     - --api.dashboard=true\n\
\n\
\x20     - --log.level=WARN\n\
\x20     - --log.format=json\n\
\n\
\x20     \n\
\x20     - --certificatesresolvers.leresolver.acme.caserver=https://acme-v02.api.letsencrypt.org/directory\n\
\x20     - --certificatesresolvers.leresolver.acme.email=admin@example.com\n\
\x20     - --certificatesresolvers.leresolver.acme.storage=/data/acme.json\n\
\x20     \n\
\x20     - --certificatesresolvers.leresolver.acme.dnschallenge=true\n\
\x20     - --certificatesresolvers.leresolver.acme.dnschallenge.provider=route53\n\
\x20     \n\
\x20     \n\
\n\
\x20   \n\
\x20   environment:\n\
\x20     \n\
\x20     \n\
\x20     \n\
\x20     \n\
\x20     \n\
\x20     - AWS_ACCESS_KEY_ID=AKIA123\n\
\x20     \n\
\x20     \n\
\x20     \n\
\x20     \n\
\x20     \n\
\x20     \n\
\x20     - AWS_REGION=us-east-1\n\
\x20     \n\
\x20     \n\
\x20   \n\
\n\
\x20   \n\
\x20   labels:\n\
\x20   \n\
\n\
\x20     \n\
\x20     # Dashboard\n\
\x20     - \"traefik.enable=true\"\n\
\x20     - \"traefik.http.routers.api.rule=Host(`traefik.example.com`)\"\n\
\x20     - \"traefik.http.routers.api.service=api@internal\"\n\
\x20     - \"traefik.http.routers.api.entrypoints=https\"\n\
\x20     \n\
\n\
\x20     \n\
\x20     - \"traefik.http.routers.api.middlewares=auth\"\n\
\x20     - \"traefik.http.middlewares.auth.basicauth.users=admin:$$apr1$$@SALT@$$@HASH@\"\n\
\x20     \n\
\n\
\x20     \n\
\x20     - \"traefik.http.routers.api.tls.certresolver=leresolver\"\n\
\x20     \n\
\n\
\x20   network_mode: bridge\n\
\n\
\x20   ports:\n\
\x20     - \"80:80\"\n\
\x20     \n\
\x20     - \"443:443\"\n\
\x20     \n\
\x20     \n\
\n\
\x20   restart: unless-stopped\n\
\n\
\x20   volumes:\n\
\x20     - \"/var/run/docker.sock:/var/run/docker.sock:ro\"\n\
\x20     - \"@LIB@/data/traefik:/data\"\n";

const COMPOSE_API_ENTRY_POINT: &str = "---\n\
services:\n\
\x20 traefik:\n\
\x20   image: \"traefik:v3.7.10\"\n\
\x20   command:\n\
\x20     - --entrypoints.http.address=:80\n\
\x20     \n\
\x20     \n\
\x20     - --entrypoints.dashboard.address=0.0.0.0:8080\n\
\x20     \n\
\x20     - --providers.docker\n\
\x20     - --providers.docker.exposedByDefault=false\n\
\x20     - --api=true\n\
\x20     - --api.dashboard=false\n\
\n\
\x20     - --log.level=ERROR\n\
\x20     - --log.format=json\n\
\n\
\x20     \n\
\n\
\x20   \n\
\n\
\x20   \n\
\x20   labels:\n\
\x20   \n\
\n\
\x20     \n\
\x20     # Dashboard\n\
\x20     - \"traefik.enable=true\"\n\
\x20     - \"traefik.http.routers.api.rule=Host(`traefik.dokku.me`)\"\n\
\x20     - \"traefik.http.routers.api.service=api@internal\"\n\
\x20     - \"traefik.http.routers.api.entrypoints=dashboard\"\n\
\x20     \n\
\n\
\x20     \n\
\n\
\x20     \n\
\n\
\x20   network_mode: bridge\n\
\n\
\x20   ports:\n\
\x20     - \"80:80\"\n\
\x20     \n\
\x20     \n\
\x20     - \"0.0.0.0:8080:8080\"\n\
\x20     \n\
\n\
\x20   restart: unless-stopped\n\
\n\
\x20   volumes:\n\
\x20     - \"/var/run/docker.sock:/var/run/docker.sock:ro\"\n\
\x20     - \"@LIB@/data/traefik:/data\"\n";

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

fn set_global(root: &dokku_rs_testkit::Root, settings: &[(&str, &str)]) {
    for (key, value) in settings {
        root.dokku(&["traefik:set", "--global", key, value]).ok();
    }
}

#[test]
fn show_config() {
    let root = shared::root_with_app();
    shared::fake_docker(&root, true);
    assert_eq!(
        shared::show_config(&root, "traefik"),
        shared::expand(&root, COMPOSE_DEFAULT)
    );
    set_global(&root, &[("letsencrypt-email", "admin@example.com")]);
    assert_eq!(
        shared::show_config(&root, "traefik"),
        shared::expand(&root, COMPOSE_LETSENCRYPT)
    );
}

/// The API router with basic auth, the DNS challenge and its provider's variables (sorted by
/// name; upstream's order is Go's random map order).
#[test]
fn show_config_api_auth_dns() {
    let root = shared::root_with_app();
    shared::fake_docker(&root, true);
    set_global(
        &root,
        &[
            ("letsencrypt-email", "admin@example.com"),
            ("api-enabled", "true"),
            ("dashboard-enabled", "true"),
            ("api-vhost", "traefik.example.com"),
            ("basic-auth-username", "admin"),
            ("basic-auth-password", "s3cret"),
            ("challenge-mode", "dns"),
            ("dns-provider", "route53"),
            ("dns-provider-AWS_REGION", "us-east-1"),
            ("dns-provider-AWS_ACCESS_KEY_ID", "AKIA123"),
            ("log-level", "warn"),
        ],
    );
    let out = shared::show_config(&root, "traefik");
    let users = out
        .lines()
        .find_map(|l| l.trim().strip_prefix("- \"traefik.http.middlewares.auth.basicauth.users="))
        .expect("basic auth label");
    let hash = users
        .strip_suffix('"')
        .and_then(|u| u.strip_prefix("admin:$$apr1$$"))
        .expect("apr1 line with doubled dollars");
    let (salt, digest) = hash.split_once("$$").expect("salt and hash");
    // The same line `htpasswd -nb admin s3cret` would accept: checked with openssl.
    let check = std::process::Command::new("openssl")
        .args(["passwd", "-apr1", "-salt", salt, "s3cret"])
        .output()
        .expect("run openssl");
    assert_eq!(
        String::from_utf8_lossy(&check.stdout),
        format!("$apr1${salt}${digest}\n")
    );
    let expected = shared::expand(&root, COMPOSE_FULL)
        .replace("@SALT@", salt)
        .replace("@HASH@", digest);
    assert_eq!(out, expected);
}

#[test]
fn show_config_api_entry_point() {
    let root = shared::root_with_app();
    shared::fake_docker(&root, true);
    set_global(
        &root,
        &[
            ("api-enabled", "true"),
            ("api-entry-point", "dashboard"),
            ("api-entry-point-address", "0.0.0.0:8080"),
            // Only one of the two basic-auth settings: no auth.
            ("basic-auth-username", "admin"),
        ],
    );
    assert_eq!(
        shared::show_config(&root, "traefik"),
        shared::expand(&root, COMPOSE_API_ENTRY_POINT)
    );
    // htpasswd refuses a username holding a colon, and the command fails as it does.
    set_global(&root, &[("basic-auth-username", "ad:min"), ("basic-auth-password", "pw")]);
    root.dokku(&["traefik:show-config", "web"])
        .code(6)
        .stdout("")
        .stderr("htpasswd: username contains illegal character ':'\n");
}

#[test]
fn show_config_sources() {
    shared::show_config_sources(
        "traefik",
        "map[TRAEFIK_API_ENABLED:false TRAEFIK_API_ENTRY_POINT: TRAEFIK_API_ENTRY_POINT_ADDRESS: \
TRAEFIK_API_ENTRY_POINT_PORT: TRAEFIK_API_VHOST:traefik.dokku.me TRAEFIK_BASIC_AUTH: \
TRAEFIK_CHALLENGE_MODE:tls TRAEFIK_DASHBOARD_ENABLED:false TRAEFIK_DATA_DIR:@LIB@/data/traefik \
TRAEFIK_DNS_PROVIDER: TRAEFIK_DNS_PROVIDER_ENV_VARS: TRAEFIK_IMAGE:traefik:v3.7.10 \
TRAEFIK_LETSENCRYPT_EMAIL: TRAEFIK_LETSENCRYPT_SERVER:https://acme-v02.api.letsencrypt.org/directory \
TRAEFIK_LOG_LEVEL:ERROR]",
    );
}
