//! The milestone trend: each program version's forecast P50 and P80 per
//! milestone, recorded once when a server first forecasts that version,
//! so the trend outlives a restart and is the same on every server that
//! shares the database. Safe to lose, like the result cache: a missing
//! version is a gap in the chart, not a wrong number.

use chrono::{DateTime, NaiveDate, Utc};

use crate::{Result, StoreError};

/// The most versions kept per program; the oldest go first. Far more than
/// a chart shows, so a trend can look back over months of weekly updates.
pub const KEPT_PER_PROGRAM: i64 = 200;
/// The most milestones one recorded version holds (a plan's own bound is
/// lower; this keeps a row's size bounded whatever calls the store).
pub const MAX_MILESTONES: usize = 10_000;
/// The longest milestone key kept.
pub const MAX_KEY: usize = 200;

/// One version's forecast of its milestones.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TrendPoint {
    pub version: i64,
    /// When the version was written.
    pub at: DateTime<Utc>,
    /// In the plan's order.
    pub milestones: Vec<MilestoneForecast>,
}

/// A milestone's P50 and P80 in one version.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MilestoneForecast {
    pub key: String,
    pub p50: NaiveDate,
    pub p80: NaiveDate,
}

const DATE: &str = "%Y-%m-%d";

/// The JSON kept for a point's milestones: `[[key, p50, p80], ...]`.
pub(crate) fn encode(milestones: &[MilestoneForecast]) -> Result<String> {
    if milestones.len() > MAX_MILESTONES {
        return Err(StoreError::TooMany { what: "milestones in a trend point", most: MAX_MILESTONES });
    }
    let rows: Vec<(&str, String, String)> = milestones
        .iter()
        .map(|m| {
            crate::accounts::text("milestone key", &m.key, MAX_KEY)?;
            Ok((m.key.as_str(), m.p50.format(DATE).to_string(), m.p80.format(DATE).to_string()))
        })
        .collect::<Result<_>>()?;
    Ok(serde_json::to_string(&rows)?)
}

/// A stored point, from its row's columns.
pub(crate) fn point(version: i64, at: DateTime<Utc>, milestones: &str) -> Result<TrendPoint> {
    Ok(TrendPoint { version, at, milestones: decode(milestones)? })
}

/// The milestones of a stored point.
fn decode(json: &str) -> Result<Vec<MilestoneForecast>> {
    let rows: Vec<(String, String, String)> = serde_json::from_str(json)?;
    rows.into_iter()
        .map(|(key, p50, p80)| {
            let date = |text: &str| {
                NaiveDate::parse_from_str(text, DATE).map_err(|_| StoreError::Invalid {
                    what: "stored milestone trend date",
                    reason: "it is not a date",
                })
            };
            Ok(MilestoneForecast { p50: date(&p50)?, p80: date(&p80)?, key })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn milestones_round_trip_through_their_json() {
        let day = |d| NaiveDate::from_ymd_opt(2027, 3, d).expect("a date");
        let milestones = vec![
            MilestoneForecast { key: "M1".into(), p50: day(1), p80: day(9) },
            MilestoneForecast { key: "launch \"β\"".into(), p50: day(20), p80: day(31) },
        ];
        assert_eq!(decode(&encode(&milestones).expect("encodes")).expect("decodes"), milestones);
        assert!(decode("[[\"M1\", \"2027-02-30\", \"2027-03-01\"]]").is_err());
        assert!(decode("{}").is_err());
    }

    #[test]
    fn a_point_past_its_bounds_is_refused() {
        let day = NaiveDate::from_ymd_opt(2027, 3, 1).expect("a date");
        let long = MilestoneForecast { key: "k".repeat(MAX_KEY + 1), p50: day, p80: day };
        assert!(encode(&[long]).is_err());
        let many = vec![MilestoneForecast { key: "M".into(), p50: day, p80: day }; MAX_MILESTONES + 1];
        assert!(encode(&many).is_err());
    }
}
