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

/// Over ticks, whether each is free at one level of units, 64 ticks to a
/// word, and over the words a tree holding for each node the free run at
/// its start, at its end and the longest anywhere in it, so the first (or
/// last) run long enough for an activity is one search away, however many
/// shorter gaps a busy team's time has. Words keep the tree 64 times
/// smaller than one leaf per tick (a team's whole horizon stays in cache),
/// and a booking touches the few words it covers.
#[derive(Clone, Debug)]
pub struct Runs {
    /// Ticks covered: a power of two of words.
    size: usize,
    /// Bit `i` of word `w`: tick `64 w + i` is free.
    words: Vec<u64>,
    /// Node 1 is the root; the leaves, one per word, follow from index
    /// `words.len()`.
    nodes: Vec<Node>,
}

const WORD: usize = u64::BITS as usize;

/// The free runs of a node's ticks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Node {
    prefix: u32,
    suffix: u32,
    best: u32,
}

impl Node {
    fn of_word(w: u64) -> Node {
        Node { prefix: w.trailing_ones(), suffix: w.leading_ones(), best: longest_ones(w) }
    }

    /// The runs of two adjacent nodes of `half` ticks each, side by side.
    #[inline]
    fn join(l: Node, r: Node, half: u32) -> Node {
        Node {
            prefix: if l.prefix == half { half + r.prefix } else { l.prefix },
            suffix: if r.suffix == half { half + l.suffix } else { r.suffix },
            best: l.best.max(r.best).max(l.suffix + r.prefix),
        }
    }
}

/// The longest run of set bits, a run at a time.
fn longest_ones(mut w: u64) -> u32 {
    let mut best = 0;
    while w != 0 {
        let start = w.trailing_zeros();
        let run = (w >> start).trailing_ones();
        best = best.max(run);
        if start + run == u64::BITS {
            break;
        }
        w &= u64::MAX << (start + run);
    }
    best
}

/// The bits of the ticks in `values` (at most 64) whose value is in
/// `[low, high)`, the first tick at bit 0.
#[inline]
pub fn mask_in(values: &[i32], low: i32, high: i32) -> u64 {
    let inside = |v: i32| (low <= v && v < high) as u64;
    match <&[i32; WORD]>::try_from(values) {
        // A whole word: fixed shifts, which the compiler turns into vector code.
        Ok(word) => {
            // A byte per tick, then eight bytes of 0 or 1 to eight bits at a
            // time: the multiplication gathers byte `i` into bit `56 + i`.
            let bytes: [u8; WORD] = std::array::from_fn(|i| inside(word[i]) as u8);
            bytes.chunks_exact(8).enumerate().fold(0, |mask, (k, eight)| {
                let eight = u64::from_le_bytes(eight.try_into().unwrap_or_default());
                mask | (eight.wrapping_mul(0x0102_0408_1020_4080) >> 56) << (8 * k)
            })
        }
        Err(_) => values.iter().enumerate().fold(0, |mask, (i, &v)| mask | inside(v) << i),
    }
}

/// The set bits `[lo, hi)` of a word (`lo < hi ≤ 64`).
#[inline]
fn bits(lo: usize, hi: usize) -> u64 {
    let width = hi - lo;
    (if width == WORD { u64::MAX } else { (1u64 << width) - 1 }) << lo
}

/// In `m`, the first run of set bits that, with `run` set bits just below
/// bit 0, is at least `d` long: its start (counted back into `run`), or
/// `None` with `run` the set bits ending at the top.
#[inline]
fn first_in_word(mut m: u64, d: u32, run: &mut u32) -> Option<u32> {
    let mut at = 0;
    while m != 0 {
        let start = m.trailing_zeros();
        if start > at {
            *run = 0;
        }
        let len = (m >> start).trailing_ones();
        if *run + len >= d {
            return Some(start);
        }
        let end = start + len;
        if end == u64::BITS {
            *run += len;
            return None;
        }
        *run = 0;
        at = end;
        m &= u64::MAX << end;
    }
    *run = 0;
    None
}

impl Runs {
    /// Runs over `words` (bit `i` of word `w`: tick `64 w + i` is free),
    /// padded to a power of two of words with free ticks (beyond the rows,
    /// capacity is as at their end; an activity placed there is checked
    /// against the grown rows).
    pub fn new(words: &[u64]) -> Self {
        let count = words.len().max(1).next_power_of_two();
        let mut runs =
            Runs { size: count * WORD, words: vec![u64::MAX; count], nodes: vec![Node::default(); 2 * count] };
        runs.words[..words.len()].copy_from_slice(words);
        for w in 0..count {
            runs.nodes[count + w] = Node::of_word(runs.words[w]);
        }
        runs.pull_up(0, count - 1);
        runs
    }

