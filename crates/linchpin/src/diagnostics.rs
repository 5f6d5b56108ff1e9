//! Plan diagnostics for people (source excerpts with the fault underlined)
//! and for machines (JSON).

use std::io::IsTerminal;

use codespan_reporting::diagnostic::{Diagnostic as Report, Label, LabelStyle, Severity as ReportSeverity};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::{self, Config, termcolor};
use linchpin_plan::{Diagnostic, Severity, Sources};
use serde::Serialize;

fn files(sources: &Sources) -> SimpleFiles<String, &str> {
    let mut files = SimpleFiles::new();
    for file in sources.files() {
        files.add(file.path().display().to_string(), file.text.as_str());
    }
    files
}

fn report(diagnostic: &Diagnostic) -> Report<usize> {
    let severity = match diagnostic.severity {
        Severity::Error => ReportSeverity::Error,
        Severity::Warning => ReportSeverity::Warning,
    };
    let span = diagnostic.span;
    let mut labels =
        vec![Label::new(LabelStyle::Primary, span.file.index(), span.start..span.end).with_message(&diagnostic.label)];
    for (related, note) in &diagnostic.related {
        labels.push(
            Label::new(LabelStyle::Secondary, related.file.index(), related.start..related.end).with_message(note),
        );
    }
    let mut notes = Vec::new();
    if !diagnostic.field.is_empty() {
        notes.push(format!("field: {}", diagnostic.field));
    }
    if let Some(help) = &diagnostic.help {
        notes.push(format!("help: {help}"));
    }
    Report::new(severity)
        .with_code(diagnostic.code)
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

#[derive(Serialize)]
pub struct JsonPosition {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
}

#[derive(Serialize)]
pub struct JsonRelated {
    #[serde(flatten)]
    pub position: JsonPosition,
    pub note: String,
}

#[derive(Serialize)]
pub struct JsonDiagnostic {
    pub severity: &'static str,
    pub code: &'static str,
    pub message: String,
    #[serde(flatten)]
    pub position: JsonPosition,
    pub field: String,
    /// The offending text.
    pub snippet: String,
    pub label: String,
    pub help: Option<String>,
    pub related: Vec<JsonRelated>,
}

fn position(sources: &Sources, span: linchpin_plan::Span) -> JsonPosition {
    let file = sources.get(span.file);
    let (line, column) = file.line_column(span.start);
    let (end_line, end_column) = file.line_column(span.end);
    JsonPosition { file: file.path().display().to_string(), line, column, end_line, end_column }
}

pub fn to_json(sources: &Sources, diagnostic: &Diagnostic) -> JsonDiagnostic {
    JsonDiagnostic {
        severity: diagnostic.severity.as_str(),
        code: diagnostic.code,
        message: diagnostic.message.clone(),
        position: position(sources, diagnostic.span),
        field: diagnostic.field.clone(),
        snippet: sources.snippet(diagnostic.span).to_owned(),
        label: diagnostic.label.clone(),
        help: diagnostic.help.clone(),
        related: diagnostic
            .related
            .iter()
            .map(|(span, note)| JsonRelated { position: position(sources, *span), note: note.clone() })
            .collect(),
    }
}
