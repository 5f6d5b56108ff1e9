//! Health derived from the numbers, never self-reported. A milestone is
//!
//! - **red** when its chance of the target is below `health_red_chance`
//!   (0.5), or its P80 is more than `health_red_days` (10) working days
//!   after the target, or a decision its work waits on is overdue;
//! - **amber** when its chance is below `health_green_chance` (0.8), or its
//!   P80 is after the target, or a decision its work waits on is needed
//!   within `decision_warning_days` (10), or work it needs within
//!   `near_critical_days` (10) of slack to it has been blocked for more than
//!   `blocker_escalation_days` (5) without escalation;
//! - **green** otherwise.
//!
//! The program is as healthy as its least healthy milestone; a team as the
//! least healthy milestone its unfinished work feeds. Each verdict keeps
//! its reasons in words, and where the plan's latest status update for the
//! program or a team says otherwise, both are kept.

use chrono::NaiveDate;
use linchpin_engine::forecast::TargetForecast;
use linchpin_model::{Health, ItemId, ItemStatus, MilestoneId, Program, StatusUpdate, Subject, TeamId};

use crate::Facts;
use crate::text::{days, percent, titled};

/// One reason for a verdict, and the verdict it alone would give.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reason {
    pub health: Health,
    pub text: String,
    /// For a decision or blocker, what clears it, in a few words; none for
    /// a reason about the dates.
    pub act: Option<String>,
    /// The reason in a few words, for a table cell beside the chance and
    /// the P80 (empty for the chance, which has its own column).
    pub short: String,
}

