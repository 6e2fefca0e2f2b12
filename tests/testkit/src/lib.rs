//! A dokku-rs laid out by the real installer (`packaging/install.py`) into a temporary root,
//! with the workspace's debug binaries, and helpers to run `dokku`/`plugn` inside it.
//!
//! Build the binaries first (`cargo build --workspace`; `tests/run` does it).

pub mod support;

use std::ffi::OsStr;
use std::fs;
use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().expect("repo root")
}

/// Where the workspace's binaries are: `DOKKU_RS_BIN_DIR`, else `target/debug`.
pub fn bin_dir() -> PathBuf {
    std::env::var_os("DOKKU_RS_BIN_DIR").map(PathBuf::from).unwrap_or_else(|| {
        let target = std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| repo_root().join("target"));
        target.join("debug")
    })
}

fn current_user() -> String {
    let out = Command::new("id").arg("-un").output().expect("id -un");
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// The entry point runs core plugin subcommands with the plugin code linked into it, so a
/// `dokku` binary built before the latest edit of that code would test yesterday's code (as
/// after `cargo test -p <plugin>`, which does not relink `dokku`). Fail with the remedy
/// instead. Sources are compared, not libraries: `cargo test -p` builds its own copy of a
/// library, which is not the one `dokku` links.
fn assert_dokku_is_current(bins: &Path) {
    static CHECKED: std::sync::OnceLock<()> = std::sync::OnceLock::new();
    CHECKED.get_or_init(|| {
        let Some(dokku) = fs::metadata(bins.join("dokku")).and_then(|m| m.modified()).ok() else { return };
        let root = repo_root();
        let mut dirs: Vec<PathBuf> = ["crates/common/src", "crates/plugn/src", "crates/dokku/src"].iter().map(|d| root.join(d)).collect();
        if let Ok(plugins) = fs::read_dir(root.join("core-plugins")) {
            dirs.extend(plugins.flatten().map(|e| e.path().join("src")));
        }
        while let Some(dir) = dirs.pop() {
            let Ok(entries) = fs::read_dir(&dir) else { continue };
            for entry in entries.flatten() {
                let path = entry.path();
                let Ok(meta) = entry.metadata() else { continue };
                if meta.is_dir() {
                    dirs.push(path);
                } else if meta.modified().is_ok_and(|t| t > dokku) {
                    panic!("{} changed after the dokku binary that links it was built: run `cargo build -p dokku` (or `cargo build --workspace`) first", path.display());
                }
            }
        }
    });
}

/// One installed dokku-rs in a temporary directory, removed on drop
/// (kept when `DOKKU_RS_TEST_KEEP` is set).
pub struct Root {
    pub dir: PathBuf,
}

impl Root {
    /// Install into a fresh temporary root.
    pub fn new() -> Root {
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let dir = std::env::temp_dir().join(format!("dokku-rs-test-{}-{n}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).expect("temp root");
        let dir = dir.canonicalize().expect("canonical temp root");
        let bins = bin_dir();
        assert!(bins.join("dokku").exists(), "{} has no dokku binary: run `cargo build --workspace` first", bins.display());
        assert_dokku_is_current(&bins);
        let out = Command::new("python3")
            .arg(repo_root().join("packaging/install.py"))
            .env("DOKKU_RS_NO_SYSTEM", "1")
            .env("DOKKU_RS_LINK_BINARIES", "1")
            .env("PREFIX", dir.join("usr"))
            .env("DOKKU_LIB_ROOT", dir.join("lib"))
            .env("DOKKU_ROOT", dir.join("home"))
            .env("DOKKU_LOGS_DIR", dir.join("log"))
            .env("BIN_DIR", &bins)
            .output()
            .expect("run packaging/install.py");
        assert!(out.status.success(), "install failed: {}", String::from_utf8_lossy(&out.stderr));
        Root { dir }
    }

    pub fn lib(&self) -> PathBuf {
        self.dir.join("lib")
    }

    pub fn home(&self) -> PathBuf {
        self.dir.join("home")
    }

    pub fn bin(&self, name: &str) -> PathBuf {
        self.dir.join("usr/bin").join(name)
    }

    /// A command with the environment an installed dokku gives its plugins: paths into this
    /// root, no user switching (the system user is the current one), no tty.
    pub fn command(&self, program: impl AsRef<OsStr>) -> Command {
        let mut cmd = Command::new(program);
        let path = format!("{}:/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin", self.dir.join("usr/bin").display());
        cmd.env_clear()
            .env("PATH", path)
            .env("HOME", self.home())
            .env("USER", current_user())
            .env("LANG", "C.UTF-8")
            .env("DOKKU_LIB_PATH", self.lib())
            .env("DOKKU_ROOT", self.home())
            .env("DOKKU_LOGS_DIR", self.dir.join("log"))
            .env("DOKKU_SYSTEM_USER", current_user())
            .env("DOKKU_SYSTEM_GROUP", current_user())
            .stdin(Stdio::null());
        cmd
    }

    /// `dokku <args>` in this root.
    pub fn dokku(&self, args: &[&str]) -> Run {
        Run::from(self.command(self.bin("dokku")).args(args).output().expect("run dokku"))
    }

    /// `dokku <args>` with `input` on stdin.
    pub fn dokku_stdin(&self, args: &[&str], input: &[u8]) -> Run {
        let mut child = self
            .command(self.bin("dokku"))
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn dokku");
        // A command may exit without reading its input; its output tells what happened.
        if let Err(e) = child.stdin.take().unwrap().write_all(input) {
            assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "write stdin: {e}");
        }
        Run::from(child.wait_with_output().expect("wait dokku"))
    }

    /// `plugn <args>` against this root's `plugins` tree.
    pub fn plugn(&self, args: &[&str]) -> Run {
        let mut cmd = self.command(self.bin("plugn"));
        cmd.env("PLUGIN_PATH", self.lib().join("plugins"));
        Run::from(cmd.args(args).output().expect("run plugn"))
    }

    /// Write an executable file (parents created). An existing symlink there is replaced,
    /// never written through: installed binaries are links into the build directory.
    pub fn write_exec(&self, rel: &str, body: &str) -> PathBuf {
        let path = self.dir.join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        if fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
            fs::remove_file(&path).unwrap();
        }
        fs::write(&path, body).unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o755)).unwrap();
        path
    }
}

