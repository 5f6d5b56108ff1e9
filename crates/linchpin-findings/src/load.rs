//! Teams asked for more people than they have.

use linchpin_engine::schedule::TeamWeek;
use linchpin_model::{ItemId, TeamId};

use crate::action::Action;
use crate::context::{Context, EPSILON};
use crate::facts::{Facts, Figure, OverCommittedTeam, Part, Window};
use crate::{Entity, Finding, Severity};

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

        let people = team.capacity_on(peak.week.max(cx.as_of)).max(1) as f64;
        let week_days = if peak.capacity > 0.0 { peak.capacity / people } else { 5.0 };
        let extra_people = ((peak.demand - peak.capacity) / week_days.max(1.0) - EPSILON).ceil().max(1.0);
        let mut movable: Vec<ItemId> = (0..cx.program.items().len())
            .map(ItemId::new)
            .filter(|i| {
                let item = cx.program.item(*i);
                // Work under way or pinned to a date cannot be moved later.
                let unstarted = item.actual_start.is_none() && item.start_on.is_none();
                cx.open(*i) && unstarted && item.team == id && cx.slack(*i) > EPSILON
            })
            .collect();
        movable.sort_by(|a, b| cx.slack(*b).total_cmp(&cx.slack(*a)).then(a.cmp(b)));
        let mut involved = vec![Entity::Team(id)];
        involved.extend(held.iter().map(|i| Entity::Item(*i)));
        let figures = vec![
            (Figure::AskedPersonDays, asked),
            (Figure::AvailablePersonDays, available),
            (Figure::ExcessPersonDays, excess),
            (Figure::PeakLoad, peak.load()),
            (Figure::Weeks, windows.iter().map(|w| (w.last - w.first).num_days() as f64 / 7.0 + 1.0).sum()),
            (Figure::ItemsHeld, held.len() as f64),
            (Figure::LongestWaitDays, longest_wait),
        ];
        out.push(Finding {
            severity,
            action: Action::AddPeople { team: id, people: extra_people, week: peak.week, move_later: movable },
            facts: Facts::OverCommittedTeam(OverCommittedTeam {
                team: id,
                windows,
                peak_week: peak.week,
                peak_capacity: peak.capacity,
                peak_load: peak.load(),
                asked,
                available,
                capacity_aware: cx.roadmap.capacity_aware,
                held,
                held_critical,
                longest_wait_days: longest_wait,
            }),
            involved,
            people: vec![cx.lead(id, Some(Part::OverCommitted))],
            figures,
        });
    }
}
