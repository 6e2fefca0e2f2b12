//! The config triggers through `plugn trigger`, the `config_sub` helper, and the migration of
//! legacy ENV files.

mod common;

use std::fs;
use std::os::unix::fs::PermissionsExt;

use common::*;

#[test]
fn value_triggers() {
    let root = root_with_app();
    root.dokku(&[
        "config:set",
        "--no-restart",
        "web",
        "A=app value",
        "SHARED=app",
    ])
    .ok();
    root.dokku(&["config:set", "--global", "G=global value", "SHARED=global"])
        .ok();

    trigger(&root, &["config-get", "web", "A"])
        .ok()
        .stdout("app value");
    trigger(&root, &["config-get", "web", "NOPE"])
        .ok()
        .stdout("");
    trigger(&root, &["config-get", "nope", "A"]).ok().stdout("");
    trigger(&root, &["config-get", "--global", "G"])
        .ok()
        .stdout("global value");
    trigger(&root, &["config-get", "", "G"])
        .ok()
        .stdout("global value");
    trigger(&root, &["config-get-global", "G"])
        .ok()
        .stdout("global value");
    trigger(&root, &["config-get-global", "A"]).ok().stdout("");

    trigger(&root, &["config-export", "web", "false", "true", "json"])
        .ok()
        .stdout("{\"A\":\"app value\",\"G\":\"global value\",\"SHARED\":\"app\"}\n");
    trigger(
        &root,
        &["config-export", "", "true", "false", "docker-args-keys"],
    )
    .ok()
    .stdout("--env=G --env=SHARED\n");
    trigger(&root, &["config-export", "nope", "false", "false", "json"])
        .code(20)
        .stderr(" !     App nope does not exist\n");
    trigger(&root, &["config-export", "web", "maybe", "false", "json"])
        .code(1)
        .stderr(" !     strconv.ParseBool: parsing \"maybe\": invalid syntax\n");

    trigger_stdin(
        &root,
        &["docker-args-deploy", "web", "latest"],
        b"--label x\n",
    )
    .ok()
    .stdout("--label x --env=A --env=G --env=SHARED");
    trigger_stdin(&root, &["docker-args-run", "web"], b"")
        .ok()
        .stdout(" --env=A --env=G --env=SHARED");
}

#[test]
fn change_triggers() {
    let root = root_with_app();
    let rec = Recorder::install(&root);
    mark_deployed(&root, "web");
    trigger(&root, &["config-set", "--no-restart", "web", "A=1", "B=2"])
        .ok()
        .stdout("-----> Setting config vars\n       A:  1\n       B:  2\n");
    assert_eq!(rec.take(), lines(&["post-config-update web set A B"]));
    trigger(&root, &["config-set", "web", "C=3"])
        .ok()
        .stdout("-----> Setting config vars\n       C:  3\n-----> Restarting app web\n");
    rec.take();
    trigger(&root, &["config-set", "web"])
        .code(1)
        .stderr(" !     At least one env pair must be given\n");

    // config-unset restarts only when asked with `true`; failures are swallowed.
    trigger(&root, &["config-unset", "web", "A"])
        .ok()
        .stdout("-----> Unsetting A\n");
    assert_eq!(rec.take(), lines(&["post-config-update web unset A"]));
    trigger(&root, &["config-unset", "web", "B", "true"])
        .ok()
        .stdout("-----> Unsetting B\n-----> Restarting app web\n");
    rec.take();
    trigger(&root, &["config-unset", "web", "bad key"])
        .ok()
        .stdout("")
        .stderr("");
    root.dokku(&["config:set", "--global", "G=1"]).ok();
    trigger(&root, &["config-unset", "--global", "G"])
        .ok()
        .stdout("-----> Unsetting G\n");
    root.dokku(&["config:keys", "--global"]).ok().stdout("");

    // Unknown trigger flags fail like Go's flag package.
    let run = trigger(&root, &["config-get", "--nope", "web", "A"]);
    run.code(2);
    assert!(run
        .stderr
        .starts_with("flag provided but not defined: -nope\nUsage of "));
    assert!(run.stderr.ends_with(
        "/config-get:\n  -global\n    \t--global: Whether global or app-specific\n  -no-restart\n    \t--no-restart: Whether to skip restart\n"
    ));
}

#[test]
fn config_sub_helper() {
    let root = root_with_app();
    let sub = |args: &[&str]| config_bin(&root, "config_sub", args);
    sub(&["set", "--no-restart", "web", "A=1", "B=two words"]).ok();
    sub(&["set", "--global", "--encoded", "X=eA=="]).ok();
    sub(&["get", "web", "B"]).ok().stdout("two words\n");
    sub(&["get", "--quoted", "web", "B"])
        .ok()
        .stdout("'two words'\n");
    sub(&["get", "--global", "X"]).ok().stdout("x\n");
    sub(&["get", "web", "NOPE"]).code(1).stdout("").stderr("");
    // No existence check: an app without a directory simply has no values.
    sub(&["get", "ghost", "A"]).code(1).stdout("").stderr("");
    sub(&["keys", "web"]).ok().stdout("A\nB\n");
    sub(&["keys", "--merged", "web"]).ok().stdout("A\nB\nX\n");
    sub(&["keys"]).ok().stdout("X\n");
    sub(&["export", "--format", "shell", "web"])
        .ok()
        .stdout("A='1' B='two words' ");
    sub(&["show", "web"])
        .ok()
        .stdout("=====> web env vars\nA:  1\nB:  two words\n");
    sub(&["show", "--global"])
        .ok()
        .stdout("=====> --global env vars\nX:  x\n");
    sub(&["unset", "--no-restart", "web", "A"])
        .ok()
        .stdout("-----> Unsetting A\n");
    sub(&["clear", "--no-restart", "web"])
        .ok()
        .stdout("-----> Unsetting B\n");
    sub(&["import", "web"])
        .code(1)
        .stderr(" !     Invalid plugin config_sub call: import\n");
    sub(&["nope"])
        .code(1)
        .stderr(" !     Invalid plugin config_sub call: nope\n");
    sub(&["set", "--bogus"]).code(2).stderr(
        "Usage of set:\n      --encoded      --encoded: interpret VALUEs as base64\n      --global       --global: use the global environment\n      --no-restart   --no-restart: no restart\nunknown flag: --bogus\n",
    );
    // config_all: `subcommands/show config APP`.
    config_bin(&root, "subcommands/show", &["config", "web"])
        .ok()
        .stdout("=====> web env vars\n\n");
}

