//! `common/prop <op> <plugin> <app> ...`: the property CLI every `fn-plugin-property-*` bash
//! function calls. Argument order, outputs and exit codes follow upstream; errors are printed
//! raw (no ` !     ` prefix) and exit 1; an unknown op does nothing and exits 0.

use dokku_common::args::nth;
use dokku_common::log;
use dokku_common::property::{Migration, Store, Transform};
use dokku_common::{Error, Result};

/// A strict integer argument: missing or malformed exits 1 without a message.
fn int_arg(s: &str, allow_empty: bool) -> Result<i64> {
    if s.is_empty() {
        return if allow_empty {
            Ok(0)
        } else {
            Err(Error::silent(1))
        };
    }
    s.parse().map_err(|_| Error::silent(1))
}

fn print_value(value: &str) {
    if !value.is_empty() {
        log::log(value);
    }
}

fn print_map(map: std::collections::BTreeMap<String, String>) {
    let mut out = String::new();
    for (key, value) in map {
        let value = value.strip_suffix('\n').unwrap_or(&value);
        out.push_str(&format!("{key} {value}\n"));
    }
    log::write_stdout(&out);
}

pub fn main(args: &[String]) -> Result<()> {
    // Go's flag.Parse consumes a leading "--".
    let args = match args.first() {
        Some(first) if first == "--" => &args[1..],
        _ => args,
    };
    run(&Store::from_env(), args).map_err(Error::raw)
}

pub fn run(store: &Store, args: &[String]) -> Result<()> {
    let a = |i: usize| nth(args, i);
    let plugin = a(1);
    match a(0) {
        "clone" => store.clone_app(plugin, a(2), a(3)),
        "del" => store.delete(plugin, a(2), a(3)),
        "destroy" => store.destroy(plugin, a(2)),
        "exists" => {
            if store.exists(plugin, a(2), a(3)) {
                Ok(())
            } else {
                Err(Error::silent(1))
            }
        }
        "get" => {
            print_value(&store.get(plugin, a(2), a(3)));
            Ok(())
        }
        "get-with-default" => {
            print_value(&store.get_default(plugin, a(2), a(3), a(4)));
            Ok(())
        }
        "get-all" => {
            print_map(store.get_all(plugin, a(2))?);
            Ok(())
        }
        "get-all-by-prefix" => {
            print_map(store.get_all_by_prefix(plugin, a(2), a(3))?);
            Ok(())
        }
        "lindex" => {
            let index = int_arg(a(4), false)?;
            log::log(&store.list_index(plugin, a(2), a(3), index)?);
            Ok(())
        }
        "lismember" => store.list_is_member(plugin, a(2), a(3), a(4)),
        "llen" => {
            log::log(&store.list_len(plugin, a(2), a(3))?.to_string());
            Ok(())
        }
        "lrange" => {
            let lines = store.list_get(plugin, a(2), a(3))?;
            log::write_stdout(&dokku_common::property::join_lines(&lines));
            Ok(())
        }
        "lrem" => store.list_remove(plugin, a(2), a(3), a(4)),
        "lrem-by-prefix" => store.list_remove_by_prefix(plugin, a(2), a(3), a(4)),
        "lset" => {
            let index = int_arg(a(5), false)?;
            store.list_set(plugin, a(2), a(3), a(4), index)
        }
        // Upstream shifts its arguments wrongly here (it writes to <plugin>/<plugin>/<app>);
        // nothing calls it, so this implements the evident intent: lwrite P A K values...
        "lwrite" => store.list_write(plugin, a(2), a(3), args.get(4..).unwrap_or(&[])),
        "rpush" => {
            let index = int_arg(a(5), true)?;
            store.list_add(plugin, a(2), a(3), a(4), index)
        }
        "migrate-config-to-property" => migrate(store, plugin, args),
        "set" => store.set(plugin, a(2), a(3), a(4)),
        "setup" => store.setup(plugin),
        "setup-app" => store.setup_app(plugin, a(2)),
        _ => Ok(()),
    }
}

/// `migrate-config-to-property P PROPERTY VAR [--global-config-var V] [--transform T] [--list]`.
fn migrate(store: &Store, plugin: &str, args: &[String]) -> Result<()> {
    let mut entry = Migration {
        property: nth(args, 2).to_string(),
        config_var: nth(args, 3).to_string(),
        ..Migration::default()
    };
    let mut transform_name = String::new();
    let mut i = 4;
    while i < args.len() {
        match args[i].as_str() {
            "--list" => entry.list = true,
            "--global-config-var" if i + 1 < args.len() => {
                i += 1;
                entry.global_config_var = args[i].clone();
            }
            "--transform" if i + 1 < args.len() => {
                i += 1;
                transform_name = args[i].clone();
            }
            _ => {}
        }
        i += 1;
    }
    if !transform_name.is_empty() {
        entry.transform = Some(
            Transform::parse(&transform_name)
                .ok_or_else(|| Error::new(format!("Unknown transform: {transform_name}")))?,
        );
    }
    store.migrate_config(plugin, &[entry])
}
