//! Shared fixtures for the plugn integration tests (spec: /work/shared/spec/plugn.md §8).
//!
//! Everything is offline and self-contained: temp dirs under `std::env::temp_dir()`, git repos
//! built with the real `git`, tarballs built with the real `tar`, and a tiny loopback HTTP/1.0
//! server. Every plugn run gets a cleared environment, its own process group and a timeout, so
//! a misbehaving binary cannot hang the suite or leak processes.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::fs;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::os::unix::fs::{symlink, PermissionsExt};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{mpsc, Arc};
use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

pub const VERSION: &str = "0.17.1";
pub const BIN: &str = env!("CARGO_BIN_EXE_plugn");
/// git lives in /usr/local/bin on the build machine.
/// The binary under test; `PLUGN_TEST_BIN` overrides it (e.g. to run the suite against a
/// release build or another plugn).
pub fn bin() -> PathBuf {
    std::env::var_os("PLUGN_TEST_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(BIN))
}
pub const SYS_PATH: &str = "/usr/local/bin:/usr/bin:/bin:/usr/local/sbin:/usr/sbin:/sbin";
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(20);

pub const SIGINT: i32 = 2;
pub const SIGKILL: i32 = 9;
pub const SIGTERM: i32 = 15;

// libc is linked into every Rust binary; declaring the two calls we need avoids a dev-dependency.
extern "C" {
    fn kill(pid: i32, sig: i32) -> i32;
    fn signal(signum: i32, handler: usize) -> usize;
}
const SIG_DFL: usize = 0;
const SIGQUIT: i32 = 3;

/// Sends `sig` to a process (positive pid) or a process group (negative pid).
pub fn send_signal(pid: i32, sig: i32) -> bool {
    // SAFETY: plain syscall wrapper, no memory involved.
    unsafe { kill(pid, sig) == 0 }
}

// ---------------------------------------------------------------------------------------------
// Temp dirs

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// A uniquely named directory under the system temp dir, removed on drop
/// (kept when `PLUGN_TEST_KEEP` is set, to debug a failure).
pub struct TempDir {
    path: PathBuf,
}

impl TempDir {
    pub fn new(tag: &str) -> TempDir {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let name = format!("plugn-it-{}-{}-{}-{}", tag, std::process::id(), n, nanos);
        let path = std::env::temp_dir().join(name);
        fs::create_dir_all(&path).expect("create temp dir");
        // Canonical, so paths printed by plugn (getcwd-based) compare equal.
        let path = fs::canonicalize(&path).expect("canonicalize temp dir");
        TempDir { path }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        if std::env::var_os("PLUGN_TEST_KEEP").is_some() {
            eprintln!("kept {}", self.path.display());
            return;
        }
        // Make everything writable first: a test may have removed permissions.
        for entry in walk(&self.path) {
            if let Ok(md) = fs::symlink_metadata(&entry) {
                if md.is_dir() {
                    let _ = fs::set_permissions(&entry, fs::Permissions::from_mode(0o755));
                }
            }
        }
        let _ = fs::remove_dir_all(&self.path);
    }
}

/// Every path below `root` (not following symlinks), root excluded.
pub fn walk(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(rd) = fs::read_dir(&dir) else { continue };
        for e in rd.flatten() {
            let p = e.path();
            if let Ok(ft) = e.file_type() {
                if ft.is_dir() {
                    stack.push(p.clone());
                }
            }
            out.push(p);
        }
    }
    out.sort();
    out
}

/// A comparable picture of a directory tree: kind, mode, symlink target, file content.
pub fn snapshot(root: &Path) -> BTreeMap<PathBuf, String> {
    let mut map = BTreeMap::new();
    for p in walk(root) {
        let rel = p.strip_prefix(root).unwrap().to_path_buf();
        let md = fs::symlink_metadata(&p).unwrap();
        let desc = if md.file_type().is_symlink() {
            format!("link -> {}", fs::read_link(&p).unwrap().display())
        } else if md.is_dir() {
            format!("dir {:o}", md.permissions().mode() & 0o7777)
        } else {
            format!(
                "file {:o} {:?}",
                md.permissions().mode() & 0o7777,
                String::from_utf8_lossy(&fs::read(&p).unwrap_or_default())
            )
        };
        map.insert(rel, desc);
    }
    map
}

