//! The triggers of the buildpacks plugin: the app lifecycle, the stack name the herokuish
//! and pack builders ask for, and `post-extract`, which writes the buildpack list into the
//! source being built as `.buildpacks`.

use std::io;
use std::path::{Path, PathBuf};

use serde_json::Value;

use dokku_common::args::nth;
use dokku_common::property::{self, Store};
use dokku_common::{app, fs as dfs, log, report, Error, Result};

use crate::state::{self, PLUGIN};
use crate::url;

/// `install`: the property directory.
pub fn install(_args: &[String]) -> Result<()> {
    Store::from_env().setup(PLUGIN).map_err(|e| {
        Error::new(format!(
            "Unable to install the buildpacks plugin: {}",
            e.message()
        ))
    })
}

/// `buildpack-stack-name <app>`: the stack to build with, nothing when none is configured.
pub fn buildpack_stack_name(args: &[String]) -> Result<()> {
    if let Some(stack) = state::configured_stack(nth(args, 0)) {
        log::log(&stack);
    }
    Ok(())
}

/// `post-app-clone-setup <old> <new>`.
pub fn post_app_clone_setup(args: &[String]) -> Result<()> {
    property::clone_setup_trigger(PLUGIN, args)
}

/// `post-app-rename-setup <old> <new>`.
pub fn post_app_rename_setup(args: &[String]) -> Result<()> {
    property::rename_setup_trigger(PLUGIN, args)
}

/// `post-delete <app>`.
pub fn post_delete(args: &[String]) -> Result<()> {
    app::check_name(nth(args, 0))?;
    property::delete_trigger(PLUGIN, args)
}

/// `report <app>`.
pub fn report(args: &[String]) -> Result<()> {
    report::report_one(&crate::report::BuildpacksReport, nth(args, 0), "", None)
}

/// `post-extract <app> <source-dir> [<rev>]`: when the app has buildpacks (its list, else
/// the `buildpacks` of its app.json unless it deploys from an image), write them to
/// `.buildpacks`, replacing the repository's; otherwise normalise the repository's own
/// `.buildpacks` (shorthands expanded). Any invalid entry fails the build.
pub fn post_extract(args: &[String]) -> Result<()> {
    let name = nth(args, 0);
    app::check_name(name)?;
    let work_dir = Path::new(nth(args, 1));
    let Some(buildpacks) = configured(name) else {
        // Upstream ignores a failure to read the configuration.
        return Ok(());
    };
    if buildpacks.is_empty() {
        return rewrite_repository_file(work_dir);
    }
    let validated = buildpacks
        .iter()
        .map(|b| url::validate(b))
        .collect::<std::result::Result<Vec<String>, String>>()
        .map_err(Error::new)?;
    let path = work_dir.join(".buildpacks");
    let body: String = validated.iter().map(|b| format!("{b}\n")).collect();
    dfs::write_atomic(&path, body.as_bytes(), 0o600).map_err(|e| {
        Error::new(format!(
            "Error writing .buildpacks file: {}",
            open_error(&path, &e)
        ))
    })
}

fn open_error(path: &Path, e: &io::Error) -> String {
    let reason = match e.raw_os_error() {
        Some(code) => {
            let desc = nix::errno::Errno::from_raw(code).desc();
            let mut chars = desc.chars();
            chars
                .next()
                .map(|c| c.to_lowercase().chain(chars).collect())
                .unwrap_or_default()
        }
        None => e.to_string(),
    };
    format!("open {}: {reason}", path.display())
}

/// The app's buildpacks: its list, else none when it deploys from an image, else its
/// app.json's. `None` when they cannot be read.
fn configured(app: &str) -> Option<Vec<String>> {
    let list = state::list(app).ok()?;
    if !list.is_empty() {
        return Some(list);
    }
    let (_, source_image) = state::quiet_trigger("git-get-property", &[app, "source-image"]);
    if !source_image.is_empty() {
        return Some(Vec::new());
    }
    let (status, content) = state::quiet_trigger("app-json-get-content", &[app]);
    if status != 0 {
        return None;
    }
    app_json_buildpacks(&content)
}

