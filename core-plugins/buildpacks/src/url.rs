//! Buildpack references as upstream accepts them: a `owner/name` shorthand expanded to its
//! GitHub URL (`heroku-community` is spelled `heroku`), or an `http`, `https` or `git` URL
//! with a host and at least two path segments.

/// Why a reference was refused (upstream's message), or its stored form.
pub fn validate(buildpack: &str) -> Result<String, String> {
    if buildpack.is_empty() {
        return Err("Must specify a buildpack url or reference".to_string());
    }
    // A newline would split one list entry into two (and upstream's multi-line regexes
    // would let everything after it through unchecked).
    if buildpack.contains('\n') {
        return Err(invalid(buildpack));
    }
    if let Some((owner, name)) = shorthand(buildpack) {
        let owner = if owner == "heroku-community" {
            "heroku"
        } else {
            owner
        };
        return Ok(format!(
            "https://github.com/{owner}/heroku-buildpack-{name}.git"
        ));
    }
    if is_url(buildpack) {
        return Ok(buildpack.to_string());
    }
    Err(invalid(buildpack))
}

fn invalid(buildpack: &str) -> String {
    format!("Invalid buildpack specified: {buildpack}")
}

/// `^[\w-]+/[\w-]+$` (ASCII word characters).
fn shorthand(s: &str) -> Option<(&str, &str)> {
    let word = |part: &str| {
        !part.is_empty()
            && part
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    };
    let (owner, name) = s.split_once('/')?;
    (word(owner) && word(name)).then_some((owner, name))
}

/// `^(http|https|git)(://|@)[^/:]+[/:][^/:]+/.+$`.
fn is_url(s: &str) -> bool {
    ["http", "https", "git"].iter().any(|scheme| {
        let Some(rest) = s.strip_prefix(scheme) else {
            return false;
        };
        ["://", "@"]
            .iter()
            .any(|sep| rest.strip_prefix(sep).is_some_and(host_and_path))
    })
}

/// `s` cut before its first `/` or `:`.
fn split(s: &str) -> Option<(&str, &str)> {
    s.find(['/', ':']).map(|i| (&s[..i], &s[i..]))
}

/// `[^/:]+[/:][^/:]+/.+`: the first run of other characters is the host, the second must
/// end in `/` and be followed by something.
fn host_and_path(tail: &str) -> bool {
    let Some((host, rest)) = split(tail) else {
        return false;
    };
    if host.is_empty() {
        return false;
    }
    let rest = &rest[1..];
    let Some((owner, rest)) = split(rest) else {
        return false;
    };
    !owner.is_empty() && rest.starts_with('/') && rest.len() > 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepted() {
        for (input, stored) in [
            (
                "heroku/nodejs",
                "https://github.com/heroku/heroku-buildpack-nodejs.git",
            ),
            (
                "heroku-community/apt",
                "https://github.com/heroku/heroku-buildpack-apt.git",
            ),
            (
                "my_org/some-pack",
                "https://github.com/my_org/heroku-buildpack-some-pack.git",
            ),
            (
                "https://github.com/heroku/heroku-buildpack-ruby.git",
                "https://github.com/heroku/heroku-buildpack-ruby.git",
            ),
            (
                "https://github.com/yespark/heroku-imagemagick-buildpack",
                "https://github.com/yespark/heroku-imagemagick-buildpack",
            ),
            ("http://example.com/a/b", "http://example.com/a/b"),
            (
                "git@github.com:heroku/heroku-buildpack-go.git",
                "git@github.com:heroku/heroku-buildpack-go.git",
            ),
            ("git://host:org/x#v1", "git://host:org/x#v1"),
            (
                "https://github.com/a/b.git#v1.2",
                "https://github.com/a/b.git#v1.2",
            ),
            ("https://host/a/b c", "https://host/a/b c"),
        ] {
            assert_eq!(validate(input).as_deref(), Ok(stored), "{input}");
        }
    }

    #[test]
    fn refused() {
        assert_eq!(
            validate("").unwrap_err(),
            "Must specify a buildpack url or reference"
        );
        for bad in [
            "nodejs",
            "/nodejs",
            "http://nodejs",
            "http://host/a",
            "http://host/a/",
            "ftp://host/a/b",
            "https//host/a/b",
            "https://:a/b/c",
            "https://host//b/c",
            "heroku/node js",
            "héroku/nodejs",
            "a/b/c",
            "heroku/nodejs\nhttps://evil/a/b",
            "https://host/a/b\nx",
        ] {
            assert_eq!(
                validate(bad).unwrap_err(),
                format!("Invalid buildpack specified: {bad}"),
                "{bad:?}"
            );
        }
    }
}
