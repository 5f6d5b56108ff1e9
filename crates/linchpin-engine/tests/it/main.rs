//! The engine on plans written as YAML (hand-computed cases) and on random
//! programs (properties).

mod cases;
mod forecast;
mod properties;

use linchpin_engine::schedule::{Schedule, ScheduleOptions, schedule};
use linchpin_model::{NaiveDate, Program};

/// Program start: Monday 2027-01-04. Teams `a` (capacity 1) and `b` (capacity 2).
pub const HEADER: &str = "program:\n  name: T\n  start: 2027-01-04\n";

pub fn program(body: &str) -> Program {
    let text = format!("{HEADER}{body}");
    let plan = linchpin_plan::load_yaml_str("t.yaml", &text);
    assert!(!plan.has_errors(), "{:#?}", plan.diagnostics);
    plan.into_program().expect("valid plan")
}

pub fn run(program: &Program, capacity: bool) -> Schedule {
    schedule(program, ScheduleOptions { capacity, effort: 200, seed: 1, ..Default::default() }).expect("schedulable")
}

pub fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("test date")
}

/// `(start, finish)` dates of an item by key.
pub fn dates(program: &Program, schedule: &Schedule, key: &str) -> (NaiveDate, NaiveDate) {
    let id = program.keys().items[key];
    (schedule.start_date(id), schedule.finish_date(id))
}

pub fn item<'s>(program: &Program, schedule: &'s Schedule, key: &str) -> &'s linchpin_engine::schedule::ItemSchedule {
    schedule.item(program.keys().items[key])
}
