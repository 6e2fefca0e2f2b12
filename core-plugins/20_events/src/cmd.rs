//! `events`, `events:list`, `events:on`, `events:off` and the help words.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use dokku_common::{env, fs, log, Error, Paths, Result};

use crate::hooks;

pub const NAME: &str = "events";
pub const DESCRIPTION: &str = "Manage event logging";
pub const HELP: &[&str] = &[
    "    events [-t], Show the last events (-t follows)",
    "    events:list, List logged events",
    "    events:on, Enable events logger",
    "    events:off, Disable events logger",
];

/// What `events:on` writes into `.dokkurc`; the entry point sources it on every run.
const RC_CONTENT: &[u8] = b"export DOKKU_EVENTS=1\n";
const RC_MODE: u32 = 0o644;
/// How many lines bare `dokku events` shows.
const TAIL_LINES: usize = 100;

pub fn rc_file() -> PathBuf {
    Paths::from_env().dokku_root.join(".dokkurc/DOKKU_EVENTS")
}

/// `dokku events [-t]`: the end of the events log, or follow it with `-t`. Without a log
/// there is nothing to show.
pub fn default(args: &[String]) -> Result<()> {
    let logfile = Paths::from_env().events_logfile;
    if !logfile.is_file() {
        return Ok(());
    }
    if args.first().map(String::as_str) == Some("-t") {
        // Following by name across rotations is tail's job; hand it the process.
        let err = Command::new("tail").arg("-F").arg(&logfile).exec();
        return Err(Error::new(format!("tail: {err}")));
    }
    let text = last_lines(&logfile, TAIL_LINES)?;
    // The log may hold bytes that are not UTF-8; pass them through as tail does.
    let mut out = io::stdout().lock();
    let _ = out.write_all(&text).and_then(|()| out.flush());
    Ok(())
}

/// The last `n` lines of a file (`tail -n`), reading backwards from the end so a large log
/// is not read whole. An unterminated last line counts as a line.
pub fn last_lines(path: &Path, n: usize) -> io::Result<Vec<u8>> {
    const CHUNK: u64 = 64 * 1024;
    let mut file = File::open(path)?;
    let mut pos = file.metadata()?.len();
    let mut tail: Vec<u8> = Vec::new();
    loop {
        let body_end = tail.len() - usize::from(tail.last() == Some(&b'\n'));
        let newlines = tail[..body_end].iter().filter(|&&b| b == b'\n').count();
        if newlines >= n || pos == 0 {
            break;
        }
        let take = CHUNK.min(pos);
        pos -= take;
        let mut chunk = vec![0u8; take as usize];
        file.seek(SeekFrom::Start(pos))?;
        file.read_exact(&mut chunk)?;
        chunk.extend_from_slice(&tail);
        tail = chunk;
    }
    if n == 0 {
        return Ok(Vec::new());
    }
    let body_end = tail.len() - usize::from(tail.last() == Some(&b'\n'));
    let mut seen = 0;
    for i in (0..body_end).rev() {
        if tail[i] == b'\n' {
            seen += 1;
            if seen == n {
                return Ok(tail[i + 1..].to_vec());
            }
        }
    }
    Ok(tail)
}

/// `dokku events:list`: the logged trigger names, while events are on.
pub fn list(_args: &[String]) -> Result<()> {
    if env::var_os("DOKKU_EVENTS").is_none() {
        log::warn("Events logger disabled");
        return Ok(());
    }
    if !env::quiet() {
        log::col_info2(["Events currently logged", "", "", ""]);
    }
    for hook in hooks::HOOKS {
        log::col_msg([hook, "", "", ""]);
    }
    Ok(())
}

/// `dokku events:on`: the hook links first, then the rc file, so the flag never claims
/// logging that has no hooks behind it.
pub fn on(_args: &[String]) -> Result<()> {
    log::log("Enabling dokku events logger");
    hooks::install(&hooks::plugin_dir())?;
    let rc = rc_file();
    let dir = rc.parent().unwrap_or(Path::new("."));
    if !dir.is_dir() {
        fs::ensure_dir(dir, fs::DIR_MODE)?;
    }
    fs::write_atomic(&rc, RC_CONTENT, RC_MODE)?;
    Ok(())
}

/// `dokku events:off`: the rc file first, then the links (a link left behind by a crash
/// logs nothing without `DOKKU_EVENTS`).
pub fn off(_args: &[String]) -> Result<()> {
    log::log("Disabling dokku events logger");
    fs::remove_file(&rc_file())?;
    hooks::remove(&hooks::plugin_dir())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tail_of(content: &[u8], n: usize) -> Vec<u8> {
        let path = std::env::temp_dir().join(format!(
            "events-tail-{}-{}-{n}",
            std::process::id(),
            content.len()
        ));
        std::fs::write(&path, content).unwrap();
        let out = last_lines(&path, n).unwrap();
        std::fs::remove_file(&path).unwrap();
        out
    }

    #[test]
    fn tail_like_coreutils() {
        assert_eq!(tail_of(b"a\nb\nc\n", 2), b"b\nc\n");
        assert_eq!(tail_of(b"a\nb\nc", 2), b"b\nc");
        assert_eq!(tail_of(b"a\nb\n", 5), b"a\nb\n");
        assert_eq!(tail_of(b"", 5), b"");
        assert_eq!(tail_of(b"\n\n\n", 2), b"\n\n");
        assert_eq!(tail_of(b"a\nb\n", 0), b"");
        let big: Vec<u8> = (0..50_000)
            .flat_map(|i| format!("line {i}\n").into_bytes())
            .collect();
        let expected: Vec<u8> = (49_900..50_000)
            .flat_map(|i| format!("line {i}\n").into_bytes())
            .collect();
        assert_eq!(tail_of(&big, 100), expected);
    }
}
