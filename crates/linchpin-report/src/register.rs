//! The three registers as documents. Every number comes from the facts as
//! the other commands print them: dates and chances from the forecast,
//! slack and dates from the roadmap, findings as `linchpin findings` words
//! them.

use linchpin_model::{
    Change, ContractStatus, DecisionStatus, Health, ItemId, ItemStatus, MilestoneId, Program, RiskId, TeamId,
};

use crate::document::{Block, Document, Inline};
use crate::health::{Assessment, Reported, assess, needs, threatens};
use crate::text::{days, list, percent, plain, titled};
use crate::{Audience, Facts, charts};

/// Cross-team hand-offs within this many working days of the status date
/// are "due next".
pub const HANDOFF_WINDOW_DAYS: f64 = 10.0;

/// The engineering register draws the S-curves of at most this many
/// milestones that are not green.
pub const MOST_CURVES: usize = 4;

/// The report for `audience`.
pub fn report(facts: &Facts, audience: Audience) -> Document {
    let assessment = assess(facts);
    let mut doc = Document::default();
    match audience {
        Audience::Executive => executive(facts, &assessment, &mut doc),
        Audience::Engineering => engineering(facts, &assessment, &mut doc),
        Audience::Team(team) => team_register(facts, &assessment, team, &mut doc),
    }
    basis(facts, &mut doc);
    doc
}

pub fn health_word(health: Health) -> &'static str {
    match health {
        Health::Green => "green",
        Health::Amber => "amber",
        Health::Red => "red",
    }
}

fn as_of(program: &Program) -> String {
    program.status_date().map_or(String::new(), |d| format!(", as of {d}"))
}

fn milestone_name(program: &Program, m: MilestoneId) -> String {
    let milestone = program.milestone(m);
    format!("{} ({})", plain(&milestone.key), plain(&milestone.title))
}

/// Names that are equal by `by`, together, in the order first seen:
/// `[("+5", "M1"), ("+1", "M3"), ("+5", "M5")]` is `+5: M1, M5; +1: M3`.
fn grouped(pairs: impl IntoIterator<Item = (String, String)>) -> Vec<(String, Vec<String>)> {
    let mut groups: Vec<(String, Vec<String>)> = Vec::new();
    for (by, name) in pairs {
        match groups.iter_mut().find(|(b, _)| *b == by) {
            Some((_, names)) => names.push(name),
            None => groups.push((by, vec![name])),
        }
    }
    groups
}

/// The program's health in two sentences, then what the last status update
/// said where it differs.
fn headline(facts: &Facts, assessment: &Assessment, doc: &mut Document) {
    let program = facts.program;
    let off: Vec<_> = assessment.milestones.iter().filter(|m| m.health != Health::Green).collect();
    let word = health_word(assessment.health);
    let verdict = Inline::Strong(format!("Health: {word}."));
    match off.iter().max_by_key(|m| m.health) {
        None => {
            let text = match program.milestones().len() {
                0 => " The plan has no milestones, so no commitment is measured: add milestones with target dates to see whether each will be met.".to_owned(),
                1 => " Its one milestone is on track by the numbers.".to_owned(),
                count => format!(" All {count} milestones are on track by the numbers."),
            };
            doc.paragraph(vec![verdict, Inline::Text(text)]);
        }
        Some(worst) => {
            let red = off.iter().filter(|m| m.health == Health::Red).count();
            let names: Vec<String> = off.iter().map(|m| plain(&program.milestone(m.milestone).key)).collect();
            let why = worst.reasons.first().map_or(String::new(), |r| r.text.clone());
            let total = program.milestones().len();
            let are = if off.len() == 1 { "is" } else { "are" };
            let noun = if total == 1 { "milestone" } else { "milestones" };
            let text = format!(
                " {} of {total} {noun} {are} off track ({red} red): {}. The worst is {}: {why}.",
                off.len(),
                list(&names),
                milestone_name(program, worst.milestone),
            );
            doc.paragraph(vec![verdict, Inline::Text(text)]);
        }
    }
    if let Some(reported) = &assessment.reported
        && reported.health != assessment.health
    {
        let worst = assessment.milestones.iter().max_by_key(|m| (m.health, std::cmp::Reverse(m.milestone)));
        let why = worst.map_or(String::new(), |m| why_so(facts.program, m));
        doc.text(disagreement("The program's last status update", reported, assessment.health, &why));
    }
}

/// Why a milestone is as healthy as it is, in one clause: `M1 (title) is
/// red: 13 % chance of its target …`, its first reason.
fn why_so(program: &Program, m: &crate::health::MilestoneHealth) -> String {
    match m.reasons.first() {
        Some(reason) => {
            format!("{} is {}: {}", milestone_name(program, m.milestone), health_word(m.health), reason.text)
        }
        None => format!("{} is {}", milestone_name(program, m.milestone), health_word(m.health)),
    }
}

