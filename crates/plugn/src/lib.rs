//! plugn: the plugin trigger runner used by Dokku, compatible with upstream plugn 0.17.1.
//!
//! The library holds everything the `plugn` binary does so that other crates (the `dokku`
//! entry point, core plugins) can run triggers in-process instead of spawning `plugn`.

pub mod cli;
pub mod config;
mod error;
pub mod install;
pub mod meta;
pub mod names;
pub mod tree;
pub mod trigger;

pub use error::Error;
pub use tree::PluginTree;

/// The version printed by `plugn version` and exported to hooks as `PLUGN_VERSION`.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
