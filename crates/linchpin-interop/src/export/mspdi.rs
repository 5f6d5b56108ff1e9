//! MS Project XML (MSPDI, the schema MS Project 2007 and later read and
//! write, and MPXJ with them) of the capacity-aware schedule:
//!
//! - a standard calendar (the plan's working weekdays, 08:00–12:00 and
//!   13:00–17:00, its holidays as exceptions) and one calendar per team
//!   based on it, with the team's own holidays;
//! - groups as summary tasks with their items beneath, in outline order;
//!   items with their scheduled start and finish, duration, critical flag,
//!   total and free slack, percent complete and actual dates,
//!   `not_before` as Start No Earlier Than, `start_on` as Must Start On,
//!   deadlines, baseline dates, and the item's id in the `Text1` field;
//! - links with their type (FS, SS, FF) and lag, in working days (lag
//!   format `days`) or calendar days (`edays`);
//! - milestones as zero-length milestone tasks after the required work;
//! - teams as work resources (named by the team's name, its id in the
//!   resource's `Text1`, `MaxUnits` their people, availability periods
//!   their capacity changes) and each item assigned to its team.
//!
//! A working day is 8 hours (480 minutes); times within a day follow the
//! standard calendar, so a start half way through a day is 13:00.

use std::io::{self, Write};

use chrono::{NaiveDate, NaiveTime, Weekday};
use linchpin_engine::schedule::Schedule;
use linchpin_engine::time::WorkingDays;
use linchpin_model::{Calendar, GroupId, ItemId, ItemStatus, LagUnit, LinkKind, Program};
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};

use super::plain;

/// Minutes in a working day.
const MINUTES_PER_DAY: f64 = 480.0;
/// Text1's field id: where each task keeps its Linchpin id.
const TEXT1_FIELD: &str = "188743731";
/// A resource's Text1 field id: where each team keeps its Linchpin id, so
/// its name can be the team's display name.
const RESOURCE_TEXT1_FIELD: &str = "205520904";

/// Wall-clock time `minutes` into a working day of the standard calendar;
/// a start on the lunch break's edge is after lunch, a finish before it.
fn clock(minutes: f64, is_start: bool) -> NaiveTime {
    let m = minutes.round().clamp(0.0, MINUTES_PER_DAY) as u32;
    let after_lunch = if is_start { m >= 240 } else { m > 240 };
    let from_midnight = if after_lunch { 13 * 60 + (m - 240) } else { 8 * 60 + m };
    NaiveTime::from_hms_opt(from_midnight / 60, from_midnight % 60, 0).unwrap_or_default()
}

/// The instant of working time `t` (days from the program start), as a
/// start (`t` in `[k, k + 1)` is on working day `k`) or as a finish (`t`
/// in `(k, k + 1]` is on working day `k`, so a finish at 5.0 is 17:00 of
/// day 4, not 08:00 of day 5).
fn instant(days: &WorkingDays, t: f64, is_start: bool) -> String {
    let t = t.max(0.0);
    let k = if is_start || t == 0.0 { t.floor() } else { t.ceil() - 1.0 };
    let date = days.date(k as usize);
    let time = if !is_start && t == 0.0 { clock(0.0, true) } else { clock((t - k) * MINUTES_PER_DAY, is_start) };
    format!("{}T{}", date, time.format("%H:%M:%S"))
}

/// An ISO 8601 duration of `days` working days of 8 hours.
fn duration(days: f64) -> String {
    let minutes = (days.max(0.0) * MINUTES_PER_DAY).round() as u64;
    format!("PT{}H{}M0S", minutes / 60, minutes % 60)
}

/// Days in MSPDI's tenths of a minute (links' lags, slack).
fn tenths_of_minutes(days: f64, minutes_per_day: f64) -> String {
    format!("{}", (days * minutes_per_day * 10.0).round() as i64)
}

fn day_start(date: NaiveDate) -> String {
    format!("{date}T08:00:00")
}

fn day_finish(date: NaiveDate) -> String {
    format!("{date}T17:00:00")
}

