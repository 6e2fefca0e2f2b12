//! Every filesystem location dokku uses, derived from the environment with upstream's
//! defaults (dokku-core §1.1, §2.1). Pointing `DOKKU_ROOT` and `DOKKU_LIB_ROOT` at a temporary
//! directory is enough to run everything unprivileged.

use std::ffi::OsString;
use std::path::PathBuf;

/// Resolved locations. Build with [`Paths::from_env`], or [`Paths::from_lookup`] in tests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paths {
    /// `$DOKKU_ROOT`, default the home of the `dokku` user (`/home/dokku`).
    pub dokku_root: PathBuf,
    /// `$DOKKU_HOST_ROOT`, default `dokku_root`.
    pub dokku_host_root: PathBuf,
    /// `$DOKKU_LIB_ROOT`, else `$DOKKU_LIB_PATH`, else `/var/lib/dokku`.
    pub lib_root: PathBuf,
    /// `$PLUGIN_PATH`, default `<lib_root>/plugins`.
    pub plugin_path: PathBuf,
    /// `$PLUGIN_AVAILABLE_PATH`, default `<plugin_path>/available`.
    pub plugin_available_path: PathBuf,
    /// `$PLUGIN_ENABLED_PATH`, default `<plugin_path>/enabled`.
    pub plugin_enabled_path: PathBuf,
    /// `$PLUGIN_CORE_PATH`, default `<lib_root>/core-plugins`.
    pub plugin_core_path: PathBuf,
    /// `$PLUGIN_CORE_AVAILABLE_PATH`, default `<plugin_core_path>/available`.
    pub plugin_core_available_path: PathBuf,
    /// `$PLUGIN_CORE_ENABLED_PATH`, default `<plugin_core_path>/enabled`.
    pub plugin_core_enabled_path: PathBuf,
    /// `$DOKKU_LOGS_DIR`, default `/var/log/dokku`.
    pub logs_dir: PathBuf,
    /// `$DOKKU_EVENTS_LOGFILE`, default `<logs_dir>/events.log`.
    pub events_logfile: PathBuf,
}

/// Fallback for `~dokku` when the user cannot be looked up.
const DEFAULT_DOKKU_ROOT: &str = "/home/dokku";
const DEFAULT_LIB_ROOT: &str = "/var/lib/dokku";
const DEFAULT_LOGS_DIR: &str = "/var/log/dokku";

impl Paths {
    /// Read the process environment.
    pub fn from_env() -> Paths {
        Paths::from_lookup(crate::env::var_os)
    }

    /// Resolve with a custom variable lookup (empty values must already be filtered out).
    pub fn from_lookup(get: impl Fn(&str) -> Option<OsString>) -> Paths {
        let path = |name: &str| get(name).map(PathBuf::from);
        let dokku_root = path("DOKKU_ROOT").unwrap_or_else(default_dokku_root);
        let dokku_host_root = path("DOKKU_HOST_ROOT").unwrap_or_else(|| dokku_root.clone());
        let lib_root = path("DOKKU_LIB_ROOT")
            .or_else(|| path("DOKKU_LIB_PATH"))
            .unwrap_or_else(|| PathBuf::from(DEFAULT_LIB_ROOT));
        let plugin_path = path("PLUGIN_PATH").unwrap_or_else(|| lib_root.join("plugins"));
        let plugin_available_path =
            path("PLUGIN_AVAILABLE_PATH").unwrap_or_else(|| plugin_path.join("available"));
        let plugin_enabled_path =
            path("PLUGIN_ENABLED_PATH").unwrap_or_else(|| plugin_path.join("enabled"));
        let plugin_core_path =
            path("PLUGIN_CORE_PATH").unwrap_or_else(|| lib_root.join("core-plugins"));
        let plugin_core_available_path = path("PLUGIN_CORE_AVAILABLE_PATH")
            .unwrap_or_else(|| plugin_core_path.join("available"));
        let plugin_core_enabled_path =
            path("PLUGIN_CORE_ENABLED_PATH").unwrap_or_else(|| plugin_core_path.join("enabled"));
        let logs_dir = path("DOKKU_LOGS_DIR").unwrap_or_else(|| PathBuf::from(DEFAULT_LOGS_DIR));
        let events_logfile =
            path("DOKKU_EVENTS_LOGFILE").unwrap_or_else(|| logs_dir.join("events.log"));
        Paths {
            dokku_root,
            dokku_host_root,
            lib_root,
            plugin_path,
            plugin_available_path,
            plugin_enabled_path,
            plugin_core_path,
            plugin_core_available_path,
            plugin_core_enabled_path,
            logs_dir,
            events_logfile,
        }
    }

