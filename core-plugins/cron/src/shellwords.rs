//! Cron command validation as upstream does it: the command must split into shell words
//! with `mvdan.cc/sh`'s `shell.Fields`, so operators (`;`, `&&`, `|`, redirections),
//! unterminated quotes and command substitutions are refused with that library's messages
//! (`1:13: `;` is not a valid word`). This is a lexer for the subset that matters: quoting,
//! escapes, comments and the `$…`, backquote, process-substitution and extended-glob
//! constructs; the insides of expansions are only checked for balance.

/// Why the command is refused: a parse error stops at once, an expansion error is reported
/// only once every word parsed.
struct Lexer<'a> {
    b: &'a [u8],
    i: usize,
    expansion_error: Option<String>,
}

type Res<T> = Result<T, String>;

impl<'a> Lexer<'a> {
    fn at(&self, i: usize) -> Option<u8> {
        self.b.get(i).copied()
    }

    /// `line:col` of a byte offset (columns count bytes, from 1).
    fn pos(&self, i: usize) -> String {
        let before = &self.b[..i.min(self.b.len())];
        let line = 1 + before.iter().filter(|c| **c == b'\n').count();
        let col = 1 + before.len()
            - before
                .iter()
                .rposition(|c| *c == b'\n')
                .map_or(0, |p| p + 1);
        format!("{line}:{col}")
    }

    fn err(&self, i: usize, msg: &str) -> String {
        format!("{}: {msg}", self.pos(i))
    }

    fn unclosed_quote(&self, start: usize, quote: &str) -> String {
        self.err(start, &format!("reached EOF without closing quote {quote}"))
    }

    fn unmatched(&self, start: usize, left: &str, right: &str) -> String {
        self.err(
            start,
            &format!("reached EOF without matching `{left}` with `{right}`"),
        )
    }

    fn expansion(&mut self, msg: String) {
        self.expansion_error.get_or_insert(msg);
    }

