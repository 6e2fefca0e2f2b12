//! The triggers the ps plugin implements, with upstream's argument conventions.

use std::io::{Read, Write};

use dokku_common::args::nth;
use dokku_common::property::{self, Migration, Store, Transform};
use dokku_common::{app, data, log, report, Error, Paths, Result};

use crate::formation::{self, Formation};
use crate::procfile;
use crate::ps::{self, PLUGIN};
use crate::report::PsReport;

/// Go's `ToBool`: only `true` is true.
fn to_bool(s: &str) -> bool {
    s == "true"
}

/// `app-restart <app>`: redeploy the running image.
pub fn app_restart(args: &[String]) -> Result<()> {
    ps::restart(nth(args, 0), None)
}

/// `docker-args-process-deploy <app> …`: pass stdin through and add the restart policy.
pub fn docker_args_process_deploy(args: &[String]) -> Result<()> {
    let mut input = Vec::new();
    std::io::stdin().read_to_end(&mut input)?;
    let policy = ps::computed_restart_policy(nth(args, 0));
    let mut out = std::io::stdout().lock();
    out.write_all(&input)?;
    write!(out, " --restart={policy}")?;
    out.flush()?;
    Ok(())
}

/// The `--restart=` option an old install kept in the app's default deploy docker options:
/// becomes the `restart-policy` property (unless it is the default) and leaves the options.
fn migrate_restart_policy(store: &Store, app: &str) -> Result<()> {
    const KEY: &str = "_default_.deploy";
    let options: Vec<String> = store
        .list_get("docker-options", app, KEY)
        .map_err(|e| {
            Error::new(format!(
                "Unable to read docker options for {app}._default_.deploy: {}",
                e.message()
            ))
        })?
        .into_iter()
        .map(|o| o.trim().to_string())
        .filter(|o| !o.is_empty())
        .collect();
    let Some(policy) = options
        .iter()
        .find_map(|o| o.strip_prefix("--restart=").map(str::to_string))
    else {
        return Ok(());
    };
    if policy != ps::DEFAULT_RESTART_POLICY {
        if let Err(e) = store.set(PLUGIN, app, "restart-policy", &policy) {
            log::warn(e.message());
        }
    }
    let option = format!("--restart={policy}");
    let mut kept: Vec<&String> = options.iter().filter(|o| **o != option).collect();
    kept.sort();
    if let Err(e) = store.list_write("docker-options", app, KEY, &kept) {
        log::warn(e.message());
    }
    Ok(())
}

/// `install`: property and data directories, and the migrations of older installs (restart
/// policies kept as docker options, `DOKKU_SCALE` files, `DOKKU_*` variables).
pub fn install(_args: &[String]) -> Result<()> {
    let store = Store::from_env();
    store
        .setup(PLUGIN)
        .map_err(|e| Error::new(format!("Unable to install the ps plugin: {}", e.message())))?;
    data::create(PLUGIN)?;
    let apps = app::unfiltered_apps().unwrap_or_default();
    for name in &apps {
        data::create_app(PLUGIN, name)?;
    }
    for name in &apps {
        migrate_restart_policy(&store, name)?;
    }
    let paths = Paths::from_env();
    for name in &apps {
        for file in ["DOKKU_SCALE", "DOKKU_SCALE.extracted"] {
            let path = paths.app_root(name).join(file);
            if path.is_file() {
                let _ = std::fs::remove_file(path);
            }
        }
    }
    let entry = |var: &str, property: &str| Migration {
        config_var: var.to_string(),
        property: property.to_string(),
        ..Migration::default()
    };
    store.migrate_config(
        PLUGIN,
        &[
            entry("DOKKU_DOCKER_STOP_TIMEOUT", "stop-timeout-seconds"),
            Migration {
                transform: Some(Transform::RestoreBool),
                ..entry("DOKKU_APP_RESTORE", "restore")
            },
            Migration {
                global_config_var: "DOKKU_SKIP_DEPLOY".to_string(),
                ..entry("DOKKU_SKIP_DEPLOY", "skip-deploy")
            },
            entry("DOKKU_START_CMD", "start-cmd"),
            entry("DOKKU_DOCKERFILE_START_CMD", "dockerfile-start-cmd"),
        ],
    )
}

/// `post-app-clone <old> <new>`: build the clone, unless `SKIP_REBUILD=true`.
pub fn post_app_clone(args: &[String]) -> Result<()> {
    if std::env::var("SKIP_REBUILD").as_deref() == Ok("true") {
        return Ok(());
    }
    ps::rebuild(nth(args, 1))
}

