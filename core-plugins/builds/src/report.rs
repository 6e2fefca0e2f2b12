//! `builds:report`: the newest build's fields and the retention settings. Upstream has no
//! `report` trigger for this plugin, so `dokku report` does not include it.

use dokku_common::property::{Store, GLOBAL};
use dokku_common::report::{Flag, Options, Reporter};
use dokku_common::Result;

use crate::record::Build;
use crate::store::{self, PLUGIN};

pub struct BuildsReport;

/// A field of the newest build, `""` when the app has none.
fn latest(app: &str, field: fn(&Build) -> String) -> String {
    store::latest(app).map(|b| field(&b)).unwrap_or_default()
}

impl Reporter for BuildsReport {
    fn report_type(&self) -> &str {
        PLUGIN
    }

    fn options(&self) -> Options {
        Options {
            trim_prefix: true,
            emit_legacy_prefix: true,
            uppercase_first: true,
        }
    }

    fn flags(&self, app: &str) -> Result<Vec<Flag<'_>>> {
        let global = Flag::new("--builds-global-retention", |_| {
            Store::from_env().get(PLUGIN, GLOBAL, "retention")
        });
        if app == GLOBAL {
            return Ok(vec![global]);
        }
        Ok(vec![
            Flag::new("--build-id", |a| latest(a, |b| b.id.clone())),
            Flag::new("--build-kind", |a| latest(a, |b| b.kind.clone())),
            Flag::new("--build-status", |a| {
                latest(a, |b| b.display_status().to_string())
            }),
            Flag::new("--build-pid", |a| latest(a, |b| b.pid.to_string())),
            Flag::new("--build-source", |a| latest(a, |b| b.source.clone())),
            Flag::new("--build-started-at", |a| {
                latest(a, |b| b.started_at.rfc3339())
            }),
            Flag::new("--build-finished-at", |a| {
                latest(a, |b| {
                    b.finished_at.map(|t| t.rfc3339()).unwrap_or_default()
                })
            }),
            Flag::new("--build-exit-code", |a| {
                latest(a, |b| {
                    b.exit_code.map(|c| c.to_string()).unwrap_or_default()
                })
            }),
            Flag::new("--builds-retention", |a| {
                Store::from_env().get(PLUGIN, a, "retention")
            }),
            global,
            Flag::new("--builds-computed-retention", |a| {
                store::retention(a).to_string()
            }),
        ])
    }
}
