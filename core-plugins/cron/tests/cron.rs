//! `cron:*` and the cron triggers through the real `dokku` entry point in a temporary
//! install: app.json cron entries, schedule and command validation with upstream's
//! messages, reports, and the crontab written through a fake `crontab` program.

use std::fs;
use std::path::PathBuf;
use std::process::Stdio;

use dokku_rs_testkit::{Root, Run};

const USAGE: &str = "Usage: dokku cron[:COMMAND]\n\nManage scheduled cron tasks\n\nAdditional commands:\n\
\x20   cron:list <app> [--format json|stdout]                       List scheduled cron tasks for an app\n\
\x20   cron:report [<app>] [<flag>]                                 Display report about an app\n\
\x20   cron:resume <app> <cron_id>                                  Resume a cron task\n\
\x20   cron:run <app> <cron_id> [--detach] [--ttl-seconds SECONDS]  Run a cron task on the fly\n\
\x20   cron:set [--global|<app>] <key> <value>                      Set or clear a cron property for an app\n\
\x20   cron:suspend <app> <cron_id>                                 Suspend a cron task\n";

const HEADER: &str = "PATH=/usr/local/bin:/usr/bin:/bin\nSHELL=/bin/bash\n\n";

/// A crontab stand-in: `-u USER FILE` stores the file, `-l -u USER` prints it (status 1 and
/// upstream's message when there is none), `-r -u USER` removes it. Every call is logged.
const FAKE_CRONTAB: &str = r#"#!/bin/sh
echo "$*" >> "$FAKECRON_DIR/calls"
if [ -e "$FAKECRON_DIR/fail" ]; then echo "crontab: cannot write" >&2; exit 1; fi
case "$1" in
  -u) cp "$3" "$FAKECRON_DIR/tab.$2" ;;
  -l) cat "$FAKECRON_DIR/tab.$3" 2>/dev/null || { echo "no crontab for $3" >&2; exit 1; } ;;
  -r) rm "$FAKECRON_DIR/tab.$3" ;;
esac
"#;

struct Fixture {
    root: Root,
    spool: PathBuf,
    user: String,
}

impl Fixture {
    fn new() -> Fixture {
        let root = Root::new();
        let spool = root.dir.join("spool");
        fs::create_dir_all(&spool).unwrap();
        root.write_exec("fakecron", FAKE_CRONTAB);
        let user = String::from_utf8(
            std::process::Command::new("id")
                .arg("-un")
                .output()
                .unwrap()
                .stdout,
        )
        .unwrap()
        .trim()
        .to_string();
        let f = Fixture { root, spool, user };
        // The docker-local scheduler says it uses the host crontab; stand in if it cannot.
        let probe = f
            .root
            .plugn(&["trigger", "scheduler-uses-host-cron", "docker-local"]);
        if probe.stdout.trim() != "true" {
            f.plugin(
                "hostcron",
                &[(
                    "scheduler-uses-host-cron",
                    "[[ $1 == docker-local ]] && echo true || true",
                )],
            );
        }
        f.dokku(&["apps:create", "web"]).ok();
        f
    }

    /// A community plugin with bash hooks.
    fn plugin(&self, name: &str, hooks: &[(&str, &str)]) {
        self.root.write_exec(
            &format!("lib/plugins/available/{name}/plugin.toml"),
            &format!("[plugin]\ndescription = \"{name}\"\nversion = \"0.1.0\"\n[plugin.config]\n"),
        );
        for (hook, body) in hooks {
            self.root.write_exec(
                &format!("lib/plugins/available/{name}/{hook}"),
                &format!("#!/usr/bin/env bash\n{body}\n"),
            );
        }
        self.root.plugn(&["enable", name]).ok();
    }

    fn command(&self, program: PathBuf, args: &[&str], crontab: bool) -> Run {
        let mut cmd = self.root.command(program);
        cmd.args(args).env("FAKECRON_DIR", &self.spool);
        if crontab {
            cmd.env("DOKKU_CRONTAB_BIN", self.root.dir.join("fakecron"));
        }
        Run::from(cmd.stdin(Stdio::null()).output().unwrap())
    }

    /// `dokku` with the fake crontab.
    fn dokku(&self, args: &[&str]) -> Run {
        self.command(self.root.bin("dokku"), args, true)
    }

