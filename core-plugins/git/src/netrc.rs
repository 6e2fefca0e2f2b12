//! `~dokku/.netrc` edited the way upstream's `netrc` tool (built on `jdxcode/netrc`) edits
//! it: the file is kept as a list of tokens (runs of whitespace, words, comments) so that
//! everything the user wrote survives a change byte for byte. A new entry is appended as
//! `machine <host>\n  login <login>\n  password <password>\n`; a new `default` entry as
//! `default\n  login …`; changed values are replaced in place.

/// ASCII whitespace. (The Go lexer also counts the raw bytes 0x85 and 0xA0, which splits
/// UTF-8 characters in two; we keep those inside words, as curl does when it reads the file.)
fn is_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b' ')
}

/// Go regexp's `\s`.
fn is_re_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | 0x0c | b'\r' | b' ')
}

/// Whether a comment starts at the beginning of `data`: `#`, or whitespace then `#`.
fn comment_at_start(data: &[u8]) -> bool {
    match data.first() {
        Some(b'#') => true,
        Some(&b) if is_re_space(b) => {
            let run = data.iter().take_while(|&&c| is_re_space(c)).count();
            data.get(run) == Some(&b'#')
        }
        _ => false,
    }
}

/// Length of the token at the start of `data` (non-empty).
fn token_len(data: &[u8]) -> usize {
    let in_space = is_space(data[0]);
    for (i, &c) in data.iter().enumerate() {
        if c == b'#' && comment_at_start(data) {
            // The comment runs to the first newline of the token, then swallows the
            // whitespace after it.
            let mut end = data.iter().position(|&b| b == b'\n').unwrap_or(data.len());
            while end < data.len() && is_space(data[end]) {
                end += 1;
            }
            return end;
        }
        if is_space(c) != in_space {
            return i;
        }
    }
    data.len()
}

fn lex(mut data: &[u8]) -> Vec<Vec<u8>> {
    let mut tokens = Vec::new();
    while !data.is_empty() {
        let len = token_len(data);
        tokens.push(data[..len].to_vec());
        data = &data[len..];
    }
    tokens
}

#[derive(Debug, Clone)]
struct Machine {
    name: Vec<u8>,
    is_default: bool,
    tokens: Vec<Vec<u8>>,
}

impl Machine {
    /// Index of the first key token: after `machine`, blank, name, blank (or `default`, blank).
    fn first_key(&self) -> usize {
        if self.is_default {
            2
        } else {
            4
        }
    }

    fn get(&self, key: &str) -> Option<&[u8]> {
        let mut i = self.first_key();
        while i + 2 < self.tokens.len() {
            if self.tokens[i] == key.as_bytes() {
                return Some(&self.tokens[i + 2]);
            }
            i += 4;
        }
        None
    }

    fn set(&mut self, key: &str, value: &str) {
        let mut i = self.first_key();
        while i + 2 < self.tokens.len() {
            if self.tokens[i] == key.as_bytes() {
                self.tokens[i + 2] = value.as_bytes().to_vec();
                return;
            }
            i += 4;
        }
        for t in ["  ", key, " ", value, "\n"] {
            self.tokens.push(t.as_bytes().to_vec());
        }
    }
}

/// A parsed `.netrc`.
#[derive(Debug, Clone, Default)]
pub struct Netrc {
    head: Vec<Vec<u8>>,
    machines: Vec<Machine>,
}

impl Netrc {
    pub fn parse(data: &[u8]) -> Netrc {
        let tokens = lex(data);
        let mut netrc = Netrc::default();
        for (i, token) in tokens.iter().enumerate() {
            if token == b"machine" || token == b"default" {
                let is_default = token == b"default";
                let name = if is_default {
                    b"default".to_vec()
                } else {
                    tokens.get(i + 2).cloned().unwrap_or_default()
                };
                netrc.machines.push(Machine {
                    name,
                    is_default,
                    tokens: Vec::new(),
                });
            }
            match netrc.machines.last_mut() {
                Some(m) => m.tokens.push(token.clone()),
                None => netrc.head.push(token.clone()),
            }
        }
        netrc
    }

    pub fn render(&self) -> Vec<u8> {
        let mut out = Vec::new();
        for t in self
            .head
            .iter()
            .chain(self.machines.iter().flat_map(|m| m.tokens.iter()))
        {
            out.extend_from_slice(t);
        }
        out
    }

    fn find(&self, name: &str) -> Option<usize> {
        self.machines.iter().position(|m| m.name == name.as_bytes())
    }

    /// `netrc get <name>`: `login:password` of the named entry.
    pub fn get(&self, name: &str) -> Option<String> {
        let m = &self.machines[self.find(name)?];
        let field = |k| String::from_utf8_lossy(m.get(k).unwrap_or_default()).into_owned();
        Some(format!("{}:{}", field("login"), field("password")))
    }

    /// Make sure what follows starts on a new line. (Upstream glues a new entry to a file
    /// that lacks a final newline, corrupting the last value.)
    fn end_line(&mut self) {
        let rendered = self.render();
        if !rendered.is_empty() && !rendered.ends_with(b"\n") {
            match self.machines.last_mut() {
                Some(m) => m.tokens.push(b"\n".to_vec()),
                None => self.head.push(b"\n".to_vec()),
            }
        }
    }

