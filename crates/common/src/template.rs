//! A Go `text/template` engine with sigil's functions, for the `*.sigil` templates upstream
//! renders with `sigil -f TEMPLATE KEY=VALUE…` (see [`render_sigil`]).
//!
//! Supported: text and `{{ }}` actions with `{{- `/` -}}` trim markers and `{{/* */}}`
//! comments; `.`, `.Field` chains, `$`, `$var`, `$var.Field`, `(pipeline).Field`; `:=` and `=`;
//! `if`/`else if`/`else`/`end`, `with`/`else with`, `range` (one or two variables, `else`);
//! pipes; string (`"…"` with Go escapes, raw `` `…` ``), rune, integer, bool and `nil`
//! literals; the builtins `and`, `or` (short-circuit, returning the deciding value), `not`,
//! `eq`, `ne`, `lt`, `le`, `gt`, `ge`, `index`, `len`, `print`; sigil's `split`, `replace`,
//! `upper`, `lower`, `trim`, `join`, `default`. Not supported (a clear parse error):
//! `define`/`template`/`block`, `break`/`continue`, floats, methods, custom delimiters.
//!
//! Values follow Go's printing and truth rules: a missing map key prints `<no value>`, an
//! empty string/list/map, `0` and `false` are false, lists print as `[a b]`.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::error::{Error, Result};

/// A template value, as Go's `interface{}` holds the types sigil produces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// No value: a missing map key, `nil`, a variable sigil declares without a parameter.
    Missing,
    Bool(bool),
    Int(i64),
    Str(String),
    List(Vec<Value>),
    Map(BTreeMap<String, Value>),
}

impl Value {
    /// Go's truth: false for no value, `false`, `0`, and an empty string, list or map.
    pub fn truthy(&self) -> bool {
        match self {
            Value::Missing => false,
            Value::Bool(b) => *b,
            Value::Int(i) => *i != 0,
            Value::Str(s) => !s.is_empty(),
            Value::List(l) => !l.is_empty(),
            Value::Map(m) => !m.is_empty(),
        }
    }

    /// The Go type name, for error messages.
    fn type_name(&self) -> &'static str {
        match self {
            Value::Missing => "<nil>",
            Value::Bool(_) => "bool",
            Value::Int(_) => "int",
            Value::Str(_) => "string",
            Value::List(_) => "[]interface {}",
            Value::Map(_) => "map[string]interface {}",
        }
    }

    /// `fmt.Print`'s text; `top` says whether this is the printed value itself (Go prints a
    /// missing one as `<no value>`) or an element inside a list or map (`<nil>`).
    fn write_to(&self, out: &mut String, top: bool) {
        match self {
            Value::Missing if top => out.push_str("<no value>"),
            Value::Missing => out.push_str("<nil>"),
            Value::Bool(b) => {
                let _ = write!(out, "{b}");
            }
            Value::Int(i) => {
                let _ = write!(out, "{i}");
            }
            Value::Str(s) => out.push_str(s),
            Value::List(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(' ');
                    }
                    item.write_to(out, false);
                }
                out.push(']');
            }
            Value::Map(map) => {
                out.push_str("map[");
                for (i, (k, v)) in map.iter().enumerate() {
                    if i > 0 {
                        out.push(' ');
                    }
                    out.push_str(k);
                    out.push(':');
                    v.write_to(out, false);
                }
                out.push(']');
            }
        }
    }

    fn text(&self) -> String {
        let mut out = String::new();
        self.write_to(&mut out, true);
        out
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::Str(s.to_string())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Value {
        Value::Str(s)
    }
}

// ---------------------------------------------------------------------------------------
// Lexer: the source becomes text chunks and actions (token lists), trim markers applied.

const LEFT: &str = "{{";
const RIGHT: &str = "}}";

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Dot,
    /// `.Name`, alone or after an operand.
    Field(String),
    /// `$` or `$name`, with the `$`.
    Var(String),
    Ident(String),
    Str(String),
    Int(i64),
    Bool(bool),
    Nil,
    LParen,
    RParen,
    Pipe,
    Declare,
    Assign,
    Comma,
}

impl Tok {
    fn describe(&self) -> String {
        match self {
            Tok::Dot => "\".\"".into(),
            Tok::Field(f) => format!("field .{f}"),
            Tok::Var(v) => format!("variable {v}"),
            Tok::Ident(i) => format!("identifier {i}"),
            Tok::Str(s) => format!("string {s:?}"),
            Tok::Int(i) => format!("number {i}"),
            Tok::Bool(b) => format!("{b}"),
            Tok::Nil => "nil".into(),
            Tok::LParen => "\"(\"".into(),
            Tok::RParen => "\")\"".into(),
            Tok::Pipe => "\"|\"".into(),
            Tok::Declare => "\":=\"".into(),
            Tok::Assign => "\"=\"".into(),
            Tok::Comma => "\",\"".into(),
        }
    }
}

#[derive(Debug, Clone)]
struct Token {
    tok: Tok,
    /// Whitespace separates it from the previous token (operands need it; field chains
    /// must not have it).
    spaced: bool,
}

#[derive(Debug)]
enum Item {
    Text(String),
    Action { line: usize, toks: Vec<Token> },
}

struct Lexer<'a> {
    name: &'a str,
    src: &'a str,
    pos: usize,
    line: usize,
}

impl<'a> Lexer<'a> {
    fn err(&self, msg: impl std::fmt::Display) -> Error {
        Error::new(format!("template: {}:{}: {msg}", self.name, self.line))
    }

