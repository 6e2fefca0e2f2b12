//! The triggers the registry plugin implements.

use std::process::{Command, Stdio};

use dokku_common::args::nth;
use dokku_common::property::{self, Store};
use dokku_common::{docker, log, report, scheduler, trigger, Error, Result};

use crate::registry::{self, PLUGIN};

/// `deployed-app-image-repo <app>`: the repo images are tagged into.
pub fn deployed_app_image_repo(args: &[String]) -> Result<()> {
    let app = nth(args, 0);
    let repo = registry::computed_image_repo(app, true).map_err(|e| {
        let kind = if e.contains(": executing ") {
            "execute"
        } else {
            "parse"
        };
        Error::new(format!(
            "Unable to determine image repo from template: Unable to {kind} image-repo-template: {e}"
        ))
    })?;
    log::log(&repo);
    Ok(())
}

/// `deployed-app-image-tag <app>`: the pushed tag version, only when pushing is enabled.
pub fn deployed_app_image_tag(args: &[String]) -> Result<()> {
    let app = nth(args, 0);
    if !registry::push_enabled(app) {
        return Ok(());
    }
    let tag = registry::get(app, "tag-version").trim().to_string();
    log::log(if tag.is_empty() { "1" } else { &tag });
    Ok(())
}

/// `deployed-app-repository <app>`: the registry server prefix (`host/` or empty).
pub fn deployed_app_repository(args: &[String]) -> Result<()> {
    log::log(&registry::server_for_app(nth(args, 0)));
    Ok(())
}

/// `install`: the property directory.
pub fn install(_args: &[String]) -> Result<()> {
    Store::from_env().setup(PLUGIN).map_err(|e| {
        Error::new(format!(
            "Unable to install the registry plugin: {}",
            e.message()
        ))
    })
}

/// `post-create <app>`: the app's property (and docker config) directory.
pub fn post_create(args: &[String]) -> Result<()> {
    let app = nth(args, 0);
    dokku_common::app::check_name(app)?;
    Store::from_env().setup_app(PLUGIN, app)
}

/// `post-app-clone-setup <old> <new>`: properties and credentials.
pub fn post_app_clone_setup(args: &[String]) -> Result<()> {
    // The credentials file lives among the properties, so it is copied with them.
    property::clone_setup_trigger(PLUGIN, args)
}

/// `post-app-rename-setup <old> <new>`: properties and credentials move.
pub fn post_app_rename_setup(args: &[String]) -> Result<()> {
    let (old, new) = property::app_pair(args)?;
    let store = Store::from_env();
    store.clone_app(PLUGIN, old, new)?;
    let old_config = registry::config_path(old);
    if old_config.is_file() {
        // Keep the original file (and its mode) rather than the 0600 copy.
        std::fs::rename(&old_config, registry::config_path(new))
            .map_err(|e| Error::new(format!("Unable to rename registry config: {e}")))?;
    }
    store.destroy(PLUGIN, old)
}

/// `post-delete <app>`: properties and credentials go.
pub fn post_delete(args: &[String]) -> Result<()> {
    property::delete_trigger(PLUGIN, args)
}

/// `report <app>`.
pub fn report(args: &[String]) -> Result<()> {
    report::report_one(&registry::RegistryReport, nth(args, 0), "", None)
}

/// `docker <args>` with stdout streamed and stderr echoed and kept for the error message.
fn docker_streamed(args: &[String]) -> std::result::Result<(), String> {
    let out = Command::new(docker::bin())
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::inherit())
        .stderr(Stdio::piped())
        .output()
        .map_err(|e| e.to_string())?;
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    log::write_stderr(&stderr);
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "docker {} command exited with code {}: {stderr}",
            if args.iter().any(|a| a == "push") {
                "image push"
            } else {
                "tag"
            },
            out.status.code().unwrap_or(1)
        ))
    }
}

fn docker_tag(image_id: &str, tag: &str) -> std::result::Result<(), String> {
    docker_streamed(&["image".into(), "tag".into(), image_id.into(), tag.into()])
}

fn docker_push(app: &str, image: &str) -> std::result::Result<(), String> {
    let mut args = registry::docker_config_args(app);
    args.extend(["image".to_string(), "push".to_string(), image.to_string()]);
    docker_streamed(&args)
}

fn remove_images(images: &[String]) -> Result<()> {
    if images.is_empty() {
        return Ok(());
    }
    let mut args = vec!["image".to_string(), "rm".to_string()];
    args.extend(images.iter().cloned());
    let out = docker::run(&args)?;
    if !out.success() {
        return Err(Error::new(format!(
            "Unable to remove images: {}",
            out.stderr_trimmed()
        )));
    }
    Ok(())
}

/// Remove all but the last two pushed tags (at most ten) and the app's dangling images.
fn image_cleanup(app: &str, repo: &str, tag: i64) {
    let mut images = Vec::new();
    let mut old = tag - 2;
    let ten_ago = tag - 12;
    while old > 0 {
        images.push(format!("{repo}:{old}"));
        old -= 1;
        if old == ten_ago {
            break;
        }
    }
    if let Ok(out) = docker::run(&[
        "image",
        "ls",
        "--quiet",
        "--filter",
        "dangling=true",
        "--filter",
        &format!("label=com.dokku.app-name={app}"),
    ]) {
        images.extend(out.stdout.split_whitespace().map(str::to_string));
    }
    let _ = remove_images(&images);
}

