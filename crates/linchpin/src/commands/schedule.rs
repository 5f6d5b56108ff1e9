//! `linchpin schedule PLAN`: when each item happens, what drives the end
//! date, who waits on whom, and what a change would do to the milestones.

use std::fmt::Write as _;

use linchpin_analysis::run::{WhatIf, plan_schedule, what_if};
use linchpin_analysis::view::schedule::{ScheduleView, comparison};
use linchpin_analysis::what_if::WhatIfs;
use linchpin_engine::progress::Quiet;
use linchpin_engine::schedule::{Conflict, ItemSchedule, Schedule, Work};
use linchpin_model::{ItemStatus, Program};

use crate::input::{PlanArgs, ScheduleArgs};
use crate::text::{self, ID_WIDTH, left};
use crate::{Error, Outcome};

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
    /// What if TEAM had N people (from DATE on)? Repeatable.
    #[arg(long = "people", value_name = "TEAM=N[@DATE]")]
    pub people: Vec<String>,
    /// What if ITEM slipped by DAYS working days, at most 10,000? Repeatable.
    #[arg(long = "slip", value_name = "ITEM=DAYS")]
    pub slips: Vec<String>,
    /// The old name of `--people`.
    #[arg(long = "capacity", value_name = "TEAM=N[@DATE]", hide = true)]
    pub old_people: Vec<String>,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    Csv,
}

pub fn run(args: Args) -> Result<Outcome, Error> {
    if let Some(old) = args.old_people.first() {
        return Err(Error::Renamed { old: format!("--capacity {old}"), new: format!("--people {old}") });
    }
    let Some(program) = args.plan.program()? else { return Ok(Outcome::ProblemsFound) };
    let settings =
        args.scheduling.raw().resolve(program.items().len()).map_err(linchpin_analysis::AnalysisError::from)?;
    let what_ifs = WhatIfs { estimates: args.estimates, people: args.people, slips: args.slips };
    let changes = what_ifs.changes(&program).map_err(linchpin_analysis::AnalysisError::from)?;
    let shown = if changes.is_empty() {
        Shown::Plain(Box::new(plan_schedule(&program, &settings, &Quiet)?))
    } else {
        Shown::WhatIf(Box::new(what_if(&program, &settings, &changes, &Quiet)?))
    };
    match (&shown, args.format) {
        (Shown::Plain(schedule), Format::Json) => crate::emit_json(&ScheduleView::new(&program, schedule)),
        (Shown::Plain(schedule), Format::Csv) => csv(&program, schedule),
        (Shown::Plain(schedule), Format::Text) => say!("{}", text_report(&program, schedule)),
        (Shown::WhatIf(what_if), Format::Json) => {
            let WhatIf { before, changed, after } = &**what_if;
            let mut view = ScheduleView::new(changed, after);
            view.what_if = Some(comparison(&program, before, after));
            crate::emit_json(&view);
        }
        (Shown::WhatIf(what_if), Format::Csv) => csv(&what_if.changed, &what_if.after),
        (Shown::WhatIf(what_if), Format::Text) => {
            say!("{}", text_comparison(&program, &what_if.before, &what_if.after))
        }
    }
    // The process ends here; freeing a million items one by one would only
    // delay the prompt.
    std::mem::forget(shown);
    std::mem::forget(program);
    Ok(Outcome::Success)
}

/// The schedule shown: the plan's own, or the plan's before and after a what-if.
enum Shown {
    Plain(Box<Schedule>),
    WhatIf(Box<WhatIf>),
}

fn csv(program: &Program, schedule: &Schedule) {
    crate::written(write_csv(program, schedule, std::io::BufWriter::new(std::io::stdout().lock())).map_err(|error| {
        match error.into_kind() {
            csv::ErrorKind::Io(error) => error,
            other => std::io::Error::other(format!("{other:?}")),
        }
    }))
}

