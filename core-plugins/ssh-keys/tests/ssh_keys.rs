//! ssh-keys against an installed temporary root: every command, message and exit status,
//! and the exact authorized_keys bytes. Runs unprivileged; as root, `add`/`remove` also go
//! through `dokku` (they are root-only there), otherwise through the installed subcommand.

use std::fs;
use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use dokku_rs_testkit::{Root, Run};

const OPTS: &str = "no-agent-forwarding,no-user-rc,no-X11-forwarding,no-port-forwarding";
const SSHCOMMAND_FAILED: &str = " !     sshcommand returned an error: 1\n";

fn is_root() -> bool {
    let out = Command::new("id").arg("-u").output().expect("id -u");
    String::from_utf8_lossy(&out.stdout).trim() == "0"
}

fn current_user() -> String {
    let out = Command::new("id").arg("-un").output().expect("id -un");
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// A generated ed25519 key pair.
struct Key {
    public: PathBuf,
    line: String,
    fingerprint: String,
}

fn keygen(dir: &Path, name: &str, comment: &str) -> Key {
    fs::create_dir_all(dir).unwrap();
    let private = dir.join(name);
    let st = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-C", comment, "-f"])
        .arg(&private)
        .stdin(Stdio::null())
        .status()
        .expect("ssh-keygen");
    assert!(st.success());
    let public = dir.join(format!("{name}.pub"));
    let line = fs::read_to_string(&public)
        .unwrap()
        .trim_end_matches('\n')
        .to_string();
    let out = Command::new("ssh-keygen")
        .arg("-lf")
        .arg(&public)
        .output()
        .unwrap();
    let fingerprint = String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .nth(1)
        .unwrap()
        .to_string();
    assert!(fingerprint.starts_with("SHA256:"));
    Key {
        public,
        line,
        fingerprint,
    }
}

struct T {
    root: Root,
}

enum Input<'a> {
    Null,
    Pipe(&'a [u8]),
    File(&'a Path),
}

impl T {
    fn new() -> T {
        T { root: Root::new() }
    }

    fn keys_dir(&self) -> PathBuf {
        self.root.dir.join("keys")
    }

    fn key(&self, name: &str) -> Key {
        keygen(&self.keys_dir(), name, &format!("{name}@example"))
    }

    fn authorized_keys(&self) -> PathBuf {
        self.root.home().join(".ssh/authorized_keys")
    }

    fn file(&self) -> String {
        fs::read_to_string(self.authorized_keys()).unwrap()
    }

    fn set_file(&self, content: &str) {
        fs::write(self.authorized_keys(), content).unwrap();
    }

    fn line(&self, key: &Key, name: &str) -> String {
        format!(
            "command=\"FINGERPRINT={} NAME=\\\"{name}\\\" `cat {}/.sshcommand` $SSH_ORIGINAL_COMMAND\",{OPTS} {}\n",
            key.fingerprint,
            self.root.home().display(),
            key.line
        )
    }

    /// `ssh-keys:<sub> args...` with the given stdin and extra environment.
    fn run_env(&self, sub: &str, args: &[&str], input: Input, env: &[(&str, &str)]) -> Run {
        let root_only = matches!(sub, "add" | "remove");
        let mut cmd = if root_only && !is_root() {
            let mut c = self.root.command(
                self.root
                    .lib()
                    .join("plugins/enabled/ssh-keys/subcommands")
                    .join(sub),
            );
            c.arg(format!("ssh-keys:{sub}"));
            c
        } else {
            let mut c = self.root.command(self.root.bin("dokku"));
            c.arg(format!("ssh-keys:{sub}"));
            c
        };
        cmd.args(args)
            .envs(env.iter().copied())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        match input {
            Input::Null => {
                cmd.stdin(Stdio::null());
            }
            Input::Pipe(_) => {
                cmd.stdin(Stdio::piped());
            }
            Input::File(p) => {
                cmd.stdin(fs::File::open(p).unwrap());
            }
        }
        let mut child = cmd.spawn().expect("spawn");
        if let Input::Pipe(bytes) = input {
            let mut stdin = child.stdin.take().unwrap();
            let _ = stdin.write_all(bytes);
        }
        Run::from(child.wait_with_output().unwrap())
    }

    fn run(&self, sub: &str, args: &[&str]) -> Run {
        self.run_env(sub, args, Input::Null, &[])
    }

    fn add_ok(&self, name: &str, key: &Key) {
        self.run("add", &[name, key.public.to_str().unwrap()])
            .ok()
            .stdout(&format!("{}\n", key.fingerprint))
            .stderr("");
    }
}

fn mode(p: &Path) -> u32 {
    fs::metadata(p).unwrap().permissions().mode() & 0o7777
}

#[test]
fn help_texts() {
    let t = T::new();
    let usage = "Usage: dokku ssh-keys[:COMMAND]\n\nManage public ssh keys used for deployment\n\nAdditional commands:\n\
                 \x20   ssh-keys:add <name> [/path/to/key]                   Add a new public key by pipe or path\n\
                 \x20   ssh-keys:list [--format text|json] [<name>]          List of all authorized dokku public ssh keys\n\
                 \x20   ssh-keys:remove [--fingerprint fingerprint|<name>]   Remove SSH public key by name\n";
    t.root
        .dokku(&["ssh-keys:help"])
        .ok()
        .stdout(usage)
        .stderr("");
    t.root.dokku(&["ssh-keys"]).ok().stdout(usage).stderr("");
    let help = t.root.dokku(&["help"]);
    help.ok();
    assert!(
        help.stdout.lines().any(|l| l.starts_with("    ssh-keys ")
            && l.ends_with("  Manage public ssh keys used for deployment")
            && l["    ssh-keys ".len()..l.len() - 42].trim().is_empty()),
        "{}",
        help.stdout
    );
    t.root
        .dokku(&["help", "--all"])
        .ok()
        .stdout_has("    ssh-keys:add <name> [/path/to/key]  ")
        .stdout_has("    ssh-keys:list [--format text|json] [<name>]  ")
        .stdout_has("    ssh-keys:remove [--fingerprint fingerprint|<name>]  ");
    // The commands entry handles only help words.
    let commands = t.root.lib().join("plugins/enabled/ssh-keys/commands");
    let r = Run::from(
        t.root
            .command(&commands)
            .arg("ssh-keys:nope")
            .env("DOKKU_NOT_IMPLEMENTED_EXIT", "10")
            .output()
            .unwrap(),
    );
    r.code(10).stdout("").stderr("");
    let r = Run::from(t.root.command(&commands).arg("help").output().unwrap());
    r.ok()
        .stdout("    ssh-keys, Manage public ssh keys used for deployment\n");
}

#[test]
fn add_list_remove_round_trip() {
    let t = T::new();
    let (k1, k2, k3) = (t.key("k1"), t.key("k2"), t.key("k3"));
    // The installer leaves an empty file.
    t.run("list", &[]).code(1).stdout("").stderr(&format!(
        "authorized_keys is empty for {}\n",
        current_user()
    ));

    t.add_ok("admin", &k1);
    assert_eq!(t.file(), t.line(&k1, "admin"));
    // Via a pipe: one line, blanks trimmed.
    let piped = format!("  {}  \nignored second line\n", k2.line);
    t.run_env("add", &["my key"], Input::Pipe(piped.as_bytes()), &[])
        .ok()
        .stdout(&format!("{}\n", k2.fingerprint))
        .stderr("");
    t.add_ok("user@laptop", &k3);
    let expected = [
        t.line(&k1, "admin"),
        t.line(&k2, "my key"),
        t.line(&k3, "user@laptop"),
    ]
    .concat();
    assert_eq!(t.file(), expected);
    assert_eq!(mode(&t.authorized_keys()), 0o600);
    assert_eq!(mode(&t.root.home().join(".ssh")), 0o700);
    let names: Vec<_> = fs::read_dir(t.root.home().join(".ssh"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, vec!["authorized_keys"], "no temporary files left");

    let text = |k: &Key, n: &str| {
        format!(
            "{} NAME=\"{n}\" SSHCOMMAND_ALLOWED_KEYS=\"{OPTS}\"\n",
            k.fingerprint
        )
    };
    t.run("list", &[]).ok().stderr("").stdout(
        &[
            text(&k1, "admin"),
            text(&k2, "my key"),
            text(&k3, "user@laptop"),
        ]
        .concat(),
    );
    t.run("list", &["my key"]).ok().stdout(&text(&k2, "my key"));
    t.run("list", &["--format", "text", "admin"])
        .ok()
        .stdout(&text(&k1, "admin"));
    t.run("list", &["nobody"]).code(1).stdout("").stderr("");

    let spaced = |k: &Key, n: &str| {
        format!("{{ \"fingerprint\": \"{}\", \"name\": \"{n}\", \"SSHCOMMAND_ALLOWED_KEYS\": \"{OPTS}\", \"public-key\": \"{}\" }}", k.fingerprint, k.line)
    };
    let compact = |k: &Key, n: &str| {
        format!("{{\"fingerprint\":\"{}\",\"name\":\"{n}\",\"SSHCOMMAND_ALLOWED_KEYS\":\"{OPTS}\",\"public-key\":\"{}\"}}", k.fingerprint, k.line)
    };
    t.run("list", &["--format", "json"])
        .ok()
        .stderr("")
        .stdout(&format!(
            "[{},{},{}]\n",
            spaced(&k1, "admin"),
            spaced(&k2, "my key"),
            spaced(&k3, "user@laptop")
        ));
    t.run("list", &["--format", "json", "my key"])
        .ok()
        .stdout(&format!("[{}]\n", compact(&k2, "my key")));
    t.run("list", &["--format", "json", "nobody"])
        .ok()
        .stdout("[]\n");
    t.run("list", &["--format", "yaml"])
        .code(1)
        .stdout("")
        .stderr(" !     Invalid output format specified, supported formats: json, text\n");
    t.run("list", &["--format"])
        .code(1)
        .stderr(" !     Invalid output format specified, supported formats: json, text\n");
    // Upstream hands the name to sshcommand as its output type as well.
    t.run("list", &["json"]).ok().stdout("[]\n");

    // Removing by name and by fingerprint; unknown ones are not an error.
    t.run("remove", &["my key"]).ok().stdout("").stderr("");
    assert_eq!(
        t.file(),
        [t.line(&k1, "admin"), t.line(&k3, "user@laptop")].concat()
    );
    t.run("remove", &["--fingerprint", &k3.fingerprint])
        .ok()
        .stdout("")
        .stderr("");
    assert_eq!(t.file(), t.line(&k1, "admin"));
    t.run("remove", &["nobody"]).ok().stdout("").stderr("");
    t.run("remove", &["--fingerprint", "SHA256:nothing"]).ok();
    // A name only matches whole: `adm` is not `admin`.
    t.run("remove", &["adm"]).ok();
    assert_eq!(t.file(), t.line(&k1, "admin"));
    assert_eq!(mode(&t.authorized_keys()), 0o600);
    t.run("remove", &["admin"]).ok();
    assert_eq!(t.file(), "");
    t.run("remove", &["admin"])
        .code(1)
        .stderr(" !     No public keys found.\n");
}

#[test]
fn add_errors() {
    let t = T::new();
    let k1 = t.key("k1");
    let dir = t.keys_dir();
    let write = |name: &str, content: &str| {
        let p = dir.join(name);
        fs::write(&p, content).unwrap();
        p
    };
    let fail = |args: &[&str], input: Input, stderr: &str| {
        let before = t.file();
        t.run_env("add", args, input, &[])
            .code(1)
            .stdout("")
            .stderr(stderr);
        assert_eq!(t.file(), before, "authorized_keys untouched by {args:?}");
    };
    fail(
        &["admin"],
        Input::Null,
        " !     No key specified via file or pipe\n",
    );
    // A redirected file is not a pipe (`[[ -p /dev/stdin ]]`).
    fail(
        &["admin"],
        Input::File(&k1.public),
        " !     No key specified via file or pipe\n",
    );
    let empty = write("empty", "");
    fail(
        &["admin", empty.to_str().unwrap()],
        Input::Null,
        " !     Empty key was specified\n",
    );
    fail(
        &["admin", "/nonexistent/key.pub"],
        Input::Null,
        " !     Empty key was specified\n",
    );
    fail(
        &["admin"],
        Input::Pipe(b""),
        " !     Empty key was specified\n",
    );
    let two = write("two", &format!("{}\n{}\n", k1.line, k1.line));
    fail(
        &["admin", two.to_str().unwrap()],
        Input::Null,
        " !     Too many keys provided, set one per invocation of dokku ssh-keys:add <NAME> <KEY_FILE>\n",
    );
    let bad = write("bad", "ssh-ed25519 not-base64 x\n");
    fail(
        &["admin", bad.to_str().unwrap()],
        Input::Null,
        " !     Key specified in is not a valid ssh public key\n",
    );
    fail(
        &["admin"],
        Input::Pipe(b"\n"),
        " !     Key specified in is not a valid ssh public key\n",
    );
    fail(
        &["admin", dir.to_str().unwrap()],
        Input::Null,
        " !     Key specified in is not a valid ssh public key\n",
    );
    // ssh-keygen accepts a line with options, sshcommand does not.
    let with_opts = write("opts", &format!("no-pty {}\n", k1.line));
    fail(
        &["admin", with_opts.to_str().unwrap()],
        Input::Null,
        &format!("Invalid ssh public key\n{SSHCOMMAND_FAILED}"),
    );
    // A blank first line passes ssh-keygen but not sshcommand's one-line check.
    let blank_first = write("blank-first", &format!("\n{}", k1.line));
    fail(
        &["admin", blank_first.to_str().unwrap()],
        Input::Null,
        &format!("Too many keys provided, set one per invocation of sshcommand acl-add <USER> <NAME>\n{SSHCOMMAND_FAILED}"),
    );
    let key = k1.public.to_str().unwrap();
    fail(
        &["", key],
        Input::Null,
        &format!("Usage: sshcommand acl-add <USER> <NAME> <KEY_FILE> \n{SSHCOMMAND_FAILED}"),
    );
    let invalid_name = " !     Invalid ssh key name: it may not contain quotes, backslashes, backticks, '$', '/' or control characters\n";
    for name in ["a\"b", "a'b", "a/b", "a\nb", "a`id`", "$(id)", "a\\b"] {
        fail(&[name, key], Input::Null, invalid_name);
    }

    t.add_ok("admin", &k1);
    let k2 = t.key("k2");
    fail(
        &["admin", k2.public.to_str().unwrap()],
        Input::Null,
        &format!("Duplicate ssh key name\n{SSHCOMMAND_FAILED}"),
    );
    fail(
        &["other", key],
        Input::Null,
        &format!("Duplicate ssh public key specified\n{SSHCOMMAND_FAILED}"),
    );
    assert_eq!(t.file(), t.line(&k1, "admin"));
    // A key file without a trailing newline is fine.
    let k3 = t.key("k3");
    let bare = write("bare", &k3.line);
    t.run("add", &["bare", bare.to_str().unwrap()])
        .ok()
        .stdout(&format!("{}\n", k3.fingerprint));
    // So is a pipe without one (upstream's `read` would fail silently).
    let k4 = t.key("k4");
    t.run_env("add", &["piped"], Input::Pipe(k4.line.as_bytes()), &[])
        .ok()
        .stdout(&format!("{}\n", k4.fingerprint));
    assert_eq!(
        t.file(),
        [
            t.line(&k1, "admin"),
            t.line(&k3, "bare"),
            t.line(&k4, "piped")
        ]
        .concat()
    );
}

#[test]
fn sshcommand_settings() {
    let t = T::new();
    let (k1, k2) = (t.key("k1"), t.key("k2"));
    let env = [
        ("SSHCOMMAND_CHECK_DUPLICATE_NAME", "false"),
        ("SSHCOMMAND_CHECK_DUPLICATE_FINGERPRINT", "false"),
        ("SSHCOMMAND_ALLOWED_KEYS", "no-pty,restrict"),
    ];
    for k in [&k1, &k2, &k1] {
        t.run_env(
            "add",
            &["same", k.public.to_str().unwrap()],
            Input::Null,
            &env,
        )
        .ok()
        .stdout(&format!("{}\n", k.fingerprint));
    }
    let line = |k: &Key| t.line(k, "same").replace(OPTS, "no-pty,restrict");
    assert_eq!(t.file(), [line(&k1), line(&k2), line(&k1)].concat());
    t.run("list", &["same"]).ok().stdout(&format!(
        "{0} NAME=\"same\" SSHCOMMAND_ALLOWED_KEYS=\"no-pty,restrict\"\n{1} NAME=\"same\" SSHCOMMAND_ALLOWED_KEYS=\"no-pty,restrict\"\n{0} NAME=\"same\" SSHCOMMAND_ALLOWED_KEYS=\"no-pty,restrict\"\n",
        k1.fingerprint, k2.fingerprint
    ));
    // Removing by name drops every line of that name.
    t.run("remove", &["same"]).ok();
    assert_eq!(t.file(), "");
    // Options that would break the line are refused before anything is written.
    let r = t.run_env(
        "add",
        &["x", k1.public.to_str().unwrap()],
        Input::Null,
        &[("SSHCOMMAND_ALLOWED_KEYS", "no-pty bad")],
    );
    r.code(1).stdout("").stderr(&format!(
        " !     {} line 1 failed ssh-keygen check.\n",
        t.authorized_keys().display()
    ));
    assert_eq!(t.file(), "");
}

#[test]
fn broken_and_missing_files() {
    let t = T::new();
    let k1 = t.key("k1");
    let user = current_user();
    let path = t.authorized_keys();
    t.add_ok("admin", &k1);
    let good = t.line(&k1, "admin");
    t.set_file(&format!("{good}# a comment\ngarbage\n\n{}\n", k1.line));
    // list: every bad line warned about (comments skipped), then failure...
    t.run("list", &[]).code(1).stdout("").stderr(&format!(
        "{} line 3 failed ssh-keygen check.\n",
        path.display()
    ));
    // ...or carry on when told to ignore warnings.
    let ignore = [("SSHCOMMAND_IGNORE_LIST_WARNINGS", "true")];
    t.run_env("list", &[], Input::Null, &ignore)
        .ok()
        .stderr(&format!(
            "{} line 3 failed ssh-keygen check, ignoring.\n",
            path.display()
        ))
        .stdout(&format!(
            "{} NAME=\"admin\" SSHCOMMAND_ALLOWED_KEYS=\"{OPTS}\"\n",
            k1.fingerprint
        ));
    // dokku's own check does not skip comments and stops at the first bad line.
    t.run("remove", &["admin"])
        .code(1)
        .stdout("")
        .stderr(&format!(
            " !     {} line 2 failed ssh-keygen check.\n",
            path.display()
        ));
    let k2 = t.key("k2");
    // add writes the key, prints its fingerprint, then reports the broken file.
    t.run("add", &["new", k2.public.to_str().unwrap()])
        .code(1)
        .stdout(&format!("{}\n", k2.fingerprint))
        .stderr(&format!(
            " !     {} line 2 failed ssh-keygen check.\n",
            path.display()
        ));
    assert!(t.file().ends_with(&t.line(&k2, "new")));

    // Argument checks come after the file check.
    t.set_file(&good);
    t.run("remove", &[])
        .code(1)
        .stderr(" !     A name is required to remove a key, ie: dokku ssh-keys:remove <name>\n");
    t.run("remove", &["--fingerprint"])
        .code(1)
        .stderr(" !     A fingerprint is required to remove a key, ie: dokku ssh-keys:remove --fingerprint FINGERPRINT\n");
    // Only a plain key (not written by sshcommand): valid, but nothing to list.
    t.set_file(&format!("{}\n", k1.line));
    t.run("list", &[]).ok().stdout("\n").stderr("");
    t.run("list", &["--format", "json"]).ok().stdout("[]\n");

    t.set_file("");
    t.run("list", &["--format", "json"])
        .code(1)
        .stdout("")
        .stderr(&format!("authorized_keys is empty for {user}\n"));
    t.run_env("list", &["--format", "json"], Input::Null, &ignore)
        .ok()
        .stdout("[]\n")
        .stderr(&format!("authorized_keys is empty for {user}\n"));
    t.run("remove", &["admin"])
        .code(1)
        .stderr(" !     No public keys found.\n");

    fs::remove_file(&path).unwrap();
    t.run("list", &[])
        .code(1)
        .stdout("")
        .stderr(&format!("authorized_keys not found for {user}\n"));
    t.run_env("list", &["--format", "json"], Input::Null, &ignore)
        .ok()
        .stdout("")
        .stderr(&format!("authorized_keys not found for {user}\n"));
    t.run("remove", &["admin"])
        .code(1)
        .stderr(" !     No public keys found.\n");
    // add recreates the file, and `.ssh` too.
    fs::remove_dir(t.root.home().join(".ssh")).unwrap();
    t.add_ok("admin", &k1);
    assert_eq!(t.file(), good);
    assert_eq!(mode(&t.root.home().join(".ssh")), 0o700);
    assert_eq!(mode(&path), 0o600);
}

#[test]
fn fail_exit_code_is_honoured() {
    let t = T::new();
    t.run_env("add", &["x"], Input::Null, &[("DOKKU_FAIL_EXIT_CODE", "7")])
        .code(7)
        .stderr(" !     No key specified via file or pipe\n");
}

#[test]
fn dokku_root_must_be_safe_in_the_forced_command() {
    let t = T::new();
    let k1 = t.key("k1");
    let odd = t.root.dir.join("odd $root");
    fs::create_dir_all(odd.join(".ssh")).unwrap();
    let odd_str = odd.to_str().unwrap();
    t.run_env("add", &["admin", k1.public.to_str().unwrap()], Input::Null, &[("DOKKU_ROOT", odd_str)])
        .code(1)
        .stdout("")
        .stderr(&format!(
            " !     DOKKU_ROOT {odd_str} cannot be used in an ssh forced command: it may only contain letters, digits and /._-+@%:,=\n"
        ));
    assert!(!odd.join(".ssh/authorized_keys").exists());
}

#[test]
fn concurrent_adds_are_all_kept() {
    let t = T::new();
    let keys: Vec<Key> = (0..6).map(|i| t.key(&format!("c{i}"))).collect();
    std::thread::scope(|s| {
        for (i, k) in keys.iter().enumerate() {
            let t = &t;
            s.spawn(move || t.add_ok(&format!("user{i}"), k));
        }
    });
    let file = t.file();
    assert_eq!(file.lines().count(), keys.len());
    for (i, k) in keys.iter().enumerate() {
        assert!(
            file.contains(&t.line(k, &format!("user{i}"))),
            "key {i} kept"
        );
    }
}

#[test]
fn add_and_remove_are_root_only_through_dokku() {
    let t = T::new();
    let k1 = t.key("k1");
    let key = k1.public.to_str().unwrap();
    if is_root() {
        t.root
            .dokku(&["ssh-keys:add", "admin", key])
            .ok()
            .stdout(&format!("{}\n", k1.fingerprint));
        t.root.dokku(&["ssh-keys:remove", "admin"]).ok();
    } else {
        for args in [
            vec!["ssh-keys:add", "admin", key],
            vec!["ssh-keys:remove", "admin"],
        ] {
            t.root
                .dokku(&args)
                .code(1)
                .stdout("")
                .stderr(" !     This command must be run as root\n");
        }
    }
}
