//! The JSON of Jira's REST search (`GET /rest/api/3/search?jql=...`, or
//! `/rest/api/2/search`): one page per file, `{"issues": [...]}`, each
//! issue's `key`, `id` and `fields`. Only the fields an [`Issue`] holds are
//! kept as the page is read (serde skips the rest without building them),
//! so a page's descriptions, comments and changelogs never sit in memory.
//!
//! Story points and sprints live in custom fields whose ids differ per
//! site: `points_field` and `sprint_field` in the mapping name them
//! (defaults `customfield_10016` and `customfield_10020`, Jira Cloud's);
//! `field:customfield_NNNNN` teams read any other.

use std::collections::HashSet;
use std::fmt;
use std::io::Read;

use serde::Deserialize;
use serde::de::{DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use super::{ImportError, Issue, Link, MAX_ISSUES, Mapping, TeamSource, value};

/// A page of search results, keeping of each issue what the seed wants.
struct Page<'m> {
    wanted: &'m Wanted,
}

/// The custom fields this import reads.
struct Wanted {
    points: String,
    sprint: String,
    fields: HashSet<String>,
}

impl<'de> DeserializeSeed<'de> for Page<'_> {
    type Value = Vec<Issue>;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Vec<Issue>, D::Error> {
        struct PageVisitor<'m>(&'m Wanted);
        impl<'de> Visitor<'de> for PageVisitor<'_> {
            type Value = Vec<Issue>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a Jira search page, an object with `issues`")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Vec<Issue>, A::Error> {
                let mut issues = None;
                while let Some(key) = map.next_key::<String>()? {
                    if key == "issues" {
                        issues = Some(map.next_value_seed(Issues(self.0))?);
                    } else {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
                issues.ok_or_else(|| serde::de::Error::missing_field("issues"))
            }
        }
        d.deserialize_map(PageVisitor(self.wanted))
    }
}

struct Issues<'m>(&'m Wanted);

impl<'de> DeserializeSeed<'de> for Issues<'_> {
    type Value = Vec<Issue>;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Vec<Issue>, D::Error> {
        struct IssuesVisitor<'m>(&'m Wanted);
        impl<'de> Visitor<'de> for IssuesVisitor<'_> {
            type Value = Vec<Issue>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a list of issues")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<Issue>, A::Error> {
                let mut issues = Vec::new();
                while let Some(issue) = seq.next_element_seed(OneIssue(self.0))? {
                    if issues.len() == MAX_ISSUES {
                        return Err(serde::de::Error::custom(format!("more than {MAX_ISSUES} issues")));
                    }
                    issues.push(issue);
                }
                Ok(issues)
            }
        }
        d.deserialize_seq(IssuesVisitor(self.0))
    }
}

struct OneIssue<'m>(&'m Wanted);

impl<'de> DeserializeSeed<'de> for OneIssue<'_> {
    type Value = Issue;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Issue, D::Error> {
        struct IssueVisitor<'m>(&'m Wanted);
        impl<'de> Visitor<'de> for IssueVisitor<'_> {
            type Value = Issue;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an issue, an object with `key` and `fields`")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Issue, A::Error> {
                let mut issue = Issue::default();
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "key" => {
                            issue.key = map.next_value::<Option<String>>()?.and_then(|k| value(&k)).unwrap_or_default()
                        }
                        "fields" => map.next_value_seed(FieldsSeed { wanted: self.0, issue: &mut issue })?,
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                Ok(issue)
            }
        }
        d.deserialize_map(IssueVisitor(self.0))
    }
}

struct FieldsSeed<'m, 'i> {
    wanted: &'m Wanted,
    issue: &'i mut Issue,
}

/// The parts of Jira's objects an import reads.
#[derive(Deserialize)]
struct Named {
    name: Option<String>,
}

#[derive(Deserialize)]
struct Status {
    name: Option<String>,
    #[serde(rename = "statusCategory")]
    category: Option<Named>,
}

#[derive(Deserialize)]
struct Person {
    #[serde(rename = "displayName")]
    display_name: Option<String>,
}

#[derive(Deserialize)]
struct Project {
    key: Option<String>,
}

#[derive(Deserialize)]
struct Keyed {
    key: Option<String>,
}

#[derive(Deserialize)]
struct IssueLink {
    #[serde(rename = "type")]
    kind: Option<Named>,
    #[serde(rename = "outwardIssue")]
    outward: Option<Keyed>,
    #[serde(rename = "inwardIssue")]
    inward: Option<Keyed>,
}

/// A custom field's value as text: a string or number, an option's
/// `value`, an object's `name`, or the first of a list.
fn text_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => value(s),
        Value::Number(n) => Some(n.to_string()),
        Value::Object(o) => ["value", "name", "displayName", "key"].iter().find_map(|k| o.get(*k).and_then(text_of)),
        Value::Array(a) => a.iter().find_map(text_of),
        _ => None,
    }
}

