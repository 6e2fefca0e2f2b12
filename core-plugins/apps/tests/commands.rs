//! `apps:*` through the real `dokku` entry point in a temporary install: every command's
//! output, exit status and stored files.

mod common;

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::time::{SystemTime, UNIX_EPOCH};

use common::*;
use dokku_rs_testkit::Root;

const USAGE: &str = "Usage: dokku apps[:COMMAND]\n\nManage apps\n\nAdditional commands:\n\
\x20   apps:clone <old-app> <new-app>         Clones an app\n\
\x20   apps:create <app>                      Create a new app\n\
\x20   apps:destroy <app>                     Permanently destroy an app\n\
\x20   apps:exists <app>                      Checks if an app exists\n\
\x20   apps:list [--format stdout|json]       List your apps\n\
\x20   apps:lock <app>                        Locks an app for deployment\n\
\x20   apps:locked <app>                      Checks if an app is locked for deployment\n\
\x20   apps:rename <old-app> <new-app>        Rename an app\n\
\x20   apps:report [<app>] [<flag>]           Display report about an app\n\
\x20   apps:set <app>|--global <key> <value>  Set or clear an apps property\n\
\x20   apps:unlock <app>                      Unlocks an app for deployment\n";

const NO_APPS: &str = " !     You haven't deployed any applications yet\n";

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

#[test]
fn help_texts() {
    let root = common::root();
    root.dokku(&["apps:help"]).ok().stdout(USAGE).stderr("");
    // The bare command lists apps; any flag is an error of Go's flag package.
    root.dokku(&["apps", "-x"])
        .code(2)
        .stdout(USAGE)
        .stderr("flag provided but not defined: -x\n");
    root.dokku(&["apps", "--help"]).ok().stdout(USAGE);
    // Subcommands use pflag: usage on stderr, exit 0.
    root.dokku(&["apps:clone", "--help"])
        .ok()
        .stdout("")
        .stderr("Usage of apps:clone:\n      --ignore-existing   --ignore-existing: exit 0 if new app already exists\n      --skip-deploy       --skip-deploy: skip deploy of the new app\n");
    root.dokku(&["apps:destroy", "-h"]).ok().stderr(
        "Usage of apps:destroy:\n      --force   --force: force destroy without confirmation\n",
    );
    let all = root.dokku(&["help", "--all"]);
    all.ok();
    for usage in [
        "apps:clone <old-app> <new-app>",
        "apps:set <app>|--global <key> <value>",
    ] {
        assert!(all.stdout.contains(usage), "{}", all.stdout);
    }
}

#[test]
fn list_formats() {
    let root = common::root();
    root.dokku(&["apps:list"])
        .ok()
        .stdout("=====> My Apps\n")
        .stderr(NO_APPS);
    root.dokku(&["apps"])
        .ok()
        .stdout("=====> My Apps\n")
        .stderr(NO_APPS);
    root.dokku(&["apps:list", "--format", "json"])
        .ok()
        .stdout("[]\n")
        .stderr("");

    for app in ["web", "api", "0db", "a.b-c", "old_style"] {
        fs::create_dir(root.home().join(app)).unwrap();
    }
    // Not apps: a file, a hidden directory, an uppercase name.
    fs::write(root.home().join("VHOST"), "example.com\n").unwrap();
    fs::create_dir(root.home().join("Upper")).unwrap();
    let listed = "0db\na.b-c\napi\nold_style\nweb\n";
    root.dokku(&["apps:list"])
        .ok()
        .stdout(&format!("=====> My Apps\n{listed}"))
        .stderr("");
    root.dokku(&["apps"])
        .ok()
        .stdout(&format!("=====> My Apps\n{listed}"));
    root.dokku(&["--quiet", "apps:list"])
        .ok()
        .stdout(listed)
        .stderr("");
    root.dokku(&["apps:list", "--format", "json"])
        .ok()
        .stdout("[\"0db\",\"a.b-c\",\"api\",\"old_style\",\"web\"]\n");
    root.dokku(&["apps:list", "--format=json"])
        .ok()
        .stdout("[\"0db\",\"a.b-c\",\"api\",\"old_style\",\"web\"]\n");
    // Any other format is the text form, as upstream.
    root.dokku(&["apps:list", "--format", "xml"])
        .ok()
        .stdout(&format!("=====> My Apps\n{listed}"));
    root.dokku(&["apps:list", "--format"])
        .code(2)
        .stdout("")
        .stderr("Usage of apps:list:\n      --format string   format: [ stdout | json ] (default \"stdout\")\nflag needs an argument: --format\n");
}

