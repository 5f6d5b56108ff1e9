//! The forecast against closed forms.

use linchpin_engine::forecast::{Distribution, ForecastOptions, forecast};
use linchpin_model::Program;

fn plan(items: &str, extra: &str) -> Program {
    let text =
        format!("program:\n  name: T\n  start: 2027-01-04\nteams: [{{ id: t, capacity: 5 }}]\nitems:\n{items}{extra}");
    let plan = linchpin_plan::load_yaml_str("t.yaml", &text);
    assert!(!plan.has_errors(), "{:#?}", plan.diagnostics);
    plan.into_program().expect("valid")
}

fn run(program: &Program, iterations: usize, distribution: Distribution) -> linchpin_engine::forecast::Forecast {
    forecast(
        program,
        ForecastOptions { iterations, seed: 7, distribution, capacity: false },
        &linchpin_engine::progress::Quiet,
    )
    .expect("forecast")
}

fn close(actual: f64, expected: f64, tolerance: f64) {
    assert!((actual - expected).abs() <= tolerance * expected.abs().max(1e-9), "{actual} vs {expected}");
}

/// The triangular inverse CDF.
fn triangular_quantile(a: f64, m: f64, b: f64, p: f64) -> f64 {
    let c = (m - a) / (b - a);
    if p < c { a + (p * (b - a) * (m - a)).sqrt() } else { b - ((1.0 - p) * (b - a) * (b - m)).sqrt() }
}

/// Beta(2, 4) CDF: Σ_{j=2}^{5} C(5, j) x^j (1 − x)^(5 − j).
fn beta_2_4_cdf(x: f64) -> f64 {
    let binomial = [1.0, 5.0, 10.0, 10.0, 5.0, 1.0];
    (2..=5).map(|j| binomial[j] * x.powi(j as i32) * (1.0 - x).powi(5 - j as i32)).sum()
}

fn beta_2_4_quantile(p: f64) -> f64 {
    let (mut low, mut high) = (0.0, 1.0);
    for _ in 0..60 {
        let mid = (low + high) / 2.0;
        if beta_2_4_cdf(mid) < p { low = mid } else { high = mid }
    }
    low
}

const ONE: &str = "  - { id: A, title: A, team: t, estimate: [2, 5, 14] }\n";

#[test]
fn one_triangular_item_matches_its_distribution() {
    let f = run(&plan(ONE, ""), 200_000, Distribution::Triangular);
    let end = f.end();
    close(end.mean, 7.0, 0.01);
    close(end.p50, triangular_quantile(2.0, 5.0, 14.0, 0.5), 0.01);
    close(end.p80, triangular_quantile(2.0, 5.0, 14.0, 0.8), 0.01);
    close(end.p95, triangular_quantile(2.0, 5.0, 14.0, 0.95), 0.01);
    close(end.p10, triangular_quantile(2.0, 5.0, 14.0, 0.1), 0.01);
}

#[test]
fn one_pert_item_matches_its_beta() {
    // (2, 5, 14): alpha = 1 + 4·3/12 = 2, beta = 1 + 4·9/12 = 4, mean 6.
    let f = run(&plan(ONE, ""), 200_000, Distribution::Pert);
    let end = f.end();
    close(end.mean, 6.0, 0.01);
    for (p, value) in [(0.5, end.p50), (0.8, end.p80), (0.95, end.p95)] {
        close(value, 2.0 + 12.0 * beta_2_4_quantile(p), 0.01);
    }
}

#[test]
fn two_items_in_series_add_up() {
    let items = "  - { id: A, title: A, team: t, estimate: [2, 5, 14] }\n  - { id: B, title: B, team: t, estimate: [1, 2, 6], depends: [A] }\n";
    let f = run(&plan(items, ""), 100_000, Distribution::Triangular);
    close(f.end().mean, 7.0 + 3.0, 0.01);
}

