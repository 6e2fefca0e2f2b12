//! `git-upload-pack '<app>'`: what `git clone dokku@host:<app>` runs over ssh. The app is
//! created if missing (as a push would), then `git-upload-pack` serves its repository,
//! between the `git-pre-pull` and `git-post-pull` triggers.

use dokku_common::args::nth;
use dokku_common::trigger::Trigger;
use dokku_common::{app, Error, Result};

use crate::repo;

/// The repository argument as the ssh command carries it (`'app'`, `'/app'`): quotes that
/// are not backslash-escaped dropped, `\'` turned into `'`, one leading `/` dropped.
pub fn app_from_arg(arg: &str) -> String {
    let mut out = String::new();
    let mut prev = None;
    for c in arg.chars() {
        if c == '\'' && prev != Some('\\') {
            prev = Some(c);
            continue;
        }
        out.push(c);
        prev = Some(c);
    }
    let out = out.replace("\\'", "'");
    out.strip_prefix('/').map(str::to_string).unwrap_or(out)
}

fn trigger(hook: &str, name: &str) -> Result<()> {
    // The hooks run while stdin carries the git protocol: they must not read it.
    match Trigger::new(hook).arg(name).stdin_null().status()? {
        0 => Ok(()),
        status => Err(Error::silent(status)),
    }
}

/// Whether some `app-exists` hook vouches for the app (its output discarded).
fn app_exists(name: &str) -> bool {
    let opts = plugn::trigger::Options {
        stdin: plugn::trigger::Stdin::Null,
        capture_stdout: true,
        capture_stderr: true,
        env: Vec::new(),
    };
    plugn::trigger::run(&dokku_common::trigger::tree(), "app-exists", &[name], &opts)
        .map(|o| o.success())
        .unwrap_or(false)
}

/// The `commands` word `git-upload-pack`; `args` are the words after it.
pub fn run(args: &[String]) -> Result<()> {
    let name = app_from_arg(nth(args, 0));
    app::is_valid_app_name(&name)?;
    if !app_exists(&name) {
        trigger("app-maybe-create", &name)?;
    }
    trigger("git-pre-pull", &name)?;
    let status = repo::git_program("git-upload-pack")
        .arg(repo::app_root(&name))
        .status()
        .map_err(|e| Error::new(format!("Unable to run git-upload-pack: {e}")))?;
    repo::exit_status(status)?;
    trigger("git-post-pull", &name)
}

#[cfg(test)]
mod tests {
    use super::app_from_arg;

    #[test]
    fn quoting() {
        assert_eq!(app_from_arg("'web'"), "web");
        assert_eq!(app_from_arg("'/web'"), "web");
        assert_eq!(app_from_arg("web"), "web");
        assert_eq!(app_from_arg("//web"), "/web");
        assert_eq!(app_from_arg("'it\\'s'"), "it's");
        assert_eq!(app_from_arg(""), "");
    }
}
