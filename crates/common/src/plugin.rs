//! The dispatch framework for core plugin binaries.
//!
//! A core plugin is one binary, installed as `core-plugins/available/<name>/<bin>`, with
//! symlinks `commands`, `subcommands/<cmd>` and `<trigger>` (plus any alias names) pointing at
//! it. [`main`] picks the handler from `argv[0]`:
//!
//! * parent directory `subcommands` → the subcommand named by the basename; it receives the
//!   arguments after the command name (`ps:report web` → `["web"]`);
//! * basename `commands` → the `commands` fallback: `<plugin>`, `<plugin>:help`, `help`, the
//!   plugin's own extra commands, else exit `DOKKU_NOT_IMPLEMENTED_EXIT`;
//! * any other basename → an alias (e.g. `prop`) or a trigger; both get `argv[1..]`.
//!
//! Errors print ` !     msg` (or their own style) on stderr and exit with their code; a panic
//! prints a one-line message and never a backtrace.

use std::path::Path;

use crate::error::{Error, Result};

/// A handler receives the arguments described in the module docs.
pub type Handler = fn(&[String]) -> Result<()>;

/// The `commands` hook for plugin-specific commands; `Ok(false)` means "not mine".
pub type CommandsHook = fn(&[String]) -> Result<bool>;

/// Everything a core plugin binary declares.
pub struct PluginSpec {
    pub name: &'static str,
    /// One line, e.g. `Manage app processes`.
    pub description: &'static str,
    /// `(usage, description)` pairs, e.g. `("ps:inspect <app>", "Displays …")`.
    pub help: &'static [(&'static str, &'static str)],
    pub subcommands: &'static [(&'static str, Handler)],
    pub triggers: &'static [(&'static str, Handler)],
    /// Extra names the binary answers to at the plugin root (e.g. `prop`).
    pub aliases: &'static [(&'static str, Handler)],
    /// Commands beyond `<plugin>`, `<plugin>:help` and `help` that `commands` handles.
    pub commands: Option<CommandsHook>,
}

/// How the binary was invoked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    Subcommand(String),
    Commands,
    Named(String),
}

/// Decide the entry point from `argv[0]`.
pub fn classify(argv0: &str) -> Entry {
    let path = Path::new(argv0);
    let base = path
        .file_name()
        .map(|b| b.to_string_lossy().into_owned())
        .unwrap_or_default();
    let parent = path
        .parent()
        .and_then(Path::file_name)
        .map(|p| p.to_string_lossy().into_owned());
    if parent.as_deref() == Some("subcommands") {
        Entry::Subcommand(base)
    } else if base == "commands" {
        Entry::Commands
    } else {
        Entry::Named(base)
    }
}

impl PluginSpec {
    /// `<plugin>:help` / bare `<plugin>` output.
    pub fn usage(&self) -> String {
        let mut lines: Vec<String> = self
            .help
            .iter()
            .map(|(u, d)| format!("    {u}, {d}"))
            .collect();
        // Upstream's help text ends with a newline, which columnize renders as a last line
        // holding only the prefix.
        lines.push(String::new());
        format!(
            "Usage: dokku {}[:COMMAND]\n\n{}\n\nAdditional commands:\n{}\n",
            self.name,
            self.description,
            crate::text::columnize(&lines, ",", "    ")
        )
    }

    /// `commands help` output: the one-line summary, or every command with `all`.
    pub fn help_output(&self, all: bool) -> String {
        if all {
            let mut out = String::from("\n");
            for (usage, desc) in self.help {
                out.push_str(&format!("    {usage}, {desc}\n"));
            }
            out.push('\n');
            out
        } else {
            format!("\n    {}, {}\n", self.name, self.description)
        }
    }

    /// Run the handler for `argv`, returning the exit status.
    pub fn dispatch(&self, argv: &[String]) -> Result<()> {
        let argv0 = argv.first().map(String::as_str).unwrap_or("");
        match classify(argv0) {
            Entry::Subcommand(name) => {
                let rest = argv.get(2..).unwrap_or(&[]);
                match lookup(self.subcommands, &name) {
                    Some(handler) => handler(rest),
                    None => Err(Error::new(format!(
                        "Invalid plugin subcommand call: {name}"
                    ))),
                }
            }
            Entry::Commands => self.commands(argv.get(1..).unwrap_or(&[])),
            Entry::Named(name) => {
                let rest = argv.get(1..).unwrap_or(&[]);
                match lookup(self.aliases, &name).or_else(|| lookup(self.triggers, &name)) {
                    Some(handler) => handler(rest),
                    None => Err(Error::new(format!("Invalid plugin trigger call: {name}"))),
                }
            }
        }
    }

