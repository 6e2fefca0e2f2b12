//! Just enough of Go's `encoding/json` for the vector config: decoding into `interface{}`
//! (with the syntax error texts Go reports) and `MarshalIndent(v, "", "  ")` output.
//!
//! Go strings are bytes; text that is not valid UTF-8 becomes U+FFFD per bad byte, as Go's
//! decoder and encoder both do.

use std::collections::BTreeMap;

use dokku_common::text::{go_quote_rune, push_go_json_string};

/// A decoded or to-be-encoded value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Number(f64),
    String(String),
    Array(Vec<Value>),
    /// A Go map: encoded with sorted keys.
    Map(BTreeMap<String, Value>),
    /// A Go struct: encoded in field order.
    Struct(Vec<(&'static str, Value)>),
}

impl Value {
    pub fn str(s: impl Into<String>) -> Value {
        Value::String(s.into())
    }

    pub fn strings<S: AsRef<str>>(items: &[S]) -> Value {
        Value::Array(items.iter().map(|s| Value::str(s.as_ref())).collect())
    }
}

/// Bytes as text, each byte of an invalid sequence becoming U+FFFD (Go's rule).
pub fn lossy(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    let mut rest = bytes;
    while !rest.is_empty() {
        match std::str::from_utf8(rest) {
            Ok(s) => {
                out.push_str(s);
                break;
            }
            Err(e) => {
                let valid = e.valid_up_to();
                out.push_str(std::str::from_utf8(&rest[..valid]).unwrap_or_default());
                out.push('\u{fffd}');
                rest = &rest[valid + 1..];
            }
        }
    }
    out
}

/// A float64 as Go's encoder writes it: shortest round-trip digits, exponent form below
/// 1e-6 and from 1e21 on (`1e+21`, `1e-7`).
pub fn format_number(f: f64) -> String {
    let abs = f.abs();
    if abs != 0.0 && !(1e-6..1e21).contains(&abs) {
        let s = format!("{f:e}");
        match s.split_once('e') {
            Some((mantissa, exp)) if !exp.starts_with('-') => format!("{mantissa}e+{exp}"),
            _ => s,
        }
    } else {
        format!("{f}")
    }
}

/// `json.MarshalIndent(v, "", "  ")`.
pub fn marshal_indent(v: &Value) -> String {
    let mut out = String::new();
    write_value(&mut out, v, 0);
    out
}

fn indent(out: &mut String, depth: usize) {
    for _ in 0..depth {
        out.push_str("  ");
    }
}

fn write_members<'a>(
    out: &mut String,
    members: impl ExactSizeIterator<Item = (&'a str, &'a Value)>,
    depth: usize,
) {
    if members.len() == 0 {
        out.push_str("{}");
        return;
    }
    out.push_str("{\n");
    for (i, (key, value)) in members.enumerate() {
        if i > 0 {
            out.push_str(",\n");
        }
        indent(out, depth + 1);
        push_go_json_string(out, key);
        out.push_str(": ");
        write_value(out, value, depth + 1);
    }
    out.push('\n');
    indent(out, depth);
    out.push('}');
}

fn write_value(out: &mut String, v: &Value, depth: usize) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(f) => out.push_str(&format_number(*f)),
        Value::String(s) => push_go_json_string(out, s),
        Value::Array(items) => {
            if items.is_empty() {
                out.push_str("[]");
                return;
            }
            out.push_str("[\n");
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(",\n");
                }
                indent(out, depth + 1);
                write_value(out, item, depth + 1);
            }
            out.push('\n');
            indent(out, depth);
            out.push(']');
        }
        Value::Map(map) => write_members(out, map.iter().map(|(k, v)| (k.as_str(), v)), depth),
        Value::Struct(fields) => write_members(out, fields.iter().map(|(k, v)| (*k, v)), depth),
    }
}

/// `json.Unmarshal(data, &v)` with `v interface{}`: objects become maps, numbers float64.
/// The error is Go's text.
pub fn unmarshal(data: &[u8]) -> Result<Value, String> {
    let mut p = Parser {
        data,
        pos: 0,
        overflow: None,
    };
    p.skip_space();
    let value = p.value()?;
    p.skip_space();
    if let Some(&c) = data.get(p.pos) {
        return Err(p.invalid(c, "after top-level value"));
    }
    // Go reports an out-of-range number only once the whole input is known to be valid.
    if let Some(text) = p.overflow {
        return Err(format!(
            "json: cannot unmarshal number {text} into Go value of type float64"
        ));
    }
    Ok(value)
}

struct Parser<'a> {
    data: &'a [u8],
    pos: usize,
    /// The first number literal too large for a float64.
    overflow: Option<String>,
}

