//! What each finding found, as data: the ids, dates, numbers and flags its
//! analysis computed, and no words. [`crate::render`] turns them into
//! sentences; a report or a dashboard can link the entities instead. The
//! entities' own keys, names, titles and owners, and the plan's thresholds,
//! are read from the program when rendering; the blockers and status updates
//! a finding rests on, which have no ids to refer to them by, are held here.

use chrono::NaiveDate;
use linchpin_engine::forecast::Driver;
use linchpin_engine::schedule::Work;
use linchpin_model::{
    Blocker, DecisionId, FindingKind, FindingSubject, InterfaceId, ItemId, MilestoneId, StatusUpdate, SystemId, TeamId,
};

use crate::QualityResult;

/// What a finding found, one variant per thing an analysis looks for.
#[derive(Clone, Debug, PartialEq)]
pub enum Facts {
    SharedDependency(SharedDependency),
    FailingSystem(FailingSystem),
    FailingTeam(FailingTeam),
    BuiltBeforeContract(BuiltBeforeContract),
    FragileDependency(FragileDependency),
    OverCommittedTeam(OverCommittedTeam),
    DecisionNeeded(DecisionNeeded),
    /// Work marked blocked with no blocker recorded.
    UnrecordedBlocker(UnrecordedBlocker),
    Blocked(Blocked),
    StaleStatus(StaleStatus),
    /// A milestone whose forecast P80 is after its target.
    ForecastLate(ForecastLate),
    /// A milestone the schedule itself finishes after its target (no forecast ran).
    PlannedLate(PlannedLate),
    /// Work planned, or forecast at P80, to finish after its deadline.
    DeadlineLate(DeadlineLate),
    /// A failed schedule-quality check.
    ScheduleQuality(QualityResult),
}

impl Facts {
    pub fn kind(&self) -> FindingKind {
        match self {
            Facts::SharedDependency(_) => FindingKind::SharedDependency,
            Facts::FailingSystem(_) | Facts::FailingTeam(_) => FindingKind::SinglePointOfFailure,
            Facts::BuiltBeforeContract(_) => FindingKind::BuiltBeforeContract,
            Facts::FragileDependency(_) => FindingKind::FragileDependency,
            Facts::OverCommittedTeam(_) => FindingKind::OverCommittedTeam,
            Facts::DecisionNeeded(_) => FindingKind::DecisionNeeded,
            Facts::UnrecordedBlocker(_) | Facts::Blocked(_) => FindingKind::Blocker,
            Facts::StaleStatus(_) => FindingKind::StaleStatus,
            Facts::ForecastLate(_) | Facts::PlannedLate(_) => FindingKind::MilestoneAtRisk,
            Facts::DeadlineLate(_) => FindingKind::DeadlineAtRisk,
            Facts::ScheduleQuality(_) => FindingKind::ScheduleQuality,
        }
    }

    /// What the finding is about.
    pub fn subject(&self) -> FindingSubject {
        match self {
            Facts::SharedDependency(f) => match f.shared {
                Shared::System(s) => FindingSubject::System(s),
                Shared::Interface(i) => FindingSubject::Interface(i),
            },
            Facts::FailingSystem(f) => FindingSubject::System(f.system),
            Facts::FailingTeam(f) => FindingSubject::Team(f.team),
            Facts::BuiltBeforeContract(f) => FindingSubject::Interface(f.interface),
            Facts::FragileDependency(f) => FindingSubject::Item(f.upstream),
            Facts::OverCommittedTeam(f) => FindingSubject::Team(f.team),
            Facts::DecisionNeeded(f) => FindingSubject::Decision(f.decision),
            Facts::UnrecordedBlocker(f) => FindingSubject::Item(f.item),
            Facts::Blocked(f) => FindingSubject::Item(f.item),
            Facts::StaleStatus(f) => FindingSubject::Item(f.item),
            Facts::ForecastLate(f) => FindingSubject::Milestone(f.milestone),
            Facts::PlannedLate(f) => FindingSubject::Milestone(f.milestone),
            Facts::DeadlineLate(f) => match f.work {
                Work::Item(item) => FindingSubject::Item(item),
                Work::Group(group) => FindingSubject::Group(group),
            },
            Facts::ScheduleQuality(r) => FindingSubject::Check(r.check),
        }
    }
}

/// What a shared dependency is: a system or an interface.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Shared {
    System(SystemId),
    Interface(InterfaceId),
}

