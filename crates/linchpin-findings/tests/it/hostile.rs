//! Documents as a careless importer or a hostile API client might send
//! them: references to nothing, keys shared across kinds, NaN and huge
//! numbers, dates centuries away, cycles, people the team never has. The
//! resolver must refuse what is wrong, and anything it accepts must go
//! through every analysis (both schedules, the forecast with and without
//! capacity, every finding) without a panic.

use chrono::NaiveDate;
use linchpin_engine::forecast::{ForecastOptions, forecast};
use linchpin_engine::schedule::{ScheduleOptions, schedule};
use linchpin_findings::{Inputs, analyse};
use linchpin_model::doc::*;
use linchpin_model::{ContractStatus, GroupKind, ItemStatus, LagUnit, LinkKind, Located, Origin, RiskStatus, resolve};
use proptest::prelude::*;

/// Keys for every kind come from this one pool, so items, teams, systems,
/// milestones and interfaces share names, and some name nothing.
const KEYS: &[&str] = &["a", "b", "c", "ledger", "PAY-1", "M1", "d", "e"];
/// Mostly plausible, now and then hostile: a test that is refused every
/// time tests nothing after the resolver.
const NUMBERS: &[f64] = &[0.0, 0.5, 1.0, 2.0, 3.0, 5.0, 8.0, 13.0, 40.0, 10_000.0];
const HOSTILE_NUMBERS: &[f64] = &[20_000.0, -1.0, f64::NAN, f64::INFINITY, f64::NEG_INFINITY, 1e300, -0.0];
const COUNTS: &[i64] = &[1, 1, 2, 3, 5];
const HOSTILE_COUNTS: &[i64] = &[0, -1, 100_000, 100_001, i64::MAX, i64::MIN];

fn start() -> NaiveDate {
    NaiveDate::from_ymd_opt(2027, 1, 4).expect("date")
}

/// Days from the start: mostly near, sometimes before, sometimes centuries off.
fn date(offset: i64) -> NaiveDate {
    start() + chrono::Duration::days(offset)
}

fn located<T>(value: T) -> Located<T> {
    Located::unlocated(value)
}

fn key() -> impl Strategy<Value = String> {
    prop::sample::select(KEYS).prop_map(str::to_owned)
}

/// Distinct keys for the entities of one kind (shared with other kinds).
fn keys(most: usize) -> impl Strategy<Value = Vec<String>> {
    prop::sample::subsequence(KEYS, 0..=most).prop_shuffle().prop_map(|k| k.into_iter().map(str::to_owned).collect())
}

thread_local! {
    /// Whether the plan being drawn may hold hostile values: half the plans
    /// are careful, so the analyses behind the resolver get exercised too.
    static HOSTILE: std::cell::Cell<bool> = const { std::cell::Cell::new(true) };
}

fn hostile() -> u32 {
    if HOSTILE.with(std::cell::Cell::get) { 1 } else { 0 }
}

fn number() -> impl Strategy<Value = f64> {
    prop_oneof![12 => prop::sample::select(NUMBERS), hostile() => prop::sample::select(HOSTILE_NUMBERS)]
}

fn count() -> impl Strategy<Value = i64> {
    prop_oneof![12 => prop::sample::select(COUNTS), hostile() => prop::sample::select(HOSTILE_COUNTS)]
}

fn day() -> impl Strategy<Value = NaiveDate> {
    prop_oneof![
        12 => prop::sample::select(&[0i64, 2, 9, 12, 30, 90, 400][..]).prop_map(date),
        hostile() => prop::sample::select(&[-40_000i64, -3, 40_000][..]).prop_map(date),
    ]
}

fn estimate() -> impl Strategy<Value = EstimateDoc> {
    (number(), number(), number()).prop_map(|(a, b, c)| {
        // Mostly in order; as written by hand, now and then not.
        let mut points = [a, b, c];
        if !points.iter().any(|p| p.is_nan()) && (hostile() == 0 || (a as i64) % 7 != 3) {
            points.sort_by(f64::total_cmp);
        }
        EstimateDoc { optimistic: points[0], likely: points[1], pessimistic: points[2] }
    })
}

