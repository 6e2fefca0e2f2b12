//! The `scheduler-docker-local` report (`scheduler-docker-local:report` and the `report`
//! trigger): the Go report upstream ships with this bash plugin.

use dokku_common::property::GLOBAL;
use dokku_common::report::{Flag, Options, Reporter};
use dokku_common::Result;

use crate::settings;

pub struct SchedulerDockerLocalReport;

impl Reporter for SchedulerDockerLocalReport {
    fn report_type(&self) -> &str {
        "scheduler-docker-local"
    }

    fn options(&self) -> Options {
        Options {
            trim_prefix: true,
            emit_legacy_prefix: false,
            uppercase_first: true,
        }
    }

    fn flags(&self, app: &str) -> Result<Vec<Flag<'_>>> {
        let mut flags = vec![
            Flag::new(
                "--scheduler-docker-local-computed-init-process",
                settings::computed_init_process,
            ),
            Flag::new(
                "--scheduler-docker-local-computed-parallel-schedule-count",
                settings::computed_parallel_schedule_count,
            ),
            Flag::new("--scheduler-docker-local-global-init-process", |_| {
                settings::get(GLOBAL, "init-process")
            }),
            Flag::new(
                "--scheduler-docker-local-global-parallel-schedule-count",
                |_| settings::get(GLOBAL, "parallel-schedule-count"),
            ),
        ];
        if app != GLOBAL {
            flags.push(Flag::new("--scheduler-docker-local-init-process", |app| {
                settings::get(app, "init-process")
            }));
            flags.push(Flag::new(
                "--scheduler-docker-local-parallel-schedule-count",
                |app| settings::get(app, "parallel-schedule-count"),
            ));
        }
        Ok(flags)
    }
}

/// The `report` trigger: the stdout report for one app.
pub fn trigger(args: &[String]) -> Result<()> {
    let app = dokku_common::args::nth(args, 0);
    dokku_common::report::report_one(&SchedulerDockerLocalReport, app, "", None)
}
