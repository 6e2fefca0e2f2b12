//! Creating and destroying apps, and firing the triggers around it in upstream's order.
//!
//! The per-app lock covers this plugin's own state changes (the existence check, the app
//! directory, `created-at`). It is not held while other plugins' triggers run: their hooks
//! may call `dokku` on the same app, and would wait forever for a lock held by their caller.

use std::io::Write;
use std::time::{SystemTime, UNIX_EPOCH};

use dokku_common::property::{Store, GLOBAL};
use dokku_common::trigger::Trigger;
use dokku_common::{app, confirm, env, fs as dfs, lock, log, scheduler, Error, Paths, Result};

pub use dokku_common::trigger::fire;

/// Where `create` sends its stdout: straight through, or into a buffer that is printed only
/// if creation fails (upstream's `SuppressOutput` in `app-maybe-create`).
pub enum Sink {
    Stream,
    Capture(Vec<u8>),
}

impl Sink {
    fn info1_quiet(&mut self, msg: &str) {
        match self {
            Sink::Stream => log::info1_quiet(msg),
            Sink::Capture(buf) => {
                if !env::quiet() {
                    buf.extend_from_slice(format!("{}{msg}\n", log::INFO1).as_bytes());
                }
            }
        }
    }

    fn fire(&mut self, hook: &str, args: &[&str]) -> Result<()> {
        match self {
            Sink::Stream => fire(hook, args),
            Sink::Capture(buf) => {
                let out = Trigger::new(hook).args(args).go_stdin().output()?;
                buf.extend_from_slice(&out.stdout);
                match out.status {
                    0 => Ok(()),
                    _ => Err(Error::silent(1)),
                }
            }
        }
    }

    /// Print what was held back.
    pub fn release(self) {
        if let Sink::Capture(buf) = self {
            let mut out = std::io::stdout().lock();
            let _ = out.write_all(&buf);
            let _ = out.flush();
        }
    }
}

fn now() -> String {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
        .to_string()
}

/// Go's `createApp`: validate, refuse a taken name, make `$DOKKU_ROOT/<app>`, record
/// `created-at`, fire `post-create <app>`.
pub fn create(name: &str, sink: &mut Sink) -> Result<()> {
    app::is_valid_app_name(name)?;
    let root = Paths::from_env().app_root(name);
    {
        let _lock = lock::app_lock(name)?;
        // A directory hidden from this user by `user-auth-app` is still taken.
        if app::verify_app_name(name).is_ok() || root.exists() {
            return Err(Error::new("Name is already taken"));
        }
        sink.info1_quiet(&format!("Creating {name}..."));
        dfs::ensure_dir(&root, dfs::DIR_MODE)
            .map_err(|e| Error::new(format!("Unable to create {}: {e}", root.display())))?;
        Store::from_env().set("apps", name, "created-at", &now())?;
    }
    sink.fire("post-create", &[name])
}

/// Go's `maybeCreateApp`: nothing for an existing app; refused when auto-creation is
/// disabled globally; else a create whose stdout is shown only if it fails.
pub fn maybe_create(name: &str) -> Result<()> {
    if app::verify_app_name(name).is_ok() {
        return Ok(());
    }
    if Store::from_env().get("apps", GLOBAL, "disable-autocreation") == "true" {
        log::warn("App auto-creation disabled.");
        return Err(Error::new(format!(
            "Re-enable app auto-creation or create an app with 'dokku apps:create {name}'"
        )));
    }
    let mut sink = Sink::Capture(Vec::new());
    let result = create(name, &mut sink);
    if result.is_err() {
        sink.release();
    }
    result
}

/// The deployed image tag from `deployed-app-image-tag`, `latest` when nothing answers and
/// empty when the trigger fails (Go's `GetRunningImageTag(app, "")`).
fn running_image_tag(name: &str) -> String {
    match Trigger::new("deployed-app-image-tag").arg(name).go_stdin().output() {
        Ok(out) if out.status == 0 => {
            let tag = out.trimmed();
            if tag.is_empty() {
                "latest".to_string()
            } else {
                tag
            }
        }
        _ => String::new(),
    }
}

/// Go's `destroyApp`: confirm (unless `DOKKU_APPS_FORCE_DELETE=1`), then the delete
/// triggers in upstream's order, then remove `$DOKKU_ROOT/<app>`. The name must have been
/// validated.
pub fn destroy(name: &str) -> Result<()> {
    if env::var("DOKKU_APPS_FORCE_DELETE").as_deref() != Some("1") {
        let stdin = std::io::stdin();
        confirm::destructive_with(name, "app", &mut stdin.lock())?;
    }
    log::info1(&format!("Destroying {name} (including all add-ons)"));
    let tag = running_image_tag(name);
    fire("pre-delete", &[name, &tag])?;
    let sched = scheduler::app_scheduler(name);
    fire("scheduler-stop", &[&sched, name, "true"])?;
    fire("scheduler-post-delete", &[&sched, name, &tag])?;
    fire("post-delete", &[name, &tag])?;
    // Upstream's forced docker cleanup announces itself; the container and image removal
    // itself belongs to the scheduler, which has already been asked to stop everything.
    log::info1("Cleaning up...");
    log::info1("Retiring old containers and images");
    fire("scheduler-retire", &[&sched, name])?;
    remove_app_root(name);
    Ok(())
}

/// Remove `$DOKKU_ROOT/<app>` (a symlinked app directory loses only the link). The directory
/// is first renamed to a hidden name so that it vanishes from listings at once.
fn remove_app_root(name: &str) {
    let root = Paths::from_env().app_root(name);
    if !dfs::exists_no_follow(&root) {
        return;
    }
    let hidden = root.with_file_name(format!(
        ".{name}{}deleting.{}",
        dfs::TEMP_MARKER,
        std::process::id()
    ));
    let target = match std::fs::rename(&root, &hidden) {
        Ok(()) => hidden,
        Err(_) => root,
    };
    if let Err(e) = dfs::remove_all(&target) {
        log::warn(&e.to_string());
    }
}
