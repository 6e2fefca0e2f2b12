//! The generated vector config, `data/logs/vector.json`: one docker_logs source per app
//! with a sink (plus a global one), route/remap transforms for cron sinks and label
//! aliases, and a blackhole sink when nothing is configured. Laid out byte for byte as
//! upstream's `json.MarshalIndent` writes it.

use std::collections::BTreeMap;
use std::path::PathBuf;

use dokku_common::property::GLOBAL;
use dokku_common::text::go_quote;
use dokku_common::{app, data, fs as dfs, log, Error, Result};

use crate::gojson::{self, Value};
use crate::settings::{self, APP_LABEL_ALIAS, PLUGIN};
use crate::sink::{self, SinkError};

const CONTAINER_TYPE_LABEL: &str = "com.dokku.container-type";
const CRON_CONTAINER_TYPE: &str = "cron";
const CRON_ID_LABEL: &str = "com.dokku.cron-id";
const CRON_ROUTE: &str = "cron";
const DEFAULT_SINK: &str = "blackhole://?print_interval_secs=1";

/// The component ids and sinks of one scope (an app, or the global source).
#[derive(Debug, Clone, Default)]
pub struct Scope {
    pub source_id: String,
    pub include_labels: Vec<String>,
    pub sink_id: String,
    pub cron_sink_id: String,
    pub router_id: String,
    pub cron_remap_id: String,
    pub relabel_id: String,
    /// The label key the app name ships under; empty means the default.
    pub label_alias: String,
    /// Apps (global scope only) whose own alias differs from `label_alias`.
    pub overrides: Vec<(String, String)>,
    pub sink: String,
    pub cron_sink: String,
}

impl Scope {
    pub fn app(name: &str, alias: &str, sink: &str, cron_sink: &str) -> Scope {
        let id = name.replace('.', "-");
        Scope {
            source_id: format!("docker-source:{id}"),
            include_labels: vec![format!("{APP_LABEL_ALIAS}={name}")],
            sink_id: format!("docker-sink:{id}"),
            cron_sink_id: format!("docker-cron-sink:{id}"),
            router_id: format!("docker-router:{id}"),
            cron_remap_id: format!("docker-cron-remap:{id}"),
            relabel_id: format!("docker-relabel:{id}"),
            label_alias: alias.to_string(),
            overrides: Vec::new(),
            sink: sink.to_string(),
            cron_sink: cron_sink.to_string(),
        }
    }

    pub fn global(alias: &str, overrides: Vec<(String, String)>, sink: &str, cron: &str) -> Scope {
        Scope {
            source_id: "docker-global-source".into(),
            include_labels: vec![APP_LABEL_ALIAS.to_string()],
            sink_id: "docker-global-sink".into(),
            cron_sink_id: "docker-global-cron-sink".into(),
            router_id: "docker-global-router".into(),
            cron_remap_id: "docker-global-cron-remap".into(),
            relabel_id: "docker-global-relabel".into(),
            label_alias: alias.to_string(),
            overrides,
            sink: sink.to_string(),
            cron_sink: cron.to_string(),
        }
    }
}

fn label_path(label: &str) -> String {
    format!(".label.{}", go_quote(label))
}

fn rename_label(alias: &str) -> String {
    format!(
        "{} = del({})",
        label_path(alias),
        label_path(APP_LABEL_ALIAS)
    )
}

/// `if … {…} else if … {…} else {…}`; a lone unconditional clause is just its statement.
fn if_chain(clauses: &[(String, String)]) -> String {
    if clauses.len() == 1 && clauses[0].0.is_empty() {
        return clauses[0].1.clone();
    }
    let mut chain = String::new();
    for (i, (condition, statement)) in clauses.iter().enumerate() {
        if i > 0 {
            chain.push_str(" else ");
        }
        if !condition.is_empty() {
            chain.push_str(&format!("if {condition} "));
        }
        chain.push_str(&format!("{{\n  {statement}\n}}"));
    }
    chain
}

/// The VRL program moving the app label to the scope's alias (empty: nothing to rename).
fn relabel_vrl(scope: &Scope) -> String {
    let alias = if scope.label_alias.is_empty() {
        APP_LABEL_ALIAS
    } else {
        scope.label_alias.as_str()
    };
    if scope.overrides.is_empty() {
        return if alias == APP_LABEL_ALIAS {
            String::new()
        } else {
            rename_label(alias)
        };
    }
    let mut clauses = Vec::new();
    let mut retained = Vec::new();
    for (app_name, app_alias) in &scope.overrides {
        if app_alias == APP_LABEL_ALIAS {
            retained.push(format!("app != {}", go_quote(app_name)));
            continue;
        }
        clauses.push((
            format!("app == {}", go_quote(app_name)),
            rename_label(app_alias),
        ));
    }
    if alias != APP_LABEL_ALIAS {
        clauses.push((retained.join(" && "), rename_label(alias)));
    }
    if clauses.is_empty() {
        return String::new();
    }
    format!(
        "app = to_string({}) ?? \"\"\n{}",
        label_path(APP_LABEL_ALIAS),
        if_chain(&clauses)
    )
}