#[test]
fn create_writes_the_app_and_its_properties() {
    let root = common::root();
    let before = now();
    root.dokku(&["apps:create", "web"])
        .ok()
        .stdout(&format!(
            "-----> Creating web...\n-----> Creating new app virtual host file...\n{}",
            nginx_conf_built("web.dokku.me")
        ))
        .stderr(&no_listeners("web"));
    let after = now();
    assert!(root.home().join("web").is_dir());
    let mode = fs::metadata(root.home().join("web"))
        .unwrap()
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(mode, 0o755);
    let ts: u64 = created_at(&root, "web").parse().unwrap();
    assert!(before <= ts && ts <= after, "{ts}");
    let mode = fs::metadata(prop(&root, "apps", "web", "created-at"))
        .unwrap()
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(mode, 0o600);
    assert!(data_dir(&root, "apps", "web").is_dir());

    root.dokku(&["apps:create", "web"])
        .code(1)
        .stdout("")
        .stderr(" !     Name is already taken\n");
    assert_eq!(created_at(&root, "web"), ts.to_string());
    // Quiet hides the vhost-file line and the listener warning, not what nginx-vhosts
    // echoes while writing the app's nginx.conf (upstream's plain echo and log_info1).
    root.dokku(&["--quiet", "apps:create", "api"])
        .ok()
        .stdout(&nginx_conf_built("api.dokku.me"))
        .stderr("");
    assert!(root.home().join("api").is_dir());
    root.dokku(&["apps:create"])
        .code(1)
        .stdout("")
        .stderr(MSG_NO_APP);
    root.dokku(&["apps:create", "--bogus", "x"])
        .code(2)
        .stderr("Usage of apps:create:\nunknown flag: --bogus\n");
}

#[test]
fn hostile_names_write_nothing() {
    let root = common::root();
    root.dokku(&["apps:create", "web"]).ok();
    let before = snapshot(&root);
    let invalid: &[&[&str]] = &[
        &["apps:create", "../evil"],
        &["apps:create", "a/b"],
        &["apps:create", "UPPER"],
        &["apps:create", "Web"],
        &["apps:create", ".hidden"],
        &["apps:create", ".."],
        &["apps:create", "a\nb"],
        &["apps:create", "web\n"],
        &["apps:create", "a b"],
        &["apps:create", "a_b"],
        &["apps:create", "é"],
        &["apps:create", "--", "-x"],
        &["apps:create", "--", "--"],
        &["apps:clone", "web", "../evil"],
        &["apps:clone", "web", "Evil"],
        &["apps:rename", "web", "../evil"],
        &["apps:rename", "web", "-"],
        &["apps:destroy", "../home", "--force"],
        &["apps:destroy", "..", "--force"],
        &["apps:exists", "../web"],
        &["apps:lock", "../web"],
        &["apps:locked", "a/b"],
        &["apps:unlock", "../web"],
        &["apps:set", "../web", "deploy-source", "x"],
        &["apps:report", "../web"],
    ];
    for args in invalid {
        root.dokku(args).code(1).stdout("").stderr(MSG_INVALID);
        assert_eq!(snapshot(&root), before, "{args:?} wrote something");
    }
    let flags: &[(&[&str], &str)] = &[
        (&["apps:create", "-x"], "Usage of apps:create:\nunknown shorthand flag: 'x' in -x\n"),
        (&["apps:create", "--evil"], "Usage of apps:create:\nunknown flag: --evil\n"),
        (
            &["apps:rename", "web", "-evil"],
            "Usage of apps:rename:\n      --skip-deploy   --skip-deploy: skip deploy of the new app\nunknown shorthand flag: 'e' in -evil\n",
        ),
    ];
    for (args, stderr) in flags {
        root.dokku(args).code(2).stdout("").stderr(stderr);
        assert_eq!(snapshot(&root), before, "{args:?} wrote something");
    }
    // Old-style names are valid names, but no such app exists (and none is created).
    for args in [
        &["apps:destroy", "old_app", "--force"][..],
        &["apps:clone", "old_app", "new"],
        &["apps:rename", "old_app", "new"],
    ] {
        root.dokku(args)
            .code(20)
            .stdout("")
            .stderr(" !     App old_app does not exist\n");
        assert_eq!(snapshot(&root), before, "{args:?} wrote something");
    }
}

