//! The nginx-vhosts triggers: the app lifecycle, the proxy and vhost hooks, restore and
//! install, and those that (re)build an app's `nginx.conf` (see `build.rs`).

use std::path::Path;

use dokku_common::args::nth;
use dokku_common::property::{self, Store, GLOBAL};
use dokku_common::{app, data, env, fs as dfs, log, report, trigger, Error, Result};

use crate::build;
use crate::props::{self, PLUGIN};
use crate::service;

fn proxy_type(name: &str) -> String {
    trigger::capture_text("proxy-type", &[name])
}

fn is_nginx(name: &str) -> bool {
    proxy_type(name) == "nginx"
}

fn app_data_dir(name: &str) -> Result<std::path::PathBuf> {
    build::app_data_dir(name)
}

/// `dependencies`: the packages nginx-vhosts needs where dokku installs them itself.
pub fn dependencies(_args: &[String]) -> Result<()> {
    if env::var("DOKKU_DISTRO").as_deref() != Some("arch") {
        return Ok(());
    }
    let status = std::process::Command::new("pacman")
        .args([
            "-S",
            "--noconfirm",
            "--noprogressbar",
            "--needed",
            "nginx",
            "bind-tools",
        ])
        .status();
    match status {
        Ok(s) if s.success() => Ok(()),
        Ok(s) => Err(Error::silent(s.code().unwrap_or(1))),
        Err(e) => Err(Error::with_code(format!("pacman: {e}"), 127).raw()),
    }
}

/// The sudoers rule letting the dokku group control the nginx service and test configs.
fn sudoers_rule(nginx: &str) -> Option<String> {
    let name = service::init_name();
    let systemctl = service::systemctl();
    let systemd = service::uses_systemctl();
    let tests = format!("{nginx} -t, {nginx} -t -c *");
    let with_systemctl = format!(
        "{s} enable {name}, {s} disable {name}, {s} reload {name}, {s} start {name}, {s} stop {name}, {s} is-active --quiet {name}, {tests}",
        s = systemctl
    );
    let with_sv = format!(
        "/usr/bin/sv enable {name}, /usr/bin/sv disable {name}, /usr/bin/sv reload {name}, /usr/bin/sv start {name}, /usr/bin/sv stop {name}, /usr/bin/sv status {name}, {tests}"
    );
    let commands = match env::var("DOKKU_DISTRO").as_deref().unwrap_or("") {
        "debian" | "raspbian" if systemd => with_systemctl,
        "debian" | "raspbian" => {
            let r = "/usr/sbin/invoke-rc.d";
            format!("{r} {name} enable, {r} {name} disable, {r} {name} reload, {r} {name} start, {r} {name} stop, {tests}")
        }
        "ubuntu" if env::var("DOKKU_INIT_SYSTEM").as_deref() == Some("sv") => with_sv,
        "ubuntu" if systemd => with_systemctl,
        "ubuntu" if service::is_executable(Path::new("/usr/bin/sv")) => with_sv,
        "ubuntu" => {
            let i = format!("/etc/init.d/{name}");
            format!("{i} enable, {i} disable, {i} reload, {i} start, {i} stop, {tests}")
        }
        "arch" => with_systemctl,
        _ => return None,
    };
    Some(format!("%dokku ALL=(ALL) NOPASSWD:{commands}\n"))
}

