//! The triggers upstream's git plugin answers outside the deploy path.

use std::process::{Command, Stdio};

use dokku_common::args::nth;
use dokku_common::fs::{self as dfs, FILE_MODE};
use dokku_common::property::{self, GLOBAL};
use dokku_common::trigger::Trigger;
use dokku_common::{app, data, log, Error, Paths, Result};

use crate::props::{self, PLUGIN};
use crate::repo;

/// `install`: the data directory, the property tree, the 0.12 migration of
/// `DOKKU_DEPLOY_BRANCH` out of the environment, and a private `.netrc`.
pub fn install(_args: &[String]) -> Result<()> {
    data::create(PLUGIN)?;
    props::store().setup(PLUGIN)?;
    migrate_deploy_branch()?;
    let netrc = Paths::from_env().dokku_root.join(".netrc");
    if netrc.is_file() {
        dfs::set_permissions(&netrc, FILE_MODE)?;
    }
    Ok(())
}

/// Move `DOKKU_DEPLOY_BRANCH` (global, then per app) into the `deploy-branch` property and
/// drop the variable, quietly.
fn migrate_deploy_branch() -> Result<()> {
    const VAR: &str = "DOKKU_DEPLOY_BRANCH";
    let get = |t: Trigger| {
        t.stdin_null()
            .output()
            .map(|o| o.trimmed())
            .unwrap_or_default()
    };
    let unset = |target: &str| {
        let _ = Trigger::new("config-unset")
            .args(&[target, VAR])
            .env("DOKKU_QUIET_OUTPUT", "1")
            .stdin_null()
            .output();
    };
    let store = props::store();
    let value = get(Trigger::new("config-get-global").arg(VAR));
    if !value.is_empty() {
        store.set(PLUGIN, GLOBAL, "deploy-branch", &value)?;
        unset(GLOBAL);
    }
    for name in app::unfiltered_apps().unwrap_or_default() {
        let value = get(Trigger::new("config-get").args(&[name.as_str(), VAR]));
        if !value.is_empty() {
            store.set(PLUGIN, &name, "deploy-branch", &value)?;
            unset(&name);
        }
    }
    Ok(())
}

/// `post-create <app>`: every app gets its bare repository and hook.
pub fn post_create(args: &[String]) -> Result<()> {
    let name = nth(args, 0);
    app::check_name(name)?;
    repo::create_hook(name)
}

/// `post-delete <app>`: the app's properties and its data directory.
pub fn post_delete(args: &[String]) -> Result<()> {
    let name = nth(args, 0);
    app::check_name(name)?;
    props::store().destroy(PLUGIN, name)?;
    data::remove_app(PLUGIN, name)
}

/// `post-app-clone-setup <old> <new>`: copy the properties and the app directory, then
/// point the new repository's hook at the new app.
pub fn post_app_clone_setup(args: &[String]) -> Result<()> {
    let (old, new) = property::app_pair(args)?;
    props::store().clone_app(PLUGIN, old, new)?;
    repo::copy_app_dir(old, new)?;
    repo::create_hook(new)
}

/// `post-app-rename-setup <old> <new>`: as for a clone, the properties moving over.
pub fn post_app_rename_setup(args: &[String]) -> Result<()> {
    let (old, new) = property::app_pair(args)?;
    let store = props::store();
    store.clone_app(PLUGIN, old, new)?;
    store.destroy(PLUGIN, old)?;
    repo::copy_app_dir(old, new)?;
    repo::create_hook(new)
}

/// `deploy-source-set <app> <type> <metadata>`: any source but a docker image clears the
/// recorded `source-image` (to an empty value).
pub fn deploy_source_set(args: &[String]) -> Result<()> {
    if nth(args, 1) == "docker-image" {
        return Ok(());
    }
    props::store().set(PLUGIN, nth(args, 0), "source-image", "")
}

/// `git-deploy-branch <app>`: the computed deploy branch.
pub fn git_deploy_branch(args: &[String]) -> Result<()> {
    log::log(&props::computed_deploy_branch(
        nth(args, 0),
        props::DEFAULT_BRANCH,
    ));
    Ok(())
}

/// `git-get-property <app> <key>`: only `source-image` is answered; other keys fail.
pub fn git_get_property(args: &[String]) -> Result<()> {
    if nth(args, 1) != "source-image" {
        return Err(Error::silent(1));
    }
    let value = props::get(nth(args, 0), "source-image");
    if !value.is_empty() {
        log::log(&value);
    }
    Ok(())
}

/// `git-has-code <app> [<branch>]`: the answer is the exit status.
pub fn git_has_code(args: &[String]) -> Result<()> {
    if repo::has_code(nth(args, 0), nth(args, 1)) {
        Ok(())
    } else {
        Err(Error::silent(1))
    }
}

/// `git-revision <app>`: the value of the app's revision variable (`GIT_REV` unless
/// `rev-env-var` says otherwise), as `config:get` prints it.
pub fn git_revision(args: &[String]) -> Result<()> {
    let name = nth(args, 0);
    let var = props::rev_env_var(name);
    if var.is_empty() {
        return Ok(());
    }
    let config_sub = Paths::from_env()
        .plugin_available_path
        .join("config/config_sub");
    // Upstream ignores the outcome (`|| true`).
    let _ = Command::new(config_sub)
        .args(["get", name, &var])
        .stdin(Stdio::null())
        .status();
    Ok(())
}
