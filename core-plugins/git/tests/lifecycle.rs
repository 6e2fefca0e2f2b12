//! The git plugin across an app's life (create, clone, rename, destroy), its triggers, the
//! `install` migration and `git-upload-pack`.

mod common;

use std::fs;
use std::os::unix::fs::PermissionsExt;

use common::*;

fn hook_line(root: &Root, app: &str) -> String {
    format!(
        "cat | DOKKU_ROOT=\"{}\" dokku git-hook \"{app}\"\n",
        root.home().display()
    )
}

#[test]
fn clone_copies_the_repository_and_settings() {
    let root = root_with_app();
    let sha = commit_into_app(&root, "web", "master", "a");
    root.dokku(&["git:set", "web", "keep-git-dir", "true"]).ok();
    root.dokku(&["git:set", "web", "deploy-branch", "master"])
        .ok();
    let web = home(&root, "web");
    fs::write(web.join("VHOST"), "web.example.com\n").unwrap();
    fs::write(web.join(".hidden"), "x").unwrap();
    fs::create_dir_all(web.join("cache/deep")).unwrap();
    fs::write(web.join("cache/deep/f"), "x").unwrap();
    fs::create_dir_all(web.join("tls")).unwrap();
    fs::write(web.join("tls/server.key"), "key").unwrap();
    fs::set_permissions(
        web.join("tls/server.key"),
        fs::Permissions::from_mode(0o600),
    )
    .unwrap();
    std::os::unix::fs::symlink("server.key", web.join("tls/link")).unwrap();
    let head_mtime = fs::metadata(web.join("refs/heads/master"))
        .unwrap()
        .modified()
        .unwrap();

    root.dokku(&["apps:clone", "web", "copy"]).ok();
    let copy = home(&root, "copy");
    assert_eq!(git(&copy, &["rev-parse", "refs/heads/master"]), sha);
    assert_eq!(
        read(&copy.join("hooks/pre-receive"))
            .unwrap()
            .lines()
            .last()
            .unwrap(),
        hook_line(&root, "copy").trim_end()
    );
    assert_eq!(
        read(&web.join("hooks/pre-receive"))
            .unwrap()
            .lines()
            .last()
            .unwrap(),
        hook_line(&root, "web").trim_end()
    );
    assert_eq!(read(&copy.join("tls/server.key")).unwrap(), "key");
    assert_eq!(mode(&copy.join("tls/server.key")), 0o600);
    assert_eq!(
        fs::read_link(copy.join("tls/link")).unwrap().to_str(),
        Some("server.key")
    );
    assert!(!copy.join(".hidden").exists());
    assert!(!copy.join("cache").exists());
    assert_ne!(
        read(&copy.join("VHOST")).as_deref(),
        Some("web.example.com\n")
    );
    // The head keeps its time, so the report tells when the code last moved.
    assert_eq!(
        fs::metadata(copy.join("refs/heads/master"))
            .unwrap()
            .modified()
            .unwrap(),
        head_mtime
    );
    root.dokku(&["git:report", "copy", "--git-keep-git-dir"])
        .ok()
        .stdout("true\n");
    root.dokku(&["git:report", "copy", "--git-sha"])
        .ok()
        .stdout(&format!("{sha}\n"));
    root.dokku(&["git:report", "web", "--git-keep-git-dir"])
        .ok()
        .stdout("true\n");
    assert_eq!(
        root.dokku(&["git:report", "copy", "--git-last-updated-at"])
            .stdout,
        root.dokku(&["git:report", "web", "--git-last-updated-at"])
            .stdout
    );
}

#[test]
fn rename_moves_and_destroy_removes() {
    let root = root_with_app();
    let sha = commit_into_app(&root, "web", "master", "a");
    root.dokku(&["git:set", "web", "source-image", "img:1"])
        .ok();
    fs::create_dir_all(root.lib().join("data/git/web")).unwrap();
    root.dokku(&["apps:rename", "web", "site"]).ok();
    assert!(!prop_path(&root, "web").exists());
    assert_eq!(
        read(&prop_path(&root, "site/source-image")).unwrap(),
        "img:1"
    );
    assert!(!home(&root, "web").exists());
    let site = home(&root, "site");
    assert_eq!(git(&site, &["rev-parse", "refs/heads/master"]), sha);
    assert_eq!(
        read(&site.join("hooks/pre-receive"))
            .unwrap()
            .lines()
            .last()
            .unwrap(),
        hook_line(&root, "site").trim_end()
    );

    fs::create_dir_all(root.lib().join("data/git/site/x")).unwrap();
    root.dokku(&["apps:destroy", "site", "--force"]).ok();
    assert!(!prop_path(&root, "site").exists());
    assert!(!root.lib().join("data/git/site").exists());
    assert!(root.lib().join("data/git").is_dir());
}

