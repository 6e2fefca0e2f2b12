//! Commands on named entries: `create`, `destroy`, `info`, `set`, `list-entries`, `exec`,
//! `wait` and the global report (upstream's `commands_entries.go`).

use std::collections::BTreeMap;
use std::io;
use std::os::unix::fs::FileTypeExt;
use std::path::Path;

use serde::Serialize;

use dokku_common::pflag::{Flag, FlagSet, Kind};
use dokku_common::text::go_quote as q;
use dokku_common::{confirm, log, trigger, Error, Result};

use crate::attachment;
use crate::dirs;
use crate::entry::{self, Entry, DOCKER_LOCAL, K3S, RECLAIM_DELETE};
use crate::gojson;

const fn string(name: &'static str, usage: &'static str) -> Flag {
    Flag {
        name,
        kind: Kind::Str(""),
        usage,
    }
}

const fn slice(name: &'static str, usage: &'static str) -> Flag {
    Flag {
        name,
        kind: Kind::StrSlice,
        usage,
    }
}

const FORMAT: Flag = Flag {
    name: "format",
    kind: Kind::Str("text"),
    usage: "--format: output format (text, json)",
};

const CREATE: FlagSet<'static> = FlagSet {
    name: "storage:create",
    flags: &[
        Flag {
            name: "scheduler",
            kind: Kind::Str(DOCKER_LOCAL),
            usage: "--scheduler: target scheduler (docker-local, k3s)",
        },
        string("size", "--size: PVC size (k3s only, e.g. 2Gi)"),
        string("access-mode", "--access-mode: PVC access mode (k3s only)"),
        string(
            "storage-class-name",
            "--storage-class-name: PVC storage class (k3s only)",
        ),
        string("namespace", "--namespace: PVC namespace (k3s only)"),
        string("chown", "--chown: chown option (docker-local only)"),
        string(
            "mode",
            "--mode: octal permissions for the host directory, such as 0755 (docker-local only)",
        ),
        string(
            "reclaim-policy",
            "--reclaim-policy: reclaim policy for the underlying volume (Retain or Delete)",
        ),
        slice(
            "annotation",
            "--annotation key=value: PVC annotation (repeatable)",
        ),
        slice("label", "--label key=value: PVC label (repeatable)"),
    ],
};

const DESTROY: FlagSet<'static> = FlagSet {
    name: "storage:destroy",
    flags: &[
        Flag {
            name: "force",
            kind: Kind::Bool,
            usage: "--force: force destroy without confirmation",
        },
        Flag {
            name: "destroy-host-dir",
            kind: Kind::Bool,
            usage: "--destroy-host-dir: also remove the host directory and its contents (docker-local only)",
        },
    ],
};

const INFO: FlagSet<'static> = FlagSet {
    name: "storage:info",
    flags: &[FORMAT],
};

/// The properties `storage:set` understands, sorted as its error lists them.
const SETTABLE: &[&str] = &[
    "access-mode",
    "chown",
    "mode",
    "namespace",
    "reclaim-policy",
    "size",
    "storage-class-name",
];

const SET: FlagSet<'static> = FlagSet {
    name: "storage:set",
    flags: &[
        string("size", "--size: [DEPRECATED] use 'storage:set <name> size <value>'"),
        string("access-mode", "--access-mode: [DEPRECATED] use 'storage:set <name> access-mode <value>'"),
        string("storage-class-name", "--storage-class-name: [DEPRECATED] use 'storage:set <name> storage-class-name <value>'"),
        string("namespace", "--namespace: [DEPRECATED] use 'storage:set <name> namespace <value>'"),
        string("chown", "--chown: [DEPRECATED] use 'storage:set <name> chown <value>'"),
        string("mode", "--mode: [DEPRECATED] use 'storage:set <name> mode <value>'"),
        string("reclaim-policy", "--reclaim-policy: [DEPRECATED] use 'storage:set <name> reclaim-policy <value>'"),
        slice("annotation", "--annotation key=value: [DEPRECATED] use 'storage:annotations:set'"),
        slice("label", "--label key=value: [DEPRECATED] use 'storage:labels:set'"),
    ],
};

