//! `ps:set`, `ps:report` and `ps:scale` through the real `dokku` entry point in a temporary
//! install: output bytes, exit statuses and the stored files.

mod common;

use std::fs;
use std::os::unix::fs::PermissionsExt;

use common::*;

const USAGE: &str = "Usage: dokku ps[:COMMAND]\n\nManage app processes\n\nAdditional commands:\n\
\x20   ps:inspect <app>                                                           Displays a sanitized version of docker inspect for an app\n\
\x20   ps:rebuild [--parallel count] [--all|<app>]                                Rebuilds an app from source\n\
\x20   ps:report [<app>] [<flag>]                                                 Displays a process report for one or more apps\n\
\x20   ps:restart [--parallel count] [--all|<app>] [<process-name>]               Restart an app\n\
\x20   ps:restore [<app>]                                                         Start previously running apps e.g. after reboot\n\
\x20   ps:scale [--skip-deploy] [--format stdout|json] <app> [<proc>=<count>...]  Get/Set how many instances of a given process to run\n\
\x20   ps:set <app> <key> <value>                                                 Set or clear a ps property for an app\n\
\x20   ps:start [--parallel count] [--all|<app>]                                  Start an app\n\
\x20   ps:stop [--parallel count] [--all|<app>]                                   Stop an app\n\
\x20   \n";

const VALID_PROPERTIES: &str = "dockerfile-start-cmd, procfile-path, restart-policy, restore, skip-deploy, start-cmd, stop-timeout-seconds";

#[test]
fn help_texts() {
    let root = root();
    root.dokku(&["ps"]).ok().stdout(USAGE).stderr("");
    root.dokku(&["ps:help"]).ok().stdout(USAGE).stderr("");
    let all = root.dokku(&["help", "--all"]);
    all.ok();
    for (usage, desc) in [
        (
            "ps:report [<app>] [<flag>]",
            "Displays a process report for one or more apps",
        ),
        (
            "ps:scale [--skip-deploy] [--format stdout|json] <app> [<proc>=<count>...]",
            "Get/Set how many instances of a given process to run",
        ),
        (
            "ps:set <app> <key> <value>",
            "Set or clear a ps property for an app",
        ),
    ] {
        assert!(
            all.stdout
                .lines()
                .any(|l| l.starts_with(&format!("    {usage} "))
                    && l.trim_end().ends_with(&format!(" {desc}"))),
            "{}",
            all.stdout
        );
    }
    let short = root.dokku(&["help"]);
    assert!(short
        .stdout
        .lines()
        .any(|l| l.starts_with("    ps ") && l.trim_end().ends_with(" Manage app processes")));
}

