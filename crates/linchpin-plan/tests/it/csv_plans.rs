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
    assert_eq!(plan.diagnostics[1].help.as_deref(), Some("`likley` may be `likely`"));
}

fn load(csv: &[u8]) -> linchpin_plan::Plan {
    load_csv_bytes(Path::new("p.csv"), csv.to_vec(), None, start())
}

#[test]
fn semicolons_tabs_and_a_byte_order_mark_read_like_commas() {
    let commas = load(b"id,title,team,likely,depends\nA,Design,x,2,\nB,Build,x,3,A\n");
    let expected = commas.program().expect("loads").items().to_vec();
    for csv in [
        &b"id;title;team;likely;depends\nA;Design;x;2;\nB;Build;x;3;A\n"[..],
        b"id\ttitle\tteam\tlikely\tdepends\nA\tDesign\tx\t2\t\nB\tBuild\tx\t3\tA\n",
        b"\xEF\xBB\xBFid,title,team,likely,depends\nA,Design,x,2,\nB,Build,x,3,A\n",
        b"\xEF\xBB\xBFid;title;team;likely;depends\r\nA;Design;x;2;\r\nB;Build;x;3;A\r\n",
    ] {
        let plan = load(csv);
        assert!(plan.diagnostics.is_empty(), "{:#?}", plan.diagnostics);
        assert_eq!(plan.program().expect("loads").items(), expected, "{}", String::from_utf8_lossy(csv));
    }
    // With `;` between fields, a list of dependencies takes commas.
    let plan = load(b"id;team;likely;depends\nA;x;1;\nB;x;1;\nC;x;1;\"A, B\"\n");
    let program = plan.program().expect("loads");
    assert_eq!(program.items()[2].depends.len(), 2);
    // A problem in a `;` file still points at its cell.
    let bad = load(b"id;team;likely\nA;x;two\n");
    assert_eq!(bad.sources.line_column(bad.diagnostics[0].origin), Some((2, 5)));
}

#[test]
fn a_tracker_export_maps_its_columns_and_ignores_the_rest_with_one_warning() {
    let csv = "Issue key,Summary,Team,Likely,Depends,Assignee,Status,Labels,Sprint,Story Points
PAY-1,Build the API,payments,3,,Ana Silva,To Do,api backend,S1,3
PAY-2,Ship it,payments,2,PAY-1,Bo Chen,In Progress,,S1,2
PAY-3,Old work,payments,1,,,Closed,,S0,1
";
    let plan = load(csv.as_bytes());
    // Done work with no finish date is a warning, as in a plan file.
    assert_eq!(codes(&plan), ["unknown-field", "done-without-finish"], "{:#?}", plan.diagnostics);
    let warning = &plan.diagnostics[0];
    assert!(!warning.is_error());
    assert_eq!(warning.message, "ignored columns: `Sprint`, `Story Points`");
    let program = plan.program().expect("warnings only");
    let [a, b, c] = program.items() else { panic!("three items") };
    assert_eq!((a.key.as_str(), a.title.as_str(), a.owner.as_deref()), ("PAY-1", "Build the API", Some("Ana Silva")));
    assert_eq!(a.external_key.as_deref(), Some("PAY-1"), "the key is kept as the tracker's key too");
    assert_eq!(a.tags, ["api", "backend"]);
    assert_eq!(b.status, linchpin_model::ItemStatus::InProgress);
    assert_eq!(c.status, linchpin_model::ItemStatus::Done);
    assert_eq!(b.depends.len(), 1);
}

#[test]
fn a_status_the_plan_does_not_know_is_an_error_with_the_closest() {
    let plan = load(b"id,team,likely,status\nA,x,1,in progres\n");
    assert_eq!(codes(&plan), ["unknown-value"]);
    assert_eq!(plan.diagnostics[0].help.as_deref(), Some("did you mean `in_progress`?"));
    assert_eq!(plan.diagnostics[0].field, "items[A].status");
}

#[test]
fn two_columns_for_one_field_are_an_error() {
    let plan = load(b"id,title,summary,team,likely\nA,T,S,x,1\n");
    assert_eq!(codes(&plan), ["duplicate-field"]);
    assert_eq!(plan.diagnostics[0].message, "columns `title` and `summary` say the same thing");
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