    /// The operator token starting at `i`, if any (`<(` and `>(` start words instead).
    fn operator(&self, i: usize) -> Option<&'static str> {
        let next = |k: usize| self.at(i + k);
        Some(match self.at(i)? {
            b';' => match (next(1), next(2)) {
                (Some(b';'), Some(b'&')) => ";;&",
                (Some(b';'), _) => ";;",
                (Some(b'&'), _) => ";&",
                _ => ";",
            },
            b'&' => match (next(1), next(2), next(3)) {
                (Some(b'&'), _, _) => "&&",
                (Some(b'>'), Some(b'|'), _) => "&>|",
                (Some(b'>'), Some(b'>'), Some(b'|')) => "&>>|",
                (Some(b'>'), Some(b'>'), _) => "&>>",
                (Some(b'>'), _, _) => "&>",
                _ => "&",
            },
            b'|' => match next(1) {
                Some(b'|') => "||",
                Some(b'&') => "|&",
                _ => "|",
            },
            b'(' => match next(1) {
                Some(b'(') => "((",
                _ => "(",
            },
            b')' => ")",
            b'<' => match (next(1), next(2)) {
                (Some(b'<'), Some(b'-')) => "<<-",
                (Some(b'<'), Some(b'<')) => "<<<",
                (Some(b'<'), _) => "<<",
                (Some(b'>'), _) => "<>",
                (Some(b'&'), _) => "<&",
                (Some(b'('), _) => return None,
                _ => "<",
            },
            b'>' => match (next(1), next(2)) {
                (Some(b'>'), Some(b'|')) => ">>|",
                (Some(b'>'), _) => ">>",
                (Some(b'&'), _) => ">&",
                (Some(b'|'), _) => ">|",
                (Some(b'('), _) => return None,
                _ => ">",
            },
            _ => return None,
        })
    }

    fn words(&mut self) -> Res<()> {
        loop {
            while let Some(c) = self.at(self.i) {
                match c {
                    b' ' | b'\t' | b'\r' | b'\n' => self.i += 1,
                    b'\\' if self.at(self.i + 1) == Some(b'\n') => self.i += 2,
                    _ => break,
                }
            }
            let Some(c) = self.at(self.i) else {
                return Ok(());
            };
            if c == b'#' {
                while self.at(self.i).is_some_and(|c| c != b'\n') {
                    self.i += 1;
                }
                continue;
            }
            if let Some(op) = self.operator(self.i) {
                return Err(self.err(self.i, &format!("`{op}` is not a valid word")));
            }
            self.word()?;
        }
    }

    fn word(&mut self) -> Res<()> {
        while let Some(c) = self.at(self.i) {
            match c {
                b' ' | b'\t' | b'\r' | b'\n' | b';' | b'&' | b'|' | b'(' | b')' => return Ok(()),
                b'<' | b'>' if self.at(self.i + 1) != Some(b'(') => return Ok(()),
                b'<' | b'>' => {
                    let start = self.i;
                    let left = if c == b'<' { "<(" } else { ">(" };
                    self.i += 2;
                    self.balanced(start, left, b'(', b')')?;
                    let at = self.pos(start);
                    self.expansion(format!("unexpected process substitution at {at}"));
                }
                b'\\' => self.i = (self.i + 2).min(self.b.len()),
                b'\'' => self.single_quoted(self.i, "`'`")?,
                b'"' => self.double_quoted(self.i, self.i + 1)?,
                b'`' => self.backquoted()?,
                b'$' => self.dollar()?,
                b'?' | b'*' | b'+' | b'@' | b'!'
                    if self.at(self.i + 1) == Some(b'(') && self.at(self.i + 2) != Some(b')') =>
                {
                    let start = self.i;
                    let left = format!("{}(", c as char);
                    self.i += 2;
                    self.balanced(start, &left, b'(', b')')?;
                    self.expansion(
                        "extended globbing operator used without the \"extglob\" option set"
                            .to_string(),
                    );
                }
                _ => self.i += 1,
            }
        }
        Ok(())
    }

    /// `'…'` from the quote at `start`.
    fn single_quoted(&mut self, start: usize, quote: &str) -> Res<()> {
        let open = if self.at(start) == Some(b'$') {
            start + 2
        } else {
            start + 1
        };
        match self.b[open.min(self.b.len())..]
            .iter()
            .position(|c| *c == b'\'')
        {
            Some(p) => {
                self.i = open + p + 1;
                Ok(())
            }
            None => Err(self.unclosed_quote(start, quote)),
        }
    }

    /// `$'…'`, where backslashes escape.
    fn ansi_quoted(&mut self, start: usize) -> Res<()> {
        let mut i = start + 2;
        while let Some(c) = self.at(i) {
            match c {
                b'\\' => i += 2,
                b'\'' => {
                    self.i = i + 1;
                    return Ok(());
                }
                _ => i += 1,
            }
        }
        Err(self.unclosed_quote(start, "`'`"))
    }

    /// `"…"` (or `$"…"`): escapes, `$` expansions and backquotes inside.
    fn double_quoted(&mut self, start: usize, body: usize) -> Res<()> {
        self.i = body;
        while let Some(c) = self.at(self.i) {
            match c {
                b'"' => {
                    self.i += 1;
                    return Ok(());
                }
                b'\\' => self.i += 2,
                b'$' => self.dollar()?,
                b'`' => self.backquoted()?,
                _ => self.i += 1,
            }
        }
        Err(self.unclosed_quote(start, "`\"`"))
    }

    fn backquoted(&mut self) -> Res<()> {
        let start = self.i;
        let mut i = start + 1;
        while let Some(c) = self.at(i) {
            match c {
                b'\\' => i += 2,
                b'`' => {
                    self.i = i + 1;
                    let at = self.pos(start);
                    self.expansion(format!("unexpected command substitution at {at}"));
                    return Ok(());
                }
                _ => i += 1,
            }
        }
        Err(self.unclosed_quote(start, "\"`\""))
    }

    /// Skip to the `close` matching an already consumed `open`, minding quotes and escapes.
    fn balanced(&mut self, start: usize, left: &str, open: u8, close: u8) -> Res<()> {
        let right = (close as char).to_string();
        let mut depth = 1;
        while let Some(c) = self.at(self.i) {
            match c {
                b'\\' => self.i += 2,
                b'\'' => self.single_quoted(self.i, "`'`")?,
                b'"' => self.double_quoted(self.i, self.i + 1)?,
                b'`' => self.backquoted()?,
                b'$' => self.dollar()?,
                c if c == open => {
                    depth += 1;
                    self.i += 1;
                }
                c if c == close => {
                    depth -= 1;
                    self.i += 1;
                    if depth == 0 {
                        return Ok(());
                    }
                }
                _ => self.i += 1,
            }
        }
        Err(self.unmatched(start, left, &right))
    }

    /// `$…` at `self.i`.
    fn dollar(&mut self) -> Res<()> {
        let start = self.i;
        match self.at(start + 1) {
            Some(b'{') => {
                self.i = start + 2;
                self.balanced(start, "${", b'{', b'}')
            }
            Some(b'(') if self.at(start + 2) == Some(b'(') => {
                self.i = start + 3;
                let mut depth = 0;
                while let Some(c) = self.at(self.i) {
                    match c {
                        b'(' => depth += 1,
                        b')' if depth == 0 && self.at(self.i + 1) == Some(b')') => {
                            self.i += 2;
                            return Ok(());
                        }
                        b')' => depth -= 1,
                        _ => {}
                    }
                    self.i += 1;
                }
                Err(self.unmatched(start, "$((", "))"))
            }
            Some(b'(') => {
                self.i = start + 2;
                self.balanced(start, "$(", b'(', b')')?;
                let at = self.pos(start);
                self.expansion(format!("unexpected command substitution at {at}"));
                Ok(())
            }
            Some(b'[') => {
                self.i = start + 2;
                self.balanced(start, "$[", b'[', b']')
            }
            Some(b'\'') => self.ansi_quoted(start),
            Some(b'"') => self.double_quoted(start, start + 2),
            Some(c) if c.is_ascii_alphabetic() || c == b'_' => {
                self.i = start + 1;
                while self
                    .at(self.i)
                    .is_some_and(|c| c.is_ascii_alphanumeric() || c == b'_')
                {
                    self.i += 1;
                }
                Ok(())
            }
            Some(c) if c.is_ascii_digit() || b"@*#?$!-".contains(&c) => {
                self.i = start + 2;
                Ok(())
            }
            _ => {
                self.i = start + 1;
                Ok(())
            }
        }
    }
}