/// What a task is, in outline order.
enum Row {
    Group(GroupId, usize),
    Item(ItemId, usize),
}

/// Groups then the items directly in them, depth first; items in no group
/// after every group, at the top level.
fn outline(program: &Program) -> Vec<Row> {
    let mut child_groups: Vec<Vec<GroupId>> = vec![Vec::new(); program.groups().len()];
    let mut roots = Vec::new();
    for (g, group) in program.groups().iter().enumerate() {
        match group.parent {
            Some(parent) => child_groups[parent.index()].push(GroupId::new(g)),
            None => roots.push(GroupId::new(g)),
        }
    }
    let mut child_items: Vec<Vec<ItemId>> = vec![Vec::new(); program.groups().len()];
    let mut loose = Vec::new();
    for (i, item) in program.items().iter().enumerate() {
        match item.group {
            Some(g) => child_items[g.index()].push(ItemId::new(i)),
            None => loose.push(ItemId::new(i)),
        }
    }
    let mut rows = Vec::with_capacity(program.groups().len() + program.items().len());
    // Depth first without recursion: a stack of groups still to write.
    let mut stack: Vec<(GroupId, usize)> = roots.iter().rev().map(|&g| (g, 1)).collect();
    while let Some((g, level)) = stack.pop() {
        rows.push(Row::Group(g, level));
        rows.extend(child_items[g.index()].iter().map(|&i| Row::Item(i, level + 1)));
        stack.extend(child_groups[g.index()].iter().rev().map(|&c| (c, level + 1)));
    }
    rows.extend(loose.into_iter().map(|i| Row::Item(i, 1)));
    rows
}

type Xml<W> = Writer<W>;

fn element<W: Write>(w: &mut Xml<W>, name: &str, value: &str) -> io::Result<()> {
    w.create_element(name).write_text_content(BytesText::new(value)).map(|_| ())
}

fn flag<W: Write>(w: &mut Xml<W>, name: &str, value: bool) -> io::Result<()> {
    element(w, name, if value { "1" } else { "0" })
}

/// Outline numbers as MS Project writes them: `1`, `1.2`, `1.2.1`.
struct OutlineNumbers(Vec<u32>);

impl OutlineNumbers {
    fn next(&mut self, level: usize) -> String {
        self.0.truncate(level);
        while self.0.len() < level {
            self.0.push(0);
        }
        if let Some(last) = self.0.last_mut() {
            *last += 1;
        }
        self.0.iter().map(u32::to_string).collect::<Vec<_>>().join(".")
    }
}

