//! Text that cannot be used against its reader. Everything the text output
//! takes from a plan (ids, names, titles, questions, file names) goes
//! through here on its way to a terminal:
//!
//! - [`escape`]: control characters (C0, DEL, C1), the `Bidi_Control`
//!   characters behind "Trojan Source" (U+061C, U+200E, U+200F,
//!   U+202A–U+202E, U+2066–U+2069) and the line and paragraph separators
//!   (U+2028, U+2029) are written as Rust writes them, `\u{1b}`, `\t`, `\n`,
//!   `\r`, so they are seen and never obeyed.
//! - [`clip`]: escaped, then cut to a number of terminal columns, ending in
//!   `…`; widths are display widths (`unicode-width`): a CJK character takes
//!   two columns, a combining accent none.
//! - [`left`]: a cell padded to a column width by display width, which
//!   `format!`'s own padding (by characters) does not do.
//! - [`prose`]: escaped running text whose words are at most
//!   [`TEXT_WIDTH`] columns.
//!
//! The standard output of text commands is escaped once more as it is
//! written ([`Escaping`]), so a value that missed the table code still
//! reaches the terminal inert. CSV ([`csv_cell`]) and YAML ([`yaml_string`])
//! output have their own rules; JSON needs none (serde escapes control
//! characters, and readers of JSON want the exact text).

use std::borrow::Cow;
use std::fmt;

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// The widest an id (of an item, team, group, milestone, risk or
/// decision) is shown, in columns.
pub const ID_WIDTH: usize = 40;
/// The widest a finding's id (`kind:subject`) is shown.
pub const FINDING_ID_WIDTH: usize = 80;
/// The widest a name, title or question is shown, and the widest one word
/// of running text (a finding's explanation, a diagnostic's message).
pub const TEXT_WIDTH: usize = 100;
/// The widest a quoted line of a plan file is shown in a diagnostic.
pub const SOURCE_WIDTH: usize = 200;

/// What a cut value ends with.
pub const MARKER: char = '…';

/// Whether a character must not reach a terminal as it is.
pub fn is_unsafe(c: char) -> bool {
    matches!(
        c,
        '\0'..='\x1f'
            | '\x7f'..='\u{9f}'
            | '\u{61c}'
            | '\u{200e}'
            | '\u{200f}'
            | '\u{2028}'..='\u{202e}'
            | '\u{2066}'..='\u{2069}'
    )
}

/// Writes the visible form of an unsafe character.
fn write_escaped(out: &mut impl fmt::Write, c: char) -> fmt::Result {
    match c {
        '\t' => out.write_str("\\t"),
        '\n' => out.write_str("\\n"),
        '\r' => out.write_str("\\r"),
        c => write!(out, "\\u{{{:x}}}", c as u32),
    }
}

/// How many bytes (and columns: it is ASCII) the visible form of `c` takes.
pub fn escaped_len(c: char) -> usize {
    if !is_unsafe(c) {
        return c.len_utf8();
    }
    match c {
        '\t' | '\n' | '\r' => 2,
        // `\u{` + hex digits + `}`
        c => 4 + (32 - (c as u32 | 1).leading_zeros()).div_ceil(4) as usize,
    }
}

/// Whether `s` is printable ASCII only: safe, and as wide as it is long.
fn plain_ascii(s: &str) -> bool {
    s.bytes().all(|b| (0x20..0x7f).contains(&b))
}

/// `s` with every unsafe character written visibly.
pub fn escape(s: &str) -> Cow<'_, str> {
    let Some(first) = s.find(is_unsafe) else { return Cow::Borrowed(s) };
    let mut out = String::with_capacity(s.len() + 8);
    out.push_str(&s[..first]);
    for c in s[first..].chars() {
        push(&mut out, c);
    }
    Cow::Owned(out)
}

/// Appends `c`, escaped if it is unsafe.
pub fn push(out: &mut String, c: char) {
    if is_unsafe(c) {
        let _ = write_escaped(out, c);
    } else {
        out.push(c);
    }
}

