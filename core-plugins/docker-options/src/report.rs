//! The docker-options report. The stdout form is the common one; the JSON form adds, next
//! to the string keys, a `<key>-list` array of the stored options for each phase and
//! process scope.

use std::collections::BTreeMap;

use dokku_common::pflag::{Flag as PFlag, FlagSet, Kind};
use dokku_common::property::GLOBAL;
use dokku_common::report::{render, Flag, Options};
use dokku_common::text::push_go_json_string;
use dokku_common::{app, log, Error, Result};

use crate::options::{self, DEFAULT_PROCESS_TYPE, PHASES, PLUGIN};

const OPTIONS: Options = Options {
    trim_prefix: true,
    emit_legacy_prefix: true,
    uppercase_first: true,
};

fn flags(app: &str) -> Result<Vec<Flag<'static>>> {
    let mut flags = Vec::new();
    if app != GLOBAL {
        for phase in PHASES {
            flags.push(Flag::new(format!("--docker-options-{phase}"), move |app| {
                options::joined(app, DEFAULT_PROCESS_TYPE, phase)
            }));
        }
    }
    for process_type in options::process_types(app)? {
        flags.push(Flag::new(
            format!("--docker-options-deploy.{process_type}"),
            move |app| options::joined(app, &process_type, "deploy"),
        ));
    }
    Ok(flags)
}

/// A JSON value of the report: a string, or a list of strings.
enum Value {
    Str(String),
    List(Vec<String>),
}

fn json(data: &BTreeMap<String, Value>) -> String {
    let mut out = String::from("{");
    for (i, (key, value)) in data.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_go_json_string(&mut out, key);
        out.push(':');
        match value {
            Value::Str(s) => push_go_json_string(&mut out, s),
            Value::List(items) => {
                out.push('[');
                for (j, item) in items.iter().enumerate() {
                    if j > 0 {
                        out.push(',');
                    }
                    push_go_json_string(&mut out, item);
                }
                out.push(']');
            }
        }
    }
    out.push('}');
    out
}

fn json_report(app: &str, flags: &[Flag<'_>]) -> Result<String> {
    let prefix = format!("--{PLUGIN}-");
    let mut data = BTreeMap::new();
    for flag in flags {
        let value = flag.value(app);
        let legacy = flag.name.trim_start_matches("--").to_string();
        if let Some(stripped) = flag.name.strip_prefix(&prefix) {
            data.insert(stripped.to_string(), Value::Str(value.clone()));
        }
        data.insert(legacy, Value::Str(value));
    }
    if app != GLOBAL {
        for phase in PHASES {
            let list = options::get(app, DEFAULT_PROCESS_TYPE, phase)?;
            data.insert(format!("{phase}-list"), Value::List(list));
        }
        for process_type in options::process_types(app)? {
            let list = options::get(app, &process_type, "deploy")?;
            data.insert(format!("deploy.{process_type}-list"), Value::List(list));
        }
    }
    Ok(format!("{}\n", json(&data)))
}

/// The report of one app (or `--global`).
pub fn single(app: &str, format: &str, info_flag: Option<&str>) -> Result<()> {
    if app != GLOBAL {
        app::verify_app_name(app)?;
    }
    let flags = flags(app)?;
    let format = if format.is_empty() { "stdout" } else { format };
    if format == "json" {
        if info_flag.is_some() {
            return Err(Error::new(
                "--format flag cannot be specified when specifying an info flag",
            ));
        }
        log::write_stdout(&json_report(app, &flags)?);
        return Ok(());
    }
    let text = render(
        PLUGIN,
        app,
        format,
        info_flag,
        OPTIONS,
        &flags,
        dokku_common::env::quiet(),
    )?;
    log::write_stdout(&text);
    Ok(())
}

const FORMAT: FlagSet<'static> = FlagSet {
    name: "docker-options:report",
    flags: &[PFlag {
        name: "format",
        kind: Kind::Str("stdout"),
        usage: "format: [ stdout | json ]",
    }],
};

/// `docker-options:report`: unlike most reports, more than one info flag is an error here.
pub fn subcommand(args: &[String]) -> Result<()> {
    let mut os_args = Vec::new();
    let mut info_flags = Vec::new();
    let mut global = false;
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        if arg == "--format" {
            os_args.push(arg.clone());
            os_args.extend(iter.next().cloned());
        } else if arg == "--global" {
            global = true;
        } else if arg.starts_with("--") {
            info_flags.push(arg.clone());
        } else {
            os_args.push(arg.clone());
        }
    }
    if info_flags.len() > 1 {
        return Err(Error::new(format!(
            "{PLUGIN}:report command allows only a single flag"
        )));
    }
    let parsed = FORMAT.parse(&os_args)?;
    let target = if global { GLOBAL } else { parsed.arg(0) };
    let format = parsed.string("format");
    let info_flag = info_flags.first().map(String::as_str);
    if !target.is_empty() {
        return single(target, format, info_flag);
    }
    let apps = match app::dokku_apps() {
        Ok(apps) => apps,
        Err(e) if e.message() == app::MSG_NO_APPS => {
            log::warn(e.message());
            return Ok(());
        }
        Err(e) => return Err(e),
    };
    for name in apps {
        single(&name, format, info_flag)?;
    }
    Ok(())
}
