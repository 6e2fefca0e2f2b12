//! dokku-rs core plugin `traefik-vhosts`: traefik settings, report, container labels and the
//! compose file traefik:show-config prints (see dokku_common::label_proxy). traefik:start/stop
//! are deploy work.

use dokku_common::label_proxy::{Config, Fallback::*, Param::*, Prop};

const KEYS: &[&str] = &[
    "api-enabled",
    "api-entry-point",
    "api-entry-point-address",
    "api-vhost",
    "challenge-mode",
    "dashboard-enabled",
    "basic-auth-username",
    "basic-auth-password",
    "dns-provider",
    "image",
    "letsencrypt-email",
    "letsencrypt-server",
    "log-level",
    "http-entry-point",
    "https-entry-point",
];

static CONFIG: Config = Config {
    proxy: "traefik",
    dir: "traefik-vhosts",
    description: "Manage the traefik proxy integration",
    help: &[
        "    traefik:report [<app>] [<flag>], Displays an traefik report for one or more apps",
        "    traefik:set <app> <property> (<value>), Set or clear an traefik property for an app",
        "    traefik:show-config <app>, Display traefik compose config",
        "    traefik:labels:add <app> <label> <value>, Add a label to an traefik app",
        "    traefik:labels:remove <app> <label>, Remove a label from an traefik app",
        "    traefik:labels:show <app> [<label>], Show labels for an traefik app",
        "    traefik:start, Starts the traefik server",
        "    traefik:stop, Stops the traefik server",
    ],
    props: &[
        Prop::global("api-enabled", Static("false")),
        Prop::global("api-entry-point", Static("")),
        Prop::global("api-entry-point-address", Static("")),
        Prop::global("api-vhost", Static("traefik.dokku.me")),
        Prop::global("basic-auth-password", Static("")).secret(),
        Prop::global("basic-auth-username", Static("")),
        Prop::global("challenge-mode", Static("tls")),
        Prop::global("dashboard-enabled", Static("false")),
        Prop::global("dns-provider", Static("")),
        Prop::global("http-entry-point", Static("http")),
        Prop::global("https-entry-point", Static("https")),
        Prop::global("image", DockerfileImage),
        Prop::global("letsencrypt-email", Static("")),
        Prop::global("letsencrypt-server", Static("https://acme-v02.api.letsencrypt.org/directory")),
        Prop::global("log-level", Static("ERROR")).upper(),
    ],
    valid_keys: KEYS,
    global_keys: KEYS,
    global_only_keys: KEYS,
    invalid_key: "Invalid key specified, valid keys include: api-enabled api-entry-point api-entry-point-address api-vhost challenge-mode dashboard-enabled basic-auth-username basic-auth-password dns-provider dns-provider-<ENV_VAR> image letsencrypt-email letsencrypt-server log-level http-entry-point https-entry-point",
    env_prefix: Some("dns-provider-"),
    data_dirs: &["traefik"],
    compose: &[
        ("TRAEFIK_API_ENABLED", Computed("api-enabled")),
        ("TRAEFIK_API_ENTRY_POINT", Computed("api-entry-point")),
        ("TRAEFIK_API_ENTRY_POINT_ADDRESS", Computed("api-entry-point-address")),
        ("TRAEFIK_API_ENTRY_POINT_PORT", ApiEntryPointPort),
        ("TRAEFIK_API_VHOST", Computed("api-vhost")),
        ("TRAEFIK_BASIC_AUTH", BasicAuth),
        ("TRAEFIK_CHALLENGE_MODE", Computed("challenge-mode")),
        ("TRAEFIK_DASHBOARD_ENABLED", Computed("dashboard-enabled")),
        ("TRAEFIK_DATA_DIR", DataDir("traefik")),
        ("TRAEFIK_DNS_PROVIDER", Computed("dns-provider")),
        ("TRAEFIK_DNS_PROVIDER_ENV_VARS", DnsProviderEnvVars),
        ("TRAEFIK_IMAGE", Computed("image")),
        ("TRAEFIK_LETSENCRYPT_EMAIL", Computed("letsencrypt-email")),
        ("TRAEFIK_LETSENCRYPT_SERVER", Computed("letsencrypt-server")),
        ("TRAEFIK_LOG_LEVEL", Computed("log-level")),
    ],
};

dokku_common::label_proxy_main!(CONFIG, false);
