//! `app-json:*` and the app-json triggers through the real `dokku` entry point in a
//! temporary install; extraction from a source image against the real docker daemon.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use dokku_rs_testkit::{Root, Run};

const USAGE: &str = "Usage: dokku app-json[:COMMAND]\n\nManage app-json settings for an app\n\nAdditional commands:\n\
\x20   app-json:report [<app>] [<flag>]         Displays a app-json report for one or more apps\n\
\x20   app-json:set <app> <property> (<value>)  Set or clear a app-json property for an app\n";

const EMPTY: &str = "{\"buildpacks\":null,\"cron\":null,\"formation\":null,\"healthchecks\":null,\"scripts\":{\"dokku\":{\"predeploy\":\"\",\"postdeploy\":\"\"},\"postdeploy\":\"\"}}";
const PID: &str = "4242";

fn data(root: &Root, app: &str) -> PathBuf {
    root.lib().join("data/app-json").join(app)
}

fn prop_dir(root: &Root, app: &str) -> PathBuf {
    root.lib().join("config/app-json").join(app)
}

fn hook(root: &Root, args: &[&str]) -> Run {
    let path = root
        .lib()
        .join("core-plugins/available/app-json")
        .join(args[0]);
    Run::from(
        root.command(&path)
            .args(&args[1..])
            .env("PLUGIN_PATH", root.lib().join("plugins"))
            .env(
                "PLUGIN_CORE_AVAILABLE_PATH",
                root.lib().join("core-plugins/available"),
            )
            .env("DOKKU_PID", PID)
            .env("DOKKU_GLOBAL_RUN_ARGS", "--label=dokku")
            .output()
            .unwrap(),
    )
}

fn with_app() -> Root {
    let root = Root::new();
    root.dokku(&["apps:create", "web"]).ok();
    root
}

/// A source tree with the given files.
fn source(root: &Root, files: &[(&str, &str)]) -> PathBuf {
    let dir = root.dir.join("src");
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    for (name, content) in files {
        let path = dir.join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, content).unwrap();
    }
    dir
}

fn read(path: &Path) -> Option<String> {
    fs::read_to_string(path).ok()
}

#[test]
fn help() {
    let root = Root::new();
    root.dokku(&["app-json"]).ok().stdout(USAGE).stderr("");
    root.dokku(&["app-json:help"]).ok().stdout(USAGE);
}

#[test]
fn set_and_report() {
    let root = with_app();
    let report = "=====> web app-json information\n       App json appjson path:          \n       App json computed appjson path: app.json\n       App json global appjson path:   \n";
    root.dokku(&["app-json:report", "web"])
        .ok()
        .stdout(report)
        .stderr("");
    root.dokku(&[
        "app-json:set",
        "--global",
        "appjson-path",
        "deploy/app.json",
    ])
    .ok()
    .stdout("=====> Setting appjson-path to deploy/app.json\n");
    root.dokku(&["app-json:set", "web", "appjson-path", "web.json"])
        .ok();
    root.dokku(&["app-json:report", "web", "--format", "json"])
        .ok()
        .stdout("{\"app-json-appjson-path\":\"web.json\",\"app-json-computed-appjson-path\":\"web.json\",\"app-json-global-appjson-path\":\"deploy/app.json\",\"appjson-path\":\"web.json\",\"computed-appjson-path\":\"web.json\",\"global-appjson-path\":\"deploy/app.json\"}\n");
    root.dokku(&["app-json:report", "--global"]).ok().stdout(
        "=====> --global app-json information\n       App json computed appjson path: deploy/app.json\n       App json global appjson path:   deploy/app.json\n",
    );
    root.dokku(&["app-json:report", "web", "--app-json-computed-appjson-path"])
        .ok()
        .stdout("web.json\n");
    root.dokku(&["app-json:set", "web", "appjson-path"])
        .ok()
        .stdout("=====> Unsetting appjson-path\n");
    root.dokku(&["app-json:report", "web", "--app-json-computed-appjson-path"])
        .ok()
        .stdout("deploy/app.json\n");
    hook(&root, &["report", "web"])
        .ok()
        .stdout_has("=====> web app-json information\n");

    for (args, err, code) in [
        (
            vec!["web", "appjson-path", "../../etc/passwd"],
            "Invalid appjson-path \"../../etc/passwd\": it must be a path inside the app's source",
            1,
        ),
        (
            vec!["web", "appjson-path", "a/../../b"],
            "Invalid appjson-path \"a/../../b\": it must be a path inside the app's source",
            1,
        ),
        (
            vec!["web", "nope", "x"],
            "Invalid property specified, valid properties include: appjson-path",
            1,
        ),
        (vec!["web"], "No property specified", 1),
        (
            vec!["nope", "appjson-path", "x"],
            "App nope does not exist",
            20,
        ),
    ] {
        let mut full = vec!["app-json:set"];
        full.extend(args.iter().copied());
        root.dokku(&full)
            .code(code)
            .stdout("")
            .stderr(&format!(" !     {err}\n"));
    }
    assert!(
        fs::read_dir(prop_dir(&root, "web"))
            .map(|d| d.count())
            .unwrap_or(0)
            == 0
    );
}