/// The display width of (escaped) text, in terminal columns.
pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// `s` escaped and at most `max` columns wide: a longer one is cut and ends
/// in [`MARKER`]. Work is bounded by `max`, not by the length of `s`.
pub fn clip(s: &str, max: usize) -> Cow<'_, str> {
    if s.len() <= max && plain_ascii(s) {
        return Cow::Borrowed(s);
    }
    let mut out = String::new();
    let mut used = 0;
    // The length of `out` while it still leaves room for the marker.
    let mut room = 0;
    let mut cut = false;
    for c in s.chars() {
        let w = if is_unsafe(c) { escaped_len(c) } else { c.width().unwrap_or(0) };
        if used + w > max {
            cut = true;
            break;
        }
        push(&mut out, c);
        used += w;
        if used < max {
            room = out.len();
        }
    }
    // A string's width can exceed the sum of its characters' (an emoji
    // presentation sequence): measure the whole, as the padding will.
    if !cut && width(&out) <= max {
        return if out.len() == s.len() { Cow::Borrowed(s) } else { Cow::Owned(out) };
    }
    out.truncate(room);
    while width(&out) + 1 > max && out.pop().is_some() {}
    if max > 0 {
        out.push(MARKER);
    }
    Cow::Owned(out)
}

/// An id as the text output shows it: escaped, at most [`ID_WIDTH`] columns.
pub fn id(s: &str) -> Cow<'_, str> {
    clip(s, ID_WIDTH)
}

/// A name, title or question: escaped, at most [`TEXT_WIDTH`] columns.
pub fn title(s: &str) -> Cow<'_, str> {
    clip(s, TEXT_WIDTH)
}

/// Running text: escaped, each word (a run without white space) at most
/// `max_word` columns, so a 70,000-character id quoted in a sentence
/// takes a line, not a screenful.
pub fn prose(s: &str, max_word: usize) -> Cow<'_, str> {
    if plain_ascii(s) && s.split(' ').all(|w| w.len() <= max_word) {
        return Cow::Borrowed(s);
    }
    let escaped = escape(s);
    let mut out = String::with_capacity(escaped.len());
    let mut rest = escaped.as_ref();
    while !rest.is_empty() {
        let word_end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        out.push_str(&clip(&rest[..word_end], max_word));
        rest = &rest[word_end..];
        let space_end = rest.find(|c: char| !c.is_whitespace()).unwrap_or(rest.len());
        out.push_str(&rest[..space_end]);
        rest = &rest[space_end..];
    }
    Cow::Owned(out)
}

/// `text` padded with spaces to `width` columns; `text` must already be
/// escaped.
pub fn left(text: &str, width: usize) -> Padded<'_> {
    Padded { text, width }
}

/// See [`left`].
pub struct Padded<'a> {
    text: &'a str,
    width: usize,
}

impl fmt::Display for Padded<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let fill = self.width.saturating_sub(width(self.text));
        write!(f, "{}{:fill$}", self.text, "")
    }
}

/// The width of a column: its widest cell, at least `least` (its heading),
/// at most `most`. Cells must be clipped to `most` already.
pub fn column<'a>(cells: impl IntoIterator<Item = &'a str>, least: usize, most: usize) -> usize {
    cells.into_iter().map(width).max().unwrap_or(0).clamp(least, most.max(least))
}

/// Whether a spreadsheet would read a cell starting with `c` as a formula
/// (OWASP's list: `=`, `+`, `-`, `@`, tab, carriage return).
fn formula_start(c: char) -> bool {
    matches!(c, '=' | '+' | '-' | '@' | '\t' | '\r')
}

/// A text cell of CSV output taken from the plan: one that a spreadsheet
/// would run as a formula gets a leading `'` (OWASP's advice against CSV
/// injection), and unsafe characters other than tab and line feed (which
/// CSV quotes) are escaped, so the file is also safe to print. Numbers are
/// written as they are and never pass through here.
pub fn csv_cell(s: &str) -> Cow<'_, str> {
    let formula = s.chars().next().is_some_and(formula_start);
    let unsafe_inside = s.contains(|c: char| is_unsafe(c) && !matches!(c, '\t' | '\n'));
    if !formula && !unsafe_inside {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 1);
    if formula {
        out.push('\'');
    }
    for c in s.chars() {
        if matches!(c, '\t' | '\n') {
            out.push(c);
        } else {
            push(&mut out, c);
        }
    }
    Cow::Owned(out)
}

/// A YAML double-quoted scalar that reads back as exactly `s`, with no
/// unsafe character written raw: JSON's string syntax (a subset of YAML's)
/// with the C1 and `Bidi_Control` characters, which JSON leaves as they
/// are, as `\uXXXX` too.
pub fn yaml_string(s: &str) -> String {
    let json = serde_json::Value::String(s.to_owned()).to_string();
    if !json.contains(is_unsafe) {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 8);
    for c in json.chars() {
        if is_unsafe(c) {
            use fmt::Write as _;
            let _ = write!(out, "\\u{:04X}", c as u32);
        } else {
            out.push(c);
        }
    }
    out
}

