//! The optional `people` section: owner, lead and contact fields name people
//! by id or name; a misspelt one is a warning with the closest name; without
//! the section they stay free text.

use linchpin_plan::load_yaml_str;

const PLAN: &str = "program: { name: P, start: 2027-01-04, status_date: 2027-01-08 }
teams:
  - { id: ledger, lead: marta }
items:
  - { id: A, title: A, team: ledger, estimate: 1, owner: Jonas Berg }
  - { id: B, title: B, team: ledger, estimate: 1, owner: Jonas Burg }
risks:
  - { id: R1, title: R, likelihood: 2, impact: 2, owner: priya }
decisions:
  - { id: D1, question: Q, approver: marta kowalski, contributors: [jonas, Sam] }
blockers:
  - { item: A, description: waiting, raised: 2027-01-05, owner: jonas, escalated_to: Priya Raman }
";

const PEOPLE: &str = "people:
  - { id: marta, name: Marta Kowalski, team: ledger, role: engineering lead, contact: marta@example.com }
  - { id: jonas, name: Jonas Berg, team: ledger }
  - { id: priya, name: Priya Raman, role: TPM }
";

#[test]
fn person_fields_name_people_by_id_or_name() {
    let plan = load_yaml_str("plan.yaml", &format!("{PLAN}{PEOPLE}"));
    let program = plan.program().expect("warnings only");
    let keys = program.keys();
    // An id or a name (in any case) is held as the person's name.
    assert_eq!(program.teams()[0].lead.as_deref(), Some("Marta Kowalski"));
    assert_eq!(program.item(keys.items["A"]).owner.as_deref(), Some("Jonas Berg"));
    assert_eq!(program.risks()[0].owner.as_deref(), Some("Priya Raman"));
    let decision = &program.decisions()[0];
    assert_eq!(decision.approver.as_deref(), Some("Marta Kowalski"));
    assert_eq!(decision.contributors, ["Jonas Berg", "Sam"]);
    assert_eq!(program.blockers()[0].owner.as_deref(), Some("Jonas Berg"));
    let marta = program.person_named("Marta Kowalski").expect("listed");
    assert_eq!((marta.key.as_str(), marta.team), ("marta", Some(keys.teams["ledger"])));
    assert_eq!(marta.contact.as_deref(), Some("marta@example.com"));
    // A misspelt name, and one nobody listed, are warnings that keep the text.
    let warnings: Vec<(&str, &str, Option<&str>)> =
        plan.diagnostics.iter().map(|d| (d.code.as_str(), d.field.as_str(), d.help.as_deref())).collect();
    assert_eq!(
        warnings,
        [
            ("unknown-person", "items[B].owner", Some("did you mean `Jonas Berg`?")),
            (
                "unknown-person",
                "decisions[D1].contributors",
                Some("add them under `people:`, or write the id or name of someone listed there")
            ),
        ]
    );
    assert_eq!(program.item(keys.items["B"]).owner.as_deref(), Some("Jonas Burg"));
}

#[test]
fn without_a_people_section_names_are_free_text() {
    let plan = load_yaml_str("plan.yaml", PLAN);
    assert!(plan.diagnostics.is_empty(), "{:#?}", plan.diagnostics);
    let program = plan.program().expect("valid");
    assert_eq!(program.teams()[0].lead.as_deref(), Some("marta"));
    assert!(program.people().is_empty());
}

#[test]
fn a_person_on_an_unknown_team_or_twice_is_an_error() {
    let plan = load_yaml_str(
        "plan.yaml",
        &format!(
            "{PLAN}people:\n  - {{ id: marta, name: Marta, team: ledgr }}\n  - {{ id: marta, name: Marta again }}\n"
        ),
    );
    let codes: Vec<(&str, &str)> =
        plan.diagnostics.iter().filter(|d| d.is_error()).map(|d| (d.code.as_str(), d.field.as_str())).collect();
    assert!(codes.contains(&("unknown-reference", "people[marta].team")), "{codes:?}");
    assert!(codes.contains(&("duplicate-id", "people[marta].id")), "{codes:?}");
}
