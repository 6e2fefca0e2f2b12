//! `git:sync` without a build: clone and fetch from real repositories served by `file://`.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::*;

/// An upstream repository with `main` (two commits), the tag `v1` on the first commit and
/// the branch `feature`. Returns its path and the sha of each commit.
struct Upstream {
    dir: PathBuf,
    first: String,
    second: String,
    feature: String,
}

impl Upstream {
    fn new(root: &Root) -> Upstream {
        let dir = root.dir.join("upstream");
        fs::create_dir_all(&dir).unwrap();
        git(&dir, &["init", "-q", "-b", "main"]);
        let first = commit(&dir, "a");
        git(&dir, &["tag", "v1"]);
        let second = commit(&dir, "b");
        git(&dir, &["checkout", "-q", "-b", "feature"]);
        let feature = commit(&dir, "f");
        git(&dir, &["checkout", "-q", "main"]);
        Upstream {
            dir,
            first,
            second,
            feature,
        }
    }

    fn url(&self) -> String {
        format!("file://{}", self.dir.display())
    }
}

fn commit(dir: &Path, file: &str) -> String {
    fs::write(dir.join(file), file).unwrap();
    git(dir, &["add", file]);
    git(dir, &["commit", "-q", "-m", file]);
    git(dir, &["rev-parse", "HEAD"])
}

fn app_rev(root: &Root, rev: &str) -> String {
    git(&home(root, "web"), &["rev-parse", rev])
}

fn deploy_branch(root: &Root) -> Option<String> {
    read(&prop_path(root, "web/deploy-branch"))
}

/// Compare snapshots without dumping every object's bytes on failure.
fn same_files(a: &[(PathBuf, Vec<u8>)], b: &[(PathBuf, Vec<u8>)]) {
    let names = |s: &[(PathBuf, Vec<u8>)]| s.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>();
    assert_eq!(names(a), names(b));
    for ((p, x), (_, y)) in a.iter().zip(b) {
        assert!(x == y, "{} changed", p.display());
    }
}

fn hook_is_ours(root: &Root) {
    let hook = read(&home(root, "web/hooks/pre-receive")).unwrap();
    assert!(hook.ends_with("dokku git-hook \"web\"\n"), "{hook}");
    assert_eq!(mode(&home(root, "web/hooks/pre-receive")), 0o755);
}

#[test]
fn first_sync_of_a_branch_clones_and_sets_the_deploy_branch() {
    let root = root_with_app();
    let up = Upstream::new(&root);
    let url = up.url();
    root.dokku(&["git:sync", "web", &url, "main"])
        .ok()
        .stdout(&format!(
            "-----> Cloning web from {url}#main\n       Detected branch, setting deploy-branch to main\n"
        ))
        .stderr("");
    assert_eq!(deploy_branch(&root).as_deref(), Some("main"));
    assert_eq!(app_rev(&root, "refs/heads/main"), up.second);
    assert_eq!(app_rev(&root, "HEAD"), up.second);
    assert_eq!(
        git(&home(&root, "web"), &["rev-parse", "--is-bare-repository"]),
        "true"
    );
    hook_is_ours(&root);
    root.dokku(&["git:report", "web", "--git-sha"])
        .ok()
        .stdout(&format!("{}\n", up.second));
}

#[test]
fn skip_deploy_branch_keeps_the_setting() {
    let root = root_with_app();
    let up = Upstream::new(&root);
    let url = up.url();
    root.dokku(&["git:sync", "--skip-deploy-branch", "web", &url, "feature"])
        .ok()
        .stdout(&format!(
            "-----> Cloning web from {url}#feature\n       Detected branch feature, skipping deploy-branch setting\n"
        ));
    assert_eq!(deploy_branch(&root), None);
    assert_eq!(app_rev(&root, "refs/heads/master"), up.feature);
}

#[test]
fn first_sync_of_a_tag_points_the_deploy_branch_at_it() {
    let root = root_with_app();
    let up = Upstream::new(&root);
    let url = up.url();
    root.dokku(&["git:sync", "web", &url, "v1"])
        .ok()
        .stdout(&format!("-----> Cloning web from {url}#v1\n"))
        .stderr("");
    assert_eq!(deploy_branch(&root), None);
    assert_eq!(app_rev(&root, "refs/heads/master"), up.first);
    hook_is_ours(&root);
}

#[test]
fn first_sync_of_a_commit_sha() {
    let root = root_with_app();
    let up = Upstream::new(&root);
    let url = up.url();
    root.dokku(&["git:sync", "web", &url, &up.first])
        .ok()
        .stdout(&format!("-----> Cloning web from {url}#{}\n", up.first))
        .stderr("");
    assert_eq!(deploy_branch(&root), None);
    assert_eq!(app_rev(&root, "refs/heads/master"), up.first);
    assert!(root
        .dokku(&["git:report", "web", "--git-last-updated-at"])
        .stdout
        .trim()
        .parse::<u64>()
        .is_ok());
}

