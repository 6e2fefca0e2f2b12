//! dokku's log helpers (dokku-core §1.9, bash-api §1.2): exact prefixes and streams.
//!
//! The `*_quiet` variants print nothing when `DOKKU_QUIET_OUTPUT` is non-empty. Failures are
//! not printed here: [`fail`] builds an [`Error`] that `main` prints and exits with.
//! Write errors (a closed pipe) are ignored rather than panicking.

use std::io::Write;

use crate::error::Error;

pub const INFO1: &str = "-----> ";
pub const INFO2: &str = "=====> ";
pub const VERBOSE: &str = "       ";
pub const WARN: &str = " !     ";

/// Write raw text to stdout.
pub fn write_stdout(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
}

/// Write raw text to stderr.
pub fn write_stderr(text: &str) {
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(text.as_bytes());
    let _ = err.flush();
}

fn line(prefix: &str, msg: &str) -> String {
    format!("{prefix}{msg}\n")
}

/// `msg` on stdout (Go `Log`, bash `echo`).
pub fn log(msg: &str) {
    write_stdout(&line("", msg));
}

/// `msg` on stdout unless quiet (`dokku_log_quiet`).
pub fn log_quiet(msg: &str) {
    if !crate::env::quiet() {
        log(msg);
    }
}

/// `-----> msg` on stdout.
pub fn info1(msg: &str) {
    write_stdout(&line(INFO1, msg));
}

pub fn info1_quiet(msg: &str) {
    if !crate::env::quiet() {
        info1(msg);
    }
}

/// `=====> msg` on stdout.
pub fn info2(msg: &str) {
    write_stdout(&line(INFO2, msg));
}

pub fn info2_quiet(msg: &str) {
    if !crate::env::quiet() {
        info2(msg);
    }
}

/// Seven spaces then `msg`, on stdout.
pub fn verbose(msg: &str) {
    write_stdout(&line(VERBOSE, msg));
}

pub fn verbose_quiet(msg: &str) {
    if !crate::env::quiet() {
        verbose(msg);
    }
}

/// ` !     msg` on stderr.
pub fn warn(msg: &str) {
    write_stderr(&line(WARN, msg));
}

pub fn warn_quiet(msg: &str) {
    if !crate::env::quiet() {
        warn(msg);
    }
}

/// ` !     msg` on **stdout**.
pub fn exclaim(msg: &str) {
    write_stdout(&line(WARN, msg));
}

pub fn exclaim_quiet(msg: &str) {
    if !crate::env::quiet() {
        exclaim(msg);
    }
}

/// `msg` on stderr, no prefix (`dokku_log_stderr`).
pub fn stderr(msg: &str) {
    write_stderr(&line("", msg));
}

/// ` ?     msg` on stderr when `DOKKU_TRACE=1` (Go `LogDebug`).
pub fn debug(msg: &str) {
    if crate::env::var("DOKKU_TRACE").as_deref() == Some("1") {
        write_stderr(&line(" ?     ", msg.strip_prefix(" ?     ").unwrap_or(msg)));
    }
}

/// The bash `dokku_log_fail`: ` !     msg`, exit `${DOKKU_FAIL_EXIT_CODE:-1}`.
pub fn fail(msg: impl Into<String>) -> Error {
    Error::with_code(msg, crate::env::fail_exit_code())
}

/// The bash `dokku_log_fail_quiet`: message hidden when quiet, still fails.
pub fn fail_quiet(msg: impl Into<String>) -> Error {
    fail(msg).quiet()
}

/// `printf "%-6s %-18s %-25s %-25s %-25s\n"` as the `dokku_col_log_*` helpers do.
pub fn col_line(lead: &str, cols: [&str; 4]) -> String {
    format!(
        "{:<6} {:<18} {:<25} {:<25} {:<25}\n",
        lead, cols[0], cols[1], cols[2], cols[3]
    )
}

/// `dokku_col_log_info1`.
pub fn col_info1(cols: [&str; 4]) {
    write_stdout(&col_line("----->", cols));
}

/// `dokku_col_log_info2`.
pub fn col_info2(cols: [&str; 4]) {
    write_stdout(&col_line("=====>", cols));
}

/// `dokku_col_log_msg`: `printf "%-25s %-25s %-25s %-25s\n"`.
pub fn col_msg(cols: [&str; 4]) {
    write_stdout(&format!(
        "{:<25} {:<25} {:<25} {:<25}\n",
        cols[0], cols[1], cols[2], cols[3]
    ));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes() {
        assert_eq!(line(INFO1, "a"), "-----> a\n");
        assert_eq!(line(INFO2, "a"), "=====> a\n");
        assert_eq!(line(VERBOSE, "a"), "       a\n");
        assert_eq!(line(WARN, "a"), " !     a\n");
    }

    #[test]
    fn columns() {
        assert_eq!(
            col_line("----->", ["App name", "Certificate Expiry", "Time before expiry", "Time before renewal"]),
            "-----> App name           Certificate Expiry        Time before expiry        Time before renewal      \n"
        );
    }
}
