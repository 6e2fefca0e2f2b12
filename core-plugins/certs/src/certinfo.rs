//! What upstream's report reads from `openssl x509` output, computed from the certificate with
//! a real X.509 parser and rendered exactly as OpenSSL 3 prints it: the subject in the
//! `compat` and `RFC2253` name formats, the issuer in the default (`oneline`) format of
//! `-text`, the validity dates and the Subject Alternative Name line.

use x509_parser::der_parser::asn1_rs::{Any, Class};
use x509_parser::extensions::{GeneralName, ParsedExtension};
use x509_parser::prelude::{FromDer, X509Certificate};
use x509_parser::x509::X509Name;

use crate::pem;

/// The facts of one certificate, pre-rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertInfo {
    /// `openssl x509 -noout -subject -nameopt compat`, without `subject=`.
    pub subject_compat: String,
    /// `openssl x509 -noout -subject -nameopt RFC2253`, without `subject=`.
    pub subject_rfc2253: String,
    /// The value of the `Issuer:` line of `openssl x509 -text`.
    pub issuer_oneline: String,
    /// `Not Before:` / `Not After :` values (`Jan  2 03:04:05 2030 GMT`).
    pub not_before: String,
    pub not_after: String,
    /// The line following each `X509v3 Subject Alternative Name:` heading, unindented.
    pub san_lines: Vec<String>,
    /// The DER SubjectPublicKeyInfo's key bits, to match a private key against.
    pub public_key_bits: Vec<u8>,
}

impl CertInfo {
    /// The first certificate of a PEM file, as `openssl x509 -in FILE` reads it.
    pub fn from_pem(data: &[u8]) -> Option<CertInfo> {
        CertInfo::from_der(&pem::first_certificate(data)?)
    }

    pub fn from_der(der: &[u8]) -> Option<CertInfo> {
        let (_, cert) = X509Certificate::from_der(der).ok()?;
        Some(CertInfo {
            subject_compat: name_compat(cert.subject()),
            subject_rfc2253: name_ex(cert.subject(), NameFormat::Rfc2253),
            issuer_oneline: name_ex(cert.issuer(), NameFormat::Oneline),
            not_before: openssl_time(cert.validity().not_before.timestamp()),
            not_after: openssl_time(cert.validity().not_after.timestamp()),
            san_lines: san_lines(&cert),
            public_key_bits: cert.public_key().subject_public_key.data.to_vec(),
        })
    }
}

/// OpenSSL's short names of the attributes found in names (`OBJ_nid2sn`).
fn short_name(oid: &str) -> Option<&'static str> {
    Some(match oid {
        "2.5.4.3" => "CN",
        "2.5.4.4" => "SN",
        "2.5.4.5" => "serialNumber",
        "2.5.4.6" => "C",
        "2.5.4.7" => "L",
        "2.5.4.8" => "ST",
        "2.5.4.9" => "street",
        "2.5.4.10" => "O",
        "2.5.4.11" => "OU",
        "2.5.4.12" => "title",
        "2.5.4.13" => "description",
        "2.5.4.14" => "searchGuide",
        "2.5.4.15" => "businessCategory",
        "2.5.4.16" => "postalAddress",
        "2.5.4.17" => "postalCode",
        "2.5.4.18" => "postOfficeBox",
        "2.5.4.20" => "telephoneNumber",
        "2.5.4.41" => "name",
        "2.5.4.42" => "GN",
        "2.5.4.43" => "initials",
        "2.5.4.44" => "generationQualifier",
        "2.5.4.45" => "x500UniqueIdentifier",
        "2.5.4.46" => "dnQualifier",
        "2.5.4.65" => "pseudonym",
        "2.5.4.72" => "role",
        "2.5.4.97" => "organizationIdentifier",
        "1.2.840.113549.1.9.1" => "emailAddress",
        "1.2.840.113549.1.9.2" => "unstructuredName",
        "1.2.840.113549.1.9.8" => "unstructuredAddress",
        "0.9.2342.19200300.100.1.1" => "UID",
        "0.9.2342.19200300.100.1.25" => "DC",
        "1.3.6.1.4.1.311.60.2.1.1" => "jurisdictionL",
        "1.3.6.1.4.1.311.60.2.1.2" => "jurisdictionST",
        "1.3.6.1.4.1.311.60.2.1.3" => "jurisdictionC",
        _ => return None,
    })
}

