//! "Priming bash-completion cache": the command words of `dokku --quiet help --all`, one a
//! line and sorted, written to `${DOKKU_COMPLETION_CACHE:-/var/cache/dokku-completion}`.

use std::path::PathBuf;
use std::process::{Command, Stdio};

use dokku_common::{log, Error, Result};

const DEFAULT_CACHE: &str = "/var/cache/dokku-completion";

pub fn cache_path() -> PathBuf {
    PathBuf::from(dokku_common::env::var_or(
        "DOKKU_COMPLETION_CACHE",
        DEFAULT_CACHE,
    ))
}

/// awk `/^    /{ print $1 }` then `sort`.
pub fn words(help: &str) -> String {
    let mut words: Vec<&str> = help
        .lines()
        .filter(|l| l.starts_with("    "))
        .map(|l| l.split([' ', '\t']).find(|w| !w.is_empty()).unwrap_or(""))
        .collect();
    words.sort_by(|a, b| a.as_bytes().cmp(b.as_bytes()));
    words.iter().map(|w| format!("{w}\n")).collect()
}

pub fn prime() -> Result<()> {
    log::info1_quiet("Priming bash-completion cache");
    // The `dokku` on PATH, as upstream runs it; its stderr is the user's.
    let run = Command::new("dokku")
        .args(["--quiet", "help", "--all"])
        .stdin(Stdio::inherit())
        .stderr(Stdio::inherit())
        .output();
    let (help, status) = match run {
        Ok(out) => (
            String::from_utf8_lossy(&out.stdout).into_owned(),
            out.status.code().unwrap_or(1),
        ),
        Err(_) => {
            log::stderr("dokku: command not found");
            (String::new(), 127)
        }
    };
    // The shell redirect writes the file whatever the pipeline's status.
    let path = cache_path();
    if let Err(e) = dokku_common::fs::write_atomic(&path, words(&help).as_bytes(), 0o644) {
        return Err(Error::new(format!("{}: {}", path.display(), e)).raw());
    }
    match status {
        0 => Ok(()),
        code => Err(Error::silent(code)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_like_awk_and_sort() {
        let help = "Usage: x\n    ps:stop <app>  Stop\n    apps:list  List\n  two\n    \n\tx\n";
        assert_eq!(words(help), "\napps:list\nps:stop\n");
    }
}
