//! Reading `config:import` input: an env file or JSON object, from a file or stdin (`-`).
//! The source is only read; upstream rewrites an imported file that holds invalid keys, which
//! dokku-rs never does to a user's file.

use std::path::Path;

use dokku_common::{Error, Result};
use serde_json::Value;

use crate::store::{self, Env};

/// An env file. A file that does not exist imports nothing (upstream checks with `stat`).
pub fn envfile(name: &str, filename: &str) -> Result<Env> {
    let mut env = if filename == "-" {
        crate::dotenv::parse(&crate::cmd::read_stdin()?).map_err(Error::new)?
    } else {
        let path = Path::new(filename);
        if filename.is_empty() || std::fs::metadata(path).is_err() {
            Env::new()
        } else {
            let bytes = std::fs::read(path)
                .map_err(|e| Error::new(store::go_io_error("open", path, &e)))?;
            crate::dotenv::parse(&bytes).map_err(Error::new)?
        }
    };
    store::drop_invalid_keys(&mut env, name);
    Ok(env)
}

/// A JSON object of strings, decoded as Go's `json.Decoder` does into a `map[string]string`:
/// the first value only, `null` values as empty strings, a top-level `null` as nothing.
pub fn json(filename: &str) -> Result<Env> {
    let bytes = if filename == "-" {
        crate::cmd::read_stdin()?
    } else {
        let path = Path::new(filename);
        std::fs::read(path).map_err(|e| Error::new(store::go_io_error("open", path, &e)))?
    };
    decode_json(&bytes).map_err(Error::new)
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

pub fn decode_json(bytes: &[u8]) -> std::result::Result<Env, String> {
    let mut stream = serde_json::Deserializer::from_slice(bytes).into_iter::<Value>();
    let value = match stream.next() {
        None => return Err("EOF".to_string()),
        Some(Ok(v)) => v,
        Some(Err(e)) if e.is_eof() => return Err("unexpected EOF".to_string()),
        Some(Err(e)) => return Err(syntax_error(bytes, &e)),
    };
    let object = match value {
        Value::Null => return Ok(Env::new()),
        Value::Object(o) => o,
        other => {
            return Err(format!(
                "json: cannot unmarshal {} into Go value of type map[string]string",
                kind(&other)
            ))
        }
    };
    let mut env = Env::new();
    let mut first_error = None;
    for (k, v) in object {
        match v {
            Value::String(s) => {
                env.insert(k, s);
            }
            Value::Null => {
                env.insert(k, String::new());
            }
            other => {
                first_error.get_or_insert_with(|| {
                    format!(
                        "json: cannot unmarshal {} into Go value of type string",
                        kind(&other)
                    )
                });
            }
        }
    }
    match first_error {
        Some(e) => Err(e),
        None => Ok(env),
    }
}

/// Go's wording for the common syntax errors: `invalid character 'x' ...`.
fn syntax_error(bytes: &[u8], e: &serde_json::Error) -> String {
    let offset = line_col_offset(bytes, e.line(), e.column());
    match offset.and_then(|o| bytes.get(o)) {
        Some(&b) => format!(
            "invalid character {} looking for beginning of value",
            go_char(b)
        ),
        None => e.to_string(),
    }
}

fn go_char(b: u8) -> String {
    match b {
        b'\'' => "'\\''".to_string(),
        b'"' => "'\"'".to_string(),
        0x20..=0x7e => format!("'{}'", b as char),
        _ => format!("'\\x{b:02x}'"),
    }
}

/// Byte offset of serde's 1-based line / column (the column points at the offending byte).
fn line_col_offset(bytes: &[u8], line: usize, column: usize) -> Option<usize> {
    let mut start = 0;
    for _ in 1..line {
        start += bytes[start..].iter().position(|&b| b == b'\n')? + 1;
    }
    Some(start + column.checked_sub(1)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_like_go() {
        let env = decode_json(br#"{"A": "1", "B": null} trailing"#).unwrap();
        assert_eq!(env.get("A").unwrap(), "1");
        assert_eq!(env.get("B").unwrap(), "");
        assert!(decode_json(b"null").unwrap().is_empty());
        assert_eq!(decode_json(b"").unwrap_err(), "EOF");
        assert_eq!(decode_json(b"{\"A\":").unwrap_err(), "unexpected EOF");
        assert_eq!(
            decode_json(b"[1]").unwrap_err(),
            "json: cannot unmarshal array into Go value of type map[string]string"
        );
        assert_eq!(
            decode_json(br#"{"A": 1}"#).unwrap_err(),
            "json: cannot unmarshal number into Go value of type string"
        );
        assert_eq!(
            decode_json(b"x").unwrap_err(),
            "invalid character 'x' looking for beginning of value"
        );
    }
}
