//! The core plugins linked into the entry point.
//!
//! A command ends by exec'ing its subcommand file. When that file is a core plugin's own
//! binary (installed by dokku-rs, not replaced by the operator), the same code is already
//! linked here, so it is run in-process: one program start per command instead of two.
//! Triggers and `commands` fallbacks still run the plugins' binaries (they return to us).

use std::env;
use std::fs;
use std::os::unix::fs::MetadataExt;
use std::path::Path;

/// A core plugin: its directory name, the binary it installs and its entry point.
pub struct Builtin {
    pub dir: &'static str,
    pub binary: &'static str,
    pub main: fn(),
}

macro_rules! builtins {
    ($($dir:literal, $binary:literal => $krate:ident,)*) => {
        pub const BUILTINS: &[Builtin] = &[
            $(Builtin { dir: $dir, binary: $binary, main: $krate::main },)*
        ];
    };
}

builtins! {
    "00_dokku-standard", "dokku-standard"              => core_plugin_dokku_standard,
    "20_events", "events"                              => core_plugin_events,
    "app-json", "app-json"                             => core_plugin_app_json,
    "apps", "apps"                                     => core_plugin_apps,
    "builder", "builder"                               => core_plugin_builder,
    "builder-dockerfile", "builder-dockerfile"         => core_plugin_builder_dockerfile,
    "builder-herokuish", "builder-herokuish"           => core_plugin_builder_herokuish,
    "builder-lambda", "builder-lambda"                 => core_plugin_builder_lambda,
    "builder-nixpacks", "builder-nixpacks"             => core_plugin_builder_nixpacks,
    "builder-pack", "builder-pack"                     => core_plugin_builder_pack,
    "builder-railpack", "builder-railpack"             => core_plugin_builder_railpack,
    "buildpacks", "buildpacks"                         => core_plugin_buildpacks,
    "builds", "builds"                                 => core_plugin_builds,
    "caddy-vhosts", "caddy-vhosts"                     => core_plugin_caddy_vhosts,
    "certs", "certs"                                   => core_plugin_certs,
    "checks", "checks"                                 => core_plugin_checks,
    "common", "common"                                 => core_plugin_common,
    "config", "config"                                 => core_plugin_config,
    "cron", "dokku-cron"                               => core_plugin_cron,
    "docker-options", "docker-options"                 => core_plugin_docker_options,
    "domains", "domains"                               => core_plugin_domains,
    "git", "dokku-git"                                 => core_plugin_git,
    "haproxy-vhosts", "haproxy-vhosts"                 => core_plugin_haproxy_vhosts,
    "logs", "dokku-logs"                               => core_plugin_logs,
    "network", "network"                               => core_plugin_network,
    "nginx-vhosts", "nginx-vhosts"                     => core_plugin_nginx_vhosts,
    "openresty-vhosts", "openresty-vhosts"             => core_plugin_openresty_vhosts,
    "plugin", "plugin"                                 => core_plugin_plugin,
    "ports", "ports"                                   => core_plugin_ports,
    "proxy", "proxy"                                   => core_plugin_proxy,
    "ps", "dokku-ps"                                   => core_plugin_ps,
    "registry", "registry"                             => core_plugin_registry,
    "repo", "repo"                                     => core_plugin_repo,
    "resource", "resource"                             => core_plugin_resource,
    "scheduler", "scheduler"                           => core_plugin_scheduler,
    "scheduler-docker-local", "scheduler-docker-local" => core_plugin_scheduler_docker_local,
    "shell", "dokku-shell"                             => core_plugin_shell,
    "ssh-keys", "ssh-keys"                             => core_plugin_ssh_keys,
    "storage", "storage"                               => core_plugin_storage,
    "trace", "trace"                                   => core_plugin_trace,
    "traefik-vhosts", "traefik-vhosts"                 => core_plugin_traefik_vhosts,
}

/// Set to `1` to exec every subcommand file, as upstream does (for comparing the two paths).
pub const EXEC_ENV: &str = "DOKKU_RS_EXEC_SUBCOMMANDS";

/// The linked entry point that `subcommand` (a file `<enabled>/<plugin>/subcommands/<cmd>`)
/// would run: only when the plugin directory is the core plugin's and the file is, after
/// symlinks, the very binary that plugin installed.
pub fn entry_for(subcommand: &Path) -> Option<fn()> {
    if env::var_os(EXEC_ENV).is_some_and(|v| v == "1") {
        return None;
    }
    let plugin_dir = subcommand.parent()?.parent()?;
    let name = plugin_dir.file_name()?.to_str()?;
    let builtin = BUILTINS.iter().find(|b| b.dir == name)?;
    let core = env::var_os("PLUGIN_CORE_AVAILABLE_PATH")?;
    let core_dir = Path::new(&core).join(name);
    let same = |a: &Path, b: &Path| match (fs::metadata(a), fs::metadata(b)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    };
    (same(plugin_dir, &core_dir) && same(subcommand, &core_dir.join(builtin.binary)))
        .then_some(builtin.main)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The table must list every core plugin of the workspace with the binary its
    /// plugin.toml installs.
    #[test]
    fn table_matches_the_core_plugins() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../core-plugins");
        let mut found = Vec::new();
        for entry in fs::read_dir(&root).unwrap() {
            let dir = entry.unwrap().path();
            let Ok(text) = fs::read_to_string(dir.join("plugin.toml")) else {
                continue;
            };
            let binary = text
                .lines()
                .find_map(|l| l.strip_prefix("binary = "))
                .map(|v| v.trim_matches('"').to_string())
                .unwrap();
            found.push((dir.file_name().unwrap().to_string_lossy().into_owned(), binary));
        }
        found.sort();
        let table: Vec<(String, String)> = BUILTINS
            .iter()
            .map(|b| (b.dir.to_string(), b.binary.to_string()))
            .collect();
        assert_eq!(table, found);
    }
}
