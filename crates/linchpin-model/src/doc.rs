//! The program as written: documents in the shape of the plan format, but
//! neutral about where they came from. Every front end produces them (the
//! YAML and CSV loaders, the importers, the server's writes), each value
//! with its [`Origin`]; the [`crate::resolve()`] resolver is the one way from
//! them to a [`crate::Program`], so a Jira import, an API write and a plan
//! file are held to exactly the same rules.
//!
//! Ids and references are plain keys here (`PAY-12`, `payments`); words
//! from a fixed vocabulary are already the model's types, since every front
//! end has its own way of spelling them.

use chrono::{NaiveDate, Weekday};

use crate::origin::{Located, Origin};
use crate::{
    Audience, ContractStatus, DecisionStatus, GroupKind, Health, ItemStatus, LagUnit, LinkKind, RiskStatus, SystemKind,
};

/// Everything one plan file (or one import, or one request) says. A plan
/// may be several of these, whose sections are merged; exactly one holds
/// `program`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PlanDoc {
    pub program: Option<ProgramDoc>,
    pub teams: Vec<TeamDoc>,
    pub items: Vec<ItemDoc>,
    pub groups: Vec<GroupDoc>,
    pub milestones: Vec<MilestoneDoc>,
    pub systems: Vec<SystemDoc>,
    pub interfaces: Vec<InterfaceDoc>,
    pub risks: Vec<RiskDoc>,
    pub decisions: Vec<DecisionDoc>,
    pub blockers: Vec<BlockerDoc>,
    pub updates: Vec<UpdateDoc>,
    pub stakeholders: Vec<StakeholderDoc>,
    pub people: Vec<PersonDoc>,
    pub findings: Option<FindingsDoc>,
    pub baseline: Option<BaselineDoc>,
    /// What this file adds to items defined in another (an import's
    /// generated file, say): links, systems, estimates the TPM owns.
    pub additions: Vec<AdditionDoc>,
}

/// The program as a whole.
#[derive(Clone, Debug, PartialEq)]
pub struct ProgramDoc {
    pub name: Located<String>,
    pub goal: Option<String>,
    /// The first working day.
    pub start: Located<NaiveDate>,
    /// The date progress is known as of.
    pub status_date: Option<Located<NaiveDate>>,
    pub calendar: Option<CalendarDoc>,
}

/// Which days are worked.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CalendarDoc {
    /// Monday to Friday when absent.
    pub working_days: Option<Vec<Located<Weekday>>>,
    pub holidays: Vec<HolidayDoc>,
}

/// A day off, or a range of them.
#[derive(Clone, Debug, PartialEq)]
pub struct HolidayDoc {
    pub date: Located<NaiveDate>,
    /// The last day off, for a range.
    pub until: Option<Located<NaiveDate>>,
    pub name: Option<String>,
}

/// A team and its capacity.
#[derive(Clone, Debug, PartialEq)]
pub struct TeamDoc {
    pub id: Located<String>,
    pub name: Option<String>,
    pub lead: Option<Located<String>>,
    /// People from the program start (1 when absent).
    pub capacity: Option<Located<i64>>,
    pub capacity_changes: Vec<CapacityChangeDoc>,
    pub holidays: Vec<HolidayDoc>,
}

/// From a date on, a team has a different number of people.
#[derive(Clone, Debug, PartialEq)]
pub struct CapacityChangeDoc {
    pub from: Located<NaiveDate>,
    pub people: Located<i64>,
}

/// A piece of work one team delivers.
#[derive(Clone, Debug, PartialEq)]
pub struct ItemDoc {
    pub id: Located<String>,
    pub title: Located<String>,
    pub team: Located<String>,
    pub owner: Option<Located<String>>,
    pub estimate: Option<Located<EstimateDoc>>,
    /// People of the team it needs at once (1 when absent).
    pub people: Option<Located<i64>>,
    pub status: Option<Located<ItemStatus>>,
    pub actual_start: Option<Located<NaiveDate>>,
    pub actual_finish: Option<Located<NaiveDate>>,
    /// Working days left, for work in progress.
    pub remaining: Option<Located<f64>>,
    pub not_before: Option<Located<NaiveDate>>,
    /// Must start on this date, whatever its predecessors.
    pub start_on: Option<Located<NaiveDate>>,
    /// Must finish by this date.
    pub deadline: Option<Located<NaiveDate>>,
    /// The id of the group it belongs to.
    pub group: Option<Located<String>>,
    /// Items (or groups: all their work) this one waits on.
    pub depends: Vec<DependencyDoc>,
    pub systems: Vec<Located<String>>,
    pub interfaces: Vec<Located<String>>,
    /// The key in another tracker.
    pub key: Option<String>,
    pub tags: Vec<String>,
}