    fn rest(&self) -> &'a str {
        &self.src[self.pos..]
    }

    /// Move `n` bytes forward, counting lines.
    fn advance(&mut self, n: usize) {
        self.line += self.src[self.pos..self.pos + n].matches('\n').count();
        self.pos += n;
    }

    /// At `}}` or ` -}}`: `Some(trim)`.
    fn at_right_delim(&self) -> Option<bool> {
        let rest = self.rest();
        let mut chars = rest.chars();
        if let (Some(c), Some('-')) = (chars.next(), chars.next()) {
            if is_space(c) && rest[2..].starts_with(RIGHT) {
                return Some(true);
            }
        }
        rest.starts_with(RIGHT).then_some(false)
    }

    /// Step over the right delimiter found by [`Self::at_right_delim`].
    fn close(&mut self, trim: bool) {
        self.advance(RIGHT.len() + if trim { 2 } else { 0 });
    }

    fn lex(mut self) -> Result<Vec<Item>> {
        let mut items = Vec::new();
        let mut trim_next = false;
        loop {
            let rest = self.rest();
            let Some(open) = rest.find(LEFT) else {
                let text = if trim_next {
                    rest.trim_start_matches(is_space)
                } else {
                    rest
                };
                if !text.is_empty() {
                    items.push(Item::Text(text.to_string()));
                }
                return Ok(items);
            };
            let after = &rest[open + LEFT.len()..];
            let trim_left = after.starts_with('-') && after[1..].starts_with(is_space);
            let mut text = &rest[..open];
            if trim_next {
                text = text.trim_start_matches(is_space);
            }
            if trim_left {
                text = text.trim_end_matches(is_space);
            }
            if !text.is_empty() {
                items.push(Item::Text(text.to_string()));
            }
            self.advance(open + LEFT.len() + if trim_left { 2 } else { 0 });
            if self.rest().starts_with("/*") {
                trim_next = self.comment()?;
                continue;
            }
            let line = self.line;
            let (toks, trim) = self.action()?;
            trim_next = trim;
            items.push(Item::Action { line, toks });
        }
    }

    fn comment(&mut self) -> Result<bool> {
        let Some(end) = self.rest()[2..].find("*/") else {
            return Err(self.err("unclosed comment"));
        };
        self.advance(2 + end + 2);
        let Some(trim) = self.at_right_delim() else {
            return Err(self.err("comment ends before closing delimiter"));
        };
        self.close(trim);
        Ok(trim)
    }

    /// The tokens up to the closing delimiter, and whether it trims the following text.
    fn action(&mut self) -> Result<(Vec<Token>, bool)> {
        let mut toks = Vec::new();
        let mut spaced = false;
        loop {
            if let Some(trim) = self.at_right_delim() {
                self.close(trim);
                return Ok((toks, trim));
            }
            let Some(c) = self.rest().chars().next() else {
                return Err(self.err("unclosed action"));
            };
            if is_space(c) {
                self.advance(c.len_utf8());
                spaced = true;
                continue;
            }
            let tok = self.token(c)?;
            toks.push(Token { tok, spaced });
            spaced = false;
        }
    }

    fn token(&mut self, c: char) -> Result<Tok> {
        let rest = self.rest();
        let second = rest[c.len_utf8()..].chars().next();
        let word_len = |s: &str| {
            s.find(|ch: char| !(ch.is_alphanumeric() || ch == '_'))
                .unwrap_or(s.len())
        };
        let (tok, len) = match c {
            '(' => (Tok::LParen, 1),
            ')' => (Tok::RParen, 1),
            '|' => (Tok::Pipe, 1),
            ',' => (Tok::Comma, 1),
            '=' => (Tok::Assign, 1),
            ':' if second == Some('=') => (Tok::Declare, 2),
            '"' => return self.quoted(),
            '`' => {
                let Some(end) = rest[1..].find('`') else {
                    return Err(self.err("unterminated raw quoted string"));
                };
                let text = rest[1..1 + end].replace('\r', "");
                (Tok::Str(text), end + 2)
            }
            '\'' => return self.rune(),
            '$' => {
                let n = word_len(&rest[1..]);
                (Tok::Var(rest[..1 + n].to_string()), 1 + n)
            }
            '.' if second.is_some_and(|d| d.is_ascii_digit()) => {
                return Err(self.err("floating-point numbers are not supported"));
            }
            '.' => {
                let n = word_len(&rest[1..]);
                if n == 0 {
                    (Tok::Dot, 1)
                } else {
                    (Tok::Field(rest[1..1 + n].to_string()), 1 + n)
                }
            }
            '0'..='9' => return self.number(),
            '+' | '-' if second.is_some_and(|d| d.is_ascii_digit()) => return self.number(),
            c if c.is_alphabetic() || c == '_' => {
                let n = word_len(rest);
                let word = &rest[..n];
                let tok = match word {
                    "true" => Tok::Bool(true),
                    "false" => Tok::Bool(false),
                    "nil" => Tok::Nil,
                    _ => Tok::Ident(word.to_string()),
                };
                (tok, n)
            }
            c => return Err(self.err(format!("unexpected {c:?} in command"))),
        };
        self.advance(len);
        Ok(tok)
    }

    fn number(&mut self) -> Result<Tok> {
        let rest = self.rest();
        let sign_len = usize::from(rest.starts_with(['+', '-']));
        let body_len = rest[sign_len..]
            .find(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '_' || ch == '.'))
            .unwrap_or(rest.len() - sign_len);
        let literal = &rest[..sign_len + body_len];
        let negative = literal.starts_with('-');
        let digits = literal[sign_len..].replace('_', "");
        let lower = digits.to_ascii_lowercase();
        let parsed = if let Some(hex) = lower.strip_prefix("0x") {
            i64::from_str_radix(hex, 16)
        } else if let Some(oct) = lower.strip_prefix("0o") {
            i64::from_str_radix(oct, 8)
        } else if let Some(bin) = lower.strip_prefix("0b") {
            i64::from_str_radix(bin, 2)
        } else if lower.len() > 1 && lower.starts_with('0') {
            i64::from_str_radix(&lower[1..], 8)
        } else {
            lower.parse::<i64>()
        };
        let Ok(value) = parsed else {
            return Err(self.err(format!("bad number syntax: {literal:?}")));
        };
        let value = if negative { -value } else { value };
        self.advance(literal.len());
        Ok(Tok::Int(value))
    }

    fn quoted(&mut self) -> Result<Tok> {
        let body = &self.rest()[1..];
        let mut chars = body.char_indices();
        let mut bytes = Vec::new();
        loop {
            let Some((i, c)) = chars.next() else {
                return Err(self.err("unterminated quoted string"));
            };
            match c {
                '"' => {
                    self.advance(i + 2);
                    return Ok(Tok::Str(String::from_utf8_lossy(&bytes).into_owned()));
                }
                '\n' => return Err(self.err("unterminated quoted string")),
                '\\' => {
                    let escaped = unescape(&mut chars, '"').map_err(|e| self.err(e))?;
                    bytes.extend(escaped);
                }
                c => bytes.extend(c.to_string().as_bytes()),
            }
        }
    }

    fn rune(&mut self) -> Result<Tok> {
        let body = &self.rest()[1..];
        let mut chars = body.char_indices();
        let value = match chars.next() {
            Some((_, '\\')) => {
                let bytes = unescape(&mut chars, '\'').map_err(|e| self.err(e))?;
                let text = String::from_utf8_lossy(&bytes).into_owned();
                let mut cs = text.chars();
                match (cs.next(), cs.next(), bytes.len()) {
                    (_, _, 1) => i64::from(bytes[0]),
                    (Some(c), None, _) => i64::from(u32::from(c)),
                    _ => return Err(self.err("malformed character constant")),
                }
            }
            Some((_, c)) if c != '\'' && c != '\n' => i64::from(u32::from(c)),
            _ => return Err(self.err("malformed character constant")),
        };
        match chars.next() {
            Some((i, '\'')) => {
                self.advance(i + 2);
                Ok(Tok::Int(value))
            }
            _ => Err(self.err("unterminated character constant")),
        }
    }
}

/// One Go escape sequence (after its backslash) as bytes: `\x` and octal escapes are single
/// bytes, `\u`/`\U` are UTF-8.
fn unescape(
    chars: &mut std::str::CharIndices,
    quote: char,
) -> std::result::Result<Vec<u8>, String> {
    let bad = || "invalid syntax in escape sequence".to_string();
    let (_, c) = chars.next().ok_or_else(bad)?;
    let mut take =
        |n: usize, radix: u32, first: Option<char>| -> std::result::Result<u32, String> {
            let mut text: String = first.into_iter().collect();
            while text.len() < n {
                text.push(chars.next().ok_or_else(bad)?.1);
            }
            u32::from_str_radix(&text, radix).map_err(|_| bad())
        };
    let simple = |b: u8| Ok(vec![b]);
    match c {
        'a' => simple(0x07),
        'b' => simple(0x08),
        'f' => simple(0x0c),
        'n' => simple(b'\n'),
        'r' => simple(b'\r'),
        't' => simple(b'\t'),
        'v' => simple(0x0b),
        '\\' => simple(b'\\'),
        c if c == quote => simple(c as u8),
        'x' => Ok(vec![take(2, 16, None)? as u8]),
        '0'..='7' => {
            let v = take(3, 8, Some(c))?;
            u8::try_from(v).map(|b| vec![b]).map_err(|_| bad())
        }
        'u' | 'U' => {
            let v = take(if c == 'u' { 4 } else { 8 }, 16, None)?;
            let ch = char::from_u32(v).ok_or_else(bad)?;
            Ok(ch.to_string().into_bytes())
        }
        _ => Err(bad()),
    }
}

