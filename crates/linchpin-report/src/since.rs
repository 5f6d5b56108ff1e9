//! What changed since an earlier version of the plan, and why each
//! milestone moved. The changes are grouped (an item's estimate, its
//! progress, a team's people, a milestone's target, a risk, the status
//! date) and each milestone's move is shared among the groups by their
//! Shapley values: every subset of groups is applied to the plan and the
//! milestone measured, and each group gets its marginal effect averaged
//! over every order the groups could have come in. The shares add up to
//! the move exactly and do not depend on the order changes are listed in.
//! The plan's shape (items added or removed, links, what milestones
//! require, the calendar) is grouped too, mixed at the level of the plan's
//! documents ([`linchpin_model::shape`]); `docs/report.md` gives the rules.

use chrono::NaiveDate;
use linchpin_engine::forecast::{ForecastOptions, forecast};
use linchpin_engine::progress::Quiet;
use linchpin_engine::schedule::{Schedule, ScheduleOptions, replay, schedule};
use linchpin_model::doc::PlanDoc;
use linchpin_model::shape::{Shape, ShapeChange, merged_keys, mix_shapes, shape_changes};
use linchpin_model::{ItemId, ItemStatus, Part, Program};

use crate::text::plain;

/// Groups beyond this are ranked by their effect alone and the smallest
/// merged into one, so at most 2^6 versions of the plan are scheduled.
pub const MOST_GROUPS: usize = 6;
/// The P80 is shared out too when at most this many groups changed (each
/// subset is a full forecast with the report's settings).
pub const MOST_FORECAST_GROUPS: usize = 4;

