//! The three registers as Markdown that renders on GitHub. Every number
//! comes from the facts as the other commands print them: dates and
//! chances from the forecast, slack and dates from the roadmap, findings as
//! `linchpin findings` words them.

use std::fmt::Write as _;

use chrono::NaiveDate;
use linchpin_model::{ContractStatus, DecisionStatus, Health, ItemId, ItemStatus, MilestoneId, Program, TeamId};

use crate::health::{Assessment, Reported, assess, needs};
use crate::text::{days, percent, plain, titled};
use crate::{Audience, Facts};

/// Cross-team hand-offs within this many working days of the status date
/// are "due next".
pub const HANDOFF_WINDOW_DAYS: f64 = 10.0;

/// The report for `audience`, as Markdown.
pub fn report(facts: &Facts, audience: Audience) -> String {
    let assessment = assess(facts);
    let mut out = String::new();
    match audience {
        Audience::Executive => executive(facts, &assessment, &mut out),
        Audience::Engineering => engineering(facts, &assessment, &mut out),
        Audience::Team(team) => team_register(facts, &assessment, team, &mut out),
    }
    basis(facts, &mut out);
    out
}

fn health_word(health: Health) -> &'static str {
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

fn list(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// The program's health in two sentences, then what the last status update
/// said where it differs.
fn headline(facts: &Facts, assessment: &Assessment, out: &mut String) {
    let program = facts.program;
    let off: Vec<_> = assessment.milestones.iter().filter(|m| m.health != Health::Green).collect();
    let word = health_word(assessment.health);
    if off.is_empty() {
        let count = program.milestones().len();
        let _ = writeln!(out, "**Health: {word}.** All {count} milestones are on track by the numbers.\n");
    } else {
        let red = off.iter().filter(|m| m.health == Health::Red).count();
        let names: Vec<String> = off.iter().map(|m| plain(&program.milestone(m.milestone).key)).collect();
        let worst = off.iter().max_by_key(|m| m.health).expect("one at least");
        let why = worst.reasons.first().map_or(String::new(), |r| r.text.clone());
        let _ = writeln!(
            out,
            "**Health: {word}.** {} of {} milestones are off track ({red} red): {}. The worst, {}, has {why}.\n",
            off.len(),
            program.milestones().len(),
            list(&names),
            milestone_name(program, worst.milestone),
        );
    }
    if let Some(reported) = &assessment.reported
        && reported.health != assessment.health
    {
        let _ = writeln!(out, "{}\n", disagreement("The program's last status update", reported, assessment.health));
    }
}

fn disagreement(who: &str, reported: &Reported, derived: Health) -> String {
    let by = reported.author.as_ref().map_or(String::new(), |a| format!(" by {}", plain(a)));
    let note = reported.note.as_ref().map_or(String::new(), |n| format!(" (\"{}\")", plain(n)));
    format!(
        "{who} ({}{by}) says {}{note}; the numbers say {}, for the reasons in this report.",
        reported.date,
        health_word(reported.health),
        health_word(derived)
    )
}

fn milestone_table(facts: &Facts, assessment: &Assessment, out: &mut String) {
    let program = facts.program;
    let _ = writeln!(out, "| Milestone | Target | P50 | P80 | Chance of target | Health |");
    let _ = writeln!(out, "| --- | --- | --- | --- | --- | --- |");
    for (m, t) in facts.forecast.milestones().iter().enumerate() {
        let milestone = &program.milestones()[m];
        let target = milestone.target.map_or("-".to_owned(), |d| d.to_string());
        let chance = t.probability_on_target.map_or("-".to_owned(), percent);
        let health = health_word(assessment.milestones[m].health);
        let _ = writeln!(
            out,
            "| {} | {target} | {} | {} | {chance} | {health} |",
            milestone_name(program, MilestoneId::new(m)),
            t.p50_date,
            t.p80_date
        );
    }
    out.push('\n');
}

fn reasons(facts: &Facts, assessment: &Assessment, out: &mut String) {
    let off: Vec<_> = assessment.milestones.iter().filter(|m| m.health != Health::Green).collect();
    if off.is_empty() {
        return;
    }
    let _ = writeln!(out, "## Why not green\n");
    for m in off {
        let texts: Vec<&str> = m.reasons.iter().map(|r| r.text.as_str()).collect();
        let _ = writeln!(
            out,
            "- **{}** is {}: {}.",
            milestone_name(facts.program, m.milestone),
            health_word(m.health),
            texts.join("; ")
        );
    }
    out.push('\n');
}

fn executive(facts: &Facts, assessment: &Assessment, out: &mut String) {
    let program = facts.program;
    let _ = writeln!(out, "# {}: executive status{}\n", plain(program.name()), as_of(program));
    headline(facts, assessment, out);
    let _ = writeln!(out, "## Milestones\n");
    milestone_table(facts, assessment, out);
    reasons(facts, assessment, out);
    top_risks(facts, out);
    decisions(facts, out);
}

/// The three live risks with the most exposure, in terms of what they
/// threaten.
fn top_risks(facts: &Facts, out: &mut String) {
    let program = facts.program;
    let needs = needs(program);
    let mut live: Vec<_> = program.risks().iter().filter(|r| r.status.is_live()).collect();
    live.sort_by(|a, b| {
        let delay = |r: &linchpin_model::Risk| r.schedule_impact.map_or(0.0, |i| i.probability * i.delay.likely);
        b.exposure().cmp(&a.exposure()).then(delay(b).total_cmp(&delay(a))).then(a.key.cmp(&b.key))
    });
    if live.is_empty() {
        return;
    }
    let _ = writeln!(out, "## Top risks\n");
    let _ = writeln!(out, "| Risk | Likelihood × impact | Threatens | If it fires | Owner |");
    let _ = writeln!(out, "| --- | --- | --- | --- | --- |");
    for risk in live.into_iter().take(3) {
        let mut threatened: Vec<MilestoneId> = risk.affects_milestones.clone();
        for (m, needed) in needs.iter().enumerate() {
            if risk.affects_items.iter().any(|i| needed[i.index()]) && !threatened.contains(&MilestoneId::new(m)) {
                threatened.push(MilestoneId::new(m));
            }
        }
        threatened.sort();
        let names: Vec<String> = threatened.iter().map(|m| plain(&program.milestone(*m).key)).collect();
        let fires = risk.schedule_impact.map_or("no schedule impact recorded".to_owned(), |i| {
            format!(
                "{} likely; {} later (up to {})",
                percent(i.probability),
                days(i.delay.likely),
                days(i.delay.pessimistic)
            )
        });
        let owner = risk.owner.as_deref().map_or("-".to_owned(), plain);
        let _ = writeln!(
            out,
            "| {} ({}) | {} × {} = {} | {} | {fires} | {owner} |",
            plain(&risk.key),
            plain(&risk.title),
            risk.likelihood,
            risk.impact,
            risk.exposure(),
            if names.is_empty() { "-".to_owned() } else { list(&names) },
        );
    }
    out.push('\n');
}

fn decisions(facts: &Facts, out: &mut String) {
    let program = facts.program;
    let open: Vec<_> = facts.findings.decisions.iter().filter(|d| d.needed_by.is_some()).collect();
    if open.is_empty() {
        return;
    }
    let _ = writeln!(out, "## Decisions needed\n");
    let _ = writeln!(out, "| Decision | Who decides | Needed by | Work waiting |");
    let _ = writeln!(out, "| --- | --- | --- | --- |");
    for d in open {
        let decision = program.decision(d.decision);
        let who = decision.approver.as_deref().or(decision.driver.as_deref()).map_or("-".to_owned(), plain);
        let needed = d.needed_by.map_or("-".to_owned(), |n| n.to_string());
        let overdue = if d.working_days_left.is_some_and(|l| l < 0.0) { " (overdue)" } else { "" };
        let waiting: Vec<String> = d.waiting.iter().take(3).map(|i| titled(program, *i)).collect();
        let more = d.waiting.len().saturating_sub(3);
        let more = if more > 0 { format!(" and {more} more") } else { String::new() };
        let _ = writeln!(
            out,
            "| {} ({}) | {who} | {needed}{overdue} | {}{more} |",
            plain(&decision.key),
            plain(&decision.question),
            waiting.join(", ")
        );
    }
    out.push('\n');
}

fn engineering(facts: &Facts, assessment: &Assessment, out: &mut String) {
    let program = facts.program;
    let roadmap = facts.roadmap;
    let _ = writeln!(out, "# {}: engineering status{}\n", plain(program.name()), as_of(program));
    headline(facts, assessment, out);
    milestone_table(facts, assessment, out);
    let _ = writeln!(out, "## Critical path\n");
    let _ = writeln!(out, "| Item | Team | Start | Finish | Slack |");
    let _ = writeln!(out, "| --- | --- | --- | --- | --- |");
    for &item in &roadmap.critical_path {
        let s = roadmap.item(item);
        let team = &program.team(program.item(item).team).key;
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            titled(program, item),
            plain(team),
            roadmap.start_date(item),
            roadmap.finish_date(item),
            slack_cell(s)
        );
    }
    out.push('\n');
    handoffs(facts, out);
    contracts(facts, out);
    blockers(facts, None, out);
    findings(facts, out);
    owes_and_waits(facts, out);
}

