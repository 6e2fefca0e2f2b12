//! The triggers the docker-options plugin implements.

use std::io::{Read, Write};

use dokku_common::args::nth;
use dokku_common::property::{self, Store};
use dokku_common::{Error, Result};

use crate::options::{self, DEFAULT_PROCESS_TYPE, PLUGIN};

/// Echo stdin first: the `docker-args-*` triggers are filters that append to it.
fn pass_stdin() -> Result<()> {
    let mut input = Vec::new();
    std::io::stdin().read_to_end(&mut input)?;
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(&input);
    let _ = out.flush();
    Ok(())
}

fn starts_with_option(option: &str, names: &[&str]) -> bool {
    names.iter().any(|name| {
        option == *name
            || option.starts_with(&format!("{name}="))
            || option.starts_with(&format!("{name} "))
    })
}

/// ` <option>` for each stored option that applies: comments skipped, `--restart` only at
/// deploy, links and volumes not for image builders, `--file`/`--build-args` not for
/// herokuish.
fn emit(phase: &str, source_type: &str, options: &[String]) {
    let mut out = String::new();
    for option in options {
        let option = option.trim();
        if option.is_empty() || option.starts_with('#') {
            continue;
        }
        if option.starts_with("--restart") {
            if phase == "deploy" {
                out.push(' ');
                out.push_str(option);
            }
            continue;
        }
        let filtered = match source_type {
            "dockerfile" | "nixpacks" | "railpack" => {
                starts_with_option(option, &["--link", "-v", "--volume"])
            }
            "herokuish" => starts_with_option(option, &["--file", "--build-args"]),
            _ => false,
        };
        if !filtered {
            out.push(' ');
            out.push_str(option);
        }
    }
    dokku_common::log::write_stdout(&out);
}

/// `docker-args-<phase> <app> <second argument>`: the default scope's options. The second
/// argument is used as the image source type for filtering, whatever the caller passes
/// there (the image tag, for deploy and run), as upstream does.
fn docker_args(phase: &str, args: &[String]) -> Result<()> {
    pass_stdin()?;
    let options = options::get(nth(args, 0), DEFAULT_PROCESS_TYPE, phase)?;
    emit(phase, nth(args, 1), &options);
    Ok(())
}

pub fn docker_args_build(args: &[String]) -> Result<()> {
    docker_args("build", args)
}

pub fn docker_args_deploy(args: &[String]) -> Result<()> {
    docker_args("deploy", args)
}

pub fn docker_args_run(args: &[String]) -> Result<()> {
    docker_args("run", args)
}

/// `docker-args-process-deploy <app> <source-type> <image-tag> [<proc> <index>]`: the
/// process scope's deploy options (the default scope comes from `docker-args-deploy`).
pub fn docker_args_process_deploy(args: &[String]) -> Result<()> {
    pass_stdin()?;
    let process_type = nth(args, 3);
    if process_type.is_empty() || process_type == DEFAULT_PROCESS_TYPE {
        return Ok(());
    }
    let options = options::get(nth(args, 0), process_type, "deploy")?;
    emit("deploy", nth(args, 1), &options);
    Ok(())
}

/// `install`: the property directory and the one-time migrations.
pub fn install(_args: &[String]) -> Result<()> {
    Store::from_env().setup(PLUGIN).map_err(|e| {
        Error::new(format!(
            "Unable to install the docker-options plugin: {}",
            e.message()
        ))
    })?;
    crate::migrate::legacy_files().map_err(|e| {
        Error::new(format!(
            "Unable to migrate legacy docker-options files: {}",
            e.message()
        ))
    })?;
    crate::migrate::traefik_backticks().map_err(|e| {
        Error::new(format!(
            "Unable to repair docker-options label backticks: {}",
            e.message()
        ))
    })?;
    crate::migrate::canonical_options().map_err(|e| {
        Error::new(format!(
            "Unable to rewrite docker-options into canonical form: {}",
            e.message()
        ))
    })
}

/// `post-app-clone-setup <old> <new>`.
pub fn post_app_clone_setup(args: &[String]) -> Result<()> {
    property::clone_setup_trigger(PLUGIN, args)
}

/// `post-app-rename-setup <old> <new>`.
pub fn post_app_rename_setup(args: &[String]) -> Result<()> {
    property::rename_setup_trigger(PLUGIN, args)
}

/// `post-delete <app>`.
pub fn post_delete(args: &[String]) -> Result<()> {
    property::delete_trigger(PLUGIN, args)
}

/// `report <app>`.
pub fn report(args: &[String]) -> Result<()> {
    crate::report::single(nth(args, 0), "", None)
}
