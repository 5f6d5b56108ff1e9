//! Loading the plan a command names, with the settings every command shares.

use std::path::PathBuf;

use chrono::NaiveDate;
use linchpin_plan::{LoadOptions, Plan};

use crate::Fatal;

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
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| format!("`{text}` is not a date like 2026-03-02"))
}

impl PlanArgs {
    pub fn load(&self) -> Result<Plan, Fatal> {
        let options = LoadOptions { csv_start: Some(self.start.unwrap_or_else(|| chrono::Local::now().date_naive())) };
        Ok(linchpin_plan::load_path(&self.plan, &options)?)
    }
}

impl PlanArgs {
    /// The program, or `None` after printing the plan's errors (exit 1).
    /// Warnings are printed and the program is returned.
    pub fn program(&self) -> Result<Option<linchpin_model::Program>, Fatal> {
        let plan = self.load()?;
        if plan.has_errors() {
            crate::diagnostics::print(&plan.sources, &plan.diagnostics);
            let (errors, _) = crate::diagnostics::summary(&plan.diagnostics);
            eprintln!(
                "error: `{}` has {}; run `linchpin check` for details",
                self.plan.display(),
                crate::diagnostics::plural(errors, "error")
            );
            return Ok(None);
        }
        Ok(plan.into_program())
    }
}

/// How to schedule, for every command that schedules a plan.
#[derive(clap::Args, Debug, Clone)]
pub struct ScheduleArgs {
    /// Ignore team capacity: the pure critical path method.
    #[arg(long)]
    pub no_capacity: bool,
    /// Schedules to try when respecting capacity (more: shorter, slower).
    /// Default: 1,000, fewer for programs over 250 items.
    #[arg(long)]
    pub effort: Option<usize>,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

impl ScheduleArgs {
    /// The engine's options for a program of `items` work items.
    pub fn options(&self, items: usize) -> linchpin_engine::schedule::ScheduleOptions {
        linchpin_engine::schedule::ScheduleOptions {
            capacity: !self.no_capacity,
            effort: self
                .effort
                .unwrap_or_else(|| linchpin_engine::schedule::ScheduleOptions::automatic_effort(items))
                .max(1),
            seed: self.seed,
        }
    }
}
