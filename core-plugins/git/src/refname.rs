//! Branch names as `git check-ref-format --branch <name>` judges them outside a repository:
//! the name may not start with `-`, may not be `HEAD`, and `refs/heads/<name>` must be a
//! well-formed ref. Checked in-process so a stored deploy branch can never climb out of
//! `refs/heads/` when it is joined to a path.

/// Whether `name` is a valid branch name.
pub fn is_valid_branch(name: &str) -> bool {
    if name.starts_with('-') || name == "HEAD" {
        return false;
    }
    is_valid_refname(&format!("refs/heads/{name}"))
}

/// git's `check_refname_format(refname, 0)`.
fn is_valid_refname(refname: &str) -> bool {
    if refname == "@" {
        return false;
    }
    for component in refname.split('/') {
        if !is_valid_component(component.as_bytes()) {
            return false;
        }
    }
    !refname.ends_with('.')
}

fn is_valid_component(component: &[u8]) -> bool {
    if component.is_empty() || component[0] == b'.' || component.ends_with(b".lock") {
        return false;
    }
    let mut last = 0u8;
    for &b in component {
        let bad = match b {
            0..=0x1f | 0x7f => true,
            b' ' | b'~' | b'^' | b':' | b'?' | b'[' | b'\\' | b'*' => true,
            b'.' => last == b'.',
            b'{' => last == b'@',
            _ => false,
        };
        if bad {
            return false;
        }
        last = b;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    const CASES: &[&str] = &[
        "master",
        "main",
        "feature/x",
        "a.b",
        "v1.0",
        "@",
        "@{-1}",
        "a@{b",
        "a@b",
        "HEAD",
        "head",
        "-x",
        "x-",
        ".x",
        "x.",
        "a..b",
        "a/.b",
        "a/b.lock",
        "a.lock/b",
        "a/",
        "/a",
        "a//b",
        "a b",
        "a\tb",
        "a~b",
        "a^b",
        "a:b",
        "a?b",
        "a[b",
        "a\\b",
        "a*b",
        "a\u{7f}b",
        "",
        "ünïcode",
        "a/b/c",
        "refs/heads/x",
        "..",
        ".",
        "x/..",
        "a.lock",
        "a.locks",
        "lock",
        "@/x",
        "x/@",
        "{",
        "a{b",
        "a}b",
        "a@",
        "a\nb",
    ];

    #[test]
    fn verdicts() {
        let valid = [
            "master",
            "main",
            "feature/x",
            "a.b",
            "v1.0",
            "@",
            "a@b",
            "head",
            "x-",
            "ünïcode",
            "a/b/c",
            "refs/heads/x",
            "a.locks",
            "lock",
            "@/x",
            "x/@",
            "{",
            "a{b",
            "a}b",
            "a@",
        ];
        for name in CASES {
            assert_eq!(is_valid_branch(name), valid.contains(name), "{name:?}");
        }
    }

    /// The verdicts agree with the real `git check-ref-format --branch`, when git is there.
    #[test]
    fn agrees_with_git() {
        let Ok(out) = std::process::Command::new("git").arg("--version").output() else {
            return;
        };
        if !out.status.success() {
            return;
        }
        let dir = std::env::temp_dir();
        for name in CASES {
            if name.is_empty() {
                continue;
            }
            let status = std::process::Command::new("git")
                .args(["check-ref-format", "--branch", name])
                .current_dir(&dir)
                .env("GIT_CEILING_DIRECTORIES", &dir)
                .output()
                .unwrap()
                .status;
            assert_eq!(is_valid_branch(name), status.success(), "{name:?}");
        }
    }
}
