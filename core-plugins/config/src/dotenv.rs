//! The ENV file format: what `github.com/joho/godotenv` v1.5.1 (the library upstream's config
//! plugin uses) reads and writes, so files move between upstream and dokku-rs unchanged.
//!
//! Writing ([`marshal`]) is byte-identical to upstream: one `KEY="escaped value"` line per key
//! (`KEY=N` for integers), lines sorted bytewise, a final newline. Two deliberate changes keep
//! every value round-tripping, where upstream loses data:
//! * a value that is an integer in non-canonical form (`007`, `+1`, `-0`) is quoted; upstream
//!   writes it through `strconv.Atoi`, turning `007` into `7`;
//! * in a double-quoted value, a `"` ends the value unless an odd number of backslashes precedes
//!   it, and only the opening and closing quotes are stripped. Upstream looks at one preceding
//!   byte and strips every quote at both ends, so values ending in `\` or `"` (which its own
//!   writer produces as `\\"` and `\""`) were misread. Both rules agree on everything else.
//!
//! Everything else follows the library, quirks included: `export ` prefixes, `KEY: value`,
//! comments, single-quoted raw values, unquoted values trimmed and cut at ` #`, and `$VAR`,
//! `${VAR}` expansion from keys defined earlier in the same file.

use std::collections::BTreeMap;
use std::fmt::Write;

/// The bytes `godotenv` escapes inside double quotes.
fn escape_double_quoted(value: &str, out: &mut String) {
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '"' => out.push_str("\\\""),
            '!' => out.push_str("\\!"),
            '$' => out.push_str("\\$"),
            '`' => out.push_str("\\`"),
            c => out.push(c),
        }
    }
}

/// Whether upstream would write the value bare: `strconv.Atoi` accepts it and printing the
/// number gives the value back.
fn is_canonical_int(value: &str) -> bool {
    value
        .parse::<i64>()
        .map(|n| n.to_string() == value)
        .unwrap_or(false)
}

/// One `KEY=...` line, without the newline.
pub fn line(key: &str, value: &str) -> String {
    let mut out = String::with_capacity(key.len() + value.len() + 3);
    out.push_str(key);
    out.push('=');
    if is_canonical_int(value) {
        out.push_str(value);
    } else {
        out.push('"');
        escape_double_quoted(value, &mut out);
        out.push('"');
    }
    out
}

/// The whole file: sorted lines joined by newlines, plus a final newline (an empty
/// environment is a file holding just `\n`, as upstream writes it).
pub fn marshal(env: &BTreeMap<String, String>) -> String {
    let mut lines: Vec<String> = env.iter().map(|(k, v)| line(k, v)).collect();
    // Upstream sorts the rendered lines, not the keys: `A1=` sorts before `A=`.
    lines.sort();
    let mut out = lines.join("\n");
    out.push('\n');
    out
}

/// Decode one rune like Go's `utf8.DecodeRune`: invalid input is U+FFFD, one byte wide.
fn rune_at(b: &[u8]) -> (char, usize) {
    let first = b[0];
    if first < 0x80 {
        return (first as char, 1);
    }
    let end = b.len().min(4);
    let valid = match std::str::from_utf8(&b[..end]) {
        Ok(s) => s,
        Err(e) => std::str::from_utf8(&b[..e.valid_up_to()]).unwrap_or(""),
    };
    match valid.chars().next() {
        Some(c) => (c, c.len_utf8()),
        None => ('\u{FFFD}', 1),
    }
}

/// godotenv's `isSpace`: blanks that are not line breaks.
fn is_blank(c: char) -> bool {
    matches!(
        c,
        '\t' | '\u{0B}' | '\u{0C}' | '\r' | ' ' | '\u{85}' | '\u{A0}'
    )
}

/// Go's `unicode.IsSpace` (the White_Space property; U+FFFD from bad input is not space).
fn is_go_space(c: char) -> bool {
    c.is_whitespace()
}

fn trim_left_runes(mut b: &[u8], pred: impl Fn(char) -> bool) -> &[u8] {
    while !b.is_empty() {
        let (c, w) = rune_at(b);
        if !pred(c) {
            break;
        }
        b = &b[w..];
    }
    b
}

/// Byte offset of the first rune matching `pred`.
fn index_rune(b: &[u8], pred: impl Fn(char) -> bool) -> Option<usize> {
    let mut i = 0;
    while i < b.len() {
        let (c, w) = rune_at(&b[i..]);
        if pred(c) {
            return Some(i);
        }
        i += w;
    }
    None
}

fn trim_right_str(s: &str, pred: impl Fn(char) -> bool) -> &str {
    s.trim_end_matches(pred)
}

