//! Properties on random programs: capacity is never exceeded, every link is
//! respected, capacity never makes a program shorter than its critical
//! path, slack is never negative, and CPM dates match a brute-force
//! longest path; the forecast agrees with the critical path when nothing
//! varies and never beats it when everything runs at its optimistic estimate.

use linchpin_engine::forecast::{Distribution, ForecastOptions, forecast};
use linchpin_engine::schedule::{ScheduleOptions, replay, schedule};
use linchpin_model::*;
use proptest::prelude::*;

/// A predecessor: (index, link kind, lag).
type PredSpec = (usize, u8, i32);
/// An item: (team, duration, people, predecessors).
type ItemSpec = (usize, u32, u32, Vec<PredSpec>);

#[derive(Clone, Debug)]
struct Spec {
    teams: Vec<u32>,
    items: Vec<ItemSpec>,
}

fn spec() -> impl Strategy<Value = Spec> {
    (1usize..4, 1usize..14).prop_flat_map(|(teams, items)| {
        let team_caps = prop::collection::vec(1u32..4, teams);
        let item = move |i: usize| {
            let preds = if i == 0 {
                Just(Vec::new()).boxed()
            } else {
                prop::collection::vec((0..i, 0u8..3, -2i32..3), 0..3).boxed()
            };
            (0..teams, 0u32..6, 1u32..4, preds)
        };
        let items: Vec<_> = (0..items).map(item).collect();
        (team_caps, items).prop_map(|(teams, items)| Spec { teams, items })
    })
}

/// A random program with history and a calendar: each item open, under way
/// or done by the status date (Wednesday of the first week), a team's day
/// off and a team's change of people.
#[derive(Clone, Debug)]
struct HistorySpec {
    spec: Spec,
    /// Per item: 0 open, 1 under way since the start, 2 done.
    progress: Vec<u8>,
    /// A team and a day off, in days from the start.
    day_off: (usize, i64),
    /// A team, from which day, and how many people.
    change: (usize, i64, u32),
    /// Milestones, each requiring some items (by index, taken modulo the
    /// number of items).
    milestones: Vec<Vec<usize>>,
}

fn history_spec() -> impl Strategy<Value = HistorySpec> {
    spec().prop_flat_map(|spec| {
        let (items, teams) = (spec.items.len(), spec.teams.len());
        (
            Just(spec),
            prop::collection::vec(prop::sample::select(vec![0u8, 0, 0, 1, 1, 2]), items),
            (0..teams, 2i64..20),
            (0..teams, 1i64..20, 1u32..4),
            prop::collection::vec(prop::collection::vec(0..items, 1..4), 0..4),
        )
            .prop_map(|(spec, progress, day_off, change, milestones)| HistorySpec {
                spec,
                progress,
                day_off,
                change,
                milestones,
            })
    })
}

fn build_history(history: &HistorySpec) -> Program {
    use linchpin_model::doc::{CapacityChangeDoc, HolidayDoc, MilestoneDoc};
    fn at<T>(value: T) -> Located<T> {
        Located::unlocated(value)
    }
    let start = NaiveDate::from_ymd_opt(2027, 1, 4).expect("date");
    let day = |d: i64| start + chrono::Days::new(d as u64);
    let mut doc = documents(&history.spec);
    if let Some(program) = doc.program.as_mut() {
        program.status_date = Some(at(day(2)));
    }
    let (team, off) = history.day_off;
    doc.teams[team].holidays.push(HolidayDoc { date: at(day(off)), until: None, name: None });
    let (team, from, people) = history.change;
    doc.teams[team].capacity_changes.push(CapacityChangeDoc { from: at(day(from)), people: at(people as i64) });
    for (m, requires) in history.milestones.iter().enumerate() {
        let mut requires: Vec<usize> = requires.clone();
        requires.sort_unstable();
        requires.dedup();
        doc.milestones.push(MilestoneDoc {
            id: at(format!("M{m}")),
            title: at(format!("M{m}")),
            requires: requires.iter().map(|i| at(format!("I{i}"))).collect(),
            target: None,
        });
    }
    // No item needs more people than its team has at its smallest.
    let least: Vec<i64> = doc
        .teams
        .iter()
        .map(|t| {
            let base = t.capacity.as_ref().map_or(1, |c| c.value);
            t.capacity_changes.iter().map(|c| c.people.value).fold(base, i64::min)
        })
        .collect();
    for (item, &progress) in doc.items.iter_mut().zip(&history.progress) {
        let t: usize = item.team.value[1..].parse().expect("team tN");
        if let Some(people) = item.people.as_mut() {
            people.value = people.value.min(least[t]);
        }
        match progress {
            1 => {
                let remaining = item.estimate.as_ref().map_or(1.0, |e| e.value.likely).max(1.0);
                item.status = Some(at(ItemStatus::InProgress));
                item.actual_start = Some(at(start));
                item.remaining = Some(at(remaining));
            }
            2 => {
                item.status = Some(at(ItemStatus::Done));
                item.actual_start = Some(at(start));
                item.actual_finish = Some(at(day(1)));
            }
            _ => {}
        }
    }
    resolved(doc)
}

