//! The property store at `$DOKKU_LIB_ROOT/config/<plugin>/<app|--global>/<property>`
//! (dokku-core §2.2, bash-api §1.3). The on-disk format is shared with bash plugins, so it is
//! byte-compatible with upstream: a scalar is the raw value with no trailing newline, a list is
//! newline-terminated lines; files are 0600, directories 0755.
//!
//! Every write is atomic (see [`crate::fs::write_atomic`]); list read-modify-write operations
//! additionally hold a `flock` on the app's property directory so concurrent `rpush`es do not
//! lose entries. Names are checked to be single path components before anything is touched:
//! writes with a bad name fail, reads treat it as "not set".

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::fs::{self as dfs, DIR_MODE, FILE_MODE};
use crate::lock::FileLock;
use crate::paths::Paths;

/// The `app` value that addresses a plugin's global properties.
pub const GLOBAL: &str = "--global";
/// The `app` value that makes [`Store::destroy`] remove a plugin's whole tree.
pub const ALL_APPS: &str = "_all_";

/// Why a name cannot be used as a path component, or `None` when it can.
fn component_problem(name: &str) -> Option<&'static str> {
    if name.is_empty() {
        Some("must not be empty")
    } else if name == "." || name == ".." {
        Some("must not be '.' or '..'")
    } else if name.contains('/') {
        Some("must not contain '/'")
    } else if name.contains('\0') || name.contains('\n') {
        Some("must not contain NUL or a newline")
    } else if dfs::is_temp_name(std::ffi::OsStr::new(name)) {
        Some("is reserved")
    } else {
        None
    }
}

fn check(kind: &str, name: &str) -> Result<()> {
    match component_problem(name) {
        None => Ok(()),
        Some(problem) => Err(Error::new(format!(
            "Invalid {kind} name {name:?}: it {problem}"
        ))),
    }
}

/// Split like Go's `bufio.Scanner` with `ScanLines`: `\n`-separated, a final unterminated line
/// kept, one trailing `\r` dropped per line.
pub fn split_lines(data: &str) -> Vec<String> {
    if data.is_empty() {
        return Vec::new();
    }
    let body = data.strip_suffix('\n').unwrap_or(data);
    body.split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l).to_string())
        .collect()
}

/// Serialise a list: every element followed by `\n`.
pub fn join_lines<S: AsRef<str>>(values: &[S]) -> String {
    values.iter().fold(String::new(), |mut acc, v| {
        acc.push_str(v.as_ref());
        acc.push('\n');
        acc
    })
}

/// The property tree under one config root.
#[derive(Debug, Clone)]
pub struct Store {
    root: PathBuf,
}

impl Store {
    /// `$DOKKU_LIB_ROOT/config`.
    pub fn from_env() -> Store {
        Store::new(Paths::from_env().config_root())
    }

