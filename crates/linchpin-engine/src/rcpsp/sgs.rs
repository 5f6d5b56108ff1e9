//! Schedule-generation schemes over a time-indexed resource profile: the
//! serial SGS (forward, earliest feasible start in activity-list order), its
//! mirror (backward, latest feasible finish), and double justification
//! (Valls, Ballestín & Quintanilla 2005), which shifts every activity right
//! and then left and never lengthens the schedule.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use super::tree::{Runs, Tree, mask_in};
use super::{Capacity, Problem};

/// Remaining units of every resource at every tick, reused across schedules:
/// a row per resource, scanned over the few ticks an activity would take,
/// and on long rows a segment tree beside it (of runs of free ticks per
/// level of units, or of the units themselves), which says in a logarithmic
/// search where an activity fits next. A busy team's booked months are
/// jumped, not walked tick by tick (issue 13: walking them made a schedule
/// grow with the square of the program).
#[derive(Clone, Debug)]
pub struct Profile {
    /// Each resource's capacity, which every schedule starts from.
    capacity: Vec<Capacity>,
    available: Vec<Vec<i32>>,
    /// None over a short horizon (PSPLIB's hundred ticks), where walking a
    /// row is quicker than keeping a tree.
    free: Option<Vec<Tree>>,
    /// Ticks before this may have been taken since the last reset; the
    /// rest still hold the capacity, so a reset costs the schedule's own
    /// length, not the horizon's.
    dirty: u32,
    /// Rows at least this long get trees.
    tree_from: usize,
    /// Ticks walked past a conflict before asking a tree.
    near: usize,
    /// Per resource whose activities share one calendar (all of a plan's
    /// teams), the days off of that calendar (in days) ...
    days_off: Vec<Option<Vec<u32>>>,
    ticks_per_day: u32,
    /// ... and, beside the trees, for each level of units its activities
    /// ask for, where that many are free (a day off counts as free: no
    /// activity of the resource works it). The first stretch long enough
    /// for an activity is then one search, past every shorter gap.
    runs: Vec<Vec<(u32, Runs)>>,
    /// Free ticks as words, for a reset, reused.
    scratch: Vec<u64>,
    /// Tests only: step one tick past each conflict, as the scheme is
    /// defined, instead of jumping to where the units are free.
    #[cfg(test)]
    step: bool,
}

impl Profile {
    pub fn new(problem: &Problem) -> Self {
        Self::with_trees_from(problem, TREE_FROM, NEAR)
    }

    /// A profile whose rows get trees from `tree_from` ticks on, asked
    /// `near` ticks past a conflict.
    fn with_trees_from(problem: &Problem, tree_from: usize, near: usize) -> Self {
        let horizon = initial_horizon(problem) as usize;
        let available: Vec<Vec<i32>> = problem
            .capacity
            .iter()
            .map(|cap| {
                let mut row = vec![0; horizon];
                fill(&mut row, 0, cap);
                row
            })
            .collect();
        // One calendar per resource, and the levels its activities ask for.
        let resources = problem.capacity.len();
        let mut calendar: Vec<Option<Option<u32>>> = vec![None; resources];
        let mut levels: Vec<Vec<u32>> = vec![Vec::new(); resources];
        for j in 0..problem.len() {
            for &(r, units) in problem.demands(j) {
                let c = &mut calendar[r as usize];
                *c = match *c {
                    None => Some(Some(problem.calendar[j])),
                    Some(Some(k)) if k == problem.calendar[j] => Some(Some(k)),
                    _ => Some(None),
                };
                levels[r as usize].push(units);
            }
        }
        for l in &mut levels {
            l.sort_unstable();
            l.dedup();
        }
        let days_off: Vec<Option<Vec<u32>>> =
            calendar.iter().map(|c| c.flatten().map(|k| problem.holidays[k as usize].clone())).collect();
        let free = trees(&available, tree_from, &days_off);
        let mut profile = Profile {
            capacity: problem.capacity.clone(),
            available,
            free,
            dirty: 0,
            tree_from,
            near,
            days_off,
            ticks_per_day: problem.ticks_per_day,
            runs: levels.into_iter().map(|l| l.into_iter().map(|k| (k, Runs::new(&[]))).collect()).collect(),
            scratch: Vec::new(),
            #[cfg(test)]
            step: false,
        };
        profile.build_runs();
        profile
    }

