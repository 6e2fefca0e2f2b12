//! `ssh-keygen -l` as the judge of what is a public key and as the source of fingerprints,
//! exactly as sshcommand uses it. Key text reaches ssh-keygen on its stdin, never through a
//! shell or a command line.

use std::io::Write;
use std::process::{Command, Stdio};

use dokku_common::{Error, Result};

/// The prefix sshcommand puts before a key when fingerprinting it, so that a key line that
/// already carries options fails to parse.
const DUMMY_OPTIONS: &[u8] = b"command=\"dummy to fail when options already exist\" ";

/// Run `ssh-keygen -lf -` on `input`; its stdout when it succeeded.
fn fingerprint_output(input: &[u8]) -> Result<Option<String>> {
    let mut child = Command::new("ssh-keygen")
        .args(["-l", "-f", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| Error::new(format!("Unable to run ssh-keygen: {e}")))?;
    let Some(mut stdin) = child.stdin.take() else {
        return Err(Error::new("Unable to run ssh-keygen: no stdin"));
    };
    let data = input.to_vec();
    // A separate writer so a large input cannot deadlock against ssh-keygen's output.
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&data);
    });
    let output = child
        .wait_with_output()
        .map_err(|e| Error::new(format!("Unable to run ssh-keygen: {e}")))?;
    let _ = writer.join();
    if output.status.success() {
        Ok(Some(String::from_utf8_lossy(&output.stdout).into_owned()))
    } else {
        Ok(None)
    }
}

/// Whether ssh-keygen accepts `content` as a key file (`ssh-keygen -lf FILE` succeeds).
pub fn is_valid(content: &[u8]) -> Result<bool> {
    Ok(fingerprint_output(content)?.is_some())
}

/// The fingerprint sshcommand records: field 2 of `ssh-keygen -lf` on the key behind dummy
/// options, or `None` when ssh-keygen rejects it or prints something without a colon.
pub fn fingerprint(key: &[u8]) -> Result<Option<String>> {
    let mut input = DUMMY_OPTIONS.to_vec();
    input.extend_from_slice(key);
    input.push(b'\n');
    let Some(out) = fingerprint_output(&input)? else {
        return Ok(None);
    };
    let field = out
        .lines()
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .unwrap_or("");
    // The fingerprint ends up inside the forced command: accept only what ssh-keygen's
    // hash formats are made of.
    let safe = field
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"+/=:._-".contains(&b));
    Ok(Some(field.to_string()).filter(|f| safe && f.contains(':')))
}
