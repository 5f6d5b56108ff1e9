//! MS Project XML (MSPDI) to the model's documents, read as a stream of
//! XML events: only the fields below are kept as they go by, so the
//! timephased data that makes most of a large file's size never sits in
//! memory. A `DOCTYPE` (and so any entity it could declare) is refused;
//! only XML's five predefined entities and character references are read.
//!
//! - The project's calendar gives the working weekdays and, from its
//!   exceptions, the holidays; a work resource is a team (its id the
//!   resource's `Text1` where the file declares it *Linchpin team id*, as
//!   `linchpin export mspdi` does, else made from its name; its name the team's name; its people its `MaxUnits`,
//!   rounded up), with its calendar's
//!   extra days off as the team's holidays.
//! - Summary tasks are groups, nested by outline level; their own dates
//!   are not work. Other tasks are items: duration as the estimate, the
//!   team of the resource assigned the most units, percent complete and
//!   actual dates as progress, *Start No Earlier Than* as `not_before`,
//!   *Must Start On* as `start_on`, the deadline (or a *Finish No Later
//!   Than* date) as the deadline, baseline 0 as the baseline. A task's id
//!   is its `Text1` (which `linchpin export mspdi` writes), else `T` and
//!   its UID.
//! - Milestone tasks are milestones requiring their predecessors, their
//!   deadline the target; a link from a milestone stands for links from
//!   what it requires.
//! - Links keep their type (FS, SS, FF) and lag, in working days, or
//!   calendar days for elapsed lags. Start-to-finish has no Linchpin
//!   equivalent and is reported, as are lags in percent.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::io::BufRead;

use chrono::{NaiveDate, Weekday};
use linchpin_model::doc::{
    BaselineDoc, BaselineItemDoc, CalendarDoc, DependencyDoc, EstimateDoc, GroupDoc, HolidayDoc, ItemDoc, MilestoneDoc,
    PlanDoc, ProgramDoc, TeamDoc,
};
use linchpin_model::{ItemStatus, LagUnit, LinkKind, Located, Origin};
use quick_xml::events::Event;

use super::{Imported, Reason, Summary, date, team_id, value};

/// The deepest nesting of elements read; MSPDI needs six.
const MAX_DEPTH: usize = 64;
/// The most tasks one file may hold: more than a YAML plan's 32 MiB can
/// take (about 130,000 items), so a larger file is refused as it is read,
/// before its tasks fill memory.
pub const MAX_TASKS: usize = 200_000;
/// The most resources, calendars, assignments or links one file holds.
const MAX_RECORDS: usize = 2_000_000;
/// The longest text kept from one element.
const MAX_TEXT_BYTES: usize = 4_000;
/// `Text1`'s field id, where `linchpin export mspdi` writes each task's id.
const TEXT1_FIELD: &str = "188743731";
/// A resource's `Text1` field id, where `linchpin export mspdi` writes each
/// team's id (the resource's name being the team's display name).
const RESOURCE_TEXT1_FIELD: &str = "205520904";
/// The alias `linchpin export mspdi` gives that field.
pub(crate) const TEAM_ID_ALIAS: &str = "Linchpin team id";

/// Why an MSPDI file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum MspdiError {
    #[error("at byte {at}: {message}")]
    Xml { at: u64, message: String },
    #[error("the file has a DOCTYPE; MS Project XML has none, and entities it could declare are refused")]
    Doctype,
    #[error("elements nest more than {MAX_DEPTH} deep")]
    TooDeep,
    #[error(
        "the file holds more than {MAX_TASKS} tasks or {MAX_RECORDS} resources, assignments or links, more than a plan can hold"
    )]
    TooMany,
    #[error("the file is not MS Project XML: its root is `{0}`, not `Project`")]
    NotProject(String),
}

#[derive(Default, Debug)]
struct Task {
    uid: String,
    id: i64,
    name: String,
    outline_level: i64,
    duration: Option<String>,
    milestone: bool,
    summary: bool,
    is_null: bool,
    percent: f64,
    actual_start: Option<String>,
    actual_finish: Option<String>,
    constraint: i64,
    constraint_date: Option<String>,
    deadline: Option<String>,
    key: Option<String>,
    links: Vec<PredecessorLink>,
    baseline: Option<(String, String)>,
}

#[derive(Default, Debug, Clone)]
struct PredecessorLink {
    uid: String,
    kind: i64,
    lag: f64,
    format: i64,
}

