//! Advisory `flock` locks: a generic file/directory lock, the per-app state lock and the
//! deploy lock of dokku-core §2.4 (with upstream's messages).

use std::fs::{File, OpenOptions};
use std::io::{self, Seek, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use nix::errno::Errno;
use nix::fcntl::{Flock, FlockArg};

use crate::error::{Error, Result};
use crate::paths::Paths;

/// An exclusive `flock` held until drop.
pub struct FileLock {
    lock: Flock<File>,
    path: PathBuf,
}

impl std::fmt::Debug for FileLock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FileLock")
            .field("path", &self.path)
            .finish()
    }
}

fn open_lock_file(path: &Path) -> io::Result<File> {
    OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .mode(0o644)
        .open(path)
}

fn flock(file: File, arg: FlockArg) -> std::result::Result<Flock<File>, (File, Errno)> {
    Flock::lock(file, arg)
}

impl FileLock {
    /// Block until an exclusive lock on `path` (created if missing) is held.
    pub fn exclusive(path: &Path) -> io::Result<FileLock> {
        let file = open_lock_file(path)?;
        loop {
            match flock(file.try_clone()?, FlockArg::LockExclusive) {
                Ok(lock) => {
                    return Ok(FileLock {
                        lock,
                        path: path.to_path_buf(),
                    })
                }
                Err((_, Errno::EINTR)) => continue,
                Err((_, e)) => return Err(io::Error::from(e)),
            }
        }
    }

    /// Take the lock if it is free; `Ok(None)` when another process holds it.
    pub fn try_exclusive(path: &Path) -> io::Result<Option<FileLock>> {
        let file = open_lock_file(path)?;
        match flock(file, FlockArg::LockExclusiveNonblock) {
            Ok(lock) => Ok(Some(FileLock {
                lock,
                path: path.to_path_buf(),
            })),
            Err((_, Errno::EWOULDBLOCK)) => Ok(None),
            Err((_, e)) => Err(io::Error::from(e)),
        }
    }

    /// Lock an existing directory itself (no lock file is created inside it).
    pub fn directory(dir: &Path) -> io::Result<FileLock> {
        let file = File::open(dir)?;
        loop {
            match flock(file.try_clone()?, FlockArg::LockExclusive) {
                Ok(lock) => {
                    return Ok(FileLock {
                        lock,
                        path: dir.to_path_buf(),
                    })
                }
                Err((_, Errno::EINTR)) => continue,
                Err((_, e)) => return Err(io::Error::from(e)),
            }
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The locked file, e.g. to record who holds the lock.
    pub fn file(&mut self) -> &mut File {
        &mut self.lock
    }
}

/// Serialises state changes of one app across processes: an exclusive lock on
/// `$DOKKU_LIB_ROOT/data/apps/<app>/.lock`. The app name must already be validated.
pub fn app_lock(app: &str) -> Result<FileLock> {
    crate::app::check_name(app)?;
    let paths = Paths::from_env();
    let dir = paths.app_data_dir("apps", app);
    crate::fs::ensure_dir(&dir, crate::fs::DIR_MODE)
        .map_err(|e| Error::new(format!("Unable to create {}: {e}", dir.display())))?;
    FileLock::exclusive(&dir.join(".lock"))
        .map_err(|e| Error::new(format!("Unable to lock app {app}: {e}")))
}

/// How [`DeployLock::acquire`] behaves when the lock is taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeployLockMode {
    /// Print `<app> currently has a deploy lock in place. Waiting...` once and poll every second.
    Waiting,
    /// Fail at once with upstream's two messages.
    Exclusive,
}

/// The deploy lock at `$DOKKU_LIB_ROOT/data/apps/<app>/.deploy.lock`. The file holds the build
/// id (or pid) of the holder; `apps:lock`/`apps:locked`/`apps:unlock` look at the file itself.
#[derive(Debug)]
pub struct DeployLock {
    lock: FileLock,
    app: String,
}

impl DeployLock {
    pub fn acquire(app: &str, mode: DeployLockMode) -> Result<DeployLock> {
        crate::app::check_name(app)?;
        let path = Paths::from_env().deploy_lock(app);
        if let Some(dir) = path.parent() {
            crate::fs::ensure_dir(dir, crate::fs::DIR_MODE)?;
        }
        ensure_build_id();
        let mut shown = false;
        let mut lock = loop {
            if let Some(lock) = FileLock::try_exclusive(&path)? {
                break lock;
            }
            match mode {
                DeployLockMode::Exclusive => {
                    crate::log::warn(&format!(
                        "{app} currently has a deploy lock in place. Exiting..."
                    ));
                    return Err(crate::log::fail(
                        "Run 'apps:unlock' to release the existing deploy lock",
                    ));
                }
                DeployLockMode::Waiting => {
                    if !shown {
                        crate::log::log(&format!(
                            "{app} currently has a deploy lock in place. Waiting..."
                        ));
                        shown = true;
                    }
                    std::thread::sleep(Duration::from_secs(1));
                }
            }
        };
        let holder = crate::env::var("DOKKU_BUILD_ID").unwrap_or_else(crate::env::dokku_pid);
        let file = lock.file();
        file.set_len(0)?;
        file.rewind()?;
        file.write_all(format!("{holder}\n").as_bytes())?;
        Ok(DeployLock {
            lock,
            app: app.to_string(),
        })
    }

    /// Fire `builds-record-finalize` (when a build id is known), unlock and remove the file.
    pub fn release(self, exit_code: i32) {
        if let Some(id) = crate::env::var("DOKKU_BUILD_ID") {
            let code = exit_code.to_string();
            let _ =
                crate::trigger::call("builds-record-finalize", &[self.app.as_str(), &id, &code]);
        }
        let path = self.lock.path().to_path_buf();
        drop(self.lock);
        let _ = std::fs::remove_file(path);
    }
}

/// Set `DOKKU_BUILD_ID` from `builds-generate-id`, falling back to `pid-<DOKKU_PID>`.
fn ensure_build_id() {
    if crate::env::var("DOKKU_BUILD_ID").is_some() {
        return;
    }
    let id = crate::trigger::Trigger::new("builds-generate-id")
        .stdin_null()
        .output()
        .map(|o| o.trimmed())
        .unwrap_or_default();
    let id = if id.is_empty() {
        format!("pid-{}", crate::env::dokku_pid())
    } else {
        id
    };
    // Single-threaded at this point; child processes must see the id.
    std::env::set_var("DOKKU_BUILD_ID", id);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fs::testutil::TempDir;

    #[test]
    fn try_lock_conflicts_until_dropped() {
        let dir = TempDir::new();
        let p = dir.path().join(".lock");
        let held = FileLock::try_exclusive(&p).unwrap().expect("free");
        // flock locks belong to the open file description, so a second open conflicts.
        assert!(FileLock::try_exclusive(&p).unwrap().is_none());
        drop(held);
        assert!(FileLock::try_exclusive(&p).unwrap().is_some());
    }

    #[test]
    fn directory_lock() {
        let dir = TempDir::new();
        let l = FileLock::directory(dir.path()).unwrap();
        assert_eq!(l.path(), dir.path());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
