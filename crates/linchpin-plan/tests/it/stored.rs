//! A program as stored entities and back: the example plan through
//! entities, the loader and a written plan folder gives the same program,
//! a write that breaks it gives the plan file's diagnostic, and text of
//! every kind survives the trip.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use linchpin_plan::stored::{self, Entity, Kind};
use linchpin_plan::{LoadOptions, Plan, load_path, load_yaml_bytes};
use proptest::prelude::*;
use serde_json::{Value, json};

fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/platform-migration")
}

/// Every `.yaml` file under `dir`, sorted by path as `load_path` reads a folder.
fn yaml_files(dir: &Path) -> Vec<(String, String)> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("the folder reads") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "yaml") {
                out.push(path);
            }
        }
    }
    let mut paths = Vec::new();
    walk(dir, &mut paths);
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).expect("the file reads");
            (p.display().to_string(), text)
        })
        .collect()
}

fn pairs(entities: &[Entity]) -> impl Iterator<Item = (Kind, &Value)> {
    entities.iter().map(|e| (e.kind, &e.body))
}

/// The program exactly (`Program` holds no origins, so its `Debug` is
/// all it is).
fn program_of(plan: &Plan) -> String {
    let program = plan.program().unwrap_or_else(|| panic!("a program: {:#?}", plan.diagnostics));
    format!("{program:?}")
}

/// The diagnostics, without where they point (the sources differ).
fn problems(plan: &Plan) -> Vec<String> {
    let mut out: Vec<String> = plan
        .diagnostics
        .iter()
        .map(|d| format!("{:?} {} {} | {} | {:?}", d.severity, d.code.as_str(), d.field, d.message, d.help))
        .collect();
    out.sort();
    out
}

