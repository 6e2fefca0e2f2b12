//! Help texts of the plugins that are bash scripts upstream (their `help-functions`).
//!
//! Those pipe their `    <usage>, <description>` lines through `sort | column -c2 -t -s,`,
//! which keeps the spaces around each comma, so the layout differs from the Go columnizer
//! behind [`crate::plugin::PluginSpec::usage`] (one more space, no trailing prefix line).

use crate::error::{Error, Result};
use crate::log;
use crate::plugin::{self, Entry, PluginSpec};

/// `column -t -s,` of the lines ([`crate::text::column_table`]), every line ending with a
/// newline.
pub fn column_table<S: AsRef<str>>(lines: &[S]) -> String {
    crate::text::column_table(lines, ',').iter().map(|l| format!("{l}\n")).collect()
}

/// `sort | column -c2 -t -s,`, sorting bytewise (the C / C.UTF-8 locale).
pub fn sorted_table<S: AsRef<str>>(lines: &[S]) -> String {
    let mut sorted: Vec<&str> = lines.iter().map(AsRef::as_ref).collect();
    sorted.sort_by(|a, b| a.as_bytes().cmp(b.as_bytes()));
    column_table(&sorted)
}

/// `dokku <name>:help`: the usage header, then the sorted, columnized help lines.
pub fn usage(name: &str, description: &str, lines: &[&str]) -> String {
    format!(
        "Usage: dokku {name}[:COMMAND]\n\n{description}\n\nAdditional commands:\n{}",
        sorted_table(lines)
    )
}

/// `commands help`: `    <name>, <description>`, or the raw help lines when the parent's
/// command line holds `--all` (`dokku help --all`).
pub fn summary(name: &str, description: &str, lines: &[&str], all: bool) -> String {
    if all {
        lines.iter().map(|l| format!("{l}\n")).collect()
    } else {
        format!("    {name}, {description}\n")
    }
}

/// `exit "$DOKKU_NOT_IMPLEMENTED_EXIT"`: a `commands` word that is not this plugin's.
pub fn not_implemented() -> Error {
    Error::silent(
        crate::env::not_implemented_exit().unwrap_or(crate::env::DEFAULT_NOT_IMPLEMENTED_EXIT),
    )
}

/// How a plugin that is a bash script upstream answers its `commands` entry: `<name>:help`
/// prints the usage, `help` the summary (every line under `dokku help --all`), anything else
/// is not its word. Other entries dispatch through `spec`.
pub fn run(spec: &PluginSpec, lines: &[&str], argv: &[String]) -> Result<()> {
    let argv0 = argv.first().map(String::as_str).unwrap_or("");
    if plugin::classify(argv0) != Entry::Commands {
        return spec.dispatch(argv);
    }
    let word = argv.get(1).map(String::as_str).unwrap_or("");
    if word == format!("{}:help", spec.name) {
        log::write_stdout(&usage(spec.name, spec.description, lines));
    } else if word == "help" {
        log::write_stdout(&summary(spec.name, spec.description, lines, plugin::parent_cmdline_has_all()));
    } else {
        return Err(not_implemented());
    }
    Ok(())
}

/// The entry point of such a plugin's binary.
pub fn main(spec: &PluginSpec, lines: &[&str]) -> ! {
    plugin::init_process();
    plugin::exit(run(spec, lines, &plugin::argv()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const LINES: &[&str] = &[
        "    trace:on, Enable trace mode",
        "    trace:off, Disable trace mode",
    ];

    #[test]
    fn table_keeps_cell_spaces() {
        // Reference output of util-linux 2.38.1 `column -c2 -t -s,`.
        assert_eq!(
            column_table(&["    a, x", "", "    bbb, y,z"]),
            "    a     x  \n    bbb   y  z\n"
        );
        assert_eq!(column_table::<&str>(&[]), "");
    }

    #[test]
    fn usage_and_summary() {
        assert_eq!(
            usage("trace", "Manage trace mode", LINES),
            "Usage: dokku trace[:COMMAND]\n\nManage trace mode\n\nAdditional commands:\n\
             \x20   trace:off   Disable trace mode\n    trace:on    Enable trace mode\n"
        );
        assert_eq!(
            summary("trace", "Manage trace mode", LINES, false),
            "    trace, Manage trace mode\n"
        );
        assert_eq!(
            summary("trace", "Manage trace mode", LINES, true),
            "    trace:on, Enable trace mode\n    trace:off, Disable trace mode\n"
        );
    }
}
