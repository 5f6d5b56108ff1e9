//! Trackers' exports to the model's documents. Each reader turns its
//! format into [`Issue`]s, the fields every tracker has, and [`plan`]
//! turns issues into one [`PlanDoc`] by the [`Mapping`]: items, epics as
//! groups, teams, fix versions as milestones and blocking links as
//! dependencies, with a [`Summary`] of what was mapped and what was
//! dropped, and why. The documents go through the model's resolver like
//! any plan file's.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{Datelike, NaiveDate};
use linchpin_model::doc::{DependencyDoc, EstimateDoc, GroupDoc, ItemDoc, MilestoneDoc, PlanDoc, TeamDoc};
use linchpin_model::{GroupKind, ItemStatus, Located, Origin};

pub mod backstage;
pub mod github;
pub mod jira_csv;
pub mod jira_json;
mod mapping;
pub mod mspdi;

pub use mapping::{EstimateSource, Mapping, MappingError, TagSource, TeamSource};

/// The most issues one import takes: the most items a plan may hold.
pub const MAX_ISSUES: usize = 1_000_000;
/// The largest file one import reads.
pub const MAX_FILE_BYTES: u64 = 1 << 30;
/// The most characters of any one value kept (a title, a name, a label).
pub const MAX_VALUE_CHARS: usize = 1_000;

/// Why an export could not be read at all.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("line {line}: {message}")]
    Csv { line: u64, message: String },
    #[error("line {line}: {message}")]
    Json { line: u64, message: String },
    #[error("the export has no `{column}` column; is it a Jira CSV export?")]
    MissingColumn { column: &'static str },
    #[error("the export holds more than {MAX_ISSUES} issues, the most a plan may hold")]
    TooManyIssues,
    #[error(transparent)]
    Mspdi(#[from] mspdi::MspdiError),
    #[error("{0}")]
    Yaml(String),
}

/// A tracker's issue, as every format has it. Text is cut to
/// [`MAX_VALUE_CHARS`]; empty values are absent.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Issue {
    pub key: String,
    /// The tracker's own number for the issue (Jira's `Issue id`), which a
    /// parent may be named by.
    pub id: Option<String>,
    pub summary: String,
    /// `Story`, `Bug`, `Epic`...
    pub kind: Option<String>,
    pub status: Option<String>,
    /// `To Do`, `In Progress` or `Done`: the category the status belongs to.
    pub status_category: Option<String>,
    pub assignee: Option<String>,
    pub project: Option<String>,
    pub components: Vec<String>,
    pub labels: Vec<String>,
    /// The epic or parent issue's key.
    pub parent: Option<String>,
    pub story_points: Option<String>,
    /// Time estimates as the export writes them: seconds, or `2w 3d 4h`.
    pub original_estimate: Option<String>,
    pub remaining_estimate: Option<String>,
    pub sprints: Vec<String>,
    pub fix_versions: Vec<String>,
    /// A fix version's (or milestone's) due date, where the export has it.
    pub version_due: Option<(String, String)>,
    /// Keys of the issues inside this one (GitHub's sub-issues).
    pub children: Vec<String>,
    pub due: Option<String>,
    /// Values of the fields the mapping names (`field:NAME` teams).
    pub fields: Vec<(String, String)>,
    pub links: Vec<Link>,
    /// Blockers the tracker counts that the file does not list (GitHub's
    /// `issue_dependencies_summary` without the `blocked_by` list).
    pub unlisted_blockers: u64,
}

/// A link between two issues as the tracker records it on one of them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    /// The link type's name (`Blocks`, `Relates`).
    pub kind: String,
    /// Whether this issue is the link's source (`blocks`), not its target
    /// (`is blocked by`).
    pub outward: bool,
    pub other: String,
}

/// What an import mapped, and what it left out and why.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Summary {
    pub issues: usize,
    pub items: usize,
    pub groups: usize,
    pub teams: usize,
    pub dependencies: usize,
    pub milestones: usize,
    /// From a service catalog: systems and interfaces.
    pub systems: usize,
    pub interfaces: usize,
    /// What was left out, by reason, with the issues it concerns (at most
    /// [`Summary::EXAMPLES`] of each kept; `count` is all of them).
    pub dropped: BTreeMap<Reason, Dropped>,
}

