//! `$DOKKU_ROOT/.ssh/authorized_keys`: where it lives, how it is written, the line format
//! sshcommand uses, reading that format back, and the whole-file checks upstream runs.

use std::fs;
use std::io;
use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
use std::path::{Path, PathBuf};

use dokku_common::lock::FileLock;
use dokku_common::log::fail;
use dokku_common::{Error, Paths, Result};

use crate::keygen;

pub const FILE_MODE: u32 = 0o600;
pub const DIR_MODE: u32 = 0o700;

/// The key file and its directory.
pub struct KeyFile {
    pub dokku_root: PathBuf,
    pub dir: PathBuf,
    pub path: PathBuf,
}

impl KeyFile {
    pub fn from_env() -> KeyFile {
        KeyFile::at(&Paths::from_env().dokku_root)
    }

    pub fn at(dokku_root: &Path) -> KeyFile {
        let dir = dokku_root.join(".ssh");
        KeyFile {
            dokku_root: dokku_root.to_path_buf(),
            path: dir.join("authorized_keys"),
            dir,
        }
    }

    pub fn display(&self) -> String {
        self.path.display().to_string()
    }

    /// The file's bytes, `None` when it does not exist.
    pub fn read(&self) -> Result<Option<Vec<u8>>> {
        dokku_common::fs::read_optional(&self.path)
            .map_err(|e| Error::new(format!("Unable to read {}: {e}", self.display())))
    }

    /// `.ssh` (0700) and an empty key file, created when missing; both handed to the
    /// system user when we are root.
    pub fn ensure(&self) -> Result<()> {
        let dir_err =
            |e: io::Error| Error::new(format!("Unable to create {}: {e}", self.dir.display()));
        match fs::symlink_metadata(&self.dir) {
            Ok(_) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                fs::DirBuilder::new()
                    .mode(DIR_MODE)
                    .create(&self.dir)
                    .map_err(dir_err)?;
            }
            Err(e) => return Err(dir_err(e)),
        }
        let meta = fs::metadata(&self.dir).map_err(dir_err)?;
        if !meta.is_dir() {
            return Err(Error::new(format!(
                "{} is not a directory",
                self.dir.display()
            )));
        }
        if meta.permissions().mode() & 0o7777 != DIR_MODE {
            fs::set_permissions(&self.dir, fs::Permissions::from_mode(DIR_MODE))
                .map_err(dir_err)?;
        }
        dokku_common::fs::chown_to_system_user(&self.dir).map_err(dir_err)?;
        if !dokku_common::fs::exists_no_follow(&self.path) {
            self.write(b"")?;
        }
        Ok(())
    }

    /// Serialise writers: every change is read-modify-write of the whole file.
    pub fn lock(&self) -> Result<FileLock> {
        FileLock::directory(&self.dir)
            .map_err(|e| Error::new(format!("Unable to lock {}: {e}", self.dir.display())))
    }

    /// Replace the file atomically (mode 0600). A symlinked key file is written through.
    pub fn write(&self, data: &[u8]) -> Result<()> {
        let is_link = fs::symlink_metadata(&self.path).is_ok_and(|m| m.file_type().is_symlink());
        let dest = if is_link {
            fs::canonicalize(&self.path).unwrap_or_else(|_| self.path.clone())
        } else {
            self.path.clone()
        };
        dokku_common::fs::write_atomic(&dest, data, FILE_MODE)
            .map_err(|e| Error::new(format!("Unable to write {}: {e}", self.display())))
    }

    /// The `.sshcommand` path as it appears, unquoted, in the forced command: it must not
    /// contain anything a shell would interpret.
    pub fn sshcommand_path(&self) -> Result<String> {
        let path = self.dokku_root.join(".sshcommand").display().to_string();
        let safe = path
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"/._-+@%:,=".contains(&b));
        if safe {
            Ok(path)
        } else {
            Err(Error::new(format!(
                "DOKKU_ROOT {} cannot be used in an ssh forced command: it may only contain letters, digits and /._-+@%:,=",
                self.dokku_root.display()
            )))
        }
    }

    /// upstream's `verify_ssh_key_file`: the file exists, is not empty, and every line
    /// passes `ssh-keygen -l`.
    pub fn verify(&self) -> Result<()> {
        match self.read()? {
            Some(data) if !data.is_empty() => self.verify_content(&data),
            _ => Err(fail("No public keys found.")),
        }
    }

    /// The line checks of `verify`, on content already read.
    pub fn verify_content(&self, data: &[u8]) -> Result<()> {
        match bad_lines(data, false, true)?.first() {
            Some(n) => Err(fail(format!(
                "{} line {n} failed ssh-keygen check.",
                self.display()
            ))),
            None => Ok(()),
        }
    }
}

