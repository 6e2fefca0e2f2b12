//! `resource:*` and the resource triggers through the real `dokku` entry point in a
//! temporary install.

use std::fs;
use std::io::Write;
use std::path::PathBuf;
use std::process::Stdio;

use dokku_rs_testkit::{Root, Run};

const USAGE: &str = "Usage: dokku resource[:COMMAND]\n\nManage resource settings for an app\n\nAdditional commands:\n\
\x20   resource:limit [--process-type <process-type>] [RESOURCE_OPTS...] <app>    Limit resources for a given app/process-type combination\n\
\x20   resource:limit-clear [--process-type <process-type>] <app>                 Limit resources for a given app/process-type combination\n\
\x20   resource:report [<app>] [<flag>]                                           Displays a resource report for one or more apps\n\
\x20   resource:reserve [--process-type <process-type>] [RESOURCE_OPTS...] <app>  Reserve resources for a given app/process-type combination\n\
\x20   resource:reserve-clear [--process-type <process-type>] <app>               Reserve resources for a given app/process-type combination\n";

const LIMIT_USAGE: &str = "Usage of resource:limit:\n\
\x20     --cpu string               cpu: The amount of cpu to limit processes by\n\
\x20     --memory string            memory: The amount of memory to limit processes by\n\
\x20     --memory-swap string       memory-swap: The amount of swap memory to limit processes by\n\
\x20     --network string           network: The amount of network bandwidth to limit processes by\n\
\x20     --network-egress string    network-egress: The amount of egress network bandwidth to limit processes by\n\
\x20     --network-ingress string   network-ingress: The amount of ingress network bandwidth to limit processes by\n\
\x20     --nvidia-gpu string        nvidia-gpu: The number of Nvidia GPUs to limit a process to\n\
\x20     --process-type string      process-type: A process type to manage\n";

const MSG_NO_APP: &str = " !     Please specify an app to run the command on\n";
const MSG_INVALID: &str = " !     App name must begin with lowercase alphanumeric character, and may only contain lowercase alphanumerics, dots, and hyphens\n";

