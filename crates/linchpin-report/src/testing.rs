//! The facts of a small plan, analysed as a report would be, for tests.

use linchpin_engine::forecast::{Forecast, ForecastOptions, forecast};
use linchpin_engine::progress::Quiet;
use linchpin_engine::schedule::{Schedule, ScheduleOptions, schedule};
use linchpin_findings::{Inputs, Report, analyse};
use linchpin_model::Program;

use crate::Facts;

/// A plan with its schedule, a 200-iteration forecast and its findings.
pub struct Analysed {
    program: Program,
    roadmap: Schedule,
    forecast: Forecast,
    options: ForecastOptions,
    findings: Report,
}

impl Analysed {
    /// The plan in `text`, which must have no errors.
    pub fn new(text: &str) -> Self {
        let plan = linchpin_plan::load_yaml_str("t.yaml", text);
        assert!(!plan.has_errors(), "{:#?}", plan.diagnostics);
        let program = plan.into_program().expect("valid");
        let roadmap = schedule(&program, ScheduleOptions::default()).expect("schedulable");
        let logic = schedule(&program, ScheduleOptions { capacity: false, ..Default::default() }).expect("ok");
        let options = ForecastOptions { iterations: 200, ..Default::default() };
        let forecast = forecast(&program, options, &Quiet).expect("forecast");
        let findings =
            analyse(Inputs { program: &program, roadmap: &roadmap, logic: &logic, forecast: Some(&forecast) });
        Analysed { program, roadmap, forecast, options, findings }
    }

    pub fn facts(&self) -> Facts<'_> {
        Facts {
            program: &self.program,
            roadmap: &self.roadmap,
            forecast: &self.forecast,
            options: self.options,
            findings: &self.findings,
            since: None,
            trend: &[],
        }
    }
}