#[test]
fn triggers() {
    let root = root_with_app();
    root.plugn(&["trigger", "git-deploy-branch", "web"])
        .ok()
        .stdout("master\n");
    root.dokku(&["git:set", "--global", "deploy-branch", "main"])
        .ok();
    root.plugn(&["trigger", "git-deploy-branch", "web"])
        .ok()
        .stdout("main\n");
    root.dokku(&["git:set", "web", "deploy-branch", "prod"])
        .ok();
    root.plugn(&["trigger", "git-deploy-branch", "web"])
        .ok()
        .stdout("prod\n");

    // git-has-code: the deploy branch (or the one asked for) has a head.
    root.plugn(&["trigger", "git-has-code", "web"])
        .code(1)
        .stdout("");
    commit_into_app(&root, "web", "prod", "a");
    root.plugn(&["trigger", "git-has-code", "web"]).ok();
    root.plugn(&["trigger", "git-has-code", "web", "prod"]).ok();
    root.plugn(&["trigger", "git-has-code", "web", "other"])
        .code(1);
    root.plugn(&["trigger", "git-has-code", "web", "../../web/HEAD"])
        .code(1);
    root.plugn(&["trigger", "git-has-code", "../web", "prod"])
        .code(1);

    // git-get-property answers source-image only.
    root.plugn(&["trigger", "git-get-property", "web", "source-image"])
        .ok()
        .stdout("");
    root.dokku(&["git:set", "web", "source-image", "img:2"])
        .ok();
    root.plugn(&["trigger", "git-get-property", "web", "source-image"])
        .ok()
        .stdout("img:2\n");
    root.plugn(&["trigger", "git-get-property", "web", "deploy-branch"])
        .code(1)
        .stdout("");

    // deploy-source-set clears source-image for every source but a docker image.
    root.plugn(&[
        "trigger",
        "deploy-source-set",
        "web",
        "docker-image",
        "img:3",
    ])
    .ok();
    assert_eq!(
        read(&prop_path(&root, "web/source-image")).unwrap(),
        "img:2"
    );
    root.plugn(&["trigger", "deploy-source-set", "web", "git-push", "abc"])
        .ok();
    assert_eq!(read(&prop_path(&root, "web/source-image")).unwrap(), "");

    // git-revision: the value of the revision variable, as config:get prints it.
    root.plugn(&["trigger", "git-revision", "web"])
        .ok()
        .stdout("");
    root.dokku(&[
        "config:set",
        "--no-restart",
        "web",
        "GIT_REV=abc123",
        "OTHER=def",
    ])
    .ok();
    root.plugn(&["trigger", "git-revision", "web"])
        .ok()
        .stdout("abc123\n");
    root.dokku(&["git:set", "web", "rev-env-var", "OTHER"]).ok();
    root.plugn(&["trigger", "git-revision", "web"])
        .ok()
        .stdout("def\n");
    root.dokku(&["git:set", "web", "rev-env-var"]).ok();
    root.plugn(&["trigger", "git-revision", "web"])
        .ok()
        .stdout("");
}

