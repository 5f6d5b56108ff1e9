//! What the program is waiting on right now: decisions with a needed-by
//! date, blockers, and work nobody has reported on.

use std::collections::BTreeMap;

use linchpin_model::{Audience, DecisionId, DecisionStatus, FindingKind, FindingSubject, ItemId, ItemStatus, Subject};

use crate::context::{Context, EPSILON, dedup, list, working_days};
use crate::{DecisionDeadline, Entity, Finding, Severity};

/// Not started yet: the items a decision can still hold back.
fn waiting(cx: &Context, item: ItemId) -> bool {
    let work = cx.program.item(item);
    cx.open(item) && work.actual_start.is_none()
}

/// Every open decision's needed-by date: the working day before the latest
/// start of the first not-started item it blocks.
pub fn decision_deadlines(cx: &Context) -> Vec<DecisionDeadline> {
    cx.program
        .decisions()
        .iter()
        .enumerate()
        .filter(|(_, decision)| decision.status == DecisionStatus::Open)
        .map(|(d, decision)| {
            let waiting: Vec<ItemId> = decision.blocks.iter().copied().filter(|i| waiting(cx, *i)).collect();
            let first = waiting
                .iter()
                .map(|i| (cx.planned(*i).start + cx.slack(*i), *i))
                .min_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            DecisionDeadline {
                decision: DecisionId::new(d),
                needed_by: first
                    .map(|(latest, _)| if latest >= 1.0 { cx.finish_date(latest) } else { cx.start_date(0.0) }),
                first_waiting: first.map(|(_, item)| item),
                latest_start: first.map(|(latest, _)| cx.start_date(latest)),
                working_days_left: first.map(|(latest, _)| latest - cx.now),
                waiting,
            }
        })
        .collect()
}

