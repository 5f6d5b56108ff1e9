//! The path to green: for each milestone that is not green, the one or two
//! changes that would make it green, found by the what-if engine. The
//! changes tried are one more person on a team whose unfinished work the
//! milestone needs (from the day after the status date), cutting work not
//! yet started that it needs with no slack to it (though it does not
//! require it by name), and resolving a live risk that threatens it. Each is forecast with the report's seed;
//! a change "makes it green" when, with it, the milestone's chance and P80
//! pass the health rules (decisions and blockers are not changed by it and
//! are said to remain).

use chrono::NaiveDate;
use linchpin_engine::forecast::{Forecast, ForecastOptions, forecast_in_order, priority_order};
use linchpin_engine::progress::Quiet;
use linchpin_model::{Change, ContractStatus, Health, ItemId, ItemStatus, MilestoneId, Program, RiskId, TeamId};

use crate::Facts;
use crate::health::{Assessment, needs, p80_days_late, team_feeds, threatens};
use crate::text::{percent, plain};

/// The most changes tried: teams first (by how many of the milestones that
/// are not green their work feeds), then cuts, risks (by exposure) and
/// interfaces agreed by their expected dates; half as many
/// on a program of more than 2,000 items, where each forecast costs more.
pub const MOST_CHANGES: usize = 15;
const LARGE_PROGRAM_ITEMS: usize = 2_000;
/// Iterations per forecast of a change: the report's, shared out among the
/// changes so the whole search costs about one more forecast, never fewer
/// than this.
pub const LEAST_ITERATIONS: usize = 200;

#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    pub milestone: MilestoneId,
    /// The change, or the two, in words.
    pub changes: Vec<String>,
    /// The milestone's P80 with the change, and the working days it buys
    /// against the same iterations without it.
    pub p80_after: NaiveDate,
    pub p80_gain: f64,
    pub chance_after: Option<f64>,
    /// The iterations each change was forecast with.
    pub iterations: usize,
    /// Whether the milestone's dates then pass the health rules' chance
    /// and P80 tests.
    pub dates_pass: bool,
    /// What would clear what holds it back that no schedule change clears
    /// (an open decision, an unescalated blocker), in a few words each.
    pub held: Vec<String>,
    /// Whether it is then green: its dates pass and nothing holds it.
    pub green: bool,
}

struct Candidate {
    /// One change in words, one or more to the program.
    changes: Vec<Change>,
    words: String,
    /// The milestones it can move: those whose work the team does, that
    /// need the item cut (not by name), or that the risk threatens. It is
    /// proposed for no other.
    moves: Vec<MilestoneId>,
}

