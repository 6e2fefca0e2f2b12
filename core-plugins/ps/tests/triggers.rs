//! The ps triggers, run directly and through the app lifecycle (create, clone, rename,
//! destroy) and `plugn trigger`.

mod common;

use std::fs;

use common::*;

#[test]
fn create_sets_one_web_process() {
    let root = root_with_app();
    assert_eq!(prop(&root, "web", "scale").as_deref(), Some("web=1\n"));
    assert_eq!(prop(&root, "web", "scale.old").as_deref(), Some(""));
    assert!(root.lib().join("data/ps/web").is_dir());
    hook(&root, &["ps-current-scale", "web"])
        .ok()
        .stdout("web=1");
    set_prop(&root, "web", "scale", "worker=2\nweb=1\n");
    set_prop(&root, "web", "scale.old", "clock=0\n");
    hook(&root, &["ps-current-scale", "web"])
        .ok()
        .stdout("clock=0\nweb=1\nworker=2");
    let all = root.plugn(&["trigger", "ps-current-scale", "web"]);
    all.ok();
    assert!(all.stdout.contains("clock=0\nweb=1\nworker=2"));
}

#[test]
fn get_property() {
    let root = root_with_app();
    for (key, value) in [
        ("restart-policy", "on-failure:10\n"),
        ("restore", "true\n"),
        ("skip-deploy", "false\n"),
        ("stop-timeout-seconds", "30\n"),
    ] {
        hook(&root, &["ps-get-property", "web", key])
            .ok()
            .stdout(value);
    }
    root.dokku(&["ps:set", "--global", "restart-policy", "always"])
        .ok();
    root.dokku(&["ps:set", "web", "stop-timeout-seconds", "5"])
        .ok();
    root.dokku(&["ps:set", "web", "restore", "false"]).ok();
    hook(&root, &["ps-get-property", "web", "restart-policy"])
        .ok()
        .stdout("always\n");
    hook(&root, &["ps-get-property", "web", "stop-timeout-seconds"])
        .ok()
        .stdout("5\n");
    hook(&root, &["ps-get-property", "web", "restore"])
        .ok()
        .stdout("false\n");
    hook(&root, &["ps-get-property", "web", "start-cmd"])
        .code(1)
        .stdout("")
        .stderr(" !     Invalid ps property specified: start-cmd\n");
}

#[test]
fn can_scale_stop_and_procfile_exists() {
    let root = root_with_app();
    hook(&root, &["ps-can-scale", "web", "false"])
        .ok()
        .stdout("");
    assert_eq!(prop(&root, "web", "can-scale").as_deref(), Some("false"));
    // Only `true` is true.
    hook(&root, &["ps-can-scale", "web", "True"]).ok();
    assert_eq!(prop(&root, "web", "can-scale").as_deref(), Some("false"));
    hook(&root, &["ps-can-scale", "web", "true"]).ok();
    assert_eq!(prop(&root, "web", "can-scale").as_deref(), Some("true"));

    hook(&root, &["post-stop", "web"]).ok().stdout("");
    assert_eq!(prop(&root, "web", "restore").as_deref(), Some("false"));

    hook(&root, &["procfile-exists", "web"])
        .code(1)
        .stderr(" !     Procfile does not exist\n");
    write_procfile(&root, "web", "web: x\n");
    hook(&root, &["procfile-exists", "web"])
        .ok()
        .stdout("")
        .stderr("");
    let missing = data_path(&root, "web", "Procfile.77.missing");
    fs::write(&missing, "").unwrap();
    hook_with(
        &root,
        &["procfile-exists", "web"],
        &[("DOKKU_PID", "77")],
        None,
    )
    .code(1);
    fs::remove_file(&missing).unwrap();
    fs::remove_file(data_path(&root, "web", "Procfile")).unwrap();
    fs::write(data_path(&root, "web", "Procfile.77"), "web: y\n").unwrap();
    hook_with(
        &root,
        &["procfile-exists", "web"],
        &[("DOKKU_PID", "77")],
        None,
    )
    .ok();

    // Names are checked before any path is built from them.
    hook(&root, &["post-stop", "../x"]).code(1);
    hook(&root, &["ps-can-scale", ""]).code(1);
    assert!(!root.lib().join("config/x").exists());
}

