//! Slack under capacity, measured by its definition: how far each item can
//! slip before the end moves, and before each milestone it feeds moves,
//! found by slipping it and decoding the schedule's own activity list again
//! (so the search's randomness plays no part, and the other work moves as
//! the teams' people require). Items are measured in parallel, in batches
//! fixed in advance, so the figures do not depend on the number of threads.

use std::sync::{Mutex, PoisonError};

use linchpin_model::{MilestoneId, Program};
use rayon::prelude::*;

use crate::cpm::{self, CriticalPath};
use crate::network::{Network, Progress};
use crate::rcpsp::sgs::Decoder;
use crate::rcpsp::{Fixed, Problem};

/// The most milestone-item pairs whose slack is worked out; beyond it (a
/// program of a million items and more than twenty milestones) items show
/// their slack to the end only.
pub const MAX_MILESTONE_PAIRS: usize = 20_000_000;

/// Items measured at once: the budget is checked between batches, so which
/// items are measured does not depend on how many threads share a batch.
const BATCH: usize = 16;

/// Per node, the milestones (by index) it feeds: those that require it, or
/// require work that waits on it through links; none anywhere when there
/// would be more than [`MAX_MILESTONE_PAIRS`].
#[derive(Clone, Debug, Default)]
pub struct Feeds {
    /// Where each node's milestones start in `milestones` (empty: none).
    offsets: Vec<u32>,
    milestones: Vec<u32>,
    /// Per milestone, the nodes it requires.
    pub targets: Vec<Vec<u32>>,
}

impl Feeds {
    pub fn new(program: &Program, network: &Network) -> Self {
        let n = network.len();
        let count = program.milestones().len();
        let targets: Vec<Vec<u32>> = program
            .milestones()
            .iter()
            .map(|m| m.requires.iter().map(|item| network.graph.node(*item)).collect())
            .collect();
        if count == 0 || count.saturating_mul(n) > MAX_MILESTONE_PAIRS {
            return Feeds { targets, ..Feeds::default() };
        }
        let mut pairs: Vec<(u32, u32)> = Vec::new();
        let mut marked = vec![false; n];
        for (m, required) in targets.iter().enumerate() {
            marked.fill(false);
            for &node in required {
                marked[node as usize] = true;
            }
            // Nodes are in topological order: every predecessor comes first.
            for v in (0..n).rev() {
                if !marked[v] {
                    continue;
                }
                pairs.push((v as u32, m as u32));
                for link in network.graph.predecessors(v as u32) {
                    marked[link.node as usize] = true;
                }
            }
        }
        pairs.sort_unstable();
        let mut offsets = vec![0u32; n + 1];
        for &(v, _) in &pairs {
            offsets[v as usize + 1] += 1;
        }
        for v in 0..n {
            offsets[v + 1] += offsets[v];
        }
        Feeds { offsets, milestones: pairs.into_iter().map(|(_, m)| m).collect(), targets }
    }

    /// The milestones `node` feeds, in milestone order.
    pub fn of(&self, node: usize) -> &[u32] {
        match self.offsets.get(node..node + 2) {
            Some(&[from, to]) => &self.milestones[from as usize..to as usize],
            _ => &[],
        }
    }

    /// Whether any node feeds any milestone.
    pub fn is_empty(&self) -> bool {
        self.milestones.is_empty()
    }
}

