//! Monte Carlo forecast: honest dates for every milestone and the program's
//! end. Each iteration samples every remaining item's duration from its
//! three-point estimate (PERT-Beta or triangular), fires each risk with its
//! probability (adding its delay to what it affects), and propagates the
//! dates through every link type from the status date; with capacity, each
//! iteration is placed by the serial SGS in a fixed priority order.
//!
//! Iterations run in seeded blocks, in parallel, merged in block order, so a
//! forecast is identical whatever the number of threads. Memory is bounded:
//! per target (milestone or end) one sample per iteration, per item a few
//! counters; never an iterations × items matrix.
//!
//! Drivers are ranked by the Pearson correlation between an item's sampled
//! duration (risk delays included) or a risk's sampled delay and a target's
//! finish, accumulated as running sums; a rank correlation would need every
//! sample kept.

mod block;
mod sample;

use std::sync::{Mutex, PoisonError};

use chrono::NaiveDate;
use linchpin_model::{GroupId, ItemId, LinkKind, MilestoneId, Program, RiskId};
use rayon::prelude::*;

use self::block::{BlockResult, Scratch, Steps, run_block};
use self::sample::{PertTable, Sampler, Time};
use crate::network::{Network, Progress};
use crate::progress::{Flow, Quiet, Sink, Stopped};
use crate::rcpsp::Problem;
use crate::rcpsp::search::{SearchOptions, solve};
use crate::schedule::to_problem;
use crate::time::WorkingDays;

/// How durations are drawn from a three-point estimate.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Distribution {
    /// Beta with mean (o + 4m + p) / 6, the PERT convention.
    #[default]
    Pert,
    Triangular,
}

#[derive(Clone, Copy, Debug)]
pub struct ForecastOptions {
    pub iterations: usize,
    pub seed: u64,
    pub distribution: Distribution,
    /// Respect team capacity in every iteration.
    pub capacity: bool,
}

impl Default for ForecastOptions {
    fn default() -> Self {
        ForecastOptions { iterations: 10_000, seed: 1, distribution: Distribution::Pert, capacity: false }
    }
}

/// What a target's date depends on, ranked.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum DriverKind {
    Item(ItemId),
    Risk(RiskId),
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Driver {
    pub kind: DriverKind,
    /// Pearson correlation with the target's finish, −1 to 1.
    pub correlation: f64,
}

/// The distribution of one target's finish.
#[derive(Clone, Debug)]
pub struct TargetForecast {
    /// The milestone, for a milestone's target; `None` for the program's end.
    pub milestone: Option<MilestoneId>,
    /// The item, for the target of an item's deadline.
    pub item: Option<ItemId>,
    /// The group, for a group's target (its deadline, if it has one).
    pub group: Option<GroupId>,
    pub target: Option<NaiveDate>,
    /// Working days from the program start.
    pub p10: f64,
    pub p50: f64,
    pub p80: f64,
    pub p95: f64,
    pub mean: f64,
    pub p10_date: NaiveDate,
    pub p50_date: NaiveDate,
    pub p80_date: NaiveDate,
    pub p95_date: NaiveDate,
    /// The chance of finishing by the target date.
    pub probability_on_target: Option<f64>,
    /// `(finish date, share of iterations finished by then)`, one point per
    /// working day between the earliest and latest outcome.
    pub s_curve: Vec<(NaiveDate, f64)>,
    /// `(first day of bin, iterations)` over equal-width bins in working days.
    pub histogram: Vec<(f64, usize)>,
    /// Items and risks that move this target most, strongest first.
    pub drivers: Vec<Driver>,
    /// Share of iterations each item (by item index) was on this target's
    /// critical path; for a deadline's or a group's target, empty (as are its
    /// drivers): only the end and the milestones keep per-item counts.
    pub criticality: Vec<f64>,
}

#[derive(Clone, Debug)]
pub struct Forecast {
    pub iterations: usize,
    /// The program's end first, then each milestone in plan order, then
    /// each item with a deadline in plan order, then each group with work.
    pub targets: Vec<TargetForecast>,
    milestone_count: usize,
    deadline_count: usize,
}

impl Forecast {
    pub fn end(&self) -> &TargetForecast {
        &self.targets[0]
    }