    /// A store rooted at `config_root` (the directory holding one folder per plugin).
    pub fn new(config_root: impl Into<PathBuf>) -> Store {
        Store {
            root: config_root.into(),
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// `config/<plugin>`.
    pub fn plugin_dir(&self, plugin: &str) -> Result<PathBuf> {
        check("plugin", plugin)?;
        Ok(self.root.join(plugin))
    }

    /// `config/<plugin>/<app>`.
    pub fn app_dir(&self, plugin: &str, app: &str) -> Result<PathBuf> {
        check("app", app)?;
        Ok(self.plugin_dir(plugin)?.join(app))
    }

    /// `config/<plugin>/<app>/<property>`.
    pub fn path(&self, plugin: &str, app: &str, property: &str) -> Result<PathBuf> {
        check("property", property)?;
        Ok(self.app_dir(plugin, app)?.join(property))
    }

    /// Create `config/<plugin>` (0755), fixing the mode of `config/` unless it is a symlink.
    pub fn setup(&self, plugin: &str) -> Result<()> {
        let dir = self.plugin_dir(plugin)?;
        dfs::ensure_dir(&dir, DIR_MODE)?;
        let is_link = std::fs::symlink_metadata(&self.root).map(|m| m.file_type().is_symlink());
        if let Ok(false) = is_link {
            dfs::set_permissions(&self.root, DIR_MODE)?;
        }
        Ok(())
    }

    /// [`Store::setup`] plus `config/<plugin>/<app>`.
    pub fn setup_app(&self, plugin: &str, app: &str) -> Result<()> {
        self.setup(plugin)?;
        self.make_app_dir(plugin, app).map(|_| ())
    }

    fn make_app_dir(&self, plugin: &str, app: &str) -> Result<PathBuf> {
        let dir = self.app_dir(plugin, app)?;
        dfs::ensure_dir(&dir, DIR_MODE).map_err(|e| {
            Error::new(format!(
                "Unable to create {plugin} config directory for {app}: {e}"
            ))
        })?;
        Ok(dir)
    }

    /// Whether the property file exists (anything but "not found" counts as existing).
    pub fn exists(&self, plugin: &str, app: &str, property: &str) -> bool {
        match self.path(plugin, app, property) {
            Ok(p) => !matches!(std::fs::metadata(p), Err(e) if e.kind() == io::ErrorKind::NotFound),
            Err(_) => false,
        }
    }

    /// The raw value, or `default` when the file does not exist. An existing empty file gives
    /// `""`. An unreadable file warns and gives `""`, as upstream does.
    pub fn get_default(&self, plugin: &str, app: &str, property: &str, default: &str) -> String {
        if !self.exists(plugin, app, property) {
            return default.to_string();
        }
        let Ok(path) = self.path(plugin, app, property) else {
            return default.to_string();
        };
        match std::fs::read(&path) {
            Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
            Err(_) => {
                crate::log::warn(&format!(
                    "Unable to read {plugin} property {app}.{property}"
                ));
                String::new()
            }
        }
    }

    /// The raw value, `""` when unset.
    pub fn get(&self, plugin: &str, app: &str, property: &str) -> String {
        self.get_default(plugin, app, property, "")
    }

    /// The "computed" pattern: app value if non-empty, else global value, else `default`.
    pub fn get_computed(&self, plugin: &str, app: &str, property: &str, default: &str) -> String {
        let value = if app == GLOBAL {
            String::new()
        } else {
            self.get(plugin, app, property)
        };
        if !value.is_empty() {
            return value;
        }
        let global = self.get(plugin, GLOBAL, property);
        if !global.is_empty() {
            return global;
        }
        default.to_string()
    }

    /// Write a scalar (no trailing newline added), 0600.
    pub fn set(&self, plugin: &str, app: &str, property: &str, value: &str) -> Result<()> {
        let path = self.path(plugin, app, property)?;
        self.make_app_dir(plugin, app)?;
        dfs::write_atomic(&path, value.as_bytes(), FILE_MODE).map_err(|e| {
            Error::new(format!(
                "Unable to write {plugin} config value {app}.{property}: {e}"
            ))
        })
    }

    /// Remove a property; missing is fine.
    pub fn delete(&self, plugin: &str, app: &str, property: &str) -> Result<()> {
        let path = self.path(plugin, app, property)?;
        match dfs::remove_file(&path) {
            Ok(()) => Ok(()),
            Err(_) if !self.exists(plugin, app, property) => Ok(()),
            Err(_) => Err(Error::new(format!(
                "Unable to remove {plugin} property {app}.{property}"
            ))),
        }
    }

    /// Remove every property of an app; [`ALL_APPS`] removes the plugin's whole tree.
    pub fn destroy(&self, plugin: &str, app: &str) -> Result<()> {
        let target = if app == ALL_APPS {
            self.plugin_dir(plugin)?
        } else {
            self.app_dir(plugin, app)?
        };
        dfs::remove_all(&target).map_err(Error::from)
    }

    /// Copy every property of `old` to `new` (a missing `old` copies nothing).
    pub fn clone_app(&self, plugin: &str, old: &str, new: &str) -> Result<()> {
        let Ok(properties) = self.get_all(plugin, old) else {
            return Ok(());
        };
        for (property, value) in properties {
            self.set(plugin, new, &property, &value)?;
        }
        Ok(())
    }

    /// Every property of an app with its raw value. Missing directory: empty map.
    pub fn get_all(&self, plugin: &str, app: &str) -> Result<BTreeMap<String, String>> {
        self.get_all_by_prefix(plugin, app, "")
    }

    /// Like [`Store::get_all`], keeping names that start with `prefix`.
    pub fn get_all_by_prefix(
        &self,
        plugin: &str,
        app: &str,
        prefix: &str,
    ) -> Result<BTreeMap<String, String>> {
        let mut out = BTreeMap::new();
        let Ok(dir) = self.app_dir(plugin, app) else {
            return Ok(out);
        };
        let Ok(meta) = std::fs::metadata(&dir) else {
            return Ok(out);
        };
        if !meta.is_dir() {
            return Err(Error::new("Specified property path is not a directory"));
        }
        for entry in std::fs::read_dir(&dir)? {
            let entry = entry?;
            if entry.file_type().map(|t| t.is_dir()).unwrap_or(false)
                || dfs::is_temp_name(&entry.file_name())
            {
                continue;
            }
            let Ok(name) = entry.file_name().into_string() else {
                continue;
            };
            if name.starts_with(prefix) {
                let value = self.get(plugin, app, &name);
                out.insert(name, value);
            }
        }
        Ok(out)
    }

    /// The list's elements (missing property: empty).
    pub fn list_get(&self, plugin: &str, app: &str, property: &str) -> Result<Vec<String>> {
        if !self.exists(plugin, app, property) {
            return Ok(Vec::new());
        }
        let path = self.path(plugin, app, property)?;
        let bytes = std::fs::read(&path).map_err(|e| {
            Error::new(format!(
                "Unable to read {plugin} config value for {app}.{property}: {e}"
            ))
        })?;
        Ok(split_lines(&String::from_utf8_lossy(&bytes)))
    }

    pub fn list_len(&self, plugin: &str, app: &str, property: &str) -> Result<usize> {
        Ok(self.list_get(plugin, app, property)?.len())
    }

    /// Element at a 0-based index; `Index not found` otherwise.
    pub fn list_index(
        &self,
        plugin: &str,
        app: &str,
        property: &str,
        index: i64,
    ) -> Result<String> {
        let lines = self.list_get(plugin, app, property)?;
        usize::try_from(index)
            .ok()
            .and_then(|i| lines.get(i).cloned())
            .ok_or_else(|| Error::new("Index not found").raw())
    }

    /// Ok when `value` is an element; `Value not found` otherwise.
    pub fn list_is_member(
        &self,
        plugin: &str,
        app: &str,
        property: &str,
        value: &str,
    ) -> Result<()> {
        if self
            .list_get(plugin, app, property)?
            .iter()
            .any(|l| l == value)
        {
            Ok(())
        } else {
            Err(Error::new("Value not found").raw())
        }
    }

    /// Run a read-modify-write on a list while holding the app directory's lock.
    fn modify_list(
        &self,
        plugin: &str,
        app: &str,
        property: &str,
        edit: impl FnOnce(Vec<String>) -> Vec<String>,
    ) -> Result<()> {
        let path = self.path(plugin, app, property)?;
        let dir = self.make_app_dir(plugin, app)?;
        let _guard = FileLock::directory(&dir)?;
        let lines = self.list_get(plugin, app, property)?;
        self.write_list_file(plugin, app, property, &path, &edit(lines))
    }

    fn write_list_file<S: AsRef<str>>(
        &self,
        plugin: &str,
        app: &str,
        property: &str,
        path: &Path,
        values: &[S],
    ) -> Result<()> {
        dfs::write_atomic(path, join_lines(values).as_bytes(), FILE_MODE).map_err(|e| {
            Error::new(format!(
                "Unable to write {plugin} config value {app}.{property}: {e}"
            ))
        })
    }

    /// Insert `value` (whitespace-trimmed) before the 1-based `index`; `0` or an index past the
    /// end appends. A negative index matches no position and adds nothing, as upstream.
    pub fn list_add(
        &self,
        plugin: &str,
        app: &str,
        property: &str,
        value: &str,
        index: i64,
    ) -> Result<()> {
        let value = value.trim().to_string();
        self.modify_list(plugin, app, property, |lines| {
            let len = lines.len() as i64;
            let mut out = Vec::with_capacity(lines.len() + 1);
            for (i, line) in lines.into_iter().enumerate() {
                if index != 0 && i as i64 == index - 1 {
                    out.push(value.clone());
                }
                out.push(line);
            }
            if index == 0 || index > len {
                out.push(value);
            }
            out
        })
    }

    /// Replace the whole list.
    pub fn list_write<S: AsRef<str>>(
        &self,
        plugin: &str,
        app: &str,
        property: &str,
        values: &[S],
    ) -> Result<()> {
        let path = self.path(plugin, app, property)?;
        let dir = self.make_app_dir(plugin, app)?;
        let _guard = FileLock::directory(&dir)?;
        self.write_list_file(plugin, app, property, &path, values)
    }

    /// Replace the element at 0-based `index` with `value` (trimmed); past the end appends.
    pub fn list_set(
        &self,
        plugin: &str,
        app: &str,
        property: &str,
        value: &str,
        index: i64,
    ) -> Result<()> {
        let value = value.trim().to_string();
        self.modify_list(plugin, app, property, |mut lines| {
            if index >= lines.len() as i64 {
                lines.push(value);
            } else if index >= 0 {
                lines[index as usize] = value;
            }
            lines
        })
    }

    /// Remove every element equal to `value`.
    pub fn list_remove(&self, plugin: &str, app: &str, property: &str, value: &str) -> Result<()> {
        self.remove_matching(plugin, app, property, |l| l == value)
    }

    /// Remove every element starting with `prefix`.
    pub fn list_remove_by_prefix(
        &self,
        plugin: &str,
        app: &str,
        property: &str,
        prefix: &str,
    ) -> Result<()> {
        self.remove_matching(plugin, app, property, |l| l.starts_with(prefix))
    }

    /// Upstream rewrites the file even when nothing matched and only then reports it; a
    /// missing property fails like Go's `open` on a missing file.
    fn remove_matching(
        &self,
        plugin: &str,
        app: &str,
        property: &str,
        matches: impl Fn(&str) -> bool,
    ) -> Result<()> {
        let path = self.path(plugin, app, property)?;
        let dir = self.app_dir(plugin, app)?;
        if !dir.is_dir() || !self.exists(plugin, app, property) {
            return Err(Error::new(format!(
                "open {}: no such file or directory",
                path.display()
            ))
            .raw());
        }
        let _guard = FileLock::directory(&dir)?;
        let lines = self.list_get(plugin, app, property)?;
        let before = lines.len();
        let kept: Vec<String> = lines.into_iter().filter(|l| !matches(l)).collect();
        let found = kept.len() != before;
        self.write_list_file(plugin, app, property, &path, &kept)?;
        if found {
            Ok(())
        } else {
            Err(Error::new("Property not found, nothing was removed").raw())
        }
    }
}

/// The two app names of a `post-app-clone-setup` / `post-app-rename-setup` trigger, checked.
pub fn app_pair(args: &[String]) -> Result<(&str, &str)> {
    let old = args.first().map(String::as_str).unwrap_or("");
    let new = args.get(1).map(String::as_str).unwrap_or("");
    crate::app::check_name(old)?;
    crate::app::check_name(new)?;
    Ok((old, new))
}

/// `post-app-clone-setup <old> <new>` of a plugin that keeps properties: copy them.
pub fn clone_setup_trigger(plugin: &str, args: &[String]) -> Result<()> {
    let (old, new) = app_pair(args)?;
    Store::from_env().clone_app(plugin, old, new)
}

/// `post-app-rename-setup <old> <new>`: move the properties to the new name.
pub fn rename_setup_trigger(plugin: &str, args: &[String]) -> Result<()> {
    let (old, new) = app_pair(args)?;
    let store = Store::from_env();
    store.clone_app(plugin, old, new)?;
    store.destroy(plugin, old)
}

/// `post-delete <app>`: remove the app's properties.
pub fn delete_trigger(plugin: &str, args: &[String]) -> Result<()> {
    Store::from_env().destroy(plugin, args.first().map(String::as_str).unwrap_or(""))
}

/// The `<plugin>:set <app>|--global <property> [<value>]` command (Go's
/// `CommandPropertySet`): checks in upstream's order, then writes the value or, when it is
/// empty, deletes the property. `properties` are the valid per-app names, `globals` the ones
/// that may be set with `--global` (also valid per app).
pub fn command_set(
    plugin: &str,
    app: &str,
    property: &str,
    value: &str,
    properties: &[&str],
    globals: &[&str],
) -> Result<()> {
    if app != GLOBAL {
        crate::app::verify_app_name(app)?;
    }
    if app == GLOBAL && !globals.contains(&property) {
        return Err(Error::new("Property cannot be specified globally"));
    }
    if property.is_empty() {
        return Err(Error::new("No property specified"));
    }
    if !properties.contains(&property) && !globals.contains(&property) {
        let mut valid: Vec<&str> = properties.iter().chain(globals).copied().collect();
        valid.sort_unstable();
        valid.dedup();
        return Err(Error::new(format!(
            "Invalid property specified, valid properties include: {}",
            valid.join(", ")
        )));
    }
    let store = Store::from_env();
    if value.is_empty() {
        crate::log::info2_quiet(&format!("Unsetting {property}"));
        store.delete(plugin, app, property)
    } else {
        crate::log::info2_quiet(&format!("Setting {property} to {value}"));
        store.set(plugin, app, property, value)
    }
}

/// One `DOKKU_*` variable to move into a property (`prop migrate-config-to-property`).
#[derive(Debug, Clone, Default)]
pub struct Migration {
    /// Per-app variable, e.g. `DOKKU_CHECKS_DISABLED`; empty to skip apps.
    pub config_var: String,
    /// Global variable; empty when there is none.
    pub global_config_var: String,
    pub property: String,
    pub transform: Option<Transform>,
    /// A plugin's own conversion (Go's `Transform func`), applied after `transform`.
    pub custom_transform: Option<fn(&str) -> String>,
    /// Split the value on spaces and store it as a list.
    pub list: bool,
}

/// Value conversions offered by `--transform`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transform {
    /// `0` → `false`, anything else → `true`.
    RestoreBool,
    /// non-empty → `true`.
    NonEmptyToTrue,
    /// `true` → `_all_`, else empty.
    SkipAllChecksToDisabled,
    /// `0` → `_all_`, else empty.
    ChecksEnabledToSkipped,
}

impl Transform {
    pub fn parse(name: &str) -> Option<Transform> {
        match name {
            "restore-bool" => Some(Transform::RestoreBool),
            "non-empty-to-true" => Some(Transform::NonEmptyToTrue),
            "skip-all-checks-to-disabled" => Some(Transform::SkipAllChecksToDisabled),
            "checks-enabled-to-skipped" => Some(Transform::ChecksEnabledToSkipped),
            _ => None,
        }
    }