/// Without capacity: by item, each unfinished item's slack to each
/// milestone it feeds, in working days, from a backward pass from that
/// milestone's date over the work that feeds it.
pub fn critical_path_milestone_slack(
    network: &Network,
    path: &CriticalPath,
    feeds: &Feeds,
) -> Vec<Vec<(MilestoneId, f64)>> {
    let n = network.len();
    let mut out = vec![Vec::new(); n];
    if feeds.is_empty() {
        return out;
    }
    let by_node = |values: &[f64]| -> Vec<f64> { (0..n).map(|v| values[network.item(v as u32).index()]).collect() };
    let (es, ef) = (by_node(&path.early_start), by_node(&path.early_finish));
    let (mut ls, mut lf) = (vec![0.0; n], vec![0.0; n]);
    let mut required = vec![false; n];
    for (m, targets) in feeds.targets.iter().enumerate() {
        required.fill(false);
        for &v in targets {
            required[v as usize] = true;
        }
        let date = targets.iter().map(|&v| ef[v as usize]).fold(0.0, f64::max);
        cpm::late_times(network, &es, &ef, |v| required[v].then_some(date), &mut ls, &mut lf);
        for v in 0..n {
            if lf[v].is_finite() && !matches!(network.progress[v], Progress::Done { .. }) {
                out[network.item(v as u32).index()].push((MilestoneId::new(m), (lf[v] - ef[v]).max(0.0)));
            }
        }
    }
    out
}

/// A capacity-aware schedule to measure slack on.
pub struct Baseline<'a> {
    pub problem: &'a Problem,
    /// The activity list that decodes to the schedule.
    pub order: &'a [u32],
    pub start: &'a [u32],
    pub finish: &'a [u32],
    pub makespan: u32,
    /// Per activity, a cautious estimate of its slack to the end, which
    /// sets the order of measuring (least first)...
    pub estimate: &'a [u32],
    /// ... and a first guess of it, to try before bisecting.
    pub guess: &'a [u32],
    pub unfinished: &'a [bool],
    pub feeds: &'a Feeds,
}

/// An activity's measured slack, in ticks: to the end, and to each
/// milestone it feeds (by index, in milestone order).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Measured {
    pub end: u32,
    pub milestones: Vec<(u32, u32)>,
}

/// The slack of every unfinished activity, most critical first, up to
/// `budget` decodings (checked between batches); `None` where the budget
/// ran out. `decoder` is any decoder of the problem.
pub fn measure(baseline: &Baseline, decoder: Decoder, budget: usize) -> Vec<Option<Measured>> {
    let problem = baseline.problem;
    let n = problem.len();
    // Each milestone's finish in the schedule, which a slip may move.
    let target_finish: Vec<u32> = baseline
        .feeds
        .targets
        .iter()
        .map(|t| t.iter().map(|&v| baseline.finish[v as usize]).max().unwrap_or(0))
        .collect();
    let guesses = milestone_guesses(baseline, &target_finish);
    let mut measured = vec![None; n];
    let mut candidates: Vec<usize> = (0..n).filter(|&j| baseline.unfinished[j]).collect();
    candidates.sort_by_key(|&j| (baseline.estimate[j], j));
    let pool = Mutex::new(vec![(decoder, problem.clone())]);
    // The decoding of the list to the schedule counts against the budget.
    let mut spent = 1;
    for batch in candidates.chunks(BATCH) {
        if spent >= budget {
            break;
        }
        let results: Vec<(Measured, usize)> = batch
            .par_iter()
            .map(|&j| {
                let taken = pool.lock().unwrap_or_else(PoisonError::into_inner).pop();
                let (mut decoder, mut slipped) = taken.unwrap_or_else(|| (Decoder::new(problem), problem.clone()));
                decoder.schedules = 0;
                let mut slip =
                    Slip { baseline, decoder: &mut decoder, slipped: &mut slipped, j, target_finish: &target_finish };
                let result = slip.measure(guesses.of(j));
                let used = decoder.schedules;
                pool.lock().unwrap_or_else(PoisonError::into_inner).push((decoder, slipped));
                (result, used)
            })
            .collect();
        for (&j, (result, used)) in batch.iter().zip(results) {
            measured[j] = Some(result);
            spent += used;
        }
    }
    measured
}

/// Per node and milestone it feeds (aligned with [`Feeds::of`]), a first
/// guess of its slack to that milestone: the room its links leave before
/// the work that milestone requires, people aside.
struct Guesses {
    offsets: Vec<u32>,
    ticks: Vec<u32>,
}

impl Guesses {
    fn of(&self, node: usize) -> &[u32] {
        match self.offsets.get(node..node + 2) {
            Some(&[from, to]) => &self.ticks[from as usize..to as usize],
            _ => &[],
        }
    }
}

