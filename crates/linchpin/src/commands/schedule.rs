//! `linchpin schedule PLAN`: when each item happens, what drives the end
//! date, who waits on whom, and what a change would do to the milestones.

use std::fmt::Write as _;

use linchpin_engine::schedule::{Schedule, schedule};
use linchpin_model::resolve::MAX_DAYS;
use linchpin_model::{Change, Estimate, Program};
use serde::Serialize;

use crate::input::{PlanArgs, ScheduleArgs, parse_date};
use crate::{Fatal, Outcome};

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub plan: PlanArgs,
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    #[command(flatten)]
    pub scheduling: ScheduleArgs,
    /// What if ITEM took DAYS (or `O,L,P`), at most 10,000? Repeatable.
    #[arg(long = "estimate", value_name = "ITEM=DAYS")]
    pub estimates: Vec<String>,
    /// What if TEAM had N people (from DATE)? Repeatable.
    #[arg(long = "capacity", value_name = "TEAM=N[@DATE]")]
    pub capacities: Vec<String>,
    /// What if ITEM slipped by DAYS working days, at most 10,000? Repeatable.
    #[arg(long = "slip", value_name = "ITEM=DAYS")]
    pub slips: Vec<String>,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    Csv,
}

pub fn run(args: Args) -> Result<Outcome, Fatal> {
    let Some(program) = args.plan.program()? else { return Ok(Outcome::ProblemsFound) };
    let changes = parse_changes(&program, &args)?;
    let options = args.scheduling.options(program.items().len());
    let before = schedule(&program, options).map_err(|e| Fatal(e.to_string()))?;
    let what_if = if changes.is_empty() {
        None
    } else {
        let changed = program.changed(&changes).map_err(|e| Fatal(e.to_string()))?;
        let after = schedule(&changed, options).map_err(|e| Fatal(e.to_string()))?;
        Some((changed, after))
    };
    let (shown_program, shown) = match &what_if {
        Some((changed, after)) => (changed, after),
        None => (&program, &before),
    };
    match args.format {
        Format::Json => {
            let mut report = json_report(shown_program, shown);
            if what_if.is_some() {
                report.what_if = Some(comparison(&program, &before, shown));
            }
            crate::emit_json(&report);
        }
        Format::Csv => {
            crate::written(write_csv(shown_program, shown, std::io::BufWriter::new(std::io::stdout().lock())).map_err(
                |error| match error.into_kind() {
                    csv::ErrorKind::Io(error) => error,
                    other => std::io::Error::other(format!("{other:?}")),
                },
            ))
        }
        Format::Text => {
            if what_if.is_some() {
                say!("{}", text_comparison(&program, &before, shown));
            } else {
                say!("{}", text_report(&program, &before));
            }
        }
    }
    // The process ends here; freeing a million items one by one would only
    // delay the prompt.
    std::mem::forget(before);
    std::mem::forget(what_if);
    std::mem::forget(program);
    Ok(Outcome::Success)
}

fn find_item(program: &Program, key: &str) -> Result<linchpin_model::ItemId, Fatal> {
    let keys = program.keys();
    keys.items.get(key).copied().ok_or_else(|| {
        let hint = linchpin_model::diagnostic::did_you_mean(key, keys.items.keys().map(String::as_str))
            .map_or(String::new(), |s| format!("; did you mean `{s}`?"));
        Fatal(format!("unknown item `{key}`{hint}"))
    })
}

fn split<'a>(text: &'a str, what: &str) -> Result<(&'a str, &'a str), Fatal> {
    text.split_once('=').ok_or_else(|| Fatal(format!("`{text}` is not {what}")))
}

/// A what-if's working days, held to the limit a plan's estimates have.
fn number(text: &str, context: &str) -> Result<f64, Fatal> {
    let days = text
        .trim()
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite() && *v >= 0.0)
        .ok_or_else(|| Fatal(format!("`{text}` in `{context}` is not a number of working days")))?;
    if days > MAX_DAYS {
        return Err(Fatal(format!(
            "`{text}` in `{context}` is more than {MAX_DAYS} working days (forty years); check for a typo or a unit mix-up"
        )));
    }
    Ok(days)
}

