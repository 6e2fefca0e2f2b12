//! The app's formation: how many containers of each process type run. Stored as the list
//! properties `scale` (`<proc>=<n>` lines) and `scale.old` (zero-count entries for process
//! types that are not in the Procfile), exactly as upstream writes them.

use dokku_common::{env, log, scheduler, text, trigger, Error, Result};

use crate::procfile;
use crate::ps::{self, PLUGIN};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Formation {
    pub process_type: String,
    pub quantity: i64,
}

impl Formation {
    pub fn tuple(&self) -> String {
        format!("{}={}", self.process_type, self.quantity)
    }
}

/// How strictly tuples are checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    /// Stored data: upstream's rules (any integer, any name).
    Stored,
    /// Input: also a non-negative count and a name a Procfile could hold.
    Input,
}

/// Go's `strconv.Atoi`: optional sign, decimal digits, 64-bit range.
fn atoi(s: &str) -> Option<i64> {
    s.parse::<i64>().ok()
}

/// Parse `proc=count` tuples; the first tuple of a process type wins.
pub fn parse_tuples<S: AsRef<str>>(tuples: &[S], check: Check) -> Result<Vec<Formation>> {
    let mut out: Vec<Formation> = Vec::new();
    for tuple in tuples {
        let tuple = tuple.as_ref();
        let Some((raw_type, raw_count)) = tuple.split_once('=') else {
            return Err(Error::new(format!(
                "Missing count for process type {tuple}"
            )));
        };
        let process_type = raw_type.trim();
        let quantity = atoi(raw_count.trim())
            .filter(|n| check == Check::Stored || *n >= 0)
            .ok_or_else(|| Error::new(format!("Invalid count for process type {raw_type}")))?;
        // A name no Procfile can hold would end up in file and container names at deploy.
        if check == Check::Input && !procfile::is_valid_name(process_type) {
            return Err(Error::new(format!(
                "{process_type} is not a valid process name to scale up"
            )));
        }
        if out.iter().any(|f| f.process_type == process_type) {
            continue;
        }
        out.push(Formation {
            process_type: process_type.to_string(),
            quantity,
        });
    }
    Ok(out)
}

fn stored(app: &str, property: &str) -> Result<Vec<Formation>> {
    let lines = ps::store().list_get(PLUGIN, app, property)?;
    parse_tuples(&lines, Check::Stored)
}

/// `scale` merged with `scale.old`, sorted by process type.
pub fn current(app: &str) -> Result<Vec<Formation>> {
    let mut formations = stored(app, "scale")?;
    for old in stored(app, "scale.old")? {
        if !formations
            .iter()
            .any(|f| f.process_type == old.process_type)
        {
            formations.push(old);
        }
    }
    formations.sort_by(|a, b| a.process_type.cmp(&b.process_type));
    Ok(formations)
}

/// The process types of the app's Procfile (none when it has no Procfile).
fn procfile_processes(app: &str) -> Result<Option<Vec<String>>> {
    if !procfile::exists(app) {
        return Ok(None);
    }
    let path = procfile::current_path(app).ok_or_else(|| Error::new("Invalid app name"))?;
    procfile::list(&path)
        .map(Some)
        .map_err(|e| Error::new(format!("Error listing processes: {e}")))
}

/// Go's `updateScale`: the updates first, then the other stored entries, then every
/// Procfile process not mentioned yet at 0. Zero-count entries for process types outside
/// the Procfile go to `scale.old`.
pub fn update(app: &str, clear_existing: bool, updates: &[Formation]) -> Result<()> {
    let existing = if clear_existing {
        Vec::new()
    } else {
        stored(app, "scale")?
    };
    let valid = procfile_processes(app)?;
    let is_valid = |p: &str| valid.as_ref().is_some_and(|v| v.iter().any(|n| n == p));

    let mut merged: Vec<Formation> = Vec::new();
    for update in updates {
        if valid.is_some() && !is_valid(&update.process_type) && update.quantity != 0 {
            return Err(Error::new(format!(
                "{} is not a valid process name to scale up",
                update.process_type
            )));
        }
        merged.push(update.clone());
    }
    for f in existing {
        if !merged.iter().any(|m| m.process_type == f.process_type) {
            merged.push(f);
        }
    }
    // Upstream walks a map here (random order); sorted names are one of its orders.
    let mut procfile_names = valid.clone().unwrap_or_default();
    procfile_names.sort();
    for name in procfile_names {
        if !merged.iter().any(|m| m.process_type == name) {
            merged.push(Formation {
                process_type: name,
                quantity: 0,
            });
        }
    }

    let (old, live): (Vec<&Formation>, Vec<&Formation>) = merged
        .iter()
        .partition(|f| !is_valid(&f.process_type) && f.quantity == 0);
    let store = ps::store();
    let tuples = |list: Vec<&Formation>| list.iter().map(|f| f.tuple()).collect::<Vec<_>>();
    store.list_write(PLUGIN, app, "scale.old", &tuples(old))?;
    store.list_write(PLUGIN, app, "scale", &tuples(live))
}

