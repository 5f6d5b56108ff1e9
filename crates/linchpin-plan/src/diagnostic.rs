//! Problems found in a plan, each pointing at the text that caused it.

use crate::source::Span;

/// How bad a problem is. Errors make `linchpin check` fail; warnings do not.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// One problem in a plan: what is wrong, where, and how to fix it.
#[derive(Clone, Debug, PartialEq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// A stable, kebab-case name for the kind of problem, e.g. `unknown-reference`.
    pub code: &'static str,
    pub message: String,
    /// The text at fault.
    pub span: Span,
    /// A short note under the underlined text.
    pub label: String,
    /// The key path of the offending field, e.g. `items[PAY-3].depends[0]`.
    pub field: String,
    /// How to fix it, when there is something to suggest.
    pub help: Option<String>,
    /// Other places that explain the problem (the first definition of a
    /// duplicate id, the rest of a cycle).
    pub related: Vec<(Span, String)>,
}

impl Diagnostic {
    pub fn error(code: &'static str, span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            span,
            label: String::new(),
            field: String::new(),
            help: None,
            related: Vec::new(),
        }
    }

    pub fn warning(code: &'static str, span: Span, message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Warning, ..Self::error(code, span, message) }
    }

    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = label.into();
        self
    }

    pub fn with_field(mut self, field: impl Into<String>) -> Self {
        self.field = field.into();
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_help_opt(mut self, help: Option<String>) -> Self {
        self.help = help;
        self
    }

    pub fn with_related(mut self, span: Span, note: impl Into<String>) -> Self {
        self.related.push((span, note.into()));
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Sorts diagnostics by file and position, so output reads top to bottom.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by_key(|d| (d.span.file, d.span.start, d.span.end));
}

/// The closest of `candidates` to `input`, when it is close enough to be the
/// likely intent (a typo, a letter case slip, a swapped pair).
pub fn did_you_mean<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let lowered = input.to_lowercase();
    let mut best: Option<(f64, &str)> = None;
    for candidate in candidates {
        let score = strsim::jaro_winkler(&lowered, &candidate.to_lowercase());
        let edits = strsim::damerau_levenshtein(&lowered, &candidate.to_lowercase());
        // One letter off a one-letter id is no evidence of a typo.
        let shares_something = edits < candidate.chars().count().max(lowered.chars().count());
        let close = shares_something && (edits <= (candidate.chars().count() / 3).max(1) || score >= 0.88);
        if close && best.is_none_or(|(b, _)| score > b) {
            best = Some((score, candidate));
        }
    }
    best.map(|(_, candidate)| candidate)
}

#[cfg(test)]
mod tests {
    use super::did_you_mean;

    #[test]
    fn suggests_close_names_only() {
        let teams = ["payments", "ledger", "checkout"];
        assert_eq!(did_you_mean("paymnets", teams), Some("payments"));
        assert_eq!(did_you_mean("Ledger", teams), Some("ledger"));
        assert_eq!(did_you_mean("dependz", ["depends", "title"]), Some("depends"));
        assert_eq!(did_you_mean("marketing", teams), None);
    }
}