pub fn decisions_needed(cx: &Context, deadlines: &[DecisionDeadline], out: &mut Vec<Finding>) {
    let program = cx.program;
    let warning = cx.thresholds.decision_warning_days;
    for deadline in deadlines {
        let decision = program.decision(deadline.decision);
        let blocked = &deadline.waiting;
        let needed = match (deadline.working_days_left, deadline.first_waiting, deadline.needed_by) {
            (Some(left), Some(item), Some(date)) => Some((left + cx.now, item, date)),
            _ => None,
        };
        let overdue = needed.is_some_and(|(latest, _, _)| latest <= cx.now + EPSILON);
        let soon = needed.is_some_and(|(latest, _, _)| latest - cx.now <= warning + EPSILON);
        let promise_missed = decision.due.is_some_and(|due| due < cx.as_of);
        let promise_late = match (decision.due, needed) {
            (Some(due), Some((_, _, date))) => due > date,
            _ => false,
        };
        if !(soon || promise_missed || promise_late) {
            continue;
        }
        let critical = blocked.iter().any(|i| cx.critical(*i));
        let severity = if overdue || (soon && critical) { Severity::High } else { Severity::Medium };

        let mut parts = vec![format!("{} (\"{}\") is still open", decision.key, decision.question)];
        let mut headline = format!("{} is open", decision.key);
        if let Some((latest, item, date)) = needed {
            let waiting_keys: Vec<&str> = blocked.iter().map(|i| cx.item_key(*i)).collect();
            let left = latest - cx.now;
            let when = if overdue {
                format!("which has passed: {} should already have started", cx.item_key(item))
            } else {
                format!("{} from the status date", working_days(left))
            };
            parts.push(format!(
                "{} cannot start until it is made, and {} must start by {} to keep the end date, so it is needed by {date}, {when}",
                list(&waiting_keys, 5),
                cx.item_key(item),
                cx.start_date(latest),
            ));
            headline = if overdue {
                format!("{} was needed by {date} and is still open", decision.key)
            } else {
                format!("{} must be decided by {date}", decision.key)
            };
        }
        if let Some(due) = decision.due {
            if promise_missed {
                parts.push(format!("it was promised by {due}, which has passed"));
            } else if promise_late {
                parts.push(format!("its promised date, {due}, is later than that"));
            }
        }
        let scores = decision.weighted_scores();
        let best = scores
            .iter()
            .enumerate()
            .filter(|(_, s)| **s > 0.0)
            .max_by(|a, b| a.1.total_cmp(b.1))
            .map(|(o, s)| (decision.options[o].key.as_str(), *s));
        if let Some((option, score)) = best {
            parts.push(format!("on the plan's criteria, `{option}` scores highest ({score:.1})"));
        }
        let explanation = format!("{}.", list(&parts, 5));
        let by = needed
            .map_or_else(|| decision.due.map_or("now".to_owned(), |d| d.to_string()), |(_, _, date)| date.to_string());
        let decider = decision.approver.as_deref().or(decision.driver.as_deref()).unwrap_or("the approver");
        let action = match decision.driver.as_deref() {
            Some(driver) if Some(driver) != decision.approver.as_deref() => format!(
                "Book the decision meeting before {by}: {driver} brings the options, {decider} makes the call, and the outcome goes into the plan (`status: decided`, `chosen`, `rationale`)."
            ),
            _ => format!(
                "Book the decision meeting before {by}: {decider} makes the call, and the outcome goes into the plan (`status: decided`, `chosen`, `rationale`)."
            ),
        };
        let mut people = Vec::new();
        if let Some(approver) = &decision.approver {
            people.push(Context::person(approver, "approver"));
        }
        if let Some(driver) = &decision.driver {
            people.push(Context::person(driver, "driver"));
        }
        people.extend(decision.contributors.iter().map(|c| Context::person(c, "contributor")));
        let mut teams: Vec<_> = blocked.iter().map(|i| program.item(*i).team).collect();
        teams.sort_unstable();
        teams.dedup();
        people.extend(teams.iter().map(|t| cx.lead(*t, "waiting on it")));
        let mut involved = vec![Entity::Decision(deadline.decision)];
        involved.extend(blocked.iter().map(|i| Entity::Item(*i)));
        let mut figures = vec![("waiting_items", blocked.len() as f64)];
        if let Some((latest, _, _)) = needed {
            figures.push(("working_days_left", latest - cx.now));
        }
        out.push(Finding {
            kind: FindingKind::DecisionNeeded,
            subject: FindingSubject::Decision(deadline.decision),
            severity,
            headline,
            explanation,
            action,
            involved,
            people: dedup(people),
            figures,
        });
    }
}