fn disagreement(who: &str, reported: &Reported, derived: Health, why: &str) -> String {
    let by = reported.author.as_ref().map_or(String::new(), |a| format!(" by {}", plain(a)));
    let note = reported.note.as_ref().map_or(String::new(), |n| format!(" (\"{}\")", plain(n)));
    let because = if why.is_empty() { String::new() } else { format!(", because {why}") };
    format!(
        "{who} ({}{by}) says {}{note}; the numbers say {}{because}.",
        reported.date,
        health_word(reported.health),
        health_word(derived)
    )
}

fn milestone_table(facts: &Facts, assessment: &Assessment, doc: &mut Document) {
    let program = facts.program;
    let rows = facts
        .forecast
        .milestones()
        .iter()
        .enumerate()
        .map(|(m, t)| {
            let milestone = &program.milestones()[m];
            vec![
                milestone_name(program, MilestoneId::new(m)),
                milestone.target.map_or("-".to_owned(), |d| d.to_string()),
                t.p50_date.to_string(),
                t.p80_date.to_string(),
                t.probability_on_target.map_or("-".to_owned(), percent),
                health_word(assessment.milestones[m].health).to_owned(),
            ]
        })
        .collect();
    doc.table(&["Milestone", "Target", "P50 (even odds)", "P80 (4 in 5 by then)", "Chance of target", "Health"], rows);
}

fn reasons(facts: &Facts, assessment: &Assessment, doc: &mut Document) {
    let off: Vec<_> = assessment.milestones.iter().filter(|m| m.health != Health::Green).collect();
    if off.is_empty() {
        return;
    }
    doc.heading(2, "Why not green");
    let items = off
        .into_iter()
        .map(|m| {
            // The dates in full; decisions and blockers by what clears them,
            // their detail being under the decisions needed.
            let dates: Vec<&str> = m.reasons.iter().filter(|r| r.about_dates()).map(|r| r.text.as_str()).collect();
            let acts: Vec<String> = m.reasons.iter().filter_map(|r| r.act.clone()).collect();
            let mut why = dates.join("; ");
            if !acts.is_empty() {
                let waits = format!("it waits on {}", crate::green::acts(&acts));
                why = if why.is_empty() { waits } else { format!("{why}; {waits}") };
            }
            vec![
                Inline::Strong(milestone_name(facts.program, m.milestone)),
                Inline::Text(format!(" is {}: {why}.", health_word(m.health))),
            ]
        })
        .collect();
    doc.blocks.push(Block::Bullets(items));
}

fn executive(facts: &Facts, assessment: &Assessment, doc: &mut Document) {
    let program = facts.program;
    doc.one_page = true;
    doc.heading(1, format!("{}: executive status{}", plain(program.name()), as_of(program)));
    headline(facts, assessment, doc);
    doc.heading(2, "Milestones");
    charts::milestone_curves(facts, assessment, doc);
    changes(facts, doc);
    path_to_green(facts, assessment, doc);
    top_risks(facts, doc);
    decisions(facts, doc);
}

