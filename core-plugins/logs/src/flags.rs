//! The flag set of the bare `logs` command: spf13/pflag v1.0.10 with shorthands
//! (`-n 5`, `-n5`, `-n=5`, `-tq`), which the shared `dokku_common::pflag` does not cover.
//! On a bad flag pflag prints the usage, then the error, on stderr and exits 2.

use dokku_common::pflag::{parse_int_base0, USAGE_EXIT};
use dokku_common::text::{go_quote, go_quote_rune};
use dokku_common::{Error, Result};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Bool,
    Int64(i64),
    Str,
}

struct Flag {
    name: &'static str,
    short: char,
    kind: Kind,
    usage: &'static str,
}

/// In pflag's display order (sorted by name).
const FLAGS: &[Flag] = &[
    Flag {
        name: "help",
        short: 'h',
        kind: Kind::Bool,
        usage: "print help for the command",
    },
    Flag {
        name: "num",
        short: 'n',
        kind: Kind::Int64(100),
        usage: "the number of lines to display",
    },
    Flag {
        name: "ps",
        short: 'p',
        kind: Kind::Str,
        usage: "only display logs from the given process",
    },
    Flag {
        name: "quiet",
        short: 'q',
        kind: Kind::Bool,
        usage: "display raw logs without colors, time and names",
    },
    Flag {
        name: "tail",
        short: 't',
        kind: Kind::Bool,
        usage: "continually stream logs",
    },
];

/// The parsed `logs` arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogsArgs {
    pub help: bool,
    pub num: i64,
    pub ps: String,
    pub quiet: bool,
    pub tail: bool,
    pub args: Vec<String>,
}

/// pflag's usage text for this set.
pub fn usage() -> String {
    let rows: Vec<(String, String)> = FLAGS
        .iter()
        .map(|f| {
            let mut left = format!("  -{}, --{}", f.short, f.name);
            let mut right = f.usage.to_string();
            match f.kind {
                Kind::Bool => {}
                Kind::Int64(d) => {
                    left.push_str(" int");
                    right.push_str(&format!(" (default {d})"));
                }
                Kind::Str => left.push_str(" string"),
            }
            (left, right)
        })
        .collect();
    let width = rows.iter().map(|(l, _)| l.len() + 1).max().unwrap_or(0);
    let mut out = String::from("Usage of logs:\n");
    for (left, right) in rows {
        out.push_str(&format!(
            "{left} {} {right}\n",
            " ".repeat(width - left.len())
        ));
    }
    out
}

fn fail(msg: String) -> Error {
    Error::with_code(format!("{}{msg}", usage()), USAGE_EXIT).raw()
}

fn set(parsed: &mut LogsArgs, flag: &Flag, value: &str) -> Result<()> {
    let invalid = |cause: String| {
        fail(format!(
            "invalid argument {} for {} flag: {cause}",
            go_quote(value),
            go_quote(&format!("-{}, --{}", flag.short, flag.name))
        ))
    };
    match flag.kind {
        Kind::Bool => {
            let v = match value {
                "1" | "t" | "T" | "true" | "TRUE" | "True" => true,
                "0" | "f" | "F" | "false" | "FALSE" | "False" => false,
                _ => {
                    return Err(invalid(format!(
                        "strconv.ParseBool: parsing {}: invalid syntax",
                        go_quote(value)
                    )))
                }
            };
            match flag.name {
                "help" => parsed.help = v,
                "quiet" => parsed.quiet = v,
                _ => parsed.tail = v,
            }
        }
        Kind::Int64(_) => {
            parsed.num = parse_int_base0(value).map_err(|kind| {
                invalid(format!(
                    "strconv.ParseInt: parsing {}: {kind}",
                    go_quote(value)
                ))
            })?;
        }
        Kind::Str => parsed.ps = value.to_string(),
    }
    Ok(())
}

