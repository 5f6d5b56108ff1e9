//! Schedule quality, adapted from the DCMA 14-point assessment: is the
//! schedule a network that can be trusted to move when reality does?

use std::collections::BTreeSet;

use linchpin_engine::schedule::{ScheduleOptions, schedule};
use linchpin_model::{Change, FindingKind, FindingSubject, ItemId, ItemStatus, LinkKind, QualityCheck, TeamId};

use crate::context::{Context, EPSILON, capitalise, dedup, list, working_days};
use crate::{Entity, Finding, QualityResult, Severity};

/// The DCMA limit for shares of items: 5 %.
const SHARE_LIMIT: f64 = 0.05;
/// How far the critical-path test slips a critical item.
const TEST_SLIP_DAYS: f64 = 20.0;

fn result(
    check: QualityCheck,
    measure: &'static str,
    value: Option<f64>,
    threshold: f64,
    at_most: bool,
    share: bool,
    items: Vec<ItemId>,
) -> QualityResult {
    let passed = value.map(|v| if at_most { v <= threshold + 1e-9 } else { v >= threshold - 1e-9 });
    let note = value.is_none().then(|| "nothing to measure: no open work or links".to_owned());
    QualityResult { check, measure, value, threshold, at_most, share, passed, items, note }
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
    out.push(result(
        QualityCheck::MissingLogic,
        "open items that nothing waits on and no milestone needs",
        share(dangling.len(), open.len()),
        SHARE_LIMIT,
        true,
        true,
        dangling,
    ));

    let leads = links.iter().filter(|l| l.3 < -EPSILON).count();
    out.push(result(
        QualityCheck::Leads,
        "links with a lead (negative lag)",
        Some(leads as f64),
        0.0,
        true,
        false,
        links_where(&|_, lag| lag < -EPSILON),
    ));

    let lags = links.iter().filter(|l| l.3 > EPSILON).count();
    out.push(result(
        QualityCheck::Lags,
        "links with a lag",
        share(lags, links.len()),
        SHARE_LIMIT,
        true,
        true,
        links_where(&|_, lag| lag > EPSILON),
    ));

    let fs = links.iter().filter(|l| l.2 == LinkKind::FinishToStart).count();
    out.push(result(
        QualityCheck::RelationshipTypes,
        "links that are finish-to-start",
        share(fs, links.len()),
        0.9,
        false,
        true,
        links_where(&|kind, _| kind != LinkKind::FinishToStart),
    ));

    let constrained = where_open(&|i| program.item(i).not_before.is_some());
    out.push(result(
        QualityCheck::HardConstraints,
        "open items with a fixed date (`not_before`)",
        share(constrained.len(), open.len()),
        SHARE_LIMIT,
        true,
        true,
        constrained,
    ));

    let high = where_open(&|i| cx.slack(i) > t.high_slack_days + EPSILON);
    out.push(result(
        QualityCheck::HighSlack,
        "open items with slack above the limit",
        share(high.len(), open.len()),
        SHARE_LIMIT,
        true,
        true,
        high,
    ));

    let long = where_open(&|i| program.item(i).likely_days() > t.long_duration_days + EPSILON);
    out.push(result(
        QualityCheck::LongDurations,
        "open items estimated above the limit",
        share(long.len(), open.len()),
        SHARE_LIMIT,
        true,
        true,
        long,
    ));

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
    out.push(result(
        QualityCheck::InvalidDates,
        "items with actuals after the status date, or planned to start before it",
        Some(invalid.len() as f64),
        0.0,
        true,
        false,
        invalid,
    ));

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
    let mut r = result(
        QualityCheck::MissedTasks,
        "baselined items that started or finished later than the baseline",
        share(missed.len(), due.len()),
        SHARE_LIMIT,
        true,
        true,
        missed,
    );
    r.note = baseline_note(program, due.is_empty(), "no baselined item was due to start by the status date");
    r
}

/// Why a baseline check does not apply, if it does not.
fn baseline_note(program: &linchpin_model::Program, nothing_due: bool, nothing_due_note: &str) -> Option<String> {
    if program.baseline_date().is_none() {
        Some("no baseline; `linchpin baseline` records one".to_owned())
    } else if nothing_due {
        Some(nothing_due_note.to_owned())
    } else {
        None
    }
}

fn critical_path_test(cx: &Context) -> QualityResult {
    let mut r = result(
        QualityCheck::CriticalPathTest,
        "working days the end moves when a critical item slips 20",
        None,
        TEST_SLIP_DAYS,
        false,
        false,
        Vec::new(),
    );
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
                r.note = Some(format!("could not schedule: {error}"));
                return r;
            }
        }
    } else {
        cx.logic
    };
    let Some(item) = before.critical_path.iter().copied().find(|i| cx.open(*i)) else {
        r.note = Some("no open work on the critical path".to_owned());
        return r;
    };
    let slipped = match plain.changed(&[Change::Slip { item, days: TEST_SLIP_DAYS }]) {
        Ok(slipped) => slipped,
        Err(error) => {
            r.note = Some(format!("could not slip {}: {error}", plain.item(item).key));
            return r;
        }
    };
    match schedule(&slipped, options) {
        Ok(after) => {
            let moved = after.end - before.end;
            r = result(r.check, r.measure, Some(moved), TEST_SLIP_DAYS, false, false, vec![item]);
            r.note = Some(format!("slipped {} by {}", plain.item(item).key, working_days(TEST_SLIP_DAYS)));
        }
        Err(error) => r.note = Some(format!("could not reschedule: {error}")),
    }
    r
}

