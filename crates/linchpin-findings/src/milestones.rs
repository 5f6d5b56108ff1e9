//! Milestones unlikely to make their target date, and work unlikely to
//! make its deadline.

use linchpin_engine::forecast::{DriverKind, TargetForecast};
use linchpin_engine::schedule::Work;
use linchpin_model::MilestoneId;

use crate::action::Action;
use crate::context::{Context, EPSILON, dedup};
use crate::facts::{Contact, DeadlineForecast, DeadlineLate, Facts, Figure, ForecastLate, Part, PlannedLate};
use crate::{Entity, Finding, Severity};

/// Drivers weaker than this correlation are not worth naming.
const DRIVER_FLOOR: f64 = 0.1;

pub fn milestones_at_risk(cx: &Context, out: &mut Vec<Finding>) {
    let program = cx.program;
    for (m, milestone) in program.milestones().iter().enumerate() {
        let Some(target) = milestone.target else { continue };
        if milestone.requires.iter().all(|i| !cx.open(*i)) {
            continue;
        }
        let id = MilestoneId::new(m);
        let target_time = cx.time_at_end_of(target);
        let mut involved = vec![Entity::Milestone(id)];
        let mut people: Vec<Contact> = Vec::new();
        let finding = match cx.forecast.and_then(|f| f.milestones().get(m).map(|t| (f.iterations, t))) {
            Some((iterations, forecast)) => {
                if forecast.p80_date <= target {
                    continue;
                }
                // In whole working days between the dates people read.
                let gap = (cx.time_at_end_of(forecast.p80_date) - target_time).max(0.0);
                let drivers: Vec<linchpin_engine::forecast::Driver> =
                    forecast.drivers.iter().filter(|d| d.correlation >= DRIVER_FLOOR).take(3).copied().collect();
                for driver in &drivers {
                    match driver.kind {
                        DriverKind::Item(item) => {
                            involved.push(Entity::Item(item));
                            people.push(cx.item_owner(item, Some(Part::TopDriver)));
                        }
                        DriverKind::Risk(risk) => {
                            involved.push(Entity::Risk(risk));
                            if let Some(owner) = &program.risk(risk).owner {
                                people.push(Context::person(owner, Part::RiskOwner(risk)));
                            }
                        }
                    }
                }
                let probability = forecast.probability_on_target.unwrap_or(0.0);
                Finding {
                    severity: if forecast.p50_date > target { Severity::High } else { Severity::Medium },
                    action: Action::ShortenForecast {
                        milestone: id,
                        first: drivers.first().map(|d| d.kind),
                        days: gap,
                        p80: forecast.p80_date,
                    },
                    facts: Facts::ForecastLate(ForecastLate {
                        milestone: id,
                        target,
                        iterations,
                        p50: forecast.p50_date,
                        p80: forecast.p80_date,
                        p95: forecast.p95_date,
                        days_late_at_p80: gap,
                        probability_on_target: probability,
                        drivers,
                    }),
                    involved,
                    people: Vec::new(),
                    figures: vec![
                        (Figure::P50Days, forecast.p50),
                        (Figure::P80Days, forecast.p80),
                        (Figure::P95Days, forecast.p95),
                        (Figure::ProbabilityOnTarget, probability),
                        (Figure::DaysLateAtP80, gap),
                    ],
                }
            }
            None => {
                let planned = &cx.roadmap.milestones[m];
                if planned.finish <= target_time + EPSILON {
                    continue;
                }
                let gap = planned.finish - target_time;
                let last = milestone
                    .requires
                    .iter()
                    .copied()
                    .max_by(|a, b| cx.planned(*a).finish.total_cmp(&cx.planned(*b).finish));
                if let Some(item) = last {
                    involved.push(Entity::Item(item));
                    people.push(cx.item_owner(item, Some(Part::FinishesLast)));
                }
                Finding {
                    severity: Severity::High,
                    action: Action::ShortenPlan { milestone: id, days: gap },
                    facts: Facts::PlannedLate(PlannedLate {
                        milestone: id,
                        target,
                        planned: planned.date,
                        days_late: gap,
                        last,
                    }),
                    involved,
                    people: Vec::new(),
                    figures: vec![(Figure::DaysLate, gap)],
                }
            }
        };
        // The milestone's own stakeholders are the TPM's; the people who can
        // move it own its drivers and its last work.
        let mut finding = finding;
        finding.people = dedup(people);
        out.push(finding);
    }
}