/// `buildpacks[].url` of an app.json as `app-json-get-content` prints it. A shape Go would
/// refuse to decode is `None`; a buildpack without a url is `""` (and fails validation).
fn app_json_buildpacks(content: &str) -> Option<Vec<String>> {
    if content.trim().is_empty() {
        return Some(Vec::new());
    }
    let value: Value = serde_json::from_str(content).ok()?;
    let Value::Object(map) = value else {
        return if value.is_null() {
            Some(Vec::new())
        } else {
            None
        };
    };
    let buildpacks = map
        .iter()
        .filter(|(k, _)| k.eq_ignore_ascii_case("buildpacks"))
        .map(|(_, v)| v)
        .next_back();
    let items = match buildpacks {
        None | Some(Value::Null) => return Some(Vec::new()),
        Some(Value::Array(items)) => items,
        Some(_) => return None,
    };
    items
        .iter()
        .map(|item| match item {
            Value::Null => Some(String::new()),
            Value::Object(fields) => {
                match fields
                    .iter()
                    .filter(|(k, _)| k.eq_ignore_ascii_case("url"))
                    .map(|(_, v)| v)
                    .next_back()
                {
                    None | Some(Value::Null) => Some(String::new()),
                    Some(Value::String(s)) => Some(s.clone()),
                    Some(_) => None,
                }
            }
            _ => None,
        })
        .collect()
}

/// Normalise the repository's `.buildpacks`: blank lines dropped, lines trimmed, comments
/// kept, shorthands expanded. A link is followed only to a regular file inside the source
/// directory, and is replaced by a plain file.
fn rewrite_repository_file(work_dir: &Path) -> Result<()> {
    let path = work_dir.join(".buildpacks");
    let Some(source) = readable_source(work_dir, &path)? else {
        return Ok(());
    };
    let bytes = std::fs::read(&source).map_err(|e| Error::new(open_error(&source, &e)))?;
    let mut lines: Vec<String> = property::split_lines(&String::from_utf8_lossy(&bytes))
        .into_iter()
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty())
        .collect();
    for (i, line) in lines.iter_mut().enumerate() {
        if line.starts_with('#') {
            continue;
        }
        *line = url::validate(line)
            .map_err(|e| Error::new(format!("Unable to parse .buildpacks file, line {i}: {e}")))?;
    }
    let body = format!("{}\n", lines.join("\n").trim_end_matches('\n'));
    dfs::write_atomic(&path, body.as_bytes(), 0o600).map_err(|e| Error::new(open_error(&path, &e)))
}

/// The file to read `.buildpacks` from: `None` when there is no regular file there (as
/// upstream's `FileExists`); an error when a link leads out of the source directory.
fn readable_source(work_dir: &Path, path: &Path) -> Result<Option<PathBuf>> {
    let meta = match std::fs::symlink_metadata(path) {
        Ok(m) => m,
        Err(_) => return Ok(None),
    };
    if meta.is_file() {
        return Ok(Some(path.to_path_buf()));
    }
    if !meta.file_type().is_symlink() {
        return Ok(None);
    }
    let Ok(target) = std::fs::canonicalize(path) else {
        return Ok(None);
    };
    let inside = std::fs::canonicalize(work_dir)
        .map(|root| target.starts_with(root))
        .unwrap_or(false);
    if !inside {
        return Err(Error::new(
            "Unable to parse .buildpacks file: it links outside the source directory",
        ));
    }
    Ok(target.is_file().then_some(target))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn app_json_shapes() {
        assert_eq!(app_json_buildpacks(""), Some(vec![]));
        assert_eq!(app_json_buildpacks("{}"), Some(vec![]));
        assert_eq!(app_json_buildpacks("null"), Some(vec![]));
        assert_eq!(app_json_buildpacks(r#"{"buildpacks":null}"#), Some(vec![]));
        assert_eq!(
            app_json_buildpacks(r#"{"buildpacks":[{"url":"heroku/python"},{"Url":"x"},{},null]}"#),
            Some(vec![
                "heroku/python".into(),
                "x".into(),
                "".into(),
                "".into()
            ])
        );
        assert_eq!(
            app_json_buildpacks(r#"{"buildpacks":"heroku/python"}"#),
            None
        );
        assert_eq!(app_json_buildpacks(r#"{"buildpacks":[{"url":1}]}"#), None);
        assert_eq!(app_json_buildpacks(r#"{"buildpacks":["x"]}"#), None);
        assert_eq!(app_json_buildpacks("[]"), None);
        assert_eq!(app_json_buildpacks("{"), None);
    }
}
