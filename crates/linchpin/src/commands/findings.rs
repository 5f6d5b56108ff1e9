//! `linchpin findings PLAN`: the coordination risks and schedule-health
//! problems in a plan, with the numbers, the action and who to call.

use std::fmt::Write as _;

use linchpin_engine::forecast::{ForecastOptions, forecast};
use linchpin_engine::schedule::{ScheduleOptions, schedule};
use linchpin_findings::risks::{RiskEntry, as_risks};
use linchpin_findings::{Accepted, Contact, Finding, Inputs, QualityResult, Report, Severity, analyse};
use linchpin_model::{AcceptedFinding, Program};
use serde::Serialize;

use crate::commands::check::Format;
use crate::input::{PlanArgs, ScheduleArgs};
use crate::{Fatal, Outcome};

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub plan: PlanArgs,
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    /// Print the open findings as risk entries to paste under `risks:`.
    #[arg(long)]
    pub as_risks: bool,
    #[command(flatten)]
    pub scheduling: ScheduleArgs,
    /// Monte Carlo iterations for milestones at risk.
    #[arg(long, default_value_t = 10_000)]
    pub iterations: usize,
    /// Skip the forecast: milestones are judged by the schedule's own dates.
    #[arg(long)]
    pub no_forecast: bool,
    /// Respect team capacity in every forecast iteration, as `linchpin
    /// forecast --capacity` does (slower on large programs).
    #[arg(long)]
    pub forecast_capacity: bool,
    /// Exit with 1 when an open finding is at least this severe (for CI).
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub fail_on: Option<SeverityArg>,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
pub enum SeverityArg {
    Low,
    Medium,
    High,
}

impl SeverityArg {
    fn severity(self) -> Severity {
        match self {
            SeverityArg::Low => Severity::Low,
            SeverityArg::Medium => Severity::Medium,
            SeverityArg::High => Severity::High,
        }
    }
}

pub fn run(args: Args) -> Result<Outcome, Fatal> {
    let Some(program) = args.plan.program()? else { return Ok(Outcome::ProblemsFound) };
    let options = args.scheduling.options(program.items().len());
    let logic = schedule(&program, ScheduleOptions { capacity: false, ..options }).map_err(|e| Fatal(e.to_string()))?;
    // Without capacity the roadmap is the logic-only schedule itself.
    let capacity_aware =
        if options.capacity { Some(schedule(&program, options).map_err(|e| Fatal(e.to_string()))?) } else { None };
    let roadmap = capacity_aware.as_ref().unwrap_or(&logic);
    let forecast = if args.no_forecast {
        None
    } else {
        let options = ForecastOptions {
            iterations: args.iterations.max(1),
            seed: options.seed,
            capacity: args.forecast_capacity,
            ..ForecastOptions::default()
        };
        Some(forecast(&program, options, &|_, _| {}).map_err(|e| Fatal(e.to_string()))?)
    };
    let report = analyse(Inputs { program: &program, roadmap, logic: &logic, forecast: forecast.as_ref() });
    let basis = forecast.as_ref().map(|f| (f.iterations, args.forecast_capacity));
    let open: Vec<&Finding> = report.open.iter().collect();
    match (args.as_risks, args.format) {
        (true, Format::Json) => crate::emit_json(&json_risks(&as_risks(&program, &open))),
        (true, Format::Text) => say!("{}", yaml_risks(&program, &report, &as_risks(&program, &open))),
        (false, Format::Json) => crate::emit_json(&json_report(&program, &report, roadmap.capacity_aware, basis)),
        (false, Format::Text) => {
            say!("{}", text_report(&program, &report, roadmap, basis))
        }
    }
    let failing = args.fail_on.is_some_and(|s| report.open.iter().any(|f| f.severity >= s.severity()));
    Ok(if failing { Outcome::ProblemsFound } else { Outcome::Success })
}

#[derive(Serialize)]
struct JsonEntity {
    kind: &'static str,
    id: String,
}

#[derive(Serialize)]
struct JsonContact {
    name: Option<String>,
    role: String,
}

#[derive(Serialize)]
struct JsonFinding {
    id: String,
    kind: &'static str,
    subject: String,
    severity: &'static str,
    headline: String,
    explanation: String,
    action: String,
    involved: Vec<JsonEntity>,
    people: Vec<JsonContact>,
    figures: serde_json::Map<String, serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    acceptance: Option<JsonAcceptance>,
}

