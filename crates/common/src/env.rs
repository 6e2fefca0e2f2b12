//! Environment knobs (other than paths, see [`crate::paths`]) with dokku's defaults.
//!
//! Every reader treats an empty variable like an unset one, as the bash `${VAR:-default}`
//! expansions and Go's `GetenvWithDefault` do.

use std::ffi::OsString;

/// `$name` if set and non-empty.
pub fn var(name: &str) -> Option<String> {
    std::env::var_os(name)
        .filter(|v| !v.is_empty())
        .map(|v| v.to_string_lossy().into_owned())
}

/// `$name` if set and non-empty, as raw bytes (paths may not be UTF-8).
pub fn var_os(name: &str) -> Option<OsString> {
    std::env::var_os(name).filter(|v| !v.is_empty())
}

/// `${name:-default}`.
pub fn var_or(name: &str, default: &str) -> String {
    var(name).unwrap_or_else(|| default.to_string())
}

/// `DOKKU_QUIET_OUTPUT` is set to anything non-empty.
pub fn quiet() -> bool {
    var_os("DOKKU_QUIET_OUTPUT").is_some()
}

/// `DOKKU_TRACE` is set to anything non-empty.
pub fn trace() -> bool {
    var_os("DOKKU_TRACE").is_some()
}

/// `${DOKKU_FAIL_EXIT_CODE:-1}`, used by the bash-style `dokku_log_fail`.
pub fn fail_exit_code() -> i32 {
    var("DOKKU_FAIL_EXIT_CODE")
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(1)
}

/// `DOKKU_NOT_IMPLEMENTED_EXIT`, or `None` when unset or not a number.
pub fn not_implemented_exit() -> Option<i32> {
    var("DOKKU_NOT_IMPLEMENTED_EXIT").and_then(|v| v.parse().ok())
}

/// The exit status a `commands` fallback uses when it does not handle a command.
pub const DEFAULT_NOT_IMPLEMENTED_EXIT: i32 = 10;

/// `${DOKKU_SYSTEM_USER:-dokku}`.
pub fn system_user() -> String {
    var_or("DOKKU_SYSTEM_USER", "dokku")
}

/// `${DOKKU_SYSTEM_GROUP:-dokku}`.
pub fn system_group() -> String {
    var_or("DOKKU_SYSTEM_GROUP", "dokku")
}

/// `DOKKU_PID`, inherited from the top-level `dokku` process, else our own pid.
pub fn dokku_pid() -> String {
    var("DOKKU_PID").unwrap_or_else(|| std::process::id().to_string())
}

/// The user running the command: `SSH_USER`, else `USER`.
pub fn ssh_user() -> String {
    var("SSH_USER").or_else(|| var("USER")).unwrap_or_default()
}

/// The ssh key name: `SSH_NAME`, else `NAME`, else `default`.
pub fn ssh_name() -> String {
    var("SSH_NAME")
        .or_else(|| var("NAME"))
        .unwrap_or_else(|| "default".to_string())
}

/// `DOKKU_APPS_FORCE_DELETE` (set by the global `--force` flag).
pub fn force() -> bool {
    var_os("DOKKU_APPS_FORCE_DELETE").is_some()
}

/// Whether this process may touch host-wide files (`/etc/...`, services), as the packaging's
/// install does: running as root, `DOKKU_RS_NO_SYSTEM` is not `1`, and `DOKKU_ROOT` is the
/// home of the dokku system user. The last check keeps a temporary install (tests,
/// benchmarks, possibly run as root) from ever writing outside its own tree.
pub fn system_install() -> bool {
    if !nix::unistd::Uid::effective().is_root() || var("DOKKU_RS_NO_SYSTEM").as_deref() == Some("1")
    {
        return false;
    }
    let Some(home) = crate::account::user_by_name(&system_user()).map(|u| u.home) else {
        return false;
    };
    let root = crate::paths::Paths::from_env().dokku_root;
    match (std::fs::canonicalize(&root), std::fs::canonicalize(&home)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// `command -v <name>`: the first executable file called `name` in `$PATH`.
pub fn command_path(name: &str) -> Option<std::path::PathBuf> {
    if name.is_empty() || name.contains('/') {
        return None;
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .filter(|dir| !dir.as_os_str().is_empty())
        .map(|dir| dir.join(name))
        .find(|candidate| {
            candidate.is_file()
                && nix::unistd::access(candidate.as_path(), nix::unistd::AccessFlags::X_OK).is_ok()
        })
}
