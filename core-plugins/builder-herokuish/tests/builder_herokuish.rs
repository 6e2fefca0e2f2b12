//! `builder-herokuish` through the real `dokku` entry point and its trigger links in a temporary install.
//! The checks every builder plugin shares live in `builder/tests/support`.

#[path = "../../builder/tests/support/mod.rs"]
mod support;

use support::*;

const PLUGIN: Builder = Builder {
    plugin: "builder-herokuish",
    builder: "herokuish",
    alias: "herokuish",
    property: "allowed",
    default: "true",
    file: None,
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
    root.dokku(&["builder-herokuish:report", "web"])
        .ok()
        .stderr("")
        .stdout(
            "=====> web builder-herokuish information\n\
         \x20      Builder herokuish allowed:          \n\
         \x20      Builder herokuish computed allowed: true\n\
         \x20      Builder herokuish global allowed:   \n",
        );
    root.dokku(&["builder-herokuish:set", "--global", "allowed", "g"])
        .ok();
    root.dokku(&["builder-herokuish:report", "--global"])
        .ok()
        .stdout(
            "=====> --global builder-herokuish information\n\
         \x20      Builder herokuish computed allowed: g\n\
         \x20      Builder herokuish global allowed:   g\n",
        );
}

#[test]
fn lifecycle() {
    check_lifecycle(&PLUGIN);
}

fn detect(root: &Root, dir: &std::path::Path) -> Run {
    hook(
        root,
        "builder-herokuish",
        &["builder-detect", "web", dir.to_str().unwrap()],
    )
}

#[test]
fn detection() {
    let root = root_with_app();
    let herokuish = "herokuish\n";
    detect(&root, &source(&root, &[".buildpacks"]))
        .ok()
        .stdout(herokuish)
        .stderr("");
    let dotenv = source(&root, &[]);
    std::fs::write(dotenv.join(".env"), "A=1\nBUILDPACK_URL=https://x\n").unwrap();
    detect(&root, &dotenv).ok().stdout(herokuish);
    std::fs::write(dotenv.join(".env"), "A=1\n").unwrap();
    detect(&root, &dotenv).ok().stdout("");
    let plain = source(&root, &["Dockerfile", ".buildpacks/"]);
    detect(&root, &plain).ok().stdout("");
    root.dokku(&[
        "config:set",
        "--no-restart",
        "web",
        "BUILDPACK_URL=https://x",
    ])
    .ok();
    detect(&root, &plain).ok().stdout(herokuish);
}

#[test]
fn arm64_needs_allowed() {
    let root = root_with_app();
    fake_arch(&root, "arm64");
    let src = source(&root, &[".buildpacks"]);
    detect(&root, &src).ok().stdout("");
    hook(
        &root,
        "builder-herokuish",
        &["builder-herokuish-allowed", "web"],
    )
    .code(1)
    .stdout("")
    .stderr("");
    root.dokku(&[
        "builder-herokuish:report",
        "web",
        "--builder-herokuish-computed-allowed",
    ])
    .ok()
    .stdout("false\n");
    root.dokku(&["builder-herokuish:set", "--global", "allowed", "true"])
        .ok();
    detect(&root, &src).ok().stdout("herokuish\n");
    hook(
        &root,
        "builder-herokuish",
        &["builder-herokuish-allowed", "web"],
    )
    .ok();
    root.dokku(&["builder-herokuish:set", "web", "allowed", "false"])
        .ok();
    detect(&root, &src).ok().stdout("");
    // Hosts where dpkg cannot tell are not amd64 either.
    fake_arch(&root, "");
    root.dokku(&[
        "builder-herokuish:report",
        "--global",
        "--builder-herokuish-computed-allowed",
    ])
    .ok()
    .stdout("true\n");
    root.dokku(&["builder-herokuish:set", "--global", "allowed"])
        .ok();
    root.dokku(&[
        "builder-herokuish:report",
        "--global",
        "--builder-herokuish-computed-allowed",
    ])
    .ok()
    .stdout("false\n");
}

#[test]
fn allowed_on_amd64() {
    let root = root_with_app();
    hook(
        &root,
        "builder-herokuish",
        &["builder-herokuish-allowed", "web"],
    )
    .ok()
    .stdout("");
    root.dokku(&["builder-herokuish:set", "web", "allowed", "false"])
        .ok();
    hook(
        &root,
        "builder-herokuish",
        &["builder-herokuish-allowed", "web"],
    )
    .code(1);
}

#[test]
fn docker_args() {
    let root = root_with_app();
    for trigger in ["docker-args-build", "docker-args-deploy", "docker-args-run"] {
        let args = |input: &[u8]| {
            hook_stdin(
                &root,
                "builder-herokuish",
                &[trigger, "web", "latest"],
                input,
            )
        };
        // Not built by herokuish: stdin passes through, less its trailing newlines.
        hook(
            &root,
            "builder",
            &["builder-set-property", "web", "detected", "dockerfile"],
        )
        .ok();
        args(b"--a --b\n\n").ok().stdout("--a --b").stderr("");
        args(b"").ok().stdout("");
        hook(
            &root,
            "builder",
            &["builder-set-property", "web", "detected", "herokuish"],
        )
        .ok();
        args(b"--a\n").ok().stdout("--a --env=USER=herokuishuser");
        args(b"").ok().stdout(" --env=USER=herokuishuser");
        root.dokku(&["config:set", "--no-restart", "web", "DOKKU_APP_USER=bob"])
            .ok();
        args(b"--a").ok().stdout("--a --env=USER=bob");
        root.dokku(&["config:unset", "--no-restart", "web", "DOKKU_APP_USER"])
            .ok();
    }
}
