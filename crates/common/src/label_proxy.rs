//! The label-based proxy plugins (caddy, haproxy, openresty, traefik): their settings
//! commands, report and triggers, which only differ in data. Upstream these are bash
//! `commands`/`subcommands` plus a Go `:report`; the `<proxy>:labels:*` commands go through
//! the `commands` fallback and run the proxy plugin's shipped bash helpers
//! (`proxy/command-functions`), so the labels file format lives in one place.
//!
//! A plugin crate declares a [`Config`] and calls [`label_proxy_main!`](crate::label_proxy_main).

use std::path::PathBuf;
use std::process::Command;

use crate::error::{Error, Result};
use crate::property::{Store, GLOBAL};
use crate::report::{Flag, Options, Reporter};

/// How a property's computed value is found when neither the app nor `--global` sets it.
#[derive(Debug, Clone, Copy)]
pub enum Fallback {
    Static(&'static str),
    /// The `FROM` image of the plugin's shipped `Dockerfile`.
    DockerfileImage,
    /// `<dir>/<app><suffix>` (openresty's log paths).
    AppPath(&'static str, &'static str),
    /// `<prefix><page size in KiB * factor>k`.
    PageSize(&'static str, usize),
    /// The base64 of the global value or of this default (openresty's Lua function).
    Base64(&'static str),
}

/// One settable property as the report shows it.
#[derive(Debug, Clone, Copy)]
pub struct Prop {
    pub name: &'static str,
    /// Has a per-app value (and a `--<proxy>-<name>` report line for apps).
    pub per_app: bool,
    pub fallback: Fallback,
    /// The computed value is upper-cased (log levels of caddy, haproxy and traefik).
    pub upper: bool,
    /// Masked in the stdout report.
    pub secret: bool,
}

impl Prop {
    pub const fn global(name: &'static str, fallback: Fallback) -> Prop {
        Prop {
            name,
            per_app: false,
            fallback,
            upper: false,
            secret: false,
        }
    }

    pub const fn app(name: &'static str, fallback: Fallback) -> Prop {
        Prop {
            name,
            per_app: true,
            fallback,
            upper: false,
            secret: false,
        }
    }

    pub const fn upper(self) -> Prop {
        Prop {
            upper: true,
            ..self
        }
    }

    pub const fn secret(self) -> Prop {
        Prop {
            secret: true,
            ..self
        }
    }
}

/// How one `KEY=value` parameter of the compose template is computed, as upstream's
/// `fn-<proxy>-template-compose-file` does.
#[derive(Debug, Clone, Copy)]
pub enum Param {
    /// The computed value of a global property: its value, else its fallback.
    Computed(&'static str),
    /// `$DOKKU_LIB_ROOT/data/<dir>`.
    DataDir(&'static str),
    /// traefik: `htpasswd -nb <username> <password>` with every `$` doubled for compose;
    /// empty unless both `basic-auth-username` and `basic-auth-password` are set.
    BasicAuth,
    /// traefik: `dns-provider-<VAR> <value>` lines, only when `dns-provider` is set.
    DnsProviderEnvVars,
    /// traefik: what follows the last `:` of `api-entry-point-address`.
    ApiEntryPointPort,
    /// openresty: the base64 of `allowed-letsencrypt-domains-func-base64` (default
    /// `return true`) plus a newline; the parameter is left out when the property is empty.
    AllowedDomainsFunc,
}

/// Everything that differs between the four plugins.
pub struct Config {
    /// Command prefix and property namespace, e.g. `traefik`.
    pub proxy: &'static str,
    /// Plugin directory, e.g. `traefik-vhosts`.
    pub dir: &'static str,
    pub description: &'static str,
    /// The bash `help-functions` lines.
    pub help: &'static [&'static str],
    /// Report lines, in any order (the report sorts them).
    pub props: &'static [Prop],
    /// `:set` key lists, as upstream's `VALID_KEYS`, `GLOBAL_KEYS`, `GLOBAL_ONLY_KEYS`.
    pub valid_keys: &'static [&'static str],
    pub global_keys: &'static [&'static str],
    pub global_only_keys: &'static [&'static str],
    /// The full "Invalid key specified, …" message.
    pub invalid_key: &'static str,
    /// Global-only free-form keys with this prefix (traefik's `dns-provider-`); reported
    /// masked as `--<proxy>-global-<key>`.
    pub env_prefix: Option<&'static str>,
    /// Directories under `$DOKKU_LIB_ROOT/data` created (parents first) by `install`.
    pub data_dirs: &'static [&'static str],
    /// The parameters of `templates/compose.yml.sigil`.
    pub compose: &'static [(&'static str, Param)],
}

