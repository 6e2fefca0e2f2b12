//! `git:help`, `git:report`, `git:set`, `git:initialize`, `git:status` through the real
//! `dokku` entry point: bytes and exit codes as upstream's, refused input writing nothing.

mod common;

use std::fs;

use common::*;

const USAGE: &str = "Usage: dokku git[:COMMAND]

Manage app deploys via git

Additional commands:
    git:allow-host <host>                                                                         Adds a host to known_hosts
    git:auth <host> [<username> <password>]                                                       Configures netrc authentication for a given git server
    git:auth-status <host> [<username> <password>]                                                Reports whether the netrc entry matches the requested state (exit 0 if matches)
    git:from-archive <app> <archive-url> [<git-username> <git-email>]                             Updates an app's git repository with a given archive file
    git:from-image <app> <docker-image> [<git-username> <git-email>]                              Updates an app's git repository with a given docker image
    git:generate-deploy-key                                                                       Generates a deploy ssh key
    git:initialize <app>                                                                          Initialize a git repository for an app
    git:load-image <app> <docker-image> [<git-username> <git-email>]                              Updates an app's git repository with a docker image loaded from stdin
    git:public-key                                                                                Outputs the dokku public deploy key
    git:report [<app>] [<flag>]                                                                   Displays a git report for one or more apps
    git:set <app> <property> (<value>)                                                            Set or clear a git property for an app
    git:status <app>                                                                              show the working tree status for an app
    git:sync [--build|--build-if-changes] [--skip-deploy-branch] <app> <repository> [<git-ref>]   Clone or fetch an app from remote git repo
";

const HOOK: &str = "#!/usr/bin/env bash\nset -e\nset -o pipefail\n\ncat | DOKKU_ROOT=\"{root}\" dokku git-hook \"{app}\"\n";

fn hook_for(root: &Root, app: &str) -> String {
    HOOK.replace("{root}", &root.home().display().to_string())
        .replace("{app}", app)
}

#[test]
fn help_texts() {
    let root = Root::new();
    root.dokku(&["git:help"]).ok().stdout(USAGE).stderr("");
    root.dokku(&["git"]).ok().stdout(USAGE).stderr("");
    commands(&root, "git", "help", false)
        .ok()
        .stdout("    git, Manage app deploys via git\n");
    let all = commands(&root, "git", "help", true);
    all.ok();
    assert_eq!(all.stdout.lines().count(), 13);
    assert!(all.stdout.starts_with(
        "    git:allow-host <host>, Adds a host to known_hosts\n    git:auth <host> [<username> <password>], Configures"
    ));
    assert!(all
        .stdout
        .ends_with("    git:status <app>, show the working tree status for an app\n"));
    for word in ["git", "git:sync", "git-hook", "git-receive-pack"] {
        commands(&root, "git", word, false)
            .code(10)
            .stdout("")
            .stderr("");
    }
    // `git:sync` is a subcommand; the rest of the deploy path is not here yet.
    root.dokku(&["git:sync", "web", "x"])
        .code(20)
        .stderr(" !     App web does not exist\n");
    root.dokku(&["git-hook", "web"])
        .code(1)
        .stderr(" !     `git-hook web` is not a dokku command.\n !     See `dokku help` for a list of available commands.\n");
}

#[test]
fn create_makes_a_bare_repo_with_the_hook() {
    let root = root_with_app();
    let app = home(&root, "web");
    assert_eq!(
        read(&app.join("hooks/pre-receive")).unwrap(),
        hook_for(&root, "web")
    );
    assert_eq!(mode(&app.join("hooks/pre-receive")), 0o755);
    assert_eq!(git(&app, &["rev-parse", "--is-bare-repository"]), "true");
    assert!(app.join("refs/heads").is_dir());
}

