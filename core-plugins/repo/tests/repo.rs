//! `repo:*` through the real `dokku` entry point, on real git repositories.

use std::fs;
use std::path::Path;
use std::process::Command;

use dokku_rs_testkit::{Root, Run};

const USAGE: &str = "Usage: dokku repo[:COMMAND]

Manage the app's repo

Additional commands:
    repo:gc <app>           Runs 'git gc --aggressive' against the application's repo
    repo:purge-cache <app>  Deletes the contents of the build cache stored in the repository
";

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.com")
        .output()
        .expect("run git");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// Two commits on two branches fetched into the app's repository as loose objects.
fn app_with_code(root: &Root) -> (String, String) {
    root.dokku(&["apps:create", "web"]).ok();
    let src = root.dir.join("src");
    fs::create_dir_all(&src).unwrap();
    git(&src, &["init", "-q"]);
    fs::write(src.join("a"), "a").unwrap();
    git(&src, &["add", "a"]);
    git(&src, &["commit", "-q", "-m", "a"]);
    let first = git(&src, &["rev-parse", "HEAD"]);
    fs::write(src.join("b"), "b").unwrap();
    git(&src, &["add", "b"]);
    git(&src, &["commit", "-q", "-m", "b"]);
    let second = git(&src, &["rev-parse", "HEAD"]);
    let app = root.home().join("web");
    let src = src.to_str().unwrap();
    git(
        &app,
        &[
            "fetch",
            "-q",
            "--no-write-fetch-head",
            src,
            &format!("{first}:refs/heads/master"),
        ],
    );
    git(
        &app,
        &[
            "fetch",
            "-q",
            "--no-write-fetch-head",
            src,
            &format!("{second}:refs/heads/next"),
        ],
    );
    (first, second)
}

fn commands(root: &Root, word: &str, all: bool) -> Run {
    let script = root.lib().join("plugins/enabled/repo/commands");
    let body = if all {
        "\"$1\" \"$2\"; : --all"
    } else {
        "\"$1\" \"$2\""
    };
    Run::from(
        root.command("bash")
            .args(["-c", body, "bash"])
            .arg(&script)
            .arg(word)
            .env("DOKKU_NOT_IMPLEMENTED_EXIT", "10")
            .output()
            .unwrap(),
    )
}

#[test]
fn help_texts() {
    let root = Root::new();
    root.dokku(&["repo:help"]).ok().stdout(USAGE).stderr("");
    root.dokku(&["repo"]).ok().stdout(USAGE).stderr("");
    commands(&root, "help", false)
        .ok()
        .stdout("\n    repo, Manage the app's repo\n");
    commands(&root, "help", true).ok().stdout(
        "\n    repo:gc <app>, Runs 'git gc --aggressive' against the application's repo\n    repo:purge-cache <app>, Deletes the contents of the build cache stored in the repository\n",
    );
    commands(&root, "repo:gc", false).code(10).stdout("");
    // The build cache comes with the deploy work.
    root.dokku(&["repo:purge-cache", "web"]).code(1).stderr(
        " !     `repo:purge-cache web` is not a dokku command.\n !     See `dokku help` for a list of available commands.\n",
    );
}

#[test]
fn gc_packs_and_keeps_heads() {
    let root = Root::new();
    let (first, second) = app_with_code(&root);
    let app = root.home().join("web");
    let loose = |app: &Path| {
        git(app, &["count-objects", "-v"])
            .lines()
            .find_map(|l| l.strip_prefix("count: ").map(str::to_string))
            .unwrap()
    };
    assert_ne!(loose(&app), "0");
    root.dokku(&["repo:gc", "web"]).ok().stdout("").stderr("");
    assert_eq!(loose(&app), "0");
    assert_eq!(
        fs::read_to_string(app.join("refs/heads/master")).unwrap(),
        format!("{first}\n")
    );
    assert_eq!(
        fs::read_to_string(app.join("refs/heads/next")).unwrap(),
        format!("{second}\n")
    );
    assert!(fs::read_to_string(app.join("packed-refs"))
        .unwrap()
        .contains(&first));
    assert_eq!(git(&app, &["rev-parse", "next"]), second);
    // The deploy path still sees code on the deploy branch.
    root.plugn(&["trigger", "git-has-code", "web"]).ok();
    // Running it again is harmless.
    root.dokku(&["repo:gc", "web"]).ok();
    assert_eq!(git(&app, &["rev-parse", "master"]), first);
}

#[test]
fn gc_errors() {
    let root = Root::new();
    root.dokku(&["repo:gc"])
        .code(1)
        .stdout("")
        .stderr(" !     Please specify an app to run the command on\n");
    root.dokku(&["repo:gc", "nope"])
        .code(20)
        .stderr(" !     App nope does not exist\n");
    root.dokku(&["repo:gc", "Bad"]).code(1).stderr(
        " !     App name must begin with lowercase alphanumeric character, and may only contain lowercase alphanumerics, dots, and hyphens\n",
    );
    root.dokku(&["repo:gc", "-x", "web"])
        .code(2)
        .stderr("Usage of repo:gc:\nunknown shorthand flag: 'x' in -x\n");
    root.dokku(&["repo:gc", "--aggressive", "web"])
        .code(2)
        .stderr("Usage of repo:gc:\nunknown flag: --aggressive\n");

    // An app directory that holds no repository: git's complaint, shown twice as upstream's
    // streamed-and-wrapped stderr does.
    fs::create_dir_all(root.home().join("norepo")).unwrap();
    let path = root.home().join("norepo");
    let fatal = format!("fatal: not a git repository: '{}'\n", path.display());
    root.dokku(&["repo:gc", "norepo"])
        .code(1)
        .stdout("")
        .stderr(&format!("{fatal} !     Unable to run git gc: {fatal}\n"));
}