    pub fn apply(self, value: &str) -> String {
        match self {
            Transform::RestoreBool => if value == "0" { "false" } else { "true" }.to_string(),
            Transform::NonEmptyToTrue => if value.is_empty() { "" } else { "true" }.to_string(),
            Transform::SkipAllChecksToDisabled => {
                if value == "true" { "_all_" } else { "" }.to_string()
            }
            Transform::ChecksEnabledToSkipped => {
                if value == "0" { "_all_" } else { "" }.to_string()
            }
        }
    }
}

impl Store {
    /// Move deprecated config variables into properties for every app (and globally), once:
    /// an existing property is left alone. Fires `config-migrate-env` first so legacy ENV
    /// files are imported before they are read.
    pub fn migrate_config(&self, plugin: &str, entries: &[Migration]) -> Result<()> {
        use crate::trigger::Trigger;
        match Trigger::new("config-migrate-env").stdin_null().output() {
            Ok(_) => {}
            Err(e) => crate::log::warn(&format!("Unable to migrate legacy env files: {e}")),
        }
        let apps = crate::app::unfiltered_apps().unwrap_or_default();
        for entry in entries {
            if !entry.global_config_var.is_empty() {
                self.migrate_one(plugin, GLOBAL, &entry.global_config_var, entry)?;
            }
            if entry.config_var.is_empty() {
                continue;
            }
            for app in &apps {
                self.migrate_one(plugin, app, &entry.config_var, entry)?;
            }
        }
        Ok(())
    }