    fn commands(&self, args: &[String]) -> Result<()> {
        let cmd = args.first().map(String::as_str).unwrap_or("");
        if cmd == self.name || cmd == format!("{}:help", self.name) {
            crate::log::write_stdout(&self.usage());
            return Ok(());
        }
        if cmd == "help" {
            crate::log::write_stdout(&self.help_output(parent_cmdline_has_all()));
            return Ok(());
        }
        if let Some(hook) = self.commands {
            if hook(args)? {
                return Ok(());
            }
        }
        let code = match crate::env::not_implemented_exit() {
            Some(code) => code,
            None => {
                crate::log::log(
                    "failed to retrieve DOKKU_NOT_IMPLEMENTED_EXIT environment variable",
                );
                crate::env::DEFAULT_NOT_IMPLEMENTED_EXIT
            }
        };
        Err(Error::silent(code))
    }
}

/// The `commands` entry of a plugin that is Go upstream whose help text has no trailing
/// newline (so no trailing prefix-only line, unlike [`PluginSpec::usage`]): `<name>` and
/// `<name>:help` print the usage, `help` the summary line or, under `help --all`, every
/// `usage, description` line as written; anything else exits `DOKKU_NOT_IMPLEMENTED_EXIT`.
pub fn go_commands(name: &str, description: &str, help: &[&str], args: &[String]) -> Result<()> {
    let cmd = args.first().map(String::as_str).unwrap_or("");
    if cmd == name || cmd == format!("{name}:help") {
        crate::log::write_stdout(&format!(
            "Usage: dokku {name}[:COMMAND]\n\n{description}\n\nAdditional commands:\n{}\n",
            crate::text::columnize(help, ",", "    ")
        ));
        return Ok(());
    }
    if cmd == "help" {
        if parent_cmdline_has_all() {
            let lines: String = help.iter().map(|l| format!("    {l}\n")).collect();
            crate::log::write_stdout(&format!("\n{lines}"));
        } else {
            crate::log::write_stdout(&format!("\n    {name}, {description}\n"));
        }
        return Ok(());
    }
    let code = crate::env::not_implemented_exit().unwrap_or_else(|| {
        crate::log::log("failed to retrieve DOKKU_NOT_IMPLEMENTED_EXIT environment variable");
        crate::env::DEFAULT_NOT_IMPLEMENTED_EXIT
    });
    Err(Error::silent(code))
}

/// The entry point of a plugin that is Go upstream with such help text: the `commands` entry
/// through [`go_commands`] (with the spec's name and description), everything else through
/// the spec.
pub fn go_main(spec: &PluginSpec, help: &[&str]) -> ! {
    init_process();
    let argv = argv();
    let argv0 = argv.first().map(String::as_str).unwrap_or("");
    if classify(argv0) == Entry::Commands {
        exit(go_commands(spec.name, spec.description, help, argv.get(1..).unwrap_or(&[])));
    }
    exit(spec.dispatch(&argv))
}

