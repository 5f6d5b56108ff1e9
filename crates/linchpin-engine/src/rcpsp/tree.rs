//! A segment tree over ticks holding each tick's free units: adding to a
//! range of ticks and the searches the schedule generators make (the first
//! or last tick of a range with at least some units free) each cost
//! O(log ticks), however long the work or busy the team.
//!
//! Each node keeps the least and the most of its range, its own pending
//! addition included (`min[n] = own(n) + min(min[2n], min[2n+1])`), and a
//! search carries the additions of the nodes above it down, so searches
//! only read and an addition writes only the nodes its range touches.

#[derive(Clone, Debug)]
pub struct Tree {
    /// Leaves, a power of two.
    size: usize,
    min: Vec<i32>,
    max: Vec<i32>,
}

impl Tree {
    /// A tree over `values`, padded to a power of two by repeating the last.
    pub fn new(values: &[i32]) -> Self {
        let size = values.len().max(1).next_power_of_two();
        let mut tree = Tree { size, min: vec![0; 2 * size], max: vec![0; 2 * size] };
        let last = values.last().copied().unwrap_or(0);
        for i in 0..size {
            let v = values.get(i).copied().unwrap_or(last);
            tree.min[size + i] = v;
            tree.max[size + i] = v;
        }
        for n in (1..size).rev() {
            tree.min[n] = tree.min[2 * n].min(tree.min[2 * n + 1]);
            tree.max[n] = tree.max[2 * n].max(tree.max[2 * n + 1]);
        }
        tree
    }

    /// Ticks covered.
    #[cfg(test)]
    pub fn ticks(&self) -> usize {
        self.size
    }

    /// A node's own pending addition (its leaves hold their values).
    #[inline]
    fn own(&self, n: usize) -> i32 {
        if n >= self.size { 0 } else { self.min[n] - self.min[2 * n].min(self.min[2 * n + 1]) }
    }

    /// Adds `v` to every tick in `[l, r)`.
    pub fn add(&mut self, l: usize, r: usize, v: i32) {
        if l < r.min(self.size) {
            self.add_in(1, 0, self.size, l, r.min(self.size), v);
        }
    }

    fn add_in(&mut self, n: usize, lo: usize, hi: usize, l: usize, r: usize, v: i32) {
        if l <= lo && hi <= r {
            self.min[n] += v;
            self.max[n] += v;
            return;
        }
        let own = self.own(n);
        let mid = (lo + hi) / 2;
        if l < mid {
            self.add_in(2 * n, lo, mid, l, r, v);
        }
        if r > mid {
            self.add_in(2 * n + 1, mid, hi, l, r, v);
        }
        self.min[n] = own + self.min[2 * n].min(self.min[2 * n + 1]);
        self.max[n] = own + self.max[2 * n].max(self.max[2 * n + 1]);
    }

    /// The value at tick `i`.
    #[cfg(test)]
    pub fn get(&self, i: usize) -> i32 {
        let (mut n, mut lo, mut hi, mut acc) = (1, 0, self.size, 0);
        while n < self.size {
            acc += self.own(n);
            let mid = (lo + hi) / 2;
            if i < mid {
                n *= 2;
                hi = mid;
            } else {
                n = 2 * n + 1;
                lo = mid;
            }
        }
        acc + self.min[n]
    }

    /// Every tick's value.
    #[cfg(test)]
    pub fn values(&self) -> Vec<i32> {
        let mut out = vec![0; self.size];
        self.collect(1, 0, &mut out, 0, self.size);
        out
    }

    #[cfg(test)]
    fn collect(&self, n: usize, acc: i32, out: &mut [i32], lo: usize, hi: usize) {
        if n >= self.size {
            out[lo] = acc + self.min[n];
            return;
        }
        let acc = acc + self.own(n);
        let mid = (lo + hi) / 2;
        self.collect(2 * n, acc, out, lo, mid);
        self.collect(2 * n + 1, acc, out, mid, hi);
    }

    /// The first tick in `[l, r)` whose value is at least `k`.
    pub fn first_at_least(&self, l: usize, r: usize, k: i32) -> Option<usize> {
        self.find(1, 0, self.size, l, r.min(self.size), 0, &|_, max| max >= k, true)
    }

    /// The last tick in `[l, r)` whose value is at least `k`.
    pub fn last_at_least(&self, l: usize, r: usize, k: i32) -> Option<usize> {
        self.find(1, 0, self.size, l, r.min(self.size), 0, &|_, max| max >= k, false)
    }