/// The host-wide part of `install` (real installs only): the sudoers rule and the nginx
/// `conf.d` directory with dokku's `server_names_hash_bucket_size` default. These are the
/// host's files: they stay root's (sudo ignores a rule file root does not own).
fn install_host_files() -> Result<()> {
    let nginx = match service::location() {
        Ok(path) => path,
        Err(e) => {
            log::warn(e.message());
            log::warn("Skipping the nginx host setup until nginx is installed");
            return Ok(());
        }
    };
    let openresty = service::uses_openresty();
    let (root, sudoers) = if openresty {
        (
            "/usr/local/openresty/nginx/conf",
            "/etc/sudoers.d/dokku-openresty",
        )
    } else {
        ("/etc/nginx", "/etc/sudoers.d/dokku-nginx")
    };
    if let Some(rule) = sudoers_rule(&nginx.to_string_lossy()) {
        dfs::write_atomic_keep_owner(Path::new(sudoers), rule.as_bytes(), 0o440)?;
    }
    let conf_d = Path::new(root).join("conf.d");
    dfs::ensure_dir_keep_owner(&conf_d, 0o755)?;
    let bucket = conf_d.join("server_names_hash_bucket_size.conf");
    if !bucket.exists() {
        dfs::write_atomic_keep_owner(&bucket, b"server_names_hash_bucket_size 512;\n", 0o644)?;
    }
    let dhparam = Path::new(root).join("dhparam.pem");
    if !dhparam.exists() {
        let status = std::process::Command::new("openssl")
            .arg("dhparam")
            .arg("-out")
            .arg(&dhparam)
            .arg("2048")
            .status();
        if !matches!(status, Ok(s) if s.success()) {
            return Err(log::fail("Unable to generate the nginx dhparam.pem"));
        }
    }
    // As upstream: both are root's, whoever made them (an older install may not have been).
    for path in [&dhparam, &conf_d] {
        std::os::unix::fs::lchown(path, Some(0), Some(0))?;
    }
    // dokku.conf sets server_tokens itself; nginx refuses a duplicate directive.
    let main_conf = Path::new(root).join("nginx.conf");
    if let Ok(text) = std::fs::read_to_string(&main_conf) {
        if text.contains("server_tokens") {
            let kept: String = text
                .split_inclusive('\n')
                .filter(|l| !l.contains("server_tokens"))
                .collect();
            dfs::write_atomic_keep_owner(&main_conf, kept.as_bytes(), 0o644)?;
        }
    }
    dfs::write_atomic_keep_owner(
        &conf_d.join("dokku.conf"),
        dokku_conf(root)?.as_bytes(),
        0o644,
    )?;
    Ok(())
}

/// `conf.d/dokku.conf`: includes every app's `nginx.conf` (from `nginx-dokku-template-source`
/// when a plugin supplies an existing template, else the built-in one).
fn dokku_conf(nginx_root: &str) -> Result<String> {
    let custom = trigger::capture_lenient("nginx-dokku-template-source", &[] as &[&str]);
    let template = if !custom.is_empty() && Path::new(&custom).is_file() {
        std::path::PathBuf::from(custom)
    } else {
        dokku_common::Paths::from_env()
            .core_plugin_dir("nginx-vhosts")
            .join("templates/dokku.conf.sigil")
    };
    let source = std::fs::read_to_string(&template)?;
    let params = [
        (
            "DOKKU_ROOT".to_string(),
            dokku_common::Paths::from_env().dokku_root.display().to_string(),
        ),
        ("NGINX_ROOT".to_string(), nginx_root.to_string()),
    ];
    let text = dokku_common::template::render_sigil("dokku.conf.sigil", &source, &params)
        .map_err(|e| log::fail(e.message()))?;
    Ok(dokku_common::template::squeeze_blank_lines(&text))
}

/// The error pages the app configs point nginx at (`data/nginx-vhosts/dokku-errors`).
fn install_error_pages() -> Result<()> {
    let dir = data::dir("nginx-vhosts")?.join("dokku-errors");
    dfs::ensure_dir(&dir, 0o755)?;
    let templates = dokku_common::Paths::from_env()
        .core_plugin_dir("nginx-vhosts")
        .join("templates");
    for page in ["400-error.html", "404-error.html", "500-error.html", "502-error.html"] {
        let content = std::fs::read(templates.join(page))?;
        dfs::write_atomic(&dir.join(page), &content, 0o644)?;
    }
    Ok(())
}

