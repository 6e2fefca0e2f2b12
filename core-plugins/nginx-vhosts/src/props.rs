//! The nginx properties (`config/nginx/<app|--global>/<key>`): their app, global and
//! computed values. Every key may be set per app and globally.

use dokku_common::property::{Store, GLOBAL};

/// The property plugin name (the plugin itself is `nginx-vhosts`).
pub const PLUGIN: &str = "nginx";

/// Every `nginx:set` key, in the order upstream lists them in its error message.
pub const KEYS: &[&str] = &[
    "access-log-format",
    "access-log-path",
    "bind-address-ipv4",
    "bind-address-ipv6",
    "client-body-timeout",
    "client-header-timeout",
    "client-max-body-size",
    "disable-custom-config",
    "error-log-path",
    "hsts",
    "hsts-include-subdomains",
    "hsts-preload",
    "hsts-max-age",
    "keepalive-timeout",
    "lingering-timeout",
    "nginx-conf-sigil-path",
    "nginx-service-command",
    "proxy-buffer-size",
    "proxy-buffering",
    "proxy-buffers",
    "proxy-busy-buffers-size",
    "proxy-connect-timeout",
    "proxy-read-timeout",
    "proxy-send-timeout",
    "proxy-keepalive",
    "send-timeout",
    "underscore-in-headers",
    "x-forwarded-for-value",
    "x-forwarded-port-value",
    "x-forwarded-proto-value",
    "x-forwarded-ssl",
];

pub fn is_key(key: &str) -> bool {
    KEYS.contains(&key)
}

pub fn store() -> Store {
    Store::from_env()
}

/// The value stored for the app (`""` when unset).
pub fn app_value(app: &str, key: &str) -> String {
    store().get(PLUGIN, app, key)
}

/// The global value (`""` when unset).
pub fn global_value(key: &str) -> String {
    store().get(PLUGIN, GLOBAL, key)
}

/// Where nginx logs go: openresty's directory when `/usr/bin/openresty` exists as a file.
pub fn log_root() -> &'static str {
    let openresty = std::fs::metadata("/usr/bin/openresty")
        .map(|m| !m.is_dir())
        .unwrap_or(false);
    if openresty {
        "/var/log/openresty"
    } else {
        "/var/log/nginx"
    }
}

/// The memory page size in KiB, read from the kernel's auxiliary vector (4 when unknown).
pub fn page_size_kib() -> u64 {
    const AT_PAGESZ: u64 = 6;
    let Ok(auxv) = std::fs::read("/proc/self/auxv") else {
        return 4;
    };
    let words: Vec<u64> = auxv
        .chunks_exact(8)
        .map(|c| u64::from_ne_bytes(c.try_into().unwrap_or([0; 8])))
        .collect();
    words
        .chunks_exact(2)
        .find(|pair| pair[0] == AT_PAGESZ)
        .map(|pair| pair[1] / 1024)
        .unwrap_or(4)
}

/// The built-in value used when neither the app nor the global value is set.
pub fn default_value(app: &str, key: &str) -> String {
    let page = page_size_kib();
    match key {
        "access-log-path" => format!("{}/{app}-access.log", log_root()),
        "error-log-path" => format!("{}/{app}-error.log", log_root()),
        "bind-address-ipv6" => "::".to_string(),
        "client-body-timeout"
        | "client-header-timeout"
        | "proxy-connect-timeout"
        | "proxy-read-timeout"
        | "proxy-send-timeout"
        | "send-timeout" => "60s".to_string(),
        "client-max-body-size" => "1m".to_string(),
        "disable-custom-config" | "hsts-preload" => "false".to_string(),
        "hsts" | "hsts-include-subdomains" => "true".to_string(),
        "hsts-max-age" => "15724800".to_string(),
        "keepalive-timeout" => "75s".to_string(),
        "lingering-timeout" => "5s".to_string(),
        "nginx-conf-sigil-path" => "nginx.conf.sigil".to_string(),
        "proxy-buffer-size" => format!("{page}k"),
        "proxy-buffering" => "on".to_string(),
        "proxy-buffers" => format!("8 {page}k"),
        "proxy-busy-buffers-size" => format!("{}k", page * 2),
        "underscore-in-headers" => "off".to_string(),
        "x-forwarded-for-value" => "$remote_addr".to_string(),
        "x-forwarded-port-value" => "$server_port".to_string(),
        "x-forwarded-proto-value" => "$scheme".to_string(),
        // access-log-format, bind-address-ipv4, nginx-service-command, proxy-keepalive,
        // x-forwarded-ssl and unknown keys have no default.
        _ => String::new(),
    }
}

/// App value, else global value, else the built-in default. Unknown keys are `""`.
pub fn computed(app: &str, key: &str) -> String {
    if !is_key(key) {
        return String::new();
    }
    let value = app_value(app, key);
    if !value.is_empty() {
        return value;
    }
    let global = global_value(key);
    if !global.is_empty() {
        return global;
    }
    default_value(app, key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults() {
        assert_eq!(KEYS.len(), 31);
        let page = page_size_kib();
        assert!(page >= 4);
        assert_eq!(default_value("web", "proxy-buffers"), format!("8 {page}k"));
        assert_eq!(
            default_value("web", "proxy-busy-buffers-size"),
            format!("{}k", page * 2)
        );
        assert!(default_value("web", "access-log-path").ends_with("/web-access.log"));
        assert_eq!(default_value("web", "x-forwarded-ssl"), "");
        assert_eq!(default_value("web", "nope"), "");
    }
}
