//! Mermaid: a `gantt` chart of the schedule (a section per team, critical
//! work marked `crit`, milestones as milestones) and a `flowchart` of the
//! dependency map (a subgraph per team, the critical path drawn heavy).
//!
//! Mermaid has no escape for the characters that end a task's text or a
//! label (`:`, `;`, `#`, quotes, brackets, `%%` comments), so text keeps
//! letters, digits, spaces and `. , - _ ( ) / ' + ! ? * @ $`, and anything
//! else becomes a space. Every node and task has a generated id (`i3`,
//! `m1`, `t0`), never the plan's.

use std::collections::HashSet;
use std::io::{self, Write};

use chrono::{Datelike, Duration, Weekday};
use linchpin_engine::schedule::Schedule;
use linchpin_model::{ItemId, ItemStatus, LagUnit, LinkKind, Program};

use super::plain;

/// Text as a Mermaid label or task name shows it, with nothing Mermaid reads
/// as syntax.
pub fn text(value: &str) -> String {
    let kept = |c: char| c.is_alphanumeric() || " .,-_()/'+!?*@$".contains(c);
    let mut out: String = plain(value).chars().map(|c| if kept(c) { c } else { ' ' }).collect();
    let trimmed = out.trim_end().len();
    out.truncate(trimmed);
    let leading = out.len() - out.trim_start().len();
    out.drain(..leading);
    if out.is_empty() { "-".to_owned() } else { out }
}

/// An item as a label: its id and title.
fn item_label(program: &Program, item: ItemId) -> String {
    let item = program.item(item);
    text(&format!("{} {}", item.key, item.title))
}

/// The Gantt chart: one task per item, in its team's section, from its
/// scheduled start to the day after its last day (Mermaid's end is
/// exclusive), then the milestones on their scheduled dates.
pub fn gantt(program: &Program, schedule: &Schedule, out: &mut impl Write) -> io::Result<()> {
    writeln!(out, "gantt")?;
    writeln!(out, "    title {}", text(program.name()))?;
    writeln!(out, "    dateFormat YYYY-MM-DD")?;
    writeln!(out, "    axisFormat %Y-%m-%d")?;
    let calendar = program.calendar();
    let weekends = [Weekday::Sat, Weekday::Sun];
    let mut excludes = Vec::new();
    let five_day_week = [Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri]
        .into_iter()
        .all(|d| calendar.working_days.contains(d))
        && !weekends.into_iter().any(|d| calendar.working_days.contains(d));
    if five_day_week {
        excludes.push("weekends".to_owned());
    }
    let last = schedule.end_date;
    excludes.extend(
        calendar
            .holidays
            .range(program.start()..=last)
            .filter(|d| !five_day_week || !weekends.contains(&d.weekday()))
            .map(|d| d.to_string()),
    );
    if !excludes.is_empty() {
        writeln!(out, "    excludes {}", excludes.join(", "))?;
    }
    let mut by_team: Vec<Vec<ItemId>> = vec![Vec::new(); program.teams().len()];
    for s in &schedule.items {
        by_team[program.item(s.item).team.index()].push(s.item);
    }
    for (team, items) in program.teams().iter().zip(&by_team) {
        if items.is_empty() {
            continue;
        }
        writeln!(out, "    section {}", text(&team.name))?;
        let mut items = items.clone();
        items.sort_by(|a, b| schedule.item(*a).start.total_cmp(&schedule.item(*b).start).then(a.cmp(b)));
        for id in items {
            let s = schedule.item(id);
            let mut tags = Vec::new();
            match program.item(id).status {
                ItemStatus::Done => tags.push("done"),
                ItemStatus::InProgress => tags.push("active"),
                ItemStatus::NotStarted | ItemStatus::Blocked => {}
            }
            if s.critical && program.item(id).status != ItemStatus::Done {
                tags.push("crit");
            }
            let start = schedule.start_date(id);
            let end = if s.finish <= s.start {
                "0d".to_owned()
            } else {
                (schedule.finish_date(id) + Duration::days(1)).to_string()
            };
            tags.push("");
            writeln!(out, "    {} :{}i{}, {start}, {end}", item_label(program, id), tags.join(", "), id.index())?;
        }
    }
    if !schedule.milestones.is_empty() {
        writeln!(out, "    section Milestones")?;
        for m in &schedule.milestones {
            let milestone = program.milestone(m.milestone);
            let label = text(&format!("{} {}", milestone.key, milestone.title));
            writeln!(out, "    {label} :milestone, m{}, {}, 0d", m.milestone.index(), m.date)?;
        }
    }
    Ok(())
}