fn report_text(app: &str, sha: &str, updated: &str, rev: &str) -> String {
    format!(
        "=====> {app} git information
       Git computed archive max files: 10000
       Git computed archive max size:  1073741824
       Git computed deploy branch:     master
       Git computed keep git dir:      false
       Git deploy branch:              
       Git global archive max files:   
       Git global archive max size:    
       Git global deploy branch:       
       Git global keep git dir:        
       Git keep git dir:               
       Git last updated at:            {updated}
       Git rev env var:                {rev}
       Git sha:                        {sha}
       Git source image:               
"
    )
}

#[test]
fn report_before_and_after_code() {
    let root = root_with_app();
    // An empty bare repository answers `HEAD` to `git rev-parse HEAD`, as upstream shows.
    root.dokku(&["git:report", "web"])
        .ok()
        .stdout(&report_text("web", "HEAD", "", "GIT_REV"))
        .stderr("");
    root.dokku(&["git:report", "web", "--git-deploy-branch"])
        .ok()
        .stdout("\n");
    root.dokku(&["git:report", "web", "--git-computed-deploy-branch"])
        .ok()
        .stdout("master\n");

    let sha = commit_into_app(&root, "web", "master", "a");
    let mtime = fs::metadata(home(&root, "web/refs/heads/master"))
        .unwrap()
        .modified()
        .unwrap()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        .to_string();
    root.dokku(&["git:report", "web"])
        .ok()
        .stdout(&report_text("web", &sha, &mtime, "GIT_REV"));
    root.dokku(&["git:report", "web", "--git-sha"])
        .ok()
        .stdout(&format!("{sha}\n"));
    root.dokku(&["git:report", "web", "--git-last-updated-at"])
        .ok()
        .stdout(&format!("{mtime}\n"));

    // The deploy branch decides which head counts.
    root.dokku(&["git:set", "web", "deploy-branch", "main"])
        .ok();
    root.dokku(&["git:report", "web", "--git-last-updated-at"])
        .ok()
        .stdout("\n");

    // Every app, one after the other.
    root.dokku(&["apps:create", "api"]).ok();
    let all = root.dokku(&["git:report"]);
    all.ok();
    assert!(all.stdout.starts_with("=====> api git information\n"));
    assert!(all.stdout.contains("\n=====> web git information\n"));
}

#[test]
fn report_global_json_and_errors() {
    let root = root_with_app();
    let global = "=====> --global git information
       Git computed archive max files: 10000
       Git computed archive max size:  1073741824
       Git computed deploy branch:     master
       Git computed keep git dir:      false
       Git global archive max files:   
       Git global archive max size:    
       Git global deploy branch:       
       Git global keep git dir:        
";
    root.dokku(&["git:report", "--global"]).ok().stdout(global);
    root.dokku(&["git:report", "--global", "--format", "json"]).ok().stdout(
        "{\"computed-archive-max-files\":\"10000\",\"computed-archive-max-size\":\"1073741824\",\"computed-deploy-branch\":\"master\",\"computed-keep-git-dir\":\"false\",\"global-archive-max-files\":\"\",\"global-archive-max-size\":\"\",\"global-deploy-branch\":\"\",\"global-keep-git-dir\":\"\"}\n",
    );
    root.dokku(&["git:set", "web", "source-image", "alpine:3.20"])
        .ok();
    root.dokku(&["git:set", "web", "rev-env-var", "COMMIT_SHA"])
        .ok();
    root.dokku(&["git:report", "web", "--format", "json"]).ok().stdout(
        "{\"computed-archive-max-files\":\"10000\",\"computed-archive-max-size\":\"1073741824\",\"computed-deploy-branch\":\"master\",\"computed-keep-git-dir\":\"false\",\"deploy-branch\":\"\",\"global-archive-max-files\":\"\",\"global-archive-max-size\":\"\",\"global-deploy-branch\":\"\",\"global-keep-git-dir\":\"\",\"keep-git-dir\":\"\",\"last-updated-at\":\"\",\"rev-env-var\":\"COMMIT_SHA\",\"sha\":\"HEAD\",\"source-image\":\"alpine:3.20\"}\n",
    );
    root.dokku(&["git:report", "web", "--git-invalid-flag"]).code(1).stderr(
        " !     Invalid flag passed, valid flags: --git-computed-archive-max-files, --git-computed-archive-max-size, --git-computed-deploy-branch, --git-computed-keep-git-dir, --git-deploy-branch, --git-global-archive-max-files, --git-global-archive-max-size, --git-global-deploy-branch, --git-global-keep-git-dir, --git-keep-git-dir, --git-last-updated-at, --git-rev-env-var, --git-sha, --git-source-image\n",
    );
    root.dokku(&["git:report", "nope"])
        .code(20)
        .stderr(" !     App nope does not exist\n");
    root.dokku(&["git:report", "Bad"]).code(1).stderr(
        " !     App name must begin with lowercase alphanumeric character, and may only contain lowercase alphanumerics, dots, and hyphens\n",
    );
    root.dokku(&["git:report", "web", "--format", "xml"])
        .code(1)
        .stderr(" !     Format must be \"stdout\" or \"json\": \"xml\"\n");
    // The `report` trigger prints the stdout report of one app.
    root.dokku(&["git:set", "web", "rev-env-var"]).ok();
    let report = root.plugn(&["trigger", "report", "web"]);
    report.ok();
    assert!(report
        .stdout
        .contains("=====> web git information\n       Git computed archive max files: 10000\n"));
    assert!(report
        .stdout
        .contains("\n       Git rev env var:                \n"));
}

