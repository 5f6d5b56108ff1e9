use serde_json::json;

use super::*;

fn split(text: &str) -> Result<Vec<Entity>, Box<Diagnostic>> {
    entities(&[("plan.yaml".to_owned(), text.to_owned())])
}

fn keys(entities: &[Entity]) -> Vec<(Kind, &str)> {
    entities.iter().map(|e| (e.kind, e.key.as_str())).collect()
}

fn load(bodies: &[(Kind, Value)]) -> Plan {
    load_entities(bodies.iter().map(|(kind, body)| (*kind, body)))
}

const PROGRAM: &str = "program: { name: P, start: 2027-01-04 }\nteams: [{ id: web }]\n";

#[test]
fn kinds_are_the_plan_sections_in_order() {
    let sections: Vec<&str> = Kind::ALL.iter().map(|k| k.section()).collect();
    assert_eq!(sections, PlanDoc::FIELDS);
    for kind in Kind::ALL {
        assert_eq!(kind.as_str().parse::<Kind>(), Ok(kind));
        assert_eq!(Kind::from_section(kind.section()), Some(kind));
        assert_eq!(kind.to_string(), kind.as_str());
    }
    assert_eq!("items".parse::<Kind>(), Err(UnknownKind("items".to_owned())));
    assert_eq!(Kind::Person.section(), "people");
    let singletons: Vec<Kind> = Kind::ALL.into_iter().filter(|k| k.is_singleton()).collect();
    assert_eq!(singletons, [Kind::Program, Kind::Findings, Kind::Baseline]);
}

#[test]
fn keys_are_ids_or_what_a_user_would_recognise() {
    assert_eq!(key_of(Kind::Item, &json!({ "id": "PAY-3", "title": "x" })), "PAY-3");
    assert_eq!(key_of(Kind::Team, &json!({ "id": 12 })), "12");
    assert_eq!(key_of(Kind::Item, &json!({ "title": "no id" })), "item");
    assert_eq!(key_of(Kind::Program, &json!({ "name": "P" })), "program");
    assert_eq!(key_of(Kind::Blocker, &json!({ "item": "IDN-3", "raised": "2026-10-28" })), "IDN-3@2026-10-28");
    assert_eq!(key_of(Kind::Blocker, &json!({ "description": "x" })), "blocker");
    assert_eq!(key_of(Kind::Update, &json!({ "date": "2026-11-20", "team": "payments" })), "payments@2026-11-20");
    assert_eq!(key_of(Kind::Update, &json!({ "date": "2026-11-20", "item": "PAY-3" })), "PAY-3@2026-11-20");
    assert_eq!(key_of(Kind::Update, &json!({ "date": "2026-11-20", "health": "red" })), "2026-11-20");
    assert_eq!(key_of(Kind::Stakeholder, &json!({ "name": "Daniel Park" })), "Daniel Park");
    assert_eq!(key_of(Kind::Addition, &json!({ "item": "CHK-6" })), "CHK-6");
    let long = "n".repeat(1000);
    assert_eq!(key_of(Kind::Stakeholder, &json!({ "name": long })).chars().count(), MAX_KEY_CHARS);
    let taken = ["a", "a~2"];
    assert_eq!(unique_key("a".to_owned(), |k| taken.contains(&k)), "a~3");
    assert_eq!(unique_key("b".to_owned(), |k| taken.contains(&k)), "b");
}

#[test]
fn entries_split_in_order_with_unique_keys() {
    let text = "
program: { name: P, start: 2027-01-04 }
updates:
  - { date: 2027-01-08, team: web, health: green }
  - { date: 2027-01-08, team: web, health: amber }
  - { date: 2027-01-08, health: green }
teams: [{ id: web }, { id: api }]
";
    let entities = split(text).expect("entities");
    assert_eq!(
        keys(&entities),
        [
            (Kind::Program, "program"),
            (Kind::Update, "web@2027-01-08"),
            (Kind::Update, "web@2027-01-08~2"),
            (Kind::Update, "2027-01-08"),
            (Kind::Team, "web"),
            (Kind::Team, "api"),
        ]
    );
    assert_eq!(entities[0].body, json!({ "name": "P", "start": "2027-01-04" }));
}

