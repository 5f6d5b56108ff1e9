//! The entities of a program and the program that holds them.

use std::collections::{BTreeSet, HashMap};

use chrono::NaiveDate;

use crate::{
    AcceptedFinding, Calendar, DecisionId, GroupId, InterfaceId, ItemId, MilestoneId, RiskId, SystemId, TeamId,
    Thresholds,
};

/// A cross-team engineering program: the root of the model.
///
/// A program is only ever built by [`crate::resolve()`] from documents, so
/// everything the engine relies on holds: every id is in range, capacity
/// changes are sorted, estimates are finite and in order, dates are within
/// a hundred years of the start, and the dependencies have no cycle. It is
/// read through its accessors and changed only by [`Program::changed`],
/// which keeps those invariants.
#[derive(Clone, Debug)]
pub struct Program {
    pub(crate) name: String,
    pub(crate) goal: Option<String>,
    pub(crate) start: NaiveDate,
    pub(crate) status_date: Option<NaiveDate>,
    pub(crate) calendar: Calendar,
    pub(crate) teams: Vec<Team>,
    pub(crate) items: Vec<WorkItem>,
    pub(crate) groups: Vec<Group>,
    pub(crate) milestones: Vec<Milestone>,
    pub(crate) systems: Vec<System>,
    pub(crate) interfaces: Vec<Interface>,
    pub(crate) risks: Vec<Risk>,
    pub(crate) decisions: Vec<Decision>,
    pub(crate) blockers: Vec<Blocker>,
    pub(crate) updates: Vec<StatusUpdate>,
    pub(crate) stakeholders: Vec<Stakeholder>,
    pub(crate) people: Vec<Person>,
    pub(crate) thresholds: Thresholds,
    pub(crate) accepted_findings: Vec<AcceptedFinding>,
    pub(crate) baseline_date: Option<NaiveDate>,
    /// The items in Kahn's topological order: found when the resolver
    /// checked for cycles, or (when every dependency pointed to an earlier
    /// item, so there could be none) on first use.
    pub(crate) order: std::sync::OnceLock<Vec<ItemId>>,
}