const LIST_ENTRIES: FlagSet<'static> = FlagSet {
    name: "storage:list-entries",
    flags: &[
        string("scheduler", "--scheduler: filter to a single scheduler"),
        FORMAT,
    ],
};

const EXEC: FlagSet<'static> = FlagSet {
    name: "storage:exec",
    flags: &[
        string(
            "image",
            "--image: container image to use (default alpine:3)",
        ),
        string(
            "as-user",
            "--as-user: numeric uid to run the exec container as (overrides the entry's chown)",
        ),
    ],
};

const WAIT: FlagSet<'static> = FlagSet {
    name: "storage:wait",
    flags: &[],
};

/// `key=value` pairs of `--annotation`/`--label`; `None` when the flag was not used.
fn kv_pairs(pairs: &[String]) -> Result<Option<BTreeMap<String, String>>> {
    if pairs.is_empty() {
        return Ok(None);
    }
    let mut out = BTreeMap::new();
    for pair in pairs {
        match pair.find('=') {
            Some(i) if i > 0 => {
                out.insert(pair[..i].to_string(), pair[i + 1..].to_string());
            }
            _ => return Err(Error::new(format!("expected key=value, got {}", q(pair)))),
        }
    }
    Ok(Some(out))
}

/// Fire a k3s entry trigger (`storage-create`, `storage-destroy`) with the entry's JSON on
/// stdin; a failure carries the hooks' stderr, which is also shown.
pub fn fire_entry_trigger(hook: &str, entry: &Entry) -> Result<()> {
    let opts = plugn::trigger::Options {
        stdin: plugn::trigger::Stdin::Bytes(gojson::compact(entry).into_bytes()),
        capture_stdout: false,
        capture_stderr: true,
        env: Vec::new(),
    };
    let outcome = plugn::trigger::run(&trigger::tree(), hook, &[entry.name.as_str()], &opts)?;
    let stderr = String::from_utf8_lossy(&outcome.stderr).into_owned();
    log::write_stderr(&stderr);
    if outcome.success() {
        Ok(())
    } else {
        Err(Error::new(stderr))
    }
}

/// The `chown` id an entry asks for, checked before anything is written; `None` for no
/// chown.
fn planned_chown(entry: &Entry) -> Result<Option<String>> {
    if entry.chown.is_empty() || entry.chown == "false" {
        return Ok(None);
    }
    entry::require_default_host_path(entry, "--chown")?;
    Ok(Some(dirs::resolve_chown_id(&entry.chown)?).filter(|id| id != "false"))
}

/// Everything that can refuse a docker-local entry's directory settings, before writing.
fn check_docker_local_path(entry: &Entry) -> Result<Option<String>> {
    let chown = planned_chown(entry)?;
    if !entry.mode.is_empty() {
        entry::require_default_host_path(entry, "--mode")?;
    }
    Ok(chown)
}