#[test]
fn docker_args_add_the_restart_policy() {
    let root = root_with_app();
    hook_with(
        &root,
        &[
            "docker-args-process-deploy",
            "web",
            "dockerfile",
            "dokku/web:latest",
            "web",
            "1",
        ],
        &[],
        Some(b" --label=x"),
    )
    .ok()
    .stdout(" --label=x --restart=on-failure:10");
    root.dokku(&["ps:set", "web", "restart-policy", "unless-stopped"])
        .ok();
    hook(&root, &["docker-args-process-deploy", "web"])
        .ok()
        .stdout(" --restart=unless-stopped");
}

#[test]
fn set_scale_and_release() {
    let root = root_with_app();
    hook(&root, &["ps-set-scale", "web", "true", "false", "worker=2"]).ok();
    assert_eq!(
        prop(&root, "web", "scale").as_deref(),
        Some("worker=2\nweb=1\n")
    );
    hook(&root, &["ps-set-scale", "web", "true", "true", "clock=1"]).ok();
    assert_eq!(prop(&root, "web", "scale").as_deref(), Some("clock=1\n"));
    hook(&root, &["ps-set-scale", "web", "true", "true", "clock=-2"])
        .code(1)
        .stderr(" !     Invalid count for process type clock\n");
    assert_eq!(prop(&root, "web", "scale").as_deref(), Some("clock=1\n"));
    assert_eq!(take(&root), "");

    // Deployed and not skipped: every given type is deployed, changed or not.
    deploy(&root, "web");
    control(&root, "tag-web", "3\n");
    hook(
        &root,
        &["ps-set-scale", "web", "false", "false", "clock=1", "web=2"],
    )
    .ok();
    assert_eq!(
        take(&root),
        "scheduler-is-deployed docker-local web\ndeployed-app-image-tag web\ndeploy web 3 clock\ndeploy web 3 web\n"
    );

    // A new release lines the formation up with its Procfile.
    write_procfile(&root, "web", "web: a\nworker: b\n");
    hook(
        &root,
        &[
            "post-release-builder",
            "dockerfile",
            "web",
            "dokku/web:latest",
        ],
    )
    .ok();
    assert_eq!(
        prop(&root, "web", "scale").as_deref(),
        Some("clock=1\nweb=2\nworker=0\n")
    );
    write_procfile(&root, "web", "");
    hook(&root, &["post-release-builder", "dockerfile", "web", "img"])
        .code(1)
        .stderr(" !     Error listing processes: No processes defined\n");
}

#[test]
fn app_restart() {
    let root = root_with_app();
    hook(&root, &["app-restart", "web"])
        .ok()
        .stdout("")
        .stderr(" !     App web has not been deployed\n");
    assert_eq!(take(&root), "scheduler-is-deployed docker-local web\n");
    deploy(&root, "web");
    control(&root, "tag-web", "12\n");
    hook(&root, &["app-restart", "web"]).ok().stderr("");
    assert_eq!(
        take(&root),
        "scheduler-is-deployed docker-local web\ndeployed-app-image-tag web\ndeploy web 12\n"
    );
    control(&root, "fail-deployed-app-image-tag", "");
    hook(&root, &["app-restart", "web"]).code(1);
    assert_eq!(take(&root), "deployed-app-image-tag web\n");
}

