//! The app's extracted `app.json`, read as upstream's app-json plugin reads it: JSON with
//! comments and trailing commas (tailscale's hujson, whose error messages are reproduced),
//! then decoded into Go structs with `encoding/json` semantics for the `cron` entries
//! (case-insensitive keys, `null` leaves a field alone, the first type mismatch is the error).

use std::path::PathBuf;

use dokku_common::text::go_quote_rune;
use dokku_common::{env, Paths};

/// One `cron` entry as Go decodes it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CronEntry {
    pub command: String,
    pub maintenance: bool,
    pub schedule: String,
    pub concurrency_policy: String,
}

/// A parsed JSON value, keeping object members in order (duplicates included).
#[derive(Debug, Clone, PartialEq)]
enum Json {
    Null,
    Bool(bool),
    Number(String),
    String(String),
    Array(Vec<Json>),
    Object(Vec<(String, Json)>),
}

impl Json {
    /// The word Go's `UnmarshalTypeError` uses for a value's kind.
    fn kind(&self) -> &'static str {
        match self {
            Json::Null => "null",
            Json::Bool(_) => "bool",
            Json::Number(_) => "number",
            Json::String(_) => "string",
            Json::Array(_) => "array",
            Json::Object(_) => "object",
        }
    }
}

// ---------------------------------------------------------------------------------------
// hujson parsing

struct Parser<'a> {
    b: &'a [u8],
}

/// A parse failure at a byte offset.
struct ParseErr {
    at: usize,
    msg: String,
}

type PResult<T> = Result<(T, usize), ParseErr>;

/// `invalid character <what> <where>` as hujson words it: the character quoted as Go's
/// `%q` when printable, else as `'\uXXXX'`, or `'\xNN'` for a byte that is not UTF-8.
fn invalid_char(b: &[u8], at: usize, place: &str) -> ParseErr {
    let rest = &b[at.min(b.len())..];
    let first = rest.utf8_chunks().next();
    let what = match first.and_then(|chunk| chunk.valid().chars().next()) {
        Some(c) => {
            let quoted = go_quote_rune(c);
            let printable = !quoted.contains('\\') || c == '\'' || c == '\\';
            if printable {
                quoted
            } else if (c as u32) <= 0xffff {
                format!("'\\u{:04x}'", c as u32)
            } else {
                format!("'\\U{:08x}'", c as u32)
            }
        }
        None => format!("'\\x{:02x}'", rest.first().copied().unwrap_or(0)),
    };
    ParseErr {
        at,
        msg: format!("invalid character {what} {place}"),
    }
}

fn eof(at: usize, context: &str) -> ParseErr {
    ParseErr {
        at,
        msg: format!("{context}: unexpected EOF"),
    }
}

const OBJECT_END: &str = "invalid character '}' at start of value";
const ARRAY_END: &str = "invalid character ']' at start of value";

impl<'a> Parser<'a> {
    /// Whitespace and comments.
    fn extra(&self, mut n: usize) -> Result<usize, ParseErr> {
        while n < self.b.len() {
            match self.b[n] {
                b' ' | b'\t' | b'\r' | b'\n' => n += 1,
                b'/' => {
                    let rest = &self.b[n..];
                    let (start, end): (&[u8], &[u8]) = if rest.starts_with(b"//") {
                        (b"//", b"\n")
                    } else if rest.starts_with(b"/*") {
                        (b"/*", b"*/")
                    } else {
                        return Ok(n);
                    };
                    let body = &rest[start.len()..];
                    let Some(i) = body.windows(end.len()).position(|w| w == end) else {
                        return Err(eof(n, "parsing comment"));
                    };
                    let len = start.len() + i + end.len();
                    if std::str::from_utf8(&rest[..len]).is_err() {
                        return Err(ParseErr {
                            at: n,
                            msg: "invalid UTF-8 in comment".to_string(),
                        });
                    }
                    n += len;
                }
                _ => return Ok(n),
            }
        }
        Ok(n)
    }

