//! The dates a plan may hold: years 1900 to 9999, so that every date
//! Linchpin reads it also writes back in the same `YYYY-MM-DD` form (chrono
//! would write year 10000 as `+10000-01-04`, which no plan field accepts),
//! and a typo such as `0202-03-01` is caught.

use chrono::{Datelike, NaiveDate};

/// The first date a plan may name.
pub const EARLIEST: NaiveDate = match NaiveDate::from_ymd_opt(1900, 1, 1) {
    Some(date) => date,
    None => panic!("a valid date"),
};

/// The last date a plan may name, and the last a schedule may reach.
pub const LATEST: NaiveDate = match NaiveDate::from_ymd_opt(9999, 12, 31) {
    Some(date) => date,
    None => panic!("a valid date"),
};

/// Why text is not a plan date.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    #[error("`{0}` is not a date like 2026-03-02")]
    Malformed(String),
    #[error("`{0}` is outside the years 1900 to 9999")]
    OutOfRange(String),
}

/// `YYYY-MM-DD`, within [`EARLIEST`] and [`LATEST`].
pub fn parse(text: &str) -> Result<NaiveDate, DateError> {
    // Four digits, a dash, two, a dash, two: chrono alone would take a sign,
    // five-digit years and single digits.
    let b = text.as_bytes();
    let shaped = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    let date = shaped
        .then(|| NaiveDate::parse_from_str(text, "%Y-%m-%d").ok())
        .flatten()
        .ok_or_else(|| DateError::Malformed(text.to_owned()))?;
    if in_range(date) { Ok(date) } else { Err(DateError::OutOfRange(text.to_owned())) }
}

/// Whether a date is one a plan may name.
pub fn in_range(date: NaiveDate) -> bool {
    (EARLIEST.year()..=LATEST.year()).contains(&date.year())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_plan_dates_and_refuses_the_rest() {
        assert_eq!(parse("2027-01-04"), Ok(NaiveDate::from_ymd_opt(2027, 1, 4).expect("date")));
        assert_eq!(parse("9999-12-31"), Ok(LATEST));
        assert_eq!(parse("1900-01-01"), Ok(EARLIEST));
        for out in ["0000-01-04", "1899-12-31", "0202-03-01"] {
            assert_eq!(parse(out), Err(DateError::OutOfRange(out.to_owned())), "{out}");
        }
        for bad in ["+10000-01-04", "2027-1-4", "2027-02-30", "27-01-04", "2027-01-04x", "", "２０２７-01-04"] {
            assert_eq!(parse(bad), Err(DateError::Malformed(bad.to_owned())), "{bad}");
        }
    }

    #[test]
    fn what_is_written_reads_back() {
        for date in [EARLIEST, LATEST, NaiveDate::from_ymd_opt(2027, 2, 28).expect("date")] {
            assert_eq!(parse(&date.to_string()), Ok(date));
        }
    }
}