fn lookup(table: &[(&'static str, Handler)], name: &str) -> Option<Handler> {
    table.iter().find(|(n, _)| *n == name).map(|(_, h)| *h)
}

/// Whether our parent's command line contains `--all` (what `ps -o command= $PPID` checks).
pub fn parent_cmdline_has_all() -> bool {
    let ppid = nix::unistd::getppid();
    match std::fs::read(format!("/proc/{ppid}/cmdline")) {
        Ok(bytes) => {
            let joined: Vec<u8> = bytes
                .iter()
                .map(|&b| if b == 0 { b' ' } else { b })
                .collect();
            joined.windows(5).any(|w| w == b"--all")
        }
        Err(_) => false,
    }
}

/// The argument vector a plugin entry point runs with when it is called in-process rather
/// than exec'd (see [`run_in_process`]).
static IN_PROCESS_ARGV: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();

/// Process arguments as strings (non-UTF-8 bytes are replaced; no valid name contains them):
/// the process's own, or those given to [`run_in_process`].
pub fn argv() -> Vec<String> {
    if let Some(argv) = IN_PROCESS_ARGV.get() {
        return argv.clone();
    }
    std::env::args_os()
        .map(|a| a.to_string_lossy().into_owned())
        .collect()
}

/// `argv[0]`: the path the plugin entry was invoked under (e.g. `…/subcommands/report`).
pub fn argv0() -> String {
    argv().into_iter().next().unwrap_or_default()
}

/// Run a core plugin's entry point in this process as if it had been exec'd with `argv`;
/// never returns. Only the `dokku` entry point does this, instead of its final `exec`, for
/// a subcommand file that is the plugin's own binary: the code that would run is the same,
/// and the process is spared a second program start.
pub fn run_in_process(entry: fn(), argv: Vec<String>) -> ! {
    let _ = IN_PROCESS_ARGV.set(argv);
    entry();
    // Every entry point ends in `exit`; this is only reached if one returns normally.
    std::process::exit(0)
}

/// Set up the process the way every core plugin binary needs: die quietly on a closed pipe
/// like Go programs do, and turn panics into a one-line error with exit status 1.
pub fn init_process() {
    // SAFETY: restoring the default disposition of SIGPIPE has no memory-safety impact.
    unsafe {
        let _ = nix::sys::signal::signal(
            nix::sys::signal::Signal::SIGPIPE,
            nix::sys::signal::SigHandler::SigDfl,
        );
    }
    std::panic::set_hook(Box::new(|info| {
        let msg = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unexpected failure".to_string());
        crate::log::write_stderr(&format!(" !     internal error: {msg}\n"));
        std::process::exit(1);
    }));
}

/// Exit with the outcome of a handler.
pub fn exit(result: Result<()>) -> ! {
    let code = match result {
        Ok(()) => 0,
        Err(e) => e.report(),
    };
    std::process::exit(code)
}

/// The entry point of a core plugin binary.
pub fn main(spec: &PluginSpec) -> ! {
    init_process();
    exit(spec.dispatch(&argv()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(_: &[String]) -> Result<()> {
        Ok(())
    }

    fn fails(args: &[String]) -> Result<()> {
        Err(Error::with_code(args.join("|"), 7))
    }

    static SPEC: PluginSpec = PluginSpec {
        name: "ps",
        description: "Manage app processes",
        help: &[
            (
                "ps:inspect <app>",
                "Displays a sanitized version of docker inspect for an app",
            ),
            (
                "ps:set <app> <key> <value>",
                "Set or clear a ps property for an app",
            ),
        ],
        subcommands: &[("report", fails)],
        triggers: &[("post-delete", fails)],
        aliases: &[("prop", ok)],
        commands: None,
    };

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn classification() {
        assert_eq!(
            classify("/x/ps/subcommands/report"),
            Entry::Subcommand("report".into())
        );
        assert_eq!(
            classify("subcommands/default"),
            Entry::Subcommand("default".into())
        );
        assert_eq!(classify("/x/ps/commands"), Entry::Commands);
        assert_eq!(
            classify("/x/ps/post-delete"),
            Entry::Named("post-delete".into())
        );
        assert_eq!(classify("prop"), Entry::Named("prop".into()));
    }

    #[test]
    fn dispatching() {
        let e = SPEC
            .dispatch(&s(&["/p/subcommands/report", "ps:report", "web", "--x"]))
            .unwrap_err();
        assert_eq!((e.message(), e.code()), ("web|--x", 7));
        let e = SPEC.dispatch(&s(&["/p/post-delete", "web"])).unwrap_err();
        assert_eq!(e.message(), "web");
        assert!(SPEC.dispatch(&s(&["/p/prop", "get"])).is_ok());
        let e = SPEC
            .dispatch(&s(&["/p/subcommands/nope", "ps:nope"]))
            .unwrap_err();
        assert_eq!(e.message(), "Invalid plugin subcommand call: nope");
        let e = SPEC.dispatch(&s(&["/p/nope"])).unwrap_err();
        assert_eq!(e.message(), "Invalid plugin trigger call: nope");
    }

    #[test]
    fn help_texts() {
        assert_eq!(
            SPEC.usage(),
            "Usage: dokku ps[:COMMAND]\n\nManage app processes\n\nAdditional commands:\n\
             \x20   ps:inspect <app>            Displays a sanitized version of docker inspect for an app\n\
             \x20   ps:set <app> <key> <value>  Set or clear a ps property for an app\n\
             \x20   \n"
        );
        assert_eq!(SPEC.help_output(false), "\n    ps, Manage app processes\n");
        assert_eq!(
            SPEC.help_output(true),
            "\n    ps:inspect <app>, Displays a sanitized version of docker inspect for an app\n    ps:set <app> <key> <value>, Set or clear a ps property for an app\n\n"
        );
    }
}
