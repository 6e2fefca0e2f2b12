//! The deploy-phase tasks: app.json `env` processing and the `predeploy`, release
//! (Procfile `release`), first-deploy `postdeploy` and `postdeploy` scripts, each run in an
//! ephemeral container of the app's image (`pre-release-builder`, `post-release-builder`,
//! `post-deploy`).

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::process::{Command, Stdio};

use dokku_common::args::nth;
use dokku_common::property::{Store, GLOBAL};
use dokku_common::{docker, extract, log, trigger, Error, Result};

use crate::appjson::{self, PLUGIN};

/// Shell words as `github.com/kballard/go-shellquote` splits them: quotes and backslashes
/// group, nothing is expanded.
pub fn shellquote_split(input: &str) -> std::result::Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut chars = input.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| matches!(c, ' ' | '\t' | '\n')) {
            chars.next();
        }
        if chars.peek().is_none() {
            return Ok(words);
        }
        let mut word = String::new();
        while let Some(&c) = chars.peek() {
            match c {
                ' ' | '\t' | '\n' => break,
                '\\' => {
                    chars.next();
                    match chars.next() {
                        Some('\n') => {}
                        Some(e) => word.push(e),
                        None => return Err("Unterminated backslash-escape".to_string()),
                    }
                }
                '\'' => {
                    chars.next();
                    loop {
                        match chars.next() {
                            Some('\'') => break,
                            Some(e) => word.push(e),
                            None => return Err("Unterminated single-quoted string".to_string()),
                        }
                    }
                }
                '"' => {
                    chars.next();
                    loop {
                        match chars.next() {
                            Some('"') => break,
                            Some('\\') => match chars.next() {
                                Some(e @ ('$' | '`' | '"' | '\\')) => word.push(e),
                                Some('\n') => {}
                                Some(e) => {
                                    word.push('\\');
                                    word.push(e);
                                }
                                None => return Err("Unterminated double-quoted string".to_string()),
                            },
                            Some(e) => word.push(e),
                            None => return Err("Unterminated double-quoted string".to_string()),
                        }
                    }
                }
                _ => {
                    word.push(c);
                    chars.next();
                }
            }
        }
        words.push(word);
    }
}

/// Entrypoints that must stay in front of the script (init processes).
const TINI_ENTRYPOINTS: &[&str] = &[
    "ENTRYPOINT [\"/tini\",\"--\"]",
    "ENTRYPOINT [\"/bin/tini\",\"--\"]",
    "ENTRYPOINT [\"/usr/bin/tini\",\"--\"]",
    "ENTRYPOINT [\"/usr/local/bin/tini\",\"--\"]",
];

/// The container command for a task: with an image `ENTRYPOINT` the command's words as
/// they are, else `<shell> -c <script>`.
fn construct_script(
    command: &str,
    shell: &str,
    herokuish: bool,
    cnb: bool,
    entrypoint: &str,
) -> Option<Vec<String>> {
    if !entrypoint.is_empty() && !TINI_ENTRYPOINTS.contains(&entrypoint) {
        return match shellquote_split(command.trim()) {
            Ok(words) => Some(words),
            Err(e) => {
                log::warn(&format!(
                    "Skipping command construction for app with ENTRYPOINT: {e}"
                ));
                None
            }
        };
    }
    let mut script: Vec<String> = vec!["set -e;".into(), "set -o pipefail || true;".into()];
    if dokku_common::env::var("DOKKU_TRACE").as_deref() == Some("1") {
        script.push("set -x;".into());
    }
    if herokuish && !cnb {
        for line in [
            "if [[ -d '/app' ]]; then",
            "  export HOME=/app;",
            "  cd $HOME;",
            "fi;",
            "if [[ -d '/app/.profile.d' ]]; then",
            "  for file in /app/.profile.d/*; do source $file; done;",
            "fi;",
        ] {
            script.push(line.into());
        }
    }
    if command.starts_with('/') {
        let bin = command.split(' ').next().unwrap_or("");
        script.push(format!("if [[ ! -x \"{bin}\" ]]; then"));
        script.push("  echo specified binary is not executable;".into());
        script.push("  exit 1;".into());
        script.push("fi;".into());
    }
    script.push(format!("{command} || exit 1;"));
    Some(vec![shell.to_string(), "-c".to_string(), script.join(" ")])
}

