//! Plan loading, driven through the crate's public API: every check fires on
//! a plan built to trigger it, and stays quiet on the fixed plan.

mod additions;
mod bounds;
mod csv_plans;
mod front_ends;
mod groups;
mod people;
mod schema;
mod stored;
mod yaml_plans;

use linchpin_plan::{Plan, load_yaml_str};

/// A valid program header for small test plans.
pub const HEADER: &str = "program:\n  name: Test\n  start: 2027-01-04\n  status_date: 2027-01-20\nteams:\n  - { id: payments, capacity: 3 }\n  - { id: ledger, capacity: 2 }\n";

/// `(code, line, column, field)` for every diagnostic.
pub fn problems(plan: &Plan) -> Vec<(String, usize, usize, String)> {
    plan.diagnostics
        .iter()
        .map(|d| {
            let (line, column) = plan.sources.line_column(d.origin).expect("every plan problem points at text");
            (d.code.as_str().to_owned(), line, column, d.field.clone())
        })
        .collect()
}

pub fn codes(plan: &Plan) -> Vec<&'static str> {
    plan.diagnostics.iter().map(|d| d.code.as_str()).collect()
}

pub fn load(body: &str) -> Plan {
    load_yaml_str("plan.yaml", &format!("{HEADER}{body}"))
}
