//! The nginx server: where its binary is, how the service is controlled on each
//! distribution (or through the `nginx-service-command` property), and config validation.
//! Every external program is run directly with an argument list, never through a shell.

use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use dokku_common::{app, env, log, trigger, Error, Paths, Result};

use crate::props;

const OPENRESTY: &str = "/usr/bin/openresty";

pub fn is_executable(path: &Path) -> bool {
    std::fs::metadata(path)
        .map(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        .unwrap_or(false)
}

/// Whether openresty replaces nginx (`/usr/bin/openresty` is executable).
pub fn uses_openresty() -> bool {
    is_executable(Path::new(OPENRESTY))
}

/// The first executable `name` in `$PATH` (what `command -v` finds).
fn which(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .filter(|dir| !dir.as_os_str().is_empty())
        .map(|dir| dir.join(name))
        .find(|candidate| is_executable(candidate))
}

/// The nginx binary: `nginx` in `$PATH`, else `/usr/sbin/nginx`; openresty's when installed.
pub fn location() -> Result<PathBuf> {
    let mut found = which("nginx").unwrap_or_else(|| PathBuf::from("/usr/sbin/nginx"));
    if uses_openresty() {
        found = PathBuf::from(OPENRESTY);
    }
    if !is_executable(&found) {
        return Err(log::fail(format!(
            "Could not find nginx binary in $PATH or at '{}'.",
            found.display()
        )));
    }
    Ok(found)
}

pub fn init_name() -> &'static str {
    if uses_openresty() {
        "openresty"
    } else {
        "nginx"
    }
}

pub fn systemctl() -> &'static str {
    if is_executable(Path::new("/usr/bin/systemctl")) {
        "/usr/bin/systemctl"
    } else {
        "/bin/systemctl"
    }
}

/// Whether services are managed through `systemctl`: it is installed and systemd is the
/// running init (`/run/systemd/system`, what `sd_booted()` checks). Upstream looks only at
/// the binary, so on a host where systemd is installed but not running (a container) every
/// service action failed; there the distribution's init scripts are used instead.
pub fn uses_systemctl() -> bool {
    systemd_running(Path::new("/run/systemd/system")) && is_executable(Path::new(systemctl()))
}

fn systemd_running(marker: &Path) -> bool {
    marker.is_dir()
}

fn distro() -> String {
    env::var("DOKKU_DISTRO").unwrap_or_default()
}

fn uses_sv() -> bool {
    env::var("DOKKU_INIT_SYSTEM").as_deref() == Some("sv")
}

/// The exit status of a finished program as a result.
fn status_result(program: &str, status: std::io::Result<std::process::ExitStatus>) -> Result<()> {
    match status {
        Ok(s) if s.success() => Ok(()),
        Ok(s) => Err(Error::silent(s.code().unwrap_or(1))),
        Err(e) => Err(Error::with_code(format!("{program}: {e}"), 127).raw()),
    }
}

/// `sudo <args…>` with the caller's stdio.
fn sudo(args: &[&str]) -> Result<()> {
    status_result("sudo", Command::new("sudo").args(args).status())
}

/// Run a service action (`start`, `stop`, `reload`, `enable`, `disable`) for the nginx
/// service: the app's (or global) `nginx-service-command` when set, else the distribution's
/// init system through sudo. Distributions dokku does not know do nothing.
pub fn init_cmd(action: &str, app: &str) -> Result<()> {
    let custom = props::computed(app, "nginx-service-command");
    if !custom.is_empty() {
        return status_result(&custom, Command::new(&custom).arg(action).status());
    }
    let name = init_name();
    let systemctl = systemctl();
    let has_systemctl = uses_systemctl();
    match distro().as_str() {
        "debian" | "raspbian" => {
            if has_systemctl {
                sudo(&[systemctl, action, name])
            } else {
                sudo(&["/usr/sbin/invoke-rc.d", name, action])
            }
        }
        "ubuntu" => {
            if uses_sv() {
                sudo(&["/usr/bin/sv", action, name])
            } else if has_systemctl {
                sudo(&[systemctl, action, name])
            } else if is_executable(Path::new("/usr/bin/sv")) {
                sudo(&["/usr/bin/sv", action, name])
            } else if action == "enable" || action == "disable" {
                log::warn(&format!(
                    "Running {action} is not possible for init.d managed services"
                ));
                Ok(())
            } else {
                let script = format!("/etc/init.d/{name}");
                sudo(&[&script, action])
            }
        }
        "arch" => sudo(&[systemctl, action, name]),
        _ => Ok(()),
    }
}

/// A quiet probe: the exit status of `sudo <args…>` with no input and no output.
fn probe_status(args: &[&str]) -> i32 {
    Command::new("sudo")
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map(|s| s.code().unwrap_or(1))
        .unwrap_or(127)
}

fn probe(args: &[&str]) -> bool {
    probe_status(args) == 0
}

