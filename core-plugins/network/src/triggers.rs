//! The triggers the network plugin implements. Triggers that write files check the app name
//! and the other path components first.

use std::io::Read;

use dokku_common::args::nth;
use dokku_common::property::{self, Store};
use dokku_common::{app, docker, log, report, scheduler, trigger, Error, Paths, Result};

use crate::network::{self, PLUGIN};
use crate::networks;

/// `docker-args-process-{build,deploy,run} <app> <source-type> …`: ` --network=<initial> `
/// before the arguments read on stdin; nothing for Dockerfile builds.
fn docker_args(stage: &str, args: &[String]) -> Result<()> {
    let mut stdin = Vec::new();
    std::io::stdin().read_to_end(&mut stdin)?;
    let stdin = String::from_utf8_lossy(&stdin);
    if !(stage == "build" && nth(args, 1) == "dockerfile") {
        let initial = network::computed(nth(args, 0), "initial-network");
        if !initial.is_empty() {
            log::write_stdout(&format!(" --network={initial} "));
        }
    }
    log::write_stdout(&stdin);
    Ok(())
}

pub fn docker_args_process_build(args: &[String]) -> Result<()> {
    docker_args("build", args)
}

pub fn docker_args_process_deploy(args: &[String]) -> Result<()> {
    docker_args("deploy", args)
}

pub fn docker_args_process_run(args: &[String]) -> Result<()> {
    docker_args("run", args)
}

/// `install`: the property directory, and `bind-all-interfaces` for every app that has none
/// yet, from what `proxy-is-enabled` answers (its output is shown, as upstream streams it).
pub fn install(_args: &[String]) -> Result<()> {
    let store = Store::from_env();
    store.setup(PLUGIN).map_err(|e| {
        Error::new(format!(
            "Unable to install the network plugin: {}",
            e.message()
        ))
    })?;
    let Ok(apps) = app::unfiltered_apps() else {
        return Ok(());
    };
    for name in apps {
        if store.exists(PLUGIN, &name, "bind-all-interfaces") {
            continue;
        }
        // Upstream only looks at whether the trigger failed, not at what it printed.
        let status = trigger::Trigger::new("proxy-is-enabled")
            .arg(&name)
            .go_stdin()
            .status()
            .unwrap_or(1);
        let value = if status == 0 { "true" } else { "false" };
        log::verbose_quiet(&format!(
            "Setting network property 'bind-all-interfaces' to {value}"
        ));
        if let Err(e) = store.set(PLUGIN, &name, "bind-all-interfaces", value) {
            log::warn(e.message());
        }
    }
    Ok(())
}

/// `network-build-config <app>`.
pub fn network_build_config(args: &[String]) -> Result<()> {
    network::build_config(nth(args, 0))
}

/// `network-config-exists <app>`: `true` or `false`.
pub fn network_config_exists(args: &[String]) -> Result<()> {
    log::log(if network::has_network_config(nth(args, 0)) {
        "true"
    } else {
        "false"
    });
    Ok(())
}

/// `network-get-ipaddr <app> <proc> <container-id>`.
pub fn network_get_ipaddr(args: &[String]) -> Result<()> {
    log::log(&network::container_ip(
        nth(args, 0),
        nth(args, 1),
        nth(args, 2),
    ));
    Ok(())
}

/// `network-get-listeners <app> <proc>`: space-separated `ip:port` listeners.
pub fn network_get_listeners(args: &[String]) -> Result<()> {
    let mut process_type = nth(args, 1);
    if process_type.is_empty() {
        log::warn("Deprecated: Please specify a processType argument for the network-get-listeners plugin trigger");
        process_type = "web";
    }
    log::log(&network::listeners(nth(args, 0), process_type).join(" "));
    Ok(())
}

/// `network-get-property <app> <property>`: the computed value.
pub fn network_get_property(args: &[String]) -> Result<()> {
    let (name, property) = (nth(args, 0), nth(args, 1));
    let value = match property {
        "bind-all-interfaces" => network::computed_bind_all_interfaces(name),
        "attach-post-create" | "attach-post-deploy" | "initial-network" | "tld" => {
            network::computed(name, property)
        }
        _ => {
            return Err(Error::new(format!(
                "Invalid network property specified: {property}"
            )))
        }
    };
    log::log(&value);
    Ok(())
}

/// `network-get-static-listeners <app> <proc>`: the static web listener.
pub fn network_get_static_listeners(args: &[String]) -> Result<()> {
    log::log(&network::static_web_listener(nth(args, 0)));
    Ok(())
}

/// A path component from a trigger argument: no `/`, not `.`/`..`, not empty.
fn component<'a>(kind: &str, value: &'a str) -> Result<&'a str> {
    if value.is_empty() || value == "." || value == ".." || value.contains(['/', '\0']) {
        return Err(Error::new(format!("Invalid {kind} specified: {value}")));
    }
    Ok(value)
}