fn dir(root: &Root, app: &str) -> PathBuf {
    root.lib().join("config/resource").join(app)
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

/// Run one of this plugin's triggers directly, with `input` on stdin, as the scheduler's
/// `: | plugn trigger …` does (without other plugins' hooks of the same name).
fn hook_env(root: &Root, args: &[&str], input: &[u8], env: &[(&str, &str)]) -> Run {
    let path = root
        .lib()
        .join("core-plugins/available/resource")
        .join(args[0]);
    let mut cmd = root.command(&path);
    cmd.args(&args[1..])
        .env("PLUGIN_PATH", root.lib().join("plugins"))
        .env(
            "PLUGIN_CORE_AVAILABLE_PATH",
            root.lib().join("core-plugins/available"),
        )
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().unwrap();
    child.stdin.take().unwrap().write_all(input).unwrap();
    Run::from(child.wait_with_output().unwrap())
}

fn hook(root: &Root, args: &[&str], input: &[u8]) -> Run {
    hook_env(root, args, input, &[])
}

fn with_app() -> Root {
    let root = Root::new();
    root.dokku(&["apps:create", "web"]).ok();
    root
}

#[test]
fn help() {
    let root = Root::new();
    root.dokku(&["resource"]).ok().stdout(USAGE).stderr("");
    root.dokku(&["resource:help"]).ok().stdout(USAGE).stderr("");
    let all = root.dokku(&["help", "--all"]);
    all.ok();
    assert!(
        all.stdout.lines().any(|l| l
            .starts_with("    resource:reserve-clear [--process-type <process-type>] <app> ")
            && l.trim_end()
                .ends_with(" Reserve resources for a given app/process-type combination")),
        "{}",
        all.stdout
    );
    let summary = root.dokku(&["help"]);
    assert!(summary
        .stdout
        .lines()
        .any(|l| l.starts_with("    resource ")
            && l.trim_end()
                .ends_with("Manage resource settings for an app")));
}

#[test]
fn limit_and_reserve() {
    let root = with_app();
    root.dokku(&["resource:limit", "web"])
        .ok()
        .stdout(
            "=====> resource limits web information [defaults]\n       cpu: \n       memory: \n       memory-swap: \n       network: \n       network-ingress: \n       network-egress: \n       nvidia-gpu: \n",
        )
        .stderr("");
    assert!(files(&root, "web").is_empty());

    root.dokku(&[
        "resource:limit",
        "--cpu",
        "2",
        "--memory",
        "512",
        "--memory-swap",
        "1g",
        "--network",
        "10mbit",
        "--network-ingress",
        "5mbit",
        "--network-egress",
        "6mbit",
        "--nvidia-gpu",
        "1",
        "web",
    ])
    .ok()
    .stdout("=====> Setting resource limits for web\n       cpu: 2\n       memory: 512\n       memory-swap: 1g\n       network: 10mbit\n       network-ingress: 5mbit\n       network-egress: 6mbit\n       nvidia-gpu: 1\n")
    .stderr("");
    assert_eq!(
        prop(&root, "web", "_default_.limit.memory").as_deref(),
        Some("512")
    );
    assert_eq!(
        prop(&root, "web", "_default_.limit.nvidia-gpu").as_deref(),
        Some("1")
    );
    assert_eq!(files(&root, "web").len(), 7);

    // flags may follow the app name (pflag intersperses)
    root.dokku(&[
        "resource:reserve",
        "web",
        "--process-type",
        "worker",
        "--memory",
        "256m",
    ])
    .ok()
    .stdout("=====> Setting resource reservation for web (worker)\n       memory: 256m\n");
    assert_eq!(
        prop(&root, "web", "worker.reserve.memory").as_deref(),
        Some("256m")
    );

    root.dokku(&["resource:reserve", "--process-type", "worker", "web"])
        .ok()
        .stdout("=====> resource reservation web information (worker)\n       cpu: \n       memory: 256m\n       memory-swap: \n       network: \n       network-ingress: \n       network-egress: \n       nvidia-gpu: \n");

    // `clear` deletes one value
    root.dokku(&["resource:limit", "--memory", "clear", "--cpu", "1.5", "web"])
        .ok()
        .stdout(
            "=====> Setting resource limits for web\n       cpu: 1.5\n       memory: cleared\n",
        );
    assert_eq!(prop(&root, "web", "_default_.limit.memory"), None);
    assert_eq!(
        prop(&root, "web", "_default_.limit.cpu").as_deref(),
        Some("1.5")
    );

    // quiet hides the headers only
    root.dokku(&["--quiet", "resource:limit", "--memory", "1g", "web"])
        .ok()
        .stdout("       memory: 1g\n");
}

#[test]
fn clearing() {
    let root = with_app();
    root.dokku(&["resource:limit", "--memory", "1g", "web"])
        .ok();
    root.dokku(&[
        "resource:limit",
        "--process-type",
        "worker",
        "--cpu",
        "1",
        "web",
    ])
    .ok();
    root.dokku(&["resource:reserve", "--memory", "512m", "web"])
        .ok();
    root.dokku(&[
        "resource:reserve",
        "--process-type",
        "worker",
        "--memory",
        "1m",
        "web",
    ])
    .ok();

    root.dokku(&["resource:limit-clear", "--process-type", "worker", "web"])
        .ok()
        .stdout("=====> clearing web limits (worker)\n")
        .stderr("");
    assert_eq!(
        files(&root, "web"),
        [
            "_default_.limit.memory",
            "_default_.reserve.memory",
            "worker.reserve.memory"
        ]
    );
    root.dokku(&[
        "resource:reserve-clear",
        "--process-type",
        "_default_",
        "web",
    ])
    .ok()
    .stdout("=====> clearing web reservation\n");
    assert_eq!(
        files(&root, "web"),
        ["_default_.limit.memory", "worker.reserve.memory"]
    );
    // without a process type, everything goes (reservations too, as upstream)
    root.dokku(&["resource:limit-clear", "web"])
        .ok()
        .stdout("=====> clearing web limits\n");
    assert!(files(&root, "web").is_empty());
    root.dokku(&["resource:reserve-clear", "web"])
        .ok()
        .stdout("=====> clearing web reservation\n");
}

#[test]
fn errors_write_nothing() {
    let root = with_app();
    for cmd in [
        "resource:limit",
        "resource:reserve",
        "resource:limit-clear",
        "resource:reserve-clear",
    ] {
        root.dokku(&[cmd]).code(1).stdout("").stderr(MSG_NO_APP);
        root.dokku(&[cmd, "nope"])
            .code(20)
            .stderr(" !     App nope does not exist\n");
        root.dokku(&[cmd, "../web"]).code(1).stderr(MSG_INVALID);
    }
    root.dokku(&["resource:limit", "--bogus", "x", "web"])
        .code(2)
        .stdout("")
        .stderr(&format!("{LIMIT_USAGE}unknown flag: --bogus\n"));
    root.dokku(&["resource:limit", "web", "--memory"])
        .code(2)
        .stderr(&format!("{LIMIT_USAGE}flag needs an argument: --memory\n"));
    root.dokku(&["resource:limit-clear", "-x", "web"]).code(2).stderr(
        "Usage of resource:limit-clear:\n      --process-type string   process-type: A process type to clear\nunknown shorthand flag: 'x' in -x\n",
    );

    for (args, err) in [
        (
            vec!["--memory", "1G"],
            "Invalid memory value \"1G\": expected a size such as 512m or 1g (units b, k, m, g, KB, MB, GB)",
        ),
        (
            vec!["--memory", "lots"],
            "Invalid memory value \"lots\": expected a size such as 512m or 1g (units b, k, m, g, KB, MB, GB)",
        ),
        (
            vec!["--cpu", "two"],
            "Invalid cpu value \"two\": expected a number of cpus such as 0.5 or 2",
        ),
        (
            vec!["--memory-swap", "-2"],
            "Invalid memory-swap value \"-2\": expected a size such as 512m or 1g, or -1",
        ),
        (
            vec!["--cpu", "1", "--memory", "1g --privileged"],
            "Invalid memory value \"1g --privileged\": it must not contain whitespace, quotes or backslashes",
        ),
        (
            vec!["--nvidia-gpu", "all\n--privileged"],
            "Invalid nvidia-gpu value \"all\\n--privileged\": it must not contain whitespace, quotes or backslashes",
        ),
        (
            vec!["--process-type", "../../x", "--cpu", "1"],
            "Invalid process-type specified: \"../../x\"",
        ),
        (
            vec!["--process-type", "a b", "--cpu", "1"],
            "Invalid process-type specified: \"a b\"",
        ),
    ] {
        let mut full = vec!["resource:limit"];
        full.extend(args.iter().copied());
        full.push("web");
        root.dokku(&full)
            .code(1)
            .stdout("")
            .stderr(&format!(" !     {err}\n"));
    }
    root.dokku(&["resource:limit-clear", "--process-type", "..", "web"])
        .code(1)
        .stdout("")
        .stderr(" !     Invalid process-type specified: \"..\"\n");
    assert!(files(&root, "web").is_empty());
    assert!(!root.lib().join("config/x.limit.cpu").exists());
}

#[test]
fn reports() {
    let root = with_app();
    root.dokku(&["apps:create", "api"]).ok();
    root.dokku(&["resource:report", "web"])
        .ok()
        .stdout("=====> web resource information\n")
        .stderr("");
    root.dokku(&["resource:limit", "--cpu", "2", "--memory", "512", "web"])
        .ok();
    root.dokku(&[
        "resource:reserve",
        "--process-type",
        "worker",
        "--memory",
        "1g",
        "web",
    ])
    .ok();
    root.dokku(&["resource:report", "web"]).ok().stdout(
        "=====> web resource information\n\
             \x20      resource _default_ limit cpu:    2\n\
             \x20      resource _default_ limit memory: 512\n\
             \x20      resource worker reserve memory:  1g\n",
    );
    root.dokku(&["resource:report", "web", "--format", "json"])
        .ok()
        .stdout("{\"_default_.limit.cpu\":\"2\",\"_default_.limit.memory\":\"512\",\"resource-_default_.limit.cpu\":\"2\",\"resource-_default_.limit.memory\":\"512\",\"resource-worker.reserve.memory\":\"1g\",\"worker.reserve.memory\":\"1g\"}\n");
    root.dokku(&["resource:report", "web", "--resource-worker.reserve.memory"])
        .ok()
        .stdout("1g\n");
    root.dokku(&["resource:report", "web", "--resource-nope"])
        .code(1)
        .stdout("")
        .stderr(" !     Invalid flag passed, valid flags: --resource-_default_.limit.cpu, --resource-_default_.limit.memory, --resource-worker.reserve.memory\n");
    root.dokku(&["resource:report", "api", "--resource-nope"])
        .code(1)
        .stderr(" !     Invalid flag passed, valid flags: \n");
    root.dokku(&["resource:report", "web", "--format", "xml"])
        .code(1)
        .stderr(" !     Format must be \"stdout\" or \"json\": \"xml\"\n");
    root.dokku(&["resource:report", "web", "--format", "json", "--resource-x"])
        .code(1)
        .stderr(" !     --format flag cannot be specified when specifying an info flag\n");
    // every app, in name order
    root.dokku(&["resource:report"]).ok().stdout(
        "=====> api resource information\n=====> web resource information\n\
         \x20      resource _default_ limit cpu:    2\n\
         \x20      resource _default_ limit memory: 512\n\
         \x20      resource worker reserve memory:  1g\n",
    );
    root.dokku(&["resource:report", "--global"])
        .ok()
        .stdout("=====> --global resource information\n");
    root.dokku(&["resource:report", "nope"])
        .code(20)
        .stderr(" !     App nope does not exist\n");
    // the `report` trigger prints the stdout report
    hook(&root, &["report", "api"], b"")
        .ok()
        .stdout("=====> api resource information\n");
}

#[test]
fn no_apps_report_warns() {
    let root = Root::new();
    root.dokku(&["resource:report"])
        .ok()
        .stdout("")
        .stderr(" !     You haven't deployed any applications yet\n");
}

#[test]
fn docker_args_process_deploy() {
    let root = with_app();
    // nothing stored: stdin passes through untouched
    hook(
        &root,
        &[
            "docker-args-process-deploy",
            "web",
            "dockerfile",
            "latest",
            "web",
            "1",
        ],
        b" --foo ",
    )
    .ok()
    .stdout(" --foo ")
    .stderr("");
    root.dokku(&[
        "resource:limit",
        "--cpu",
        "1",
        "--memory",
        "512",
        "--memory-swap",
        "1g",
        "--nvidia-gpu",
        "all",
        "--network",
        "10mbit",
        "web",
    ])
    .ok();
    root.dokku(&[
        "resource:limit",
        "--process-type",
        "worker",
        "--memory",
        "2g",
        "web",
    ])
    .ok();
    root.dokku(&["resource:reserve", "--memory", "256", "--cpu", "1", "web"])
        .ok();
    root.dokku(&[
        "resource:reserve",
        "--process-type",
        "worker",
        "--memory",
        "1g",
        "web",
    ])
    .ok();

    hook(
        &root,
        &[
            "docker-args-process-deploy",
            "web",
            "dockerfile",
            "latest",
            "web",
            "1",
        ],
        b"",
    )
    .ok()
    .stdout(" --cpus=1  --gpus=all  --memory=512m  --memory-swap=1g  --memory-reservation=256m ");
    // the process type overrides the defaults; stdin follows our arguments
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
        b" --env X=1",
    )
    .ok()
    .stdout(
        " --cpus=1  --gpus=all  --memory=2g  --memory-swap=1g  --memory-reservation=1g  --env X=1",
    );
    // no process type: only the defaults
    hook(&root, &["docker-args-process-deploy", "web"], b"")
        .ok()
        .stdout(
            " --cpus=1  --gpus=all  --memory=512m  --memory-swap=1g  --memory-reservation=256m ",
        );
    hook_env(
        &root,
        &[
            "docker-args-process-deploy",
            "web",
            "dockerfile",
            "latest",
            "web",
            "1",
        ],
        b"in",
        &[("DOKKU_OMIT_RESOURCE_ARGS", "1")],
    )
    .ok()
    .stdout("in");
    // empty property files are skipped
    fs::write(dir(&root, "web").join("_default_.limit.cpu"), "").unwrap();
    hook(
        &root,
        &[
            "docker-args-process-deploy",
            "web",
            "x",
            "latest",
            "api",
            "1",
        ],
        b"",
    )
    .ok()
    .stdout(" --gpus=all  --memory=512m  --memory-swap=1g  --memory-reservation=256m ");
    // unknown or hostile app names read nothing
    for app in ["nope", "..", "a/b"] {
        hook(
            &root,
            &["docker-args-process-deploy", app, "x", "latest", "web", "1"],
            b"z",
        )
        .ok()
        .stdout("z");
    }
}

