//! The help words of the `commands` entry. Unlike other plugins, `help` always prints every
//! line (there is no one-line summary), and `<command>:help` prints that command's line.

use dokku_common::{bash_help, log, Result};

const HELP: &[&str] = &[
    "    cleanup [<app>], Cleans up exited/dead Docker containers and removes dangling images",
    "    url <app>, Show the first URL for an application (compatibility)",
    "    urls <app>, Show all URLs for an application",
    "    version , Print dokku's version",
    "    help , Print the list of commands",
];

/// The words the `commands` entry accepts; `help:help` is accepted but has no text.
const WORDS: &[&str] = &[
    "help",
    "help:help",
    "cleanup:help",
    "url:help",
    "urls:help",
    "version:help",
];

pub fn commands(args: &[String]) -> Result<()> {
    let word = args.first().map(String::as_str).unwrap_or("");
    if !WORDS.contains(&word) {
        return Err(bash_help::not_implemented());
    }
    match word {
        "help" => {
            log::write_stdout(&HELP.iter().map(|l| format!("{l}\n")).collect::<String>());
            Ok(())
        }
        "help:help" => Err(bash_help::not_implemented()),
        _ => {
            let topic = word.strip_suffix(":help").unwrap_or(word);
            log::write_stdout(&topic_help(topic));
            Ok(())
        }
    }
}

/// Upstream's `sed "/^\s*<topic>\s/!d" | sort | sed '/^.*:/d' | column -c2 -t -s,`: the
/// lines whose first word is exactly the topic.
fn topic_help(topic: &str) -> String {
    let lines: Vec<&str> = HELP
        .iter()
        .copied()
        .filter(|line| {
            let rest = line.trim_start();
            rest.strip_prefix(topic)
                .is_some_and(|after| after.starts_with(char::is_whitespace))
        })
        .filter(|line| !line.contains(':'))
        .collect();
    bash_help::sorted_table(&lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn topics() {
        assert_eq!(
            topic_help("cleanup"),
            "    cleanup [<app>]   Cleans up exited/dead Docker containers and removes dangling images\n"
        );
        assert_eq!(
            topic_help("url"),
            "    url <app>   Show the first URL for an application (compatibility)\n"
        );
        assert_eq!(
            topic_help("urls"),
            "    urls <app>   Show all URLs for an application\n"
        );
        assert_eq!(
            topic_help("version"),
            "    version    Print dokku's version\n"
        );
        assert_eq!(topic_help("nope"), "");
    }
}
