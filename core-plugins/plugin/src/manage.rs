//! `plugin:enable`, `plugin:disable`, `plugin:uninstall` and `plugin:update`, with the
//! checks upstream's bash makes before each plugn call.

use dokku_common::args::nth;
use dokku_common::{log, Paths, Result};

use crate::completion;
use crate::support::{self, entry, exists};

pub fn enable(args: &[String]) -> Result<()> {
    let name = nth(args, 0);
    if name.is_empty() {
        return Err(log::fail("Please specify a plugin to enable"));
    }
    enable_plugin(&Paths::from_env(), name)?;
    completion::prime()
}

/// Upstream's `enable_plugin`, shared with `plugin:install`.
pub fn enable_plugin(paths: &Paths, name: &str) -> Result<()> {
    support::check_name(name)?;
    if exists(&entry(&paths.plugin_enabled_path, name)) {
        return Err(log::fail("Plugin already enabled"));
    }
    if !exists(&entry(&paths.plugin_available_path, name)) {
        return Err(log::fail("Plugin does not exist"));
    }
    plugn::install::enable(&support::tree(paths), name).map_err(support::plugn_error)?;
    log::info1_quiet(&format!("Plugin {name} enabled"));
    Ok(())
}

pub fn disable(args: &[String]) -> Result<()> {
    let name = nth(args, 0);
    if name.is_empty() {
        return Err(log::fail("Please specify a plugin to disable"));
    }
    let paths = Paths::from_env();
    support::check_name(name)?;
    if support::core_available(&paths, name) {
        return Err(log::fail("Cannot disable a core plugin"));
    }
    if !exists(&entry(&paths.plugin_enabled_path, name)) {
        return Err(log::fail("Plugin already disabled"));
    }
    if !exists(&entry(&paths.plugin_available_path, name)) {
        return Err(log::fail("Plugin does not exist"));
    }
    plugn::install::disable(&support::tree(&paths), name).map_err(support::plugn_error)?;
    log::info1_quiet(&format!("Plugin {name} disabled"));
    completion::prime()
}

pub fn uninstall(args: &[String]) -> Result<()> {
    let name = nth(args, 0);
    if name.is_empty() {
        return Err(log::fail("Please specify a plugin to uninstall"));
    }
    let paths = Paths::from_env();
    support::check_name(name)?;
    if support::core_available(&paths, name) {
        return Err(log::fail("Cannot uninstall a core plugin"));
    }
    if !exists(&entry(&paths.plugin_available_path, name)) {
        return Err(log::fail(format!(
            "Plugin ({name}) is not currently installed"
        )));
    }
    let tree = support::tree(&paths);
    // Every enabled plugin sees the event, the one being removed included.
    support::fire(&tree, "uninstall", &[name])?;
    plugn::install::uninstall(&tree, name).map_err(support::plugn_error)?;
    log::info1_quiet(&format!("Plugin {name} uninstalled"));
    completion::prime()
}

/// Upstream's `update_plugin`, used by `plugin:install --committish`.
pub fn update_plugin(paths: &Paths, name: &str, committish: &str) -> Result<()> {
    if !exists(&entry(&paths.plugin_available_path, name)) {
        return Err(log::fail(format!(
            "Plugin ({name}) is not currently installed"
        )));
    }
    support::print_update(&support::tree(paths), name, Some(committish))
}

/// `^[0-9a-zA-Z_-]+$`.
pub fn is_valid_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

pub fn update(args: &[String]) -> Result<()> {
    let paths = Paths::from_env();
    let tree = support::tree(&paths);
    let name = nth(args, 0);
    if !name.is_empty() {
        if !is_valid_name(name) {
            return Err(log::fail("Invalid plugin name specified"));
        }
        if !support::is_symlink(&entry(&paths.plugin_enabled_path, name)) {
            return Err(log::fail("Specified plugin not enabled or installed"));
        }
        if support::core_enabled(&paths, name) {
            return Err(log::fail(
                "Cannot trigger plugin:update against core plugin, please update Dokku instead",
            ));
        }
        // An empty committish argument means "none"; plugn treats it so.
        support::print_update(&tree, name, Some(nth(args, 1)))?;
    } else {
        for entry_name in plugn::tree::sorted_entries(&paths.plugin_enabled_path) {
            let name = support::lossy(&entry_name);
            let is_dir = std::fs::metadata(paths.plugin_enabled_path.join(&entry_name))
                .map(|m| m.is_dir())
                .unwrap_or(false);
            if !is_dir || support::core_enabled(&paths, &name) {
                continue;
            }
            support::print_update(&tree, &name, None)?;
        }
    }
    support::fire(&tree, "update", &[])?;
    completion::prime()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        for ok in ["postgres", "a_b-C9"] {
            assert!(is_valid_name(ok), "{ok}");
        }
        for bad in ["", "a.b", "a/b", "..", "a b", "é"] {
            assert!(!is_valid_name(bad), "{bad}");
        }
    }
}