#[test]
fn docker_args_process_build() {
    let root = with_app();
    root.dokku(&[
        "resource:limit",
        "--process-type",
        "build",
        "--cpu",
        "2",
        "--memory",
        "1024",
        "--memory-swap",
        "2g",
        "--nvidia-gpu",
        "1",
        "web",
    ])
    .ok();
    root.dokku(&["resource:limit", "--memory", "64m", "web"])
        .ok();
    hook(
        &root,
        &["docker-args-process-build", "web", "herokuish"],
        b" --in",
    )
    .ok()
    .stdout(" --cpus=2  --gpus=1  --memory=1024m  --memory-swap=2g  --in");
    hook(
        &root,
        &["docker-args-process-build", "web", "dockerfile"],
        b"",
    )
    .ok()
    .stdout(" --memory=1024m  --memory-swap=2g ");
    for builder in ["pack", "nixpacks", ""] {
        hook(
            &root,
            &["docker-args-process-build", "web", builder],
            b"keep",
        )
        .ok()
        .stdout("keep");
    }
    hook_env(
        &root,
        &["docker-args-process-build", "web", "herokuish"],
        b"",
        &[("DOKKU_OMIT_RESOURCE_ARGS", "1")],
    )
    .ok()
    .stdout("");
}

#[test]
fn get_property() {
    let root = with_app();
    root.dokku(&["resource:limit", "--memory", "1g", "web"])
        .ok();
    root.dokku(&[
        "resource:limit",
        "--process-type",
        "worker",
        "--memory",
        "2g",
        "web",
    ])
    .ok();
    hook(
        &root,
        &["resource-get-property", "web", "worker", "limit", "memory"],
        b"",
    )
    .ok()
    .stdout("2g\n");
    hook(
        &root,
        &["resource-get-property", "web", "web", "limit", "memory"],
        b"",
    )
    .ok()
    .stdout("1g\n");
    hook(
        &root,
        &["resource-get-property", "web", "web", "limit", "cpu"],
        b"",
    )
    .ok()
    .stdout("\n");
    hook(
        &root,
        &["resource-get-property", "nope", "web", "limit", "cpu"],
        b"",
    )
    .ok()
    .stdout("\n");
}

