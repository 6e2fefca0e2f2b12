//! `certs-fn <verb> …`: the binary side of the bash `functions` library other plugins source.

use dokku_common::args::nth;
use dokku_common::{app, Error, Result};

use crate::certinfo::CertInfo;
use crate::report::indented_san;
use crate::tls;

pub fn run(args: &[String]) -> Result<()> {
    match nth(args, 0) {
        "hostnames" => {
            tls::write_bytes(get_ssl_hostnames(nth(args, 1)).as_bytes());
            Ok(())
        }
        verb => Err(Error::new(format!("Invalid certs-fn call: {verb}"))),
    }
}

/// `sed -n 's/.*CN=\([^,]*\).*/\1/p'` on the RFC 2253 subject: the text after the last
/// `CN=`, up to a comma.
fn sed_common_name(subject: &str) -> String {
    match subject.rfind("CN=") {
        Some(pos) => subject[pos + 3..]
            .split(',')
            .next()
            .unwrap_or("")
            .to_string(),
        None => String::new(),
    }
}

/// `s/[[:space:]]*DNS://g`.
fn sed_strip_dns(line: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(pos) = rest.find("DNS:") {
        out.push_str(rest[..pos].trim_end_matches([' ', '\t', '\n', '\u{b}', '\u{c}', '\r']));
        rest = &rest[pos + 4..];
    }
    out.push_str(rest);
    out
}

/// bash's `echo -e` escape processing (and the newline it adds, unless `\c` stops it).
fn echo_e(s: &str) -> Vec<u8> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let hex_digits = |from: usize, max: usize| {
        let mut j = from;
        let mut v: u32 = 0;
        while j < b.len() && j - from < max && b[j].is_ascii_hexdigit() {
            v = v * 16 + (b[j] as char).to_digit(16).unwrap_or(0);
            j += 1;
        }
        (v, j)
    };
    while i < b.len() {
        if b[i] != b'\\' || i + 1 >= b.len() {
            out.push(b[i]);
            i += 1;
            continue;
        }
        let c = b[i + 1];
        i += 2;
        match c {
            b'a' => out.push(7),
            b'b' => out.push(8),
            b'c' => return out,
            b'e' | b'E' => out.push(27),
            b'f' => out.push(12),
            b'n' => out.push(b'\n'),
            b'r' => out.push(b'\r'),
            b't' => out.push(b'\t'),
            b'v' => out.push(11),
            b'\\' => out.push(b'\\'),
            b'0' => {
                let mut v: u32 = 0;
                let mut n = 0;
                while i < b.len() && n < 3 && (b'0'..=b'7').contains(&b[i]) {
                    v = v * 8 + (b[i] - b'0') as u32;
                    i += 1;
                    n += 1;
                }
                out.push(v as u8);
            }
            b'x' => {
                let (v, j) = hex_digits(i, 2);
                if j == i {
                    out.extend_from_slice(b"\\x");
                } else {
                    out.push(v as u8);
                    i = j;
                }
            }
            b'u' | b'U' => {
                let (v, j) = hex_digits(i, if c == b'u' { 4 } else { 8 });
                if j == i {
                    out.push(b'\\');
                    out.push(c);
                } else {
                    let ch = char::from_u32(v).unwrap_or('\u{fffd}');
                    let mut buf = [0u8; 4];
                    out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
                    i = j;
                }
            }
            other => {
                out.push(b'\\');
                out.push(other);
            }
        }
    }
    out.push(b'\n');
    out
}

/// Upstream's bash `get_ssl_hostnames`: the certificate's CN and the names of its last
/// Subject Alternative Name line, one per line, through `sort -u`.
pub fn get_ssl_hostnames(name: &str) -> String {
    let info = if app::check_name(name).is_ok() {
        std::fs::read(tls::tls_dir(name).join("server.crt"))
            .ok()
            .and_then(|d| CertInfo::from_pem(&d))
    } else {
        None
    };
    let (cn, alt) = match &info {
        Some(i) => (
            sed_common_name(&format!("subject={}", i.subject_rfc2253)),
            i.san_lines
                .last()
                .map(|l| {
                    sed_strip_dns(&indented_san(l))
                        .replace(',', "\n")
                        .trim_end_matches('\n')
                        .to_string()
                })
                .unwrap_or_default(),
        ),
        None => (String::new(), String::new()),
    };
    let joined = if alt.is_empty() {
        cn
    } else {
        format!("{cn}\\n{alt}")
    };
    let echoed = echo_e(&joined);
    let text = String::from_utf8_lossy(&echoed).into_owned();
    let body = text.strip_suffix('\n').unwrap_or(&text);
    let mut lines: Vec<&str> = body.split('\n').collect();
    lines.sort_by(|a, b| a.as_bytes().cmp(b.as_bytes()));
    lines.dedup();
    lines.iter().map(|l| format!("{l}\n")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sed_like() {
        assert_eq!(sed_common_name("subject=CN=a.com,O=x"), "a.com");
        assert_eq!(sed_common_name("subject=CN=a,OU=xCN=b"), "b");
        assert_eq!(sed_common_name("subject=O=x"), "");
        assert_eq!(
            sed_strip_dns("                DNS:a.com, DNS:b.com, IP Address:1.2.3.4"),
            "a.com,b.com, IP Address:1.2.3.4"
        );
    }

    #[test]
    fn echo_escapes() {
        assert_eq!(echo_e("a\\nb"), b"a\nb\n");
        assert_eq!(echo_e("a\\cb"), b"a");
        assert_eq!(echo_e("\\x41\\0101\\u00e9\\q"), "AA\u{e9}\\q\n".as_bytes());
        assert_eq!(echo_e(""), b"\n");
    }
}
