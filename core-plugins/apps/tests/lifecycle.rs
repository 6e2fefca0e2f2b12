//! The triggers the apps plugin fires (order, arguments, environment), the triggers it
//! implements, and a bash community plugin whose state must follow every app through
//! create, clone, rename and destroy.

mod common;

use std::fs;

use common::*;
use dokku_rs_testkit::Root;

/// What `apps:destroy <app>` fires, as the recorder sees it with every real plugin installed:
/// the scheduler is the one `scheduler-detect` answers (the app's selection, else the
/// global one); cron's `post-delete` asks for it again before the recorder's `post-delete`.
fn destroy_calls(app: &str, tag: &str, scheduler: &str, force: &str) -> Vec<String> {
    vec![
        format!("deployed-app-image-tag {app}"),
        format!("pre-delete {app} {tag} FORCE={force}"),
        format!("scheduler-detect {app}"),
        format!("scheduler-stop {scheduler} {app} true FORCE={force}"),
        format!("scheduler-post-delete {scheduler} {app} {tag}"),
        format!("scheduler-detect {app}"),
        format!("post-delete {app} {tag} FORCE={force}"),
        format!("scheduler-retire {scheduler} {app}"),
    ]
}

#[test]
fn fired_triggers_in_upstream_order() {
    let root = common::root();
    let rec = Recorder::install(&root);
    // A scheduler no plugin acts for: the destroys below stop nothing and rewrite no
    // crontab, so the recorder sees only what the apps plugin (and cron's post-delete) fires.
    root.dokku(&["scheduler:set", "--global", "selected", "fake"])
        .ok();

    root.dokku(&["apps:create", "web"])
        .ok()
        .stdout(&format!(
            "-----> Creating web...\n-----> Creating new app virtual host file...\n{}",
            nginx_conf_built("web.dokku.me")
        ))
        .stderr(&no_listeners("web"));
    assert_eq!(rec.take(), lines(&["post-create web"]));

    // No code yet: the git plugin's git-has-code fails before the recorder's runs, so
    // nothing is rebuilt.
    root.dokku(&["apps:clone", "web", "empty"]).ok();
    assert_eq!(
        rec.take(),
        lines(&[
            "post-create empty",
            "post-app-clone-setup web empty",
            "post-app-clone web empty SKIP_REBUILD=true",
        ])
    );

    // With code the clone is rebuilt (the ps plugin fires receive-app).
    commit_into_app(&root, "web");
    root.dokku(&["apps:clone", "web", "api"]).ok();
    assert_eq!(
        rec.take(),
        lines(&[
            "post-create api",
            "post-app-clone-setup web api",
            "git-has-code api",
            "receive-app api",
            "post-app-clone web api SKIP_REBUILD=",
        ])
    );
    root.dokku(&["apps:clone", "--skip-deploy", "web", "api2"])
        .ok();
    assert_eq!(
        rec.take(),
        lines(&[
            "post-create api2",
            "post-app-clone-setup web api2",
            "git-has-code api2",
            "post-app-clone web api2 SKIP_REBUILD=true",
        ])
    );
    // Any implementor saying there is no code means no rebuild either.
    rec.fail("git-has-code");
    root.dokku(&["apps:clone", "web", "api3"]).ok();
    assert_eq!(
        rec.take(),
        lines(&[
            "post-create api3",
            "post-app-clone-setup web api3",
            "git-has-code api3",
            "post-app-clone web api3 SKIP_REBUILD=true",
        ])
    );
    fs::remove_file(rec.control.join("fail-git-has-code")).unwrap();

    root.dokku(&["apps:rename", "api", "worker"]).ok();
    let mut expected = lines(&["post-create worker", "post-app-rename-setup api worker"]);
    expected.extend(destroy_calls("api", "latest", "fake", "1"));
    expected.extend(lines(&[
        "git-has-code worker",
        "receive-app worker",
        "post-app-rename api worker SKIP_REBUILD=",
    ]));
    assert_eq!(rec.take(), expected);
    root.dokku(&["apps:rename", "--skip-deploy", "worker", "w2"])
        .ok();
    let calls = rec.take();
    assert!(
        !calls.iter().any(|c| c.starts_with("receive-app")),
        "{calls:?}"
    );
    assert_eq!(
        calls.last().unwrap(),
        "post-app-rename worker w2 SKIP_REBUILD=true"
    );

    // Confirmed interactively: not forced.
    root.dokku_stdin(&["apps:destroy", "api2"], b"api2\n").ok();
    assert_eq!(rec.take(), destroy_calls("api2", "latest", "fake", ""));
    root.dokku(&["apps:destroy", "api3", "--force"]).ok();
    assert_eq!(rec.take(), destroy_calls("api3", "latest", "fake", "1"));
}

