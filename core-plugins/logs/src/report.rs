//! The `logs` report (`logs:report` and the `report` trigger). Sink DSNs can hold
//! credentials, so the stdout report shows only `<type>://redacted`, unless the sink's own
//! flag is asked for or the format is not `stdout` (upstream's `redactedSink`; the `report`
//! trigger passes an empty format, which is not `stdout`, so it shows them raw).

use std::cell::RefCell;

use dokku_common::property::GLOBAL;
use dokku_common::report::{Flag, Options, Reporter};
use dokku_common::Result;

use crate::settings::{self, APP_LABEL_ALIAS};
use crate::sink;

thread_local! {
    /// `(format, info flag)` of the report being printed (upstream's `DOKKU_REPORT_*`).
    static CONTEXT: RefCell<(String, String)> = const { RefCell::new((String::new(), String::new())) };
}

pub fn set_context(format: &str, info_flag: &str) {
    CONTEXT.with(|c| *c.borrow_mut() = (format.to_string(), info_flag.to_string()));
}

fn redacted(value: String, exact_flag: &str) -> String {
    if value.is_empty() {
        return value;
    }
    let (format, flag) = CONTEXT.with(|c| c.borrow().clone());
    if format != "stdout" || flag == exact_flag {
        return value;
    }
    sink::redacted(&value)
}

fn vector_sink(app: &str) -> String {
    redacted(settings::get(app, "vector-sink"), "--logs-vector-sink")
}

fn global_vector_sink(_: &str) -> String {
    redacted(
        settings::get(GLOBAL, "vector-sink"),
        "--logs-global-vector-sink",
    )
}

fn vector_cron_sink(app: &str) -> String {
    redacted(
        settings::get(app, "vector-cron-sink"),
        "--logs-vector-cron-sink",
    )
}

fn global_vector_cron_sink(_: &str) -> String {
    redacted(
        settings::get(GLOBAL, "vector-cron-sink"),
        "--logs-global-vector-cron-sink",
    )
}

/// Upstream's computed values use the app getter, then the global one; for `--global` the
/// app getter reads the global file too.
fn computed_of(a: String, b: String, default: &str) -> String {
    if !a.is_empty() {
        a
    } else if !b.is_empty() {
        b
    } else {
        default.to_string()
    }
}

pub struct LogsReport;

impl Reporter for LogsReport {
    fn report_type(&self) -> &str {
        "logs"
    }

    fn options(&self) -> Options {
        Options {
            trim_prefix: true,
            emit_legacy_prefix: true,
            uppercase_first: true,
        }
    }

    fn flags(&self, app: &str) -> Result<Vec<Flag<'_>>> {
        let mut flags = vec![
            Flag::new("--logs-computed-app-label-alias", |app| {
                computed_of(
                    settings::get(app, "app-label-alias"),
                    settings::get(GLOBAL, "app-label-alias"),
                    APP_LABEL_ALIAS,
                )
            }),
            Flag::new("--logs-computed-max-size", settings::computed_max_size),
            Flag::new("--logs-computed-vector-cron-sink", |app| {
                computed_of(vector_cron_sink(app), global_vector_cron_sink(app), "")
            }),
            Flag::new("--logs-computed-vector-image", |_| {
                settings::computed_vector_image()
            }),
            Flag::new("--logs-computed-vector-networks", |_| {
                settings::get(GLOBAL, "vector-networks")
            }),
            Flag::new("--logs-computed-vector-sink", |app| {
                computed_of(vector_sink(app), global_vector_sink(app), "")
            }),
            Flag::new("--logs-global-app-label-alias", |_| {
                settings::get(GLOBAL, "app-label-alias")
            }),
            Flag::new("--logs-global-max-size", |_| {
                settings::get(GLOBAL, "max-size")
            }),
            Flag::new("--logs-global-vector-cron-sink", global_vector_cron_sink),
            Flag::new("--logs-global-vector-image", |_| {
                settings::get(GLOBAL, "vector-image")
            }),
            Flag::new("--logs-global-vector-networks", |_| {
                settings::get(GLOBAL, "vector-networks")
            }),
            Flag::new("--logs-global-vector-sink", global_vector_sink),
        ];
        if app != GLOBAL {
            flags.extend([
                Flag::new("--logs-app-label-alias", |app| {
                    settings::get(app, "app-label-alias")
                }),
                Flag::new("--logs-max-size", |app| settings::get(app, "max-size")),
                Flag::new("--logs-vector-cron-sink", vector_cron_sink),
                Flag::new("--logs-vector-sink", vector_sink),
            ]);
        }
        Ok(flags)
    }
}

/// The `report` trigger: the stdout report for one app, sinks shown raw (see module docs).
pub fn trigger(args: &[String]) -> Result<()> {
    set_context("", "");
    dokku_common::report::report_one(&LogsReport, dokku_common::args::nth(args, 0), "", None)
}

/// `logs:report [<app>|--global] [--format stdout|json] [--<flag>]`.
pub fn subcommand(args: &[String]) -> Result<()> {
    // The same reading of the arguments as the shared report parser, to learn the format
    // and the flag the redaction depends on.
    let mut format = "stdout".to_string();
    let mut info_flag = String::new();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        if arg == "--format" {
            if let Some(v) = iter.next() {
                format = v.clone();
            }
        } else if arg != "--global" && arg.starts_with("--") && info_flag.is_empty() {
            info_flag = arg.clone();
        }
    }
    set_context(&format, &info_flag);
    dokku_common::report::run_subcommand("logs", args, &LogsReport)
}
