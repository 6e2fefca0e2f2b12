//! What the commands share: the plugin trees, plugn calls with plugn's own error output,
//! and the existence tests upstream's bash does.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use dokku_common::{Error, Paths, Result};
use plugn::trigger::Options;
use plugn::PluginTree;

/// A plugn failure, reported exactly as the `plugn` binary reports it.
pub fn plugn_error(e: plugn::Error) -> Error {
    Error::silent(plugn::cli::report(e))
}

/// `$PLUGIN_PATH`, the tree every plugn call works on.
pub fn tree(paths: &Paths) -> PluginTree {
    PluginTree::new(&paths.plugin_path)
}

/// `$PLUGIN_CORE_PATH`, for the `--core` variants.
pub fn core_tree(paths: &Paths) -> PluginTree {
    PluginTree::new(&paths.plugin_core_path)
}

/// `plugn trigger <hook> <args…>` with inherited stdio; a failing hook's status ends the
/// command, as `set -e` does upstream.
pub fn fire(tree: &PluginTree, hook: &str, args: &[&str]) -> Result<()> {
    plugn::trigger::forward_signals();
    let outcome =
        plugn::trigger::run(tree, hook, args, &Options::default()).map_err(plugn_error)?;
    match outcome.status {
        0 => Ok(()),
        status => Err(Error::silent(status)),
    }
}

/// `<dir>/<name>`; the name must have passed [`check_name`].
pub fn entry(dir: &Path, name: &str) -> PathBuf {
    dir.join(name)
}

/// bash `[[ -e path ]]`: exists after following symlinks.
pub fn exists(path: &Path) -> bool {
    std::fs::metadata(path).is_ok()
}

/// bash `[[ -L path ]]`.
pub fn is_symlink(path: &Path) -> bool {
    std::fs::symlink_metadata(path)
        .map(|m| m.file_type().is_symlink())
        .unwrap_or(false)
}

/// Refuse names that would leave the plugin trees (empty, `/`, `..`), with plugn's message,
/// before any path is built from them.
pub fn check_name(name: &str) -> Result<()> {
    plugn::names::check_plugin(name).map_err(plugn_error)
}

/// Whether `name` is a core plugin for the commands that refuse those: a core-plugins entry
/// exists for it (bash `[[ -e $PLUGIN_CORE_AVAILABLE_PATH/<name> ]]`).
pub fn core_available(paths: &Paths, name: &str) -> bool {
    exists(&entry(&paths.plugin_core_available_path, name))
}

/// Upstream's `fn-is-core-plugin`: `[[ -L $PLUGIN_CORE_ENABLED_PATH/<name> ]]`.
pub fn core_enabled(paths: &Paths, name: &str) -> bool {
    is_symlink(&entry(&paths.plugin_core_enabled_path, name))
}

/// Print a plugn update message.
pub fn print_update(tree: &PluginTree, name: &str, committish: Option<&str>) -> Result<()> {
    let updated = plugn::install::update(tree, name, committish).map_err(plugn_error)?;
    dokku_common::log::write_stdout(&updated.message(name));
    Ok(())
}

/// Lossless enough for names read from a directory listing.
pub fn lossy(name: &OsStr) -> String {
    name.to_string_lossy().into_owned()
}
