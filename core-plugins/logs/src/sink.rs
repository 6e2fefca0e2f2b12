//! Sink DSNs (`vector-sink`, `vector-cron-sink`) turned into vector sink configs, as
//! upstream's `SinkValueToConfig` does: `<type>://?<key>=<value>&<key>[<sub>]=<value>…`,
//! query keys nested with brackets (fastfishio/qson v1.0.1 rules), values decoded as JSON
//! when they are JSON, `base64enc:<data>` values decoded.

use std::collections::BTreeMap;

use crate::gojson::{self, lossy, Value};
use crate::gourl;

/// Why a DSN cannot be used. `Panic` is where upstream's Go code crashes (exit 2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SinkError {
    Message(String),
    Panic(String),
}

impl SinkError {
    pub fn into_error(self) -> dokku_common::Error {
        match self {
            SinkError::Message(m) => dokku_common::Error::new(m),
            SinkError::Panic(m) => dokku_common::Error::with_code(format!("panic: {m}"), 2).raw(),
        }
    }
}

fn msg(m: impl Into<String>) -> SinkError {
    SinkError::Message(m.into())
}

/// qson's `ToJSON`: every `&`-separated parameter merged into one object.
fn qson_to_json(query: &[u8]) -> Result<BTreeMap<String, Value>, SinkError> {
    let mut builder = Value::Map(BTreeMap::new());
    for part in query.split(|&c| c == b'&') {
        let map = query_to_map(part)?;
        builder = merge(builder, Value::Map(map));
    }
    match builder {
        Value::Map(m) => Ok(m),
        _ => Ok(BTreeMap::new()),
    }
}

fn split_brackets(key: &[u8]) -> Vec<&[u8]> {
    key.split(|&c| c == b'[' || c == b']').collect()
}

/// qson's `queryToMap`: `a[b][c]=v` becomes `{"a": {"b": {"c": v}}}`, `a[]=v` `{"a": [v]}`.
/// The value is unescaped again at every level, as qson does.
fn query_to_map(param: &[u8]) -> Result<BTreeMap<String, Value>, SinkError> {
    let Some(eq) = param.iter().position(|&c| c == b'=') else {
        return Err(msg("qson: invalid url query param provided"));
    };
    let raw_value = gourl::query_unescape(&param[eq + 1..]).map_err(msg)?;
    let raw_key = gourl::query_unescape(&param[..eq]).map_err(msg)?;
    let pieces = split_brackets(&raw_key);
    let key = lossy(pieces[0]);
    let mut ret = BTreeMap::new();
    if pieces.len() == 1 {
        let value = match gojson::unmarshal(&raw_value) {
            Ok(v) => v,
            Err(_) => {
                let mut quoted = Vec::with_capacity(raw_value.len() + 2);
                quoted.push(b'"');
                quoted.extend_from_slice(&raw_value);
                quoted.push(b'"');
                gojson::unmarshal(&quoted).map_err(msg)?
            }
        };
        ret.insert(key, value);
        return Ok(ret);
    }
    let mut next = build_new_key(&raw_key, pieces[0].len(), pieces[1].len())?;
    next.push(b'=');
    next.extend_from_slice(&raw_value);
    let inner = query_to_map(&next)?;
    let value = if pieces[1].is_empty() {
        Value::Array(vec![inner.get("").cloned().unwrap_or(Value::Null)])
    } else {
        Value::Map(inner)
    };
    ret.insert(key, value);
    Ok(ret)
}

/// qson's `buildNewKey`: `bar[one][two]` → `one[two]`. A key with a single bracket makes
/// qson slice past the end of the string, which panics in Go.
fn build_new_key(key: &[u8], first: usize, second: usize) -> Result<Vec<u8>, SinkError> {
    let rest = &key[first + 1..];
    if rest.len() < second + 1 {
        return Err(SinkError::Panic(format!(
            "runtime error: slice bounds out of range [{}:{}]",
            second + 1,
            rest.len()
        )));
    }
    let mut out = rest[..second].to_vec();
    out.extend_from_slice(&rest[second + 1..]);
    Ok(out)
}

