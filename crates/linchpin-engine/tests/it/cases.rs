//! Small plans whose schedules were worked out by hand. The program starts
//! on Monday 2027-01-04; working day 0 is that Monday, day 4 the Friday.

use crate::{date, dates, item, program, run};

const TEAMS: &str = "teams:\n  - { id: a, capacity: 1 }\n  - { id: b, capacity: 2 }\n";

fn plan(items: &str) -> linchpin_model::Program {
    program(&format!("{TEAMS}items:\n{items}"))
}

#[test]
fn finish_to_start_with_a_lag() {
    let p = plan(
        "  - { id: A, title: A, team: b, estimate: 3 }\n  - { id: B, title: B, team: b, estimate: 2, depends: [{ item: A, lag: 1 }] }\n",
    );
    let s = run(&p, false);
    assert_eq!(dates(&p, &s, "A"), (date("2027-01-04"), date("2027-01-06")));
    // Starts on day 4 (a day of lag after day 2), runs days 4 and 5.
    assert_eq!(dates(&p, &s, "B"), (date("2027-01-08"), date("2027-01-11")));
    assert_eq!(s.end, 6.0);
}

#[test]
fn start_to_start_with_a_lag() {
    let p = plan(
        "  - { id: A, title: A, team: b, estimate: 5 }\n  - { id: B, title: B, team: b, estimate: 3, depends: [{ item: A, type: ss, lag: 2 }] }\n",
    );
    let s = run(&p, false);
    assert_eq!(dates(&p, &s, "B"), (date("2027-01-06"), date("2027-01-08")));
    assert!(item(&p, &s, "A").critical && item(&p, &s, "B").critical, "both end together");
}

#[test]
fn finish_to_finish_with_a_lag() {
    let p = plan(
        "  - { id: A, title: A, team: b, estimate: 4 }\n  - { id: B, title: B, team: b, estimate: 2, depends: [{ item: A, type: ff, lag: 1 }] }\n",
    );
    let s = run(&p, false);
    // B must finish at 5 or later, so it runs days 3 and 4.
    assert_eq!(dates(&p, &s, "B"), (date("2027-01-07"), date("2027-01-08")));
    assert_eq!(item(&p, &s, "A").total_slack, 0.0, "A finishing later pushes B past the end");
    assert!(item(&p, &s, "B").critical);
}

#[test]
fn a_negative_lag_is_a_lead() {
    let p = plan(
        "  - { id: A, title: A, team: b, estimate: 5 }\n  - { id: B, title: B, team: b, estimate: 3, depends: [{ item: A, lag: -2 }] }\n",
    );
    let s = run(&p, false);
    assert_eq!(dates(&p, &s, "B"), (date("2027-01-07"), date("2027-01-11")));
}

#[test]
fn program_holidays_and_weekends_are_skipped() {
    let text = "program:\n  name: T\n  start: 2027-01-04\n  calendar: { holidays: [2027-01-06] }\nteams: [{ id: b, capacity: 2 }]\nitems:\n  - { id: A, title: A, team: b, estimate: 3 }\n  - { id: B, title: B, team: b, estimate: 2, depends: [A] }\n";
    let p = linchpin_plan::load_yaml_str("t.yaml", text).into_program().expect("valid");
    let s = run(&p, false);
    assert_eq!(dates(&p, &s, "A"), (date("2027-01-04"), date("2027-01-07")), "Mon, Tue, Thu");
    assert_eq!(dates(&p, &s, "B"), (date("2027-01-08"), date("2027-01-11")), "Fri, then Mon after the weekend");
}

#[test]
fn a_team_holiday_stretches_only_that_teams_work() {
    let text = "program:\n  name: T\n  start: 2027-01-04\nteams:\n  - { id: a, capacity: 1, holidays: [2027-01-05] }\n  - { id: b, capacity: 1 }\nitems:\n  - { id: A, title: A, team: a, estimate: 2 }\n  - { id: B, title: B, team: b, estimate: 2 }\n";
    let p = linchpin_plan::load_yaml_str("t.yaml", text).into_program().expect("valid");
    for capacity in [false, true] {
        let s = run(&p, capacity);
        assert_eq!(dates(&p, &s, "A"), (date("2027-01-04"), date("2027-01-06")), "Mon, then Wed");
        assert_eq!(dates(&p, &s, "B"), (date("2027-01-04"), date("2027-01-05")));
    }
}

#[test]
fn progress_fixes_history_and_schedules_the_rest_after_the_status_date() {
    let text =
        "program:\n  name: T\n  start: 2027-01-04\n  status_date: 2027-01-06\nteams: [{ id: b, capacity: 3 }]\nitems:
  - { id: A, title: A, team: b, estimate: 2, status: done, actual_start: 2027-01-04, actual_finish: 2027-01-05 }
  - { id: B, title: B, team: b, estimate: 5, status: in_progress, actual_start: 2027-01-05, remaining: 2, depends: [A] }
  - { id: C, title: C, team: b, estimate: 1 }
  - { id: D, title: D, team: b, estimate: 1, depends: [B] }
";
    let p = linchpin_plan::load_yaml_str("t.yaml", text).into_program().expect("valid");
    for capacity in [false, true] {
        let s = run(&p, capacity);
        assert_eq!(dates(&p, &s, "A"), (date("2027-01-04"), date("2027-01-05")), "done: as it happened");
        assert_eq!(dates(&p, &s, "B"), (date("2027-01-05"), date("2027-01-08")), "two days left from Thursday");
        assert_eq!(dates(&p, &s, "C"), (date("2027-01-07"), date("2027-01-07")), "not before the status date");
        assert_eq!(dates(&p, &s, "D"), (date("2027-01-11"), date("2027-01-11")));
        assert!(!item(&p, &s, "A").critical, "done work is not critical");
    }
}

