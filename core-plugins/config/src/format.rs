//! The output formats of `config:export`, `config:show` and `config:bundle`, as upstream
//! renders them (no trailing newline; callers add upstream's suffix).

use std::collections::BTreeMap;

use dokku_common::text::{columnize, push_go_json_string};

use crate::store::Env;

/// `'value'` content with `'` written as `'\''`.
pub fn single_quote_escape(value: &str) -> String {
    value.replace('\'', "'\\''")
}

fn prefixed(env: &Env, prefix: &str, separator: &str) -> String {
    env.iter()
        .map(|(k, v)| format!("{prefix}{k}='{}'", single_quote_escape(v)))
        .collect::<Vec<_>>()
        .join(separator)
}

fn keys_with(env: &Env, prefix: &str) -> String {
    env.keys()
        .map(|k| format!("{prefix}{k}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// `KEY:  value` columns, keys sorted (values are whitespace-trimmed, as columnize does).
pub fn pretty(prefix: &str, entries: &BTreeMap<String, String>) -> String {
    let lines: Vec<String> = entries
        .iter()
        .map(|(k, v)| format!("{k}:\x00{v}"))
        .collect();
    columnize(&lines, "\x00", prefix)
}

fn json_object(env: &Env) -> String {
    dokku_common::text::go_json_object(env)
}

fn json_list(env: &Env) -> String {
    if env.is_empty() {
        // A nil slice marshals to null.
        return "null".to_string();
    }
    let mut out = String::from("[");
    for (i, (k, v)) in env.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str("{\"name\":");
        push_go_json_string(&mut out, k);
        out.push_str(",\"value\":");
        push_go_json_string(&mut out, v);
        out.push('}');
    }
    out.push(']');
    out
}

/// The text of `config:export --format <format>` including its suffix, or `None` for an
/// unknown format.
pub fn export(env: &Env, format: &str) -> Option<String> {
    let body = match format {
        "docker-args" => prefixed(env, "--env=", " "),
        "docker-args-keys" => keys_with(env, "--env="),
        "envfile" => {
            let text = crate::dotenv::marshal(env);
            text.strip_suffix('\n').unwrap_or(&text).to_string()
        }
        "exports" => prefixed(env, "export ", "\n"),
        "json" => json_object(env),
        "json-list" => json_list(env),
        "pack-keys" => keys_with(env, "--env "),
        "pretty" => pretty("", env),
        "shell" => return Some(prefixed(env, "", " ") + " "),
        _ => return None,
    };
    Some(body + "\n")
}

/// `config:show --shell` (no suffix) and `--export` bodies.
pub fn shell(env: &Env) -> String {
    prefixed(env, "", " ")
}

pub fn exports(env: &Env) -> String {
    prefixed(env, "export ", "\n")
}

/// A tar stream with one 0600 file per key holding the value, as Go's `archive/tar` writes
/// it for a header carrying only name, mode and size.
pub fn bundle(env: &Env) -> Vec<u8> {
    let mut out = Vec::new();
    for (key, value) in env {
        let data = value.as_bytes();
        if key.len() > 100 {
            // The name does not fit a USTAR header: a PAX record carries it.
            let record = pax_record("path", key);
            let dir_name = format!("PaxHeaders.0/{key}");
            let name = &dir_name.as_bytes()[..100.min(dir_name.len())];
            out.extend_from_slice(&header(name, 0, record.len() as u64, b'x'));
            push_padded(&mut out, record.as_bytes());
        }
        let name = &key.as_bytes()[..100.min(key.len())];
        out.extend_from_slice(&header(name, 0o600, data.len() as u64, b'0'));
        push_padded(&mut out, data);
    }
    out.extend_from_slice(&[0u8; 1024]);
    out
}

fn push_padded(out: &mut Vec<u8>, data: &[u8]) {
    out.extend_from_slice(data);
    let rem = data.len() % 512;
    if rem != 0 {
        out.extend(std::iter::repeat_n(0u8, 512 - rem));
    }
}

/// `"<len> key=value\n"` where len counts the whole record.
fn pax_record(key: &str, value: &str) -> String {
    let body = format!(" {key}={value}\n");
    let mut len = body.len() + 1;
    loop {
        let candidate = format!("{len}{body}");
        if candidate.len() == len {
            return candidate;
        }
        len = candidate.len();
    }
}

/// Octal digits, zero-padded to the field width minus one, then NUL.
fn octal(field: &mut [u8], value: u64) {
    let digits = format!("{:0width$o}", value, width = field.len() - 1);
    field[..digits.len()].copy_from_slice(digits.as_bytes());
    field[digits.len()] = 0;
}

fn header(name: &[u8], mode: u64, size: u64, typeflag: u8) -> [u8; 512] {
    let mut h = [0u8; 512];
    h[..name.len()].copy_from_slice(name);
    octal(&mut h[100..108], mode);
    octal(&mut h[108..116], 0);
    octal(&mut h[116..124], 0);
    octal(&mut h[124..136], size);
    octal(&mut h[136..148], 0);
    h[156] = typeflag;
    h[257..263].copy_from_slice(b"ustar\0");
    h[263..265].copy_from_slice(b"00");
    if typeflag != b'x' {
        // Go fills the device fields of real entries only, not of its PAX record headers.
        octal(&mut h[329..337], 0);
        octal(&mut h[337..345], 0);
    }
    // The checksum counts its own field as spaces.
    h[148..156].copy_from_slice(b"        ");
    let sum: u64 = h.iter().map(|&b| u64::from(b)).sum();
    octal(&mut h[148..155], sum);
    h[155] = b' ';
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Env {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn formats_like_upstream() {
        let e = env(&[("BAR", "BAZ"), ("FOO", "b'ar "), ("BAZ", "a\nb")]);
        assert_eq!(
            export(&e, "envfile").unwrap(),
            "BAR=\"BAZ\"\nBAZ=\"a\\nb\"\nFOO=\"b'ar \"\n"
        );
        assert_eq!(
            export(&e, "docker-args").unwrap(),
            "--env=BAR='BAZ' --env=BAZ='a\nb' --env=FOO='b'\\''ar '\n"
        );
        assert_eq!(
            export(&e, "docker-args-keys").unwrap(),
            "--env=BAR --env=BAZ --env=FOO\n"
        );
        assert_eq!(
            export(&e, "pack-keys").unwrap(),
            "--env BAR --env BAZ --env FOO\n"
        );
        assert_eq!(
            export(&e, "shell").unwrap(),
            "BAR='BAZ' BAZ='a\nb' FOO='b'\\''ar ' "
        );
        assert_eq!(
            export(&e, "exports").unwrap(),
            "export BAR='BAZ'\nexport BAZ='a\nb'\nexport FOO='b'\\''ar '\n"
        );
        assert_eq!(
            export(&e, "pretty").unwrap(),
            "BAR:  BAZ\nBAZ:  a\nb\nFOO:  b'ar\n"
        );
        assert_eq!(
            export(&e, "json").unwrap(),
            "{\"BAR\":\"BAZ\",\"BAZ\":\"a\\nb\",\"FOO\":\"b'ar \"}\n"
        );
        assert_eq!(
            export(&env(&[("A", "<&>")]), "json-list").unwrap(),
            "[{\"name\":\"A\",\"value\":\"\\u003c\\u0026\\u003e\"}]\n"
        );
        assert_eq!(export(&Env::new(), "json-list").unwrap(), "null\n");
        assert_eq!(export(&Env::new(), "json").unwrap(), "{}\n");
        assert_eq!(export(&Env::new(), "exports").unwrap(), "\n");
        assert_eq!(export(&Env::new(), "shell").unwrap(), " ");
        assert_eq!(export(&e, "yaml"), None);
    }

    #[test]
    fn pretty_pads_keys() {
        assert_eq!(
            pretty(
                "       ",
                &env(&[("A", "1"), ("LONGER", ""), ("B", "  x  ")])
            ),
            "       A:       1\n       B:       x\n       LONGER:  "
        );
    }

    #[test]
    fn tar_headers() {
        let t = bundle(&env(&[("A", "hello")]));
        assert_eq!(t.len(), 512 * 2 + 1024);
        assert_eq!(&t[..2], b"A\0");
        assert_eq!(&t[100..108], b"0000600\0");
        assert_eq!(&t[124..136], b"00000000005\0");
        assert_eq!(&t[136..148], b"00000000000\0");
        assert_eq!(t[156], b'0');
        assert_eq!(&t[257..265], b"ustar\x0000");
        // Checksum: the sum of all bytes with the field as spaces.
        let mut h = t[..512].to_vec();
        h[148..156].copy_from_slice(b"        ");
        let sum: u64 = h.iter().map(|&b| u64::from(b)).sum();
        assert_eq!(&t[148..156], format!("{sum:06o}\0 ").as_bytes());
        assert_eq!(&t[512..517], b"hello");
        assert_eq!(bundle(&Env::new()), vec![0u8; 1024]);
        assert_eq!(pax_record("path", "abc"), "12 path=abc\n");
    }
}
