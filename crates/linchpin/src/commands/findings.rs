//! `linchpin findings PLAN`: the coordination risks and schedule-health
//! problems in a plan, with the numbers, the action and who to call.

use std::fmt::Write as _;

use linchpin_analysis::RawSettings;
use linchpin_analysis::run::{Findings, plan_findings};
use linchpin_analysis::view::findings::{Basis, FindingsView, RiskView};
use linchpin_engine::progress::Quiet;
use linchpin_findings::render::{self, Words};
use linchpin_findings::risks::{RiskEntry, as_risks};
use linchpin_findings::{Accepted, Contact, Finding, QualityResult, Report, Severity};
use linchpin_model::Program;

use crate::commands::check::Format;
use crate::input::{PlanArgs, ScheduleArgs};
use crate::text::{self, FINDING_ID_WIDTH, ID_WIDTH, TEXT_WIDTH, left};
use crate::{Error, Outcome};

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
    /// Monte Carlo iterations for milestones at risk, from 1 to 1,000,000
    /// (default as `linchpin forecast`).
    #[arg(long, env = "LINCHPIN_ITERATIONS")]
    pub iterations: Option<usize>,
    /// Skip the forecast: milestones are judged by the schedule's own dates.
    #[arg(long)]
    pub no_forecast: bool,
    /// Respect team capacity in every forecast iteration: the default (with
    /// `--no-capacity`, neither the schedule nor the forecast does), kept so
    /// scripts written before it was still work.
    #[arg(long, alias = "forecast-capacity", conflicts_with = "no_capacity", hide = true)]
    pub capacity: bool,
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

pub fn run(args: Args) -> Result<Outcome, Error> {
    let Some(program) = args.plan.program()? else { return Ok(Outcome::ProblemsFound) };
    let raw = RawSettings { iterations: args.iterations, forecast: Some(!args.no_forecast), ..args.scheduling.raw() };
    let settings = raw.resolve(program.items().len()).map_err(linchpin_analysis::AnalysisError::from)?;
    let findings = plan_findings(&program, &settings, &Quiet)?;
    let Findings { roadmap, report, basis, .. } = &findings;
    let open: Vec<&Finding> = report.open.iter().collect();
    match (args.as_risks, args.format) {
        (true, Format::Json) => {
            let risks: Vec<RiskView> = as_risks(&program, &open).iter().map(RiskView::new).collect();
            crate::emit_json(&risks)
        }
        (true, Format::Text) => say!("{}", yaml_risks(&program, report, &as_risks(&program, &open))),
        (false, Format::Json) => crate::emit_json(&FindingsView::new(&program, &findings)),
        (false, Format::Text) => say!("{}", text_report(&program, report, roadmap, *basis)),
    }
    let failing = args.fail_on.is_some_and(|s| report.open.iter().any(|f| f.severity >= s.severity()));
    Ok(if failing { Outcome::ProblemsFound } else { Outcome::Success })
}

/// Words wrapped to `width` columns, each line after the first indented;
/// escaped, and a word wider than a line cut to one.
fn wrap(text: &str, width: usize, indent: &str) -> String {
    let text = text::escape(text);
    let mut out = String::new();
    let mut line = 0;
    for word in text.split_whitespace() {
        let word = text::clip(word, width);
        let len = text::width(&word);
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
        out.push_str(&word);
        line += len;
    }
    out
}

fn contact(program: &Program, c: &Contact) -> String {
    let role = render::role(program, &c.role);
    match &c.name {
        Some(name) => format!("{name} ({role})"),
        None => format!("{role} (no name in the plan)"),
    }
}

const WIDTH: usize = 100;

fn text_finding(out: &mut String, program: &Program, f: &Finding, id: &str, words: &Words) {
    let _ = writeln!(out, "\n{} {id}", f.severity.as_str().to_uppercase());
    let _ = writeln!(out, "  {}", wrap(&words.headline, WIDTH, "  "));
    let _ = writeln!(out, "  {}", wrap(&words.explanation, WIDTH, "  "));
    let _ = writeln!(out, "  Action: {}", wrap(&words.action, WIDTH, "    "));
    if !f.people.is_empty() {
        let people: Vec<String> = f.people.iter().map(|c| contact(program, c)).collect();
        let _ = writeln!(out, "  Pull in: {}", wrap(&people.join("; "), WIDTH, "    "));
    }
}

