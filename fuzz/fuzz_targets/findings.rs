//! Feeds arbitrary YAML to the loader and, when it yields a program, runs
//! the schedules, a short forecast, every finding and the three report
//! registers on it: they must never panic or hang, whatever the plan says.
#![no_main]

use libfuzzer_sys::fuzz_target;
use linchpin_engine::forecast::{Distribution, ForecastOptions, forecast};
use linchpin_engine::schedule::{ScheduleOptions, schedule};
use linchpin_findings::{Inputs, analyse, risks::as_risks};

fuzz_target!(|data: &[u8]| {
    let plan = linchpin_plan::load_yaml_bytes(vec![("fuzz.yaml".into(), data.to_vec())]);
    let Some(program) = plan.into_program() else { return };
    // Keep each run short: the schedulers' own speed is benchmarked elsewhere.
    if program.items().len() > 200 {
        return;
    }
    let options = ScheduleOptions { capacity: false, effort: 20, seed: 1, ..Default::default() };
    let Ok(logic) = schedule(&program, options) else { return };
    let Ok(roadmap) = schedule(&program, ScheduleOptions { capacity: true, ..options }) else { return };
    // Both distributions, with and without capacity, chosen by the input.
    let distribution = if data.len() % 2 == 0 { Distribution::Pert } else { Distribution::Triangular };
    let capacity = data.len() % 3 == 0;
    let options = ForecastOptions { iterations: 40, seed: 1, distribution, capacity };
    let Ok(forecast) = forecast(&program, options, &linchpin_engine::progress::Quiet) else { return };
    for target in &forecast.targets {
        assert!(target.p10 <= target.p50 && target.p50 <= target.p80 && target.p80 <= target.p95);
        assert!(target.criticality.iter().all(|c| (0.0..=1.0).contains(c)));
    }
    let inputs = Inputs { program: &program, roadmap: &roadmap, logic: &logic, forecast: Some(&forecast) };
    let report = analyse(inputs);
    let open: Vec<_> = report.open.iter().collect();
    let risks = as_risks(&program, &open);
    assert_eq!(risks.len(), report.open.len());
    let facts = linchpin_report::Facts {
        program: &program,
        roadmap: &roadmap,
        forecast: &forecast,
        options,
        findings: &report,
        since: None,
        trend: &[],
    };
    let mut audiences = vec![linchpin_report::Audience::Executive, linchpin_report::Audience::Engineering];
    audiences.extend(
        (0..program.teams().len().min(2)).map(|t| linchpin_report::Audience::Team(linchpin_model::TeamId::new(t))),
    );
    for audience in audiences {
        let document = linchpin_report::register::report(&facts, audience);
        let page = document.to_html();
        assert!(!page.contains("<script"), "plan text reached the page as markup");
        let _ = document.to_markdown(&[]);
    }
});
