//! Interactive confirmation for destructive actions (dokku-core §1.9), as Go's
//! `AskForDestructiveConfirmation` does it.

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
///
/// The answer is read like Go's `fmt.Scanln` into one string, whose failures upstream
/// reports as ` !     <error>`: no input at all is `EOF`, an empty line `unexpected newline`,
/// a second word `expected newline`. A wrong word prints the bare abort message.
pub fn destructive_with(name: &str, object_type: &str, input: &mut dyn BufRead) -> Result<()> {
    crate::log::warn("WARNING: Potentially Destructive Action");
    crate::log::warn(&format!("This command will destroy {object_type} {name}."));
    crate::log::warn(&format!("To proceed, type \"{name}\""));
    crate::log::write_stdout("> ");
    let mut line = Vec::new();
    input.read_until(b'\n', &mut line)?;
    let answer = scan_word(&String::from_utf8_lossy(&line)).map_err(Error::new)?;
    if answer != name {
        return Err(Error::new("Confirmation did not match test. Aborted.").raw());
    }
    Ok(())
}

/// `fmt.Scanln(&word)` over one line (terminator included when present).
fn scan_word(line: &str) -> std::result::Result<String, &'static str> {
    let is_space = |c: char| c != '\n' && c.is_whitespace();
    let rest = line.trim_start_matches(is_space);
    if rest.is_empty() {
        return Err("EOF");
    }
    if rest.starts_with('\n') {
        return Err("unexpected newline");
    }
    let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
    let (word, tail) = rest.split_at(end);
    let tail = tail.trim_start_matches(is_space);
    if !(tail.is_empty() || tail.starts_with('\n')) {
        return Err("expected newline");
    }
    Ok(word.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_and_mismatches() {
        assert!(destructive_with("web", "app", &mut "web\n".as_bytes()).is_ok());
        assert!(destructive_with("web", "app", &mut "  web \r\n".as_bytes()).is_ok());
        assert!(destructive_with("web", "app", &mut "web".as_bytes()).is_ok());
        let e = destructive_with("web", "app", &mut "nope\n".as_bytes()).unwrap_err();
        assert_eq!(
            e.rendered(false),
            "Confirmation did not match test. Aborted.\n"
        );
        assert_eq!(e.code(), 1);
    }

    #[test]
    fn scanln_errors() {
        for (input, msg) in [
            ("", "EOF"),
            ("   ", "EOF"),
            ("\n", "unexpected newline"),
            ("  \n", "unexpected newline"),
            ("web x\n", "expected newline"),
        ] {
            let e = destructive_with("web", "app", &mut input.as_bytes()).unwrap_err();
            assert_eq!(e.rendered(false), format!(" !     {msg}\n"), "{input:?}");
            assert_eq!(e.code(), 1);
        }
    }
}
