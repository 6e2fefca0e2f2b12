//! Build-time file extraction (dokku-core §2.3, Go's `CorePostExtract`/`CorePostDeploy`).
//!
//! During `core-post-extract` a plugin copies a file or directory from the app's source into
//! `data/<plugin>/<app>/<name>.<DOKKU_PID>` (or `<name>.<DOKKU_PID>.missing` when absent);
//! sources deployed from an image (`git:from-image`) are copied out of the image. During
//! `core-post-deploy` the PID file replaces `<name>` and a `.missing` marker deletes it, so a
//! failed deploy never changes what is live. Readers use [`pid_path`] first.
//!
//! Unlike upstream, a source path that leads outside the source directory (`..`, or a
//! symlink pointing elsewhere) is refused rather than read from the host.

use std::fs;
use std::io;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Component, Path, PathBuf};

use crate::error::{Error, Result};
use crate::fs::{self as dfs, DIR_MODE};

/// `DOKKU_PID` as upstream reads it (empty when unset).
pub fn dokku_pid() -> String {
    crate::env::var("DOKKU_PID").unwrap_or_default()
}

/// `<path>.<DOKKU_PID>`.
pub fn pid_path(path: &Path) -> PathBuf {
    let mut s = path.as_os_str().to_os_string();
    s.push(format!(".{}", dokku_pid()));
    PathBuf::from(s)
}

/// `<path>.<DOKKU_PID>.missing`.
pub fn missing_path(path: &Path) -> PathBuf {
    let mut s = pid_path(path).into_os_string();
    s.push(".missing");
    PathBuf::from(s)
}

/// Whether a relative path stays inside the directory it is joined to.
pub fn is_contained(relative: &str) -> bool {
    !Path::new(relative)
        .components()
        .any(|c| matches!(c, Component::ParentDir))
}

/// Go's `TouchFile`: create (never truncate) with mode 0600.
pub fn touch(path: &Path) -> Result<()> {
    fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(false)
        .mode(0o600)
        .open(path)
        .map_err(|e| {
            Error::new(format!(
                "Error opening file {} for creation: {e}",
                path.display()
            ))
        })?;
    dfs::set_permissions(path, 0o600)?;
    Ok(())
}

/// What `dos2unix -l -n` writes for a text file (the conversion upstream's `Copy` runs): a
/// UTF-8 BOM dropped and each CRLF turned into two newlines. `None` for a binary file,
/// which dos2unix skips.
pub fn dos2unix(data: &[u8]) -> Option<Vec<u8>> {
    let data = data.strip_prefix(b"\xef\xbb\xbf").unwrap_or(data);
    if data
        .iter()
        .any(|&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c))
    {
        return None;
    }
    let mut out = Vec::with_capacity(data.len());
    let mut i = 0;
    while i < data.len() {
        if data[i] == b'\r' && data.get(i + 1) == Some(&b'\n') {
            out.extend_from_slice(b"\n\n");
            i += 2;
        } else {
            out.push(data[i]);
            i += 1;
        }
    }
    Some(out)
}

/// Copy a regular file (with line endings converted when `convert`), keeping its mode; an
/// existing destination (even a symlink) is replaced, never written through.
fn copy_file(src: &Path, dst: &Path, convert: bool) -> io::Result<()> {
    let data = fs::read(src)?;
    let mode = fs::metadata(src)?.permissions().mode() & 0o7777;
    let converted = if convert {
        dos2unix(&data).ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::InvalidData,
                format!("{} is a binary file", src.display()),
            )
        })?
    } else {
        data
    };
    if dfs::exists_no_follow(dst) && fs::symlink_metadata(dst)?.is_dir() {
        dfs::remove_all(dst)?;
    }
    dfs::write_atomic(dst, &converted, mode)
}

