//! Working time: the program's working days numbered from its start, so the
//! engine can do arithmetic in working days and turn results back into dates.
//!
//! Time `t` is measured in working days from the start of the program's
//! first working day: day `k` is the interval `[k, k + 1)`. A task that
//! starts at 0 and lasts 5 days finishes at 5, the end of day 4.

use chrono::{Datelike, NaiveDate};
use linchpin_model::{Calendar, Program};

/// The program calendar's working days, in order, from the program start.
#[derive(Clone, Debug)]
pub struct WorkingDays {
    calendar: Calendar,
    days: Vec<NaiveDate>,
}

/// How far past the last known working day dates are computed per call.
const CHUNK: usize = 512;

impl WorkingDays {
    /// The working days of `calendar` from `start` on; at least `count` are
    /// precomputed and more are generated on demand.
    pub fn new(calendar: &Calendar, start: NaiveDate, count: usize) -> Self {
        let mut days = WorkingDays { calendar: calendar.clone(), days: Vec::new() };
        if calendar.working_days.is_empty() {
            return days;
        }
        let mut date = start;
        while days.days.len() < count.max(1) {
            if calendar.is_working_day(date) {
                days.days.push(date);
            }
            date = date.succ_opt().unwrap_or(date);
            if date == NaiveDate::MAX {
                break;
            }
        }
        days
    }

    /// The program's working days, covering at least the dates the plan mentions.
    pub fn for_program(program: &Program) -> Self {
        Self::new(program.calendar(), program.start(), Self::latest_planned(program) + CHUNK)
    }

    /// Calendar days from the start to the latest date the plan names.
    pub fn latest_planned(program: &Program) -> usize {
        let latest = program
            .items()
            .iter()
            .flat_map(|i| [i.actual_start, i.actual_finish, i.not_before, i.start_on, i.deadline])
            .chain(program.milestones().iter().map(|m| m.target))
            .chain([program.status_date()])
            .flatten()
            .max()
            .unwrap_or(program.start());
        (latest - program.start()).num_days().max(0) as usize
    }

    fn extend_to(&mut self, index: usize) {
        while self.days.len() <= index {
            let Some(&last) = self.days.last() else { return };
            let mut date = last;
            let target = self.days.len() + CHUNK;
            while self.days.len() < target {
                date = match date.succ_opt() {
                    Some(d) => d,
                    None => return,
                };
                if self.calendar.is_working_day(date) {
                    self.days.push(date);
                }
            }
        }
    }

    /// Makes sure dates up to working day `index` are known.
    pub fn ensure(&mut self, index: usize) {
        self.extend_to(index);
    }

    /// Makes sure every working day up to `date` is known, so times of
    /// later dates than the plan's own (an expected agreement, say) are exact.
    pub fn ensure_through(&mut self, date: NaiveDate) {
        while self.days.last().is_some_and(|last| *last < date) {
            let before = self.days.len();
            self.extend_to(before);
            if self.days.len() == before {
                return;
            }
        }
    }

    /// The date of working day `index` (0 is the first). Indexes past the
    /// precomputed range must be [`ensure`](Self::ensure)d first; they
    /// saturate at the last known day.
    pub fn date(&self, index: usize) -> NaiveDate {
        self.days.get(index).or(self.days.last()).copied().unwrap_or_default()
    }

    /// The index of the first working day on or after `date` (0 for dates
    /// before the start).
    pub fn index_on_or_after(&self, date: NaiveDate) -> usize {
        self.days.partition_point(|d| *d < date)
    }

    /// Working days strictly before `date`, i.e. the time at the start of `date`.
    pub fn time_at_start_of(&self, date: NaiveDate) -> f64 {
        self.index_on_or_after(date) as f64
    }

    /// The time at the end of `date`: the start of the next working day.
    pub fn time_at_end_of(&self, date: NaiveDate) -> f64 {
        self.days.partition_point(|d| *d <= date) as f64
    }

    /// The date on which work starting at time `t` happens.
    pub fn start_date(&self, t: f64) -> NaiveDate {
        self.date(t.max(0.0).floor() as usize)
    }

    /// The last working day of work ending at time `t` (a finish at 5.0 is
    /// the end of day 4). Zero-length work at the very start ends on day 0.
    pub fn finish_date(&self, t: f64) -> NaiveDate {
        let day = (t - 1e-9).ceil() as i64 - 1;
        self.date(day.max(0) as usize)
    }

