//! `ssh-keys:list [--format text|json] [<name>]`, with the output of `sshcommand list`.

use std::fmt::Write;

use dokku_common::args::nth;
use dokku_common::log::{self, fail, write_stdout};
use dokku_common::{Error, Result};

use crate::keyfile::{self, Entry, KeyFile};
use crate::settings::Settings;

pub fn run(args: &[String]) -> Result<()> {
    let (format, name) = if nth(args, 0) == "--format" {
        (nth(args, 1), nth(args, 2))
    } else {
        ("text", nth(args, 0))
    };
    match format {
        "json" => sshcommand_list(name, "json"),
        // Upstream passes the name as sshcommand's output type too, so the name `json`
        // gives JSON output.
        "text" => sshcommand_list(name, name),
        _ => Err(fail(
            "Invalid output format specified, supported formats: json, text",
        )),
    }
}

/// `sshcommand list <user> <name> <output type>`.
fn sshcommand_list(name: &str, output_type: &str) -> Result<()> {
    let settings = Settings::load();
    let file = KeyFile::from_env();
    let user = dokku_common::env::system_user();
    let json = output_type == "json";
    let data = match file.read()? {
        None => {
            log::stderr(&format!("authorized_keys not found for {user}"));
            return warning_status(&settings);
        }
        Some(data) => data,
    };
    if data.is_empty() {
        log::stderr(&format!("authorized_keys is empty for {user}"));
        warning_status(&settings)?;
        if json {
            write_stdout("[]\n");
        }
        return Ok(());
    }
    let bad = keyfile::bad_lines(&data, true, false)?;
    for n in &bad {
        let suffix = if settings.ignore_list_warnings {
            ", ignoring"
        } else {
            ""
        };
        log::stderr(&format!(
            "{} line {n} failed ssh-keygen check{suffix}.",
            file.display()
        ));
    }
    if !bad.is_empty() {
        warning_status(&settings)?;
    }

    let entries = keyfile::entries(&data);
    if json {
        write_stdout(&json_output(&entries, name));
        return Ok(());
    }
    let lines: Vec<String> = entries.iter().map(text_line).collect();
    if name.is_empty() {
        write_stdout(&format!("{}\n", lines.join("\n")));
        return Ok(());
    }
    let wanted = format!("NAME=\"{name}\"");
    let matching: String = lines
        .iter()
        .filter(|l| l.contains(&wanted))
        .map(|l| format!("{l}\n"))
        .collect();
    if matching.is_empty() {
        // grep found nothing: no output, failure.
        return Err(Error::silent(1));
    }
    write_stdout(&matching);
    Ok(())
}

/// After a warning: failure unless `SSHCOMMAND_IGNORE_LIST_WARNINGS` is set.
fn warning_status(settings: &Settings) -> Result<()> {
    if settings.ignore_list_warnings {
        Ok(())
    } else {
        Err(Error::silent(1))
    }
}

fn text_line(e: &Entry) -> String {
    format!(
        "{} NAME=\"{}\" SSHCOMMAND_ALLOWED_KEYS=\"{}\"",
        e.fingerprint, e.name, e.allowed_keys
    )
}

/// Without a name, sshcommand's hand-built JSON (`{ "k": "v", ... }` objects joined by
/// commas); with one, what `jq -cM` prints for the matching entries.
fn json_output(entries: &[Entry], name: &str) -> String {
    let fields = |e: &Entry| {
        [
            ("fingerprint", e.fingerprint.clone()),
            ("name", e.name.clone()),
            ("SSHCOMMAND_ALLOWED_KEYS", e.allowed_keys.clone()),
            ("public-key", e.public_key.clone().unwrap_or_default()),
        ]
    };
    let with_key = entries.iter().filter(|e| e.public_key.is_some());
    let objects: Vec<String> = if name.is_empty() {
        with_key
            .map(|e| {
                let body: Vec<String> = fields(e)
                    .iter()
                    .map(|(k, v)| format!("\"{k}\": {}", json_string(v)))
                    .collect();
                format!("{{ {} }}", body.join(", "))
            })
            .collect()
    } else {
        with_key
            .filter(|e| e.name == name)
            .map(|e| {
                let body: Vec<String> = fields(e)
                    .iter()
                    .map(|(k, v)| format!("\"{k}\":{}", json_string(v)))
                    .collect();
                format!("{{{}}}", body.join(","))
            })
            .collect()
    };
    format!("[{}]\n", objects.join(","))
}

/// A JSON string. Upstream pastes values in unescaped; this is byte-identical for every
/// value that needs no escaping and valid JSON for the rest.
fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\x08' => out.push_str("\\b"),
            '\x0c' => out.push_str("\\f"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(name: &str, key: Option<&str>) -> Entry {
        Entry {
            fingerprint: "SHA256:abc".into(),
            name: name.into(),
            allowed_keys: "no-pty".into(),
            public_key: key.map(String::from),
        }
    }

    #[test]
    fn json_shapes() {
        let entries = [
            entry("a", Some("ssh-ed25519 AAAA c")),
            entry("b", Some("k ")),
            entry("c", None),
        ];
        assert_eq!(
            json_output(&entries, ""),
            "[{ \"fingerprint\": \"SHA256:abc\", \"name\": \"a\", \"SSHCOMMAND_ALLOWED_KEYS\": \"no-pty\", \"public-key\": \"ssh-ed25519 AAAA c\" },\
             { \"fingerprint\": \"SHA256:abc\", \"name\": \"b\", \"SSHCOMMAND_ALLOWED_KEYS\": \"no-pty\", \"public-key\": \"k \" }]\n"
        );
        assert_eq!(
            json_output(&entries, "b"),
            "[{\"fingerprint\":\"SHA256:abc\",\"name\":\"b\",\"SSHCOMMAND_ALLOWED_KEYS\":\"no-pty\",\"public-key\":\"k \"}]\n"
        );
        assert_eq!(json_output(&entries, "zzz"), "[]\n");
        assert_eq!(json_output(&[], ""), "[]\n");
    }

    #[test]
    fn json_escaping() {
        assert_eq!(json_string("plain ü"), "\"plain ü\"");
        assert_eq!(json_string("a\"b\\c\td\u{1}"), "\"a\\\"b\\\\c\\td\\u0001\"");
    }
}