#[test]
fn report_with_no_apps_warns() {
    let root = Root::new();
    root.dokku(&["git:report"])
        .ok()
        .stdout("")
        .stderr(" !     You haven't deployed any applications yet\n");
}

#[test]
fn set_properties() {
    let root = root_with_app();
    root.dokku(&["git:set", "web", "deploy-branch", "main"])
        .ok()
        .stdout("=====> Setting deploy-branch to main\n")
        .stderr("");
    assert_eq!(
        read(&prop_path(&root, "web/deploy-branch")).unwrap(),
        "main"
    );
    assert_eq!(mode(&prop_path(&root, "web/deploy-branch")), 0o600);
    root.dokku(&["git:report", "web", "--git-computed-deploy-branch"])
        .ok()
        .stdout("main\n");
    root.dokku(&["git:set", "web", "deploy-branch"])
        .ok()
        .stdout("=====> Unsetting deploy-branch\n");
    assert!(!prop_path(&root, "web/deploy-branch").exists());

    // Global values feed the computed ones; the app's own value wins.
    root.dokku(&["git:set", "--global", "keep-git-dir", "true"])
        .ok();
    root.dokku(&["git:report", "web", "--git-computed-keep-git-dir"])
        .ok()
        .stdout("true\n");
    root.dokku(&["git:set", "web", "keep-git-dir", "false"])
        .ok();
    root.dokku(&["git:report", "web", "--git-computed-keep-git-dir"])
        .ok()
        .stdout("false\n");
    root.dokku(&["git:report", "web", "--git-global-keep-git-dir"])
        .ok()
        .stdout("true\n");
    root.dokku(&["git:set", "--global", "deploy-branch", "trunk"])
        .ok();
    root.dokku(&["git:report", "web", "--git-computed-deploy-branch"])
        .ok()
        .stdout("trunk\n");
    root.dokku(&["git:set", "--global", "archive-max-files", "5"])
        .ok();
    root.dokku(&["git:report", "--global", "--git-computed-archive-max-files"])
        .ok()
        .stdout("5\n");

    // Clearing rev-env-var keeps an empty value: no revision variable at all.
    root.dokku(&["git:set", "web", "rev-env-var"])
        .ok()
        .stdout("=====> Unsetting rev-env-var\n");
    assert_eq!(read(&prop_path(&root, "web/rev-env-var")).unwrap(), "");
    root.dokku(&["git:report", "web", "--git-rev-env-var"])
        .ok()
        .stdout("\n");

    // Extra arguments are ignored; quiet mode hides the message.
    root.dokku(&[
        "--quiet",
        "git:set",
        "web",
        "source-image",
        "img:1",
        "extra",
    ])
    .ok()
    .stdout("");
    assert_eq!(
        read(&prop_path(&root, "web/source-image")).unwrap(),
        "img:1"
    );
}

