//! The resource-constrained project scheduling problem (RCPSP): activities
//! with fixed durations, generalized precedence links and demands on
//! renewable resources whose capacity may change over time.
//!
//! Time is in integer ticks. Plans use ten ticks per working day; PSPLIB
//! instances use one. Activities are numbered in a topological order, so
//! `0..n` is always a precedence-feasible activity list.

pub mod bound;
pub mod psplib;
pub mod search;
pub mod sgs;
mod tree;

use linchpin_model::LinkKind;

use crate::time::ElapsedCalendar;

/// A precedence link as seen from one end.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Link {
    pub other: u32,
    pub kind: LinkKind,
    /// Ticks; negative is a lead.
    pub lag: i32,
    /// Whether `lag` is calendar ticks (days of the calendar, weekends and
    /// holidays included, times the ticks per day) on a finish-to-start link.
    pub elapsed: bool,
}

/// An activity whose dates are history (work done or in progress).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fixed {
    pub start: u32,
    pub finish: u32,
    /// From when it holds its resources (the status date for work in
    /// progress; done work holds nothing).
    pub occupies_from: u32,
}

/// A renewable resource's capacity over time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Capacity {
    /// Units available from tick 0.
    pub base: u32,
    /// From each tick on, a new number of units; sorted by tick.
    pub changes: Vec<(u32, u32)>,
}

impl Capacity {
    pub fn constant(units: u32) -> Self {
        Capacity { base: units, changes: Vec::new() }
    }

    pub fn at(&self, tick: u32) -> u32 {
        self.changes.iter().take_while(|(t, _)| *t <= tick).last().map_or(self.base, |(_, u)| *u)
    }

    /// The capacity from the last change on, forever.
    pub fn final_units(&self) -> u32 {
        self.changes.last().map_or(self.base, |(_, u)| *u)
    }

    /// The tick of the last change (0 without changes).
    pub fn last_change(&self) -> u32 {
        self.changes.last().map_or(0, |(t, _)| *t)
    }
}

/// An RCPSP instance.
#[derive(Clone, Debug)]
pub struct Problem {
    pub duration: Vec<u32>,
    demand_offsets: Vec<u32>,
    /// `(resource, units)` pairs of every activity, flattened.
    demands: Vec<(u32, u32)>,
    pub capacity: Vec<Capacity>,
    pred_offsets: Vec<u32>,
    preds: Vec<Link>,
    succ_offsets: Vec<u32>,
    succs: Vec<Link>,
    /// The earliest start of each activity.
    pub release: Vec<u32>,
    pub fixed: Vec<Option<Fixed>>,
    /// Each activity's calendar (an index into `holidays`).
    pub calendar: Vec<u32>,
    /// Per calendar, sorted day indexes not worked; a day is `ticks_per_day` ticks.
    pub holidays: Vec<Vec<u32>>,
    pub ticks_per_day: u32,
    /// Calendar time against working time, for links whose lag is elapsed.
    pub elapsed: Option<ElapsedCalendar>,
}

/// What an activity needs, for building a [`Problem`].
#[derive(Clone, Debug, Default)]
pub struct ActivitySpec {
    pub duration: u32,
    pub demands: Vec<(u32, u32)>,
    /// Links from predecessors (`other` is the predecessor).
    pub preds: Vec<Link>,
    pub release: u32,
    pub fixed: Option<Fixed>,
    pub calendar: u32,
}

/// Why a problem cannot be built.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum ProblemError {
    #[error("activity {activity} depends on activity {predecessor}, which does not come before it")]
    NotTopological { activity: usize, predecessor: usize },
    #[error("activity {activity} uses resource {resource}, but there are only {resources}")]
    UnknownResource { activity: usize, resource: u32, resources: usize },
    #[error("activity {activity} needs {units} units of resource {resource}, more than it ever has ({capacity})")]
    ExceedsCapacity { activity: usize, resource: u32, units: u32, capacity: u32 },
}

