//! Registry properties, their computed values and the per-app docker config directory.

use std::path::PathBuf;

use dokku_common::property::{Store, GLOBAL};
use dokku_common::report::{Flag, Options, Reporter};
use dokku_common::{Paths, Result};

pub const PLUGIN: &str = "registry";
/// Properties `registry:set` accepts for an app.
pub const PROPERTIES: &[&str] = &[
    "image-repo",
    "image-repo-template",
    "push-on-release",
    "server",
    "push-extra-tags",
];
/// Properties that may also be set with `--global`.
pub const GLOBAL_PROPERTIES: &[&str] = &[
    "image-repo-template",
    "push-on-release",
    "server",
    "push-extra-tags",
];

pub fn get(app: &str, property: &str) -> String {
    Store::from_env().get(PLUGIN, app, property)
}

/// `config/registry/<app>`: the app's properties and its `DOCKER_CONFIG` directory.
pub fn config_dir(app: &str) -> PathBuf {
    Paths::from_env().config_root().join(PLUGIN).join(app)
}

pub fn config_path(app: &str) -> PathBuf {
    config_dir(app).join("config.json")
}

/// Whether the app's `config.json` holds at least one `auths` entry.
pub fn has_app_auth(app: &str) -> bool {
    let Ok(content) = std::fs::read(config_path(app)) else {
        return false;
    };
    match serde_json::from_slice::<serde_json::Value>(&content) {
        Ok(serde_json::Value::Object(map)) => {
            matches!(map.get("auths"), Some(serde_json::Value::Object(a)) if !a.is_empty())
        }
        _ => false,
    }
}

/// `--config <dir>` for docker when the app has its own credentials.
pub fn docker_config_args(app: &str) -> Vec<String> {
    if app.is_empty() || !has_app_auth(app) {
        return Vec::new();
    }
    vec![
        "--config".to_string(),
        config_dir(app).to_string_lossy().into_owned(),
    ]
}

/// `dokku/<app>`, the repository images are built into.
pub fn app_image_repo(app: &str) -> String {
    format!("dokku/{app}")
}

pub fn computed_image_repo_template(app: &str) -> String {
    let value = get(app, "image-repo-template");
    if value.trim().is_empty() {
        get(GLOBAL, "image-repo-template")
    } else {
        value.trim().to_string()
    }
}

/// The app's template rendered; empty without a template.
pub fn image_repo_from_template(app: &str) -> std::result::Result<String, String> {
    let template = computed_image_repo_template(app);
    if template.is_empty() {
        return Ok(String::new());
    }
    crate::template::render(&template, app).map(|s| s.trim().to_string())
}

/// The image repo: the property, else the rendered template, else `dokku/<app>`. A broken
/// template fails only when `strict`.
pub fn computed_image_repo(app: &str, strict: bool) -> std::result::Result<String, String> {
    let mut repo = get(app, "image-repo").trim().to_string();
    if repo.is_empty() {
        repo = match image_repo_from_template(app) {
            Ok(r) => r,
            Err(e) if strict => return Err(e),
            Err(_) => String::new(),
        };
    }
    if repo.is_empty() {
        repo = app_image_repo(app);
    }
    Ok(repo)
}

pub fn computed_push_on_release(app: &str) -> String {
    let value = get(app, "push-on-release").trim().to_string();
    if !value.is_empty() {
        return value;
    }
    let global = get(GLOBAL, "push-on-release");
    if global.is_empty() {
        "false".to_string()
    } else {
        global
    }
}

pub fn push_enabled(app: &str) -> bool {
    computed_push_on_release(app) == "true"
}

/// The server prefix with a trailing `/`; empty for Docker Hub.
pub fn server_for_app(app: &str) -> String {
    let mut value = get(app, "server");
    if value.is_empty() {
        value = get(GLOBAL, "server");
    }
    let value = value.trim();
    let value = value.strip_suffix('/').unwrap_or(value);
    if value.is_empty() || value == "hub.docker.com" || value == "docker.io" {
        String::new()
    } else {
        format!("{value}/")
    }
}

pub fn computed_push_extra_tags(app: &str) -> String {
    let value = get(app, "push-extra-tags");
    if value.trim().is_empty() {
        get(GLOBAL, "push-extra-tags")
    } else {
        value.trim().to_string()
    }
}

pub struct RegistryReport;

impl Reporter for RegistryReport {
    fn report_type(&self) -> &str {
        PLUGIN
    }

    fn options(&self) -> Options {
        Options {
            trim_prefix: true,
            emit_legacy_prefix: true,
            uppercase_first: true,
        }
    }

    fn flags(&self, app: &str) -> Result<Vec<Flag<'_>>> {
        let mut flags = vec![
            Flag::new(
                "--registry-computed-push-on-release",
                computed_push_on_release,
            ),
            Flag::new("--registry-global-push-on-release", |_| {
                get(GLOBAL, "push-on-release")
            }),
            Flag::new("--registry-computed-server", |app| {
                server_for_app(app).trim().to_string()
            }),
            Flag::new("--registry-global-server", |_| get(GLOBAL, "server")),
            Flag::new(
                "--registry-computed-image-repo-template",
                computed_image_repo_template,
            ),
            Flag::new("--registry-global-image-repo-template", |_| {
                get(GLOBAL, "image-repo-template")
            }),
            Flag::new(
                "--registry-computed-push-extra-tags",
                computed_push_extra_tags,
            ),
            Flag::new("--registry-global-push-extra-tags", |_| {
                get(GLOBAL, "push-extra-tags")
            }),
        ];
        if app == GLOBAL {
            return Ok(flags);
        }
        flags.extend([
            Flag::new("--registry-computed-image-repo", |app| {
                computed_image_repo(app, false).unwrap_or_default()
            }),
            Flag::new("--registry-image-repo", |app| get(app, "image-repo")),
            Flag::new("--registry-push-on-release", |app| {
                get(app, "push-on-release")
            }),
            Flag::new("--registry-image-repo-template", |app| {
                get(app, "image-repo-template")
            }),
            Flag::new("--registry-server", |app| get(app, "server")),
            Flag::new("--registry-tag-version", |app| {
                get(app, "tag-version").trim().to_string()
            }),
            Flag::new("--registry-push-extra-tags", |app| {
                get(app, "push-extra-tags")
            }),
        ]);
        Ok(flags)
    }
}