/// `shell.Fields(command, …)`, only for its error.
pub fn validate(command: &str) -> Result<(), String> {
    let mut lx = Lexer {
        b: command.as_bytes(),
        i: 0,
        expansion_error: None,
    };
    lx.words()?;
    match lx.expansion_error {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::validate;

    #[test]
    fn accepted() {
        for ok in [
            "python3 task.py schedule",
            "npm run send-email",
            "sh -c 'echo CRON_OK; echo hi > /tmp/x.txt'",
            "node -e 'console.log(1)'",
            "true",
            "echo \"$HOME ${USER:-x} $((1 + 2))\" \\; # comment; here",
            "bash -c \"a && b\"",
            "echo a\\ b $'it\\'s' $\"x\"",
            "echo *.txt [ab] {a,b} !x",
            "",
        ] {
            assert_eq!(validate(ok), Ok(()), "{ok}");
        }
    }

    #[test]
    fn refused() {
        let cases = [
            (
                "echo CRON_OK; echo hi > /tmp/x.txt",
                "1:13: `;` is not a valid word",
            ),
            ("cmd1 && cmd2", "1:6: `&&` is not a valid word"),
            ("cmd | other", "1:5: `|` is not a valid word"),
            ("cmd > file", "1:5: `>` is not a valid word"),
            ("cmd 2>&1", "1:6: `>&` is not a valid word"),
            ("foo )", "1:5: `)` is not a valid word"),
            ("a\nb &", "2:3: `&` is not a valid word"),
            ("cmd $(other)", "unexpected command substitution at 1:5"),
            ("cmd `other`", "unexpected command substitution at 1:5"),
            ("echo \"$(date)\"", "unexpected command substitution at 1:7"),
            ("echo 'open", "1:6: reached EOF without closing quote `'`"),
            ("echo \"open", "1:6: reached EOF without closing quote `\"`"),
            ("echo `open", "1:6: reached EOF without closing quote \"`\""),
            (
                "echo $(open",
                "1:6: reached EOF without matching `$(` with `)`",
            ),
            (
                "echo ${open",
                "1:6: reached EOF without matching `${` with `}`",
            ),
            (
                "echo $((1+",
                "1:6: reached EOF without matching `$((` with `))`",
            ),
            ("diff <(a) b", "unexpected process substitution at 1:6"),
            ("echo @()", "1:7: `(` is not a valid word"),
            (
                "ls @(a|b)",
                "extended globbing operator used without the \"extglob\" option set",
            ),
            // A parse error wins over an earlier expansion error.
            ("echo $(a) ;", "1:11: `;` is not a valid word"),
        ];
        for (cmd, want) in cases {
            assert_eq!(validate(cmd), Err(want.to_string()), "{cmd}");
        }
    }
}
