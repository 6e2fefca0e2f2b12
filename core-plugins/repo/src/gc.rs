//! `git gc --aggressive` on `$DOKKU_ROOT/<app>`. gc packs the branch heads into
//! `packed-refs` and deletes their files, so the heads are read first and written back
//! afterwards (even when gc fails), as upstream does.

use std::io::{self, Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};

use dokku_common::fs as dfs;
use dokku_common::{env, log, Error, Paths, Result};

/// The loose head files directly under `refs/heads` with their contents.
fn read_heads(dir: &Path) -> Result<Vec<(std::ffi::OsString, Vec<u8>)>> {
    let mut heads = Vec::new();
    if !dir.is_dir() {
        return Ok(heads);
    }
    let entries = std::fs::read_dir(dir)
        .map_err(|e| Error::new(format!("Unable to read heads directory: {e}")))?;
    for entry in entries {
        let entry =
            entry.map_err(|e| Error::new(format!("Unable to read heads directory: {e}")))?;
        if entry.file_type().map(|t| t.is_dir()).unwrap_or(false) {
            continue;
        }
        let contents = std::fs::read(entry.path())
            .map_err(|e| Error::new(format!("Unable to read head file: {e}")))?;
        heads.push((entry.file_name(), contents));
    }
    Ok(heads)
}

fn restore_heads(dir: &Path, heads: &[(std::ffi::OsString, Vec<u8>)]) {
    for (name, contents) in heads {
        if let Err(e) = dfs::write_atomic(&dir.join(name), contents, 0o644) {
            log::warn(&format!("Unable to write head file: {e}\n"));
        }
    }
}

/// Run git gc, its stderr shown as it comes and also kept for the error message.
fn git_gc(app_root: &Path) -> Result<()> {
    if env::var("DOKKU_TRACE").as_deref() == Some("1") {
        log::warn("exec: git gc --aggressive");
    }
    // Go's exec helper hands its stdin on only when stdout is a terminal.
    let stdin = if io::IsTerminal::is_terminal(&io::stdout()) {
        Stdio::inherit()
    } else {
        Stdio::null()
    };
    let mut cmd = Command::new("git");
    // Only GIT_DIR may say which repository this is.
    for var in [
        "GIT_WORK_TREE",
        "GIT_INDEX_FILE",
        "GIT_OBJECT_DIRECTORY",
        "GIT_COMMON_DIR",
    ] {
        cmd.env_remove(var);
    }
    let mut child = cmd
        .args(["gc", "--aggressive"])
        .env("GIT_DIR", app_root)
        .stdin(stdin)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| Error::new(format!("Unable to run git gc: {e}")))?;
    let mut stdout = child.stdout.take().expect("piped stdout");
    let drain = std::thread::spawn(move || {
        let mut sink = Vec::new();
        let _ = stdout.read_to_end(&mut sink);
    });
    let mut stderr = child.stderr.take().expect("piped stderr");
    let mut captured = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match stderr.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                let _ = io::stderr().write_all(&buf[..n]);
                captured.extend_from_slice(&buf[..n]);
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(_) => break,
        }
    }
    let _ = drain.join();
    let status = child
        .wait()
        .map_err(|e| Error::new(format!("Unable to run git gc: {e}")))?;
    if status.success() {
        return Ok(());
    }
    Err(Error::new(format!(
        "Unable to run git gc: {}",
        String::from_utf8_lossy(&captured)
    )))
}

/// `repo:gc` for a verified app.
pub fn run(app: &str) -> Result<()> {
    let app_root = Paths::from_env().app_root(app);
    let heads_dir = app_root.join("refs/heads");
    let heads = read_heads(&heads_dir)?;
    let result = git_gc(&app_root);
    restore_heads(&heads_dir, &heads);
    result
}
