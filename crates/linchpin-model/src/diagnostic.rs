//! Problems found in what a front end read, each pointing at where it came
//! from, with how to fix it.

use crate::origin::Origin;

/// How bad a problem is. Errors make `linchpin check` fail and keep the
/// program from being built; warnings do not.
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

macro_rules! codes {
    ($( $(#[$doc:meta])* $variant:ident = $text:literal, )*) => {
        /// The kind of a problem, with a stable kebab-case name users and
        /// scripts can rely on (`docs/cli.md` lists them all).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $( $(#[$doc])* $variant, )*
        }

        impl Code {
            pub const ALL: &'static [Code] = &[$(Code::$variant),*];

            pub fn as_str(self) -> &'static str {
                match self {
                    $( Code::$variant => $text, )*
                }
            }
        }
    };
}

codes! {
    /// The file is not valid YAML.
    YamlSyntax = "yaml-syntax",
    /// The file is not UTF-8 text.
    NotUtf8 = "not-utf8",
    /// Nesting deeper than the parser allows.
    TooDeep = "too-deep",
    /// More values than the parser allows, once aliases are expanded.
    TooLarge = "too-large",
    /// A file holds more than one YAML document.
    MultipleDocuments = "multiple-documents",
    /// A field (or column) the format does not have.
    UnknownField = "unknown-field",
    /// A required field is absent.
    MissingField = "missing-field",
    /// The same field twice in one mapping.
    DuplicateField = "duplicate-field",
    /// A value of the wrong type: text where a number is expected.
    WrongType = "wrong-type",
    /// A word outside a fixed vocabulary.
    UnknownValue = "unknown-value",
    /// An id that names nothing.
    UnknownReference = "unknown-reference",
    /// Two entities of a kind share an id.
    DuplicateId = "duplicate-id",
    /// Items that wait on each other in a loop.
    DependencyCycle = "dependency-cycle",
    /// Estimate points out of order, or negative.
    ImpossibleEstimate = "impossible-estimate",
    /// Two dates in the wrong order.
    DatesOutOfOrder = "dates-out-of-order",
    /// A date too far from the program start to be meant.
    ImplausibleDate = "implausible-date",
    /// A date outside the years 1900 to 9999.
    DateOutOfRange = "date-out-of-range",
    /// A range of dates too long to be meant (a holiday over a year).
    DateRange = "date-range",
    /// An actual date after the status date.
    ActualAfterStatusDate = "actual-after-status-date",
    /// Actual dates without a status date.
    ActualWithoutStatusDate = "actual-without-status-date",
    /// A team or capacity change with fewer than one person.
    CapacityNotPositive = "capacity-not-positive",
    /// An item needs more people than its team ever has.
    ExceedsCapacity = "exceeds-capacity",
    /// A number outside its range.
    OutOfRange = "out-of-range",
    /// A link the schedulers cannot keep: a calendar-day lag on a
    /// start-to-start or finish-to-finish link.
    UnsupportedLink = "unsupported-link",
    /// A CSV row with the wrong number of fields.
    RaggedRow = "ragged-row",
    /// A CSV file with broken quoting.
    CsvSyntax = "csv-syntax",
    /// No `program` section.
    MissingProgram = "missing-program",
    /// More than one `program` section.
    DuplicateProgram = "duplicate-program",
    /// A calendar with no working weekday.
    NoWorkingDays = "no-working-days",
    /// A status update names both a team and an item.
    AmbiguousUpdate = "ambiguous-update",
    /// An accepted finding's id is not `kind:subject`, its subject is ambiguous, or it is
    /// qualified with a kind of thing the finding cannot be about.
    BadFindingId = "bad-finding-id",
    /// More than one `baseline` section.
    DuplicateBaseline = "duplicate-baseline",
    /// A finding threshold set twice.
    DuplicateSetting = "duplicate-setting",
    /// Warning: an item with no estimate.
    NoEstimate = "no-estimate",
    /// Warning: a done item with no actual finish.
    DoneWithoutFinish = "done-without-finish",
    /// Warning: a status that contradicts the actual dates.
    StatusContradictsActuals = "status-contradicts-actuals",
    /// Warning: remaining work on an item not in progress.
    RemainingNotInProgress = "remaining-not-in-progress",
    /// Warning: an actual date before the program start.
    ActualBeforeStart = "actual-before-start",
    /// Warning: an agreed date on a contract still draft.
    AgreedDateOnDraft = "agreed-date-on-draft",
    /// Warning: a decided decision with no chosen option.
    DecidedWithoutChoice = "decided-without-choice",
    /// Warning: a risk with a schedule impact that affects nothing.
    ImpactAffectsNothing = "impact-affects-nothing",
    /// Warning: a dependency on a group that holds no work.
    EmptyGroup = "empty-group",
    /// Warning: a name that is not in the `people` section.
    UnknownPerson = "unknown-person",
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One problem: what is wrong, where, and how to fix it.
#[derive(Clone, Debug, PartialEq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub code: Code,
    pub message: String,
    /// The value at fault.
    pub origin: Origin,
    /// A short note under the value at fault.
    pub label: String,
    /// The key path of the offending field, e.g. `items[PAY-3].depends[0]`.
    pub field: String,
    /// How to fix it, when there is something to suggest.
    pub help: Option<String>,
    /// Other places that explain the problem (the first definition of a
    /// duplicate id, the rest of a cycle).
    pub related: Vec<(Origin, String)>,
}

