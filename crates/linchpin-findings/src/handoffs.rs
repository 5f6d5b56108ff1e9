//! Fragile handoffs between teams: an item other teams wait on that has
//! little slack, no owner or no estimate. One finding per upstream item, so
//! one conversation covers every team waiting on it.

use std::collections::BTreeSet;

use linchpin_model::{FindingKind, FindingSubject, ItemId, TeamId};

use crate::context::{Context, EPSILON, capitalise, dedup, list, working_days};
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
        let slack = cx.slack(up);
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
        let up_key = upstream.key.as_str();
        let up_team = cx.team_key(upstream.team);
        let teams: BTreeSet<TeamId> = downstream.iter().map(|d| program.item(*d).team).collect();
        let team_keys: Vec<&str> = teams.iter().map(|t| cx.team_key(*t)).collect();
        let waiting: Vec<String> = teams
            .iter()
            .map(|t| {
                let theirs: Vec<&str> =
                    downstream.iter().filter(|d| program.item(**d).team == *t).map(|d| cx.item_key(*d)).collect();
                format!("{} ({})", cx.team_key(*t), list(&theirs, 4))
            })
            .collect();
        let mut why = Vec::new();
        if critical {
            why.push(format!("{up_key} is on the critical path: any slip moves the end date"));
        } else if tight {
            why.push(format!(
                "{up_key} has only {} of slack (the limit is {})",
                working_days(slack),
                working_days(limit)
            ));
        }
        if unowned {
            why.push(format!("nobody owns {up_key}"));
        }
        if unestimated {
            why.push(format!("{up_key} has no estimate, so its date is a guess"));
        }
        let handoff = cx.finish_date(finish);
        let explanation = format!(
            "{} waits on {up_key} ({up_team}), planned to finish on {handoff}. {}.",
            list(&waiting, 5),
            capitalise(&list(&why, 3)),
        );
        let mut actions = vec![format!(
            "Agree the handoff date ({handoff}) between {up_team} and {} and check it weekly",
            list(&team_keys, 4)
        )];
        if unowned {
            actions.push(format!("name an owner for {up_key}"));
        }
        if unestimated {
            actions.push(format!("get {up_key} estimated"));
        }
        let mut people = vec![cx.item_owner(up, "upstream")];
        people.extend(teams.iter().map(|t| cx.lead(*t, "waits on it")));
        let mut involved = vec![Entity::Item(up), Entity::Team(upstream.team)];
        involved.extend(teams.iter().map(|t| Entity::Team(*t)));
        involved.extend(downstream.iter().map(|d| Entity::Item(*d)));
        out.push(Finding {
            kind: FindingKind::FragileDependency,
            subject: FindingSubject::Item(up),
            severity,
            headline: format!(
                "{} {} on {up_key} ({up_team}), which has {}",
                list(&team_keys, 3),
                if teams.len() == 1 { "waits" } else { "wait" },
                if tight {
                    format!("{} of slack", working_days(slack))
                } else {
                    list(
                        &[unowned.then_some("no owner"), unestimated.then_some("no estimate")]
                            .into_iter()
                            .flatten()
                            .collect::<Vec<_>>(),
                        2,
                    )
                }
            ),
            explanation,
            action: format!("{}.", list(&actions, 3)),
            involved,
            people: dedup(people),
            figures: vec![
                ("upstream_slack_days", slack),
                ("waiting_items", downstream.len() as f64),
                ("waiting_teams", teams.len() as f64),
                ("unowned", f64::from(u8::from(unowned))),
                ("unestimated", f64::from(u8::from(unestimated))),
            ],
        });
    }
}
