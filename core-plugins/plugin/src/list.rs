//! `plugin:list [--format stdout|json]` and `plugin:installed <name>`.

use std::path::Path;
use std::process::{Command, Stdio};

use dokku_common::text::push_go_json_string;
use dokku_common::{log, Paths, Result};

use crate::support;

/// `--format X` / `--format=X`, scanning every argument as upstream's loop does; a trailing
/// `--format` means an empty (invalid) format.
fn format_arg(args: &[String]) -> String {
    let mut format = "stdout".to_string();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        if arg == "--format" {
            format = iter.next().cloned().unwrap_or_default();
        } else if let Some(value) = arg.strip_prefix("--format=") {
            format = value.to_string();
        }
    }
    format
}

pub fn list(args: &[String]) -> Result<()> {
    let format = format_arg(args);
    if format != "stdout" && format != "json" {
        return Err(log::fail(
            "Invalid output format specified, supported formats: json, stdout",
        ));
    }
    let paths = Paths::from_env();
    let rendered = plugn::cli::render_list(&support::tree(&paths));
    if format == "json" {
        // The JSON helper captures plugn's stderr and drops it.
        if trace() {
            log::warn("exec: plugn list");
        }
        let plugins = parse_plugn_list(&rendered.stdout);
        log::write_stdout(&format!("{}\n", to_json(&enrich(&paths, plugins))));
        return Ok(());
    }
    log::write_stderr(&rendered.stderr);
    log::write_stdout(&rendered.stdout);
    Ok(())
}

/// `plugn list | awk '{print $1}' | grep -q "^<name>$"`: exit status only.
pub fn installed(args: &[String]) -> Result<()> {
    let name = dokku_common::args::nth(args, 0);
    let rendered = plugn::cli::render_list(&support::tree(&Paths::from_env()));
    log::write_stderr(&rendered.stderr);
    let found = rendered
        .stdout
        .lines()
        .any(|line| line.split_whitespace().next().unwrap_or("") == name);
    if found {
        Ok(())
    } else {
        Err(dokku_common::Error::silent(1))
    }
}

fn trace() -> bool {
    dokku_common::env::var("DOKKU_TRACE").as_deref() == Some("1")
}

/// One plugin as the JSON helper reports it.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Info {
    pub name: String,
    pub version: String,
    pub enabled: bool,
    pub core: bool,
    pub description: String,
    pub source_url: String,
    pub committish: String,
    pub branch: String,
}

/// Upstream's parser of `plugn list`: whitespace-separated fields; lines with fewer than
/// three fields, or starting with `plugn:`, are skipped; the description is the remaining
/// fields joined by single spaces.
pub fn parse_plugn_list(output: &str) -> Vec<Info> {
    output
        .split('\n')
        .filter_map(|line| {
            let fields: Vec<&str> = line.split_whitespace().collect();
            if fields.len() < 3 || fields[0] == "plugn:" {
                return None;
            }
            Some(Info {
                name: fields[0].to_string(),
                version: fields[1].to_string(),
                enabled: fields[2] == "enabled",
                description: fields[3..].join(" "),
                ..Info::default()
            })
        })
        .collect()
}

/// Add `core` and, for git checkouts, the source fields. Git plugins are queried in
/// parallel, as upstream does.
fn enrich(paths: &Paths, mut plugins: Vec<Info>) -> Vec<Info> {
    std::thread::scope(|scope| {
        for info in plugins.iter_mut() {
            info.core = support::is_symlink(&paths.plugin_core_enabled_path.join(&info.name));
            let dir = paths.plugin_available_path.join(&info.name);
            if std::fs::metadata(dir.join(".git")).is_err() {
                continue;
            }
            scope.spawn(move || git_source(info, &dir));
        }
    });
    plugins
}

fn git_source(info: &mut Info, dir: &Path) {
    info.source_url = git_output(dir, &["remote", "get-url", "origin"]);
    info.committish = git_output(dir, &["rev-parse", "HEAD"]);
    let branch = git_output(dir, &["rev-parse", "--abbrev-ref", "HEAD"]);
    if branch != "HEAD" {
        info.branch = branch;
    }
}

/// Trimmed stdout of `git -c safe.directory=<dir> <args…>` run in `dir`; empty when git
/// fails. Trusting the directory per call lets any user read a checkout owned by another.
fn git_output(dir: &Path, args: &[&str]) -> String {
    let safe = format!("safe.directory={}", dir.display());
    if trace() {
        log::warn(&format!("exec: git -c {safe} {}", args.join(" ")));
    }
    let out = Command::new("git")
        .arg("-c")
        .arg(&safe)
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stderr(Stdio::piped())
        .output();
    match out {
        Ok(o) if o.status.success() => String::from_utf8_lossy(&o.stdout).trim().to_string(),
        _ => String::new(),
    }
}

/// `json.Marshal` of the plugin list: compact, fields in declaration order.
pub fn to_json(plugins: &[Info]) -> String {
    let mut out = String::from("[");
    for (i, p) in plugins.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let strings = |out: &mut String, key: &str, value: &str| {
            out.push_str(&format!("\"{key}\":"));
            push_go_json_string(out, value);
        };
        out.push('{');
        strings(&mut out, "name", &p.name);
        out.push(',');
        strings(&mut out, "version", &p.version);
        out.push_str(&format!(",\"enabled\":{},\"core\":{},", p.enabled, p.core));
        strings(&mut out, "description", &p.description);
        out.push(',');
        strings(&mut out, "source_url", &p.source_url);
        out.push(',');
        strings(&mut out, "committish", &p.committish);
        out.push(',');
        strings(&mut out, "branch", &p.branch);
        out.push('}');
    }
    out.push(']');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn formats() {
        assert_eq!(format_arg(&[]), "stdout");
        assert_eq!(format_arg(&s(&["--format", "json"])), "json");
        assert_eq!(format_arg(&s(&["x", "--format=json", "y"])), "json");
        assert_eq!(format_arg(&s(&["--format"])), "");
        assert_eq!(
            format_arg(&s(&["--format", "json", "--format=yaml"])),
            "yaml"
        );
    }

    #[test]
    fn parses_like_upstream() {
        let out = "  apps                 0.38.27 enabled    dokku core apps plugin\n  \
                   bare                        disabled   \n  \
                   odd                  <nil> disabled   two  words\nplugn: x y z\n";
        let plugins = parse_plugn_list(out);
        assert_eq!(plugins.len(), 2);
        assert_eq!(plugins[0].name, "apps");
        assert_eq!(plugins[0].description, "dokku core apps plugin");
        assert!(plugins[0].enabled);
        assert_eq!(plugins[1].version, "<nil>");
        assert_eq!(plugins[1].description, "two words");
        assert!(!plugins[1].enabled);
    }

    #[test]
    fn json_like_go() {
        assert_eq!(to_json(&[]), "[]");
        let info = Info {
            name: "a".into(),
            version: "1".into(),
            enabled: true,
            description: "x<y>".into(),
            ..Info::default()
        };
        assert_eq!(
            to_json(&[info]),
            "[{\"name\":\"a\",\"version\":\"1\",\"enabled\":true,\"core\":false,\"description\":\"x\\u003cy\\u003e\",\"source_url\":\"\",\"committish\":\"\",\"branch\":\"\"}]"
        );
    }
}
