//! The `certs:*` subcommands. Each receives the arguments after its command word.

use std::io::IsTerminal;

use dokku_common::args::nth;
use dokku_common::{app, bash_help, log, report, Error, Result};

use crate::tls;

pub const NAME: &str = "certs";
pub const DESCRIPTION: &str = "Manage SSL (TLS) certs";
pub const HELP: &[&str] = &[
    "    certs:add <app> CRT KEY, Add an ssl endpoint to an app. Can also import from a tarball on stdin",
    "    certs:chain CRT [CRT ...], [NOT IMPLEMENTED] Print the ordered and complete chain for the given certificate",
    "    certs:generate <app> DOMAIN, Generate a key and certificate signing request (and self-signed certificate)",
    "    certs:key <app> CRT KEY [KEY ...], [NOT IMPLEMENTED] Print the correct key for the given certificate",
    "    certs:remove <app>, Remove an SSL Endpoint from an app",
    "    certs:report [<app>] [<flag>], Displays an ssl report for one or more apps",
    "    certs:rollback <app>, [NOT IMPLEMENTED] Rollback an SSL Endpoint for an app",
    "    certs:show <app> <crt|key>, Show the server.crt or server.key on stdout",
    "    certs:update <app> CRT KEY, Update an SSL Endpoint on an app. Can also import from a tarball on stdin",
];

/// The bash `verify_app_name`: any failure is `App <app> does not exist`, exit 20.
pub fn verify_app(name: &str) -> Result<()> {
    app::verify_app_name(name).map_err(|_| Error::app_does_not_exist(name))
}

/// Bare `dokku certs`: the usage, as `certs:help` prints it.
pub fn default(_args: &[String]) -> Result<()> {
    log::write_stdout(&bash_help::usage(NAME, DESCRIPTION, HELP));
    Ok(())
}

/// `certs:add|update <app> CRT KEY`, or `<app>` with a tarball on stdin.
pub fn add(args: &[String]) -> Result<()> {
    let (name, crt, key) = (nth(args, 0), nth(args, 1), nth(args, 2));
    verify_app(name)?;
    if !crt.is_empty() && !key.is_empty() {
        if !tls::readable(crt) {
            return Err(log::fail(tls::MSG_CRT_NOT_FOUND));
        }
        if !tls::readable(key) {
            return Err(log::fail(tls::MSG_KEY_NOT_FOUND));
        }
        return tls::set_from_files(name, crt, key);
    }
    if std::io::stdin().is_terminal() {
        return Err(log::fail(tls::MSG_TAR_EXPECTED));
    }
    let pair = crate::tarball::import_stdin()?;
    tls::install(name, &pair.crt, &pair.key)
}

/// `certs:generate <app> [DOMAIN]`.
pub fn generate(args: &[String]) -> Result<()> {
    let name = nth(args, 0);
    verify_app(name)?;
    tls::generate(name, nth(args, 1))
}

/// `certs:remove <app>`.
pub fn remove(args: &[String]) -> Result<()> {
    let name = nth(args, 0);
    verify_app(name)?;
    tls::remove(name)
}

/// `certs:show <app> crt|key`.
pub fn show(args: &[String]) -> Result<()> {
    let (name, kind) = (nth(args, 0), nth(args, 1));
    verify_app(name)?;
    if kind != "key" && kind != "crt" {
        return Err(log::fail("specify either 'key' or 'crt'"));
    }
    if !tls::is_ssl_enabled(name) {
        return Err(log::fail(format!(
            "{name} doesn't have an SSL endpoint defined"
        )));
    }
    let path = tls::tls_dir(name).join(format!("server.{kind}"));
    let data = std::fs::read(&path)
        .map_err(|e| Error::new(format!("Unable to read {}: {e}", path.display())))?;
    tls::write_bytes(&data);
    Ok(())
}

/// `certs:report [<app>|--global] [--format stdout|json] [--<flag>]`.
pub fn report(args: &[String]) -> Result<()> {
    report::run_subcommand(NAME, args, &crate::report::SslReport)
}
