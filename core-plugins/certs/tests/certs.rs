//! `certs:*` and the certs triggers through the real `dokku` entry point in a temporary
//! install, with certificates made by the `openssl` CLI and tarballs (malicious ones
//! included) built here: output bytes, exit statuses, stored files and their modes.

use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use dokku_rs_testkit::{Root, Run};

const USAGE: &str = "Usage: dokku certs[:COMMAND]\n\nManage SSL (TLS) certs\n\nAdditional commands:\n\
\x20   certs:add <app> CRT KEY             Add an ssl endpoint to an app. Can also import from a tarball on stdin\n\
\x20   certs:chain CRT [CRT ...]           [NOT IMPLEMENTED] Print the ordered and complete chain for the given certificate\n\
\x20   certs:generate <app> DOMAIN         Generate a key and certificate signing request (and self-signed certificate)\n\
\x20   certs:key <app> CRT KEY [KEY ...]   [NOT IMPLEMENTED] Print the correct key for the given certificate\n\
\x20   certs:remove <app>                  Remove an SSL Endpoint from an app\n\
\x20   certs:report [<app>] [<flag>]       Displays an ssl report for one or more apps\n\
\x20   certs:rollback <app>                [NOT IMPLEMENTED] Rollback an SSL Endpoint for an app\n\
\x20   certs:show <app> <crt|key>          Show the server.crt or server.key on stdout\n\
\x20   certs:update <app> CRT KEY          Update an SSL Endpoint on an app. Can also import from a tarball on stdin\n";

const TAR_EXPECTED: &str =
    " !     Tar archive containing server.crt and server.key expected on stdin\n";

