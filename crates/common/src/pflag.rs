//! Subcommand flag sets parsed the way upstream's Go subcommands parse them: `spf13/pflag`
//! v1.0.10 with `ExitOnError`. Flags may appear anywhere among the arguments, `--` ends them,
//! bools take no value (`--all`, `--all=false`), other flags take `--name value` or
//! `--name=value`. On a bad flag pflag prints `Usage of <set>:` with the flag table, then the
//! error, on stderr and exits 2; `--help`/`-h` prints the usage and exits 0.
//!
//! (The config plugin also parses Go standard-library `flag` style, for its bare command.)

use std::collections::HashMap;

use crate::error::{Error, Result};
use crate::text::{go_quote, go_quote_rune};

/// Exit status of a flag parsing error.
pub const USAGE_EXIT: i32 = 2;

/// What a flag holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A switch: `--name`, `--name=true|false`.
    Bool,
    /// An integer (`strconv.ParseInt(s, 0, 64)`) with its default.
    Int(i64),
    /// A string with its default.
    Str(&'static str),
    /// pflag's `StringSlice` (default empty): each use is read as CSV and appended.
    StrSlice,
}

/// One flag of a set.
#[derive(Debug, Clone, Copy)]
pub struct Flag {
    pub name: &'static str,
    pub kind: Kind,
    pub usage: &'static str,
}

/// A named flag set, e.g. `proxy:enable`.
#[derive(Debug, Clone, Copy)]
pub struct FlagSet<'a> {
    pub name: &'a str,
    pub flags: &'a [Flag],
}

/// A parsed value.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Value {
    Bool(bool),
    Int(i64),
    Str(String),
    Strings(Vec<String>),
}

/// The outcome of [`FlagSet::parse`].
#[derive(Debug, Clone)]
pub struct Parsed {
    flags: Vec<Flag>,
    values: HashMap<&'static str, Value>,
    /// Non-flag arguments in order (`flag.Args()`).
    pub positional: Vec<String>,
}

impl Parsed {
    fn get(&self, name: &str) -> Option<&Value> {
        self.values.get(name)
    }

    fn default_of(&self, name: &str) -> Option<Kind> {
        self.flags.iter().find(|f| f.name == name).map(|f| f.kind)
    }

    /// A switch's value (false when absent or not a switch).
    pub fn flag(&self, name: &str) -> bool {
        matches!(self.get(name), Some(Value::Bool(true)))
    }

    /// An integer flag's value or its default.
    pub fn int(&self, name: &str) -> i64 {
        match (self.get(name), self.default_of(name)) {
            (Some(Value::Int(v)), _) => *v,
            (_, Some(Kind::Int(d))) => d,
            _ => 0,
        }
    }

    /// A string flag's value or its default.
    pub fn string(&self, name: &str) -> &str {
        match (self.get(name), self.default_of(name)) {
            (Some(Value::Str(v)), _) => v,
            (_, Some(Kind::Str(d))) => d,
            _ => "",
        }
    }

    /// A string-slice flag's values (empty when absent).
    pub fn strings(&self, name: &str) -> &[String] {
        match self.get(name) {
            Some(Value::Strings(v)) => v,
            _ => &[],
        }
    }

    /// Whether the flag was given on the command line (pflag's `Changed`).
    pub fn changed(&self, name: &str) -> bool {
        self.values.contains_key(name)
    }

    /// Positional argument `i`, or `""` (`flag.Arg(i)`).
    pub fn arg(&self, i: usize) -> &str {
        self.positional.get(i).map(String::as_str).unwrap_or("")
    }
}

/// Why parsing stopped.
enum Stop {
    Help,
    Fail(String),
}

