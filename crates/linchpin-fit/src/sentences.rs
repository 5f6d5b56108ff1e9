//! Text to sentences, each a byte range of the text so its quote is
//! verbatim: lines, bullets, table cells (tabs, `|`, wide gaps from a PDF's
//! columns) and headings are told apart, wrapped lines are joined, and a
//! line of several sentences is split at their ends.

use serde::Serialize;

use crate::terms::{Token, tokens};

/// The most sentences read from one document.
pub const MAX_SENTENCES: usize = 5000;
/// The longest sentence kept whole, in bytes; a longer run is cut at a
/// space.
pub const MAX_SENTENCE_BYTES: usize = 1000;

/// What kind of line a sentence came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Shape {
    /// A short line that names a section (`Experience`, `## Skills`).
    Heading,
    /// A line in running text or a bullet.
    Line,
}

#[derive(Clone, Debug)]
pub struct Sentence {
    pub start: usize,
    pub end: usize,
    pub shape: Shape,
    /// The heading of the section it is in, lowercase, if any.
    pub section: Option<String>,
    pub tokens: Vec<Token>,
}

impl Sentence {
    pub fn text<'t>(&self, text: &'t str) -> &'t str {
        &text[self.start..self.end]
    }
}

/// Characters that start a bullet.
fn is_bullet(c: char) -> bool {
    matches!(
        c,
        '-' | '*'
            | '+'
            | '•'
            | '◦'
            | '▪'
            | '·'
            | '–'
            | '—'
            | '►'
            | '▶'
            | '✓'
            | '✔'
            | '○'
            | '●'
            | '■'
            | '>'
    )
}

/// A segment: a byte range of one line, or of lines joined.
#[derive(Clone, Copy)]
struct Segment {
    start: usize,
    end: usize,
    heading: bool,
    bullet: bool,
}

/// The sentences of `text`, at most [`MAX_SENTENCES`].
pub fn sentences(text: &str) -> Vec<Sentence> {
    sentences_bounded(text).0
}

/// The sentences of `text`, at most [`MAX_SENTENCES`], and whether there
/// were more (the rest is not read).
pub fn sentences_bounded(text: &str) -> (Vec<Sentence>, bool) {
    let segments = join_wrapped(text, line_segments(text));
    let mut out: Vec<Sentence> = Vec::new();
    let mut section: Option<String> = None;
    let mut cut = false;
    let mut keep = |out: &mut Vec<Sentence>, s: Sentence| {
        if s.tokens.is_empty() {
            return true;
        }
        if out.len() >= MAX_SENTENCES {
            cut = true;
            return false;
        }
        out.push(s);
        true
    };
    'segments: for segment in segments {
        if segment.heading {
            let heading = text[segment.start..segment.end].trim_end_matches(':').trim().to_lowercase();
            if !keep(&mut out, sentence(text, segment.start, segment.end, Shape::Heading, Some(heading.clone()))) {
                break;
            }
            section = Some(heading);
            continue;
        }
        for (start, end) in split_sentences(text, segment.start, segment.end) {
            if !keep(&mut out, sentence(text, start, end, Shape::Line, section.clone())) {
                break 'segments;
            }
        }
    }
    (out, cut)
}

fn sentence(text: &str, start: usize, end: usize, shape: Shape, section: Option<String>) -> Sentence {
    let mut tokens = tokens(&text[start..end]);
    for t in &mut tokens {
        t.start += start;
        t.end += start;
    }
    Sentence { start, end, shape, section, tokens }
}

