//! The commands: `config:*` subcommands (app names verified), the `config_sub` helper bash
//! plugins call (no existence check, as upstream), and the `commands` entry (`config`,
//! `config:help`, `help`).

use std::collections::BTreeMap;
use std::io::{Read, Write};

use dokku_common::pflag::{Flag, FlagSet, Kind, Parsed};
use dokku_common::{app, log, Error, Result};

use crate::flags::{self, GoUsage};
use crate::store::{self, Env};
use crate::{format, import, ops};

const fn bool_flag(name: &'static str, usage: &'static str) -> Flag {
    Flag {
        name,
        kind: Kind::Bool,
        usage,
    }
}

const fn str_flag(name: &'static str, default: &'static str, usage: &'static str) -> Flag {
    Flag {
        name,
        kind: Kind::Str(default),
        usage,
    }
}

const GLOBAL: Flag = bool_flag("global", "--global: use the global environment");
const MERGED: Flag = bool_flag(
    "merged",
    "--merged: merge app environment and global environment",
);
const MERGED_SHOW: Flag = bool_flag(
    "merged",
    "--merged: display the app's environment merged with the global environment",
);
const NO_RESTART: Flag = bool_flag("no-restart", "--no-restart: no restart");
const EXPORT_FORMAT: Flag = str_flag(
    "format",
    "exports",
    "--format: [ docker-args | docker-args-keys | exports | envfile | json | json-list | pack-keys | pretty | shell ] which format to export as)",
);

const QUOTED: Flag = bool_flag("quoted", "--quoted: get the value quoted");
const REPLACE: Flag = bool_flag("replace", "--replace: replace existing config vars");
const IMPORT_FORMAT: Flag = str_flag(
    "format",
    "envfile",
    "--format: [ envfile | json ] which format to export as)",
);
const ENCODED: Flag = bool_flag("encoded", "--encoded: interpret VALUEs as base64");

const FLAGS_MERGED: &[Flag] = &[GLOBAL, MERGED];
const FLAGS_RESTART: &[Flag] = &[GLOBAL, NO_RESTART];
const FLAGS_EXPORT: &[Flag] = &[GLOBAL, MERGED, EXPORT_FORMAT];
const FLAGS_GET: &[Flag] = &[GLOBAL, QUOTED];
const FLAGS_IMPORT: &[Flag] = &[GLOBAL, NO_RESTART, REPLACE, IMPORT_FORMAT];
const FLAGS_SHOW: &[Flag] = &[GLOBAL, MERGED_SHOW];
const FLAGS_SET: &[Flag] = &[GLOBAL, ENCODED, NO_RESTART];

/// The flags of each verb, shared by `config:<verb>` and `config_sub <verb>`.
fn verb_flags(verb: &str) -> Option<&'static [Flag]> {
    Some(match verb {
        "bundle" | "keys" => FLAGS_MERGED,
        "clear" | "unset" => FLAGS_RESTART,
        "export" => FLAGS_EXPORT,
        "get" => FLAGS_GET,
        "import" => FLAGS_IMPORT,
        "show" => FLAGS_SHOW,
        "set" => FLAGS_SET,
        _ => return None,
    })
}

pub const DESCRIPTION: &str = "Manage global and app-specific config vars";

const HELP: &[(&str, &str)] = &[
    (
        "config (<app>|--global)",
        "Pretty-print an app or global environment",
    ),
    (
        "config:bundle [--merged] (<app>|--global)",
        "Bundle environment into tarfile",
    ),
    (
        "config:clear [--no-restart] (<app>|--global)",
        "Clears environment variables",
    ),
    (
        "config:export [--format=FORMAT] [--merged] (<app>|--global)",
        "Export a global or app environment",
    ),
    (
        "config:get [--quoted] (<app>|--global) KEY",
        "Display a global or app-specific config value",
    ),
    (
        "config:import [--no-restart] [--replace] (<app>|--global) [FILE|-]",
        "Import environment from file",
    ),
    (
        "config:keys [--merged] (<app>|--global)",
        "Show keys set in environment",
    ),
    (
        "config:show [--merged] (<app>|--global)",
        "Show keys set in environment",
    ),
    (
        "config:set [--encoded] [--no-restart] (<app>|--global) KEY1=VALUE1 [KEY2=VALUE2 ...]",
        "Set one or more config vars",
    ),
    (
        "config:unset [--no-restart] (<app>|--global) KEY1 [KEY2 ...]",
        "Unset one or more config vars",
    ),
];

