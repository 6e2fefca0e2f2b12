//! The `domains` report (`domains:report` and the `report` trigger), computed the way
//! upstream's Go report does: file contents with whitespace collapsed, and the global
//! VHOST lines checked untrimmed.

use dokku_common::property::GLOBAL;
use dokku_common::report::{Flag, Reporter};
use dokku_common::Result;

use crate::domains;
use crate::hostname;
use crate::vhost::Scope;

pub struct DomainsReport;

/// Go's `strings.Join(strings.Fields(s), " ")`.
fn normalize_whitespace(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Go's check: some line of the file, split on `\n` and not trimmed, is a valid hostname.
fn global_enabled() -> bool {
    Scope::Global.content().split('\n').any(hostname::is_valid)
}

fn global_enabled_flag(_: &str) -> String {
    global_enabled().to_string()
}

fn global_vhosts(_: &str) -> String {
    if global_enabled() {
        normalize_whitespace(&Scope::Global.content())
    } else {
        String::new()
    }
}

fn app_enabled(app: &str) -> String {
    domains::app_vhost_enabled(app).to_string()
}

fn app_vhosts(app: &str) -> String {
    Scope::app(app)
        .map(|s| normalize_whitespace(&s.content()))
        .unwrap_or_default()
}

impl Reporter for DomainsReport {
    fn report_type(&self) -> &str {
        "domains"
    }

    fn flags(&self, app: &str) -> Result<Vec<Flag<'_>>> {
        let mut flags = vec![
            Flag::new("--domains-global-enabled", global_enabled_flag),
            Flag::new("--domains-global-vhosts", global_vhosts),
        ];
        if app != GLOBAL {
            flags.push(Flag::new("--domains-app-enabled", app_enabled));
            flags.push(Flag::new("--domains-app-vhosts", app_vhosts));
        }
        Ok(flags)
    }
}

/// The `report` trigger: the stdout report for one app.
pub fn trigger(args: &[String]) -> Result<()> {
    let app = dokku_common::args::nth(args, 0);
    dokku_common::report::report_one(&DomainsReport, app, "", None)
}

#[cfg(test)]
mod tests {
    use super::normalize_whitespace;

    #[test]
    fn whitespace() {
        assert_eq!(normalize_whitespace("a\nb\n\n c\t\n"), "a b c");
        assert_eq!(normalize_whitespace("\n"), "");
        assert_eq!(normalize_whitespace("a\u{a0}b"), "a b");
    }
}
