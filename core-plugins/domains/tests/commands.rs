//! `domains:*` commands through the real `dokku` entry point: output and exit codes byte for
//! byte, the VHOST files' bytes, the triggers fired, and refused input writing nothing.

mod common;

use common::*;

const USAGE: &str = "Usage: dokku domains[:COMMAND]

Manage domains used by the proxy

Additional commands:
    domains:add <app> <domain> [<domain> ...]       Add domains to app
    domains:add-global <domain> [<domain> ...]      Add global domain names
    domains:clear <app>                             Clear all domains for app
    domains:clear-global                            Clear global domain names
    domains:disable <app>                           Disable VHOST support
    domains:enable <app>                            Enable VHOST support
    domains:remove <app> <domain> [<domain> ...]    Remove domains from app
    domains:remove-global <domain> [<domain> ...]   Remove global domain names
    domains:report [<app>|--global] [<flag>]        Displays a domains report for one or more apps
    domains:reset <app>                             Reset app domains to global-configured domains
    domains:set <app> <domain> [<domain> ...]       Set domains for app
    domains:set-global <domain> [<domain> ...]      Set global domain names
";

#[test]
fn help_texts() {
    let root = Root::new();
    root.dokku(&["domains:help"]).ok().stdout(USAGE).stderr("");
    root.dokku(&["domains"]).ok().stdout(USAGE).stderr("");
    root.dokku(&["domains", "web"]).ok().stdout(USAGE);

    let commands = root.lib().join("plugins/enabled/domains/commands");
    let run = |script: &str| {
        Run::from(
            root.command("bash")
                .args(["-c", script, "bash"])
                .arg(&commands)
                .env("DOKKU_NOT_IMPLEMENTED_EXIT", "10")
                .output()
                .unwrap(),
        )
    };
    run("\"$1\" help")
        .ok()
        .stdout("    domains, Manage domains used by the proxy\n");
    let all = run("\"$1\" help; : --all");
    all.ok();
    assert_eq!(all.stdout.lines().count(), 12);
    assert!(all.stdout.starts_with(
        "    domains:add <app> <domain> [<domain> ...], Add domains to app\n    domains:add-global"
    ));
    run("\"$1\" domains").code(10).stdout("");
    run("\"$1\" domains:add").code(10).stdout("");
}

#[test]
fn global_domains() {
    let root = Root::new();
    root.dokku(&["domains:set-global", "dokku.me", "other.org"])
        .ok()
        .stdout("-----> Set dokku.me other.org\n")
        .stderr("");
    assert_eq!(read(&root, "VHOST").unwrap(), "dokku.me\nother.org\n");

    root.dokku(&["domains:add-global", "other.org", "New.Net"])
        .ok()
        .stdout("-----> Skipping other.org: already added\n-----> Added New.Net\n");
    assert_eq!(
        read(&root, "VHOST").unwrap(),
        "dokku.me\nother.org\nNew.Net\n"
    );

    root.dokku(&["domains:remove-global", "other.org", "missing.com"])
        .ok()
        .stdout("-----> Removed other.org\n-----> Removed missing.com\n");
    assert_eq!(read(&root, "VHOST").unwrap(), "dokku.me\nNew.Net\n");

    root.dokku(&["domains:clear-global"])
        .ok()
        .stdout("-----> Clearing global domains\n")
        .stderr("");
    assert_eq!(read(&root, "VHOST").unwrap(), "");
    root.dokku(&["--quiet", "domains:clear-global"])
        .ok()
        .stdout("");

    // A missing file is created by add and remove, as upstream's touch does.
    std::fs::remove_file(home(&root, "VHOST")).unwrap();
    root.dokku(&["domains:remove-global", "x.com"]).ok();
    assert_eq!(read(&root, "VHOST").unwrap(), "");
    std::fs::remove_file(home(&root, "VHOST")).unwrap();
    root.dokku(&["domains:add-global", "a.com", "a.com"])
        .ok()
        .stdout("-----> Added a.com\n-----> Skipping a.com: already added\n");
    assert_eq!(read(&root, "VHOST").unwrap(), "a.com\n");
    std::fs::remove_file(home(&root, "VHOST")).unwrap();
    root.dokku(&["domains:clear-global"]).ok();
    assert_eq!(read(&root, "VHOST").unwrap(), "");
}

