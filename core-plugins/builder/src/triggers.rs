//! The triggers the builder plugin implements (`core-post-extract` is in `build_dir`,
//! `install-builder-prune` in `prune`).

use dokku_common::args::nth;
use dokku_common::property::{self, Migration, Store, GLOBAL};
use dokku_common::trigger::{self, capture_lenient};
use dokku_common::{log, report, Error, Result};

use crate::docker;
use crate::{PLUGIN, PROPERTIES};

/// `builder-detect <app> <dir>`: the selected builder, app value first, then the global one.
/// Installed first in glob order, it wins the deploy's `head -n1`.
pub fn builder_detect(args: &[String]) -> Result<()> {
    let app = nth(args, 0);
    let store = Store::from_env();
    for scope in [app, GLOBAL] {
        let selected = store.get(PLUGIN, scope, "selected");
        if !selected.is_empty() {
            log::log(&selected);
            break;
        }
    }
    Ok(())
}

fn check_key(key: &str) -> Result<()> {
    if PROPERTIES.contains(&key) {
        Ok(())
    } else {
        Err(Error::new("Invalid builder property specified"))
    }
}

/// `builder-get-property <app> <key>`.
pub fn builder_get_property(args: &[String]) -> Result<()> {
    let (app, key) = (nth(args, 0), nth(args, 1));
    check_key(key)?;
    log::log(&Store::from_env().get(PLUGIN, app, key));
    Ok(())
}

/// `builder-set-property <app> <key> <value>`: writes the value, even an empty one (the
/// deploy records `detected` this way).
pub fn builder_set_property(args: &[String]) -> Result<()> {
    let (app, key, value) = (nth(args, 0), nth(args, 1), nth(args, 2));
    check_key(key)?;
    Store::from_env().set(PLUGIN, app, key, value)
}

/// `builder-image-is-cnb <app> <image>`: `true` or `false`.
pub fn builder_image_is_cnb(args: &[String]) -> Result<()> {
    log::log(&docker::is_cnb(nth(args, 1)).to_string());
    Ok(())
}

/// `builder-image-is-herokuish <app> <image>`: `true` for a CNB image or one whose
/// environment sets `USER` to the app's `DOKKU_APP_USER` (default `herokuishuser`).
pub fn builder_image_is_herokuish(args: &[String]) -> Result<()> {
    let (app, image) = (nth(args, 0), nth(args, 1));
    log::log(&is_herokuish(app, image).to_string());
    Ok(())
}

fn is_herokuish(app: &str, image: &str) -> bool {
    if image.is_empty() {
        return false;
    }
    if docker::is_cnb(image) {
        return true;
    }
    let mut user = if app.is_empty() {
        String::new()
    } else {
        capture_lenient("config-get", &[app, "DOKKU_APP_USER"])
    };
    if user.is_empty() {
        user = "herokuishuser".to_string();
    }
    docker::has_env_user(image, &user)
}

/// `install`: the property directory, the move of `DOKKU_APP_TYPE` and `DOKKU_SKIP_CLEANUP`
/// into properties, then `install-builder-prune`.
pub fn install(_args: &[String]) -> Result<()> {
    let store = Store::from_env();
    store.setup(PLUGIN).map_err(|e| {
        Error::new(format!(
            "Unable to install the builder plugin: {}",
            e.message()
        ))
    })?;
    store.migrate_config(
        PLUGIN,
        &[
            Migration {
                config_var: "DOKKU_APP_TYPE".to_string(),
                property: "detected".to_string(),
                ..Migration::default()
            },
            Migration {
                config_var: "DOKKU_SKIP_CLEANUP".to_string(),
                global_config_var: "DOKKU_SKIP_CLEANUP".to_string(),
                property: "skip-cleanup".to_string(),
                ..Migration::default()
            },
        ],
    )?;
    trigger::fire::<&str>("install-builder-prune", &[])
}

/// `post-app-clone-setup <old> <new>`.
pub fn post_app_clone_setup(args: &[String]) -> Result<()> {
    property::clone_setup_trigger(PLUGIN, args)
}

/// `post-app-rename-setup <old> <new>`.
pub fn post_app_rename_setup(args: &[String]) -> Result<()> {
    property::rename_setup_trigger(PLUGIN, args)
}

/// `post-delete <app>`: the app's properties, then its images (labelled with the app, or in
/// `dokku/<app>`). Docker failures only warn; images still in use simply stay.
pub fn post_delete(args: &[String]) -> Result<()> {
    let app = nth(args, 0);
    property::delete_trigger(PLUGIN, args)?;
    let mut images = docker::filter_images(&[format!("label=com.dokku.app-name={app}")])
        .unwrap_or_else(|e| {
            log::warn(&e);
            Vec::new()
        });
    images.extend(
        docker::images_of_repo(&format!("dokku/{app}")).unwrap_or_else(|e| {
            log::warn(&e);
            Vec::new()
        }),
    );
    images.sort();
    images.dedup();
    let _ = docker::remove_images(&images);
    Ok(())
}

/// `report <app>`.
pub fn report(args: &[String]) -> Result<()> {
    report::report_one(&crate::report::BuilderReport, nth(args, 0), "", None)
}
