//! `plugin:install [--core | <url> [--committish X] [--name N] [--skip-install-trigger]]`
//! and `plugin:install-dependencies [--core]`.

use dokku_common::{log, Paths, Result};

use crate::{completion, manage, support};

/// Options after the URL. Upstream parses them with `getopts ":-:"`, whose rules are kept:
/// parsing stops at `--` or at the first argument not starting with `-`; unknown options
/// are ignored; `--committish` and `--name` take the next argument whatever it is.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct InstallOptions {
    pub committish: String,
    pub name: String,
    pub skip_install_trigger: bool,
}

pub fn parse_options(args: &[String]) -> InstallOptions {
    let mut opts = InstallOptions::default();
    let mut i = 0;
    while i < args.len() {
        let arg = &args[i];
        if arg == "--" || arg == "-" || !arg.starts_with('-') {
            break;
        }
        i += 1;
        // Option letters before a `-` in the cluster are unknown, hence ignored; `-` takes the
        // rest of the word, or the next word, as the long option's name.
        let Some(pos) = arg[1..].find('-') else {
            continue;
        };
        let rest = &arg[1 + pos + 1..];
        let long = if !rest.is_empty() {
            rest.to_string()
        } else if i < args.len() {
            i += 1;
            args[i - 1].clone()
        } else {
            continue;
        };
        match long.as_str() {
            "committish" => {
                opts.committish = args.get(i).cloned().unwrap_or_default();
                i += 1;
            }
            "name" => {
                opts.name = args.get(i).cloned().unwrap_or_default();
                i += 1;
            }
            "skip-install-trigger" => opts.skip_install_trigger = true,
            _ => {}
        }
    }
    opts
}

/// The default plugin name: the URL's last `/` field, minus a final `<any char>git` (the
/// unescaped `.git$` upstream's sed uses) and a leading `dokku-`. Applied per line, as the
/// `echo | awk | sed` pipeline does.
pub fn plugin_name(url: &str) -> String {
    let lines: Vec<String> = url
        .split('\n')
        .map(|line| {
            let last = line.rsplit('/').next().unwrap_or("");
            let chars: Vec<char> = last.chars().collect();
            let cut = if chars.len() >= 4 && last.ends_with("git") {
                chars[..chars.len() - 4].iter().collect()
            } else {
                last.to_string()
            };
            cut.strip_prefix("dokku-")
                .map(str::to_string)
                .unwrap_or(cut)
        })
        .collect();
    lines.join("\n").trim_end_matches('\n').to_string()
}

/// The first-argument patterns upstream's `case` accepts as a plugin source.
pub fn is_source(arg: &str) -> bool {
    arg.starts_with("https:")
        || arg.starts_with("git")
        || arg.starts_with("ssh:")
        || arg.starts_with("file:")
        || arg.ends_with(".tar.gz")
        || arg.ends_with(".tgz")
}

pub fn install(args: &[String]) -> Result<()> {
    let paths = Paths::from_env();
    let flag = dokku_common::args::nth(args, 0);
    if flag == "--core" {
        if args.len() > 1 {
            log::info1_quiet(
                "Cannot install additional core plugins, running core plugin install trigger",
            );
        }
        support::fire(&support::core_tree(&paths), "install", &[])?;
    } else if is_source(flag) {
        download_and_enable(&paths, flag, &args[1..])?;
    } else {
        if !flag.is_empty() {
            log::warn("First argument must be --core or url to plugin");
            log::warn("Valid prefixes: https:, git:, ssh:, file:");
            log::warn("Valid suffixes: .tar.gz, .tgz");
            return Err(log::fail("Please retry with valid arguments"));
        }
        support::fire(&support::tree(&paths), "install", &[])?;
    }
    completion::prime()
}

fn download_and_enable(paths: &Paths, url: &str, rest: &[String]) -> Result<()> {
    let opts = parse_options(rest);
    let name = if opts.name.is_empty() {
        plugin_name(url)
    } else {
        opts.name.clone()
    };
    log::info1_quiet(&format!(
        "Cloning plugin repo {url} to {}/{name}",
        paths.plugin_available_path.display()
    ));
    let tree = support::tree(paths);
    let explicit = Some(name.as_str()).filter(|n| !n.is_empty());
    plugn::install::install(&tree, url, explicit).map_err(support::plugn_error)?;
    manage::enable_plugin(paths, &name)?;
    if !opts.committish.is_empty() {
        manage::update_plugin(paths, &name, &opts.committish)?;
    }
    if !opts.skip_install_trigger {
        support::fire(&tree, "install", &[])?;
    }
    Ok(())
}

/// `plugn trigger dependencies`, against the core tree with `--core`. No completion priming.
pub fn install_dependencies(args: &[String]) -> Result<()> {
    let paths = Paths::from_env();
    let tree = if dokku_common::args::nth(args, 0) == "--core" {
        support::core_tree(&paths)
    } else {
        support::tree(&paths)
    };
    support::fire(&tree, "dependencies", &[])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn names() {
        assert_eq!(
            plugin_name("https://github.com/dokku/dokku-postgres.git"),
            "postgres"
        );
        assert_eq!(
            plugin_name("https://github.com/dokku/dokku-postgres"),
            "postgres"
        );
        assert_eq!(plugin_name("file:///tmp/x/my.plugin.git"), "my.plugin");
        assert_eq!(plugin_name("file:///tmp/x/digit"), "d");
        assert_eq!(plugin_name("file:///tmp/x/legit"), "l");
        assert_eq!(plugin_name("https://x/dokku-dokku-a"), "dokku-a");
        assert_eq!(plugin_name("file:///t/dokku-tar.tar.gz"), "tar.tar.gz");
        assert_eq!(plugin_name("https://x/"), "");
        assert_eq!(plugin_name("git@github.com:me/thing.git"), "thing");
    }

    #[test]
    fn sources() {
        for ok in [
            "https://x",
            "git@x:y",
            "github.com/x",
            "ssh://x",
            "file:///x",
            "x.tar.gz",
            "a.tgz",
        ] {
            assert!(is_source(ok), "{ok}");
        }
        for bad in ["http://x", "/tmp/x", "--name", "x.zip", ""] {
            assert!(!is_source(bad), "{bad}");
        }
    }

    #[test]
    fn options_like_getopts() {
        let o = parse_options(&s(&[
            "--committish",
            "v1",
            "--name",
            "n",
            "--skip-install-trigger",
        ]));
        assert_eq!(
            o,
            InstallOptions {
                committish: "v1".into(),
                name: "n".into(),
                skip_install_trigger: true
            }
        );
        let o = parse_options(&s(&["--name=n", "--other", "--committish"]));
        assert_eq!(o, InstallOptions::default());
        let o = parse_options(&s(&["positional", "--name", "n"]));
        assert_eq!(o.name, "");
        let o = parse_options(&s(&["--", "--name", "n"]));
        assert_eq!(o.name, "");
        let o = parse_options(&s(&["-x", "--name", "-n"]));
        assert_eq!(o.name, "-n");
        let o = parse_options(&s(&["-", "name", "n"]));
        assert_eq!(o.name, "");
        let o = parse_options(&s(&["-x-", "name", "n"]));
        assert_eq!(o.name, "n");
    }
}
