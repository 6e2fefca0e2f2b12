//! Procfile parsing with the rules upstream relies on (`procfile-util list`, non-strict):
//! one `name: command` per line, blank lines and `#`/`//` comment lines skipped, names of
//! `[A-Za-z0-9_-]` up to 63 characters, unique. A bad line stops the parse; the entries
//! before it are still listed, as `procfile-util list` prints them.

use std::path::{Path, PathBuf};

use dokku_common::{data, env};

/// One `name: command` line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub name: String,
    pub command: String,
}

/// What a parse produced: the entries (sorted by name when the parse succeeded, in file
/// order when it stopped early) and the reason it stopped, if it did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed {
    pub entries: Vec<Entry>,
    pub error: Option<String>,
}

/// Whether `name` could be a Procfile process name (the non-strict character set).
pub fn is_valid_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// Go's `\s`: ASCII whitespace only.
fn is_go_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\u{c}')
}

/// Split `name:<spaces>command` (the command must not be empty).
fn split_line(line: &str) -> Option<(&str, &str)> {
    let colon = line.find(':')?;
    let name = &line[..colon];
    if !is_valid_name(name) {
        return None;
    }
    // The line is trimmed, so a command made only of whitespace cannot occur.
    let command = line[colon + 1..].trim_start_matches(is_go_space);
    (!command.is_empty()).then_some((name, command))
}

/// Drop a trailing ` # comment` or ` // comment` (whitespace before the marker, at least
/// one character after it); the last such marker wins for `#`, as a greedy match does.
fn strip_comment(command: &str) -> &str {
    if let Some(cut) = marker_cut(command, "#") {
        return &command[..cut];
    }
    if let Some(cut) = marker_cut(command, "//") {
        return &command[..cut];
    }
    command
}

/// The start of the whitespace before the last `marker` that has text after it.
fn marker_cut(command: &str, marker: &str) -> Option<usize> {
    let bytes = command.as_bytes();
    let mut found = None;
    for (i, _) in command.match_indices(marker) {
        let after = i + marker.len();
        if i > 0 && is_go_space(bytes[i - 1] as char) && after < command.len() {
            found = Some(i - 1);
        }
    }
    found
}

/// Parse Procfile text.
pub fn parse(text: &str) -> Parsed {
    let mut entries: Vec<Entry> = Vec::new();
    let fail = |entries: Vec<Entry>, msg: String| Parsed {
        entries,
        error: Some(msg),
    };
    for (index, raw) in dokku_common::property::split_lines(text).iter().enumerate() {
        let number = index + 1;
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with("//") {
            continue;
        }
        let Some((name, command)) = split_line(line) else {
            return fail(entries, format!("invalid line in procfile, line {number}"));
        };
        if name.len() > 63 {
            return fail(
                entries,
                format!("process name over 63 characters, line {number}"),
            );
        }
        if entries.iter().any(|e| e.name == name) {
            return fail(
                entries,
                format!("process names must be unique, line {number}"),
            );
        }
        let command = strip_comment(command).trim();
        if command.starts_with('#') || command.starts_with("//") {
            return fail(
                entries,
                format!("comment specified in place of command, line {number}"),
            );
        }
        if command.is_empty() {
            return fail(entries, format!("no command specified, line {number}"));
        }
        entries.push(Entry {
            name: name.to_string(),
            command: command.to_string(),
        });
    }
    if entries.is_empty() {
        return fail(entries, "no entries found in Procfile".to_string());
    }
    entries.sort_by(|a, b| a.name.cmp(&b.name));
    Parsed {
        entries,
        error: None,
    }
}

/// `procfile-util list`: the process names, or its failure when there are none.
pub fn list(path: &Path) -> Result<Vec<String>, String> {
    let text = std::fs::read(path).map_err(|e| format!("open {}: {e}", path.display()))?;
    let parsed = parse(&String::from_utf8_lossy(&text));
    if parsed.entries.is_empty() {
        return Err("No processes defined".to_string());
    }
    Ok(parsed.entries.into_iter().map(|e| e.name).collect())
}

