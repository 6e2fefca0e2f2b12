//! Global flags: recognised anywhere in argv, stripped only from the front.

use std::env;

/// Upstream's `parse_args`: export the effect of every global flag found anywhere, and record
/// every `--flag` in `DOKKU_GLOBAL_FLAGS` (kept when already set by an outer call).
pub fn export_global_flags(args: &[String]) {
    let mut flags: Vec<&str> = Vec::new();
    let mut iter = args.iter().enumerate();
    while let Some((i, arg)) = iter.next() {
        match arg.as_str() {
            "--quiet" => env::set_var("DOKKU_QUIET_OUTPUT", "1"),
            "--trace" => env::set_var("DOKKU_TRACE", "1"),
            "--force" => env::set_var("DOKKU_APPS_FORCE_DELETE", "1"),
            "--app" => {
                env::set_var(
                    "DOKKU_APP_NAME",
                    args.get(i + 1).map(String::as_str).unwrap_or(""),
                );
                flags.push(arg);
                // The value is consumed, never recorded as a flag itself.
                iter.next();
                continue;
            }
            _ => {}
        }
        if arg.starts_with("--") {
            flags.push(arg);
        }
    }
    if env::var("DOKKU_GLOBAL_FLAGS")
        .map(|v| v.is_empty())
        .unwrap_or(true)
    {
        env::set_var("DOKKU_GLOBAL_FLAGS", flags.join(" "));
    }
}

/// Drop leading flags the way upstream's loop does: it walks the original list but always
/// shifts from the front, `--app` takes its value with it, and `--version` is not shifted.
pub fn strip_leading(args: Vec<String>) -> Vec<String> {
    if !args.first().is_some_and(|a| a.starts_with("--")) {
        return args;
    }
    let mut shifted = 0;
    let mut skip = false;
    for arg in &args {
        if skip {
            skip = false;
            continue;
        }
        if arg == "--version" {
            continue;
        }
        if arg == "--app" {
            shifted += 2;
            skip = true;
        } else if arg.starts_with("--") {
            shifted += 1;
        } else {
            break;
        }
    }
    args.into_iter().skip(shifted).collect()
}

/// `has_tty`: DOKKU_FORCE_TTY / DOKKU_DISABLE_TTY, else whether stdin is a terminal.
pub fn has_tty() -> bool {
    if env::var("DOKKU_FORCE_TTY").as_deref() == Ok("true") {
        return true;
    }
    if env::var("DOKKU_DISABLE_TTY").as_deref() == Ok("true") {
        return false;
    }
    nix::unistd::isatty(0).unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &[&str]) -> Vec<String> {
        s.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn strips_like_upstream() {
        assert_eq!(
            strip_leading(v(&["--quiet", "apps:list"])),
            v(&["apps:list"])
        );
        assert_eq!(
            strip_leading(v(&["--app", "x", "config:show"])),
            v(&["config:show"])
        );
        assert_eq!(strip_leading(v(&["--version"])), v(&["--version"]));
        assert_eq!(
            strip_leading(v(&["apps:list", "--quiet"])),
            v(&["apps:list", "--quiet"])
        );
        // upstream quirk: the shift for --quiet removes the leading --version
        assert_eq!(
            strip_leading(v(&["--version", "--quiet", "x"])),
            v(&["--quiet", "x"])
        );
    }
}
