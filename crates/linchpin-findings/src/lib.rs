//! Findings: the coordination risks hidden in a program's architecture and
//! plan, and the health of its schedule, each with the numbers behind it,
//! what to do about it and who to pull into the room.
//!
//! Pure like the engine it reads: [`analyse`] is a function of a program,
//! its schedules and (optionally) its forecast, so the CLI, the reports and
//! the server all see the same findings. A finding is data (its [`Facts`],
//! [`Action`], figures, entities and people); [`render`] is the one place
//! that puts it into words.

pub mod action;
mod architecture;
mod context;
mod contracts;
pub mod facts;
mod handoffs;
mod load;
mod milestones;
mod quality;
pub mod render;
pub mod risks;
mod status;

use chrono::NaiveDate;
use linchpin_engine::forecast::Forecast;
use linchpin_engine::schedule::Schedule;
use linchpin_model::{
    AcceptedFinding, ChangeError, DecisionId, FindingKind, FindingSubject, GroupId, InterfaceId, ItemId, MilestoneId,
    Program, QualityCheck, RiskId, SystemId, TeamId,
};

pub use crate::action::Action;
use crate::context::Context;
pub use crate::facts::{Contact, Facts, Figure, Part, Role};

/// How much a finding matters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Low,
    Medium,
    High,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
        }
    }
}

/// Something a finding involves.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Entity {
    Team(TeamId),
    Item(ItemId),
    Group(GroupId),
    Milestone(MilestoneId),
    System(SystemId),
    Interface(InterfaceId),
    Decision(DecisionId),
    Risk(RiskId),
}

impl Entity {
    /// The entity's kind, as the plan's sections name it in the singular.
    pub fn kind(self) -> &'static str {
        match self {
            Entity::Team(_) => "team",
            Entity::Item(_) => "item",
            Entity::Group(_) => "group",
            Entity::Milestone(_) => "milestone",
            Entity::System(_) => "system",
            Entity::Interface(_) => "interface",
            Entity::Decision(_) => "decision",
            Entity::Risk(_) => "risk",
        }
    }

    /// The id the plan gives it.
    pub fn key(self, program: &Program) -> &str {
        match self {
            Entity::Team(id) => &program.team(id).key,
            Entity::Item(id) => &program.item(id).key,
            Entity::Group(id) => &program.group(id).key,
            Entity::Milestone(id) => &program.milestone(id).key,
            Entity::System(id) => &program.system(id).key,
            Entity::Interface(id) => &program.interface(id).key,
            Entity::Decision(id) => &program.decision(id).key,
            Entity::Risk(id) => &program.risk(id).key,
        }
    }
}

/// One thing a TPM should know about the program.
#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    pub severity: Severity,
    /// What was found; its kind and subject too.
    pub facts: Facts,
    pub action: Action,
    /// The entities involved, most important first.
    pub involved: Vec<Entity>,
    /// Who to pull into the room.
    pub people: Vec<Contact>,
    /// The numbers behind the finding, by name, for machines.
    pub figures: Vec<(Figure, f64)>,
}

impl Finding {
    pub fn kind(&self) -> FindingKind {
        self.facts.kind()
    }

    /// What it is about.
    pub fn subject(&self) -> FindingSubject {
        self.facts.subject()
    }

    /// The stable id a plan uses to accept it (see [`FindingKind::id`]).
    pub fn id(&self, program: &Program) -> String {
        self.kind().id_in(self.subject(), program)
    }

    pub fn figure(&self, name: Figure) -> Option<f64> {
        self.figures.iter().find(|(n, _)| *n == name).map(|(_, v)| *v)
    }
}

/// A finding the plan has accepted, with the acceptance.
#[derive(Clone, Debug, PartialEq)]
pub struct Accepted {
    pub finding: Finding,
    pub acceptance: AcceptedFinding,
}

