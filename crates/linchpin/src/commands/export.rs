//! `linchpin export FORMAT PLAN [-o FILE]`: the plan's capacity-aware
//! schedule, as `linchpin schedule` computes it with the same options, in
//! the formats its readers' tools take: MS Project XML, Mermaid, Graphviz
//! DOT, iCalendar and CSV.

use std::io::Write;
use std::path::PathBuf;

use linchpin_analysis::RawSettings;
use linchpin_analysis::run::{plan_forecast, plan_schedule};
use linchpin_engine::progress::Quiet;
use linchpin_interop::export;

use crate::input::{ForecastArgs, PlanArgs, ScheduleArgs};
use crate::{Error, Outcome};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The format to write.
    #[arg(value_enum)]
    pub format: Format,
    #[command(flatten)]
    pub plan: PlanArgs,
    /// Write to FILE instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub scheduling: ScheduleArgs,
    /// For `ics`: how to forecast the milestones' P80 dates.
    #[command(flatten)]
    pub forecasting: ForecastArgs,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// MS Project XML (MSPDI): tasks, links, milestones, teams as resources, calendars, baselines.
    Mspdi,
    /// A Mermaid `gantt` chart of the schedule, a section per team.
    MermaidGantt,
    /// A Mermaid `flowchart` of the dependency map, a subgraph per team.
    MermaidFlowchart,
    /// A Graphviz DOT graph of the dependency map, a cluster per team.
    Dot,
    /// An iCalendar file of the milestones' target and P80 dates.
    Ics,
    /// One row per item: dates, slack, criticality (as `schedule --format csv`).
    Csv,
}

pub fn run(args: Args) -> Result<Outcome, Error> {
    let Some(program) = args.plan.program()? else { return Ok(Outcome::ProblemsFound) };
    let forecast = args.format == Format::Ics;
    let raw = RawSettings { forecast: Some(forecast), ..args.scheduling.raw().or(args.forecasting.raw()) };
    let settings = raw.resolve(program.items().len()).map_err(linchpin_analysis::AnalysisError::from)?;
    let schedule = plan_schedule(&program, &settings, &Quiet)?;
    let forecast = if forecast { Some(plan_forecast(&program, &settings, &Quiet)?) } else { None };
    // Every writer keeps control characters out of what it writes (plan
    // text goes through `export::plain` or `text::csv_cell`), so its bytes
    // go out as they are: iCalendar's CRLF line ends must survive.
    let write = |out: &mut dyn Write| -> std::io::Result<()> {
        let mut out = std::io::BufWriter::with_capacity(1 << 16, out);
        match args.format {
            Format::Mspdi => export::mspdi::write(&program, &schedule, &mut out)?,
            Format::MermaidGantt => export::mermaid::gantt(&program, &schedule, &mut out)?,
            Format::MermaidFlowchart => export::mermaid::flowchart(&program, &schedule, &mut out)?,
            Format::Dot => export::dot::write(&program, &schedule, &mut out)?,
            Format::Ics => {
                let Some(forecast) = &forecast else { unreachable!("the calendar's forecast was run") };
                export::ics::write(&program, &schedule, forecast, &mut out)?
            }
            Format::Csv => {
                super::schedule::write_csv(&program, &schedule, &mut out).map_err(|error| match error.into_kind() {
                    csv::ErrorKind::Io(error) => error,
                    other => std::io::Error::other(format!("{other:?}")),
                })?
            }
        }
        out.flush()
    };
    match &args.output {
        Some(path) => {
            let failed = |source| Error::Write { path: path.clone(), source };
            let mut file = std::fs::File::create(path).map_err(failed)?;
            write(&mut file).map_err(failed)?;
        }
        None => crate::written(write(&mut std::io::stdout().lock())),
    }
    Ok(Outcome::Success)
}
