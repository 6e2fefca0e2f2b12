//! Commands on an app's mounts: `mount`, `unmount`, `list`, `report`, `migrate`, and the
//! deprecated `ensure-directory` (upstream's `subcommands.go`).

use dokku_common::pflag::{Flag, FlagSet, Kind};
use dokku_common::report::{self, Flag as ReportFlag, Options, Reporter};
use dokku_common::text::go_quote as q;
use dokku_common::{app, log, Error, Result};

use crate::attachment::{self, Attachment, DEFAULT_PROCESS_TYPE, PHASE_DEPLOY, PHASE_RUN};
use crate::entry::{self, has_parent_component};
use crate::{dirs, gojson, migrate, mounts};

const fn string(name: &'static str, usage: &'static str) -> Flag {
    Flag {
        name,
        kind: Kind::Str(""),
        usage,
    }
}

const MOUNT: FlagSet<'static> = FlagSet {
    name: "storage:mount",
    flags: &[
        string(
            "container-dir",
            "--container-dir: container path (named-entry form)",
        ),
        Flag {
            name: "phase",
            kind: Kind::StrSlice,
            usage: "--phase: phase to mount in (deploy, run; default both)",
        },
        string("process-type", "--process-type: process type to mount for"),
        string(
            "volume-subpath",
            "--volume-subpath: subpath within the entry",
        ),
        Flag {
            name: "volume-readonly",
            kind: Kind::Bool,
            usage: "--volume-readonly: mount the volume read-only",
        },
        string(
            "volume-chown",
            "--volume-chown: chown option applied at mount time",
        ),
        string(
            "volume-options",
            "--volume-options: comma-separated mount options (e.g. Z, noexec,nosuid)",
        ),
    ],
};

const UNMOUNT: FlagSet<'static> = FlagSet {
    name: "storage:unmount",
    flags: &[string(
        "container-dir",
        "--container-dir: container path (named-entry form, disambiguates duplicates)",
    )],
};

const LIST: FlagSet<'static> = FlagSet {
    name: "storage:list",
    flags: &[Flag {
        name: "format",
        kind: Kind::Str("text"),
        usage: "--format: output format (text, json)",
    }],
};

const ENSURE_DIRECTORY: FlagSet<'static> = FlagSet {
    name: "storage:ensure-directory",
    flags: &[Flag {
        name: "chown",
        kind: Kind::Str("herokuish"),
        usage: "--chown: chown option (herokuish, heroku, paketo, root, false)",
    }],
};

const MIGRATE: FlagSet<'static> = FlagSet {
    name: "storage:migrate",
    flags: &[Flag {
        name: "all",
        kind: Kind::Bool,
        usage: "--all: re-migrate every app on this install",
    }],
};

const REPORT_FORMAT: FlagSet<'static> = FlagSet {
    name: "storage:report",
    flags: &[Flag {
        name: "format",
        kind: Kind::Str("stdout"),
        usage: "format: [ stdout | json ]",
    }],
};

/// The legacy `host:container[:options]` form, checked: the shape, then no `..` anywhere.
fn checked_legacy(mount: &str) -> Result<mounts::ListEntry> {
    mounts::verify_paths(mount)?;
    let parsed = mounts::parse(mount);
    if parsed.container_path.is_empty() {
        return Err(Error::new(
            "Storage path must be two valid paths divided by colon.",
        ));
    }
    Ok(parsed)
}

/// `storage:mount <app> <host-dir:container-dir>`, or `<app> <entry> --container-dir …`.
pub fn mount(args: &[String]) -> Result<()> {
    let p = MOUNT.parse(args)?;
    let (app_name, target) = (p.arg(0), p.arg(1));
    app::verify_app_name(app_name)?;
    if target.contains(':') {
        return mount_legacy(app_name, target);
    }
    if !entry::exists(target) {
        return Err(Error::new(format!(
            "storage entry {} does not exist; create it first with `dokku storage:create`",
            q(target)
        )));
    }
    let container_dir = p.string("container-dir");
    if container_dir.is_empty() {
        return Err(Error::new(
            "--container-dir is required when mounting a named storage entry",
        ));
    }
    let e = entry::load(target)?;
    let mut phases = p.strings("phase").to_vec();
    if phases.is_empty() {
        phases = vec![PHASE_DEPLOY.to_string(), PHASE_RUN.to_string()];
    }
    let process_type = match p.string("process-type") {
        "" => DEFAULT_PROCESS_TYPE,
        t => t,
    };
    let new = Attachment {
        entry_name: e.name.clone(),
        container_path: container_dir.to_string(),
        phases: Some(phases),
        process_type: process_type.to_string(),
        subpath: p.string("volume-subpath").to_string(),
        readonly: p.flag("volume-readonly"),
        volume_options: p.string("volume-options").to_string(),
        volume_chown: p.string("volume-chown").to_string(),
    };
    if attachment::upsert(app_name, new)? {
        log::info1(&format!(
            "Storage entry {} mounted at {container_dir} on {app_name}",
            e.name
        ));
    } else {
        log::info1(&format!(
            "Storage entry {} mount at {container_dir} on {app_name} updated",
            e.name
        ));
    }
    Ok(())
}