impl Program {
    /// The items in an order where every item comes after the items it
    /// waits on (the program has no dependency cycle, by construction).
    pub fn topological_order(&self) -> &[ItemId] {
        self.order.get_or_init(|| {
            let edges = self
                .items
                .iter()
                .enumerate()
                .flat_map(|(succ, item)| item.depends.iter().map(move |d| (d.on.index() as u32, succ as u32)));
            let graph = linchpin_graph::Adjacency::from_edges(self.items.len(), edges);
            // The resolver refused every cycle, so the order is complete.
            let order = linchpin_graph::topological_order(&graph).unwrap_or_default();
            order.into_iter().map(|v| ItemId::new(v as usize)).collect()
        })
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// What the program is for, in one sentence.
    pub fn goal(&self) -> Option<&str> {
        self.goal.as_deref()
    }

    /// The first working day of the program.
    pub fn start(&self) -> NaiveDate {
        self.start
    }

    /// The date the plan's progress is known "as of"; nothing not yet
    /// started is scheduled before it. `None` means no progress has been
    /// recorded.
    pub fn status_date(&self) -> Option<NaiveDate> {
        self.status_date
    }

    /// The date from which remaining work is scheduled: the status date, or
    /// the start when no progress has been recorded.
    pub fn as_of(&self) -> NaiveDate {
        self.status_date.unwrap_or(self.start).max(self.start)
    }

    /// The program calendar, every team's working days.
    pub fn calendar(&self) -> &Calendar {
        &self.calendar
    }

    pub fn teams(&self) -> &[Team] {
        &self.teams
    }

    pub fn items(&self) -> &[WorkItem] {
        &self.items
    }

    /// The groups of work, parents before the groups inside them.
    pub fn groups(&self) -> &[Group] {
        &self.groups
    }

    pub fn group(&self, id: GroupId) -> &Group {
        &self.groups[id.index()]
    }

    pub fn milestones(&self) -> &[Milestone] {
        &self.milestones
    }

    pub fn systems(&self) -> &[System] {
        &self.systems
    }

    pub fn interfaces(&self) -> &[Interface] {
        &self.interfaces
    }

    pub fn risks(&self) -> &[Risk] {
        &self.risks
    }

    pub fn decisions(&self) -> &[Decision] {
        &self.decisions
    }

    pub fn blockers(&self) -> &[Blocker] {
        &self.blockers
    }

    pub fn updates(&self) -> &[StatusUpdate] {
        &self.updates
    }

    pub fn stakeholders(&self) -> &[Stakeholder] {
        &self.stakeholders
    }

    /// The people the plan lists (empty without a `people` section). Every
    /// owner, lead, approver and contact field names one of them by name
    /// when there are any.
    pub fn people(&self) -> &[Person] {
        &self.people
    }

    /// The person a name (as an owner or lead field holds it) stands for.
    pub fn person_named(&self, name: &str) -> Option<&Person> {
        self.people.iter().find(|p| p.name == name)
    }

    /// The limits the program's findings are raised at.
    pub fn thresholds(&self) -> &Thresholds {
        &self.thresholds
    }

    /// Findings the TPM has accepted.
    pub fn accepted_findings(&self) -> &[AcceptedFinding] {
        &self.accepted_findings
    }

    /// The date the baseline (each item's `baseline` dates) was taken, if one was.
    pub fn baseline_date(&self) -> Option<NaiveDate> {
        self.baseline_date
    }

    pub fn team(&self, id: TeamId) -> &Team {
        &self.teams[id.index()]
    }

    pub fn item(&self, id: ItemId) -> &WorkItem {
        &self.items[id.index()]
    }

    pub fn milestone(&self, id: MilestoneId) -> &Milestone {
        &self.milestones[id.index()]
    }

    pub fn system(&self, id: SystemId) -> &System {
        &self.systems[id.index()]
    }

    pub fn interface(&self, id: InterfaceId) -> &Interface {
        &self.interfaces[id.index()]
    }

    pub fn risk(&self, id: RiskId) -> &Risk {
        &self.risks[id.index()]
    }

    pub fn decision(&self, id: DecisionId) -> &Decision {
        &self.decisions[id.index()]
    }

    /// The calendar a team works to: the program's plus the team's own holidays.
    pub fn team_calendar(&self, id: TeamId) -> Calendar {
        self.calendar.with_extra_holidays(self.team(id).holidays.iter().copied())
    }

    /// An index from each entity's key (as written in the plan) to its id.
    pub fn keys(&self) -> KeyIndex {
        KeyIndex::new(self)
    }
}

/// Finds entities by the keys a user types (`PAY-12`, `payments`).
#[derive(Clone, Debug, Default)]
pub struct KeyIndex {
    pub teams: HashMap<String, TeamId>,
    pub items: HashMap<String, ItemId>,
    pub groups: HashMap<String, GroupId>,
    pub milestones: HashMap<String, MilestoneId>,
    pub systems: HashMap<String, SystemId>,
    pub interfaces: HashMap<String, InterfaceId>,
    pub risks: HashMap<String, RiskId>,
    pub decisions: HashMap<String, DecisionId>,
}

impl KeyIndex {
    fn new(program: &Program) -> Self {
        fn index<T, Id>(entities: &[T], key: impl Fn(&T) -> &str, id: impl Fn(usize) -> Id) -> HashMap<String, Id> {
            entities.iter().enumerate().map(|(i, e)| (key(e).to_owned(), id(i))).collect()
        }
        KeyIndex {
            teams: index(&program.teams, |t| &t.key, TeamId::new),
            items: index(&program.items, |t| &t.key, ItemId::new),
            groups: index(&program.groups, |t| &t.key, GroupId::new),
            milestones: index(&program.milestones, |t| &t.key, MilestoneId::new),
            systems: index(&program.systems, |t| &t.key, SystemId::new),
            interfaces: index(&program.interfaces, |t| &t.key, InterfaceId::new),
            risks: index(&program.risks, |t| &t.key, RiskId::new),
            decisions: index(&program.decisions, |t| &t.key, DecisionId::new),
        }
    }
}

/// A team and the people it can put on the program.
#[derive(Clone, Debug, PartialEq)]
pub struct Team {
    pub key: String,
    pub name: String,
    pub lead: Option<String>,
    /// People available from the program start.
    pub capacity: u32,
    /// Later changes of capacity, sorted by date: from `from` on, `people`.
    pub capacity_changes: CapacityChanges,
    /// The team's own days off, on top of the program calendar.
    pub holidays: BTreeSet<NaiveDate>,
}

impl Team {
    /// The most people the team ever has.
    pub fn most_people(&self) -> u32 {
        self.capacity_changes.iter().map(|change| change.people).fold(self.capacity, u32::max)
    }