/// Writes one CSV row per item straight to `out` (a million-item schedule
/// is tens of megabytes; it is never held in memory as text). Text taken
/// from the plan goes through [`text::csv_cell`], so no cell is a formula;
/// the numbers are written as numbers.
pub fn write_csv(program: &Program, schedule: &Schedule, out: impl std::io::Write) -> csv::Result<()> {
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
            &*text::csv_cell(&item.key),
            &*text::csv_cell(&item.title),
            &*text::csv_cell(&program.team(item.team).key),
            item.status.as_str(),
            &dates[start],
            &dates[finish],
            &numbers[total],
            &numbers[free],
            if s.critical { "true" } else { "false" },
            &numbers[wait],
            &*s.held_by.map_or(std::borrow::Cow::Borrowed(""), |t| text::csv_cell(&program.team(t).key)),
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
    let _ = writeln!(out, "{}: {mode}{as_of}", text::title(program.name()));
    let _ =
        writeln!(out, "start {}  end {}  ({:.1} working days)", schedule.start_date, schedule.end_date, schedule.end);
    if let Some(bound) = schedule.lower_bound {
        let by = bound
            .team
            .map_or("the critical path".to_owned(), |t| format!("the work of team {}", text::id(&program.team(t).key)));
        let date = schedule.days.finish_date(bound.days.max(1.0));
        let gap = schedule.end - bound.days;
        let this = if gap <= 1e-9 {
            "this schedule reaches it".to_owned()
        } else {
            format!("this one ends {gap:.1} working days later")
        };
        let _ = writeln!(out, "no schedule can end before {date} ({by}); {this}");
    }
    let estimated = schedule.items.iter().filter(|s| s.slack_estimated).count();
    if estimated > 0 {
        let open = |s: &&ItemSchedule| program.item(s.item).status != ItemStatus::Done;
        let measured = schedule.items.iter().filter(open).filter(|s| !s.slack_estimated).count();
        let _ = writeln!(
            out,
            "slack measured by slipping for the {measured} most critical unfinished items; ~ marks the other {estimated}, estimated"
        );
    }
    let _ = writeln!(out);

    let mut rows: Vec<_> = schedule.items.iter().collect();
    rows.sort_by(|a, b| a.start.total_cmp(&b.start).then(a.item.cmp(&b.item)));
    // Every id as shown, once: escaped and at most `ID_WIDTH` columns.
    let ids: Vec<_> = program.items().iter().map(|i| text::id(&i.key)).collect();
    let teams: Vec<_> = program.teams().iter().map(|t| text::id(&t.key)).collect();
    let id_width = text::column(ids.iter().map(|s| &**s), 4, ID_WIDTH);
    let team_width = text::column(teams.iter().map(|s| &**s), 4, ID_WIDTH);
    // The least slack to a milestone, and which: how far the item can slip
    // before the first milestone it feeds moves.
    let milestone_ids: Vec<_> = program.milestones().iter().map(|m| text::id(&m.key)).collect();
    let to_milestone: Vec<String> = schedule
        .items
        .iter()
        .map(|s| {
            let least = s.milestone_slack.iter().min_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
            least.map_or(String::new(), |&(m, slack)| format!("{slack:>5.1} {}", milestone_ids[m.index()]))
        })
        .collect();
    // No column at all for a plan without milestones.
    let milestone_column =
        |cell: &str, width: usize| if width == 0 { String::new() } else { format!("{}  ", left(cell, width)) };
    let milestone_width = match to_milestone.iter().all(String::is_empty) {
        true => 0,
        false => text::column(to_milestone.iter().map(|s| &**s), 12, 12 + ID_WIDTH),
    };
    let _ = writeln!(
        out,
        "{}  {}  {:10}  {:10}  {:>6}  {}{:4}  WAITING ON CAPACITY",
        left("ITEM", id_width),
        left("TEAM", team_width),
        "START",
        "FINISH",
        "SLACK",
        milestone_column("TO MILESTONE", milestone_width),
        "CRIT"
    );
    for s in rows {
        let item = program.item(s.item);
        let status = match item.status {
            ItemStatus::Done => "done",
            _ if s.critical => "*",
            _ => "",
        };
        let waiting = match s.held_by {
            Some(team) => format!("{:.1} d ({})", s.capacity_wait, teams[team.index()]),
            None => String::new(),
        };
        let line = format!(
            "{}  {}  {:10}  {:10}  {:>6}  {}{:4}  {}",
            left(&ids[s.item.index()], id_width),
            left(&teams[item.team.index()], team_width),
            schedule.start_date(s.item),
            schedule.finish_date(s.item),
            // An estimate (a plan too large to slip every item) says so.
            if s.slack_estimated { format!("~{:.1}", s.total_slack) } else { format!("{:.1}", s.total_slack) },
            milestone_column(&to_milestone[s.item.index()], milestone_width),
            status,
            waiting
        );
        let _ = writeln!(out, "{}", line.trim_end());
    }

    if !schedule.milestones.is_empty() {
        let keys: Vec<_> = schedule.milestones.iter().map(|m| text::id(&program.milestone(m.milestone).key)).collect();
        let width = text::column(keys.iter().map(|s| &**s), 9, ID_WIDTH);
        let _ = writeln!(out, "\n{}  DATE        TARGET      SLACK", left("MILESTONE", width));
        for (m, key) in schedule.milestones.iter().zip(&keys) {
            let milestone = program.milestone(m.milestone);
            let target = m.target.map_or("-".to_owned(), |t| t.to_string());
            let slack = m
                .slack_to_target
                .map_or(String::new(), |s| if s < 0.0 { format!("{:.1} d LATE", -s) } else { format!("{s:.1} d") });
            let _ = writeln!(
                out,
                "{}  {:10}  {:10}  {slack:12}  {}",
                left(key, width),
                m.date,
                target,
                text::title(&milestone.title)
            );
        }
    }
    let group_ids: Vec<_> = program.groups().iter().map(|g| text::id(&g.key)).collect();
    if !schedule.groups.is_empty() {
        let width = text::column(group_ids.iter().map(|s| &**s), 5, ID_WIDTH);
        let _ = writeln!(out, "\n{}  START       FINISH       SLACK  CRIT  DONE   ITEMS", left("GROUP", width));
        for g in &schedule.groups {
            let group = program.group(g.group);
            let (start, finish) = if group.members.is_empty() {
                ("-".to_owned(), "-".to_owned())
            } else {
                (
                    schedule.days.start_date(g.start).to_string(),
                    schedule.work_finish_date(g.start, g.finish).to_string(),
                )
            };
            let slack = g.total_slack.map_or("-".to_owned(), |s| format!("{s:.1}"));
            let crit = if g.critical { "*" } else { "" };
            let done = format!("{:.0} %", 100.0 * g.progress);
            let _ = writeln!(
                out,
                "{}  {start:10}  {finish:10}  {slack:>6}  {crit:4}  {done:>5}  {:5}  {}",
                left(&group_ids[g.group.index()], width),
                group.members.len(),
                text::title(&group.title)
            );
        }
    }
    if !schedule.deadlines.is_empty() {
        let width = id_width.max(text::column(group_ids.iter().map(|s| &**s), 0, ID_WIDTH));
        let _ = writeln!(out, "\n{}  FINISH      DEADLINE    SLACK", left("WORK", width));
        for d in &schedule.deadlines {
            let (key, title, finish) = match d.work {
                Work::Item(item) => (&ids[item.index()], &program.item(item).title, schedule.finish_date(item)),
                Work::Group(group) => {
                    let g = &schedule.groups[group.index()];
                    (
                        &group_ids[group.index()],
                        &program.group(group).title,
                        schedule.work_finish_date(g.start, g.finish),
                    )
                }
            };
            let slack = if d.slack < 0.0 { format!("{:.1} d LATE", -d.slack) } else { format!("{:.1} d", d.slack) };
            let _ = writeln!(
                out,
                "{}  {finish:10}  {:10}  {slack:12}  {}",
                left(key, width),
                d.deadline,
                text::title(title)
            );
        }
    }
    if !schedule.conflicts.is_empty() {
        let _ = writeln!(out, "\nstart dates kept against the plan's logic:");
        for conflict in &schedule.conflicts {
            let _ = match conflict {
                Conflict::StartsBeforePredecessor { item, start_on, predecessor, allows } => writeln!(
                    out,
                    "  {} must start on {start_on}, but {}, which it waits on, lets it start on {allows} at the earliest",
                    ids[item.index()],
                    ids[predecessor.index()],
                ),
                Conflict::StartOnPassed { item, start_on } => writeln!(
                    out,
                    "  {} must start on {start_on}, which passed before it started; it is scheduled from the status date",
                    ids[item.index()],
                ),
            };
        }
    }
    if !schedule.critical_path.is_empty() {
        let path: Vec<&str> = schedule.critical_path.iter().map(|i| &*ids[i.index()]).collect();
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
                "  {}  week of {}  {:.1} of {:.1}  ({load})",
                left(&teams[w.team.index()], team_width),
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
    let rows = comparison(program, before, after);
    let keys: Vec<_> = rows.iter().map(|row| text::id(&row.milestone)).collect();
    let width = text::column(keys.iter().map(|s| &**s), 9, ID_WIDTH);
    let mut out = format!(
        "what if: milestone dates before and after the change\n\n{}  BEFORE      AFTER       CHANGE\n",
        left("MILESTONE", width)
    );
    for (row, key) in rows.iter().zip(&keys) {
        let change = if row.change_days.abs() < 0.05 {
            "no change".to_owned()
        } else if row.change_days > 0.0 {
            format!("{:.1} working days later", row.change_days)
        } else {
            format!("{:.1} working days earlier", -row.change_days)
        };
        let _ = writeln!(out, "{}  {:10}  {:10}  {change}", left(key, width), row.before, row.after);
    }
    out
}