impl Config {
    fn store(&self) -> Store {
        Store::from_env()
    }

    fn fallback(&self, fallback: Fallback, app: &str) -> String {
        match fallback {
            Fallback::Static(v) => v.to_string(),
            Fallback::DockerfileImage => dockerfile_image(self.dir),
            Fallback::AppPath(dir, suffix) => format!("{dir}/{app}{suffix}"),
            Fallback::PageSize(prefix, factor) => format!("{prefix}{}k", page_size_kb() * factor),
            Fallback::Base64(default) => base64(&self.store().get_default(
                self.proxy,
                GLOBAL,
                "allowed-letsencrypt-domains-func-base64",
                default,
            )),
        }
    }

    fn computed(&self, prop: &Prop, app: &str) -> String {
        if let Fallback::Base64(_) = prop.fallback {
            return self.fallback(prop.fallback, app);
        }
        let store = self.store();
        let mut value = String::new();
        if prop.per_app && app != GLOBAL {
            value = store.get(self.proxy, app, prop.name);
        }
        if value.is_empty() {
            value = store.get(self.proxy, GLOBAL, prop.name);
        }
        if value.is_empty() {
            value = self.fallback(prop.fallback, app);
        }
        if prop.upper {
            value = value.to_uppercase();
        }
        value
    }

    /// `<proxy>:set <app>|--global <key> [<value>]`, the bash version's checks in its order.
    pub fn set(&self, args: &[String]) -> Result<()> {
        let arg = |i: usize| args.get(i).map(String::as_str).unwrap_or("");
        let (app, key, value) = (arg(0), arg(1), arg(2));
        if key.is_empty() {
            return Err(Error::new("No key specified"));
        }
        let prefixed = self.env_prefix.is_some_and(|p| key.starts_with(p));
        if !self.valid_keys.contains(&key) && !prefixed {
            return Err(Error::new(self.invalid_key));
        }
        if !self.global_keys.contains(&key) && !prefixed {
            if app == GLOBAL {
                return Err(Error::new(format!(
                    "The key '{key}' cannot be set globally"
                )));
            }
            crate::app::verify_app_name(app)?;
        }
        if (prefixed || self.global_only_keys.contains(&key)) && app != GLOBAL {
            return Err(Error::new(format!(
                "The key '{key}' can only be set globally"
            )));
        }
        let store = self.store();
        if value.is_empty() {
            crate::log::info2_quiet(&format!("Unsetting {key}"));
            store.delete(self.proxy, app, key)
        } else {
            crate::log::info2_quiet(&format!("Setting {key} to {value}"));
            store.set(self.proxy, app, key, value)
        }
    }

    /// `<proxy>:show-config <app>`: the rendered compose file. The app argument is ignored,
    /// as upstream ignores it.
    pub fn show_config(&self, _args: &[String]) -> Result<()> {
        if !compose_installed() {
            return Err(Error::new(
                "Required docker compose plugin is not installed",
            ));
        }
        crate::log::write_stdout(&self.compose_file()?);
        Ok(())
    }

