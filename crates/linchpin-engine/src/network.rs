//! A program in the form the schedulers work on: the dependency graph plus,
//! per node in topological order, its duration, release time, team and
//! whether progress has fixed its dates.

use linchpin_model::{Estimate, ItemId, ItemStatus, Program, TeamId};

use crate::graph::DependencyGraph;
use crate::time::WorkingDays;

/// How progress pins an item.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Progress {
    /// Not started: scheduled from its predecessors, never before `now`.
    Open,
    /// Started: its start is history; it runs its remaining work from `now`.
    Started { start: f64 },
    /// Done: both ends are history.
    Done { start: f64, finish: f64 },
}

/// The schedulable form of a program. Vectors are indexed by topological
/// node (see [`DependencyGraph::node`]), not by item.
#[derive(Clone, Debug)]
pub struct Network {
    pub graph: DependencyGraph,
    /// Working days of work left: the likely estimate, or what remains of
    /// work in progress.
    pub duration: Vec<f64>,
    /// The estimate each duration is drawn from, scaled to the work left.
    pub estimate: Vec<Estimate>,
    /// The earliest start allowed: the status date, or a `not_before`.
    pub release: Vec<f64>,
    pub progress: Vec<Progress>,
    pub team: Vec<TeamId>,
    pub people: Vec<u32>,
    /// Each team's own holidays as sorted working-day indexes.
    pub team_holidays: Vec<Vec<u32>>,
    /// The time progress is known as of: the end of the status date.
    pub now: f64,
}

impl Network {
    /// Builds the network.
    pub fn new(program: &Program, days: &WorkingDays) -> Self {
        let graph = DependencyGraph::build(program);
        let now = program.status_date().map_or(0.0, |d| days.time_at_end_of(d));
        let n = graph.len();
        let mut network = Network {
            duration: Vec::with_capacity(n),
            estimate: Vec::with_capacity(n),
            release: Vec::with_capacity(n),
            progress: Vec::with_capacity(n),
            team: Vec::with_capacity(n),
            people: Vec::with_capacity(n),
            team_holidays: program.teams().iter().map(|t| days.holiday_indexes(t.holidays.iter().copied())).collect(),
            now,
            graph,
        };
        for node in 0..n as u32 {
            let item = program.item(network.graph.item(node));
            let estimate = item.estimate.unwrap_or(Estimate::exact(0.0));
            let (progress, duration, scaled) = match item.status {
                ItemStatus::Done => {
                    let start = item.actual_start.map_or(now, |d| days.time_at_start_of(d));
                    let finish = item.actual_finish.map_or(now, |d| days.time_at_end_of(d)).max(start);
                    (Progress::Done { start, finish }, 0.0, Estimate::exact(0.0))
                }
                ItemStatus::InProgress | ItemStatus::Blocked if item.actual_start.is_some() => {
                    let start = item.actual_start.map_or(now, |d| days.time_at_start_of(d));
                    let elapsed = (now - start).max(0.0);
                    let remaining = item.remaining.unwrap_or((estimate.likely - elapsed).max(0.0));
                    (Progress::Started { start }, remaining, scale(estimate, remaining))
                }
                _ => (Progress::Open, estimate.likely, estimate),
            };
            let not_before = item.not_before.map_or(0.0, |d| days.time_at_start_of(d));
            network.duration.push(duration);
            network.estimate.push(scaled);
            network.release.push(now.max(not_before));
            network.progress.push(progress);
            network.team.push(item.team);
            network.people.push(item.people);
        }
        network
    }

    pub fn len(&self) -> usize {
        self.duration.len()
    }

    pub fn is_empty(&self) -> bool {
        self.duration.is_empty()
    }

    /// The item at a node.
    pub fn item(&self, node: u32) -> ItemId {
        self.graph.item(node)
    }

    /// The holidays of the team working node `node`.
    pub fn holidays(&self, node: usize) -> &[u32] {
        self.team_holidays.get(self.team[node].index()).map_or(&[], Vec::as_slice)
    }
}

/// An estimate scaled so its likely value is `remaining`, keeping its shape.
fn scale(estimate: Estimate, remaining: f64) -> Estimate {
    if estimate.likely <= 0.0 {
        return Estimate::exact(remaining);
    }
    let factor = remaining / estimate.likely;
    Estimate { optimistic: estimate.optimistic * factor, likely: remaining, pessimistic: estimate.pessimistic * factor }
}
