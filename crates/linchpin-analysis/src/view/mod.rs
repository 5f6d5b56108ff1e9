//! The analyses' results as plain serialisable data, keys resolved to the
//! ids users write: what `--format json` prints, and what the report
//! renderer and the server will read, so they can never disagree.

pub mod check;
pub mod findings;
pub mod forecast;
pub mod schedule;

/// `x` rounded to `places` decimals.
pub(crate) fn round(x: f64, places: i32) -> f64 {
    let scale = 10f64.powi(places);
    (x * scale).round() / scale
}

pub(crate) fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// Three decimals, leaving infinities as they are.
pub(crate) fn round3(x: f64) -> f64 {
    if x.is_finite() { (x * 1000.0).round() / 1000.0 } else { x }
}
