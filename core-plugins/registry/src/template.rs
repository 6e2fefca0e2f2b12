//! The part of Go's `text/template` an `image-repo-template` uses: text with `{{.AppName}}`
//! actions (trim markers `{{-`/`-}}`, comments `{{/* */}}`, string literals and `{{.}}`
//! also work). Other actions fail with a message in the style of Go's.

/// Render `template` for `app`, or the error text Go's parser/executor would give.
pub fn render(template: &str, app: &str) -> Result<String, String> {
    let mut out = String::new();
    let mut rest = template;
    let mut offset = 0;
    while let Some(open) = rest.find("{{") {
        let mut text = &rest[..open];
        let mut body_start = open + 2;
        let trim_left = rest[body_start..].starts_with("- ")
            || rest[body_start..].starts_with("-\t")
            || rest[body_start..].starts_with("-\n");
        if trim_left {
            text = text.trim_end_matches([' ', '\t', '\r', '\n']);
            body_start += 1;
        }
        out.push_str(text);
        let Some(close_rel) = find_close(&rest[body_start..]) else {
            return Err(format!(
                "template: template:{}: unclosed action",
                line_of(template, offset + open)
            ));
        };
        let mut body = &rest[body_start..body_start + close_rel];
        let mut after = body_start + close_rel + 2;
        let trim_right = body.ends_with(" -") || body.ends_with("\t-") || body.ends_with("\n-");
        if trim_right {
            body = &body[..body.len() - 1];
        }
        let action_offset = offset + body_start + (body.len() - body.trim_start().len());
        out.push_str(&action(body.trim(), app, template, action_offset)?);
        if trim_right {
            let skipped = rest[after..].len()
                - rest[after..]
                    .trim_start_matches([' ', '\t', '\r', '\n'])
                    .len();
            after += skipped;
        }
        offset += after;
        rest = &rest[after..];
    }
    out.push_str(rest);
    Ok(out)
}

/// The `}}` closing an action, skipping string literals and comments.
fn find_close(s: &str) -> Option<usize> {
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    if bytes[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
            }
            b'`' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'`' {
                    i += 1;
                }
            }
            b'/' if s[i..].starts_with("/*") => {
                i = s[i..].find("*/").map(|p| i + p + 1)?;
            }
            b'}' if s[i..].starts_with("}}") => return Some(i),
            _ => {}
        }
        i += 1;
    }
    None
}

fn line_of(template: &str, offset: usize) -> usize {
    1 + template[..offset.min(template.len())].matches('\n').count()
}

fn col_of(template: &str, offset: usize) -> usize {
    let before = &template[..offset.min(template.len())];
    offset - before.rfind('\n').map_or(0, |p| p + 1)
}

fn action(body: &str, app: &str, template: &str, offset: usize) -> Result<String, String> {
    let line = line_of(template, offset);
    if body.starts_with("/*") {
        if body.ends_with("*/") {
            return Ok(String::new());
        }
        return Err(format!(
            "template: template:{line}: comment ends before closing delimiter"
        ));
    }
    if body.is_empty() {
        return Err(format!(
            "template: template:{line}: missing value for command"
        ));
    }
    if body == "." {
        return Ok(format!("{{{app}}}"));
    }
    if body == ".AppName" {
        return Ok(app.to_string());
    }
    if let Some(field) = body.strip_prefix('.') {
        if !field.is_empty() && field.chars().all(|c| c.is_alphanumeric() || c == '_') {
            return Err(format!(
                "template: template:{line}:{}: executing \"template\" at <.{field}>: can't evaluate field {field} in type registry.templateData",
                col_of(template, offset)
            ));
        }
    }
    if body.len() >= 2 && body.starts_with('`') && body.ends_with('`') {
        return Ok(body[1..body.len() - 1].to_string());
    }
    if body.len() >= 2 && body.starts_with('"') && body.ends_with('"') {
        if let Ok(serde_json::Value::String(s)) = serde_json::from_str::<serde_json::Value>(body) {
            return Ok(s);
        }
    }
    if !body.is_empty() && body.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(body.trim_start_matches('0').to_string()).map(|s| {
            if s.is_empty() {
                "0".to_string()
            } else {
                s
            }
        });
    }
    let word = body.split_whitespace().next().unwrap_or(body);
    if word.chars().all(|c| c.is_alphanumeric() || c == '_') {
        return Err(format!(
            "template: template:{line}: function {word:?} not defined"
        ));
    }
    Err(format!(
        "template: template:{line}: unsupported action {{{{{body}}}}} in image-repo-template"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders() {
        assert_eq!(
            render("registry/{{.AppName}}", "web").unwrap(),
            "registry/web"
        );
        assert_eq!(render("r/{{ .AppName }}-x", "web").unwrap(), "r/web-x");
        assert_eq!(render("a  {{- .AppName -}}  b", "web").unwrap(), "awebb");
        assert_eq!(render("a{{/* c */}}b", "web").unwrap(), "ab");
        assert_eq!(render("{{\"x\"}}/{{`y`}}", "web").unwrap(), "x/y");
        assert_eq!(render("{{.}}", "web").unwrap(), "{web}");
        assert_eq!(render("plain", "web").unwrap(), "plain");
        assert_eq!(render("a-{{3}}", "web").unwrap(), "a-3");
    }

    #[test]
    fn errors() {
        assert_eq!(
            render("x/{{.Foo}}", "web").unwrap_err(),
            "template: template:1:4: executing \"template\" at <.Foo>: can't evaluate field Foo in type registry.templateData"
        );
        assert_eq!(
            render("{{.AppName", "web").unwrap_err(),
            "template: template:1: unclosed action"
        );
        assert_eq!(
            render("{{foo}}", "web").unwrap_err(),
            "template: template:1: function \"foo\" not defined"
        );
    }
}
