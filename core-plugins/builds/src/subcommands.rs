//! `builds:*` subcommands. Arguments are parsed as upstream's pflag sets parse them; every
//! check happens before anything is written.

use std::io::{Read, Seek, SeekFrom, Write};
use std::path::Path;
use std::time::Duration;

use dokku_common::pflag::{Flag, FlagSet, Kind};
use dokku_common::property::{self, GLOBAL};
use dokku_common::text::{columnize, go_quote};
use dokku_common::{app, env, log, report, Error, Result};

use crate::record::{
    Build, ABANDONED, CANCELED, FAILED, KIND_BUILD, KIND_DEPLOY, RUNNING, SUCCEEDED,
};
use crate::store::{self, ReadError, PLUGIN};

const FORMAT: Flag = Flag {
    name: "format",
    kind: Kind::Str("stdout"),
    usage: "format: [ stdout | json ]",
};

const GLOBAL_FLAG: Flag = Flag {
    name: "global",
    kind: Kind::Bool,
    usage: "--global: set a global property",
};

fn parse(name: &str, flags: &[Flag], args: &[String]) -> Result<dokku_common::pflag::Parsed> {
    FlagSet { name, flags }.parse(args)
}

/// `--format` as given, `""` meaning the default.
fn check_format(format: &str) -> Result<&str> {
    match format {
        "" | "stdout" => Ok("stdout"),
        "json" => Ok("json"),
        _ => Err(Error::new(
            "Invalid format specified, supported formats: json, stdout",
        )),
    }
}

/// `builds:list [<app>] [--format json] [--kind build|deploy] [--status <status>]`.
pub fn list(args: &[String]) -> Result<()> {
    let parsed = parse(
        "builds:list",
        &[
            FORMAT,
            Flag {
                name: "kind",
                kind: Kind::Str(""),
                usage: "filter by kind: [ build | deploy ]",
            },
            Flag {
                name: "status",
                kind: Kind::Str(""),
                usage: "filter by status: [ running | succeeded | failed | canceled | abandoned ]",
            },
        ],
        args,
    )?;
    let format = check_format(parsed.string("format"))?;
    let kind = parsed.string("kind");
    let status = parsed.string("status");
    if !kind.is_empty() && kind != KIND_BUILD && kind != KIND_DEPLOY {
        return Err(Error::new(format!(
            "Invalid --kind value {} (allowed: build, deploy)",
            go_quote(kind)
        )));
    }
    if !status.is_empty() && ![RUNNING, SUCCEEDED, FAILED, CANCELED, ABANDONED].contains(&status) {
        return Err(Error::new(format!(
            "Invalid --status value {} (allowed: running, succeeded, failed, canceled, abandoned)",
            go_quote(status)
        )));
    }
    let name = parsed.arg(0);
    if name.is_empty() {
        return list_running(format, kind, status);
    }
    app::verify_app_name(name)?;
    let builds: Vec<Build> = store::fetch(name)?.into_iter().map(|l| l.build).collect();
    let retention = store::retention(name);
    let mut views: Vec<Build> = builds
        .into_iter()
        .filter(|b| matches(b, kind, status))
        .collect();
    // Live builds first, then newest first (the fetch order).
    views.sort_by_key(|b| !b.is_live());
    if status.is_empty() && kind.is_empty() {
        let live = views
            .iter()
            .filter(|b| b.display_status() == RUNNING)
            .count();
        let cap = live.saturating_add(usize::try_from(retention).unwrap_or(usize::MAX));
        views.truncate(cap);
    }
    if format == "json" {
        log::log(&json_array(&views));
        return Ok(());
    }
    if views.is_empty() {
        log::log("No builds recorded for this app");
        return Ok(());
    }
    let mut rows = vec!["Build ID | Kind | Status | PID | Source | Started | Duration".to_string()];
    rows.extend(views.iter().map(|b| {
        format!(
            "{} | {} | {} | {} | {} | {} | {}",
            b.id,
            b.kind,
            b.display_status(),
            b.pid,
            b.source,
            b.started_at.rfc3339(),
            b.duration()
        )
    }));
    log::log(&columnize(&rows, "|", ""));
    Ok(())
}