fn slack_cell(s: &linchpin_engine::schedule::ItemSchedule) -> String {
    if s.slack_estimated { format!("~{}", days(s.total_slack)) } else { days(s.total_slack) }
}

/// Every link from one team's unfinished item to another team's, with the
/// dates of both ends.
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

fn handoffs(facts: &Facts, out: &mut String) {
    let program = facts.program;
    let roadmap = facts.roadmap;
    let now = program.status_date().map_or(0.0, |d| roadmap.days.time_at_end_of(d));
    let mut due: Vec<Handoff> = handoffs_of(program)
        .into_iter()
        .filter(|h| roadmap.item(h.upstream).finish <= now + HANDOFF_WINDOW_DAYS + 1e-9)
        .collect();
    due.sort_by(|a, b| {
        roadmap
            .item(a.upstream)
            .finish
            .total_cmp(&roadmap.item(b.upstream).finish)
            .then(a.downstream.cmp(&b.downstream))
    });
    let _ = writeln!(out, "## Hand-offs due in the next two weeks\n");
    if due.is_empty() {
        let _ = writeln!(out, "None: no cross-team work is due to finish in the next {}.\n", days(HANDOFF_WINDOW_DAYS));
        return;
    }
    let _ = writeln!(out, "| From | Team | Finishes | Slack | To | Team | Starts |");
    let _ = writeln!(out, "| --- | --- | --- | --- | --- | --- | --- |");
    for h in due {
        let (up, down) = (program.item(h.upstream), program.item(h.downstream));
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} |",
            titled(program, h.upstream),
            lead(program, up.team),
            roadmap.finish_date(h.upstream),
            slack_cell(roadmap.item(h.upstream)),
            titled(program, h.downstream),
            lead(program, down.team),
            roadmap.start_date(h.downstream)
        );
    }
    out.push('\n');
}