#[test]
fn lifecycle_triggers() {
    let root = root_with_app();
    add_app(&root, "copy");
    add_app(&root, "renamed");
    // Directly: other plugins' post-create hooks may set config vars of their own.
    config_bin(&root, "post-create", &["web"]).ok();
    let dir = root.lib().join("config/web");
    assert_eq!(
        fs::metadata(&dir).unwrap().permissions().mode() & 0o777,
        0o755
    );
    assert!(root.lib().join("config/config/web").is_dir());
    root.dokku(&["config:set", "--no-restart", "web", "A=1", "B=from web"])
        .ok();
    root.dokku(&["config:set", "--no-restart", "copy", "B=from copy", "C=3"])
        .ok();

    config_bin(&root, "post-app-clone-setup", &["web", "copy"]).ok();
    assert_eq!(read(env_path(&root, "copy")), "A=1\nB=\"from web\"\nC=3\n");
    config_bin(&root, "post-app-rename-setup", &["web", "renamed"]).ok();
    assert_eq!(read(env_path(&root, "renamed")), "A=1\nB=\"from web\"\n");
    assert_eq!(
        fs::metadata(env_path(&root, "renamed"))
            .unwrap()
            .permissions()
            .mode()
            & 0o777,
        0o600
    );

    config_bin(&root, "post-delete", &["web"]).ok();
    assert!(!dir.exists());
    assert!(!root.lib().join("config/config/web").exists());
    config_bin(&root, "post-app-clone-setup", &["web", "../x"])
        .code(1)
        .stderr(MSG_INVALID_APP);
}

#[test]
fn legacy_env_files_are_migrated_once() {
    let root = root_with_app();
    add_app(&root, "api");
    root.dokku(&["config:set", "--no-restart", "web", "A=current", "KEEP=1"])
        .ok();
    fs::write(
        root.home().join("web/ENV"),
        "export A='legacy'\nexport B='b'\nexport bad.key='x'\n",
    )
    .unwrap();
    fs::write(root.home().join("ENV"), "export global_test=true\n").unwrap();

    trigger(&root, &["config-migrate-env"])
        .ok()
        .stdout("-----> Deleting invalid key bad.key from config for web\n");
    assert_eq!(
        read(env_path(&root, "web")),
        "A=\"legacy\"\nB=\"b\"\nKEEP=1\n"
    );
    assert_eq!(read(env_path(&root, "--global")), "global_test=\"true\"\n");
    assert!(!root.home().join("web/ENV").exists());
    assert!(!root.home().join("ENV").exists());
    for scope in ["web", "api", "--global"] {
        assert_eq!(
            read(
                root.lib()
                    .join("config/config")
                    .join(scope)
                    .join("env-migrated")
            ),
            "true"
        );
    }
    assert_eq!(
        fs::metadata(root.lib().join("config/api"))
            .unwrap()
            .permissions()
            .mode()
            & 0o777,
        0o755
    );

    // A legacy file showing up after the migration is never imported.
    root.dokku(&["config:set", "--no-restart", "web", "KEEP=new"])
        .ok();
    fs::write(
        root.home().join("web/ENV"),
        "export KEEP=old\nexport RESURRECTED=yes\n",
    )
    .unwrap();
    let home = root.home().display().to_string();
    trigger(&root, &["config-migrate-env"]).ok().stderr(&format!(
        " !     Not importing already-migrated ENV file {home}/web/ENV: the current config takes precedence for KEEP RESURRECTED\n !     Preserved at {home}/web/ENV.migrated: re-apply anything still needed with dokku config:set, then delete it - dokku does not read it and it may hold values that were unset on purpose\n"
    ));
    root.dokku(&["config:get", "web", "KEEP"])
        .ok()
        .stdout("new\n");
    root.dokku(&["config:get", "web", "RESURRECTED"]).code(1);
    assert!(!root.home().join("web/ENV").exists());
    assert_eq!(
        read(root.home().join("web/ENV.migrated")),
        "export KEEP=old\nexport RESURRECTED=yes\n"
    );

    // One that holds nothing new is simply removed.
    fs::write(root.home().join("web/ENV"), "export KEEP=new\n").unwrap();
    trigger(&root, &["config-migrate-env"])
        .ok()
        .stdout("")
        .stderr("");
    assert!(!root.home().join("web/ENV").exists());

    // The install trigger runs the same migration.
    fs::remove_file(root.lib().join("config/config/api/env-migrated")).unwrap();
    fs::write(
        root.home().join("api/ENV"),
        "export DOKKU_CHECKS_SKIPPED=worker\n",
    )
    .unwrap();
    config_bin(&root, "install", &[]).ok();
    root.dokku(&["config:get", "api", "DOKKU_CHECKS_SKIPPED"])
        .ok()
        .stdout("worker\n");
    assert!(!root.home().join("api/ENV").exists());
}