/// The dependency map: items in a subgraph per team, milestones as
/// hexagons fed by the work they require, links labelled with their type
/// and lag when they are not a plain finish-to-start, and the critical
/// path's items and links drawn heavy.
pub fn flowchart(program: &Program, schedule: &Schedule, out: &mut impl Write) -> io::Result<()> {
    writeln!(out, "---\ntitle: {}\n---", text(program.name()))?;
    writeln!(out, "flowchart LR")?;
    let mut by_team: Vec<Vec<ItemId>> = vec![Vec::new(); program.teams().len()];
    for (i, item) in program.items().iter().enumerate() {
        by_team[item.team.index()].push(ItemId::new(i));
    }
    for (t, (team, items)) in program.teams().iter().zip(&by_team).enumerate() {
        if items.is_empty() {
            continue;
        }
        writeln!(out, "    subgraph t{t}[\"{}\"]", text(&team.name))?;
        for id in items {
            writeln!(out, "        i{}[\"{}\"]", id.index(), item_label(program, *id))?;
        }
        writeln!(out, "    end")?;
    }
    for m in program.milestones().iter().enumerate() {
        writeln!(out, "    m{}{{{{\"{}\"}}}}", m.0, text(&format!("{} {}", m.1.key, m.1.title)))?;
    }
    let on_path: HashSet<(ItemId, ItemId)> = schedule.critical_path.windows(2).map(|w| (w[0], w[1])).collect();
    let mut heavy = Vec::new();
    let mut edge = 0usize;
    for (i, item) in program.items().iter().enumerate() {
        for d in &item.depends {
            let label = link_label(d.kind, d.lag, d.lag_unit);
            match label {
                Some(label) => writeln!(out, "    i{} -->|\"{label}\"| i{i}", d.on.index())?,
                None => writeln!(out, "    i{} --> i{i}", d.on.index())?,
            }
            if on_path.contains(&(d.on, ItemId::new(i))) {
                heavy.push(edge);
            }
            edge += 1;
        }
    }
    for (m, milestone) in program.milestones().iter().enumerate() {
        for item in &milestone.requires {
            writeln!(out, "    i{} -.-> m{m}", item.index())?;
        }
    }
    writeln!(out, "    classDef critical stroke:#c00,stroke-width:3px")?;
    writeln!(out, "    classDef done fill:#e8e8e8,color:#555")?;
    let critical: Vec<String> = schedule
        .items
        .iter()
        .filter(|s| s.critical && program.item(s.item).status != ItemStatus::Done)
        .map(|s| format!("i{}", s.item.index()))
        .collect();
    let done: Vec<String> = program
        .items()
        .iter()
        .enumerate()
        .filter(|(_, item)| item.status == ItemStatus::Done)
        .map(|(i, _)| format!("i{i}"))
        .collect();
    for (class, nodes) in [("critical", critical), ("done", done)] {
        if !nodes.is_empty() {
            writeln!(out, "    class {} {class}", nodes.join(","))?;
        }
    }
    if !heavy.is_empty() {
        let list: Vec<String> = heavy.iter().map(usize::to_string).collect();
        writeln!(out, "    linkStyle {} stroke:#c00,stroke-width:3px", list.join(","))?;
    }
    Ok(())
}

/// How a link reads on the map when it is not a plain finish-to-start:
/// `SS +1d`, `FS +14 cal d`, `FF -2d`. Also used by the DOT writer.
pub fn link_label(kind: LinkKind, lag: f64, unit: LagUnit) -> Option<String> {
    if kind == LinkKind::FinishToStart && lag == 0.0 {
        return None;
    }
    let mut label = kind.abbreviation().to_owned();
    if lag != 0.0 {
        let unit = match unit {
            LagUnit::WorkingDays => "d",
            LagUnit::CalendarDays => " cal d",
        };
        label.push_str(&format!(" {lag:+}{unit}"));
    }
    Some(label)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::testing::{PLAN, scheduled};

    fn written(f: impl FnOnce(&mut Vec<u8>) -> io::Result<()>) -> String {
        let mut out = Vec::new();
        f(&mut out).expect("written");
        String::from_utf8(out).expect("utf-8")
    }

    #[test]
    fn text_keeps_nothing_mermaid_reads_as_syntax() {
        assert_eq!(text("Web part: #1 %% \"x\" [y]; <b>"), "Web part   1     x   y    b");
        assert_eq!(text("::"), "-");
        assert_eq!(text("Café (v2)"), "Café (v2)");
    }

    #[test]
    fn gantt_has_every_item_in_its_team_and_the_milestones() {
        let (program, schedule) = scheduled(PLAN);
        let chart = written(|out| gantt(&program, &schedule, out));
        assert!(chart.starts_with("gantt\n    title Pay  2J  ments\n"), "{chart}");
        assert!(chart.contains("excludes weekends, 2027-01-18\n"), "{chart}");
        assert!(chart.contains("    section Core  team\n"), "{chart}");
        // A takes three days from Monday 4 January: its end is Thursday, exclusive.
        assert!(chart.contains("    A Design  evil :crit, i0, 2027-01-04, 2027-01-07\n"), "{chart}");
        let m1 = &schedule.milestones[0];
        assert!(chart.contains(&format!("    M1 Launch  all :milestone, m0, {}, 0d\n", m1.date)), "{chart}");
        for i in 0..program.items().len() {
            assert_eq!(chart.matches(&format!("i{i}, 2027-")).count(), 1, "{chart}");
        }
        assert!(!chart.contains(['\u{1b}', '\u{202e}', '"', ';', '#']), "{chart}");
    }

    #[test]
    fn flowchart_labels_links_and_marks_the_critical_path() {
        let (program, schedule) = scheduled(PLAN);
        let chart = written(|out| flowchart(&program, &schedule, out));
        assert!(chart.contains("    subgraph t0[\"Core  team\"]\n        i0[\"A Design  evil\"]\n"), "{chart}");
        assert!(chart.contains("    i0 --> i1\n"), "{chart}");
        assert!(chart.contains("    i0 -->|\"SS +1d\"| i2\n"), "{chart}");
        assert!(chart.contains("    i1 -->|\"FF +2d\"| i2\n"), "{chart}");
        assert!(chart.contains("    i1 -->|\"FS +14 cal d\"| i3\n"), "{chart}");
        assert!(chart.contains("    m0{{\"M1 Launch  all\"}}\n"), "{chart}");
        assert!(chart.contains("    i2 -.-> m0\n"), "{chart}");
        assert!(chart.contains("class i0,i1"), "{chart}");
        assert!(chart.contains("linkStyle 0"), "{chart}");
    }
}