pub fn write(program: &Program, schedule: &Schedule, out: &mut impl Write) -> io::Result<()> {
    let mut days = schedule.days.clone();
    days.ensure(schedule.end.ceil().max(0.0) as usize + 1);
    let items = program.items().len();
    let groups = program.groups().len();
    // UIDs: items 1..=n in plan order, then groups, then milestones, so a
    // re-export of the same plan keeps each task's UID.
    let item_uid = |i: ItemId| i.index() + 1;
    let group_uid = |g: GroupId| items + g.index() + 1;
    let milestone_uid = |m: usize| items + groups + m + 1;
    let team_calendar_uid = |t: usize| t + 2;
    let worked_per_week =
        [Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri, Weekday::Sat, Weekday::Sun]
            .into_iter()
            .filter(|d| program.calendar().working_days.contains(*d))
            .count();

    let mut w = Writer::new_with_indent(out, b' ', 2);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), Some("yes"))))?;
    w.create_element("Project").with_attribute(("xmlns", "http://schemas.microsoft.com/project")).write_inner_content(
        |w| {
            element(w, "SaveVersion", "14")?;
            element(w, "Name", &plain(program.name()))?;
            element(w, "Title", &plain(program.name()))?;
            flag(w, "ScheduleFromStart", true)?;
            element(w, "StartDate", &day_start(schedule.start_date))?;
            element(w, "FinishDate", &instant(&days, schedule.end, false))?;
            element(w, "CalendarUID", "1")?;
            element(w, "DefaultStartTime", "08:00:00")?;
            element(w, "DefaultFinishTime", "17:00:00")?;
            element(w, "MinutesPerDay", "480")?;
            element(w, "MinutesPerWeek", &(480 * worked_per_week).to_string())?;
            element(w, "DaysPerMonth", "20")?;
            element(w, "DurationFormat", "7")?;
            if let Some(status) = program.status_date() {
                element(w, "CurrentDate", &day_start(status))?;
                element(w, "StatusDate", &day_finish(status))?;
            }
            w.create_element("ExtendedAttributes").write_inner_content(|w| {
                w.create_element("ExtendedAttribute").write_inner_content(|w| {
                    element(w, "FieldID", TEXT1_FIELD)?;
                    element(w, "FieldName", "Text1")?;
                    element(w, "Alias", "Linchpin id")
                })?;
                w.create_element("ExtendedAttribute").write_inner_content(|w| {
                    element(w, "FieldID", RESOURCE_TEXT1_FIELD)?;
                    element(w, "FieldName", "Text1")?;
                    element(w, "Alias", crate::import::mspdi::TEAM_ID_ALIAS)
                })?;
                Ok(())
            })?;
            w.create_element("Calendars").write_inner_content(|w| {
                calendar(w, 1, "Standard", None, program.calendar(), program.calendar())?;
                for (t, team) in program.teams().iter().enumerate() {
                    let own = program.team_calendar(linchpin_model::TeamId::new(t));
                    calendar(w, team_calendar_uid(t), &team.name, Some(1), &own, program.calendar())?;
                }
                Ok(())
            })?;
            w.create_element("Tasks").write_inner_content(|w| {
                let mut numbers = OutlineNumbers(Vec::new());
                let mut id = 0usize;
                for row in outline(program) {
                    id += 1;
                    match row {
                        Row::Group(g, level) => {
                            let group = program.group(g);
                            let s = &schedule.groups[g.index()];
                            let (start, finish) =
                                if group.members.is_empty() { (0.0, 0.0) } else { (s.start, s.finish.max(s.start)) };
                            let number = numbers.next(level);
                            w.create_element("Task").write_inner_content(|w| {
                                element(w, "UID", &group_uid(g).to_string())?;
                                element(w, "ID", &id.to_string())?;
                                element(w, "Name", &plain(&group.title))?;
                                element(w, "Type", "1")?;
                                flag(w, "IsNull", false)?;
                                element(w, "WBS", &number)?;
                                element(w, "OutlineNumber", &number)?;
                                element(w, "OutlineLevel", &level.to_string())?;
                                element(w, "Start", &instant(&days, start, true))?;
                                element(w, "Finish", &instant(&days, finish, finish <= start))?;
                                element(w, "Duration", &duration(finish - start))?;
                                element(w, "DurationFormat", "7")?;
                                flag(w, "Milestone", false)?;
                                flag(w, "Summary", true)?;
                                flag(w, "Critical", s.critical)?;
                                if let Some(slack) = s.total_slack {
                                    element(w, "TotalSlack", &tenths_of_minutes(slack, MINUTES_PER_DAY))?;
                                }
                                element(w, "PercentComplete", &format!("{:.0}", 100.0 * s.progress))?;
                                if let Some(deadline) = group.deadline {
                                    element(w, "Deadline", &day_finish(deadline))?;
                                }
                                text1(w, &group.key)
                            })?;
                        }
                        Row::Item(i, level) => {
                            let number = numbers.next(level);
                            item_task(w, program, schedule, &days, i, (item_uid(i), id, level), &number)?;
                        }
                    }
                }
                for (m, milestone) in program.milestones().iter().enumerate() {
                    id += 1;
                    let s = &schedule.milestones[m];
                    let number = numbers.next(1);
                    w.create_element("Task").write_inner_content(|w| {
                        element(w, "UID", &milestone_uid(m).to_string())?;
                        element(w, "ID", &id.to_string())?;
                        element(w, "Name", &plain(&milestone.title))?;
                        element(w, "Type", "1")?;
                        flag(w, "IsNull", false)?;
                        element(w, "WBS", &number)?;
                        element(w, "OutlineNumber", &number)?;
                        element(w, "OutlineLevel", "1")?;
                        let at = instant(&days, s.finish, s.finish <= 0.0);
                        element(w, "Start", &at)?;
                        element(w, "Finish", &at)?;
                        element(w, "Duration", &duration(0.0))?;
                        element(w, "DurationFormat", "7")?;
                        flag(w, "Milestone", true)?;
                        flag(w, "Summary", false)?;
                        let critical = s.slack_to_target.is_some_and(|slack| slack <= 0.0)
                            || milestone.requires.iter().any(|r| schedule.item(*r).critical);
                        flag(w, "Critical", critical)?;
                        if let Some(target) = milestone.target {
                            element(w, "Deadline", &day_finish(target))?;
                        }
                        for required in &milestone.requires {
                            w.create_element("PredecessorLink").write_inner_content(|w| {
                                element(w, "PredecessorUID", &item_uid(*required).to_string())?;
                                element(w, "Type", "1")?;
                                element(w, "LinkLag", "0")?;
                                element(w, "LagFormat", "7")
                            })?;
                        }
                        text1(w, &milestone.key)
                    })?;
                }
                Ok(())
            })?;
            w.create_element("Resources").write_inner_content(|w| {
                for (t, team) in program.teams().iter().enumerate() {
                    w.create_element("Resource").write_inner_content(|w| {
                        element(w, "UID", &(t + 1).to_string())?;
                        element(w, "ID", &(t + 1).to_string())?;
                        element(w, "Name", &plain(&team.name))?;
                        element(w, "Type", "1")?;
                        flag(w, "IsNull", false)?;
                        element(w, "MaxUnits", &format!("{:.2}", f64::from(team.capacity)))?;
                        element(w, "CalendarUID", &team_calendar_uid(t).to_string())?;
                        w.create_element("ExtendedAttribute").write_inner_content(|w| {
                            element(w, "FieldID", RESOURCE_TEXT1_FIELD)?;
                            element(w, "Value", &plain(&team.key))
                        })?;
                        if !team.capacity_changes.is_empty() {
                            w.create_element("AvailabilityPeriods").write_inner_content(|w| {
                                let mut from = program.start();
                                let mut people = team.capacity;
                                for change in team.capacity_changes.iter() {
                                    if change.from > from {
                                        availability(w, from, change.from.pred_opt(), people)?;
                                    }
                                    from = change.from.max(from);
                                    people = change.people;
                                }
                                availability(w, from, None, people)
                            })?;
                        }
                        Ok(())
                    })?;
                }
                Ok(())
            })?;
            w.create_element("Assignments").write_inner_content(|w| {
                for (i, item) in program.items().iter().enumerate() {
                    let id = ItemId::new(i);
                    let s = schedule.item(id);
                    w.create_element("Assignment").write_inner_content(|w| {
                        element(w, "UID", &item_uid(id).to_string())?;
                        element(w, "TaskUID", &item_uid(id).to_string())?;
                        element(w, "ResourceUID", &(item.team.index() + 1).to_string())?;
                        element(w, "Finish", &instant(&days, s.finish, s.finish <= s.start))?;
                        element(w, "Start", &instant(&days, s.start, true))?;
                        element(w, "Units", &format!("{:.2}", f64::from(item.people)))?;
                        element(w, "Work", &duration((s.finish - s.start) * f64::from(item.people)))
                    })?;
                }
                Ok(())
            })?;
            Ok(())
        },
    )?;
    w.get_mut().write_all(b"\n")
}

