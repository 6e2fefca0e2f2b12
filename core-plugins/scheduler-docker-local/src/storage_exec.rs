//! `scheduler-storage-exec`: run a command in a throwaway container that mounts a storage
//! entry (a host directory or a named docker volume) at `/data`.
//!
//! The entry is read from the storage plugin's registry,
//! `data/storage-registry/entries/<name>.json`.

use std::path::PathBuf;
use std::process::{Command, Stdio};

use dokku_common::paths::Paths;
use dokku_common::pflag::{Flag, FlagSet, Kind};
use dokku_common::text::go_quote;
use dokku_common::{docker, log, Error, Result};

use crate::settings::SCHEDULER;

const FLAGS: FlagSet<'static> = FlagSet {
    name: "scheduler-storage-exec",
    flags: &[
        Flag {
            name: "interactive",
            kind: Kind::Bool,
            usage: "--interactive: stdin is open",
        },
        Flag {
            name: "tty",
            kind: Kind::Bool,
            usage: "--tty: stdin is a terminal",
        },
        Flag {
            name: "as-user",
            kind: Kind::Str(""),
            usage: "--as-user: numeric uid override",
        },
    ],
};

/// The fields of a storage entry this trigger needs.
struct Entry {
    name: String,
    scheduler: String,
    host_path: String,
    chown: String,
}

fn entry_path(name: &str) -> Option<PathBuf> {
    let valid = !name.is_empty()
        && name != "."
        && name != ".."
        && !name.contains('/')
        && !name.contains('\0');
    valid.then(|| {
        Paths::from_env()
            .data_root()
            .join("storage-registry/entries")
            .join(format!("{name}.json"))
    })
}

fn load_entry(name: &str) -> Result<Entry> {
    let missing = || Error::new(format!("storage entry {} does not exist", go_quote(name)));
    let path = entry_path(name).ok_or_else(missing)?;
    if std::fs::metadata(&path).is_err() {
        return Err(missing());
    }
    let bytes = std::fs::read(&path).map_err(|e| {
        Error::new(format!(
            "unable to read storage entry {}: {e}",
            go_quote(name)
        ))
    })?;
    let value: serde_json::Value = serde_json::from_slice(&bytes).map_err(|e| {
        Error::new(format!(
            "unable to parse storage entry {}: {e}",
            go_quote(name)
        ))
    })?;
    let field = |key: &str| -> Result<String> {
        match value.get(key) {
            None | Some(serde_json::Value::Null) => Ok(String::new()),
            Some(serde_json::Value::String(s)) => Ok(s.clone()),
            Some(_) => Err(Error::new(format!(
                "unable to parse storage entry {}: json: cannot unmarshal into Go struct field Entry.{key} of type string",
                go_quote(name)
            ))),
        }
    };
    Ok(Entry {
        name: field("name")?,
        scheduler: field("scheduler")?,
        host_path: field("host_path")?,
        chown: field("chown")?,
    })
}

/// `^[a-zA-Z0-9][a-zA-Z0-9_.-]+$`: a docker named-volume token.
fn is_volume_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
        && s.len() >= 2
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
}

/// Fail early when the entry's directory or volume is missing.
fn preflight(host_path: &str) -> Result<()> {
    if host_path.is_empty() {
        return Err(Error::new("storage entry is missing a host path"));
    }
    if host_path.starts_with('/') {
        return match std::fs::metadata(host_path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                Err(Error::new(format!("host path {host_path} does not exist")))
            }
            Err(e) => Err(Error::new(format!(
                "unable to stat host path {host_path}: stat {host_path}: {}",
                go_io_error(&e)
            ))),
            Ok(meta) if !meta.is_dir() => Err(Error::new(format!(
                "host path {host_path} exists but is not a directory"
            ))),
            Ok(_) => Ok(()),
        };
    }
    if !is_volume_name(host_path) {
        return Err(Error::new(format!(
            "host path {} is neither absolute nor a valid docker volume token",
            go_quote(host_path)
        )));
    }
    let out = docker::run(&["volume", "inspect", host_path])?;
    if !out.success() {
        return Err(Error::new(format!(
            "docker named volume {} is not present: {}",
            go_quote(host_path),
            out.stderr_trimmed()
        )));
    }
    Ok(())
}