/// `sudo sv status <name>` prints a line starting with `run:`.
fn sv_running(name: &str) -> bool {
    Command::new("sudo")
        .args(["/usr/bin/sv", "status", name])
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .map(|o| {
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .any(|l| l.starts_with("run:"))
        })
        .unwrap_or(false)
}

fn not_checkable(name: &str) -> bool {
    log::warn(&format!(
        "Checking {name} status is not possible for init.d managed services"
    ));
    true
}

/// Whether the nginx service runs. Init systems that cannot tell count as running.
pub fn is_running() -> bool {
    let name = init_name();
    let systemctl = systemctl();
    let has_systemctl = uses_systemctl();
    let active = || probe(&[systemctl, "is-active", "--quiet", name]);
    match distro().as_str() {
        "debian" | "raspbian" => {
            if has_systemctl {
                active()
            } else {
                not_checkable(name)
            }
        }
        "ubuntu" => {
            if uses_sv() {
                sv_running(name)
            } else if has_systemctl {
                active()
            } else if is_executable(Path::new("/usr/bin/sv")) {
                sv_running(name)
            } else {
                not_checkable(name)
            }
        }
        "arch" => active(),
        _ => false,
    }
}

/// `sudo <nginx> -t` with all output discarded: whether the whole configuration is valid.
fn test_quietly(nginx: &Path) -> bool {
    let nginx = nginx.to_string_lossy();
    probe(&[&nginx, "-t"])
}

/// The wrapper configuration that lets `nginx -t -c` check one app's `nginx.conf` alone.
fn builtin_validation_config(conf: &Path) -> String {
    format!(
        "events {{ worker_connections 768; }}\nhttp {{\n  access_log off;\n  error_log /dev/null;\n  include {};\n}}\n",
        conf.display()
    )
}

/// Render a plugin-supplied validation template as `sigil -f <template> NGINX_CONF=<conf>`
/// does; a template that cannot be read or rendered makes the configuration invalid.
fn render_template(template: &str, conf: &Path) -> Option<String> {
    let source = std::fs::read_to_string(template).ok()?;
    let params = [("NGINX_CONF".to_string(), conf.display().to_string())];
    dokku_common::template::render_sigil(template, &source, &params).ok()
}

/// A temporary file, removed when dropped.
struct TempFile(PathBuf);

impl TempFile {
    fn create(content: &str) -> Result<TempFile> {
        let base = format!("dokku-{}-nginx-validate", env::dokku_pid());
        for attempt in 0..100u32 {
            let nanos = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.subsec_nanos())
                .unwrap_or(0);
            let path = std::env::temp_dir().join(format!("{base}.{nanos:x}{attempt}"));
            let file = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(0o600)
                .open(&path);
            match file {
                Ok(mut f) => {
                    let guard = TempFile(path);
                    f.write_all(content.as_bytes())?;
                    return Ok(guard);
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(e.into()),
            }
        }
        Err(Error::new("Unable to create a temporary file"))
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

fn app_conf(name: &str) -> PathBuf {
    Paths::from_env().app_root(name).join("nginx.conf")
}

/// Whether nginx accepts the app's `nginx.conf` on its own.
pub fn app_config_is_valid(name: &str, nginx: &Path) -> bool {
    let conf = app_conf(name);
    let custom = trigger::capture_text("nginx-app-template-source", &[name, "validate-config"]);
    let rendered = if custom.is_empty() {
        builtin_validation_config(&conf)
    } else {
        match render_template(&custom, &conf) {
            Some(text) => text,
            None => return false,
        }
    };
    let Ok(tmp) = TempFile::create(&dokku_common::template::squeeze_blank_lines(&rendered)) else {
        return false;
    };
    let nginx = nginx.to_string_lossy();
    let tmp_path = tmp.0.to_string_lossy();
    Command::new("sudo")
        .args([&*nginx, "-t", "-c", &*tmp_path])
        .stderr(Stdio::null())
        .status()
        .map(|s| s.success())
        .unwrap_or(false)
}

/// Delete the app's invalid `nginx.conf`, saying so.
pub fn clean_conf(name: &str) -> Result<()> {
    app::check_name(name)?;
    log::warn("Removing invalid nginx file");
    match std::fs::remove_file(app_conf(name)) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e.into()),
        _ => Ok(()),
    }
}

/// Check one app's `nginx.conf`: show it when nginx rejects it, and remove it with `--clean`.
pub fn validate_app(name: &str, flag: &str, nginx: &Path) -> Result<()> {
    app::check_name(name)?;
    let conf = app_conf(name);
    if !conf.is_file() {
        log::warn_quiet(&format!("No nginx config found for {name}"));
        return Ok(());
    }
    if app_config_is_valid(name, nginx) {
        return Ok(());
    }
    log::warn(&format!(
        "Failed to validate nginx config for {name}. Contents below..."
    ));
    let content = std::fs::read(&conf).unwrap_or_default();
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(&content);
    let _ = out.flush();
    drop(out);
    if flag == "--clean" {
        clean_conf(name)?;
    }
    Ok(())
}

