//! `events*` and the event hooks through the real `dokku` entry point in a temporary install.

use std::io::Read;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Stdio;

use dokku_rs_testkit::{Root, Run};

const USAGE: &str = "Usage: dokku events[:COMMAND]\n\nManage event logging\n\nAdditional commands:\n    events [-t]   Show the last events (-t follows)\n    events:list   List logged events\n    events:off    Disable events logger\n    events:on     Enable events logger\n";

const SUFFIX_ENV: &str = "NAME=alice FINGERPRINT=SHA256:abc DOKKU_PID=4242";

struct Env {
    root: Root,
    stub_log: PathBuf,
    filter: PathBuf,
}

impl Env {
    /// An install with a `fire` community command (`dokku fire <trigger> <args…>`) and a
    /// recording `logger` ahead of the real one.
    fn new() -> Env {
        let root = Root::new();
        root.write_exec(
            "lib/plugins/available/fire/plugin.toml",
            "[plugin]\ndescription = \"fire\"\nversion = \"0.1.0\"\n[plugin.config]\n",
        );
        root.write_exec(
            "lib/plugins/available/fire/commands",
            "#!/usr/bin/env bash\n[[ \"$1\" == fire ]] || exit \"$DOKKU_NOT_IMPLEMENTED_EXIT\"\nshift\nplugn trigger \"$@\"\n",
        );
        root.plugn(&["enable", "fire"]).ok();
        root.write_exec(
            "stub/logger",
            "#!/bin/sh\nfor a in \"$@\"; do printf '%s|' \"$a\"; done >>\"$STUB_LOG\"\necho >>\"$STUB_LOG\"\n",
        );
        let stub_log = root.dir.join("logger.calls");
        let filter = root.dir.join("rsyslog-filter.conf");
        Env {
            root,
            stub_log,
            filter,
        }
    }

    fn dokku(&self, args: &[&str]) -> Run {
        let path = format!(
            "{}:{}:/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin",
            self.root.dir.join("stub").display(),
            self.root.dir.join("usr/bin").display()
        );
        let out = self
            .root
            .command(self.root.bin("dokku"))
            .env("PATH", path)
            .env("STUB_LOG", &self.stub_log)
            .env("DOKKU_RSYSLOG_FILTER", &self.filter)
            .env("NAME", "alice")
            .env("FINGERPRINT", "SHA256:abc")
            .env("DOKKU_PID", "4242")
            .args(args)
            .output()
            .unwrap();
        Run::from(out)
    }

    fn plugin_dir(&self) -> PathBuf {
        self.root.lib().join("core-plugins/available/20_events")
    }

    fn logfile(&self) -> PathBuf {
        self.root.dir.join("log/events.log")
    }

    fn rc(&self) -> PathBuf {
        self.root.home().join(".dokkurc/DOKKU_EVENTS")
    }

    fn log_text(&self) -> String {
        std::fs::read_to_string(self.logfile()).unwrap_or_default()
    }

    fn logger_calls(&self) -> String {
        std::fs::read_to_string(&self.stub_log).unwrap_or_default()
    }
}

/// Names of the symlinks to the plugin binary in the plugin directory, sorted.
fn hook_links(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .filter(|e| {
            e.file_type().unwrap().is_symlink()
                && std::fs::read_link(e.path()).unwrap() == Path::new("events")
        })
        .map(|e| e.file_name().into_string().unwrap())
        .filter(|n| n != "commands" && n != "install")
        .collect();
    names.sort();
    names
}

/// The events log lines without their syslog prefix (`Mmm dd hh:mm:ss host dokku-event[pid]: `).
fn messages(log: &str) -> Vec<String> {
    log.lines()
        .map(|line| {
            let (prefix, msg) = line.split_once("]: ").expect("syslog prefix");
            assert!(prefix.contains(" dokku-event["), "{line}");
            assert_eq!(&prefix[9..10], ":", "{line}");
            msg.to_string()
        })
        .collect()
}

