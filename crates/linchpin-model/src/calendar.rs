//! Working-day calendars: which weekdays are worked and which dates are holidays.

use std::collections::BTreeSet;

use chrono::{Datelike, NaiveDate, Weekday};

/// The set of weekdays that are worked, Monday first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Weekdays([bool; 7]);

impl Weekdays {
    /// Monday to Friday.
    pub const MONDAY_TO_FRIDAY: Weekdays = Weekdays([true, true, true, true, true, false, false]);

    /// Builds the set from the worked weekdays.
    pub fn from_days(days: impl IntoIterator<Item = Weekday>) -> Self {
        let mut set = [false; 7];
        for day in days {
            set[day.num_days_from_monday() as usize] = true;
        }
        Weekdays(set)
    }

    /// Whether `day` is worked.
    pub fn contains(self, day: Weekday) -> bool {
        self.0[day.num_days_from_monday() as usize]
    }

    /// Whether no weekday is worked (a calendar on which nothing can happen).
    pub fn is_empty(self) -> bool {
        !self.0.iter().any(|&worked| worked)
    }
}

impl Default for Weekdays {
    fn default() -> Self {
        Self::MONDAY_TO_FRIDAY
    }
}

/// A calendar: the worked weekdays and the holidays on which nobody works.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Calendar {
    pub working_days: Weekdays,
    pub holidays: BTreeSet<NaiveDate>,
}

impl Calendar {
    /// Whether work happens on `date`.
    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        self.working_days.contains(date.weekday()) && !self.holidays.contains(&date)
    }

    /// How many working days there are from `from` to `to`, both included
    /// (0 when `to` is before `from`). Whole weeks are counted at once, so
    /// it costs the holidays in range, not the days.
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> u64 {
        if to < from {
            return 0;
        }
        let days = (to - from).num_days() as u64 + 1;
        let per_week = self.working_days.0.iter().filter(|&&worked| worked).count() as u64;
        let mut count = days / 7 * per_week;
        let mut day = from.weekday();
        for _ in 0..days % 7 {
            count += u64::from(self.working_days.contains(day));
            day = day.succ();
        }
        let off = self.holidays.range(from..=to).filter(|h| self.working_days.contains(h.weekday())).count();
        count - off as u64
    }

    /// The same calendar with more holidays, as a team's calendar adds its own
    /// days off to the program's.
    pub fn with_extra_holidays(&self, extra: impl IntoIterator<Item = NaiveDate>) -> Calendar {
        let mut calendar = self.clone();
        calendar.holidays.extend(extra);
        calendar
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_working_days_between_dates_as_a_walk_would() {
        let calendar = Calendar {
            working_days: Weekdays::from_days([Weekday::Mon, Weekday::Wed, Weekday::Thu]),
            holidays: [date("2027-01-06"), date("2027-01-09"), date("2027-03-01")].into_iter().collect(),
        };
        let from = date("2027-01-04");
        for end in 0..120 {
            let to = from + chrono::Duration::days(end);
            let walked = from.iter_days().take_while(|d| *d <= to).filter(|d| calendar.is_working_day(*d)).count();
            assert_eq!(calendar.working_days_between(from, to), walked as u64, "to {to}");
        }
        assert_eq!(calendar.working_days_between(from, from - chrono::Duration::days(1)), 0);
    }

    fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("valid test date")
    }

    #[test]
    fn weekends_and_holidays_are_not_worked() {
        let calendar = Calendar::default().with_extra_holidays([date("2026-12-25")]);
        assert!(calendar.is_working_day(date("2026-12-24")));
        assert!(!calendar.is_working_day(date("2026-12-25")), "holiday");
        assert!(!calendar.is_working_day(date("2026-12-26")), "saturday");
        assert!(!calendar.is_working_day(date("2026-12-27")), "sunday");
    }
}