/// A milestone's move since the earlier plan, and its causes.
#[derive(Clone, Debug, PartialEq)]
pub struct Move {
    pub milestone: String,
    pub title: String,
    pub date_then: Option<NaiveDate>,
    pub date_now: NaiveDate,
    /// Working days; positive is later.
    pub days: f64,
    pub p80_then: Option<NaiveDate>,
    pub p80_now: NaiveDate,
    pub p80_days: Option<f64>,
    /// Each cause and its share of the move (and of the P80's), largest
    /// first; they add up to the move.
    pub causes: Vec<(String, f64, Option<f64>)>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Since {
    /// What the earlier plan is (a git revision or a path).
    pub label: String,
    pub moves: Vec<Move>,
    pub risks_added: Vec<String>,
    pub risks_closed: Vec<String>,
    /// Milestones whose target changed: `M7 (title) 2027-04-30 → 2027-05-14`.
    pub targets_moved: Vec<String>,
    pub decisions_made: Vec<String>,
    pub blockers_raised: Vec<String>,
    pub blockers_cleared: Vec<String>,
    /// Why the moves could not be shared out, when they could not.
    pub unattributed: Option<String>,
}

#[derive(Clone)]
struct Group {
    label: String,
    /// Values to take from the earlier plan to undo the group.
    parts: Vec<Part>,
    /// Parts of the shape to take from it.
    shapes: Vec<Shape>,
}

/// Whether the two programs have the same items, links, milestones,
/// risks, teams and calendar, so one's values can be put on the other's.
fn same_structure(old: &Program, new: &Program) -> bool {
    let items = |p: &Program| {
        let mut v: Vec<_> = p
            .items()
            .iter()
            .map(|i| {
                let mut deps: Vec<_> = i
                    .depends
                    .iter()
                    .map(|d| format!("{} {:?} {} {:?}", p.item(d.on).key, d.kind, d.lag.to_bits(), d.lag_unit))
                    .collect();
                deps.sort();
                (i.key.clone(), p.team(i.team).key.clone(), i.people, deps, i.not_before, i.start_on)
            })
            .collect();
        v.sort();
        v
    };
    let milestones = |p: &Program| {
        let mut v: Vec<_> = p
            .milestones()
            .iter()
            .map(|m| {
                let mut req: Vec<_> = m.requires.iter().map(|i| p.item(*i).key.clone()).collect();
                req.sort();
                (m.key.clone(), req)
            })
            .collect();
        v.sort();
        v
    };
    let risks = |p: &Program| {
        let mut v: Vec<_> = p
            .risks()
            .iter()
            .map(|r| {
                let mut on: Vec<_> = r.affects_items.iter().map(|i| p.item(*i).key.clone()).collect();
                on.extend(r.affects_milestones.iter().map(|m| p.milestone(*m).key.clone()));
                on.sort();
                (r.key.clone(), on)
            })
            .collect();
        v.sort();
        v
    };
    let teams = |p: &Program| {
        let mut v: Vec<_> = p.teams().iter().map(|t| (t.key.clone(), t.holidays.clone())).collect();
        v.sort();
        v
    };
    old.start() == new.start()
        && old.calendar() == new.calendar()
        && items(old) == items(new)
        && milestones(old) == milestones(new)
        && risks(old) == risks(new)
        && teams(old) == teams(new)
}

/// The groups of changes from `old` to `new`, in a canonical order.
fn groups(old: &Program, new: &Program) -> Vec<Group> {
    let mut out = Vec::new();
    let old_keys = old.keys();
    for item in new.items() {
        let Some(&was) = old_keys.items.get(&item.key) else { continue };
        let before = old.item(was);
        let name = format!("{} ({})", plain(&item.key), plain(&item.title));
        let work = before.estimate != item.estimate || before.remaining != item.remaining;
        let progress = (before.status, before.actual_start, before.actual_finish)
            != (item.status, item.actual_start, item.actual_finish);
        // Progress reported comes with the remaining work it leaves: one
        // cause, measured against the progress the earlier plan planned.
        if progress {
            let mut parts = vec![Part::Progress(item.key.clone())];
            if work {
                parts.push(Part::Work(item.key.clone()));
            }
            out.push(Group { label: format!("progress on {name}"), parts, shapes: Vec::new() });
        } else if work {
            let what =
                if item.remaining.is_some() && before.remaining.is_some() { "remaining work" } else { "estimate" };
            out.push(Group {
                label: format!("{what} of {name}"),
                parts: vec![Part::Work(item.key.clone())],
                shapes: Vec::new(),
            });
        }
    }
    for team in new.teams() {
        let Some(&was) = old_keys.teams.get(&team.key) else { continue };
        let before = old.team(was);
        let changes =
            |t: &linchpin_model::Team| t.capacity_changes.iter().map(|c| (c.from, c.people)).collect::<Vec<_>>();
        if before.capacity != team.capacity || changes(before) != changes(team) {
            out.push(Group {
                label: format!("people on {}", plain(&team.key)),
                parts: vec![Part::Capacity(team.key.clone())],
                shapes: Vec::new(),
            });
        }
    }
    for milestone in new.milestones() {
        if let Some(before) = old.milestones().iter().find(|m| m.key == milestone.key)
            && before.target != milestone.target
        {
            out.push(Group {
                label: format!("target of {}", plain(&milestone.key)),
                parts: vec![Part::Target(milestone.key.clone())],
                shapes: Vec::new(),
            });
        }
    }
    for risk in new.risks() {
        if let Some(before) = old.risks().iter().find(|r| r.key == risk.key)
            && (before.status, before.likelihood, before.impact, before.schedule_impact)
                != (risk.status, risk.likelihood, risk.impact, risk.schedule_impact)
        {
            let label = format!("risk {} ({})", plain(&risk.key), plain(&risk.title));
            out.push(Group { label, parts: vec![Part::Risk(risk.key.clone())], shapes: Vec::new() });
        }
    }
    if old.status_date() != new.status_date() {
        let when = |d: Option<NaiveDate>| d.map_or("none".to_owned(), |d| d.to_string());
        let label = format!("time passing (status date {} → {})", when(old.status_date()), when(new.status_date()));
        out.push(Group { label, parts: vec![Part::StatusDate], shapes: Vec::new() });
    }
    out.sort_by(|a, b| a.label.cmp(&b.label));
    out
}

/// `program` (a variant of the one `like` schedules, with the same items)
/// scheduled as `like` was: decoded in its activity order with capacity,
/// by the critical path without. Dates alone: no slack is measured.
pub(crate) fn rescheduled(program: &Program, like: &Schedule) -> Option<Schedule> {
    rescheduled_in(program, like.capacity_aware, &like.order)
}

/// `program` decoded in `order` with capacity, or by the critical path.
fn rescheduled_in(program: &Program, capacity: bool, order: &[ItemId]) -> Option<Schedule> {
    if capacity {
        replay(program, order, 0).ok()
    } else {
        schedule(program, ScheduleOptions { capacity: false, ..Default::default() }).ok()
    }
}

fn p80s(program: &Program, options: ForecastOptions) -> Option<Vec<f64>> {
    let f = forecast(program, options, &Quiet).ok()?;
    Some(f.milestones().iter().map(|t| t.p80).collect())
}

/// Shapley values of `k` players from `value[mask]` for every subset.
fn shapley(k: usize, value: &[Vec<f64>], targets: usize) -> Vec<Vec<f64>> {
    let factorial = |n: usize| (1..=n).map(|x| x as f64).product::<f64>();
    let mut out = vec![vec![0.0; targets]; k];
    for (g, shares) in out.iter_mut().enumerate() {
        for mask in 0..(1usize << k) {
            if mask & (1 << g) != 0 {
                continue;
            }
            let size = mask.count_ones() as usize;
            let weight = factorial(size) * factorial(k - size - 1) / factorial(k);
            for (t, share) in shares.iter_mut().enumerate() {
                *share += weight * (value[mask | (1 << g)][t] - value[mask][t]);
            }
        }
    }
    out
}

/// One version of the plan: its program and the documents it was
/// resolved from (none for a CSV, whose structural changes are then one
/// cause).
#[derive(Clone, Copy)]
pub struct Version<'a> {
    pub program: &'a Program,
    pub docs: &'a [PlanDoc],
}