    /// The proxy's compose file (upstream's `<proxy>:start`/`:stop` use the same one): the
    /// template named by the `<proxy>-template-source` trigger, else the plugin's own,
    /// rendered as `sigil -f TEMPLATE PARAMS… | cat -s` renders it. Failures print raw, as
    /// sigil's own messages do.
    pub fn compose_file(&self) -> Result<String> {
        // Upstream passes `$APP`, which nothing sets in that function: the hooks get the
        // caller's `APP` environment variable, normally unset, so an empty argument.
        let app = std::env::var("APP").unwrap_or_default();
        let custom = crate::trigger::capture(&format!("{}-template-source", self.proxy), &[app])?;
        let custom = custom.trim_end_matches('\n');
        let path = if custom.is_empty() {
            crate::paths::Paths::from_env()
                .plugin_available_path
                .join(self.dir)
                .join("templates/compose.yml.sigil")
        } else {
            PathBuf::from(custom)
        };
        let mut params = Vec::new();
        for (key, param) in self.compose {
            if let Some(value) = self.param(*param)? {
                params.push((key.to_string(), value));
            }
        }
        let source = read_template(&path)?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let rendered =
            crate::template::render_sigil(&name, &source, &params).map_err(Error::raw)?;
        Ok(crate::template::squeeze_blank_lines(&rendered))
    }

    /// One template parameter; `None` leaves it out.
    fn param(&self, param: Param) -> Result<Option<String>> {
        let value = match param {
            Param::Computed(key) => self.global_computed(key),
            Param::DataDir(dir) => crate::paths::Paths::from_env()
                .data_root()
                .join(dir)
                .to_string_lossy()
                .into_owned(),
            Param::BasicAuth => {
                let password = self.global_computed("basic-auth-password");
                let username = self.global_computed("basic-auth-username");
                if password.is_empty() || username.is_empty() {
                    String::new()
                } else {
                    crate::htpasswd::line(&username, &password)?.replace('$', "$$")
                }
            }
            Param::DnsProviderEnvVars => {
                if self.global_computed("dns-provider").is_empty() {
                    String::new()
                } else {
                    // Upstream lists them in Go map order (random); these are sorted by name.
                    let vars = self
                        .store()
                        .get_all_by_prefix(self.proxy, GLOBAL, "dns-provider-")
                        .map_err(Error::raw)?;
                    let lines: Vec<String> = vars
                        .iter()
                        .map(|(k, v)| format!("{k} {}", v.strip_suffix('\n').unwrap_or(v)))
                        .collect();
                    shell_value(&lines.join("\n"))
                }
            }
            Param::ApiEntryPointPort => {
                let address = self.global_computed("api-entry-point-address");
                address.rsplit(':').next().unwrap_or("").to_string()
            }
            Param::AllowedDomainsFunc => {
                let func = self.store().get_default(
                    self.proxy,
                    GLOBAL,
                    "allowed-letsencrypt-domains-func-base64",
                    "return true",
                );
                // `prop get-with-default` prints a non-empty value with a newline, which
                // `base64` encodes too.
                if func.is_empty() {
                    return Ok(None);
                }
                base64(&format!("{func}\n"))
            }
        };
        Ok(Some(value))
    }

    /// A global property as the bash `fn-<proxy>-computed-<key>` gives it: the value with its
    /// trailing newlines cut (command substitution), else the fallback; upper-cased where
    /// upstream does (`${value^^}`).
    fn global_computed(&self, key: &str) -> String {
        let prop = self.props.iter().find(|p| p.name == key);
        let mut value = shell_value(&self.store().get(self.proxy, GLOBAL, key));
        if value.is_empty() {
            value = match prop.map(|p| p.fallback) {
                Some(Fallback::DockerfileImage) => dockerfile_images(self.dir),
                Some(fallback) => shell_value(&self.fallback(fallback, GLOBAL)),
                None => String::new(),
            };
        }
        if prop.is_some_and(|p| p.upper) {
            value = value.to_uppercase();
        }
        value
    }