    pub fn milestones(&self) -> &[TargetForecast] {
        &self.targets[1..1 + self.milestone_count]
    }

    /// Each item with a deadline: its finish, and its chance of the deadline.
    pub fn deadlines(&self) -> &[TargetForecast] {
        &self.targets[1 + self.milestone_count..1 + self.milestone_count + self.deadline_count]
    }

    /// Each group with work: its finish, and its chance of its deadline.
    pub fn groups(&self) -> &[TargetForecast] {
        &self.targets[1 + self.milestone_count + self.deadline_count..]
    }
}

/// Why a program cannot be forecast.
#[derive(Debug, thiserror::Error)]
pub enum ForecastError {
    #[error("the plan cannot be scheduled with capacity")]
    Capacity(#[source] crate::schedule::ScheduleError),
    #[error("the forecast was stopped")]
    Stopped(#[from] Stopped),
    #[error(
        "{targets} targets (the end, milestones, deadlines and groups) × {iterations} iterations is more than {} finishes to keep; run fewer iterations",
        linchpin_model::diagnostic::grouped(MAX_SAMPLES as u64)
    )]
    TooLarge { targets: usize, iterations: usize },
    #[error(
        "at its most pessimistic the program would end after 9999-12-31, the last date a plan can hold ({} working days from its start); check the estimates and units",
        linchpin_model::diagnostic::grouped(*.room as u64)
    )]
    PastLatestDate { room: f64 },
}

/// The most finishes a forecast keeps, one per target per iteration: 50
/// million (200 MB). Without the bound, thousands of deadlines or a million
/// iterations on a plan with many milestones would exhaust memory.
pub const MAX_SAMPLES: usize = 50_000_000;

/// Iterations per seeded block; the unit of parallel work and of determinism.
const BLOCK: usize = 256;
/// A risk as the sampler sees it.
struct RiskEvent {
    risk: RiskId,
    probability: f64,
    delay: Sampler,
    nodes: Vec<u32>,
    targets: Vec<usize>,
}

/// Everything a block needs, shared read-only across threads.
struct Model<'a> {
    network: &'a Network,
    /// Per node (`None` for work already done).
    samplers: Vec<Option<Sampler>>,
    /// Per node, its draws' mean (0 for work done).
    means: Vec<Time>,
    /// Per node, whether its durations can vary (not done, not fixed, or
    /// lengthened by risks): only those enter the driver sums.
    varies: Vec<bool>,
    /// Per target, its finish when every draw is its mean.
    reference: Vec<f64>,
    table: PertTable,
    steps: Steps,
    /// Nodes that may finish last: the program ends when the last of them
    /// does (nodes nothing waits on, and those only started alongside).
    last: Vec<u32>,
    risks: Vec<RiskEvent>,
    /// Per target: the nodes whose finish it waits for (empty: every node).
    target_nodes: Vec<Vec<u32>>,
    /// The targets with criticality and drivers: the end and the milestones.
    detailed: usize,
    capacity: Option<(Problem, Vec<u32>)>,
}

impl Model<'_> {
    /// The nodes whose latest finish is target `t`'s finish.
    fn waited_on(&self, t: usize) -> &[u32] {
        match self.target_nodes[t].as_slice() {
            [] => &self.last,
            nodes => nodes,
        }
    }
}

/// Runs the forecast. `progress` is told `(iterations done, total)` as
/// blocks finish, and may stop it.
pub fn forecast(program: &Program, options: ForecastOptions, progress: &dyn Sink) -> Result<Forecast, ForecastError> {
    forecast_in_order(program, options, None, progress)
}

/// The priority order a capacity-aware forecast of `program` schedules
/// every iteration in: the best activity list of a short search.
pub fn priority_order(program: &Program, options: ForecastOptions) -> Result<PriorityOrder, ForecastError> {
    let mut days = WorkingDays::for_program(program);
    let network = Network::new(program, &mut days);
    let problem = to_problem(program, &network, &days).map_err(ForecastError::Capacity)?;
    Ok(PriorityOrder(search_order(&problem, options.seed)?))
}

/// The best activity list of a short search: 200 schedules, fewer on large
/// programs as the schedule's own search is.
fn search_order(problem: &crate::rcpsp::Problem, seed: u64) -> Result<Vec<u32>, Stopped> {
    let schedules = 200.min(crate::schedule::ScheduleOptions::automatic_effort(problem.len()));
    Ok(solve(problem, SearchOptions { schedules, seed }, &Quiet)?.order)
}

