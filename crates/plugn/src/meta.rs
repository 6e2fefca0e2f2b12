//! `plugin.toml` metadata and the Go-style rendering of TOML values that `plugn list`
//! and `plugn config get` print.

use std::fs;
use std::path::Path;

use toml::Value;

/// What `plugin.toml` says about a plugin.
#[derive(Debug, Default)]
pub struct Meta {
    pub version: Option<Value>,
    pub description: Option<Value>,
    /// Keys of `[plugin.config]`, in file order; `None` when the table is absent.
    pub config_keys: Option<Vec<String>>,
}

#[derive(Debug)]
pub enum MetaError {
    /// No readable `plugin.toml` (missing file, or the plugin is not a directory).
    Missing(std::io::Error),
    /// The file is not valid TOML.
    Invalid(String),
    /// Valid TOML without a `[plugin]` table.
    NoPluginTable,
}

pub fn read(path: &Path) -> Result<Meta, MetaError> {
    let text = fs::read_to_string(path).map_err(MetaError::Missing)?;
    parse(&text)
}

pub fn parse(text: &str) -> Result<Meta, MetaError> {
    let doc: toml::Table = text
        .parse()
        .map_err(|e: toml::de::Error| MetaError::Invalid(e.message().to_string()))?;
    let plugin = match doc.get("plugin") {
        Some(Value::Table(t)) => t,
        _ => return Err(MetaError::NoPluginTable),
    };
    let config_keys = match plugin.get("config") {
        Some(Value::Table(t)) => Some(t.keys().cloned().collect()),
        _ => None,
    };
    Ok(Meta {
        version: plugin.get("version").cloned(),
        description: plugin.get("description").cloned(),
        config_keys,
    })
}

/// Render a value the way Go's `%v` prints what BurntSushi/toml decodes; a missing value
/// prints as `<nil>`.
pub fn render(value: Option<&Value>) -> String {
    match value {
        None => "<nil>".to_string(),
        Some(v) => render_value(v),
    }
}

fn render_value(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Integer(i) => i.to_string(),
        Value::Float(f) => render_float(*f),
        Value::Boolean(b) => b.to_string(),
        Value::Datetime(d) => d.to_string(),
        Value::Array(items) => {
            let parts: Vec<String> = items.iter().map(render_value).collect();
            format!("[{}]", parts.join(" "))
        }
        Value::Table(t) => {
            // Go prints maps with sorted keys.
            let mut keys: Vec<&String> = t.keys().collect();
            keys.sort();
            let parts: Vec<String> = keys
                .iter()
                .map(|k| format!("{}:{}", k, render_value(&t[*k])))
                .collect();
            format!("map[{}]", parts.join(" "))
        }
    }
}

/// Go's shortest `%v` float form: plain decimal, switching to `e+XX` notation for very large
/// or very small magnitudes.
fn render_float(f: f64) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 {
            "+Inf".into()
        } else {
            "-Inf".into()
        };
    }
    let abs = f.abs();
    if abs != 0.0 && !(1e-4..1e21).contains(&abs) {
        let s = format!("{:e}", f); // e.g. 1e21, 1.5e-5
        let (mantissa, exp) = s.split_once('e').unwrap_or((&s, "0"));
        let exp: i32 = exp.parse().unwrap_or(0);
        let sign = if exp < 0 { '-' } else { '+' };
        return format!("{mantissa}e{sign}{:02}", exp.abs());
    }
    format!("{f}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_like_go() {
        assert_eq!(render_float(1.0), "1");
        assert_eq!(render_float(1.5), "1.5");
        assert_eq!(render_float(1e21), "1e+21");
        assert_eq!(render_float(0.00001), "1e-05");
    }

    #[test]
    fn values_like_go() {
        let m = parse(
            "[plugin]\nversion = 1.50\ndescription = [\"a\", 2]\n[plugin.config]\nx = \"y\"\n",
        )
        .unwrap();
        assert_eq!(render(m.version.as_ref()), "1.5");
        assert_eq!(render(m.description.as_ref()), "[a 2]");
        assert_eq!(m.config_keys.unwrap(), vec!["x".to_string()]);
        assert_eq!(render(None), "<nil>");
    }

    #[test]
    fn missing_tables() {
        assert!(matches!(parse("x = 1\n"), Err(MetaError::NoPluginTable)));
        assert!(matches!(parse("[plugin\n"), Err(MetaError::Invalid(_))));
        assert!(parse("[plugin]\n").unwrap().config_keys.is_none());
    }
}