fn openssl(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .expect("openssl must be installed");
    assert!(
        out.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A certificate and its key, made by openssl.
struct Pair {
    crt: PathBuf,
    key: PathBuf,
}

impl Pair {
    fn crt_bytes(&self) -> Vec<u8> {
        fs::read(&self.crt).unwrap()
    }
    fn key_bytes(&self) -> Vec<u8> {
        fs::read(&self.key).unwrap()
    }
}

/// A self-signed certificate `<name>.crt`/`<name>.key` in `dir`.
fn self_signed(dir: &Path, name: &str, subj: &str, san: Option<&str>, rsa: bool) -> Pair {
    let crt = format!("{name}.crt");
    let key = format!("{name}.key");
    let mut args = vec![
        "req", "-x509", "-utf8", "-nodes", "-days", "30", "-subj", subj,
    ];
    args.extend(if rsa {
        ["-newkey", "rsa:2048", "", ""]
    } else {
        ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"]
    });
    args.retain(|a| !a.is_empty());
    args.extend(["-keyout", key.as_str(), "-out", crt.as_str()]);
    let ext;
    if let Some(san) = san {
        ext = format!("subjectAltName={san}");
        args.extend(["-addext", ext.as_str()]);
    }
    openssl(dir, &args);
    Pair {
        crt: dir.join(crt),
        key: dir.join(key),
    }
}

/// A CA and a leaf it signed; the leaf's file holds the leaf then the CA.
fn ca_signed(dir: &Path) -> (Pair, PathBuf) {
    let ca = self_signed(dir, "ca", "/O=Test CA/CN=Test Root", None, false);
    openssl(
        dir,
        &[
            "req",
            "-new",
            "-nodes",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-subj",
            "/CN=leaf.example.com",
            "-keyout",
            "leaf.key",
            "-out",
            "leaf.csr",
        ],
    );
    fs::write(
        dir.join("leaf.ext"),
        "subjectAltName=DNS:leaf.example.com,DNS:www.leaf.example.com\nextendedKeyUsage=serverAuth\n",
    )
    .unwrap();
    openssl(
        dir,
        &[
            "x509",
            "-req",
            "-in",
            "leaf.csr",
            "-CA",
            "ca.crt",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-days",
            "30",
            "-extfile",
            "leaf.ext",
            "-out",
            "leaf-only.crt",
        ],
    );
    let mut chain = fs::read(dir.join("leaf-only.crt")).unwrap();
    chain.extend(fs::read(&ca.crt).unwrap());
    fs::write(dir.join("leaf.crt"), chain).unwrap();
    (
        Pair {
            crt: dir.join("leaf.crt"),
            key: dir.join("leaf.key"),
        },
        dir.join("leaf-only.crt"),
    )
}

/// A tar archive built by hand, so that it can hold what GNU tar would refuse to write.
#[derive(Default)]
struct Tar(Vec<u8>);

impl Tar {
    fn entry(mut self, name: &str, typeflag: u8, data: &[u8], link: &str) -> Tar {
        let mut h = [0u8; 512];
        h[..name.len()].copy_from_slice(name.as_bytes());
        h[100..107].copy_from_slice(b"0000644");
        h[108..115].copy_from_slice(b"0000000");
        h[116..123].copy_from_slice(b"0000000");
        h[124..135].copy_from_slice(format!("{:011o}", data.len()).as_bytes());
        h[136..147].copy_from_slice(b"00000000000");
        h[156] = typeflag;
        h[157..157 + link.len()].copy_from_slice(link.as_bytes());
        h[257..263].copy_from_slice(b"ustar\0");
        h[263..265].copy_from_slice(b"00");
        h[148..156].copy_from_slice(b"        ");
        let sum: u32 = h.iter().map(|b| *b as u32).sum();
        h[148..156].copy_from_slice(format!("{sum:06o}\0 ").as_bytes());
        self.0.extend_from_slice(&h);
        self.0.extend_from_slice(data);
        let padded = self.0.len().div_ceil(512) * 512;
        self.0.resize(padded, 0);
        self
    }
    fn file(self, name: &str, data: &[u8]) -> Tar {
        self.entry(name, b'0', data, "")
    }
    fn dir(self, name: &str) -> Tar {
        self.entry(name, b'5', b"", "")
    }
    fn symlink(self, name: &str, target: &str) -> Tar {
        self.entry(name, b'2', b"", target)
    }
    fn hardlink(self, name: &str, target: &str) -> Tar {
        self.entry(name, b'1', b"", target)
    }
    fn bytes(mut self) -> Vec<u8> {
        self.0.extend_from_slice(&[0u8; 1024]);
        self.0
    }
}

struct Fixture {
    root: Root,
    /// Certificates live here.
    dir: PathBuf,
    /// TMPDIR of every command: must be empty afterwards.
    tmp: PathBuf,
}

impl Fixture {
    fn new() -> Fixture {
        let root = Root::new();
        let dir = root.dir.join("certs-src");
        let tmp = root.dir.join("tmp");
        fs::create_dir_all(&dir).unwrap();
        fs::create_dir_all(&tmp).unwrap();
        // No global domain, so `web` has vhost support off. The file itself exists, as on
        // an installed dokku: nginx-vhosts reads it for such an app with a certificate
        // (upstream's bash aborts when it is missing).
        fs::write(root.home().join("VHOST"), "").unwrap();
        root.dokku(&["apps:create", "web"]).ok();
        Fixture { root, dir, tmp }
    }

    fn run(&self, args: &[&str], stdin: Option<&[u8]>) -> Run {
        let mut cmd = self.root.command(self.root.bin("dokku"));
        cmd.args(args).env("TMPDIR", &self.tmp);
        let Some(input) = stdin else {
            return Run::from(cmd.output().unwrap());
        };
        let mut child = cmd
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let _ = child.stdin.take().unwrap().write_all(input);
        Run::from(child.wait_with_output().unwrap())
    }

    fn dokku(&self, args: &[&str]) -> Run {
        self.run(args, None)
    }

    fn tls(&self, app: &str) -> PathBuf {
        self.root.home().join(app).join("tls")
    }

    fn assert_tmp_clean(&self) {
        let left: Vec<_> = fs::read_dir(&self.tmp).unwrap().flatten().collect();
        assert!(left.is_empty(), "temporary files left: {left:?}");
    }

    fn path(&self, p: &Path) -> String {
        p.display().to_string()
    }
}

/// What nginx-vhosts prints when a certificate change rebuilds `web`'s nginx.conf (upstream's
/// `nginx_build_config`): `web` has vhost support off, so it has no domain the
/// certificate could cover, and it is not running. The first certificate makes the ports
/// plugin pick a free SSL port.
fn nginx_https(first: bool, cert_names: &[&str]) -> String {
    let mut out = String::new();
    if first {
        out.push_str("-----> No ssl port set, setting to random open high port\n");
    }
    out.push_str(
        "-----> No matching configured domains for web found in SSL certificate. Your app will show as insecure in a browser if accessed via SSL\n\
         -----> Please add appropriate domains via the dokku domains command\n\
         -----> Domains found in SSL certificate:\n",
    );
    for name in cert_names {
        out.push_str(&format!("=====> {name}\n"));
    }
    out.push_str("-----> Creating https nginx.conf\n       Reloading nginx\n");
    out
}

/// The same once the certificate is gone.
const NGINX_HTTP: &str = "-----> Creating http nginx.conf\n       Reloading nginx\n";

/// nginx-vhosts' warning for an app that is not running.
const NO_LISTENERS: &str = " !     No web listeners specified for web\n";

fn mode(p: &Path) -> u32 {
    fs::metadata(p).unwrap().permissions().mode() & 0o7777
}

/// The `[archive-security]` lines as `event details` pairs (timestamp, user and the
/// temporary paths vary), and the rest of stderr.
fn security_events(stderr: &str) -> (Vec<String>, String) {
    let mut events = Vec::new();
    let mut rest = String::new();
    for line in stderr.lines() {
        if let Some(body) = line.strip_prefix("[archive-security] timestamp=") {
            let ts = &body[..20];
            assert!(
                ts.ends_with('Z') && ts.as_bytes()[10] == b'T',
                "timestamp {ts}"
            );
            let event = body.split(" event=").nth(1).unwrap();
            let (event, after) = event.split_once(" archive_type=").unwrap();
            let (kind, after) = after.split_once(" source=").unwrap();
            let details = after.split_once(" details=").unwrap().1;
            // Paths under the temporary directory are not stable.
            let details = if details.starts_with("dest=") {
                "dest=…".to_string()
            } else if details.starts_with("target=") {
                "target= dir=…".to_string()
            } else {
                details.to_string()
            };
            events.push(format!("{event} {kind} {details}"));
        } else {
            rest.push_str(line);
            rest.push('\n');
        }
    }
    (events, rest)
}

const OK_EVENTS: [&str; 2] = [
    "extraction_started tar dest=…",
    "extraction_completed tar dest=…",
];

#[test]
fn help_texts() {
    let root = Root::new();
    root.dokku(&["certs"]).ok().stdout(USAGE).stderr("");
    root.dokku(&["certs:help"]).ok().stdout(USAGE).stderr("");
    let short = root.dokku(&["help"]);
    short.ok();
    assert!(
        short.stdout.contains("\n    certs ") && short.stdout.contains("Manage SSL (TLS) certs\n"),
        "{}",
        short.stdout
    );
    let all = root.dokku(&["help", "--all"]);
    all.ok();
    for (usage, desc) in [
        (
            "certs:add <app> CRT KEY",
            "Add an ssl endpoint to an app. Can also import from a tarball on stdin",
        ),
        (
            "certs:rollback <app>",
            "[NOT IMPLEMENTED] Rollback an SSL Endpoint for an app",
        ),
    ] {
        assert!(
            all.stdout
                .lines()
                .any(|l| l.starts_with(&format!("    {usage} ")) && l.trim_end().ends_with(desc)),
            "{}",
            all.stdout
        );
    }
}

#[test]
fn add_from_files_show_and_remove() {
    let f = Fixture::new();
    let pair = self_signed(&f.dir, "server", "/CN=dokku.me", None, true);
    let (crt, key) = (f.path(&pair.crt), f.path(&pair.key));
    f.dokku(&["certs:add", "web", &crt, &key])
        .ok()
        .stdout(&nginx_https(true, &["dokku.me"]))
        .stderr(NO_LISTENERS);
    let tls = f.tls("web");
    assert_eq!(mode(&tls), 0o750);
    assert_eq!(mode(&tls.join("server.crt")), 0o640);
    assert_eq!(mode(&tls.join("server.key")), 0o640);
    assert_eq!(fs::read(tls.join("server.crt")).unwrap(), pair.crt_bytes());
    assert_eq!(fs::read(tls.join("server.key")).unwrap(), pair.key_bytes());
    let names: Vec<String> = fs::read_dir(&tls)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(names.len(), 2, "no temporary file left: {names:?}");

    let shown = f.dokku(&["certs:show", "web", "crt"]);
    shown.ok().stderr("");
    assert_eq!(shown.stdout.as_bytes(), pair.crt_bytes());
    let shown = f.dokku(&["certs:show", "web", "key"]);
    assert_eq!(shown.stdout.as_bytes(), pair.key_bytes());
    assert!(shown.stdout.contains("-----END PRIVATE KEY-----"));
    f.dokku(&["certs:show", "web", "pem"])
        .code(1)
        .stdout("")
        .stderr(" !     specify either 'key' or 'crt'\n");

    // certs:update replaces the pair, through symlinks to the files too.
    let other = self_signed(&f.dir, "other", "/CN=other.dokku.me", None, false);
    let link = f.dir.join("linked.crt");
    std::os::unix::fs::symlink(&other.crt, &link).unwrap();
    f.dokku(&["certs:update", "web", &f.path(&link), &f.path(&other.key)])
        .ok()
        .stdout(&nginx_https(false, &["other.dokku.me"]))
        .stderr(NO_LISTENERS);
    assert_eq!(fs::read(tls.join("server.crt")).unwrap(), other.crt_bytes());
    assert_eq!(fs::read(tls.join("server.key")).unwrap(), other.key_bytes());

    f.dokku(&["certs:remove", "web"])
        .ok()
        .stdout(&format!(
            "-----> Removing SSL endpoint from web\n{NGINX_HTTP}"
        ))
        .stderr(NO_LISTENERS);
    assert!(!tls.exists());
    f.dokku(&["certs:remove", "web"])
        .code(1)
        .stdout("")
        .stderr(" !     An app-specific SSL endpoint is not defined\n");
    f.dokku(&["certs:show", "web", "crt"])
        .code(1)
        .stdout("")
        .stderr(" !     web doesn't have an SSL endpoint defined\n");
    f.assert_tmp_clean();
}

#[test]
fn app_and_file_errors() {
    let f = Fixture::new();
    let pair = self_signed(&f.dir, "server", "/CN=dokku.me", None, false);
    let (crt, key) = (f.path(&pair.crt), f.path(&pair.key));
    for args in [
        vec!["certs:add", "missing", crt.as_str(), key.as_str()],
        vec!["certs:update", "missing", crt.as_str(), key.as_str()],
        vec!["certs:generate", "missing"],
        vec!["certs:remove", "missing"],
        vec!["certs:show", "missing", "crt"],
    ] {
        f.dokku(&args)
            .code(20)
            .stdout("")
            .stderr(" !     App missing does not exist\n");
    }
    // The bash plugin's verify_app_name reports every bad name the same way.
    f.dokku(&["certs:add"])
        .code(20)
        .stderr(" !     App  does not exist\n");
    f.dokku(&["certs:show", "../web", "crt"])
        .code(20)
        .stderr(" !     App ../web does not exist\n");
    let nope = f.path(&f.dir.join("nope.crt"));
    f.dokku(&["certs:add", "web", &nope, &key])
        .code(1)
        .stdout("")
        .stderr(" !     CRT file specified not found, please check file paths\n");
    f.dokku(&["certs:add", "web", &crt, &nope])
        .code(1)
        .stderr(" !     KEY file specified not found, please check file paths\n");
    // A directory cannot be installed either.
    f.dokku(&["certs:add", "web", &f.path(&f.dir), &key])
        .code(1)
        .stderr(" !     CRT file specified not found, please check file paths\n");
    // Only one path: the tarball on stdin is expected (here /dev/null).
    f.dokku(&["certs:add", "web", &crt])
        .code(1)
        .stdout("")
        .stderr(TAR_EXPECTED);
    assert!(!f.tls("web").exists(), "nothing written");
    f.assert_tmp_clean();
}

#[test]
fn malformed_certificates_and_keys_write_nothing() {
    let f = Fixture::new();
    let a = self_signed(&f.dir, "a", "/CN=a.dokku.me", None, false);
    let b = self_signed(&f.dir, "b", "/CN=b.dokku.me", None, true);
    let garbage = f.dir.join("garbage.crt");
    fs::write(&garbage, "hello\n").unwrap();
    let bad_b64 = f.dir.join("bad-b64.crt");
    fs::write(
        &bad_b64,
        "-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n",
    )
    .unwrap();
    let not_x509 = f.dir.join("not-x509.crt");
    fs::write(
        &not_x509,
        "-----BEGIN CERTIFICATE-----\naGVsbG8gd29ybGQ=\n-----END CERTIFICATE-----\n",
    )
    .unwrap();
    // The key where the certificate belongs, and the other way round.
    let (acrt, akey, bkey) = (f.path(&a.crt), f.path(&a.key), f.path(&b.key));
    let cases: Vec<(String, String, &str)> = vec![
        (
            f.path(&garbage),
            akey.clone(),
            "CRT file is not a valid PEM-encoded certificate",
        ),
        (
            f.path(&bad_b64),
            akey.clone(),
            "CRT file is not a valid PEM-encoded certificate",
        ),
        (
            f.path(&not_x509),
            akey.clone(),
            "CRT file is not a valid PEM-encoded certificate",
        ),
        (
            akey.clone(),
            akey.clone(),
            "CRT file is not a valid PEM-encoded certificate",
        ),
        (
            acrt.clone(),
            acrt.clone(),
            "KEY file is not a valid PEM-encoded private key",
        ),
        (
            acrt.clone(),
            f.path(&garbage),
            "KEY file is not a valid PEM-encoded private key",
        ),
        (
            acrt.clone(),
            bkey,
            "KEY file does not match the certificate in the CRT file",
        ),
    ];
    for (crt, key, msg) in cases {
        f.dokku(&["certs:add", "web", &crt, &key])
            .code(1)
            .stdout("")
            .stderr(&format!(" !     {msg}\n"));
    }
    let broken_key = f.dir.join("broken.key");
    fs::write(
        &broken_key,
        "-----BEGIN PRIVATE KEY-----\nMAMCAQA=\n-----END PRIVATE KEY-----\n",
    )
    .unwrap();
    f.dokku(&["certs:add", "web", &acrt, &f.path(&broken_key)])
        .code(1)
        .stderr(" !     KEY file is not a valid PEM-encoded private key\n");
    assert!(!f.tls("web").exists());

    // An installed pair is left alone by a refused update.
    f.dokku(&["certs:add", "web", &acrt, &akey]).ok();
    f.dokku(&["certs:update", "web", &f.path(&garbage), &akey])
        .code(1);
    assert_eq!(
        fs::read(f.tls("web").join("server.crt")).unwrap(),
        a.crt_bytes()
    );
    f.assert_tmp_clean();
}

#[test]
fn tarball_layouts() {
    let f = Fixture::new();
    let pair = self_signed(&f.dir, "server", "/CN=dokku.me", None, false);
    let (crt, key) = (pair.crt_bytes(), pair.key_bytes());
    let layouts: Vec<(&str, Vec<u8>)> = vec![
        (
            "plain",
            Tar::default()
                .file("server.key", &key)
                .file("server.crt", &crt)
                .bytes(),
        ),
        (
            "dotted names",
            Tar::default()
                .file("domain.com.key", &key)
                .file("domain.com.crt", &crt)
                .bytes(),
        ),
        (
            "macOS resource forks",
            Tar::default()
                .file("./._server.key", b"\x00\x05\x16\x07junk")
                .file("server.key", &key)
                .file("./._server.crt", b"\x00\x05\x16\x07junk")
                .file("server.crt", &crt)
                .bytes(),
        ),
        (
            "subdirectory, hidden files and links",
            Tar::default()
                .dir("./certs/")
                .file("./certs/site.crt", &crt)
                .file("./certs/site.key", &key)
                .file(".git/old.crt", b"x")
                .symlink("certs/alias.crt", "site.crt")
                .hardlink("ignored.txt", "certs/site.key")
                .bytes(),
        ),
        (
            "hard link",
            Tar::default()
                .file("data/cert", &crt)
                .hardlink("server.crt", "data/cert")
                .file("server.key", &key)
                .bytes(),
        ),
    ];
    for (i, (label, archive)) in layouts.into_iter().enumerate() {
        let _ = fs::remove_dir_all(f.tls("web"));
        let run = f.run(&["certs:add", "web"], Some(&archive));
        run.code(0);
        // The SSL port chosen for the first certificate stays.
        assert_eq!(run.stdout, nginx_https(i == 0, &["dokku.me"]), "{label}");
        let (events, rest) = security_events(&run.stderr);
        assert_eq!(events, OK_EVENTS, "{label}");
        assert_eq!(rest, NO_LISTENERS, "{label}");
        assert_eq!(
            fs::read(f.tls("web").join("server.crt")).unwrap(),
            crt,
            "{label}"
        );
        assert_eq!(
            fs::read(f.tls("web").join("server.key")).unwrap(),
            key,
            "{label}"
        );
    }

    // A gzip-compressed archive made by GNU tar.
    let staging = f.dir.join("staging");
    fs::create_dir_all(&staging).unwrap();
    fs::write(staging.join("server.crt"), &crt).unwrap();
    fs::write(staging.join("server.key"), &key).unwrap();
    let tgz = f.dir.join("certs.tgz");
    let status = Command::new("tar")
        .arg("-czf")
        .arg(&tgz)
        .arg("-C")
        .arg(&staging)
        .args(["server.crt", "server.key"])
        .status()
        .unwrap();
    assert!(status.success());
    let _ = fs::remove_dir_all(f.tls("web"));
    let run = f.run(&["certs:update", "web"], Some(&fs::read(&tgz).unwrap()));
    run.ok().stdout(&nginx_https(false, &["dokku.me"]));
    assert_eq!(
        security_events(&run.stderr),
        (
            OK_EVENTS.map(String::from).to_vec(),
            NO_LISTENERS.to_string()
        )
    );
    assert_eq!(fs::read(f.tls("web").join("server.crt")).unwrap(), crt);
    f.assert_tmp_clean();
}

#[test]
fn tarball_selection_errors() {
    let f = Fixture::new();
    let pair = self_signed(&f.dir, "server", "/CN=dokku.me", None, false);
    let (crt, key) = (pair.crt_bytes(), pair.key_bytes());
    let cases: Vec<(Vec<u8>, &str)> = vec![
        (
            Tar::default().file("server.key", &key).bytes(),
            "Tar archive is missing .crt file",
        ),
        (
            Tar::default()
                .file("a.crt", &crt)
                .file("b.crt", &crt)
                .file("server.key", &key)
                .bytes(),
            "Tar archive contains more than one .crt file",
        ),
        (
            Tar::default().file("server.crt", &crt).bytes(),
            "Tar archive is missing .key file",
        ),
        (
            Tar::default()
                .file("server.crt", &crt)
                .file("a.key", &key)
                .file("dir/b.key", &key)
                .bytes(),
            "Tar archive contains more than one .key file",
        ),
        (
            Tar::default()
                .file("server.crt", b"not a cert")
                .file("server.key", &key)
                .bytes(),
            "CRT file is not a valid PEM-encoded certificate",
        ),
        // An archive of only zeros is an empty archive.
        (vec![0u8; 10240], "Tar archive is missing .crt file"),
    ];
    for (archive, msg) in cases {
        let run = f.run(&["certs:add", "web"], Some(&archive));
        run.code(1).stdout("");
        let (events, rest) = security_events(&run.stderr);
        assert_eq!(events, OK_EVENTS, "{msg}");
        assert_eq!(rest, format!(" !     {msg}\n"));
    }
    // Not a tar archive at all, or nothing.
    for input in [&b""[..], b"hello world\n", &[0x1f, 0x8b, 0, 0, 1, 2, 3][..]] {
        f.run(&["certs:add", "web"], Some(input))
            .code(1)
            .stdout("")
            .stderr(TAR_EXPECTED);
    }
    f.dokku(&["certs:add", "web"]).code(1).stderr(TAR_EXPECTED);
    let mut cut = Tar::default().file("server.crt", &crt).bytes();
    cut.truncate(700);
    f.run(&["certs:add", "web"], Some(&cut))
        .code(1)
        .stderr(TAR_EXPECTED);
    assert!(!f.tls("web").exists());
    f.assert_tmp_clean();
}

#[test]
fn malicious_tarballs_write_nothing() {
    let f = Fixture::new();
    let pair = self_signed(&f.dir, "server", "/CN=dokku.me", None, false);
    let (crt, key) = (pair.crt_bytes(), pair.key_bytes());
    let outside = f.root.dir.join("outside");
    fs::create_dir_all(&outside).unwrap();
    let abs_target = format!("{}/evil.crt", outside.display());
    let base = || {
        Tar::default()
            .file("server.crt", &crt)
            .file("server.key", &key)
    };
    let cases: Vec<(&str, Vec<u8>, Vec<String>, &str)> = vec![
        (
            "absolute member name",
            base().file(&abs_target, &crt).bytes(),
            vec!["rejected_absolute_path tar absolute path detected".into()],
            "Archive contains entries with absolute paths",
        ),
        (
            "parent traversal",
            base().file("../../outside/evil.key", &key).bytes(),
            vec!["rejected_path_traversal tar parent directory traversal detected".into()],
            "Archive contains entries with parent directory traversal",
        ),
        (
            "traversal inside a path",
            base()
                .file(&format!("a/../../..{}", outside.display()), &key)
                .bytes(),
            vec!["rejected_path_traversal tar parent directory traversal detected".into()],
            "Archive contains entries with parent directory traversal",
        ),
        (
            "absolute symlink",
            base()
                .symlink("escape", &outside.display().to_string())
                .file("escape/evil.crt", &crt)
                .bytes(),
            vec![format!(
                "rejected_unsafe_symlink tar absolute symlink target={}",
                outside.display()
            )],
            "Archive contains symlinks with absolute targets",
        ),
        (
            "traversal symlink",
            base()
                .symlink("up", "../../outside")
                .file("up/evil.crt", &crt)
                .bytes(),
            vec!["rejected_unsafe_symlink tar traversal symlink target=../../outside".into()],
            "Archive contains symlinks pointing outside extraction directory",
        ),
        (
            "symlink loop",
            base().symlink("a", "b").symlink("b", "a").bytes(),
            vec![
                "extraction_started tar dest=…".into(),
                "rejected_extracted_symlink post_extraction target= dir=…".into(),
            ],
            "Archive contains symlinks pointing outside extraction directory",
        ),
    ];
    for (label, archive, events, msg) in cases {
        let run = f.run(&["certs:add", "web"], Some(&archive));
        run.code(1).stdout("");
        let (got, rest) = security_events(&run.stderr);
        assert_eq!(got, events, "{label}");
        assert_eq!(rest, format!(" !     {msg}\n"), "{label}");
        assert!(!f.tls("web").exists(), "{label}");
        assert!(
            fs::read_dir(&outside).unwrap().next().is_none(),
            "{label}: wrote outside"
        );
    }

    // A hard link to a file outside the archive is not followed.
    let run = f.run(
        &["certs:add", "web"],
        Some(&base().hardlink("leak.key", "/etc/passwd").bytes()),
    );
    run.code(1).stdout("");
    let (events, rest) = security_events(&run.stderr);
    assert_eq!(events, ["extraction_started tar dest=…"]);
    assert_eq!(rest, " !     Unable to extract the tar archive\n");
    assert!(!f.tls("web").exists());
    f.assert_tmp_clean();
}

#[test]
fn archive_limits() {
    let f = Fixture::new();
    let pair = self_signed(&f.dir, "server", "/CN=dokku.me", None, false);
    let archive = Tar::default()
        .file("server.crt", &pair.crt_bytes())
        .file("server.key", &pair.key_bytes())
        .file("README", b"hi")
        .bytes();
    let git = f.root.lib().join("config/git/--global");
    fs::create_dir_all(&git).unwrap();
    fs::write(git.join("archive-max-files"), "2").unwrap();
    let run = f.run(&["certs:add", "web"], Some(&archive));
    run.code(1).stdout("");
    let (events, rest) = security_events(&run.stderr);
    assert_eq!(
        events,
        ["rejected_archive_too_many_files tar count=3 max=2"]
    );
    assert_eq!(
        rest,
        " !     Archive contains 3 entries which exceeds the maximum of 2\n"
    );

    fs::write(git.join("archive-max-files"), "3").unwrap();
    fs::write(git.join("archive-max-size"), "4096").unwrap();
    let run = f.run(&["certs:add", "web"], Some(&archive));
    run.code(1).stdout("");
    let (events, rest) = security_events(&run.stderr);
    assert_eq!(
        events,
        [format!(
            "rejected_archive_too_large tar size={} max=4096",
            archive.len()
        )]
    );
    assert_eq!(
        rest,
        " !     Archive exceeds maximum allowed size of 4096 bytes\n"
    );
    assert!(!f.tls("web").exists());

    fs::write(git.join("archive-max-size"), archive.len().to_string()).unwrap();
    f.run(&["certs:add", "web"], Some(&archive)).ok();
    assert!(f.tls("web").join("server.crt").exists());
    f.assert_tmp_clean();
}

/// What upstream's report derives from `openssl` output, computed here from real openssl.
fn upstream_report(dir: &Path, crt: &Path) -> BTreeMap<&'static str, String> {
    let crt_s = crt.display().to_string();
    let text = openssl(dir, &["x509", "-in", &crt_s, "-noout", "-text"]);
    let line_value = |needle: &str, sep: &str| {
        text.lines()
            .find(|l| l.contains(needle))
            .and_then(|l| l.split(sep).nth(1))
            .unwrap_or("")
            .to_string()
    };
    let issuer = text
        .lines()
        .find(|l| l.contains("Issuer:"))
        .map(|l| l.replacen("Issuer: ", "", 1).trim_start().to_string())
        .unwrap_or_default();
    let compat = openssl(
        dir,
        &[
            "x509", "-in", &crt_s, "-noout", "-subject", "-nameopt", "compat",
        ],
    );
    let subject = compat.trim().trim_start_matches("subject=").trim();
    let subject = subject
        .strip_prefix('/')
        .unwrap_or(subject)
        .replace('/', "; ");
    let rfc = openssl(
        dir,
        &[
            "x509", "-in", &crt_s, "-noout", "-subject", "-nameopt", "RFC2253",
        ],
    );
    let rfc = rfc.trim().trim_start_matches("subject=").to_string();
    let mut hosts = std::collections::BTreeSet::new();
    for rdn in rfc.split([',', '/']).filter(|s| !s.is_empty()) {
        if let Some((k, v)) = rdn.split_once('=') {
            if k.trim() == "CN" {
                hosts.insert(v.trim().to_string());
                break;
            }
        }
    }
    let lines: Vec<&str> = text.split('\n').collect();
    for (i, l) in lines.iter().enumerate() {
        if l.contains("509v3 Subject Alternative Name:") && i + 1 < lines.len() {
            let mut stripped = lines[i + 1].to_string();
            while let Some(pos) = stripped.find("DNS:") {
                let before = stripped[..pos].trim_end().to_string();
                stripped = format!("{before}{}", &stripped[pos + 4..]);
            }
            for n in stripped.split(',') {
                if !n.trim().is_empty() {
                    hosts.insert(n.trim().to_string());
                }
            }
        }
    }
    let mut m = BTreeMap::new();
    m.insert("expires-at", line_value("Not After :", " : "));
    m.insert("starts-at", line_value("Not Before:", ": "));
    m.insert("issuer", issuer);
    m.insert("subject", subject);
    m.insert("hostnames", hosts.into_iter().collect::<Vec<_>>().join(" "));
    m
}

#[test]
fn report_matches_openssl() {
    let f = Fixture::new();
    let (leaf, leaf_only) = ca_signed(&f.dir);
    let certs = vec![
        self_signed(&f.dir, "cn", "/CN=dokku.me", None, true),
        self_signed(
            &f.dir,
            "multi",
            "/C=US/ST=California/L=San Francisco/O=Expa/OU=Operations/CN=node-js-app.dokku.me",
            None,
            false,
        ),
        self_signed(
            &f.dir,
            "sans",
            "/CN=test.dokku.me",
            Some("DNS:www.test.dokku.me,DNS:www.test.app.dokku.me,DNS:test.dokku.me"),
            false,
        ),
        self_signed(
            &f.dir,
            "odd",
            "/O=a,b/OU=\"q\" #x/L= lead /ST=back\\\\slash<;>/CN=\u{e9}.example.com/DC=com+DC=example",
            Some("DNS:a.example.com,IP:10.0.0.1,IP:2001:db8::1,email:x@y.z,URI:http://u/DNS:x"),
            false,
        ),
        self_signed(&f.dir, "nocn", "/O=No Common Name", None, false),
        leaf,
    ];
    for pair in &certs {
        f.dokku(&["certs:add", "web", &f.path(&pair.crt), &f.path(&pair.key)])
            .ok();
        let expected = upstream_report(&f.dir, &pair.crt);
        for (key, value) in &expected {
            f.dokku(&["certs:report", "web", &format!("--ssl-{key}")])
                .ok()
                .stdout(&format!("{value}\n"))
                .stderr("");
        }
    }

    // The whole report for the last certificate, in both formats.
    let last = certs.last().unwrap();
    let e = upstream_report(&f.dir, &last.crt);
    let tls = f.tls("web").display().to_string();
    let expected = format!(
        "=====> web ssl information\n\
         \x20      Ssl dir:                       {tls}\n\
         \x20      Ssl enabled:                   true\n\
         \x20      Ssl expires at:                {}\n\
         \x20      Ssl hostnames:                 leaf.example.com www.leaf.example.com\n\
         \x20      Ssl issuer:                    O = Test CA, CN = Test Root\n\
         \x20      Ssl starts at:                 {}\n\
         \x20      Ssl subject:                   CN=leaf.example.com\n\
         \x20      Ssl verified:                  self signed\n",
        e["expires-at"], e["starts-at"]
    );
    f.dokku(&["certs:report", "web"])
        .ok()
        .stdout(&expected)
        .stderr("");
    f.dokku(&["report", "web"]).ok().stdout_has(&expected);
    let json = f.dokku(&["certs:report", "web", "--format", "json"]);
    json.ok().stdout(&format!(
        "{{\"dir\":\"{tls}\",\"enabled\":\"true\",\"expires-at\":\"{}\",\"hostnames\":\"leaf.example.com www.leaf.example.com\",\"issuer\":\"O = Test CA, CN = Test Root\",\"starts-at\":\"{}\",\"subject\":\"CN=leaf.example.com\",\"verified\":\"self signed\"}}\n",
        e["expires-at"], e["starts-at"]
    ));

    // With letsencrypt's chain file, openssl verifies against the CA in server.crt.
    fs::copy(&leaf_only, f.tls("web").join("server.letsencrypt.crt")).unwrap();
    f.dokku(&["certs:report", "web", "--ssl-verified"])
        .ok()
        .stdout("verified by a certificate authority\n");
}

#[test]
fn report_without_certificate_and_errors() {
    let f = Fixture::new();
    let tls = f.tls("web").display().to_string();
    f.dokku(&["certs:report", "web"]).ok().stdout(&format!(
        "=====> web ssl information\n\
         \x20      Ssl dir:                       {tls}\n\
         \x20      Ssl enabled:                   false\n\
         \x20      Ssl expires at:                \n\
         \x20      Ssl hostnames:                 \n\
         \x20      Ssl issuer:                    \n\
         \x20      Ssl starts at:                 \n\
         \x20      Ssl subject:                   \n\
         \x20      Ssl verified:                  \n"
    ));
    f.dokku(&["certs:report", "web", "--ssl-dir"])
        .ok()
        .stdout(&format!("{tls}\n"));
    f.dokku(&["certs:report", "web", "--ssl-hostnames"])
        .ok()
        .stdout("\n");
    f.dokku(&["certs:report", "web", "--ssl-invalid-flag"])
        .code(1)
        .stdout("")
        .stderr(" !     Invalid flag passed, valid flags: --ssl-dir, --ssl-enabled, --ssl-expires-at, --ssl-hostnames, --ssl-issuer, --ssl-starts-at, --ssl-subject, --ssl-verified\n");
    f.dokku(&["certs:report", "--global", "--format", "json"])
        .ok()
        .stdout("{}\n");
    f.dokku(&["certs:report", "--global"])
        .ok()
        .stdout("=====> --global ssl information\n");
    f.dokku(&["certs:report", "--global", "--ssl-bogus"])
        .code(1)
        .stderr(" !     Invalid flag passed, valid flags: \n");
    f.dokku(&["certs:report", "missing"])
        .code(20)
        .stderr(" !     App missing does not exist\n");
    f.dokku(&["certs:report", "web", "--format", "xml"])
        .code(1)
        .stderr(" !     Format must be \"stdout\" or \"json\": \"xml\"\n");
    // Every app when none is named.
    f.dokku(&["apps:create", "api"]).ok();
    let all = f.dokku(&["certs:report"]);
    all.ok();
    assert!(all.stdout.starts_with("=====> api ssl information\n"));
    assert!(all.stdout.contains("=====> web ssl information\n"));

    // A certificate that cannot be parsed reports nothing but the dir and enabled.
    fs::create_dir_all(f.tls("web")).unwrap();
    fs::write(f.tls("web").join("server.crt"), "junk").unwrap();
    fs::write(f.tls("web").join("server.key"), "junk").unwrap();
    f.dokku(&["certs:report", "web", "--ssl-subject"])
        .ok()
        .stdout("\n");
    f.dokku(&["certs:report", "web", "--ssl-verified"])
        .ok()
        .stdout("self signed\n");
}

#[test]
fn ports_follow_the_certificate() {
    let f = Fixture::new();
    let pair = self_signed(&f.dir, "server", "/CN=dokku.me", None, false);
    let (crt, key) = (f.path(&pair.crt), f.path(&pair.key));
    f.dokku(&["ports:set", "web", "http:80:5000"]).ok();
    f.dokku(&["certs:add", "web", &crt, &key]).ok();
    f.dokku(&["--quiet", "ports:report", "web", "--ports-map"])
        .ok()
        .stdout("http:80:5000 https:443:5000\n");
    f.dokku(&["certs:remove", "web"]).ok();
    f.dokku(&["--quiet", "ports:report", "web", "--ports-map"])
        .ok()
        .stdout("http:80:5000\n");
}

#[test]
fn generate_self_signed() {
    let f = Fixture::new();
    let answers = b"US\nCA\nSF\nOrg\nOU\nexample.com\n\n\n\n";
    let run = f.run(&["certs:generate", "web", "example.com"], Some(answers));
    run.ok();
    let tls = f.tls("web");
    let csr = fs::read_to_string(tls.join("server.csr")).unwrap();
    assert!(
        run.stdout
            .starts_with("-----> Installing certificate and key...\n"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.ends_with(&format!(
        "-----> The following is a certificate signing request that can be used\n\
         -----> to generate an 'officially' signed SSL certificate for web at example.com\n\
         -----> by a CA of your choosing.\n{csr}"
    )));
    for name in ["server.crt", "server.csr", "server.key"] {
        assert_eq!(mode(&tls.join(name)), 0o640, "{name}");
    }
    assert_eq!(mode(&tls), 0o750);
    f.dokku(&["certs:report", "web", "--ssl-subject"])
        .ok()
        .stdout("C=US; ST=CA; L=SF; O=Org; OU=OU; CN=example.com\n");
    f.dokku(&["domains:report", "web", "--domains-app-vhosts"])
        .ok()
        .stdout("example.com\n");
    f.dokku(&["certs:generate", "web", "example.com"])
        .ok()
        .stdout("-----> web has an SSL endpoint already defined\n")
        .stderr("");

    // Without a subject on stdin openssl fails, and its status ends the command.
    f.dokku(&["apps:create", "api"]).ok();
    let run = f.dokku(&["certs:generate", "api"]);
    run.code(1);
    assert!(!f.tls("api").exists());
    f.assert_tmp_clean();
}

/// One of this plugin's triggers, run directly (not through `plugn trigger`).
fn hook(f: &Fixture, args: &[&str]) -> Run {
    let path = f
        .root
        .lib()
        .join("core-plugins/available/certs")
        .join(args[0]);
    Run::from(
        f.root
            .command(&path)
            .args(&args[1..])
            .env("PLUGIN_PATH", f.root.lib().join("plugins"))
            .env(
                "PLUGIN_CORE_AVAILABLE_PATH",
                f.root.lib().join("core-plugins/available"),
            )
            .env(
                "PLUGIN_AVAILABLE_PATH",
                f.root.lib().join("plugins/available"),
            )
            .output()
            .unwrap(),
    )
}

#[test]
fn triggers() {
    let f = Fixture::new();
    let pair = self_signed(
        &f.dir,
        "server",
        "/CN=dokku.me",
        Some("DNS:www.dokku.me,IP:10.0.0.1"),
        false,
    );
    let (crt, key) = (f.path(&pair.crt), f.path(&pair.key));
    hook(&f, &["certs-exists", "web"]).ok().stdout("false\n");
    hook(&f, &["certs-get", "web", "crt"])
        .code(1)
        .stdout("")
        .stderr("");
    hook(&f, &["certs-set", "web", &crt, "/nonexistent/server.key"])
        .code(1)
        .stderr(" !     KEY file specified not found, please check file paths\n");
    hook(&f, &["certs-set", "web", &crt])
        .code(1)
        .stderr(" !     Both CRT and KEY file paths are required\n");
    hook(&f, &["certs-set", "missing", &crt, &key])
        .code(20)
        .stderr(" !     App missing does not exist\n");
    // The certificate's names as upstream's nginx-vhosts word-splits them.
    hook(&f, &["certs-set", "web", &crt, &key])
        .ok()
        .stdout(&nginx_https(
            true,
            &["IP", "Address:10.0.0.1", "dokku.me", "www.dokku.me"],
        ))
        .stderr(NO_LISTENERS);
    hook(&f, &["certs-exists", "web"]).ok().stdout("true\n");
    hook(&f, &["certs-exists", "../web"]).ok().stdout("false\n");
    let got = hook(&f, &["certs-get", "web", "key"]);
    got.ok();
    assert_eq!(got.stdout.as_bytes(), pair.key_bytes());
    hook(&f, &["certs-get", "web", "pem"]).code(1).stdout("");

    // The bash library plugins source.
    let script = "set -eo pipefail; source \"$PLUGIN_AVAILABLE_PATH/certs/functions\"; \
         is_ssl_enabled web && echo yes; is_ssl_enabled api || echo no; get_ssl_hostnames web";
    let run = Run::from(
        f.root
            .command("bash")
            .args(["-c", script])
            .env("PLUGIN_PATH", f.root.lib().join("plugins"))
            .env(
                "PLUGIN_CORE_AVAILABLE_PATH",
                f.root.lib().join("core-plugins/available"),
            )
            .env(
                "PLUGIN_AVAILABLE_PATH",
                f.root.lib().join("plugins/available"),
            )
            .output()
            .unwrap(),
    );
    // As upstream's sed pipeline leaves it, the IP entry keeps its leading space.
    run.ok()
        .stdout("yes\nno\n IP Address:10.0.0.1\ndokku.me\nwww.dokku.me\n");

    // A clone starts without the certificate, and the ports plugin hears of it.
    f.dokku(&["apps:create", "copy"]).ok();
    fs::create_dir_all(f.tls("copy")).unwrap();
    fs::write(f.tls("copy").join("server.crt"), "x").unwrap();
    hook(&f, &["post-app-clone-setup", "web", "copy"]).ok();
    assert!(!f.tls("copy").exists());
    assert!(f.tls("web").exists());
    hook(&f, &["post-app-clone-setup", "web", "../x"]).code(1);

    hook(&f, &["certs-remove", "web"])
        .ok()
        .stdout(&format!(
            "-----> Removing SSL endpoint from web\n{NGINX_HTTP}"
        ))
        .stderr(NO_LISTENERS);
    hook(&f, &["certs-remove", "web"])
        .code(1)
        .stderr(" !     An app-specific SSL endpoint is not defined\n");
    hook(&f, &["certs-remove", "missing"]).code(20);
}

#[test]
fn rename_keeps_the_certificate() {
    let f = Fixture::new();
    let pair = self_signed(&f.dir, "server", "/CN=dokku.me", None, false);
    f.dokku(&["certs:add", "web", &f.path(&pair.crt), &f.path(&pair.key)])
        .ok();
    f.dokku(&["apps:rename", "--skip-deploy", "web", "moved"])
        .ok();
    assert!(!f.tls("web").exists());
    let tls = f.tls("moved");
    assert_eq!(fs::read(tls.join("server.crt")).unwrap(), pair.crt_bytes());
    assert_eq!(fs::read(tls.join("server.key")).unwrap(), pair.key_bytes());
    assert_eq!(mode(&tls), 0o750);
    assert_eq!(mode(&tls.join("server.key")), 0o640);
    f.dokku(&["certs:report", "moved", "--ssl-enabled"])
        .ok()
        .stdout("true\n");
}

#[test]
fn destroy_removes_the_certificate() {
    let f = Fixture::new();
    let pair = self_signed(&f.dir, "server", "/CN=dokku.me", None, false);
    f.dokku(&["certs:add", "web", &f.path(&pair.crt), &f.path(&pair.key)])
        .ok();
    f.dokku(&["--force", "apps:destroy", "web"]).ok();
    assert!(!f.tls("web").exists());
    f.dokku(&["apps:create", "web"]).ok();
    f.dokku(&["certs:report", "web", "--ssl-enabled"])
        .ok()
        .stdout("false\n");
}