/// `data/ps/<app>/Procfile`, the live (last deployed) Procfile.
pub fn live_path(app: &str) -> Option<PathBuf> {
    data::app_dir("ps", app).ok().map(|d| d.join("Procfile"))
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_os_string();
    name.push(suffix);
    PathBuf::from(name)
}

fn is_regular(path: &Path) -> bool {
    std::fs::metadata(path)
        .map(|m| m.is_file())
        .unwrap_or(false)
}

/// Whether the app has a Procfile: a deploy in flight decides through its own
/// `Procfile.<pid>` (or `.missing` marker), otherwise the live file does.
pub fn exists(app: &str) -> bool {
    let Some(live) = live_path(app) else {
        return false;
    };
    let pid = env::var("DOKKU_PID").unwrap_or_default();
    if is_regular(&with_suffix(&live, &format!(".{pid}.missing"))) {
        return false;
    }
    is_regular(&with_suffix(&live, &format!(".{pid}"))) || is_regular(&live)
}

/// The Procfile to read: the in-flight deploy's when there is one, else the live file.
pub fn current_path(app: &str) -> Option<PathBuf> {
    let live = live_path(app)?;
    let pid = env::var("DOKKU_PID").unwrap_or_default();
    let in_flight = with_suffix(&live, &format!(".{pid}"));
    Some(if is_regular(&in_flight) {
        in_flight
    } else {
        live
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(p: &Parsed) -> Vec<&str> {
        p.entries.iter().map(|e| e.name.as_str()).collect()
    }

    #[test]
    fn entries_sorted_with_comments_and_blanks() {
        let p = parse(
            "# top\n\nworker: bin/w # run it\nweb:  bin/web --port $PORT\n// x\nold_style-1:cmd\n",
        );
        assert_eq!(p.error, None);
        assert_eq!(names(&p), ["old_style-1", "web", "worker"]);
        assert_eq!(p.entries[2].command, "bin/w");
        assert_eq!(p.entries[1].command, "bin/web --port $PORT");
        assert_eq!(p.entries[0].command, "cmd");
    }

    #[test]
    fn errors_keep_earlier_entries() {
        let p = parse("web: a\nworker: b\nnot a line\nclock: c\n");
        assert_eq!(p.error.as_deref(), Some("invalid line in procfile, line 3"));
        assert_eq!(names(&p), ["web", "worker"]);
        let p = parse("web: a\nweb: b\n");
        assert_eq!(
            p.error.as_deref(),
            Some("process names must be unique, line 2")
        );
        assert_eq!(names(&p), ["web"]);
        assert_eq!(
            parse("web:\n").error.as_deref(),
            Some("invalid line in procfile, line 1")
        );
        assert_eq!(
            parse("web: # nothing\n").error.as_deref(),
            Some("comment specified in place of command, line 1")
        );
        assert_eq!(
            parse("").error.as_deref(),
            Some("no entries found in Procfile")
        );
        let long = format!("{}: x\n", "a".repeat(64));
        assert_eq!(
            parse(&long).error.as_deref(),
            Some("process name over 63 characters, line 1")
        );
        assert_eq!(
            parse("web.x: a\n").error.as_deref(),
            Some("invalid line in procfile, line 1")
        );
    }

    #[test]
    fn comment_stripping() {
        assert_eq!(strip_comment("a # b # c"), "a # b");
        assert_eq!(strip_comment("a #"), "a #");
        assert_eq!(strip_comment("a#b"), "a#b");
        assert_eq!(strip_comment("curl http://x // y"), "curl http://x");
        assert_eq!(strip_comment("curl http://x"), "curl http://x");
    }

    #[test]
    fn name_charset() {
        assert!(is_valid_name("web"));
        assert!(is_valid_name("Worker_2-x"));
        for bad in ["", "a b", "../x", "a.b", "a=b", "é"] {
            assert!(!is_valid_name(bad), "{bad:?}");
        }
    }
}