#[derive(Default, Debug)]
struct Calendar {
    uid: String,
    base: Option<String>,
    weekdays: Vec<(i64, bool)>,
    /// (from, to, working)
    exceptions: Vec<(String, String, bool)>,
}

#[derive(Default, Debug)]
struct Resource {
    uid: String,
    name: String,
    /// The team id `linchpin export mspdi` wrote.
    key: Option<String>,
    kind: i64,
    max_units: f64,
    calendar: Option<String>,
}

#[derive(Default, Debug)]
struct Assignment {
    task: String,
    resource: String,
    units: f64,
}

#[derive(Default, Debug)]
struct Project {
    name: Option<String>,
    title: Option<String>,
    start: Option<String>,
    status: Option<String>,
    current: Option<String>,
    minutes_per_day: Option<f64>,
    calendar: Option<String>,
    tasks: Vec<Task>,
    calendars: Vec<Calendar>,
    resources: Vec<Resource>,
    assignments: Vec<Assignment>,
    /// The file declares the resource `Text1` as *Linchpin team id*, as
    /// `linchpin export mspdi` does; only then is it read as the id (in
    /// other files it is whatever the planner kept there).
    team_ids_in_text1: bool,
}

/// Reads the parts of an MSPDI file an import uses.
fn parse(input: impl BufRead) -> Result<Project, MspdiError> {
    let mut reader = quick_xml::Reader::from_reader(input);
    let mut buf = Vec::new();
    let mut path: Vec<String> = Vec::new();
    let mut text = String::new();
    let mut project = Project::default();
    let (mut task, mut link, mut calendar, mut weekday, mut exception) = (
        Task::default(),
        PredecessorLink::default(),
        Calendar::default(),
        (0i64, false),
        (String::new(), String::new(), false),
    );
    let mut attribute = (String::new(), String::new());
    let mut declared = (String::new(), String::new());
    let mut baseline = (String::new(), String::new(), String::new());
    let (mut resource, mut assignment) = (Resource::default(), Assignment::default());
    let error = |reader: &quick_xml::Reader<_>, e: &dyn std::fmt::Display| MspdiError::Xml {
        at: reader.buffer_position(),
        message: e.to_string(),
    };
    loop {
        let event = reader.read_event_into(&mut buf).map_err(|e| error(&reader, &e))?;
        match event {
            Event::DocType(_) => return Err(MspdiError::Doctype),
            Event::Start(e) => {
                let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                if path.is_empty() && name != "Project" {
                    return Err(MspdiError::NotProject(name.chars().take(40).collect()));
                }
                path.push(name);
                if path.len() > MAX_DEPTH {
                    return Err(MspdiError::TooDeep);
                }
                text.clear();
            }
            Event::Empty(_) => {}
            Event::Text(t) => {
                if text.len() < MAX_TEXT_BYTES {
                    text.push_str(&t.decode().map_err(|e| error(&reader, &e))?);
                }
            }
            Event::CData(t) => {
                if text.len() < MAX_TEXT_BYTES {
                    text.push_str(&t.decode().map_err(|e| error(&reader, &e))?);
                }
            }
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref().map_err(|e| error(&reader, &e))? {
                    Some(c) => c.to_string(),
                    None => {
                        let name = r.decode().map_err(|e| error(&reader, &e))?;
                        quick_xml::escape::resolve_predefined_entity(&name)
                            .ok_or_else(|| error(&reader, &format!("unknown entity `&{name};`")))?
                            .to_owned()
                    }
                };
                if text.len() < MAX_TEXT_BYTES {
                    text.push_str(&resolved);
                }
            }
            Event::End(_) => {
                let at: Vec<&str> = path.iter().map(String::as_str).collect();
                let t = text.trim();
                let number = || t.parse::<f64>().unwrap_or(0.0);
                let integer = || t.parse::<i64>().unwrap_or(0);
                let flag = || t == "1" || t.eq_ignore_ascii_case("true");
                let kept = || value(t);
                match at.as_slice() {
                    ["Project", "Name"] => project.name = kept(),
                    ["Project", "ExtendedAttributes", "ExtendedAttribute", "FieldID"] => declared.0 = t.to_owned(),
                    ["Project", "ExtendedAttributes", "ExtendedAttribute", "Alias"] => declared.1 = t.to_owned(),
                    ["Project", "ExtendedAttributes", "ExtendedAttribute"] => {
                        let (field, alias) = std::mem::take(&mut declared);
                        if field == RESOURCE_TEXT1_FIELD && alias == TEAM_ID_ALIAS {
                            project.team_ids_in_text1 = true;
                        }
                    }
                    ["Project", "Title"] => project.title = kept(),
                    ["Project", "StartDate"] => project.start = kept(),
                    ["Project", "StatusDate"] => project.status = kept(),
                    ["Project", "CurrentDate"] => project.current = kept(),
                    ["Project", "MinutesPerDay"] => project.minutes_per_day = Some(number()).filter(|m| *m > 0.0),
                    ["Project", "CalendarUID"] => project.calendar = kept(),
                    ["Project", "Tasks", "Task", "PredecessorLink", field] => match *field {
                        "PredecessorUID" => link.uid = t.to_owned(),
                        "Type" => link.kind = integer(),
                        "LinkLag" => link.lag = number(),
                        "LagFormat" => link.format = integer(),
                        _ => {}
                    },
                    ["Project", "Tasks", "Task", "PredecessorLink"] if task.links.len() < MAX_RECORDS => {
                        task.links.push(std::mem::take(&mut link));
                    }
                    // A task's or a resource's custom field, kept when its element ends.
                    ["Project", "Tasks" | "Resources", "Task" | "Resource", "ExtendedAttribute", "FieldID"] => {
                        attribute.0 = t.to_owned();
                    }
                    ["Project", "Tasks" | "Resources", "Task" | "Resource", "ExtendedAttribute", "Value"] => {
                        attribute.1 = t.to_owned();
                    }
                    ["Project", "Tasks", "Task", "ExtendedAttribute"] => {
                        let (field, v) = std::mem::take(&mut attribute);
                        if field == TEXT1_FIELD {
                            task.key = value(&v);
                        }
                    }
                    ["Project", "Tasks", "Task", "Baseline", field] => match *field {
                        "Number" => baseline.0 = t.to_owned(),
                        "Start" => baseline.1 = t.to_owned(),
                        "Finish" => baseline.2 = t.to_owned(),
                        _ => {}
                    },
                    ["Project", "Tasks", "Task", "Baseline"] => {
                        let (number, start, finish) = std::mem::take(&mut baseline);
                        if number == "0" && !start.is_empty() && !finish.is_empty() {
                            task.baseline = Some((start, finish));
                        }
                    }
                    ["Project", "Tasks", "Task", field] => match *field {
                        "UID" => task.uid = t.to_owned(),
                        "ID" => task.id = integer(),
                        "Name" => task.name = kept().unwrap_or_default(),
                        "OutlineLevel" => task.outline_level = integer(),
                        "Duration" => task.duration = kept(),
                        "Milestone" => task.milestone = flag(),
                        "Summary" => task.summary = flag(),
                        "IsNull" => task.is_null = flag(),
                        "PercentComplete" => task.percent = number().clamp(0.0, 100.0),
                        "ActualStart" => task.actual_start = kept(),
                        "ActualFinish" => task.actual_finish = kept(),
                        "ConstraintType" => task.constraint = integer(),
                        "ConstraintDate" => task.constraint_date = kept(),
                        "Deadline" => task.deadline = kept(),
                        "Task" => {}
                        _ => {}
                    },
                    ["Project", "Tasks", "Task"] => {
                        if project.tasks.len() == MAX_TASKS {
                            return Err(MspdiError::TooMany);
                        }
                        project.tasks.push(std::mem::take(&mut task));
                    }
                    ["Project", "Calendars", "Calendar", field] => match *field {
                        "UID" => calendar.uid = t.to_owned(),
                        "BaseCalendarUID" => calendar.base = kept().filter(|b| b != "-1"),
                        _ => {}
                    },
                    ["Project", "Calendars", "Calendar", "WeekDays", "WeekDay", "DayType"] => weekday.0 = integer(),
                    ["Project", "Calendars", "Calendar", "WeekDays", "WeekDay", "DayWorking"] => weekday.1 = flag(),
                    ["Project", "Calendars", "Calendar", "WeekDays", "WeekDay", "TimePeriod", "FromDate"] => {
                        exception.0 = t.to_owned()
                    }
                    ["Project", "Calendars", "Calendar", "WeekDays", "WeekDay", "TimePeriod", "ToDate"] => {
                        exception.1 = t.to_owned()
                    }
                    ["Project", "Calendars", "Calendar", "WeekDays", "WeekDay"] => {
                        // Before MS Project 2007, exceptions were weekdays of type 0.
                        if weekday.0 == 0 {
                            let (from, to, _) = std::mem::take(&mut exception);
                            calendar.exceptions.push((from, to, weekday.1));
                        } else {
                            calendar.weekdays.push(weekday);
                        }
                        weekday = (0, false);
                    }
                    ["Project", "Calendars", "Calendar", "Exceptions", "Exception", "TimePeriod", "FromDate"] => {
                        exception.0 = t.to_owned()
                    }
                    ["Project", "Calendars", "Calendar", "Exceptions", "Exception", "TimePeriod", "ToDate"] => {
                        exception.1 = t.to_owned()
                    }
                    ["Project", "Calendars", "Calendar", "Exceptions", "Exception", "DayWorking"] => {
                        exception.2 = flag()
                    }
                    ["Project", "Calendars", "Calendar", "Exceptions", "Exception"]
                        if calendar.exceptions.len() < MAX_RECORDS =>
                    {
                        calendar.exceptions.push(std::mem::take(&mut exception));
                    }
                    ["Project", "Calendars", "Calendar"] => {
                        if project.calendars.len() == MAX_RECORDS {
                            return Err(MspdiError::TooMany);
                        }
                        project.calendars.push(std::mem::take(&mut calendar));
                    }
                    ["Project", "Resources", "Resource", "ExtendedAttribute"] => {
                        let (field, v) = std::mem::take(&mut attribute);
                        if field == RESOURCE_TEXT1_FIELD {
                            resource.key = value(&v);
                        }
                    }
                    ["Project", "Resources", "Resource", field] => match *field {
                        "UID" => resource.uid = t.to_owned(),
                        "Name" => resource.name = kept().unwrap_or_default(),
                        "Type" => resource.kind = integer(),
                        "MaxUnits" => resource.max_units = number(),
                        "CalendarUID" => resource.calendar = kept(),
                        _ => {}
                    },
                    ["Project", "Resources", "Resource"] => {
                        if project.resources.len() == MAX_RECORDS {
                            return Err(MspdiError::TooMany);
                        }
                        project.resources.push(std::mem::take(&mut resource));
                    }
                    ["Project", "Assignments", "Assignment", field] => match *field {
                        "TaskUID" => assignment.task = t.to_owned(),
                        "ResourceUID" => assignment.resource = t.to_owned(),
                        "Units" => assignment.units = number(),
                        _ => {}
                    },
                    ["Project", "Assignments", "Assignment"] => {
                        if project.assignments.len() == MAX_RECORDS {
                            return Err(MspdiError::TooMany);
                        }
                        project.assignments.push(std::mem::take(&mut assignment));
                    }
                    _ => {}
                }
                path.pop();
                text.clear();
            }
            Event::Eof => break,
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) => {}
        }
        buf.clear();
    }
    if path.is_empty() && project.tasks.is_empty() && project.name.is_none() && project.start.is_none() {
        return Err(MspdiError::NotProject(String::new()));
    }
    Ok(project)
}

