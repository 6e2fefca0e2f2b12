//! Interactive confirmation for destructive actions (dokku-core §1.9).

use std::io::BufRead;

use crate::error::{Error, Result};

/// Ask the user to type `name` before destroying `<object_type> <name>`. Skipped when
/// `--force` was given (`DOKKU_APPS_FORCE_DELETE`). A mismatch fails with upstream's text.
pub fn destructive(name: &str, object_type: &str) -> Result<()> {
    if crate::env::force() {
        return Ok(());
    }
    let stdin = std::io::stdin();
    destructive_with(name, object_type, &mut stdin.lock())
}

/// [`destructive`] reading the answer from `input`.
pub fn destructive_with(name: &str, object_type: &str, input: &mut dyn BufRead) -> Result<()> {
    crate::log::warn("WARNING: Potentially Destructive Action");
    crate::log::warn(&format!("This command will destroy {object_type} {name}."));
    crate::log::warn(&format!("To proceed, type \"{name}\""));
    crate::log::write_stdout("> ");
    let mut line = String::new();
    input.read_line(&mut line)?;
    // Go's Scanln reads one whitespace-delimited word.
    let answer = line.split_whitespace().next().unwrap_or("");
    if answer != name {
        return Err(Error::new("Confirmation did not match test. Aborted.").raw());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_and_mismatches() {
        assert!(destructive_with("web", "app", &mut "web\n".as_bytes()).is_ok());
        let e = destructive_with("web", "app", &mut "nope\n".as_bytes()).unwrap_err();
        assert_eq!(
            e.rendered(false),
            "Confirmation did not match test. Aborted.\n"
        );
        assert_eq!(e.code(), 1);
        assert!(destructive_with("web", "app", &mut "".as_bytes()).is_err());
    }
}
