//! The `plugn` command line: dispatch on argv[1] only, with upstream's exact help text,
//! messages, streams and exit codes.

use std::ffi::{OsStr, OsString};
use std::io::{self, Write};
use std::os::unix::ffi::OsStrExt;
use std::path::{Component, Path, PathBuf};

use crate::install;
use crate::meta::{self, MetaError};
use crate::tree::{self, PluginTree};
use crate::{config, trigger, Error, VERSION};

const COMMANDS: [(&str, &str); 12] = [
    ("config", "Plugin configuration"),
    ("disable", "Disable a plugin"),
    ("enable", "Enable a plugin"),
    ("help", "Shows help information for a command"),
    ("init", "Initialize an empty plugin path"),
    ("install", "Install a new plugin from a Git URL"),
    ("list", "List all local plugins"),
    ("source", "Source commands for sourcable plugins"),
    ("trigger", "Triggers hook in enabled plugins"),
    ("uninstall", "Remove plugin from available plugins"),
    (
        "update",
        "Update plugin and optionally pin to commit/tag/branch",
    ),
    ("version", "Show version"),
];

const CONFIG_COMMANDS: [(&str, &str); 3] = [
    ("export", "Export plugin configuration"),
    ("get", "Get plugin configuration"),
    ("set", "Set plugin configuration"),
];

/// Synopses printed by `plugn help <command>`.
const SYNOPSES: [(&str, &str); 15] = [
    ("version", "version "),
    ("install", "install <url> <name> "),
    ("uninstall", "uninstall <plugin> "),
    ("update", "update <plugin> <committish> "),
    ("list", "list "),
    ("trigger", "trigger <hook> "),
    ("enable", "enable <plugin> "),
    ("disable", "disable <plugin> "),
    ("source", "_source "),
    ("init", "init "),
    ("config", "config "),
    ("help", "cmd-help <args> "),
    ("config get", "config-get <plugin> <name> "),
    ("config set", "config-set <plugin> <name> <value> "),
    ("config export", "config-export <plugin> "),
];

fn command_block(entries: &[(&str, &str)]) -> String {
    let mut out = String::from("\nAvailable commands:\n");
    for (name, desc) in entries {
        out.push_str(&format!("  {name:<28} {desc}\n"));
    }
    out.push('\n');
    out
}

/// Run plugn with `args` (without argv[0]); returns the exit status.
pub fn main(args: Vec<OsString>) -> i32 {
    std::env::set_var("PLUGN_VERSION", VERSION);
    let first = args.first().map(|a| a.as_bytes());
    if matches!(first, Some(b"version" | b"--version" | b"-v")) {
        return print(&format!("plugn: {VERSION}\n"));
    }
    let Some(tree) = resolve_tree() else {
        return print("!! PLUGIN_PATH is not set in environment\n") + 2;
    };
    std::env::set_var("PLUGIN_PATH", tree.root());
    let rest = if args.is_empty() { &[][..] } else { &args[1..] };
    let code = match first {
        None | Some(b"help") => help(rest),
        Some(b"init") => init(&tree),
        Some(b"list") => list(&tree),
        Some(b"source") => source(&tree),
        Some(b"enable") => plugin_arg(rest)
            .and_then(|n| install::enable(&tree, &n))
            .map(|()| 0),
        Some(b"disable") => plugin_arg(rest)
            .and_then(|n| install::disable(&tree, &n))
            .map(|()| 0),
        Some(b"uninstall") => plugin_arg(rest)
            .and_then(|n| install::uninstall(&tree, &n))
            .map(|()| 0),
        Some(b"install") => install_cmd(&tree, rest),
        Some(b"update") => update(&tree, rest),
        Some(b"trigger") => run_trigger(&tree, rest),
        Some(b"config") => config_cmd(&tree, rest),
        Some(_) => {
            let name = args[0].to_string_lossy();
            return print(&format!(
                "No such command: {name}\n{}",
                command_block(&COMMANDS)
            )) + 2;
        }
    };
    match code {
        Ok(code) => code,
        Err(e) => report(e),
    }
}

