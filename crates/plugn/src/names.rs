//! Validation of plugin and hook names before they are used to build paths.
//!
//! Upstream uses names verbatim in paths, so `plugn uninstall ''` deletes every plugin and
//! `plugn trigger ../../bin/echo` runs arbitrary binaries. We refuse such names.

use crate::Error;

fn is_valid(name: &str) -> bool {
    !name.is_empty()
        && name != "."
        && !name.contains('/')
        && !name.contains("..")
        && !name.contains('\0')
        && !name.contains('\n')
}

pub fn check_plugin(name: &str) -> Result<(), Error> {
    check("plugin", name)
}

pub fn check_hook(name: &str) -> Result<(), Error> {
    check("hook", name)
}

fn check(kind: &'static str, name: &str) -> Result<(), Error> {
    if is_valid(name) {
        Ok(())
    } else {
        Err(Error::InvalidName {
            kind,
            name: name.escape_debug().to_string(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_dokku_names() {
        for n in [
            "00_dokku-standard",
            "apps",
            "post-deploy",
            "my hook",
            "a.b",
            "Zeta",
        ] {
            assert!(is_valid(n), "{n}");
        }
    }

    #[test]
    fn refuses_path_tricks() {
        for n in ["", ".", "..", "a/b", "../x", "a..b", "a\0b", "a\nb"] {
            assert!(!is_valid(n), "{n:?}");
        }
    }
}
