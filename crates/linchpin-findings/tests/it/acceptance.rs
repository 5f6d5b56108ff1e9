use linchpin_findings::risks::as_risks;
use linchpin_model::FindingKind;

use crate::{HEADER, analyse_program, findings, program, run, the};

const SHARED: &str = "program:\n  name: T\n  start: 2027-01-04\n  status_date: 2027-01-11\nteams:\n  - { id: a }\n  - { id: b }\n  - { id: c }\nsystems:\n  - { id: db, owner: a }\nitems:\n  - { id: A1, title: x, team: a, estimate: 5, systems: [db] }\n  - { id: B1, title: x, team: b, estimate: 5, systems: [db] }\n  - { id: C1, title: x, team: c, estimate: 5, systems: [db] }\n";

fn accepting(entries: &str) -> String {
    format!("{SHARED}findings:\n  accepted:\n{entries}")
}

#[test]
fn an_accepted_finding_moves_to_its_own_section() {
    let report = findings(&accepting(
        "    - { finding: \"shared_dependency:db\", reason: the DBA team owns changes, owner: Ana, until: 2027-02-01 }\n",
    ));
    assert!(report.open.iter().all(|f| f.kind() != FindingKind::SharedDependency));
    assert_eq!(report.accepted.len(), 1);
    assert_eq!(report.id(&report.accepted[0].finding), "shared_dependency:db");
    assert_eq!(report.accepted[0].acceptance.owner, "Ana");
    assert!(report.unmatched.is_empty() && report.lapsed.is_empty());
}

#[test]
fn an_acceptance_past_its_until_date_lapses_and_the_finding_is_open_again() {
    let report = findings(&accepting(
        "    - { finding: \"shared_dependency:db\", reason: fine for now, owner: Ana, until: 2027-01-08 }\n",
    ));
    assert!(report.ids().contains(&"shared_dependency:db".to_owned()));
    assert!(report.accepted.is_empty());
    assert_eq!(report.lapsed.len(), 1);
}

#[test]
fn an_acceptance_nothing_matches_any_more_is_listed_for_removal() {
    let report = findings(&accepting("    - { finding: \"blocker:A1\", reason: waiting on legal, owner: Ana }\n"));
    assert_eq!(report.unmatched.len(), 1);
    assert_eq!(report.unmatched[0].id(&report.program), "blocker:A1");
}

fn errors(text: &str) -> Vec<(String, String)> {
    let plan = linchpin_plan::load_yaml_str("t.yaml", text);
    plan.diagnostics.iter().map(|d| (d.message.clone(), d.help.clone().unwrap_or_default())).collect()
}

#[test]
fn a_misspelt_finding_kind_gets_a_suggestion() {
    let found = errors(&accepting("    - { finding: \"shared_dependancy:db\", reason: r, owner: o }\n"));
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "unknown finding kind `shared_dependancy`");
    assert_eq!(found[0].1, "did you mean `shared_dependency`?");
}

#[test]
fn a_finding_about_something_the_plan_does_not_define_is_an_error() {
    let found = errors(&accepting("    - { finding: \"over_committed_team:bb\", reason: r, owner: o }\n"));
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "unknown team `bb`");
    assert_eq!(found[0].1, "did you mean `b`?");
    let check = errors(&accepting("    - { finding: \"schedule_quality:lag\", reason: r, owner: o }\n"));
    assert_eq!(check[0].1, "did you mean `lags`?");
    let no_colon = errors(&accepting("    - { finding: db, reason: r, owner: o }\n"));
    assert_eq!(no_colon[0].0, "`db` is not a finding id");
}

#[test]
fn thresholds_are_checked() {
    let found = errors(&format!("{SHARED}findings:\n  thresholds: {{ spof_team_share: 1.5, shared_min_teams: 1 }}\n"));
    let messages: Vec<&str> = found.iter().map(|(m, _)| m.as_str()).collect();
    assert_eq!(
        messages,
        [
            "threshold `spof_team_share` must be from 0 to 1, found 1.5",
            "threshold `shared_min_teams` must be a whole number from 2, found 1"
        ]
    );
    let unknown = errors(&format!("{SHARED}findings:\n  thresholds: {{ fragile_slack: 3 }}\n"));
    assert!(unknown[0].1.contains("fragile_slack_days"), "{unknown:?}");
}

#[test]
fn findings_become_risk_entries_with_fresh_ids() {
    let text = format!(
        "{SHARED}risks:\n  - {{ id: R-SHARED-db, title: taken, likelihood: 1, impact: 1 }}\nmilestones:\n  - {{ id: M1, title: m, requires: [A1], target: 2027-01-05 }}\n"
    );
    let program = program(&text);
    let report = analyse_program(&program, true);
    let open: Vec<_> = report.open.iter().collect();
    let risks = as_risks(&program, &open);
    let shared = risks.iter().find(|r| r.finding == "shared_dependency:db").expect("shared dependency risk");
    assert_eq!(shared.id, "R-SHARED-db-2", "the plan already has R-SHARED-db");
    assert_eq!(shared.affects, ["A1", "B1", "C1"]);
    let late = risks.iter().find(|r| r.finding == "milestone_at_risk:M1").expect("milestone risk");
    assert_eq!(late.impact, 5);
    assert_eq!(late.likelihood, 5, "no chance of the target");
    assert_eq!(late.affects[0], "M1");
}

#[test]
fn a_milestone_whose_p80_is_after_its_target_is_at_risk() {
    let plan = |target: &str| {
        format!(
            "{HEADER}teams:\n  - {{ id: a }}\nitems:\n  - {{ id: A, title: x, team: a, estimate: [5, 10, 30] }}\nmilestones:\n  - {{ id: M, title: m, requires: [A], target: {target} }}\n"
        )
    };
    // The likely finish is 2027-01-15; the P80 of [5, 10, 30] is well after.
    let report = run(&plan("2027-01-15"), true);
    let f = the(&report, "milestone_at_risk:M");
    assert_eq!(f.severity, linchpin_findings::Severity::High, "P50 is after the target too");
    let explanation = report.words(f).explanation;
    assert!(explanation.contains("A (a, r = "), "{explanation}");
    let safe = run(&plan("2027-03-01"), true);
    assert!(safe.open.iter().all(|f| f.kind() != FindingKind::MilestoneAtRisk));
    // Without a forecast, the schedule's own date is compared.
    let plain = run(&plan("2027-01-15"), false);
    assert!(plain.open.iter().all(|f| f.kind() != FindingKind::MilestoneAtRisk), "on the likely date exactly");
    let late = run(&plan("2027-01-14"), false);
    the(&late, "milestone_at_risk:M");
}