    /// People available on `date`.
    pub fn capacity_on(&self, date: NaiveDate) -> u32 {
        self.capacity_changes
            .iter()
            .take_while(|change| change.from <= date)
            .last()
            .map_or(self.capacity, |change| change.people)
    }
}

/// A team's capacity changes, sorted by date: sorted when built, so no
/// reader has to.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CapacityChanges(Vec<CapacityChange>);

impl CapacityChanges {
    /// The changes in date order (a stable sort: of two on one date, the
    /// later one written wins).
    pub fn new(mut changes: Vec<CapacityChange>) -> Self {
        changes.sort_by_key(|c| c.from);
        CapacityChanges(changes)
    }

    /// Drops every change on or after `from` and adds `change` there.
    pub(crate) fn replace_from(&mut self, change: CapacityChange) {
        self.0.retain(|c| c.from < change.from);
        self.0.push(change);
    }

    pub(crate) fn clear(&mut self) {
        self.0.clear();
    }
}

impl std::ops::Deref for CapacityChanges {
    type Target = [CapacityChange];
    fn deref(&self) -> &[CapacityChange] {
        &self.0
    }
}

/// From a date on, a team has a different number of people.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CapacityChange {
    pub from: NaiveDate,
    pub people: u32,
}

/// A three-point estimate in working days.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Estimate {
    pub optimistic: f64,
    pub likely: f64,
    pub pessimistic: f64,
}

impl Estimate {
    /// An estimate with no spread.
    pub fn exact(days: f64) -> Self {
        Estimate { optimistic: days, likely: days, pessimistic: days }
    }

    /// The PERT mean, `(o + 4m + p) / 6`.
    pub fn pert_mean(&self) -> f64 {
        (self.optimistic + 4.0 * self.likely + self.pessimistic) / 6.0
    }

    /// Whether the three points are in order: optimistic ≤ likely ≤ pessimistic.
    pub fn is_ordered(&self) -> bool {
        self.optimistic <= self.likely && self.likely <= self.pessimistic
    }
}

/// Where a work item stands.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum ItemStatus {
    #[default]
    NotStarted,
    InProgress,
    Done,
    Blocked,
}

impl ItemStatus {
    pub const ALL: [ItemStatus; 4] =
        [ItemStatus::NotStarted, ItemStatus::InProgress, ItemStatus::Done, ItemStatus::Blocked];

    pub fn as_str(self) -> &'static str {
        match self {
            ItemStatus::NotStarted => "not_started",
            ItemStatus::InProgress => "in_progress",
            ItemStatus::Done => "done",
            ItemStatus::Blocked => "blocked",
        }
    }
}

/// How a dependency ties two items together.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum LinkKind {
    /// The successor starts after the predecessor finishes.
    #[default]
    FinishToStart,
    /// The successor starts after the predecessor starts.
    StartToStart,
    /// The successor finishes after the predecessor finishes.
    FinishToFinish,
}

