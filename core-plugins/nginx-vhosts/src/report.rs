//! The `nginx` report (`nginx:report` and the `report` trigger): for each property its app,
//! global and computed value, and when the app's access log was last written.

use std::os::unix::fs::MetadataExt;

use dokku_common::property::GLOBAL;
use dokku_common::report::{Flag, Options, Reporter};
use dokku_common::Result;

use crate::props;

pub struct NginxReport;

/// The modification time (unix seconds) of the app's own access log setting, when it names a
/// regular file.
fn last_visited_at(app: &str) -> String {
    let path = props::app_value(app, "access-log-path");
    if path.is_empty() || path == "off" || path == "/dev/null" {
        return String::new();
    }
    match std::fs::metadata(&path) {
        Ok(m) if m.is_file() => m.mtime().to_string(),
        _ => String::new(),
    }
}

impl Reporter for NginxReport {
    fn report_type(&self) -> &str {
        "nginx"
    }

    fn options(&self) -> Options {
        Options {
            trim_prefix: true,
            emit_legacy_prefix: false,
            uppercase_first: true,
        }
    }

    fn flags(&self, app: &str) -> Result<Vec<Flag<'_>>> {
        let mut flags = Vec::new();
        for key in props::KEYS {
            flags.push(Flag::new(format!("--nginx-global-{key}"), move |_| {
                props::global_value(key)
            }));
            if app == GLOBAL {
                continue;
            }
            flags.push(Flag::new(format!("--nginx-{key}"), move |app| {
                props::app_value(app, key)
            }));
            flags.push(Flag::new(format!("--nginx-computed-{key}"), move |app| {
                props::computed(app, key)
            }));
        }
        if app != GLOBAL {
            flags.push(Flag::new("--nginx-last-visited-at", last_visited_at));
        }
        Ok(flags)
    }
}