#[test]
fn destroy_uses_the_deployed_tag_and_the_scheduler() {
    let root = common::root();
    let rec = Recorder::install(&root);
    root.dokku(&["apps:create", "web"]).ok();
    root.dokku(&["scheduler:set", "web", "selected", "k3s"])
        .ok();
    rec.take();
    rec.output("deployed-app-image-tag", "  v7\n");
    root.dokku(&["apps:destroy", "web", "--force"])
        .ok()
        .stdout(DESTROY_OUT);
    assert_eq!(rec.take(), destroy_calls("web", "v7", "k3s", "1"));

    // Nothing selected: the default scheduler. A failing tag lookup gives an empty tag, as
    // upstream. (docker-local's own hooks ask for the scheduler too, so only the apps
    // plugin's calls are checked here.)
    root.dokku(&["apps:create", "web"]).ok();
    rec.take();
    rec.fail("deployed-app-image-tag");
    root.dokku(&["apps:destroy", "web", "--force"]).ok();
    let calls: Vec<String> = rec
        .take()
        .into_iter()
        .filter(|c| !c.starts_with("scheduler-detect "))
        .collect();
    assert_eq!(
        calls,
        lines(&[
            "deployed-app-image-tag web",
            "pre-delete web  FORCE=1",
            "scheduler-stop docker-local web true FORCE=1",
            "scheduler-post-delete docker-local web ",
            "post-delete web  FORCE=1",
            "scheduler-retire docker-local web",
        ])
    );
}

#[test]
fn a_failing_hook_stops_the_command() {
    let root = common::root();
    let rec = Recorder::install(&root);
    root.dokku(&["apps:create", "web"]).ok();
    rec.take();

    rec.fail("pre-delete");
    rec.output("pre-delete", "cannot delete yet\n");
    root.dokku(&["apps:destroy", "web", "--force"])
        .code(1)
        .stdout("-----> Destroying web (including all add-ons)\ncannot delete yet\n");
    assert_eq!(rec.take().len(), 2, "nothing after pre-delete");
    assert!(root.home().join("web").is_dir());
    assert!(prop(&root, "apps", "web", "created-at").exists());
    fs::remove_file(rec.control.join("fail-pre-delete")).unwrap();

    // post-create fails: the app exists (as upstream), the command failed.
    rec.fail("post-create");
    root.dokku(&["apps:create", "api"])
        .code(1)
        .stdout(&format!(
            "-----> Creating api...\n-----> Creating new app virtual host file...\n{}",
            nginx_conf_built("api.dokku.me")
        ))
        .stderr(&no_listeners("api"));
    assert!(root.home().join("api").is_dir());
    root.dokku(&["apps:clone", "web", "api2"])
        .code(1)
        .stdout(&format!(
            "-----> Cloning web to api2\n-----> Creating api2...\n-----> Creating new app virtual host file...\n{}",
            nginx_conf_built("api2.dokku.me")
        ))
        .stderr(&no_listeners("api2"));
    assert_eq!(
        rec.take().last().unwrap(),
        "post-create api2",
        "clone stops after post-create"
    );
}

