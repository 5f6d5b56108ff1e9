//! Documents to a [`Program`]: the one way a program is built. Ids become
//! typed references, and everything wrong across fields and documents is
//! reported, every problem at once: unknown references, duplicate ids,
//! impossible estimates, dates out of order or implausibly far from the
//! program start, actuals after the status date, capacity below one person,
//! dependency cycles.
//!
//! [`resolve()`] takes whole documents. A front end that streams (a
//! million-row spreadsheet) feeds a [`Resolver`] one entity at a time
//! instead and never holds its documents all at once: items are converted
//! as they arrive, references to ids not yet seen wait until
//! [`Resolver::finish`].

pub(crate) mod additions;
mod checks;
mod groups;
mod items;
mod keys;
mod people;
mod policy;
mod sections;

use chrono::NaiveDate;
use rustc_hash::FxHashMap;

pub use self::checks::{MAX_DAYS, check_days, check_estimate, unknown_reference};
pub use self::groups::{MAX_GROUP_DEPTH, MAX_GROUP_LINKS};
use self::keys::KeyIndex;
use crate::diagnostic::{Code, Diagnostic};
use crate::doc::*;
use crate::origin::{Located, Origin};
use crate::*;

/// The most people a team or a capacity change may have.
pub const MAX_PEOPLE: u32 = 100_000;

/// The most work items a plan may hold: the largest program measured (a
/// million items and three million dependencies, in about 750 MB).
pub const MAX_ITEMS: usize = 1_000_000;
/// The most dependencies one item may list.
pub const MAX_DEPENDENCIES_PER_ITEM: usize = 10_000;
/// The most dependencies a plan may hold, with those on groups written out.
pub const MAX_DEPENDENCIES: usize = 5_000_000;
/// The longest id, in characters (a Jira key is about a dozen).
pub const MAX_ID_CHARS: usize = 100;

/// Dates further than this from the program start, either way, are typos
/// (the year 200000): a hundred years.
pub const MAX_DATE_DISTANCE_DAYS: i64 = 36_525;

/// What resolving found: every problem, and the program when there is no
/// error.
#[derive(Debug)]
pub struct Resolution {
    pub program: Option<Program>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Merges the documents' sections and builds the program. `fallback` is
/// where to point when something is missing altogether (no `program`).
pub fn resolve(docs: &[PlanDoc], fallback: Origin) -> Resolution {
    let programs: Vec<&ProgramDoc> = docs.iter().filter_map(|d| d.program.as_ref()).collect();
    let Some(program) = programs.first() else {
        let diagnostic = Diagnostic::error(Code::MissingProgram, fallback, "the plan has no `program` section")
            .with_label("expected `program:` with a name and start date")
            .with_help("add `program: {name: My program, start: 2026-01-05}`; `linchpin init` writes a starter plan");
        return Resolution { program: None, diagnostics: vec![diagnostic] };
    };
    let mut resolver = Resolver::new(program);
    for extra in &programs[1..] {
        resolver.report(
            Diagnostic::error(
                Code::DuplicateProgram,
                extra.name.origin,
                "the plan has more than one `program` section",
            )
            .with_label("second `program`")
            .with_related(program.name.origin, "first `program` here")
            .with_help("keep one `program` section across all the plan's files"),
        );
    }
    // Teams first, and the ids of everything items refer to, so items
    // resolve as they are added; what they name later waits for `finish`.
    for doc in docs {
        doc.teams.iter().for_each(|t| resolver.team(t));
        doc.people.iter().for_each(|p| resolver.person(p));
    }
    for doc in docs {
        doc.groups.iter().for_each(|g| resolver.group(g));
        doc.milestones.iter().for_each(|m| resolver.milestone(m));
        doc.systems.iter().for_each(|s| resolver.system(s));
        doc.interfaces.iter().for_each(|i| resolver.interface(i));
        doc.risks.iter().for_each(|r| resolver.risk(r));
        doc.decisions.iter().for_each(|d| resolver.decision(d));
    }
    let mut additions = additions::Additions::new(docs);
    for doc in docs {
        resolver.reserve_items(doc.items.len(), 0);
        if additions.is_empty() {
            doc.items.iter().for_each(|i| resolver.item(i));
            continue;
        }
        for item in &doc.items {
            match additions.merged(item, &mut resolver.diagnostics) {
                Some(merged) => resolver.item(&merged),
                None => resolver.item(item),
            }
        }
    }
    let unused: Vec<_> = additions.unused().collect();
    if !unused.is_empty() {
        let keys: Vec<&str> = docs.iter().flat_map(|d| d.items.iter().map(|i| i.id.value.as_str())).collect();
        for (n, addition) in unused.into_iter().enumerate() {
            let key = &addition.item;
            let unknown = unknown_reference("item", "items", &key.value, key.origin, keys.iter().copied(), n);
            resolver.report(unknown.with_field(format!("additions[{}].item", key.value)));
        }
    }
    for doc in docs {
        doc.blockers.iter().for_each(|b| resolver.blocker(b));
        doc.updates.iter().for_each(|u| resolver.update(u));
        doc.stakeholders.iter().for_each(|s| resolver.stakeholder(s));
        if let Some(findings) = &doc.findings {
            resolver.findings(findings);
        }
        if let Some(baseline) = &doc.baseline {
            resolver.baseline(baseline);
        }
    }
    resolver.finish()
}

/// Ids of one kind of entity, with where each was defined.
pub(crate) struct Registry<Id> {
    pub kind: &'static str,
    pub section: &'static str,
    pub ids: FxHashMap<String, (Id, Origin)>,
}

impl<Id: Copy> Registry<Id> {
    fn new(kind: &'static str, section: &'static str) -> Self {
        Registry { kind, section, ids: FxHashMap::default() }
    }