// ---------------------------------------------------------------------------------------
// Parse tree.

#[derive(Debug, Clone)]
enum Node {
    Text(String),
    /// Prints the pipeline's value unless it declares or assigns variables.
    Action(Pipeline),
    If(Control),
    With(Control),
    Range(Control),
}

#[derive(Debug, Clone)]
struct Control {
    pipe: Pipeline,
    list: Vec<Node>,
    /// `else` branch; an `else if`/`else with` is a nested control here.
    else_list: Vec<Node>,
}

#[derive(Debug, Clone)]
struct Pipeline {
    line: usize,
    /// Declared (`:=`) or assigned (`=`) variables, with their `$`.
    decl: Vec<String>,
    assign: bool,
    cmds: Vec<Command>,
}

#[derive(Debug, Clone)]
struct Command {
    args: Vec<Operand>,
}

#[derive(Debug, Clone)]
enum Term {
    Dot,
    Var(String),
    Func(String),
    Literal(Value),
    Nil,
    Sub(Box<Pipeline>),
}

/// A term and the `.Field` chain applied to it (`.A.B` is `Dot` with `[A, B]`).
#[derive(Debug, Clone)]
struct Operand {
    term: Term,
    fields: Vec<String>,
}

impl Operand {
    fn describe(&self) -> String {
        let mut out = match &self.term {
            Term::Dot if self.fields.is_empty() => ".".to_string(),
            Term::Dot => String::new(),
            Term::Var(v) => v.clone(),
            Term::Func(f) => f.clone(),
            Term::Literal(Value::Str(s)) => format!("{s:?}"),
            Term::Literal(v) => v.text(),
            Term::Nil => "nil".into(),
            Term::Sub(_) => "(…)".into(),
        };
        for f in &self.fields {
            out.push('.');
            out.push_str(f);
        }
        out
    }
}

/// What ended an item list.
enum Closer {
    Eof,
    End,
    Else(usize, Vec<Token>),
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    If,
    With,
    Range,
}

impl Kind {
    fn word(self) -> &'static str {
        match self {
            Kind::If => "if",
            Kind::With => "with",
            Kind::Range => "range",
        }
    }
}

const FUNCS: &[&str] = &[
    "and", "or", "not", "eq", "ne", "lt", "le", "gt", "ge", "index", "len", "print", "split",
    "replace", "upper", "lower", "trim", "join", "default",
];

struct Parser<'a> {
    name: &'a str,
    items: std::vec::IntoIter<Item>,
    /// Variables in scope, as Go's parser tracks them to reject undefined ones.
    vars: Vec<String>,
    line: usize,
    /// Open `if`/`with`/`range` blocks and parentheses: parsing and running recurse on them.
    depth: usize,
}

/// Deeper nesting than any real template needs is refused rather than risking the stack.
const MAX_DEPTH: usize = 200;

impl Parser<'_> {
    fn enter(&mut self, line: usize) -> Result<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.err(line, format!("nesting deeper than {MAX_DEPTH} levels")));
        }
        Ok(())
    }

    fn err(&self, line: usize, msg: impl std::fmt::Display) -> Error {
        Error::new(format!("template: {}:{line}: {msg}", self.name))
    }

    fn list(&mut self) -> Result<(Vec<Node>, Closer)> {
        let mut nodes = Vec::new();
        while let Some(item) = self.items.next() {
            let (line, toks) = match item {
                Item::Text(t) => {
                    nodes.push(Node::Text(t));
                    continue;
                }
                Item::Action { line, toks } => (line, toks),
            };
            self.line = line;
            let keyword = match toks.first().map(|t| &t.tok) {
                Some(Tok::Ident(word)) => word.as_str(),
                _ => "",
            };
            match keyword {
                "if" => nodes.push(Node::If(self.control(Kind::If, line, &toks[1..])?)),
                "with" => nodes.push(Node::With(self.control(Kind::With, line, &toks[1..])?)),
                "range" => nodes.push(Node::Range(self.control(Kind::Range, line, &toks[1..])?)),
                "end" => {
                    if let Some(t) = toks.get(1) {
                        return Err(
                            self.err(line, format!("unexpected {} in end", t.tok.describe()))
                        );
                    }
                    return Ok((nodes, Closer::End));
                }
                "else" => return Ok((nodes, Closer::Else(line, toks[1..].to_vec()))),
                "define" | "template" | "block" | "break" | "continue" => {
                    return Err(self.err(line, format!("{{{{{keyword}}}}} is not supported")));
                }
                _ => nodes.push(Node::Action(self.pipeline(line, &toks, "command", false)?)),
            }
        }
        Ok((nodes, Closer::Eof))
    }

    fn control(&mut self, kind: Kind, line: usize, toks: &[Token]) -> Result<Control> {
        self.enter(line)?;
        let mark = self.vars.len();
        let pipe = self.pipeline(line, toks, kind.word(), kind == Kind::Range)?;
        let (list, end) = self.list()?;
        let else_list = match end {
            Closer::End => Vec::new(),
            Closer::Eof => return Err(self.err(self.line, "unexpected EOF")),
            Closer::Else(else_line, rest) => match rest.first().map(|t| &t.tok) {
                None => match self.list()? {
                    (nodes, Closer::End) => nodes,
                    (_, Closer::Eof) => return Err(self.err(self.line, "unexpected EOF")),
                    (_, Closer::Else(l, _)) => {
                        return Err(self.err(l, "expected end; found {{else}}"))
                    }
                },
                Some(Tok::Ident(w))
                    if (w == "if" && kind == Kind::If) || (w == "with" && kind == Kind::With) =>
                {
                    // `else if` shares the chain's single `{{end}}`, which the nested control
                    // consumes.
                    let nested = self.control(kind, else_line, &rest[1..])?;
                    vec![if kind == Kind::If {
                        Node::If(nested)
                    } else {
                        Node::With(nested)
                    }]
                }
                Some(t) => {
                    return Err(self.err(else_line, format!("unexpected {} in else", t.describe())))
                }
            },
        };
        self.vars.truncate(mark);
        self.depth -= 1;
        Ok(Control {
            pipe,
            list,
            else_list,
        })
    }

    fn pipeline(
        &mut self,
        line: usize,
        toks: &[Token],
        context: &str,
        range: bool,
    ) -> Result<Pipeline> {
        let mut decl = Vec::new();
        let mut assign = false;
        let mut rest = toks;
        let var_at = |i: usize| match toks.get(i).map(|t| &t.tok) {
            Some(Tok::Var(v)) => Some(v.clone()),
            _ => None,
        };
        let tok_at = |i: usize| toks.get(i).map(|t| &t.tok);
        if let Some(first) = var_at(0) {
            match tok_at(1) {
                Some(Tok::Declare) | Some(Tok::Assign) => {
                    assign = tok_at(1) == Some(&Tok::Assign);
                    decl.push(first);
                    rest = &toks[2..];
                }
                Some(Tok::Comma) => {
                    if !range {
                        return Err(self.err(line, "too many declarations in command"));
                    }
                    let Some(second) = var_at(2) else {
                        return Err(self.err(line, "expected variable after \",\""));
                    };
                    match tok_at(3) {
                        Some(Tok::Declare) | Some(Tok::Assign) => {}
                        _ => return Err(self.err(line, "expected := or = after range variables")),
                    }
                    assign = tok_at(3) == Some(&Tok::Assign);
                    decl = vec![first, second];
                    rest = &toks[4..];
                }
                _ => {}
            }
        }
        for v in &decl {
            if assign {
                self.use_var(line, v)?;
            } else {
                self.vars.push(v.clone());
            }
        }
        let mut cmds = Vec::new();
        for part in split_pipes(rest) {
            if part.is_empty() {
                return Err(self.err(line, format!("missing value for {context}")));
            }
            cmds.push(self.command(line, part)?);
        }
        if cmds.is_empty() {
            return Err(self.err(line, format!("missing value for {context}")));
        }
        for (i, cmd) in cmds.iter().enumerate().skip(1) {
            if matches!(cmd.args[0].term, Term::Literal(_) | Term::Nil | Term::Dot)
                && cmd.args[0].fields.is_empty()
            {
                return Err(self.err(
                    line,
                    format!("non executable command in pipeline stage {}", i + 1),
                ));
            }
        }
        Ok(Pipeline {
            line,
            decl,
            assign,
            cmds,
        })
    }

    fn use_var(&self, line: usize, name: &str) -> Result<()> {
        if self.vars.iter().any(|v| v == name) {
            Ok(())
        } else {
            Err(self.err(line, format!("undefined variable {name:?}")))
        }
    }

    fn command(&mut self, line: usize, toks: &[Token]) -> Result<Command> {
        let mut args = Vec::new();
        let mut i = 0;
        while i < toks.len() {
            if i > 0 && !toks[i].spaced {
                return Err(self.err(
                    line,
                    format!("unexpected {} in operand", toks[i].tok.describe()),
                ));
            }
            let (term, mut fields, mut next) = match &toks[i].tok {
                Tok::Dot => (Term::Dot, Vec::new(), i + 1),
                Tok::Field(f) => (Term::Dot, vec![f.clone()], i + 1),
                Tok::Var(v) => {
                    self.use_var(line, v)?;
                    (Term::Var(v.clone()), Vec::new(), i + 1)
                }
                Tok::Ident(name) => {
                    if !FUNCS.contains(&name.as_str()) {
                        return Err(self.err(line, format!("function {name:?} not defined")));
                    }
                    (Term::Func(name.clone()), Vec::new(), i + 1)
                }
                Tok::Str(s) => (Term::Literal(Value::Str(s.clone())), Vec::new(), i + 1),
                Tok::Int(n) => (Term::Literal(Value::Int(*n)), Vec::new(), i + 1),
                Tok::Bool(b) => (Term::Literal(Value::Bool(*b)), Vec::new(), i + 1),
                Tok::Nil => (Term::Nil, Vec::new(), i + 1),
                Tok::LParen => {
                    let close = matching_paren(toks, i)
                        .ok_or_else(|| self.err(line, "unclosed left paren"))?;
                    self.enter(line)?;
                    let inner =
                        self.pipeline(line, &toks[i + 1..close], "parenthesized pipeline", false)?;
                    self.depth -= 1;
                    (Term::Sub(Box::new(inner)), Vec::new(), close + 1)
                }
                t => return Err(self.err(line, format!("unexpected {} in operand", t.describe()))),
            };
            // A field chain is written without spaces: `$x.A.B`, `(pipeline).A`.
            while let Some(Token {
                tok: Tok::Field(f),
                spaced: false,
            }) = toks.get(next)
            {
                if matches!(term, Term::Func(_) | Term::Literal(_) | Term::Nil) {
                    return Err(self.err(
                        line,
                        format!("unexpected . after term {}", toks[i].tok.describe()),
                    ));
                }
                fields.push(f.clone());
                next += 1;
            }
            args.push(Operand { term, fields });
            i = next;
        }
        Ok(Command { args })
    }
}