fn critical_path_length_index(cx: &Context) -> QualityResult {
    let program = cx.program;
    let target =
        program.milestones().iter().filter(|m| m.requires.iter().any(|i| cx.open(*i))).filter_map(|m| m.target).max();
    let remaining = cx.roadmap.end - cx.now;
    let mut r = result(
        QualityCheck::CriticalPathLengthIndex,
        "(critical path left + slack to the last target) / critical path left",
        None,
        0.95,
        false,
        false,
        Vec::new(),
    );
    match target {
        Some(target) if remaining > EPSILON => {
            let to_target = cx.time_at_end_of(target) - cx.now;
            r = result(r.check, r.measure, Some(to_target / remaining), 0.95, false, false, Vec::new());
            r.note = Some(format!("the end, {}, against the last target, {target}", cx.roadmap.end_date));
        }
        Some(_) => r.note = Some("no work left".to_owned()),
        None => r.note = Some("no milestone with open work has a target".to_owned()),
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
        "items done / baselined items due by the status date",
        (!due.is_empty()).then(|| done as f64 / due.len() as f64),
        0.95,
        false,
        false,
        late,
    );
    r.note = baseline_note(program, due.is_empty(), "no baselined item was due by the status date");
    r
}

fn advice(check: QualityCheck, cx: &Context) -> String {
    match check {
        QualityCheck::MissingLogic => "Link each of these to the work it feeds or to a milestone that needs it; unlinked work never shows on a critical path.".to_owned(),
        QualityCheck::Leads => "Replace leads with a start-to-start link or split the predecessor; a lead hides overlap nobody planned.".to_owned(),
        QualityCheck::Lags => "Replace lags with items of their own (a review, a soak period) so the wait has an owner.".to_owned(),
        QualityCheck::RelationshipTypes => "Prefer finish-to-start links; keep start-to-start and finish-to-finish for work that truly overlaps.".to_owned(),
        QualityCheck::HardConstraints => "Drop `not_before` dates that are not real external constraints, and link the work to what it actually waits on.".to_owned(),
        QualityCheck::HighSlack => "Check what these items feed: large slack usually means a missing dependency or a milestone that does not need them.".to_owned(),
        QualityCheck::LongDurations => format!(
            "Split these into pieces of at most {} so progress can be seen.",
            working_days(cx.thresholds.long_duration_days)
        ),
        QualityCheck::InvalidDates => "Fix the dates: actuals cannot be after the status date, and work not started cannot be planned before it.".to_owned(),
        QualityCheck::MissedTasks => "Replan these items with their teams and record why they slipped; re-baseline only when the change is agreed.".to_owned(),
        QualityCheck::CriticalPathTest => "The end did not move with a critical item: look for `not_before` dates or links that cut the chain, and fix them.".to_owned(),
        QualityCheck::CriticalPathLengthIndex => "The critical path left is longer than the time to the target: win back days on it, or move the target.".to_owned(),
        QualityCheck::BaselineExecutionIndex => "Work is finishing behind the baseline: find out which teams fall behind and why, before the next milestone.".to_owned(),
    }
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
        let keys: Vec<&str> = r.items.iter().map(|i| cx.item_key(*i)).collect();
        let limit = format!("{} {}", if r.at_most { "at most" } else { "at least" }, r.display(r.threshold));
        let items_text = if keys.is_empty() { String::new() } else { format!(": {}", list(&keys, 8)) };
        let note = r.note.as_deref().map_or(String::new(), |n| format!(" ({n})"));
        let teams: BTreeSet<TeamId> = r.items.iter().map(|i| cx.program.item(*i).team).collect();
        let mut involved: Vec<Entity> = r.items.iter().map(|i| Entity::Item(*i)).collect();
        involved.extend(teams.iter().map(|t| Entity::Team(*t)));
        out.push(Finding {
            kind: FindingKind::ScheduleQuality,
            subject: FindingSubject::Check(r.check),
            severity,
            headline: format!("{}: {} (limit {limit})", r.check.as_str().replace('_', " "), r.display(value)),
            explanation: format!(
                "{}: {}{note}, where the limit is {limit}{items_text}.",
                capitalise(r.measure),
                r.display(value),
            ),
            action: advice(r.check, cx),
            involved,
            people: dedup(teams.iter().take(4).map(|t| cx.lead(*t, "owns the items")).collect()),
            figures: vec![("value", value), ("threshold", r.threshold)],
        });
    }
}
