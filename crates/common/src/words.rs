//! Splitting a command line into words the way `xargs` does, for the ssh forced command and
//! the interactive shell: user input becomes an argv array and never reaches a shell.

/// An unterminated quote: `xargs` refuses the whole line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unmatched {
    /// `'` or `"`.
    pub quote: char,
}

impl Unmatched {
    /// `single` or `double`, as xargs words it.
    pub fn kind(&self) -> &'static str {
        if self.quote == '\'' {
            "single"
        } else {
            "double"
        }
    }
}

/// Blanks (space, tab, newline) separate words; single and double quotes group literally
/// (no escapes inside, and a newline inside ends the line unmatched); a backslash outside
/// quotes takes the next character literally.
pub fn split_xargs(input: &str) -> Result<Vec<String>, Unmatched> {
    match split_xargs_partial(input) {
        (words, None) => Ok(words),
        (_, Some(unmatched)) => Err(unmatched),
    }
}

/// Like [`split_xargs`], but an unterminated quote keeps the words before it, as `xargs`
/// still runs its command with them before failing (the word holding the quote is lost).
pub fn split_xargs_partial(input: &str) -> (Vec<String>, Option<Unmatched>) {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = input.chars();
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' | '\n' => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            '\'' | '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some(q) if q == c => break,
                        Some('\n') | None => return (words, Some(Unmatched { quote: c })),
                        Some(other) => word.push(other),
                    }
                }
            }
            '\\' => {
                in_word = true;
                if let Some(next) = chars.next() {
                    word.push(next);
                }
            }
            other => {
                in_word = true;
                word.push(other);
            }
        }
    }
    if in_word {
        words.push(word);
    }
    (words, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quote_aware() {
        assert_eq!(
            split_xargs(r#"config:set app "A=b c" 'D=$(id)'"#).unwrap(),
            vec!["config:set", "app", "A=b c", "D=$(id)"]
        );
        assert_eq!(split_xargs(r"a\ b c").unwrap(), vec!["a b", "c"]);
        assert_eq!(split_xargs(r#"x "" y"#).unwrap(), vec!["x", "", "y"]);
        assert_eq!(split_xargs("  ").unwrap(), Vec::<String>::new());
        assert_eq!(
            split_xargs_partial("a 'b c' \"d e"),
            (
                vec!["a".to_string(), "b c".to_string()],
                Some(Unmatched { quote: '"' })
            )
        );
    }

    #[test]
    fn unmatched_quotes() {
        assert_eq!(split_xargs("a 'b").unwrap_err().kind(), "single");
        assert_eq!(split_xargs("a \"b\nc\"").unwrap_err().kind(), "double");
    }
}