    /// `dokku` as a temporary install is by default: no crontab program at all.
    fn dokku_without_crontab(&self, args: &[&str]) -> Run {
        self.command(self.root.bin("dokku"), args, false)
    }

    /// One of this plugin's triggers, run directly.
    fn hook(&self, args: &[&str]) -> Run {
        let path = self
            .root
            .lib()
            .join("core-plugins/available/cron")
            .join(args[0]);
        let mut cmd = self.root.command(path);
        cmd.args(&args[1..])
            .env("FAKECRON_DIR", &self.spool)
            .env("DOKKU_CRONTAB_BIN", self.root.dir.join("fakecron"))
            .env("PLUGIN_PATH", self.root.lib().join("plugins"));
        Run::from(cmd.output().unwrap())
    }

    fn app_json(&self, app: &str, body: &str) {
        let dir = self.root.lib().join("data/app-json").join(app);
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join("app.json"), body).unwrap();
    }

    fn crontab(&self) -> Option<String> {
        fs::read_to_string(self.spool.join(format!("tab.{}", self.user))).ok()
    }

    fn calls(&self) -> String {
        fs::read_to_string(self.spool.join("calls")).unwrap_or_default()
    }

    fn ids(&self, app: &str) -> Vec<String> {
        let run = self.dokku(&["cron:list", app, "--format", "json"]);
        run.ok();
        let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        v.as_array()
            .unwrap()
            .iter()
            .map(|t| t["id"].as_str().unwrap().to_string())
            .collect()
    }
}

const TWO_TASKS: &str = r#"{
  // JSON with comments and trailing commas, as upstream reads it
  "cron": [
    {"command": "python3 task.py first", "schedule": "5 5 5 5 5"},
    {"command": "python3 task.py second", "schedule": "@daily", "concurrency_policy": "forbid",},
  ],
}"#;

#[test]
fn help_texts() {
    let root = Root::new();
    root.dokku(&["cron"]).ok().stdout(USAGE).stderr("");
    root.dokku(&["cron:help"]).ok().stdout(USAGE).stderr("");
    let short = root.dokku(&["help"]);
    short.ok();
    assert!(short.stdout.contains("\n    cron "), "{}", short.stdout);
    let all = root.dokku(&["help", "--all"]);
    assert!(all
        .stdout
        .lines()
        .any(|l| l.starts_with("    cron:suspend <app> <cron_id> ")
            && l.trim_end().ends_with("Suspend a cron task")));
}

#[test]
fn list_tasks() {
    let f = Fixture::new();
    f.dokku(&["cron:list", "web"])
        .ok()
        .stdout("ID  Schedule  Concurrency  Maintenance  Command\n")
        .stderr("");
    f.dokku(&["cron:list", "web", "--format", "json"])
        .ok()
        .stdout("[]\n");
    f.app_json("web", TWO_TASKS);
    let ids = f.ids("web");
    assert_eq!(ids.len(), 2);
    let (a, b) = (&ids[0], &ids[1]);
    let width = a.len().max(b.len()).max(2);
    let expected = format!(
        "{:<width$}  Schedule   Concurrency  Maintenance  Command\n\
         {a:<width$}  5 5 5 5 5  allow        false        python3 task.py first\n\
         {b:<width$}  @daily     forbid       false        python3 task.py second\n",
        "ID"
    );
    f.dokku(&["cron:list", "web"])
        .ok()
        .stdout(&expected)
        .stderr("");
    f.dokku(&["cron:list", "web", "--format", "json"]).ok().stdout(&format!(
        "[{{\"id\":\"{a}\",\"app\":\"web\",\"command\":\"python3 task.py first\",\"schedule\":\"5 5 5 5 5\",\"concurrency_policy\":\"allow\",\"app-in-maintenance\":false,\"task-in-maintenance\":false,\"maintenance\":false}},\
{{\"id\":\"{b}\",\"app\":\"web\",\"command\":\"python3 task.py second\",\"schedule\":\"@daily\",\"concurrency_policy\":\"forbid\",\"app-in-maintenance\":false,\"task-in-maintenance\":false,\"maintenance\":false}}]\n"
    ));
    // IDs are the base36 of app===command===schedule.
    assert_eq!(a, &base36("web===python3 task.py first===5 5 5 5 5"));

    f.dokku(&["cron:list", "web", "--format", "xml"])
        .code(1)
        .stdout("")
        .stderr(" !     Invalid format specified, supported formats: json, stdout\n");
    f.dokku(&["cron:list", "missing"])
        .code(20)
        .stderr(" !     App missing does not exist\n");
    f.dokku(&["cron:list"])
        .code(1)
        .stderr(" !     Please specify an app to run the command on\n");
    let bad = f.dokku(&["cron:list", "web", "--bogus"]);
    bad.code(2).stdout("");
    assert!(
        bad.stderr.starts_with("Usage of cron:list:\n"),
        "{}",
        bad.stderr
    );
    assert!(
        bad.stderr.ends_with("unknown flag: --bogus\n"),
        "{}",
        bad.stderr
    );
}

