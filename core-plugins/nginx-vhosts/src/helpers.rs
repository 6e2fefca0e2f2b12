//! The command-line helpers at the plugin root that bash code runs: `nginx-property` (the
//! property reader behind the `fn-nginx-*` functions), `pagesize` (openresty-vhosts uses it)
//! and `nginx-vhosts-fn`, the binary side of the bash `functions` / `internal-functions`.

use dokku_common::args::nth;
use dokku_common::pflag::{Flag, FlagSet, Kind};
use dokku_common::{log, Error, Result};

use crate::commands;
use crate::props;
use crate::service;

/// Upstream reuses another command's flag set name here; its usage text shows it.
const PROPERTY_FLAGS: FlagSet<'static> = FlagSet {
    name: "ps:inspect",
    flags: &[
        Flag {
            name: "app",
            kind: Kind::Str(""),
            usage: "app: the app to inspect",
        },
        Flag {
            name: "global",
            kind: Kind::Bool,
            usage: "global: inspect global property",
        },
        Flag {
            name: "computed",
            kind: Kind::Bool,
            usage: "computed: inspect computed property",
        },
    ],
};

/// `nginx-property [--computed|--global] --app <app> <key>`: the value, without a newline;
/// unknown keys print nothing.
pub fn nginx_property(args: &[String]) -> Result<()> {
    let parsed = PROPERTY_FLAGS.parse(args)?;
    let app = parsed.string("app");
    let key = parsed.arg(0);
    let value = if !props::is_key(key) {
        String::new()
    } else if parsed.flag("computed") {
        props::computed(app, key)
    } else if parsed.flag("global") {
        props::global_value(key)
    } else {
        props::app_value(app, key)
    };
    log::write_stdout(&value);
    Ok(())
}

/// `pagesize`: the memory page size in KiB.
pub fn pagesize(_args: &[String]) -> Result<()> {
    log::log(&props::page_size_kib().to_string());
    Ok(())
}

fn status(ok: bool) -> Result<()> {
    if ok {
        Ok(())
    } else {
        Err(Error::silent(1))
    }
}

/// `nginx-vhosts-fn <verb> …`: one verb per bash function that needs more than a property.
pub fn nginx_vhosts_fn(args: &[String]) -> Result<()> {
    let verb = nth(args, 0);
    let (a, b, c) = (nth(args, 1), nth(args, 2), nth(args, 3));
    match verb {
        "location" => {
            log::log(&service::location()?.to_string_lossy());
            Ok(())
        }
        // init-cmd <action> [<app>]: the app chooses its nginx-service-command.
        "init-cmd" => service::init_cmd(a, b),
        "is-running" => status(service::is_running()),
        "validate" => service::validate(a, b),
        "validate-single" => service::validate_app(a, b, &service::location()?),
        "is-valid-config" => status(service::app_config_is_valid(a, &service::location()?)),
        "conf-clean" => service::clean_conf(a),
        "restart" => service::restart_for(a),
        "clear-config" => service::clear_config(a),
        // build-config <app> [<port> <ip>]
        "build-config" => crate::build::build_config(
            a,
            crate::build::Passed {
                port: b.to_string(),
                ip: c.to_string(),
            },
        ),
        // logs <access|error> <app> [-t]
        "logs" if a == "access" || a == "error" => commands::logs(a, b, c == "-t"),
        _ => Err(Error::new(format!("Invalid nginx-vhosts-fn call: {verb}"))),
    }
}
