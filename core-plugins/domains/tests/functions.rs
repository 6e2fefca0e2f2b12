//! The bash `functions` library, sourced by a community-style plugin under
//! `set -eo pipefail` as letsencrypt and monit do.

mod common;

use common::*;

const FIXTURE: &str = r#"#!/usr/bin/env bash
source "$PLUGIN_AVAILABLE_PATH/domains/functions"
set -eo pipefail

case "$1" in
  fixture:show)
    APP="$2"
    echo "enabled=$(is_app_vhost_enabled "$APP")"
    echo "global=$(is_global_vhost_enabled)"
    echo "domains:"
    get_app_domains "$APP"
    echo "defaults:"
    get_default_vhosts "$APP"
    echo "globals:"
    get_global_vhosts
    for name in A.Example.com '_' '*.x.io' 'a;b' 'a b' '' 'x.'; do
      if is_valid_hostname "$name"; then echo "valid [$name]"; else echo "invalid [$name]"; fi
    done
    # common and config functions come along, as upstream's file sources them
    dokku_log_info1 "logged"
    type config_get >/dev/null && echo "config functions present"
    ;;
  fixture:add)
    shift
    domains_add "$@"
    echo "after add"
    ;;
  fixture:set-global)
    shift
    domains_set_global "$@"
    echo "after set-global"
    ;;
  fixture:toggle)
    domains_disable "$2"
    echo "enabled=$(is_app_vhost_enabled "$2")"
    domains_enable "$2" --no-restart
    echo "enabled=$(is_app_vhost_enabled "$2")"
    disable_app_vhost "$2" --no-restart
    enable_app_vhost "$2" --no-restart
    echo "enabled=$(is_app_vhost_enabled "$2")"
    ;;
  fixture:misc)
    domains_remove "$2" b.com
    domains_set "$2" x.com y.com
    fn-domains-clear-app "$2"
    domains_setup "$2"
    fn-domains-clear --all
    fn-domains-enable "$2"
    domains_add_global extra.org
    domains_remove_global extra.org
    domains_clear_global
    echo "globals=[$(get_global_vhosts)]"
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
        "[plugin]\ndescription = \"domains functions fixture\"\nversion = \"0.1.0\"\n[plugin.config]\n",
    );
    root.write_exec("lib/plugins/available/fixture/commands", FIXTURE);
    root.plugn(&["enable", "fixture"]).ok();
    root
}

#[test]
fn queries() {
    let root = root_with_fixture();
    write(&root, "VHOST", "dokku.me\n10.0.0.1\n\n");
    root.dokku(&["fixture:show", "web"]).ok().stderr("").stdout(
        "enabled=true
global=true
domains:
web.dokku.me
defaults:
web.dokku.me
globals:
dokku.me
10.0.0.1
valid [A.Example.com]
valid [_]
valid [*.x.io]
invalid [a;b]
invalid [a b]
invalid []
invalid [x.]
-----> logged
config functions present
",
    );
    root.dokku(&["domains:disable", "web"]).ok();
    write(&root, "VHOST", "");
    root.dokku(&["fixture:show", "web"]).ok().stdout_has(
        "enabled=false\nglobal=false\ndomains:\ndefaults:\nglobals:\n\nvalid [A.Example.com]",
    );
}

#[test]
fn failures_end_the_calling_script() {
    let root = root_with_fixture();
    let before = snapshot(&root, &["web"]);
    root.dokku(&["fixture:add", "web", "ok.com", "$(id)"])
        .code(1)
        .stdout("")
        .stderr(" !     $(id) is invalid. exiting...\n");
    root.dokku(&["fixture:set-global", "a|b"])
        .code(1)
        .stdout("")
        .stderr(" !     a|b is invalid. exiting...\n");
    assert_eq!(snapshot(&root, &["web"]), before);
    root.dokku(&["fixture:add", "web", "ok.com"])
        .ok()
        .stdout(&format!(
            "-----> Added ok.com to web\n{}after add\n",
            nginx_conf(&["ok.com", "web.dokku.me"])
        ))
        .stderr(&no_listeners("web"));
    assert_eq!(read(&root, "web/VHOST").unwrap(), "web.dokku.me\nok.com\n");
}

#[test]
fn mutations() {
    let root = root_with_fixture();
    add_recorder(&root);
    // Each change rebuilds nginx.conf. Turning vhost support off drops the app's port 80
    // (nginx-vhosts' pre-disable-vhost), so the ports plugin picks a free high port.
    let out = root.dokku(&["fixture:toggle", "web"]);
    out.ok().stderr(&no_listeners("web").repeat(4));
    let (stdout, ports) = random_ports(&out.stdout);
    let disabled = format!(
        "-----> App virtual host support disabled\n\
         -----> No port set, setting to random open high port\n\
         -----> Random port N\n{}",
        nginx_conf(&[])
    );
    assert_eq!(
        stdout,
        format!(
            "{disabled}enabled=false\n{}enabled=true\n{disabled}{}enabled=true\n",
            nginx_conf(&["web.dokku.me"]),
            nginx_conf(&[])
        )
    );
    assert_eq!(ports.len(), 2);
    // enabled again: back to port 80
    assert_eq!(proxy_port(&root, "web"), "80");
    assert_eq!(
        read(&root, "web/VHOST"),
        None,
        "disable_app_vhost removed it again"
    );
    assert_eq!(
        take_log(&root),
        "pre-disable-vhost web\npost-domains-update web disable\n\
         nginx-hostname web web dokku.me\npre-enable-vhost web\npost-domains-update web enable\n\
         pre-disable-vhost web\npost-domains-update web disable\n\
         pre-enable-vhost web\npost-domains-update web enable\n"
    );

    root.dokku(&["domains:set", "web", "a.com", "b.com"]).ok();
    root.dokku(&["fixture:misc", "web"])
        .ok()
        .stderr(&no_listeners("web").repeat(4))
        .stdout(&format!(
            "-----> Removed b.com from web
{}-----> Set x.com y.com for web
{}{}-----> Cleared domains in web
-----> Creating new app virtual host file...
{}-----> Cleared domains in web
-----> Domains (VHOST) support is already enabled for app (web)
-----> Added extra.org
-----> Removed extra.org
globals=[]
",
            nginx_conf(&["a.com"]),
            nginx_conf(&["x.com", "y.com"]),
            nginx_conf(&[]),
            nginx_conf(&[]),
        ));
    assert_eq!(read(&root, "web/VHOST").unwrap(), "");
    assert_eq!(read(&root, "VHOST").unwrap(), "");
}
