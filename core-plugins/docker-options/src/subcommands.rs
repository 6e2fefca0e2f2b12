//! `docker-options:*` subcommands.
//!
//! `add`, `remove` and `clear` parse flags as upstream's pflag set with interspersing off:
//! only flags before the app name are flags, so option text such as `-v /a:/b` after it is
//! never mistaken for one. `--process` is a string slice (comma separated, repeatable).

use dokku_common::pflag::{Flag, FlagSet, Kind, USAGE_EXIT};
use dokku_common::text::go_quote;
use dokku_common::{app, args::nth, log, Error, Result};

use crate::options::{self, DEFAULT_PROCESS_TYPE, PHASES, PLUGIN};

const PROCESS_USAGE: &str = "process types to scope this option to (deploy phase only)";

fn usage(set: &str) -> String {
    format!("Usage of {set}:\n      --process strings   {PROCESS_USAGE}\n")
}

/// One CSV record the way Go's `encoding/csv` reads pflag's string slice values.
fn csv_fields(value: &str) -> std::result::Result<Vec<String>, String> {
    if value.is_empty() {
        return Ok(Vec::new());
    }
    let line = value.split('\n').next().unwrap_or("");
    let line = line.strip_suffix('\r').unwrap_or(line);
    let bytes = line.as_bytes();
    let mut fields = Vec::new();
    let mut i = 0;
    loop {
        let mut field = Vec::new();
        if bytes.get(i) == Some(&b'"') {
            i += 1;
            loop {
                match bytes.get(i) {
                    None => {
                        return Err(format!(
                            "parse error on line 1, column {}: extraneous or missing \" in quoted-field",
                            i + 1
                        ))
                    }
                    Some(b'"') if bytes.get(i + 1) == Some(&b'"') => {
                        field.push(b'"');
                        i += 2;
                    }
                    Some(b'"') => {
                        i += 1;
                        match bytes.get(i) {
                            None | Some(b',') => break,
                            Some(_) => {
                                return Err(format!(
                                    "parse error on line 1, column {}: extraneous or missing \" in quoted-field",
                                    i + 1
                                ))
                            }
                        }
                    }
                    Some(&b) => {
                        field.push(b);
                        i += 1;
                    }
                }
            }
        } else {
            while let Some(&b) = bytes.get(i) {
                if b == b',' {
                    break;
                }
                if b == b'"' {
                    return Err(format!(
                        "parse error on line 1, column {}: bare \" in non-quoted-field",
                        i + 1
                    ));
                }
                field.push(b);
                i += 1;
            }
        }
        fields.push(String::from_utf8_lossy(&field).into_owned());
        if bytes.get(i) == Some(&b',') {
            i += 1;
            continue;
        }
        return Ok(fields);
    }
}

/// Flags before the first positional argument: `--process` values, and the positionals.
fn parse_process_flag(set: &str, args: &[String]) -> Result<(Vec<String>, Vec<String>)> {
    let fail = |msg: String| Error::with_code(format!("{}{msg}", usage(set)), USAGE_EXIT).raw();
    let mut processes: Option<Vec<String>> = None;
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        if arg.len() < 2 || !arg.starts_with('-') {
            let mut rest = vec![arg.clone()];
            rest.extend(iter.cloned());
            return Ok((processes.unwrap_or_default(), rest));
        }
        if arg == "--" {
            return Ok((processes.unwrap_or_default(), iter.cloned().collect()));
        }
        let Some(body) = arg.strip_prefix("--") else {
            let c = arg[1..].chars().next().unwrap_or('-');
            if c == 'h' {
                log::write_stderr(&usage(set));
                return Err(Error::silent(0));
            }
            return Err(fail(format!(
                "unknown shorthand flag: {} in {arg}",
                dokku_common::text::go_quote_rune(c)
            )));
        };
        if body.starts_with('-') || body.starts_with('=') {
            return Err(fail(format!("bad flag syntax: {arg}")));
        }
        let (name, inline) = match body.split_once('=') {
            Some((n, v)) => (n, Some(v.to_string())),
            None => (body, None),
        };
        if name != "process" {
            if name == "help" {
                log::write_stderr(&usage(set));
                return Err(Error::silent(0));
            }
            return Err(fail(format!("unknown flag: --{name}")));
        }
        let value = match inline {
            Some(v) => v,
            None => match iter.next() {
                Some(v) => v.clone(),
                None => return Err(fail("flag needs an argument: --process".to_string())),
            },
        };
        let fields = csv_fields(&value).map_err(|cause| {
            fail(format!(
                "invalid argument {} for \"--process\" flag: {cause}",
                go_quote(&value)
            ))
        })?;
        processes.get_or_insert_with(Vec::new).extend(fields);
    }
    Ok((processes.unwrap_or_default(), Vec::new()))
}

