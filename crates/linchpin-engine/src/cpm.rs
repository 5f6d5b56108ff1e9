//! The critical path method: earliest and latest dates, total and free
//! slack, and the critical path, for every link type and lag, aware of
//! progress and of each team's holidays. Capacity is ignored here (see
//! [`crate::schedule`]).

use linchpin_model::{ItemId, LinkKind};

use crate::network::{Network, Progress};
use crate::time::{advance, retreat};

/// Slack at or below this (in working days) counts as none.
pub const CRITICAL_EPSILON: f64 = 1e-6;

/// Earliest and latest times and slack for every item, indexed by item.
#[derive(Clone, Debug)]
pub struct CriticalPath {
    pub early_start: Vec<f64>,
    pub early_finish: Vec<f64>,
    pub late_start: Vec<f64>,
    pub late_finish: Vec<f64>,
    /// How far an item can slip without moving the program's end.
    pub total_slack: Vec<f64>,
    /// How far an item can slip without moving any successor.
    pub free_slack: Vec<f64>,
    /// Open or started work with no total slack.
    pub critical: Vec<bool>,
    /// The program's end: the latest early finish.
    pub end: f64,
    /// One chain of driving links from a start to the item that ends last.
    pub critical_path: Vec<ItemId>,
}

/// The earliest start and finish of a node whose predecessors are placed.
/// `start_of` and `finish_of` read the predecessors' times by node.
#[inline]
pub fn earliest(
    network: &Network,
    node: usize,
    duration: f64,
    start_of: impl Fn(usize) -> f64,
    finish_of: impl Fn(usize) -> f64,
) -> (f64, f64) {
    match network.progress[node] {
        Progress::Done { start, finish } => (start, finish),
        Progress::Started { start } => {
            let (_, finish) = advance(network.holidays(node), network.now, duration);
            (start, finish.max(start))
        }
        Progress::Pinned { start } => advance(network.holidays(node), start, duration),
        Progress::Open => {
            let holidays = network.holidays(node);
            let mut start = network.release[node];
            for link in network.graph.predecessors(node as u32) {
                let p = link.node as usize;
                let bound = match link.kind {
                    LinkKind::FinishToStart => network.start_after(link, finish_of(p)),
                    LinkKind::StartToStart => start_of(p) + link.lag,
                    LinkKind::FinishToFinish => retreat(holidays, finish_of(p) + link.lag, duration).0,
                };
                if bound > start {
                    start = bound;
                }
            }
            advance(holidays, start, duration)
        }
    }
}

/// The forward pass alone, over node-ordered `durations`, writing node-ordered
/// early starts and finishes; returns the latest finish. This is the inner
/// loop of every schedule and of the Monte Carlo forecast.
pub fn forward_pass(network: &Network, durations: &[f64], start: &mut [f64], finish: &mut [f64]) -> f64 {
    let mut end = 0.0f64;
    for node in 0..network.len() {
        let (s, f) = earliest(network, node, durations[node], |p| start[p], |p| finish[p]);
        start[node] = s;
        finish[node] = f;
        end = end.max(f);
    }
    end
}

/// Runs both passes with the network's planned durations.
pub fn critical_path(network: &Network) -> CriticalPath {
    let n = network.len();
    let durations = &network.duration;
    let mut es = vec![0.0; n];
    let mut ef = vec![0.0; n];
    let end = forward_pass(network, durations, &mut es, &mut ef);

    let mut ls = vec![0.0; n];
    let mut lf = vec![0.0; n];
    late_times(network, &es, &ef, |_| Some(end), &mut ls, &mut lf);

    let mut free = vec![0.0; n];
    for node in 0..n {
        let mut room = end - ef[node];
        for link in network.graph.successors(node as u32) {
            let s = link.node as usize;
            let gap = match link.kind {
                LinkKind::FinishToStart => network.finish_before(link, es[s]) - ef[node],
                LinkKind::StartToStart => es[s] - link.lag - es[node],
                LinkKind::FinishToFinish => ef[s] - link.lag - ef[node],
            };
            room = room.min(gap);
        }
        free[node] = room.max(0.0);
    }

    let by_item = |values: &[f64]| -> Vec<f64> {
        let mut out = vec![0.0; n];
        for node in 0..n {
            out[network.item(node as u32).index()] = values[node];
        }
        out
    };
    let total: Vec<f64> = (0..n).map(|v| lf[v] - ef[v]).collect();
    let mut critical = vec![false; n];
    for node in 0..n {
        let open = !matches!(network.progress[node], Progress::Done { .. });
        critical[network.item(node as u32).index()] = open && total[node] <= CRITICAL_EPSILON;
    }
    CriticalPath {
        critical_path: driving_chain(network, &es, &ef, end),
        early_start: by_item(&es),
        early_finish: by_item(&ef),
        late_start: by_item(&ls),
        late_finish: by_item(&lf),
        total_slack: by_item(&total),
        free_slack: by_item(&free),
        critical,
        end,
    }
}

