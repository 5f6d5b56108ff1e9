//! What `linchpin check --format json` prints: every problem, where it is
//! in the front end's own terms, and what the plan holds.

use linchpin_model::{Diagnostic, Origin, Program};
use serde::Serialize;

/// Where an origin is, as a front end tells it: a file's lines and
/// columns (1-based), and the text there.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Position {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
}

/// Turns origins into positions and the text at them.
pub trait Locate {
    fn position(&self, origin: Origin) -> Option<Position>;
    fn snippet(&self, origin: Origin) -> &str;
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RelatedView {
    #[serde(flatten)]
    pub position: Position,
    pub note: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DiagnosticView {
    pub severity: &'static str,
    pub code: &'static str,
    pub message: String,
    #[serde(flatten)]
    pub position: Position,
    pub field: String,
    /// The offending text.
    pub snippet: String,
    pub label: String,
    pub help: Option<String>,
    pub related: Vec<RelatedView>,
}

impl DiagnosticView {
    pub fn new(locate: &dyn Locate, d: &Diagnostic) -> Self {
        let position = |origin| locate.position(origin).unwrap_or_default();
        DiagnosticView {
            severity: d.severity.as_str(),
            code: d.code.as_str(),
            message: d.message.clone(),
            position: position(d.origin),
            field: d.field.clone(),
            snippet: locate.snippet(d.origin).to_owned(),
            label: d.label.clone(),
            help: d.help.clone(),
            related: d
                .related
                .iter()
                .map(|(o, note)| RelatedView { position: position(*o), note: note.clone() })
                .collect(),
        }
    }
}

/// How much of each kind a program holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub teams: usize,
    pub items: usize,
    pub dependencies: usize,
    pub milestones: usize,
    pub systems: usize,
    pub interfaces: usize,
    pub risks: usize,
    pub decisions: usize,
    /// Groups of work; only when the plan has any.
    #[serde(skip_serializing_if = "is_zero")]
    pub groups: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

impl Counts {
    pub fn new(program: &Program) -> Self {
        Counts {
            teams: program.teams().len(),
            items: program.items().len(),
            dependencies: program.items().iter().map(|i| i.depends.len()).sum(),
            milestones: program.milestones().len(),
            systems: program.systems().len(),
            interfaces: program.interfaces().len(),
            risks: program.risks().len(),
            decisions: program.decisions().len(),
            groups: program.groups().len(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CheckView {
    pub ok: bool,
    pub errors: usize,
    pub warnings: usize,
    pub diagnostics: Vec<DiagnosticView>,
    /// What the plan holds, when it has no error.
    pub counts: Option<Counts>,
}

impl CheckView {
    pub fn new(locate: &dyn Locate, diagnostics: &[Diagnostic], program: Option<&Program>) -> Self {
        let errors = diagnostics.iter().filter(|d| d.is_error()).count();
        CheckView {
            ok: errors == 0,
            errors,
            warnings: diagnostics.len() - errors,
            diagnostics: diagnostics.iter().map(|d| DiagnosticView::new(locate, d)).collect(),
            counts: program.map(Counts::new),
        }
    }
}