/// One name entry, flattened with the index of the RDN (OpenSSL's "set") it belongs to.
struct Entry<'a> {
    set: usize,
    oid: String,
    value: &'a Any<'a>,
}

fn entries<'a>(name: &'a X509Name<'a>) -> Vec<Entry<'a>> {
    let mut out = Vec::new();
    for (set, rdn) in name.iter_rdn().enumerate() {
        for attr in rdn.iter() {
            out.push(Entry {
                set,
                oid: attr.attr_type().to_id_string(),
                value: attr.attr_value(),
            });
        }
    }
    out
}

/// The universal tag of a string value, or `None` for other classes.
fn universal_tag(value: &Any<'_>) -> Option<u32> {
    (value.class() == Class::Universal).then_some(value.tag().0)
}

/// `X509_NAME_oneline`: `/C=US/O=Org/CN=a+DC=b`, with `/` and `+` in values escaped by a
/// backslash and bytes outside printable ASCII as `\xHH`.
pub fn name_compat(name: &X509Name<'_>) -> String {
    let mut out = String::new();
    let mut prev_set = None;
    for e in entries(name) {
        out.push(if prev_set == Some(e.set) { '+' } else { '/' });
        prev_set = Some(e.set);
        out.push_str(short_name(&e.oid).unwrap_or(&e.oid));
        out.push('=');
        let data = e.value.data;
        // A GeneralString of 4-byte characters whose high bytes are all zero prints only the
        // low bytes.
        let keep: [bool; 4] = if universal_tag(e.value) == Some(27) && data.len() % 4 == 0 {
            let mut nonzero = [false; 4];
            for (j, b) in data.iter().enumerate() {
                if *b != 0 {
                    nonzero[j & 3] = true;
                }
            }
            if nonzero[0] || nonzero[1] || nonzero[2] {
                [true; 4]
            } else {
                [false, false, false, true]
            }
        } else {
            [true; 4]
        };
        for (j, &b) in data.iter().enumerate() {
            if !keep[j & 3] {
                continue;
            }
            if !(b' '..=b'~').contains(&b) {
                out.push_str(&format!("\\x{b:02X}"));
            } else if b == b'/' || b == b'+' {
                out.push('\\');
                out.push(b as char);
            } else {
                out.push(b as char);
            }
        }
    }
    out
}

/// The two `X509_NAME_print_ex` layouts upstream reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameFormat {
    /// `-nameopt oneline` (OpenSSL 3's default): `C = US, O = "a,b", CN = x + DC = y`.
    Oneline,
    /// `-nameopt RFC2253`: reversed, `CN=x,O=a\,b,C=US`, unknown attributes as `#hex`.
    Rfc2253,
}

// Character classes of OpenSSL's name escaping.
const ESC_2253: u8 = 1; // escaped with a backslash
const ESC_CTRL: u8 = 2; // escaped as \XX
const NOESC_QUOTE: u8 = 8; // no escaping needed inside double quotes
const FIRST_ESC: u8 = 0x20; // escaped when first
const LAST_ESC: u8 = 0x40; // escaped when last

fn char_class(c: u8) -> u8 {
    match c {
        0..=31 | 127 => ESC_CTRL,
        b' ' => FIRST_ESC | LAST_ESC | NOESC_QUOTE,
        b'#' => FIRST_ESC | NOESC_QUOTE,
        b',' | b'+' | b'<' | b'>' | b';' => ESC_2253 | NOESC_QUOTE,
        b'"' | b'\\' => ESC_2253,
        _ => 0,
    }
}

/// Characters of a string value, by its ASN.1 type; `None` dumps it as hex.
fn value_chars(value: &Any<'_>) -> Option<Vec<u32>> {
    let data = value.data;
    match universal_tag(value)? {
        // UTF8String: OpenSSL prints its bytes one by one (they are UTF-8 already).
        12 => Some(data.iter().map(|&b| b as u32).collect()),
        // Numeric, Printable, T61, IA5, UTCTime, GeneralizedTime, Visible: one byte each,
        // converted from Latin-1.
        18 | 19 | 20 | 22 | 23 | 24 | 26 => Some(data.iter().map(|&b| b as u32).collect()),
        28 if data.len() & 3 == 0 => Some(
            data.chunks(4)
                .map(|c| u32::from_be_bytes([c[0], c[1], c[2], c[3]]))
                .collect(),
        ),
        30 if data.len() & 1 == 0 => Some(
            data.chunks(2)
                .map(|c| u16::from_be_bytes([c[0], c[1]]) as u32)
                .collect(),
        ),
        _ => None,
    }
}