/// Every value of a list field as text (sprints are objects with `name`).
fn texts_of(v: &Value) -> Vec<String> {
    match v {
        Value::Array(a) => a.iter().filter_map(text_of).collect(),
        other => text_of(other).into_iter().collect(),
    }
}

impl<'de> DeserializeSeed<'de> for FieldsSeed<'_, '_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        struct FieldsVisitor<'m, 'i>(&'m Wanted, &'i mut Issue);
        impl<'de> Visitor<'de> for FieldsVisitor<'_, '_> {
            type Value = ();
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an issue's fields")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
                let (wanted, issue) = (self.0, self.1);
                let names = |v: Option<Vec<Named>>| -> Vec<String> {
                    v.unwrap_or_default().into_iter().filter_map(|n| n.name.and_then(|s| value(&s))).collect()
                };
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "summary" => {
                            issue.summary =
                                map.next_value::<Option<String>>()?.and_then(|s| value(&s)).unwrap_or_default()
                        }
                        "issuetype" => {
                            issue.kind = map.next_value::<Option<Named>>()?.and_then(|n| n.name).and_then(|s| value(&s))
                        }
                        "status" => {
                            if let Some(status) = map.next_value::<Option<Status>>()? {
                                issue.status = status.name.and_then(|s| value(&s));
                                issue.status_category = status.category.and_then(|c| c.name).and_then(|s| value(&s));
                            }
                        }
                        "assignee" => {
                            issue.assignee =
                                map.next_value::<Option<Person>>()?.and_then(|p| p.display_name).and_then(|s| value(&s))
                        }
                        "project" => {
                            issue.project =
                                map.next_value::<Option<Project>>()?.and_then(|p| p.key).and_then(|s| value(&s))
                        }
                        "components" => issue.components = names(map.next_value()?),
                        "fixVersions" => issue.fix_versions = names(map.next_value()?),
                        "labels" => {
                            let labels: Option<Vec<String>> = map.next_value()?;
                            issue.labels = labels.unwrap_or_default().iter().filter_map(|l| value(l)).collect();
                        }
                        "parent" => {
                            issue.parent =
                                map.next_value::<Option<Keyed>>()?.and_then(|k| k.key).and_then(|s| value(&s))
                        }
                        "timeoriginalestimate" => {
                            issue.original_estimate = map.next_value::<Option<Value>>()?.as_ref().and_then(text_of)
                        }
                        "timeestimate" => {
                            issue.remaining_estimate = map.next_value::<Option<Value>>()?.as_ref().and_then(text_of)
                        }
                        "duedate" => issue.due = map.next_value::<Option<String>>()?.and_then(|s| value(&s)),
                        "issuelinks" => {
                            let links: Option<Vec<IssueLink>> = map.next_value()?;
                            for link in links.unwrap_or_default() {
                                let kind = link.kind.and_then(|k| k.name).unwrap_or_default();
                                if let Some(other) = link.outward.and_then(|k| k.key) {
                                    issue.links.push(Link { kind: kind.clone(), outward: true, other });
                                }
                                if let Some(other) = link.inward.and_then(|k| k.key) {
                                    issue.links.push(Link { kind, outward: false, other });
                                }
                            }
                        }
                        other if other == wanted.points => {
                            issue.story_points = map.next_value::<Option<Value>>()?.as_ref().and_then(text_of)
                        }
                        other if other == wanted.sprint => {
                            issue.sprints =
                                map.next_value::<Option<Value>>()?.as_ref().map(texts_of).unwrap_or_default()
                        }
                        other if wanted.fields.contains(other) => {
                            if let Some(v) = map.next_value::<Option<Value>>()?.as_ref().and_then(text_of) {
                                issue.fields.push((key.clone(), v));
                            }
                        }
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                Ok(())
            }
        }
        d.deserialize_map(FieldsVisitor(self.wanted, self.issue))
    }
}

/// Reads one page of Jira's REST search results.
pub fn read(input: impl Read, mapping: &Mapping) -> Result<Vec<Issue>, ImportError> {
    let wanted = Wanted {
        points: mapping.points_field.clone(),
        sprint: mapping.sprint_field.clone(),
        fields: mapping
            .team
            .iter()
            .filter_map(|s| match s {
                TeamSource::Field(name) => Some(name.clone()),
                _ => None,
            })
            .collect(),
    };
    let mut reader = serde_json::Deserializer::from_reader(input);
    let issues = Page { wanted: &wanted }.deserialize(&mut reader).map_err(json_error)?;
    reader.end().map_err(json_error)?;
    Ok(issues)
}