impl LinkKind {
    pub const ALL: [LinkKind; 3] = [LinkKind::FinishToStart, LinkKind::StartToStart, LinkKind::FinishToFinish];

    pub fn as_str(self) -> &'static str {
        match self {
            LinkKind::FinishToStart => "finish_to_start",
            LinkKind::StartToStart => "start_to_start",
            LinkKind::FinishToFinish => "finish_to_finish",
        }
    }

    /// The two-letter abbreviation schedulers use (`FS`, `SS`, `FF`).
    pub fn abbreviation(self) -> &'static str {
        match self {
            LinkKind::FinishToStart => "FS",
            LinkKind::StartToStart => "SS",
            LinkKind::FinishToFinish => "FF",
        }
    }
}

/// What a lag is counted in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum LagUnit {
    /// Working days of the program calendar (the default).
    #[default]
    WorkingDays,
    /// Elapsed calendar days, weekends and holidays included: waiting two
    /// weeks for a vendor or a certificate does not stop at weekends.
    CalendarDays,
}

impl LagUnit {
    pub const ALL: [LagUnit; 2] = [LagUnit::WorkingDays, LagUnit::CalendarDays];

    pub fn as_str(self) -> &'static str {
        match self {
            LagUnit::WorkingDays => "working_days",
            LagUnit::CalendarDays => "calendar_days",
        }
    }
}

/// One item waiting on another.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Dependency {
    /// The predecessor.
    pub on: ItemId,
    pub kind: LinkKind,
    /// Days added between the two ends, in `lag_unit`; negative is a lead.
    pub lag: f64,
    pub lag_unit: LagUnit,
}

/// A piece of work one team delivers.
#[derive(Clone, Debug, PartialEq)]
pub struct WorkItem {
    pub key: String,
    pub title: String,
    pub team: TeamId,
    /// The person accountable, where one is named.
    pub owner: Option<String>,
    /// `None` when the item has not been sized yet; it is then scheduled as
    /// taking no time, and `linchpin check` warns.
    pub estimate: Option<Estimate>,
    /// People of the team the item needs while it runs.
    pub people: u32,
    pub status: ItemStatus,
    pub actual_start: Option<NaiveDate>,
    pub actual_finish: Option<NaiveDate>,
    /// Working days left, for work in progress.
    pub remaining: Option<f64>,
    /// A date before which the item may not start (a fixed-date constraint).
    pub not_before: Option<NaiveDate>,
    /// A date the item must start on, whatever its predecessors (a hard
    /// constraint: the schedule keeps it and reports a predecessor that
    /// would make it later).
    pub start_on: Option<NaiveDate>,
    /// A date the item must finish by; the schedule reports its slack to it.
    pub deadline: Option<NaiveDate>,
    /// The group it belongs to directly.
    pub group: Option<GroupId>,
    pub depends: Vec<Dependency>,
    pub systems: Vec<SystemId>,
    pub interfaces: Vec<InterfaceId>,
    /// The key of the item in another tracker (a Jira key, say).
    pub external_key: Option<String>,
    pub tags: Vec<String>,
    /// The dates committed to when the baseline was taken.
    pub baseline: Option<Planned>,
}

/// A start and finish date committed to in a baseline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Planned {
    pub start: NaiveDate,
    pub finish: NaiveDate,
}

impl WorkItem {
    /// An item with nothing recorded yet but its key, title and team: not
    /// started, unestimated, one person, no links.
    pub fn new(key: impl Into<String>, title: impl Into<String>, team: TeamId) -> Self {
        WorkItem {
            key: key.into(),
            title: title.into(),
            team,
            owner: None,
            estimate: None,
            people: 1,
            status: ItemStatus::NotStarted,
            actual_start: None,
            actual_finish: None,
            remaining: None,
            not_before: None,
            start_on: None,
            deadline: None,
            group: None,
            depends: Vec::new(),
            systems: Vec::new(),
            interfaces: Vec::new(),
            external_key: None,
            tags: Vec::new(),
            baseline: None,
        }
    }