/// Go's `Copy` (`convert`: files through [`dos2unix`]) or a plain copy; directories are
/// copied as they are.
fn copy_path(src: &Path, dst: &Path, convert: bool) -> io::Result<()> {
    if fs::metadata(src)?.is_file() {
        copy_file(src, dst, convert)
    } else {
        if dfs::exists_no_follow(dst) {
            dfs::remove_all(dst)?;
        }
        crate::data::copy_tree(src, dst)
    }
}

/// `src` resolved, when it exists and stays inside `root` (symlinks included).
fn resolve_inside(root: &Path, src: &Path) -> Result<Option<PathBuf>> {
    let Ok(real) = fs::canonicalize(src) else {
        return Ok(None);
    };
    let root = fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    if real.starts_with(&root) {
        Ok(Some(real))
    } else {
        Err(Error::new(format!(
            "{} leads outside the app's source directory",
            src.display()
        )))
    }
}

/// Checks an extracted file (e.g. `app-json-is-valid`).
pub type Validator<'a> = &'a dyn Fn(&str, &Path) -> Result<()>;

/// One file or directory to extract.
pub struct Item<'a> {
    /// Where it is in the source (relative, e.g. the `appjson-path` property).
    pub path: String,
    pub is_directory: bool,
    /// Its conventional name in the source (e.g. `app.json`).
    pub name: &'a str,
    /// Its name under the data directory; the path when empty.
    pub destination: &'a str,
    pub validator: Option<Validator<'a>>,
}

/// Everything `core-post-extract` needs.
pub struct PostExtract<'a> {
    pub app: &'a str,
    /// The builder's `build-dir` property (a subdirectory of the source), or empty.
    pub build_dir: &'a str,
    /// `data/<plugin>/<app>`.
    pub destination: PathBuf,
    pub plugin: &'a str,
    pub source_work_dir: PathBuf,
    pub items: Vec<Item<'a>>,
}

/// Remove `<destination>.*` left by earlier or concurrent deploys.
fn remove_stale(destination: &Path) -> Result<()> {
    let (Some(dir), Some(name)) = (destination.parent(), destination.file_name()) else {
        return Ok(());
    };
    let prefix = format!("{}.", name.to_string_lossy());
    let Ok(entries) = fs::read_dir(dir) else {
        return Ok(());
    };
    for entry in entries.flatten() {
        if entry.file_name().to_string_lossy().starts_with(&prefix) {
            dfs::remove_all(&entry.path())?;
        }
    }
    Ok(())
}

