//! The shape shared by the `builder-<name>` core plugins (dockerfile, herokuish, lambda,
//! nixpacks, pack, railpack). Upstream they are bash with a Go `report`, and all alike: one
//! property (`dockerfile-path`, `allowed`, …) set per app or with `--global`, a report of its
//! app, global and computed values, the standard property lifecycle, and usually a
//! `builder-detect` that looks for a file in the source and a `core-post-extract` that moves
//! the configured file into place. A plugin declares a [`Settings`] and calls [`main`]; only
//! what is really its own (extra triggers) lives in its crate.
//!
//! The builds themselves (`builder-build`, `builder-release`) are not here.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::plugin::{self, Entry, Handler};
use crate::property::{self, Store, GLOBAL};
use crate::report::{self, Flag, Reporter};
use crate::{app, bash_help, data, log};

/// The value of the computed property when neither the app nor the global one is set.
pub enum Fallback {
    Value(&'static str),
    /// Computed on every read (herokuish's `allowed` depends on the host architecture).
    Computed(fn() -> String),
}

/// What `core-post-extract` does when the configured file is not in the source.
pub enum Missing {
    /// Fail with `Invalid <property> specified: <path>` (dockerfile).
    Fail,
    /// Remove the default-named file so the builder does not pick it up (the others).
    RemoveDefault,
}

/// The file `core-post-extract` moves from the configured path to `name`.
pub struct ConfigFile {
    pub name: &'static str,
    pub missing: Missing,
}

/// `builder-detect <app> <dir>` prints the builder's name when `<dir>/<file>` is a file and
/// none of the `unless` plugins' own `builder-detect` (when enabled) prints anything.
pub struct Detect {
    pub file: &'static str,
    pub unless: &'static [&'static str],
}

/// Everything a `builder-<name>` plugin declares.
pub struct Settings {
    /// `builder-pack`.
    pub plugin: &'static str,
    /// `pack`, as the description and `builder-detect` name it.
    pub builder: &'static str,
    /// `projecttoml-path`.
    pub property: &'static str,
    pub fallback: Fallback,
    pub config_file: Option<ConfigFile>,
    pub detect: Option<Detect>,
    /// Whether the plugin keeps `data/<plugin>/<app>` (created at install, removed with the app).
    pub data_dir: bool,
    /// The plugin's own triggers, beyond the standard ones handled here.
    pub triggers: &'static [(&'static str, Handler)],
}

/// The triggers every builder plugin answers (plus `builder-detect` and `core-post-extract`
/// when declared): the names to list in plugin.toml.
pub const STANDARD_TRIGGERS: &[&str] = &[
    "install",
    "post-app-clone-setup",
    "post-app-rename-setup",
    "post-delete",
    "report",
];

/// The bash `verify_app_name`: any failure is `App <app> does not exist`, exit 20.
pub fn verify_app_bash(name: &str) -> Result<()> {
    app::verify_app_name(name).map_err(|_| Error::app_does_not_exist(name))
}

impl Settings {
    /// `Manage the <builder> builder integration for an app`.
    pub fn description(&self) -> String {
        format!("Manage the {} builder integration for an app", self.builder)
    }

    fn help_lines(&self) -> [String; 2] {
        let p = self.plugin;
        [
            format!("    {p}:report [<app>] [<flag>], Displays a {p} report for one or more apps"),
            format!(
                "    {p}:set <app> <property> (<value>), Set or clear a {p} property for an app"
            ),
        ]
    }

    /// `<plugin>:help` (and the bare plugin name).
    pub fn usage(&self) -> String {
        let lines = self.help_lines();
        let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
        bash_help::usage(self.plugin, &self.description(), &refs)
    }

    /// The property as set for `app` (or `--global`), `""` when unset.
    pub fn value(&self, app: &str) -> String {
        Store::from_env().get(self.plugin, app, self.property)
    }