impl FlagSet<'_> {
    /// pflag's default usage: `Usage of <set>:` and one line per flag sorted by name, the
    /// descriptions aligned two columns past the longest `--name type`.
    pub fn usage(&self) -> String {
        let mut flags: Vec<&Flag> = self.flags.iter().collect();
        flags.sort_by_key(|f| f.name);
        let rows: Vec<(String, String)> = flags
            .iter()
            .map(|f| {
                let mut left = format!("      --{}", f.name);
                let mut right = f.usage.to_string();
                match f.kind {
                    Kind::Bool => {}
                    Kind::Int(d) => {
                        left.push_str(" int");
                        if d != 0 {
                            right.push_str(&format!(" (default {d})"));
                        }
                    }
                    Kind::Str(d) => {
                        left.push_str(" string");
                        if !d.is_empty() {
                            right.push_str(&format!(" (default {})", go_quote(d)));
                        }
                    }
                    Kind::StrSlice => left.push_str(" strings"),
                }
                (left, right)
            })
            .collect();
        let width = rows.iter().map(|(l, _)| l.len() + 1).max().unwrap_or(0);
        let mut out = format!("Usage of {}:\n", self.name);
        for (left, right) in rows {
            let pad = " ".repeat(width - left.len());
            out.push_str(&format!("{left} {pad} {right}\n"));
        }
        out
    }

    fn find(&self, name: &str) -> Option<&Flag> {
        self.flags.iter().find(|f| f.name == name)
    }

    /// Parse `args` (everything after the command name). Errors print as pflag does.
    pub fn parse(&self, args: &[String]) -> Result<Parsed> {
        let mut parsed = Parsed {
            flags: self.flags.to_vec(),
            values: HashMap::new(),
            positional: Vec::new(),
        };
        match self.parse_into(args, &mut parsed) {
            Ok(()) => Ok(parsed),
            Err(Stop::Help) => {
                crate::log::write_stderr(&self.usage());
                Err(Error::silent(0))
            }
            Err(Stop::Fail(msg)) => {
                Err(Error::with_code(format!("{}{msg}", self.usage()), USAGE_EXIT).raw())
            }
        }
    }

    fn parse_into(&self, args: &[String], parsed: &mut Parsed) -> Result<(), Stop> {
        let mut iter = args.iter();
        while let Some(arg) = iter.next() {
            if arg.len() < 2 || !arg.starts_with('-') {
                parsed.positional.push(arg.clone());
            } else if arg == "--" {
                parsed.positional.extend(iter.by_ref().cloned());
                break;
            } else if let Some(body) = arg.strip_prefix("--") {
                if body.starts_with('-') || body.starts_with('=') {
                    return Err(Stop::Fail(format!("bad flag syntax: {arg}")));
                }
                let (name, inline) = match body.split_once('=') {
                    Some((n, v)) => (n, Some(v)),
                    None => (body, None),
                };
                let Some(flag) = self.find(name) else {
                    if name == "help" {
                        return Err(Stop::Help);
                    }
                    return Err(Stop::Fail(format!("unknown flag: --{name}")));
                };
                let value = match (inline, flag.kind) {
                    (Some(v), _) => v.to_string(),
                    (None, Kind::Bool) => "true".to_string(),
                    (None, _) => match iter.next() {
                        Some(v) => v.clone(),
                        None => {
                            return Err(Stop::Fail(format!("flag needs an argument: --{name}")))
                        }
                    },
                };
                let previous = parsed.values.remove(flag.name);
                let v = set_value(flag, &value, previous).map_err(|cause| {
                    Stop::Fail(format!(
                        "invalid argument {} for {} flag: {cause}",
                        go_quote(&value),
                        go_quote(&format!("--{}", flag.name))
                    ))
                })?;
                parsed.values.insert(flag.name, v);
            } else {
                // No flag of ours has a shorthand: the first letter decides.
                let shorthands = &arg[1..];
                let c = shorthands.chars().next().unwrap_or('-');
                if c == 'h' {
                    return Err(Stop::Help);
                }
                return Err(Stop::Fail(format!(
                    "unknown shorthand flag: {} in -{shorthands}",
                    go_quote_rune(c)
                )));
            }
        }
        Ok(())
    }
}

