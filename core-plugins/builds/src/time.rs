//! Timestamps as upstream's Go records hold them: `time.Time` values written as RFC 3339
//! with nanoseconds (`encoding/json`), shown as plain RFC 3339, and durations printed as Go's
//! `time.Duration.String` does. A parsed timestamp keeps its UTC offset, so a record that
//! is rewritten keeps the spelling of the times it did not change.

use std::cmp::Ordering;

/// An instant plus the offset it was written with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timestamp {
    /// Seconds since the Unix epoch (negative before 1970; Go's zero time is year 1).
    secs: i64,
    nanos: u32,
    /// Seconds east of UTC.
    offset: i32,
}

impl PartialOrd for Timestamp {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Timestamp {
    /// Instants compare by time alone, as Go's `Before`/`After` do.
    fn cmp(&self, other: &Self) -> Ordering {
        (self.secs, self.nanos).cmp(&(other.secs, other.nanos))
    }
}

impl Default for Timestamp {
    /// Go's zero `time.Time`: 0001-01-01T00:00:00Z.
    fn default() -> Self {
        Timestamp {
            secs: days_from_civil(1, 1, 1) * 86_400,
            nanos: 0,
            offset: 0,
        }
    }
}

const RFC3339: &str = "2006-01-02T15:04:05Z07:00";

impl Timestamp {
    /// The current time in UTC, with nanoseconds (`time.Now().UTC()`).
    pub fn now() -> Timestamp {
        let since = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        Timestamp {
            secs: since.as_secs() as i64,
            nanos: since.subsec_nanos(),
            offset: 0,
        }
    }

    #[cfg(test)]
    pub fn from_unix(secs: i64, nanos: u32) -> Timestamp {
        Timestamp {
            secs,
            nanos,
            offset: 0,
        }
    }

    /// Nanoseconds since the epoch.
    pub fn unix_nanos(&self) -> i128 {
        self.secs as i128 * 1_000_000_000 + self.nanos as i128
    }

    /// `Format(time.RFC3339)`: whole seconds, `Z` or `±hh:mm`.
    pub fn rfc3339(&self) -> String {
        self.render(false)
    }

    /// `Format(time.RFC3339Nano)` (what `json.Marshal` writes): trailing zeros of the
    /// fraction dropped, no fraction at all when it is zero.
    pub fn rfc3339_nano(&self) -> String {
        self.render(true)
    }

    fn render(&self, nanos: bool) -> String {
        let local = self.secs + self.offset as i64;
        let days = local.div_euclid(86_400);
        let sod = local.rem_euclid(86_400);
        let (y, m, d) = civil_from_days(days);
        let mut out = format!(
            "{}-{:02}-{:02}T{:02}:{:02}:{:02}",
            format_year(y),
            m,
            d,
            sod / 3600,
            sod % 3600 / 60,
            sod % 60
        );
        if nanos && self.nanos != 0 {
            let frac = format!("{:09}", self.nanos);
            out.push('.');
            out.push_str(frac.trim_end_matches('0'));
        }
        if self.offset == 0 {
            out.push('Z');
        } else {
            let sign = if self.offset < 0 { '-' } else { '+' };
            let abs = self.offset.unsigned_abs();
            out.push_str(&format!("{sign}{:02}:{:02}", abs / 3600, abs % 3600 / 60));
        }
        out
    }

