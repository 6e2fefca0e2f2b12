//! `git:auth`, `git:auth-status`, `git:allow-host`, `git:generate-deploy-key` and
//! `git:public-key`: the files under `$DOKKU_ROOT` byte for byte, hostile input refused.

mod common;

use std::fs;
use std::os::unix::fs::PermissionsExt;

use common::*;

fn netrc(root: &Root) -> Option<String> {
    read(&home(root, ".netrc"))
}

#[test]
fn auth_sets_updates_and_removes_entries() {
    let root = Root::new();
    root.dokku(&["git:auth"])
        .code(1)
        .stdout("")
        .stderr(" !     Please supply a git host\n");
    root.dokku(&["git:auth", "github.com", "username"])
        .code(1)
        .stdout("")
        .stderr(" !     Missing password for netrc auth entry\n");
    assert_eq!(netrc(&root), None);

    root.dokku(&["git:auth", "github.com"])
        .ok()
        .stdout("-----> Removing netrc auth entry for host github.com\n")
        .stderr("");
    assert_eq!(netrc(&root).as_deref(), Some(""));
    assert_eq!(mode(&home(&root, ".netrc")), 0o600);

    root.dokku(&["git:auth", "github.com", "username", "password"])
        .ok()
        .stdout("-----> Setting netrc auth entry for host github.com\n")
        .stderr("");
    root.dokku(&["git:auth", "other.example.com", "user2", "pass2"])
        .ok();
    assert_eq!(
        netrc(&root).unwrap(),
        "machine github.com\n  login username\n  password password\nmachine other.example.com\n  login user2\n  password pass2\n"
    );
    assert_eq!(mode(&home(&root, ".netrc")), 0o600);

    // A piped password, with or without its newline.
    root.dokku_stdin(
        &["git:auth", "github.com", "piped-username"],
        b"piped-password",
    )
    .ok()
    .stdout("-----> Setting netrc auth entry for host github.com\n");
    root.dokku_stdin(&["git:auth", "other.example.com", "u3"], b"p3\nignored\n")
        .ok();
    assert_eq!(
        netrc(&root).unwrap(),
        "machine github.com\n  login piped-username\n  password piped-password\nmachine other.example.com\n  login u3\n  password p3\n"
    );
    root.dokku_stdin(&["git:auth", "github.com", "u"], b"")
        .code(1)
        .stderr(" !     Missing password for netrc auth entry\n");

    // A world-readable file is repaired by any change.
    let path = home(&root, ".netrc");
    fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
    root.dokku(&["git:auth", "github.com"])
        .ok()
        .stdout("-----> Removing netrc auth entry for host github.com\n");
    assert_eq!(mode(&path), 0o600);
    assert_eq!(
        netrc(&root).unwrap(),
        "machine other.example.com\n  login u3\n  password p3\n"
    );
    fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
    root.dokku(&["git:auth", "absent.example.com"]).ok();
    assert_eq!(mode(&path), 0o600);
}

#[test]
fn auth_keeps_what_the_user_wrote() {
    let root = Root::new();
    let path = home(&root, ".netrc");
    let mine = "# my hosts\nmachine a.example.com login x password y # inline\n\tmachine b.example.com\n\tlogin z\n\tpassword w";
    fs::write(&path, mine).unwrap();
    root.dokku(&["git:auth", "b.example.com", "z", "new"]).ok();
    assert_eq!(
        netrc(&root).unwrap(),
        mine.replace("password w", "password new")
    );
    // A file without a final newline still gets a well-formed new entry.
    root.dokku(&["git:auth", "c.example.com", "k", "v"]).ok();
    assert_eq!(
        netrc(&root).unwrap(),
        format!(
            "{}\nmachine c.example.com\n  login k\n  password v\n",
            mine.replace("password w", "password new")
        )
    );
    root.dokku(&["git:auth-status", "a.example.com", "x", "y"])
        .ok();
    root.dokku(&["git:auth-status", "c.example.com", "k", "v"])
        .ok();
    // `default` is netrc's catch-all entry.
    root.dokku(&["git:auth", "default", "anon", "pw"]).ok();
    assert!(netrc(&root)
        .unwrap()
        .ends_with("\ndefault\n  login anon\n  password pw\n"));
    root.dokku(&["git:auth-status", "default", "anon", "pw"])
        .ok();
}

