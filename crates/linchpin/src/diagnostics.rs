//! Plan diagnostics for people (source excerpts with the fault underlined)
//! and for machines (JSON).

use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::ops::Range;

use codespan_reporting::diagnostic::{Diagnostic as Report, Label, LabelStyle, Severity as ReportSeverity};
use codespan_reporting::files::{self, Error as FilesError};
use codespan_reporting::term::{self, Config, termcolor};
use linchpin_analysis::view::check::{Locate, Position};
use linchpin_model::{Diagnostic, Origin, Severity, Span};
use linchpin_plan::{SourceFile, Sources};

use crate::text::{self, MARKER, SOURCE_WIDTH, TEXT_WIDTH};

/// The span an origin points at: loading turned every origin into one.
fn span(origin: Origin) -> Option<Span> {
    match origin {
        Origin::Span(span) => Some(span),
        Origin::Unknown | Origin::Field(_) => None,
    }
}

/// The lines of the plan one diagnostic quotes, as codespan-reporting is
/// given them: escaped (a control character in the file is shown, not
/// obeyed), a line wider than `SOURCE_WIDTH` cut to a window around what
/// it points at, with `…` where it was cut; and the file's own line and
/// column numbers, as `check --format json` gives them.
struct Excerpt<'a> {
    files: Vec<Quoted<'a>>,
}

/// One file's quoted lines.
struct Quoted<'a> {
    file: &'a SourceFile,
    name: String,
    /// The shown lines, each ending in a line feed.
    text: String,
    /// By line index in the file.
    lines: Vec<Shown>,
    /// Where each label starts, in `text` and in the file, so the heading
    /// names the label's own column even when it starts before a window.
    starts: Vec<(usize, usize)>,
}

/// One line of a file as shown.
struct Shown {
    /// Its index in the file.
    index: usize,
    /// What is shown, in `Quoted::text`, without the line feed.
    range: Range<usize>,
    /// The bytes of the file's line shown: `from..to`.
    from: usize,
    to: usize,
    /// Bytes of marker before the text of the file.
    prefix: usize,
}

/// Lines of a multi-line label that codespan-reporting shows after its
/// first line (its `start_context_lines`), and one more either side of
/// every shown line, for the single line it prints to join two others.
const CONTEXT_AFTER_START: usize = 3 + 1;
const CONTEXT_BEFORE_END: usize = 1 + 1;
/// Columns kept before what a cut line points at.
const LEAD: usize = SOURCE_WIDTH / 4;

/// The bytes a character of the file takes in a quoted line: a tab stays
/// (codespan-reporting writes it as spaces), anything else unsafe is escaped.
fn quoted_len(c: char) -> usize {
    if c == '\t' { 1 } else { text::escaped_len(c) }
}

/// The columns a character takes in a quoted line (a tab at most four).
fn columns(c: char) -> usize {
    match c {
        '\t' => 4,
        c if text::is_unsafe(c) => text::escaped_len(c),
        c => unicode_width::UnicodeWidthChar::width(c).unwrap_or(0),
    }
}

impl<'a> Quoted<'a> {
    fn new(file: &'a SourceFile, spans: &[Range<usize>]) -> Self {
        // The lines to quote, each with whether its text is shown (the
        // middle of a long multi-line label never is) and where the first
        // label on it starts.
        let last = file.line_starts().len() - 1;
        let mut wanted: BTreeMap<usize, (bool, Option<usize>)> = BTreeMap::new();
        for span in spans {
            let (first, end) = (line_of(file, span.start), line_of(file, span.end));
            for line in first.saturating_sub(1)..=(end + 1).min(last) {
                let entry = wanted.entry(line).or_insert((false, None));
                entry.0 |= line <= first + CONTEXT_AFTER_START || line + CONTEXT_BEFORE_END >= end;
                if line == first {
                    entry.1 = Some(entry.1.map_or(span.start, |at| at.min(span.start)));
                }
            }
        }
        let mut quoted = Quoted {
            file,
            name: text::escape(&file.path().to_string_lossy()).into_owned(),
            text: String::new(),
            lines: Vec::with_capacity(wanted.len()),
            starts: Vec::new(),
        };
        for (index, (shown, focus)) in wanted {
            let (from, to, prefix, suffix) = if shown {
                window(file, index, focus)
            } else {
                let start = file.line_starts()[index];
                (start, start, false, false)
            };
            let begin = quoted.text.len();
            if prefix {
                quoted.text.push(MARKER);
            }
            let prefix = quoted.text.len() - begin;
            for c in file.text[from..to].chars() {
                if c == '\t' {
                    quoted.text.push(c);
                } else {
                    text::push(&mut quoted.text, c);
                }
            }
            if suffix {
                quoted.text.push(MARKER);
            }
            quoted.lines.push(Shown { index, range: begin..quoted.text.len(), from, to, prefix });
            quoted.text.push('\n');
        }
        quoted
    }

