//! Retiring old containers and images: the `dead-containers` and `dead-images` lists in
//! `data/scheduler-docker-local` (`<app> <id> <unix time after which to retire>` lines), and
//! the removal of renamed leftovers before a restore.

use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use dokku_common::args::nth;
use dokku_common::lock::FileLock;
use dokku_common::{data, docker, env, fs as dfs, log, trigger, Error, Result};

use crate::settings::{PLUGIN, SCHEDULER};
use crate::status::stop_timeout_arg;

const DEAD_CONTAINERS: &str = "dead-containers";
const DEAD_IMAGES: &str = "dead-images";

fn list_path(name: &str) -> Result<PathBuf> {
    Ok(data::dir(PLUGIN)?.join(name))
}

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// `cut -d ' ' -f<n>` (1-based) of one line: a line without a space is printed whole.
fn cut_field(line: &str, n: usize) -> &str {
    if !line.contains(' ') {
        return line;
    }
    line.split(' ').nth(n - 1).unwrap_or("")
}

/// `… | cut -d: -f2` of docker's `sha256:<hex>` ids.
fn strip_digest_algo(id: &str) -> String {
    let id = id.trim_end_matches('\n');
    if id.contains(':') {
        id.split(':').nth(1).unwrap_or("").to_string()
    } else {
        id.to_string()
    }
}

/// `$(docker <args> 2>/dev/null || true)`: stdout without trailing newlines, empty on failure.
fn docker_value(args: &[&str]) -> String {
    match docker::run(args) {
        Ok(out) if out.success() => out.stdout.trim_end_matches('\n').to_string(),
        _ => String::new(),
    }
}

fn read_lines(path: &Path) -> Vec<String> {
    match std::fs::read(path) {
        Ok(bytes) => String::from_utf8_lossy(&bytes)
            .lines()
            .map(str::to_string)
            .collect(),
        Err(_) => Vec::new(),
    }
}

fn write_lines(path: &Path, lines: &[String]) -> Result<()> {
    let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
    dfs::write_atomic(path, text.as_bytes(), 0o644)?;
    Ok(())
}

/// Hold the data directory's lock while a list is rewritten.
fn lock_lists() -> Result<FileLock> {
    Ok(FileLock::directory(&data::dir(PLUGIN)?)?)
}

/// `fn-scheduler-docker-local-register-retired`: append `<app> <id> <now+wait>` unless the
/// id is already listed.
fn register(list: &str, app: &str, id: &str, wait: i64) -> Result<()> {
    let path = list_path(list)?;
    let dir = data::dir(PLUGIN)?;
    if !dir.is_dir() {
        return Err(Error::new(format!(
            "touch: cannot touch '{}': No such file or directory",
            path.display()
        ))
        .raw());
    }
    let _lock = lock_lists()?;
    let mut lines = read_lines(&path);
    if !path.exists() || !lines.iter().any(|l| l.contains(id)) {
        lines.push(format!("{app} {id} {}", now() + wait));
        write_lines(&path, &lines)?;
    }
    Ok(())
}

