//! Milestones unlikely to make their target date.

use linchpin_engine::forecast::DriverKind;
use linchpin_model::{FindingKind, FindingSubject, MilestoneId};

use crate::context::{Context, EPSILON, capitalise, dedup, list, percent, working_days};
use crate::{Contact, Entity, Finding, Severity};

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
                let drivers: Vec<&linchpin_engine::forecast::Driver> =
                    forecast.drivers.iter().filter(|d| d.correlation >= DRIVER_FLOOR).take(3).collect();
                let mut named = Vec::new();
                for driver in &drivers {
                    match driver.kind {
                        DriverKind::Item(item) => {
                            let work = program.item(item);
                            named.push(format!(
                                "{} ({}, r = {:.2})",
                                work.key,
                                cx.team_key(work.team),
                                driver.correlation
                            ));
                            involved.push(Entity::Item(item));
                            people.push(cx.item_owner(item, "top driver"));
                        }
                        DriverKind::Risk(risk) => {
                            let r = program.risk(risk);
                            named.push(format!("risk {} \"{}\" (r = {:.2})", r.key, r.title, driver.correlation));
                            involved.push(Entity::Risk(risk));
                            if let Some(owner) = &r.owner {
                                people.push(Context::person(owner, format!("owner of risk {}", r.key)));
                            }
                        }
                    }
                }
                let probability = forecast.probability_on_target.unwrap_or(0.0);
                let drivers_text = if named.is_empty() {
                    "no single item or risk stands out; the spread comes from many".to_owned()
                } else {
                    format!("what moves it most: {}", list(&named, 3))
                };
                let explanation = format!(
                    "{} ({}) targets {target}. Over {iterations} simulated runs it lands by {} half the time (P50), by {} in 80 % (P80, {} after the target) and by {} in 95 %: a {} chance of making the target. {}.",
                    milestone.key,
                    milestone.title,
                    forecast.p50_date,
                    forecast.p80_date,
                    working_days(gap),
                    forecast.p95_date,
                    percent(probability),
                    capitalise(&drivers_text),
                );
                let first = drivers.first().map(|d| match d.kind {
                    DriverKind::Item(item) => format!("shorten or de-risk {} first", cx.item_key(item)),
                    DriverKind::Risk(risk) => format!("mitigate risk {} first", program.risk(risk).key),
                });
                let action = format!(
                    "{}; if that cannot buy {}, reset expectations now: at 80 % confidence {} lands on {}.",
                    capitalise(&first.unwrap_or_else(|| "Look for scope to cut on its critical path".to_owned())),
                    working_days(gap),
                    milestone.key,
                    forecast.p80_date,
                );
                Finding {
                    kind: FindingKind::MilestoneAtRisk,
                    subject: FindingSubject::Milestone(id),
                    severity: if forecast.p50_date > target { Severity::High } else { Severity::Medium },
                    headline: format!(
                        "{}: {} chance of {target}; P80 is {}",
                        milestone.key,
                        percent(probability),
                        forecast.p80_date
                    ),
                    explanation,
                    action,
                    involved,
                    people: Vec::new(),
                    figures: vec![
                        ("p50_days", forecast.p50),
                        ("p80_days", forecast.p80),
                        ("p95_days", forecast.p95),
                        ("probability_on_target", probability),
                        ("days_late_at_p80", gap),
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
                    people.push(cx.item_owner(item, "finishes last"));
                }
                let last_text =
                    last.map_or(String::new(), |i| format!(" The last of its work to finish is {}.", cx.item_key(i)));
                Finding {
                    kind: FindingKind::MilestoneAtRisk,
                    subject: FindingSubject::Milestone(id),
                    severity: Severity::High,
                    headline: format!("{} is planned for {}, after its target {target}", milestone.key, planned.date),
                    explanation: format!(
                        "{} ({}) targets {target}, but the schedule itself finishes it on {}, {} late, before any uncertainty.{last_text}",
                        milestone.key,
                        milestone.title,
                        planned.date,
                        working_days(gap),
                    ),
                    action: format!(
                        "Cut scope or add people on its critical path to win back {}, or move the target now.",
                        working_days(gap)
                    ),
                    involved,
                    people: Vec::new(),
                    figures: vec![("days_late", gap)],
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