fn base36(s: &str) -> String {
    // Repeated division of the big-endian number, most significant digit last.
    let mut num: Vec<u32> = s.bytes().map(u32::from).collect();
    let mut out = Vec::new();
    while num.iter().any(|d| *d != 0) {
        let mut rem = 0u32;
        for d in num.iter_mut() {
            let cur = rem * 256 + *d;
            *d = cur / 36;
            rem = cur % 36;
        }
        out.push(b"0123456789abcdefghijklmnopqrstuvwxyz"[rem as usize] as char);
    }
    out.iter().rev().collect()
}

#[test]
fn invalid_entries() {
    let f = Fixture::new();
    let cases = [
        (
            r#"{"cron": [{"command": "python3 task.py", "schedule": "@nonstandard"}]}"#,
            "Invalid cron schedule for app web (schedule @nonstandard): unrecognized descriptor: @nonstandard",
        ),
        (
            r#"{"cron": [{"command": "python3 task.py", "schedule": "0 5 * * * *"}]}"#,
            "Invalid cron schedule for app web (schedule 0 5 * * * *): expected exactly 5 fields, found 6: [0 5 * * * *]",
        ),
        (
            r#"{"cron": [{"command": "python3 task.py", "schedule": "61 * * * *"}]}"#,
            "Invalid cron schedule for app web (schedule 61 * * * *): end of range (61) above maximum (59): 61",
        ),
        (
            r#"{"cron": [{"command": "echo CRON_OK; echo hi > /tmp/appjson-injection-test.txt", "schedule": "* * * * *"}]}"#,
            "Invalid cron command for app web (command \"echo CRON_OK; echo hi > /tmp/appjson-injection-test.txt\"): 1:13: `;` is not a valid word",
        ),
        (
            r#"{"cron": [{"command": "echo $(id)", "schedule": "* * * * *"}]}"#,
            "Invalid cron command for app web (command \"echo $(id)\"): unexpected command substitution at 1:6",
        ),
        (
            r#"{"cron": [{"command": "sleep 30", "schedule": "@daily", "concurrency_policy": "sometimes"}]}"#,
            "Invalid cron concurrency policy for app web (schedule @daily): sometimes",
        ),
        (
            r#"{"cron": [{"command": 5, "schedule": "@daily"}]}"#,
            "Unable to fetch app.json for app web: Cannot parse app.json: json: cannot unmarshal number into Go struct field CronTask.cron.command of type string",
        ),
        (
            "{\"cron\": [\n  {\"command\": \"x\" \"schedule\": \"@daily\"}\n]}",
            "Unable to fetch app.json for app web: Cannot parse app.json as jsonc: hujson: line 2, column 19: invalid character '\"' after object value (expecting ',' or '}')",
        ),
    ];
    for (json, msg) in cases {
        f.app_json("web", json);
        f.dokku(&["cron:list", "web"])
            .code(1)
            .stdout("")
            .stderr(&format!(" !     {msg}\n"));
        // The report counts nothing, and the crontab writer skips the app with a warning.
        f.dokku(&["cron:report", "web", "--cron-task-count"])
            .ok()
            .stdout("0\n");
        f.hook(&["scheduler-cron-write"])
            .ok()
            .stdout("")
            .stderr(&format!(" !     {msg}\n"));
    }

    // Entries without a command or schedule are skipped with a warning (errors for
    // app-json-is-valid).
    f.app_json(
        "web",
        r#"{"cron": [{"key": "value"}, {"command": "true"}, {"command": "true", "schedule": "@hourly"}]}"#,
    );
    let run = f.dokku(&["cron:list", "web", "--format", "json"]);
    run.ok().stderr(
        " !     Missing cron task command for app web (index 0)\n !     Missing cron schedule for app web (index 1)\n",
    );
    assert_eq!(run.stdout.matches("\"id\"").count(), 1);
    f.dokku(&["cron:report", "web", "--cron-task-count"])
        .ok()
        .stdout("1\n");
    let path = f.root.lib().join("data/app-json/web/app.json");
    f.hook(&["app-json-is-valid", "web", path.to_str().unwrap()])
        .code(1)
        .stderr(" !     Missing cron task command for app web (index 0)\n");
    f.app_json("web", TWO_TASKS);
    f.hook(&["app-json-is-valid", "web", path.to_str().unwrap()])
        .ok()
        .stderr("");
    f.hook(&["app-json-is-valid", "web", "/nonexistent/app.json"])
        .ok();
    f.app_json("web", "[]");
    f.hook(&["app-json-is-valid", "web", path.to_str().unwrap()])
        .code(1)
        .stderr(" !     Cannot parse app.json: json: cannot unmarshal array into Go value of type appjson.AppJSON\n");
    // A task maintenance property that is not a Go boolean.
    f.app_json("web", TWO_TASKS);
    let ids = f.ids("web");
    let props = f.root.lib().join("config/cron/web");
    fs::create_dir_all(&props).unwrap();
    fs::write(props.join(format!("maintenance.{}", ids[0])), "yes").unwrap();
    f.dokku(&["cron:list", "web"])
        .code(1)
        .stderr(" !     Invalid maintenance property for app web (schedule 5 5 5 5 5): strconv.ParseBool: parsing \"yes\": invalid syntax\n");
    fs::write(props.join(format!("maintenance.{}", ids[0])), "F").unwrap();
    f.dokku(&["cron:list", "web"]).ok();

    // An empty file has no tasks.
    f.app_json("web", "  \n");
    f.dokku(&["cron:list", "web", "--format", "json"])
        .ok()
        .stdout("[]\n");
}