/// How the plans in between the two versions are made.
enum Mixing<'a> {
    /// The same items: `new` with some of `old`'s values.
    Values,
    /// Different shapes: the documents mixed, then resolved.
    Shapes { old: Version<'a>, new: Version<'a> },
}

impl Mixing<'_> {
    /// The plan with the changes of every group but `keep` undone. With
    /// the later status date kept, an item whose progress is undone gets
    /// the progress the earlier plan planned for it by that date (from
    /// `planned`), not the progress it had then: time passing is measured
    /// with the work done as planned, and each item's own progress as
    /// faster or slower than that.
    fn plan(&self, old: &Program, new: &Program, keep: &[&Group], all: &[Group], planned: &Planned) -> Option<Program> {
        let undone = all.iter().filter(|g| !keep.iter().any(|k| std::ptr::eq(*k, *g)));
        let parts: Vec<Part> = undone.clone().flat_map(|g| g.parts.iter().cloned()).collect();
        let mut mixed = match self {
            Mixing::Values => new.with_parts_of(old, &parts).ok()?,
            Mixing::Shapes { old: then, new: now } => {
                let shapes: Vec<Shape> = undone.flat_map(|g| g.shapes.iter().cloned()).collect();
                let doc = mix_shapes(then.docs, now.docs, &shapes);
                let mixed = linchpin_model::resolve(&[doc], linchpin_model::Origin::Unknown).program?;
                mixed.with_parts_of(old, &parts).ok()?
            }
        };
        if !parts.contains(&Part::StatusDate) && !planned.is_empty() {
            let index = mixed.keys();
            let reverted = parts.iter().filter_map(|p| match p {
                Part::Progress(key) => Some(key),
                _ => None,
            });
            for key in reverted {
                if let (Some(&id), Some(plan)) = (index.items.get(key), planned.get(key)) {
                    mixed.set_progress(id, plan.status, plan.actual_start, plan.actual_finish, plan.remaining);
                }
            }
        }
        Some(mixed)
    }
}

/// What the earlier plan's schedule had each item do by the later status
/// date, by key: empty when the status date did not move.
type Planned = std::collections::HashMap<String, PlannedProgress>;

#[derive(Clone, Copy, Debug)]
struct PlannedProgress {
    status: ItemStatus,
    actual_start: Option<NaiveDate>,
    actual_finish: Option<NaiveDate>,
    remaining: Option<f64>,
}

/// Where the earlier plan's schedule `own` had each unfinished item by the
/// end of `by`: done, under way with so much left, or not started.
fn planned_progress(old: &Program, own: &Schedule, by: NaiveDate) -> Planned {
    let at = own.days.time_at_end_of(by);
    old.items()
        .iter()
        .enumerate()
        .filter(|(_, item)| item.status != ItemStatus::Done)
        .filter_map(|(i, item)| {
            let s = own.item(ItemId::new(i));
            let plan = if s.finish <= at + 1e-9 && s.finish > s.start {
                PlannedProgress {
                    status: ItemStatus::Done,
                    actual_start: Some(own.days.start_date(s.start)),
                    actual_finish: Some(own.days.finish_date(s.finish)),
                    remaining: None,
                }
            } else if s.start < at - 1e-9 && s.finish > at {
                PlannedProgress {
                    status: ItemStatus::InProgress,
                    actual_start: Some(own.days.start_date(s.start)),
                    actual_finish: None,
                    remaining: Some(s.finish - at),
                }
            } else {
                return None;
            };
            Some((item.key.clone(), plan))
        })
        .collect()
}