/// `ENTRYPOINT …`/`CMD …` of an image as a Dockerfile line (`/bin/sh -c` forms unwrapped).
fn image_instruction(image: &str, field: &str, keyword: &str) -> String {
    let Ok(output) = docker::inspect(image, &format!("{{{{json .Config.{field}}}}}")) else {
        return String::new();
    };
    if output == "null" || output.is_empty() {
        return String::new();
    }
    let Ok(words) = serde_json::from_str::<Vec<String>>(&output) else {
        return String::new();
    };
    if words.len() == 3 && words[0] == "/bin/sh" && words[1] == "-c" {
        return format!("{keyword} {}", words[2]);
    }
    let mut encoded = String::from("[");
    for (i, w) in words.iter().enumerate() {
        if i > 0 {
            encoded.push(',');
        }
        dokku_common::text::push_go_json_string(&mut encoded, w);
    }
    encoded.push(']');
    format!("{keyword} {encoded}")
}

/// The script for `phase` from app.json.
fn phase_script(app: &str, phase: &str) -> Result<String> {
    let app_json = appjson::get(app)?;
    Ok(match phase {
        "heroku.postdeploy" => app_json.scripts.postdeploy,
        "predeploy" => app_json.scripts.dokku.predeploy,
        _ => app_json.scripts.dokku.postdeploy,
    })
}

/// The scheduler's shell for the app (`scheduler:set … shell`, default `/bin/bash`).
fn app_shell(app: &str) -> String {
    let store = Store::from_env();
    let shell = store.get("scheduler", app, "shell");
    if !shell.is_empty() {
        return shell;
    }
    store.get_default("scheduler", GLOBAL, "shell", "/bin/bash")
}

/// The words of a `docker-args-*` trigger's output, when the trigger succeeds.
fn trigger_args(hook: &str, args: &[&str]) -> Result<Vec<String>> {
    let out = trigger::Trigger::new(hook)
        .args(args)
        .stdin(Vec::new())
        .output()?;
    if out.status != 0 {
        return Ok(Vec::new());
    }
    shellquote_split(&out.trimmed()).map_err(Error::new)
}

/// Drop the options a task container must not get (resources, ports, restart policy).
fn filter_args(args: Vec<String>) -> Vec<String> {
    const FILTERED: &[&str] = &[
        "--cpus",
        "--gpus",
        "--memory",
        "--memory-reservation",
        "--memory-swap",
        "--publish",
        "--publish-all",
        "--restart",
        "-p",
        "-P",
    ];
    let mut args = args;
    for filtered in FILTERED {
        let mut out = Vec::with_capacity(args.len());
        let mut skip_next = false;
        for arg in args {
            if skip_next {
                skip_next = false;
                continue;
            }
            if arg.starts_with(&format!("{filtered}=")) {
                continue;
            }
            if arg == *filtered {
                skip_next = true;
                continue;
            }
            out.push(arg);
        }
        args = out;
    }
    args
}

/// `docker container logs`, each line indented (stderr lines on stderr).
fn show_logs(container: &str) {
    match docker::run(&["container", "logs", container]) {
        Ok(out) => {
            for line in out.stdout.split('\n').filter(|l| !l.is_empty()) {
                log::verbose_quiet(line);
            }
            if !dokku_common::env::quiet() {
                for line in out.stderr.split('\n').filter(|l| !l.is_empty()) {
                    log::write_stderr(&format!("{}{line}\n", log::VERBOSE));
                }
            }
            if !out.success() {
                log::exclaim(&format!("Failed to fetch container logs: {container}"));
            }
        }
        Err(_) => log::exclaim(&format!("Failed to fetch container logs: {container}")),
    }
}