    /// The app value, else the global one, else the fallback.
    pub fn computed(&self, app: &str) -> String {
        for scope in [app, GLOBAL] {
            let value = self.value(scope);
            if !value.is_empty() {
                return value;
            }
        }
        match self.fallback {
            Fallback::Value(v) => v.to_string(),
            Fallback::Computed(f) => f(),
        }
    }

    /// Run the handler `argv[0]` names.
    pub fn dispatch(&self, argv: &[String]) -> Result<()> {
        let argv0 = argv.first().map(String::as_str).unwrap_or("");
        match plugin::classify(argv0) {
            Entry::Commands => self.commands(argv.get(1).map(String::as_str).unwrap_or("")),
            Entry::Subcommand(name) => {
                let args = argv.get(2..).unwrap_or(&[]);
                match name.as_str() {
                    "default" => {
                        log::write_stdout(&self.usage());
                        Ok(())
                    }
                    "report" => report::run_subcommand(self.plugin, args, &SettingsReport(self)),
                    "set" => self.set(args),
                    _ => Err(Error::new(format!(
                        "Invalid plugin subcommand call: {name}"
                    ))),
                }
            }
            Entry::Named(name) => self.trigger(&name, argv.get(1..).unwrap_or(&[])),
        }
    }

    /// The bash `commands` file: `help` and `<plugin>:help`; anything else is not ours.
    fn commands(&self, word: &str) -> Result<()> {
        if word == format!("{}:help", self.plugin) {
            log::write_stdout(&self.usage());
        } else if word == "help" {
            let lines = self.help_lines();
            let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
            let all = plugin::parent_cmdline_has_all();
            log::write_stdout(&bash_help::summary(
                self.plugin,
                &self.description(),
                &refs,
                all,
            ));
        } else {
            return Err(bash_help::not_implemented());
        }
        Ok(())
    }

    fn trigger(&self, name: &str, args: &[String]) -> Result<()> {
        match name {
            "install" => self.install(),
            "post-app-clone-setup" => property::clone_setup_trigger(self.plugin, args),
            "post-app-rename-setup" => self.rename(args),
            "post-delete" => self.delete(args),
            "report" => {
                report::report_one(&SettingsReport(self), crate::args::nth(args, 0), "", None)
            }
            "builder-detect" if self.detect.is_some() => self.detect(args),
            "core-post-extract" if self.config_file.is_some() => self.post_extract(args),
            _ => match self.triggers.iter().find(|(n, _)| *n == name) {
                Some((_, handler)) => handler(args),
                None => Err(Error::new(format!("Invalid plugin trigger call: {name}"))),
            },
        }
    }

    /// `<plugin>:set <app>|--global <key> [<value>]`, the bash version: its own messages and
    /// order of checks.
    fn set(&self, args: &[String]) -> Result<()> {
        let (app, key, value) = (
            crate::args::nth(args, 0),
            crate::args::nth(args, 1),
            crate::args::nth(args, 2),
        );
        if app != GLOBAL {
            verify_app_bash(app)?;
        }
        if key.is_empty() {
            return Err(Error::new("No key specified"));
        }
        if key != self.property {
            return Err(Error::new(format!(
                "Invalid key specified, valid keys include: {}",
                self.property
            )));
        }
        let store = Store::from_env();
        if value.is_empty() {
            log::info2_quiet(&format!("Unsetting {key}"));
            store.delete(self.plugin, app, key)
        } else {
            log::info2_quiet(&format!("Setting {key} to {value}"));
            store.set(self.plugin, app, key, value)
        }
    }

    fn install(&self) -> Result<()> {
        Store::from_env().setup(self.plugin)?;
        if self.data_dir {
            data::create(self.plugin)?;
            chown_tree(&data::dir(self.plugin)?)?;
        }
        Ok(())
    }

    /// Properties move to the new name; so does the data directory (upstream leaves it behind).
    fn rename(&self, args: &[String]) -> Result<()> {
        property::rename_setup_trigger(self.plugin, args)?;
        if self.data_dir {
            let (old, new) = property::app_pair(args)?;
            if data::app_dir(self.plugin, old)?.is_dir() {
                data::migrate_app(self.plugin, old, new)?;
            }
        }
        Ok(())
    }

