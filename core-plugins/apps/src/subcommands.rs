//! The `apps:*` subcommands. Each receives the arguments after its command name.

use std::fs::OpenOptions;
use std::io;

use dokku_common::property::GLOBAL;
use dokku_common::text::push_go_json_string;
use dokku_common::{app, fs as dfs, lock, log, property, Error, Paths, Result};

use crate::flags;
use crate::lifecycle::{self, fire, Sink};

/// Properties `apps:set` accepts per app, and those it accepts with `--global`.
const PROPERTIES: &[&str] = &[
    "deploy-source",
    "deploy-source-metadata",
    "disable-autocreation",
];
const GLOBAL_PROPERTIES: &[&str] = &["disable-autocreation"];

const MSG_NAME_TAKEN: &str = "Name is already taken";
const MSG_NO_NEW_NAME: &str = "Please specify an new app name";

/// `apps:list [--format stdout|json]`.
pub fn list(args: &[String]) -> Result<()> {
    let parsed = flags::LIST.parse(args)?;
    list_apps(parsed.string("format"))
}

/// Go's `CommandList`: a JSON array (empty when there are no apps), or the `My Apps`
/// header and one name per line. Any format but `json` is the text form.
pub fn list_apps(format: &str) -> Result<()> {
    let apps = app::dokku_apps();
    if format == "json" {
        let apps = match apps {
            Ok(apps) => apps,
            Err(e) if e.message() == app::MSG_NO_APPS => Vec::new(),
            Err(e) => return Err(e),
        };
        let mut out = String::from("[");
        for (i, name) in apps.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            push_go_json_string(&mut out, name);
        }
        out.push(']');
        log::log(&out);
        return Ok(());
    }
    log::info2_quiet("My Apps");
    match apps {
        Ok(apps) => {
            let mut out = String::new();
            for name in apps {
                out.push_str(&name);
                out.push('\n');
            }
            log::write_stdout(&out);
        }
        Err(e) => log::warn(e.message()),
    }
    Ok(())
}

/// `apps:create <app>`.
pub fn create(args: &[String]) -> Result<()> {
    let parsed = flags::CREATE.parse(args)?;
    lifecycle::create(parsed.arg(0), &mut Sink::Stream)
}

/// The checks `apps:clone` and `apps:rename` share, in upstream's order.
fn check_pair(old: &str, new: &str) -> Result<()> {
    if old.is_empty() {
        return Err(Error::new(app::MSG_NO_APP));
    }
    if new.is_empty() {
        return Err(Error::new(MSG_NO_NEW_NAME));
    }
    app::verify_app_name(old)?;
    app::is_valid_app_name(new)
}

/// `git-has-code <new>` decides, with `--skip-deploy`, whether the triggers that follow may
/// rebuild the app: they read `SKIP_REBUILD`.
fn set_skip_rebuild(new: &str, skip_deploy: bool) {
    if skip_deploy {
        std::env::set_var("SKIP_REBUILD", "true");
    }
    if fire("git-has-code", &[new]).is_err() {
        std::env::set_var("SKIP_REBUILD", "true");
    }
}

/// `apps:clone [--skip-deploy] [--ignore-existing] <old> <new>`.
pub fn clone(args: &[String]) -> Result<()> {
    let parsed = flags::CLONE.parse(args)?;
    let (old, new) = (parsed.arg(0), parsed.arg(1));
    check_pair(old, new)?;
    if app::verify_app_name(new).is_ok() {
        if parsed.flag("ignore-existing") {
            log::warn(MSG_NAME_TAKEN);
            return Ok(());
        }
        return Err(Error::new(MSG_NAME_TAKEN));
    }
    log::info1_quiet(&format!("Cloning {old} to {new}"));
    lifecycle::create(new, &mut Sink::Stream)?;
    fire("post-app-clone-setup", &[old, new])?;
    set_skip_rebuild(new, parsed.flag("skip-deploy"));
    fire("post-app-clone", &[old, new])
}