    fn shown(&self, line_index: usize) -> Option<&Shown> {
        self.lines.binary_search_by_key(&line_index, |l| l.index).ok().map(|i| &self.lines[i])
    }

    /// Where an offset of the file is in the quoted text.
    fn map(&self, offset: usize) -> usize {
        let Some(line) = self.shown(line_of(self.file, offset)) else { return self.text.len() };
        if offset < line.from {
            line.range.start
        } else if offset > line.to {
            line.range.end
        } else {
            let shown: usize = self.file.text[line.from..offset].chars().map(quoted_len).sum();
            line.range.start + line.prefix + shown
        }
    }

    /// Where an offset of the quoted text is in the file.
    fn unmap(&self, line: &Shown, offset: usize) -> usize {
        if let Some(&(_, original)) = self.starts.iter().find(|(shown, _)| *shown == offset) {
            return original;
        }
        let mut at = line.range.start + line.prefix;
        for (i, c) in self.file.text[line.from..line.to].char_indices() {
            if at >= offset {
                return line.from + i;
            }
            at += quoted_len(c);
        }
        line.to
    }

    /// The quoted range of a span of the file, its start remembered.
    fn label(&mut self, span: &Range<usize>) -> Range<usize> {
        let range = self.map(span.start)..self.map(span.end);
        self.starts.push((range.start, span.start));
        range
    }
}

/// The line of the file an offset is on.
fn line_of(file: &SourceFile, offset: usize) -> usize {
    file.line_starts().partition_point(|&start| start <= offset).saturating_sub(1)
}

/// The bytes of line `index` to show, and whether it was cut before and
/// after them. A line that fits is shown whole; a longer one from a little
/// before `focus`, as far as fits. Work is bounded by `SOURCE_WIDTH`.
fn window(file: &SourceFile, index: usize, focus: Option<usize>) -> (usize, usize, bool, bool) {
    let starts = file.line_starts();
    let start = starts[index];
    let mut end = starts.get(index + 1).map_or(file.text.len(), |&next| next - 1);
    if end > start && file.text.as_bytes()[end - 1] == b'\r' && end < file.text.len() {
        end -= 1;
    }
    let line = &file.text[start..end];
    let mut used = 0;
    if line.chars().all(|c| {
        used += columns(c);
        used <= SOURCE_WIDTH
    }) {
        return (start, end, false, false);
    }
    // Room for a marker at each end.
    let room = SOURCE_WIDTH - 2;
    let focus = focus.unwrap_or(start).clamp(start, end);
    let mut from = focus;
    let mut lead = 0;
    for (i, c) in file.text[start..focus].char_indices().rev() {
        lead += columns(c);
        if lead > LEAD {
            break;
        }
        from = start + i;
    }
    let mut to = from;
    let mut used = 0;
    for (i, c) in file.text[from..end].char_indices() {
        used += columns(c);
        if used > room {
            break;
        }
        to = from + i + c.len_utf8();
    }
    (from, to, from > start, to < end)
}

impl<'a> files::Files<'a> for Excerpt<'_> {
    type FileId = usize;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, id: usize) -> Result<&'a str, FilesError> {
        Ok(&self.files.get(id).ok_or(FilesError::FileMissing)?.name)
    }

    fn source(&'a self, id: usize) -> Result<&'a str, FilesError> {
        Ok(&self.files.get(id).ok_or(FilesError::FileMissing)?.text)
    }

    fn line_index(&'a self, id: usize, byte_index: usize) -> Result<usize, FilesError> {
        let quoted = self.files.get(id).ok_or(FilesError::FileMissing)?;
        let at = quoted.lines.partition_point(|l| l.range.start <= byte_index).saturating_sub(1);
        Ok(quoted.lines.get(at).map_or(0, |l| l.index))
    }

    fn line_range(&'a self, id: usize, line_index: usize) -> Result<Range<usize>, FilesError> {
        let quoted = self.files.get(id).ok_or(FilesError::FileMissing)?;
        let line = quoted
            .shown(line_index)
            .ok_or(FilesError::LineTooLarge { given: line_index, max: quoted.file.line_starts().len() - 1 })?;
        Ok(line.range.start..line.range.end + 1)
    }

    fn column_number(&'a self, id: usize, line_index: usize, byte_index: usize) -> Result<usize, FilesError> {
        let quoted = self.files.get(id).ok_or(FilesError::FileMissing)?;
        let line = quoted.shown(line_index).ok_or(FilesError::LineTooLarge { given: line_index, max: 0 })?;
        Ok(quoted.file.line_column(quoted.unmap(line, byte_index)).1)
    }
}