fn remap(inputs: Vec<String>, source: String) -> Value {
    Value::Struct(vec![
        ("type", Value::str("remap")),
        ("inputs", Value::strings(&inputs)),
        ("source", Value::String(source)),
    ])
}

/// The route transform splitting cron containers off, and the remap flattening their labels.
fn cron_transforms(scope: &Scope, relabel: &str) -> Vec<(String, Value)> {
    let mut source = format!(
        ".dokku_app = to_string({}) ?? \"\"\n.dokku_cron_id = to_string({}) ?? \"\"",
        label_path(APP_LABEL_ALIAS),
        label_path(CRON_ID_LABEL)
    );
    if !relabel.is_empty() {
        source = format!("{source}\n{relabel}");
    }
    let condition = Value::Struct(vec![
        ("type", Value::str("vrl")),
        (
            "source",
            Value::String(format!(
                "{} == {}",
                label_path(CONTAINER_TYPE_LABEL),
                go_quote(CRON_CONTAINER_TYPE)
            )),
        ),
    ]);
    let route = Value::Struct(vec![
        ("type", Value::str("route")),
        (
            "inputs",
            Value::strings(std::slice::from_ref(&scope.source_id)),
        ),
        ("reroute_unmatched", Value::Bool(!scope.sink.is_empty())),
        (
            "route",
            Value::Map(BTreeMap::from([(CRON_ROUTE.to_string(), condition)])),
        ),
    ]);
    vec![
        (scope.router_id.clone(), route),
        (
            scope.cron_remap_id.clone(),
            remap(vec![format!("{}.{CRON_ROUTE}", scope.router_id)], source),
        ),
    ]
}

fn source(include_labels: &[String]) -> Value {
    let mut fields = vec![("type", Value::str("docker_logs"))];
    if !include_labels.is_empty() {
        fields.push(("include_labels", Value::strings(include_labels)));
    }
    Value::Struct(fields)
}

/// Upstream's `buildVectorConfig`: pure, so the shape can be tested directly.
pub fn build(scopes: &[Scope]) -> std::result::Result<Value, SinkError> {
    let mut sources = BTreeMap::new();
    let mut transforms: Option<BTreeMap<String, Value>> = None;
    let mut sinks = BTreeMap::new();
    for scope in scopes {
        if scope.sink.is_empty() && scope.cron_sink.is_empty() {
            continue;
        }
        sources.insert(scope.source_id.clone(), source(&scope.include_labels));
        let relabel = relabel_vrl(scope);
        let mut sink_inputs = vec![scope.source_id.clone()];
        if !scope.cron_sink.is_empty() {
            let t = transforms.get_or_insert_with(BTreeMap::new);
            for (id, transform) in cron_transforms(scope, &relabel) {
                t.insert(id, transform);
            }
            sink_inputs = vec![format!("{}._unmatched", scope.router_id)];
            let cron =
                sink::to_config(&scope.cron_sink, std::slice::from_ref(&scope.cron_remap_id))?;
            sinks.insert(scope.cron_sink_id.clone(), Value::Map(cron));
        }
        if !scope.sink.is_empty() {
            if !relabel.is_empty() {
                transforms.get_or_insert_with(BTreeMap::new).insert(
                    scope.relabel_id.clone(),
                    remap(sink_inputs.clone(), relabel),
                );
                sink_inputs = vec![scope.relabel_id.clone()];
            }
            let sink = sink::to_config(&scope.sink, &sink_inputs)?;
            sinks.insert(scope.sink_id.clone(), Value::Map(sink));
        }
    }
    if sources.is_empty() {
        sources.insert(
            "docker-null-source".to_string(),
            source(&["com.dokku.vector-null".to_string()]),
        );
    }
    if sinks.is_empty() {
        let sink = sink::to_config(DEFAULT_SINK, &["docker-null-source".to_string()])?;
        sinks.insert("docker-null-sink".to_string(), Value::Map(sink));
    }
    let mut fields = vec![("sources", Value::Map(sources))];
    if let Some(t) = transforms.filter(|t| !t.is_empty()) {
        fields.push(("transforms", Value::Map(t)));
    }
    fields.push(("sinks", Value::Map(sinks)));
    Ok(Value::Struct(fields))
}

/// Every app's scope plus the global one, from the stored properties.
pub fn scopes() -> Vec<Scope> {
    let apps = app::unfiltered_apps().unwrap_or_default();
    let global_alias = settings::computed_app_label_alias(GLOBAL);
    let mut scopes = Vec::new();
    let mut overrides = Vec::new();
    for name in &apps {
        let alias = settings::computed_app_label_alias(name);
        if alias != global_alias {
            overrides.push((name.clone(), alias.clone()));
        }
        scopes.push(Scope::app(
            name,
            &alias,
            &settings::get(name, "vector-sink"),
            &settings::get(name, "vector-cron-sink"),
        ));
    }
    overrides.sort_by(|a, b| a.0.cmp(&b.0));
    scopes.push(Scope::global(
        &global_alias,
        overrides,
        &settings::get(GLOBAL, "vector-sink"),
        &settings::get(GLOBAL, "vector-cron-sink"),
    ));
    scopes
}