/// `PLUGIN_PATH`, or — only when it is unset — a `.plugn` file in the working directory.
/// Upstream lets `.plugn` win over `PLUGIN_PATH`, which lets a pushed app source tree
/// (Dokku runs triggers inside it) redirect plugin lookup.
fn resolve_tree() -> Option<PluginTree> {
    if let Some(tree) = PluginTree::from_env() {
        return Some(tree);
    }
    let content = std::fs::read(".plugn").ok()?;
    let content = content.strip_suffix(b"\n").unwrap_or(&content);
    let cwd = std::env::current_dir().ok()?;
    Some(PluginTree::new(clean(
        &cwd.join(OsStr::from_bytes(content)),
    )))
}

/// Lexical clean of an absolute path (Go's filepath.Clean after Abs).
fn clean(path: &Path) -> PathBuf {
    let mut out = PathBuf::from("/");
    for c in path.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::Normal(n) => out.push(n),
            _ => {}
        }
    }
    out
}

/// Print to stdout; a closed stdout is not an error worth reporting. Returns 0.
fn print(s: &str) -> i32 {
    let mut out = io::stdout().lock();
    let _ = out.write_all(s.as_bytes()).and_then(|()| out.flush());
    0
}

/// Print `e` the way the plugn binary does and return its exit status.
pub fn report(e: Error) -> i32 {
    match &e {
        Error::Status(_) => {}
        Error::Io { path, source } => eprintln!(
            "{} open {}: {}",
            timestamp(),
            path.display(),
            lower_io(source)
        ),
        _ => eprintln!("plugn: {e}"),
    }
    e.exit_code()
}

/// Go spells I/O errors in lower case ("no such file or directory").
fn lower_io(e: &io::Error) -> String {
    let s = e.to_string();
    let s = s.split(" (os error").next().unwrap_or(&s).to_string();
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => s,
    }
}

/// `YYYY/MM/DD HH:MM:SS` in local time, the prefix of Go's log lines.
fn timestamp() -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let t = now as nix::libc::time_t;
    // SAFETY: localtime_r writes only into the struct we pass.
    let mut tm: nix::libc::tm = unsafe { std::mem::zeroed() };
    unsafe { nix::libc::localtime_r(&t, &mut tm) };
    format!(
        "{:04}/{:02}/{:02} {:02}:{:02}:{:02}",
        tm.tm_year + 1900,
        tm.tm_mon + 1,
        tm.tm_mday,
        tm.tm_hour,
        tm.tm_min,
        tm.tm_sec
    )
}

