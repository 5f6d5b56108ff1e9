//! GitHub issues as JSON, in the three shapes GitHub gives them:
//!
//! - `gh issue list --json number,title,state,labels,assignees,milestone,url`
//!   (a list of issues; labels and assignees as lists of objects);
//! - the REST API's `GET /repos/OWNER/REPO/issues` pages (a list; pull
//!   requests, which the same endpoint returns, are left out);
//! - GraphQL (`gh api graphql`) with `data.repository.issues.nodes` or
//!   `data.search.nodes`, where lists are `{nodes: [...]}`.
//!
//! An issue's dependencies are its `blockedBy` (GraphQL) or `blocked_by`
//! list, each an issue number or an issue; its sub-issues its `subIssues`
//! or `sub_issues` list, or its `parent`. An issue with sub-issues becomes
//! a group of them. A milestone becomes a Linchpin milestone with its due
//! date (`due_on`, `dueOn`) as the target. The issue's repository (from
//! `url` or `repository_url`) is its `project`; its id is `REPO#NUMBER`.

use std::collections::HashSet;

use serde_json::Value;

use super::{ImportError, Issue, Link, MAX_ISSUES, value};

/// The issues a JSON document holds, in any of the shapes above.
fn issues_of(root: &Value) -> Option<&[Value]> {
    if let Some(list) = root.as_array() {
        return Some(list);
    }
    let data = root.get("data")?;
    let nodes = data
        .get("repository")
        .and_then(|r| r.get("issues"))
        .or_else(|| data.get("search"))
        .or_else(|| data.get("organization").and_then(|o| o.get("repository")).and_then(|r| r.get("issues")))?;
    nodes.get("nodes").and_then(Value::as_array).map(Vec::as_slice)
}

/// A list field as REST (`[..]`) or GraphQL (`{nodes: [..]}`) writes it.
fn items(v: Option<&Value>) -> &[Value] {
    match v {
        Some(Value::Array(a)) => a,
        Some(Value::Object(o)) => o.get("nodes").and_then(Value::as_array).map_or(&[], Vec::as_slice),
        _ => &[],
    }
}

fn text(v: Option<&Value>) -> Option<String> {
    v.and_then(Value::as_str).and_then(value)
}

/// The repository's name from an issue's URL (`https://github.com/o/REPO/issues/1`
/// or `https://api.github.com/repos/o/REPO`).
fn repository(issue: &Value) -> Option<String> {
    if let Some(name) = issue.get("repository").and_then(|r| r.get("name")).and_then(Value::as_str) {
        return value(name);
    }
    let url =
        text(issue.get("repository_url")).or_else(|| text(issue.get("html_url"))).or_else(|| text(issue.get("url")))?;
    let parts: Vec<&str> = url.split('/').collect();
    let at = parts
        .iter()
        .position(|p| *p == "repos")
        .map(|i| i + 2)
        .or_else(|| parts.iter().position(|p| *p == "issues").and_then(|i| i.checked_sub(1)))?;
    parts.get(at).and_then(|r| value(r))
}

/// An issue number, from a number or an issue object.
fn number(v: &Value) -> Option<u64> {
    v.as_u64().or_else(|| v.get("number").and_then(Value::as_u64))
}

