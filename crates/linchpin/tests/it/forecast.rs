use crate::{json, linchpin, stderr, stdout};

#[test]
fn forecast_json_gives_dates_and_days_for_the_end_and_every_milestone() {
    let report = json(&["forecast", "examples/platform-migration", "--iterations", "2000", "--format", "json"]);
    let targets = std::iter::once(&report["end"]).chain(report["milestones"].as_array().expect("milestones"));
    for target in targets {
        for p in ["p10", "p50", "p80", "p95"] {
            assert!(target[p].as_str().is_some_and(|d| d.len() == 10), "{p} date in {target}");
            assert!(target[format!("{p}_days")].as_f64().is_some(), "{p}_days in {target}");
        }
        assert!(target["p10_days"].as_f64() <= target["p95_days"].as_f64());
        assert!(!target["s_curve"].as_array().expect("s-curve").is_empty());
        assert!(!target["histogram"].as_array().expect("histogram").is_empty());
    }
    let m1 = &report["milestones"][0];
    assert_eq!(m1["id"], "M1");
    let chance = m1["probability_on_target"].as_f64().expect("M1 has a target");
    assert!((0.0..1.0).contains(&chance), "a zero-slack milestone is not a sure thing: {chance}");
    assert!(report["items"].as_array().expect("items").iter().any(|i| i["criticality"].as_f64() > Some(0.5)));
}

#[test]
fn the_same_seed_gives_the_same_forecast_on_one_thread_or_two() {
    let one = json(&[
        "forecast",
        "examples/platform-migration",
        "--iterations",
        "3000",
        "--threads",
        "1",
        "--format",
        "json",
    ]);
    let two = json(&[
        "forecast",
        "examples/platform-migration",
        "--iterations",
        "3000",
        "--threads",
        "2",
        "--format",
        "json",
    ]);
    assert_eq!(one, two);
}

#[test]
fn the_text_report_names_chances_and_drivers() {
    let output = linchpin(&["forecast", "examples/platform-migration", "--iterations", "2000"]);
    let text = stdout(&output);
    assert!(text.contains("MILESTONE  TARGET      CHANCE  P50"), "{text}");
    assert!(text.contains("what moves the P80 most"), "{text}");
    assert!(stderr(&output).is_empty(), "no progress bar when not on a terminal");
}