impl Summary {
    /// The most examples kept per reason.
    pub const EXAMPLES: usize = 10;

    fn drop(&mut self, reason: Reason, example: impl FnOnce() -> String) {
        let entry = self.dropped.entry(reason).or_default();
        entry.count += 1;
        if entry.examples.len() < Self::EXAMPLES {
            entry.examples.push(example());
        }
    }
}

/// How often one thing was left out, with the first few cases.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Dropped {
    pub count: usize,
    pub examples: Vec<String>,
}

/// Why part of an issue was not imported.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Reason {
    /// No team could be read from the fields the mapping names.
    NoTeam,
    /// A link type that is not a dependency (`Relates`, `Duplicate`).
    OtherLinkType,
    /// A link to an issue that is not in the export.
    LinkOutsideExport,
    /// An estimate that could not be read as points or time.
    UnreadableEstimate,
    /// A due date that could not be read.
    UnreadableDate,
    /// A status with no category and no mapping; taken as not started.
    UnknownStatus,
    /// A parent that is not an epic of the export; kept as a `parent:` tag.
    ParentNotAnEpic,
    /// A second issue with a key already read; the first is kept.
    DuplicateKey,
    /// An issue without a key or a summary.
    Incomplete,
    /// A task no work resource is assigned to; given to the team `unassigned`.
    NoResource,
    /// Something with no Linchpin equivalent (a start-to-finish link, a lag
    /// in percent, an extra working day, a constraint other than start no
    /// earlier than, must start on or finish no later than).
    Unsupported,
    /// An issue the tracker counts blockers for that the file does not
    /// list, so those dependencies are missing.
    UnlistedDependencies,
    /// A blocking link that closes a loop of links (an epic blocking its own
    /// story, say); one per loop is left out, so the plan schedules.
    Cycle,
}

impl Reason {
    pub fn describe(self) -> &'static str {
        match self {
            Reason::NoTeam => "issues without a team (none of the mapping's team fields is set), left out",
            Reason::OtherLinkType => "links that are not `blocks` / `is blocked by`, not made dependencies",
            Reason::LinkOutsideExport => "links to issues outside the export, left out",
            Reason::UnreadableEstimate => "estimates that could not be read as points or time, left out",
            Reason::UnreadableDate => "due dates that could not be read, left out",
            Reason::UnknownStatus => "statuses with no category and no mapping, taken as not started",
            Reason::ParentNotAnEpic => "parents that are not an epic of the export, kept as a `parent:` tag",
            Reason::DuplicateKey => "issues whose key was already read, left out",
            Reason::Incomplete => "rows without a key or a summary, left out",
            Reason::NoResource => "tasks without a work resource, given to the team `unassigned`",
            Reason::Unsupported => "what has no Linchpin equivalent, left out",
            Reason::UnlistedDependencies => {
                "issues GitHub says are blocked by issues the file does not list (attach each `GET /repos/OWNER/REPO/issues/N/dependencies/blocked_by` answer to its issue as `blocked_by`), those dependencies missing"
            }
            Reason::Cycle => "blocking links that close a loop of links (shown as the loop), left out",
        }
    }
}

/// An import: the documents, and what was mapped.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Imported {
    pub doc: PlanDoc,
    pub summary: Summary,
}

/// Text cut to [`MAX_VALUE_CHARS`] characters and trimmed; `None` when empty.
pub(crate) fn value(text: &str) -> Option<String> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    Some(match text.char_indices().nth(MAX_VALUE_CHARS) {
        Some((cut, _)) => text[..cut].to_owned(),
        None => text.to_owned(),
    })
}