#[test]
fn set_and_report() {
    let f = Fixture::new();
    f.app_json("web", TWO_TASKS);
    let ids = f.ids("web");
    let global = f.dokku(&["cron:report", "--global"]);
    global.ok().stdout(
        "=====> --global cron information\n\
         \x20      Cron computed mailfrom:        \n\
         \x20      Cron computed mailto:          \n\
         \x20      Cron computed maintenance:     false\n\
         \x20      Cron global mailfrom:          \n\
         \x20      Cron global mailto:            \n\
         \x20      Cron global maintenance:       \n",
    );
    f.dokku(&["cron:report", "--global", "--format", "json"]).ok().stdout(
        "{\"computed-mailfrom\":\"\",\"computed-mailto\":\"\",\"computed-maintenance\":\"false\",\"cron-computed-mailfrom\":\"\",\"cron-computed-mailto\":\"\",\"cron-computed-maintenance\":\"false\",\"cron-global-mailfrom\":\"\",\"cron-global-mailto\":\"\",\"cron-global-maintenance\":\"\",\"global-mailfrom\":\"\",\"global-mailto\":\"\",\"global-maintenance\":\"\"}\n",
    );

    f.dokku(&["cron:set", "--global", "mailto", "admin@example.com"])
        .ok()
        .stdout("=====> Setting mailto to admin@example.com\n-----> Updated schedule file\n")
        .stderr("");
    f.dokku(&["cron:report", "--global", "--cron-computed-mailto"])
        .ok()
        .stdout("admin@example.com\n");
    f.dokku(&["cron:set", "--global", "mailfrom", "dokku@example.com"])
        .ok();
    assert_eq!(
        f.crontab().unwrap(),
        format!(
            "MAILFROM=dokku@example.com\nMAILTO=admin@example.com\n{HEADER}5 5 5 5 5 dokku cron:run web {}\n@daily dokku cron:run web {}\n",
            ids[0], ids[1]
        )
    );
    f.dokku(&["cron:set", "--global", "mailto"])
        .ok()
        .stdout("=====> Unsetting mailto\n-----> Updated schedule file\n");
    f.dokku(&["cron:report", "--global", "--cron-global-mailto"])
        .ok()
        .stdout("\n");

    // Errors, in upstream's order.
    f.dokku(&["cron:set", "web", "mailto", "x@y.z"])
        .code(1)
        .stdout("")
        .stderr(" !     Property cannot be specified on a per-app basis\n");
    f.dokku(&["cron:set", "--global", "maintenance.fakeid", "true"])
        .code(1)
        .stderr(" !     Task maintenance properties cannot be set globally\n");
    f.dokku(&["cron:set", "web", "maintenance.", "true"])
        .code(1)
        .stderr(" !     Invalid task maintenance property, missing ID\n");
    f.dokku(&["cron:set", "web", "maintenance.nope", "true"])
        .code(1)
        .stderr(" !     Invalid task maintenance property, no matching task ID found: maintenance.nope\n");
    f.dokku(&["cron:set", "web", "bogus", "true"])
        .code(1)
        .stderr(" !     Invalid property specified, valid properties include: mailfrom, mailto, maintenance\n");
    f.dokku(&["cron:set", "web"])
        .code(1)
        .stderr(" !     No property specified\n");
    f.dokku(&["cron:set", "missing", "maintenance", "true"])
        .code(20)
        .stderr(" !     App missing does not exist\n");
    f.dokku(&["cron:suspend"])
        .code(1)
        .stderr(" !     Invalid task maintenance property, missing ID\n");
    f.dokku(&["cron:suspend", "", "abc"])
        .code(1)
        .stderr(" !     Missing app name or app.json\n");

    // Maintenance: the app's value and the global one, any "true" wins.
    f.dokku(&["cron:set", "--global", "maintenance", "true"])
        .ok();
    f.dokku(&["cron:report", "web", "--cron-computed-maintenance"])
        .ok()
        .stdout("true\n");
    f.dokku(&["cron:report", "web", "--cron-maintenance"])
        .ok()
        .stdout("\n");
    let list = f.dokku(&["cron:list", "web"]);
    assert!(list.stdout.contains("true (app)"), "{}", list.stdout);
    assert_eq!(
        f.crontab(),
        None,
        "every task is in maintenance: crontab removed"
    );
    f.dokku(&["cron:set", "--global", "maintenance"])
        .ok()
        .stdout("=====> Unsetting maintenance\n-----> Updated schedule file\n");
    f.dokku(&["cron:set", "web", "maintenance", "false"]).ok();
    f.dokku(&["cron:report", "web", "--cron-computed-maintenance"])
        .ok()
        .stdout("false\n");
    f.dokku(&["cron:set", "web", "maintenance", "true"])
        .ok()
        .stdout("=====> Setting maintenance to true\n-----> Removed\n");
    // Nothing to remove the second time.
    f.dokku(&["cron:set", "web", "maintenance", "true"])
        .ok()
        .stdout("=====> Setting maintenance to true\n");
    f.dokku(&["cron:set", "web", "maintenance"]).ok();

    // Suspending one task.
    let (a, b) = (&ids[0], &ids[1]);
    f.dokku(&["cron:report", "web", &format!("--cron-maintenance-{a}")])
        .code(1);
    f.dokku(&["cron:suspend", "web", a]).ok().stdout(&format!(
        "=====> Setting maintenance.{a} to true\n-----> Updated schedule file\n"
    ));
    f.dokku(&["cron:report", "web", &format!("--cron-maintenance-{a}")])
        .ok()
        .stdout("true\n");
    assert_eq!(
        f.crontab().unwrap(),
        format!("MAILFROM=dokku@example.com\n{HEADER}@daily dokku cron:run web {b}\n")
    );
    let list = f.dokku(&["cron:list", "web"]);
    assert!(list.stdout.contains(" true (task) "), "{}", list.stdout);
    let report = f.dokku(&["cron:report", "web"]);
    report.ok();
    let key = format!("Cron maintenance {a}:");
    let width = key.len() + 1;
    assert_eq!(
        report.stdout,
        format!(
            "=====> web cron information\n\
             \x20      {:<width$}dokku@example.com\n\
             \x20      {:<width$}\n\
             \x20      {:<width$}false\n\
             \x20      {:<width$}dokku@example.com\n\
             \x20      {:<width$}\n\
             \x20      {:<width$}\n\
             \x20      {:<width$}\n\
             \x20      {key} true\n\
             \x20      {:<width$}2\n",
            "Cron computed mailfrom:",
            "Cron computed mailto:",
            "Cron computed maintenance:",
            "Cron global mailfrom:",
            "Cron global mailto:",
            "Cron global maintenance:",
            "Cron maintenance:",
            "Cron task count:",
        )
    );
    let json = f.dokku(&["cron:report", "web", "--format", "json"]);
    json.ok();
    assert!(json.stdout.contains(&format!(
        "\"cron-maintenance-{a}\":\"true\",\"cron-task-count\":\"2\""
    )));
    assert!(json
        .stdout
        .contains(&format!("\"maintenance-{a}\":\"true\"")));
    f.dokku(&["cron:resume", "web", a]).ok().stdout(&format!(
        "=====> Unsetting maintenance.{a}\n-----> Updated schedule file\n"
    ));
    f.dokku(&["cron:report", "web", &format!("--cron-maintenance-{a}")])
        .code(1);
    assert_eq!(
        f.crontab().unwrap(),
        format!(
            "MAILFROM=dokku@example.com\n{HEADER}5 5 5 5 5 dokku cron:run web {a}\n@daily dokku cron:run web {b}\n"
        )
    );

    // cron-get-property.
    f.hook(&["cron-get-property", "web", "maintenance"])
        .ok()
        .stdout("false\n");
    f.hook(&["cron-get-property", "--global", "mailfrom"])
        .ok()
        .stdout("dokku@example.com\n");
    f.hook(&["cron-get-property", "web", "bogus"])
        .code(1)
        .stderr(" !     Invalid cron property specified\n");
}

