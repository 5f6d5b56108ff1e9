//! Drawing durations for many iterations at once: a generator running in
//! every lane, and the triangular and PERT-Beta inverse CDFs.

use linchpin_model::Estimate;
use rand_core::RngCore;

use super::Distribution;

/// Iterations propagated side by side in one pass (vectorised lanes).
pub(super) const LANES: usize = 16;
/// Times inside a block. Single precision halves the memory a pass streams
/// through (what limits large networks) and doubles the lanes per vector
/// instruction; a day is still resolved to a few seconds at ten thousand
/// days. Sums are kept in double precision.
pub(super) type Time = f32;
/// One value per lane.
pub(super) type Lanes = [Time; LANES];

/// 2⁻²⁴: a 24-bit integer times this is a uniform draw in [0, 1).
const UNIT_24: Time = 1.0 / (1u32 << 24) as Time;

/// The generator a block's scalar draws (risks firing, their delays) and
/// its lanes' seeds come from. A named algorithm, not `rand`'s `SmallRng`,
/// which `rand` may change between versions: a published P80 must not move
/// with a dependency upgrade. (It is the algorithm `SmallRng` was when the
/// forecasts were first pinned, so they did not move either.)
pub(super) type BlockRng = rand_xoshiro::Xoshiro256PlusPlus;