#[test]
fn two_items_in_parallel_take_the_max() {
    let items = "  - { id: A, title: A, team: t, estimate: [2, 5, 14] }\n  - { id: B, title: B, team: t, estimate: [2, 5, 14] }\n";
    let f = run(&plan(items, ""), 100_000, Distribution::Triangular);
    // P(max ≤ t) = F(t)²: the median of the max is F⁻¹(√0.5).
    close(f.end().p50, triangular_quantile(2.0, 5.0, 14.0, 0.5f64.sqrt()), 0.01);
    close(f.end().p80, triangular_quantile(2.0, 5.0, 14.0, 0.8f64.sqrt()), 0.01);
}

#[test]
fn a_risk_moves_the_mean_by_its_probability_times_its_delay() {
    let risk = "risks:\n  - { id: R, title: R, likelihood: 2, impact: 3, affects: [A], schedule_impact: { probability: 0.3, delay: 10 } }\n";
    let without = run(&plan(ONE, ""), 100_000, Distribution::Triangular).end().mean;
    let with = run(&plan(ONE, risk), 100_000, Distribution::Triangular).end().mean;
    close(with - without, 3.0, 0.03);
}

#[test]
fn identical_whatever_the_thread_count() {
    let program = plan(
        "  - { id: A, title: A, team: t, estimate: [2, 5, 14], people: 3 }\n  - { id: B, title: B, team: t, estimate: [1, 3, 9], depends: [A] }\n  - { id: C, title: C, team: t, estimate: [2, 4, 8], people: 3 }\n",
        "risks:\n  - { id: R, title: R, likelihood: 2, impact: 3, affects: [B], schedule_impact: { probability: 0.3, delay: [1, 2, 5] } }\n",
    );
    // With capacity too: blocks reuse working memory, whichever thread ran it last.
    for capacity in [false, true] {
        let options = ForecastOptions { iterations: 5_000, seed: 3, distribution: Distribution::Pert, capacity };
        let run_on = |threads| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .expect("pool")
                .install(|| forecast(&program, options, &linchpin_engine::progress::Quiet))
                .expect("ok")
        };
        let (one, three) = (run_on(1), run_on(3));
        assert_eq!(
            (one.end().p50, one.end().p80, one.end().mean),
            (three.end().p50, three.end().p80, three.end().mean)
        );
        assert_eq!(one.end().criticality, three.end().criticality);
        assert_eq!(one.end().histogram, three.end().histogram);
        assert_eq!(one.end().drivers, three.end().drivers);
    }
}

#[test]
fn far_targets_are_near_certain_and_past_ones_impossible() {
    let milestones = "milestones:\n  - { id: far, title: F, requires: [A], target: 2030-01-01 }\n  - { id: past, title: P, requires: [A], target: 2027-01-04 }\n";
    let f = run(&plan(ONE, milestones), 5_000, Distribution::Pert);
    assert_eq!(f.milestones()[0].probability_on_target, Some(1.0));
    assert_eq!(f.milestones()[1].probability_on_target, Some(0.0));
}

#[test]
fn criticality_follows_the_longer_branch() {
    let items = "  - { id: LONG, title: L, team: t, estimate: [10, 12, 14] }\n  - { id: SHORT, title: S, team: t, estimate: [1, 2, 3] }\n";
    let program = plan(items, "");
    let f = run(&program, 2_000, Distribution::Pert);
    let keys = program.keys();
    assert_eq!(f.end().criticality[keys.items["LONG"].index()], 1.0);
    assert_eq!(f.end().criticality[keys.items["SHORT"].index()], 0.0);
}

#[test]
fn capacity_makes_the_forecast_later() {
    let items = "  - { id: A, title: A, team: t, estimate: [4, 5, 6], people: 3 }\n  - { id: B, title: B, team: t, estimate: [4, 5, 6], people: 3 }\n";
    let program = plan(items, "");
    let free = forecast(
        &program,
        ForecastOptions { iterations: 2_000, ..Default::default() },
        &linchpin_engine::progress::Quiet,
    )
    .expect("ok");
    let bound = forecast(
        &program,
        ForecastOptions { iterations: 2_000, capacity: true, ..Default::default() },
        &linchpin_engine::progress::Quiet,
    )
    .expect("ok");
    assert!(bound.end().p50 > free.end().p50 + 3.0, "six people needed, five available: one waits");
}

