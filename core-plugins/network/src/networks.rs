//! Docker networks as upstream's `functions.go` sees them: the `docker network ls` listing
//! with the dokku label, its JSON rendering, and attaching app containers.

use std::collections::BTreeMap;

use dokku_common::text::push_go_json_string;
use dokku_common::{docker, log, Error, Result};

use crate::network;

/// The label `network:create` puts on every network; its presence marks it dokku-managed.
pub const NAME_LABEL: &str = "com.dokku.network-name";

/// Upstream parses every network's creation time from a fixed example string instead of
/// docker's value, so all networks report this instant.
const CREATED_AT: &str = "2024-02-25T01:55:24.275184461Z";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DockerNetwork {
    pub dokku_managed: bool,
    pub driver: String,
    pub id: String,
    pub internal: bool,
    pub ipv6: bool,
    pub labels: BTreeMap<String, String>,
    pub name: String,
    pub scope: String,
}

impl DockerNetwork {
    /// One line of `docker network ls --format json`.
    fn parse(line: &str) -> Result<DockerNetwork> {
        let value: serde_json::Value =
            serde_json::from_str(line).map_err(|e| Error::new(e.to_string()))?;
        let field = |k: &str| {
            value
                .get(k)
                .and_then(|v| v.as_str())
                .unwrap_or("")
                .to_string()
        };
        // strconv.ParseBool; anything unparsable stays false.
        let boolean = |k: &str| {
            matches!(
                field(k).as_str(),
                "1" | "t" | "T" | "true" | "TRUE" | "True"
            )
        };
        let mut labels = BTreeMap::new();
        for pair in field("Labels").split(',') {
            if let Some((k, v)) = pair.split_once('=') {
                labels.insert(k.to_string(), v.to_string());
            }
        }
        Ok(DockerNetwork {
            dokku_managed: labels.contains_key(NAME_LABEL),
            driver: field("Driver"),
            id: field("ID"),
            internal: boolean("Internal"),
            ipv6: boolean("IPv6"),
            labels,
            name: field("Name"),
            scope: field("Scope"),
        })
    }

    /// The object Go's `json.Marshal` writes for upstream's struct, fields in its order.
    pub fn to_json(&self) -> String {
        let mut out = String::from("{\"CreatedAt\":");
        push_go_json_string(&mut out, CREATED_AT);
        out.push_str(&format!(
            ",\"DokkuManaged\":{},\"Driver\":",
            self.dokku_managed
        ));
        push_go_json_string(&mut out, &self.driver);
        out.push_str(",\"ID\":");
        push_go_json_string(&mut out, &self.id);
        out.push_str(&format!(
            ",\"Internal\":{},\"IPv6\":{},\"Labels\":",
            self.internal, self.ipv6
        ));
        out.push_str(&dokku_common::text::go_json_object(&self.labels));
        out.push_str(",\"Name\":");
        push_go_json_string(&mut out, &self.name);
        out.push_str(",\"Scope\":");
        push_go_json_string(&mut out, &self.scope);
        out.push('}');
        out
    }
}

/// A JSON array of networks.
pub fn list_json(networks: &[&DockerNetwork]) -> String {
    let items: Vec<String> = networks.iter().map(|n| n.to_json()).collect();
    format!("[{}]", items.join(","))
}

/// Every docker network, in `docker network ls` order (upstream iterates a Go map, so its
/// order is random).
pub fn list() -> Result<Vec<DockerNetwork>> {
    let out = docker::run(&["network", "ls", "--format", "json"])?;
    if !out.success() {
        log::verbose_quiet(out.stderr_trimmed());
        return Err(Error::new(out.stderr));
    }
    let mut networks: Vec<DockerNetwork> = Vec::new();
    for line in out.stdout.split('\n').filter(|l| !l.is_empty()) {
        let network = DockerNetwork::parse(line)?;
        // Later duplicates replace earlier ones, as upstream's map keyed by name does.
        networks.retain(|n| n.name != network.name);
        networks.push(network);
    }
    Ok(networks)
}

pub fn find(name: &str) -> Result<Option<DockerNetwork>> {
    Ok(list()?.into_iter().find(|n| n.name == name))
}

pub fn exists(name: &str) -> Result<bool> {
    if name.is_empty() {
        return Err(Error::new("No network name specified"));
    }
    Ok(find(name)?.is_some())
}

/// Whether the container is attached to `network` already.
fn container_in_network(container_id: &str, network_name: &str) -> bool {
    let out = docker::run(&[
        "container",
        "inspect",
        "--format",
        "{{range $net, $v := .NetworkSettings.Networks}}{{println $net}}{{end}}",
        container_id,
    ]);
    match out {
        Ok(o) if o.success() => o.stdout.lines().any(|l| l.trim() == network_name),
        Ok(o) => {
            log::verbose_quiet(&format!(
                "Error checking container networking status: {}",
                o.stderr
            ));
            false
        }
        Err(e) => {
            log::verbose_quiet(&format!(
                "Error checking container networking status: {}",
                e.message()
            ));
            false
        }
    }
}

/// `docker network connect` a container unless it is attached already. In the deploy phase
/// it gets the aliases `<app>.<proc>[.<tld>]` and `<hostname>.<that>`.
pub fn attach(
    container_id: &str,
    network_name: &str,
    app: &str,
    phase: &str,
    process_type: &str,
) -> Result<()> {
    if container_in_network(container_id, network_name) {
        return Ok(());
    }
    let mut args: Vec<String> = vec!["network".into(), "connect".into()];
    if phase == "deploy" {
        let mut alias = format!("{app}.{process_type}");
        let tld = network::computed(app, "tld");
        if !tld.is_empty() {
            alias = format!("{alias}.{tld}");
        }
        args.push("--alias".into());
        args.push(alias.clone());
        match docker::inspect(container_id, "{{ .Config.Hostname }}") {
            Ok(hostname) => {
                args.push("--alias".into());
                args.push(format!("{hostname}.{alias}"));
            }
            Err(e) => log::warn(e.message()),
        }
    }
    args.push("--".into());
    args.push(network_name.into());
    args.push(container_id.into());
    let out = docker::run(&args).map_err(|e| {
        Error::new(format!(
            "Unable to attach container to network: {}",
            e.message()
        ))
    })?;
    if !out.success() {
        return Err(Error::new(format!(
            "Unable to attach container to network: {}",
            out.stderr
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_render() {
        let line = r#"{"CreatedAt":"2026-11-28 06:16:26.833416177 +0000 UTC","Driver":"bridge","ID":"a3c884121bd4","IPv4":"false","IPv6":"false","Internal":"true","Labels":"com.dokku.network-name=x,a=b=c,junk","Name":"x","Scope":"local"}"#;
        let n = DockerNetwork::parse(line).unwrap();
        assert!(n.dokku_managed && n.internal && !n.ipv6);
        assert_eq!(n.labels.get("a").map(String::as_str), Some("b=c"));
        assert_eq!(
            n.to_json(),
            r#"{"CreatedAt":"2024-02-25T01:55:24.275184461Z","DokkuManaged":true,"Driver":"bridge","ID":"a3c884121bd4","Internal":true,"IPv6":false,"Labels":{"a":"b=c","com.dokku.network-name":"x"},"Name":"x","Scope":"local"}"#
        );
        let bridge =
            DockerNetwork::parse(r#"{"Driver":"bridge","Labels":"","Name":"bridge"}"#).unwrap();
        assert!(!bridge.dokku_managed);
        assert!(bridge.to_json().contains(r#""Labels":{}"#));
        assert_eq!(list_json(&[]), "[]");
    }
}
