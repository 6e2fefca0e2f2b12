//! The triggers upstream's domains plugin implements, with their argument conventions.

use dokku_common::args::nth;
use dokku_common::trigger;
use dokku_common::{app, log, Error, Paths, Result};

use crate::domains;
use crate::hostname;
use crate::vhost::Scope;

/// `domains-add <app> <domain>`: add one domain (certs uses it).
pub fn domains_add(args: &[String]) -> Result<()> {
    let name = nth(args, 0);
    domains::add(name, &[nth(args, 1).to_string()])
}

/// `domains-enable <app> <restart>`: restart the app only when `restart` is `true`.
pub fn domains_enable(args: &[String]) -> Result<()> {
    domains::enable(nth(args, 0), nth(args, 1) == "true", false)
}

/// `domains-disable <app> <restart>`: unlike `domains:disable`, no "already disabled" check.
pub fn domains_disable(args: &[String]) -> Result<()> {
    domains::disable_vhost(nth(args, 0), nth(args, 1) == "true")
}

/// `domains-list <app>`: the app's domains, one per line, when vhost support is on.
pub fn domains_list(args: &[String]) -> Result<()> {
    let bytes = domains::app_domains(nth(args, 0))?;
    write_bytes(&bytes);
    Ok(())
}

pub fn write_bytes(bytes: &[u8]) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(bytes);
    let _ = out.flush();
}

/// `domains-vhost-enabled <app>`: the answer is the exit status (1 when disabled).
pub fn domains_vhost_enabled(args: &[String]) -> Result<()> {
    if domains::app_vhost_enabled(nth(args, 0)) {
        Ok(())
    } else {
        Err(Error::silent(1))
    }
}

/// `post-create <app>`: give the new app its default domains.
pub fn post_create(args: &[String]) -> Result<()> {
    let name = nth(args, 0);
    if !domains::app_vhost_enabled(name) {
        log::info1("App virtual host support disabled, skipping domain setup");
        return Ok(());
    }
    domains::setup(name)
}

/// `post-app-clone-setup <old> <new>`: the clone starts from the defaults, not from the
/// original's domains.
pub fn post_app_clone_setup(args: &[String]) -> Result<()> {
    let new = nth(args, 1);
    Scope::app(new)?.remove()?;
    // Upstream runs the setup with DOKKU_QUIET_OUTPUT=1, which the hooks it fires inherit.
    std::env::set_var("DOKKU_QUIET_OUTPUT", "1");
    domains::setup(new)
}

/// `post-app-rename-setup <old> <new>`: copy the domains, renaming those derived from a
/// global domain (`<old>.<global>` becomes `<new>.<global>`, anywhere in a line).
pub fn post_app_rename_setup(args: &[String]) -> Result<()> {
    let (old, new) = (nth(args, 0), nth(args, 1));
    let Some(lines) = Scope::app(old)?.read()? else {
        return Ok(());
    };
    let mut content = lines.to_bytes();
    if Scope::Global.is_file() {
        for vhost in domains::global_lines_read() {
            if vhost.is_empty() {
                continue;
            }
            let from = format!("{old}.{vhost}");
            let to = format!("{new}.{vhost}");
            content = replace_all(&content, from.as_bytes(), to.as_bytes());
        }
    }
    let target = Scope::app(new)?;
    target.update(|l| {
        *l = crate::vhost::Lines::parse(&content);
        (true, ())
    })
}

/// Replace every non-overlapping occurrence, left to right (sed's `s/…/…/g`).
fn replace_all(haystack: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    if from.is_empty() {
        return haystack.to_vec();
    }
    let mut out = Vec::with_capacity(haystack.len());
    let mut i = 0;
    while i < haystack.len() {
        if haystack[i..].starts_with(from) {
            out.extend_from_slice(to);
            i += from.len();
        } else {
            out.push(haystack[i]);
            i += 1;
        }
    }
    out
}

/// `install`: every app without a VHOST file gets its defaults (or vhost support off), and
/// the URLS files of old Dokku versions go.
pub fn install(_args: &[String]) -> Result<()> {
    let apps = app::unfiltered_apps().unwrap_or_default();
    // Directories in $DOKKU_ROOT that cannot be apps (`lost+found`, …) are left alone.
    for name in apps.into_iter().filter(|n| app::check_name(n).is_ok()) {
        domains::setup(&name)?;
        let urls = Paths::from_env().app_root(&name).join("URLS");
        dokku_common::fs::remove_file(&urls)?;
    }
    Ok(())
}

/// `core-post-deploy <app> …`: with the nginx proxy and nginx's default site still
/// enabled, a domain that is an IP address would be served by that default site, so warn.
/// Upstream calls `get_app_domains` without an app here, which reads `$DOKKU_ROOT/VHOST`;
/// the same file is checked.
pub fn core_post_deploy(args: &[String]) -> Result<()> {
    let name = nth(args, 0);
    if trigger::capture_lenient("proxy-type", &[name]) != "nginx" {
        return Ok(());
    }
    if !std::path::Path::new("/etc/nginx/sites-enabled/default").is_file() {
        return Ok(());
    }
    for domain in domains::global_lines_read() {
        let kind = if hostname::is_ipv4(&domain) {
            "IPv4"
        } else if hostname::is_ipv6(&domain) {
            "IPv6"
        } else {
            continue;
        };
        log::warn(&format!(
            "Detected {kind} domain name with nginx proxy enabled."
        ));
        log::warn("Ensure the default nginx site is removed before continuing.");
        break;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::replace_all;

    #[test]
    fn replacing() {
        assert_eq!(
            replace_all(
                b"web.a.com\nx.web.a.com\nother.com\n",
                b"web.a.com",
                b"new.a.com"
            ),
            b"new.a.com\nx.new.a.com\nother.com\n"
        );
        assert_eq!(replace_all(b"aaa", b"aa", b"b"), b"ba");
        assert_eq!(replace_all(b"abc", b"", b"x"), b"abc");
    }
}