pub fn write_file(path: &Path, content: &str, mode: u32) {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).unwrap();
    }
    fs::write(path, content).unwrap();
    fs::set_permissions(path, fs::Permissions::from_mode(mode)).unwrap();
}

pub fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

pub fn is_executable(path: &Path) -> bool {
    fs::metadata(path)
        .map(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        .unwrap_or(false)
}

pub fn exists_nofollow(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok()
}

pub fn s(p: &Path) -> String {
    p.to_str().expect("utf-8 path").to_string()
}

/// Bytes shown with escapes, for readable assertion messages.
pub fn show(b: &[u8]) -> String {
    format!("{:?}", String::from_utf8_lossy(b))
}

// ---------------------------------------------------------------------------------------------
// Expected text (spec §2.2 / Appendix A)

pub const HELP_BLOCK: &str = "\nAvailable commands:
  config                       Plugin configuration
  disable                      Disable a plugin
  enable                       Enable a plugin
  help                         Shows help information for a command
  init                         Initialize an empty plugin path
  install                      Install a new plugin from a Git URL
  list                         List all local plugins
  source                       Source commands for sourcable plugins
  trigger                      Triggers hook in enabled plugins
  uninstall                    Remove plugin from available plugins
  update                       Update plugin and optionally pin to commit/tag/branch
  version                      Show version

";

pub const CONFIG_BLOCK: &str = "Plugin configuration

Available commands:
  export                       Export plugin configuration
  get                          Get plugin configuration
  set                          Set plugin configuration

";

pub const NO_PLUGIN_PATH: &str = "!! PLUGIN_PATH is not set in environment\n";

/// `printf "  %-20s %-5s %-10s %s\n"` for ASCII fields.
pub fn list_line(name: &str, version: &str, status: &str, desc: &str) -> String {
    format!("  {name:<20} {version:<5} {status:<10} {desc}\n")
}

// ---------------------------------------------------------------------------------------------
// Plugin tree fixture

pub struct Fx {
    pub tmp: TempDir,
    /// Canonical temp root holding everything below.
    pub root: PathBuf,
    /// `HOME` for plugn (update writes its global git config here).
    pub home: PathBuf,
    /// `HOME` for the fixture's own git commands, so they never touch `home`.
    pub githome: PathBuf,
    /// Working directory for plugn runs.
    pub cwd: PathBuf,
    /// `PLUGIN_PATH`.
    pub pp: PathBuf,
}

impl Fx {
    /// A plugin path laid out like `plugn init` does: `available/`, `enabled/`, empty `config.toml`.
    pub fn new() -> Fx {
        let fx = Fx::bare();
        fs::create_dir_all(fx.pp.join("available")).unwrap();
        fs::create_dir_all(fx.pp.join("enabled")).unwrap();
        fs::write(fx.pp.join("config.toml"), "").unwrap();
        fx
    }

    /// Like `new`, but `PLUGIN_PATH` does not exist yet.
    pub fn bare() -> Fx {
        let tmp = TempDir::new("fx");
        let root = tmp.path().to_path_buf();
        let home = root.join("home");
        let githome = root.join("githome");
        let cwd = root.join("cwd");
        for d in [&home, &githome, &cwd] {
            fs::create_dir_all(d).unwrap();
        }
        let pp = root.join("plugins");
        Fx {
            tmp,
            root,
            home,
            githome,
            cwd,
            pp,
        }
    }

    pub fn p(&self) -> String {
        s(&self.pp)
    }

    pub fn avail(&self, name: &str) -> PathBuf {
        self.pp.join("available").join(name)
    }

    pub fn enabled(&self, name: &str) -> PathBuf {
        self.pp.join("enabled").join(name)
    }

    /// Spec helper `mkplugin NAME VER DESC`.
    pub fn mkplugin(&self, name: &str, ver: &str, desc: &str) {
        self.plugin_toml(
            name,
            &format!("[plugin]\ndescription = \"{desc}\"\nversion = \"{ver}\"\n[plugin.config]\n"),
        );
    }

    pub fn plugin_toml(&self, name: &str, content: &str) {
        write_file(&self.avail(name).join("plugin.toml"), content, 0o644);
    }

    /// Spec helper `hook NAME HOOK BODY`: an executable `#!/bin/bash` script.
    pub fn hook(&self, plugin: &str, hook: &str, body: &str) {
        write_file(
            &self.avail(plugin).join(hook),
            &format!("#!/bin/bash\n{body}\n"),
            0o755,
        );
    }

    /// `enabled/<name>` -> `<P>/available/<name>`, exactly what `plugn enable` creates.
    pub fn enable(&self, name: &str) {
        fs::create_dir_all(self.pp.join("enabled")).unwrap();
        symlink(self.avail(name), self.enabled(name)).unwrap();
    }

    /// A plugin with plugin.toml, enabled.
    pub fn plugin(&self, name: &str) {
        self.mkplugin(name, "1.0.0", name);
        self.enable(name);
    }

    pub fn marker(&self, name: &str) -> PathBuf {
        self.root.join("markers").join(name)
    }

    /// A hook body that records that it ran.
    pub fn touch_body(&self, name: &str) -> String {
        let m = self.marker(name);
        fs::create_dir_all(m.parent().unwrap()).unwrap();
        format!("touch '{}'", s(&m))
    }

    /// plugn with a cleared environment: PATH, HOME, PLUGIN_PATH and cwd set.
    pub fn cmd<S: AsRef<OsStr>>(&self, args: &[S]) -> Run {
        let mut run = Run::new(args, &self.cwd);
        run.cmd.env("HOME", &self.home);
        run.cmd.env("PLUGIN_PATH", &self.pp);
        run
    }

    /// Runs the fixture's own git in `dir` (asserting success), returns stdout.
    pub fn git(&self, dir: &Path, args: &[&str]) -> String {
        git_in(dir, &self.githome, args)
    }

    /// Runs `git` the way a user with plugn's `HOME` would (to inspect what plugn wrote).
    pub fn git_as_user(&self, dir: &Path, args: &[&str]) -> Out {
        let mut c = Command::new("git");
        c.args(args)
            .current_dir(dir)
            .env_clear()
            .env("PATH", SYS_PATH)
            .env("HOME", &self.home);
        c.env("GIT_CONFIG_NOSYSTEM", "1");
        Run::raw(c).run()
    }
}

pub fn git_in(dir: &Path, githome: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env_clear()
        .env("PATH", SYS_PATH)
        .env("HOME", githome)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "Test")
        .env("GIT_AUTHOR_EMAIL", "test@example.invalid")
        .env("GIT_COMMITTER_NAME", "Test")
        .env("GIT_COMMITTER_EMAIL", "test@example.invalid")
        .stdin(Stdio::null())
        .output()
        .expect("run git");
    assert!(
        out.status.success(),
        "git {args:?} in {} failed: {}",
        dir.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Dokku layout (§6.2): core plugins symlinked from plugins/available into core-plugins.
pub fn dokku_layout(fx: &Fx) -> PathBuf {
    let dk = fx.root.join("dk");
    let core = dk.join("core-plugins");
    let plugins = dk.join("plugins");
    for root in [&core, &plugins] {
        fs::create_dir_all(root.join("available")).unwrap();
        fs::create_dir_all(root.join("enabled")).unwrap();
        fs::write(root.join("config.toml"), "").unwrap();
    }
    for name in ["00_dokku-standard", "apps"] {
        let dir = core.join("available").join(name);
        write_file(
            &dir.join("plugin.toml"),
            &format!("[plugin]\ndescription = \"dokku core {name} plugin\"\nversion = \"0.38.27\"\n[plugin.config]\n"),
            0o644,
        );
        write_file(&dir.join(".core"), "", 0o644);
        write_file(
            &dir.join("post-deploy"),
            "#!/bin/bash\necho \"$(basename \"$(dirname \"$0\")\") $*\"\n",
            0o755,
        );
        symlink_to(&dir, plugins.join("available").join(name));
        symlink_to(&dir, core.join("enabled").join(name));
        symlink_to(
            plugins.join("available").join(name),
            plugins.join("enabled").join(name),
        );
    }
    let community = plugins.join("available").join("community");
    write_file(&community.join("plugin.toml"), &smoke_toml("0.2.0"), 0o644);
    write_file(
        &community.join("post-deploy"),
        "#!/bin/bash\necho \"$(basename \"$(dirname \"$0\")\") $*\"\n",
        0o755,
    );
    symlink_to(&community, plugins.join("enabled").join("community"));
    dk
}

// ---------------------------------------------------------------------------------------------
// Running plugn

enum Input {
    Null,
    Bytes(Vec<u8>),
    Pipe(Vec<u8>),
}

pub struct Run {
    pub cmd: Command,
    input: Input,
    timeout: Duration,
}

impl Run {
    fn new<S: AsRef<OsStr>>(args: &[S], cwd: &Path) -> Run {
        let mut cmd = Command::new(bin());
        cmd.args(args)
            .current_dir(cwd)
            .env_clear()
            .env("PATH", SYS_PATH);
        // The fixture's git must not read /etc/gitconfig (credential helpers etc.).
        cmd.env("GIT_CONFIG_NOSYSTEM", "1");
        Run {
            cmd,
            input: Input::Null,
            timeout: DEFAULT_TIMEOUT,
        }
    }

    /// Any command, with the same timeout/capture machinery.
    pub fn raw(cmd: Command) -> Run {
        Run {
            cmd,
            input: Input::Null,
            timeout: DEFAULT_TIMEOUT,
        }
    }

    pub fn env<K: AsRef<OsStr>, V: AsRef<OsStr>>(mut self, k: K, v: V) -> Run {
        self.cmd.env(k, v);
        self
    }

    pub fn env_remove<K: AsRef<OsStr>>(mut self, k: K) -> Run {
        self.cmd.env_remove(k);
        self
    }

    pub fn no_plugin_path(self) -> Run {
        self.env_remove("PLUGIN_PATH")
    }

    pub fn cwd<P: AsRef<Path>>(mut self, dir: P) -> Run {
        self.cmd.current_dir(dir);
        self
    }

    /// stdin is a regular file with this content (one shared open file description).
    pub fn stdin(mut self, data: &[u8]) -> Run {
        self.input = Input::Bytes(data.to_vec());
        self
    }

    /// stdin is a pipe; all of `data` is written and the pipe closed before waiting.
    pub fn stdin_pipe(mut self, data: &[u8]) -> Run {
        self.input = Input::Pipe(data.to_vec());
        self
    }

    pub fn timeout(mut self, t: Duration) -> Run {
        self.timeout = t;
        self
    }

    pub fn spawn(mut self) -> Running {
        let mut pipe_data = None;
        match std::mem::replace(&mut self.input, Input::Null) {
            Input::Null => {
                self.cmd.stdin(Stdio::null());
            }
            Input::Bytes(b) => {
                let t = TempDir::new("stdin");
                let f = t.path().join("stdin");
                fs::write(&f, &b).unwrap();
                let file = fs::File::open(&f).unwrap();
                self.cmd.stdin(Stdio::from(file));
                // The open fd keeps the data alive; the dir can go.
                drop(t);
            }
            Input::Pipe(b) => {
                self.cmd.stdin(Stdio::piped());
                pipe_data = Some(b);
            }
        }
        self.cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
        // Own process group: on timeout we can kill plugn *and* its hooks.
        self.cmd.process_group(0);
        // SAFETY: only async-signal-safe calls between fork and exec. The test harness may
        // itself run with SIGINT/SIGQUIT ignored (background job); give plugn the defaults a
        // terminal user would have.
        unsafe {
            self.cmd.pre_exec(|| {
                signal(SIGINT, SIG_DFL);
                signal(SIGQUIT, SIG_DFL);
                Ok(())
            });
        }
        let mut child = self
            .cmd
            .spawn()
            .unwrap_or_else(|e| panic!("spawn {}: {e}", bin().display()));
        if let Some(data) = pipe_data {
            let mut stdin = child.stdin.take().unwrap();
            thread::spawn(move || {
                let _ = stdin.write_all(&data);
            });
        }
        let (tx, rx) = mpsc::channel();
        let mut out = child.stdout.take().unwrap();
        let tx1 = tx.clone();
        thread::spawn(move || {
            let mut b = Vec::new();
            let _ = out.read_to_end(&mut b);
            let _ = tx1.send((1, b));
        });
        let mut err = child.stderr.take().unwrap();
        thread::spawn(move || {
            let mut b = Vec::new();
            let _ = err.read_to_end(&mut b);
            let _ = tx.send((2, b));
        });
        Running {
            child,
            rx,
            deadline: Instant::now() + self.timeout,
        }
    }

    pub fn run(self) -> Out {
        self.spawn().wait()
    }
}

pub struct Running {
    child: Child,
    rx: mpsc::Receiver<(u8, Vec<u8>)>,
    deadline: Instant,
}

impl Running {
    pub fn pid(&self) -> i32 {
        self.child.id() as i32
    }

    pub fn signal(&self, sig: i32) {
        assert!(
            send_signal(self.pid(), sig),
            "kill({}, {sig}) failed",
            self.pid()
        );
    }

    /// Kills the whole process group (plugn and any hooks) and fails the test.
    fn abort(&mut self, why: &str) -> ! {
        send_signal(-self.pid(), SIGKILL);
        let _ = self.child.wait();
        panic!("plugn {why} (process group killed)");
    }

    pub fn wait(mut self) -> Out {
        let status = loop {
            match self.child.try_wait() {
                Ok(Some(st)) => break st,
                Ok(None) => {}
                Err(e) => panic!("wait: {e}"),
            }
            if Instant::now() >= self.deadline {
                self.abort("timed out");
            }
            thread::sleep(Duration::from_millis(5));
        };
        let mut stdout = None;
        let mut stderr = None;
        while stdout.is_none() || stderr.is_none() {
            let left = self
                .deadline
                .saturating_duration_since(Instant::now())
                .max(Duration::from_secs(2));
            match self.rx.recv_timeout(left) {
                Ok((1, b)) => stdout = Some(b),
                Ok((_, b)) => stderr = Some(b),
                Err(_) => {
                    // Some process (an orphaned hook) still holds the pipes open.
                    send_signal(-self.pid(), SIGKILL);
                    panic!("plugn exited ({status:?}) but its stdout/stderr stayed open (leaked hook?)");
                }
            }
        }
        Out {
            stdout: stdout.unwrap(),
            stderr: stderr.unwrap(),
            status,
        }
    }
}

pub struct Out {
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    pub status: ExitStatus,
}

impl Out {
    pub fn out(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }

    pub fn err(&self) -> String {
        String::from_utf8_lossy(&self.stderr).into_owned()
    }

    pub fn code(&self) -> Option<i32> {
        self.status.code()
    }

    fn context(&self) -> String {
        format!(
            "\n  status: {:?} (signal {:?})\n  stdout: {}\n  stderr: {}",
            self.status.code(),
            self.status.signal(),
            show(&self.stdout),
            show(&self.stderr)
        )
    }

    /// Exact stdout and exit code.
    #[track_caller]
    pub fn ok(&self, stdout: &str, code: i32) -> &Out {
        assert!(
            self.stdout == stdout.as_bytes() && self.status.code() == Some(code),
            "expected stdout {} and exit {code}, got:{}",
            show(stdout.as_bytes()),
            self.context()
        );
        self
    }

    #[track_caller]
    pub fn code_is(&self, code: i32) -> &Out {
        assert!(
            self.status.code() == Some(code),
            "expected exit {code}, got:{}",
            self.context()
        );
        self
    }

    #[track_caller]
    pub fn stdout_is(&self, stdout: &str) -> &Out {
        assert!(
            self.stdout == stdout.as_bytes(),
            "expected stdout {}, got:{}",
            show(stdout.as_bytes()),
            self.context()
        );
        self
    }

    #[track_caller]
    pub fn err_has(&self, needle: &str) -> &Out {
        assert!(
            self.err().contains(needle),
            "stderr should contain {needle:?}, got:{}",
            self.context()
        );
        self
    }

    #[track_caller]
    pub fn err_lacks(&self, needle: &str) -> &Out {
        assert!(
            !self.err().contains(needle),
            "stderr should not contain {needle:?}, got:{}",
            self.context()
        );
        self
    }

    #[track_caller]
    pub fn err_empty(&self) -> &Out {
        assert!(
            self.stderr.is_empty(),
            "stderr should be empty, got:{}",
            self.context()
        );
        self
    }

    /// The fixed behaviour for refused names: exit 1, empty stdout, "invalid" on stderr.
    #[track_caller]
    pub fn refused(&self) -> &Out {
        assert!(
            self.status.code() == Some(1)
                && self.stdout.is_empty()
                && self.err().to_lowercase().contains("invalid"),
            "expected a refusal (exit 1, empty stdout, stderr containing \"invalid\"), got:{}",
            self.context()
        );
        self
    }

    #[track_caller]
    pub fn max_err_lines(&self, n: usize) -> &Out {
        let lines = self.err().lines().count();
        assert!(
            lines <= n,
            "stderr should have at most {n} line(s), got {lines}:{}",
            self.context()
        );
        self
    }
}

// ---------------------------------------------------------------------------------------------
// Upstream material: git repo and tarballs (spec §8 fixtures)

pub const SMOKE_TRIGGER: &str = "#!/bin/bash\necho \"triggered smoke-test-plugin $*\"\n";

pub fn smoke_toml(version: &str) -> String {
    format!("[plugin]\ndescription = \"smoke test\"\nversion = \"{version}\"\n[plugin.config]\n")
}

/// `$R`: repo `smoke-test-plugin` on `main`: commit 1 (0.1.0, tag v0.1.0), commit 2 (0.2.0,
/// tag v0.2.0); branch `testing` (0.3.0-testing). Returns its path.
pub fn smoke_repo(fx: &Fx) -> PathBuf {
    let r = fx.root.join("repos").join("smoke-test-plugin");
    fs::create_dir_all(&r).unwrap();
    fx.git(&r, &["init", "-q", "-b", "main"]);
    write_file(&r.join("plugin.toml"), &smoke_toml("0.1.0"), 0o644);
    write_file(&r.join("trigger"), SMOKE_TRIGGER, 0o755);
    fx.git(&r, &["add", "-A"]);
    fx.git(&r, &["commit", "-q", "-m", "v0.1.0"]);
    fx.git(&r, &["tag", "v0.1.0"]);
    write_file(&r.join("plugin.toml"), &smoke_toml("0.2.0"), 0o644);
    fx.git(&r, &["commit", "-q", "-am", "v0.2.0"]);
    fx.git(&r, &["tag", "v0.2.0"]);
    fx.git(&r, &["checkout", "-q", "-b", "testing"]);
    write_file(&r.join("plugin.toml"), &smoke_toml("0.3.0-testing"), 0o644);
    fx.git(&r, &["commit", "-q", "-am", "testing"]);
    fx.git(&r, &["checkout", "-q", "main"]);
    r
}

/// Adds a commit changing the version on `branch` of `r`; returns the new commit id.
pub fn repo_commit(fx: &Fx, r: &Path, branch: &str, version: &str) -> String {
    fx.git(r, &["checkout", "-q", branch]);
    write_file(&r.join("plugin.toml"), &smoke_toml(version), 0o644);
    fx.git(r, &["commit", "-q", "-am", version]);
    let id = fx.git(r, &["rev-parse", "HEAD"]).trim().to_string();
    fx.git(r, &["checkout", "-q", "main"]);
    id
}

pub fn file_url(p: &Path) -> String {
    format!("file://{}", s(p))
}

/// Directory with `v0.3.0.tar.gz` (single top dir `smoke-test-plugin-0.3.0/`, incl. a
/// dotfile), `flat.tgz` (no top dir) and `bad.tar.gz` (not gzip). `missing.tar.gz` is absent.
pub fn tarballs(fx: &Fx) -> PathBuf {
    let dir = fx.root.join("tarballs");
    let src = fx.root.join("tarsrc");
    let top = src.join("smoke-test-plugin-0.3.0");
    write_file(&top.join("plugin.toml"), &smoke_toml("0.3.0"), 0o644);
    write_file(&top.join("trigger"), SMOKE_TRIGGER, 0o755);
    write_file(&top.join(".dotfile"), "dot\n", 0o644);
    let flat = fx.root.join("flatsrc");
    write_file(&flat.join("plugin.toml"), &smoke_toml("0.4.0-flat"), 0o644);
    write_file(&flat.join("trigger"), SMOKE_TRIGGER, 0o755);
    fs::create_dir_all(&dir).unwrap();
    tar(&[
        "czf",
        &s(&dir.join("v0.3.0.tar.gz")),
        "-C",
        &s(&src),
        "smoke-test-plugin-0.3.0",
    ]);
    tar(&[
        "czf",
        &s(&dir.join("flat.tgz")),
        "-C",
        &s(&flat),
        "plugin.toml",
        "trigger",
    ]);
    fs::write(dir.join("bad.tar.gz"), "this is not a gzip stream\n").unwrap();
    dir
}

fn tar(args: &[&str]) {
    let st = Command::new("tar")
        .args(args)
        .env_clear()
        .env("PATH", SYS_PATH)
        .status()
        .expect("run tar");
    assert!(st.success(), "tar {args:?} failed");
}

// ---------------------------------------------------------------------------------------------
// Loopback HTTP/1.0 file server

/// Serves the files below `dir` on 127.0.0.1:<random>, one request per connection, 404 for
/// anything missing. Stops when dropped, or by itself after 60 s.
pub struct HttpServer {
    pub port: u16,
    stop: Arc<AtomicBool>,
    handle: Option<thread::JoinHandle<()>>,
}

impl HttpServer {
    pub fn start(dir: &Path) -> HttpServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        listener.set_nonblocking(true).unwrap();
        let port = listener.local_addr().unwrap().port();
        let stop = Arc::new(AtomicBool::new(false));
        let stop2 = stop.clone();
        let dir = dir.to_path_buf();
        let handle = thread::spawn(move || {
            let end = Instant::now() + Duration::from_secs(60);
            while !stop2.load(Ordering::SeqCst) && Instant::now() < end {
                match listener.accept() {
                    Ok((stream, _)) => serve_one(stream, &dir),
                    Err(ref e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                        thread::sleep(Duration::from_millis(2));
                    }
                    Err(_) => break,
                }
            }
        });
        HttpServer {
            port,
            stop,
            handle: Some(handle),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!(
            "http://127.0.0.1:{}/{}",
            self.port,
            path.trim_start_matches('/')
        )
    }
}

impl Drop for HttpServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
    }
}