pub fn paths(facts: &Facts, assessment: &Assessment, options: ForecastOptions) -> Vec<Step> {
    let program = facts.program;
    let off: Vec<MilestoneId> =
        assessment.milestones.iter().filter(|m| m.health != Health::Green).map(|m| m.milestone).collect();
    let with_target: Vec<MilestoneId> =
        off.iter().copied().filter(|m| program.milestone(*m).target.is_some()).collect();
    let reasons = |m: MilestoneId| assessment.milestones.iter().find(|a| a.milestone == m).map(|a| &a.reasons);
    let held =
        |m: MilestoneId| -> Vec<String> { reasons(m).into_iter().flatten().filter_map(|r| r.act.clone()).collect() };
    let late = |m: MilestoneId| reasons(m).into_iter().flatten().any(|r| r.about_dates());
    // A milestone whose dates already pass is held only by a decision or a
    // blocker: no schedule change can make it green, so none is tried.
    let mut steps: Vec<Step> = with_target
        .iter()
        .filter(|&&m| !late(m))
        .map(|&m| {
            let shown = &facts.forecast.milestones()[m.index()];
            Step {
                milestone: m,
                changes: Vec::new(),
                p80_after: shown.p80_date,
                p80_gain: 0.0,
                chance_after: shown.probability_on_target,
                iterations: 0,
                dates_pass: true,
                held: held(m),
                green: false,
            }
        })
        .collect();
    let with_target: Vec<MilestoneId> = with_target.into_iter().filter(|&m| late(m)).collect();
    let most = if program.items().len() > LARGE_PROGRAM_ITEMS { MOST_CHANGES / 2 } else { MOST_CHANGES };
    let mut candidates = candidates(program, facts.roadmap, &with_target);
    candidates.truncate(most);
    if candidates.is_empty() {
        steps.extend(with_target.iter().map(|&m| {
            let shown = &facts.forecast.milestones()[m.index()];
            Step {
                milestone: m,
                changes: Vec::new(),
                p80_after: shown.p80_date,
                p80_gain: 0.0,
                chance_after: shown.probability_on_target,
                iterations: 0,
                dates_pass: false,
                held: held(m),
                green: false,
            }
        }));
        steps.sort_by_key(|s| s.milestone);
        return steps;
    }
    let what_ifs = WhatIfs::new(program, options, candidates.len());
    let iterations = what_ifs.options.iterations;
    let run = |changes: &[Change]| what_ifs.run(changes);
    let Some(baseline) = run(&[]) else {
        steps.sort_by_key(|s| s.milestone);
        return steps;
    };
    let singles: Vec<Option<Forecast>> = candidates.iter().map(|c| run(&c.changes)).collect();
    // Pairs, forecast once for every milestone that tries them.
    let mut pairs: std::collections::HashMap<(usize, usize), Option<Forecast>> = Default::default();
    let thresholds = program.thresholds();
    let green = |f: &Forecast, m: MilestoneId| {
        let t = &f.milestones()[m.index()];
        let Some(target) = program.milestone(m).target else { return false };
        let late = p80_days_late(facts, t, target);
        t.probability_on_target.is_some_and(|c| c >= thresholds.health_green_chance) && late <= 1e-9
    };
    for m in with_target {
        let before = &baseline.milestones()[m.index()];
        // The changes that move this milestone's P80 most, best first.
        let mut ranked: Vec<(usize, f64)> = singles
            .iter()
            .enumerate()
            .filter(|(i, _)| candidates[*i].moves.contains(&m))
            .filter_map(|(i, f)| f.as_ref().map(|f| (i, before.p80 - f.milestones()[m.index()].p80)))
            .filter(|&(_, gain)| gain > 1e-9)
            .collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let Some(&(best, _)) = ranked.first() else {
            let shown = &facts.forecast.milestones()[m.index()];
            steps.push(Step {
                milestone: m,
                changes: Vec::new(),
                p80_after: shown.p80_date,
                p80_gain: 0.0,
                chance_after: shown.probability_on_target,
                iterations,
                dates_pass: false,
                held: held(m),
                green: false,
            });
            continue;
        };
        let mut chosen = vec![best];
        let mut after = singles[best].clone().expect("ranked");
        if !green(&after, m) {
            // Two together, among the three that help most alone.
            let top: Vec<usize> = ranked.iter().take(3).map(|r| r.0).collect();
            let mut best_pair: Option<(Vec<usize>, Forecast)> = None;
            for (a, &i) in top.iter().enumerate() {
                for &j in &top[a + 1..] {
                    let key = (i.min(j), i.max(j));
                    let forecast = pairs
                        .entry(key)
                        .or_insert_with(|| run(&[&candidates[key.0].changes[..], &candidates[key.1].changes].concat()));
                    let Some(f) = forecast.clone() else { continue };
                    let better = best_pair
                        .as_ref()
                        .is_none_or(|(_, b)| f.milestones()[m.index()].p80 < b.milestones()[m.index()].p80);
                    if green(&f, m) || better {
                        let done = green(&f, m);
                        best_pair = Some((vec![i, j], f));
                        if done {
                            break;
                        }
                    }
                }
                if best_pair.as_ref().is_some_and(|(_, f)| green(f, m)) {
                    break;
                }
            }
            if let Some((pair, f)) = best_pair
                && f.milestones()[m.index()].p80 < after.milestones()[m.index()].p80
            {
                chosen = pair;
                after = f;
            }
        }
        let t = &after.milestones()[m.index()];
        // What the change buys is measured against the same iterations
        // without it, and taken off the P80 the report shows.
        let gain = before.p80 - t.p80;
        let shown = &facts.forecast.milestones()[m.index()];
        let dates_pass = green(&after, m);
        let held = held(m);
        steps.push(Step {
            milestone: m,
            changes: chosen.iter().map(|&i| candidates[i].words.clone()).collect(),
            p80_after: facts.roadmap.days.finish_date((shown.p80 - gain).max(1.0)),
            p80_gain: gain,
            chance_after: t.probability_on_target,
            iterations,
            dates_pass,
            green: dates_pass && held.is_empty(),
            held,
        });
    }
    steps.sort_by_key(|s| s.milestone);
    steps
}