impl Default for Root {
    fn default() -> Self {
        Root::new()
    }
}

impl Drop for Root {
    fn drop(&mut self) {
        if std::env::var_os("DOKKU_RS_TEST_KEEP").is_none() {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

/// A finished process: status and output as text.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl From<Output> for Run {
    fn from(o: Output) -> Run {
        use std::os::unix::process::ExitStatusExt;
        Run {
            code: o.status.code().unwrap_or_else(|| 128 + o.status.signal().unwrap_or(0)),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }
}

impl Run {
    #[track_caller]
    pub fn ok(&self) -> &Run {
        assert_eq!(self.code, 0, "expected success\nstdout:\n{}\nstderr:\n{}", self.stdout, self.stderr);
        self
    }

    #[track_caller]
    pub fn code(&self, code: i32) -> &Run {
        assert_eq!(self.code, code, "exit status\nstdout:\n{}\nstderr:\n{}", self.stdout, self.stderr);
        self
    }

    #[track_caller]
    pub fn stdout(&self, expected: &str) -> &Run {
        assert_eq!(self.stdout, expected, "stdout differs (stderr: {})", self.stderr);
        self
    }

    #[track_caller]
    pub fn stderr(&self, expected: &str) -> &Run {
        assert_eq!(self.stderr, expected, "stderr differs (stdout: {})", self.stdout);
        self
    }

    #[track_caller]
    pub fn stderr_has(&self, needle: &str) -> &Run {
        assert!(self.stderr.contains(needle), "stderr lacks {needle:?}:\n{}", self.stderr);
        self
    }

    #[track_caller]
    pub fn stdout_has(&self, needle: &str) -> &Run {
        assert!(self.stdout.contains(needle), "stdout lacks {needle:?}:\n{}", self.stdout);
        self
    }
}
