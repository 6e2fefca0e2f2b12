//! The `storage` core plugin: named storage entries (`data/storage-registry/entries/*.json`,
//! host directories under `data/storage`), their attachments to apps (the `mounts` list
//! property), the `-v` arguments the deploy gets from them, and the legacy `-v`
//! docker-options migration. One binary, dispatched on the name it runs under; the three
//! root helpers in `bin/` are small shell scripts.

mod app_cmd;
mod attachment;
mod dirs;
mod docker_options;
mod entries_cmd;
mod entry;
mod gojson;
mod metadata;
mod migrate;
mod mounts;
mod sha1;
mod triggers;

use dokku_common::plugin::{self, PluginSpec};
use dokku_common::Result;

const DESCRIPTION: &str = "Manage mounted volumes";
/// `usage, description` lines, in upstream's order.
const HELP: &[&str] = &[
    "storage:annotations:report [<name>] [<flag>], Displays annotations for one or more storage entries",
    "storage:annotations:set <name> <key> [<value>], Set or clear an annotation on a storage entry",
    "storage:create <name> [<path>] [flags], Register a named storage entry",
    "storage:destroy <name> [--force] [--destroy-host-dir], Remove a named storage entry (must be unmounted from every app first)",
    "storage:ensure-directory [--chown option] <directory>, [DEPRECATED] use storage:create instead",
    "storage:exec <name> [-- <cmd>...], Run a command (or shell) in a temporary container that mounts the entry",
    "storage:info <name> [--format text|json], Show details for one storage entry",
    "storage:labels:report [<name>] [<flag>], Displays labels for one or more storage entries",
    "storage:labels:set <name> <key> [<value>], Set or clear a label on a storage entry",
    "storage:list <app> [--format text|json], List bind mounts for app's container(s) (host:container)",
    "storage:list-entries [--scheduler s] [--format text|json], List registered storage entries",
    "storage:migrate [<app>|--all], Re-run the legacy -v to attachment migration for an app",
    "storage:mount <app> <host-dir:container-dir>, Create a new bind mount",
    "storage:report [<app>] [<flag>], Displays a storage report for one or more apps",
    "storage:set <name> <property> [<value>], Update a storage entry in place",
    "storage:unmount <app> <host-dir:container-dir>, Remove an existing bind mount",
    "storage:wait <name>, Wait for a storage entry's PVC to be bound (k3s)",
];

/// `subcommands/default` (bare `dokku storage`): the usage.
fn default(_args: &[String]) -> Result<()> {
    plugin::go_commands("storage", DESCRIPTION, HELP, &["storage".to_string()])
}

fn annotations_set(args: &[String]) -> Result<()> {
    metadata::set(&metadata::ANNOTATIONS, args)
}

fn annotations_report(args: &[String]) -> Result<()> {
    metadata::report(&metadata::ANNOTATIONS, args)
}

fn labels_set(args: &[String]) -> Result<()> {
    metadata::set(&metadata::LABELS, args)
}

fn labels_report(args: &[String]) -> Result<()> {
    metadata::report(&metadata::LABELS, args)
}

static SPEC: PluginSpec = PluginSpec {
    name: "storage",
    description: DESCRIPTION,
    help: &[],
    subcommands: &[
        ("annotations:report", annotations_report),
        ("annotations:set", annotations_set),
        ("create", entries_cmd::create),
        ("default", default),
        ("destroy", entries_cmd::destroy),
        ("ensure-directory", app_cmd::ensure_directory),
        ("exec", entries_cmd::exec),
        ("info", entries_cmd::info),
        ("labels:report", labels_report),
        ("labels:set", labels_set),
        ("list", app_cmd::list),
        ("list-entries", entries_cmd::list_entries),
        ("migrate", app_cmd::migrate),
        ("mount", app_cmd::mount),
        ("report", app_cmd::report),
        ("set", entries_cmd::set),
        ("unmount", app_cmd::unmount),
        ("wait", entries_cmd::wait),
    ],
    triggers: &[
        ("docker-args-deploy", triggers::docker_args_deploy),
        ("docker-args-run", triggers::docker_args_run),
        ("install", triggers::install),
        ("post-app-clone-setup", triggers::post_app_clone_setup),
        ("post-app-rename-setup", triggers::post_app_rename_setup),
        ("post-delete", triggers::post_delete),
        ("storage-app-mounts", triggers::storage_app_mounts),
        ("storage-list", triggers::storage_list),
    ],
    aliases: &[],
    commands: None,
};

/// The binary's entry point; also called in-process by the `dokku` entry point.
pub fn main() {
    plugin::go_main(&SPEC, HELP)
}