/// Go's `CorePostExtract`.
pub fn core_post_extract(input: &PostExtract<'_>) -> Result<()> {
    if input.plugin.is_empty() {
        return Err(Error::new("Missing required PluginName in CorePostExtract"));
    }
    let plugin = input.plugin;
    if input.app.is_empty() {
        return Err(Error::new(format!(
            "Missing required AppName in CorePostExtract for plugin {plugin}"
        )));
    }
    if input.destination.as_os_str().is_empty() {
        return Err(Error::new(format!(
            "Missing required Destination in CorePostExtract for plugin {plugin}"
        )));
    }
    if input.source_work_dir.as_os_str().is_empty() {
        return Err(Error::new(format!(
            "Missing required SourceWorkDir in CorePostExtract for plugin {plugin}"
        )));
    }
    let source_image =
        crate::trigger::capture_lenient("git-get-property", &[input.app, "source-image"]);
    if !input.destination.is_dir() {
        dfs::ensure_dir(&input.destination, DIR_MODE).map_err(|e| {
            Error::new(format!(
                "Unable to create destination directory {}: {e}",
                input.destination.display()
            ))
        })?;
    }

    for (i, item) in input.items.iter().enumerate() {
        if item.name.is_empty() {
            return Err(Error::new(format!(
                "Name is required for index {i} in CorePostExtract for plugin {plugin}"
            )));
        }
        if item.path.is_empty() {
            return Err(Error::new(format!(
                "Path is required for index {i} in CorePostExtract for plugin {plugin}"
            )));
        }
        if !is_contained(&item.path) || !is_contained(input.build_dir) {
            return Err(Error::new(format!(
                "Unable to extract {} from {}: the path leads outside the app's source directory",
                item.name, item.path
            )));
        }
        let dest_name = if item.destination.is_empty() {
            item.path.as_str()
        } else {
            item.destination
        };
        let base = input.source_work_dir.join(input.build_dir);
        let source = base.join(&item.path);
        let repo_default = base.join(item.name);
        let image_source = Path::new(input.build_dir).join(&item.path);
        let destination = input.destination.join(dest_name);
        let pid_destination = pid_path(&destination);
        let missing = missing_path(&destination);
        remove_stale(&destination)?;

        if !source_image.is_empty() {
            let copied = if item.is_directory {
                copy_dir_from_image(input.app, &source_image, &image_source, &pid_destination)
            } else {
                copy_file_from_image(input.app, &source_image, &image_source, &pid_destination)
            };
            if copied.is_err() {
                // Upstream stops here: later items and the validator are skipped.
                return touch(&missing);
            }
        } else {
            let resolved = resolve_inside(&input.source_work_dir, &source).map_err(|e| {
                Error::new(format!(
                    "Unable to extract {} from {}: {}",
                    item.name,
                    item.path,
                    e.message()
                ))
            })?;
            let present = resolved.as_deref().is_some_and(|p| {
                if item.is_directory {
                    p.is_dir()
                } else {
                    p.is_file()
                }
            });
            if !present {
                // A custom path that does not exist also hides the conventional file.
                if source != repo_default && dfs::exists_no_follow(&repo_default) {
                    dfs::remove_all(&repo_default).map_err(|e| {
                        Error::new(format!("Unable to remove existing {}: {e}", item.name))
                    })?;
                }
                touch(&missing)?;
                continue;
            }
            let resolved = resolved.unwrap_or_else(|| source.clone());
            copy_path(&resolved, &pid_destination, true).map_err(|e| {
                Error::new(format!(
                    "Unable to extract {} from {}: {e}",
                    item.name, item.path
                ))
            })?;
            if source != repo_default {
                // Builders read the conventional name: put the chosen file there.
                copy_path(&resolved, &repo_default, item.is_directory).map_err(|e| {
                    Error::new(format!("Unable to move {} into place: {e}", item.name))
                })?;
            }
        }

        if let Some(validate) = item.validator {
            validate(input.app, &pid_destination)?;
        }
    }
    Ok(())
}

/// Go's `CorePostDeploy`: the PID files become the live ones.
pub fn core_post_deploy(
    app: &str,
    destination: &Path,
    plugin: &str,
    paths: &[(&str, bool)],
) -> Result<()> {
    if plugin.is_empty() {
        return Err(Error::new("Missing required PluginName in CorePostDeploy"));
    }
    if app.is_empty() {
        return Err(Error::new(format!(
            "Missing required AppName in CorePostDeploy for plugin {plugin}"
        )));
    }
    if !destination.is_dir() {
        dfs::ensure_dir(destination, DIR_MODE).map_err(|e| {
            Error::new(format!(
                "Unable to create destination directory {}: {e}",
                destination.display()
            ))
        })?;
    }
    for (i, (path, is_directory)) in paths.iter().enumerate() {
        if path.is_empty() {
            return Err(Error::new(format!(
                "Missing required Name in CorePostDeploy for index {i} for plugin {plugin}"
            )));
        }
        let existing = destination.join(path);
        let pid = pid_path(&existing);
        let missing = missing_path(&existing);
        let kind_matches = |p: &Path| {
            if *is_directory {
                p.is_dir()
            } else {
                p.is_file()
            }
        };
        if kind_matches(&pid) {
            if *is_directory {
                dfs::remove_all(&existing)?;
            }
            fs::rename(&pid, &existing)?;
            dfs::sync_parent(&existing)?;
        } else if kind_matches(&missing) {
            dfs::remove_all(&missing)?;
            if kind_matches(&existing) {
                dfs::remove_all(&existing)?;
            }
        }
    }
    Ok(())
}