    /// Whether each tick of `[0, to)` of resource `r` is free at `units`,
    /// 64 ticks to a word, into `out` (the last word whole; ticks past the
    /// rows are free, as capacity is as at their end there).
    fn free_words(&self, r: usize, units: u32, to: usize, out: &mut Vec<u64>) {
        const WORD: usize = u64::BITS as usize;
        let row = &self.available[r];
        out.clear();
        out.extend((0..to.div_ceil(WORD)).map(|w| {
            let base = w * WORD;
            let ticks = &row[base.min(row.len())..(base + WORD).min(row.len())];
            let free = mask_in(ticks, units as i32, i32::MAX);
            if ticks.len() == WORD { free } else { free | u64::MAX << ticks.len() }
        }));
        if let Some(days) = &self.days_off[r] {
            let tpd = self.ticks_per_day as usize;
            for &d in days {
                let from = d as usize * tpd;
                if from >= out.len() * WORD {
                    break;
                }
                for t in from..(from + tpd).min(out.len() * WORD) {
                    out[t / WORD] |= 1 << (t % WORD);
                }
            }
        }
    }

    /// Whether resource `r` keeps runs of free ticks: its rows are long
    /// enough for trees and its activities share one calendar. The others
    /// keep a tree of units, or nothing on short rows.
    #[inline]
    fn keeps_runs(&self, r: usize) -> bool {
        self.free.is_some() && self.days_off[r].is_some()
    }

    /// Runs for every level of every resource that keeps them (the
    /// levels of the rest stay empty).
    fn build_runs(&mut self) {
        self.rebuild_runs(self.len(), |runs, words| *runs = Runs::new(words));
    }

    /// Recomputes which ticks of `[0, to)` are free for every level of
    /// every resource that keeps runs, and hands them to `apply`.
    fn rebuild_runs(&mut self, to: usize, apply: impl Fn(&mut Runs, &[u64])) {
        let mut words = std::mem::take(&mut self.scratch);
        for r in 0..self.runs.len() {
            if !self.keeps_runs(r) {
                continue;
            }
            for i in 0..self.runs[r].len() {
                let units = self.runs[r][i].0;
                self.free_words(r, units, to, &mut words);
                apply(&mut self.runs[r][i].1, &words);
            }
        }
        self.scratch = words;
    }

    /// The runs of resource `r` at `units`, when it keeps them.
    #[inline]
    fn runs_of(&self, r: u32, units: u32) -> Option<&Runs> {
        if !self.keeps_runs(r as usize) {
            return None;
        }
        self.runs[r as usize].iter().find(|(k, _)| *k == units).map(|(_, runs)| runs)
    }

    /// The runs that can place `j` in one search, and its duration: when it
    /// needs one resource that keeps runs, and takes time.
    #[inline]
    fn runs_for(&self, problem: &Problem, j: usize) -> Option<(&Runs, u32)> {
        let (&[(r, units)], d) = (problem.demands(j), problem.duration[j]) else { return None };
        if d == 0 {
            return None;
        }
        Some((self.runs_of(r, units)?, d))
    }

    /// No start of `j` at or after `t` before this tick finds its units
    /// free for its whole duration (`t` itself without runs to ask); and
    /// whether they are free there for that many ticks, inside the rows.
    #[inline]
    fn first_fit(&self, problem: &Problem, j: usize, t: u32) -> (u32, bool) {
        let Some((runs, d)) = self.runs_for(problem, j) else { return (t, false) };
        match runs.first_run(t as usize, d) {
            Some(p) => (p as u32, p + d as usize <= self.len()),
            // Only the free stretch running off the end of the rows can
            // hold it (the rows grow with capacity).
            None => (runs.trailing_start().max(t as usize) as u32, false),
        }
    }