/// Each line's cells, markers stripped: a bullet or number, `#`s, a
/// Markdown table's pipes; cells split at tabs, ` | ` and runs of three or
/// more spaces (how PDF text shows columns).
fn line_segments(text: &str) -> Vec<Segment> {
    let mut out = Vec::new();
    let mut offset = 0;
    for line in text.split('\n') {
        let line_start = offset;
        offset += line.len() + 1;
        let mut cells: Vec<(usize, usize)> = Vec::new();
        let mut cell_start = 0;
        let bytes = line.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let gap = if bytes[i] == b'\t' || bytes[i] == b'|' {
                1
            } else if bytes[i..].starts_with(b"   ") {
                bytes[i..].iter().take_while(|&&b| b == b' ').count()
            } else {
                0
            };
            if gap > 0 {
                cells.push((cell_start, i));
                i += gap;
                cell_start = i;
            } else {
                i += 1;
            }
        }
        cells.push((cell_start, line.len()));
        for (from, to) in cells {
            let cell = &line[from..to];
            let trimmed_start = from + (cell.len() - cell.trim_start().len());
            let mut start = trimmed_start;
            let end = from + cell.trim_end().len();
            if start >= end {
                continue;
            }
            let mut heading = false;
            let mut bullet = false;
            let body = &line[start..end];
            if let Some(rest) = body.strip_prefix('#') {
                heading = true;
                start = end - rest.trim_start_matches('#').trim_start().len();
            } else if let Some(c) = body.chars().next().filter(|&c| is_bullet(c)) {
                let rest = &body[c.len_utf8()..];
                // `-2%` or `**bold**` is not a bullet; `- item` is.
                if rest.starts_with(' ') || !matches!(c, '-' | '*' | '+') {
                    bullet = true;
                    start = end - rest.trim_start().len();
                }
            } else if let Some(rest) = numbered(body) {
                bullet = true;
                start = end - rest.len();
            }
            let body = &line[start..end];
            let body_trim = body.trim_matches('*').trim();
            if body_trim.is_empty() {
                continue;
            }
            if !heading {
                heading = looks_like_heading(body_trim);
            }
            out.push(Segment { start: line_start + start, end: line_start + end, heading, bullet });
        }
    }
    out
}

/// `1. text` or `2) text`: the text.
fn numbered(body: &str) -> Option<&str> {
    let digits = body.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 3 {
        return None;
    }
    let rest = &body[digits..];
    let rest = rest.strip_prefix(". ").or_else(|| rest.strip_prefix(") "))?;
    Some(rest.trim_start())
}

/// Headings the sections of resumes and listings use.
const HEADINGS: &[&str] = &[
    "experience",
    "work experience",
    "professional experience",
    "employment",
    "summary",
    "profile",
    "about me",
    "objective",
    "education",
    "skills",
    "technical skills",
    "core skills",
    "key skills",
    "tools",
    "certifications",
    "projects",
    "languages",
    "interests",
    "requirements",
    "responsibilities",
    "qualifications",
    "preferred qualifications",
    "minimum qualifications",
    "basic qualifications",
    "nice to have",
    "about us",
    "about the role",
    "benefits",
    "what you'll do",
    "what you will do",
    "what we're looking for",
    "what we are looking for",
    "what you'll need",
    "what you need",
    "what you bring",
    "who you are",
    "about you",
    "your responsibilities",
    "bonus",
    "bonus points",
    "preferred",
    "nice to haves",
    "nice-to-have",
];

/// A short line with no sentence end: a known section name, a line in
/// capitals, or one ending in `:`.
fn looks_like_heading(line: &str) -> bool {
    let words = line.split_whitespace().count();
    if words == 0 || words > 6 || line.ends_with('.') {
        return false;
    }
    let bare = line.trim_end_matches(':').trim().to_lowercase().replace('’', "'");
    if HEADINGS.contains(&bare.as_str()) {
        return true;
    }
    let letters: Vec<char> = line.chars().filter(|c| c.is_alphabetic()).collect();
    let shouting = letters.len() >= 4 && letters.iter().all(|c| !c.is_lowercase());
    (line.ends_with(':') && words <= 6) || (shouting && words <= 4)
}

/// Joins a segment to the next when the text wraps: it does not end a
/// sentence and the next line goes on in lowercase, not as a bullet or
/// heading.
fn join_wrapped(text: &str, segments: Vec<Segment>) -> Vec<Segment> {
    let mut out: Vec<Segment> = Vec::with_capacity(segments.len());
    for segment in segments {
        if let Some(last) = out.last_mut() {
            let prev = &text[last.start..last.end];
            let next = &text[segment.start..segment.end];
            let same_line = !text[last.end..segment.start].contains('\n');
            let wraps = !same_line
                && !last.heading
                && !segment.heading
                && !segment.bullet
                && !prev.ends_with(['.', '!', '?', ':', ';'])
                && next.chars().next().is_some_and(char::is_lowercase)
                && segment.end - last.start <= MAX_SENTENCE_BYTES;
            if wraps {
                last.end = segment.end;
                continue;
            }
        }
        out.push(segment);
    }
    out
}

