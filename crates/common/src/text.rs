//! Text formatting shared by help and reports, matching the Go helpers dokku uses.

use std::collections::BTreeMap;
use std::fmt::Write;

/// bash's `$(cmd)`: the command's stdout without trailing newlines; empty when it cannot run
/// (the caller has set up its arguments, stdin and stderr).
pub fn command_substitution(cmd: &mut std::process::Command) -> String {
    cmd.output()
        .map(|o| {
            String::from_utf8_lossy(&o.stdout)
                .trim_end_matches('\n')
                .to_string()
        })
        .unwrap_or_default()
}

/// Format lines split on `delim` into aligned columns, as `ryanuber/columnize` does with
/// dokku's settings: fields are whitespace-trimmed, every column but a line's last is padded
/// to the widest field of that column, columns are glued with two spaces, `prefix` starts
/// every line (empty lines included) and there is no final newline.
pub fn columnize<S: AsRef<str>>(lines: &[S], delim: &str, prefix: &str) -> String {
    let rows: Vec<Vec<&str>> = lines
        .iter()
        .map(|l| l.as_ref().split(delim).map(str::trim).collect())
        .collect();
    // Widths count characters, as Go's runeLen does (`{:<w$}` pads by characters too).
    let mut widths: Vec<usize> = Vec::new();
    for row in &rows {
        for (i, field) in row.iter().enumerate() {
            let len = field.chars().count();
            if widths.len() <= i {
                widths.push(len);
            } else if widths[i] < len {
                widths[i] = len;
            }
        }
    }
    let mut out = String::new();
    for row in &rows {
        out.push_str(prefix);
        for (i, field) in row.iter().enumerate() {
            if i + 1 == row.len() {
                out.push_str(field);
                out.push('\n');
            } else {
                let _ = write!(out, "{:<width$}  ", field, width = widths[i]);
            }
        }
    }
    if out.ends_with('\n') {
        out.pop();
    }
    out
}

/// util-linux `column -t -s<delim>` (what bash plugins pipe their help through): cells split
/// on every delimiter, empty lines dropped, every column but the last padded to its widest cell,
/// columns joined by two spaces; rows with fewer cells are padded as if the missing ones were
/// empty.
pub fn column_table<S: AsRef<str>>(lines: &[S], delim: char) -> Vec<String> {
    let rows: Vec<Vec<&str>> =
        lines.iter().map(AsRef::as_ref).filter(|l| !l.is_empty()).map(|l| l.split(delim).collect()).collect();
    let ncols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut widths = vec![0; ncols];
    for row in &rows {
        for (i, cell) in row.iter().enumerate() {
            widths[i] = widths[i].max(cell.chars().count());
        }
    }
    rows.iter()
        .map(|row| {
            let mut out = String::new();
            for (i, width) in widths.iter().enumerate() {
                let cell = row.get(i).copied().unwrap_or("");
                out.push_str(cell);
                if i + 1 < ncols {
                    out.extend(std::iter::repeat_n(' ', width - cell.chars().count() + 2));
                }
            }
            out
        })
        .collect()
}

/// Uppercase the first character (Go's `UcFirst`).
pub fn uc_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Append `s` as a JSON string the way Go's `encoding/json` writes it (HTML-safe escapes).
pub fn push_go_json_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// `s` quoted as Go's `strconv.Quote` does: `"`, `\\` and non-printable characters escaped
/// (`\n`, `\x7f`, `\u00a0`, …), printable Unicode kept as is.
pub fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        push_go_quoted_char(&mut out, c, '"');
    }
    out.push('"');
    out
}

/// A character quoted as Go's `strconv.QuoteRune` (`%q` of a rune) does: `'x'`, `'\''`.
pub fn go_quote_rune(c: char) -> String {
    let mut out = String::from("'");
    push_go_quoted_char(&mut out, c, '\'');
    out.push('\'');
    out
}

fn push_go_quoted_char(out: &mut String, c: char, quote: char) {
    match c {
        '\\' => out.push_str("\\\\"),
        c if c == quote => {
            out.push('\\');
            out.push(c);
        }
        c if go_is_print(c) => out.push(c),
        '\u{7}' => out.push_str("\\a"),
        '\u{8}' => out.push_str("\\b"),
        '\u{c}' => out.push_str("\\f"),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        '\u{b}' => out.push_str("\\v"),
        c if (c as u32) < 0x20 || c == '\u{7f}' => {
            let _ = write!(out, "\\x{:02x}", c as u32);
        }
        c if (c as u32) < 0x10000 => {
            let _ = write!(out, "\\u{:04x}", c as u32);
        }
        c => {
            let _ = write!(out, "\\U{:08x}", c as u32);
        }
    }
}

