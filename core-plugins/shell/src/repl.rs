//! `dokku shell`: read a line, run it as `dokku <words>`, repeat. `clear`, `quit` and `exit`
//! are built in; a blank line is skipped; end of input ends the shell with status 0.
//!
//! With a terminal on stdin the line is edited (see [`crate::editor`]); otherwise lines are
//! read one byte at a time, without a prompt, so a command run from the shell can read the
//! input that follows its line, as with upstream's `read`.

use std::io::{self, IsTerminal, Read};
use std::mem::ManuallyDrop;
use std::os::fd::FromRawFd;
use std::os::unix::process::ExitStatusExt;
use std::process::Command;

use nix::sys::signal::{self, SaFlags, SigAction, SigHandler, SigSet, Signal};

use dokku_common::{env, log, Result};

use crate::editor;
use crate::history::History;
use crate::words;

extern "C" fn ignore_signal(_: nix::libc::c_int) {}

/// Ctrl-C must not end the shell, but the commands it runs must get it: a handler that
/// does nothing (unlike an ignored signal) is reset to the default in children.
fn catch_sigint() {
    let action = SigAction::new(
        SigHandler::Handler(ignore_signal),
        SaFlags::SA_RESTART,
        SigSet::empty(),
    );
    // SAFETY: the handler does nothing, so it is async-signal-safe.
    unsafe {
        let _ = signal::sigaction(Signal::SIGINT, &action);
    }
}

/// A child killed by Ctrl-C ends the shell the same way, as bash does.
fn die_by_sigint() -> ! {
    // SAFETY: restoring the default disposition has no memory-safety impact.
    unsafe {
        let _ = signal::signal(Signal::SIGINT, SigHandler::SigDfl);
    }
    let _ = signal::raise(Signal::SIGINT);
    std::process::exit(130)
}

/// One line from a pipe or file: bytes up to a newline, NUL bytes dropped. `None` at end
/// of input, even after a partial line (which upstream's `read` does not run).
fn read_plain_line() -> Option<String> {
    // fd 0 unbuffered: whatever follows this line stays for the commands we run.
    // SAFETY: fd 0 stays open for the whole process; ManuallyDrop never closes it.
    let mut stdin = ManuallyDrop::new(unsafe { std::fs::File::from_raw_fd(0) });
    let mut line = Vec::new();
    let mut byte = [0u8; 1];
    loop {
        match stdin.read(&mut byte) {
            Ok(0) => return None,
            Ok(_) => match byte[0] {
                b'\n' => return Some(String::from_utf8_lossy(&line).into_owned()),
                0 => {}
                b => line.push(b),
            },
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(_) => return None,
        }
    }
}

/// Run a program found in `PATH` with inherited stdio; its status does not matter.
fn spawn(program: &str, args: &[String]) {
    let Some(path) = env::command_path(program) else {
        log::stderr(&format!("{program}: command not found"));
        return;
    };
    match Command::new(path).args(args).status() {
        Ok(status) if status.signal() == Some(Signal::SIGINT as i32) => die_by_sigint(),
        Ok(_) => {}
        Err(e) => log::stderr(&format!("{program}: {e}")),
    }
}

fn run_shell() -> Result<()> {
    catch_sigint();
    let mut history = History::load();
    let terminal = io::stdin().is_terminal();
    loop {
        let line = if terminal {
            editor::read_line(&history.entries)?
        } else {
            read_plain_line()
        };
        let Some(line) = line else {
            log::write_stdout("\n");
            return Ok(());
        };
        let line = words::trim(&line);
        let command = words::first_field(line);
        if command.is_empty() {
            continue;
        }
        history.add(line);
        match command {
            "clear" => spawn("clear", &[]),
            "quit" | "exit" => return Ok(()),
            _ => match words::split(line) {
                Ok(args) => spawn("dokku", &args),
                Err(msg) => log::warn(&msg),
            },
        }
    }
}

/// The `default` subcommand (`dokku shell`); arguments are ignored, as upstream does.
pub fn run(_args: &[String]) -> Result<()> {
    run_shell()
}