/// qson's `merge`: maps merge recursively, arrays concatenate, anything else is replaced.
fn merge(a: Value, b: Value) -> Value {
    match (a, b) {
        (Value::Map(mut a), Value::Map(b)) => {
            for (k, bv) in b {
                let merged = match a.remove(&k) {
                    Some(av) => merge(av, bv),
                    None => bv,
                };
                a.insert(k, merged);
            }
            Value::Map(a)
        }
        (Value::Array(mut a), Value::Array(b)) => {
            a.extend(b);
            Value::Array(a)
        }
        (_, b) => b,
    }
}

/// Go's `base64.StdEncoding.DecodeString`, with its error offsets.
fn base64_decode(src: &[u8]) -> Result<Vec<u8>, usize> {
    fn sextet(c: u8) -> Option<u32> {
        match c {
            b'A'..=b'Z' => Some((c - b'A') as u32),
            b'a'..=b'z' => Some((c - b'a' + 26) as u32),
            b'0'..=b'9' => Some((c - b'0' + 52) as u32),
            b'+' => Some(62),
            b'/' => Some(63),
            _ => None,
        }
    }
    let is_nl = |c: u8| c == b'\n' || c == b'\r';
    let mut out = Vec::new();
    let mut si = 0;
    while si < src.len() {
        let mut buf = [0u32; 4];
        let mut dlen = 4;
        let mut trailing_error = None;
        let mut j = 0;
        while j < 4 {
            if si == src.len() {
                if j == 0 {
                    return Ok(out);
                }
                return Err(si - j);
            }
            let c = src[si];
            si += 1;
            if let Some(v) = sextet(c) {
                buf[j] = v;
                j += 1;
                continue;
            }
            if is_nl(c) {
                continue;
            }
            if c != b'=' {
                return Err(si - 1);
            }
            match j {
                0 | 1 => return Err(si - 1),
                2 => {
                    while si < src.len() && is_nl(src[si]) {
                        si += 1;
                    }
                    if si == src.len() {
                        return Err(src.len());
                    }
                    if src[si] != b'=' {
                        return Err(si - 1);
                    }
                    si += 1;
                }
                _ => {}
            }
            while si < src.len() && is_nl(src[si]) {
                si += 1;
            }
            if si < src.len() {
                trailing_error = Some(si);
            }
            dlen = j;
            break;
        }
        let val = (buf[0] << 18) | (buf[1] << 12) | (buf[2] << 6) | buf[3];
        let bytes = [(val >> 16) as u8, (val >> 8) as u8, val as u8];
        out.extend_from_slice(&bytes[..dlen - 1]);
        if let Some(at) = trailing_error {
            return Err(at);
        }
    }
    Ok(out)
}

/// Go's `strings.TrimSpace` on bytes (invalid UTF-8 is not space).
fn trim_space(bytes: &[u8]) -> Vec<u8> {
    let text = lossy(bytes);
    if !text.contains('\u{fffd}') {
        return text.trim().as_bytes().to_vec();
    }
    // Rare: keep the raw bytes, trimming ASCII space only around them.
    let is_space = |c: &u8| matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c);
    let start = bytes
        .iter()
        .position(|c| !is_space(c))
        .unwrap_or(bytes.len());
    let end = bytes
        .iter()
        .rposition(|c| !is_space(c))
        .map_or(start, |e| e + 1);
    bytes[start..end].to_vec()
}

/// `SinkValueToConfig`: the sink as a map with `type` (and `inputs` when given).
pub fn to_config(value: &str, inputs: &[String]) -> Result<BTreeMap<String, Value>, SinkError> {
    let mut dsn = value.to_string();
    if let Some((scheme, rest)) = value.split_once("://") {
        // `_` is not valid in a URL scheme: it travels as `-`.
        dsn = format!("{}://{rest}", scheme.replace('_', "-"));
    }
    let url = gourl::parse(&dsn).map_err(msg)?;
    if gourl::query_get(&url.raw_query, "sinks").is_some_and(|v| !v.is_empty()) {
        return Err(msg("Invalid option sinks"));
    }
    let scheme = url.scheme.replace('-', "_");
    let query = url.raw_query.strip_prefix('&').unwrap_or(&url.raw_query);
    let mut data = qson_to_json(query.as_bytes())?;
    data.insert("type".to_string(), Value::str(scheme));
    if !inputs.is_empty() {
        data.insert("inputs".to_string(), Value::strings(inputs));
    }
    let mut decoded = Vec::new();
    for (key, value) in &data {
        let Value::String(text) = value else { continue };
        if let Some(encoded) = text.strip_prefix("base64enc:") {
            let bytes = base64_decode(encoded.as_bytes()).map_err(|at| {
                msg(format!(
                    "Error decoding base64: illegal base64 data at input byte {at}"
                ))
            })?;
            decoded.push((key.clone(), lossy(&trim_space(&bytes))));
        }
    }
    for (key, text) in decoded {
        data.insert(key, Value::String(text));
    }
    Ok(data)
}