#[test]
fn extract_and_deploy() {
    let root = with_app();
    let src = source(
        &root,
        &[(
            "app.json",
            "{\"scripts\": {\"dokku\": {\"predeploy\": \"x\"}}}\r\n",
        )],
    );
    let live = data(&root, "web").join("app.json");
    let pid_file = data(&root, "web").join(format!("app.json.{PID}"));
    let missing = data(&root, "web").join(format!("app.json.{PID}.missing"));

    hook(
        &root,
        &["core-post-extract", "web", src.to_str().unwrap(), "rev"],
    )
    .ok()
    .stdout("");
    // dos2unix -l: CRLF becomes two newlines
    assert_eq!(
        read(&pid_file).as_deref(),
        Some("{\"scripts\": {\"dokku\": {\"predeploy\": \"x\"}}}\n\n")
    );
    assert!(!live.exists());
    // the in-flight copy is what readers see
    hook(&root, &["app-json-get-content", "web"]).ok().stdout(
        "{\"buildpacks\":null,\"cron\":null,\"formation\":null,\"healthchecks\":null,\"scripts\":{\"dokku\":{\"predeploy\":\"x\",\"postdeploy\":\"\"},\"postdeploy\":\"\"}}",
    );
    hook(&root, &["core-post-deploy", "web", "", "", "latest"])
        .ok()
        .stdout("");
    assert!(!pid_file.exists());
    assert!(live.exists());

    // a source without app.json marks it missing, and the deploy deletes the live one
    fs::write(data(&root, "web").join("app.json.999"), "stale").unwrap();
    let src = source(&root, &[("Procfile", "web: x")]);
    hook(
        &root,
        &["core-post-extract", "web", src.to_str().unwrap(), "rev"],
    )
    .ok();
    assert!(missing.exists());
    assert!(
        !data(&root, "web").join("app.json.999").exists(),
        "stale files go"
    );
    hook(&root, &["app-json-get-content", "web"])
        .ok()
        .stdout("{}");
    assert!(live.exists(), "still live until the deploy finishes");
    hook(&root, &["core-post-deploy", "web"]).ok();
    assert!(!live.exists());
    assert!(!missing.exists());
    hook(&root, &["app-json-get-content", "web"])
        .ok()
        .stdout("{}");
}

#[test]
fn custom_paths() {
    let root = with_app();
    root.dokku(&["app-json:set", "web", "appjson-path", "/deploy/web.json/"])
        .ok();
    let src = source(
        &root,
        &[
            ("deploy/web.json", "{\"cron\": []}"),
            ("app.json", "{\"old\": 1}"),
        ],
    );
    hook(
        &root,
        &["core-post-extract", "web", src.to_str().unwrap(), "rev"],
    )
    .ok();
    let pid_file = data(&root, "web").join(format!("app.json.{PID}"));
    assert_eq!(read(&pid_file).as_deref(), Some("{\"cron\": []}"));
    // the conventional file in the source is replaced by the chosen one
    assert_eq!(
        read(&src.join("app.json")).as_deref(),
        Some("{\"cron\": []}")
    );

    // a chosen file that does not exist hides the conventional one too
    let src = source(&root, &[("app.json", "{}")]);
    hook(
        &root,
        &["core-post-extract", "web", src.to_str().unwrap(), "rev"],
    )
    .ok();
    assert!(!src.join("app.json").exists());
    assert!(data(&root, "web")
        .join(format!("app.json.{PID}.missing"))
        .exists());

    // build-dir is where the source is read from
    root.dokku(&["app-json:set", "web", "appjson-path"]).ok();
    fs::create_dir_all(root.lib().join("config/builder/web")).unwrap();
    fs::write(root.lib().join("config/builder/web/build-dir"), "sub").unwrap();
    let src = source(
        &root,
        &[("sub/app.json", "{\"a\":1}"), ("app.json", "{\"b\":2}")],
    );
    let build_dir = hook(
        &root,
        &["core-post-extract", "web", src.to_str().unwrap(), "rev"],
    );
    build_dir.ok();
    assert_eq!(read(&pid_file).as_deref(), Some("{\"a\":1}"));
}

