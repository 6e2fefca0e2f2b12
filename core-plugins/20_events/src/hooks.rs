//! The event hooks: one symlink per logged trigger name, pointing at the plugin binary.
//! They exist only while events are on (`events:on` adds them, `events:off` removes them),
//! so with events off no trigger pays for an extra process, unlike upstream where the
//! links are permanent and each one runs a bash script that checks `DOKKU_EVENTS`.

use std::io;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};

use dokku_common::{fs, Error, Paths, Result};

/// The plugin binary the links point at (relative, in the same directory).
pub const BINARY: &str = "events";

/// The logged trigger names: the ones upstream's 20_events links to its logging hook (what
/// `events:list` prints), in byte order. `user-auth` is one of them; the entry point ignores
/// a `user-auth` that only this plugin implements.
pub const HOOKS: &[&str] = &[
    "app-create",
    "app-destroy",
    "app-exists",
    "app-json-get-content",
    "app-json-process-deploy-parallelism",
    "app-list",
    "app-maybe-create",
    "app-restart",
    "app-urls",
    "builder-build",
    "builder-create-dokku-image",
    "builder-detect",
    "builder-dokku-image",
    "builder-get-property",
    "builder-herokuish-allowed",
    "builder-image-is-cnb",
    "builder-image-is-herokuish",
    "builder-release",
    "buildpack-stack-name",
    "caddy-template-source",
    "certs-exists",
    "certs-force",
    "check-deploy",
    "checks-get-property",
    "config-export",
    "config-get",
    "config-get-global",
    "core-post-deploy",
    "core-post-extract",
    "cron-entries",
    "cron-get-property",
    "cron-write",
    "dependencies",
    "deploy",
    "deploy-source-set",
    "deployed-app-image-repo",
    "deployed-app-image-tag",
    "deployed-app-repository",
    "docker-args-build",
    "docker-args-deploy",
    "docker-args-process-build",
    "docker-args-process-deploy",
    "docker-args-process-run",
    "docker-args-run",
    "domains-add",
    "domains-disable",
    "domains-enable",
    "domains-list",
    "domains-urls",
    "domains-vhost-enabled",
    "git-deploy-branch",
    "git-from-archive",
    "git-from-directory",
    "git-from-image",
    "git-get-property",
    "git-has-code",
    "git-post-pull",
    "git-pre-pull",
    "git-revision",
    "haproxy-template-source",
    "logs-get-property",
    "network-build-config",
    "network-clear-config",
    "network-config-exists",
    "network-get-ipaddr",
    "network-get-listeners",
    "network-get-property",
    "network-get-static-listeners",
    "network-write-ipaddr",
    "network-write-port",
    "nginx-app-template-source",
    "nginx-dokku-template-source",
    "nginx-hostname",
    "nginx-pre-reload",
    "openresty-template-source",
    "ports-clear",
    "ports-configure",
    "ports-get",
    "ports-get-available",
    "ports-get-property",
    "ports-set-detected",
    "post-app-clone",
    "post-app-clone-setup",
    "post-app-rename",
    "post-app-rename-setup",
    "post-build-buildpack",
    "post-build-dockerfile",
    "post-build-lambda",
    "post-build-pack",
    "post-certs-remove",
    "post-certs-update",
    "post-config-update",
    "post-container-create",
    "post-create",
    "post-delete",
    "post-deploy",
    "post-domains-update",
    "post-extract",
    "post-proxy-ports-update",
    "post-release-builder",
    "post-release-lambda",
    "post-stack-set",
    "post-stop",
    "pre-build-buildpack",
    "pre-build-dockerfile",
    "pre-build-lambda",
    "pre-build-pack",
    "pre-delete",
    "pre-deploy",
    "pre-disable-vhost",
    "pre-enable-vhost",
    "pre-receive-app",
    "pre-release-buildpack",
    "pre-release-dockerfile",
    "pre-release-lambda",
    "pre-release-pack",
    "pre-restore",
    "pre-start",
    "procfile-exists",
    "procfile-get-command",
    "proxy-build-config",
    "proxy-clear-config",
    "proxy-disable",
    "proxy-enable",
    "proxy-is-enabled",
    "proxy-type",
    "ps-can-scale",
    "ps-current-scale",
    "ps-set-scale",
    "receive-app",
    "receive-branch",
    "release-and-deploy",
    "report",
    "resource-get-property",
    "retire-container-failed",
    "scheduler-app-status",
    "scheduler-deploy",
    "scheduler-detect",
    "scheduler-enter",
    "scheduler-inspect",
    "scheduler-is-deployed",
    "scheduler-logs",
    "scheduler-logs-failed",
    "scheduler-post-delete",
    "scheduler-post-deploy-process",
    "scheduler-post-run",
    "scheduler-pre-restore",
    "scheduler-register-retired",
    "scheduler-retire",
    "scheduler-run",
    "scheduler-run-list",
    "scheduler-run-logs",
    "scheduler-run-stop",
    "scheduler-stop",
    "storage-list",
    "traefik-template-source",
    "uninstall",
    "update",
    "user-auth",
    "user-auth-app",
];

