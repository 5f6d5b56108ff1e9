//! Work built against an API contract nobody has agreed yet.

use std::collections::BTreeSet;

use linchpin_model::{InterfaceId, ItemId, ItemStatus, TeamId};

use crate::action::Action;
use crate::context::{Context, EPSILON, dedup};
use crate::facts::{Agreement, BuiltBeforeContract, EarlyWork, Facts, Figure, Part};
use crate::{Entity, Finding, Severity};

/// Work starting within this many working days counts as starting soon.
const SOON_DAYS: f64 = 10.0;

/// When the contract is expected to be agreed, and the time it counts from
/// (`None`: the plan gives no date).
fn agreement(cx: &Context, interface: InterfaceId) -> (Agreement, Option<f64>) {
    let f = cx.program.interface(interface);
    if let Some(d) = f.defined_by {
        if cx.open(d) {
            let finish = cx.planned(d).finish;
            return (Agreement::Settles { item: d, finish: cx.finish_date(finish) }, Some(finish));
        }
        let finished = cx.program.item(d).actual_finish;
        return (Agreement::SettledWithoutAgreement { item: d, finished }, Some(cx.now));
    }
    match f.expected {
        Some(date) if date > cx.as_of => (Agreement::Expected(date), Some(cx.time_at_end_of(date))),
        Some(date) => (Agreement::Overdue(date), Some(cx.now)),
        None => (Agreement::Undated, None),
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
        let (agreement, agreed_at) = agreement(cx, id);
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
            .filter(|&i| started(i) || agreed_at.is_none_or(|t| cx.planned(i).start < t - EPSILON))
            .collect();
        if early.is_empty() {
            continue;
        }
        early.sort_by(|a, b| cx.planned(*a).start.total_cmp(&cx.planned(*b).start).then(a.cmp(b)));
        let at_stake: f64 = early
            .iter()
            .map(|i| {
                let s = cx.planned(*i);
                let until = agreed_at.map_or(s.finish, |t| t.min(s.finish));
                (until - s.start).max(0.0)
            })
            .sum();
        let earliest = cx.planned(early[0]).start;
        let lead_days = agreed_at.map(|t| (t - earliest).max(0.0));
        let in_progress = early.iter().filter(|i| started(**i)).count();
        let soon = early.iter().any(|i| cx.planned(*i).start <= cx.now + SOON_DAYS || cx.critical(*i));
        let teams: BTreeSet<TeamId> = early.iter().map(|i| program.item(*i).team).collect();
        let first_start = cx.start_date(earliest);
        let room: Vec<TeamId> = std::iter::once(interface.provider_team).chain(teams.iter().copied()).collect();
        let action = match (interface.defined_by, lead_days) {
            _ if in_progress > 0 => Action::AgreeContractNow { interface: id, room, work_under_way: true },
            (Some(d), Some(lead)) if lead > EPSILON => {
                Action::ReviewContract { interface: id, room, before: first_start, settled_by: d, hold_back_days: lead }
            }
            (None, _) => Action::AgreeContractAndLink { interface: id, room, before: first_start },
            _ => Action::AgreeContractNow { interface: id, room, work_under_way: false },
        };
        let mut people = vec![cx.lead(interface.provider_team, Some(Part::Provider))];
        people.extend(teams.iter().map(|t| cx.lead(*t, Some(Part::Consumer))));
        if let Some(d) = interface.defined_by {
            people.push(cx.item_owner(d, Some(Part::SettlesTheContract)));
        }
        let mut involved = vec![Entity::Interface(id), Entity::Team(interface.provider_team)];
        involved.extend(teams.iter().map(|t| Entity::Team(*t)));
        involved.extend(early.iter().map(|i| Entity::Item(*i)));
        involved.extend(interface.defined_by.map(Entity::Item));
        let mut figures = vec![
            (Figure::ConsumerItems, early.len() as f64),
            (Figure::InProgress, in_progress as f64),
            (Figure::DaysAtStake, at_stake),
        ];
        if let Some(lead) = lead_days {
            figures.push((Figure::DaysBeforeAgreement, lead));
        }
        let early = early
            .iter()
            .map(|&item| EarlyWork { item, starts: (!started(item)).then(|| cx.start_date(cx.planned(item).start)) })
            .collect();
        out.push(Finding {
            severity: if in_progress > 0 || soon { Severity::High } else { Severity::Medium },
            facts: Facts::BuiltBeforeContract(BuiltBeforeContract {
                interface: id,
                agreement,
                early,
                teams: teams.into_iter().collect(),
                days_at_stake: at_stake,
            }),
            action,
            involved,
            people: dedup(people),
            figures,
        });
    }
}
