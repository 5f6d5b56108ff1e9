use crate::{Scratch, fixture, linchpin, stderr, stdout};

#[test]
fn the_example_program_checks_clean() {
    let output = linchpin(&["check", "examples/platform-migration"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    insta::assert_snapshot!(stdout(&output));
}

#[test]
fn a_broken_plan_shows_every_problem_with_its_place_and_fix() {
    let output = linchpin(&["check", &fixture("broken.yaml")]);
    assert_eq!(output.status.code(), Some(1));
    insta::assert_snapshot!(format!("{}\n{}", stderr(&output), stdout(&output)));
}

#[test]
fn a_broken_spreadsheet_shows_every_problem() {
    let output = linchpin(&["check", &fixture("broken.csv"), "--start", "2027-01-04"]);
    assert_eq!(output.status.code(), Some(1));
    insta::assert_snapshot!(format!("{}\n{}", stderr(&output), stdout(&output)));
}

#[test]
fn json_diagnostics_carry_file_line_column_and_field() {
    let output = linchpin(&["check", &fixture("broken.yaml"), "--format", "json"]);
    assert_eq!(output.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    assert_eq!(report["ok"], false);
    let diagnostics = report["diagnostics"].as_array().expect("list");
    assert_eq!(report["errors"].as_u64(), Some(diagnostics.iter().filter(|d| d["severity"] == "error").count() as u64));
    let team = diagnostics.iter().find(|d| d["code"] == "unknown-reference").expect("unknown team");
    assert_eq!(team["file"], "crates/linchpin/tests/fixtures/broken.yaml");
    assert_eq!((team["line"].as_u64(), team["column"].as_u64()), (Some(12), Some(11)));
    assert_eq!(team["field"], "items[A].team");
    assert_eq!(team["snippet"], "paymnets");
    assert_eq!(team["help"], "did you mean `payments`?");
}

#[test]
fn a_missing_file_exits_2() {
    let output = linchpin(&["check", "no/such/plan.yaml"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("cannot read `no/such/plan.yaml`"), "{}", stderr(&output));
}

#[test]
fn a_missing_file_names_its_cause_once() {
    let output = linchpin(&["check", "no/such/plan.yaml"]);
    let text = stderr(&output);
    assert_eq!(text.matches("No such file or directory").count(), 1, "{text}");
    assert_eq!(text.trim_end(), "error: cannot read `no/such/plan.yaml`: No such file or directory (os error 2)");
}

#[test]
fn a_50_megabyte_file_is_refused_quickly() {
    let scratch = Scratch::new("huge");
    let mut text = String::from("program: { name: Big, start: 2027-01-04 }\nitems:\n");
    while text.len() < 50 * 1024 * 1024 {
        text.push_str("  - { id: X, title: padding padding padding padding padding, team: t, estimate: 1 }\n");
    }
    let path = scratch.write("huge.yaml", text);
    let output = linchpin(&["check", &path]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("plan files are limited to 32 MiB"), "{}", stderr(&output));
}

#[test]
fn hostile_yaml_gets_a_clear_error() {
    let scratch = Scratch::new("hostile");
    let deep = scratch.write("deep.yaml", "[".repeat(10_000) + &"]".repeat(10_000));
    let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
    for level in 1u8..12 {
        let (prev, this) = ((b'a' + level - 1) as char, (b'a' + level) as char);
        bomb.push_str(&format!("{this}: &{this} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
    }
    let bomb = scratch.write("bomb.yaml", bomb);
    let mut latin1 = b"program: { name: Caf".to_vec();
    latin1.extend([0xE9, b'\n']);
    let latin1 = scratch.write("latin1.yaml", latin1);
    let wrong_types = scratch.write("types.yaml", "program: [1, 2]\nteams: {id: x}\nitems: 7\n");
    for (path, expected) in [
        (deep, "error[too-deep]"),
        (bomb, "error[too-large]"),
        (latin1, "error[not-utf8]"),
        (wrong_types, "error[wrong-type]"),
    ] {
        let output = linchpin(&["check", &path]);
        assert_eq!(output.status.code(), Some(1), "{path}");
        assert!(stderr(&output).contains(expected), "{path}: {}", stderr(&output));
        assert!(!stderr(&output).contains("panicked"));
    }
}

#[test]
fn a_plan_folder_merges_files_and_points_into_each() {
    let scratch = Scratch::new("folder");
    std::fs::create_dir_all(scratch.path("plan/items")).expect("dir");
    scratch.write("plan/program.yaml", "program: { name: Split, start: 2027-01-04 }\nteams: [{ id: core }]\n");
    scratch.write("plan/items/a.yaml", "items: [{ id: A, title: T, team: core, estimate: 1 }]\n");
    scratch.write("plan/items/b.yaml", "items: [{ id: B, title: T, team: core, estimate: 1, depends: [A, Q] }]\n");
    let output = linchpin(&["check", &scratch.path("plan").display().to_string()]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("items/b.yaml:1:"), "{}", stderr(&output));
}

#[test]
fn every_problem_code_is_documented() {
    let docs = std::fs::read_to_string(crate::repo_root().join("docs/cli.md")).expect("docs/cli.md");
    let missing: Vec<&str> =
        linchpin_model::Code::ALL.iter().map(|c| c.as_str()).filter(|c| !docs.contains(&format!("`{c}`"))).collect();
    assert!(missing.is_empty(), "codes missing from docs/cli.md: {missing:?}");
}