/// Forecasts of what-ifs against the same iterations without them: the
/// report's iterations shared out among the changes and the baseline (at
/// least [`LEAST_ITERATIONS`] each), with the report's other settings.
struct WhatIfs<'a> {
    program: &'a Program,
    options: ForecastOptions,
    /// The priority order every what-if is forecast in on a large program,
    /// or none: up to [`LARGE_PROGRAM_ITEMS`] items each changed plan
    /// searches its own, as `linchpin forecast` on that plan does, so the
    /// numbers are the ones it would give; past that one search serves
    /// every change (people and risks change no item or link), which keeps
    /// the report within a few forecasts' time, and the report says so.
    order: Option<linchpin_engine::forecast::PriorityOrder>,
}

impl<'a> WhatIfs<'a> {
    fn new(program: &'a Program, options: ForecastOptions, changes: usize) -> Self {
        let iterations = (options.iterations / (changes + 1)).max(LEAST_ITERATIONS).min(options.iterations);
        let options = ForecastOptions { iterations, ..options };
        let order = if shares_order(program, options) { priority_order(program, options).ok() } else { None };
        WhatIfs { program, options, order }
    }

    /// The program with `changes` made, forecast; none when they cannot be.
    fn run(&self, changes: &[Change]) -> Option<Forecast> {
        let changed = self.program.changed(changes).ok()?;
        forecast_in_order(&changed, self.options, self.order.as_ref(), &Quiet).ok()
    }
}

/// Whether the what-ifs share one priority order: past 2,000 items.
pub fn shares_order(program: &Program, options: ForecastOptions) -> bool {
    options.capacity && program.items().len() > LARGE_PROGRAM_ITEMS
}

/// The most risks whose cost at P80 is measured for the top risks.
pub const MOST_RISKS_MEASURED: usize = 8;

/// What each live risk with a schedule impact costs each milestone at
/// P80, in working days: the forecast with it resolved against the same
/// iterations with it live (the report's iterations shared out, at least
/// `LEAST_ITERATIONS` each, in one priority order). The risks with the
/// most exposure first, at most [`MOST_RISKS_MEASURED`].
pub fn risk_costs(facts: &Facts, options: ForecastOptions) -> Vec<(RiskId, Vec<f64>)> {
    let program = facts.program;
    let mut risks: Vec<(u8, RiskId)> = program
        .risks()
        .iter()
        .enumerate()
        .filter(|(_, r)| r.status.is_live() && r.schedule_impact.is_some())
        .map(|(i, r)| (r.exposure(), RiskId::new(i)))
        .collect();
    risks.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    risks.truncate(MOST_RISKS_MEASURED);
    if risks.is_empty() {
        return Vec::new();
    }
    let what_ifs = WhatIfs::new(program, options, risks.len());
    let run = |changes: &[Change]| what_ifs.run(changes);
    let Some(baseline) = run(&[]) else { return Vec::new() };
    risks
        .into_iter()
        .filter_map(|(_, risk)| {
            let resolved = run(&[Change::Resolve { risk }])?;
            let costs = baseline.milestones().iter().zip(resolved.milestones()).map(|(b, r)| b.p80 - r.p80).collect();
            Some((risk, costs))
        })
        .collect()
}

/// The most changes of each kind tried: people, cut items, risks,
/// interfaces agreed.
const MOST_OF_A_KIND: (usize, usize, usize, usize) = (5, 3, 4, 3);

