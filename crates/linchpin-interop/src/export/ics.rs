//! iCalendar (RFC 5545) of the milestones: for each, an all-day event on
//! its target date (when it has one) and one on its P80 date from the
//! forecast, each with an exclusive `DTEND` (the day after). `UID`s are
//! derived from the program's name, the milestone's id and the event's
//! kind, so a re-export updates a subscribed calendar's events rather than
//! adding copies; `DTSTAMP` is the plan's status date, so the same plan
//! gives the same bytes.

use std::io::{self, Write};

use chrono::{Duration, NaiveDate};
use linchpin_engine::forecast::Forecast;
use linchpin_engine::schedule::Schedule;
use linchpin_model::Program;

use super::plain;

/// The longest line, in octets, before it is folded (RFC 5545 §3.1).
const LINE_OCTETS: usize = 75;

/// A TEXT value: backslashes, semicolons and commas escaped (§3.3.11).
pub fn text(value: &str) -> String {
    let value = plain(value);
    let mut out = String::with_capacity(value.len() + 8);
    for c in value.chars() {
        if matches!(c, '\\' | ';' | ',') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Writes one content line, folded at 75 octets on character boundaries,
/// ended by CRLF.
fn line(out: &mut impl Write, content: &str) -> io::Result<()> {
    let mut rest = content;
    let mut first = true;
    loop {
        // A continuation line starts with a space, which counts.
        let room = if first { LINE_OCTETS } else { LINE_OCTETS - 1 };
        if rest.len() <= room {
            if !first {
                out.write_all(b" ")?;
            }
            out.write_all(rest.as_bytes())?;
            return out.write_all(b"\r\n");
        }
        let mut cut = room;
        while !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        if !first {
            out.write_all(b" ")?;
        }
        out.write_all(&rest.as_bytes()[..cut])?;
        out.write_all(b"\r\n")?;
        rest = &rest[cut..];
        first = false;
    }
}

/// FNV-1a, 64 bits: a hash that never changes between versions or
/// machines, for the UIDs.
fn stable_hash(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3))
}

/// A UID that stays the same across exports of the same milestone's event.
fn uid(program: &Program, key: &str, kind: &str) -> String {
    let hex: String = key.bytes().map(|b| format!("{b:02x}")).collect();
    format!("{kind}-{hex}-{:016x}@linchpin", stable_hash(program.name().as_bytes()))
}

fn date(d: NaiveDate) -> String {
    d.format("%Y%m%d").to_string()
}

pub fn write(program: &Program, schedule: &Schedule, forecast: &Forecast, out: &mut impl Write) -> io::Result<()> {
    line(out, "BEGIN:VCALENDAR")?;
    line(out, "VERSION:2.0")?;
    line(out, "PRODID:-//Linchpin//linchpin export ics//EN")?;
    line(out, "CALSCALE:GREGORIAN")?;
    line(out, "METHOD:PUBLISH")?;
    line(out, &format!("X-WR-CALNAME:{}", text(&format!("{} milestones", program.name()))))?;
    let stamp = format!("DTSTAMP:{}T000000Z", date(program.as_of()));
    let forecasts = forecast.milestones();
    for (m, milestone) in program.milestones().iter().enumerate() {
        let scheduled = schedule.milestones.get(m).map(|s| s.date);
        let Some(p80) = forecasts.get(m) else { continue };
        let chance = p80.probability_on_target.map(|p| format!("; chance of the target {:.0} %", 100.0 * p));
        let about = format!(
            "{}: target {}; scheduled {}; P50 {}; P80 {}; P95 {}{}",
            milestone.title,
            milestone.target.map_or("none".to_owned(), |t| t.to_string()),
            scheduled.map_or("-".to_owned(), |d| d.to_string()),
            p80.p50_date,
            p80.p80_date,
            p80.p95_date,
            chance.unwrap_or_default(),
        );
        let mut events = Vec::new();
        if let Some(target) = milestone.target {
            events.push(("target", target, format!("{} target: {}", milestone.key, milestone.title)));
        }
        events.push(("p80", p80.p80_date, format!("{} P80: {}", milestone.key, milestone.title)));
        for (kind, day, summary) in events {
            line(out, "BEGIN:VEVENT")?;
            line(out, &format!("UID:{}", uid(program, &milestone.key, kind)))?;
            line(out, &stamp)?;
            line(out, &format!("DTSTART;VALUE=DATE:{}", date(day)))?;
            line(out, &format!("DTEND;VALUE=DATE:{}", date(day + Duration::days(1))))?;
            line(out, &format!("SUMMARY:{}", text(&summary)))?;
            line(out, &format!("DESCRIPTION:{}", text(&about)))?;
            line(out, &format!("CATEGORIES:{}", if kind == "target" { "Milestone target" } else { "Milestone P80" }))?;
            line(out, "TRANSP:TRANSPARENT")?;
            line(out, "END:VEVENT")?;
        }
    }
    line(out, "END:VCALENDAR")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::testing::{PLAN, scheduled};
    use linchpin_engine::forecast::{ForecastOptions, forecast};
    use linchpin_engine::progress::Quiet;

    #[test]
    fn text_escapes_what_separates_values() {
        assert_eq!(text("a;b,c\\d\ne"), "a\\;b\\,c\\\\d e");
    }

    #[test]
    fn long_lines_fold_on_character_boundaries() {
        let mut out = Vec::new();
        line(&mut out, &format!("SUMMARY:{}", "é".repeat(80))).expect("written");
        let text = String::from_utf8(out).expect("folding keeps UTF-8 whole");
        assert!(text.split("\r\n").all(|l| l.len() <= LINE_OCTETS), "{text:?}");
        assert_eq!(text.replace("\r\n ", ""), format!("SUMMARY:{}\r\n", "é".repeat(80)));
    }

    #[test]
    fn target_and_p80_events_with_stable_uids() {
        let (program, schedule) = scheduled(PLAN);
        let options = ForecastOptions { iterations: 200, ..ForecastOptions::default() };
        let forecast = forecast(&program, options, &Quiet).expect("a forecast");
        let mut out = Vec::new();
        write(&program, &schedule, &forecast, &mut out).expect("written");
        let ics = String::from_utf8(out).expect("utf-8");
        assert!(ics.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"), "{ics}");
        assert!(ics.ends_with("END:VCALENDAR\r\n"));
        assert!(ics.contains("DTSTART;VALUE=DATE:20270122\r\nDTEND;VALUE=DATE:20270123\r\n"), "{ics}");
        assert!(ics.contains("SUMMARY:M1 target: Launch\\; all\r\n"), "{ics}");
        let p80 = forecast.milestones()[0].p80_date;
        assert!(ics.contains(&format!("DTSTART;VALUE=DATE:{}\r\n", date(p80))), "{ics}");
        assert_eq!(ics.matches("BEGIN:VEVENT").count(), 2);
        assert!(ics.contains(&format!("UID:target-4d31-{:016x}@linchpin", stable_hash(program.name().as_bytes()))));
        assert!(!ics.contains('\u{1b}'));
        // Every line ends in CRLF; no bare line feed.
        assert_eq!(ics.matches('\n').count(), ics.matches("\r\n").count());
    }
}