/// Parse everything after the `logs` word.
pub fn parse(args: &[String]) -> Result<LogsArgs> {
    let mut parsed = LogsArgs {
        help: false,
        num: 100,
        ps: String::new(),
        quiet: false,
        tail: false,
        args: Vec::new(),
    };
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        if arg.len() < 2 || !arg.starts_with('-') {
            parsed.args.push(arg.clone());
        } else if arg == "--" {
            parsed.args.extend(rest.by_ref().cloned());
            break;
        } else if let Some(body) = arg.strip_prefix("--") {
            if body.starts_with('-') || body.starts_with('=') {
                return Err(fail(format!("bad flag syntax: {arg}")));
            }
            let (name, inline) = match body.split_once('=') {
                Some((n, v)) => (n, Some(v)),
                None => (body, None),
            };
            let Some(flag) = FLAGS.iter().find(|f| f.name == name) else {
                return Err(fail(format!("unknown flag: --{name}")));
            };
            let value = match (inline, flag.kind) {
                (Some(v), _) => v.to_string(),
                (None, Kind::Bool) => "true".to_string(),
                (None, _) => match rest.next() {
                    Some(v) => v.clone(),
                    None => return Err(fail(format!("flag needs an argument: --{name}"))),
                },
            };
            set(&mut parsed, flag, &value)?;
        } else {
            let shorthands = &arg[1..];
            for (i, c) in shorthands.char_indices() {
                let Some(flag) = FLAGS.iter().find(|f| f.short == c) else {
                    return Err(fail(format!(
                        "unknown shorthand flag: {} in -{}",
                        go_quote_rune(c),
                        &shorthands[i..]
                    )));
                };
                let after = &shorthands[i + c.len_utf8()..];
                if let Some(v) = after.strip_prefix('=').filter(|v| !v.is_empty()) {
                    set(&mut parsed, flag, v)?;
                    break;
                }
                if flag.kind == Kind::Bool {
                    set(&mut parsed, flag, "true")?;
                    continue;
                }
                if !after.is_empty() {
                    set(&mut parsed, flag, after)?;
                    break;
                }
                match rest.next() {
                    Some(v) => set(&mut parsed, flag, v)?,
                    None => {
                        return Err(fail(format!(
                            "flag needs an argument: {} in -{}",
                            go_quote_rune(c),
                            &shorthands[i..]
                        )))
                    }
                }
            }
        }
    }
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(args: &[&str]) -> Result<LogsArgs> {
        parse(&args.iter().map(|s| s.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn usage_layout() {
        assert_eq!(
            usage(),
            "Usage of logs:\n\
             \x20 -h, --help        print help for the command\n\
             \x20 -n, --num int     the number of lines to display (default 100)\n\
             \x20 -p, --ps string   only display logs from the given process\n\
             \x20 -q, --quiet       display raw logs without colors, time and names\n\
             \x20 -t, --tail        continually stream logs\n"
        );
    }

    #[test]
    fn forms() {
        let a = p(&["-tq", "-n5", "web", "--ps=worker"]).unwrap();
        assert!(a.tail && a.quiet);
        assert_eq!(
            (a.num, a.ps.as_str(), a.args.clone()),
            (5, "worker", vec!["web".to_string()])
        );
        assert_eq!(p(&["-n", "7", "web"]).unwrap().num, 7);
        assert_eq!(p(&["-n=0x10"]).unwrap().num, 16);
        assert!(p(&["--tail=false"]).map(|a| !a.tail).unwrap());
        assert!(p(&["-h"]).unwrap().help);
        let e = p(&["-x"]).unwrap_err();
        assert_eq!(
            (
                e.code(),
                e.message().ends_with("unknown shorthand flag: 'x' in -x")
            ),
            (2, true)
        );
        let e = p(&["-tn"]).unwrap_err();
        assert!(
            e.message().ends_with("flag needs an argument: 'n' in -n"),
            "{}",
            e.message()
        );
        let e = p(&["--num", "abc"]).unwrap_err();
        assert!(e.message().ends_with("invalid argument \"abc\" for \"-n, --num\" flag: strconv.ParseInt: parsing \"abc\": invalid syntax"), "{}", e.message());
        let e = p(&["--nope"]).unwrap_err();
        assert!(e.message().ends_with("unknown flag: --nope"));
    }
}