    /// `$DOKKU_ROOT/<app>`: the app's git repo and runtime files. The name must be validated.
    pub fn app_root(&self, app: &str) -> PathBuf {
        self.dokku_root.join(app)
    }

    /// `$DOKKU_LIB_ROOT/config`: the property tree.
    pub fn config_root(&self) -> PathBuf {
        self.lib_root.join("config")
    }

    /// `$DOKKU_LIB_ROOT/data`.
    pub fn data_root(&self) -> PathBuf {
        self.lib_root.join("data")
    }

    /// `$DOKKU_LIB_ROOT/data/<plugin>/<app>`: build artifacts, locks, logs.
    pub fn app_data_dir(&self, plugin: &str, app: &str) -> PathBuf {
        self.data_root().join(plugin).join(app)
    }

    /// `$DOKKU_LIB_ROOT/data/apps/<app>/.deploy.lock`.
    pub fn deploy_lock(&self, app: &str) -> PathBuf {
        self.app_data_dir("apps", app).join(".deploy.lock")
    }

    /// The `common` core plugin's directory, where `prop` and `common` live.
    pub fn core_plugin_dir(&self, plugin: &str) -> PathBuf {
        self.plugin_core_available_path.join(plugin)
    }
}

/// `~dokku`: the home directory of the `dokku` user, as the bash `~dokku` expansion gives.
fn default_dokku_root() -> PathBuf {
    crate::account::user_by_name("dokku")
        .map(|u| u.home)
        .unwrap_or_else(|| PathBuf::from(DEFAULT_DOKKU_ROOT))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn lookup(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<OsString> {
        let map: HashMap<String, OsString> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), OsString::from(v)))
            .collect();
        move |name| map.get(name).cloned()
    }

    #[test]
    fn defaults() {
        let p = Paths::from_lookup(lookup(&[("DOKKU_ROOT", "/home/dokku")]));
        assert_eq!(p.lib_root, PathBuf::from("/var/lib/dokku"));
        assert_eq!(p.dokku_host_root, PathBuf::from("/home/dokku"));
        assert_eq!(p.plugin_path, PathBuf::from("/var/lib/dokku/plugins"));
        assert_eq!(
            p.plugin_enabled_path,
            PathBuf::from("/var/lib/dokku/plugins/enabled")
        );
        assert_eq!(
            p.plugin_core_available_path,
            PathBuf::from("/var/lib/dokku/core-plugins/available")
        );
        assert_eq!(p.events_logfile, PathBuf::from("/var/log/dokku/events.log"));
        assert_eq!(
            p.deploy_lock("web"),
            PathBuf::from("/var/lib/dokku/data/apps/web/.deploy.lock")
        );
        assert_eq!(p.config_root(), PathBuf::from("/var/lib/dokku/config"));
    }

    #[test]
    fn lib_path_and_overrides() {
        let p = Paths::from_lookup(lookup(&[
            ("DOKKU_ROOT", "/r"),
            ("DOKKU_LIB_PATH", "/lib"),
            ("PLUGIN_ENABLED_PATH", "/e"),
            ("DOKKU_LOGS_DIR", "/logs"),
        ]));
        assert_eq!(p.lib_root, PathBuf::from("/lib"));
        assert_eq!(
            p.plugin_available_path,
            PathBuf::from("/lib/plugins/available")
        );
        assert_eq!(p.plugin_enabled_path, PathBuf::from("/e"));
        assert_eq!(p.events_logfile, PathBuf::from("/logs/events.log"));
        let p = Paths::from_lookup(lookup(&[
            ("DOKKU_LIB_ROOT", "/a"),
            ("DOKKU_LIB_PATH", "/b"),
        ]));
        assert_eq!(p.lib_root, PathBuf::from("/a"));
    }
}