    /// The first (or last) tick of `[l, r)` inside node `n` (covering
    /// `[lo, hi)`, with `acc` added above it) where `hit(min, max)` holds for
    /// the tick alone; `hit` must hold for a range whenever it holds for a
    /// tick in it.
    #[allow(clippy::too_many_arguments)]
    fn find(
        &self,
        n: usize,
        lo: usize,
        hi: usize,
        l: usize,
        r: usize,
        acc: i32,
        hit: &impl Fn(i32, i32) -> bool,
        first: bool,
    ) -> Option<usize> {
        if r <= lo || hi <= l || !hit(acc + self.min[n], acc + self.max[n]) {
            return None;
        }
        if n >= self.size {
            return Some(lo);
        }
        let acc = acc + self.own(n);
        let mid = (lo + hi) / 2;
        let (a, b) = ((2 * n, lo, mid), (2 * n + 1, mid, hi));
        let (near, far) = if first { (a, b) } else { (b, a) };
        self.find(near.0, near.1, near.2, l, r, acc, hit, first)
            .or_else(|| self.find(far.0, far.1, far.2, l, r, acc, hit, first))
    }

    /// Puts ticks `[0, dirty)` back to `values` (one per tick from 0, at
    /// least `dirty` of them), as if the tree were new: only the nodes over
    /// those ticks changed since, so only they are rebuilt.
    pub fn reset_prefix(&mut self, dirty: usize, values: &[i32]) {
        let dirty = dirty.min(self.size);
        if dirty == 0 {
            return;
        }
        let leaves = self.size..self.size + dirty;
        self.min[leaves.clone()].copy_from_slice(&values[..dirty]);
        self.max[leaves].copy_from_slice(&values[..dirty]);
        // Each level's nodes over [0, dirty) are a prefix of the level.
        let (mut first, mut count, mut width) = (self.size, dirty, 1);
        while first > 1 {
            first /= 2;
            width *= 2;
            count = dirty.div_ceil(width);
            for n in first..first + count {
                self.min[n] = self.min[2 * n].min(self.min[2 * n + 1]);
                self.max[n] = self.max[2 * n].max(self.max[2 * n + 1]);
            }
        }
        debug_assert_eq!(count, 1);
    }
}

/// Over ticks, whether each is free at one level of units: for each node
/// the free run at its start, at its end and the longest anywhere in it, so
/// the first (or last) run long enough for an activity is one search away,
/// however many shorter gaps a busy team's time has.
#[derive(Clone, Debug)]
pub struct Runs {
    /// Leaves, a power of two.
    size: usize,
    prefix: Vec<u32>,
    suffix: Vec<u32>,
    best: Vec<u32>,
    /// A whole node set at once, not yet passed to its children.
    pending: Vec<Mark>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mark {
    None,
    Free,
    Busy,
}

impl Runs {
    /// Runs over `free` (one flag per tick), padded to a power of two with
    /// free ticks (beyond the rows, capacity is as at their end; an
    /// activity placed there is checked against the grown rows).
    pub fn new(free: &[bool]) -> Self {
        let size = free.len().max(1).next_power_of_two();
        let mut runs = Runs {
            size,
            prefix: vec![0; 2 * size],
            suffix: vec![0; 2 * size],
            best: vec![0; 2 * size],
            pending: vec![Mark::None; 2 * size],
        };
        for i in 0..size {
            runs.leaf(i, free.get(i).copied().unwrap_or(true));
        }
        for n in (1..size).rev() {
            runs.pull(n, size / (1 << (usize::BITS - 1 - n.leading_zeros())));
        }
        runs
    }

    fn leaf(&mut self, i: usize, free: bool) {
        let n = self.size + i;
        let v = free as u32;
        (self.prefix[n], self.suffix[n], self.best[n]) = (v, v, v);
    }

    /// Recomputes node `n`, `len` ticks long, from its children.
    fn pull(&mut self, n: usize, len: usize) {
        let half = (len / 2) as u32;
        let (l, r) = (2 * n, 2 * n + 1);
        self.prefix[n] = if self.prefix[l] == half { half + self.prefix[r] } else { self.prefix[l] };
        self.suffix[n] = if self.suffix[r] == half { half + self.suffix[l] } else { self.suffix[r] };
        self.best[n] = self.best[l].max(self.best[r]).max(self.suffix[l] + self.prefix[r]);
    }

