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
            let mut plain: Vec<i32> = (0..tree.ticks()).map(|i| initial.get(i).copied().unwrap_or(*initial.last().unwrap())).collect();
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
}