fn milestone_guesses(baseline: &Baseline, target_finish: &[u32]) -> Guesses {
    let problem = baseline.problem;
    let feeds = baseline.feeds;
    let n = problem.len();
    if feeds.is_empty() {
        return Guesses { offsets: Vec::new(), ticks: Vec::new() };
    }
    let mut ticks = vec![0u32; feeds.milestones.len()];
    let mut room = vec![i64::MAX; n];
    let mut required = vec![false; n];
    for (m, targets) in feeds.targets.iter().enumerate() {
        room.fill(i64::MAX);
        required.fill(false);
        for &v in targets {
            required[v as usize] = true;
        }
        for j in (0..n).rev() {
            let Ok(k) = feeds.of(j).binary_search(&(m as u32)) else { continue };
            let finish = baseline.finish[j];
            let mut r = if required[j] { target_finish[m] as i64 - finish as i64 } else { i64::MAX };
            for link in problem.successors(j) {
                let s = link.other as usize;
                if room[s] == i64::MAX {
                    continue;
                }
                let Some(gap) = problem.finish_room(link, finish, (baseline.start[s], baseline.finish[s])) else {
                    continue;
                };
                r = r.min(gap.max(0) + room[s]);
            }
            room[j] = r;
            ticks[feeds.offsets[j] as usize + k] = r.clamp(0, u32::MAX as i64) as u32;
        }
    }
    Guesses { offsets: feeds.offsets.clone(), ticks }
}

/// Slipping one activity and decoding the list again.
struct Slip<'a, 'b> {
    baseline: &'a Baseline<'a>,
    decoder: &'b mut Decoder,
    slipped: &'b mut Problem,
    j: usize,
    target_finish: &'a [u32],
}

impl Slip<'_, '_> {
    /// Makes the activity take `extra` ticks longer.
    fn apply(&mut self, extra: u32) {
        let (problem, j) = (self.baseline.problem, self.j);
        match problem.fixed[j] {
            // Work under way or pinned takes longer from where it runs,
            // over its team's days off as its own days are.
            Some(fixed) => {
                let from = fixed.occupies_from;
                let d = problem.duration[j];
                let later = problem.place_for(j, from, d + extra).1 - problem.place_for(j, from, d).1;
                self.slipped.fixed[j] = Some(Fixed { finish: fixed.finish + later, ..fixed });
            }
            None => self.slipped.duration[j] = problem.duration[j] + extra,
        }
    }

    fn undo(&mut self) {
        let (problem, j) = (self.baseline.problem, self.j);
        self.slipped.fixed[j] = problem.fixed[j];
        self.slipped.duration[j] = problem.duration[j];
    }

    /// Whether a slip of `extra` ticks keeps the end.
    fn keeps_end(&mut self, extra: u32) -> bool {
        self.apply(extra);
        let keeps = self.decoder.decode_within(self.slipped, self.baseline.order, self.baseline.makespan).is_some();
        self.undo();
        keeps
    }

    /// Which of `milestones` a slip of `extra` ticks moves.
    fn moves(&mut self, extra: u32, milestones: &[u32]) -> Vec<bool> {
        self.apply(extra);
        self.decoder.decode(self.slipped, self.baseline.order);
        self.undo();
        let finish = &self.decoder.finish;
        milestones
            .iter()
            .map(|&m| {
                let targets = &self.baseline.feeds.targets[m as usize];
                targets.iter().map(|&v| finish[v as usize]).max().unwrap_or(0) > self.target_finish[m as usize]
            })
            .collect()
    }

