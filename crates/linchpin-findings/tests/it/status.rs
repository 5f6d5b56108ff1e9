use linchpin_findings::{Figure, Severity};
use linchpin_model::FindingKind;

use crate::{figure, findings, of, the};

/// Status date Monday 2027-01-04; W waits on decision D1 and may not start
/// before `not_before`. A 60-day item on team b keeps W off the critical path.
fn decision_plan(not_before: &str, decision: &str) -> String {
    format!(
        "program: {{ name: T, start: 2027-01-04, status_date: 2027-01-04 }}\nteams:\n  - {{ id: a, lead: Ana }}\n  - {{ id: b }}\nitems:\n  - {{ id: W, title: x, team: a, estimate: 1{not_before} }}\n  - {{ id: LONG, title: x, team: b, estimate: 60 }}\ndecisions:\n  - {{ id: D1, question: Which queue?, driver: Dee, approver: Val, blocks: [W]{decision} }}\n"
    )
}

#[test]
fn a_decision_whose_work_has_weeks_of_slack_is_not_raised() {
    // W may start on 2027-01-19 but need not until weeks later.
    let report = findings(&decision_plan(", not_before: 2027-01-19", ""));
    assert!(of(&report, FindingKind::DecisionNeeded).is_empty());
}

fn tight_decision_plan(not_before: &str) -> String {
    format!(
        "program: {{ name: T, start: 2027-01-04, status_date: 2027-01-04 }}\nteams:\n  - {{ id: a, lead: Ana }}\nitems:\n  - {{ id: W, title: x, team: a, estimate: 1, not_before: {not_before} }}\ndecisions:\n  - {{ id: D1, question: Which queue?, driver: Dee, approver: Val, blocks: [W] }}\n"
    )
}

#[test]
fn the_needed_by_date_is_the_latest_start_of_the_work_waiting() {
    // W must start on Tuesday 2027-01-19, ten working days after the status date.
    let report = findings(&tight_decision_plan("2027-01-19"));
    let f = the(&report, "decision_needed:D1");
    assert_eq!(figure(f, Figure::WorkingDaysLeft), 10.0);
    let headline = report.words(f).headline;
    assert!(headline.contains("2027-01-18"), "decided by the working day before: {headline}");
    let names: Vec<_> = f.people.iter().filter_map(|p| p.name.as_deref()).collect();
    assert_eq!(names, ["Val", "Dee", "Ana"]);
    // One more day of room and it is not yet a finding, but its date is known.
    let later = findings(&tight_decision_plan("2027-01-20"));
    assert!(of(&later, FindingKind::DecisionNeeded).is_empty());
    let deadline = &later.decisions[0];
    assert_eq!(deadline.needed_by, Some(linchpin_model::NaiveDate::from_ymd_opt(2027, 1, 19).expect("date")));
    assert_eq!(deadline.working_days_left, Some(11.0));
    assert_eq!(deadline.waiting.len(), 1);
}

#[test]
fn a_decision_whose_work_should_have_started_is_overdue_and_high() {
    let tight = findings(
        "program: { name: T, start: 2027-01-04, status_date: 2027-01-04 }\nteams:\n  - { id: a }\nitems:\n  - { id: W, title: x, team: a, estimate: 1 }\ndecisions:\n  - { id: D1, question: Which?, blocks: [W] }\n",
    );
    let f = the(&tight, "decision_needed:D1");
    assert_eq!(f.severity, Severity::High);
    let headline = tight.words(f).headline;
    assert!(headline.contains("still open"), "{headline}");
}

#[test]
fn a_promised_date_that_has_passed_is_raised() {
    let report = findings(&decision_plan("", ", due: 2027-01-01"));
    let f = the(&report, "decision_needed:D1");
    assert_eq!(f.severity, Severity::Medium);
    let explanation = report.words(f).explanation;
    assert!(explanation.contains("promised by 2027-01-01"), "{explanation}");
}

#[test]
fn a_decided_decision_is_not_raised() {
    let report = findings(&decision_plan("", ", due: 2027-01-01, status: decided"));
    assert!(of(&report, FindingKind::DecisionNeeded).is_empty());
    assert!(report.decisions.is_empty(), "only open decisions have a needed-by date");
}

#[test]
fn a_decision_nothing_waits_on_any_more_has_no_needed_by_date() {
    let text =
        decision_plan("", "").replace("estimate: 1 }", "estimate: 1, status: in_progress, actual_start: 2027-01-04 }");
    let report = findings(&text);
    assert_eq!(report.decisions.len(), 1);
    assert_eq!(report.decisions[0].needed_by, None);
    assert!(of(&report, FindingKind::DecisionNeeded).is_empty());
}