#[test]
fn values_are_kept_as_the_plan_file_wrote_them() {
    let text = "
items:
  - id: 007
    title: 1.10
    team: web
    estimate: [3, 5.0, 1e1]
    remaining: 2.50
    people: 2
    status: in_progress
    actual_start: 2027-01-05
    depends: [008, { item: 009, lag: -0, type: ss }]
    tags: [true, null, '12']
    unknown_field: 1.50
";
    let entities = split(text).expect("entities");
    assert_eq!(entities[0].key, "007");
    let body = &entities[0].body;
    assert_eq!(body["id"], json!("007"));
    assert_eq!(body["title"], json!("1.10"));
    assert_eq!(body["estimate"], json!([3, 5.0, 10.0]));
    assert_eq!(body["remaining"], json!(2.5));
    assert_eq!(body["people"], json!(2));
    assert_eq!(body["actual_start"], json!("2027-01-05"));
    assert_eq!(body["depends"][0], json!("008"));
    assert_eq!(body["depends"][1]["item"], json!("009"));
    assert_eq!(body["depends"][1]["lag"].as_f64().map(f64::is_sign_negative), Some(true));
    assert_eq!(body["tags"], json!(["true", null, "12"]));
    assert_eq!(body["unknown_field"], json!("1.50"), "not a place for numbers, and not JSON's way of writing one");
}