/// Create the host directory of a docker-local entry if needed, then apply its mode and
/// ownership (again on every run, so re-running `storage:create` converges).
fn ensure_docker_local_path(entry: &Entry, chown: Option<&str>) -> Result<()> {
    // A named volume belongs to docker; a relative token must not become a directory here.
    if !entry.host_path.starts_with('/') {
        return Ok(());
    }
    let path = Path::new(&entry.host_path);
    match std::fs::metadata(path) {
        Ok(meta) if !meta.is_dir() => {
            return Err(Error::new(format!(
                "storage entry path {} exists but is not a directory",
                entry.host_path
            )))
        }
        Ok(_) => {}
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            entry::mkdir_all(path).map_err(|e| {
                Error::new(format!(
                    "unable to create {}: {}",
                    entry.host_path,
                    entry::os_error("mkdir", path, &e)
                ))
            })?;
            log::verbose(&format!("Created {}", entry.host_path));
        }
        Err(e) => {
            return Err(Error::new(format!(
                "unable to stat {}: {}",
                entry.host_path,
                entry::os_error("stat", path, &e)
            )))
        }
    }
    if !entry.mode.is_empty() {
        log::verbose(&format!("Setting directory mode to {}", entry.mode));
        dirs::call_helper("chmod-storage-dir", &[&entry.name, &entry.mode]).map_err(|e| {
            Error::new(format!(
                "unable to chmod {}: {}",
                entry.host_path,
                e.message()
            ))
        })?;
    }
    if let Some(id) = chown {
        log::verbose(&format!("Setting directory ownership to {id}:{id}"));
        dirs::call_helper("chown-storage-dir", &[&entry.name, id]).map_err(|e| {
            Error::new(format!(
                "unable to chown {}: {}",
                entry.host_path,
                e.message()
            ))
        })?;
    }
    Ok(())
}

/// `storage:create <name> [<path>] [flags]`: register (or converge) an entry.
pub fn create(args: &[String]) -> Result<()> {
    let p = CREATE.parse(args)?;
    let annotations = kv_pairs(p.strings("annotation"))?;
    let labels = kv_pairs(p.strings("label"))?;
    let name = p.arg(0);
    entry::validate_name(name, false)?;
    let scheduler = match p.string("scheduler") {
        "" => DOCKER_LOCAL,
        s => s,
    };
    let host_path = match p.arg(1) {
        "" if scheduler == DOCKER_LOCAL => entry::default_host_path(name).display().to_string(),
        path => path.to_string(),
    };
    let mut new = Entry {
        name: name.to_string(),
        scheduler: scheduler.to_string(),
        host_path,
        size: p.string("size").to_string(),
        access_mode: p.string("access-mode").to_string(),
        storage_class: p.string("storage-class-name").to_string(),
        namespace: p.string("namespace").to_string(),
        chown: p.string("chown").to_string(),
        mode: entry::normalize_mode(p.string("mode"))?,
        reclaim_policy: p.string("reclaim-policy").to_string(),
        annotations: annotations.unwrap_or_default(),
        labels: labels.unwrap_or_default(),
        schema_version: entry::SCHEMA_VERSION,
    };
    new.validate()?;
    if entry::exists(name) {
        let existing = entry::load(name)?;
        if existing.scheduler != new.scheduler {
            return Err(Error::new(format!(
                "storage entry {} already exists with scheduler {}; refusing to redefine",
                q(name),
                q(&existing.scheduler)
            )));
        }
        log::info1_quiet(&format!(
            "Storage entry {name} already exists, leaving in place"
        ));
    }
    if new.scheduler == DOCKER_LOCAL {
        let chown = check_docker_local_path(&new)?;
        ensure_docker_local_path(&new, chown.as_deref())?;
    }
    entry::save(&mut new)?;
    if new.scheduler == K3S {
        if let Err(e) = fire_entry_trigger("storage-create", &new) {
            // Keep disk and cluster in step.
            let _ = entry::delete(name);
            return Err(Error::new(format!(
                "scheduler refused storage entry {}: {}",
                q(name),
                e.message()
            )));
        }
    }
    log::info1(&format!("Storage entry {name} created"));
    Ok(())
}