/// The lines bash's `while read -r line` sees: only newline-terminated ones, with blanks
/// trimmed at both ends, numbered from 1.
pub fn read_lines(data: &[u8]) -> Vec<(usize, &[u8])> {
    let Some(end) = data.iter().rposition(|&b| b == b'\n') else {
        return Vec::new();
    };
    data[..end]
        .split(|&b| b == b'\n')
        .enumerate()
        .map(|(i, line)| (i + 1, trim_blanks(line)))
        .collect()
}

fn trim_blanks(mut s: &[u8]) -> &[u8] {
    while let [b' ' | b'\t', rest @ ..] = s {
        s = rest;
    }
    while let [rest @ .., b' ' | b'\t'] = s {
        s = rest;
    }
    s
}

/// Numbers of the lines `ssh-keygen -l` rejects. Blank lines are skipped, and `#` comments
/// too when `skip_comments` (sshcommand's `list` does, dokku's own check does not).
pub fn bad_lines(data: &[u8], skip_comments: bool, first_only: bool) -> Result<Vec<usize>> {
    let mut bad = Vec::new();
    for (n, line) in read_lines(data) {
        if line.is_empty() || (skip_comments && line.starts_with(b"#")) {
            continue;
        }
        let mut content = line.to_vec();
        content.push(b'\n');
        if !keygen::is_valid(&content)? {
            bad.push(n);
            if first_only {
                break;
            }
        }
    }
    Ok(bad)
}

/// Names may not break the forced command they are written into (they sit inside double
/// quotes there) nor the line format.
pub fn check_name(name: &str) -> Result<()> {
    let bad = name
        .chars()
        .any(|c| c.is_control() || matches!(c, '"' | '\'' | '\\' | '`' | '$' | '/'));
    if bad {
        Err(fail(
            "Invalid ssh key name: it may not contain quotes, backslashes, backticks, '$', '/' or control characters",
        ))
    } else {
        Ok(())
    }
}

/// The authorized_keys line sshcommand writes, newline included.
pub fn build_line(
    fingerprint: &str,
    name: &str,
    sshcommand: &str,
    allowed: &str,
    key: &[u8],
) -> Vec<u8> {
    let mut line = format!(
        "command=\"FINGERPRINT={fingerprint} NAME=\\\"{name}\\\" `cat {sshcommand}` $SSH_ORIGINAL_COMMAND\",{allowed} "
    )
    .into_bytes();
    line.extend_from_slice(key);
    line.push(b'\n');
    line
}

/// `NAME=\"<name>\"`, the duplicate-name probe.
pub fn name_marker(name: &str) -> Vec<u8> {
    format!("NAME=\\\"{name}\\\"").into_bytes()
}

pub fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    needle.is_empty() || haystack.windows(needle.len()).any(|w| w == needle)
}

/// `data` without the lines containing `needle`; every other byte is kept.
pub fn without_lines_containing(data: &[u8], needle: &[u8]) -> Vec<u8> {
    data.split_inclusive(|&b| b == b'\n')
        .filter(|line| !contains(line, needle))
        .flatten()
        .copied()
        .collect()
}

/// A key line written by sshcommand, read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub fingerprint: String,
    pub name: String,
    pub allowed_keys: String,
    /// What follows the options and one space; `None` when no space follows them.
    pub public_key: Option<String>,
}

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\x0b' | '\x0c' | '\r')
}

/// Parse a line the way sshcommand's `list` regex does:
/// `^command="FINGERPRINT=(\S+) NAME=(\\"|)(.*)\2 ` + "`" + `.*",(\S+) (.*)`.
/// `None` for any other line (plain keys, comments, garbage).
pub fn parse_line(line: &str) -> Option<Entry> {
    let rest = line.strip_prefix("command=\"FINGERPRINT=")?;
    let fp_len = rest.find(is_space).unwrap_or(rest.len());
    if fp_len == 0 {
        return None;
    }
    let (fingerprint, rest) = rest.split_at(fp_len);
    let rest = rest.strip_prefix(" NAME=")?;
    // Escaped quotes around the name first, then the bare form older versions wrote.
    for quote in ["\\\"", ""] {
        let Some(body) = rest.strip_prefix(quote) else {
            continue;
        };
        let end = format!("{quote} `");
        for (pos, _) in body.match_indices(&end) {
            if let Some((allowed_keys, public_key)) = parse_tail(&body[pos + end.len()..]) {
                return Some(Entry {
                    fingerprint: fingerprint.to_string(),
                    name: body[..pos].to_string(),
                    allowed_keys,
                    public_key,
                });
            }
        }
    }
    None
}