/// A legacy mount becomes a `legacy-<hash>` entry plus an attachment in both phases.
fn mount_legacy(app_name: &str, mount: &str) -> Result<()> {
    let parsed = checked_legacy(mount)?;
    let absolute_host = parsed.host_path.starts_with('/');
    if (absolute_host && has_parent_component(&parsed.host_path))
        || has_parent_component(&parsed.container_path)
    {
        return Err(Error::new(
            "Storage path must not contain \"..\" components.",
        ));
    }
    let mut synthesized = entry::legacy_entry(&parsed.host_path);
    let new = Attachment {
        entry_name: synthesized.name.clone(),
        container_path: parsed.container_path.clone(),
        phases: Some(vec![PHASE_DEPLOY.to_string(), PHASE_RUN.to_string()]),
        process_type: DEFAULT_PROCESS_TYPE.to_string(),
        readonly: parsed.readonly,
        volume_options: parsed.volume_options.clone(),
        ..Attachment::default()
    };
    // Checked before the entry is written, so a bad mount leaves nothing behind.
    new.validate()?;
    let duplicate = attachment::load(app_name)?.iter().any(|a| {
        a.entry_name == new.entry_name
            && a.container_path == new.container_path
            && a.process_type == new.process_type
    });
    if duplicate {
        return Err(Error::new("Mount path already exists."));
    }
    if !entry::exists(&synthesized.name) {
        entry::save(&mut synthesized)?;
    }
    attachment::add(app_name, new)
}

/// `storage:unmount <app> <host-dir:container-dir>`, or `<app> <entry> [--container-dir …]`.
pub fn unmount(args: &[String]) -> Result<()> {
    let p = UNMOUNT.parse(args)?;
    let (app_name, target) = (p.arg(0), p.arg(1));
    app::verify_app_name(app_name)?;
    if target.contains(':') {
        let parsed = checked_legacy(target)?;
        let name = entry::legacy_entry(&parsed.host_path).name;
        return attachment::remove(app_name, &name, &parsed.container_path).map_err(|e| {
            if e.message().contains("is not mounted") {
                Error::new("Mount path does not exist.")
            } else {
                e
            }
        });
    }
    attachment::remove(app_name, target, p.string("container-dir"))
}

/// `storage:list <app> [--format text|json]`: the deploy-phase mounts.
pub fn list(args: &[String]) -> Result<()> {
    let p = LIST.parse(args)?;
    let app_name = p.arg(0);
    app::verify_app_name(app_name)?;
    let format = p.string("format");
    if format != "text" && format != "json" {
        return Err(Error::new("Invalid --format value specified"));
    }
    let rows = mounts::app_rows(app_name, PHASE_DEPLOY)?;
    if format == "json" {
        log::log(&gojson::compact(&rows));
        return Ok(());
    }
    log::info1_quiet(&format!("{app_name} volume bind-mounts:"));
    for row in rows {
        if dokku_common::env::quiet() {
            log::log(&row.colon_form());
        } else {
            log::verbose(&row.colon_form());
        }
    }
    Ok(())
}

/// `storage:ensure-directory [--chown option] <directory>` (deprecated).
pub fn ensure_directory(args: &[String]) -> Result<()> {
    let p = ENSURE_DIRECTORY.parse(args)?;
    log::warn("Deprecated: please use 'storage:create' instead of 'storage:ensure-directory'");
    let directory = p.arg(0);
    if directory.is_empty() {
        return Err(Error::new("Please specify a directory to create"));
    }
    let valid = directory
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if !valid {
        return Err(Error::new(
            "Directory can only contain the following set of characters: [A-Za-z0-9_-]",
        ));
    }
    let chown = dirs::resolve_chown_id(p.string("chown"))?;
    let path = entry::storage_dir().join(directory);
    log::info1(&format!("Ensuring {} exists", path.display()));
    entry::mkdir_all(&path).map_err(|e| {
        Error::new(format!(
            "Unable to create directory: {}",
            entry::os_error("mkdir", &path, &e)
        ))
    })?;
    if chown != "false" {
        log::verbose_quiet(&format!("Setting directory ownership to {chown}:{chown}"));
        dirs::call_helper("chown-storage-dir", &[directory, &chown]).map_err(|e| {
            Error::new(format!(
                "Unable to set directory ownership: {}",
                e.message()
            ))
        })?;
    }
    log::verbose_quiet("Directory ready for mounting");
    Ok(())
}