/// A team id from a field's value: lower case, runs of anything but
/// letters and digits as one `-` (`Payments Core` is `payments-core`).
pub fn team_id(name: &str) -> String {
    let mut id = String::with_capacity(name.len());
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            id.push(c);
        } else if !id.is_empty() && !id.ends_with('-') {
            id.push('-');
        }
    }
    while id.ends_with('-') {
        id.pop();
    }
    if id.is_empty() { "team".to_owned() } else { id }
}

/// Days of a time estimate: seconds (Jira's CSV and JSON), or Jira's
/// `1w 2d 3h 30m` (a week of 5 days, a day of `hours_per_day`).
pub fn time_days(text: &str, hours_per_day: f64) -> Option<f64> {
    let text = text.trim();
    if let Ok(seconds) = text.parse::<f64>() {
        return (seconds.is_finite() && seconds >= 0.0).then(|| seconds / 3600.0 / hours_per_day);
    }
    let mut hours = 0.0;
    let mut any = false;
    for part in text.split_whitespace() {
        let split = part.find(|c: char| c.is_alphabetic())?;
        let (number, unit) = part.split_at(split);
        let n: f64 = number.parse().ok().filter(|n: &f64| n.is_finite() && *n >= 0.0)?;
        hours += n * match unit {
            "w" => 5.0 * hours_per_day,
            "d" => hours_per_day,
            "h" => 1.0,
            "m" => 1.0 / 60.0,
            _ => return None,
        };
        any = true;
    }
    any.then_some(hours / hours_per_day)
}

/// A date as trackers write them: `2027-01-15`, `2027-01-15T10:00:00.000+0000`,
/// `2027-01-15 10:00`, or Jira's `15/Jan/27 12:00 AM` and `15/Jan/2027`.
pub fn date(text: &str) -> Option<NaiveDate> {
    // The years a plan takes; chrono alone reads `-0007` and `+10000` too.
    date_any(text).filter(|d| (1900..=9999).contains(&d.year()))
}

fn date_any(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    if let Some(iso) = text.get(..10)
        && let Ok(d) = NaiveDate::parse_from_str(iso, "%Y-%m-%d")
    {
        return Some(d);
    }
    let day = text.split_whitespace().next()?;
    ["%d/%b/%y", "%d/%b/%Y", "%d.%m.%Y", "%m/%d/%Y"].iter().find_map(|f| NaiveDate::parse_from_str(day, f).ok())
}

/// The status an issue has in Linchpin: the mapping's word for its status
/// name, else its category, else a common status name.
fn status(issue: &Issue, mapping: &Mapping) -> Result<ItemStatus, ()> {
    if let Some(name) = &issue.status
        && let Some(status) = mapping.status.get(&name.to_lowercase())
    {
        return Ok(*status);
    }
    let by_category = issue.status_category.as_deref().map(str::to_lowercase);
    match by_category.as_deref() {
        Some("done" | "complete") => return Ok(ItemStatus::Done),
        Some("in progress" | "indeterminate") => return Ok(ItemStatus::InProgress),
        Some("to do" | "new" | "undefined") => return Ok(ItemStatus::NotStarted),
        _ => {}
    }
    let name = issue.status.as_deref().map(str::to_lowercase);
    match name.as_deref() {
        None => Ok(ItemStatus::NotStarted),
        Some("to do" | "todo" | "open" | "backlog" | "new" | "selected for development" | "ready" | "reopened") => {
            Ok(ItemStatus::NotStarted)
        }
        Some("in progress" | "in review" | "code review" | "in qa" | "in test" | "testing" | "review") => {
            Ok(ItemStatus::InProgress)
        }
        Some("done" | "closed" | "resolved" | "released" | "complete" | "completed" | "won't do" | "won't fix") => {
            Ok(ItemStatus::Done)
        }
        Some("blocked" | "on hold" | "impeded") => Ok(ItemStatus::Blocked),
        Some(_) => Err(()),
    }
}

/// A milestone id for a fix version, apart from every issue key.
fn version_id(name: &str) -> String {
    format!("release-{}", team_id(name))
}

fn at<T>(value: T) -> Located<T> {
    Located { value, origin: Origin::Unknown }
}