/// The outcome of one schedule-quality check.
#[derive(Clone, Debug, PartialEq)]
pub struct QualityResult {
    pub check: QualityCheck,
    /// `None` when the check does not apply (no baseline, say).
    pub value: Option<f64>,
    pub threshold: f64,
    /// Whether the value passes at or below the threshold (`true`) or at or above it.
    pub at_most: bool,
    /// Whether values are shares (shown as percentages).
    pub share: bool,
    /// `None` when the check does not apply.
    pub passed: Option<bool>,
    /// The items that fail it.
    pub items: Vec<ItemId>,
    /// Why it does not apply, or a remark on the value.
    pub note: Option<QualityNote>,
}

/// Why a schedule-quality check does not apply, or a remark on its value.
#[derive(Clone, Debug, PartialEq)]
pub enum QualityNote {
    /// No open work or links.
    NothingToMeasure,
    NoBaseline,
    /// No baselined item was due to start by the status date.
    NothingDueToStart,
    /// No baselined item was due to finish by the status date.
    NothingDueToFinish,
    /// The engine's message: its errors are neither `Clone` nor `PartialEq`.
    CouldNotSchedule(String),
    NoOpenCriticalWork,
    CouldNotSlip {
        item: ItemId,
        error: ChangeError,
    },
    CouldNotReschedule(String),
    /// The critical-path test slipped this item by this many working days.
    Slipped {
        item: ItemId,
        days: f64,
    },
    /// The critical-path length index compares the end with the last target.
    EndAgainstTarget {
        end: NaiveDate,
        target: NaiveDate,
    },
    NoWorkLeft,
    /// No milestone with open work has a target.
    NoTarget,
}

/// When an open decision must be made for the work waiting on it to start
/// on time.
#[derive(Clone, Debug, PartialEq)]
pub struct DecisionDeadline {
    pub decision: DecisionId,
    /// The last working day to decide on: the one before the latest start
    /// of the first item waiting. `None` when no work still waits on it.
    pub needed_by: Option<NaiveDate>,
    /// The waiting item that must start first, and the latest day it can.
    pub first_waiting: Option<ItemId>,
    pub latest_start: Option<NaiveDate>,
    /// Working days from the status date to that latest start (negative: overdue).
    pub working_days_left: Option<f64>,
    /// The items not yet started that wait on it.
    pub waiting: Vec<ItemId>,
}

/// Everything [`analyse`] found.
#[derive(Clone, Debug)]
pub struct Report {
    pub as_of: NaiveDate,
    /// Findings to act on, most severe first.
    pub open: Vec<Finding>,
    /// Findings the plan accepts (while their acceptance lasts).
    pub accepted: Vec<Accepted>,
    /// Acceptances whose finding is no longer raised: safe to delete.
    pub unmatched: Vec<AcceptedFinding>,
    /// Acceptances past their `until` date; their findings are open again.
    pub lapsed: Vec<AcceptedFinding>,
    /// Every schedule-quality check, passed or not.
    pub quality: Vec<QualityResult>,
    /// Every open decision's needed-by date, soonest first.
    pub decisions: Vec<DecisionDeadline>,
}

/// The open findings that touch a group's work.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupFindings {
    pub group: GroupId,
    /// Indices into [`Report::open`], most severe first.
    pub open: Vec<usize>,
}