/// What changed from `old` to `new` (scheduled as `now`, forecast with
/// `options`), and why each milestone moved.
pub fn since(
    label: &str,
    old: Version<'_>,
    new: Version<'_>,
    now: &Schedule,
    effort: usize,
    options: ForecastOptions,
) -> Since {
    let (old_version, new_version) = (old, new);
    let (old, new) = (old.program, new.program);
    let mut out = Since { label: label.to_owned(), ..Since::default() };
    lists(old, new, &mut out);
    let structural = !same_structure(old, new);
    let mut groups = groups(old, new);
    // The earlier plan's own schedule: what it said then, and where the
    // work it alone has went in its order.
    let moved_on = old.status_date() != new.status_date();
    let own = (structural || moved_on).then(|| {
        schedule(
            old,
            ScheduleOptions { capacity: now.capacity_aware, effort, seed: options.seed, ..Default::default() },
        )
        .ok()
    });
    let own = own.flatten();
    let planned: Planned = match (&own, new.status_date()) {
        (Some(own), Some(by)) if moved_on => planned_progress(old, own, by),
        _ => Planned::new(),
    };
    fn keys<'p>(p: &'p Program, order: &[ItemId]) -> Vec<&'p str> {
        order.iter().map(|&i| p.item(i).key.as_str()).collect()
    }
    let order = |program: &Program| -> Vec<ItemId> {
        let then = own.as_ref().map_or(Vec::new(), |s| keys(old, &s.order));
        let index = program.keys();
        merged_keys(&then, &keys(new, &now.order)).into_iter().filter_map(|k| index.items.get(k).copied()).collect()
    };
    let dates = |program: &Program| -> Option<Vec<f64>> {
        let order = if now.capacity_aware { order(program) } else { Vec::new() };
        Some(rescheduled_in(program, now.capacity_aware, &order)?.milestones.iter().map(|m| m.finish).collect())
    };
    let now_dates: Vec<f64> = now.milestones.iter().map(|m| m.finish).collect();
    // Mix the documents when the shapes differ, as long as the mix of
    // every change gives exactly today's dates; otherwise the structural
    // changes are one cause.
    let mut mixing = Mixing::Values;
    if structural && !old_version.docs.is_empty() && !new_version.docs.is_empty() {
        let shapes = shape_groups(old_version, new_version);
        let candidate = Mixing::Shapes { old: old_version, new: new_version };
        let all: Vec<Group> = groups.iter().chain(&shapes).map(Group::clone).collect();
        let keep: Vec<&Group> = all.iter().collect();
        if !shapes.is_empty()
            && candidate
                .plan(old, new, &keep, &all, &planned)
                .and_then(|p| dates(&p))
                .is_some_and(|d| same(&d, &now_dates))
        {
            groups = all;
            groups.sort_by(|a, b| a.label.cmp(&b.label));
            mixing = candidate;
        }
    }
    let residual_is_structure = structural && matches!(mixing, Mixing::Values);
    let reverted = |keep: &[&Group], all: &[Group]| mixing.plan(old, new, keep, all, &planned);
    // Time passing comes first, by rule rather than by listing: it is
    // measured with the work done as the earlier plan planned, and every
    // other change (each item's progress faster or slower than that among
    // them) is shared out on the later status date.
    let time = groups.iter().position(|g| g.parts == [Part::StatusDate]).map(|i| groups.remove(i));
    // Too many groups: keep those that move the dates most alone.
    if groups.len() > MOST_GROUPS {
        let base = reverted(&[], &groups).and_then(|p| dates(&p));
        let mut effect: Vec<(f64, usize)> = (0..groups.len())
            .map(|i| {
                let alone = reverted(&[&groups[i]], &groups).and_then(|p| dates(&p));
                let size = match (&alone, &base) {
                    (Some(a), Some(b)) => a.iter().zip(b).map(|(x, y)| (x - y).abs()).sum(),
                    _ => 0.0,
                };
                (size, i)
            })
            .collect();
        effect.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        let keep: Vec<usize> = effect.iter().take(MOST_GROUPS - 1).map(|e| e.1).collect();
        let mut kept = Vec::new();
        let mut rest = Group { label: String::new(), parts: Vec::new(), shapes: Vec::new() };
        let mut merged = 0;
        for (i, g) in groups.into_iter().enumerate() {
            if keep.contains(&i) {
                kept.push(g);
            } else {
                merged += 1;
                rest.parts.extend(g.parts);
                rest.shapes.extend(g.shapes);
            }
        }
        rest.label = format!("{merged} smaller changes");
        kept.sort_by(|a, b| a.label.cmp(&b.label));
        kept.push(rest);
        groups = kept;
    }
    let k = groups.len();
    let subsets: Vec<Option<Program>> = (0..(1usize << k))
        .map(|mask| {
            let keep: Vec<&Group> = (0..k).filter(|g| mask & (1 << g) != 0).map(|g| &groups[g]).collect();
            reverted(&keep, &groups)
        })
        .collect();
    let date_values: Option<Vec<Vec<f64>>> = subsets.iter().map(|p| p.as_ref().and_then(&dates)).collect();
    let Some(date_values) = date_values else {
        out.unattributed = Some(
            "a mix of the two plans could not be scheduled (a team would have fewer people than an item needs)".into(),
        );
        return out;
    };
    let forecast_all = k <= MOST_FORECAST_GROUPS;
    let p80_values: Option<Vec<Vec<f64>>> =
        if forecast_all { subsets.iter().map(|p| p.as_ref().and_then(|p| p80s(p, options))).collect() } else { None };
    let targets = new.milestones().len();
    // Everything undone, the status date too: the earlier plan on these
    // items. Without a time group it is the first subset.
    let (base_dates, base_p80): (Vec<f64>, Option<Vec<f64>>) = match &time {
        None => (date_values[0].clone(), p80_values.as_ref().map(|v| v[0].clone())),
        Some(time) => {
            let with_time: Vec<Group> = groups.iter().cloned().chain([time.clone()]).collect();
            let base = reverted(&[], &with_time);
            let Some(dates) = base.as_ref().and_then(&dates) else {
                out.unattributed = Some("the earlier plan could not be scheduled on these items".into());
                return out;
            };
            let p80 = if forecast_all { base.as_ref().and_then(|p| p80s(p, options)) } else { None };
            (dates, p80)
        }
    };
    let date_shares = shapley(k, &date_values, targets);
    let p80_shares = p80_values.as_ref().map(|v| shapley(k, v, targets));
    // The dates the earlier plan gave: on the same items, the first subset
    // (every value as it was); otherwise its own schedule and forecast.
    let (old_dates, old_p80): (Vec<Option<f64>>, Vec<Option<f64>>) = if structural {
        let own_p80 = p80s(old, options);
        new.milestones()
            .iter()
            .map(|m| {
                let at = old.milestones().iter().position(|o| o.key == m.key);
                let date = at.and_then(|i| own.as_ref().map(|s| s.milestones[i].finish));
                let p80 = at.and_then(|i| own_p80.as_ref().map(|p| p[i]));
                (date, p80)
            })
            .unzip()
    } else {
        // Without the P80 shared out, the earlier plan's own forecast
        // still says how far each P80 moved.
        let p80_then = base_p80.clone().or_else(|| p80s(old, options));
        (
            base_dates.iter().map(|&d| Some(d)).collect(),
            p80_then.map_or(vec![None; targets], |v| v.into_iter().map(Some).collect()),
        )
    };
    let full = (1usize << k) - 1;
    let now_p80 = p80_values.as_ref().map(|v| v[full].clone()).or_else(|| p80s(new, options));
    let day = |d: f64| now.days.finish_date(d.max(1.0));
    for (m, milestone) in new.milestones().iter().enumerate() {
        let now_date = date_values[full][m];
        let now_p80 = now_p80.as_ref().map_or(0.0, |p| p[m]);
        let mut causes: Vec<(String, f64, Option<f64>)> = groups
            .iter()
            .enumerate()
            .map(|(g, group)| (group.label.clone(), date_shares[g][m], p80_shares.as_ref().map(|s| s[g][m])))
            .collect();
        if let Some(time) = &time {
            let p80 = match (&base_p80, p80_values.as_ref()) {
                (Some(b), Some(v)) => Some(v[0][m] - b[m]),
                _ => None,
            };
            causes.push((time.label.clone(), date_values[0][m] - base_dates[m], p80));
        }
        if structural && let Some(then) = old_dates[m] {
            // What the mixes cannot split: with the shapes mixed, the
            // earlier plan scheduled in this week's order of work against
            // its own, and forecast with its items in another order.
            let residual = base_dates[m] - then;
            let p80 = match (old_p80[m], &base_p80) {
                (Some(t), Some(b)) => Some(b[m] - t),
                _ => None,
            };
            let label = if residual_is_structure {
                "scope and structure (items, links or calendars changed)"
            } else {
                "sequencing (the scheduler ordered the work differently) and forecast sampling"
            };
            causes.push((label.into(), residual, p80));
        }
        causes.retain(|c| c.1.abs() > 1e-9 || c.2.is_some_and(|p| p.abs() > 1e-9));
        causes.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()).then(a.0.cmp(&b.0)));
        out.moves.push(Move {
            milestone: plain(&milestone.key),
            title: plain(&milestone.title),
            date_then: old_dates[m].map(day),
            date_now: day(now_date),
            days: old_dates[m].map_or(0.0, |t| now_date - t),
            p80_then: old_p80[m].map(day),
            p80_now: day(now_p80),
            p80_days: old_p80[m].map(|t| now_p80 - t),
            causes,
        });
    }
    if !forecast_all {
        out.unattributed = Some(format!(
            "the P80 moves are not shared out: {k} groups of changes (at most {MOST_FORECAST_GROUPS} are)"
        ));
    }
    out
}