    /// Parse RFC 3339 the way Go's `Time.UnmarshalJSON` does: `YYYY-MM-DDTHH:MM:SS`, an
    /// optional `.` fraction, then `Z` or `±hh:mm`; fields checked for range.
    pub fn parse(s: &str) -> Result<Timestamp, String> {
        let bad = || {
            format!(
                "parsing time {} as {}: invalid RFC 3339 timestamp",
                dokku_common::text::go_quote(s),
                dokku_common::text::go_quote(RFC3339)
            )
        };
        let b = s.as_bytes();
        if b.len() < 20 {
            return Err(bad());
        }
        let num = |from: usize, len: usize| -> Option<i64> {
            let part = b.get(from..from + len)?;
            if !part.iter().all(u8::is_ascii_digit) {
                return None;
            }
            std::str::from_utf8(part).ok()?.parse().ok()
        };
        let sep = |at: usize, c: u8| b.get(at) == Some(&c);
        if !(sep(4, b'-') && sep(7, b'-') && sep(10, b'T') && sep(13, b':') && sep(16, b':')) {
            return Err(bad());
        }
        let fields = (
            num(0, 4),
            num(5, 2),
            num(8, 2),
            num(11, 2),
            num(14, 2),
            num(17, 2),
        );
        let (Some(year), Some(month), Some(day), Some(hour), Some(min), Some(sec)) = fields else {
            return Err(bad());
        };
        if !(1..=12).contains(&month)
            || day < 1
            || day > days_in_month(year, month)
            || hour > 23
            || min > 59
            || sec > 59
        {
            return Err(bad());
        }
        let mut i = 19;
        let mut nanos: u32 = 0;
        if sep(i, b'.') {
            i += 1;
            let start = i;
            while b.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
            let digits = &s[start..i];
            if digits.is_empty() {
                return Err(bad());
            }
            // Digits past nanoseconds are dropped, as Go does.
            let kept = &digits[..digits.len().min(9)];
            nanos = format!("{kept:0<9}").parse().map_err(|_| bad())?;
        }
        let offset = match &s[i..] {
            "Z" => 0,
            zone if zone.len() == 6 && (zone.starts_with('+') || zone.starts_with('-')) => {
                let (Some(h), Some(m)) = (num(i + 1, 2), num(i + 4, 2)) else {
                    return Err(bad());
                };
                if !sep(i + 3, b':') || h > 23 || m > 59 {
                    return Err(bad());
                }
                let off = (h * 3600 + m * 60) as i32;
                if zone.starts_with('-') {
                    -off
                } else {
                    off
                }
            }
            _ => return Err(bad()),
        };
        let local = days_from_civil(year, month, day) * 86_400 + hour * 3600 + min * 60 + sec;
        Ok(Timestamp {
            secs: local - offset as i64,
            nanos,
            offset,
        })
    }
}

fn format_year(y: i64) -> String {
    if y < 0 {
        format!("-{:04}", -y)
    } else {
        format!("{y:04}")
    }
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day count since 1970-01-01.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + if m <= 2 { 1 } else { 0 };
    (y, m, d)
}

/// How long a build took, as upstream's `Duration()` gives it: finish (or now) minus start,
/// zero when the finish is before the start, saturated like Go's `Time.Sub`, rounded to
/// whole seconds and printed with `time.Duration.String`.
pub fn build_duration(start: &Timestamp, end: &Timestamp) -> String {
    if end < start {
        return "0s".to_string();
    }
    let diff = end.unix_nanos() - start.unix_nanos();
    let d = i64::try_from(diff).unwrap_or(i64::MAX);
    go_duration_string(round_to_second(d))
}

/// Go's `Duration.Round(time.Second)` for a non-negative duration.
fn round_to_second(d: i64) -> i64 {
    const M: i64 = 1_000_000_000;
    let r = d % M;
    if r + r < M {
        return d - r;
    }
    d.checked_add(M - r).unwrap_or(i64::MAX)
}

/// Go's `Duration.String` for a non-negative duration of at least a second or exactly zero
/// (all a rounded build duration can be).
fn go_duration_string(d: i64) -> String {
    if d == 0 {
        return "0s".to_string();
    }
    let d = d as u64;
    let secs = d / 1_000_000_000;
    let frac = d % 1_000_000_000;
    let (h, m, s) = (secs / 3600, secs % 3600 / 60, secs % 60);
    let mut out = String::new();
    if h > 0 {
        out.push_str(&format!("{h}h"));
    }
    if h > 0 || m > 0 {
        out.push_str(&format!("{m}m"));
    }
    out.push_str(&s.to_string());
    if frac != 0 {
        let digits = format!("{frac:09}");
        out.push('.');
        out.push_str(digits.trim_end_matches('0'));
    }
    out.push('s');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_like_go() {
        let t = Timestamp::from_unix(1_700_000_000, 0);
        assert_eq!(t.rfc3339(), "2023-11-14T22:13:20Z");
        assert_eq!(t.rfc3339_nano(), "2023-11-14T22:13:20Z");
        let t = Timestamp::from_unix(1_700_000_000, 120_000_000);
        assert_eq!(t.rfc3339_nano(), "2023-11-14T22:13:20.12Z");
        assert_eq!(t.rfc3339(), "2023-11-14T22:13:20Z");
        assert_eq!(Timestamp::default().rfc3339_nano(), "0001-01-01T00:00:00Z");
        assert_eq!(
            Timestamp::from_unix(0, 1).rfc3339_nano(),
            "1970-01-01T00:00:00.000000001Z"
        );
    }

    #[test]
    fn parses_and_keeps_the_offset() {
        let t = Timestamp::parse("2024-02-29T23:59:59.5+02:00").unwrap();
        assert_eq!(t.rfc3339_nano(), "2024-02-29T23:59:59.5+02:00");
        assert_eq!(t.rfc3339(), "2024-02-29T23:59:59+02:00");
        let utc = Timestamp::parse("2024-02-29T21:59:59.5Z").unwrap();
        assert_eq!(t.cmp(&utc), Ordering::Equal);
        assert_eq!(
            Timestamp::parse("2024-01-01T00:00:00+00:00")
                .unwrap()
                .rfc3339(),
            "2024-01-01T00:00:00Z"
        );
        assert_eq!(
            Timestamp::parse("2024-01-01T00:00:00.1234567891Z")
                .unwrap()
                .rfc3339_nano(),
            "2024-01-01T00:00:00.123456789Z"
        );
        assert_eq!(
            Timestamp::parse("0001-01-01T00:00:00Z").unwrap(),
            Timestamp::default()
        );
        for bad in [
            "",
            "2024-01-01",
            "2024-01-01 00:00:00Z",
            "2024-13-01T00:00:00Z",
            "2023-02-29T00:00:00Z",
            "2024-01-01T24:00:00Z",
            "2024-01-01T00:00:60Z",
            "2024-01-01T00:00:00",
            "2024-01-01T00:00:00.Z",
            "2024-01-01T00:00:00+0200",
            "2024-01-01T00:00:00z",
            "2024-01-01T00:00:00Zjunk",
            "+024-01-01T00:00:00Z",
        ] {
            assert!(Timestamp::parse(bad).is_err(), "{bad:?}");
        }
        assert_eq!(
            Timestamp::parse("x").unwrap_err(),
            "parsing time \"x\" as \"2006-01-02T15:04:05Z07:00\": invalid RFC 3339 timestamp"
        );
    }

    #[test]
    fn civil_round_trip() {
        for days in [-719_162, -1, 0, 1, 11_016, 19_782, 2_932_896] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m as i64, d as i64), days);
        }
    }

    #[test]
    fn durations_like_go() {
        let s = Timestamp::from_unix(100, 0);
        let at = |secs, nanos| Timestamp::from_unix(secs, nanos);
        assert_eq!(build_duration(&s, &s), "0s");
        assert_eq!(build_duration(&s, &at(100, 499_999_999)), "0s");
        assert_eq!(build_duration(&s, &at(100, 500_000_000)), "1s");
        assert_eq!(build_duration(&s, &at(161, 0)), "1m1s");
        assert_eq!(build_duration(&s, &at(3700, 0)), "1h0m0s");
        assert_eq!(build_duration(&s, &at(3761, 0)), "1h1m1s");
        assert_eq!(build_duration(&s, &at(99, 0)), "0s");
        // Go's zero time to now saturates at the largest duration.
        assert_eq!(
            build_duration(&Timestamp::default(), &at(1_700_000_000, 0)),
            "2562047h47m16.854775807s"
        );
    }
}
