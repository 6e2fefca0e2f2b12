//! `nginx:show-config`, the log commands, and the commands controlling and validating the
//! nginx server, against stand-ins for `sudo`, `nginx` and the service command.

mod common;

use std::fs;
use std::io::{Read, Write};
use std::os::unix::process::CommandExt;
use std::process::Stdio;
use std::time::{Duration, Instant};

use common::*;

#[test]
fn show_config() {
    let root = root_with_app();
    // apps:create wrote the placeholder config.
    assert!(conf_path(&root, "web").is_file());
    fs::remove_file(conf_path(&root, "web")).unwrap();
    for cmd in ["nginx:show-config", "nginx:show-conf"] {
        root.dokku(&[cmd, "web"])
            .code(1)
            .stdout("")
            .stderr(" !     No nginx.conf exists for web\n");
    }
    fs::write(conf_path(&root, "web"), "server {\n  listen 80;\n}\n").unwrap();
    root.dokku(&["nginx:show-config", "web"])
        .ok()
        .stdout("server {\n  listen 80;\n}\n")
        .stderr("");
    root.dokku(&["nginx:show-conf", "web"])
        .ok()
        .stdout("server {\n  listen 80;\n}\n");
    root.dokku(&["proxy:set", "web", "caddy"]).ok();
    root.dokku(&["nginx:show-config", "web"])
        .code(1)
        .stderr(" !     This command is only available for apps with the nginx proxy type\n");
    root.dokku(&["proxy:set", "web", "nginx"]).ok();
    take(&root);
    // Other schedulers keep the proxy config themselves.
    control(&root, "scheduler", "k3s\n");
    root.dokku(&["nginx:show-config", "web"])
        .ok()
        .stdout("config from k3s\n");
    assert!(take(&root).contains("scheduler-proxy-config k3s web nginx\n"));
    control(&root, "fail-scheduler-proxy-config", "");
    root.dokku(&["nginx:show-config", "web"])
        .code(3)
        .stderr("scheduler-proxy-config failed\n");

    root.dokku(&["nginx:show-config"])
        .code(20)
        .stderr(" !     App  does not exist\n");
    root.dokku(&["nginx:show-config", "nope"])
        .code(20)
        .stderr(" !     App nope does not exist\n");
    root.dokku(&["nginx:show-config", "../web"])
        .code(20)
        .stderr(" !     App ../web does not exist\n");
}

#[test]
fn logs() {
    let root = root_with_app();
    let access = root.dir.join("web-access.log");
    let lines: String = (1..=30).map(|i| format!("line {i}\n")).collect();
    fs::write(&access, &lines).unwrap();
    root.dokku(&[
        "nginx:set",
        "web",
        "access-log-path",
        &access.to_string_lossy(),
    ])
    .ok();
    let last20: String = (11..=30).map(|i| format!("line {i}\n")).collect();
    root.dokku(&["nginx:access-logs", "web"])
        .ok()
        .stdout(&last20)
        .stderr("");
    // The error log path defaults under the nginx log root; tail reports a missing file.
    let missing = root.dir.join("missing.log");
    root.dokku(&[
        "nginx:set",
        "web",
        "error-log-path",
        &missing.to_string_lossy(),
    ])
    .ok();
    root.dokku(&["nginx:error-logs", "web"])
        .code(1)
        .stdout("")
        .stderr(&format!(
            "tail: cannot open '{}' for reading: No such file or directory\n",
            missing.display()
        ));
    for off in ["off", "/dev/null"] {
        root.dokku(&["nginx:set", "web", "error-log-path", off])
            .ok();
        root.dokku(&["nginx:error-logs", "web"])
            .code(1)
            .stderr(" !     error logs are disabled for this app\n");
        root.dokku(&["nginx:set", "--global", "access-log-path", off])
            .ok();
    }
    root.dokku(&["nginx:set", "web", "access-log-path", "off"])
        .ok();
    root.dokku(&["nginx:access-logs", "web"])
        .code(1)
        .stderr(" !     access logs are disabled for this app\n");
    root.dokku(&["nginx:access-logs", "nope"])
        .code(20)
        .stderr(" !     App nope does not exist\n");
    root.dokku(&["nginx:error-logs"])
        .code(20)
        .stderr(" !     App  does not exist\n");

    root.dokku(&[
        "nginx:set",
        "web",
        "access-log-path",
        &access.to_string_lossy(),
    ])
    .ok();
    take(&root);
    control(&root, "scheduler", "k3s\n");
    root.dokku(&["nginx:access-logs", "web"])
        .ok()
        .stdout("logs from k3s\n");
    root.dokku(&["nginx:access-logs", "web", "-t"]).ok();
    let calls = take(&root);
    assert!(
        calls.contains("scheduler-proxy-logs k3s web nginx access false 20\n"),
        "{calls}"
    );
    assert!(
        calls.contains("scheduler-proxy-logs k3s web nginx access true 0\n"),
        "{calls}"
    );
}