impl Report {
    /// Each group, in plan order, with the open findings that touch it: a
    /// finding about it or a group inside it, or naming any of its items.
    /// The roll-up a workstream lead reads to see what is theirs.
    pub fn by_group(&self, program: &Program) -> Vec<GroupFindings> {
        let groups = program.groups();
        let mut item_groups: Vec<Vec<GroupId>> = vec![Vec::new(); program.items().len()];
        for (g, group) in groups.iter().enumerate() {
            for item in &group.members {
                item_groups[item.index()].push(GroupId::new(g));
            }
        }
        // A group stands for itself and every group it sits in.
        let with_parents = |group: GroupId, touched: &mut Vec<bool>| {
            let mut next = Some(group);
            // Parents form no cycle (the resolver refuses one); the bound is a guard.
            for _ in 0..=groups.len() {
                let Some(g) = next else { break };
                touched[g.index()] = true;
                next = groups[g.index()].parent;
            }
        };
        let mut out: Vec<GroupFindings> =
            (0..groups.len()).map(|g| GroupFindings { group: GroupId::new(g), open: Vec::new() }).collect();
        let mut touched = vec![false; groups.len()];
        for (index, finding) in self.open.iter().enumerate() {
            touched.fill(false);
            let subject = match finding.subject() {
                FindingSubject::Item(item) => Some(Entity::Item(item)),
                FindingSubject::Group(group) => Some(Entity::Group(group)),
                _ => None,
            };
            for entity in subject.iter().chain(&finding.involved) {
                match *entity {
                    Entity::Item(item) => {
                        for g in &item_groups[item.index()] {
                            touched[g.index()] = true;
                        }
                    }
                    Entity::Group(group) => with_parents(group, &mut touched),
                    _ => {}
                }
            }
            for (g, hit) in touched.iter().enumerate() {
                if *hit {
                    out[g].open.push(index);
                }
            }
        }
        out
    }
}

/// What the findings are computed from.
#[derive(Clone, Copy, Debug)]
pub struct Inputs<'a> {
    pub program: &'a Program,
    /// The schedule the program works to (capacity-aware, as a rule).
    pub roadmap: &'a Schedule,
    /// The same program scheduled by logic alone (no capacity): where work
    /// would sit if every team had the people, so demand can exceed capacity.
    pub logic: &'a Schedule,
    /// A Monte Carlo forecast, for milestones at risk; without it the
    /// roadmap's own dates are compared with the targets.
    pub forecast: Option<&'a Forecast>,
}

/// Runs every analysis and sorts the findings into open and accepted.
pub fn analyse(inputs: Inputs) -> Report {
    let cx = Context::new(inputs);
    let mut found = Vec::new();
    architecture::shared_dependencies(&cx, &mut found);
    architecture::single_points_of_failure(&cx, &mut found);
    contracts::built_before_contract(&cx, &mut found);
    handoffs::fragile_dependencies(&cx, &mut found);
    load::over_committed_teams(&cx, &mut found);
    let mut decisions = status::decision_deadlines(&cx);
    status::decisions_needed(&cx, &decisions, &mut found);
    status::blockers(&cx, &mut found);
    status::stale_status(&cx, &mut found);
    milestones::milestones_at_risk(&cx, &mut found);
    milestones::deadlines_at_risk(&cx, &mut found);
    let quality = quality::assess(&cx);
    quality::findings(&cx, &quality, &mut found);
    let program = inputs.program;
    // Two subjects can share a key (a team and a system both called
    // `ledger`); their ids tell them apart.
    found.sort_by_cached_key(|f| {
        (std::cmp::Reverse(f.severity), f.kind(), f.subject().key(program).to_owned(), f.id(program))
    });

    let mut open = Vec::new();
    let mut accepted = Vec::new();
    let mut lapsed = Vec::new();
    let mut matched = vec![false; program.accepted_findings().len()];
    for finding in found {
        let acceptance =
            program.accepted_findings().iter().position(|a| a.kind == finding.kind() && a.subject == finding.subject());
        match acceptance {
            Some(i) => {
                matched[i] = true;
                let acceptance = program.accepted_findings()[i].clone();
                if acceptance.until.is_some_and(|until| until < cx.as_of) {
                    lapsed.push(acceptance);
                    open.push(finding);
                } else {
                    accepted.push(Accepted { finding, acceptance });
                }
            }
            None => open.push(finding),
        }
    }
    let unmatched =
        program.accepted_findings().iter().zip(&matched).filter(|(_, m)| !**m).map(|(a, _)| a.clone()).collect();
    decisions.sort_by(|a, b| {
        let left = |d: &DecisionDeadline| d.working_days_left.unwrap_or(f64::INFINITY);
        left(a).total_cmp(&left(b)).then(a.decision.cmp(&b.decision))
    });
    Report { as_of: cx.as_of, open, accepted, unmatched, lapsed, quality, decisions }
}