    fn delete(&self, args: &[String]) -> Result<()> {
        property::delete_trigger(self.plugin, args)?;
        if self.data_dir {
            data::remove_app(self.plugin, crate::args::nth(args, 0))?;
        }
        Ok(())
    }

    /// `builder-detect <app> <dir>`.
    fn detect(&self, args: &[String]) -> Result<()> {
        let Some(detect) = &self.detect else {
            return Ok(());
        };
        let (app, dir) = (crate::args::nth(args, 0), crate::args::nth(args, 1));
        if detect
            .unless
            .iter()
            .any(|other| other_detects(other, app, dir))
        {
            return Ok(());
        }
        if source_has_file(dir, detect.file) {
            log::log(self.builder);
        }
        Ok(())
    }

    /// `core-post-extract <app> <dir> [<rev>]`: put the configured file in place under its
    /// default name.
    fn post_extract(&self, args: &[String]) -> Result<()> {
        let Some(file) = &self.config_file else {
            return Ok(());
        };
        let (app, dir) = (crate::args::nth(args, 0), crate::args::nth(args, 1));
        let dir = Path::new(dir);
        if !dir.is_dir() {
            return Err(Error::new(format!(
                "pushd: {}: No such file or directory",
                dir.display()
            )));
        }
        let wanted = self.computed(app);
        let target = dir.canonicalize()?.join(file.name);
        let source = within(dir, &wanted);
        // Upstream compares the configured name with the default before looking at the file.
        if matches!(file.missing, Missing::Fail) && source.as_deref() == Some(target.as_path()) {
            return Ok(());
        }
        match (source.filter(|p| p.is_file()), &file.missing) {
            (Some(source), _) if source == target => Ok(()),
            (Some(source), _) => std::fs::rename(&source, &target)
                .map_err(|e| Error::new(format!("Unable to move {wanted} to {}: {e}", file.name))),
            (None, Missing::Fail) => Err(Error::new(format!(
                "Invalid {} specified: {wanted}",
                self.property
            ))),
            (None, Missing::RemoveDefault) => crate::fs::remove_file(&target)
                .map_err(|e| Error::new(format!("Unable to remove {}: {e}", file.name))),
        }
    }
}

/// The entry point of a builder plugin binary.
pub fn main(settings: &Settings) -> ! {
    plugin::init_process();
    plugin::exit(settings.dispatch(&plugin::argv()))
}

/// bash `STDIN=$(cat)`: everything on stdin, trailing newlines dropped (the `docker-args-*`
/// triggers pass what earlier hooks produced through it).
pub fn read_stdin() -> String {
    use std::io::Read;
    let mut bytes = Vec::new();
    let _ = std::io::stdin().read_to_end(&mut bytes);
    let text = String::from_utf8_lossy(&bytes);
    text.trim_end_matches('\n').to_string()
}

/// bash `[[ -f "$SOURCECODE_WORK_DIR/<file>" ]]`: a regular file, following symlinks.
pub fn source_has_file(dir: &str, file: &str) -> bool {
    Path::new(&format!("{dir}/{file}")).is_file()
}

/// Whether the enabled plugin `other`'s `builder-detect` prints something for this source, as
/// upstream's dockerfile detector asks herokuish and pack first.
fn other_detects(other: &str, app: &str, dir: &str) -> bool {
    let hook = crate::Paths::from_env()
        .plugin_enabled_path
        .join(other)
        .join("builder-detect");
    if !hook.is_file() {
        return false;
    }
    // Its status does not matter, only whether it printed anything besides newlines.
    match std::process::Command::new(&hook)
        .arg(app)
        .arg(dir)
        .stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::inherit())
        .output()
    {
        Ok(out) => out.stdout.iter().any(|&b| b != b'\n'),
        Err(_) => false,
    }
}

