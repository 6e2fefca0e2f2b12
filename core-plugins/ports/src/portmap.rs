//! `scheme:host-port:container-port` mappings: parsing with upstream's messages, the checks
//! and list operations upstream applies, and their text and JSON forms.

use std::collections::HashSet;
use std::fmt;

use dokku_common::text::{go_quote, push_go_json_string};

/// The scheme given to a bare host port (`ports:remove <app> 80`); never stored.
pub const INTERNAL: &str = "__internal__";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortMap {
    pub scheme: String,
    pub host_port: i64,
    pub container_port: i64,
}

impl PortMap {
    pub fn new(scheme: &str, host_port: i64, container_port: i64) -> PortMap {
        PortMap {
            scheme: scheme.to_string(),
            host_port,
            container_port,
        }
    }

    /// A bare host port, only meaningful as a removal target.
    pub fn is_internal(&self) -> bool {
        self.scheme == INTERNAL
    }

    /// `scheme:host-port`, the key that must be unique within an app.
    fn scheme_host(&self) -> String {
        format!("{}:{}", self.scheme, self.host_port)
    }
}

impl fmt::Display for PortMap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}",
            self.scheme, self.host_port, self.container_port
        )
    }
}

/// Go's `strconv.Atoi` on a 64-bit host, with its error text.
pub fn atoi(s: &str) -> Result<i64, String> {
    let fail = |why: &str| format!("strconv.Atoi: parsing {}: {why}", go_quote(s));
    let (neg, digits) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    if digits.is_empty() {
        return Err(fail("invalid syntax"));
    }
    let mut n: u64 = 0;
    for b in digits.bytes() {
        if !b.is_ascii_digit() {
            return Err(fail("invalid syntax"));
        }
        // Go reports the overflow as soon as it happens, before looking at later bytes.
        n = n
            .checked_mul(10)
            .and_then(|n| n.checked_add(u64::from(b - b'0')))
            .ok_or_else(|| fail("value out of range"))?;
    }
    let limit = if neg { 1u64 << 63 } else { (1u64 << 63) - 1 };
    if n > limit {
        return Err(fail("value out of range"));
    }
    Ok(if neg {
        (n as i64).wrapping_neg()
    } else {
        n as i64
    })
}

fn in_range(port: i64) -> bool {
    0 < port && port < 65536
}

fn parse_one(token: &str) -> Result<PortMap, String> {
    let invalid = |detail: String| format!("Invalid port map {token} [{detail}]");
    let parts: Vec<&str> = token.splitn(3, ':').collect();
    if parts.len() == 1 {
        let host = atoi(token).map_err(|e| invalid(format!("err={e}")))?;
        if !in_range(host) {
            return Err(invalid(format!("hostPort={host}")));
        }
        return Ok(PortMap::new(INTERNAL, host, 0));
    }
    if parts.len() != 3 {
        return Err(invalid(format!("len={}", parts.len())));
    }
    let host = atoi(parts[1]).map_err(|e| invalid(format!("err={e}")))?;
    let container = atoi(parts[2]).map_err(|e| invalid(format!("err={e}")))?;
    if !in_range(host) {
        return Err(invalid(format!("hostPort={host}")));
    }
    if !in_range(container) {
        return Err(invalid(format!("containerPort={container}")));
    }
    Ok(PortMap::new(parts[0], host, container))
}

/// Parse space-separated mappings (a bare port is allowed). On an invalid one, returns the
/// mappings before it and the error, as upstream's parser does.
pub fn parse_partial(input: &str) -> (Vec<PortMap>, Option<String>) {
    let mut maps = Vec::new();
    for token in input.trim().split(' ') {
        match parse_one(token) {
            Ok(map) => maps.push(map),
            Err(e) => return (maps, Some(e)),
        }
    }
    (maps, None)
}

/// Parse space-separated mappings, failing on the first invalid one.
pub fn parse(input: &str) -> Result<Vec<PortMap>, String> {
    match parse_partial(input) {
        (maps, None) => Ok(maps),
        (_, Some(e)) => Err(e),
    }
}

/// Parse stored lines, keeping what parses before the first bad entry (upstream ignores the
/// error when reading).
pub fn parse_lines(lines: &[String]) -> Vec<PortMap> {
    parse_partial(&lines.join(" ")).0
}

/// Fails when two mappings share `scheme:host-port`.
pub fn check_reuse(maps: &[PortMap]) -> Result<(), String> {
    let mut seen = HashSet::new();
    for map in maps {
        let key = map.scheme_host();
        if !seen.insert(key.clone()) {
            return Err(format!("The same scheme:host-port is being reused: {key}"));
        }
    }
    Ok(())
}