    fn measure(&mut self, guesses: &[u32]) -> Measured {
        let (problem, j, baseline) = (self.baseline.problem, self.j, self.baseline.makespan);
        // A slip that leaves no room before the end moves it by itself (an
        // item held by a finish-to-finish link may start earlier instead).
        let most = match problem.fixed[j] {
            Some(fixed) => baseline.saturating_sub(fixed.finish),
            None => baseline.saturating_sub(problem.duration[j]),
        };
        let end = first_failure(self.baseline.guess[j].min(most), most, |x| !self.keeps_end(x));
        // To each milestone: every decoding says which of them moved, so a
        // slip tried for one is known for the rest.
        let fed = self.baseline.feeds.of(j);
        let mut tried: Vec<(u32, Vec<bool>)> = Vec::new();
        let mut milestones = Vec::with_capacity(fed.len());
        for (k, &m) in fed.iter().enumerate() {
            // What earlier slips already showed bounds the search.
            let moves = tried.iter().filter(|(_, moved)| moved[k]).map(|(x, _)| *x).min();
            let mut moves = moves.unwrap_or(most + 1);
            let fit = tried.iter().filter(|(x, moved)| !moved[k] && *x < moves).map(|(x, _)| *x).max();
            let mut fit = fit.unwrap_or(0);
            let mut known = |x: u32, slip: &mut Self| -> bool {
                if let Some((_, moved)) = tried.iter().find(|(at, _)| *at == x) {
                    return moved[k];
                }
                let moved = slip.moves(x, fed);
                let answer = moved[k];
                tried.push((x, moved));
                answer
            };
            let guess = guesses.get(k).copied().unwrap_or(0).min(most);
            for x in [guess, guess + 1] {
                if fit < x && x < moves {
                    if known(x, self) {
                        moves = x;
                    } else {
                        fit = x;
                    }
                }
            }
            while fit + 1 < moves {
                let middle = fit + (moves - fit) / 2;
                if known(middle, self) {
                    moves = middle;
                } else {
                    fit = middle;
                }
            }
            milestones.push((m, fit));
        }
        Measured { end, milestones }
    }
}

/// The most ticks in `[0, most]` a slip can take before `fails` (false at
/// 0, and once true for a slip, true for every longer one), trying `guess`
/// and one past it first, so a right guess costs two tries (one for a
/// guess of 0: no slip is the schedule itself).
fn first_failure(guess: u32, most: u32, mut fails: impl FnMut(u32) -> bool) -> u32 {
    let (mut fit, mut moves) = if guess == 0 || !fails(guess) {
        if guess == most || fails(guess + 1) {
            return guess;
        }
        (guess + 1, most + 1)
    } else {
        (0, guess)
    };
    while fit + 1 < moves {
        let middle = fit + (moves - fit) / 2;
        if fails(middle) {
            moves = middle;
        } else {
            fit = middle;
        }
    }
    fit
}

/// How many schedules measuring slack may decode: as many again as the
/// search, and enough for every item of a plan of a few hundred (each costs
/// two when its estimate is right, a few more when it is not, and a few
/// per milestone it feeds), falling with the size of the plan, as each
/// decoding costs more.
pub fn budget(effort: usize, activities: usize) -> usize {
    let n = activities.max(1);
    effort.max((40 * n).min(400_000 / n))
}