/// `storage:destroy <name> [--force] [--destroy-host-dir]`: refused while mounted.
pub fn destroy(args: &[String]) -> Result<()> {
    let p = DESTROY.parse(args)?;
    let name = p.arg(0);
    let destroy_host_dir = p.flag("destroy-host-dir");
    if name.is_empty() {
        return Err(Error::new("storage entry name is required"));
    }
    if !entry::exists(name) {
        return Err(entry::does_not_exist(name));
    }
    let using = attachment::apps_using(name)?.unwrap_or_default();
    if !using.is_empty() {
        return Err(Error::new(format!(
            "storage entry {} is still mounted by app(s): {}",
            q(name),
            using.join(", ")
        )));
    }
    let existing = entry::load(name)?;
    if destroy_host_dir && existing.scheduler != DOCKER_LOCAL {
        return Err(Error::new(format!(
            "--destroy-host-dir only applies to docker-local storage entries; {} is scheduler {} and follows --reclaim-policy",
            q(name),
            q(&existing.scheduler)
        )));
    }
    let mut remove_host_dir = false;
    if existing.scheduler == DOCKER_LOCAL
        && (destroy_host_dir || existing.reclaim_policy == RECLAIM_DELETE)
    {
        match entry::require_default_host_path(&existing, "--destroy-host-dir") {
            Ok(()) => remove_host_dir = true,
            Err(e) if destroy_host_dir => return Err(e),
            // An older entry may carry Delete on a custom path: keep it destroyable.
            Err(_) => log::warn(&format!(
                "Leaving {} in place; reclaim policy Delete only removes the default host path",
                existing.host_path
            )),
        }
    }
    if !p.flag("force") && !dokku_common::env::force() {
        if remove_host_dir {
            log::warn(&format!(
                "Storage entry {name} is backed by {}, which will be removed along with its contents.",
                existing.host_path
            ));
        }
        confirm::destructive(name, "storage entry")?;
    }
    if existing.scheduler == K3S {
        fire_entry_trigger("storage-destroy", &existing).map_err(|e| {
            Error::new(format!(
                "scheduler refused to remove storage entry {}: {}",
                q(name),
                e.message()
            ))
        })?;
    }
    if remove_host_dir {
        dirs::call_helper("destroy-storage-dir", &[name]).map_err(|e| {
            Error::new(format!(
                "unable to remove {}: {}",
                existing.host_path,
                e.message()
            ))
        })?;
        log::verbose(&format!("Removed {}", existing.host_path));
    }
    entry::delete(name)?;
    log::info1(&format!("Storage entry {name} destroyed"));
    Ok(())
}

/// `storage:info <name> [--format text|json]`; any format but `json` is text.
pub fn info(args: &[String]) -> Result<()> {
    let p = INFO.parse(args)?;
    let name = p.arg(0);
    if name.is_empty() {
        return Err(Error::new("storage entry name is required"));
    }
    if !entry::exists(name) {
        return Err(entry::does_not_exist(name));
    }
    let e = entry::load(name)?;
    if p.string("format") == "json" {
        log::log(&gojson::indent(&e));
        return Ok(());
    }
    log::info1_quiet(&format!("Storage entry {}", e.name));
    for (label, value) in [
        ("Scheduler:", &e.scheduler),
        ("Host path:", &e.host_path),
        ("Size:", &e.size),
        ("Access mode:", &e.access_mode),
        ("Storage class:", &e.storage_class),
        ("Namespace:", &e.namespace),
        ("Chown:", &e.chown),
        ("Mode:", &e.mode),
        ("Reclaim policy:", &e.reclaim_policy),
    ] {
        // The scheduler line is always shown, the others only when set.
        if label == "Scheduler:" || !value.is_empty() {
            log::verbose(&format!("{label:<18}{value}"));
        }
    }
    Ok(())
}

/// Apply one `storage:set` property; an empty value clears it.
fn apply_change(e: &mut Entry, property: &str, value: &str) -> Result<()> {
    match property {
        "access-mode" if value != e.access_mode => Err(Error::new(
            "storage:set cannot change access-mode in place; recreate the entry",
        )),
        "storage-class-name" if value != e.storage_class => Err(Error::new(
            "storage:set cannot change storage-class-name in place; recreate the entry",
        )),
        "access-mode" | "storage-class-name" => Ok(()),
        "size" => {
            e.size = value.to_string();
            Ok(())
        }
        "namespace" => {
            e.namespace = value.to_string();
            Ok(())
        }
        "chown" => {
            e.chown = value.to_string();
            Ok(())
        }
        "mode" => {
            e.mode = entry::normalize_mode(value)?;
            Ok(())
        }
        "reclaim-policy" => {
            e.reclaim_policy = value.to_string();
            Ok(())
        }
        "" => Err(Error::new("No property specified")),
        _ => Err(Error::new(format!(
            "Invalid property specified, valid properties include: {}",
            SETTABLE.join(", ")
        ))),
    }
}

