//! Jira's CSV export ("Export Excel CSV (all fields)" or "(my defaults)"),
//! streamed a row at a time: only the fields an [`Issue`] holds are kept,
//! so memory is in proportion to those, not to descriptions and comments.
//!
//! Jira repeats a column for each value of a multi-valued field: several
//! `Sprint`, `Labels`, `Component/s`, `Fix Version/s` and `Outward issue
//! link (Blocks)` columns. Every column of a name is read. Columns it does
//! not know are ignored. Parents are read from `Parent key`, `Parent` (a
//! key, or an issue id matched to `Issue id`) or `Custom field (Epic
//! Link)`; story points from `Custom field (Story Points)`, `Custom field
//! (Story point estimate)` or `Story Points`.

use std::collections::HashMap;
use std::io::Read;

use super::{ImportError, Issue, Link, MAX_ISSUES, Mapping, TeamSource, value};

/// The columns of one name, by position.
#[derive(Default)]
struct Columns {
    by_name: HashMap<String, Vec<usize>>,
    /// `(position, link type, outward)` for every issue link column.
    links: Vec<(usize, String, bool)>,
}

impl Columns {
    fn new(headers: &csv::ByteRecord) -> Self {
        let mut columns = Columns::default();
        for (i, header) in headers.iter().enumerate() {
            let header = String::from_utf8_lossy(header);
            // The export may start with a byte order mark.
            let header = header.trim_start_matches('\u{feff}').trim();
            for (prefix, outward) in [("Outward issue link (", true), ("Inward issue link (", false)] {
                if let Some(kind) = header.strip_prefix(prefix).and_then(|rest| rest.strip_suffix(')')) {
                    columns.links.push((i, kind.to_owned(), outward));
                }
            }
            columns.by_name.entry(header.to_lowercase()).or_default().push(i);
        }
        columns
    }

    fn positions(&self, names: &[&str]) -> Vec<usize> {
        names.iter().flat_map(|n| self.by_name.get(&n.to_lowercase()).into_iter().flatten().copied()).collect()
    }
}

/// Where each field of an issue is, found once from the header.
struct Layout {
    key: Vec<usize>,
    id: Vec<usize>,
    summary: Vec<usize>,
    kind: Vec<usize>,
    status: Vec<usize>,
    category: Vec<usize>,
    assignee: Vec<usize>,
    project: Vec<usize>,
    components: Vec<usize>,
    labels: Vec<usize>,
    parent_key: Vec<usize>,
    parent: Vec<usize>,
    points: Vec<usize>,
    original: Vec<usize>,
    remaining: Vec<usize>,
    sprints: Vec<usize>,
    versions: Vec<usize>,
    due: Vec<usize>,
    fields: Vec<(String, Vec<usize>)>,
    links: Vec<(usize, String, bool)>,
}

impl Layout {
    fn new(columns: Columns, mapping: &Mapping) -> Result<Self, ImportError> {
        let key = columns.positions(&["Issue key", "Key"]);
        if key.is_empty() {
            return Err(ImportError::MissingColumn { column: "Issue key" });
        }
        let summary = columns.positions(&["Summary"]);
        if summary.is_empty() {
            return Err(ImportError::MissingColumn { column: "Summary" });
        }
        let fields = mapping
            .team
            .iter()
            .filter_map(|s| match s {
                TeamSource::Field(name) => Some((name.clone(), columns.positions(&[name]))),
                _ => None,
            })
            .collect();
        Ok(Layout {
            key,
            summary,
            id: columns.positions(&["Issue id"]),
            kind: columns.positions(&["Issue Type"]),
            status: columns.positions(&["Status"]),
            category: columns.positions(&["Status Category"]),
            assignee: columns.positions(&["Assignee"]),
            project: columns.positions(&["Project key", "Project name"]),
            components: columns.positions(&["Component/s", "Components"]),
            labels: columns.positions(&["Labels"]),
            parent_key: columns.positions(&["Parent key", "Custom field (Epic Link)", "Epic Link"]),
            parent: columns.positions(&["Parent", "Parent id"]),
            points: columns.positions(&[
                "Custom field (Story Points)",
                "Custom field (Story point estimate)",
                "Story Points",
                "Story point estimate",
            ]),
            original: columns.positions(&["Original Estimate", "Original estimate"]),
            remaining: columns.positions(&["Remaining Estimate", "Remaining estimate"]),
            sprints: columns.positions(&["Sprint"]),
            versions: columns.positions(&["Fix Version/s", "Fix versions"]),
            due: columns.positions(&["Due Date", "Due date"]),
            fields,
            links: columns.links,
        })
    }
}

/// The first set value among the columns.
fn first(record: &csv::ByteRecord, at: &[usize]) -> Option<String> {
    at.iter().find_map(|&i| record.get(i).and_then(|b| value(&String::from_utf8_lossy(b))))
}

/// Every set value among the columns, each once, in column order.
fn all(record: &csv::ByteRecord, at: &[usize]) -> Vec<String> {
    let mut values: Vec<String> = Vec::new();
    for &i in at {
        if let Some(v) = record.get(i).and_then(|b| value(&String::from_utf8_lossy(b)))
            && !values.contains(&v)
        {
            values.push(v);
        }
    }
    values
}