fn build(spec: &Spec) -> Program {
    resolved(documents(spec))
}

fn resolved(doc: linchpin_model::doc::PlanDoc) -> Program {
    let resolution = resolve(&[doc], Origin::Unknown);
    resolution.program.unwrap_or_else(|| panic!("a valid random program: {:#?}", resolution.diagnostics))
}

fn documents(spec: &Spec) -> linchpin_model::doc::PlanDoc {
    use linchpin_model::doc::{DependencyDoc, EstimateDoc, ItemDoc, PlanDoc, ProgramDoc, TeamDoc};
    fn at<T>(value: T) -> Located<T> {
        Located::unlocated(value)
    }
    let teams = spec
        .teams
        .iter()
        .enumerate()
        .map(|(i, &capacity)| TeamDoc {
            id: at(format!("t{i}")),
            name: None,
            lead: None,
            capacity: Some(at(capacity as i64)),
            capacity_changes: vec![],
            holidays: vec![],
        })
        .collect();
    let items = spec
        .items
        .iter()
        .enumerate()
        .map(|(i, (team, duration, people, preds))| ItemDoc {
            estimate: Some(at(EstimateDoc::exact(*duration as f64))),
            people: Some(at((*people).min(spec.teams[*team]) as i64)),
            depends: preds
                .iter()
                .map(|&(p, kind, lag)| DependencyDoc {
                    item: at(format!("I{p}")),
                    kind: Some(at(LinkKind::ALL[kind as usize])),
                    lag: Some(at(lag as f64)),
                    lag_unit: None,
                })
                .collect(),
            ..ItemDoc::new(format!("I{i}"), format!("I{i}"), format!("t{team}"), Origin::Unknown)
        })
        .collect();
    let program = ProgramDoc {
        name: at("random".into()),
        goal: None,
        start: at(NaiveDate::from_ymd_opt(2027, 1, 4).expect("date")),
        status_date: None,
        calendar: None,
    };
    PlanDoc { program: Some(program), teams, items, ..PlanDoc::default() }
}

/// The earliest start of every item by relaxing all links until nothing
/// moves (Bellman-Ford on the longest path), independent of the engine.
fn brute_force_starts(program: &Program) -> Vec<f64> {
    brute_force_starts_with(program, |item| item.likely_days())
}

