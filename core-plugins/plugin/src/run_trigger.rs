//! `plugin:trigger <hook> [args…]`: `plugn trigger` as the dokku system user. Upstream runs
//! `sudo -u dokku -E -H plugn trigger …`; here plugn runs in-process, after dropping to the
//! system user when started as root (keeping the environment, with that user's HOME).

use std::ffi::OsString;
use std::os::unix::process::CommandExt;
use std::process::Command;

use dokku_common::account::{self, User};
use dokku_common::{Error, Result};
use nix::unistd::{self, Gid, Uid};

pub fn trigger(args: &[String]) -> Result<()> {
    let target = dokku_common::env::system_user();
    let euid = unistd::geteuid();
    let me = account::user_by_uid(euid.as_raw());
    let same_user = me.as_ref().map(|u| u.name == target).unwrap_or(false);
    if !same_user {
        if euid.is_root() {
            become_user(&target, me.as_ref())?;
        } else {
            return exec_sudo(&target, args);
        }
    }
    let mut argv: Vec<OsString> = vec!["trigger".into()];
    argv.extend(args.iter().map(OsString::from));
    match plugn::cli::main(argv) {
        0 => Ok(()),
        code => Err(Error::silent(code)),
    }
}

/// What `sudo -u <user> -E -H` does to this process: the user's groups, gid and uid, and
/// HOME, USER, LOGNAME and the SUDO_* variables on top of the kept environment.
fn become_user(target: &str, me: Option<&User>) -> Result<()> {
    let Some(user) = account::user_by_name(target) else {
        return Err(Error::new(format!("sudo: unknown user {target}")).raw());
    };
    let groups: Vec<Gid> = account::group_list(&user.name, user.gid)
        .into_iter()
        .map(Gid::from_raw)
        .collect();
    let switched = unistd::setgroups(&groups)
        .and_then(|()| unistd::setgid(Gid::from_raw(user.gid)))
        .and_then(|()| unistd::setuid(Uid::from_raw(user.uid)));
    if let Err(e) = switched {
        return Err(Error::new(format!("sudo: unable to change to user {target}: {e}")).raw());
    }
    let (invoker, uid, gid) = match me {
        Some(u) => (u.name.clone(), Uid::from_raw(u.uid), Gid::from_raw(u.gid)),
        None => ("root".to_string(), Uid::from_raw(0), Gid::from_raw(0)),
    };
    std::env::set_var("HOME", &user.home);
    std::env::set_var("USER", &user.name);
    std::env::set_var("LOGNAME", &user.name);
    std::env::set_var("SUDO_USER", invoker);
    std::env::set_var("SUDO_UID", uid.to_string());
    std::env::set_var("SUDO_GID", gid.to_string());
    Ok(())
}

/// Neither root nor the system user: only sudo can switch (what upstream always does).
fn exec_sudo(target: &str, args: &[String]) -> Result<()> {
    let err = Command::new("sudo")
        .args(["-u", target, "-E", "-H", "plugn", "trigger"])
        .args(args)
        .exec();
    Err(Error::new(format!("unable to run sudo: {err}")))
}
