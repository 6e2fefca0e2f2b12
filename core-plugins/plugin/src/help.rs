//! `plugin:help`, bare `plugin` and `commands help`, laid out as upstream's bash help
//! functions do (through `dokku_common::bash_help`).

use dokku_common::bash_help;
use dokku_common::log;
use dokku_common::Result;

pub const DESCRIPTION: &str = "Manage installed plugins";

/// Upstream's help lines, in upstream's order (already sorted).
pub const LINES: &[&str] = &[
    "    plugin:disable <name>, Disable an installed plugin (third-party only)",
    "    plugin:enable <name>, Enable a previously disabled plugin",
    "    plugin:install [--core|--git-url] [--committish branch|commit|commit] [--name custom-plugin-name] [--skip-install-trigger], Optionally download git-url (and pin to the specified branch/commit/tag) & run install trigger for active plugins (or only core ones)",
    "    plugin:install-dependencies [--core], Run install-dependencies trigger for active plugins (or only core ones)",
    "    plugin:list [--format stdout|json], Print active plugins",
    "    plugin:trigger <args...>, Trigger an arbitrary plugin hook",
    "    plugin:uninstall <name>, Uninstall a plugin (third-party only)",
    "    plugin:update [name [branch|commit|tag]], Optionally update named plugin from git (and pin to the specified branch/commit/tag) & run update trigger for active plugins",
];

/// `dokku plugin:help` and bare `dokku plugin`.
pub fn usage() -> String {
    bash_help::usage("plugin", DESCRIPTION, LINES)
}

/// `subcommands/default`.
pub fn default(_args: &[String]) -> Result<()> {
    log::write_stdout(&usage());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usage_layout() {
        let text = usage();
        assert!(text.starts_with("Usage: dokku plugin[:COMMAND]\n\nManage installed plugins\n\nAdditional commands:\n    plugin:disable <name>  "));
        assert!(text.ends_with("   Optionally update named plugin from git (and pin to the specified branch/commit/tag) & run update trigger for active plugins\n"));
        assert_eq!(bash_help::summary("plugin", DESCRIPTION, LINES, false), "    plugin, Manage installed plugins\n");
        assert_eq!(bash_help::summary("plugin", DESCRIPTION, LINES, true).lines().count(), 8);
    }
}