fn increment_tag_version(app: &str) -> Result<i64> {
    let stored = registry::get(app, "tag-version");
    let tag = if stored.is_empty() {
        "0".to_string()
    } else {
        stored
    };
    let tag = tag.trim();
    let version: i64 = tag.parse().map_err(|_| {
        Error::new(format!(
            "Unable to convert existing tag version ({tag}) to integer: strconv.Atoi: parsing {}: invalid syntax",
            dokku_common::text::go_quote(tag)
        ))
    })?;
    let version = version + 1;
    log::verbose_quiet(&format!("Bumping tag to {version}"));
    Store::from_env().set(PLUGIN, app, "tag-version", &version.to_string())?;
    Ok(version)
}

fn push_to_registry(app: &str, tag: i64, image_id: &str, repo: &str) -> Result<()> {
    log::verbose_quiet("Retrieving image info for app");
    let server = registry::server_for_app(app);
    let full_image = format!("{server}{repo}:{tag}");
    log::verbose_quiet(&format!("Tagging {repo}:{tag} in registry format"));
    docker_tag(image_id, &full_image).map_err(|e| {
        Error::new(format!(
            "unable to tag image {image_id} as {full_image}: {e}"
        ))
    })?;
    docker_tag(image_id, &format!("{repo}:{tag}")).map_err(|e| {
        Error::new(format!(
            "unable to tag image {image_id} as {repo}:{tag}: {e}"
        ))
    })?;

    // Extra tags are pushed, then untagged when the push is over (last first), as
    // upstream's deferred calls do.
    let mut untag: Vec<(String, String)> = Vec::new();
    let result = (|| -> Result<()> {
        let extra = registry::computed_push_extra_tags(app);
        if !extra.is_empty() {
            for extra_tag in extra.split(',') {
                let image = format!("{server}{repo}:{extra_tag}");
                log::verbose_quiet(&format!("Tagging {repo} as {extra_tag} in registry format"));
                docker_tag(image_id, &image).map_err(|e| {
                    Error::new(format!("unable to tag image {image_id} as {image}: {e}"))
                })?;
                untag.push((extra_tag.to_string(), image.clone()));
                log::verbose_quiet(&format!("Pushing {image}"));
                docker_push(app, &image).map_err(|e| {
                    Error::new(format!("unable to push image with {extra_tag} tag: {e}"))
                })?;
            }
        }
        log::verbose_quiet(&format!("Pushing {full_image}"));
        docker_push(app, &full_image)
            .map_err(|e| Error::new(format!("unable to push image {full_image}: {e}")))?;
        if scheduler::app_scheduler(app) != "docker-local" {
            log::verbose_quiet("Cleaning up");
            image_cleanup(app, &format!("{server}{repo}"), tag);
            if format!("{server}{repo}") != repo {
                image_cleanup(app, repo, tag);
            }
        }
        log::verbose_quiet(&format!("Image {full_image} pushed"));
        Ok(())
    })();
    for (extra_tag, image) in untag.iter().rev() {
        log::verbose_quiet(&format!("Untagging extra tag {extra_tag}"));
        if let Err(e) = remove_images(std::slice::from_ref(image)) {
            log::warn(&format!(
                "Unable to untag extra tag {extra_tag}: {}",
                e.message()
            ));
        }
    }
    result
}

/// `post-release-builder <builder> <app> <image>`: tag the image into the configured repo
/// and, when pushing is enabled, push it with the next tag version.
pub fn post_release_builder(args: &[String]) -> Result<()> {
    let app = nth(args, 1);
    let image = nth(args, 2);
    let image_tag = image.rsplit(':').next().unwrap_or("");
    if trigger::exists("pre-deploy") {
        log::warn("Deprecated: please upgrade plugin to use 'pre-release-builder' plugin trigger instead of pre-deploy");
        let status = trigger::Trigger::new("pre-deploy")
            .arg(app)
            .arg(image_tag)
            .status()?;
        if status != 0 {
            return Err(Error::silent(status));
        }
    }

    let image_id = docker::inspect(image, "{{ .Id }}").unwrap_or_default();
    let repo = registry::app_image_repo(app);
    let computed = registry::computed_image_repo(app, false).unwrap_or_default();
    if computed != repo {
        let new_image = image.replacen(&format!("{repo}:"), &format!("{computed}:"), 1);
        docker_tag(&image_id, &new_image).map_err(|e| {
            Error::new(format!(
                "unable to tag image {image_id} as {new_image}: {e}"
            ))
        })?;
    }
    if !registry::push_enabled(app) {
        return Ok(());
    }
    log::info1("Pushing image to registry");
    let tag = increment_tag_version(app)?;
    push_to_registry(app, tag, &image_id, &computed)
}