/// The DER encoding of a value (`#` dumps print the whole TLV).
fn der_of(value: &Any<'_>) -> Vec<u8> {
    let class_bits: u8 = match value.class() {
        Class::Universal => 0x00,
        Class::Application => 0x40,
        Class::ContextSpecific => 0x80,
        Class::Private => 0xc0,
    };
    let constructed = if value.header.is_constructed() {
        0x20
    } else {
        0
    };
    let mut out = Vec::new();
    let tag = value.tag().0;
    if tag < 31 {
        out.push(class_bits | constructed | tag as u8);
    } else {
        out.push(class_bits | constructed | 0x1f);
        let mut groups = Vec::new();
        let mut t = tag;
        loop {
            groups.push((t & 0x7f) as u8);
            t >>= 7;
            if t == 0 {
                break;
            }
        }
        for (i, g) in groups.iter().rev().enumerate() {
            out.push(if i + 1 < groups.len() { g | 0x80 } else { *g });
        }
    }
    let len = value.data.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes: Vec<u8> = len
            .to_be_bytes()
            .iter()
            .copied()
            .skip_while(|b| *b == 0)
            .collect();
        out.push(0x80 | bytes.len() as u8);
        out.extend(bytes);
    }
    out.extend_from_slice(value.data);
    out
}

fn hex_dump(value: &Any<'_>) -> String {
    let mut out = String::from("#");
    for b in der_of(value) {
        out.push_str(&format!("{b:02X}"));
    }
    out
}

/// One value as OpenSSL escapes it (`do_print_ex` with the RFC 2253 string flags).
fn print_value(value: &Any<'_>, quote_style: bool, dump: bool) -> String {
    if dump {
        return hex_dump(value);
    }
    let Some(chars) = value_chars(value) else {
        return hex_dump(value);
    };
    // UTF8String bytes are printed as they are; the other types are converted to UTF-8.
    let convert = universal_tag(value) != Some(12);
    let mut bytes_out: Vec<(u8, u8)> = Vec::new(); // (byte, extra class bits)
    let mut escapes: Vec<String> = Vec::new();
    let n = chars.len();
    for (i, &c) in chars.iter().enumerate() {
        let mut extra = 0;
        if i == 0 {
            extra |= FIRST_ESC;
        }
        if i + 1 == n {
            extra = LAST_ESC;
        }
        if convert {
            let ch = char::from_u32(c).unwrap_or('\u{fffd}');
            let mut buf = [0u8; 4];
            for &b in ch.encode_utf8(&mut buf).as_bytes() {
                bytes_out.push((b, extra));
                escapes.push(String::new());
            }
        } else if c > 0xffff {
            bytes_out.push((0, 0));
            escapes.push(format!("\\W{c:08X}"));
        } else if c > 0xff {
            bytes_out.push((0, 0));
            escapes.push(format!("\\U{c:04X}"));
        } else {
            bytes_out.push((c as u8, extra));
            escapes.push(String::new());
        }
    }
    let mut quotes = false;
    let mut body = String::new();
    for ((b, extra), esc) in bytes_out.iter().zip(&escapes) {
        if !esc.is_empty() {
            body.push_str(esc);
            continue;
        }
        let class = if *b > 0x7f { 0 } else { char_class(*b) };
        let backslash_class = class & (ESC_2253 | (extra & class & (FIRST_ESC | LAST_ESC)));
        if backslash_class != 0 {
            if quote_style && class & NOESC_QUOTE != 0 {
                quotes = true;
                body.push(*b as char);
            } else {
                body.push('\\');
                body.push(*b as char);
            }
        } else if *b > 0x7f || class & ESC_CTRL != 0 {
            body.push_str(&format!("\\{b:02X}"));
        } else {
            body.push(*b as char);
        }
    }
    if quotes {
        format!("\"{body}\"")
    } else {
        body
    }
}

