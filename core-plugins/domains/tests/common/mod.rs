//! Shared helpers of the domains tests: an installed root with apps made by hand and a
//! community plugin recording the triggers the domains plugin fires.

#![allow(dead_code)]

use std::fs;
use std::path::PathBuf;

#[allow(unused_imports)]
pub use dokku_rs_testkit::{Root, Run};

/// `$DOKKU_ROOT/<rel>`.
pub fn home(root: &Root, rel: &str) -> PathBuf {
    root.home().join(rel)
}

/// The file's bytes, or `None` when it is missing.
pub fn read(root: &Root, rel: &str) -> Option<String> {
    fs::read(home(root, rel))
        .ok()
        .map(|b| String::from_utf8(b).expect("utf-8"))
}

pub fn write(root: &Root, rel: &str, content: &str) {
    fs::write(home(root, rel), content).unwrap();
}

/// An app as upstream lays it out before the domains plugin saw it: just the directory.
pub fn bare_app(root: &Root, app: &str) {
    fs::create_dir_all(home(root, app)).unwrap();
}

/// A root with the global domain `dokku.me` and the app `web` created by `apps:create`.
pub fn root_with_app() -> Root {
    let root = Root::new();
    write(&root, "VHOST", "dokku.me\n");
    root.dokku(&["apps:create", "web"]).ok();
    root
}

/// A file's bytes, inode and modification time: an atomic rewrite with the same bytes
/// still shows.
pub type FileState = Option<(Vec<u8>, u64, std::time::SystemTime)>;

/// Every state file the domains commands may touch, to prove a refused command wrote
/// nothing: the VHOST files, the app's environment and the nginx.conf the nginx-vhosts
/// plugin generates on every domains change.
pub fn snapshot(root: &Root, apps: &[&str]) -> Vec<(String, FileState)> {
    use std::os::unix::fs::MetadataExt;
    let mut paths = vec![home(root, "VHOST")];
    for app in apps {
        paths.push(home(root, &format!("{app}/VHOST")));
        paths.push(home(root, &format!("{app}/nginx.conf")));
        paths.push(root.lib().join(format!("config/{app}/ENV")));
    }
    paths
        .into_iter()
        .map(|p| {
            let state = fs::metadata(&p)
                .ok()
                .map(|m| (fs::read(&p).unwrap(), m.ino(), m.modified().unwrap()));
            (p.display().to_string(), state)
        })
        .collect()
}

/// What upstream's `nginx_build_config` prints on stdout for an app without listeners
/// whose proxy port is known: a `Configuring` line per domain (sorted, unique), then the
/// config is written and nginx reloaded. Its stderr is [`no_listeners`].
pub fn nginx_conf(domains: &[&str]) -> String {
    let mut out: String = domains
        .iter()
        .map(|d| format!("-----> Configuring {d}...(using built-in template)\n"))
        .collect();
    out.push_str("-----> Creating http nginx.conf\n       Reloading nginx\n");
    out
}

/// The warning upstream's `nginx_build_config` gives an app that is not running.
pub fn no_listeners(app: &str) -> String {
    format!(" !     No web listeners specified for {app}\n")
}

/// The output with every `-----> Random port <n>` line's number replaced by `N` (the
/// ports plugin picks a free port when vhost support goes off), and those numbers.
pub fn random_ports(out: &str) -> (String, Vec<u16>) {
    const PREFIX: &str = "-----> Random port ";
    let mut ports = Vec::new();
    let text = out
        .split_inclusive('\n')
        .map(|line| match line.strip_prefix(PREFIX) {
            Some(rest) => {
                let port: u16 = rest.trim_end_matches('\n').parse().expect("a port number");
                assert!(port >= 1025, "a high port: {port}");
                ports.push(port);
                format!("{PREFIX}N\n")
            }
            None => line.to_string(),
        })
        .collect();
    (text, ports)
}

/// The app's stored proxy port, as the ports plugin reports it to nginx.
pub fn proxy_port(root: &Root, app: &str) -> String {
    root.dokku(&["plugin:trigger", "ports-get-property", app, "proxy-port"])
        .stdout
        .trim_end()
        .to_string()
}

/// The hooks the recorder plugin implements; each appends `<hook> <args…>` to `triggers.log`
/// in the root. `nginx-hostname` prints `$DOKKU_ROOT/NGINX_HOSTNAME` when that file exists,
/// `app-urls` prints `$DOKKU_ROOT/APP_URLS` likewise.
pub const RECORDED: &[&str] = &[
    "post-domains-update",
    "pre-enable-vhost",
    "pre-disable-vhost",
    "nginx-hostname",
    "app-urls",
];

pub fn add_recorder(root: &Root) {
    let log = root.dir.join("triggers.log");
    root.write_exec(
        "lib/plugins/available/recorder/plugin.toml",
        "[plugin]\ndescription = \"records triggers\"\nversion = \"0.1.0\"\n[plugin.config]\n",
    );
    for hook in RECORDED {
        let mut body = format!(
            "#!/usr/bin/env bash\nset -eo pipefail\necho \"{hook} $*\" >>'{}'\n",
            log.display()
        );
        match *hook {
            "nginx-hostname" => body.push_str(
                "[[ -f \"$DOKKU_ROOT/NGINX_HOSTNAME\" ]] && cat \"$DOKKU_ROOT/NGINX_HOSTNAME\"\ntrue\n",
            ),
            "app-urls" => body.push_str(
                "[[ -f \"$DOKKU_ROOT/APP_URLS\" ]] && cat \"$DOKKU_ROOT/APP_URLS\"\ntrue\n",
            ),
            _ => {}
        }
        root.write_exec(&format!("lib/plugins/available/recorder/{hook}"), &body);
    }
    root.plugn(&["enable", "recorder"]).ok();
}

/// The recorded trigger lines since the last call (the log is emptied).
pub fn take_log(root: &Root) -> String {
    let path = root.dir.join("triggers.log");
    let text = fs::read_to_string(&path).unwrap_or_default();
    let _ = fs::remove_file(&path);
    text
}

/// `NO_VHOST` as the config plugin stores it (`""` when unset).
pub fn no_vhost(root: &Root, app: &str) -> String {
    root.dokku(&["config:get", app, "NO_VHOST"])
        .stdout
        .trim_end()
        .to_string()
}