/// The Beta(α, β) quantile by Simpson's rule on the density and bisection.
fn beta_quantile(alpha: f64, beta: f64, p: f64) -> f64 {
    let density = |x: f64| x.powf(alpha - 1.0) * (1.0 - x).powf(beta - 1.0);
    let integral = |to: f64| {
        let steps = 2000;
        let h = to / steps as f64;
        let inner: f64 = (1..steps).map(|i| density(i as f64 * h) * if i % 2 == 1 { 4.0 } else { 2.0 }).sum();
        (density(0.0) + inner + density(to)) * h / 3.0
    };
    let total = integral(1.0);
    let (mut low, mut high) = (0.0, 1.0);
    for _ in 0..50 {
        let mid = (low + high) / 2.0;
        if integral(mid) / total < p { low = mid } else { high = mid }
    }
    low
}

#[test]
fn pert_items_of_every_shape_match_their_beta() {
    // Mode shares 0.3 (between the sampler's table rows), 0 and 1 (its edges).
    for (a, m, b) in [(0.0, 3.0, 10.0), (1.0, 1.0, 11.0), (2.0, 12.0, 12.0)] {
        let item = format!("  - {{ id: A, title: A, team: t, estimate: [{a}, {m}, {b}] }}\n");
        let f = run(&plan(&item, ""), 200_000, Distribution::Pert);
        let s = (m - a) / (b - a);
        let (alpha, beta) = (1.0 + 4.0 * s, 1.0 + 4.0 * (1.0 - s));
        close(f.end().mean, (a + 4.0 * m + b) / 6.0, 0.01);
        for (p, value) in [(0.1, f.end().p10), (0.5, f.end().p50), (0.8, f.end().p80), (0.95, f.end().p95)] {
            close(value, a + (b - a) * beta_quantile(alpha, beta, p), 0.01);
        }
    }
}

#[test]
fn drivers_rank_by_their_share_of_the_spread() {
    // In series after long fixed work: the end is y = 1000 + A + B, so
    // corr(A, y) = σA / √(σA² + σB²). Triangular variance: (a² + b² + m² − ab − am − bm) / 18.
    let items = "  - { id: BEFORE, title: F, team: t, estimate: 1000 }\n  - { id: A, title: A, team: t, estimate: [0, 5, 10], depends: [BEFORE] }\n  - { id: B, title: B, team: t, estimate: [4, 5, 6], depends: [A] }\n";
    let program = plan(items, "");
    let f = run(&program, 50_000, Distribution::Triangular);
    let (va, vb): (f64, f64) = (75.0 / 18.0, 3.0 / 18.0);
    let keys = program.keys();
    let correlation = |id: &str| {
        let item = keys.items[id];
        let found = f.end().drivers.iter().find(|d| d.kind == linchpin_engine::forecast::DriverKind::Item(item));
        found.map_or(0.0, |d| d.correlation)
    };
    assert_eq!(f.end().drivers[0].kind, linchpin_engine::forecast::DriverKind::Item(keys.items["A"]));
    assert!((correlation("A") - (va / (va + vb)).sqrt()).abs() < 0.01, "{}", correlation("A"));
    assert!((correlation("B") - (vb / (va + vb)).sqrt()).abs() < 0.02, "{}", correlation("B"));
    assert_eq!(correlation("BEFORE"), 0.0, "fixed work does not vary, so it drives nothing");
}

#[test]
fn the_end_waits_for_work_only_started_alongside() {
    // B starts with A but is short: A, which B waits on, still ends the program.
    let items = "  - { id: A, title: A, team: t, estimate: [9, 10, 11] }\n  - { id: B, title: B, team: t, estimate: [1, 2, 3], depends: [{ item: A, type: start_to_start }] }\n";
    let f = run(&plan(items, ""), 2_000, Distribution::Triangular);
    close(f.end().mean, 10.0, 0.01);
    assert!(f.end().p10 >= 9.0);
}

