//! Feeds arbitrary bytes to the plan loader, as YAML and as a spreadsheet
//! CSV: it must never panic, hang or blow up memory, whatever the input.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The first byte picks the front end, so one corpus exercises both.
    let Some((&selector, bytes)) = data.split_first() else { return };
    if selector % 2 == 0 {
        let plan = linchpin_plan::load_yaml_bytes(vec![("fuzz.yaml".into(), bytes.to_vec())]);
        for diagnostic in &plan.diagnostics {
            // Every span must point inside its file, on a character boundary.
            let file = plan.sources.get(diagnostic.span.file);
            assert!(diagnostic.span.start <= diagnostic.span.end);
            assert!(file.text.get(diagnostic.span.start..diagnostic.span.end).is_some());
        }
    } else {
        let start = chrono::NaiveDate::from_ymd_opt(2027, 1, 4).expect("valid date");
        let plan = linchpin_plan::load_csv_bytes(Path::new("fuzz.csv"), bytes.to_vec(), None, start);
        for diagnostic in &plan.diagnostics {
            let file = plan.sources.get(diagnostic.span.file);
            assert!(file.text.get(diagnostic.span.start..diagnostic.span.end).is_some());
        }
    }
});
