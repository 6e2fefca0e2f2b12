//! The trigger engine: run `<hook>` in every enabled plugin, in byte order of plugin names,
//! stopping at the first failure.
//!
//! Hooks share the caller's stdin (one open file description, never a pipeline) and write
//! straight to its stdout/stderr. Nothing is buffered or reordered.

use std::ffi::{OsStr, OsString};
use std::fs;
use std::io::{self, Read, Seek, Write};
use std::os::fd::OwnedFd;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use std::sync::atomic::{AtomicI32, Ordering};

use nix::sys::signal::{self, SaFlags, SigAction, SigHandler, SigSet, Signal};
use nix::unistd::{access, AccessFlags, Pid};

use crate::config::{self, Settings};
use crate::names;
use crate::{meta, Error, PluginTree, VERSION};

/// Where hooks read their standard input from.
#[derive(Debug, Clone, Default)]
pub enum Stdin {
    /// The caller's own stdin, shared by every hook in turn.
    #[default]
    Inherit,
    /// `/dev/null`.
    Null,
    /// These bytes, shared by every hook as one file (the first reader consumes them).
    Bytes(Vec<u8>),
}

#[derive(Debug, Clone, Default)]
pub struct Options {
    pub stdin: Stdin,
    /// Collect the hooks' stdout instead of passing the caller's through (`$(plugn trigger …)`).
    pub capture_stdout: bool,
    /// Collect the hooks' stderr too (what Go callers report when a trigger fails).
    pub capture_stderr: bool,
    /// Extra environment for every hook, applied after `PLUGIN_PATH` and `PLUGN_VERSION`.
    pub env: Vec<(OsString, OsString)>,
}

#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// 0 when every hook succeeded, else the failing hook's status (128+N for signal N).
    pub status: i32,
    /// Captured stdout when `capture_stdout` was asked for.
    pub stdout: Vec<u8>,
    /// Captured stderr when `capture_stderr` was asked for.
    pub stderr: Vec<u8>,
}

impl Outcome {
    pub fn success(&self) -> bool {
        self.status == 0
    }
}

/// Names of the enabled plugins that have a regular file named `hook`, in run order.
pub fn implementors(tree: &PluginTree, hook: &str) -> Result<Vec<OsString>, Error> {
    names::check_hook(hook)?;
    Ok(tree
        .enabled_names()
        .into_iter()
        .filter(|name| is_regular(&hook_path(tree, name, hook)))
        .collect())
}