    /// Every key registered, in no particular order.
    pub fn keys(&self) -> Vec<&str> {
        self.ids.keys().map(String::as_str).collect()
    }

    pub fn get(&self, key: &str) -> Option<Id> {
        self.ids.get(key).map(|&(id, _)| id)
    }

    /// The id `key` names, or an "unknown" diagnostic with a suggestion.
    pub fn resolve(&self, key: &Located<String>, diagnostics: &mut Vec<Diagnostic>, field: &str) -> Option<Id> {
        match self.ids.get(&key.value) {
            Some(&(id, _)) => Some(id),
            None => {
                diagnostics.push(self.unknown(key, diagnostics.len()).with_field(field));
                None
            }
        }
    }

    /// An "unknown" diagnostic for `key`; `problems_so_far` bounds the
    /// suggestion work (see [`unknown_reference`]).
    pub fn unknown(&self, key: &Located<String>, problems_so_far: usize) -> Diagnostic {
        unknown_reference(
            self.kind,
            self.section,
            &key.value,
            key.origin,
            self.ids.keys().map(String::as_str),
            problems_so_far,
        )
    }

    pub fn resolve_all(&self, keys: &[Located<String>], diagnostics: &mut Vec<Diagnostic>, field: &str) -> Vec<Id> {
        keys.iter().filter_map(|k| self.resolve(k, diagnostics, field)).collect()
    }