#[test]
fn exists() {
    let root = common::root();
    root.dokku(&["apps:create", "web"]).ok();
    root.dokku(&["apps:exists", "web"])
        .ok()
        .stdout("")
        .stderr("");
    root.dokku(&["apps:exists", "api"])
        .code(20)
        .stdout("")
        .stderr(" !     App api does not exist\n");
    root.dokku(&["apps:exists"]).code(1).stderr(MSG_NO_APP);
    // An old-style directory still counts as an app.
    fs::create_dir(root.home().join("old_app")).unwrap();
    root.dokku(&["apps:exists", "old_app"]).ok();
}

#[test]
fn deploy_lock_commands() {
    let root = common::root();
    root.dokku(&["apps:create", "web"]).ok();
    let lock = data_dir(&root, "apps", "web").join(".deploy.lock");
    root.dokku(&["apps:locked", "web"])
        .code(1)
        .stdout("")
        .stderr(" !     Deploy lock does not exist\n");
    root.dokku(&["apps:report", "web", "--app-locked"])
        .ok()
        .stdout("false\n");
    root.dokku(&["apps:lock", "web"])
        .ok()
        .stdout("-----> Deploy lock created\n")
        .stderr("");
    assert!(lock.is_file());
    assert_eq!(fs::read(&lock).unwrap(), b"");
    root.dokku(&["apps:locked", "web"])
        .ok()
        .stdout("Deploy lock exists\n")
        .stderr("");
    root.dokku(&["--quiet", "apps:locked", "web"])
        .ok()
        .stdout("");
    root.dokku(&["apps:report", "web", "--app-locked"])
        .ok()
        .stdout("true\n");
    // Locking again keeps the file (and whatever build id a deploy wrote in it).
    fs::write(&lock, "build-1\n").unwrap();
    root.dokku(&["apps:lock", "web"])
        .ok()
        .stdout("-----> Deploy lock created\n");
    assert_eq!(read(&lock), "build-1\n");
    root.dokku(&["apps:unlock", "web"])
        .ok()
        .stdout("-----> Deploy lock removed\n")
        .stderr(" !     A deploy may be in progress.\n !     Removing the app lock will not stop in progress deploys.\n");
    assert!(!lock.exists());
    root.dokku(&["apps:unlock", "web"])
        .code(1)
        .stdout("")
        .stderr(" !     Unable to remove deploy lock\n");
    for cmd in ["apps:lock", "apps:locked", "apps:unlock"] {
        root.dokku(&[cmd, "api"])
            .code(20)
            .stdout("")
            .stderr(" !     App api does not exist\n");
        root.dokku(&[cmd]).code(1).stderr(MSG_NO_APP);
    }
    // Without its data directory the lock file cannot be made.
    fs::remove_dir_all(data_dir(&root, "apps", "web")).unwrap();
    root.dokku(&["apps:lock", "web"])
        .code(1)
        .stdout("")
        .stderr(" !     Unable to create deploy lock\n");
}

