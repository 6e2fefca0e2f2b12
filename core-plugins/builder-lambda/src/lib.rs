//! The `builder-lambda` core plugin (AWS Lambda via lambda-builder): the `lambdayml-path`
//! setting, detection of a `lambda.yml` in the source, the `core-post-extract` move of the
//! configured file to `lambda.yml` (or its removal when the configured file is absent), and
//! `data/builder-lambda/<app>`. Everything but the declaration is shared with the other
//! builders (`dokku_common::builder_settings`); the build itself comes with the deploy pipeline.

use dokku_common::builder_settings::{self, ConfigFile, Detect, Fallback, Missing, Settings};

static SETTINGS: Settings = Settings {
    plugin: "builder-lambda",
    builder: "lambda",
    property: "lambdayml-path",
    fallback: Fallback::Value("lambda.yml"),
    config_file: Some(ConfigFile {
        name: "lambda.yml",
        missing: Missing::RemoveDefault,
    }),
    detect: Some(Detect {
        file: "lambda.yml",
        unless: &[],
    }),
    data_dir: true,
    triggers: &[],
};

/// The binary's entry point; also called in-process by the `dokku` entry point.
pub fn main() {
    builder_settings::main(&SETTINGS)
}
