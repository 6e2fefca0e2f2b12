//! Help texts, in the shape upstream's bash `help-functions` print them (laid out by
//! `dokku_common::bash_help`).

use dokku_common::bash_help;
use dokku_common::log::write_stdout;
use dokku_common::Result;

pub const DESCRIPTION: &str = "Manage public ssh keys used for deployment";

/// `fn-help-content`, in upstream's order (`help --all` prints it unsorted).
const LINES: &[&str] = &[
    "    ssh-keys:list [--format text|json] [<name>], List of all authorized dokku public ssh keys",
    "    ssh-keys:add <name> [/path/to/key], Add a new public key by pipe or path",
    "    ssh-keys:remove [--fingerprint fingerprint|<name>], Remove SSH public key by name",
];

/// `(usage, description)` pairs for the framework's spec.
pub const HELP: &[(&str, &str)] = &[
    (
        "ssh-keys:list [--format text|json] [<name>]",
        "List of all authorized dokku public ssh keys",
    ),
    (
        "ssh-keys:add <name> [/path/to/key]",
        "Add a new public key by pipe or path",
    ),
    (
        "ssh-keys:remove [--fingerprint fingerprint|<name>]",
        "Remove SSH public key by name",
    ),
];

/// `dokku ssh-keys:help` and bare `dokku ssh-keys`.
pub fn usage() -> String {
    bash_help::usage("ssh-keys", DESCRIPTION, LINES)
}

/// The `subcommands/default` handler.
pub fn default(_args: &[String]) -> Result<()> {
    write_stdout(&usage());
    Ok(())
}

/// The `commands` entry: only `help` and `ssh-keys:help`, like upstream's.
pub fn commands(args: &[String]) -> Result<()> {
    match args.first().map(String::as_str) {
        Some("ssh-keys:help") => {
            write_stdout(&usage());
            Ok(())
        }
        Some("help") => {
            let all = dokku_common::plugin::parent_cmdline_has_all();
            write_stdout(&bash_help::summary("ssh-keys", DESCRIPTION, LINES, all));
            Ok(())
        }
        _ => Err(bash_help::not_implemented()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usage_matches_column_output() {
        // Reference: upstream's help lines through util-linux 2.38.1 `sort | column -c2 -t -s,`.
        assert_eq!(
            usage(),
            "Usage: dokku ssh-keys[:COMMAND]\n\n\
             Manage public ssh keys used for deployment\n\n\
             Additional commands:\n\
             \x20   ssh-keys:add <name> [/path/to/key]                   Add a new public key by pipe or path\n\
             \x20   ssh-keys:list [--format text|json] [<name>]          List of all authorized dokku public ssh keys\n\
             \x20   ssh-keys:remove [--fingerprint fingerprint|<name>]   Remove SSH public key by name\n"
        );
    }

    #[test]
    fn help_pairs_match_lines() {
        for ((usage, desc), line) in HELP.iter().zip(LINES) {
            assert_eq!(format!("    {usage}, {desc}"), *line);
        }
    }
}