/// Standard output for text: writes through to `W`, escaping any unsafe
/// character but the line feeds the output is made of. A backstop: the
/// commands escape every value from the plan before they measure it.
pub struct Escaping<W> {
    pub inner: W,
    pub error: Option<std::io::Error>,
}

impl<W: std::io::Write> fmt::Write for Escaping<W> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let result = if s.bytes().all(|b| (0x20..0x7f).contains(&b) || b == b'\n') {
            self.inner.write_all(s.as_bytes())
        } else {
            let mut escaped = String::with_capacity(s.len());
            for c in s.chars() {
                if c == '\n' {
                    escaped.push(c);
                } else {
                    push(&mut escaped, c);
                }
            }
            self.inner.write_all(escaped.as_bytes())
        };
        result.map_err(|error| {
            self.error = Some(error);
            fmt::Error
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_and_bidi_characters_are_seen_not_obeyed() {
        assert_eq!(escape("a\x1b[2Jb"), "a\\u{1b}[2Jb");
        assert_eq!(escape("\x1b]0;title\x07"), "\\u{1b}]0;title\\u{7}");
        assert_eq!(escape("tab\there\r\n"), "tab\\there\\r\\n");
        assert_eq!(escape("\u{9b}31m \u{202e}evil\u{2066}"), "\\u{9b}31m \\u{202e}evil\\u{2066}");
        assert!(matches!(escape("Café 支払い"), Cow::Borrowed(_)));
        for c in ['\0', '\x1b', '\x7f', '\u{85}', '\u{9f}', '\u{202a}', '\u{2069}', '\u{61c}', '\u{2028}'] {
            let mut visible = String::new();
            push(&mut visible, c);
            assert_eq!(visible.len(), escaped_len(c), "{visible}");
            assert!(!visible.contains(is_unsafe));
        }
    }

    #[test]
    fn clipping_counts_columns_and_marks_the_cut() {
        assert_eq!(clip("PAY-1", 40), "PAY-1");
        assert_eq!(clip("abcdefghij", 5), "abcd…");
        assert_eq!(width(&clip("abcdefghij", 5)), 5);
        // Two columns a character: four fit beside the marker in nine.
        assert_eq!(clip("支払いの移行です", 9), "支払いの…");
        // Combining accents take no column.
        assert_eq!(clip("e\u{301}e\u{301}e\u{301}", 3), "e\u{301}e\u{301}e\u{301}");
        let long = "x".repeat(70_000);
        assert_eq!(width(&clip(&long, ID_WIDTH)), ID_WIDTH);
        let escapes = "\x1b".repeat(70_000);
        assert_eq!(width(&clip(&escapes, ID_WIDTH)), 36 + 1, "whole escapes only: {}", clip(&escapes, ID_WIDTH));
        assert_eq!(clip("anything", 0), "");
    }

    #[test]
    fn padding_is_by_display_width() {
        assert_eq!(format!("[{}]", left("支払", 6)), "[支払  ]");
        assert_eq!(format!("[{}]", left("e\u{301}", 3)), "[e\u{301}  ]");
        assert_eq!(format!("[{}]", left("toolong", 3)), "[toolong]");
    }

    #[test]
    fn prose_keeps_its_words_but_bounds_each() {
        assert_eq!(prose("unknown item `A`", 10), "unknown item `A`");
        let long = format!("unknown item `{}`; did you mean `B`?", "x".repeat(500));
        let shown = prose(&long, 20);
        assert!(shown.starts_with("unknown item `xxxxxxxxxxxxxxxxxx…"), "{shown}");
        assert!(shown.ends_with(" did you mean `B`?"), "{shown}");
        assert_eq!(prose("a\x1bb  c", 100), "a\\u{1b}b  c");
    }

    #[test]
    fn csv_cells_that_would_be_formulas_are_text() {
        for formula in ["=cmd|' /C calc'!A0", "+SUM(1)", "-2+3", "@SUM(A1)", "\t=1"] {
            assert_eq!(csv_cell(formula), format!("'{formula}"));
        }
        assert_eq!(csv_cell("\r=1"), "'\\r=1");
        assert_eq!(csv_cell("PAY-1"), "PAY-1");
        assert_eq!(csv_cell("a\x1b[2J"), "a\\u{1b}[2J");
        assert_eq!(csv_cell("two\nlines"), "two\nlines");
        assert_eq!(csv_cell(""), "");
    }

    #[test]
    fn yaml_strings_read_back_exactly() {
        assert_eq!(yaml_string("PAY-1"), "\"PAY-1\"");
        assert_eq!(yaml_string("a\x1b\u{9b}\u{202e}\"b"), "\"a\\u001b\\u009B\\u202E\\\"b\"");
    }
}