fn report_text(
    root: &Root,
    app: &str,
    locked: &str,
    source: &str,
    meta: &str,
    global: &str,
) -> String {
    format!(
        "=====> {app} app information\n\
         \x20      App created at:                  {}\n\
         \x20      App deploy source:               {source}\n\
         \x20      App deploy source metadata:      {meta}\n\
         \x20      App dir:                         {}/{app}\n\
         \x20      App global disable autocreation: {global}\n\
         \x20      App locked:                      {locked}\n",
        created_at(root, app),
        root.home().display()
    )
}

#[test]
fn report() {
    let root = common::root();
    root.dokku(&["apps:report"]).ok().stdout("").stderr(NO_APPS);
    root.dokku(&["apps:create", "web"]).ok();
    root.dokku(&["apps:create", "api"]).ok();
    let web = report_text(&root, "web", "false", "", "", "");
    root.dokku(&["apps:report", "web"])
        .ok()
        .stdout(&web)
        .stderr("");
    // Every app, in name order.
    let api = report_text(&root, "api", "false", "", "", "");
    root.dokku(&["apps:report"])
        .ok()
        .stdout(&format!("{api}{web}"));
    // The header goes with --quiet.
    let quiet = root.dokku(&["--quiet", "apps:report", "web"]);
    quiet.ok();
    assert_eq!(quiet.stdout, web.split_once('\n').unwrap().1);

    root.dokku(&["apps:set", "web", "deploy-source", "git"])
        .ok();
    root.dokku(&["apps:set", "web", "deploy-source-metadata", "abc123"])
        .ok();
    root.dokku(&["apps:set", "--global", "disable-autocreation", "true"])
        .ok();
    root.dokku(&["apps:lock", "web"]).ok();
    root.dokku(&["apps:report", "web"])
        .ok()
        .stdout(&report_text(&root, "web", "true", "git", "abc123", "true"));

    let ts = created_at(&root, "web");
    let dir = format!("{}/web", root.home().display());
    root.dokku(&["apps:report", "web", "--format", "json"]).ok().stdout(&format!(
        "{{\"app-created-at\":\"{ts}\",\"app-deploy-source\":\"git\",\"app-deploy-source-metadata\":\"abc123\",\"app-dir\":\"{dir}\",\"app-global-disable-autocreation\":\"true\",\"app-locked\":\"true\",\"created-at\":\"{ts}\",\"deploy-source\":\"git\",\"deploy-source-metadata\":\"abc123\",\"dir\":\"{dir}\",\"global-disable-autocreation\":\"true\",\"locked\":\"true\"}}\n"
    ));
    for (flag, value) in [
        ("--app-created-at", ts.as_str()),
        ("--app-deploy-source", "git"),
        ("--app-deploy-source-metadata", "abc123"),
        ("--app-dir", dir.as_str()),
        ("--app-global-disable-autocreation", "true"),
        ("--app-locked", "true"),
    ] {
        root.dokku(&["apps:report", "web", flag])
            .ok()
            .stdout(&format!("{value}\n"));
    }

    root.dokku(&["apps:report", "--global"])
        .ok()
        .stdout("=====> --global app information\n       App global disable autocreation: true\n");
    root.dokku(&["apps:report", "--global", "--format", "json"])
        .ok()
        .stdout("{\"app-global-disable-autocreation\":\"true\",\"global-disable-autocreation\":\"true\"}\n");
    root.dokku(&[
        "apps:report",
        "--global",
        "--app-global-disable-autocreation",
    ])
    .ok()
    .stdout("true\n");

    root.dokku(&["apps:report", "web", "--app-nope"])
        .code(1)
        .stdout("")
        .stderr(" !     Invalid flag passed, valid flags: --app-created-at, --app-deploy-source, --app-deploy-source-metadata, --app-dir, --app-global-disable-autocreation, --app-locked\n");
    root.dokku(&["apps:report", "--global", "--app-dir"])
        .code(1)
        .stderr(" !     Invalid flag passed, valid flags: --app-global-disable-autocreation\n");
    root.dokku(&["apps:report", "web", "--app-dir", "--app-locked"])
        .code(1)
        .stderr(" !     apps:report command allows only a single flag\n");
    root.dokku(&["apps:report", "web", "--format", "json", "--app-dir"])
        .code(1)
        .stderr(" !     --format flag cannot be specified when specifying an info flag\n");
    root.dokku(&["apps:report", "web", "--format", "xml"])
        .code(1)
        .stderr(" !     Format must be \"stdout\" or \"json\": \"xml\"\n");
    root.dokku(&["apps:report", "nope"])
        .code(20)
        .stdout("")
        .stderr(" !     App nope does not exist\n");
}