/// Items and groups with open work whose deadline the forecast's P80 (or,
/// without a forecast, the schedule itself) finishes after. As for
/// milestones, the forecast decides when it ran: it is likely to miss when
/// its P50 is late (high), and at risk when only its P80 is (medium).
pub fn deadlines_at_risk(cx: &Context, out: &mut Vec<Finding>) {
    let program = cx.program;
    for planned in &cx.roadmap.deadlines {
        let (work, open): (Vec<_>, Option<Entity>) = match planned.work {
            Work::Item(item) => (vec![item], Some(Entity::Item(item))),
            Work::Group(group) => (program.group(group).members.clone(), Some(Entity::Group(group))),
        };
        let open_work: Vec<_> = work.into_iter().filter(|i| cx.open(*i)).collect();
        if open_work.is_empty() {
            continue;
        }
        let deadline = planned.deadline;
        let deadline_time = cx.time_at_end_of(deadline);
        let last = open_work.iter().copied().max_by(|a, b| cx.planned(*a).finish.total_cmp(&cx.planned(*b).finish));
        let target = cx.forecast.and_then(|f| forecast_of(f, planned.work).map(|t| (f.iterations, t)));
        let (severity, forecast) = match target {
            Some((iterations, t)) => {
                if t.p80_date <= deadline {
                    continue;
                }
                let severity = if t.p50_date > deadline { Severity::High } else { Severity::Medium };
                let forecast = DeadlineForecast {
                    iterations,
                    p50: t.p50_date,
                    p80: t.p80_date,
                    days_late_at_p80: (cx.time_at_end_of(t.p80_date) - deadline_time).max(0.0),
                    probability_on_target: t.probability_on_target.unwrap_or(0.0),
                };
                (severity, Some((forecast, t)))
            }
            None if planned.slack < -EPSILON => (Severity::High, None),
            None => continue,
        };
        let planned_days_late = -planned.slack;
        let mut people = Vec::new();
        if let Work::Group(group) = planned.work
            && let Some(owner) = &program.group(group).owner
        {
            people.push(Context::person(owner, Part::OwnsTheGroup));
        }
        if let Some(item) = last {
            people.push(cx.item_owner(item, Some(Part::FinishesLast)));
        }
        let mut involved: Vec<Entity> = open.into_iter().collect();
        if let (Work::Group(_), Some(item)) = (planned.work, last) {
            involved.push(Entity::Item(item));
        }
        let (days, figures) = match &forecast {
            Some((f, t)) => (
                f.days_late_at_p80,
                vec![
                    (Figure::P50Days, t.p50),
                    (Figure::P80Days, t.p80),
                    (Figure::ProbabilityOnTarget, f.probability_on_target),
                    (Figure::DaysLateAtP80, f.days_late_at_p80),
                ],
            ),
            None => (planned_days_late, vec![(Figure::DaysLate, planned_days_late)]),
        };
        let forecast = forecast.map(|(f, _)| f);
        out.push(Finding {
            severity,
            action: Action::MeetDeadline { work: planned.work, days, p80: forecast.as_ref().map(|f| f.p80) },
            facts: Facts::DeadlineLate(DeadlineLate {
                work: planned.work,
                deadline,
                planned: cx.roadmap.work_finish_date(work_start(cx, &open_work), planned.finish),
                planned_days_late,
                last,
                forecast,
            }),
            involved,
            people: dedup(people),
            figures,
        });
    }
}

/// The forecast of an item's or a group's deadline.
fn forecast_of(forecast: &linchpin_engine::forecast::Forecast, work: Work) -> Option<&TargetForecast> {
    match work {
        Work::Item(item) => forecast.deadlines().iter().find(|t| t.item == Some(item)),
        Work::Group(group) => forecast.groups().iter().find(|t| t.group == Some(group)),
    }
}

/// When the first of the work starts.
fn work_start(cx: &Context, work: &[linchpin_model::ItemId]) -> f64 {
    work.iter().map(|i| cx.planned(*i).start).fold(f64::INFINITY, f64::min)
}