/// `storage:migrate [<app>|--all]`.
pub fn migrate(args: &[String]) -> Result<()> {
    let p = MIGRATE.parse(args)?;
    let (app_name, all) = (p.arg(0), p.flag("all"));
    if all && !app_name.is_empty() {
        return Err(Error::new(
            "storage:migrate accepts either an app name or --all, not both",
        ));
    }
    if !all && app_name.is_empty() {
        return Err(Error::new(
            "storage:migrate requires an app name (or --all)",
        ));
    }
    if all {
        let apps = match app::dokku_apps() {
            Ok(apps) => apps,
            Err(e) if e.message() == app::MSG_NO_APPS => return Ok(()),
            Err(e) => return Err(e),
        };
        for name in &apps {
            migrate::migrate_app(name)?;
        }
        log::info1(&format!("Re-migrated {} app(s)", apps.len()));
        return Ok(());
    }
    app::verify_app_name(app_name)?;
    migrate::migrate_app(app_name)?;
    log::info1(&format!("Re-migrated {app_name}"));
    Ok(())
}

/// The per-app `storage` report.
pub struct StorageReport;

impl Reporter for StorageReport {
    fn report_type(&self) -> &str {
        "storage"
    }

    fn options(&self) -> Options {
        Options {
            trim_prefix: true,
            emit_legacy_prefix: true,
            uppercase_first: true,
        }
    }

    fn flags(&self, app_name: &str) -> Result<Vec<ReportFlag<'_>>> {
        let mut flags = vec![
            ReportFlag::new("--storage-build-mounts", |a| {
                mounts::for_display(a, "build")
            }),
            ReportFlag::new("--storage-deploy-mounts", |a| {
                mounts::for_display(a, PHASE_DEPLOY)
            }),
            ReportFlag::new("--storage-run-mounts", |a| {
                mounts::for_display(a, PHASE_RUN)
            }),
        ];
        let attachments = attachment::load(app_name).unwrap_or_else(|e| {
            log::warn(&format!(
                "Unable to load storage attachments for {}: {}",
                q(app_name),
                e.message()
            ));
            Vec::new()
        });
        let mut index = 0;
        for a in attachments {
            let e = match entry::load(&a.entry_name) {
                Ok(e) => e,
                Err(err) => {
                    log::warn(&format!(
                        "Skipping attachment on {}: missing entry {} ({})",
                        q(app_name),
                        q(&a.entry_name),
                        err.message()
                    ));
                    continue;
                }
            };
            index += 1;
            let host = if e.host_path.is_empty() {
                e.name.clone()
            } else {
                e.host_path.clone()
            };
            let prefix = format!("--storage-attachment.{index}.");
            let fields = [
                ("entry-name", a.entry_name.clone()),
                ("host-path", host),
                ("container-path", a.container_path.clone()),
                ("phases", a.phases().join(",")),
                ("process-type", a.process_type.clone()),
                ("subpath", a.subpath.clone()),
                ("readonly", a.readonly.to_string()),
                ("volume-options", a.volume_options.clone()),
                ("volume-chown", a.volume_chown.clone()),
            ];
            for (field, value) in fields {
                flags.push(ReportFlag::new(format!("{prefix}{field}"), move |_| {
                    value.clone()
                }));
            }
        }
        Ok(flags)
    }
}

/// `storage:report [<app>|--global] [--format stdout|json] [--<flag>]`; `--global` lists
/// the entries and who mounts them.
pub fn report(args: &[String]) -> Result<()> {
    if !args.iter().any(|a| a == "--global") {
        return report::run_subcommand("storage", args, &StorageReport);
    }
    let mut os_args = Vec::new();
    let mut info_flags = 0;
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        if arg == "--format" {
            os_args.push(arg.clone());
            os_args.extend(iter.next().cloned());
        } else if arg == "--global" {
        } else if arg.starts_with("--") {
            info_flags += 1;
        } else {
            os_args.push(arg.clone());
        }
    }
    // More than one info flag ends the command quietly, as upstream drops that error.
    if info_flags > 1 {
        return Ok(());
    }
    let p = REPORT_FORMAT.parse(&os_args)?;
    crate::entries_cmd::report_global(match p.string("format") {
        "stdout" => "text",
        f => f,
    })
}