#[test]
fn injected_entries() {
    let f = Fixture::new();
    let entries = f
        .root
        .lib()
        .join("plugins/available/cron-entries-test/cron-entries");
    f.plugin(
        "cron-entries-test",
        &[("cron-entries", "echo '@daily;/bin/true'")],
    );
    f.dokku(&["plugin:trigger", "scheduler-cron-write"]).ok();
    f.dokku(&["cron:list", "--global", "--format", "json"])
        .ok()
        .stdout("[{\"id\":\"5cruaotm4yzzpnjlsdunblj8qyjp\",\"command\":\"/bin/true\",\"global\":true,\"schedule\":\"@daily\",\"concurrency_policy\":\"\",\"app-in-maintenance\":false,\"task-in-maintenance\":false,\"maintenance\":false}]\n");
    f.dokku(&["cron:list", "--global"]).ok().stdout(
        "ID                            Schedule  Concurrency  Maintenance  Command\n\
         5cruaotm4yzzpnjlsdunblj8qyjp  @daily                 false        /bin/true\n",
    );
    assert_eq!(f.crontab().unwrap(), format!("{HEADER}@daily /bin/true\n"));

    fs::write(
        &entries,
        "#!/usr/bin/env bash\necho '@daily;/bin/true;/var/log/dokku/log.log'\n",
    )
    .unwrap();
    f.hook(&["cron-write"])
        .ok()
        .stdout("-----> Updated schedule file\n");
    assert_eq!(
        f.crontab().unwrap(),
        format!("{HEADER}@daily /bin/true &>> /var/log/dokku/log.log\n")
    );
    fs::write(
        &entries,
        "#!/usr/bin/env bash\n[[ $1 == 'kubernetes' ]] && echo '@daily;/bin/true'\ntrue\n",
    )
    .unwrap();
    f.hook(&["scheduler-cron-write"])
        .ok()
        .stdout("-----> Removed\n");
    assert_eq!(f.crontab(), None);

    // A malformed line: an error for the crontab, a warning for the list.
    fs::write(&entries, "#!/usr/bin/env bash\necho 'not-a-task'\n").unwrap();
    f.hook(&["scheduler-cron-write"])
        .code(1)
        .stderr(" !     Invalid injected cron task: not-a-task\n");
    f.dokku(&["cron:list", "--global", "--format", "json"])
        .ok()
        .stdout("[]\n")
        .stderr(" !     Invalid injected cron task: not-a-task\n");
    // A scheduler that manages its own cron is left alone.
    f.hook(&["scheduler-cron-write", "k3s", "web"])
        .ok()
        .stdout("");
}

