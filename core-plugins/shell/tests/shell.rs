//! `dokku shell` with piped stdin and through a pseudo-terminal: what runs, what is printed
//! (byte for byte, terminal escapes included), the history file, Ctrl-C and Ctrl-D.

use std::fs;
use std::io::{Read, Write};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::process::{Child, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use dokku_rs_testkit::{Root, Run};

const USAGE: &str = "Usage: dokku shell[:COMMAND]

Interactive dokku prompt

Additional commands:
    shell   Spawn dokku shell
";

fn history(root: &Root) -> Option<String> {
    fs::read_to_string(root.home().join(".dokku_history")).ok()
}

/// A community plugin with the command `echo-args`, printing each argument in brackets,
/// and `read-line`, printing the line it reads from stdin.
fn add_echo_plugin(root: &Root) {
    root.write_exec(
        "lib/plugins/available/echoer/plugin.toml",
        "[plugin]\ndescription = \"echoes\"\nversion = \"0.1.0\"\n[plugin.config]\n",
    );
    root.write_exec(
        "lib/plugins/available/echoer/commands",
        "#!/usr/bin/env bash\ncase \"$1\" in\n  echo-args) shift; printf '[%s]' \"$@\"; echo ;;\n  read-line) IFS= read -r line; echo \"read: $line\" ;;\n  sleepy) echo sleeping; sleep 20 ;;\n  *) exit \"$DOKKU_NOT_IMPLEMENTED_EXIT\" ;;\nesac\n",
    );
    root.plugn(&["enable", "echoer"]).ok();
}

#[test]
fn help_texts() {
    let root = Root::new();
    root.dokku(&["shell:help"]).ok().stdout(USAGE).stderr("");
    let script = root.lib().join("plugins/enabled/shell/commands");
    let run = |body: &str, word: &str| {
        Run::from(
            root.command("bash")
                .args(["-c", body, "bash"])
                .arg(&script)
                .arg(word)
                .env("DOKKU_NOT_IMPLEMENTED_EXIT", "10")
                .output()
                .unwrap(),
        )
    };
    run("\"$1\" \"$2\"", "help")
        .ok()
        .stdout("    shell, Interactive dokku prompt\n");
    run("\"$1\" \"$2\"; : --all", "help")
        .ok()
        .stdout("    shell, Spawn dokku shell\n");
    run("\"$1\" \"$2\"", "shell").code(10).stdout("");
}

#[test]
fn piped_lines_run_as_dokku_commands() {
    let root = Root::new();
    add_echo_plugin(&root);
    let input = "echo-args a  \"b c\" 'd \"e\"' f\\ g\n   \n\t\n  echo-args   x  \n$(touch pwned) `id` ; | * ~\nexit\necho-args never\n";
    root.dokku_stdin(&["shell"], input.as_bytes())
        .ok()
        .stdout("[a][b c][d \"e\"][f g]\n[x]\n")
        .stderr(" !     `$(touch pwned) `id` ; | * ~` is not a dokku command.\n !     See `dokku help` for a list of available commands.\n");
    assert!(!root.home().join("pwned").exists());
    assert!(!root.dir.join("pwned").exists());
    assert_eq!(
        history(&root).unwrap(),
        "echo-args a  \"b c\" 'd \"e\"' f\\ g\necho-args   x\n$(touch pwned) `id` ; | * ~\nexit\n"
    );
    assert_eq!(
        fs::metadata(root.home().join(".dokku_history"))
            .unwrap()
            .permissions()
            .mode()
            & 0o777,
        0o600
    );
}

#[test]
fn end_of_input_and_builtins() {
    let root = Root::new();
    add_echo_plugin(&root);
    // End of input prints a newline; an unterminated last line is not run.
    root.dokku_stdin(&["shell"], b"echo-args 1\necho-args 2")
        .ok()
        .stdout("[1]\n\n")
        .stderr("");
    root.dokku_stdin(&["shell"], b"")
        .ok()
        .stdout("\n")
        .stderr("");
    root.dokku(&["shell"]).ok().stdout("\n");
    root.dokku_stdin(&["shell"], b"quit now\necho-args no\n")
        .ok()
        .stdout("");
    root.dokku_stdin(&["shell"], b"exit\n").ok().stdout("");
    // `clear` runs the program of that name; a quote left open runs nothing.
    root.write_exec("usr/bin/clear", "#!/bin/sh\necho CLEARED \"$#\"\n");
    root.dokku_stdin(
        &["shell"],
        b"clear the screen\necho-args 'open\necho-args ok\n",
    )
    .ok()
    .stdout("CLEARED 0\n[ok]\n\n")
    .stderr(" !     unmatched single quote; nothing was run\n");
    // NUL bytes are dropped, backslashes are the splitter's.
    root.dokku_stdin(&["shell"], b"echo-args a\0b c\\\\d\n")
        .ok()
        .stdout("[ab][c\\d]\n\n");
}

#[test]
fn commands_read_the_input_that_follows() {
    let root = Root::new();
    add_echo_plugin(&root);
    root.dokku_stdin(
        &["shell"],
        b"read-line\nthis line is for the command\necho-args after\n",
    )
    .ok()
    .stdout("read: this line is for the command\n[after]\n\n");
}

#[test]
fn history_is_kept_across_sessions() {
    let root = Root::new();
    add_echo_plugin(&root);
    fs::write(root.home().join(".dokku_history"), "old one\n\nold two\n").unwrap();
    root.dokku_stdin(
        &["shell"],
        b"old two\necho-args 1\necho-args 1\n  echo-args 1 \necho-args 2\n",
    )
    .ok();
    assert_eq!(
        history(&root).unwrap(),
        "old one\nold two\necho-args 1\necho-args 2\n"
    );
}

/// A `dokku shell` on a pseudo-terminal it has as controlling terminal; everything the
/// terminal shows is collected.
struct Pty {
    child: Child,
    master: fs::File,
    screen: Arc<Mutex<Vec<u8>>>,
}

impl Pty {
    fn spawn(root: &Root) -> Pty {
        let pty = nix::pty::openpty(None, None).unwrap();
        let size = nix::libc::winsize {
            ws_row: 24,
            ws_col: 40,
            ws_xpixel: 0,
            ws_ypixel: 0,
        };
        // SAFETY: TIOCSWINSZ reads the struct we pass.
        unsafe {
            nix::libc::ioctl(
                std::os::fd::AsRawFd::as_raw_fd(&pty.master),
                nix::libc::TIOCSWINSZ,
                &size,
            );
        }
        let slave = pty.slave;
        let mut cmd = root.command(root.bin("dokku"));
        cmd.arg("shell")
            .stdin(Stdio::from(slave.try_clone().unwrap()))
            .stdout(Stdio::from(slave.try_clone().unwrap()))
            .stderr(Stdio::from(slave));
        // SAFETY: only async-signal-safe calls between fork and exec.
        unsafe {
            cmd.pre_exec(|| {
                nix::unistd::setsid().map_err(std::io::Error::from)?;
                if nix::libc::ioctl(0, nix::libc::TIOCSCTTY as _, 0) != 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let child = cmd.spawn().unwrap();
        let master = fs::File::from(pty.master);
        let screen = Arc::new(Mutex::new(Vec::new()));
        let mut reader = master.try_clone().unwrap();
        let sink = Arc::clone(&screen);
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock().unwrap().extend_from_slice(&buf[..n]);
            }
        });
        Pty {
            child,
            master,
            screen,
        }
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.screen.lock().unwrap()).into_owned()
    }

    /// Wait until the screen holds `needle` `times` times.
    fn wait_for(&self, needle: &str, times: usize) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while self.text().matches(needle).count() < times {
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {needle:?} x{times} in {:?}",
                self.text()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn send(&mut self, bytes: &str) {
        self.master.write_all(bytes.as_bytes()).unwrap();
        self.master.flush().unwrap();
    }

    /// Wait for the shell to end, and for the reader to drain what it printed last.
    fn wait(&mut self) -> std::process::ExitStatus {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                std::thread::sleep(Duration::from_millis(200));
                return status;
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("shell did not end: {:?}", self.text());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Pty {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn terminal_session() {
    let root = Root::new();
    add_echo_plugin(&root);
    fs::write(root.home().join(".dokku_history"), "echo-args from-file\n").unwrap();
    let mut pty = Pty::spawn(&root);
    pty.wait_for("dokku> ", 1);

    // Typing at the end echoes the characters; a backspace redraws the line.
    pty.send("echo-args 'a b'x");
    pty.wait_for("x", 1);
    pty.send("\x7f\r");
    pty.wait_for("[a b]\r\ndokku> ", 1);
    let expected =
        "dokku> echo-args 'a b'x\rdokku> echo-args 'a b'\x1b[0K\r\x1b[22C\r\n[a b]\r\ndokku> ";
    assert_eq!(pty.text(), expected);

    // Ctrl-C at the prompt changes nothing; the line is still there to run.
    pty.send("echo-args c");
    pty.wait_for("args c", 1);
    pty.send("\x03");
    std::thread::sleep(Duration::from_millis(200));
    pty.send("\r");
    pty.wait_for("[c]\r\ndokku> ", 1);
    assert!(
        pty.text().ends_with("dokku> echo-args c\r\n[c]\r\ndokku> "),
        "{:?}",
        pty.text()
    );

    // Up walks the history (this session's lines, then the file's), Down comes back.
    pty.send("\x1b[A\x1b[A\x1b[A");
    pty.wait_for("from-file", 1);
    pty.send("\x1b[B\r");
    pty.wait_for("[a b]\r\ndokku> ", 2);
    assert!(pty.text().ends_with("[a b]\r\ndokku> "), "{:?}", pty.text());

    // Ctrl-A / Ctrl-E / Ctrl-U edit in place.
    pty.send("args q\x01echo-\x05 r\x15echo-args s\r");
    pty.wait_for("[s]\r\ndokku> ", 1);
    assert!(pty.text().ends_with("[s]\r\ndokku> "), "{:?}", pty.text());

    // Ctrl-D on an empty line ends the shell: a newline from the editor, one on stdout.
    pty.send("\x04");
    let status = pty.wait();
    assert_eq!(status.code(), Some(0));
    assert!(pty.text().ends_with("dokku> \r\n\r\n"), "{:?}", pty.text());
    assert_eq!(
        history(&root).unwrap(),
        "echo-args from-file\necho-args 'a b'\necho-args c\necho-args 'a b'\necho-args s\n"
    );
}

#[test]
fn ctrl_c_during_a_command_ends_the_shell() {
    let root = Root::new();
    add_echo_plugin(&root);
    let mut pty = Pty::spawn(&root);
    pty.wait_for("dokku> ", 1);
    pty.send("sleepy\r");
    pty.wait_for("sleeping", 1);
    pty.send("\x03");
    let status = pty.wait();
    assert_eq!(status.signal(), Some(nix::libc::SIGINT), "{status:?}");
    assert_eq!(history(&root).unwrap(), "sleepy\n");
}

#[test]
fn long_lines_scroll_sideways() {
    let root = Root::new();
    add_echo_plugin(&root);
    let mut pty = Pty::spawn(&root);
    pty.wait_for("dokku> ", 1);
    // 40 columns: the prompt (7) and 32 characters fill the line; the 33rd scrolls it.
    let arg = "x".repeat(22);
    pty.send(&format!("echo-args {arg}"));
    pty.wait_for(&arg, 1);
    pty.send("y");
    pty.wait_for("y\x1b[0K", 1);
    assert!(
        pty.text()
            .ends_with(&format!("\rdokku> cho-args {arg}y\x1b[0K\r\x1b[39C")),
        "{:?}",
        pty.text()
    );
    pty.send("\r");
    pty.wait_for(&format!("[{arg}y]"), 1);
    pty.send("exit\r");
    assert_eq!(pty.wait().code(), Some(0));
}
