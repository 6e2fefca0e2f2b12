//! The app's `$DOKKU_ROOT/<app>/tls` directory: `server.crt`, `server.key` and, after
//! `certs:generate`, `server.csr`. The directory is 0750 and the files 0640, as upstream
//! leaves them. Every file is written atomically.

use std::path::{Path, PathBuf};
use std::process::Command;

use dokku_common::fs as dfs;
use dokku_common::{log, trigger, Error, Paths, Result};

use crate::tarball::TempDir;
use crate::validate;

pub const DIR_MODE: u32 = 0o750;
pub const FILE_MODE: u32 = 0o640;

pub const MSG_TAR_EXPECTED: &str =
    "Tar archive containing server.crt and server.key expected on stdin";
pub const MSG_CRT_NOT_FOUND: &str = "CRT file specified not found, please check file paths";
pub const MSG_KEY_NOT_FOUND: &str = "KEY file specified not found, please check file paths";
pub const MSG_NO_ENDPOINT: &str = "An app-specific SSL endpoint is not defined";

/// `$DOKKU_ROOT/<app>/tls` (the name must have been validated).
pub fn tls_dir(app: &str) -> PathBuf {
    Paths::from_env().app_root(app).join("tls")
}

/// `is_ssl_enabled`: both `server.crt` and `server.key` exist.
pub fn is_ssl_enabled(app: &str) -> bool {
    if dokku_common::app::check_name(app).is_err() {
        return false;
    }
    let dir = tls_dir(app);
    dir.join("server.crt").exists() && dir.join("server.key").exists()
}

/// `[[ -r path ]]`.
pub fn readable(path: &str) -> bool {
    !path.is_empty() && nix::unistd::access(Path::new(path), nix::unistd::AccessFlags::R_OK).is_ok()
}

/// Read a file named on the command line; a directory or unreadable file is "not found".
fn read_named(path: &str, missing: &str) -> Result<Vec<u8>> {
    if !readable(path) {
        return Err(log::fail(missing));
    }
    std::fs::read(path).map_err(|_| log::fail(missing))
}

/// `fn-certs-set` with file paths: both given and readable, then [`install`].
pub fn set_from_files(app: &str, crt: &str, key: &str) -> Result<()> {
    if crt.is_empty() || key.is_empty() {
        return Err(log::fail("Both CRT and KEY file paths are required"));
    }
    let crt = read_named(crt, MSG_CRT_NOT_FOUND)?;
    let key = read_named(key, MSG_KEY_NOT_FOUND)?;
    install(app, &crt, &key)
}

fn write_file(dir: &Path, name: &str, data: &[u8]) -> Result<()> {
    dfs::write_atomic(&dir.join(name), data, FILE_MODE)
        .map_err(|e| Error::new(format!("Unable to write {name}: {e}")))
}

fn ensure_tls_dir(app: &str) -> Result<PathBuf> {
    let dir = tls_dir(app);
    dfs::ensure_dir(&dir, DIR_MODE)
        .map_err(|e| Error::new(format!("Unable to create {}: {e}", dir.display())))?;
    Ok(dir)
}

/// Install a checked certificate and key, then tell the proxies and the ports plugin.
pub fn install(app: &str, crt: &[u8], key: &[u8]) -> Result<()> {
    validate::check_pair(crt, key)?;
    let dir = ensure_tls_dir(app)?;
    write_file(&dir, "server.crt", crt)?;
    write_file(&dir, "server.key", key)?;
    trigger::call_ok("post-certs-update", &[app])?;
    trigger::call_ok("post-domains-update", &[app])
}

/// `fn-certs-remove`.
pub fn remove(app: &str) -> Result<()> {
    let dir = tls_dir(app);
    if !dir.is_dir() {
        return Err(log::fail(MSG_NO_ENDPOINT));
    }
    log::info1(&format!("Removing SSL endpoint from {app}"));
    dfs::remove_all(&dir)
        .map_err(|e| Error::new(format!("Unable to remove {}: {e}", dir.display())))?;
    trigger::call_ok("post-certs-remove", &[app])?;
    trigger::call_ok("post-domains-update", &[app])
}

/// Run one `openssl` step in `dir` with the terminal's stdio (`req` asks for the subject);
/// a failure ends the command with openssl's status, as `set -e` does upstream.
fn openssl(dir: &Path, args: &[&str]) -> Result<()> {
    let status = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .status()
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => Error::with_code("openssl: command not found", 127),
            _ => Error::new(format!("Unable to run openssl: {e}")),
        })?;
    match status.code() {
        Some(0) => Ok(()),
        Some(code) => Err(Error::silent(code)),
        None => Err(Error::silent(1)),
    }
}

/// `certs:generate`: a 2048-bit key, a CSR (openssl asks for its subject) and a self-signed
/// certificate valid for 365 days, made in a private directory and then installed.
pub fn generate(app: &str, domain: &str) -> Result<()> {
    let dir = tls_dir(app);
    if dir.join("server.key").is_file() || dir.join("server.crt").is_file() {
        log::info1(&format!("{app} has an SSL endpoint already defined"));
        return Ok(());
    }
    let work = TempDir::new("cmd-certs-generate")?;
    openssl(work.path(), &["genrsa", "-out", "server.key", "2048"])?;
    openssl(
        work.path(),
        &["req", "-new", "-key", "server.key", "-out", "server.csr"],
    )?;
    openssl(
        work.path(),
        &[
            "x509",
            "-req",
            "-days",
            "365",
            "-in",
            "server.csr",
            "-signkey",
            "server.key",
            "-out",
            "server.crt",
        ],
    )?;
    let read = |name: &str| {
        std::fs::read(work.path().join(name))
            .map_err(|e| Error::new(format!("Unable to read the generated {name}: {e}")))
    };
    let (crt, csr, key) = (
        read("server.crt")?,
        read("server.csr")?,
        read("server.key")?,
    );

    let dir = ensure_tls_dir(app)?;
    log::info1("Installing certificate and key...");
    write_file(&dir, "server.crt", &crt)?;
    write_file(&dir, "server.csr", &csr)?;
    write_file(&dir, "server.key", &key)?;
    trigger::call_ok("post-certs-update", &[app])?;
    if !domain.is_empty() && trigger::call("domains-add", &[app, domain])? != 0 {
        trigger::call_ok("post-domains-update", &[app])?;
    }
    log::info1("The following is a certificate signing request that can be used");
    log::info1(&format!(
        "to generate an 'officially' signed SSL certificate for {app} at {domain}"
    ));
    log::info1("by a CA of your choosing.");
    write_bytes(&csr);
    Ok(())
}

/// Raw bytes on stdout (certificates and keys are printed as stored).
pub fn write_bytes(data: &[u8]) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(data);
    let _ = out.flush();
}
