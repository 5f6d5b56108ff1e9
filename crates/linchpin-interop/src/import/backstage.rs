//! A Backstage software catalog (`catalog-info.yaml` files, each of any
//! number of YAML documents, one entity each) to the plan's architecture:
//!
//! - `Group` → a team (its `metadata.name`; `spec.profile.displayName`
//!   or `metadata.title` as its name);
//! - `Component` and `Resource` → a system: a component of `spec.type`
//!   `library` is a library, `website` and the rest services; a resource of
//!   type `database` a database, `queue`, `topic`, `kafka` or `stream` a
//!   queue, and the rest services; `spec.owner` (a group) its owner;
//!   `spec.dependsOn` (components and resources) what it depends on;
//! - `API` → an interface: provided by the component that lists it in
//!   `providesApis` (and owned by the API's owner, or that component's),
//!   consumed by the teams owning the components that list it in
//!   `consumesApis`; `spec.lifecycle` `experimental` is a draft contract,
//!   `production` an agreed one, `deprecated` a frozen one;
//! - `System` and `Domain` group components; the plan has no grouping of
//!   systems, so they are counted and left out, as are `User`, `Location`
//!   and `Template` entities.
//!
//! Entity references are read in every form Backstage allows:
//! `component:default/ledger`, `component:ledger`, `default/ledger`,
//! `ledger`, and `{kind, namespace, name}` mappings.

use std::collections::{BTreeMap, HashMap};

use linchpin_model::doc::{InterfaceDoc, PlanDoc, ProviderDoc, SystemDoc, TeamDoc};
use linchpin_model::{ContractStatus, Located, Origin, SystemKind};
use serde_json::Value;

use super::{Imported, Reason, Summary, value};

fn at<T>(value: T) -> Located<T> {
    Located { value, origin: Origin::Unknown }
}

/// The name an entity reference points to, and its kind when it says.
fn reference(v: &Value) -> Option<(Option<String>, String)> {
    match v {
        Value::String(s) => {
            let s = s.trim();
            let (kind, rest) = match s.split_once(':') {
                Some((kind, rest)) => (Some(kind.trim().to_lowercase()), rest),
                None => (None, s),
            };
            let name = rest.rsplit('/').next().unwrap_or(rest);
            value(name).map(|n| (kind, n))
        }
        Value::Object(o) => {
            let name = o.get("name").and_then(Value::as_str).and_then(value)?;
            Some((o.get("kind").and_then(Value::as_str).map(str::to_lowercase), name))
        }
        _ => None,
    }
}

fn text<'a>(v: &'a Value, path: &[&str]) -> Option<&'a str> {
    path.iter().try_fold(v, |v, key| v.get(key))?.as_str()
}

fn list<'a>(v: &'a Value, path: &[&str]) -> &'a [Value] {
    path.iter().try_fold(v, |v, key| v.get(key)).and_then(Value::as_array).map_or(&[], Vec::as_slice)
}

/// The team an owner reference names: a group's; a user owns no team's work.
fn team_owner(owner: Option<(Option<String>, String)>, name: &str, summary: &mut Summary) -> Option<String> {
    match owner? {
        (Some(kind), owner) if kind != "group" => {
            summary.drop(Reason::Unsupported, || format!("{name} is owned by {kind} {owner}, not a group"));
            None
        }
        (_, owner) => Some(owner),
    }
}

