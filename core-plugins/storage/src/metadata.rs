//! `storage:annotations:*` and `storage:labels:*`: one key at a time on an entry's maps
//! (upstream's `commands_metadata.go`).

use std::collections::BTreeMap;

use dokku_common::pflag::{Flag, FlagSet, Kind};
use dokku_common::text::go_json_object;
use dokku_common::{log, Error, Result};

use crate::entry::{self, Entry, K3S};

/// Which of an entry's maps a command works on.
pub struct Field {
    name: &'static str,
    singular: &'static str,
    report_type: &'static str,
    row_label: &'static str,
    get: fn(&mut Entry) -> &mut BTreeMap<String, String>,
}

pub const ANNOTATIONS: Field = Field {
    name: "annotations",
    singular: "annotation",
    report_type: "storage-annotations",
    row_label: "Annotation",
    get: |e| &mut e.annotations,
};

pub const LABELS: Field = Field {
    name: "labels",
    singular: "label",
    report_type: "storage-labels",
    row_label: "Label",
    get: |e| &mut e.labels,
};

const FORMAT: &[Flag] = &[Flag {
    name: "format",
    kind: Kind::Str("stdout"),
    usage: "format: [ stdout | json ]",
}];

/// `storage:<field>:set <name> <key> [<value>]`: an empty value removes just that key.
pub fn set(field: &Field, args: &[String]) -> Result<()> {
    let set_name = format!("storage:{}:set", field.name);
    let p = FlagSet {
        name: &set_name,
        flags: &[],
    }
    .parse(args)?;
    let (name, key, value) = (p.arg(0), p.arg(1), p.arg(2));
    if name.is_empty() {
        return Err(Error::new("storage entry name is required"));
    }
    if key.is_empty() {
        return Err(Error::new(format!("No {} key specified", field.singular)));
    }
    if !entry::exists(name) {
        return Err(entry::does_not_exist(name));
    }
    let mut e = entry::load(name)?;
    let map = (field.get)(&mut e);
    if value.is_empty() {
        map.remove(key);
        log::info2_quiet(&format!("Unsetting {} {key}", field.singular));
    } else {
        map.insert(key.to_string(), value.to_string());
        log::info2_quiet(&format!("Setting {} {key} to {value}", field.singular));
    }
    e.validate()?;
    entry::save(&mut e)?;
    if e.scheduler == K3S {
        crate::entries_cmd::fire_entry_trigger("storage-create", &e).map_err(|err| {
            Error::new(format!(
                "scheduler refused {} change for {}: {}",
                field.name,
                dokku_common::text::go_quote(name),
                err.message()
            ))
        })?;
    }
    Ok(())
}

/// `storage:<field>:report [<name>] [--format stdout|json] [--storage-<field>.<key>]`.
pub fn report(field: &Field, args: &[String]) -> Result<()> {
    let mut os_args = Vec::new();
    let mut info_flags = Vec::new();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        if arg == "--format" {
            os_args.push(arg.clone());
            os_args.extend(iter.next().cloned());
        } else if arg == "--global" {
            // Accepted and ignored, as upstream's report argument parser does.
        } else if arg.starts_with("--") {
            info_flags.push(arg.clone());
        } else {
            os_args.push(arg.clone());
        }
    }
    if info_flags.len() > 1 {
        return Err(Error::new(
            "storage:report command allows only a single flag",
        ));
    }
    let set_name = format!("storage:{}:report", field.name);
    let p = FlagSet {
        name: &set_name,
        flags: FORMAT,
    }
    .parse(&os_args)?;
    let format = p.string("format");
    let info_flag = info_flags.first().map(String::as_str);
    if !matches!(format, "stdout" | "text" | "json") {
        return Err(Error::new(format!("Invalid format: {format}")));
    }
    if format == "json" && info_flag.is_some() {
        return Err(Error::new(
            "--format flag cannot be specified when specifying an info flag",
        ));
    }
    let name = p.arg(0);
    if !name.is_empty() {
        if !entry::exists(name) {
            return Err(entry::does_not_exist(name));
        }
        return render(field, &mut entry::load(name)?, format, info_flag);
    }
    if info_flag.is_some() {
        return Err(Error::new(format!(
            "storage:{}:report requires a storage entry name when an info flag is specified",
            field.name
        )));
    }
    let entries = entry::list()?;
    if entries.is_empty() {
        log::info1_quiet("No storage entries registered");
        return Ok(());
    }
    for mut e in entries {
        render(field, &mut e, format, None)?;
    }
    Ok(())
}

/// One entry's map. Keys are shown verbatim (they may hold dots and slashes).
fn render(field: &Field, e: &mut Entry, format: &str, info_flag: Option<&str>) -> Result<()> {
    let name = e.name.clone();
    let map = (field.get)(e);
    if let Some(wanted) = info_flag {
        let prefix = format!("--{}.", field.report_type);
        if let Some((_, value)) = map.iter().find(|(k, _)| format!("{prefix}{k}") == wanted) {
            log::log(value);
            return Ok(());
        }
        let valid: Vec<String> = map.keys().map(|k| format!("{prefix}{k}")).collect();
        return Err(Error::new(format!(
            "Invalid flag passed, valid flags: {}",
            valid.join(", ")
        )));
    }
    if format == "json" {
        log::log(&go_json_object(map));
        return Ok(());
    }
    log::info2_quiet(&format!("{name} {} information", field.name));
    let label = |k: &str| format!("{} {k}:", field.row_label);
    let width = map
        .keys()
        .map(|k| label(k).len())
        .max()
        .unwrap_or(0)
        .max(31);
    for (key, value) in map.iter() {
        // Padded by bytes, as Go's RightPad counts them.
        let label = label(key);
        let pad = " ".repeat(width - label.len());
        log::verbose(&format!("{label}{pad}{value}"));
    }
    Ok(())
}