fn json_error(e: serde_json::Error) -> ImportError {
    ImportError::Json { line: e.line() as u64, message: e.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::{Reason, plan};
    use linchpin_model::ItemStatus;

    const PAGE: &str = r#"{"startAt": 0, "maxResults": 50, "total": 3, "expand": "names", "issues": [
      {"id": "10001", "key": "CHK-1", "fields": {"summary": "Checkout rebuild", "issuetype": {"name": "Epic"},
        "status": {"name": "In Progress", "statusCategory": {"key": "indeterminate", "name": "In Progress"}},
        "project": {"key": "CHK"}, "duedate": "2027-03-01", "description": {"type": "doc", "content": []}}},
      {"id": "10002", "key": "CHK-2", "fields": {"summary": "Cart, \"v2\"\nsecond line", "issuetype": {"name": "Story"},
        "status": {"name": "In Review", "statusCategory": {"key": "indeterminate", "name": "In Progress"}},
        "assignee": {"displayName": "Ben Okafor", "emailAddress": "ben@example.com"}, "project": {"key": "CHK"},
        "components": [{"name": "API"}, {"name": "Web"}], "labels": ["backend"], "parent": {"key": "CHK-1"},
        "customfield_10016": 5, "timeestimate": 57600, "customfield_10020": [{"id": 1, "name": "Sprint 1"}, {"id": 2, "name": "Sprint 2"}],
        "customfield_10050": {"value": "Payments API"},
        "fixVersions": [{"name": "2.0", "releaseDate": "2027-03-01"}],
        "issuelinks": [{"type": {"name": "Blocks", "inward": "is blocked by", "outward": "blocks"}, "outwardIssue": {"key": "CHK-3"}},
                       {"type": {"name": "Relates"}, "outwardIssue": {"key": "OPS-9"}}]}},
      {"id": "10003", "key": "CHK-3", "fields": {"summary": "Order service", "issuetype": {"name": "Task"},
        "status": {"name": "To Do", "statusCategory": {"name": "To Do"}}, "project": {"key": "CHK"},
        "components": [], "timeoriginalestimate": 57600, "duedate": null, "assignee": null,
        "issuelinks": [{"type": {"name": "Blocks"}, "inwardIssue": {"key": "CHK-2"}}]}}
    ]}"#;

    #[test]
    fn a_search_page_becomes_issues_and_a_plan() {
        let mut mapping = Mapping::default();
        mapping.team.insert(0, TeamSource::Field("customfield_10050".into()));
        let issues = read(PAGE.as_bytes(), &mapping).expect("read");
        assert_eq!(issues.len(), 3);
        let cart = &issues[1];
        assert_eq!(cart.summary, "Cart, \"v2\"\nsecond line");
        assert_eq!(cart.assignee.as_deref(), Some("Ben Okafor"));
        assert_eq!(cart.sprints, ["Sprint 1", "Sprint 2"]);
        assert_eq!(cart.story_points.as_deref(), Some("5"));
        assert_eq!(cart.fields, [("customfield_10050".to_owned(), "Payments API".to_owned())]);
        let imported = plan(issues, &mapping);
        let item = |key: &str| imported.doc.items.iter().find(|i| i.id.value == key).expect(key);
        assert_eq!(item("CHK-2").team.value, "payments-api");
        assert_eq!(item("CHK-2").status.as_ref().map(|s| s.value), Some(ItemStatus::InProgress));
        assert_eq!(item("CHK-2").remaining.as_ref().map(|r| r.value), Some(2.0));
        assert_eq!(item("CHK-3").team.value, "chk");
        assert_eq!(item("CHK-3").estimate.as_ref().map(|e| e.value.likely), Some(2.0));
        assert_eq!(item("CHK-3").depends.len(), 1);
        assert_eq!(
            imported.doc.groups[0].deadline.as_ref().map(|d| d.value.to_string()).as_deref(),
            Some("2027-03-01")
        );
        assert_eq!(imported.summary.dropped[&Reason::OtherLinkType].count, 1);
    }

    #[test]
    fn what_is_not_a_search_page_is_an_error_with_its_line() {
        let wrong = |text: &str| read(text.as_bytes(), &Mapping::default()).expect_err("refused").to_string();
        assert!(wrong("[1, 2]").contains("a Jira search page"));
        assert!(wrong("{\"total\": 0}").contains("missing field `issues`"));
        assert!(wrong("{\"issues\": [{\"key\": 5}]}").contains("line 1"));
        assert!(wrong("{\"issues\": []} trailing").contains("trailing"));
        assert!(read(&b"{\"issues\": []}"[..], &Mapping::default()).expect("empty").is_empty());
    }
}