/// `rel` (a path the user configured) inside the source directory `dir`, or `None` when it
/// would lead outside it (absolute, too many `..`, or through a symlinked directory pointing
/// elsewhere) or its directory does not exist. The directory part is resolved; the last
/// component is kept as named, so a symlink there is moved, never followed.
pub fn within(dir: &Path, rel: &str) -> Option<PathBuf> {
    let rel = Path::new(rel);
    if rel.is_absolute() {
        return None;
    }
    let joined = dir.join(rel);
    let name = joined.file_name()?;
    let root = dir.canonicalize().ok()?;
    let parent = joined.parent()?.canonicalize().ok()?;
    parent.starts_with(&root).then(|| parent.join(name))
}

/// `chown -R` to the dokku system user (a no-op unless running as root); links are not
/// followed.
fn chown_tree(path: &Path) -> Result<()> {
    crate::fs::chown_to_system_user(path)?;
    let meta = std::fs::symlink_metadata(path)?;
    if meta.is_dir() {
        for entry in std::fs::read_dir(path)? {
            chown_tree(&entry?.path())?;
        }
    }
    Ok(())
}

/// The Go report of a builder plugin: `--<plugin>-computed-<p>`, `--<plugin>-global-<p>` and,
/// for an app, `--<plugin>-<p>`; JSON keys without the plugin prefix.
pub struct SettingsReport<'a>(pub &'a Settings);

impl Reporter for SettingsReport<'_> {
    fn report_type(&self) -> &str {
        self.0.plugin
    }

    fn flags(&self, app: &str) -> Result<Vec<Flag<'_>>> {
        let s = self.0;
        let (plugin, property) = (s.plugin, s.property);
        let mut flags = vec![
            Flag::new(format!("--{plugin}-computed-{property}"), move |a| {
                s.computed(a)
            }),
            Flag::new(format!("--{plugin}-global-{property}"), move |_| {
                s.value(GLOBAL)
            }),
        ];
        if app != GLOBAL {
            flags.push(Flag::new(format!("--{plugin}-{property}"), move |a| {
                s.value(a)
            }));
        }
        Ok(flags)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fs::testutil::TempDir;

    static PACK: Settings = Settings {
        plugin: "builder-pack",
        builder: "pack",
        property: "projecttoml-path",
        fallback: Fallback::Value("project.toml"),
        config_file: None,
        detect: None,
        data_dir: false,
        triggers: &[],
    };

    #[test]
    fn texts() {
        assert_eq!(
            PACK.description(),
            "Manage the pack builder integration for an app"
        );
        assert_eq!(
            PACK.usage(),
            "Usage: dokku builder-pack[:COMMAND]\n\nManage the pack builder integration for an app\n\n\
             Additional commands:\n\
             \x20   builder-pack:report [<app>] [<flag>]          Displays a builder-pack report for one or more apps\n\
             \x20   builder-pack:set <app> <property> (<value>)   Set or clear a builder-pack property for an app\n"
        );
    }

    #[test]
    fn paths_stay_inside_the_source() {
        let dir = TempDir::new();
        let d = &dir.path().canonicalize().unwrap();
        std::fs::create_dir_all(d.join("sub")).unwrap();
        std::os::unix::fs::symlink("/etc", d.join("link")).unwrap();
        std::os::unix::fs::symlink("sub", d.join("sublink")).unwrap();
        assert_eq!(within(d, "sub/b"), Some(d.join("sub/b")));
        assert_eq!(within(d, "./sub//x"), Some(d.join("sub/x")));
        assert_eq!(within(d, "sub/../x"), Some(d.join("x")));
        assert_eq!(within(d, "sublink"), Some(d.join("sublink")));
        assert_eq!(within(d, "sublink/x"), Some(d.join("sub/x")));
        assert_eq!(within(d, "missing/x"), None);
        assert_eq!(within(d, "/etc/passwd"), None);
        assert_eq!(within(d, "../x"), None);
        assert_eq!(within(d, "sub/../../x"), None);
        assert_eq!(within(d, "link/passwd"), None);
        assert_eq!(within(d, "."), None);
    }
}
