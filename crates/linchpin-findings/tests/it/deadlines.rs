use linchpin_findings::{Entity, Figure, Severity};
use linchpin_model::FindingKind;

use crate::{HEADER, figure, findings, of, run, the};

/// B waits on A, five working days each, one person: A runs 2027-01-04 to
/// 01-08 and B 01-11 to 01-15.
fn item_plan(deadline: &str) -> String {
    format!(
        "teams:\n  - {{ id: a, lead: Ana }}\nitems:\n  - {{ id: A, title: x, team: a, estimate: 5 }}\n  - {{ id: B, title: y, team: a, estimate: 5, owner: Bo, deadline: {deadline}, depends: [A] }}\n"
    )
}

#[test]
fn an_item_planned_to_finish_after_its_deadline_is_at_risk() {
    let report = findings(&item_plan("2027-01-14"));
    let f = the(&report, "deadline_at_risk:B");
    assert_eq!(f.severity, Severity::High);
    assert_eq!(figure(f, Figure::DaysLate), 1.0, "finishes at the end of 01-15, a day after the 14th");
    let words = report.words(f);
    assert_eq!(words.headline, "B is planned to finish on 2027-01-15, after its deadline 2027-01-14");
    assert!(words.explanation.contains("1 working day late"), "{}", words.explanation);
    assert!(words.action.contains("win back 1 working day"), "{}", words.action);
    assert_eq!(f.people[0].name.as_deref(), Some("Bo"), "the item's owner");
    // Finishing on the deadline's day makes it.
    assert!(of(&findings(&item_plan("2027-01-15")), FindingKind::DeadlineAtRisk).is_empty());
}

fn group_plan(deadline: &str, status: &str) -> String {
    format!(
        "teams:\n  - {{ id: a }}\ngroups:\n  - {{ id: G, title: Ledger v2, owner: Cy, deadline: {deadline} }}\nitems:\n  - {{ id: A, title: x, team: a, estimate: 5, group: G }}\n  - {{ id: B, title: y, team: a, estimate: 5, group: G, depends: [A]{status} }}\n"
    )
}

#[test]
fn a_group_is_at_risk_when_its_last_work_finishes_after_its_deadline() {
    let report = findings(&group_plan("2027-01-12", ""));
    let f = the(&report, "deadline_at_risk:G");
    assert_eq!(figure(f, Figure::DaysLate), 3.0, "B finishes at the end of 01-15, three working days late");
    assert!(f.involved.contains(&Entity::Item(linchpin_model::ItemId::new(1))), "B finishes last");
    let names: Vec<_> = f.people.iter().map(|p| p.name.as_deref()).collect();
    assert_eq!(names, [Some("Cy"), None], "the group's owner, then B's team lead (unnamed)");
    let explanation = report.words(f).explanation;
    assert!(explanation.contains("must finish all its work by 2027-01-12"), "{explanation}");
    assert!(explanation.contains("The last of its open work to finish is B."), "{explanation}");
    // A group whose work is all done has nothing left to be late.
    let done = ", status: done, actual_start: 2027-01-04, actual_finish: 2027-01-06";
    let text = format!("{HEADER}  status_date: 2027-01-07\n{}", group_plan("2027-01-05", done)).replace(
        "estimate: 5, group: G }",
        "estimate: 5, group: G, status: done, actual_start: 2027-01-04, actual_finish: 2027-01-04 }",
    );
    assert!(of(&run(&text, false), FindingKind::DeadlineAtRisk).is_empty());
}

#[test]
fn with_a_forecast_the_deadline_is_judged_by_its_p80() {
    let plan = |deadline: &str| {
        format!(
            "teams:\n  - {{ id: a }}\nitems:\n  - {{ id: A, title: x, team: a, estimate: [5, 10, 30], deadline: {deadline} }}\n"
        )
    };
    // The likely finish is 2027-01-15: on time by the schedule's own dates.
    assert!(of(&findings(&plan("2027-01-15")), FindingKind::DeadlineAtRisk).is_empty());
    let report = run(&plan("2027-01-15"), true);
    let f = the(&report, "deadline_at_risk:A");
    assert_eq!(f.severity, Severity::High, "the median of [5, 10, 30] is past ten days");
    let chance = figure(f, Figure::ProbabilityOnTarget);
    assert!(chance > 0.0 && chance < 0.5, "{chance}");
    assert!(figure(f, Figure::DaysLateAtP80) > 0.0);
    assert!(report.words(f).headline.starts_with("A: "), "{}", report.words(f).headline);
    assert!(of(&run(&plan("2027-03-01"), true), FindingKind::DeadlineAtRisk).is_empty());
}

#[test]
fn a_deadline_finding_can_be_accepted_by_its_id() {
    let plan = format!(
        "{}findings:\n  accepted:\n    - {{ finding: 'deadline_at_risk:G', reason: agreed to slip, owner: Cy }}\n",
        group_plan("2027-01-12", "")
    );
    let report = findings(&plan);
    assert!(of(&report, FindingKind::DeadlineAtRisk).is_empty());
    assert_eq!(report.accepted.len(), 1);
}
