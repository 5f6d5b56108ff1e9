//! Schedule-generation schemes over a time-indexed resource profile: the
//! serial SGS (forward, earliest feasible start in activity-list order), its
//! mirror (backward, latest feasible finish), and double justification
//! (Valls, Ballestín & Quintanilla 2005), which shifts every activity right
//! and then left and never lengthens the schedule.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use super::{Capacity, Problem};

/// Remaining units of every resource at every tick, reused across schedules.
#[derive(Clone, Debug)]
pub struct Profile {
    /// Each resource's capacity, which every schedule starts from. Rows are
    /// refilled from these step functions rather than copied from a second
    /// time-indexed table: a plan decades long keeps one table, not two.
    capacity: Vec<Capacity>,
    available: Vec<Vec<i32>>,
    /// Per resource and tracked level `k`: the first tick with at least `k`
    /// units free. Placements only take capacity, so during a
    /// forward pass these only move right: a busy team's booked past is
    /// skipped in one step instead of tick by tick.
    first_free: Vec<Vec<u32>>,
    template_first_free: Vec<Vec<u32>>,
    /// Per resource and level: the last tick before the backward pass's
    /// deadline with at least `k` units free (moves only left).
    last_free: Vec<Vec<u32>>,
    /// Per resource, the distinct demands (the levels tracked above) ...
    tracked: Vec<Vec<u32>>,
    /// ... and, by units, the position of that level in `tracked`.
    slot: Vec<Vec<u16>>,
}

/// A level never available again.
const NEVER: u32 = u32::MAX;

impl Profile {
    pub fn new(problem: &Problem) -> Self {
        let horizon = initial_horizon(problem);
        let available: Vec<Vec<i32>> = problem
            .capacity
            .iter()
            .map(|cap| {
                let mut row = vec![0; horizon as usize];
                fill(&mut row, 0, cap);
                row
            })
            .collect();
        // Only the levels some activity asks for are worth tracking.
        let mut tracked: Vec<Vec<u32>> = vec![Vec::new(); problem.capacity.len()];
        for j in 0..problem.len() {
            for &(r, units) in problem.demands(j) {
                tracked[r as usize].push(units);
            }
        }
        for levels in &mut tracked {
            levels.sort_unstable();
            levels.dedup();
        }
        let slot: Vec<Vec<u16>> = tracked
            .iter()
            .map(|levels| {
                let top = levels.last().copied().unwrap_or(0) as usize;
                let mut slot = vec![u16::MAX; top + 1];
                for (i, &k) in levels.iter().enumerate() {
                    slot[k as usize] = i as u16;
                }
                slot
            })
            .collect();
        let template_first_free = problem
            .capacity
            .iter()
            .zip(&available)
            .zip(&tracked)
            .map(|((cap, row), levels)| {
                levels
                    .iter()
                    .map(|&k| match row.iter().position(|&units| units >= k as i32) {
                        Some(t) => t as u32,
                        None if cap.final_units() >= k => row.len() as u32,
                        None => NEVER,
                    })
                    .collect()
            })
            .collect();
        Profile {
            available,
            capacity: problem.capacity.clone(),
            first_free: Vec::new(),
            last_free: Vec::new(),
            template_first_free,
            tracked,
            slot,
        }
    }

    fn reset(&mut self) {
        for (available, capacity) in self.available.iter_mut().zip(&self.capacity) {
            fill(available, 0, capacity);
        }
        self.first_free.clone_from(&self.template_first_free);
        self.last_free.clear();
    }

    /// Starts a backward pass that must finish by `deadline`.
    fn reset_before(&mut self, deadline: u32) {
        self.reset();
        self.ensure(deadline);
        self.last_free = self
            .available
            .iter()
            .zip(&self.tracked)
            .map(|(row, levels)| {
                levels
                    .iter()
                    .map(|&k| (0..deadline as usize).rev().find(|&t| row[t] >= k as i32).map_or(NEVER, |t| t as u32))
                    .collect()
            })
            .collect();
    }

    /// No start before this tick can give `j` its units.
    #[inline]
    fn earliest_free(&self, problem: &Problem, j: usize) -> u32 {
        problem
            .demands(j)
            .iter()
            .map(|&(r, units)| self.first_free[r as usize][self.slot[r as usize][units as usize] as usize])
            .max()
            .unwrap_or(0)
    }

