//! The plugin's own `install` and `update` triggers: hand every plugin directory to the
//! dokku system user (upstream's `chown -R user:group` of the four plugin paths).

use std::fs;
use std::io;
use std::path::Path;

use dokku_common::{account, Error, Paths, Result};
use nix::unistd::{Gid, Uid};

pub fn install(_args: &[String]) -> Result<()> {
    set_permissions()
}

pub fn update(_args: &[String]) -> Result<()> {
    set_permissions()
}

/// Only root can give files away; any other caller already owns what it installed.
fn set_permissions() -> Result<()> {
    if !Uid::effective().is_root() {
        return Ok(());
    }
    let user = dokku_common::env::system_user();
    let group = dokku_common::env::system_group();
    let uid = account::user_by_name(&user).map(|u| Uid::from_raw(u.uid));
    let gid = account::group_by_name(&group).map(|g| Gid::from_raw(g.gid));
    let (Some(uid), Some(gid)) = (uid, gid) else {
        return Err(Error::new(format!("chown: invalid user: '{user}:{group}'")).raw());
    };
    let paths = Paths::from_env();
    // Two `chown -R` runs upstream; the second is skipped when the first fails.
    chown_all(
        &[
            &paths.plugin_core_available_path,
            &paths.plugin_available_path,
        ],
        uid,
        gid,
    )?;
    chown_all(
        &[&paths.plugin_core_enabled_path, &paths.plugin_enabled_path],
        uid,
        gid,
    )
}

fn chown_all(roots: &[&Path], uid: Uid, gid: Gid) -> Result<()> {
    let mut failed = false;
    for root in roots {
        failed |= !chown_tree(root, uid, gid);
    }
    if failed {
        Err(Error::silent(1))
    } else {
        Ok(())
    }
}

/// `chown -R` without following symlinks (they are changed themselves). Reports each
/// failure like chown and carries on; returns whether everything succeeded.
fn chown_tree(path: &Path, uid: Uid, gid: Gid) -> bool {
    let meta = match fs::symlink_metadata(path) {
        Ok(m) => m,
        Err(e) => {
            report(&format!("cannot access '{}'", path.display()), &e);
            return false;
        }
    };
    let mut ok = true;
    if let Err(e) = std::os::unix::fs::lchown(path, Some(uid.as_raw()), Some(gid.as_raw())) {
        report(&format!("changing ownership of '{}'", path.display()), &e);
        ok = false;
    }
    if meta.is_dir() {
        match fs::read_dir(path) {
            Ok(entries) => {
                for entry in entries.flatten() {
                    ok &= chown_tree(&entry.path(), uid, gid);
                }
            }
            Err(e) => {
                report(&format!("cannot read directory '{}'", path.display()), &e);
                ok = false;
            }
        }
    }
    ok
}

fn report(what: &str, e: &io::Error) {
    let text = e.to_string();
    let text = text.split(" (os error").next().unwrap_or(&text);
    dokku_common::log::stderr(&format!("chown: {what}: {text}"));
}