/// Parse an ENV file. Later definitions of a key win.
pub fn parse(src: &[u8]) -> Result<BTreeMap<String, String>, String> {
    let src = replace_crlf(src);
    let mut out = BTreeMap::new();
    let mut cutset: &[u8] = &src;
    while let Some(start) = statement_start(cutset) {
        let (key, rest) = locate_key_name(start)?;
        let (value, rest) = extract_value(rest, &out)?;
        out.insert(key, value);
        match rest {
            Some(rest) => cutset = rest,
            None => break,
        }
    }
    Ok(out)
}

fn replace_crlf(src: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(src.len());
    let mut i = 0;
    while i < src.len() {
        if src[i] == b'\r' && src.get(i + 1) == Some(&b'\n') {
            out.push(b'\n');
            i += 2;
        } else {
            out.push(src[i]);
            i += 1;
        }
    }
    out
}

/// Skip whitespace and comment lines; `None` at the end of the input.
fn statement_start(mut src: &[u8]) -> Option<&[u8]> {
    loop {
        let pos = index_rune(src, |c| !is_go_space(c))?;
        src = &src[pos..];
        if src[0] != b'#' {
            return Some(src);
        }
        let nl = src.iter().position(|&b| b == b'\n')?;
        src = &src[nl..];
    }
}

/// A byte of a key as the library sees it: the byte value taken as a code point.
fn key_byte_ok(b: u8) -> bool {
    let c = b as char;
    c.is_alphabetic() || c.is_numeric() || c == '.'
}

fn locate_key_name(src: &[u8]) -> Result<(String, &[u8]), String> {
    let mut src = trim_left_runes(src, is_blank);
    if let Some(after) = src.strip_prefix(b"export") {
        if !after.is_empty() && is_blank(rune_at(after).0) {
            src = trim_left_runes(after, is_blank);
        }
    }
    let mut key: &[u8] = b"";
    let mut offset = 0;
    for (i, &b) in src.iter().enumerate() {
        // The library tests single bytes here, so 0x85 and 0xA0 count as blanks.
        if is_blank(b as char) {
            continue;
        }
        match b {
            b'=' | b':' => {
                key = &src[..i];
                offset = i + 1;
                break;
            }
            b'_' => {}
            _ if key_byte_ok(b) => {}
            _ => {
                let shown = (b as char).to_string();
                return Err(format!(
                    "unexpected character {} in variable name near {}",
                    go_quote(shown.as_bytes()),
                    go_quote(src)
                ));
            }
        }
    }
    if src.is_empty() {
        return Err("zero length string".to_string());
    }
    let key = String::from_utf8_lossy(key);
    let key = trim_right_str(&key, is_go_space).to_string();
    let rest = trim_left_runes(&src[offset..], is_blank);
    Ok((key, rest))
}

/// The value and what follows it (`None`: nothing follows).
fn extract_value<'a>(
    src: &'a [u8],
    vars: &BTreeMap<String, String>,
) -> Result<(String, Option<&'a [u8]>), String> {
    match src.first() {
        Some(&q) if q == b'"' || q == b'\'' => extract_quoted(src, q, vars),
        _ => Ok(extract_unquoted(src, vars)),
    }
}

fn extract_unquoted<'a>(
    src: &'a [u8],
    vars: &BTreeMap<String, String>,
) -> (String, Option<&'a [u8]>) {
    let end = match src.iter().position(|&b| b == b'\n' || b == b'\r') {
        Some(end) => end,
        None if src.is_empty() => return (String::new(), None),
        None => src.len(),
    };
    let line: Vec<char> = String::from_utf8_lossy(&src[..end]).chars().collect();
    if line.is_empty() {
        return (String::new(), Some(&src[end..]));
    }
    let mut end_of_var = line.len();
    // The last ` #` starts a comment.
    for i in (1..line.len()).rev() {
        if line[i] == '#' && is_blank(line[i - 1]) {
            end_of_var = i;
            break;
        }
    }
    let text: String = line[..end_of_var].iter().collect();
    let trimmed = text.trim_matches(is_blank);
    let value = expand_variables(trimmed.as_bytes(), vars);
    (
        String::from_utf8_lossy(&value).into_owned(),
        Some(&src[end..]),
    )
}

fn extract_quoted<'a>(
    src: &'a [u8],
    quote: u8,
    vars: &BTreeMap<String, String>,
) -> Result<(String, Option<&'a [u8]>), String> {
    for i in 1..src.len() {
        if src[i] != quote {
            continue;
        }
        if quote == b'"' {
            let backslashes = src[1..i].iter().rev().take_while(|&&b| b == b'\\').count();
            if backslashes % 2 == 1 {
                continue;
            }
            let value = expand_variables(&expand_escapes(&src[1..i]), vars);
            return Ok((
                String::from_utf8_lossy(&value).into_owned(),
                Some(&src[i + 1..]),
            ));
        }
        if src[i - 1] == b'\\' {
            continue;
        }
        // Single quotes: raw text; the library strips every quote at both ends.
        let mut inner = &src[..i];
        while let Some(rest) = inner.strip_suffix(b"'") {
            inner = rest;
        }
        while let Some(rest) = inner.strip_prefix(b"'") {
            inner = rest;
        }
        return Ok((
            String::from_utf8_lossy(inner).into_owned(),
            Some(&src[i + 1..]),
        ));
    }
    let end = src.iter().position(|&b| b == b'\n').unwrap_or(src.len());
    Err(format!(
        "unterminated quoted value {}",
        String::from_utf8_lossy(&src[..end])
    ))
}

