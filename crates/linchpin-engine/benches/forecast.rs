//! The Monte Carlo forecast on a large network, without capacity.
//!
//! `cargo bench -p linchpin-engine --bench forecast -- NETWORK.csv [iterations] [triangular|pert]`
//! with a network from `shared/baselines/gen_network.py`. Loading is timed
//! apart from the forecast itself.

use std::time::Instant;

use linchpin_engine::forecast::{Distribution, ForecastOptions, forecast};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
    let Some(path) = args.first() else {
        eprintln!(
            "usage: cargo bench -p linchpin-engine --bench forecast -- NETWORK.csv [iterations] [triangular|pert]"
        );
        return;
    };
    let iterations: usize = args.get(1).and_then(|r| r.parse().ok()).unwrap_or(10_000);
    let distribution = match args.get(2).map(String::as_str) {
        Some("pert") => Distribution::Pert,
        _ => Distribution::Triangular,
    };
    let options = linchpin_plan::LoadOptions { csv_start: chrono::NaiveDate::from_ymd_opt(2027, 1, 4) };
    let program = linchpin_plan::load_path(path.as_ref(), &options).expect("readable").into_program().expect("valid");
    let started = Instant::now();
    let result = forecast(
        &program,
        ForecastOptions { iterations, seed: 1, distribution, capacity: false },
        &linchpin_engine::progress::Quiet,
    )
    .expect("forecast");
    let seconds = started.elapsed().as_secs_f64();
    let items = program.items().len();
    let end = result.end();
    println!(
        "items={items} iterations={iterations} threads={} P50={:.2} P80={:.2} P95={:.2} forecast={seconds:.3}s per_item_iteration={:.2}ns (wall, all threads)",
        rayon::current_num_threads(),
        end.p50,
        end.p80,
        end.p95,
        seconds * 1e9 / (items * iterations) as f64
    );
}
