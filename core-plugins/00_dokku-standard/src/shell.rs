//! Running the external tools the way upstream's bash scripts do, so outputs and failures
//! look the same: `$(cmd)` captures, `cmd | sed "s/^/       /"` indented pipes under
//! `set -eo pipefail`, and bash's own message when a command cannot be started.

use std::ffi::OsStr;
use std::io::{self, BufRead, BufReader, Write};
use std::os::unix::process::ExitStatusExt;
use std::process::{Command, ExitStatus, Stdio};

use dokku_common::{log, Error, Result};

/// Where a command sits in upstream's script: bash names it when the command is missing.
#[derive(Clone, Copy)]
pub struct Site<'a> {
    pub script: &'a str,
    pub line: u32,
}

/// Print bash's "cannot run" message and return the status bash would give.
fn not_started(site: Site<'_>, program: &str, err: &io::Error) -> i32 {
    let (reason, code) = match err.kind() {
        io::ErrorKind::NotFound if program.contains('/') => {
            ("No such file or directory".to_string(), 127)
        }
        io::ErrorKind::NotFound => ("command not found".to_string(), 127),
        io::ErrorKind::PermissionDenied => ("Permission denied".to_string(), 126),
        _ => (err.to_string(), 126),
    };
    log::stderr(&format!(
        "{}: line {}: {program}: {reason}",
        site.script, site.line
    ));
    code
}

/// The status as bash reports it (128+N for signal N).
pub fn status_code(status: ExitStatus) -> i32 {
    status
        .code()
        .unwrap_or_else(|| 128 + status.signal().unwrap_or(0))
}

/// `$(program args…)`: stdout with trailing newlines removed; stderr and stdin inherited.
/// A command that cannot start gives bash's message and an empty value.
pub fn capture<S: AsRef<OsStr>>(site: Site<'_>, program: &str, args: &[S]) -> String {
    match Command::new(program)
        .args(args)
        .stdin(Stdio::inherit())
        .stderr(Stdio::inherit())
        .output()
    {
        Ok(out) => {
            let text = String::from_utf8_lossy(&out.stdout).into_owned();
            text.trim_end_matches('\n').to_string()
        }
        Err(err) => {
            not_started(site, program, &err);
            String::new()
        }
    }
}

/// `program args… | sed "s/^/       /"` under `set -eo pipefail`: each output line is
/// indented by seven spaces as it arrives, and a failing command ends the script with its
/// status (nothing printed beyond what the command said).
pub fn indented<S: AsRef<OsStr>>(site: Site<'_>, program: &str, args: &[S]) -> Result<()> {
    let mut child = match Command::new(program)
        .args(args)
        .stdout(Stdio::piped())
        .spawn()
    {
        Ok(child) => child,
        Err(err) => return Err(Error::silent(not_started(site, program, &err))),
    };
    if let Some(stdout) = child.stdout.take() {
        let mut reader = BufReader::new(stdout);
        let mut out = io::stdout().lock();
        let mut line = Vec::new();
        loop {
            line.clear();
            match reader.read_until(b'\n', &mut line) {
                Ok(0) | Err(_) => break,
                Ok(_) => {
                    let _ = out
                        .write_all(log::VERBOSE.as_bytes())
                        .and_then(|()| out.write_all(&line))
                        .and_then(|()| out.flush());
                }
            }
        }
    }
    let status = child.wait()?;
    match status_code(status) {
        0 => Ok(()),
        code => Err(Error::silent(code)),
    }
}

/// `program args… &>/dev/null` as a condition: whether it ran and succeeded.
pub fn succeeds<S: AsRef<OsStr>>(program: &str, args: &[S]) -> bool {
    Command::new(program)
        .args(args)
        .stdin(Stdio::inherit())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map(|s| s.success())
        .unwrap_or(false)
}

/// Run with inherited stdio; a failure to start gives bash's message and status.
pub fn run<S: AsRef<OsStr>>(site: Site<'_>, program: &str, args: &[S]) -> Result<()> {
    match Command::new(program).args(args).status() {
        Ok(status) => match status_code(status) {
            0 => Ok(()),
            code => Err(Error::silent(code)),
        },
        Err(err) => Err(Error::silent(not_started(site, program, &err))),
    }
}
