//! One-time migrations run by `install`, each guarded by a global property:
//! the pre-property `DOCKER_OPTIONS_<PHASE>` files, Traefik label backticks stored with a
//! stray backslash, and options stored in a non-canonical form.

use dokku_common::paths::Paths;
use dokku_common::property::{Store, GLOBAL};
use dokku_common::{app, log, Error, Result};

use crate::options::{self, DEFAULT_PROCESS_TYPE, PHASES, PLUGIN};

const FROM_FILES: &str = "migrated-from-files";
const TRAEFIK: &str = "migrated-traefik-backticks";
const CANONICAL: &str = "migrated-canonical-options";

/// The apps to migrate; `None` when there are none (the migration is then simply done).
fn apps() -> Result<Option<Vec<String>>> {
    match app::dokku_apps() {
        Ok(apps) => Ok(Some(apps)),
        Err(e) if e.message() == app::MSG_NO_APPS => Ok(None),
        Err(e) => Err(e),
    }
}

fn mark_done(key: &str) -> Result<()> {
    Store::from_env().set(PLUGIN, GLOBAL, key, "true")
}

fn done(key: &str) -> bool {
    Store::from_env().get(PLUGIN, GLOBAL, key) == "true"
}

/// Import `$DOKKU_ROOT/<app>/DOCKER_OPTIONS_<PHASE>` into the default scope.
pub fn legacy_files() -> Result<()> {
    let Some(apps) = apps()? else {
        return mark_done(FROM_FILES);
    };
    let store = Store::from_env();
    let paths = Paths::from_env();
    // Markers left by an earlier release become per-phase properties, every time.
    for name in &apps {
        for phase in PHASES {
            let marker = paths
                .app_root(name)
                .join(format!("DOCKER_OPTIONS_{}.migrated", phase.to_uppercase()));
            if marker.exists() {
                store.set(PLUGIN, name, &format!("migrated-{phase}"), "true")?;
                std::fs::remove_file(&marker)?;
            }
        }
    }
    if done(FROM_FILES) {
        return Ok(());
    }
    for name in &apps {
        for phase in PHASES {
            let legacy = paths
                .app_root(name)
                .join(format!("DOCKER_OPTIONS_{}", phase.to_uppercase()));
            if !legacy.exists() {
                continue;
            }
            let data = std::fs::read(&legacy)
                .map_err(|e| Error::new(format!("Unable to read {}: {e}", legacy.display())))?;
            let lines: Vec<String> = String::from_utf8_lossy(&data)
                .split('\n')
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .map(str::to_string)
                .collect();
            let canonical = options::canonicalize_lines(&lines);
            if !canonical.is_empty() {
                options::write(name, DEFAULT_PROCESS_TYPE, phase, &canonical)?;
                store.set(PLUGIN, name, &format!("migrated-{phase}"), "true")?;
                log::info1(&format!(
                    "Migrated {} to docker-options properties",
                    legacy.display()
                ));
            }
            std::fs::remove_file(&legacy).map_err(|e| {
                Error::new(format!(
                    "Unable to remove migrated file {}: {e}",
                    legacy.display()
                ))
            })?;
        }
    }
    mark_done(FROM_FILES)
}

/// The `key=value` of a `--label`/`-l` option, shell quotes around it removed.
fn label_spec(option: &str) -> Option<&str> {
    let mut s = option.trim_start_matches(' ');
    if s.len() >= 2 && s.starts_with('\'') && s.ends_with('\'') {
        s = &s[1..s.len() - 1];
    }
    let rest = ["--label=", "--label ", "-l=", "-l "]
        .iter()
        .find_map(|p| s.strip_prefix(p))?;
    let rest = rest.strip_prefix('\'').unwrap_or(rest);
    Some(rest.strip_prefix('"').unwrap_or(rest))
}

/// A Traefik label whose backticks carry a stray backslash, repaired.
fn repair_backticks(option: &str) -> Option<String> {
    let spec = label_spec(option)?;
    (spec.starts_with("traefik.") && option.contains("\\`")).then(|| option.replace("\\`", "`"))
}

/// Run `fix` over every stored phase list of every app, rewriting the changed ones.
fn rewrite_all(
    apps: &[String],
    fix: impl Fn(&[String]) -> Option<Vec<String>>,
    message: &str,
) -> Result<()> {
    let store = Store::from_env();
    for name in apps {
        for key in store.get_all(PLUGIN, name)?.keys() {
            let Some((process_type, phase)) = options::split_property_key(key) else {
                continue;
            };
            let current = options::get(name, process_type, phase)?;
            if let Some(fixed) = fix(&current) {
                options::write(name, process_type, phase, &fixed)?;
                log::info1(&format!("{message} for {name} ({process_type} {phase})"));
            }
        }
    }
    Ok(())
}

pub fn traefik_backticks() -> Result<()> {
    if done(TRAEFIK) {
        return Ok(());
    }
    let Some(apps) = apps()? else {
        return mark_done(TRAEFIK);
    };
    rewrite_all(
        &apps,
        |current| {
            let fixed: Vec<String> = current
                .iter()
                .map(|o| repair_backticks(o).unwrap_or_else(|| o.clone()))
                .collect();
            (fixed != current).then_some(fixed)
        },
        "Repaired docker-options label backticks",
    )?;
    mark_done(TRAEFIK)
}

pub fn canonical_options() -> Result<()> {
    if done(CANONICAL) {
        return Ok(());
    }
    let Some(apps) = apps()? else {
        return mark_done(CANONICAL);
    };
    rewrite_all(
        &apps,
        |current| {
            let canonical = options::canonicalize_lines(current);
            (canonical != current).then_some(canonical)
        },
        "Rewrote docker-options into canonical form",
    )?;
    mark_done(CANONICAL)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backticks() {
        assert_eq!(
            repair_backticks("--label 'traefik.http.routers.a.rule=Host(\\`a.com\\`)'").as_deref(),
            Some("--label 'traefik.http.routers.a.rule=Host(`a.com`)'")
        );
        assert_eq!(
            repair_backticks("-l=\"traefik.x=\\`y\\`\"").as_deref(),
            Some("-l=\"traefik.x=`y`\"")
        );
        assert_eq!(repair_backticks("--label 'other=\\`a\\`'"), None);
        assert_eq!(repair_backticks("--label traefik.x=y"), None);
        assert_eq!(repair_backticks("-v /a:/b"), None);
    }
}
