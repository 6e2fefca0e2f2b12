//! `docker-options:*` and the docker-options triggers through the real `dokku` entry point
//! in a temporary install.

use std::fs;
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use dokku_rs_testkit::{Root, Run};

const USAGE: &str = "Usage: dokku docker-options[:COMMAND]\n\nManage docker options for an app\n\nAdditional commands:\n\
\x20   docker-options:add <app> <phase(s)> OPTION     Add Docker option to app for phase (comma separated phase list)\n\
\x20   docker-options:clear <app> [phase(s)]          Clear a docker options from application with an optional phase (comma separated phase list)\n\
\x20   docker-options:remove <app> <phase(s)> OPTION  Remove Docker option from app for phase (comma separated phase list)\n\
\x20   docker-options:report [<app>] [<flag>]         Displays a docker options report for one or more apps\n";

const ADD_USAGE: &str = "Usage of docker-options:add:\n      --process strings   process types to scope this option to (deploy phase only)\n";
const LIST_USAGE: &str = "Usage of docker-options:list:\n      --phase string     phase to query [build|deploy|run] (required)\n      --process string   process type to query (omit for the default scope)\n";
const MSG_NO_APP: &str = " !     Please specify an app to run the command on\n";
const MSG_INVALID: &str = " !     App name must begin with lowercase alphanumeric character, and may only contain lowercase alphanumerics, dots, and hyphens\n";

fn dir(root: &Root, app: &str) -> PathBuf {
    root.lib().join("config/docker-options").join(app)
}

fn prop(root: &Root, app: &str, key: &str) -> Option<String> {
    fs::read_to_string(dir(root, app).join(key)).ok()
}

