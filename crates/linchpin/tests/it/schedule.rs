use crate::{Scratch, linchpin, stderr, stdout};

fn starter(scratch: &Scratch) -> String {
    let path = scratch.path("plan.yaml").display().to_string();
    linchpin(&["init", &path]);
    path
}

#[test]
fn the_starter_plan_schedule_reads_as_a_table() {
    let scratch = Scratch::new("schedule-text");
    let path = starter(&scratch);
    let output = linchpin(&["schedule", &path]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    insta::assert_snapshot!(stdout(&output));
}

#[test]
fn json_holds_dates_slack_and_criticality_per_item() {
    let output = linchpin(&["schedule", "examples/platform-migration", "--format", "json"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    assert_eq!(report["start"], "2026-09-07");
    assert!(report["end"].as_str().is_some_and(|e| e > "2027-01-01"));
    let items = report["items"].as_array().expect("items");
    assert_eq!(items.len(), 131);
    for item in items {
        for key in ["id", "start", "finish", "total_slack", "critical"] {
            assert!(!item[key].is_null(), "{key} missing in {item}");
        }
        assert!(item["total_slack"].as_f64().is_some_and(|s| s >= 0.0));
    }
    assert!(items.iter().any(|i| i["critical"] == true));
    assert!(!report["critical_path"].as_array().expect("path").is_empty());
    assert_eq!(report["milestones"].as_array().expect("milestones").len(), 10);
}

#[test]
fn capacity_shows_who_waits_for_data_platform() {
    let output = linchpin(&["schedule", "examples/platform-migration", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    let waiting: Vec<_> = report["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter(|i| i["capacity_wait"].as_f64().unwrap_or(0.0) > 0.0)
        .collect();
    assert!(!waiting.is_empty(), "two people cannot carry data platform's January load");
    assert!(waiting.iter().all(|i| i["held_by"] == i["team"]));
    let cpm = linchpin(&["schedule", "examples/platform-migration", "--no-capacity"]);
    assert!(stdout(&cpm).contains("data-platform  week of 2027-01-18"), "{}", stdout(&cpm));
}

#[test]
fn a_what_if_prints_each_milestones_old_and_new_date() {
    let output = linchpin(&["schedule", "examples/platform-migration", "--slip", "IDN-5=10", "--no-capacity"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.contains("M2         2027-01-21  2027-02-04  10.0 working days later"), "{text}");
    assert!(text.contains("M1         2026-12-18  2026-12-18  no change"), "{text}");
    let bad = linchpin(&["schedule", "examples/platform-migration", "--people", "dataplatform=4"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("did you mean `data-platform`?"), "{}", stderr(&bad));
}

#[test]
fn the_old_name_of_the_people_what_if_says_the_new_one() {
    let old = linchpin(&["schedule", "examples/platform-migration", "--capacity", "identity=6@2027-01-04"]);
    assert_eq!(old.status.code(), Some(2));
    assert_eq!(
        stderr(&old).trim_end(),
        "error: `--capacity identity=6@2027-01-04` is now `--people identity=6@2027-01-04`"
    );
    let new = linchpin(&["schedule", "examples/platform-migration", "--people", "identity=6@2027-01-04"]);
    assert_eq!(new.status.code(), Some(0), "{}", stderr(&new));
    assert!(stdout(&new).contains("what if: milestone dates before and after the change"));
}

#[test]
fn csv_has_one_row_per_item() {
    let scratch = Scratch::new("schedule-csv");
    let path = starter(&scratch);
    let output = linchpin(&["schedule", &path, "--format", "csv", "--no-capacity"]);
    let text = stdout(&output);
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("id,title,team,status,start,finish,total_slack,free_slack,critical,capacity_wait,held_by")
    );
    assert_eq!(lines.count(), 4);
}

#[test]
fn a_plan_with_errors_is_not_scheduled() {
    let output = linchpin(&["schedule", "crates/linchpin/tests/fixtures/broken.yaml"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("run `linchpin check` for details"));
}

/// A chain of `n` items in the spreadsheet form, each `days` long.
fn chain(scratch: &Scratch, n: usize, days: u32) -> String {
    let mut csv = String::from("id,title,team,optimistic,likely,pessimistic,depends\n");
    for i in 0..n {
        let depends = if i == 0 { String::new() } else { format!("T{}", i - 1) };
        csv.push_str(&format!("T{i},Task {i},core,{days},{days},{days},{depends}\n"));
    }
    scratch.write("chain.csv", csv)
}

#[test]
fn a_reader_that_stops_early_ends_the_run_quietly() {
    use std::io::Read;
    let scratch = Scratch::new("schedule-pipe");
    let path = chain(&scratch, 20_000, 1);
    // Megabytes of output: far more than a pipe holds once the reader leaves.
    for format in ["json", "csv", "text"] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_linchpin"))
            .args(["schedule", &path, "--no-capacity", "--format", format])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("the binary runs");
        let mut head = [0u8; 64];
        child.stdout.take().expect("stdout").read_exact(&mut head).expect("some output");
        let output = child.wait_with_output().expect("the run ends");
        assert_eq!(output.status.code(), Some(0), "{format}: {}", stderr(&output));
        assert_eq!(stderr(&output), "", "{format}");
    }
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_is_an_error() {
    let scratch = Scratch::new("schedule-full");
    let path = chain(&scratch, 2_000, 1);
    for format in ["json", "csv", "text"] {
        let full = std::fs::OpenOptions::new().write(true).open("/dev/full").expect("/dev/full");
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_linchpin"))
            .args(["schedule", &path, "--no-capacity", "--format", format])
            .stdout(full)
            .output()
            .expect("the binary runs");
        assert_eq!(output.status.code(), Some(2), "{format}");
        assert!(stderr(&output).contains("cannot write the output"), "{format}: {}", stderr(&output));
    }
}

#[test]
fn a_plan_that_would_run_for_millennia_is_refused_with_its_cause() {
    let scratch = Scratch::new("schedule-millennia");
    let path = chain(&scratch, 2_000, 9_000);
    for flag in ["--no-capacity", "--effort=1000"] {
        let output = linchpin(&["schedule", &path, flag]);
        assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
        assert!(stdout(&output).is_empty());
        let message = stderr(&output);
        assert!(message.contains("at least 18,000,000 working days (about 69,231 years)"), "{message}");
        assert!(message.contains("the chain of dependencies up to `T1999`"), "{message}");
    }
}

#[test]
fn with_json_output_a_fatal_error_is_json_too() {
    let scratch = Scratch::new("schedule-json-error");
    let path = chain(&scratch, 2_000, 9_000);
    let output = linchpin(&["schedule", &path, "--no-capacity", "--format", "json"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).is_empty(), "{}", stderr(&output));
    let error: serde_json::Value = serde_json::from_slice(&output.stdout).expect("a JSON object");
    assert_eq!(error["error"]["code"], "implausible-horizon");
    let message = error["error"]["message"].as_str().expect("a message");
    assert!(message.starts_with("the program would run for at least 18,000,000 working days"), "{message}");
    let missing = linchpin(&["forecast", "no/such/plan.yaml", "--format", "json"]);
    let error: serde_json::Value = serde_json::from_slice(&missing.stdout).expect("a JSON object");
    assert_eq!(error["error"]["code"], "cannot-read");
    assert_eq!(missing.status.code(), Some(2));
}

#[test]
fn a_what_if_is_held_to_the_limit_a_plans_estimates_have() {
    for option in ["--slip", "--estimate"] {
        let output = linchpin(&["schedule", "examples/platform-migration", option, "BIL-3=100000000"]);
        assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
        assert!(stderr(&output).contains("is more than 10000 working days (forty years)"), "{}", stderr(&output));
    }
    let output = linchpin(&["schedule", "examples/platform-migration", "--slip", "BIL-3=9999"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(stdout(&output).contains("working days later"));
}

#[test]
fn deadlines_calendar_lags_and_pinned_starts_show_in_the_schedule() {
    let plan = crate::fixture("constraints.yaml");
    let output = linchpin(&["schedule", &plan]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    // A ends Wednesday 01-06; seven calendar days on, B starts Thursday 01-14.
    assert!(text.contains("B     b     2027-01-14  2027-01-15     0.0  *"), "{text}");
    assert!(text.contains("B     2027-01-15  2027-01-15  0.0 d         Certify"), "{text}");
    assert!(
        text.contains(
            "C must start on 2027-01-05, but A, which it waits on, lets it start on 2027-01-07 at the earliest"
        ),
        "{text}"
    );
    let report = crate::json(&["schedule", &plan, "--format", "json"]);
    let items = report["items"].as_array().expect("items");
    let b = items.iter().find(|i| i["id"] == "B").expect("B");
    assert_eq!((b["deadline"].as_str(), b["slack_to_deadline"].as_f64()), (Some("2027-01-15"), Some(0.0)));
    let c = items.iter().find(|i| i["id"] == "C").expect("C");
    assert_eq!(c["start_on"], "2027-01-05");
    assert_eq!(c["total_slack"], 8.0, "its finish can slip to the end");
    assert_eq!(report["conflicts"][0]["kind"], "starts_before_predecessor");
    let a = items.iter().find(|i| i["id"] == "A").expect("A");
    assert!(a.get("deadline").is_none(), "no deadline field where the plan sets none");
    let forecast = crate::json(&["forecast", &plan, "--iterations", "200", "--format", "json"]);
    assert_eq!(forecast["deadlines"][0]["id"], "B");
    assert_eq!(forecast["deadlines"][0]["probability_on_target"], 1.0);
}

#[test]
fn a_calendar_lag_on_a_start_to_start_link_is_refused() {
    let scratch = Scratch::new("ss-calendar-lag");
    let path = scratch.write(
        "plan.yaml",
        "program: { name: P, start: 2027-01-04 }\nteams: [{ id: t }]\nitems:\n  - { id: A, title: A, team: t, estimate: 1 }\n  - { id: B, title: B, team: t, estimate: 1, depends: [{ item: A, type: ss, lag: 3, lag_unit: calendar_days }] }\n",
    );
    let output = linchpin(&["check", &path]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("error[unsupported-link]: a start-to-start link cannot wait in calendar days"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn groups_roll_up_in_the_schedule_and_the_forecast() {
    let plan = crate::fixture("groups.yaml");
    let text = stdout(&linchpin(&["schedule", &plan]));
    // LEDGER: L1's three days done, L2's five to go.
    assert!(text.contains("LEDGER  2027-01-04  2027-01-12     0.0  *      38 %      2  Ledger v2"), "{text}");
    assert!(text.contains("LEDGER  2027-01-12  2027-01-15  3.0 d         Ledger v2"), "{text}");
    let report = crate::json(&["schedule", &plan, "--format", "json"]);
    let ledger = report["groups"].as_array().expect("groups").iter().find(|g| g["id"] == "LEDGER").expect("LEDGER");
    assert_eq!(ledger["parent"], "CORE");
    assert_eq!(ledger["kind"], "epic");
    assert_eq!(ledger["progress_pct"], 37.5);
    assert_eq!(ledger["slack_to_deadline"], 3.0);
    // S1 is in LAUNCH, which waits on all of LEDGER.
    let s1 = report["items"].as_array().expect("items").iter().find(|i| i["id"] == "S1").expect("S1");
    assert_eq!(s1["start"], "2027-01-13");
    let forecast = crate::json(&["forecast", &plan, "--iterations", "100", "--format", "json"]);
    let groups: Vec<&str> =
        forecast["groups"].as_array().expect("groups").iter().map(|g| g["id"].as_str().expect("id")).collect();
    assert_eq!(groups, ["CORE", "LEDGER", "LAUNCH"]);
    assert_eq!(forecast["groups"][1]["probability_on_target"], 1.0);
    let check = stdout(&linchpin(&["check", &plan]));
    assert!(check.contains(", 3 groups"), "{check}");
}

#[test]
fn the_schedule_says_how_soon_any_schedule_could_end_and_what_sets_it() {
    // Four five-day items for two people: no chain is longer than five
    // days, but the team needs ten.
    let scratch = Scratch::new("schedule-bound");
    let plan = scratch.write(
        "plan.yaml",
        "program: { name: Bound, start: 2027-01-04 }\nteams: [{ id: pair, capacity: 2 }]\nitems:\n\
         \x20 - { id: A, title: a, team: pair, estimate: 5 }\n  - { id: B, title: b, team: pair, estimate: 5 }\n\
         \x20 - { id: C, title: c, team: pair, estimate: 5 }\n  - { id: D, title: d, team: pair, estimate: 5 }\n",
    );
    let text = stdout(&linchpin(&["schedule", &plan]));
    assert!(
        text.contains("no schedule can end before 2027-01-15 (the work of team pair); this schedule reaches it"),
        "{text}"
    );
    let json: serde_json::Value =
        serde_json::from_slice(&linchpin(&["schedule", &plan, "--format", "json"]).stdout).expect("json");
    assert_eq!(json["lower_bound"], serde_json::json!({ "date": "2027-01-15", "days": 10.0, "set_by": "pair" }));
    let logic: serde_json::Value =
        serde_json::from_slice(&linchpin(&["schedule", &plan, "--no-capacity", "--format", "json"]).stdout)
            .expect("json");
    assert!(logic.get("lower_bound").is_none(), "the critical path method has no search to bound");
}
