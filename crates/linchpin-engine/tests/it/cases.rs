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

#[test]
fn no_schedule_or_forecast_runs_past_the_last_date_a_plan_can_hold() {
    use linchpin_engine::forecast::{ForecastError, ForecastOptions, forecast};
    use linchpin_engine::schedule::{ScheduleError, ScheduleOptions, schedule};
    // From Monday 9999-12-20 to the 31st there are ten working days.
    let late = |estimate: &str| {
        let text = format!(
            "program: {{ name: T, start: 9999-12-20 }}\nteams: [{{ id: a }}]\nitems:\n  - {{ id: A, title: A, team: a, estimate: {estimate} }}\n"
        );
        let plan = linchpin_plan::load_yaml_str("t.yaml", &text);
        assert!(!plan.has_errors(), "{:#?}", plan.diagnostics);
        plan.into_program().expect("valid")
    };
    let fits = late("10");
    let s = schedule(&fits, ScheduleOptions::default()).expect("ends on 9999-12-31");
    assert_eq!(s.end_date, date("9999-12-31"));
    let over = late("11");
    for capacity in [false, true] {
        let error = schedule(&over, ScheduleOptions { capacity, ..ScheduleOptions::default() }).expect_err("refused");
        assert!(matches!(error, ScheduleError::PastLatestDate { room, .. } if room == 10.0), "{error}");
    }
    // The likely case fits; the pessimistic one would not.
    let spread = late("[2, 5, 11]");
    assert!(schedule(&spread, ScheduleOptions::default()).is_ok());
    let error = forecast(
        &spread,
        ForecastOptions { iterations: 100, ..ForecastOptions::default() },
        &linchpin_engine::progress::Quiet,
    )
    .expect_err("refused");
    assert!(matches!(error, ForecastError::PastLatestDate { room } if room == 10.0), "{error}");
    assert!(
        forecast(
            &late("[2, 5, 10]"),
            ForecastOptions { iterations: 100, ..ForecastOptions::default() },
            &linchpin_engine::progress::Quiet
        )
        .is_ok()
    );
}

/// A (2 days) then B (2 days) after a wait of a week in calendar days; C
/// (15 days) runs alongside and sets the end.
fn vendor_wait(unit: &str) -> linchpin_model::Program {
    plan(&format!(
        "  - {{ id: A, title: A, team: b, estimate: 2 }}\n  - {{ id: B, title: B, team: b, estimate: 2, depends: [{{ item: A, lag: 7, lag_unit: {unit} }}] }}\n  - {{ id: C, title: C, team: b, estimate: 15 }}\n"
    ))
}

#[test]
fn a_calendar_day_lag_runs_through_the_weekend() {
    for capacity in [false, true] {
        let p = vendor_wait("calendar_days");
        let s = run(&p, capacity);
        // A ends Tuesday 01-05; seven calendar days later is the end of
        // Tuesday 01-12, so B starts Wednesday 01-13 (working day 7).
        assert_eq!(dates(&p, &s, "A"), (date("2027-01-04"), date("2027-01-05")), "capacity: {capacity}");
        assert_eq!(dates(&p, &s, "B"), (date("2027-01-13"), date("2027-01-14")), "capacity: {capacity}");
        // Seven working days would be a week and two days.
        let working = vendor_wait("working_days");
        assert_eq!(dates(&working, &run(&working, capacity), "B").0, date("2027-01-15"));
        // B runs days 7 and 8 and can slip to finish with C (day 15): 6
        // days. A can slip until B would start after day 13, Thursday
        // 01-21: A's finish by the end of Thursday 01-14 (day 8), 6 days.
        assert_eq!(item(&p, &s, "B").total_slack, 6.0, "capacity: {capacity}");
        assert_eq!(item(&p, &s, "A").total_slack, 6.0, "capacity: {capacity}");
    }
}

#[test]
fn a_calendar_day_lag_slack_is_what_a_slip_can_use() {
    use linchpin_model::Change;
    let p = vendor_wait("calendar_days");
    let a = p.keys().items["A"];
    let before = run(&p, false).end;
    let within = p.changed(&[Change::Slip { item: a, days: 6.0 }]).expect("slip");
    assert_eq!(run(&within, false).end, before, "six days of slack absorb a six-day slip");
    let beyond = p.changed(&[Change::Slip { item: a, days: 7.0 }]).expect("slip");
    assert_eq!(run(&beyond, false).end, before + 1.0, "a seventh day moves the end");
}

