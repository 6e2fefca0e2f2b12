//! Helpers for plugin integration tests: running one plugin's hooks directly, fixture
//! plugins, property paths, and a guard for the docker objects a test creates.

use std::cell::RefCell;
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::{Root, Run};

/// Run one of `plugin`'s hooks directly (other plugins' hooks of the same name do not run),
/// with `stdin` as its input (none: `/dev/null`).
pub fn hook(root: &Root, plugin: &str, args: &[&str], stdin: Option<&[u8]>) -> Run {
    let path = root
        .lib()
        .join("core-plugins/available")
        .join(plugin)
        .join(args[0]);
    let mut cmd = root.command(&path);
    cmd.args(&args[1..])
        .env("PLUGIN_PATH", root.lib().join("plugins"))
        .env(
            "PLUGIN_AVAILABLE_PATH",
            root.lib().join("plugins/available"),
        )
        .env("DOKKU_LIB_ROOT", root.lib())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if stdin.is_some() {
        cmd.stdin(Stdio::piped());
    }
    let mut child = cmd.spawn().expect("spawn hook");
    if let Some(input) = stdin {
        let _ = child.stdin.take().unwrap().write_all(input);
    }
    Run::from(child.wait_with_output().expect("wait hook"))
}

/// A community plugin with bash hooks.
pub fn add_plugin(root: &Root, name: &str, hooks: &[(&str, &str)]) {
    root.write_exec(
        &format!("lib/plugins/available/{name}/plugin.toml"),
        &format!("[plugin]\ndescription = \"{name}\"\nversion = \"0.1.0\"\n[plugin.config]\n"),
    );
    for (hook, body) in hooks {
        root.write_exec(
            &format!("lib/plugins/available/{name}/{hook}"),
            &format!("#!/usr/bin/env bash\nset -eo pipefail\n{body}\n"),
        );
    }
    root.plugn(&["enable", name]).ok();
}

/// A property file of the test root.
pub fn prop(root: &Root, plugin: &str, app: &str, key: &str) -> PathBuf {
    root.lib().join("config").join(plugin).join(app).join(key)
}

pub fn read(path: PathBuf) -> Option<String> {
    std::fs::read_to_string(path).ok()
}

/// Mark an app deployed the way `IsDeployed` caches it.
pub fn mark_deployed(root: &Root, app: &str) {
    let path = prop(root, "common", app, "deployed");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, "true").unwrap();
}

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// A name unique to this test process.
pub fn unique(base: &str) -> String {
    format!(
        "dokku-rs-test-{base}-{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::SeqCst)
    )
}

/// `docker <args>`: (status, stdout, stderr).
pub fn docker(args: &[&str]) -> (i32, String, String) {
    let out = Command::new("docker")
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("the docker CLI is required for this test");
    (
        out.status.code().unwrap_or(1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[track_caller]
pub fn docker_ok(args: &[&str]) -> String {
    let (code, out, err) = docker(args);
    assert_eq!(code, 0, "docker {args:?} failed: {err}");
    out.trim().to_string()
}

/// Everything docker a test creates, removed when the guard drops (also on failure).
pub struct Docker {
    containers: RefCell<Vec<String>>,
    networks: RefCell<Vec<String>>,
    images: RefCell<Vec<String>>,
}

impl Docker {
    /// Fails the test clearly when no docker daemon answers.
    #[track_caller]
    pub fn new() -> Docker {
        let (code, _, err) = docker(&["info", "--format", "{{.ServerVersion}}"]);
        assert_eq!(code, 0, "this test needs a running docker daemon: {err}");
        Docker {
            containers: RefCell::new(Vec::new()),
            networks: RefCell::new(Vec::new()),
            images: RefCell::new(Vec::new()),
        }
    }

    /// A network name removed at the end (whoever creates it).
    pub fn network_name(&self, base: &str) -> String {
        let name = unique(base);
        self.networks.borrow_mut().push(name.clone());
        name
    }

    /// A tiny image built locally: busybox (static) and a few applet links.
    pub fn image(&self) -> String {
        let tag = format!("{}:latest", unique("busybox"));
        let dir = std::env::temp_dir().join(unique("image"));
        std::fs::create_dir_all(dir.join("bin")).unwrap();
        let busybox = ["/bin/busybox", "/usr/bin/busybox"]
            .into_iter()
            .find(|p| std::path::Path::new(p).exists())
            .expect("busybox-static is required (apt-get install -y busybox-static)");
        std::fs::copy(busybox, dir.join("bin/busybox")).unwrap();
        for applet in [
            "sh", "sleep", "ls", "touch", "cat", "id", "stat", "hostname",
        ] {
            std::os::unix::fs::symlink("busybox", dir.join("bin").join(applet)).unwrap();
        }
        std::fs::write(
            dir.join("Dockerfile"),
            "FROM scratch\nCOPY bin /bin\nCMD [\"/bin/sh\"]\n",
        )
        .unwrap();
        self.images.borrow_mut().push(tag.clone());
        let (code, _, err) = docker(&["build", "--no-cache", "-q", "-t", &tag, dir.to_str().unwrap()]);
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(code, 0, "docker build failed: {err}");
        tag
    }

    /// A detached container sleeping in `image`, with extra `docker run` arguments.
    pub fn container(&self, image: &str, extra: &[&str]) -> String {
        let name = unique("ctr");
        self.containers.borrow_mut().push(name.clone());
        let mut args = vec!["run", "-d", "--name", &name];
        args.extend_from_slice(extra);
        args.extend_from_slice(&[image, "sleep", "600"]);
        docker_ok(&args)
    }
}

impl Default for Docker {
    fn default() -> Self {
        Docker::new()
    }
}

impl Drop for Docker {
    fn drop(&mut self) {
        for c in self.containers.borrow().iter() {
            let _ = docker(&["container", "rm", "-f", c]);
        }
        for n in self.networks.borrow().iter() {
            let _ = docker(&["network", "rm", n]);
        }
        for i in self.images.borrow().iter() {
            let _ = docker(&["rmi", "-f", i]);
        }
    }
}