    /// No finish after this tick can give `j` its units (backward pass only).
    #[inline]
    fn latest_free_end(&self, problem: &Problem, j: usize) -> u32 {
        problem
            .demands(j)
            .iter()
            .map(|&(r, units)| {
                match self.last_free.get(r as usize).map(|l| &l[self.slot[r as usize][units as usize] as usize]) {
                    Some(&NEVER) => 0,
                    Some(&t) => t + 1,
                    None => u32::MAX,
                }
            })
            .min()
            .unwrap_or(u32::MAX)
    }

    #[inline]
    fn ensure(&mut self, end: u32) {
        // Every row has the same length; grow them all at once, rarely.
        if self.available.first().is_none_or(|row| end as usize <= row.len()) {
            return;
        }
        for (available, capacity) in self.available.iter_mut().zip(&self.capacity) {
            let len = available.len();
            if end as usize > len {
                available.resize((end as usize).max(len * 2), 0);
                fill(&mut available[len..], len, capacity);
            }
        }
    }

    /// The first tick in `[start, finish)` at which `j` does not fit.
    #[inline]
    fn first_conflict(&mut self, problem: &Problem, j: usize, start: u32, finish: u32) -> Option<u32> {
        self.ensure(finish);
        let mut first: Option<u32> = None;
        for &(r, units) in problem.demands(j) {
            let row = &self.available[r as usize];
            let end = first.unwrap_or(finish);
            for t in start..end {
                if row[t as usize] < units as i32 && problem.works_at(j, t) {
                    first = Some(t);
                    break;
                }
            }
        }
        first
    }

    /// The last tick in `[start, finish)` at which `j` does not fit.
    #[inline]
    fn last_conflict(&mut self, problem: &Problem, j: usize, start: u32, finish: u32) -> Option<u32> {
        self.ensure(finish);
        let mut last: Option<u32> = None;
        for &(r, units) in problem.demands(j) {
            let row = &self.available[r as usize];
            let begin = last.map_or(start, |l| l + 1);
            for t in (begin..finish).rev() {
                if row[t as usize] < units as i32 && problem.works_at(j, t) {
                    last = Some(t);
                    break;
                }
            }
        }
        last
    }

    #[inline]
    fn take(&mut self, problem: &Problem, j: usize, from: u32, finish: u32) {
        self.ensure(finish);
        for &(r, units) in problem.demands(j) {
            let row = &mut self.available[r as usize];
            for t in from..finish {
                if problem.works_at(j, t) {
                    row[t as usize] -= units as i32;
                }
            }
            // Move the free-level pointers past ticks this placement filled.
            let len = row.len() as u32;
            let tracked = &self.tracked[r as usize];
            if let Some(levels) = self.first_free.get_mut(r as usize) {
                for (&k, first) in tracked.iter().zip(levels.iter_mut()) {
                    let k = k as i32;
                    if *first >= from && *first < finish {
                        while *first < len && row[*first as usize] < k {
                            *first += 1;
                        }
                    }
                }
            }
            if let Some(levels) = self.last_free.get_mut(r as usize) {
                for (&k, last) in tracked.iter().zip(levels.iter_mut()) {
                    let k = k as i32;
                    if *last != NEVER && *last >= from && *last < finish {
                        loop {
                            if row[*last as usize] >= k {
                                break;
                            }
                            if *last == 0 {
                                *last = NEVER;
                                break;
                            }
                            *last -= 1;
                        }
                    }
                }
            }
        }
    }
}

/// Sets `row`, which holds ticks from `first_tick` on, to the capacity at
/// each of its ticks.
fn fill(row: &mut [i32], first_tick: usize, capacity: &Capacity) {
    let mut from = 0;
    let mut units = capacity.base;
    for &(tick, next) in &capacity.changes {
        let to = (tick as usize).saturating_sub(first_tick).clamp(from, row.len());
        row[from..to].fill(units as i32);
        from = to;
        units = next;
    }
    row[from..].fill(units as i32);
}

/// Enough ticks for any serial schedule of the problem (grown on demand).
fn initial_horizon(problem: &Problem) -> u32 {
    let work: u64 = problem.duration.iter().map(|&d| d as u64).sum();
    let release = problem.release.iter().copied().max().unwrap_or(0) as u64;
    let fixed = problem.fixed.iter().flatten().map(|f| f.finish).max().unwrap_or(0) as u64;
    (release.max(fixed) + work + 1).min(1 << 20) as u32
}