fn dedupe(processes: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(processes.len());
    for p in processes {
        if !out.contains(&p) {
            out.push(p);
        }
    }
    out
}

/// The parts shared by `add` and `remove`: app, phases, canonical options and processes.
struct Change {
    app: String,
    processes: Vec<String>,
    phases: Vec<String>,
    options: Vec<String>,
}

fn change(set: &str, args: &[String], missing: &str) -> Result<Change> {
    let (processes, positional) = parse_process_flag(set, args)?;
    let app = nth(&positional, 0).to_string();
    app::verify_app_name(&app)?;
    let phases = options::parse_phases(nth(&positional, 1))?;
    let text = positional.get(2..).unwrap_or(&[]).join(" ");
    let (opts, lifted) = options::split_option_string(&text)?;
    if opts.is_empty() {
        return Err(Error::new(missing));
    }
    let processes = dedupe(processes.into_iter().chain(lifted).collect());
    options::validate_processes(&processes, &phases)?;
    Ok(Change {
        app,
        processes,
        phases,
        options: opts,
    })
}

/// `docker-options:add [--process P] <app> <phase[,phase]> OPTION…`.
pub fn add(args: &[String]) -> Result<()> {
    let c = change(
        "docker-options:add",
        args,
        "Please specify docker options to add to the phase",
    )?;
    for process_type in &c.processes {
        options::warn_if_not_in_procfile(&c.app, process_type);
    }
    for option in &c.options {
        options::add(&c.app, &c.processes, &c.phases, option)?;
    }
    Ok(())
}

/// `docker-options:remove [--process P] <app> <phase[,phase]> OPTION…`.
pub fn remove(args: &[String]) -> Result<()> {
    let c = change(
        "docker-options:remove",
        args,
        "Please specify docker options to remove from the phase",
    )?;
    for option in &c.options {
        options::remove(&c.app, &c.processes, &c.phases, option)?;
    }
    Ok(())
}

/// `docker-options:clear [--process P] <app> [phase[,phase]]`.
pub fn clear(args: &[String]) -> Result<()> {
    let (processes, positional) = parse_process_flag("docker-options:clear", args)?;
    let app = nth(&positional, 0);
    app::verify_app_name(app)?;
    let phases_arg = nth(&positional, 1);
    let store = dokku_common::property::Store::from_env();

    if processes.is_empty() {
        if phases_arg.is_empty() {
            log::info1(&format!("Clearing docker-options for {app} on all phases"));
            for phase in PHASES {
                store.delete(
                    PLUGIN,
                    app,
                    &options::property_key(DEFAULT_PROCESS_TYPE, phase),
                )?;
            }
            return Ok(());
        }
        for phase in options::parse_phases(phases_arg)? {
            log::info1(&format!(
                "Clearing docker-options for {app} on phase {phase}"
            ));
            store.delete(
                PLUGIN,
                app,
                &options::property_key(DEFAULT_PROCESS_TYPE, &phase),
            )?;
        }
        return Ok(());
    }

    let mut phases = options::parse_phases(phases_arg)?;
    if phases.is_empty() {
        phases.push("deploy".to_string());
    }
    options::validate_processes(&processes, &phases)?;
    for process_type in &processes {
        for phase in &phases {
            log::info1(&format!(
                "Clearing docker-options for {app} on phase {phase} for process {process_type}"
            ));
            store.delete(PLUGIN, app, &options::property_key(process_type, phase))?;
        }
    }
    Ok(())
}