/// An approximation of Go's `unicode.IsPrint` without the Unicode category tables: ASCII
/// space counts, other whitespace, controls, common format characters, private-use and
/// non-characters do not.
fn go_is_print(c: char) -> bool {
    let u = c as u32;
    if c == ' ' {
        return true;
    }
    if c.is_control() || c.is_whitespace() {
        return false;
    }
    let format = matches!(u, 0xad | 0x600..=0x605 | 0x61c | 0x6dd | 0x70f | 0x180e
        | 0x200b..=0x200f | 0x202a..=0x202e | 0x2060..=0x2064 | 0x2066..=0x206f
        | 0xfeff | 0xfff9..=0xfffb | 0xe0001 | 0xe0020..=0xe007f);
    let private = matches!(u, 0xe000..=0xf8ff | 0xf0000..=0x10ffff);
    let nonchar = matches!(u, 0xfdd0..=0xfdef) || (u & 0xfffe) == 0xfffe;
    !(format || private || nonchar)
}

/// A flat string map as Go's `json.Marshal(map[string]string)` prints it: keys sorted
/// bytewise, compact, HTML-safe escapes.
pub fn go_json_object(map: &BTreeMap<String, String>) -> String {
    let mut out = String::from("{");
    for (i, (k, v)) in map.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_go_json_string(&mut out, k);
        out.push(':');
        push_go_json_string(&mut out, v);
    }
    out.push('}');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columnize_like_go() {
        let lines = [
            "",
            "    ps:inspect <app>, Displays a thing",
            "    ps:set <app> <key> <value>, Set",
            "",
        ];
        assert_eq!(
            columnize(&lines, ",", "    "),
            "    \n    ps:inspect <app>            Displays a thing\n    ps:set <app> <key> <value>  Set\n    "
        );
        assert_eq!(columnize(&["a,b,c", "dd,e"], ",", ""), "a   b  c\ndd  e");
        assert_eq!(columnize::<&str>(&[], ",", "  "), "");
    }

    #[test]
    fn quoting_like_go() {
        assert_eq!(go_quote("http:80"), "\"http:80\"");
        assert_eq!(go_quote(""), "\"\"");
        assert_eq!(go_quote("a\"b\\c"), "\"a\\\"b\\\\c\"");
        assert_eq!(
            go_quote("\t\n\u{1}\u{7f}é\u{a0}\u{10ffff}"),
            "\"\\t\\n\\x01\\x7fé\\u00a0\\U0010ffff\""
        );
        assert_eq!(go_quote_rune('x'), "'x'");
        assert_eq!(go_quote_rune('\''), "'\\''");
        assert_eq!(go_quote_rune('"'), "'\"'");
    }

    #[test]
    fn columnize_counts_characters() {
        assert_eq!(columnize(&["é:1", "ab:2"], ":", ""), "é   1\nab  2");
    }

    #[test]
    fn ucfirst() {
        assert_eq!(uc_first("ps restart policy:"), "Ps restart policy:");
        assert_eq!(uc_first(""), "");
        assert_eq!(uc_first("émile"), "Émile");
    }

    #[test]
    fn json_like_go() {
        let mut m = BTreeMap::new();
        m.insert(
            "b".to_string(),
            "x<y>&\"\\\n\u{1}\u{7f}é\u{2028}".to_string(),
        );
        m.insert("a".to_string(), String::new());
        assert_eq!(
            go_json_object(&m),
            "{\"a\":\"\",\"b\":\"x\\u003cy\\u003e\\u0026\\\"\\\\\\n\\u0001\u{7f}é\\u2028\"}"
        );
        assert_eq!(go_json_object(&BTreeMap::new()), "{}");
    }

    #[test]
    fn column_table_matches_util_linux() {
        // Reference output produced by util-linux 2.38.1 `column -c2 -t -s,`.
        let input = ["    apps, Manage apps", "    cleanup, Cleans up, extra", "    x,y", "    longer-name-here, d", "", "    ,empty first", "    a,,b"];
        assert_eq!(
            column_table(&input, ','),
            vec![
                "    apps               Manage apps  ",
                "    cleanup            Cleans up     extra",
                "    x                 y             ",
                "    longer-name-here   d            ",
                "                      empty first   ",
                "    a                               b",
            ]
        );
    }
}