#[test]
fn an_item_starts_on_its_date_and_a_late_predecessor_is_reported() {
    use linchpin_engine::schedule::Conflict;
    for capacity in [false, true] {
        let p = plan(
            "  - { id: A, title: A, team: b, estimate: 3 }\n  - { id: B, title: B, team: b, estimate: 2, start_on: 2027-01-11 }\n  - { id: C, title: C, team: b, estimate: 1, start_on: 2027-01-05, depends: [A] }\n",
        );
        let s = run(&p, capacity);
        // B has no predecessor and would start on day 0; it keeps Monday 01-11.
        assert_eq!(dates(&p, &s, "B"), (date("2027-01-11"), date("2027-01-12")), "capacity: {capacity}");
        // C keeps Tuesday 01-05, though A only finishes on Wednesday 01-06.
        assert_eq!(dates(&p, &s, "C"), (date("2027-01-05"), date("2027-01-05")), "capacity: {capacity}");
        let (b, c, a) = (p.keys().items["B"], p.keys().items["C"], p.keys().items["A"]);
        assert_eq!(
            s.conflicts,
            vec![Conflict::StartsBeforePredecessor {
                item: c,
                start_on: date("2027-01-05"),
                predecessor: a,
                allows: date("2027-01-07"),
            }],
            "capacity: {capacity}"
        );
        // A pinned start cannot move: only its finish can, up to the end (day 7).
        assert_eq!(s.item(b).total_slack, 0.0, "B ends last");
        assert!(s.item(b).critical);
    }
}

#[test]
fn a_deadline_reports_its_slack_and_a_miss() {
    for capacity in [false, true] {
        let p = plan(
            "  - { id: A, title: A, team: b, estimate: 3, deadline: 2027-01-08 }\n  - { id: B, title: B, team: b, estimate: 6, deadline: 2027-01-08 }\n",
        );
        let s = run(&p, capacity);
        let (a, b) = (p.keys().items["A"], p.keys().items["B"]);
        // The deadline is the end of Friday, day 5: A finishes at 3, B at 6.
        use linchpin_engine::schedule::Work;
        let slack: Vec<(Work, f64)> = s.deadlines.iter().map(|d| (d.work, d.slack)).collect();
        assert_eq!(slack, vec![(Work::Item(a), 2.0), (Work::Item(b), -1.0)], "capacity: {capacity}");
    }
}

#[test]
fn a_pinned_items_slack_under_capacity_counts_the_work_it_would_push() {
    use linchpin_model::Change;
    // One person: P is pinned to Monday for two days, Q (three days) follows.
    let p = plan(
        "  - { id: P, title: P, team: a, estimate: 2, start_on: 2027-01-04 }\n  - { id: Q, title: Q, team: a, estimate: 3 }\n",
    );
    let logic = run(&p, false);
    let roadmap = run(&p, true);
    assert_eq!(roadmap.end, 5.0);
    // By logic alone Q runs alongside and the end is day 3, so P could
    // slip a day; with one person every day it slips pushes Q, so it has none.
    assert_eq!(logic.end, 3.0);
    assert_eq!(item(&p, &logic, "P").total_slack, 1.0);
    assert_eq!(item(&p, &roadmap, "P").total_slack, 0.0);
    assert!(item(&p, &roadmap, "P").critical);
    let slipped = p.changed(&[Change::Slip { item: p.keys().items["P"], days: 1.0 }]).expect("slip");
    assert_eq!(run(&slipped, true).end, 6.0, "the slip moves the end, as no slack says");
}

/// A workstream CORE holding an epic LEDGER (deadline Friday 01-15) and P1;
/// a phase LAUNCH that waits on LEDGER; X1 waits on LEDGER; milestone M
/// needs LAUNCH and X1. Five people, so capacity holds nothing back.
fn grouped() -> linchpin_model::Program {
    program(
        "teams: [{ id: t, capacity: 5 }]
groups:
  - { id: CORE, title: Core, kind: workstream }
  - { id: LEDGER, title: Ledger v2, kind: epic, parent: CORE, deadline: 2027-01-15 }
  - { id: LAUNCH, title: Launch, kind: phase, depends: [LEDGER] }
items:
  - { id: L1, title: L1, team: t, estimate: 3, group: LEDGER }
  - { id: L2, title: L2, team: t, estimate: 5, group: LEDGER }
  - { id: P1, title: P1, team: t, estimate: 2, group: CORE }
  - { id: X1, title: X1, team: t, estimate: 1, depends: [LEDGER] }
  - { id: S1, title: S1, team: t, estimate: 2, group: LAUNCH }
milestones:
  - { id: M, title: M, requires: [LAUNCH, X1] }
",
    )
}