/// The first mapping for each `scheme:host-port`, in order.
pub fn unique(maps: &[PortMap]) -> Vec<PortMap> {
    let mut seen = HashSet::new();
    maps.iter()
        .filter(|m| seen.insert(m.scheme_host()))
        .cloned()
        .collect()
}

/// The stored form: persisted mappings only, as sorted lines.
pub fn to_sorted_lines(maps: &[PortMap]) -> Vec<String> {
    let mut lines: Vec<String> = maps
        .iter()
        .filter(|m| !m.is_internal())
        .map(ToString::to_string)
        .collect();
    lines.sort();
    lines
}

/// Space-joined text form.
pub fn join(maps: &[PortMap]) -> String {
    maps.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Go's `json.Marshal([]PortMap)`; `None` is a nil slice (`null`).
pub fn to_json(maps: Option<&[PortMap]>) -> String {
    let Some(maps) = maps else {
        return "null".to_string();
    };
    let mut out = String::from("[");
    for (i, map) in maps.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&format!(
            "{{\"container_port\":{},\"host_port\":{},\"scheme\":",
            map.container_port, map.host_port
        ));
        push_go_json_string(&mut out, &map.scheme);
        out.push('}');
    }
    out.push(']');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atoi_like_go() {
        assert_eq!(atoi("80"), Ok(80));
        assert_eq!(atoi("+80"), Ok(80));
        assert_eq!(atoi("-5"), Ok(-5));
        assert_eq!(atoi("0080"), Ok(80));
        assert_eq!(
            atoi("").unwrap_err(),
            "strconv.Atoi: parsing \"\": invalid syntax"
        );
        assert_eq!(
            atoi("8o").unwrap_err(),
            "strconv.Atoi: parsing \"8o\": invalid syntax"
        );
        assert_eq!(
            atoi("-").unwrap_err(),
            "strconv.Atoi: parsing \"-\": invalid syntax"
        );
        assert_eq!(
            atoi("99999999999999999999x").unwrap_err(),
            "strconv.Atoi: parsing \"99999999999999999999x\": value out of range"
        );
        assert_eq!(atoi("-9223372036854775808"), Ok(i64::MIN));
        assert!(atoi("9223372036854775808").is_err());
    }

    #[test]
    fn parsing_messages() {
        let maps = parse("http:80:5000  https:443:5000 ").unwrap_err();
        assert_eq!(
            maps,
            "Invalid port map  [err=strconv.Atoi: parsing \"\": invalid syntax]"
        );
        assert_eq!(
            parse("http:80").unwrap_err(),
            "Invalid port map http:80 [len=2]"
        );
        assert_eq!(
            parse("http:0:5000").unwrap_err(),
            "Invalid port map http:0:5000 [hostPort=0]"
        );
        assert_eq!(
            parse("http:80:65536").unwrap_err(),
            "Invalid port map http:80:65536 [containerPort=65536]"
        );
        assert_eq!(
            parse("http:x:5000").unwrap_err(),
            "Invalid port map http:x:5000 [err=strconv.Atoi: parsing \"x\": invalid syntax]"
        );
        assert_eq!(
            parse("http:80:5000:1").unwrap_err(),
            "Invalid port map http:80:5000:1 [err=strconv.Atoi: parsing \"5000:1\": invalid syntax]"
        );
        assert_eq!(
            parse("-1").unwrap_err(),
            "Invalid port map -1 [hostPort=-1]"
        );
        let maps = parse("http:080:5000 8080 udp:53:53").unwrap();
        assert_eq!(join(&maps), "http:80:5000 __internal__:8080:0 udp:53:53");
        let (partial, err) = parse_partial("http:80:5000 bad https:443:5000");
        assert_eq!(join(&partial), "http:80:5000");
        assert!(err.is_some());
    }

    #[test]
    fn reuse_unique_and_storage() {
        let maps = parse("http:80:5000 https:443:5000 http:80:3000 8080").unwrap();
        assert_eq!(
            check_reuse(&maps).unwrap_err(),
            "The same scheme:host-port is being reused: http:80"
        );
        assert_eq!(
            join(&unique(&maps)),
            "http:80:5000 https:443:5000 __internal__:8080:0"
        );
        assert_eq!(
            to_sorted_lines(&maps),
            vec!["http:80:3000", "http:80:5000", "https:443:5000"]
        );
    }

    #[test]
    fn json_like_go() {
        let maps = parse("http:80:5000 a<b:1:2").unwrap();
        assert_eq!(
            to_json(Some(&maps)),
            "[{\"container_port\":5000,\"host_port\":80,\"scheme\":\"http\"},{\"container_port\":2,\"host_port\":1,\"scheme\":\"a\\u003cb\"}]"
        );
        assert_eq!(to_json(Some(&[])), "[]");
        assert_eq!(to_json(None), "null");
    }
}
