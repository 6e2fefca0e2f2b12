//! Cron tasks: an app's `app.json` entries (checked, with their IDs and maintenance state)
//! and the tasks other plugins inject through the `cron-entries` trigger.

use std::collections::BTreeMap;

use dokku_common::property::{Store, GLOBAL};
use dokku_common::text::{go_quote, push_go_json_string};
use dokku_common::{log, trigger};

use crate::appjson::{self, CronEntry};
use crate::{schedule, shellwords};

pub const PLUGIN: &str = "cron";
pub const MAINTENANCE_PREFIX: &str = "maintenance.";

/// One scheduled task, as upstream's `CronTask` (its JSON field order included).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Task {
    pub id: String,
    pub app: String,
    pub command: String,
    pub global: bool,
    pub schedule: String,
    pub concurrency_policy: String,
    /// Injected tasks run this instead of `dokku cron:run`.
    pub alt_command: String,
    pub log_file: String,
    pub app_in_maintenance: bool,
    pub task_in_maintenance: bool,
    pub maintenance: bool,
}

impl Task {
    /// What the crontab line runs.
    pub fn run_command(&self) -> String {
        if !self.alt_command.is_empty() {
            if !self.log_file.is_empty() {
                return format!("{} &>> {}", self.alt_command, self.log_file);
            }
            return self.alt_command.clone();
        }
        format!("dokku cron:run {} {}", self.app, self.id)
    }

    /// `json.Marshal` of the Go struct.
    pub fn to_json(&self) -> String {
        let mut out = String::from("{\"id\":");
        push_go_json_string(&mut out, &self.id);
        if !self.app.is_empty() {
            out.push_str(",\"app\":");
            push_go_json_string(&mut out, &self.app);
        }
        out.push_str(",\"command\":");
        push_go_json_string(&mut out, &self.command);
        if self.global {
            out.push_str(",\"global\":true");
        }
        out.push_str(",\"schedule\":");
        push_go_json_string(&mut out, &self.schedule);
        out.push_str(",\"concurrency_policy\":");
        push_go_json_string(&mut out, &self.concurrency_policy);
        out.push_str(&format!(
            ",\"app-in-maintenance\":{},\"task-in-maintenance\":{},\"maintenance\":{}}}",
            self.app_in_maintenance, self.task_in_maintenance, self.maintenance
        ));
        out
    }
}

/// A JSON array of tasks.
pub fn to_json(tasks: &[Task]) -> String {
    let items: Vec<String> = tasks.iter().map(Task::to_json).collect();
    format!("[{}]", items.join(","))
}

/// Lowercase base36 of the bytes taken as one big-endian number, a `0` per leading zero
/// byte (multiformats' go-base36).
pub fn base36(data: &[u8]) -> String {
    const ALPHABET: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let zeros = data.iter().take_while(|b| **b == 0).count();
    // Little-endian base-36 digits of the rest.
    let mut digits: Vec<u8> = Vec::new();
    for &byte in &data[zeros..] {
        let mut carry = byte as u32;
        for d in digits.iter_mut() {
            carry += (*d as u32) * 256;
            *d = (carry % 36) as u8;
            carry /= 36;
        }
        while carry > 0 {
            digits.push((carry % 36) as u8);
            carry /= 36;
        }
    }
    let mut out = "0".repeat(zeros);
    out.extend(digits.iter().rev().map(|d| ALPHABET[*d as usize] as char));
    out
}

/// The ID of an app task: base36 of `app===command===schedule`.
pub fn task_id(app: &str, command: &str, schedule: &str) -> String {
    base36(format!("{app}==={command}==={schedule}").as_bytes())
}