#[test]
fn what_entities_cannot_carry_is_an_error_not_a_loss() {
    let unknown = split("program: { name: P, start: 2027-01-04 }\nitmes: []\n").expect_err("a typo");
    assert_eq!(unknown.code, Code::UnknownField);
    assert_eq!(unknown.help.as_deref(), Some("did you mean `items`?"));
    assert_eq!(unknown.origin, linchpin_model::Origin::Span(Span::new(SourceId(0), 40, 45)));

    let twice = split("teams: [{ id: a }]\nteams: [{ id: b }]\n").expect_err("a section twice");
    assert_eq!(twice.code, Code::DuplicateField);

    let not_a_list = split("teams: { id: a }\n").expect_err("not a list");
    assert_eq!((not_a_list.code, not_a_list.field.as_str()), (Code::WrongType, "teams"));

    let field_twice = split("items:\n  - { id: A, title: x, title: y }\n").expect_err("a field twice");
    assert_eq!((field_twice.code, field_twice.field.as_str()), (Code::DuplicateField, "items[A]"));

    let deep_twice =
        split("decisions:\n  - id: D\n    options: [{ id: o, scores: { cost: 1, cost: 2 } }]\n").expect_err("nested");
    assert_eq!(deep_twice.field, "decisions[D].options[o].scores");

    let list = split("- a\n- b\n").expect_err("not a mapping");
    assert_eq!(list.code, Code::WrongType);

    let bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n";
    let mut bomb = bomb.to_owned();
    for level in 2..12u8 {
        let (prev, this) = ((b'a' + level - 1) as char, (b'a' + level) as char);
        bomb.push_str(&format!("{this}: &{this} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
    }
    assert_eq!(split(&bomb).expect_err("the parser's caps hold").code, Code::TooLarge);

    let second = entities(&[
        ("a.yaml".to_owned(), PROGRAM.to_owned()),
        ("b.yaml".to_owned(), "teams: [{ id: x }]\nmilestones: oops\n".to_owned()),
    ])
    .expect_err("in the second file");
    assert!(matches!(second.origin, linchpin_model::Origin::Span(span) if span.source == SourceId(1)));

    assert!(split("").expect("an empty file").is_empty());
    assert!(split("# nothing\n").expect("a comment").is_empty());
}

#[test]
fn quoted_dates_and_json_numbers_load_as_the_plan_would() {
    let bodies = [
        (Kind::Program, json!({ "name": "P", "start": "2027-01-04", "status_date": "2027-01-11" })),
        (Kind::Team, json!({ "id": "web", "capacity": 2, "holidays": ["2027-01-06", { "date": "2027-01-07" }] })),
        (
            Kind::Item,
            json!({ "id": "A", "title": "T", "team": "web", "estimate": [1, 2.5, 4], "status": "in_progress",
                    "actual_start": "2027-01-05", "remaining": 1.5, "depends": [] }),
        ),
    ];
    let plan = load(&bodies);
    let program = plan.program().unwrap_or_else(|| panic!("{:#?}", plan.diagnostics));
    assert_eq!(program.start(), chrono::NaiveDate::from_ymd_opt(2027, 1, 4).expect("a date"));
    assert_eq!(program.items()[0].likely_days(), 2.5);
    assert_eq!(program.items()[0].actual_start, chrono::NaiveDate::from_ymd_opt(2027, 1, 5));
}

#[test]
fn a_bad_body_gets_the_plan_files_diagnostics_and_field_paths() {
    let bodies = [
        (Kind::Program, json!({ "name": "P", "start": "2027-01-04" })),
        (Kind::Team, json!({ "id": "web" })),
        (Kind::Item, json!({ "id": "A", "title": "T", "team": "web", "estimate": 1, "depends": ["B"], "colour": 1 })),
        (Kind::Item, json!({ "id": "B", "title": "T", "team": "web", "estimate": "3", "people": 1.5 })),
    ];
    let plan = load(&bodies);
    let mut found: Vec<(&str, &str)> = plan.diagnostics.iter().map(|d| (d.code.as_str(), d.field.as_str())).collect();
    found.sort();
    assert_eq!(
        found,
        [("unknown-field", "items[A]"), ("wrong-type", "items[B].estimate"), ("wrong-type", "items[B].people")]
    );
    let quoted_number = plan.diagnostics.iter().find(|d| d.field == "items[B].estimate").expect("the estimate");
    assert!(quoted_number.message.contains("must be"), "{}", quoted_number.message);
}

#[test]
fn no_entities_is_a_plan_without_a_program() {
    let plan = load(&[]);
    assert_eq!(plan.diagnostics.len(), 1);
    assert_eq!(plan.diagnostics[0].code, Code::MissingProgram);
}

#[test]
fn a_singleton_given_twice_is_reported_or_merged_as_two_files_would_be() {
    let program = json!({ "name": "P", "start": "2027-01-04" });
    let two_programs = load(&[(Kind::Program, program.clone()), (Kind::Program, program.clone())]);
    assert!(two_programs.diagnostics.iter().any(|d| d.code == Code::DuplicateProgram));

    let accepted = |finding: &str| json!({ "accepted": [{ "finding": finding, "reason": "r", "owner": "o" }] });
    let bodies = [
        (Kind::Program, program),
        (Kind::Team, json!({ "id": "web" })),
        (Kind::Findings, accepted("over_committed_team:web")),
        (Kind::Item, json!({ "id": "A", "title": "T", "team": "web", "estimate": 1 })),
        (Kind::Findings, accepted("stale_status:A")),
    ];
    let plan = load(&bodies);
    assert!(!plan.has_errors(), "{:#?}", plan.diagnostics);
    assert_eq!(plan.program().map(|p| p.accepted_findings().len()), Some(2));
    let files = plan_folder(bodies.iter().map(|(k, b)| (*k, b)));
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["program.yaml", "teams.yaml", "items.yaml", "findings.yaml", "findings_2.yaml"]);
}

#[test]
fn a_body_nested_past_the_parsers_limit_is_refused_without_deep_recursion() {
    let mut deep = json!("x");
    for _ in 0..10_000 {
        deep = Value::Array(vec![deep]);
    }
    // Not through `json!`, which would copy the value by serialising it, recursively.
    let mut program = json!({ "name": "P", "start": "2027-01-04" });
    program["goal"] = deep;
    let bodies = [(Kind::Program, program)];
    let plan = load(&bodies);
    assert!(plan.diagnostics.iter().any(|d| d.code == Code::TooDeep), "{:#?}", plan.diagnostics);
    let files = plan_folder(bodies.iter().map(|(k, b)| (*k, b)));
    assert!(files[0].1.len() < 10_000);
    let written = load_yaml_bytes(files.into_iter().map(|(n, t)| (PathBuf::from(n), t.into_bytes())).collect());
    assert!(written.diagnostics.iter().any(|d| d.code == Code::TooDeep), "{:#?}", written.diagnostics);
    // Dropping a value this deep is itself recursive: take it apart from the outside.
    let [(_, mut body)] = bodies;
    let mut value = body["goal"].take();
    while let Value::Array(mut inner) = value {
        value = inner.pop().unwrap_or(Value::Null);
    }
}

#[test]
fn a_plan_folder_is_block_yaml_in_the_declared_order() {
    let text = "
program:
  start: 2027-01-04
  name: Payments
  calendar: { holidays: [2027-01-06, { name: Offsite, date: 2027-01-07 }] }
teams: [{ capacity: 2, id: web, name: Web team }]
items:
  - title: \"Cart: \\\"v2\\\" \\u202e\"
    id: A-1
    team: web
    estimate: [1, 2, 4]
    depends: [{ lag: 2, item: A-0 }, A-2]
    tags: [one, two]
";
    let entities = split(text).expect("entities");
    let files = plan_folder(entities.iter().map(|e| (e.kind, &e.body)));
    let written: Vec<String> = files.iter().map(|(name, text)| format!("# {name}\n{text}")).collect();
    assert_eq!(
        written.concat(),
        r#"# program.yaml
program:
  name: Payments
  start: 2027-01-04
  calendar:
    holidays:
      - 2027-01-06
      - { date: 2027-01-07, name: Offsite }
# teams.yaml
teams:
  - { id: web, name: Web team, capacity: 2 }
# items.yaml
items:
  - id: A-1
    title: "Cart: \"v2\" \u202E"
    team: web
    estimate: [1, 2, 4]
    depends:
      - { item: A-0, lag: 2 }
      - A-2
    tags: [one, two]
"#
    );
}

#[test]
fn a_diagnostic_without_an_id_in_its_path_is_traced_to_its_entry() {
    let program = json!({ "name": "P", "start": "2027-01-04", "status_date": "2027-01-20" });
    let blocker = |raised: &str| json!({ "item": "A", "description": "d", "raised": raised });
    let bodies = [
        (Kind::Program, program.clone()),
        (Kind::Team, json!({ "id": "web" })),
        (Kind::Item, json!({ "id": "A", "title": "T", "team": "web", "estimate": 1 })),
        (Kind::Blocker, blocker("2027-01-05")),
        (Kind::Blocker, blocker("2027-02-01")),
        (Kind::Blocker, blocker("2027-01-06")),
        (Kind::Program, program),
    ];
    let plan = load(&bodies);
    let late =
        plan.diagnostics.iter().find(|d| d.field == "blockers.raised").expect("a raised date after the status date");
    assert_eq!(entry_of(&plan, late.origin), Some((Kind::Blocker, 1)));
    let second = plan.diagnostics.iter().find(|d| d.code == Code::DuplicateProgram).expect("a second program");
    assert_eq!(entry_of(&plan, second.origin), Some((Kind::Program, 1)));
    assert_eq!(entry_of(&plan, second.related[0].0), Some((Kind::Program, 0)));
    assert_eq!(entry_of(&plan, linchpin_model::Origin::Unknown), None);

    let missing = load(&[]);
    assert_eq!(entry_of(&missing, missing.diagnostics[0].origin), None);
    let file = crate::load_yaml_str("plan.yaml", "teams: [{ id: web }]\n");
    assert_eq!(entry_of(&file, file.diagnostics[0].origin), None, "not a plan of entities");
}

/// What a caller can see of a load: each diagnostic as the server answers
/// it (with the entry it is traced to), in order, and the program it
/// resolved to.
fn seen(plan: &Plan) -> (Vec<String>, Option<String>) {
    let diagnostics = plan
        .diagnostics
        .iter()
        .map(|d| {
            let related: Vec<_> = d.related.iter().map(|(o, m)| (entry_of(plan, *o), m.clone())).collect();
            format!(
                "{:?} {} {:?} {:?} {:?} {:?} {related:?}",
                d.severity,
                d.code.as_str(),
                d.message,
                d.field,
                d.help,
                entry_of(plan, d.origin)
            )
        })
        .collect();
    (diagnostics, plan.program().map(|p| format!("{p:?}")))
}

fn example_bodies() -> Vec<(Kind, Value)> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/platform-migration");
    let files = crate::yaml_files(&root).expect("the example's files");
    let texts: Vec<(String, String)> = files
        .into_iter()
        .map(|(p, bytes)| (p.display().to_string(), String::from_utf8(bytes).expect("UTF-8")))
        .collect();
    entities(&texts).expect("the example splits").into_iter().map(|e| (e.kind, e.body)).collect()
}

