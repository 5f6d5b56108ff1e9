//! The analyses, run the same way for every front end: the same options,
//! the same order, the same defaults, so a number in a report or on the
//! dashboard is the number the CLI prints.

use linchpin_engine::forecast::{Forecast, ForecastError, forecast};
use linchpin_engine::progress::{Quiet, Sink};
use linchpin_engine::schedule::{Schedule, ScheduleError, ScheduleOptions, replay, schedule_with_progress};
use linchpin_findings::{Inputs, Report, analyse};
use linchpin_model::{Change, ChangeError, Program};

use crate::settings::{Settings, SettingsError};
use crate::view::findings::Basis;
use crate::what_if::WhatIfError;

/// Why an analysis could not be done.
#[derive(Debug, thiserror::Error)]
pub enum AnalysisError {
    #[error(transparent)]
    Settings(#[from] SettingsError),
    #[error(transparent)]
    WhatIf(#[from] WhatIfError),
    #[error("cannot make the change")]
    Change(#[source] ChangeError),
    #[error(transparent)]
    Schedule(#[from] ScheduleError),
    #[error(transparent)]
    Forecast(#[from] ForecastError),
    #[error("cannot start the forecast's worker threads")]
    Threads(#[source] rayon::ThreadPoolBuildError),
}

impl AnalysisError {
    /// A stable name for the kind of failure, for machines.
    pub fn code(&self) -> &'static str {
        match self {
            AnalysisError::Settings(_) => "bad-setting",
            AnalysisError::WhatIf(_) => "bad-what-if",
            AnalysisError::Change(_) => "impossible-change",
            AnalysisError::Schedule(
                ScheduleError::ImplausibleHorizon { .. } | ScheduleError::PastLatestDate { .. },
            )
            | AnalysisError::Forecast(
                ForecastError::Capacity(
                    ScheduleError::ImplausibleHorizon { .. } | ScheduleError::PastLatestDate { .. },
                )
                | ForecastError::PastLatestDate { .. },
            ) => "implausible-horizon",
            AnalysisError::Schedule(ScheduleError::Stopped(_)) | AnalysisError::Forecast(ForecastError::Stopped(_)) => {
                "stopped"
            }
            AnalysisError::Forecast(ForecastError::TooLarge { .. }) => "too-large",
            AnalysisError::Schedule(_) | AnalysisError::Forecast(_) => "cannot-schedule",
            AnalysisError::Threads(_) => "threads",
        }
    }
}

/// The program scheduled as the settings say.
pub fn plan_schedule(program: &Program, settings: &Settings, sink: &dyn Sink) -> Result<Schedule, AnalysisError> {
    Ok(schedule_with_progress(program, settings.schedule, sink)?)
}

/// A what-if: the schedule before and after the changes.
pub struct WhatIf {
    pub before: Schedule,
    pub changed: Program,
    pub after: Schedule,
}

pub fn what_if(
    program: &Program,
    settings: &Settings,
    changes: &[Change],
    sink: &dyn Sink,
) -> Result<WhatIf, AnalysisError> {
    let before = plan_schedule(program, settings, sink)?;
    let changed = program.changed(changes).map_err(AnalysisError::Change)?;
    // With capacity, the changed plan is decoded from the same activity list
    // as the current one, not searched afresh: what moves is the change's
    // doing, not a new search's, and a slip within an item's slack moves
    // nothing, as its slack says.
    let after = if settings.schedule.capacity {
        replay(&changed, &before.order, settings.schedule.effort)?
    } else {
        plan_schedule(&changed, settings, sink)?
    };
    Ok(WhatIf { before, changed, after })
}

/// The Monte Carlo forecast, on the settings' worker threads.
pub fn plan_forecast(program: &Program, settings: &Settings, sink: &dyn Sink) -> Result<Forecast, AnalysisError> {
    let run = || forecast(program, settings.forecast, sink);
    Ok(match settings.threads {
        Some(threads) => rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .map_err(AnalysisError::Threads)?
            .install(run)?,
        None => run()?,
    })
}

/// Everything the findings are judged against, and the findings.
pub struct Findings {
    /// The schedule the program works to (capacity-aware unless the settings say not).
    pub roadmap: Schedule,
    /// The program scheduled by logic alone.
    pub logic: Schedule,
    pub forecast: Option<Forecast>,
    pub report: Report,
    pub basis: Basis,
}

/// The findings: the logic-only schedule, the roadmap, the forecast (unless
/// the settings turn it off), then every analysis over them.
pub fn plan_findings(program: &Program, settings: &Settings, sink: &dyn Sink) -> Result<Findings, AnalysisError> {
    let options = settings.schedule;
    let logic = schedule_with_progress(program, ScheduleOptions { capacity: false, ..options }, &Quiet)?;
    // Without capacity the roadmap is the logic-only schedule itself.
    let roadmap = if options.capacity { Some(schedule_with_progress(program, options, sink)?) } else { None };
    let forecast = if settings.forecast_wanted { Some(plan_forecast(program, settings, sink)?) } else { None };
    let report = {
        let roadmap = roadmap.as_ref().unwrap_or(&logic);
        analyse(Inputs { program, roadmap, logic: &logic, forecast: forecast.as_ref() })
    };
    let basis = Basis {
        capacity_aware: options.capacity,
        forecast: forecast.as_ref().map(|f| (f.iterations, settings.forecast.capacity)),
    };
    let roadmap = roadmap.unwrap_or_else(|| logic.clone());
    Ok(Findings { roadmap, logic, forecast, report, basis })
}

#[cfg(test)]
mod tests {
    use linchpin_engine::progress::Flow;

    use super::*;
    use crate::settings::RawSettings;

    fn example() -> Program {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/platform-migration");
        let plan = linchpin_plan::load_path(&root, &linchpin_plan::LoadOptions::default()).expect("readable");
        plan.into_program().expect("the example is valid")
    }

    #[test]
    fn a_sink_can_stop_the_forecast_and_a_listening_one_changes_nothing() {
        let program = example();
        let settings = RawSettings { iterations: Some(4096), ..RawSettings::default() }.resolve(program.items().len());
        let settings = settings.expect("valid");
        let stop = |done: usize, _: usize| if done > 0 { Flow::Stop } else { Flow::Continue };
        let stopped = plan_forecast(&program, &settings, &stop).expect_err("stopped");
        assert_eq!(stopped.code(), "stopped");
        let heard = std::sync::atomic::AtomicUsize::new(0);
        let listen = |_: usize, _: usize| {
            heard.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            Flow::Continue
        };
        let listened = plan_forecast(&program, &settings, &listen).expect("not stopped");
        let quiet = plan_forecast(&program, &settings, &Quiet).expect("not stopped");
        assert!(heard.into_inner() > 0);
        assert_eq!(listened.end().p80, quiet.end().p80);
    }
}