#[test]
fn set_properties() {
    let root = common::root();
    root.dokku(&["apps:create", "web"]).ok();
    let source = prop(&root, "apps", "web", "deploy-source");
    root.dokku(&["apps:set", "web", "deploy-source", "docker-image"])
        .ok()
        .stdout("=====> Setting deploy-source to docker-image\n")
        .stderr("");
    assert_eq!(fs::read(&source).unwrap(), b"docker-image");
    let mode = fs::metadata(&source).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    root.dokku(&["apps:set", "web", "deploy-source"])
        .ok()
        .stdout("=====> Unsetting deploy-source\n");
    assert!(!source.exists());
    root.dokku(&["apps:set", "web", "deploy-source"])
        .ok()
        .stdout("=====> Unsetting deploy-source\n");
    root.dokku(&[
        "--quiet",
        "apps:set",
        "web",
        "deploy-source-metadata",
        "x y",
    ])
    .ok()
    .stdout("");
    assert_eq!(
        read(prop(&root, "apps", "web", "deploy-source-metadata")),
        "x y"
    );

    let global = prop(&root, "apps", "--global", "disable-autocreation");
    root.dokku(&["apps:set", "--global", "disable-autocreation", "true"])
        .ok()
        .stdout("=====> Setting disable-autocreation to true\n");
    assert_eq!(read(&global), "true");
    root.dokku(&["apps:set", "--global", "disable-autocreation"])
        .ok()
        .stdout("=====> Unsetting disable-autocreation\n");
    assert!(!global.exists());

    let before = snapshot(&root);
    let failures: &[(&[&str], i32, &str)] = &[
        (&["apps:set", "web", "disable-autocreation", "true"], 1, " !     Property can only be specified globally\n"),
        // Checked before the app itself, as upstream.
        (&["apps:set", "nope", "disable-autocreation", "true"], 1, " !     Property can only be specified globally\n"),
        (&["apps:set", "--global", "deploy-source", "x"], 1, " !     Property cannot be specified globally\n"),
        (&["apps:set", "--global"], 1, " !     Property cannot be specified globally\n"),
        (&["apps:set", "web"], 1, " !     No property specified\n"),
        (&["apps:set", "web", "created-at", "1"], 1, " !     Invalid property specified, valid properties include: deploy-source, deploy-source-metadata, disable-autocreation\n"),
        (&["apps:set", "web", "../x", "1"], 1, " !     Invalid property specified, valid properties include: deploy-source, deploy-source-metadata, disable-autocreation\n"),
        (&["apps:set", "nope", "deploy-source", "x"], 20, " !     App nope does not exist\n"),
        (&["apps:set"], 1, MSG_NO_APP),
    ];
    for (args, code, stderr) in failures {
        root.dokku(args).code(*code).stdout("").stderr(stderr);
    }
    assert_eq!(snapshot(&root), before);
}

