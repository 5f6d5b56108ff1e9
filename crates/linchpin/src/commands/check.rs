//! `linchpin check PLAN`: every problem in a plan, with where and how to fix it.

use linchpin_model::Program;
use serde::Serialize;

use crate::diagnostics::{self, JsonDiagnostic, plural};
use crate::input::PlanArgs;
use crate::{Fatal, Outcome};

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

#[derive(Serialize)]
struct JsonReport {
    ok: bool,
    errors: usize,
    warnings: usize,
    diagnostics: Vec<JsonDiagnostic>,
    /// What the plan holds, when it loaded.
    counts: Option<Counts>,
}

#[derive(Serialize)]
struct Counts {
    teams: usize,
    items: usize,
    dependencies: usize,
    milestones: usize,
    systems: usize,
    interfaces: usize,
    risks: usize,
    decisions: usize,
}

fn counts(program: &Program) -> Counts {
    Counts {
        teams: program.teams().len(),
        items: program.items().len(),
        dependencies: program.items().iter().map(|i| i.depends.len()).sum(),
        milestones: program.milestones().len(),
        systems: program.systems().len(),
        interfaces: program.interfaces().len(),
        risks: program.risks().len(),
        decisions: program.decisions().len(),
    }
}

pub fn run(args: Args) -> Result<Outcome, Fatal> {
    let plan = args.plan.load()?;
    let (errors, warnings) = diagnostics::summary(&plan.diagnostics);
    let counts = plan.program().map(counts);
    match args.format {
        Format::Json => {
            let report = JsonReport {
                ok: errors == 0,
                errors,
                warnings,
                diagnostics: plan.diagnostics.iter().map(|d| diagnostics::to_json(&plan.sources, d)).collect(),
                counts,
            };
            crate::emit_json(&report);
        }
        Format::Text => {
            diagnostics::print(&plan.sources, &plan.diagnostics);
            let name = args.plan.plan.display();
            match counts {
                Some(c) => sayln!(
                    "`{name}`: {}, {}; {}, {} ({} dependencies), {}, {}, {}, {}, {}",
                    plural(errors, "error"),
                    plural(warnings, "warning"),
                    plural(c.teams, "team"),
                    plural(c.items, "item"),
                    c.dependencies,
                    plural(c.milestones, "milestone"),
                    plural(c.systems, "system"),
                    plural(c.interfaces, "interface"),
                    plural(c.risks, "risk"),
                    plural(c.decisions, "decision"),
                ),
                None => sayln!("`{name}`: {}, {}", plural(errors, "error"), plural(warnings, "warning")),
            }
        }
    }
    Ok(if errors == 0 { Outcome::Success } else { Outcome::ProblemsFound })
}