impl Diagnostic {
    pub fn error(code: Code, origin: impl Into<Origin>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            origin: origin.into(),
            label: String::new(),
            field: String::new(),
            help: None,
            related: Vec::new(),
        }
    }

    pub fn warning(code: Code, origin: impl Into<Origin>, message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Warning, ..Self::error(code, origin, message) }
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

    pub fn with_related(mut self, origin: impl Into<Origin>, note: impl Into<String>) -> Self {
        self.related.push((origin.into(), note.into()));
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Sorts diagnostics by where they point, so output reads top to bottom.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by_key(|d| d.origin);
}

/// The closest of `candidates` to `input`, when it is close enough to be the
/// likely intent (a typo, a letter case slip, a swapped pair).
pub fn did_you_mean<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    // The distances cost the product of the lengths: nothing this long is a typo of an id.
    const LONGEST: usize = 100;
    if input.len() > LONGEST * 4 || input.chars().count() > LONGEST {
        return None;
    }
    let lowered = input.to_lowercase();
    let mut best: Option<(f64, &str)> = None;
    for candidate in candidates.into_iter().filter(|c| c.len() <= LONGEST * 4 && c.chars().count() <= LONGEST) {
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

/// A whole number as people read it: digits in groups of three
/// (`18,000,000`).
pub fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() * 4 / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_only() {
        let teams = ["payments", "ledger", "checkout"];
        assert_eq!(did_you_mean("paymnets", teams), Some("payments"));
        assert_eq!(did_you_mean("Ledger", teams), Some("ledger"));
        assert_eq!(did_you_mean("dependz", ["depends", "title"]), Some("depends"));
        assert_eq!(did_you_mean("marketing", teams), None);
    }

    #[test]
    fn nothing_over_a_hundred_characters_is_taken_for_a_typo() {
        // Edit distances cost the product of the lengths; an id is at most
        // 100 characters, so nothing longer is compared.
        let long = "a".repeat(101);
        let near = format!("{}b", "a".repeat(100));
        assert_eq!(did_you_mean(&long, [near.as_str()]), None);
        assert_eq!(did_you_mean(&near[..100], [near.as_str()]), None);
        assert_eq!(did_you_mean(&"a".repeat(99), [&"a".repeat(100)[..]]), Some(&"a".repeat(100)[..]));
    }

    #[test]
    fn numbers_group_their_digits() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1_000), "1,000");
        assert_eq!(grouped(18_000_000), "18,000,000");
    }

    #[test]
    fn every_code_has_its_own_name() {
        let mut names: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Code::ALL.len());
    }
}