/// Kills the process group of a spawned command when dropped.
struct Group(i32);

impl Drop for Group {
    fn drop(&mut self) {
        let _ = nix::sys::signal::killpg(
            nix::unistd::Pid::from_raw(self.0),
            nix::sys::signal::Signal::SIGKILL,
        );
    }
}

#[test]
fn logs_follow() {
    let root = root_with_app();
    let access = root.dir.join("web-access.log");
    fs::write(&access, "first\n").unwrap();
    root.dokku(&[
        "nginx:set",
        "web",
        "access-log-path",
        &access.to_string_lossy(),
    ])
    .ok();
    let mut child = root
        .command(root.bin("dokku"))
        .args(["nginx:access-logs", "web", "-t"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()
        .unwrap();
    let _group = Group(child.id() as i32);
    let mut stdout = child.stdout.take().unwrap();
    std::thread::sleep(Duration::from_millis(500));
    fs::OpenOptions::new()
        .append(true)
        .open(&access)
        .unwrap()
        .write_all(b"second\n")
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut seen = Vec::new();
    let mut buf = [0u8; 64];
    while !String::from_utf8_lossy(&seen).contains("second\n") && Instant::now() < deadline {
        match stdout.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => seen.extend_from_slice(&buf[..n]),
        }
    }
    assert_eq!(String::from_utf8_lossy(&seen), "first\nsecond\n");
    // Still following.
    assert!(child.try_wait().unwrap().is_none());
}

#[test]
fn start_stop_reload_with_a_service_command() {
    let root = root_with_app();
    use_service(&root);
    take(&root);
    root.dokku(&["nginx:start"])
        .ok()
        .stdout("service enable done\nservice start done\n")
        .stderr("");
    assert_eq!(
        prop(&root, "--global", "proxy-status").as_deref(),
        Some("started")
    );
    assert_eq!(take(&root), "service enable\nservice start\n");
    root.dokku(&["nginx:stop"])
        .ok()
        .stdout("service stop done\nservice disable done\n");
    assert_eq!(
        prop(&root, "--global", "proxy-status").as_deref(),
        Some("stopped")
    );
    assert_eq!(take(&root), "service stop\nservice disable\n");

    let nginx = root.bin("nginx");
    root.dokku(&["nginx:reload"])
        .ok()
        .stdout("service reload done\n")
        .stderr("");
    assert_eq!(
        take(&root),
        format!(
            "sudo {n} -t\nnginx -t\nservice reload\n",
            n = nginx.display()
        )
    );
    // A config nginx rejects is shown and nothing is reloaded.
    control(&root, "nginx-broken", "");
    root.dokku(&["nginx:reload"])
        .code(1)
        .stdout("")
        .stderr("nginx: configuration file test failed\n");
    assert_eq!(
        take(&root),
        format!(
            "sudo {n} -t\nnginx -t\nsudo {n} -t\nnginx -t\n",
            n = nginx.display()
        )
    );
    remove_control(&root, "nginx-broken");
    // A failing service command fails the command with its status.
    control(&root, "service-fails", "");
    root.dokku(&["nginx:start"])
        .code(4)
        .stdout("service enable failed\n");
    assert_eq!(take(&root), "service enable\n");
    assert_eq!(
        prop(&root, "--global", "proxy-status").as_deref(),
        Some("started")
    );
    root.dokku(&[
        "nginx:set",
        "--global",
        "nginx-service-command",
        "/nonexistent/svc",
    ])
    .ok();
    root.dokku(&["nginx:stop"])
        .code(127)
        .stderr_has("/nonexistent/svc: ");
}

#[test]
fn init_commands_by_distribution() {
    let root = root();
    let run = |env: &[(&str, &str)], action: &str| {
        take(&root);
        hook_env(&root, &["nginx-vhosts-fn", "init-cmd", action], env).ok();
        take(&root)
    };
    // systemctl counts only where systemd is the running init (not in a container that
    // merely has the binary): then the init scripts are used.
    let installed = if std::path::Path::new("/usr/bin/systemctl").is_file() {
        Some("/usr/bin/systemctl")
    } else if std::path::Path::new("/bin/systemctl").is_file() {
        Some("/bin/systemctl")
    } else {
        None
    };
    let booted = std::path::Path::new("/run/systemd/system").is_dir();
    let systemctl = installed.filter(|_| booted);
    assert_eq!(
        run(
            &[("DOKKU_DISTRO", "ubuntu"), ("DOKKU_INIT_SYSTEM", "sv")],
            "reload"
        ),
        "sudo /usr/bin/sv reload nginx\n"
    );
    let debian = run(&[("DOKKU_DISTRO", "debian")], "start");
    match systemctl {
        Some(path) => assert_eq!(debian, format!("sudo {path} start nginx\n")),
        None => assert_eq!(debian, "sudo /usr/sbin/invoke-rc.d nginx start\n"),
    }
    assert_eq!(
        run(&[("DOKKU_DISTRO", "arch")], "stop"),
        format!(
            "sudo {} stop nginx\n",
            installed.unwrap_or("/bin/systemctl")
        )
    );
    assert_eq!(run(&[("DOKKU_DISTRO", "alpine")], "reload"), "");
    control(&root, "sudo-status", "5");
    hook_env(
        &root,
        &["nginx-vhosts-fn", "init-cmd", "reload"],
        &[("DOKKU_DISTRO", "arch")],
    )
    .code(5);
    // The app's own service command wins over the global one.
    root.dokku(&["apps:create", "web"]).ok();
    let svc = root.dir.join("service");
    root.dokku(&[
        "nginx:set",
        "web",
        "nginx-service-command",
        &svc.to_string_lossy(),
    ])
    .ok();
    take(&root);
    hook_env(
        &root,
        &["nginx-vhosts-fn", "init-cmd", "reload", "web"],
        &[("DOKKU_DISTRO", "arch")],
    )
    .ok()
    .stdout("service reload done\n");
    assert_eq!(take(&root), "service reload\n");
}

#[test]
fn missing_nginx() {
    let root = root();
    fs::remove_file(root.bin("nginx")).unwrap();
    if std::path::Path::new("/usr/sbin/nginx").exists()
        || std::env::split_paths("/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin")
            .any(|d| d.join("nginx").exists())
    {
        eprintln!("nginx is installed on this host: the missing-nginx case cannot be shown");
        return;
    }
    let msg = " !     Could not find nginx binary in $PATH or at '/usr/sbin/nginx'.\n";
    root.dokku(&["nginx:reload"]).code(1).stdout("").stderr(msg);
    root.dokku(&["nginx:validate-config"]).code(1).stderr(msg);
    hook(&root, &["nginx-vhosts-fn", "location"])
        .code(1)
        .stderr(msg);
}

#[test]
fn validate_config() {
    let root = root_with_app();
    root.dokku(&["apps:create", "api"]).ok();
    root.dokku(&["apps:create", "www"]).ok();
    fs::remove_file(conf_path(&root, "www")).unwrap();
    fs::write(conf_path(&root, "web"), "server { broken }\n").unwrap();
    fs::write(conf_path(&root, "api"), "server { fine }\n").unwrap();
    let nginx = root.bin("nginx");
    take(&root);
    // A valid configuration: nothing more is checked.
    root.dokku(&["nginx:validate-config"])
        .ok()
        .stdout("")
        .stderr("");
    assert_eq!(
        take(&root),
        format!("sudo {} -t\nnginx -t\n", nginx.display())
    );

    control(&root, "nginx-broken", "");
    root.dokku(&["nginx:validate-config"])
        .code(1)
        .stdout("server { broken }\n")
        .stderr(
            " !     Failed to validate nginx config for web. Contents below...\n\
             \x20!     No nginx config found for www\n\
             nginx: configuration file test failed\n",
        );
    let calls = take(&root);
    assert!(
        calls.contains("nginx-app-template-source api validate-config\n"),
        "{calls}"
    );
    assert!(calls.contains("nginx -t -c "), "{calls}");
    assert!(conf_path(&root, "web").exists());
    // Quiet hides the missing-config warning only.
    dokku_env(
        &root,
        &["nginx:validate-config", "www"],
        &[("DOKKU_QUIET_OUTPUT", "1")],
    )
    .code(1)
    .stdout("")
    .stderr("nginx: configuration file test failed\n");

    root.dokku(&["nginx:validate", "web", "--clean"])
        .code(1)
        .stdout("server { broken }\n")
        .stderr(
            " !     Failed to validate nginx config for web. Contents below...\n\
             \x20!     Removing invalid nginx file\n\
             nginx: configuration file test failed\n",
        );
    assert!(!conf_path(&root, "web").exists());
    assert!(conf_path(&root, "api").exists());
    // The temporary validation configs are gone.
    let leftovers: Vec<_> = fs::read_dir(std::env::temp_dir())
        .unwrap()
        .flatten()
        .filter(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.contains("nginx-validate")
                && fs::read_to_string(e.path())
                    .unwrap_or_default()
                    .contains(&root.home().to_string_lossy().into_owned())
        })
        .collect();
    assert!(leftovers.is_empty());

    // `--clean` alone checks every app.
    fs::write(conf_path(&root, "web"), "server { fine }\n").unwrap();
    root.dokku(&["nginx:validate-config", "--clean"])
        .code(1)
        .stdout("")
        .stderr(" !     No nginx config found for www\nnginx: configuration file test failed\n");
    // A plugin-supplied validation template is rendered (as sigil would, with NGINX_CONF):
    // the app's config is checked through it.
    let template = root.dir.join("validate.conf.sigil");
    fs::write(
        &template,
        "events { }\nhttp {\n{{ if $.NGINX_CONF }}\n\n\n  include {{ $.NGINX_CONF }};\n{{ end }}\n}\n",
    )
    .unwrap();
    control(&root, "template-api", &format!("{}\n", template.display()));
    control(&root, "template-web", &format!("{}\n", template.display()));
    // (The server-wide test still fails, so each app is checked on its own.)
    root.dokku(&["nginx:validate-config", "api"])
        .code(1)
        .stdout("")
        .stderr("nginx: configuration file test failed\n");
    fs::write(conf_path(&root, "web"), "server { broken }\n").unwrap();
    root.dokku(&["nginx:validate-config", "web"])
        .code(1)
        .stdout("server { broken }\n")
        .stderr(" !     Failed to validate nginx config for web. Contents below...\nnginx: configuration file test failed\n");
    // A template that cannot be read or rendered makes the config invalid.
    control(&root, "template-api", "/nonexistent/validate.conf.sigil\n");
    root.dokku(&["nginx:validate-config", "api"])
        .code(1)
        .stdout("server { fine }\n")
        .stderr(" !     Failed to validate nginx config for api. Contents below...\nnginx: configuration file test failed\n");
    fs::write(&template, "{{ if }}\n").unwrap();
    control(&root, "template-api", &format!("{}\n", template.display()));
    root.dokku(&["nginx:validate-config", "api"]).code(1);
    remove_control(&root, "nginx-broken");
    root.dokku(&["nginx:validate-config", "nope"]).ok();
    control(&root, "nginx-broken", "");
    root.dokku(&["nginx:validate-config", "nope"])
        .code(20)
        .stderr(" !     App nope does not exist\n");
}