#[test]
fn help_texts() {
    let env = Env::new();
    env.dokku(&["events:help"]).ok().stdout(USAGE).stderr("");
    let commands = env.plugin_dir().join("commands");
    let run = |script: &str| {
        Run::from(
            env.root
                .command("bash")
                .args(["-c", script, "bash"])
                .arg(&commands)
                .env("DOKKU_NOT_IMPLEMENTED_EXIT", "10")
                .output()
                .unwrap(),
        )
    };
    run("\"$1\" help")
        .ok()
        .stdout("    events, Manage event logging\n");
    run("\"$1\" help; : --all").ok().stdout(
        "    events [-t], Show the last events (-t follows)\n    events:list, List logged events\n    events:on, Enable events logger\n    events:off, Disable events logger\n",
    );
    run("\"$1\" events").code(10).stdout("");
    run("\"$1\" events:list").code(10).stdout("");
}

#[test]
fn nothing_logged_while_off() {
    let env = Env::new();
    assert!(hook_links(&env.plugin_dir()).is_empty());
    env.dokku(&["events"]).ok().stdout("").stderr("");
    env.dokku(&["events:list"])
        .ok()
        .stdout("")
        .stderr(" !     Events logger disabled\n");
    env.dokku(&["fire", "pre-receive-app", "web"]).ok().stdout("");
    assert!(!env.logfile().exists());
    assert_eq!(env.logger_calls(), "");
}

#[test]
fn on_logs_triggers_and_off_stops() {
    let env = Env::new();
    env.dokku(&["events:on"])
        .ok()
        .stdout("Enabling dokku events logger\n")
        .stderr("");
    assert_eq!(std::fs::read(env.rc()).unwrap(), b"export DOKKU_EVENTS=1\n");
    let links = hook_links(&env.plugin_dir());
    assert_eq!(links.len(), 160);
    for name in [
        "app-create",
        "post-deploy",
        "user-auth",
        "cron-write",
        "report",
    ] {
        assert!(links.iter().any(|l| l == name), "{name}");
    }
    // Turning it on again changes nothing.
    env.dokku(&["events:on"])
        .ok()
        .stdout("Enabling dokku events logger\n");
    assert_eq!(hook_links(&env.plugin_dir()), links);

    // events:list: the header, then each name in printf "%-25s %-25s %-25s %-25s\n".
    let mut expected = format!(
        "{:<6} {:<18} {:<25} {:<25} {:<25}\n",
        "=====>", "Events currently logged", "", "", ""
    );
    for name in &links {
        expected.push_str(&format!("{:<25} {:<25} {:<25} {:<25}\n", name, "", "", ""));
    }
    env.dokku(&["events:list"])
        .ok()
        .stdout(&expected)
        .stderr("");
    let quiet = expected.split_once('\n').unwrap().1;
    env.dokku(&["--quiet", "events:list"]).ok().stdout(quiet);

    // A trigger call is logged once, after the syslog-style prefix, and sent to logger.
    // user-auth is only implemented by the events plugin: the entry point does not fire it.
    env.dokku(&["fire", "pre-receive-app", "web app", "x"])
        .ok()
        .stdout("")
        .stderr("");
    let msg = format!("INVOKED: pre-receive-app( web app x ) {SUFFIX_ENV}");
    assert_eq!(messages(&env.log_text()), vec![msg.clone()]);
    assert_eq!(env.logger_calls(), format!("-t|dokku-event|-i|--|{msg}|\n"));
    let mode = std::fs::metadata(env.logfile())
        .unwrap()
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(mode & 0o644, 0o644);

    // No arguments; control characters are escaped as rsyslog does. The triggers fired are
    // ones no core plugin implements (upstream neither: git-*-pull are for community
    // plugins), so only the events hook sees these odd arguments.
    env.dokku(&["fire", "git-post-pull"]).ok();
    env.dokku(&["fire", "git-pre-pull", "a\nb"]).ok();
    assert_eq!(
        messages(&env.log_text())[1..],
        [
            format!("INVOKED: git-post-pull(  ) {SUFFIX_ENV}"),
            format!("INVOKED: git-pre-pull( a#012b ) {SUFFIX_ENV}"),
        ]
    );
    // A trigger that is not among the logged names is not logged.
    env.dokku(&["fire", "no-such-trigger", "web"]).ok();
    assert_eq!(messages(&env.log_text()).len(), 3);

    // `dokku events` shows the log as it is.
    env.dokku(&["events"])
        .ok()
        .stdout(&env.log_text())
        .stderr("");

    env.dokku(&["events:off"])
        .ok()
        .stdout("Disabling dokku events logger\n")
        .stderr("");
    assert!(!env.rc().exists());
    assert!(hook_links(&env.plugin_dir()).is_empty());
    assert!(env.plugin_dir().join("events").is_file());
    assert!(env.plugin_dir().join("install").exists());
    env.dokku(&["fire", "pre-receive-app", "web"]).ok();
    assert_eq!(messages(&env.log_text()).len(), 3);
    env.dokku(&["events:list"])
        .ok()
        .stderr(" !     Events logger disabled\n");
    env.dokku(&["events:off"])
        .ok()
        .stdout("Disabling dokku events logger\n");
}

