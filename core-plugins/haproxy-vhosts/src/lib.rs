//! dokku-rs core plugin `haproxy-vhosts`: haproxy settings, report, container labels and the
//! compose file haproxy:show-config prints (see dokku_common::label_proxy). haproxy:start/stop
//! are deploy work.

use dokku_common::label_proxy::{Config, Fallback::*, Param::*, Prop};

const KEYS: &[&str] = &[
    "image",
    "log-level",
    "letsencrypt-email",
    "letsencrypt-server",
    "refresh-conf",
];

static CONFIG: Config = Config {
    proxy: "haproxy",
    dir: "haproxy-vhosts",
    description: "Manage the haproxy proxy integration",
    help: &[
        "    haproxy:report [<app>] [<flag>], Displays an haproxy report for one or more apps",
        "    haproxy:set <app> <property> (<value>), Set or clear an haproxy property for an app",
        "    haproxy:show-config <app>, Display haproxy compose config",
        "    haproxy:labels:add <app> <label> <value>, Add a label to an haproxy app",
        "    haproxy:labels:remove <app> <label>, Remove a label from an haproxy app",
        "    haproxy:labels:show <app> [<label>], Show labels for an haproxy app",
        "    haproxy:start, Starts the haproxy server",
        "    haproxy:stop, Stops the haproxy server",
    ],
    props: &[
        Prop::global("image", DockerfileImage),
        Prop::global("letsencrypt-email", Static("")),
        Prop::global("letsencrypt-server", Static("https://acme-v02.api.letsencrypt.org/directory")),
        Prop::global("log-level", Static("ERROR")).upper(),
        Prop::global("refresh-conf", Static("10")),
    ],
    valid_keys: KEYS,
    global_keys: KEYS,
    global_only_keys: KEYS,
    invalid_key: "Invalid key specified, valid keys include: image log-level letsencrypt-email letsencrypt-server refresh-conf",
    env_prefix: None,
    data_dirs: &["haproxy"],
    compose: &[
        ("HAPROXY_IMAGE", Computed("image")),
        ("HAPROXY_LOG_LEVEL", Computed("log-level")),
        ("HAPROXY_LETSENCRYPT_EMAIL", Computed("letsencrypt-email")),
        ("HAPROXY_LETSENCRYPT_SERVER", Computed("letsencrypt-server")),
        ("HAPROXY_REFRESH_CONF", Computed("refresh-conf")),
    ],
};

dokku_common::label_proxy_main!(CONFIG, false);
