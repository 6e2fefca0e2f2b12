//! Turning a typed line into a command: trimmed like upstream's `sed` does, the first
//! field picked like `awk '{ print $1 }'`, and the arguments split the way the ssh command
//! of `ssh dokku@host …` is split (xargs rules), never through a shell.

/// `[[:space:]]`.
fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0b' | '\x0c')
}

/// The line without leading and trailing whitespace.
pub fn trim(line: &str) -> &str {
    line.trim_matches(is_space)
}

/// The first blank-separated field (`awk '{ print $1 }'`), `""` for a blank line.
pub fn first_field(line: &str) -> &str {
    line.split([' ', '\t', '\n'])
        .find(|w| !w.is_empty())
        .unwrap_or("")
}

/// xargs quoting ([`dokku_common::words::split_xargs`]); an unterminated quote is an error.
pub fn split(line: &str) -> Result<Vec<String>, String> {
    dokku_common::words::split_xargs(line)
        .map_err(|u| format!("unmatched {} quote; nothing was run", u.kind()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trimming_and_first_field() {
        assert_eq!(trim(" \t apps:list x \r\n"), "apps:list x");
        assert_eq!(first_field("apps:list  x"), "apps:list");
        assert_eq!(first_field("\texit now"), "exit");
        assert_eq!(first_field(""), "");
    }

    #[test]
    fn splitting() {
        assert_eq!(
            split(r#"config:set web "A=b c" 'D="e"' F=g\ h"#).unwrap(),
            ["config:set", "web", "A=b c", r#"D="e""#, "F=g h"]
        );
        assert_eq!(split("a  b\tc").unwrap(), ["a", "b", "c"]);
        assert_eq!(split("a '' b").unwrap(), ["a", "", "b"]);
        assert_eq!(
            split("$(rm -rf /) `x` ; | &").unwrap(),
            ["$(rm", "-rf", "/)", "`x`", ";", "|", "&"]
        );
        assert_eq!(split("*").unwrap(), ["*"]);
        assert_eq!(
            split("a 'b").unwrap_err(),
            "unmatched single quote; nothing was run"
        );
        assert_eq!(
            split("a \"b").unwrap_err(),
            "unmatched double quote; nothing was run"
        );
    }
}
