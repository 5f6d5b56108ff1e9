use linchpin_findings::{Figure, Severity};
use linchpin_model::FindingKind;

use crate::{figure, findings, of, the};

fn contract_plan(status: &str, consumer_depends: &str, agreement: &str) -> String {
    format!(
        "teams:\n  - {{ id: led, lead: Marta }}\n  - {{ id: chk, lead: Tom }}\nsystems:\n  - {{ id: ledger, owner: led }}\ninterfaces:\n  - {{ id: api, provider: {{ system: ledger }}, consumers: [chk], status: {status}, {agreement} }}\nitems:\n  - {{ id: L1, title: define the API, team: led, estimate: 5, interfaces: [api] }}\n  - {{ id: L2, title: build it, team: led, estimate: 3, interfaces: [api] }}\n  - {{ id: C1, title: build on it, team: chk, estimate: 8, interfaces: [api]{consumer_depends} }}\n"
    )
}

#[test]
fn consuming_a_draft_contract_before_it_is_agreed_is_raised() {
    let report = findings(&contract_plan("draft", "", "defined_by: L1"));
    let f = the(&report, "built_before_contract:api");
    assert_eq!(f.severity, Severity::High, "C1 starts within two weeks");
    assert_eq!(figure(f, Figure::ConsumerItems), 1.0, "the provider's own L2 is not consumer work");
    assert_eq!(figure(f, Figure::DaysAtStake), 5.0);
    assert_eq!(figure(f, Figure::DaysBeforeAgreement), 5.0);
    let names: Vec<_> = f.people.iter().filter_map(|p| p.name.as_deref()).collect();
    assert_eq!(names, ["Marta", "Tom"]);
    let explanation = report.words(f).explanation;
    assert!(explanation.contains("C1 (chk, starts 2027-01-04)"), "{explanation}");
}

#[test]
fn consumer_work_that_waits_for_the_agreement_is_not() {
    let report = findings(&contract_plan("draft", ", depends: [L1]", "defined_by: L1"));
    assert!(of(&report, FindingKind::BuiltBeforeContract).is_empty());
}

#[test]
fn an_agreed_contract_is_safe_to_build_on() {
    let report = findings(&contract_plan("agreed", "", "defined_by: L1"));
    assert!(of(&report, FindingKind::BuiltBeforeContract).is_empty());
}

#[test]
fn an_expected_agreement_date_is_compared_with_the_consumer_start() {
    // Agreement expected on Friday 2027-01-15; C1 starts the Monday before.
    let before = findings(&contract_plan("proposed", "", "expected: 2027-01-15"));
    the(&before, "built_before_contract:api");
    // Starting the Monday after is fine.
    let after = findings(&contract_plan("proposed", ", not_before: 2027-01-18", "expected: 2027-01-15"));
    assert!(of(&after, FindingKind::BuiltBeforeContract).is_empty());
}

/// U1 (team a) hands off to D1 (team b); Z (team c) runs `parallel` days
/// alongside, so U1 has `parallel - 10` days of slack.
fn handoff_plan(parallel: u32, owner: &str) -> String {
    format!(
        "teams:\n  - {{ id: a, lead: Ana }}\n  - {{ id: b, lead: Ben }}\n  - {{ id: c }}\nitems:\n  - {{ id: U1, title: x, team: a, estimate: 5{owner} }}\n  - {{ id: D1, title: x, team: b, estimate: 5, owner: Dan, depends: [U1] }}\n  - {{ id: D2, title: x, team: a, estimate: 1, owner: Dan, depends: [U1] }}\n  - {{ id: Z, title: x, team: c, estimate: {parallel}, owner: Zoe }}\n"
    )
}

#[test]
fn a_cross_team_handoff_at_the_slack_limit_is_fragile() {
    let report = findings(&handoff_plan(15, ", owner: Uma"));
    let f = the(&report, "fragile_dependency:U1");
    assert_eq!(figure(f, Figure::UpstreamSlackDays), 5.0);
    assert_eq!(f.severity, Severity::Medium);
    assert_eq!(figure(f, Figure::WaitingItems), 1.0, "D2 is the same team's work");
    assert_eq!(f.people[0].name.as_deref(), Some("Uma"));
}

#[test]
fn a_day_more_slack_is_not_fragile() {
    let report = findings(&handoff_plan(16, ", owner: Uma"));
    assert!(of(&report, FindingKind::FragileDependency).is_empty());
}

#[test]
fn a_critical_handoff_due_soon_is_high() {
    let report = findings(&handoff_plan(3, ", owner: Uma"));
    assert_eq!(the(&report, "fragile_dependency:U1").severity, Severity::High);
}

#[test]
fn an_unowned_upstream_is_fragile_whatever_its_slack() {
    let report = findings(&handoff_plan(40, ""));
    let f = the(&report, "fragile_dependency:U1");
    assert_eq!(f.severity, Severity::Low);
    assert_eq!(figure(f, Figure::Unowned), 1.0);
    let action = report.words(f).action;
    assert!(action.contains("name an owner for U1"), "{action}");
}

#[test]
fn a_plan_that_names_no_owners_is_not_flagged_for_ownership() {
    let report = findings(&handoff_plan(40, "").replace(", owner: Dan", "").replace(", owner: Zoe", ""));
    assert!(of(&report, FindingKind::FragileDependency).is_empty());
}

fn load_plan(capacity: u32, second: u32, extra: &str) -> String {
    format!(
        "teams:\n  - {{ id: a, lead: Ana, capacity: {capacity} }}\nitems:\n  - {{ id: A1, title: x, team: a, estimate: 5 }}\n  - {{ id: A2, title: x, team: a, estimate: {second} }}\n{extra}"
    )
}

#[test]
fn two_weeks_of_work_in_one_week_is_over_commitment() {
    let report = findings(&load_plan(1, 5, ""));
    let f = the(&report, "over_committed_team:a");
    assert_eq!(figure(f, Figure::PeakLoad), 2.0);
    assert_eq!(figure(f, Figure::ExcessPersonDays), 5.0);
    assert_eq!(figure(f, Figure::ItemsHeld), 1.0);
    assert_eq!(f.severity, Severity::High, "the held item ends the program");
    let headline = report.words(f).headline;
    assert!(headline.contains("200 %"), "{headline}");
}

#[test]
fn a_day_over_is_over_commitment_and_exactly_full_is_not() {
    let over = findings(&load_plan(1, 1, ""));
    assert_eq!(figure(the(&over, "over_committed_team:a"), Figure::PeakLoad), 1.2);
    let full = findings(&load_plan(2, 5, ""));
    assert!(of(&full, FindingKind::OverCommittedTeam).is_empty());
}

#[test]
fn the_overload_ratio_is_a_threshold() {
    let report = findings(&load_plan(1, 5, "findings:\n  thresholds: { overload_ratio: 2.0 }\n"));
    assert!(of(&report, FindingKind::OverCommittedTeam).is_empty());
}