/// The issues as documents, by the mapping.
pub fn plan(issues: Vec<Issue>, mapping: &Mapping) -> Imported {
    let mut summary = Summary { issues: issues.len(), ..Summary::default() };
    // Issues by key, the first of each key kept.
    let mut seen = HashSet::new();
    let mut kept = Vec::with_capacity(issues.len());
    for issue in issues {
        if issue.key.is_empty() || issue.summary.is_empty() {
            summary.drop(Reason::Incomplete, || {
                if issue.key.is_empty() { issue.summary.clone() } else { issue.key.clone() }
            });
        } else if !seen.insert(issue.key.clone()) {
            summary.drop(Reason::DuplicateKey, || issue.key.clone());
        } else {
            kept.push(issue);
        }
    }
    // A parent named by its issue id (Jira Cloud's `Parent` column) is the
    // key of the issue with that id, in any file of the export.
    let keys_by_id: HashMap<String, String> =
        kept.iter().filter_map(|i| i.id.clone().map(|id| (id, i.key.clone()))).collect();
    for issue in &mut kept {
        if let Some(parent) = &issue.parent
            && parent.bytes().all(|b| b.is_ascii_digit())
            && let Some(key) = keys_by_id.get(parent)
        {
            issue.parent = Some(key.clone());
        }
    }
    let is_epic = |i: &Issue| i.kind.as_deref().is_some_and(|k| k.eq_ignore_ascii_case("epic"));
    let epics: HashSet<&str> = kept.iter().filter(|i| is_epic(i)).map(|i| i.key.as_str()).collect();

    // Teams, in the order first met.
    let mut teams: Vec<TeamDoc> = Vec::new();
    let mut team_index: HashMap<String, usize> = HashMap::new();
    let mut team_of = |issue: &Issue| -> Option<String> {
        let raw = mapping.team.iter().find_map(|source| match source {
            TeamSource::Component => issue.components.first().cloned(),
            TeamSource::Label => issue.labels.first().cloned(),
            TeamSource::Project => issue.project.clone(),
            TeamSource::Field(name) => issue.fields.iter().find(|(f, _)| f == name).map(|(_, v)| v.clone()),
        })?;
        let id = mapping.teams.get(&raw).cloned().unwrap_or_else(|| team_id(&raw));
        if !team_index.contains_key(&id) {
            team_index.insert(id.clone(), teams.len());
            teams.push(TeamDoc {
                id: at(id.clone()),
                name: Some(raw),
                lead: None,
                capacity: None,
                capacity_changes: Vec::new(),
                holidays: Vec::new(),
            });
        }
        Some(id)
    };

    // Which issues become items (and which epics groups), so links know
    // what they may point at.
    let mut items = Vec::new();
    let mut groups = Vec::new();
    let mut item_keys: HashSet<String> = HashSet::new();
    let mut placed: Vec<(usize, bool)> = Vec::with_capacity(kept.len());
    for (n, issue) in kept.iter().enumerate() {
        if is_epic(issue) {
            placed.push((n, true));
            continue;
        }
        match team_of(issue) {
            Some(team) => {
                item_keys.insert(issue.key.clone());
                placed.push((n, false));
                items.push((n, team));
            }
            None => summary.drop(Reason::NoTeam, || issue.key.clone()),
        }
    }
    let target: HashSet<&str> = item_keys.iter().map(String::as_str).chain(epics.iter().copied()).collect();
    let all_keys: HashSet<&str> = kept.iter().map(|i| i.key.as_str()).collect();

    // Dependencies by the waiting issue, each once (Jira records a link on
    // both of its ends).
    let mut waits: HashMap<&str, Vec<&str>> = HashMap::new();
    let mut recorded: HashSet<(&str, &str)> = HashSet::new();
    let mut other_links: HashSet<(&str, &str, &str)> = HashSet::new();
    for issue in &kept {
        if issue.unlisted_blockers > 0 {
            summary.drop(Reason::UnlistedDependencies, || {
                format!("{}: {} not listed", issue.key, issue.unlisted_blockers)
            });
        }
        for link in &issue.links {
            let blocking = mapping.blocking_links.iter().any(|b| b.eq_ignore_ascii_case(&link.kind));
            if !blocking {
                // Each link once, though Jira records it on both ends.
                let pair = if issue.key <= link.other { (&issue.key, &link.other) } else { (&link.other, &issue.key) };
                if other_links.insert((pair.0.as_str(), pair.1.as_str(), link.kind.as_str())) {
                    summary.drop(Reason::OtherLinkType, || format!("{} {} {}", issue.key, link.kind, link.other));
                }
                continue;
            }
            let (before, after) = if link.outward {
                (issue.key.as_str(), link.other.as_str())
            } else {
                (link.other.as_str(), issue.key.as_str())
            };
            if !target.contains(before) || !target.contains(after) {
                if !all_keys.contains(link.other.as_str()) {
                    summary.drop(Reason::LinkOutsideExport, || format!("{} → {}", before, after));
                }
                continue;
            }
            if before != after && recorded.insert((before, after)) {
                waits.entry(after).or_default().push(before);
            }
        }
    }
    let depends = |key: &str| -> Vec<DependencyDoc> {
        waits
            .get(key)
            .map_or(Vec::new(), |befores| befores.iter().map(|b| DependencyDoc::on(at((*b).to_owned()))).collect())
    };

    // Fix versions as milestones requiring their work.
    let mut versions: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (n, _) in &placed {
        let issue = &kept[*n];
        for version in &issue.fix_versions {
            versions.entry(version.clone()).or_default().push(issue.key.clone());
        }
    }

    for &(n, _) in placed.iter().filter(|(_, epic)| *epic) {
        let issue = &kept[n];
        let deadline = issue.due.as_deref().and_then(|d| {
            let parsed = date(d);
            if parsed.is_none() {
                summary.drop(Reason::UnreadableDate, || format!("{}: {d}", issue.key));
            }
            parsed
        });
        groups.push(GroupDoc {
            id: at(issue.key.clone()),
            title: at(issue.summary.clone()),
            kind: Some(at(GroupKind::Epic)),
            parent: None,
            owner: issue.assignee.clone().map(at),
            deadline: deadline.map(at),
            depends: depends(&issue.key),
        });
    }

    let mut docs = Vec::with_capacity(items.len());
    for (n, team) in items {
        let issue = &kept[n];
        let mut doc = ItemDoc::new(issue.key.clone(), issue.summary.clone(), team, Origin::Unknown);
        doc.key = Some(issue.key.clone());
        doc.owner = issue.assignee.clone().map(at);
        let status = status(issue, mapping).unwrap_or_else(|()| {
            summary.drop(Reason::UnknownStatus, || format!("{}: {}", issue.key, issue.status.as_deref().unwrap_or("")));
            ItemStatus::NotStarted
        });
        doc.status = Some(at(status));
        if let Some(days) = estimate(issue, mapping, &mut summary) {
            doc.estimate = Some(at(EstimateDoc::exact(days)));
        }
        if status == ItemStatus::InProgress
            && let Some(text) = issue.remaining_estimate.as_deref()
        {
            match time_days(text, mapping.hours_per_day).filter(|days| *days <= 10_000.0) {
                Some(remaining) => doc.remaining = Some(at(round(remaining))),
                None => summary.drop(Reason::UnreadableEstimate, || format!("{}: remaining {text}", issue.key)),
            }
        }
        if let Some(due) = &issue.due {
            match date(due) {
                Some(d) => doc.deadline = Some(at(d)),
                None => summary.drop(Reason::UnreadableDate, || format!("{}: {due}", issue.key)),
            }
        }
        if let Some(parent) = &issue.parent {
            if epics.contains(parent.as_str()) {
                doc.group = Some(at(parent.clone()));
            } else {
                summary.drop(Reason::ParentNotAnEpic, || format!("{} in {parent}", issue.key));
                doc.tags.push(format!("parent:{parent}"));
            }
        }
        doc.depends = depends(&issue.key);
        for source in &mapping.tags {
            match source {
                TagSource::Type => doc.tags.extend(issue.kind.iter().map(|k| format!("type:{k}"))),
                TagSource::Labels => doc.tags.extend(issue.labels.iter().cloned()),
                TagSource::Components => doc.tags.extend(issue.components.iter().map(|c| format!("component:{c}"))),
                TagSource::Sprints => doc.tags.extend(issue.sprints.iter().map(|s| format!("sprint:{s}"))),
            }
        }
        docs.push(doc);
    }

    break_cycles(&mut docs, &mut groups, &mut summary);

    // A version's date: the mapping's, else the export's own.
    let due: HashMap<&str, NaiveDate> = kept
        .iter()
        .filter_map(|i| i.version_due.as_ref())
        .filter_map(|(v, d)| date(d).map(|d| (v.as_str(), d)))
        .collect();
    let milestones: Vec<MilestoneDoc> = versions
        .into_iter()
        .map(|(version, keys)| MilestoneDoc {
            id: at(version_id(&version)),
            title: at(version.clone()),
            requires: keys.into_iter().map(at).collect(),
            target: mapping.versions.get(&version).copied().or_else(|| due.get(version.as_str()).copied()).map(at),
        })
        .collect();

    summary.items = docs.len();
    summary.groups = groups.len();
    summary.teams = teams.len();
    summary.milestones = milestones.len();
    summary.dependencies =
        docs.iter().map(|d| d.depends.len()).sum::<usize>() + groups.iter().map(|g| g.depends.len()).sum::<usize>();
    Imported { doc: PlanDoc { teams, items: docs, groups, milestones, ..PlanDoc::default() }, summary }
}