/// Working days of an ISO 8601 duration (`PT24H0M0S`, `P2DT4H`), a day
/// being `minutes_per_day` of work.
fn duration_days(text: &str, minutes_per_day: f64) -> Option<f64> {
    let rest = text.trim().strip_prefix('P')?;
    let (days_part, time_part) = rest.split_once('T').unwrap_or((rest, ""));
    let mut minutes = 0.0;
    let mut read = |part: &str, units: &[(char, f64)]| -> Option<()> {
        let mut number = String::new();
        for c in part.chars() {
            if c.is_ascii_digit() || c == '.' {
                number.push(c);
            } else {
                let &(_, per) = units.iter().find(|(u, _)| *u == c)?;
                let n: f64 = number.parse().ok()?;
                minutes += n * per;
                number.clear();
            }
        }
        number.is_empty().then_some(())
    };
    read(
        days_part,
        &[
            ('D', minutes_per_day),
            ('W', 5.0 * minutes_per_day),
            ('M', 20.0 * minutes_per_day),
            ('Y', 240.0 * minutes_per_day),
        ],
    )?;
    read(time_part, &[('H', 60.0), ('M', 1.0), ('S', 1.0 / 60.0)])?;
    (minutes.is_finite() && minutes >= 0.0).then(|| minutes / minutes_per_day)
}