/// Run `docker` with stderr streamed; true on success.
fn docker_streaming_stderr(args: &[String]) -> Result<docker::Output> {
    let out = Command::new(docker::bin())
        .args(args)
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| Error::new(format!("exec: \"{}\": {e}", docker::bin())))?;
    Ok(docker::Output {
        status: out.status.code().unwrap_or(1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::new(),
    })
}

/// Create the task container with the app's environment and run `post-container-create`.
fn create_container(
    app: &str,
    docker_args: &[String],
    image: &str,
    command: &[String],
    phase: &str,
) -> Result<String> {
    let mut args = vec!["container".to_string(), "create".to_string()];
    // Upstream splits the global run arguments on single spaces.
    args.extend(
        dokku_common::env::var("DOKKU_GLOBAL_RUN_ARGS")
            .unwrap_or_default()
            .split(' ')
            .filter(|a| !a.is_empty())
            .map(str::to_string),
    );
    args.push(format!("--label=com.dokku.app-name={app}"));
    args.extend(docker_args.iter().cloned());
    args.push(image.to_string());
    args.extend(command.iter().cloned());

    let env_out = trigger::Trigger::new("config-export")
        .args(&[app, "false", "true", "json"])
        .stdin_null()
        .output()?;
    if env_out.status != 0 {
        return Err(Error::silent(env_out.status));
    }
    let env: BTreeMap<String, String> =
        serde_json::from_slice(&env_out.stdout).map_err(|e| Error::new(e.to_string()))?;
    let out = Command::new(docker::bin())
        .args(&args)
        .envs(&env)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| Error::new(format!("exec: \"{}\": {e}", docker::bin())))?;
    if !out.status.success() {
        return Err(Error::new(
            String::from_utf8_lossy(&out.stderr).trim().to_string(),
        ));
    }
    let id = String::from_utf8_lossy(&out.stdout).trim().to_string();
    let status = trigger::Trigger::new("post-container-create")
        .args(&["app", id.as_str(), app, phase])
        .status()?;
    if status != 0 {
        remove_container(&id, phase);
        return Err(Error::silent(status));
    }
    Ok(id)
}

fn remove_container(id: &str, phase: &str) {
    if phase != "predeploy" {
        std::env::set_var("DOKKU_SKIP_IMAGE_RETIRE", "true");
    }
    let _ = Command::new(docker::bin())
        .args(["container", "rm", "-f", id])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .status();
}

/// Start the container and wait for it; true when it exited 0.
fn run_container(id: &str) -> bool {
    let started = docker_streaming_stderr(&["container".into(), "start".into(), id.into()])
        .map(|o| o.success())
        .unwrap_or(false);
    if !started {
        return false;
    }
    match docker_streaming_stderr(&["container".into(), "wait".into(), id.into()]) {
        Ok(out) => {
            let code = out.stdout_trimmed();
            if code != "0" {
                return code.parse::<i64>().map(|c| c == 0).unwrap_or(false);
            }
            out.success()
        }
        Err(_) => false,
    }
}

