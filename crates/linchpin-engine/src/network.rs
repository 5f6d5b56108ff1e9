//! A program in the form the schedulers work on: the dependency graph plus,
//! per node in topological order, its duration, release time, team and
//! whether progress has fixed its dates.

use linchpin_model::{Estimate, ItemId, ItemStatus, Program, TeamId};

use crate::graph::{DependencyGraph, Link};
use crate::time::{ElapsedCalendar, WorkingDays};

/// How progress, or a `start_on` date, pins an item.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Progress {
    /// Not started: scheduled from its predecessors, never before `now`.
    Open,
    /// Not started, but must start at `start` whatever its predecessors
    /// (its `start_on` date, or `now` when that date has passed).
    Pinned { start: f64 },
    /// Started: its start is history; it runs its remaining work from `now`.
    Started { start: f64 },
    /// Done: both ends are history.
    Done { start: f64, finish: f64 },
}

impl Progress {
    /// Whether the item's start can still move: not started, not pinned.
    pub fn is_open(self) -> bool {
        self == Progress::Open
    }
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
    /// Calendar time against working time, when a link waits in calendar days.
    pub elapsed: Option<ElapsedCalendar>,
}

impl Network {
    /// Builds the network.
    pub fn new(program: &Program, days: &mut WorkingDays) -> Self {
        let graph = DependencyGraph::build(program);
        let elapsed = elapsed_calendar(program, &graph, days);
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
            elapsed,
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
                _ => match item.start_on {
                    Some(date) => {
                        (Progress::Pinned { start: now.max(days.time_at_start_of(date)) }, estimate.likely, estimate)
                    }
                    None => (Progress::Open, estimate.likely, estimate),
                },
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

    /// The earliest start a finish-to-start link allows its successor after
    /// its predecessor finishes at `finish`.
    #[inline]
    pub fn start_after(&self, link: &Link, finish: f64) -> f64 {
        match &self.elapsed {
            Some(calendar) if link.elapsed => calendar.start_after(finish, link.lag),
            _ => finish + link.lag,
        }
    }

    /// The latest finish of a finish-to-start link's predecessor that lets
    /// its successor start at `start`.
    #[inline]
    pub fn finish_before(&self, link: &Link, start: f64) -> f64 {
        match &self.elapsed {
            Some(calendar) if link.elapsed => calendar.finish_before(start, link.lag),
            _ => start - link.lag,
        }
    }

    /// The holidays of the team working node `node`.
    pub fn holidays(&self, node: usize) -> &[u32] {
        self.team_holidays.get(self.team[node].index()).map_or(&[], Vec::as_slice)
    }
}

/// The calendar a plan with calendar-day lags needs, over the longest the
/// program could run: every date it names, then all its work and lags end
/// to end (as calendar days, seven for five), within the schedulers' limit.
fn elapsed_calendar(program: &Program, graph: &DependencyGraph, days: &mut WorkingDays) -> Option<ElapsedCalendar> {
    let any = (0..graph.len() as u32).any(|v| graph.predecessors(v).iter().any(|l| l.elapsed));
    if !any {
        return None;
    }
    let dates = WorkingDays::latest_planned(program);
    let work: f64 = program.items().iter().map(|i| i.estimate.map_or(0.0, |e| e.pessimistic)).sum();
    let lags: f64 = program.items().iter().flat_map(|i| &i.depends).map(|d| d.lag.abs()).sum();
    let span = dates as f64 + (work + lags) * 7.0 / 5.0 + 366.0;
    let most = crate::schedule::MAX_HORIZON_DAYS * 7.0 / 5.0;
    Some(ElapsedCalendar::new(days, span.min(most) as usize))
}

/// An estimate scaled so its likely value is `remaining`, keeping its shape.
fn scale(estimate: Estimate, remaining: f64) -> Estimate {
    if estimate.likely <= 0.0 {
        return Estimate::exact(remaining);
    }
    let factor = remaining / estimate.likely;
    Estimate { optimistic: estimate.optimistic * factor, likely: remaining, pessimistic: estimate.pessimistic * factor }
}