/// A capacity-aware forecast's priority order, to reuse for what-ifs that
/// change durations or people but not which items there are or how they
/// link (the search for it costs more than a short forecast).
#[derive(Clone, Debug)]
pub struct PriorityOrder(Vec<u32>);

/// [`forecast`], scheduling every iteration in `order` (from
/// [`priority_order`] of a program with the same items and links) instead
/// of searching for one.
pub fn forecast_in_order(
    program: &Program,
    options: ForecastOptions,
    order: Option<&PriorityOrder>,
    progress: &dyn Sink,
) -> Result<Forecast, ForecastError> {
    let mut days = WorkingDays::for_program(program);
    let network = Network::new(program, &mut days);
    let n = network.len();
    let mut target_nodes: Vec<Vec<u32>> = vec![Vec::new()];
    for milestone in program.milestones() {
        target_nodes.push(milestone.requires.iter().map(|i| network.graph.node(*i)).collect());
    }
    let deadlines: Vec<ItemId> =
        (0..program.items().len()).map(ItemId::new).filter(|i| program.item(*i).deadline.is_some()).collect();
    target_nodes.extend(deadlines.iter().map(|i| vec![network.graph.node(*i)]));
    let groups: Vec<GroupId> =
        (0..program.groups().len()).map(GroupId::new).filter(|g| !program.group(*g).members.is_empty()).collect();
    target_nodes
        .extend(groups.iter().map(|g| program.group(*g).members.iter().map(|i| network.graph.node(*i)).collect()));
    let milestone_count = program.milestones().len();
    let deadline_count = deadlines.len();
    let iterations = options.iterations.max(1);
    if target_nodes.len().saturating_mul(iterations) > MAX_SAMPLES {
        return Err(ForecastError::TooLarge { targets: target_nodes.len(), iterations });
    }
    let mut table = PertTable::new();
    let risks: Vec<RiskEvent> = program
        .risks()
        .iter()
        .enumerate()
        .filter(|(_, r)| r.status.is_live())
        .filter_map(|(i, r)| {
            let impact = r.schedule_impact?;
            let targets = r.affects_milestones.iter().map(|m| m.index() + 1).collect();
            Some(RiskEvent {
                risk: RiskId::new(i),
                probability: impact.probability,
                delay: Sampler::new(&impact.delay, options.distribution, &mut table),
                nodes: r.affects_items.iter().map(|item| network.graph.node(*item)).collect(),
                targets,
            })
        })
        .collect();
    // Every outcome must have a date a plan can hold: the latest possible
    // finish (every estimate at its pessimistic point, every risk firing at
    // its worst) stays within the calendar's last date.
    let room = crate::schedule::room_to_latest_date(program);
    let mut worst: Vec<f64> = (0..n)
        .map(|v| match network.progress[v] {
            Progress::Done { .. } => network.duration[v],
            _ => network.duration[v].max(network.estimate[v].pessimistic),
        })
        .collect();
    for risk in program.risks().iter().filter(|r| r.status.is_live()) {
        let Some(impact) = risk.schedule_impact else { continue };
        for item in &risk.affects_items {
            worst[network.graph.node(*item) as usize] += impact.delay.pessimistic;
        }
    }
    let (mut start, mut finish) = (vec![0.0; n], vec![0.0; n]);
    if crate::cpm::forward_pass(&network, &worst, &mut start, &mut finish) > room {
        return Err(ForecastError::PastLatestDate { room });
    }
    drop((worst, start, finish));
    let capacity = if options.capacity {
        let problem = to_problem(program, &network, &days).map_err(ForecastError::Capacity)?;
        // A fixed priority order, given or searched for.
        let order = match order {
            Some(PriorityOrder(order)) if order.len() == problem.len() => order.clone(),
            _ => search_order(&problem, options.seed)?,
        };
        Some((problem, order))
    } else {
        None
    };
    let samplers: Vec<Option<Sampler>> = (0..n)
        .map(|v| match network.progress[v] {
            Progress::Done { .. } => None,
            _ => Some(Sampler::new(&network.estimate[v], options.distribution, &mut table)),
        })
        .collect();
    let means = samplers.iter().map(|s| s.as_ref().map_or(0.0, |s| s.mean(&table))).collect();
    let steps = Steps::new(&network, risks.iter().flat_map(|r| r.nodes.iter().copied()));
    let varies = (0..n).map(|v| samplers[v].as_ref().is_some_and(|s| s.varies() || steps.has_risk(v))).collect();
    let last = (0..n as u32).filter(|&v| may_finish_last(&network, v)).collect();
    let targets = target_nodes.len();
    let mut model = Model {
        network: &network,
        samplers,
        means,
        varies,
        reference: vec![0.0; targets],
        table,
        steps,
        last,
        risks,
        target_nodes,
        detailed: 1 + milestone_count,
        capacity,
    };
    model.reference = block::reference_finishes(&model);

    let blocks = iterations.div_ceil(BLOCK);
    let detailed = model.detailed;
    let mut merged = BlockResult::empty(targets, detailed, n, model.risks.len());
    let window = rayon::current_num_threads().max(1) * 2;
    // Working memory and results are reused from block to block.
    let scratch = Mutex::new(Vec::new());
    let spare = Mutex::new(Vec::new());
    let mut done = 0;
    for first in (0..blocks).step_by(window) {
        let last = (first + window).min(blocks);
        let results: Vec<BlockResult> = (first..last)
            .into_par_iter()
            .map(|b| {
                let count = BLOCK.min(iterations - b * BLOCK);
                let mut working = take(&scratch).unwrap_or_else(|| Scratch::new(&model));
                let mut result =
                    take(&spare).unwrap_or_else(|| BlockResult::empty(targets, detailed, n, model.risks.len()));
                run_block(&model, &mut working, &mut result, options.seed, b as u64, count);
                give(&scratch, working);
                result
            })
            .collect();
        for mut result in results {
            done += result.samples[0].len();
            merged.absorb(&result);
            result.clear();
            give(&spare, result);
        }
        if progress.report(done, iterations) == Flow::Stop {
            return Err(ForecastError::Stopped(Stopped { done, total: iterations }));
        }
    }

    let end_max = merged.samples.iter().flatten().fold(0.0f32, |a, &b| a.max(b));
    days.ensure(end_max.ceil() as usize + 2);
    let summaries = (0..targets)
        .map(|t| {
            let milestone = (1..=milestone_count).contains(&t).then(|| MilestoneId::new(t - 1));
            let later = t.checked_sub(1 + milestone_count);
            let item = later.filter(|&d| d < deadline_count).map(|d| deadlines[d]);
            let group = later.and_then(|d| d.checked_sub(deadline_count)).map(|g| groups[g]);
            let target = match (milestone, item, group) {
                (Some(m), _, _) => program.milestone(m).target,
                (_, Some(i), _) => program.item(i).deadline,
                (_, _, Some(g)) => program.group(g).deadline,
                _ => None,
            };
            let mut summary = summarise(&merged, &model, t, milestone, target, &days, iterations);
            summary.item = item;
            summary.group = group;
            summary
        })
        .collect();
    Ok(Forecast { iterations, targets: summaries, milestone_count, deadline_count })
}