    /// `<proxy>:labels:{add,remove,show}` through the proxy plugin's bash helpers. The user's
    /// arguments are passed as positional parameters, never spliced into the script.
    pub fn labels(&self, action: &str, args: &[String]) -> Result<()> {
        let paths = crate::paths::Paths::from_env();
        let script = "source \"$PLUGIN_AVAILABLE_PATH/proxy/command-functions\"\nfn=\"$1\"\nshift\n\"$fn\" \"$@\"\n";
        let status = Command::new("bash")
            .arg("-c")
            .arg(script)
            .arg("bash")
            .arg(format!("cmd-proxy-labels-{action}"))
            .arg(format!("proxy:labels:{action}"))
            .arg(self.proxy)
            .args(args)
            .env("PLUGIN_AVAILABLE_PATH", &paths.plugin_available_path)
            .env(
                "PLUGIN_CORE_AVAILABLE_PATH",
                &paths.plugin_core_available_path,
            )
            .status()
            .map_err(|e| Error::new(format!("Unable to run bash: {e}")))?;
        match status.code() {
            Some(0) => Ok(()),
            Some(code) => Err(Error::silent(code)),
            None => Err(Error::silent(1)),
        }
    }

    /// The `commands` words beyond help: `Ok(false)` when not ours.
    pub fn commands(&self, args: &[String]) -> Result<bool> {
        let word = args.first().map(String::as_str).unwrap_or("");
        let Some(action) = word
            .strip_prefix(self.proxy)
            .and_then(|w| w.strip_prefix(":labels:"))
        else {
            return Ok(false);
        };
        if !["add", "remove", "show"].contains(&action) {
            return Ok(false);
        }
        self.labels(action, &args[1..])?;
        Ok(true)
    }

    /// `install`: the data directories and the property folder.
    pub fn install(&self, _args: &[String]) -> Result<()> {
        let data = crate::paths::Paths::from_env().data_root();
        for dir in self.data_dirs {
            let path = data.join(dir);
            crate::fs::ensure_dir(&path, 0o755)?;
            // Upstream chowns recursively; nothing but these listed directories is created.
            crate::fs::chown_to_system_user(&path)?;
        }
        self.store().setup(self.proxy)
    }

    /// `post-create <app>`: the app's property folder, where the labels file also lives.
    pub fn post_create(&self, args: &[String]) -> Result<()> {
        let app = args.first().map(String::as_str).unwrap_or("");
        crate::app::check_name(app)?;
        self.store().setup_app(self.proxy, app)
    }

    pub fn post_delete(&self, args: &[String]) -> Result<()> {
        crate::property::delete_trigger(self.proxy, args)
    }

    pub fn clone_setup(&self, args: &[String]) -> Result<()> {
        crate::property::clone_setup_trigger(self.proxy, args)
    }

    /// `post-app-rename-setup`: move the properties, then clear the generated config.
    pub fn rename_setup(&self, args: &[String]) -> Result<()> {
        crate::property::rename_setup_trigger(self.proxy, args)?;
        let new = args.get(1).cloned().unwrap_or_default();
        crate::trigger::fire("proxy-clear-config", &[new])
    }

    /// The `report` trigger: one app's full stdout report.
    pub fn report_trigger(&self, args: &[String]) -> Result<()> {
        let app = args.first().map(String::as_str).unwrap_or("");
        crate::report::report_one(self, app, "", None)
    }

    pub fn report(&self, args: &[String]) -> Result<()> {
        crate::report::run_subcommand(self.dir, args, self)
    }
}

fn make<'a>(name: String, secret: bool, f: Box<dyn Fn(&str) -> String + 'a>) -> Flag<'a> {
    if secret {
        Flag::secret(name, f)
    } else {
        Flag::new(name, f)
    }
}