fn same(a: &[f64], b: &[f64]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| (x - y).abs() < 1e-9)
}

/// One group per part of the shape that changed, named for a reader.
fn shape_groups(old: Version<'_>, new: Version<'_>) -> Vec<Group> {
    let (old_keys, new_keys) = (old.program.keys(), new.program.keys());
    let item = |key: &str| {
        let title = new_keys
            .items
            .get(key)
            .map(|&i| &new.program.item(i).title)
            .or_else(|| old_keys.items.get(key).map(|&i| &old.program.item(i).title));
        match title {
            Some(title) => format!("{} ({})", plain(key), plain(title)),
            None => plain(key),
        }
    };
    let risk = |key: &str| {
        let title = new.program.risks().iter().chain(old.program.risks()).find(|r| r.key == key).map(|r| &r.title);
        title.map_or_else(|| plain(key), |t| format!("{} ({})", plain(key), plain(t)))
    };
    shape_changes(old.docs, new.docs)
        .into_iter()
        .map(|(shape, change)| {
            let label = match (&shape, change) {
                (Shape::Item(key), ShapeChange::Added) => format!("scope added: {}", item(key)),
                (Shape::Item(key), ShapeChange::Removed) => format!("scope removed: {}", item(key)),
                (Shape::Item(key), ShapeChange::Changed) => format!("dependencies or constraints of {}", item(key)),
                (Shape::Group(key), ShapeChange::Added) => format!("group {} added", plain(key)),
                (Shape::Group(key), ShapeChange::Removed) => format!("group {} removed", plain(key)),
                (Shape::Group(key), ShapeChange::Changed) => format!("dependencies of group {}", plain(key)),
                (Shape::Milestone(key), ShapeChange::Added) => format!("milestone {} added", plain(key)),
                (Shape::Milestone(key), ShapeChange::Removed) => format!("milestone {} removed", plain(key)),
                (Shape::Milestone(key), ShapeChange::Changed) => format!("work {} requires", plain(key)),
                (Shape::Risk(key), ShapeChange::Added) => format!("risk added: {}", risk(key)),
                (Shape::Risk(key), ShapeChange::Removed) => format!("risk removed: {}", risk(key)),
                (Shape::Risk(key), ShapeChange::Changed) => format!("what risk {} affects", risk(key)),
                (Shape::Calendar, _) => "calendar and holidays".to_owned(),
            };
            Group { label, parts: Vec::new(), shapes: vec![shape] }
        })
        .collect()
}

