//! `buildpacks:report` and the `report` trigger.

use dokku_common::property::GLOBAL;
use dokku_common::report::{Flag, Options, Reporter};
use dokku_common::Result;

use crate::state;

pub struct BuildpacksReport;

impl Reporter for BuildpacksReport {
    fn report_type(&self) -> &str {
        state::PLUGIN
    }

    fn options(&self) -> Options {
        Options {
            trim_prefix: true,
            emit_legacy_prefix: true,
            uppercase_first: true,
        }
    }

    fn flags(&self, app: &str) -> Result<Vec<Flag<'_>>> {
        let global = Flag::new("--buildpacks-global-stack", |_| state::stack(GLOBAL));
        if app == GLOBAL {
            return Ok(vec![global]);
        }
        Ok(vec![
            Flag::new("--buildpacks-computed-stack", state::computed_stack),
            global,
            Flag::new("--buildpacks-list", |a| {
                state::list(a).map(|l| l.join(",")).unwrap_or_default()
            }),
            Flag::new("--buildpacks-stack", state::stack),
        ])
    }
}
