//! `plugin:help`, bare `plugin` and `commands help`, laid out as upstream's bash help
//! functions do (`sort | column -c2 -t -s,`, which keeps each cell's own spaces).

use dokku_common::log;
use dokku_common::bash_help;
use dokku_common::Result;

pub const DESCRIPTION: &str = "Manage installed plugins";

/// Upstream's help lines, in upstream's order (already sorted).
pub const HELP: &[(&str, &str)] = &[
    ("plugin:disable <name>", "Disable an installed plugin (third-party only)"),
    ("plugin:enable <name>", "Enable a previously disabled plugin"),
    (
        "plugin:install [--core|--git-url] [--committish branch|commit|commit] [--name custom-plugin-name] [--skip-install-trigger]",
        "Optionally download git-url (and pin to the specified branch/commit/tag) & run install trigger for active plugins (or only core ones)",
    ),
    (
        "plugin:install-dependencies [--core]",
        "Run install-dependencies trigger for active plugins (or only core ones)",
    ),
    ("plugin:list [--format stdout|json]", "Print active plugins"),
    ("plugin:trigger <args...>", "Trigger an arbitrary plugin hook"),
    ("plugin:uninstall <name>", "Uninstall a plugin (third-party only)"),
    (
        "plugin:update [name [branch|commit|tag]]",
        "Optionally update named plugin from git (and pin to the specified branch/commit/tag) & run update trigger for active plugins",
    ),
];

/// The raw help content: `    <usage>, <description>` lines.
fn content_lines() -> Vec<String> {
    HELP.iter().map(|(u, d)| format!("    {u}, {d}")).collect()
}

/// `dokku plugin:help` and bare `dokku plugin`.
pub fn usage() -> String {
    let lines = content_lines();
    let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
    bash_help::usage("plugin", DESCRIPTION, &lines)
}

/// `commands help`: the one-line summary, or every line when `dokku help --all` asked.
pub fn summary(all: bool) -> String {
    let lines = content_lines();
    let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
    bash_help::summary("plugin", DESCRIPTION, &lines, all)
}

/// `subcommands/default`.
pub fn default(_args: &[String]) -> Result<()> {
    log::write_stdout(&usage());
    Ok(())
}

/// The help words of the `commands` entry; `None` leaves the word to the framework.
pub fn commands(args: &[String]) -> Option<Result<()>> {
    match args.first().map(String::as_str) {
        Some("plugin" | "plugin:help") => {
            log::write_stdout(&usage());
            Some(Ok(()))
        }
        Some("help") => {
            log::write_stdout(&summary(dokku_common::plugin::parent_cmdline_has_all()));
            Some(Ok(()))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usage_layout() {
        let text = usage();
        assert!(text.starts_with("Usage: dokku plugin[:COMMAND]\n\nManage installed plugins\n\nAdditional commands:\n    plugin:disable <name>  "));
        assert!(text.ends_with("   Optionally update named plugin from git (and pin to the specified branch/commit/tag) & run update trigger for active plugins\n"));
        assert_eq!(summary(false), "    plugin, Manage installed plugins\n");
        assert_eq!(summary(true).lines().count(), 8);
    }
}
