//! `builder-dockerfile` through the real `dokku` entry point and its trigger links in a temporary install.
//! The checks every builder plugin shares live in `builder/tests/support`.

#[path = "../../builder/tests/support/mod.rs"]
mod support;

use support::*;

const PLUGIN: Builder = Builder {
    plugin: "builder-dockerfile",
    builder: "dockerfile",
    alias: "dockerfile",
    property: "dockerfile-path",
    default: "Dockerfile",
    file: Some("Dockerfile"),
    missing_fails: true,
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
    root.dokku(&["builder-dockerfile:report", "web"])
        .ok()
        .stderr("")
        .stdout(
            "=====> web builder-dockerfile information\n\
         \x20      Builder dockerfile computed dockerfile path: Dockerfile\n\
         \x20      Builder dockerfile dockerfile path:          \n\
         \x20      Builder dockerfile global dockerfile path:   \n",
        );
    root.dokku(&["builder-dockerfile:set", "--global", "dockerfile-path", "g"])
        .ok();
    root.dokku(&["builder-dockerfile:report", "--global"])
        .ok()
        .stdout(
            "=====> --global builder-dockerfile information\n\
         \x20      Builder dockerfile computed dockerfile path: g\n\
         \x20      Builder dockerfile global dockerfile path:   g\n",
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

/// Upstream asks herokuish and pack first: a source they claim is not a dockerfile app.
#[test]
fn detection_defers_to_herokuish_and_pack() {
    let root = root_with_app();
    let detect = |dir: &std::path::Path| {
        hook(
            &root,
            "builder-dockerfile",
            &["builder-detect", "web", dir.to_str().unwrap()],
        )
    };
    let both = source(&root, &["Dockerfile", "project.toml"]);
    let buildpacks = source(&root, &["Dockerfile", ".buildpacks"]);
    detect(&both).ok().stdout("").stderr("");
    detect(&buildpacks).ok().stdout("");
    let plain = source(&root, &["Dockerfile"]);
    detect(&plain).ok().stdout("dockerfile\n");
    root.dokku(&[
        "config:set",
        "--no-restart",
        "web",
        "BUILDPACK_URL=https://x",
    ])
    .ok();
    detect(&plain).ok().stdout("");
    root.dokku(&["config:unset", "--no-restart", "web", "BUILDPACK_URL"])
        .ok();
    // Herokuish detects nothing on arm64 unless allowed there.
    fake_arch(&root, "arm64");
    detect(&buildpacks).ok().stdout("dockerfile\n");
    // A disabled detector is not asked.
    std::fs::remove_file(root.lib().join("plugins/enabled/builder-pack")).unwrap();
    detect(&both).ok().stdout("dockerfile\n");
}
