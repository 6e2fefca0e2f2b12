//! The `:report` subcommand (dokku-core §2.5): argument parsing, the "every app" loop and the
//! byte-exact stdout / JSON / single-flag renderings. A plugin only implements [`Reporter`].

use std::collections::BTreeMap;

use crate::error::{Error, Result};
use crate::text::{go_json_object, uc_first};

/// Parsed `[<app>|--global] [--format stdout|json] [--<info-flag>]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportArgs {
    /// First positional argument, if any.
    pub app: Option<String>,
    pub global: bool,
    /// The `--format` value as given (validated when rendering, as upstream does).
    pub format: String,
    pub info_flag: Option<String>,
}

impl ReportArgs {
    /// The app to report on: `--global`, the positional app, or `""` for "every app".
    pub fn target(&self) -> &str {
        if self.global {
            crate::property::GLOBAL
        } else {
            self.app.as_deref().unwrap_or("")
        }
    }
}

/// Parse report arguments. Any `--x` other than `--format`/`--global` is an info flag, so
/// `--format=json` is one too (as upstream).
pub fn parse_args(plugin: &str, args: &[String]) -> Result<ReportArgs> {
    let mut positional = Vec::new();
    let mut info_flags = Vec::new();
    let mut format = "stdout".to_string();
    let mut global = false;
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        if arg == "--format" {
            match iter.next() {
                Some(v) => format = v.clone(),
                None => return Err(Error::with_code("flag needs an argument: --format", 2).raw()),
            }
        } else if arg == "--global" {
            global = true;
        } else if arg.starts_with("--") {
            info_flags.push(arg.clone());
        } else {
            positional.push(arg.clone());
        }
    }
    if info_flags.len() > 1 {
        return Err(Error::new(format!(
            "{plugin}:report command allows only a single flag"
        )));
    }
    Ok(ReportArgs {
        app: positional.into_iter().next(),
        global,
        format,
        info_flag: info_flags.pop(),
    })
}

/// Rendering switches, differing between plugins (see dokku-core §2.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// JSON keys lose their `--<type>-` prefix.
    pub trim_prefix: bool,
    /// With `trim_prefix`, also emit the unstripped `<type>-<name>` keys.
    pub emit_legacy_prefix: bool,
    /// Capitalise the first letter of stdout keys (false only for `resource`).
    pub uppercase_first: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            trim_prefix: true,
            emit_legacy_prefix: false,
            uppercase_first: true,
        }
    }
}

/// Shown instead of a secret's value in the stdout report.
pub const MASK: &str = "*******";

/// One report line: a flag name such as `--ps-restart-policy` and how to compute its value.
pub struct Flag<'a> {
    pub name: String,
    /// Masked in the full stdout report; raw in JSON and when asked for alone.
    pub secret: bool,
    value: Box<dyn Fn(&str) -> String + 'a>,
}