    /// Registers `key` as id number `next`; a repeat is reported and refused.
    fn register(
        &mut self,
        key: &Located<String>,
        next: usize,
        make: impl Fn(usize) -> Id,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> bool {
        if let Some(long) = long_id(self.kind, self.section, key) {
            diagnostics.push(long);
        }
        if let Some(&(_, first)) = self.ids.get(&key.value) {
            diagnostics.push(duplicate(self.kind, self.section, key, first));
            return false;
        }
        self.ids.insert(key.value.clone(), (make(next), key.origin));
        true
    }
}

/// A date outside the years a plan may name ([`dates`]).
fn out_of_range(date: &Located<NaiveDate>, field: &str) -> Diagnostic {
    Diagnostic::error(Code::DateOutOfRange, date.origin, format!("`{}` is outside the years 1900 to 9999", date.value))
        .with_label("not a year a plan can mean")
        .with_help("check the year for a typo")
        .with_field(field)
}

/// An error for an id longer than [`MAX_ID_CHARS`]; the id is still
/// registered, so references to it do not fail as well.
fn long_id(kind: &str, section: &str, key: &Located<String>) -> Option<Diagnostic> {
    let chars = key.value.chars().count();
    if chars <= MAX_ID_CHARS {
        return None;
    }
    let start: String = key.value.chars().take(20).collect();
    Some(
        Diagnostic::error(
            Code::TooLarge,
            key.origin,
            format!("the {kind} id `{start}…` is {} characters long", crate::diagnostic::grouped(chars as u64)),
        )
        .with_label(format!("ids are at most {MAX_ID_CHARS} characters"))
        .with_help("use a short id (`PAY-12`) and put the words in the title")
        .with_field(format!("{section}[{start}…].id")),
    )
}

fn duplicate(kind: &str, section: &str, key: &Located<String>, first: Origin) -> Diagnostic {
    Diagnostic::error(Code::DuplicateId, key.origin, format!("duplicate {kind} id `{}`", key.value))
        .with_label("defined again here")
        .with_related(first, "first defined here")
        .with_help(format!("give each {kind} its own id"))
        .with_field(format!("{section}[{}].id", key.value))
}

/// What the program section says, resolved first: everything else is
/// checked against its dates.
pub(crate) struct Header {
    pub name: String,
    pub goal: Option<String>,
    pub start: NaiveDate,
    pub status_date: Option<NaiveDate>,
    pub calendar: Calendar,
}

/// Builds a program from documents fed one at a time; see the module docs.
pub struct Resolver {
    pub(crate) diagnostics: Vec<Diagnostic>,
    pub(crate) header: Header,
    pub(crate) team_ids: Registry<TeamId>,
    pub(crate) teams: Vec<Team>,
    pub(crate) item_ids: KeyIndex,
    /// Where each item's id was written, by item.
    pub(crate) item_origins: Vec<Origin>,
    pub(crate) items: Vec<WorkItem>,
    pub(crate) pending: items::Pending,
    pub(crate) group_ids: Registry<GroupId>,
    pub(crate) groups: Vec<GroupDoc>,
    pub(crate) person_ids: Registry<usize>,
    pub(crate) people: Vec<PersonDoc>,
    pub(crate) directory: people::Directory,
    /// Links to groups with no work yet: `(item, position in its list, where written)`.
    pub(crate) empty_groups: Vec<(usize, usize, Origin)>,
    pub(crate) milestone_ids: Registry<MilestoneId>,
    pub(crate) system_ids: Registry<SystemId>,
    pub(crate) interface_ids: Registry<InterfaceId>,
    pub(crate) risk_ids: Registry<RiskId>,
    pub(crate) decision_ids: Registry<DecisionId>,
    pub(crate) milestones: Vec<MilestoneDoc>,
    pub(crate) systems: Vec<SystemDoc>,
    pub(crate) interfaces: Vec<InterfaceDoc>,
    pub(crate) risks: Vec<RiskDoc>,
    pub(crate) decisions: Vec<DecisionDoc>,
    pub(crate) blockers: Vec<BlockerDoc>,
    pub(crate) updates: Vec<UpdateDoc>,
    pub(crate) stakeholders: Vec<StakeholderDoc>,
    pub(crate) findings: Vec<FindingsDoc>,
    pub(crate) baselines: Vec<BaselineDoc>,
    /// The items' topological order, when checking for cycles found it.
    pub(crate) order: std::sync::OnceLock<Vec<ItemId>>,
}

impl Resolver {
    /// A resolver for the program `doc` describes.
    pub fn new(doc: &ProgramDoc) -> Self {
        let mut diagnostics = Vec::new();
        let header = header(doc, &mut diagnostics);
        let mut resolver = Resolver {
            diagnostics,
            header,
            team_ids: Registry::new("team", "teams"),
            teams: Vec::new(),
            item_ids: KeyIndex::default(),
            item_origins: Vec::new(),
            items: Vec::new(),
            pending: items::Pending::default(),
            group_ids: Registry::new("group", "groups"),
            groups: Vec::new(),
            person_ids: Registry::new("person", "people"),
            people: Vec::new(),
            directory: people::Directory::default(),
            empty_groups: Vec::new(),
            milestone_ids: Registry::new("milestone", "milestones"),
            system_ids: Registry::new("system", "systems"),
            interface_ids: Registry::new("interface", "interfaces"),
            risk_ids: Registry::new("risk", "risks"),
            decision_ids: Registry::new("decision", "decisions"),
            milestones: Vec::new(),
            systems: Vec::new(),
            interfaces: Vec::new(),
            risks: Vec::new(),
            decisions: Vec::new(),
            blockers: Vec::new(),
            updates: Vec::new(),
            stakeholders: Vec::new(),
            findings: Vec::new(),
            baselines: Vec::new(),
            order: std::sync::OnceLock::new(),
        };
        if !dates::in_range(doc.start.value) {
            resolver.diagnostics.push(out_of_range(&doc.start, "program.start"));
        }
        if let Some(status) = &doc.status_date {
            resolver.plausible(status, "`status_date`", "program.status_date");
        }
        if let Some(calendar) = &doc.calendar {
            resolver.header.calendar.holidays = resolver.holidays(&calendar.holidays, "program.calendar.holidays");
        }
        resolver
    }