/// `strconv.ParseBool`.
fn parse_bool(s: &str) -> Result<bool, String> {
    match s {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Ok(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Ok(false),
        _ => Err(format!(
            "strconv.ParseBool: parsing {}: invalid syntax",
            go_quote(s)
        )),
    }
}

/// `--cron-computed-maintenance`: `true` when the app's or the global value says so.
pub fn computed_maintenance(app: &str) -> String {
    let store = Store::from_env();
    if store.get(PLUGIN, app, "maintenance") == "true" {
        return "true".to_string();
    }
    store.get_default(PLUGIN, GLOBAL, "maintenance", "false")
}

/// Where the entries come from.
pub enum Source<'a> {
    /// The app's extracted app.json.
    App,
    /// Entries already read (the `app-json-is-valid` trigger).
    Entries(Option<&'a [CronEntry]>),
}

/// `FetchCronTasks`: the app's tasks, and the error that stopped the scan (the tasks found
/// before it are kept, as upstream returns them). With `strict`, entries missing their
/// command or schedule are errors instead of warnings.
pub fn fetch(app: &str, source: Source<'_>, strict: bool) -> (Vec<Task>, Option<String>) {
    let mut tasks = Vec::new();
    let app_maintenance = computed_maintenance(app) == "true";
    let loaded;
    let entries: Option<&[CronEntry]> = match source {
        Source::Entries(e) => e,
        Source::App => {
            if app.is_empty() {
                return (tasks, Some("Missing app name or app.json".to_string()));
            }
            match appjson::app_cron(app) {
                Ok(e) => {
                    loaded = e;
                    loaded.as_deref()
                }
                Err(e) => {
                    return (
                        tasks,
                        Some(format!("Unable to fetch app.json for app {app}: {e}")),
                    )
                }
            }
        }
    };
    let Some(entries) = entries else {
        return (tasks, None);
    };
    let properties: BTreeMap<String, String> =
        match Store::from_env().get_all_by_prefix(PLUGIN, app, MAINTENANCE_PREFIX) {
            Ok(p) => p,
            Err(e) => {
                return (
                    tasks,
                    Some(format!(
                        "Error getting maintenance properties: {}",
                        e.message()
                    )),
                )
            }
        };
    for (i, entry) in entries.iter().enumerate() {
        if entry.command.is_empty() {
            let msg = format!("Missing cron task command for app {app} (index {i})");
            if strict {
                return (tasks, Some(msg));
            }
            log::warn(&msg);
            continue;
        }
        if entry.schedule.is_empty() {
            let msg = format!("Missing cron schedule for app {app} (index {i})");
            if strict {
                return (tasks, Some(msg));
            }
            log::warn(&msg);
            continue;
        }
        if let Err(e) = schedule::validate(&entry.schedule) {
            return (
                tasks,
                Some(format!(
                    "Invalid cron schedule for app {app} (schedule {}): {e}",
                    entry.schedule
                )),
            );
        }
        if let Err(e) = shellwords::validate(&entry.command) {
            return (
                tasks,
                Some(format!(
                    "Invalid cron command for app {app} (command {}): {e}",
                    go_quote(&entry.command)
                )),
            );
        }
        let id = task_id(app, &entry.command, &entry.schedule);
        let mut maintenance = entry.maintenance;
        if let Some(value) = properties.get(&format!("{MAINTENANCE_PREFIX}{id}")) {
            match parse_bool(value) {
                Ok(true) => maintenance = true,
                Ok(false) => {}
                Err(e) => {
                    return (
                        tasks,
                        Some(format!(
                            "Invalid maintenance property for app {app} (schedule {}): {e}",
                            entry.schedule
                        )),
                    )
                }
            }
        }
        let policy = if entry.concurrency_policy.is_empty() {
            "allow"
        } else {
            entry.concurrency_policy.as_str()
        };
        if !matches!(policy, "allow" | "forbid" | "replace") {
            return (
                tasks,
                Some(format!(
                    "Invalid cron concurrency policy for app {app} (schedule {}): {policy}",
                    entry.schedule
                )),
            );
        }
        tasks.push(Task {
            id,
            app: app.to_string(),
            command: entry.command.clone(),
            schedule: entry.schedule.clone(),
            concurrency_policy: policy.to_string(),
            maintenance: app_maintenance || maintenance,
            app_in_maintenance: app_maintenance,
            task_in_maintenance: maintenance,
            ..Task::default()
        });
    }
    (tasks, None)
}

/// An injected `SCHEDULE;COMMAND[;LOGFILE]` line as a task.
fn injected_task(line: &str) -> Option<Task> {
    let parts: Vec<&str> = line.split(';').collect();
    if parts.len() != 2 && parts.len() != 3 {
        return None;
    }
    Some(Task {
        id: base36(parts.join(";;;").as_bytes()),
        schedule: parts[0].to_string(),
        command: parts[1].to_string(),
        alt_command: parts[1].to_string(),
        log_file: parts.get(2).map(|s| s.to_string()).unwrap_or_default(),
        ..Task::default()
    })
}

/// `cron:list --global`: what `cron-entries docker-local` injects; bad lines are warned
/// about and skipped.
pub fn global_tasks() -> Vec<Task> {
    let out = trigger::capture_lenient("cron-entries", &["docker-local"]);
    let mut tasks = Vec::new();
    for line in out.split('\n') {
        if line.trim().is_empty() {
            continue;
        }
        match injected_task(line) {
            Some(task) => tasks.push(Task {
                global: true,
                ..task
            }),
            None => log::warn(&format!("Invalid injected cron task: {line}")),
        }
    }
    tasks
}

/// The tasks `cron-entries <scheduler>` injects into the crontab. As upstream, an empty line
/// ends the list with nothing, and a malformed one is an error.
pub fn injected_tasks(scheduler: &str) -> Result<Vec<Task>, String> {
    let out = trigger::capture_lenient("cron-entries", &[scheduler]);
    let mut tasks = Vec::new();
    for line in out.split('\n') {
        if line.trim().is_empty() {
            return Ok(Vec::new());
        }
        tasks.push(
            injected_task(line).ok_or_else(|| format!("Invalid injected cron task: {line}"))?,
        );
    }
    Ok(tasks)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids() {
        // Upstream's own test value for `@daily;/bin/true`.
        assert_eq!(
            base36(b"@daily;;;/bin/true"),
            "5cruaotm4yzzpnjlsdunblj8qyjp"
        );
        assert_eq!(base36(b""), "");
        assert_eq!(base36(&[0, 0, 1]), "001");
        assert_eq!(base36(&[0]), "0");
        assert_eq!(base36(&[36]), "10");
        assert_eq!(base36(&[1, 0]), "74");
    }

    #[test]
    fn commands_and_json() {
        let t = Task {
            id: "abc".into(),
            app: "web".into(),
            command: "echo <hi> & \"x\"".into(),
            schedule: "@daily".into(),
            concurrency_policy: "allow".into(),
            ..Task::default()
        };
        assert_eq!(t.run_command(), "dokku cron:run web abc");
        assert_eq!(
            t.to_json(),
            "{\"id\":\"abc\",\"app\":\"web\",\"command\":\"echo \\u003chi\\u003e \\u0026 \\\"x\\\"\",\"schedule\":\"@daily\",\"concurrency_policy\":\"allow\",\"app-in-maintenance\":false,\"task-in-maintenance\":false,\"maintenance\":false}"
        );
        let g = injected_task("@daily;/bin/true;/var/log/x.log").unwrap();
        assert_eq!(g.run_command(), "/bin/true &>> /var/log/x.log");
        assert!(injected_task("a;b;c;d").is_none());
        assert_eq!(to_json(&[]), "[]");
        assert_eq!(parse_bool("T"), Ok(true));
        assert_eq!(
            parse_bool("yes"),
            Err("strconv.ParseBool: parsing \"yes\": invalid syntax".into())
        );
    }
}