#[test]
fn calendar_lags_pinned_starts_and_deadlines_forecast_as_they_schedule() {
    // Fixed estimates: every iteration is the schedule itself.
    let program = plan(
        "  - { id: A, title: A, team: t, estimate: 2 }\n  - { id: B, title: B, team: t, estimate: 2, deadline: 2027-01-14, depends: [{ item: A, lag: 7, lag_unit: calendar_days }] }\n  - { id: C, title: C, team: t, estimate: 3, start_on: 2027-01-18, deadline: 2027-01-19 }\n",
        "",
    );
    for capacity in [false, true] {
        let options = ForecastOptions { iterations: 300, seed: 1, distribution: Distribution::Pert, capacity };
        let f = forecast(&program, options, &linchpin_engine::progress::Quiet).expect("forecast");
        let scheduled = linchpin_engine::schedule::schedule(
            &program,
            linchpin_engine::schedule::ScheduleOptions { capacity, effort: 50, seed: 1, ..Default::default() },
        )
        .expect("schedule");
        // C starts on Monday 01-18 (day 10) and runs three days: the end is 13.
        assert_eq!((f.end().p10, f.end().p95), (13.0, 13.0), "capacity: {capacity}");
        assert_eq!(scheduled.end, 13.0);
        let deadlines = f.deadlines();
        assert_eq!(deadlines.len(), 2);
        // B finishes Thursday 01-14, on its deadline; C on Wednesday 01-20,
        // a day after its deadline.
        assert_eq!(deadlines[0].p50_date, date("2027-01-14"));
        assert_eq!(deadlines[0].probability_on_target, Some(1.0));
        assert_eq!(deadlines[1].p50_date, date("2027-01-20"));
        assert_eq!(deadlines[1].probability_on_target, Some(0.0));
        assert!(deadlines[0].drivers.is_empty() && deadlines[0].criticality.is_empty(), "no per-item data");
    }
}

#[test]
fn a_calendar_lag_spreads_its_successor_as_its_predecessor_varies() {
    // A takes 1 to 3 days; B waits 7 calendar days after it. Finishing A on
    // Monday, Tuesday or Wednesday starts B a week later on the same weekday
    // after it: B's finish follows A's one for one, as no weekend is skipped
    // in working time. Over 4,000 runs B's P50 matches A's P50 plus the
    // five working days a week holds plus B's own day.
    let program = plan(
        "  - { id: A, title: A, team: t, estimate: [1, 2, 3] }\n  - { id: B, title: B, team: t, estimate: 1, depends: [{ item: A, lag: 7, lag_unit: calendar_days }] }\n",
        "",
    );
    let f = run(&program, 4000, Distribution::Triangular);
    let median_a = 2.0;
    close(f.end().p50, median_a + 5.0 + 1.0, 0.02);
}

fn date(text: &str) -> linchpin_model::NaiveDate {
    linchpin_model::NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("date")
}

#[test]
fn a_group_is_forecast_from_its_work() {
    let program = plan(
        "  - { id: L1, title: L1, team: t, estimate: [2, 3, 4], group: G }\n  - { id: L2, title: L2, team: t, estimate: 5, group: G }\n  - { id: X, title: X, team: t, estimate: 1, depends: [G] }\n",
        "groups: [{ id: G, title: Ledger, deadline: 2027-01-08 }, { id: EMPTY, title: Nothing yet }]\n",
    );
    let f = run(&program, 2000, Distribution::Triangular);
    let groups = f.groups();
    assert_eq!(groups.len(), 1, "a group with no work has no forecast");
    // L2's fixed five days outlast L1's two to four: G ends with L2, on day 5
    // (Friday 01-08, its deadline), and X a day later.
    assert_eq!((groups[0].p10, groups[0].p95), (5.0, 5.0));
    assert_eq!(groups[0].probability_on_target, Some(1.0));
    assert_eq!(f.end().p50, 6.0);
}
