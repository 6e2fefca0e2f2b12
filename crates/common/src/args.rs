//! A small parser for dokku's `<cmd> [--flag] [--opt value] <app> ...` argument style, with
//! the interspersed semantics of Go's pflag that upstream subcommands use: flags may appear
//! anywhere, `--opt=value` and `--opt value` are equivalent, `--` ends flag parsing.

use std::collections::HashMap;

use crate::error::{Error, Result};

/// Exit status of a flag parsing error (pflag's `ExitOnError`).
pub const USAGE_EXIT: i32 = 2;

/// The flags a command accepts, by long name without `--`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Spec<'a> {
    /// `--name` switches (also `--name=true|false`).
    pub bools: &'a [&'a str],
    /// `--name value` options.
    pub values: &'a [&'a str],
}

/// Parsed arguments.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Parsed {
    bools: HashMap<String, bool>,
    values: HashMap<String, String>,
    /// Non-flag arguments in order.
    pub positional: Vec<String>,
}

fn usage_error(msg: String) -> Error {
    Error::with_code(msg, USAGE_EXIT).raw()
}

fn parse_bool(name: &str, v: &str) -> Result<bool> {
    match v {
        "1" | "t" | "T" | "true" | "TRUE" | "True" => Ok(true),
        "0" | "f" | "F" | "false" | "FALSE" | "False" => Ok(false),
        _ => Err(usage_error(format!(
            "invalid argument {v:?} for \"--{name}\" flag: strconv.ParseBool: parsing {v:?}: invalid syntax"
        ))),
    }
}

/// Parse `args` against `spec`.
pub fn parse(args: &[String], spec: Spec<'_>) -> Result<Parsed> {
    let mut out = Parsed::default();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        if arg == "--" {
            out.positional.extend(iter.by_ref().cloned());
            break;
        }
        if let Some(body) = arg.strip_prefix("--") {
            let (name, inline) = match body.split_once('=') {
                Some((n, v)) => (n, Some(v)),
                None => (body, None),
            };
            if spec.bools.contains(&name) {
                let v = match inline {
                    Some(v) => parse_bool(name, v)?,
                    None => true,
                };
                out.bools.insert(name.to_string(), v);
            } else if spec.values.contains(&name) {
                let v = match inline {
                    Some(v) => v.to_string(),
                    None => iter
                        .next()
                        .cloned()
                        .ok_or_else(|| usage_error(format!("flag needs an argument: --{name}")))?,
                };
                out.values.insert(name.to_string(), v);
            } else {
                return Err(usage_error(format!("unknown flag: --{name}")));
            }
        } else if arg.len() > 1 && arg.starts_with('-') {
            let c = arg[1..].chars().next().unwrap_or('-');
            return Err(usage_error(format!(
                "unknown shorthand flag: '{c}' in {arg}"
            )));
        } else {
            out.positional.push(arg.clone());
        }
    }
    Ok(out)
}

impl Parsed {
    /// Whether the switch was given (and not set to false).
    pub fn flag(&self, name: &str) -> bool {
        self.bools.get(name).copied().unwrap_or(false)
    }

    /// The option's value, if given.
    pub fn value(&self, name: &str) -> Option<&str> {
        self.values.get(name).map(String::as_str)
    }

    /// The option's value or `default`.
    pub fn value_or<'a>(&'a self, name: &str, default: &'a str) -> &'a str {
        self.value(name).unwrap_or(default)
    }

    /// The option as an integer, `default` when absent.
    pub fn int(&self, name: &str, default: i64) -> Result<i64> {
        match self.value(name) {
            None => Ok(default),
            Some(v) => v.parse().map_err(|_| {
                usage_error(format!(
                    "invalid argument {v:?} for \"--{name}\" flag: strconv.ParseInt: parsing {v:?}: invalid syntax"
                ))
            }),
        }
    }

    /// Positional argument `i`, or `""` (Go's `flag.Arg(i)`).
    pub fn arg(&self, i: usize) -> &str {
        self.positional.get(i).map(String::as_str).unwrap_or("")
    }
}

/// Positional argument `i` of a raw list, or `""`.
pub fn nth(args: &[String], i: usize) -> &str {
    args.get(i).map(String::as_str).unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    const SPEC: Spec<'static> = Spec {
        bools: &["all", "skip-deploy"],
        values: &["parallel", "format"],
    };

    #[test]
    fn interspersed() {
        let p = parse(
            &s(&["web", "--all", "--parallel", "4", "--format=json", "cmd"]),
            SPEC,
        )
        .unwrap();
        assert!(p.flag("all"));
        assert!(!p.flag("skip-deploy"));
        assert_eq!(p.int("parallel", 1).unwrap(), 4);
        assert_eq!(p.value("format"), Some("json"));
        assert_eq!(p.positional, s(&["web", "cmd"]));
        assert_eq!(p.arg(5), "");
    }

    #[test]
    fn terminator_and_dash() {
        let p = parse(&s(&["--", "--all", "-x"]), SPEC).unwrap();
        assert_eq!(p.positional, s(&["--all", "-x"]));
        assert_eq!(parse(&s(&["-"]), SPEC).unwrap().positional, s(&["-"]));
    }

    #[test]
    fn errors() {
        let e = parse(&s(&["--nope"]), SPEC).unwrap_err();
        assert_eq!((e.message(), e.code()), ("unknown flag: --nope", 2));
        assert_eq!(
            parse(&s(&["--parallel"]), SPEC).unwrap_err().message(),
            "flag needs an argument: --parallel"
        );
        assert_eq!(
            parse(&s(&["-x"]), SPEC).unwrap_err().message(),
            "unknown shorthand flag: 'x' in -x"
        );
        assert!(parse(&s(&["--all=maybe"]), SPEC).is_err());
        assert!(!parse(&s(&["--all=false"]), SPEC).unwrap().flag("all"));
        let p = parse(&s(&["--parallel", "x"]), SPEC).unwrap();
        assert!(p.int("parallel", 0).is_err());
        assert_eq!(
            parse(&s(&["--parallel", "-1"]), SPEC)
                .unwrap()
                .int("parallel", 0)
                .unwrap(),
            -1
        );
    }
}
