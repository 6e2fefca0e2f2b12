//! `builder-nixpacks` through the real `dokku` entry point and its trigger links in a temporary install.
//! The checks every builder plugin shares live in `builder/tests/support`.

#[path = "../../builder/tests/support/mod.rs"]
mod support;

use support::*;

const PLUGIN: Builder = Builder {
    plugin: "builder-nixpacks",
    builder: "nixpacks",
    alias: "nixpacks",
    property: "nixpackstoml-path",
    default: "nixpacks.toml",
    file: Some("nixpacks.toml"),
    missing_fails: false,
    data_dir: true,
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
    root.dokku(&["builder-nixpacks:report", "web"])
        .ok()
        .stderr("")
        .stdout(
            "=====> web builder-nixpacks information\n\
         \x20      Builder nixpacks computed nixpackstoml path: nixpacks.toml\n\
         \x20      Builder nixpacks global nixpackstoml path:   \n\
         \x20      Builder nixpacks nixpackstoml path:          \n",
        );
    root.dokku(&["builder-nixpacks:set", "--global", "nixpackstoml-path", "g"])
        .ok();
    root.dokku(&["builder-nixpacks:report", "--global"])
        .ok()
        .stdout(
            "=====> --global builder-nixpacks information\n\
         \x20      Builder nixpacks computed nixpackstoml path: g\n\
         \x20      Builder nixpacks global nixpackstoml path:   g\n",
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