/// A system or interface the open work of several teams relies on.
#[derive(Clone, Debug, PartialEq)]
pub struct SharedDependency {
    pub shared: Shared,
    /// The teams whose open work relies on it.
    pub teams: Vec<TeamId>,
    /// How many open items rely on it.
    pub items: usize,
    /// How many of them are on the critical path.
    pub critical_items: usize,
    /// The ones within the near-critical threshold, least slack first.
    pub near_critical: Vec<ItemId>,
    /// Working days of near-critical work left.
    pub near_critical_work_days: f64,
    /// The teams doing that near-critical work.
    pub near_critical_teams: Vec<TeamId>,
}

/// A system most of the milestones with work left hang on.
#[derive(Clone, Debug, PartialEq)]
pub struct FailingSystem {
    pub system: SystemId,
    /// The milestones with work left that need it.
    pub milestones: Vec<MilestoneId>,
    /// How many milestones have work left.
    pub live_milestones: usize,
    /// The systems that call it directly.
    pub direct_dependents: Vec<SystemId>,
    /// How many systems depend on it, directly or not.
    pub dependent_systems: usize,
    /// Into how many parts the system graph falls without it, when it holds
    /// apart parts of the architecture (`None` when it does not).
    pub separates_into: Option<usize>,
    /// The first target date among those milestones, and its milestone.
    pub next_target: Option<(NaiveDate, MilestoneId)>,
}

/// A team doing most of the critical-path work left.
#[derive(Clone, Debug, PartialEq)]
pub struct FailingTeam {
    pub team: TeamId,
    /// Its working days of critical-path work left.
    pub work_days: f64,
    /// Every team's working days of critical-path work left.
    pub total_days: f64,
    /// Its critical items.
    pub items: Vec<ItemId>,
    /// How many critical items there are in all.
    pub critical_items: usize,
    /// Its people on the status date.
    pub people: u32,
    /// The roadmap's end.
    pub end: NaiveDate,
}

impl FailingTeam {
    pub fn share(&self) -> f64 {
        self.work_days / self.total_days
    }
}

/// When an interface's contract is expected to be agreed.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Agreement {
    /// When the open item that settles it finishes.
    Settles {
        item: ItemId,
        finish: NaiveDate,
    },
    /// The item that should settle it is done, yet the contract is not
    /// agreed; `None` when the plan has no actual finish for it.
    SettledWithoutAgreement {
        item: ItemId,
        finished: Option<NaiveDate>,
    },
    Expected(NaiveDate),
    /// Expected by a date that has passed.
    Overdue(NaiveDate),
    /// The plan gives no date.
    Undated,
}

/// Work consuming an interface, started or planned before its contract is agreed.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct EarlyWork {
    pub item: ItemId,
    /// `None` when it is already under way.
    pub starts: Option<NaiveDate>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct BuiltBeforeContract {
    pub interface: InterfaceId,
    pub agreement: Agreement,
    /// The early work, soonest first.
    pub early: Vec<EarlyWork>,
    /// The teams doing it.
    pub teams: Vec<TeamId>,
    /// Working days of work done before the agreement.
    pub days_at_stake: f64,
}

/// Work other teams wait on that has little slack, no owner or no estimate.
#[derive(Clone, Debug, PartialEq)]
pub struct FragileDependency {
    pub upstream: ItemId,
    /// The other teams' open items waiting on it.
    pub downstream: Vec<ItemId>,
    /// Their teams.
    pub teams: Vec<TeamId>,
    /// Its least slack: before the end, or before `before` when that
    /// milestone leaves it less.
    pub slack_days: f64,
    /// The milestone its slack is least before, when that is less than its
    /// slack before the end.
    pub before: Option<MilestoneId>,
    /// Whether the slack is at or below the plan's limit.
    pub tight: bool,
    pub critical: bool,
    /// In a plan that tracks owners.
    pub unowned: bool,
    pub unestimated: bool,
    /// The day it is planned to finish.
    pub handoff: NaiveDate,
}

/// Consecutive over-committed weeks of one team.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Window {
    /// The Monday of the first week and of the last.
    pub first: NaiveDate,
    pub last: NaiveDate,
    /// Person-days asked for and available.
    pub demand: f64,
    pub capacity: f64,
}

/// A team asked for more than it has.
#[derive(Clone, Debug, PartialEq)]
pub struct OverCommittedTeam {
    pub team: TeamId,
    pub windows: Vec<Window>,
    /// The most loaded week's Monday, its capacity in person-days and its
    /// load (demand over capacity; infinite with no capacity).
    pub peak_week: NaiveDate,
    pub peak_capacity: f64,
    pub peak_load: f64,
    /// Person-days asked for and available over every window.
    pub asked: f64,
    pub available: f64,
    /// Whether the roadmap respects capacity.
    pub capacity_aware: bool,
    /// The items the roadmap holds back waiting for the team.
    pub held: Vec<ItemId>,
    /// How many of them are on the critical path.
    pub held_critical: usize,
    pub longest_wait_days: f64,
}