    /// A value with the whitespace and comments around it. On an error, the offset it
    /// happened at.
    fn next(&self, n: usize) -> PResult<Option<Json>> {
        let n = self.extra(n)?;
        let (v, n) = self.trimmed(n)?;
        let n = self.extra(n)?;
        Ok((Some(v), n))
    }

    fn trimmed(&self, n: usize) -> PResult<Json> {
        let b = self.b;
        if n == b.len() {
            return Err(eof(n, "parsing value"));
        }
        match b[n] {
            b'{' => {
                let mut n = n + 1;
                let mut members = Vec::new();
                loop {
                    let key_start = self.extra(n)?;
                    // A `}` where the name would start closes the object (trailing commas
                    // included); one met deeper inside the name is an error.
                    let (key, after) = match self.next(n) {
                        Ok(v) => v,
                        Err(e) if e.msg == OBJECT_END && e.at == key_start => {
                            return Ok((Json::Object(members), e.at + 1))
                        }
                        Err(e) => return Err(e),
                    };
                    let Some(Json::String(key)) = key else {
                        return Err(invalid_char(b, key_start, "at start of object name"));
                    };
                    n = after;
                    if n == b.len() {
                        return Err(eof(n, "parsing object after name"));
                    }
                    if b[n] != b':' {
                        return Err(invalid_char(b, n, "after object name"));
                    }
                    let (value, after) = self.next(n + 1)?;
                    n = after;
                    members.push((key, value.unwrap_or(Json::Null)));
                    if n == b.len() {
                        return Err(eof(n, "parsing object after value"));
                    }
                    match b[n] {
                        b',' => n += 1,
                        b'}' => return Ok((Json::Object(members), n + 1)),
                        _ => {
                            return Err(invalid_char(
                                b,
                                n,
                                "after object value (expecting ',' or '}')",
                            ))
                        }
                    }
                }
            }
            b'}' => Err(ParseErr {
                at: n,
                msg: OBJECT_END.to_string(),
            }),
            b'[' => {
                let mut n = n + 1;
                let mut items = Vec::new();
                loop {
                    let value_start = self.extra(n)?;
                    let (value, after) = match self.next(n) {
                        Ok(v) => v,
                        Err(e) if e.msg == ARRAY_END && e.at == value_start => {
                            return Ok((Json::Array(items), e.at + 1))
                        }
                        Err(e) => return Err(e),
                    };
                    n = after;
                    items.push(value.unwrap_or(Json::Null));
                    if n == b.len() {
                        return Err(eof(n, "parsing array after value"));
                    }
                    match b[n] {
                        b',' => n += 1,
                        b']' => return Ok((Json::Array(items), n + 1)),
                        _ => {
                            return Err(invalid_char(
                                b,
                                n,
                                "after array value (expecting ',' or ']')",
                            ))
                        }
                    }
                }
            }
            b']' => Err(ParseErr {
                at: n,
                msg: ARRAY_END.to_string(),
            }),
            b'"' => {
                let start = n;
                let mut i = n + 1;
                let mut escaped = false;
                loop {
                    if i == b.len() {
                        return Err(eof(i, "parsing string"));
                    }
                    if escaped {
                        escaped = false;
                    } else if b[i] == b'\\' {
                        escaped = true;
                    } else if b[i] == b'"' {
                        break;
                    }
                    i += 1;
                }
                let lit = &b[start..=i];
                match decode_string(lit) {
                    Some(s) => Ok((Json::String(s), i + 1)),
                    None => Err(ParseErr {
                        at: start,
                        msg: format!("invalid literal: {}", String::from_utf8_lossy(lit)),
                    }),
                }
            }
            _ => {
                let start = n;
                let mut i = n;
                while i < b.len()
                    && (b[i] == b'-'
                        || b[i] == b'+'
                        || b[i] == b'.'
                        || b[i].is_ascii_alphanumeric())
                {
                    i += 1;
                }
                let lit = &b[start..i];
                if lit.is_empty() {
                    return Err(invalid_char(b, start, "at start of value"));
                }
                let value = match lit {
                    b"null" => Json::Null,
                    b"true" => Json::Bool(true),
                    b"false" => Json::Bool(false),
                    _ if valid_number(lit) => {
                        Json::Number(String::from_utf8_lossy(lit).into_owned())
                    }
                    _ => {
                        return Err(ParseErr {
                            at: start,
                            msg: format!("invalid literal: {}", String::from_utf8_lossy(lit)),
                        })
                    }
                };
                Ok((value, i))
            }
        }
    }
}

