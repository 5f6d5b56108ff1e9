//! Findings on random plans: never a panic, every finding explains itself,
//! ids are unique (whatever names the plan's entities share) and accepting
//! them by those ids accepts exactly them, and the risk entries they become
//! have unique ids too.

use std::collections::HashSet;
use std::fmt::Write as _;

use linchpin_findings::render::words;
use linchpin_findings::risks::as_risks;
use proptest::prelude::*;

use crate::analyse_program;

/// An item: (team, estimate or none, status 0..3, owner?, predecessors, systems, interface?).
type ItemSpec = (usize, Option<(u8, u8, u8)>, u8, bool, Vec<usize>, Vec<usize>, Option<usize>);

/// Every kind of entity draws its keys from this one pool, so a team, a
/// system, an interface, an item and a decision are often called alike.
const POOL: [&str; 16] = [
    "ledger", "api", "core", "auth", "db", "pay", "search", "web", "mobile", "queue", "cache", "infra", "data", "ops",
    "edge", "risk",
];

/// Keys in pool order (so the first of every kind share a name), or shuffled.
fn keys() -> impl Strategy<Value = Vec<&'static str>> {
    prop_oneof![3 => Just(POOL.to_vec()), 1 => Just(POOL.to_vec()).prop_shuffle()]
}

/// The keys of each kind; items and milestones may not share one, so
/// milestones take the pool's names the items leave.
#[derive(Clone, Debug)]
struct Names {
    teams: Vec<&'static str>,
    systems: Vec<&'static str>,
    interfaces: Vec<&'static str>,
    items: Vec<&'static str>,
    decisions: Vec<&'static str>,
}

impl Names {
    fn milestone(&self, m: usize, items: usize) -> &'static str {
        self.items[items + m]
    }
}

#[derive(Clone, Debug)]
struct Spec {
    names: Names,
    capacities: Vec<u32>,
    items: Vec<ItemSpec>,
    /// Each system's dependencies (cycles allowed: runtime graphs have them).
    systems: Vec<Vec<usize>>,
    /// (status 0..4, defined_by item?)
    interfaces: Vec<(u8, Option<usize>)>,
    /// (required items, target offset in days)
    milestones: Vec<(Vec<usize>, u16)>,
    /// Items a decision blocks.
    decisions: Vec<Vec<usize>>,
    /// (item, days before the status date it was raised)
    blockers: Vec<(usize, u8)>,
}

fn spec() -> impl Strategy<Value = Spec> {
    (1usize..4, 1usize..12, 0usize..5, 0usize..3).prop_flat_map(|(teams, items, systems, interfaces)| {
        let item = move |i: usize| {
            let preds = if i == 0 { Just(Vec::new()).boxed() } else { prop::collection::vec(0..i, 0..3).boxed() };
            let systems =
                if systems == 0 { Just(Vec::new()).boxed() } else { prop::collection::vec(0..systems, 0..3).boxed() };
            let interface = if interfaces == 0 { Just(None).boxed() } else { prop::option::of(0..interfaces).boxed() };
            (
                0..teams,
                prop::option::weighted(0.9, (0u8..4, 0u8..6, 0u8..8)),
                0u8..3,
                any::<bool>(),
                preds,
                systems,
                interface,
            )
        };
        let names =
            (keys(), keys(), keys(), keys(), keys()).prop_map(|(teams, systems, interfaces, items, decisions)| Names {
                teams,
                systems,
                interfaces,
                items,
                decisions,
            });
        (
            names,
            prop::collection::vec(1u32..4, teams),
            (0..items).map(item).collect::<Vec<_>>(),
            prop::collection::vec(prop::collection::vec(0..systems.max(1), 0..3), systems),
            prop::collection::vec((0u8..4, prop::option::of(0..items)), interfaces),
            prop::collection::vec((prop::collection::vec(0..items, 1..3), 0u16..80), 0..3),
            prop::collection::vec(prop::collection::vec(0..items, 0..3), 0..3),
            prop::collection::vec((0..items, 0u8..10), 0..3),
        )
            .prop_map(|(names, capacities, items, systems, interfaces, milestones, decisions, blockers)| {
                Spec { names, capacities, items, systems, interfaces, milestones, decisions, blockers }
            })
    })
}

fn day(offset: i64) -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2027, 1, 4).expect("date") + chrono::Duration::days(offset)
}

