//! Generating an app's `nginx.conf` (upstream's bash `nginx_build_config` and
//! `fn-nginx-vhosts-render-template`): collect the app's domains, port maps, certificate,
//! listeners and nginx properties, render the template (built-in, plugin-supplied or the
//! app's own `nginx.conf.sigil`) and reload nginx.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use dokku_common::template::{render_sigil, squeeze_blank_lines};
use dokku_common::{app, data, docker, env, fs as dfs, log, scheduler, trigger, Paths, Result};

use crate::props::{self, PLUGIN};
use crate::service;

/// A trigger's stdout without its trailing newlines (bash `$(plugn trigger …)`).
fn capture(hook: &str, args: &[&str]) -> String {
    trigger::capture_text(hook, args)
}

/// The words of a list as `xargs` and bash's default `IFS` split it: on spaces, tabs and
/// newlines only (a CR of a hand-edited CRLF file stays in its word).
fn word_list(text: &str) -> impl Iterator<Item = &str> {
    text.split([' ', '\t', '\n']).filter(|w| !w.is_empty())
}

/// Words joined by single spaces (what `| xargs` leaves of a list).
fn words(text: &str) -> String {
    word_list(text).collect::<Vec<_>>().join(" ")
}

/// The lines of a file as `grep` reads them: split on newlines only, a last line without
/// one included.
fn grep_lines_of(text: &str) -> impl Iterator<Item = &str> {
    text.strip_suffix('\n')
        .unwrap_or(text)
        .split('\n')
        .filter(move |_| !text.is_empty())
}

