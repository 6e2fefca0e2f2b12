//! The triggers the domains plugin implements, fired through `plugin:trigger`, the `url` /
//! `urls` commands and the app lifecycle (`apps:rename`, `apps:clone`).

mod common;

use common::*;

fn trigger(root: &Root, args: &[&str]) -> Run {
    let mut full = vec!["plugin:trigger"];
    full.extend_from_slice(args);
    root.dokku(&full)
}

#[test]
fn domains_list_and_vhost_enabled() {
    let root = root_with_app();
    root.dokku(&["domains:add", "web", "a.com"]).ok();
    trigger(&root, &["domains-list", "web"])
        .ok()
        .stdout("web.dokku.me\na.com\n")
        .stderr("");
    trigger(&root, &["domains-vhost-enabled", "web"])
        .ok()
        .stdout("");
    // the file's bytes as they are
    write(&root, "web/VHOST", "x.com\r\ny.com");
    trigger(&root, &["domains-list", "web"])
        .ok()
        .stdout("x.com\r\ny.com");

    root.dokku(&["domains:disable", "web"]).ok();
    trigger(&root, &["domains-list", "web"]).ok().stdout("");
    trigger(&root, &["domains-vhost-enabled", "web"])
        .code(1)
        .stdout("")
        .stderr("");
    // an unknown or impossible app simply has no domains
    trigger(&root, &["domains-list", "nope"]).ok().stdout("");
    trigger(&root, &["domains-list", "../web"]).ok().stdout("");
}

#[test]
fn domains_add_enable_disable() {
    let root = root_with_app();
    add_recorder(&root);
    trigger(&root, &["domains-add", "web", "c.com"])
        .ok()
        .stdout(&format!(
            "-----> Added c.com to web\n{}",
            nginx_conf(&["c.com", "web.dokku.me"])
        ))
        .stderr(&no_listeners("web"));
    assert_eq!(read(&root, "web/VHOST").unwrap(), "web.dokku.me\nc.com\n");
    assert_eq!(take_log(&root), "post-domains-update web add c.com\n");
    trigger(&root, &["domains-add", "web", "bad;"])
        .code(1)
        .stderr(" !     bad; is invalid. exiting...\n");

    // domains-disable has no "already disabled" check; false means no restart
    // nginx-vhosts' pre-disable-vhost drops port 80: a free high port is picked
    let out = trigger(&root, &["domains-disable", "web", "false"]);
    out.ok().stderr(&no_listeners("web"));
    let (stdout, ports) = random_ports(&out.stdout);
    assert_eq!(
        stdout,
        format!(
            "-----> App virtual host support disabled\n\
             -----> No port set, setting to random open high port\n\
             -----> Random port N\n{}",
            nginx_conf(&[])
        )
    );
    assert_eq!(proxy_port(&root, "web"), ports[0].to_string());
    assert_eq!(no_vhost(&root, "web"), "1");
    assert_eq!(
        take_log(&root),
        "pre-disable-vhost web\npost-domains-update web disable\n"
    );
    trigger(&root, &["domains-disable", "web", "true"])
        .ok()
        .stdout("")
        .stderr("");
    assert_eq!(take_log(&root), "pre-disable-vhost web\n");

    trigger(&root, &["domains-enable", "web", "false"])
        .ok()
        .stdout(&nginx_conf(&["web.dokku.me"]))
        .stderr(&no_listeners("web"));
    assert_eq!(no_vhost(&root, "web"), "0");
    assert_eq!(read(&root, "web/VHOST").unwrap(), "web.dokku.me\n");
    assert_eq!(
        take_log(&root),
        "nginx-hostname web web dokku.me\npre-enable-vhost web\npost-domains-update web enable\n"
    );
    trigger(&root, &["domains-enable", "web", "true"])
        .ok()
        .stdout("-----> Domains (VHOST) support is already enabled for app (web)\n");
}

#[test]
fn urls() {
    let root = root_with_app();
    add_recorder(&root);
    root.dokku(&["url", "web"])
        .ok()
        .stdout("http://web.dokku.me\n");
    root.dokku(&["urls", "web"])
        .ok()
        .stdout("http://web.dokku.me\n");
    root.dokku(&["domains:add", "web", "b.com", "a.com"]).ok();
    root.dokku(&["urls", "web"])
        .ok()
        .stdout("http://a.com\nhttp://b.com\nhttp://web.dokku.me\n");
    root.dokku(&["url", "web"])
        .ok()
        .stdout("http://web.dokku.me\n");

    // Without app domains: the global ones (every line, trimmed), else the host name.
    // Turning vhost support off gives the app a random proxy port (nginx-vhosts'
    // pre-disable-vhost drops port 80); a port mapping of its own keeps the URLs known.
    root.dokku(&["ports:set", "web", "http:8080:5000"]).ok();
    root.dokku(&["domains:disable", "web"]).ok();
    write(&root, "VHOST", "g2.com\n g1.com\n");
    root.dokku(&["urls", "web"])
        .ok()
        .stdout("http://g1.com:8080\nhttp://g2.com:8080\n");
    root.dokku(&["url", "web"])
        .ok()
        .stdout("http://g2.com:8080\n");
    write(&root, "VHOST", "");
    let fqdn = std::process::Command::new("hostname")
        .arg("-f")
        .output()
        .unwrap();
    let fqdn = String::from_utf8_lossy(&fqdn.stdout).trim_end().to_string();
    root.dokku(&["urls", "web"])
        .ok()
        .stdout(&format!("http://{fqdn}:8080\n"));

    // A plugin answering app-urls wins; `url` wants the default scheme.
    write(
        &root,
        "APP_URLS",
        "https://b.com http://z.com http://a.com\n",
    );
    root.dokku(&["urls", "web"])
        .ok()
        .stdout("http://a.com\nhttp://z.com\nhttps://b.com\n");
    root.dokku(&["url", "web"]).ok().stdout("http://z.com\n");
    write(&root, "APP_URLS", "https://b.com\n");
    root.dokku(&["url", "web"]).code(1).stdout("");
    assert!(take_log(&root).contains("app-urls web url\n"));
}

