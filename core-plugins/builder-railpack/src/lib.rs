//! The `builder-railpack` core plugin (Railpack): the `railpackjson-path` setting, detection of a
//! `railpack.json` in the source, the `core-post-extract` move of the configured file to
//! `railpack.json` (or its removal when the configured file is absent), and
//! `data/builder-railpack/<app>`. Everything but the declaration is shared with the other
//! builders (`dokku_common::builder_settings`); the build itself comes with the deploy pipeline.

use dokku_common::builder_settings::{self, ConfigFile, Detect, Fallback, Missing, Settings};

static SETTINGS: Settings = Settings {
    plugin: "builder-railpack",
    builder: "railpack",
    property: "railpackjson-path",
    fallback: Fallback::Value("railpack.json"),
    config_file: Some(ConfigFile {
        name: "railpack.json",
        missing: Missing::RemoveDefault,
    }),
    detect: Some(Detect {
        file: "railpack.json",
        unless: &[],
    }),
    data_dir: true,
    triggers: &[],
};

/// The binary's entry point; also called in-process by the `dokku` entry point.
pub fn main() {
    builder_settings::main(&SETTINGS)
}