#[test]
fn global_file_from_a_real_dokku_is_kept() {
    let root = Root::new();
    // Hand-edited: no final newline, a CRLF line, a blank line.
    write(&root, "VHOST", "dokku.me\r\n\nother.org");
    root.dokku(&["domains:add-global", "other.org"])
        .ok()
        .stdout("-----> Skipping other.org: already added\n");
    assert_eq!(read(&root, "VHOST").unwrap(), "dokku.me\r\n\nother.org");
    root.dokku(&["domains:add-global", "new.net"]).ok();
    assert_eq!(
        read(&root, "VHOST").unwrap(),
        "dokku.me\r\n\nother.org\nnew.net\n"
    );
    root.dokku(&["domains:remove-global", "new.net"]).ok();
    assert_eq!(read(&root, "VHOST").unwrap(), "dokku.me\r\n\nother.org\n");
}

#[test]
fn missing_domain_arguments() {
    let root = root_with_app();
    let before = snapshot(&root, &["web"]);
    for cmd in ["domains:add", "domains:remove", "domains:set"] {
        root.dokku(&[cmd, "web"]).code(1).stdout("").stderr(
            " !     Please specify a domain name. Usage: dokku web  <domain> [<domain> ...]\n",
        );
        root.dokku(&[cmd]).code(1).stderr(
            " !     Please specify a domain name. Usage: dokku   <domain> [<domain> ...]\n",
        );
        // The check comes before the app check.
        root.dokku(&[cmd, "nope"]).code(1).stderr(
            " !     Please specify a domain name. Usage: dokku nope  <domain> [<domain> ...]\n",
        );
    }
    for cmd in [
        "domains:add-global",
        "domains:remove-global",
        "domains:set-global",
    ] {
        root.dokku(&[cmd])
            .code(1)
            .stdout("")
            .stderr(" !     Please specify a domain name. Usage: dokku  <domain> [<domain> ...]\n");
    }
    assert_eq!(snapshot(&root, &["web"]), before);
}

#[test]
fn missing_and_invalid_apps() {
    let root = root_with_app();
    let before = snapshot(&root, &["web"]);
    for app in ["nope", "../web", "Web", "-web", "web/..", "."] {
        let missing = format!(" !     App {app} does not exist\n");
        for cmd in ["domains:add", "domains:remove", "domains:set"] {
            root.dokku(&[cmd, app, "a.com"])
                .code(20)
                .stdout("")
                .stderr(&missing);
        }
        for cmd in [
            "domains:clear",
            "domains:reset",
            "domains:setup",
            "domains:enable",
            "domains:disable",
        ] {
            root.dokku(&[cmd, app]).code(20).stdout("").stderr(&missing);
        }
    }
    for cmd in [
        "domains:clear",
        "domains:reset",
        "domains:setup",
        "domains:enable",
        "domains:disable",
    ] {
        root.dokku(&[cmd])
            .code(20)
            .stderr(" !     App  does not exist\n");
    }
    // As upstream, `--all` is only understood by domains:clear.
    root.dokku(&["domains:disable", "--all"])
        .code(20)
        .stderr(" !     App --all does not exist\n");
    root.dokku(&["domains:enable", "--all"])
        .code(20)
        .stderr(" !     App --all does not exist\n");
    assert_eq!(snapshot(&root, &["web"]), before);
    assert!(!home(&root, "nope").exists());
    assert!(!home(&root, "Web").exists());
}