fn text1<W: Write>(w: &mut Xml<W>, key: &str) -> io::Result<()> {
    w.create_element("ExtendedAttribute").write_inner_content(|w| {
        element(w, "FieldID", TEXT1_FIELD)?;
        element(w, "Value", &plain(key))
    })?;
    Ok(())
}

fn availability<W: Write>(w: &mut Xml<W>, from: NaiveDate, to: Option<NaiveDate>, people: u32) -> io::Result<()> {
    w.create_element("AvailabilityPeriod").write_inner_content(|w| {
        element(w, "AvailableFrom", &format!("{from}T00:00:00"))?;
        // MS Project's "NA": available from then on.
        let to = to.map_or("2049-12-31T23:59:00".to_owned(), |to| format!("{to}T23:59:00"));
        element(w, "AvailableTo", &to)?;
        element(w, "AvailableUnits", &format!("{:.2}", f64::from(people)))
    })?;
    Ok(())
}

/// A calendar: the weekdays (MS Project numbers Sunday 1 to Saturday 7)
/// and, for a base calendar, its holidays as exceptions; for a team's
/// calendar, only the days off it adds to `base`.
fn calendar<W: Write>(
    w: &mut Xml<W>,
    uid: usize,
    name: &str,
    base: Option<usize>,
    calendar: &Calendar,
    base_calendar: &Calendar,
) -> io::Result<()> {
    let days_off: Vec<NaiveDate> = match base {
        None => calendar.holidays.iter().copied().collect(),
        Some(_) => calendar.holidays.difference(&base_calendar.holidays).copied().collect(),
    };
    w.create_element("Calendar").write_inner_content(|w| {
        element(w, "UID", &uid.to_string())?;
        element(w, "Name", &plain(name))?;
        flag(w, "IsBaseCalendar", base.is_none())?;
        flag(w, "IsBaselineCalendar", false)?;
        element(w, "BaseCalendarUID", &base.map_or("-1".to_owned(), |b| b.to_string()))?;
        if base.is_none() {
            w.create_element("WeekDays").write_inner_content(|w| {
                let week =
                    [Weekday::Sun, Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri, Weekday::Sat];
                for (n, day) in week.into_iter().enumerate() {
                    let worked = calendar.working_days.contains(day);
                    w.create_element("WeekDay").write_inner_content(|w| {
                        element(w, "DayType", &(n + 1).to_string())?;
                        flag(w, "DayWorking", worked)?;
                        if worked {
                            w.create_element("WorkingTimes").write_inner_content(|w| {
                                for (from, to) in [("08:00:00", "12:00:00"), ("13:00:00", "17:00:00")] {
                                    w.create_element("WorkingTime").write_inner_content(|w| {
                                        element(w, "FromTime", from)?;
                                        element(w, "ToTime", to)
                                    })?;
                                }
                                Ok(())
                            })?;
                        }
                        Ok(())
                    })?;
                }
                Ok(())
            })?;
        }
        if !days_off.is_empty() {
            w.create_element("Exceptions").write_inner_content(|w| {
                // Consecutive days off are one exception, as a TPM enters a shutdown.
                let mut runs: Vec<(NaiveDate, NaiveDate)> = Vec::new();
                for day in days_off {
                    match runs.last_mut() {
                        Some((_, last)) if last.succ_opt() == Some(day) => *last = day,
                        _ => runs.push((day, day)),
                    }
                }
                for (from, to) in runs {
                    w.create_element("Exception").write_inner_content(|w| {
                        flag(w, "EnteredByOccurrences", false)?;
                        w.create_element("TimePeriod").write_inner_content(|w| {
                            element(w, "FromDate", &format!("{from}T00:00:00"))?;
                            element(w, "ToDate", &format!("{to}T23:59:00"))
                        })?;
                        element(w, "Occurrences", "1")?;
                        element(w, "Name", "Holiday")?;
                        element(w, "Type", "1")?;
                        flag(w, "DayWorking", false)
                    })?;
                }
                Ok(())
            })?;
        }
        Ok(())
    })?;
    Ok(())
}