    /// The likely duration in working days (0 when unestimated).
    pub fn likely_days(&self) -> f64 {
        self.estimate.map_or(0.0, |e| e.likely)
    }
}

/// What a group of work stands for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum GroupKind {
    #[default]
    Group,
    Epic,
    Workstream,
    Phase,
}

impl GroupKind {
    pub const ALL: [GroupKind; 4] = [GroupKind::Group, GroupKind::Epic, GroupKind::Workstream, GroupKind::Phase];

    pub fn as_str(self) -> &'static str {
        match self {
            GroupKind::Group => "group",
            GroupKind::Epic => "epic",
            GroupKind::Workstream => "workstream",
            GroupKind::Phase => "phase",
        }
    }
}

/// A group of work items: an epic, a workstream, a phase (MS Project's
/// summary tasks, Jira's epics, TaskJuggler's containers). Groups nest; a
/// dependency on a group is on all its work, and a dependency of a group
/// holds every item in it (the resolver writes both out as item links).
#[derive(Clone, Debug, PartialEq)]
pub struct Group {
    pub key: String,
    pub title: String,
    pub kind: GroupKind,
    pub parent: Option<GroupId>,
    pub owner: Option<String>,
    /// The date all its work must be finished by.
    pub deadline: Option<NaiveDate>,
    /// Every item in it or in a group inside it, in item order.
    pub members: Vec<ItemId>,
}

/// A date the program has committed to, and the work it needs.
#[derive(Clone, Debug, PartialEq)]
pub struct Milestone {
    pub key: String,
    pub title: String,
    pub requires: Vec<ItemId>,
    /// The date committed to stakeholders.
    pub target: Option<NaiveDate>,
}

/// What kind of thing a system is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum SystemKind {
    #[default]
    Service,
    Database,
    Queue,
    Library,
    External,
}

impl SystemKind {
    pub const ALL: [SystemKind; 5] =
        [SystemKind::Service, SystemKind::Database, SystemKind::Queue, SystemKind::Library, SystemKind::External];

    pub fn as_str(self) -> &'static str {
        match self {
            SystemKind::Service => "service",
            SystemKind::Database => "database",
            SystemKind::Queue => "queue",
            SystemKind::Library => "library",
            SystemKind::External => "external",
        }
    }
}

/// A service, database, queue, library or external dependency the work touches.
#[derive(Clone, Debug, PartialEq)]
pub struct System {
    pub key: String,
    pub name: String,
    pub kind: SystemKind,
    pub owner: Option<TeamId>,
    pub depends_on: Vec<SystemId>,
}

/// How far an API contract has got.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ContractStatus {
    #[default]
    Draft,
    Proposed,
    Agreed,
    Frozen,
}

impl ContractStatus {
    pub const ALL: [ContractStatus; 4] =
        [ContractStatus::Draft, ContractStatus::Proposed, ContractStatus::Agreed, ContractStatus::Frozen];

    pub fn as_str(self) -> &'static str {
        match self {
            ContractStatus::Draft => "draft",
            ContractStatus::Proposed => "proposed",
            ContractStatus::Agreed => "agreed",
            ContractStatus::Frozen => "frozen",
        }
    }

    /// Whether consumers can build against the contract.
    pub fn is_agreed(self) -> bool {
        self >= ContractStatus::Agreed
    }
}

/// An API contract between a providing team and its consumers.
#[derive(Clone, Debug, PartialEq)]
pub struct Interface {
    pub key: String,
    pub name: String,
    pub provider_system: Option<SystemId>,
    pub provider_team: TeamId,
    pub consumers: Vec<TeamId>,
    pub status: ContractStatus,
    /// When the contract was agreed.
    pub agreed: Option<NaiveDate>,
    /// When agreement is expected, while it is not yet agreed.
    pub expected: Option<NaiveDate>,
    /// The work item whose completion agrees the contract, if any.
    pub defined_by: Option<ItemId>,
}

