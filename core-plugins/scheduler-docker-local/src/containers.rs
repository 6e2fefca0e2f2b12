//! The per-app container files docker-local keeps in `$DOKKU_ROOT/<app>`: `CONTAINER`
//! (pre-0.x single container) and `CONTAINER.<proc>.<n>`, each holding a container id.

use std::path::PathBuf;

use dokku_common::app;
use dokku_common::paths::Paths;

/// `$DOKKU_ROOT/<app>`, only for a valid app name so that no argument becomes a path.
pub fn app_root(app: &str) -> Option<PathBuf> {
    app::check_name(app).ok()?;
    Some(Paths::from_env().app_root(app))
}

/// The entries of the app root whose name starts with `prefix`, sorted bytewise as a bash
/// glob `<prefix>*` lists them in the C locale. Missing directory: none.
pub fn entries_with_prefix(app: &str, prefix: &str) -> Vec<PathBuf> {
    let Some(root) = app_root(app) else {
        return Vec::new();
    };
    let Ok(dir) = std::fs::read_dir(&root) else {
        return Vec::new();
    };
    let mut names: Vec<String> = dir
        .flatten()
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| n.starts_with(prefix))
        .collect();
    names.sort_by(|a, b| a.as_bytes().cmp(b.as_bytes()));
    names.into_iter().map(|n| root.join(n)).collect()
}

/// `$(<file)`: the contents with trailing newlines removed; unreadable is empty.
pub fn read_id(path: &std::path::Path) -> String {
    match std::fs::read(path) {
        Ok(bytes) => String::from_utf8_lossy(&bytes)
            .trim_end_matches('\n')
            .to_string(),
        Err(_) => String::new(),
    }
}

/// `get_app_container_ids <app>`: the ids in `CONTAINER` (a regular file) and in every
/// `CONTAINER.*`, split into words.
pub fn app_container_ids(app: &str) -> Vec<String> {
    let Some(root) = app_root(app) else {
        return Vec::new();
    };
    let mut text = String::new();
    let legacy = root.join("CONTAINER");
    if legacy.is_file() {
        text.push_str(&read_id(&legacy));
    }
    for file in entries_with_prefix(app, "CONTAINER.") {
        text.push(' ');
        text.push_str(&read_id(&file));
        text.push(' ');
    }
    text.split_whitespace().map(str::to_string).collect()
}

/// Whether `docker container inspect --format {{.State.<field>}}` prints `true`.
pub fn container_state_is(cid: &str, field: &str) -> bool {
    let format = format!("{{{{.State.{field}}}}}");
    matches!(
        dokku_common::docker::run(&["container", "inspect", "--format", &format, cid]),
        Ok(out) if out.success() && out.stdout.trim_end_matches('\n') == "true"
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn state_template() {
        assert_eq!(
            format!("{{{{.State.{}}}}}", "Running"),
            "{{.State.Running}}"
        );
    }
}
