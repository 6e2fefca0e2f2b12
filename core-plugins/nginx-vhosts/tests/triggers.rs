//! The nginx-vhosts triggers: the app lifecycle, the proxy and vhost hooks, restore and
//! install.

mod common;

use std::fs;

use common::*;

#[test]
fn lifecycle() {
    let root = root_with_app();
    assert!(root.lib().join("config/nginx/web").is_dir());
    use_service(&root);
    root.dokku(&["nginx:set", "web", "hsts", "false"]).ok();
    fs::write(conf_path(&root, "web"), "server {}\n").unwrap();
    take(&root);

    // A clone keeps the settings but not the generated config.
    fs::create_dir_all(root.home().join("api")).unwrap();
    fs::write(conf_path(&root, "api"), "server { old }\n").unwrap();
    hook(&root, &["post-app-clone-setup", "web", "api"])
        .ok()
        .stdout("");
    assert_eq!(prop(&root, "api", "hsts").as_deref(), Some("false"));
    assert!(!conf_path(&root, "api").exists());
    assert!(conf_path(&root, "web").exists());

    root.dokku(&["apps:clone", "--skip-deploy", "web", "www"])
        .ok();
    assert_eq!(prop(&root, "www", "hsts").as_deref(), Some("false"));
    assert!(!conf_path(&root, "www").exists());

    // A rename moves the settings and clears the proxy config under the new name.
    fs::write(conf_path(&root, "www"), "server { www }\n").unwrap();
    take(&root);
    root.dokku(&["apps:rename", "--skip-deploy", "www", "www2"])
        .ok();
    assert!(!root.lib().join("config/nginx/www").exists());
    assert_eq!(prop(&root, "www2", "hsts").as_deref(), Some("false"));
    let calls = take(&root);
    assert!(
        calls.contains("network-clear-config www2\nservice reload\n"),
        "{calls}"
    );

    // Destroying drops the settings and the kept template.
    let kept = root.lib().join("data/nginx-vhosts/app-web");
    fs::create_dir_all(&kept).unwrap();
    fs::write(kept.join("nginx.conf.sigil"), "x").unwrap();
    root.dokku(&["--force", "apps:destroy", "web"]).ok();
    assert!(!root.lib().join("config/nginx/web").exists());
    assert!(!kept.exists());
    assert!(root.lib().join("config/nginx/--global").exists());

    hook(&root, &["post-create", "../x"]).code(1);
    hook(&root, &["post-delete", ""]).code(1);
}

#[test]
fn proxy_clear_config() {
    let root = root_with_app();
    root.dokku(&["apps:create", "api"]).ok();
    fs::write(conf_path(&root, "web"), "server {}\n").unwrap();
    fs::write(conf_path(&root, "api"), "server {}\n").unwrap();
    take(&root);
    // No service command and no nginx binary: nothing to reload.
    fs::remove_file(root.bin("nginx")).unwrap();
    let nginx_elsewhere = std::path::Path::new("/usr/sbin/nginx").exists()
        || std::path::Path::new("/usr/bin/nginx").exists();
    if !nginx_elsewhere {
        hook(&root, &["proxy-clear-config", "web"])
            .ok()
            .stdout("")
            .stderr("");
        assert!(!conf_path(&root, "web").exists());
        assert_eq!(take(&root), "network-clear-config web\n");
    }
    use_service(&root);
    fs::write(conf_path(&root, "web"), "server {}\n").unwrap();
    take(&root);
    // The reload's output only shows when it fails.
    hook(&root, &["proxy-clear-config", "web"])
        .ok()
        .stdout("")
        .stderr("");
    assert_eq!(take(&root), "network-clear-config web\nservice reload\n");
    control(&root, "service-fails", "");
    hook(&root, &["proxy-clear-config", "api"])
        .code(4)
        .stdout("service reload failed\n");
    assert!(!conf_path(&root, "api").exists());
    remove_control(&root, "service-fails");

    // Other proxies are left alone.
    fs::write(conf_path(&root, "api"), "server {}\n").unwrap();
    root.dokku(&["proxy:set", "api", "caddy"]).ok();
    take(&root);
    hook(&root, &["proxy-clear-config", "api"]).ok();
    assert!(conf_path(&root, "api").exists());
    assert_eq!(take(&root), "");

    fs::write(conf_path(&root, "web"), "server {}\n").unwrap();
    hook(&root, &["proxy-clear-config", "--all"]).ok();
    assert!(!conf_path(&root, "web").exists());
    assert!(conf_path(&root, "api").exists());
    // A failing app does not stop the others, and --all still succeeds.
    root.dokku(&["proxy:set", "api", "nginx"]).ok();
    control(&root, "fail-network-clear-config", "");
    hook(&root, &["proxy-clear-config", "--all"])
        .ok()
        .stderr("network-clear-config failed\nnetwork-clear-config failed\n");
    remove_control(&root, "fail-network-clear-config");

    hook(&root, &["proxy-clear-config"])
        .code(1)
        .stderr(" !     Please specify an app to run the command on\n");
    hook(&root, &["proxy-clear-config", "../web"]).code(1);
}

