use std::path::Path;

use chrono::NaiveDate;
use linchpin_plan::{load_csv_bytes, load_yaml_str};

use crate::codes;

fn start() -> NaiveDate {
    NaiveDate::from_ymd_opt(2027, 1, 4).expect("date")
}

#[test]
fn the_csv_form_loads_the_same_items_as_the_yaml_form() {
    let csv = "id,title,team,optimistic,likely,pessimistic,depends
A,Design,payments,2,3,5,
B,Build,ledger,4,6,9,A
C,Ship,payments,1,1,2,A;B
";
    let teams = "id,capacity\npayments,3\nledger,2\n";
    let from_csv = load_csv_bytes(
        Path::new("plan.csv"),
        csv.as_bytes().to_vec(),
        Some(("plan.teams.csv".into(), teams.as_bytes().to_vec())),
        start(),
    );
    let from_yaml = load_yaml_str(
        "plan.yaml",
        "program: { name: plan, start: 2027-01-04 }
teams: [{ id: payments, capacity: 3 }, { id: ledger, capacity: 2 }]
items:
  - { id: A, title: Design, team: payments, estimate: [2, 3, 5] }
  - { id: B, title: Build, team: ledger, estimate: [4, 6, 9], depends: [A] }
  - { id: C, title: Ship, team: payments, estimate: [1, 1, 2], depends: [A, B] }
",
    );
    let csv_program = from_csv.program().expect("csv loads");
    let yaml_program = from_yaml.program().expect("yaml loads");
    assert_eq!(csv_program.items(), yaml_program.items());
    assert_eq!(csv_program.teams(), yaml_program.teams());
    assert_eq!(csv_program.start(), yaml_program.start());
}

#[test]
fn teams_default_to_one_person_without_a_teams_file() {
    let plan = load_csv_bytes(Path::new("p.csv"), b"id,title,team,likely\nA,T,x,2\n".to_vec(), None, start());
    let program = plan.program().expect("loads");
    assert_eq!(program.teams()[0].capacity, 1);
    let estimate = program.items()[0].estimate.expect("estimated");
    assert_eq!((estimate.optimistic, estimate.pessimistic), (2.0, 2.0), "one value is allowed");
}

#[test]
fn ragged_rows_bad_numbers_and_unknown_ids_are_all_reported() {
    let csv = "id,title,team,optimistic,likely,pessimistic,depends
A,T,x,1,2,3,
B,T,x,1,2
C,T,x,1,two,3,A
D,T,x,3,2,1,A
E,T,x,1,2,3,Z;A
A,T,x,1,2,3,
";
    let plan = load_csv_bytes(Path::new("p.csv"), csv.as_bytes().to_vec(), None, start());
    assert_eq!(
        codes(&plan),
        vec!["ragged-row", "wrong-type", "impossible-estimate", "unknown-reference", "duplicate-id"]
    );
    let line_of = |i: usize| plan.sources.line_column(plan.diagnostics[i].origin).expect("a place");
    assert_eq!(line_of(1), (4, 9), "points at the bad field");
    assert_eq!(line_of(3), (6, 13), "points at the depends column");
}

#[test]
fn unknown_columns_suggest_the_right_one() {
    let plan = load_csv_bytes(Path::new("p.csv"), b"id,title,team,likley\nA,T,x,2\n".to_vec(), None, start());
    assert_eq!(codes(&plan), vec!["missing-field", "unknown-field"]);
    assert_eq!(plan.diagnostics[1].help.as_deref(), Some("did you mean `likely`?"));
}

#[test]
fn cycles_in_a_csv_are_found() {
    let csv = "id,team,likely,depends\nA,x,1,B\nB,x,1,A\n";
    let plan = load_csv_bytes(Path::new("p.csv"), csv.as_bytes().to_vec(), None, start());
    assert_eq!(codes(&plan), vec!["dependency-cycle"]);
}

#[test]
fn bad_capacities_in_the_teams_file_are_reported() {
    let plan = load_csv_bytes(
        Path::new("p.csv"),
        b"id,team,likely\nA,x,1\n".to_vec(),
        Some(("p.teams.csv".into(), b"id,capacity\nx,0\ny,lots\n".to_vec())),
        start(),
    );
    assert_eq!(codes(&plan), vec!["capacity-not-positive", "wrong-type"]);
}