/// Each milestone's move since the earlier plan, what moved it, and what
/// else changed.
fn changes(facts: &Facts, doc: &mut Document) {
    let Some(since) = facts.since else { return };
    doc.heading(2, format!("What changed since {}", plain(&since.label)));
    let signed = |d: f64| {
        if d.abs() < 0.05 {
            "no change".to_owned()
        } else {
            format!("{}{}", if d > 0.0 { "+" } else { "−" }, days(d.abs()))
        }
    };
    // In a cell whose column names the unit.
    let moved = |d: f64| {
        let d = (d * 10.0).round() / 10.0;
        if d.abs() < 0.05 {
            "no change".to_owned()
        } else {
            format!("{}{}", if d > 0.0 { "+" } else { "−" }, d.abs())
        }
    };
    // A milestone that did not move is named, not given a row.
    let still = |m: &&crate::since::Move| {
        m.date_then.is_some()
            && m.p80_then.is_some()
            && m.days.abs() < 0.05
            && m.p80_days.is_none_or(|d| d.abs() < 0.05)
            && m.causes.is_empty()
    };
    let unmoved: Vec<String> = since.moves.iter().filter(still).map(|m| m.milestone.clone()).collect();
    let rows: Vec<Vec<String>> = since
        .moves
        .iter()
        .filter(|m| !still(m))
        .map(|m| {
            let then = m.date_then.map_or("new".to_owned(), |d| d.to_string());
            let p80_then = m.p80_then.map_or("new".to_owned(), |d| d.to_string());
            // The four largest by name, the rest as one; shares rounded so
            // that what is shown adds up to the move shown.
            let mut shown: Vec<(String, f64, Option<f64>)> = m.causes.iter().take(4).cloned().collect();
            if m.causes.len() > 4 {
                let rest = &m.causes[4..];
                let date: f64 = rest.iter().map(|c| c.1).sum();
                let p80 = rest.iter().map(|c| c.2).sum::<Option<f64>>();
                shown.push((format!("{} other changes", rest.len()), date, p80));
            }
            let dates = in_tenths(&shown.iter().map(|c| c.1).collect::<Vec<_>>(), m.days);
            let p80s = shown
                .iter()
                .map(|c| c.2)
                .collect::<Option<Vec<f64>>>()
                .zip(m.p80_days)
                .map(|(p, total)| in_tenths(&p, total));
            let causes: Vec<String> = shown
                .iter()
                .enumerate()
                .map(|(i, (label, _, _))| match &p80s {
                    Some(p) => format!("{label}: {} (P80 {})", signed(dates[i]), signed(p[i])),
                    None => format!("{label}: {}", signed(dates[i])),
                })
                .collect();
            // By key: the milestone table above gives their titles.
            vec![
                m.milestone.clone(),
                format!("{then} → {} ({})", m.date_now, moved(m.days)),
                format!(
                    "{p80_then} → {}{}",
                    m.p80_now,
                    m.p80_days.map_or(String::new(), |d| format!(" ({})", moved(d)))
                ),
                if causes.is_empty() { "-".to_owned() } else { causes.join("; ") },
            ]
        })
        .collect();
    if !rows.is_empty() {
        doc.table(&["Milestone", "Planned date (move in working days)", "P80 (move)", "Why it moved"], rows);
    }
    if !unmoved.is_empty() {
        let verb = if unmoved.len() == 1 { "did" } else { "each did" };
        doc.text(format!("{} {verb} not move: planned date and P80 as they were.", list(&unmoved)));
    }
    charts::milestone_trend(facts, facts.trend, doc);
    if let Some(why) = &since.unattributed {
        doc.text(format!("Not shared out: {why}."));
    }
    let lists = [
        ("New risks", &since.risks_added),
        ("Risks closed", &since.risks_closed),
        ("Targets moved", &since.targets_moved),
        ("Decisions made", &since.decisions_made),
        ("Blockers raised", &since.blockers_raised),
        ("Blockers cleared", &since.blockers_cleared),
    ];
    let items: Vec<Vec<Inline>> = lists
        .iter()
        .filter(|(_, l)| !l.is_empty())
        .map(|(name, l)| vec![Inline::Strong(format!("{name}:")), Inline::Text(format!(" {}.", list(l)))])
        .collect();
    if !items.is_empty() {
        doc.blocks.push(Block::Bullets(items));
    }
}

fn path_to_green(facts: &Facts, assessment: &Assessment, doc: &mut Document) {
    let steps = crate::green::paths(facts, assessment, facts.options);
    if steps.is_empty() {
        asks(facts, &[], doc);
        return;
    }
    doc.heading(2, "Path to green");
    let iterations = steps.iter().map(|s| s.iterations).max().unwrap_or(0);
    let mut intro = format!(
        "For each milestone that is not green, the change (or two) that moves its P80 most among one more person on a team, cutting work with no slack, resolving a risk and agreeing an interface by its expected date, each forecast again with the same seed over {iterations} iterations."
    );
    if crate::green::shares_order(facts.program, facts.options) {
        intro.push_str(" On a program this size every change is forecast in today's order of work, found once; `linchpin forecast` on a changed plan searches an order of its own, so its dates can differ.");
    }
    doc.text(intro);
    // Milestones by key: the milestone table above gives their titles.
    // Those whose dates already pass need no change: a sentence, grouped
    // by what holds them, rather than a row each.
    let settled = |s: &&crate::green::Step| s.changes.is_empty() && s.dates_pass;
    let held = grouped(
        steps
            .iter()
            .filter(settled)
            .map(|step| (crate::green::undated_acts(&step.held), plain(&facts.program.milestone(step.milestone).key))),
    );
    let rows: Vec<Vec<String>> =
        steps.iter().filter(|s| !settled(s)).map(|s| crate::green::row(facts.program, s)).collect();
    if !rows.is_empty() {
        doc.table(&["Milestone", "Change", "P80 with it (working days sooner)", "Chance with it", "Then"], rows);
    }
    if !held.is_empty() {
        let all: Vec<String> = held.iter().flat_map(|(_, keys)| keys.iter().cloned()).collect();
        let (need, their) = if all.len() == 1 { ("needs", "its") } else { ("need", "their") };
        let each: Vec<String> = held.iter().map(|(acts, keys)| format!("{} after {acts}", list(keys))).collect();
        doc.text(format!(
            "{} {need} no schedule change to be green, {their} dates already pass: {}.",
            list(&all),
            each.join("; ")
        ));
    }
    asks(facts, &steps, doc);
}

