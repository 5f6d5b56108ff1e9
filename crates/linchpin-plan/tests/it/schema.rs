use std::path::Path;

use linchpin_model::doc::{ItemDoc, PlanDoc, ProgramDoc, RiskDoc, TeamDoc};
use linchpin_plan::sections::Section;

fn example_files() -> Vec<std::path::PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/platform-migration");
    let mut files = vec![];
    let mut stack = vec![root];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).expect("example folder") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "yaml") {
                files.push(path);
            }
        }
    }
    files
}

#[test]
fn the_schema_validates_every_example_file() {
    let schema = linchpin_plan::json_schema();
    let validator = jsonschema::validator_for(&schema).expect("the schema is a valid JSON Schema");
    let files = example_files();
    assert!(files.len() >= 5);
    for file in files {
        let text = std::fs::read_to_string(&file).expect("readable");
        let instance = linchpin_plan::yaml_to_json(&text).expect("parses");
        let errors: Vec<String> =
            validator.iter_errors(&instance).map(|e| format!("{e} at {}", e.instance_path())).collect();
        assert!(errors.is_empty(), "{}: {errors:#?}", file.display());
    }
}

#[test]
fn the_schema_rejects_what_check_rejects() {
    let schema = linchpin_plan::json_schema();
    let validator = jsonschema::validator_for(&schema).expect("valid schema");
    for bad in [
        "items: [{ id: A, title: T, team: x, dependz: [B] }]",
        "items: [{ id: A, title: T, team: x, estimate: \"4\" }]",
        "items: [{ id: A, title: T, team: x, status: finished }]",
        "items: [{ id: A, team: x }]",
        "teams: [{ id: a, capacity: 1.5 }]",
    ] {
        let instance = linchpin_plan::yaml_to_json(bad).expect("parses");
        assert!(!validator.is_valid(&instance), "should be invalid: {bad}");
    }
}

#[test]
fn the_schema_lists_exactly_the_fields_the_decoder_accepts() {
    let schema = linchpin_plan::json_schema();
    let defs = &schema["$defs"];
    for (name, fields) in [
        ("ItemDoc", <ItemDoc as Section>::FIELDS),
        ("TeamDoc", <TeamDoc as Section>::FIELDS),
        ("RiskDoc", <RiskDoc as Section>::FIELDS),
        ("ProgramDoc", <ProgramDoc as Section>::FIELDS),
    ] {
        let properties = defs[name]["properties"].as_object().unwrap_or_else(|| panic!("{name} in $defs"));
        let mut in_schema: Vec<&str> = properties.keys().map(String::as_str).collect();
        in_schema.sort_unstable();
        let mut decoded = fields.to_vec();
        decoded.sort_unstable();
        assert_eq!(in_schema, decoded, "{name}");
    }
    let top: Vec<&str> = schema["properties"].as_object().expect("top level").keys().map(String::as_str).collect();
    assert_eq!(top.len(), <PlanDoc as Section>::FIELDS.len());
}