#[test]
fn hostile_domains_are_refused_and_nothing_is_written() {
    let root = root_with_app();
    add_recorder(&root);
    // apps:create generated it: a refused command must leave it alone too.
    assert!(home(&root, "web/nginx.conf").is_file());
    let before = snapshot(&root, &["web"]);
    let hostile = [
        "a.com;id",
        "$(touch /tmp/pwned)",
        "`id`",
        "a b",
        "a|b",
        "a&b",
        "a>b",
        "a<b",
        "x\ny",
        "a\\b",
        "a'b",
        "a\"b",
        "http://a.com",
        "a/b",
        "../../etc/passwd",
        "a.com.",
        "a_b.com",
        "é.com",
        "*.",
        "a\u{0}b",
    ];
    for bad in hostile {
        if bad.contains('\0') {
            continue; // cannot be an argument at all
        }
        let msg = format!(" !     {bad} is invalid. exiting...\n");
        for cmd in ["domains:add", "domains:set"] {
            // the refused domain after a good one: nothing of either is written
            root.dokku(&[cmd, "web", "ok.com", bad])
                .code(1)
                .stdout("")
                .stderr(&msg);
        }
        for cmd in ["domains:add-global", "domains:set-global"] {
            root.dokku(&[cmd, "ok.com", bad])
                .code(1)
                .stdout("")
                .stderr(&msg);
        }
        assert_eq!(snapshot(&root, &["web"]), before, "{bad:?}");
    }
    root.dokku(&["domains:add", "web", "ok.com", ""])
        .code(1)
        .stderr(" !      is invalid. exiting...\n");
    assert_eq!(snapshot(&root, &["web"]), before);
    // DOKKU_FAIL_EXIT_CODE is honoured, as dokku_log_fail does.
    let out = Run::from(
        root.command(root.bin("dokku"))
            .args(["domains:add", "web", "a;b"])
            .env("DOKKU_FAIL_EXIT_CODE", "3")
            .output()
            .unwrap(),
    );
    out.code(3).stderr(" !     a;b is invalid. exiting...\n");
    assert_eq!(take_log(&root), "", "no trigger fired");
    assert!(!std::path::Path::new("/tmp/pwned").exists());
    // Removing never runs a pattern: a hostile value just matches no line.
    root.dokku(&["domains:remove", "web", ".*"])
        .ok()
        .stdout(&format!(
            "-----> Removed .* from web\n{}",
            nginx_conf(&["web.dokku.me"])
        ))
        .stderr(&no_listeners("web"));
    assert_eq!(read(&root, "web/VHOST").unwrap(), "web.dokku.me\n");
}

#[test]
fn valid_domain_forms() {
    let root = root_with_app();
    root.dokku(&[
        "domains:add",
        "web",
        "www.test.app.dokku.me",
        "2.app.dokku.me",
        "a--domain.with--hyphens",
        ".dokku.me",
        "_",
        "*.dokku.me",
        "UPPER.Example.COM",
        "10.0.0.1",
    ])
    .ok();
    assert_eq!(
        read(&root, "web/VHOST").unwrap(),
        "web.dokku.me\nwww.test.app.dokku.me\n2.app.dokku.me\na--domain.with--hyphens\n.dokku.me\n_\n*.dokku.me\nUPPER.Example.COM\n10.0.0.1\n"
    );
}