/// The three live risks with the most exposure, in terms of what they
/// threaten.
/// The three live risks that cost the milestones most at P80 (measured by
/// forecasting with each resolved), then by exposure: which commitments
/// each threatens, what it costs them at P80, and what firing means.
fn top_risks(facts: &Facts, doc: &mut Document) {
    let program = facts.program;
    let needs = needs(program);
    let live: Vec<RiskId> =
        (0..program.risks().len()).map(RiskId::new).filter(|&r| program.risk(r).status.is_live()).collect();
    if live.is_empty() {
        return;
    }
    let costs = crate::green::risk_costs(facts, facts.options);
    let cost_of = |r: RiskId| costs.iter().find(|c| c.0 == r).map(|c| &c.1);
    let worst = |r: RiskId| cost_of(r).map_or(0.0, |c| c.iter().copied().fold(0.0, f64::max));
    let mut ranked = live;
    ranked.sort_by(|&a, &b| {
        let (ra, rb) = (program.risk(a), program.risk(b));
        worst(b).total_cmp(&worst(a)).then(rb.exposure().cmp(&ra.exposure())).then(ra.key.cmp(&rb.key))
    });
    doc.heading(2, "Top risks");
    let rows = ranked
        .into_iter()
        .take(3)
        .map(|r| {
            let risk = program.risk(r);
            let threatened: Vec<MilestoneId> =
                (0..program.milestones().len()).map(MilestoneId::new).filter(|&m| threatens(risk, &needs, m)).collect();
            // By key: the milestone table above gives their titles.
            let names: Vec<String> = threatened.iter().map(|m| plain(&program.milestone(*m).key)).collect();
            let at_p80 = match cost_of(r) {
                None => "not measured (no schedule impact recorded)".to_owned(),
                Some(c) => {
                    let mut hit: Vec<(MilestoneId, f64)> =
                        threatened.iter().map(|&m| (m, c[m.index()])).filter(|&(_, d)| d >= 0.5).collect();
                    hit.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
                    if hit.is_empty() {
                        "under a day on any milestone".to_owned()
                    } else {
                        let shown: Vec<String> = hit
                            .iter()
                            .take(3)
                            .map(|&(m, d)| format!("{} {}", plain(&program.milestone(m).key), d.round()))
                            .collect();
                        shown.join(", ")
                    }
                }
            };
            let fires = risk.schedule_impact.map_or("no schedule impact recorded".to_owned(), |i| {
                format!(
                    "{} likely; its work {} later (up to {})",
                    percent(i.probability),
                    days(i.delay.likely),
                    (i.delay.pessimistic * 10.0).round() / 10.0
                )
            });
            vec![
                format!("{} ({})", plain(&risk.key), plain(&risk.title)),
                if names.is_empty() { "-".to_owned() } else { list(&names) },
                at_p80,
                fires,
                format!("{} × {} = {}", risk.likelihood, risk.impact, risk.exposure()),
                risk.owner.as_deref().map_or("-".to_owned(), plain),
            ]
        })
        .collect();
    doc.table(
        &["Risk", "Threatens", "Costs at P80 (working days)", "If it fires", "Likelihood × impact", "Owner"],
        rows,
    );
    charts::risk_heat_map(facts, doc);
}

fn decisions(facts: &Facts, doc: &mut Document) {
    let program = facts.program;
    let open: Vec<_> = facts.findings.decisions.iter().filter(|d| d.needed_by.is_some()).collect();
    if open.is_empty() {
        return;
    }
    doc.heading(2, "Decisions needed");
    let rows = open
        .into_iter()
        .map(|d| {
            let decision = program.decision(d.decision);
            let who = decision.approver.as_deref().or(decision.driver.as_deref()).map_or("-".to_owned(), plain);
            let needed = d.needed_by.map_or("-".to_owned(), |n| n.to_string());
            let overdue = if d.working_days_left.is_some_and(|l| l < 0.0) { " (overdue)" } else { "" };
            let waiting: Vec<String> = d.waiting.iter().take(2).map(|&i| titled(program, i)).collect();
            let more = d.waiting.len().saturating_sub(2);
            let more = if more > 0 { format!(" and {more} more") } else { String::new() };
            vec![
                format!("{} ({})", plain(&decision.key), plain(&decision.question)),
                who,
                format!("{needed}{overdue}"),
                format!("{}{more}", waiting.join(", ")),
                week_late(facts, d),
            ]
        })
        .collect();
    doc.table(&["Decision", "Who decides", "Needed by", "Work waiting", "A week late costs"], rows);
}

