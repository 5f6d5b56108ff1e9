//! Plan text made safe to quote, escaping for Markdown and HTML, and the
//! number formats every register shares (the same as `linchpin forecast`
//! prints).

use linchpin_model::{ItemId, Program};

/// The most characters of plan text a report quotes before cutting it.
pub const MOST_CHARS: usize = 100;

/// Plan text as a report quotes it: control and bidirectional-override
/// characters dropped, cut at [`MOST_CHARS`] characters. Each renderer
/// escapes it for its format.
pub fn plain(text: &str) -> String {
    let mut out = String::with_capacity(text.len().min(MOST_CHARS * 2));
    for (i, c) in text.chars().filter(|c| !c.is_control() && !is_bidi_control(*c)).enumerate() {
        if i == MOST_CHARS {
            out.push('…');
            break;
        }
        out.push(c);
    }
    out
}

/// [`plain`] text cut at `most` characters (with an ellipsis), for a label
/// that must fit beside a chart.
pub fn cut(text: &str, most: usize) -> String {
    let text = plain(text);
    if text.chars().count() <= most {
        return text;
    }
    let mut out: String = text.chars().take(most.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// Text as Markdown shows it literally: its punctuation escaped.
pub fn markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '~' | '!' | '&') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Text as HTML shows it literally.
pub fn html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Characters that reorder or hide the text around them.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}')
}

/// An item as readers see it: its id and its title.
pub fn titled(program: &Program, item: ItemId) -> String {
    let item = program.item(item);
    format!("{} ({})", plain(&item.key), plain(&item.title))
}

/// Names as a sentence lists them: `a`, `a and b`, `a, b and c`.
pub fn list<S: AsRef<str>>(names: &[S]) -> String {
    match names {
        [] => String::new(),
        [one] => one.as_ref().to_owned(),
        [rest @ .., last] => {
            let rest: Vec<&str> = rest.iter().map(AsRef::as_ref).collect();
            format!("{} and {}", rest.join(", "), last.as_ref())
        }
    }
}

/// A share as the forecast prints it: `13 %`.
pub fn percent(share: f64) -> String {
    format!("{:.0} %", 100.0 * share)
}

/// Working days, in words: `1 working day`, `7 working days`.
pub fn days(n: f64) -> String {
    let n = (n * 10.0).round() / 10.0;
    if (n - 1.0).abs() < 1e-9 { "1 working day".to_owned() } else { format!("{n} working days") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_listed_as_a_sentence_lists_them() {
        assert_eq!(list::<&str>(&[]), "");
        assert_eq!(list(&["M1"]), "M1");
        assert_eq!(list(&["M1".to_owned(), "M2".to_owned()]), "M1 and M2");
        assert_eq!(list(&["M1", "M2", "M3"]), "M1, M2 and M3");
    }

    #[test]
    fn plan_text_cannot_break_a_table_or_reach_a_terminal() {
        assert_eq!(markdown(&plain("a|b *c* [x](y) <b>")), "a\\|b \\*c\\* \\[x\\](y) \\<b\\>");
        assert_eq!(plain("\x1b[2Jevil\u{202e}"), "[2Jevil");
        assert_eq!(html("<a href=\"x\">&'"), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;");
        assert_eq!(plain(&"x".repeat(150)).chars().count(), MOST_CHARS + 1);
        assert_eq!(
            (days(1.0), days(7.0), days(2.25)),
            ("1 working day".into(), "7 working days".into(), "2.3 working days".into())
        );
    }

    #[test]
    fn a_label_is_cut_to_fit_with_an_ellipsis() {
        assert_eq!(cut("Token vault", 30), "Token vault");
        assert_eq!(cut("Ledger v2 write path in staging, all regions", 20), "Ledger v2 write pat…");
        assert_eq!(cut("Ledger v2 write path in staging, all regions", 20).chars().count(), 20);
        assert_eq!(cut("\x1bevil", 30), "evil");
    }
}