/// Risks added and closed, decisions made, blockers raised and cleared.
fn lists(old: &Program, new: &Program, out: &mut Since) {
    let live = |p: &Program, key: &str| p.risks().iter().any(|r| r.key == key && r.status.is_live());
    for risk in new.risks() {
        let name = format!("{} ({})", plain(&risk.key), plain(&risk.title));
        let existed = old.risks().iter().any(|r| r.key == risk.key);
        if risk.status.is_live() && (!existed || !live(old, &risk.key)) {
            out.risks_added.push(name);
        } else if !risk.status.is_live() && live(old, &risk.key) {
            out.risks_closed.push(name);
        }
    }
    for milestone in new.milestones() {
        let Some(before) = old.milestones().iter().find(|m| m.key == milestone.key) else { continue };
        if before.target != milestone.target {
            let when = |d: Option<NaiveDate>| d.map_or("none".to_owned(), |d| d.to_string());
            out.targets_moved.push(format!(
                "{} ({}) {} → {}",
                plain(&milestone.key),
                plain(&milestone.title),
                when(before.target),
                when(milestone.target)
            ));
        }
    }
    for decision in new.decisions() {
        let decided = |d: &linchpin_model::Decision| d.status == linchpin_model::DecisionStatus::Decided;
        let was = old.decisions().iter().find(|d| d.key == decision.key);
        if decided(decision) && !was.is_some_and(decided) {
            out.decisions_made.push(format!("{} ({})", plain(&decision.key), plain(&decision.question)));
        }
    }
    let open = |p: &Program| {
        p.blockers()
            .iter()
            .filter(|b| b.resolved.is_none() && p.item(b.item).status != ItemStatus::Done)
            .map(|b| (p.item(b.item).key.clone(), b.raised))
            .collect::<Vec<_>>()
    };
    let (before, after) = (open(old), open(new));
    for (key, raised) in &after {
        if !before.contains(&(key.clone(), *raised)) {
            out.blockers_raised.push(format!("{} (since {raised})", plain(key)));
        }
    }
    for (key, raised) in &before {
        if !after.contains(&(key.clone(), *raised)) {
            out.blockers_cleared.push(format!("{} (since {raised})", plain(key)));
        }
    }
}