/// A diagnostic as codespan-reporting renders it, with the excerpt of the
/// plan it quotes. Every text in it is escaped; its words are at most
/// `TEXT_WIDTH` columns.
fn report<'a>(sources: &'a Sources, diagnostic: &Diagnostic) -> (Excerpt<'a>, Report<usize>) {
    let severity = match diagnostic.severity {
        Severity::Error => ReportSeverity::Error,
        Severity::Warning => ReportSeverity::Warning,
    };
    let prose = |s: &str| text::prose(s, TEXT_WIDTH).into_owned();
    // Each label: its style, its file, its bytes (whole characters) and message.
    let mut places: Vec<(LabelStyle, usize, Range<usize>, &str)> = Vec::new();
    let primary = span(diagnostic.origin).map(|span| (LabelStyle::Primary, span, diagnostic.label.as_str()));
    let related =
        diagnostic.related.iter().filter_map(|(o, note)| Some((LabelStyle::Secondary, span(*o)?, note.as_str())));
    for (style, span, message) in primary.into_iter().chain(related) {
        if let Some(file) = sources.files().get(span.source.index()) {
            let (start, end) = file.snap(span.start as usize, span.end as usize);
            places.push((style, span.source.index(), start..end, message));
        }
    }
    // The files the labels are in, in order of first mention.
    let mut in_files: Vec<usize> = Vec::new();
    for (_, source, _, _) in &places {
        if !in_files.contains(source) {
            in_files.push(*source);
        }
    }
    let mut excerpt = Excerpt {
        files: in_files
            .iter()
            .map(|&source| {
                let spans: Vec<Range<usize>> = places.iter().filter(|p| p.1 == source).map(|p| p.2.clone()).collect();
                Quoted::new(&sources.files()[source], &spans)
            })
            .collect(),
    };
    let labels = places
        .iter()
        .map(|(style, source, range, message)| {
            let id = in_files.iter().position(|s| s == source).unwrap_or(0);
            Label::new(*style, id, excerpt.files[id].label(range)).with_message(prose(message))
        })
        .collect();
    let mut notes = Vec::new();
    if !diagnostic.field.is_empty() {
        notes.push(format!("field: {}", prose(&diagnostic.field)));
    }
    if let Some(help) = &diagnostic.help {
        notes.push(format!("help: {}", prose(help)));
    }
    let report = Report::new(severity)
        .with_code(diagnostic.code.as_str())
        .with_message(prose(&diagnostic.message))
        .with_labels(labels)
        .with_notes(notes);
    (excerpt, report)
}

/// Diagnostics shown in text before the rest are only counted: nobody reads
/// more, and a hostile plan of a million bad references would otherwise
/// write hundreds of megabytes (JSON still lists every one).
pub const SHOWN_LIMIT: usize = 500;

/// Writes the diagnostics to stderr, in colour on a terminal: the first
/// [`SHOWN_LIMIT`] in full, then a count of the rest.
pub fn print(sources: &Sources, diagnostics: &[Diagnostic]) {
    let config = Config::default();
    let color = if std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none() {
        termcolor::ColorChoice::Auto
    } else {
        termcolor::ColorChoice::Never
    };
    // Buffered: the renderer writes a character at a time, and stderr
    // unbuffered made 20,000 diagnostics cost a system call per character.
    let mut stream = termcolor::BufferedStandardStream::stderr(color);
    for diagnostic in diagnostics.iter().take(SHOWN_LIMIT) {
        let (excerpt, report) = report(sources, diagnostic);
        // A failed write to stderr leaves nothing better to do than go on.
        let _ = term::emit_to_write_style(&mut stream, &config, &excerpt, &report);
    }
    if let Some(rest) = diagnostics.get(SHOWN_LIMIT..).filter(|rest| !rest.is_empty()) {
        let (errors, warnings) = summary(rest);
        let _ = writeln!(
            stream,
            "... and {} more not shown ({}, {}); `linchpin check --format json` lists every one\n",
            linchpin_model::diagnostic::grouped(rest.len() as u64),
            plural(errors, "error"),
            plural(warnings, "warning"),
        );
    }
    let _ = stream.flush();
}