fn matches(b: &Build, kind: &str, status: &str) -> bool {
    (kind.is_empty() || b.kind == kind) && (status.is_empty() || b.display_status() == status)
}

fn json_array(builds: &[Build]) -> String {
    let items: Vec<String> = builds
        .iter()
        .map(|b| b.to_view_json(&store::display_log_path(b)))
        .collect();
    format!("[{}]", items.join(","))
}

/// `builds:list` without an app: the records still marked running, across apps.
fn list_running(format: &str, kind: &str, status: &str) -> Result<()> {
    let apps = match app::dokku_apps() {
        Ok(apps) => apps,
        Err(e) if e.message() == app::MSG_NO_APPS => Vec::new(),
        Err(e) => return Err(e),
    };
    let mut views = Vec::new();
    for name in apps {
        let builds = match store::fetch(&name) {
            Ok(builds) => builds,
            Err(e) => {
                log::warn(&format!(
                    "Could not read builds for {name}: {}",
                    e.message()
                ));
                continue;
            }
        };
        views.extend(
            builds
                .into_iter()
                .map(|l| l.build)
                .filter(|b| b.status == RUNNING && matches(b, kind, status)),
        );
    }
    views.sort_by_key(|b| std::cmp::Reverse(b.started_at));
    if format == "json" {
        log::log(&json_array(&views));
        return Ok(());
    }
    if views.is_empty() {
        log::log("No builds currently running");
        return Ok(());
    }
    let mut rows = vec!["App | Build ID | Kind | PID | Source | Started".to_string()];
    rows.extend(views.iter().map(|b| {
        format!(
            "{} | {} | {} | {} | {} | {}",
            b.app,
            b.id,
            b.kind,
            b.pid,
            b.source,
            b.started_at.rfc3339()
        )
    }));
    log::log(&columnize(&rows, "|", ""));
    Ok(())
}

/// `builds:info <app> <build-id> [--format json|stdout]`.
pub fn info(args: &[String]) -> Result<()> {
    let parsed = parse("builds:info", &[FORMAT], args)?;
    let format = check_format(parsed.string("format"))?;
    let name = parsed.arg(0);
    app::verify_app_name(name)?;
    let id = parsed.arg(1);
    if id.is_empty() {
        return Err(Error::new("Please specify a build id"));
    }
    let build = match store::read(name, id) {
        Ok(b) => b,
        Err(ReadError::NotFound) => {
            return Err(Error::new(format!("No build record found for {name}/{id}")))
        }
        Err(ReadError::Other(e)) => return Err(Error::new(e)),
    };
    let log_path = store::display_log_path(&build);
    if format == "json" {
        log::log(&build.to_view_json(&log_path));
        return Ok(());
    }
    let mut rows = vec![
        format!("Build ID:|{}", build.id),
        format!("App:|{}", build.app),
        format!("Kind:|{}", build.kind),
        format!("Status:|{}", build.display_status()),
        format!("PID:|{}", build.pid),
        format!("Source:|{}", build.source),
        format!("Started:|{}", build.started_at.rfc3339()),
    ];
    if let Some(t) = &build.finished_at {
        rows.push(format!("Finished:|{}", t.rfc3339()));
    }
    rows.push(format!("Duration:|{}", build.duration()));
    if let Some(code) = build.exit_code {
        rows.push(format!("Exit Code:|{code}"));
    }
    rows.push(format!("Log:|{log_path}"));
    log::log(&columnize(&rows, "|", ""));
    Ok(())
}