fn serve_one(mut stream: TcpStream, dir: &Path) {
    let _ = stream.set_nonblocking(false);
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let _ = stream.set_write_timeout(Some(Duration::from_secs(5)));
    let mut req = Vec::new();
    let mut buf = [0u8; 4096];
    while !req.windows(4).any(|w| w == b"\r\n\r\n") && req.len() < 65536 {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => req.extend_from_slice(&buf[..n]),
        }
    }
    let text = String::from_utf8_lossy(&req);
    let mut parts = text.split_whitespace();
    let method = parts.next().unwrap_or("");
    let target = parts.next().unwrap_or("/");
    let path = target
        .split('?')
        .next()
        .unwrap_or("/")
        .trim_start_matches('/');
    let file = if path.split('/').any(|c| c == "..") {
        None
    } else {
        Some(dir.join(path))
    };
    let body = match file {
        Some(f) if (method == "GET" || method == "HEAD") && f.is_file() => fs::read(f).ok(),
        _ => None,
    };
    let resp = match body {
        Some(b) => {
            let mut r = format!(
                "HTTP/1.0 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                b.len()
            )
            .into_bytes();
            if method == "GET" {
                r.extend_from_slice(&b);
            }
            r
        }
        None => b"HTTP/1.0 404 Not Found\r\nContent-Type: text/plain\r\nContent-Length: 10\r\nConnection: close\r\n\r\nnot found\n"
            .to_vec(),
    };
    let _ = stream.write_all(&resp);
    let _ = stream.flush();
}

// ---------------------------------------------------------------------------------------------
// Small helpers for signal tests

/// Polls (bounded) until `path` holds a complete line; returns its trimmed content.
pub fn wait_for_file(path: &Path, limit: Duration) -> String {
    let end = Instant::now() + limit;
    loop {
        if let Ok(c) = fs::read_to_string(path) {
            if c.ends_with('\n') {
                return c.trim().to_string();
            }
        }
        assert!(
            Instant::now() < end,
            "timed out waiting for {}",
            path.display()
        );
        thread::sleep(Duration::from_millis(5));
    }
}

/// True if `pid` exists and is not a zombie.
pub fn process_alive(pid: i32) -> bool {
    match fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(stat) => {
            // state is the field after the parenthesised command name
            let after = stat
                .rsplit_once(')')
                .map(|(_, r)| r.trim_start())
                .unwrap_or("");
            !after.starts_with('Z') && !after.starts_with('X')
        }
        Err(_) => false,
    }
}

pub fn symlink_to<P: AsRef<Path>, Q: AsRef<Path>>(target: P, link: Q) {
    if let Some(parent) = link.as_ref().parent() {
        fs::create_dir_all(parent).unwrap();
    }
    symlink(target, link).unwrap();
}