fn parse_changes(program: &Program, args: &Args) -> Result<Vec<Change>, Fatal> {
    let mut changes = Vec::new();
    for text in &args.estimates {
        let (key, value) = split(text, "ITEM=DAYS or ITEM=O,L,P")?;
        let points: Vec<f64> = value.split(',').map(|v| number(v, text)).collect::<Result<_, _>>()?;
        let estimate = match points[..] {
            [days] => Estimate::exact(days),
            [optimistic, likely, pessimistic] if optimistic <= likely && likely <= pessimistic => {
                Estimate { optimistic, likely, pessimistic }
            }
            _ => return Err(Fatal(format!("`{text}`: give one number or optimistic ≤ likely ≤ pessimistic"))),
        };
        changes.push(Change::Estimate { item: find_item(program, key)?, estimate });
    }
    for text in &args.capacities {
        let (key, value) = split(text, "TEAM=N or TEAM=N@DATE")?;
        let keys = program.keys();
        let team = keys.teams.get(key).copied().ok_or_else(|| {
            let hint = linchpin_model::diagnostic::did_you_mean(key, keys.teams.keys().map(String::as_str))
                .map_or(String::new(), |s| format!("; did you mean `{s}`?"));
            Fatal(format!("unknown team `{key}`{hint}"))
        })?;
        let (people, from) = match value.split_once('@') {
            Some((people, date)) => (people, Some(parse_date(date).map_err(Fatal)?)),
            None => (value, None),
        };
        let people: u32 = people
            .trim()
            .parse()
            .ok()
            .filter(|p| *p >= 1)
            .ok_or_else(|| Fatal(format!("`{text}`: capacity must be a whole number of people, at least 1")))?;
        changes.push(Change::Capacity { team, people, from });
    }
    for text in &args.slips {
        let (key, value) = split(text, "ITEM=DAYS")?;
        changes.push(Change::Slip { item: find_item(program, key)?, days: number(value, text)? });
    }
    Ok(changes)
}

#[derive(Serialize)]
struct JsonItem {
    id: String,
    title: String,
    team: String,
    status: &'static str,
    start: String,
    finish: String,
    total_slack: f64,
    free_slack: f64,
    critical: bool,
    capacity_wait: f64,
    held_by: Option<String>,
}

#[derive(Serialize)]
struct JsonMilestone {
    id: String,
    title: String,
    date: String,
    target: Option<String>,
    slack_to_target: Option<f64>,
    late: bool,
}

#[derive(Serialize)]
struct JsonTeamWeek {
    team: String,
    week: String,
    demand: f64,
    capacity: f64,
    load_pct: f64,
}

#[derive(Serialize)]
struct JsonChange {
    milestone: String,
    before: String,
    after: String,
    /// Working days later (positive) or earlier (negative).
    change_days: f64,
}

#[derive(Serialize)]
struct JsonReport {
    program: String,
    start: String,
    end: String,
    end_days: f64,
    capacity_aware: bool,
    schedules_generated: usize,
    items: Vec<JsonItem>,
    milestones: Vec<JsonMilestone>,
    critical_path: Vec<String>,
    utilisation: Vec<JsonTeamWeek>,
    #[serde(skip_serializing_if = "Option::is_none")]
    what_if: Option<Vec<JsonChange>>,
}

fn round(value: f64) -> f64 {
    (value * 100.0).round() / 100.0
}

