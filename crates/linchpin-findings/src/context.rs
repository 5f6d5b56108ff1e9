//! What every analysis needs: the inputs, the status date as a time, the
//! successor lists, and who to pull in.

use chrono::NaiveDate;
use linchpin_engine::forecast::Forecast;
use linchpin_engine::schedule::{ItemSchedule, Schedule};
use linchpin_engine::time::WorkingDays;
use linchpin_graph::Adjacency;
use linchpin_model::{ItemId, ItemStatus, Program, TeamId, Thresholds};

use crate::Inputs;
use crate::facts::{Contact, Part, Role, Who};

/// Slack at or below this (working days) is none.
pub const EPSILON: f64 = 1e-6;

pub struct Context<'a> {
    pub program: &'a Program,
    pub roadmap: &'a Schedule,
    pub logic: &'a Schedule,
    pub forecast: Option<&'a Forecast>,
    pub thresholds: Thresholds,
    pub as_of: NaiveDate,
    /// The status date as a time: the end of that day.
    pub now: f64,
    /// The roadmap's working days, extended to every date the plan names.
    pub days: WorkingDays,
    /// Per item, the items that depend on it.
    pub successors: Vec<Vec<ItemId>>,
    /// An edge from each item to each item it waits on.
    pub waits_on: Adjacency,
    /// Per item, whether some milestone requires it directly.
    pub required: Vec<bool>,
}

impl<'a> Context<'a> {
    pub fn new(inputs: Inputs<'a>) -> Self {
        let program = inputs.program;
        let mut days = inputs.roadmap.days.clone();
        // Dates the schedule never reached, capped so a typo'd year cannot
        // make the calendar run for millennia.
        let horizon = program.start() + chrono::Duration::days(366 * 50);
        let latest = program
            .interfaces()
            .iter()
            .map(|i| i.expected)
            .chain(program.decisions().iter().map(|d| d.due))
            .chain(program.items().iter().map(|i| i.baseline.map(|b| b.finish)))
            .chain([program.status_date()])
            .flatten()
            .max();
        if let Some(latest) = latest {
            days.ensure_through(latest.min(horizon));
        }
        let mut successors = vec![Vec::new(); program.items().len()];
        for (i, item) in program.items().iter().enumerate() {
            for dep in &item.depends {
                successors[dep.on.index()].push(ItemId::new(i));
            }
        }
        let waits_on = Adjacency::from_edges(
            program.items().len(),
            program
                .items()
                .iter()
                .enumerate()
                .flat_map(|(i, item)| item.depends.iter().map(move |d| (i as u32, d.on.index() as u32))),
        );
        let mut required = vec![false; program.items().len()];
        for milestone in program.milestones() {
            for item in &milestone.requires {
                required[item.index()] = true;
            }
        }
        let as_of = program.as_of();
        let now = program.status_date().map_or(0.0, |d| days.time_at_end_of(d));
        Context {
            program,
            roadmap: inputs.roadmap,
            logic: inputs.logic,
            forecast: inputs.forecast,
            thresholds: *program.thresholds(),
            as_of,
            now,
            days,
            successors,
            waits_on,
            required,
        }
    }

    pub fn open(&self, item: ItemId) -> bool {
        self.program.item(item).status != ItemStatus::Done
    }

    pub fn planned(&self, item: ItemId) -> &ItemSchedule {
        self.roadmap.item(item)
    }

    pub fn slack(&self, item: ItemId) -> f64 {
        self.roadmap.item(item).total_slack
    }

    /// The least of an item's slack to the end and to each milestone it
    /// feeds: how far it can slip before any committed date moves.
    /// An item's place in the roadmap.
    pub fn roadmap_item(&self, item: ItemId) -> &linchpin_engine::schedule::ItemSchedule {
        self.roadmap.item(item)
    }

    pub fn least_slack(&self, item: ItemId) -> f64 {
        self.roadmap.item(item).least_slack()
    }

    pub fn critical(&self, item: ItemId) -> bool {
        self.roadmap.item(item).critical
    }

    /// Working days of work left on an item in the roadmap.
    pub fn remaining(&self, item: ItemId) -> f64 {
        let s = self.roadmap.item(item);
        if !self.open(item) { 0.0 } else { (s.finish - s.start.max(self.now)).max(0.0) }
    }

    /// The date work scheduled from time `t` starts on.
    pub fn start_date(&self, t: f64) -> NaiveDate {
        self.days.start_date(t)
    }

    /// The last working day of work ending at time `t`.
    pub fn finish_date(&self, t: f64) -> NaiveDate {
        self.days.finish_date(t)
    }

    pub fn time_at_end_of(&self, date: NaiveDate) -> f64 {
        self.days.time_at_end_of(date)
    }

    /// The lead of a team, in a part of the finding.
    pub fn lead(&self, team: TeamId, part: Option<Part>) -> Contact {
        Contact { name: self.program.team(team).lead.clone(), role: Role::Lead { team, part } }
    }

    /// The person accountable for an item, or its team's lead when nobody is.
    pub fn item_owner(&self, item: ItemId, part: Option<Part>) -> Contact {
        let work = self.program.item(item);
        match &work.owner {
            Some(owner) => Contact { name: Some(owner.clone()), role: Role::Owner { item, part } },
            None => self.lead(work.team, part),
        }
    }

    /// Who to ask about an item: its owner, or its team's lead.
    pub fn who_owns(&self, item: ItemId) -> Who {
        let work = self.program.item(item);
        match self.item_owner(item, None).name {
            Some(name) => Who::Person(name),
            None => Who::LeadOf(work.team),
        }
    }

    /// A named person in some part.
    pub fn person(name: &str, part: Part) -> Contact {
        Contact { name: Some(name.to_owned()), role: Role::Named(part) }
    }
}

/// Contacts without repeats: the first mention of a person (or of an
/// unnamed role) wins.
pub fn dedup(contacts: Vec<Contact>) -> Vec<Contact> {
    let mut out: Vec<Contact> = Vec::with_capacity(contacts.len());
    for contact in contacts {
        let repeat = out.iter().any(|c| match (&c.name, &contact.name) {
            (Some(a), Some(b)) => a == b,
            (None, None) => c.role == contact.role,
            _ => false,
        });
        if !repeat {
            out.push(contact);
        }
    }
    out
}
