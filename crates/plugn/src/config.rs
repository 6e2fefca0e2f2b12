//! `config.toml`: per-plugin settings, and the `CONFIG_*` variables hooks receive.
//!
//! The file is written in exactly the layout upstream's encoder produces (tables and keys
//! sorted, two-space indent, a blank line between tables) so existing files diff cleanly.

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::fs;
use std::io::Write;
use std::path::Path;

use toml::Value;

use crate::meta;
use crate::tree::PluginTree;
use crate::Error;

/// Parsed `config.toml`: plugin name → key → value.
pub type Settings = toml::Table;

pub fn load(path: &Path) -> Result<Settings, Error> {
    let text = fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    text.parse::<Settings>().map_err(|e| Error::Toml {
        path: path.to_path_buf(),
        message: e.message().to_string(),
    })
}

/// `config get`: the value rendered Go-style, `<nil>` when the plugin table or key is absent.
pub fn get(tree: &PluginTree, plugin: &str, key: &str) -> Result<String, Error> {
    let settings = load(&tree.config_path())?;
    let value = match settings.get(plugin) {
        Some(Value::Table(t)) => t.get(key),
        _ => None,
    };
    Ok(meta::render(value))
}

/// `config set`: store `value` as a string, rewriting the file atomically.
pub fn set(tree: &PluginTree, plugin: &str, key: &str, value: &str) -> Result<(), Error> {
    let path = tree.config_path();
    let settings = load(&path)?;
    let mut tables = string_tables(&settings).map_err(|message| Error::Toml {
        path: path.clone(),
        message,
    })?;
    tables
        .entry(plugin.to_string())
        .or_default()
        .insert(key.to_string(), value.to_string());
    write_atomic(&path, encode(&tables).as_bytes()).map_err(|e| Error::io(&path, e))
}

/// `config export`: one `export` line per key declared in `[plugin.config]`, sorted by key,
/// with the value escaped so that evaluating the line never runs anything.
pub fn export_lines(tree: &PluginTree, plugin: &str) -> Result<Vec<String>, Error> {
    let meta_path = tree.path(&[
        "available".as_ref(),
        OsStr::new(plugin),
        "plugin.toml".as_ref(),
    ]);
    let keys = match meta::read(&meta_path) {
        Ok(m) => m.config_keys.unwrap_or_default(),
        Err(meta::MetaError::Missing(e)) => return Err(Error::io(meta_path, e)),
        Err(meta::MetaError::Invalid(message)) => {
            return Err(Error::Toml {
                path: meta_path,
                message,
            })
        }
        Err(meta::MetaError::NoPluginTable) => Vec::new(),
    };
    let settings = load(&tree.config_path()).unwrap_or_default();
    let mut keys = keys;
    keys.sort();
    Ok(keys
        .iter()
        .map(|k| {
            let value = stored_value(&settings, plugin, k);
            format!(
                "export CONFIG_{}=\"${{{}_{}:-\"{}\"}}\"",
                env_part(k),
                env_part(plugin),
                env_part(k),
                escape_double_quoted(&value)
            )
        })
        .collect())
}

/// The `CONFIG_<KEY>` variables for one plugin: the environment override
/// `<PLUGIN>_<KEY>` when set and non-empty, else `config.toml`, else empty.
pub fn plugin_env(keys: &[String], plugin: &str, settings: &Settings) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for key in keys {
        let var = format!("CONFIG_{}", env_part(key));
        if !is_identifier(&var) {
            eprintln!("plugn: skipping config key '{key}' of plugin '{plugin}': not a valid variable name");
            continue;
        }
        let override_var = format!("{}_{}", env_part(plugin), env_part(key));
        let value = match std::env::var(&override_var) {
            Ok(v) if !v.is_empty() => v,
            _ => stored_value(settings, plugin, key),
        };
        out.push((var, value));
    }
    out
}

fn stored_value(settings: &Settings, plugin: &str, key: &str) -> String {
    match settings.get(plugin) {
        Some(Value::Table(t)) => match t.get(key) {
            Some(Value::String(s)) => s.clone(),
            Some(other) => meta::render(Some(other)),
            None => String::new(),
        },
        _ => String::new(),
    }
}

fn env_part(name: &str) -> String {
    name.to_uppercase().replace('-', "_")
}

fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c == '_' || c.is_ascii_alphabetic())
        && chars.all(|c| c == '_' || c.is_ascii_alphanumeric())
}

/// Escape for the inside of a bash double-quoted string.
fn escape_double_quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '"' | '\\' | '$' | '`') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

type StringTables = BTreeMap<String, BTreeMap<String, String>>;

/// Upstream only ever stores strings; anything else makes `config set` refuse to write.
fn string_tables(settings: &Settings) -> Result<StringTables, String> {
    let mut out = StringTables::new();
    for (plugin, value) in settings {
        let Value::Table(t) = value else {
            return Err(format!("top-level key '{plugin}' is not a table"));
        };
        let entry = out.entry(plugin.clone()).or_default();
        for (k, v) in t {
            match v {
                Value::String(s) => {
                    entry.insert(k.clone(), s.clone());
                }
                _ => return Err(format!("value of '{plugin}.{k}' is not a string")),
            }
        }
    }
    Ok(out)
}

fn encode(tables: &StringTables) -> String {
    let mut out = String::new();
    for (i, (plugin, keys)) in tables.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&format!("[{}]\n", encode_key(plugin)));
        for (k, v) in keys {
            out.push_str(&format!("  {} = {}\n", encode_key(k), encode_string(v)));
        }
    }
    out
}

fn encode_key(k: &str) -> String {
    if !k.is_empty()
        && k.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    {
        k.to_string()
    } else {
        encode_string(k)
    }
}

fn encode_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\u{:04X}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Write through a temporary file in the same directory, fsync, then rename, so readers
/// and crashes only ever see the old or the new content.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let result = (|| {
        let mut f = fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .open(&tmp)?;
        if let Ok(meta) = fs::metadata(path) {
            f.set_permissions(meta.permissions())?;
        }
        f.write_all(bytes)?;
        f.sync_all()?;
        fs::rename(&tmp, path)?;
        if let Ok(d) = fs::File::open(dir) {
            let _ = d.sync_all();
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_like_upstream() {
        let mut t = StringTables::new();
        t.entry("other".into())
            .or_default()
            .insert("color".into(), "blue".into());
        t.entry("my-plug".into())
            .or_default()
            .insert("api-key".into(), "a\"b\\c".into());
        assert_eq!(
            encode(&t),
            "[my-plug]\n  api-key = \"a\\\"b\\\\c\"\n\n[other]\n  color = \"blue\"\n"
        );
    }

    #[test]
    fn escapes_for_shell() {
        assert_eq!(
            escape_double_quoted("$(id) `x` \"q\" \\"),
            "\\$(id) \\`x\\` \\\"q\\\" \\\\"
        );
    }

    #[test]
    fn identifiers() {
        assert!(is_identifier("CONFIG_API_KEY"));
        assert!(!is_identifier("CONFIG_A.B"));
    }
}