fn contracts(facts: &Facts, out: &mut String) {
    let program = facts.program;
    if program.interfaces().is_empty() {
        return;
    }
    let _ = writeln!(out, "## Interface contracts\n");
    let _ = writeln!(out, "| Interface | Provider | Status | Agreed | Consumer work under way or planned |");
    let _ = writeln!(out, "| --- | --- | --- | --- | --- |");
    for (i, interface) in program.interfaces().iter().enumerate() {
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
            .enumerate()
            .filter(|(_, item)| item.status != ItemStatus::Done && item.team != interface.provider_team)
            .filter(|(_, item)| item.interfaces.iter().any(|x| x.index() == i))
            .map(|(j, _)| plain(&program.item(ItemId::new(j)).key))
            .collect();
        let status = format!("{:?}", interface.status).to_lowercase();
        let warning = if !agreed && !consuming.is_empty() { " (built before agreement)" } else { "" };
        let _ = writeln!(
            out,
            "| {} ({}) | {} | {status}{warning} | {when} | {} |",
            plain(&interface.key),
            plain(&interface.name),
            lead(program, interface.provider_team),
            if consuming.is_empty() { "-".to_owned() } else { list(&consuming) }
        );
    }
    out.push('\n');
}

fn blockers(facts: &Facts, team: Option<TeamId>, out: &mut String) {
    let program = facts.program;
    let open: Vec<_> = program
        .blockers()
        .iter()
        .filter(|b| b.resolved.is_none() && team.is_none_or(|t| program.item(b.item).team == t))
        .collect();
    if open.is_empty() {
        return;
    }
    let _ = writeln!(out, "## Blockers\n");
    let _ = writeln!(out, "| Item | Blocked by | Since | Days | Owner | Escalated to |");
    let _ = writeln!(out, "| --- | --- | --- | --- | --- | --- |");
    for b in open {
        let age = program.status_date().map_or("-".to_owned(), |d| (d - b.raised).num_days().to_string());
        let _ = writeln!(
            out,
            "| {} | {} | {} | {age} | {} | {} |",
            titled(program, b.item),
            plain(&b.description),
            b.raised,
            b.owner.as_deref().map_or("-".to_owned(), plain),
            b.escalated_to.as_deref().map_or("not escalated".to_owned(), plain)
        );
    }
    out.push('\n');
}