#[test]
fn clone_rename_destroy() {
    let root = root_with_app();
    root.dokku(&["ps:set", "web", "restart-policy", "always"])
        .ok();
    root.dokku(&["ps:scale", "web", "web=3"]).ok();
    write_procfile(&root, "web", "web: a\n");
    take(&root);

    root.dokku(&["apps:clone", "web", "api"]).ok();
    assert_eq!(prop(&root, "api", "scale").as_deref(), Some("web=3\n"));
    assert_eq!(
        prop(&root, "api", "restart-policy").as_deref(),
        Some("always")
    );
    assert_eq!(
        fs::read_to_string(data_path(&root, "api", "Procfile")).unwrap(),
        "web: a\n"
    );
    // The clone is rebuilt (unless --skip-deploy).
    assert!(take(&root).contains("receive-app api\n"));
    root.dokku(&["apps:clone", "--skip-deploy", "web", "api2"])
        .ok();
    assert!(!take(&root).contains("receive-app"));

    root.dokku(&["apps:rename", "--skip-deploy", "api", "app3"])
        .ok();
    assert!(!root.lib().join("config/ps/api").exists());
    assert!(!root.lib().join("data/ps/api").exists());
    assert_eq!(prop(&root, "app3", "scale").as_deref(), Some("web=3\n"));
    assert_eq!(
        fs::read_to_string(data_path(&root, "app3", "Procfile")).unwrap(),
        "web: a\n"
    );
    assert!(!take(&root).contains("receive-app"));
    root.dokku(&["apps:rename", "app3", "app4"]).ok();
    assert!(take(&root).contains("receive-app app4\n"));

    root.dokku(&["--force", "apps:destroy", "web"]).ok();
    assert!(!root.lib().join("config/ps/web").exists());
    assert!(!root.lib().join("data/ps/web").exists());
    assert!(root.lib().join("config/ps/app4").exists());
}

#[test]
fn install_migrates_old_settings() {
    let root = root_with_app();
    let opts = root.lib().join("config/docker-options/web");
    fs::create_dir_all(&opts).unwrap();
    fs::write(
        opts.join("_default_.deploy"),
        "-v /a:/b\n--restart=unless-stopped\n--label=x\n",
    )
    .unwrap();
    fs::write(root.home().join("web/DOKKU_SCALE"), "web=1\n").unwrap();
    fs::write(root.home().join("web/DOKKU_SCALE.extracted"), "").unwrap();
    root.dokku(&["apps:create", "api"]).ok();
    let opts_api = root.lib().join("config/docker-options/api");
    fs::create_dir_all(&opts_api).unwrap();
    fs::write(
        opts_api.join("_default_.deploy"),
        "--restart=on-failure:10\n",
    )
    .unwrap();
    fs::remove_dir_all(root.lib().join("data/ps/api")).unwrap();
    root.dokku(&[
        "config:set",
        "--no-restart",
        "api",
        "DOKKU_APP_RESTORE=0",
        "DOKKU_START_CMD=bin/go",
    ])
    .ok();

    hook(&root, &["install"]).ok();
    assert_eq!(
        prop(&root, "web", "restart-policy").as_deref(),
        Some("unless-stopped")
    );
    assert_eq!(
        fs::read_to_string(opts.join("_default_.deploy")).unwrap(),
        "--label=x\n-v /a:/b\n"
    );
    // The default policy is not stored, only removed from the options.
    assert_eq!(prop(&root, "api", "restart-policy"), None);
    assert_eq!(
        fs::read_to_string(opts_api.join("_default_.deploy")).unwrap(),
        ""
    );
    assert!(!root.home().join("web/DOKKU_SCALE").exists());
    assert!(!root.home().join("web/DOKKU_SCALE.extracted").exists());
    assert!(root.lib().join("data/ps/api").is_dir());
    assert_eq!(prop(&root, "api", "restore").as_deref(), Some("false"));
    assert_eq!(prop(&root, "api", "start-cmd").as_deref(), Some("bin/go"));
    let env = fs::read_to_string(root.lib().join("config/api/ENV")).unwrap_or_default();
    assert!(!env.contains("DOKKU_START_CMD"), "{env}");
    // A second run changes nothing.
    hook(&root, &["install"]).ok().stdout("");
    assert_eq!(
        prop(&root, "web", "restart-policy").as_deref(),
        Some("unless-stopped")
    );
}