fn json_report(program: &Program, schedule: &Schedule) -> JsonReport {
    JsonReport {
        program: program.name().to_owned(),
        start: schedule.start_date.to_string(),
        end: schedule.end_date.to_string(),
        end_days: round(schedule.end),
        capacity_aware: schedule.capacity_aware,
        schedules_generated: schedule.schedules_generated,
        items: schedule
            .items
            .iter()
            .map(|s| {
                let item = program.item(s.item);
                JsonItem {
                    id: item.key.clone(),
                    title: item.title.clone(),
                    team: program.team(item.team).key.clone(),
                    status: item.status.as_str(),
                    start: schedule.start_date(s.item).to_string(),
                    finish: schedule.finish_date(s.item).to_string(),
                    total_slack: round(s.total_slack),
                    free_slack: round(s.free_slack),
                    critical: s.critical,
                    capacity_wait: round(s.capacity_wait),
                    held_by: s.held_by.map(|t| program.team(t).key.clone()),
                }
            })
            .collect(),
        milestones: schedule
            .milestones
            .iter()
            .map(|m| {
                let milestone = program.milestone(m.milestone);
                JsonMilestone {
                    id: milestone.key.clone(),
                    title: milestone.title.clone(),
                    date: m.date.to_string(),
                    target: m.target.map(|t| t.to_string()),
                    slack_to_target: m.slack_to_target.map(round),
                    late: m.slack_to_target.is_some_and(|s| s < 0.0),
                }
            })
            .collect(),
        critical_path: schedule.critical_path.iter().map(|i| program.item(*i).key.clone()).collect(),
        utilisation: schedule
            .utilisation
            .iter()
            .map(|w| JsonTeamWeek {
                team: program.team(w.team).key.clone(),
                week: w.week.to_string(),
                demand: round(w.demand),
                capacity: round(w.capacity),
                load_pct: if w.load().is_finite() { round(100.0 * w.load()) } else { -1.0 },
            })
            .collect(),
        what_if: None,
    }
}

fn comparison(program: &Program, before: &Schedule, after: &Schedule) -> Vec<JsonChange> {
    let mut rows: Vec<JsonChange> = before
        .milestones
        .iter()
        .zip(&after.milestones)
        .map(|(b, a)| JsonChange {
            milestone: program.milestone(b.milestone).key.clone(),
            before: b.date.to_string(),
            after: a.date.to_string(),
            change_days: round(a.finish - b.finish),
        })
        .collect();
    rows.push(JsonChange {
        milestone: "end".into(),
        before: before.end_date.to_string(),
        after: after.end_date.to_string(),
        change_days: round(after.end - before.end),
    });
    rows
}

/// Writes one CSV row per item straight to `out` (a million-item schedule
/// is tens of megabytes; it is never held in memory as text).
fn write_csv(program: &Program, schedule: &Schedule, out: impl std::io::Write) -> csv::Result<()> {
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record([
        "id",
        "title",
        "team",
        "status",
        "start",
        "finish",
        "total_slack",
        "free_slack",
        "critical",
        "capacity_wait",
        "held_by",
    ])?;
    // Dates repeat across items: format each working day once. Numbers go
    // through one reused buffer: a million rows, no allocation per row.
    let last_day = schedule.end.ceil().max(0.0) as usize + 1;
    let dates: Vec<String> = (0..=last_day).map(|day| schedule.days.date(day).to_string()).collect();
    // The same days `Schedule::start_date` and `Schedule::finish_date` give.
    let start_day = |t: f64| (t.max(0.0).floor() as usize).min(last_day);
    let finish_day = |t: f64| (((t - 1e-9).ceil() as i64 - 1).max(0) as usize).min(last_day);
    let mut numbers = String::new();
    fn number(buffer: &mut String, x: f64) -> std::ops::Range<usize> {
        let from = buffer.len();
        let _ = write!(buffer, "{x:.2}");
        from..buffer.len()
    }
    for s in &schedule.items {
        let item = program.item(s.item);
        let start = start_day(s.start);
        let finish = if s.finish <= s.start { start } else { finish_day(s.finish) };
        numbers.clear();
        let total = number(&mut numbers, s.total_slack);
        let free = number(&mut numbers, s.free_slack);
        let wait = number(&mut numbers, s.capacity_wait);
        writer.write_record([
            item.key.as_str(),
            item.title.as_str(),
            program.team(item.team).key.as_str(),
            item.status.as_str(),
            &dates[start],
            &dates[finish],
            &numbers[total],
            &numbers[free],
            if s.critical { "true" } else { "false" },
            &numbers[wait],
            s.held_by.map_or("", |t| program.team(t).key.as_str()),
        ])?;
    }
    writer.flush()?;
    Ok(())
}

