//! Firing plugin triggers in-process through the `plugn` library, against `$PLUGIN_PATH`.
//!
//! [`call`] behaves like `plugn trigger hook args…` with inherited stdio; [`capture`] like
//! `$(plugn trigger hook args…)`. The [`Trigger`] builder covers stdin and extra environment.

use std::ffi::{OsStr, OsString};
use std::os::unix::ffi::OsStrExt;

use plugn::trigger::{Options, Stdin};
use plugn::PluginTree;

use crate::error::{Error, Result};
use crate::paths::Paths;

/// The plugin tree at `$PLUGIN_PATH`.
pub fn tree() -> PluginTree {
    PluginTree::new(Paths::from_env().plugin_path)
}

/// One trigger invocation.
pub struct Trigger {
    hook: String,
    args: Vec<OsString>,
    stdin: Stdin,
    env: Vec<(OsString, OsString)>,
}

/// What a trigger run produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    /// 0 when every hook succeeded, else the failing hook's status.
    pub status: i32,
    pub stdout: Vec<u8>,
}

impl Output {
    /// Stdout as text with surrounding whitespace trimmed, as Go's `StdoutContents` gives.
    pub fn trimmed(&self) -> String {
        String::from_utf8_lossy(&self.stdout).trim().to_string()
    }
}

impl Trigger {
    pub fn new(hook: &str) -> Trigger {
        Trigger {
            hook: hook.to_string(),
            args: Vec::new(),
            stdin: Stdin::Inherit,
            env: Vec::new(),
        }
    }

    pub fn arg(mut self, arg: impl AsRef<OsStr>) -> Trigger {
        self.args.push(arg.as_ref().to_os_string());
        self
    }

    pub fn args<S: AsRef<OsStr>>(mut self, args: &[S]) -> Trigger {
        self.args
            .extend(args.iter().map(|a| a.as_ref().to_os_string()));
        self
    }

    /// Feed these bytes to every hook's stdin.
    pub fn stdin(mut self, bytes: impl Into<Vec<u8>>) -> Trigger {
        self.stdin = Stdin::Bytes(bytes.into());
        self
    }

    /// Give the hooks `/dev/null` as stdin.
    pub fn stdin_null(mut self) -> Trigger {
        self.stdin = Stdin::Null;
        self
    }

    /// Stdin as Go's trigger calls give it: the terminal's only when stdout is a terminal,
    /// else `/dev/null`.
    pub fn go_stdin(self) -> Trigger {
        if std::io::IsTerminal::is_terminal(&std::io::stdout()) {
            self
        } else {
            self.stdin_null()
        }
    }

    /// Extra environment for the hooks.
    pub fn env(mut self, key: impl AsRef<OsStr>, value: impl AsRef<OsStr>) -> Trigger {
        self.env
            .push((key.as_ref().to_os_string(), value.as_ref().to_os_string()));
        self
    }

    fn run(self, capture_stdout: bool) -> Result<Output> {
        let opts = Options {
            stdin: self.stdin,
            capture_stdout,
            capture_stderr: false,
            env: self.env,
        };
        let outcome = plugn::trigger::run(&tree(), &self.hook, &self.args, &opts)?;
        Ok(Output {
            status: outcome.status,
            stdout: outcome.stdout,
        })
    }

    /// Run with stdout inherited; returns the status.
    pub fn status(self) -> Result<i32> {
        Ok(self.run(false)?.status)
    }

    /// Run with stdout captured, whatever the status.
    pub fn output(self) -> Result<Output> {
        self.run(true)
    }
}

/// `plugn trigger hook args…`: returns the status (0 = every hook succeeded).
pub fn call<S: AsRef<OsStr>>(hook: &str, args: &[S]) -> Result<i32> {
    Trigger::new(hook).args(args).status()
}

/// `plugn trigger hook args…`, failing with the hook's status (nothing printed) when non-zero.
pub fn call_ok<S: AsRef<OsStr>>(hook: &str, args: &[S]) -> Result<()> {
    match call(hook, args)? {
        0 => Ok(()),
        status => Err(Error::silent(status)),
    }
}

/// Fire a trigger from a Go-era command: output streamed, stdin per [`Trigger::go_stdin`].
/// Any failure ends the command with status 1, as upstream's `CallPlugnTrigger` error does;
/// the hook has already printed its reasons.
pub fn fire<S: AsRef<OsStr>>(hook: &str, args: &[S]) -> Result<()> {
    match Trigger::new(hook).args(args).go_stdin().status()? {
        0 => Ok(()),
        _ => Err(Error::silent(1)),
    }
}

/// `$(plugn trigger hook args…)`: stdout as text (untrimmed). A non-zero status is an error
/// carrying that status; use [`Trigger::output`] to keep the output of a failing trigger.
pub fn capture<S: AsRef<OsStr>>(hook: &str, args: &[S]) -> Result<String> {
    let out = Trigger::new(hook).args(args).output()?;
    if out.status != 0 {
        return Err(Error::silent(out.status));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Trimmed stdout of a trigger, ignoring its status (Go's `results, _ := CallPlugnTrigger`
/// followed by `StdoutContents()`).
/// Like Go's exec helpers, the hooks get `/dev/null` as stdin.
pub fn capture_lenient<S: AsRef<OsStr>>(hook: &str, args: &[S]) -> String {
    Trigger::new(hook)
        .args(args)
        .stdin_null()
        .output()
        .map(|o| o.trimmed())
        .unwrap_or_default()
}

/// bash's `$(plugn trigger <hook> <args>)`: stdout without its trailing newlines (other
/// whitespace kept), the status ignored, stdin inherited.
pub fn capture_text<S: AsRef<OsStr>>(hook: &str, args: &[S]) -> String {
    Trigger::new(hook)
        .args(args)
        .output()
        .map(|o| {
            String::from_utf8_lossy(&o.stdout)
                .trim_end_matches('\n')
                .to_string()
        })
        .unwrap_or_default()
}

/// Whether an enabled plugin other than `20_events` (which only logs) has an entry named
/// `hook`, as Go's `PlugnTriggerExists` checks.
pub fn exists(hook: &str) -> bool {
    exists_in(&Paths::from_env().plugin_enabled_path, hook)
}

pub(crate) fn exists_in(enabled: &std::path::Path, hook: &str) -> bool {
    if hook.is_empty() || hook.contains('/') || hook.as_bytes().contains(&0) {
        return false;
    }
    let Ok(entries) = std::fs::read_dir(enabled) else {
        return false;
    };
    entries.flatten().any(|entry| {
        let name = entry.file_name();
        name.as_bytes() != b"20_events" && crate::fs::exists_no_follow(&entry.path().join(hook))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fs::testutil::TempDir;

    #[test]
    fn exists_ignores_events() {
        let dir = TempDir::new();
        let enabled = dir.path();
        std::fs::create_dir_all(enabled.join("20_events")).unwrap();
        std::fs::write(enabled.join("20_events/user-auth"), "").unwrap();
        assert!(!exists_in(enabled, "user-auth"));
        std::fs::create_dir_all(enabled.join("acl")).unwrap();
        std::fs::write(enabled.join("acl/user-auth"), "").unwrap();
        assert!(exists_in(enabled, "user-auth"));
        assert!(!exists_in(enabled, "other"));
        assert!(!exists_in(enabled, "../acl/user-auth"));
        assert!(!exists_in(&enabled.join("missing"), "user-auth"));
    }
}
