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