impl Problem {
    /// Builds a problem from activities listed in a topological order.
    pub fn new(
        activities: Vec<ActivitySpec>,
        capacity: Vec<Capacity>,
        holidays: Vec<Vec<u32>>,
        ticks_per_day: u32,
    ) -> Result<Self, ProblemError> {
        let n = activities.len();
        let mut problem = Problem {
            duration: Vec::with_capacity(n),
            demand_offsets: vec![0],
            demands: Vec::new(),
            pred_offsets: vec![0],
            preds: Vec::new(),
            succ_offsets: Vec::new(),
            succs: Vec::new(),
            release: Vec::with_capacity(n),
            fixed: Vec::with_capacity(n),
            calendar: Vec::with_capacity(n),
            holidays: if holidays.is_empty() { vec![Vec::new()] } else { holidays },
            ticks_per_day: ticks_per_day.max(1),
            capacity,
            elapsed: None,
        };
        let mut succ_lists: Vec<Vec<Link>> = vec![Vec::new(); n];
        for (j, activity) in activities.into_iter().enumerate() {
            for &(resource, units) in &activity.demands {
                let Some(cap) = problem.capacity.get(resource as usize) else {
                    return Err(ProblemError::UnknownResource {
                        activity: j,
                        resource,
                        resources: problem.capacity.len(),
                    });
                };
                let most = cap.changes.iter().map(|c| c.1).chain([cap.base]).max().unwrap_or(0);
                if units > most && activity.fixed.is_none() {
                    return Err(ProblemError::ExceedsCapacity { activity: j, resource, units, capacity: most });
                }
            }
            for link in &activity.preds {
                if link.other as usize >= j {
                    return Err(ProblemError::NotTopological { activity: j, predecessor: link.other as usize });
                }
                succ_lists[link.other as usize].push(Link { other: j as u32, ..*link });
            }
            problem.duration.push(activity.duration);
            problem.demands.extend(activity.demands.iter().filter(|d| d.1 > 0));
            problem.demand_offsets.push(problem.demands.len() as u32);
            problem.preds.extend(activity.preds);
            problem.pred_offsets.push(problem.preds.len() as u32);
            problem.release.push(activity.release);
            problem.fixed.push(activity.fixed);
            problem.calendar.push(activity.calendar.min(problem.holidays.len() as u32 - 1));
        }
        problem.succ_offsets.push(0);
        for list in succ_lists {
            problem.succs.extend(list);
            problem.succ_offsets.push(problem.succs.len() as u32);
        }
        Ok(problem)
    }

    pub fn len(&self) -> usize {
        self.duration.len()
    }

    pub fn is_empty(&self) -> bool {
        self.duration.is_empty()
    }

    pub fn demands(&self, j: usize) -> &[(u32, u32)] {
        &self.demands[self.demand_offsets[j] as usize..self.demand_offsets[j + 1] as usize]
    }

    pub fn predecessors(&self, j: usize) -> &[Link] {
        &self.preds[self.pred_offsets[j] as usize..self.pred_offsets[j + 1] as usize]
    }

    pub fn successors(&self, j: usize) -> &[Link] {
        &self.succs[self.succ_offsets[j] as usize..self.succ_offsets[j + 1] as usize]
    }

    pub(crate) fn activity_holidays(&self, j: usize) -> &[u32] {
        &self.holidays[self.calendar[j] as usize]
    }

    /// Start and finish of activity `j` if it starts no earlier than `start`,
    /// skipping and stretching over its calendar's holidays.
    #[inline]
    pub fn place_from(&self, j: usize, start: u32) -> (u32, u32) {
        self.place_for(j, start, self.duration[j])
    }

    /// Like [`Problem::place_from`], for `duration` ticks of work.
    #[inline]
    pub fn place_for(&self, j: usize, start: u32, duration: u32) -> (u32, u32) {
        let holidays = self.activity_holidays(j);
        if holidays.is_empty() {
            return (start, start + duration);
        }
        let tpd = self.ticks_per_day;
        let mut start = start;
        let mut i = holidays.partition_point(|&h| (h + 1) * tpd <= start);
        while let Some(&h) = holidays.get(i) {
            if h * tpd <= start && start < (h + 1) * tpd {
                start = (h + 1) * tpd;
                i += 1;
            } else {
                break;
            }
        }
        let mut finish = start + duration;
        while let Some(&h) = holidays.get(i) {
            if h * tpd < finish {
                finish += tpd;
                i += 1;
            } else {
                break;
            }
        }
        (start, finish)
    }

    /// Start and finish of activity `j` if it finishes no later than `finish`.
    #[inline]
    pub fn place_until(&self, j: usize, finish: u32) -> (u32, u32) {
        let holidays = self.activity_holidays(j);
        if holidays.is_empty() {
            return (finish.saturating_sub(self.duration[j]), finish);
        }
        let tpd = self.ticks_per_day;
        let mut finish = finish;
        let mut i = holidays.partition_point(|&h| h * tpd < finish);
        while i > 0 {
            let h = holidays[i - 1];
            if h * tpd < finish && finish <= (h + 1) * tpd {
                finish = h * tpd;
                i -= 1;
            } else {
                break;
            }
        }
        let mut start = finish.saturating_sub(self.duration[j]);
        while i > 0 {
            let h = holidays[i - 1];
            if (h + 1) * tpd > start {
                start = start.saturating_sub(tpd);
                i -= 1;
            } else {
                break;
            }
        }
        (start, finish)
    }

    /// Whether tick `t` is worked by activity `j`'s calendar.
    #[inline]
    pub fn works_at(&self, j: usize, t: u32) -> bool {
        let holidays = self.activity_holidays(j);
        holidays.is_empty() || holidays.binary_search(&(t / self.ticks_per_day)).is_err()
    }

    /// The earliest start a finish-to-start link allows after its
    /// predecessor finishes at tick `finish`.
    #[inline]
    pub fn start_after(&self, link: &Link, finish: u32) -> i64 {
        match &self.elapsed {
            Some(calendar) if link.elapsed => {
                let tpd = self.ticks_per_day as f64;
                let start = calendar.start_after(finish as f64 / tpd, link.lag as f64 / tpd);
                (start * tpd - 1e-6).ceil() as i64
            }
            _ => finish as i64 + link.lag as i64,
        }
    }