/// `.*",(\S+)` then optionally ` (.*)`.
fn parse_tail(tail: &str) -> Option<(String, Option<String>)> {
    for (pos, _) in tail.match_indices("\",") {
        let after = &tail[pos + 2..];
        let len = after.find(is_space).unwrap_or(after.len());
        if len == 0 {
            continue;
        }
        let key = after[len..].strip_prefix(' ').map(str::to_string);
        return Some((after[..len].to_string(), key));
    }
    None
}

/// Every parsable line of the file, the last unterminated one included (as sed reads it).
pub fn entries(data: &[u8]) -> Vec<Entry> {
    String::from_utf8_lossy(data)
        .split('\n')
        .filter_map(parse_line)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const FP: &str = "SHA256:MRjhRi9T1YHxok1bnAHHl8B4NCdCJdEKQmtrtUj2whA";
    const KEY: &str =
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEl6ZKktjVZCDr28l3XUw00yDuB02YjaHlzmuk3mml0y me@host";

    fn line(name: &str) -> String {
        String::from_utf8(build_line(
            FP,
            name,
            "/home/dokku/.sshcommand",
            crate::settings::DEFAULT_ALLOWED_KEYS,
            KEY.as_bytes(),
        ))
        .unwrap()
    }

    #[test]
    fn line_format_is_sshcommands() {
        assert_eq!(
            line("admin"),
            format!("command=\"FINGERPRINT={FP} NAME=\\\"admin\\\" `cat /home/dokku/.sshcommand` $SSH_ORIGINAL_COMMAND\",no-agent-forwarding,no-user-rc,no-X11-forwarding,no-port-forwarding {KEY}\n")
        );
    }

    #[test]
    fn parse_round_trip() {
        let entry = parse_line(line("my key").trim_end_matches('\n')).unwrap();
        assert_eq!(
            entry,
            Entry {
                fingerprint: FP.into(),
                name: "my key".into(),
                allowed_keys: crate::settings::DEFAULT_ALLOWED_KEYS.into(),
                public_key: Some(KEY.into()),
            }
        );
        // The unquoted form of old sshcommand versions.
        let old = format!(
            "command=\"FINGERPRINT={FP} NAME=bob `cat /x` $SSH_ORIGINAL_COMMAND\",no-pty {KEY}"
        );
        let entry = parse_line(&old).unwrap();
        assert_eq!(
            (entry.name.as_str(), entry.allowed_keys.as_str()),
            ("bob", "no-pty")
        );
        // Options with nothing after them still list in text mode.
        let bare = format!(
            "command=\"FINGERPRINT={FP} NAME=\\\"x\\\" `cat /x` $SSH_ORIGINAL_COMMAND\",no-pty"
        );
        assert_eq!(parse_line(&bare).unwrap().public_key, None);
        assert_eq!(parse_line(KEY), None);
        assert_eq!(parse_line("# comment"), None);
        assert_eq!(
            parse_line("command=\"FINGERPRINT= NAME=\\\"x\\\" `cat` \",a b"),
            None
        );
    }

    #[test]
    fn lines_as_bash_reads_them() {
        let lines = read_lines(b"  a \n\n\tb\nunterminated");
        assert_eq!(lines, vec![(1, &b"a"[..]), (2, &b""[..]), (3, &b"b"[..])]);
        assert!(read_lines(b"no newline").is_empty());
        assert!(read_lines(b"").is_empty());
        assert_eq!(read_lines(b"\n"), vec![(1, &b""[..])]);
    }

    #[test]
    fn names() {
        for ok in ["admin", "my key", "user@host", "a.b-c_d+e", "ünïcode", "-x"] {
            assert!(check_name(ok).is_ok(), "{ok}");
        }
        for bad in [
            "a\"b", "a'b", "a\\b", "a`b", "$(id)", "a/b", "a\nb", "a\rb", "a\0b",
        ] {
            assert!(check_name(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn line_removal_keeps_other_bytes() {
        let data = b"one NAME=\\\"a\\\" x\r\ntwo\nthree NAME=\\\"a\\\" ";
        assert_eq!(
            without_lines_containing(data, b" NAME=\\\"a\\\" "),
            b"two\n"
        );
        assert_eq!(without_lines_containing(b"x\ny", b"z"), b"x\ny");
        assert!(contains(data, b"two"));
        assert!(!contains(data, b"four"));
    }
}