/// `config:help`: upstream's help text has no trailing blank line.
pub fn usage() -> String {
    let lines: Vec<String> = HELP.iter().map(|(u, d)| format!("{u}, {d}")).collect();
    format!(
        "Usage: dokku config[:COMMAND]\n\n{DESCRIPTION}\n\nAdditional commands:\n{}\n",
        dokku_common::text::columnize(&lines, ",", "    ")
    )
}

/// `help --all` prints the raw help text; plain `help` the one-line summary.
fn help_output(all: bool) -> String {
    if all {
        let mut out = String::from("\n");
        for (u, d) in HELP {
            out.push_str(&format!("    {u}, {d}\n"));
        }
        out
    } else {
        format!("\n    config, {DESCRIPTION}\n")
    }
}

/// The `commands` entry: `config`, `config:help`, `help`; anything else is not ours.
pub fn commands(args: &[String]) -> Result<()> {
    match args.first().map(String::as_str).unwrap_or("") {
        "config" => bare_config(&args[1..]),
        "config:help" => {
            log::write_stdout(&usage());
            Ok(())
        }
        "help" => {
            log::write_stdout(&help_output(dokku_common::plugin::parent_cmdline_has_all()));
            Ok(())
        }
        _ => {
            let code = match dokku_common::env::not_implemented_exit() {
                Some(code) => code,
                None => {
                    log::log("failed to retrieve DOKKU_NOT_IMPLEMENTED_EXIT environment variable");
                    dokku_common::env::DEFAULT_NOT_IMPLEMENTED_EXIT
                }
            };
            Err(Error::silent(code))
        }
    }
}

/// Bare `config`: `config:show` with Go's standard flag parsing (flags before the app only)
/// and the deprecated `--shell`/`--export`.
fn bare_config(args: &[String]) -> Result<()> {
    const SHELL: Flag = bool_flag(
        "shell",
        "--shell: in a single-line for usage in command-line utilities [deprecated]",
    );
    const EXPORT: Flag = bool_flag(
        "export",
        "--export: print the env as eval-compatible exports [deprecated]",
    );
    const FLAGS: &[Flag] = &[GLOBAL, SHELL, EXPORT, MERGED_SHOW];
    let text = usage();
    let p = flags::goflag(FLAGS, args, GoUsage::Stdout(&text))?;
    let scope = app_or_global(p.arg(0), p.flag("global"))?;
    sub_show(&scope, p.flag("merged"), p.flag("shell"), p.flag("export"))
}

/// Upstream's `getAppNameOrGlobal`: with `--global` the name is used as given (normally
/// empty), else the app must exist.
fn app_or_global(name: &str, global: bool) -> Result<String> {
    if !global {
        app::verify_app_name(name)?;
    }
    Ok(name.to_string())
}

/// Positional arguments after the app (all of them with `--global`).
fn rest(p: &Parsed, global: bool) -> Vec<String> {
    let skip = usize::from(!global);
    p.positional.iter().skip(skip).cloned().collect()
}

/// `config:<verb>` as a subcommand.
pub fn subcommand(verb: &str, args: &[String]) -> Result<()> {
    let Some(fl) = verb_flags(verb) else {
        return Err(Error::new(format!(
            "Invalid plugin subcommand call: {verb}"
        )));
    };
    let set_name = format!("config:{verb}");
    let p = FlagSet {
        name: &set_name,
        flags: fl,
    }
    .parse(args)?;
    let global = p.flag("global");
    let name = if global { "" } else { p.arg(0) };
    if verb == "import" {
        let filename = if global { p.arg(0) } else { p.arg(1) };
        let scope = app_or_global(name, global)?;
        return sub_import(
            &scope,
            p.flag("replace"),
            p.flag("no-restart"),
            p.string("format"),
            filename,
        );
    }
    let scope = app_or_global(name, global)?;
    run_verb(verb, &scope, &p, global)
}

