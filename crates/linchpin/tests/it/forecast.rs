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

#[test]
fn iterations_and_threads_are_held_to_their_bounds() {
    for (option, value, message) in [
        ("--iterations", "0", "`iterations` must be from 1 to 1,000,000, not 0"),
        ("--iterations", "10000000000", "`iterations` must be from 1 to 1,000,000, not 10,000,000,000"),
        ("--threads", "10000", "`threads` must be from 1 to 256, not 10,000"),
    ] {
        let output = linchpin(&["forecast", "examples/platform-migration", option, value]);
        assert_eq!(output.status.code(), Some(2), "{option} {value}");
        assert_eq!(stderr(&output).trim_end(), format!("error: {message}"));
    }
}

#[test]
fn the_environment_sets_what_the_command_line_does_not() {
    let args = ["forecast", "examples/platform-migration", "--iterations", "500", "--format", "json"];
    let flagged = crate::json(&[&args[..], &["--seed", "7"]].concat());
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_linchpin"))
        .args(args)
        .current_dir(crate::repo_root())
        .env("LINCHPIN_SEED", "7")
        .output()
        .expect("runs");
    let from_environment: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    assert_eq!(from_environment, flagged);
    assert_eq!(from_environment["seed"], 7);
    let overridden = std::process::Command::new(env!("CARGO_BIN_EXE_linchpin"))
        .args([&args[..], &["--seed", "3"]].concat())
        .current_dir(crate::repo_root())
        .env("LINCHPIN_SEED", "7")
        .output()
        .expect("runs");
    let overridden: serde_json::Value = serde_json::from_slice(&overridden.stdout).expect("json");
    assert_eq!(overridden["seed"], 3, "the command line wins over the environment");
}

#[test]
fn the_forecast_respects_capacity_unless_told_not_to() {
    let run = |extra: &[&str]| {
        let mut args = vec!["forecast", "examples/platform-migration", "--iterations", "2000", "--format", "json"];
        args.extend_from_slice(extra);
        json(&args)
    };
    let (default, old_flag, logic) = (run(&[]), run(&["--capacity"]), run(&["--no-capacity"]));
    assert_eq!(default, old_flag, "--capacity is the default now and changes nothing");
    // Busy teams cannot start all their work at once: every milestone is
    // at least as late with capacity, and the end is later.
    let p80 = |report: &serde_json::Value, i: usize| report["milestones"][i]["p80_days"].as_f64().expect("p80");
    for i in 0..default["milestones"].as_array().expect("milestones").len() {
        assert!(p80(&default, i) >= p80(&logic, i) - 1e-9, "milestone {i}: {} < {}", p80(&default, i), p80(&logic, i));
    }
    assert!(default["end"]["p50_days"].as_f64() > logic["end"]["p50_days"].as_f64());
    let text = stdout(&linchpin(&["forecast", "examples/platform-migration", "--iterations", "500"]));
    assert!(text.lines().next().is_some_and(|l| l.contains("500 iterations, capacity-aware")), "{text}");
}
