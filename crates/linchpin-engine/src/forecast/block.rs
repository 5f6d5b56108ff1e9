//! One seeded block of iterations, `LANES` at a time: draw, propagate, and
//! keep what the summaries need.

use linchpin_model::LinkKind;
use rand_core::SeedableRng;

use super::Model;
use super::sample::{BlockRng, LANES, LaneRng, Lanes, Time, unit_f64};
use crate::network::{Network, Progress};
use crate::rcpsp::Problem;
use crate::rcpsp::sgs::Decoder;
use crate::time::{advance, retreat};

/// How the forward pass places a node, worked out once per forecast so the
/// pass reads one small tag and, for most nodes, nothing but predecessor
/// finishes.
#[derive(Clone, Copy, Debug)]
pub(super) enum Step {
    Done {
        start: Time,
        finish: Time,
    },
    /// In progress, without team holidays: runs its draw from the status date.
    Started {
        start: Time,
    },
    /// Not started, waiting only on finish-to-start links, without team
    /// holidays: its predecessors are in the `plain` adjacency arrays. Its
    /// start is stored only when a start-to-start link reads it; otherwise
    /// the critical path works it out again (a pass writes a third less).
    Plain {
        release: Time,
        store_start: bool,
    },
    /// Everything else: other link kinds, calendar-day lags, team holidays,
    /// a start pinned to its date.
    General,
}

/// The forward pass's view of the network.
pub(super) struct Steps {
    pub(super) step: Vec<Step>,
    /// Finish-to-start predecessors `(node, lag)` of `Plain` nodes.
    plain_offsets: Vec<u32>,
    plain: Vec<(u32, Time)>,
    /// Per node, the slot its risk delays collect in (`NO_RISK`: none).
    pub(super) risk_slot: Vec<u32>,
    pub(super) risk_slots: usize,
}

const NO_RISK: u32 = u32::MAX;

impl Steps {
    pub(super) fn new(network: &Network, risk_nodes: impl Iterator<Item = u32>) -> Self {
        let n = network.len();
        let mut steps = Steps {
            step: Vec::with_capacity(n),
            plain_offsets: Vec::with_capacity(n + 1),
            plain: Vec::new(),
            risk_slot: vec![NO_RISK; n],
            risk_slots: 0,
        };
        steps.plain_offsets.push(0);
        for node in 0..n {
            let calendar = !network.holidays(node).is_empty();
            let preds = network.graph.predecessors(node as u32);
            let step = match network.progress[node] {
                Progress::Done { start, finish } => Step::Done { start: start as Time, finish: finish as Time },
                Progress::Started { start } if !calendar => Step::Started { start: start as Time },
                Progress::Open
                    if !calendar && preds.iter().all(|l| l.kind == LinkKind::FinishToStart && !l.elapsed) =>
                {
                    steps.plain.extend(preds.iter().map(|l| (l.node, l.lag as Time)));
                    let store_start =
                        network.graph.successors(node as u32).iter().any(|l| l.kind == LinkKind::StartToStart);
                    Step::Plain { release: network.release[node] as Time, store_start }
                }
                _ => Step::General,
            };
            steps.step.push(step);
            steps.plain_offsets.push(steps.plain.len() as u32);
        }
        for node in risk_nodes {
            let node = node as usize;
            if steps.risk_slot[node] == NO_RISK && !matches!(steps.step[node], Step::Done { .. }) {
                steps.risk_slot[node] = steps.risk_slots as u32;
                steps.risk_slots += 1;
            }
        }
        steps
    }

    /// Whether risk delays are added to the node's draws.
    pub(super) fn has_risk(&self, node: usize) -> bool {
        self.risk_slot[node] != NO_RISK
    }

    fn plain_predecessors(&self, node: usize) -> &[(u32, Time)] {
        &self.plain[self.plain_offsets[node] as usize..self.plain_offsets[node + 1] as usize]
    }
}