/// The ROAM states of a risk.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum RiskStatus {
    #[default]
    Open,
    Owned,
    Accepted,
    Mitigated,
    Resolved,
}

impl RiskStatus {
    pub const ALL: [RiskStatus; 5] =
        [RiskStatus::Open, RiskStatus::Owned, RiskStatus::Accepted, RiskStatus::Mitigated, RiskStatus::Resolved];

    pub fn as_str(self) -> &'static str {
        match self {
            RiskStatus::Open => "open",
            RiskStatus::Owned => "owned",
            RiskStatus::Accepted => "accepted",
            RiskStatus::Mitigated => "mitigated",
            RiskStatus::Resolved => "resolved",
        }
    }

    /// Whether the risk can still hurt the schedule.
    pub fn is_live(self) -> bool {
        !matches!(self, RiskStatus::Mitigated | RiskStatus::Resolved)
    }
}

/// What a risk does to the schedule if it fires.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ScheduleImpact {
    /// The chance it fires, 0 to 1.
    pub probability: f64,
    /// The working days it adds to each affected item.
    pub delay: Estimate,
}

/// Something that may go wrong, with what is being done about it.
#[derive(Clone, Debug, PartialEq)]
pub struct Risk {
    pub key: String,
    pub title: String,
    /// 1 (rare) to 5 (almost certain).
    pub likelihood: u8,
    /// 1 (minor) to 5 (severe).
    pub impact: u8,
    pub owner: Option<String>,
    pub mitigation: Option<String>,
    pub trigger: Option<String>,
    pub status: RiskStatus,
    pub affects_items: Vec<ItemId>,
    pub affects_milestones: Vec<MilestoneId>,
    pub schedule_impact: Option<ScheduleImpact>,
}

impl Risk {
    /// Likelihood × impact, 1 to 25.
    pub fn exposure(&self) -> u8 {
        self.likelihood * self.impact
    }
}

/// Where a decision stands.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum DecisionStatus {
    #[default]
    Open,
    Decided,
    Superseded,
}

impl DecisionStatus {
    pub const ALL: [DecisionStatus; 3] = [DecisionStatus::Open, DecisionStatus::Decided, DecisionStatus::Superseded];

    pub fn as_str(self) -> &'static str {
        match self {
            DecisionStatus::Open => "open",
            DecisionStatus::Decided => "decided",
            DecisionStatus::Superseded => "superseded",
        }
    }
}

/// A criterion options are scored against, with its weight.
#[derive(Clone, Debug, PartialEq)]
pub struct Criterion {
    pub name: String,
    pub weight: f64,
}

/// One way a decision could go.
#[derive(Clone, Debug, PartialEq)]
pub struct DecisionOption {
    pub key: String,
    pub description: Option<String>,
    pub pros: Vec<String>,
    pub cons: Vec<String>,
    /// Scores against the decision's criteria, by criterion position, in
    /// the criteria's order.
    pub scores: Vec<(usize, f64)>,
}

/// A question the program must answer, and who answers it.
#[derive(Clone, Debug, PartialEq)]
pub struct Decision {
    pub key: String,
    pub question: String,
    pub criteria: Vec<Criterion>,
    pub options: Vec<DecisionOption>,
    pub driver: Option<String>,
    pub approver: Option<String>,
    pub contributors: Vec<String>,
    pub status: DecisionStatus,
    /// The chosen option, by position in `options`.
    pub chosen: Option<usize>,
    pub rationale: Option<String>,
    /// When it was decided.
    pub date: Option<NaiveDate>,
    /// A date the decision was promised by, if one was set by hand.
    pub due: Option<NaiveDate>,
    /// The items that cannot start until it is made.
    pub blocks: Vec<ItemId>,
}

impl Decision {
    /// Each option's weighted score, `Σ weight × score`, by option position.
    pub fn weighted_scores(&self) -> Vec<f64> {
        self.options
            .iter()
            .map(|option| {
                option
                    .scores
                    .iter()
                    .map(|&(criterion, score)| self.criteria.get(criterion).map_or(0.0, |c| c.weight) * score)
                    .sum()
            })
            .collect()
    }
}

