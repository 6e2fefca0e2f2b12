//! The `ssh-keys` core plugin: manages `$DOKKU_ROOT/.ssh/authorized_keys` itself, writing
//! the same lines upstream's `sshcommand` does (dokku-core §5), so no external helper is needed.

mod add;
mod help;
mod keyfile;
mod keygen;
mod list;
mod remove;
mod settings;

use dokku_common::bash_help;
use dokku_common::plugin::{self, PluginSpec};

static SPEC: PluginSpec = PluginSpec {
    name: "ssh-keys",
    description: help::DESCRIPTION,
    help: &[],
    subcommands: &[
        ("add", add::run),
        ("default", help::default),
        ("list", list::run),
        ("remove", remove::run),
    ],
    triggers: &[],
    aliases: &[],
    commands: None,
};

/// The binary's entry point; also called in-process by the `dokku` entry point.
pub fn main() {
    plugin::init_process();
    // ssh-keygen is fed through a pipe; if it ever exits before reading everything, the
    // write must fail with EPIPE instead of killing us.
    // SAFETY: changing a signal disposition has no memory-safety impact.
    unsafe {
        let _ = nix::sys::signal::signal(
            nix::sys::signal::Signal::SIGPIPE,
            nix::sys::signal::SigHandler::SigIgn,
        );
    }
    plugin::exit(bash_help::run(&SPEC, help::LINES, &plugin::argv()))
}