/// What one block adds to the forecast. Only the detailed targets (the
/// end and the milestones) keep per-node counts and driver sums; the others
/// (deadlines) keep their finishes alone, so their memory does not grow
/// with the network.
pub(super) struct BlockResult {
    /// Per target, a finish per iteration.
    pub(super) samples: Vec<Vec<f32>>,
    /// Per detailed target, per node: iterations on the critical path.
    pub(super) critical: Vec<Vec<u32>>,
    /// Per target: Σy, Σy².
    pub(super) target_sums: Vec<(f64, f64)>,
    /// Per node: Σx, Σx² of its duration less its mean; per detailed target
    /// per node: Σx(y − reference).
    pub(super) node_sums: Vec<(f64, f64)>,
    pub(super) node_target_xy: Vec<Vec<f64>>,
    /// The same for each risk's delay.
    pub(super) risk_sums: Vec<(f64, f64)>,
    pub(super) risk_target_xy: Vec<Vec<f64>>,
}

impl BlockResult {
    pub(super) fn empty(targets: usize, detailed: usize, nodes: usize, risks: usize) -> Self {
        BlockResult {
            samples: vec![Vec::new(); targets],
            critical: vec![vec![0; nodes]; detailed],
            target_sums: vec![(0.0, 0.0); targets],
            node_sums: vec![(0.0, 0.0); nodes],
            node_target_xy: vec![vec![0.0; nodes]; detailed],
            risk_sums: vec![(0.0, 0.0); risks],
            risk_target_xy: vec![vec![0.0; risks]; detailed],
        }
    }

    /// Empties a result for reuse.
    pub(super) fn clear(&mut self) {
        self.samples.iter_mut().for_each(Vec::clear);
        self.critical.iter_mut().for_each(|c| c.fill(0));
        self.target_sums.fill((0.0, 0.0));
        self.node_sums.fill((0.0, 0.0));
        self.node_target_xy.iter_mut().for_each(|xy| xy.fill(0.0));
        self.risk_sums.fill((0.0, 0.0));
        self.risk_target_xy.iter_mut().for_each(|xy| xy.fill(0.0));
    }

    pub(super) fn absorb(&mut self, other: &BlockResult) {
        for (mine, theirs) in self.samples.iter_mut().zip(&other.samples) {
            mine.extend(theirs);
        }
        for (a, b) in self.critical.iter_mut().zip(&other.critical) {
            a.iter_mut().zip(b).for_each(|(x, y)| *x += y);
        }
        let add2 = |a: &mut Vec<(f64, f64)>, b: &[(f64, f64)]| {
            a.iter_mut().zip(b).for_each(|(x, y)| {
                x.0 += y.0;
                x.1 += y.1;
            })
        };
        add2(&mut self.target_sums, &other.target_sums);
        add2(&mut self.node_sums, &other.node_sums);
        add2(&mut self.risk_sums, &other.risk_sums);
        let add = |a: &mut Vec<f64>, b: &[f64]| a.iter_mut().zip(b).for_each(|(x, y)| *x += y);
        for (a, b) in self.node_target_xy.iter_mut().zip(&other.node_target_xy) {
            add(a, b);
        }
        for (a, b) in self.risk_target_xy.iter_mut().zip(&other.risk_target_xy) {
            add(a, b);
        }
    }
}

/// The larger of two times, as one `maxps` lane: times are never NaN, so
/// `f32::max`'s NaN handling would only stop the lanes vectorising.
#[inline(always)]
fn later(a: Time, b: Time) -> Time {
    if a < b { b } else { a }
}

/// Per-block buffers, one `Lanes` per node.
struct Buffers {
    duration: Vec<Lanes>,
    start: Vec<Lanes>,
    finish: Vec<Lanes>,
    /// Risk delays per risk slot in this pass.
    extra: Vec<Lanes>,
}

impl Buffers {
    fn new(model: &Model) -> Self {
        let zero = [0.0; LANES];
        let n = model.network.len();
        Buffers {
            duration: vec![zero; n],
            start: vec![zero; n],
            finish: vec![zero; n],
            extra: vec![zero; model.steps.risk_slots],
        }
    }
}

/// Working memory for blocks, reused from one block to the next: fresh
/// buffers per block cost page faults and allocator contention that kept
/// two threads from running much faster than one.
pub(super) struct Scratch {
    buffers: Buffers,
    sums: DriverSums,
    /// With capacity, a copy of the problem (its durations change per
    /// iteration) and its decoder.
    decoder: Option<(Problem, Decoder)>,
}

