//! Generating `nginx.conf`: the placeholder of a new app, domains, ports, certificates,
//! deployed apps, a disabled proxy and plugin-supplied templates. The expected configs in
//! `tests/expected/` were rendered from upstream's `templates/nginx.conf.sigil` (dokku
//! 0.38.27) with the parameters its bash passes for each case; `{ROOT}`, `{LIB}`, `{PAGE}`
//! and `{PAGE2}` stand for the root's paths and the page size.

mod common;

use std::fs;
use std::process::Command;

use common::*;

fn expected(root: &Root, name: &str) -> String {
    let text = match name {
        "no_domain" => include_str!("expected/no_domain.conf"),
        "one_domain" => include_str!("expected/one_domain.conf"),
        "two_domains" => include_str!("expected/two_domains.conf"),
        "https" => include_str!("expected/https.conf"),
        "deployed" => include_str!("expected/deployed.conf"),
        "deployed_https" => include_str!("expected/deployed_https.conf"),
        _ => unreachable!(),
    };
    let page = page_kib();
    text.replace("{ROOT}", &root.home().to_string_lossy())
        .replace("{LIB}", &root.lib().to_string_lossy())
        .replace("{PAGE2}", &(page * 2).to_string())
        .replace("{PAGE}", &page.to_string())
}

fn conf(root: &Root, app: &str) -> String {
    fs::read_to_string(conf_path(root, app)).unwrap_or_default()
}

/// A fixture root whose apps get `<app>.example.com`, with the service command in use.
fn vhost_root() -> Root {
    let root = root();
    use_service(&root);
    root.dokku(&["domains:set-global", "example.com"]).ok();
    take(&root);
    root
}

