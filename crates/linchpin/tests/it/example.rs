//! The example program's whole output, pinned: a published date, slack or
//! chance must not move unless a change means it to (a new generator, a
//! dependency upgrade, a refactor). Review a changed snapshot like a
//! changed figure in a status report.

use crate::{linchpin, stderr, stdout};

const EXAMPLE: &str = "examples/platform-migration";

fn output(args: &[&str]) -> String {
    let output = linchpin(args);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    stdout(&output)
}

#[test]
fn the_example_forecast_is_pinned() {
    insta::assert_snapshot!("forecast_text", output(&["forecast", EXAMPLE]));
    insta::assert_snapshot!("forecast_json", output(&["forecast", EXAMPLE, "--format", "json"]));
}

#[test]
fn the_example_capacity_aware_schedule_is_pinned() {
    insta::assert_snapshot!("schedule_text", output(&["schedule", EXAMPLE]));
    insta::assert_snapshot!("schedule_json", output(&["schedule", EXAMPLE, "--format", "json"]));
    insta::assert_snapshot!("schedule_csv", output(&["schedule", EXAMPLE, "--format", "csv"]));
}

#[test]
fn the_example_critical_path_schedule_is_pinned() {
    insta::assert_snapshot!(
        "schedule_no_capacity_json",
        output(&["schedule", EXAMPLE, "--no-capacity", "--format", "json"])
    );
}

#[test]
fn the_example_findings_are_pinned() {
    insta::assert_snapshot!("findings_text", output(&["findings", EXAMPLE]));
    insta::assert_snapshot!("findings_json", output(&["findings", EXAMPLE, "--format", "json"]));
}

#[test]
fn the_example_check_is_pinned() {
    insta::assert_snapshot!("check_json", output(&["check", EXAMPLE, "--format", "json"]));
}