/// A uniform draw in [0, 1) with 53 bits: the top bits of one 64-bit output.
pub(super) fn unit_f64(rng: &mut BlockRng) -> f64 {
    (rng.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// xoshiro128+ running independently in every lane. It has no multiply, so
/// one step for all lanes is a handful of vector instructions even on
/// baseline x86-64; its top 24 bits, all a single-precision uniform uses,
/// are its strongest.
#[derive(Clone)]
pub(super) struct LaneRng {
    state: [[u32; LANES]; 4],
}

impl LaneRng {
    /// Seeds every lane from `seeder`, so the lanes follow from the block's seed.
    pub(super) fn new(seeder: &mut BlockRng) -> Self {
        let mut state = [[0u32; LANES]; 4];
        for word in &mut state {
            word.iter_mut().for_each(|x| *x = seeder.next_u32());
        }
        for lane in 0..LANES {
            // The one state xoshiro never leaves.
            if state.iter().all(|word| word[lane] == 0) {
                state[0][lane] = 1;
            }
        }
        LaneRng { state }
    }

    /// One uniform draw in [0, 1) per lane.
    #[inline(always)]
    pub(super) fn uniform(&mut self) -> Lanes {
        let [s0, s1, s2, s3] = &mut self.state;
        let mut u = [0.0; LANES];
        for l in 0..LANES {
            let result = s0[l].wrapping_add(s3[l]);
            let t = s1[l] << 9;
            s2[l] ^= s0[l];
            s3[l] ^= s1[l];
            s1[l] ^= s2[l];
            s0[l] ^= s3[l];
            s2[l] ^= t;
            s3[l] = s3[l].rotate_left(11);
            // Through i32: baseline x86-64 converts signed integers only.
            u[l] = (result >> 8) as i32 as Time * UNIT_24;
        }
        u
    }
}

/// How one estimate's draws are shaped; the constants are worked out once
/// per forecast, not once per draw.
#[derive(Clone, Copy, Debug)]
enum Shape {
    Fixed,
    Triangular {
        mode_share: Time,
        rising: Time,
        falling: Time,
    },
    /// Interpolated between two rows of the PERT table.
    Pert {
        row: u32,
        weight: Time,
    },
}

/// Draws durations from one three-point estimate.
#[derive(Clone, Copy, Debug)]
pub(super) struct Sampler {
    low: Time,
    /// The high end for triangular, the width for PERT, the value when fixed.
    high: Time,
    shape: Shape,
}

impl Sampler {
    /// A sampler for `estimate`; a PERT sampler marks the rows it reads in `table`.
    pub(super) fn new(estimate: &Estimate, distribution: Distribution, table: &mut PertTable) -> Self {
        let Estimate { optimistic: a, likely: m, pessimistic: b } = *estimate;
        if b - a <= 1e-9 || b.is_nan() || a.is_nan() || !(a..=b).contains(&m) {
            return Sampler { low: m as Time, high: m as Time, shape: Shape::Fixed };
        }
        match distribution {
            Distribution::Triangular => Sampler {
                low: a as Time,
                high: b as Time,
                shape: Shape::Triangular {
                    mode_share: ((m - a) / (b - a)) as Time,
                    rising: ((b - a) * (m - a)) as Time,
                    falling: ((b - a) * (b - m)) as Time,
                },
            },
            Distribution::Pert => {
                let (row, weight) = table.require((m - a) / (b - a));
                Sampler { low: a as Time, high: (b - a) as Time, shape: Shape::Pert { row, weight } }
            }
        }
    }

    /// The distribution's mean, near which sums of draws are kept.
    pub(super) fn mean(&self, table: &PertTable) -> Time {
        match self.shape {
            Shape::Fixed => self.high,
            Shape::Triangular { mode_share, .. } => {
                let mode = self.low + mode_share * (self.high - self.low);
                (self.low + mode + self.high) / 3.0
            }
            Shape::Pert { row, weight } => self.low + self.high * table.mean(row, weight),
        }
    }

    /// Whether draws differ at all.
    pub(super) fn varies(&self) -> bool {
        !matches!(self.shape, Shape::Fixed)
    }

    /// One draw per lane.
    #[inline(always)]
    pub(super) fn fill(&self, rng: &mut LaneRng, table: &PertTable) -> Lanes {
        match self.shape {
            Shape::Fixed => [self.high; LANES],
            Shape::Triangular { mode_share, rising, falling } => {
                let u = rng.uniform();
                // Select the branch of the inverse CDF before the one square
                // root, in plain loops over the lanes: no branch per lane,
                // and each loop compiles to a few vector instructions.
                let mut root = [0.0; LANES];
                for l in 0..LANES {
                    let rising = u[l] * rising;
                    let falling = (1.0 - u[l]) * falling;
                    root[l] = if u[l] < mode_share { rising } else { falling };
                }
                for r in &mut root {
                    *r = r.sqrt();
                }
                let mut out = [0.0; LANES];
                for l in 0..LANES {
                    let (rising, falling) = (self.low + root[l], self.high - root[l]);
                    out[l] = if u[l] < mode_share { rising } else { falling };
                }
                out
            }
            Shape::Pert { row, weight } => {
                let u = rng.uniform();
                let mut out = [0.0; LANES];
                for l in 0..LANES {
                    out[l] = self.low + self.high * table.quantile(row, weight, u[l]);
                }
                out
            }
        }
    }

    /// One draw, for the few scalar draws (risk delays).
    pub(super) fn sample(&self, rng: &mut BlockRng, table: &PertTable) -> f64 {
        let u = (rng.next_u32() >> 8) as Time * UNIT_24;
        (match self.shape {
            Shape::Fixed => self.high,
            Shape::Triangular { mode_share, rising, falling } => {
                if u < mode_share {
                    self.low + (u * rising).sqrt()
                } else {
                    self.high - ((1.0 - u) * falling).sqrt()
                }
            }
            Shape::Pert { row, weight } => self.low + self.high * table.quantile(row, weight, u),
        }) as f64
    }
}

/// Rows in the PERT table, one per step of the mode's share of the range.
const SHARES: usize = 128;
/// Points per row, one per step of the cumulative probability.
const POINTS: usize = 1024;
/// Cells the density is integrated over to build a row.
const CELLS: usize = 8192;

/// The PERT-Beta quantile function, tabulated. PERT's Beta has
/// α = 1 + 4s and β = 1 + 4(1 − s) for the mode's share s of the range: a
/// one-parameter family, so one table over s and the cumulative probability
/// serves every estimate, read by bilinear interpolation. A draw is then a
/// uniform and four loads, where a Beta variate by rejection costs a
/// hundred nanoseconds and cannot run in lanes. Rows are built only for the
/// shares a plan uses.
pub(super) struct PertTable {
    /// `SHARES + 1` rows of `POINTS + 1` quantiles; empty where unused.
    rows: Vec<Vec<Time>>,
    means: Vec<Time>,
}

impl PertTable {
    pub(super) fn new() -> Self {
        PertTable { rows: vec![Vec::new(); SHARES + 1], means: vec![0.0; SHARES + 1] }
    }

    /// Builds the rows a share falls between; returns the lower row and the
    /// weight of the upper one.
    fn require(&mut self, share: f64) -> (u32, Time) {
        let at = share.clamp(0.0, 1.0) * SHARES as f64;
        let row = (at.floor() as usize).min(SHARES - 1);
        for r in [row, row + 1] {
            if self.rows[r].is_empty() {
                (self.rows[r], self.means[r]) = beta_quantiles(r as f64 / SHARES as f64);
            }
        }
        (row as u32, (at - row as f64) as Time)
    }

    #[inline(always)]
    fn quantile(&self, row: u32, weight: Time, u: Time) -> Time {
        let at = u * POINTS as Time;
        let k = (at as usize).min(POINTS - 1);
        let frac = at - k as Time;
        let read = |r: &[Time]| r[k] + (r[k + 1] - r[k]) * frac;
        let low = read(&self.rows[row as usize]);
        let high = read(&self.rows[row as usize + 1]);
        low + (high - low) * weight
    }

    fn mean(&self, row: u32, weight: Time) -> Time {
        let (low, high) = (self.means[row as usize], self.means[row as usize + 1]);
        low + (high - low) * weight
    }
}

/// The quantiles of Beta(1 + 4s, 1 + 4(1 − s)) at `POINTS + 1` evenly spaced
/// probabilities, and its mean: the density integrated cell by cell (the
/// trapezoid rule), then inverted within each cell.
fn beta_quantiles(share: f64) -> (Vec<Time>, Time) {
    let (alpha, beta) = (1.0 + 4.0 * share, 1.0 + 4.0 * (1.0 - share));
    let density = |x: f64| x.powf(alpha - 1.0) * (1.0 - x).powf(beta - 1.0);
    let mut cdf = vec![0.0f64; CELLS + 1];
    let mut previous = density(0.0);
    for j in 1..=CELLS {
        let next = density(j as f64 / CELLS as f64);
        cdf[j] = cdf[j - 1] + (previous + next) / 2.0;
        previous = next;
    }
    let total = cdf[CELLS];
    let mut row = Vec::with_capacity(POINTS + 1);
    let mut cell = 0;
    for k in 0..=POINTS {
        let p = k as f64 / POINTS as f64 * total;
        while cell < CELLS - 1 && cdf[cell + 1] < p {
            cell += 1;
        }
        let (from, to) = (cdf[cell], cdf[cell + 1]);
        let within = if to > from { ((p - from) / (to - from)).clamp(0.0, 1.0) } else { 0.0 };
        row.push(((cell as f64 + within) / CELLS as f64) as Time);
    }
    // Where the density vanishes the sums flatten before the ends; the
    // quantile function still runs from 0 to 1.
    (row[0], row[POINTS]) = (0.0, 1.0);
    (row, (alpha / (alpha + beta)) as Time)
}

#[cfg(test)]
mod tests {
    use rand_core::SeedableRng;

    use super::*;

    #[test]
    fn the_lanes_draw_evenly_and_independently() {
        let mut rng = LaneRng::new(&mut BlockRng::seed_from_u64(1));
        let draws = 20_000;
        let mut sum = [0.0f64; LANES];
        let mut below_tenth = 0usize;
        let mut neighbours = 0.0f64;
        for _ in 0..draws {
            let u = rng.uniform();
            for l in 0..LANES {
                assert!((0.0..1.0).contains(&u[l]));
                sum[l] += u[l] as f64;
                below_tenth += (u[l] < 0.1) as usize;
            }
            neighbours += (u[0] as f64 - 0.5) * (u[1] as f64 - 0.5);
        }
        for s in sum {
            assert!((s / draws as f64 - 0.5).abs() < 0.01, "{s}");
        }
        let share = below_tenth as f64 / (draws * LANES) as f64;
        assert!((share - 0.1).abs() < 0.005, "{share}");
        // Lanes are not copies of each other: their covariance is ~0 (1/12 if equal).
        assert!((neighbours / draws as f64).abs() < 0.005);
    }

    #[test]
    fn pert_rows_match_closed_forms_at_the_extremes() {
        // s = 0: Beta(1, 5), Q(p) = 1 − (1 − p)^(1/5). s = 1: Beta(5, 1), Q(p) = p^(1/5).
        let (low, mean_low) = beta_quantiles(0.0);
        let (high, mean_high) = beta_quantiles(1.0);
        assert!((mean_low - 1.0 / 6.0).abs() < 1e-6 && (mean_high - 5.0 / 6.0).abs() < 1e-6);
        for k in [1, 100, 512, 900, 1023] {
            let p = k as f64 / POINTS as f64;
            assert!((low[k] as f64 - (1.0 - (1.0 - p).powf(0.2))).abs() < 2e-4, "{k}");
            assert!((high[k] as f64 - p.powf(0.2)).abs() < 2e-4, "{k}");
        }
        assert_eq!((low[0], low[POINTS]), (0.0, 1.0));
    }

    /// Beta(α, β)'s quantile function by Simpson's rule on a fine grid.
    fn exact_quantiles(alpha: f64, beta: f64) -> impl Fn(f64) -> f64 {
        let steps = 20_000;
        let h = 1.0 / steps as f64;
        let density = |x: f64| x.powf(alpha - 1.0) * (1.0 - x).powf(beta - 1.0);
        let mut cdf = vec![0.0; steps + 1];
        for i in 0..steps {
            let (a, b) = (i as f64 * h, (i + 1) as f64 * h);
            cdf[i + 1] = cdf[i] + (density(a) + 4.0 * density((a + b) / 2.0) + density(b)) * h / 6.0;
        }
        move |p| {
            let target = p * cdf[steps];
            let i = cdf.partition_point(|&c| c < target).clamp(1, steps);
            let (from, to) = (cdf[i - 1], cdf[i]);
            ((i - 1) as f64 + (target - from) / (to - from)) * h
        }
    }

    #[test]
    fn pert_draws_follow_the_exact_beta_between_table_rows() {
        let mut table = PertTable::new();
        for share in [0.0, 0.05, 0.3, 0.5, 0.77, 0.97, 1.0] {
            let (row, weight) = table.require(share);
            let exact = exact_quantiles(1.0 + 4.0 * share, 1.0 + 4.0 * (1.0 - share));
            // Off by at most this share of the range: inside the 1st to
            // 99th percentiles, and out to the outermost 0.1 %.
            let (mut body, mut tails): (f64, f64) = (0.0, 0.0);
            for k in 1..1000 {
                let p = k as f64 / 1000.0;
                let off = (table.quantile(row, weight, p as Time) as f64 - exact(p)).abs();
                if (10..=990).contains(&k) { body = body.max(off) } else { tails = tails.max(off) }
            }
            assert!(body < 1e-4 && tails < 4e-4, "share {share}: off by {body} (body), {tails} (tails)");
        }
    }

    #[test]
    fn a_fixed_estimate_draws_its_value() {
        let mut table = PertTable::new();
        let sampler = Sampler::new(&Estimate::exact(4.0), Distribution::Pert, &mut table);
        let mut rng = LaneRng::new(&mut BlockRng::seed_from_u64(2));
        assert_eq!(sampler.fill(&mut rng, &table), [4.0; LANES]);
        assert_eq!(sampler.mean(&table), 4.0);
    }
}
