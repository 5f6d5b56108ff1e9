use linchpin_findings::{QualityResult, Report, Severity};
use linchpin_model::QualityCheck;

use crate::{HEADER, analyse_program, findings, program, the};

fn check(report: &Report, check: QualityCheck) -> &QualityResult {
    report.quality.iter().find(|q| q.check == check).expect("every check is reported")
}

/// `n` items in a chain on one team, then `extra` lines.
fn chain(n: usize, link: impl Fn(usize) -> String, item: impl Fn(usize) -> String) -> String {
    let mut text = "teams:\n  - { id: a, capacity: 30 }\nitems:\n".to_owned();
    for i in 0..n {
        let depends = if i == 0 { String::new() } else { format!(", depends: [{}]", link(i)) };
        text.push_str(&format!("  - {{ id: I{i}, title: x, team: a, estimate: 1{}{depends} }}\n", item(i)));
    }
    text.push_str(&format!("milestones:\n  - {{ id: M, title: m, requires: [I{}] }}\n", n - 1));
    text
}

fn plain(i: usize) -> String {
    format!("I{}", i - 1)
}

fn nothing(_: usize) -> String {
    String::new()
}

#[test]
fn a_fully_linked_chain_passes_every_check_that_applies() {
    let report = findings(&chain(21, plain, nothing));
    for q in &report.quality {
        assert_ne!(q.passed, Some(false), "{q:?}");
    }
    assert!(report.open.is_empty(), "{:?}", report.open);
    let test = check(&report, QualityCheck::CriticalPathTest);
    assert_eq!(test.value, Some(20.0));
    assert_eq!(check(&report, QualityCheck::MissedTasks).passed, None, "no baseline");
}

#[test]
fn work_nothing_waits_on_and_no_milestone_needs_is_missing_logic() {
    // 21 items: one dangling is 4.8 %, two are 9.1 %.
    let loose = |n: usize| {
        let extra: String =
            (1..=n).map(|i| format!("  - {{ id: LOOSE{i}, title: x, team: a, estimate: 1 }}\n")).collect();
        chain(21 - n, plain, nothing).replace("milestones:", &format!("{extra}milestones:"))
    };
    let one = findings(&loose(1));
    assert_eq!(check(&one, QualityCheck::MissingLogic).passed, Some(true));
    let two = findings(&loose(2));
    let q = check(&two, QualityCheck::MissingLogic);
    assert_eq!(q.passed, Some(false));
    assert_eq!(q.items.len(), 2);
    let f = the(&two, "schedule_quality:missing_logic");
    assert_eq!(f.severity, Severity::Low);
    let explanation = two.words(f).explanation;
    assert!(explanation.contains("LOOSE1 and LOOSE2"), "{explanation}");
}

#[test]
fn leads_fail_at_one_and_lags_at_more_than_five_percent() {
    let lead = findings(&chain(21, |i| if i == 5 { "{ item: I4, lag: -1 }".into() } else { plain(i) }, nothing));
    assert_eq!(check(&lead, QualityCheck::Leads).value, Some(1.0));
    assert_eq!(check(&lead, QualityCheck::Leads).passed, Some(false));
    // 20 links: one lag is 5 %, two are 10 %.
    let one = findings(&chain(21, |i| if i == 5 { "{ item: I4, lag: 1 }".into() } else { plain(i) }, nothing));
    assert_eq!(check(&one, QualityCheck::Lags).passed, Some(true));
    let two = findings(&chain(
        21,
        |i| if i == 5 || i == 6 { format!("{{ item: I{}, lag: 1 }}", i - 1) } else { plain(i) },
        nothing,
    ));
    assert_eq!(check(&two, QualityCheck::Lags).passed, Some(false));
}

#[test]
fn ninety_percent_of_links_must_be_finish_to_start() {
    let ss = |n: usize| move |i: usize| if i <= n { format!("{{ item: I{}, type: ss }}", i - 1) } else { plain(i) };
    let at = findings(&chain(11, ss(1), nothing));
    assert_eq!(check(&at, QualityCheck::RelationshipTypes).value, Some(0.9));
    assert_eq!(check(&at, QualityCheck::RelationshipTypes).passed, Some(true));
    let below = findings(&chain(11, ss(2), nothing));
    assert_eq!(check(&below, QualityCheck::RelationshipTypes).passed, Some(false));
}

#[test]
fn start_on_dates_on_more_than_five_percent_of_the_work_fail() {
    let pin = |n: usize, field: &'static str| move |i: usize| if i < n { field.to_owned() } else { String::new() };
    let one = findings(&chain(20, plain, pin(1, ", start_on: 2027-01-04")));
    assert_eq!(check(&one, QualityCheck::HardConstraints).passed, Some(true));
    let two = findings(&chain(20, plain, pin(2, ", start_on: 2027-01-04")));
    assert_eq!(check(&two, QualityCheck::HardConstraints).passed, Some(false));
    // Soft constraints keep the logic in charge: they are not counted.
    let soft = findings(&chain(20, plain, pin(20, ", not_before: 2027-01-04")));
    assert_eq!(check(&soft, QualityCheck::HardConstraints).value, Some(0.0));
    let deadlines = findings(&chain(20, plain, pin(20, ", deadline: 2030-01-01")));
    assert_eq!(check(&deadlines, QualityCheck::HardConstraints).value, Some(0.0));
}

