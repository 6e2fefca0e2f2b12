//! The `ports` report (`ports:report` and the `report` trigger): the user's and the detected
//! mappings, as text and as JSON. There are no global values.

use dokku_common::property::GLOBAL;
use dokku_common::report::{Flag, Options, Reporter};
use dokku_common::Result;

use crate::portmap;
use crate::state;

pub struct PortsReport;

impl Reporter for PortsReport {
    fn report_type(&self) -> &str {
        "ports"
    }

    fn options(&self) -> Options {
        Options {
            trim_prefix: true,
            emit_legacy_prefix: true,
            uppercase_first: true,
        }
    }

    fn flags(&self, app: &str) -> Result<Vec<Flag<'_>>> {
        if app == GLOBAL {
            return Ok(Vec::new());
        }
        Ok(vec![
            Flag::new("--ports-map", |app| portmap::join(&state::port_maps(app))),
            Flag::new("--ports-map-json", state::port_maps_json),
            Flag::new("--ports-map-detected", |app| {
                portmap::join(&state::detected_port_maps(app))
            }),
            Flag::new("--ports-map-detected-json", |app| {
                portmap::to_json(Some(&state::detected_port_maps(app)))
            }),
        ])
    }
}
