//! `builds:*` and the builds triggers through the real `dokku` entry point and `plugn
//! trigger`, in a temporary install: output bytes, exit statuses and the stored records.

use std::fs;
use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use dokku_rs_testkit::{Root, Run};

const USAGE: &str = "Usage: dokku builds[:COMMAND]\n\nManage running and historical builds\n\nAdditional commands:\n\
\x20   builds:cancel <app>                                                            Cancel a running build for an app\n\
\x20   builds:info <app> <build-id> [--format json|stdout]                            Show details for a single build\n\
\x20   builds:list [<app>] [--format json] [--kind build|deploy] [--status <status>]  List builds\n\
\x20   builds:output <app> [<build-id>|current]                                       Show build output\n\
\x20   builds:prune <app> [--all-apps]                                                Prune build records to retention\n\
\x20   builds:report [<app>] [<flag>]                                                 Display a build report for one or more apps\n\
\x20   builds:set [--global|<app>] <key> [<value>]                                    Set or clear a builds property\n";

const MSG_NO_APP: &str = " !     Please specify an app to run the command on\n";
const MSG_INVALID: &str = " !     App name must begin with lowercase alphanumeric character, and may only contain lowercase alphanumerics, dots, and hyphens\n";

fn with_app(name: &str) -> Root {
    let root = Root::new();
    root.dokku(&["apps:create", name]).ok();
    root
}

fn dir(root: &Root, app: &str) -> PathBuf {
    root.lib().join("data/builds").join(app)
}

/// Run one of this plugin's triggers directly, not through `plugn trigger`.
fn hook(root: &Root, args: &[&str]) -> Run {
    let path = root
        .lib()
        .join("core-plugins/available/builds")
        .join(args[0]);
    Run::from(
        root.command(&path)
            .args(&args[1..])
            .env("PLUGIN_PATH", root.lib().join("plugins"))
            .output()
            .unwrap(),
    )
}

fn trigger(root: &Root, args: &[&str]) -> Run {
    let mut full = vec!["trigger"];
    full.extend_from_slice(args);
    root.plugn(&full)
}

/// A record as upstream's `json.MarshalIndent` writes it.
struct Rec<'a> {
    id: &'a str,
    kind: &'a str,
    status: &'a str,
    source: &'a str,
    pid: i64,
    started: &'a str,
    finished: Option<&'a str>,
    exit: Option<i64>,
}

impl Rec<'_> {
    fn json(&self, app: &str) -> String {
        let mut out = format!(
            "{{\n  \"id\": \"{}\",\n  \"app\": \"{app}\",\n  \"kind\": \"{}\",\n  \"pid\": {},\n  \"started_at\": \"{}\",\n",
            self.id, self.kind, self.pid, self.started
        );
        if let Some(f) = self.finished {
            out.push_str(&format!("  \"finished_at\": \"{f}\",\n"));
        }
        out.push_str(&format!(
            "  \"status\": \"{}\",\n  \"source\": \"{}\"",
            self.status, self.source
        ));
        if let Some(e) = self.exit {
            out.push_str(&format!(",\n  \"exit_code\": {e}"));
        }
        out.push_str("\n}");
        out
    }

    fn write(&self, root: &Root, app: &str) {
        let d = dir(root, app);
        fs::create_dir_all(&d).unwrap();
        fs::write(d.join(format!("{}.json", self.id)), self.json(app)).unwrap();
    }
}

/// A finished record; the positional form keeps the tables of records readable.
#[allow(clippy::too_many_arguments)]
fn finished<'a>(
    id: &'a str,
    kind: &'a str,
    status: &'a str,
    source: &'a str,
    pid: i64,
    started: &'a str,
    finished: &'a str,
    exit: i64,
) -> Rec<'a> {
    Rec {
        id,
        kind,
        status,
        source,
        pid,
        started,
        finished: Some(finished),
        exit: Some(exit),
    }
}

fn running<'a>(id: &'a str, pid: i64, started: &'a str) -> Rec<'a> {
    Rec {
        id,
        kind: "build",
        status: "running",
        source: "git-hook",
        pid,
        started,
        finished: None,
        exit: None,
    }
}

/// A pid that no process has: a child that already exited and was reaped.
fn dead_pid() -> i64 {
    let mut child = Command::new("true").spawn().unwrap();
    let pid = child.id() as i64;
    child.wait().unwrap();
    pid
}

/// A process group of its own (a shell with two sleeping children), killed on drop.
struct Group(Child);

impl Group {
    fn start() -> Group {
        let child = Command::new("sh")
            // A pipeline: both children run in the foreground (background jobs of a
            // non-interactive shell ignore SIGQUIT).
            // No core dumps from the SIGQUIT, and none in the source tree.
            .args(["-c", "ulimit -c 0; sleep 300 | sleep 300"])
            .current_dir(std::env::temp_dir())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .unwrap();
        Group(child)
    }

    fn pid(&self) -> i64 {
        self.0.id() as i64
    }

    /// Members of the group that are still running (zombies excluded).
    fn live_members(&self) -> Vec<i32> {
        let pgid = self.0.id() as i32;
        let mut out = Vec::new();
        for entry in fs::read_dir("/proc").unwrap().flatten() {
            let Ok(pid) = entry.file_name().to_string_lossy().parse::<i32>() else {
                continue;
            };
            let Ok(stat) = fs::read_to_string(format!("/proc/{pid}/stat")) else {
                continue;
            };
            // Fields after the command name: state, ppid, pgrp, ...
            let Some(rest) = stat.rsplit_once(") ").map(|(_, r)| r.to_string()) else {
                continue;
            };
            let fields: Vec<&str> = rest.split_whitespace().collect();
            if fields.len() > 2 && fields[2] == pgid.to_string() && fields[0] != "Z" {
                out.push(pid);
            }
        }
        out
    }
}