/// A self-signed certificate for `web.example.com` (and `*.example.com`).
fn certificate(root: &Root) -> (String, String) {
    let dir = root.dir.join("cert");
    fs::create_dir_all(&dir).unwrap();
    let (crt, key) = (dir.join("server.crt"), dir.join("server.key"));
    let out = Command::new("openssl")
        .args(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2"])
        .arg("-keyout")
        .arg(&key)
        .arg("-out")
        .arg(&crt)
        .args(["-subj", "/CN=web.example.com"])
        .args(["-addext", "subjectAltName=DNS:web.example.com,DNS:*.example.com"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    (
        crt.to_string_lossy().into_owned(),
        key.to_string_lossy().into_owned(),
    )
}

#[test]
fn placeholder_without_domains() {
    let root = root();
    use_service(&root);
    take(&root);
    // Without a global domain the app gets a random port; pin it to 80.
    root.dokku(&["apps:create", "web"])
        .ok()
        .stdout_has("-----> Creating http nginx.conf\n       Reloading nginx\n")
        .stderr_has(" !     No web listeners specified for web\n");
    assert!(conf_path(&root, "web").is_file());
    root.dokku(&["ports:set", "web", "http:80:5000"])
        .ok()
        .stdout("-----> Creating http nginx.conf\n       Reloading nginx\n");
    assert_eq!(conf(&root, "web"), expected(&root, "no_domain"));
    assert!(root.home().join("web/nginx.conf.d").is_dir());
    let calls = take(&root);
    let n = root.bin("nginx");
    assert!(
        calls.ends_with(&format!(
            "nginx -v\nsudo {n} -t\nnginx -t\nservice reload\n",
            n = n.display()
        )),
        "{calls}"
    );
}

#[test]
fn placeholder_with_domains() {
    let root = vhost_root();
    root.dokku(&["apps:create", "web"]).ok().stdout(
        "-----> Creating web...\n-----> Creating new app virtual host file...\n-----> Configuring web.example.com...(using built-in template)\n-----> Creating http nginx.conf\n       Reloading nginx\n",
    );
    assert_eq!(conf(&root, "web"), expected(&root, "one_domain"));

    root.dokku(&["domains:add", "web", "api.example.com"]).ok().stdout(
        "-----> Added api.example.com to web\n-----> Configuring api.example.com...(using built-in template)\n-----> Configuring web.example.com...(using built-in template)\n-----> Creating http nginx.conf\n       Reloading nginx\n",
    );
    assert_eq!(conf(&root, "web"), expected(&root, "two_domains"));

    // proxy:build-config writes the same file again.
    fs::remove_file(conf_path(&root, "web")).unwrap();
    root.dokku(&["proxy:build-config", "web"]).ok();
    assert_eq!(conf(&root, "web"), expected(&root, "two_domains"));

    // nginx:stop keeps new apps from getting a config.
    root.dokku(&["nginx:stop"]).ok();
    root.dokku(&["apps:create", "api"]).ok();
    assert!(!conf_path(&root, "api").exists());
}

#[test]
fn https_ports_need_a_certificate() {
    let root = vhost_root();
    root.dokku(&["apps:create", "web"]).ok();
    root.dokku(&["ports:set", "web", "http:80:5000", "https:443:5000"])
        .ok()
        .stderr_has(" !     Ignoring detected https port mapping without an accompanying ssl certificate (https:443:5000)\n");
    assert_eq!(conf(&root, "web"), expected(&root, "one_domain"));

    let (crt, key) = certificate(&root);
    root.dokku(&["certs:add", "web", &crt, &key])
        .ok()
        .stdout_has("-----> Configuring web.example.com...(using built-in template)\n-----> Creating https nginx.conf\n       Reloading nginx\n");
    assert_eq!(conf(&root, "web"), expected(&root, "https"));

    root.dokku(&["certs:remove", "web"]).ok();
    assert_eq!(conf(&root, "web"), expected(&root, "one_domain"));
}

/// Deploy state without containers: the `deployed` property and a static web listener,
/// which spares the image check.
#[test]
fn deployed_app() {
    let root = vhost_root();
    root.dokku(&["apps:create", "web"]).ok();
    root.dokku(&["network:set", "web", "static-web-listener", "172.17.0.9:5000"])
        .ok();
    dokku_rs_testkit::support::mark_deployed(&root, "web");
    take(&root);
    root.dokku(&["proxy:build-config", "web"]).ok().stdout(
        "-----> Configuring web.example.com...(using built-in template)\n-----> Creating http nginx.conf\n       Reloading nginx\n",
    );
    assert_eq!(conf(&root, "web"), expected(&root, "deployed"));
    assert!(!root.home().join("web/nginx.conf.d/hsts.conf").exists());

    let (crt, key) = certificate(&root);
    root.dokku(&["ports:set", "web", "http:80:5000", "https:443:5000"])
        .ok();
    root.dokku(&["certs:add", "web", &crt, &key])
        .ok()
        .stdout_has("-----> Creating https nginx.conf\n       Enabling HSTS (using built-in template)\n       Reloading nginx\n");
    assert_eq!(conf(&root, "web"), expected(&root, "deployed_https"));
    assert_eq!(
        fs::read_to_string(root.home().join("web/nginx.conf.d/hsts.conf")).unwrap(),
        "add_header Strict-Transport-Security \"max-age=15724800; includeSubdomains\" always;\n"
    );
    root.dokku(&["nginx:set", "web", "hsts", "false"]).ok();
    root.dokku(&["proxy:build-config", "web"]).ok();
    assert!(!root.home().join("web/nginx.conf.d/hsts.conf").exists());

    // The app's own nginx.conf.sigil from this deploy is used, then kept.
    let kept = root.lib().join("data/nginx-vhosts/app-web");
    fs::create_dir_all(&kept).unwrap();
    fs::write(
        kept.join("nginx.conf.sigil.4242"),
        "# {{ $.APP }} on {{ $.DOKKU_APP_WEB_LISTENERS }} via {{ $.NGINX_PORT }}\n",
    )
    .unwrap();
    dokku_env(&root, &["proxy:build-config", "web"], &[("DOKKU_PID", "4242")])
        .ok()
        .stdout_has("-----> Overriding default nginx.conf with detected nginx.conf.sigil\n# {{ $.APP }} on {{ $.DOKKU_APP_WEB_LISTENERS }} via {{ $.NGINX_PORT }}\n-----> Configuring web.example.com...(using app-supplied template)\n")
        .stderr_has(" !     Deprecated: Usage of NGINX_PORT within nginx.conf.sigil templates is deprecated in favor of PROXY_PORT\n");
    assert_eq!(conf(&root, "web"), "# web on 172.17.0.9:5000 via 80\n");
    assert!(kept.join("nginx.conf.sigil").is_file());
    assert!(!kept.join("nginx.conf.sigil.4242").exists());
}

/// A deployed app routed by its `IP.web.1`/`PORT.web.1` files needs its image.
#[test]
fn deployed_app_needs_its_image() {
    let root = vhost_root();
    root.dokku(&["apps:create", "web"]).ok();
    fs::write(root.home().join("web/IP.web.1"), "172.17.0.9\n").unwrap();
    fs::write(root.home().join("web/PORT.web.1"), "5000\n").unwrap();
    dokku_rs_testkit::support::mark_deployed(&root, "web");
    fs::remove_file(conf_path(&root, "web")).unwrap();
    root.dokku(&["proxy:build-config", "web"])
        .code(1)
        .stderr_has(" !     Missing image for app\n");
    assert!(!conf_path(&root, "web").exists());
}

#[test]
fn disabled_proxy_removes_the_config() {
    let root = vhost_root();
    root.dokku(&["apps:create", "web"]).ok();
    assert!(conf_path(&root, "web").is_file());
    root.dokku(&["proxy:disable", "web"])
        .ok()
        .stdout_has("-----> Nginx support is disabled for app (web)\n-----> Deleting nginx.conf\n");
    assert!(!conf_path(&root, "web").exists());
    root.dokku(&["proxy:build-config", "web"])
        .ok()
        .stdout("-----> Nginx support is disabled for app (web)\n");
    root.dokku(&["proxy:enable", "web"]).ok();
    assert_eq!(conf(&root, "web"), expected(&root, "one_domain"));
}

#[test]
fn plugin_supplied_template() {
    let root = vhost_root();
    let template = root.dir.join("custom.sigil");
    fs::write(
        &template,
        "server_name {{ $.NOSSL_SERVER_NAME }}; # {{ $.PROXY_PORT_MAP }}\n\n\n{{ if not $.DOKKU_APP_WEB_LISTENERS }}return 502;{{ end }}\n",
    )
    .unwrap();
    root.write_exec(
        "lib/plugins/available/custom-nginx/plugin.toml",
        "[plugin]\ndescription = \"custom nginx template\"\nversion = \"0.1.0\"\n[plugin.config]\n",
    );
    root.write_exec(
        "lib/plugins/available/custom-nginx/nginx-app-template-source",
        &format!(
            "#!/usr/bin/env bash\n[[ \"$2\" == app-config ]] && echo \"{}\"\nexit 0\n",
            template.display()
        ),
    );
    root.plugn(&["enable", "custom-nginx"]).ok();
    root.dokku(&["apps:create", "web"]).ok().stdout(
        "-----> Creating web...\n-----> Creating new app virtual host file...\n-----> Configuring web.example.com...(using plugin-supplied template)\n-----> Creating http nginx.conf\n       Reloading nginx\n",
    );
    assert_eq!(
        conf(&root, "web"),
        "server_name web.example.com; # http:80:5000\n\nreturn 502;\n"
    );
}

/// The bash library's `nginx_build_config` runs the same code.
#[test]
fn bash_nginx_build_config() {
    let root = vhost_root();
    root.dokku(&["apps:create", "web"]).ok();
    fs::remove_file(conf_path(&root, "web")).unwrap();
    bash(
        &root,
        "source \"$PLUGIN_AVAILABLE_PATH/nginx-vhosts/functions\" && nginx_build_config web",
        &[],
    )
    .ok()
    .stdout_has("-----> Creating http nginx.conf\n");
    assert_eq!(conf(&root, "web"), expected(&root, "one_domain"));
}