/// The JSON number grammar.
fn valid_number(s: &[u8]) -> bool {
    let mut i = 0;
    if s.get(i) == Some(&b'-') {
        i += 1;
    }
    match s.get(i) {
        Some(b'0') => i += 1,
        Some(b'1'..=b'9') => {
            while s.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
        }
        _ => return false,
    }
    if s.get(i) == Some(&b'.') {
        i += 1;
        if !s.get(i).is_some_and(u8::is_ascii_digit) {
            return false;
        }
        while s.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
    }
    if matches!(s.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(s.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if !s.get(i).is_some_and(u8::is_ascii_digit) {
            return false;
        }
        while s.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
    }
    i == s.len()
}

/// A quoted JSON string literal's value, or `None` when it is not valid JSON (control
/// characters, bad escapes). Bad UTF-8 and lone surrogates become U+FFFD, as in Go.
fn decode_string(lit: &[u8]) -> Option<String> {
    let body = &lit[1..lit.len() - 1];
    let mut out: Vec<u8> = Vec::with_capacity(body.len());
    let mut i = 0;
    let hex4 = |at: usize| -> Option<u32> {
        let h = body.get(at..at + 4)?;
        u32::from_str_radix(std::str::from_utf8(h).ok()?, 16).ok()
    };
    while i < body.len() {
        let c = body[i];
        if c < 0x20 {
            return None;
        }
        if c != b'\\' {
            out.push(c);
            i += 1;
            continue;
        }
        let e = *body.get(i + 1)?;
        i += 2;
        let ch = match e {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let u = hex4(i)?;
                i += 4;
                if (0xd800..0xdc00).contains(&u) {
                    // A high surrogate needs its low half right after.
                    let low = if body.get(i) == Some(&b'\\') && body.get(i + 1) == Some(&b'u') {
                        hex4(i + 2).filter(|l| (0xdc00..0xe000).contains(l))
                    } else {
                        None
                    };
                    match low {
                        Some(l) => {
                            i += 6;
                            char::from_u32(0x10000 + ((u - 0xd800) << 10) + (l - 0xdc00))
                                .unwrap_or('\u{fffd}')
                        }
                        None => '\u{fffd}',
                    }
                } else {
                    char::from_u32(u).unwrap_or('\u{fffd}')
                }
            }
            _ => return None,
        };
        let mut buf = [0u8; 4];
        out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
    }
    Some(String::from_utf8_lossy(&out).into_owned())
}

/// `hujson.Parse`: the value, or the error text with its line and column.
fn parse_jsonc(b: &[u8]) -> Result<Json, String> {
    let p = Parser { b };
    let result = match p.next(0) {
        Ok((_, n)) if n < b.len() => Err(invalid_char(b, n, "after top-level value")),
        Ok((v, _)) => Ok(v.unwrap_or(Json::Null)),
        Err(e) => Err(e),
    };
    result.map_err(|e| {
        let at = e.at.min(b.len());
        let line = 1 + b[..at].iter().filter(|c| **c == b'\n').count();
        let col = 1 + at
            - b[..at]
                .iter()
                .rposition(|c| *c == b'\n')
                .map_or(0, |p| p + 1);
        format!("hujson: line {line}, column {col}: {}", e.msg)
    })
}

// ---------------------------------------------------------------------------------------
// Go decoding

/// Go's case folding for field names (ASCII, plus the Kelvin sign and the long s).
fn fold_eq(key: &str, field: &str) -> bool {
    let fold = |c: char| match c {
        '\u{212a}' => 'k',
        '\u{17f}' => 's',
        c => c.to_ascii_lowercase(),
    };
    key.chars().map(fold).eq(field.chars().map(fold))
}

/// The first type mismatch, as Go's `UnmarshalTypeError` prints it.
#[derive(Default)]
struct Decoder {
    error: Option<String>,
}

