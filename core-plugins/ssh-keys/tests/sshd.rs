//! The whole ssh path against a real OpenSSH server: a key added with `dokku ssh-keys:add`
//! lets `ssh dokku-rs-test@127.0.0.1 <command>` reach the installed `dokku` through the
//! forced command, with NAME and FINGERPRINT, and no SSH_ORIGINAL_COMMAND ever reaches a
//! shell as code.
//!
//! Needs root (sshd, a system account) and openssh-server; without root it prints why it
//! is skipped. The sshd runs from a config in the temporary root, on a free loopback port,
//! and is killed on drop even when an assertion fails.

use std::fs;
use std::io::Read;
use std::net::{TcpListener, TcpStream};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use dokku_rs_testkit::{Root, Run};

const TEST_USER: &str = "dokku-rs-test";
const SSHD: &str = "/usr/sbin/sshd";
const CALL_TIMEOUT: Duration = Duration::from_secs(60);

fn is_root() -> bool {
    let out = Command::new("id").arg("-u").output().expect("id -u");
    String::from_utf8_lossy(&out.stdout).trim() == "0"
}

#[track_caller]
fn run_ok(cmd: &mut Command) -> String {
    let out = cmd
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The test account, with `home` as its home (like `~dokku` is DOKKU_ROOT) and a password
/// field sshd does not treat as locked. Returns (uid, gid).
fn ensure_user(home: &Path) -> (u32, u32) {
    let exists = Command::new("id")
        .arg("-u")
        .arg(TEST_USER)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .unwrap()
        .success();
    if exists {
        run_ok(Command::new("usermod").arg("--home").arg(home).args([
            "--shell",
            "/bin/bash",
            TEST_USER,
        ]));
    } else {
        run_ok(
            Command::new("useradd")
                .args([
                    "--system",
                    "--user-group",
                    "--no-create-home",
                    "--shell",
                    "/bin/bash",
                    "--home-dir",
                ])
                .arg(home)
                .arg(TEST_USER),
        );
    }
    // useradd leaves `!` (locked); sshd refuses even key logins to locked accounts.
    run_ok(Command::new("usermod").args(["-p", "*", TEST_USER]));
    let uid = run_ok(Command::new("id").args(["-u", TEST_USER]))
        .trim()
        .parse()
        .unwrap();
    let gid = run_ok(Command::new("id").args(["-g", TEST_USER]))
        .trim()
        .parse()
        .unwrap();
    (uid, gid)
}

fn chown_tree(path: &Path, uid: u32, gid: u32) {
    std::os::unix::fs::lchown(path, Some(uid), Some(gid)).unwrap();
    if fs::symlink_metadata(path).unwrap().is_dir() {
        for entry in fs::read_dir(path).unwrap() {
            chown_tree(&entry.unwrap().path(), uid, gid);
        }
    }
}

fn keygen(path: &Path) -> String {
    run_ok(
        Command::new("ssh-keygen")
            .args(["-q", "-t", "ed25519", "-N", "", "-C", "test@client", "-f"])
            .arg(path),
    );
    let out = run_ok(
        Command::new("ssh-keygen")
            .arg("-lf")
            .arg(path.with_extension("pub")),
    );
    out.split_whitespace().nth(1).unwrap().to_string()
}

/// Run a command to completion, killing it after `timeout`.
fn run_with_timeout(cmd: &mut Command, timeout: Duration) -> Run {
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out_reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = stdout.read_to_end(&mut buf);
        buf
    });
    let err_reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = stderr.read_to_end(&mut buf);
        buf
    });
    let deadline = Instant::now() + timeout;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{cmd:?} timed out after {timeout:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Run::from(std::process::Output {
        status,
        stdout: out_reader.join().unwrap(),
        stderr: err_reader.join().unwrap(),
    })
}

/// A running sshd; killed and reaped on drop.
struct Sshd {
    child: Child,
    port: u16,
    log: PathBuf,
}

