//! `git:report` and the `report` trigger: the raw, global and computed properties, the
//! repository's `HEAD` and when the deploy branch last moved.

use dokku_common::args::nth;
use dokku_common::property::GLOBAL;
use dokku_common::report::{self, Flag, Reporter};
use dokku_common::Result;

use crate::props::{self, PLUGIN};
use crate::repo;

pub struct GitReport;

fn global_flags() -> Vec<Flag<'static>> {
    vec![
        Flag::new("--git-computed-archive-max-files", |_| {
            props::store().get_default(
                PLUGIN,
                GLOBAL,
                "archive-max-files",
                props::DEFAULT_ARCHIVE_MAX_FILES,
            )
        }),
        Flag::new("--git-computed-archive-max-size", |_| {
            props::store().get_default(
                PLUGIN,
                GLOBAL,
                "archive-max-size",
                props::DEFAULT_ARCHIVE_MAX_SIZE,
            )
        }),
        Flag::new("--git-computed-deploy-branch", |app| {
            props::computed_deploy_branch(app, props::DEFAULT_BRANCH)
        }),
        Flag::new("--git-computed-keep-git-dir", props::computed_keep_git_dir),
        Flag::new("--git-global-archive-max-files", |_| {
            props::global("archive-max-files")
        }),
        Flag::new("--git-global-archive-max-size", |_| {
            props::global("archive-max-size")
        }),
        Flag::new("--git-global-deploy-branch", |_| {
            props::global("deploy-branch")
        }),
        Flag::new("--git-global-keep-git-dir", |_| {
            props::global("keep-git-dir")
        }),
    ]
}

impl Reporter for GitReport {
    fn report_type(&self) -> &str {
        "git"
    }

    fn flags(&self, app: &str) -> Result<Vec<Flag<'_>>> {
        let mut flags = global_flags();
        if app != GLOBAL {
            flags.extend([
                Flag::new("--git-deploy-branch", |app| {
                    props::get(app, "deploy-branch")
                }),
                Flag::new("--git-keep-git-dir", |app| props::get(app, "keep-git-dir")),
                Flag::new("--git-last-updated-at", repo::last_updated_at),
                Flag::new("--git-rev-env-var", props::rev_env_var),
                Flag::new("--git-sha", repo::sha),
                Flag::new("--git-source-image", |app| props::get(app, "source-image")),
            ]);
        }
        Ok(flags)
    }
}

/// `git:report [<app>|--global] [--format stdout|json] [<flag>]`.
pub fn subcommand(args: &[String]) -> Result<()> {
    report::run_subcommand("git", args, &GitReport)
}

/// `report <app>`: the stdout report of one app.
pub fn trigger(args: &[String]) -> Result<()> {
    report::report_one(&GitReport, nth(args, 0), "", None)
}