impl Decoder {
    fn mismatch(&mut self, value: &Json, strukt: &str, field: &str, go_type: &str) {
        if self.error.is_none() {
            self.error = Some(format!(
                "json: cannot unmarshal {} into Go struct field {strukt}.{field} of type {go_type}",
                value.kind()
            ));
        }
    }

    fn string(&mut self, value: &Json, slot: &mut String, strukt: &str, field: &str) {
        match value {
            Json::String(s) => *slot = s.clone(),
            Json::Null => {}
            other => self.mismatch(other, strukt, field, "string"),
        }
    }

    fn boolean(&mut self, value: &Json, slot: &mut bool, strukt: &str, field: &str) {
        match value {
            Json::Bool(v) => *slot = *v,
            Json::Null => {}
            other => self.mismatch(other, strukt, field, "bool"),
        }
    }

    fn cron_entry(&mut self, value: &Json, slot: &mut CronEntry) {
        let members = match value {
            Json::Object(m) => m,
            Json::Null => return,
            other => return self.mismatch(other, "AppJSON", "cron", "appjson.CronTask"),
        };
        for (key, v) in members {
            if fold_eq(key, "command") {
                self.string(v, &mut slot.command, "CronTask", "cron.command");
            } else if fold_eq(key, "maintenance") {
                self.boolean(v, &mut slot.maintenance, "CronTask", "cron.maintenance");
            } else if fold_eq(key, "schedule") {
                self.string(v, &mut slot.schedule, "CronTask", "cron.schedule");
            } else if fold_eq(key, "concurrency_policy") {
                self.string(
                    v,
                    &mut slot.concurrency_policy,
                    "CronTask",
                    "cron.concurrency_policy",
                );
            }
        }
    }

    fn cron(&mut self, value: &Json, slot: &mut Option<Vec<CronEntry>>) {
        let items = match value {
            Json::Array(items) => items,
            Json::Null => {
                *slot = None;
                return;
            }
            other => return self.mismatch(other, "AppJSON", "cron", "[]appjson.CronTask"),
        };
        // Go decodes into the existing elements, then truncates.
        let list = slot.get_or_insert_with(Vec::new);
        for (i, item) in items.iter().enumerate() {
            if i >= list.len() {
                list.push(CronEntry::default());
            }
            self.cron_entry(item, &mut list[i]);
        }
        list.truncate(items.len());
    }

    /// The other top-level fields are only checked for their kind.
    fn other_field(&mut self, value: &Json, field: &str, go_type: &str, want_object: bool) {
        let ok = match value {
            Json::Null => true,
            Json::Object(_) => want_object,
            Json::Array(_) => !want_object,
            _ => false,
        };
        if !ok {
            self.mismatch(value, "AppJSON", field, go_type);
        }
    }
}

const SCRIPTS_TYPE: &str = "struct { Dokku struct { Predeploy string \"json:\\\"predeploy\\\"\"; Postdeploy string \"json:\\\"postdeploy\\\"\" } \"json:\\\"dokku\\\"\"; Postdeploy string \"json:\\\"postdeploy\\\"\" }";

/// `json.Unmarshal(…, &AppJSON{})`, keeping the `cron` list (`None` when absent or null).
fn decode(value: &Json) -> Result<Option<Vec<CronEntry>>, String> {
    let members = match value {
        Json::Object(m) => m,
        Json::Null => return Ok(None),
        other => {
            return Err(format!(
                "json: cannot unmarshal {} into Go value of type appjson.AppJSON",
                other.kind()
            ))
        }
    };
    let mut d = Decoder::default();
    let mut cron = None;
    for (key, v) in members {
        if fold_eq(key, "cron") {
            d.cron(v, &mut cron);
        } else if fold_eq(key, "buildpacks") {
            d.other_field(v, "buildpacks", "[]appjson.Buildpack", false);
        } else if fold_eq(key, "env") {
            d.other_field(v, "env", "map[string]appjson.EnvVarValue", true);
        } else if fold_eq(key, "formation") {
            d.other_field(v, "formation", "map[string]appjson.Formation", true);
        } else if fold_eq(key, "healthchecks") {
            d.other_field(v, "healthchecks", "map[string][]appjson.Healthcheck", true);
        } else if fold_eq(key, "scripts") {
            d.other_field(v, "scripts", SCRIPTS_TYPE, true);
        }
    }
    match d.error {
        Some(e) => Err(e),
        None => Ok(cron),
    }
}