impl Scratch {
    pub(super) fn new(model: &Model) -> Self {
        Scratch {
            buffers: Buffers::new(model),
            sums: DriverSums::new(model.network.len(), model.detailed),
            decoder: model.capacity.as_ref().map(|(p, _)| (p.clone(), Decoder::new(p))),
        }
    }
}

/// Runs one block of `count` iterations into `result`, which starts empty.
pub(super) fn run_block(
    model: &Model,
    scratch: &mut Scratch,
    result: &mut BlockResult,
    seed: u64,
    block: u64,
    count: usize,
) {
    let network = model.network;
    let targets = model.target_nodes.len();
    // Distinct, reproducible streams per block.
    let mut rng =
        BlockRng::seed_from_u64(seed ^ block.wrapping_mul(0x9E37_79B9_7F4A_7C15).wrapping_add(0x2545_F491_4F6C_DD1D));
    let mut lanes_rng = LaneRng::new(&mut rng);
    for samples in &mut result.samples {
        samples.reserve(count);
    }
    let zero = [0.0; LANES];
    let Scratch { buffers, sums, decoder } = scratch;
    sums.kept.iter_mut().for_each(|k| *k = [0.0; KEPT]);
    let mut risk_delay = vec![[0.0f64; LANES]; model.risks.len()];
    let mut target_extra = vec![[0.0f64; LANES]; targets];
    let mut pending: Option<Pending> = None;

    let mut done = 0;
    while done < count {
        let lanes = LANES.min(count - done);
        // Risks first: their delays lengthen the items they affect.
        buffers.extra.iter_mut().for_each(|e| *e = zero);
        target_extra.iter_mut().for_each(|e| *e = [0.0; LANES]);
        for (r, risk) in model.risks.iter().enumerate() {
            risk_delay[r] = [0.0; LANES];
            for lane in 0..lanes {
                if unit_f64(&mut rng) >= risk.probability {
                    continue;
                }
                let delay = risk.delay.sample(&mut rng, &model.table);
                risk_delay[r][lane] = delay;
                for &node in &risk.nodes {
                    let slot = model.steps.risk_slot[node as usize];
                    if slot != NO_RISK {
                        buffers.extra[slot as usize][lane] += delay as Time;
                    }
                }
                for &t in &risk.targets {
                    target_extra[t][lane] += delay;
                }
            }
        }
        draw_all(model, buffers, &mut lanes_rng, pending.as_ref(), sums);
        match (decoder.as_mut(), &model.capacity) {
            (Some((problem, decoder)), Some((_, order))) => {
                capacity_pass(network, problem, decoder, order, buffers, lanes)
            }
            _ => forward_pass(model, buffers),
        }

        // Each target's finish per lane, and a detailed one's critical path.
        let mut centred = vec![[0.0 as Time; LANES]; model.detailed];
        for t in 0..targets {
            let (at, last) = latest_finish(model.waited_on(t), &buffers.finish);
            for lane in 0..lanes {
                let y = at[lane] as f64 + target_extra[t][lane];
                result.samples[t].push(y as f32);
                result.target_sums[t].0 += y;
                result.target_sums[t].1 += y * y;
                if t >= model.detailed {
                    continue;
                }
                centred[t][lane] = (y - model.reference[t]) as Time;
                if last[lane] != NONE {
                    let starts = if decoder.is_some() { Starts::Stored } else { Starts::Plain };
                    mark_critical(model, buffers, starts, lane, last[lane] as usize, &mut result.critical[t]);
                }
            }
        }
        for (r, delays) in risk_delay.iter().enumerate() {
            result.risk_sums[r].0 += delays.iter().sum::<f64>();
            result.risk_sums[r].1 += delays.iter().map(|x| x * x).sum::<f64>();
            for (xy, y) in result.risk_target_xy.iter_mut().zip(&centred) {
                xy[r] += (0..lanes).map(|l| delays[l] * y[l] as f64).sum::<f64>();
            }
        }
        let mut live = [0.0; LANES];
        live[..lanes].iter_mut().for_each(|x| *x = 1.0);
        pending = Some(Pending { centred, live });
        done += lanes;
    }
    if let Some(pending) = pending {
        for (node, d) in buffers.duration.iter().enumerate() {
            add_driver_sums(model, node, d, &pending, sums);
        }
    }
    sums.flush(result);
}

