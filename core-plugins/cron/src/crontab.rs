//! The system user's crontab, regenerated in full from every app whose scheduler uses the
//! host crontab, plus the tasks plugins inject, through the `crontab` program.
//!
//! Only a real install touches a real crontab: `crontab` is used when `DOKKU_ROOT` is the
//! home of the system user (and `DOKKU_RS_NO_SYSTEM` is not `1`). A temporary install
//! (tests, benchmarks, even as root) leaves every crontab alone unless
//! `DOKKU_CRONTAB_BIN` names the program to use.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use dokku_common::property::{Store, GLOBAL};
use dokku_common::{app, env, log, scheduler, trigger, Error, Result};

use crate::tasks::{self, Source, Task, PLUGIN};

/// The `crontab` program to run, or `None` when this install must not touch one.
fn crontab_program() -> Option<PathBuf> {
    if let Some(bin) = env::var_os("DOKKU_CRONTAB_BIN") {
        return Some(PathBuf::from(bin));
    }
    if env::var("DOKKU_RS_NO_SYSTEM").as_deref() == Some("1") {
        return None;
    }
    let home = dokku_common::account::user_by_name(&env::system_user())?.home;
    let root = dokku_common::Paths::from_env().dokku_root;
    match (std::fs::canonicalize(root), std::fs::canonicalize(home)) {
        (Ok(a), Ok(b)) if a == b => Some(PathBuf::from("crontab")),
        _ => None,
    }
}

/// Whether a scheduler writes its cron tasks to the host crontab (`scheduler-uses-host-cron`).
pub fn uses_host_cron(scheduler: &str) -> bool {
    !scheduler.is_empty()
        && trigger::capture_lenient("scheduler-uses-host-cron", &[scheduler]) == "true"
}

/// Every task the crontab holds: app tasks of host-cron apps (an app whose tasks cannot be
/// read is warned about and skipped), then injected tasks; tasks in maintenance left out.
pub fn generate() -> std::result::Result<Vec<Task>, String> {
    let apps = app::unfiltered_apps().unwrap_or_default();
    let schedulers: Vec<String> = apps.iter().map(|a| scheduler::app_scheduler(a)).collect();
    let mut host: BTreeMap<String, bool> = BTreeMap::new();
    for s in schedulers
        .iter()
        .cloned()
        .chain([scheduler::app_scheduler(GLOBAL)])
    {
        if !s.is_empty() && !host.contains_key(&s) {
            let uses = uses_host_cron(&s);
            host.insert(s, uses);
        }
    }
    let mut all = Vec::new();
    for (app, scheduler) in apps.iter().zip(&schedulers) {
        if !host.get(scheduler).copied().unwrap_or(false) {
            continue;
        }
        match tasks::fetch(app, Source::App, false) {
            (found, None) => all.extend(found),
            (_, Some(e)) => log::warn(&e),
        }
    }
    for (scheduler, uses) in &host {
        if *uses {
            all.extend(tasks::injected_tasks(scheduler)?);
        }
    }
    all.retain(|t| !t.maintenance);
    Ok(all)
}

/// The crontab text (upstream's template).
pub fn render(tasks: &[Task], mailfrom: &str, mailto: &str) -> String {
    let mut out = String::new();
    if !mailfrom.is_empty() {
        out.push_str(&format!("MAILFROM={mailfrom}\n"));
    }
    if !mailto.is_empty() {
        out.push_str(&format!("MAILTO={mailto}\n"));
    }
    out.push_str("PATH=/usr/local/bin:/usr/bin:/bin\nSHELL=/bin/bash\n\n");
    for task in tasks {
        out.push_str(&format!("{} {}\n", task.schedule, task.run_command()));
    }
    out
}

/// Run the crontab program, capturing its output.
fn run(program: &Path, args: &[&std::ffi::OsStr]) -> std::io::Result<std::process::Output> {
    Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .output()
}