    /// Adds a problem a front end found, so it is reported with the rest.
    pub fn report(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    /// Room for `items` more items (and about `bytes` bytes of their ids).
    pub fn reserve_items(&mut self, items: usize, bytes: usize) {
        self.items.reserve(items);
        self.item_origins.reserve(items);
        self.item_ids.reserve(items, bytes);
    }

    /// Whether a team with this id has been added.
    pub fn has_team(&self, key: &str) -> bool {
        self.team_ids.ids.contains_key(key)
    }

    /// A date within [`MAX_DATE_DISTANCE_DAYS`] of the program start; a
    /// date further away is reported and taken as absent.
    /// A `kind` (a group, a milestone) whose id is also an item's: an error
    /// where `list` (the lists that name both) could not tell them apart.
    pub(crate) fn check_not_an_item_id(&mut self, kind: &str, id: &Located<String>, list: &str, field: String) {
        let Some(item) = self.item_ids.get(&id.value) else { return };
        let item_origin = self.item_origins[item as usize];
        self.diagnostics.push(
            Diagnostic::error(
                Code::DuplicateId,
                id.origin,
                format!("{kind} `{}` has the same id as an item", id.value),
            )
            .with_label("also an item id")
            .with_related(item_origin, "the item")
            .with_help(format!("{list} name items and {kind}s in one list, so their ids must differ"))
            .with_field(field),
        );
    }

    pub(crate) fn plausible(&mut self, date: &Located<NaiveDate>, what: &str, field: &str) -> Option<NaiveDate> {
        // A plan file refuses these as it reads them; an import is held to the same.
        if !dates::in_range(date.value) {
            self.diagnostics.push(out_of_range(date, field));
            return None;
        }
        let start = self.header.start;
        let distance = (date.value - start).num_days();
        if distance.abs() <= MAX_DATE_DISTANCE_DAYS {
            return Some(date.value);
        }
        let side = if distance > 0 { "after" } else { "before" };
        let years = (chrono::Datelike::year(&date.value) - chrono::Datelike::year(&start)).abs();
        self.diagnostics.push(
            Diagnostic::error(
                Code::ImplausibleDate,
                date.origin,
                format!("{what} ({}) is {years} years {side} the program start ({start})", date.value),
            )
            .with_label("more than a hundred years from the start")
            .with_help("check the year; a plan's dates are within a hundred years of its start")
            .with_field(field),
        );
        None
    }

    pub(crate) fn plausible_opt(
        &mut self,
        date: &Option<Located<NaiveDate>>,
        what: &str,
        field: &str,
    ) -> Option<NaiveDate> {
        date.as_ref().and_then(|d| self.plausible(d, what, field))
    }

    /// Adds a team.
    pub fn team(&mut self, doc: &TeamDoc) {
        if self.team_ids.register(&doc.id, self.teams.len(), TeamId::new, &mut self.diagnostics) {
            let team = self.resolve_team(doc);
            self.teams.push(team);
        }
    }

    fn resolve_team(&mut self, doc: &TeamDoc) -> Team {
        if let Some(lead) = &doc.lead {
            self.pending.leads.push((self.teams.len() as u32, lead.origin));
        }
        let field = |f: &str| format!("teams[{}].{f}", doc.id.value);
        let capacity = match &doc.capacity {
            Some(c) => positive(c, "team capacity", &mut self.diagnostics, &field("capacity")).unwrap_or(1),
            None => 1,
        };
        let mut capacity_changes = Vec::new();
        for change in &doc.capacity_changes {
            let people = positive(&change.people, "capacity", &mut self.diagnostics, &field("capacity_changes"));
            let from = self.plausible(&change.from, "a capacity change", &field("capacity_changes"));
            if let (Some(people), Some(from)) = (people, from) {
                capacity_changes.push(CapacityChange { from, people });
            }
        }
        let holidays = self.holidays(&doc.holidays, &field("holidays"));
        Team {
            key: doc.id.value.clone(),
            name: doc.name.clone().unwrap_or_else(|| doc.id.value.clone()),
            lead: doc.lead.as_ref().map(|l| l.value.clone()),
            capacity,
            capacity_changes: CapacityChanges::new(capacity_changes),
            holidays,
        }
    }

    pub(crate) fn holidays(&mut self, holidays: &[HolidayDoc], field: &str) -> std::collections::BTreeSet<NaiveDate> {
        let mut days = std::collections::BTreeSet::new();
        for holiday in holidays {
            let Some(first) = self.plausible(&holiday.date, "a holiday", field) else { continue };
            let last = match &holiday.until {
                Some(until) => match self.plausible(until, "a holiday's `until`", field) {
                    Some(last) => last,
                    None => continue,
                },
                None => first,
            };
            let until_origin = holiday.until.as_ref().map_or(holiday.date.origin, |u| u.origin);
            if last < first {
                self.diagnostics.push(
                    out_of_order(until_origin, "the holiday's `until`", last, "its `date`", first).with_field(field),
                );
                continue;
            }
            if (last - first).num_days() > 366 {
                self.diagnostics.push(
                    Diagnostic::error(Code::DateRange, until_origin, "a holiday longer than a year")
                        .with_label("more than 366 days after `date`")
                        .with_help("check the year of `until`")
                        .with_field(field),
                );
                continue;
            }
            days.extend(first.iter_days().take_while(|d| *d <= last));
        }
        days
    }

    /// Adds a milestone (resolved when the resolver finishes).
    pub fn milestone(&mut self, doc: &MilestoneDoc) {
        if self.milestone_ids.register(&doc.id, self.milestones.len(), MilestoneId::new, &mut self.diagnostics) {
            self.milestones.push(doc.clone());
        }
    }

    /// Adds a system (resolved when the resolver finishes).
    pub fn system(&mut self, doc: &SystemDoc) {
        if self.system_ids.register(&doc.id, self.systems.len(), SystemId::new, &mut self.diagnostics) {
            self.systems.push(doc.clone());
        }
    }

    /// Adds an interface (resolved when the resolver finishes).
    pub fn interface(&mut self, doc: &InterfaceDoc) {
        if self.interface_ids.register(&doc.id, self.interfaces.len(), InterfaceId::new, &mut self.diagnostics) {
            self.interfaces.push(doc.clone());
        }
    }

    /// Adds a risk (resolved when the resolver finishes).
    pub fn risk(&mut self, doc: &RiskDoc) {
        if self.risk_ids.register(&doc.id, self.risks.len(), RiskId::new, &mut self.diagnostics) {
            self.risks.push(doc.clone());
        }
    }

    /// Adds a decision (resolved when the resolver finishes).
    pub fn decision(&mut self, doc: &DecisionDoc) {
        if self.decision_ids.register(&doc.id, self.decisions.len(), DecisionId::new, &mut self.diagnostics) {
            self.decisions.push(doc.clone());
        }
    }

    pub fn blocker(&mut self, doc: &BlockerDoc) {
        self.blockers.push(doc.clone());
    }

    pub fn update(&mut self, doc: &UpdateDoc) {
        self.updates.push(doc.clone());
    }

    pub fn stakeholder(&mut self, doc: &StakeholderDoc) {
        self.stakeholders.push(doc.clone());
    }

    pub fn findings(&mut self, doc: &FindingsDoc) {
        self.findings.push(doc.clone());
    }

    pub fn baseline(&mut self, doc: &BaselineDoc) {
        self.baselines.push(doc.clone());
    }

    /// Resolves what waited for later ids and builds the program, when
    /// nothing is wrong.
    /// The plan-wide bounds, checked once every item and link is known and
    /// before anything is built from them.
    fn check_totals(&mut self) {
        let first_item = self.item_origins.first().copied().unwrap_or_default();
        if self.items.len() > MAX_ITEMS {
            self.diagnostics.push(
                Diagnostic::error(
                    Code::TooLarge,
                    self.item_origins.get(MAX_ITEMS).copied().unwrap_or(first_item),
                    format!(
                        "the plan has {} work items; a plan holds at most {}",
                        crate::diagnostic::grouped(self.items.len() as u64),
                        crate::diagnostic::grouped(MAX_ITEMS as u64)
                    ),
                )
                .with_label("the first item past the limit")
                .with_help("split the program into smaller ones, or group fine-grained tasks into larger items"),
            );
        }
        let links: usize = self.items.iter().map(|i| i.depends.len()).sum();
        if links > MAX_DEPENDENCIES {
            self.diagnostics.push(
                Diagnostic::error(
                    Code::TooLarge,
                    first_item,
                    format!(
                        "the plan has {} dependencies (dependencies on groups counted once per item of the group); a plan holds at most {}",
                        crate::diagnostic::grouped(links as u64),
                        crate::diagnostic::grouped(MAX_DEPENDENCIES as u64)
                    ),
                )
                .with_label("the plan's first item")
                .with_help("depend on the last item of a group rather than the group, or split the program"),
            );
        }
    }

    pub fn finish(mut self) -> Resolution {
        self.finish_references();
        let people = self.resolve_people();
        self.name_people();
        let groups = self.resolve_groups();
        self.finish_links(&groups);
        self.drop_links_to_empty_groups();
        self.check_totals();
        let milestones = self.resolve_milestones(&groups);
        let systems = self.resolve_systems();
        let interfaces = self.resolve_interfaces(&systems);
        let risks = self.resolve_risks();
        let decisions = self.resolve_decisions();
        let blockers = self.resolve_blockers();
        let updates = self.resolve_updates();
        let stakeholders = self.resolve_stakeholders();
        let thresholds = self.resolve_thresholds();
        let accepted_findings = self.resolve_accepted();
        let baseline_date = self.resolve_baseline();
        let has_errors = self.diagnostics.iter().any(Diagnostic::is_error);
        let Resolver { diagnostics, header, teams, items, order, .. } = self;
        let program = (!has_errors).then(|| Program {
            name: header.name,
            goal: header.goal,
            start: header.start,
            status_date: header.status_date,
            calendar: header.calendar,
            teams,
            items,
            groups,
            milestones,
            systems,
            interfaces,
            risks,
            decisions,
            blockers,
            updates,
            stakeholders,
            people,
            thresholds,
            accepted_findings,
            baseline_date,
            order,
        });
        Resolution { program, diagnostics }
    }
}

/// The program section, but for its holidays (checked once the start is known).
impl Resolver {
    /// A link to a group with no work holds nothing: it is dropped, with a
    /// warning, once the cycle check (which skips it) is done.
    fn drop_links_to_empty_groups(&mut self) {
        let mut empty = std::mem::take(&mut self.empty_groups);
        // Last positions first, so earlier ones stay where they are.
        empty.sort_by(|a, b| b.cmp(a));
        for (item, slot, origin) in empty {
            let key = self.items[item].key.clone();
            self.items[item].depends.remove(slot);
            self.diagnostics.push(
                Diagnostic::warning(Code::EmptyGroup, origin, format!("item `{key}` waits on a group with no work"))
                    .with_label("nothing in this group yet")
                    .with_help("add items to the group (`group:` on each item), or drop the dependency")
                    .with_field(format!("items[{key}].depends")),
            );
        }
    }
}

fn header(doc: &ProgramDoc, diagnostics: &mut Vec<Diagnostic>) -> Header {
    let start = doc.start.value;
    let status_date = doc.status_date.as_ref().map(|d| d.value);
    if let Some(sd) = &doc.status_date
        && sd.value < start
    {
        diagnostics.push(
            out_of_order(sd.origin, "`status_date`", sd.value, "the program `start`", start)
                .with_field("program.status_date"),
        );
    }
    let mut calendar = Calendar::default();
    if let Some(days) = doc.calendar.as_ref().and_then(|c| c.working_days.as_ref()) {
        calendar.working_days = Weekdays::from_days(days.iter().map(|d| d.value));
        if calendar.working_days.is_empty() {
            let origin = days.first().map_or(doc.name.origin, |d| d.origin);
            diagnostics.push(
                Diagnostic::error(Code::NoWorkingDays, origin, "the calendar has no working days")
                    .with_help("list the worked weekdays, e.g. `[mon, tue, wed, thu, fri]`")
                    .with_field("program.calendar.working_days"),
            );
        }
    }
    Header { name: doc.name.value.clone(), goal: doc.goal.clone(), start, status_date, calendar }
}

pub(crate) fn out_of_order(
    origin: Origin,
    later_name: &str,
    later: NaiveDate,
    earlier_name: &str,
    earlier: NaiveDate,
) -> Diagnostic {
    Diagnostic::error(
        Code::DatesOutOfOrder,
        origin,
        format!("{later_name} ({later}) is before {earlier_name} ({earlier})"),
    )
    .with_label("dates out of order")
    .with_help("check the dates; one of them has the wrong day, month or year")
}

pub(crate) fn after_status_date(origin: Origin, what: &str, date: NaiveDate, status_date: NaiveDate) -> Diagnostic {
    Diagnostic::error(
        Code::ActualAfterStatusDate,
        origin,
        format!("{what} ({date}) is after the status date ({status_date})"),
    )
    .with_label("in the future as of the status date")
    .with_help("actuals record what has happened; move the program's `status_date` forward or fix this date")
}

/// A count of people: at least one, at most [`MAX_PEOPLE`].
pub(crate) fn positive(
    value: &Located<i64>,
    what: &str,
    diagnostics: &mut Vec<Diagnostic>,
    field: &str,
) -> Option<u32> {
    if value.value <= 0 {
        diagnostics.push(
            Diagnostic::error(
                Code::CapacityNotPositive,
                value.origin,
                format!("{what} must be at least 1, found {}", value.value),
            )
            .with_label("must be 1 or more")
            .with_help("a team with nobody cannot do work; remove the team or give it people")
            .with_field(field),
        );
        return None;
    }
    match u32::try_from(value.value) {
        Ok(v) if v <= MAX_PEOPLE => Some(v),
        _ => {
            diagnostics.push(
                Diagnostic::error(Code::OutOfRange, value.origin, format!("{what} of {} is implausible", value.value))
                    .with_label("too large")
                    .with_help("capacity counts people")
                    .with_field(field),
            );
            None
        }
    }
}

pub(crate) fn estimate(doc: &EstimateDoc) -> Estimate {
    Estimate { optimistic: doc.optimistic, likely: doc.likely, pessimistic: doc.pessimistic }
}
