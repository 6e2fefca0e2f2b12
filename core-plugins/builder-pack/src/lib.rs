//! The `builder-pack` core plugin (Cloud Native Buildpacks): the `projecttoml-path` setting,
//! detection of a `project.toml`, the `core-post-extract` move of the configured file to
//! `project.toml` (or its removal when the configured file is absent), and the `launcher`
//! entrypoint pack images run through. Everything but the declaration and that docker-args
//! trigger is shared with the other builders (`dokku_common::builder_settings`); the build
//! itself comes with the deploy pipeline.

use dokku_common::args::nth;
use dokku_common::builder_settings::{self, ConfigFile, Detect, Fallback, Missing, Settings};
use dokku_common::{log, Result};
use plugn::trigger::{Options, Stdin};

static SETTINGS: Settings = Settings {
    plugin: "builder-pack",
    builder: "pack",
    property: "projecttoml-path",
    fallback: Fallback::Value("project.toml"),
    config_file: Some(ConfigFile {
        name: "project.toml",
        missing: Missing::RemoveDefault,
    }),
    detect: Some(Detect {
        file: "project.toml",
        unless: &[],
    }),
    data_dir: false,
    triggers: &[
        ("docker-args-process-deploy", docker_args_process),
        ("docker-args-process-run", docker_args_process),
    ],
};

/// `docker-args-process-{deploy,run} <app> <source-type> <image-tag> [<proc-type> …]`, stdin
/// passed through. A pack image starts its processes through `launcher`; only a named process
/// with no Procfile command keeps the image's own entrypoint. Like upstream, the hook reads
/// its stdin even for other source types and then prints nothing at all.
fn docker_args_process(args: &[String]) -> Result<()> {
    let stdin = builder_settings::read_stdin();
    let (app, source_type, tag, proc_type) =
        (nth(args, 0), nth(args, 1), nth(args, 2), nth(args, 3));
    if source_type != "pack" {
        return Ok(());
    }
    let keep_entrypoint =
        !tag.is_empty() && !proc_type.is_empty() && procfile_command(app, proc_type).is_empty();
    let extra = if keep_entrypoint {
        ""
    } else {
        " --entrypoint launcher"
    };
    log::write_stdout(&format!("{stdin} {extra}"));
    Ok(())
}

/// `$(plugn trigger procfile-get-command <app> <proc> 5000 2>/dev/null || echo '')`.
fn procfile_command(app: &str, proc_type: &str) -> String {
    let opts = Options {
        stdin: Stdin::Null,
        capture_stdout: true,
        capture_stderr: true,
        env: Vec::new(),
    };
    let tree = dokku_common::trigger::tree();
    match plugn::trigger::run(
        &tree,
        "procfile-get-command",
        &[app, proc_type, "5000"],
        &opts,
    ) {
        Ok(out) => String::from_utf8_lossy(&out.stdout)
            .trim_end_matches('\n')
            .to_string(),
        Err(_) => String::new(),
    }
}

/// The binary's entry point; also called in-process by the `dokku` entry point.
pub fn main() {
    builder_settings::main(&SETTINGS)
}
