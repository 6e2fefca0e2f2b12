//! The `builder-nixpacks` core plugin (Nixpacks): the `nixpackstoml-path` setting, detection of a
//! `nixpacks.toml` in the source, the `core-post-extract` move of the configured file to
//! `nixpacks.toml` (or its removal when the configured file is absent), and
//! `data/builder-nixpacks/<app>`. Everything but the declaration is shared with the other
//! builders (`dokku_common::builder_settings`); the build itself comes with the deploy pipeline.

use dokku_common::builder_settings::{self, ConfigFile, Detect, Fallback, Missing, Settings};

static SETTINGS: Settings = Settings {
    plugin: "builder-nixpacks",
    builder: "nixpacks",
    property: "nixpackstoml-path",
    fallback: Fallback::Value("nixpacks.toml"),
    config_file: Some(ConfigFile {
        name: "nixpacks.toml",
        missing: Missing::RemoveDefault,
    }),
    detect: Some(Detect {
        file: "nixpacks.toml",
        unless: &[],
    }),
    data_dir: true,
    triggers: &[],
};

/// The binary's entry point; also called in-process by the `dokku` entry point.
pub fn main() {
    builder_settings::main(&SETTINGS)
}