/// `\n` and `\r` become line breaks, then a backslash before anything but `$` is dropped.
fn expand_escapes(s: &[u8]) -> Vec<u8> {
    // Pass 1: every backslash followed by a non-newline rune forms a pair.
    let mut pass1 = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        if s[i] == b'\\' && i + 1 < s.len() && s[i + 1] != b'\n' {
            let (_, w) = rune_at(&s[i + 1..]);
            match s[i + 1] {
                b'n' => pass1.push(b'\n'),
                b'r' => pass1.push(b'\r'),
                _ => pass1.extend_from_slice(&s[i..i + 1 + w]),
            }
            i += 1 + w;
        } else {
            pass1.push(s[i]);
            i += 1;
        }
    }
    // Pass 2: `\X` -> `X` for X != `$`.
    let mut out = Vec::with_capacity(pass1.len());
    let mut i = 0;
    while i < pass1.len() {
        if pass1[i] == b'\\' && i + 1 < pass1.len() && pass1[i + 1] != b'$' {
            out.push(pass1[i + 1]);
            i += 2;
        } else {
            out.push(pass1[i]);
            i += 1;
        }
    }
    out
}

fn is_var_byte(b: u8) -> bool {
    b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_'
}

/// The library's `(\\)?(\$)(\()?\{?([A-Z0-9_]+)?\}?` replacement: `\$...` loses its
/// backslash, `$NAME`/`${NAME}` becomes the value of an earlier key (empty if unknown).
fn expand_variables(s: &[u8], vars: &BTreeMap<String, String>) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        let escaped = s[i] == b'\\' && s.get(i + 1) == Some(&b'$');
        if !escaped && s[i] != b'$' {
            out.push(s[i]);
            i += 1;
            continue;
        }
        let start = i;
        let mut j = if escaped { i + 2 } else { i + 1 };
        if s.get(j) == Some(&b'(') {
            j += 1;
        }
        if s.get(j) == Some(&b'{') {
            j += 1;
        }
        let name_start = j;
        while j < s.len() && is_var_byte(s[j]) {
            j += 1;
        }
        let name = &s[name_start..j];
        if s.get(j) == Some(&b'}') {
            j += 1;
        }
        if escaped {
            out.extend_from_slice(&s[start + 1..j]);
        } else if !name.is_empty() {
            let name = String::from_utf8_lossy(name);
            if let Some(v) = vars.get(name.as_ref()) {
                out.extend_from_slice(v.as_bytes());
            }
        } else {
            out.extend_from_slice(&s[start..j]);
        }
        i = j;
    }
    out
}