#[cfg(test)]
mod tests {
    use linchpin_engine::schedule::{ScheduleOptions, schedule};

    use super::*;

    fn version(text: &str) -> (Program, Vec<PlanDoc>) {
        let plan = linchpin_plan::load_yaml_str("t.yaml", text);
        assert!(!plan.has_errors(), "{:#?}", plan.diagnostics);
        plan.into_program_and_docs().expect("valid")
    }

    fn plan(a: &str, b: &str, people: u32, swap: bool) -> String {
        let teams = if swap {
            format!("teams: [{{ id: q, capacity: 1 }}, {{ id: p, capacity: {people} }}]\n")
        } else {
            format!("teams: [{{ id: p, capacity: {people} }}, {{ id: q, capacity: 1 }}]\n")
        };
        let items = [
            format!("  - {{ id: A, title: a, team: p, estimate: {a} }}\n"),
            format!("  - {{ id: B, title: b, team: p, estimate: {b} }}\n"),
            "  - { id: C, title: c, team: q, estimate: 4, depends: [A] }\n".to_owned(),
        ];
        let items = if swap { format!("{}{}{}", items[1], items[0], items[2]) } else { items.concat() };
        format!(
            "program: {{ name: T, start: 2027-01-04 }}\n{teams}items:\n{items}milestones:\n  - {{ id: M, title: m, requires: [B, C], target: 2027-02-26 }}\n"
        )
    }

    fn moves(old: &str, new: &str) -> Since {
        let (old, new) = (version(old), version(new));
        let now = schedule(&new.0, ScheduleOptions { effort: 50, ..Default::default() }).expect("schedulable");
        let options = ForecastOptions { iterations: 300, ..Default::default() };
        let then = Version { program: &old.0, docs: &old.1 };
        since("before", then, Version { program: &new.0, docs: &new.1 }, &now, 50, options)
    }

    fn shares(s: &Since) -> Vec<(String, f64)> {
        let mut v: Vec<(String, f64)> =
            s.moves[0].causes.iter().map(|c| (c.0.clone(), (c.1 * 1e6).round() / 1e6)).collect();
        v.sort_by(|a, b| a.0.cmp(&b.0));
        v
    }

    #[test]
    fn one_longer_item_takes_the_whole_move() {
        let s = moves(&plan("5", "5", 2, false), &plan("15", "5", 2, false));
        let m = &s.moves[0];
        assert_eq!(m.days, 10.0, "{s:?}");
        assert_eq!(m.causes.len(), 1, "{s:?}");
        assert!(m.causes[0].0.starts_with("estimate of A"), "{s:?}");
        assert!((m.causes[0].1 - 10.0).abs() < 1e-9, "{s:?}");
        let p80 = m.p80_days.expect("shared out");
        assert!((m.causes[0].2.expect("P80 share") - p80).abs() < 1e-9, "{s:?}");
    }

    #[test]
    fn two_changes_add_up_and_do_not_depend_on_the_order_they_are_written_in() {
        // A longer and the team cut to one person: each alone moves M, and
        // together more than either.
        let old = plan("5", "5", 2, false);
        let s = moves(&old, &plan("8", "5", 1, false));
        let m = &s.moves[0];
        let total: f64 = m.causes.iter().map(|c| c.1).sum();
        assert!(m.days > 0.0 && (total - m.days).abs() < 1e-9, "{s:?}");
        let p80_total: f64 = m.causes.iter().filter_map(|c| c.2).sum();
        assert!((p80_total - m.p80_days.expect("shared out")).abs() < 1e-9, "{s:?}");
        assert_eq!(m.causes.len(), 2, "{s:?}");
        // The same plans, their teams and items listed in another order.
        let swapped = moves(&plan("5", "5", 2, true), &plan("8", "5", 1, true));
        assert_eq!(shares(&s), shares(&swapped));
    }