fn yaml(spec: &Spec) -> String {
    let n = &spec.names;
    let status_date = day(14);
    let mut t = format!("program: {{ name: R, start: 2027-01-04, status_date: {status_date} }}\nteams:\n");
    for (i, c) in spec.capacities.iter().enumerate() {
        let _ = writeln!(t, "  - {{ id: {}, lead: L{i}, capacity: {c} }}", n.teams[i]);
    }
    if !spec.systems.is_empty() {
        t.push_str("systems:\n");
        for (s, deps) in spec.systems.iter().enumerate() {
            let deps: Vec<&str> = deps.iter().filter(|d| **d < spec.systems.len()).map(|d| n.systems[*d]).collect();
            let _ = writeln!(
                t,
                "  - {{ id: {}, owner: {}, depends_on: [{}] }}",
                n.systems[s],
                n.teams[s % spec.capacities.len()],
                deps.join(", ")
            );
        }
    }
    if !spec.interfaces.is_empty() {
        t.push_str("interfaces:\n");
        for (f, (status, defined_by)) in spec.interfaces.iter().enumerate() {
            let status = ["draft", "proposed", "agreed", "frozen"][*status as usize];
            let agreed = if matches!(status, "agreed" | "frozen") { ", agreed: 2027-01-05" } else { "" };
            let defined = defined_by.map_or(String::new(), |d| format!(", defined_by: {}", n.items[d]));
            let _ = writeln!(
                t,
                "  - {{ id: {}, provider: {{ team: {} }}, status: {status}{agreed}{defined} }}",
                n.interfaces[f], n.teams[0]
            );
        }
    }
    t.push_str("items:\n");
    for (i, (team, estimate, status, owner, preds, systems, interface)) in spec.items.iter().enumerate() {
        let _ = write!(t, "  - {{ id: {}, title: x, team: {}", n.items[i], n.teams[*team]);
        if let Some((o, extra, more)) = estimate {
            let _ = write!(t, ", estimate: [{o}, {}, {}]", o + extra, o + extra + more);
        }
        match status {
            1 => {
                let _ = write!(t, ", status: in_progress, actual_start: {}", day(7));
            }
            2 => {
                let _ = write!(t, ", status: done, actual_start: {}, actual_finish: {}", day(1), day(8));
            }
            _ => {}
        }
        if *owner {
            let _ = write!(t, ", owner: O{i}");
        }
        let preds: Vec<&str> = preds.iter().map(|p| n.items[*p]).collect();
        let systems: Vec<&str> = systems.iter().map(|s| n.systems[*s]).collect();
        let _ = write!(t, ", depends: [{}], systems: [{}]", preds.join(", "), systems.join(", "));
        if let Some(f) = interface {
            let _ = write!(t, ", interfaces: [{}]", n.interfaces[*f]);
        }
        t.push_str(" }\n");
    }
    if !spec.milestones.is_empty() {
        t.push_str("milestones:\n");
        for (m, (requires, target)) in spec.milestones.iter().enumerate() {
            let requires: Vec<&str> = requires.iter().map(|i| n.items[*i]).collect();
            let _ = writeln!(
                t,
                "  - {{ id: {}, title: m, requires: [{}], target: {} }}",
                n.milestone(m, spec.items.len()),
                requires.join(", "),
                day(*target as i64)
            );
        }
    }
    if !spec.decisions.is_empty() {
        t.push_str("decisions:\n");
        for (d, blocks) in spec.decisions.iter().enumerate() {
            let blocks: Vec<&str> = blocks.iter().map(|i| n.items[*i]).collect();
            let _ = writeln!(
                t,
                "  - {{ id: {}, question: q, approver: A{d}, blocks: [{}] }}",
                n.decisions[d],
                blocks.join(", ")
            );
        }
    }
    if !spec.blockers.is_empty() {
        t.push_str("blockers:\n");
        for (item, age) in &spec.blockers {
            let _ = writeln!(
                t,
                "  - {{ item: {}, description: d, raised: {} }}",
                n.items[*item],
                status_date - chrono::Duration::days(*age as i64)
            );
        }
    }
    t
}

fn load(text: &str) -> linchpin_model::Program {
    let plan = linchpin_plan::load_yaml_str("r.yaml", text);
    assert!(!plan.has_errors(), "{text}\n{:#?}", plan.diagnostics);
    plan.into_program().expect("program")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn findings_on_random_plans_are_whole_and_unique(spec in spec()) {
        let text = yaml(&spec);
        let program = load(&text);
        let report = analyse_program(&program, true);
        let mut ids = HashSet::new();
        for finding in &report.open {
            let id = finding.id(&program);
            prop_assert!(ids.insert(id.clone()), "duplicate {id} in\n{text}");
            let words = words(&program, finding);
            prop_assert!(!words.headline.is_empty() && !words.explanation.is_empty() && !words.action.is_empty());
            prop_assert!(finding.figures.iter().all(|(_, v)| !v.is_nan()), "{finding:?}");
        }
        prop_assert!(report.open.windows(2).all(|w| w[0].severity >= w[1].severity), "most severe first");
        prop_assert_eq!(report.quality.len(), 12);
        let open: Vec<_> = report.open.iter().collect();
        let risks = as_risks(&program, &open);
        let risk_ids: HashSet<&str> = risks.iter().map(|r| r.id.as_str()).collect();
        prop_assert_eq!(risk_ids.len(), risks.len());

        // Accepting every finding by the id printed accepts exactly that finding.
        if report.open.is_empty() {
            return Ok(());
        }
        let mut accepting = format!("{text}findings:\n  accepted:\n");
        for id in &ids {
            let _ = writeln!(accepting, "    - {{ finding: \"{id}\", reason: r, owner: o }}");
        }
        let again = load(&accepting);
        let accepted = analyse_program(&again, true);
        prop_assert!(accepted.open.is_empty(), "still open: {:?}", accepted.open.iter().map(|f| f.id(&again)).collect::<Vec<_>>());
        prop_assert!(accepted.unmatched.is_empty() && accepted.lapsed.is_empty());
        let matched: HashSet<String> = accepted.accepted.iter().map(|a| a.acceptance.id(&again)).collect();
        prop_assert_eq!(matched, ids);
        prop_assert!(accepted.accepted.iter().all(|a| a.acceptance.kind == a.finding.kind() && a.acceptance.subject == a.finding.subject()));
    }
}
