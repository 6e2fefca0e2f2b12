//! `make bench`: interleaved timings of plugn and the dokku entry point against the cost of
//! spawning a process, reported as medians, spread and ratios measured in one run.
//!
//! Invoked as `dokku-rs-bench --spawn-floor <hook>...` it is the "floor" program: it spawns
//! the given hooks one after another, the least any trigger runner can do. Invoked as
//! `dokku-rs-bench --durable-write <file>` it replaces the file the way every state write
//! does (temporary file, fsync, rename, directory fsync), to measure what durability costs.

mod scenarios;
mod stats;

use std::process::{Command, ExitCode};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--spawn-floor") {
        for hook in &args[1..] {
            match Command::new(hook).status() {
                Ok(s) if s.success() => {}
                _ => return ExitCode::FAILURE,
            }
        }
        return ExitCode::SUCCESS;
    }
    if args.first().map(String::as_str) == Some("--durable-write") {
        let Some(path) = args.get(1) else { return ExitCode::FAILURE };
        return match dokku_common::fs::write_atomic(std::path::Path::new(path), b"KEY=value\n", 0o600) {
            Ok(()) => ExitCode::SUCCESS,
            Err(_) => ExitCode::FAILURE,
        };
    }
    match scenarios::run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bench: {e}");
            ExitCode::FAILURE
        }
    }
}