    /// `netrc set <name> <login> <password>`: update the entry or append a new one.
    pub fn set(&mut self, name: &str, login: &str, password: &str) {
        let index = if name == "default" {
            self.machines.iter().position(|m| m.is_default)
        } else {
            self.find(name)
        };
        let index = match index {
            Some(i) => i,
            None => {
                self.end_line();
                let tokens = if name == "default" {
                    vec![b"default".to_vec(), b"\n".to_vec()]
                } else {
                    vec![
                        b"machine ".to_vec(),
                        name.as_bytes().to_vec(),
                        b"\n".to_vec(),
                    ]
                };
                self.machines.push(Machine {
                    name: name.as_bytes().to_vec(),
                    is_default: name == "default",
                    tokens,
                });
                self.machines.len() - 1
            }
        };
        let m = &mut self.machines[index];
        m.set("login", login);
        m.set("password", password);
    }

    /// `netrc unset <name>`: drop every entry of that name; whether one was there.
    pub fn unset(&mut self, name: &str) -> bool {
        let before = self.machines.len();
        self.machines.retain(|m| m.name != name.as_bytes());
        self.machines.len() != before
    }
}

/// Why a value cannot be a netrc token, or `None` when it can. Whitespace or control
/// characters would split it, a leading `#` would turn it into a comment, a leading `"`
/// makes curl read it as a quoted string, and the keywords would start a new entry.
pub fn token_problem(value: &str) -> Option<&'static str> {
    if value.bytes().any(|b| b <= b' ' || b == 0x7f) {
        Some("it must not contain whitespace or control characters")
    } else if value.starts_with('#') || value.starts_with('"') {
        Some("it must not start with '#' or '\"'")
    } else if value == "machine" || value == "default" {
        Some("it must not be 'machine' or 'default'")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(s: &str) -> Vec<String> {
        lex(s.as_bytes())
            .into_iter()
            .map(|t| String::from_utf8(t).unwrap())
            .collect()
    }

    #[test]
    fn lexing() {
        assert_eq!(
            tokens("machine a login b"),
            ["machine", " ", "a", " ", "login", " ", "b"]
        );
        assert_eq!(tokens("# c\n  machine a"), ["# c\n  ", "machine", " ", "a"]);
        assert_eq!(tokens("x  # c\ny"), ["x", "  # c\n", "y"]);
        assert_eq!(tokens("a#b c"), ["a#b", " ", "c"]);
        assert_eq!(tokens("  \n#x"), ["  \n", "#x"]);
        assert_eq!(tokens(""), Vec::<String>::new());
    }

    #[test]
    fn append_and_update() {
        let mut n = Netrc::parse(b"");
        n.set("github.com", "u", "p");
        assert_eq!(n.render(), b"machine github.com\n  login u\n  password p\n");
        // Every command parses the file afresh.
        let mut n = Netrc::parse(&n.render());
        n.set("gitlab.com", "v", "q");
        let mut n = Netrc::parse(&n.render());
        n.set("github.com", "u2", "p2");
        assert_eq!(
            String::from_utf8(n.render()).unwrap(),
            "machine github.com\n  login u2\n  password p2\nmachine gitlab.com\n  login v\n  password q\n"
        );
        assert_eq!(n.get("gitlab.com").as_deref(), Some("v:q"));
        assert_eq!(n.get("nope"), None);
        let mut n = Netrc::parse(&n.render());
        assert!(n.unset("github.com"));
        assert!(!n.unset("github.com"));
        assert_eq!(n.render(), b"machine gitlab.com\n  login v\n  password q\n");
    }

    #[test]
    fn user_layout_survives() {
        let text = "# mine\nmachine a.com login x password y # trailing\n\tmachine b.com\n\tlogin z\n\tpassword w\n";
        let mut n = Netrc::parse(text.as_bytes());
        assert_eq!(n.render(), text.as_bytes());
        assert_eq!(n.get("a.com").as_deref(), Some("x:y"));
        assert_eq!(n.get("b.com").as_deref(), Some("z:w"));
        n.set("b.com", "z", "new");
        assert_eq!(
            String::from_utf8(n.render()).unwrap(),
            text.replace("password w", "password new")
        );
    }

    #[test]
    fn default_entry_and_missing_newline() {
        let mut n = Netrc::parse(b"machine a login b password c");
        n.set("default", "d", "e");
        assert_eq!(
            String::from_utf8(n.render()).unwrap(),
            "machine a login b password c\ndefault\n  login d\n  password e\n"
        );
        let n = Netrc::parse(&n.render());
        assert_eq!(n.get("default").as_deref(), Some("d:e"));
        let mut n = Netrc::parse(b"machine a login b");
        n.set("a", "b", "pw");
        assert_eq!(n.render(), b"machine a login b  password pw\n");
    }

    #[test]
    fn token_checks() {
        assert!(token_problem("s3cr3t!").is_none());
        assert!(token_problem("pässwörd").is_none());
        for bad in [
            "a b", "a\nb", "\t", "#x", "\"x", "machine", "default", "a\u{7f}",
        ] {
            assert!(token_problem(bad).is_some(), "{bad:?}");
        }
    }
}
