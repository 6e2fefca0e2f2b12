//! The `proxy` report (`proxy:report` and the `report` trigger).

use dokku_common::property::GLOBAL;
use dokku_common::report::{Flag, Options, Reporter};
use dokku_common::Result;

use crate::proxy;

pub struct ProxyReport;

fn global_flags() -> Vec<Flag<'static>> {
    vec![
        Flag::new("--proxy-computed-proxy-port", |app| {
            proxy::computed(app, "proxy-port")
        }),
        Flag::new("--proxy-computed-proxy-ssl-port", |app| {
            proxy::computed(app, "proxy-ssl-port")
        }),
        Flag::new("--proxy-computed-type", proxy::computed_type),
        Flag::new("--proxy-global-proxy-port", |_| {
            proxy::get(GLOBAL, "proxy-port")
        }),
        Flag::new("--proxy-global-proxy-ssl-port", |_| {
            proxy::get(GLOBAL, "proxy-ssl-port")
        }),
        Flag::new("--proxy-global-type", |_| proxy::get(GLOBAL, "type")),
    ]
}

impl Reporter for ProxyReport {
    fn report_type(&self) -> &str {
        "proxy"
    }

    fn options(&self) -> Options {
        Options {
            trim_prefix: true,
            emit_legacy_prefix: true,
            uppercase_first: true,
        }
    }

    fn flags(&self, app: &str) -> Result<Vec<Flag<'_>>> {
        let mut flags = global_flags();
        if app == GLOBAL {
            return Ok(flags);
        }
        flags.extend([
            Flag::new("--proxy-computed-disabled", |app| {
                match proxy::get(app, "disabled") {
                    v if v.is_empty() => "false".to_string(),
                    v => v,
                }
            }),
            Flag::new("--proxy-disabled", |app| proxy::get(app, "disabled")),
            Flag::new("--proxy-enabled", |app| proxy::is_enabled(app).to_string()),
            Flag::new("--proxy-proxy-port", |app| proxy::get(app, "proxy-port")),
            Flag::new("--proxy-proxy-ssl-port", |app| {
                proxy::get(app, "proxy-ssl-port")
            }),
            Flag::new("--proxy-type", |app| proxy::get(app, "type")),
        ]);
        Ok(flags)
    }
}
