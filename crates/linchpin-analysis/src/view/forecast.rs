//! A forecast as `linchpin forecast --format json` prints it.

use linchpin_engine::forecast::{Distribution, DriverKind, Forecast, ForecastOptions, TargetForecast};
use linchpin_model::Program;
use serde::Serialize;

use super::round;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DriverView {
    /// `item` or `risk`.
    pub kind: &'static str,
    pub id: String,
    pub correlation: f64,
}

/// The distribution of one target's finish: a milestone, or the end.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TargetView {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    pub target: Option<String>,
    pub probability_on_target: Option<f64>,
    pub p10: String,
    pub p50: String,
    pub p80: String,
    pub p95: String,
    pub p10_days: f64,
    pub p50_days: f64,
    pub p80_days: f64,
    pub p95_days: f64,
    pub mean_days: f64,
    pub drivers: Vec<DriverView>,
    /// `[date, share finished by then]`.
    pub s_curve: Vec<(String, f64)>,
    /// `[first working day of the bin, iterations]`.
    pub histogram: Vec<(f64, usize)>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CriticalityView {
    pub id: String,
    pub criticality: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ForecastView {
    pub program: String,
    pub iterations: usize,
    pub seed: u64,
    pub distribution: &'static str,
    pub capacity_aware: bool,
    pub end: TargetView,
    pub milestones: Vec<TargetView>,
    /// Each item with a deadline: when it finishes and its chance of the
    /// deadline (no drivers: those are the end's and the milestones').
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub deadlines: Vec<TargetView>,
    /// Each group with work: when it finishes, and its chance of its
    /// deadline if it has one.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<TargetView>,
    /// Criticality against the program's end, per item.
    pub items: Vec<CriticalityView>,
}

impl ForecastView {
    pub fn new(program: &Program, forecast: &Forecast, options: &ForecastOptions) -> Self {
        ForecastView {
            program: program.name().to_owned(),
            iterations: forecast.iterations,
            seed: options.seed,
            distribution: distribution_name(options.distribution),
            capacity_aware: options.capacity,
            end: TargetView::new(program, forecast.end()),
            milestones: forecast.milestones().iter().map(|t| TargetView::new(program, t)).collect(),
            deadlines: forecast.deadlines().iter().map(|t| TargetView::new(program, t)).collect(),
            groups: forecast.groups().iter().map(|t| TargetView::new(program, t)).collect(),
            items: program
                .items()
                .iter()
                .enumerate()
                .map(|(i, item)| CriticalityView {
                    id: item.key.clone(),
                    criticality: round(forecast.end().criticality[i], 4),
                })
                .collect(),
        }
    }
}

/// The name a distribution goes by in options and output.
pub fn distribution_name(distribution: Distribution) -> &'static str {
    match distribution {
        Distribution::Pert => "pert",
        Distribution::Triangular => "triangular",
    }
}

impl TargetView {
    pub fn new(program: &Program, t: &TargetForecast) -> Self {
        let milestone = t.milestone.map(|m| program.milestone(m));
        let item = t.item.map(|i| program.item(i));
        let group = t.group.map(|g| program.group(g));
        let (id, title) = match (milestone, item, group) {
            (Some(m), _, _) => (Some(m.key.clone()), Some(m.title.clone())),
            (_, Some(i), _) => (Some(i.key.clone()), Some(i.title.clone())),
            (_, _, Some(g)) => (Some(g.key.clone()), Some(g.title.clone())),
            _ => (None, None),
        };
        TargetView {
            id,
            title,
            target: t.target.map(|d| d.to_string()),
            probability_on_target: t.probability_on_target.map(|p| round(p, 4)),
            p10: t.p10_date.to_string(),
            p50: t.p50_date.to_string(),
            p80: t.p80_date.to_string(),
            p95: t.p95_date.to_string(),
            p10_days: round(t.p10, 2),
            p50_days: round(t.p50, 2),
            p80_days: round(t.p80, 2),
            p95_days: round(t.p95, 2),
            mean_days: round(t.mean, 2),
            drivers: t
                .drivers
                .iter()
                .map(|d| match d.kind {
                    DriverKind::Item(i) => DriverView {
                        kind: "item",
                        id: program.item(i).key.clone(),
                        correlation: round(d.correlation, 3),
                    },
                    DriverKind::Risk(r) => DriverView {
                        kind: "risk",
                        id: program.risk(r).key.clone(),
                        correlation: round(d.correlation, 3),
                    },
                })
                .collect(),
            s_curve: t.s_curve.iter().map(|(d, p)| (d.to_string(), round(*p, 4))).collect(),
            histogram: t.histogram.iter().map(|(x, c)| (round(*x, 2), *c)).collect(),
        }
    }
}
