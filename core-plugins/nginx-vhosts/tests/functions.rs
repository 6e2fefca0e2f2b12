//! The bash `functions` and `internal-functions` libraries, sourced by a community-style
//! plugin under `set -eo pipefail` as http-auth, maintenance and letsencrypt do.

mod common;

use std::fs;

use common::*;

const FIXTURE: &str = r#"#!/usr/bin/env bash
source "$PLUGIN_AVAILABLE_PATH/nginx-vhosts/functions"
set -eo pipefail

case "$1" in
  fixture:props)
    APP="$2"
    echo "format=[$(fn-nginx-access-log-format "$APP")]"
    echo "computed-format=[$(fn-nginx-computed-access-log-format "$APP")]"
    echo "path=[$(fn-nginx-computed-access-log-path "$APP")]"
    echo "error=[$(fn-nginx-computed-error-log-path "$APP")]"
    echo "global-size=[$(fn-nginx-global-client-max-body-size "$APP")]"
    echo "size=[$(fn-nginx-client-max-body-size "$APP")]"
    echo "computed-size=[$(fn-nginx-computed-client-max-body-size "$APP")]"
    echo "hsts=[$(fn-nginx-computed-hsts "$APP")]"
    echo "sigil=[$(fn-nginx-global-nginx-conf-sigil-path "$APP")]"
    echo "root=[$(fn-nginx-log-root)]"
    echo "visited=[$(fn-nginx-vhosts-last-visited-at "$APP")]"
    echo "push=$(is_http2_push_enabled 1.13.9) $(is_http2_push_enabled 1.13.8) $(is_http2_push_enabled 1.24.0) $(is_http2_push_enabled 1.25.0) $(is_http2_push_enabled 2.0)"
    echo "directive=$(is_http2_directive_supported 1.25.1) $(is_http2_directive_supported 1.25.0) $(is_http2_directive_supported 1.26) $(is_http2_directive_supported 0.9)"
    type config_get >/dev/null && echo "config functions present"
    ;;
  fixture:location)
    echo "nginx at $(get_nginx_location)"
    ;;
  fixture:restart)
    # Like maintenance: the global APP decides, not the argument.
    APP="$2" restart_nginx "ignored"
    echo "after restart"
    ;;
  fixture:validate)
    validate_nginx "$2" "$3"
    echo "after validate"
    ;;
  fixture:logs)
    nginx_logs "nginx:$2" "$3"
    ;;
  fixture:internal)
    APP="$2"
    fn-nginx-vhosts-nginx-init-cmd reload
    if fn-nginx-vhosts-nginx-is-running; then echo running; else echo "not running"; fi
    nginx_clear_config "$APP"
    echo "cleared"
    ;;
  *)
    exit "$DOKKU_NOT_IMPLEMENTED_EXIT"
    ;;
esac
"#;

fn root_with_fixture() -> Root {
    let root = root_with_app();
    root.write_exec(
        "lib/plugins/available/fixture/plugin.toml",
        "[plugin]\ndescription = \"nginx functions fixture\"\nversion = \"0.1.0\"\n[plugin.config]\n",
    );
    root.write_exec("lib/plugins/available/fixture/commands", FIXTURE);
    root.plugn(&["enable", "fixture"]).ok();
    root
}

#[test]
fn property_getters_and_pure_helpers() {
    let root = root_with_fixture();
    root.dokku(&["nginx:set", "--global", "client-max-body-size", "8m"])
        .ok();
    root.dokku(&["nginx:set", "web", "access-log-format", "combined"])
        .ok();
    let log = root.dir.join("access.log");
    fs::write(&log, "x\n").unwrap();
    std::process::Command::new("touch")
        .args(["-d", "@1600000000"])
        .arg(&log)
        .status()
        .unwrap();
    root.dokku(&[
        "nginx:set",
        "web",
        "access-log-path",
        &log.to_string_lossy(),
    ])
    .ok();
    root.dokku(&["fixture:props", "web"]).ok().stderr("").stdout(&format!(
        "format=[combined]\ncomputed-format=[combined]\npath=[{log}]\nerror=[/var/log/nginx/web-error.log]\n\
         global-size=[8m]\nsize=[]\ncomputed-size=[8m]\nhsts=[true]\nsigil=[]\nroot=[/var/log/nginx]\n\
         visited=[1600000000]\npush=true false true false true\ndirective=true false true false\n\
         config functions present\n",
        log = log.display()
    ));
}

