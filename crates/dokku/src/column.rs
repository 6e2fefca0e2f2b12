//! The text transforms `dokku help` pipes plugin help through: `sort` (C locale),
//! the `sed` argument filter, and util-linux `column -t -s,`.

/// util-linux `column -t -s,`: cells split on every comma, empty lines dropped, every column
/// but the last padded to its widest cell, columns joined by two spaces. Rows with fewer
/// cells are padded as if the missing cells were empty.
pub fn table(lines: &[String]) -> Vec<String> {
    let rows: Vec<Vec<&str>> = lines.iter().filter(|l| !l.is_empty()).map(|l| l.split(',').collect()).collect();
    let ncols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut widths = vec![0; ncols];
    for row in &rows {
        for (i, cell) in row.iter().enumerate() {
            widths[i] = widths[i].max(cell.chars().count());
        }
    }
    rows.iter()
        .map(|row| {
            let mut out = String::new();
            for (i, width) in widths.iter().enumerate() {
                let cell = row.get(i).copied().unwrap_or("");
                out.push_str(cell);
                if i + 1 < ncols {
                    out.extend(std::iter::repeat_n(' ', width - cell.chars().count() + 2));
                }
            }
            out
        })
        .collect()
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
    fn matches_util_linux() {
        // Reference output produced by util-linux 2.38.1 `column -c2 -t -s,`.
        let input = v(&["    apps, Manage apps", "    cleanup, Cleans up, extra", "    x,y", "    longer-name-here, d", "    ,empty first", "    a,,b"]);
        assert_eq!(
            table(&input),
            v(&[
                "    apps               Manage apps  ",
                "    cleanup            Cleans up     extra",
                "    x                 y             ",
                "    longer-name-here   d            ",
                "                      empty first   ",
                "    a                               b",
            ])
        );
    }

    #[test]
    fn strips_arguments() {
        let out = strip_arguments(v(&["    cleanup [<app>], Cleans up", "    apps:list, List", "    version, Print"]));
        assert_eq!(out, v(&["    cleanup, Cleans up", "    version, Print"]));
    }
}
