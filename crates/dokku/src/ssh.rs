//! The ssh forced command: `SSH_ORIGINAL_COMMAND` split into arguments in-process, never
//! handed to a shell.

use std::env;

/// Take `SSH_ORIGINAL_COMMAND` out of the environment (upstream un-exports it) if set.
pub fn take_original_command() -> Option<String> {
    let command = env::var("SSH_ORIGINAL_COMMAND")
        .ok()
        .filter(|c| !c.is_empty())?;
    env::remove_var("SSH_ORIGINAL_COMMAND");
    Some(command)
}

/// Split the command as upstream does: git transport verbs (any first word containing
/// `git`) by plain whitespace, keeping quote characters, everything else quote-aware like
/// `xargs -n 1`.
pub fn split(first: &str, command: &str) -> Result<Vec<String>, String> {
    if first.contains("git") {
        Ok(command
            .split([' ', '\t', '\n'])
            .filter(|w| !w.is_empty())
            .map(String::from)
            .collect())
    } else {
        split_xargs(command)
    }
}

/// Quote-aware splitting; upstream runs whatever words xargs produced before an unmatched
/// quote, we refuse the command.
pub fn split_xargs(input: &str) -> Result<Vec<String>, String> {
    dokku_common::words::split_xargs(input)
        .map_err(|u| format!("unmatched {} quote in the ssh command; nothing was run", u.kind()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quote_aware() {
        assert_eq!(
            split_xargs(r#"config:set app "A=b c" 'D=$(id)'"#).unwrap(),
            vec!["config:set", "app", "A=b c", "D=$(id)"]
        );
        assert_eq!(split_xargs(r"a\ b c").unwrap(), vec!["a b", "c"]);
        assert_eq!(split_xargs(r#"x "" y"#).unwrap(), vec!["x", "", "y"]);
        assert!(split_xargs("a 'b").is_err());
    }

    #[test]
    fn git_verbs_keep_quotes() {
        assert_eq!(
            split("git-receive-pack", "git-receive-pack 'app'").unwrap(),
            vec!["git-receive-pack", "'app'"]
        );
    }
}
