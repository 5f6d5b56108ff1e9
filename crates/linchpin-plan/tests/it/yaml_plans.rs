use linchpin_model::{ContractStatus, ItemStatus, LinkKind};
use linchpin_plan::load_yaml_str;

use crate::{codes, load, problems};

#[test]
fn a_clean_plan_loads_every_section() {
    let plan = load(
        "items:
  - { id: A, title: First, team: payments, estimate: [2, 3, 5] }
  - id: B
    title: Second
    team: ledger
    estimate: { optimistic: 1, likely: 2, pessimistic: 4 }
    depends: [A, { item: A, type: ss, lag: -1 }]
    status: in_progress
    actual_start: 2027-01-11
    remaining: 1.5
systems:
  - { id: ledger-svc, owner: ledger, kind: database }
interfaces:
  - { id: api, provider: { system: ledger-svc }, consumers: [payments], status: agreed, agreed: 2027-01-10 }
milestones:
  - { id: M1, title: Done, requires: [B], target: 2027-03-01 }
",
    );
    assert_eq!(codes(&plan), Vec::<&str>::new());
    let program = plan.program().expect("clean plan");
    assert_eq!(program.items().len(), 2);
    let b = &program.items()[1];
    assert_eq!(b.status, ItemStatus::InProgress);
    assert_eq!(b.remaining, Some(1.5));
    assert_eq!(b.depends.len(), 2);
    assert_eq!(b.depends[1].kind, LinkKind::StartToStart);
    assert_eq!(b.depends[1].lag, -1.0);
    let api = &program.interfaces()[0];
    assert_eq!(program.team(api.provider_team).key, "ledger", "team defaults to the system's owner");
    assert_eq!(api.status, ContractStatus::Agreed);
}

#[test]
fn unknown_fields_suggest_the_intended_one() {
    let plan = load("items:\n  - { id: A, title: T, team: payments, estimate: 1, dependz: [B] }\n");
    let d = &plan.diagnostics[0];
    assert_eq!(d.code, linchpin_model::Code::UnknownField);
    assert_eq!(d.help.as_deref(), Some("did you mean `depends`?"));
    assert_eq!(problems(&plan)[0].1, 9, "line of the field");
}

#[test]
fn unknown_references_suggest_the_closest_id() {
    let plan = load("items:\n  - { id: A, title: T, team: paymnets, estimate: 1 }\n");
    let d = &plan.diagnostics[0];
    assert_eq!(d.message, "unknown team `paymnets`");
    assert_eq!(d.help.as_deref(), Some("did you mean `payments`?"));
    assert_eq!(d.field, "items[A].team");
    assert!(!plan.has_errors() || plan.program().is_none());
}

#[test]
fn every_problem_is_reported_not_only_the_first() {
    let plan = load(
        "items:
  - { id: A, title: T, team: nobody, estimate: [5, 3, 8] }
  - { id: A, title: Again, team: payments, estimate: 1 }
  - { id: C, title: T, team: ledger, estimate: 1, depends: [ghost] }
",
    );
    assert_eq!(codes(&plan), vec!["unknown-reference", "impossible-estimate", "duplicate-id", "unknown-reference"]);
}

#[test]
fn cycles_are_reported_with_the_whole_path() {
    let plan = load(
        "items:
  - { id: A, title: T, team: payments, estimate: 1, depends: [C] }
  - { id: B, title: T, team: payments, estimate: 1, depends: [A] }
  - { id: C, title: T, team: payments, estimate: 1, depends: [B] }
",
    );
    assert_eq!(codes(&plan), vec!["dependency-cycle"]);
    let d = &plan.diagnostics[0];
    assert!(d.message.contains("`A` → `B` → `C` → `A`"), "{}", d.message);
    assert_eq!(d.related.len(), 2, "the other two links are shown");
}

#[test]
fn impossible_estimates_are_errors_and_ordered_ones_are_not() {
    let bad = load("items:\n  - { id: A, title: T, team: payments, estimate: [1, 5, 4] }\n");
    assert_eq!(codes(&bad), vec!["impossible-estimate"]);
    assert!(bad.diagnostics[0].help.as_deref().unwrap_or("").contains("[1, 4, 5]"));
    let negative = load("items:\n  - { id: A, title: T, team: payments, estimate: -1 }\n");
    assert_eq!(codes(&negative), vec!["impossible-estimate"]);
    let equal = load("items:\n  - { id: A, title: T, team: payments, estimate: [4, 4, 4] }\n");
    assert!(codes(&equal).is_empty());
}

#[test]
fn dates_out_of_order_and_actuals_after_the_status_date() {
    let plan = load(
        "items:
  - id: A
    title: T
    team: payments
    estimate: 3
    status: done
    actual_start: 2027-01-12
    actual_finish: 2027-01-11
  - id: B
    title: T
    team: payments
    estimate: 3
    status: in_progress
    actual_start: 2027-01-21
milestones:
  - { id: M, title: T, target: 2026-12-01 }
",
    );
    assert_eq!(codes(&plan), vec!["dates-out-of-order", "actual-after-status-date", "dates-out-of-order"]);
    // The status date itself is allowed.
    let on_the_day = load(
        "items:\n  - { id: A, title: T, team: payments, estimate: 3, status: in_progress, actual_start: 2027-01-20 }\n",
    );
    assert!(codes(&on_the_day).is_empty());
}

