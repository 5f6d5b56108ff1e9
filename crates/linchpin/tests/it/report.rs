use crate::{Scratch, json, linchpin, stderr, stdout};

const EXAMPLE: &str = "examples/platform-migration";

fn report(args: &[&str]) -> String {
    let mut all = vec!["report"];
    all.extend_from_slice(args);
    let output = linchpin(&all);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    stdout(&output)
}

#[test]
fn the_example_reports_are_pinned_in_all_three_registers() {
    insta::assert_snapshot!("report_executive", report(&[EXAMPLE]));
    insta::assert_snapshot!("report_engineering", report(&[EXAMPLE, "--audience", "engineering"]));
    insta::assert_snapshot!("report_team", report(&[EXAMPLE, "--audience", "team", "--team", "payments-core"]));
}

#[test]
fn a_small_plan_reports_in_all_three_registers() {
    let scratch = Scratch::new("report-small");
    let plan = scratch.path("plan.yaml").display().to_string();
    linchpin(&["init", &plan]);
    insta::assert_snapshot!("report_small_executive", report(&[&plan]));
    insta::assert_snapshot!("report_small_engineering", report(&[&plan, "--audience", "engineering"]));
    insta::assert_snapshot!("report_small_team", report(&[&plan, "--audience", "team", "--team", "payments"]));
}

#[test]
fn the_report_and_the_forecast_agree_on_every_milestone() {
    // The same seed and settings: the executive and engineering registers
    // print exactly what `linchpin forecast` does.
    let forecast = json(&["forecast", EXAMPLE, "--iterations", "3000", "--seed", "5", "--format", "json"]);
    for audience in ["executive", "engineering"] {
        let text = report(&[EXAMPLE, "--audience", audience, "--iterations", "3000", "--seed", "5"]);
        for m in forecast["milestones"].as_array().expect("milestones") {
            let id = m["id"].as_str().expect("id");
            let row = text
                .lines()
                .find(|l| l.starts_with(&format!("| {id} (")))
                .unwrap_or_else(|| panic!("no row for {id} in\n{text}"));
            let cells: Vec<&str> = row.split(" | ").collect();
            assert_eq!(cells[2], m["p50"].as_str().expect("p50"), "{audience} P50 of {id}: {row}");
            assert_eq!(cells[3], m["p80"].as_str().expect("p80"), "{audience} P80 of {id}: {row}");
            let chance = m["probability_on_target"].as_f64().map(|p| format!("{:.0} %", 100.0 * p));
            assert_eq!(Some(cells[4].to_owned()), chance, "{audience} chance of {id}: {row}");
        }
    }
}

#[test]
fn a_team_report_names_a_team_and_suggests_one_when_misspelt() {
    let missing = linchpin(&["report", EXAMPLE, "--audience", "team"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(stderr(&missing).contains("`--audience team` needs `--team ID`"), "{}", stderr(&missing));
    let misspelt = linchpin(&["report", EXAMPLE, "--audience", "team", "--team", "paymnets-core"]);
    assert_eq!(misspelt.status.code(), Some(2));
    assert!(
        stderr(&misspelt).contains("unknown team `paymnets-core`, did you mean `payments-core`?"),
        "{}",
        stderr(&misspelt)
    );
}

#[test]
fn derived_health_says_where_the_status_update_disagrees() {
    let text = report(&[EXAMPLE]);
    assert!(text.contains("**Health: red.**"), "{text}");
    assert!(text.contains("says amber"), "the plan's own update says amber: {text}");
    let scratch = Scratch::new("report-output");
    let out = scratch.path("status.md").display().to_string();
    let written = linchpin(&["report", EXAMPLE, "-o", &out]);
    assert_eq!(written.status.code(), Some(0), "{}", stderr(&written));
    assert!(stdout(&written).is_empty());
    assert_eq!(std::fs::read_to_string(&out).expect("written"), text);
}