    /// The latest finish of a finish-to-start link's predecessor that lets
    /// its successor start at tick `start`.
    #[inline]
    fn finish_before(&self, link: &Link, start: u32) -> i64 {
        match &self.elapsed {
            Some(calendar) if link.elapsed => {
                let tpd = self.ticks_per_day as f64;
                let finish = calendar.finish_before(start as f64 / tpd, link.lag as f64 / tpd);
                (finish * tpd + 1e-6).floor() as i64
            }
            _ => start as i64 - link.lag as i64,
        }
    }

    /// The gap a finish-to-start link leaves after its predecessor's finish
    /// before its successor's start: how far the predecessor can slip.
    #[inline]
    pub fn room(&self, link: &Link, finish: u32, start: u32) -> i64 {
        self.finish_before(link, start) - finish as i64
    }

    /// The ticks a finish at `finish` can move later before `link`'s
    /// successor, at `(start, end)`, must move; `None` for a start-to-start
    /// link, which a later finish does not move.
    #[inline]
    pub fn finish_room(&self, link: &Link, finish: u32, (start, end): (u32, u32)) -> Option<i64> {
        match link.kind {
            LinkKind::FinishToStart => Some(self.room(link, finish, start)),
            LinkKind::StartToStart => None,
            LinkKind::FinishToFinish => Some(end as i64 - link.lag as i64 - finish as i64),
        }
    }

    /// The earliest start of `j` allowed by its release and its placed
    /// predecessors.
    #[inline]
    pub fn earliest_start(&self, j: usize, start: &[u32], finish: &[u32]) -> u32 {
        let mut earliest = self.release[j] as i64;
        for link in self.predecessors(j) {
            let p = link.other as usize;
            let bound = match link.kind {
                LinkKind::FinishToStart => self.start_after(link, finish[p]),
                LinkKind::StartToStart => start[p] as i64 + link.lag as i64,
                LinkKind::FinishToFinish => {
                    let target = (finish[p] as i64 + link.lag as i64).max(0) as u32;
                    self.place_until(j, target).0 as i64
                }
            };
            earliest = earliest.max(bound);
        }
        earliest.max(0) as u32
    }

    /// The latest finish of `j` allowed by its placed successors and `deadline`.
    #[inline]
    pub fn latest_finish(&self, j: usize, deadline: u32, start: &[u32], finish: &[u32]) -> u32 {
        self.latest_finish_within(j, deadline, start, finish).unwrap_or(0)
    }

    /// Like [`Problem::latest_finish`], but `None` when a successor leaves
    /// `j` no room at all after tick 0 (a backward pass has then failed).
    #[inline]
    pub fn latest_finish_within(&self, j: usize, deadline: u32, start: &[u32], finish: &[u32]) -> Option<u32> {
        let mut latest = deadline as i64;
        for link in self.successors(j) {
            let s = link.other as usize;
            let bound = match link.kind {
                LinkKind::FinishToStart => self.finish_before(link, start[s]),
                LinkKind::StartToStart => {
                    let target = start[s] as i64 - link.lag as i64;
                    if target < 0 {
                        return None;
                    }
                    self.place_from(j, target as u32).1 as i64
                }
                LinkKind::FinishToFinish => finish[s] as i64 - link.lag as i64,
            };
            latest = latest.min(bound);
        }
        (latest >= 0).then_some(latest as u32)
    }

    /// Whether moving a whole schedule earlier keeps it feasible: capacity
    /// never changes, nothing is released late or fixed, no calendar has
    /// holidays and no lag is in calendar days (PSPLIB instances are like
    /// this; plans rarely are).
    pub fn shifts_freely(&self) -> bool {
        self.capacity.iter().all(|c| c.changes.is_empty())
            && self.release.iter().all(|&r| r == 0)
            && self.fixed.iter().all(Option::is_none)
            && self.holidays.iter().all(Vec::is_empty)
            && self.elapsed.is_none()
    }

    /// The critical-path lower bound on the makespan: the latest early finish
    /// ignoring resources.
    pub fn critical_path_length(&self) -> u32 {
        let n = self.len();
        let mut start = vec![0u32; n];
        let mut finish = vec![0u32; n];
        let mut end = 0;
        for j in 0..n {
            let (s, f) = match self.fixed[j] {
                Some(fixed) => (fixed.start, fixed.finish),
                None => self.place_from(j, self.earliest_start(j, &start, &finish)),
            };
            start[j] = s;
            finish[j] = f;
            end = end.max(f);
        }
        end
    }

    /// Latest finish times ignoring resources, for a deadline (the LFT rule).
    pub fn latest_finish_times(&self, deadline: u32) -> Vec<u32> {
        let n = self.len();
        let mut start = vec![0u32; n];
        let mut finish = vec![0u32; n];
        for j in (0..n).rev() {
            let lf = self.latest_finish(j, deadline, &start, &finish);
            let (s, f) = self.place_until(j, lf);
            start[j] = s;
            finish[j] = f;
        }
        finish
    }
}