#[test]
fn a_group_rolls_up_its_work_and_dependencies_on_and_of_it_hold_all_of_it() {
    let p = grouped();
    for capacity in [false, true] {
        let s = run(&p, capacity);
        // X1 and S1 wait for all of LEDGER: L2 ends on day 5.
        assert_eq!(dates(&p, &s, "X1").0, date("2027-01-11"), "capacity: {capacity}");
        assert_eq!(dates(&p, &s, "S1"), (date("2027-01-11"), date("2027-01-12")), "capacity: {capacity}");
        // M needs LAUNCH (S1, day 7) and X1 (day 6).
        assert_eq!(s.milestones[0].date, date("2027-01-12"));
        let group = |key: &str| &s.groups[p.keys().groups[key].index()];
        let ledger = group("LEDGER");
        assert_eq!((ledger.start, ledger.finish), (0.0, 5.0));
        // L2 drives S1 and the end: no slack; L1 has 2, the group the least.
        assert_eq!((ledger.total_slack, ledger.critical), (Some(0.0), true), "capacity: {capacity}");
        assert_eq!(item(&p, &s, "L1").total_slack, 2.0, "capacity: {capacity}");
        // CORE holds LEDGER and P1: the same span.
        let core = group("CORE");
        assert_eq!((core.start, core.finish, core.total_slack), (0.0, 5.0, Some(0.0)));
        assert_eq!(group("LAUNCH").finish, 7.0);
        // The deadline is the end of Friday 01-15, day 10: five days to spare.
        let deadline = &s.deadlines[0];
        assert_eq!(
            (deadline.work, deadline.slack),
            (linchpin_engine::schedule::Work::Group(p.keys().groups["LEDGER"]), 5.0)
        );
    }
}

#[test]
fn a_groups_slack_is_what_its_work_can_slip() {
    use linchpin_model::Change;
    let p = grouped();
    let before = run(&p, false).end;
    let l1 = p.keys().items["L1"];
    let within = p.changed(&[Change::Slip { item: l1, days: 2.0 }]).expect("slip");
    assert_eq!(run(&within, false).end, before);
    let beyond = p.changed(&[Change::Slip { item: l1, days: 3.0 }]).expect("slip");
    assert_eq!(run(&beyond, false).end, before + 1.0, "past L1's slack, the whole group's successors move");
}

#[test]
fn a_groups_progress_is_its_share_of_estimated_work_done() {
    let text = "program: { name: T, start: 2027-01-04, status_date: 2027-01-06 }
teams: [{ id: t, capacity: 5 }]
groups: [{ id: G, title: G }]
items:
  - { id: A, title: A, team: t, estimate: 4, group: G, status: done, actual_start: 2027-01-04, actual_finish: 2027-01-05 }
  - { id: B, title: B, team: t, estimate: 4, group: G, status: in_progress, actual_start: 2027-01-04, remaining: 1 }
  - { id: C, title: C, team: t, estimate: 2, group: G }
";
    let p = linchpin_plan::load_yaml_str("t.yaml", text).into_program().expect("valid");
    // Ten days of work: A's four done, B's four less the one left.
    let g = &run(&p, false).groups[0];
    assert!((g.progress - 0.7).abs() < 1e-12, "{}", g.progress);
}

/// The example plan, as `linchpin schedule` reads it.
fn example() -> linchpin_model::Program {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/platform-migration");
    let plan = linchpin_plan::load_path(&root, &linchpin_plan::LoadOptions::default()).expect("example reads");
    plan.into_program().expect("the example is valid")
}

