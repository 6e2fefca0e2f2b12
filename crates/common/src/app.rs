//! App names: validation with upstream's messages, existence checks and listing.
//!
//! A valid name (new or old form) can never contain `/`, NUL, a newline or start with `.` or
//! `-`, so a name that passed validation is a single safe path component.

use std::path::Path;

use crate::error::{Error, Result};
use crate::paths::Paths;

pub const MSG_NO_APP: &str = "Please specify an app to run the command on";
pub const MSG_INVALID: &str = "App name must begin with lowercase alphanumeric character, and may only contain lowercase alphanumerics, dots, and hyphens";
pub const MSG_INVALID_OLD: &str = "App name must begin with lowercase alphanumeric character, and may only contain lowercase alphanumerics, dots, hyphens, and underscores";
pub const MSG_NO_APPS: &str = "You haven't deployed any applications yet";

fn matches(name: &str, allow_underscore: bool) -> bool {
    let bytes = name.as_bytes();
    let Some((&first, rest)) = bytes.split_first() else {
        return false;
    };
    let alnum = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    alnum(first)
        && rest
            .iter()
            .all(|&b| alnum(b) || b == b'.' || b == b'-' || (allow_underscore && b == b'_'))
}

/// `^[a-z0-9][a-z0-9.-]*$`, with upstream's messages.
pub fn is_valid_app_name(name: &str) -> Result<()> {
    if name.is_empty() {
        return Err(Error::new(MSG_NO_APP));
    }
    if matches(name, false) {
        Ok(())
    } else {
        Err(Error::new(MSG_INVALID))
    }
}

/// `^[a-z0-9][a-z0-9._-]*$`, the pre-0.x form still accepted for existing apps.
pub fn is_valid_app_name_old(name: &str) -> Result<()> {
    if name.is_empty() {
        return Err(Error::new(MSG_NO_APP));
    }
    if matches(name, true) {
        Ok(())
    } else {
        Err(Error::new(MSG_INVALID_OLD))
    }
}

/// Validate (either form) without checking existence; reports the new-form message.
pub fn check_name(name: &str) -> Result<()> {
    match (is_valid_app_name(name), is_valid_app_name_old(name)) {
        (Err(e), Err(_)) => Err(e),
        _ => Ok(()),
    }
}

/// Go's `VerifyAppName`: the name is valid (either form), `$DOKKU_ROOT/<app>` is a directory
/// and the `user-auth-app` filter keeps it. A missing app is exit 20.
pub fn verify_app_name(name: &str) -> Result<()> {
    verify_in(&Paths::from_env(), name, filter_apps)
}

pub(crate) fn verify_in(
    paths: &Paths,
    name: &str,
    filter: impl Fn(Vec<String>) -> Result<Vec<String>>,
) -> Result<()> {
    check_name(name)?;
    if !paths.app_root(name).is_dir() {
        return Err(Error::app_does_not_exist(name));
    }
    match filter(vec![name.to_string()]) {
        Ok(apps) if apps.len() == 1 => Ok(()),
        _ => Err(Error::app_does_not_exist(name)),
    }
}

/// Whether the app exists (valid name and directory present), without the auth filter.
pub fn exists(name: &str) -> bool {
    check_name(name).is_ok() && Paths::from_env().app_root(name).is_dir()
}

/// Every app directory in `$DOKKU_ROOT`, skipping dot-names and names starting with an
/// uppercase letter, in directory byte order. Errors with [`MSG_NO_APPS`] when empty.
pub fn unfiltered_apps() -> Result<Vec<String>> {
    list_in(&Paths::from_env().dokku_root)
}

pub(crate) fn list_in(root: &Path) -> Result<Vec<String>> {
    let mut apps = Vec::new();
    if let Ok(entries) = std::fs::read_dir(root) {
        for entry in entries.flatten() {
            let Ok(name) = entry.file_name().into_string() else {
                continue;
            };
            if name.starts_with('.') || name.chars().next().is_some_and(char::is_uppercase) {
                continue;
            }
            if entry.path().is_dir() {
                apps.push(name);
            }
        }
    }
    // Go's os.ReadDir returns entries sorted by name.
    apps.sort();
    if apps.is_empty() {
        return Err(Error::new(MSG_NO_APPS));
    }
    Ok(apps)
}

