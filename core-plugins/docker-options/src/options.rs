//! Docker options: the stored lists (`config/docker-options/<app>/<proc|_default_>.<phase>`),
//! their canonical shell-quoted form, and the add/remove/clear operations.

use dokku_common::paths::Paths;
use dokku_common::property::Store;
use dokku_common::{log, Error, Result};

use crate::shellwords;

pub const PLUGIN: &str = "docker-options";
/// The scope of options that apply to every container of an app.
pub const DEFAULT_PROCESS_TYPE: &str = "_default_";
pub const PHASES: &[&str] = &["build", "deploy", "run"];

pub fn is_valid_phase(phase: &str) -> bool {
    PHASES.contains(&phase)
}

/// A comma separated phase list; empty means none.
pub fn parse_phases(arg: &str) -> Result<Vec<String>> {
    if arg.is_empty() {
        return Ok(Vec::new());
    }
    let phases: Vec<String> = arg.split(',').map(str::to_string).collect();
    if phases.iter().any(|p| !is_valid_phase(p)) {
        return Err(Error::new(format!(
            "Phase(s) must be one of [{}]",
            PHASES.join(" ")
        )));
    }
    Ok(phases)
}

/// `<proc>.<phase>`, the default scope for an empty process type.
pub fn property_key(process_type: &str, phase: &str) -> String {
    let process_type = if process_type.is_empty() {
        DEFAULT_PROCESS_TYPE
    } else {
        process_type
    };
    format!("{process_type}.{phase}")
}

/// `<proc>.<phase>` back into its parts; only the three phases count.
pub fn split_property_key(key: &str) -> Option<(&str, &str)> {
    let idx = key.rfind('.')?;
    if idx == 0 || idx == key.len() - 1 {
        return None;
    }
    let (process_type, phase) = (&key[..idx], &key[idx + 1..]);
    is_valid_phase(phase).then_some((process_type, phase))
}

/// A process type names a property file: it must be one plain path component, and the
/// reserved default scope cannot be named.
pub fn check_process(process_type: &str) -> Result<()> {
    if process_type.is_empty() {
        return Err(Error::new("--process value must not be empty"));
    }
    if process_type == DEFAULT_PROCESS_TYPE {
        return Err(Error::new(format!(
            "{DEFAULT_PROCESS_TYPE:?} is reserved and cannot be used as a --process value"
        )));
    }
    if process_type == "."
        || process_type == ".."
        || process_type
            .chars()
            .any(|c| c == '/' || c.is_control() || c.is_whitespace())
    {
        return Err(Error::new(format!(
            "Invalid --process value: {process_type:?}"
        )));
    }
    Ok(())
}

/// Upstream's `ValidateProcessFlag`: with processes, each must be usable and every phase
/// must be `deploy`.
pub fn validate_processes(processes: &[String], phases: &[String]) -> Result<()> {
    if processes.is_empty() {
        return Ok(());
    }
    for process_type in processes {
        check_process(process_type)?;
    }
    if let Some(phase) = phases.iter().find(|p| p.as_str() != "deploy") {
        return Err(Error::new(format!(
            "--process is only supported for the deploy phase, got {phase:?}"
        )));
    }
    Ok(())
}

/// Whether a token is a flag (`-x`, `--x`) rather than a value.
fn is_flag(token: &str) -> bool {
    token.len() > 1 && token.starts_with('-')
}

/// Group tokens so each group is one flag and the values after it; tokens before the
/// first flag form their own group so nothing is dropped.
fn group_tokens(fields: Vec<String>) -> Vec<Vec<String>> {
    let mut groups = Vec::new();
    let mut current: Vec<String> = Vec::new();
    for token in fields {
        if is_flag(&token) && !current.is_empty() {
            groups.push(std::mem::take(&mut current));
        }
        current.push(token);
    }
    if !current.is_empty() {
        groups.push(current);
    }
    groups
}

