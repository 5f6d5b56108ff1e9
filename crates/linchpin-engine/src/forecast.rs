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

use chrono::NaiveDate;
use linchpin_model::{Estimate, ItemId, LinkKind, MilestoneId, Program, RiskId};
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};
use rand_distr::{Beta, Distribution as _};
use rayon::prelude::*;

use crate::graph::Cycle;
use crate::network::{Network, Progress};
use crate::rcpsp::Problem;
use crate::rcpsp::search::{SearchOptions, solve};
use crate::rcpsp::sgs::Decoder;
use crate::schedule::to_problem;
use crate::time::{WorkingDays, advance, retreat};

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
    /// `None` for the program's end.
    pub milestone: Option<MilestoneId>,
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
    /// critical path.
    pub criticality: Vec<f64>,
}

#[derive(Clone, Debug)]
pub struct Forecast {
    pub iterations: usize,
    /// The program's end first, then each milestone in plan order.
    pub targets: Vec<TargetForecast>,
}

impl Forecast {
    pub fn end(&self) -> &TargetForecast {
        &self.targets[0]
    }

    pub fn milestones(&self) -> &[TargetForecast] {
        &self.targets[1..]
    }
}

/// Why a program cannot be forecast.
#[derive(Debug, thiserror::Error)]
pub enum ForecastError {
    #[error("the dependencies form {} cycle(s)", .0.len())]
    Cycles(Vec<Cycle>),
    #[error("{0}")]
    Capacity(String),
}

/// Iterations per seeded block; the unit of parallel work and of determinism.
const BLOCK: usize = 256;
/// Iterations propagated side by side in one pass (vectorised lanes).
const LANES: usize = 8;
/// Times inside a block. Single precision halves the memory a pass streams
/// through (what limits large networks) and doubles the lanes per vector
/// instruction; a day is still resolved to a few seconds at ten thousand
/// days. Samples are drawn and sums are kept in double precision.
type Time = f32;
/// One value per lane.
type Lanes = [Time; LANES];
/// The larger of two times, as one `maxps` lane: times are never NaN, so
/// `f32::max`'s NaN handling would only stop the lanes vectorising.
#[inline(always)]
fn later(a: Time, b: Time) -> Time {
    if a < b { b } else { a }
}

/// 2⁻²⁴: a 24-bit integer times this is a uniform draw in [0, 1).
const UNIT_24: Time = 1.0 / (1u32 << 24) as Time;

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
    /// Nodes nothing waits on: the program ends when the last of them does.
    sinks: Vec<u32>,
    risks: Vec<RiskEvent>,
    /// Per target: the nodes whose finish it waits for (empty: every node).
    target_nodes: Vec<Vec<u32>>,
    holidays: bool,
    capacity: Option<(Problem, Vec<u32>)>,
}

struct BlockResult {
    /// Per target, a finish per iteration.
    samples: Vec<Vec<f32>>,
    /// Per target, per node: iterations on the critical path.
    critical: Vec<Vec<u32>>,
    /// Per target: Σy, Σy².
    target_sums: Vec<(f64, f64)>,
    /// Per node: Σx, Σx²; per target per node: Σxy.
    node_sums: Vec<(f64, f64)>,
    node_target_xy: Vec<Vec<f64>>,
    risk_sums: Vec<(f64, f64)>,
    risk_target_xy: Vec<Vec<f64>>,
}