#[test]
fn set_refuses_bad_input() {
    let root = root_with_app();
    let config = root.lib().join("config/git");
    let before = snapshot(&config);
    let fail = |args: &[&str], code: i32, stderr: &str| {
        root.dokku(args).code(code).stdout("").stderr(stderr);
    };
    fail(&["git:set"], 20, " !     App  does not exist\n");
    fail(
        &["git:set", "nope", "deploy-branch", "x"],
        20,
        " !     App nope does not exist\n",
    );
    fail(
        &["git:set", "../web", "deploy-branch", "x"],
        20,
        " !     App ../web does not exist\n",
    );
    fail(&["git:set", "web"], 1, " !     No key specified\n");
    fail(
        &["git:set", "web", "enabled", "x"],
        1,
        " !     Invalid key specified, valid keys include: archive-max-files, archive-max-size, deploy-branch, keep-git-dir, rev-env-var, source-image\n",
    );
    fail(&["git:set", "--global"], 1, " !     No key specified\n");
    for branch in [
        "../../etc",
        "a..b",
        "-x",
        "HEAD",
        "a b",
        "a\nb",
        "a~1",
        "x.lock",
        "/x",
        "x/",
        "a//b",
        "@{-1}",
        ".hidden",
        "a:b",
        "a?b",
        "a*b",
        "a[b",
        "a\\b",
        "x.",
    ] {
        let msg = format!(
            " !     Invalid branch name '{branch}' specified via deploy-branch setting.\n !     For more details, please see the man page for 'git-check-ref-format.'\n"
        );
        fail(&["git:set", "web", "deploy-branch", branch], 1, &msg);
        fail(&["git:set", "--global", "deploy-branch", branch], 1, &msg);
    }
    assert_eq!(snapshot(&config), before);
    root.dokku(&["git:set", "web", "deploy-branch", "feature/x-1.2"])
        .ok();
    root.dokku(&["git:set", "web", "deploy-branch", "ünïcode"])
        .ok();
}

#[test]
fn initialize_and_status() {
    let root = root_with_app();
    let hook = home(&root, "web/hooks/pre-receive");
    fs::write(&hook, "tampered").unwrap();
    root.dokku(&["git:initialize", "web"])
        .ok()
        .stdout("-----> Initializing git repository for web\n")
        .stderr("");
    assert_eq!(read(&hook).unwrap(), hook_for(&root, "web"));
    assert_eq!(mode(&hook), 0o755);
    root.dokku(&["--quiet", "git:initialize", "web"])
        .ok()
        .stdout("");

    // An app directory without a repository gets one.
    fs::remove_dir_all(home(&root, "web")).unwrap();
    fs::create_dir(home(&root, "web")).unwrap();
    root.dokku(&["git:initialize", "web"]).ok();
    assert_eq!(
        git(&home(&root, "web"), &["rev-parse", "--is-bare-repository"]),
        "true"
    );
    assert_eq!(read(&hook).unwrap(), hook_for(&root, "web"));

    root.dokku(&["git:initialize"])
        .code(20)
        .stderr(" !     App  does not exist\n");
    root.dokku(&["git:initialize", "nope"])
        .code(20)
        .stderr(" !     App nope does not exist\n");
    assert!(!home(&root, "nope").exists());

    // A bare repository has no work tree: git's own answer and status.
    root.dokku(&["git:status", "web"])
        .code(128)
        .stdout("")
        .stderr("fatal: this operation must be run in a work tree\n");
    root.dokku(&["git:status"])
        .code(20)
        .stderr(" !     App  does not exist\n");
    root.dokku(&["git:status", "nope"])
        .code(20)
        .stderr(" !     App nope does not exist\n");
}
