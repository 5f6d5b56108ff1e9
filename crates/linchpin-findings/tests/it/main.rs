//! Findings on small plans built to trigger each one, and to stay quiet
//! just below its threshold.

mod acceptance;
mod architecture;
mod deadlines;
mod hostile;
mod ids;
mod quality;
mod random;
mod status;
mod work;

use linchpin_engine::forecast::{ForecastOptions, forecast};
use linchpin_engine::schedule::{ScheduleOptions, schedule};
use linchpin_findings::render::{Words, words};
use linchpin_findings::{Figure, Finding, Inputs, Report, analyse};
use linchpin_model::{FindingKind, Program};

/// Program start: Monday 2027-01-04.
pub const HEADER: &str = "program:\n  name: T\n  start: 2027-01-04\n";

pub fn program(text: &str) -> Program {
    let plan = linchpin_plan::load_yaml_str("t.yaml", text);
    assert!(!plan.has_errors(), "{:#?}", plan.diagnostics);
    plan.into_program().expect("valid plan")
}

/// A program and what [`analyse`] found in it; it reads as the report.
pub struct Analysed {
    pub program: Program,
    pub report: Report,
}

impl std::ops::Deref for Analysed {
    type Target = Report;

    fn deref(&self) -> &Report {
        &self.report
    }
}

impl Analysed {
    pub fn id(&self, finding: &Finding) -> String {
        finding.id(&self.program)
    }

    /// The ids of the open findings, in order.
    pub fn ids(&self) -> Vec<String> {
        self.report.open.iter().map(|f| self.id(f)).collect()
    }

    pub fn words(&self, finding: &Finding) -> Words {
        words(&self.program, finding)
    }
}

/// Findings of a plan (the header above is prepended unless the text has
/// its own `program`), against the capacity-aware roadmap, no forecast.
pub fn findings(body: &str) -> Analysed {
    run(body, false)
}

pub fn run(body: &str, with_forecast: bool) -> Analysed {
    let text = if body.contains("program:") { body.to_owned() } else { format!("{HEADER}{body}") };
    let program = program(&text);
    let report = analyse_program(&program, with_forecast);
    Analysed { program, report }
}

pub fn analyse_program(program: &Program, with_forecast: bool) -> Report {
    let options = ScheduleOptions { capacity: true, effort: 200, seed: 1, ..Default::default() };
    let roadmap = schedule(program, options).expect("schedulable");
    let logic = schedule(program, ScheduleOptions { capacity: false, ..options }).expect("schedulable");
    let forecast = with_forecast.then(|| {
        forecast(
            program,
            ForecastOptions { iterations: 2000, ..ForecastOptions::default() },
            &linchpin_engine::progress::Quiet,
        )
        .expect("forecastable")
    });
    analyse(Inputs { program, roadmap: &roadmap, logic: &logic, forecast: forecast.as_ref() })
}

/// The open findings of one kind.
pub fn of(report: &Report, kind: FindingKind) -> Vec<&Finding> {
    report.open.iter().filter(|f| f.kind() == kind).collect()
}

/// The one open finding with this id; panics with the list otherwise.
pub fn the<'r>(found: &'r Analysed, id: &str) -> &'r Finding {
    found.open.iter().find(|f| found.id(f) == id).unwrap_or_else(|| panic!("no finding `{id}` among {:?}", found.ids()))
}

pub fn figure(finding: &Finding, name: Figure) -> f64 {
    finding.figure(name).unwrap_or_else(|| panic!("no figure {}", name.as_str()))
}