    fn mark(&mut self, n: usize, len: usize, mark: Mark) {
        let v = if mark == Mark::Free { len as u32 } else { 0 };
        (self.prefix[n], self.suffix[n], self.best[n]) = (v, v, v);
        if n < self.size {
            self.pending[n] = mark;
        }
    }

    /// Sets every tick of `[l, r)` free or busy.
    pub fn set(&mut self, l: usize, r: usize, free: bool) {
        let r = r.min(self.size);
        if l < r {
            let mark = if free { Mark::Free } else { Mark::Busy };
            self.set_in(1, 0, self.size, l, r, mark);
        }
    }

    fn set_in(&mut self, n: usize, lo: usize, hi: usize, l: usize, r: usize, mark: Mark) {
        if l <= lo && hi <= r {
            self.mark(n, hi - lo, mark);
            return;
        }
        let mid = (lo + hi) / 2;
        if self.pending[n] != Mark::None {
            let pending = std::mem::replace(&mut self.pending[n], Mark::None);
            self.mark(2 * n, mid - lo, pending);
            self.mark(2 * n + 1, hi - mid, pending);
        }
        if l < mid {
            self.set_in(2 * n, lo, mid, l, r, mark);
        }
        if r > mid {
            self.set_in(2 * n + 1, mid, hi, l, r, mark);
        }
        self.pull(n, hi - lo);
    }

    /// A node's runs, or those of a whole node set by an ancestor.
    fn stats(&self, n: usize, len: usize, above: Mark) -> (u32, u32, u32) {
        match above {
            Mark::None => (self.prefix[n], self.suffix[n], self.best[n]),
            Mark::Free => (len as u32, len as u32, len as u32),
            Mark::Busy => (0, 0, 0),
        }
    }

    /// The first tick `p ≥ x` with every tick of `[p, p + d)` free (`d ≥ 1`).
    pub fn first_run(&self, x: usize, d: u32) -> Option<usize> {
        let mut run = 0;
        self.first_in(1, 0, self.size, x, d.max(1), Mark::None, &mut run)
    }

    /// `run`: free ticks from `x` on just before `lo`.
    #[allow(clippy::too_many_arguments)]
    fn first_in(&self, n: usize, lo: usize, hi: usize, x: usize, d: u32, above: Mark, run: &mut u32) -> Option<usize> {
        if hi <= x {
            return None;
        }
        let len = hi - lo;
        let (pre, suf, best) = self.stats(n, len, above);
        if lo >= x {
            if *run + pre >= d {
                return Some(lo - *run as usize);
            }
            if best < d {
                *run = if pre as usize == len { *run + pre } else { suf };
                return None;
            }
        }
        // Part of it lies before `x`, or a long enough run lies inside.
        let above = if above == Mark::None && n < self.size { self.pending[n] } else { above };
        let mid = (lo + hi) / 2;
        self.first_in(2 * n, lo, mid, x, d, above, run).or_else(|| self.first_in(2 * n + 1, mid, hi, x, d, above, run))
    }

    /// The last tick `q ≤ y` with every tick of `[q - d, q)` free (`d ≥ 1`).
    pub fn last_run(&self, y: usize, d: u32) -> Option<usize> {
        let mut run = 0;
        self.last_in(1, 0, self.size, y.min(self.size), d.max(1), Mark::None, &mut run)
    }

    /// `run`: free ticks before `y` just after `hi`.
    #[allow(clippy::too_many_arguments)]
    fn last_in(&self, n: usize, lo: usize, hi: usize, y: usize, d: u32, above: Mark, run: &mut u32) -> Option<usize> {
        if lo >= y {
            return None;
        }
        let len = hi - lo;
        let (pre, suf, best) = self.stats(n, len, above);
        if hi <= y {
            if *run + suf >= d {
                return Some(hi + *run as usize);
            }
            if best < d {
                *run = if suf as usize == len { *run + suf } else { pre };
                return None;
            }
        }
        let above = if above == Mark::None && n < self.size { self.pending[n] } else { above };
        let mid = (lo + hi) / 2;
        self.last_in(2 * n + 1, mid, hi, y, d, above, run).or_else(|| self.last_in(2 * n, lo, mid, y, d, above, run))
    }

    /// Where the free stretch that runs to the last tick begins (the
    /// length when the last tick is busy).
    pub fn trailing_start(&self) -> usize {
        self.size - self.suffix[1] as usize
    }

