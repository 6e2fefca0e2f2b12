//! The `ssl` report (`certs:report` and the `report` trigger). Upstream fills it from
//! `openssl x509` output; the same strings are produced here from the parsed certificate
//! (see [`crate::certinfo`]). Only "verified" still asks `openssl verify`, since it depends
//! on the host's trust store.

use std::process::{Command, Stdio};

use dokku_common::property::GLOBAL;
use dokku_common::report::{Flag, Options, Reporter};
use dokku_common::Result;

use crate::certinfo::CertInfo;
use crate::tls;

pub struct SslReport;

/// The installed certificate, when SSL is enabled and it parses.
fn info(app: &str) -> Option<CertInfo> {
    if !tls::is_ssl_enabled(app) {
        return None;
    }
    let data = std::fs::read(tls::tls_dir(app).join("server.crt")).ok()?;
    CertInfo::from_pem(&data)
}

/// `[[:space:]]*DNS:` removed everywhere, as upstream's regular expression does.
fn strip_dns_prefixes(line: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(pos) = rest.find("DNS:") {
        let before =
            rest[..pos].trim_end_matches(|c: char| c.is_ascii_whitespace() || c == '\u{b}');
        out.push_str(before);
        rest = &rest[pos + 4..];
    }
    out.push_str(rest);
    out
}

/// The SAN line as `openssl x509 -text` indents it.
pub fn indented_san(line: &str) -> String {
    format!("                {line}")
}

/// Upstream's `subjectCommonName`: the first `CN` among the `,`/`/`-separated parts.
fn subject_common_name(subject: &str) -> String {
    let subject = subject.trim();
    let subject = subject.strip_prefix("subject=").unwrap_or(subject);
    for rdn in subject.split([',', '/']).filter(|s| !s.is_empty()) {
        if let Some((key, value)) = rdn.split_once('=') {
            if key.trim() == "CN" {
                return value.trim().to_string();
            }
        }
    }
    String::new()
}

/// The CN and every SAN entry (with `DNS:` dropped), sorted bytewise and de-duplicated.
pub fn hostnames(info: &CertInfo) -> Vec<String> {
    let mut names = std::collections::BTreeSet::new();
    let cn = subject_common_name(&info.subject_rfc2253);
    if !cn.is_empty() {
        names.insert(cn);
    }
    for line in &info.san_lines {
        for name in strip_dns_prefixes(&indented_san(line)).split(',') {
            let name = name.trim();
            if !name.is_empty() {
                names.insert(name.to_string());
            }
        }
    }
    names.into_iter().collect()
}

/// Go's `strings.TrimSpace` on the compat subject, then `/` separators as `; `.
fn format_subject(compat: &str) -> String {
    let s = compat.trim();
    let s = s.strip_prefix('/').unwrap_or(s);
    s.replace('/', "; ")
}

/// `openssl verify -verbose -purpose sslserver`, against the letsencrypt chain when there
/// is one; the last line of its output must end in `: OK`.
fn verified(app: &str) -> String {
    let dir = tls::tls_dir(app);
    let crt = dir.join("server.crt");
    let le = dir.join("server.letsencrypt.crt");
    let mut cmd = Command::new("openssl");
    cmd.args(["verify", "-verbose", "-purpose", "sslserver"]);
    if le.exists() {
        cmd.arg("-CAfile").arg(&crt).arg(&le);
    } else {
        cmd.arg(&crt);
    }
    let stdout = cmd
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default();
    let trimmed = stdout.trim_end_matches('\n');
    let result = if trimmed.is_empty() {
        ""
    } else {
        let last = trimmed.rsplit('\n').next().unwrap_or("");
        last.split(':').nth(1).map(str::trim).unwrap_or("")
    };
    if result == "OK" {
        "verified by a certificate authority".to_string()
    } else {
        "self signed".to_string()
    }
}

fn when_enabled(app: &str, f: impl Fn(&CertInfo) -> String) -> String {
    info(app).map(|i| f(&i)).unwrap_or_default()
}

impl Reporter for SslReport {
    fn report_type(&self) -> &str {
        "ssl"
    }

    fn options(&self) -> Options {
        Options {
            trim_prefix: true,
            emit_legacy_prefix: false,
            uppercase_first: true,
        }
    }

    fn flags(&self, app: &str) -> Result<Vec<Flag<'_>>> {
        if app == GLOBAL {
            return Ok(Vec::new());
        }
        Ok(vec![
            Flag::new("--ssl-dir", |app| tls::tls_dir(app).display().to_string()),
            Flag::new("--ssl-enabled", |app| tls::is_ssl_enabled(app).to_string()),
            Flag::new("--ssl-hostnames", |app| {
                when_enabled(app, |i| hostnames(i).join(" "))
            }),
            Flag::new("--ssl-expires-at", |app| {
                when_enabled(app, |i| i.not_after.clone())
            }),
            Flag::new("--ssl-issuer", |app| {
                when_enabled(app, |i| i.issuer_oneline.clone())
            }),
            Flag::new("--ssl-starts-at", |app| {
                when_enabled(app, |i| i.not_before.clone())
            }),
            Flag::new("--ssl-subject", |app| {
                when_enabled(app, |i| format_subject(&i.subject_compat))
            }),
            Flag::new("--ssl-verified", |app| {
                if tls::is_ssl_enabled(app) {
                    verified(app)
                } else {
                    String::new()
                }
            }),
        ])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_name() {
        assert_eq!(subject_common_name("subject=CN=a.com,O=x"), "a.com");
        assert_eq!(subject_common_name("CN = a.com, O = x"), "a.com");
        assert_eq!(subject_common_name("/C=US/CN=b.com"), "b.com");
        assert_eq!(subject_common_name("O=x"), "");
        assert_eq!(subject_common_name("DC=b+CN=c,O=x"), "");
    }

    #[test]
    fn dns_prefixes() {
        assert_eq!(
            strip_dns_prefixes("                DNS:a.com, DNS:b.com, IP Address:1.2.3.4"),
            "a.com,b.com, IP Address:1.2.3.4"
        );
        assert_eq!(strip_dns_prefixes("URI:http://DNS:x"), "URI:http://x");
    }

    #[test]
    fn subject_format() {
        assert_eq!(
            format_subject("/C=US/ST=California/CN=a.com "),
            "C=US; ST=California; CN=a.com"
        );
        assert_eq!(format_subject(""), "");
    }
}