/// `<type>://redacted` for reports, or empty when the DSN does not parse.
pub fn redacted(value: &str) -> String {
    match to_config(value, &[]) {
        Ok(config) => match config.get("type") {
            Some(Value::String(t)) => format!("{t}://redacted"),
            _ => String::new(),
        },
        Err(_) => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(value: &str, inputs: &[&str]) -> String {
        let inputs: Vec<String> = inputs.iter().map(|s| s.to_string()).collect();
        gojson::marshal_indent(&Value::Map(to_config(value, &inputs).unwrap()))
    }

    #[test]
    fn nested_keys_and_types() {
        assert_eq!(
            json("console://?encoding[codec]=json", &["docker-source:web"]),
            "{\n  \"encoding\": {\n    \"codec\": \"json\"\n  },\n  \"inputs\": [\n    \"docker-source:web\"\n  ],\n  \"type\": \"console\"\n}"
        );
        assert_eq!(
            json("datadog_logs://?api_key=abc123&compression=gzip&n=5&t=true&a[]=1&a[]=x", &[]),
            "{\n  \"a\": [\n    1,\n    \"x\"\n  ],\n  \"api_key\": \"abc123\",\n  \"compression\": \"gzip\",\n  \"n\": 5,\n  \"t\": true,\n  \"type\": \"datadog_logs\"\n}"
        );
        assert_eq!(
            json("blackhole://?print_interval_secs=1", &["docker-null-source"]),
            "{\n  \"inputs\": [\n    \"docker-null-source\"\n  ],\n  \"print_interval_secs\": 1,\n  \"type\": \"blackhole\"\n}"
        );
        let file = to_config(
            "file://?path=/var/log/dokku/apps/myapp/cron-{{ dokku_cron_id }}.log&encoding[codec]=text",
            &[],
        )
        .unwrap();
        assert_eq!(
            file["path"],
            Value::str("/var/log/dokku/apps/myapp/cron-{{ dokku_cron_id }}.log")
        );
    }

    #[test]
    fn base64_values() {
        // "{{ pod }}"
        let c = to_config("http://?process=base64enc%3Ae3sgcG9kIH19", &[]).unwrap();
        assert_eq!(c["process"], Value::str("{{ pod }}"));
        assert_eq!(base64_decode(b"aGk=").unwrap(), b"hi");
        assert_eq!(base64_decode(b"aGk").unwrap_err(), 0);
        assert_eq!(base64_decode(b"aG!k").unwrap_err(), 2);
        assert_eq!(base64_decode(b"aGk=x").unwrap_err(), 4);
        assert_eq!(base64_decode(b"a\nGk=").unwrap(), b"hi");
        assert_eq!(
            to_config("http://?p=base64enc:@@", &[]).unwrap_err(),
            SinkError::Message("Error decoding base64: illegal base64 data at input byte 0".into())
        );
    }

    #[test]
    fn errors() {
        assert_eq!(
            to_config("console://?sinks=nope", &[]).unwrap_err(),
            SinkError::Message("Invalid option sinks".into())
        );
        assert_eq!(
            to_config("console://", &[]).unwrap_err(),
            SinkError::Message("qson: invalid url query param provided".into())
        );
        assert_eq!(
            to_config("console://?a=b\"c", &[]).unwrap_err(),
            SinkError::Message("invalid character 'c' after top-level value".into())
        );
        assert_eq!(
            to_config("console://?a]=1", &[]).unwrap_err(),
            SinkError::Panic("runtime error: slice bounds out of range [1:0]".into())
        );
        assert_eq!(redacted("console://?a=1"), "console://redacted");
        assert_eq!(redacted("aws_s3://?a=1"), "aws_s3://redacted");
        assert_eq!(redacted("console://"), "");
    }
}