fn set_value(
    flag: &Flag,
    value: &str,
    previous: Option<Value>,
) -> std::result::Result<Value, String> {
    match flag.kind {
        Kind::Bool => match value {
            "1" | "t" | "T" | "true" | "TRUE" | "True" => Ok(Value::Bool(true)),
            "0" | "f" | "F" | "false" | "FALSE" | "False" => Ok(Value::Bool(false)),
            _ => Err(format!(
                "strconv.ParseBool: parsing {}: invalid syntax",
                go_quote(value)
            )),
        },
        Kind::Int(_) => parse_int_base0(value)
            .map(Value::Int)
            .map_err(|kind| format!("strconv.ParseInt: parsing {}: {kind}", go_quote(value))),
        Kind::Str(_) => Ok(Value::Str(value.to_string())),
        Kind::StrSlice => {
            let mut values = match previous {
                Some(Value::Strings(v)) => v,
                _ => Vec::new(),
            };
            values.extend(read_csv_record(value)?);
            Ok(Value::Strings(values))
        }
    }
}

/// One record of Go's `encoding/csv` reader, as pflag reads a string-slice value: fields
/// split on commas, a field starting with `"` is quoted (`""` is a literal quote).
fn read_csv_record(value: &str) -> std::result::Result<Vec<String>, String> {
    if value.is_empty() {
        return Ok(Vec::new());
    }
    let line = value.strip_suffix('\n').unwrap_or(value);
    let line = line.strip_suffix('\r').unwrap_or(line);
    let chars: Vec<char> = line.chars().collect();
    let mut fields = Vec::new();
    let mut i = 0;
    loop {
        let mut field = String::new();
        if chars.get(i) == Some(&'"') {
            i += 1;
            loop {
                match chars.get(i) {
                    None => {
                        return Err("parse error: extraneous or missing \" in quoted-field".into())
                    }
                    Some('"') if chars.get(i + 1) == Some(&'"') => {
                        field.push('"');
                        i += 2;
                    }
                    Some('"') => {
                        i += 1;
                        break;
                    }
                    Some(c) => {
                        field.push(*c);
                        i += 1;
                    }
                }
            }
            if !matches!(chars.get(i), None | Some(',')) {
                return Err("parse error: extraneous or missing \" in quoted-field".into());
            }
        } else {
            while let Some(c) = chars.get(i) {
                if *c == ',' {
                    break;
                }
                if *c == '"' {
                    return Err("parse error: bare \" in non-quoted-field".into());
                }
                field.push(*c);
                i += 1;
            }
        }
        fields.push(field);
        if chars.get(i) == Some(&',') {
            i += 1;
            continue;
        }
        return Ok(fields);
    }
}

/// Go's `strconv.ParseInt(s, 0, 64)`: optional sign, `0x`/`0o`/`0b`/leading-`0` prefixes,
/// underscores between digits. The error is Go's reason text.
pub fn parse_int_base0(s: &str) -> std::result::Result<i64, &'static str> {
    const SYNTAX: &str = "invalid syntax";
    const RANGE: &str = "value out of range";
    let (neg, body) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    if body.is_empty() {
        return Err(SYNTAX);
    }
    let lower = body.to_ascii_lowercase();
    let (base, digits) = if let Some(rest) = lower.strip_prefix("0x") {
        (16, rest)
    } else if let Some(rest) = lower.strip_prefix("0o") {
        (8, rest)
    } else if let Some(rest) = lower.strip_prefix("0b") {
        (2, rest)
    } else if lower.len() > 1 && lower.starts_with('0') {
        (8, &lower[1..])
    } else {
        (10, lower.as_str())
    };
    if digits.is_empty() && base != 8 {
        return Err(SYNTAX);
    }
    let mut n: u64 = 0;
    let mut underscores = false;
    for c in digits.chars() {
        if c == '_' {
            underscores = true;
            continue;
        }
        let d = c.to_digit(36).ok_or(SYNTAX)? as u64;
        if d >= base {
            return Err(SYNTAX);
        }
        n = n
            .checked_mul(base)
            .and_then(|n| n.checked_add(d))
            .ok_or(RANGE)?;
    }
    if underscores && !underscores_ok(&lower) {
        return Err(SYNTAX);
    }
    let limit = if neg { 1u64 << 63 } else { (1u64 << 63) - 1 };
    if n > limit {
        return Err(RANGE);
    }
    Ok(if neg {
        (n as i64).wrapping_neg()
    } else {
        n as i64
    })
}

