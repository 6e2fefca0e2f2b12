//! `builder-railpack` through the real `dokku` entry point and its trigger links in a temporary install.
//! The checks every builder plugin shares live in `builder/tests/support`.

#[path = "../../builder/tests/support/mod.rs"]
mod support;

use support::*;

const PLUGIN: Builder = Builder {
    plugin: "builder-railpack",
    builder: "railpack",
    alias: "rails",
    property: "railpackjson-path",
    default: "railpack.json",
    file: Some("railpack.json"),
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
    root.dokku(&["builder-railpack:report", "web"])
        .ok()
        .stderr("")
        .stdout(
            "=====> web builder-railpack information\n\
         \x20      Builder railpack computed railpackjson path: railpack.json\n\
         \x20      Builder railpack global railpackjson path:   \n\
         \x20      Builder railpack railpackjson path:          \n",
        );
    root.dokku(&["builder-railpack:set", "--global", "railpackjson-path", "g"])
        .ok();
    root.dokku(&["builder-railpack:report", "--global"])
        .ok()
        .stdout(
            "=====> --global builder-railpack information\n\
         \x20      Builder railpack computed railpackjson path: g\n\
         \x20      Builder railpack global railpackjson path:   g\n",
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