    /// The working-day indexes, within this calendar, of the extra holidays
    /// of a team (days the program works but the team does not).
    pub fn holiday_indexes(&self, holidays: impl IntoIterator<Item = NaiveDate>) -> Vec<u32> {
        let mut indexes: Vec<u32> = holidays
            .into_iter()
            .filter(|d| self.calendar.is_working_day(*d))
            .filter_map(|d| {
                let i = self.index_on_or_after(d);
                (self.days.get(i) == Some(&d)).then_some(i as u32)
            })
            .collect();
        indexes.sort_unstable();
        indexes.dedup();
        indexes
    }
}

/// Working time against calendar time, for lags in elapsed calendar days:
/// a wait that runs through weekends and holidays (a vendor's two weeks, a
/// certificate's ten days) moved into the working-day time the schedulers
/// use. A working day `k` is the calendar day `day_offset[k]` after the
/// program's first day; a calendar day `d` has `worked_before[d]` working
/// days before it.
#[derive(Clone, Debug, PartialEq)]
pub struct ElapsedCalendar {
    day_offset: Vec<u32>,
    worked_before: Vec<u32>,
}

impl ElapsedCalendar {
    /// The calendar of `days` over at least `calendar_days` days.
    pub fn new(days: &mut WorkingDays, calendar_days: usize) -> Self {
        let first = days.date(0);
        let last = first + chrono::Duration::days(calendar_days as i64);
        days.ensure_through(last);
        let mut day_offset = Vec::new();
        let mut worked_before = Vec::with_capacity(calendar_days + 1);
        let mut index = 0u32;
        for d in 0..=calendar_days {
            worked_before.push(index);
            let date = first + chrono::Duration::days(d as i64);
            if days.days.get(index as usize) == Some(&date) {
                day_offset.push(d as u32);
                index += 1;
            }
        }
        ElapsedCalendar { day_offset, worked_before }
    }

    /// Calendar time of working time `t` taken as an end (a finish): `t`
    /// in `(k, k + 1]` is within working day `k`, so Friday's end is not
    /// Monday's start.
    fn end_instant(&self, t: f64) -> Option<f64> {
        let k = if t > 0.0 { t.ceil() - 1.0 } else { 0.0 };
        let day = *self.day_offset.get(k as usize)?;
        Some(day as f64 + (t - k))
    }

    /// Calendar time of working time `t` taken as a start: `t` in `[k, k + 1)`.
    fn start_instant(&self, t: f64) -> Option<f64> {
        let k = t.max(0.0).floor();
        let day = *self.day_offset.get(k as usize)?;
        Some(day as f64 + (t.max(0.0) - k))
    }

    /// Working time of calendar time `c`: on a day off, the start of the next
    /// working day, which is also the end of the one before.
    fn working(&self, c: f64) -> Option<f64> {
        if c <= 0.0 {
            return Some(0.0);
        }
        let d = c.floor() as usize;
        let before = *self.worked_before.get(d)? as f64;
        let worked = self.worked_before.get(d + 1).is_some_and(|&next| next as f64 > before);
        Some(if worked { before + (c - d as f64) } else { before })
    }

    /// The earliest start `lag` calendar days after a finish at working time
    /// `t`. Past the calendar's range, where only programs refused as
    /// implausible go, a day of lag counts as a working day.
    pub fn start_after(&self, t: f64, lag: f64) -> f64 {
        self.end_instant(t).and_then(|c| self.working(c + lag)).unwrap_or(t + lag)
    }

    /// The latest finish from which `lag` calendar days still reach a start
    /// at working time `t`: the inverse of [`Self::start_after`].
    pub fn finish_before(&self, t: f64, lag: f64) -> f64 {
        self.start_instant(t).and_then(|c| self.working(c - lag)).unwrap_or(t - lag)
    }
}

/// The Monday of the week holding `date`, for weekly roll-ups.
pub fn week_start(date: NaiveDate) -> NaiveDate {
    let offset = date.weekday().num_days_from_monday() as i64;
    date - chrono::Duration::days(offset)
}

/// Moves work that would start on a team holiday to the next working day,
/// and stretches it over the holidays it spans. `holidays` are sorted
/// working-day indexes. Returns `(start, finish)`.
pub fn advance(holidays: &[u32], start: f64, duration: f64) -> (f64, f64) {
    if holidays.is_empty() {
        return (start, start + duration);
    }
    let mut start = start;
    let mut i = holidays.partition_point(|&h| (h as f64) + 1.0 <= start);
    // Skip holidays the start falls on.
    while let Some(&h) = holidays.get(i) {
        if (h as f64) <= start && start < h as f64 + 1.0 {
            start = h as f64 + 1.0;
            i += 1;
        } else {
            break;
        }
    }
    let mut finish = start + duration;
    while let Some(&h) = holidays.get(i) {
        if (h as f64) < finish {
            finish += 1.0;
            i += 1;
        } else {
            break;
        }
    }
    (start, finish)
}

