//! Domain name checks: upstream's hostname rule and its IPv4 / IPv6 address detection.

/// Upstream's `is_valid_hostname`: the lowercased name is `_`, or matches
/// `^[a-z0-9.*-]*[a-z0-9*-]$`. The name itself is stored as given (case kept).
///
/// Nothing outside that alphabet passes, so a valid name never holds a shell
/// metacharacter, a space, a slash or a newline.
pub fn is_valid(name: &str) -> bool {
    let lower = name.to_lowercase();
    if lower == "_" {
        return true;
    }
    let body =
        |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '*' | '-');
    match lower.chars().last() {
        Some(last) if last != '.' => lower.chars().all(body),
        _ => false,
    }
}

/// The IPv4 and IPv6 patterns upstream's `get_default_vhosts` and `core-post-deploy` skip
/// or warn about.
pub fn is_ip(name: &str) -> bool {
    is_ipv4(name) || is_ipv6(name)
}

/// Upstream's `([0-9]{1,3}[\.]){3}[0-9]{1,3}$`, searched anywhere: the name *ends* with a
/// dotted quad, so `app.1.2.3.4` counts and `1.2.3.4.sslip.io` does not. Inside the bracket
/// the backslash is literal in POSIX regexes, so it separates groups as a dot does.
pub fn is_ipv4(name: &str) -> bool {
    let bytes = name.as_bytes();
    let mut end = bytes.len();
    for group in 0..4 {
        let start = bytes[..end]
            .iter()
            .rposition(|b| !b.is_ascii_digit())
            .map_or(0, |i| i + 1);
        let digits = end - start;
        if digits == 0 {
            return false;
        }
        if group == 3 {
            // The first group may be the tail of a longer run of digits.
            return true;
        }
        if digits > 3 || start == 0 || !matches!(bytes[start - 1], b'.' | b'\\') {
            return false;
        }
        end = start - 1;
    }
    false
}

/// Upstream's IPv6 alternation, searched anywhere. Every alternative but the full
/// eight-group form contains `::` (one alternative is `::` alone), so the name matches when
/// it contains `::` or seven `hex:` groups followed by a hex digit.
pub fn is_ipv6(name: &str) -> bool {
    if name.contains("::") {
        return true;
    }
    let fields: Vec<&str> = name.split(':').collect();
    let hex = |c: char| c.is_ascii_hexdigit();
    fields.windows(8).any(|w| {
        w[0].chars().last().is_some_and(hex)
            && w[1..7]
                .iter()
                .all(|f| (1..=4).contains(&f.len()) && f.chars().all(hex))
            && w[7].chars().next().is_some_and(hex)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostnames() {
        for ok in [
            "example.com",
            "EXAMPLE.COM",
            "*.example.com",
            "a--domain.with--hyphens",
            ".example.com",
            "_",
            "-leading",
            "1.2.3.4",
            "x",
            "a*",
            "\u{212A}.example.com", // the Kelvin sign lowercases to `k`, as in Go and bash
        ] {
            assert!(is_valid(ok), "{ok:?}");
        }
        for bad in [
            "",
            "example.com.",
            "http://example.com",
            "a b",
            "a\nb",
            "a;b",
            "$(touch x)",
            "`id`",
            "a|b",
            "a&b",
            "a>b",
            "a\\b",
            "a/b",
            "a_b",
            "__",
            "é.com",
            "a'b",
            "a\"b",
            "exa mple",
            "a\0b",
        ] {
            assert!(!is_valid(bad), "{bad:?}");
        }
    }

    #[test]
    fn ipv4() {
        for ip in [
            "127.0.0.1",
            "10.0.0.255",
            "app.1.2.3.4",
            "1231.2.3.4",
            "1\\2\\3\\4",
            "1.2.3.999",
        ] {
            assert!(is_ipv4(ip), "{ip:?}");
        }
        for not in [
            "1.2.3.4.sslip.io",
            "1.2.3",
            "1.2.3.4444",
            "1.2.3.",
            ".2.3.4",
            "a.2.3.4",
            "1.2.3.4 ",
            "example.com",
            "",
            "1..3.4",
        ] {
            assert!(!is_ipv4(not), "{not:?}");
        }
    }

    #[test]
    fn ipv6() {
        for ip in [
            "::1",
            "::",
            "fe80::1",
            "1:2:3:4:5:6:7:8",
            "2001:db8:3:4::192.0.2.33",
            "x1:2:3:4:5:6:7:8y",
            "abcd:1:2:3:4:5:6:7",
        ] {
            assert!(is_ipv6(ip), "{ip:?}");
        }
        for not in [
            "example.com",
            "1:2:3:4:5:6:7",
            "1:2:3:4:5:6:7:",
            "1:2:3:4:5:abcde:7:8",
            "host:8080",
            "",
        ] {
            assert!(!is_ipv6(not), "{not:?}");
        }
        assert!(is_ip("127.0.0.1") && is_ip("::1") && !is_ip("dokku.me"));
    }
}