/// `validate_nginx [<app>|--clean] [--clean]`: when the whole configuration fails `nginx -t`,
/// find the apps whose `nginx.conf` is to blame (optionally removing them), then fail with
/// nginx's own report if it still does not pass.
pub fn validate(name: &str, flag: &str) -> Result<()> {
    let nginx = location()?;
    let (name, flag) = if name == "--clean" {
        ("", "--clean")
    } else {
        (name, flag)
    };
    if test_quietly(&nginx) {
        return Ok(());
    }
    if !name.is_empty() {
        crate::commands::verify_app(name)?;
        validate_app(name, flag, &nginx)?;
    } else {
        match app::unfiltered_apps() {
            Ok(apps) => {
                for each in apps {
                    validate_app(&each, flag, &nginx)?;
                }
            }
            Err(e) => log::warn(e.message()),
        }
    }
    if test_quietly(&nginx) {
        return Ok(());
    }
    let nginx = nginx.to_string_lossy();
    sudo(&[&nginx, "-t"])
}

/// `nginx:reload`: reload only a configuration that passes `nginx -t` (showing nginx's
/// report and failing with its status otherwise).
pub fn reload_checked() -> Result<()> {
    let nginx = location()?;
    let shown = nginx.to_string_lossy();
    let first = probe_status(&[&shown, "-t"]);
    if first != 0 {
        // Shown again with nginx's report; the status of the first run is the one kept.
        let _ = Command::new("sudo").args([&*shown, "-t"]).status();
        return Err(Error::silent(first));
    }
    init_cmd("reload", "")
}

/// A reload dokku does on its own after changing configs: only when there is an nginx this
/// dokku drives (see `build::drives_nginx`). Upstream always has nginx installed and would
/// fail on a missing or stopped service.
fn implicit_reload(name: &str) -> Result<()> {
    if !crate::build::drives_nginx(name) {
        return Ok(());
    }
    init_cmd("reload", name)
}

/// `restart_nginx`: reload when the app's proxy is enabled and is nginx.
pub fn restart_for(name: &str) -> Result<()> {
    let enabled = trigger::capture_lenient("proxy-is-enabled", &[name]);
    let proxy_type = trigger::capture_lenient("proxy-type", &[name]);
    if enabled == "true" && proxy_type == "nginx" {
        return implicit_reload(name);
    }
    Ok(())
}

/// `nginx_clear_config`: remove the app's `nginx.conf` and reload, showing the reload's
/// output only when it fails.
pub fn clear_config(name: &str) -> Result<()> {
    app::check_name(name)?;
    match std::fs::remove_file(app_conf(name)) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e.into()),
        _ => {}
    }
    suppressed(|| implicit_reload(name))
}

/// Run `f` with stdout (and stderr, when `both`) sent to `target`, restoring them after.
fn redirected<T>(target: &std::fs::File, both: bool, f: impl FnOnce() -> T) -> Result<T> {
    use std::os::fd::AsRawFd;
    let _ = std::io::stdout().flush();
    let _ = std::io::stderr().flush();
    let fds: &[i32] = if both { &[1, 2] } else { &[1] };
    let mut saved = Vec::new();
    for &fd in fds {
        let copy = nix::unistd::dup(fd).map_err(|e| Error::new(e.to_string()))?;
        saved.push((fd, copy));
        nix::unistd::dup2(target.as_raw_fd(), fd).map_err(|e| Error::new(e.to_string()))?;
    }
    let value = f();
    let _ = std::io::stdout().flush();
    let _ = std::io::stderr().flush();
    for (fd, copy) in saved {
        let _ = nix::unistd::dup2(copy, fd);
        let _ = nix::unistd::close(copy);
    }
    Ok(value)
}

/// Run `f` with its output held back and shown (on stdout) only when it fails: the bash
/// `suppress_output`.
fn suppressed(f: impl FnOnce() -> Result<()>) -> Result<()> {
    let tmp = TempFile::create("")?;
    let file = std::fs::OpenOptions::new().append(true).open(&tmp.0)?;
    let result = redirected(&file, true, f)?;
    if result.is_err() {
        let captured = std::fs::read(&tmp.0).unwrap_or_default();
        let mut out = std::io::stdout().lock();
        let _ = out.write_all(&captured);
        let _ = out.flush();
    }
    result
}

/// Run `f` with its stdout discarded (`>/dev/null`).
pub fn with_stdout_discarded(f: impl FnOnce() -> Result<()>) -> Result<()> {
    let null = std::fs::OpenOptions::new().write(true).open("/dev/null")?;
    redirected(&null, false, f)?
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapper_includes_the_app_config() {
        let text = builtin_validation_config(Path::new("/home/dokku/web/nginx.conf"));
        assert!(text.contains("include /home/dokku/web/nginx.conf;"));
        assert!(text.starts_with("events "));
    }
}