    #[test]
    fn added_work_is_a_change_of_its_own() {
        let old = plan("5", "5", 2, false);
        let new = old
            .replace("milestones:", "  - { id: D, title: d, team: q, estimate: 6, depends: [C] }\nmilestones:")
            .replace("requires: [B, C]", "requires: [B, C, D]");
        let s = moves(&old, &new);
        let m = &s.moves[0];
        assert!(m.days > 0.0, "{s:?}");
        assert_eq!(m.causes.len(), 1, "{s:?}");
        assert_eq!(m.causes[0].0, "scope added: D (d)", "{s:?}");
        assert!((m.causes[0].1 - m.days).abs() < 1e-9, "{s:?}");
    }

    #[test]
    fn work_behind_plan_is_its_own_slower_progress_not_time_passing() {
        // A week on (status 2027-01-04 → 2027-01-11), A (ten days, planned
        // from Tuesday 2027-01-05) has eight days left where the plan had
        // five: three days behind. Time passing with the work done as
        // planned moves nothing; A's progress moves M by those three days.
        let plan = |status: &str, a: &str| {
            format!(
                "program: {{ name: T, start: 2027-01-04, status_date: {status} }}\nteams: [{{ id: p, capacity: 1 }}]\n\
                 items:\n  - {{ id: A, title: a, team: p, estimate: 10{a} }}\n\
                 milestones:\n  - {{ id: M, title: m, requires: [A], target: 2027-02-26 }}\n"
            )
        };
        let old = plan("2027-01-04", "");
        let new = plan("2027-01-11", ", status: in_progress, actual_start: 2027-01-05, remaining: 8");
        let s = moves(&old, &new);
        let m = &s.moves[0];
        assert!((m.days - 3.0).abs() < 1e-9, "{s:?}");
        let share = |label: &str| m.causes.iter().find(|c| c.0.starts_with(label)).map_or(0.0, |c| c.1);
        assert!((share("progress on A") - 3.0).abs() < 1e-9, "{s:?}");
        assert!(share("time passing").abs() < 1e-9, "{s:?}");
        // No progress reported at all: the week's planned work did not
        // happen, and that is time passing.
        let idle = moves(&old, &plan("2027-01-11", ""));
        let m = &idle.moves[0];
        assert!((m.days - 5.0).abs() < 1e-9, "{idle:?}");
        assert_eq!(m.causes.len(), 1, "{idle:?}");
        assert!(m.causes[0].0.starts_with("time passing") && (m.causes[0].1 - 5.0).abs() < 1e-9, "{idle:?}");
    }

    #[test]
    fn structural_changes_are_each_a_cause_and_add_up() {
        // D added after C, B removed, and C now also waits on A's
        // successor E, which is new too; the team loses a person.
        let old = plan("5", "5", 2, false);
        let new = old
            .replace("  - { id: B, title: b, team: p, estimate: 5 }\n", "")
            .replace(
                "milestones:",
                "  - { id: D, title: d, team: q, estimate: 6, depends: [C] }\n  - { id: E, title: e, team: p, estimate: 3, depends: [A] }\nmilestones:",
            )
            .replace("estimate: 4, depends: [A]", "estimate: 4, depends: [A, E]")
            .replace("requires: [B, C]", "requires: [C, D]")
            .replace("capacity: 2", "capacity: 1");
        let s = moves(&old, &new);
        let m = &s.moves[0];
        let labels: Vec<&str> = m.causes.iter().map(|c| c.0.as_str()).collect();
        assert!(labels.contains(&"scope added: D (d)"), "{s:?}");
        assert!(labels.contains(&"scope added: E (e)"), "{s:?}");
        assert!(labels.iter().all(|l| !l.starts_with("scope and structure")), "{s:?}");
        let total: f64 = m.causes.iter().map(|c| c.1).sum();
        assert!((total - m.days).abs() < 1e-9, "{s:?}");
        let p80_total: f64 = m.causes.iter().filter_map(|c| c.2).sum();
        assert!((p80_total - m.p80_days.expect("shared out")).abs() < 1e-9, "{s:?}");
        // Removing B shortens M; adding D lengthens it.
        let share = |label: &str| m.causes.iter().find(|c| c.0 == label).map(|c| c.1);
        assert!(share("scope added: D (d)").is_some_and(|d| d > 0.0), "{s:?}");
        assert!(share("scope removed: B (b)").is_none_or(|b| b <= 0.0), "{s:?}");
    }
}