/// Reads one file of GitHub issues. Pull requests are left out.
pub fn read(input: impl std::io::Read) -> Result<Vec<Issue>, ImportError> {
    let root: Value = serde_json::from_reader(input)
        .map_err(|e| ImportError::Json { line: e.line() as u64, message: e.to_string() })?;
    let list = issues_of(&root).ok_or_else(|| ImportError::Json {
        line: 1,
        message: "not GitHub issues: a list of issues, or GraphQL's data.repository.issues.nodes".into(),
    })?;
    if list.len() > MAX_ISSUES {
        return Err(ImportError::TooManyIssues);
    }
    let repo_of = |issue: &Value| repository(issue).unwrap_or_else(|| "github".to_owned());
    let key = |repo: &str, n: u64| format!("{repo}#{n}");
    let mut parents: HashSet<String> = HashSet::new();
    let mut issues = Vec::new();
    for raw in list {
        if raw.get("pull_request").is_some() || raw.get("isPullRequest").and_then(Value::as_bool) == Some(true) {
            continue;
        }
        let Some(n) = number(raw) else { continue };
        let repo = repo_of(raw);
        let state = text(raw.get("state")).map(|s| s.to_lowercase());
        let mut issue = Issue {
            key: key(&repo, n),
            summary: text(raw.get("title")).unwrap_or_default(),
            status: state.clone(),
            status_category: state.map(|s| if s == "closed" { "Done".to_owned() } else { "To Do".to_owned() }),
            assignee: items(raw.get("assignees"))
                .iter()
                .find_map(|a| text(a.get("login")).or_else(|| text(a.get("name")))),
            project: Some(repo.clone()),
            labels: items(raw.get("labels"))
                .iter()
                .filter_map(|l| text(l.get("name")).or_else(|| text(Some(l))))
                .collect(),
            ..Issue::default()
        };
        // A label naming a status (`in progress`, `blocked`) says more than `open`.
        if let Some(label) = issue
            .labels
            .iter()
            .find(|l| matches!(l.to_lowercase().as_str(), "in progress" | "in-progress" | "blocked" | "in review"))
            && issue.status.as_deref() == Some("open")
        {
            issue.status = Some(label.clone());
            issue.status_category = None;
        }
        if let Some(milestone) = raw.get("milestone").filter(|m| m.is_object())
            && let Some(title) = text(milestone.get("title"))
        {
            issue.fix_versions.push(title.clone());
            issue.version_due =
                text(milestone.get("due_on")).or_else(|| text(milestone.get("dueOn"))).map(|d| (title, d));
        }
        for before in items(raw.get("blockedBy")).iter().chain(items(raw.get("blocked_by"))).filter_map(number) {
            issue.links.push(Link { kind: "Blocks".into(), outward: false, other: key(&repo, before) });
        }
        // The REST API counts an issue's blockers but lists them only at
        // their own endpoint: a count the file does not list is reported.
        let counted = raw
            .get("issue_dependencies_summary")
            .and_then(|d| d.get("total_blocked_by").or_else(|| d.get("blocked_by")))
            .and_then(Value::as_u64)
            .unwrap_or(0);
        issue.unlisted_blockers = counted.saturating_sub(issue.links.len() as u64);
        for child in items(raw.get("subIssues")).iter().chain(items(raw.get("sub_issues"))).filter_map(number) {
            issue.kind = Some("Epic".into());
            issue.children.push(key(&repo, child));
        }
        if let Some(parent) = raw.get("parent").and_then(number) {
            issue.parent = Some(key(&repo, parent));
            parents.insert(key(&repo, parent));
        }
        issues.push(issue);
    }
    // A parent named only from its sub-issues is a group too, and a
    // sub-issue listed only on its parent knows its parent.
    let children: Vec<(String, String)> =
        issues.iter().flat_map(|i| i.children.iter().map(|c| (c.clone(), i.key.clone()))).collect();
    for issue in &mut issues {
        if parents.contains(&issue.key) {
            issue.kind = Some("Epic".into());
        }
        if issue.parent.is_none()
            && let Some((_, parent)) = children.iter().find(|(c, _)| *c == issue.key)
        {
            issue.parent = Some(parent.clone());
        }
    }
    Ok(issues)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::{Mapping, Reason, plan};
    use linchpin_model::ItemStatus;

    #[test]
    fn rest_issues_with_dependencies_sub_issues_and_milestones() {
        let rest = r#"[
          {"number": 1, "title": "Checkout rebuild", "state": "open", "repository_url": "https://api.github.com/repos/acme/web",
           "labels": [{"name": "epic"}], "assignees": [], "sub_issues": [2, 3], "milestone": null},
          {"number": 2, "title": "Cart, \"v2\"", "state": "closed", "repository_url": "https://api.github.com/repos/acme/web",
           "labels": [{"name": "backend"}], "assignees": [{"login": "ben"}],
           "milestone": {"title": "v2.0", "due_on": "2027-03-01T08:00:00Z"}},
          {"number": 3, "title": "Payment form", "state": "open", "repository_url": "https://api.github.com/repos/acme/web",
           "labels": [{"name": "in progress"}], "assignees": [{"login": "chen"}], "blocked_by": [{"number": 2}, 9],
           "milestone": {"title": "v2.0", "due_on": "2027-03-01T08:00:00Z"}},
          {"number": 4, "title": "A pull request", "state": "open", "pull_request": {"url": "x"},
           "repository_url": "https://api.github.com/repos/acme/web"}
        ]"#;
        let issues = read(rest.as_bytes()).expect("read");
        assert_eq!(issues.len(), 3, "the pull request is left out");
        let imported = plan(issues, &Mapping::default());
        let doc = &imported.doc;
        assert_eq!(doc.groups.len(), 1);
        assert_eq!(doc.groups[0].id.value, "web#1");
        let item = |key: &str| doc.items.iter().find(|i| i.id.value == key).expect(key);
        assert_eq!(item("web#2").status.as_ref().map(|s| s.value), Some(ItemStatus::Done));
        assert_eq!(item("web#2").team.value, "web");
        assert_eq!(item("web#3").status.as_ref().map(|s| s.value), Some(ItemStatus::InProgress));
        assert_eq!(item("web#3").group.as_ref().map(|g| g.value.as_str()), Some("web#1"));
        assert_eq!(item("web#3").depends.iter().map(|d| d.item.value.as_str()).collect::<Vec<_>>(), ["web#2"]);
        assert_eq!(doc.milestones.len(), 1);
        assert_eq!(doc.milestones[0].target.as_ref().map(|t| t.value.to_string()).as_deref(), Some("2027-03-01"));
        assert_eq!(imported.summary.dropped[&Reason::LinkOutsideExport].count, 1, "#9");
    }

    #[test]
    fn blockers_the_rest_api_counts_but_the_file_does_not_list_are_reported() {
        let rest = r#"[
          {"number": 1, "title": "Schema", "state": "open", "repository_url": "https://api.github.com/repos/acme/api"},
          {"number": 2, "title": "Endpoints", "state": "open", "repository_url": "https://api.github.com/repos/acme/api",
           "issue_dependencies_summary": {"blocked_by": 1, "total_blocked_by": 2, "blocking": 0, "total_blocking": 0}},
          {"number": 3, "title": "Client", "state": "open", "repository_url": "https://api.github.com/repos/acme/api",
           "issue_dependencies_summary": {"blocked_by": 1, "total_blocked_by": 1}, "blocked_by": [{"number": 1}]}
        ]"#;
        let imported = plan(read(rest.as_bytes()).expect("read"), &Mapping::default());
        let unlisted = &imported.summary.dropped[&Reason::UnlistedDependencies];
        assert_eq!(unlisted.count, 1, "only #2: #3 lists its one blocker");
        assert_eq!(unlisted.examples, ["api#2: 2 not listed"]);
        let client = imported.doc.items.iter().find(|i| i.id.value == "api#3").expect("api#3");
        assert_eq!(client.depends.iter().map(|d| d.item.value.as_str()).collect::<Vec<_>>(), ["api#1"]);
    }

    #[test]
    fn graphql_and_gh_list_shapes() {
        let graphql = r#"{"data": {"repository": {"issues": {"nodes": [
          {"number": 7, "title": "Parent", "state": "OPEN", "url": "https://github.com/acme/api/issues/7",
           "labels": {"nodes": []}, "assignees": {"nodes": [{"login": "ana"}]}, "subIssues": {"nodes": [{"number": 8}]}},
          {"number": 8, "title": "Child", "state": "OPEN", "url": "https://github.com/acme/api/issues/8",
           "labels": {"nodes": [{"name": "team:api"}]}, "blockedBy": {"nodes": [{"number": 7}]}, "milestone": {"title": "M", "dueOn": "2027-02-01T00:00:00Z"}}
        ]}}}}"#;
        let issues = read(graphql.as_bytes()).expect("read");
        assert_eq!(issues[1].parent.as_deref(), Some("api#7"));
        assert_eq!(issues[1].links[0].other, "api#7");
        assert_eq!(issues[0].kind.as_deref(), Some("Epic"));
        let wrong = read(&b"{\"data\": {}}"[..]).expect_err("not issues").to_string();
        assert!(wrong.contains("not GitHub issues"), "{wrong}");
    }
}
