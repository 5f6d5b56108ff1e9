//! Work built against an API contract nobody has agreed yet.

use std::collections::BTreeSet;

use linchpin_model::{FindingKind, FindingSubject, InterfaceId, ItemId, ItemStatus, TeamId};

use crate::context::{Context, EPSILON, dedup, list, working_days};
use crate::{Entity, Finding, Severity};

/// Work starting within this many working days counts as starting soon.
const SOON_DAYS: f64 = 10.0;

/// When the contract is expected to be agreed, and how the plan says so.
struct Agreement {
    /// `None`: the plan gives no date.
    time: Option<f64>,
    text: String,
}

fn agreement(cx: &Context, interface: InterfaceId) -> Agreement {
    let f = cx.program.interface(interface);
    if let Some(d) = f.defined_by {
        if cx.open(d) {
            let finish = cx.planned(d).finish;
            return Agreement {
                time: Some(finish),
                text: format!("it is agreed when {} finishes, planned for {}", cx.item_key(d), cx.finish_date(finish)),
            };
        }
        let done = cx.program.item(d).actual_finish.map_or("already".to_owned(), |date| format!("on {date}"));
        return Agreement {
            time: Some(cx.now),
            text: format!(
                "{} which should settle it finished {done}, yet the contract is still {}: agree it or update its status",
                cx.item_key(d),
                f.status.as_str()
            ),
        };
    }
    match f.expected {
        Some(date) if date > cx.as_of => {
            Agreement { time: Some(cx.time_at_end_of(date)), text: format!("agreement is expected on {date}") }
        }
        Some(date) => {
            Agreement { time: Some(cx.now), text: format!("agreement was expected by {date} and has not happened") }
        }
        None => Agreement { time: None, text: "the plan gives no date for its agreement".to_owned() },
    }
}

/// Items that `item` waits on, directly or not (and `item` itself).
fn ancestors(cx: &Context, item: ItemId) -> Vec<bool> {
    linchpin_graph::reachable(&cx.waits_on, [item.index() as u32])
}

pub fn built_before_contract(cx: &Context, out: &mut Vec<Finding>) {
    let program = cx.program;
    for (f, interface) in program.interfaces().iter().enumerate() {
        if interface.status.is_agreed() {
            continue;
        }
        let id = InterfaceId::new(f);
        let agreement = agreement(cx, id);
        let upstream = interface.defined_by.map(|d| ancestors(cx, d));
        let started = |i: ItemId| {
            matches!(program.item(i).status, ItemStatus::InProgress | ItemStatus::Blocked)
                && program.item(i).actual_start.is_some()
        };
        let mut early: Vec<ItemId> = (0..program.items().len())
            .map(ItemId::new)
            .filter(|&i| {
                let item = program.item(i);
                cx.open(i)
                    && item.interfaces.contains(&id)
                    && item.team != interface.provider_team
                    && Some(i) != interface.defined_by
                    && !upstream.as_ref().is_some_and(|u| u[i.index()])
            })
            .filter(|&i| started(i) || agreement.time.is_none_or(|t| cx.planned(i).start < t - EPSILON))
            .collect();
        if early.is_empty() {
            continue;
        }
        early.sort_by(|a, b| cx.planned(*a).start.total_cmp(&cx.planned(*b).start).then(a.cmp(b)));
        let at_stake: f64 = early
            .iter()
            .map(|i| {
                let s = cx.planned(*i);
                let until = agreement.time.map_or(s.finish, |t| t.min(s.finish));
                (until - s.start).max(0.0)
            })
            .sum();
        let earliest = cx.planned(early[0]).start;
        let lead_days = agreement.time.map(|t| (t - earliest).max(0.0));
        let in_progress = early.iter().filter(|i| started(**i)).count();
        let soon = early.iter().any(|i| cx.planned(*i).start <= cx.now + SOON_DAYS || cx.critical(*i));
        let teams: BTreeSet<TeamId> = early.iter().map(|i| program.item(*i).team).collect();
        let team_keys: Vec<&str> = teams.iter().map(|t| cx.team_key(*t)).collect();
        let items_text: Vec<String> = early
            .iter()
            .map(|i| {
                let when = if started(*i) {
                    "in progress".to_owned()
                } else {
                    format!("starts {}", cx.start_date(cx.planned(*i).start))
                };
                format!("{} ({}, {when})", cx.item_key(*i), cx.team_key(program.item(*i).team))
            })
            .collect();
        let provider = cx.team_key(interface.provider_team);
        let system = interface.provider_system.map_or(String::new(), |s| format!(" on {}", program.system(s).key));
        let named = if interface.name == interface.key { String::new() } else { format!(" ({})", interface.name) };
        let explanation = format!(
            "{}{named} is still {}; {}. {} {} against it before then: {}. That is {} of work exposed to rework if the contract changes. Provider: {provider}{system}.",
            interface.key,
            interface.status.as_str(),
            agreement.text,
            list(&team_keys, 5),
            if teams.len() == 1 { "builds" } else { "build" },
            list(&items_text, 6),
            working_days(at_stake),
        );
        let first_start = cx.start_date(earliest);
        let everyone: Vec<&str> = std::iter::once(provider).chain(team_keys.iter().copied()).collect();
        let room = list(&everyone, 6);
        let action = match (interface.defined_by, lead_days) {
            _ if in_progress > 0 => format!(
                "Get {room} in a room this week to agree {} and mark it `agreed`; the consuming work is already under way.",
                interface.key,
            ),
            (Some(d), Some(lead)) if lead > EPSILON => format!(
                "Hold a contract review with {room} and agree {} before {first_start}; otherwise make the consuming work wait on {} (`depends: [{}]`), which holds it back up to {}.",
                interface.key,
                cx.item_key(d),
                cx.item_key(d),
                working_days(lead),
            ),
            (None, _) => format!(
                "Agree {} with {room} before {first_start}, and set its `defined_by` to the item that settles it so the schedule orders the work.",
                interface.key,
            ),
            _ => format!("Get {room} in a room this week to agree {} and mark it `agreed`.", interface.key),
        };
        let mut people = vec![cx.lead(interface.provider_team, "provider")];
        people.extend(teams.iter().map(|t| cx.lead(*t, "consumer")));
        if let Some(d) = interface.defined_by {
            people.push(cx.item_owner(d, "settles the contract"));
        }
        let mut involved = vec![Entity::Interface(id), Entity::Team(interface.provider_team)];
        involved.extend(teams.iter().map(|t| Entity::Team(*t)));
        involved.extend(early.iter().map(|i| Entity::Item(*i)));
        involved.extend(interface.defined_by.map(Entity::Item));
        let mut figures = vec![
            ("consumer_items", early.len() as f64),
            ("in_progress", in_progress as f64),
            ("days_at_stake", at_stake),
        ];
        if let Some(lead) = lead_days {
            figures.push(("days_before_agreement", lead));
        }
        out.push(Finding {
            kind: FindingKind::BuiltBeforeContract,
            subject: FindingSubject::Interface(id),
            severity: if in_progress > 0 || soon { Severity::High } else { Severity::Medium },
            headline: format!(
                "{} {} on {} before its contract is agreed",
                list(&team_keys, 3),
                if teams.len() == 1 { "builds" } else { "build" },
                interface.key
            ),
            explanation,
            action,
            involved,
            people: dedup(people),
            figures,
        });
    }
}