#[test]
fn proxy_enable_and_disable() {
    let root = root_with_app();
    take(&root);
    hook(&root, &["proxy-disable", "web"]).ok();
    assert!(fs::read_to_string(root.lib().join("config/web/ENV"))
        .unwrap()
        .contains("NO_VHOST=1"));
    hook(&root, &["proxy-enable", "web"]).ok();
    assert!(fs::read_to_string(root.lib().join("config/web/ENV"))
        .unwrap()
        .contains("NO_VHOST=0"));
    // Through proxy:disable, including ps restarting (here: not deployed).
    root.dokku(&["proxy:disable", "web"])
        .ok()
        .stderr(" !     App web has not been deployed\n");
    root.dokku(&["proxy:set", "web", "caddy"]).ok();
    root.dokku(&["proxy:enable", "web"]).ok().stderr("");
}

#[test]
fn vhost_switches_reset_proxy_ports() {
    let root = root_with_app();
    let proxy = |key: &str| root.lib().join("config/proxy/web").join(key);
    let ports = |key: &str| root.lib().join("config/ports/web").join(key);
    fs::create_dir_all(proxy("x").parent().unwrap()).unwrap();
    fs::create_dir_all(ports("x").parent().unwrap()).unwrap();
    fs::write(proxy("proxy-port"), "8080").unwrap();
    fs::write(proxy("proxy-ssl-port"), "443").unwrap();
    fs::write(ports("map-detected"), "http:8080:5000\n").unwrap();
    take(&root);

    // Disabling keeps ports other than the defaults.
    hook(&root, &["pre-disable-vhost", "web"]).ok().stdout("");
    assert!(proxy("proxy-port").exists());
    assert!(!proxy("proxy-ssl-port").exists());
    assert!(ports("map-detected").exists());

    // Enabling forgets them all, and the detected maps; the port maps then default to
    // port 80, so they are cleared too.
    hook(&root, &["pre-enable-vhost", "web"]).ok();
    assert!(!proxy("proxy-port").exists());
    assert!(!ports("map-detected").exists());
    assert_eq!(take(&root), "ports-clear web\n");

    // A mapping on port 80 or 443 clears the port maps.
    fs::write(ports("map"), "http:80:5000\n").unwrap();
    hook(&root, &["pre-enable-vhost", "web"]).ok();
    assert_eq!(take(&root), "ports-clear web\n");
    fs::write(ports("map"), "https:443:5000\n").unwrap();
    hook(&root, &["pre-disable-vhost", "web"]).ok();
    assert_eq!(take(&root), "ports-clear web\n");
    control(&root, "fail-ports-clear", "");
    hook(&root, &["pre-disable-vhost", "web"]).code(3);

    root.dokku(&["proxy:set", "web", "caddy"]).ok();
    fs::write(proxy("proxy-port"), "80").unwrap();
    hook(&root, &["pre-disable-vhost", "web"]).ok();
    assert!(proxy("proxy-port").exists());
}

#[test]
fn pre_restore_starts_a_started_nginx() {
    let root = root_with_app();
    use_service(&root);
    take(&root);
    hook(&root, &["pre-restore"]).ok().stdout("");
    assert_eq!(take(&root), "");
    root.dokku(&["nginx:start"]).ok();
    take(&root);
    hook(&root, &["pre-restore"])
        .ok()
        .stdout("service enable done\nservice start done\n");
    assert_eq!(take(&root), "service enable\nservice start\n");
    control(&root, "service-fails", "");
    hook(&root, &["pre-restore"])
        .ok()
        .stderr(" !     Failed to restore nginx proxy, requests may not route as expected\n");
}

#[test]
fn install_migrates_old_settings() {
    let root = root_with_app();
    let marker = root.lib().join("data/nginx-vhosts/nginx.stopped");
    fs::create_dir_all(marker.parent().unwrap()).unwrap();
    fs::write(&marker, "").unwrap();
    root.dokku(&[
        "config:set",
        "--no-restart",
        "web",
        "DOKKU_NGINX_PORT=8080",
        "DOKKU_NGINX_SSL_PORT=8443",
    ])
    .ok();
    // apps:create's config build chose proxy ports already; the migration fills unset ones.
    for key in ["proxy-port", "proxy-ssl-port"] {
        let _ = fs::remove_file(root.lib().join("config/proxy/web").join(key));
    }
    hook(&root, &["install"]).ok();
    assert!(!marker.exists());
    assert_eq!(
        prop(&root, "--global", "proxy-status").as_deref(),
        Some("stopped")
    );
    assert_eq!(
        fs::read_to_string(root.lib().join("config/proxy/web/proxy-port")).unwrap(),
        "8080"
    );
    assert_eq!(
        fs::read_to_string(root.lib().join("config/proxy/web/proxy-ssl-port")).unwrap(),
        "8443"
    );
    let env = fs::read_to_string(root.lib().join("config/web/ENV")).unwrap();
    assert!(!env.contains("DOKKU_NGINX_PORT"), "{env}");
    // Test roots are not real installs: nothing outside the root, no service started.
    assert_eq!(
        take(&root)
            .lines()
            .filter(|l| l.starts_with("sudo"))
            .count(),
        0
    );
    hook(&root, &["install"]).ok().stdout("");
    hook_env(&root, &["dependencies"], &[("DOKKU_DISTRO", "debian")])
        .ok()
        .stdout("");
}
