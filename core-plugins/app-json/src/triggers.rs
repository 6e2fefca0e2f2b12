//! The triggers the app-json plugin implements (the deploy-phase tasks are in `tasks`).

use dokku_common::args::nth;
use dokku_common::property::{self, Store};
use dokku_common::{app, data, extract, log, report, trigger, Error, Result};

use crate::appjson::{self, PLUGIN};

/// `app-json-get-content <app>`: the app.json as upstream re-encodes it, `{}` without one.
pub fn app_json_get_content(args: &[String]) -> Result<()> {
    let app = nth(args, 0);
    if !appjson::has_app_json(app) {
        log::write_stdout("{}");
        return Ok(());
    }
    let Some(path) = appjson::process_specific_path(app) else {
        log::write_stdout("{}");
        return Ok(());
    };
    let content = appjson::read(&path)?;
    log::write_stdout(&content.to_json());
    Ok(())
}

/// `app-json-process-deploy-parallelism <app> <proc>`: `formation.<proc>.max_parallel`
/// when positive, else 1.
pub fn app_json_process_deploy_parallelism(args: &[String]) -> Result<()> {
    let app_json = appjson::get(nth(args, 0))?;
    let parallelism = app_json
        .formation
        .0
        .as_ref()
        .and_then(|f| f.get(nth(args, 1)))
        .and_then(|f| f.max_parallel.as_deref())
        .map(|n| n.0)
        .filter(|n| *n > 0)
        .unwrap_or(1);
    log::log(&parallelism.to_string());
    Ok(())
}

/// `app-json-is-valid <app> <path>` for an extracted file; a failure carries the hooks'
/// stderr as its message.
fn validate(app: &str, path: &std::path::Path) -> Result<()> {
    if !path.exists() {
        return Ok(());
    }
    let options = plugn::trigger::Options {
        stdin: plugn::trigger::Stdin::Null,
        capture_stdout: false,
        capture_stderr: true,
        env: Vec::new(),
    };
    let args = [
        std::ffi::OsString::from(app),
        path.as_os_str().to_os_string(),
    ];
    let outcome = plugn::trigger::run(&trigger::tree(), "app-json-is-valid", &args, &options)?;
    let stderr = String::from_utf8_lossy(&outcome.stderr).into_owned();
    log::write_stderr(&stderr);
    if outcome.success() {
        return Ok(());
    }
    let message = stderr.trim();
    if message.is_empty() {
        return Err(Error::silent(outcome.status));
    }
    Err(Error::new(message))
}

/// `core-post-extract <app> <source-dir> <rev>`: copy the app.json (at `appjson-path`) into
/// `data/app-json/<app>/app.json.<DOKKU_PID>`, or mark it missing, and validate it.
pub fn core_post_extract(args: &[String]) -> Result<()> {
    let app = nth(args, 0);
    app::check_name(app)?;
    Store::from_env().delete(PLUGIN, app, "appjson-env-processed")?;
    let mut path = appjson::computed_path(app).trim_matches('/').to_string();
    if path.is_empty() {
        path = "app.json".to_string();
    }
    let build_dir = trigger::capture_lenient("builder-get-property", &[app, "build-dir"]);
    let validator = validate;
    extract::core_post_extract(&extract::PostExtract {
        app,
        build_dir: &build_dir,
        destination: data::app_dir(PLUGIN, app)?,
        plugin: PLUGIN,
        source_work_dir: nth(args, 1).into(),
        items: vec![extract::Item {
            path,
            is_directory: false,
            name: "app.json",
            destination: "app.json",
            validator: Some(&validator),
        }],
    })
}

/// `core-post-deploy <app> …`: the deployed app.json becomes the live one.
pub fn core_post_deploy(args: &[String]) -> Result<()> {
    let app = nth(args, 0);
    app::check_name(app)?;
    extract::core_post_deploy(
        app,
        &data::app_dir(PLUGIN, app)?,
        PLUGIN,
        &[("app.json", false)],
    )
}

/// `install`: the property and data directories.
pub fn install(_args: &[String]) -> Result<()> {
    Store::from_env().setup(PLUGIN).map_err(|e| {
        Error::new(format!(
            "Unable to install the app-json plugin: {}",
            e.message()
        ))
    })?;
    data::setup(PLUGIN)
}

/// `post-create <app>`: the data directory.
pub fn post_create(args: &[String]) -> Result<()> {
    data::create_app(PLUGIN, nth(args, 0))
}

/// `post-delete <app>`: data and properties.
pub fn post_delete(args: &[String]) -> Result<()> {
    let app = nth(args, 0);
    let data_result = data::remove_app(PLUGIN, app);
    let property_result = property::delete_trigger(PLUGIN, args);
    data_result.and(property_result)
}

/// `post-app-clone-setup <old> <new>`.
pub fn post_app_clone_setup(args: &[String]) -> Result<()> {
    property::clone_setup_trigger(PLUGIN, args)?;
    let (old, new) = property::app_pair(args)?;
    data::clone_app(PLUGIN, old, new)
}

/// `post-app-rename <old> <new>`: the data directory moves.
pub fn post_app_rename(args: &[String]) -> Result<()> {
    let (old, new) = property::app_pair(args)?;
    data::migrate_app(PLUGIN, old, new)
}

/// `post-app-rename-setup <old> <new>`.
pub fn post_app_rename_setup(args: &[String]) -> Result<()> {
    property::rename_setup_trigger(PLUGIN, args)?;
    let (old, new) = property::app_pair(args)?;
    data::clone_app(PLUGIN, old, new)
}

/// `report <app>`.
pub fn report(args: &[String]) -> Result<()> {
    report::report_one(&appjson::AppJsonReport, nth(args, 0), "", None)
}