    fn migrate_one(&self, plugin: &str, app: &str, var: &str, entry: &Migration) -> Result<()> {
        use crate::trigger::Trigger;
        let property = entry.property.as_str();
        let present = if entry.list {
            self.list_len(plugin, app, property).unwrap_or(0) > 0
        } else {
            self.exists(plugin, app, property)
        };
        if present {
            return Ok(());
        }
        let get = if app == GLOBAL {
            Trigger::new("config-get-global").arg(var)
        } else {
            Trigger::new("config-get").arg(app).arg(var)
        };
        let mut value = get
            .stdin_null()
            .output()
            .map(|o| o.trimmed())
            .unwrap_or_default();
        if value.is_empty() {
            return Ok(());
        }
        if let Some(t) = entry.transform {
            value = t.apply(&value);
        }
        if let Some(f) = entry.custom_transform {
            value = f(&value);
        }
        if app == GLOBAL {
            crate::log::info1(&format!("Migrating deprecated global {var} to {plugin} {property} property. Use 'dokku {plugin}:set --global {property} <value>' to manage this going forward."));
        } else {
            crate::log::info1(&format!("Migrating deprecated {var} to {plugin} {property} property for {app}. Use 'dokku {plugin}:set {app} {property} <value>' to manage this going forward."));
        }
        if entry.list {
            let values: Vec<&str> = value.split(' ').collect();
            self.list_write(plugin, app, property, &values)?;
        } else {
            self.set(plugin, app, property, &value)?;
        }
        let unset = if app == GLOBAL {
            Trigger::new("config-unset").arg(GLOBAL).arg(var)
        } else {
            Trigger::new("config-unset").arg(app).arg(var)
        };
        match unset.env("DOKKU_QUIET_OUTPUT", "1").stdin_null().output() {
            Ok(out) if out.status != 0 => crate::log::warn(&format!(
                "config-unset {app} {var} exited with status {}",
                out.status
            )),
            Ok(_) => {}
            Err(e) => crate::log::warn(&e.to_string()),
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fs::testutil::TempDir;
    use std::os::unix::fs::PermissionsExt;

    fn store() -> (TempDir, Store) {
        let dir = TempDir::new();
        let s = Store::new(dir.path().join("config"));
        (dir, s)
    }

    fn mode(p: &Path) -> u32 {
        std::fs::metadata(p).unwrap().permissions().mode() & 0o7777
    }

    #[test]
    fn scalar_bytes_and_modes() {
        let (_d, s) = store();
        s.set("ps", "web", "restart-policy", "on-failure:10")
            .unwrap();
        let p = s.path("ps", "web", "restart-policy").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"on-failure:10");
        assert_eq!(mode(&p), 0o600);
        assert_eq!(mode(p.parent().unwrap()), 0o755);
        assert_eq!(s.get("ps", "web", "restart-policy"), "on-failure:10");
        assert!(s.exists("ps", "web", "restart-policy"));
        s.delete("ps", "web", "restart-policy").unwrap();
        s.delete("ps", "web", "restart-policy").unwrap();
        assert!(!s.exists("ps", "web", "restart-policy"));
    }

    #[test]
    fn defaults_and_computed() {
        let (_d, s) = store();
        assert_eq!(s.get_default("ps", "web", "x", "dflt"), "dflt");
        s.set("ps", "web", "x", "").unwrap();
        assert_eq!(
            s.get_default("ps", "web", "x", "dflt"),
            "",
            "an empty file is not missing"
        );
        assert_eq!(s.get_computed("ps", "web", "y", "d"), "d");
        s.set("ps", GLOBAL, "y", "g").unwrap();
        assert_eq!(s.get_computed("ps", "web", "y", "d"), "g");
        s.set("ps", "web", "y", "a").unwrap();
        assert_eq!(s.get_computed("ps", "web", "y", "d"), "a");
        assert_eq!(s.get_computed("ps", GLOBAL, "y", "d"), "g");
    }

    #[test]
    fn bad_names_fail_writes_and_read_as_unset() {
        let (_d, s) = store();
        for (p, a, k) in [
            ("ps", "", "k"),
            ("ps", "..", "k"),
            ("ps", "a/b", "k"),
            ("", "a", "k"),
            ("ps", "a", "x/y"),
            ("ps", "a", ""),
        ] {
            assert!(s.set(p, a, k, "v").is_err(), "{p:?} {a:?} {k:?}");
            assert_eq!(s.get_default(p, a, k, "d"), "d");
            assert!(!s.exists(p, a, k));
        }
        assert!(!s.root().exists(), "nothing was created");
    }

    #[test]
    fn lists() {
        let (_d, s) = store();
        assert_eq!(s.list_len("domains", "web", "vhosts").unwrap(), 0);
        s.list_add("domains", "web", "vhosts", " b.com\n", 0)
            .unwrap();
        s.list_add("domains", "web", "vhosts", "c.com", 0).unwrap();
        s.list_add("domains", "web", "vhosts", "a.com", 1).unwrap();
        s.list_add("domains", "web", "vhosts", "z.com", 99).unwrap();
        s.list_add("domains", "web", "vhosts", "neg", -1).unwrap();
        let p = s.path("domains", "web", "vhosts").unwrap();
        assert_eq!(
            std::fs::read_to_string(&p).unwrap(),
            "a.com\nb.com\nc.com\nz.com\n"
        );
        assert_eq!(mode(&p), 0o600);
        assert_eq!(
            s.list_index("domains", "web", "vhosts", 1).unwrap(),
            "b.com"
        );
        assert_eq!(
            s.list_index("domains", "web", "vhosts", 9)
                .unwrap_err()
                .message(),
            "Index not found"
        );
        assert_eq!(
            s.list_index("domains", "web", "vhosts", -1)
                .unwrap_err()
                .message(),
            "Index not found"
        );
        assert!(s
            .list_is_member("domains", "web", "vhosts", "c.com")
            .is_ok());
        assert_eq!(
            s.list_is_member("domains", "web", "vhosts", "q")
                .unwrap_err()
                .message(),
            "Value not found"
        );
        s.list_set("domains", "web", "vhosts", "B.com", 1).unwrap();
        s.list_set("domains", "web", "vhosts", "end", 10).unwrap();
        assert_eq!(
            s.list_get("domains", "web", "vhosts").unwrap(),
            ["a.com", "B.com", "c.com", "z.com", "end"]
        );
        s.list_remove("domains", "web", "vhosts", "c.com").unwrap();
        let e = s
            .list_remove("domains", "web", "vhosts", "c.com")
            .unwrap_err();
        assert_eq!(
            e.rendered(false),
            "Property not found, nothing was removed\n"
        );
        s.list_remove_by_prefix("domains", "web", "vhosts", "a.")
            .unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "B.com\nz.com\nend\n");
        let e = s.list_remove("domains", "web", "missing", "x").unwrap_err();
        assert!(
            e.message().starts_with("open ")
                && e.message()
                    .ends_with("/config/domains/web/missing: no such file or directory")
        );
        s.list_write("domains", "web", "vhosts", &Vec::<String>::new())
            .unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"");
        assert!(s.exists("domains", "web", "vhosts"));
    }