/// `install`: the property directory, old settings carried over, and on a real install the
/// host files and a running nginx (unless it was stopped, or no app uses it).
pub fn install(_args: &[String]) -> Result<()> {
    let store = Store::from_env();
    store.setup(PLUGIN)?;
    install_error_pages()?;
    let system = env::system_install();
    if system {
        install_host_files()?;
    }
    let entry = |var: &str, property: &str| property::Migration {
        config_var: var.to_string(),
        property: property.to_string(),
        ..property::Migration::default()
    };
    store.migrate_config(
        "proxy",
        &[
            entry("DOKKU_NGINX_PORT", "proxy-port"),
            entry("DOKKU_NGINX_SSL_PORT", "proxy-ssl-port"),
        ],
    )?;
    let stopped_marker = data::dir("nginx-vhosts")?.join("nginx.stopped");
    if stopped_marker.is_file() {
        dfs::remove_file(&stopped_marker)?;
        store.set(PLUGIN, GLOBAL, "proxy-status", "stopped")?;
    }
    // Upstream's package depends on nginx; without it there is nothing to start (the host
    // setup above already said so), and the install must not fail.
    if !system || Path::new("/usr/bin/sv").is_file() || service::location().is_err() {
        return Ok(());
    }
    if store.get(PLUGIN, GLOBAL, "proxy-status") == "stopped" {
        return Ok(());
    }
    let apps = app::unfiltered_apps().unwrap_or_default();
    if !apps.is_empty() && !apps.iter().any(|a| is_nginx(a)) {
        return Ok(());
    }
    service::init_cmd("start", "").or_else(|_| service::init_cmd("reload", ""))
}

/// `post-create <app>`: the app's property directory, and its placeholder `nginx.conf`
/// (answering 502 until a deploy) unless nginx was stopped on purpose.
pub fn post_create(args: &[String]) -> Result<()> {
    let name = nth(args, 0);
    Store::from_env().setup_app(PLUGIN, name)?;
    if !is_nginx(name) || build::proxy_stopped() {
        return Ok(());
    }
    build::build_config(name, build::Passed::default())
}

/// `post-domains-update <app> …`: rebuild the config of an nginx app.
pub fn post_domains_update(args: &[String]) -> Result<()> {
    let name = nth(args, 0);
    if name.is_empty() {
        return Err(log::fail("Please specify an app to run the command on"));
    }
    if is_nginx(name) {
        build::build_config(name, build::Passed::default())?;
    }
    Ok(())
}

/// `post-proxy-ports-update <app> <action>`: rebuild the config of an nginx app.
pub fn post_proxy_ports_update(args: &[String]) -> Result<()> {
    let name = nth(args, 0);
    if is_nginx(name) {
        build::build_config(name, build::Passed::default())?;
    }
    Ok(())
}

/// `proxy-build-config <app>`.
pub fn proxy_build_config(args: &[String]) -> Result<()> {
    build::proxy_build_config(nth(args, 0))
}

/// `core-post-deploy <app> …`: rebuild through every `proxy-build-config` hook.
pub fn core_post_deploy(args: &[String]) -> Result<()> {
    let name = nth(args, 0);
    if is_nginx(name) {
        trigger::call_ok("proxy-build-config", &[name])?;
    }
    Ok(())
}

/// `scheduler-post-deploy-process <app> <process-type>`: route to the new web containers
/// before the others are up.
pub fn scheduler_post_deploy_process(args: &[String]) -> Result<()> {
    let name = nth(args, 0);
    if nth(args, 1) != "web" || !is_nginx(name) {
        return Ok(());
    }
    log::info2("Triggering early nginx proxy rebuild");
    trigger::call_ok("proxy-build-config", &[name])
}

/// `post-delete <app>`: drop the app's properties and kept template, and reload a running
/// nginx so it forgets the app.
pub fn post_delete(args: &[String]) -> Result<()> {
    let name = nth(args, 0);
    // A temporary install leaves the host's nginx alone (see `drives_nginx`), its status too.
    let drives = crate::build::drives_nginx(name);
    property::delete_trigger(PLUGIN, args)?;
    if drives && service::is_running() {
        service::with_stdout_discarded(|| service::restart_for(name))?;
    }
    dfs::remove_all(&app_data_dir(name)?)?;
    Ok(())
}

/// `post-app-clone-setup <old> <new>`: copy the properties; the clone gets its own config.
pub fn post_app_clone_setup(args: &[String]) -> Result<()> {
    property::clone_setup_trigger(PLUGIN, args)?;
    let (_, new) = property::app_pair(args)?;
    let conf = dokku_common::Paths::from_env()
        .app_root(new)
        .join("nginx.conf");
    dfs::remove_all(&conf)?;
    Ok(())
}

/// `post-app-rename-setup <old> <new>`: move the properties and clear the proxy config.
pub fn post_app_rename_setup(args: &[String]) -> Result<()> {
    property::rename_setup_trigger(PLUGIN, args)?;
    trigger::call_ok("proxy-clear-config", &[nth(args, 1)])
}