fn files(root: &Root, app: &str) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir(root, app))
        .map(|d| {
            d.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

/// Run one of this plugin's triggers directly with `input` on stdin, as the scheduler's
/// `: | plugn trigger …` does (without other plugins' hooks of the same name).
fn hook(root: &Root, args: &[&str], input: &[u8]) -> Run {
    let path = root
        .lib()
        .join("core-plugins/available/docker-options")
        .join(args[0]);
    let mut child = root
        .command(&path)
        .args(&args[1..])
        .env("PLUGIN_PATH", root.lib().join("plugins"))
        .env(
            "PLUGIN_CORE_AVAILABLE_PATH",
            root.lib().join("core-plugins/available"),
        )
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input).unwrap();
    Run::from(child.wait_with_output().unwrap())
}

/// Split trigger output into arguments the way the bash scheduler does since 0.38.25
/// (`xargs -r printf "%s\0"`): quotes group, nothing is expanded.
fn xargs_split(text: &str) -> Vec<String> {
    let mut child = Command::new("xargs")
        .args(["-r", "printf", "%s\\0"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("xargs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout)
        .unwrap()
        .split_terminator('\0')
        .map(str::to_string)
        .collect()
}

fn with_app() -> Root {
    let root = Root::new();
    root.dokku(&["apps:create", "web"]).ok();
    root
}

#[test]
fn help() {
    let root = Root::new();
    root.dokku(&["docker-options"])
        .ok()
        .stdout(USAGE)
        .stderr("");
    root.dokku(&["docker-options:help"]).ok().stdout(USAGE);
    let all = root.dokku(&["help", "--all"]);
    assert!(
        all.stdout.lines().any(|l| l
            .starts_with("    docker-options:add <app> <phase(s)> OPTION ")
            && l.trim_end()
                .ends_with(" Add Docker option to app for phase (comma separated phase list)")),
        "{}",
        all.stdout
    );
}

#[test]
fn add_list_remove() {
    let root = with_app();
    root.dokku(&[
        "docker-options:add",
        "web",
        "deploy,run",
        "-v /a:/b --label 'x=$(id)'",
        "--restart=always",
    ])
    .ok()
    .stdout("")
    .stderr("");
    assert_eq!(
        prop(&root, "web", "_default_.deploy").as_deref(),
        Some("--label 'x=$(id)'\n--restart=always\n-v /a:/b\n")
    );
    assert_eq!(
        prop(&root, "web", "_default_.run"),
        prop(&root, "web", "_default_.deploy")
    );
    assert_eq!(prop(&root, "web", "_default_.build"), None);
    root.dokku(&["docker-options:list", "--phase", "run", "web"])
        .ok()
        .stdout("--label 'x=$(id)'\n--restart=always\n-v /a:/b\n");
    root.dokku(&["docker-options:list", "web", "--phase", "build"])
        .ok()
        .stdout("");

    // the same option again is stored again, sorted
    root.dokku(&[
        "docker-options:add",
        "web",
        "build",
        "--build-arg",
        "A=\"b c\"",
    ])
    .ok();
    root.dokku(&["docker-options:add", "web", "build", "--build-arg A='b c'"])
        .ok();
    assert_eq!(
        prop(&root, "web", "_default_.build").as_deref(),
        Some("--build-arg 'A=b c'\n--build-arg 'A=b c'\n")
    );

    // removal matches word by word, whatever the quoting
    root.dokku(&[
        "docker-options:remove",
        "web",
        "deploy",
        "--label \"x=$(id)\"",
    ])
    .ok()
    .stdout("");
    assert_eq!(
        prop(&root, "web", "_default_.deploy").as_deref(),
        Some("--restart=always\n-v /a:/b\n")
    );
    root.dokku(&[
        "docker-options:remove",
        "web",
        "build",
        "--build-arg",
        "A=b\\ c",
    ])
    .ok();
    assert_eq!(prop(&root, "web", "_default_.build").as_deref(), Some(""));
    // removing from a phase with nothing stored writes an empty list, as upstream
    root.dokku(&["docker-options:remove", "web", "deploy,run", "--nope"])
        .ok();
    assert_eq!(
        prop(&root, "web", "_default_.run").as_deref(),
        Some("--label 'x=$(id)'\n--restart=always\n-v /a:/b\n")
    );
}

#[test]
fn process_scope() {
    let root = with_app();
    // --process before the app, and a misplaced one inside the option text
    root.dokku(&[
        "docker-options:add",
        "--process",
        "web,worker",
        "web",
        "deploy",
        "--memory 1g",
    ])
    .ok();
    root.dokku(&[
        "docker-options:add",
        "web",
        "deploy",
        "--process",
        "api",
        "--cpus",
        "2",
    ])
    .ok();
    assert_eq!(
        prop(&root, "web", "web.deploy").as_deref(),
        Some("--memory 1g\n")
    );
    assert_eq!(
        prop(&root, "web", "worker.deploy").as_deref(),
        Some("--memory 1g\n")
    );
    assert_eq!(
        prop(&root, "web", "api.deploy").as_deref(),
        Some("--cpus 2\n")
    );
    assert_eq!(prop(&root, "web", "_default_.deploy"), None);
    root.dokku(&[
        "docker-options:list",
        "--process",
        "api",
        "--phase",
        "deploy",
        "web",
    ])
    .ok()
    .stdout("--cpus 2\n");

    // a Procfile without the process type: warning only
    fs::create_dir_all(root.lib().join("data/ps/web")).unwrap();
    fs::write(
        root.lib().join("data/ps/web/Procfile"),
        "web: ./run\n# worker: x\n",
    )
    .unwrap();
    root.dokku(&[
        "docker-options:add",
        "--process",
        "web",
        "--process=worker",
        "web",
        "deploy",
        "-e A=1",
    ])
    .ok()
    .stdout("")
    .stderr(" !     Process type \"worker\" is not declared in the Procfile for web\n");

    for (args, err) in [
        (
            vec!["--process", "web", "web", "build", "--rm"],
            "--process is only supported for the deploy phase, got \"build\"",
        ),
        (
            vec!["--process", "_default_", "web", "deploy", "--rm"],
            "\"_default_\" is reserved and cannot be used as a --process value",
        ),
        (
            vec!["web", "deploy", "--process=", "--rm"],
            "--process value must not be empty",
        ),
        (
            vec!["web", "deploy", "--process"],
            "--process requires a value",
        ),
        (
            vec!["web", "deploy", "--process", "a", "b"],
            "--process accepts a single value, got 2",
        ),
        (
            vec!["web", "deploy", "--process=a", "b"],
            "--process=value cannot be followed by additional tokens",
        ),
        (
            vec!["--process", "../../x", "web", "deploy", "--rm"],
            "Invalid --process value: \"../../x\"",
        ),
        (
            vec!["--process", "a b", "web", "deploy", "--rm"],
            "Invalid --process value: \"a b\"",
        ),
    ] {
        let mut full = vec!["docker-options:add"];
        full.extend(args.iter().copied());
        root.dokku(&full)
            .code(1)
            .stdout("")
            .stderr(&format!(" !     {err}\n"));
    }
    assert!(!root.lib().join("config/x.deploy").exists());

    root.dokku(&[
        "docker-options:list",
        "--process",
        "_default_",
        "--phase",
        "deploy",
        "web",
    ])
    .code(1)
    .stderr(" !     \"_default_\" is reserved and cannot be used as a --process value\n");
    root.dokku(&[
        "docker-options:list",
        "--process",
        "web",
        "--phase",
        "run",
        "web",
    ])
    .code(1)
    .stderr(" !     --process is only supported for the deploy phase, got \"run\"\n");

    root.dokku(&["docker-options:clear", "--process", "web,api", "web"])
        .ok()
        .stdout("-----> Clearing docker-options for web on phase deploy for process web\n-----> Clearing docker-options for web on phase deploy for process api\n");
    assert_eq!(files(&root, "web"), ["worker.deploy"]);
    root.dokku(&[
        "docker-options:clear",
        "--process",
        "worker",
        "web",
        "build",
    ])
    .code(1)
    .stderr(" !     --process is only supported for the deploy phase, got \"build\"\n");
}

#[test]
fn clear() {
    let root = with_app();
    root.dokku(&["docker-options:add", "web", "build,deploy,run", "--rm"])
        .ok();
    root.dokku(&["docker-options:clear", "web", "build,run"])
        .ok()
        .stdout("-----> Clearing docker-options for web on phase build\n-----> Clearing docker-options for web on phase run\n");
    assert_eq!(files(&root, "web"), ["_default_.deploy"]);
    root.dokku(&["docker-options:clear", "web"])
        .ok()
        .stdout("-----> Clearing docker-options for web on all phases\n");
    assert!(files(&root, "web").is_empty());
    root.dokku(&["docker-options:clear", "web", "nope"])
        .code(1)
        .stdout("")
        .stderr(" !     Phase(s) must be one of [build deploy run]\n");
}

#[test]
fn errors_write_nothing() {
    let root = with_app();
    for cmd in [
        "docker-options:add",
        "docker-options:remove",
        "docker-options:clear",
        "docker-options:list",
    ] {
        root.dokku(&[cmd]).code(1).stdout("").stderr(MSG_NO_APP);
        root.dokku(&[cmd, "nope", "deploy", "rm"])
            .code(20)
            .stderr(" !     App nope does not exist\n");
        root.dokku(&[cmd, "../web", "deploy", "rm"])
            .code(1)
            .stderr(MSG_INVALID);
    }
    root.dokku(&["docker-options:add", "web", "nope", "--rm"])
        .code(1)
        .stderr(" !     Phase(s) must be one of [build deploy run]\n");
    root.dokku(&["docker-options:add", "web", "deploy,", "--rm"])
        .code(1)
        .stderr(" !     Phase(s) must be one of [build deploy run]\n");
    root.dokku(&["docker-options:add", "web", "deploy"])
        .code(1)
        .stderr(" !     Please specify docker options to add to the phase\n");
    root.dokku(&["docker-options:add", "web", "deploy", "  "])
        .code(1)
        .stderr(" !     Please specify docker options to add to the phase\n");
    root.dokku(&["docker-options:remove", "web", "deploy"])
        .code(1)
        .stderr(" !     Please specify docker options to remove from the phase\n");
    for (option, err) in [
        ("--label \"a", "1:9: reached EOF without closing quote `\"`"),
        ("--rm; touch /tmp/x", "1:5: `;` is not a valid word"),
        ("--rm && id", "1:6: `&&` is not a valid word"),
        ("-v /a:/b > /tmp/x", "1:10: `>` is not a valid word"),
        (
            "--label $(id",
            "1:9: reached EOF without matching `$(` with `)`",
        ),
        (
            "--label `id",
            "1:9: reached EOF without closing quote \"`\"",
        ),
    ] {
        root.dokku(&["docker-options:add", "web", "deploy", option])
            .code(1)
            .stdout("")
            .stderr(&format!(" !     Unable to parse docker option: {err}\n"));
    }
    root.dokku(&["docker-options:add", "-v", "/a:/b", "web", "deploy"])
        .code(2)
        .stderr(&format!("{ADD_USAGE}unknown shorthand flag: 'v' in -v\n"));
    root.dokku(&[
        "docker-options:add",
        "--processes",
        "x",
        "web",
        "deploy",
        "--rm",
    ])
    .code(2)
    .stderr(&format!("{ADD_USAGE}unknown flag: --processes\n"));
    root.dokku(&["docker-options:add", "--help"])
        .ok()
        .stdout("")
        .stderr(ADD_USAGE);
    root.dokku(&["docker-options:list", "web"])
        .code(1)
        .stderr(" !     --phase is required\n");
    root.dokku(&["docker-options:list", "--phase", "nope", "web"])
        .code(1)
        .stderr(" !     Phase must be one of [build deploy run]\n");
    root.dokku(&["docker-options:list", "--nope", "web"])
        .code(2)
        .stderr(&format!("{LIST_USAGE}unknown flag: --nope\n"));
    assert!(files(&root, "web").is_empty());
}

#[test]
fn reports() {
    let root = with_app();
    root.dokku(&["apps:create", "api"]).ok();
    root.dokku(&["docker-options:report", "web"])
        .ok()
        .stdout("=====> web docker-options information\n       Docker options build:          \n       Docker options deploy:         \n       Docker options run:            \n")
        .stderr("");
    root.dokku(&["docker-options:report", "web", "--format", "json"])
        .ok()
        .stdout("{\"build\":\"\",\"build-list\":[],\"deploy\":\"\",\"deploy-list\":[],\"docker-options-build\":\"\",\"docker-options-deploy\":\"\",\"docker-options-run\":\"\",\"run\":\"\",\"run-list\":[]}\n");
    root.dokku(&[
        "docker-options:add",
        "web",
        "deploy,run",
        "-v /a:/b --label 'x=<$(id)>'",
    ])
    .ok();
    root.dokku(&[
        "docker-options:add",
        "--process",
        "worker",
        "web",
        "deploy",
        "--memory 1g",
    ])
    .ok();
    root.dokku(&["docker-options:report", "web"]).ok().stdout(
        "=====> web docker-options information\n\
             \x20      Docker options build:          \n\
             \x20      Docker options deploy:         --label 'x=<$(id)>' -v /a:/b\n\
             \x20      Docker options deploy worker:  --memory 1g\n\
             \x20      Docker options run:            --label 'x=<$(id)>' -v /a:/b\n",
    );
    root.dokku(&["docker-options:report", "web", "--format", "json"])
        .ok()
        .stdout("{\"build\":\"\",\"build-list\":[],\"deploy\":\"--label 'x=\\u003c$(id)\\u003e' -v /a:/b\",\"deploy-list\":[\"--label 'x=\\u003c$(id)\\u003e'\",\"-v /a:/b\"],\"deploy.worker\":\"--memory 1g\",\"deploy.worker-list\":[\"--memory 1g\"],\"docker-options-build\":\"\",\"docker-options-deploy\":\"--label 'x=\\u003c$(id)\\u003e' -v /a:/b\",\"docker-options-deploy.worker\":\"--memory 1g\",\"docker-options-run\":\"--label 'x=\\u003c$(id)\\u003e' -v /a:/b\",\"run\":\"--label 'x=\\u003c$(id)\\u003e' -v /a:/b\",\"run-list\":[\"--label 'x=\\u003c$(id)\\u003e'\",\"-v /a:/b\"]}\n");
    root.dokku(&[
        "docker-options:report",
        "web",
        "--docker-options-deploy.worker",
    ])
    .ok()
    .stdout("--memory 1g\n");
    root.dokku(&["docker-options:report", "web", "--nope"])
        .code(1)
        .stderr(" !     Invalid flag passed, valid flags: --docker-options-build, --docker-options-deploy, --docker-options-deploy.worker, --docker-options-run\n");
    root.dokku(&["docker-options:report", "web", "--a", "--b"])
        .code(1)
        .stdout("")
        .stderr(" !     docker-options:report command allows only a single flag\n");
    root.dokku(&[
        "docker-options:report",
        "web",
        "--format",
        "json",
        "--docker-options-run",
    ])
    .code(1)
    .stderr(" !     --format flag cannot be specified when specifying an info flag\n");
    root.dokku(&["docker-options:report", "web", "--format", "yaml"])
        .code(1)
        .stderr(" !     Format must be \"stdout\" or \"json\": \"yaml\"\n");
    root.dokku(&["docker-options:report", "--global"])
        .ok()
        .stdout("=====> --global docker-options information\n");
    root.dokku(&["docker-options:report", "--global", "--format", "json"])
        .ok()
        .stdout("{}\n");
    let every = root.dokku(&["docker-options:report"]);
    every.ok();
    assert!(every
        .stdout
        .starts_with("=====> api docker-options information\n"));
    assert!(every
        .stdout
        .contains("=====> web docker-options information\n"));
    root.dokku(&["docker-options:report", "nope"])
        .code(20)
        .stderr(" !     App nope does not exist\n");
    hook(&root, &["report", "api"], b"")
        .ok()
        .stdout("=====> api docker-options information\n       Docker options build:          \n       Docker options deploy:         \n       Docker options run:            \n");
}

#[test]
fn docker_args_triggers() {
    let root = with_app();
    root.dokku(&[
        "docker-options:add",
        "web",
        "build,deploy,run",
        "--restart=on-failure:5 --link db -v /a:/b --volume=/c:/d --file Dockerfile.x --build-args X",
    ])
    .ok();
    root.dokku(&["docker-options:add", "web", "deploy", "--label \"traefik.http.routers.web.rule=Host(`a.com`) && PathPrefix(`/api`)\" --label x=$(touch /tmp/pwned)"])
        .ok();
    root.dokku(&[
        "docker-options:add",
        "--process",
        "worker",
        "web",
        "deploy",
        "--memory 1g -v /w:/w",
    ])
    .ok();
    // a comment line written by hand is skipped
    let path = dir(&root, "web").join("_default_.run");
    let mut run = fs::read_to_string(&path).unwrap();
    run.push_str("# note\n\n");
    fs::write(&path, run).unwrap();

    hook(&root, &["docker-args-build", "web", "dockerfile"], b" --in")
        .ok()
        .stdout(" --in --build-args X --file Dockerfile.x")
        .stderr("");
    hook(&root, &["docker-args-build", "web", "herokuish"], b"")
        .ok()
        .stdout(" --link db --volume=/c:/d -v /a:/b");
    // deploy and run: the second argument is the image tag, so nothing is filtered by type
    let deploy = hook(
        &root,
        &["docker-args-deploy", "web", "latest", "web", "1"],
        b"",
    );
    deploy.ok();
    assert_eq!(
        deploy.stdout,
        " --build-args X --file Dockerfile.x --label 'traefik.http.routers.web.rule=Host(`a.com`) && PathPrefix(`/api`)' --label 'x=$(touch /tmp/pwned)' --link db --restart=on-failure:5 --volume=/c:/d -v /a:/b"
    );
    // the scheduler's split keeps every value literal
    assert_eq!(
        xargs_split(&deploy.stdout)[4..8],
        [
            "--label".to_string(),
            "traefik.http.routers.web.rule=Host(`a.com`) && PathPrefix(`/api`)".to_string(),
            "--label".to_string(),
            "x=$(touch /tmp/pwned)".to_string()
        ]
    );
    hook(&root, &["docker-args-run", "web", "latest"], b"A")
        .ok()
        .stdout("A --build-args X --file Dockerfile.x --link db --volume=/c:/d -v /a:/b");
    hook(
        &root,
        &[
            "docker-args-process-deploy",
            "web",
            "dockerfile",
            "latest",
            "worker",
            "1",
        ],
        b"B",
    )
    .ok()
    .stdout("B --memory 1g");
    hook(
        &root,
        &[
            "docker-args-process-deploy",
            "web",
            "herokuish",
            "latest",
            "worker",
            "1",
        ],
        b"",
    )
    .ok()
    .stdout(" --memory 1g -v /w:/w");
    for proc_args in [
        vec!["web", "x", "latest", "web", "1"],
        vec!["web", "x", "latest", "_default_"],
        vec!["web", "x", "latest"],
    ] {
        let mut full = vec!["docker-args-process-deploy"];
        full.extend(proc_args.iter().copied());
        hook(&root, &full, b"C").ok().stdout("C");
    }
    for app in ["nope", "..", "a/b"] {
        hook(&root, &["docker-args-deploy", app, "latest"], b"D")
            .ok()
            .stdout("D");
    }
}

#[test]
fn install_migrates_legacy_files() {
    let root = with_app();
    root.dokku(&["apps:create", "api"]).ok();
    let store = root.lib().join("config/docker-options");
    let home = root.home();
    fs::write(
        home.join("web/DOCKER_OPTIONS_DEPLOY"),
        "# a comment\n-v /a:/a -v /b:/b\n\n  --group-add $(getent group docker | cut -d: -f3)  \r\n",
    )
    .unwrap();
    fs::write(home.join("web/DOCKER_OPTIONS_RUN"), "# only a comment\n").unwrap();
    fs::write(home.join("api/DOCKER_OPTIONS_BUILD.migrated"), "").unwrap();
    // stored options to repair
    fs::create_dir_all(store.join("api")).unwrap();
    fs::write(
        store.join("api/web.deploy"),
        "--label 'traefik.http.routers.api.rule=Host(\\`api.com\\`)'\n--label other=\\`x\\`\n",
    )
    .unwrap();
    fs::write(
        store.join("api/_default_.run"),
        "-v /x:/x --rm\n-v /a:/a # keep\n",
    )
    .unwrap();

    hook(&root, &["install"], b"")
        .ok()
        .stderr("")
        .stdout(&format!(
            "-----> Migrated {} to docker-options properties\n\
             -----> Repaired docker-options label backticks for api (web deploy)\n\
             -----> Rewrote docker-options into canonical form for api (_default_ run)\n\
             -----> Rewrote docker-options into canonical form for api (web deploy)\n",
            home.join("web/DOCKER_OPTIONS_DEPLOY").display()
        ));
    assert_eq!(
        prop(&root, "web", "_default_.deploy").as_deref(),
        Some("-v /a:/a\n-v /b:/b\n--group-add '$(getent group docker | cut -d: -f3)'\n")
    );
    assert_eq!(
        prop(&root, "web", "migrated-deploy").as_deref(),
        Some("true")
    );
    assert_eq!(prop(&root, "web", "migrated-run"), None);
    assert!(!home.join("web/DOCKER_OPTIONS_DEPLOY").exists());
    assert!(!home.join("web/DOCKER_OPTIONS_RUN").exists());
    assert_eq!(
        prop(&root, "api", "migrated-build").as_deref(),
        Some("true")
    );
    assert!(!home.join("api/DOCKER_OPTIONS_BUILD.migrated").exists());
    assert_eq!(
        prop(&root, "api", "web.deploy").as_deref(),
        Some("--label 'traefik.http.routers.api.rule=Host(`api.com`)'\n--label 'other=`x`'\n")
    );
    assert_eq!(
        prop(&root, "api", "_default_.run").as_deref(),
        Some("-v /x:/x\n--rm\n-v /a:/a # keep\n")
    );
    // the migrated options can now be removed by their command-line form
    root.dokku(&[
        "docker-options:remove",
        "web",
        "deploy",
        "--group-add $(getent group docker | cut -d: -f3)",
    ])
    .ok();
    assert_eq!(
        prop(&root, "web", "_default_.deploy").as_deref(),
        Some("-v /a:/a\n-v /b:/b\n")
    );

    for marker in [
        "migrated-from-files",
        "migrated-traefik-backticks",
        "migrated-canonical-options",
    ] {
        assert_eq!(
            fs::read_to_string(store.join("--global").join(marker))
                .ok()
                .as_deref(),
            Some("true"),
            "{marker}"
        );
    }
    // a second install finds nothing to do
    fs::write(home.join("web/DOCKER_OPTIONS_BUILD"), "--rm\n").unwrap();
    hook(&root, &["install"], b"").ok().stdout("");
    assert!(home.join("web/DOCKER_OPTIONS_BUILD").exists());
}

#[test]
fn clone_rename_destroy() {
    let root = with_app();
    root.dokku(&["docker-options:add", "web", "deploy", "--rm"])
        .ok();
    root.dokku(&[
        "docker-options:add",
        "--process",
        "worker",
        "web",
        "deploy",
        "--cpus 1",
    ])
    .ok();
    root.dokku(&["apps:clone", "web", "copy"]).ok();
    assert_eq!(files(&root, "copy"), ["_default_.deploy", "worker.deploy"]);
    // the triggers apps:rename and apps:destroy fire, called directly
    hook(&root, &["post-app-rename-setup", "copy", "moved"], b"")
        .ok()
        .stdout("");
    assert!(!dir(&root, "copy").exists());
    assert_eq!(
        prop(&root, "moved", "worker.deploy").as_deref(),
        Some("--cpus 1\n")
    );
    hook(&root, &["post-delete", "moved"], b"").ok().stdout("");
    assert!(!dir(&root, "moved").exists());
    assert!(dir(&root, "web").exists());
}
