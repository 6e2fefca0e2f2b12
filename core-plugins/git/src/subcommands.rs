//! The `git:*` settings subcommands (bash upstream). Each receives the arguments after its
//! command word.

use dokku_common::args::nth;
use dokku_common::property::GLOBAL;
use dokku_common::{app, bash_help, log, Error, Result};

use crate::props::{self, PLUGIN};
use crate::{refname, repo};

pub const NAME: &str = "git";
pub const DESCRIPTION: &str = "Manage app deploys via git";
pub const HELP: &[&str] = &[
    "    git:allow-host <host>, Adds a host to known_hosts",
    "    git:auth <host> [<username> <password>], Configures netrc authentication for a given git server",
    "    git:auth-status <host> [<username> <password>], Reports whether the netrc entry matches the requested state (exit 0 if matches)",
    "    git:from-archive <app> <archive-url> [<git-username> <git-email>], Updates an app's git repository with a given archive file",
    "    git:from-image <app> <docker-image> [<git-username> <git-email>], Updates an app's git repository with a given docker image",
    "    git:load-image <app> <docker-image> [<git-username> <git-email>], Updates an app's git repository with a docker image loaded from stdin",
    "    git:sync [--build|--build-if-changes] [--skip-deploy-branch] <app> <repository> [<git-ref>], Clone or fetch an app from remote git repo",
    "    git:initialize <app>, Initialize a git repository for an app",
    "    git:generate-deploy-key, Generates a deploy ssh key",
    "    git:public-key, Outputs the dokku public deploy key",
    "    git:report [<app>] [<flag>], Displays a git report for one or more apps",
    "    git:set <app> <property> (<value>), Set or clear a git property for an app",
    "    git:status <app>, show the working tree status for an app",
];

/// The bash `verify_app_name`: every failure reads `App <app> does not exist`, exit 20.
pub fn verify_app(name: &str) -> Result<()> {
    app::verify_app_name(name).map_err(|_| Error::app_does_not_exist(name))
}

/// Bare `dokku git`: the usage, as `git:help` prints it.
pub fn default(_args: &[String]) -> Result<()> {
    log::write_stdout(&bash_help::usage(NAME, DESCRIPTION, HELP));
    Ok(())
}

/// A deploy branch must be a branch name git accepts; upstream would only complain at the
/// next push, after storing it.
fn check_deploy_branch(value: &str) -> Result<()> {
    if refname::is_valid_branch(value) {
        return Ok(());
    }
    log::warn(&format!(
        "Invalid branch name '{value}' specified via deploy-branch setting."
    ));
    Err(log::fail(
        "For more details, please see the man page for 'git-check-ref-format.'",
    ))
}

/// `git:set <app>|--global <key> [<value>]`. Clearing `rev-env-var` stores an empty value,
/// which turns the revision variable off; clearing anything else deletes the property.
pub fn set(args: &[String]) -> Result<()> {
    let (target, key, value) = (nth(args, 0), nth(args, 1), nth(args, 2));
    if target != GLOBAL {
        verify_app(target)?;
    }
    if key.is_empty() {
        return Err(log::fail("No key specified"));
    }
    if !props::KEYS.contains(&key) {
        return Err(log::fail(format!(
            "Invalid key specified, valid keys include: {}",
            props::KEYS.join(", ")
        )));
    }
    let store = props::store();
    if value.is_empty() {
        log::info2_quiet(&format!("Unsetting {key}"));
        if key == "rev-env-var" {
            return store.set(PLUGIN, target, key, value);
        }
        return store.delete(PLUGIN, target, key);
    }
    if key == "deploy-branch" {
        check_deploy_branch(value)?;
    }
    log::info2_quiet(&format!("Setting {key} to {value}"));
    store.set(PLUGIN, target, key, value)
}

/// `git:initialize <app>`: the bare repository and its hook, for apps made without them.
pub fn initialize(args: &[String]) -> Result<()> {
    let name = nth(args, 0);
    verify_app(name)?;
    log::info1_quiet(&format!("Initializing git repository for {name}"));
    repo::create_hook(name)
}

/// `git:status <app>`: `git status` in the app's repository, its output and status as is
/// (a bare repository answers that it has no work tree, status 128).
pub fn status(args: &[String]) -> Result<()> {
    let name = nth(args, 0);
    verify_app(name)?;
    let status = repo::git(&repo::app_root(name), &["status"])
        .status()
        .map_err(|e| Error::new(format!("Unable to run git status: {e}")))?;
    repo::exit_status(status)
}
