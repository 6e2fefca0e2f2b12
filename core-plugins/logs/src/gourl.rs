//! The parts of Go's `net/url` the sink DSNs go through: `url.Parse` (its checks and error
//! texts; only the scheme and raw query are kept), `QueryUnescape` and `Values.Get`.

use dokku_common::text::go_quote_rune;

/// What the sink code needs of a parsed URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Url {
    /// Lowercased, as Go stores it.
    pub scheme: String,
    pub raw_query: String,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Path,
    Host,
    Zone,
    UserPassword,
    QueryComponent,
    Fragment,
}

/// Go's `strconv.Quote` of bytes: invalid UTF-8 bytes as `\xNN`.
pub fn go_quote_bytes(bytes: &[u8]) -> String {
    let mut out = String::from("\"");
    let mut rest = bytes;
    while !rest.is_empty() {
        let (valid, bad) = match std::str::from_utf8(rest) {
            Ok(s) => (s, None),
            Err(e) => (
                std::str::from_utf8(&rest[..e.valid_up_to()]).unwrap_or_default(),
                Some(rest[e.valid_up_to()]),
            ),
        };
        for c in valid.chars() {
            let q = go_quote_rune(c);
            let inner = &q[1..q.len() - 1];
            match c {
                '"' => out.push_str("\\\""),
                '\'' => out.push('\''),
                _ => out.push_str(inner),
            }
        }
        match bad {
            Some(b) => {
                out.push_str(&format!("\\x{b:02x}"));
                rest = &rest[valid.len() + 1..];
            }
            None => break,
        }
    }
    out.push('"');
    out
}

fn is_hex(c: u8) -> bool {
    c.is_ascii_hexdigit()
}

fn unhex(c: u8) -> u8 {
    (c as char).to_digit(16).unwrap_or(0) as u8
}

/// Go's `shouldEscape`, for the modes parsing needs.
fn should_escape(c: u8, mode: Mode) -> bool {
    if c.is_ascii_alphanumeric() {
        return false;
    }
    if (mode == Mode::Host || mode == Mode::Zone)
        && matches!(
            c,
            b'!' | b'$'
                | b'&'
                | b'\''
                | b'('
                | b')'
                | b'*'
                | b'+'
                | b','
                | b';'
                | b'='
                | b':'
                | b'['
                | b']'
                | b'<'
                | b'>'
                | b'"'
        )
    {
        return false;
    }
    match c {
        b'-' | b'_' | b'.' | b'~' => return false,
        b'$' | b'&' | b'+' | b',' | b'/' | b':' | b';' | b'=' | b'?' | b'@' => match mode {
            Mode::Path => return c == b'?',
            Mode::UserPassword => return matches!(c, b'@' | b'/' | b'?' | b':'),
            Mode::QueryComponent => return true,
            Mode::Fragment => return false,
            _ => {}
        },
        _ => {}
    }
    if mode == Mode::Fragment && matches!(c, b'!' | b'(' | b')' | b'*') {
        return false;
    }
    true
}

fn escape_error(s: &[u8]) -> String {
    format!("invalid URL escape {}", go_quote_bytes(s))
}