/// When an open decision is needed.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct NeededBy {
    pub date: NaiveDate,
    /// The waiting item that must start first, and the latest day it can.
    pub first_waiting: ItemId,
    pub latest_start: NaiveDate,
    pub working_days_left: f64,
    pub overdue: bool,
}

/// How the decision's promised date compares.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Promise {
    /// It has passed.
    Missed(NaiveDate),
    /// It is after the day the decision is needed by.
    TooLate(NaiveDate),
}

#[derive(Clone, Debug, PartialEq)]
pub struct DecisionNeeded {
    pub decision: DecisionId,
    /// The items not yet started that wait on it.
    pub waiting: Vec<ItemId>,
    /// `None` when no waiting work gives it a date.
    pub needed: Option<NeededBy>,
    pub promise: Option<Promise>,
    /// The option scoring highest on the plan's criteria (by position in
    /// the decision's options), and its score.
    pub leading_option: Option<(usize, f64)>,
}

/// What staying blocked costs.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Stakes {
    /// Every day moves the end date.
    Critical,
    /// The end date moves if it cannot start by the date.
    StartBy {
        slack_days: f64,
        date: NaiveDate,
    },
    SlackLeft {
        slack_days: f64,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub struct UnrecordedBlocker {
    pub item: ItemId,
    pub stakes: Stakes,
}

/// Someone to go to: a person the plan names, or a team's lead when the
/// plan gives the lead no name.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Who {
    Person(String),
    LeadOf(TeamId),
}

/// Open blockers of one item.
#[derive(Clone, Debug, PartialEq)]
pub struct Blocked {
    pub item: ItemId,
    /// Its open blockers, oldest first.
    pub blockers: Vec<Blocker>,
    /// Days since the oldest was raised.
    pub age_days: i64,
    /// Whom it is escalated to, if anyone.
    pub escalated_to: Option<String>,
    pub stakes: Stakes,
    /// Who holds it now, then the team lead, then the sponsor.
    pub escalation_path: Vec<Who>,
    /// The first on the path not holding it yet (`None`: the program
    /// sponsor, whom the plan does not name).
    pub next: Option<Who>,
    /// Open past the plan's limit, with nobody escalated to.
    pub overdue_escalation: bool,
}

/// When the item was last heard of.
#[derive(Clone, Debug, PartialEq)]
pub enum LastHeard {
    Update(StatusUpdate),
    StartedOn(NaiveDate),
    Never,
}