/// `config_sub <verb> ...`: the helper behind `config/functions`; `--global` unless an app
/// is given, and no existence check.
pub fn config_sub(args: &[String]) -> Result<()> {
    let verb = args.first().map(String::as_str).unwrap_or("");
    let fl = match verb_flags(verb) {
        Some(fl) if verb != "import" => fl,
        _ => {
            return Err(Error::new(format!(
                "Invalid plugin config_sub call: {verb}"
            )))
        }
    };
    let p = FlagSet {
        name: verb,
        flags: fl,
    }
    .parse(&args[1..])?;
    let global = p.flag("global");
    let scope = if global { store::GLOBAL } else { p.arg(0) };
    run_verb(verb, scope, &p, global)
}

fn run_verb(verb: &str, scope: &str, p: &Parsed, global: bool) -> Result<()> {
    match verb {
        "bundle" => sub_bundle(scope, p.flag("merged")),
        "clear" => ops::unset_all(scope, !p.flag("no-restart")),
        "export" => sub_export(scope, p.flag("merged"), p.string("format")),
        "get" => sub_get(scope, &rest(p, global), p.flag("quoted")),
        "keys" => sub_keys(scope, p.flag("merged")),
        "show" => sub_show(scope, p.flag("merged"), false, false),
        "set" => sub_set(
            scope,
            &rest(p, global),
            p.flag("no-restart"),
            p.flag("encoded"),
        ),
        "unset" => sub_unset(scope, &rest(p, global), p.flag("no-restart")),
        _ => Err(Error::new(format!(
            "Invalid plugin subcommand call: {verb}"
        ))),
    }
}

fn write_bytes(bytes: &[u8]) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(bytes);
    let _ = out.flush();
}

pub fn sub_bundle(scope: &str, merged: bool) -> Result<()> {
    let env = ops::environment(scope, merged)?;
    write_bytes(&format::bundle(&env));
    Ok(())
}

/// Print the export; the environment is read before the format is checked, as upstream does.
pub fn sub_export(scope: &str, merged: bool, fmt: &str) -> Result<()> {
    let env = ops::environment(scope, merged)?;
    match format::export(&env, fmt) {
        Some(text) => {
            log::write_stdout(&text);
            Ok(())
        }
        None => Err(Error::new(format!("Unknown export format: {fmt}"))),
    }
}

/// Print a value; a missing key exits 1 silently.
pub fn sub_get(scope: &str, keys: &[String], quoted: bool) -> Result<()> {
    match keys {
        [] => Err(Error::new("Expected: key")),
        [key] => match ops::get(scope, key) {
            Some(value) if quoted => {
                log::write_stdout(&format!("'{}'\n", format::single_quote_escape(&value)));
                Ok(())
            }
            Some(value) => {
                log::write_stdout(&format!("{value}\n"));
                Ok(())
            }
            None => Err(Error::silent(1)),
        },
        [_, extra @ ..] => Err(Error::new(format!(
            "Unexpected argument(s): [{}]",
            extra.join(" ")
        ))),
    }
}

pub fn sub_keys(scope: &str, merged: bool) -> Result<()> {
    let env = ops::environment(scope, merged)?;
    let mut out = String::new();
    for key in env.keys() {
        out.push_str(key);
        out.push('\n');
    }
    log::write_stdout(&out);
    Ok(())
}

pub fn sub_show(scope: &str, merged: bool, shell: bool, export: bool) -> Result<()> {
    let env = ops::environment(scope, merged)?;
    if shell && export {
        return Err(Error::new("Only one of --shell and --export can be given"));
    }
    if shell {
        log::warn("Deprecated: Use 'config:export --format shell' instead");
        log::write_stdout(&format::shell(&env));
    } else if export {
        log::warn("Deprecated: Use 'config:export --format exports' instead");
        log::write_stdout(&format!("{}\n", format::exports(&env)));
    } else {
        let context = if scope.is_empty() { "global" } else { scope };
        log::info2_quiet(&format!("{context} env vars"));
        log::write_stdout(&format!("{}\n", format::pretty("", &env)));
    }
    Ok(())
}