/// `ReadAppJSON` for the cron entries: `Ok(None)` when there is no `cron` key.
pub fn read_cron(bytes: &[u8]) -> Result<Option<Vec<CronEntry>>, String> {
    if String::from_utf8_lossy(bytes).trim().is_empty() {
        return Ok(None);
    }
    let value = parse_jsonc(bytes).map_err(|e| format!("Cannot parse app.json as jsonc: {e}"))?;
    decode(&value).map_err(|e| format!("Cannot parse app.json: {e}"))
}

/// Go's wording of common file errors (`open <path>: permission denied`).
fn go_io_error(op: &str, path: &std::path::Path, e: &std::io::Error) -> String {
    let text = match e.raw_os_error() {
        Some(2) => "no such file or directory".to_string(),
        Some(13) => "permission denied".to_string(),
        Some(20) => "not a directory".to_string(),
        Some(21) => "is a directory".to_string(),
        Some(40) => "too many levels of symbolic links".to_string(),
        _ => e.to_string(),
    };
    format!("{op} {}: {text}", path.display())
}

/// `data/app-json/<app>/app.json`, or the per-deploy `app.json.<DOKKU_PID>` when present.
fn app_json_path(app: &str) -> (PathBuf, String) {
    let base = Paths::from_env()
        .app_data_dir("app-json", app)
        .join("app.json");
    let pid = env::var("DOKKU_PID").unwrap_or_default();
    (base, pid)
}

fn is_file(path: &std::path::Path) -> bool {
    std::fs::metadata(path)
        .map(|m| !m.is_dir())
        .unwrap_or(false)
}

/// `GetAppJSON(app)` for the cron entries: nothing when the app has no app.json.
pub fn app_cron(app: &str) -> Result<Option<Vec<CronEntry>>, String> {
    let (base, pid) = app_json_path(app);
    let with_pid = |suffix: &str| {
        let mut name = base.clone().into_os_string();
        name.push(format!(".{pid}{suffix}"));
        PathBuf::from(name)
    };
    if is_file(&with_pid(".missing")) {
        return Ok(None);
    }
    let path = if is_file(&with_pid("")) {
        with_pid("")
    } else if is_file(&base) {
        base
    } else {
        return Ok(None);
    };
    read_file_cron(&path)
}