fn needs_quoting(s: &str) -> bool {
    s.chars().any(|c| {
        matches!(
            c,
            ' ' | '\t'
                | '\n'
                | '"'
                | '\''
                | '$'
                | '`'
                | '\\'
                | '*'
                | '?'
                | '['
                | ']'
                | '<'
                | '>'
                | '|'
                | '&'
                | ';'
                | '('
                | ')'
                | '{'
                | '}'
                | '!'
                | '#'
                | '~'
        )
    })
}

/// Single-quote a token when the shell would otherwise interpret it.
pub fn quote(s: &str) -> String {
    if s.is_empty() {
        return "''".to_string();
    }
    if !needs_quoting(s) {
        return s.to_string();
    }
    format!("'{}'", s.replace('\'', r"'\''"))
}

fn join_tokens(tokens: &[String]) -> String {
    tokens
        .iter()
        .map(|t| quote(t))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Split command-line option text into one canonical option per flag, lifting any
/// `--process X` / `--process=X` into the returned process list.
pub fn split_option_string(input: &str) -> Result<(Vec<String>, Vec<String>)> {
    if input.trim().is_empty() {
        return Ok((Vec::new(), Vec::new()));
    }
    let fields = shellwords::words(input)
        .map_err(|e| Error::new(format!("Unable to parse docker option: {e}")))?;
    let mut options = Vec::new();
    let mut processes = Vec::new();
    for group in group_tokens(fields) {
        let head = group[0].as_str();
        if head == "--process" {
            match group.len() {
                1 => return Err(Error::new("--process requires a value")),
                2 => processes.push(group[1].clone()),
                n => {
                    return Err(Error::new(format!(
                        "--process accepts a single value, got {}",
                        n - 1
                    )))
                }
            }
            continue;
        }
        if let Some(value) = head.strip_prefix("--process=") {
            if group.len() > 1 {
                return Err(Error::new(
                    "--process=value cannot be followed by additional tokens",
                ));
            }
            processes.push(value.to_string());
            continue;
        }
        options.push(join_tokens(&group));
    }
    Ok((options, processes))
}

/// A stored line in canonical form, one entry per flag. A line that does not parse, or
/// whose tail the parser skips (a `#` comment), is kept as it is so nothing is lost.
pub fn canonical_options_from_line(line: &str) -> Vec<String> {
    match shellwords::words_with_end(line) {
        Ok((fields, end)) if end >= line.trim_end_matches([' ', '\t']).len() => {
            group_tokens(fields)
                .iter()
                .map(|g| join_tokens(g))
                .collect()
        }
        _ => vec![line.to_string()],
    }
}

pub fn canonicalize_lines(lines: &[String]) -> Vec<String> {
    lines
        .iter()
        .flat_map(|l| canonical_options_from_line(l))
        .collect()
}

/// Whether two option strings are the same docker option: equal, or equal word by word.
pub fn options_equal(stored: &str, option: &str) -> bool {
    if stored == option {
        return true;
    }
    match (shellwords::words(stored), shellwords::words(option)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// The options of one scope and phase, trimmed, empty lines dropped.
pub fn get(app: &str, process_type: &str, phase: &str) -> Result<Vec<String>> {
    let process = if process_type.is_empty() {
        DEFAULT_PROCESS_TYPE
    } else {
        process_type
    };
    let lines = Store::from_env()
        .list_get(PLUGIN, app, &property_key(process_type, phase))
        .map_err(|e| {
            Error::new(format!(
                "Unable to read docker options for {app}.{process}.{phase}: {}",
                e.message()
            ))
        })?;
    Ok(lines
        .iter()
        .map(|l| l.trim())
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect())
}

pub fn write(app: &str, process_type: &str, phase: &str, options: &[String]) -> Result<()> {
    Store::from_env().list_write(PLUGIN, app, &property_key(process_type, phase), options)
}

/// Space-joined options of one scope and phase (empty on any error), as the report shows.
pub fn joined(app: &str, process_type: &str, phase: &str) -> String {
    get(app, process_type, phase)
        .map(|o| o.join(" "))
        .unwrap_or_default()
}

fn scopes(processes: &[String]) -> Vec<String> {
    if processes.is_empty() {
        vec![DEFAULT_PROCESS_TYPE.to_string()]
    } else {
        processes.to_vec()
    }
}

/// Append `option` to every scope and phase, keeping each list sorted.
pub fn add(app: &str, processes: &[String], phases: &[String], option: &str) -> Result<()> {
    for process_type in scopes(processes) {
        for phase in phases {
            let mut options = get(app, &process_type, phase)?;
            options.push(option.to_string());
            options.sort();
            write(app, &process_type, phase, &options)?;
        }
    }
    Ok(())
}

/// Remove every entry denoting `option` from every scope and phase (the list is rewritten
/// even when nothing matched, as upstream).
pub fn remove(app: &str, processes: &[String], phases: &[String], option: &str) -> Result<()> {
    for process_type in scopes(processes) {
        for phase in phases {
            let mut options: Vec<String> = get(app, &process_type, phase)?
                .into_iter()
                .filter(|o| !options_equal(o, option))
                .collect();
            options.sort();
            write(app, &process_type, phase, &options)?;
        }
    }
    Ok(())
}

/// Process types (other than the default scope) with a stored phase list, sorted.
pub fn process_types(app: &str) -> Result<Vec<String>> {
    let all = Store::from_env().get_all(PLUGIN, app)?;
    let mut types: Vec<String> = all
        .keys()
        .filter_map(|k| split_property_key(k))
        .map(|(p, _)| p)
        .filter(|p| *p != DEFAULT_PROCESS_TYPE)
        .map(str::to_string)
        .collect();
    types.sort();
    types.dedup();
    Ok(types)
}

/// Warn (never fail) when a process type is not in the app's deployed Procfile.
pub fn warn_if_not_in_procfile(app: &str, process_type: &str) {
    let path = Paths::from_env().app_data_dir("ps", app).join("Procfile");
    let Ok(content) = std::fs::read_to_string(&path) else {
        return;
    };
    let declared = content.lines().any(|line| {
        line.split_once(':').is_some_and(|(name, command)| {
            name == process_type
                && !name.is_empty()
                && name
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
                && !command.trim().is_empty()
        })
    });
    if !declared {
        log::warn(&format!(
            "Process type {process_type:?} is not declared in the Procfile for {app}"
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn split_like_upstream() {
        for (input, options, processes) in [
            ("--link foo", vec!["--link foo"], vec![]),
            ("--build-arg FOO=bar", vec!["--build-arg FOO=bar"], vec![]),
            ("--link a --link b", vec!["--link a", "--link b"], vec![]),
            (
                "--build-arg X=Y --link a --link b",
                vec!["--build-arg X=Y", "--link a", "--link b"],
                vec![],
            ),
            ("--rm --link foo", vec!["--rm", "--link foo"], vec![]),
            ("-v /tmp", vec!["-v /tmp"], vec![]),
            (
                "--restart=on-failure:5",
                vec!["--restart=on-failure:5"],
                vec![],
            ),
            ("", vec![], vec![]),
            ("   \t  ", vec![], vec![]),
            (r#"--label "foo bar""#, vec!["--label 'foo bar'"], vec![]),
            (
                r#"--label key="hello world""#,
                vec!["--label 'key=hello world'"],
                vec![],
            ),
            ("--process web", vec![], vec!["web"]),
            ("--process=web", vec![], vec!["web"]),
            (
                "--link foo --process web --link bar",
                vec!["--link foo", "--link bar"],
                vec!["web"],
            ),
            (
                "--process web --process worker",
                vec![],
                vec!["web", "worker"],
            ),
            ("--label x=$(id)", vec!["--label 'x=$(id)'"], vec![]),
            ("--label x=`id`", vec!["--label 'x=`id`'"], vec![]),
            ("--label x=$FOO", vec!["--label 'x=$FOO'"], vec![]),
            ("--label 'a;b'", vec!["--label 'a;b'"], vec![]),
            (
                "--label \"traefik.rule=Host(\\`app.example.com\\`)\"",
                vec!["--label 'traefik.rule=Host(`app.example.com`)'"],
                vec![],
            ),
            ("--label \"k=a\\$b\"", vec!["--label 'k=a$b'"], vec![]),
            ("--label k=a\\ b", vec!["--label 'k=a b'"], vec![]),
            ("stray --rm", vec!["stray", "--rm"], vec![]),
            ("--label \"it's\"", vec![r"--label 'it'\''s'"], vec![]),
        ] {
            let (o, p) = split_option_string(input).unwrap();
            assert_eq!(o, s(&options), "{input:?}");
            assert_eq!(p, s(&processes), "{input:?}");
        }
        for (input, err) in [
            ("--process", "--process requires a value"),
            ("--process a b", "--process accepts a single value, got 2"),
            (
                "--process=a b",
                "--process=value cannot be followed by additional tokens",
            ),
            (
                r#"--build-arg FOO="bar"#,
                "Unable to parse docker option: 1:17: reached EOF without closing quote `\"`",
            ),
        ] {
            assert_eq!(split_option_string(input).unwrap_err().message(), err);
        }
    }

    #[test]
    fn quoting() {
        for (input, want) in [
            ("", "''"),
            ("plain", "plain"),
            ("FOO=bar", "FOO=bar"),
            ("hello world", "'hello world'"),
            ("it's", r"'it'\''s'"),
            ("$VAR", "'$VAR'"),
            ("a|b", "'a|b'"),
        ] {
            assert_eq!(quote(input), want);
        }
    }

    #[test]
    fn equality() {
        for (stored, option, want) in [
            ("-v /tmp:/tmp", "-v /tmp:/tmp", true),
            (
                "--group-add $(getent group docker | cut -d: -f3)",
                "--group-add '$(getent group docker | cut -d: -f3)'",
                true,
            ),
            ("--label FOO=$BAR", "--label 'FOO=$BAR'", true),
            (r#"--label "hello world""#, "--label 'hello world'", true),
            ("-v /tmp:/tmp", "-v /var:/var", false),
            ("--link foo", "--link bar", false),
            ("-v /a:/a -v /b:/b", "-v /a:/a", false),
            ("--label 'unbalanced", "--label unbalanced", false),
            ("", "-v /tmp:/tmp", false),
        ] {
            assert_eq!(options_equal(stored, option), want, "{stored:?} {option:?}");
        }
    }

    #[test]
    fn canonical_lines() {
        for (line, want) in [
            (
                "--group-add $(getent group docker | cut -d: -f3)",
                vec!["--group-add '$(getent group docker | cut -d: -f3)'"],
            ),
            ("-v /a:/a -v /b:/b", vec!["-v /a:/a", "-v /b:/b"]),
            (
                "--group-add '$(getent group docker | cut -d: -f3)'",
                vec!["--group-add '$(getent group docker | cut -d: -f3)'"],
            ),
            ("--restart=on-failure:5", vec!["--restart=on-failure:5"]),
            ("--label 'unbalanced", vec!["--label 'unbalanced"]),
            ("-v /a:/a # a note", vec!["-v /a:/a # a note"]),
            ("", vec![]),
        ] {
            let got = canonical_options_from_line(line);
            assert_eq!(got, s(&want), "{line:?}");
            assert_eq!(canonicalize_lines(&got), got, "idempotent for {line:?}");
        }
    }

    #[test]
    fn keys_and_phases() {
        assert_eq!(split_property_key("web.deploy"), Some(("web", "deploy")));
        assert_eq!(split_property_key("web.v2.run"), Some(("web.v2", "run")));
        assert_eq!(split_property_key("migrated-from-files"), None);
        assert_eq!(split_property_key(".deploy"), None);
        assert_eq!(split_property_key("web.other"), None);
        assert_eq!(parse_phases("").unwrap(), Vec::<String>::new());
        assert_eq!(parse_phases("build,run").unwrap(), s(&["build", "run"]));
        assert_eq!(
            parse_phases("deploy,").unwrap_err().message(),
            "Phase(s) must be one of [build deploy run]"
        );
        assert_eq!(property_key("", "run"), "_default_.run");
    }
}