/// `KEY=VALUE` pairs (base64 values with `--encoded`), later pairs winning.
pub fn parse_pairs(pairs: &[String], encoded: bool) -> Result<BTreeMap<String, String>> {
    if pairs.is_empty() {
        return Err(Error::new("At least one env pair must be given"));
    }
    let mut updated = BTreeMap::new();
    for pair in pairs {
        let Some((key, value)) = pair.split_once('=') else {
            return Err(Error::new(format!("Invalid env pair: {pair}")));
        };
        let value = if encoded {
            let bytes = crate::base64::decode(value)
                .map_err(|e| Error::new(format!("{e} for key '{key}'")))?;
            String::from_utf8_lossy(&bytes).into_owned()
        } else {
            value.to_string()
        };
        updated.insert(key.to_string(), value);
    }
    Ok(updated)
}

pub fn sub_set(scope: &str, pairs: &[String], no_restart: bool, encoded: bool) -> Result<()> {
    let updated = parse_pairs(pairs, encoded)?;
    ops::set_many(scope, &updated, false, !no_restart)
}

pub fn sub_unset(scope: &str, keys: &[String], no_restart: bool) -> Result<()> {
    if keys.is_empty() {
        return Err(Error::new("At least one key must be given"));
    }
    ops::unset_many(scope, keys, !no_restart)
}

pub fn sub_import(
    scope: &str,
    replace: bool,
    no_restart: bool,
    fmt: &str,
    filename: &str,
) -> Result<()> {
    if filename == "-" {
        log::info1_quiet("Reading config vars from stdin");
    }
    let entries: Env = match if fmt.is_empty() { "envfile" } else { fmt } {
        "envfile" => import::envfile(scope, filename)?,
        "json" => import::json(filename)?,
        other => return Err(Error::new(format!("Unknown format: {other}"))),
    };
    if entries.is_empty() {
        return Err(Error::new("No config vars to set"));
    }
    for (k, v) in &entries {
        log::info1_quiet(&format!("Setting config var {k}={v}"));
    }
    ops::set_many(scope, &entries, replace, !no_restart)
}

/// All of stdin.
pub fn read_stdin() -> Result<Vec<u8>> {
    let mut buf = Vec::new();
    std::io::stdin().read_to_end(&mut buf)?;
    Ok(buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn help_texts() {
        let u = usage();
        assert!(u.starts_with(
            "Usage: dokku config[:COMMAND]\n\nManage global and app-specific config vars\n\nAdditional commands:\n    config (<app>|--global)"
        ));
        assert!(u.ends_with("Unset one or more config vars\n"));
        assert_eq!(
            help_output(false),
            "\n    config, Manage global and app-specific config vars\n"
        );
        assert!(help_output(true).ends_with("KEY1 [KEY2 ...], Unset one or more config vars\n"));
    }

    #[test]
    fn pairs() {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        let p = parse_pairs(&s(&["A=1", "B=x=y", "A=2", "C="]), false).unwrap();
        assert_eq!(p.get("A").unwrap(), "2");
        assert_eq!(p.get("B").unwrap(), "x=y");
        assert_eq!(p.get("C").unwrap(), "");
        assert_eq!(
            parse_pairs(&s(&["A"]), false).unwrap_err().message(),
            "Invalid env pair: A"
        );
        assert_eq!(
            parse_pairs(&[], false).unwrap_err().message(),
            "At least one env pair must be given"
        );
        assert_eq!(
            parse_pairs(&s(&["K=eA=="]), true)
                .unwrap()
                .get("K")
                .unwrap(),
            "x"
        );
        assert_eq!(
            parse_pairs(&s(&["K=e"]), true).unwrap_err().message(),
            "illegal base64 data at input byte 0 for key 'K'"
        );
    }
}