/// Go's lowercase errno text (`permission denied`).
fn go_io_error(e: &std::io::Error) -> String {
    let text = e.to_string();
    let text = text.split(" (os error").next().unwrap_or(&text).to_string();
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => text,
    }
}

/// The storage plugin's `--chown` names and numbers as a uid (shifted under user
/// namespaces), or `false`.
fn resolve_chown_id(chown: &str) -> Result<String> {
    let id = match chown {
        "herokuish" => "32767".to_string(),
        "heroku" => "1000".to_string(),
        "packeto" => {
            log::verbose("Detected deprecated chown flag 'packeto'. Using 'paketo' instead. Please update your configuration.");
            "2000".to_string()
        }
        "paketo" => "2000".to_string(),
        "root" => "0".to_string(),
        "false" => return Ok("false".to_string()),
        other => {
            let valid = !other.is_empty() && other.bytes().all(|b| b.is_ascii_digit());
            match other.parse::<u16>() {
                Ok(n) if valid => n.to_string(),
                _ => return Err(Error::new("Unsupported chown permissions")),
            }
        }
    };
    let userns = docker::run_ok(&[
        "info",
        "-f",
        "{{range .SecurityOptions}}{{if eq . \"name=userns\"}}true{{end}}{{end}}",
    ])?;
    if userns.stdout_trimmed() == "true" {
        let uid: u64 = id.parse().unwrap_or(0);
        return Ok((uid + 165536).to_string());
    }
    Ok(id)
}

fn resolve_user(chown: &str, as_user: &str) -> Result<Option<String>> {
    if !as_user.is_empty() {
        return Ok(Some(format!("{as_user}:{as_user}")));
    }
    if chown.is_empty() || chown == "false" {
        return Ok(None);
    }
    let uid = resolve_chown_id(chown)?;
    if uid.is_empty() || uid == "false" {
        return Ok(None);
    }
    Ok(Some(format!("{uid}:{uid}")))
}

/// `scheduler-storage-exec <scheduler> <entry> <image> [--interactive=B] [--tty=B]
/// [--as-user U] [-- <cmd>…]`: `docker run --rm` with the entry at `/data`; the command's
/// exit status becomes ours.
pub fn trigger(args: &[String]) -> Result<()> {
    let parsed = FLAGS.parse(args)?;
    if parsed.positional.len() < 3 {
        return Err(Error::new(
            "scheduler-storage-exec requires <scheduler> <entry-name> <image>",
        ));
    }
    if parsed.arg(0) != SCHEDULER {
        return Ok(());
    }
    let entry = load_entry(parsed.arg(1))?;
    if entry.scheduler != SCHEDULER {
        return Err(Error::new(format!(
            "storage entry {} has scheduler {}, not docker-local",
            go_quote(&entry.name),
            go_quote(&entry.scheduler)
        )));
    }
    preflight(&entry.host_path)?;
    let mut run: Vec<String> = vec!["run".into(), "--rm".into()];
    if parsed.flag("tty") {
        run.push("-it".into());
    } else if parsed.flag("interactive") {
        run.push("-i".into());
    }
    if let Some(user) = resolve_user(&entry.chown, parsed.string("as-user"))? {
        run.push("--user".into());
        run.push(user);
    }
    run.push("-v".into());
    run.push(format!("{}:/data", entry.host_path));
    run.push(parsed.arg(2).to_string());
    if parsed.positional.len() > 3 {
        run.extend(parsed.positional[3..].iter().cloned());
    } else {
        run.extend(
            [
                "sh",
                "-c",
                "command -v bash >/dev/null 2>&1 && exec bash || exec sh",
            ]
            .map(String::from),
        );
    }
    let status = Command::new(docker::bin())
        .args(&run)
        .stdin(Stdio::inherit())
        .status()
        .map_err(|e| Error::new(format!("exec: \"{}\": {e}", docker::bin())))?;
    match status.code() {
        Some(0) => Ok(()),
        Some(code) => Err(Error::silent(code)),
        None => Err(Error::silent(1)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn volume_names() {
        assert!(is_volume_name("data-1"));
        assert!(is_volume_name("a_b.c"));
        assert!(!is_volume_name("a"));
        assert!(!is_volume_name("-ab"));
        assert!(!is_volume_name("a/b"));
    }

    #[test]
    fn entry_names_stay_in_the_registry() {
        assert!(entry_path("../x").is_none());
        assert!(entry_path("").is_none());
        assert!(entry_path("ok").is_some());
    }
}