#[test]
fn app_domains() {
    let root = root_with_app();
    add_recorder(&root);
    assert_eq!(read(&root, "web/VHOST").unwrap(), "web.dokku.me\n");

    root.dokku(&["domains:add", "web", "a.com", "WWW.B.com", "a.com"])
        .ok()
        .stdout(&format!(
            "-----> Added a.com to web\n-----> Added WWW.B.com to web\n-----> Skipping: a.com already added to web\n{}",
            // upstream's `sort -u` (C locale): upper case first
            nginx_conf(&["WWW.B.com", "a.com", "web.dokku.me"])
        ))
        .stderr(&no_listeners("web"));
    assert_eq!(
        read(&root, "web/VHOST").unwrap(),
        "web.dokku.me\na.com\nWWW.B.com\n"
    );
    assert_eq!(
        take_log(&root),
        "post-domains-update web add a.com WWW.B.com a.com\n"
    );

    root.dokku(&["domains:remove", "web", "a.com", "nothere.com"])
        .ok()
        .stdout(&format!(
            "-----> Removed a.com from web\n-----> Removed nothere.com from web\n{}",
            nginx_conf(&["WWW.B.com", "web.dokku.me"])
        ))
        .stderr(&no_listeners("web"));
    assert_eq!(
        read(&root, "web/VHOST").unwrap(),
        "web.dokku.me\nWWW.B.com\n"
    );
    assert_eq!(
        take_log(&root),
        "post-domains-update web remove a.com nothere.com\n"
    );

    root.dokku(&["domains:set", "web", "x.com", "y.com", "x.com"])
        .ok()
        .stdout(&format!(
            "-----> Set x.com y.com x.com for web\n{}",
            nginx_conf(&["x.com", "y.com"])
        ))
        .stderr(&no_listeners("web"));
    assert_eq!(read(&root, "web/VHOST").unwrap(), "x.com\ny.com\nx.com\n");
    assert_eq!(
        take_log(&root),
        "post-domains-update web set x.com y.com x.com\n"
    );

    // nginx.conf is rebuilt before the message, with no domain left to configure
    root.dokku(&["domains:clear", "web"])
        .ok()
        .stdout(&format!(
            "{}-----> Cleared domains in web\n",
            nginx_conf(&[])
        ))
        .stderr(&no_listeners("web"));
    assert_eq!(read(&root, "web/VHOST"), None);
    assert_eq!(take_log(&root), "post-domains-update web clear\n");

    root.dokku(&["domains:reset", "web"])
        .ok()
        .stdout(&format!(
            "{}-----> Cleared domains in web\n-----> Creating new app virtual host file...\n{}-----> Reset domains for web\n",
            nginx_conf(&[]),
            nginx_conf(&["web.dokku.me"])
        ))
        .stderr(&no_listeners("web").repeat(2));
    assert_eq!(read(&root, "web/VHOST").unwrap(), "web.dokku.me\n");
    assert_eq!(
        take_log(&root),
        "post-domains-update web clear\nnginx-hostname web web dokku.me\npost-domains-update web reset\n"
    );
    // --quiet silences the warning and the quiet messages only
    root.dokku(&["--quiet", "domains:reset", "web"])
        .ok()
        .stdout(&format!(
            "{}-----> Cleared domains in web\n{}",
            nginx_conf(&[]),
            nginx_conf(&["web.dokku.me"])
        ))
        .stderr("");
    take_log(&root);

    // setup keeps an existing file
    root.dokku(&["domains:set", "web", "keep.com"]).ok();
    take_log(&root);
    root.dokku(&["domains:setup", "web"])
        .ok()
        .stdout(&format!(
            "{}-----> Setup domains for web\n",
            nginx_conf(&["keep.com"])
        ))
        .stderr(&no_listeners("web"));
    assert_eq!(read(&root, "web/VHOST").unwrap(), "keep.com\n");
    assert_eq!(take_log(&root), "post-domains-update web reset\n");
    std::fs::remove_file(home(&root, "web/VHOST")).unwrap();
    root.dokku(&["domains:setup", "web"])
        .ok()
        .stdout(&format!(
            "-----> Creating new app virtual host file...\n{}-----> Setup domains for web\n",
            nginx_conf(&["web.dokku.me"])
        ))
        .stderr(&no_listeners("web"));
    assert_eq!(read(&root, "web/VHOST").unwrap(), "web.dokku.me\n");
    let mode = std::os::unix::fs::PermissionsExt::mode(
        &std::fs::metadata(home(&root, "web/VHOST"))
            .unwrap()
            .permissions(),
    );
    assert_eq!(mode & 0o777, 0o644);
}

#[test]
fn app_file_from_a_real_dokku_is_kept() {
    let root = root_with_app();
    write(&root, "web/VHOST", "a.com\r\nb.com\n\nc.com");
    std::fs::set_permissions(
        home(&root, "web/VHOST"),
        std::os::unix::fs::PermissionsExt::from_mode(0o640),
    )
    .unwrap();
    // Upstream splits the domains on spaces, tabs and newlines only (`tr`, `xargs`): the
    // CR stays in the first one, in the log line and in nginx.conf.
    root.dokku(&["domains:add", "web", "c.com"])
        .ok()
        .stdout(&format!(
            "-----> Skipping: c.com already added to web\n{}",
            nginx_conf(&["a.com\r", "b.com", "c.com"])
        ))
        .stderr(&no_listeners("web"));
    assert!(read(&root, "web/nginx.conf")
        .unwrap()
        .contains("server_name a.com\r b.com c.com;"));
    assert_eq!(read(&root, "web/VHOST").unwrap(), "a.com\r\nb.com\n\nc.com");
    root.dokku(&["domains:add", "web", "d.com"]).ok();
    assert_eq!(
        read(&root, "web/VHOST").unwrap(),
        "a.com\r\nb.com\n\nc.com\nd.com\n"
    );
    root.dokku(&["domains:remove", "web", "b.com"]).ok();
    assert_eq!(
        read(&root, "web/VHOST").unwrap(),
        "a.com\r\n\nc.com\nd.com\n"
    );
    // an existing file keeps its mode
    let mode = std::os::unix::fs::PermissionsExt::mode(
        &std::fs::metadata(home(&root, "web/VHOST"))
            .unwrap()
            .permissions(),
    );
    assert_eq!(mode & 0o777, 0o640);
    root.dokku(&["domains:report", "web", "--domains-app-vhosts"])
        .ok()
        .stdout("a.com c.com d.com\n");
}

