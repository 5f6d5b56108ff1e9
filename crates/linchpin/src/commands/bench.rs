//! `linchpin bench psplib DIR --solutions FILE`: the scheduler against the
//! PSPLIB benchmark sets, reported the way the literature reports it.

use std::path::PathBuf;
use std::time::Instant;

use linchpin_engine::progress::Quiet;
use linchpin_engine::rcpsp::psplib::{self, Solutions};
use linchpin_engine::rcpsp::search::{SearchOptions, solve};
use linchpin_engine::schedule::ScheduleError;
use rayon::prelude::*;
use serde::Serialize;

use crate::{Error, Outcome};

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(subcommand)]
    pub suite: Suite,
}

#[derive(clap::Subcommand, Debug)]
pub enum Suite {
    /// Schedule every `.sm` instance of a PSPLIB set and compare with the best known makespans.
    Psplib(PsplibArgs),
}

#[derive(clap::Args, Debug)]
pub struct PsplibArgs {
    /// A folder of PSPLIB single-mode instances (`.sm`).
    pub dir: PathBuf,
    /// Optimal or best-known makespans: PSPLIB's table (`j30opt.sm`, `j60hrs.sm`) or a CSV of `problem,optimum`.
    #[arg(long)]
    pub solutions: PathBuf,
    /// Schedules generated per instance, justification passes included.
    #[arg(long, default_value_t = 5000)]
    pub effort: usize,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Only the first N instances (sorted by name).
    #[arg(long)]
    pub limit: Option<usize>,
    /// Worker threads (default: all cores).
    #[arg(long)]
    pub threads: Option<usize>,
    #[arg(long, value_enum, default_value = "text")]
    pub format: crate::commands::check::Format,
}

impl Args {
    /// Whether the report is JSON.
    pub fn json(&self) -> bool {
        let Suite::Psplib(args) = &self.suite;
        args.format == crate::commands::check::Format::Json
    }
}

#[derive(Serialize)]
struct Report {
    instances: usize,
    avg_deviation_from_best_pct: f64,
    max_deviation_from_best_pct: f64,
    avg_deviation_from_cp_lb_pct: f64,
    optimal_share: f64,
    seconds_total: f64,
    seconds_per_instance: f64,
    effort: usize,
}

struct Outcome1 {
    makespan: u32,
    best: u32,
    lower_bound: u32,
}

pub fn run(args: Args) -> Result<Outcome, Error> {
    let Suite::Psplib(args) = args.suite;
    let solutions_text = std::fs::read(&args.solutions)
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .map_err(|source| Error::Read { path: args.solutions.clone(), source })?;
    let solutions = Solutions::parse(&solutions_text)
        .map_err(|source| Error::Solutions { path: args.solutions.clone(), source })?;
    let mut files: Vec<PathBuf> = std::fs::read_dir(&args.dir)
        .map_err(|source| Error::Read { path: args.dir.clone(), source })?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "sm"))
        .collect();
    files.sort();
    if let Some(limit) = args.limit {
        files.truncate(limit);
    }
    if files.is_empty() {
        return Err(Error::NoInstances { path: args.dir.clone() });
    }
    let pool =
        rayon::ThreadPoolBuilder::new().num_threads(args.threads.unwrap_or(0)).build().map_err(Error::Threads)?;
    let started = Instant::now();
    let results: Vec<Result<Outcome1, Error>> = pool.install(|| {
        files
            .par_iter()
            .map(|path| {
                let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                let text =
                    std::fs::read_to_string(path).map_err(|source| Error::Read { path: path.clone(), source })?;
                let problem = psplib::parse(&text).map_err(|source| Error::Instance { name: name.clone(), source })?;
                let best = solutions.get(&name).ok_or_else(|| Error::NoBest { name: name.clone() })?;
                let options = SearchOptions { schedules: args.effort, seed: args.seed };
                let solution = solve(&problem, options, &Quiet)
                    .map_err(|stopped| linchpin_analysis::AnalysisError::from(ScheduleError::from(stopped)))?;
                Ok(Outcome1 { makespan: solution.makespan, best, lower_bound: solution.critical_path_bound })
            })
            .collect()
    });
    let seconds = started.elapsed().as_secs_f64();
    let outcomes: Vec<Outcome1> = results.into_iter().collect::<Result<_, _>>()?;
    let count = outcomes.len() as f64;
    let deviation = |o: &Outcome1, base: u32| 100.0 * (o.makespan as f64 - base as f64) / base.max(1) as f64;
    let report = Report {
        instances: outcomes.len(),
        avg_deviation_from_best_pct: outcomes.iter().map(|o| deviation(o, o.best)).sum::<f64>() / count,
        max_deviation_from_best_pct: outcomes.iter().map(|o| deviation(o, o.best)).fold(0.0, f64::max),
        avg_deviation_from_cp_lb_pct: outcomes.iter().map(|o| deviation(o, o.lower_bound)).sum::<f64>() / count,
        optimal_share: outcomes.iter().filter(|o| o.makespan <= o.best).count() as f64 / count,
        seconds_total: seconds,
        seconds_per_instance: seconds / count,
        effort: args.effort,
    };
    match args.format {
        crate::commands::check::Format::Json => crate::emit_json(&report),
        crate::commands::check::Format::Text => {
            sayln!("instances                        {}", report.instances);
            sayln!("schedules per instance           {}", report.effort);
            sayln!("avg deviation from best known    {:.3} %", report.avg_deviation_from_best_pct);
            sayln!("max deviation from best known    {:.3} %", report.max_deviation_from_best_pct);
            sayln!("avg deviation from CP bound      {:.3} %", report.avg_deviation_from_cp_lb_pct);
            sayln!("at the best known makespan       {:.1} %", 100.0 * report.optimal_share);
            sayln!(
                "time                             {:.2} s ({:.1} ms per instance)",
                seconds,
                1000.0 * report.seconds_per_instance
            );
        }
    }
    Ok(Outcome::Success)
}