#[test]
fn clone_rename_destroy() {
    let root = with_app();
    root.dokku(&["resource:limit", "--memory", "1g", "web"])
        .ok();
    root.dokku(&[
        "resource:reserve",
        "--process-type",
        "worker",
        "--memory",
        "2g",
        "web",
    ])
    .ok();
    root.dokku(&["apps:clone", "web", "copy"]).ok();
    assert_eq!(
        files(&root, "copy"),
        ["_default_.limit.memory", "worker.reserve.memory"]
    );
    assert_eq!(
        prop(&root, "copy", "worker.reserve.memory").as_deref(),
        Some("2g")
    );
    // the triggers apps:rename and apps:destroy fire, called directly
    hook(&root, &["post-app-rename-setup", "copy", "moved"], b"")
        .ok()
        .stdout("");
    assert!(!dir(&root, "copy").exists());
    assert_eq!(
        prop(&root, "moved", "_default_.limit.memory").as_deref(),
        Some("1g")
    );
    hook(&root, &["post-delete", "moved"], b"").ok().stdout("");
    assert!(!dir(&root, "moved").exists());
    assert!(dir(&root, "web").exists());
}

#[test]
fn install_creates_the_config_dir() {
    let root = Root::new();
    let _ = fs::remove_dir_all(root.lib().join("config/resource"));
    hook(&root, &["install"], b"").ok().stdout("");
    assert!(root.lib().join("config/resource").is_dir());
}