#[test]
fn service_helpers() {
    let root = root_with_fixture();
    let nginx = root.bin("nginx");
    root.dokku(&["fixture:location"])
        .ok()
        .stdout(&format!("nginx at {}\n", nginx.display()));

    use_service(&root);
    take(&root);
    root.dokku(&["fixture:restart", "web"])
        .ok()
        .stdout("service reload done\nafter restart\n");
    assert_eq!(take(&root), "service reload\n");
    // Disabled proxy or another proxy type: no reload.
    root.dokku(&["proxy:disable", "web"]).ok();
    take(&root);
    root.dokku(&["fixture:restart", "web"])
        .ok()
        .stdout("after restart\n");
    assert_eq!(take(&root), "");

    fs::write(conf_path(&root, "web"), "broken\n").unwrap();
    root.dokku(&["fixture:validate"])
        .ok()
        .stdout("after validate\n");
    control(&root, "nginx-broken", "");
    // validate_nginx ends the caller with nginx's status.
    root.dokku(&["fixture:validate", "--clean"])
        .code(1)
        .stdout("broken\n")
        .stderr(
            " !     Failed to validate nginx config for web. Contents below...\n\
             \x20!     Removing invalid nginx file\n\
             nginx: configuration file test failed\n",
        );
    assert!(!conf_path(&root, "web").exists());
    remove_control(&root, "nginx-broken");

    fs::write(conf_path(&root, "web"), "server {}\n").unwrap();
    take(&root);
    dokku_env(&root, &["fixture:internal", "web"], &[])
        .ok()
        .stdout_has("service reload done\n")
        .stdout_has("cleared\n");
    assert!(!conf_path(&root, "web").exists());
}

#[test]
fn logs_helper() {
    let root = root_with_fixture();
    let log = root.dir.join("error.log");
    fs::write(&log, "a\nb\n").unwrap();
    root.dokku(&["nginx:set", "web", "error-log-path", &log.to_string_lossy()])
        .ok();
    root.dokku(&["fixture:logs", "error-logs", "web"])
        .ok()
        .stdout("a\nb\n");
    root.dokku(&["nginx:set", "web", "error-log-path", "off"])
        .ok();
    root.dokku(&["fixture:logs", "error-logs", "web"])
        .code(1)
        .stderr(" !     error logs are disabled for this app\n");
}

#[test]
fn libraries_source_cleanly() {
    let root = root_with_app();
    let out = bash(
        &root,
        r#"set -eo pipefail
source "$PLUGIN_CORE_AVAILABLE_PATH/nginx-vhosts/internal-functions"
for f in fn-nginx-proxy-keepalive fn-nginx-computed-x-forwarded-ssl fn-nginx-global-hsts-max-age \
  fn-nginx-vhosts-nginx-location fn-nginx-vhosts-nginx-init-cmd fn-nginx-vhosts-nginx-is-running \
  nginx_vhosts_validate_single_func nginx_vhosts_is_valid_nginx_config_func \
  nginx_vhosts_conf_clean_func nginx_clear_config fn-get-property fn-nginx-vhosts-uses-openresty; do
  declare -F "$f" >/dev/null || { echo "missing $f"; exit 1; }
done
source "$PLUGIN_AVAILABLE_PATH/nginx-vhosts/functions"
for f in get_nginx_location validate_nginx restart_nginx nginx_logs is_http2_push_enabled; do
  declare -F "$f" >/dev/null || { echo "missing $f"; exit 1; }
done
echo "max-age=$(fn-nginx-computed-hsts-max-age web)"
"#,
        &[],
    );
    out.ok().stdout("max-age=15724800\n").stderr("");
}
