//! JSON as Go's `encoding/json` writes it: serde's field order and layout, plus Go's
//! HTML-safe escapes (`<`, `>`, `&`, U+2028, U+2029), which can only occur inside strings.

use serde::Serialize;

fn go_escape(json: String) -> String {
    if !json.contains(['<', '>', '&', '\u{2028}', '\u{2029}']) {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        match c {
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out
}

/// `json.Marshal`.
pub fn compact<T: Serialize + ?Sized>(value: &T) -> String {
    go_escape(serde_json::to_string(value).unwrap_or_default())
}

/// `json.MarshalIndent(v, "", "  ")`.
pub fn indent<T: Serialize + ?Sized>(value: &T) -> String {
    go_escape(serde_json::to_string_pretty(value).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn escapes_like_go() {
        let mut m = BTreeMap::new();
        m.insert("k<".to_string(), "a&b>\u{2028}\n".to_string());
        assert_eq!(compact(&m), r#"{"k\u003c":"a\u0026b\u003e\u2028\n"}"#);
        assert_eq!(
            indent(&m),
            "{\n  \"k\\u003c\": \"a\\u0026b\\u003e\\u2028\\n\"\n}"
        );
        assert_eq!(indent(&Vec::<String>::new()), "[]");
    }
}