fn quality_row(q: &QualityResult, program: &Program) -> String {
    let value = q.value.map_or("-".to_owned(), |v| render::quality_value(q, v));
    let limit = format!("{} {}", if q.at_most { "≤" } else { "≥" }, render::quality_value(q, q.threshold));
    let result = match q.passed {
        Some(true) => "pass",
        Some(false) => "FAIL",
        None => "n/a",
    };
    let detail = if q.passed == Some(false) && !q.items.is_empty() {
        let keys: Vec<_> = q.items.iter().take(5).map(|i| text::id(&program.item(*i).key)).collect();
        let more = if q.items.len() > 5 { format!(" and {} more", q.items.len() - 5) } else { String::new() };
        format!("{}{more}", keys.join(", "))
    } else {
        q.note.as_ref().map(|n| text::prose(&render::note(program, n), TEXT_WIDTH).into_owned()).unwrap_or_default()
    };
    format!("  {:28} {:>6}  {:>7}  {:4}  {detail}", q.check.as_str(), value, limit, result)
}

fn text_report(
    program: &Program,
    report: &Report,
    roadmap: &linchpin_engine::schedule::Schedule,
    basis: Basis,
) -> String {
    let mut out = String::new();
    let by = |s: Severity| report.open.iter().filter(|f| f.severity == s).count();
    let _ = writeln!(
        out,
        "{}, as of {}: {} open findings ({} high, {} medium, {} low), {} accepted",
        text::title(program.name()),
        report.as_of,
        report.open.len(),
        by(Severity::High),
        by(Severity::Medium),
        by(Severity::Low),
        report.accepted.len(),
    );
    let dates = if roadmap.deadlines.is_empty() { "milestones" } else { "milestones and deadlines" };
    let basis = match basis.forecast {
        Some((n, true)) => format!("; {dates} judged by a {n}-run capacity-aware forecast"),
        Some((n, false)) => format!("; {dates} judged by a {n}-run forecast"),
        None => format!("; {dates} judged by the schedule's own dates"),
    };
    let _ = writeln!(
        out,
        "Judged against the {} schedule ending {}{basis}.",
        if roadmap.capacity_aware { "capacity-aware" } else { "critical-path (no capacity)" },
        roadmap.end_date,
    );
    // Each finding's id (as shown) and words once: the list and the detail
    // both quote them.
    let open: Vec<(&Finding, String, Words)> =
        report.open.iter().map(|f| (f, shown_id(program, f), render::words(program, f))).collect();
    if !open.is_empty() {
        let width = text::column(open.iter().map(|(_, id, _)| id.as_str()), 0, FINDING_ID_WIDTH);
        let _ = writeln!(out);
        for (f, id, words) in &open {
            let _ = writeln!(
                out,
                "  {:6}  {}  {}",
                f.severity.as_str(),
                left(id, width),
                text::prose(&words.headline, TEXT_WIDTH)
            );
        }
    }
    for (f, id, words) in &open {
        text_finding(&mut out, program, f, id, words);
    }
    if !program.groups().is_empty() {
        text_groups(&mut out, program, report, roadmap, &open);
    }
    if !report.accepted.is_empty() {
        let _ = writeln!(out, "\nAccepted ({})", report.accepted.len());
        for Accepted { finding, acceptance } in &report.accepted {
            let until = acceptance.until.map_or(String::new(), |d| format!(" until {d}"));
            let _ = writeln!(
                out,
                "  {:6}  {}  {}",
                finding.severity.as_str(),
                shown_id(program, finding),
                text::prose(&render::words(program, finding).headline, TEXT_WIDTH)
            );
            let _ = writeln!(
                out,
                "          {}",
                wrap(&format!("accepted by {}{until}: {}", acceptance.owner, acceptance.reason), WIDTH, "          ")
            );
        }
    }
    if !report.lapsed.is_empty() {
        let ids: Vec<String> =
            report.lapsed.iter().map(|a| text::clip(&a.id(program), FINDING_ID_WIDTH).into_owned()).collect();
        let _ = writeln!(out, "\nAcceptances past their `until` date, raised again: {}", ids.join(", "));
    }
    if !report.unmatched.is_empty() {
        let ids: Vec<String> =
            report.unmatched.iter().map(|a| text::clip(&a.id(program), FINDING_ID_WIDTH).into_owned()).collect();
        let _ = writeln!(out, "\nAccepted findings no longer raised (safe to remove): {}", ids.join(", "));
    }
    if !report.decisions.is_empty() {
        let _ = writeln!(out, "\nOpen decisions, by when they are needed");
        let keys: Vec<_> = report.decisions.iter().map(|d| text::id(&program.decision(d.decision).key)).collect();
        let width = text::column(keys.iter().map(|s| &**s), 10, ID_WIDTH);
        for (d, key) in report.decisions.iter().zip(&keys) {
            let decision = program.decision(d.decision);
            let when = match (d.needed_by, d.first_waiting, d.latest_start) {
                (Some(by), Some(item), Some(start)) => {
                    format!("needed by {by} ({} must start by {start})", text::id(&program.item(item).key))
                }
                _ => "no work waits on it".to_owned(),
            };
            let due = decision.due.map_or(String::new(), |due| format!("; promised by {due}"));
            let _ = writeln!(out, "  {} {when}{due}: {}", left(key, width), text::title(&decision.question));
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

/// Each group's roll-up and the open findings touching its work.
fn text_groups(
    out: &mut String,
    program: &Program,
    report: &Report,
    roadmap: &linchpin_engine::schedule::Schedule,
    open: &[(&Finding, String, Words)],
) {
    let keys: Vec<_> = program.groups().iter().map(|g| text::id(&g.key)).collect();
    let width = text::column(keys.iter().map(|s| &**s), 5, ID_WIDTH);
    let _ = writeln!(out, "\nGroups (open findings that touch their work)");
    let _ = writeln!(
        out,
        "  {}  {:10}  {:10}  {:10}  {:>8}  {:>4}  {:>4}  {:>4}  FINDINGS",
        left("GROUP", width),
        "KIND",
        "FINISH",
        "DEADLINE",
        "PROGRESS",
        "HIGH",
        "MED",
        "LOW"
    );
    for (rolled, touched) in roadmap.groups.iter().zip(report.by_group(program)) {
        let group = program.group(rolled.group);
        let finish = if group.members.is_empty() {
            "-".to_owned()
        } else {
            roadmap.work_finish_date(rolled.start, rolled.finish).to_string()
        };
        let deadline = group.deadline.map_or("-".to_owned(), |d| d.to_string());
        let count = |s: Severity| touched.open.iter().filter(|&&i| report.open[i].severity == s).count();
        let ids: Vec<&str> = touched.open.iter().take(4).map(|&i| open[i].1.as_str()).collect();
        let more = if touched.open.len() > 4 { format!(" and {} more", touched.open.len() - 4) } else { String::new() };
        let _ = writeln!(
            out,
            "  {}  {:10}  {:10}  {:10}  {:>6.0} %  {:>4}  {:>4}  {:>4}  {}{more}",
            left(&keys[rolled.group.index()], width),
            group.kind.as_str(),
            finish,
            deadline,
            100.0 * rolled.progress,
            count(Severity::High),
            count(Severity::Medium),
            count(Severity::Low),
            ids.join(", "),
        );
    }
}

/// A finding's id as the text shows it: escaped, at most `FINDING_ID_WIDTH`.
fn shown_id(program: &Program, finding: &Finding) -> String {
    text::clip(&finding.id(program), FINDING_ID_WIDTH).into_owned()
}

fn yaml_risks(program: &Program, report: &Report, entries: &[RiskEntry]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Risk entries for {}, from `linchpin findings` as of {}.\n# Paste them under `risks:`, or save this as a file of the plan folder.",
        text::escape(program.name()),
        report.as_of
    );
    if entries.is_empty() {
        let _ = writeln!(out, "risks: []");
        return out;
    }
    let _ = writeln!(out, "risks:");
    for r in entries {
        let _ = writeln!(out, "  # from finding {}", text::escape(&r.finding));
        let _ = writeln!(out, "  - id: {}", text::yaml_string(&r.id));
        let _ = writeln!(out, "    title: {}", text::yaml_string(&r.title));
        let _ = writeln!(out, "    likelihood: {}", r.likelihood);
        let _ = writeln!(out, "    impact: {}", r.impact);
        if let Some(owner) = &r.owner {
            let _ = writeln!(out, "    owner: {}", text::yaml_string(owner));
        }
        let _ = writeln!(out, "    mitigation: {}", text::yaml_string(&r.mitigation));
        if !r.affects.is_empty() {
            let keys: Vec<String> = r.affects.iter().map(|k| text::yaml_string(k)).collect();
            let _ = writeln!(out, "    affects: [{}]", keys.join(", "));
        }
    }
    out
}
