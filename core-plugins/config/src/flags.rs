//! Go's standard `flag` package, as the bare `config` command and the triggers parse their
//! arguments upstream (the subcommands use `spf13/pflag`: [`dokku_common::pflag`]). Flags
//! only come before the first argument, `-x` and `--x` are the same, and on an error the
//! message is printed before the usage, exit 2; `-h`/`-help` print the usage, exit 0.

use std::collections::HashMap;
use std::fmt::Write;

use dokku_common::pflag::{Flag, Kind};
use dokku_common::text::go_quote;
use dokku_common::{log, Error, Result};

#[derive(Debug, Default)]
pub struct Parsed {
    bools: HashMap<&'static str, bool>,
    pub args: Vec<String>,
}

impl Parsed {
    pub fn flag(&self, name: &str) -> bool {
        self.bools.get(name).copied().unwrap_or(false)
    }

    /// Positional argument `i`, or `""` (Go's `Arg(i)`).
    pub fn arg(&self, i: usize) -> &str {
        self.args.get(i).map(String::as_str).unwrap_or("")
    }
}

/// Go's `strconv.ParseBool`.
pub fn parse_bool(v: &str) -> Option<bool> {
    match v {
        "1" | "t" | "T" | "true" | "TRUE" | "True" => Some(true),
        "0" | "f" | "F" | "false" | "FALSE" | "False" => Some(false),
        _ => None,
    }
}

/// How a `FlagSet` prints its usage.
pub enum GoUsage<'a> {
    /// A custom usage function's text, printed on stdout.
    Stdout(&'a str),
    /// The default `Usage of <argv0>:` block on stderr.
    Default(&'a str),
}

/// `flag.PrintDefaults` for switches: name line, then the tab-indented description.
fn defaults(flags: &[Flag]) -> String {
    let mut sorted = flags.to_vec();
    sorted.sort_by_key(|f| f.name);
    let mut out = String::new();
    for f in sorted {
        let _ = write!(out, "  -{}\n    \t{}\n", f.name, f.usage);
    }
    out
}

fn print_usage(usage: &GoUsage, flags: &[Flag]) {
    match usage {
        GoUsage::Stdout(text) => log::write_stdout(text),
        GoUsage::Default(argv0) => {
            log::write_stderr(&format!("Usage of {argv0}:\n{}", defaults(flags)))
        }
    }
}

fn fail(usage: &GoUsage, flags: &[Flag], msg: String) -> Error {
    log::write_stderr(&format!("{msg}\n"));
    print_usage(usage, flags);
    Error::silent(2)
}

/// Parse switches (`Kind::Bool` flags only) like a `flag.FlagSet` with `ExitOnError`.
pub fn goflag(flags: &[Flag], args: &[String], usage: GoUsage) -> Result<Parsed> {
    let mut out = Parsed::default();
    let mut i = 0;
    while i < args.len() {
        let s = &args[i];
        if s.len() < 2 || !s.starts_with('-') {
            break;
        }
        let minuses = if s.as_bytes()[1] == b'-' {
            if s.len() == 2 {
                i += 1;
                break;
            }
            2
        } else {
            1
        };
        let body = &s[minuses..];
        if body.starts_with('-') || body.starts_with('=') {
            return Err(fail(&usage, flags, format!("bad flag syntax: {s}")));
        }
        i += 1;
        let (name, inline) = match body[1..].find('=') {
            Some(pos) => (&body[..pos + 1], Some(&body[pos + 2..])),
            None => (body, None),
        };
        let Some(flag) = flags
            .iter()
            .find(|f| f.name == name && f.kind == Kind::Bool)
        else {
            if name == "help" || name == "h" {
                print_usage(&usage, flags);
                return Err(Error::silent(0));
            }
            return Err(fail(
                &usage,
                flags,
                format!("flag provided but not defined: -{name}"),
            ));
        };
        let value = inline.unwrap_or("true");
        let Some(v) = parse_bool(value) else {
            return Err(fail(
                &usage,
                flags,
                format!(
                    "invalid boolean value {} for -{name}: parse error",
                    go_quote(value)
                ),
            ));
        };
        out.bools.insert(flag.name, v);
    }
    out.args.extend(args[i..].iter().cloned());
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    const FLAGS: &[Flag] = &[
        Flag {
            name: "global",
            kind: Kind::Bool,
            usage: "--global: g",
        },
        Flag {
            name: "merged",
            kind: Kind::Bool,
            usage: "--merged: m",
        },
    ];

    #[test]
    fn stops_at_first_argument() {
        let p = goflag(
            FLAGS,
            &s(&["-merged", "--global=true", "web", "--merged"]),
            GoUsage::Stdout(""),
        )
        .unwrap();
        assert!(p.flag("merged") && p.flag("global"));
        assert_eq!(p.args, s(&["web", "--merged"]));
        let p = goflag(FLAGS, &s(&["--", "-x"]), GoUsage::Stdout("")).unwrap();
        assert_eq!(p.args, s(&["-x"]));
        let p = goflag(FLAGS, &s(&["-", "x"]), GoUsage::Stdout("")).unwrap();
        assert_eq!(p.args, s(&["-", "x"]));
        assert!(!goflag(FLAGS, &s(&["-global=false"]), GoUsage::Stdout(""))
            .unwrap()
            .flag("global"));
    }

    #[test]
    fn errors() {
        assert_eq!(
            goflag(FLAGS, &s(&["-nope"]), GoUsage::Stdout(""))
                .unwrap_err()
                .code(),
            2
        );
        assert_eq!(
            goflag(FLAGS, &s(&["-global=x"]), GoUsage::Stdout(""))
                .unwrap_err()
                .code(),
            2
        );
        assert_eq!(
            goflag(FLAGS, &s(&["---x"]), GoUsage::Stdout(""))
                .unwrap_err()
                .code(),
            2
        );
        assert_eq!(
            goflag(FLAGS, &s(&["-h"]), GoUsage::Stdout(""))
                .unwrap_err()
                .code(),
            0
        );
        assert_eq!(
            goflag(FLAGS, &s(&["--help"]), GoUsage::Stdout(""))
                .unwrap_err()
                .code(),
            0
        );
        assert_eq!(
            defaults(FLAGS),
            "  -global\n    \t--global: g\n  -merged\n    \t--merged: m\n"
        );
    }
}
