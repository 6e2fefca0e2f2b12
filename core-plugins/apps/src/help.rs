//! The `commands` entry: bare `apps` (the app list), `apps:help` and `help`, with upstream's
//! texts.

use dokku_common::{env, log, plugin, text, Error, Result};

pub const DESCRIPTION: &str = "Manage apps";

const HEADER: &str = "Usage: dokku apps[:COMMAND]\n\nManage apps\n\nAdditional commands:";

/// `usage, description` lines, in upstream's order.
const HELP: &[&str] = &[
    "apps:clone <old-app> <new-app>, Clones an app",
    "apps:create <app>, Create a new app",
    "apps:destroy <app>, Permanently destroy an app",
    "apps:exists <app>, Checks if an app exists",
    "apps:list [--format stdout|json], List your apps",
    "apps:lock <app>, Locks an app for deployment",
    "apps:locked <app>, Checks if an app is locked for deployment",
    "apps:rename <old-app> <new-app>, Rename an app",
    "apps:report [<app>] [<flag>], Display report about an app",
    "apps:set <app>|--global <key> <value>, Set or clear an apps property",
    "apps:unlock <app>, Unlocks an app for deployment",
];

/// `apps:help`: the header, then the commands in aligned columns.
pub fn usage() -> String {
    format!("{HEADER}\n{}\n", text::columnize(HELP, ",", "    "))
}

/// `help --all` prints every command as written; plain `help` only the summary line.
fn help_output(all: bool) -> String {
    if all {
        let mut out = String::from("\n");
        for line in HELP {
            out.push_str("    ");
            out.push_str(line);
            out.push('\n');
        }
        out
    } else {
        format!("\n    apps, {DESCRIPTION}\n")
    }
}

pub fn commands(args: &[String]) -> Result<()> {
    match args.first().map(String::as_str).unwrap_or("") {
        "apps" => {
            bare_flags(&args[1..])?;
            crate::subcommands::list_apps("stdout")
        }
        "apps:help" => {
            log::write_stdout(&usage());
            Ok(())
        }
        "help" => {
            log::write_stdout(&help_output(plugin::parent_cmdline_has_all()));
            Ok(())
        }
        _ => {
            let code = match env::not_implemented_exit() {
                Some(code) => code,
                None => {
                    log::log("failed to retrieve DOKKU_NOT_IMPLEMENTED_EXIT environment variable");
                    env::DEFAULT_NOT_IMPLEMENTED_EXIT
                }
            };
            Err(Error::silent(code))
        }
    }
}

/// The bare `apps` command parses its arguments with Go's standard `flag` package and
/// defines no flag: any flag is an error (exit 2) or a request for help (exit 0), both
/// followed by the usage text on stdout.
fn bare_flags(args: &[String]) -> Result<()> {
    let Some(arg) = args.first() else {
        return Ok(());
    };
    if arg.len() < 2 || !arg.starts_with('-') || arg == "--" {
        return Ok(());
    }
    let name = arg.strip_prefix("--").unwrap_or(&arg[1..]);
    let problem = if name.is_empty() || name.starts_with('-') || name.starts_with('=') {
        format!("bad flag syntax: {arg}")
    } else {
        let name = name.split('=').next().unwrap_or(name);
        if name == "help" || name == "h" {
            log::write_stdout(&usage());
            return Err(Error::silent(0));
        }
        format!("flag provided but not defined: -{name}")
    };
    log::stderr(&problem);
    log::write_stdout(&usage());
    Err(Error::silent(2))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usage_columns() {
        let u = usage();
        assert!(u.starts_with("Usage: dokku apps[:COMMAND]\n\nManage apps\n\nAdditional commands:\n    apps:clone <old-app> <new-app>         Clones an app\n"));
        assert!(u.ends_with(
            "    apps:set <app>|--global <key> <value>  Set or clear an apps property\n    apps:unlock <app>                      Unlocks an app for deployment\n"
        ));
    }

    #[test]
    fn help_all() {
        let h = help_output(true);
        assert!(h.starts_with("\n    apps:clone <old-app> <new-app>, Clones an app\n"));
        assert!(h.ends_with("    apps:unlock <app>, Unlocks an app for deployment\n"));
        assert_eq!(help_output(false), "\n    apps, Manage apps\n");
    }
}