/// `X509_NAME_print_ex` with the `oneline` or `RFC2253` flags.
pub fn name_ex(name: &X509Name<'_>, format: NameFormat) -> String {
    let mut list = entries(name);
    let (sep_dn, sep_mv, sep_eq, quote_style) = match format {
        NameFormat::Oneline => (", ", " + ", " = ", true),
        NameFormat::Rfc2253 => {
            list.reverse();
            (",", "+", "=", false)
        }
    };
    let mut out = String::new();
    let mut prev_set = None;
    for e in &list {
        if let Some(prev) = prev_set {
            out.push_str(if prev == e.set { sep_mv } else { sep_dn });
        }
        prev_set = Some(e.set);
        let known = short_name(&e.oid);
        out.push_str(known.unwrap_or(&e.oid));
        out.push_str(sep_eq);
        let dump = known.is_none() && format == NameFormat::Rfc2253;
        out.push_str(&print_value(e.value, quote_style, dump));
    }
    out
}

/// `ASN1_TIME_print`: `Mon DD HH:MM:SS YYYY GMT` with the day space-padded.
pub fn openssl_time(unix: i64) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let (y, m, d, hh, mm, ss) = civil(unix);
    format!(
        "{} {:2} {:02}:{:02}:{:02} {} GMT",
        MONTHS[(m - 1) as usize],
        d,
        hh,
        mm,
        ss,
        y
    )
}

/// UTC calendar fields of a Unix time.
pub fn civil(unix: i64) -> (i64, u32, u32, u32, u32, u32) {
    let days = unix.div_euclid(86_400);
    let secs = unix.rem_euclid(86_400);
    // Howard Hinnant's days-to-civil algorithm.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + if m <= 2 { 1 } else { 0 };
    (
        y,
        m,
        d,
        (secs / 3600) as u32,
        (secs % 3600 / 60) as u32,
        (secs % 60) as u32,
    )
}

/// `IP Address:` values: dotted quad, or eight uppercase hex groups without compression.
fn ip_text(bytes: &[u8]) -> String {
    match bytes.len() {
        4 => format!("{}.{}.{}.{}", bytes[0], bytes[1], bytes[2], bytes[3]),
        16 => bytes
            .chunks(2)
            .map(|c| format!("{:X}", u16::from_be_bytes([c[0], c[1]])))
            .collect::<Vec<_>>()
            .join(":"),
        _ => "<invalid>".to_string(),
    }
}

fn general_name_text(name: &GeneralName<'_>) -> String {
    match name {
        GeneralName::DNSName(s) => format!("DNS:{s}"),
        GeneralName::RFC822Name(s) => format!("email:{s}"),
        GeneralName::URI(s) => format!("URI:{s}"),
        GeneralName::IPAddress(b) => format!("IP Address:{}", ip_text(b)),
        GeneralName::DirectoryName(n) => format!("DirName:{}", name_compat(n)),
        GeneralName::RegisteredID(oid) => format!("Registered ID:{}", oid.to_id_string()),
        GeneralName::OtherName(..) => "othername:<unsupported>".to_string(),
        GeneralName::X400Address(_) => "X400Name:<unsupported>".to_string(),
        GeneralName::EDIPartyName(_) => "EdiPartyName:<unsupported>".to_string(),
    }
}

fn san_lines(cert: &X509Certificate<'_>) -> Vec<String> {
    cert.extensions()
        .iter()
        .filter_map(|ext| match ext.parsed_extension() {
            ParsedExtension::SubjectAlternativeName(san) => Some(
                san.general_names
                    .iter()
                    .map(general_name_text)
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times() {
        assert_eq!(openssl_time(0), "Jan  1 00:00:00 1970 GMT");
        assert_eq!(openssl_time(1_418_678_589), "Dec 15 21:23:09 2014 GMT");
        assert_eq!(openssl_time(951_782_400), "Feb 29 00:00:00 2000 GMT");
        assert_eq!(openssl_time(4_102_444_799), "Dec 31 23:59:59 2099 GMT");
        assert_eq!(civil(-1), (1969, 12, 31, 23, 59, 59));
    }

    #[test]
    fn ips() {
        assert_eq!(ip_text(&[10, 0, 0, 1]), "10.0.0.1");
        let mut v6 = [0u8; 16];
        v6[0] = 0x20;
        v6[1] = 0x01;
        v6[2] = 0x0d;
        v6[3] = 0xb8;
        v6[15] = 1;
        assert_eq!(ip_text(&v6), "2001:DB8:0:0:0:0:0:1");
        assert_eq!(ip_text(&[1, 2]), "<invalid>");
    }
}