fn text_report(program: &Program, schedule: &Schedule) -> String {
    let mut out = String::new();
    let mode = if schedule.capacity_aware {
        format!("capacity-aware ({} schedules tried)", schedule.schedules_generated)
    } else {
        "critical path, capacity ignored".to_owned()
    };
    let as_of = program.status_date().map_or(String::new(), |d| format!(", as of {d}"));
    let _ = writeln!(out, "{}: {mode}{as_of}", program.name());
    let _ =
        writeln!(out, "start {}  end {}  ({:.1} working days)\n", schedule.start_date, schedule.end_date, schedule.end);

    let mut rows: Vec<_> = schedule.items.iter().collect();
    rows.sort_by(|a, b| a.start.total_cmp(&b.start).then(a.item.cmp(&b.item)));
    let id_width = program.items().iter().map(|i| i.key.len()).max().unwrap_or(4).max(4);
    let team_width = program.teams().iter().map(|t| t.key.len()).max().unwrap_or(4).max(4);
    let _ = writeln!(
        out,
        "{:id_width$}  {:team_width$}  {:10}  {:10}  {:>6}  {:4}  WAITING ON CAPACITY",
        "ITEM", "TEAM", "START", "FINISH", "SLACK", "CRIT"
    );
    for s in rows {
        let item = program.item(s.item);
        let status = match item.status {
            linchpin_model::ItemStatus::Done => "done",
            _ if s.critical => "*",
            _ => "",
        };
        let waiting = match s.held_by {
            Some(team) => format!("{:.1} d ({})", s.capacity_wait, program.team(team).key),
            None => String::new(),
        };
        let _ = writeln!(
            out,
            "{:id_width$}  {:team_width$}  {:10}  {:10}  {:>6.1}  {:4}  {}",
            item.key,
            program.team(item.team).key,
            schedule.start_date(s.item),
            schedule.finish_date(s.item),
            s.total_slack,
            status,
            waiting
        );
    }

    if !schedule.milestones.is_empty() {
        let _ = writeln!(out, "\nMILESTONE  DATE        TARGET      SLACK");
        for m in &schedule.milestones {
            let milestone = program.milestone(m.milestone);
            let target = m.target.map_or("-".to_owned(), |t| t.to_string());
            let slack = m
                .slack_to_target
                .map_or(String::new(), |s| if s < 0.0 { format!("{:.1} d LATE", -s) } else { format!("{s:.1} d") });
            let _ = writeln!(out, "{:9}  {:10}  {:10}  {slack:12}  {}", milestone.key, m.date, target, milestone.title);
        }
    }
    if !schedule.critical_path.is_empty() {
        let path: Vec<&str> = schedule.critical_path.iter().map(|i| program.item(*i).key.as_str()).collect();
        let _ = writeln!(out, "\ncritical path: {}", path.join(" → "));
    }
    let mut overloaded: Vec<_> = schedule.utilisation.iter().filter(|w| w.load() > 1.0 + 1e-9).collect();
    if !overloaded.is_empty() {
        overloaded.sort_by(|a, b| b.load().total_cmp(&a.load()));
        let _ = writeln!(out, "\nteams asked for more than they have (person-days per week):");
        for w in overloaded.iter().take(10) {
            let load = if w.load().is_finite() { format!("{:.0} %", 100.0 * w.load()) } else { "no capacity".into() };
            let _ = writeln!(
                out,
                "  {:team_width$}  week of {}  {:.1} of {:.1}  ({load})",
                program.team(w.team).key,
                w.week,
                w.demand,
                w.capacity
            );
        }
        if overloaded.len() > 10 {
            let _ = writeln!(out, "  … and {} more team-weeks", overloaded.len() - 10);
        }
    }
    out
}

fn text_comparison(program: &Program, before: &Schedule, after: &Schedule) -> String {
    let mut out = String::from(
        "what if: milestone dates before and after the change\n\nMILESTONE  BEFORE      AFTER       CHANGE\n",
    );
    for row in comparison(program, before, after) {
        let change = if row.change_days.abs() < 0.05 {
            "no change".to_owned()
        } else if row.change_days > 0.0 {
            format!("{:.1} working days later", row.change_days)
        } else {
            format!("{:.1} working days earlier", -row.change_days)
        };
        let _ = writeln!(out, "{:9}  {:10}  {:10}  {change}", row.milestone, row.before, row.after);
    }
    out
}