/// Estimates to a tenth of a day, the resolution plans are written in.
fn round(days: f64) -> f64 {
    (days * 10.0).round() / 10.0
}

/// The issue's estimate in days, from the first source the mapping lists
/// that the issue has; one that is there but unreadable is reported.
fn estimate(issue: &Issue, mapping: &Mapping, summary: &mut Summary) -> Option<f64> {
    for source in &mapping.estimate {
        let (text, days) = match source {
            EstimateSource::Points => {
                let Some(text) = &issue.story_points else { continue };
                (
                    text,
                    text.trim()
                        .parse::<f64>()
                        .ok()
                        .filter(|p| p.is_finite() && *p >= 0.0)
                        .map(|p| p * mapping.days_per_point),
                )
            }
            EstimateSource::Original => {
                let Some(text) = &issue.original_estimate else { continue };
                (text, time_days(text, mapping.hours_per_day))
            }
        };
        match days {
            // Beyond any plan's bound (10,000 days) is a typo; the resolver would refuse it.
            Some(days) if days <= 10_000.0 => return Some(round(days)),
            _ => summary.drop(Reason::UnreadableEstimate, || format!("{}: {text}", issue.key)),
        }
    }
    None
}

/// Leaves out one link of every loop the links close, until none is left:
/// trackers allow what a schedule cannot (an epic that blocks its own
/// story, two issues blocking each other). A link on an epic stands for a
/// link on each of its items, as the resolver will write it out.
pub(crate) fn break_cycles(items: &mut [ItemDoc], groups: &mut [GroupDoc], summary: &mut Summary) {
    let index: HashMap<&str, u32> = items.iter().enumerate().map(|(i, d)| (d.id.value.as_str(), i as u32)).collect();
    // A group's items are those in it and in every group inside it, as the
    // resolver counts them.
    let parent: HashMap<&str, &str> =
        groups.iter().filter_map(|g| g.parent.as_ref().map(|p| (g.id.value.as_str(), p.value.as_str()))).collect();
    let mut members: HashMap<&str, Vec<u32>> = HashMap::new();
    for (i, item) in items.iter().enumerate() {
        let mut group = item.group.as_ref().map(|g| g.value.as_str());
        // At most one step per group: a loop of parents is the resolver's to report.
        for _ in 0..=groups.len() {
            let Some(g) = group else { break };
            members.entry(g).or_default().push(i as u32);
            group = parent.get(g).copied();
        }
    }
    // Each link as the item edges it means, each edge tagged with its link:
    // (waiting is a group, index of the waiting item or group, index of the link).
    type LinkRef = (bool, usize, usize);
    let nodes = |key: &str| -> Vec<u32> {
        match index.get(key) {
            Some(&i) => vec![i],
            None => members.get(key).cloned().unwrap_or_default(),
        }
    };
    let mut edges: Vec<(u32, u32)> = Vec::new();
    let mut origin: Vec<LinkRef> = Vec::new();
    let mut add = |waiting: &[u32], on: &str, link: LinkRef, edges: &mut Vec<(u32, u32)>| {
        for before in nodes(on) {
            for &after in waiting {
                edges.push((before, after));
                origin.push(link);
            }
        }
    };
    for (i, item) in items.iter().enumerate() {
        for (d, dep) in item.depends.iter().enumerate() {
            add(&[i as u32], &dep.item.value, (false, i, d), &mut edges);
        }
    }
    for (g, group) in groups.iter().enumerate() {
        let waiting = members.get(group.id.value.as_str()).cloned().unwrap_or_default();
        for (d, dep) in group.depends.iter().enumerate() {
            add(&waiting, &dep.item.value, (true, g, d), &mut edges);
        }
    }
    let mut dropped: HashSet<LinkRef> = HashSet::new();
    loop {
        let live: Vec<usize> = (0..edges.len()).filter(|&e| !dropped.contains(&origin[e])).collect();
        let graph: Vec<(u32, u32)> = live.iter().map(|&e| edges[e]).collect();
        let cycles = linchpin_graph::cycles(items.len(), &graph);
        if cycles.is_empty() {
            break;
        }
        for cycle in cycles {
            // The edge that closes the loop: from its last node back to its first.
            let (Some(&last), Some(&first)) = (cycle.nodes.last(), cycle.nodes.first()) else { continue };
            let Some(&e) = live.iter().find(|&&e| edges[e] == (last, first) && !dropped.contains(&origin[e])) else {
                continue;
            };
            let link = origin[e];
            if dropped.insert(link) {
                let path: Vec<&str> = cycle.nodes.iter().map(|&n| items[n as usize].id.value.as_str()).collect();
                summary.drop(Reason::Cycle, || format!("{} → {}", path.join(" → "), path[0]));
            }
        }
    }
    for (is_group, at, d) in dropped.iter().copied().collect::<std::collections::BTreeSet<_>>().into_iter().rev() {
        if is_group {
            groups[at].depends.remove(d);
        } else {
            items[at].depends.remove(d);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn team_ids_from_names() {
        assert_eq!(team_id("Payments Core"), "payments-core");
        assert_eq!(team_id("  SRE / On-call!! "), "sre-on-call");
        assert_eq!(team_id("支払い"), "支払い");
        assert_eq!(team_id("!!!"), "team");
    }

    #[test]
    fn time_estimates_in_seconds_or_jira_units() {
        assert_eq!(time_days("28800", 8.0), Some(1.0));
        assert_eq!(time_days("1w 2d 4h", 8.0), Some(7.5));
        assert_eq!(time_days("90m", 6.0), Some(0.25));
        assert_eq!(time_days("3 sprints", 8.0), None);
        assert_eq!(time_days("-5", 8.0), None);
        assert_eq!(time_days("", 8.0), None);
    }

    #[test]
    fn dates_as_trackers_write_them() {
        let d = NaiveDate::from_ymd_opt(2027, 1, 15);
        assert_eq!(date("2027-01-15"), d);
        assert_eq!(date("2027-01-15T10:00:00.000+0000"), d);
        assert_eq!(date("15/Jan/27 12:00 AM"), d);
        assert_eq!(date("15/Jan/2027"), d);
        assert_eq!(date("next week"), None);
        assert_eq!(date("-007-01-06"), None);
        assert_eq!(date("+10000-01-01"), None);
        assert_eq!(date("1899-12-31"), None);
    }
}