/// One item's task: its dates, constraints, progress, links and baseline.
fn item_task<W: Write>(
    w: &mut Xml<W>,
    program: &Program,
    schedule: &Schedule,
    days: &WorkingDays,
    id: ItemId,
    (uid, row, level): (usize, usize, usize),
    number: &str,
) -> io::Result<()> {
    let item = program.item(id);
    let s = schedule.item(id);
    let span = (s.finish - s.start).max(0.0);
    // Progress is known as of the end of the status date, as the engine reads it.
    let now = program.status_date().map_or(0.0, |d| days.time_at_end_of(d));
    let percent = match item.status {
        ItemStatus::Done => 100.0,
        ItemStatus::InProgress | ItemStatus::Blocked if span > 0.0 && now > s.start => {
            (100.0 * (now - s.start) / span).clamp(0.0, 99.0)
        }
        _ => 0.0,
    };
    w.create_element("Task").write_inner_content(|w| {
        element(w, "UID", &uid.to_string())?;
        element(w, "ID", &row.to_string())?;
        element(w, "Name", &plain(&item.title))?;
        element(w, "Type", "1")?;
        flag(w, "IsNull", false)?;
        element(w, "WBS", number)?;
        element(w, "OutlineNumber", number)?;
        element(w, "OutlineLevel", &level.to_string())?;
        element(w, "Start", &instant(days, s.start, true))?;
        element(w, "Finish", &instant(days, s.finish, span == 0.0))?;
        element(w, "Duration", &duration(span))?;
        element(w, "DurationFormat", "7")?;
        flag(w, "Milestone", false)?;
        flag(w, "Summary", false)?;
        flag(w, "Critical", s.critical)?;
        element(w, "FreeSlack", &tenths_of_minutes(s.free_slack, MINUTES_PER_DAY))?;
        element(w, "TotalSlack", &tenths_of_minutes(s.total_slack, MINUTES_PER_DAY))?;
        element(w, "PercentComplete", &format!("{percent:.0}"))?;
        if let Some(actual) = item.actual_start {
            element(w, "ActualStart", &day_start(actual))?;
        }
        if let Some(actual) = item.actual_finish {
            element(w, "ActualFinish", &day_finish(actual))?;
        }
        // Must Start On (2) or Start No Earlier Than (4).
        match (item.start_on, item.not_before) {
            (Some(date), _) => {
                element(w, "ConstraintType", "2")?;
                element(w, "ConstraintDate", &day_start(date))?;
            }
            (None, Some(date)) => {
                element(w, "ConstraintType", "4")?;
                element(w, "ConstraintDate", &day_start(date))?;
            }
            (None, None) => element(w, "ConstraintType", "0")?,
        }
        if let Some(deadline) = item.deadline {
            element(w, "Deadline", &day_finish(deadline))?;
        }
        for d in &item.depends {
            w.create_element("PredecessorLink").write_inner_content(|w| {
                element(w, "PredecessorUID", &(d.on.index() + 1).to_string())?;
                // MSPDI: 0 FF, 1 FS, 2 SF, 3 SS.
                let kind = match d.kind {
                    LinkKind::FinishToFinish => "0",
                    LinkKind::FinishToStart => "1",
                    LinkKind::StartToStart => "3",
                };
                element(w, "Type", kind)?;
                // Days (7) count working time, elapsed days (8) the clock's 24 hours.
                let (minutes_per_day, format) = match d.lag_unit {
                    LagUnit::WorkingDays => (MINUTES_PER_DAY, "7"),
                    LagUnit::CalendarDays => (24.0 * 60.0, "8"),
                };
                element(w, "LinkLag", &tenths_of_minutes(d.lag, minutes_per_day))?;
                element(w, "LagFormat", format)
            })?;
        }
        text1(w, &item.key)?;
        if let Some(baseline) = item.baseline {
            w.create_element("Baseline").write_inner_content(|w| {
                element(w, "Number", "0")?;
                element(w, "Start", &day_start(baseline.start))?;
                element(w, "Finish", &day_finish(baseline.finish))?;
                let worked = program.calendar().working_days_between(baseline.start, baseline.finish);
                element(w, "Duration", &duration(worked as f64))
            })?;
        }
        Ok(())
    })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::testing::{PLAN, scheduled};

    #[test]
    fn times_follow_the_standard_calendar() {
        assert_eq!(clock(0.0, true), NaiveTime::from_hms_opt(8, 0, 0).expect("time"));
        assert_eq!(clock(240.0, true), NaiveTime::from_hms_opt(13, 0, 0).expect("time"));
        assert_eq!(clock(240.0, false), NaiveTime::from_hms_opt(12, 0, 0).expect("time"));
        assert_eq!(clock(480.0, false), NaiveTime::from_hms_opt(17, 0, 0).expect("time"));
        assert_eq!(duration(2.5), "PT20H0M0S");
        assert_eq!(duration(0.1), "PT0H48M0S");
        assert_eq!(tenths_of_minutes(-2.0, MINUTES_PER_DAY), "-9600");
    }

    #[test]
    fn outline_numbers_count_per_level() {
        let mut numbers = OutlineNumbers(Vec::new());
        let seen: Vec<String> = [1, 2, 2, 3, 1, 2].into_iter().map(|l| numbers.next(l)).collect();
        assert_eq!(seen, ["1", "1.1", "1.2", "1.2.1", "2", "2.1"]);
    }

    #[test]
    fn tasks_links_calendars_and_resources() {
        let (program, schedule) = scheduled(PLAN);
        let mut out = Vec::new();
        write(&program, &schedule, &mut out).expect("written");
        let xml = String::from_utf8(out).expect("utf-8");
        assert!(xml.contains("<Name>Pay [2J &quot;ments&quot; &lt;&amp;&gt;</Name>"), "{xml}");
        // The group is a summary task, its items beneath it.
        assert!(xml.contains("<Name>Epic: one</Name>"), "{xml}");
        assert!(xml.contains("<OutlineNumber>1.1</OutlineNumber>"), "{xml}");
        assert!(xml.contains("<Summary>1</Summary>"));
        // A starts Monday 08:00 and takes three days.
        assert!(xml.contains("<Start>2027-01-04T08:00:00</Start>\n      <Finish>2027-01-06T17:00:00</Finish>\n      <Duration>PT24H0M0S</Duration>"), "{xml}");
        // B takes 2.5 days: it ends at noon.
        assert!(xml.contains("<Duration>PT20H0M0S</Duration>"), "{xml}");
        assert!(xml.contains("T12:00:00</Finish>"), "{xml}");
        // Links: SS +1 day, FF +2 days, FS +14 elapsed days.
        assert!(
            xml.contains("<Type>3</Type>\n        <LinkLag>4800</LinkLag>\n        <LagFormat>7</LagFormat>"),
            "{xml}"
        );
        assert!(xml.contains("<Type>0</Type>\n        <LinkLag>9600</LinkLag>"), "{xml}");
        assert!(xml.contains("<LinkLag>201600</LinkLag>\n        <LagFormat>8</LagFormat>"), "{xml}");
        assert!(xml.contains(
            "<ConstraintType>4</ConstraintType>\n      <ConstraintDate>2027-01-05T08:00:00</ConstraintDate>"
        ));
        assert!(xml.contains("<Milestone>1</Milestone>"));
        assert!(xml.contains("<FromDate>2027-01-18T00:00:00</FromDate>"), "{xml}");
        assert!(xml.contains("<FromDate>2027-01-20T00:00:00</FromDate>"), "{xml}");
        // A team is named by its name, its id in the resource's Text1.
        assert!(xml.contains("<Name>Core; team</Name>\n      <Type>1</Type>"), "{xml}");
        assert!(
            xml.contains("<ExtendedAttribute>\n        <FieldID>205520904</FieldID>\n        <Value>core</Value>"),
            "{xml}"
        );
        assert!(xml.contains("<MaxUnits>2.00</MaxUnits>"), "{xml}");
        assert_eq!(xml.matches("<Assignment>").count(), program.items().len());
        assert!(!xml.contains(['\u{1b}', '\u{202e}']));
    }
}
