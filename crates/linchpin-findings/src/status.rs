//! What the program is waiting on right now: decisions with a needed-by
//! date, blockers, and work nobody has reported on.

use std::collections::BTreeMap;

use linchpin_model::{Audience, DecisionId, DecisionStatus, ItemId, ItemStatus, Subject};

use crate::action::Action;
use crate::context::{Context, EPSILON, dedup};
use crate::facts::{
    Blocked, DecisionNeeded, Facts, Figure, LastHeard, NeededBy, Part, Promise, Stakes, StaleStatus, UnrecordedBlocker,
    Who,
};
use crate::{DecisionDeadline, Entity, Finding, Severity};

/// Not started yet: the items a decision can still hold back.
fn waiting(cx: &Context, item: ItemId) -> bool {
    let work = cx.program.item(item);
    cx.open(item) && work.actual_start.is_none()
}

/// Every open decision's needed-by date: the working day before the latest
/// start of the first not-started item it blocks, latest by its slack to
/// the end or to any milestone it feeds, whichever is less (an item with
/// room before the end may have none before an earlier milestone).
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
                .map(|i| (cx.planned(*i).start + cx.least_slack(*i), *i))
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

        let scores = decision.weighted_scores();
        let leading_option = scores
            .iter()
            .enumerate()
            .filter(|(_, s)| **s > 0.0)
            .max_by(|a, b| a.1.total_cmp(b.1))
            .map(|(o, s)| (o, *s));
        let promise = match decision.due {
            Some(due) if promise_missed => Some(Promise::Missed(due)),
            Some(due) if promise_late => Some(Promise::TooLate(due)),
            _ => None,
        };
        let before = needed.map(|(_, _, date)| date).or(decision.due);
        let decides = decision.approver.clone().or_else(|| decision.driver.clone());
        let brings_options = decision.driver.clone().filter(|driver| Some(driver) != decision.approver.as_ref());
        let mut people = Vec::new();
        if let Some(approver) = &decision.approver {
            people.push(Context::person(approver, Part::Approver));
        }
        if let Some(driver) = &decision.driver {
            people.push(Context::person(driver, Part::Driver));
        }
        people.extend(decision.contributors.iter().map(|c| Context::person(c, Part::Contributor)));
        let mut teams: Vec<_> = blocked.iter().map(|i| program.item(*i).team).collect();
        teams.sort_unstable();
        teams.dedup();
        people.extend(teams.iter().map(|t| cx.lead(*t, Some(Part::WaitingOnIt))));
        let mut involved = vec![Entity::Decision(deadline.decision)];
        involved.extend(blocked.iter().map(|i| Entity::Item(*i)));
        let mut figures = vec![(Figure::WaitingItems, blocked.len() as f64)];
        if let Some((latest, _, _)) = needed {
            figures.push((Figure::WorkingDaysLeft, latest - cx.now));
        }
        out.push(Finding {
            severity,
            facts: Facts::DecisionNeeded(DecisionNeeded {
                decision: deadline.decision,
                waiting: blocked.clone(),
                needed: needed.map(|(latest, item, date)| NeededBy {
                    date,
                    first_waiting: item,
                    latest_start: cx.start_date(latest),
                    working_days_left: latest - cx.now,
                    overdue,
                }),
                promise,
                leading_option,
            }),
            action: Action::BookDecisionMeeting { decision: deadline.decision, before, brings_options, decides },
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
        out.push(Finding {
            severity: if critical { Severity::High } else { Severity::Medium },
            facts: Facts::UnrecordedBlocker(UnrecordedBlocker { item, stakes: blocked_costs(cx, item) }),
            action: Action::RecordBlocker { item },
            involved: vec![Entity::Item(item), Entity::Team(work.team)],
            people: dedup(vec![cx.item_owner(item, Some(Part::Blocked)), cx.lead(work.team, None)]),
            figures: vec![(Figure::Blockers, 0.0), (Figure::SlackDays, cx.slack(item))],
        });
    }
    let limit = i64::from(cx.thresholds.blocker_escalation_days);
    for (item, mut list_of) in by_item {
        list_of.sort_by_key(|b| b.raised);
        let oldest = list_of[0];
        let age = (cx.as_of - oldest.raised).num_days();
        let escalated = list_of.iter().find_map(|b| b.escalated_to.clone());
        let work = program.item(item);
        let lead = cx.lead(work.team, None);
        let critical = cx.critical(item);
        let overdue_escalation = age > limit && escalated.is_none();
        let severity = if critical || overdue_escalation { Severity::High } else { Severity::Medium };
        let slack = cx.slack(item);
        // Who holds it now, then who it goes to next: the team lead, then the sponsor.
        let holders: Vec<Who> = list_of
            .iter()
            .flat_map(|b| b.owner.iter().chain(b.escalated_to.iter()))
            .map(|name| Who::Person(name.clone()))
            .collect();
        let lead_step = lead.name.clone().map_or(Who::LeadOf(work.team), Who::Person);
        let mut path: Vec<Who> = Vec::new();
        for step in holders.iter().cloned().chain([lead_step]).chain(sponsor(cx).map(Who::Person)) {
            if !path.contains(&step) {
                path.push(step);
            }
        }
        let next = path.iter().find(|p| !holders.contains(p)).cloned();
        let action = match &escalated {
            Some(to) => Action::AskForClearDate { item, escalated_to: to.clone() },
            None if overdue_escalation => Action::Escalate { item, to: next.clone(), age_days: age, limit_days: limit },
            None => Action::AgreeClearDate {
                item,
                with: oldest.owner.clone(),
                escalate_to: next.clone(),
                escalate_on: oldest.raised + chrono::Duration::days(limit + 1),
            },
        };
        let mut people = Vec::new();
        for b in &list_of {
            if let Some(owner) = &b.owner {
                people.push(Context::person(owner, Part::OwnsTheBlocker));
            }
            if let Some(to) = &b.escalated_to {
                people.push(Context::person(to, Part::EscalatedTo));
            }
        }
        people.push(cx.item_owner(item, Some(Part::Blocked)));
        people.push(cx.lead(work.team, Some(Part::Escalation)));
        // The one to escalate to, when it is someone the plan names.
        if overdue_escalation && let Some(Who::Person(name)) = &next {
            people.push(Context::person(name, Part::EscalateTo));
        }
        let figures = vec![
            (Figure::AgeDays, age as f64),
            (Figure::Blockers, list_of.len() as f64),
            (Figure::Escalated, f64::from(u8::from(escalated.is_some()))),
            (Figure::SlackDays, slack),
        ];
        out.push(Finding {
            severity,
            facts: Facts::Blocked(Blocked {
                item,
                blockers: list_of.into_iter().cloned().collect(),
                age_days: age,
                escalated_to: escalated,
                stakes: blocked_costs(cx, item),
                escalation_path: path,
                next,
                overdue_escalation,
            }),
            action,
            involved: vec![Entity::Item(item), Entity::Team(work.team)],
            people: dedup(people),
            figures,
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
        let last = match (update, work.actual_start) {
            (Some(u), _) => LastHeard::Update(u.clone()),
            (None, Some(start)) => LastHeard::StartedOn(start),
            (None, None) => LastHeard::Never,
        };
        let critical = cx.critical(item);
        out.push(Finding {
            severity: if critical { Severity::High } else { Severity::Medium },
            facts: Facts::StaleStatus(StaleStatus {
                item,
                silent_days: silent,
                last,
                critical,
                slack_days: cx.slack(item),
            }),
            action: Action::AskForUpdate { item, ask: cx.who_owns(item) },
            involved: vec![Entity::Item(item), Entity::Team(work.team)],
            people: dedup(vec![cx.item_owner(item, Some(Part::NoUpdate)), cx.lead(work.team, None)]),
            figures: vec![(Figure::DaysSilent, silent.map_or(-1.0, |d| d as f64))],
        });
    }
}

/// What staying blocked costs: the end date now, or once the slack is gone.
fn blocked_costs(cx: &Context, item: ItemId) -> Stakes {
    let work = cx.program.item(item);
    let slack = cx.slack(item);
    if cx.critical(item) {
        return Stakes::Critical;
    }
    let latest = cx.planned(item).start + slack;
    if work.actual_start.is_none() && latest > cx.now {
        Stakes::StartBy { slack_days: slack, date: cx.start_date(latest) }
    } else {
        Stakes::SlackLeft { slack_days: slack }
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