/// A fresh folder under the system's temporary folder, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> Self {
        let path = std::env::temp_dir().join(format!("linchpin-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).expect("a temporary folder");
        TempDir(path)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn the_example_plan_goes_through_entities_and_a_plan_folder_unchanged() {
    let original = load_path(&example(), &LoadOptions::default()).expect("the example loads");
    let expected = program_of(&original);

    let entities = stored::entities(&yaml_files(&example())).expect("the example splits into entities");
    let from_entities = stored::load_entities(pairs(&entities));
    assert_eq!(program_of(&from_entities), expected);
    assert_eq!(problems(&from_entities), problems(&original));

    let folder = TempDir::new("stored-example");
    let files = stored::plan_folder(pairs(&entities));
    let names: Vec<&str> = files.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(
        names,
        [
            "program.yaml",
            "teams.yaml",
            "items.yaml",
            "groups.yaml",
            "milestones.yaml",
            "systems.yaml",
            "interfaces.yaml",
            "risks.yaml",
            "decisions.yaml",
            "blockers.yaml",
            "updates.yaml",
            "stakeholders.yaml",
            "findings.yaml",
            "baseline.yaml"
        ]
    );
    for (name, text) in &files {
        std::fs::write(folder.0.join(name), text).expect("the file writes");
    }
    let written = load_path(&folder.0, &LoadOptions::default()).expect("the written folder loads");
    assert_eq!(program_of(&written), expected);
    assert_eq!(problems(&written), problems(&original));

    // And the written folder splits into the same entities again.
    let again = stored::entities(&yaml_files(&folder.0)).expect("the written folder splits");
    let mut sorted_again = again.clone();
    sorted_again.sort_by_key(|e| e.kind);
    let mut sorted = entities.clone();
    sorted.sort_by_key(|e| e.kind);
    assert_eq!(sorted_again, sorted);
}

#[test]
fn the_example_keys_are_unique_and_recognisable() {
    let entities = stored::entities(&yaml_files(&example())).expect("entities");
    let mut seen = HashSet::new();
    for e in &entities {
        assert!(seen.insert((e.kind, e.key.clone())), "{} `{}` twice", e.kind, e.key);
    }
    let has = |kind: Kind, key: &str| entities.iter().any(|e| e.kind == kind && e.key == key);
    assert!(has(Kind::Program, "program"));
    assert!(has(Kind::Team, "payments-core"));
    assert!(has(Kind::Blocker, "IDN-3@2026-10-28"));
    assert!(has(Kind::Update, "2026-11-20"));
    assert!(has(Kind::Update, "identity@2026-11-20"));
    assert!(has(Kind::Update, "DAT-3@2026-10-30"));
    assert!(has(Kind::Stakeholder, "Rachel Adeyemi"));
    assert!(has(Kind::Findings, "findings"));
    assert!(has(Kind::Baseline, "baseline"));
    let program = entities.iter().find(|e| e.kind == Kind::Program).expect("the program");
    assert_eq!(program.body["start"], json!("2026-09-07"), "dates stay as written");
}

#[test]
fn a_write_that_breaks_the_plan_gets_the_plan_files_diagnostic() {
    let mut entities = stored::entities(&yaml_files(&example())).expect("entities");
    let item = entities.iter_mut().find(|e| e.kind == Kind::Item).expect("an item");
    let key = item.key.clone();
    let team = item.body["team"].as_str().expect("a team").to_owned();
    let misspelt = format!("{team}x");
    item.body["team"] = json!(misspelt);
    let plan = stored::load_entities(pairs(&entities));
    assert!(plan.program().is_none());
    let errors: Vec<_> = plan.diagnostics.iter().filter(|d| d.is_error()).collect();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    let error = errors[0];
    assert_eq!(error.code.as_str(), "unknown-reference");
    assert_eq!(error.field, format!("items[{key}].team"));
    assert_eq!(error.help.as_deref(), Some(format!("did you mean `{team}`?").as_str()));

    // The same plan as a file says the same.
    let mut files = yaml_files(&example());
    let (_, text) = files.iter_mut().find(|(_, t)| t.contains(&format!("id: {key}\n"))).expect("the item's file");
    let at = text.find(&format!("id: {key}\n")).expect("the item");
    let team_at = at + text[at..].find(&format!("team: {team}")).expect("its team");
    text.replace_range(team_at..team_at + 6 + team.len(), &format!("team: {misspelt}"));
    let as_file = load_yaml_bytes(files.into_iter().map(|(p, t)| (PathBuf::from(p), t.into_bytes())).collect());
    assert_eq!(problems(&plan), problems(&as_file));
}

#[test]
fn scores_are_held_in_the_criteria_order_as_a_stored_mapping_keeps_none() {
    let plan = linchpin_plan::load_yaml_str(
        "plan.yaml",
        "program: { name: P, start: 2027-01-04 }\ndecisions:\n  - id: D\n    question: Q\n    criteria: [{ name: b }, { name: a }]\n    options: [{ id: o, scores: { a: 1, b: 2 } }]\n",
    );
    let program = plan.program().unwrap_or_else(|| panic!("{:#?}", plan.diagnostics));
    assert_eq!(program.decisions()[0].options[0].scores, [(0, 2.0), (1, 1.0)]);
}

/// Text a plan may hold that YAML or a terminal would make something of.
fn awkward_text() -> impl Strategy<Value = String> {
    let pieces = prop_oneof![
        any::<char>().prop_map(String::from),
        prop::sample::select(vec![
            "yes",
            "No",
            "null",
            "~",
            "true",
            "007",
            "1.10",
            "-0",
            "1e5",
            ".inf",
            "2026-01-05",
            "- x",
            "a: b",
            ": ",
            " #x",
            "#",
            "&a",
            "*a",
            "!t",
            "|",
            ">",
            "%",
            "@",
            "`",
            "{",
            "}",
            "[",
            "]",
            ",",
            "'",
            "\"",
            "\\",
            "---",
            "...",
            " ",
            "\t",
            "\n",
            "\r\n",
            "\u{0}",
            "\u{7f}",
            "\u{85}",
            "\u{a0}",
            "\u{feff}",
            "\u{200b}",
            "\u{2028}",
            "\u{2029}",
            "\u{202e}",
            "\u{2066}",
            "\u{61c}",
            "\u{e000}",
            "\u{fffd}",
            "\u{fffe}",
            "\u{ffff}",
            "\u{1f600}",
            "\u{10ffff}",
            "é",
            "\u{301}",
        ])
        .prop_map(str::to_owned),
        "[A-Za-z0-9 ._-]{1,8}",
    ];
    prop::collection::vec(pieces, 1..8).prop_map(|pieces| pieces.concat())
}

/// Control characters and bidirectional controls, which must never be raw
/// in a written file.
fn hidden(c: char) -> bool {
    (c.is_control() && c != '\n')
        || matches!(c, '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{2028}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn awkward_text_survives_entities_and_a_plan_folder(title in awkward_text(), name in awkward_text(), tag in awkward_text()) {
        let bodies = vec![
            (Kind::Program, json!({ "name": name, "start": "2027-01-04", "goal": title })),
            (Kind::Team, json!({ "id": "web", "name": name, "lead": tag })),
            (Kind::Item, json!({ "id": "A-1", "title": title, "team": "web", "estimate": [1, 2.5, 4], "tags": [tag, name] })),
            (Kind::Stakeholder, json!({ "name": name, "role": title })),
        ];
        let pairs = || bodies.iter().map(|(kind, body)| (*kind, body));

        let loaded = stored::load_entities(pairs());
        let program = loaded.program().unwrap_or_else(|| panic!("{:#?}", loaded.diagnostics));
        prop_assert_eq!(&program.items()[0].title, &title);
        prop_assert_eq!(&program.items()[0].tags, &vec![tag.clone(), name.clone()]);

        let files = stored::plan_folder(pairs());
        for (file, text) in &files {
            prop_assert!(!text.contains(hidden), "{} holds a hidden character:\n{}", file, text);
        }
        let written = load_yaml_bytes(files.iter().map(|(n, t)| (PathBuf::from(n), t.clone().into_bytes())).collect());
        prop_assert_eq!(program_of(&written), program_of(&loaded));

        let again = stored::entities(&files).expect("the written files split");
        let again: Vec<(Kind, Value)> = again.into_iter().map(|e| (e.kind, e.body)).collect();
        prop_assert_eq!(again, bodies);
    }
}