/// Whether `j` can never fit from `t` on: past the last capacity change, a
/// demand above the final capacity would search forever.
fn hopeless(problem: &Problem, j: usize, t: u32) -> bool {
    problem.demands(j).iter().any(|&(r, units)| {
        let cap = &problem.capacity[r as usize];
        t > cap.last_change() && units > cap.final_units()
    })
}

fn place_fixed(problem: &Problem, profile: &mut Profile, start: &mut [u32], finish: &mut [u32]) {
    for (j, fixed) in problem.fixed.iter().enumerate() {
        if let Some(fixed) = fixed {
            start[j] = fixed.start;
            finish[j] = fixed.finish;
            if fixed.occupies_from < fixed.finish {
                profile.take(problem, j, fixed.occupies_from, fixed.finish);
            }
        }
    }
}

/// The serial SGS: each activity of `order` (a precedence-feasible list) at
/// its earliest precedence- and resource-feasible start. Returns the makespan.
pub fn forward(problem: &Problem, profile: &mut Profile, order: &[u32], start: &mut [u32], finish: &mut [u32]) -> u32 {
    profile.reset();
    place_fixed(problem, profile, start, finish);
    let mut makespan = 0;
    for &j in order {
        let j = j as usize;
        if problem.fixed[j].is_none() {
            let free = profile.earliest_free(problem, j);
            // A level that never frees up again is left to `hopeless` below.
            let mut t = problem.earliest_start(j, start, finish).max(if free == NEVER { 0 } else { free });
            let (s, f) = loop {
                let (s, f) = problem.place_from(j, t);
                match profile.first_conflict(problem, j, s, f) {
                    None => break (s, f),
                    Some(_) if hopeless(problem, j, s) => break (s, f),
                    Some(conflict) => t = conflict + 1,
                }
            };
            start[j] = s;
            finish[j] = f;
            profile.take(problem, j, s, f);
        }
        makespan = makespan.max(finish[j]);
    }
    makespan
}

/// The backward SGS: each activity of `order` (successors first) at its
/// latest feasible finish no later than `deadline`. Returns `false` when an
/// activity cannot be placed after its release (the caller keeps its
/// forward schedule then).
pub fn backward(
    problem: &Problem,
    profile: &mut Profile,
    order: &[u32],
    deadline: u32,
    start: &mut [u32],
    finish: &mut [u32],
) -> bool {
    profile.reset_before(deadline);
    place_fixed(problem, profile, start, finish);
    for &j in order {
        let j = j as usize;
        if problem.fixed[j].is_some() {
            continue;
        }
        let Some(latest) = problem.latest_finish_within(j, deadline, start, finish) else {
            return false;
        };
        let mut latest = latest.min(profile.latest_free_end(problem, j));
        let (s, f) = loop {
            let (s, f) = problem.place_until(j, latest);
            if s < problem.release[j] || f < problem.duration[j] {
                return false;
            }
            match profile.last_conflict(problem, j, s, f) {
                None => break (s, f),
                Some(conflict) => latest = conflict,
            }
        };
        start[j] = s;
        finish[j] = f;
        profile.take(problem, j, s, f);
    }
    true
}

/// A precedence-feasible list taking, among the activities whose
/// predecessors are listed, the one with the smallest key first.
pub fn order_by_key<K: Ord + Copy>(problem: &Problem, key: impl Fn(usize) -> K) -> Vec<u32> {
    let n = problem.len();
    let mut waiting: Vec<u32> = (0..n).map(|j| problem.predecessors(j).len() as u32).collect();
    let mut heap: BinaryHeap<Reverse<(K, u32)>> =
        (0..n).filter(|&j| waiting[j] == 0).map(|j| Reverse((key(j), j as u32))).collect();
    let mut order = Vec::with_capacity(n);
    while let Some(Reverse((_, j))) = heap.pop() {
        order.push(j);
        for link in problem.successors(j as usize) {
            let s = link.other as usize;
            waiting[s] -= 1;
            if waiting[s] == 0 {
                heap.push(Reverse((key(s), s as u32)));
            }
        }
    }
    order
}

