//! The `dokku` entry point: environment bootstrap, global flags, user switching, the ssh
//! forced command, authorisation and command dispatch, as upstream's `dokku` script does.

mod bootstrap;
mod builtin;
mod column;
mod dispatch;
mod flags;
mod help;
mod ssh;
mod users;

use std::ffi::OsString;

use dokku_common::log::warn;

/// Run the entry point with `args` (argv without argv[0]); returns the exit status.
pub fn run(args: Vec<OsString>) -> i32 {
    if let Err(code) = bootstrap::environment() {
        return code;
    }
    main_flow(args)
}

fn main_flow(args: Vec<OsString>) -> i32 {
    let args: Vec<String> = args
        .into_iter()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    flags::export_global_flags(&args);
    let args = flags::strip_leading(args);
    let first = args.first().map(String::as_str).unwrap_or("");

    if let Some(code) = users::switch_if_needed(&args) {
        return code;
    }
    if let Err(code) = users::check_root_only(first) {
        return code;
    }
    if let Some(command) = ssh::take_original_command() {
        return match ssh::split(first, &command) {
            Ok(new_args) => main_flow(new_args.into_iter().map(OsString::from).collect()),
            Err(msg) => {
                warn(&msg);
                1
            }
        };
    }
    if !users::authorized(&args) {
        warn("Access denied");
        return 1;
    }
    match first {
        "help" | "" => help::run(&args),
        "version" | "-v" | "--version" => dispatch::version(),
        _ => dispatch::execute(args),
    }
}