    /// No finish of `j` at or before `latest` after this tick finds its
    /// units free for its whole duration.
    #[inline]
    fn last_fit(&self, problem: &Problem, j: usize, latest: u32) -> u32 {
        let Some((runs, d)) = self.runs_for(problem, j) else { return latest };
        runs.last_run(latest as usize, d).map_or(0, |q| q as u32).min(latest)
    }

    /// Ticks every row covers.
    fn len(&self) -> usize {
        self.available.first().map_or(0, Vec::len)
    }

    fn reset(&mut self) {
        let dirty = (self.dirty as usize).min(self.len());
        for (r, (row, capacity)) in self.available.iter_mut().zip(&self.capacity).enumerate() {
            fill(&mut row[..dirty], 0, capacity);
            if let Some(trees) = &mut self.free
                && self.days_off[r].is_none()
            {
                trees[r].reset_prefix(dirty, row);
            }
        }
        self.rebuild_runs(dirty, |runs, words| runs.reset_prefix(dirty, words));
        self.dirty = 0;
    }

    /// Starts a backward pass that must finish by `deadline`.
    fn reset_before(&mut self, deadline: u32) {
        self.reset();
        self.ensure(deadline);
    }

    #[inline]
    fn ensure(&mut self, end: u32) {
        // Every row has the same length; grow them all at once, rarely,
        // keeping what is booked.
        let len = self.len();
        if end as usize <= len || self.available.is_empty() {
            return;
        }
        // Trees cover a power of two of ticks: grow the rows to it.
        let size = (end as usize).max(2 * len).next_power_of_two();
        for (row, capacity) in self.available.iter_mut().zip(&self.capacity) {
            row.resize(size, 0);
            fill(&mut row[len..], len, capacity);
        }
        self.free = trees(&self.available, self.tree_from, &self.days_off);
        self.build_runs();
    }

    /// The first tick in `[start, finish)` at which `j` does not fit, and
    /// the demand that does not (an index into its demands).
    #[inline]
    fn first_conflict(&mut self, problem: &Problem, j: usize, start: u32, finish: u32) -> Option<(u32, usize)> {
        self.ensure(finish);
        let mut first: Option<(u32, usize)> = None;
        for (d, &(r, units)) in problem.demands(j).iter().enumerate() {
            let end = first.map_or(finish, |f| f.0);
            let Some(ticks) = self.available[r as usize].get(start as usize..end as usize) else { continue };
            // A short tick is a conflict unless `j` does not work it.
            let mut from = 0;
            while let Some(i) = ticks[from..].iter().position(|&v| v < units as i32) {
                let t = start + (from + i) as u32;
                if problem.works_at(j, t) {
                    first = Some((t, d));
                    break;
                }
                from += i + 1;
            }
        }
        first
    }

    /// The last tick in `[start, finish)` at which `j` does not fit, and the
    /// demand that does not.
    #[inline]
    fn last_conflict(&mut self, problem: &Problem, j: usize, start: u32, finish: u32) -> Option<(u32, usize)> {
        self.ensure(finish);
        let mut last: Option<(u32, usize)> = None;
        for (d, &(r, units)) in problem.demands(j).iter().enumerate() {
            let begin = last.map_or(start, |l| l.0 + 1);
            let Some(ticks) = self.available[r as usize].get(begin as usize..finish as usize) else { continue };
            let mut to = ticks.len();
            while let Some(i) = ticks[..to].iter().rposition(|&v| v < units as i32) {
                let t = begin + i as u32;
                if problem.works_at(j, t) {
                    last = Some((t, d));
                    break;
                }
                to = i;
            }
        }
        last
    }

