//! Schedule quality, adapted from the DCMA 14-point assessment: is the
//! schedule a network that can be trusted to move when reality does?

use std::collections::BTreeSet;

use linchpin_engine::schedule::{ScheduleOptions, schedule};
use linchpin_model::{Change, ItemId, ItemStatus, LinkKind, QualityCheck, TeamId};

use crate::action::Action;
use crate::context::{Context, EPSILON, dedup};
use crate::facts::{Facts, Figure, Part};
use crate::{Entity, Finding, QualityNote, QualityResult, Severity};

/// The DCMA limit for shares of items: 5 %.
const SHARE_LIMIT: f64 = 0.05;
/// How far the critical-path test slips a critical item.
const TEST_SLIP_DAYS: f64 = 20.0;

fn result(
    check: QualityCheck,
    value: Option<f64>,
    threshold: f64,
    at_most: bool,
    share: bool,
    items: Vec<ItemId>,
) -> QualityResult {
    let passed = value.map(|v| if at_most { v <= threshold + 1e-9 } else { v >= threshold - 1e-9 });
    let note = value.is_none().then_some(QualityNote::NothingToMeasure);
    QualityResult { check, value, threshold, at_most, share, passed, items, note }
}

fn share(part: usize, whole: usize) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

pub fn assess(cx: &Context) -> Vec<QualityResult> {
    let program = cx.program;
    let t = &cx.thresholds;
    let all: Vec<ItemId> = (0..program.items().len()).map(ItemId::new).collect();
    let open: Vec<ItemId> = all.iter().copied().filter(|i| cx.open(*i)).collect();
    let where_open = |f: &dyn Fn(ItemId) -> bool| -> Vec<ItemId> { open.iter().copied().filter(|i| f(*i)).collect() };
    // Links into open work, as (predecessor, successor, kind, lag).
    let links: Vec<(ItemId, ItemId, LinkKind, f64)> =
        open.iter().flat_map(|&i| program.item(i).depends.iter().map(move |d| (d.on, i, d.kind, d.lag))).collect();
    let links_where = |f: &dyn Fn(LinkKind, f64) -> bool| -> Vec<ItemId> {
        let set: BTreeSet<ItemId> = links.iter().filter(|l| f(l.2, l.3)).map(|l| l.1).collect();
        set.into_iter().collect()
    };
    let mut out = Vec::new();

    let dangling = where_open(&|i| cx.successors[i.index()].is_empty() && !cx.required[i.index()]);
    out.push(result(QualityCheck::MissingLogic, share(dangling.len(), open.len()), SHARE_LIMIT, true, true, dangling));

    let leads = links.iter().filter(|l| l.3 < -EPSILON).count();
    out.push(result(QualityCheck::Leads, Some(leads as f64), 0.0, true, false, links_where(&|_, lag| lag < -EPSILON)));

    let lags = links.iter().filter(|l| l.3 > EPSILON).count();
    out.push(result(
        QualityCheck::Lags,
        share(lags, links.len()),
        SHARE_LIMIT,
        true,
        true,
        links_where(&|_, lag| lag > EPSILON),
    ));

    let fs = links.iter().filter(|l| l.2 == LinkKind::FinishToStart).count();
    out.push(result(
        QualityCheck::RelationshipTypes,
        share(fs, links.len()),
        0.9,
        false,
        true,
        links_where(&|kind, _| kind != LinkKind::FinishToStart),
    ));

    // DCMA's hard constraints are the dates that override the logic: a
    // `start_on` (must start on). A `not_before` (start no earlier than) is
    // soft, and a deadline, like MS Project's, only measures against a date.
    let constrained = where_open(&|i| program.item(i).start_on.is_some());
    out.push(result(
        QualityCheck::HardConstraints,
        share(constrained.len(), open.len()),
        SHARE_LIMIT,
        true,
        true,
        constrained,
    ));

    let high = where_open(&|i| cx.slack(i) > t.high_slack_days + EPSILON);
    out.push(result(QualityCheck::HighSlack, share(high.len(), open.len()), SHARE_LIMIT, true, true, high));

    let long = where_open(&|i| program.item(i).likely_days() > t.long_duration_days + EPSILON);
    out.push(result(QualityCheck::LongDurations, share(long.len(), open.len()), SHARE_LIMIT, true, true, long));

    let invalid: Vec<ItemId> = all
        .iter()
        .copied()
        .filter(|&i| {
            let item = program.item(i);
            let future_actual = [item.actual_start, item.actual_finish]
                .into_iter()
                .flatten()
                .any(|d| program.status_date().is_none_or(|sd| d > sd));
            let planned_in_past = item.status == ItemStatus::NotStarted
                && item.actual_start.is_none()
                && cx.planned(i).start < cx.now - EPSILON;
            future_actual || planned_in_past
        })
        .collect();
    out.push(result(QualityCheck::InvalidDates, Some(invalid.len() as f64), 0.0, true, false, invalid));

    out.push(missed_tasks(cx, &all));
    out.push(critical_path_test(cx));
    out.push(critical_path_length_index(cx));
    out.push(baseline_execution_index(cx, &all));
    out
}

fn missed_tasks(cx: &Context, all: &[ItemId]) -> QualityResult {
    let program = cx.program;
    let as_of = cx.as_of;
    let due: Vec<ItemId> =
        all.iter().copied().filter(|i| program.item(*i).baseline.is_some_and(|b| b.start <= as_of)).collect();
    let missed: Vec<ItemId> = due
        .iter()
        .copied()
        .filter(|&i| {
            let item = program.item(i);
            let Some(b) = item.baseline else { return false };
            let missed_start = item.actual_start.is_none() && item.status != ItemStatus::Done;
            let missed_finish = b.finish <= as_of
                && (item.status != ItemStatus::Done || item.actual_finish.is_some_and(|f| f > b.finish));
            missed_start || missed_finish
        })
        .collect();
    let mut r = result(QualityCheck::MissedTasks, share(missed.len(), due.len()), SHARE_LIMIT, true, true, missed);
    r.note = baseline_note(program, due.is_empty(), QualityNote::NothingDueToStart);
    r
}

