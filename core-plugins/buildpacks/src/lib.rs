//! The `buildpacks` core plugin: the buildpack list and stack of an app, written into the
//! source being built as `.buildpacks` (`post-extract`) and handed to the herokuish and pack
//! builders (`buildpack-stack-name`). One binary, dispatched on the name it runs under.
//! `buildpacks:detect` (herokuish detection in a container) is not provided.

mod report;
mod state;
mod subcommands;
mod triggers;
mod url;

use dokku_common::plugin::{self, Entry, PluginSpec};

const DESCRIPTION: &str = "Manage buildpacks settings for an app";
/// What `dokku help` shows; upstream words it differently from the usage text.
const SUMMARY: &str = "\n    buildpacks, Manage buildpack settings for an app\n";
/// `usage, description` lines, in upstream's order.
const HELP: &[&str] = &[
    "buildpacks:add [--index 1] <app> <buildpack>, Add new app buildpack while inserting into list of buildpacks if necessary",
    "buildpacks:clear <app>, Clear all buildpacks set on the app",
    "buildpacks:detect <app> [--branch <branch-name>], Detect the buildpack for an app (if not specified, the branch flag defaults to the deploy branch)",
    "buildpacks:list <app>, List all buildpacks for an app",
    "buildpacks:remove <app> <buildpack>, Remove a buildpack set on the app",
    "buildpacks:report [<app>] [<flag>], Displays a buildpack report for one or more apps",
    "buildpacks:set [--index 1] <app> <buildpack>, Set new app buildpack at a given position defaulting to the first buildpack if no index is specified",
    "buildpacks:set --replace <app> <buildpack> [<buildpack> ...], Replace the entire ordered buildpack list with the specified buildpacks",
    "buildpacks:set-property [--global|<app>] <key> <value>, Set or clear a buildpacks property for an app",
];

static SPEC: PluginSpec = PluginSpec {
    name: "buildpacks",
    description: DESCRIPTION,
    help: &[],
    subcommands: &[
        ("add", subcommands::add),
        ("clear", subcommands::clear),
        ("list", subcommands::list),
        ("remove", subcommands::remove),
        ("report", subcommands::report),
        ("set", subcommands::set),
        ("set-property", subcommands::set_property),
    ],
    triggers: &[
        ("buildpack-stack-name", triggers::buildpack_stack_name),
        ("install", triggers::install),
        ("post-app-clone-setup", triggers::post_app_clone_setup),
        ("post-app-rename-setup", triggers::post_app_rename_setup),
        ("post-delete", triggers::post_delete),
        ("post-extract", triggers::post_extract),
        ("report", triggers::report),
    ],
    aliases: &[],
    commands: None,
};

/// The `commands` entry: upstream's Go layout, with its own `help` summary line.
fn commands(args: &[String]) -> dokku_common::Result<()> {
    if args.first().map(String::as_str) == Some("help") && !plugin::parent_cmdline_has_all() {
        dokku_common::log::write_stdout(SUMMARY);
        return Ok(());
    }
    plugin::go_commands("buildpacks", DESCRIPTION, HELP, args)
}

/// The binary's entry point; also called in-process by the `dokku` entry point.
pub fn main() {
    plugin::init_process();
    let argv = plugin::argv();
    let argv0 = argv.first().map(String::as_str).unwrap_or("");
    if plugin::classify(argv0) == Entry::Commands {
        plugin::exit(commands(argv.get(1..).unwrap_or(&[])));
    }
    plugin::exit(SPEC.dispatch(&argv))
}