impl ItemDoc {
    /// An item with only its id, title and team, each from `origin`.
    pub fn new(id: impl Into<String>, title: impl Into<String>, team: impl Into<String>, origin: Origin) -> Self {
        ItemDoc {
            id: Located { value: id.into(), origin },
            title: Located { value: title.into(), origin },
            team: Located { value: team.into(), origin },
            owner: None,
            estimate: None,
            people: None,
            status: None,
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
            key: None,
            tags: Vec::new(),
        }
    }
}

/// What one file adds to an item another file defines: lists are
/// appended to the item's, values set where the item has none or replace
/// its own (a TPM's three-point estimate over an imported single point).
#[derive(Clone, Debug, PartialEq)]
pub struct AdditionDoc {
    /// The id of the item added to.
    pub item: Located<String>,
    pub owner: Option<Located<String>>,
    pub estimate: Option<Located<EstimateDoc>>,
    pub people: Option<Located<i64>>,
    pub not_before: Option<Located<NaiveDate>>,
    pub start_on: Option<Located<NaiveDate>>,
    pub deadline: Option<Located<NaiveDate>>,
    pub depends: Vec<DependencyDoc>,
    pub systems: Vec<Located<String>>,
    pub interfaces: Vec<Located<String>>,
    pub tags: Vec<String>,
}

/// A group of work items: an epic, a workstream, a phase.
#[derive(Clone, Debug, PartialEq)]
pub struct GroupDoc {
    pub id: Located<String>,
    pub title: Located<String>,
    /// `group` when absent.
    pub kind: Option<Located<GroupKind>>,
    /// The id of the group it sits in.
    pub parent: Option<Located<String>>,
    pub owner: Option<Located<String>>,
    /// All its work must finish by this date.
    pub deadline: Option<Located<NaiveDate>>,
    /// Items or groups every item of this one waits on.
    pub depends: Vec<DependencyDoc>,
}

/// A three-point estimate as written, in working days.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct EstimateDoc {
    pub optimistic: f64,
    pub likely: f64,
    pub pessimistic: f64,
}

impl EstimateDoc {
    /// An estimate with no spread.
    pub fn exact(days: f64) -> Self {
        EstimateDoc { optimistic: days, likely: days, pessimistic: days }
    }
}

/// One item waiting on another.
#[derive(Clone, Debug, PartialEq)]
pub struct DependencyDoc {
    /// The id of the item (or group) waited on.
    pub item: Located<String>,
    /// Finish-to-start when absent.
    pub kind: Option<Located<LinkKind>>,
    /// Days between the two ends (in `lag_unit`); negative for a lead.
    pub lag: Option<Located<f64>>,
    /// Working days when absent.
    pub lag_unit: Option<Located<LagUnit>>,
}

impl DependencyDoc {
    /// A finish-to-start dependency without lag.
    pub fn on(item: Located<String>) -> Self {
        DependencyDoc { item, kind: None, lag: None, lag_unit: None }
    }
}

/// A date committed to stakeholders and the work it needs.
#[derive(Clone, Debug, PartialEq)]
pub struct MilestoneDoc {
    pub id: Located<String>,
    pub title: Located<String>,
    /// Ids of the items (or groups: all their work) that must be done.
    pub requires: Vec<Located<String>>,
    pub target: Option<Located<NaiveDate>>,
}

/// A service, database, queue, library or external dependency.
#[derive(Clone, Debug, PartialEq)]
pub struct SystemDoc {
    pub id: Located<String>,
    pub name: Option<String>,
    pub kind: Option<Located<SystemKind>>,
    /// The owning team's id.
    pub owner: Option<Located<String>>,
    pub depends_on: Vec<Located<String>>,
}

/// An API contract between a provider and its consumers.
#[derive(Clone, Debug, PartialEq)]
pub struct InterfaceDoc {
    pub id: Located<String>,
    pub name: Option<String>,
    pub provider: Located<ProviderDoc>,
    pub consumers: Vec<Located<String>>,
    pub status: Option<Located<ContractStatus>>,
    pub agreed: Option<Located<NaiveDate>>,
    pub expected: Option<Located<NaiveDate>>,
    pub defined_by: Option<Located<String>>,
}

/// Who provides an interface: a system, a team, or both.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ProviderDoc {
    pub system: Option<Located<String>>,
    pub team: Option<Located<String>>,
}

/// An entry in the risk register.
#[derive(Clone, Debug, PartialEq)]
pub struct RiskDoc {
    pub id: Located<String>,
    pub title: Located<String>,
    /// 1 to 5.
    pub likelihood: Located<i64>,
    /// 1 to 5.
    pub impact: Located<i64>,
    pub owner: Option<Located<String>>,
    pub mitigation: Option<String>,
    pub trigger: Option<String>,
    pub status: Option<Located<RiskStatus>>,
    /// Ids of the items or milestones it affects.
    pub affects: Vec<Located<String>>,
    pub schedule_impact: Option<ScheduleImpactDoc>,
}