/// Something stopping an item, and who is chasing it.
#[derive(Clone, Debug, PartialEq)]
pub struct Blocker {
    pub item: ItemId,
    pub description: String,
    pub raised: NaiveDate,
    pub owner: Option<String>,
    pub escalated_to: Option<String>,
    pub resolved: Option<NaiveDate>,
}

/// Green, amber or red.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Health {
    Green,
    Amber,
    Red,
}

impl Health {
    pub const ALL: [Health; 3] = [Health::Green, Health::Amber, Health::Red];

    pub fn as_str(self) -> &'static str {
        match self {
            Health::Green => "green",
            Health::Amber => "amber",
            Health::Red => "red",
        }
    }
}

/// What a status update is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Subject {
    Program,
    Team(TeamId),
    Item(ItemId),
}

/// A dated status report on the program, a team or an item.
#[derive(Clone, Debug, PartialEq)]
pub struct StatusUpdate {
    pub date: NaiveDate,
    pub subject: Subject,
    pub health: Health,
    pub note: Option<String>,
    pub author: Option<String>,
}

/// Which version of the story someone reads.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Audience {
    Executive,
    #[default]
    Engineering,
}

impl Audience {
    pub const ALL: [Audience; 2] = [Audience::Executive, Audience::Engineering];

    pub fn as_str(self) -> &'static str {
        match self {
            Audience::Executive => "executive",
            Audience::Engineering => "engineering",
        }
    }
}

/// Someone the plan names as an owner, lead, approver or contact.
#[derive(Clone, Debug, PartialEq)]
pub struct Person {
    pub key: String,
    pub name: String,
    pub team: Option<TeamId>,
    pub role: Option<String>,
    pub contact: Option<String>,
}

/// Someone with a stake in the program.
#[derive(Clone, Debug, PartialEq)]
pub struct Stakeholder {
    pub name: String,
    pub role: Option<String>,
    pub audience: Audience,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("valid test date")
    }

    #[test]
    fn capacity_follows_the_latest_change_on_or_before_the_date() {
        let team = Team {
            key: "payments".into(),
            name: "Payments".into(),
            lead: None,
            capacity: 4,
            capacity_changes: CapacityChanges::new(vec![
                CapacityChange { from: date("2026-07-01"), people: 3 },
                CapacityChange { from: date("2026-04-01"), people: 6 },
            ]),
            holidays: BTreeSet::new(),
        };
        assert_eq!(team.capacity_on(date("2026-03-31")), 4);
        assert_eq!(team.capacity_on(date("2026-04-01")), 6);
        assert_eq!(team.capacity_on(date("2026-06-30")), 6);
        assert_eq!(team.capacity_on(date("2026-07-02")), 3);
        assert_eq!(team.most_people(), 6);
    }

    #[test]
    fn weighted_scores_multiply_weights_by_scores() {
        let decision = Decision {
            key: "D1".into(),
            question: "Which queue?".into(),
            criteria: vec![
                Criterion { name: "cost".into(), weight: 0.25 },
                Criterion { name: "risk".into(), weight: 0.75 },
            ],
            options: vec![DecisionOption {
                key: "kafka".into(),
                description: None,
                pros: vec![],
                cons: vec![],
                scores: vec![(0, 4.0), (1, 2.0)],
            }],
            driver: None,
            approver: None,
            contributors: vec![],
            status: DecisionStatus::Open,
            chosen: None,
            rationale: None,
            date: None,
            due: None,
            blocks: vec![],
        };
        assert_eq!(decision.weighted_scores(), vec![2.5]);
    }

    #[test]
    fn pert_mean_weights_the_likely_value() {
        let e = Estimate { optimistic: 2.0, likely: 5.0, pessimistic: 14.0 };
        assert!((e.pert_mean() - 6.0).abs() < 1e-12);
        assert!(e.is_ordered());
    }
}
