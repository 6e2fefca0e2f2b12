//! `builder-lambda` through the real `dokku` entry point and its trigger links in a temporary install.
//! The checks every builder plugin shares live in `builder/tests/support`.

#[path = "../../builder/tests/support/mod.rs"]
mod support;

use support::*;

const PLUGIN: Builder = Builder {
    plugin: "builder-lambda",
    builder: "lambda",
    alias: "lambda",
    property: "lambdayml-path",
    default: "lambda.yml",
    file: Some("lambda.yml"),
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
    root.dokku(&["builder-lambda:report", "web"])
        .ok()
        .stderr("")
        .stdout(
            "=====> web builder-lambda information\n\
         \x20      Builder lambda computed lambdayml path: lambda.yml\n\
         \x20      Builder lambda global lambdayml path:   \n\
         \x20      Builder lambda lambdayml path:          \n",
        );
    root.dokku(&["builder-lambda:set", "--global", "lambdayml-path", "g"])
        .ok();
    root.dokku(&["builder-lambda:report", "--global"])
        .ok()
        .stdout(
            "=====> --global builder-lambda information\n\
         \x20      Builder lambda computed lambdayml path: g\n\
         \x20      Builder lambda global lambdayml path:   g\n",
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