#[test]
fn implemented_triggers() {
    let root = common::root();
    trigger(&root, &["app-create", "web"], &[])
        .ok()
        .stdout(&format!(
            "-----> Creating web...\n-----> Creating new app virtual host file...\n{}",
            nginx_conf_built("web.dokku.me")
        ))
        .stderr(&no_listeners("web"));
    assert!(root.home().join("web").is_dir());
    trigger(&root, &["app-exists", "web"], &[])
        .ok()
        .stdout("")
        .stderr("");
    trigger(&root, &["app-exists", "api"], &[])
        .code(20)
        .stderr(" !     App api does not exist\n");
    trigger(&root, &["app-exists", "../web"], &[])
        .code(1)
        .stderr(MSG_INVALID);

    trigger(
        &root,
        &[
            "deploy-source-set",
            "web",
            "git-sync",
            "https://example.com/r.git#main",
        ],
        &[],
    )
    .ok()
    .stdout("");
    assert_eq!(
        read(prop(&root, "apps", "web", "deploy-source")),
        "git-sync"
    );
    assert_eq!(
        read(prop(&root, "apps", "web", "deploy-source-metadata")),
        "https://example.com/r.git#main"
    );
    trigger(&root, &["deploy-source-set", "../web", "x", "y"], &[])
        .code(1)
        .stderr(MSG_INVALID);

    // The report trigger gathers every plugin's section; the apps plugin's is the whole of
    // `apps:report web`, a block of its own.
    let report = trigger(&root, &["report", "web"], &[]);
    report.ok();
    let own = root.dokku(&["apps:report", "web"]);
    own.ok();
    assert!(own.stdout.starts_with("=====> web app information\n"));
    assert!(own
        .stdout
        .contains("\n       App deploy source:               git-sync\n"));
    let start = report
        .stdout
        .find("=====> web app information\n")
        .expect("the apps section");
    let rest = &report.stdout[start..];
    let end = rest[1..].find("\n=====> ").map_or(rest.len(), |i| i + 2);
    let block = &rest[..end];
    assert_eq!(block, own.stdout);

    // app-destroy asks like apps:destroy unless forced.
    trigger(&root, &["app-destroy", "web"], &[])
        .code(1)
        .stdout("> ")
        .stderr(&format!("{PROMPT_WARNINGS} !     EOF\n"));
    assert!(root.home().join("web").is_dir());
    trigger(
        &root,
        &["app-destroy", "web"],
        &[("DOKKU_APPS_FORCE_DELETE", "1")],
    )
    .ok()
    .stdout(DESTROY_OUT);
    assert!(!root.home().join("web").exists());
    trigger(
        &root,
        &["app-destroy", "../x"],
        &[("DOKKU_APPS_FORCE_DELETE", "1")],
    )
    .code(1)
    .stderr(MSG_INVALID);

    // The data-directory triggers refuse names that are not app names. Through plugn an
    // earlier plugin (app-json) refuses first with its own words; the apps plugin's own
    // hooks are run directly for theirs.
    for hook in ["post-create", "post-delete"] {
        trigger(&root, &[hook, ".."], &[]).code(1);
        own_hook(&root, hook, &[".."]).code(1).stderr(MSG_INVALID);
    }
    trigger(&root, &["post-app-rename-setup", "a", "../b"], &[]).code(1);
    own_hook(&root, "post-app-rename-setup", &["a", "../b"])
        .code(1)
        .stderr(MSG_INVALID);
    assert!(!root.lib().join("config/b").exists());
    assert!(!root.lib().join("data/b").exists());
}

#[test]
fn maybe_create() {
    let root = common::root();
    let rec = Recorder::install(&root);
    // A new app is created silently; an existing one is left alone. Only stdout is held
    // back (upstream's SuppressOutput): nginx-vhosts' warning still reaches stderr.
    trigger(&root, &["app-maybe-create", "web"], &[])
        .ok()
        .stdout("")
        .stderr(&no_listeners("web"));
    assert!(root.home().join("web").is_dir());
    assert_eq!(rec.take(), lines(&["post-create web"]));
    let ts = created_at(&root, "web");
    trigger(&root, &["app-maybe-create", "web"], &[])
        .ok()
        .stdout("");
    assert!(rec.take().is_empty());
    assert_eq!(created_at(&root, "web"), ts);

    // When creation fails, what it printed is shown after all.
    rec.fail("post-create");
    rec.output("post-create", "hook output\n");
    trigger(&root, &["app-maybe-create", "api"], &[])
        .code(1)
        .stdout(&format!(
            "-----> Creating api...\n-----> Creating new app virtual host file...\n{}hook output\n",
            nginx_conf_built("api.dokku.me")
        ));
    fs::remove_file(rec.control.join("fail-post-create")).unwrap();
    fs::remove_file(rec.control.join("out-post-create")).unwrap();
    trigger(&root, &["app-maybe-create", "Bad"], &[])
        .code(1)
        .stdout("")
        .stderr(MSG_INVALID);

    root.dokku(&["apps:set", "--global", "disable-autocreation", "true"])
        .ok();
    trigger(&root, &["app-maybe-create", "new"], &[])
        .code(1)
        .stdout("")
        .stderr(" !     App auto-creation disabled.\n !     Re-enable app auto-creation or create an app with 'dokku apps:create new'\n");
    assert!(!root.home().join("new").exists());
    trigger(&root, &["app-maybe-create", "web"], &[]).ok();
}

