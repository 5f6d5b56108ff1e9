//! Feeds arbitrary bytes to the MS Project XML importer and writes what it
//! makes back as plan YAML: it must never panic, hang or blow up memory,
//! and the plan it writes must read back (as for `jira_csv`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use linchpin_interop::import::mspdi;
use linchpin_model::Code;

fuzz_target!(|data: &[u8]| {
    let Ok(imported) = mspdi::read(data) else { return };
    let yaml = linchpin_plan::write::plan_yaml(&imported.doc, "");
    let loaded = linchpin_plan::load_yaml_bytes(vec![("fuzz.yaml".into(), yaml.clone().into_bytes())]);
    for diagnostic in &loaded.diagnostics {
        let written_wrong = matches!(
            diagnostic.code,
            Code::YamlSyntax | Code::NotUtf8 | Code::UnknownField | Code::MissingField | Code::WrongType | Code::UnknownValue
                | Code::DuplicateField | Code::DependencyCycle
        );
        assert!(!written_wrong, "the importer wrote a plan that does not read back: {diagnostic:?}\n{yaml}");
    }
});