impl Reason {
    /// Whether it is about the dates (the chance or the P80), which a
    /// change to the schedule can move, rather than a decision or blocker.
    pub fn about_dates(&self) -> bool {
        self.act.is_none()
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MilestoneHealth {
    pub milestone: MilestoneId,
    pub health: Health,
    /// Worst first; empty when green with nothing to say.
    pub reasons: Vec<Reason>,
}

/// What the plan's latest status update said.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reported {
    pub date: NaiveDate,
    pub health: Health,
    pub author: Option<String>,
    pub note: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TeamHealth {
    pub team: TeamId,
    pub health: Health,
    /// The milestones its unfinished work feeds that are not green.
    pub because: Vec<MilestoneId>,
    pub reported: Option<Reported>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Assessment {
    pub health: Health,
    pub milestones: Vec<MilestoneHealth>,
    pub teams: Vec<TeamHealth>,
    /// The program's latest status update.
    pub reported: Option<Reported>,
}

impl Assessment {
    pub fn milestone(&self, m: MilestoneId) -> &MilestoneHealth {
        &self.milestones[m.index()]
    }
}

/// Per milestone, which items it needs: those it requires and everything
/// they wait on through links.
pub fn needs(program: &Program) -> Vec<Vec<bool>> {
    program
        .milestones()
        .iter()
        .map(|milestone| {
            let mut needed = vec![false; program.items().len()];
            let mut stack: Vec<ItemId> = milestone.requires.clone();
            while let Some(item) = stack.pop() {
                if !std::mem::replace(&mut needed[item.index()], true) {
                    stack.extend(program.item(item).depends.iter().map(|d| d.on));
                }
            }
            needed
        })
        .collect()
}

/// Whether milestone `m` needs unfinished work of `team` (`needs` from
/// [`needs`]).
pub fn team_feeds(program: &Program, needs: &[Vec<bool>], team: TeamId, m: MilestoneId) -> bool {
    program
        .items()
        .iter()
        .enumerate()
        .any(|(i, item)| item.team == team && item.status != ItemStatus::Done && needs[m.index()][i])
}

/// Whether `risk` threatens milestone `m`: it names it, or work it needs.
pub fn threatens(risk: &linchpin_model::Risk, needs: &[Vec<bool>], m: MilestoneId) -> bool {
    risk.affects_milestones.contains(&m) || risk.affects_items.iter().any(|i| needs[m.index()][i.index()])
}

/// Working days from the end of `target` to a forecast's P80 (positive:
/// late).
pub fn p80_days_late(facts: &Facts, t: &TargetForecast, target: NaiveDate) -> f64 {
    // Counted in whole days, as the dates shown are: a P80 part way into a
    // day falls on that day.
    (t.p80 - 1e-9).ceil() - facts.roadmap.days.time_at_end_of(target)
}

pub fn assess(facts: &Facts) -> Assessment {
    let program = facts.program;
    let needs = needs(program);
    let milestones: Vec<MilestoneHealth> =
        (0..program.milestones().len()).map(|m| milestone_health(facts, MilestoneId::new(m), &needs[m])).collect();
    let health = milestones.iter().map(|m| m.health).max().unwrap_or(Health::Green);
    let teams = (0..program.teams().len())
        .map(|t| {
            let team = TeamId::new(t);
            let because: Vec<MilestoneId> = milestones
                .iter()
                .filter(|h| h.health != Health::Green && team_feeds(program, &needs, team, h.milestone))
                .map(|h| h.milestone)
                .collect();
            let health = because.iter().map(|m| milestones[m.index()].health).max().unwrap_or(Health::Green);
            TeamHealth { team, health, because, reported: latest(program, Subject::Team(team)) }
        })
        .collect();
    Assessment { health, milestones, teams, reported: latest(program, Subject::Program) }
}

fn latest(program: &Program, subject: Subject) -> Option<Reported> {
    let update: &StatusUpdate = program.updates().iter().filter(|u| u.subject == subject).max_by_key(|u| u.date)?;
    Some(Reported {
        date: update.date,
        health: update.health,
        author: update.author.clone(),
        note: update.note.clone(),
    })
}

fn milestone_health(facts: &Facts, m: MilestoneId, needed: &[bool]) -> MilestoneHealth {
    let program = facts.program;
    let thresholds = program.thresholds();
    let milestone = program.milestone(m);
    let t = &facts.forecast.milestones()[m.index()];
    let mut reasons = Vec::new();
    if let (Some(target), Some(chance)) = (milestone.target, t.probability_on_target) {
        let late = p80_days_late(facts, t, target);
        let chance_text = format!("{} chance of its target {target}", percent(chance));
        if chance < thresholds.health_red_chance {
            let floor = percent(thresholds.health_red_chance);
            reasons.push(Reason {
                health: Health::Red,
                text: format!("{chance_text} (red below {floor})"),
                act: None,
                short: String::new(), // the chance has a column of its own
            });
        } else if chance < thresholds.health_green_chance {
            let bar = percent(thresholds.health_green_chance);
            reasons.push(Reason {
                health: Health::Amber,
                text: format!("{chance_text} (green from {bar})"),
                act: None,
                short: String::new(), // the chance has a column of its own
            });
        }
        if late > thresholds.health_red_days {
            let text = format!("P80 {} is {} after the target", t.p80_date, days(late));
            let short = format!("P80 {} late", days(late));
            reasons.push(Reason { health: Health::Red, text, act: None, short });
        } else if late > 1e-9 {
            let text = format!("P80 {} is {} after the target", t.p80_date, days(late));
            let short = format!("P80 {} late", days(late));
            reasons.push(Reason { health: Health::Amber, text, act: None, short });
        }
    }
    for deadline in &facts.findings.decisions {
        let Some(left) = deadline.working_days_left else { continue };
        if !deadline.waiting.iter().any(|i| needed[i.index()]) {
            continue;
        }
        let decision = program.decision(deadline.decision);
        let by = deadline.needed_by.map_or(String::new(), |d| format!(" by {d}"));
        let first = deadline.first_waiting.map_or(String::new(), |i| format!("; {} waits on it", titled(program, i)));
        let what =
            format!("decision {} ({})", crate::text::plain(&decision.key), crate::text::plain(&decision.question));
        if left < 0.0 {
            let text = format!("{what} was needed{by} and is still open{first}");
            let short = format!("decision {} overdue", crate::text::plain(&decision.key));
            let act = Some(format!("deciding {} (overdue)", crate::text::plain(&decision.key)));
            reasons.push(Reason { health: Health::Red, text, act, short });
        } else if left <= thresholds.decision_warning_days {
            let text = format!("{what} is needed{by}{first}");
            let short = format!("decision {} needed{by}", crate::text::plain(&decision.key));
            let act = Some(format!("deciding {}{by}", crate::text::plain(&decision.key)));
            reasons.push(Reason { health: Health::Amber, text, act, short });
        }
    }
    if let Some(as_of) = program.status_date() {
        for blocker in program.blockers().iter().filter(|b| b.resolved.is_none() && b.escalated_to.is_none()) {
            let item = blocker.item;
            let age = (as_of - blocker.raised).num_days();
            let scheduled = facts.roadmap.item(item);
            let slack =
                scheduled.milestone_slack.iter().find(|(ms, _)| *ms == m).map_or(scheduled.total_slack, |s| s.1);
            let critical_work = needed[item.index()] && slack <= thresholds.near_critical_days + 1e-9;
            if critical_work && age > thresholds.blocker_escalation_days as i64 {
                let text = format!("{} has been blocked for {age} days without escalation", titled(program, item));
                let key = crate::text::plain(&program.item(item).key);
                let short = format!("{key} blocked {age} days, not escalated");
                let act = Some(format!("escalating the blocker on {key}"));
                reasons.push(Reason { health: Health::Amber, text, act, short });
            }
        }
    }
    reasons.sort_by_key(|r| std::cmp::Reverse(r.health));
    let health = reasons.first().map_or(Health::Green, |r| r.health);
    MilestoneHealth { milestone: m, health, reasons }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Item A takes exactly ten working days from Monday 2027-01-04, so it
    /// finishes on Friday 2027-01-15 in every iteration.
    fn verdicts(milestones: &str, thresholds: &str) -> Vec<(Health, Vec<String>)> {
        let text = format!(
            "program: {{ name: T, start: 2027-01-04 }}\n{thresholds}teams: [{{ id: t, capacity: 1 }}]\n\
             items:\n  - {{ id: A, title: a, team: t, estimate: 10 }}\nmilestones:\n{milestones}"
        );
        let analysed = crate::testing::Analysed::new(&text);
        let facts = analysed.facts();
        assess(&facts)
            .milestones
            .into_iter()
            .map(|m| (m.health, m.reasons.into_iter().map(|r| r.text).collect()))
            .collect()
    }

    #[test]
    fn a_milestone_is_red_amber_or_green_by_its_chance_and_its_p80() {
        let milestones = "  - { id: early, title: e, requires: [A], target: 2027-01-08 }\n\
                          \x20 - { id: due, title: d, requires: [A], target: 2027-01-15 }\n\
                          \x20 - { id: none, title: n, requires: [A] }\n";
        let found = verdicts(milestones, "");
        // No chance of a target a week early: red, and its P80 is late too.
        assert_eq!(found[0].0, Health::Red, "{found:?}");
        assert!(found[0].1[0].contains("0 % chance of its target 2027-01-08 (red below 50 %)"), "{found:?}");
        assert!(found[0].1[1].contains("is 5 working days after the target"), "{found:?}");
        assert_eq!(found[1], (Health::Green, vec![]));
        assert_eq!(found[2], (Health::Green, vec![]), "no target, nothing to judge dates by");
    }

    #[test]
    fn the_plan_sets_the_thresholds() {
        // Chances no longer count and five days late is within the red limit:
        // amber for the lateness alone.
        let thresholds =
            "findings:\n  thresholds: { health_green_chance: 0, health_red_chance: 0, health_red_days: 6 }\n";
        let found = verdicts("  - { id: early, title: e, requires: [A], target: 2027-01-08 }\n", thresholds);
        assert_eq!(found[0].0, Health::Amber, "{found:?}");
        assert_eq!(found[0].1.len(), 1, "{found:?}");
        let stricter = "findings:\n  thresholds: { health_red_days: 4 }\n";
        assert_eq!(
            verdicts("  - { id: early, title: e, requires: [A], target: 2027-01-08 }\n", stricter)[0].0,
            Health::Red
        );
    }
}
