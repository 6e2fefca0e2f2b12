//! `resource:*` subcommands, with upstream's flag sets.

use dokku_common::pflag::{Flag, FlagSet, Kind as FlagKind, Parsed};
use dokku_common::{app, report, Result};

use crate::resources::{self, Kind, KEYS};

const fn string(name: &'static str, usage: &'static str) -> Flag {
    Flag {
        name,
        kind: FlagKind::Str(""),
        usage,
    }
}

const LIMIT: FlagSet<'static> = FlagSet {
    name: "resource:limit",
    flags: &[
        string("process-type", "process-type: A process type to manage"),
        string("cpu", "cpu: The amount of cpu to limit processes by"),
        string(
            "memory",
            "memory: The amount of memory to limit processes by",
        ),
        string(
            "memory-swap",
            "memory-swap: The amount of swap memory to limit processes by",
        ),
        string(
            "network",
            "network: The amount of network bandwidth to limit processes by",
        ),
        string(
            "network-ingress",
            "network-ingress: The amount of ingress network bandwidth to limit processes by",
        ),
        string(
            "network-egress",
            "network-egress: The amount of egress network bandwidth to limit processes by",
        ),
        string(
            "nvidia-gpu",
            "nvidia-gpu: The number of Nvidia GPUs to limit a process to",
        ),
    ],
};

const RESERVE: FlagSet<'static> = FlagSet {
    name: "resource:reserve",
    flags: &[
        string("process-type", "process-type: A process type to manage"),
        string("cpu", "cpu: The amount of cpu to reserve for processes"),
        string(
            "memory",
            "memory: The amount of memory to reserve for processes",
        ),
        string(
            "memory-swap",
            "memory-swap: The amount of swap memory to reserve for processes",
        ),
        string(
            "network",
            "network: The amount of network bandwidth to reserve for processes",
        ),
        string(
            "network-ingress",
            "network-ingress: The amount of ingress network bandwidth to reserve for processes",
        ),
        string(
            "network-egress",
            "network-egress: The amount of egress network bandwidth to reserve for processes",
        ),
        // Upstream's wording.
        string(
            "nvidia-gpu",
            "nvidia-gpu: The number of Nvidia GPUs to resource for a process",
        ),
    ],
};

const LIMIT_CLEAR: FlagSet<'static> = FlagSet {
    name: "resource:limit-clear",
    flags: &[string(
        "process-type",
        "process-type: A process type to clear",
    )],
};

const RESERVE_CLEAR: FlagSet<'static> = FlagSet {
    name: "resource:reserve-clear",
    flags: &[string(
        "process-type",
        "process-type: A process type to clear",
    )],
};

fn values(parsed: &Parsed) -> resources::Values {
    KEYS.iter()
        .map(|key| (*key, parsed.string(key).to_string()))
        .collect()
}

fn set(set: &FlagSet<'_>, args: &[String], kind: Kind) -> Result<()> {
    let parsed = set.parse(args)?;
    let name = parsed.arg(0);
    app::verify_app_name(name)?;
    resources::set(name, parsed.string("process-type"), &values(&parsed), kind)
}

fn clear(set: &FlagSet<'_>, args: &[String], kind: Kind) -> Result<()> {
    let parsed = set.parse(args)?;
    let name = parsed.arg(0);
    app::verify_app_name(name)?;
    resources::clear(name, parsed.string("process-type"), kind)
}

/// `resource:limit [--process-type P] [--cpu …] <app>`.
pub fn limit(args: &[String]) -> Result<()> {
    set(&LIMIT, args, Kind::Limit)
}

/// `resource:limit-clear [--process-type P] <app>`.
pub fn limit_clear(args: &[String]) -> Result<()> {
    clear(&LIMIT_CLEAR, args, Kind::Limit)
}

/// `resource:reserve [--process-type P] [--cpu …] <app>`.
pub fn reserve(args: &[String]) -> Result<()> {
    set(&RESERVE, args, Kind::Reserve)
}

/// `resource:reserve-clear [--process-type P] <app>`.
pub fn reserve_clear(args: &[String]) -> Result<()> {
    clear(&RESERVE_CLEAR, args, Kind::Reserve)
}

/// `resource:report [<app>|--global] [--format stdout|json] [--<flag>]`.
pub fn report(args: &[String]) -> Result<()> {
    report::run_subcommand(resources::PLUGIN, args, &resources::ResourceReport)
}