#[test]
fn crontab_follows_schedulers_and_failures() {
    let f = Fixture::new();
    f.app_json("web", TWO_TASKS);
    f.dokku(&["apps:create", "api"]).ok();
    f.app_json(
        "api",
        r#"{"cron": [{"command": "bin/cleanup", "schedule": "TZ=UTC 0 3 * * *"}]}"#,
    );
    let web = f.ids("web");
    let api = f.ids("api");
    f.hook(&["post-deploy", "web", "", "", "latest"])
        .ok()
        .stdout("-----> Updated schedule file\n");
    assert_eq!(
        f.crontab().unwrap(),
        format!(
            "{HEADER}TZ=UTC 0 3 * * * dokku cron:run api {}\n5 5 5 5 5 dokku cron:run web {}\n@daily dokku cron:run web {}\n",
            api[0], web[0], web[1]
        )
    );
    assert!(f
        .calls()
        .lines()
        .all(|l| l.starts_with(&format!("-u {} ", f.user))));

    // An app moved to a scheduler with its own cron leaves the host crontab.
    f.dokku(&["scheduler:set", "web", "selected", "k3s"]).ok();
    f.hook(&["scheduler-cron-write"]).ok();
    assert_eq!(
        f.crontab().unwrap(),
        format!("{HEADER}TZ=UTC 0 3 * * * dokku cron:run api {}\n", api[0])
    );
    f.hook(&["scheduler-stop", "k3s", "web"]).ok().stdout("");
    f.hook(&["scheduler-stop", "docker-local", "api"])
        .ok()
        .stdout("-----> Updated schedule file\n");

    // The crontab program failing.
    fs::write(f.spool.join("fail"), "").unwrap();
    f.hook(&["scheduler-cron-write"])
        .code(1)
        .stderr(" !     Unable to update schedule file: crontab: cannot write\n");
    fs::remove_file(f.spool.join("fail")).unwrap();
    let run = Run::from(
        f.root
            .command(
                f.root
                    .lib()
                    .join("core-plugins/available/cron/scheduler-cron-write"),
            )
            .env("DOKKU_CRONTAB_BIN", "no-such-crontab")
            .env("PLUGIN_PATH", f.root.lib().join("plugins"))
            .output()
            .unwrap(),
    );
    run.code(1).stderr(
        " !     Unable to update schedule file: exec: \"no-such-crontab\": executable file not found in $PATH\n",
    );
}