/// `storage:set <name> <property> [<value>]`, or the deprecated flag form.
pub fn set(args: &[String]) -> Result<()> {
    let p = SET.parse(args)?;
    let name = p.arg(0);
    let property = p.arg(1);
    let changes: Vec<(&str, &str)> = SETTABLE
        .iter()
        .filter(|f| p.changed(f))
        .map(|f| (*f, p.string(f)))
        .collect();
    let map_flags = p.changed("annotation") || p.changed("label");
    let (annotations, labels) = if map_flags {
        (
            kv_pairs(p.strings("annotation"))?,
            kv_pairs(p.strings("label"))?,
        )
    } else {
        (None, None)
    };
    let used_flags = !changes.is_empty() || map_flags;
    if !property.is_empty() && used_flags {
        return Err(Error::new(
            "storage:set accepts either a property and a value or flags, not both",
        ));
    }
    if property.is_empty() && !used_flags {
        return Err(Error::new("No property specified"));
    }
    let changes = if used_flags {
        if !changes.is_empty() {
            log::warn(
                "Deprecated: please use 'storage:set <name> <property> [<value>]' instead of flags",
            );
        }
        if map_flags {
            log::warn("Deprecated: please use 'storage:annotations:set' and 'storage:labels:set' instead of --annotation and --label");
        }
        changes
    } else {
        vec![(property, p.arg(2))]
    };

    if !entry::exists(name) {
        return Err(entry::does_not_exist(name));
    }
    let mut e = entry::load(name)?;
    let mut touches_directory = false;
    for (property, value) in &changes {
        apply_change(&mut e, property, value)?;
        touches_directory |= matches!(*property, "chown" | "mode");
    }
    if let Some(map) = annotations {
        e.annotations = map;
    }
    if let Some(map) = labels {
        e.labels = map;
    }
    e.validate()?;
    // Only a chown or mode change touches the directory; check it before saving.
    let converge = e.scheduler == DOCKER_LOCAL && touches_directory;
    let chown = if converge {
        check_docker_local_path(&e)?
    } else {
        None
    };
    entry::save(&mut e)?;
    if converge {
        ensure_docker_local_path(&e, chown.as_deref())?;
    }
    if e.scheduler == K3S {
        fire_entry_trigger("storage-create", &e).map_err(|err| {
            Error::new(format!(
                "scheduler refused storage:set for {}: {}",
                q(name),
                err.message()
            ))
        })?;
    }
    log::info1(&format!("Storage entry {name} updated"));
    Ok(())
}

/// `storage:list-entries [--scheduler s] [--format text|json]`.
pub fn list_entries(args: &[String]) -> Result<()> {
    let p = LIST_ENTRIES.parse(args)?;
    let scheduler = p.string("scheduler");
    let entries: Vec<Entry> = entry::list()?
        .into_iter()
        .filter(|e| scheduler.is_empty() || e.scheduler == scheduler)
        .collect();
    if p.string("format") == "json" {
        log::log(&gojson::indent(&entries));
        return Ok(());
    }
    if entries.is_empty() {
        log::info1_quiet("No storage entries registered");
        return Ok(());
    }
    log::info1_quiet("Storage entries:");
    for e in entries {
        log::verbose(&format!("{}\t{}\t{}", e.name, e.scheduler, e.host_path));
    }
    Ok(())
}

#[derive(Serialize)]
struct EntryWithUse {
    entry: Entry,
    mounted_by: Option<Vec<String>>,
}

