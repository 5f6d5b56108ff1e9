//! Plan diagnostics for people (source excerpts with the fault underlined)
//! and for machines (JSON).

use std::io::IsTerminal;

use codespan_reporting::diagnostic::{Diagnostic as Report, Label, LabelStyle, Severity as ReportSeverity};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::{self, Config, termcolor};
use linchpin_analysis::view::check::{Locate, Position};
use linchpin_model::{Diagnostic, Origin, Severity, Span};
use linchpin_plan::Sources;

fn files(sources: &Sources) -> SimpleFiles<String, &str> {
    let mut files = SimpleFiles::new();
    for file in sources.files() {
        files.add(file.path().display().to_string(), file.text.as_str());
    }
    files
}

/// The span an origin points at: loading turned every origin into one.
fn span(origin: Origin) -> Option<Span> {
    match origin {
        Origin::Span(span) => Some(span),
        Origin::Unknown | Origin::Field(_) => None,
    }
}

fn report(diagnostic: &Diagnostic) -> Report<usize> {
    let severity = match diagnostic.severity {
        Severity::Error => ReportSeverity::Error,
        Severity::Warning => ReportSeverity::Warning,
    };
    let mut labels = Vec::new();
    if let Some(span) = span(diagnostic.origin) {
        labels.push(Label::new(LabelStyle::Primary, span.source.index(), span.range()).with_message(&diagnostic.label));
    }
    for (related, note) in &diagnostic.related {
        if let Some(span) = span(*related) {
            labels.push(Label::new(LabelStyle::Secondary, span.source.index(), span.range()).with_message(note));
        }
    }
    let mut notes = Vec::new();
    if !diagnostic.field.is_empty() {
        notes.push(format!("field: {}", diagnostic.field));
    }
    if let Some(help) = &diagnostic.help {
        notes.push(format!("help: {help}"));
    }
    Report::new(severity)
        .with_code(diagnostic.code.as_str())
        .with_message(&diagnostic.message)
        .with_labels(labels)
        .with_notes(notes)
}

/// Writes every diagnostic to stderr, in colour on a terminal.
pub fn print(sources: &Sources, diagnostics: &[Diagnostic]) {
    let files = files(sources);
    let config = Config::default();
    let color = if std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none() {
        termcolor::ColorChoice::Auto
    } else {
        termcolor::ColorChoice::Never
    };
    let stream = termcolor::StandardStream::stderr(color);
    let mut lock = stream.lock();
    for diagnostic in diagnostics {
        // A failed write to stderr leaves nothing better to do than go on.
        let _ = term::emit_to_write_style(&mut lock, &config, &files, &report(diagnostic));
    }
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