#[test]
fn install_trigger_backfills_created_at() {
    let root = common::root();
    fs::create_dir(root.home().join("legacy")).unwrap();
    let mtime = fs::metadata(root.home().join("legacy"))
        .unwrap()
        .modified()
        .unwrap()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    root.dokku(&["apps:create", "web"]).ok();
    fs::write(prop(&root, "apps", "web", "created-at"), "12345").unwrap();
    fs::remove_dir_all(data_dir(&root, "apps", "web")).unwrap();

    // Only this plugin's install hook: other plugins' installs are theirs to test.
    let hook = root.lib().join("core-plugins/available/apps/install");
    let mut cmd = root.command(&hook);
    cmd.env("DOKKU_LIB_ROOT", root.lib())
        .env("PLUGIN_PATH", root.lib().join("plugins"));
    let run = dokku_rs_testkit::Run::from(cmd.output().unwrap());
    run.ok();
    assert_eq!(created_at(&root, "legacy"), mtime.to_string());
    assert_eq!(created_at(&root, "web"), "12345");
    assert!(data_dir(&root, "apps", "legacy").is_dir());
    assert!(data_dir(&root, "apps", "web").is_dir());
    assert!(root.lib().join("config/apps").is_dir());
}

/// The bash fixture's state for an app: its properties and its data file.
fn state(root: &Root, app: &str) -> Option<(String, String, String)> {
    let origin = prop(root, "statekeeper", app, "origin");
    if !origin.exists() {
        assert!(!root.lib().join("config/statekeeper").join(app).exists());
        assert!(!data_dir(root, "statekeeper", app).exists());
        return None;
    }
    Some((
        read(origin),
        read(prop(root, "statekeeper", app, "history")),
        read(data_dir(root, "statekeeper", app).join("marker")),
    ))
}

fn st(origin: &str, history: &str, marker: &str) -> Option<(String, String, String)> {
    Some((origin.into(), history.into(), marker.into()))
}

#[test]
fn community_plugin_state_follows_the_app() {
    let root = common::root();
    install_statekeeper(&root);

    root.dokku(&["apps:create", "web"])
        .ok()
        .stdout(&format!(
            "-----> Creating web...\n-----> Creating new app virtual host file...\n{}",
            nginx_conf_built("web.dokku.me")
        ))
        .stderr(&no_listeners("web"));
    assert_eq!(state(&root, "web"), st("web", "created:web\n", "web\n"));

    root.dokku(&["apps:clone", "web", "api"])
        .ok()
        .stderr(&no_listeners("api"));
    assert_eq!(state(&root, "web"), st("web", "created:web\n", "web\n"));
    assert_eq!(
        state(&root, "api"),
        st("web", "created:web\ncloned-from:web\n", "web\n")
    );

    root.dokku(&["apps:rename", "api", "worker"])
        .ok()
        .stderr(&no_listeners("worker"));
    assert_eq!(state(&root, "api"), None);
    assert_eq!(
        state(&root, "worker"),
        st(
            "web",
            "created:web\ncloned-from:web\nrenamed-from:api\n",
            "web\n"
        )
    );

    root.dokku(&["apps:destroy", "worker", "--force"])
        .ok()
        .stderr("");
    assert_eq!(state(&root, "worker"), None);
    assert_eq!(state(&root, "web"), st("web", "created:web\n", "web\n"));

    // Hostile names never reach the plugin.
    root.dokku(&["apps:create", "../web"]).code(1);
    root.dokku(&["apps:rename", "web", "../x"]).code(1);
    assert_eq!(state(&root, "web"), st("web", "created:web\n", "web\n"));

    root.dokku(&["apps:destroy", "web", "--force"]).ok();
    assert_eq!(state(&root, "web"), None);
    let left: Vec<_> = fs::read_dir(root.lib().join("config/statekeeper"))
        .map(|d| d.flatten().map(|e| e.file_name()).collect())
        .unwrap_or_default();
    assert!(left.is_empty(), "{left:?}");
}
