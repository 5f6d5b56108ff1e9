//! `linchpin baseline PLAN`: the dates the plan commits to today, as a
//! `baseline` section to save beside the plan and commit.

use std::fmt::Write as _;

use linchpin_analysis::run::plan_schedule;
use linchpin_engine::progress::Quiet;

use crate::input::{PlanArgs, ScheduleArgs};
use crate::{Error, Outcome};

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub plan: PlanArgs,
    #[command(flatten)]
    pub scheduling: ScheduleArgs,
}

pub fn run(args: Args) -> Result<Outcome, Error> {
    let Some(program) = args.plan.program()? else { return Ok(Outcome::ProblemsFound) };
    let settings =
        args.scheduling.raw().resolve(program.items().len()).map_err(linchpin_analysis::AnalysisError::from)?;
    let planned = plan_schedule(&program, &settings, &Quiet)?;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Baseline of {}, taken as of {}: the dates the plan committed to.\n# Save it in the plan folder (e.g. baseline.yaml); `linchpin findings` measures progress against it.",
        crate::text::escape(program.name()),
        program.as_of()
    );
    let _ = writeln!(out, "baseline:\n  date: {}\n  items:", program.as_of());
    for (i, item) in program.items().iter().enumerate() {
        let id = linchpin_model::ItemId::new(i);
        let key = crate::text::yaml_string(&item.key);
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