#[test]
fn upstream_rsyslog_filter_gets_the_file() {
    let env = Env::new();
    std::fs::write(
        &env.filter,
        ":syslogtag, contains, \"dokku-event\" /var/log/dokku/events.log\n",
    )
    .unwrap();
    env.dokku(&["events:on"]).ok();
    // Upstream's app-json and scheduler-docker-local implement pre-deploy; git-pre-pull is
    // left to community plugins.
    env.dokku(&["fire", "git-pre-pull", "web"]).ok();
    // rsyslog writes the file from the logger message: no second copy from the hook.
    assert!(!env.logfile().exists());
    assert_eq!(
        env.logger_calls(),
        format!("-t|dokku-event|-i|--|INVOKED: git-pre-pull( web ) {SUFFIX_ENV}|\n")
    );
}

#[test]
fn shows_the_last_hundred_lines() {
    let env = Env::new();
    let text: String = (1..=150).map(|i| format!("line {i}\n")).collect();
    std::fs::write(env.logfile(), &text).unwrap();
    let last: String = (51..=150).map(|i| format!("line {i}\n")).collect();
    env.dokku(&["events"]).ok().stdout(&last);
    env.dokku(&["events", "extra"]).ok().stdout(&last);

    // -t follows: tail -F starts with the last ten lines.
    let mut child = env
        .root
        .command(env.root.bin("dokku"))
        .args(["events", "-t"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let ten: String = (141..=150).map(|i| format!("line {i}\n")).collect();
    let mut buf = vec![0u8; ten.len()];
    child.stdout.as_mut().unwrap().read_exact(&mut buf).unwrap();
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(String::from_utf8(buf).unwrap(), ten);
}

#[test]
fn install_trigger_restores_hooks() {
    let env = Env::new();
    let install = |extra: &[(&str, &str)]| {
        // The hook itself, not `plugn trigger install`: other plugins' installs are not
        // under test here.
        let mut cmd = env.root.command(env.plugin_dir().join("install"));
        let path = format!(
            "{}:{}:/usr/local/bin:/usr/bin:/bin",
            env.root.dir.join("stub").display(),
            env.root.dir.join("usr/bin").display()
        );
        cmd.env("PATH", path)
            .env("STUB_LOG", &env.stub_log)
            .env("DOKKU_RSYSLOG_FILTER", &env.filter)
            .env("DOKKU_RS_NO_SYSTEM", "1")
            .env("DOKKU_LIB_ROOT", env.root.lib());
        for (k, v) in extra {
            cmd.env(k, v);
        }
        Run::from(cmd.output().unwrap())
    };
    env.dokku(&["events:on"]).ok();
    // An upgrade lays the plugin directory out again, without the links.
    for name in hook_links(&env.plugin_dir()) {
        std::fs::remove_file(env.plugin_dir().join(name)).unwrap();
    }
    install(&[]).ok().stdout("").stderr("");
    assert_eq!(hook_links(&env.plugin_dir()).len(), 160);
    let mode = std::fs::metadata(env.logfile())
        .unwrap()
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(mode, 0o664);
    // With DOKKU_EVENTS set the install itself is logged, as upstream's install does.
    install(&[("DOKKU_EVENTS", "1"), ("DOKKU_PID", "7")]).ok();
    assert_eq!(
        messages(&env.log_text()),
        vec!["INVOKED: install(  ) NAME= FINGERPRINT= DOKKU_PID=7".to_string()]
    );

    std::fs::remove_file(env.rc()).unwrap();
    install(&[]).ok();
    assert!(hook_links(&env.plugin_dir()).is_empty());
}