fn findings(facts: &Facts, out: &mut String) {
    let program = facts.program;
    if facts.findings.open.is_empty() {
        return;
    }
    let _ = writeln!(out, "## Open findings\n");
    let _ = writeln!(out, "| Severity | Finding | What was found |");
    let _ = writeln!(out, "| --- | --- | --- |");
    for finding in &facts.findings.open {
        let words = linchpin_findings::render::words(program, finding);
        let _ = writeln!(
            out,
            "| {} | {} | {} |",
            finding.severity.as_str(),
            plain(&finding.id(program)),
            plain(&words.headline)
        );
    }
    out.push('\n');
}

fn owes_and_waits(facts: &Facts, out: &mut String) {
    let program = facts.program;
    let all = handoffs_of(program);
    let _ = writeln!(out, "## What each team owes and waits on\n");
    let _ = writeln!(out, "| Team | Owes other teams | Waits on other teams |");
    let _ = writeln!(out, "| --- | --- | --- |");
    for t in 0..program.teams().len() {
        let team = TeamId::new(t);
        let owes = all.iter().filter(|h| program.item(h.upstream).team == team).count();
        let waits = all.iter().filter(|h| program.item(h.downstream).team == team).count();
        let _ = writeln!(out, "| {} | {owes} hand-offs | {waits} hand-offs |", lead(program, team));
    }
    out.push('\n');
}