#[test]
fn clear_all() {
    let root = Root::new();
    root.dokku(&["domains:clear", "--all"])
        .ok()
        .stdout("")
        .stderr(" !     You haven't deployed any applications yet\n");
    write(&root, "VHOST", "dokku.me\n");
    root.dokku(&["apps:create", "web"]).ok();
    root.dokku(&["apps:create", "api"]).ok();
    root.dokku(&["domains:clear", "--all"])
        .ok()
        .stdout(&format!(
            "{0}-----> Cleared domains in api\n{0}-----> Cleared domains in web\n",
            nginx_conf(&[])
        ))
        .stderr(&format!("{}{}", no_listeners("api"), no_listeners("web")));
    assert_eq!(read(&root, "web/VHOST"), None);
    assert_eq!(read(&root, "api/VHOST"), None);
}

#[test]
fn disable_and_enable() {
    let root = root_with_app();
    add_recorder(&root);
    assert_eq!(no_vhost(&root, "web"), "");

    // nginx-vhosts' pre-disable-vhost drops the app's port 80, so the ports plugin picks
    // a free high port when nginx.conf is rebuilt.
    let out = root.dokku(&["domains:disable", "web"]);
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
    assert_eq!(read(&root, "web/VHOST"), None);
    assert_eq!(no_vhost(&root, "web"), "1");
    assert_eq!(
        take_log(&root),
        "pre-disable-vhost web\npost-domains-update web disable\n"
    );

    root.dokku(&["domains:disable", "web"])
        .ok()
        .stdout("-----> Domains (VHOST) support is already disabled for app (web)\n");
    assert_eq!(read(&root, "web/VHOST").unwrap(), "");
    assert_eq!(take_log(&root), "");

    root.dokku(&["domains:enable", "web"])
        .ok()
        .stdout("")
        .stderr("");
    assert_eq!(read(&root, "web/VHOST").unwrap(), "web.dokku.me\n");
    assert_eq!(no_vhost(&root, "web"), "0");
    // enable restarts (through config) instead of firing post-domains-update
    assert_eq!(
        take_log(&root),
        "nginx-hostname web web dokku.me\npre-enable-vhost web\n"
    );

    root.dokku(&["domains:enable", "web"])
        .ok()
        .stdout("-----> Domains (VHOST) support is already enabled for app (web)\n");
    assert_eq!(read(&root, "web/VHOST").unwrap(), "web.dokku.me\n");

    // Without global domains, enabling keeps whatever file there is.
    root.dokku(&["domains:disable", "web"]).ok();
    root.dokku(&["domains:clear-global"]).ok();
    take_log(&root);
    root.dokku(&["domains:enable", "web"]).ok().stdout("");
    assert_eq!(read(&root, "web/VHOST").unwrap(), "");
    assert_eq!(no_vhost(&root, "web"), "0");
    assert_eq!(take_log(&root), "pre-enable-vhost web\n");
}

#[test]
fn adding_to_a_disabled_app_enables_it_and_keeps_the_domains() {
    let root = root_with_app();
    add_recorder(&root);
    root.dokku(&["domains:disable", "web"]).ok();
    take_log(&root);
    // nginx.conf is rebuilt twice: once on enable, once for the added domain
    root.dokku(&["domains:add", "web", "a.com"])
        .ok()
        .stdout(&format!(
            "-----> Added a.com to web\n{}",
            nginx_conf(&["a.com"]).repeat(2)
        ))
        .stderr(&no_listeners("web").repeat(2));
    assert_eq!(read(&root, "web/VHOST").unwrap(), "a.com\n");
    assert_eq!(no_vhost(&root, "web"), "0");
    assert_eq!(
        take_log(&root),
        "pre-enable-vhost web\npost-domains-update web enable\npost-domains-update web add a.com\n"
    );

    root.dokku(&["domains:disable", "web"]).ok();
    take_log(&root);
    root.dokku(&["domains:set", "web", "b.com", "c.com"])
        .ok()
        .stdout(&format!(
            "-----> Set b.com c.com for web\n{}",
            nginx_conf(&["b.com", "c.com"]).repeat(2)
        ))
        .stderr(&no_listeners("web").repeat(2));
    assert_eq!(read(&root, "web/VHOST").unwrap(), "b.com\nc.com\n");
    assert_eq!(no_vhost(&root, "web"), "0");
    assert_eq!(
        take_log(&root),
        "pre-enable-vhost web\npost-domains-update web enable\npost-domains-update web set b.com c.com\n"
    );
}