    /// The first tick after `conflict` at which demand `d` of `j` fits.
    #[inline]
    fn free_after(&self, problem: &Problem, j: usize, d: usize, conflict: u32) -> u32 {
        #[cfg(test)]
        if self.step {
            return conflict + 1;
        }
        let (r, units) = problem.demands(j)[d];
        let from = conflict as usize + 1;
        if let Some(runs) = self.runs_of(r, units) {
            return runs.first_run(from, 1).unwrap_or_else(|| runs.trailing_start().max(from)) as u32;
        }
        let row = &self.available[r as usize];
        let near = match &self.free {
            Some(_) => from..(from + self.near).min(row.len()),
            None => from..row.len(),
        };
        let far = |trees: &Vec<Tree>| trees[r as usize].first_at_least(from, row.len(), units as i32);
        near.clone()
            .find(|&t| row[t] >= units as i32)
            .or_else(|| self.free.as_ref().and_then(far))
            .map_or(row.len() as u32, |t| t as u32)
    }

    /// The end of the last tick before `conflict` at which demand `d` of
    /// `j` fits (0 when none does).
    #[inline]
    fn free_until(&self, problem: &Problem, j: usize, d: usize, conflict: u32) -> u32 {
        #[cfg(test)]
        if self.step {
            return conflict;
        }
        let (r, units) = problem.demands(j)[d];
        if let Some(runs) = self.runs_of(r, units) {
            return runs.last_run(conflict as usize, 1).unwrap_or(0) as u32;
        }
        let row = &self.available[r as usize];
        let to = conflict as usize;
        let near = match &self.free {
            Some(_) => to.saturating_sub(self.near)..to,
            None => 0..to,
        };
        let far = |trees: &Vec<Tree>| trees[r as usize].last_at_least(0, to, units as i32);
        near.rev()
            .find(|&t| row[t] >= units as i32)
            .or_else(|| self.free.as_ref().and_then(far))
            .map_or(0, |t| t as u32 + 1)
    }

    #[inline]
    fn take(&mut self, problem: &Problem, j: usize, from: u32, finish: u32) {
        if from >= finish {
            return;
        }
        self.ensure(finish);
        self.dirty = self.dirty.max(finish);
        let holidays = problem.activity_holidays(j);
        let tpd = problem.ticks_per_day;
        for &(r, units) in problem.demands(j) {
            // The working stretches of [from, finish) between `j`'s days off.
            let mut at = from;
            let mut i = holidays.partition_point(|&h| (h + 1) * tpd <= from);
            while at < finish {
                match holidays.get(i) {
                    Some(&h) if h * tpd < finish => {
                        self.book(r as usize, at, h * tpd, units);
                        at = at.max((h + 1) * tpd);
                        i += 1;
                    }
                    _ => {
                        self.book(r as usize, at, finish, units);
                        break;
                    }
                }
            }
        }
    }

    /// Takes `units` of resource `r` over ticks `[from, until)`.
    #[inline]
    fn book(&mut self, r: usize, from: u32, until: u32, units: u32) {
        if until <= from {
            return;
        }
        let (from, until, units) = (from as usize, until as usize, units as i32);
        let keeps_runs = self.keeps_runs(r);
        let row = &mut self.available[r];
        for slot in &mut row[from..until] {
            *slot -= units;
        }
        if !keeps_runs {
            if let Some(trees) = &mut self.free {
                trees[r].add(from, until, -units);
            }
            return;
        }
        // At each level, the ticks this booking took below it turn busy;
        // no tick turns free.
        for (level, runs) in &mut self.runs[r] {
            let level = *level as i32;
            runs.take(from, until, row, level - units, level);
        }
    }
}

/// Rows at least this long get trees (or runs) beside them; shorter ones are
/// walked. Measured on `gen_network.py` networks of 20 teams: at 4,096 ticks
/// the 1,000-item capacity-aware forecast took 11.3 s and its schedule
/// 0.66 s, at 16,384 ticks 3.2 s and 0.17 s, with the 10,000-item schedule
/// (its rows 65,536 ticks long) at 1.5 s either way.
const TREE_FROM: usize = 1 << 14;
/// Most conflicts end within a few ticks: those are walked, not searched.
const NEAR: usize = 8;

