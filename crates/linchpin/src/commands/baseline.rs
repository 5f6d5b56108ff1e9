//! `linchpin baseline PLAN`: the dates the plan commits to today, as a
//! `baseline` section to save beside the plan and commit.

use std::fmt::Write as _;

use linchpin_engine::schedule::{ScheduleOptions, schedule};

use crate::input::PlanArgs;
use crate::{Fatal, Outcome};

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub plan: PlanArgs,
    /// Baseline the critical-path dates, ignoring capacity.
    #[arg(long)]
    pub no_capacity: bool,
    /// Schedules to try when respecting capacity (default: as `linchpin schedule`).
    #[arg(long)]
    pub effort: Option<usize>,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

pub fn run(args: Args) -> Result<Outcome, Fatal> {
    let Some(program) = args.plan.program()? else { return Ok(Outcome::ProblemsFound) };
    let effort = args.effort.unwrap_or_else(|| ScheduleOptions::automatic_effort(program.items.len())).max(1);
    let planned = schedule(&program, ScheduleOptions { capacity: !args.no_capacity, effort, seed: args.seed })
        .map_err(|e| Fatal(e.to_string()))?;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Baseline of {}, taken as of {}: the dates the plan committed to.\n# Save it in the plan folder (e.g. baseline.yaml); `linchpin findings` measures progress against it.",
        program.name,
        program.as_of()
    );
    let _ = writeln!(out, "baseline:\n  date: {}\n  items:", program.as_of());
    for (i, item) in program.items.iter().enumerate() {
        let id = linchpin_model::ItemId::new(i);
        let key = serde_json::Value::String(item.key.clone());
        let _ = writeln!(
            out,
            "    - {{ item: {key}, start: {}, finish: {} }}",
            planned.start_date(id),
            planned.finish_date(id)
        );
    }
    say!("{out}");
    Ok(Outcome::Success)
}