/// The catalog's entities (every document of every file) as documents.
pub fn read(entities: &[Value]) -> Imported {
    let mut summary = Summary { issues: entities.len(), ..Summary::default() };
    let mut teams = Vec::new();
    let mut systems: Vec<SystemDoc> = Vec::new();
    // Component name → the team that owns it, for the APIs' consumers.
    let mut owner_of: HashMap<String, String> = HashMap::new();
    // API name → (providing component, consuming components).
    let mut provided: HashMap<String, String> = HashMap::new();
    let mut consumed: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut apis = Vec::new();
    for entity in entities {
        let kind = text(entity, &["kind"]).unwrap_or("").to_lowercase();
        let Some(name) = text(entity, &["metadata", "name"]).and_then(value) else {
            if !entity.is_null() {
                summary.drop(Reason::Incomplete, || format!("a {kind} without metadata.name"));
            }
            continue;
        };
        let title = text(entity, &["metadata", "title"]).and_then(value);
        let owner = entity.get("spec").and_then(|s| s.get("owner")).and_then(reference);
        match kind.as_str() {
            "group" => teams.push(TeamDoc {
                id: at(name.clone()),
                name: text(entity, &["spec", "profile", "displayName"]).and_then(value).or(title),
                lead: None,
                capacity: None,
                capacity_changes: Vec::new(),
                holidays: Vec::new(),
            }),
            "component" | "resource" => {
                let spec_type = text(entity, &["spec", "type"]).unwrap_or("").to_lowercase();
                let system_kind = match (kind.as_str(), spec_type.as_str()) {
                    ("component", "library") => SystemKind::Library,
                    ("resource", "database" | "db" | "postgres" | "mysql") => SystemKind::Database,
                    ("resource", "queue" | "topic" | "kafka" | "kafka-topic" | "stream") => SystemKind::Queue,
                    (_, "external" | "vendor" | "saas") => SystemKind::External,
                    _ => SystemKind::Service,
                };
                let owner = team_owner(owner, &name, &mut summary);
                if let Some(owner) = &owner {
                    owner_of.insert(name.clone(), owner.clone());
                }
                let depends_on = list(entity, &["spec", "dependsOn"])
                    .iter()
                    .filter_map(reference)
                    .filter(|(kind, _)| kind.as_deref().is_none_or(|k| k == "component" || k == "resource"))
                    .map(|(_, n)| at(n))
                    .collect();
                for api in list(entity, &["spec", "providesApis"]).iter().filter_map(reference) {
                    provided.entry(api.1).or_insert_with(|| name.clone());
                }
                for api in list(entity, &["spec", "consumesApis"]).iter().filter_map(reference) {
                    consumed.entry(api.1).or_default().push(name.clone());
                }
                systems.push(SystemDoc {
                    id: at(name),
                    name: title,
                    kind: Some(at(system_kind)),
                    owner: owner.map(at),
                    depends_on,
                });
            }
            "api" => {
                let lifecycle = text(entity, &["spec", "lifecycle"]).unwrap_or("").to_lowercase();
                let owner = team_owner(owner, &name, &mut summary);
                apis.push((name, title, owner, lifecycle));
            }
            "system" | "domain" | "user" | "location" | "template" => {
                summary.drop(Reason::Unsupported, || format!("{kind} {name}"));
            }
            other => summary.drop(Reason::Unsupported, || format!("an entity of kind `{other}`: {name}")),
        }
    }
    let mut interfaces = Vec::new();
    for (name, title, owner, lifecycle) in apis {
        let provider = provided.get(&name).cloned();
        let team = owner.or_else(|| provider.as_ref().and_then(|p| owner_of.get(p).cloned()));
        let Some(team) = team else {
            summary.drop(Reason::NoTeam, || format!("API {name}: no owner and no providing component with one"));
            continue;
        };
        let mut consumers: Vec<String> = consumed
            .get(&name)
            .into_iter()
            .flatten()
            .filter_map(|c| owner_of.get(c).cloned())
            .filter(|t| *t != team)
            .collect();
        consumers.sort();
        consumers.dedup();
        let status = match lifecycle.as_str() {
            "production" => ContractStatus::Agreed,
            "deprecated" => ContractStatus::Frozen,
            _ => ContractStatus::Draft,
        };
        interfaces.push(InterfaceDoc {
            id: at(name),
            name: title,
            provider: at(ProviderDoc { system: provider.map(at), team: Some(at(team)) }),
            consumers: consumers.into_iter().map(at).collect(),
            status: Some(at(status)),
            agreed: None,
            expected: None,
            defined_by: None,
        });
    }
    summary.teams = teams.len();
    summary.items = 0;
    summary.milestones = 0;
    summary.groups = 0;
    summary.dependencies = systems.iter().map(|s| s.depends_on.len()).sum();
    summary.systems = systems.len();
    summary.interfaces = interfaces.len();
    Imported { doc: PlanDoc { teams, systems, interfaces, ..PlanDoc::default() }, summary }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn entity_references_in_every_form() {
        assert_eq!(reference(&json!("component:default/ledger")), Some((Some("component".into()), "ledger".into())));
        assert_eq!(reference(&json!("group:payments")), Some((Some("group".into()), "payments".into())));
        assert_eq!(reference(&json!("default/ledger")), Some((None, "ledger".into())));
        assert_eq!(reference(&json!("ledger")), Some((None, "ledger".into())));
        assert_eq!(reference(&json!({"kind": "Group", "name": "ops"})), Some((Some("group".into()), "ops".into())));
        assert_eq!(reference(&json!(7)), None);
    }

    #[test]
    fn groups_components_resources_and_apis() {
        let entities = [
            json!({"apiVersion": "backstage.io/v1alpha1", "kind": "Group", "metadata": {"name": "ledger"}, "spec": {"type": "team", "profile": {"displayName": "Ledger team"}, "children": []}}),
            json!({"kind": "Group", "metadata": {"name": "billing"}, "spec": {"type": "team"}}),
            json!({"kind": "Component", "metadata": {"name": "ledger-svc", "title": "Ledger"}, "spec": {"type": "service", "lifecycle": "production", "owner": "group:default/ledger", "system": "payments", "dependsOn": ["resource:default/ledger-db", "component:kafka"], "providesApis": ["ledger-api"]}}),
            json!({"kind": "Resource", "metadata": {"name": "ledger-db"}, "spec": {"type": "database", "owner": "ledger"}}),
            json!({"kind": "Resource", "metadata": {"name": "kafka"}, "spec": {"type": "kafka", "owner": "user:default/jo"}}),
            json!({"kind": "Component", "metadata": {"name": "billing-svc"}, "spec": {"type": "service", "owner": "billing", "consumesApis": ["api:default/ledger-api"]}}),
            json!({"kind": "API", "metadata": {"name": "ledger-api"}, "spec": {"type": "openapi", "lifecycle": "experimental", "owner": "ledger", "definition": "openapi: 3.0.0"}}),
            json!({"kind": "System", "metadata": {"name": "payments"}, "spec": {"owner": "ledger"}}),
        ];
        let imported = read(&entities);
        let doc = &imported.doc;
        assert_eq!(doc.teams.len(), 2);
        assert_eq!(doc.teams[0].name.as_deref(), Some("Ledger team"));
        let system = |id: &str| doc.systems.iter().find(|s| s.id.value == id).expect(id);
        assert_eq!(
            system("ledger-svc").depends_on.iter().map(|d| d.value.as_str()).collect::<Vec<_>>(),
            ["ledger-db", "kafka"]
        );
        assert_eq!(system("ledger-db").kind.as_ref().map(|k| k.value), Some(SystemKind::Database));
        assert_eq!(system("kafka").kind.as_ref().map(|k| k.value), Some(SystemKind::Queue));
        assert!(system("kafka").owner.is_none(), "a user is not a team");
        let api = &doc.interfaces[0];
        assert_eq!(api.provider.value.system.as_ref().map(|s| s.value.as_str()), Some("ledger-svc"));
        assert_eq!(api.consumers.iter().map(|c| c.value.as_str()).collect::<Vec<_>>(), ["billing"]);
        assert_eq!(api.status.as_ref().map(|s| s.value), Some(ContractStatus::Draft));
        assert_eq!(imported.summary.dropped[&Reason::Unsupported].count, 2, "the user owner and the System");
    }
}