/// `post-app-clone-setup <old> <new>`: copy the properties and the data directory.
pub fn post_app_clone_setup(args: &[String]) -> Result<()> {
    property::clone_setup_trigger(PLUGIN, args)?;
    let (old, new) = property::app_pair(args)?;
    data::clone_app(PLUGIN, old, new)
}

/// `post-app-rename <old> <new>`: move what is left of the data directory, then build the
/// app under its new name unless `SKIP_REBUILD=true`.
pub fn post_app_rename(args: &[String]) -> Result<()> {
    let (old, new) = property::app_pair(args)?;
    data::migrate_app(PLUGIN, old, new)?;
    if std::env::var("SKIP_REBUILD").as_deref() == Ok("true") {
        return Ok(());
    }
    ps::rebuild(new)
}

/// `post-app-rename-setup <old> <new>`: move the properties, copy the data directory.
pub fn post_app_rename_setup(args: &[String]) -> Result<()> {
    property::rename_setup_trigger(PLUGIN, args)?;
    let (old, new) = property::app_pair(args)?;
    data::clone_app(PLUGIN, old, new)
}

/// `post-create <app>`: the data directory and one `web` process.
pub fn post_create(args: &[String]) -> Result<()> {
    let name = nth(args, 0);
    data::create_app(PLUGIN, name)?;
    formation::update(
        name,
        false,
        &[Formation {
            process_type: "web".to_string(),
            quantity: 1,
        }],
    )
}

/// `post-delete <app>`: remove the data directory and the properties.
pub fn post_delete(args: &[String]) -> Result<()> {
    let name = nth(args, 0);
    let data_result = data::remove_app(PLUGIN, name);
    let property_result = property::delete_trigger(PLUGIN, args);
    data_result.and(property_result)
}

/// `post-release-builder <builder> <app> <image>`: bring the formation in line with the
/// Procfile of the new release.
pub fn post_release_builder(args: &[String]) -> Result<()> {
    let name = nth(args, 1);
    formation::update(name, false, &[]).inspect_err(|e| {
        log::debug(&format!("Error generating scale file: {}", e.message()));
    })
}

/// `post-stop <app>`: a stopped app is not brought back at boot.
pub fn post_stop(args: &[String]) -> Result<()> {
    ps::store().set(PLUGIN, nth(args, 0), "restore", "false")
}

/// `procfile-exists <app>`: the answer is the exit status.
pub fn procfile_exists(args: &[String]) -> Result<()> {
    if procfile::exists(nth(args, 0)) {
        Ok(())
    } else {
        Err(Error::new("Procfile does not exist"))
    }
}

/// `ps-can-scale <app> <bool>`: whether `ps:scale` may change the formation.
pub fn ps_can_scale(args: &[String]) -> Result<()> {
    let value = if to_bool(nth(args, 1)) {
        "true"
    } else {
        "false"
    };
    ps::store().set(PLUGIN, nth(args, 0), "can-scale", value)
}

/// `ps-current-scale <app>`: `proc=count` lines, without a final newline.
pub fn ps_current_scale(args: &[String]) -> Result<()> {
    let formations = formation::current(nth(args, 0))?;
    let lines: Vec<String> = formations.iter().map(Formation::tuple).collect();
    log::write_stdout(&lines.join("\n"));
    Ok(())
}

/// `ps-get-property <app> <property>`: the computed value of one property.
pub fn ps_get_property(args: &[String]) -> Result<()> {
    let name = nth(args, 0);
    let value = match nth(args, 1) {
        "restart-policy" => ps::computed_restart_policy(name),
        "restore" => ps::restore(name),
        "skip-deploy" => ps::computed_skip_deploy(name),
        "stop-timeout-seconds" => ps::computed_stop_timeout(name),
        other => {
            return Err(Error::new(format!(
                "Invalid ps property specified: {other}"
            )))
        }
    };
    log::log(&value);
    Ok(())
}

/// `ps-set-scale <app> <skip-deploy> <clear-existing> [<proc>=<count>...]`: set the
/// formation (app.json's `formation` uses it) and deploy every given process type.
pub fn ps_set_scale(args: &[String]) -> Result<()> {
    let name = nth(args, 0);
    let tuples = args.get(3..).unwrap_or(&[]);
    formation::set(
        name,
        to_bool(nth(args, 1)),
        to_bool(nth(args, 2)),
        tuples,
        false,
    )
}

/// `report <app>`.
pub fn report(args: &[String]) -> Result<()> {
    report::report_one(&PsReport { info_flag: None }, nth(args, 0), "", None)
}
