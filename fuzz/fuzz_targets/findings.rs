//! Feeds arbitrary YAML to the loader and, when it yields a program, runs
//! the schedules and every finding on it: they must never panic or hang,
//! whatever the plan says.
#![no_main]

use libfuzzer_sys::fuzz_target;
use linchpin_engine::schedule::{ScheduleOptions, schedule};
use linchpin_findings::{Inputs, analyse, risks::as_risks};

fuzz_target!(|data: &[u8]| {
    let plan = linchpin_plan::load_yaml_bytes(vec![("fuzz.yaml".into(), data.to_vec())]);
    let Some(program) = plan.into_program() else { return };
    // Keep each run short: the schedulers' own speed is benchmarked elsewhere.
    if program.items.len() > 200 {
        return;
    }
    let options = ScheduleOptions { capacity: false, effort: 20, seed: 1 };
    let Ok(logic) = schedule(&program, options) else { return };
    let Ok(roadmap) = schedule(&program, ScheduleOptions { capacity: true, ..options }) else { return };
    let report = analyse(Inputs { program: &program, roadmap: &roadmap, logic: &logic, forecast: None });
    let open: Vec<_> = report.open.iter().collect();
    let risks = as_risks(&program, &open);
    assert_eq!(risks.len(), report.open.len());
});