pub fn blockers(cx: &Context, out: &mut Vec<Finding>) {
    let program = cx.program;
    let mut by_item: BTreeMap<ItemId, Vec<&linchpin_model::Blocker>> = BTreeMap::new();
    for blocker in program.blockers() {
        if blocker.resolved.is_none() && cx.open(blocker.item) {
            by_item.entry(blocker.item).or_default().push(blocker);
        }
    }
    // Work marked blocked with nothing written down: nobody can chase it.
    for (i, work) in program.items().iter().enumerate() {
        let item = ItemId::new(i);
        if work.status != ItemStatus::Blocked || by_item.contains_key(&item) {
            continue;
        }
        let critical = cx.critical(item);
        let stakes = blocked_costs(cx, item);
        out.push(Finding {
            kind: FindingKind::Blocker,
            subject: FindingSubject::Item(item),
            severity: if critical { Severity::High } else { Severity::Medium },
            headline: format!("{} is blocked and no blocker is recorded", work.key),
            explanation: format!(
                "{} ({}) is marked blocked, but no open blocker names it, so nobody owns clearing it and it has no escalation path. {stakes}.",
                work.key,
                cx.team_key(work.team),
            ),
            action: format!(
                "Record what blocks {} under `blockers:` (description, raised, owner), or set its status back if it is moving.",
                work.key
            ),
            involved: vec![Entity::Item(item), Entity::Team(work.team)],
            people: dedup(vec![cx.item_owner(item, "blocked"), cx.lead(work.team, "")]),
            figures: vec![("blockers", 0.0), ("slack_days", cx.slack(item))],
        });
    }
    let limit = i64::from(cx.thresholds.blocker_escalation_days);
    for (item, mut list_of) in by_item {
        list_of.sort_by_key(|b| b.raised);
        let oldest = list_of[0];
        let age = (cx.as_of - oldest.raised).num_days();
        let escalated = list_of.iter().find_map(|b| b.escalated_to.as_deref());
        let work = program.item(item);
        let lead = cx.lead(work.team, "");
        let critical = cx.critical(item);
        let overdue_escalation = age > limit && escalated.is_none();
        let severity = if critical || overdue_escalation { Severity::High } else { Severity::Medium };
        let slack = cx.slack(item);
        let costs = blocked_costs(cx, item);
        let described: Vec<String> = list_of
            .iter()
            .map(|b| {
                let owner = b.owner.as_deref().map_or(String::new(), |o| format!(", owner {o}"));
                let escalated = b.escalated_to.as_deref().map_or(String::new(), |e| format!(", escalated to {e}"));
                format!("\"{}\" (raised {}{owner}{escalated})", b.description, b.raised)
            })
            .collect();
        // Who holds it now, then who it goes to next: the team lead, then the sponsor.
        let holders: Vec<String> =
            list_of.iter().flat_map(|b| b.owner.iter().chain(b.escalated_to.iter())).cloned().collect();
        let mut path: Vec<String> = Vec::new();
        for step in holders
            .iter()
            .cloned()
            .chain([lead.name.clone().unwrap_or_else(|| format!("the {} lead", cx.team_key(work.team)))])
            .chain(sponsor(cx))
        {
            if !path.contains(&step) {
                path.push(step);
            }
        }
        let next = path.iter().find(|p| !holders.contains(p)).cloned();
        let explanation = format!(
            "{} ({}) has been blocked for {age} days by {}. {costs}. Escalation path: {}.",
            work.key,
            cx.team_key(work.team),
            list(&described, 3),
            path.join(" → "),
        );
        let next_is_person = next.is_some();
        let next = next.unwrap_or_else(|| "the program sponsor".to_owned());
        let action = match escalated {
            Some(to) => format!(
                "Ask {to} for a date to clear it, and put {} on the agenda of the next leads' sync until it moves.",
                work.key
            ),
            None if overdue_escalation => format!(
                "Escalate it to {next} now: it has been open {age} days, past the {limit}-day limit, with no escalation."
            ),
            None => format!(
                "Agree a date to clear it with {}; escalate to {next} if it is still open on {}.",
                oldest.owner.as_deref().unwrap_or("the item owner"),
                oldest.raised + chrono::Duration::days(limit + 1),
            ),
        };
        let mut people = Vec::new();
        for b in &list_of {
            if let Some(owner) = &b.owner {
                people.push(Context::person(owner, "owns the blocker"));
            }
            if let Some(to) = &b.escalated_to {
                people.push(Context::person(to, "escalated to"));
            }
        }
        people.push(cx.item_owner(item, "blocked"));
        people.push(cx.lead(work.team, "escalation"));
        if overdue_escalation && escalated.is_none() && next_is_person {
            people.push(Context::person(&next, "escalate to"));
        }
        out.push(Finding {
            kind: FindingKind::Blocker,
            subject: FindingSubject::Item(item),
            severity,
            headline: format!(
                "{} blocked for {age} days{}",
                work.key,
                if escalated.is_some() { "" } else { ", not escalated" }
            ),
            explanation,
            action,
            involved: vec![Entity::Item(item), Entity::Team(work.team)],
            people: dedup(people),
            figures: vec![
                ("age_days", age as f64),
                ("blockers", list_of.len() as f64),
                ("escalated", f64::from(u8::from(escalated.is_some()))),
                ("slack_days", slack),
            ],
        });
    }
}