/// The rendered config: MarshalIndent output with upstream's `&` and `+` unescaping.
pub fn render(scopes: &[Scope]) -> std::result::Result<String, SinkError> {
    let text = gojson::marshal_indent(&build(scopes)?);
    Ok(text.replace("\\u0026", "&").replace("\\u002B", "+"))
}

pub fn config_path() -> Result<PathBuf> {
    Ok(data::dir(PLUGIN)?.join("vector.json"))
}

/// `writeVectorConfig`: regenerate `data/logs/vector.json` (0600).
pub fn write() -> Result<()> {
    let text = render(&scopes()).map_err(SinkError::into_error)?;
    let path = config_path()?;
    if !path.parent().is_some_and(|p| p.is_dir()) {
        return Err(Error::new(format!(
            "open {}: no such file or directory",
            path.display()
        )));
    }
    dfs::write_atomic(&path, text.as_bytes(), 0o600)
        .map_err(|e| Error::new(format!("open {}: {e}", path.display())))
}

/// `regenerateVectorConfig`: app lifecycle changes rewrite the config, warning on failure.
pub fn regenerate() {
    if let Err(e) = write() {
        log::warn(&format!(
            "Unable to write updated vector config: {}",
            e.message()
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn app_scope(sink: &str, cron: &str) -> Scope {
        Scope::app("myapp", "", sink, cron)
    }

    #[test]
    fn no_sinks_is_a_blackhole() {
        assert_eq!(
            render(&[app_scope("", "")]).unwrap(),
            "{\n  \"sources\": {\n    \"docker-null-source\": {\n      \"type\": \"docker_logs\",\n      \"include_labels\": [\n        \"com.dokku.vector-null\"\n      ]\n    }\n  },\n  \"sinks\": {\n    \"docker-null-sink\": {\n      \"inputs\": [\n        \"docker-null-source\"\n      ],\n      \"print_interval_secs\": 1,\n      \"type\": \"blackhole\"\n    }\n  }\n}"
        );
    }

    #[test]
    fn plain_sink_has_no_transforms() {
        let text = render(&[app_scope("console://?encoding[codec]=json", "")]).unwrap();
        assert!(!text.contains("transforms"), "{text}");
        assert!(text.contains("\"docker-sink:myapp\": {\n      \"encoding\": {\n        \"codec\": \"json\"\n      },\n      \"inputs\": [\n        \"docker-source:myapp\"\n      ],\n      \"type\": \"console\"\n    }"), "{text}");
    }

    #[test]
    fn cron_and_alias_transforms() {
        let scope = Scope::app(
            "myapp",
            "app_name",
            "console://?encoding[codec]=json",
            "console://?encoding[codec]=text",
        );
        let text = render(&[scope]).unwrap();
        assert!(text.contains("\"docker-router:myapp\": {\n      \"type\": \"route\",\n      \"inputs\": [\n        \"docker-source:myapp\"\n      ],\n      \"reroute_unmatched\": true,\n      \"route\": {\n        \"cron\": {\n          \"type\": \"vrl\",\n          \"source\": \".label.\\\"com.dokku.container-type\\\" == \\\"cron\\\"\"\n        }\n      }\n    }"), "{text}");
        assert!(text.contains("\"source\": \".dokku_app = to_string(.label.\\\"com.dokku.app-name\\\") ?? \\\"\\\"\\n.dokku_cron_id = to_string(.label.\\\"com.dokku.cron-id\\\") ?? \\\"\\\"\\n.label.\\\"app_name\\\" = del(.label.\\\"com.dokku.app-name\\\")\""), "{text}");
        assert!(text.contains("\"docker-relabel:myapp\": {\n      \"type\": \"remap\",\n      \"inputs\": [\n        \"docker-router:myapp._unmatched\"\n      ],"), "{text}");
        assert!(text.contains("\"docker-sink:myapp\": {\n      \"encoding\": {\n        \"codec\": \"json\"\n      },\n      \"inputs\": [\n        \"docker-relabel:myapp\"\n      ],"), "{text}");
    }

    #[test]
    fn global_overrides() {
        let scope = Scope::global(
            "svc",
            vec![
                ("a".into(), APP_LABEL_ALIAS.into()),
                ("b".into(), "bee".into()),
            ],
            "console://?x=1",
            "",
        );
        assert_eq!(
            relabel_vrl(&scope),
            "app = to_string(.label.\"com.dokku.app-name\") ?? \"\"\nif app == \"b\" {\n  .label.\"bee\" = del(.label.\"com.dokku.app-name\")\n} else if app != \"a\" {\n  .label.\"svc\" = del(.label.\"com.dokku.app-name\")\n}"
        );
    }
}