/// Write `<app root>/<prefix>.<proc>.<index>` with `value` (no newline), as upstream's
/// `os.Create` + write does; the app directory must exist.
fn write_app_file(args: &[String], prefix: &str) -> Result<()> {
    let name = nth(args, 0);
    app::check_name(name)?;
    let process_type = component("process type", nth(args, 1))?;
    let index = component("container index", nth(args, 2))?;
    let path = Paths::from_env()
        .app_root(name)
        .join(format!("{prefix}.{process_type}.{index}"));
    dokku_common::fs::write_atomic(&path, nth(args, 3).as_bytes(), 0o644)
        .map_err(|e| Error::new(format!("open {}: {}", path.display(), go_errno(&e))))
}

/// The text Go prints for an OS error (`no such file or directory`, …).
fn go_errno(err: &std::io::Error) -> String {
    match err.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => err.to_string(),
    }
}

/// `network-write-ipaddr <app> <proc> <index> <ip>`: `IP.<proc>.<index>`.
pub fn network_write_ipaddr(args: &[String]) -> Result<()> {
    write_app_file(args, "IP")
}

/// `network-write-port <app> <proc> <index> <port>`: `PORT.<proc>.<index>`.
pub fn network_write_port(args: &[String]) -> Result<()> {
    write_app_file(args, "PORT")
}

/// `post-app-clone-setup <old> <new>`: the copy starts without the old app's IP/PORT
/// files, with its properties.
pub fn post_app_clone_setup(args: &[String]) -> Result<()> {
    let (_, new) = property::app_pair(args)?;
    if !network::clear_network_config(new) {
        return Err(Error::silent(1));
    }
    property::clone_setup_trigger(PLUGIN, args)
}

/// `post-app-rename-setup <old> <new>`: as clone, then the old properties go.
pub fn post_app_rename_setup(args: &[String]) -> Result<()> {
    let (_, new) = property::app_pair(args)?;
    if !network::clear_network_config(new) {
        return Err(Error::silent(1));
    }
    property::rename_setup_trigger(PLUGIN, args)
}

/// `post-container-create <type> <container-id> <app> <phase> [<proc>]`: attach app
/// containers to the `attach-post-create` networks, each of which must exist.
pub fn post_container_create(args: &[String]) -> Result<()> {
    let (kind, container_id, name, phase, process_type) = (
        nth(args, 0),
        nth(args, 1),
        nth(args, 2),
        nth(args, 3),
        nth(args, 4),
    );
    if kind != "app" {
        return Ok(());
    }
    let list = network::computed(name, "attach-post-create");
    if list.is_empty() {
        return Ok(());
    }
    for network_name in list.split(',') {
        if !networks::exists(network_name)? {
            return Err(Error::new(format!("Network {network_name} does not exist")));
        }
        networks::attach(container_id, network_name, name, phase, process_type)?;
    }
    Ok(())
}

/// `post-delete <app>`: remove the app's properties.
pub fn post_delete(args: &[String]) -> Result<()> {
    property::delete_trigger(PLUGIN, args)
}

/// The running containers of a deployed app, from its `CONTAINER.*` files.
fn running_containers(name: &str) -> Result<Vec<String>> {
    if !scheduler::is_deployed(name) {
        return Err(Error::new(format!("App {name} has not been deployed")));
    }
    app::check_name(name)?;
    let root = Paths::from_env().app_root(name);
    let mut files: Vec<String> = std::fs::read_dir(&root)
        .map(|entries| {
            entries
                .flatten()
                .filter_map(|e| e.file_name().into_string().ok())
                .filter(|n| n.starts_with("CONTAINER."))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    // The pre-scale single `CONTAINER` file comes first, as upstream lists it.
    if root.join("CONTAINER").is_file() {
        files.insert(0, "CONTAINER".to_string());
    }
    Ok(files
        .iter()
        .map(|f| network::read_first_line(&root.join(f)))
        .filter(|cid| docker::container_is_running(cid))
        .collect())
}

/// `core-post-deploy <app> …`: attach the running containers to the `attach-post-deploy`
/// networks, with the deploy aliases.
pub fn core_post_deploy(args: &[String]) -> Result<()> {
    let name = nth(args, 0);
    let list = network::computed(name, "attach-post-deploy");
    if list.is_empty() {
        return Ok(());
    }
    for network_name in list.split(',') {
        log::info1_quiet(&format!("Associating app with network {network_name}"));
        let containers = running_containers(name)?;
        if !networks::exists(network_name)? {
            return Err(Error::new(format!("Network {network_name} does not exist")));
        }
        for cid in containers {
            let process_type =
                docker::inspect(&cid, "{{ index .Config.Labels \"com.dokku.process-type\"}}")?;
            networks::attach(&cid, network_name, name, "deploy", &process_type)?;
        }
    }
    Ok(())
}

/// `report <app>`.
pub fn report(args: &[String]) -> Result<()> {
    report::report_one(&crate::report::NetworkReport, nth(args, 0), "", None)
}
