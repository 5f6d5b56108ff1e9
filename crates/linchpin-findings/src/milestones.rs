//! Milestones unlikely to make their target date.

use linchpin_engine::forecast::DriverKind;
use linchpin_model::MilestoneId;

use crate::action::Action;
use crate::context::{Context, EPSILON, dedup};
use crate::facts::{Contact, Facts, Figure, ForecastLate, Part, PlannedLate};
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