/// The backward pass: each node's latest start and finish (by node) that
/// keeps every successor's and its own `deadline`, given the early times
/// `es`/`ef` of the forward pass. A node with no deadline and no successor
/// that has one gets infinity: nothing it waits for.
pub fn late_times(
    network: &Network,
    es: &[f64],
    ef: &[f64],
    deadline: impl Fn(usize) -> Option<f64>,
    ls: &mut [f64],
    lf: &mut [f64],
) {
    let durations = &network.duration;
    for node in (0..network.len()).rev() {
        let holidays = network.holidays(node);
        let mut late_finish = deadline(node).unwrap_or(f64::INFINITY);
        for link in network.graph.successors(node as u32) {
            let s = link.node as usize;
            if !network.progress[s].is_open() || lf[s] == f64::INFINITY {
                continue; // work started (or pinned to its date) is not held back by this link
            }
            let bound = match link.kind {
                LinkKind::FinishToStart => network.finish_before(link, ls[s]),
                LinkKind::StartToStart => advance(holidays, ls[s] - link.lag, durations[node]).1,
                LinkKind::FinishToFinish => lf[s] - link.lag,
            };
            if bound < late_finish {
                late_finish = bound;
            }
        }
        if late_finish == f64::INFINITY {
            (ls[node], lf[node]) = (f64::INFINITY, f64::INFINITY);
            continue;
        }
        match network.progress[node] {
            Progress::Open => {
                let (start, finish) = retreat(holidays, late_finish, durations[node]);
                ls[node] = start;
                lf[node] = finish;
            }
            Progress::Pinned { .. } | Progress::Started { .. } | Progress::Done { .. } => {
                // History (or a fixed date) cannot move; what is left to slip is the finish.
                ls[node] = es[node] + (late_finish - ef[node]);
                lf[node] = late_finish;
            }
        }
    }
}

/// Walks back from the node that finishes last along the links that set
/// each start (ties to the latest predecessor).
fn driving_chain(network: &Network, es: &[f64], ef: &[f64], end: f64) -> Vec<ItemId> {
    let Some(mut node) = (0..network.len()).rev().find(|&v| (ef[v] - end).abs() <= CRITICAL_EPSILON) else {
        return Vec::new();
    };
    let mut chain = vec![network.item(node as u32)];
    loop {
        if !network.progress[node].is_open() {
            break;
        }
        let driver = network.graph.predecessors(node as u32).iter().find(|link| {
            let p = link.node as usize;
            let holidays = network.holidays(node);
            let duration = network.duration[node];
            let bound = match link.kind {
                LinkKind::FinishToStart => network.start_after(link, ef[p]),
                LinkKind::StartToStart => es[p] + link.lag,
                LinkKind::FinishToFinish => retreat(holidays, ef[p] + link.lag, duration).0,
            };
            let start = advance(holidays, bound.max(network.release[node]), duration).0;
            (start - es[node]).abs() <= CRITICAL_EPSILON
        });
        match driver {
            Some(link) => {
                node = link.node as usize;
                chain.push(network.item(node as u32));
            }
            None => break,
        }
    }
    chain.reverse();
    chain
}