impl Reporter for Config {
    fn report_type(&self) -> &str {
        self.proxy
    }

    fn options(&self) -> Options {
        Options {
            trim_prefix: true,
            emit_legacy_prefix: false,
            uppercase_first: true,
        }
    }

    fn flags(&self, app: &str) -> Result<Vec<Flag<'_>>> {
        let mut flags = Vec::new();
        let p = self.proxy;
        for prop in self.props {
            if prop.per_app && app != GLOBAL {
                flags.push(make(
                    format!("--{p}-{}", prop.name),
                    prop.secret,
                    Box::new(move |a| self.store().get(p, a, prop.name)),
                ));
            }
            flags.push(make(
                format!("--{p}-global-{}", prop.name),
                prop.secret,
                Box::new(move |_| self.store().get(p, GLOBAL, prop.name)),
            ));
            flags.push(make(
                format!("--{p}-computed-{}", prop.name),
                prop.secret,
                Box::new(move |a| self.computed(prop, a)),
            ));
        }
        if let Some(prefix) = self.env_prefix {
            for (key, value) in self.store().get_all_by_prefix(p, GLOBAL, prefix)? {
                flags.push(Flag::secret(format!("--{p}-global-{key}"), move |_| {
                    value.clone()
                }));
            }
        }
        Ok(flags)
    }
}

/// Upstream's `docker info` check for the compose CLI plugin.
fn compose_installed() -> bool {
    let format = "{{range .ClientInfo.Plugins}}{{if eq .Name \"compose\"}}true{{end}}{{end}}";
    match Command::new(crate::docker::bin())
        .args(["info", "-f", format])
        .output()
    {
        Ok(out) => String::from_utf8_lossy(&out.stdout).trim_end() == "true",
        Err(_) => false,
    }
}

/// The second field of the first line holding `FROM` in the plugin's `Dockerfile`.
fn dockerfile_image(dir: &str) -> String {
    let path: PathBuf = crate::paths::Paths::from_env()
        .plugin_available_path
        .join(dir)
        .join("Dockerfile");
    let Ok(text) = std::fs::read_to_string(path) else {
        return String::new();
    };
    text.lines()
        .find(|l| l.contains("FROM"))
        .and_then(|l| l.split_whitespace().nth(1))
        .unwrap_or("")
        .to_string()
}

/// `grep FROM Dockerfile | awk '{print $2}'` inside `$(…)`: the second field of every line
/// holding `FROM`, one a line, trailing newlines cut.
fn dockerfile_images(dir: &str) -> String {
    let path = crate::paths::Paths::from_env()
        .plugin_available_path
        .join(dir)
        .join("Dockerfile");
    let Ok(text) = std::fs::read_to_string(path) else {
        return String::new();
    };
    let images: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("FROM"))
        .map(|l| l.split_whitespace().nth(1).unwrap_or(""))
        .collect();
    shell_value(&images.join("\n"))
}

/// A value as `$(…)` captures it: trailing newlines removed.
fn shell_value(text: &str) -> String {
    text.trim_end_matches('\n').to_string()
}

