//! The generated placeholder config against the real nginx binary (`apt-get install -y
//! nginx`): `nginx -t` accepts it, and an nginx serving it from a private prefix on a free
//! loopback port answers 502 with dokku's error page. Nothing under /etc/nginx is used.

use std::fs;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use dokku_rs_testkit::Root;

fn nginx_binary() -> PathBuf {
    ["/usr/sbin/nginx", "/usr/bin/nginx"]
        .into_iter()
        .map(PathBuf::from)
        .find(|p| p.is_file())
        .expect("this test needs the nginx binary (apt-get install -y nginx)")
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The main config around the app's `nginx.conf`, with every path inside `prefix`.
fn wrapper(prefix: &Path, app_conf: &Path) -> String {
    let p = prefix.display();
    format!(
        "pid {p}/nginx.pid;\nerror_log {p}/error.log;\nevents {{ worker_connections 64; }}\nhttp {{\n  access_log off;\n  client_body_temp_path {p}/client;\n  proxy_temp_path {p}/proxy;\n  fastcgi_temp_path {p}/fastcgi;\n  uwsgi_temp_path {p}/uwsgi;\n  scgi_temp_path {p}/scgi;\n  include {};\n}}\n",
        app_conf.display()
    )
}

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn placeholder_config_is_served_by_real_nginx() {
    let nginx = nginx_binary();
    let root = Root::new();
    let prefix = root.dir.join("nginx");
    fs::create_dir_all(&prefix).unwrap();
    let port = free_port();
    // The install trigger lays down the error pages the config points at.
    dokku_rs_testkit::support::hook(&root, "nginx-vhosts", &["install"], None).ok();
    root.dokku(&["apps:create", "web"]).ok();
    for (key, value) in [
        ("access-log-path", prefix.join("web-access.log").display().to_string()),
        ("error-log-path", prefix.join("web-error.log").display().to_string()),
        ("bind-address-ipv4", "127.0.0.1".to_string()),
        ("bind-address-ipv6", "::1".to_string()),
    ] {
        root.dokku(&["nginx:set", "web", key, &value]).ok();
    }
    root.dokku(&["ports:set", "web", &format!("http:{port}:5000")])
        .ok()
        .stdout_has("-----> Creating http nginx.conf\n");
    let app_conf = root.home().join("web/nginx.conf");
    let text = fs::read_to_string(&app_conf).unwrap();
    assert!(text.contains(&format!("listen      127.0.0.1:{port};")), "{text}");
    assert!(text.contains("return 502;"), "{text}");

    let main_conf = prefix.join("main.conf");
    fs::write(&main_conf, wrapper(&prefix, &app_conf)).unwrap();
    let args = |extra: &[&str]| {
        let mut cmd = Command::new(&nginx);
        cmd.arg("-p")
            .arg(&prefix)
            .arg("-e")
            .arg(prefix.join("error.log"))
            .arg("-c")
            .arg(&main_conf)
            .args(extra)
            .stdin(Stdio::null());
        cmd
    };
    let check = args(&["-t"]).output().unwrap();
    assert!(
        check.status.success(),
        "nginx -t rejected the config: {}",
        String::from_utf8_lossy(&check.stderr)
    );

    let server = Server(
        // One process, no workers: killing it leaves nothing behind.
        args(&["-g", "daemon off; master_process off;"])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap(),
    );
    let url = format!("http://127.0.0.1:{port}/");
    let deadline = Instant::now() + Duration::from_secs(10);
    let (status, body) = loop {
        let out = Command::new("curl")
            .args(["-s", "-o", "-", "-w", "\n%{http_code}", &url])
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        let (body, code) = text.rsplit_once('\n').unwrap_or(("", ""));
        if code != "000" || Instant::now() > deadline {
            break (code.to_string(), body.to_string());
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    drop(server);
    assert_eq!(status, "502", "{body}");
    // Without TLS a 502 is answered with dokku's 500 page.
    let page = fs::read_to_string(root.lib().join("data/nginx-vhosts/dokku-errors/500-error.html")).unwrap();
    assert_eq!(body, page);
}
