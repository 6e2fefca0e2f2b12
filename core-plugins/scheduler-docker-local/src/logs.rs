//! `scheduler-logs` and `scheduler-logs-failed`: `docker logs` of an app's containers,
//! running side by side, with upstream's coloured `app[<proc>.<n>]:` prefixes.

use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};

use dokku_common::args::nth;
use dokku_common::{data, docker, env, fs as dfs, log, Result};

use crate::containers::{self, app_root};
use crate::settings::{PLUGIN, SCHEDULER};

/// The colours the prefixes cycle through.
const COLORS: [u8; 5] = [36, 33, 32, 35, 31];

/// One container to follow: its id and, when pretty-printing, the dyno and colour.
struct Source {
    cid: String,
    label: Option<(String, u8)>,
}

/// Add the coloured prefix to a `docker logs -t` line (`<timestamp>Z <text>`), as upstream's
/// `sed 's/^([^Z]+Z )/\x1b[<c>m\1app[<dyno>]:\x1b[0m /'`. Lines without a timestamp pass.
pub fn pretty_line(line: &str, dyno: &str, color: u8) -> String {
    if let Some(end) = line.find('Z') {
        if end > 0 && line[end + 1..].starts_with(' ') {
            let stamp = &line[..end + 2];
            return format!(
                "\x1b[{color}m{stamp}app[{dyno}]:\x1b[0m {}",
                &line[end + 2..]
            );
        }
    }
    line.to_string()
}

/// Run `docker logs <args> <cid>` for every source at once, stderr merged into stdout,
/// and wait for all of them.
fn run_all(sources: Vec<Source>, args: &[String]) -> Result<()> {
    let mut handles = Vec::new();
    for source in sources {
        let (reader, writer) = std::io::pipe()?;
        let mut cmd = Command::new(docker::bin());
        cmd.arg("logs");
        if source.label.is_some() {
            cmd.arg("-t");
        }
        cmd.args(args)
            .arg(&source.cid)
            .stdin(Stdio::null())
            .stdout(writer.try_clone()?)
            .stderr(writer);
        let mut child = match cmd.spawn() {
            Ok(child) => child,
            Err(e) => {
                log::write_stdout(&format!("bash: {}: {e}\n", docker::bin()));
                continue;
            }
        };
        // The pipe's write ends now live only in the child.
        drop(cmd);
        handles.push(std::thread::spawn(move || {
            let mut lines = BufReader::new(reader);
            let mut buf = Vec::new();
            while lines.read_until(b'\n', &mut buf).unwrap_or(0) > 0 {
                let text = String::from_utf8_lossy(&buf).into_owned();
                let out = match &source.label {
                    Some((dyno, color)) => {
                        let (body, nl) = match text.strip_suffix('\n') {
                            Some(b) => (b, "\n"),
                            None => (text.as_str(), ""),
                        };
                        format!("{}{nl}", pretty_line(body, dyno, *color))
                    }
                    None => text,
                };
                let mut stdout = std::io::stdout().lock();
                let _ = stdout.write_all(out.as_bytes());
                let _ = stdout.flush();
                buf.clear();
            }
            let _ = child.wait();
        }));
    }
    for handle in handles {
        let _ = handle.join();
    }
    Ok(())
}

/// `scheduler-logs <scheduler> <app> <process-type> <tail> <quiet> <num>`: the last `num`
/// lines of each of the app's containers (of one process type when given), followed when
/// `tail` is `true`, raw when `quiet` is `true`. No containers: nothing, status 0.
pub fn scheduler_logs(args: &[String]) -> Result<()> {
    if nth(args, 0) != SCHEDULER {
        return Ok(());
    }
    let (app, process, tail, quiet, num) = (
        nth(args, 1),
        nth(args, 2),
        nth(args, 3),
        nth(args, 4),
        nth(args, 5),
    );
    let prefix = if process.is_empty() {
        "CONTAINER.".to_string()
    } else {
        format!("CONTAINER.{process}.")
    };
    // A process type is a name, never a path.
    if process.contains('/') || app_root(app).is_none() {
        return Ok(());
    }
    let files = containers::entries_with_prefix(app, &prefix);
    if files.is_empty() {
        return Ok(());
    }
    let mut logs_args = Vec::new();
    if tail == "true" {
        logs_args.push("--follow".to_string());
    }
    logs_args.push("--tail".to_string());
    logs_args.push(num.to_string());
    let pretty = quiet != "true";
    let sources = files
        .iter()
        .enumerate()
        .map(|(i, file)| {
            let name = file
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let dyno = name.strip_prefix("CONTAINER.").unwrap_or("").to_string();
            Source {
                cid: containers::read_id(file),
                label: pretty.then(|| (dyno, COLORS[i % COLORS.len()])),
            }
        })
        .collect();
    run_all(sources, &logs_args)
}

fn failed_containers_file(app: &str) -> Option<PathBuf> {
    data::app_dir(PLUGIN, app)
        .ok()
        .map(|d| d.join("failed-containers"))
}

/// `scheduler-logs-failed <scheduler> <app>`: the logs of the containers the last failed
/// deploy left (`data/scheduler-docker-local/<app>/failed-containers`, `<cid> <prefix>`
/// lines). Ids docker no longer knows are reported and dropped from the file.
pub fn scheduler_logs_failed(args: &[String]) -> Result<()> {
    if nth(args, 0) != SCHEDULER {
        return Ok(());
    }
    let app = nth(args, 1);
    let Some(path) = failed_containers_file(app).filter(|p| p.is_file()) else {
        log::warn("No failed containers found");
        return Ok(());
    };
    let text = String::from_utf8_lossy(&std::fs::read(&path)?).into_owned();
    let mut running = Vec::new();
    let mut dead = Vec::new();
    for line in text.lines() {
        let cid = line.trim().split(' ').next().unwrap_or("").to_string();
        if cid.is_empty() {
            continue;
        }
        if docker::run(&["container", "inspect", &cid]).is_ok_and(|o| o.success()) {
            running.push(cid);
        } else {
            dead.push(cid);
        }
    }
    if !dead.is_empty() {
        for cid in &dead {
            log::warn(&format!("App container {cid} no longer running"));
        }
        let kept: String = text
            .lines()
            .filter(|l| !dead.iter().any(|cid| l.contains(cid.as_str())))
            .map(|l| format!("{l}\n"))
            .collect();
        dfs::write_atomic(&path, kept.as_bytes(), 0o644)?;
    }
    if running.is_empty() {
        log::warn("No failed containers found");
        return Ok(());
    }
    let extra: Vec<String> = env::var("DOKKU_LOGS_ARGS")
        .unwrap_or_default()
        .split_whitespace()
        .map(str::to_string)
        .collect();
    let sources = running
        .into_iter()
        .map(|cid| Source { cid, label: None })
        .collect();
    run_all(sources, &extra)
}

#[cfg(test)]
mod tests {
    use super::pretty_line;

    #[test]
    fn prefixes() {
        assert_eq!(
            pretty_line("2024-01-01T00:00:00.000000000Z hello", "web.1", 36),
            "\x1b[36m2024-01-01T00:00:00.000000000Z app[web.1]:\x1b[0m hello"
        );
        assert_eq!(pretty_line("no stamp here", "web.1", 36), "no stamp here");
        assert_eq!(pretty_line("Zed", "web.1", 36), "Zed");
    }
}