/// A list with every activity after its successors, largest key first.
pub fn reverse_order_by_key<K: Ord + Copy>(problem: &Problem, key: impl Fn(usize) -> K) -> Vec<u32> {
    let n = problem.len();
    let mut waiting: Vec<u32> = (0..n).map(|j| problem.successors(j).len() as u32).collect();
    let mut heap: BinaryHeap<(K, u32)> = (0..n).filter(|&j| waiting[j] == 0).map(|j| (key(j), j as u32)).collect();
    let mut order = Vec::with_capacity(n);
    while let Some((_, j)) = heap.pop() {
        order.push(j);
        for link in problem.predecessors(j as usize) {
            let p = link.other as usize;
            waiting[p] -= 1;
            if waiting[p] == 0 {
                heap.push((key(p), p as u32));
            }
        }
    }
    order
}

/// Scratch space for decoding, so a search allocates once.
#[derive(Clone, Debug)]
pub struct Decoder {
    pub profile: Profile,
    pub start: Vec<u32>,
    pub finish: Vec<u32>,
    back_start: Vec<u32>,
    back_finish: Vec<u32>,
    /// Schedules generated so far (forward and backward passes alike).
    pub schedules: usize,
}

impl Decoder {
    pub fn new(problem: &Problem) -> Self {
        let n = problem.len();
        Decoder {
            profile: Profile::new(problem),
            start: vec![0; n],
            finish: vec![0; n],
            back_start: vec![0; n],
            back_finish: vec![0; n],
            schedules: 0,
        }
    }

    /// Decodes `order` with the serial SGS into `self.start`/`self.finish`.
    pub fn decode(&mut self, problem: &Problem, order: &[u32]) -> u32 {
        self.schedules += 1;
        forward(problem, &mut self.profile, order, &mut self.start, &mut self.finish)
    }

    /// The schedule in `self.start`/`self.finish` shifted right, latest
    /// finish first, to end by `makespan`, into `back_start`/`back_finish`
    /// (one more schedule); `false` when it does not fit.
    fn backward_pass(&mut self, problem: &Problem, makespan: u32) -> bool {
        let finish = &self.finish;
        let start = &self.start;
        let right = reverse_order_by_key(problem, |j| (finish[j], start[j]));
        self.schedules += 1;
        backward(problem, &mut self.profile, &right, makespan, &mut self.back_start, &mut self.back_finish)
    }

    /// Right justification alone of the schedule in `self.start`/`self.finish`
    /// (one more schedule), moved back to start at tick 0; only for problems
    /// that [`Problem::shifts_freely`]. Rewrites `order` as the list of the
    /// new schedule, whose forward decoding is never longer.
    pub fn justify_right(&mut self, problem: &Problem, makespan: u32, order: &mut Vec<u32>) -> u32 {
        if !self.backward_pass(problem, makespan) {
            return makespan;
        }
        let earliest = self.back_start.iter().copied().min().unwrap_or(0);
        for (s, b) in self.start.iter_mut().zip(&self.back_start) {
            *s = b - earliest;
        }
        for (f, b) in self.finish.iter_mut().zip(&self.back_finish) {
            *f = b - earliest;
        }
        *order = order_by_key(problem, |j| self.start[j]);
        makespan - earliest
    }

    /// Double justification of the schedule in `self.start`/`self.finish`
    /// (two more schedules); returns the new makespan and rewrites `order`
    /// as the list of the improved schedule.
    pub fn justify(&mut self, problem: &Problem, makespan: u32, order: &mut Vec<u32>) -> u32 {
        if !self.backward_pass(problem, makespan) {
            return makespan;
        }
        let back_start = &self.back_start;
        let left = order_by_key(problem, |j| back_start[j]);
        self.schedules += 1;
        let improved = forward(problem, &mut self.profile, &left, &mut self.start, &mut self.finish);
        if improved <= makespan {
            *order = order_by_key(problem, |j| self.start[j]);
            improved
        } else {
            // Cannot happen for plain precedence; guard generalized links anyway.
            self.decode(problem, order)
        }
    }
}

#[cfg(test)]
mod tests {
    use linchpin_model::LinkKind;

    use super::*;
    use crate::rcpsp::{ActivitySpec, Link};

    fn fs(p: u32) -> Link {
        Link { other: p, kind: LinkKind::FinishToStart, lag: 0, elapsed: false }
    }