fn round(days: f64) -> f64 {
    (days * 10.0).round() / 10.0
}

fn at<T>(value: T) -> Located<T> {
    Located { value, origin: Origin::Unknown }
}

/// Every date from `from` to `to` (both parts of `2027-01-18T00:00:00`), at most a year of them.
fn days_between(from: &str, to: &str) -> Option<(NaiveDate, NaiveDate)> {
    let (from, to) = (date(from)?, date(to)?);
    (to >= from && (to - from).num_days() <= 366).then_some((from, to))
}

/// Reads an MSPDI file into documents, with what was mapped and dropped.
pub fn read(input: impl BufRead) -> Result<Imported, MspdiError> {
    let project = parse(input)?;
    let mut summary = Summary { issues: project.tasks.len(), ..Summary::default() };
    let minutes_per_day = project.minutes_per_day.unwrap_or(480.0);

    // The program's calendar.
    let base = project
        .calendar
        .as_ref()
        .and_then(|uid| project.calendars.iter().find(|c| &c.uid == uid))
        .or_else(|| project.calendars.iter().find(|c| c.base.is_none()));
    let week = [Weekday::Sun, Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri, Weekday::Sat];
    let holidays_of = |calendar: &Calendar, summary: &mut Summary| -> BTreeSet<(NaiveDate, NaiveDate)> {
        let mut off = BTreeSet::new();
        for (from, to, working) in &calendar.exceptions {
            if *working {
                summary.drop(Reason::Unsupported, || format!("an extra working day from {from}"));
                continue;
            }
            match days_between(from, to) {
                Some(range) => {
                    off.insert(range);
                }
                None => summary.drop(Reason::Unsupported, || format!("a calendar exception from {from} to {to}")),
            }
        }
        off
    };
    let holiday_docs = |ranges: &BTreeSet<(NaiveDate, NaiveDate)>| -> Vec<HolidayDoc> {
        ranges
            .iter()
            .map(|&(from, to)| HolidayDoc { date: at(from), until: (to > from).then(|| at(to)), name: None })
            .collect()
    };
    let base_off = base.map(|c| holidays_of(c, &mut summary)).unwrap_or_default();
    let calendar = base.map(|c| CalendarDoc {
        working_days: (!c.weekdays.is_empty()).then(|| {
            c.weekdays
                .iter()
                .filter(|(day, working)| *working && (1..=7).contains(day))
                .map(|(day, _)| at(week[(*day - 1) as usize]))
                .collect()
        }),
        holidays: holiday_docs(&base_off),
    });
    let start = project.start.as_deref().and_then(date);
    let actuals =
        project.tasks.iter().flat_map(|t| [&t.actual_start, &t.actual_finish]).flatten().filter_map(|d| date(d));
    let latest_actual = actuals.max();
    let status_date = project.status.as_deref().or(project.current.as_deref()).and_then(date);
    let status_date = match (status_date, latest_actual) {
        (Some(s), Some(a)) => Some(s.max(a)),
        (s, a) => s.or(a),
    };
    let name = project.title.clone().or(project.name.clone()).unwrap_or_else(|| "MS Project plan".to_owned());
    let earliest_task = project.tasks.iter().filter_map(|t| t.actual_start.as_deref().and_then(date)).min();
    let program = ProgramDoc {
        name: at(name),
        goal: None,
        start: at(start.or(earliest_task).unwrap_or_else(|| NaiveDate::from_ymd_opt(2027, 1, 4).unwrap_or_default())),
        status_date: status_date.map(at),
        calendar,
    };

    // Teams from work resources.
    let mut teams: Vec<TeamDoc> = Vec::new();
    let mut team_of_resource: HashMap<&str, String> = HashMap::new();
    for r in project.resources.iter().filter(|r| r.kind == 1 && !r.name.is_empty()) {
        let id = r.key.clone().filter(|_| project.team_ids_in_text1).unwrap_or_else(|| team_id(&r.name));
        team_of_resource.insert(r.uid.as_str(), id.clone());
        if teams.iter().any(|t| t.id.value == id) {
            continue;
        }
        let own = r.calendar.as_ref().and_then(|uid| project.calendars.iter().find(|c| &c.uid == uid));
        let extra: BTreeSet<_> =
            own.map(|c| holidays_of(c, &mut summary)).unwrap_or_default().difference(&base_off).copied().collect();
        let people = r.max_units.ceil().clamp(1.0, 10_000.0) as i64;
        teams.push(TeamDoc {
            id: at(id),
            name: Some(r.name.clone()),
            lead: None,
            capacity: Some(at(people)),
            capacity_changes: Vec::new(),
            holidays: holiday_docs(&extra),
        });
    }
    // Each task's team: the resource assigned the most units.
    let mut assigned: HashMap<&str, (&str, f64)> = HashMap::new();
    for a in &project.assignments {
        if let Some(team) = team_of_resource.get(a.resource.as_str()) {
            let best = assigned.entry(a.task.as_str()).or_insert((team.as_str(), a.units));
            if a.units > best.1 {
                *best = (team.as_str(), a.units);
            }
        }
    }

    // Tasks in outline order; ids from Text1 when unique.
    let mut tasks: Vec<&Task> = project.tasks.iter().filter(|t| !t.is_null && t.outline_level > 0).collect();
    tasks.sort_by_key(|t| t.id);
    // One task per UID, the first kept; ids unique, `Text1` first.
    let mut uids = HashSet::new();
    tasks.retain(|t| {
        let first = uids.insert(t.uid.as_str());
        if !first {
            summary.drop(Reason::DuplicateKey, || format!("task UID {}", t.uid));
        }
        first
    });
    let mut taken: HashSet<String> = tasks.iter().filter_map(|t| t.key.clone()).collect();
    let mut keyed = HashSet::new();
    let mut id_of: HashMap<&str, String> = HashMap::new();
    for t in &tasks {
        let id = match &t.key {
            Some(k) if keyed.insert(k.clone()) => k.clone(),
            _ => {
                let mut id = format!("T{}", t.uid);
                while !taken.insert(id.clone()) {
                    id.push('\'');
                }
                id
            }
        };
        id_of.insert(t.uid.as_str(), id);
    }
    let by_uid: HashMap<&str, &Task> = tasks.iter().map(|t| (t.uid.as_str(), *t)).collect();

    // What a link from a task stands for: the task, or for a milestone the
    // work it requires (milestones cannot be waited on in a plan).
    fn waited_on<'a>(
        uid: &'a str,
        by_uid: &HashMap<&'a str, &'a Task>,
        seen: &mut HashSet<&'a str>,
        out: &mut Vec<&'a str>,
    ) {
        let Some(task) = by_uid.get(uid) else { return };
        if !seen.insert(uid) {
            return;
        }
        if task.milestone && !task.summary {
            for link in &task.links {
                waited_on(link.uid.as_str(), by_uid, seen, out);
            }
        } else {
            out.push(uid);
        }
    }

    let mut items = Vec::new();
    let mut groups = Vec::new();
    let mut milestones = Vec::new();
    let mut baseline = Vec::new();
    let mut outline: Vec<(i64, String)> = Vec::new();
    let mut unassigned = false;
    for t in &tasks {
        while outline.last().is_some_and(|(level, _)| *level >= t.outline_level) {
            outline.pop();
        }
        let parent = outline.last().map(|(_, g)| g.clone());
        let id = id_of[t.uid.as_str()].clone();
        let mut depends = Vec::new();
        for link in &t.links {
            let kind = match link.kind {
                0 => LinkKind::FinishToFinish,
                1 => LinkKind::FinishToStart,
                3 => LinkKind::StartToStart,
                _ => {
                    summary.drop(Reason::Unsupported, || format!("{id}: a start-to-finish link"));
                    continue;
                }
            };
            let format = if link.format >= 35 { link.format - 32 } else { link.format };
            let elapsed = matches!(format, 4 | 6 | 8 | 10 | 12 | 20);
            if matches!(format, 19 | 20) {
                summary.drop(Reason::Unsupported, || format!("{id}: a lag in percent"));
            }
            let mut lag = if elapsed { link.lag / 10.0 / 1440.0 } else { link.lag / 10.0 / minutes_per_day };
            let mut unit = if elapsed { LagUnit::CalendarDays } else { LagUnit::WorkingDays };
            if matches!(format, 19 | 20) {
                lag = 0.0;
            }
            if elapsed && kind != LinkKind::FinishToStart {
                // Calendar-day lags are for finish-to-start links only.
                lag *= 5.0 / 7.0;
                unit = LagUnit::WorkingDays;
                summary.drop(Reason::Unsupported, || {
                    format!("{id}: an elapsed lag on a {} link, taken as working days", kind.abbreviation())
                });
            }
            let lag = round(lag);
            let mut on = Vec::new();
            waited_on(link.uid.as_str(), &by_uid, &mut HashSet::new(), &mut on);
            if on.is_empty() && !by_uid.contains_key(link.uid.as_str()) {
                summary.drop(Reason::LinkOutsideExport, || format!("{id} on task {}", link.uid));
            }
            for before in on {
                depends.push(DependencyDoc {
                    item: at(id_of[before].clone()),
                    kind: (kind != LinkKind::FinishToStart).then(|| at(kind)),
                    lag: (lag != 0.0).then(|| at(lag)),
                    lag_unit: (unit != LagUnit::WorkingDays).then(|| at(unit)),
                });
            }
        }
        let deadline = t
            .deadline
            .as_deref()
            .and_then(date)
            .or_else(|| (t.constraint == 7).then(|| t.constraint_date.as_deref().and_then(date)).flatten());
        if t.summary {
            groups.push(GroupDoc {
                id: at(id.clone()),
                title: at(if t.name.is_empty() { id.clone() } else { t.name.clone() }),
                kind: None,
                parent: parent.map(at),
                owner: None,
                deadline: deadline.map(at),
                depends,
            });
            outline.push((t.outline_level, id));
            continue;
        }
        if t.milestone {
            milestones.push(MilestoneDoc {
                id: at(id.clone()),
                title: at(if t.name.is_empty() { id.clone() } else { t.name.clone() }),
                requires: depends.into_iter().map(|d| d.item).collect(),
                target: deadline.map(at),
            });
            continue;
        }
        let team = match assigned.get(t.uid.as_str()) {
            Some((team, _)) => (*team).to_owned(),
            None => {
                unassigned = true;
                summary.drop(Reason::NoResource, || id.clone());
                "unassigned".to_owned()
            }
        };
        let mut doc = ItemDoc::new(
            id.clone(),
            if t.name.is_empty() { id.clone() } else { t.name.clone() },
            team,
            Origin::Unknown,
        );
        doc.key = Some(t.uid.clone());
        let days = t.duration.as_deref().and_then(|d| duration_days(d, minutes_per_day)).filter(|d| *d <= 10_000.0);
        match days {
            Some(days) => doc.estimate = Some(at(EstimateDoc::exact(round(days)))),
            None => summary.drop(Reason::UnreadableEstimate, || {
                format!("{id}: {}", t.duration.as_deref().unwrap_or("no duration"))
            }),
        }
        let actual_start = t.actual_start.as_deref().and_then(date);
        let actual_finish = t.actual_finish.as_deref().and_then(date);
        let status = if t.percent >= 100.0 || actual_finish.is_some() {
            ItemStatus::Done
        } else if t.percent > 0.0 || actual_start.is_some() {
            ItemStatus::InProgress
        } else {
            ItemStatus::NotStarted
        };
        if status != ItemStatus::NotStarted {
            doc.status = Some(at(status));
        }
        doc.actual_start = actual_start.map(at);
        if status == ItemStatus::Done {
            doc.actual_finish = actual_finish.map(at);
        }
        if status == ItemStatus::InProgress
            && let Some(days) = days
        {
            doc.remaining = Some(at(round(days * (100.0 - t.percent) / 100.0)));
        }
        match t.constraint {
            2 => doc.start_on = t.constraint_date.as_deref().and_then(date).map(at),
            4 => doc.not_before = t.constraint_date.as_deref().and_then(date).map(at),
            0 | 1 | 7 => {}
            other => summary.drop(Reason::Unsupported, || format!("{id}: constraint type {other}")),
        }
        doc.deadline = deadline.map(at);
        doc.group = parent.map(at);
        doc.depends = depends;
        if let Some((from, to)) = &t.baseline
            && let (Some(from), Some(to)) = (date(from), date(to))
            && to >= from
        {
            baseline.push(BaselineItemDoc { item: at(id.clone()), start: at(from), finish: at(to) });
        }
        items.push(doc);
    }
    if unassigned && !teams.iter().any(|t| t.id.value == "unassigned") {
        teams.push(TeamDoc {
            id: at("unassigned".to_owned()),
            name: Some("Tasks without a resource".to_owned()),
            lead: None,
            capacity: None,
            capacity_changes: Vec::new(),
            holidays: Vec::new(),
        });
    }
    super::break_cycles(&mut items, &mut groups, &mut summary);
    summary.items = items.len();
    summary.groups = groups.len();
    summary.teams = teams.len();
    summary.milestones = milestones.len();
    summary.dependencies =
        items.iter().map(|d| d.depends.len()).sum::<usize>() + groups.iter().map(|g| g.depends.len()).sum::<usize>();
    let baseline = (!baseline.is_empty()).then(|| BaselineDoc { date: program.start.clone(), items: baseline });
    let doc = PlanDoc { program: Some(program), teams, items, groups, milestones, baseline, ..PlanDoc::default() };
    Ok(Imported { doc, summary })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_in_iso_8601() {
        assert_eq!(duration_days("PT24H0M0S", 480.0), Some(3.0));
        assert_eq!(duration_days("PT20H0M0S", 480.0), Some(2.5));
        assert_eq!(duration_days("P1DT4H", 480.0), Some(1.5));
        assert_eq!(duration_days("PT0H48M0S", 480.0), Some(0.1));
        assert_eq!(duration_days("3 days", 480.0), None);
        assert_eq!(duration_days("PT5X", 480.0), None);
    }

    #[test]
    fn a_task_waiting_on_a_summary_task_it_is_inside_loses_that_link() {
        let xml = "<Project><StartDate>2027-01-04T08:00:00</StartDate><Tasks>\
            <Task><UID>1</UID><ID>1</ID><Name>Outer</Name><OutlineLevel>1</OutlineLevel><Summary>1</Summary></Task>\
            <Task><UID>2</UID><ID>2</ID><Name>Inner</Name><OutlineLevel>2</OutlineLevel><Summary>1</Summary></Task>\
            <Task><UID>3</UID><ID>3</ID><Name>Work</Name><OutlineLevel>3</OutlineLevel><Duration>PT8H0M0S</Duration>\
              <PredecessorLink><PredecessorUID>1</PredecessorUID><Type>1</Type></PredecessorLink></Task>\
            </Tasks></Project>";
        let imported = read(xml.as_bytes()).expect("read");
        assert!(imported.doc.items[0].depends.is_empty());
        assert_eq!(imported.doc.items[0].group.as_ref().map(|g| g.value.as_str()), Some("T2"));
        assert_eq!(imported.summary.dropped[&Reason::Cycle].count, 1);
    }

    #[test]
    fn a_resource_text1_is_the_team_id_only_where_the_file_says_so() {
        let file = |declared: &str| {
            format!(
                "<Project><StartDate>2027-01-04T08:00:00</StartDate><ExtendedAttributes>{declared}</ExtendedAttributes>\
                <Resources>\
                <Resource><UID>1</UID><Name>Payments Core</Name><Type>1</Type><MaxUnits>2</MaxUnits>\
                  <ExtendedAttribute><FieldID>205520904</FieldID><Value>pay</Value></ExtendedAttribute></Resource>\
                <Resource><UID>2</UID><Name>Ledger</Name><Type>1</Type><MaxUnits>1</MaxUnits>\
                  <ExtendedAttribute><FieldID>205520904</FieldID><Value>pay</Value></ExtendedAttribute></Resource>\
                </Resources></Project>"
            )
        };
        let teams = |xml: String| -> Vec<(String, Option<String>)> {
            let imported = read(xml.as_bytes()).expect("read");
            imported.doc.teams.iter().map(|t| (t.id.value.clone(), t.name.clone())).collect()
        };
        // A planner's own Text1 (here the same text on two resources) is not an id.
        assert_eq!(
            teams(file("")),
            [("payments-core".into(), Some("Payments Core".into())), ("ledger".into(), Some("Ledger".into()))]
        );
        let linchpin = "<ExtendedAttribute><FieldID>205520904</FieldID><FieldName>Text1</FieldName>\
            <Alias>Linchpin team id</Alias></ExtendedAttribute>";
        assert_eq!(teams(file(linchpin))[0], ("pay".into(), Some("Payments Core".into())));
    }

    #[test]
    fn a_doctype_and_unknown_entities_are_refused() {
        let doctype = "<?xml version=\"1.0\"?><!DOCTYPE Project [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><Project><Name>&x;</Name></Project>";
        assert!(matches!(read(doctype.as_bytes()), Err(MspdiError::Doctype)));
        let entity = "<Project><Name>&x;</Name></Project>";
        assert!(read(entity.as_bytes()).expect_err("refused").to_string().contains("unknown entity `&x;`"));
        let other = "<html><body/></html>";
        assert!(matches!(read(other.as_bytes()), Err(MspdiError::NotProject(_))));
        let deep = format!("<Project>{}", "<a>".repeat(100));
        assert!(matches!(read(deep.as_bytes()), Err(MspdiError::TooDeep)));
        let named = "<Project><Name>R&amp;D &#x263A;</Name><StartDate>2027-01-04T08:00:00</StartDate></Project>";
        let imported = read(named.as_bytes()).expect("read");
        assert_eq!(imported.doc.program.expect("program").name.value, "R&D ☺");
    }
}
