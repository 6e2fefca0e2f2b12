//! sshcommand's knobs. Upstream reads them from the environment after sourcing
//! `/etc/defaults/sshcommand`, so a value in that file wins over the environment.

use std::collections::HashMap;

pub const DEFAULTS_FILE: &str = "/etc/defaults/sshcommand";

pub const DEFAULT_ALLOWED_KEYS: &str =
    "no-agent-forwarding,no-user-rc,no-X11-forwarding,no-port-forwarding";

const NAMES: [&str; 4] = [
    "SSHCOMMAND_ALLOWED_KEYS",
    "SSHCOMMAND_CHECK_DUPLICATE_FINGERPRINT",
    "SSHCOMMAND_CHECK_DUPLICATE_NAME",
    "SSHCOMMAND_IGNORE_LIST_WARNINGS",
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// The options written after the forced command.
    pub allowed_keys: String,
    pub check_duplicate_fingerprint: bool,
    pub check_duplicate_name: bool,
    /// `list` warns but keeps going on a bad, empty or missing file.
    pub ignore_list_warnings: bool,
}

impl Settings {
    pub fn load() -> Settings {
        let file = std::fs::read_to_string(DEFAULTS_FILE).unwrap_or_default();
        Settings::resolve(|name| std::env::var(name).ok(), &file)
    }

    /// `lookup` reads the environment; `defaults` is the text of the defaults file.
    pub fn resolve(lookup: impl Fn(&str) -> Option<String>, defaults: &str) -> Settings {
        let from_file = parse_defaults(defaults);
        let get = |name: &str| {
            from_file
                .get(name)
                .cloned()
                .or_else(|| lookup(name))
                .filter(|v| !v.is_empty())
        };
        Settings {
            allowed_keys: get("SSHCOMMAND_ALLOWED_KEYS")
                .unwrap_or_else(|| DEFAULT_ALLOWED_KEYS.to_string()),
            check_duplicate_fingerprint: defaults_to_true(get(
                "SSHCOMMAND_CHECK_DUPLICATE_FINGERPRINT",
            )),
            check_duplicate_name: defaults_to_true(get("SSHCOMMAND_CHECK_DUPLICATE_NAME")),
            // `${VAR:-false}`, then compared with "false".
            ignore_list_warnings: get("SSHCOMMAND_IGNORE_LIST_WARNINGS")
                .is_some_and(|v| v != "false"),
        }
    }
}

/// `${VAR:="true"}`, then compared with "true": any other value disables the check.
fn defaults_to_true(value: Option<String>) -> bool {
    match value {
        None => true,
        Some(v) => v == "true",
    }
}

/// The simple `[export ]NAME=value` assignments of our variables in a bash defaults file.
/// Quoted values are taken up to the closing quote; bare ones up to the first blank.
/// Anything fancier (expansions, escapes) is not interpreted.
fn parse_defaults(text: &str) -> HashMap<String, String> {
    let mut out = HashMap::new();
    for line in text.lines() {
        let line = line.trim_start();
        let line = line
            .strip_prefix("export ")
            .map(str::trim_start)
            .unwrap_or(line);
        let Some((name, raw)) = line.split_once('=') else {
            continue;
        };
        if !NAMES.contains(&name) {
            continue;
        }
        let value = match raw.chars().next() {
            Some(q @ ('"' | '\'')) => raw[1..].split(q).next().unwrap_or(""),
            _ => raw.split([' ', '\t']).next().unwrap_or(""),
        };
        out.insert(name.to_string(), value.to_string());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn defaults() {
        let s = Settings::resolve(env(&[]), "");
        assert_eq!(s.allowed_keys, DEFAULT_ALLOWED_KEYS);
        assert!(s.check_duplicate_fingerprint && s.check_duplicate_name);
        assert!(!s.ignore_list_warnings);
        // Empty values count as unset.
        let s = Settings::resolve(
            env(&[
                ("SSHCOMMAND_ALLOWED_KEYS", ""),
                ("SSHCOMMAND_CHECK_DUPLICATE_NAME", ""),
                ("SSHCOMMAND_IGNORE_LIST_WARNINGS", ""),
            ]),
            "",
        );
        assert_eq!(s, Settings::resolve(env(&[]), ""));
    }

    #[test]
    fn environment_values() {
        let s = Settings::resolve(
            env(&[
                ("SSHCOMMAND_ALLOWED_KEYS", "no-pty"),
                ("SSHCOMMAND_CHECK_DUPLICATE_NAME", "false"),
                ("SSHCOMMAND_CHECK_DUPLICATE_FINGERPRINT", "TRUE"),
                ("SSHCOMMAND_IGNORE_LIST_WARNINGS", "1"),
            ]),
            "",
        );
        assert_eq!(s.allowed_keys, "no-pty");
        assert!(!s.check_duplicate_name);
        assert!(
            !s.check_duplicate_fingerprint,
            "only the exact word true enables it"
        );
        assert!(s.ignore_list_warnings);
    }

    #[test]
    fn defaults_file_wins() {
        let file = "# sshcommand defaults\nexport SSHCOMMAND_ALLOWED_KEYS=\"no-pty,restrict\"\n\
                    SSHCOMMAND_CHECK_DUPLICATE_NAME=false # no dup check\n\
                    SSHCOMMAND_IGNORE_LIST_WARNINGS='true'\nOTHER=1\n";
        let s = Settings::resolve(
            env(&[
                ("SSHCOMMAND_ALLOWED_KEYS", "x"),
                ("SSHCOMMAND_CHECK_DUPLICATE_NAME", "true"),
            ]),
            file,
        );
        assert_eq!(s.allowed_keys, "no-pty,restrict");
        assert!(!s.check_duplicate_name);
        assert!(s.check_duplicate_fingerprint);
        assert!(s.ignore_list_warnings);
    }
}