#[test]
fn the_entry_cache_loads_as_the_generated_document_does() {
    let program = json!({ "name": "P", "start": "2027-01-04", "status_date": "2027-01-20" });
    let blocker = |raised: &str| json!({ "item": "A", "description": "d", "raised": raised });
    let example = example_bodies();
    let mut cases: Vec<Vec<(Kind, Value)>> = vec![
        Vec::new(),
        vec![(Kind::Team, json!({ "id": "web" }))],
        vec![(Kind::Program, json!({ "name": "P" })), (Kind::Team, json!({ "id": "web" }))],
        vec![(Kind::Program, Value::Null), (Kind::Item, Value::Null)],
        vec![(Kind::Program, json!({})), (Kind::Program, json!({}))],
        vec![
            (Kind::Program, program.clone()),
            (Kind::Team, json!({ "id": "web" })),
            (Kind::Item, json!({ "id": "A", "title": "T", "team": "web", "estimate": 1, "depends": ["B"], "x": 1 })),
            (Kind::Item, json!({ "id": "B", "title": "T", "team": "web", "estimate": "3", "people": 1.5 })),
            (Kind::Item, json!({ "id": "A", "title": "T", "team": "nope", "estimate": 2 })),
            (Kind::Blocker, blocker("2027-01-05")),
            (Kind::Blocker, blocker("2027-02-01")),
            (Kind::Blocker, json!({ "item": "Z" })),
            (Kind::Findings, json!({ "accepted": [{ "finding": "f", "reason": "r", "owner": "o" }] })),
            (Kind::Program, program.clone()),
            (Kind::Findings, json!({ "accepted": [{ "finding": "g" }] })),
        ],
        example.clone(),
    ];
    // The example with one thing wrong at a time, at its start, middle and end.
    for at in [0, example.len() / 2, example.len() - 1] {
        let mut broken = example.clone();
        broken[at].1["colour"] = json!("blue");
        cases.push(broken);
        let mut fewer = example.clone();
        fewer.remove(at);
        cases.push(fewer);
    }
    let mut deep = json!(1);
    for _ in 0..70 {
        deep = Value::Array(vec![deep]);
    }
    let mut too_deep = example.clone();
    too_deep[3].1["deep"] = deep;
    cases.push(too_deep);
    let layout = EntryCache::new().load(example.iter().map(|(k, b)| (*k, b)));
    assert_eq!(layout.sources.files().len(), example.len(), "a file per entry, not the plain load");
    // One cache through every case in turn, as the server keeps one per
    // program, and a fresh one for each.
    let mut kept = EntryCache::new();
    for (n, case) in cases.iter().enumerate() {
        let plain = seen(&load(case));
        assert_eq!(seen(&EntryCache::new().load(case.iter().map(|(k, b)| (*k, b)))), plain, "case {n}, fresh");
        assert_eq!(seen(&kept.load(case.iter().map(|(k, b)| (*k, b)))), plain, "case {n}, kept");
        assert_eq!(seen(&kept.load(case.iter().map(|(k, b)| (*k, b)))), plain, "case {n}, again");
    }
}