/// A pass's finishes per target less the reference, kept until the
/// next pass adds its durations to the driver sums.
struct Pending {
    centred: Vec<Lanes>,
    /// 1 in the lanes the pass ran, 0 past them.
    live: Lanes,
}

// The passes over every node are compiled for AVX2 and AVX-512 as well as
// baseline x86-64 and chosen at run time: wider vectors, same results, as
// each lane's arithmetic is the same IEEE operations in the same order.

/// Draws every node's durations for the next pass, first adding the last
/// pass's to the driver sums: each node's line is in cache once for both.
/// A pass of its own, before the forward pass, so that pass is little but
/// loads and its cache misses overlap.
#[multiversion::multiversion(targets("x86_64+avx512f+avx512bw+avx512dq+avx512vl+avx2", "x86_64+avx2"))]
fn draw_all(model: &Model, buffers: &mut Buffers, rng: &mut LaneRng, pending: Option<&Pending>, sums: &mut DriverSums) {
    // A local copy, so the generator's state stays in registers.
    let mut local = rng.clone();
    for node in 0..model.network.len() {
        if let Some(pending) = pending {
            add_driver_sums(model, node, &buffers.duration[node], pending, sums);
        }
        buffers.duration[node] = draw(model, buffers, &mut local, node);
    }
    *rng = local;
}

/// The latest finish among `candidates` in every lane, and the node that
/// sets it (the first to reach the maximum, as in a fold; `NONE` if no node
/// finishes after time 0).
#[multiversion::multiversion(targets("x86_64+avx512f+avx512bw+avx512dq+avx512vl+avx2", "x86_64+avx2"))]
fn latest_finish(candidates: &[u32], finish: &[Lanes]) -> (Lanes, [u32; LANES]) {
    let mut at: Lanes = [0.0; LANES];
    let mut last = [NONE; LANES];
    for &v in candidates {
        let f = &finish[v as usize];
        for l in 0..LANES {
            let later = f[l] > at[l];
            at[l] = if later { f[l] } else { at[l] };
            last[l] = if later { v } else { last[l] };
        }
    }
    (at, last)
}

const NONE: u32 = u32::MAX;

/// A node's durations for this pass: its draw plus any risk delays.
#[inline(always)]
fn draw(model: &Model, buffers: &Buffers, rng: &mut LaneRng, node: usize) -> Lanes {
    let Some(sampler) = &model.samplers[node] else {
        return [0.0; LANES];
    };
    let mut d = sampler.fill(rng, &model.table);
    let slot = model.steps.risk_slot[node];
    if slot != NO_RISK {
        let extra = &buffers.extra[slot as usize];
        for l in 0..LANES {
            d[l] += extra[l];
        }
    }
    d
}

/// The forward pass over `LANES` iterations at once.
#[multiversion::multiversion(targets("x86_64+avx512f+avx512bw+avx512dq+avx512vl+avx2", "x86_64+avx2"))]
fn forward_pass(model: &Model, buffers: &mut Buffers) {
    let network = model.network;
    let now = network.now as Time;
    for node in 0..network.len() {
        let d = buffers.duration[node];
        let (s, f) = match model.steps.step[node] {
            Step::Plain { release, store_start } => {
                let s = plain_start(model, &buffers.finish, node, release);
                let mut f: Lanes = [0.0; LANES];
                for l in 0..LANES {
                    f[l] = s[l] + d[l];
                }
                if !store_start {
                    buffers.finish[node] = f;
                    continue;
                }
                (s, f)
            }
            Step::Done { start, finish } => ([start; LANES], [finish; LANES]),
            Step::Started { start } => {
                let mut f: Lanes = [0.0; LANES];
                for l in 0..LANES {
                    f[l] = later(now + d[l], start);
                }
                ([start; LANES], f)
            }
            Step::General => general_node(network, buffers, node, &d),
        };
        buffers.start[node] = s;
        buffers.finish[node] = f;
    }
}

