//! The `scheduler` report (`scheduler:report` and the `report` trigger).

use dokku_common::property::GLOBAL;
use dokku_common::report::{Flag, Options, Reporter};
use dokku_common::Result;

use crate::scheduler;

pub struct SchedulerReport;

impl Reporter for SchedulerReport {
    fn report_type(&self) -> &str {
        "scheduler"
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
            Flag::new(
                "--scheduler-computed-selected",
                scheduler::computed_selected,
            ),
            Flag::new("--scheduler-global-selected", |_| {
                scheduler::get(GLOBAL, "selected")
            }),
            Flag::new("--scheduler-computed-shell", |app| {
                scheduler::computed(app, "shell")
            }),
            Flag::new("--scheduler-global-shell", |_| {
                scheduler::get(GLOBAL, "shell")
            }),
        ];
        if app != GLOBAL {
            flags.push(Flag::new("--scheduler-selected", |app| {
                scheduler::get(app, "selected")
            }));
            flags.push(Flag::new("--scheduler-shell", |app| {
                scheduler::get(app, "shell")
            }));
        }
        Ok(flags)
    }
}