/// `builds:cancel <app>`: signal the process group of the build holding the deploy lock
/// and record it as canceled.
pub fn cancel(args: &[String]) -> Result<()> {
    let parsed = parse("builds:cancel", &[], args)?;
    let name = parsed.arg(0);
    app::verify_app_name(name)?;
    let Some(id) = store::deploy_lock_id(name)? else {
        log::info1("App not currently deploying");
        return Ok(());
    };
    if id.is_empty() {
        log::info1("No matching app deploy found");
        return Ok(());
    }
    let lock_path = store::deploy_lock_path(name);
    let _guard = store::lock(name, false)?;
    let build = match store::read(name, &id) {
        Ok(b) => b,
        Err(ReadError::NotFound) => {
            log::info1(&format!(
                "No build record for {id}, removing stale lock file"
            ));
            let _ = std::fs::remove_file(&lock_path);
            return Ok(());
        }
        Err(ReadError::Other(e)) => return Err(Error::new(e)),
    };
    if build.status != RUNNING {
        log::info1(&format!(
            "Build {id} is no longer running (status={}); leaving record untouched",
            build.status
        ));
        return Ok(());
    }
    if !crate::record::pid_alive(build.pid) {
        log::info1("Build was already terminated, marking failed");
        let mut build = build;
        build.finish(FAILED, -1);
        store::write(name, &id, &build)?;
        let _ = std::fs::remove_file(&lock_path);
        return Ok(());
    }
    log::info1("Killing app deploy");
    if let Err(reason) = kill_process_group(build.pid) {
        log::warn(&format!(
            "Failed to signal process group {}: {reason}",
            build.pid
        ));
    }
    if let Ok(mut current) = store::read(name, &id) {
        if current.status == RUNNING {
            current.finish(CANCELED, -1);
            store::write(name, &id, &current)?;
        }
    }
    let _ = std::fs::remove_file(&lock_path);
    Ok(())
}

/// SIGQUIT to the process group of `pid`, as upstream sends. Init's group (or an invalid
/// one) is refused: `kill(-1)` would signal every process we may signal. This process
/// ignores SIGQUIT first, so cancelling from inside the build's own group still gets to
/// record the outcome.
fn kill_process_group(pid: i64) -> std::result::Result<(), String> {
    use nix::sys::signal::{self, SigHandler, Signal};
    use nix::unistd::Pid;
    let raw = i32::try_from(pid).map_err(|_| "no such process".to_string())?;
    let pgid = nix::unistd::getpgid(Some(Pid::from_raw(raw))).map_err(errno_words)?;
    if pgid.as_raw() <= 1 {
        return Err(format!(
            "refusing to signal process group {}",
            pgid.as_raw()
        ));
    }
    // SAFETY: switching SIGQUIT to "ignore" installs no handler code; nothing else in this
    // single-threaded process depends on SIGQUIT.
    unsafe {
        let _ = signal::signal(Signal::SIGQUIT, SigHandler::SigIgn);
    }
    signal::killpg(pgid, Signal::SIGQUIT).map_err(errno_words)
}

fn errno_words(e: nix::errno::Errno) -> String {
    store::errno_text(&std::io::Error::from_raw_os_error(e as i32))
}

/// `builds:output <app> [<build-id>|current]`: the log of a build; a running build's log is
/// followed until the build ends.
pub fn output(args: &[String]) -> Result<()> {
    let parsed = parse("builds:output", &[], args)?;
    let name = parsed.arg(0);
    app::verify_app_name(name)?;
    let mut id = parsed.arg(1).to_string();
    if id.is_empty() || id == "current" {
        let Some(current) = store::deploy_lock_id(name)? else {
            log::info1("App not currently deploying");
            return Ok(());
        };
        if current.is_empty() {
            log::info1("No matching app deploy found");
            return Ok(());
        }
        id = current;
    }
    if !store::valid_id(&id) {
        return journal(&id);
    }
    let log_path = store::log_path(name, &id)?;
    if let Err(e) = std::fs::metadata(&log_path) {
        if e.kind() == std::io::ErrorKind::NotFound {
            return journal(&id);
        }
        return Err(Error::new(store::path_error("stat", &log_path, &e)));
    }
    let build = match store::read(name, &id) {
        Ok(b) => Some(b),
        Err(ReadError::NotFound) => None,
        Err(ReadError::Other(e)) => return Err(Error::new(e)),
    };
    match build {
        Some(b) if b.is_live() => follow(name, &id, &log_path),
        _ => cat(&log_path),
    }
}