/// Go's `unescape`.
fn unescape(s: &[u8], mode: Mode) -> Result<Vec<u8>, String> {
    let mut i = 0;
    while i < s.len() {
        match s[i] {
            b'%' => {
                if i + 2 >= s.len() || !is_hex(s[i + 1]) || !is_hex(s[i + 2]) {
                    let end = (i + 3).min(s.len());
                    return Err(escape_error(&s[i..end]));
                }
                if mode == Mode::Host && unhex(s[i + 1]) < 8 && &s[i..i + 3] != b"%25" {
                    return Err(escape_error(&s[i..i + 3]));
                }
                if mode == Mode::Zone {
                    let v = (unhex(s[i + 1]) << 4) | unhex(s[i + 2]);
                    if &s[i..i + 3] != b"%25" && v != b' ' && should_escape(v, Mode::Host) {
                        return Err(escape_error(&s[i..i + 3]));
                    }
                }
                i += 3;
            }
            c => {
                if (mode == Mode::Host || mode == Mode::Zone) && c < 0x80 && should_escape(c, mode)
                {
                    return Err(format!(
                        "invalid character {} in host name",
                        go_quote_bytes(&s[i..i + 1])
                    ));
                }
                i += 1;
            }
        }
    }
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        match s[i] {
            b'%' => {
                out.push((unhex(s[i + 1]) << 4) | unhex(s[i + 2]));
                i += 3;
            }
            b'+' if mode == Mode::QueryComponent => {
                out.push(b' ');
                i += 1;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    Ok(out)
}

/// `url.QueryUnescape`.
pub fn query_unescape(s: &[u8]) -> Result<Vec<u8>, String> {
    unescape(s, Mode::QueryComponent)
}

fn valid_optional_port(port: &[u8]) -> bool {
    match port.split_first() {
        None => true,
        Some((b':', digits)) => digits.iter().all(u8::is_ascii_digit),
        Some(_) => false,
    }
}

fn invalid_port(port: &[u8]) -> String {
    format!("invalid port {} after host", go_quote_bytes(port))
}

fn find(s: &[u8], needle: &[u8]) -> Option<usize> {
    s.windows(needle.len()).position(|w| w == needle)
}

fn rfind_byte(s: &[u8], b: u8) -> Option<usize> {
    s.iter().rposition(|&c| c == b)
}

/// Go's `parseHost`.
fn parse_host(host: &[u8]) -> Result<(), String> {
    if host.first() == Some(&b'[') {
        let Some(i) = rfind_byte(host, b']') else {
            return Err("missing ']' in host".to_string());
        };
        let colon_port = &host[i + 1..];
        if !valid_optional_port(colon_port) {
            return Err(invalid_port(colon_port));
        }
        if let Some(zone) = find(&host[..i], b"%25") {
            unescape(&host[..zone], Mode::Host)?;
            unescape(&host[zone..i], Mode::Zone)?;
            unescape(&host[i..], Mode::Host)?;
            return Ok(());
        }
    } else if let Some(i) = rfind_byte(host, b':') {
        let colon_port = &host[i..];
        if !valid_optional_port(colon_port) {
            return Err(invalid_port(colon_port));
        }
    }
    unescape(host, Mode::Host).map(|_| ())
}

fn valid_userinfo(s: &[u8]) -> bool {
    std::str::from_utf8(s).is_ok_and(|s| {
        s.chars().all(|r| {
            r.is_ascii_alphanumeric()
                || matches!(
                    r,
                    '-' | '.'
                        | '_'
                        | ':'
                        | '~'
                        | '!'
                        | '$'
                        | '&'
                        | '\''
                        | '('
                        | ')'
                        | '*'
                        | '+'
                        | ','
                        | ';'
                        | '='
                        | '%'
                        | '@'
                )
        })
    })
}

/// Go's `parseAuthority`.
fn parse_authority(authority: &[u8]) -> Result<(), String> {
    let at = rfind_byte(authority, b'@');
    match at {
        None => parse_host(authority)?,
        Some(i) => parse_host(&authority[i + 1..])?,
    }
    let Some(i) = at else { return Ok(()) };
    let userinfo = &authority[..i];
    if !valid_userinfo(userinfo) {
        return Err("net/url: invalid userinfo".to_string());
    }
    match userinfo.iter().position(|&c| c == b':') {
        None => unescape(userinfo, Mode::UserPassword).map(|_| ()),
        Some(c) => {
            unescape(&userinfo[..c], Mode::UserPassword)?;
            unescape(&userinfo[c + 1..], Mode::UserPassword).map(|_| ())
        }
    }
}

/// Go's `getScheme`.
fn get_scheme(raw: &[u8]) -> Result<(&[u8], &[u8]), String> {
    for (i, &c) in raw.iter().enumerate() {
        match c {
            b'a'..=b'z' | b'A'..=b'Z' => {}
            b'0'..=b'9' | b'+' | b'-' | b'.' => {
                if i == 0 {
                    return Ok((b"", raw));
                }
            }
            b':' => {
                if i == 0 {
                    return Err("missing protocol scheme".to_string());
                }
                return Ok((&raw[..i], &raw[i + 1..]));
            }
            _ => return Ok((b"", raw)),
        }
    }
    Ok((b"", raw))
}

/// Go's internal `parse(rawURL, false)`.
fn parse_inner(raw: &[u8]) -> Result<Url, String> {
    if raw.iter().any(|&b| b < 0x20 || b == 0x7f) {
        return Err("net/url: invalid control character in URL".to_string());
    }
    if raw == b"*" {
        return Ok(Url {
            scheme: String::new(),
            raw_query: String::new(),
        });
    }
    let (scheme, rest) = get_scheme(raw)?;
    let scheme = String::from_utf8_lossy(scheme).to_lowercase();
    let (mut rest, raw_query): (&[u8], &[u8]) =
        if rest.last() == Some(&b'?') && rest.iter().filter(|&&c| c == b'?').count() == 1 {
            (&rest[..rest.len() - 1], b"")
        } else {
            match rest.iter().position(|&c| c == b'?') {
                Some(q) => (&rest[..q], &rest[q + 1..]),
                None => (rest, b""),
            }
        };
    let raw_query = String::from_utf8_lossy(raw_query).into_owned();
    if rest.first() != Some(&b'/') {
        if !scheme.is_empty() {
            // An opaque URL: nothing more is checked.
            return Ok(Url { scheme, raw_query });
        }
        let segment = match rest.iter().position(|&c| c == b'/') {
            Some(i) => &rest[..i],
            None => rest,
        };
        if segment.contains(&b':') {
            return Err("first path segment in URL cannot contain colon".to_string());
        }
    }
    if (!scheme.is_empty() || !rest.starts_with(b"///")) && rest.starts_with(b"//") {
        let authority_and_path = &rest[2..];
        let (authority, path) = match authority_and_path.iter().position(|&c| c == b'/') {
            Some(i) => (&authority_and_path[..i], &authority_and_path[i..]),
            None => (authority_and_path, &b""[..]),
        };
        parse_authority(authority)?;
        rest = path;
    }
    unescape(rest, Mode::Path)?;
    Ok(Url { scheme, raw_query })
}

/// `url.Parse`: errors read `parse "<url>": <reason>`.
pub fn parse(raw: &str) -> Result<Url, String> {
    let bytes = raw.as_bytes();
    let (before, frag) = match bytes.iter().position(|&c| c == b'#') {
        Some(i) => (&bytes[..i], &bytes[i + 1..]),
        None => (bytes, &b""[..]),
    };
    let url = parse_inner(before).map_err(|e| format!("parse {}: {e}", go_quote_bytes(before)))?;
    if !frag.is_empty() {
        unescape(frag, Mode::Fragment)
            .map_err(|e| format!("parse {}: {e}", go_quote_bytes(bytes)))?;
    }
    Ok(url)
}

/// `u.Query().Get(key)`: the first value of `key`, malformed pairs skipped.
pub fn query_get(raw_query: &str, key: &str) -> Option<Vec<u8>> {
    for pair in raw_query.as_bytes().split(|&c| c == b'&') {
        if pair.is_empty() || pair.contains(&b';') {
            continue;
        }
        let (k, v) = match pair.iter().position(|&c| c == b'=') {
            Some(i) => (&pair[..i], &pair[i + 1..]),
            None => (pair, &b""[..]),
        };
        let (Ok(k), Ok(v)) = (query_unescape(k), query_unescape(v)) else {
            continue;
        };
        if k == key.as_bytes() {
            return Some(v);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemes_and_queries() {
        let u = parse("console://?encoding[codec]=json").unwrap();
        assert_eq!(u.scheme, "console");
        assert_eq!(u.raw_query, "encoding[codec]=json");
        let u = parse("HTTP://user:pw@host:80/path?a=1#frag").unwrap();
        assert_eq!(u.scheme, "http");
        assert_eq!(u.raw_query, "a=1");
        assert_eq!(parse("aws-s3://?").unwrap().raw_query, "");
        assert_eq!(parse("x:opaque?q=1").unwrap().raw_query, "q=1");
    }

    #[test]
    fn go_errors() {
        assert_eq!(
            parse("://x").unwrap_err(),
            "parse \"://x\": missing protocol scheme"
        );
        assert_eq!(
            parse("a b:c").unwrap_err(),
            "parse \"a b:c\": first path segment in URL cannot contain colon"
        );
        assert_eq!(
            parse("http://h:x/").unwrap_err(),
            "parse \"http://h:x/\": invalid port \":x\" after host"
        );
        assert_eq!(
            parse("http://h/%zz").unwrap_err(),
            "parse \"http://h/%zz\": invalid URL escape \"%zz\""
        );
        assert_eq!(
            parse("http://a b/").unwrap_err(),
            "parse \"http://a b/\": invalid character \" \" in host name"
        );
        assert_eq!(
            parse("http://x/\u{1}").unwrap_err(),
            "parse \"http://x/\\x01\": net/url: invalid control character in URL"
        );
        assert_eq!(
            parse("http://[::1/").unwrap_err(),
            "parse \"http://[::1/\": missing ']' in host"
        );
        assert_eq!(
            parse("http://a^b@h/").unwrap_err(),
            "parse \"http://a^b@h/\": net/url: invalid userinfo"
        );
        assert_eq!(
            parse("http://h/#%x").unwrap_err(),
            "parse \"http://h/#%x\": invalid URL escape \"%x\""
        );
    }

    #[test]
    fn query_values() {
        assert_eq!(query_get("a=1&sinks=x", "sinks"), Some(b"x".to_vec()));
        assert_eq!(query_get("sinks=%zz&sinks=y", "sinks"), Some(b"y".to_vec()));
        assert_eq!(query_get("a;b=1&sinks", "sinks"), Some(Vec::new()));
        assert_eq!(query_get("a=1", "sinks"), None);
        assert_eq!(query_unescape(b"a+b%41").unwrap(), b"a bA");
    }
}