impl Drop for Group {
    fn drop(&mut self) {
        let _ = nix::sys::signal::killpg(
            nix::unistd::Pid::from_raw(self.0.id() as i32),
            nix::sys::signal::Signal::SIGKILL,
        );
        let _ = self.0.wait();
    }
}

fn wait_for(what: &str, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(
            start.elapsed() < Duration::from_secs(15),
            "timed out waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn read(path: PathBuf) -> String {
    fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn lock_file(root: &Root, app: &str, content: &str) -> PathBuf {
    let d = root.lib().join("data/apps").join(app);
    fs::create_dir_all(&d).unwrap();
    let p = d.join(".deploy.lock");
    fs::write(&p, content).unwrap();
    p
}

#[test]
fn help_texts() {
    let root = Root::new();
    root.dokku(&["builds"]).ok().stdout(USAGE).stderr("");
    root.dokku(&["builds:help"]).ok().stdout(USAGE).stderr("");
    let all = root.dokku(&["help", "--all"]);
    all.ok();
    assert!(
        all.stdout
            .lines()
            .any(|l| l.starts_with("    builds:prune <app> [--all-apps] ")
                && l.trim_end().ends_with(" Prune build records to retention")),
        "{}",
        all.stdout
    );
    let short = root.dokku(&["help"]);
    assert!(
        short.stdout.lines().any(|l| l.starts_with("    builds ")
            && l.trim_end()
                .ends_with(" Manage running and historical builds")),
        "{}",
        short.stdout
    );
    root.dokku(&["builds:cancel", "--nope"])
        .code(2)
        .stdout("")
        .stderr("Usage of builds:cancel:\nunknown flag: --nope\n");
    root.dokku(&["builds:list", "-x"]).code(2).stderr(
        "Usage of builds:list:\n\
         \x20     --format string   format: [ stdout | json ] (default \"stdout\")\n\
         \x20     --kind string     filter by kind: [ build | deploy ]\n\
         \x20     --status string   filter by status: [ running | succeeded | failed | canceled | abandoned ]\n\
         unknown shorthand flag: 'x' in -x\n",
    );
    root.dokku(&["builds:prune", "--all-apps=maybe"]).code(2).stderr(
        "Usage of builds:prune:\n      --all-apps   --all-apps: prune every app\n\
         invalid argument \"maybe\" for \"--all-apps\" flag: strconv.ParseBool: parsing \"maybe\": invalid syntax\n",
    );
    root.dokku(&["builds:detect", "web"]).code(1);
}

#[test]
fn generate_id() {
    let root = Root::new();
    let out = trigger(&root, &["builds-generate-id"]);
    out.ok().stderr("");
    let id = out.stdout.strip_suffix('\n').unwrap();
    assert_eq!(id.len(), 14, "{id:?}");
    assert!(id
        .bytes()
        .all(|b| b.is_ascii_digit() || b.is_ascii_lowercase()));
    // The first 8 characters are the low base36 digits of the milliseconds: ids sort by time.
    std::thread::sleep(Duration::from_millis(5));
    let later = trigger(&root, &["builds-generate-id"]).stdout;
    assert!(later.trim()[..8] >= id[..8], "{later} < {id}");
}

#[test]
fn record_start_and_finalize() {
    let root = with_app("web");
    let pid = std::process::id().to_string();
    trigger(
        &root,
        &["builds-record-start", "web", "abc123", &pid, "git-hook"],
    )
    .ok()
    .stdout("")
    .stderr("");
    let path = dir(&root, "web").join("abc123.json");
    let body = read(path.clone());
    assert_eq!(
        fs::metadata(&path).unwrap().permissions().mode() & 0o777,
        0o644
    );
    let started = body
        .split("\"started_at\": \"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_string();
    assert!(started.ends_with('Z') && started.len() >= 20, "{started}");
    assert_eq!(
        body,
        format!(
            "{{\n  \"id\": \"abc123\",\n  \"app\": \"web\",\n  \"kind\": \"build\",\n  \"pid\": {pid},\n  \"started_at\": \"{started}\",\n  \"status\": \"running\",\n  \"source\": \"git-hook\"\n}}"
        )
    );
    root.dokku(&["builds:info", "web", "abc123"])
        .ok()
        .stdout_has("\nStatus:    running\n");

    trigger(&root, &["builds-record-finalize", "web", "abc123", "0"])
        .ok()
        .stdout("")
        .stderr("");
    let body = read(path.clone());
    assert!(
        body.contains(&format!(
            "  \"started_at\": \"{started}\",\n  \"finished_at\": \""
        )),
        "{body}"
    );
    assert!(
        body.ends_with(
            "\",\n  \"status\": \"succeeded\",\n  \"source\": \"git-hook\",\n  \"exit_code\": 0\n}"
        ),
        "{body}"
    );

    // A second finalize leaves a finished record alone.
    trigger(&root, &["builds-record-finalize", "web", "abc123", "5"]).ok();
    assert_eq!(read(path.clone()), body);

    // Kinds follow the source; an unknown source is recorded as `unknown` (a deploy).
    trigger(
        &root,
        &["builds-record-start", "web", "d1", "1", "ps:restart"],
    )
    .ok();
    assert!(read(dir(&root, "web").join("d1.json")).contains("\"kind\": \"deploy\""));
    trigger(&root, &["builds-record-start", "web", "u1", "1", "nonsense"])
        .ok()
        .stderr(" !     builds-record-start: unknown source \"nonsense\" for app web, recording as \"unknown\"\n");
    let u1 = read(dir(&root, "web").join("u1.json"));
    assert!(
        u1.contains("\"kind\": \"deploy\"") && u1.contains("\"source\": \"unknown\""),
        "{u1}"
    );
    trigger(&root, &["builds-record-finalize", "web", "u1", "137"]).ok();
    let u1 = read(dir(&root, "web").join("u1.json"));
    assert!(
        u1.contains("\"status\": \"failed\"") && u1.ends_with("\"exit_code\": 137\n}"),
        "{u1}"
    );

    trigger(&root, &["builds-record-finalize", "web", "missing", "0"])
        .ok()
        .stderr(" !     builds-record-finalize: no record for web/missing, skipping\n");
    trigger(&root, &["builds-record-finalize", "api", "missing", "0"])
        .ok()
        .stderr(" !     builds-record-finalize: no record for api/missing, skipping\n");
    assert!(!dir(&root, "api").exists());
}

#[test]
fn record_trigger_errors_write_nothing() {
    let root = with_app("web");
    for (args, err) in [
        (vec!["builds-record-start"], " !     builds-record-start: missing app name\n"),
        (vec!["builds-record-start", "web"], " !     builds-record-start: missing build id\n"),
        (
            vec!["builds-record-start", "web", "x1", "abc", "git-hook"],
            " !     builds-record-start: invalid pid \"abc\": strconv.Atoi: parsing \"abc\": invalid syntax\n",
        ),
        (
            vec!["builds-record-start", "web", "x1", "", "git-hook"],
            " !     builds-record-start: invalid pid \"\": strconv.Atoi: parsing \"\": invalid syntax\n",
        ),
        (
            vec!["builds-record-start", "web", "x1", "99999999999999999999", "git-hook"],
            " !     builds-record-start: invalid pid \"99999999999999999999\": strconv.Atoi: parsing \"99999999999999999999\": value out of range\n",
        ),
        (vec!["builds-record-start", "../web", "x1", "1", "git-hook"], MSG_INVALID),
        (vec!["builds-record-start", "Web", "x1", "1", "git-hook"], MSG_INVALID),
        (
            vec!["builds-record-start", "web", "../../evil", "1", "git-hook"],
            " !     builds-record-start: invalid build id \"../../evil\"\n",
        ),
        (
            vec!["builds-record-start", "web", "..", "1", "git-hook"],
            " !     builds-record-start: invalid build id \"..\"\n",
        ),
        (vec!["builds-record-finalize"], " !     builds-record-finalize: missing app name\n"),
        (vec!["builds-record-finalize", "web"], " !     builds-record-finalize: missing build id\n"),
        (
            vec!["builds-record-finalize", "web", "x1", "ok"],
            " !     builds-record-finalize: invalid exit code \"ok\": strconv.Atoi: parsing \"ok\": invalid syntax\n",
        ),
        (vec!["builds-record-finalize", "../x", "x1", "0"], MSG_INVALID),
    ] {
        trigger(&root, &args).code(1).stdout("").stderr(err);
    }
    assert!(!dir(&root, "web").exists());
    assert!(!root.lib().join("data/builds/evil.json").exists());
    assert!(!root.lib().join("evil.json").exists());
    // A hostile id on finalize is simply not a record.
    trigger(&root, &["builds-record-finalize", "web", "../../../x", "0"])
        .ok()
        .stderr(" !     builds-record-finalize: no record for web/../../../x, skipping\n");
}

#[test]
fn list_and_info() {
    let root = with_app("web");
    root.dokku(&["builds:list", "web"])
        .ok()
        .stdout("No builds recorded for this app\n")
        .stderr("");
    root.dokku(&["builds:list", "web", "--format", "json"])
        .ok()
        .stdout("[]\n");
    root.dokku(&["builds:list"])
        .ok()
        .stdout("No builds currently running\n");

    finished(
        "b1",
        "build",
        "succeeded",
        "git-hook",
        1001,
        "2024-05-01T10:00:00Z",
        "2024-05-01T10:01:05Z",
        0,
    )
    .write(&root, "web");
    finished(
        "d1",
        "deploy",
        "failed",
        "ps:restart",
        1002,
        "2024-05-02T08:00:00.5Z",
        "2024-05-02T08:00:02Z",
        1,
    )
    .write(&root, "web");
    finished(
        "c1",
        "build",
        "canceled",
        "git:sync",
        1003,
        "2024-04-30T23:59:59+02:00",
        "2024-05-01T00:00:09+02:00",
        -1,
    )
    .write(&root, "web");
    let table = "\
Build ID  Kind    Status     PID   Source      Started                    Duration
d1        deploy  failed     1002  ps:restart  2024-05-02T08:00:00Z       2s
b1        build   succeeded  1001  git-hook    2024-05-01T10:00:00Z       1m5s
c1        build   canceled   1003  git:sync    2024-04-30T23:59:59+02:00  10s
";
    root.dokku(&["builds:list", "web"])
        .ok()
        .stdout(table)
        .stderr("");
    let log = |id: &str| format!("{}/{id}.log", dir(&root, "web").display());
    let d1 = format!(
        "{{\"id\":\"d1\",\"app\":\"web\",\"kind\":\"deploy\",\"pid\":1002,\"started_at\":\"2024-05-02T08:00:00.5Z\",\"finished_at\":\"2024-05-02T08:00:02Z\",\"status\":\"failed\",\"source\":\"ps:restart\",\"exit_code\":1,\"display_status\":\"failed\",\"duration\":\"2s\",\"log_path\":\"{}\"}}",
        log("d1")
    );
    let b1 = format!(
        "{{\"id\":\"b1\",\"app\":\"web\",\"kind\":\"build\",\"pid\":1001,\"started_at\":\"2024-05-01T10:00:00Z\",\"finished_at\":\"2024-05-01T10:01:05Z\",\"status\":\"succeeded\",\"source\":\"git-hook\",\"exit_code\":0,\"display_status\":\"succeeded\",\"duration\":\"1m5s\",\"log_path\":\"{}\"}}",
        log("b1")
    );
    let c1 = format!(
        "{{\"id\":\"c1\",\"app\":\"web\",\"kind\":\"build\",\"pid\":1003,\"started_at\":\"2024-04-30T23:59:59+02:00\",\"finished_at\":\"2024-05-01T00:00:09+02:00\",\"status\":\"canceled\",\"source\":\"git:sync\",\"exit_code\":-1,\"display_status\":\"canceled\",\"duration\":\"10s\",\"log_path\":\"{}\"}}",
        log("c1")
    );
    root.dokku(&["builds:list", "web", "--format", "json"])
        .ok()
        .stdout(&format!("[{d1},{b1},{c1}]\n"));
    root.dokku(&["builds:list", "--format=json", "web", "--kind", "deploy"])
        .ok()
        .stdout(&format!("[{d1}]\n"));
    root.dokku(&["builds:list", "web", "--kind=build"])
        .ok()
        .stdout(
            "\
Build ID  Kind   Status     PID   Source    Started                    Duration
b1        build  succeeded  1001  git-hook  2024-05-01T10:00:00Z       1m5s
c1        build  canceled   1003  git:sync  2024-04-30T23:59:59+02:00  10s
",
        );
    root.dokku(&[
        "builds:list",
        "web",
        "--status",
        "canceled",
        "--format",
        "json",
    ])
    .ok()
    .stdout(&format!("[{c1}]\n"));
    root.dokku(&["builds:list", "web", "--status", "running"])
        .ok()
        .stdout("No builds recorded for this app\n");

    // Info, text and JSON.
    root.dokku(&["builds:info", "web", "c1"])
        .ok()
        .stderr("")
        .stdout(&format!(
            "\
Build ID:   c1
App:        web
Kind:       build
Status:     canceled
PID:        1003
Source:     git:sync
Started:    2024-04-30T23:59:59+02:00
Finished:   2024-05-01T00:00:09+02:00
Duration:   10s
Exit Code:  -1
Log:        {}
",
            log("c1")
        ));
    root.dokku(&["builds:info", "web", "b1", "--format", "json"])
        .ok()
        .stdout(&format!("{b1}\n"));

    // The retention caps an unfiltered listing (live builds come on top of it).
    root.dokku(&["builds:set", "web", "retention", "2"]).ok();
    let listed = root.dokku(&["builds:list", "web"]);
    assert_eq!(listed.ok().stdout.lines().count(), 3, "{}", listed.stdout);
    assert!(!listed.stdout.contains("c1"));
    root.dokku(&["builds:list", "web", "--kind", "build"])
        .ok()
        .stdout_has("c1");

    // A running record whose process is gone shows as abandoned; a live one comes first.
    running("g1", dead_pid(), "2024-04-01T00:00:00Z").write(&root, "web");
    running("l1", std::process::id() as i64, "2024-03-01T00:00:00Z").write(&root, "web");
    let listed = root.dokku(&["builds:list", "web"]);
    let lines: Vec<&str> = listed.ok().stdout.lines().collect();
    assert_eq!(lines.len(), 4, "{}", listed.stdout);
    assert!(
        lines[1].starts_with("l1 ") && lines[1].contains(" running "),
        "{}",
        listed.stdout
    );
    assert!(
        lines[2].starts_with("d1 ") && lines[3].starts_with("b1 "),
        "{}",
        listed.stdout
    );
    root.dokku(&["builds:list", "web", "--status", "abandoned"])
        .ok()
        .stdout_has("g1        build  abandoned  ");
    root.dokku(&["builds:info", "web", "g1"])
        .ok()
        .stdout_has("\nStatus:    abandoned\n");

    // Without an app: the records still marked running, on every app.
    let all = root.dokku(&["builds:list"]);
    let lines: Vec<&str> = all.ok().stdout.lines().collect();
    // The PID column's width depends on the pids.
    assert!(
        lines[0].starts_with("App  Build ID  Kind   PID  "),
        "{}",
        all.stdout
    );
    let words: Vec<&str> = lines[0]
        .split("  ")
        .filter(|w| !w.is_empty())
        .map(str::trim)
        .collect();
    assert_eq!(
        words,
        ["App", "Build ID", "Kind", "PID", "Source", "Started"]
    );
    assert!(
        lines[1].starts_with("web  g1        build  ")
            && lines[1].ends_with("  git-hook  2024-04-01T00:00:00Z"),
        "{}",
        all.stdout
    );
    assert!(
        lines[2].starts_with("web  l1        build  "),
        "{}",
        all.stdout
    );
    assert_eq!(lines.len(), 3);
    let running_json = root.dokku(&["builds:list", "--status", "running", "--format", "json"]);
    assert!(
        running_json.ok().stdout.starts_with("[{\"id\":\"l1\","),
        "{}",
        running_json.stdout
    );
}

#[test]
fn list_and_info_errors() {
    let root = with_app("web");
    for (args, err) in [
        (vec!["builds:list", "web", "--format", "xml"], " !     Invalid format specified, supported formats: json, stdout\n"),
        (vec!["builds:list", "web", "--kind=garbage"], " !     Invalid --kind value \"garbage\" (allowed: build, deploy)\n"),
        (
            vec!["builds:list", "--status", "done"],
            " !     Invalid --status value \"done\" (allowed: running, succeeded, failed, canceled, abandoned)\n",
        ),
        (vec!["builds:list", "api"], " !     App api does not exist\n"),
        (vec!["builds:list", "../x"], MSG_INVALID),
        (vec!["builds:info"], MSG_NO_APP),
        (vec!["builds:info", "web"], " !     Please specify a build id\n"),
        (vec!["builds:info", "web", "nope"], " !     No build record found for web/nope\n"),
        (vec!["builds:info", "web", "../../../etc/passwd"], " !     No build record found for web/../../../etc/passwd\n"),
        (vec!["builds:info", "web", "x", "--format", "yaml"], " !     Invalid format specified, supported formats: json, stdout\n"),
    ] {
        let code = if err.contains("does not exist") { 20 } else { 1 };
        root.dokku(&args).code(code).stdout("").stderr(err);
    }

    // Unreadable records are skipped with a warning; asking for one shows why.
    let d = dir(&root, "web");
    fs::create_dir_all(d.join("sub.json")).unwrap();
    fs::write(d.join("bad.json"), "{\"id\": \"bad\", \"pid\": \"12\"}").unwrap();
    fs::write(d.join("cut.json"), "{\"id\": ").unwrap();
    fs::write(d.join("notes.txt"), "ignored").unwrap();
    finished(
        "ok1",
        "build",
        "succeeded",
        "git-hook",
        1,
        "2024-05-01T10:00:00Z",
        "2024-05-01T10:00:01Z",
        0,
    )
    .write(&root, "web");
    root.dokku(&["builds:list", "web", "--format", "json"])
        .ok()
        .stdout_has("[{\"id\":\"ok1\"")
        .stderr(
            " !     Skipping unreadable build record web/bad.json: parse build record bad: json: cannot unmarshal string into Go struct field Build.pid of type int\n\
             \x20!     Skipping unreadable build record web/cut.json: parse build record cut: unexpected end of JSON input\n",
        );
    root.dokku(&["builds:info", "web", "cut"])
        .code(1)
        .stderr(" !     parse build record cut: unexpected end of JSON input\n");
}

#[test]
fn output() {
    let root = with_app("web");
    root.dokku(&["builds:output", "web"])
        .ok()
        .stdout("-----> App not currently deploying\n");
    let lock = lock_file(&root, "web", "\n");
    root.dokku(&["builds:output", "web", "current"])
        .ok()
        .stdout("-----> No matching app deploy found\n");

    finished(
        "o1",
        "build",
        "succeeded",
        "git-hook",
        1,
        "2024-05-01T10:00:00Z",
        "2024-05-01T10:00:01Z",
        0,
    )
    .write(&root, "web");
    fs::write(dir(&root, "web").join("o1.log"), "line one\nline two").unwrap();
    root.dokku(&["builds:output", "web", "o1"])
        .ok()
        .stdout("line one\nline two")
        .stderr("");
    fs::write(&lock, "o1\n").unwrap();
    root.dokku(&["builds:output", "web"])
        .ok()
        .stdout("line one\nline two");

    // No log file: journald, when journalctl exists.
    let bin = root.dir.join("fakebin");
    fs::create_dir_all(&bin).unwrap();
    let path = format!("{}:{}", root.dir.join("usr/bin").display(), bin.display());
    let run = |args: &[&str]| {
        Run::from(
            root.command(root.bin("dokku"))
                .env("PATH", &path)
                .args(args)
                .output()
                .unwrap(),
        )
    };
    let out = run(&["builds:output", "web", "gone"]);
    out.code(1)
        .stdout("")
        .stderr(" !     log file missing and journalctl not available for build gone\n");
    root.write_exec(
        "fakebin/journalctl",
        "#!/bin/sh\necho \"journal $*\"\n[ \"$6\" = SYSLOG_IDENTIFIER=dokku-bad ] && exit 3\nexit 0\n",
    );
    run(&["builds:output", "web", "gone"])
        .ok()
        .stdout("journal -n 1000 -a -o cat SYSLOG_IDENTIFIER=dokku-gone\n");
    run(&["builds:output", "web", "bad"])
        .code(1)
        .stdout("journal -n 1000 -a -o cat SYSLOG_IDENTIFIER=dokku-bad\n")
        .stderr(" !     exit status 3\n");
    // A hostile id never reaches the filesystem.
    run(&["builds:output", "web", "../../../../etc/hostname"])
        .ok()
        .stdout("journal -n 1000 -a -o cat SYSLOG_IDENTIFIER=dokku-../../../../etc/hostname\n");
    root.dokku(&["builds:output", "api"])
        .code(20)
        .stderr(" !     App api does not exist\n");
}

#[test]
fn output_follows_a_running_build() {
    let root = with_app("web");
    let build = Group::start();
    running("live1", build.pid(), "2024-05-01T10:00:00Z").write(&root, "web");
    let log_path = dir(&root, "web").join("live1.log");
    let old: String = (0..1500).map(|i| format!("old {i}\n")).collect();
    fs::write(&log_path, old).unwrap();
    let mut follower = root
        .command(root.bin("dokku"))
        .args(["builds:output", "web", "live1"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(700));
    fs::OpenOptions::new()
        .append(true)
        .open(&log_path)
        .unwrap()
        .write_all(b"new output\n")
        .unwrap();
    std::thread::sleep(Duration::from_millis(700));
    assert!(
        follower.try_wait().unwrap().is_none(),
        "stopped while the build runs"
    );
    drop(build);
    wait_for("the follower to stop", || {
        follower.try_wait().unwrap().is_some()
    });
    let out = Run::from(follower.wait_with_output().unwrap());
    let expected: String = (500..1500)
        .map(|i| format!("old {i}\n"))
        .chain(std::iter::once("new output\n".to_string()))
        .collect();
    out.ok().stderr("");
    assert_eq!(out.stdout, expected);
}

#[test]
fn cancel_signals_the_process_group() {
    let root = with_app("web");
    let build = Group::start();
    wait_for("the group's children", || build.live_members().len() == 3);
    let members = build.live_members();
    running("run1", build.pid(), "2024-05-01T10:00:00Z").write(&root, "web");
    let lock = lock_file(&root, "web", "run1\n");
    root.dokku(&["builds:cancel", "web"])
        .ok()
        .stdout("-----> Killing app deploy\n")
        .stderr("");
    let mut build = build;
    let status = build.0.wait().unwrap();
    assert_eq!(
        status.signal(),
        Some(nix::sys::signal::Signal::SIGQUIT as i32)
    );
    wait_for("every member to die", || {
        members.iter().all(|pid| {
            fs::read_to_string(format!("/proc/{pid}/stat"))
                .map(|s| s.contains(") Z "))
                .unwrap_or(true)
        })
    });
    let body = read(dir(&root, "web").join("run1.json"));
    assert!(body.contains("\"status\": \"canceled\""), "{body}");
    assert!(
        body.ends_with("\"source\": \"git-hook\",\n  \"exit_code\": -1\n}"),
        "{body}"
    );
    assert!(
        body.contains("\"started_at\": \"2024-05-01T10:00:00Z\",\n  \"finished_at\": \""),
        "{body}"
    );
    assert!(!lock.exists());
    root.dokku(&["builds:info", "web", "run1"])
        .ok()
        .stdout_has("Status:     canceled\n");
    // The dying build's own finalize leaves the canceled record alone.
    trigger(&root, &["builds-record-finalize", "web", "run1", "131"]).ok();
    assert_eq!(read(dir(&root, "web").join("run1.json")), body);
}

#[test]
fn cancel_without_a_running_build() {
    let root = with_app("web");
    root.dokku(&["builds:cancel", "web"])
        .ok()
        .stdout("-----> App not currently deploying\n");
    let lock = lock_file(&root, "web", "  \n");
    root.dokku(&["builds:cancel", "web"])
        .ok()
        .stdout("-----> No matching app deploy found\n");
    assert!(lock.exists());

    fs::write(&lock, "ghost\n").unwrap();
    root.dokku(&["builds:cancel", "web"])
        .ok()
        .stdout("-----> No build record for ghost, removing stale lock file\n");
    assert!(!lock.exists());

    // Lock contents naming a path outside the store are just an unknown build.
    fs::write(&lock, "../../../../etc/passwd\n").unwrap();
    root.dokku(&["builds:cancel", "web"])
        .ok()
        .stdout("-----> No build record for ../../../../etc/passwd, removing stale lock file\n");

    finished(
        "done1",
        "build",
        "succeeded",
        "git-hook",
        1,
        "2024-05-01T10:00:00Z",
        "2024-05-01T10:00:01Z",
        0,
    )
    .write(&root, "web");
    let before = read(dir(&root, "web").join("done1.json"));
    let lock = lock_file(&root, "web", "done1\n");
    root.dokku(&["builds:cancel", "web"]).ok().stdout(
        "-----> Build done1 is no longer running (status=succeeded); leaving record untouched\n",
    );
    assert!(lock.exists());
    assert_eq!(read(dir(&root, "web").join("done1.json")), before);

    running("abnd1", dead_pid(), "2024-05-01T10:00:00Z").write(&root, "web");
    fs::write(&lock, "abnd1").unwrap();
    root.dokku(&["builds:cancel", "web"])
        .ok()
        .stdout("-----> Build was already terminated, marking failed\n");
    assert!(!lock.exists());
    let body = read(dir(&root, "web").join("abnd1.json"));
    assert!(
        body.contains("\"status\": \"failed\"") && body.ends_with("\"exit_code\": -1\n}"),
        "{body}"
    );

    root.dokku(&["builds:cancel"]).code(1).stderr(MSG_NO_APP);
    root.dokku(&["builds:cancel", "api"])
        .code(20)
        .stderr(" !     App api does not exist\n");
}

#[test]
fn prune_and_retention() {
    let root = with_app("web");
    root.dokku(&["apps:create", "api"]).ok();
    for i in 1..=5 {
        let started = format!("2024-05-0{i}T10:00:00Z");
        let fin = format!("2024-05-0{i}T10:00:05Z");
        let id = format!("p{i}");
        finished(
            &id,
            "build",
            "succeeded",
            "git-hook",
            1000 + i,
            &started,
            &fin,
            0,
        )
        .write(&root, "web");
        fs::write(dir(&root, "web").join(format!("{id}.log")), "log").unwrap();
    }
    let live = std::process::id() as i64;
    running("live", live, "2024-04-01T00:00:00Z").write(&root, "web");
    running("ghost", dead_pid(), "2024-04-02T00:00:00Z").write(&root, "web");

    root.dokku(&["builds:prune", "web"])
        .ok()
        .stdout("")
        .stderr("");
    // Default retention is 20: only the abandoned record changed (reaped as failed).
    let ghost = read(dir(&root, "web").join("ghost.json"));
    assert!(
        ghost.contains("\"status\": \"failed\"") && ghost.ends_with("\"exit_code\": -1\n}"),
        "{ghost}"
    );

    root.dokku(&["builds:set", "web", "retention", "2"])
        .ok()
        .stdout("=====> Setting retention to 2\n");
    root.dokku(&["builds:prune", "web"]).ok();
    let mut left: Vec<String> = fs::read_dir(dir(&root, "web"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(
        left,
        ["live.json", "p4.json", "p4.log", "p5.json", "p5.log"]
    );

    // Finalize prunes too.
    let pid = live.to_string();
    trigger(
        &root,
        &["builds-record-start", "web", "p6", &pid, "git-hook"],
    )
    .ok();
    trigger(&root, &["builds-record-finalize", "web", "p6", "0"]).ok();
    assert!(!dir(&root, "web").join("p4.json").exists());
    assert!(dir(&root, "web").join("p5.json").exists());

    // --all-apps, and invalid stored values fall back with a warning.
    fs::write(root.lib().join("config/builds/web/retention"), "lots").unwrap();
    root.dokku(&["builds:set", "--global", "retention", "1"])
        .ok();
    root.dokku(&["builds:prune", "--all-apps"])
        .ok()
        .stdout("")
        .stderr(" !     Ignoring non-integer builds retention \"lots\" for web\n");
    assert!(!dir(&root, "web").join("p5.json").exists());
    assert!(dir(&root, "web").join("p6.json").exists());
    assert!(dir(&root, "web").join("live.json").exists());
    fs::write(root.lib().join("config/builds/web/retention"), "0").unwrap();
    root.dokku(&["builds:report", "web", "--builds-computed-retention"])
        .ok()
        .stdout("1\n")
        .stderr(" !     Ignoring builds retention 0 below minimum 1 for web\n");

    root.dokku(&["builds:prune"]).code(1).stderr(MSG_NO_APP);
    root.dokku(&["builds:prune", "nope"]).code(20);
    let empty = Root::new();
    empty
        .dokku(&["builds:prune", "--all-apps"])
        .ok()
        .stderr(" !     You haven't deployed any applications yet\n");
}

#[test]
fn set_and_report() {
    let root = with_app("web");
    for (args, err) in [
        (
            vec!["builds:set", "web", "retention", "0"],
            " !     Invalid retention 0: must be >= 1\n",
        ),
        (
            vec!["builds:set", "web", "retention", "--", "-4"],
            " !     Invalid retention -4: must be >= 1\n",
        ),
        (
            vec!["builds:set", "web", "retention", "abc"],
            " !     Invalid retention \"abc\": must be a positive integer\n",
        ),
        (
            vec!["builds:set", "web", "retention", "1.5"],
            " !     Invalid retention \"1.5\": must be a positive integer\n",
        ),
        (
            vec!["builds:set", "web", "keep"],
            " !     Invalid property \"keep\" (allowed: retention)\n",
        ),
        (
            vec!["builds:set", "web"],
            " !     Invalid property \"\" (allowed: retention)\n",
        ),
        (
            vec!["builds:set", "--global", "x", "1"],
            " !     Invalid property \"x\" (allowed: retention)\n",
        ),
        (vec!["builds:set"], MSG_NO_APP),
        (vec!["builds:set", "../web", "retention", "3"], MSG_INVALID),
    ] {
        root.dokku(&args).code(1).stdout("").stderr(err);
    }
    root.dokku(&["builds:set", "api", "retention", "3"])
        .code(20);
    // pflag reads a negative number as a shorthand flag, as upstream does.
    root.dokku(&["builds:set", "web", "retention", "-4"]).code(2).stderr(
        "Usage of builds:set:\n      --global   --global: set a global property\nunknown shorthand flag: '4' in -4\n",
    );
    assert!(!root.lib().join("config/builds/web/retention").exists());

    let empty_report = "=====> web builds information\n\
        \x20      Build exit code:               \n\
        \x20      Build finished at:             \n\
        \x20      Build id:                      \n\
        \x20      Build kind:                    \n\
        \x20      Build pid:                     \n\
        \x20      Build source:                  \n\
        \x20      Build started at:              \n\
        \x20      Build status:                  \n\
        \x20      Builds computed retention:     20\n\
        \x20      Builds global retention:       \n\
        \x20      Builds retention:              \n";
    root.dokku(&["builds:report", "web"])
        .ok()
        .stdout(empty_report)
        .stderr("");
    root.dokku(&["builds:report"]).ok().stdout(empty_report);

    root.dokku(&["builds:set", "web", "retention", "5"])
        .ok()
        .stdout("=====> Setting retention to 5\n");
    assert_eq!(read(root.lib().join("config/builds/web/retention")), "5");
    root.dokku(&["builds:set", "--global", "retention", "+7"])
        .ok()
        .stdout("=====> Setting retention to +7\n");
    finished(
        "r1",
        "deploy",
        "failed",
        "ps:restart",
        4242,
        "2024-05-01T10:00:00.25Z",
        "2024-05-01T10:00:03Z",
        2,
    )
    .write(&root, "web");
    root.dokku(&["builds:report", "web"]).ok().stdout(
        "=====> web builds information\n\
        \x20      Build exit code:               2\n\
        \x20      Build finished at:             2024-05-01T10:00:03Z\n\
        \x20      Build id:                      r1\n\
        \x20      Build kind:                    deploy\n\
        \x20      Build pid:                     4242\n\
        \x20      Build source:                  ps:restart\n\
        \x20      Build started at:              2024-05-01T10:00:00Z\n\
        \x20      Build status:                  failed\n\
        \x20      Builds computed retention:     5\n\
        \x20      Builds global retention:       +7\n\
        \x20      Builds retention:              5\n",
    );
    root.dokku(&["builds:report", "web", "--format", "json"]).ok().stdout(
        "{\"build-exit-code\":\"2\",\"build-finished-at\":\"2024-05-01T10:00:03Z\",\"build-id\":\"r1\",\"build-kind\":\"deploy\",\"build-pid\":\"4242\",\"build-source\":\"ps:restart\",\"build-started-at\":\"2024-05-01T10:00:00Z\",\"build-status\":\"failed\",\"builds-computed-retention\":\"5\",\"builds-global-retention\":\"+7\",\"builds-retention\":\"5\",\"computed-retention\":\"5\",\"global-retention\":\"+7\",\"retention\":\"5\"}\n",
    );
    root.dokku(&["builds:report", "web", "--build-id"])
        .ok()
        .stdout("r1\n");
    root.dokku(&["builds:report", "--global"])
        .ok()
        .stdout("=====> --global builds information\n       Builds global retention:       +7\n");
    root.dokku(&["builds:report", "--global", "--format", "json"])
        .ok()
        .stdout("{\"builds-global-retention\":\"+7\",\"global-retention\":\"+7\"}\n");
    root.dokku(&["builds:report", "web", "--nope"]).code(1).stderr(
        " !     Invalid flag passed, valid flags: --build-exit-code, --build-finished-at, --build-id, --build-kind, --build-pid, --build-source, --build-started-at, --build-status, --builds-computed-retention, --builds-global-retention, --builds-retention\n",
    );
    root.dokku(&["builds:set", "web", "retention"])
        .ok()
        .stdout("=====> Unsetting retention\n");
    root.dokku(&["builds:report", "web", "--builds-computed-retention"])
        .ok()
        .stdout("7\n");
}

#[test]
fn rename_clone_and_destroy() {
    let root = with_app("web");
    finished(
        "k1",
        "build",
        "succeeded",
        "git-hook",
        1,
        "2024-05-01T10:00:00Z",
        "2024-05-01T10:00:01Z",
        0,
    )
    .write(&root, "web");
    fs::write(dir(&root, "web").join("k1.log"), "kept log\n").unwrap();
    root.dokku(&["builds:set", "web", "retention", "4"]).ok();

    root.dokku(&["apps:clone", "web", "copy"]).ok();
    assert!(!dir(&root, "copy").join("k1.json").exists());
    assert!(!root.lib().join("config/builds/copy/retention").exists());

    root.dokku(&["apps:rename", "web", "renamed"]).ok();
    assert!(!dir(&root, "web").exists());
    assert!(!root.lib().join("config/builds/web").exists());
    assert_eq!(
        read(root.lib().join("config/builds/renamed/retention")),
        "4"
    );
    let body = read(dir(&root, "renamed").join("k1.json"));
    assert!(body.contains("\"app\": \"renamed\""), "{body}");
    root.dokku(&["builds:output", "renamed", "k1"])
        .ok()
        .stdout("kept log\n");
    root.dokku(&["builds:info", "renamed", "k1"])
        .ok()
        .stdout_has(&format!(
            "Log:        {}/k1.log\n",
            dir(&root, "renamed").display()
        ));

    root.dokku(&["--force", "apps:destroy", "renamed"]).ok();
    assert!(!dir(&root, "renamed").exists());
    assert!(!root.lib().join("config/builds/renamed").exists());

    // The triggers refuse names that are not apps' names.
    hook(&root, &["post-delete", ""])
        .code(1)
        .stderr(" !     Please specify an app to run the command on\n");
    for name in ["..", "a/b"] {
        hook(&root, &["post-delete", name])
            .code(1)
            .stderr_has("App name must begin");
    }
    hook(&root, &["post-app-rename-setup", "copy", "../x"]).code(1);
    assert!(root.lib().join("data/builds").exists());
    assert!(root.lib().join("config/builds").exists());
}

#[test]
fn rename_trigger_moves_records() {
    let root = with_app("web");
    root.dokku(&["apps:create", "other"]).ok();
    running("m1", dead_pid(), "2024-05-01T10:00:00Z").write(&root, "web");
    fs::write(dir(&root, "web").join("m1.log"), "moved\n").unwrap();
    root.dokku(&["builds:set", "web", "retention", "3"]).ok();
    hook(&root, &["post-app-rename-setup", "web", "moved"])
        .ok()
        .stdout("")
        .stderr("");
    assert!(!dir(&root, "web").exists());
    assert!(!root.lib().join("config/builds/web").exists());
    assert_eq!(read(root.lib().join("config/builds/moved/retention")), "3");
    assert_eq!(read(dir(&root, "moved").join("m1.log")), "moved\n");
    let body = read(dir(&root, "moved").join("m1.json"));
    assert!(body.contains("\"app\": \"moved\""), "{body}");
    assert!(body.contains("\"status\": \"running\""), "{body}");

    // A target that already holds records is left alone, with a warning.
    running("o1", dead_pid(), "2024-05-01T10:00:00Z").write(&root, "other");
    let out = hook(&root, &["post-app-rename-setup", "moved", "other"]);
    out.ok()
        .stderr_has(" !     Could not rename builds data dir for moved: rename ");
    assert!(dir(&root, "moved").join("m1.json").exists());
    assert!(!dir(&root, "other").join("m1.json").exists());

    // A missing source directory only moves the properties.
    hook(&root, &["post-app-rename-setup", "nothing", "fresh"])
        .ok()
        .stderr("");
    assert!(!dir(&root, "fresh").exists());
}