    /// Recomputes the nodes above words `[first, last]`, whose leaves are set.
    fn pull_up(&mut self, first: usize, last: usize) {
        let count = self.words.len();
        let (mut a, mut b, mut half) = ((count + first) / 2, (count + last) / 2, WORD as u32);
        while a >= 1 {
            let mut changed = false;
            for n in a..=b {
                let node = Node::join(self.nodes[2 * n], self.nodes[2 * n + 1], half);
                changed |= node != self.nodes[n];
                self.nodes[n] = node;
            }
            // Nothing above changes either.
            if !changed {
                break;
            }
            (a, b, half) = (a / 2, b / 2, half * 2);
        }
    }

    /// Sets word `w` to `value`, leaving its ancestors to [`Runs::pull_up`].
    #[inline]
    fn set_word(&mut self, w: usize, value: u64) {
        self.words[w] = value;
        self.nodes[self.words.len() + w] = Node::of_word(value);
    }

    /// Sets every tick of `[l, r)` free or busy.
    #[cfg(test)]
    pub fn set(&mut self, l: usize, r: usize, free: bool) {
        let r = r.min(self.size);
        if l >= r {
            return;
        }
        let (first, last) = (l / WORD, (r - 1) / WORD);
        for w in first..=last {
            let base = w * WORD;
            let mask = bits(l.max(base) - base, r.min(base + WORD) - base);
            let value = if free { self.words[w] | mask } else { self.words[w] & !mask };
            self.set_word(w, value);
        }
        self.pull_up(first, last);
    }

    /// Marks busy every tick `t` of `[l, r)` whose `values[t]` is in
    /// `[low, high)`.
    pub fn take(&mut self, l: usize, r: usize, values: &[i32], low: i32, high: i32) {
        let r = r.min(self.size).min(values.len());
        if l >= r {
            return;
        }
        let (mut changed, mut first, mut last) = (false, usize::MAX, 0);
        for w in l / WORD..=(r - 1) / WORD {
            let base = w * WORD;
            let from = l.max(base);
            let (lo, hi) = (from - base, r.min(base + WORD) - base);
            // A whole word's values where the row has them: vector code.
            let mask = match values.get(base..base + WORD) {
                Some(word) => mask_in(word, low, high) & bits(lo, hi),
                None => mask_in(&values[from..base + hi], low, high) << lo,
            };
            if self.words[w] & mask != 0 {
                self.set_word(w, self.words[w] & !mask);
                (changed, first, last) = (true, first.min(w), w);
            }
        }
        if changed {
            self.pull_up(first, last);
        }
    }

    /// The first tick of node `n`, `len` ticks long.
    #[inline]
    fn start_of(&self, n: usize, len: usize) -> usize {
        (n - self.size / len) * len
    }

    /// The first tick `p ≥ x` with every tick of `[p, p + d)` free (`d ≥ 1`).
    ///
    /// From the word of `x` up the tree to the first node on the right that
    /// can hold the run, then down it: most searches end a few words past
    /// where they start, as work is placed near the team's frontier.
    pub fn first_run(&self, x: usize, d: u32) -> Option<usize> {
        let d = d.max(1);
        if x >= self.size {
            return None;
        }
        let count = self.words.len();
        // Free ticks from `x` on up to the end of the ticks searched so far.
        let mut run = 0;
        let w = x / WORD;
        if let Some(start) = first_in_word(self.words[w] & (u64::MAX << (x % WORD)), d, &mut run) {
            return Some(w * WORD + start as usize - run as usize);
        }
        let (mut n, mut len) = (count + w, WORD);
        loop {
            while n & 1 == 1 {
                (n, len) = (n / 2, len * 2);
            }
            if n <= 1 {
                return None;
            }
            let next = n + 1;
            let node = self.nodes[next];
            if run + node.prefix >= d {
                return Some(self.start_of(next, len) - run as usize);
            }
            if node.best >= d {
                return Some(self.first_below(next, len, d, run));
            }
            run = if node.prefix as usize == len { run + node.prefix } else { node.suffix };
            n = next;
        }
    }

    /// The first run of at least `d` ticks in node `n` (`len` ticks long,
    /// with `run` free ticks just before it), which holds one.
    fn first_below(&self, mut n: usize, mut len: usize, d: u32, mut run: u32) -> usize {
        let count = self.words.len();
        while n < count {
            let half = len / 2;
            let left = self.nodes[2 * n];
            if run + left.prefix >= d {
                return self.start_of(2 * n, half) - run as usize;
            }
            if left.best >= d {
                n *= 2;
            } else {
                run = if left.prefix as usize == half { run + left.prefix } else { left.suffix };
                n = 2 * n + 1;
            }
            len = half;
        }
        let start = first_in_word(self.words[n - count], d, &mut run).unwrap_or(0);
        self.start_of(n, WORD) + start as usize - run as usize
    }

