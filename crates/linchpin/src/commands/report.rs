//! `linchpin report PLAN --audience executive|engineering|team`: the
//! program's status for one reader, from the same schedule, forecast and
//! findings the other commands print.

use std::path::PathBuf;

use linchpin_analysis::RawSettings;
use linchpin_analysis::run::{Findings, plan_findings};
use linchpin_engine::progress::Quiet;
use linchpin_report::{Audience, Facts};

use crate::input::{ForecastArgs, PlanArgs, ScheduleArgs};
use crate::{Error, Outcome};

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub plan: PlanArgs,
    /// Who the report is for.
    #[arg(long, value_enum, default_value = "executive")]
    pub audience: AudienceArg,
    /// The team, for `--audience team`.
    #[arg(long, value_name = "ID")]
    pub team: Option<String>,
    /// The format (Markdown, which renders on GitHub).
    #[arg(long, value_enum, default_value = "md")]
    pub format: FormatArg,
    /// Write the report to FILE instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub scheduling: ScheduleArgs,
    #[command(flatten)]
    pub forecasting: ForecastArgs,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum AudienceArg {
    Executive,
    Engineering,
    Team,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum FormatArg {
    Md,
}

pub fn run(args: Args) -> Result<Outcome, Error> {
    let Some(program) = args.plan.program()? else { return Ok(Outcome::ProblemsFound) };
    let audience = match (args.audience, &args.team) {
        (AudienceArg::Executive, _) => Audience::Executive,
        (AudienceArg::Engineering, _) => Audience::Engineering,
        (AudienceArg::Team, None) => return Err(Error::TeamNeeded),
        (AudienceArg::Team, Some(key)) => {
            let keys = program.keys();
            let team = keys.teams.get(key.as_str()).copied().ok_or_else(|| Error::UnknownTeam {
                key: crate::text::id(key).into_owned(),
                suggestion: linchpin_model::diagnostic::did_you_mean(key, keys.teams.keys().map(String::as_str))
                    .map(str::to_owned),
            })?;
            Audience::Team(team)
        }
    };
    let raw = RawSettings { forecast: Some(true), ..args.scheduling.raw().or(args.forecasting.raw()) };
    let settings = raw.resolve(program.items().len()).map_err(linchpin_analysis::AnalysisError::from)?;
    let findings = plan_findings(&program, &settings, &Quiet)?;
    let Findings { roadmap, forecast, report, .. } = &findings;
    let Some(forecast) = forecast else { unreachable!("the forecast was asked for") };
    let facts = Facts { program: &program, roadmap, forecast, findings: report };
    let text = linchpin_report::markdown::report(&facts, audience);
    match &args.output {
        Some(path) => std::fs::write(path, text).map_err(|source| Error::Write { path: path.clone(), source })?,
        None => say!("{text}"),
    }
    Ok(Outcome::Success)
}
