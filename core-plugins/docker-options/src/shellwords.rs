//! Splitting a docker option string into shell words **without expansion**, as upstream does
//! with the `mvdan.cc/sh` parser since 0.38.25: quotes and backslashes decide where words
//! start and end and are removed, while `$VAR`, `${…}`, `$(…)`, backquotes, `$((…))`,
//! process substitutions and extended globs are kept as the literal source text. A `#` at
//! the start of a word begins a comment. Control operators (`;`, `|`, `&`, `(`, `)`,
//! redirections) are not words: they are an error, reported as `line:col: message` like the
//! parser does.
//!
//! Command substitutions are matched by scanning for their closing parenthesis (honouring
//! quotes, escapes, comments and nesting) rather than by parsing the shell code inside.

use std::fmt;

/// Where and why the input is not a list of words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    line: usize,
    col: usize,
    text: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.col, self.text)
    }
}

/// The unquoted values of every word of `input`.
pub fn words(input: &str) -> Result<Vec<String>, ParseError> {
    words_with_end(input).map(|(w, _)| w)
}

/// [`words`] plus the byte offset just past the last word (a trailing comment is after it).
pub fn words_with_end(input: &str) -> Result<(Vec<String>, usize), ParseError> {
    let mut lexer = Lexer { src: input, i: 0 };
    let mut fields = Vec::new();
    let mut end = 0;
    loop {
        lexer.skip_blanks();
        if lexer.eof() {
            break;
        }
        if lexer.peek() == b'#' {
            lexer.skip_comment();
            continue;
        }
        match lexer.word()? {
            Some(value) => {
                fields.push(value);
                end = lexer.i;
            }
            None => {
                let op = lexer.operator();
                return Err(lexer.error_at(lexer.i, format!("`{op}` is not a valid word")));
            }
        }
    }
    Ok((fields, end))
}

struct Lexer<'a> {
    src: &'a str,
    i: usize,
}

impl<'a> Lexer<'a> {
    fn bytes(&self) -> &[u8] {
        self.src.as_bytes()
    }

    fn eof(&self) -> bool {
        self.i >= self.src.len()
    }

    fn peek(&self) -> u8 {
        self.at(0).unwrap_or(0)
    }

    fn at(&self, n: usize) -> Option<u8> {
        self.bytes().get(self.i + n).copied()
    }

    /// Length of the character starting at `self.i`.
    fn char_len(&self) -> usize {
        self.src[self.i..].chars().next().map_or(1, char::len_utf8)
    }

    /// A backslash-newline (or backslash-CRLF) at `self.i`: a line continuation.
    fn continuation(&self) -> Option<usize> {
        match (self.at(0), self.at(1), self.at(2)) {
            (Some(b'\\'), Some(b'\n'), _) => Some(2),
            (Some(b'\\'), Some(b'\r'), Some(b'\n')) => Some(3),
            _ => None,
        }
    }