#[derive(Serialize)]
struct JsonAcceptance {
    finding: String,
    reason: String,
    owner: String,
    until: Option<String>,
}

#[derive(Serialize)]
struct JsonQuality {
    check: &'static str,
    measure: &'static str,
    value: Option<f64>,
    threshold: f64,
    comparison: &'static str,
    passed: Option<bool>,
    items: Vec<String>,
    note: Option<String>,
}

#[derive(Serialize)]
struct Summary {
    open: usize,
    high: usize,
    medium: usize,
    low: usize,
    accepted: usize,
}

#[derive(Serialize)]
struct JsonReport {
    program: String,
    as_of: String,
    capacity_aware: bool,
    forecast_iterations: Option<usize>,
    forecast_capacity_aware: bool,
    summary: Summary,
    findings: Vec<JsonFinding>,
    accepted: Vec<JsonFinding>,
    /// Acceptances whose finding is no longer raised.
    unmatched_acceptances: Vec<JsonAcceptance>,
    /// Acceptances past their `until` date; their findings are open again.
    lapsed_acceptances: Vec<JsonAcceptance>,
    schedule_quality: Vec<JsonQuality>,
    /// Every open decision's needed-by date, soonest first.
    decisions: Vec<JsonDecision>,
}

#[derive(Serialize)]
struct JsonDecision {
    id: String,
    question: String,
    needed_by: Option<String>,
    first_waiting: Option<String>,
    latest_start: Option<String>,
    working_days_left: Option<f64>,
    waiting: Vec<String>,
    due: Option<String>,
}

fn round(x: f64) -> f64 {
    if x.is_finite() { (x * 1000.0).round() / 1000.0 } else { x }
}

fn json_acceptance(a: &AcceptedFinding) -> JsonAcceptance {
    JsonAcceptance {
        finding: a.id(),
        reason: a.reason.clone(),
        owner: a.owner.clone(),
        until: a.until.map(|d| d.to_string()),
    }
}

fn json_finding(program: &Program, f: &Finding, acceptance: Option<&AcceptedFinding>) -> JsonFinding {
    JsonFinding {
        id: f.id(),
        kind: f.kind.as_str(),
        subject: f.subject.clone(),
        severity: f.severity.as_str(),
        headline: f.headline.clone(),
        explanation: f.explanation.clone(),
        action: f.action.clone(),
        involved: f.involved.iter().map(|e| JsonEntity { kind: e.kind(), id: e.key(program).to_owned() }).collect(),
        people: f.people.iter().map(|c| JsonContact { name: c.name.clone(), role: c.role.clone() }).collect(),
        // JSON has no infinity: a week with no capacity has no load figure.
        figures: f
            .figures
            .iter()
            .map(|(k, v)| {
                ((*k).to_owned(), if v.is_finite() { serde_json::json!(round(*v)) } else { serde_json::Value::Null })
            })
            .collect(),
        acceptance: acceptance.map(json_acceptance),
    }
}

fn json_report(
    program: &Program,
    report: &Report,
    capacity_aware: bool,
    forecast: Option<(usize, bool)>,
) -> JsonReport {
    let by = |s: Severity| report.open.iter().filter(|f| f.severity == s).count();
    JsonReport {
        program: program.name().to_owned(),
        as_of: report.as_of.to_string(),
        capacity_aware,
        forecast_iterations: forecast.map(|(n, _)| n),
        forecast_capacity_aware: forecast.is_some_and(|(_, capacity)| capacity),
        summary: Summary {
            open: report.open.len(),
            high: by(Severity::High),
            medium: by(Severity::Medium),
            low: by(Severity::Low),
            accepted: report.accepted.len(),
        },
        findings: report.open.iter().map(|f| json_finding(program, f, None)).collect(),
        accepted: report.accepted.iter().map(|a| json_finding(program, &a.finding, Some(&a.acceptance))).collect(),
        unmatched_acceptances: report.unmatched.iter().map(json_acceptance).collect(),
        lapsed_acceptances: report.lapsed.iter().map(json_acceptance).collect(),
        decisions: report
            .decisions
            .iter()
            .map(|d| {
                let decision = program.decision(d.decision);
                JsonDecision {
                    id: decision.key.clone(),
                    question: decision.question.clone(),
                    needed_by: d.needed_by.map(|x| x.to_string()),
                    first_waiting: d.first_waiting.map(|i| program.item(i).key.clone()),
                    latest_start: d.latest_start.map(|x| x.to_string()),
                    working_days_left: d.working_days_left.map(round),
                    waiting: d.waiting.iter().map(|i| program.item(*i).key.clone()).collect(),
                    due: decision.due.map(|x| x.to_string()),
                }
            })
            .collect(),
        schedule_quality: report
            .quality
            .iter()
            .map(|q| JsonQuality {
                check: q.check.as_str(),
                measure: q.measure,
                value: q.value.map(round),
                threshold: q.threshold,
                comparison: if q.at_most { "at_most" } else { "at_least" },
                passed: q.passed,
                items: q.items.iter().map(|i| program.item(*i).key.clone()).collect(),
                note: q.note.clone(),
            })
            .collect(),
    }
}