impl Drop for Sshd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl Sshd {
    fn start(work: &Path, authorized_keys: &Path, set_env: &str) -> Sshd {
        // sshd insists on its privilege separation directory; the package's service creates it.
        fs::create_dir_all("/run/sshd").unwrap();
        let host_key = work.join("host_ed25519");
        keygen(&host_key);
        let log = work.join("sshd.log");
        for _attempt in 0..3 {
            let port = free_port();
            let config = work.join("sshd_config");
            fs::write(
                &config,
                format!(
                    "Port {port}\nListenAddress 127.0.0.1\nHostKey {}\nPidFile {}\nAuthorizedKeysFile {}\n\
                     StrictModes no\nUsePAM no\nPubkeyAuthentication yes\nPasswordAuthentication no\n\
                     KbdInteractiveAuthentication no\nPermitRootLogin no\nAllowUsers {TEST_USER}\n\
                     AllowTcpForwarding no\nX11Forwarding no\nPrintMotd no\nPrintLastLog no\n\
                     SetEnv {set_env}\nLogLevel VERBOSE\n",
                    host_key.display(),
                    work.join("sshd.pid").display(),
                    authorized_keys.display(),
                ),
            )
            .unwrap();
            let child = Command::new(SSHD)
                .arg("-D")
                .arg("-e")
                .arg("-f")
                .arg(&config)
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(fs::File::create(&log).unwrap())
                .spawn()
                .expect("start sshd");
            let mut sshd = Sshd {
                child,
                port,
                log: log.clone(),
            };
            let deadline = Instant::now() + Duration::from_secs(10);
            while Instant::now() < deadline {
                if sshd.child.try_wait().unwrap().is_some() {
                    break;
                }
                if TcpStream::connect(("127.0.0.1", port)).is_ok() {
                    return sshd;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            drop(sshd); // maybe lost the port race: try another
        }
        panic!(
            "sshd did not start:\n{}",
            fs::read_to_string(&log).unwrap_or_default()
        );
    }

    fn log(&self) -> String {
        fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// `ssh dokku-rs-test@127.0.0.1 <command>` with `key`, the command passed verbatim.
    fn ssh(&self, key: &Path, command: &str) -> Run {
        let mut cmd = Command::new("ssh");
        cmd.args(["-F", "/dev/null", "-T", "-i"])
            .arg(key)
            .args(["-p", &self.port.to_string()])
            .args([
                "-o",
                "IdentitiesOnly=yes",
                "-o",
                "BatchMode=yes",
                "-o",
                "StrictHostKeyChecking=no",
            ])
            .args([
                "-o",
                "UserKnownHostsFile=/dev/null",
                "-o",
                "GlobalKnownHostsFile=/dev/null",
            ])
            .args(["-o", "LogLevel=ERROR", "-o", "ConnectTimeout=10"])
            // `--` so that nothing after the destination is read as an ssh option.
            .args(["--", &format!("{TEST_USER}@127.0.0.1"), command]);
        run_with_timeout(&mut cmd, CALL_TIMEOUT)
    }
}

#[test]
fn real_sshd_forced_command() {
    if !is_root() {
        println!("SKIPPED real_sshd_forced_command: running sshd and creating the {TEST_USER} account need root");
        eprintln!("SKIPPED real_sshd_forced_command: running sshd and creating the {TEST_USER} account need root");
        return;
    }
    assert!(
        Path::new(SSHD).exists(),
        "{SSHD} is missing: apt-get install -y openssh-server"
    );

    // Declared before the sshd guard so it is removed after sshd is gone.
    let root = Root::new();
    fs::set_permissions(&root.dir, fs::Permissions::from_mode(0o755)).unwrap();
    let home = root.home();
    let (uid, gid) = ensure_user(&home);
    // The account owns its home, as dokku owns ~dokku.
    chown_tree(&home, uid, gid);
    let work = root.dir.join("sshd");
    fs::create_dir(&work).unwrap();
    fs::set_permissions(&work, fs::Permissions::from_mode(0o700)).unwrap();

    // A community plugin whose user-auth trigger records what dokku saw.
    let auth_log = root.dir.join("user-auth.log");
    fs::write(&auth_log, "").unwrap();
    chown_tree(&auth_log, uid, gid);
    root.write_exec(
        "lib/plugins/available/authlog/plugin.toml",
        "[plugin]\ndescription = \"test\"\nversion = \"0.1.0\"\n[plugin.config]\n",
    );
    root.write_exec(
        "lib/plugins/available/authlog/user-auth",
        &format!(
            "#!/usr/bin/env bash\nprintf '%s|%s|%s|%s\\n' \"$SSH_USER\" \"$SSH_NAME\" \"$FINGERPRINT\" \"$*\" >> {}\nexit 0\n",
            auth_log.display()
        ),
    );
    root.plugn(&["enable", "authlog"]).ok();

    // Anything a command injection would create lands here (writable by the account).
    let markers = root.dir.join("markers");
    fs::create_dir(&markers).unwrap();
    fs::set_permissions(&markers, fs::Permissions::from_mode(0o777)).unwrap();

    // The key is added the way an operator does it: root runs ssh-keys:add.
    let client_key = work.join("client");
    let fingerprint = keygen(&client_key);
    let as_operator = |args: &[&str]| {
        let mut cmd = root.command(root.bin("dokku"));
        cmd.env("DOKKU_SYSTEM_USER", TEST_USER)
            .env("DOKKU_SYSTEM_GROUP", TEST_USER)
            .args(args);
        run_with_timeout(&mut cmd, CALL_TIMEOUT)
    };
    as_operator(&[
        "ssh-keys:add",
        "admin",
        client_key.with_extension("pub").to_str().unwrap(),
    ])
    .ok()
    .stdout(&format!("{fingerprint}\n"));
    let authorized_keys = home.join(".ssh/authorized_keys");
    let meta = fs::metadata(&authorized_keys).unwrap();
    assert_eq!(
        (meta.uid(), meta.gid(), meta.mode() & 0o7777),
        (uid, gid, 0o600)
    );
    assert_eq!(fs::metadata(home.join(".ssh")).unwrap().uid(), uid);

    // `.sshcommand` is the installer's (the temp root's dokku); sshd supplies the
    // environment an installed dokku would find in its defaults.
    assert_eq!(
        fs::read_to_string(home.join(".sshcommand")).unwrap(),
        format!("{}\n", root.bin("dokku").display())
    );
    let set_env = format!(
        "DOKKU_ROOT={} DOKKU_LIB_PATH={} DOKKU_LOGS_DIR={} DOKKU_SYSTEM_USER={TEST_USER} DOKKU_SYSTEM_GROUP={TEST_USER}",
        home.display(),
        root.lib().display(),
        root.dir.join("log").display()
    );
    let sshd = Sshd::start(&work, &authorized_keys, &set_env);

    let version = root.dokku(&["version"]);
    version.ok();
    assert!(version.stdout.starts_with("dokku version "));
    let r = sshd.ssh(&client_key, "version");
    assert_eq!(
        r.code,
        0,
        "ssh version failed: {r:?}\nsshd log:\n{}",
        sshd.log()
    );
    r.stdout(&version.stdout).stderr("");
    let help = root.dokku(&["help"]);
    help.ok();
    sshd.ssh(&client_key, "help")
        .ok()
        .stdout(&help.stdout)
        .stderr("");
    sshd.ssh(&client_key, "ssh-keys:list").ok().stdout(&format!(
        "{fingerprint} NAME=\"admin\" SSHCOMMAND_ALLOWED_KEYS=\"no-agent-forwarding,no-user-rc,no-X11-forwarding,no-port-forwarding\"\n"
    ));
    // Root-only commands cannot be run over ssh.
    sshd.ssh(&client_key, "ssh-keys:remove admin")
        .code(1)
        .stdout("")
        .stderr(" !     This command must be run as root\n");

    // NAME and FINGERPRINT from the key's line reached dokku and its user-auth trigger.
    let log = fs::read_to_string(&auth_log).unwrap();
    assert!(
        log.lines()
            .any(|l| l == format!("{TEST_USER}|admin|{fingerprint}|{TEST_USER} admin version")),
        "user-auth log:\n{log}"
    );

    // Hostile commands: each is split into plain words by dokku and never run by a shell.
    let m = markers.display().to_string();
    let not_a_command = |words: &str| {
        format!(" !     `{words}` is not a dokku command.\n !     See `dokku help` for a list of available commands.\n")
    };
    let cases: Vec<(String, Option<Vec<String>>)> = vec![
        (
            format!("version; touch {m}/semicolon"),
            Some(vec![
                "version;".into(),
                "touch".into(),
                format!("{m}/semicolon"),
            ]),
        ),
        (
            format!("version && touch {m}/and"),
            Some(vec![
                "version".into(),
                "&&".into(),
                "touch".into(),
                format!("{m}/and"),
            ]),
        ),
        (
            format!("version | touch {m}/pipe"),
            Some(vec![
                "version".into(),
                "|".into(),
                "touch".into(),
                format!("{m}/pipe"),
            ]),
        ),
        (
            format!("$(touch {m}/subst)"),
            Some(vec!["$(touch".into(), format!("{m}/subst)")]),
        ),
        (
            format!("`touch {m}/backtick`"),
            Some(vec!["`touch".into(), format!("{m}/backtick`")]),
        ),
        (
            format!("version\ntouch {m}/newline"),
            Some(vec![
                "version".into(),
                "touch".into(),
                format!("{m}/newline"),
            ]),
        ),
        (
            format!("'; touch {m}/single; '"),
            Some(vec![format!("; touch {m}/single; ")]),
        ),
        (
            format!("\"; touch {m}/double; \""),
            Some(vec![format!("; touch {m}/double; ")]),
        ),
        (
            format!("version > {m}/redirect"),
            Some(vec!["version".into(), ">".into(), format!("{m}/redirect")]),
        ),
        (
            format!("help $(touch {m}/help)"),
            Some(vec!["help".into(), "$(touch".into(), format!("{m}/help)")]),
        ),
        (
            "NAME=evil version".into(),
            Some(vec!["NAME=evil".into(), "version".into()]),
        ),
        (format!("git-upload-pack '$(touch {m}/git)'"), None),
        (format!("git;touch {m}/gitsemi"), None),
    ];
    for (command, words) in &cases {
        let remote = sshd.ssh(&client_key, command);
        if let Some(words) = words {
            // Exactly what dokku run locally with those words prints.
            let args: Vec<&str> = words.iter().map(String::as_str).collect();
            let local = root.dokku(&args);
            assert_eq!(
                (remote.code, &remote.stdout, &remote.stderr),
                (local.code, &local.stdout, &local.stderr),
                "ssh {command:?} differs from dokku {words:?}"
            );
            if !["version", "help"].contains(&args[0]) {
                remote
                    .code(1)
                    .stdout("")
                    .stderr(&not_a_command(&words.join(" ")));
            }
        } else {
            assert_ne!(remote.code, 0, "ssh {command:?}: {remote:?}");
        }
        assert_ne!(
            remote.code, 255,
            "ssh itself failed for {command:?}: {remote:?}"
        );
    }
    // An unbalanced quote: dokku refuses the whole command.
    sshd.ssh(
        &client_key,
        &format!("version 'unbalanced; touch {m}/quote"),
    )
    .code(1)
    .stdout("")
    .stderr_has("unmatched single quote");
    let created: Vec<_> = fs::read_dir(&markers)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(created.is_empty(), "commands were executed: {created:?}");
    // Over ssh the key name stays the key's, whatever the command said (the local runs
    // above log as root with the default name).
    let log = fs::read_to_string(&auth_log).unwrap();
    let remote: Vec<&str> = log
        .lines()
        .filter(|l| l.starts_with(&format!("{TEST_USER}|")))
        .collect();
    assert!(remote.len() > cases.len(), "user-auth log:\n{log}");
    assert!(
        remote
            .iter()
            .all(|l| l.starts_with(&format!("{TEST_USER}|admin|{fingerprint}|"))),
        "user-auth log:\n{log}"
    );

    // Another key is refused; after ssh-keys:remove so is this one.
    let stranger = work.join("stranger");
    keygen(&stranger);
    sshd.ssh(&stranger, "version").code(255).stdout("");
    as_operator(&["ssh-keys:remove", "admin"]).ok();
    sshd.ssh(&client_key, "version").code(255).stdout("");
}