/// Go's `executeScript`: run one phase's task in an ephemeral container of `image`; the
/// predeploy task's container is committed back onto the image.
pub fn execute_script(app: &str, image: &str, image_tag: &str, phase: &str) -> Result<()> {
    log::info1(&format!("Checking for {phase} task"));
    let (command, source) = if phase == "release" {
        (
            trigger::capture_lenient("procfile-get-command", &[app, "release", "5000"]),
            "Procfile",
        )
    } else {
        let command = match phase_script(app, phase) {
            Ok(c) => c,
            Err(e) => {
                log::exclaim(e.message());
                String::new()
            }
        };
        (command, "app.json")
    };
    if command.is_empty() {
        log::verbose(&format!("No {phase} task found, skipping"));
        return Ok(());
    }
    if phase == "predeploy" {
        log::verbose(&format!("Executing {phase} task from {source}: {command}"));
    } else {
        log::verbose(&format!(
            "Executing {phase} task from {source} in ephemeral container: {command}"
        ));
    }

    let herokuish = extract::image_is_herokuish(image, app);
    let cnb = extract::image_is_cnb(image);
    let (entrypoint, cmd) = if herokuish {
        (String::new(), String::new())
    } else {
        (
            image_instruction(image, "Entrypoint", "ENTRYPOINT"),
            image_instruction(image, "Cmd", "CMD"),
        )
    };
    let script = construct_script(&command, &app_shell(app), herokuish, cnb, &entrypoint)
        .unwrap_or_default();
    let source_type = if herokuish {
        "herokuish"
    } else if cnb {
        "pack"
    } else {
        "dockerfile"
    };

    let mut args = trigger_args("docker-args-deploy", &[app, image_tag])?;
    args.extend(trigger_args(
        "docker-args-process-deploy",
        &[app, source_type, image_tag],
    )?);
    let mut args = filter_args(args);
    args.push(format!("--label=dokku_phase_script={phase}"));
    if herokuish && !cnb {
        args.push("-v".into());
        args.push(format!("cache-{app}:/tmp/cache"));
    }
    if let Some(trace) = dokku_common::env::var("DOKKU_TRACE") {
        args.push("--env".into());
        args.push(format!("DOKKU_TRACE={trace}"));
    }
    if cnb {
        args.push("--entrypoint=/cnb/lifecycle/launcher".into());
    }

    let id = create_container(app, &args, image, &script, phase).map_err(|e| {
        if e.message().is_empty() {
            e
        } else {
            Error::new(format!(
                "Failed to create {phase} execution container: {}",
                e.message()
            ))
        }
    })?;
    let short = id.get(..9).unwrap_or(&id).to_string();
    let succeeded = run_container(&id);
    log::info2_quiet(&format!("Start of {app} {phase} task ({short}) output"));
    show_logs(&id);
    log::info2_quiet(&format!("End of {app} {phase} task ({short}) output"));
    if !succeeded {
        remove_container(&id, phase);
        return Err(Error::new(format!(
            "Execution of {phase} task failed: {command}"
        )));
    }

    if phase == "predeploy" {
        let mut commit = vec!["container".to_string(), "commit".to_string()];
        if !herokuish || cnb {
            for change in [&entrypoint, &cmd] {
                if !change.is_empty() {
                    commit.push("--change".into());
                    commit.push(change.clone());
                }
            }
        }
        for change in [
            "LABEL org.label-schema.schema-version=1.0".to_string(),
            "LABEL org.label-schema.vendor=dokku".to_string(),
            format!("LABEL com.dokku.app-name={app}"),
            format!("LABEL com.dokku.{phase}-phase=true"),
        ] {
            commit.push("--change".into());
            commit.push(change);
        }
        commit.push(id.clone());
        commit.push(image.to_string());
        let out = docker_streaming_stderr(&commit);
        remove_container(&id, phase);
        match out {
            Ok(o) if o.success() => {}
            _ => {
                return Err(Error::new(format!(
                    "Committing of '{phase}' to image failed: {command}"
                )))
            }
        }
        return Ok(());
    }
    remove_container(&id, phase);
    Ok(())
}

/// Scale from `formation.<proc>.quantity`, or let `ps` decide when there is none.
fn set_scale(app: &str) -> Result<()> {
    let app_json = appjson::get(app)?;
    let mut args = vec![app.to_string(), "true".to_string(), "true".to_string()];
    if let Some(formation) = &app_json.formation.0 {
        for (process_type, f) in formation {
            if let Some(q) = f.quantity.as_deref() {
                args.push(format!("{process_type}={}", q.0));
            }
        }
    }
    if args.len() == 3 {
        return trigger::fire("ps-can-scale", &[app, "true"]);
    }
    trigger::fire("ps-can-scale", &[app, "false"])?;
    trigger::fire("ps-set-scale", &args)
}

/// 64 hex characters from the system's random source.
fn generate_secret() -> Result<String> {
    use std::io::Read;
    let mut bytes = [0u8; 32];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut bytes))
        .map_err(|e| Error::new(format!("failed to generate secret: {e}")))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// Set config from app.json `env`: everything on the first deploy, `sync` entries always;