#[test]
fn auth_refuses_what_netrc_cannot_hold() {
    let root = Root::new();
    root.dokku(&["git:auth", "github.com", "u", "p"]).ok();
    let before = netrc(&root);
    for host in [
        "-x",
        "a b",
        "a\nmachine evil",
        "#x",
        "machine",
        "\"x",
        "hôst",
        "a\tb",
    ] {
        let quoted = format!("{host:?}");
        root.dokku(&["git:auth", host, "u", "p"])
            .code(1)
            .stdout("")
            .stderr(&format!(" !     Invalid git host specified: {quoted}\n"));
        root.dokku(&["git:auth", host])
            .code(1)
            .stderr(&format!(" !     Invalid git host specified: {quoted}\n"));
        root.dokku(&["git:auth-status", host]).code(1);
    }
    let whitespace = "it must not contain whitespace or control characters";
    let cases: &[(&str, &str, &str, &str)] = &[
        ("u s", "p", "username", whitespace),
        ("u", "p w", "password", whitespace),
        (
            "u",
            "p\nmachine evil login a password b",
            "password",
            whitespace,
        ),
        ("u", "p\t", "password", whitespace),
        ("#u", "p", "username", "it must not start with '#' or '\"'"),
        ("u", "\"p", "password", "it must not start with '#' or '\"'"),
        (
            "machine",
            "p",
            "username",
            "it must not be 'machine' or 'default'",
        ),
        (
            "u",
            "default",
            "password",
            "it must not be 'machine' or 'default'",
        ),
    ];
    for (user, pass, what, problem) in cases {
        root.dokku(&["git:auth", "github.com", user, pass])
            .code(1)
            .stdout("")
            .stderr(&format!(
                " !     Invalid {what} for netrc auth entry: {problem}\n"
            ));
    }
    root.dokku_stdin(&["git:auth", "github.com", "u"], b"two words\n")
        .code(1)
        .stderr(&format!(
            " !     Invalid password for netrc auth entry: {whitespace}\n"
        ));
    assert_eq!(netrc(&root), before);
    // Non-ASCII passwords are fine.
    root.dokku(&["git:auth", "github.com", "u", "pässwörd"])
        .ok();
    root.dokku(&["git:auth-status", "github.com", "u", "pässwörd"])
        .ok();
}

#[test]
fn auth_status() {
    let root = Root::new();
    root.dokku(&["git:auth-status"])
        .code(1)
        .stderr(" !     Please supply a git host\n");
    root.dokku(&["git:auth-status", "github.com"])
        .ok()
        .stdout("")
        .stderr("");
    assert_eq!(netrc(&root), None, "a status check writes nothing");
    root.dokku(&["git:auth", "github.com", "username", "password"])
        .ok();
    root.dokku(&["git:auth-status", "github.com"])
        .code(1)
        .stdout("")
        .stderr("");
    root.dokku(&["git:auth-status", "github.com", "username", "password"])
        .ok()
        .stdout("");
    root.dokku(&[
        "git:auth-status",
        "github.com",
        "username",
        "wrong-password",
    ])
    .code(1);
    root.dokku(&[
        "git:auth-status",
        "github.com",
        "other-username",
        "password",
    ])
    .code(1);
    root.dokku(&["git:auth-status", "github.com", "username"])
        .code(1)
        .stderr(" !     Missing password for netrc auth entry\n");
    root.dokku_stdin(&["git:auth-status", "github.com", "username"], b"password")
        .ok();
    root.dokku_stdin(
        &["git:auth-status", "github.com", "username"],
        b"wrong-password",
    )
    .code(1);
    root.dokku(&["git:auth-status", "gitlab.com"]).ok();
}

/// A stand-in `ssh-keyscan` first in `PATH`: records its arguments, prints a key for
/// `good.example.com`, fails like the real one for anything else.
fn fake_keyscan(root: &Root) {
    let log = root.dir.join("keyscan.log");
    root.write_exec(
        "usr/bin/ssh-keyscan",
        &format!(
            "#!/usr/bin/env bash\necho \"$*\" >>'{}'\nif [[ \"${{@: -1}}\" == good.example.com ]]; then\n  echo '# good.example.com:22 SSH-2.0-OpenSSH' >&2\n  echo 'good.example.com ssh-rsa AAAAB3NzaC1yc2E'\n  exit 0\nfi\necho \"getaddrinfo ${{@: -1}}: Name or service not known\" >&2\nexit 1\n",
            log.display()
        ),
    );
}

