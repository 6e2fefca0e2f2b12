//! `buildpacks:*` subcommands. Arguments are parsed as upstream's pflag sets parse them;
//! references are validated before the list is touched, and the list property's
//! read-modify-write is atomic and locked (`dokku_common::property`).

use dokku_common::pflag::{Flag, FlagSet, Kind, Parsed};
use dokku_common::property::{self, Store, GLOBAL};
use dokku_common::{app, log, report, trigger, Error, Result};

use crate::state::{self, LIST, PLUGIN, STACK};
use crate::url;

const INDEX: Flag = Flag {
    name: "index",
    kind: Kind::Int(0),
    usage: "--index: the 1-based index of the URL in the list of URLs",
};

fn parse(name: &str, flags: &[Flag], args: &[String]) -> Result<Parsed> {
    FlagSet { name, flags }.parse(args)
}

fn verified(name: &str) -> Result<&str> {
    app::verify_app_name(name)?;
    Ok(name)
}

fn validate(buildpack: &str) -> Result<String> {
    url::validate(buildpack).map_err(Error::new)
}

/// `buildpacks:add [--index N] <app> <buildpack>`: insert before the 1-based index (0 or an
/// index past the end appends).
pub fn add(args: &[String]) -> Result<()> {
    let parsed = parse("buildpacks:add", &[INDEX], args)?;
    let name = verified(parsed.arg(0))?;
    let buildpack = validate(parsed.arg(1))?;
    Store::from_env().list_add(PLUGIN, name, LIST, &buildpack, parsed.int("index"))
}

/// `buildpacks:clear <app>`.
pub fn clear(args: &[String]) -> Result<()> {
    let parsed = parse("buildpacks:clear", &[], args)?;
    let name = verified(parsed.arg(0))?;
    Store::from_env().delete(PLUGIN, name, LIST)
}

/// `buildpacks:list <app>`.
pub fn list(args: &[String]) -> Result<()> {
    let parsed = parse("buildpacks:list", &[], args)?;
    let name = verified(parsed.arg(0))?;
    let buildpacks = state::list(name)?;
    log::info1_quiet(&format!("{name} buildpack urls"));
    for buildpack in buildpacks {
        log::verbose(&buildpack);
    }
    Ok(())
}

/// `buildpacks:remove <app> <buildpack>` or `buildpacks:remove <app> --index N`.
pub fn remove(args: &[String]) -> Result<()> {
    let parsed = parse("buildpacks:remove", &[INDEX], args)?;
    let name = verified(parsed.arg(0))?;
    let given = parsed.arg(1);
    let index = parsed.int("index");
    if index != 0 && !given.is_empty() {
        return Err(Error::new(
            "Please choose either index or Buildpack, but not both",
        ));
    }
    if index == 0 && given.is_empty() {
        return Err(Error::new(
            "Must specify a buildpack to remove, either by index or URL",
        ));
    }
    let mut buildpack = String::new();
    if index == 0 {
        buildpack = validate(given)?;
    }
    let store = Store::from_env();
    let buildpacks = state::list(name)?;
    if buildpacks.is_empty() {
        return Err(Error::new(format!(
            "No buildpacks were found, next release on {name} will detect buildpack normally"
        )));
    }
    if index != 0 {
        buildpack = store
            .list_index(PLUGIN, name, LIST, index.saturating_sub(1))
            .map_err(|e| Error::new(e.message()))?;
    } else {
        store
            .list_is_member(PLUGIN, name, LIST, &buildpack)
            .map_err(|e| Error::new(e.message()))?;
    }
    log::info1_quiet(&format!("Removing {buildpack}"));
    store
        .list_remove(PLUGIN, name, LIST, &buildpack)
        .map_err(|e| Error::new(e.message()))
}

/// `buildpacks:report [<app>|--global] [--format stdout|json] [<flag>]`.
pub fn report(args: &[String]) -> Result<()> {
    report::run_subcommand(PLUGIN, args, &crate::report::BuildpacksReport)
}

/// `buildpacks:set [--index N] <app> <buildpack>` replaces the entry at the 1-based index
/// (the first by default; past the end appends); `--replace` writes the whole list.
pub fn set(args: &[String]) -> Result<()> {
    let parsed = parse(
        "buildpacks:set",
        &[
            INDEX,
            Flag {
                name: "replace",
                kind: Kind::Bool,
                usage: "--replace: replace the entire ordered buildpack list",
            },
        ],
        args,
    )?;
    let name = verified(parsed.arg(0))?;
    let buildpacks = parsed.positional.get(1..).unwrap_or(&[]);
    let mut index = parsed.int("index");
    if parsed.flag("replace") {
        return replace(name, buildpacks, index);
    }
    if buildpacks.len() > 1 {
        return Err(Error::new(
            "Setting multiple buildpacks requires the --replace flag",
        ));
    }
    let Some(first) = buildpacks.first() else {
        return Err(Error::new("Must specify a buildpack"));
    };
    let buildpack = validate(first)?;
    if index > 0 {
        index -= 1;
    }
    Store::from_env().list_set(PLUGIN, name, LIST, &buildpack, index)
}

/// Every reference is validated before the list is written in one go.
fn replace(name: &str, buildpacks: &[String], index: i64) -> Result<()> {
    if index != 0 {
        return Err(Error::new("The --index flag cannot be used with --replace"));
    }
    if buildpacks.is_empty() {
        return Err(Error::new(
            "Must specify at least one buildpack, use buildpacks:clear to remove all buildpacks",
        ));
    }
    let validated = buildpacks
        .iter()
        .map(|b| validate(b))
        .collect::<Result<Vec<String>>>()?;
    Store::from_env().list_write(PLUGIN, name, LIST, &validated)
}

/// `buildpacks:set-property [--global|<app>] stack [<value>]`; a changed stack fires
/// `post-stack-set <app> <value>` for the app, or for every app when set globally.
pub fn set_property(args: &[String]) -> Result<()> {
    let parsed = parse(
        "buildpacks:set-property",
        &[Flag {
            name: "global",
            kind: Kind::Bool,
            usage: "--global: set a global property",
        }],
        args,
    )?;
    let (name, key, value) = if parsed.flag("global") {
        (GLOBAL, parsed.arg(0), parsed.arg(1))
    } else {
        (parsed.arg(0), parsed.arg(1), parsed.arg(2))
    };
    let old = if key == STACK {
        state::stack(name)
    } else {
        String::new()
    };
    property::command_set(PLUGIN, name, key, value, &[STACK], &[STACK])?;
    if key != STACK || old == value {
        return Ok(());
    }
    if name != GLOBAL {
        return trigger::fire("post-stack-set", &[name, value]);
    }
    let apps = match app::dokku_apps() {
        Ok(apps) => apps,
        Err(e) if e.message() == app::MSG_NO_APPS => Vec::new(),
        Err(e) => return Err(e),
    };
    for each in apps {
        trigger::fire("post-stack-set", &[each.as_str(), value])?;
    }
    Ok(())
}