impl<'a> Flag<'a> {
    pub fn new(name: impl Into<String>, value: impl Fn(&str) -> String + 'a) -> Flag<'a> {
        Flag {
            name: name.into(),
            secret: false,
            value: Box::new(value),
        }
    }

    pub fn secret(name: impl Into<String>, value: impl Fn(&str) -> String + 'a) -> Flag<'a> {
        Flag {
            name: name.into(),
            secret: true,
            value: Box::new(value),
        }
    }

    pub fn value(&self, app: &str) -> String {
        (self.value)(app)
    }
}

/// What a plugin provides for its `:report`.
pub trait Reporter {
    /// The header word and flag prefix, e.g. `ps`.
    fn report_type(&self) -> &str;

    fn options(&self) -> Options {
        Options::default()
    }

    /// The flags for `app` (which may be `--global`).
    fn flags(&self, app: &str) -> Result<Vec<Flag<'_>>>;
}

/// Render one report. Only the requested info flag's value is computed. `quiet` hides the
/// stdout header.
pub fn render(
    report_type: &str,
    app: &str,
    args_format: &str,
    info_flag: Option<&str>,
    options: Options,
    flags: &[Flag<'_>],
    quiet: bool,
) -> Result<String> {
    let format = if args_format.is_empty() {
        "stdout"
    } else {
        args_format
    };
    let mut values: BTreeMap<&str, String> = BTreeMap::new();
    for flag in flags {
        if info_flag.is_some_and(|f| f != flag.name) {
            continue;
        }
        let mut value = flag.value(app);
        if flag.secret && format != "json" && info_flag.is_none() && !value.is_empty() {
            value = MASK.to_string();
        }
        values.insert(flag.name.as_str(), value);
    }

    if format != "stdout" && format != "json" {
        return Err(Error::new(format!(
            "Format must be \"stdout\" or \"json\": {args_format:?}"
        )));
    }
    if format != "stdout" && info_flag.is_some() {
        return Err(Error::new(
            "--format flag cannot be specified when specifying an info flag",
        ));
    }

    if format == "json" {
        let prefix = format!("--{report_type}-");
        let mut data = BTreeMap::new();
        for (key, value) in &values {
            let legacy = key.strip_prefix("--").unwrap_or(key);
            match key.strip_prefix(prefix.as_str()) {
                Some(stripped) if options.trim_prefix => {
                    data.insert(stripped.to_string(), value.clone());
                    if options.emit_legacy_prefix {
                        data.insert(legacy.to_string(), value.clone());
                    }
                }
                _ => {
                    data.insert(legacy.to_string(), value.clone());
                }
            }
        }
        return Ok(format!("{}\n", go_json_object(&data)));
    }

    if let Some(wanted) = info_flag {
        if let Some(value) = values.get(wanted) {
            return Ok(format!("{value}\n"));
        }
        let mut names: Vec<&str> = flags.iter().map(|f| f.name.as_str()).collect();
        names.sort_unstable();
        return Err(Error::new(format!(
            "Invalid flag passed, valid flags: {}",
            names.join(", ")
        )));
    }

    let width = values.keys().map(|k| k.len()).max().unwrap_or(0).max(31);
    let mut out = String::new();
    if !quiet {
        out.push_str(&format!(
            "{}{app} {report_type} information\n",
            crate::log::INFO2
        ));
    }
    for (flag, value) in &values {
        let mut key = flag
            .strip_prefix("--")
            .unwrap_or(flag)
            .replace(['-', '.'], " ");
        if options.uppercase_first {
            key = uc_first(&key);
        }
        key.push(':');
        let pad = width.saturating_sub(key.len());
        out.push_str(crate::log::VERBOSE);
        out.push_str(&key);
        out.push_str(&" ".repeat(pad));
        out.push_str(value);
        out.push('\n');
    }
    Ok(out)
}

/// Report on one app (or `--global`): verify the app, collect and print.
pub fn report_one(
    reporter: &dyn Reporter,
    app: &str,
    format: &str,
    info_flag: Option<&str>,
) -> Result<()> {
    if app != crate::property::GLOBAL {
        crate::app::verify_app_name(app)?;
    }
    let flags = reporter.flags(app)?;
    let text = render(
        reporter.report_type(),
        app,
        format,
        info_flag,
        reporter.options(),
        &flags,
        crate::env::quiet(),
    )?;
    crate::log::write_stdout(&text);
    Ok(())
}

/// The whole `<plugin>:report` subcommand: parse `args` (everything after the command name),
/// then report on the app, on `--global`, or on every app (warning when there is none).
pub fn run(plugin: &str, args: &[String], reporter: &dyn Reporter) -> Result<()> {
    let parsed = parse_args(plugin, args)?;
    report_target(
        reporter,
        parsed.target(),
        &parsed.format,
        parsed.info_flag.as_deref(),
    )
}

/// The `--format` flag set of upstream's Go `:report` subcommands.
const FORMAT_FLAG: &[crate::pflag::Flag] = &[crate::pflag::Flag {
    name: "format",
    kind: crate::pflag::Kind::Str("stdout"),
    usage: "format: [ stdout | json ]",
}];

/// `<plugin>:report` exactly as upstream's Go subcommands run it: `ParseReportArgs` picks out
/// `--global`, `--format X` and the info flags; more than one info flag ends the command
/// silently with status 0 (upstream drops that error); the rest goes through a pflag set
/// holding only `--format`, so a stray `-x` prints its usage and exits 2.
pub fn run_subcommand(plugin: &str, args: &[String], reporter: &dyn Reporter) -> Result<()> {
    let mut os_args = Vec::new();
    let mut info_flags = Vec::new();
    let mut global = false;
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        if arg == "--format" {
            os_args.push(arg.clone());
            // Upstream indexes past the end here and panics; pflag then reports the
            // missing value instead.
            os_args.extend(iter.next().cloned());
        } else if arg == "--global" {
            global = true;
        } else if arg.starts_with("--") {
            info_flags.push(arg.clone());
        } else {
            os_args.push(arg.clone());
        }
    }
    if info_flags.len() > 1 {
        return Ok(());
    }
    let name = format!("{plugin}:report");
    let set = crate::pflag::FlagSet {
        name: &name,
        flags: FORMAT_FLAG,
    };
    let parsed = set.parse(&os_args)?;
    let target = if global {
        crate::property::GLOBAL
    } else {
        parsed.arg(0)
    };
    report_target(
        reporter,
        target,
        parsed.string("format"),
        info_flags.first().map(String::as_str),
    )
}

/// Report on `target`, or on every app when it is empty.
fn report_target(
    reporter: &dyn Reporter,
    target: &str,
    format: &str,
    info_flag: Option<&str>,
) -> Result<()> {
    if !target.is_empty() {
        return report_one(reporter, target, format, info_flag);
    }
    let apps = match crate::app::dokku_apps() {
        Ok(apps) => apps,
        Err(e) if e.message() == crate::app::MSG_NO_APPS => {
            crate::log::warn(e.message());
            return Ok(());
        }
        Err(e) => return Err(e),
    };
    for app in apps {
        report_one(reporter, &app, format, info_flag)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    fn ps_flags() -> Vec<Flag<'static>> {
        vec![
            Flag::new("--ps-restart-policy", |_| "on-failure:10".to_string()),
            Flag::new("--deployed", |_| "false".to_string()),
            Flag::new("--ps-computed-stop-timeout-seconds", |_| "30".to_string()),
            Flag::new("--ps-global-procfile-path", |_| String::new()),
            Flag::secret("--ps-token", |_| "hunter2".to_string()),
            Flag::secret("--ps-empty-token", |_| String::new()),
        ]
    }

    #[test]
    fn args() {
        let a = parse_args("ps", &s(&["web", "--format", "json"])).unwrap();
        assert_eq!(
            a,
            ReportArgs {
                app: Some("web".into()),
                global: false,
                format: "json".into(),
                info_flag: None
            }
        );
        let a = parse_args("ps", &s(&["--global", "--ps-restart-policy"])).unwrap();
        assert_eq!(a.target(), "--global");
        assert_eq!(a.info_flag.as_deref(), Some("--ps-restart-policy"));
        let a = parse_args("ps", &s(&["--format=json"])).unwrap();
        assert_eq!(a.info_flag.as_deref(), Some("--format=json"));
        assert_eq!(a.target(), "");
        let e = parse_args("ps", &s(&["web", "--a", "--b"])).unwrap_err();
        assert_eq!(e.message(), "ps:report command allows only a single flag");
        assert_eq!(parse_args("ps", &s(&["--format"])).unwrap_err().code(), 2);
    }

    #[test]
    fn stdout_exact() {
        let mut flags = ps_flags();
        flags.remove(2);
        let out = render(
            "ps",
            "web",
            "stdout",
            None,
            Options::default(),
            &flags,
            false,
        )
        .unwrap();
        let expected = "=====> web ps information\n\
            \x20      Deployed:                      false\n\
            \x20      Ps empty token:                \n\
            \x20      Ps global procfile path:       \n\
            \x20      Ps restart policy:             on-failure:10\n\
            \x20      Ps token:                      *******\n";
        assert_eq!(out, expected);
        // the spec's example line
        assert!(out.contains("\n       Ps restart policy:             on-failure:10\n"));
        let quiet = render("ps", "--global", "", None, Options::default(), &flags, true).unwrap();
        assert!(quiet.starts_with("       Deployed:"));
        let global = render(
            "ps",
            "--global",
            "",
            None,
            Options::default(),
            &flags,
            false,
        )
        .unwrap();
        assert!(global.starts_with("=====> --global ps information\n"));
    }

    #[test]
    fn padding_grows_with_the_longest_flag() {
        let out = render(
            "ps",
            "web",
            "stdout",
            None,
            Options::default(),
            &ps_flags(),
            true,
        )
        .unwrap();
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines[0], "       Deployed:                         false");
        assert_eq!(lines[1], "       Ps computed stop timeout seconds: 30");
    }

    #[test]
    fn lowercase_and_dots() {
        let flags = vec![Flag::new("--resource-limit-cpu.web", |_| "1".to_string())];
        let opts = Options {
            uppercase_first: false,
            ..Options::default()
        };
        let out = render("resource", "web", "stdout", None, opts, &flags, true).unwrap();
        assert_eq!(out, "       resource limit cpu web:        1\n");
    }

    #[test]
    fn single_flag_raw_and_errors() {
        let f = ps_flags();
        assert_eq!(
            render(
                "ps",
                "web",
                "stdout",
                Some("--ps-token"),
                Options::default(),
                &f,
                false
            )
            .unwrap(),
            "hunter2\n"
        );
        assert_eq!(
            render(
                "ps",
                "web",
                "stdout",
                Some("--deployed"),
                Options::default(),
                &f,
                false
            )
            .unwrap(),
            "false\n"
        );
        let e = render(
            "ps",
            "web",
            "stdout",
            Some("--nope"),
            Options::default(),
            &f,
            false,
        )
        .unwrap_err();
        assert_eq!(
            e.message(),
            "Invalid flag passed, valid flags: --deployed, --ps-computed-stop-timeout-seconds, --ps-empty-token, --ps-global-procfile-path, --ps-restart-policy, --ps-token"
        );
        let e = render(
            "ps",
            "web",
            "json",
            Some("--deployed"),
            Options::default(),
            &f,
            false,
        )
        .unwrap_err();
        assert_eq!(
            e.message(),
            "--format flag cannot be specified when specifying an info flag"
        );
        let e = render("ps", "web", "xml", None, Options::default(), &f, false).unwrap_err();
        assert_eq!(
            e.message(),
            "Format must be \"stdout\" or \"json\": \"xml\""
        );
    }

    #[test]
    fn json_keys() {
        let f = ps_flags();
        let out = render("ps", "web", "json", None, Options::default(), &f, false).unwrap();
        assert_eq!(
            out,
            "{\"computed-stop-timeout-seconds\":\"30\",\"deployed\":\"false\",\"empty-token\":\"\",\"global-procfile-path\":\"\",\"restart-policy\":\"on-failure:10\",\"token\":\"hunter2\"}\n"
        );
        let legacy = Options {
            emit_legacy_prefix: true,
            ..Options::default()
        };
        let out = render("ps", "web", "json", None, legacy, &f[..2], false).unwrap();
        assert_eq!(out, "{\"deployed\":\"false\",\"ps-restart-policy\":\"on-failure:10\",\"restart-policy\":\"on-failure:10\"}\n");
        let untrimmed = Options {
            trim_prefix: false,
            ..Options::default()
        };
        let out = render("ps", "web", "json", None, untrimmed, &f[..1], false).unwrap();
        assert_eq!(out, "{\"ps-restart-policy\":\"on-failure:10\"}\n");
    }

    #[test]
    fn only_the_requested_flag_is_computed() {
        let flags = vec![
            Flag::new("--a", |_| "1".to_string()),
            Flag::new("--b", |_| panic!("must not be computed")),
        ];
        assert_eq!(
            render(
                "x",
                "web",
                "stdout",
                Some("--a"),
                Options::default(),
                &flags,
                false
            )
            .unwrap(),
            "1\n"
        );
    }
}