/// Trees, when the rows are at least `from` ticks long: a tree of units per
/// row whose activities do not share a calendar, and an empty one for the
/// rest, which keep runs of free ticks instead.
fn trees(rows: &[Vec<i32>], from: usize, days_off: &[Option<Vec<u32>>]) -> Option<Vec<Tree>> {
    (rows.first().map_or(0, Vec::len) >= from).then(|| {
        rows.iter().zip(days_off).map(|(row, days)| Tree::new(if days.is_some() { &[] } else { row })).collect()
    })
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
/// Twice the longer of the critical path and the busiest resource's work
/// at its most units, after the last release or history: most schedules
/// fit, and the trees double when one does not.
fn initial_horizon(problem: &Problem) -> u32 {
    let work: u64 = problem.duration.iter().map(|&d| d as u64).sum();
    let release = problem.release.iter().copied().max().unwrap_or(0) as u64;
    let fixed = problem.fixed.iter().flatten().map(|f| f.finish).max().unwrap_or(0) as u64;
    let mut load = vec![0u64; problem.capacity.len()];
    for j in 0..problem.len() {
        for &(r, units) in problem.demands(j) {
            load[r as usize] += problem.duration[j] as u64 * units as u64;
        }
    }
    let busiest = load
        .iter()
        .zip(&problem.capacity)
        .map(|(&work, cap)| work / cap.changes.iter().map(|c| c.1).chain([cap.base]).max().unwrap_or(1).max(1) as u64)
        .max()
        .unwrap_or(0);
    let bound = (problem.critical_path_length() as u64).max(busiest);
    (release.max(fixed) + 2 * bound + 1).min(work + release.max(fixed) + 1).min(1 << 20) as u32
}

/// Whether some demand of `j` is above its resource's last capacity, so
/// that `j` may never fit and be placed over capacity by [`hopeless`].
fn can_be_hopeless(problem: &Problem, j: usize) -> bool {
    problem.demands(j).iter().any(|&(r, units)| units > problem.capacity[r as usize].final_units())
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
    forward_within(problem, profile, order, start, finish, u32::MAX).unwrap_or(u32::MAX)
}

/// Like [`forward`], but gives up (`None`) as soon as an activity finishes
/// after `limit`: a slip that moves the end is known without the rest.
pub fn forward_within(
    problem: &Problem,
    profile: &mut Profile,
    order: &[u32],
    start: &mut [u32],
    finish: &mut [u32],
    limit: u32,
) -> Option<u32> {
    profile.reset();
    place_fixed(problem, profile, start, finish);
    if problem.fixed.iter().flatten().any(|f| f.finish > limit) {
        return None;
    }
    let mut makespan = 0;
    for &j in order {
        let j = j as usize;
        if problem.fixed[j].is_none() {
            let mut t = problem.earliest_start(j, start, finish);
            // Past a conflict, on to where that demand fits again; a demand
            // above the last capacity never does, and steps on until it is
            // `hopeless` and placed anyway.
            let stepwise = can_be_hopeless(problem, j);
            let (s, f) = loop {
                let mut known_free = false;
                if !stepwise {
                    (t, known_free) = profile.first_fit(problem, j, t);
                }
                let (s, f) = problem.place_from(j, t);
                // With no day off inside, the run found is the whole span.
                if known_free && s == t && f - s == problem.duration[j] {
                    break (s, f);
                }
                match profile.first_conflict(problem, j, s, f) {
                    None => break (s, f),
                    Some(_) if hopeless(problem, j, s) => break (s, f),
                    Some((conflict, _)) if stepwise => t = conflict + 1,
                    Some((conflict, d)) => t = profile.free_after(problem, j, d, conflict),
                }
            };
            start[j] = s;
            finish[j] = f;
            if f > limit {
                return None;
            }
            profile.take(problem, j, s, f);
        }
        makespan = makespan.max(finish[j]);
    }
    Some(makespan)
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
        let mut latest = latest;
        let (s, f) = loop {
            latest = profile.last_fit(problem, j, latest);
            let (s, f) = problem.place_until(j, latest);
            if s < problem.release[j] || f < problem.duration[j] {
                return false;
            }
            match profile.last_conflict(problem, j, s, f) {
                None => break (s, f),
                // Back to where that demand last fits.
                Some((conflict, d)) => latest = profile.free_until(problem, j, d, conflict),
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
    // Usually the keys (start times, latest finishes) already respect the
    // links, and then the sorted list is the one the rule gives.
    let mut sorted: Vec<u32> = (0..problem.len() as u32).collect();
    sorted.sort_unstable_by_key(|&j| (key(j as usize), j));
    if follows_links(problem, &sorted, Problem::predecessors) {
        return sorted;
    }
    ready_by_key(problem, key)
}

/// [`order_by_key`] taken a ready activity at a time.
fn ready_by_key<K: Ord + Copy>(problem: &Problem, key: impl Fn(usize) -> K) -> Vec<u32> {
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
    let mut sorted: Vec<u32> = (0..problem.len() as u32).collect();
    sorted.sort_unstable_by_key(|&j| Reverse((key(j as usize), j)));
    if follows_links(problem, &sorted, Problem::successors) {
        return sorted;
    }
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

/// Whether every activity of `list` comes after all of its `before` (its
/// predecessors, or for a backward list its successors). A sorted list
/// that does is exactly what taking the least key among the activities
/// ready at each step gives: its next activity is the least left, and ready.
fn follows_links<'a>(
    problem: &'a Problem,
    list: &[u32],
    before: impl Fn(&'a Problem, usize) -> &'a [super::Link],
) -> bool {
    let mut position = vec![0u32; list.len()];
    for (at, &j) in list.iter().enumerate() {
        position[j as usize] = at as u32;
    }
    list.iter()
        .enumerate()
        .all(|(at, &j)| before(problem, j as usize).iter().all(|l| position[l.other as usize] < at as u32))
}

/// Scratch space for decoding, so a search allocates once.
#[derive(Clone, Debug)]
pub struct Decoder {
    pub profile: Profile,
    pub start: Vec<u32>,
    pub finish: Vec<u32>,
    back_start: Vec<u32>,
    back_finish: Vec<u32>,
    /// After [`Decoder::justify`] shortened a schedule: the list whose
    /// forward decoding gave it (its start order may decode differently
    /// where capacity changes or links are generalized).
    pub justified_from: Option<Vec<u32>>,
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
            justified_from: None,
            schedules: 0,
        }
    }

    /// Decodes `order` with the serial SGS into `self.start`/`self.finish`.
    pub fn decode(&mut self, problem: &Problem, order: &[u32]) -> u32 {
        self.schedules += 1;
        forward(problem, &mut self.profile, order, &mut self.start, &mut self.finish)
    }

    /// Like [`Decoder::decode`], but `None` as soon as an activity finishes
    /// after `limit`.
    pub fn decode_within(&mut self, problem: &Problem, order: &[u32], limit: u32) -> Option<u32> {
        self.schedules += 1;
        forward_within(problem, &mut self.profile, order, &mut self.start, &mut self.finish, limit)
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
            self.justified_from = Some(left);
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

    /// Random problems: up to 12 activities on two resources with changing
    /// capacity, links of every kind and a calendar with days off.
    fn random_problem() -> impl proptest::strategy::Strategy<Value = (Problem, Vec<u32>)> {
        use proptest::prelude::*;
        let activity = |j: usize| {
            let preds = if j == 0 {
                Just(Vec::new()).boxed()
            } else {
                prop::collection::vec((0..j as u32, 0u8..3, -2i32..3), 0..3).boxed()
            };
            (0u32..6, 1u32..3, 0u32..2, preds, 0u32..2, 0u32..4)
        };
        (1usize..12, prop::collection::vec(1u32..6, 1..4), 1u32..4)
            .prop_flat_map(move |(n, days_off, tpd)| {
                (
                    prop::collection::vec((0..n).map(activity).collect::<Vec<_>>(), 1),
                    Just(days_off),
                    Just(tpd),
                    0u32..30,
                    proptest::bool::ANY,
                )
            })
            .prop_map(|(mut specs, days_off, tpd, key, by_resource)| {
                let specs = specs.remove(0);
                let activities: Vec<ActivitySpec> = specs
                    .into_iter()
                    .map(|(duration, units, resource, preds, calendar, release)| ActivitySpec {
                        duration: duration * tpd,
                        demands: vec![(resource, units)],
                        preds: preds
                            .into_iter()
                            .map(|(other, kind, lag)| Link {
                                other,
                                kind: LinkKind::ALL[kind as usize],
                                lag,
                                elapsed: false,
                            })
                            .collect(),
                        release,
                        // A plan's teams each have one calendar; PSPLIB has none.
                        calendar: if by_resource { resource } else { calendar },
                        ..Default::default()
                    })
                    .collect();
                let capacity =
                    vec![Capacity { base: 2, changes: vec![(3, 1), (9, 3)] }, Capacity { base: 3, changes: vec![] }];
                let mut holidays: Vec<u32> = days_off
                    .iter()
                    .scan(0, |day, gap| {
                        *day += gap;
                        Some(*day)
                    })
                    .collect();
                holidays.dedup();
                let problem = Problem::new(activities, capacity, vec![Vec::new(), holidays], tpd).expect("valid");
                let order = order_by_key(&problem, |j| (j as u32 * 7 + key) % 11);
                (problem, order)
            })
    }

    proptest::proptest! {
        #[test]
        fn a_sorted_list_that_keeps_the_links_is_the_one_taken_a_ready_activity_at_a_time(
            (problem, _) in random_problem(),
            keys in proptest::collection::vec(0u32..20, 12),
            by_position in proptest::bool::ANY,
        ) {
            // Keys that follow the topological numbering keep every link;
            // random ones often do not, and take the slow way.
            let key = |j: usize| if by_position { (j as u32 / 3, 0) } else { (keys[j % keys.len()], 0) };
            proptest::prop_assert_eq!(order_by_key(&problem, key), ready_by_key(&problem, key));
        }

        #[test]
        fn no_schedule_ends_before_the_lower_bound((problem, order) in random_problem(), keys in proptest::collection::vec(0u32..100, 12)) {
            let bound = crate::rcpsp::bound::lower_bound(&problem);
            proptest::prop_assert!(bound.ticks >= problem.critical_path_length());
            let mut decoder = Decoder::new(&problem);
            let shuffled = order_by_key(&problem, |j| (keys[j % keys.len()], j));
            for list in [order, shuffled] {
                let makespan = decoder.decode(&problem, &list);
                proptest::prop_assert!(makespan >= bound.ticks, "{} ends before its bound {:?}", makespan, bound);
                let justified = decoder.justify(&problem, makespan, &mut list.clone());
                proptest::prop_assert!(justified >= bound.ticks, "justified {} ends before {:?}", justified, bound);
            }
        }

        #[test]
        fn jumping_past_conflicts_places_every_activity_where_stepping_does((problem, order) in random_problem()) {
            let n = problem.len();
            // Stepping a tick past each conflict, as the scheme is defined;
            // jumping with the trees alone; and as schedules run.
            let mut walked = Profile::with_trees_from(&problem, usize::MAX, NEAR);
            walked.step = true;
            let mut jumped = Profile::with_trees_from(&problem, 0, 0);
            let (mut s1, mut f1, mut s2, mut f2) = (vec![0; n], vec![0; n], vec![0; n], vec![0; n]);
            // Twice, so a reset is checked too.
            for _ in 0..2 {
                let a = forward(&problem, &mut walked, &order, &mut s1, &mut f1);
                let b = forward(&problem, &mut jumped, &order, &mut s2, &mut f2);
                proptest::prop_assert_eq!((a, &s1, &f1), (b, &s2, &f2));
                let right = reverse_order_by_key(&problem, |j| (f1[j], s1[j]));
                let (mut l1, mut e1, mut l2, mut e2) = (vec![0; n], vec![0; n], vec![0; n], vec![0; n]);
                let x = backward(&problem, &mut walked, &right, a + 5, &mut l1, &mut e1);
                let y = backward(&problem, &mut jumped, &right, a + 5, &mut l2, &mut e2);
                proptest::prop_assert_eq!((x, &l1, &e1), (y, &l2, &e2));
            }
        }
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
