//! Teams asked for more people than they have.

use linchpin_engine::schedule::TeamWeek;
use linchpin_model::{FindingKind, FindingSubject, ItemId, TeamId};

use crate::context::{Context, EPSILON, days, list, percent, working_days};
use crate::{Entity, Finding, Severity};

/// Consecutive over-committed weeks of one team.
struct Window {
    first: chrono::NaiveDate,
    last: chrono::NaiveDate,
    demand: f64,
    capacity: f64,
}

pub fn over_committed_teams(cx: &Context, out: &mut Vec<Finding>) {
    let ratio = cx.thresholds.overload_ratio;
    let weeks = &cx.logic.utilisation;
    for (t, team) in cx.program.teams().iter().enumerate() {
        let id = TeamId::new(t);
        let mine: Vec<&TeamWeek> = weeks.iter().filter(|w| w.team == id).collect();
        let over = |w: &TeamWeek| w.demand > w.capacity * ratio + EPSILON;
        let mut windows: Vec<Window> = Vec::new();
        let mut peak: Option<&TeamWeek> = None;
        for week in mine.iter().copied().filter(|w| over(w)) {
            if peak.is_none_or(|p| week.load() > p.load()) {
                peak = Some(week);
            }
            match windows.last_mut() {
                Some(window) if (week.week - window.last).num_days() == 7 => {
                    window.last = week.week;
                    window.demand += week.demand;
                    window.capacity += week.capacity;
                }
                _ => windows.push(Window {
                    first: week.week,
                    last: week.week,
                    demand: week.demand,
                    capacity: week.capacity,
                }),
            }
        }
        let Some(peak) = peak else { continue };
        let asked: f64 = windows.iter().map(|w| w.demand).sum();
        let available: f64 = windows.iter().map(|w| w.capacity).sum();
        let excess = asked - available;

        // What the capacity-aware roadmap does about it.
        let held: Vec<ItemId> = (0..cx.program.items().len())
            .map(ItemId::new)
            .filter(|i| cx.planned(*i).held_by == Some(id) && cx.planned(*i).capacity_wait > EPSILON)
            .collect();
        let held_critical = held.iter().filter(|i| cx.critical(**i)).count();
        let longest_wait = held.iter().map(|i| cx.planned(*i).capacity_wait).fold(0.0, f64::max);
        let severity = if held_critical > 0 {
            Severity::High
        } else if !held.is_empty() || !cx.roadmap.capacity_aware {
            Severity::Medium
        } else {
            Severity::Low
        };

        let window_text: Vec<String> = windows
            .iter()
            .map(|w| {
                let load = if w.capacity > 0.0 { percent(w.demand / w.capacity) } else { "no capacity".to_owned() };
                if w.first == w.last {
                    format!("the week of {} ({load})", w.first)
                } else {
                    format!("the weeks of {} to {} ({load})", w.first, w.last)
                }
            })
            .collect();
        let people = team.capacity_on(peak.week.max(cx.as_of)).max(1) as f64;
        let week_days = if peak.capacity > 0.0 { peak.capacity / people } else { 5.0 };
        let extra_people = ((peak.demand - peak.capacity) / week_days.max(1.0) - EPSILON).ceil().max(1.0);
        let consequence = if !cx.roadmap.capacity_aware {
            "This schedule ignores capacity, so these dates cannot all hold.".to_owned()
        } else if held.is_empty() {
            "The capacity-aware roadmap absorbs it within the slack of its work, holding nothing back.".to_owned()
        } else {
            format!(
                "The capacity-aware roadmap holds back {} of its items by up to {}{}.",
                held.len(),
                working_days(longest_wait),
                if held_critical > 0 {
                    format!(", {held_critical} of them on the critical path")
                } else {
                    String::new()
                }
            )
        };
        let explanation = format!(
            "If every item started as soon as its dependencies allow, {} would be asked for {} person-days against {} available in {}: {} over.{} {consequence}",
            team.key,
            days(asked),
            days(available),
            list(&window_text, 4),
            days(excess),
            if windows.len() == 1 && windows[0].first == windows[0].last {
                String::new()
            } else if peak.capacity > 0.0 {
                format!(" The peak is {} in the week of {}.", percent(peak.load()), peak.week)
            } else {
                format!(" The week of {} asks for work with nobody available.", peak.week)
            },
        );
        let mut movable: Vec<ItemId> = (0..cx.program.items().len())
            .map(ItemId::new)
            .filter(|i| cx.open(*i) && cx.program.item(*i).team == id && cx.slack(*i) > EPSILON)
            .collect();
        movable.sort_by(|a, b| cx.slack(*b).total_cmp(&cx.slack(*a)).then(a.cmp(b)));
        let movable_text = if movable.is_empty() {
            String::new()
        } else {
            format!(
                ", move work with slack later ({})",
                list(&movable.iter().map(|i| cx.item_key(*i)).collect::<Vec<_>>(), 3)
            )
        };
        let action = format!(
            "Add {} {} to {} for the week of {}{movable_text}, or hand some of its work to another team.",
            extra_people,
            if extra_people == 1.0 { "person" } else { "people" },
            team.key,
            peak.week,
        );
        let mut involved = vec![Entity::Team(id)];
        involved.extend(held.iter().map(|i| Entity::Item(*i)));
        out.push(Finding {
            kind: FindingKind::OverCommittedTeam,
            subject: FindingSubject::Team(id),
            severity,
            headline: format!(
                "{} is at {} of capacity in the week of {}",
                team.key,
                if peak.capacity > 0.0 { percent(peak.load()) } else { "∞".to_owned() },
                peak.week
            ),
            explanation,
            action,
            involved,
            people: vec![cx.lead(id, "over-committed")],
            figures: vec![
                ("asked_person_days", asked),
                ("available_person_days", available),
                ("excess_person_days", excess),
                ("peak_load", peak.load()),
                ("weeks", windows.iter().map(|w| (w.last - w.first).num_days() as f64 / 7.0 + 1.0).sum()),
                ("items_held", held.len() as f64),
                ("longest_wait_days", longest_wait),
            ],
        });
    }
}
