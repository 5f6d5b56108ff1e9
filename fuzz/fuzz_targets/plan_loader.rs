//! Feeds arbitrary bytes to the plan loader, as YAML and as a spreadsheet
//! CSV: it must never panic, hang or blow up memory, whatever the input.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The first byte picks the front end, so one corpus exercises both.
    let Some((&selector, bytes)) = data.split_first() else { return };
    if selector % 2 == 0 {
        check(&linchpin_plan::load_yaml_bytes(vec![("fuzz.yaml".into(), bytes.to_vec())]));
    } else {
        let start = chrono::NaiveDate::from_ymd_opt(2027, 1, 4).expect("valid date");
        check(&linchpin_plan::load_csv_bytes(Path::new("fuzz.csv"), bytes.to_vec(), None, start));
    }
});

/// Every problem must point at text inside its file, on character boundaries.
fn check(plan: &linchpin_plan::Plan) {
    for diagnostic in &plan.diagnostics {
        let linchpin_model::Origin::Span(span) = diagnostic.origin else {
            panic!("a plan problem without a place: {diagnostic:?}");
        };
        let file = plan.sources.get(span.source);
        assert!(span.start <= span.end);
        assert!(file.text.get(span.range()).is_some());
    }
}