/// `ReadAppJSON(path)` for the cron entries.
pub fn read_file_cron(path: &std::path::Path) -> Result<Option<Vec<CronEntry>>, String> {
    let bytes = std::fs::read(path).map_err(|e| {
        let op = if e.raw_os_error() == Some(21) {
            "read"
        } else {
            "open"
        };
        format!("Cannot read app.json file: {}", go_io_error(op, path, &e))
    })?;
    read_cron(&bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cron(s: &str) -> Result<Option<Vec<CronEntry>>, String> {
        read_cron(s.as_bytes())
    }

    #[test]
    fn jsonc_with_comments_and_trailing_commas() {
        let got = cron(
            "// leading\n{\n  /* block */ \"cron\": [\n    {\"command\": \"a\", \"schedule\": \"@daily\",},\n  ],\n}\n",
        )
        .unwrap()
        .unwrap();
        assert_eq!(
            got,
            vec![CronEntry {
                command: "a".into(),
                schedule: "@daily".into(),
                ..CronEntry::default()
            }]
        );
        assert_eq!(cron("  \n").unwrap(), None);
        assert_eq!(cron("{}").unwrap(), None);
        assert_eq!(cron("null").unwrap(), None);
        assert_eq!(cron("{\"cron\": null}").unwrap(), None);
        assert_eq!(cron("{\"cron\": []}").unwrap(), Some(vec![]));
        // Keys match case-insensitively; later duplicates win.
        let got =
            cron("{\"CRON\": [{\"Command\": \"x\", \"command\": \"y\", \"MAINTENANCE\": true}]}")
                .unwrap()
                .unwrap();
        assert_eq!(got[0].command, "y");
        assert!(got[0].maintenance);
    }

    #[test]
    fn hujson_errors() {
        let cases = [
            ("{", "hujson: line 1, column 2: parsing value: unexpected EOF"),
            ("{\"a\" 1}", "hujson: line 1, column 6: invalid character '1' after object name"),
            ("{\"a\": 1 \"b\"}", "hujson: line 1, column 9: invalid character '\"' after object value (expecting ',' or '}')"),
            ("[1 2]", "hujson: line 1, column 4: invalid character '2' after array value (expecting ',' or ']')"),
            ("{\n  \"a\": tru\n}", "hujson: line 2, column 8: invalid literal: tru"),
            ("{} x", "hujson: line 1, column 4: invalid character 'x' after top-level value"),
            ("{1: 2}", "hujson: line 1, column 2: invalid character '1' at start of object name"),
            ("{\"a\": }", "hujson: line 1, column 7: invalid character '}' at start of value"),
            ("[,]", "hujson: line 1, column 2: invalid character ',' at start of value"),
            ("\"abc", "hujson: line 1, column 5: parsing string: unexpected EOF"),
            ("\"a\\x\"", "hujson: line 1, column 1: invalid literal: \"a\\x\""),
            ("/* open", "hujson: line 1, column 1: parsing comment: unexpected EOF"),
            ("{\"a\": 1", "hujson: line 1, column 8: parsing object after value: unexpected EOF"),
            ("[1", "hujson: line 1, column 3: parsing array after value: unexpected EOF"),
            ("{\"a\"", "hujson: line 1, column 5: parsing object after name: unexpected EOF"),
            ("01", "hujson: line 1, column 1: invalid literal: 01"),
            ("{[}", "hujson: line 1, column 3: invalid character '}' at start of value"),
            ("{\"a\": 1}\u{1}", "hujson: line 1, column 9: invalid character '\\u0001' after top-level value"),
            ("[\u{e9}]", "hujson: line 1, column 2: invalid character '\u{e9}' at start of value"),
        ];
        for (input, want) in cases {
            assert_eq!(
                cron(input).unwrap_err(),
                format!("Cannot parse app.json as jsonc: {want}"),
                "{input}"
            );
        }
    }

    #[test]
    fn go_type_errors() {
        let cases = [
            ("[]", "json: cannot unmarshal array into Go value of type appjson.AppJSON"),
            ("{\"cron\": \"x\"}", "json: cannot unmarshal string into Go struct field AppJSON.cron of type []appjson.CronTask"),
            ("{\"cron\": [1]}", "json: cannot unmarshal number into Go struct field AppJSON.cron of type appjson.CronTask"),
            ("{\"cron\": [{\"command\": 1}]}", "json: cannot unmarshal number into Go struct field CronTask.cron.command of type string"),
            ("{\"cron\": [{\"maintenance\": \"true\"}]}", "json: cannot unmarshal string into Go struct field CronTask.cron.maintenance of type bool"),
            ("{\"formation\": [], \"cron\": 1}", "json: cannot unmarshal array into Go struct field AppJSON.formation of type map[string]appjson.Formation"),
        ];
        for (input, want) in cases {
            assert_eq!(
                cron(input).unwrap_err(),
                format!("Cannot parse app.json: {want}"),
                "{input}"
            );
        }
    }

    #[test]
    fn strings() {
        assert_eq!(decode_string(b"\"a\\u00e9\\n\"").unwrap(), "a\u{e9}\n");
        assert_eq!(decode_string(b"\"\\ud83d\\ude00\"").unwrap(), "\u{1f600}");
        assert_eq!(decode_string(b"\"\\ud83d\"").unwrap(), "\u{fffd}");
        assert!(decode_string(b"\"a\tb\"").is_none());
        assert!(valid_number(b"-0.5e+10"));
        assert!(!valid_number(b"1."));
        assert!(!valid_number(b"+1"));
    }
}