    fn error_at(&self, offset: usize, text: impl Into<String>) -> ParseError {
        let before = &self.src.as_bytes()[..offset.min(self.src.len())];
        let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
        let line_start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |p| p + 1);
        ParseError {
            line,
            col: offset - line_start + 1,
            text: text.into(),
        }
    }

    fn skip_blanks(&mut self) {
        while !self.eof() {
            if let Some(n) = self.continuation() {
                self.i += n;
            } else if matches!(self.peek(), b' ' | b'\t' | b'\r' | b'\n') {
                self.i += 1;
            } else {
                break;
            }
        }
    }

    fn skip_comment(&mut self) {
        while !self.eof() && self.peek() != b'\n' {
            self.i += 1;
        }
    }

    /// The control operator at `self.i`, longest match first.
    fn operator(&self) -> &'static str {
        let next = |n| self.at(n).unwrap_or(0);
        match (next(0), next(1), next(2), next(3)) {
            (b'&', b'&', _, _) => "&&",
            (b'&', b'>', b'>', b'|') => "&>>|",
            (b'&', b'>', b'>', _) => "&>>",
            (b'&', b'>', b'|', _) => "&>|",
            (b'&', b'>', _, _) => "&>",
            (b'&', _, _, _) => "&",
            (b'|', b'|', _, _) => "||",
            (b'|', b'&', _, _) => "|&",
            (b'|', _, _, _) => "|",
            (b'(', b'(', _, _) => "((",
            (b'(', _, _, _) => "(",
            (b')', _, _, _) => ")",
            (b';', b';', b'&', _) => ";;&",
            (b';', b';', _, _) => ";;",
            (b';', b'&', _, _) => ";&",
            (b';', _, _, _) => ";",
            (b'<', b'<', b'-', _) => "<<-",
            (b'<', b'<', b'<', _) => "<<<",
            (b'<', b'<', _, _) => "<<",
            (b'<', b'>', _, _) => "<>",
            (b'<', b'&', _, _) => "<&",
            (b'<', _, _, _) => "<",
            (b'>', b'>', b'|', _) => ">>|",
            (b'>', b'>', _, _) => ">>",
            (b'>', b'&', _, _) => ">&",
            (b'>', b'|', _, _) => ">|",
            _ => ">",
        }
    }

    /// `?(`, `*(`, `+(`, `@(` or `!(` not followed by `)`: a bash extended glob.
    fn extglob_here(&self) -> bool {
        matches!(self.peek(), b'?' | b'*' | b'+' | b'@' | b'!')
            && self.at(1) == Some(b'(')
            && self.at(2) != Some(b')')
    }

    /// One word, or `None` when an operator stands where the word would start.
    fn word(&mut self) -> Result<Option<String>, ParseError> {
        let mut value = String::new();
        let mut any = false;
        // After a quote or an expansion the next byte starts a new token (where `=(` means
        // something); inside a literal run it does not.
        let mut token_start = true;
        while !self.eof() {
            if let Some(n) = self.continuation() {
                self.i += n;
                continue;
            }
            let start = self.i;
            match self.peek() {
                b' ' | b'\t' | b'\r' | b'\n' => break,
                b'\'' => {
                    let body = self.single_quoted(start, start + 1)?;
                    value.push_str(body);
                    token_start = true;
                }
                b'"' => {
                    self.i += 1;
                    value.push_str(&self.double_quoted(start)?);
                    token_start = true;
                }
                b'`' => {
                    value.push_str(self.backquoted()?);
                    token_start = true;
                }
                b'$' => {
                    value.push_str(&self.dollar(true)?);
                    token_start = true;
                }
                b'<' | b'>' if self.at(1) == Some(b'(') => {
                    let op = if self.peek() == b'<' { "<(" } else { ">(" };
                    self.i += 2;
                    self.command(start, op)?;
                    value.push_str(&self.src[start..self.i]);
                    token_start = true;
                }
                b';' | b'&' | b'|' | b'(' | b')' | b'<' | b'>' => break,
                b'=' if token_start && self.at(1) == Some(b'(') => {
                    return Err(self.error_at(
                        start,
                        "`=(` process substitutions are a zsh feature; tried parsing as bash",
                    ));
                }
                _ if self.extglob_here() => {
                    self.extglob(start)?;
                    value.push_str(&self.src[start..self.i]);
                    token_start = true;
                }
                b'\\' => {
                    // An escaped character stands for itself; a trailing backslash stays.
                    self.i += 1;
                    if self.eof() {
                        value.push('\\');
                    } else {
                        let n = self.char_len();
                        value.push_str(&self.src[self.i..self.i + n]);
                        self.i += n;
                    }
                    token_start = false;
                }
                _ => {
                    let n = self.char_len();
                    value.push_str(&self.src[self.i..self.i + n]);
                    self.i += n;
                    token_start = false;
                }
            }
            any = true;
        }
        Ok(any.then_some(value))
    }

    /// `'…'` starting at `open` (the quote or the `$` of `$'`), body from `body`.
    fn single_quoted(&mut self, open: usize, body: usize) -> Result<&'a str, ParseError> {
        let src = self.src;
        let ansi = self.bytes()[open] == b'$';
        self.i = body;
        while !self.eof() {
            match self.peek() {
                b'\\' if ansi => self.i = (self.i + 2).min(self.src.len()),
                b'\'' => {
                    self.i += 1;
                    return Ok(&src[body..self.i - 1]);
                }
                _ => self.i += 1,
            }
        }
        Err(self.error_at(open, "reached EOF without closing quote `'`"))
    }

    /// The inside of `"…"` (already past the quote) with its escapes removed; expansions
    /// kept as written. `open` is where the quote (or `$"`) started.
    fn double_quoted(&mut self, open: usize) -> Result<String, ParseError> {
        let mut value = String::new();
        while !self.eof() {
            match self.peek() {
                b'"' => {
                    self.i += 1;
                    return Ok(value);
                }
                b'\\' => {
                    self.i += 1;
                    if self.eof() {
                        break;
                    }
                    match self.peek() {
                        b'$' | b'`' | b'"' | b'\\' => {
                            value.push(self.peek() as char);
                            self.i += 1;
                        }
                        b'\n' => self.i += 1,
                        b'\r' if self.at(1) == Some(b'\n') => self.i += 2,
                        _ => {
                            value.push('\\');
                            let n = self.char_len();
                            value.push_str(&self.src[self.i..self.i + n]);
                            self.i += n;
                        }
                    }
                }
                b'`' => value.push_str(self.backquoted()?),
                b'$' => value.push_str(&self.dollar(false)?),
                _ => {
                    let n = self.char_len();
                    value.push_str(&self.src[self.i..self.i + n]);
                    self.i += n;
                }
            }
        }
        Err(self.error_at(open, "reached EOF without closing quote `\"`"))
    }

    /// `` `…` `` as written.
    fn backquoted(&mut self) -> Result<&'a str, ParseError> {
        let src = self.src;
        let open = self.i;
        self.i += 1;
        while !self.eof() {
            match self.peek() {
                b'\\' => self.i = (self.i + 2).min(self.src.len()),
                b'`' => {
                    self.i += 1;
                    return Ok(&src[open..self.i]);
                }
                _ => self.i += 1,
            }
        }
        Err(self.error_at(open, "reached EOF without closing quote \"`\""))
    }

    /// Whatever starts with `$` at `self.i`: the source text of an expansion, the value of
    /// `$'…'`/`$"…"` (outside double quotes), or a lone `$`.
    fn dollar(&mut self, unquoted: bool) -> Result<String, ParseError> {
        let start = self.i;
        let next = self.at(1);
        match next {
            Some(b'\'') if unquoted => Ok(self.single_quoted(start, start + 2)?.to_string()),
            Some(b'"') if unquoted => {
                self.i = start + 2;
                self.double_quoted(start)
            }
            Some(b'{') => {
                self.braced(start)?;
                Ok(self.src[start..self.i].to_string())
            }
            Some(b'[') => {
                self.i = start + 2;
                self.until_bracket(start)?;
                Ok(self.src[start..self.i].to_string())
            }
            Some(b'(') if self.at(2) == Some(b'(') => {
                self.i = start + 3;
                self.arithmetic(start)?;
                Ok(self.src[start..self.i].to_string())
            }
            Some(b'(') => {
                self.i = start + 2;
                self.command(start, "$(")?;
                Ok(self.src[start..self.i].to_string())
            }
            Some(c) if c.is_ascii_alphabetic() || c == b'_' => {
                self.i = start + 1;
                while !self.eof() && (self.peek().is_ascii_alphanumeric() || self.peek() == b'_') {
                    self.i += 1;
                }
                Ok(self.src[start..self.i].to_string())
            }
            Some(c) if c.is_ascii_digit() || b"@*#?-$!".contains(&c) => {
                self.i = start + 2;
                Ok(self.src[start..self.i].to_string())
            }
            _ => {
                self.i = start + 1;
                Ok("$".to_string())
            }
        }
    }

    /// `${…}`: a parameter name (after an optional `#` or `!`), then anything up to the
    /// matching `}`.
    fn braced(&mut self, start: usize) -> Result<(), ParseError> {
        self.i = start + 2;
        if matches!(self.peek(), b'#' | b'!') && self.at(1).is_some_and(|c| c != b'}') {
            self.i += 1;
        }
        let name_start = self.i;
        match self.at(0) {
            Some(c) if c.is_ascii_alphabetic() || c == b'_' => {
                while !self.eof() && (self.peek().is_ascii_alphanumeric() || self.peek() == b'_') {
                    self.i += 1;
                }
            }
            Some(c) if c.is_ascii_digit() => {
                while !self.eof() && self.peek().is_ascii_digit() {
                    self.i += 1;
                }
            }
            Some(c) if b"@*#?-$!".contains(&c) => self.i += 1,
            None => return Err(self.error_at(start, "reached EOF without matching `${` with `}`")),
            Some(_) => return Err(self.error_at(name_start, "invalid parameter name")),
        }
        while !self.eof() {
            match self.peek() {
                b'}' => {
                    self.i += 1;
                    return Ok(());
                }
                b'\\' => self.i = (self.i + 2).min(self.src.len()),
                b'\'' => {
                    let at = self.i;
                    self.single_quoted(at, at + 1)?;
                }
                b'"' => {
                    let at = self.i;
                    self.i += 1;
                    self.double_quoted(at)?;
                }
                b'`' => {
                    self.backquoted()?;
                }
                b'$' => {
                    self.dollar(true)?;
                }
                _ => self.i += self.char_len(),
            }
        }
        Err(self.error_at(start, "reached EOF without matching `${` with `}`"))
    }

    /// `$[…]` up to the matching `]`.
    fn until_bracket(&mut self, start: usize) -> Result<(), ParseError> {
        let mut depth = 0usize;
        while !self.eof() {
            match self.peek() {
                b'[' => depth += 1,
                b']' if depth == 0 => {
                    self.i += 1;
                    return Ok(());
                }
                b']' => depth -= 1,
                b'$' => {
                    self.dollar(true)?;
                    continue;
                }
                _ => {}
            }
            self.i += self.char_len();
        }
        Err(self.error_at(start, "reached EOF without matching `$[` with `]`"))
    }

    /// `$((…))` up to the `))` that closes it.
    fn arithmetic(&mut self, start: usize) -> Result<(), ParseError> {
        let mut depth = 0usize;
        while !self.eof() {
            match self.peek() {
                b'(' => depth += 1,
                b')' if depth == 0 => {
                    if self.at(1) == Some(b')') {
                        self.i += 2;
                        return Ok(());
                    }
                    return Err(
                        self.error_at(start, "reached `)` without matching `$((` with `))`")
                    );
                }
                b')' => depth -= 1,
                b'$' => {
                    self.dollar(true)?;
                    continue;
                }
                b'`' => {
                    self.backquoted()?;
                    continue;
                }
                b'"' => {
                    let at = self.i;
                    self.i += 1;
                    self.double_quoted(at)?;
                    continue;
                }
                _ => {}
            }
            self.i += self.char_len();
        }
        Err(self.error_at(start, "reached EOF without matching `$((` with `))`"))
    }

    /// Shell code after `$(`, `<(` or `>(` up to the matching `)`.
    fn command(&mut self, start: usize, open: &str) -> Result<(), ParseError> {
        let mut depth = 0usize;
        let mut word_start = true;
        while !self.eof() {
            if let Some(n) = self.continuation() {
                self.i += n;
                continue;
            }
            let at = self.i;
            match self.peek() {
                b'\\' => {
                    self.i = (self.i
                        + 1
                        + self.src[self.i + 1..]
                            .chars()
                            .next()
                            .map_or(0, char::len_utf8))
                    .min(self.src.len());
                    word_start = false;
                }
                b'\'' => {
                    self.single_quoted(at, at + 1)?;
                    word_start = false;
                }
                b'"' => {
                    self.i += 1;
                    self.double_quoted(at)?;
                    word_start = false;
                }
                b'`' => {
                    self.backquoted()?;
                    word_start = false;
                }
                b'$' => {
                    self.dollar(true)?;
                    word_start = false;
                }
                b'#' if word_start => self.skip_comment(),
                b'(' => {
                    depth += 1;
                    self.i += 1;
                    word_start = true;
                }
                b')' => {
                    self.i += 1;
                    if depth == 0 {
                        return Ok(());
                    }
                    depth -= 1;
                    word_start = true;
                }
                b' ' | b'\t' | b'\r' | b'\n' | b';' | b'&' | b'|' | b'<' | b'>' => {
                    self.i += 1;
                    word_start = true;
                }
                _ => {
                    self.i += self.char_len();
                    word_start = false;
                }
            }
        }
        Err(self.error_at(
            start,
            format!("reached EOF without matching `{open}` with `)`"),
        ))
    }

    /// `@(…)` and friends: up to the matching `)`, counting parentheses only.
    fn extglob(&mut self, start: usize) -> Result<(), ParseError> {
        let src = self.src;
        let op = &src[start..start + 2];
        self.i = start + 2;
        let mut depth = 1usize;
        while !self.eof() {
            match self.peek() {
                b'(' => depth += 1,
                b')' => {
                    depth -= 1;
                    if depth == 0 {
                        self.i += 1;
                        return Ok(());
                    }
                }
                _ => {}
            }
            self.i += self.char_len();
        }
        Err(self.error_at(
            start,
            format!("reached EOF without matching `{op}` with `)`"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(input: &str) -> Vec<String> {
        words(input).unwrap_or_else(|e| panic!("{input:?}: {e}"))
    }

    fn err(input: &str) -> String {
        words(input).unwrap_err().to_string()
    }

    #[test]
    fn plain_words_and_quotes() {
        assert_eq!(ok("--link foo"), ["--link", "foo"]);
        assert_eq!(ok("  -v\t/a:/b \n --rm "), ["-v", "/a:/b", "--rm"]);
        assert_eq!(ok(r#"--label "foo bar""#), ["--label", "foo bar"]);
        assert_eq!(
            ok(r#"--label key="hello world""#),
            ["--label", "key=hello world"]
        );
        assert_eq!(ok("--label 'a;b'"), ["--label", "a;b"]);
        assert_eq!(ok(r"--label k=a\ b"), ["--label", "k=a b"]);
        assert_eq!(ok(r#""" ''"#), ["", ""]);
        assert_eq!(ok(r"a\'b"), ["a'b"]);
        assert_eq!(ok("a\\\nb"), ["ab"]);
        assert_eq!(ok(r"trailing\"), [r"trailing\"]);
        assert_eq!(ok("é'ü'"), ["éü"]);
        assert_eq!(ok("$'a\\nb'"), [r"a\nb"]);
        assert_eq!(ok(r#"$"x y""#), ["x y"]);
        assert_eq!(ok("a#b"), ["a#b"]);
        assert_eq!(ok("'a'#b"), ["a#b"]);
        assert!(ok("").is_empty());
        assert!(ok(" \t\n").is_empty());
    }

    #[test]
    fn double_quote_escapes() {
        assert_eq!(
            ok("--label \"traefik.rule=Host(\\`app.example.com\\`)\""),
            ["--label", "traefik.rule=Host(`app.example.com`)"]
        );
        assert_eq!(ok(r#""k=a\$b""#), ["k=a$b"]);
        assert_eq!(ok(r#""a\nb\\c\"d""#), [r#"a\nb\c"d"#]);
        assert_eq!(ok("\"a\\\nb\""), ["ab"]);
        assert_eq!(ok(r#""a$""#), ["a$"]);
    }

    #[test]
    fn expansions_stay_literal() {
        assert_eq!(ok("--label x=$(id)"), ["--label", "x=$(id)"]);
        assert_eq!(ok("--label x=`id`"), ["--label", "x=`id`"]);
        assert_eq!(ok("--label x=$FOO"), ["--label", "x=$FOO"]);
        assert_eq!(
            ok("$1a $@ $? ${x:-y z} $((1 + (2))) $[3]"),
            ["$1a", "$@", "$?", "${x:-y z}", "$((1 + (2)))", "$[3]"]
        );
        assert_eq!(
            ok("--group-add $(getent group docker | cut -d: -f3)"),
            ["--group-add", "$(getent group docker | cut -d: -f3)"]
        );
        assert_eq!(
            ok("$(echo ')' \"(\" $(x)) y"),
            ["$(echo ')' \"(\" $(x))", "y"]
        );
        assert_eq!(ok("\"$(a b) c\""), ["$(a b) c"]);
        assert_eq!(ok("<(ls) @(a|b) x!(y)"), ["<(ls)", "@(a|b)", "x!(y)"]);
        assert_eq!(ok("$ $/ a$"), ["$", "$/", "a$"]);
        assert_eq!(ok("~/x *.go [ab] {a,b}"), ["~/x", "*.go", "[ab]", "{a,b}"]);
    }

    #[test]
    fn comments_end() {
        assert_eq!(
            words_with_end("-v /a:/a # a note").unwrap(),
            (vec!["-v".to_string(), "/a:/a".to_string()], 8)
        );
        assert_eq!(ok("#only"), Vec::<String>::new());
        assert_eq!(ok("a #x\nb"), ["a", "b"]);
        assert_eq!(words_with_end("a 'b'  ").unwrap().1, 5);
    }

    #[test]
    fn errors() {
        assert_eq!(
            err(r#"--build-arg FOO="bar"#),
            "1:17: reached EOF without closing quote `\"`"
        );
        assert_eq!(err("'"), "1:1: reached EOF without closing quote `'`");
        assert_eq!(err("foo'"), "1:4: reached EOF without closing quote `'`");
        assert_eq!(err("`"), "1:1: reached EOF without closing quote \"`\"");
        assert_eq!(err("foo )"), "1:5: `)` is not a valid word");
        assert_eq!(err("a;b"), "1:2: `;` is not a valid word");
        assert_eq!(err("a && b"), "1:3: `&&` is not a valid word");
        assert_eq!(err("a | b"), "1:3: `|` is not a valid word");
        assert_eq!(err("2>file"), "1:2: `>` is not a valid word");
        assert_eq!(err("x >> y"), "1:3: `>>` is not a valid word");
        assert_eq!(err("a(b)"), "1:2: `(` is not a valid word");
        assert_eq!(err("a\n ;;"), "2:2: `;;` is not a valid word");
        assert_eq!(
            err("x $(ls"),
            "1:3: reached EOF without matching `$(` with `)`"
        );
        assert_eq!(
            err("x ${a"),
            "1:3: reached EOF without matching `${` with `}`"
        );
        assert_eq!(err("x ${}"), "1:5: invalid parameter name");
        assert_eq!(
            err("x $((1"),
            "1:3: reached EOF without matching `$((` with `))`"
        );
        assert_eq!(
            err("@(a"),
            "1:1: reached EOF without matching `@(` with `)`"
        );
        assert_eq!(
            err("'a'=(b)"),
            "1:4: `=(` process substitutions are a zsh feature; tried parsing as bash"
        );
        assert_eq!(
            err("\"foo\\"),
            "1:1: reached EOF without closing quote `\"`"
        );
        assert_eq!(err("$'a"), "1:1: reached EOF without closing quote `'`");
    }
}
