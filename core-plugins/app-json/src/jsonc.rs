//! JSON with comments and trailing commas (what upstream's `hujson` accepts), turned into
//! standard JSON: comments become spaces and trailing commas are dropped, so positions in
//! error messages stay those of the original text.

/// Standardize `input`; an unterminated block comment is an error.
pub fn standardize(input: &str) -> Result<String, String> {
    let bytes = input.as_bytes();
    let mut out = bytes.to_vec();
    let mut i = 0;
    // Index in `out` of the last comma outside strings, cleared by any other token.
    let mut pending_comma: Option<usize> = None;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                pending_comma = None;
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    if bytes[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
                i += 1;
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    out[i] = b' ';
                    i += 1;
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                let start = i;
                let Some(end) = input[i + 2..].find("*/").map(|p| i + 2 + p + 2) else {
                    let (line, col) = position(input, start);
                    return Err(format!(
                        "hujson: line {line}, column {col}: unterminated block comment"
                    ));
                };
                for b in out.iter_mut().take(end).skip(start) {
                    if *b != b'\n' {
                        *b = b' ';
                    }
                }
                i = end;
            }
            b',' => {
                pending_comma = Some(i);
                i += 1;
            }
            b'}' | b']' => {
                if let Some(c) = pending_comma.take() {
                    out[c] = b' ';
                }
                i += 1;
            }
            b' ' | b'\t' | b'\r' | b'\n' => i += 1,
            _ => {
                pending_comma = None;
                i += 1;
            }
        }
    }
    // Only ASCII bytes were replaced by spaces, so the text is still UTF-8.
    String::from_utf8(out).map_err(|e| e.to_string())
}

fn position(input: &str, offset: usize) -> (usize, usize) {
    let before = &input[..offset];
    let line = 1 + before.matches('\n').count();
    let col = offset - before.rfind('\n').map_or(0, |p| p + 1) + 1;
    (line, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_and_commas() {
        let out = standardize("{\n // c\n \"a\": [1, 2,], /* x */ \"b\": \"//,}\",\n}").unwrap();
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v, serde_json::json!({"a": [1, 2], "b": "//,}"}));
        assert_eq!(
            out.len(),
            "{\n // c\n \"a\": [1, 2,], /* x */ \"b\": \"//,}\",\n}".len()
        );
        assert!(standardize("{/* x").is_err());
        assert_eq!(standardize("[1,]").unwrap(), "[1 ]");
        assert_eq!(standardize("\"a\\\",\"").unwrap(), "\"a\\\",\"");
    }
}
