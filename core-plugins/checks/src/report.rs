//! The `checks` report (`checks:report` and the `report` trigger): the Go report upstream
//! ships with this bash plugin.

use dokku_common::property::GLOBAL;
use dokku_common::report::{Flag, Options, Reporter};
use dokku_common::Result;

use crate::checks;

pub struct ChecksReport;

/// An empty list shows as `none`.
fn list(app: &str, key: &str) -> String {
    match dokku_common::property::Store::from_env().get(checks::PLUGIN, app, key) {
        v if v.is_empty() => "none".to_string(),
        v => v,
    }
}

impl Reporter for ChecksReport {
    fn report_type(&self) -> &str {
        "checks"
    }

    fn options(&self) -> Options {
        Options {
            trim_prefix: true,
            emit_legacy_prefix: false,
            uppercase_first: true,
        }
    }

    fn flags(&self, app: &str) -> Result<Vec<Flag<'_>>> {
        let store = || dokku_common::property::Store::from_env();
        let mut flags = vec![
            Flag::new("--checks-computed-wait-to-retire", move |app| {
                let own = store().get(checks::PLUGIN, app, "wait-to-retire");
                if !own.is_empty() {
                    return own;
                }
                match store().get(checks::PLUGIN, GLOBAL, "wait-to-retire") {
                    v if v.is_empty() => checks::DEFAULT_WAIT_TO_RETIRE.to_string(),
                    v => v,
                }
            }),
            Flag::new("--checks-global-wait-to-retire", move |_| {
                store().get(checks::PLUGIN, GLOBAL, "wait-to-retire")
            }),
        ];
        if app != GLOBAL {
            flags.extend([
                Flag::new("--checks-disabled-list", |app| list(app, "disabled")),
                Flag::new("--checks-skipped-list", |app| list(app, "skipped")),
                Flag::new("--checks-wait-to-retire", move |app| {
                    store().get(checks::PLUGIN, app, "wait-to-retire")
                }),
            ]);
        }
        Ok(flags)
    }
}

/// The `report` trigger: the stdout report for one app.
pub fn trigger(args: &[String]) -> Result<()> {
    dokku_common::report::report_one(&ChecksReport, dokku_common::args::nth(args, 0), "", None)
}
