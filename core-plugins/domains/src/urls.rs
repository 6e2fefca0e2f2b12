//! The `domains-urls <app> url|urls` trigger behind `dokku url` / `dokku urls`: the
//! `app-urls` trigger's answer when some plugin gives one, else URLs built from the app's
//! domains (or the global ones, or the host name) and its port mappings.

use dokku_common::args::nth;
use dokku_common::{log, Error, Result};

use crate::domains::capture;
use crate::vhost::Scope;

/// `fn-domains-generate-url`.
fn url(scheme: &str, vhost: &str, port: &str) -> String {
    match port {
        "80" => format!("http://{vhost}"),
        "443" if scheme == "https" => format!("https://{vhost}"),
        _ => format!("{scheme}://{vhost}:{port}"),
    }
}

/// The per-app facts upstream re-reads for every domain; they cannot change in between.
struct Listeners {
    /// `(scheme, port)` pairs to build a URL from, per domain.
    ports: Vec<(String, String)>,
}

impl Listeners {
    fn load(app: &str, scheme: &str, port: &str) -> Listeners {
        let port_map = capture("ports-get", &[app]);
        let ports = if capture("proxy-is-enabled", &[app]) == "false" {
            // `cut -d: -f2`: the field after the first colon, the whole word without one.
            capture("network-get-listeners", &[app, "web"])
                .split_whitespace()
                .map(|l| {
                    let p = l.split(':').nth(1).unwrap_or(l);
                    (scheme.to_string(), p.to_string())
                })
                .collect()
        } else if !port_map.is_empty() {
            let certs = capture("certs-exists", &[app]) == "true";
            port_map
                .split('\n')
                .filter_map(|line| {
                    let mut fields = line.split(':');
                    let scheme = fields.next().unwrap_or("").to_string();
                    let port = fields.next().unwrap_or("").to_string();
                    (certs || scheme != "https").then_some((scheme, port))
                })
                .collect()
        } else {
            vec![(scheme.to_string(), port.to_string())]
        };
        Listeners { ports }
    }

    fn urls_for(&self, vhost: &str, out: &mut Vec<String>) {
        for (scheme, port) in &self.ports {
            out.push(url(scheme, vhost, port));
        }
    }
}

/// `hostname -f`, run directly (no shell); empty when it fails.
fn host_fqdn() -> String {
    dokku_common::text::command_substitution(
        std::process::Command::new("hostname")
            .arg("-f")
            .stdin(std::process::Stdio::null())
            .stderr(std::process::Stdio::inherit()),
    )
}

/// `fn-domains-generate-urls`: one URL per (domain, listener).
fn generate(app: &str, scheme: &str, port: &str) -> Vec<String> {
    let listeners = Listeners::load(app, scheme, port);
    let mut urls = Vec::new();
    let app_vhosts = capture("domains-list", &[app]);
    if !app_vhosts.is_empty() {
        for vhost in app_vhosts.split_whitespace() {
            listeners.urls_for(vhost, &mut urls);
        }
        return urls;
    }
    let global = Scope::Global.content();
    if !global.is_empty() {
        // `while read -r VHOST || [[ -n $VHOST ]]`: every line, trimmed, blank ones too.
        let body = global.strip_suffix('\n').unwrap_or(&global);
        for line in body.split('\n') {
            listeners.urls_for(line.trim_matches([' ', '\t']), &mut urls);
        }
    } else {
        listeners.urls_for(&host_fqdn(), &mut urls);
    }
    urls
}

/// The trigger: `url` prints the first URL with the default scheme (failing when there is
/// none, as upstream's `grep` does), `urls` prints them all, sorted bytewise.
pub fn trigger(args: &[String]) -> Result<()> {
    let app = nth(args, 0);
    let url_type = nth(args, 1);
    let (scheme, port) = if capture("certs-exists", &[app]) == "true" {
        ("https", "443")
    } else {
        ("http", "80")
    };
    let from_plugins = capture("app-urls", &[app, url_type]);
    let mut words: Vec<String> = if from_plugins.is_empty() {
        generate(app, scheme, port)
            .iter()
            .flat_map(|u| u.split(' ').map(str::to_string).collect::<Vec<_>>())
            .collect()
    } else {
        from_plugins
            .split(['\n', ' '])
            .map(str::to_string)
            .collect()
    };
    if url_type == "url" {
        let wanted = format!("{scheme}://");
        return match words.iter().find(|w| w.contains(&wanted)) {
            Some(first) => {
                log::log(first);
                Ok(())
            }
            None => Err(Error::silent(1)),
        };
    }
    words.sort();
    if from_plugins.is_empty() {
        words.dedup();
    }
    let mut out = String::new();
    for w in &words {
        out.push_str(w);
        out.push('\n');
    }
    log::write_stdout(&out);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::url;

    #[test]
    fn url_forms() {
        assert_eq!(url("https", "a.com", "80"), "http://a.com");
        assert_eq!(url("https", "a.com", "443"), "https://a.com");
        assert_eq!(url("http", "a.com", "443"), "http://a.com:443");
        assert_eq!(url("udp", "a.com", "53"), "udp://a.com:53");
        assert_eq!(url("http", "a.com", ""), "http://a.com:");
    }
}