/// The apps this user may see: [`unfiltered_apps`] passed through `user-auth-app`.
pub fn dokku_apps() -> Result<Vec<String>> {
    filter_apps(unfiltered_apps()?)
}

/// Keep only the apps the `user-auth-app` trigger prints, when some plugin implements it.
pub fn filter_apps(apps: Vec<String>) -> Result<Vec<String>> {
    if !crate::trigger::exists("user-auth-app") {
        return Ok(apps);
    }
    let mut args = vec![crate::env::ssh_user(), crate::env::ssh_name()];
    args.extend(apps);
    let out = crate::trigger::Trigger::new("user-auth-app")
        .args(&args)
        .stdin_null()
        .output();
    let stdout = out.map(|o| o.stdout).unwrap_or_default();
    let kept: Vec<String> = String::from_utf8_lossy(&stdout)
        .trim()
        .split('\n')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    if kept.is_empty() {
        return Err(Error::new(MSG_NO_APPS));
    }
    Ok(kept)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fs::testutil::TempDir;

    #[test]
    fn new_form() {
        for ok in ["a", "0", "my-app", "my.app", "a1-b2.c3"] {
            assert!(is_valid_app_name(ok).is_ok(), "{ok}");
        }
        for bad in [
            "-a", ".a", "A", "a_b", "a/b", "a\nb", "a\0", "..", "a b", "é", "app\n",
        ] {
            let e = is_valid_app_name(bad).unwrap_err();
            assert_eq!(e.message(), MSG_INVALID, "{bad:?}");
            assert_eq!(e.code(), 1);
        }
        assert_eq!(is_valid_app_name("").unwrap_err().message(), MSG_NO_APP);
    }

    #[test]
    fn old_form() {
        assert!(is_valid_app_name_old("a_b").is_ok());
        assert_eq!(
            is_valid_app_name_old("_a").unwrap_err().message(),
            MSG_INVALID_OLD
        );
        assert_eq!(is_valid_app_name_old("").unwrap_err().message(), MSG_NO_APP);
        assert!(check_name("a_b").is_ok());
        assert_eq!(check_name("A").unwrap_err().message(), MSG_INVALID);
    }

    fn paths_with_root(root: &Path) -> Paths {
        let root = root.to_path_buf();
        Paths::from_lookup(move |n| (n == "DOKKU_ROOT").then(|| root.clone().into_os_string()))
    }

    #[test]
    fn verify() {
        let dir = TempDir::new();
        std::fs::create_dir(dir.path().join("web")).unwrap();
        std::fs::create_dir(dir.path().join("old_app")).unwrap();
        let paths = paths_with_root(dir.path());
        let keep = |apps: Vec<String>| Ok(apps);
        assert!(verify_in(&paths, "web", keep).is_ok());
        assert!(verify_in(&paths, "old_app", keep).is_ok());
        let e = verify_in(&paths, "api", keep).unwrap_err();
        assert_eq!((e.message(), e.code()), ("App api does not exist", 20));
        let e = verify_in(&paths, "../web", keep).unwrap_err();
        assert_eq!(e.message(), MSG_INVALID);
        let e = verify_in(&paths, "web", |_| Ok(vec![])).unwrap_err();
        assert_eq!(e.code(), 20);
    }

    #[test]
    fn listing() {
        let dir = TempDir::new();
        assert_eq!(list_in(dir.path()).unwrap_err().message(), MSG_NO_APPS);
        for d in ["web", ".ssh", "Upper", "api"] {
            std::fs::create_dir(dir.path().join(d)).unwrap();
        }
        std::fs::write(dir.path().join("VHOST"), "").unwrap();
        std::fs::write(dir.path().join("file"), "").unwrap();
        assert_eq!(list_in(dir.path()).unwrap(), vec!["api", "web"]);
    }
}
