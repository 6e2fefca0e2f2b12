//! dokku-common: the shared library of the dokku-rs core plugins and the `dokku` entry point.
//!
//! Modules are named for what they hold:
//! * [`env`], [`paths`]: environment knobs and every filesystem location, with upstream defaults;
//! * [`log`], [`error`]: dokku's output prefixes and the error type commands return;
//! * [`fs`], [`lock`]: atomic writes, permissions, `flock` locks including the deploy lock;
//! * [`data`]: per-plugin app data directories (`data/<plugin>/<app>`);
//! * [`account`]: users and groups from the local account files;
//! * [`app`]: app-name validation, existence and listing;
//! * [`property`]: the `config/<plugin>/<app>/<property>` store and its migrations;
//! * [`report`]: the `:report` subcommand; [`text`]: columnize, Go-style JSON;
//! * [`scheduler`]: an app's scheduler and whether it is deployed;
//! * [`bash_help`]: help texts laid out as upstream's bash plugins do;
//! * [`args`], [`pflag`], [`confirm`], [`parallel`]: command-line helpers;
//! * [`trigger`]: firing triggers in-process through `plugn`;
//! * [`template`]: Go `text/template` with sigil's functions, and `cat -s`;
//! * [`htpasswd`]: `htpasswd -nb` lines (apr1 MD5);
//! * [`plugin`]: the argv[0] dispatch framework of core plugin binaries.

pub mod account;
pub mod app;
pub mod args;
pub mod bash_help;
pub mod builder_settings;
pub mod confirm;
pub mod data;
pub mod docker;
pub mod env;
pub mod error;
pub mod extract;
pub mod fs;
pub mod htpasswd;
pub mod label_proxy;
pub mod lock;
pub mod log;
pub mod parallel;
pub mod paths;
pub mod pflag;
pub mod plugin;
pub mod property;
pub mod report;
pub mod scheduler;
pub mod template;
pub mod text;
pub mod trigger;
pub mod words;

pub use error::{Error, Result};
pub use paths::Paths;