/// What deciding a week after the needed-by date moves: the milestones
/// whose planned date moves when the work waiting on the decision cannot
/// start until a week after its latest start, decoded in the schedule's
/// own order.
fn week_late(facts: &Facts, deadline: &linchpin_findings::DecisionDeadline) -> String {
    let (program, roadmap) = (facts.program, facts.roadmap);
    let Some(latest) = deadline.latest_start else { return "-".to_owned() };
    let days = &roadmap.days;
    let later = days.start_date(days.time_at_start_of(latest) + 5.0);
    let changes: Vec<Change> = deadline.waiting.iter().map(|&item| Change::NotBefore { item, date: later }).collect();
    let Ok(changed) = program.changed(&changes) else { return "-".to_owned() };
    let Some(after) = crate::since::rescheduled(&changed, roadmap) else { return "-".to_owned() };
    // Milestones that move by the same days are named together.
    let moved = grouped(
        roadmap
            .milestones
            .iter()
            .zip(&after.milestones)
            .filter(|(before, after)| after.finish - before.finish > 0.05)
            .map(|(before, after)| {
                let by = format!("+{}", crate::text::days(after.finish - before.finish));
                (by, plain(&program.milestone(before.milestone).key))
            }),
    );
    if moved.is_empty() {
        return "no milestone moves".to_owned();
    }
    moved.iter().map(|(by, keys)| format!("{by} on {}", list(keys))).collect::<Vec<_>>().join("; ")
}

/// What the TPM should ask for: the people that would make a milestone
/// green (from the path to green), and the blockers on critical work that
/// nobody has escalated.
fn asks(facts: &Facts, steps: &[crate::green::Step], doc: &mut Document) {
    let program = facts.program;
    let thresholds = program.thresholds();
    let mut items: Vec<Vec<Inline>> = Vec::new();
    for step in steps.iter().filter(|s| s.green && s.changes.iter().all(|c| c.starts_with("one more person"))) {
        items.push(vec![
            Inline::Strong(format!("{}:", step.changes.join(" and "))),
            Inline::Text(format!(
                " brings {} to green (P80 {}, {} sooner).",
                plain(&program.milestone(step.milestone).key),
                step.p80_after,
                days(step.p80_gain)
            )),
        ]);
    }
    if let Some(as_of) = program.status_date() {
        for b in program.blockers().iter().filter(|b| b.resolved.is_none() && b.escalated_to.is_none()) {
            let age = (as_of - b.raised).num_days();
            let slack = facts.roadmap.item(b.item).total_slack;
            if age > thresholds.blocker_escalation_days as i64 && slack <= thresholds.near_critical_days + 1e-9 {
                items.push(vec![
                    Inline::Strong(format!("Escalate the blocker on {}:", titled(program, b.item))),
                    Inline::Text(format!(" {age} days old, not escalated, and the item has {} of slack.", days(slack))),
                ]);
            }
        }
    }
    if !items.is_empty() {
        doc.heading(2, "Asks");
        doc.blocks.push(Block::Bullets(items));
    }
}

fn engineering(facts: &Facts, assessment: &Assessment, doc: &mut Document) {
    let program = facts.program;
    let roadmap = facts.roadmap;
    doc.heading(1, format!("{}: engineering status{}", plain(program.name()), as_of(program)));
    headline(facts, assessment, doc);
    milestone_table(facts, assessment, doc);
    reasons(facts, assessment, doc);
    changes(facts, doc);
    // The S-curves of the milestones that are not green, worst first.
    let mut off: Vec<_> = assessment.milestones.iter().filter(|m| m.health != Health::Green).collect();
    off.sort_by_key(|m| (std::cmp::Reverse(m.health), m.milestone));
    for m in off.into_iter().take(MOST_CURVES) {
        charts::s_curve(facts, m.milestone, doc);
    }
    doc.heading(2, "Critical path");
    let rows = roadmap
        .critical_path
        .iter()
        .map(|&item| {
            vec![
                titled(program, item),
                plain(&program.team(program.item(item).team).key),
                roadmap.start_date(item).to_string(),
                roadmap.finish_date(item).to_string(),
                slack_cell(roadmap.item(item)),
            ]
        })
        .collect();
    doc.table(&["Item", "Team", "Start", "Finish", "Slack"], rows);
    charts::critical_path_map(facts, doc);
    doc.heading(2, "Roadmap");
    charts::gantt(facts, doc);
    handoffs(facts, doc);
    contracts(facts, doc);
    blockers(facts, None, doc);
    findings(facts, doc);
    owes_and_waits(facts, doc);
}

/// `shares` rounded to tenths so that they add up to `total` rounded to
/// tenths: each rounded down, then the tenths left over given to those
/// whose rounding lost most (largest remainders).
fn in_tenths(shares: &[f64], total: f64) -> Vec<f64> {
    let scaled: Vec<f64> = shares.iter().map(|s| s * 10.0).collect();
    let mut tenths: Vec<i64> = scaled.iter().map(|s| s.floor() as i64).collect();
    let left = (total * 10.0).round() as i64 - tenths.iter().sum::<i64>();
    let mut by_loss: Vec<usize> = (0..shares.len()).collect();
    by_loss
        .sort_by(|&a, &b| (scaled[b] - scaled[b].floor()).total_cmp(&(scaled[a] - scaled[a].floor())).then(a.cmp(&b)));
    if left >= 0 {
        for &i in by_loss.iter().cycle().take(left as usize) {
            tenths[i] += 1;
        }
    } else {
        for &i in by_loss.iter().rev().cycle().take(left.unsigned_abs() as usize) {
            tenths[i] -= 1;
        }
    }
    tenths.into_iter().map(|t| t as f64 / 10.0).collect()
}

