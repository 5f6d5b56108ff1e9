//! `linchpin forecast PLAN`: when each milestone will really land, how sure
//! we can be, and what moves it.

use std::fmt::Write as _;
use std::io::IsTerminal;
use std::time::Instant;

use linchpin_engine::forecast::{Distribution, DriverKind, Forecast, ForecastOptions, TargetForecast, forecast};
use linchpin_model::Program;
use serde::Serialize;

use crate::commands::check::Format;
use crate::input::PlanArgs;
use crate::{Fatal, Outcome};

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub plan: PlanArgs,
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    /// Monte Carlo iterations.
    #[arg(long, default_value_t = 10_000)]
    pub iterations: usize,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long)]
    pub threads: Option<usize>,
    /// How durations are drawn from three-point estimates.
    #[arg(long, value_enum, default_value = "pert")]
    pub distribution: DistributionArg,
    /// Respect team capacity in every iteration (slower).
    #[arg(long)]
    pub capacity: bool,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
pub enum DistributionArg {
    Pert,
    Triangular,
}

pub fn run(args: Args) -> Result<Outcome, Fatal> {
    let Some(program) = args.plan.program()? else { return Ok(Outcome::ProblemsFound) };
    let options = ForecastOptions {
        iterations: args.iterations.max(1),
        seed: args.seed,
        distribution: match args.distribution {
            DistributionArg::Pert => Distribution::Pert,
            DistributionArg::Triangular => Distribution::Triangular,
        },
        capacity: args.capacity,
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.threads.unwrap_or(0))
        .build()
        .map_err(|e| Fatal(format!("cannot start worker threads: {e}")))?;
    let started = Instant::now();
    let show_progress = std::io::stderr().is_terminal();
    let progress = |done: usize, total: usize| {
        if show_progress && started.elapsed().as_secs_f64() > 1.0 {
            eprint!("\rforecast: {:>3} % ({done} of {total} iterations)", 100 * done / total.max(1));
        }
    };
    let result = pool.install(|| forecast(&program, options, &progress)).map_err(|e| Fatal(e.to_string()))?;
    if show_progress && started.elapsed().as_secs_f64() > 1.0 {
        eprintln!();
    }
    match args.format {
        Format::Json => crate::emit_json(&json_report(&program, &result, &options)),
        Format::Text => say!("{}", text_report(&program, &result, &options)),
    }
    Ok(Outcome::Success)
}

#[derive(Serialize)]
struct JsonDriver {
    kind: &'static str,
    id: String,
    correlation: f64,
}

#[derive(Serialize)]
struct JsonTarget {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<String>,
    target: Option<String>,
    probability_on_target: Option<f64>,
    p10: String,
    p50: String,
    p80: String,
    p95: String,
    p10_days: f64,
    p50_days: f64,
    p80_days: f64,
    p95_days: f64,
    mean_days: f64,
    drivers: Vec<JsonDriver>,
    /// `[date, share finished by then]`.
    s_curve: Vec<(String, f64)>,
    /// `[first working day of the bin, iterations]`.
    histogram: Vec<(f64, usize)>,
}

#[derive(Serialize)]
struct JsonItem {
    id: String,
    criticality: f64,
}

#[derive(Serialize)]
struct JsonReport {
    program: String,
    iterations: usize,
    seed: u64,
    distribution: &'static str,
    capacity_aware: bool,
    end: JsonTarget,
    milestones: Vec<JsonTarget>,
    /// Criticality against the program's end, per item.
    items: Vec<JsonItem>,
}

fn round(x: f64, places: i32) -> f64 {
    let scale = 10f64.powi(places);
    (x * scale).round() / scale
}

