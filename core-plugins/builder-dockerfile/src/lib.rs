//! The `builder-dockerfile` core plugin: the `dockerfile-path` setting, detection of a
//! `Dockerfile` (only when neither herokuish nor pack claims the source, as upstream), and the
//! `core-post-extract` move of the configured file to `Dockerfile` are shared with the other
//! builders (`dokku_common::builder_settings`); the build (`builder-build`) and the release
//! labelling (`builder-release`) are this plugin's own.

mod build;
mod release;

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
    triggers: &[
        ("builder-build", build::builder_build),
        ("builder-release", release::builder_release),
    ],
};

/// The binary's entry point; also called in-process by the `dokku` entry point.
pub fn main() {
    builder_settings::main(&SETTINGS)
}