/// `{{index .Config.Labels "io.buildpacks.stack.id"}}` is set on cloud native buildpack
/// images.
pub fn image_is_cnb(image: &str) -> bool {
    !image.is_empty()
        && crate::docker::inspect(
            image,
            "{{index .Config.Labels \"io.buildpacks.stack.id\" }}",
        )
        .map(|v| !v.is_empty())
        .unwrap_or(false)
}

/// Herokuish images run as `$DOKKU_APP_USER` (default `herokuishuser`).
pub fn image_is_herokuish(image: &str, app: &str) -> bool {
    if image.is_empty() {
        return false;
    }
    if image_is_cnb(image) {
        return true;
    }
    let mut user = String::new();
    if !app.is_empty() {
        user = crate::trigger::capture_lenient("config-get", &[app, "DOKKU_APP_USER"]);
    }
    if user.is_empty() {
        user = "herokuishuser".to_string();
    }
    let format = format!(
        "{{{{range .Config.Env}}}}{{{{if eq . \"USER={user}\" }}}}{{{{println .}}}}{{{{end}}}}{{{{end}}}}"
    );
    crate::docker::inspect(image, &format)
        .map(|v| !v.is_empty())
        .unwrap_or(false)
}

/// The directory relative paths in an image are resolved against.
pub fn image_working_dir(app: &str, image: &str) -> String {
    if image_is_cnb(image) {
        "/workspace".to_string()
    } else if image_is_herokuish(image, app) {
        "/app".to_string()
    } else {
        crate::docker::inspect(image, "{{.Config.WorkingDir}}").unwrap_or_default()
    }
}

/// A private temporary directory, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(prefix: &str) -> Result<TempDir> {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let path = std::env::temp_dir().join(format!("{prefix}{}-{n}-{nanos}", std::process::id()));
        std::os::unix::fs::DirBuilderExt::mode(&mut fs::DirBuilder::new(), 0o700)
            .create(&path)
            .map_err(|e| Error::new(format!("Error creating temporary directory: {e}")))?;
        Ok(TempDir(path))
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// A stopped container of `image` to copy from, removed on drop.
struct TempContainer(String);

impl TempContainer {
    fn create(app: &str, image: &str) -> Result<TempContainer> {
        let mut args = vec![
            "container".to_string(),
            "create".to_string(),
            "--label".to_string(),
            format!("com.dokku.app-name={app}"),
        ];
        args.extend(
            crate::env::var("DOKKU_GLOBAL_RUN_ARGS")
                .unwrap_or_default()
                .split_whitespace()
                .map(str::to_string),
        );
        args.push(image.to_string());
        let out = crate::docker::run(&args)?;
        if !out.success() {
            return Err(Error::new(format!(
                "Unable to create temporary container: Unable to create container: {}",
                out.stderr_trimmed()
            )));
        }
        Ok(TempContainer(out.stdout_trimmed().to_string()))
    }
}

impl Drop for TempContainer {
    fn drop(&mut self) {
        let _ = crate::docker::run(&["container", "rm", "-f", &self.0]);
    }
}

/// `docker container cp` of `source` (relative paths from the image's working directory)
/// into a fresh temporary directory; returns the directory and the copied path in it.
fn copy_out_of_image(app: &str, image: &str, source: &Path) -> Result<(TempDir, PathBuf)> {
    let verified = crate::docker::run(&["image", "inspect", image])
        .map(|o| o.success())
        .unwrap_or(false);
    if !verified {
        return Err(Error::new("Invalid docker image for copying content"));
    }
    let mut source = source.to_string_lossy().into_owned();
    if !source.starts_with('/') {
        let work_dir = image_working_dir(app, image);
        if !work_dir.is_empty() {
            source = format!("{work_dir}/{source}");
        }
    }
    let container = TempContainer::create(app, image)?;
    let tmp = TempDir::new(&format!("dokku-{}-CopyFromImage", dokku_pid()))?;
    let out = crate::docker::run(&[
        "container".to_string(),
        "cp".to_string(),
        format!("{}:{source}", container.0),
        tmp.path().to_string_lossy().into_owned(),
    ])?;
    if !out.success() {
        return Err(Error::new(format!(
            "Unable to copy file {source} from image: {}",
            out.stderr_trimmed()
        )));
    }
    let name = Path::new(&source)
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    let copied = tmp.path().join(name);
    Ok((tmp, copied))
}