/// secrets generated, missing required values prompted for on a terminal.
fn process_env(app: &str) -> Result<()> {
    let app_json = appjson::get(app)?;
    let Some(env) = app_json.env.0.filter(|e| !e.is_empty()) else {
        return Ok(());
    };
    log::info1("Processing app.json env vars");
    let store = Store::from_env();
    let first_deploy = store.get("common", app, "deployed") != "true";
    let processed = store.get(PLUGIN, app, "appjson-env-processed") == "executed";
    let current = trigger::Trigger::new("config-export")
        .args(&[app, "false", "true", "json"])
        .stdin_null()
        .output()?;
    if current.status != 0 {
        return Err(Error::new("failed to get current config: exit status 1"));
    }
    let current: BTreeMap<String, String> = serde_json::from_slice(&current.stdout)
        .map_err(|e| Error::new(format!("failed to parse current config: {e}")))?;
    let interactive = std::io::stdin().is_terminal();

    let mut to_set: BTreeMap<String, String> = BTreeMap::new();
    for (name, var) in &env {
        let fields = &var.0;
        if !((first_deploy && !processed) || fields.sync) {
            continue;
        }
        let existing = current.get(name).filter(|v| !v.is_empty());
        if existing.is_some() && !fields.sync {
            log::debug(&format!("Skipping {name}: already set"));
            continue;
        }
        let value = if fields.generator == "secret" {
            log::debug(&format!("Generated secret for {name}"));
            generate_secret()?
        } else if !fields.value.is_empty() {
            fields.value.clone()
        } else if interactive {
            let prompt = if fields.description.is_empty() {
                format!("Enter value for {name}")
            } else {
                format!("Enter value for {name} ({})", fields.description)
            };
            log::info1(&prompt);
            log::write_stdout("> ");
            let mut line = String::new();
            if std::io::stdin().read_line(&mut line).is_err() || line.is_empty() {
                if var.is_required() {
                    return Err(Error::new(format!(
                        "required env var {name} has no value and prompt failed: EOF"
                    )));
                }
                continue;
            }
            let line = line.trim().to_string();
            if line.is_empty() && var.is_required() {
                return Err(Error::new(format!(
                    "required env var {name} cannot be empty"
                )));
            }
            line
        } else {
            if var.is_required() {
                return Err(Error::new(format!(
                    "required env var {name} has no value, no default, and no TTY for prompt"
                )));
            }
            continue;
        };
        if !value.is_empty() {
            to_set.insert(name.clone(), value);
        }
    }

    if to_set.is_empty() {
        log::verbose("No env vars to set from app.json");
        if !first_deploy {
            store.set(PLUGIN, app, "appjson-env-processed", "executed")?;
        }
        return Ok(());
    }
    log::info1(&format!(
        "Setting {} env var(s) from app.json",
        to_set.len()
    ));
    let mut args = vec!["--no-restart".to_string(), app.to_string()];
    args.extend(to_set.iter().map(|(k, v)| format!("{k}={v}")));
    let status = trigger::Trigger::new("config-set").args(&args).status()?;
    if status != 0 {
        return Err(Error::new(format!(
            "failed to set env vars: exit status {status}"
        )));
    }
    store.set(PLUGIN, app, "appjson-env-processed", "executed")
}

fn image_tag(image: &str) -> &str {
    image.rsplit(':').next().unwrap_or("")
}

/// `pre-release-builder <builder> <app> <image>`: env vars, then the predeploy task.
pub fn pre_release_builder(args: &[String]) -> Result<()> {
    let (app, image) = (nth(args, 1), nth(args, 2));
    dokku_common::app::check_name(app)?;
    process_env(app)?;
    execute_script(app, image, image_tag(image), "predeploy")
}

/// `post-release-builder <builder> <app> <image>`: the release task, scaling, and on the
/// first deploy app.json's `scripts.postdeploy` (once).
pub fn post_release_builder(args: &[String]) -> Result<()> {
    let (app, image) = (nth(args, 1), nth(args, 2));
    dokku_common::app::check_name(app)?;
    let tag = image_tag(image);
    execute_script(app, image, tag, "release")?;
    set_scale(app)?;
    let store = Store::from_env();
    if store.get("common", app, "deployed") == "true" {
        return Ok(());
    }
    if store.get(PLUGIN, app, "heroku.postdeploy") == "executed" {
        return Ok(());
    }
    store.set(PLUGIN, app, "heroku.postdeploy", "executed")?;
    execute_script(app, image, tag, "heroku.postdeploy")
}

