//! Every input has a bound, refused with a clear diagnostic at the text that
//! passes it, and nothing just inside a bound is refused.

use linchpin_model::resolve::{MAX_DEPENDENCIES_PER_ITEM, MAX_ID_CHARS};
use linchpin_plan::load_yaml_str;

use crate::{codes, load, problems};

#[test]
fn an_id_longer_than_the_limit_is_one_error_and_references_to_it_still_resolve() {
    let long = "X".repeat(MAX_ID_CHARS + 1);
    let plan = load(&format!(
        "items:\n  - {{ id: {long}, title: t, team: payments, estimate: 1 }}\n  - {{ id: B, title: t, team: payments, estimate: 1, depends: [{long}] }}\n"
    ));
    assert_eq!(codes(&plan), ["too-large"], "no unknown-reference on top: {:#?}", plan.diagnostics);
    assert_eq!(problems(&plan)[0].1, 9, "points at the line of the id");
    assert!(plan.diagnostics[0].message.contains("101 characters"), "{}", plan.diagnostics[0].message);
    assert!(plan.diagnostics[0].message.len() < 120, "the message quotes only the id's start");
    // Teams, groups and the other registries are held to it too.
    let team =
        load_yaml_str("t.yaml", &format!("program: {{ name: T, start: 2027-01-04 }}\nteams:\n  - {{ id: {long} }}\n"));
    assert_eq!(codes(&team), ["too-large"]);
    let at = "X".repeat(MAX_ID_CHARS);
    assert!(!load(&format!("items:\n  - {{ id: {at}, title: t, team: payments, estimate: 1 }}\n")).has_errors());
}

#[test]
fn an_item_may_list_at_most_ten_thousand_dependencies() {
    let deps = |n: usize| vec!["A"; n].join(", ");
    let plan = |n: usize| {
        load(&format!(
            "items:\n  - {{ id: A, title: t, team: payments, estimate: 1 }}\n  - {{ id: B, title: t, team: payments, estimate: 1, depends: [{}] }}\n",
            deps(n)
        ))
    };
    assert!(!plan(MAX_DEPENDENCIES_PER_ITEM).has_errors());
    let over = plan(MAX_DEPENDENCIES_PER_ITEM + 1);
    assert_eq!(codes(&over), ["too-large"]);
    assert_eq!(over.diagnostics[0].field, "items[B].depends");
}

#[test]
fn dates_outside_the_years_1900_to_9999_are_refused_where_they_are_written() {
    let plan = load("items:\n  - { id: A, title: t, team: payments, estimate: 1, not_before: 0202-03-01 }\n");
    assert_eq!(codes(&plan), ["date-out-of-range"]);
    assert_eq!(plan.diagnostics[0].field, "items[A].not_before");
    let start = load_yaml_str("t.yaml", "program: { name: T, start: 0000-01-04 }\n");
    assert_eq!(codes(&start), ["date-out-of-range"], "and no missing-program on top");
    let sign = load_yaml_str("t.yaml", "program: { name: T, start: +10000-01-04 }\n");
    assert_eq!(codes(&sign), ["wrong-type"]);
}

/// A folder's size bound counts a file about to be rewritten at its new
/// size: a re-import that shrinks its generated file is not refused for
/// the size of the file it replaces, and one that grows past the bound is.
#[test]
fn a_folder_as_written_counts_the_new_texts_in_place_of_the_old() {
    use linchpin_plan::{LoadError, MAX_YAML_BYTES, folder_as_written};
    let dir = std::env::temp_dir().join(format!("linchpin-as-written-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("generated")).expect("mkdir");
    let comment = |bytes: u64| format!("# {}\n", "x".repeat(bytes as usize - 3));
    let own = dir.join("program.yaml");
    let old = dir.join("generated/jira.yaml");
    std::fs::write(&own, comment(MAX_YAML_BYTES * 5 / 8)).expect("write");
    std::fs::write(&old, comment(MAX_YAML_BYTES * 5 / 8)).expect("write");

    let small = b"teams: [{ id: t, capacity: 1 }]\n".to_vec();
    let files =
        folder_as_written(&dir, vec![(old.clone(), small.clone())]).expect("fits once the old file is replaced");
    assert_eq!(files.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>(), vec![old.clone(), own.clone()]);
    assert_eq!(files[0].1, small, "the new text, not the old file's");

    let large = comment(MAX_YAML_BYTES / 2).into_bytes();
    let refused = folder_as_written(&dir, vec![(old.clone(), large)]);
    assert!(matches!(refused, Err(LoadError::FolderTooLarge { .. })), "{refused:?}");

    // A folder not there yet holds only what is written.
    let new = dir.join("new");
    let files = folder_as_written(&new, vec![(new.join("a.yaml"), small.clone())]).expect("a new folder");
    assert_eq!(files.len(), 1);
    let _ = std::fs::remove_dir_all(&dir);
}
