//! The `cron` report (`cron:report` and the `report` trigger).

use dokku_common::property::{Store, GLOBAL};
use dokku_common::report::{Flag, Options, Reporter};
use dokku_common::Result;

use crate::tasks::{self, Source, MAINTENANCE_PREFIX, PLUGIN};

pub struct CronReport;

fn global(key: &'static str) -> impl Fn(&str) -> String {
    move |_| Store::from_env().get(PLUGIN, GLOBAL, key)
}

fn computed(key: &'static str) -> impl Fn(&str) -> String {
    move |_| Store::from_env().get_default(PLUGIN, GLOBAL, key, "")
}

impl Reporter for CronReport {
    fn report_type(&self) -> &str {
        "cron"
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
            Flag::new("--cron-computed-mailfrom", computed("mailfrom")),
            Flag::new("--cron-computed-mailto", computed("mailto")),
            Flag::new("--cron-computed-maintenance", tasks::computed_maintenance),
            Flag::new("--cron-global-mailfrom", global("mailfrom")),
            Flag::new("--cron-global-mailto", global("mailto")),
            Flag::new("--cron-global-maintenance", global("maintenance")),
        ];
        if app == GLOBAL {
            return Ok(flags);
        }
        flags.push(Flag::new("--cron-maintenance", |app| {
            Store::from_env().get(PLUGIN, app, "maintenance")
        }));
        flags.push(Flag::new("--cron-task-count", |app| {
            tasks::fetch(app, Source::App, false).0.len().to_string()
        }));
        // One flag per suspended (or resumed-but-kept) task property.
        if let Ok(properties) = Store::from_env().get_all_by_prefix(PLUGIN, app, MAINTENANCE_PREFIX)
        {
            for (property, value) in properties {
                let id = property.replacen(MAINTENANCE_PREFIX, "", 1);
                flags.push(Flag::new(format!("--cron-maintenance-{id}"), move |_| {
                    value.clone()
                }));
            }
        }
        Ok(flags)
    }
}