fn slack_cell(s: &linchpin_engine::schedule::ItemSchedule) -> String {
    if s.slack_estimated { format!("~{}", days(s.total_slack)) } else { days(s.total_slack) }
}

/// How far a hand-off's upstream item can slip before any date moves, and
/// the milestone that sets it when one does (as the findings judge it).
fn least_slack_cell(program: &Program, s: &linchpin_engine::schedule::ItemSchedule) -> String {
    let least = s.least_slack();
    let by = s.milestone_slack.iter().filter(|m| m.1 < s.total_slack).min_by(|a, b| a.1.total_cmp(&b.1));
    let mark = if s.slack_estimated { "~" } else { "" };
    match by {
        Some(&(m, _)) => format!("{mark}{} to {}", days(least), plain(&program.milestone(m).key)),
        None => format!("{mark}{}", days(least)),
    }
}

/// A link from one team's unfinished item to another team's.
struct Handoff {
    upstream: ItemId,
    downstream: ItemId,
}

fn handoffs_of(program: &Program) -> Vec<Handoff> {
    let mut out = Vec::new();
    for (i, item) in program.items().iter().enumerate() {
        for d in &item.depends {
            let up = program.item(d.on);
            if up.team != item.team && up.status != ItemStatus::Done && item.status != ItemStatus::Done {
                out.push(Handoff { upstream: d.on, downstream: ItemId::new(i) });
            }
        }
    }
    out
}

fn lead(program: &Program, team: TeamId) -> String {
    let team = program.team(team);
    match &team.lead {
        Some(lead) => format!("{} ({})", plain(&team.key), plain(lead)),
        None => plain(&team.key),
    }
}

fn handoffs(facts: &Facts, doc: &mut Document) {
    let program = facts.program;
    let roadmap = facts.roadmap;
    let now = program.status_date().map_or(0.0, |d| roadmap.days.time_at_end_of(d));
    let mut due: Vec<Handoff> = handoffs_of(program)
        .into_iter()
        .filter(|h| roadmap.item(h.upstream).finish <= now + HANDOFF_WINDOW_DAYS + 1e-9)
        .collect();
    let finish = |h: &Handoff| roadmap.item(h.upstream).finish;
    due.sort_by(|a, b| finish(a).total_cmp(&finish(b)).then(a.downstream.cmp(&b.downstream)));
    doc.heading(2, "Hand-offs due in the next two weeks");
    if due.is_empty() {
        doc.text(format!("None: no cross-team work is due to finish in the next {}.", days(HANDOFF_WINDOW_DAYS)));
        return;
    }
    let rows = due
        .into_iter()
        .map(|h| {
            let (up, down) = (program.item(h.upstream), program.item(h.downstream));
            vec![
                titled(program, h.upstream),
                lead(program, up.team),
                roadmap.finish_date(h.upstream).to_string(),
                least_slack_cell(program, roadmap.item(h.upstream)),
                titled(program, h.downstream),
                lead(program, down.team),
                roadmap.start_date(h.downstream).to_string(),
            ]
        })
        .collect();
    doc.table(&["From", "Team", "Finishes", "Slack", "To", "Team", "Starts"], rows);
}

fn contracts(facts: &Facts, doc: &mut Document) {
    let program = facts.program;
    if program.interfaces().is_empty() {
        return;
    }
    doc.heading(2, "Interface contracts");
    let rows = program
        .interfaces()
        .iter()
        .enumerate()
        .map(|(i, interface)| {
            let agreed = matches!(interface.status, ContractStatus::Agreed | ContractStatus::Frozen);
            let when = match (interface.agreed, interface.expected, interface.defined_by) {
                (Some(date), _, _) => date.to_string(),
                (None, Some(date), _) => format!("expected {date}"),
                (None, None, Some(item)) => {
                    format!("when {} finishes, {}", plain(&program.item(item).key), facts.roadmap.finish_date(item))
                }
                _ => "-".to_owned(),
            };
            let consuming: Vec<String> = program
                .items()
                .iter()
                .filter(|item| item.status != ItemStatus::Done && item.team != interface.provider_team)
                .filter(|item| item.interfaces.iter().any(|x| x.index() == i))
                .map(|item| plain(&item.key))
                .collect();
            let status = format!("{:?}", interface.status).to_lowercase();
            let warning = if !agreed && !consuming.is_empty() { " (built before agreement)" } else { "" };
            vec![
                format!("{} ({})", plain(&interface.key), plain(&interface.name)),
                lead(program, interface.provider_team),
                format!("{status}{warning}"),
                when,
                if consuming.is_empty() { "-".to_owned() } else { list(&consuming) },
            ]
        })
        .collect();
    doc.table(&["Interface", "Provider", "Status", "Agreed", "Consumer work under way or planned"], rows);
}