/// Whether `name` is one of the logged trigger names.
pub fn is_hook(name: &str) -> bool {
    HOOKS.binary_search(&name).is_ok()
}

/// `$PLUGIN_CORE_AVAILABLE_PATH/20_events`, where the binary and its links live (owned by
/// the dokku user in an installed system).
pub fn plugin_dir() -> PathBuf {
    Paths::from_env().core_plugin_dir("20_events")
}

fn failure(action: &str, dir: &Path, err: io::Error) -> Error {
    Error::new(format!(
        "Unable to {action} the event hooks in {}: {err}",
        dir.display()
    ))
}

/// Add every missing hook link. Entries that are not symlinks are left alone.
pub fn install(dir: &Path) -> Result<()> {
    let binary = dir.join(BINARY);
    if !binary.is_file() {
        return Err(Error::new(format!(
            "Unable to find the events plugin binary at {}",
            binary.display()
        )));
    }
    for hook in HOOKS {
        link(dir, hook).map_err(|e| failure("install", dir, e))?;
    }
    fs::sync_parent(&binary).map_err(|e| failure("install", dir, e))
}

/// Create `dir/hook -> events` atomically (a temporary link renamed into place).
fn link(dir: &Path, hook: &str) -> io::Result<()> {
    let dest = dir.join(hook);
    if let Ok(meta) = std::fs::symlink_metadata(&dest) {
        if !meta.file_type().is_symlink() || std::fs::read_link(&dest)? == Path::new(BINARY) {
            return Ok(());
        }
    }
    let tmp = dir.join(format!(".{hook}{}{}", fs::TEMP_MARKER, std::process::id()));
    let _ = std::fs::remove_file(&tmp);
    let result = symlink(BINARY, &tmp)
        .and_then(|()| fs::chown_to_system_user(&tmp))
        .and_then(|()| std::fs::rename(&tmp, &dest));
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Remove every hook link (only symlinks; anything else under those names is not ours).
pub fn remove(dir: &Path) -> Result<()> {
    for hook in HOOKS {
        let path = dir.join(hook);
        let is_link = std::fs::symlink_metadata(&path)
            .map(|m| m.file_type().is_symlink())
            .unwrap_or(false);
        if is_link {
            match std::fs::remove_file(&path) {
                Err(e) if e.kind() != io::ErrorKind::NotFound => {
                    return Err(failure("remove", dir, e));
                }
                _ => {}
            }
        }
    }
    if dir.is_dir() {
        fs::sync_parent(&dir.join(BINARY)).map_err(|e| failure("remove", dir, e))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_is_sorted_and_complete() {
        assert_eq!(HOOKS.len(), 160);
        assert!(HOOKS.windows(2).all(|w| w[0].as_bytes() < w[1].as_bytes()));
        assert!(is_hook("user-auth") && is_hook("post-deploy") && is_hook("cron-write"));
        assert!(!is_hook("install") && !is_hook("events") && !is_hook("hook"));
    }
}
