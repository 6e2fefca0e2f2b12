//! `builder-pack` through the real `dokku` entry point and its trigger links in a temporary install.
//! The checks every builder plugin shares live in `builder/tests/support`.

#[path = "../../builder/tests/support/mod.rs"]
mod support;

use support::*;

const PLUGIN: Builder = Builder {
    plugin: "builder-pack",
    builder: "pack",
    alias: "pack",
    property: "projecttoml-path",
    default: "project.toml",
    file: Some("project.toml"),
    missing_fails: false,
    data_dir: false,
};

#[test]
fn help() {
    check_help(&PLUGIN);
}

#[test]
fn set() {
    check_set(&PLUGIN);
}

#[test]
fn set_errors() {
    check_set_errors(&PLUGIN);
}

#[test]
fn report() {
    check_report(&PLUGIN);
}

#[test]
fn report_layout() {
    let root = root_with_app();
    root.dokku(&["builder-pack:report", "web"])
        .ok()
        .stderr("")
        .stdout(
            "=====> web builder-pack information\n\
         \x20      Builder pack computed projecttoml path: project.toml\n\
         \x20      Builder pack global projecttoml path:   \n\
         \x20      Builder pack projecttoml path:          \n",
        );
    root.dokku(&["builder-pack:set", "--global", "projecttoml-path", "g"])
        .ok();
    root.dokku(&["builder-pack:report", "--global"])
        .ok()
        .stdout(
            "=====> --global builder-pack information\n\
         \x20      Builder pack computed projecttoml path: g\n\
         \x20      Builder pack global projecttoml path:   g\n",
        );
}

#[test]
fn lifecycle() {
    check_lifecycle(&PLUGIN);
}

#[test]
fn detect() {
    check_detect_file(&PLUGIN);
}

#[test]
fn post_extract() {
    check_post_extract(&PLUGIN);
}

#[test]
fn docker_args_process() {
    let root = root_with_app();
    let run = |trigger: &str, args: &[&str], input: &[u8]| {
        let mut all = vec![trigger, "web"];
        all.extend_from_slice(args);
        hook_stdin(&root, "builder-pack", &all, input)
    };
    for trigger in ["docker-args-process-deploy", "docker-args-process-run"] {
        // Other source types: stdin is read and nothing at all is printed.
        run(trigger, &["dockerfile", "latest", "web", "1"], b"--x")
            .ok()
            .stdout("")
            .stderr("");
        // Pack images start through `launcher`.
        run(trigger, &["pack", "latest"], b"--x\n")
            .ok()
            .stdout("--x  --entrypoint launcher");
        run(trigger, &["pack", "", "web"], b"")
            .ok()
            .stdout("  --entrypoint launcher");
        // A process without a Procfile command keeps the image's own entrypoint.
        run(trigger, &["pack", "latest", "web", "1"], b"--x")
            .ok()
            .stdout("--x ");
    }
    add_plugin(
        &root,
        "fakeproc",
        &[(
            "procfile-get-command",
            "echo 'oops' >&2; [[ \"$2\" == web && \"$3\" == 5000 ]] && echo 'bin/web'",
        )],
    );
    run(
        "docker-args-process-deploy",
        &["pack", "latest", "web", "1"],
        b"--x",
    )
    .ok()
    .stdout("--x  --entrypoint launcher")
    .stderr("");
    run(
        "docker-args-process-deploy",
        &["pack", "latest", "worker", "1"],
        b"",
    )
    .ok()
    .stdout(" ");
}