fn exec_error(program: &Path, e: &std::io::Error) -> String {
    if e.kind() == std::io::ErrorKind::NotFound {
        format!(
            "exec: {}: executable file not found in $PATH",
            dokku_common::text::go_quote(&program.display().to_string())
        )
    } else {
        e.to_string()
    }
}

/// A new private file `<tmp>/dokku-<pid>-WriteCronTab<random>`.
fn temp_file() -> Result<PathBuf> {
    use std::os::unix::fs::OpenOptionsExt;
    let pid = env::var("DOKKU_PID").unwrap_or_default();
    for attempt in 0..100u32 {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let path = std::env::temp_dir().join(format!(
            "dokku-{pid}-WriteCronTab{}{attempt}",
            nanos ^ std::process::id()
        ));
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&path)
        {
            Ok(_) => return Ok(path),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => {
                return Err(Error::new(format!(
                    "Cannot create temporary schedule file: {e}"
                )))
            }
        }
    }
    Err(Error::new("Cannot create temporary schedule file"))
}

/// `writeCronTab`: regenerate the crontab, or remove it when there is no task.
pub fn write() -> Result<()> {
    let tasks = generate().map_err(Error::new)?;
    let Some(program) = crontab_program() else {
        return Ok(());
    };
    if tasks.is_empty() {
        return delete(&program);
    }
    let store = Store::from_env();
    let mailfrom = store.get_default(PLUGIN, GLOBAL, "mailfrom", "");
    let mailto = store.get_default(PLUGIN, GLOBAL, "mailto", "");
    let text = render(&tasks, &mailfrom, &mailto);

    let path = temp_file()?;
    // The file is removed whatever happens next.
    struct Remove(PathBuf);
    impl Drop for Remove {
        fn drop(&mut self) {
            let _ = std::fs::remove_file(&self.0);
        }
    }
    let _guard = Remove(path.clone());
    std::fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .and_then(|mut file| {
            file.write_all(text.as_bytes())?;
            file.sync_all()
        })
        .map_err(|e| Error::new(format!("Unable to template out schedule file: {e}")))?;

    let user = env::system_user();
    let out = run(&program, &["-u".as_ref(), user.as_ref(), path.as_os_str()]).map_err(|e| {
        Error::new(format!(
            "Unable to update schedule file: {}",
            exec_error(&program, &e)
        ))
    })?;
    if !out.status.success() {
        return Err(Error::new(format!(
            "Unable to update schedule file: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    log::info1("Updated schedule file");
    Ok(())
}

/// `deleteCrontab`: remove the crontab if there is one.
fn delete(program: &Path) -> Result<()> {
    let user = env::system_user();
    match run(program, &["-l".as_ref(), "-u".as_ref(), user.as_ref()]) {
        Ok(out) if out.status.success() => {}
        _ => return Ok(()),
    }
    let out = run(program, &["-r".as_ref(), "-u".as_ref(), user.as_ref()]).map_err(|e| {
        Error::new(format!(
            "Unable to remove schedule file: {}",
            exec_error(program, &e)
        ))
    })?;
    if !out.status.success() {
        return Err(Error::new(format!(
            "Unable to remove schedule file: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    log::info1("Removed");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template() {
        let app_task = Task {
            id: "abc".into(),
            app: "web".into(),
            schedule: "5 5 5 5 5".into(),
            ..Task::default()
        };
        let injected = Task {
            schedule: "@daily".into(),
            alt_command: "/bin/true".into(),
            log_file: "/var/log/dokku/x.log".into(),
            ..Task::default()
        };
        assert_eq!(
            render(&[app_task.clone(), injected], "", ""),
            "PATH=/usr/local/bin:/usr/bin:/bin\nSHELL=/bin/bash\n\n5 5 5 5 5 dokku cron:run web abc\n@daily /bin/true &>> /var/log/dokku/x.log\n"
        );
        assert_eq!(
            render(&[app_task], "a@b", "c@d"),
            "MAILFROM=a@b\nMAILTO=c@d\nPATH=/usr/local/bin:/usr/bin:/bin\nSHELL=/bin/bash\n\n5 5 5 5 5 dokku cron:run web abc\n"
        );
    }
}