/// `apps:rename [--skip-deploy] <old> <new>`: create the new app, let every plugin move its
/// state over, destroy the old app without asking, then `post-app-rename`.
pub fn rename(args: &[String]) -> Result<()> {
    let parsed = flags::RENAME.parse(args)?;
    let (old, new) = (parsed.arg(0), parsed.arg(1));
    check_pair(old, new)?;
    if app::verify_app_name(new).is_ok() {
        return Err(Error::new(MSG_NAME_TAKEN));
    }
    log::info1_quiet(&format!("Renaming {old} to {new}"));
    lifecycle::create(new, &mut Sink::Stream)?;
    fire("post-app-rename-setup", &[old, new])?;
    // Exported like upstream's os.Setenv, so the delete hooks see a forced delete too.
    std::env::set_var("DOKKU_APPS_FORCE_DELETE", "1");
    lifecycle::destroy(old)?;
    set_skip_rebuild(new, parsed.flag("skip-deploy"));
    fire("post-app-rename", &[old, new])
}

/// `apps:destroy <app> [--force]`.
pub fn destroy(args: &[String]) -> Result<()> {
    let parsed = flags::DESTROY.parse(args)?;
    let name = parsed.arg(0);
    app::verify_app_name(name)?;
    if parsed.flag("force") {
        std::env::set_var("DOKKU_APPS_FORCE_DELETE", "1");
    }
    lifecycle::destroy(name)
}

/// `apps:exists <app>`: the exit status says it (20 when missing).
pub fn exists(args: &[String]) -> Result<()> {
    let parsed = flags::EXISTS.parse(args)?;
    app::verify_app_name(parsed.arg(0))
}

/// Whether a path is there as far as `os.Stat` can tell (an unreadable one counts).
fn present(path: &std::path::Path) -> bool {
    !matches!(std::fs::metadata(path), Err(e) if e.kind() == io::ErrorKind::NotFound)
}

/// Whether the app has a deploy lock file.
pub fn is_locked(name: &str) -> bool {
    present(&Paths::from_env().deploy_lock(name))
}

/// `apps:lock <app>`: create the deploy lock file. An existing file is kept as it is (a
/// running deploy's lock and the build id in it stay valid).
pub fn lock(args: &[String]) -> Result<()> {
    let parsed = flags::LOCK.parse(args)?;
    let name = parsed.arg(0);
    app::verify_app_name(name)?;
    let path = Paths::from_env().deploy_lock(name);
    let created = OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .and_then(|_| dfs::sync_parent(&path))
        .and_then(|_| dfs::chown_to_system_user(&path));
    if created.is_err() {
        return Err(Error::new("Unable to create deploy lock"));
    }
    log::info1("Deploy lock created");
    Ok(())
}

/// `apps:locked <app>`.
pub fn locked(args: &[String]) -> Result<()> {
    let parsed = flags::LOCKED.parse(args)?;
    let name = parsed.arg(0);
    app::verify_app_name(name)?;
    if is_locked(name) {
        log::log_quiet("Deploy lock exists");
        return Ok(());
    }
    Err(Error::new("Deploy lock does not exist"))
}

/// `apps:unlock <app>`: remove the deploy lock file (a deploy holding it keeps running).
pub fn unlock(args: &[String]) -> Result<()> {
    let parsed = flags::UNLOCK.parse(args)?;
    let name = parsed.arg(0);
    app::verify_app_name(name)?;
    let path = Paths::from_env().deploy_lock(name);
    if present(&path) {
        log::warn("A deploy may be in progress.");
        log::warn("Removing the app lock will not stop in progress deploys.");
    }
    if std::fs::remove_file(&path).is_err() {
        return Err(Error::new("Unable to remove deploy lock"));
    }
    let _ = dfs::sync_parent(&path);
    log::info1("Deploy lock removed");
    Ok(())
}

/// `apps:report [<app>|--global] [--format stdout|json] [--<flag>]`.
pub fn report(args: &[String]) -> Result<()> {
    dokku_common::report::run("apps", args, &crate::report::AppsReport)
}

/// `apps:set [--global] <app> <property> [<value>]`.
pub fn set(args: &[String]) -> Result<()> {
    let parsed = flags::SET.parse(args)?;
    let (name, property, value) = if parsed.flag("global") {
        (GLOBAL, parsed.arg(0), parsed.arg(1))
    } else {
        (parsed.arg(0), parsed.arg(1), parsed.arg(2))
    };
    if name != GLOBAL && property == "disable-autocreation" {
        return Err(Error::new("Property can only be specified globally"));
    }
    let _lock = if name != GLOBAL {
        app::verify_app_name(name)?;
        Some(lock::app_lock(name)?)
    } else {
        None
    };
    property::command_set("apps", name, property, value, PROPERTIES, GLOBAL_PROPERTIES)
}
