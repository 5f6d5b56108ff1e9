use crate::{Scratch, linchpin, stderr, stdout};

#[test]
fn init_writes_a_starter_plan_that_checks_clean() {
    let scratch = Scratch::new("init");
    let path = scratch.path("plan.yaml").display().to_string();
    let output = linchpin(&["init", &path]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let check = linchpin(&["check", &path]);
    assert_eq!(check.status.code(), Some(0), "{}", stderr(&check));
    assert!(stdout(&check).contains("0 errors, 0 warnings"));
    // A second init does not clobber the user's plan.
    let again = linchpin(&["init", &path]);
    assert_eq!(again.status.code(), Some(2));
    assert!(stderr(&again).contains("already exists; pass `--force`"));
}

#[test]
fn schema_prints_a_json_schema_that_validates_the_starter_plan() {
    let output = linchpin(&["schema"]);
    assert_eq!(output.status.code(), Some(0));
    let schema: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    assert_eq!(schema["title"], "Linchpin plan");
    let validator = jsonschema::validator_for(&schema).expect("valid schema");
    let scratch = Scratch::new("schema");
    let path = scratch.path("plan.yaml");
    linchpin(&["init", &path.display().to_string()]);
    let text = std::fs::read_to_string(path).expect("starter");
    let instance = linchpin_plan::yaml_to_json(&text).expect("yaml");
    assert!(validator.is_valid(&instance));
}