/// The domains upstream announces (`echo "$SSL" "$NONSSL" | tr ' ' '\n' | sort -u |
/// xargs -i`): split on spaces and newlines only, sorted bytewise (the C/C.UTF-8
/// collation) without duplicates, each stripped of leading white space by `xargs`, blank
/// ones skipped.
fn announced_domains(ssl_vhosts: &str, nonssl_vhosts: &str) -> Vec<String> {
    let joined = format!("{ssl_vhosts} {nonssl_vhosts}");
    let mut lines: Vec<&str> = joined.split([' ', '\n']).collect();
    lines.sort_unstable();
    lines.dedup();
    lines
        .into_iter()
        .map(|l| l.trim_start_matches([' ', '\t', '\r', '\x0b', '\x0c']))
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

fn plugin_dir() -> PathBuf {
    Paths::from_env().core_plugin_dir("nginx-vhosts")
}

/// `data/nginx-vhosts/app-<app>`: where the app's own `nginx.conf.sigil` is kept.
pub fn app_data_dir(name: &str) -> Result<PathBuf> {
    app::check_name(name)?;
    Ok(data::dir("nginx-vhosts")?.join(format!("app-{name}")))
}

/// The template a plugin supplies through `nginx-app-template-source <app> <kind>`.
pub fn plugin_template(name: &str, kind: &str) -> String {
    capture("nginx-app-template-source", &[name, kind])
}

/// The nginx version as upstream reads it from `nginx -v` (the text after the first `/`,
/// up to a blank).
fn nginx_version(nginx: &Path) -> String {
    let out = Command::new(nginx)
        .arg("-v")
        .stdin(Stdio::null())
        .output();
    let Ok(out) = out else {
        return String::new();
    };
    let mut text = String::from_utf8_lossy(&out.stderr).into_owned();
    text.push_str(&String::from_utf8_lossy(&out.stdout));
    text.lines()
        .next()
        .map(|line| {
            let field = line.split('/').nth(1).unwrap_or(line);
            field.split_whitespace().next().unwrap_or("").to_string()
        })
        .unwrap_or_default()
}

fn version_parts(version: &str) -> (i64, i64, i64) {
    let mut parts = version
        .split('.')
        .map(|p| p.trim().parse::<i64>().unwrap_or(0));
    (
        parts.next().unwrap_or(0),
        parts.next().unwrap_or(0),
        parts.next().unwrap_or(0),
    )
}

/// nginx 1.25.1 and later take `http2 on;` instead of `listen … http2`.
pub fn http2_directive_supported(version: &str) -> bool {
    match version_parts(version) {
        (major, _, _) if major >= 2 => true,
        (1, minor, patch) => (minor == 25 && patch >= 1) || minor >= 26,
        _ => false,
    }
}

/// nginx 1.13.9 up to 1.24 has http2 server push.
pub fn http2_push_supported(version: &str) -> bool {
    match version_parts(version) {
        (major, _, _) if major >= 2 => true,
        (1, minor, patch) => ((minor == 13 && patch >= 9) || minor >= 14) && minor < 25,
        _ => false,
    }
}

/// The certificate's host names, as the certs plugin reads them (`get_ssl_hostnames`).
fn ssl_hostnames(name: &str) -> Vec<String> {
    let helper = Paths::from_env().core_plugin_dir("certs").join("certs-fn");
    Command::new(helper)
        .args(["hostnames", name])
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .map(|o| {
            String::from_utf8_lossy(&o.stdout)
                .split_whitespace()
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

/// Whether a VHOST line matches the certificate names the way upstream's
/// `grep -E "^(names joined by |)$"` does: `.` literal, `*` any run of characters other than
/// `.` and `\`, and, since `^`/`$` bind to the first and last alternatives only, the first
/// name may start the line, the last may end it and middle ones may appear anywhere.
fn matches_cert_name(line: &str, names: &[String]) -> bool {
    fn here(pattern: &[u8], text: &[u8], to_end: bool) -> bool {
        match pattern.split_first() {
            None => !to_end || text.is_empty(),
            Some((b'*', rest)) => (0..=text.len())
                .take_while(|&n| n == 0 || !matches!(text[n - 1], b'.' | b'\\'))
                .any(|n| here(rest, &text[n..], to_end)),
            Some((c, rest)) => text.first() == Some(c) && here(rest, &text[1..], to_end),
        }
    }
    let line = line.as_bytes();
    let alternatives: Vec<&str> = if names.is_empty() {
        vec![""]
    } else {
        names.iter().map(String::as_str).collect()
    };
    let last = alternatives.len() - 1;
    alternatives.iter().enumerate().any(|(i, name)| {
        let p = name.as_bytes();
        let (at_start, at_end) = (i == 0, i == last);
        if at_start {
            here(p, line, at_end)
        } else {
            (0..=line.len()).any(|s| here(p, &line[s..], at_end))
        }
    })
}

/// The app's VHOST lines the certificate covers, or the whole global VHOST file when the
/// app has vhosts disabled, as upstream's `$(grep …)` / `$(<file)` leave them (trailing
/// newlines dropped).
fn ssl_vhosts(name: &str, vhost_enabled: bool, names: &[String]) -> String {
    let paths = Paths::from_env();
    if !vhost_enabled {
        let text = std::fs::read_to_string(paths.dokku_root.join("VHOST")).unwrap_or_default();
        return text.trim_end_matches('\n').to_string();
    }
    let text = std::fs::read_to_string(paths.app_root(name).join("VHOST")).unwrap_or_default();
    grep_lines_of(&text)
        .filter(|l| matches_cert_name(l, names))
        .collect::<Vec<_>>()
        .join("\n")
        .trim_end_matches('\n')
        .to_string()
}

/// `validate_ssl_domains`: say so when none of the app's domains is in the certificate.
fn validate_ssl_domains(name: &str, names: &[String], nonssl_vhosts: &str) {
    let vhost = Paths::from_env().app_root(name).join("VHOST");
    let text = std::fs::read_to_string(vhost).unwrap_or_default();
    if grep_lines_of(&text).any(|l| matches_cert_name(l, names)) {
        return;
    }
    log::info1(&format!("No matching configured domains for {name} found in SSL certificate. Your app will show as insecure in a browser if accessed via SSL"));
    log::info1("Please add appropriate domains via the dokku domains command");
    if !nonssl_vhosts.is_empty() {
        log::info1("Configured domains for app:");
    }
    for domain in word_list(nonssl_vhosts) {
        log::info2(domain);
    }
    if !names.is_empty() {
        log::info1("Domains found in SSL certificate:");
    }
    for domain in names {
        log::info2(domain);
    }
}

/// The app's own environment (`config:export`), handed to its template.
fn app_env(name: &str) -> Vec<(String, String)> {
    let out = capture("config-export", &[name, "false", "false", "json"]);
    let Ok(serde_json::Value::Object(map)) = serde_json::from_str::<serde_json::Value>(&out) else {
        return Vec::new();
    };
    map.into_iter()
        .filter_map(|(k, v)| v.as_str().map(|s| (k, s.to_string())))
        .collect()
}

/// What an explicit caller passes instead of the listeners (`nginx_build_config <app>
/// <port> <ip>`).
#[derive(Default, Clone)]
pub struct Passed {
    pub port: String,
    pub ip: String,
}

/// Everything the template gets, gathered once.
struct Inputs {
    name: String,
    passed: Passed,
    listeners: String,
    passed_listen: bool,
    ssl_inuse: bool,
    nossl_server_name: String,
    ssl_server_name: String,
    port_map: String,
    upstream_ports: String,
}

/// The `KEY=VALUE` parameters upstream hands `sigil`, in its order (a later key wins).
fn params(inputs: &Inputs, nginx: Option<&Path>, deployed: bool) -> Vec<(String, String)> {
    let name = inputs.name.as_str();
    let paths = Paths::from_env();
    let version = nginx.map(nginx_version).unwrap_or_default();
    let computed = |key: &str| props::computed(name, key);
    let proxy_port = capture("ports-get-property", &[name, "proxy-port"]);
    let proxy_ssl_port = capture("ports-get-property", &[name, "proxy-ssl-port"]);
    let flag = |b: bool| if b { "true" } else { "false" }.to_string();
    let mut list: Vec<(String, String)> = Vec::new();
    if deployed {
        // Upstream exports the app's environment into sigil's.
        list.extend(app_env(name));
    }
    let mut set = |k: &str, v: String| list.push((k.to_string(), v));
    set("APP", name.to_string());
    set("DOKKU_ROOT", paths.dokku_root.display().to_string());
    set("NOSSL_SERVER_NAME", inputs.nossl_server_name.clone());
    set("DOKKU_APP_LISTENERS", inputs.listeners.clone());
    set("DOKKU_LIB_ROOT", paths.lib_root.display().to_string());
    set(
        "PASSED_LISTEN_IP_PORT",
        if inputs.passed_listen { "true" } else { "" }.to_string(),
    );
    set("SPDY_SUPPORTED", flag(false));
    set("TLS13_SUPPORTED", flag(true));
    set("HTTP2_SUPPORTED", flag(true));
    set("NGINX_LOG_ROOT", props::log_root().to_string());
    set("NGINX_ACCESS_LOG_FORMAT", computed("access-log-format"));
    set("NGINX_ACCESS_LOG_PATH", computed("access-log-path"));
    set("NGINX_ERROR_LOG_PATH", computed("error-log-path"));
    set("NGINX_BIND_ADDRESS_IP4", computed("bind-address-ipv4"));
    set("NGINX_BIND_ADDRESS_IP6", computed("bind-address-ipv6"));
    set(
        "HTTP2_DIRECTIVE_SUPPORTED",
        flag(http2_directive_supported(&version)),
    );
    set("HTTP2_PUSH_SUPPORTED", flag(http2_push_supported(&version)));
    set("GRPC_SUPPORTED", flag(true));
    set("DOKKU_APP_LISTEN_PORT", inputs.passed.port.clone());
    set("DOKKU_APP_LISTEN_IP", inputs.passed.ip.clone());
    set(
        "APP_SSL_PATH",
        paths.app_root(name).join("tls").display().to_string(),
    );
    set(
        "SSL_INUSE",
        if inputs.ssl_inuse { "true" } else { "" }.to_string(),
    );
    set("SSL_SERVER_NAME", inputs.ssl_server_name.clone());
    for (key, property) in [
        ("CLIENT_BODY_TIMEOUT", "client-body-timeout"),
        ("CLIENT_HEADER_TIMEOUT", "client-header-timeout"),
        ("CLIENT_MAX_BODY_SIZE", "client-max-body-size"),
        ("KEEPALIVE_TIMEOUT", "keepalive-timeout"),
        ("LINGERING_TIMEOUT", "lingering-timeout"),
        ("PROXY_CONNECT_TIMEOUT", "proxy-connect-timeout"),
        ("PROXY_READ_TIMEOUT", "proxy-read-timeout"),
        ("PROXY_SEND_TIMEOUT", "proxy-send-timeout"),
        ("SEND_TIMEOUT", "send-timeout"),
        ("PROXY_BUFFER_SIZE", "proxy-buffer-size"),
        ("PROXY_BUFFERING", "proxy-buffering"),
        ("PROXY_BUFFERS", "proxy-buffers"),
        ("PROXY_BUSY_BUFFERS_SIZE", "proxy-busy-buffers-size"),
        ("PROXY_KEEPALIVE", "proxy-keepalive"),
        ("NGINX_UNDERSCORE_IN_HEADERS", "underscore-in-headers"),
    ] {
        set(key, computed(property));
    }
    set("NGINX_PORT", proxy_port.clone());
    set("NGINX_SSL_PORT", proxy_ssl_port.clone());
    set("PROXY_PORT", proxy_port);
    set("PROXY_SSL_PORT", proxy_ssl_port);
    set("PROXY_PORT_MAP", inputs.port_map.clone());
    set("PROXY_UPSTREAM_PORTS", inputs.upstream_ports.clone());
    set("PROXY_X_FORWARDED_FOR", computed("x-forwarded-for-value"));
    set("PROXY_X_FORWARDED_PORT", computed("x-forwarded-port-value"));
    set("PROXY_X_FORWARDED_PROTO", computed("x-forwarded-proto-value"));
    set("PROXY_X_FORWARDED_SSL", computed("x-forwarded-ssl"));
    if deployed {
        for line in capture("ps-current-scale", &[name]).lines() {
            let process = line.split('=').next().unwrap_or("");
            let listeners = words(&capture("network-get-listeners", &[name, process]));
            let key = format!(
                "DOKKU_APP_{}_LISTENERS",
                process.to_uppercase().replace('-', "_")
            );
            set(&key, listeners);
        }
    } else {
        set("DOKKU_APP_WEB_LISTENERS", String::new());
    }
    list
}

/// Render a template file with the parameters, squeezing blank-line runs (`| cat -s`).
fn render_file(template: &Path, params: &[(String, String)]) -> Result<String> {
    let source = std::fs::read_to_string(template).map_err(|e| {
        log::fail(format!(
            "Unable to read nginx template {}: {e}",
            template.display()
        ))
    })?;
    let name = template
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let text = render_sigil(&name, &source, params).map_err(|e| log::fail(e.message()))?;
    Ok(squeeze_blank_lines(&text))
}

/// The port maps nginx serves: https ones only with a certificate (warning otherwise),
/// and the distinct container ports.
fn port_maps(name: &str, ssl: bool, warn: bool) -> (String, String) {
    let mut maps = Vec::new();
    let mut upstream: Vec<String> = Vec::new();
    for map in capture("ports-get", &[name]).lines().map(str::trim) {
        if map.is_empty() {
            continue;
        }
        if map.split(':').next() == Some("https") && !ssl {
            if warn {
                log::warn(&format!("Ignoring detected https port mapping without an accompanying ssl certificate ({map})"));
            }
            continue;
        }
        maps.push(map.to_string());
        let target = map.split(':').nth(2).unwrap_or("").to_string();
        if !upstream.contains(&target) {
            upstream.push(target);
        }
    }
    (words(&maps.join(" ")), words(&upstream.join(" ")))
}

/// Whether this dokku tests and reloads nginx on its own: with a `nginx-service-command`,
/// or on a real install that has nginx. A temporary install (tests, benchmarks) has no nginx
/// reading its configs, so the host's nginx is left alone.
pub fn drives_nginx(name: &str) -> bool {
    if !props::computed(name, "nginx-service-command").is_empty() {
        return true;
    }
    env::system_install() && service::location().is_ok()
}

/// `validate_nginx && restart_nginx >/dev/null`.
fn validate_and_reload(name: &str) -> Result<()> {
    if !drives_nginx(name) {
        return Ok(());
    }
    service::validate("", "")?;
    service::with_stdout_discarded(|| service::restart_for(name))
}

/// The release image must exist for a deployed app (unless a static listener stands in).
fn verify_image(name: &str) -> Result<()> {
    if !capture("network-get-static-listeners", &[name, "web"]).is_empty() {
        return Ok(());
    }
    let tag = match capture("deployed-app-image-tag", &[name]) {
        t if t.is_empty() => "latest".to_string(),
        t => t,
    };
    let repository = capture("deployed-app-repository", &[name]);
    let repo = match capture("deployed-app-image-repo", &[name]) {
        r if r.is_empty() => format!("dokku/{name}"),
        r => r,
    };
    if docker::image_exists(&format!("{repository}{repo}:{tag}")) {
        Ok(())
    } else {
        Err(log::fail("Missing image for app"))
    }
}

/// `get_custom_nginx_template`: the app's `nginx.conf.sigil` from this deploy (or the last
/// one), unless `disable-custom-config` is set or this deploy found none.
fn app_template(name: &str) -> Result<Option<PathBuf>> {
    if props::computed(name, "disable-custom-config") == "true" {
        return Ok(None);
    }
    let dir = app_data_dir(name)?;
    let pid = env::dokku_pid();
    if dir.join(format!("nginx.conf.sigil.{pid}.missing")).is_file() {
        return Ok(None);
    }
    for candidate in [
        dir.join(format!("nginx.conf.sigil.{pid}")),
        dir.join("nginx.conf.sigil"),
    ] {
        if candidate.is_file() {
            return Ok(Some(candidate));
        }
    }
    Ok(None)
}

/// `grep PATTERN TEMPLATE`: the matching lines go to stdout, as upstream's grep prints them.
fn grep_lines(source: &str, matches: impl Fn(&str) -> bool) -> bool {
    let mut found = false;
    for line in source.lines().filter(|l| matches(l)) {
        log::write_stdout(&format!("{line}\n"));
        found = true;
    }
    found
}

/// `listen …[[:space:]]http2[;[:space:]]`.
fn listens_with_http2(line: &str) -> bool {
    let Some(pos) = line.find("listen") else {
        return false;
    };
    let rest = &line[pos + "listen".len()..];
    if !rest.starts_with(|c: char| c.is_whitespace()) {
        return false;
    }
    rest.match_indices("http2").any(|(i, _)| {
        let before = rest[..i].chars().last();
        let after = rest[i + 5..].chars().next();
        i > 1
            && before.is_some_and(char::is_whitespace)
            && after.is_some_and(|c| c == ';' || c.is_whitespace())
    })
}

fn deprecation_warnings(template: &Path, builtin: bool) {
    let source = std::fs::read_to_string(template).unwrap_or_default();
    if grep_lines(&source, |l| l.contains("DOKKU_APP_LISTENERS")) {
        log::warn("Deprecated: Usage of DOKKU_APP_LISTENERS within nginx.conf.sigil templates is deprecated in favor of DOKKU_APP_WEB_LISTENERS");
    }
    if grep_lines(&source, |l| l.contains("NGINX_SSL_PORT")) {
        log::warn("Deprecated: Usage of NGINX_SSL_PORT within nginx.conf.sigil templates is deprecated in favor of PROXY_SSL_PORT");
    }
    if grep_lines(&source, |l| l.contains("NGINX_PORT")) {
        log::warn("Deprecated: Usage of NGINX_PORT within nginx.conf.sigil templates is deprecated in favor of PROXY_PORT");
    }
    if !builtin && grep_lines(&source, listens_with_http2) {
        log::warn("Deprecated: Usage of 'listen ... http2' within nginx.conf.sigil templates is deprecated since nginx 1.25.1 in favor of the standalone 'http2 on;' directive");
    }
}

/// `fn-nginx-vhosts-manage-hsts`: `nginx.conf.d/hsts.conf` when SSL is in use and `hsts` is
/// not `false`, removed otherwise.
fn manage_hsts(name: &str, ssl_inuse: bool) -> Result<()> {
    let conf_d = Paths::from_env().app_root(name).join("nginx.conf.d");
    let target = conf_d.join("hsts.conf");
    let custom = plugin_template(name, "hsts-config");
    let (template, source) = if custom.is_empty() {
        (plugin_dir().join("templates/hsts.conf.sigil"), "built-in")
    } else {
        (PathBuf::from(&custom), "plugin-supplied")
    };
    if props::computed(name, "hsts") == "false" || !ssl_inuse {
        dfs::remove_all(&target)?;
        return Ok(());
    }
    log::verbose_quiet(&format!("Enabling HSTS (using {source} template)"));
    let max_age = props::computed(name, "hsts-max-age");
    let mut headers = if max_age.is_empty() {
        String::new()
    } else {
        format!("max-age={max_age}")
    };
    if props::computed(name, "hsts-include-subdomains") == "true" {
        headers.push_str("; includeSubdomains");
    }
    if props::computed(name, "hsts-preload") == "true" {
        headers.push_str("; preload");
    }
    dfs::ensure_dir(&conf_d, 0o755)?;
    let text = render_file(&template, &[("HSTS_HEADERS".to_string(), headers)])?;
    dfs::write_atomic(&target, text.as_bytes(), 0o644)?;
    Ok(())
}

/// `nginx_build_config <app> [<port> <ip>]`.
pub fn build_config(name: &str, passed: Passed) -> Result<()> {
    app::check_name(name)?;
    let paths = Paths::from_env();
    let conf = paths.app_root(name).join("nginx.conf");
    let mut template = plugin_dir().join("templates/nginx.conf.sigil");
    let mut source = "built-in";
    let custom = plugin_template(name, "app-config");
    if !custom.is_empty() {
        template = PathBuf::from(custom);
        source = "plugin-supplied";
    }
    let vhost_enabled = trigger::Trigger::new("domains-vhost-enabled")
        .arg(name)
        .output()
        .map(|o| o.status == 0)
        .unwrap_or(false);
    let ssl = capture("certs-exists", &[name]) == "true";

    if capture("proxy-is-enabled", &[name]) != "true" {
        log::info1(&format!("Nginx support is disabled for app ({name})"));
        if conf.is_file() {
            log::info1("Deleting nginx.conf");
            dfs::remove_file(&conf)?;
            if scheduler::is_deployed(name) {
                log::info1("Reloading nginx after nginx.conf deletion");
                validate_and_reload(name)?;
            }
        }
        return Ok(());
    }

    // Upstream's package always brings nginx. Without it the config is written all the same
    // (as for an nginx without http2 directive or push support), so the result does not
    // depend on the host; nothing is tested or reloaded then.
    let nginx = service::location().ok();

    let mut listeners = String::new();
    let mut passed_listen = false;
    if passed.port.is_empty() && passed.ip.is_empty() {
        listeners = words(&capture("network-get-listeners", &[name, "web"]));
    } else if !passed.port.is_empty() && !passed.ip.is_empty() {
        passed_listen = true;
    }
    trigger::call_ok("ports-configure", &[name])?;
    let (port_map, _) = port_maps(name, ssl, true);

    let nonssl_vhosts = capture("domains-list", &[name]);
    let mut ssl_vhost_text = String::new();
    if ssl {
        let names = ssl_hostnames(name);
        validate_ssl_domains(name, &names, &nonssl_vhosts);
        ssl_vhost_text = ssl_vhosts(name, vhost_enabled, &names);
    }

    if listeners.is_empty() && !passed_listen {
        log::warn_quiet(&format!("No web listeners specified for {name}"));
    }
    let deployed = !listeners.is_empty() && scheduler::is_deployed(name);
    let placeholder = listeners.is_empty() && !passed_listen && !port_map.is_empty();
    if !deployed && !placeholder {
        return Ok(());
    }
    if deployed {
        verify_image(name)?;
        if let Some(own) = app_template(name)? {
            log::info1("Overriding default nginx.conf with detected nginx.conf.sigil");
            template = own;
            source = "app-supplied";
        }
        deprecation_warnings(&template, source == "built-in");
    }

    for domain in announced_domains(&ssl_vhost_text, &nonssl_vhosts) {
        log::log(&format!(
            "-----> Configuring {domain}...(using {source} template)"
        ));
    }

    // The render recomputes what the template sees, as upstream's render function does.
    let (port_map, upstream_ports) = port_maps(name, ssl, false);
    let nossl_server_name = words(&nonssl_vhosts);
    let mut ssl_server_name = String::new();
    if ssl {
        for host in word_list(&ssl_vhost_text) {
            if !nossl_server_name.split(' ').any(|h| h == host) {
                ssl_server_name = if ssl_server_name.is_empty() {
                    host.to_string()
                } else {
                    format!("{host} {ssl_server_name}")
                };
            }
        }
    }
    let inputs = Inputs {
        name: name.to_string(),
        passed: passed.clone(),
        listeners,
        passed_listen,
        ssl_inuse: ssl,
        nossl_server_name,
        ssl_server_name,
        port_map,
        upstream_ports,
    };
    let text = render_file(&template, &params(&inputs, nginx.as_deref(), deployed))?;

    log::info1(&format!(
        "Creating {} nginx.conf",
        if ssl { "https" } else { "http" }
    ));
    dfs::ensure_dir(&paths.app_root(name).join("nginx.conf.d"), 0o755)?;
    dfs::write_atomic(&conf, text.as_bytes(), 0o600)?;
    if deployed {
        manage_hsts(name, ssl)?;
    }
    trigger::call_ok("nginx-pre-reload", &[name, &passed.port, &passed.ip])?;
    log::verbose("Reloading nginx");
    validate_and_reload(name)
}

/// `proxy-build-config <app>`: refresh the network files of a deployed app first, and keep
/// the app's template from this deploy for later rebuilds.
pub fn proxy_build_config(name: &str) -> Result<()> {
    if capture("proxy-type", &[name]) != "nginx" {
        return Ok(());
    }
    if capture("network-config-exists", &[name]) != "true" {
        return build_config(name, Passed::default());
    }
    trigger::call_ok("network-build-config", &[name])?;
    build_config(name, Passed::default())?;
    let dir = app_data_dir(name)?;
    let pid = env::dokku_pid();
    let fresh = dir.join(format!("nginx.conf.sigil.{pid}"));
    if fresh.is_file() {
        std::fs::rename(&fresh, dir.join("nginx.conf.sigil"))?;
    }
    let missing = dir.join(format!("nginx.conf.sigil.{pid}.missing"));
    if missing.is_file() {
        dfs::remove_file(&missing)?;
        dfs::remove_all(&dir.join("nginx.conf.sigil"))?;
    }
    Ok(())
}

/// Whether nginx is stopped on purpose (`nginx:stop`).
pub fn proxy_stopped() -> bool {
    props::store().get(PLUGIN, dokku_common::property::GLOBAL, "proxy-status") == "stopped"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions() {
        assert!(!http2_directive_supported("1.22.1"));
        assert!(http2_directive_supported("1.25.1"));
        assert!(!http2_directive_supported("1.25.0"));
        assert!(http2_directive_supported("1.26.0"));
        assert!(http2_push_supported("1.22.1"));
        assert!(!http2_push_supported("1.25.3"));
        assert!(!http2_push_supported("1.13.8"));
        assert!(http2_push_supported("1.13.9"));
        assert!(!http2_push_supported("nginx:"));
    }

    #[test]
    fn cert_names() {
        let names = vec!["*.example.com".to_string(), "example.org".to_string()];
        assert!(matches_cert_name("www.example.com", &names));
        assert!(!matches_cert_name("a.b.example.com", &names));
        assert!(matches_cert_name("example.org", &names));
        // The quirk of upstream's unparenthesised alternation: only the last name is
        // anchored at the end.
        assert!(matches_cert_name("www.example.com.evil", &names));
        assert!(!matches_cert_name("example.org.uk", &names));
        assert!(matches_cert_name("app.example.org", &names));
        assert!(matches_cert_name("", &[]));
        assert!(!matches_cert_name("exampleXorg", &names));
    }

    #[test]
    fn list_splitting() {
        // Only spaces, tabs and newlines separate words; a CRLF file's CR stays.
        assert_eq!(words("a.com\r\nb.com\t c.com\n\n"), "a.com\r b.com c.com");
        assert_eq!(
            grep_lines_of("a\r\n\nb").collect::<Vec<_>>(),
            ["a\r", "", "b"]
        );
        assert_eq!(grep_lines_of("a\n").collect::<Vec<_>>(), ["a"]);
        assert_eq!(grep_lines_of("").count(), 0);
        assert_eq!(
            announced_domains("", "web.me\na.com\r\nB.com\n\n\tc.com\na.com\r"),
            // sorted before xargs strips the tab, as upstream's pipeline does
            ["c.com", "B.com", "a.com\r", "web.me"]
        );
        assert_eq!(
            announced_domains("x.com y.com", "y.com"),
            ["x.com", "y.com"]
        );
        assert!(announced_domains("", "").is_empty());
    }

    #[test]
    fn http2_listen() {
        assert!(listens_with_http2("  listen 443 ssl http2;"));
        assert!(!listens_with_http2("  listen 443 ssl;"));
        assert!(!listens_with_http2("  http2 on;"));
    }
}
