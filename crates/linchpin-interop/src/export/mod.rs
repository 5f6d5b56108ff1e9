//! A scheduled program in other tools' formats. Every writer takes the
//! program and the schedule `linchpin schedule` computes for it (and, for
//! the calendar, the forecast) and streams its format to `out`.

use std::borrow::Cow;

pub mod dot;
pub mod ics;
pub mod mermaid;
pub mod mspdi;

/// The most characters of one plan value (a title, a name) an export
/// carries; longer ones are cut and end in `…`.
pub const MOST_CHARS: usize = 200;

/// Plan text as every export carries it: control characters (C0, DEL,
/// C1), the line and paragraph separators and the bidirectional controls
/// behind "Trojan Source" become spaces, and the text is cut at
/// [`MOST_CHARS`] characters. Each writer then escapes it for its format.
pub fn plain(text: &str) -> Cow<'_, str> {
    let clean = |c: char| !is_hidden(c);
    if text.chars().all(clean) && text.chars().nth(MOST_CHARS).is_none() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len().min(4 * MOST_CHARS));
    for (i, c) in text.chars().enumerate() {
        if i == MOST_CHARS {
            out.push('…');
            break;
        }
        out.push(if clean(c) { c } else { ' ' });
    }
    Cow::Owned(out)
}

/// Whether a character must not reach a reader as it is: it moves the
/// cursor, ends a line or reorders the text around it.
fn is_hidden(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{2028}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_and_bidi_characters_become_spaces() {
        assert_eq!(plain("a\x1b[2J\r\nb\u{202e}c\u{2028}"), "a [2J  b c ");
        assert!(matches!(plain("Café 支払い"), Cow::Borrowed(_)));
        let long = "x".repeat(MOST_CHARS + 5);
        assert_eq!(plain(&long).chars().count(), MOST_CHARS + 1);
        assert!(plain(&long).ends_with('…'));
    }
}

/// Shared by the tests of every writer: a program loaded from plan YAML,
/// and its capacity-aware schedule.
#[cfg(test)]
pub(crate) mod testing {
    use linchpin_engine::schedule::{Schedule, ScheduleOptions, schedule};
    use linchpin_model::Program;

    pub fn program(yaml: &str) -> Program {
        let plan = linchpin_plan::load_yaml_bytes(vec![("plan.yaml".into(), yaml.as_bytes().to_vec())]);
        assert!(!plan.has_errors(), "{:?}", plan.diagnostics);
        plan.into_program().expect("a program")
    }

    pub fn scheduled(yaml: &str) -> (Program, Schedule) {
        let program = program(yaml);
        let schedule = schedule(&program, ScheduleOptions::default()).expect("a schedule");
        (program, schedule)
    }

    /// A small plan with a group, all three link kinds, a lag in calendar
    /// days, a holiday, a milestone and hostile text.
    pub const PLAN: &str = r#"
program:
  name: "Pay\u001b[2J \"ments\" <&>"
  start: 2027-01-04
  calendar:
    holidays: [2027-01-18]
teams:
  - { id: core, name: "Core; team", capacity: 1, holidays: [2027-01-20] }
  - { id: web, name: Web, capacity: 2 }
groups:
  - { id: E1, title: "Epic: one", kind: epic }
items:
  - { id: A, title: "Design \u202eevil", team: core, estimate: 3, group: E1 }
  - { id: B, title: "Build, the \"thing\"", team: core, estimate: 2.5, group: E1, depends: [A] }
  - id: C
    title: "Web part: #1 %% not a comment"
    team: web
    estimate: 4
    not_before: 2027-01-05
    depends:
      - { item: A, type: start_to_start, lag: 1 }
      - { item: B, type: finish_to_finish, lag: 2 }
  - { id: D, title: "Vendor wait", team: web, estimate: 1, deadline: 2027-02-26, depends: [{ item: B, lag: 14, lag_unit: calendar_days }] }
milestones:
  - { id: M1, title: "Launch; all", target: 2027-01-22, requires: [C, D] }
"#;
}
