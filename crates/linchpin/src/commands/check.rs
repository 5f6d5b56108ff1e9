//! `linchpin check PLAN`: every problem in a plan, with where and how to fix it.

use linchpin_analysis::view::check::CheckView;

use crate::diagnostics::{self, plural};
use crate::input::PlanArgs;
use crate::{Error, Outcome};

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub plan: PlanArgs,
    /// `text` for people, `json` for machines.
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
}

pub fn run(args: Args) -> Result<Outcome, Error> {
    let plan = args.plan.load()?;
    let view = CheckView::new(&diagnostics::Files(&plan.sources), &plan.diagnostics, plan.program());
    match args.format {
        Format::Json => crate::emit_json(&view),
        Format::Text => {
            diagnostics::print(&plan.sources, &plan.diagnostics);
            let name = crate::text::escape(&args.plan.plan.to_string_lossy()).into_owned();
            let (errors, warnings) = (plural(view.errors, "error"), plural(view.warnings, "warning"));
            match view.counts {
                Some(c) => sayln!(
                    "`{name}`: {errors}, {warnings}; {}, {} ({} dependencies), {}, {}, {}, {}, {}{}",
                    plural(c.teams, "team"),
                    plural(c.items, "item"),
                    c.dependencies,
                    plural(c.milestones, "milestone"),
                    plural(c.systems, "system"),
                    plural(c.interfaces, "interface"),
                    plural(c.risks, "risk"),
                    plural(c.decisions, "decision"),
                    if c.groups > 0 { format!(", {}", plural(c.groups, "group")) } else { String::new() },
                ),
                None => sayln!("`{name}`: {errors}, {warnings}"),
            }
        }
    }
    Ok(if view.ok { Outcome::Success } else { Outcome::ProblemsFound })
}