fn slack_plan(short: u32) -> String {
    format!(
        "teams:\n  - {{ id: a }}\n  - {{ id: b }}\nitems:\n  - {{ id: X, title: x, team: a, estimate: {short} }}\n  - {{ id: LONG, title: x, team: b, estimate: 50 }}\nmilestones:\n  - {{ id: M, title: m, requires: [X, LONG] }}\n"
    )
}

#[test]
fn slack_above_44_days_and_estimates_above_44_days_fail() {
    let at = findings(&slack_plan(6));
    assert_eq!(check(&at, QualityCheck::HighSlack).passed, Some(true), "44 days of slack");
    let over = findings(&slack_plan(5));
    assert_eq!(check(&over, QualityCheck::HighSlack).items.len(), 1);
    assert_eq!(check(&over, QualityCheck::HighSlack).passed, Some(false));
    assert_eq!(check(&over, QualityCheck::LongDurations).passed, Some(false), "LONG is 50 days");
    let fine = findings(&slack_plan(5).replace("estimate: 50", "estimate: 44"));
    assert_eq!(check(&fine, QualityCheck::LongDurations).passed, Some(true));
}

#[test]
fn actuals_after_the_status_date_are_invalid() {
    let text = format!(
        "{HEADER}  status_date: 2027-01-08\nteams:\n  - {{ id: a }}\nitems:\n  - {{ id: A, title: x, team: a, estimate: 2, status: done, actual_start: 2027-01-04, actual_finish: 2027-01-05 }}\n"
    );
    let program = program(&text);
    assert_eq!(check(&analyse_program(&program, false), QualityCheck::InvalidDates).value, Some(0.0));
    // Every front end goes through the one resolver, so an import cannot
    // carry an actual date after the status date into the findings either.
    let future = text.replace("actual_finish: 2027-01-05", "actual_finish: 2027-01-12");
    let plan = linchpin_plan::load_yaml_str("t.yaml", &future);
    assert!(plan.program().is_none());
    assert!(plan.diagnostics.iter().any(|d| d.code == linchpin_model::Code::ActualAfterStatusDate));
}

#[test]
fn the_critical_path_length_index_compares_the_path_left_with_the_time_to_the_target() {
    // The target, Friday 2027-01-29, is the end of working day 20.
    let plan = |n: usize| chain(n, plain, nothing).replace("requires:", "target: 2027-01-29, requires:");
    let at = findings(&plan(21));
    let q = check(&at, QualityCheck::CriticalPathLengthIndex);
    assert!((q.value.expect("applies") - 20.0 / 21.0).abs() < 1e-9);
    assert_eq!(q.passed, Some(true));
    let below = findings(&plan(22));
    assert_eq!(check(&below, QualityCheck::CriticalPathLengthIndex).passed, Some(false));
}

#[test]
fn a_baseline_gives_missed_tasks_and_the_baseline_execution_index() {
    let text = format!(
        "{HEADER}  status_date: 2027-01-15\nteams:\n  - {{ id: a, capacity: 3 }}\nitems:\n  - {{ id: A, title: x, team: a, estimate: 5, status: done, actual_start: 2027-01-04, actual_finish: 2027-01-08 }}\n  - {{ id: B, title: x, team: a, estimate: 5, status: in_progress, actual_start: 2027-01-11 }}\n  - {{ id: C, title: x, team: a, estimate: 3 }}\n  - {{ id: D, title: x, team: a, estimate: 3 }}\nbaseline:\n  date: 2027-01-04\n  items:\n    - {{ item: A, start: 2027-01-04, finish: 2027-01-08 }}\n    - {{ item: B, start: 2027-01-11, finish: 2027-01-13 }}\n    - {{ item: C, start: 2027-01-14, finish: 2027-01-18 }}\n    - {{ item: D, start: 2027-01-18, finish: 2027-01-20 }}\n"
    );
    let program = program(&text);
    let report = analyse_program(&program, false);
    let bei = check(&report, QualityCheck::BaselineExecutionIndex);
    assert_eq!(bei.value, Some(0.5), "A done of A and B due");
    assert_eq!(bei.passed, Some(false));
    let missed = check(&report, QualityCheck::MissedTasks);
    // B finished late (not yet done), C has not started; D is not due.
    assert!((missed.value.expect("applies") - 2.0 / 3.0).abs() < 1e-9);
    let keys: Vec<&str> = missed.items.iter().map(|i| program.item(*i).key.as_str()).collect();
    assert_eq!(keys, ["B", "C"]);
}