/// Words wrapped to `width` columns, each line after the first indented.
fn wrap(text: &str, width: usize, indent: &str) -> String {
    let mut out = String::new();
    let mut line = 0;
    for word in text.split_whitespace() {
        let len = word.chars().count();
        // A unit stays on the line of its number.
        let glued = word.starts_with('%');
        if line > 0 && line + 1 + len > width && !glued {
            out.push('\n');
            out.push_str(indent);
            line = indent.len();
        } else if line > 0 {
            out.push(' ');
            line += 1;
        }
        out.push_str(word);
        line += len;
    }
    out
}

fn contact(c: &Contact) -> String {
    match &c.name {
        Some(name) => format!("{name} ({})", c.role),
        None => format!("{} (no name in the plan)", c.role),
    }
}

const WIDTH: usize = 100;

fn text_finding(out: &mut String, f: &Finding) {
    let _ = writeln!(out, "\n{} {}", f.severity.as_str().to_uppercase(), f.id());
    let _ = writeln!(out, "  {}", wrap(&f.headline, WIDTH, "  "));
    let _ = writeln!(out, "  {}", wrap(&f.explanation, WIDTH, "  "));
    let _ = writeln!(out, "  Action: {}", wrap(&f.action, WIDTH, "    "));
    if !f.people.is_empty() {
        let people: Vec<String> = f.people.iter().map(contact).collect();
        let _ = writeln!(out, "  Pull in: {}", wrap(&people.join("; "), WIDTH, "    "));
    }
}

fn quality_row(q: &QualityResult, program: &Program) -> String {
    let value = q.value.map_or("-".to_owned(), |v| q.display(v));
    let limit = format!("{} {}", if q.at_most { "≤" } else { "≥" }, q.display(q.threshold));
    let result = match q.passed {
        Some(true) => "pass",
        Some(false) => "FAIL",
        None => "n/a",
    };
    let detail = if q.passed == Some(false) && !q.items.is_empty() {
        let keys: Vec<&str> = q.items.iter().take(5).map(|i| program.item(*i).key.as_str()).collect();
        let more = if q.items.len() > 5 { format!(" and {} more", q.items.len() - 5) } else { String::new() };
        format!("{}{more}", keys.join(", "))
    } else {
        q.note.clone().unwrap_or_default()
    };
    format!("  {:28} {:>6}  {:>7}  {:4}  {detail}", q.check.as_str(), value, limit, result)
}

