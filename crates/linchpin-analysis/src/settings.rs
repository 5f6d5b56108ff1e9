//! How each analysis runs, resolved once from what the user said and the
//! defaults, with every value held to a documented bound. Front ends fill a
//! [`RawSettings`] in their own precedence (the CLI: command line, then the
//! environment); [`RawSettings::resolve`] adds the defaults that depend on
//! the program and checks the bounds, so a command, a report and a server
//! request with the same settings compute the same numbers.

use linchpin_engine::forecast::{Distribution, ForecastOptions};
use linchpin_engine::schedule::ScheduleOptions;

/// The most forecast iterations: a million keeps one finish per iteration
/// per target within tens of megabytes and a run within a minute.
pub const MAX_ITERATIONS: usize = 1_000_000;
/// The most schedules the capacity-aware search may generate.
pub const MAX_EFFORT: usize = 1_000_000;
/// The most worker threads a forecast may start.
pub const MAX_THREADS: usize = 256;
/// Forecast iterations when none are asked for (fewer for a capacity-aware
/// forecast of a large program: [`automatic_iterations`]).
pub const DEFAULT_ITERATIONS: usize = 10_000;
/// The fewest iterations a default forecast runs: the chance of a target
/// is then within about a percentage point (one standard error).
pub const LEAST_AUTOMATIC_ITERATIONS: usize = 2_000;

/// Forecast iterations when none are asked for: 10,000, and for a
/// capacity-aware forecast of a program over 2,000 items, where each
/// iteration schedules every item against its team, 20,000,000 / items (at
/// least 2,000), so the forecast of a large program stays in seconds.
pub fn automatic_iterations(items: usize, capacity: bool) -> usize {
    if capacity {
        (20_000_000 / items.max(1)).clamp(LEAST_AUTOMATIC_ITERATIONS, DEFAULT_ITERATIONS)
    } else {
        DEFAULT_ITERATIONS
    }
}

/// Settings as given, each optional.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct RawSettings {
    /// Respect team capacity in the schedule (default: yes).
    pub capacity: Option<bool>,
    /// Respect team capacity in every forecast iteration (default: as the
    /// schedule does).
    pub forecast_capacity: Option<bool>,
    pub effort: Option<usize>,
    /// Measure every item's slack, whatever it costs (default: no).
    pub exact_slack: Option<bool>,
    pub seed: Option<u64>,
    pub iterations: Option<usize>,
    pub threads: Option<usize>,
    pub distribution: Option<Distribution>,
    /// Run the forecast where an analysis can do without (findings).
    pub forecast: Option<bool>,
}

impl RawSettings {
    /// Every setting of `self`, and where `self` has none, of `fallback`.
    pub fn or(self, fallback: RawSettings) -> RawSettings {
        RawSettings {
            capacity: self.capacity.or(fallback.capacity),
            forecast_capacity: self.forecast_capacity.or(fallback.forecast_capacity),
            effort: self.effort.or(fallback.effort),
            exact_slack: self.exact_slack.or(fallback.exact_slack),
            seed: self.seed.or(fallback.seed),
            iterations: self.iterations.or(fallback.iterations),
            threads: self.threads.or(fallback.threads),
            distribution: self.distribution.or(fallback.distribution),
            forecast: self.forecast.or(fallback.forecast),
        }
    }

    /// The settings for a program of `items` work items, every bound checked.
    pub fn resolve(self, items: usize) -> Result<Settings, SettingsError> {
        let effort = match self.effort {
            Some(effort) => bounded("effort", effort, 1, MAX_EFFORT)?,
            None => ScheduleOptions::automatic_effort(items),
        };
        let capacity = self.capacity.unwrap_or(true);
        let forecast_capacity = self.forecast_capacity.unwrap_or(capacity);
        let iterations = match self.iterations {
            Some(iterations) => bounded("iterations", iterations, 1, MAX_ITERATIONS)?,
            None => automatic_iterations(items, forecast_capacity),
        };
        let threads = self.threads.map(|t| bounded("threads", t, 1, MAX_THREADS)).transpose()?;
        let seed = self.seed.unwrap_or(1);
        Ok(Settings {
            schedule: ScheduleOptions { capacity, effort, seed, exact_slack: self.exact_slack.unwrap_or(false) },
            forecast: ForecastOptions {
                iterations,
                seed,
                distribution: self.distribution.unwrap_or_default(),
                capacity: forecast_capacity,
            },
            forecast_wanted: self.forecast.unwrap_or(true),
            threads,
        })
    }
}

fn bounded(name: &'static str, value: usize, least: usize, most: usize) -> Result<usize, SettingsError> {
    if (least..=most).contains(&value) {
        Ok(value)
    } else {
        Err(SettingsError::OutOfRange { name, value, least, most })
    }
}

/// Settings checked and complete.
#[derive(Clone, Copy, Debug)]
pub struct Settings {
    pub schedule: ScheduleOptions,
    pub forecast: ForecastOptions,
    /// Whether analyses that can do without a forecast run one.
    pub forecast_wanted: bool,
    /// Worker threads for the forecast; `None`: one per core.
    pub threads: Option<usize>,
}

/// A setting outside its bound.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SettingsError {
    #[error("`{name}` must be from {} to {}, not {}", group(*.least), group(*.most), group(*.value))]
    OutOfRange { name: &'static str, value: usize, least: usize, most: usize },
}

fn group(n: usize) -> String {
    linchpin_model::diagnostic::grouped(n as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_depend_on_the_program_and_bounds_are_held() {
        let settings = RawSettings::default().resolve(100).expect("defaults are in bounds");
        assert_eq!(settings.schedule.effort, 1000);
        assert_eq!(RawSettings::default().resolve(1_000).expect("valid").schedule.effort, 100);
        assert!(settings.schedule.capacity && settings.forecast.capacity);
        assert_eq!(settings.forecast.iterations, 10_000);
        let large = RawSettings::default().resolve(100_000).expect("valid");
        assert_eq!((large.schedule.effort, large.forecast.iterations), (20, 2_000));
        assert_eq!(RawSettings::default().resolve(5_000).expect("valid").forecast.iterations, 4_000);
        // Without capacity, both analyses ignore it, and iterations are cheap.
        let logic = RawSettings { capacity: Some(false), ..RawSettings::default() }.resolve(100_000).expect("valid");
        assert!(!logic.forecast.capacity);
        assert_eq!(logic.forecast.iterations, 10_000);
        let zero = RawSettings { iterations: Some(0), ..RawSettings::default() }.resolve(1);
        assert_eq!(zero.expect_err("no iterations").to_string(), "`iterations` must be from 1 to 1,000,000, not 0");
        let huge = RawSettings { iterations: Some(10_000_000_000), ..RawSettings::default() }.resolve(1);
        assert!(huge.is_err());
        let threads = RawSettings { threads: Some(10_000), ..RawSettings::default() }.resolve(1);
        assert_eq!(threads.expect_err("too many").to_string(), "`threads` must be from 1 to 256, not 10,000");
    }

    #[test]
    fn the_first_source_with_a_value_wins() {
        let flags = RawSettings { seed: Some(7), ..RawSettings::default() };
        let environment = RawSettings { seed: Some(9), iterations: Some(500), ..RawSettings::default() };
        let settings = flags.or(environment).resolve(10).expect("valid");
        assert_eq!((settings.schedule.seed, settings.forecast.iterations), (7, 500));
    }
}
