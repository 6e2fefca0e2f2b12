//! Command resolution: aliases, directory renames, core-plugin argument normalisation, the
//! `subcommands/` lookup and the `commands` fallback with its exit-10 convention.

use std::env;
use std::fs;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::{Path, PathBuf};
use std::process::Command;

use dokku_common::log::warn;

/// Plugin prefixes that are rewritten everywhere, the typed command word included.
const ALIASES: [(&str, &str); 8] = [
    ("docker-local", "scheduler-docker-local"),
    ("dockerfile", "builder-dockerfile"),
    ("herokuish", "builder-herokuish"),
    ("k3s", "scheduler-k3s"),
    ("lambda", "builder-lambda"),
    ("nixpacks", "builder-nixpacks"),
    ("pack", "builder-pack"),
    ("rails", "builder-railpack"),
];

/// Prefixes whose plugin directory has another name; the command word is kept.
const RENAMES: [(&str, &str); 6] = [
    ("events", "20_events"),
    ("caddy", "caddy-vhosts"),
    ("haproxy", "haproxy-vhosts"),
    ("nginx", "nginx-vhosts"),
    ("openresty", "openresty-vhosts"),
    ("traefik", "traefik-vhosts"),
];

const STANDARD_COMMANDS: [&str; 5] = ["deploy", "cleanup", "url", "urls", "report"];

/// Name of the file a dokku-rs core plugin ships listing the words its `commands` entry
/// handles; every other word would get exit 10, so the dispatcher need not spawn it.
pub const HANDLED_WORDS_FILE: &str = ".dokku-rs-commands";

pub fn enabled_path() -> PathBuf {
    PathBuf::from(env::var_os("PLUGIN_ENABLED_PATH").unwrap_or_default())
}

fn prefix(s: &str) -> &str {
    s.split(':').next().unwrap_or(s)
}

/// `${1#*:}`: everything after the first colon, or the whole word when it has none.
fn after_colon(s: &str) -> &str {
    s.split_once(':').map(|(_, rest)| rest).unwrap_or(s)
}

fn is_executable_file(path: &Path) -> bool {
    path.is_file() && nix::unistd::access(path, nix::unistd::AccessFlags::X_OK).is_ok()
}

/// True when `enabled/<plugin>` resolves into the core plugin tree.
pub fn is_core(enabled: &Path, plugin: &str) -> bool {
    fs::canonicalize(enabled.join(plugin))
        .map(|p| p.to_string_lossy().contains("core-plugins"))
        .unwrap_or(false)
}

pub fn execute(mut args: Vec<String>) -> i32 {
    let enabled = enabled_path();
    let mut plugin_name = args[0].clone();
    let mut plugin_cmd = plugin_name.clone();

    let source = prefix(&plugin_name).to_string();
    if let Some((_, target)) = ALIASES.iter().find(|(from, _)| *from == source) {
        plugin_name = plugin_name.replacen(&source, target, 1);
        plugin_cmd = plugin_cmd.replacen(&source, target, 1);
        args[0] = plugin_name.clone();
    }
    if let Some((from, to)) = RENAMES
        .iter()
        .find(|(from, _)| prefix(&plugin_name) == *from)
    {
        plugin_name = plugin_name.replacen(from, to, 1);
    } else if STANDARD_COMMANDS.contains(&plugin_name.as_str()) {
        plugin_name = "00_dokku-standard".into();
    }

    if is_core(&enabled, prefix(&plugin_name)) {
        if args[0] == plugin_cmd {
            args.remove(0);
        }
        if let Some(app) = env::var("DOKKU_APP_NAME").ok().filter(|a| !a.is_empty()) {
            args.insert(0, app);
        }
        args.insert(0, plugin_cmd.clone());
    }

    let first = args.first().cloned().unwrap_or_default();
    let candidates = [
        Some(enabled.join(&plugin_name).join("subcommands/default")),
        Some(
            enabled
                .join(&plugin_name)
                .join("subcommands")
                .join(&plugin_cmd),
        ),
        Some(after_colon(&first))
            .filter(|s| !s.is_empty())
            .map(|sub| {
                enabled
                    .join(prefix(&plugin_name))
                    .join("subcommands")
                    .join(sub)
            }),
    ];
    if let Some(path) = candidates
        .into_iter()
        .flatten()
        .find(|p| is_executable_file(p))
    {
        // Nothing else runs after a subcommand: hand it the process.
        if let Some(entry) = crate::builtin::entry_for(&path) {
            let mut argv = vec![path.to_string_lossy().into_owned()];
            argv.extend(args);
            dokku_common::plugin::run_in_process(entry, argv);
        }
        let err = Command::new(&path).args(&args).exec();
        warn(&format!("{}: {}", path.display(), err));
        return 126;
    }

    let mut implemented = false;
    for plugin in plugn::tree::sorted_entries(&enabled) {
        let dir = enabled.join(&plugin);
        let script = dir.join("commands");
        if fs::symlink_metadata(&script).is_err() || !handles(&dir, &first) {
            continue;
        }
        let code = run(&script, &args);
        if code == 10 {
            continue;
        }
        implemented = true;
        if code != 0 {
            return code;
        }
    }
    if !implemented {
        warn(&format!("`{}` is not a dokku command.", args.join(" ")));
        warn("See `dokku help` for a list of available commands.");
        return 1;
    }
    0
}

/// Whether a plugin's `commands` could handle `word`: always, unless it is a dokku-rs core
/// plugin whose word list says otherwise.
fn handles(dir: &Path, word: &str) -> bool {
    match fs::read_to_string(dir.join(HANDLED_WORDS_FILE)) {
        Ok(list) => list.lines().any(|l| l == word),
        Err(_) => true,
    }
}

/// Run a child and return its status the way bash reports it (128+N for signal N).
pub fn run(program: &Path, args: &[String]) -> i32 {
    match Command::new(program).args(args).status() {
        Ok(status) => status
            .code()
            .unwrap_or_else(|| 128 + status.signal().unwrap_or(0)),
        Err(e) => {
            warn(&format!("{}: {}", program.display(), e));
            if e.kind() == std::io::ErrorKind::NotFound {
                127
            } else {
                126
            }
        }
    }
}

/// `dokku version`: the stable version file, else the version file.
pub fn version() -> i32 {
    let lib = PathBuf::from(env::var_os("DOKKU_LIB_ROOT").unwrap_or_default());
    for name in ["STABLE_VERSION", "VERSION"] {
        let path = lib.join(name);
        if path.is_file() {
            let text = fs::read_to_string(&path).unwrap_or_default();
            println!("dokku version {}", text.trim_end_matches('\n'));
            return 0;
        }
    }
    warn("Unable to determine dokku's version");
    crate::users::fail_code()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colon_handling() {
        assert_eq!(after_colon("apps:list"), "list");
        assert_eq!(after_colon("scheduler-k3s:labels:set"), "labels:set");
        assert_eq!(after_colon("apps"), "apps");
        assert_eq!(after_colon("apps:"), "");
        assert_eq!(prefix("apps:list"), "apps");
    }
}