/// The build's lines from journald, for builds whose log file is gone.
fn journal(id: &str) -> Result<()> {
    let Some(journalctl) = env::command_path("journalctl") else {
        return Err(Error::new(format!(
            "log file missing and journalctl not available for build {id}"
        )));
    };
    let status = std::process::Command::new(journalctl)
        .args(["-n", "1000", "-a", "-o", "cat"])
        .arg(format!("SYSLOG_IDENTIFIER=dokku-{id}"))
        .status()
        .map_err(|e| Error::new(e.to_string()))?;
    exit_status(status)
}

/// A failed child worded as Go's `*exec.ExitError`.
fn exit_status(status: std::process::ExitStatus) -> Result<()> {
    use std::os::unix::process::ExitStatusExt;
    if status.success() {
        return Ok(());
    }
    match (status.code(), status.signal()) {
        (Some(code), _) => Err(Error::new(format!("exit status {code}"))),
        (None, Some(sig)) => {
            let name = match sig {
                1 => "hangup".to_string(),
                2 => "interrupt".to_string(),
                3 => "quit".to_string(),
                6 => "aborted".to_string(),
                9 => "killed".to_string(),
                11 => "segmentation fault".to_string(),
                13 => "broken pipe".to_string(),
                15 => "terminated".to_string(),
                other => format!("signal {other}"),
            };
            Err(Error::new(format!("signal: {name}")))
        }
        _ => Err(Error::new("exit status 1")),
    }
}

fn open_log(path: &Path) -> Result<std::fs::File> {
    std::fs::File::open(path).map_err(|e| Error::new(store::path_error("open", path, &e)))
}

fn copy_to_stdout(file: &mut std::fs::File) -> Result<u64> {
    let mut stdout = std::io::stdout().lock();
    let copied = std::io::copy(file, &mut stdout).map_err(|e| Error::new(e.to_string()))?;
    let _ = stdout.flush();
    Ok(copied)
}

/// The whole log (`cat`).
fn cat(path: &Path) -> Result<()> {
    copy_to_stdout(&mut open_log(path)?).map(|_| ())
}

/// Where the last `n` lines of `file` start, as `tail -n` counts them: a final line
/// without a newline counts as a line.
fn tail_start(file: &mut std::fs::File, n: usize) -> std::io::Result<u64> {
    let len = file.seek(SeekFrom::End(0))?;
    let mut pos = len;
    let mut seen = 0usize;
    let mut skip_final_newline = true;
    let mut buf = vec![0u8; 8192];
    while pos > 0 {
        let chunk = (pos as usize).min(buf.len());
        pos -= chunk as u64;
        file.seek(SeekFrom::Start(pos))?;
        file.read_exact(&mut buf[..chunk])?;
        for i in (0..chunk).rev() {
            if buf[i] != b'\n' {
                skip_final_newline = false;
                continue;
            }
            if skip_final_newline && pos + i as u64 == len - 1 {
                skip_final_newline = false;
                continue;
            }
            seen += 1;
            if seen == n {
                return Ok(pos + i as u64 + 1);
            }
        }
    }
    Ok(0)
}

/// The last 1000 lines, then whatever is appended while the build runs (`tail -n 1000 -f`,
/// stopping once the build has finished).
fn follow(app: &str, id: &str, path: &Path) -> Result<()> {
    let mut file = open_log(path)?;
    let start = tail_start(&mut file, 1000).map_err(|e| Error::new(e.to_string()))?;
    file.seek(SeekFrom::Start(start))
        .map_err(|e| Error::new(e.to_string()))?;
    let mut offset = start + copy_to_stdout(&mut file)?;
    loop {
        let running = matches!(store::read(app, id), Ok(b) if b.is_live());
        let len = file.metadata().map(|m| m.len()).unwrap_or(offset);
        if len < offset {
            // Truncated: start over from the beginning, as tail does.
            offset = 0;
        }
        file.seek(SeekFrom::Start(offset))
            .map_err(|e| Error::new(e.to_string()))?;
        offset += copy_to_stdout(&mut file)?;
        if !running {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(250));
    }
}

