//! `linchpin forecast PLAN`: when each milestone will really land, how sure
//! we can be, and what moves it.

use std::fmt::Write as _;
use std::io::IsTerminal;
use std::time::Instant;

use linchpin_analysis::RawSettings;
use linchpin_analysis::run::plan_forecast;
use linchpin_analysis::view::forecast::ForecastView;
use linchpin_engine::forecast::{Distribution, DriverKind, Forecast, ForecastOptions, TargetForecast};
use linchpin_engine::progress::Flow;
use linchpin_model::Program;

use crate::commands::check::Format;
use crate::input::{ForecastArgs, PlanArgs};
use crate::text::{self, ID_WIDTH, left};
use crate::{Error, Outcome};

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub plan: PlanArgs,
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    #[command(flatten)]
    pub forecasting: ForecastArgs,
    /// The seed (default 1); the same seed gives the same forecast.
    #[arg(long, env = "LINCHPIN_SEED")]
    pub seed: Option<u64>,
    /// How durations are drawn from three-point estimates.
    #[arg(long, value_enum, default_value = "pert")]
    pub distribution: DistributionArg,
    /// Respect team capacity in every iteration: the default, kept so
    /// scripts written before it was still work.
    #[arg(long, conflicts_with = "no_capacity", hide = true)]
    pub capacity: bool,
    /// Ignore team capacity: the pure critical-path forecast, as if every
    /// team could run all its work at once (optimistic where teams are busy).
    #[arg(long)]
    pub no_capacity: bool,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
pub enum DistributionArg {
    Pert,
    Triangular,
}

pub fn run(args: Args) -> Result<Outcome, Error> {
    let Some(program) = args.plan.program()? else { return Ok(Outcome::ProblemsFound) };
    let raw = RawSettings {
        seed: args.seed,
        distribution: Some(match args.distribution {
            DistributionArg::Pert => Distribution::Pert,
            DistributionArg::Triangular => Distribution::Triangular,
        }),
        forecast_capacity: Some(!args.no_capacity),
        ..args.forecasting.raw()
    };
    let settings = raw.resolve(program.items().len()).map_err(linchpin_analysis::AnalysisError::from)?;
    let started = Instant::now();
    let show_progress = std::io::stderr().is_terminal();
    let progress = |done: usize, total: usize| {
        if show_progress && started.elapsed().as_secs_f64() > 1.0 {
            eprint!("\rforecast: {:>3} % ({done} of {total} iterations)", 100 * done / total.max(1));
        }
        Flow::Continue
    };
    let result = plan_forecast(&program, &settings, &progress)?;
    if show_progress && started.elapsed().as_secs_f64() > 1.0 {
        eprintln!();
    }
    let options = settings.forecast;
    match args.format {
        Format::Json => crate::emit_json(&ForecastView::new(&program, &result, &options)),
        Format::Text => say!("{}", text_report(&program, &result, &options)),
    }
    Ok(Outcome::Success)
}

fn driver_names(program: &Program, t: &TargetForecast, count: usize) -> String {
    t.drivers
        .iter()
        .take(count)
        .map(|d| match d.kind {
            DriverKind::Item(i) => format!("{} ({:.2})", text::id(&program.item(i).key), d.correlation),
            DriverKind::Risk(r) => format!("risk {} ({:.2})", text::id(&program.risk(r).key), d.correlation),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn text_report(program: &Program, result: &Forecast, options: &ForecastOptions) -> String {
    let mut out = String::new();
    let as_of = program.status_date().map_or(String::new(), |d| format!(", as of {d}"));
    let mode = if options.capacity { ", capacity-aware" } else { "" };
    let _ = writeln!(out, "{}: {} iterations{mode}{as_of}\n", text::title(program.name()), result.iterations);
    // Each table as wide as its longest key (at least its heading, at most
    // `ID_WIDTH`, longer keys cut to it).
    let table = |out: &mut String, heading: &str, date: &str, rows: &[(&str, &TargetForecast)]| {
        let keys: Vec<_> = rows.iter().map(|(key, _)| text::id(key)).collect();
        let width = text::column(keys.iter().map(|s| &**s), heading.len(), ID_WIDTH);
        let _ = writeln!(out, "{}  {date:10}  CHANCE  P50         P80         P95", left(heading, width));
        for ((_, t), key) in rows.iter().zip(&keys) {
            let target = t.target.map_or("-".to_owned(), |d| d.to_string());
            let chance = t.probability_on_target.map_or("-".to_owned(), |p| format!("{:.0} %", 100.0 * p));
            let _ = writeln!(
                out,
                "{}  {target:10}  {chance:>6}  {}  {}  {}",
                left(key, width),
                t.p50_date,
                t.p80_date,
                t.p95_date
            );
        }
    };
    let mut milestones: Vec<(&str, &TargetForecast)> = result
        .milestones()
        .iter()
        .map(|t| (t.milestone.map_or("", |m| program.milestone(m).key.as_str()), t))
        .collect();
    milestones.push(("end", result.end()));
    table(&mut out, "MILESTONE", "TARGET", &milestones);
    if !result.deadlines().is_empty() {
        let rows: Vec<_> =
            result.deadlines().iter().map(|t| (t.item.map_or("", |i| program.item(i).key.as_str()), t)).collect();
        let _ = writeln!(out);
        table(&mut out, "ITEM", "DEADLINE", &rows);
    }
    if !result.groups().is_empty() {
        let rows: Vec<_> =
            result.groups().iter().map(|t| (t.group.map_or("", |g| program.group(g).key.as_str()), t)).collect();
        let _ = writeln!(out);
        table(&mut out, "GROUP", "DEADLINE", &rows);
    }
    let _ = writeln!(out, "\nwhat moves the P80 most (correlation with the finish):");
    let driven: Vec<_> = result
        .milestones()
        .iter()
        .chain([result.end()])
        .filter(|t| !t.drivers.is_empty())
        .map(|t| (text::id(t.milestone.map_or("end", |m| program.milestone(m).key.as_str())), t))
        .collect();
    let width = text::column(driven.iter().map(|(key, _)| &**key), 9, ID_WIDTH);
    for (key, t) in &driven {
        let _ = writeln!(out, "  {} {}", left(key, width), driver_names(program, t, 3));
    }
    let mut critical: Vec<(usize, f64)> =
        result.end().criticality.iter().copied().enumerate().filter(|(_, c)| *c > 0.0).collect();
    critical.sort_by(|a, b| b.1.total_cmp(&a.1));
    if !critical.is_empty() {
        let list: Vec<String> = critical
            .iter()
            .take(8)
            .map(|(i, c)| format!("{} {:.0} %", text::id(&program.items()[*i].key), 100.0 * c))
            .collect();
        let _ = writeln!(out, "\nmost often on the critical path to the end: {}", list.join(", "));
    }
    out
}
