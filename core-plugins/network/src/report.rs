//! The `network` report (`network:report` and the `report` trigger).

use dokku_common::property::GLOBAL;
use dokku_common::report::{Flag, Options, Reporter};
use dokku_common::Result;

use crate::network::{self, computed, computed_bind_all_interfaces, get};

pub struct NetworkReport;

/// The properties with the `global`/`computed` pair in both reports.
const SHARED: &[&str] = &[
    "attach-post-create",
    "attach-post-deploy",
    "bind-all-interfaces",
    "initial-network",
    "tld",
];

impl Reporter for NetworkReport {
    fn report_type(&self) -> &str {
        "network"
    }

    fn options(&self) -> Options {
        Options {
            trim_prefix: true,
            emit_legacy_prefix: true,
            uppercase_first: true,
        }
    }

    fn flags(&self, app: &str) -> Result<Vec<Flag<'_>>> {
        let mut flags = Vec::new();
        for &property in SHARED {
            flags.push(Flag::new(
                format!("--network-global-{property}"),
                move |_| network::global(property),
            ));
            if property == "bind-all-interfaces" {
                flags.push(Flag::new(
                    format!("--network-computed-{property}"),
                    computed_bind_all_interfaces,
                ));
            } else {
                flags.push(Flag::new(
                    format!("--network-computed-{property}"),
                    move |a| computed(a, property),
                ));
            }
        }
        if app == GLOBAL {
            return Ok(flags);
        }
        for property in [
            "attach-post-create",
            "attach-post-deploy",
            "bind-all-interfaces",
            "initial-network",
            "static-web-listener",
            "tld",
        ] {
            flags.push(Flag::new(format!("--network-{property}"), move |a| {
                get(a, property)
            }));
        }
        flags.push(Flag::new("--network-web-listeners", |a| {
            network::listeners(a, "web").join(" ")
        }));
        Ok(flags)
    }
}