/// Go's `scaleSet`: store the new counts, then redeploy the process types that changed
/// (all given ones unless `only_changed`) when the app is deployed and deploys are wanted.
pub fn set(
    app: &str,
    skip_deploy: bool,
    clear_existing: bool,
    tuples: &[String],
    only_changed: bool,
) -> Result<()> {
    let existing = current(app)?;
    let formations = parse_tuples(tuples, Check::Input)?;
    update(app, clear_existing, &formations)?;
    if skip_deploy || !scheduler::is_deployed(app) {
        return Ok(());
    }
    let tag = ps::running_image_tag(app)?;
    for f in &formations {
        let unchanged = only_changed
            && existing
                .iter()
                .any(|e| e.process_type == f.process_type && e.quantity == f.quantity);
        if unchanged {
            continue;
        }
        trigger::fire("deploy", &[app, tag.as_str(), f.process_type.as_str()])?;
    }
    Ok(())
}

/// `[{"process_type":"web","quantity":1}]`, as Go marshals the formations.
pub fn to_json(formations: &[Formation]) -> String {
    let mut out = String::from("[");
    for (i, f) in formations.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str("{\"process_type\":");
        text::push_go_json_string(&mut out, &f.process_type);
        out.push_str(&format!(",\"quantity\":{}}}", f.quantity));
    }
    out.push(']');
    out
}

/// `<name>:` padded to 5 columns, a space, the value (Go's `RightPad`).
fn row(name: &str, value: &str) -> String {
    format!("{:<5} {value}", format!("{name}:"))
}

/// `ps:scale <app>` without tuples: the formation as a table, or as JSON.
pub fn report(app: &str, format: &str) -> Result<()> {
    let formations = current(app)?;
    if format == "json" {
        log::log(&to_json(&formations));
        return Ok(());
    }
    log::info1_quiet(&format!("Scaling for {app}"));
    let mut out = String::new();
    if !env::quiet() {
        out.push_str(&row("proctype", "qty"));
        out.push('\n');
        out.push_str(&row("--------", "---"));
        out.push('\n');
    }
    for f in &formations {
        out.push_str(&row(&f.process_type, &f.quantity.to_string()));
        out.push('\n');
    }
    log::write_stdout(&out);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(p: &str, q: i64) -> Formation {
        Formation {
            process_type: p.to_string(),
            quantity: q,
        }
    }

    #[test]
    fn tuples() {
        assert_eq!(
            parse_tuples(&[" web = 2", "worker=+01", "web=5"], Check::Input).unwrap(),
            vec![f("web", 2), f("worker", 1)]
        );
        let msg = |t: &[&str], c| parse_tuples(t, c).unwrap_err().message().to_string();
        assert_eq!(
            msg(&["web"], Check::Input),
            "Missing count for process type web"
        );
        assert_eq!(
            msg(&[" web =x"], Check::Input),
            "Invalid count for process type  web "
        );
        assert_eq!(
            msg(&["web=1.5"], Check::Input),
            "Invalid count for process type web"
        );
        assert_eq!(
            msg(&["web=-1"], Check::Input),
            "Invalid count for process type web"
        );
        assert_eq!(
            msg(&["web=99999999999999999999"], Check::Input),
            "Invalid count for process type web"
        );
        assert_eq!(
            msg(&["../x=1"], Check::Input),
            "../x is not a valid process name to scale up"
        );
        assert_eq!(
            msg(&["=1"], Check::Input),
            " is not a valid process name to scale up"
        );
        assert_eq!(
            parse_tuples(&["web=-1", "a b=0"], Check::Stored).unwrap(),
            vec![f("web", -1), f("a b", 0)]
        );
    }

    #[test]
    fn json_and_rows() {
        assert_eq!(to_json(&[]), "[]");
        assert_eq!(
            to_json(&[f("web", 1), f("a<b", 0)]),
            "[{\"process_type\":\"web\",\"quantity\":1},{\"process_type\":\"a\\u003cb\",\"quantity\":0}]"
        );
        assert_eq!(row("web", "1"), "web:  1");
        assert_eq!(row("proctype", "qty"), "proctype: qty");
        assert_eq!(row("--------", "---"), "--------: ---");
    }
}