fn json_target(program: &Program, t: &TargetForecast) -> JsonTarget {
    let milestone = t.milestone.map(|m| program.milestone(m));
    JsonTarget {
        id: milestone.map(|m| m.key.clone()),
        title: milestone.map(|m| m.title.clone()),
        target: t.target.map(|d| d.to_string()),
        probability_on_target: t.probability_on_target.map(|p| round(p, 4)),
        p10: t.p10_date.to_string(),
        p50: t.p50_date.to_string(),
        p80: t.p80_date.to_string(),
        p95: t.p95_date.to_string(),
        p10_days: round(t.p10, 2),
        p50_days: round(t.p50, 2),
        p80_days: round(t.p80, 2),
        p95_days: round(t.p95, 2),
        mean_days: round(t.mean, 2),
        drivers: t
            .drivers
            .iter()
            .map(|d| match d.kind {
                DriverKind::Item(i) => {
                    JsonDriver { kind: "item", id: program.item(i).key.clone(), correlation: round(d.correlation, 3) }
                }
                DriverKind::Risk(r) => {
                    JsonDriver { kind: "risk", id: program.risk(r).key.clone(), correlation: round(d.correlation, 3) }
                }
            })
            .collect(),
        s_curve: t.s_curve.iter().map(|(d, p)| (d.to_string(), round(*p, 4))).collect(),
        histogram: t.histogram.iter().map(|(x, c)| (round(*x, 2), *c)).collect(),
    }
}

fn json_report(program: &Program, result: &Forecast, options: &ForecastOptions) -> JsonReport {
    JsonReport {
        program: program.name().to_owned(),
        iterations: result.iterations,
        seed: options.seed,
        distribution: match options.distribution {
            Distribution::Pert => "pert",
            Distribution::Triangular => "triangular",
        },
        capacity_aware: options.capacity,
        end: json_target(program, result.end()),
        milestones: result.milestones().iter().map(|t| json_target(program, t)).collect(),
        items: program
            .items()
            .iter()
            .enumerate()
            .map(|(i, item)| JsonItem { id: item.key.clone(), criticality: round(result.end().criticality[i], 4) })
            .collect(),
    }
}

fn driver_names(program: &Program, t: &TargetForecast, count: usize) -> String {
    t.drivers
        .iter()
        .take(count)
        .map(|d| match d.kind {
            DriverKind::Item(i) => format!("{} ({:.2})", program.item(i).key, d.correlation),
            DriverKind::Risk(r) => format!("risk {} ({:.2})", program.risk(r).key, d.correlation),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn text_report(program: &Program, result: &Forecast, options: &ForecastOptions) -> String {
    let mut out = String::new();
    let as_of = program.status_date().map_or(String::new(), |d| format!(", as of {d}"));
    let mode = if options.capacity { ", capacity-aware" } else { "" };
    let _ = writeln!(out, "{}: {} iterations{mode}{as_of}\n", program.name(), result.iterations);
    let _ = writeln!(out, "MILESTONE  TARGET      CHANCE  P50         P80         P95");
    let row = |out: &mut String, key: &str, t: &TargetForecast| {
        let target = t.target.map_or("-".to_owned(), |d| d.to_string());
        let chance = t.probability_on_target.map_or("-".to_owned(), |p| format!("{:.0} %", 100.0 * p));
        let _ = writeln!(out, "{key:9}  {target:10}  {chance:>6}  {}  {}  {}", t.p50_date, t.p80_date, t.p95_date);
    };
    for t in result.milestones() {
        let key = t.milestone.map_or("", |m| program.milestone(m).key.as_str());
        row(&mut out, key, t);
    }
    row(&mut out, "end", result.end());
    let _ = writeln!(out, "\nwhat moves the P80 most (correlation with the finish):");
    for t in result.milestones().iter().chain([result.end()]) {
        if t.drivers.is_empty() {
            continue;
        }
        let key = t.milestone.map_or("end", |m| program.milestone(m).key.as_str());
        let _ = writeln!(out, "  {key:9} {}", driver_names(program, t, 3));
    }
    let mut critical: Vec<(usize, f64)> =
        result.end().criticality.iter().copied().enumerate().filter(|(_, c)| *c > 0.0).collect();
    critical.sort_by(|a, b| b.1.total_cmp(&a.1));
    if !critical.is_empty() {
        let list: Vec<String> =
            critical.iter().take(8).map(|(i, c)| format!("{} {:.0} %", program.items()[*i].key, 100.0 * c)).collect();
        let _ = writeln!(out, "\nmost often on the critical path to the end: {}", list.join(", "));
    }
    out
}