/// A plain node's start: the latest of its release and its predecessors'
/// finishes plus lags, in every lane.
#[inline(always)]
fn plain_start(model: &Model, finish: &[Lanes], node: usize, release: Time) -> Lanes {
    let mut s: Lanes = [release; LANES];
    for &(p, lag) in model.steps.plain_predecessors(node) {
        let before = &finish[p as usize];
        for l in 0..LANES {
            s[l] = later(s[l], before[l] + lag);
        }
    }
    s
}

/// Places a node with team holidays or start-to-start and finish-to-finish
/// links, lane by lane where the calendar needs it.
fn general_node(network: &Network, buffers: &Buffers, node: usize, d: &Lanes) -> (Lanes, Lanes) {
    let holidays = network.holidays(node);
    match network.progress[node] {
        Progress::Done { start, finish } => ([start as Time; LANES], [finish as Time; LANES]),
        Progress::Started { start } => {
            let start = start as Time;
            let mut f: Lanes = [0.0; LANES];
            for l in 0..LANES {
                f[l] = later(advance(holidays, network.now, d[l] as f64).1 as Time, start);
            }
            ([start; LANES], f)
        }
        Progress::Pinned { start } => {
            let mut s: Lanes = [0.0; LANES];
            let mut f: Lanes = [0.0; LANES];
            for l in 0..LANES {
                let (a, b) = advance(holidays, start, d[l] as f64);
                (s[l], f[l]) = (a as Time, b as Time);
            }
            (s, f)
        }
        Progress::Open => {
            let mut s: Lanes = [network.release[node] as Time; LANES];
            for link in network.graph.predecessors(node as u32) {
                let p = link.node as usize;
                let lag = link.lag as Time;
                let (start, finish) = (&buffers.start[p], &buffers.finish[p]);
                for l in 0..LANES {
                    let bound = match link.kind {
                        LinkKind::FinishToStart if link.elapsed => network.start_after(link, finish[l] as f64) as Time,
                        LinkKind::FinishToStart => finish[l] + lag,
                        LinkKind::StartToStart => start[l] + lag,
                        LinkKind::FinishToFinish if holidays.is_empty() => finish[l] + lag - d[l],
                        LinkKind::FinishToFinish => retreat(holidays, (finish[l] + lag) as f64, d[l] as f64).0 as Time,
                    };
                    s[l] = later(s[l], bound);
                }
            }
            let mut f: Lanes = [0.0; LANES];
            for l in 0..LANES {
                let (a, b) = advance(holidays, s[l] as f64, d[l] as f64);
                (s[l], f[l]) = (a as Time, b as Time);
            }
            (s, f)
        }
    }
}

/// One capacity-aware schedule per lane: the serial SGS over the fixed list.
fn capacity_pass(
    network: &Network,
    problem: &mut Problem,
    decoder: &mut Decoder,
    order: &[u32],
    buffers: &mut Buffers,
    lanes: usize,
) {
    let per_day = problem.ticks_per_day as f64;
    for lane in 0..lanes {
        for (node, d) in buffers.duration.iter().enumerate() {
            problem.duration[node] = (d[lane] as f64 * per_day - 1e-6).ceil().max(0.0) as u32;
            let from = match network.progress[node] {
                Progress::Started { .. } => Some(network.now),
                Progress::Pinned { start } => Some(start),
                Progress::Open | Progress::Done { .. } => None,
            };
            if let (Some(from), Some(fixed)) = (from, problem.fixed[node].as_mut()) {
                let (_, f) = advance(network.holidays(node), from, d[lane] as f64);
                fixed.finish = ((f * per_day) - 1e-6).ceil().max(fixed.start as f64) as u32;
            }
        }
        decoder.decode(problem, order);
        for node in 0..network.len() {
            buffers.start[node][lane] = (decoder.start[node] as f64 / per_day) as Time;
            buffers.finish[node][lane] = (decoder.finish[node] as f64 / per_day) as Time;
        }
    }
}

/// Where the critical path finds each node's start.
#[derive(Clone, Copy)]
enum Starts {
    /// As the forward pass left them: plain nodes' starts not stored.
    Plain,
    /// Every start stored (capacity-aware passes).
    Stored,
}

