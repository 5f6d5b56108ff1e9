//! A schedule as `linchpin schedule --format json` prints it, and the
//! milestone dates a what-if moves.

use linchpin_engine::schedule::{Conflict, GroupSchedule, Schedule, Work};
use linchpin_model::Program;
use serde::Serialize;

use super::round2;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ItemView {
    pub id: String,
    pub title: String,
    pub team: String,
    pub status: &'static str,
    pub start: String,
    pub finish: String,
    pub total_slack: f64,
    /// Present (true) when `total_slack` is an estimate: a plan too large
    /// to slip every item measures the most critical first.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub slack_estimated: bool,
    /// Working days it can slip before each milestone it feeds moves.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub milestone_slack: Vec<MilestoneSlackView>,
    pub free_slack: f64,
    pub critical: bool,
    pub capacity_wait: f64,
    pub held_by: Option<String>,
    /// The date it must start on, if the plan pins it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_on: Option<String>,
    /// The date it must finish by, and the working days to spare
    /// (negative: missed by that many).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deadline: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub slack_to_deadline: Option<f64>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LowerBoundView {
    pub date: String,
    pub days: f64,
    /// `critical_path`, or the id of the team whose work sets it.
    pub set_by: String,
}

impl LowerBoundView {
    pub fn new(program: &Program, schedule: &Schedule) -> Option<Self> {
        let bound = schedule.lower_bound?;
        Some(LowerBoundView {
            date: schedule.days.finish_date(bound.days.max(1.0)).to_string(),
            days: round2(bound.days),
            set_by: bound.team.map_or_else(|| "critical_path".to_owned(), |t| program.team(t).key.clone()),
        })
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MilestoneSlackView {
    pub milestone: String,
    pub slack: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MilestoneView {
    pub id: String,
    pub title: String,
    pub date: String,
    pub target: Option<String>,
    pub slack_to_target: Option<f64>,
    pub late: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TeamWeekView {
    pub team: String,
    pub week: String,
    pub demand: f64,
    pub capacity: f64,
    pub load_pct: f64,
}

/// A group's dates, slack and progress, rolled up from its items.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GroupView {
    pub id: String,
    pub title: String,
    pub kind: &'static str,
    pub parent: Option<String>,
    /// Its items, those of the groups inside it included.
    pub items: usize,
    /// When its first item starts and its last finishes (`null` with no work).
    pub start: Option<String>,
    pub finish: Option<String>,
    /// The least slack of its unfinished items (`null` when all are done).
    pub total_slack: Option<f64>,
    pub critical: bool,
    /// The share of its estimated work done.
    pub progress_pct: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deadline: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub slack_to_deadline: Option<f64>,
}

/// A start date kept against the plan's logic.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ConflictView {
    pub item: String,
    /// `starts_before_predecessor` or `start_on_passed`.
    pub kind: &'static str,
    pub start_on: String,
    /// The predecessor that would make it later, and when it allows it to start.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub predecessor: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allows: Option<String>,
}

impl ConflictView {
    pub fn new(program: &Program, conflict: &Conflict) -> Self {
        match conflict {
            Conflict::StartsBeforePredecessor { item, start_on, predecessor, allows } => ConflictView {
                item: program.item(*item).key.clone(),
                kind: "starts_before_predecessor",
                start_on: start_on.to_string(),
                predecessor: Some(program.item(*predecessor).key.clone()),
                allows: Some(allows.to_string()),
            },
            Conflict::StartOnPassed { item, start_on } => ConflictView {
                item: program.item(*item).key.clone(),
                kind: "start_on_passed",
                start_on: start_on.to_string(),
                predecessor: None,
                allows: None,
            },
        }
    }
}

/// One milestone's date before and after a change.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ChangeView {
    /// A milestone's id, or `end` for the program's end.
    pub milestone: String,
    pub before: String,
    pub after: String,
    /// Working days later (positive) or earlier (negative).
    pub change_days: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ScheduleView {
    pub program: String,
    pub start: String,
    pub end: String,
    pub end_days: f64,
    pub capacity_aware: bool,
    pub schedules_generated: usize,
    /// With capacity, the end no arrangement of the work can beat.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lower_bound: Option<LowerBoundView>,
    pub items: Vec<ItemView>,
    pub milestones: Vec<MilestoneView>,
    pub critical_path: Vec<String>,
    pub utilisation: Vec<TeamWeekView>,
    /// Every group of work; only when the plan has any.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<GroupView>,
    /// Start dates kept against the plan's logic.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub conflicts: Vec<ConflictView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub what_if: Option<Vec<ChangeView>>,
}

impl GroupView {
    /// A group as `schedule` rolls it up; `slack_to_deadline` from the
    /// schedule's deadlines.
    pub fn new(program: &Program, schedule: &Schedule, g: &GroupSchedule, slack_to_deadline: Option<f64>) -> Self {
        let group = program.group(g.group);
        let worked = !group.members.is_empty();
        GroupView {
            id: group.key.clone(),
            title: group.title.clone(),
            kind: group.kind.as_str(),
            parent: group.parent.map(|p| program.group(p).key.clone()),
            items: group.members.len(),
            start: worked.then(|| schedule.days.start_date(g.start).to_string()),
            finish: worked.then(|| schedule.work_finish_date(g.start, g.finish).to_string()),
            total_slack: g.total_slack.map(round2),
            critical: g.critical,
            progress_pct: round2(100.0 * g.progress),
            deadline: group.deadline.map(|d| d.to_string()),
            slack_to_deadline,
        }
    }

    /// Every group of `schedule`, in plan order.
    pub fn all(program: &Program, schedule: &Schedule) -> Vec<GroupView> {
        let mut slack = vec![None; program.groups().len()];
        for d in &schedule.deadlines {
            if let Work::Group(group) = d.work {
                slack[group.index()] = Some(round2(d.slack));
            }
        }
        schedule.groups.iter().map(|g| GroupView::new(program, schedule, g, slack[g.group.index()])).collect()
    }
}

impl ScheduleView {
    pub fn new(program: &Program, schedule: &Schedule) -> Self {
        let mut deadline_slack = vec![None; program.items().len()];
        for d in &schedule.deadlines {
            if let Work::Item(item) = d.work {
                deadline_slack[item.index()] = Some(round2(d.slack));
            }
        }
        ScheduleView {
            program: program.name().to_owned(),
            start: schedule.start_date.to_string(),
            end: schedule.end_date.to_string(),
            end_days: round2(schedule.end),
            capacity_aware: schedule.capacity_aware,
            schedules_generated: schedule.schedules_generated,
            lower_bound: LowerBoundView::new(program, schedule),
            items: schedule
                .items
                .iter()
                .map(|s| {
                    let item = program.item(s.item);
                    ItemView {
                        id: item.key.clone(),
                        title: item.title.clone(),
                        team: program.team(item.team).key.clone(),
                        status: item.status.as_str(),
                        start: schedule.start_date(s.item).to_string(),
                        finish: schedule.finish_date(s.item).to_string(),
                        total_slack: round2(s.total_slack),
                        slack_estimated: s.slack_estimated,
                        milestone_slack: s
                            .milestone_slack
                            .iter()
                            .map(|&(m, slack)| MilestoneSlackView {
                                milestone: program.milestone(m).key.clone(),
                                slack: round2(slack),
                            })
                            .collect(),
                        free_slack: round2(s.free_slack),
                        critical: s.critical,
                        capacity_wait: round2(s.capacity_wait),
                        held_by: s.held_by.map(|t| program.team(t).key.clone()),
                        start_on: item.start_on.map(|d| d.to_string()),
                        deadline: item.deadline.map(|d| d.to_string()),
                        slack_to_deadline: deadline_slack[s.item.index()],
                    }
                })
                .collect(),
            milestones: schedule
                .milestones
                .iter()
                .map(|m| {
                    let milestone = program.milestone(m.milestone);
                    MilestoneView {
                        id: milestone.key.clone(),
                        title: milestone.title.clone(),
                        date: m.date.to_string(),
                        target: m.target.map(|t| t.to_string()),
                        slack_to_target: m.slack_to_target.map(round2),
                        late: m.slack_to_target.is_some_and(|s| s < 0.0),
                    }
                })
                .collect(),
            critical_path: schedule.critical_path.iter().map(|i| program.item(*i).key.clone()).collect(),
            utilisation: schedule
                .utilisation
                .iter()
                .map(|w| TeamWeekView {
                    team: program.team(w.team).key.clone(),
                    week: w.week.to_string(),
                    demand: round2(w.demand),
                    capacity: round2(w.capacity),
                    load_pct: if w.load().is_finite() { round2(100.0 * w.load()) } else { -1.0 },
                })
                .collect(),
            groups: GroupView::all(program, schedule),
            conflicts: schedule.conflicts.iter().map(|c| ConflictView::new(program, c)).collect(),
            what_if: None,
        }
    }
}

/// Each milestone's date (and the program's end) before and after a change.
pub fn comparison(program: &Program, before: &Schedule, after: &Schedule) -> Vec<ChangeView> {
    let mut rows: Vec<ChangeView> = before
        .milestones
        .iter()
        .zip(&after.milestones)
        .map(|(b, a)| ChangeView {
            milestone: program.milestone(b.milestone).key.clone(),
            before: b.date.to_string(),
            after: a.date.to_string(),
            change_days: round2(a.finish - b.finish),
        })
        .collect();
    rows.push(ChangeView {
        milestone: "end".into(),
        before: before.end_date.to_string(),
        after: after.end_date.to_string(),
        change_days: round2(after.end - before.end),
    });
    rows
}