#[test]
fn hostile_sources_are_refused() {
    let root = with_app();
    let secret = root.dir.join("secret");
    fs::write(&secret, "{\"scripts\":{\"postdeploy\":\"s3cr3t\"}}").unwrap();
    let src = source(&root, &[]);
    std::os::unix::fs::symlink(&secret, src.join("app.json")).unwrap();
    hook(&root, &["core-post-extract", "web", src.to_str().unwrap(), "rev"])
        .code(1)
        .stdout("")
        .stderr(&format!(
            " !     Unable to extract app.json from app.json: {} leads outside the app's source directory\n",
            src.join("app.json").display()
        ));
    // a path property written behind our back
    fs::create_dir_all(prop_dir(&root, "web")).unwrap();
    fs::write(prop_dir(&root, "web").join("appjson-path"), "../secret").unwrap();
    hook(&root, &["core-post-extract", "web", src.to_str().unwrap(), "rev"])
        .code(1)
        .stderr(" !     Unable to extract app.json from ../secret: the path leads outside the app's source directory\n");
    assert!(
        fs::read_dir(data(&root, "web")).unwrap().next().is_none(),
        "nothing extracted"
    );
    hook(
        &root,
        &["core-post-extract", "../x", src.to_str().unwrap(), "rev"],
    )
    .code(1);
}

#[test]
fn validation_hook() {
    let root = with_app();
    root.write_exec(
        "lib/plugins/available/validator/plugin.toml",
        "[plugin]\ndescription = \"v\"\nversion = \"0.1.0\"\n[plugin.config]\n",
    );
    root.write_exec(
        "lib/plugins/available/validator/app-json-is-valid",
        "#!/usr/bin/env bash\nif grep -q bad \"$2\"; then echo \"invalid app.json for $1\" >&2; exit 1; fi\n",
    );
    root.plugn(&["enable", "validator"]).ok();
    let src = source(&root, &[("app.json", "{\"bad\": true}")]);
    hook(
        &root,
        &["core-post-extract", "web", src.to_str().unwrap(), "rev"],
    )
    .code(1)
    .stderr("invalid app.json for web\n !     invalid app.json for web\n");
    let src = source(&root, &[("app.json", "{\"good\": true}")]);
    hook(
        &root,
        &["core-post-extract", "web", src.to_str().unwrap(), "rev"],
    )
    .ok()
    .stderr("");
}

#[test]
fn content_and_parallelism() {
    let root = with_app();
    hook(
        &root,
        &["app-json-process-deploy-parallelism", "web", "web"],
    )
    .ok()
    .stdout("1\n");
    let live = data(&root, "web").join("app.json");
    fs::write(
        &live,
        "// comments and trailing commas are fine\n{\n  \"formation\": {\"web\": {\"max_parallel\": 3, \"quantity\": 2,}, \"worker\": {\"max_parallel\": 0}},\n  /* block */ \"env\": {\"SECRET\": {\"generator\": \"secret\"}},\n}\n",
    )
    .unwrap();
    hook(
        &root,
        &["app-json-process-deploy-parallelism", "web", "web"],
    )
    .ok()
    .stdout("3\n");
    hook(
        &root,
        &["app-json-process-deploy-parallelism", "web", "worker"],
    )
    .ok()
    .stdout("1\n");
    hook(
        &root,
        &["app-json-process-deploy-parallelism", "web", "other"],
    )
    .ok()
    .stdout("1\n");
    hook(&root, &["app-json-get-content", "web"]).ok().stdout(
        "{\"buildpacks\":null,\"cron\":null,\"env\":{\"SECRET\":{\"generator\":\"secret\"}},\"formation\":{\"web\":{\"autoscaling\":null,\"quantity\":2,\"max_parallel\":3,\"service\":null},\"worker\":{\"autoscaling\":null,\"quantity\":null,\"max_parallel\":0,\"service\":null}},\"healthchecks\":null,\"scripts\":{\"dokku\":{\"predeploy\":\"\",\"postdeploy\":\"\"},\"postdeploy\":\"\"}}",
    );
    fs::write(&live, "  \n").unwrap();
    hook(&root, &["app-json-get-content", "web"])
        .ok()
        .stdout(EMPTY);

    fs::write(
        &live,
        "{\"formation\": {\"web\": {\"max_parallel\": \"2\"}}}",
    )
    .unwrap();
    hook(&root, &["app-json-process-deploy-parallelism", "web", "web"])
        .code(1)
        .stdout("")
        .stderr(" !     Cannot parse app.json: json: cannot unmarshal string into Go struct field Formation.formation.web.max_parallel of type int\n");
    fs::write(&live, "{\"formation\": ").unwrap();
    let bad = hook(&root, &["app-json-get-content", "web"]);
    bad.code(1);
    assert!(
        bad.stderr
            .starts_with(" !     Cannot parse app.json as jsonc: "),
        "{}",
        bad.stderr
    );

    for app in ["nope", "..", "a/b"] {
        hook(&root, &["app-json-get-content", app])
            .ok()
            .stdout("{}");
        hook(&root, &["app-json-process-deploy-parallelism", app, "web"])
            .ok()
            .stdout("1\n");
    }
}