/// Runs the forecast. `progress` is told `(iterations done, total)` as blocks finish.
pub fn forecast(
    program: &Program,
    options: ForecastOptions,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<Forecast, ForecastError> {
    let mut days = WorkingDays::for_program(program);
    let network = Network::new(program, &days).map_err(ForecastError::Cycles)?;
    let n = network.len();
    let mut target_nodes: Vec<Vec<u32>> = vec![Vec::new()];
    for milestone in &program.milestones {
        target_nodes.push(milestone.requires.iter().map(|i| network.graph.node(*i)).collect());
    }
    let risks = program
        .risks
        .iter()
        .enumerate()
        .filter(|(_, r)| r.status.is_live())
        .filter_map(|(i, r)| {
            let impact = r.schedule_impact?;
            let targets = r.affects_milestones.iter().map(|m| m.index() + 1).collect();
            Some(RiskEvent {
                risk: RiskId::new(i),
                probability: impact.probability,
                delay: Sampler::new(&impact.delay, options.distribution),
                nodes: r.affects_items.iter().map(|item| network.graph.node(*item)).collect(),
                targets,
            })
        })
        .collect();
    let capacity = if options.capacity {
        let problem = to_problem(program, &network, &days).map_err(|e| ForecastError::Capacity(e.to_string()))?;
        // A fixed priority order: the best list of a short search.
        let order = solve(&problem, SearchOptions { schedules: 200, seed: options.seed }).order;
        Some((problem, order))
    } else {
        None
    };
    let holidays = network.team_holidays.iter().any(|h| !h.is_empty());
    let samplers = (0..n)
        .map(|v| match network.progress[v] {
            Progress::Done { .. } => None,
            _ => Some(Sampler::new(&network.estimate[v], options.distribution)),
        })
        .collect();
    let sinks = (0..n as u32).filter(|&v| network.graph.successors(v).is_empty()).collect();
    let model = Model { network: &network, samplers, sinks, risks, target_nodes, holidays, capacity };

    let iterations = options.iterations.max(1);
    let blocks = iterations.div_ceil(BLOCK);
    let targets = model.target_nodes.len();
    let mut merged = BlockResult::empty(targets, n, model.risks.len());
    let window = rayon::current_num_threads().max(1) * 2;
    let mut done = 0;
    for first in (0..blocks).step_by(window) {
        let last = (first + window).min(blocks);
        let results: Vec<BlockResult> = (first..last)
            .into_par_iter()
            .map(|b| {
                let count = BLOCK.min(iterations - b * BLOCK);
                run_block(&model, options.seed, b as u64, count)
            })
            .collect();
        for result in results {
            done += result.samples[0].len();
            merged.absorb(result);
        }
        progress(done, iterations);
    }

    let end_max = merged.samples.iter().flatten().fold(0.0f32, |a, &b| a.max(b));
    days.ensure(end_max.ceil() as usize + 2);
    let summaries = (0..targets)
        .map(|t| {
            let milestone = (t > 0).then(|| MilestoneId::new(t - 1));
            let target = milestone.and_then(|m| program.milestone(m).target);
            summarise(&merged, &model, t, milestone, target, &days, iterations)
        })
        .collect();
    Ok(Forecast { iterations, targets: summaries })
}

impl BlockResult {
    fn empty(targets: usize, nodes: usize, risks: usize) -> Self {
        BlockResult {
            samples: vec![Vec::new(); targets],
            critical: vec![vec![0; nodes]; targets],
            target_sums: vec![(0.0, 0.0); targets],
            node_sums: vec![(0.0, 0.0); nodes],
            node_target_xy: vec![vec![0.0; nodes]; targets],
            risk_sums: vec![(0.0, 0.0); risks],
            risk_target_xy: vec![vec![0.0; risks]; targets],
        }
    }

    fn absorb(&mut self, other: BlockResult) {
        for (mine, theirs) in self.samples.iter_mut().zip(other.samples) {
            mine.extend(theirs);
        }
        let add_u32 = |a: &mut Vec<u32>, b: &[u32]| a.iter_mut().zip(b).for_each(|(x, y)| *x += y);
        let add = |a: &mut Vec<f64>, b: &[f64]| a.iter_mut().zip(b).for_each(|(x, y)| *x += y);
        let add2 = |a: &mut Vec<(f64, f64)>, b: &[(f64, f64)]| {
            a.iter_mut().zip(b).for_each(|(x, y)| {
                x.0 += y.0;
                x.1 += y.1;
            })
        };
        for (a, b) in self.critical.iter_mut().zip(&other.critical) {
            add_u32(a, b);
        }
        add2(&mut self.target_sums, &other.target_sums);
        add2(&mut self.node_sums, &other.node_sums);
        add2(&mut self.risk_sums, &other.risk_sums);
        for (a, b) in self.node_target_xy.iter_mut().zip(&other.node_target_xy) {
            add(a, b);
        }
        for (a, b) in self.risk_target_xy.iter_mut().zip(&other.risk_target_xy) {
            add(a, b);
        }
    }
}

/// Draws durations from one three-point estimate; the constants are worked
/// out once per forecast, not once per draw.
#[derive(Clone, Debug)]
enum Sampler {
    Fixed(f64),
    Triangular { low: f64, high: f64, mode_share: f64, rising: f64, falling: f64 },
    Pert { low: f64, width: f64, beta: Beta<f64> },
}

impl Sampler {
    fn new(estimate: &Estimate, distribution: Distribution) -> Self {
        let Estimate { optimistic: a, likely: m, pessimistic: b } = *estimate;
        if b - a <= 1e-12 {
            return Sampler::Fixed(m);
        }
        match distribution {
            Distribution::Triangular => Sampler::Triangular {
                low: a,
                high: b,
                mode_share: (m - a) / (b - a),
                rising: (b - a) * (m - a),
                falling: (b - a) * (b - m),
            },
            Distribution::Pert => {
                let alpha = 1.0 + 4.0 * (m - a) / (b - a);
                let beta = 1.0 + 4.0 * (b - m) / (b - a);
                match Beta::new(alpha, beta) {
                    Ok(beta) => Sampler::Pert { low: a, width: b - a, beta },
                    Err(_) => Sampler::Fixed(m),
                }
            }
        }
    }

    /// Fills the first `lanes` entries of `out`; the rest become zero.
    #[inline]
    fn fill(&self, rng: &mut SmallRng, out: &mut Lanes, lanes: usize) {
        match self {
            Sampler::Fixed(value) => *out = [*value as Time; LANES],
            Sampler::Triangular { low, high, mode_share, rising, falling } => {
                // Two 24-bit uniforms from each 64-bit draw: as fine as the
                // single-precision times they become, and half the draws.
                let mut u = [0.0 as Time; LANES];
                for pair in 0..lanes.div_ceil(2) {
                    let bits: u64 = rng.random();
                    u[2 * pair] = ((bits >> 40) as u32 as i32) as Time * UNIT_24;
                    u[2 * pair + 1] = (((bits >> 8) as u32 & 0xFF_FFFF) as i32) as Time * UNIT_24;
                }
                let (low, high, mode_share) = (*low as Time, *high as Time, *mode_share as Time);
                let (rising, falling) = (*rising as Time, *falling as Time);
                // Both branches of the inverse CDF, then a select, in plain
                // loops over the lanes: no mispredicted branch per draw, and
                // each loop is one or two vector instructions.
                let mut left = [0.0 as Time; LANES];
                let mut right = [0.0 as Time; LANES];
                for l in 0..LANES {
                    left[l] = u[l] * rising;
                    right[l] = (1.0 - u[l]) * falling;
                }
                for l in 0..LANES {
                    left[l] = left[l].sqrt();
                    right[l] = right[l].sqrt();
                }
                for l in 0..LANES {
                    out[l] = if u[l] < mode_share { low + left[l] } else { high - right[l] };
                }
            }
            Sampler::Pert { .. } => {
                for o in out.iter_mut().take(lanes) {
                    *o = self.sample(rng) as Time;
                }
            }
        }
        out[lanes..].iter_mut().for_each(|x| *x = 0.0);
    }

    #[inline]
    fn sample(&self, rng: &mut SmallRng) -> f64 {
        match self {
            Sampler::Fixed(value) => *value,
            Sampler::Triangular { low, high, mode_share, rising, falling } => {
                let u: f64 = rng.random();
                if u < *mode_share { low + (u * rising).sqrt() } else { high - ((1.0 - u) * falling).sqrt() }
            }
            Sampler::Pert { low, width, beta } => low + beta.sample(rng) * width,
        }
    }
}

fn run_block(model: &Model, seed: u64, block: u64, count: usize) -> BlockResult {
    let network = model.network;
    let n = network.len();
    let targets = model.target_nodes.len();
    // Distinct, reproducible streams per block. `SmallRng` (xoshiro256++ on
    // 64-bit targets) has no multiply in its chain, so drawing costs a
    // third less than PCG here; the lockfile pins its algorithm.
    let mut rng =
        SmallRng::seed_from_u64(seed ^ block.wrapping_mul(0x9E37_79B9_7F4A_7C15).wrapping_add(0x2545_F491_4F6C_DD1D));
    let mut result = BlockResult::empty(targets, n, model.risks.len());
    for samples in &mut result.samples {
        samples.reserve(count);
    }
    let mut duration: Vec<Lanes> = vec![[0.0; LANES]; n];
    let mut start: Vec<Lanes> = vec![[0.0; LANES]; n];
    let mut finish: Vec<Lanes> = vec![[0.0; LANES]; n];
    let mut risk_delay = vec![[0.0f64; LANES]; model.risks.len()];
    let mut target_extra = vec![[0.0f64; LANES]; targets];
    // Each block owns a copy of the problem: its durations change per iteration.
    let mut decoder = model.capacity.as_ref().map(|(p, order)| (p.clone(), Decoder::new(p), order));

    let mut done = 0;
    while done < count {
        let lanes = LANES.min(count - done);
        for (d, sampler) in duration.iter_mut().zip(&model.samplers) {
            match sampler {
                Some(sampler) => sampler.fill(&mut rng, d, lanes),
                None => *d = [0.0; LANES],
            }
        }
        for extra in target_extra.iter_mut() {
            *extra = [0.0; LANES];
        }
        for (r, risk) in model.risks.iter().enumerate() {
            risk_delay[r] = [0.0; LANES];
            for lane in 0..lanes {
                let fires = rng.random::<f64>() < risk.probability;
                let delay = if fires { risk.delay.sample(&mut rng) } else { 0.0 };
                risk_delay[r][lane] = delay;
                if delay > 0.0 {
                    for &node in &risk.nodes {
                        if !matches!(network.progress[node as usize], Progress::Done { .. }) {
                            duration[node as usize][lane] += delay as Time;
                        }
                    }
                    for &t in &risk.targets {
                        target_extra[t][lane] += delay;
                    }
                }
            }
        }
        match decoder.as_mut() {
            Some((problem, decoder, order)) => {
                capacity_pass(network, problem, decoder, order, &duration, &mut start, &mut finish, lanes)
            }
            None => propagate(network, model.holidays, &duration, &mut start, &mut finish),
        }

        let mut ys = vec![[0.0f64; LANES]; targets];
        for (t, nodes) in model.target_nodes.iter().enumerate() {
            let candidates: &[u32] = if nodes.is_empty() { &model.sinks } else { nodes };
            // The latest finish among the target's nodes, all lanes at once
            // (the first node to reach the maximum wins, as in a fold).
            let mut at: Lanes = [0.0; LANES];
            let mut last = [usize::MAX; LANES];
            for &v in candidates {
                let f = &finish[v as usize];
                for l in 0..LANES {
                    if f[l] > at[l] {
                        at[l] = f[l];
                        last[l] = v as usize;
                    }
                }
            }
            for lane in 0..lanes {
                let y = at[lane] as f64 + target_extra[t][lane];
                ys[t][lane] = y;
                result.samples[t].push(y as f32);
                result.target_sums[t].0 += y;
                result.target_sums[t].1 += y * y;
                if last[lane] != usize::MAX {
                    mark_critical(network, &start, &finish, &duration, lane, last[lane], &mut result.critical[t]);
                }
            }
        }
        // Running sums for the drivers, node by node over all lanes at once
        // (lanes past `lanes` hold zeros and add nothing).
        for (t, y) in ys.iter().enumerate() {
            for (xy, d) in result.node_target_xy[t].iter_mut().zip(&duration) {
                *xy += (0..LANES).map(|l| d[l] as f64 * y[l]).sum::<f64>();
            }
            for (xy, d) in result.risk_target_xy[t].iter_mut().zip(&risk_delay) {
                *xy += (0..LANES).map(|l| d[l] * y[l]).sum::<f64>();
            }
        }
        for (sums, d) in result.node_sums.iter_mut().zip(&duration) {
            sums.0 += d.iter().map(|&x| x as f64).sum::<f64>();
            sums.1 += d.iter().map(|&x| x as f64 * x as f64).sum::<f64>();
        }
        for (sums, d) in result.risk_sums.iter_mut().zip(&risk_delay) {
            sums.0 += d.iter().sum::<f64>();
            sums.1 += d.iter().map(|x| x * x).sum::<f64>();
        }
        done += lanes;
    }
    result
}

/// The forward pass over `LANES` iterations at once.
fn propagate(network: &Network, holidays: bool, duration: &[Lanes], start: &mut [Lanes], finish: &mut [Lanes]) {
    let now = network.now as Time;
    for node in 0..network.len() {
        let d = duration[node];
        let (s, f) = match network.progress[node] {
            Progress::Done { start, finish } => ([start as Time; LANES], [finish as Time; LANES]),
            Progress::Started { start } => {
                let start = start as Time;
                let mut f: Lanes = [0.0; LANES];
                for l in 0..LANES {
                    f[l] = if holidays {
                        advance(network.holidays(node), network.now, d[l] as f64).1 as Time
                    } else {
                        now + d[l]
                    };
                    f[l] = f[l].max(start);
                }
                ([start; LANES], f)
            }
            Progress::Open => {
                let mut s: Lanes = [network.release[node] as Time; LANES];
                for link in network.graph.predecessors(node as u32) {
                    let p = link.node as usize;
                    let lag = link.lag as Time;
                    match link.kind {
                        LinkKind::FinishToStart => {
                            for l in 0..LANES {
                                s[l] = later(s[l], finish[p][l] + lag);
                            }
                        }
                        LinkKind::StartToStart => {
                            for l in 0..LANES {
                                s[l] = later(s[l], start[p][l] + lag);
                            }
                        }
                        LinkKind::FinishToFinish => {
                            for l in 0..LANES {
                                let bound = if holidays {
                                    retreat(network.holidays(node), (finish[p][l] + lag) as f64, d[l] as f64).0 as Time
                                } else {
                                    finish[p][l] + lag - d[l]
                                };
                                s[l] = later(s[l], bound);
                            }
                        }
                    }
                }
                let mut f: Lanes = [0.0; LANES];
                if holidays {
                    for l in 0..LANES {
                        let (a, b) = advance(network.holidays(node), s[l] as f64, d[l] as f64);
                        (s[l], f[l]) = (a as Time, b as Time);
                    }
                } else {
                    for l in 0..LANES {
                        f[l] = s[l] + d[l];
                    }
                }
                (s, f)
            }
        };
        start[node] = s;
        finish[node] = f;
    }
}

/// One capacity-aware schedule per lane: the serial SGS over the fixed list.
#[allow(clippy::too_many_arguments, reason = "the per-lane buffers belong to the caller's block")]
fn capacity_pass(
    network: &Network,
    problem: &mut Problem,
    decoder: &mut Decoder,
    order: &[u32],
    duration: &[Lanes],
    start: &mut [Lanes],
    finish: &mut [Lanes],
    lanes: usize,
) {
    let per_day = problem.ticks_per_day as f64;
    for lane in 0..lanes {
        for (node, d) in duration.iter().enumerate() {
            problem.duration[node] = (d[lane] as f64 * per_day - 1e-6).ceil().max(0.0) as u32;
            if let (Progress::Started { .. }, Some(fixed)) = (network.progress[node], problem.fixed[node].as_mut()) {
                let (_, f) = advance(network.holidays(node), network.now, d[lane] as f64);
                fixed.finish = ((f * per_day) - 1e-6).ceil().max(fixed.start as f64) as u32;
            }
        }
        decoder.decode(problem, order);
        for node in 0..network.len() {
            start[node][lane] = (decoder.start[node] as f64 / per_day) as Time;
            finish[node][lane] = (decoder.finish[node] as f64 / per_day) as Time;
        }
    }
}

/// Walks back from `last` along the links that set each start in `lane`.
fn mark_critical(
    network: &Network,
    start: &[Lanes],
    finish: &[Lanes],
    duration: &[Lanes],
    lane: usize,
    last: usize,
    counts: &mut [u32],
) {
    let mut node = last;
    let mut guard = 0;
    loop {
        counts[node] += 1;
        guard += 1;
        if network.progress[node] != Progress::Open || guard > network.len() {
            break;
        }
        let s = start[node][lane];
        let driver = network.graph.predecessors(node as u32).iter().find(|link| {
            let p = link.node as usize;
            let lag = link.lag as Time;
            let bound = match link.kind {
                LinkKind::FinishToStart => finish[p][lane] + lag,
                LinkKind::StartToStart => start[p][lane] + lag,
                LinkKind::FinishToFinish => finish[p][lane] + lag - duration[node][lane],
            };
            // The same single-precision sums as the forward pass: a driving
            // link reproduces the start exactly.
            bound == s
        });
        match driver {
            Some(link) => node = link.node as usize,
            None => break,
        }
    }
}

fn quantile(sorted: &[f32], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = (p * (sorted.len() - 1) as f64).round() as usize;
    sorted[rank.min(sorted.len() - 1)] as f64
}

fn correlation(n: f64, sx: f64, sxx: f64, sy: f64, syy: f64, sxy: f64) -> f64 {
    let cov = sxy / n - (sx / n) * (sy / n);
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
    let network = model.network;
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
    let (sy, syy) = merged.target_sums[t];
    let mut drivers: Vec<Driver> = (0..network.len())
        .map(|v| {
            let (sx, sxx) = merged.node_sums[v];
            let c = correlation(count, sx, sxx, sy, syy, merged.node_target_xy[t][v]);
            Driver { kind: DriverKind::Item(network.item(v as u32)), correlation: c }
        })
        .chain(model.risks.iter().enumerate().map(|(r, risk)| {
            let (sx, sxx) = merged.risk_sums[r];
            let c = correlation(count, sx, sxx, sy, syy, merged.risk_target_xy[t][r]);
            Driver { kind: DriverKind::Risk(risk.risk), correlation: c }
        }))
        .filter(|d| d.correlation > 0.05)
        .collect();
    drivers.sort_by(|a, b| b.correlation.total_cmp(&a.correlation));
    drivers.truncate(10);
    let mut criticality = vec![0.0; network.len()];
    for v in 0..network.len() {
        criticality[network.item(v as u32).index()] = merged.critical[t][v] as f64 / iterations.max(1) as f64;
    }
    TargetForecast {
        milestone,
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