#[test]
fn allow_host() {
    let root = Root::new();
    fake_keyscan(&root);
    let known = home(&root, ".ssh/known_hosts");
    root.dokku(&["git:allow-host"])
        .code(1)
        .stdout("")
        .stderr(" !     Please supply a git host\n");
    root.dokku(&["git:allow-host", "good.example.com"])
        .ok()
        .stdout("-----> good.example.com added to known hosts\n")
        .stderr("# good.example.com:22 SSH-2.0-OpenSSH\n");
    assert_eq!(
        read(&known).unwrap(),
        "good.example.com ssh-rsa AAAAB3NzaC1yc2E\n"
    );
    assert_eq!(mode(&known), 0o644);
    root.dokku(&["git:allow-host", "good.example.com"]).ok();
    assert_eq!(read(&known).unwrap().lines().count(), 2);
    assert_eq!(
        read(&root.dir.join("keyscan.log")).unwrap(),
        "-t rsa -- good.example.com\n-t rsa -- good.example.com\n"
    );

    // A failed scan writes nothing and passes its status on.
    root.dokku(&["git:allow-host", "bad.example.com"])
        .code(1)
        .stdout("")
        .stderr("getaddrinfo bad.example.com: Name or service not known\n");
    assert_eq!(read(&known).unwrap().lines().count(), 2);

    // Names that are not hosts never reach ssh-keyscan.
    fs::remove_file(root.dir.join("keyscan.log")).unwrap();
    for host in [
        "-f/etc/shadow",
        "-v",
        "a b",
        "a;b",
        "$(id)",
        "a\nb",
        ".x",
        "_x",
        "host/x",
        "a,b",
    ] {
        root.dokku(&["git:allow-host", host])
            .code(1)
            .stdout("")
            .stderr(&format!(" !     Invalid git host specified: {host:?}\n"));
    }
    assert!(!root.dir.join("keyscan.log").exists());
    for host in [
        "github.com",
        "10.0.0.1",
        "::1",
        "fe80::1",
        "my_host.local",
        "GitLab.COM",
    ] {
        root.dokku(&["git:allow-host", host]).code(1);
    }
    assert_eq!(
        read(&root.dir.join("keyscan.log")).unwrap().lines().count(),
        6
    );
}

#[test]
fn deploy_key() {
    let root = Root::new();
    let ssh = home(&root, ".ssh");
    root.dokku(&["git:public-key"]).code(1).stdout("").stderr(&format!(
        " !     There is no deploy key associated with the {} user.\n !     Generate an ssh key with the following command:\n !       dokku git:generate-deploy-key\n !     As an alternative, configure the netrc authentication via the git:auth command\n",
        String::from_utf8(std::process::Command::new("id").arg("-un").output().unwrap().stdout)
            .unwrap()
            .trim()
    ));

    let gen = root.dokku(&["git:generate-deploy-key"]);
    gen.ok();
    assert!(
        gen.stdout.contains("Your public key has been saved in"),
        "{}",
        gen.stdout
    );
    let public = read(&ssh.join("id_ed25519.pub")).unwrap();
    let hostname = fs::read_to_string("/proc/sys/kernel/hostname").unwrap();
    assert!(public.starts_with("ssh-ed25519 "));
    assert!(
        public.ends_with(&format!(" dokku@{}\n", hostname.trim())),
        "{public}"
    );
    assert_eq!(mode(&ssh.join("id_ed25519")), 0o600);

    root.dokku(&["git:generate-deploy-key"])
        .ok()
        .stdout(" !     A deploy key already exists for this host\n")
        .stderr("");
    root.dokku(&["--quiet", "git:generate-deploy-key"])
        .ok()
        .stdout("");
    root.dokku(&["git:public-key"])
        .ok()
        .stdout(&public)
        .stderr("");

    // An older rsa key counts too; ed25519 wins when both are there.
    fs::write(ssh.join("id_rsa.pub"), "ssh-rsa AAAA old\n").unwrap();
    root.dokku(&["git:public-key"]).ok().stdout(&public);
    fs::remove_file(ssh.join("id_ed25519.pub")).unwrap();
    root.dokku(&["git:public-key"])
        .ok()
        .stdout("ssh-rsa AAAA old\n");
    root.dokku(&["git:generate-deploy-key"])
        .ok()
        .stdout(" !     A deploy key already exists for this host\n");
}
