//! The plugin's triggers. Arguments are parsed with Go's standard flag rules (`--global` and
//! `--no-restart` before the positional arguments), as upstream's trigger binary does.

use std::io::Read;

use dokku_common::fs::{self as dfs, DIR_MODE};
use dokku_common::property::Store;
use dokku_common::{log, Error, Result};

use dokku_common::pflag::{Flag, Kind};

use crate::flags::{self, GoUsage, Parsed};
use crate::store::{self, GLOBAL};
use crate::{cmd, ops};

const FLAGS: &[Flag] = &[
    Flag {
        name: "global",
        kind: Kind::Bool,
        usage: "--global: Whether global or app-specific",
    },
    Flag {
        name: "no-restart",
        kind: Kind::Bool,
        usage: "--no-restart: Whether to skip restart",
    },
];

fn parse(args: &[String]) -> Result<Parsed> {
    let argv0 = dokku_common::plugin::argv0();
    flags::goflag(FLAGS, args, GoUsage::Default(&argv0))
}

/// `config-export <app> <global> <merged> <format>`.
pub fn config_export(args: &[String]) -> Result<()> {
    let p = parse(args)?;
    let parse_bool = |v: &str| {
        flags::parse_bool(v).ok_or_else(|| {
            Error::new(format!(
                "strconv.ParseBool: parsing {}: invalid syntax",
                dokku_common::text::go_quote(v)
            ))
        })
    };
    let global = parse_bool(p.arg(1))?;
    let merged = parse_bool(p.arg(2))?;
    let app = p.arg(0);
    if !global {
        dokku_common::app::verify_app_name(app)?;
    }
    cmd::sub_export(app, merged, p.arg(3))
}

/// `config-get [--global] <app> <key>`: the value without a newline; nothing when unset.
pub fn config_get(args: &[String]) -> Result<()> {
    let p = parse(args)?;
    let (scope, key) = if p.flag("global") {
        (GLOBAL, p.arg(0))
    } else {
        (p.arg(0), p.arg(1))
    };
    if let Some(value) = ops::get(scope, key) {
        log::write_stdout(&value);
    }
    Ok(())
}

/// `config-get-global <key>`.
pub fn config_get_global(args: &[String]) -> Result<()> {
    let p = parse(args)?;
    if let Some(value) = ops::get(GLOBAL, p.arg(0)) {
        log::write_stdout(&value);
    }
    Ok(())
}

/// `config-set [--no-restart] <app> KEY=VALUE...`.
pub fn config_set(args: &[String]) -> Result<()> {
    let p = parse(args)?;
    let pairs: Vec<String> = p.args.iter().skip(1).cloned().collect();
    cmd::sub_set(p.arg(0), &pairs, p.flag("no-restart"), false)
}

/// `config-unset [--global] <app> <key> [true]`: failures are ignored, as upstream does.
pub fn config_unset(args: &[String]) -> Result<()> {
    let p = parse(args)?;
    let (scope, key, restart) = if p.flag("global") {
        (GLOBAL, p.arg(0), p.arg(1))
    } else {
        (p.arg(0), p.arg(1), p.arg(2))
    };
    let _ = ops::unset_many(scope, &[key.to_string()], restart == "true");
    Ok(())
}

pub fn config_migrate_env(args: &[String]) -> Result<()> {
    parse(args)?;
    crate::migrate::migrate_env_files()
}

pub fn install(args: &[String]) -> Result<()> {
    parse(args)?;
    Store::from_env().setup("config").map_err(|e| {
        Error::new(format!(
            "Unable to install the config plugin: {}",
            e.message()
        ))
    })?;
    crate::migrate::migrate_env_files()
}

/// `config/<app>`, mode 0755.
pub fn setup_app_config_dir(app: &str) -> Result<()> {
    let dir = store::env_dir(app)?;
    dfs::ensure_dir(&dir, DIR_MODE).map_err(Error::from)
}

/// Copy the old app's environment over the new one's (clone and rename alike).
fn copy_env(args: &[String]) -> Result<()> {
    let p = parse(args)?;
    let (old, new) = (p.arg(0), p.arg(1));
    for name in [old, new] {
        dokku_common::app::check_name(name)?;
    }
    let old_env = store::load(old)
        .map_err(|e| Error::new(format!("Unable to load old environment: {}", e.message())))?;
    let mut locked = store::Locked::acquire(new)
        .map_err(|e| Error::new(format!("Unable to load new environment: {}", e.message())))?;
    locked.env.extend(old_env);
    locked
        .write()
        .map_err(|e| Error::new(format!("Unable to write new environment: {}", e.message())))
}

pub fn post_app_clone_setup(args: &[String]) -> Result<()> {
    copy_env(args)
}

pub fn post_app_rename_setup(args: &[String]) -> Result<()> {
    copy_env(args)
}

pub fn post_create(args: &[String]) -> Result<()> {
    let p = parse(args)?;
    let app = p.arg(0);
    dokku_common::app::check_name(app)?;
    Store::from_env().setup_app("config", app)?;
    setup_app_config_dir(app)
}

pub fn post_delete(args: &[String]) -> Result<()> {
    let p = parse(args)?;
    let app = p.arg(0);
    dokku_common::app::check_name(app)?;
    let _ = dfs::remove_all(&store::env_dir(app)?);
    Store::from_env().destroy("config", app)
}

/// `docker-args-deploy`/`docker-args-run <app> ...`: stdin (trailing newlines dropped, as
/// `$(cat)` does) followed by ` --env=KEY` for every key of the merged environment.
pub fn docker_args(args: &[String]) -> Result<()> {
    let mut input = Vec::new();
    let _ = std::io::stdin().read_to_end(&mut input);
    let mut stdin = String::from_utf8_lossy(&input).into_owned();
    while stdin.ends_with('\n') {
        stdin.pop();
    }
    let app = args.first().map(String::as_str).unwrap_or("");
    let env = ops::environment(app, true)?;
    let keys = crate::format::export(&env, "docker-args-keys").unwrap_or_default();
    let keys = keys.trim_end_matches('\n');
    log::write_stdout(&format!("{stdin} {keys}"));
    Ok(())
}