fn blockers(facts: &Facts, team: Option<TeamId>, doc: &mut Document) {
    let program = facts.program;
    let open: Vec<_> = program
        .blockers()
        .iter()
        .filter(|b| b.resolved.is_none() && team.is_none_or(|t| program.item(b.item).team == t))
        .collect();
    if open.is_empty() {
        return;
    }
    doc.heading(2, "Blockers");
    let rows = open
        .into_iter()
        .map(|b| {
            vec![
                titled(program, b.item),
                plain(&b.description),
                b.raised.to_string(),
                program.status_date().map_or("-".to_owned(), |d| (d - b.raised).num_days().to_string()),
                b.owner.as_deref().map_or("-".to_owned(), plain),
                b.escalated_to.as_deref().map_or("not escalated".to_owned(), plain),
            ]
        })
        .collect();
    doc.table(&["Item", "Blocked by", "Since", "Days", "Owner", "Escalated to"], rows);
}

fn findings(facts: &Facts, doc: &mut Document) {
    let program = facts.program;
    if facts.findings.open.is_empty() {
        return;
    }
    doc.heading(2, "Open findings");
    let rows = facts
        .findings
        .open
        .iter()
        .map(|finding| {
            let words = linchpin_findings::render::words(program, finding);
            vec![finding.severity.as_str().to_owned(), plain(&finding.id(program)), plain(&words.headline)]
        })
        .collect();
    doc.table(&["Severity", "Finding", "What was found"], rows);
}

fn owes_and_waits(facts: &Facts, doc: &mut Document) {
    let program = facts.program;
    let all = handoffs_of(program);
    doc.heading(2, "What each team owes and waits on");
    charts::team_map(facts, doc);
    let rows = (0..program.teams().len())
        .map(|t| {
            let team = TeamId::new(t);
            let owes = all.iter().filter(|h| program.item(h.upstream).team == team).count();
            let waits = all.iter().filter(|h| program.item(h.downstream).team == team).count();
            vec![lead(program, team), format!("{owes} hand-offs"), format!("{waits} hand-offs")]
        })
        .collect();
    doc.table(&["Team", "Owes other teams", "Waits on other teams"], rows);
}

