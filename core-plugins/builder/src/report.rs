//! The `builder` report: `selected`, `build-dir` and `skip-cleanup` with their global and
//! computed values, and the `detected` builder.

use dokku_common::property::{Store, GLOBAL};
use dokku_common::report::{Flag, Options, Reporter};
use dokku_common::Result;

use crate::PLUGIN;

pub struct BuilderReport;

fn get(app: &str, property: &str) -> String {
    Store::from_env().get(PLUGIN, app, property)
}

/// The app value, else the global one, else `fallback`.
pub fn computed(app: &str, property: &str, fallback: &str) -> String {
    Store::from_env().get_computed(PLUGIN, app, property, fallback)
}

impl Reporter for BuilderReport {
    fn report_type(&self) -> &str {
        PLUGIN
    }

    fn options(&self) -> Options {
        Options {
            emit_legacy_prefix: true,
            ..Options::default()
        }
    }

    fn flags(&self, app: &str) -> Result<Vec<Flag<'_>>> {
        let global = |property: &'static str| move |_: &str| get(GLOBAL, property);
        let mut flags = vec![
            Flag::new("--builder-global-selected", global("selected")),
            Flag::new("--builder-global-build-dir", global("build-dir")),
            Flag::new("--builder-global-skip-cleanup", global("skip-cleanup")),
            Flag::new("--builder-computed-skip-cleanup", |a: &str| {
                computed(a, "skip-cleanup", "false")
            }),
        ];
        if app != GLOBAL {
            let own = |property: &'static str| move |a: &str| get(a, property);
            flags.extend([
                Flag::new("--builder-computed-selected", |a: &str| {
                    computed(a, "selected", "")
                }),
                Flag::new("--builder-selected", own("selected")),
                Flag::new("--builder-detected", own("detected")),
                Flag::new("--builder-computed-build-dir", |a: &str| {
                    computed(a, "build-dir", "")
                }),
                Flag::new("--builder-build-dir", own("build-dir")),
                Flag::new("--builder-skip-cleanup", own("skip-cleanup")),
            ]);
        }
        Ok(flags)
    }
}