/// Walks back from `last` along the links that set each start in `lane`.
fn mark_critical(model: &Model, buffers: &Buffers, starts: Starts, lane: usize, last: usize, counts: &mut [u32]) {
    let network = model.network;
    let Buffers { start, finish, duration, .. } = buffers;
    let mut node = last;
    let mut guard = 0;
    loop {
        counts[node] += 1;
        guard += 1;
        if !network.progress[node].is_open() || guard > network.len() {
            break;
        }
        let s = match (starts, model.steps.step[node]) {
            // The forward pass's own sums, for this lane.
            (Starts::Plain, Step::Plain { release, store_start: false }) => model
                .steps
                .plain_predecessors(node)
                .iter()
                .fold(release, |s, &(p, lag)| later(s, finish[p as usize][lane] + lag)),
            _ => start[node][lane],
        };
        let driver = network.graph.predecessors(node as u32).iter().find(|link| {
            let p = link.node as usize;
            let lag = link.lag as Time;
            let bound = match link.kind {
                LinkKind::FinishToStart if link.elapsed => network.start_after(link, finish[p][lane] as f64) as Time,
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

/// Lanes the driver sums keep per node within a block.
const KEPT: usize = 4;

/// The driver sums of one block, per node `[Σx, Σx², Σx(y − reference) per
/// target]`, each folded to `KEPT` single-precision lanes: durations less
/// their mean and finishes less the reference are small, so a block's
/// sixteen passes lose nothing that matters, and a fold is two vector adds
/// where a sum to one value is eight dependent steps.
struct DriverSums {
    stride: usize,
    kept: Vec<[Time; KEPT]>,
}

impl DriverSums {
    fn new(nodes: usize, targets: usize) -> Self {
        let stride = 2 + targets;
        DriverSums { stride, kept: vec![[0.0; KEPT]; nodes * stride] }
    }

    /// Adds the block's sums to its result, in double precision.
    fn flush(&self, result: &mut BlockResult) {
        let total = |kept: &[Time; KEPT]| kept.iter().map(|&x| x as f64).sum::<f64>();
        for (node, sums) in self.kept.chunks_exact(self.stride).enumerate() {
            result.node_sums[node].0 += total(&sums[0]);
            result.node_sums[node].1 += total(&sums[1]);
            for (xy, kept) in result.node_target_xy.iter_mut().zip(&sums[2..]) {
                xy[node] += total(kept);
            }
        }
    }
}

/// The lanes folded to `KEPT`, pairwise, so it vectorises.
#[inline(always)]
fn fold(mut v: Lanes) -> [Time; KEPT] {
    let mut width = LANES / 2;
    while width >= KEPT {
        for l in 0..width {
            v[l] += v[l + width];
        }
        width /= 2;
    }
    let mut kept = [0.0; KEPT];
    kept.copy_from_slice(&v[..KEPT]);
    kept
}

/// Adds one node's durations to the block's driver sums, all lanes at once.
#[inline(always)]
fn add_driver_sums(model: &Model, node: usize, d: &Lanes, pending: &Pending, sums: &mut DriverSums) {
    if !model.varies[node] {
        return;
    }
    let mean = model.means[node];
    let mut x = [0.0 as Time; LANES];
    let mut xx = [0.0 as Time; LANES];
    for l in 0..LANES {
        x[l] = (d[l] - mean) * pending.live[l];
        xx[l] = x[l] * x[l];
    }
    let kept = &mut sums.kept[node * sums.stride..(node + 1) * sums.stride];
    let add = |into: &mut [Time; KEPT], v: Lanes| {
        let folded = fold(v);
        for l in 0..KEPT {
            into[l] += folded[l];
        }
    };
    add(&mut kept[0], x);
    add(&mut kept[1], xx);
    for (into, y) in kept[2..].iter_mut().zip(&pending.centred) {
        let mut product = [0.0 as Time; LANES];
        for l in 0..LANES {
            product[l] = x[l] * y[l];
        }
        add(into, product);
    }
}

/// Each target's finish when every draw is its mean: what the driver sums
/// measure finishes from.
pub(super) fn reference_finishes(model: &Model) -> Vec<f64> {
    let mut buffers = Buffers::new(model);
    for (d, &mean) in buffers.duration.iter_mut().zip(&model.means) {
        *d = [mean; LANES];
    }
    forward_pass(model, &mut buffers);
    (0..model.target_nodes.len()).map(|t| latest_finish(model.waited_on(t), &buffers.finish).0[0] as f64).collect()
}