/// The image a deploy of `tag` runs (registry repo and tag when configured), which must
/// exist locally.
fn deploying_image(app: &str, tag: &str) -> Result<String> {
    let repository = trigger::capture("deployed-app-repository", &[app])?;
    let new_tag = trigger::capture("deployed-app-image-tag", &[app])?;
    let repo = trigger::capture("deployed-app-image-repo", &[app])?;
    let repo = match repo.trim() {
        "" => format!("dokku/{app}"),
        r => r.to_string(),
    };
    let tag = match (new_tag.trim(), tag) {
        ("", "") => "latest".to_string(),
        ("", t) => t.to_string(),
        (t, _) => t.to_string(),
    };
    let image = format!("{}{repo}:{tag}", repository.trim());
    let exists = docker::run(&["image", "inspect", &image])
        .map(|o| o.success())
        .unwrap_or(false);
    if !exists {
        return Err(Error::new(format!("App image ({image}) not found")));
    }
    Ok(image)
}

/// `post-deploy <app> <port> <ip> <image-tag>`: app.json's `scripts.dokku.postdeploy`.
pub fn post_deploy(args: &[String]) -> Result<()> {
    let app = nth(args, 0);
    dokku_common::app::check_name(app)?;
    let tag = nth(args, 3);
    // Without a task no image is needed (it may live on a remote scheduler only).
    if let Ok(command) = phase_script(app, "postdeploy") {
        if command.is_empty() {
            log::info1("Checking for postdeploy task");
            log::verbose("No postdeploy task found, skipping");
            return Ok(());
        }
    }
    let image = deploying_image(app, tag)?;
    execute_script(app, &image, tag, "postdeploy")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shellquote() {
        assert_eq!(
            shellquote_split(" --label 'a b' -e \"X=\\$y\" c\\ d ").unwrap(),
            ["--label", "a b", "-e", "X=$y", "c d"]
        );
        assert_eq!(shellquote_split("").unwrap(), Vec::<String>::new());
        assert_eq!(
            shellquote_split("'x").unwrap_err(),
            "Unterminated single-quoted string"
        );
        assert_eq!(
            shellquote_split("\"x").unwrap_err(),
            "Unterminated double-quoted string"
        );
        assert_eq!(
            shellquote_split("x\\").unwrap_err(),
            "Unterminated backslash-escape"
        );
    }

    #[test]
    fn filtering() {
        let args: Vec<String> = [
            "--cpus=1",
            "--memory",
            "1g",
            "-p",
            "80:80",
            "-v",
            "/a:/b",
            "--restart=always",
            "-e",
            "A=1",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        assert_eq!(filter_args(args), ["-v", "/a:/b", "-e", "A=1"]);
    }

    #[test]
    fn scripts() {
        assert_eq!(
            construct_script("echo hi", "/bin/bash", false, false, "").unwrap(),
            [
                "/bin/bash",
                "-c",
                "set -e; set -o pipefail || true; echo hi || exit 1;"
            ]
        );
        assert_eq!(
            construct_script("/bin/run x", "/bin/sh", false, false, "ENTRYPOINT [\"/tini\",\"--\"]").unwrap()[2],
            "set -e; set -o pipefail || true; if [[ ! -x \"/bin/run\" ]]; then   echo specified binary is not executable;   exit 1; fi; /bin/run x || exit 1;"
        );
        assert_eq!(
            construct_script(
                " ./manage.py 'a b' ",
                "/bin/bash",
                false,
                false,
                "ENTRYPOINT [\"/app\"]"
            )
            .unwrap(),
            ["./manage.py", "a b"]
        );
        assert!(
            construct_script("echo hi", "/bin/bash", true, false, "").unwrap()[2]
                .contains("if [[ -d '/app' ]]; then   export HOME=/app;   cd $HOME; fi;")
        );
    }
}