/// Whether a node can finish after everything else: unless a successor not
/// yet started must finish no earlier than it (a finish-to-start or
/// finish-to-finish link with no lead), it may be the program's last.
fn may_finish_last(network: &Network, node: u32) -> bool {
    !network.graph.successors(node).iter().any(|link| {
        link.lag >= 0.0
            && matches!(link.kind, LinkKind::FinishToStart | LinkKind::FinishToFinish)
            && network.progress[link.node as usize].is_open()
    })
}

fn take<T>(pool: &Mutex<Vec<T>>) -> Option<T> {
    pool.lock().unwrap_or_else(PoisonError::into_inner).pop()
}

fn give<T>(pool: &Mutex<Vec<T>>, item: T) {
    pool.lock().unwrap_or_else(PoisonError::into_inner).push(item);
}

fn quantile(sorted: &[f32], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = (p * (sorted.len() - 1) as f64).round() as usize;
    sorted[rank.min(sorted.len() - 1)] as f64
}

/// Pearson's correlation from running sums; `sxy` is Σx(y − reference).
fn correlation(n: f64, (sx, sxx): (f64, f64), (sy, syy): (f64, f64), reference: f64, sxy: f64) -> f64 {
    let cov = sxy / n - (sx / n) * (sy / n - reference);
    let vx = sxx / n - (sx / n).powi(2);
    let vy = syy / n - (sy / n).powi(2);
    if vx <= 1e-12 || vy <= 1e-12 { 0.0 } else { (cov / (vx.sqrt() * vy.sqrt())).clamp(-1.0, 1.0) }
}