    #[test]
    fn scanner_semantics() {
        assert_eq!(split_lines(""), Vec::<String>::new());
        assert_eq!(split_lines("a"), ["a"]);
        assert_eq!(split_lines("a\r\nb\n"), ["a", "b"]);
        assert_eq!(split_lines("\n"), [""]);
        assert_eq!(split_lines("a\n\nb"), ["a", "", "b"]);
        assert_eq!(join_lines(&["a", "b"]), "a\nb\n");
    }

    #[test]
    fn get_all_clone_destroy() {
        let (_d, s) = store();
        assert!(s.get_all("git", "web").unwrap().is_empty());
        s.set("git", "web", "deploy-branch", "main").unwrap();
        s.list_write("git", "web", "list", &["x", "y"]).unwrap();
        s.set("git", "web", "source-image", "img").unwrap();
        std::fs::create_dir(s.app_dir("git", "web").unwrap().join("subdir")).unwrap();
        std::fs::write(
            s.app_dir("git", "web")
                .unwrap()
                .join(".list.dokku-tmp.1.2.3"),
            "junk",
        )
        .unwrap();
        let all = s.get_all("git", "web").unwrap();
        assert_eq!(
            all.keys().collect::<Vec<_>>(),
            ["deploy-branch", "list", "source-image"]
        );
        assert_eq!(all["list"], "x\ny\n");
        let by = s.get_all_by_prefix("git", "web", "s").unwrap();
        assert_eq!(by.keys().collect::<Vec<_>>(), ["source-image"]);
        s.clone_app("git", "web", "api").unwrap();
        assert_eq!(
            std::fs::read(s.path("git", "api", "list").unwrap()).unwrap(),
            b"x\ny\n"
        );
        s.clone_app("git", "nothing", "other").unwrap();
        assert!(!s.app_dir("git", "other").unwrap().exists());
        s.destroy("git", "web").unwrap();
        assert!(!s.app_dir("git", "web").unwrap().exists());
        assert!(s.app_dir("git", "api").unwrap().exists());
        s.destroy("git", ALL_APPS).unwrap();
        assert!(!s.plugin_dir("git").unwrap().exists());
        std::fs::create_dir_all(s.plugin_dir("x").unwrap()).unwrap();
        std::fs::write(s.app_dir("x", "file").unwrap(), "").unwrap();
        assert_eq!(
            s.get_all("x", "file").unwrap_err().message(),
            "Specified property path is not a directory"
        );
    }