fn brute_force_starts_with(program: &Program, days: impl Fn(&WorkItem) -> f64) -> Vec<f64> {
    let n = program.items().len();
    let duration = |i: usize| days(&program.items()[i]);
    let mut start = vec![0.0f64; n];
    for _ in 0..=n {
        for (i, item) in program.items().iter().enumerate() {
            for d in &item.depends {
                let p = d.on.index();
                let bound = match d.kind {
                    LinkKind::FinishToStart => start[p] + duration(p) + d.lag,
                    LinkKind::StartToStart => start[p] + d.lag,
                    LinkKind::FinishToFinish => start[p] + duration(p) + d.lag - duration(i),
                };
                start[i] = start[i].max(bound);
            }
        }
    }
    start
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn cpm_matches_a_brute_force_longest_path(spec in spec()) {
        let program = build(&spec);
        let s = schedule(&program, ScheduleOptions { capacity: false, ..Default::default() }).expect("acyclic");
        let expected = brute_force_starts(&program);
        for (i, item) in s.items.iter().enumerate() {
            prop_assert!((item.start - expected[i]).abs() < 1e-9, "item {i}: {} vs {}", item.start, expected[i]);
            prop_assert!(item.total_slack >= -1e-9, "negative slack on item {i}");
            prop_assert!(item.free_slack >= -1e-9);
            prop_assert!(item.free_slack <= item.total_slack + 1e-9);
        }
    }

    #[test]
    fn capacity_is_never_exceeded_and_links_hold(spec in spec(), seed in 0u64..1000) {
        let program = build(&spec);
        let cpm = schedule(&program, ScheduleOptions { capacity: false, ..Default::default() }).expect("acyclic");
        let s = schedule(&program, ScheduleOptions { capacity: true, effort: 60, seed, ..Default::default() }).expect("acyclic");
        prop_assert!(s.end >= cpm.end - 1e-9, "capacity cannot beat the critical path");
        for (i, item) in program.items().iter().enumerate() {
            let me = &s.items[i];
            prop_assert!(me.total_slack >= -1e-9);
            for d in &item.depends {
                let p = &s.items[d.on.index()];
                let ok = match d.kind {
                    LinkKind::FinishToStart => me.start + 1e-9 >= p.finish + d.lag,
                    LinkKind::StartToStart => me.start + 1e-9 >= p.start + d.lag,
                    LinkKind::FinishToFinish => me.finish + 1e-9 >= p.finish + d.lag,
                };
                prop_assert!(ok, "link {:?} into item {i} broken", d);
            }
        }
        // Check capacity at every tenth of a day.
        let horizon = (s.end * 10.0).ceil() as usize;
        for (t, team) in program.teams().iter().enumerate() {
            for tick in 0..horizon {
                let time = tick as f64 / 10.0 + 0.05;
                let used: u32 = program
                    .items()
                    .iter()
                    .enumerate()
                    .filter(|(i, item)| item.team.index() == t && s.items[*i].start <= time && time < s.items[*i].finish)
                    .map(|(_, item)| item.people)
                    .sum();
                prop_assert!(used <= team.capacity, "team {t} uses {used} of {} at {time}", team.capacity);
            }
        }
    }

    #[test]
    fn a_forecast_with_nothing_uncertain_is_the_critical_path(spec in spec()) {
        let program = build(&spec);
        let cpm = schedule(&program, ScheduleOptions { capacity: false, ..Default::default() }).expect("acyclic");
        for distribution in [Distribution::Triangular, Distribution::Pert] {
            let options = ForecastOptions { iterations: 40, seed: 1, distribution, capacity: false };
            let f = forecast(&program, options, &linchpin_engine::progress::Quiet).expect("acyclic");
            let end = f.end();
            prop_assert!((end.p10 - cpm.end).abs() < 1e-3 && (end.p95 - cpm.end).abs() < 1e-3, "{} vs {}", end.p50, cpm.end);
            prop_assert!(end.drivers.is_empty(), "nothing varies, so nothing drives");
        }
    }

    #[test]
    fn a_forecast_never_beats_every_item_at_its_optimistic_estimate(spec in spec(), seed in 0u64..1000) {
        // Three-point estimates around each duration: optimistic d, likely d + i % 3, pessimistic + i % 4.
        // Finish-to-finish links become finish-to-start: through one, a longer
        // item starts earlier, so the optimistic end is no bound.
        let mut doc = documents(&spec);
        for (i, item) in doc.items.iter_mut().enumerate() {
            for d in &mut item.depends {
                if d.kind.as_ref().is_some_and(|k| k.value == LinkKind::FinishToFinish) {
                    d.kind = Some(Located::unlocated(LinkKind::FinishToStart));
                }
            }
            let d = item.estimate.as_ref().map_or(0.0, |e| e.value.likely);
            let likely = d + (i % 3) as f64;
            let estimate = linchpin_model::doc::EstimateDoc { optimistic: d, likely, pessimistic: likely + (i % 4) as f64 };
            item.estimate = Some(Located::unlocated(estimate));
        }
        let program = resolved(doc);
        let starts = brute_force_starts_with(&program, |item| item.estimate.map_or(0.0, |e| e.optimistic));
        let best = program.items().iter().zip(&starts).map(|(item, s)| s + item.estimate.map_or(0.0, |e| e.optimistic)).fold(0.0, f64::max);
        for distribution in [Distribution::Triangular, Distribution::Pert] {
            let options = ForecastOptions { iterations: 300, seed, distribution, capacity: false };
            let f = forecast(&program, options, &linchpin_engine::progress::Quiet).expect("acyclic");
            let end = f.end();
            prop_assert!(end.p10 >= best - 1e-3, "P10 {} before the optimistic end {}", end.p10, best);
            prop_assert!(end.p10 <= end.p50 && end.p50 <= end.p80 && end.p80 <= end.p95);
            prop_assert!(end.criticality.iter().all(|c| (0.0..=1.0).contains(c)));
            prop_assert!(end.drivers.iter().all(|d| (-1.0..=1.0).contains(&d.correlation)));
        }
    }

    #[test]
    fn capacity_aware_slack_is_the_slip_that_first_moves_the_end(spec in history_spec(), seed in 0u64..1000) {
        // Slack by its definition: rebuilt from the schedule's own activity
        // order (so the search's randomness plays no part), a slip of an
        // item's slack keeps the end and one day more moves it.
        let program = build_history(&spec);
        let s = schedule(&program, ScheduleOptions { capacity: true, effort: 60, seed, ..Default::default() }).expect("schedulable");
        let again = replay(&program, &s.order, 60).expect("replays");
        prop_assert_eq!(again.end, s.end, "the schedule decodes from its own order");
        for (i, item) in program.items().iter().enumerate() {
            if item.status == ItemStatus::Done {
                continue;
            }
            let me = &s.items[i];
            prop_assert_eq!(me.critical, me.total_slack <= 1e-9, "item {}: critical exactly when no slack", i);
            let end_after = |days: f64| {
                let slipped = program.changed(&[Change::Slip { item: me.item, days }]).expect("slip");
                replay(&slipped, &s.order, 60).expect("replays").end
            };
            let within = end_after(me.total_slack);
            prop_assert!(within <= s.end + 1e-9, "item {}: a slip of its slack {} moves the end {} to {}", i, me.total_slack, s.end, within);
            let beyond = end_after(me.total_slack + 1.0);
            prop_assert!(beyond > s.end + 1e-9, "item {}: a slip of its slack {} + 1 keeps the end {}", i, me.total_slack, s.end);
            // And to each milestone it feeds: a slip of that slack keeps the
            // milestone, one day more moves it, unless the item itself
            // would then end after the program (no slip is measured past it).
            for &(m, slack) in &me.milestone_slack {
                let slip = |days: f64| {
                    let slipped = program.changed(&[Change::Slip { item: me.item, days }]).expect("slip");
                    replay(&slipped, &s.order, 60).expect("replays")
                };
                let date = s.milestones[m.index()].finish;
                let within = slip(slack);
                prop_assert!(within.milestones[m.index()].finish <= date + 1e-9, "item {}: a slip of its slack {} to M{} moves it", i, slack, m.index());
                let beyond = slip(slack + 1.0);
                let moved = beyond.milestones[m.index()].finish > date + 1e-9;
                let past_the_end = beyond.items[i].finish > s.end + 1e-9;
                prop_assert!(moved || past_the_end, "item {}: a slip of its slack {} + 1 to M{} keeps it", i, slack, m.index());
            }
        }
    }

    #[test]
    fn critical_path_slack_to_a_milestone_is_the_slip_that_first_moves_it(mut spec in history_spec()) {
        // Finish-to-start links only: a longer item moves its successors'
        // starts (a start-to-start successor would wait on its start alone).
        for item in &mut spec.spec.items {
            for link in &mut item.3 {
                link.1 = 0;
            }
        }
        let program = build_history(&spec).without_team_holidays();
        let s = schedule(&program, ScheduleOptions { capacity: false, ..Default::default() }).expect("schedulable");
        // Whether item `i` is `r` or comes before it through links.
        let feeds = |i: usize, r: usize| {
            let mut stack = vec![r];
            let mut seen = vec![false; program.items().len()];
            while let Some(x) = stack.pop() {
                if x == i {
                    return true;
                }
                if !std::mem::replace(&mut seen[x], true) {
                    stack.extend(program.items()[x].depends.iter().map(|d| d.on.index()));
                }
            }
            false
        };
        let fed = |i: usize, m: usize| program.milestones()[m].requires.iter().any(|r| feeds(i, r.index()));
        for (i, item) in program.items().iter().enumerate() {
            let me = &s.items[i];
            if item.status == ItemStatus::Done {
                prop_assert!(me.milestone_slack.is_empty(), "done work has no slack to give");
                continue;
            }
            for &(m, slack) in &me.milestone_slack {
                prop_assert!(fed(i, m.index()), "item {} does not feed M{}", i, m.index());
                let slip = |days: f64| {
                    let slipped = program.changed(&[Change::Slip { item: me.item, days }]).expect("slip");
                    schedule(&slipped, ScheduleOptions { capacity: false, ..Default::default() }).expect("schedulable")
                };
                let date = s.milestones[m.index()].finish;
                prop_assert!(slip(slack).milestones[m.index()].finish <= date + 1e-6, "item {}: its slack {} to M{} moves it", i, slack, m.index());
                prop_assert!(slip(slack + 1.0).milestones[m.index()].finish > date + 1e-6, "item {}: its slack {} + 1 to M{} keeps it", i, slack, m.index());
            }
        }
    }
}
