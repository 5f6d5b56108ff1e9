//! Feeds arbitrary bytes to the Backstage catalog importer (as one
//! multi-document YAML file) and writes what it makes back as plan YAML:
//! it must never panic, hang or blow up memory, and the YAML it writes
//! must read back as plan documents.
#![no_main]

use libfuzzer_sys::fuzz_target;
use linchpin_interop::import::backstage;
use linchpin_model::Code;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(entities) = linchpin_plan::yaml_documents_to_json("catalog.yaml", text) else { return };
    let imported = backstage::read(&entities);
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
    }
});