    /// Puts ticks `[0, dirty)` back to `free`, as if new: only the nodes
    /// over those ticks changed since.
    pub fn reset_prefix(&mut self, dirty: usize, free: &[bool]) {
        let dirty = dirty.min(self.size);
        if dirty == 0 {
            return;
        }
        for (i, &f) in free[..dirty].iter().enumerate() {
            self.leaf(i, f);
        }
        let (mut first, mut width) = (self.size, 1);
        while first > 1 {
            first /= 2;
            width *= 2;
            for n in first..first + dirty.div_ceil(width) {
                self.pending[n] = Mark::None;
                self.pull(n, width);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[derive(Clone, Debug)]
    enum Op {
        Add(usize, usize, i32),
        Reset(usize),
    }

    fn op(len: usize) -> impl Strategy<Value = Op> {
        prop_oneof![
            4 => (0..len, 0..len + 2, -3i32..2).prop_map(|(a, b, v)| Op::Add(a.min(b), a.max(b), v)),
            1 => (0..len + 1).prop_map(Op::Reset),
        ]
    }

    proptest! {
        #[test]
        fn searches_match_a_scan_of_every_tick(
            (initial, ops, queries) in (1usize..40).prop_flat_map(|len| (
                prop::collection::vec(-2i32..5, len),
                prop::collection::vec(op(len), 0..30),
                prop::collection::vec((0..len + 1, 0..len + 2, -2i32..5), 1..20),
            ))
        ) {
            let mut tree = Tree::new(&initial);
            let mut plain: Vec<i32> = (0..tree.ticks()).map(|i| initial.get(i).copied().unwrap_or(initial[initial.len() - 1])).collect();
            let fresh = plain.clone();
            let mut dirty = 0;
            for op in &ops {
                match *op {
                    Op::Add(l, r, v) => {
                        tree.add(l, r, v);
                        for x in &mut plain[l.min(tree.ticks())..r.min(tree.ticks())] {
                            *x += v;
                        }
                        dirty = dirty.max(r);
                    }
                    Op::Reset(upto) => {
                        // Only ticks up to the furthest addition changed.
                        let upto = upto.max(dirty);
                        tree.reset_prefix(upto, &fresh);
                        plain.clone_from(&fresh);
                        dirty = 0;
                    }
                }
            }
            prop_assert_eq!(tree.values(), plain.clone());
            for &(l, r, k) in &queries {
                let range = l.min(plain.len())..r.min(plain.len());
                let ticks: Vec<usize> = range.collect();
                prop_assert_eq!(tree.first_at_least(l, r, k), ticks.iter().copied().find(|&i| plain[i] >= k));
                prop_assert_eq!(tree.last_at_least(l, r, k), ticks.iter().rev().copied().find(|&i| plain[i] >= k));
                if l < plain.len() {
                    prop_assert_eq!(tree.get(l), plain[l]);
                }
            }
        }
    }

    proptest! {
        #[test]
        fn runs_find_the_first_and_last_long_enough_stretch(
            (initial, ops, queries) in (1usize..50).prop_flat_map(|len| (
                prop::collection::vec(prop::bool::weighted(0.7), len),
                prop::collection::vec((0..len, 0..len + 2, any::<bool>(), 0u8..8), 0..30),
                prop::collection::vec((0..len + 2, 1u32..8), 1..20),
            ))
        ) {
            let mut runs = Runs::new(&initial);
            let size = runs.size;
            let mut plain: Vec<bool> = (0..size).map(|i| initial.get(i).copied().unwrap_or(true)).collect();
            let fresh = plain.clone();
            let mut dirty = 0;
            for &(a, b, free, reset) in &ops {
                if reset == 0 {
                    runs.reset_prefix(dirty, &fresh);
                    plain.clone_from(&fresh);
                    dirty = 0;
                    continue;
                }
                let (l, r) = (a.min(b), a.max(b).min(size));
                runs.set(l, r, free);
                for f in &mut plain[l.min(r)..r] {
                    *f = free;
                }
                dirty = dirty.max(r);
            }
            let fits = |p: usize, d: u32| p + d as usize <= size && plain[p..p + d as usize].iter().all(|&f| f);
            for &(x, d) in &queries {
                prop_assert_eq!(runs.first_run(x, d), (x..size).find(|&p| fits(p, d)), "first from {} for {}", x, d);
                let y = x.min(size);
                let last = (d as usize..=y).rev().find(|&q| fits(q - d as usize, d));
                prop_assert_eq!(runs.last_run(x, d), last, "last to {} for {}", x, d);
            }
        }
    }
}
