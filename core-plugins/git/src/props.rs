//! The git plugin's properties (`config/git/<app>/<property>`) and the values computed from
//! them, with upstream's defaults.

use dokku_common::property::{Store, GLOBAL};

pub const PLUGIN: &str = "git";

/// Every property `git:set` accepts, in upstream's order.
pub const KEYS: &[&str] = &[
    "archive-max-files",
    "archive-max-size",
    "deploy-branch",
    "keep-git-dir",
    "rev-env-var",
    "source-image",
];

pub const DEFAULT_BRANCH: &str = "master";
pub const DEFAULT_REV_ENV_VAR: &str = "GIT_REV";
pub const DEFAULT_ARCHIVE_MAX_FILES: &str = "10000";
pub const DEFAULT_ARCHIVE_MAX_SIZE: &str = "1073741824";

pub fn store() -> Store {
    Store::from_env()
}

pub fn get(app: &str, key: &str) -> String {
    store().get(PLUGIN, app, key)
}

pub fn global(key: &str) -> String {
    store().get(PLUGIN, GLOBAL, key)
}

/// The app's deploy branch, else the global one, else `default`.
pub fn computed_deploy_branch(app: &str, default: &str) -> String {
    store().get_computed(PLUGIN, app, "deploy-branch", default)
}

pub fn computed_keep_git_dir(app: &str) -> String {
    store().get_computed(PLUGIN, app, "keep-git-dir", "false")
}

/// `rev-env-var`: `GIT_REV` unless set; set but empty means "record no revision".
pub fn rev_env_var(app: &str) -> String {
    store().get_default(PLUGIN, app, "rev-env-var", DEFAULT_REV_ENV_VAR)
}