/// Whether a container of the app (other than `exclude`, and not itself awaiting
/// retirement) runs `image_id`.
fn image_in_use_by_app(app: &str, image_id: &str, exclude: &str) -> Result<bool> {
    if image_id.is_empty() {
        return Ok(false);
    }
    let exclude_full = if exclude.is_empty() {
        String::new()
    } else {
        docker_value(&["container", "inspect", exclude, "--format", "{{.Id}}"])
    };
    let label = format!("label=com.dokku.app-name={app}");
    let listed = docker_value(&["container", "ls", "-q", "--no-trunc", "-f", &label]);
    let dead = read_lines(&list_path(DEAD_CONTAINERS)?);
    for cid in listed.split_whitespace() {
        if !exclude_full.is_empty() && cid == exclude_full {
            continue;
        }
        let short: String = cid.chars().take(12).collect();
        if dead.iter().any(|l| l.contains(&short)) {
            continue;
        }
        let image = strip_digest_algo(&docker_value(&[
            "container",
            "inspect",
            cid,
            "--format",
            "{{.Image}}",
        ]));
        if !image.is_empty() && image == image_id {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Bash arithmetic on the wait argument: a number, or an unset variable name (0).
fn parse_wait(wait: &str) -> Result<i64> {
    let wait = wait.trim();
    if let Ok(n) = wait.parse::<i64>() {
        return Ok(n);
    }
    let is_name = wait
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && wait.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if is_name {
        return Ok(0);
    }
    Err(Error::new(format!("Invalid wait value: {wait}")))
}

/// `scheduler-register-retired <app> <container-id> [<wait>]`: list the container (and its
/// image, and the image's alternate tag, when no other app container uses them) for
/// retirement `wait` seconds (default 60) from now.
pub fn scheduler_register_retired(args: &[String]) -> Result<()> {
    let (app, cid) = (nth(args, 0), nth(args, 1));
    let wait = match nth(args, 2) {
        "" => 60,
        w => parse_wait(w)?,
    };
    if cid.is_empty() {
        return Ok(());
    }
    let image_id = if env::var("DOKKU_SKIP_IMAGE_RETIRE").as_deref() != Some("true") {
        strip_digest_algo(&docker_value(&[
            "container",
            "inspect",
            cid,
            "--format",
            "{{.Image}}",
        ]))
    } else {
        String::new()
    };
    register(DEAD_CONTAINERS, app, cid, wait)?;
    if image_id.is_empty() || env::var("DOKKU_SKIP_IMAGE_CLEANUP_REGISTRATION").is_some() {
        return Ok(());
    }
    let alt_tags = docker_value(&[
        "image",
        "inspect",
        "--format",
        "{{ index .Config.Labels \"com.dokku.docker-image-labeler/alternate-tags\" }}",
        &image_id,
    ]);
    if !image_in_use_by_app(app, &image_id, cid)? {
        register(DEAD_IMAGES, app, &image_id, wait)?;
    }
    if alt_tags.is_empty() {
        return Ok(());
    }
    // `jq -r '.[]'`: one tag per line.
    let tags: serde_json::Value = serde_json::from_str(&alt_tags)
        .map_err(|e| Error::with_code(format!("jq: error: {e}"), 5).raw())?;
    let alt_tag = match tags {
        serde_json::Value::Array(items) => items
            .iter()
            .map(|v| match v {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            })
            .collect::<Vec<_>>()
            .join("\n"),
        _ => return Err(Error::with_code("jq: error: Cannot iterate", 5).raw()),
    };
    let source_image = trigger::capture_lenient("git-get-property", &[app, "source-image"]);
    if source_image == alt_tag {
        return Ok(());
    }
    let alt_id = strip_digest_algo(&docker_value(&[
        "image",
        "inspect",
        "--format",
        "{{ .Id }}",
        &alt_tag,
    ]));
    if !alt_id.is_empty() && !image_in_use_by_app(app, &alt_id, cid)? {
        register(DEAD_IMAGES, app, &alt_id, wait)?;
    }
    Ok(())
}

/// The due entries of a list: `(line index, app, id)` whose time has passed, for `app`
/// when given.
fn due_entries(lines: &[String], app: &str) -> Vec<(String, String)> {
    let now = now();
    let mut due = Vec::new();
    for line in lines {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let (owner, id, time) = (cut_field(line, 1), cut_field(line, 2), cut_field(line, 3));
        if !app.is_empty() && app != owner {
            continue;
        }
        if now <= time.parse::<i64>().unwrap_or(0) {
            continue;
        }
        due.push((owner.to_string(), id.to_string()));
    }
    due
}

/// Drop every line mentioning one of `ids` (upstream's `sed -i "/<id>/d"`).
fn drop_ids(path: &Path, ids: &[String]) -> Result<()> {
    if ids.is_empty() {
        return Ok(());
    }
    let _lock = lock_lists()?;
    let kept: Vec<String> = read_lines(path)
        .into_iter()
        .filter(|l| {
            !ids.iter()
                .any(|id| !id.is_empty() && l.contains(id.as_str()))
        })
        .collect();
    write_lines(path, &kept)
}

fn container_status(cid: &str) -> String {
    docker_value(&[
        "container",
        "inspect",
        "--format",
        "{{ .State.Status }}",
        cid,
    ])
}

/// Run docker with its output shown (as upstream's unredirected calls); the status says
/// whether it worked.
fn docker_shown(args: &[&str]) -> bool {
    std::process::Command::new(docker::bin())
        .args(args)
        .stdin(std::process::Stdio::null())
        .status()
        .map(|s| s.success())
        .unwrap_or(false)
}

/// Stop (or kill) one container on its way out.
fn retire_container(app: &str, cid: &str) {
    log::verbose_quiet(&format!("Attempting to retire {app} container {cid}"));
    let state = container_status(cid);
    if state.is_empty() {
        return;
    }
    let timeout = stop_timeout_arg(app, "--time");
    if state == "restarting" {
        let _ = docker::run(&["container", "update", "--restart=no", cid]);
    }
    if state != "dead" && state != "exited" {
        let mut stop = vec!["container", "stop"];
        stop.extend(timeout.as_deref());
        stop.push(cid);
        if !docker_shown(&stop) && !docker_shown(&["container", "kill", cid]) {
            log::warn(&format!("Unable to kill container {cid}"));
        }
    }
    let state = container_status(cid);
    if state.is_empty() {
        return;
    }
    if state != "dead" && state != "exited" && !docker_shown(&["container", "kill", cid]) {
        log::warn(&format!("Unable to kill container {cid}"));
    }
}

fn retire_containers(app: &str) -> Result<()> {
    let path = list_path(DEAD_CONTAINERS)?;
    if !path.is_file() {
        return Ok(());
    }
    let mut dead = Vec::new();
    for (owner, cid) in due_entries(&read_lines(&path), app) {
        retire_container(&owner, &cid);
        let state = container_status(&cid);
        if state.is_empty() {
            dead.push(cid);
            continue;
        }
        if state == "running" {
            log::warn(&format!("Container {cid} still running"));
            continue;
        }
        let _ = docker::run(&["container", "rm", "--force", &cid]);
        if docker::run(&["container", "inspect", &cid]).is_ok_and(|o| o.success()) {
            log::warn(&format!("Container {cid} still running"));
            continue;
        }
        dead.push(cid);
    }
    drop_ids(&path, &dead)
}

fn retire_images(app: &str) -> Result<()> {
    let path = list_path(DEAD_IMAGES)?;
    if !path.is_file() {
        return Ok(());
    }
    let mut dead = Vec::new();
    for (owner, image) in due_entries(&read_lines(&path), app) {
        if docker_value(&["image", "inspect", "--format", "{{ .Id }}", &image]).is_empty() {
            dead.push(image);
            continue;
        }
        log::verbose_quiet(&format!("Attempting to retire {owner} image {image}"));
        let removed = docker::run(&["image", "remove", &image])?;
        if removed.success() {
            dead.push(image);
            continue;
        }
        let output = format!("{}{}", removed.stdout, removed.stderr);
        if output.contains("image has dependent child images") {
            let tags = docker_value(&["inspect", &image, "--format", "{{ json .RepoTags }}"]);
            let count = match serde_json::from_str::<serde_json::Value>(&tags) {
                Ok(serde_json::Value::Array(a)) => a.len(),
                _ => 0,
            };
            if count == 0 {
                log::warn(&format!("Image {image} has children images and is untagged, skipping rm and marking dead"));
                dead.push(image);
                continue;
            }
            log::warn(&format!(
                "Image {image} has children images and has {count} tags, skipping rm"
            ));
            continue;
        }
        if output.contains("image is being used by running container") {
            if image_in_use_by_app(&owner, &image, "")? {
                log::warn(&format!(
                    "Image {image} is still in use by {owner}, removing from retire list"
                ));
                dead.push(image);
                continue;
            }
            log::warn(&format!(
                "Image {image} has running containers, skipping rm"
            ));
            continue;
        }
        log::warn(&format!("Image {image} still running"));
    }
    drop_ids(&path, &dead)?;
    // `sort -o <file> -r <file>`, bytewise.
    let _lock = lock_lists()?;
    let mut lines = read_lines(&path);
    lines.sort_by(|a, b| b.as_bytes().cmp(a.as_bytes()));
    write_lines(&path, &lines)
}

/// `scheduler-retire [<scheduler> [<app>]]`: retire the listed containers, then images,
/// whose time has come (all apps' unless one is given). Upstream runs this whatever the
/// scheduler argument says.
pub fn scheduler_retire(args: &[String]) -> Result<()> {
    let app = nth(args, 1);
    retire_containers(app)?;
    retire_images(app)
}

/// Whether a container name looks like a renamed old one, `<app>.<proc>.<n>.<time>`
/// (upstream's `grep -E '(.+\..+\.[0-9]+\.[0-9]+$)'`).
fn is_renamed_container(name: &str) -> bool {
    fn strip_number_group(s: &str) -> Option<&str> {
        let digits = s.len() - s.trim_end_matches(|c: char| c.is_ascii_digit()).len();
        if digits == 0 {
            return None;
        }
        s[..s.len() - digits].strip_suffix('.')
    }
    let Some(rest) = strip_number_group(name).and_then(strip_number_group) else {
        return false;
    };
    rest.char_indices()
        .any(|(i, c)| c == '.' && i > 0 && i + 1 < rest.len())
}

/// `scheduler-pre-restore <scheduler>`: remove every dokku container left under a renamed
/// name (`<app>.<proc>.<n>.<time>`), quietly.
pub fn scheduler_pre_restore(args: &[String]) -> Result<()> {
    if nth(args, 0) != SCHEDULER {
        return Ok(());
    }
    let label = format!(
        "label={}",
        env::var("DOKKU_CONTAINER_LABEL").unwrap_or_else(|| "dokku".to_string())
    );
    let out = match docker::run(&[
        "container",
        "ls",
        "--all",
        "--format",
        "{{.Names}}",
        "--filter",
        &label,
        "--quiet",
    ]) {
        Ok(out) => out,
        Err(_) => return Ok(()),
    };
    if !out.stderr.is_empty() {
        log::write_stderr(&out.stderr);
    }
    let names: Vec<&str> = out
        .stdout
        .lines()
        .filter(|n| is_renamed_container(n))
        .collect();
    if !names.is_empty() {
        let mut rm = vec!["container", "rm"];
        rm.extend(names);
        let _ = docker::run(&rm);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cut_like_coreutils() {
        assert_eq!(cut_field("web abc 10", 2), "abc");
        assert_eq!(cut_field("web abc", 3), "");
        assert_eq!(cut_field("lonely", 3), "lonely");
        assert_eq!(cut_field("a  b", 2), "");
        assert_eq!(strip_digest_algo("sha256:abc\n"), "abc");
        assert_eq!(strip_digest_algo("abc"), "abc");
    }

    #[test]
    fn renamed_container_names() {
        assert!(is_renamed_container("web.web.1.1700000000"));
        assert!(is_renamed_container("my.app.worker.2.17"));
        assert!(!is_renamed_container("web.web.1"));
        assert!(!is_renamed_container(".web.1.2"));
        assert!(!is_renamed_container("web..1.2"));
        assert!(!is_renamed_container("ab.1.2"));
        assert!(is_renamed_container("a.b.1.2"));
    }

    #[test]
    fn wait_values() {
        assert_eq!(parse_wait("30").unwrap(), 30);
        assert_eq!(parse_wait("abc").unwrap(), 0);
        assert!(parse_wait("1x").is_err());
    }
}