/// The keys each kind of entity was given: references are mostly to them,
/// now and then to anything in the pool.
#[derive(Clone, Debug)]
struct Names {
    teams: Vec<String>,
    items: Vec<String>,
    milestones: Vec<String>,
    systems: Vec<String>,
    interfaces: Vec<String>,
    groups: Vec<String>,
}

/// A reference: to one of `known`, or in a hostile plan now and then to any key.
fn reference(known: &[String]) -> BoxedStrategy<String> {
    if known.is_empty() {
        return key().boxed();
    }
    prop_oneof![20 => prop::sample::select(known.to_vec()), hostile() => key()].boxed()
}

fn references(known: &[String], most: usize) -> BoxedStrategy<Vec<Located<String>>> {
    if known.is_empty() && hostile() == 0 {
        return Just(Vec::new()).boxed();
    }
    prop::collection::vec(reference(known), 0..=most).prop_map(|keys| keys.into_iter().map(located).collect()).boxed()
}

fn team(id: String) -> impl Strategy<Value = TeamDoc> {
    (prop::option::of(count()), prop::collection::vec((day(), count()), 0..2), prop::collection::vec(day(), 0..2))
        .prop_map(move |(capacity, changes, holidays)| TeamDoc {
            id: located(id.clone()),
            name: None,
            lead: Some(located("Lead".into())),
            capacity: capacity.map(located),
            capacity_changes: changes
                .into_iter()
                .map(|(from, people)| CapacityChangeDoc { from: located(from), people: located(people) })
                .collect(),
            holidays: holidays.into_iter().map(|d| HolidayDoc { date: located(d), until: None, name: None }).collect(),
        })
}

/// An item's progress: mostly not started; started or done before the
/// status date, now and then after it or out of order.
fn progress() -> impl Strategy<Value = (ItemStatus, Option<NaiveDate>, Option<NaiveDate>, Option<f64>)> {
    prop_oneof![
        6 => Just((ItemStatus::NotStarted, None, None, None)),
        2 => (day(), prop::option::of(number())).prop_map(|(s, r)| (ItemStatus::InProgress, Some(s.min(date(12))), None, r)),
        2 => (day(), day()).prop_map(|(a, b)| (ItemStatus::Done, Some(a.min(b).min(date(12))), Some(a.max(b).min(date(12))), None)),
        1 => (0usize..4, prop::option::of(day()), prop::option::of(day()), prop::option::of(number()))
            .prop_map(|(s, a, f, r)| (ItemStatus::ALL[s], a, f, r)),
    ]
}

fn item(id: String, names: Names) -> impl Strategy<Value = ItemDoc> {
    // A careful plan waits only on items before it; a hostile one anywhere.
    let position = names.items.iter().position(|k| *k == id).unwrap_or(0);
    let earlier = if hostile() == 1 { names.items.clone() } else { names.items[..position].to_vec() };
    let depends = if earlier.is_empty() {
        Just(Vec::new()).boxed()
    } else {
        // Calendar-day lags now and then (refused on links other than finish-to-start).
        let link = (reference(&earlier), 0usize..3, prop::option::of(number()), prop::bool::weighted(0.2));
        prop::collection::vec(link, 0..3).boxed()
    };
    // Now and then a start pinned to a date, or a deadline.
    let pinned = prop::option::weighted(0.15, day());
    let deadline = prop::option::weighted(0.15, day());
    (
        (
            Just(id),
            reference(&names.teams),
            prop::option::of(estimate()),
            prop::option::of(1i64..=1 + hostile() as i64 * 4),
        ),
        (progress(), prop::option::of(day()), pinned, deadline),
        (depends, references(&names.systems, 2), references(&names.interfaces, 1)),
    )
        .prop_map(
            |(
                (id, team, estimate, people),
                ((status, actual_start, actual_finish, remaining), not_before, start_on, deadline),
                (depends, systems, interfaces),
            )| {
                ItemDoc {
                    estimate: estimate.map(located),
                    people: people.map(located),
                    status: Some(located(status)),
                    actual_start: actual_start.map(located),
                    actual_finish: actual_finish.map(located),
                    remaining: remaining.map(located),
                    not_before: not_before.map(located),
                    start_on: start_on.map(located),
                    deadline: deadline.map(located),
                    depends: depends
                        .into_iter()
                        .map(|(on, kind, lag, calendar)| DependencyDoc {
                            item: located(on),
                            kind: Some(located(LinkKind::ALL[kind])),
                            lag: lag.map(located),
                            lag_unit: calendar.then(|| located(LagUnit::CalendarDays)),
                        })
                        .collect(),
                    systems,
                    interfaces,
                    ..ItemDoc::new(id, "t", team, Origin::Unknown)
                }
            },
        )
}

