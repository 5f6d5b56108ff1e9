//! A lower bound on any schedule's makespan: the longer of the critical
//! path and, for each resource, the head-body-tail bound of its work (the
//! work that cannot start before some tick, done at the resource's most
//! units with no gap, then the least time that must still follow it).
//!
//! The critical path alone says nothing about a busy team whose work comes
//! late: on a generated network of 1,000 items the critical path is 360
//! days, but one team has 603 person-days of work that cannot start before
//! day 169 and three people, so nothing can end before day 371.

use linchpin_model::LinkKind;

use super::Problem;

/// The bound, and what sets it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Bound {
    pub ticks: u32,
    /// The resource whose work sets it, when it is longer than the
    /// critical path.
    pub resource: Option<u32>,
}

/// Every schedule of `problem` ends at or after this (days off and lower
/// capacity at times only push it later).
pub fn lower_bound(problem: &Problem) -> Bound {
    let n = problem.len();
    let (heads, critical_path) = heads(problem);
    let tails = tails(problem);
    let mut bound = Bound { ticks: critical_path, resource: None };
    // Per resource, its open activities as (head, tail, work in unit-ticks).
    let mut work: Vec<Vec<(u32, u32, u64)>> = vec![Vec::new(); problem.capacity.len()];
    for j in (0..n).filter(|&j| problem.fixed[j].is_none() && problem.duration[j] > 0) {
        for &(r, units) in problem.demands(j) {
            work[r as usize].push((heads[j], tails[j], problem.duration[j] as u64 * units as u64));
        }
    }
    for (r, mut activities) in work.into_iter().enumerate() {
        let capacity = &problem.capacity[r];
        let most = capacity.changes.iter().map(|c| c.1).chain([capacity.base]).max().unwrap_or(0) as u64;
        if most == 0 || activities.is_empty() {
            continue;
        }
        // All work from the latest heads back: what starts at or after a
        // head needs its work's time after it, and then the least tail.
        let mut best = 0u64;
        for by_tail in [false, true] {
            if by_tail {
                activities.sort_unstable_by_key(|&(_, tail, _)| std::cmp::Reverse(tail));
            } else {
                activities.sort_unstable_by_key(|&(head, _, _)| std::cmp::Reverse(head));
            }
            let (mut energy, mut least_head, mut least_tail) = (0u64, u32::MAX, u32::MAX);
            for &(head, tail, e) in &activities {
                energy += e;
                least_head = least_head.min(head);
                least_tail = least_tail.min(tail);
                best = best.max(least_head as u64 + energy.div_ceil(most) + least_tail as u64);
            }
        }
        let ticks = best.min(u32::MAX as u64) as u32;
        if ticks > bound.ticks {
            bound = Bound { ticks, resource: Some(r as u32) };
        }
    }
    bound
}

/// Each activity's earliest start by its links alone, and the critical
/// path's length.
fn heads(problem: &Problem) -> (Vec<u32>, u32) {
    let n = problem.len();
    let (mut start, mut finish) = (vec![0u32; n], vec![0u32; n]);
    let mut end = 0;
    for j in 0..n {
        let (s, f) = match problem.fixed[j] {
            Some(fixed) => (fixed.start, fixed.finish),
            None => problem.place_from(j, problem.earliest_start(j, &start, &finish)),
        };
        (start[j], finish[j]) = (s, f);
        end = end.max(f);
    }
    (start, end)
}

/// Each activity's tail: the least ticks that must pass between its finish
/// and the end, through its successors (working time only, so a lag in
/// calendar days counts for nothing).
fn tails(problem: &Problem) -> Vec<u32> {
    let n = problem.len();
    let mut tail = vec![0i64; n];
    for j in (0..n).rev() {
        let mut t = 0i64;
        for link in problem.successors(j) {
            let s = link.other as usize;
            // Work under way or done does not wait on its links any more.
            if problem.fixed[s].is_some() {
                continue;
            }
            let lag = if link.elapsed { (link.lag as i64).min(0) } else { link.lag as i64 };
            let after = match link.kind {
                LinkKind::FinishToStart => lag + problem.duration[s] as i64 + tail[s],
                // The successor's start follows this one's, which is its
                // duration before its finish when no day off stretches it.
                LinkKind::StartToStart if problem.activity_holidays(j).is_empty() => {
                    lag - problem.duration[j] as i64 + problem.duration[s] as i64 + tail[s]
                }
                LinkKind::StartToStart => continue,
                // A successor whose calendar has days off may finish before
                // the lag is up when the days between are off (it is done
                // just as soon), so only one without days off is held to it.
                LinkKind::FinishToFinish if problem.activity_holidays(s).is_empty() => lag + tail[s],
                LinkKind::FinishToFinish => continue,
            };
            t = t.max(after);
        }
        tail[j] = t;
    }
    tail.into_iter().map(|t| t.clamp(0, u32::MAX as i64) as u32).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rcpsp::{ActivitySpec, Capacity, Link};

    fn activity(duration: u32, preds: Vec<u32>, release: u32) -> ActivitySpec {
        let preds = preds.into_iter().map(|other| Link { other, ..Link::default() }).collect();
        ActivitySpec { duration, demands: vec![(0, 1)], preds, release, ..Default::default() }
    }

    #[test]
    fn a_busy_team_bounds_the_end_beyond_the_critical_path() {
        // Four items of five days for two people: ten days at least, though
        // no chain is longer than five.
        let four = (0..4).map(|_| activity(5, vec![], 0)).collect();
        let problem = Problem::new(four, vec![Capacity::constant(2)], vec![], 1).expect("valid");
        assert_eq!(problem.critical_path_length(), 5);
        assert_eq!(lower_bound(&problem), Bound { ticks: 10, resource: Some(0) });
    }

    #[test]
    fn a_finish_to_finish_lag_over_days_off_bounds_nothing() {
        // B finishes two days after A, or as good as: with day 4 off it is
        // done at the end of day 3. The end is day 4, and the bound no later.
        let mut a = activity(2, vec![], 1);
        a.demands = vec![(0, 2)];
        let mut b = activity(1, vec![], 0);
        b.preds = vec![Link { other: 0, kind: LinkKind::FinishToFinish, lag: 2, elapsed: false }];
        b.calendar = 1;
        let capacity = vec![Capacity { base: 2, changes: vec![(3, 1)] }];
        let problem = Problem::new(vec![a, b], capacity, vec![Vec::new(), vec![4]], 1).expect("valid");
        let mut decoder = crate::rcpsp::sgs::Decoder::new(&problem);
        assert_eq!(decoder.decode(&problem, &[0, 1]), 4);
        assert!(lower_bound(&problem).ticks <= 4, "{:?}", lower_bound(&problem));
    }

    #[test]
    fn one_person_does_parallel_branches_one_after_another() {
        // Item 0 (ten days) before items 1 and 2 (four days each), before
        // item 3 (three days): a critical path of 17 days, but one person
        // does all 21 days of it, one after another.
        let items =
            vec![activity(10, vec![], 0), activity(4, vec![0], 0), activity(4, vec![0], 0), activity(3, vec![1, 2], 0)];
        let problem = Problem::new(items, vec![Capacity::constant(1)], vec![], 1).expect("valid");
        assert_eq!(problem.critical_path_length(), 17);
        assert_eq!(lower_bound(&problem), Bound { ticks: 21, resource: Some(0) });
    }
}
