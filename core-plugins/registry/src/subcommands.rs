//! `registry:*` subcommands, with upstream's flag sets.

use std::io::{Read, Write};
use std::process::{Command, Stdio};

use dokku_common::pflag::{Flag, FlagSet, Kind};
use dokku_common::property::{self, GLOBAL};
use dokku_common::{app, docker, log, report, trigger, Error, Result};

use crate::registry::{self, GLOBAL_PROPERTIES, PLUGIN, PROPERTIES};

const SET: FlagSet<'static> = FlagSet {
    name: "registry:set",
    flags: &[Flag {
        name: "global",
        kind: Kind::Bool,
        usage: "--global: set a global property",
    }],
};

const LOGIN: FlagSet<'static> = FlagSet {
    name: "registry:login",
    flags: &[
        Flag {
            name: "password-stdin",
            kind: Kind::Bool,
            usage: "--password-stdin: read password from stdin",
        },
        Flag {
            name: "global",
            kind: Kind::Bool,
            usage: "--global: login globally instead of per-app",
        },
    ],
};

const LOGOUT: FlagSet<'static> = FlagSet {
    name: "registry:logout",
    flags: &[Flag {
        name: "global",
        kind: Kind::Bool,
        usage: "--global: logout globally instead of per-app",
    }],
};

/// `registry:set <app>|--global <property> [<value>]`.
pub fn set(args: &[String]) -> Result<()> {
    let parsed = SET.parse(args)?;
    let (name, key, value) = if parsed.flag("global") {
        (GLOBAL, parsed.arg(0), parsed.arg(1))
    } else {
        (parsed.arg(0), parsed.arg(1), parsed.arg(2))
    };
    property::command_set(PLUGIN, name, key, value, PROPERTIES, GLOBAL_PROPERTIES)
}

/// `registry:report [<app>|--global] [--format stdout|json] [--<flag>]`.
pub fn report(args: &[String]) -> Result<()> {
    report::run_subcommand(PLUGIN, args, &registry::RegistryReport)
}

/// `docker.com` and `hub.docker.com` mean Docker Hub.
fn normalize_server(server: &str) -> &str {
    if server == "hub.docker.com" || server == "docker.com" {
        "docker.io"
    } else {
        server
    }
}

/// `registry:login [--global|--password-stdin] [<app>] <server> <username> [<password>]`.
pub fn login(args: &[String]) -> Result<()> {
    let parsed = LOGIN.parse(args)?;
    let stdin_password = parsed.flag("password-stdin");
    let count = parsed.positional.len();
    let (global_count, app_count) = if stdin_password { (2, 3) } else { (3, 4) };
    let mut app_name = "";
    let (mut server, mut username, mut password) = ("", "", "");
    if parsed.flag("global") || count == global_count {
        if !parsed.flag("global") {
            log::warn("Deprecated: please use --global flag for global registry login");
        }
        server = parsed.arg(0);
        username = parsed.arg(1);
        if !stdin_password {
            password = parsed.arg(2);
        }
    } else if count >= app_count {
        app_name = parsed.arg(0);
        server = parsed.arg(1);
        username = parsed.arg(2);
        if !stdin_password {
            password = parsed.arg(3);
        }
    }
    let mut password = password.to_string();
    if stdin_password {
        let mut input = String::new();
        std::io::stdin().read_to_string(&mut input)?;
        password = input.trim().to_string();
    }
    if server.is_empty() {
        return Err(Error::new("Missing server argument"));
    }
    if username.is_empty() {
        return Err(Error::new("Missing username argument"));
    }
    if password.is_empty() {
        return Err(Error::new("Missing password argument"));
    }
    let server = normalize_server(server);

    let mut cmd = Command::new(docker::bin());
    cmd.args(["login", "--username", username, "--password-stdin", server]);
    if !app_name.is_empty() {
        app::verify_app_name(app_name)?;
        let dir = registry::config_dir(app_name);
        std::os::unix::fs::DirBuilderExt::mode(std::fs::DirBuilder::new().recursive(true), 0o700)
            .create(&dir)
            .map_err(|e| Error::new(format!("Unable to create registry config directory: {e}")))?;
        cmd.env("DOCKER_CONFIG", &dir);
    }
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| Error::new(format!("Unable to run docker login: {e}")))?;
    if let Some(mut input) = child.stdin.take() {
        let _ = input.write_all(format!("{password}\n").as_bytes());
    }
    let out = child
        .wait_with_output()
        .map_err(|e| Error::new(format!("Unable to run docker login: {e}")))?;
    if !out.status.success() {
        return Err(Error::new(format!(
            "Unable to run docker login: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    if app_name.is_empty() {
        log::warn("Login Succeeded for global registry");
    } else {
        log::warn(&format!("Login Succeeded for {app_name}"));
    }
    let status = trigger::Trigger::new("post-registry-login")
        .arg(server)
        .arg(username)
        .env("DOCKER_REGISTRY_PASS", &password)
        .status()?;
    if status != 0 {
        return Err(Error::silent(status));
    }
    Ok(())
}

/// `registry:logout [--global] [<app>] <server>`.
pub fn logout(args: &[String]) -> Result<()> {
    let parsed = LOGOUT.parse(args)?;
    let (app_name, server) = if parsed.flag("global") || parsed.positional.len() == 1 {
        ("", parsed.arg(0))
    } else {
        (parsed.arg(0), parsed.arg(1))
    };
    if server.is_empty() {
        return Err(Error::new("Missing server argument"));
    }
    let server = normalize_server(server);
    let mut cmd = Command::new(docker::bin());
    cmd.args(["logout", server]);
    if !app_name.is_empty() {
        app::verify_app_name(app_name)?;
        let dir = registry::config_dir(app_name);
        if !dir.is_dir() {
            return Err(Error::new(format!(
                "No registry credentials found for app {app_name}"
            )));
        }
        cmd.env("DOCKER_CONFIG", &dir);
    }
    let out = cmd
        .stdin(Stdio::null())
        .output()
        .map_err(|e| Error::new(format!("Unable to run docker logout: {e}")))?;
    if !out.status.success() {
        return Err(Error::new(format!(
            "Unable to run docker logout: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    Ok(())
}