/// Whether `ports-get` lists a mapping on the default http or https port.
fn maps_default_ports(name: &str) -> bool {
    trigger::capture_lenient("ports-get", &[name])
        .split_whitespace()
        .any(|m| m.starts_with("http:80:") || m.starts_with("https:443:"))
}

/// Drop the stored proxy ports for which `drop` says so, and port maps on 80/443.
fn reset_ports(name: &str, drop: impl Fn(&str, &str) -> bool, forget_detected: bool) -> Result<()> {
    let store = Store::from_env();
    for key in ["proxy-port", "proxy-ssl-port"] {
        let value = trigger::capture_lenient("ports-get-property", &[name, key]);
        if drop(key, &value) {
            store.delete("proxy", name, key)?;
        }
    }
    if forget_detected {
        store.delete("ports", name, "map-detected")?;
    }
    if maps_default_ports(name) {
        trigger::call_ok("ports-clear", &[name])?;
    }
    Ok(())
}

/// `pre-enable-vhost <app>`: forget the proxy ports so they are chosen again for vhosts.
pub fn pre_enable_vhost(args: &[String]) -> Result<()> {
    let name = nth(args, 0);
    if !is_nginx(name) {
        return Ok(());
    }
    reset_ports(name, |_, value| !value.is_empty(), true)
}

/// `pre-disable-vhost <app>`: forget proxy ports that are the vhost defaults (80 and 443).
pub fn pre_disable_vhost(args: &[String]) -> Result<()> {
    let name = nth(args, 0);
    if !is_nginx(name) {
        return Ok(());
    }
    reset_ports(
        name,
        |key, value| {
            (key == "proxy-port" && value == "80") || (key == "proxy-ssl-port" && value == "443")
        },
        false,
    )
}

/// `pre-restore`: start nginx again when it was running before.
pub fn pre_restore(_args: &[String]) -> Result<()> {
    if props::store().get(PLUGIN, GLOBAL, "proxy-status") != "started" {
        return Ok(());
    }
    // Every step runs even when one fails; the last one decides, as upstream's `if !` does.
    let _ = props::store().set(PLUGIN, GLOBAL, "proxy-status", "started");
    let _ = service::init_cmd("enable", "");
    if service::init_cmd("start", "").is_err() {
        log::warn("Failed to restore nginx proxy, requests may not route as expected");
    }
    Ok(())
}

fn clear_config_for(name: &str) -> Result<()> {
    if name.is_empty() {
        return Err(log::fail("Please specify an app to run the command on"));
    }
    if is_nginx(name) {
        trigger::call_ok("network-clear-config", &[name])?;
        service::clear_config(name)?;
    }
    Ok(())
}

/// `proxy-clear-config <app>|--all`: remove the app's `nginx.conf` (every app's with
/// `--all`) and reload nginx.
pub fn proxy_clear_config(args: &[String]) -> Result<()> {
    let target = nth(args, 0);
    if target != "--all" {
        return clear_config_for(target);
    }
    let apps = match app::dokku_apps() {
        Ok(apps) => apps,
        Err(e) => {
            log::warn(e.message());
            Vec::new()
        }
    };
    // Upstream goes on past a failing app and (through a bash quirk) always succeeds.
    for each in apps {
        let _ = clear_config_for(&each).map_err(|e| e.report());
    }
    Ok(())
}

/// `proxy-enable <app>`: turn vhosts back on and restart the app.
pub fn proxy_enable(args: &[String]) -> Result<()> {
    let name = nth(args, 0);
    if is_nginx(name) {
        trigger::call_ok("domains-enable", &[name, "false"])?;
        trigger::call_ok("app-restart", &[name])?;
    }
    Ok(())
}

/// `proxy-disable <app>`: turn vhosts off and restart the app.
pub fn proxy_disable(args: &[String]) -> Result<()> {
    let name = nth(args, 0);
    if is_nginx(name) {
        trigger::call_ok("domains-disable", &[name, "false"])?;
        trigger::call_ok("app-restart", &[name])?;
    }
    Ok(())
}

/// `report <app>`.
pub fn report(args: &[String]) -> Result<()> {
    report::report_one(&crate::report::NginxReport, nth(args, 0), "", None)
}