fn team_register(facts: &Facts, assessment: &Assessment, team: TeamId, out: &mut String) {
    let program = facts.program;
    let roadmap = facts.roadmap;
    let _ = writeln!(out, "# {}: team status{}\n", lead(program, team), as_of(program));
    let health = &assessment.teams[team.index()];
    let because: Vec<String> = health.because.iter().map(|m| plain(&program.milestone(*m).key)).collect();
    match because.is_empty() {
        true => {
            let _ = writeln!(out, "**Health: green.** Every milestone this team's open work feeds is on track.\n");
        }
        false => {
            let _ = writeln!(
                out,
                "**Health: {}.** This team's open work feeds {}, which {} not green.\n",
                health_word(health.health),
                list(&because),
                if because.len() == 1 { "is" } else { "are" }
            );
        }
    }
    if let Some(reported) = &health.reported
        && reported.health != health.health
    {
        let _ = writeln!(out, "{}\n", disagreement("The team's last status update", reported, health.health));
    }
    let all = handoffs_of(program);
    // What is due soonest first.
    let mut owes: Vec<&Handoff> = all.iter().filter(|h| program.item(h.upstream).team == team).collect();
    owes.sort_by(|a, b| {
        roadmap
            .item(a.downstream)
            .start
            .total_cmp(&roadmap.item(b.downstream).start)
            .then(a.downstream.cmp(&b.downstream))
    });
    let _ = writeln!(out, "## What we owe other teams\n");
    if owes.is_empty() {
        let _ = writeln!(out, "Nothing open.\n");
    } else {
        let _ = writeln!(out, "| Our item | We finish | Slack | Their item | Team | They start |");
        let _ = writeln!(out, "| --- | --- | --- | --- | --- | --- |");
        for h in owes {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} |",
                titled(program, h.upstream),
                roadmap.finish_date(h.upstream),
                slack_cell(roadmap.item(h.upstream)),
                titled(program, h.downstream),
                lead(program, program.item(h.downstream).team),
                roadmap.start_date(h.downstream)
            );
        }
        out.push('\n');
    }
    let mut waits: Vec<&Handoff> = all.iter().filter(|h| program.item(h.downstream).team == team).collect();
    waits.sort_by(|a, b| {
        roadmap.item(a.upstream).finish.total_cmp(&roadmap.item(b.upstream).finish).then(a.upstream.cmp(&b.upstream))
    });
    let _ = writeln!(out, "## What we wait on\n");
    if waits.is_empty() {
        let _ = writeln!(out, "Nothing open.\n");
    } else {
        let _ = writeln!(out, "| Their item | Team | Expected | Our item | We start |");
        let _ = writeln!(out, "| --- | --- | --- | --- | --- |");
        for h in waits {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} |",
                titled(program, h.upstream),
                lead(program, program.item(h.upstream).team),
                roadmap.finish_date(h.upstream),
                titled(program, h.downstream),
                roadmap.start_date(h.downstream)
            );
        }
        out.push('\n');
    }
    let weeks: Vec<_> = roadmap.utilisation.iter().filter(|w| w.team == team && w.demand > 0.0).collect();
    if !weeks.is_empty() {
        let _ = writeln!(out, "## Load against capacity by week\n");
        let _ = writeln!(out, "| Week of | Demand (person-days) | Capacity | Load |");
        let _ = writeln!(out, "| --- | --- | --- | --- |");
        for w in weeks {
            let load =
                if w.load().is_finite() { format!("{:.0} %", 100.0 * w.load()) } else { "no capacity".to_owned() };
            let _ = writeln!(out, "| {} | {:.1} | {:.1} | {load} |", w.week, w.demand, w.capacity);
        }
        out.push('\n');
    }
    let mut items: Vec<ItemId> =
        (0..program.items().len()).map(ItemId::new).filter(|i| program.item(*i).team == team).collect();
    items.sort_by(|a, b| roadmap.item(*a).start.total_cmp(&roadmap.item(*b).start).then(a.cmp(b)));
    let _ = writeln!(out, "## Our items\n");
    let _ = writeln!(out, "| Item | Status | Start | Finish | Slack | Least slack to a milestone |");
    let _ = writeln!(out, "| --- | --- | --- | --- | --- | --- |");
    for item in items {
        let s = roadmap.item(item);
        let to_milestone = s
            .milestone_slack
            .iter()
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .map_or("-".to_owned(), |&(m, d)| format!("{} to {}", days(d), plain(&program.milestone(m).key)));
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {to_milestone} |",
            titled(program, item),
            program.item(item).status.as_str().replace('_', " "),
            roadmap.start_date(item),
            roadmap.finish_date(item),
            if program.item(item).status == ItemStatus::Done { "-".to_owned() } else { slack_cell(s) },
        );
    }
    out.push('\n');
    blockers(facts, Some(team), out);
    let ours = |d: &&linchpin_findings::DecisionDeadline| d.waiting.iter().any(|i| program.item(*i).team == team);
    let mine: Vec<_> = facts.findings.decisions.iter().filter(ours).collect();
    if !mine.is_empty() {
        let _ = writeln!(out, "## Decisions our work waits on\n");
        let _ = writeln!(out, "| Decision | Needed by | Status |");
        let _ = writeln!(out, "| --- | --- | --- |");
        for d in mine {
            let decision = program.decision(d.decision);
            let status = match decision.status {
                DecisionStatus::Open => "open",
                DecisionStatus::Decided => "decided",
                DecisionStatus::Superseded => "superseded",
            };
            let needed = d.needed_by.map_or("-".to_owned(), |n: NaiveDate| n.to_string());
            let _ = writeln!(out, "| {} ({}) | {needed} | {status} |", plain(&decision.key), plain(&decision.question));
        }
        out.push('\n');
    }
}

/// How the numbers were made, so a reader can reproduce them.
fn basis(facts: &Facts, out: &mut String) {
    let capacity = if facts.roadmap.capacity_aware { "respecting team capacity" } else { "ignoring team capacity" };
    let _ = writeln!(
        out,
        "---\n\nDates are a {}-run Monte Carlo forecast {capacity} (`linchpin forecast`); slack and the critical path are the schedule's (`linchpin schedule`); health follows the rules in `docs/report.md`.",
        facts.forecast.iterations
    );
}
