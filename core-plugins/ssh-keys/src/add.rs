//! `ssh-keys:add <name> [path]`: upstream's checks on the key, then what
//! `sshcommand acl-add` does, with the file rewritten atomically instead of appended to.

use std::fs;
use std::io::{self, BufRead};
use std::os::unix::fs::FileTypeExt;

use dokku_common::args::nth;
use dokku_common::log::{self, fail};
use dokku_common::{Error, Result};

use crate::keyfile::{self, KeyFile};
use crate::keygen;
use crate::settings::Settings;

pub fn run(args: &[String]) -> Result<()> {
    let name = nth(args, 0);
    let content = key_source(nth(args, 1))?;
    check_key_content(&content)?;
    if name.is_empty() {
        return Err(sshcommand_error(
            "Usage: sshcommand acl-add <USER> <NAME> <KEY_FILE> ",
        ));
    }
    keyfile::check_name(name)?;
    let file = KeyFile::from_env();
    let sshcommand = file.sshcommand_path()?;
    let settings = Settings::load();
    file.ensure()?;

    let (fingerprint, written) = {
        let _lock = file.lock()?;
        let current = file.read()?.unwrap_or_default();
        let fingerprint = fingerprint_for(&current, name, &content, &settings)?;
        let line = keyfile::build_line(
            &fingerprint,
            name,
            &sshcommand,
            &settings.allowed_keys,
            key_text(&content),
        );
        let mut data = current;
        if !data.is_empty() && !data.ends_with(b"\n") {
            // `>>` would glue the new line onto an unterminated last one.
            data.push(b'\n');
        }
        let line_number = data.iter().filter(|&&b| b == b'\n').count() + 1;
        // Never write a line sshd could not use; upstream would append it and then fail
        // this same check.
        if !keygen::is_valid(&line)? {
            return Err(fail(format!(
                "{} line {line_number} failed ssh-keygen check.",
                file.display()
            )));
        }
        data.extend_from_slice(&line);
        file.write(&data)?;
        (fingerprint, data)
    };
    log::log(&fingerprint);
    file.verify_content(&written)
}

/// The key comes from the path, else one line of a piped stdin.
fn key_source(key_file: &str) -> Result<Vec<u8>> {
    if !key_file.is_empty() {
        return match fs::read(key_file) {
            Ok(data) => Ok(data),
            // `[[ -s FILE ]]` is false for a missing file.
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(Vec::new()),
            Err(_) => Err(fail("Key specified in is not a valid ssh public key")),
        };
    }
    // `[[ -p /dev/stdin ]]`: only a pipe counts, not a redirected file or a terminal.
    let piped = fs::metadata("/dev/stdin").is_ok_and(|m| m.file_type().is_fifo());
    if !piped {
        return Err(fail("No key specified via file or pipe"));
    }
    read_piped_line(&mut io::stdin().lock())
}

/// `read -r line; echo "$line"`: the first line, blanks trimmed, newline-terminated.
/// Nothing at all on the pipe gives an empty key.
fn read_piped_line(input: &mut dyn BufRead) -> Result<Vec<u8>> {
    let mut line = Vec::new();
    input
        .read_until(b'\n', &mut line)
        .map_err(|e| Error::new(format!("Unable to read the key from stdin: {e}")))?;
    if line.is_empty() {
        return Ok(line);
    }
    if line.ends_with(b"\n") {
        line.pop();
    }
    let start = line
        .iter()
        .position(|b| !matches!(b, b' ' | b'\t'))
        .unwrap_or(line.len());
    let end = line
        .iter()
        .rposition(|b| !matches!(b, b' ' | b'\t'))
        .map_or(start, |i| i + 1);
    let mut key = line[start..end].to_vec();
    key.push(b'\n');
    Ok(key)
}

/// ssh-keys' own checks on the key file.
fn check_key_content(content: &[u8]) -> Result<()> {
    if content.is_empty() {
        return Err(fail("Empty key was specified"));
    }
    // `wc -l` counts newlines; a key without one is fine.
    if content.iter().filter(|&&b| b == b'\n').count() >= 2 {
        return Err(fail(
            "Too many keys provided, set one per invocation of dokku ssh-keys:add <NAME> <KEY_FILE>",
        ));
    }
    if !keygen::is_valid(content)? {
        return Err(fail("Key specified in is not a valid ssh public key"));
    }
    Ok(())
}

/// `$(cat FILE)`: the content without its trailing newlines.
fn key_text(content: &[u8]) -> &[u8] {
    let end = content
        .iter()
        .rposition(|&b| b != b'\n')
        .map_or(0, |i| i + 1);
    &content[..end]
}

/// sshcommand acl-add's checks against the current file; the new key's fingerprint.
fn fingerprint_for(
    current: &[u8],
    name: &str,
    content: &[u8],
    settings: &Settings,
) -> Result<String> {
    if settings.check_duplicate_name && keyfile::contains(current, &keyfile::name_marker(name)) {
        return Err(sshcommand_error("Duplicate ssh key name"));
    }
    let key = key_text(content);
    if key.contains(&b'\n') {
        return Err(sshcommand_error(
            "Too many keys provided, set one per invocation of sshcommand acl-add <USER> <NAME>",
        ));
    }
    let Some(fingerprint) = keygen::fingerprint(key)? else {
        return Err(sshcommand_error("Invalid ssh public key"));
    };
    if settings.check_duplicate_fingerprint && keyfile::contains(current, fingerprint.as_bytes()) {
        return Err(sshcommand_error("Duplicate ssh public key specified"));
    }
    if settings.allowed_keys.chars().any(char::is_control) {
        return Err(fail(
            "Invalid SSHCOMMAND_ALLOWED_KEYS: it may not contain control characters",
        ));
    }
    Ok(fingerprint)
}

/// A failure of what upstream delegates to sshcommand: its message as-is, then
/// ssh-keys' ` !     sshcommand returned an error: 1`.
fn sshcommand_error(msg: &str) -> Error {
    Error::with_code(
        format!("{msg}\n{}sshcommand returned an error: 1", log::WARN),
        dokku_common::env::fail_exit_code(),
    )
    .raw()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn piped_line_is_read_like_bash_read() {
        let read = |input: &[u8]| read_piped_line(&mut &input[..]).unwrap();
        assert_eq!(
            read(b"  ssh-ed25519 AAAA c \t\nsecond\n"),
            b"ssh-ed25519 AAAA c\n"
        );
        assert_eq!(read(b"no newline"), b"no newline\n");
        assert_eq!(read(b"\n"), b"\n");
        assert_eq!(read(b""), b"");
        assert_eq!(read(b"a\\b\n"), b"a\\b\n");
    }

    #[test]
    fn key_text_strips_trailing_newlines_only() {
        assert_eq!(key_text(b"k \n\n"), b"k ");
        assert_eq!(key_text(b"\nk"), b"\nk");
        assert_eq!(key_text(b"\n"), b"");
    }

    #[test]
    fn sshcommand_errors_render_two_lines() {
        assert_eq!(
            sshcommand_error("Duplicate ssh key name").rendered(false),
            "Duplicate ssh key name\n !     sshcommand returned an error: 1\n"
        );
    }
}