    #[test]
    fn setup() {
        let (_d, s) = store();
        s.setup_app("ps", "web").unwrap();
        assert_eq!(mode(&s.plugin_dir("ps").unwrap()), 0o755);
        assert_eq!(mode(s.root()), 0o755);
        assert!(s.app_dir("ps", "web").unwrap().is_dir());
    }

    #[test]
    fn concurrent_pushes_keep_every_entry() {
        let (_d, s) = store();
        let threads: Vec<_> = (0..8)
            .map(|t| {
                let s = s.clone();
                std::thread::spawn(move || {
                    for i in 0..10 {
                        s.list_add("p", "a", "l", &format!("{t}-{i}"), 0).unwrap();
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        assert_eq!(s.list_len("p", "a", "l").unwrap(), 80);
    }

    #[test]
    fn transforms() {
        assert_eq!(
            Transform::parse("restore-bool").unwrap().apply("0"),
            "false"
        );
        assert_eq!(Transform::RestoreBool.apply("1"), "true");
        assert_eq!(Transform::NonEmptyToTrue.apply("x"), "true");
        assert_eq!(Transform::SkipAllChecksToDisabled.apply("true"), "_all_");
        assert_eq!(Transform::ChecksEnabledToSkipped.apply("1"), "");
        assert!(Transform::parse("nope").is_none());
    }
}