    /// The last tick `q ≤ y` with every tick of `[q - d, q)` free (`d ≥ 1`):
    /// the mirror of [`Runs::first_run`].
    pub fn last_run(&self, y: usize, d: u32) -> Option<usize> {
        let (d, y) = (d.max(1), y.min(self.size));
        if y == 0 {
            return None;
        }
        let count = self.words.len();
        // Free ticks before `y` back to the start of the ticks searched so far.
        let mut run = 0;
        let w = (y - 1) / WORD;
        let word = self.words[w] & bits(0, y - w * WORD);
        if let Some(from_top) = first_in_word(word.reverse_bits(), d, &mut run) {
            return Some((w + 1) * WORD - from_top as usize + run as usize);
        }
        let (mut n, mut len) = (count + w, WORD);
        loop {
            while n & 1 == 0 && n > 1 {
                (n, len) = (n / 2, len * 2);
            }
            if n <= 1 {
                return None;
            }
            let before = n - 1;
            let node = self.nodes[before];
            if run + node.suffix >= d {
                return Some(self.start_of(before, len) + len + run as usize);
            }
            if node.best >= d {
                return Some(self.last_below(before, len, d, run));
            }
            run = if node.suffix as usize == len { run + node.suffix } else { node.prefix };
            n = before;
        }
    }

    /// The end of the last run of at least `d` ticks in node `n` (`len`
    /// ticks long, with `run` free ticks just after it), which holds one.
    fn last_below(&self, mut n: usize, mut len: usize, d: u32, mut run: u32) -> usize {
        let count = self.words.len();
        while n < count {
            let half = len / 2;
            let right = self.nodes[2 * n + 1];
            if run + right.suffix >= d {
                return self.start_of(2 * n + 1, half) + half + run as usize;
            }
            if right.best >= d {
                n = 2 * n + 1;
            } else {
                run = if right.suffix as usize == half { run + right.suffix } else { right.prefix };
                n *= 2;
            }
            len = half;
        }
        let from_top = first_in_word(self.words[n - count].reverse_bits(), d, &mut run).unwrap_or(0);
        self.start_of(n, WORD) + WORD - from_top as usize + run as usize
    }

    /// Where the free stretch that runs to the last tick begins (the
    /// length when the last tick is busy).
    pub fn trailing_start(&self) -> usize {
        self.size - self.nodes[1].suffix as usize
    }

    /// Puts ticks `[0, dirty)` back as `words` has them (at least that many
    /// ticks' words), as if new: only the nodes over those ticks changed
    /// since.
    pub fn reset_prefix(&mut self, dirty: usize, words: &[u64]) {
        let count = dirty.min(self.size).div_ceil(WORD).min(words.len());
        if count == 0 {
            return;
        }
        for (w, &value) in words[..count].iter().enumerate() {
            self.set_word(w, value);
        }
        self.pull_up(0, count - 1);
    }
}

/// Flags packed into words, bit `i` of word `w` for flag `64 w + i`, the
/// last word padded with free ticks.
#[cfg(test)]
fn pack(flags: &[bool]) -> Vec<u64> {
    flags
        .chunks(WORD)
        .map(|c| c.iter().enumerate().fold(u64::MAX, |w, (i, &f)| if f { w } else { w & !(1 << i) }))
        .collect()
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
            (initial, ops, queries) in (1usize..400).prop_flat_map(|len| (
                prop::collection::vec(prop::bool::weighted(0.9), len),
                prop::collection::vec((0..len, 0..len + 2, 0u8..3, 1usize..4, 0u8..8), 0..30),
                prop::collection::vec((0..len + 2, 1u32..150), 1..20),
            ))
        ) {
            let mut runs = Runs::new(&pack(&initial));
            let size = runs.size;
            let mut plain: Vec<bool> = (0..size).map(|i| initial.get(i).copied().unwrap_or(true)).collect();
            let fresh = plain.clone();
            let mut dirty = 0;
            for &(a, b, kind, every, reset) in &ops {
                if reset == 0 {
                    runs.reset_prefix(dirty, &pack(&fresh));
                    plain.clone_from(&fresh);
                    dirty = 0;
                    continue;
                }
                let (l, r) = (a.min(b), a.max(b).min(size));
                match kind {
                    // Taking the ticks a pattern picks, as a booking does.
                    2 => {
                        let values: Vec<i32> = (0..size).map(|t| (t % every) as i32).collect();
                        runs.take(l, r, &values, 0, 1);
                        for t in (l..r).filter(|t| t % every == 0) {
                            plain[t] = false;
                        }
                    }
                    _ => {
                        runs.set(l, r, kind == 0);
                        for f in &mut plain[l.min(r)..r] {
                            *f = kind == 0;
                        }
                    }
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