/// Run `hook` with `args` in every enabled plugin of `tree`.
pub fn run<S: AsRef<OsStr>>(
    tree: &PluginTree,
    hook: &str,
    args: &[S],
    opts: &Options,
) -> Result<Outcome, Error> {
    names::check_hook(hook)?;
    let stdin = Input::new(&opts.stdin)?;
    let mut capture = if opts.capture_stdout {
        Some(Capture::new()?)
    } else {
        None
    };
    let mut capture_err = if opts.capture_stderr {
        Some(Capture::new()?)
    } else {
        None
    };
    let mut settings: Option<Settings> = None;
    let mut config_env: Vec<(String, String)> = Vec::new();
    let mut status = 0;

    for name in tree.enabled_names() {
        let path = hook_path(tree, &name, hook);
        if !is_regular(&path) {
            continue;
        }
        if access(&path, AccessFlags::X_OK).is_err() {
            eprintln!(
                "Trigger '{}' is not executable, skipping plugin ({})",
                hook,
                name.to_string_lossy()
            );
            continue;
        }
        if let Some(keys) = config_keys(tree, &name) {
            let settings = settings
                .get_or_insert_with(|| config::load(&tree.config_path()).unwrap_or_default());
            for (k, v) in config::plugin_env(&keys, &name.to_string_lossy(), settings) {
                match config_env.iter_mut().find(|(ek, _)| *ek == k) {
                    Some(slot) => slot.1 = v,
                    None => config_env.push((k, v)),
                }
            }
        }
        let attach = |cmd: &mut Command| -> Result<(), Error> {
            cmd.stdin(stdin.stdio().map_err(|e| Error::io("stdin", e))?);
            if let Some(c) = &capture {
                cmd.stdout(c.stdio().map_err(|e| Error::io("stdout", e))?);
            }
            if let Some(c) = &capture_err {
                cmd.stderr(c.stdio().map_err(|e| Error::io("stderr", e))?);
            }
            apply_env(cmd, tree, opts, &config_env);
            Ok(())
        };
        let mut cmd = Command::new(&path);
        cmd.arg0(&path).args(args);
        attach(&mut cmd)?;
        status = match cmd.spawn() {
            Ok(child) => wait(register(child)),
            Err(e) if e.raw_os_error() == Some(nix::libc::ENOEXEC) => {
                // No `#!` line: upstream's bash runs such a file as a bash script.
                let mut bash = Command::new("bash");
                bash.arg(&path).args(args);
                attach(&mut bash)?;
                match bash.spawn() {
                    Ok(child) => wait(register(child)),
                    Err(e) => {
                        eprintln!("plugn: bash: {e}");
                        127
                    }
                }
            }
            Err(e) => spawn_failure(&path, &e),
        };
        if let Some(sig) = take_pending_signal() {
            if status == 0 {
                status = 128 + sig;
            }
        }
        if status != 0 {
            break;
        }
    }

    let stdout = capture.take().map(Capture::finish).unwrap_or_default();
    let stderr = capture_err.take().map(Capture::finish).unwrap_or_default();
    Ok(Outcome {
        status,
        stdout,
        stderr,
    })
}

fn hook_path(tree: &PluginTree, plugin: &OsStr, hook: &str) -> PathBuf {
    tree.path(&["enabled".as_ref(), plugin, hook.as_ref()])
}

fn is_regular(path: &Path) -> bool {
    fs::metadata(path).map(|m| m.is_file()).unwrap_or(false)
}

/// Keys of `[plugin.config]` for an enabled plugin, if it declares any.
fn config_keys(tree: &PluginTree, name: &OsStr) -> Option<Vec<String>> {
    let path = tree.path(&["available".as_ref(), name, "plugin.toml".as_ref()]);
    let text = fs::read_to_string(path).ok()?;
    // Cheap pre-check: most plugins declare no settings, and parsing is the only real cost.
    if !text.contains("config") {
        return None;
    }
    meta::parse(&text)
        .ok()?
        .config_keys
        .filter(|k| !k.is_empty())
}

fn apply_env(
    cmd: &mut Command,
    tree: &PluginTree,
    opts: &Options,
    config_env: &[(String, String)],
) {
    cmd.env("PLUGIN_PATH", tree.root())
        .env("PLUGN_VERSION", VERSION);
    for (k, v) in &opts.env {
        cmd.env(k, v);
    }
    for (k, v) in config_env {
        cmd.env(k, v);
    }
}

/// Report a hook that could not be started, with bash's exit statuses.
fn spawn_failure(path: &Path, err: &io::Error) -> i32 {
    if err.raw_os_error() == Some(nix::libc::ENOENT) {
        // The file exists (it was stat'ed), so its interpreter is what is missing.
        let interp = interpreter(path).unwrap_or_default();
        eprintln!(
            "plugn: {}: {}: bad interpreter: No such file or directory",
            path.display(),
            interp
        );
    } else {
        eprintln!("plugn: {}: {}", path.display(), err);
    }
    126
}

fn interpreter(path: &Path) -> Option<String> {
    let mut buf = [0u8; 256];
    let n = fs::File::open(path).ok()?.read(&mut buf).ok()?;
    let line = buf[..n].strip_prefix(b"#!")?;
    let line = line.split(|b| *b == b'\n').next()?;
    let word = line
        .split(|b| *b == b' ' || *b == b'\t')
        .find(|w| !w.is_empty())?;
    Some(OsStr::from_bytes(word).to_string_lossy().into_owned())
}