/// The template's text; errors read as Go's `os.ReadFile` ones, which sigil prints.
fn read_template(path: &std::path::Path) -> Result<String> {
    let fail = |op: &str, e: std::io::Error| {
        let text = e.to_string();
        let text = text.split(" (os error").next().unwrap_or(&text).to_string();
        let mut chars = text.chars();
        let reason: String = match chars.next() {
            Some(c) => c.to_lowercase().chain(chars).collect(),
            None => text,
        };
        Error::new(format!("{op} {}: {reason}", path.display())).raw()
    };
    let bytes = std::fs::read(path).map_err(|e| {
        // Go opens first and fails reading a directory.
        let op = if e.raw_os_error() == Some(21) {
            "read"
        } else {
            "open"
        };
        fail(op, e)
    })?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// The kernel page size in KiB (Go's `os.Getpagesize() / 1024`), from the first mapping of
/// /proc/self/smaps; 4 where that is unreadable.
fn page_size_kb() -> usize {
    std::fs::read_to_string("/proc/self/smaps")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("KernelPageSize:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(4)
}

/// Standard padded base64.
pub fn base64(input: &str) -> String {
    const TABLE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let bytes = input.as_bytes();
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(TABLE[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The binary of one label-based proxy plugin: `label_proxy_main!(CONFIG, clone_rename)`
/// where `clone_rename` says whether upstream ships the clone/rename triggers.
#[macro_export]
macro_rules! label_proxy_main {
    ($config:expr, $clone_rename:expr) => {
        fn report(a: &[String]) -> $crate::error::Result<()> {
            $config.report(a)
        }
        fn set(a: &[String]) -> $crate::error::Result<()> {
            $config.set(a)
        }
        fn show_config(a: &[String]) -> $crate::error::Result<()> {
            $config.show_config(a)
        }
        fn default(_: &[String]) -> $crate::error::Result<()> {
            $crate::log::write_stdout(&$crate::bash_help::usage(
                $config.proxy,
                $config.description,
                $config.help,
            ));
            Ok(())
        }
        fn install(a: &[String]) -> $crate::error::Result<()> {
            $config.install(a)
        }
        fn post_create(a: &[String]) -> $crate::error::Result<()> {
            $config.post_create(a)
        }
        fn post_delete(a: &[String]) -> $crate::error::Result<()> {
            $config.post_delete(a)
        }
        fn clone_setup(a: &[String]) -> $crate::error::Result<()> {
            $config.clone_setup(a)
        }
        fn rename_setup(a: &[String]) -> $crate::error::Result<()> {
            $config.rename_setup(a)
        }
        fn report_trigger(a: &[String]) -> $crate::error::Result<()> {
            $config.report_trigger(a)
        }
        const BASE_TRIGGERS: &[(&str, $crate::plugin::Handler)] = &[
            ("install", install),
            ("post-create", post_create),
            ("post-delete", post_delete),
            ("report", report_trigger),
        ];
        const ALL_TRIGGERS: &[(&str, $crate::plugin::Handler)] = &[
            ("install", install),
            ("post-app-clone-setup", clone_setup),
            ("post-app-rename-setup", rename_setup),
            ("post-create", post_create),
            ("post-delete", post_delete),
            ("report", report_trigger),
        ];
        static SPEC: $crate::plugin::PluginSpec = $crate::plugin::PluginSpec {
            name: $config.proxy,
            description: $config.description,
            help: &[],
            subcommands: &[
                ("default", default),
                ("report", report),
                ("set", set),
                ("show-config", show_config),
            ],
            triggers: if $clone_rename {
                ALL_TRIGGERS
            } else {
                BASE_TRIGGERS
            },
            aliases: &[],
            commands: None,
        };

        /// The binary's entry point; also called in-process by the `dokku` entry point.
        pub fn main() {
            $crate::plugin::init_process();
            let argv = $crate::plugin::argv();
            let is_commands =
                $crate::plugin::classify(argv.first().map(String::as_str).unwrap_or(""))
                    == $crate::plugin::Entry::Commands;
            if is_commands {
                match $config.commands(argv.get(1..).unwrap_or(&[])) {
                    Ok(true) => $crate::plugin::exit(Ok(())),
                    Err(e) => $crate::plugin::exit(Err(e)),
                    Ok(false) => {}
                }
            }
            $crate::plugin::exit($crate::bash_help::run(&SPEC, $config.help, &argv))
        }
    };
}

#[cfg(test)]
mod tests {
    #[test]
    fn base64_matches_go() {
        assert_eq!(super::base64("return true"), "cmV0dXJuIHRydWU=");
        assert_eq!(super::base64(""), "");
        assert_eq!(super::base64("ab"), "YWI=");
    }
}