/// A first estimate of every activity's slack to the end, in ticks: the
/// room before the end that its successors leave, where its successors are
/// those its links name and those that took its people when it finished
/// (each team's work laid on lanes, one per person, each activity on the
/// lanes freed latest before its start). A slip pushes both along, as
/// decoding the list again does, so the estimate is close where the
/// schedule keeps its order. Done work has none.
pub fn chain_estimate(
    problem: &Problem,
    start: &[u32],
    finish: &[u32],
    makespan: u32,
    unfinished: &[bool],
) -> Vec<u32> {
    let n = problem.len();
    let after_on_lane = lane_successors(problem, start, finish);
    // The links and the lanes, in an order with every successor first.
    let mut waiting = vec![0u32; n];
    for j in 0..n {
        for link in problem.successors(j) {
            waiting[link.other as usize] += 1;
        }
        for &k in after_on_lane.of(j) {
            waiting[k as usize] += 1;
        }
    }
    let mut ready: Vec<u32> = (0..n as u32).filter(|&j| waiting[j as usize] == 0).collect();
    let mut order = Vec::with_capacity(n);
    while let Some(j) = ready.pop() {
        order.push(j);
        let j = j as usize;
        for k in problem.successors(j).iter().map(|l| l.other).chain(after_on_lane.of(j).iter().copied()) {
            waiting[k as usize] -= 1;
            if waiting[k as usize] == 0 {
                ready.push(k);
            }
        }
    }
    let mut room = vec![0i64; n];
    let mut known = vec![false; n];
    for &j in order.iter().rev() {
        let j = j as usize;
        let mut r = makespan as i64 - finish[j] as i64;
        for link in problem.successors(j) {
            let s = link.other as usize;
            // Work under way or done does not wait on its links any more.
            if problem.fixed[s].is_some() {
                continue;
            }
            // A longer activity does not move a start-to-start successor.
            let Some(gap) = problem.finish_room(link, finish[j], (start[s], finish[s])) else { continue };
            r = r.min(gap.max(0) + room[s]);
        }
        for &k in after_on_lane.of(j) {
            let k = k as usize;
            if problem.fixed[k].is_none() {
                r = r.min((start[k] as i64 - finish[j] as i64).max(0) + room[k]);
            }
        }
        room[j] = r.max(0);
        known[j] = true;
    }
    (0..n)
        .map(|j| match (unfinished[j], known[j]) {
            (false, _) => 0,
            // On a cycle of links and lanes (leads can make one): the room
            // before the end alone.
            (true, false) => makespan.saturating_sub(finish[j]),
            (true, true) => room[j].clamp(0, u32::MAX as i64) as u32,
        })
        .collect()
}

/// Per activity, the activities that took its people next: each
/// resource's work in order of when it holds its people, each on the lanes
/// (one per unit) freed latest before it starts.
struct Lanes {
    offsets: Vec<u32>,
    next: Vec<u32>,
}

impl Lanes {
    fn of(&self, j: usize) -> &[u32] {
        &self.next[self.offsets[j] as usize..self.offsets[j + 1] as usize]
    }
}

fn lane_successors(problem: &Problem, start: &[u32], finish: &[u32]) -> Lanes {
    use std::collections::BTreeSet;
    let n = problem.len();
    // When each activity holds its people: work under way from the status
    // date, done work not at all.
    let holds = |j: usize| match problem.fixed[j] {
        Some(fixed) => (fixed.occupies_from, fixed.finish),
        None => (start[j], finish[j]),
    };
    let mut by_resource: Vec<Vec<(u32, u32, u32, u32)>> = vec![Vec::new(); problem.capacity.len()];
    for j in 0..n {
        let (from, to) = holds(j);
        if from < to {
            for &(r, units) in problem.demands(j) {
                by_resource[r as usize].push((from, to, units, j as u32));
            }
        }
    }
    let mut pairs: Vec<(u32, u32)> = Vec::new();
    for mut work in by_resource {
        work.sort_unstable();
        // Lanes as (free from, lane), and the activity each last held.
        let mut free: BTreeSet<(u32, u32)> = BTreeSet::new();
        let mut last: Vec<Option<u32>> = Vec::new();
        for (from, to, units, j) in work {
            for _ in 0..units {
                let lane = match free.range(..=(from, u32::MAX)).next_back().copied() {
                    Some(entry) => {
                        free.remove(&entry);
                        entry.1
                    }
                    None => {
                        last.push(None);
                        last.len() as u32 - 1
                    }
                };
                if let Some(before) = last[lane as usize] {
                    pairs.push((before, j));
                }
                last[lane as usize] = Some(j);
                free.insert((to, lane));
            }
        }
    }
    pairs.sort_unstable();
    pairs.dedup();
    let mut offsets = vec![0u32; n + 1];
    for &(j, _) in &pairs {
        offsets[j as usize + 1] += 1;
    }
    for j in 0..n {
        offsets[j + 1] += offsets[j];
    }
    Lanes { offsets, next: pairs.into_iter().map(|(_, k)| k).collect() }
}