fn text_report(
    program: &Program,
    report: &Report,
    roadmap: &linchpin_engine::schedule::Schedule,
    forecast: Option<(usize, bool)>,
) -> String {
    let mut out = String::new();
    let by = |s: Severity| report.open.iter().filter(|f| f.severity == s).count();
    let _ = writeln!(
        out,
        "{}, as of {}: {} open findings ({} high, {} medium, {} low), {} accepted",
        program.name(),
        report.as_of,
        report.open.len(),
        by(Severity::High),
        by(Severity::Medium),
        by(Severity::Low),
        report.accepted.len(),
    );
    let basis = match forecast {
        Some((n, true)) => format!("; milestones judged by a {n}-run capacity-aware forecast"),
        Some((n, false)) => format!("; milestones judged by a {n}-run forecast"),
        None => "; milestones judged by the schedule's own dates".to_owned(),
    };
    let _ = writeln!(
        out,
        "Judged against the {} schedule ending {}{basis}.",
        if roadmap.capacity_aware { "capacity-aware" } else { "critical-path (no capacity)" },
        roadmap.end_date,
    );
    if !report.open.is_empty() {
        let width = report.open.iter().map(|f| f.id().chars().count()).max().unwrap_or(0).min(48);
        let _ = writeln!(out);
        for f in &report.open {
            let _ = writeln!(out, "  {:6}  {:width$}  {}", f.severity.as_str(), f.id(), f.headline);
        }
    }
    for f in &report.open {
        text_finding(&mut out, f);
    }
    if !report.accepted.is_empty() {
        let _ = writeln!(out, "\nAccepted ({})", report.accepted.len());
        for Accepted { finding, acceptance } in &report.accepted {
            let until = acceptance.until.map_or(String::new(), |d| format!(" until {d}"));
            let _ = writeln!(out, "  {:6}  {}  {}", finding.severity.as_str(), finding.id(), finding.headline);
            let _ = writeln!(
                out,
                "          {}",
                wrap(&format!("accepted by {}{until}: {}", acceptance.owner, acceptance.reason), WIDTH, "          ")
            );
        }
    }
    if !report.lapsed.is_empty() {
        let ids: Vec<String> = report.lapsed.iter().map(|a| a.id()).collect();
        let _ = writeln!(out, "\nAcceptances past their `until` date, raised again: {}", ids.join(", "));
    }
    if !report.unmatched.is_empty() {
        let ids: Vec<String> = report.unmatched.iter().map(|a| a.id()).collect();
        let _ = writeln!(out, "\nAccepted findings no longer raised (safe to remove): {}", ids.join(", "));
    }
    if !report.decisions.is_empty() {
        let _ = writeln!(out, "\nOpen decisions, by when they are needed");
        for d in &report.decisions {
            let decision = program.decision(d.decision);
            let when = match (d.needed_by, d.first_waiting, d.latest_start) {
                (Some(by), Some(item), Some(start)) => {
                    format!("needed by {by} ({} must start by {start})", program.item(item).key)
                }
                _ => "no work waits on it".to_owned(),
            };
            let due = decision.due.map_or(String::new(), |due| format!("; promised by {due}"));
            let _ = writeln!(out, "  {:10} {when}{due}: {}", decision.key, decision.question);
        }
    }
    let _ = writeln!(out, "\nSchedule quality (adapted from the DCMA 14-point assessment)");
    let _ = writeln!(out, "  {:28} {:>6}  {:>7}  {:4}  ITEMS / NOTE", "CHECK", "VALUE", "LIMIT", "");
    for q in &report.quality {
        let _ = writeln!(out, "{}", quality_row(q, program));
    }
    if !report.open.is_empty() {
        let _ = writeln!(
            out,
            "\nTo accept a finding, add it to the plan under `findings: accepted:` with `finding: <id>`, `reason` and `owner`."
        );
    }
    out
}

#[derive(Serialize)]
struct JsonRisk {
    id: String,
    title: String,
    likelihood: u8,
    impact: u8,
    owner: Option<String>,
    mitigation: String,
    affects: Vec<String>,
    finding: String,
}

fn json_risks(entries: &[RiskEntry]) -> Vec<JsonRisk> {
    entries
        .iter()
        .map(|r| JsonRisk {
            id: r.id.clone(),
            title: r.title.clone(),
            likelihood: r.likelihood,
            impact: r.impact,
            owner: r.owner.clone(),
            mitigation: r.mitigation.clone(),
            affects: r.affects.clone(),
            finding: r.finding.clone(),
        })
        .collect()
}

/// A YAML double-quoted scalar: JSON's string syntax is a subset of it.
fn quoted(text: &str) -> String {
    serde_json::Value::String(text.to_owned()).to_string()
}

fn yaml_risks(program: &Program, report: &Report, entries: &[RiskEntry]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Risk entries for {}, from `linchpin findings` as of {}.\n# Paste them under `risks:`, or save this as a file of the plan folder.",
        program.name(),
        report.as_of
    );
    if entries.is_empty() {
        let _ = writeln!(out, "risks: []");
        return out;
    }
    let _ = writeln!(out, "risks:");
    for r in entries {
        let _ = writeln!(out, "  # from finding {}", r.finding);
        let _ = writeln!(out, "  - id: {}", quoted(&r.id));
        let _ = writeln!(out, "    title: {}", quoted(&r.title));
        let _ = writeln!(out, "    likelihood: {}", r.likelihood);
        let _ = writeln!(out, "    impact: {}", r.impact);
        if let Some(owner) = &r.owner {
            let _ = writeln!(out, "    owner: {}", quoted(owner));
        }
        let _ = writeln!(out, "    mitigation: {}", quoted(&r.mitigation));
        if !r.affects.is_empty() {
            let keys: Vec<String> = r.affects.iter().map(|k| quoted(k)).collect();
            let _ = writeln!(out, "    affects: [{}]", keys.join(", "));
        }
    }
    out
}