/// The mirror of [`advance`]: work that must finish by `finish` starts
/// early enough to skip the team's holidays. Returns `(start, finish)`.
pub fn retreat(holidays: &[u32], finish: f64, duration: f64) -> (f64, f64) {
    if holidays.is_empty() {
        return (finish - duration, finish);
    }
    let mut finish = finish;
    let mut i = holidays.partition_point(|&h| (h as f64) < finish);
    // Pull a finish that falls at the end of a holiday back before it.
    while i > 0 {
        let h = holidays[i - 1] as f64;
        if h < finish && finish <= h + 1.0 {
            finish = h;
            i -= 1;
        } else {
            break;
        }
    }
    let mut start = finish - duration;
    while i > 0 {
        let h = holidays[i - 1] as f64;
        if h + 1.0 > start {
            start -= 1.0;
            i -= 1;
        } else {
            break;
        }
    }
    (start, finish)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("test date")
    }

    #[test]
    fn working_days_skip_weekends_and_holidays() {
        let calendar = Calendar::default().with_extra_holidays([date("2027-01-06")]);
        // 2027-01-04 is a Monday.
        let days = WorkingDays::new(&calendar, date("2027-01-04"), 10);
        assert_eq!(days.date(0), date("2027-01-04"));
        assert_eq!(days.date(2), date("2027-01-07"), "the 6th is a holiday");
        assert_eq!(days.date(4), date("2027-01-11"), "the weekend is skipped");
        assert_eq!(days.time_at_start_of(date("2027-01-09")), 4.0, "a Saturday maps to the next Monday");
        assert_eq!(days.time_at_end_of(date("2027-01-08")), 4.0);
        // Five days of work from Monday end on the next Monday (one holiday).
        assert_eq!(days.finish_date(5.0), date("2027-01-11"));
        assert_eq!(days.start_date(2.5), date("2027-01-07"));
    }

    #[test]
    fn team_holidays_stretch_work_and_move_starts() {
        let holidays = [2, 5];
        assert_eq!(advance(&holidays, 0.0, 2.0), (0.0, 2.0), "ends as the holiday begins");
        assert_eq!(advance(&holidays, 0.0, 3.0), (0.0, 4.0), "one holiday inside");
        assert_eq!(advance(&holidays, 2.0, 1.0), (3.0, 4.0), "a start on a holiday moves");
        assert_eq!(advance(&holidays, 1.0, 4.0), (1.0, 7.0), "two holidays inside");
        assert_eq!(retreat(&holidays, 4.0, 3.0), (0.0, 4.0));
        assert_eq!(retreat(&holidays, 3.0, 1.0), (1.0, 2.0), "a finish after a holiday moves before it");
        assert_eq!(advance(&[], 1.5, 2.0), (1.5, 3.5));
    }

    #[test]
    fn elapsed_lags_run_through_weekends_and_holidays() {
        // 2027-01-04 is a Monday; Friday 2027-01-08 is a holiday.
        let calendar = Calendar::default().with_extra_holidays([date("2027-01-08")]);
        let mut days = WorkingDays::new(&calendar, date("2027-01-04"), 10);
        let elapsed = ElapsedCalendar::new(&mut days, 60);
        // A finish at the end of Tuesday (time 2) plus 7 calendar days is the
        // end of the next Tuesday, 2027-01-12, working day 5: the successor
        // starts on Wednesday, at time 6.
        assert_eq!(elapsed.start_after(2.0, 7.0), 6.0);
        assert_eq!(days.start_date(6.0), date("2027-01-13"));
        // The end of Wednesday plus 2 calendar days is the end of the
        // holiday Friday: the wait is over when Monday starts (time 4).
        assert_eq!(elapsed.start_after(3.0, 2.0), 4.0);
        assert_eq!(days.start_date(4.0), date("2027-01-11"));
        // Half a day counts as half: a finish at midday Monday plus 1.5 days
        // is the start of Wednesday (time 2).
        assert_eq!(elapsed.start_after(0.5, 1.5), 2.0);
        // Backwards: to start Monday 2027-01-11 after a 7-day wait, finish
        // before Monday 2027-01-04 ends, by time 0; a finish at its end
        // (time 1) starts the successor on Tuesday the 12th.
        assert_eq!(elapsed.finish_before(4.0, 7.0), 0.0);
        assert_eq!(elapsed.start_after(1.0, 7.0), 5.0);
        assert_eq!(elapsed.finish_before(elapsed.start_after(2.0, 7.0), 7.0), 2.0, "the inverse");
    }

    #[test]
    fn week_start_is_monday() {
        assert_eq!(week_start(date("2027-01-07")), date("2027-01-04"));
        assert_eq!(week_start(date("2027-01-04")), date("2027-01-04"));
    }
}