/// What a risk does to the schedule if it fires.
#[derive(Clone, Debug, PartialEq)]
pub struct ScheduleImpactDoc {
    /// The chance it fires, 0 to 1.
    pub probability: Located<f64>,
    /// Working days added to each affected item.
    pub delay: Located<EstimateDoc>,
}

/// A decision the program must make.
#[derive(Clone, Debug, PartialEq)]
pub struct DecisionDoc {
    pub id: Located<String>,
    pub question: Located<String>,
    pub criteria: Vec<CriterionDoc>,
    pub options: Vec<OptionDoc>,
    pub driver: Option<Located<String>>,
    pub approver: Option<Located<String>>,
    pub contributors: Vec<Located<String>>,
    pub status: Option<Located<DecisionStatus>>,
    /// The id of the chosen option.
    pub chosen: Option<Located<String>>,
    pub rationale: Option<String>,
    pub date: Option<Located<NaiveDate>>,
    pub due: Option<Located<NaiveDate>>,
    /// Ids of the items that wait on it.
    pub blocks: Vec<Located<String>>,
}

/// A criterion options are scored against.
#[derive(Clone, Debug, PartialEq)]
pub struct CriterionDoc {
    pub name: Located<String>,
    /// 1 when absent.
    pub weight: Option<Located<f64>>,
}

/// One way a decision could go.
#[derive(Clone, Debug, PartialEq)]
pub struct OptionDoc {
    pub id: Located<String>,
    pub description: Option<String>,
    pub pros: Vec<String>,
    pub cons: Vec<String>,
    /// Scores by criterion name.
    pub scores: Vec<(Located<String>, Located<f64>)>,
}

/// Something stopping a work item.
#[derive(Clone, Debug, PartialEq)]
pub struct BlockerDoc {
    pub item: Located<String>,
    pub description: Located<String>,
    pub raised: Located<NaiveDate>,
    pub owner: Option<Located<String>>,
    pub escalated_to: Option<Located<String>>,
    pub resolved: Option<Located<NaiveDate>>,
}

/// A dated status report on the program, a team or an item.
#[derive(Clone, Debug, PartialEq)]
pub struct UpdateDoc {
    pub date: Located<NaiveDate>,
    pub health: Located<Health>,
    pub team: Option<Located<String>>,
    pub item: Option<Located<String>>,
    pub note: Option<String>,
    pub author: Option<Located<String>>,
}

/// Someone who reads the program's reports.
#[derive(Clone, Debug, PartialEq)]
pub struct StakeholderDoc {
    pub name: Located<String>,
    pub role: Option<String>,
    pub audience: Option<Located<Audience>>,
}

/// Someone the plan names: an owner, a lead, an approver, a blocker's owner,
/// an escalation contact. With a `people` section, those fields name people
/// by id or name.
#[derive(Clone, Debug, PartialEq)]
pub struct PersonDoc {
    pub id: Located<String>,
    pub name: Located<String>,
    /// The id of their team.
    pub team: Option<Located<String>>,
    pub role: Option<String>,
    /// How to reach them: an email address, a handle.
    pub contact: Option<String>,
}

/// How `linchpin findings` judges the program.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FindingsDoc {
    pub thresholds: Option<ThresholdsDoc>,
    pub accepted: Vec<AcceptedDoc>,
}

/// Limits findings are raised at; absent ones keep their defaults.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ThresholdsDoc {
    pub near_critical_days: Option<Located<f64>>,
    pub shared_min_teams: Option<Located<i64>>,
    pub spof_milestone_share: Option<Located<f64>>,
    pub spof_min_dependents: Option<Located<i64>>,
    pub spof_team_share: Option<Located<f64>>,
    pub fragile_slack_days: Option<Located<f64>>,
    pub overload_ratio: Option<Located<f64>>,
    pub decision_warning_days: Option<Located<f64>>,
    pub blocker_escalation_days: Option<Located<i64>>,
    pub stale_days: Option<Located<i64>>,
    pub high_slack_days: Option<Located<f64>>,
    pub long_duration_days: Option<Located<f64>>,
    pub health_green_chance: Option<Located<f64>>,
    pub health_red_chance: Option<Located<f64>>,
    pub health_red_days: Option<Located<f64>>,
}

/// A finding the TPM has accepted.
#[derive(Clone, Debug, PartialEq)]
pub struct AcceptedDoc {
    /// The finding's id, `kind:subject`.
    pub finding: Located<String>,
    pub reason: Located<String>,
    pub owner: Located<String>,
    pub until: Option<Located<NaiveDate>>,
}

/// The dates the plan committed to when a baseline was taken.
#[derive(Clone, Debug, PartialEq)]
pub struct BaselineDoc {
    pub date: Located<NaiveDate>,
    pub items: Vec<BaselineItemDoc>,
}

/// One item's committed dates.
#[derive(Clone, Debug, PartialEq)]
pub struct BaselineItemDoc {
    pub item: Located<String>,
    pub start: Located<NaiveDate>,
    pub finish: Located<NaiveDate>,
}