// ---------------------------------------------------------------------------------------
// Waiting, and forwarding termination signals to the running hook.

static CHILD_PID: AtomicI32 = AtomicI32::new(0);
static PENDING_SIGNAL: AtomicI32 = AtomicI32::new(0);

const FORWARDED: [Signal; 4] = [
    Signal::SIGINT,
    Signal::SIGTERM,
    Signal::SIGHUP,
    Signal::SIGQUIT,
];

fn register(child: Child) -> Child {
    CHILD_PID.store(child.id() as i32, Ordering::SeqCst);
    // A signal that arrived between spawn and here was recorded but not forwarded.
    let pending = PENDING_SIGNAL.load(Ordering::SeqCst);
    if pending != 0 {
        if let Ok(sig) = Signal::try_from(pending) {
            let _ = signal::kill(Pid::from_raw(child.id() as i32), sig);
        }
    }
    child
}

fn wait(mut child: Child) -> i32 {
    let status = loop {
        match child.wait() {
            Ok(s) => break s,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(_) => break std::process::ExitStatus::from_raw(1 << 8),
        }
    };
    CHILD_PID.store(0, Ordering::SeqCst);
    match (status.code(), status.signal()) {
        (Some(code), _) => code,
        (None, Some(sig)) => 128 + sig,
        _ => 1,
    }
}

fn take_pending_signal() -> Option<i32> {
    match PENDING_SIGNAL.swap(0, Ordering::SeqCst) {
        0 => None,
        sig => Some(sig),
    }
}

extern "C" fn on_signal(
    sig: nix::libc::c_int,
    info: *mut nix::libc::siginfo_t,
    _ctx: *mut nix::libc::c_void,
) {
    PENDING_SIGNAL.store(sig, Ordering::SeqCst);
    // A signal generated by the terminal (Ctrl-C) already reached the whole foreground
    // process group, hook included; only forward signals sent to plugn alone.
    // SAFETY: the kernel hands a valid siginfo_t to an SA_SIGINFO handler.
    let from_kernel = !info.is_null() && unsafe { (*info).si_code } == nix::libc::SI_KERNEL;
    let pid = CHILD_PID.load(Ordering::SeqCst);
    if pid > 0 && !from_kernel {
        // SAFETY: kill(2) is async-signal-safe.
        unsafe {
            nix::libc::kill(pid, sig);
        }
    }
}

/// Install handlers so that SIGINT, SIGTERM, SIGHUP and SIGQUIT sent to this process reach
/// the running hook; the trigger then stops after that hook and reports 128+N.
pub fn forward_signals() {
    let action = SigAction::new(
        SigHandler::SigAction(on_signal),
        SaFlags::SA_RESTART | SaFlags::SA_SIGINFO,
        SigSet::empty(),
    );
    for sig in FORWARDED {
        // SAFETY: the handler only touches atomics and calls kill(2).
        unsafe {
            let _ = signal::sigaction(sig, &action);
        }
    }
}

// ---------------------------------------------------------------------------------------
// Standard input and captured standard output.

enum Input {
    Inherit,
    Null,
    File(fs::File),
}

impl Input {
    fn new(stdin: &Stdin) -> Result<Self, Error> {
        Ok(match stdin {
            Stdin::Inherit => Input::Inherit,
            Stdin::Null => Input::Null,
            Stdin::Bytes(bytes) => {
                // An anonymous in-memory file: every hook shares its read offset, like a real
                // stdin, and no writer thread or temp file is needed.
                let fd: OwnedFd = nix::sys::memfd::memfd_create(
                    c"plugn-stdin",
                    nix::sys::memfd::MemFdCreateFlag::MFD_CLOEXEC,
                )
                .map_err(|e| Error::io("memfd", e.into()))?;
                let mut f = fs::File::from(fd);
                f.write_all(bytes).map_err(|e| Error::io("memfd", e))?;
                f.rewind().map_err(|e| Error::io("memfd", e))?;
                Input::File(f)
            }
        })
    }