fn summarise(
    merged: &BlockResult,
    model: &Model,
    t: usize,
    milestone: Option<MilestoneId>,
    target: Option<NaiveDate>,
    days: &WorkingDays,
    iterations: usize,
) -> TargetForecast {
    let mut sorted = merged.samples[t].clone();
    sorted.sort_by(f32::total_cmp);
    let count = sorted.len().max(1) as f64;
    let date = |x: f64| days.finish_date(x.max(1.0));
    let (p10, p50, p80, p95) =
        (quantile(&sorted, 0.10), quantile(&sorted, 0.50), quantile(&sorted, 0.80), quantile(&sorted, 0.95));
    let probability_on_target = target.map(|d| {
        let limit = days.time_at_end_of(d) + 1e-6;
        sorted.partition_point(|&x| (x as f64) <= limit) as f64 / count
    });
    let low = sorted.first().copied().unwrap_or(0.0) as f64;
    let high = sorted.last().copied().unwrap_or(0.0) as f64;
    let mut s_curve = Vec::new();
    let mut day = low.floor().max(0.0);
    while day <= high.ceil() && s_curve.len() < 2000 {
        let end_of_day = day + 1.0;
        let share = sorted.partition_point(|&x| (x as f64) <= end_of_day + 1e-6) as f64 / count;
        s_curve.push((days.date(day as usize), share));
        day += 1.0;
    }
    let bins = 30usize;
    let width = ((high - low) / bins as f64).max(1e-9);
    let mut histogram: Vec<(f64, usize)> = (0..bins).map(|i| (low + i as f64 * width, 0)).collect();
    for &x in &sorted {
        let bin = (((x as f64 - low) / width) as usize).min(bins - 1);
        histogram[bin].1 += 1;
    }
    let sy = merged.target_sums[t].0;
    let (drivers, criticality) = if t < model.detailed {
        (drivers(merged, model, t, count), criticality(merged, model, t, iterations))
    } else {
        (Vec::new(), Vec::new())
    };
    TargetForecast {
        milestone,
        item: None,
        group: None,
        target,
        p10,
        p50,
        p80,
        p95,
        mean: sy / count,
        p10_date: date(p10),
        p50_date: date(p50),
        p80_date: date(p80),
        p95_date: date(p95),
        probability_on_target,
        s_curve,
        histogram,
        drivers,
        criticality,
    }
}

/// What moves detailed target `t` most, strongest first.
fn drivers(merged: &BlockResult, model: &Model, t: usize, count: f64) -> Vec<Driver> {
    let network = model.network;
    let reference = model.reference[t];
    let mut drivers: Vec<Driver> = (0..network.len())
        .map(|v| {
            let c =
                correlation(count, merged.node_sums[v], merged.target_sums[t], reference, merged.node_target_xy[t][v]);
            Driver { kind: DriverKind::Item(network.item(v as u32)), correlation: c }
        })
        .chain(model.risks.iter().enumerate().map(|(r, risk)| {
            let c =
                correlation(count, merged.risk_sums[r], merged.target_sums[t], reference, merged.risk_target_xy[t][r]);
            Driver { kind: DriverKind::Risk(risk.risk), correlation: c }
        }))
        .filter(|d| d.correlation > 0.05)
        .collect();
    drivers.sort_by(|a, b| b.correlation.total_cmp(&a.correlation));
    drivers.truncate(10);
    drivers
}

/// The share of iterations each item was on detailed target `t`'s critical path.
fn criticality(merged: &BlockResult, model: &Model, t: usize, iterations: usize) -> Vec<f64> {
    let network = model.network;
    let mut criticality = vec![0.0; network.len()];
    for v in 0..network.len() {
        criticality[network.item(v as u32).index()] = merged.critical[t][v] as f64 / iterations.max(1) as f64;
    }
    criticality
}
