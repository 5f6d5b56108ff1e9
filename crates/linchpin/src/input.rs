//! Loading the plan a command names, and the settings every command shares:
//! from the command line first, then the environment (`LINCHPIN_SEED`,
//! `LINCHPIN_EFFORT`, `LINCHPIN_ITERATIONS`, `LINCHPIN_THREADS`), then the
//! library's defaults.

use std::path::PathBuf;

use chrono::NaiveDate;
use linchpin_analysis::RawSettings;
use linchpin_model::Program;
use linchpin_model::doc::PlanDoc;
use linchpin_plan::{LoadOptions, Plan};

use crate::Error;

/// The plan argument and the options that shape how it is read.
#[derive(clap::Args, Debug, Clone)]
pub struct PlanArgs {
    /// A plan: a `.yaml` file, a folder of them, or a spreadsheet `.csv`.
    pub plan: PathBuf,
    /// For a spreadsheet `.csv`: the program's first day (default: today).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub start: Option<NaiveDate>,
}

pub fn parse_date(text: &str) -> Result<NaiveDate, String> {
    linchpin_analysis::what_if::parse_date(text).map_err(|e| e.to_string())
}

impl PlanArgs {
    pub fn load(&self) -> Result<Plan, Error> {
        let options = LoadOptions { csv_start: Some(self.start.unwrap_or_else(|| chrono::Local::now().date_naive())) };
        Ok(linchpin_plan::load_path(&self.plan, &options)?)
    }

    /// The program, or `None` after printing the plan's errors (exit 1).
    /// Warnings are printed and the program is returned.
    pub fn program(&self) -> Result<Option<Program>, Error> {
        Ok(self.program_and_docs()?.map(|(program, _)| program))
    }

    /// Like [`PlanArgs::program`], with the documents it was resolved from.
    pub fn program_and_docs(&self) -> Result<Option<(Program, Vec<PlanDoc>)>, Error> {
        let plan = self.load()?;
        if plan.has_errors() {
            crate::diagnostics::print(&plan.sources, &plan.diagnostics);
            let (errors, _) = crate::diagnostics::summary(&plan.diagnostics);
            eprintln!(
                "error: `{}` has {}; run `linchpin check` for details",
                crate::text::escape(&self.plan.to_string_lossy()),
                crate::diagnostics::plural(errors, "error")
            );
            return Ok(None);
        }
        Ok(plan.into_program_and_docs())
    }
}

/// How to schedule, for every command that schedules a plan.
#[derive(clap::Args, Debug, Clone)]
pub struct ScheduleArgs {
    /// Ignore team capacity: the pure critical path method.
    #[arg(long)]
    pub no_capacity: bool,
    /// Schedules to try when respecting capacity (more: shorter, slower),
    /// from 1 to 1,000,000. Default: 1,000, fewer for programs over 100 items.
    #[arg(long, env = "LINCHPIN_EFFORT")]
    pub effort: Option<usize>,
    /// Measure every item's slack by slipping it, however long it takes
    /// (by default a large plan measures its most critical items and
    /// estimates the rest, marked ~).
    #[arg(long)]
    pub exact_slack: bool,
    /// The seed of the capacity-aware search and of the forecast (default 1).
    #[arg(long, env = "LINCHPIN_SEED")]
    pub seed: Option<u64>,
}

impl ScheduleArgs {
    pub fn raw(&self) -> RawSettings {
        RawSettings {
            capacity: self.no_capacity.then_some(false),
            effort: self.effort,
            exact_slack: self.exact_slack.then_some(true),
            seed: self.seed,
            ..RawSettings::default()
        }
    }
}

/// How to forecast, for every command that forecasts.
#[derive(clap::Args, Debug, Clone)]
pub struct ForecastArgs {
    /// Monte Carlo iterations, from 1 to 1,000,000. Default: 10,000; with
    /// capacity, fewer for programs over 2,000 items (20,000,000 / items,
    /// at least 2,000).
    #[arg(long, env = "LINCHPIN_ITERATIONS")]
    pub iterations: Option<usize>,
    /// Worker threads, from 1 to 256 (default: all cores). Results do not depend on it.
    #[arg(long, env = "LINCHPIN_THREADS")]
    pub threads: Option<usize>,
}

impl ForecastArgs {
    pub fn raw(&self) -> RawSettings {
        RawSettings { iterations: self.iterations, threads: self.threads, ..RawSettings::default() }
    }
}