/// Why a baseline check does not apply, if it does not.
fn baseline_note(
    program: &linchpin_model::Program,
    nothing_due: bool,
    nothing_due_note: QualityNote,
) -> Option<QualityNote> {
    if program.baseline_date().is_none() {
        Some(QualityNote::NoBaseline)
    } else if nothing_due {
        Some(nothing_due_note)
    } else {
        None
    }
}

fn critical_path_test(cx: &Context) -> QualityResult {
    let mut r = result(QualityCheck::CriticalPathTest, None, TEST_SLIP_DAYS, false, false, Vec::new());
    // The test is of the network's logic; team holidays would make a slip
    // land on different days off and blur the arithmetic, so they go.
    let holidays = cx.program.teams().iter().any(|t| !t.holidays.is_empty());
    let plain_program;
    let plain = if holidays {
        plain_program = cx.program.without_team_holidays();
        &plain_program
    } else {
        cx.program
    };
    let options = ScheduleOptions { capacity: false, ..ScheduleOptions::default() };
    let rescheduled;
    let before = if holidays {
        match schedule(plain, options) {
            Ok(before) => {
                rescheduled = before;
                &rescheduled
            }
            Err(error) => {
                r.note = Some(QualityNote::CouldNotSchedule(error.to_string()));
                return r;
            }
        }
    } else {
        cx.logic
    };
    let Some(item) = before.critical_path.iter().copied().find(|i| cx.open(*i)) else {
        r.note = Some(QualityNote::NoOpenCriticalWork);
        return r;
    };
    let slipped = match plain.changed(&[Change::Slip { item, days: TEST_SLIP_DAYS }]) {
        Ok(slipped) => slipped,
        Err(error) => {
            r.note = Some(QualityNote::CouldNotSlip { item, error });
            return r;
        }
    };
    match schedule(&slipped, options) {
        Ok(after) => {
            let moved = after.end - before.end;
            r = result(r.check, Some(moved), TEST_SLIP_DAYS, false, false, vec![item]);
            r.note = Some(QualityNote::Slipped { item, days: TEST_SLIP_DAYS });
        }
        Err(error) => r.note = Some(QualityNote::CouldNotReschedule(error.to_string())),
    }
    r
}

fn critical_path_length_index(cx: &Context) -> QualityResult {
    let program = cx.program;
    let target =
        program.milestones().iter().filter(|m| m.requires.iter().any(|i| cx.open(*i))).filter_map(|m| m.target).max();
    let remaining = cx.roadmap.end - cx.now;
    let mut r = result(QualityCheck::CriticalPathLengthIndex, None, 0.95, false, false, Vec::new());
    match target {
        Some(target) if remaining > EPSILON => {
            let to_target = cx.time_at_end_of(target) - cx.now;
            r = result(r.check, Some(to_target / remaining), 0.95, false, false, Vec::new());
            r.note = Some(QualityNote::EndAgainstTarget { end: cx.roadmap.end_date, target });
        }
        Some(_) => r.note = Some(QualityNote::NoWorkLeft),
        None => r.note = Some(QualityNote::NoTarget),
    }
    r
}

fn baseline_execution_index(cx: &Context, all: &[ItemId]) -> QualityResult {
    let program = cx.program;
    let due: Vec<ItemId> =
        all.iter().copied().filter(|i| program.item(*i).baseline.is_some_and(|b| b.finish <= cx.as_of)).collect();
    let done = all
        .iter()
        .filter(|i| program.item(**i).baseline.is_some() && program.item(**i).status == ItemStatus::Done)
        .count();
    let late: Vec<ItemId> = due.iter().copied().filter(|i| program.item(*i).status != ItemStatus::Done).collect();
    let mut r = result(
        QualityCheck::BaselineExecutionIndex,
        (!due.is_empty()).then(|| done as f64 / due.len() as f64),
        0.95,
        false,
        false,
        late,
    );
    r.note = baseline_note(program, due.is_empty(), QualityNote::NothingDueToFinish);
    r
}

/// A finding for every check that fails.
pub fn findings(cx: &Context, results: &[QualityResult], out: &mut Vec<Finding>) {
    for r in results {
        let (Some(false), Some(value)) = (r.passed, r.value) else { continue };
        let severity = match r.check {
            QualityCheck::CriticalPathTest => Severity::High,
            QualityCheck::CriticalPathLengthIndex
            | QualityCheck::BaselineExecutionIndex
            | QualityCheck::MissedTasks
            | QualityCheck::InvalidDates => Severity::Medium,
            _ => Severity::Low,
        };
        let teams: BTreeSet<TeamId> = r.items.iter().map(|i| cx.program.item(*i).team).collect();
        let mut involved: Vec<Entity> = r.items.iter().map(|i| Entity::Item(*i)).collect();
        involved.extend(teams.iter().map(|t| Entity::Team(*t)));
        out.push(Finding {
            severity,
            facts: Facts::ScheduleQuality(r.clone()),
            action: Action::FixSchedule(r.check),
            involved,
            people: dedup(teams.iter().take(4).map(|t| cx.lead(*t, Some(Part::OwnsTheItems))).collect()),
            figures: vec![(Figure::Value, value), (Figure::Threshold, r.threshold)],
        });
    }
}
