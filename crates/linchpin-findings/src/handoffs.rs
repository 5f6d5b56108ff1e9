//! Fragile handoffs between teams: an item other teams wait on that has
//! little slack, no owner or no estimate. One finding per upstream item, so
//! one conversation covers every team waiting on it.

use std::collections::BTreeSet;

use linchpin_model::{ItemId, TeamId};

use crate::action::Action;
use crate::context::{Context, EPSILON, dedup};
use crate::facts::{Facts, Figure, FragileDependency, Part};
use crate::{Entity, Finding, Severity};

/// A critical handoff within this many working days is urgent.
const URGENT_DAYS: f64 = 20.0;

pub fn fragile_dependencies(cx: &Context, out: &mut Vec<Finding>) {
    let program = cx.program;
    let limit = cx.thresholds.fragile_slack_days;
    // A plan that names no owners at all (a bare spreadsheet) does not track
    // ownership; flagging every handoff in it for that would drown the rest.
    let tracks_owners = program.items().iter().any(|i| i.owner.is_some());
    for (i, upstream) in program.items().iter().enumerate() {
        let up = ItemId::new(i);
        if !cx.open(up) {
            continue;
        }
        let downstream: Vec<ItemId> = cx.successors[i]
            .iter()
            .copied()
            .filter(|d| cx.open(*d) && program.item(*d).team != upstream.team)
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        if downstream.is_empty() {
            continue;
        }
        // Before the end, or before a milestone the work feeds when that
        // leaves less.
        let end = cx.slack(up);
        let before = cx
            .roadmap_item(up)
            .milestone_slack
            .iter()
            .filter(|m| m.1 < end - EPSILON)
            .min_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)))
            .copied();
        let slack = before.map_or(end, |m| m.1);
        let before = before.map(|m| m.0);
        let tight = slack <= limit + EPSILON;
        let unowned = tracks_owners && upstream.owner.is_none();
        let unestimated = upstream.estimate.is_none();
        if !(tight || unowned || unestimated) {
            continue;
        }
        let critical = slack <= EPSILON;
        let finish = cx.planned(up).finish;
        let urgent = finish - cx.now <= URGENT_DAYS;
        let severity = if (critical && urgent) || (tight && (unowned || unestimated)) {
            Severity::High
        } else if tight {
            Severity::Medium
        } else {
            Severity::Low
        };
        let teams: BTreeSet<TeamId> = downstream.iter().map(|d| program.item(*d).team).collect();
        let handoff = cx.finish_date(finish);
        let mut people = vec![cx.item_owner(up, Some(Part::Upstream))];
        people.extend(teams.iter().map(|t| cx.lead(*t, Some(Part::WaitsOnIt))));
        let mut involved = vec![Entity::Item(up), Entity::Team(upstream.team)];
        involved.extend(teams.iter().map(|t| Entity::Team(*t)));
        involved.extend(downstream.iter().map(|d| Entity::Item(*d)));
        let figures = vec![
            (Figure::UpstreamSlackDays, slack),
            (Figure::WaitingItems, downstream.len() as f64),
            (Figure::WaitingTeams, teams.len() as f64),
            (Figure::Unowned, f64::from(u8::from(unowned))),
            (Figure::Unestimated, f64::from(u8::from(unestimated))),
        ];
        let teams: Vec<TeamId> = teams.into_iter().collect();
        out.push(Finding {
            severity,
            action: Action::AgreeHandoff {
                upstream: up,
                date: handoff,
                upstream_team: upstream.team,
                downstream_teams: teams.clone(),
                name_owner: unowned,
                get_estimate: unestimated,
            },
            facts: Facts::FragileDependency(FragileDependency {
                upstream: up,
                downstream,
                teams,
                slack_days: slack,
                before,
                tight,
                critical,
                unowned,
                unestimated,
                handoff,
            }),
            involved,
            people: dedup(people),
            figures,
        });
    }
}