const LIST: FlagSet<'static> = FlagSet {
    name: "docker-options:list",
    flags: &[
        Flag {
            name: "process",
            kind: Kind::Str(""),
            usage: "process type to query (omit for the default scope)",
        },
        Flag {
            name: "phase",
            kind: Kind::Str(""),
            usage: "phase to query [build|deploy|run] (required)",
        },
    ],
};

/// `docker-options:list [--process P] --phase <phase> <app>`: one option per line.
pub fn list(args: &[String]) -> Result<()> {
    let parsed = LIST.parse(args)?;
    let app = parsed.arg(0);
    app::verify_app_name(app)?;
    let phase = parsed.string("phase");
    let process_type = parsed.string("process");
    if phase.is_empty() {
        return Err(Error::new("--phase is required"));
    }
    if !options::is_valid_phase(phase) {
        return Err(Error::new(format!(
            "Phase must be one of [{}]",
            PHASES.join(" ")
        )));
    }
    if !process_type.is_empty() {
        options::check_process(process_type)?;
        if phase != "deploy" {
            return Err(Error::new(format!(
                "--process is only supported for the deploy phase, got {phase:?}"
            )));
        }
    }
    for option in options::get(app, process_type, phase)? {
        log::log(&option);
    }
    Ok(())
}

/// `docker-options:report [<app>|--global] [--format stdout|json] [--<flag>]`.
pub fn report(args: &[String]) -> Result<()> {
    crate::report::subcommand(args)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn csv() {
        assert_eq!(csv_fields("web").unwrap(), s(&["web"]));
        assert_eq!(csv_fields("web,worker").unwrap(), s(&["web", "worker"]));
        assert_eq!(csv_fields("a,,b").unwrap(), s(&["a", "", "b"]));
        assert_eq!(csv_fields("\"a,b\",c").unwrap(), s(&["a,b", "c"]));
        assert_eq!(csv_fields("\"a\"\"b\"").unwrap(), s(&["a\"b"]));
        assert!(csv_fields("").unwrap().is_empty());
        assert_eq!(
            csv_fields("a\"b").unwrap_err(),
            "parse error on line 1, column 2: bare \" in non-quoted-field"
        );
        assert!(csv_fields("\"ab").is_err());
    }

    #[test]
    fn flags_stop_at_the_first_positional() {
        let (p, rest) = parse_process_flag(
            "x",
            &s(&[
                "--process",
                "web,worker",
                "--process=api",
                "app",
                "deploy",
                "--process",
                "z",
            ]),
        )
        .unwrap();
        assert_eq!(p, s(&["web", "worker", "api"]));
        assert_eq!(rest, s(&["app", "deploy", "--process", "z"]));
        let (p, rest) = parse_process_flag("x", &s(&["--", "-v"])).unwrap();
        assert!(p.is_empty());
        assert_eq!(rest, s(&["-v"]));
        let e = parse_process_flag("docker-options:add", &s(&["--nope", "app"])).unwrap_err();
        assert_eq!(e.code(), 2);
        assert_eq!(
            e.rendered(false),
            "Usage of docker-options:add:\n      --process strings   process types to scope this option to (deploy phase only)\nunknown flag: --nope\n"
        );
        let e = parse_process_flag("x", &s(&["-v", "app"])).unwrap_err();
        assert!(e
            .rendered(false)
            .ends_with("unknown shorthand flag: 'v' in -v\n"));
        let e = parse_process_flag("x", &s(&["--process"])).unwrap_err();
        assert!(e
            .rendered(false)
            .ends_with("flag needs an argument: --process\n"));
    }
}