#[test]
fn lifecycle() {
    let root = with_app();
    assert!(
        data(&root, "web").is_dir(),
        "post-create makes the data directory"
    );
    root.dokku(&["app-json:set", "web", "appjson-path", "x.json"])
        .ok();
    fs::write(data(&root, "web").join("app.json"), "{}").unwrap();
    root.dokku(&["apps:clone", "web", "copy"]).ok();
    assert_eq!(
        read(&data(&root, "copy").join("app.json")).as_deref(),
        Some("{}")
    );
    assert_eq!(
        read(&prop_dir(&root, "copy").join("appjson-path")).as_deref(),
        Some("x.json")
    );
    // the triggers apps:rename and apps:destroy fire, called directly
    hook(&root, &["post-app-rename-setup", "copy", "moved"]).ok();
    hook(&root, &["post-app-rename", "copy", "moved"]).ok();
    assert!(!data(&root, "copy").exists());
    assert!(!prop_dir(&root, "copy").exists());
    assert_eq!(
        read(&data(&root, "moved").join("app.json")).as_deref(),
        Some("{}")
    );
    hook(&root, &["post-delete", "moved"]).ok();
    assert!(!data(&root, "moved").exists());
    assert!(!prop_dir(&root, "moved").exists());
    assert!(data(&root, "web").join("app.json").exists());

    fs::remove_dir_all(root.lib().join("data/app-json")).unwrap();
    hook(&root, &["install"]).ok();
    assert!(
        data(&root, "web").is_dir(),
        "install makes every app's data directory"
    );
}

#[test]
fn postdeploy_without_task() {
    let root = with_app();
    hook(&root, &["post-deploy", "web", "", "", "latest"])
        .ok()
        .stdout("-----> Checking for postdeploy task\n       No postdeploy task found, skipping\n");
}

/// Docker images and containers a test made, removed even when the test fails.
struct Cleanup(Vec<String>);

impl Drop for Cleanup {
    fn drop(&mut self) {
        let _ = Command::new("docker")
            .arg("image")
            .arg("rm")
            .arg("-f")
            .args(&self.0)
            .output();
    }
}

fn docker_available() {
    let ok = Command::new("docker")
        .args(["version", "--format", "{{.Server.Version}}"])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    assert!(ok, "this test needs a running docker daemon");
}