fn candidates(program: &Program, roadmap: &linchpin_engine::schedule::Schedule, off: &[MilestoneId]) -> Vec<Candidate> {
    let needs = needs(program);
    let from = program.status_date().map(|d| d.succ_opt().unwrap_or(d));
    let works_for = |team: TeamId| -> Vec<MilestoneId> {
        off.iter().copied().filter(|&m| team_feeds(program, &needs, team, m)).collect()
    };
    let mut teams: Vec<(usize, TeamId)> = (0..program.teams().len())
        .map(|t| {
            let team = TeamId::new(t);
            (works_for(team).len(), team)
        })
        .filter(|&(feeds, _)| feeds > 0)
        .collect();
    teams.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    teams.truncate(MOST_OF_A_KIND.0);
    let mut out: Vec<Candidate> = teams
        .into_iter()
        .map(|(_, team)| {
            let t = program.team(team);
            let now = from.map_or(t.capacity, |d| t.capacity_on(d));
            let when = from.map_or("from the start".to_owned(), |d| format!("from {d}"));
            Candidate {
                changes: vec![Change::Capacity { team, people: now + 1, from }],
                words: format!("one more person on {} ({} instead of {now}) {when}", plain(&t.key), now + 1),
                moves: works_for(team),
            }
        })
        .collect();
    let mut risks: Vec<(u8, RiskId)> = program
        .risks()
        .iter()
        .enumerate()
        .filter(|(_, r)| r.status.is_live() && r.schedule_impact.is_some())
        .filter(|(_, r)| off.iter().any(|&m| threatens(r, &needs, m)))
        .map(|(i, r)| (r.exposure(), RiskId::new(i)))
        .collect();
    risks.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    risks.truncate(MOST_OF_A_KIND.2);
    // Cutting work not yet started that a milestone needs with no slack to
    // it, though it does not require it by name: the longest first.
    let mut cuts: Vec<(f64, ItemId)> = (0..program.items().len())
        .map(ItemId::new)
        .filter(|&i| program.item(i).status == ItemStatus::NotStarted)
        .filter(|&i| {
            off.iter().any(|m| {
                !program.milestone(*m).requires.contains(&i)
                    && roadmap.item(i).milestone_slack.iter().any(|&(ms, slack)| ms == *m && slack <= 1e-9)
            })
        })
        .map(|i| (program.item(i).likely_days(), i))
        .filter(|&(days, _)| days > 0.0)
        .collect();
    cuts.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    out.extend(cuts.into_iter().take(MOST_OF_A_KIND.1).map(|(_, item)| {
        Candidate {
            changes: vec![Change::Estimate { item, estimate: linchpin_model::Estimate::exact(0.0) }],
            words: format!("cut {} from the scope", crate::text::titled(program, item)),
            moves: off
                .iter()
                .copied()
                .filter(|m| needs[m.index()][item.index()] && !program.milestone(*m).requires.contains(&item))
                .collect(),
        }
    }));
    out.extend(risks.into_iter().map(|(_, risk)| {
        let r = program.risk(risk);
        Candidate {
            changes: vec![Change::Resolve { risk }],
            words: format!("resolve risk {} ({})", plain(&r.key), plain(&r.title)),
            moves: off.iter().copied().filter(|&m| threatens(r, &needs, m)).collect(),
        }
    }));
    out.extend(agreements(program, roadmap, &needs, off).into_iter().take(MOST_OF_A_KIND.3));
    out
}