/// Go's `%q` of a string given as bytes: [`dokku_common::text::go_quote`] for the valid
/// UTF-8 parts, `\xNN` for each byte that is not.
pub fn go_quote(b: &[u8]) -> String {
    let mut out = String::from("\"");
    for chunk in b.utf8_chunks() {
        let quoted = dokku_common::text::go_quote(chunk.valid());
        out.push_str(&quoted[1..quoted.len() - 1]);
        for byte in chunk.invalid() {
            let _ = write!(out, "\\x{byte:02x}");
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn parsed(src: &str) -> BTreeMap<String, String> {
        parse(src.as_bytes()).unwrap()
    }

    #[test]
    fn writes_like_godotenv() {
        let env = map(&[
            ("B", "two words"),
            ("A", "1"),
            ("A1", "x"),
            ("C", "q\"uo'te $HOME `cmd` bang! back\\slash\nnew\rcr"),
            ("D", ""),
            ("E", "-42"),
        ]);
        assert_eq!(
            marshal(&env),
            "A1=\"x\"\nA=1\nB=\"two words\"\nC=\"q\\\"uo'te \\$HOME \\`cmd\\` bang\\! back\\\\slash\\nnew\\rcr\"\nD=\"\"\nE=-42\n"
        );
        assert_eq!(marshal(&BTreeMap::new()), "\n");
    }

    #[test]
    fn integers_only_bare_when_canonical() {
        assert_eq!(line("K", "7"), "K=7");
        assert_eq!(line("K", "0"), "K=0");
        assert_eq!(line("K", "007"), "K=\"007\"");
        assert_eq!(line("K", "+1"), "K=\"+1\"");
        assert_eq!(line("K", "-0"), "K=\"-0\"");
        assert_eq!(
            line("K", "99999999999999999999"),
            "K=\"99999999999999999999\""
        );
        assert_eq!(line("K", " 1"), "K=\" 1\"");
    }

    #[test]
    fn round_trips_hostile_values() {
        let values = [
            "",
            "plain",
            "two  spaces ",
            " lead",
            "trail\\",
            "\\",
            "\\\\",
            "ends with quote\"",
            "\"",
            "\"\"",
            "\"quoted\"",
            "'single'",
            "'",
            "it's",
            "$",
            "$HOME",
            "${HOME}",
            "$(cmd)",
            "\\$HOME",
            "\\\\$x",
            "a=b=c",
            "line1\nline2\n",
            "\n",
            "cr\r\nlf",
            "tab\there",
            "unicodé ✓ 🚀",
            "back\\nslash-n",
            "#not a comment",
            "x #y",
            "`!`",
            "\\\"",
            "\\\"\\",
            "007",
            "12",
            "-3",
            "{\"type\": \"HS256\"}",
            "\u{85}nel\u{a0}",
        ];
        let mut env = BTreeMap::new();
        for (i, v) in values.iter().enumerate() {
            env.insert(format!("K{i}"), v.to_string());
        }
        let text = marshal(&env);
        assert_eq!(parse(text.as_bytes()).unwrap(), env, "{text}");
    }

    #[test]
    fn reads_upstream_styles() {
        assert_eq!(
            parsed("HI='ho'\nFoo='Bar'\n\nBaz='BOFF'"),
            map(&[("Baz", "BOFF"), ("Foo", "Bar"), ("HI", "ho")])
        );
        assert_eq!(parsed("export HI=\"h\\no\""), map(&[("HI", "h\no")]));
        assert_eq!(
            parsed("HI='ho'\nFOO=\"'\\nBAR=''\""),
            map(&[("HI", "ho"), ("FOO", "'\nBAR=''")])
        );
        assert_eq!(parsed("FOO='bar' "), map(&[("FOO", "bar")]));
        assert_eq!(
            parsed("# comment\n  export A=1 # trailing\nB : yaml\r\nC=  spaced out  \n"),
            map(&[("A", "1"), ("B", "yaml"), ("C", "spaced out")])
        );
        assert_eq!(
            parsed("A=x\nB=\"$A-${A}-\\$A\"\nC=$A$NOPE\nD='$A'"),
            map(&[("A", "x"), ("B", "x-x-$A"), ("C", "x"), ("D", "$A")])
        );
        assert_eq!(
            parsed("A=a#b\nB=\"c\" # note"),
            map(&[("A", "a#b"), ("B", "c")])
        );
        assert_eq!(parsed("A=\nB="), map(&[("A", ""), ("B", "")]));
        assert_eq!(parsed(""), BTreeMap::new());
        assert_eq!(parsed("\n"), BTreeMap::new());
        // Keys the plugin later drops still parse.
        assert_eq!(parsed("a.b=1\nA B=2"), map(&[("a.b", "1"), ("A B", "2")]));
    }

    #[test]
    fn upstream_written_edge_cases_read_as_meant() {
        // godotenv v1.5.1 writes these for `x\` and `say "hi"`, then cannot read them back.
        assert_eq!(
            parsed("A=\"x\\\\\"\nB=\"say \\\"hi\\\"\"\nC=1\n"),
            map(&[("A", "x\\"), ("B", "say \"hi\""), ("C", "1")])
        );
    }

    #[test]
    fn errors() {
        assert_eq!(
            parse(b"F\nOO='bar'").unwrap_err(),
            "unexpected character \"\\n\" in variable name near \"F\\nOO='bar'\""
        );
        assert_eq!(
            parse(b"FOO-BAR=1\n").unwrap_err(),
            "unexpected character \"-\" in variable name near \"FOO-BAR=1\\n\""
        );
        assert_eq!(
            parse(b"A=\"open\nB=1").unwrap_err(),
            "unterminated quoted value \"open"
        );
        // A key running to the end of the input without `=` becomes an empty key.
        assert_eq!(parsed("ABC"), map(&[("", "ABC")]));
    }

    #[test]
    fn quoting_like_go() {
        assert_eq!(
            go_quote(b"a\"b\\c\n\t\x01\x7f"),
            "\"a\\\"b\\\\c\\n\\t\\x01\\x7f\""
        );
        assert_eq!(
            go_quote("é\u{a0}\u{200b}".as_bytes()),
            "\"é\\u00a0\\u200b\""
        );
        assert_eq!(go_quote(b"\xff"), "\"\\xff\"");
    }
}
