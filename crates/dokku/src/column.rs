//! The text transforms `dokku help` pipes plugin help through: `sort` (C locale),
//! the `sed` argument filter, and `column -t -s,`.

/// util-linux `column -t -s,`, shared with the plugins' help output.
pub fn table(lines: &[String]) -> Vec<String> {
    dokku_common::text::column_table(lines, ',')
}

/// `sort` under LC_ALL=C: byte order.
pub fn sort(lines: &mut [String]) {
    lines.sort_by(|a, b| a.as_bytes().cmp(b.as_bytes()));
}

/// The filter plain `dokku help` applies to core plugin help: drop `plugin:cmd` lines, then
/// `s/\s[\[\<\-\(].*,/,/` — cut an argument list up to the last comma.
pub fn strip_arguments(lines: Vec<String>) -> Vec<String> {
    lines
        .into_iter()
        .filter(|l| !l.contains(':'))
        .map(|l| {
            let bytes = l.as_bytes();
            for i in 0..bytes.len().saturating_sub(1) {
                let space = matches!(bytes[i], b' ' | b'\t' | b'\r' | b'\x0b' | b'\x0c');
                if space && matches!(bytes[i + 1], b'[' | b'<' | b'-' | b'(') {
                    if let Some(j) = l.rfind(',').filter(|j| *j >= i + 2) {
                        return format!("{},{}", &l[..i], &l[j + 1..]);
                    }
                }
            }
            l
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &[&str]) -> Vec<String> {
        s.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn strips_arguments() {
        let out = strip_arguments(v(&[
            "    cleanup [<app>], Cleans up",
            "    apps:list, List",
            "    version, Print",
        ]));
        assert_eq!(out, v(&["    cleanup, Cleans up", "    version, Print"]));
    }
}