#[test]
fn slack_on_a_parallel_branch() {
    let p = plan(
        "  - { id: A, title: A, team: b, estimate: 5 }\n  - { id: B, title: B, team: b, estimate: 2 }\n  - { id: C, title: C, team: b, estimate: 1, depends: [A, B] }\n",
    );
    let s = run(&p, false);
    assert_eq!(item(&p, &s, "B").total_slack, 3.0);
    assert_eq!(item(&p, &s, "B").free_slack, 3.0);
    assert_eq!(item(&p, &s, "A").total_slack, 0.0);
    assert!(item(&p, &s, "A").critical && !item(&p, &s, "B").critical);
    let path: Vec<&str> = s.critical_path.iter().map(|i| p.item(*i).key.as_str()).collect();
    assert_eq!(path, vec!["A", "C"]);
}

#[test]
fn capacity_makes_work_wait_and_says_who_held_it() {
    let p = plan("  - { id: A, title: A, team: a, estimate: 2 }\n  - { id: B, title: B, team: a, estimate: 2 }\n");
    let cpm = run(&p, false);
    assert_eq!(cpm.end, 2.0);
    let s = run(&p, true);
    assert_eq!(s.end, 4.0);
    let waiting: Vec<_> = s.items.iter().filter(|i| i.capacity_wait > 0.0).collect();
    assert_eq!(waiting.len(), 1);
    assert_eq!(waiting[0].capacity_wait, 2.0);
    assert_eq!(waiting[0].held_by, Some(p.keys().teams["a"]));
}

#[test]
fn capacity_that_grows_is_used_from_its_date() {
    let text = "program:\n  name: T\n  start: 2027-01-04\nteams:\n  - { id: a, capacity: 1, capacity_changes: [{ from: 2027-01-06, people: 2 }] }\nitems:
  - { id: A, title: A, team: a, estimate: 2 }
  - { id: B, title: B, team: a, estimate: 2 }
  - { id: C, title: C, team: a, estimate: 2 }
";
    let p = linchpin_plan::load_yaml_str("t.yaml", text).into_program().expect("valid");
    let s = run(&p, true);
    assert_eq!(s.end, 4.0, "one item first, then two side by side from Wednesday");
}

#[test]
fn milestones_compare_with_their_targets() {
    let text = "program:\n  name: T\n  start: 2027-01-04\nteams: [{ id: b, capacity: 1 }]\nitems:
  - { id: A, title: A, team: b, estimate: 3 }
  - { id: B, title: B, team: b, estimate: 3, depends: [A] }
milestones:
  - { id: early, title: E, requires: [A], target: 2027-01-08 }
  - { id: late, title: L, requires: [B], target: 2027-01-08 }
";
    let p = linchpin_plan::load_yaml_str("t.yaml", text).into_program().expect("valid");
    let s = run(&p, false);
    assert_eq!(s.milestones[0].date, date("2027-01-06"));
    assert_eq!(s.milestones[0].slack_to_target, Some(2.0));
    assert_eq!(s.milestones[1].date, date("2027-01-11"));
    assert_eq!(s.milestones[1].slack_to_target, Some(-1.0));
}

#[test]
fn a_what_if_slip_moves_the_milestones_it_feeds() {
    use linchpin_model::Change;
    let p = plan(
        "  - { id: A, title: A, team: b, estimate: 5 }\n  - { id: B, title: B, team: b, estimate: 2 }\n  - { id: C, title: C, team: b, estimate: 1, depends: [A, B] }\n",
    );
    let before = run(&p, false);
    let small = p.changed(&[Change::Slip { item: p.keys().items["B"], days: 2.0 }]).expect("a valid slip");
    assert_eq!(run(&small, false).end, before.end, "inside B's slack");
    let big = p.changed(&[Change::Slip { item: p.keys().items["B"], days: 5.0 }]).expect("a valid slip");
    assert_eq!(run(&big, false).end, before.end + 2.0);
}

#[test]
fn a_program_running_for_centuries_is_refused_before_it_is_scheduled() {
    use linchpin_engine::schedule::{HorizonCause, ScheduleError, ScheduleOptions, schedule};
    // Each estimate is plausible on its own; twelve in a row are 108,000 days.
    let chain: String = (0..12)
        .map(|i| {
            let depends = if i == 0 { String::new() } else { format!(", depends: [I{}]", i - 1) };
            format!("  - {{ id: I{i}, title: I, team: b, estimate: 9000{depends} }}\n")
        })
        .collect();
    let p = plan(&chain);
    for capacity in [false, true] {
        let error = schedule(&p, ScheduleOptions { capacity, ..ScheduleOptions::default() }).expect_err("refused");
        let ScheduleError::ImplausibleHorizon { days, cause } = error else { panic!("{error}") };
        assert_eq!(days, 108_000.0);
        assert_eq!(cause, HorizonCause::Chain { last: "I11".into() });
    }

    // The same items without dependencies fit the calendar, but not team a's one person.
    let parallel: String =
        (0..12).map(|i| format!("  - {{ id: I{i}, title: I, team: a, estimate: 9000 }}\n")).collect();
    let p = plan(&parallel);
    assert!(schedule(&p, ScheduleOptions { capacity: false, ..ScheduleOptions::default() }).is_ok());
    let error = schedule(&p, ScheduleOptions::default()).expect_err("refused with capacity");
    assert_eq!(
        error.to_string(),
        "the program would run for at least 108,000 working days (about 415 years): team `a` has 108,000 \
         person-days of work and at most 1 person; check the estimates, capacities and units"
    );
}
