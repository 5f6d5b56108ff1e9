//! Findings on small plans built to trigger each one, and to stay quiet
//! just below its threshold.

mod acceptance;
mod architecture;
mod hostile;
mod quality;
mod random;
mod status;
mod work;

use linchpin_engine::forecast::{ForecastOptions, forecast};
use linchpin_engine::schedule::{ScheduleOptions, schedule};
use linchpin_findings::{Finding, Inputs, Report, analyse};
use linchpin_model::{FindingKind, Program};

/// Program start: Monday 2027-01-04.
pub const HEADER: &str = "program:\n  name: T\n  start: 2027-01-04\n";

pub fn program(text: &str) -> Program {
    let plan = linchpin_plan::load_yaml_str("t.yaml", text);
    assert!(!plan.has_errors(), "{:#?}", plan.diagnostics);
    plan.into_program().expect("valid plan")
}

/// Findings of a plan (the header above is prepended unless the text has
/// its own `program`), against the capacity-aware roadmap, no forecast.
pub fn findings(body: &str) -> Report {
    run(body, false)
}

pub fn run(body: &str, with_forecast: bool) -> Report {
    let text = if body.contains("program:") { body.to_owned() } else { format!("{HEADER}{body}") };
    analyse_program(&program(&text), with_forecast)
}

pub fn analyse_program(program: &Program, with_forecast: bool) -> Report {
    let options = ScheduleOptions { capacity: true, effort: 200, seed: 1 };
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
    report.open.iter().filter(|f| f.kind == kind).collect()
}

/// The one open finding with this id; panics with the list otherwise.
pub fn the<'r>(report: &'r Report, id: &str) -> &'r Finding {
    report.open.iter().find(|f| f.id() == id).unwrap_or_else(|| {
        panic!("no finding `{id}` among {:?}", report.open.iter().map(Finding::id).collect::<Vec<_>>())
    })
}

pub fn figure(finding: &Finding, name: &str) -> f64 {
    finding.figures.iter().find(|(n, _)| *n == name).map(|(_, v)| *v).unwrap_or_else(|| panic!("no figure {name}"))
}
