//! The triggers the certs plugin implements.

use dokku_common::args::nth;
use dokku_common::fs as dfs;
use dokku_common::{app, log, report, trigger, Error, Result};

use crate::commands::verify_app;
use crate::tls;

/// `certs-exists <app>`: `true` or `false`.
pub fn certs_exists(args: &[String]) -> Result<()> {
    log::log(if tls::is_ssl_enabled(nth(args, 0)) {
        "true"
    } else {
        "false"
    });
    Ok(())
}

/// `certs-get <app> crt|key`: the file's content; status 1 (nothing printed) otherwise.
pub fn certs_get(args: &[String]) -> Result<()> {
    let (name, kind) = (nth(args, 0), nth(args, 1));
    if (kind != "key" && kind != "crt") || !tls::is_ssl_enabled(name) {
        return Err(Error::silent(1));
    }
    let data = std::fs::read(tls::tls_dir(name).join(format!("server.{kind}")))
        .map_err(|_| Error::silent(1))?;
    tls::write_bytes(&data);
    Ok(())
}

/// `certs-remove <app>`.
pub fn certs_remove(args: &[String]) -> Result<()> {
    let name = nth(args, 0);
    verify_app(name)?;
    tls::remove(name)
}

/// `certs-set <app> <crt-file> <key-file>`.
pub fn certs_set(args: &[String]) -> Result<()> {
    let name = nth(args, 0);
    verify_app(name)?;
    tls::set_from_files(name, nth(args, 1), nth(args, 2))
}

/// `post-app-clone-setup <old> <new>`: a clone starts without the certificate.
pub fn post_app_clone_setup(args: &[String]) -> Result<()> {
    let new = nth(args, 1);
    app::check_name(new)?;
    let dir = tls::tls_dir(new);
    dfs::remove_all(&dir)
        .map_err(|e| Error::new(format!("Unable to remove {}: {e}", dir.display())))?;
    trigger::call_ok("post-certs-remove", &[new])
}

/// `post-app-rename-setup <old> <new>`: the renamed app keeps its certificate. Upstream has
/// no such hook and relies on the git plugin copying the whole app directory; copying `tls/`
/// here keeps the certificate whatever the order of the plugins.
pub fn post_app_rename_setup(args: &[String]) -> Result<()> {
    let (old, new) = dokku_common::property::app_pair(args)?;
    let (src, dst) = (tls::tls_dir(old), tls::tls_dir(new));
    if !src.is_dir() {
        return Ok(());
    }
    dokku_common::data::copy_tree(&src, &dst)
        .map_err(|e| Error::new(format!("Unable to copy {}: {e}", src.display())))
}

/// `report <app>`.
pub fn report(args: &[String]) -> Result<()> {
    report::report_one(&crate::report::SslReport, nth(args, 0), "", None)
}