#[test]
fn default_domains_of_new_apps() {
    let root = Root::new();
    add_recorder(&root);
    // IP addresses in the global file are skipped; surrounding blanks are trimmed.
    write(&root, "VHOST", "dokku.me\n10.0.0.1\n::1\n  other.org\t\n");
    root.dokku(&["apps:create", "web"])
        .ok()
        .stdout_has("-----> Creating new app virtual host file...\n");
    assert_eq!(
        read(&root, "web/VHOST").unwrap(),
        "web.dokku.me\nweb.other.org\n"
    );
    assert_eq!(
        take_log(&root),
        "nginx-hostname web web dokku.me\nnginx-hostname web web other.org\n"
    );

    // An app name with a dot is used as it is.
    write(&root, "VHOST", "dokku.test\n");
    root.dokku(&["--quiet", "apps:create", "test.dokku.test"])
        .ok();
    assert_eq!(
        read(&root, "test.dokku.test/VHOST").unwrap(),
        "test.dokku.test\n"
    );
    assert_eq!(
        take_log(&root),
        "nginx-hostname test.dokku.test test dokku.test\n"
    );

    // The nginx-hostname trigger may choose the name.
    write(&root, "NGINX_HOSTNAME", "custom.host\n");
    root.dokku(&["apps:create", "api"]).ok();
    assert_eq!(read(&root, "api/VHOST").unwrap(), "custom.host\n");
    std::fs::remove_file(home(&root, "NGINX_HOSTNAME")).unwrap();
    take_log(&root);

    // Without a usable global domain the app's vhost support is turned off.
    for global in [None, Some(""), Some("10.0.0.1\n"), Some("not valid!\n")] {
        match global {
            None => {
                let _ = std::fs::remove_file(home(&root, "VHOST"));
            }
            Some(content) => write(&root, "VHOST", content),
        }
        root.dokku(&["apps:destroy", "--force", "app2"]);
        let out = root.dokku(&["apps:create", "app2"]);
        out.ok()
            .stdout_has("-----> Global server virtual host not set, disabling app vhost...\n");
        assert_eq!(read(&root, "app2/VHOST"), None, "{global:?}");
        assert_eq!(no_vhost(&root, "app2"), "1", "{global:?}");
        assert!(
            take_log(&root).contains("pre-disable-vhost app2\npost-domains-update app2 disable\n")
        );
    }

    // post-create skips an app whose vhost support is already off.
    write(&root, "VHOST", "dokku.me\n");
    root.dokku(&["plugin:trigger", "post-create", "app2"])
        .ok()
        .stdout(&format!(
            "-----> App virtual host support disabled, skipping domain setup\n{}",
            nginx_conf(&[])
        ))
        .stderr(&no_listeners("app2"));
    assert_eq!(read(&root, "app2/VHOST"), None);
}

#[test]
fn concurrent_adds_lose_nothing() {
    let root = root_with_app();
    let children: Vec<_> = (0..16)
        .map(|i| {
            let domain = format!("d{i}.example.com");
            let global = format!("g{i}.example.com");
            let app = root
                .command(root.bin("dokku"))
                .args(["domains:add", "web", &domain])
                .stdout(std::process::Stdio::null())
                .spawn()
                .unwrap();
            let glob = root
                .command(root.bin("dokku"))
                .args(["domains:add-global", &global])
                .stdout(std::process::Stdio::null())
                .spawn()
                .unwrap();
            [app, glob]
        })
        .collect();
    for mut child in children.into_iter().flatten() {
        assert!(child.wait().unwrap().success());
    }
    let app = read(&root, "web/VHOST").unwrap();
    let global = read(&root, "VHOST").unwrap();
    assert_eq!(app.lines().count(), 17, "{app}");
    assert_eq!(global.lines().count(), 17, "{global}");
    for i in 0..16 {
        assert!(app.lines().any(|l| l == format!("d{i}.example.com")));
        assert!(global.lines().any(|l| l == format!("g{i}.example.com")));
    }
    // no temporary file is left behind
    let leftovers: Vec<_> = std::fs::read_dir(home(&root, "web"))
        .unwrap()
        .chain(std::fs::read_dir(root.home()).unwrap())
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains("dokku-tmp"))
        .collect();
    assert!(leftovers.is_empty());
}