fn text(arg: Option<&OsString>) -> String {
    arg.map(|a| a.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn plugin_arg(rest: &[OsString]) -> Result<String, Error> {
    Ok(text(rest.first()))
}

fn help(rest: &[OsString]) -> Result<i32, Error> {
    let topic: Vec<String> = rest
        .iter()
        .take(2)
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    if topic.is_empty() {
        return Ok(print(&command_block(&COMMANDS)));
    }
    let key = if topic[0] == "config" && topic.len() > 1 {
        topic.join(" ")
    } else {
        topic[0].clone()
    };
    let synopsis = SYNOPSES.iter().find(|(k, _)| *k == key).map(|(_, s)| *s);
    let desc = match key.strip_prefix("config ") {
        Some(sub) => CONFIG_COMMANDS
            .iter()
            .find(|(k, _)| *k == sub)
            .map(|(_, d)| *d),
        None => COMMANDS.iter().find(|(k, _)| *k == key).map(|(_, d)| *d),
    };
    match (synopsis, desc) {
        (Some(s), Some(d)) => Ok(print(&format!("{s}\n  {d}\n\n"))),
        _ => Ok(print("\n")),
    }
}

fn init(tree: &PluginTree) -> Result<i32, Error> {
    install::init(tree).map_err(|e| {
        if let Error::Io { path, source } = &e {
            eprintln!(
                "mkdir: cannot create directory '{}': {}",
                path.display(),
                source
            );
        }
        Error::Status(1)
    })?;
    Ok(print(&format!(
        "Initialized empty Plugn plugin path in {}\n",
        tree.root().display()
    )))
}

fn pad(s: &str, width: usize) -> String {
    // printf pads by bytes, not characters.
    let mut out = s.to_string();
    out.extend(std::iter::repeat_n(' ', width.saturating_sub(s.len())));
    out
}

fn list(tree: &PluginTree) -> Result<i32, Error> {
    let rendered = render_list(tree);
    if !rendered.stderr.is_empty() {
        let _ = io::stderr().lock().write_all(rendered.stderr.as_bytes());
    }
    Ok(print(&rendered.stdout))
}

/// What `plugn list` writes: the listing, and warnings about unreadable metadata.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListOutput {
    pub stdout: String,
    pub stderr: String,
}

/// The exact output of `plugn list`, for callers that show or parse it without spawning plugn.
pub fn render_list(tree: &PluginTree) -> ListOutput {
    let mut rendered = ListOutput::default();
    for name in tree.available_names() {
        let meta_path = tree.path(&["available".as_ref(), &name, "plugin.toml".as_ref()]);
        let (version, description) = match meta::read(&meta_path) {
            Ok(m) => (
                meta::render(m.version.as_ref()),
                meta::render(m.description.as_ref()),
            ),
            Err(MetaError::Invalid(msg)) => {
                rendered.stderr.push_str(&format!(
                    "plugn: {}: {}\n",
                    meta_path.display(),
                    msg.trim_end()
                ));
                (String::new(), String::new())
            }
            Err(_) => (String::new(), String::new()),
        };
        let status = if tree::exists(&tree.enabled(&name)) {
            "enabled"
        } else {
            "disabled"
        };
        rendered.stdout.push_str(&format!(
            "  {} {} {} {}\n",
            pad(&name.to_string_lossy(), 20),
            pad(&version, 5),
            pad(status, 10),
            description
        ));
    }
    rendered
}

fn source(tree: &PluginTree) -> Result<i32, Error> {
    let mut out = String::new();
    for name in tree.enabled_names() {
        let mut file = name.clone();
        file.push(".sh");
        let path = tree.path(&["enabled".as_ref(), &name, &file]);
        if tree::is_file(&path) {
            out.push_str(&format!("source {}\n", path.display()));
        }
    }
    Ok(print(&out))
}

fn install_cmd(tree: &PluginTree, rest: &[OsString]) -> Result<i32, Error> {
    let url = text(rest.first());
    let name = rest.get(1).map(|n| n.to_string_lossy().into_owned());
    install::install(tree, &url, name.as_deref()).map(|()| 0)
}

fn update(tree: &PluginTree, rest: &[OsString]) -> Result<i32, Error> {
    let name = text(rest.first());
    let committish = rest.get(1).map(|c| c.to_string_lossy().into_owned());
    let message = install::update(tree, &name, committish.as_deref())?.message(&name);
    Ok(print(&message))
}

fn run_trigger(tree: &PluginTree, rest: &[OsString]) -> Result<i32, Error> {
    let Some(hook) = rest.first() else {
        eprintln!("usage: plugn trigger <hook> [args...]");
        return Ok(1);
    };
    let hook = hook.to_str().ok_or_else(|| Error::InvalidName {
        kind: "hook",
        name: hook.to_string_lossy().into_owned(),
    })?;
    trigger::forward_signals();
    let outcome = trigger::run(tree, hook, &rest[1..], &trigger::Options::default())?;
    Ok(outcome.status)
}

fn config_cmd(tree: &PluginTree, rest: &[OsString]) -> Result<i32, Error> {
    let sub = rest.first().map(|s| s.to_string_lossy().into_owned());
    let args = if rest.is_empty() { &[][..] } else { &rest[1..] };
    match sub.as_deref() {
        None => Ok(print(&format!(
            "Plugin configuration\n{}",
            command_block(&CONFIG_COMMANDS)
        ))),
        Some("get") => {
            let value = config::get(tree, &text(args.first()), &text(args.get(1)))?;
            Ok(print(&format!("{value}\n")))
        }
        Some("set") => {
            config::set(
                tree,
                &text(args.first()),
                &text(args.get(1)),
                &text(args.get(2)),
            )?;
            Ok(0)
        }
        Some("export") => {
            let lines = config::export_lines(tree, &text(args.first()))?;
            Ok(print(
                &lines.iter().map(|l| format!("{l}\n")).collect::<String>(),
            ))
        }
        Some(other) => Ok(print(&format!(
            "No such command: {other}\n{}",
            command_block(&CONFIG_COMMANDS)
        )) + 2),
    }
}
