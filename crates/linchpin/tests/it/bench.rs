use crate::{linchpin, stderr};

#[test]
fn psplib_bench_reports_the_literature_figures() {
    let output = linchpin(&[
        "bench",
        "psplib",
        "crates/linchpin/tests/fixtures/psplib",
        "--solutions",
        "crates/linchpin/tests/fixtures/psplib/optimum.csv",
        "--effort",
        "1000",
        "--format",
        "json",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    assert_eq!(report["instances"], 2);
    for key in [
        "avg_deviation_from_best_pct",
        "max_deviation_from_best_pct",
        "avg_deviation_from_cp_lb_pct",
        "optimal_share",
        "seconds_total",
    ] {
        assert!(report[key].as_f64().is_some(), "{key} missing");
    }
    // Both small instances are solved to their proven optimum.
    assert_eq!(report["optimal_share"], 1.0);
    assert_eq!(report["avg_deviation_from_best_pct"], 0.0);
    assert!(report["avg_deviation_from_cp_lb_pct"].as_f64().is_some_and(|d| d > 0.0), "j301_1 is above its CP bound");
}

#[test]
fn a_missing_solution_is_an_error_not_a_guess() {
    let output = linchpin(&[
        "bench",
        "psplib",
        "crates/linchpin/tests/fixtures/psplib",
        "--solutions",
        "crates/linchpin/tests/fixtures/broken.csv",
    ]);
    assert_eq!(output.status.code(), Some(2));
}