#[test]
fn temporary_installs_leave_crontabs_alone() {
    let f = Fixture::new();
    f.app_json("web", TWO_TASKS);
    let ids = f.ids("web");
    f.dokku_without_crontab(&["cron:suspend", "web", &ids[0]])
        .ok()
        .stdout(&format!("=====> Setting maintenance.{} to true\n", ids[0]));
    f.dokku_without_crontab(&["--force", "apps:destroy", "web"])
        .ok();
    assert_eq!(f.calls(), "", "the crontab program was never run");
}

#[test]
fn clone_rename_destroy() {
    let f = Fixture::new();
    f.app_json("web", TWO_TASKS);
    f.dokku(&["cron:set", "web", "maintenance", "true"]).ok();
    f.dokku(&["apps:clone", "--skip-deploy", "web", "copy"])
        .ok();
    f.dokku(&["cron:report", "copy", "--cron-maintenance"])
        .ok()
        .stdout("true\n");
    f.dokku(&["apps:rename", "--skip-deploy", "copy", "moved"])
        .ok();
    f.dokku(&["cron:report", "moved", "--cron-maintenance"])
        .ok()
        .stdout("true\n");
    let config = f.root.lib().join("config/cron");
    assert!(!config.join("copy").exists());
    assert!(config.join("moved/maintenance").exists());

    f.dokku(&["cron:set", "web", "maintenance"]).ok();
    assert!(f.crontab().is_some());
    f.dokku(&["--force", "apps:destroy", "web"]).ok();
    assert!(!config.join("web").exists());
    assert_eq!(
        f.crontab(),
        None,
        "the destroyed app's tasks left the crontab"
    );
    assert!(f.calls().contains(&format!("-r -u {}", f.user)));

    // install sets up the property directory.
    fs::remove_dir_all(&config).unwrap();
    f.hook(&["install"]).ok();
    assert!(config.is_dir());
}