#[test]
fn destroy_asks_for_confirmation() {
    let root = common::root();
    root.dokku(&["apps:create", "web"]).ok();
    root.dokku(&["apps:set", "web", "deploy-source", "git"])
        .ok();
    let before = snapshot(&root);

    let mismatch = root.dokku_stdin(&["apps:destroy", "web"], b"api\n");
    mismatch.code(1).stdout("> ").stderr(&format!(
        "{PROMPT_WARNINGS}Confirmation did not match test. Aborted.\n"
    ));
    for (input, error) in [
        (&b""[..], "EOF"),
        (b"\n", "unexpected newline"),
        (b"web web\n", "expected newline"),
    ] {
        root.dokku_stdin(&["apps:destroy", "web"], input)
            .code(1)
            .stdout("> ")
            .stderr(&format!("{PROMPT_WARNINGS} !     {error}\n"));
    }
    assert_eq!(
        snapshot(&root),
        before,
        "an aborted destroy changed something"
    );

    root.dokku_stdin(&["apps:destroy", "web"], b"  web\n")
        .ok()
        .stdout(&format!("> {DESTROY_OUT}"))
        .stderr(PROMPT_WARNINGS);
    assert!(!root.home().join("web").exists());
    assert!(!root.lib().join("config/apps/web").exists());
    assert!(!data_dir(&root, "apps", "web").exists());
    root.dokku(&["apps:list", "--format", "json"])
        .ok()
        .stdout("[]\n");

    // A missing app is reported before any prompt.
    root.dokku_stdin(&["apps:destroy", "web"], b"web\n")
        .code(20)
        .stdout("")
        .stderr(" !     App web does not exist\n");
    root.dokku(&["apps:destroy"])
        .code(1)
        .stdout("")
        .stderr(MSG_NO_APP);
}