/// Status date Monday 2027-01-11; a blocker on W raised on `raised`.
fn blocker_plan(raised: &str, blocker: &str) -> String {
    format!(
        "program: {{ name: T, start: 2027-01-04, status_date: 2027-01-11 }}\nteams:\n  - {{ id: a, lead: Ana }}\n  - {{ id: b }}\nitems:\n  - {{ id: W, title: x, team: a, estimate: 3, owner: Wu }}\n  - {{ id: LONG, title: x, team: b, estimate: 60 }}\nblockers:\n  - {{ item: W, description: no test account, raised: {raised}, owner: Bo{blocker} }}\n"
    )
}

#[test]
fn a_blocker_past_the_escalation_limit_without_escalation_is_high() {
    let report = findings(&blocker_plan("2027-01-05", ""));
    let f = the(&report, "blocker:W");
    assert_eq!(figure(f, Figure::AgeDays), 6.0);
    assert_eq!(f.severity, Severity::High);
    let words = report.words(f);
    assert!(words.action.starts_with("Escalate it to Ana now"), "{}", words.action);
    assert!(words.explanation.contains("Escalation path: Bo → Ana"), "{}", words.explanation);
}

#[test]
fn a_blocker_at_the_limit_is_medium_and_an_escalated_one_names_who_has_it() {
    let at = findings(&blocker_plan("2027-01-06", ""));
    assert_eq!(the(&at, "blocker:W").severity, Severity::Medium);
    let escalated = findings(&blocker_plan("2027-01-05", ", escalated_to: Vic"));
    let f = the(&escalated, "blocker:W");
    assert_eq!(f.severity, Severity::Medium);
    let action = escalated.words(f).action;
    assert!(action.starts_with("Ask Vic"), "{action}");
}

#[test]
fn work_marked_blocked_without_a_blocker_is_raised_until_one_is_recorded() {
    let marked = blocker_plan("2027-01-05", ", resolved: 2027-01-08")
        .replace("estimate: 3, owner: Wu", "estimate: 3, owner: Wu, status: blocked");
    let report = findings(&marked);
    let f = the(&report, "blocker:W");
    assert_eq!(figure(f, Figure::Blockers), 0.0);
    let action = report.words(f).action;
    assert!(action.starts_with("Record what blocks W"), "{action}");
    // With an open blocker, the finding is about that blocker instead.
    let recorded =
        blocker_plan("2027-01-08", "").replace("estimate: 3, owner: Wu", "estimate: 3, owner: Wu, status: blocked");
    assert_eq!(figure(the(&findings(&recorded), "blocker:W"), Figure::Blockers), 1.0);
}

#[test]
fn a_resolved_blocker_is_not_raised() {
    let report = findings(&blocker_plan("2027-01-05", ", resolved: 2027-01-08"));
    assert!(of(&report, FindingKind::Blocker).is_empty());
}

/// Status date Monday 2027-01-25; W has been in progress since 2027-01-04.
fn stale_plan(update: &str) -> String {
    format!(
        "program: {{ name: T, start: 2027-01-04, status_date: 2027-01-25 }}\nteams:\n  - {{ id: a, lead: Ana }}\nitems:\n  - {{ id: W, title: x, team: a, estimate: 30, status: in_progress, actual_start: 2027-01-04, owner: Wu }}\n{update}"
    )
}

#[test]
fn work_in_progress_without_an_update_for_more_than_ten_days_is_stale() {
    let report = findings(&stale_plan("updates:\n  - { date: 2027-01-14, item: W, health: amber, note: slow }\n"));
    let f = the(&report, "stale_status:W");
    assert_eq!(figure(f, Figure::DaysSilent), 11.0);
    let action = report.words(f).action;
    assert!(action.starts_with("Ask Wu"), "{action}");
    let fresh = findings(&stale_plan("updates:\n  - { date: 2027-01-15, item: W, health: green }\n"));
    assert!(of(&fresh, FindingKind::StaleStatus).is_empty());
}

#[test]
fn work_never_reported_on_counts_from_its_start() {
    let report = findings(&stale_plan(""));
    let f = the(&report, "stale_status:W");
    assert_eq!(figure(f, Figure::DaysSilent), 21.0);
    let explanation = report.words(f).explanation;
    assert!(explanation.contains("no update since it started on 2027-01-04"), "{explanation}");
}

#[test]
fn an_unnamed_lead_to_escalate_to_is_not_pulled_in_as_a_person_called_the_lead() {
    let report = findings(&blocker_plan("2027-01-05", "").replace("{ id: a, lead: Ana }", "{ id: a }"));
    let f = the(&report, "blocker:W");
    let action = report.words(f).action;
    assert!(action.starts_with("Escalate it to the a lead now"), "{action}");
    let names: Vec<_> = f.people.iter().filter_map(|p| p.name.as_deref()).collect();
    assert_eq!(names, ["Bo", "Wu"], "the lead is there, unnamed, as the team's lead");
    assert!(f.people.iter().any(|p| p.name.is_none()));
}
