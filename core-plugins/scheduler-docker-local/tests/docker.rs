//! The docker-backed triggers against the real daemon: containers from a locally built
//! busybox image (no pulls), all removed afterwards, even when a test fails.

use std::fs;
use std::path::Path;
use std::process::Command;

use dokku_rs_testkit::{Root, Run};

/// Containers and images a test made; removed on drop.
struct Docker {
    tag: String,
    containers: Vec<String>,
    images: Vec<String>,
}

fn docker(args: &[&str]) -> std::process::Output {
    Command::new("docker")
        .args(args)
        .output()
        .expect("docker must be installed for these tests")
}

fn docker_ok(args: &[&str]) -> String {
    let out = docker(args);
    assert!(
        out.status.success(),
        "docker {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

impl Docker {
    /// Build `FROM scratch` + the static busybox as a uniquely tagged image.
    fn new(name: &str) -> Docker {
        let busybox = ["/bin/busybox", "/usr/bin/busybox"]
            .into_iter()
            .find(|p| Path::new(p).exists())
            .expect("busybox-static is needed (apt-get install busybox-static)");
        let ctx = std::env::temp_dir().join(format!("dokku-rs-sdl-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&ctx);
        fs::create_dir_all(&ctx).unwrap();
        fs::copy(busybox, ctx.join("busybox")).unwrap();
        fs::write(
            ctx.join("Dockerfile"),
            "FROM scratch\nCOPY busybox /bin/busybox\nRUN [\"/bin/busybox\", \"--install\", \"-s\", \"/bin\"]\n",
        )
        .unwrap();
        let tag = format!("dokku-rs-test/sdl-{name}:{}", std::process::id());
        docker_ok(&["build", "--no-cache", "-q", "-t", &tag, ctx.to_str().unwrap()]);
        let _ = fs::remove_dir_all(&ctx);
        Docker {
            tag: tag.clone(),
            containers: Vec::new(),
            images: vec![tag],
        }
    }

    /// `docker run -d` with the app label and a shell that stops promptly on SIGTERM.
    fn run(&mut self, name: &str, app: &str, script: &str) -> String {
        let label = format!("com.dokku.app-name={app}");
        let cid = docker_ok(&[
            "run",
            "-d",
            "--name",
            name,
            "--label",
            &label,
            "--label",
            "dokku",
            &self.tag,
            "sh",
            "-c",
            &format!("trap 'exit 0' TERM; {script}"),
        ]);
        self.containers.push(cid.clone());
        cid
    }
}

impl Drop for Docker {
    fn drop(&mut self) {
        for cid in &self.containers {
            let _ = docker(&["container", "rm", "--force", cid]);
        }
        for image in &self.images {
            let _ = docker(&["image", "rm", "--force", image]);
        }
    }
}

fn hook(root: &Root, args: &[&str]) -> Run {
    let path = root
        .lib()
        .join("core-plugins/available/scheduler-docker-local")
        .join(args[0]);
    Run::from(
        root.command(&path)
            .args(&args[1..])
            .env("PLUGIN_PATH", root.lib().join("plugins"))
            .env(
                "PLUGIN_CORE_AVAILABLE_PATH",
                root.lib().join("core-plugins/available"),
            )
            .output()
            .unwrap(),
    )
}

fn unique(prefix: &str) -> String {
    format!("{prefix}-{}", std::process::id())
}

fn with_app(app: &str) -> Root {
    let root = Root::new();
    root.dokku(&["apps:create", app]).ok();
    hook(&root, &["install"]).ok();
    root
}

#[test]
fn status_logs_and_stop() {
    let app = unique("sdl-status");
    let root = with_app(&app);
    let mut d = Docker::new("status");
    let running = d.run(
        &format!("{app}.web.1"),
        &app,
        "echo hello; echo oops >&2; while true; do sleep 1; done",
    );
    let exited = d.run(&format!("{app}.worker.1"), &app, "echo done");
    docker_ok(&["container", "wait", &exited]);
    let app_root = root.home().join(&app);
    fs::write(app_root.join("CONTAINER.web.1"), format!("{running}\n")).unwrap();
    hook(&root, &["scheduler-app-status", "docker-local", &app])
        .ok()
        .stdout("1 true\n");
    fs::write(app_root.join("CONTAINER.worker.1"), format!("{exited}\n")).unwrap();
    hook(&root, &["scheduler-app-status", "docker-local", &app])
        .ok()
        .stdout("2 mixed\n");
    hook(&root, &["scheduler-is-deployed", "docker-local", &app]).ok();

    // Logs: coloured prefixes per container, raw with quiet, one process type with -p.
    for _ in 0..50 {
        let out = docker(&["logs", &running]);
        if String::from_utf8_lossy(&out.stderr).contains("oops") {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let out = hook(
        &root,
        &[
            "scheduler-logs",
            "docker-local",
            &app,
            "web",
            "false",
            "false",
            "10",
        ],
    );
    out.ok().stderr("");
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{}", out.stdout);
    let mut texts = Vec::new();
    for line in &lines {
        assert!(line.starts_with("\x1b[36m"), "{line:?}");
        let (_, text) = line.split_once("Z app[web.1]:\x1b[0m ").expect("prefix");
        texts.push(text);
    }
    texts.sort();
    assert_eq!(texts, vec!["hello", "oops"]);
    let out = hook(
        &root,
        &[
            "scheduler-logs",
            "docker-local",
            &app,
            "",
            "false",
            "true",
            "10",
        ],
    );
    out.ok();
    let mut lines: Vec<&str> = out.stdout.lines().collect();
    lines.sort();
    assert_eq!(lines, vec!["done", "hello", "oops"], "{}", out.stdout);
    // End to end: `dokku logs` asks this scheduler through `scheduler-logs`.
    let out = root.dokku(&["logs", &app, "-q", "-p", "web", "-n", "1"]);
    out.ok();
    assert_eq!(out.stdout.lines().count(), 1, "{}", out.stdout);
    // No containers of that type: nothing.
    hook(
        &root,
        &[
            "scheduler-logs",
            "docker-local",
            &app,
            "cron",
            "false",
            "false",
            "10",
        ],
    )
    .ok()
    .stdout("");
    hook(
        &root,
        &["scheduler-logs", "k3s", &app, "", "false", "false", "10"],
    )
    .ok()
    .stdout("");

    // Failed deploy logs: unknown ids are reported and dropped from the file.
    let failed = root.lib().join(format!(
        "data/scheduler-docker-local/{app}/failed-containers"
    ));
    fs::write(&failed, format!("{exited} worker.1\ndokku-rs-gone web.2\n")).unwrap();
    hook(&root, &["scheduler-logs-failed", "docker-local", &app])
        .ok()
        .stdout("done\n")
        .stderr(" !     App container dokku-rs-gone no longer running\n");
    assert_eq!(
        fs::read_to_string(&failed).unwrap(),
        format!("{exited} worker.1\n")
    );

    // Stop: the app's containers stop. With `true` upstream registers and removes the ones
    // still running after that, which is none.
    root.dokku(&["config:set", "--no-restart", &app, "X=1"])
        .ok();
    hook(&root, &["scheduler-stop", "docker-local", &app]).ok();
    assert_eq!(
        docker_ok(&[
            "container",
            "inspect",
            "--format",
            "{{.State.Running}}",
            &running
        ]),
        "false"
    );
    assert_eq!(
        docker_ok(&[
            "container",
            "inspect",
            "--format",
            "{{.HostConfig.RestartPolicy.Name}}",
            &running
        ]),
        "no"
    );
    docker_ok(&["container", "start", &running]);
    hook(&root, &["scheduler-stop", "docker-local", &app, "true"]).ok();
    assert_eq!(
        docker_ok(&[
            "container",
            "inspect",
            "--format",
            "{{.State.Running}}",
            &running
        ]),
        "false"
    );
    assert!(!root
        .lib()
        .join("data/scheduler-docker-local/dead-containers")
        .exists());
}

#[test]
fn register_and_retire() {
    let app = unique("sdl-retire");
    let root = with_app(&app);
    let mut d = Docker::new("retire");
    let cid = d.run(
        &format!("{app}.web.1"),
        &app,
        "while true; do sleep 1; done",
    );
    let image_id = docker_ok(&["image", "inspect", "--format", "{{.Id}}", &d.tag]);
    let image_id = image_id.trim_start_matches("sha256:").to_string();
    hook(&root, &["scheduler-register-retired", &app, &cid, "0"])
        .ok()
        .stdout("")
        .stderr("");
    let data = root.lib().join("data/scheduler-docker-local");
    let containers = fs::read_to_string(data.join("dead-containers")).unwrap();
    let images = fs::read_to_string(data.join("dead-images")).unwrap();
    assert!(
        containers.starts_with(&format!("{app} {cid} ")),
        "{containers}"
    );
    assert!(
        images.starts_with(&format!("{app} {image_id} ")),
        "{images}"
    );
    // Another app's entry stays when retiring this app's.
    let other = format!("{containers}other-app dokku-rs-keep 1\n");
    fs::write(data.join("dead-containers"), &other).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let out = hook(&root, &["scheduler-retire", "docker-local", &app]);
    out.ok();
    assert!(
        out.stdout.contains(&format!(
            "       Attempting to retire {app} container {cid}\n"
        )),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains(&format!(
            "       Attempting to retire {app} image {image_id}\n"
        )),
        "{}",
        out.stdout
    );
    assert!(!docker(&["container", "inspect", &cid]).status.success());
    assert!(!docker(&["image", "inspect", &image_id]).status.success());
    assert_eq!(
        fs::read_to_string(data.join("dead-containers")).unwrap(),
        "other-app dokku-rs-keep 1\n"
    );
    assert_eq!(fs::read_to_string(data.join("dead-images")).unwrap(), "");
}

#[test]
fn pre_restore_and_destroy() {
    let app = unique("sdl-restore");
    let root = with_app(&app);
    let mut d = Docker::new("restore");
    let old = d.run(&format!("{app}.web.1.1700000000"), &app, "true");
    let current = d.run(
        &format!("{app}.web.1"),
        &app,
        "while true; do sleep 1; done",
    );
    docker_ok(&["container", "wait", &old]);
    hook(&root, &["scheduler-pre-restore", "k3s"])
        .ok()
        .stdout("")
        .stderr("");
    // Upstream lists with both `--format {{.Names}}` and `--quiet`; docker keeps `--quiet`
    // (ids), says so, and no id looks like a renamed container: nothing is removed.
    hook(&root, &["scheduler-pre-restore", "docker-local"])
        .ok()
        .stdout("")
        .stderr("WARNING: Ignoring custom format, because both --format and --quiet are set.\n");
    assert!(docker(&["container", "inspect", &old]).status.success());
    assert!(docker(&["container", "inspect", &current]).status.success());
    // Destroying the app stops every running container labelled with it (`scheduler-stop`);
    // as upstream, the stopped ones are not in `post-delete`'s running-only listing.
    root.dokku(&["--force", "apps:destroy", &app]).ok();
    assert_eq!(
        docker_ok(&[
            "container",
            "inspect",
            "--format",
            "{{.State.Running}}",
            &current
        ]),
        "false"
    );
}

#[test]
fn storage_exec() {
    let root = with_app(&unique("sdl-storage"));
    let d = Docker::new("storage");
    let host = root.dir.join("volume");
    fs::create_dir_all(&host).unwrap();
    let entries = root.lib().join("data/storage-registry/entries");
    fs::create_dir_all(&entries).unwrap();
    fs::write(
        entries.join("files.json"),
        format!("{{\"name\":\"files\",\"scheduler\":\"docker-local\",\"host_path\":\"{}\",\"schema_version\":1}}", host.display()),
    )
    .unwrap();
    hook(
        &root,
        &[
            "scheduler-storage-exec",
            "docker-local",
            "files",
            &d.tag,
            "--interactive=false",
            "--tty=false",
            "--",
            "sh",
            "-c",
            "echo hi > /data/out; echo visible; exit 3",
        ],
    )
    .code(3)
    .stdout("visible\n");
    assert_eq!(fs::read_to_string(host.join("out")).unwrap(), "hi\n");
    // `--as-user` runs as that uid.
    hook(
        &root,
        &[
            "scheduler-storage-exec",
            "docker-local",
            "files",
            &d.tag,
            "--as-user",
            "4242",
            "--",
            "id",
            "-u",
        ],
    )
    .ok()
    .stdout("4242\n");
    // Other schedulers are not ours; errors are upstream's.
    hook(&root, &["scheduler-storage-exec", "k3s", "files", &d.tag])
        .ok()
        .stdout("");
    hook(&root, &["scheduler-storage-exec", "docker-local", "files"])
        .code(1)
        .stderr(" !     scheduler-storage-exec requires <scheduler> <entry-name> <image>\n");
    hook(
        &root,
        &["scheduler-storage-exec", "docker-local", "nope", &d.tag],
    )
    .code(1)
    .stderr(" !     storage entry \"nope\" does not exist\n");
    hook(
        &root,
        &["scheduler-storage-exec", "docker-local", "../x", &d.tag],
    )
    .code(1)
    .stderr(" !     storage entry \"../x\" does not exist\n");
    fs::write(
        entries.join("k.json"),
        "{\"name\":\"k\",\"scheduler\":\"k3s\",\"host_path\":\"x\"}",
    )
    .unwrap();
    hook(
        &root,
        &["scheduler-storage-exec", "docker-local", "k", &d.tag],
    )
    .code(1)
    .stderr(" !     storage entry \"k\" has scheduler \"k3s\", not docker-local\n");
    fs::write(entries.join("gone.json"), "{\"name\":\"gone\",\"scheduler\":\"docker-local\",\"host_path\":\"/nonexistent/dokku-rs\"}").unwrap();
    hook(
        &root,
        &["scheduler-storage-exec", "docker-local", "gone", &d.tag],
    )
    .code(1)
    .stderr(" !     host path /nonexistent/dokku-rs does not exist\n");
    fs::write(entries.join("vol.json"), "{\"name\":\"vol\",\"scheduler\":\"docker-local\",\"host_path\":\"dokku-rs-no-such-volume\"}").unwrap();
    hook(
        &root,
        &["scheduler-storage-exec", "docker-local", "vol", &d.tag],
    )
    .code(1)
    .stderr_has(" !     docker named volume \"dokku-rs-no-such-volume\" is not present: ");
    fs::write(
        entries.join("x.json"),
        "{\"name\":\"x\",\"scheduler\":\"docker-local\",\"host_path\":\"x\"}",
    )
    .unwrap();
    hook(
        &root,
        &["scheduler-storage-exec", "docker-local", "x", &d.tag],
    )
    .code(1)
    .stderr(" !     host path \"x\" is neither absolute nor a valid docker volume token\n");
    fs::write(
        entries.join("bad.json"),
        format!("{{\"name\":\"bad\",\"scheduler\":\"docker-local\",\"host_path\":\"{}\",\"chown\":\"nobody\"}}", host.display()),
    )
    .unwrap();
    hook(
        &root,
        &["scheduler-storage-exec", "docker-local", "bad", &d.tag],
    )
    .code(1)
    .stderr(" !     Unsupported chown permissions\n");
    fs::write(
        entries.join("owned.json"),
        format!("{{\"name\":\"owned\",\"scheduler\":\"docker-local\",\"host_path\":\"{}\",\"chown\":\"heroku\"}}", host.display()),
    )
    .unwrap();
    hook(
        &root,
        &[
            "scheduler-storage-exec",
            "docker-local",
            "owned",
            &d.tag,
            "--",
            "id",
            "-u",
        ],
    )
    .ok()
    .stdout("1000\n");
}
