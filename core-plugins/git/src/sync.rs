//! `git:sync <app> <repository> [<git-ref>]`: clone (first time) or fetch (afterwards) a
//! remote repository into the app's bare repository, as upstream does, without building.
//! `--build`/`--build-if-changes` need the deploy pipeline and are refused.

use std::fs;
use std::io;
use std::os::unix::fs::DirBuilderExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};

use dokku_common::{lock, log, Error, Result};

use crate::props::{self, PLUGIN};
use crate::subcommands::verify_app;
use crate::{refname, repo};

struct Args {
    app: String,
    remote: String,
    gitref: String,
    build_flag: Option<String>,
    skip_deploy_branch: bool,
}

/// Upstream takes the flags anywhere among the arguments.
fn parse(args: &[String]) -> Args {
    let mut build_flag = None;
    let mut skip_deploy_branch = false;
    let mut positional = Vec::new();
    for arg in args {
        match arg.as_str() {
            "--build" | "--build-if-changes" => build_flag = Some(arg.clone()),
            "--skip-deploy-branch" => skip_deploy_branch = true,
            _ => positional.push(arg.clone()),
        }
    }
    let at = |i: usize| positional.get(i).cloned().unwrap_or_default();
    Args {
        app: at(0),
        remote: at(1),
        gitref: at(2),
        build_flag,
        skip_deploy_branch,
    }
}