/// Go's `underscoreOK`: each underscore follows a digit or the base prefix and is followed
/// by a digit.
fn underscores_ok(s: &str) -> bool {
    let bytes = s.as_bytes();
    // The class of the last byte: '0' digit or prefix, '_' underscore, '!' anything else.
    let mut saw = '^';
    let mut i = 0;
    if bytes.len() >= 2 && bytes[0] == b'0' && matches!(bytes[1], b'x' | b'o' | b'b') {
        i = 2;
        saw = '0';
    }
    for &c in &bytes[i..] {
        if c.is_ascii_alphanumeric() {
            saw = '0';
        } else if c == b'_' {
            if saw != '0' {
                return false;
            }
            saw = '_';
        } else {
            if saw == '_' {
                return false;
            }
            saw = '!';
        }
    }
    saw != '_'
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    const ENABLE: FlagSet<'static> = FlagSet {
        name: "proxy:enable",
        flags: &[
            Flag {
                name: "parallel",
                kind: Kind::Int(0),
                usage: "--parallel: number of apps to enable proxy for in parallel, -1 to match cpu count",
            },
            Flag {
                name: "all",
                kind: Kind::Bool,
                usage: "--all: enable proxy for all apps",
            },
        ],
    };

    const REPORT: FlagSet<'static> = FlagSet {
        name: "ports:report",
        flags: &[Flag {
            name: "format",
            kind: Kind::Str("stdout"),
            usage: "format: [ stdout | json ]",
        }],
    };

    #[test]
    fn usage_tables() {
        assert_eq!(
            ENABLE.usage(),
            "Usage of proxy:enable:\n      --all            --all: enable proxy for all apps\n      --parallel int   --parallel: number of apps to enable proxy for in parallel, -1 to match cpu count\n"
        );
        assert_eq!(
            REPORT.usage(),
            "Usage of ports:report:\n      --format string   format: [ stdout | json ] (default \"stdout\")\n"
        );
        let empty = FlagSet {
            name: "ports:list",
            flags: &[],
        };
        assert_eq!(empty.usage(), "Usage of ports:list:\n");
    }

    #[test]
    fn interspersed_values() {
        let p = ENABLE
            .parse(&s(&["web", "--parallel", "-1", "--all", "x"]))
            .unwrap();
        assert!(p.flag("all"));
        assert_eq!(p.int("parallel"), -1);
        assert_eq!(p.positional, s(&["web", "x"]));
        let p = ENABLE
            .parse(&s(&["--all=false", "--", "--all", "-"]))
            .unwrap();
        assert!(!p.flag("all"));
        assert_eq!(p.int("parallel"), 0);
        assert_eq!(p.positional, s(&["--all", "-"]));
        let p = REPORT.parse(&s(&["web"])).unwrap();
        assert_eq!(p.string("format"), "stdout");
        assert_eq!(p.arg(0), "web");
        assert_eq!(p.arg(1), "");
        let p = REPORT.parse(&s(&["--format=json"])).unwrap();
        assert_eq!(p.string("format"), "json");
    }

    #[test]
    fn errors_print_usage_first() {
        let usage = ENABLE.usage();
        for (args, msg) in [
            (vec!["--nope"], "unknown flag: --nope"),
            (vec!["-x"], "unknown shorthand flag: 'x' in -x"),
            (vec!["---x"], "bad flag syntax: ---x"),
            (vec!["--parallel"], "flag needs an argument: --parallel"),
            (
                vec!["--parallel", "x"],
                "invalid argument \"x\" for \"--parallel\" flag: strconv.ParseInt: parsing \"x\": invalid syntax",
            ),
            (
                vec!["--all=maybe"],
                "invalid argument \"maybe\" for \"--all\" flag: strconv.ParseBool: parsing \"maybe\": invalid syntax",
            ),
        ] {
            let e = ENABLE.parse(&s(&args)).unwrap_err();
            assert_eq!(e.code(), USAGE_EXIT, "{args:?}");
            assert_eq!(e.rendered(false), format!("{usage}{msg}\n"), "{args:?}");
        }
        for help in ["--help", "-h", "-hx"] {
            let e = ENABLE.parse(&s(&[help])).unwrap_err();
            assert_eq!((e.code(), e.rendered(false).as_str()), (0, ""));
        }
    }

    #[test]
    fn string_slices() {
        const MOUNT: FlagSet<'static> = FlagSet {
            name: "storage:mount",
            flags: &[
                Flag {
                    name: "phase",
                    kind: Kind::StrSlice,
                    usage: "--phase: phase to mount in",
                },
                Flag {
                    name: "container-dir",
                    kind: Kind::Str(""),
                    usage: "--container-dir: path",
                },
            ],
        };
        assert_eq!(
            MOUNT.usage(),
            "Usage of storage:mount:\n      --container-dir string   --container-dir: path\n      --phase strings          --phase: phase to mount in\n"
        );
        let p = MOUNT
            .parse(&s(&["app", "--phase", "deploy", "--phase=run,\"a,b\""]))
            .unwrap();
        assert_eq!(p.strings("phase"), s(&["deploy", "run", "a,b"]));
        assert!(p.changed("phase"));
        assert!(!p.changed("container-dir"));
        assert!(p.strings("container-dir").is_empty());
        let p = MOUNT.parse(&s(&["--phase", ""])).unwrap();
        assert!(p.strings("phase").is_empty());
        assert!(p.changed("phase"));
        assert_eq!(
            MOUNT.parse(&s(&["--phase", "a\"b"])).unwrap_err().code(),
            USAGE_EXIT
        );
    }

    #[test]
    fn go_parse_int() {
        assert_eq!(parse_int_base0("12"), Ok(12));
        assert_eq!(parse_int_base0("-1"), Ok(-1));
        assert_eq!(parse_int_base0("+3"), Ok(3));
        assert_eq!(parse_int_base0("0x1f"), Ok(31));
        assert_eq!(parse_int_base0("010"), Ok(8));
        assert_eq!(parse_int_base0("0"), Ok(0));
        assert_eq!(parse_int_base0("0b1_0"), Ok(2));
        assert_eq!(parse_int_base0("1_0"), Ok(10));
        assert_eq!(parse_int_base0("_1"), Err("invalid syntax"));
        assert_eq!(parse_int_base0("1__0"), Err("invalid syntax"));
        assert_eq!(parse_int_base0("0x_1"), Ok(1));
        assert_eq!(parse_int_base0("0x"), Err("invalid syntax"));
        assert_eq!(parse_int_base0("09"), Err("invalid syntax"));
        assert_eq!(parse_int_base0(""), Err("invalid syntax"));
        assert_eq!(parse_int_base0("-"), Err("invalid syntax"));
        assert_eq!(parse_int_base0("9223372036854775807"), Ok(i64::MAX));
        assert_eq!(parse_int_base0("-9223372036854775808"), Ok(i64::MIN));
        assert_eq!(
            parse_int_base0("9223372036854775808"),
            Err("value out of range")
        );
        assert_eq!(
            parse_int_base0("99999999999999999999"),
            Err("value out of range")
        );
    }
}