fn team_register(facts: &Facts, assessment: &Assessment, team: TeamId, doc: &mut Document) {
    let program = facts.program;
    let roadmap = facts.roadmap;
    doc.heading(1, format!("{}: team status{}", lead(program, team), as_of(program)));
    let health = &assessment.teams[team.index()];
    // The milestones the team's work feeds that are not green, red first.
    let named = |wanted: Health| -> Vec<String> {
        health
            .because
            .iter()
            .filter(|m| assessment.milestone(**m).health == wanted)
            .map(|m| plain(&program.milestone(*m).key))
            .collect()
    };
    let groups: Vec<String> = [(named(Health::Red), "red"), (named(Health::Amber), "amber")]
        .into_iter()
        .filter(|(names, _)| !names.is_empty())
        .map(|(names, word)| format!("{}, which {} {word}", list(&names), if names.len() == 1 { "is" } else { "are" }))
        .collect();
    let verdict = Inline::Strong(format!("Health: {}.", health_word(health.health)));
    if groups.is_empty() {
        doc.paragraph(vec![verdict, Inline::Text(" Every milestone this team's open work feeds is on track.".into())]);
    } else {
        let text = format!(" This team's open work feeds {}.", groups.join(", and "));
        doc.paragraph(vec![verdict, Inline::Text(text)]);
    }
    if let Some(reported) = &health.reported
        && reported.health != health.health
    {
        // The worst milestone the team's work feeds says why.
        let worst = health
            .because
            .iter()
            .map(|m| assessment.milestone(*m))
            .max_by_key(|m| (m.health, std::cmp::Reverse(m.milestone)));
        let why = worst.map_or(String::new(), |m| why_so(program, m));
        doc.text(disagreement("The team's last status update", reported, health.health, &why));
    }
    let all = handoffs_of(program);
    // What is due soonest first.
    let mut owes: Vec<&Handoff> = all.iter().filter(|h| program.item(h.upstream).team == team).collect();
    let start = |i: ItemId| roadmap.item(i).start;
    owes.sort_by(|a, b| start(a.downstream).total_cmp(&start(b.downstream)).then(a.downstream.cmp(&b.downstream)));
    doc.heading(2, "What we owe other teams");
    if owes.is_empty() {
        doc.text("Nothing open.");
    } else {
        let rows = owes
            .into_iter()
            .map(|h| {
                vec![
                    titled(program, h.upstream),
                    roadmap.finish_date(h.upstream).to_string(),
                    least_slack_cell(program, roadmap.item(h.upstream)),
                    titled(program, h.downstream),
                    lead(program, program.item(h.downstream).team),
                    roadmap.start_date(h.downstream).to_string(),
                ]
            })
            .collect();
        doc.table(&["Our item", "We finish", "Slack", "Their item", "Team", "They start"], rows);
    }
    let mut waits: Vec<&Handoff> = all.iter().filter(|h| program.item(h.downstream).team == team).collect();
    let finish = |i: ItemId| roadmap.item(i).finish;
    waits.sort_by(|a, b| finish(a.upstream).total_cmp(&finish(b.upstream)).then(a.upstream.cmp(&b.upstream)));
    doc.heading(2, "What we wait on");
    if waits.is_empty() {
        doc.text("Nothing open.");
    } else {
        let rows = waits
            .into_iter()
            .map(|h| {
                vec![
                    titled(program, h.upstream),
                    lead(program, program.item(h.upstream).team),
                    roadmap.finish_date(h.upstream).to_string(),
                    titled(program, h.downstream),
                    roadmap.start_date(h.downstream).to_string(),
                ]
            })
            .collect();
        doc.table(&["Their item", "Team", "Expected", "Our item", "We start"], rows);
    }
    charts::team_load(facts, team, doc);
    let mut items: Vec<ItemId> =
        (0..program.items().len()).map(ItemId::new).filter(|i| program.item(*i).team == team).collect();
    items.sort_by(|a, b| start(*a).total_cmp(&start(*b)).then(a.cmp(b)));
    doc.heading(2, "Our items");
    let rows = items
        .into_iter()
        .map(|item| {
            let s = roadmap.item(item);
            let done = program.item(item).status == ItemStatus::Done;
            let to_milestone = s
                .milestone_slack
                .iter()
                .min_by(|a, b| a.1.total_cmp(&b.1))
                .map_or("-".to_owned(), |&(m, d)| format!("{} to {}", days(d), plain(&program.milestone(m).key)));
            vec![
                titled(program, item),
                program.item(item).status.as_str().replace('_', " "),
                roadmap.start_date(item).to_string(),
                roadmap.finish_date(item).to_string(),
                if done { "-".to_owned() } else { slack_cell(s) },
                to_milestone,
            ]
        })
        .collect();
    doc.table(&["Item", "Status", "Start", "Finish", "Slack", "Least slack to a milestone"], rows);
    blockers(facts, Some(team), doc);
    let ours = |d: &&linchpin_findings::DecisionDeadline| d.waiting.iter().any(|i| program.item(*i).team == team);
    let mine: Vec<_> = facts.findings.decisions.iter().filter(ours).collect();
    if !mine.is_empty() {
        doc.heading(2, "Decisions our work waits on");
        let rows = mine
            .into_iter()
            .map(|d| {
                let decision = program.decision(d.decision);
                let status = match decision.status {
                    DecisionStatus::Open => "open",
                    DecisionStatus::Decided => "decided",
                    DecisionStatus::Superseded => "superseded",
                };
                vec![
                    format!("{} ({})", plain(&decision.key), plain(&decision.question)),
                    d.needed_by.map_or("-".to_owned(), |n| n.to_string()),
                    status.to_owned(),
                ]
            })
            .collect();
        doc.table(&["Decision", "Needed by", "Status"], rows);
    }
}

/// How the numbers were made, so a reader can reproduce them.
fn basis(facts: &Facts, doc: &mut Document) {
    let capacity = if facts.roadmap.capacity_aware { "respecting team capacity" } else { "ignoring team capacity" };
    doc.blocks.push(Block::Rule);
    doc.text(format!(
        "Dates are a {}-run Monte Carlo forecast {capacity} (linchpin forecast); slack and the critical path are the schedule's (linchpin schedule); health follows the rules in docs/report.md.",
        facts.forecast.iterations
    ));
}

#[cfg(test)]
mod rounding_tests {
    use super::in_tenths;

    #[test]
    fn rounded_shares_add_up_to_the_rounded_move() {
        // Three equal thirds of a five-day move and a split of nothing.
        assert_eq!(in_tenths(&[5.0 / 3.0, 5.0 / 3.0, 5.0 / 3.0], 5.0), [1.7, 1.7, 1.6]);
        let zero = in_tenths(&[4.24, -3.33, -0.91], 0.0);
        assert!((zero.iter().sum::<f64>()).abs() < 1e-9, "{zero:?}");
        assert_eq!(in_tenths(&[2.34, 1.33, 1.33], 5.0).iter().sum::<f64>(), 5.0);
        assert_eq!(in_tenths(&[], 0.0), Vec::<f64>::new());
    }
}