#[test]
fn work_under_way_in_the_example_has_the_slack_a_slip_shows() {
    use linchpin_engine::schedule::{ScheduleOptions, replay, schedule};
    use linchpin_model::Change;
    // Under capacity these three were once shown critical with no slack,
    // though slipping them ten days moved nothing.
    let p = example();
    let s = schedule(&p, ScheduleOptions { capacity: true, effort: 1000, seed: 1, ..Default::default() })
        .expect("schedulable");
    for key in ["PAY-5", "IDN-7", "CHK-5"] {
        let me = item(&p, &s, key);
        assert!(me.total_slack >= 10.0 && !me.critical, "{key}: {me:?}");
        let end_after = |days: f64| {
            let slipped = p.changed(&[Change::Slip { item: me.item, days }]).expect("slip");
            replay(&slipped, &s.order, 1000).expect("replays").end
        };
        assert_eq!(end_after(10.0), s.end, "{key}: ten days move nothing");
        assert_eq!(end_after(me.total_slack), s.end, "{key}: its slack moves nothing");
        assert!(end_after(me.total_slack + 1.0) > s.end, "{key}: a day past its slack moves the end");
        // The first milestone a slip moves is the one it has least slack to:
        // none moves before, and that one moves a day after.
        let milestones_after = |days: f64| {
            let slipped = p.changed(&[Change::Slip { item: me.item, days }]).expect("slip");
            let after = replay(&slipped, &s.order, 1000).expect("replays");
            after.milestones.iter().map(|m| m.finish).collect::<Vec<_>>()
        };
        let before: Vec<f64> = s.milestones.iter().map(|m| m.finish).collect();
        let &(first, least) = me
            .milestone_slack
            .iter()
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .unwrap_or_else(|| panic!("{key} feeds a milestone"));
        assert!(least < me.total_slack, "{key}: a milestone moves before the end does");
        assert_eq!(milestones_after(least), before, "{key}: {least} days move no milestone");
        let moved = milestones_after(least + 1.0);
        assert!(moved[first.index()] > before[first.index()], "{key}: a day more moves {first:?}");
    }
    let pay5 = item(&p, &s, "PAY-5");
    let m5 = p.milestones().iter().position(|m| m.key == "M5").expect("M5");
    assert_eq!(pay5.milestone_slack.iter().find(|(m, _)| m.index() == m5).map(|(_, d)| *d), Some(18.0));
}

#[test]
fn capacity_aware_slack_is_the_same_on_one_thread_or_two() {
    use linchpin_engine::schedule::{ScheduleOptions, schedule};
    // Large enough that the budget for measuring slack runs out part way,
    // so which items get measured must not depend on the threads.
    let mut body = String::from(
        "teams:\n  - { id: a, capacity: 2 }\n  - { id: b, capacity: 2 }\n  - { id: c, capacity: 3 }\nitems:\n",
    );
    let mut state = 7u64;
    let mut next = |below: u64| {
        state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) % below
    };
    for i in 0..600u64 {
        let team = ["a", "b", "c"][next(3) as usize];
        let depends: Vec<String> = (0..next(3)).filter(|_| i > 0).map(|_| format!("I{}", next(i))).collect();
        body.push_str(&format!(
            "  - {{ id: I{i}, title: t, team: {team}, estimate: {}, depends: [{}] }}\n",
            1 + next(9),
            depends.join(", ")
        ));
    }
    body.push_str(
        "milestones:\n  - { id: M1, title: m, requires: [I100, I200] }\n  - { id: M2, title: m, requires: [I599] }\n",
    );
    let p = program(&body);
    let on = |threads: usize| {
        rayon::ThreadPoolBuilder::new().num_threads(threads).build().expect("pool").install(|| {
            schedule(&p, ScheduleOptions { capacity: true, effort: 20, seed: 1, ..Default::default() })
                .expect("schedulable")
        })
    };
    let (one, two) = (on(1), on(2));
    assert_eq!(one.items, two.items);
    let measured = one.items.iter().filter(|i| !i.milestone_slack.is_empty()).count();
    assert!(measured > 0 && measured < 600, "part of the plan measured: {measured}");
    // What was not measured says so, and what was does not.
    let estimated = one.items.iter().filter(|i| i.slack_estimated).count();
    assert!(estimated > 0 && estimated + measured <= 600, "{estimated} estimated, {measured} measured");
    assert!(one.items.iter().filter(|i| i.slack_estimated).all(|i| i.milestone_slack.is_empty()));
    // Asked to, it measures every item, and agrees where it measured before.
    let exact =
        schedule(&p, ScheduleOptions { capacity: true, effort: 20, seed: 1, exact_slack: true }).expect("schedulable");
    assert!(exact.items.iter().all(|i| !i.slack_estimated));
    for (a, b) in one.items.iter().zip(&exact.items).filter(|(a, _)| !a.slack_estimated) {
        assert_eq!((a.total_slack, &a.milestone_slack), (b.total_slack, &b.milestone_slack));
    }
}