/// Abbreviations a sentence does not end at.
const ABBREVIATIONS: &[&str] =
    &["e.g", "i.e", "etc", "inc", "ltd", "corp", "co", "dr", "mr", "ms", "mrs", "vs", "approx", "jr", "sr", "st"];

/// The sentences of one segment: split after `.`, `!` or `?` followed by a
/// space and a capital or digit, not after an abbreviation; long ones cut
/// at a space.
fn split_sentences(text: &str, start: usize, end: usize) -> Vec<(usize, usize)> {
    let body = &text[start..end];
    let mut out = Vec::new();
    let mut from = 0;
    for (i, c) in body.char_indices() {
        if !matches!(c, '.' | '!' | '?') {
            continue;
        }
        let after = &body[i + 1..];
        let next_word = after.trim_start();
        let spaced = after.starts_with([' ', '\n']);
        let capital = next_word.chars().next().is_some_and(|n| n.is_uppercase() || n.is_ascii_digit());
        let word_before = body[from..i].rsplit(|ch: char| !ch.is_alphanumeric() && ch != '.').next().unwrap_or("");
        let abbreviation = ABBREVIATIONS.contains(&word_before.to_lowercase().as_str());
        if spaced && capital && !abbreviation {
            out.push((from, i + 1));
            from = i + 1 + (after.len() - next_word.len());
        }
    }
    out.push((from, body.len()));
    let mut bounded = Vec::new();
    for (mut s, e) in out {
        while e - s > MAX_SENTENCE_BYTES {
            let mut cut = s + MAX_SENTENCE_BYTES;
            while !body.is_char_boundary(cut) {
                cut -= 1;
            }
            let at = body[s..cut].rfind(' ').map_or(cut, |k| s + k);
            let at = if at <= s { cut } else { at };
            bounded.push((s, at));
            s = at + body[at..].len() - body[at..].trim_start().len();
        }
        bounded.push((s, e));
    }
    bounded
        .into_iter()
        .filter_map(|(s, e)| {
            let piece = &body[s..e];
            let lead = piece.len() - piece.trim_start().len();
            let trimmed = piece.trim();
            (!trimmed.is_empty()).then(|| (start + s + lead, start + s + lead + trimmed.len()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quotes(text: &str) -> Vec<&str> {
        sentences(text).iter().map(|s| s.text(text)).collect()
    }

    #[test]
    fn bullets_cells_and_headings_are_told_apart() {
        let text = "EXPERIENCE\n- Led 4 teams. Ran the weekly review.\n• Jira, Confluence\n| Skill | Years |\nA\tB\n## Skills\n1. Scoped it e.g. Wiki pages.";
        assert_eq!(
            quotes(text),
            [
                "EXPERIENCE",
                "Led 4 teams.",
                "Ran the weekly review.",
                "Jira, Confluence",
                "Skill",
                "Years",
                "A",
                "B",
                "Skills",
                "Scoped it e.g. Wiki pages."
            ]
        );
        let s = sentences(text);
        assert_eq!(s[0].shape, Shape::Heading);
        assert_eq!(s[1].section.as_deref(), Some("experience"));
        assert_eq!(s[9].section.as_deref(), Some("skills"));
    }

    #[test]
    fn wrapped_lines_join_and_columns_split() {
        let text = "Drove the migration of 40 services\nacross 6 teams over 18 months.\nLed hiring            Owned the roadmap";
        assert_eq!(
            quotes(text),
            ["Drove the migration of 40 services\nacross 6 teams over 18 months.", "Led hiring", "Owned the roadmap"]
        );
    }

    #[test]
    fn every_sentence_is_a_verbatim_slice_and_bounded() {
        let text = format!("Zürich — “quoted” café. {}\n", "word ".repeat(1000));
        for s in sentences(&text) {
            assert!(s.end - s.start <= MAX_SENTENCE_BYTES);
            assert!(text.get(s.start..s.end).is_some());
        }
        let many = "x.\n".repeat(MAX_SENTENCES * 2);
        assert_eq!(sentences(&many).len(), MAX_SENTENCES);
        assert!(sentences_bounded(&many).1, "the cap is said");
        let exactly = "x.\n".repeat(MAX_SENTENCES);
        let (all, cut) = sentences_bounded(&exactly);
        assert_eq!((all.len(), cut), (MAX_SENTENCES, false), "exactly the cap is not cut");
    }
}
