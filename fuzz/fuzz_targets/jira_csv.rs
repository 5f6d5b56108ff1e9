//! Feeds arbitrary bytes to the Jira CSV importer and writes what it makes
//! back as plan YAML: it must never panic, hang or blow up memory, and the
//! YAML it writes must read back as plan documents (no syntax, type or
//! field error: only what the resolver finds in the data, such as an id
//! too long).
#![no_main]

use libfuzzer_sys::fuzz_target;
use linchpin_interop::import::{Mapping, jira_csv, plan};
use linchpin_model::Code;

fuzz_target!(|data: &[u8]| {
    let mapping = Mapping::default();
    let Ok(issues) = jira_csv::read(data, &mapping) else { return };
    let imported = plan(issues, &mapping);
    let header = "program: { name: Fuzz, start: 2027-01-04 }\n";
    let yaml = linchpin_plan::write::plan_yaml(&imported.doc, header);
    let loaded = linchpin_plan::load_yaml_bytes(vec![("fuzz.yaml".into(), yaml.clone().into_bytes())]);
    for diagnostic in &loaded.diagnostics {
        let written_wrong = matches!(
            diagnostic.code,
            Code::YamlSyntax | Code::NotUtf8 | Code::UnknownField | Code::MissingField | Code::WrongType | Code::UnknownValue
                | Code::DuplicateField
        );
        assert!(!written_wrong, "the importer wrote YAML that does not read back: {diagnostic:?}\n{yaml}");
        // A link the importer made must name something it made.
        assert!(diagnostic.code != Code::UnknownReference, "a dangling reference: {diagnostic:?}\n{yaml}");
        assert!(diagnostic.code != Code::DependencyCycle, "a loop was left in: {diagnostic:?}\n{yaml}");
    }
});