/// Upstream appends a newline to every non-empty file it copies out of an image.
fn write_with_newline(dst: &Path, data: &[u8], mode: u32) -> Result<()> {
    let mut data = data.to_vec();
    if !data.is_empty() {
        data.push(b'\n');
    }
    dfs::write_atomic(dst, &data, mode).map_err(Error::from)
}

/// Go's `CopyFromImage`: one regular file out of an image, line endings converted.
pub fn copy_file_from_image(
    app: &str,
    image: &str,
    source: &Path,
    destination: &Path,
) -> Result<()> {
    let (_tmp, copied) = copy_out_of_image(app, image, source)?;
    let meta = fs::symlink_metadata(&copied).ok();
    if !meta.as_ref().is_some_and(|m| m.is_file()) || meta.is_some_and(|m| m.len() == 0) {
        return Err(Error::new(format!(
            "Unable to copy file {} from image",
            source.display()
        )));
    }
    let data = fs::read(&copied)?;
    let converted = dos2unix(&data).ok_or_else(|| {
        Error::new("Unable to append trailing newline to copied file: binary file")
    })?;
    write_with_newline(destination, &converted, 0o644)
}

/// Go's `CopyDirFromImage`: the regular files at the top of a directory out of an image.
pub fn copy_dir_from_image(
    app: &str,
    image: &str,
    source: &Path,
    destination: &Path,
) -> Result<()> {
    let (_tmp, copied) = copy_out_of_image(app, image, source)?;
    if !fs::symlink_metadata(&copied).is_ok_and(|m| m.is_dir()) {
        return Err(Error::new(format!(
            "Unable to copy file {} from image",
            source.display()
        )));
    }
    dfs::ensure_dir(destination, DIR_MODE)?;
    for entry in fs::read_dir(&copied)?.flatten() {
        if !entry.file_type().is_ok_and(|t| t.is_file()) {
            continue;
        }
        let data = fs::read(entry.path())?;
        if let Some(converted) = dos2unix(&data) {
            write_with_newline(&destination.join(entry.file_name()), &converted, 0o644)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fs::testutil::TempDir;

    #[test]
    fn dos2unix_like_the_tool() {
        assert_eq!(
            dos2unix(b"\xef\xbb\xbfa\r\nb\r\nc\rd\n").unwrap(),
            b"a\n\nb\n\nc\rd\n"
        );
        assert_eq!(dos2unix(b"a\x0cb").unwrap(), b"a\x0cb");
        assert_eq!(dos2unix(b"a\x7fb").unwrap(), b"a\x7fb");
        assert!(dos2unix(b"bin\0ary").is_none());
        assert!(dos2unix(b"a\x1bb").is_none());
    }

    #[test]
    fn containment() {
        assert!(is_contained("app.json"));
        assert!(is_contained("sub/dir/app.json"));
        assert!(is_contained(""));
        assert!(!is_contained("../app.json"));
        assert!(!is_contained("a/../../b"));
    }

    #[test]
    fn touch_keeps_content() {
        let dir = TempDir::new();
        let p = dir.path().join("f");
        fs::write(&p, "x").unwrap();
        touch(&p).unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"x");
        let q = dir.path().join("g");
        touch(&q).unwrap();
        assert_eq!(
            fs::metadata(&q).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
}