impl Parser<'_> {
    fn invalid(&self, c: u8, context: &str) -> String {
        format!("invalid character {} {context}", go_quote_rune(c as char))
    }

    fn eof() -> String {
        "unexpected end of JSON input".to_string()
    }

    fn peek(&self) -> Option<u8> {
        self.data.get(self.pos).copied()
    }

    fn next(&mut self) -> Result<u8, String> {
        let c = self.peek().ok_or_else(Self::eof)?;
        self.pos += 1;
        Ok(c)
    }

    fn skip_space(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn value(&mut self) -> Result<Value, String> {
        let c = self.peek().ok_or_else(Self::eof)?;
        match c {
            b'{' => self.object(),
            b'[' => self.array(),
            b'"' => Ok(Value::String(self.string()?)),
            b'-' | b'0'..=b'9' => self.number(),
            b't' => self.literal("true", Value::Bool(true)),
            b'f' => self.literal("false", Value::Bool(false)),
            b'n' => self.literal("null", Value::Null),
            _ => Err(self.invalid(c, "looking for beginning of value")),
        }
    }

    fn literal(&mut self, word: &str, value: Value) -> Result<Value, String> {
        self.pos += 1;
        for expected in word.bytes().skip(1) {
            let c = self.next()?;
            if c != expected {
                return Err(self.invalid(
                    c,
                    &format!(
                        "in literal {word} (expecting {})",
                        go_quote_rune(expected as char)
                    ),
                ));
            }
        }
        Ok(value)
    }

    fn digits(&mut self) -> usize {
        let start = self.pos;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.pos += 1;
        }
        self.pos - start
    }

    fn number(&mut self) -> Result<Value, String> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
            match self.peek() {
                Some(b'0'..=b'9') => {}
                Some(c) => return Err(self.invalid(c, "in numeric literal")),
                None => return Err(Self::eof()),
            }
        }
        if self.peek() == Some(b'0') {
            self.pos += 1;
        } else {
            self.digits();
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if self.digits() == 0 {
                return match self.peek() {
                    Some(c) => Err(self.invalid(c, "after decimal point in numeric literal")),
                    None => Err(Self::eof()),
                };
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if self.digits() == 0 {
                return match self.peek() {
                    Some(c) => Err(self.invalid(c, "in exponent of numeric literal")),
                    None => Err(Self::eof()),
                };
            }
        }
        let text = std::str::from_utf8(&self.data[start..self.pos]).unwrap_or("0");
        match text.parse::<f64>() {
            Ok(f) if f.is_finite() => Ok(Value::Number(f)),
            _ => {
                if self.overflow.is_none() {
                    self.overflow = Some(text.to_string());
                }
                Ok(Value::Null)
            }
        }
    }

    fn hex4(&mut self) -> Result<u32, String> {
        let mut v = 0u32;
        for _ in 0..4 {
            let c = self.next()?;
            let d = (c as char)
                .to_digit(16)
                .ok_or_else(|| self.invalid(c, "in \\u hexadecimal character escape"))?;
            v = v * 16 + d;
        }
        Ok(v)
    }

    /// A string literal: validated as Go's scanner does, decoded as Go's `unquote`.
    fn string(&mut self) -> Result<String, String> {
        self.pos += 1;
        let mut raw: Vec<u8> = Vec::new();
        let mut out = String::new();
        let flush = |raw: &mut Vec<u8>, out: &mut String| {
            out.push_str(&lossy(raw));
            raw.clear();
        };
        loop {
            let c = self.next()?;
            match c {
                b'"' => break,
                b'\\' => {
                    flush(&mut raw, &mut out);
                    let e = self.next()?;
                    match e {
                        b'"' | b'\\' | b'/' => out.push(e as char),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => {
                            let first = self.hex4()?;
                            out.push(self.surrogate_pair(first)?);
                        }
                        _ => return Err(self.invalid(e, "in string escape code")),
                    }
                }
                c if c < 0x20 => return Err(self.invalid(c, "in string literal")),
                c => raw.push(c),
            }
        }
        flush(&mut raw, &mut out);
        Ok(out)
    }

    /// After `\uXXXX`: combine a surrogate pair when a valid low half follows (consuming it),
    /// else U+FFFD for a lone surrogate.
    fn surrogate_pair(&mut self, first: u32) -> Result<char, String> {
        if !(0xd800..0xe000).contains(&first) {
            return Ok(char::from_u32(first).unwrap_or('\u{fffd}'));
        }
        if (0xd800..0xdc00).contains(&first) && self.data[self.pos..].starts_with(b"\\u") {
            let save = self.pos;
            self.pos += 2;
            // The scanner has to accept the next escape whatever it decodes to.
            let second = self.hex4()?;
            if (0xdc00..0xe000).contains(&second) {
                let c = 0x10000 + ((first - 0xd800) << 10) + (second - 0xdc00);
                return Ok(char::from_u32(c).unwrap_or('\u{fffd}'));
            }
            self.pos = save;
        }
        Ok('\u{fffd}')
    }

    fn object(&mut self) -> Result<Value, String> {
        self.pos += 1;
        let mut map = BTreeMap::new();
        self.skip_space();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(Value::Map(map));
        }
        loop {
            match self.peek() {
                Some(b'"') => {}
                Some(c) => {
                    return Err(self.invalid(c, "looking for beginning of object key string"))
                }
                None => return Err(Self::eof()),
            }
            let key = self.string()?;
            self.skip_space();
            match self.next()? {
                b':' => {}
                c => return Err(self.invalid(c, "after object key")),
            }
            self.skip_space();
            let value = self.value()?;
            map.insert(key, value);
            self.skip_space();
            match self.next()? {
                b',' => self.skip_space(),
                b'}' => return Ok(Value::Map(map)),
                c => return Err(self.invalid(c, "after object key:value pair")),
            }
        }
    }

    fn array(&mut self) -> Result<Value, String> {
        self.pos += 1;
        let mut items = Vec::new();
        self.skip_space();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(Value::Array(items));
        }
        loop {
            items.push(self.value()?);
            self.skip_space();
            match self.next()? {
                b',' => self.skip_space(),
                b']' => return Ok(Value::Array(items)),
                c => return Err(self.invalid(c, "after array element")),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(x: &str) -> Value {
        Value::str(x)
    }

    #[test]
    fn numbers_like_go() {
        assert_eq!(format_number(1.0), "1");
        assert_eq!(format_number(-0.0), "-0");
        assert_eq!(format_number(1.5), "1.5");
        assert_eq!(format_number(1e20), "100000000000000000000");
        assert_eq!(format_number(1e21), "1e+21");
        assert_eq!(format_number(1.5e-7), "1.5e-7");
        assert_eq!(format_number(1e-10), "1e-10");
        assert_eq!(format_number(0.000001), "0.000001");
        assert_eq!(
            format_number(12345678901234567890.0),
            "12345678901234567000"
        );
    }

    #[test]
    fn decoding() {
        assert_eq!(unmarshal(b" 5 ").unwrap(), Value::Number(5.0));
        assert_eq!(
            unmarshal(b"\"a\\u00e9\\ud83d\\ude00\"").unwrap(),
            s("a\u{e9}\u{1f600}")
        );
        assert_eq!(unmarshal(b"\"\\ud800x\"").unwrap(), s("\u{fffd}x"));
        assert_eq!(unmarshal(b"\"a\xffb\"").unwrap(), s("a\u{fffd}b"));
        let v = unmarshal(b"{\"b\":[1,true,null],\"a\":{}}").unwrap();
        assert_eq!(
            marshal_indent(&v),
            "{\n  \"a\": {},\n  \"b\": [\n    1,\n    true,\n    null\n  ]\n}"
        );
    }

    #[test]
    fn go_error_texts() {
        let e = |d: &[u8]| unmarshal(d).unwrap_err();
        assert_eq!(e(b""), "unexpected end of JSON input");
        assert_eq!(
            e(b"abc"),
            "invalid character 'a' looking for beginning of value"
        );
        assert_eq!(
            e(b"\"a\"b\""),
            "invalid character 'b' after top-level value"
        );
        assert_eq!(
            e(b"\"a\"\""),
            "invalid character '\"' after top-level value"
        );
        assert_eq!(
            e(b"\"a\\x\""),
            "invalid character 'x' in string escape code"
        );
        assert_eq!(e(b"\"a\nb\""), "invalid character '\\n' in string literal");
        assert_eq!(
            e(b"\"\\u12\""),
            "invalid character '\"' in \\u hexadecimal character escape"
        );
        assert_eq!(e(b"\"abc\\\""), "unexpected end of JSON input");
        assert_eq!(e(b"007"), "invalid character '0' after top-level value");
        assert_eq!(e(b"1."), "unexpected end of JSON input");
        assert_eq!(
            e(b"1.x"),
            "invalid character 'x' after decimal point in numeric literal"
        );
        assert_eq!(e(b"tru"), "unexpected end of JSON input");
        assert_eq!(
            e(b"trux"),
            "invalid character 'x' in literal true (expecting 'e')"
        );
        assert_eq!(
            e(b"1e400"),
            "json: cannot unmarshal number 1e400 into Go value of type float64"
        );
        assert_eq!(e(b"{\"a\" 1}"), "invalid character '1' after object key");
        assert_eq!(e(b"[1 2]"), "invalid character '2' after array element");
    }

    #[test]
    fn lossy_per_byte() {
        assert_eq!(lossy(b"a\xe2\x82Ab"), "a\u{fffd}\u{fffd}Ab");
    }
}