/// The server's way: one cache, bodies shared between loads, one entity
/// changed at a time (patched into the documents kept), and a load from
/// freshly read rows (equal bodies in new allocations) now and then.
#[test]
fn the_entry_cache_patches_shared_bodies_as_a_plain_load_reads_them() {
    use std::sync::Arc;
    struct Row(Value);
    impl AsRef<Value> for Row {
        fn as_ref(&self) -> &Value {
            &self.0
        }
    }
    let share = |kind: Kind, body: Value| (kind, Arc::new(Row(body)) as SharedBody);
    let mut bodies: Vec<(Kind, SharedBody)> = example_bodies().into_iter().map(|(k, b)| share(k, b)).collect();
    let items: Vec<usize> = (0..bodies.len()).filter(|&n| bodies[n].0 == Kind::Item).collect();
    let program = bodies.iter().position(|(k, _)| *k == Kind::Program).expect("a program");
    let mut kept = EntryCache::new();
    let check = |kept: &mut EntryCache, bodies: &[(Kind, SharedBody)], step: &str| {
        let plain = seen(&load(&bodies.iter().map(|(k, b)| (*k, body_of(b).clone())).collect::<Vec<_>>()));
        assert_eq!(seen(&kept.load_shared(bodies.iter().map(|(k, b)| (*k, b)))), plain, "{step}");
        plain
    };
    let first = check(&mut kept, &bodies, "first load");
    assert!(first.1.is_some(), "the example resolves");
    let edit = |bodies: &mut Vec<(Kind, SharedBody)>, at: usize, change: &dyn Fn(&mut Value)| {
        let mut body = body_of(&bodies[at].1).clone();
        change(&mut body);
        bodies[at] = share(bodies[at].0, body);
    };
    let team = body_of(&bodies[items[3]].1)["team"].clone();
    type Change = Box<dyn Fn(&mut Value)>;
    let steps: Vec<(&str, usize, Change)> = vec![
        ("remaining", items[1], Box::new(|b| b["remaining"] = json!(4))),
        ("status", items[2], Box::new(|b| b["status"] = json!("in_progress"))),
        ("an unknown team", items[3], Box::new(|b| b["team"] = json!("nobody"))),
        ("the team back", items[3], Box::new(move |b| b["team"] = team.clone())),
        ("an undecodable item", items[4], Box::new(|b| *b = Value::Null)),
        ("the item back", items[4], Box::new(|b| *b = json!({ "id": "NEW-1", "title": "T", "team": "ledger" }))),
        ("the status date", program, Box::new(|b| b["status_date"] = json!("2027-03-01"))),
        ("a field the format lacks", items[0], Box::new(|b| b["colour"] = json!("blue"))),
        ("the field gone", items[0], Box::new(|b| drop(b.as_object_mut().map(|o| o.remove("colour"))))),
    ];
    for (step, at, change) in &steps {
        edit(&mut bodies, *at, change.as_ref());
        check(&mut kept, &bodies, step);
        check(&mut kept, &bodies, &format!("{step}, again"));
    }
    // Read again: every body equal, none the same allocation.
    let reread: Vec<(Kind, SharedBody)> = bodies.iter().map(|(k, b)| share(*k, body_of(b).clone())).collect();
    check(&mut kept, &reread, "read again");
    let mut fewer = reread.clone();
    fewer.remove(items[5]);
    check(&mut kept, &fewer, "an item deleted");
    check(&mut kept, &reread, "the item back");
}