    fn activity(duration: u32, units: u32, preds: Vec<Link>) -> ActivitySpec {
        ActivitySpec { duration, demands: vec![(0, units)], preds, ..Default::default() }
    }

    #[test]
    fn serial_sgs_never_exceeds_capacity() {
        // Three 2-unit activities on a 3-unit resource must run one at a time.
        let problem = Problem::new(
            vec![activity(4, 2, vec![]), activity(3, 2, vec![]), activity(2, 2, vec![])],
            vec![Capacity::constant(3)],
            vec![],
            1,
        )
        .expect("valid");
        let mut decoder = Decoder::new(&problem);
        let makespan = decoder.decode(&problem, &[0, 1, 2]);
        assert_eq!(makespan, 9);
        assert_eq!(decoder.start, vec![0, 4, 7]);
    }

    #[test]
    fn rows_are_refilled_from_the_capacity_steps() {
        let mut row = vec![-7; 8];
        let steps = Capacity { base: 1, changes: vec![(0, 2), (3, 5), (6, 0), (20, 9)] };
        fill(&mut row, 0, &steps);
        assert_eq!(row, vec![2, 2, 2, 5, 5, 5, 0, 0]);
        fill(&mut row, 0, &Capacity::constant(4));
        assert_eq!(row, vec![4; 8]);
        // A row grown later holds ticks from its old length on.
        fill(&mut row, 5, &steps);
        assert_eq!(row, vec![5, 0, 0, 0, 0, 0, 0, 0]);
        assert!((0..40).all(|t| {
            let mut tick = [0];
            fill(&mut tick, t, &steps);
            tick[0] == steps.at(t as u32) as i32
        }));
    }

    #[test]
    fn capacity_that_grows_lets_work_run_in_parallel_later() {
        let capacity = Capacity { base: 1, changes: vec![(5, 2)] };
        let problem = Problem::new(
            vec![activity(5, 1, vec![]), activity(3, 1, vec![]), activity(3, 1, vec![])],
            vec![capacity],
            vec![],
            1,
        )
        .expect("valid");
        let mut decoder = Decoder::new(&problem);
        decoder.decode(&problem, &[0, 1, 2]);
        assert_eq!(decoder.start, vec![0, 5, 5]);
    }

    #[test]
    fn justification_never_lengthens_and_can_shorten() {
        // A classic case: a bad list leaves a gap that justification closes.
        let problem = Problem::new(
            vec![
                activity(1, 1, vec![]),
                activity(3, 2, vec![]),
                activity(3, 1, vec![fs(0)]),
                activity(2, 2, vec![fs(1)]),
            ],
            vec![Capacity::constant(2)],
            vec![],
            1,
        )
        .expect("valid");
        let mut decoder = Decoder::new(&problem);
        let mut order = vec![0, 2, 1, 3];
        let makespan = decoder.decode(&problem, &order);
        let justified = decoder.justify(&problem, makespan, &mut order);
        assert!(justified <= makespan);
        assert_eq!(decoder.schedules, 3);
    }

    #[test]
    fn right_justification_keeps_links_and_restarts_at_zero() {
        // 0 and 1 share the resource; 2 must start 2 ticks after 0 starts.
        let problem = Problem::new(
            vec![
                activity(3, 2, vec![]),
                activity(2, 1, vec![]),
                ActivitySpec {
                    duration: 4,
                    demands: vec![(0, 1)],
                    preds: vec![Link { other: 0, kind: LinkKind::StartToStart, lag: 2, elapsed: false }],
                    ..Default::default()
                },
            ],
            vec![Capacity::constant(2)],
            vec![],
            1,
        )
        .expect("valid");
        assert!(problem.shifts_freely());
        let mut decoder = Decoder::new(&problem);
        let mut order = vec![1, 0, 2];
        let makespan = decoder.decode(&problem, &order);
        let justified = decoder.justify_right(&problem, makespan, &mut order);
        assert_eq!(decoder.schedules, 2);
        assert!(justified <= makespan);
        assert_eq!(decoder.start.iter().min(), Some(&0));
        assert!(decoder.start[2] >= decoder.start[0] + 2, "start-to-start lag kept: {:?}", decoder.start);
        assert_eq!(decoder.finish.iter().max(), Some(&justified));
        // Its list decodes forward no longer.
        assert!(decoder.decode(&problem, &order) <= justified);
    }
}