/// Agreeing a contract by its expected date (or, when that has passed, by
/// the day after the status date): for each draft or proposed interface
/// whose agreement is an item the schedule finishes later than that, or
/// could (started as planned, at its pessimistic estimate), the item done
/// by then: with no work left and its successors free from the
/// next day if not started, with the working days to that date left if
/// under way. Latest-planned first.
fn agreements(
    program: &Program,
    roadmap: &linchpin_engine::schedule::Schedule,
    needs: &[Vec<bool>],
    off: &[MilestoneId],
) -> Vec<Candidate> {
    let status = program.status_date();
    let mut found: Vec<(f64, Candidate)> = Vec::new();
    for interface in program.interfaces() {
        if !matches!(interface.status, ContractStatus::Draft | ContractStatus::Proposed) {
            continue;
        }
        let (Some(item), Some(expected)) = (interface.defined_by, interface.expected) else { continue };
        let work = program.item(item);
        if work.status == ItemStatus::Done {
            continue;
        }
        let passed = status.is_some_and(|s| expected <= s);
        let by = match status {
            Some(s) if passed => s.succ_opt().unwrap_or(s),
            _ => expected,
        };
        // Worth agreeing when the item is planned to finish later, or could:
        // started as planned and taking its pessimistic estimate.
        let scheduled = roadmap.item(item);
        let pessimistic = match (work.status, work.remaining) {
            (ItemStatus::InProgress, Some(left)) => left.max(scheduled.finish - scheduled.start),
            _ => work.estimate.map_or(0.0, |e| e.pessimistic),
        };
        let (finish, latest) = (scheduled.finish, scheduled.start + pessimistic);
        let end_of_by = roadmap.days.time_at_end_of(by);
        if finish.max(latest) <= end_of_by + 1e-9 {
            continue;
        }
        let moves: Vec<MilestoneId> = off.iter().copied().filter(|m| needs[m.index()][item.index()]).collect();
        if moves.is_empty() {
            continue;
        }
        let changes = if work.status == ItemStatus::NotStarted {
            let next = by.succ_opt().unwrap_or(by);
            vec![
                Change::Estimate { item, estimate: linchpin_model::Estimate::exact(0.0) },
                Change::NotBefore { item, date: next },
            ]
        } else {
            let now = status.map_or(0.0, |s| roadmap.days.time_at_end_of(s));
            let left = (roadmap.days.time_at_end_of(by) - now).max(0.0);
            vec![Change::Estimate { item, estimate: linchpin_model::Estimate::exact(left) }]
        };
        let when =
            if passed { format!("now (it was expected by {expected})") } else { format!("by {by}, as expected") };
        let plan = if finish > end_of_by + 1e-9 {
            format!("is planned to finish {}", roadmap.days.finish_date(finish))
        } else {
            format!("could take until {}", roadmap.days.finish_date(latest))
        };
        let words = format!(
            "agree interface {} ({}) {when}: {}, which agrees it, {plan}",
            plain(&interface.key),
            plain(&interface.name),
            crate::text::titled(program, item)
        );
        found.push((finish.max(latest), Candidate { changes, words, moves }));
    }
    found.sort_by(|a, b| b.0.total_cmp(&a.0));
    found.into_iter().map(|(_, c)| c).collect()
}

/// A step as a table row: milestone, changes, P80 with them and what they
/// buy, chance with them, and whether that is green.
pub fn row(program: &Program, step: &Step) -> Vec<String> {
    // By key: the milestone table above the path to green gives the titles.
    let name = plain(&program.milestone(step.milestone).key);
    let held = undated_acts(&step.held);
    if step.changes.is_empty() && step.dates_pass {
        return vec![
            name,
            "no schedule change needed: its dates pass".to_owned(),
            step.p80_after.to_string(),
            step.chance_after.map_or("-".to_owned(), percent),
            format!("green after {held}"),
        ];
    }
    if step.changes.is_empty() {
        return vec![
            name,
            "none of the changes tried moves its P80".to_owned(),
            "-".to_owned(),
            "-".to_owned(),
            "not green".to_owned(),
        ];
    }
    let then = if step.green {
        "green".to_owned()
    } else if step.dates_pass {
        format!("its dates pass; green after {held}")
    } else {
        "closer, not green".to_owned()
    };
    vec![
        name,
        step.changes.join(", and "),
        // The column names the unit.
        format!("{} ({} sooner)", step.p80_after, (step.p80_gain * 10.0).round() / 10.0),
        step.chance_after.map_or("-".to_owned(), percent),
        then,
    ]
}

/// What holds a milestone, as one phrase: a verb said twice in a row is
/// said once ("deciding D3 by 2026-11-24 and D2 by 2026-12-02").
pub fn acts(acts: &[String]) -> String {
    let mut said: Vec<&str> = Vec::new();
    let mut verb = None;
    for act in acts {
        let (first, rest) = act.split_once(' ').unwrap_or((act, ""));
        said.push(if verb == Some(first) && !rest.is_empty() { rest } else { act });
        verb = Some(first);
    }
    crate::text::list(&said)
}

/// What holds a milestone without the dates (which the decisions and the
/// reasons give), as one phrase: "deciding D3 and D2".
pub fn undated_acts(held: &[String]) -> String {
    acts(&held.iter().map(|a| undated(a).to_owned()).collect::<Vec<_>>())
}

/// An act without the date it is due by ("deciding D3 by 2026-11-24" is
/// "deciding D3").
fn undated(act: &str) -> &str {
    match act.rsplit_once(" by ") {
        Some((head, date)) if date.parse::<chrono::NaiveDate>().is_ok() => head,
        _ => act,
    }
}