#[test]
fn set_properties() {
    let root = root_with_app();
    for (key, value) in [
        ("dockerfile-start-cmd", "bin/start --x"),
        ("procfile-path", "deploy/Procfile"),
        ("restart-policy", "on-failure:3"),
        ("restore", "false"),
        ("skip-deploy", "true"),
        ("start-cmd", "bin/run"),
        ("stop-timeout-seconds", "60"),
    ] {
        root.dokku(&["ps:set", "web", key, value])
            .ok()
            .stdout(&format!("=====> Setting {key} to {value}\n"))
            .stderr("");
        assert_eq!(prop(&root, "web", key).as_deref(), Some(value));
        let mode = fs::metadata(prop_path(&root, "web", key))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    root.dokku(&["ps:set", "web", "start-cmd"])
        .ok()
        .stdout("=====> Unsetting start-cmd\n");
    assert_eq!(prop(&root, "web", "start-cmd"), None);
    // Quiet output hides the message, not the change.
    dokku_env(
        &root,
        &["ps:set", "web", "start-cmd", "x"],
        &[("DOKKU_QUIET_OUTPUT", "1")],
    )
    .ok()
    .stdout("");
    assert_eq!(prop(&root, "web", "start-cmd").as_deref(), Some("x"));

    for policy in [
        "no",
        "always",
        "unless-stopped",
        "on-failure",
        "on-failure:5",
    ] {
        root.dokku(&["ps:set", "web", "restart-policy", policy])
            .ok();
        assert_eq!(
            prop(&root, "web", "restart-policy").as_deref(),
            Some(policy)
        );
    }
    for bad in ["sometimes", "on-failure5", "NO"] {
        root.dokku(&["ps:set", "web", "restart-policy", bad])
            .code(1)
            .stdout("")
            .stderr(" !     Invalid restart-policy specified\n");
    }
    assert_eq!(
        prop(&root, "web", "restart-policy").as_deref(),
        Some("on-failure:5")
    );

    root.dokku(&["ps:set", "web", "nope", "x"])
        .code(1)
        .stderr(&format!(
            " !     Invalid property specified, valid properties include: {VALID_PROPERTIES}\n"
        ));
    root.dokku(&["ps:set", "web"])
        .code(1)
        .stderr(" !     No property specified\n");
    assert!(!prop_path(&root, "web", "nope").exists());
}

#[test]
fn set_global_and_validation() {
    let root = root_with_app();
    root.dokku(&["ps:set", "--global", "restart-policy", "always"])
        .ok()
        .stdout("=====> Setting restart-policy to always\n");
    assert_eq!(
        prop(&root, "--global", "restart-policy").as_deref(),
        Some("always")
    );
    root.dokku(&["ps:set", "restart-policy", "no", "--global"])
        .ok()
        .stdout("=====> Setting restart-policy to no\n");
    for key in ["restore", "start-cmd", "dockerfile-start-cmd", "nope"] {
        root.dokku(&["ps:set", "--global", key, "x"])
            .code(1)
            .stderr(" !     Property cannot be specified globally\n");
    }
    root.dokku(&["ps:set", "--global", "restart-policy", "bad"])
        .code(1)
        .stderr(" !     Invalid restart-policy specified\n");
    root.dokku(&["ps:set", "--global", "restart-policy"])
        .ok()
        .stdout("=====> Unsetting restart-policy\n");
    assert_eq!(prop(&root, "--global", "restart-policy"), None);

    root.dokku(&["ps:set"])
        .code(1)
        .stdout("")
        .stderr(MSG_NO_APP);
    root.dokku(&["ps:set", "nope", "restore", "false"])
        .code(20)
        .stderr(" !     App nope does not exist\n");
    for bad in ["../web", "Web", "a/b"] {
        root.dokku(&["ps:set", bad, "restore", "false"])
            .code(1)
            .stderr(MSG_INVALID);
    }
    assert!(!root.lib().join("config/ps/nope").exists());
    root.dokku(&["ps:set", "--nope", "web"])
        .code(2)
        .stdout("")
        .stderr("Usage of ps:set:\n      --global   --global: set a global property\nunknown flag: --nope\n");
}

fn full_report(app: &str) -> String {
    format!(
        "=====> {app} ps information\n\
         \x20      Deployed:                         false\n\
         \x20      Processes:                        -1\n\
         \x20      Ps can scale:                     true\n\
         \x20      Ps computed dockerfile start cmd: \n\
         \x20      Ps computed procfile path:        Procfile\n\
         \x20      Ps computed restart policy:       on-failure:10\n\
         \x20      Ps computed skip deploy:          false\n\
         \x20      Ps computed start cmd:            \n\
         \x20      Ps computed stop timeout seconds: 30\n\
         \x20      Ps dockerfile start cmd:          \n\
         \x20      Ps global procfile path:          \n\
         \x20      Ps global restart policy:         \n\
         \x20      Ps global skip deploy:            \n\
         \x20      Ps global stop timeout seconds:   \n\
         \x20      Ps procfile path:                 \n\
         \x20      Ps restart policy:                \n\
         \x20      Ps skip deploy:                   \n\
         \x20      Ps start cmd:                     \n\
         \x20      Ps stop timeout seconds:          \n\
         \x20      Restore:                          true\n\
         \x20      Running:                          \n"
    )
}

#[test]
fn report_defaults_and_values() {
    let root = root_with_app();
    root.dokku(&["ps:report", "web"])
        .ok()
        .stdout(&full_report("web"))
        .stderr("");
    // The report trigger prints the same.
    hook(&root, &["report", "web"])
        .ok()
        .stdout(&full_report("web"));

    control(&root, "status-web", "3 mixed\n");
    deploy(&root, "web");
    root.dokku(&["ps:set", "web", "start-cmd", "bin/x"]).ok();
    root.dokku(&["ps:set", "--global", "stop-timeout-seconds", "90"])
        .ok();
    root.dokku(&["ps:set", "--global", "skip-deploy", "true"])
        .ok();
    root.dokku(&["ps:set", "web", "skip-deploy", "false"]).ok();
    root.dokku(&["ps:set", "web", "restore", "false"]).ok();
    fs::write(prop_path(&root, "web", "can-scale"), "false").unwrap();
    let out = root.dokku(&["ps:report", "web"]);
    out.ok();
    for line in [
        "       Deployed:                         true\n",
        "       Processes:                        3\n",
        "       Running:                          mixed\n",
        "       Ps can scale:                     false\n",
        "       Ps computed start cmd:            bin/x\n",
        "       Ps start cmd:                     bin/x\n",
        "       Ps computed stop timeout seconds: 90\n",
        "       Ps global stop timeout seconds:   90\n",
        "       Ps computed skip deploy:          false\n",
        "       Ps global skip deploy:            true\n",
        "       Restore:                          false\n",
    ] {
        assert!(out.stdout.contains(line), "{line:?} in\n{}", out.stdout);
    }
    root.dokku(&["ps:report", "web", "--ps-computed-stop-timeout-seconds"])
        .ok()
        .stdout("90\n");
    root.dokku(&["ps:report", "web", "--running"])
        .ok()
        .stdout("mixed\n");
    control(&root, "status-web", "x true\n");
    root.dokku(&["ps:report", "web", "--processes"])
        .ok()
        .stdout("-1\n");
}

#[test]
fn report_global_json_and_errors() {
    let root = root_with_app();
    root.dokku(&["ps:set", "--global", "procfile-path", "app/Procfile"])
        .ok();
    root.dokku(&["ps:report", "--global"]).ok().stdout(
        "=====> --global ps information\n\
         \x20      Ps computed procfile path:        app/Procfile\n\
         \x20      Ps computed restart policy:       on-failure:10\n\
         \x20      Ps computed skip deploy:          false\n\
         \x20      Ps computed stop timeout seconds: 30\n\
         \x20      Ps global procfile path:          app/Procfile\n\
         \x20      Ps global restart policy:         \n\
         \x20      Ps global skip deploy:            \n\
         \x20      Ps global stop timeout seconds:   \n",
    );
    root.dokku(&["ps:report", "--global", "--format", "json"]).ok().stdout(
        "{\"computed-procfile-path\":\"app/Procfile\",\"computed-restart-policy\":\"on-failure:10\",\
         \"computed-skip-deploy\":\"false\",\"computed-stop-timeout-seconds\":\"30\",\
         \"global-procfile-path\":\"app/Procfile\",\"global-restart-policy\":\"\",\"global-skip-deploy\":\"\",\
         \"global-stop-timeout-seconds\":\"\",\"ps-computed-procfile-path\":\"app/Procfile\",\
         \"ps-computed-restart-policy\":\"on-failure:10\",\"ps-computed-skip-deploy\":\"false\",\
         \"ps-computed-stop-timeout-seconds\":\"30\",\"ps-global-procfile-path\":\"app/Procfile\",\
         \"ps-global-restart-policy\":\"\",\"ps-global-skip-deploy\":\"\",\"ps-global-stop-timeout-seconds\":\"\"}\n",
    );
    let json = root.dokku(&["ps:report", "web", "--format", "json"]);
    json.ok();
    for pair in [
        "\"deployed\":\"false\"",
        "\"processes\":\"-1\"",
        "\"restore\":\"true\"",
        "\"can-scale\":\"true\"",
        "\"ps-can-scale\":\"true\"",
        "\"computed-procfile-path\":\"app/Procfile\"",
        "\"running\":\"\"",
    ] {
        assert!(json.stdout.contains(pair), "{pair} in {}", json.stdout);
    }
    assert!(json.stdout.starts_with('{') && json.stdout.ends_with("}\n"));

    root.dokku(&["ps:report", "web", "--nope"]).code(1).stderr(
        " !     Invalid flag passed, valid flags: --deployed, --processes, --ps-can-scale, --ps-computed-dockerfile-start-cmd, --ps-computed-procfile-path, --ps-computed-restart-policy, --ps-computed-skip-deploy, --ps-computed-start-cmd, --ps-computed-stop-timeout-seconds, --ps-dockerfile-start-cmd, --ps-global-procfile-path, --ps-global-restart-policy, --ps-global-skip-deploy, --ps-global-stop-timeout-seconds, --ps-procfile-path, --ps-restart-policy, --ps-skip-deploy, --ps-start-cmd, --ps-stop-timeout-seconds, --restore, --running\n",
    );
    root.dokku(&["ps:report", "web", "--format", "json", "--restore"])
        .code(1)
        .stderr(" !     --format flag cannot be specified when specifying an info flag\n");
    root.dokku(&["ps:report", "web", "--format", "yaml"])
        .code(1)
        .stderr(" !     Format must be \"stdout\" or \"json\": \"yaml\"\n");
    // Two info flags: upstream drops the error and prints nothing.
    root.dokku(&["ps:report", "web", "--restore", "--running"])
        .ok()
        .stdout("")
        .stderr("");
    root.dokku(&["ps:report", "nope"])
        .code(20)
        .stderr(" !     App nope does not exist\n");
    root.dokku(&["ps:report", "web", "-x"]).code(2).stderr(
        "Usage of ps:report:\n      --format string   format: [ stdout | json ] (default \"stdout\")\nunknown shorthand flag: 'x' in -x\n",
    );
    // Every app, in name order.
    root.dokku(&["apps:create", "api"]).ok();
    let with_global = |app: &str| {
        full_report(app)
            .replace(
                "Ps computed procfile path:        Procfile\n",
                "Ps computed procfile path:        app/Procfile\n",
            )
            .replace(
                "Ps global procfile path:          \n",
                "Ps global procfile path:          app/Procfile\n",
            )
    };
    root.dokku(&["ps:report"]).ok().stdout(&format!(
        "{}{}",
        with_global("api"),
        with_global("web")
    ));
}

#[test]
fn report_without_apps() {
    let root = root();
    root.dokku(&["ps:report"])
        .ok()
        .stdout("")
        .stderr(" !     You haven't deployed any applications yet\n");
}

#[test]
fn report_container_status() {
    let root = root_with_app();
    // Container ids that no docker knows: the state is `missing`.
    fs::write(
        root.home().join("web/CONTAINER.web.1"),
        "0123456789abcdef0123\n",
    )
    .unwrap();
    fs::write(
        root.home().join("web/CONTAINER.worker.2"),
        "fedcba9876543210\n",
    )
    .unwrap();
    let out = root.dokku(&["ps:report", "web"]);
    out.ok();
    assert!(
        out.stdout.ends_with(
            "       Running:                          \n\
         \x20      Status web 1:                     missing (CID: 0123456789a)\n\
         \x20      Status worker 2:                  missing (CID: fedcba98765)\n"
        ),
        "{}",
        out.stdout
    );
    root.dokku(&["ps:report", "web", "--status-worker.2"])
        .ok()
        .stdout("missing (CID: fedcba98765)\n");
    let json = root.dokku(&["ps:report", "web", "--format", "json"]);
    assert!(json
        .stdout
        .contains("\"status-web.1\":\"missing (CID: 0123456789a)\""));
}

#[test]
fn scale_show() {
    let root = root_with_app();
    root.dokku(&["ps:scale", "web"])
        .ok()
        .stdout("-----> Scaling for web\nproctype: qty\n--------: ---\nweb:  1\n")
        .stderr("");
    dokku_env(&root, &["ps:scale", "web"], &[("DOKKU_QUIET_OUTPUT", "1")])
        .ok()
        .stdout("web:  1\n");
    root.dokku(&["ps:scale", "--format", "json", "web"])
        .ok()
        .stdout("[{\"process_type\":\"web\",\"quantity\":1}]\n");
    // Any other format is the table.
    root.dokku(&["ps:scale", "web", "--format", "yaml"])
        .ok()
        .stdout("-----> Scaling for web\nproctype: qty\n--------: ---\nweb:  1\n");
    set_prop(&root, "web", "scale", "worker=12\nweb=1\n");
    set_prop(&root, "web", "scale.old", "clock=0\nweb=5\n");
    root.dokku(&["ps:scale", "web"]).ok().stdout(
        "-----> Scaling for web\nproctype: qty\n--------: ---\nclock: 0\nweb:  1\nworker: 12\n",
    );
    set_prop(&root, "web", "scale", "");
    set_prop(&root, "web", "scale.old", "");
    root.dokku(&["ps:scale", "web", "--format", "json"])
        .ok()
        .stdout("[]\n");
    set_prop(&root, "web", "scale", "web\n");
    root.dokku(&["ps:scale", "web"])
        .code(1)
        .stdout("")
        .stderr(" !     Missing count for process type web\n");

    root.dokku(&["ps:scale"]).code(1).stderr(MSG_NO_APP);
    root.dokku(&["ps:scale", "nope"])
        .code(20)
        .stderr(" !     App nope does not exist\n");
    root.dokku(&["ps:scale", "web", "--nope"]).code(2).stderr(
        "Usage of ps:scale:\n      --format string   format: [ stdout | json ] (default \"stdout\")\n      --skip-deploy     --skip-deploy: skip deploy of the app\nunknown flag: --nope\n",
    );
}

#[test]
fn scale_without_procfile() {
    let root = root_with_app();
    root.dokku(&["ps:scale", "web", "web=2", "worker=3"])
        .ok()
        .stdout("-----> Scaling web processes: web=2 worker=3\n")
        .stderr("");
    assert_eq!(
        prop(&root, "web", "scale").as_deref(),
        Some("web=2\nworker=3\n")
    );
    assert_eq!(prop(&root, "web", "scale.old").as_deref(), Some(""));
    // Zero counts of process types outside a Procfile are kept apart; the first tuple of a
    // type wins; spaces around the parts are dropped; leading zeros and signs normalised.
    root.dokku(&["ps:scale", "web", "worker=0", " clock = +07", "worker=9"])
        .ok()
        .stdout("-----> Scaling web processes: worker=0  clock = +07 worker=9\n");
    assert_eq!(
        prop(&root, "web", "scale").as_deref(),
        Some("clock=7\nweb=2\n")
    );
    assert_eq!(
        prop(&root, "web", "scale.old").as_deref(),
        Some("worker=0\n")
    );
    root.dokku(&["ps:scale", "web", "--format", "json"])
        .ok()
        .stdout("[{\"process_type\":\"clock\",\"quantity\":7},{\"process_type\":\"web\",\"quantity\":2},{\"process_type\":\"worker\",\"quantity\":0}]\n");
    // Not deployed (the answer is cached after the first ask): nothing is fired.
    assert_eq!(take(&root), "scheduler-is-deployed docker-local web\n");
}

#[test]
fn scale_rejects_bad_input_and_writes_nothing() {
    let root = root_with_app();
    let before = (prop(&root, "web", "scale"), prop(&root, "web", "scale.old"));
    for (tuple, message) in [
        ("web", "Missing count for process type web"),
        ("web=", "Invalid count for process type web"),
        ("web=two", "Invalid count for process type web"),
        ("web=1.5", "Invalid count for process type web"),
        ("web=-1", "Invalid count for process type web"),
        ("web=0x10", "Invalid count for process type web"),
        (
            "web=99999999999999999999",
            "Invalid count for process type web",
        ),
        ("../x=1", "../x is not a valid process name to scale up"),
        ("a b=1", "a b is not a valid process name to scale up"),
        ("=1", " is not a valid process name to scale up"),
        ("web.1=0", "web.1 is not a valid process name to scale up"),
    ] {
        root.dokku(&["ps:scale", "web", "worker=1", tuple])
            .code(1)
            .stdout(&format!("-----> Scaling web processes: worker=1 {tuple}\n"))
            .stderr(&format!(" !     {message}\n"));
        assert_eq!(
            (prop(&root, "web", "scale"), prop(&root, "web", "scale.old")),
            before
        );
    }
    assert_eq!(take(&root), "");

    fs::write(prop_path(&root, "web", "can-scale"), "false").unwrap();
    root.dokku(&["ps:scale", "web", "web=2"])
        .code(1)
        .stdout("")
        .stderr(" !     App web contains an app.json file with a formations key and cannot be manually scaled\n");
    // Showing the formation is still allowed.
    root.dokku(&["ps:scale", "web"]).ok();
    assert_eq!(
        (prop(&root, "web", "scale"), prop(&root, "web", "scale.old")),
        before
    );
}

#[test]
fn scale_with_procfile() {
    let root = root_with_app();
    write_procfile(
        &root,
        "web",
        "web: bin/web\nworker: bin/worker\n# comment\nclock_1: bin/clock\n",
    );
    root.dokku(&["ps:scale", "web", "worker=2"])
        .ok()
        .stdout("-----> Scaling web processes: worker=2\n");
    // Procfile types not mentioned are added at 0, in name order.
    assert_eq!(
        prop(&root, "web", "scale").as_deref(),
        Some("worker=2\nweb=1\nclock_1=0\n")
    );
    assert_eq!(prop(&root, "web", "scale.old").as_deref(), Some(""));
    root.dokku(&["ps:scale", "web", "release=1"])
        .code(1)
        .stderr(" !     release is not a valid process name to scale up\n");
    // Zero is fine for a type outside the Procfile; it goes to scale.old.
    root.dokku(&["ps:scale", "web", "release=0"]).ok();
    assert_eq!(
        prop(&root, "web", "scale.old").as_deref(),
        Some("release=0\n")
    );
    assert_eq!(
        prop(&root, "web", "scale").as_deref(),
        Some("worker=2\nweb=1\nclock_1=0\n")
    );
    root.dokku(&["ps:scale", "web"]).ok().stdout(
        "-----> Scaling for web\nproctype: qty\n--------: ---\nclock_1: 0\nrelease: 0\nweb:  1\nworker: 2\n",
    );

    // A deploy in flight reads its own Procfile (or its `.missing` marker).
    let pid = "4242";
    fs::write(
        data_path(&root, "web", &format!("Procfile.{pid}")),
        "web: x\nrelease: y\n",
    )
    .unwrap();
    dokku_env(
        &root,
        &["ps:scale", "web", "release=1"],
        &[("DOKKU_PID", pid)],
    )
    .ok();
    // `worker` keeps its count; the idle `clock_1` is no longer a Procfile type.
    assert_eq!(
        prop(&root, "web", "scale").as_deref(),
        Some("release=1\nworker=2\nweb=1\n")
    );
    assert_eq!(
        prop(&root, "web", "scale.old").as_deref(),
        Some("clock_1=0\n")
    );
    fs::write(
        data_path(&root, "web", &format!("Procfile.{pid}.missing")),
        "",
    )
    .unwrap();
    dokku_env(
        &root,
        &["ps:scale", "web", "anything=3"],
        &[("DOKKU_PID", pid)],
    )
    .ok();

    // A Procfile without processes cannot be listed.
    write_procfile(&root, "web", "# nothing here\n");
    root.dokku(&["ps:scale", "web", "web=1"])
        .code(1)
        .stderr(" !     Error listing processes: No processes defined\n");
}

#[test]
fn scale_deployed_app_redeploys_changed_types() {
    let root = root_with_app();
    deploy(&root, "web");
    control(&root, "tag-web", "v7\n");
    root.dokku(&["ps:scale", "web", "web=1", "worker=2"])
        .ok()
        .stdout("-----> Scaling web processes: web=1 worker=2\n");
    assert_eq!(
        take(&root),
        "scheduler-is-deployed docker-local web\ndeployed-app-image-tag web\ndeploy web v7 worker\n"
    );
    // The deployed state is cached from then on.
    assert_eq!(
        fs::read_to_string(root.lib().join("config/common/web/deployed")).unwrap(),
        "true"
    );
    root.dokku(&["ps:scale", "web", "--skip-deploy", "web=4"])
        .ok();
    assert_eq!(take(&root), "");
    assert_eq!(
        prop(&root, "web", "scale").as_deref(),
        Some("web=4\nworker=2\n")
    );
    remove_control(&root, "tag-web");
    root.dokku(&["ps:scale", "web", "web=5", "worker=2"]).ok();
    assert_eq!(
        take(&root),
        "deployed-app-image-tag web\ndeploy web latest web\n"
    );
    control(&root, "fail-deploy", "");
    root.dokku(&["ps:scale", "web", "web=6"])
        .code(1)
        .stderr("deploy failed\n");
    assert_eq!(
        prop(&root, "web", "scale").as_deref(),
        Some("web=6\nworker=2\n")
    );
}