/// One line counting errors and warnings.
pub fn summary(diagnostics: &[Diagnostic]) -> (usize, usize) {
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    (errors, diagnostics.len() - errors)
}

pub fn plural(n: usize, word: &str) -> String {
    if n == 1 { format!("{n} {word}") } else { format!("{n} {word}s") }
}

/// The loaded files, telling where an origin is, for the JSON view.
pub struct Files<'a>(pub &'a Sources);

impl Locate for Files<'_> {
    fn position(&self, origin: Origin) -> Option<Position> {
        let span = span(origin)?;
        let file = self.0.get(span.source);
        let (line, column) = file.line_column(span.start as usize);
        let (end_line, end_column) = file.line_column(span.end as usize);
        Some(Position { file: file.path().display().to_string(), line, column, end_line, end_column })
    }

    fn snippet(&self, origin: Origin) -> &str {
        span(origin).map_or("", |s| self.0.snippet(s))
    }
}

#[cfg(test)]
mod tests {
    use codespan_reporting::files::SimpleFiles;

    use super::*;

    /// Every diagnostic of a plan as our excerpts render it, and as
    /// codespan-reporting renders the whole files.
    fn both(text: &str) -> (String, String) {
        let plan = linchpin_plan::load_yaml_str("plan.yaml", text);
        let mut files = SimpleFiles::new();
        for file in plan.sources.files() {
            files.add(file.path().display().to_string(), file.text.as_str());
        }
        let config = Config::default();
        let (mut ours, mut whole) = (String::new(), String::new());
        for diagnostic in &plan.diagnostics {
            let (excerpt, report) = report(&plan.sources, diagnostic);
            ours.push_str(&term::emit_into_string(&config, &excerpt, &report).expect("renders"));
            whole.push_str(&term::emit_into_string(&config, &files, &report_of_whole(diagnostic)).expect("renders"));
        }
        (ours, whole)
    }

    /// The diagnostic with its labels on the files as they are.
    fn report_of_whole(diagnostic: &Diagnostic) -> Report<usize> {
        let mut labels = Vec::new();
        if let Some(span) = span(diagnostic.origin) {
            labels.push(Label::primary(span.source.index(), span.range()).with_message(&diagnostic.label));
        }
        for (related, note) in &diagnostic.related {
            if let Some(span) = span(*related) {
                labels.push(Label::secondary(span.source.index(), span.range()).with_message(note));
            }
        }
        let mut notes = Vec::new();
        if !diagnostic.field.is_empty() {
            notes.push(format!("field: {}", diagnostic.field));
        }
        if let Some(help) = &diagnostic.help {
            notes.push(format!("help: {help}"));
        }
        let severity = if diagnostic.is_error() { ReportSeverity::Error } else { ReportSeverity::Warning };
        Report::new(severity)
            .with_code(diagnostic.code.as_str())
            .with_message(&diagnostic.message)
            .with_labels(labels)
            .with_notes(notes)
    }

    #[test]
    fn a_clean_plan_is_quoted_exactly_as_from_the_whole_file() {
        let mut long_label =
            String::from("program: { name: X, start: 2027-01-11 }\nmilestones:\n  - id: M\n    target:\n");
        for i in 0..30 {
            long_label.push_str(&format!("      k{i}: {i}\n"));
        }
        for text in [
            include_str!("../tests/fixtures/broken.yaml"),
            "program: { name: X, start: 2027-01-11 }\r\nteams: [{ id: t, capacity: 1 }]\r\nitems:\r\n  - { id: A, title: \"a\tb\", team: q, estimate: 1, depends: [A] }\r\n",
            &long_label,
            "",
        ] {
            let (ours, whole) = both(text);
            assert!(!ours.is_empty());
            assert_eq!(ours, whole);
        }
    }

    #[test]
    fn control_characters_in_a_quoted_line_are_escaped_in_place() {
        let (ours, _) = both(
            "program: { name: X, start: 2027-01-11 }\nteams: [{ id: t, capacity: 1 }]\nitems:\n  - { id: \"\x1b[2J\u{202e}\", title: a, team: q, estimate: 1 }\n",
        );
        assert!(ours.contains("┌─ plan.yaml:4:36"), "the file's own column, not the escaped one:\n{ours}");
        assert!(ours.contains(r#"  - { id: "\u{1b}[2J\u{202e}", title: a, team: q, estimate: 1 }"#), "{ours}");
        let carets = ours.lines().find(|l| l.contains('^')).expect("carets");
        let quoted = ours.lines().find(|l| l.contains("team: q")).expect("the line");
        assert_eq!(carets.find('^'), quoted.find("q,"), "{ours}");
    }
}