/// Work in progress nobody has reported on lately.
#[derive(Clone, Debug, PartialEq)]
pub struct StaleStatus {
    pub item: ItemId,
    /// Days since anyone reported (`None`: nobody ever has).
    pub silent_days: Option<i64>,
    pub last: LastHeard,
    pub critical: bool,
    pub slack_days: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ForecastLate {
    pub milestone: MilestoneId,
    pub target: NaiveDate,
    pub iterations: usize,
    pub p50: NaiveDate,
    pub p80: NaiveDate,
    pub p95: NaiveDate,
    /// Working days from the target to the P80 date.
    pub days_late_at_p80: f64,
    pub probability_on_target: f64,
    /// What moves it most, strongest first.
    pub drivers: Vec<Driver>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct PlannedLate {
    pub milestone: MilestoneId,
    pub target: NaiveDate,
    pub planned: NaiveDate,
    pub days_late: f64,
    /// The last of its work to finish.
    pub last: Option<ItemId>,
}

/// An item or group with a deadline it is likely to miss.
#[derive(Clone, Debug, PartialEq)]
pub struct DeadlineLate {
    pub work: Work,
    pub deadline: NaiveDate,
    /// When the schedule finishes it.
    pub planned: NaiveDate,
    /// Working days the schedule finishes it after the deadline (0 or less
    /// when it makes it).
    pub planned_days_late: f64,
    /// The last of its open work to finish.
    pub last: Option<ItemId>,
    /// What the forecast says, when one ran.
    pub forecast: Option<DeadlineForecast>,
}

/// A deadline's forecast.
#[derive(Clone, Debug, PartialEq)]
pub struct DeadlineForecast {
    pub iterations: usize,
    pub p50: NaiveDate,
    pub p80: NaiveDate,
    /// Working days from the deadline to the P80 date.
    pub days_late_at_p80: f64,
    pub probability_on_target: f64,
}

/// The numbers behind a finding, by name, for machines.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Figure {
    Teams,
    Items,
    CriticalItems,
    NearCriticalItems,
    NearCriticalWorkDays,
    Weight,
    Milestones,
    MilestoneShare,
    DirectDependents,
    DependentSystems,
    GraphPartsWithoutIt,
    CriticalWorkDays,
    CriticalWorkShare,
    ConsumerItems,
    InProgress,
    DaysAtStake,
    DaysBeforeAgreement,
    UpstreamSlackDays,
    WaitingItems,
    WaitingTeams,
    Unowned,
    Unestimated,
    AskedPersonDays,
    AvailablePersonDays,
    ExcessPersonDays,
    PeakLoad,
    Weeks,
    ItemsHeld,
    LongestWaitDays,
    WorkingDaysLeft,
    Blockers,
    SlackDays,
    AgeDays,
    Escalated,
    DaysSilent,
    P50Days,
    P80Days,
    P95Days,
    ProbabilityOnTarget,
    DaysLateAtP80,
    DaysLate,
    Value,
    Threshold,
}

impl Figure {
    /// Its name in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Figure::Teams => "teams",
            Figure::Items => "items",
            Figure::CriticalItems => "critical_items",
            Figure::NearCriticalItems => "near_critical_items",
            Figure::NearCriticalWorkDays => "near_critical_work_days",
            Figure::Weight => "weight",
            Figure::Milestones => "milestones",
            Figure::MilestoneShare => "milestone_share",
            Figure::DirectDependents => "direct_dependents",
            Figure::DependentSystems => "dependent_systems",
            Figure::GraphPartsWithoutIt => "graph_parts_without_it",
            Figure::CriticalWorkDays => "critical_work_days",
            Figure::CriticalWorkShare => "critical_work_share",
            Figure::ConsumerItems => "consumer_items",
            Figure::InProgress => "in_progress",
            Figure::DaysAtStake => "days_at_stake",
            Figure::DaysBeforeAgreement => "days_before_agreement",
            Figure::UpstreamSlackDays => "upstream_slack_days",
            Figure::WaitingItems => "waiting_items",
            Figure::WaitingTeams => "waiting_teams",
            Figure::Unowned => "unowned",
            Figure::Unestimated => "unestimated",
            Figure::AskedPersonDays => "asked_person_days",
            Figure::AvailablePersonDays => "available_person_days",
            Figure::ExcessPersonDays => "excess_person_days",
            Figure::PeakLoad => "peak_load",
            Figure::Weeks => "weeks",
            Figure::ItemsHeld => "items_held",
            Figure::LongestWaitDays => "longest_wait_days",
            Figure::WorkingDaysLeft => "working_days_left",
            Figure::Blockers => "blockers",
            Figure::SlackDays => "slack_days",
            Figure::AgeDays => "age_days",
            Figure::Escalated => "escalated",
            Figure::DaysSilent => "days_silent",
            Figure::P50Days => "p50_days",
            Figure::P80Days => "p80_days",
            Figure::P95Days => "p95_days",
            Figure::ProbabilityOnTarget => "probability_on_target",
            Figure::DaysLateAtP80 => "days_late_at_p80",
            Figure::DaysLate => "days_late",
            Figure::Value => "value",
            Figure::Threshold => "threshold",
        }
    }
}

/// Someone to pull into the room, and why them.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Contact {
    /// `None` when the plan does not name the person (a team without a lead).
    pub name: Option<String>,
    pub role: Role,
}

/// Someone's place in a finding.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Role {
    /// A team's lead.
    Lead { team: TeamId, part: Option<Part> },
    /// The person accountable for an item.
    Owner { item: ItemId, part: Option<Part> },
    /// Someone the plan names in a part of its own (an approver, a blocker's owner).
    Named(Part),
}

/// The part someone plays in a finding.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Part {
    /// Owns the system or interface.
    Owner,
    ReliesOnIt,
    DependsOnIt,
    OwnsTheCriticalPath,
    /// Provides an interface.
    Provider,
    /// Consumes an interface.
    Consumer,
    SettlesTheContract,
    /// Does the work others wait on.
    Upstream,
    WaitsOnIt,
    OverCommitted,
    Approver,
    Driver,
    Contributor,
    WaitingOnIt,
    Blocked,
    OwnsTheBlocker,
    EscalatedTo,
    /// Where a blocker goes next.
    Escalation,
    EscalateTo,
    NoUpdate,
    TopDriver,
    RiskOwner(linchpin_model::RiskId),
    FinishesLast,
    OwnsTheItems,
    /// Owns a group of work.
    OwnsTheGroup,
}
