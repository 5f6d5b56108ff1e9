//! The critical path method on a large network, without capacity.
//!
//! `cargo bench -p linchpin-engine --bench cpm -- NETWORK.csv [runs]`, with a
//! network from `shared/baselines/gen_network.py`. Loading the CSV is timed
//! apart from scheduling (building the graph and both passes).

use std::time::Instant;

use linchpin_engine::schedule::{ScheduleOptions, schedule};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
    let Some(path) = args.first() else {
        eprintln!("usage: cargo bench -p linchpin-engine --bench cpm -- NETWORK.csv [runs]");
        return;
    };
    let runs: usize = args.get(1).and_then(|r| r.parse().ok()).unwrap_or(5);
    let started = Instant::now();
    let options = linchpin_plan::LoadOptions { csv_start: chrono::NaiveDate::from_ymd_opt(2027, 1, 4) };
    let plan = linchpin_plan::load_path(path.as_ref(), &options).expect("readable network");
    let program = plan.into_program().expect("valid network");
    let load = started.elapsed().as_secs_f64();
    let links: usize = program.items().iter().map(|i| i.depends.len()).sum();
    let mut times = Vec::new();
    let mut end = 0.0;
    for _ in 0..runs {
        let started = Instant::now();
        let s = schedule(&program, ScheduleOptions { capacity: false, ..Default::default() }).expect("acyclic");
        times.push(started.elapsed().as_secs_f64());
        end = s.end;
    }
    times.sort_by(f64::total_cmp);
    println!(
        "items={} dependencies={links} critical_path_length={end:.1} load={load:.3}s schedule_min={:.3}s schedule_median={:.3}s",
        program.items().len(),
        times[0],
        times[times.len() / 2]
    );
}