    fn stdio(&self) -> io::Result<Stdio> {
        Ok(match self {
            Input::Inherit => Stdio::inherit(),
            Input::Null => Stdio::null(),
            Input::File(f) => Stdio::from(f.try_clone()?),
        })
    }
}

struct Capture {
    write: Option<OwnedFd>,
    reader: Option<std::thread::JoinHandle<Vec<u8>>>,
}

impl Capture {
    fn new() -> Result<Self, Error> {
        let (read, write) = nix::unistd::pipe2(nix::fcntl::OFlag::O_CLOEXEC)
            .map_err(|e| Error::io("pipe", e.into()))?;
        let reader = std::thread::spawn(move || {
            let mut buf = Vec::new();
            let _ = fs::File::from(read).read_to_end(&mut buf);
            buf
        });
        Ok(Capture {
            write: Some(write),
            reader: Some(reader),
        })
    }

    fn stdio(&self) -> io::Result<Stdio> {
        match &self.write {
            Some(fd) => Ok(Stdio::from(fd.try_clone()?)),
            None => Ok(Stdio::null()),
        }
    }

    fn finish(mut self) -> Vec<u8> {
        self.write.take();
        self.reader
            .take()
            .and_then(|r| r.join().ok())
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::{symlink, PermissionsExt};

    fn tree_with_hooks(hooks: &[(&str, &str)]) -> (PluginTree, PathBuf) {
        let root = std::env::temp_dir().join(format!(
            "plugn-trigger-unit-{}-{}",
            std::process::id(),
            hooks.len()
        ));
        let _ = fs::remove_dir_all(&root);
        for (plugin, body) in hooks {
            let dir = root.join("available").join(plugin);
            fs::create_dir_all(&dir).unwrap();
            fs::write(dir.join("hook"), body).unwrap();
            fs::set_permissions(dir.join("hook"), fs::Permissions::from_mode(0o755)).unwrap();
            fs::create_dir_all(root.join("enabled")).unwrap();
            symlink(&dir, root.join("enabled").join(plugin)).unwrap();
        }
        (PluginTree::new(&root), root)
    }

    #[test]
    fn captures_both_streams_and_shares_stdin_bytes() {
        let (tree, root) = tree_with_hooks(&[
            (
                "a",
                "#!/bin/sh\nread -r line; echo \"a:$line\"; echo a-err >&2\n",
            ),
            ("b", "#!/bin/sh\necho \"b:$(cat)\"; echo b-err >&2\n"),
        ]);
        let opts = Options {
            stdin: Stdin::Bytes(b"one\ntwo\n".to_vec()),
            capture_stdout: true,
            capture_stderr: true,
            env: vec![],
        };
        let out = run(&tree, "hook", &["x"], &opts).unwrap();
        assert_eq!(out.status, 0);
        assert_eq!(String::from_utf8_lossy(&out.stdout), "a:one\nb:two\n");
        assert_eq!(String::from_utf8_lossy(&out.stderr), "a-err\nb-err\n");
        fs::remove_dir_all(root).unwrap();
    }

    #[test]
    fn failure_status_and_implementors() {
        let (tree, root) = tree_with_hooks(&[
            ("a", "#!/bin/sh\nexit 4\n"),
            ("b", "#!/bin/sh\necho never\n"),
            ("c", "#!/bin/sh\n"),
        ]);
        let opts = Options {
            capture_stdout: true,
            ..Default::default()
        };
        let out = run(&tree, "hook", &[] as &[&str], &opts).unwrap();
        assert_eq!((out.status, out.stdout.len()), (4, 0));
        assert_eq!(implementors(&tree, "hook").unwrap(), vec!["a", "b", "c"]);
        assert!(implementors(&tree, "../hook").is_err());
        fs::remove_dir_all(root).unwrap();
    }
}
