//! The comma lists upstream's bash keeps in the `disabled` and `skipped` properties, edited
//! with its `common/functions` helpers, whose exact results are the stored format:
//!
//! * splitting is bash word splitting with `IFS=,` (empty fields kept, a trailing one
//!   dropped);
//! * removal is `${list//<value>/}`: every substring matching `<value>` **as a glob
//!   pattern** goes, so removing `web` from `web,webhook` leaves `hook`; then one pass of
//!   `,,` → `,` and one leading and one trailing comma dropped;
//! * results pass through `$(echo "$list")`, so a list that reads as `echo` options
//!   (`-n`, `-e`, …) comes out empty.

/// `for val in $list` with `IFS=,`.
pub fn split(list: &str) -> Vec<&str> {
    if list.is_empty() {
        return Vec::new();
    }
    let mut fields: Vec<&str> = list.split(',').collect();
    if list.ends_with(',') {
        fields.pop();
    }
    fields
}

/// `$(echo "$s")`: echo's own options print nothing; trailing newlines are stripped.
pub fn echo(s: &str) -> String {
    let is_option = s.len() > 1
        && s.starts_with('-')
        && s[1..].bytes().all(|b| matches!(b, b'n' | b'e' | b'E'));
    if is_option {
        String::new()
    } else {
        s.trim_end_matches('\n').to_string()
    }
}

/// `is_val_in_list <value> <list>`.
pub fn contains(list: &str, value: &str) -> bool {
    split(list).contains(&value)
}

/// `add_val_to_list <value> <list>`.
pub fn add(list: &str, value: &str) -> String {
    echo(&format!("{list},{value}"))
}

/// `remove_val_from_list <value> <list>`.
pub fn remove(list: &str, value: &str) -> String {
    let mut out = replace_all_matches(list, value);
    out = out.replace(",,", ",");
    if let Some(rest) = out.strip_prefix(',') {
        out = rest.to_string();
    }
    if let Some(rest) = out.strip_suffix(',') {
        out = rest.to_string();
    }
    echo(&out)
}

/// `${s//<pattern>/}`: remove every leftmost-longest glob match; an empty pattern changes
/// nothing.
fn replace_all_matches(s: &str, pattern: &str) -> String {
    if pattern.is_empty() {
        return s.to_string();
    }
    let pat = compile(pattern);
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let longest = (i..=chars.len())
            .rev()
            .find(|&end| matches(&pat, &chars[i..end]));
        match longest {
            Some(end) if end > i => i = end,
            // An empty match (or none): keep this character and move on.
            _ => {
                out.push(chars[i]);
                i += 1;
            }
        }
    }
    out
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Literal(char),
    Any,
    Star,
    /// `[...]`: negated, then single characters and ranges.
    Class(bool, Vec<(char, char)>),
}

fn compile(pattern: &str) -> Vec<Token> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '\\' if i + 1 < chars.len() => {
                tokens.push(Token::Literal(chars[i + 1]));
                i += 2;
            }
            '*' => {
                tokens.push(Token::Star);
                i += 1;
            }
            '?' => {
                tokens.push(Token::Any);
                i += 1;
            }
            '[' => match class(&chars, i) {
                Some((token, next)) => {
                    tokens.push(token);
                    i = next;
                }
                None => {
                    tokens.push(Token::Literal('['));
                    i += 1;
                }
            },
            c => {
                tokens.push(Token::Literal(c));
                i += 1;
            }
        }
    }
    tokens
}

/// A bracket expression starting at `start`, or `None` when unterminated (then `[` is a
/// literal).
fn class(chars: &[char], start: usize) -> Option<(Token, usize)> {
    let mut i = start + 1;
    let negated = matches!(chars.get(i), Some('!' | '^'));
    if negated {
        i += 1;
    }
    let mut ranges = Vec::new();
    let mut first = true;
    while i < chars.len() {
        let c = chars[i];
        if c == ']' && !first {
            return Some((Token::Class(negated, ranges), i + 1));
        }
        first = false;
        if i + 2 < chars.len() && chars[i + 1] == '-' && chars[i + 2] != ']' {
            ranges.push((c, chars[i + 2]));
            i += 3;
        } else {
            ranges.push((c, c));
            i += 1;
        }
    }
    None
}

fn matches(pat: &[Token], s: &[char]) -> bool {
    match pat.split_first() {
        None => s.is_empty(),
        Some((Token::Star, rest)) => (0..=s.len()).any(|k| matches(rest, &s[k..])),
        Some((token, rest)) => match s.split_first() {
            None => false,
            Some((&c, tail)) => {
                let ok = match token {
                    Token::Literal(l) => *l == c,
                    Token::Any => true,
                    Token::Class(negated, ranges) => {
                        ranges.iter().any(|&(a, b)| a <= c && c <= b) != *negated
                    }
                    Token::Star => unreachable!("handled above"),
                };
                ok && matches(rest, tail)
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitting() {
        assert_eq!(split("a,,b"), vec!["a", "", "b"]);
        assert_eq!(split(",a"), vec!["", "a"]);
        assert_eq!(split("a,"), vec!["a"]);
        assert_eq!(split("a, b"), vec!["a", " b"]);
        assert!(split("").is_empty());
        assert!(contains("web,worker", "worker"));
        assert!(!contains("web,worker", "work"));
    }

    #[test]
    fn removal_like_bash() {
        assert_eq!(remove("web,worker", "web"), "worker");
        assert_eq!(remove("web,webhook", "web"), "hook");
        assert_eq!(remove("a,web,b", "web"), "a,b");
        assert_eq!(remove("web,web,web", "web"), "");
        assert_eq!(remove(",web", "_all_"), "web");
        assert_eq!(remove("_all_,web", "_all_"), "web");
        assert_eq!(remove("web,worker", "w*"), "");
        assert_eq!(remove("web,worker", "w?b"), "worker");
        assert_eq!(remove("web,worker", "[wx]eb"), "worker");
        assert_eq!(remove("web,worker", ""), "web,worker");
        assert_eq!(remove("-n", "x"), "");
        assert_eq!(add("", "web"), ",web");
        assert_eq!(add("web", "worker"), "web,worker");
    }
}