/// A repository URL git may be handed: nothing option-like, no whitespace or control bytes.
fn is_valid_remote(remote: &str) -> bool {
    !remote.starts_with('-') && !remote.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// A branch, tag or commit name; revision expressions (`HEAD~1`) and option-like names
/// are refused so the ref can never reach git as an option.
fn is_valid_ref(gitref: &str) -> bool {
    refname::is_valid_branch(gitref)
}

pub fn sync(args: &[String]) -> Result<()> {
    let args = parse(args);
    verify_app(&args.app)?;
    if args.remote.is_empty() {
        return Err(log::fail("Missing GIT_REMOTE parameter"));
    }
    if let Some(flag) = &args.build_flag {
        return Err(log::fail(format!(
            "git:sync {flag} requires the deploy pipeline, not yet in dokku-rs"
        )));
    }
    if !is_valid_remote(&args.remote) {
        return Err(log::fail(format!(
            "Invalid git repository specified: \"{}\"",
            args.remote
        )));
    }
    if !args.gitref.is_empty() && !is_valid_ref(&args.gitref) {
        return Err(log::fail(format!(
            "Invalid git ref specified: \"{}\"",
            args.gitref
        )));
    }
    let _lock = lock::app_lock(&args.app)?;
    let root = repo::app_root(&args.app);
    let deploy_branch = props::computed_deploy_branch(&args.app, props::DEFAULT_BRANCH);
    let target = format!("{}#{}", args.remote, args.gitref);
    if resolve(&root, &deploy_branch).is_none() {
        log::info1_quiet(&format!("Cloning {} from {target}", args.app));
        clone(&args, &root, &deploy_branch)
    } else {
        log::verbose(&format!(
            "Fetching remote code for {} from {target}",
            args.app
        ));
        fetch(&args, &root, &deploy_branch)
    }
}

/// `git rev-parse --verify <rev>` in `dir`: the sha, or None when it does not resolve.
fn resolve(dir: &Path, rev: &str) -> Option<String> {
    let out = repo::git(
        dir,
        &["rev-parse", "--verify", "--quiet", "--end-of-options", rev],
    )
    .stdin(Stdio::null())
    .stderr(Stdio::null())
    .output()
    .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// A git command that talks to the remote: never prompts for credentials.
fn remote_git(dir: &Path, args: &[&str]) -> Command {
    let mut cmd = repo::git(dir, args);
    cmd.env("GIT_TERMINAL_PROMPT", "0").stdin(Stdio::null());
    cmd
}

fn run(mut cmd: Command, what: &str) -> Result<()> {
    let status = cmd
        .status()
        .map_err(|e| Error::new(format!("Unable to run git {what}: {e}")))?;
    repo::exit_status(status)
}

fn succeeds(mut cmd: Command) -> bool {
    cmd.stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Upstream's `suppress_output`: the command's output (both streams, in order) is shown on
/// stdout only when it fails.
fn run_suppressed(mut cmd: Command, log_file: &Path, what: &str) -> Result<()> {
    let file = fs::File::create(log_file)
        .map_err(|e| Error::new(format!("Unable to create {}: {e}", log_file.display())))?;
    let err = file
        .try_clone()
        .map_err(|e| Error::new(format!("Unable to run git {what}: {e}")))?;
    let status = cmd
        .stdout(file)
        .stderr(err)
        .status()
        .map_err(|e| Error::new(format!("Unable to run git {what}: {e}")))?;
    if !status.success() {
        log::write_stdout(&String::from_utf8_lossy(
            &fs::read(log_file).unwrap_or_default(),
        ));
    }
    repo::exit_status(status)
}

/// A private scratch directory under the system temp dir, removed on drop.
struct Scratch(PathBuf);

impl Scratch {
    fn new() -> Result<Scratch> {
        static N: AtomicU64 = AtomicU64::new(0);
        loop {
            let dir = std::env::temp_dir().join(format!(
                "dokku-git-sync-{}-{}",
                std::process::id(),
                N.fetch_add(1, Ordering::Relaxed)
            ));
            match fs::DirBuilder::new().mode(0o700).create(&dir) {
                Ok(()) => return Ok(Scratch(dir)),
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
                Err(e) => {
                    return Err(Error::new(format!(
                        "Unable to create {}: {e}",
                        dir.display()
                    )))
                }
            }
        }
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// First sync: clone into a scratch directory, shape its branches, then copy its `.git`
/// over the (empty) app repository. Nothing reaches the app before the clone succeeded.
fn clone(args: &Args, root: &Path, deploy_branch: &str) -> Result<()> {
    let gitref = if args.gitref.is_empty() {
        deploy_branch
    } else {
        args.gitref.as_str()
    };
    let scratch = Scratch::new()?;
    let probe = scratch.0.join("probe");
    let work = scratch.0.join("clone");
    let log_file = scratch.0.join("output");
    let (probe_s, work_s) = (probe.to_string_lossy(), work.to_string_lossy());

    // A shallow clone of `--branch` succeeds for branches and tags; anything else is a commit.
    let is_commit = !succeeds(remote_git(
        &scratch.0,
        &[
            "clone",
            "--depth",
            "1",
            "-n",
            "--branch",
            gitref,
            "--",
            &args.remote,
            &probe_s,
        ],
    ));
    let mut new_deploy_branch = None;
    if is_commit {
        run_suppressed(
            remote_git(&scratch.0, &["clone", "-n", "--", &args.remote, &work_s]),
            &log_file,
            "clone",
        )?;
        run(repo::git(&work, &["checkout", "-qq", gitref]), "checkout")?;
    } else {
        run_suppressed(
            remote_git(
                &scratch.0,
                &[
                    "clone",
                    "-n",
                    "--branch",
                    gitref,
                    "--",
                    &args.remote,
                    &work_s,
                ],
            ),
            &log_file,
            "clone",
        )?;
        let head = format!("refs/heads/{gitref}");
        if succeeds(repo::git(
            &work,
            &["show-ref", "--verify", "--quiet", &head],
        )) {
            if args.skip_deploy_branch {
                log::verbose(&format!(
                    "Detected branch {gitref}, skipping deploy-branch setting"
                ));
            } else {
                log::verbose(&format!(
                    "Detected branch, setting deploy-branch to {gitref}"
                ));
                new_deploy_branch = Some(gitref.to_string());
            }
        }
    }

    let deploy_branch = new_deploy_branch.as_deref().unwrap_or(deploy_branch);
    if gitref != deploy_branch {
        if is_commit {
            let _ = succeeds(repo::git(&work, &["branch", "-qq", "-D", deploy_branch]));
        }
        run(
            repo::git(&work, &["checkout", "-qq", "-b", deploy_branch]),
            "checkout",
        )?;
    }

    repo::copy_tree(&work.join(".git"), root)?;
    if let Some(branch) = &new_deploy_branch {
        props::store().set(PLUGIN, &args.app, "deploy-branch", branch)?;
    }
    repo::create_hook(&args.app)?;
    run(
        repo::git(root, &["config", "--add", "core.bare", "true"]),
        "config",
    )
}

/// Later syncs: fetch into the app repository and point the deploy branch at the ref.
fn fetch(args: &Args, root: &Path, deploy_branch: &str) -> Result<()> {
    if !refname::is_valid_branch(deploy_branch) {
        log::warn(&format!(
            "Invalid branch name '{deploy_branch}' specified via deploy-branch setting."
        ));
        log::warn("For more details, please see the man page for 'git-check-ref-format.'");
        return Ok(());
    }
    let head = format!("refs/heads/{deploy_branch}");
    // Fetch by URL before touching the remote's configuration, and without FETCH_HEAD
    // (nothing reads it), so a bad URL changes nothing.
    if args.gitref.is_empty() {
        let refspec = format!("+{head}:{head}");
        run(
            remote_git(
                root,
                &[
                    "fetch",
                    "--update-head-ok",
                    "--no-tags",
                    "--no-write-fetch-head",
                    "--",
                    &args.remote,
                    &refspec,
                ],
            ),
            "fetch",
        )?;
    } else {
        let before = resolve(root, &head);
        run(
            remote_git(
                root,
                &[
                    "fetch",
                    "--update-head-ok",
                    "--no-tags",
                    "--no-write-fetch-head",
                    "--",
                    &args.remote,
                    "+refs/*:refs/*",
                ],
            ),
            "fetch",
        )?;
        let target = format!("{}^{{commit}}", args.gitref);
        let moved = run(
            repo::git(root, &["update-ref", &head, &target]),
            "update-ref",
        );
        if let Err(err) = moved {
            // The mirror fetch may have moved the deploy branch too; an unknown ref must
            // leave it where it was.
            if let Some(sha) = before {
                let _ = succeeds(repo::git(root, &["update-ref", &head, &sha]));
            }
            return Err(err);
        }
    }
    let _ = succeeds(repo::git(root, &["remote", "rm", "remote"]));
    let mut add = repo::git(
        root,
        &[
            "remote",
            "add",
            "--mirror=fetch",
            "--no-tags",
            "remote",
            "--",
            &args.remote,
        ],
    );
    add.stdin(Stdio::null());
    run(add, "remote add")?;
    run(
        repo::git(root, &["config", "--add", "core.bare", "true"]),
        "config",
    )
}
