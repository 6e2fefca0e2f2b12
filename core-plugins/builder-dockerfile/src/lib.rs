//! The `builder-dockerfile` core plugin: the `dockerfile-path` setting, detection of a
//! `Dockerfile` (only when neither herokuish nor pack claims the source, as upstream), and the
//! `core-post-extract` move of the configured file to `Dockerfile`. Everything but the
//! declaration is shared with the other builders (`dokku_common::builder_settings`); the build
//! itself (`builder-build`, `builder-release`) comes with the deploy pipeline.

use dokku_common::builder_settings::{self, ConfigFile, Detect, Fallback, Missing, Settings};

static SETTINGS: Settings = Settings {
    plugin: "builder-dockerfile",
    builder: "dockerfile",
    property: "dockerfile-path",
    fallback: Fallback::Value("Dockerfile"),
    config_file: Some(ConfigFile {
        name: "Dockerfile",
        missing: Missing::Fail,
    }),
    detect: Some(Detect {
        file: "Dockerfile",
        unless: &["builder-herokuish", "builder-pack"],
    }),
    data_dir: false,
    triggers: &[],
};

/// The binary's entry point; also called in-process by the `dokku` entry point.
pub fn main() {
    builder_settings::main(&SETTINGS)
}