/// `builds:prune <app> [--all-apps]`.
pub fn prune(args: &[String]) -> Result<()> {
    let parsed = parse(
        "builds:prune",
        &[Flag {
            name: "all-apps",
            kind: Kind::Bool,
            usage: "--all-apps: prune every app",
        }],
        args,
    )?;
    if parsed.flag("all-apps") {
        let apps = match app::dokku_apps() {
            Ok(apps) => apps,
            Err(e) if e.message() == app::MSG_NO_APPS => {
                log::warn(e.message());
                return Ok(());
            }
            Err(e) => return Err(e),
        };
        for name in apps {
            if let Err(e) = store::prune(&name) {
                log::warn(&format!("Prune failed for {name}: {}", e.message()));
            }
        }
        return Ok(());
    }
    let name = parsed.arg(0);
    app::verify_app_name(name)?;
    store::prune(name)
}

/// `builds:report [<app>|--global] [--format stdout|json] [<flag>]`.
pub fn report(args: &[String]) -> Result<()> {
    report::run_subcommand(PLUGIN, args, &crate::report::BuildsReport)
}

/// `builds:set [--global|<app>] retention [<value>]`: the value must be an integer of at
/// least 1; an empty value clears it.
pub fn set(args: &[String]) -> Result<()> {
    let parsed = parse("builds:set", &[GLOBAL_FLAG], args)?;
    let (name, key, value) = if parsed.flag("global") {
        (GLOBAL, parsed.arg(0), parsed.arg(1))
    } else {
        (parsed.arg(0), parsed.arg(1), parsed.arg(2))
    };
    if name != GLOBAL {
        app::verify_app_name(name)?;
    }
    if key != "retention" {
        return Err(Error::new(format!(
            "Invalid property {} (allowed: retention)",
            go_quote(key)
        )));
    }
    if !value.is_empty() {
        let n = store::atoi(value).map_err(|_| {
            Error::new(format!(
                "Invalid retention {}: must be a positive integer",
                go_quote(value)
            ))
        })?;
        if n < store::MINIMUM_RETENTION {
            return Err(Error::new(format!(
                "Invalid retention {n}: must be >= {}",
                store::MINIMUM_RETENTION
            )));
        }
    }
    property::command_set(PLUGIN, name, key, value, &["retention"], &["retention"])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file_with(content: &[u8]) -> std::fs::File {
        let path = std::env::temp_dir().join(format!(
            "builds-tail-{}-{}",
            std::process::id(),
            content.len()
        ));
        std::fs::write(&path, content).unwrap();
        let f = std::fs::File::open(&path).unwrap();
        std::fs::remove_file(&path).unwrap();
        f
    }

    #[test]
    fn tail_counts_lines_like_tail() {
        assert_eq!(tail_start(&mut file_with(b""), 2).unwrap(), 0);
        assert_eq!(tail_start(&mut file_with(b"a\nb\nc\n"), 2).unwrap(), 2);
        assert_eq!(tail_start(&mut file_with(b"a\nb\nc"), 2).unwrap(), 2);
        assert_eq!(tail_start(&mut file_with(b"a\nb\nc\n"), 5).unwrap(), 0);
        assert_eq!(tail_start(&mut file_with(b"a\n\n\n"), 1).unwrap(), 3);
        assert_eq!(tail_start(&mut file_with(b"a\n\n\n"), 2).unwrap(), 2);
        let big: Vec<u8> = (0..20000)
            .flat_map(|i| format!("line {i}\n").into_bytes())
            .collect();
        let mut f = file_with(&big);
        let start = tail_start(&mut f, 1000).unwrap() as usize;
        assert!(big[start..].starts_with(b"line 19000\n"));
    }
}