/// Reads a Jira CSV export's issues. A row that is not CSV (an unclosed
/// quote at the end, say) is an error with its line; a row short of
/// columns reads the ones it has.
pub fn read(input: impl Read, mapping: &Mapping) -> Result<Vec<Issue>, ImportError> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).has_headers(true).from_reader(input);
    let error = |e: csv::Error| ImportError::Csv {
        line: e.position().map_or(0, |p| p.line()),
        message: match e.kind() {
            csv::ErrorKind::Io(io) => io.to_string(),
            _ => e.to_string(),
        },
    };
    let headers = reader.byte_headers().map_err(error)?.clone();
    let layout = Layout::new(Columns::new(&headers), mapping)?;
    let mut issues = Vec::new();
    let mut record = csv::ByteRecord::new();
    while reader.read_byte_record(&mut record).map_err(error)? {
        if issues.len() == MAX_ISSUES {
            return Err(ImportError::TooManyIssues);
        }
        let key = first(&record, &layout.key).unwrap_or_default();
        let parent = first(&record, &layout.parent_key).or_else(|| first(&record, &layout.parent));
        let mut links = Vec::new();
        for (i, kind, outward) in &layout.links {
            if let Some(other) = record.get(*i).and_then(|b| value(&String::from_utf8_lossy(b))) {
                links.push(Link { kind: kind.clone(), outward: *outward, other });
            }
        }
        let fields =
            layout.fields.iter().filter_map(|(name, at)| first(&record, at).map(|v| (name.clone(), v))).collect();
        issues.push(Issue {
            key,
            id: first(&record, &layout.id),
            summary: first(&record, &layout.summary).unwrap_or_default(),
            kind: first(&record, &layout.kind),
            status: first(&record, &layout.status),
            status_category: first(&record, &layout.category),
            assignee: first(&record, &layout.assignee),
            project: first(&record, &layout.project),
            components: all(&record, &layout.components),
            labels: all(&record, &layout.labels),
            parent,
            story_points: first(&record, &layout.points),
            original_estimate: first(&record, &layout.original),
            remaining_estimate: first(&record, &layout.remaining),
            sprints: all(&record, &layout.sprints),
            fix_versions: all(&record, &layout.versions),
            due: first(&record, &layout.due),
            fields,
            links,
            ..Issue::default()
        });
    }
    Ok(issues)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::{Reason, plan};
    use linchpin_model::doc::PlanDoc;
    use linchpin_model::{ItemStatus, Located};

    const EXPORT: &str = "\u{feff}Summary,Issue key,Issue id,Issue Type,Status,Status Category,Project key,Assignee,Component/s,Component/s,Labels,Labels,Sprint,Sprint,Fix Version/s,Due Date,Original Estimate,Remaining Estimate,Custom field (Story Points),Parent,Outward issue link (Blocks),Outward issue link (Blocks),Inward issue link (Blocks),Outward issue link (Relates)\n\
Checkout epic,PAY-1,10001,Epic,In Progress,In Progress,PAY,Ana,,,,,,,2.0,01/Mar/27 12:00 AM,,,,,,,,\n\
\"Cart, \"\"v2\"\"\",PAY-2,10002,Story,In QA,,PAY,Ben,Web,API,checkout,,Sprint 1,Sprint 2,2.0,,,,3,10001,PAY-3,PAY-9,,PAY-4\n\
\"Order\nservice\",PAY-3,10003,Task,To Do,To Do,PAY,,API,,,,,,,,57600,,,10001,,,PAY-2,\n\
Docs,PAY-4,10004,Task,Done,Done,PAY,,,,,,,,,,1w 2d,,,PAY-2,,,,\n\
Later,PAY-5,10005,Task,Frobnicating,,OPS,,,,,,,,,not a date,forever,,,,,,,\n";

    #[test]
    fn every_column_and_repeated_columns_are_read() {
        let issues = read(EXPORT.as_bytes(), &Mapping::default()).expect("read");
        assert_eq!(issues.len(), 5);
        let cart = &issues[1];
        assert_eq!(cart.key, "PAY-2");
        assert_eq!(cart.summary, "Cart, \"v2\"");
        assert_eq!(cart.components, ["Web", "API"]);
        assert_eq!(cart.sprints, ["Sprint 1", "Sprint 2"]);
        // The parent by its issue id; the plan finds its key, in any file.
        assert_eq!(cart.parent.as_deref(), Some("10001"));
        assert_eq!(cart.links.len(), 3);
        assert_eq!(issues[2].summary, "Order\nservice");
    }

    #[test]
    fn issues_become_items_epics_groups_and_blocking_links_dependencies() {
        let mut mapping = Mapping::default();
        mapping.status.insert("in qa".into(), ItemStatus::InProgress);
        let imported = plan(read(EXPORT.as_bytes(), &mapping).expect("read"), &mapping);
        let doc = &imported.doc;
        assert_eq!(doc.groups.len(), 1);
        assert_eq!(doc.groups[0].id.value, "PAY-1");
        let item = |key: &str| doc.items.iter().find(|i| i.id.value == key).expect(key);
        let cart = item("PAY-2");
        assert_eq!(cart.team.value, "web");
        assert_eq!(cart.group.as_ref().map(|g| g.value.as_str()), Some("PAY-1"));
        assert_eq!(cart.status.as_ref().map(|s| s.value), Some(ItemStatus::InProgress));
        assert_eq!(cart.estimate.as_ref().map(|e| e.value.likely), Some(3.0));
        assert!(cart.tags.contains(&"sprint:Sprint 2".to_owned()) && cart.tags.contains(&"checkout".to_owned()));
        // PAY-2 blocks PAY-3 (recorded on both ends: one dependency).
        let order = item("PAY-3");
        assert_eq!(order.depends.iter().map(|d| d.item.value.as_str()).collect::<Vec<_>>(), ["PAY-2"]);
        assert_eq!(order.estimate.as_ref().map(|e| e.value.likely), Some(2.0));
        assert_eq!(item("PAY-4").estimate.as_ref().map(|e| e.value.likely), Some(7.0));
        assert_eq!(item("PAY-4").tags, ["parent:PAY-2", "type:Task"]);
        assert_eq!(item("PAY-5").team.value, "ops");
        assert_eq!(doc.milestones.len(), 1);
        assert_eq!(doc.milestones[0].requires.len(), 2);
        let dropped = &imported.summary.dropped;
        assert_eq!(dropped[&Reason::LinkOutsideExport].count, 1, "PAY-9");
        assert_eq!(dropped[&Reason::OtherLinkType].count, 1, "Relates");
        assert_eq!(dropped[&Reason::UnknownStatus].examples, ["PAY-5: Frobnicating"]);
        assert_eq!(dropped[&Reason::UnreadableEstimate].examples, ["PAY-5: forever"]);
        assert_eq!(dropped[&Reason::UnreadableDate].count, 1);
        assert_eq!(dropped[&Reason::ParentNotAnEpic].count, 1);
    }

    #[test]
    fn a_parent_named_by_id_is_found_in_another_file_of_the_export() {
        let first = "Issue key,Issue id,Summary,Issue Type,Project key\nE-1,501,Epic,Epic,E\n";
        let second = "Issue key,Issue id,Summary,Issue Type,Project key,Parent\nE-2,502,Story,Story,E,501\n";
        let mapping = Mapping::default();
        let mut issues = read(first.as_bytes(), &mapping).expect("read");
        issues.extend(read(second.as_bytes(), &mapping).expect("read"));
        let imported = plan(issues, &mapping);
        assert_eq!(imported.doc.items[0].group.as_ref().map(|g| g.value.as_str()), Some("E-1"));
    }

    #[test]
    fn links_that_close_a_loop_are_left_out_one_per_loop() {
        let export = "Issue key,Summary,Issue Type,Project key,Parent,Outward issue link (Blocks),Outward issue link (Blocks)\n\
E-1,Epic,Epic,E,,E-2,\n\
E-2,In the epic,Story,E,E-1,E-3,\n\
E-3,Next,Story,E,,E-4,\n\
E-4,Back,Story,E,,E-3,E-5\n\
E-5,Free,Story,E,,,\n";
        let mapping = Mapping::default();
        let imported = plan(read(export.as_bytes(), &mapping).expect("read"), &mapping);
        let cycles = &imported.summary.dropped[&Reason::Cycle];
        // The epic blocking its own story, and E-3 and E-4 blocking each other.
        assert_eq!(cycles.count, 2, "{cycles:?}");
        let depends = |key: &str| -> Vec<String> {
            let item = imported.doc.items.iter().find(|i| i.id.value == key).expect(key);
            item.depends.iter().map(|d| d.item.value.clone()).collect()
        };
        assert_eq!(depends("E-5"), ["E-4"]);
        assert_eq!(depends("E-3").len() + depends("E-4").len(), 2, "one of the pair's links is kept");
        let plan = linchpin_model::resolve(
            &[
                imported.doc.clone(),
                PlanDoc {
                    program: Some(linchpin_model::doc::ProgramDoc {
                        name: Located::unlocated("p".into()),
                        goal: None,
                        start: Located::unlocated(chrono::NaiveDate::from_ymd_opt(2027, 1, 4).expect("date")),
                        status_date: None,
                        calendar: None,
                    }),
                    ..PlanDoc::default()
                },
            ],
            linchpin_model::Origin::Unknown,
        );
        assert!(plan.program.is_some(), "{:?}", plan.diagnostics);
    }

    #[test]
    fn an_export_without_keys_or_with_broken_quoting_is_an_error() {
        let wrong = read("Title,Status\nA,Done\n".as_bytes(), &Mapping::default()).expect_err("no key column");
        assert!(wrong.to_string().contains("Issue key"));
        // Rows of any length are read; a lone quote runs to the end of the file.
        let issues = read("Issue key,Summary\nA-1,\"never closed\n".as_bytes(), &Mapping::default()).expect("read");
        assert_eq!(issues.len(), 1);
    }
}
