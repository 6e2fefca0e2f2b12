//! `dokku help` and `dokku help --all`.

use std::env;

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use dokku_common::log::warn;

use crate::column;
use crate::dispatch::{enabled_path, is_core};
use crate::flags::has_tty;

const BANNER: [&str; 6] = [
    "Usage: dokku [--quiet|--trace|--force] COMMAND <app> [command-specific-options]",
    "",
    "Primary help options, type \"dokku COMMAND:help\" for more details, or dokku help --all to see all commands.",
    "",
    "Commands:",
    "",
];

/// Headers are printed only when not quiet; no terminal on stdin counts as quiet here.
fn quiet() -> bool {
    env::var_os("DOKKU_QUIET_OUTPUT").is_some_and(|v| !v.is_empty()) || !has_tty()
}

pub fn run(args: &[String]) -> i32 {
    env::set_var("LC_ALL", "C");
    let all = args.get(1).map(String::as_str) == Some("--all");
    let enabled = enabled_path();
    let mut core = Vec::new();
    let mut community = Vec::new();
    for plugin in plugn::tree::sorted_entries(&enabled) {
        let script = enabled.join(&plugin).join("commands");
        if !script.is_file() {
            continue;
        }
        if is_core(&enabled, &plugin.to_string_lossy()) {
            core.push(script);
        } else {
            community.push(script);
        }
    }

    let quiet = quiet();
    let mut out = Vec::new();
    if !quiet {
        out.extend(BANNER.iter().map(|s| s.to_string()));
    }
    let mut core_lines = collect_help(&core);
    column::sort(&mut core_lines);
    if !all {
        core_lines = column::strip_arguments(core_lines);
    }
    out.extend(column::table(&core_lines));
    if all || !community.is_empty() {
        if !quiet {
            out.extend(
                ["", "Community plugin commands:", ""]
                    .iter()
                    .map(|s| s.to_string()),
            );
        }
        let mut lines = collect_help(&community);
        column::sort(&mut lines);
        out.extend(column::table(&lines));
    }
    let mut stdout = std::io::stdout().lock();
    let text: String = out.iter().map(|l| format!("{l}\n")).collect();
    let _ = stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush());
    0
}

/// Each plugin's `commands help`, run as a direct child so plugins that look for `--all` in
/// their parent's command line find it in ours.
fn collect_help(scripts: &[PathBuf]) -> Vec<String> {
    let mut lines = Vec::new();
    for script in scripts {
        let output = Command::new(script)
            .arg("help")
            .stdin(Stdio::inherit())
            .stderr(Stdio::inherit())
            .output();
        match output {
            Ok(o) => lines.extend(String::from_utf8_lossy(&o.stdout).lines().map(String::from)),
            Err(e) => warn(&format!("{}: {}", script.display(), e)),
        }
    }
    lines
}