#[test]
fn install_migrates_the_deploy_branch_variable() {
    let root = root_with_app();
    root.dokku(&["apps:create", "api"]).ok();
    root.dokku(&["config:set", "--global", "DOKKU_DEPLOY_BRANCH=trunk"])
        .ok();
    root.dokku(&[
        "config:set",
        "--no-restart",
        "web",
        "DOKKU_DEPLOY_BRANCH=prod",
        "KEEP=1",
    ])
    .ok();
    let netrc = home(&root, ".netrc");
    fs::write(&netrc, "machine x login y password z\n").unwrap();
    fs::set_permissions(&netrc, fs::Permissions::from_mode(0o644)).unwrap();
    fs::remove_dir_all(root.lib().join("data/git")).ok();

    let run = trigger(&root, "install", &[]);
    run.ok().stdout("").stderr("");
    assert_eq!(
        read(&prop_path(&root, "--global/deploy-branch")).unwrap(),
        "trunk"
    );
    assert_eq!(
        read(&prop_path(&root, "web/deploy-branch")).unwrap(),
        "prod"
    );
    assert!(!prop_path(&root, "api/deploy-branch").exists());
    root.dokku(&["config:get", "--global", "DOKKU_DEPLOY_BRANCH"])
        .code(1);
    root.dokku(&["config:get", "web", "DOKKU_DEPLOY_BRANCH"])
        .code(1);
    root.dokku(&["config:get", "web", "KEEP"])
        .ok()
        .stdout("1\n");
    assert_eq!(mode(&netrc), 0o600);
    assert!(root.lib().join("data/git").is_dir());
    // Running it again changes nothing.
    trigger(&root, "install", &[]).ok();
    assert_eq!(
        read(&prop_path(&root, "web/deploy-branch")).unwrap(),
        "prod"
    );
}

/// `git clone` through `dokku git-upload-pack`, as `git clone dokku@host:<app>` does over ssh.
fn clone_via_dokku(root: &Root, repo: &str, dest: &std::path::Path) -> Run {
    let dokku = root.bin("dokku");
    Run::from(
        root.command("git")
            .args(["clone", "-q", "--upload-pack"])
            .arg(format!("{} git-upload-pack", dokku.display()))
            .arg(format!("file:///{repo}"))
            .arg(dest)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .output()
            .unwrap(),
    )
}

#[test]
fn upload_pack_serves_clones() {
    let root = root_with_app();
    let sha = commit_into_app(&root, "web", "master", "a");
    git(
        &home(&root, "web"),
        &["symbolic-ref", "HEAD", "refs/heads/master"],
    );
    add_recorder(&root, &["git-pre-pull", "git-post-pull"]);
    let dest = root.dir.join("clone");
    clone_via_dokku(&root, "web", &dest).ok();
    assert_eq!(git(&dest, &["rev-parse", "HEAD"]), sha);
    assert_eq!(take_log(&root), "git-pre-pull web\ngit-post-pull web\n");

    // A missing app is created, as a push would; its empty repository clones.
    let dest = root.dir.join("clone2");
    clone_via_dokku(&root, "newapp", &dest).ok();
    assert!(home(&root, "newapp/hooks/pre-receive").is_file());
    root.dokku(&["apps:exists", "newapp"]).ok();
    assert_eq!(
        take_log(&root),
        "git-pre-pull newapp\ngit-post-pull newapp\n"
    );

    // Bad names stop before anything runs.
    for (arg, msg) in [
        ("'Bad'", "App name must begin with lowercase alphanumeric character, and may only contain lowercase alphanumerics, dots, and hyphens"),
        ("'../web'", "App name must begin with lowercase alphanumeric character, and may only contain lowercase alphanumerics, dots, and hyphens"),
        ("''", "Please specify an app to run the command on"),
    ] {
        root.dokku(&["git-upload-pack", arg])
            .code(1)
            .stdout("")
            .stderr(&format!(" !     {msg}\n"));
    }
    assert_eq!(take_log(&root), "");

    // With auto-creation off, a missing app is refused.
    root.dokku(&["apps:set", "--global", "disable-autocreation", "true"])
        .ok();
    let out = root.dokku_stdin(&["git-upload-pack", "'other'"], b"0000");
    out.code(1);
    assert!(
        out.stderr.contains("App auto-creation disabled."),
        "{}",
        out.stderr
    );
    assert!(!home(&root, "other").exists());
    assert_eq!(take_log(&root), "");

    // The protocol itself: the ref advertisement, then a flush ends the session.
    let out = root.dokku_stdin(&["git-upload-pack", "'/web'"], b"0000");
    out.ok();
    assert!(
        out.stdout.contains(&format!("{sha} HEAD")),
        "{}",
        out.stdout
    );
}
