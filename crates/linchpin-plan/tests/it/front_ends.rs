//! Every front end goes through the one resolver: the same problem gets the
//! same diagnostic whichever way the plan was written, each pointing at the
//! problem in its own terms (a place in a YAML file, a spreadsheet cell, a
//! record and field of an external source such as a Jira export).

use std::path::Path;

use chrono::NaiveDate;
use linchpin_model::doc::{DependencyDoc, ItemDoc, PlanDoc, ProgramDoc, TeamDoc};
use linchpin_model::{Code, Diagnostic, FieldRef, Located, Origin, SourceId, resolve};
use linchpin_plan::{Plan, load_csv_bytes, load_yaml_str};

fn start() -> NaiveDate {
    NaiveDate::from_ymd_opt(2027, 1, 4).expect("date")
}

/// The one problem of `code` a plan has, with where it starts and the text there.
fn in_file(plan: &Plan, code: Code) -> (Diagnostic, (usize, usize), String) {
    let found: Vec<&Diagnostic> = plan.diagnostics.iter().filter(|d| d.code == code).collect();
    assert_eq!(found.len(), 1, "{:#?}", plan.diagnostics);
    let span = plan.sources.span(found[0].origin).expect("a place in the file");
    let place = plan.sources.line_column(found[0].origin).expect("a line");
    (found[0].clone(), place, plan.sources.snippet(span).to_owned())
}

/// A field of a Jira-like export: issue `record`, field `field`.
fn jira(record: u32, field: u32) -> Origin {
    Origin::Field(FieldRef { source: SourceId(7), record, field })
}

/// An import's documents: two items, each from one Jira issue.
fn imported(team: &str, depends_on_b: bool, b_depends_on_a: bool, not_before: Option<NaiveDate>) -> PlanDoc {
    let team_doc = TeamDoc {
        id: Located::new("payments".to_owned(), jira(0, 3)),
        name: None,
        lead: None,
        capacity: None,
        capacity_changes: vec![],
        holidays: vec![],
    };
    let mut a = ItemDoc::new("A", "First", "payments", jira(1, 0));
    a.team = Located::new(team.to_owned(), jira(1, 3));
    a.not_before = not_before.map(|d| Located::new(d, jira(1, 9)));
    let mut b = ItemDoc::new("B", "Second", "payments", jira(2, 0));
    if depends_on_b {
        a.depends.push(DependencyDoc::on(Located::new("B".to_owned(), jira(1, 5))));
    }
    if b_depends_on_a {
        b.depends.push(DependencyDoc::on(Located::new("A".to_owned(), jira(2, 5))));
    }
    let program = ProgramDoc {
        name: Located::unlocated("Imported".into()),
        goal: None,
        start: Located::unlocated(start()),
        status_date: None,
        calendar: None,
    };
    PlanDoc { program: Some(program), teams: vec![team_doc], items: vec![a, b], ..PlanDoc::default() }
}

fn only(diagnostics: &[Diagnostic], code: Code) -> Diagnostic {
    let found: Vec<&Diagnostic> = diagnostics.iter().filter(|d| d.code == code).collect();
    assert_eq!(found.len(), 1, "{diagnostics:#?}");
    found[0].clone()
}

#[test]
fn a_dangling_team_reads_the_same_from_yaml_and_from_an_import() {
    let yaml = load_yaml_str(
        "plan.yaml",
        "program: { name: P, start: 2027-01-04 }\nteams: [{ id: payments }]\nitems:\n  - { id: A, title: First, team: paymnets, estimate: 1 }\n",
    );
    let (from_yaml, place, text) = in_file(&yaml, Code::UnknownReference);
    assert_eq!((place, text.as_str()), ((4, 34), "paymnets"));

    let resolution = resolve(&[imported("paymnets", false, false, None)], Origin::Unknown);
    assert!(resolution.program.is_none());
    let from_import = only(&resolution.diagnostics, Code::UnknownReference);
    assert_eq!(from_import.origin, jira(1, 3), "issue 1, its team field");

    for d in [&from_yaml, &from_import] {
        assert_eq!(d.message, "unknown team `paymnets`");
        assert_eq!(d.help.as_deref(), Some("did you mean `payments`?"));
        assert_eq!(d.field, "items[A].team");
    }
}

#[test]
fn a_cycle_reads_the_same_from_yaml_a_spreadsheet_and_an_import() {
    let yaml = load_yaml_str(
        "plan.yaml",
        "program: { name: P, start: 2027-01-04 }\nteams: [{ id: payments }]\nitems:\n  - { id: A, title: First, team: payments, estimate: 1, depends: [B] }\n  - { id: B, title: Second, team: payments, estimate: 1, depends: [A] }\n",
    );
    let (from_yaml, place, text) = in_file(&yaml, Code::DependencyCycle);
    assert_eq!((place, text.as_str()), ((4, 67), "B"), "the link that closes the loop");

    let csv =
        "id,title,team,optimistic,likely,pessimistic,depends\nA,First,payments,1,1,1,B\nB,Second,payments,1,1,1,A\n";
    let sheet = load_csv_bytes(Path::new("plan.csv"), csv.as_bytes().to_vec(), None, start());
    let (from_csv, place, text) = in_file(&sheet, Code::DependencyCycle);
    assert_eq!((place, text.as_str()), ((2, 24), "B"), "the depends cell of row A");

    let resolution = resolve(&[imported("payments", true, true, None)], Origin::Unknown);
    let from_import = only(&resolution.diagnostics, Code::DependencyCycle);
    assert_eq!(from_import.origin, jira(1, 5), "issue 1's link field");
    assert_eq!(from_import.related[0].0, jira(2, 5));

    for d in [&from_yaml, &from_csv, &from_import] {
        assert_eq!(d.message, "dependency cycle: `A` → `B` → `A` (each waits on the one before it)");
        assert_eq!(d.label, "`A` waits on `B`, closing the loop");
        assert_eq!(d.field, "items[A].depends");
    }
}

#[test]
fn a_far_date_reads_the_same_from_yaml_and_from_an_import() {
    let yaml = load_yaml_str(
        "plan.yaml",
        "program: { name: P, start: 2027-01-04 }\nteams: [{ id: payments }]\nitems:\n  - { id: A, title: First, team: payments, estimate: 1, not_before: 2200-01-01 }\n",
    );
    let (from_yaml, place, text) = in_file(&yaml, Code::ImplausibleDate);
    assert_eq!((place, text.as_str()), ((4, 69), "2200-01-01"));
    assert!(yaml.program().is_none(), "refused, not scheduled");

    // A year no plan file could hold is refused from an import too.
    let beyond = NaiveDate::from_ymd_opt(200_000, 1, 1).expect("chrono has the year 200000");
    let resolution = resolve(&[imported("payments", false, false, Some(beyond))], Origin::Unknown);
    assert_eq!(only(&resolution.diagnostics, Code::DateOutOfRange).origin, jira(1, 9));

    let far = NaiveDate::from_ymd_opt(2200, 1, 1).expect("a date");
    let resolution = resolve(&[imported("payments", false, false, Some(far))], Origin::Unknown);
    assert!(resolution.program.is_none());
    let from_import = only(&resolution.diagnostics, Code::ImplausibleDate);
    assert_eq!(from_import.origin, jira(1, 9));

    for d in [&from_yaml, &from_import] {
        assert_eq!(d.message, "`not_before` (2200-01-01) is 173 years after the program start (2027-01-04)");
        assert_eq!(d.field, "items[A].not_before");
    }
}