/// A busybox image built locally (no registry pull) with the given files in /app.
fn build_image(tag: &str, files: &[(&str, &str)], extra: &str) {
    let ctx =
        std::env::temp_dir().join(format!("dokku-rs-test-appjson-ctx-{}", std::process::id()));
    let _ = fs::remove_dir_all(&ctx);
    fs::create_dir_all(ctx.join("files")).unwrap();
    let busybox = ["/bin/busybox", "/usr/bin/busybox"]
        .into_iter()
        .find(|p| Path::new(p).exists())
        .expect("busybox-static is installed");
    fs::copy(busybox, ctx.join("busybox")).unwrap();
    fs::set_permissions(ctx.join("busybox"), fs::Permissions::from_mode(0o755)).unwrap();
    for (name, content) in files {
        fs::write(ctx.join("files").join(name), content).unwrap();
    }
    fs::write(
        ctx.join("Dockerfile"),
        format!(
            "FROM scratch\nCOPY busybox /bin/busybox\nCOPY files/ /app/\nWORKDIR /app\n{extra}"
        ),
    )
    .unwrap();
    let out = Command::new("docker")
        // No cache: parallel tests remove their images, and a cached layer could vanish mid-build.
        .args(["build", "--no-cache", "-q", "-t", tag])
        .arg(&ctx)
        .output()
        .unwrap();
    let _ = fs::remove_dir_all(&ctx);
    assert!(
        out.status.success(),
        "docker build: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn leftover_containers(app: &str) -> String {
    let out = Command::new("docker")
        .args([
            "container",
            "ls",
            "-aq",
            "--filter",
            &format!("label=com.dokku.app-name={app}"),
        ])
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

#[test]
fn extract_from_source_image() {
    docker_available();
    let root = Root::new();
    let app = format!("dokku-rs-test-aj{}", std::process::id());
    root.dokku(&["apps:create", &app]).ok();
    let image = format!("dokku-rs-test-appjson{}:src", std::process::id());
    let _cleanup = Cleanup(vec![image.clone()]);
    build_image(
        &image,
        &[(
            "app.json",
            "{\"cron\":[{\"command\":\"x\",\"schedule\":\"@daily\"}]}\r\n",
        )],
        "CMD [\"/bin/busybox\", \"true\"]\n",
    );
    fs::create_dir_all(root.lib().join("config/git").join(&app)).unwrap();
    fs::write(
        root.lib()
            .join("config/git")
            .join(&app)
            .join("source-image"),
        &image,
    )
    .unwrap();
    let src = source(&root, &[("app.json", "{\"from\": \"repo\"}")]);
    let git = root.plugn(&["trigger", "git-get-property", &app, "source-image"]);
    assert_eq!(
        git.stdout.trim(),
        image,
        "git-get-property reads the source-image property"
    );

    hook(
        &root,
        &["core-post-extract", &app, src.to_str().unwrap(), "rev"],
    )
    .ok();
    let pid_file = data(&root, &app).join(format!("app.json.{PID}"));
    // converted, and a newline appended as upstream does for image copies
    assert_eq!(
        read(&pid_file).as_deref(),
        Some("{\"cron\":[{\"command\":\"x\",\"schedule\":\"@daily\"}]}\n\n\n")
    );
    assert_eq!(
        leftover_containers(&app),
        "",
        "the temporary container is removed"
    );

    // a file missing from the image is marked missing
    root.dokku(&["app-json:set", &app, "appjson-path", "nope.json"])
        .ok();
    hook(
        &root,
        &["core-post-extract", &app, src.to_str().unwrap(), "rev"],
    )
    .ok();
    assert!(data(&root, &app)
        .join(format!("app.json.{PID}.missing"))
        .exists());
    assert!(!pid_file.exists());
    assert_eq!(leftover_containers(&app), "");
}

#[test]
fn predeploy_task_runs_in_a_container() {
    docker_available();
    let root = Root::new();
    let app = format!("dokku-rs-test-pd{}", std::process::id());
    root.dokku(&["apps:create", &app]).ok();
    let image = format!("dokku/{app}:latest");
    let _cleanup = Cleanup(vec![image.clone()]);
    build_image(&image, &[], "ENTRYPOINT [\"/bin/busybox\"]\n");
    fs::write(
        data(&root, &app).join("app.json"),
        "{\"scripts\":{\"dokku\":{\"predeploy\":\"touch /app/predeployed\",\"postdeploy\":\"false\"}}}",
    )
    .unwrap();
    let run = hook(&root, &["pre-release-builder", "dockerfile", &app, &image]);
    run.ok();
    assert!(
        run.stdout.starts_with("-----> Checking for predeploy task\n       Executing predeploy task from app.json: touch /app/predeployed\n=====> Start of "),
        "{}",
        run.stdout
    );
    assert_eq!(leftover_containers(&app), "");
    // the task's changes were committed onto the image, entrypoint kept
    let check = Command::new("docker")
        .args(["run", "--rm", &image, "ls", "/app/predeployed"])
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    let labels = Command::new("docker")
        .args([
            "image",
            "inspect",
            "--format",
            "{{index .Config.Labels \"com.dokku.predeploy-phase\"}} {{json .Config.Entrypoint}}",
            &image,
        ])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&labels.stdout).trim(),
        "true [\"/bin/busybox\"]"
    );

    let failing = hook(&root, &["post-deploy", &app, "", "", "latest"]);
    failing.code(1);
    assert!(failing.stdout.starts_with("-----> Checking for postdeploy task\n       Executing postdeploy task from app.json in ephemeral container: false\n"), "{}", failing.stdout);
    assert!(
        failing
            .stderr
            .ends_with(" !     Execution of postdeploy task failed: false\n"),
        "{}",
        failing.stderr
    );
    assert_eq!(leftover_containers(&app), "");
}