#[test]
fn rename_keeps_custom_domains() {
    let root = root_with_app();
    // only domains derived from a global domain follow the app name
    root.dokku(&["domains:set-global", "dokku.me"]).ok();
    root.dokku(&["domains:set", "web", "web.dokku.me", "web.dokku.test"])
        .ok();
    root.dokku(&["apps:rename", "web", "other-name"]).ok();
    root.dokku(&["domains:report", "other-name", "--domains-app-vhosts"])
        .ok()
        .stdout("other-name.dokku.me web.dokku.test\n");
    root.dokku(&["apps:rename", "other-name", "web"]).ok();

    // every global domain counts
    root.dokku(&["domains:set-global", "dokku.me", "dokku.test"])
        .ok();
    root.dokku(&[
        "domains:set",
        "web",
        "web.dokku.me",
        "web.dokku.test",
        "custom.example.com",
    ])
    .ok();
    root.dokku(&["apps:rename", "web", "other-name"]).ok();
    assert_eq!(
        read(&root, "other-name/VHOST").unwrap(),
        "other-name.dokku.me\nother-name.dokku.test\ncustom.example.com\n"
    );
    root.dokku(&["apps:rename", "other-name", "web"]).ok();

    // no global domain: the file is copied as it is
    root.dokku(&["domains:clear-global"]).ok();
    root.dokku(&[
        "domains:set",
        "web",
        "custom.example.com",
        "other.example.org",
    ])
    .ok();
    root.dokku(&["apps:rename", "web", "other-name"]).ok();
    root.dokku(&["domains:report", "other-name", "--domains-app-vhosts"])
        .ok()
        .stdout("custom.example.com other.example.org\n");
}

#[test]
fn clone_starts_from_the_defaults() {
    let root = root_with_app();
    root.dokku(&["domains:set", "web", "custom.example.com"])
        .ok();
    root.dokku(&["apps:clone", "web", "web2"]).ok();
    assert_eq!(read(&root, "web2/VHOST").unwrap(), "web2.dokku.me\n");
    assert_eq!(read(&root, "web/VHOST").unwrap(), "custom.example.com\n");
    // the clone trigger itself is quiet
    write(&root, "web2/VHOST", "x.com\n");
    trigger(&root, &["post-app-clone-setup", "web", "web2"])
        .ok()
        .stdout("");
    assert_eq!(read(&root, "web2/VHOST").unwrap(), "web2.dokku.me\n");
}

/// Run one of the plugin's trigger links directly, as plugn would.
fn run_link(root: &Root, name: &str, args: &[&str]) -> Run {
    let link = root.lib().join("core-plugins/available/domains").join(name);
    Run::from(root.command(link).args(args).output().unwrap())
}

#[test]
fn install_sets_up_existing_apps() {
    let root = Root::new();
    write(&root, "VHOST", "dokku.me\n");
    bare_app(&root, "web");
    bare_app(&root, "api");
    write(&root, "api/VHOST", "kept.com\n");
    write(&root, "web/URLS", "legacy\n");
    bare_app(&root, "lost+found");
    run_link(&root, "install", &[])
        .ok()
        .stdout("-----> Creating new app virtual host file...\n")
        .stderr("");
    assert_eq!(read(&root, "web/VHOST").unwrap(), "web.dokku.me\n");
    assert_eq!(read(&root, "api/VHOST").unwrap(), "kept.com\n");
    assert_eq!(read(&root, "web/URLS"), None);
    assert_eq!(read(&root, "lost+found/VHOST"), None);
    // nothing left to do the second time
    run_link(&root, "install", &[]).ok().stdout("");
}

#[test]
fn core_post_deploy_is_silent_without_nginx_default_site() {
    let root = root_with_app();
    write(&root, "VHOST", "127.0.0.1\n");
    if std::path::Path::new("/etc/nginx/sites-enabled/default").exists() {
        return;
    }
    run_link(&root, "core-post-deploy", &["web", "", "", "latest"])
        .ok()
        .stdout("")
        .stderr("");
}

#[test]
fn unknown_link_names() {
    let root = Root::new();
    let bin = root.lib().join("core-plugins/available/domains/domains");
    Run::from(root.command(&bin).output().unwrap())
        .code(1)
        .stderr(" !     Invalid plugin trigger call: domains\n");
    run_link(&root, "domains-fn", &["nope"])
        .code(1)
        .stderr(" !     Invalid domains-fn call: nope\n");
}
