//! `--all [--parallel N]` for the ps and proxy commands (dokku-core §1.9), with upstream's
//! messages. Workers are plain threads: each job is one app and mostly waits on children.

use std::sync::{Arc, Mutex};

use crate::error::{Error, Result};

/// `--parallel` default for commands that run serially unless asked otherwise.
pub const RUN_IN_SERIAL: i64 = 0;

/// Run `command` against every app visible to the user.
pub fn run_against_all_apps<F>(command: F, command_name: &str, parallel: i64) -> Result<()>
where
    F: Fn(&str) -> Result<()> + Sync,
{
    if parallel < -1 {
        return Err(Error::new(format!(
            "Invalid value {parallel} for --parallel flag"
        )));
    }
    let mut count = parallel;
    if count == -1 {
        let cpus = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1) as i64;
        crate::log::warn(&format!(
            "Setting --parallel={count} value to CPU count of {cpus}"
        ));
        count = cpus;
    }
    let run_serially = count <= 1;
    if run_serially {
        crate::log::warn(&format!("Running {command_name} in serial mode"));
    }
    let apps = match crate::app::dokku_apps() {
        Ok(apps) => apps,
        Err(e) => {
            crate::log::warn(e.message());
            return Ok(());
        }
    };
    if run_serially {
        serial(&apps, command, command_name)
    } else {
        in_parallel(&apps, command, command_name, count as usize)
    }
}

fn serial<F: Fn(&str) -> Result<()>>(apps: &[String], command: F, name: &str) -> Result<()> {
    let mut errors = 0;
    for app in apps {
        crate::log::info1(&format!("Running {name} against app {app}"));
        if let Err(e) = command(app) {
            crate::log::warn(&format!(
                "Error running {name} against app {app}: {}",
                e.message()
            ));
            errors += 1;
        }
    }
    if errors > 0 {
        return Err(Error::new(format!(
            "{name} command returned {errors} errors"
        )));
    }
    Ok(())
}

fn in_parallel<F>(apps: &[String], command: F, name: &str, workers: usize) -> Result<()>
where
    F: Fn(&str) -> Result<()> + Sync,
{
    let queue = Arc::new(Mutex::new(apps.iter()));
    let errors = Mutex::new(0usize);
    std::thread::scope(|scope| {
        for _ in 0..workers.min(apps.len().max(1)) {
            let queue = Arc::clone(&queue);
            let command = &command;
            let errors = &errors;
            scope.spawn(move || loop {
                let next = queue.lock().map(|mut q| q.next().cloned()).unwrap_or(None);
                let Some(app) = next else { break };
                crate::log::info1(&format!("Running command against {app}"));
                if let Err(e) = command(&app) {
                    crate::log::warn(&format!(
                        "Error running {name} against {app}: {}",
                        e.message()
                    ));
                    if let Ok(mut n) = errors.lock() {
                        *n += 1;
                    }
                }
            });
        }
    });
    let errors = errors.into_inner().unwrap_or(0);
    if errors > 0 {
        return Err(Error::new(format!(
            "Encountered {errors} errors during parallel run"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn apps() -> Vec<String> {
        vec!["a".into(), "b".into(), "c".into()]
    }

    #[test]
    fn serial_counts_errors() {
        let e = serial(
            &apps(),
            |a| {
                if a == "b" {
                    Err(Error::new("x"))
                } else {
                    Ok(())
                }
            },
            "restart",
        )
        .unwrap_err();
        assert_eq!(e.message(), "restart command returned 1 errors");
        assert!(serial(&apps(), |_| Ok(()), "restart").is_ok());
    }

    #[test]
    fn parallel_runs_everything() {
        let seen = Mutex::new(Vec::new());
        let e = in_parallel(
            &apps(),
            |a| {
                seen.lock().unwrap().push(a.to_string());
                if a == "a" {
                    Err(Error::new("x"))
                } else {
                    Ok(())
                }
            },
            "rebuild",
            2,
        )
        .unwrap_err();
        assert_eq!(e.message(), "Encountered 1 errors during parallel run");
        let mut s = seen.into_inner().unwrap();
        s.sort();
        assert_eq!(s, apps());
    }

    #[test]
    fn invalid_parallel() {
        let e = run_against_all_apps(|_| Ok(()), "x", -2).unwrap_err();
        assert_eq!(e.message(), "Invalid value -2 for --parallel flag");
    }
}
