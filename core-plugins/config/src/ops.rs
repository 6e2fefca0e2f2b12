//! The operations behind every entry point (upstream's `SetMany`, `UnsetMany`, `UnsetAll`,
//! `Get`): the change under the scope's lock, then `post-config-update` and the restart,
//! outside the lock so hooks may read or change the config themselves.

use std::collections::BTreeMap;

use dokku_common::{env, log, scheduler, trigger, Result};

use crate::store::{self, is_global, Env};

/// The value of `key`, `None` when unset, the key is invalid or the environment unreadable.
pub fn get(scope: &str, key: &str) -> Option<String> {
    let env = store::load(scope).ok()?;
    store::validate_key(key).ok()?;
    env.get(key).cloned()
}

/// Upstream's `getEnvironment`: the scope's environment, merged over the global one when
/// asked for an app.
pub fn environment(scope: &str, merged: bool) -> Result<Env> {
    if !scope.is_empty() && merged {
        store::load_merged(scope)
    } else {
        store::load(scope)
    }
}

/// Set `entries` (after clearing everything when `replace`), print them, fire
/// `post-config-update <scope> set <keys>` and restart the app when asked to.
pub fn set_many(
    scope: &str,
    entries: &BTreeMap<String, String>,
    replace: bool,
    restart: bool,
) -> Result<()> {
    // Checked before anything is touched, so a bad key never creates a directory.
    store::env_dir(scope)?;
    for key in entries.keys() {
        store::validate_key(key)?;
    }
    store::update(scope, |env| {
        if replace {
            env.clear();
        }
        for (k, v) in entries {
            env.insert(k.clone(), v.clone());
        }
        if !entries.is_empty() {
            log::info1_quiet("Setting config vars");
            if !env::quiet() {
                log::write_stdout(&format!("{}\n", crate::format::pretty("       ", entries)));
            }
        }
        Ok((!entries.is_empty(), ()))
    })?;
    if !entries.is_empty() {
        let keys: Vec<&str> = entries.keys().map(String::as_str).collect();
        post_config_update(scope, "set", &keys);
    }
    maybe_restart(scope, restart);
    Ok(())
}

/// Remove `keys`, announcing each, then fire `post-config-update <scope> unset <keys>`.
pub fn unset_many(scope: &str, keys: &[String], restart: bool) -> Result<()> {
    store::env_dir(scope)?;
    for key in keys {
        store::validate_key(key)?;
    }
    let changed = store::update_existing(scope, |env| {
        let mut changed = false;
        for key in keys {
            if env.remove(key).is_some() {
                log::info1_quiet(&format!("Unsetting {key}"));
                changed = true;
            } else {
                log::info1_quiet(&format!("Skipping {key}, it is not set in the environment"));
            }
        }
        Ok((changed, changed))
    })?;
    if changed {
        let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
        post_config_update(scope, "unset", &keys);
    }
    maybe_restart(scope, restart);
    Ok(())
}

/// Remove every key, then fire `post-config-update <scope> clear`.
pub fn unset_all(scope: &str, restart: bool) -> Result<()> {
    let changed = store::update_existing(scope, |env| {
        for key in env.keys() {
            log::info1_quiet(&format!("Unsetting {key}"));
        }
        let changed = !env.is_empty();
        env.clear();
        Ok((changed, changed))
    })?;
    if changed {
        post_config_update(scope, "clear", &[]);
    }
    maybe_restart(scope, restart);
    Ok(())
}

fn post_config_update(scope: &str, operation: &str, keys: &[&str]) {
    let mut args = vec![scope, operation];
    args.extend_from_slice(keys);
    warn_on_failure(
        "Failure while triggering post-config-update",
        trigger::Trigger::new("post-config-update").args(&args).go_stdin().status(),
    );
}

fn warn_on_failure(what: &str, outcome: Result<i32>) {
    let reason = match outcome {
        Ok(0) => return,
        Ok(code) => format!("exit status {code}"),
        Err(e) => e.message().to_string(),
    };
    log::warn(&format!("{what}: {reason}"));
}

/// Restart an app after a change: only for apps (not the global environment), when asked to,
/// when the `ps` `restore` property is not `false`, and only if the app is deployed.
fn maybe_restart(scope: &str, restart: bool) {
    if is_global(scope) || !restart {
        return;
    }
    let restore = trigger::capture_lenient("ps-get-property", &[scope, "restore"]);
    if restore == "false" || !scheduler::is_deployed(scope) {
        return;
    }
    log::info1(&format!("Restarting app {scope}"));
    warn_on_failure(
        "Failure while restarting app",
        trigger::Trigger::new("release-and-deploy").args(&[scope, "", "config-redeploy"]).go_stdin().status(),
    );
}
