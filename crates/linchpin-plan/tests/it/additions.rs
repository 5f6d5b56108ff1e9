//! `additions`: one file adds to items another defines, and every addition
//! is checked as the item itself would be.

use std::path::PathBuf;

use linchpin_plan::load_yaml_bytes;

use crate::{HEADER, problems};

fn files(generated: &str, mine: &str) -> linchpin_plan::Plan {
    load_yaml_bytes(vec![
        (PathBuf::from("imported.yaml"), format!("{HEADER}{generated}").into_bytes()),
        (PathBuf::from("mine.yaml"), mine.as_bytes().to_vec()),
    ])
}

const ITEMS: &str = "items:\n  - { id: A, title: A, team: payments, estimate: 2 }\n  - { id: B, title: B, team: ledger, estimate: 3 }\n";

#[test]
fn links_and_estimates_added_from_another_file_hold() {
    let plan =
        files(ITEMS, "additions:\n  - { item: B, depends: [A], estimate: [2, 4, 9], tags: [watch], people: 2 }\n");
    assert!(problems(&plan).is_empty(), "{:?}", problems(&plan));
    let program = plan.into_program().expect("a program");
    let b = &program.items()[1];
    assert_eq!(b.depends.len(), 1);
    assert_eq!(b.estimate.map(|e| e.pessimistic), Some(9.0));
    assert_eq!(b.tags, ["watch"]);
    assert_eq!(b.people, 2);
}

#[test]
fn an_addition_is_checked_where_it_is_written() {
    // An unknown item, a value added twice, a link to nothing and a cycle
    // the additions close: each reported at the addition.
    let mine = "additions:\n  - { item: C, depends: [A] }\n  - { item: A, estimate: 1 }\n  - { item: A, estimate: 5 }\n  - { item: A, depends: [Z] }\n  - { item: B, depends: [A] }\n  - { item: A, depends: [B] }\n";
    let plan = files(ITEMS, mine);
    let found: Vec<(String, String)> =
        problems(&plan).into_iter().map(|(code, line, _, field)| (code, format!("{line}:{field}"))).collect();
    let has = |code: &str, at: &str| found.iter().any(|(c, f)| c == code && f.starts_with(at));
    assert!(has("unknown-reference", "2:additions[C].item"), "{found:?}");
    assert!(has("duplicate-field", "4:additions[A].estimate"), "{found:?}");
    assert!(has("unknown-reference", "5:items[A].depends"), "{found:?}");
    assert!(found.iter().any(|(c, _)| c == "dependency-cycle"), "{found:?}");
}