/// Split a pipeline's tokens at the `|` outside parentheses.
fn split_pipes(toks: &[Token]) -> Vec<&[Token]> {
    let mut parts = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    for (i, t) in toks.iter().enumerate() {
        match t.tok {
            Tok::LParen => depth += 1,
            Tok::RParen => depth = depth.saturating_sub(1),
            Tok::Pipe if depth == 0 => {
                parts.push(&toks[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    if start < toks.len() || !parts.is_empty() {
        parts.push(&toks[start..]);
    }
    parts
}

fn matching_paren(toks: &[Token], open: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (i, t) in toks.iter().enumerate().skip(open) {
        match t.tok {
            Tok::LParen => depth += 1,
            Tok::RParen => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

// ---------------------------------------------------------------------------------------
// Execution.

/// A parsed template.
#[derive(Debug, Clone)]
pub struct Template {
    name: String,
    nodes: Vec<Node>,
    predeclared: Vec<String>,
}

impl Template {
    /// Parse `source`. `predeclared` names variables (without `$`) in scope everywhere, as
    /// sigil declares one per parameter; they take their values from the data's map keys.
    pub fn parse(name: &str, source: &str, predeclared: &[&str]) -> Result<Template> {
        let items = Lexer {
            name,
            src: source,
            pos: 0,
            line: 1,
        }
        .lex()?;
        let mut vars = vec!["$".to_string()];
        vars.extend(predeclared.iter().map(|v| format!("${v}")));
        let mut parser = Parser {
            name,
            items: items.into_iter(),
            vars,
            line: 1,
            depth: 0,
        };
        let nodes = match parser.list()? {
            (nodes, Closer::Eof) => nodes,
            (_, Closer::End) => return Err(parser.err(parser.line, "unexpected {{end}}")),
            (_, Closer::Else(line, _)) => return Err(parser.err(line, "unexpected {{else}}")),
        };
        Ok(Template {
            name: name.to_string(),
            nodes,
            predeclared: predeclared.iter().map(|v| v.to_string()).collect(),
        })
    }

    /// Render with `data` as `.` and `$`.
    pub fn execute(&self, data: &Value) -> Result<String> {
        let mut vars = vec![("$".to_string(), data.clone())];
        for name in &self.predeclared {
            let value = match data {
                Value::Map(m) => m.get(name).cloned().unwrap_or(Value::Missing),
                _ => Value::Missing,
            };
            vars.push((format!("${name}"), value));
        }
        let mut exec = Exec {
            name: &self.name,
            vars,
            out: String::new(),
        };
        exec.walk(data, &self.nodes)?;
        Ok(exec.out)
    }
}

/// A failure inside a function: Go prefixes errors the function returns with
/// `error calling <name>:`, but not argument-checking errors.
enum CallError {
    Returned(String),
    Args(String),
}

type CallResult = std::result::Result<Value, CallError>;

fn returned<T>(msg: impl Into<String>) -> std::result::Result<T, CallError> {
    Err(CallError::Returned(msg.into()))
}

struct Exec<'t> {
    name: &'t str,
    vars: Vec<(String, Value)>,
    out: String,
}

impl Exec<'_> {
    fn err(&self, line: usize, msg: impl std::fmt::Display) -> Error {
        Error::new(format!("template: {}:{line}: {msg}", self.name))
    }

    fn walk(&mut self, dot: &Value, nodes: &[Node]) -> Result<()> {
        for node in nodes {
            match node {
                Node::Text(t) => self.out.push_str(t),
                Node::Action(pipe) => {
                    let value = self.pipeline(dot, pipe)?;
                    if pipe.decl.is_empty() {
                        value.write_to(&mut self.out, true);
                    }
                }
                Node::If(c) | Node::With(c) => {
                    let mark = self.vars.len();
                    let value = self.pipeline(dot, &c.pipe)?;
                    if !value.truthy() {
                        self.walk(dot, &c.else_list)?;
                    } else if matches!(node, Node::With(_)) {
                        self.walk(&value, &c.list)?;
                    } else {
                        self.walk(dot, &c.list)?;
                    }
                    self.vars.truncate(mark);
                }
                Node::Range(c) => self.range(dot, c)?,
            }
        }
        Ok(())
    }

    fn range(&mut self, dot: &Value, c: &Control) -> Result<()> {
        let mark = self.vars.len();
        let value = self.eval_cmds(dot, &c.pipe)?;
        let entries: Vec<(Value, Value)> = match value {
            Value::Missing => Vec::new(),
            Value::List(items) => items
                .into_iter()
                .enumerate()
                .map(|(i, v)| (Value::Int(i as i64), v))
                .collect(),
            Value::Map(map) => map.into_iter().map(|(k, v)| (Value::Str(k), v)).collect(),
            other => {
                return Err(self.err(
                    c.pipe.line,
                    format!("range can't iterate over {}", other.text()),
                ))
            }
        };
        if entries.is_empty() {
            self.walk(dot, &c.else_list)?;
        }
        for (index, elem) in entries {
            // One variable takes the element; two take the index and the element.
            let bound: Vec<Value> = match c.pipe.decl.len() {
                0 => Vec::new(),
                1 => vec![elem.clone()],
                _ => vec![index, elem.clone()],
            };
            for (name, value) in c.pipe.decl.iter().zip(bound) {
                self.bind(c.pipe.line, name, value, c.pipe.assign)?;
            }
            self.walk(&elem, &c.list)?;
            self.vars.truncate(mark);
        }
        self.vars.truncate(mark);
        Ok(())
    }

    fn bind(&mut self, line: usize, name: &str, value: Value, assign: bool) -> Result<()> {
        if !assign {
            self.vars.push((name.to_string(), value));
            return Ok(());
        }
        match self.vars.iter_mut().rev().find(|(n, _)| n == name) {
            Some(slot) => {
                slot.1 = value;
                Ok(())
            }
            None => Err(self.err(line, format!("undefined variable: {name}"))),
        }
    }

    /// Evaluate a pipeline and bind its declared variables.
    fn pipeline(&mut self, dot: &Value, pipe: &Pipeline) -> Result<Value> {
        let value = self.eval_cmds(dot, pipe)?;
        for name in &pipe.decl {
            self.bind(pipe.line, name, value.clone(), pipe.assign)?;
        }
        Ok(value)
    }

    fn eval_cmds(&mut self, dot: &Value, pipe: &Pipeline) -> Result<Value> {
        let mut value = None;
        for cmd in &pipe.cmds {
            value = Some(self.command(dot, cmd, value, pipe.line)?);
        }
        Ok(value.unwrap_or(Value::Missing))
    }

    fn command(
        &mut self,
        dot: &Value,
        cmd: &Command,
        piped: Option<Value>,
        line: usize,
    ) -> Result<Value> {
        let head = &cmd.args[0];
        if let (Term::Func(name), true) = (&head.term, head.fields.is_empty()) {
            return self.call(dot, name, &cmd.args[1..], piped, line);
        }
        if cmd.args.len() > 1 || piped.is_some() {
            return Err(self.err(
                line,
                format!("can't give argument to non-function {}", head.describe()),
            ));
        }
        if let Term::Nil = head.term {
            return Err(self.err(line, "nil is not a command"));
        }
        self.operand(dot, head, line)
    }

    fn operand(&mut self, dot: &Value, op: &Operand, line: usize) -> Result<Value> {
        let mut value = match &op.term {
            Term::Dot => dot.clone(),
            Term::Var(name) => match self.vars.iter().rev().find(|(n, _)| n == name) {
                Some((_, v)) => v.clone(),
                None => return Err(self.err(line, format!("undefined variable: {name}"))),
            },
            Term::Literal(v) => v.clone(),
            Term::Nil => Value::Missing,
            Term::Sub(pipe) => self.eval_cmds(dot, pipe)?,
            Term::Func(name) => self.call(dot, name, &[], None, line)?,
        };
        for field in &op.fields {
            value = match value {
                Value::Map(mut m) => m.remove(field).unwrap_or(Value::Missing),
                Value::Missing => Value::Missing,
                other => {
                    return Err(self.err(
                        line,
                        format!("can't evaluate field {field} in type {}", other.type_name()),
                    ))
                }
            };
        }
        Ok(value)
    }

    fn call(
        &mut self,
        dot: &Value,
        name: &str,
        args: &[Operand],
        piped: Option<Value>,
        line: usize,
    ) -> Result<Value> {
        let count = args.len() + usize::from(piped.is_some());
        if name == "and" || name == "or" {
            if count == 0 {
                return Err(self.err(
                    line,
                    format!("wrong number of args for {name}: want at least 1 got 0"),
                ));
            }
            // Evaluated left to right, stopping at the first value that decides the result.
            let mut value = Value::Missing;
            for arg in args {
                value = self.operand(dot, arg, line)?;
                if value.truthy() == (name == "or") {
                    return Ok(value);
                }
            }
            return Ok(piped.unwrap_or(value));
        }
        let mut values = Vec::with_capacity(count);
        for arg in args {
            values.push(self.operand(dot, arg, line)?);
        }
        values.extend(piped);
        if let Some(msg) = arity_error(name, values.len()) {
            return Err(self.err(line, msg));
        }
        builtin(name, values).map_err(|e| match e {
            CallError::Returned(msg) => self.err(line, format!("error calling {name}: {msg}")),
            CallError::Args(msg) => self.err(line, msg),
        })
    }
}

fn arity_error(name: &str, got: usize) -> Option<String> {
    let (want, at_least) = match name {
        "not" | "len" | "upper" | "lower" | "trim" => (1, false),
        "ne" | "lt" | "le" | "gt" | "ge" | "split" | "join" | "default" => (2, false),
        "replace" => (3, false),
        "eq" | "index" => (1, true),
        _ => return None,
    };
    if got == want || (at_least && got > want) {
        return None;
    }
    let least = if at_least { "at least " } else { "" };
    Some(format!(
        "wrong number of args for {name}: want {least}{want} got {got}"
    ))
}

/// A Go `string` parameter.
fn want_str(v: &Value) -> std::result::Result<String, CallError> {
    match v {
        Value::Str(s) => Ok(s.clone()),
        Value::Missing => Err(CallError::Args("invalid value; expected string".into())),
        other => Err(CallError::Args(format!(
            "wrong type for value; expected string; got {}",
            other.type_name()
        ))),
    }
}

/// sigil's "must be given a string" check of its `interface{}` input.
fn sigil_str(v: &Value, name: &str) -> std::result::Result<String, CallError> {
    match v {
        Value::Str(s) => Ok(s.clone()),
        _ => returned(format!("{name} must be given a string")),
    }
}

/// Go's `unicode.ToUpper`/`ToLower` map one rune to one rune (`ß` stays `ß`).
fn map_case(s: &str, upper: bool) -> String {
    s.chars()
        .map(|c| {
            let mut mapped: Vec<char> = if upper {
                c.to_uppercase().collect()
            } else {
                c.to_lowercase().collect()
            };
            if mapped.len() == 1 {
                mapped.remove(0)
            } else {
                c
            }
        })
        .collect()
}

fn builtin(name: &str, mut args: Vec<Value>) -> CallResult {
    match name {
        "not" => Ok(Value::Bool(!args[0].truthy())),
        "eq" => Ok(Value::Bool(eq(&args[0], &args[1..])?)),
        "ne" => Ok(Value::Bool(!eq(&args[0], &args[1..])?)),
        "lt" | "le" | "gt" | "ge" => {
            let ord = compare(&args[0], &args[1])?;
            Ok(Value::Bool(match name {
                "lt" => ord.is_lt(),
                "le" => ord.is_le(),
                "gt" => ord.is_gt(),
                _ => ord.is_ge(),
            }))
        }
        "len" => match &args[0] {
            Value::Str(s) => Ok(Value::Int(s.len() as i64)),
            Value::List(l) => Ok(Value::Int(l.len() as i64)),
            Value::Map(m) => Ok(Value::Int(m.len() as i64)),
            Value::Missing => returned("len of untyped nil"),
            other => returned(format!("len of type {}", other.type_name())),
        },
        "index" => {
            let mut item = args.remove(0);
            for key in args {
                item = index(item, &key)?;
            }
            Ok(item)
        }
        "print" => {
            // fmt.Sprint: a space between operands when neither is a string.
            let mut out = String::new();
            for (i, v) in args.iter().enumerate() {
                if i > 0 && !matches!(v, Value::Str(_)) && !matches!(args[i - 1], Value::Str(_)) {
                    out.push(' ');
                }
                v.write_to(&mut out, false);
            }
            Ok(Value::Str(out))
        }
        "split" => {
            let delim = want_str(&args[0])?;
            let input = sigil_str(&args[1], "split")?;
            let parts: Vec<Value> = if delim.is_empty() {
                input.chars().map(|c| Value::Str(c.to_string())).collect()
            } else {
                input.split(delim.as_str()).map(Value::from).collect()
            };
            Ok(Value::List(parts))
        }
        "replace" => {
            let old = want_str(&args[0])?;
            let new = want_str(&args[1])?;
            let input = sigil_str(&args[2], "replace")?;
            Ok(Value::Str(input.replace(old.as_str(), &new)))
        }
        "upper" => Ok(Value::Str(map_case(&sigil_str(&args[0], "upper")?, true))),
        "lower" => Ok(Value::Str(map_case(&sigil_str(&args[0], "lower")?, false))),
        "trim" => Ok(Value::Str(
            sigil_str(&args[0], "trim")?
                .trim_matches([' ', '\n'])
                .to_string(),
        )),
        "join" => {
            let delim = want_str(&args[0])?;
            let items = match &args[1] {
                Value::List(l) => l.as_slice(),
                Value::Missing => &[],
                other => {
                    return Err(CallError::Args(format!(
                        "wrong type for value; expected []interface {{}}; got {}",
                        other.type_name()
                    )))
                }
            };
            // sigil skips elements that are not strings.
            let strings: Vec<&str> = items
                .iter()
                .filter_map(|v| match v {
                    Value::Str(s) => Some(s.as_str()),
                    _ => None,
                })
                .collect();
            Ok(Value::Str(strings.join(&delim)))
        }
        "default" => {
            let input = args.pop().unwrap_or(Value::Missing);
            let fallback = args.pop().unwrap_or(Value::Missing);
            match &input {
                Value::List(_) | Value::Map(_) => returned(format!(
                    "runtime error: comparing uncomparable type {}",
                    input.type_name()
                )),
                v if !v.truthy() => Ok(fallback),
                _ => Ok(input),
            }
        }
        _ => returned(format!("function {name:?} not defined")),
    }
}

/// Go's `eq arg1 arg2…`: whether `a` equals any of `others`.
fn eq(a: &Value, others: &[Value]) -> std::result::Result<bool, CallError> {
    if matches!(a, Value::List(_) | Value::Map(_)) {
        return returned(format!("uncomparable type {}: {}", a.type_name(), a.text()));
    }
    if others.is_empty() {
        return returned("missing argument for comparison");
    }
    for b in others {
        let truth = match (a, b) {
            (Value::Missing, Value::Missing) => true,
            (Value::Missing, _) | (_, Value::Missing) => false,
            (Value::Bool(x), Value::Bool(y)) => x == y,
            (Value::Int(x), Value::Int(y)) => x == y,
            (Value::Str(x), Value::Str(y)) => x == y,
            _ => return returned("incompatible types for comparison"),
        };
        if truth {
            return Ok(true);
        }
    }
    Ok(false)
}

fn compare(a: &Value, b: &Value) -> std::result::Result<std::cmp::Ordering, CallError> {
    match (a, b) {
        (Value::Int(x), Value::Int(y)) => Ok(x.cmp(y)),
        (Value::Str(x), Value::Str(y)) => Ok(x.cmp(y)),
        (Value::Int(_) | Value::Str(_), Value::Int(_) | Value::Str(_)) => {
            returned("incompatible types for comparison")
        }
        _ => returned("invalid type for comparison"),
    }
}

fn index(item: Value, key: &Value) -> CallResult {
    match (item, key) {
        (Value::List(mut l), Value::Int(i)) => {
            if *i < 0 || *i as usize >= l.len() {
                return returned(format!("index out of range: {i}"));
            }
            Ok(l.swap_remove(*i as usize))
        }
        (Value::Str(s), Value::Int(i)) => {
            match usize::try_from(*i).ok().and_then(|i| s.as_bytes().get(i)) {
                Some(b) => Ok(Value::Int(i64::from(*b))),
                None => returned(format!("index out of range: {i}")),
            }
        }
        (Value::List(_) | Value::Str(_), k) => returned(format!(
            "cannot index slice/array with type {}",
            k.type_name()
        )),
        (Value::Map(mut m), Value::Str(k)) => Ok(m.remove(k).unwrap_or(Value::Missing)),
        (Value::Map(_), k) => returned(format!(
            "value has type {}; should be string",
            k.type_name()
        )),
        (Value::Missing, _) => returned("index of untyped nil"),
        (other, _) => returned(format!("can't index item of type {}", other.type_name())),
    }
}

// ---------------------------------------------------------------------------------------
// sigil and `cat -s`.

/// Render a template the way `sigil -f <name> KEY=VALUE…` does: the parameters are the data
/// (`.KEY`, `$.KEY`) and also variables (`$KEY`); every other `$name` written in the
/// template is declared too, and added to the data, with no value, so
/// `{{ $x | default "y" }}` works; and an action closed with `\}}` at the end of a line is
/// joined with a next line that starts with `{{`.
/// A later parameter of the same key wins. Errors are Go-style `template: <name>:<line>: …`.
pub fn render_sigil(name: &str, source: &str, params: &[(String, String)]) -> Result<String> {
    let source = source.replace("\\}}\n{{", "}}{{");
    let mut data = BTreeMap::new();
    for (k, v) in params {
        data.insert(k.clone(), Value::Str(v.clone()));
    }
    // sigil adds each `$name` it finds to the data itself (so `.` shows them, without value).
    for var in dollar_names(&source) {
        data.entry(var.to_string()).or_insert(Value::Missing);
    }
    let names: Vec<&str> = data
        .keys()
        .map(String::as_str)
        .filter(|k| is_identifier(k))
        .collect();
    let template = Template::parse(name, &source, &names)?;
    template.execute(&Value::Map(data))
}

fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The `$name` references anywhere in the text (sigil scans with `\$([a-zA-Z_][a-zA-Z0-9_]*)`).
fn dollar_names(source: &str) -> Vec<&str> {
    let mut names = Vec::new();
    for (i, _) in source.match_indices('$') {
        let rest = &source[i + 1..];
        if !rest.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
            continue;
        }
        let len = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        names.push(&rest[..len]);
    }
    names
}

/// `cat -s`: runs of empty lines become one empty line (lines holding spaces are kept).
pub fn squeeze_blank_lines(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut previous_blank = false;
    for line in text.split_inclusive('\n') {
        let blank = line == "\n";
        if !(blank && previous_blank) {
            out.push_str(line);
        }
        previous_blank = blank;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    /// Render with sigil's parameter handling.
    fn render(src: &str, pairs: &[(&str, &str)]) -> String {
        render_sigil("t", src, &params(pairs)).unwrap_or_else(|e| panic!("{src}: {e}"))
    }

    fn error(src: &str, pairs: &[(&str, &str)]) -> String {
        match render_sigil("t", src, &params(pairs)) {
            Ok(out) => panic!("{src}: expected an error, got {out:?}"),
            Err(e) => e.message().to_string(),
        }
    }

    #[test]
    fn text_and_values() {
        assert_eq!(render("plain\ntext\n", &[]), "plain\ntext\n");
        assert_eq!(
            render(
                "a={{ $.A }} b={{ .B }} c={{ $C }}",
                &[("A", "1"), ("B", "2"), ("C", "3")]
            ),
            "a=1 b=2 c=3"
        );
        assert_eq!(
            render("{{ $.MISSING }}|{{ .MISSING }}|{{ $unset }}", &[]),
            "<no value>|<no value>|<no value>"
        );
        assert_eq!(
            render("{{ 3 }} {{ -4 }} {{ 0x1F }} {{ 'a' }} {{ true }}", &[]),
            "3 -4 31 97 true"
        );
        assert_eq!(render("{{ . }}", &[("B", "2"), ("A", "1")]), "map[A:1 B:2]");
        assert_eq!(render("{{ \"a b\" | split \" \" }}", &[]), "[a b]");
        assert_eq!(render("{{ `raw\\n` }}", &[]), "raw\\n");
        assert_eq!(render("{{ \"\\x41\\101\\u00e9\\t\\\"\" }}", &[]), "AAé\t\"");
        // A later parameter of the same key wins, as sigil's map assignment does.
        assert_eq!(render("{{ $.A }}{{ $A }}", &[("A", "1"), ("A", "2")]), "22");
    }

    #[test]
    fn trim_markers_and_comments() {
        assert_eq!(render("a  \n {{- \"b\" -}} \n\t c", &[]), "abc");
        assert_eq!(render("a {{- 1}} b", &[]), "a1 b");
        assert_eq!(render("a {{-1}} b", &[]), "a -1 b");
        assert_eq!(render("x\n{{- /* note */ -}}\ny", &[]), "xy");
        assert_eq!(render("x {{/* note */}} y", &[]), "x  y");
        // sigil joins `}}\` + newline + `{{`.
        assert_eq!(render("{{ 1 \\}}\n{{ 2 }}", &[]), "12");
    }

    #[test]
    fn conditionals() {
        let src = "{{ if $.A }}a{{ else if eq $.B \"x\" }}b{{ else }}c{{ end }}";
        assert_eq!(render(src, &[("A", "1")]), "a");
        assert_eq!(render(src, &[("A", ""), ("B", "x")]), "b");
        assert_eq!(render(src, &[("A", ""), ("B", "y")]), "c");
        assert_eq!(render(src, &[]), "c");
        assert_eq!(
            render(
                "{{ if and ($.A) ($.B) }}y{{ else }}n{{ end }}",
                &[("A", "1"), ("B", "")]
            ),
            "n"
        );
        assert_eq!(
            render(
                "{{ if or (eq $.A \"true\") ($.B) }}y{{ end }}",
                &[("A", "false"), ("B", "x")]
            ),
            "y"
        );
        assert_eq!(
            render(
                "{{ if and ($.A) (not $.B) }}y{{ end }}",
                &[("A", "1"), ("B", "")]
            ),
            "y"
        );
        assert_eq!(
            render(
                "{{ with $.A }}[{{ . }}]{{ else }}none{{ end }}",
                &[("A", "v")]
            ),
            "[v]"
        );
        assert_eq!(
            render(
                "{{ with $.A }}[{{ . }}]{{ else with $.B }}<{{ . }}>{{ end }}",
                &[("B", "w")]
            ),
            "<w>"
        );
    }

    #[test]
    fn and_or_return_the_deciding_value_and_short_circuit() {
        assert_eq!(
            render(
                "{{ and 1 0 2 }}|{{ and 1 2 }}|{{ or 0 \"\" }}|{{ or 0 \"x\" 3 }}",
                &[]
            ),
            "0|2||x"
        );
        // The out-of-range index is never evaluated.
        assert_eq!(render("{{ and $.M (index $.M 1) }}", &[]), "<no value>");
        assert_eq!(render("{{ \"a\" | and 1 }}", &[]), "a");
    }

    #[test]
    fn comparisons() {
        assert_eq!(
            render(
                "{{ eq $.A \"x\" }} {{ eq $.M \"x\" }} {{ eq $.M $.N }} {{ eq 1 2 1 }}",
                &[("A", "x")]
            ),
            "true false true true"
        );
        assert_eq!(
            render(
                "{{ ne $.A \"x\" }} {{ lt \"a\" \"b\" }} {{ le 2 1 }} {{ gt 2 1 }} {{ ge 1 1 }}",
                &[("A", "x")]
            ),
            "false true false true true"
        );
        assert!(error("{{ eq 1 \"a\" }}", &[])
            .ends_with("error calling eq: incompatible types for comparison"));
    }

    #[test]
    fn variables_and_scopes() {
        assert_eq!(
            render(
                "{{ $x := \"a\" }}{{ if true }}{{ $x = \"b\" }}{{ end }}{{ $x }}",
                &[]
            ),
            "b"
        );
        assert_eq!(
            render(
                "{{ $x := \"a\" }}{{ if true }}{{ $x := \"b\" }}{{ $x }}{{ end }}{{ $x }}",
                &[]
            ),
            "ba"
        );
        assert_eq!(
            render("{{ if $v := $.A }}{{ $v }}{{ end }}", &[("A", "q")]),
            "q"
        );
        // Declarations print nothing.
        assert_eq!(render("[{{ $x := 1 }}]", &[]), "[]");
    }

    #[test]
    fn range_forms() {
        assert_eq!(
            render(
                "{{ range $v := $.L | split \",\" }}<{{ $v }}>{{ end }}",
                &[("L", "a,b")]
            ),
            "<a><b>"
        );
        assert_eq!(
            render(
                "{{ range $i, $v := (split \",\" $.L) }}{{ $i }}={{ $v }};{{ end }}",
                &[("L", "a,b")]
            ),
            "0=a;1=b;"
        );
        assert_eq!(
            render(
                "{{ range $.L | split \",\" }}({{ . }}){{ end }}",
                &[("L", "a,b")]
            ),
            "(a)(b)"
        );
        assert_eq!(
            render("{{ range $.M }}x{{ else }}empty{{ end }}", &[]),
            "empty"
        );
        // Variables declared in the body do not outlive an iteration.
        assert_eq!(
            render(
                "{{ range $v := split \",\" \"a,b\" }}{{ $w := $v }}{{ $w }}{{ end }}",
                &[]
            ),
            "ab"
        );
        assert!(error("{{ range \"s\" }}{{ end }}", &[]).contains("range can't iterate over s"));
    }

    #[test]
    fn traefik_style_env_loop() {
        let src = "{{ range $line := $.VARS | split \"\\n\" }}{{ $parts := $line | split \" \" }}\
{{ $key := index $parts 0 }}{{ $value := index $parts 1 }}{{ if $key }}\
- {{ $key | replace \"dns-provider-\" \"\" | upper }}={{ $value }}\n{{ end }}{{ end }}";
        assert_eq!(
            render(
                src,
                &[(
                    "VARS",
                    "dns-provider-aws_key AK\ndns-provider-region eu west"
                )]
            ),
            "- AWS_KEY=AK\n- REGION=eu\n"
        );
        assert!(error(src, &[("VARS", "lonely")])
            .ends_with("error calling index: index out of range: 1"));
    }

    #[test]
    fn sigil_functions() {
        assert_eq!(
            render(
                "{{ $.A | upper }} {{ lower \"AbC\" }} {{ \"ß\" | upper }}",
                &[("A", "mixed")]
            ),
            "MIXED abc ß"
        );
        assert_eq!(
            render("{{ replace \"a\" \"o\" \"banana\" }}", &[]),
            "bonono"
        );
        assert_eq!(render("[{{ trim \" \\n x \\n\" }}]", &[]), "[x]");
        assert_eq!(
            render("{{ $.L | split \",\" | join \"+\" }}", &[("L", "a,b,c")]),
            "a+b+c"
        );
        assert_eq!(render("{{ $.M | join \",\" }}", &[]), "");
        assert_eq!(render("{{ $.M | default \"d\" }} {{ \"\" | default \"d\" }} {{ \"v\" | default \"d\" }} {{ $unset | default \"u\" }}", &[]), "d d v u");
        assert_eq!(
            render(
                "{{ len \"abc\" }} {{ len (split \",\" \"a,b\") }} {{ index \"abc\" 1 }}",
                &[]
            ),
            "3 2 98"
        );
        assert_eq!(render("{{ print 1 2 \"a\" \"b\" 3 }}", &[]), "1 2ab3");
        assert!(error("{{ $.M | upper }}", &[])
            .ends_with("error calling upper: upper must be given a string"));
        assert!(error("{{ split 1 \"a\" }}", &[])
            .ends_with("wrong type for value; expected string; got int"));
        assert!(
            error("{{ index $.M 0 }}", &[]).ends_with("error calling index: index of untyped nil")
        );
    }

    #[test]
    fn parse_errors_are_errors() {
        let cases: &[(&str, &str)] = &[
            ("{{ if $.A }}x", "t:1: unexpected EOF"),
            ("{{ end }}", "t:1: unexpected {{end}}"),
            ("a\n{{ else }}", "t:2: unexpected {{else}}"),
            ("{{ $.A", "unclosed action"),
            ("{{ \"abc }}", "unterminated quoted string"),
            ("{{ nope 1 }}", "function \"nope\" not defined"),
            ("{{ if }}{{ end }}", "missing value for if"),
            ("{{ 1 | 2 }}", "non executable command in pipeline stage 2"),
            ("{{ (1 }}", "unclosed left paren"),
            ("{{ /* x */ }}", "unexpected '/' in command"),
            ("{{/* x }}", "unclosed comment"),
            ("{{ 1.5 }}", "bad number syntax"),
            ("{{ define \"x\" }}{{ end }}", "{{define}} is not supported"),
            (
                "{{ if 1 }}{{ else }}{{ else }}{{ end }}",
                "expected end; found {{else}}",
            ),
            ("{{ $a, $b := 1 }}", "too many declarations in command"),
            ("{{ \"x\" 1 }}", "can't give argument to non-function \"x\""),
            ("{{ nil }}", "nil is not a command"),
            ("{{ not }}", "wrong number of args for not: want 1 got 0"),
            (
                "{{ and }}",
                "wrong number of args for and: want at least 1 got 0",
            ),
        ];
        for (src, want) in cases {
            let got = error(src, &[]);
            assert!(got.starts_with("template: t:"), "{src}: {got}");
            assert!(got.contains(want), "{src}: {got} (want {want})");
        }
        // Go rejects undefined variables at parse time; sigil declares every `$name` it sees,
        // so only the plain engine shows it.
        let err = Template::parse("t", "{{ $x }}", &[]).unwrap_err();
        assert_eq!(err.message(), "template: t:1: undefined variable \"$x\"");
    }

    #[test]
    fn squeeze_like_cat_s() {
        assert_eq!(squeeze_blank_lines("a\n\n\n\nb\n"), "a\n\nb\n");
        assert_eq!(squeeze_blank_lines("\n\n\na\n\n\n"), "\na\n\n");
        // Lines holding only spaces are not empty for `cat -s`.
        assert_eq!(squeeze_blank_lines("a\n  \n  \n\n\nb"), "a\n  \n  \n\nb");
        assert_eq!(squeeze_blank_lines(""), "");
    }

    /// Hostile or broken templates end in an error or some output, never a panic: cut and
    /// spliced pieces of the shipped templates, rendered with and without parameters.
    #[test]
    fn mangled_templates_never_panic() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../core-plugins");
        let sources: Vec<String> = ["caddy", "haproxy", "openresty", "traefik"]
            .iter()
            .filter_map(|p| {
                std::fs::read_to_string(root.join(format!("{p}-vhosts/templates/compose.yml.sigil"))).ok()
            })
            .collect();
        assert_eq!(sources.len(), 4);
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n.max(1) as u64) as usize
        };
        let with = params(&[("TRAEFIK_LETSENCRYPT_EMAIL", "a@b"), ("TRAEFIK_DNS_PROVIDER_ENV_VARS", "k v\nx")]);
        for _ in 0..3000 {
            let a = &sources[next(4)];
            let b = &sources[next(4)];
            let (i, j) = (next(a.len()), next(b.len()));
            let (i, j) = (floor_char(a, i), floor_char(b, j));
            let mut mangled = format!("{}{}", &a[..i], &b[j..]);
            // Sometimes drop a brace or a quote to leave an action open.
            if next(2) == 0 {
                let k = floor_char(&mangled, next(mangled.len()));
                mangled.insert_str(k, ["{{", "}}", "\"", "(", ")", "|", "$", ":="][next(8)]);
            }
            let _ = render_sigil("t", &mangled, &[]);
            let _ = render_sigil("t", &mangled, &with);
        }
    }

    fn floor_char(s: &str, mut i: usize) -> usize {
        while i > 0 && !s.is_char_boundary(i) {
            i -= 1;
        }
        i
    }
}

#[cfg(test)]
mod depth_tests {
    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        for (open, close) in [("(", ")"), ("{{ if 1 }}", "{{ end }}")] {
            let src = format!("{{{{ {} 1 {} }}}}", open.repeat(100_000), close.repeat(100_000));
            let src = if open == "(" { src } else { format!("{}x{}", open.repeat(100_000), close.repeat(100_000)) };
            let err = super::render_sigil("t", &src, &[]).unwrap_err();
            assert!(err.message().contains("nesting deeper than 200 levels"), "{}", err.message());
        }
        // Real nesting well within the limit still works.
        let src = format!("{}x{}", "{{ if 1 }}".repeat(150), "{{ end }}".repeat(150));
        assert_eq!(super::render_sigil("t", &src, &[]).unwrap(), "x");
    }
}
