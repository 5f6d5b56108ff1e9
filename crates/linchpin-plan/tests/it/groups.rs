//! Groups of work in the plan format: what `check` says about them.

use crate::{codes, load, problems};

#[test]
fn groups_nest_hold_their_items_and_stand_for_them_in_dependencies() {
    let plan = load(
        "groups:\n  - { id: CORE, title: Core, kind: workstream }\n  - { id: LEDGER, title: Ledger, kind: epic, parent: CORE }\nitems:\n  - { id: A, title: A, team: payments, estimate: 1, group: LEDGER }\n  - { id: B, title: B, team: payments, estimate: 1, group: CORE }\n  - { id: C, title: C, team: payments, estimate: 1, depends: [CORE] }\nmilestones:\n  - { id: M, title: M, requires: [LEDGER] }\n",
    );
    assert!(codes(&plan).is_empty(), "{:#?}", plan.diagnostics);
    let program = plan.program().expect("valid");
    let keys = program.keys();
    let core = program.group(keys.groups["CORE"]);
    assert_eq!(core.members, vec![keys.items["A"], keys.items["B"]], "its own items and its epic's");
    let c = program.item(keys.items["C"]);
    let waits: Vec<_> = c.depends.iter().map(|d| d.on).collect();
    assert_eq!(waits, vec![keys.items["A"], keys.items["B"]], "a dependency on a group is on all its work");
    assert_eq!(program.milestones()[0].requires, vec![keys.items["A"]]);
}

#[test]
fn a_group_that_names_nothing_or_clashes_is_reported() {
    let plan = load(
        "groups:\n  - { id: A, title: Clash }\n  - { id: LOOP, title: Loop, parent: LOOP }\n  - { id: EMPTY, title: Empty }\nitems:\n  - { id: A, title: A, team: payments, estimate: 1, group: LEDGR }\n  - { id: B, title: B, team: payments, estimate: 1, depends: [{ item: LOOP, type: ss }] }\n  - { id: C, title: C, team: payments, estimate: 1, depends: [EMPTY, NOPE] }\n",
    );
    let found = problems(&plan);
    let has = |code: &str, field: &str| found.iter().any(|(c, _, _, f)| c == code && f == field);
    assert!(has("duplicate-id", "groups[A].id"), "{found:#?}");
    assert!(has("dependency-cycle", "groups[LOOP].parent"), "{found:#?}");
    assert!(has("unknown-reference", "items[A].group"), "{found:#?}");
    assert!(has("unsupported-link", "items[B].depends"), "{found:#?}");
    assert!(has("unknown-reference", "items[C].depends"), "{found:#?}");
    let unknown = plan.diagnostics.iter().find(|d| d.field == "items[C].depends" && d.is_error()).expect("NOPE");
    assert_eq!(unknown.message, "unknown item or group `NOPE`");
    // Fix the errors and the empty group is a warning: the link is dropped.
    let fixed = load(
        "groups:\n  - { id: EMPTY, title: Empty }\nitems:\n  - { id: C, title: C, team: payments, estimate: 1, depends: [EMPTY] }\n",
    );
    assert_eq!(codes(&fixed), vec!["empty-group"]);
    assert!(fixed.program().expect("warnings only").items()[0].depends.is_empty());
}

#[test]
fn a_group_waits_for_what_it_depends_on_with_every_item() {
    let plan = load(
        "groups:\n  - { id: G, title: G, depends: [{ item: X, lag: 2 }] }\nitems:\n  - { id: X, title: X, team: payments, estimate: 1 }\n  - { id: A, title: A, team: payments, estimate: 1, group: G }\n  - { id: B, title: B, team: payments, estimate: 1, group: G, depends: [A] }\n",
    );
    let program = plan.program().expect("valid");
    let keys = program.keys();
    for key in ["A", "B"] {
        let item = program.item(keys.items[key]);
        assert!(item.depends.iter().any(|d| d.on == keys.items["X"] && d.lag == 2.0), "{key} waits on X");
    }
}
