//! The triggers the resource plugin implements.

use std::collections::BTreeMap;
use std::io::{Read, Write};

use dokku_common::args::nth;
use dokku_common::property::{self, Store};
use dokku_common::{log, report, Error, Result};

use crate::resources::{self, DEFAULT_PROCESS_TYPE, PLUGIN};

fn read_stdin() -> Result<Vec<u8>> {
    let mut input = Vec::new();
    std::io::stdin().read_to_end(&mut input)?;
    Ok(input)
}

fn write_raw(bytes: &[u8]) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(bytes);
    let _ = out.flush();
}

fn omitted() -> bool {
    dokku_common::env::var("DOKKU_OMIT_RESOURCE_ARGS").as_deref() == Some("1")
}

/// The docker flag name of a resource.
fn flag_name(key: &str) -> &str {
    match key {
        "cpu" => "cpus",
        "nvidia-gpu" => "gpus",
        other => other,
    }
}

/// ` --<flag>=<value> ` per non-empty value (memory without a unit in megabytes), in flag
/// order (upstream's order is a map's, i.e. random).
fn render(limits: &BTreeMap<String, String>, suffix: &str) -> String {
    limits
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!(" --{k}{suffix}={} ", resources::docker_value(k, v)))
        .collect()
}

/// `docker-args-process-deploy <app> <source-type> <image-tag> [<proc> <index>]`: the
/// `_default_` limits and reservations, overridden by the process type's, before stdin.
pub fn docker_args_process_deploy(args: &[String]) -> Result<()> {
    let stdin = read_stdin()?;
    if omitted() {
        write_raw(&stdin);
        return Ok(());
    }
    let Ok(all) = resources::all(nth(args, 0)) else {
        write_raw(&stdin);
        return Ok(());
    };
    let mut limits = BTreeMap::new();
    let mut reservations = BTreeMap::new();
    for prefix in [
        format!("{DEFAULT_PROCESS_TYPE}."),
        format!("{}.", nth(args, 3)),
    ] {
        for (key, value) in &all {
            let Some(rest) = key.strip_prefix(&prefix) else {
                continue;
            };
            match rest.split_once('.') {
                Some(("limit", k))
                    if matches!(k, "cpu" | "nvidia-gpu" | "memory" | "memory-swap") =>
                {
                    limits.insert(flag_name(k).to_string(), value.clone());
                }
                Some(("reserve", "memory")) => {
                    reservations.insert("memory".to_string(), value.clone());
                }
                _ => {}
            }
        }
    }
    let mut out = render(&limits, "").into_bytes();
    out.extend(render(&reservations, "-reservation").into_bytes());
    out.extend(stdin);
    write_raw(&out);
    Ok(())
}

/// The build-phase limits a builder can apply (none: the builder does not support them).
fn build_limits(builder: &str) -> &'static [&'static str] {
    match builder {
        "herokuish" => &["cpu", "memory", "memory-swap", "nvidia-gpu"],
        "dockerfile" => &["memory", "memory-swap"],
        _ => &[],
    }
}

/// `docker-args-process-build <app> <builder-type>`: the `build` process type's limits the
/// builder supports, before stdin.
pub fn docker_args_process_build(args: &[String]) -> Result<()> {
    let stdin = read_stdin()?;
    let allowed = build_limits(nth(args, 1));
    if omitted() || allowed.is_empty() {
        write_raw(&stdin);
        return Ok(());
    }
    let Ok(all) = resources::all(nth(args, 0)) else {
        write_raw(&stdin);
        return Ok(());
    };
    let limits: BTreeMap<String, String> = all
        .iter()
        .filter_map(|(key, value)| {
            let k = key.strip_prefix("build.limit.")?;
            allowed
                .contains(&k)
                .then(|| (flag_name(k).to_string(), value.clone()))
        })
        .collect();
    let mut out = render(&limits, "").into_bytes();
    out.extend(stdin);
    write_raw(&out);
    Ok(())
}

/// `resource-get-property <app> <proc> <limit|reserve> <resource>`.
pub fn resource_get_property(args: &[String]) -> Result<()> {
    let value = resources::get_value(nth(args, 0), nth(args, 1), nth(args, 2), nth(args, 3))?;
    log::log(&value);
    Ok(())
}

/// `install`: the property directory.
pub fn install(_args: &[String]) -> Result<()> {
    Store::from_env().setup(PLUGIN).map_err(|e| {
        Error::new(format!(
            "Unable to install the resource plugin: {}",
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
    report::report_one(&resources::ResourceReport, nth(args, 0), "", None)
}
