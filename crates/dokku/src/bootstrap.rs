//! Environment bootstrap: operator rc files and upstream's exported defaults.

use std::env;
use std::fs;
use std::io::Read;
use std::os::fd::{AsRawFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::Command;

use dokku_common::log::warn;

const DEFAULTS_FILE: &str = "/etc/default/dokku";

/// Sources the rc files with bash (they are bash) and imports the result. The script is a
/// constant; file paths reach it only as positional arguments.
const RC_SCRIPT: &str = r#"set -eo pipefail
shopt -s nullglob
if [[ -r $1 ]]; then source "$1"; fi
export DOKKU_ROOT=${DOKKU_ROOT:=$2}
if [[ -f "$DOKKU_ROOT/dokkurc" ]]; then
  if [[ -r $DOKKU_ROOT/dokkurc ]]; then source "$DOKKU_ROOT/dokkurc"
  else echo "Unable to read $DOKKU_ROOT/dokkurc for sourcing" 1>&2; exit 1; fi
fi
if [[ -d $DOKKU_ROOT/.dokkurc ]]; then
  for f in "$DOKKU_ROOT"/.dokkurc/*; do
    if [[ -r "$f" ]]; then source "$f"
    else echo "Unable to read $f for sourcing" 1>&2; exit 1; fi
  done
fi
env -0 >&3
shift 2
for v in "$@"; do [[ -n ${!v+x} ]] && printf '%s=%s\0' "$v" "${!v}" >&3; done
exit 0
"#;

/// Variables the upstream script reads after sourcing and then exports, so a plain
/// (unexported) assignment in an rc file still takes effect.
const ENTRY_VARS: &[&str] = &[
    "DOCKER_BIN",
    "DOKKU_ROOT",
    "DOKKU_TRACE",
    "DOKKU_HOST_ROOT",
    "DOKKU_IMAGE",
    "DOKKU_CNB_BUILDER",
    "DOKKU_LIB_PATH",
    "PLUGIN_PATH",
    "PLUGIN_AVAILABLE_PATH",
    "PLUGIN_ENABLED_PATH",
    "PLUGIN_CORE_PATH",
    "PLUGIN_CORE_AVAILABLE_PATH",
    "PLUGIN_CORE_ENABLED_PATH",
    "DOKKU_SYSTEM_GROUP",
    "DOKKU_SYSTEM_USER",
    "DOKKU_PID",
    "DOKKU_LOGS_DIR",
    "DOKKU_LOGS_HOST_DIR",
    "DOKKU_EVENTS_LOGFILE",
];

pub fn environment() -> Result<(), i32> {
    env::set_var("DOCKER_BIN", "docker");
    if rc_files_present() {
        source_rc_files()?;
    }
    let root = match env::var("DOKKU_ROOT") {
        Ok(v) if !v.is_empty() => v,
        _ => default_var("DOKKU_ROOT", &dokku_home().to_string_lossy()),
    };
    default_var("DOKKU_HOST_ROOT", &root);
    env::set_var("DOKKU_DISTRO", distro());
    default_var("DOCKER_BIN", "docker");
    default_var("DOKKU_IMAGE", "gliderlabs/herokuish:latest-24");
    default_var("DOKKU_CNB_BUILDER", "heroku/builder:24");
    let lib = default_var("DOKKU_LIB_PATH", "/var/lib/dokku");
    env::set_var("DOKKU_LIB_ROOT", &lib);
    let plugins = default_var("PLUGIN_PATH", &format!("{lib}/plugins"));
    default_var("PLUGIN_AVAILABLE_PATH", &format!("{plugins}/available"));
    default_var("PLUGIN_ENABLED_PATH", &format!("{plugins}/enabled"));
    let core = default_var("PLUGIN_CORE_PATH", &format!("{lib}/core-plugins"));
    default_var("PLUGIN_CORE_AVAILABLE_PATH", &format!("{core}/available"));
    default_var("PLUGIN_CORE_ENABLED_PATH", &format!("{core}/enabled"));
    default_var("DOKKU_SYSTEM_GROUP", "dokku");
    default_var("DOKKU_SYSTEM_USER", "dokku");
    env::set_var("DOKKU_API_VERSION", "1");
    env::set_var("DOKKU_NOT_IMPLEMENTED_EXIT", "10");
    env::set_var("DOKKU_VALID_EXIT", "0");
    default_var("DOKKU_PID", &std::process::id().to_string());
    let logs = default_var("DOKKU_LOGS_DIR", "/var/log/dokku");
    default_var("DOKKU_LOGS_HOST_DIR", &logs);
    default_var("DOKKU_EVENTS_LOGFILE", &format!("{logs}/events.log"));
    env::set_var("DOKKU_CONTAINER_LABEL", "dokku");
    let labels = "--label=org.label-schema.schema-version=1.0 --label=org.label-schema.vendor=dokku --label=dokku";
    env::set_var("DOKKU_GLOBAL_BUILD_ARGS", labels);
    env::set_var("DOKKU_GLOBAL_RUN_ARGS", labels);
    Ok(())
}

/// `${NAME:=default}`: keep a non-empty value, else set the default; returns the value.
fn default_var(name: &str, default: &str) -> String {
    match env::var(name) {
        Ok(v) if !v.is_empty() => v,
        _ => {
            env::set_var(name, default);
            default.to_string()
        }
    }
}

/// `~dokku`: the home directory of the dokku user (looked up only when `DOKKU_ROOT` is unset).
fn dokku_home() -> PathBuf {
    dokku_common::account::user_by_name("dokku")
        .map(|u| u.home)
        .unwrap_or_else(|| PathBuf::from("/home/dokku"))
}

/// Only spawn bash when there is something to source.
fn rc_files_present() -> bool {
    if nix::unistd::access(DEFAULTS_FILE, nix::unistd::AccessFlags::R_OK).is_ok() {
        return true;
    }
    let root = match env::var_os("DOKKU_ROOT") {
        Some(r) if !r.is_empty() => PathBuf::from(r),
        _ => dokku_home(),
    };
    if root.join("dokkurc").is_file() {
        return true;
    }
    fs::read_dir(root.join(".dokkurc"))
        .map(|mut rd| {
            rd.any(|e| {
                e.map(|e| !e.file_name().as_bytes().starts_with(b"."))
                    .unwrap_or(false)
            })
        })
        .unwrap_or(false)
}

fn source_rc_files() -> Result<(), i32> {
    let default_root = dokku_home();
    let (read, write): (OwnedFd, OwnedFd) = nix::unistd::pipe().map_err(|_| 1)?;
    let write_fd = write.as_raw_fd();
    let mut cmd = Command::new("bash");
    cmd.arg("-c")
        .arg(RC_SCRIPT)
        .arg("bash")
        .arg(DEFAULTS_FILE)
        .arg(&default_root)
        .args(ENTRY_VARS);
    // SAFETY: dup2 is async-signal-safe; it makes the pipe the script's fd 3.
    unsafe {
        cmd.pre_exec(move || {
            if nix::libc::dup2(write_fd, 3) < 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let mut child = cmd.spawn().map_err(|e| {
        warn(&format!(
            "unable to run bash to source the dokku rc files: {e}"
        ));
        1
    })?;
    drop(write);
    let mut dump = Vec::new();
    let _ = fs::File::from(read).read_to_end(&mut dump);
    let status = child.wait().map_err(|_| 1)?;
    if !status.success() {
        return Err(status.code().unwrap_or(1));
    }
    for entry in dump.split(|b| *b == 0) {
        let Some(eq) = entry.iter().position(|b| *b == b'=') else {
            continue;
        };
        let (key, value) = (&entry[..eq], &entry[eq + 1..]);
        if key.is_empty() || matches!(key, b"_" | b"SHLVL" | b"PWD" | b"OLDPWD") {
            continue;
        }
        let key = std::ffi::OsStr::from_bytes(key);
        let value = std::ffi::OsStr::from_bytes(value);
        if env::var_os(key).as_deref() != Some(value) {
            env::set_var(key, value);
        }
    }
    Ok(())
}

/// `ID` from /etc/os-release.
fn distro() -> String {
    let text = fs::read_to_string("/etc/os-release").unwrap_or_default();
    text.lines()
        .find_map(|l| l.strip_prefix("ID="))
        .map(|v| v.trim_matches('"').trim_matches('\'').to_string())
        .unwrap_or_default()
}
