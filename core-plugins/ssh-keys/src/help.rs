//! Help texts, in the shape upstream's bash `help-functions` print them (laid out by
//! `dokku_common::bash_help`).

use dokku_common::bash_help;
use dokku_common::log::write_stdout;
use dokku_common::Result;

pub const DESCRIPTION: &str = "Manage public ssh keys used for deployment";

/// `fn-help-content`, in upstream's order (`help --all` prints it unsorted).
pub const LINES: &[&str] = &[
    "    ssh-keys:list [--format text|json] [<name>], List of all authorized dokku public ssh keys",
    "    ssh-keys:add <name> [/path/to/key], Add a new public key by pipe or path",
    "    ssh-keys:remove [--fingerprint fingerprint|<name>], Remove SSH public key by name",
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
}