#[test]
fn destroy_force() {
    let root = common::root();
    for (i, args) in [
        &["apps:destroy", "web", "--force"][..],
        &["apps:destroy", "--force", "web"],
        &["--force", "apps:destroy", "web"],
    ]
    .iter()
    .enumerate()
    {
        root.dokku(&["apps:create", "web"]).ok();
        root.dokku(args).ok().stdout(DESTROY_OUT).stderr("");
        assert!(!root.home().join("web").exists(), "case {i}");
    }
    // A symlinked app directory: the link goes, what it points to stays.
    let elsewhere = root.dir.join("elsewhere");
    fs::create_dir(&elsewhere).unwrap();
    fs::write(elsewhere.join("keep"), "x").unwrap();
    root.dokku(&["apps:create", "web"]).ok();
    fs::remove_dir_all(root.home().join("web")).unwrap();
    std::os::unix::fs::symlink(&elsewhere, root.home().join("web")).unwrap();
    root.dokku(&["apps:destroy", "web", "--force"]).ok();
    assert!(fs::symlink_metadata(root.home().join("web")).is_err());
    assert_eq!(read(elsewhere.join("keep")), "x");
    // Nothing is left half-deleted in $DOKKU_ROOT.
    let leftovers: Vec<_> = fs::read_dir(root.home())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("dokku-tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn clone_and_rename() {
    let root = common::root();
    root.dokku(&["apps:create", "web"]).ok();
    root.dokku(&["apps:set", "web", "deploy-source", "git"])
        .ok();
    fs::write(data_dir(&root, "apps", "web").join("extra"), "data").unwrap();
    let web_created = created_at(&root, "web");

    root.dokku(&["apps:clone", "web", "api"])
        .ok()
        .stdout(&format!(
            "-----> Cloning web to api\n-----> Creating api...\n-----> Creating new app virtual host file...\n{}",
            nginx_conf_built("api.dokku.me")
        ))
        .stderr(&no_listeners("api"));
    assert!(root.home().join("api").is_dir());
    // The clone's nginx.conf, written by post-create, goes again in post-app-clone-setup.
    assert!(root.home().join("web/nginx.conf").is_file());
    assert!(!root.home().join("api/nginx.conf").exists());
    // Every apps property follows, created-at included (as upstream).
    assert_eq!(created_at(&root, "api"), web_created);
    assert_eq!(read(prop(&root, "apps", "api", "deploy-source")), "git");
    assert_eq!(read(data_dir(&root, "apps", "api").join("extra")), "data");
    assert_eq!(read(prop(&root, "apps", "web", "deploy-source")), "git");

    root.dokku(&["apps:clone", "web", "api"])
        .code(1)
        .stdout("")
        .stderr(" !     Name is already taken\n");
    root.dokku(&["apps:clone", "--ignore-existing", "web", "api"])
        .ok()
        .stdout("")
        .stderr(" !     Name is already taken\n");
    root.dokku(&["--quiet", "apps:clone", "--skip-deploy", "web", "worker"])
        .ok()
        .stdout(&nginx_conf_built("worker.dokku.me"))
        .stderr("");
    root.dokku(&["apps:clone", "web"])
        .code(1)
        .stderr(" !     Please specify an new app name\n");
    root.dokku(&["apps:clone"]).code(1).stderr(MSG_NO_APP);
    root.dokku(&["apps:clone", "nope", "x"])
        .code(20)
        .stderr(" !     App nope does not exist\n");

    root.dokku(&["apps:rename", "api", "api2"])
        .ok()
        .stdout(&format!(
            "-----> Renaming api to api2\n-----> Creating api2...\n-----> Creating new app virtual host file...\n{}-----> Destroying api (including all add-ons)\n-----> Cleaning up...\n-----> Retiring old containers and images\n",
            nginx_conf_built("api2.dokku.me")
        ))
        .stderr(&no_listeners("api2"));
    assert!(!root.home().join("api").exists());
    // post-app-rename-setup clears the new name's nginx.conf (proxy-clear-config).
    assert!(!root.home().join("api2/nginx.conf").exists());
    assert!(!root.lib().join("config/apps/api").exists());
    assert!(!data_dir(&root, "apps", "api").exists());
    assert_eq!(created_at(&root, "api2"), web_created);
    assert_eq!(read(prop(&root, "apps", "api2", "deploy-source")), "git");
    assert_eq!(read(data_dir(&root, "apps", "api2").join("extra")), "data");
    root.dokku(&["apps:rename", "web", "api2"])
        .code(1)
        .stderr(" !     Name is already taken\n");
    root.dokku(&["apps:rename", "web"])
        .code(1)
        .stderr(" !     Please specify an new app name\n");
    root.dokku(&["apps:rename", "--skip-deploy", "worker", "w2"])
        .ok();
    root.dokku(&["--quiet", "apps:list"])
        .ok()
        .stdout("api2\nw2\nweb\n");
    // A clone of a locked app is locked too: the data directory is copied whole.
    root.dokku(&["apps:lock", "web"]).ok();
    root.dokku(&["apps:clone", "web", "locked"]).ok();
    root.dokku(&["apps:report", "locked", "--app-locked"])
        .ok()
        .stdout("true\n");
}

#[test]
fn concurrent_creates_make_one_app() {
    let root = common::root();
    let children: Vec<_> = (0..8)
        .map(|_| {
            root.command(root.bin("dokku"))
                .args(["apps:create", "web"])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let runs: Vec<dokku_rs_testkit::Run> = children
        .into_iter()
        .map(|c| dokku_rs_testkit::Run::from(c.wait_with_output().unwrap()))
        .collect();
    let created: Vec<_> = runs.iter().filter(|r| r.code == 0).collect();
    assert_eq!(created.len(), 1, "{runs:?}");
    created[0]
        .stdout(&format!(
            "-----> Creating web...\n-----> Creating new app virtual host file...\n{}",
            nginx_conf_built("web.dokku.me")
        ))
        .stderr(&no_listeners("web"));
    for run in runs.iter().filter(|r| r.code != 0) {
        run.code(1)
            .stdout("")
            .stderr(" !     Name is already taken\n");
    }
}