#[test]
fn capacity_must_be_positive() {
    let plan = load_yaml_str(
        "plan.yaml",
        "program: { name: T, start: 2027-01-04 }
teams:
  - { id: a, capacity: 0 }
  - { id: b, capacity: -2 }
  - { id: c, capacity: 1, capacity_changes: [{ from: 2027-02-01, people: 0 }] }
",
    );
    assert_eq!(codes(&plan), vec!["capacity-not-positive"; 3]);
}

#[test]
fn wrong_types_say_what_was_expected() {
    let plan = load("items:\n  - { id: A, title: T, team: payments, estimate: \"4\", people: two }\n");
    assert_eq!(codes(&plan), vec!["wrong-type", "wrong-type"]);
    assert_eq!(plan.diagnostics[0].help.as_deref(), Some("remove the quotes to make it a number"));
    assert!(plan.diagnostics[1].message.contains("whole number"));
}

#[test]
fn keywords_accept_aliases_and_suggest_on_typos() {
    let plan = load("items:\n  - { id: A, title: T, team: payments, estimate: 1, status: in_progres }\n");
    assert_eq!(plan.diagnostics[0].help.as_deref(), Some("did you mean `in_progress`?"));
    let alias = load(
        "items:\n  - { id: A, title: T, team: payments, estimate: 1 }\n  - { id: B, title: T, team: payments, estimate: 1, depends: [{ item: A, type: FF }] }\n",
    );
    assert!(codes(&alias).is_empty());
}

#[test]
fn a_missing_program_section_is_explained() {
    let plan = load_yaml_str("plan.yaml", "teams: [{ id: a }]\n");
    assert_eq!(codes(&plan), vec!["missing-program"]);
}

#[test]
fn malformed_yaml_is_one_clear_error() {
    let plan = load_yaml_str("plan.yaml", "program:\n  name: [unclosed\n  start: 2027-01-04\n");
    assert_eq!(codes(&plan), vec!["yaml-syntax"]);
    assert!(plan.program().is_none());
}

#[test]
fn non_utf8_bytes_are_reported_at_their_offset() {
    let mut bytes = b"program: { name: T, start: 2027-01-04 }\n# caf".to_vec();
    bytes.push(0xE9);
    let plan = linchpin_plan::load_yaml_bytes(vec![("plan.yaml".into(), bytes)]);
    assert_eq!(problems(&plan), vec![("not-utf8".to_owned(), 2, 6, String::new())]);
}

#[test]
fn risks_decisions_and_interfaces_are_checked() {
    let plan = load(
        "items:
  - { id: A, title: T, team: payments, estimate: 1 }
risks:
  - { id: R1, title: T, likelihood: 6, impact: 3, affects: [A, M9], schedule_impact: { probability: 30, delay: [1, 2, 3] } }
decisions:
  - id: D1
    question: Q?
    criteria: [{ name: cost }]
    options: [{ id: x, scores: { cots: 3 } }]
    chosen: y
    blocks: [A]
interfaces:
  - { id: api, provider: { team: ledger }, consumers: [payments], status: draft, agreed: 2027-01-01 }
",
    );
    assert_eq!(
        codes(&plan),
        vec![
            "out-of-range",
            "unknown-reference",
            "out-of-range",
            "unknown-reference",
            "unknown-reference",
            "agreed-date-on-draft"
        ]
    );
    let probability = &plan.diagnostics[2];
    assert_eq!(probability.help.as_deref(), Some("write it as a fraction: `0.3`"));
}

#[test]
fn the_example_program_is_clean() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/platform-migration");
    let plan = linchpin_plan::load_path(root.as_ref(), &Default::default()).expect("readable");
    assert_eq!(codes(&plan), Vec::<&str>::new());
    let program = plan.program().expect("loads");
    assert!((7..=9).contains(&program.teams().len()));
    assert!((120..=200).contains(&program.items().len()));
    assert!(program.milestones().len() >= 8);
    assert!(program.systems().len() >= 15);
    assert!(program.interfaces().len() >= 10);
    assert!(program.interfaces().iter().any(|i| i.status == ContractStatus::Draft));
    assert!(program.risks().len() >= 15);
    assert!(program.decisions().len() >= 6);
    assert!(!program.blockers().is_empty());
    assert!(program.updates().len() >= 4);
}

#[test]
fn a_syntax_error_beside_a_multibyte_character_has_a_printable_span() {
    // Found by fuzzing: the span's end fell inside a two-byte character.
    let plan = load_yaml_str("plan.yaml", "items:\n  - id: A\n   \u{74b}eam: c\n");
    assert_eq!(codes(&plan), vec!["yaml-syntax"]);
    let span = plan.sources.span(plan.diagnostics[0].origin).expect("a span");
    assert!(plan.sources.get(span.source).text.get(span.range()).is_some());
}

#[test]
fn durations_and_lags_beyond_forty_years_are_typos_not_plans() {
    let plan = load(
        "items:\n  - { id: A, title: a, team: payments, estimate: 1000000000 }\n  - { id: B, title: b, team: payments, estimate: 3, depends: [{ item: A, lag: -20000 }] }\n  - { id: C, title: c, team: payments, estimate: [1, 2, 10000] }\n",
    );
    assert_eq!(
        problems(&plan),
        [
            ("out-of-range".to_owned(), 9, 50, "items[A].estimate".to_owned()),
            ("out-of-range".to_owned(), 10, 79, "items[B].depends".to_owned()),
        ]
    );
    assert!(plan.diagnostics[0].message.contains("1000000000 working days is implausible"));
    // Exactly forty years (10,000 working days) is allowed: C is not reported.
}