pub fn stale_status(cx: &Context, out: &mut Vec<Finding>) {
    let program = cx.program;
    let mut last_update: Vec<Option<&linchpin_model::StatusUpdate>> = vec![None; program.items().len()];
    for update in program.updates() {
        if let Subject::Item(item) = update.subject
            && update.date <= cx.as_of
            && last_update[item.index()].is_none_or(|u| u.date <= update.date)
        {
            last_update[item.index()] = Some(update);
        }
    }
    let limit = i64::from(cx.thresholds.stale_days);
    for (i, work) in program.items().iter().enumerate() {
        let item = ItemId::new(i);
        if !matches!(work.status, ItemStatus::InProgress | ItemStatus::Blocked) {
            continue;
        }
        let update = last_update[i];
        let heard = update.map(|u| u.date).into_iter().chain(work.actual_start).max();
        let silent = heard.map(|d| (cx.as_of - d).num_days());
        if silent.is_some_and(|days| days <= limit) {
            continue;
        }
        let critical = cx.critical(item);
        let last = match update {
            Some(u) => format!(
                "the last update was on {} ({}{})",
                u.date,
                u.health.as_str(),
                u.note.as_deref().map_or(String::new(), |n| format!(": \"{n}\""))
            ),
            None => match work.actual_start {
                Some(start) => format!("there has been no update since it started on {start}"),
                None => "it has no start date and no update".to_owned(),
            },
        };
        let silent_text = silent.map_or("ever".to_owned(), |d| format!("in {d} days"));
        let stakes = if critical {
            "It is on the critical path, so the forecast rests on a guess.".to_owned()
        } else {
            format!("It has {} of slack.", working_days(cx.slack(item)))
        };
        let explanation = format!(
            "{} ({}) is {} but nobody has reported on it {silent_text}: {last}. {stakes}",
            work.key,
            cx.team_key(work.team),
            work.status.as_str().replace('_', " "),
        );
        let owner = cx.item_owner(item, "");
        let asked = owner.name.clone().unwrap_or_else(|| format!("the {} lead", cx.team_key(work.team)));
        out.push(Finding {
            kind: FindingKind::StaleStatus,
            subject: FindingSubject::Item(item),
            severity: if critical { Severity::High } else { Severity::Medium },
            headline: format!("No update on {} {silent_text}", work.key),
            explanation,
            action: format!(
                "Ask {asked} for an update on {}: progress, the work remaining (`remaining`) and anything blocking it.",
                work.key
            ),
            involved: vec![Entity::Item(item), Entity::Team(work.team)],
            people: dedup(vec![cx.item_owner(item, "no update"), cx.lead(work.team, "")]),
            figures: vec![("days_silent", silent.map_or(-1.0, |d| d as f64))],
        });
    }
}

/// What staying blocked costs: the end date now, or once the slack is gone.
fn blocked_costs(cx: &Context, item: ItemId) -> String {
    let work = cx.program.item(item);
    let slack = cx.slack(item);
    if cx.critical(item) {
        return format!("{} is on the critical path: every day it stays blocked moves the end date", work.key);
    }
    let latest = cx.planned(item).start + slack;
    if work.actual_start.is_none() && latest > cx.now {
        format!(
            "{} has {} of slack: if it cannot start by {}, the end date moves",
            work.key,
            working_days(slack),
            cx.start_date(latest)
        )
    } else {
        format!("{} has {} of slack left", work.key, working_days(slack))
    }
}

/// The program's sponsor: the executive stakeholder called so, or the first executive.
fn sponsor(cx: &Context) -> Option<String> {
    let executives = || cx.program.stakeholders().iter().filter(|s| s.audience == Audience::Executive);
    executives()
        .find(|s| s.role.as_deref().is_some_and(|r| r.to_lowercase().contains("sponsor")))
        .or_else(|| executives().next())
        .map(|s| s.name.clone())
}