#[test]
fn resync_fetches_new_commits() {
    let root = root_with_app();
    let up = Upstream::new(&root);
    let url = up.url();
    root.dokku(&["git:sync", "web", &url, "main"]).ok();
    let third = commit(&up.dir, "c");

    // No ref: the deploy branch is fetched from the remote branch of the same name.
    root.dokku(&["git:sync", "web", &url]).ok().stdout(&format!(
        "       Fetching remote code for web from {url}#\n"
    ));
    assert_eq!(app_rev(&root, "refs/heads/main"), third);
    let remote = git(
        &home(&root, "web"),
        &["config", "--get", "remote.remote.url"],
    );
    assert_eq!(remote, url);

    // A ref: everything is mirrored, then the deploy branch points at the ref.
    root.dokku(&["git:sync", "web", &url, "v1"])
        .ok()
        .stdout(&format!(
            "       Fetching remote code for web from {url}#v1\n"
        ));
    assert_eq!(app_rev(&root, "refs/heads/main"), up.first);
    assert_eq!(app_rev(&root, "refs/heads/feature"), up.feature);
    root.dokku(&["git:sync", "web", &url, &up.second]).ok();
    assert_eq!(app_rev(&root, "refs/heads/main"), up.second);
    root.dokku(&["git:sync", "web", &url, "feature"]).ok();
    assert_eq!(app_rev(&root, "refs/heads/main"), up.feature);
    assert_eq!(deploy_branch(&root).as_deref(), Some("main"));
    hook_is_ours(&root);
}

#[test]
fn bad_url_fails_and_writes_nothing() {
    let root = root_with_app();
    let before = snapshot(&home(&root, "web"));
    let missing = format!("file://{}", root.dir.join("nope").display());
    let run = root.dokku(&["git:sync", "web", &missing, "main"]);
    assert_eq!(run.code, 128, "{run:?}");
    assert!(run
        .stdout
        .starts_with(&format!("-----> Cloning web from {missing}#main\n")));
    assert!(run.stdout.contains("fatal:"), "{}", run.stdout);
    same_files(&snapshot(&home(&root, "web")), &before);
    assert_eq!(deploy_branch(&root), None);

    root.dokku(&["git:sync", "web", "--upload-pack=touch /tmp/x"])
        .code(1)
        .stdout("")
        .stderr(" !     Invalid git repository specified: \"--upload-pack=touch /tmp/x\"\n");
    root.dokku(&["git:sync", "web", "-ufoo"])
        .code(1)
        .stderr(" !     Invalid git repository specified: \"-ufoo\"\n");
    same_files(&snapshot(&home(&root, "web")), &before);

    // After a first sync, a bad URL leaves the refs and the remote configuration alone.
    let up = Upstream::new(&root);
    root.dokku(&["git:sync", "web", &up.url(), "main"]).ok();
    let synced = snapshot(&home(&root, "web"));
    let run = root.dokku(&["git:sync", "web", &missing, "main"]);
    assert_eq!(run.code, 128, "{run:?}");
    same_files(&snapshot(&home(&root, "web")), &synced);
}

#[test]
fn bad_ref_fails_and_writes_nothing() {
    let root = root_with_app();
    let up = Upstream::new(&root);
    let url = up.url();
    let before = snapshot(&home(&root, "web"));
    for bad in ["-b", "--orphan", "HEAD~1", "a b", "x..y"] {
        root.dokku(&["git:sync", "web", &url, bad])
            .code(1)
            .stdout("")
            .stderr(&format!(" !     Invalid git ref specified: \"{bad}\"\n"));
    }
    let run = root.dokku(&["git:sync", "web", &url, "nosuch"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(
        run.stdout,
        format!("-----> Cloning web from {url}#nosuch\n")
    );
    assert!(run.stderr.contains("nosuch"), "{}", run.stderr);
    same_files(&snapshot(&home(&root, "web")), &before);
    assert_eq!(deploy_branch(&root), None);

    // Fetch path: an unknown ref leaves the deploy branch where it was.
    root.dokku(&["git:sync", "web", &url, "v1"]).ok();
    assert_eq!(app_rev(&root, "refs/heads/master"), up.first);
    git(&up.dir, &["branch", "master", &up.second]);
    let run = root.dokku(&["git:sync", "web", &url, "nosuch"]);
    assert_eq!(run.code, 128, "{run:?}");
    assert_eq!(app_rev(&root, "refs/heads/master"), up.first);
}

#[test]
fn missing_app_remote_and_build_flags() {
    let root = root_with_app();
    let up = Upstream::new(&root);
    let url = up.url();
    root.dokku(&["git:sync", "nope", &url])
        .code(20)
        .stdout("")
        .stderr(" !     App nope does not exist\n");
    root.dokku(&["git:sync"])
        .code(20)
        .stderr(" !     App  does not exist\n");
    root.dokku(&["git:sync", "web"])
        .code(1)
        .stderr(" !     Missing GIT_REMOTE parameter\n");
    let before = snapshot(&home(&root, "web"));
    for flag in ["--build", "--build-if-changes"] {
        root.dokku(&["git:sync", flag, "web", &url, "main"])
            .code(1)
            .stdout("")
            .stderr(&format!(
                " !     git:sync {flag} requires the deploy pipeline, not yet in dokku-rs\n"
            ));
    }
    same_files(&snapshot(&home(&root, "web")), &before);
    assert_eq!(deploy_branch(&root), None);
}
