//! The `app` report: `apps:report` and the `report` trigger.

use dokku_common::property::{Store, GLOBAL};
use dokku_common::report::{Flag, Options, Reporter};
use dokku_common::{Paths, Result};

pub struct AppsReport;

fn global_disable_autocreation(_: &str) -> String {
    Store::from_env().get("apps", GLOBAL, "disable-autocreation")
}

impl Reporter for AppsReport {
    fn report_type(&self) -> &str {
        "app"
    }

    fn options(&self) -> Options {
        Options {
            trim_prefix: true,
            emit_legacy_prefix: true,
            uppercase_first: true,
        }
    }

    fn flags(&self, app: &str) -> Result<Vec<Flag<'_>>> {
        let global = Flag::new(
            "--app-global-disable-autocreation",
            global_disable_autocreation,
        );
        if app == GLOBAL {
            return Ok(vec![global]);
        }
        Ok(vec![
            Flag::new("--app-created-at", |app| {
                Store::from_env()
                    .list_get("apps", app, "created-at")
                    .map(|lines| lines.join(","))
                    .unwrap_or_default()
            }),
            Flag::new("--app-deploy-source", |app| {
                Store::from_env().get("apps", app, "deploy-source")
            }),
            Flag::new("--app-deploy-source-metadata", |app| {
                Store::from_env().get("apps", app, "deploy-source-metadata")
            }),
            // Go builds it with "%v/%v": no path normalisation.
            Flag::new("--app-dir", |app| {
                format!("{}/{app}", Paths::from_env().dokku_root.display())
            }),
            global,
            Flag::new("--app-locked", |app| {
                crate::subcommands::is_locked(app).to_string()
            }),
        ])
    }
}
