//! Who may run what: switching to the dokku user, root-only commands, and the `user-auth`
//! trigger.

use std::env;
use std::ffi::OsStr;
use std::fs;
use std::os::unix::process::CommandExt;
use std::process::Command;

use dokku_common::log::warn;

/// Commands that keep the caller's identity because they must run as root.
const ROOT_COMMANDS: [&str; 4] = [
    "ssh-keys:add",
    "ssh-keys:remove",
    "scheduler-k3s:initialize",
    "scheduler-k3s:uninstall",
];

fn current_user() -> String {
    dokku_common::account::effective_user_name()
}

/// The system user commands run as: upstream hard-codes `dokku`; `DOKKU_SYSTEM_USER`
/// (default `dokku`) names it here so an unprivileged test root can run as its own user.
fn system_user() -> String {
    env::var("DOKKU_SYSTEM_USER")
        .ok()
        .filter(|u| !u.is_empty())
        .unwrap_or_else(|| "dokku".into())
}

/// Re-run as the system user through sudo when called by anyone else, except for the
/// commands that must keep root. Returns the exit status when it switched.
pub fn switch_if_needed(args: &[String]) -> Option<i32> {
    let first = args.first().map(String::as_str).unwrap_or("");
    let user = current_user();
    let target = system_user();
    // Upstream's test is the unanchored regex `plugin:*`, i.e. "contains `plugin`".
    if user == target || first.contains("plugin") || ROOT_COMMANDS.contains(&first) {
        return None;
    }
    for var in ["DOKKU_PID", "TMP", "TMPDIR", "TEMP", "TEMPDIR"] {
        env::remove_var(var);
    }
    env::set_var("SSH_USER", &user);
    let exe = env::current_exe().unwrap_or_else(|_| "dokku".into());
    let err = Command::new("sudo")
        .args(["-u", &target, "-E", "-H"])
        .arg(exe)
        .args(args)
        .exec();
    warn(&format!("unable to run sudo: {err}"));
    Some(1)
}

/// Root-only commands fail for anyone else; for root they record `SSH_USER=root`.
pub fn check_root_only(first: &str) -> Result<(), i32> {
    let root_only =
        (first.starts_with("plugin:") && first != "plugin:help" && first != "plugin:list")
            || ROOT_COMMANDS.contains(&first);
    if !root_only {
        return Ok(());
    }
    if !nix::unistd::geteuid().is_root() {
        warn("This command must be run as root");
        return Err(fail_code());
    }
    env::set_var("SSH_USER", "root");
    Ok(())
}

pub fn fail_code() -> i32 {
    dokku_common::env::fail_exit_code()
}

/// `dokku_auth`: the `user-auth` trigger decides, unless no plugin but the events logger
/// implements it.
pub fn authorized(args: &[String]) -> bool {
    let ssh_user = env::var("SSH_USER")
        .ok()
        .filter(|u| !u.is_empty())
        .unwrap_or_else(|| env::var("USER").unwrap_or_default());
    env::set_var("SSH_USER", &ssh_user);
    let ssh_name = env::var("NAME")
        .ok()
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| "default".into());
    env::set_var("SSH_NAME", &ssh_name);
    env::set_var(
        "DOKKU_COMMAND",
        args.first().map(String::as_str).unwrap_or(""),
    );

    let Some(tree) = plugn::PluginTree::from_env() else {
        return true;
    };
    let implementors: Vec<_> = tree
        .enabled_names()
        .into_iter()
        .filter(|name| {
            fs::symlink_metadata(tree.path(&["enabled".as_ref(), name, "user-auth".as_ref()]))
                .is_ok()
        })
        .collect();
    let events_only = implementors.len() == 1
        && implementors[0] == OsStr::new("20_events")
        && tree
            .path(&[
                "enabled".as_ref(),
                "20_events".as_ref(),
                "user-auth".as_ref(),
            ])
            .is_file();
    if implementors.is_empty() || events_only {
        return true;
    }
    let mut trigger_args: Vec<&str> = vec![&ssh_user, &ssh_name];
    trigger_args.extend(args.iter().map(String::as_str));
    match plugn::trigger::run(&tree, "user-auth", &trigger_args, &Default::default()) {
        Ok(outcome) => outcome.success(),
        Err(e) => {
            warn(&e.to_string());
            false
        }
    }
}