fn names() -> impl Strategy<Value = Names> {
    let at_least_one = hostile() == 0;
    (keys(3), keys(8), keys(2), keys(3), keys(2), keys(3)).prop_map(
        move |(mut teams, items, milestones, systems, interfaces, groups)| {
            if at_least_one && teams.is_empty() {
                teams.push("a".into());
            }
            // Risks name items and milestones in one list: a careful plan keeps them apart.
            let milestones =
                if at_least_one { milestones.into_iter().filter(|m| !items.contains(m)).collect() } else { milestones };
            // Dependencies name items and groups in one list: so do their ids.
            let groups =
                if at_least_one { groups.into_iter().filter(|g| !items.contains(g)).collect() } else { groups };
            Names { teams, items, milestones, systems, interfaces, groups }
        },
    )
}

fn plan() -> impl Strategy<Value = PlanDoc> {
    any::<bool>().prop_flat_map(|hostile| {
        HOSTILE.with(|h| h.set(hostile));
        names().prop_flat_map(plan_with)
    })
}

fn plan_with(names: Names) -> impl Strategy<Value = PlanDoc> {
    let teams: Vec<_> = names.teams.iter().cloned().map(team).collect();
    // Groups nest (in a careful plan only in groups before them) and, in a
    // hostile plan, wait on items or groups; items join them.
    let groups: Vec<_> = names
        .groups
        .iter()
        .enumerate()
        .map(|(g, id)| {
            let parents = if hostile() == 1 { names.groups.clone() } else { names.groups[..g].to_vec() };
            let parent =
                if parents.is_empty() { Just(None).boxed() } else { prop::option::of(reference(&parents)).boxed() };
            let targets: Vec<String> = names.items.iter().chain(&names.groups).cloned().collect();
            let depends = if hostile() == 1 { references(&targets, 2) } else { Just(Vec::new()).boxed() };
            (Just(id.clone()), parent, prop::option::weighted(0.3, day()), depends, 0usize..3)
        })
        .collect();
    let items: Vec<_> = names.items.iter().cloned().map(|id| item(id, names.clone())).collect();
    let milestones: Vec<_> = names
        .milestones
        .iter()
        .cloned()
        .map(|id| (Just(id), references(&names.items, 3), prop::option::of(day())))
        .collect();
    let systems: Vec<_> = names
        .systems
        .iter()
        .cloned()
        .map(|id| (Just(id), prop::option::of(reference(&names.teams)), references(&names.systems, 2)))
        .collect();
    let interfaces: Vec<_> = names
        .interfaces
        .iter()
        .cloned()
        .map(|id| {
            (
                Just(id),
                reference(&names.teams),
                0usize..4,
                prop::option::of(reference(&names.items)),
                prop::option::of(day()),
            )
        })
        .collect();
    let affected: Vec<String> = names.items.iter().chain(&names.milestones).cloned().collect();
    let risks = prop::collection::vec(
        (
            prop::sample::select(&["R1", "R2"][..]).prop_map(str::to_owned),
            count(),
            count(),
            references(&affected, 2),
            prop::option::of((number(), estimate())),
        ),
        0..2,
    );
    let decisions = prop::collection::vec((key(), references(&names.items, 2), prop::option::of(day())), 0..2);
    let blockers = prop::collection::vec((reference(&names.items), day(), prop::option::of(day())), 0..2);
    let status_date =
        prop_oneof![8 => Just(Some(date(12))), hostile() => Just(None), hostile() => prop::option::of(day())];
    let memberships = prop::collection::vec(prop::option::weighted(0.5, reference(&names.groups)), names.items.len());
    ((status_date, teams, items, memberships), (milestones, systems, interfaces, groups), (risks, decisions, blockers))
        .prop_map(
            |(
                (status_date, teams, mut items, memberships),
                (milestones, systems, interfaces, groups),
                (risks, decisions, blockers),
            )| {
                if !groups.is_empty() {
                    for (item, group) in items.iter_mut().zip(memberships) {
                        item.group = group.map(located);
                    }
                }
                PlanDoc {
                    groups: groups
                        .into_iter()
                        .map(|(id, parent, deadline, depends, kind)| GroupDoc {
                            id: located(id),
                            title: located("g".into()),
                            kind: Some(located(GroupKind::ALL[kind])),
                            parent: parent.map(located),
                            owner: None,
                            deadline: deadline.map(located),
                            depends: depends.into_iter().map(DependencyDoc::on).collect(),
                        })
                        .collect(),
                    program: Some(ProgramDoc {
                        name: located("Hostile".into()),
                        goal: None,
                        start: located(start()),
                        status_date: status_date.map(located),
                        calendar: None,
                    }),
                    teams,
                    items,
                    milestones: milestones
                        .into_iter()
                        .map(|(id, requires, target)| MilestoneDoc {
                            id: located(id),
                            title: located("m".into()),
                            requires,
                            target: target.map(located),
                        })
                        .collect(),
                    systems: systems
                        .into_iter()
                        .map(|(id, owner, depends_on)| SystemDoc {
                            id: located(id),
                            name: None,
                            kind: None,
                            owner: owner.map(located),
                            depends_on,
                        })
                        .collect(),
                    interfaces: interfaces
                        .into_iter()
                        .map(|(id, team, status, defined_by, expected)| InterfaceDoc {
                            id: located(id),
                            name: None,
                            provider: located(ProviderDoc { system: None, team: Some(located(team)) }),
                            consumers: vec![],
                            status: Some(located(ContractStatus::ALL[status])),
                            agreed: None,
                            expected: expected.map(located),
                            defined_by: defined_by.map(located),
                        })
                        .collect(),
                    risks: risks
                        .into_iter()
                        .map(|(id, likelihood, impact, affects, schedule)| RiskDoc {
                            id: located(id),
                            title: located("r".into()),
                            likelihood: located(likelihood),
                            impact: located(impact),
                            owner: None,
                            mitigation: None,
                            trigger: None,
                            status: Some(located(RiskStatus::Open)),
                            affects,
                            schedule_impact: schedule.map(|(p, delay)| ScheduleImpactDoc {
                                probability: located(p.min(1.0)),
                                delay: located(delay),
                            }),
                        })
                        .collect(),
                    decisions: decisions
                        .into_iter()
                        .map(|(id, blocks, due)| DecisionDoc {
                            id: located(id),
                            question: located("q".into()),
                            criteria: vec![],
                            options: vec![],
                            driver: None,
                            approver: None,
                            contributors: vec![],
                            status: None,
                            chosen: None,
                            rationale: None,
                            date: None,
                            due: due.map(located),
                            blocks,
                        })
                        .collect(),
                    blockers: blockers
                        .into_iter()
                        .map(|(item, raised, resolved)| BlockerDoc {
                            item: located(item),
                            description: located("b".into()),
                            raised: located(raised.min(date(12))),
                            owner: None,
                            escalated_to: None,
                            resolved: resolved.map(located),
                        })
                        .collect(),
                    ..PlanDoc::default()
                }
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn no_program_the_resolver_accepts_can_make_an_analysis_panic(doc in plan()) {
        let resolution = resolve(&[doc], Origin::Unknown);
        let errors = resolution.diagnostics.iter().any(|d| d.is_error());
        prop_assert_eq!(resolution.program.is_some(), !errors, "a program exactly when nothing is wrong");
        let Some(program) = resolution.program else { return Ok(()) };
        let options = ScheduleOptions { capacity: false, effort: 30, seed: 1, ..Default::default() };
        // A refusal (a program running for centuries) is an answer, not a panic.
        let (Ok(logic), Ok(roadmap)) = (schedule(&program, options), schedule(&program, ScheduleOptions { capacity: true, ..options })) else {
            return Ok(());
        };
        for capacity in [false, true] {
            let options = ForecastOptions { iterations: 32, seed: 3, capacity, ..ForecastOptions::default() };
            if let Ok(forecast) = forecast(&program, options, &linchpin_engine::progress::Quiet) {
                let report = analyse(Inputs { program: &program, roadmap: &roadmap, logic: &logic, forecast: Some(&forecast) });
                prop_assert!(report.open.iter().all(|f| !linchpin_findings::render::words(&program, f).headline.is_empty()));
            }
        }
    }
}