/// `storage:report --global`: every entry and the apps mounting it.
pub fn report_global(format: &str) -> Result<()> {
    let mut rows = Vec::new();
    for e in entry::list()? {
        let mounted_by = attachment::apps_using(&e.name)?;
        rows.push(EntryWithUse {
            entry: e,
            mounted_by,
        });
    }
    if format == "json" {
        log::log(&gojson::indent(&rows));
        return Ok(());
    }
    if rows.is_empty() {
        log::info1_quiet("No storage entries registered");
        return Ok(());
    }
    log::info1_quiet("Storage report (global):");
    for row in rows {
        let mounted_by = match row.mounted_by.as_deref() {
            Some(apps) if !apps.is_empty() => apps.join(", "),
            _ => "—".to_string(),
        };
        log::verbose(&format!(
            "{}\t{}\tmounted by: {mounted_by}",
            row.entry.name, row.entry.scheduler
        ));
    }
    Ok(())
}

/// Whether stdin is open (a pipe or a terminal) and whether it is a terminal, from its file
/// type as upstream decides (so `/dev/null`, a character device, counts as a terminal).
fn stdin_modes() -> (bool, bool) {
    let Ok(meta) = std::fs::metadata("/dev/stdin") else {
        return (false, false);
    };
    let file_type = meta.file_type();
    let tty = file_type.is_char_device();
    (tty || file_type.is_fifo(), tty)
}

/// `storage:exec <name> [--image i] [--as-user uid] [-- <cmd>...]`: the entry's scheduler
/// runs it (`scheduler-storage-exec`); its exit status becomes ours.
pub fn exec(args: &[String]) -> Result<()> {
    let p = EXEC.parse(args)?;
    let Some(name) = p.positional.first() else {
        return Err(Error::new("storage:exec requires a storage entry name"));
    };
    if !entry::exists(name) {
        return Err(entry::does_not_exist(name));
    }
    let e = entry::load(name)?;
    let image = match p.string("image") {
        "" => "alpine:3",
        i => i,
    };
    let (interactive, tty) = stdin_modes();
    let mut trigger_args = vec![
        e.scheduler.clone(),
        e.name.clone(),
        image.to_string(),
        format!("--interactive={interactive}"),
        format!("--tty={tty}"),
    ];
    let as_user = p.string("as-user");
    if !as_user.is_empty() {
        trigger_args.push("--as-user".to_string());
        trigger_args.push(as_user.to_string());
    }
    if p.positional.len() > 1 {
        trigger_args.push("--".to_string());
        trigger_args.extend(p.positional[1..].iter().cloned());
    }
    match trigger::Trigger::new("scheduler-storage-exec")
        .args(&trigger_args)
        .status()?
    {
        0 => Ok(()),
        status => Err(Error::silent(status)),
    }
}

/// `storage:wait <name>`: a docker-local entry is ready once its directory exists; a k3s
/// entry once its scheduler reports the claim `Bound`.
pub fn wait(args: &[String]) -> Result<()> {
    let p = WAIT.parse(args)?;
    let name = p.arg(0);
    if !entry::exists(name) {
        return Err(entry::does_not_exist(name));
    }
    let e = entry::load(name)?;
    if e.scheduler != K3S {
        if !e.host_path.is_empty() && !Path::new(&e.host_path).is_dir() {
            return Err(Error::new(format!(
                "storage entry {} host path {} is not present",
                q(name),
                e.host_path
            )));
        }
        return Ok(());
    }
    let out = trigger::Trigger::new("storage-status")
        .arg(&e.name)
        .stdin(gojson::compact(&e).into_bytes())
        .output()?;
    if out.status != 0 {
        return Err(Error::silent(1));
    }
    let status = out.trimmed();
    if status != "Bound" {
        return Err(Error::new(format!(
            "storage entry {} is {status}, not Bound",
            q(name)
        )));
    }
    log::info1(&format!("Storage entry {name} is bound"));
    Ok(())
}
