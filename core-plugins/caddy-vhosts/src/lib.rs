//! dokku-rs core plugin `caddy-vhosts`: caddy settings, report, container labels and the
//! compose file caddy:show-config prints (see dokku_common::label_proxy). caddy:start/stop
//! are deploy work.

use dokku_common::label_proxy::{Config, Fallback::*, Param::*, Prop};

const KEYS: &[&str] = &[
    "image",
    "letsencrypt-email",
    "letsencrypt-server",
    "log-level",
    "polling-interval",
    "tls-internal",
];

static CONFIG: Config = Config {
    proxy: "caddy",
    dir: "caddy-vhosts",
    description: "Manage the caddy proxy integration",
    help: &[
        "    caddy:report [<app>] [<flag>], Displays an caddy report for one or more apps",
        "    caddy:set [<app>|--global] <property> (<value>), Set or clear an caddy property for an app or globally",
        "    caddy:show-config <app>, Display caddy compose config",
        "    caddy:labels:add <app> <label> <value>, Add a label to an caddy app",
        "    caddy:labels:remove <app> <label>, Remove a label from an caddy app",
        "    caddy:labels:show <app> [<label>], Show labels for an caddy app",
        "    caddy:start, Starts the caddy server",
        "    caddy:stop, Stops the caddy server",
    ],
    props: &[
        Prop::global("image", DockerfileImage),
        Prop::global("letsencrypt-email", Static("")),
        Prop::global("letsencrypt-server", Static("https://acme-v02.api.letsencrypt.org/directory")),
        Prop::global("log-level", Static("ERROR")).upper(),
        Prop::global("polling-interval", Static("5s")),
        Prop::app("tls-internal", Static("false")),
    ],
    valid_keys: KEYS,
    global_keys: KEYS,
    global_only_keys: &["image", "letsencrypt-email", "letsencrypt-server", "log-level", "polling-interval"],
    invalid_key: "Invalid key specified, valid keys include: image letsencrypt-email letsencrypt-server log-level polling-interval tls-internal",
    env_prefix: None,
    data_dirs: &["caddy"],
    compose: &[
        ("CADDY_DATA_DIR", DataDir("caddy")),
        ("CADDY_IMAGE", Computed("image")),
        ("CADDY_LETSENCRYPT_EMAIL", Computed("letsencrypt-email")),
        ("CADDY_LETSENCRYPT_SERVER", Computed("letsencrypt-server")),
        ("CADDY_LOG_LEVEL", Computed("log-level")),
        ("CADDY_POLLING_INTERVAL", Computed("polling-interval")),
    ],
};

dokku_common::label_proxy_main!(CONFIG, false);
