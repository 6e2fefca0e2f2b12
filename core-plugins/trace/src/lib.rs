//! The `trace` core plugin: `trace:on` / `trace:off` drop or remove
//! `$DOKKU_ROOT/.dokkurc/DOKKU_TRACE`, which the `dokku` entry point sources on every run.

use std::path::PathBuf;

use dokku_common::plugin::PluginSpec;
use dokku_common::{bash_help, fs, log, Paths, Result};

const NAME: &str = "trace";
const DESCRIPTION: &str = "Manage trace mode";
const HELP: &[&str] = &[
    "    trace:on, Enable trace mode",
    "    trace:off, Disable trace mode",
];

/// What `trace:on` writes; sourcing it exports the variable for every later command.
const RC_CONTENT: &[u8] = b"export DOKKU_TRACE=1\n";
/// Upstream creates the file through a shell redirection (0666 under the usual 022 umask).
const RC_MODE: u32 = 0o644;

static SPEC: PluginSpec = PluginSpec {
    name: NAME,
    description: DESCRIPTION,
    help: &[],
    subcommands: &[("default", default), ("on", on), ("off", off)],
    triggers: &[],
    aliases: &[],
    commands: None,
};

/// `$DOKKU_ROOT/.dokkurc`, created when missing (an existing one keeps its mode).
fn rc_dir() -> Result<PathBuf> {
    let dir = Paths::from_env().dokku_root.join(".dokkurc");
    if !dir.is_dir() {
        fs::ensure_dir(&dir, fs::DIR_MODE)?;
    }
    Ok(dir)
}

/// Bare `dokku trace` (with any arguments) prints the usage, as upstream's default does.
fn default(_args: &[String]) -> Result<()> {
    log::write_stdout(&bash_help::usage(NAME, DESCRIPTION, HELP));
    Ok(())
}

fn on(_args: &[String]) -> Result<()> {
    log::info1("Enabling trace mode");
    let dir = rc_dir()?;
    fs::write_atomic(&dir.join("DOKKU_TRACE"), RC_CONTENT, RC_MODE)?;
    Ok(())
}

fn off(_args: &[String]) -> Result<()> {
    log::info1("Disabling trace mode");
    let dir = rc_dir()?;
    fs::remove_file(&dir.join("DOKKU_TRACE"))?;
    Ok(())
}

/// The binary's entry point; also called in-process by the `dokku` entry point.
pub fn main() {
    bash_help::main(&SPEC, HELP)
}
