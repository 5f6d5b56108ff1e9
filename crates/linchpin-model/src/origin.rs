//! Where a value came from, in terms every front end can turn back into its
//! own: a byte range of a plan file, or a field of a record in another
//! source (a spreadsheet cell, a Jira issue's field, an element of an API
//! request). Diagnostics carry origins, so a problem found by the one
//! resolver can be shown the way the front end that read the value would.

/// One source a front end read: a file, an export, a request. Front ends
/// number their own sources and keep what each one is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SourceId(pub u32);

impl SourceId {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// A byte range of a source's text. Offsets are 32-bit: front ends refuse
/// sources over 4 GiB long before (plan files stop at 32 MiB, spreadsheets
/// at 128 MiB), and an origin stays small enough to keep one per value.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    pub source: SourceId,
    pub start: u32,
    pub end: u32,
}

impl Span {
    /// The span of bytes `start..end`, saturating offsets past 4 GiB.
    pub fn new(source: SourceId, start: usize, end: usize) -> Self {
        let clamp = |x: usize| u32::try_from(x).unwrap_or(u32::MAX);
        Span { source, start: clamp(start), end: clamp(end) }
    }

    pub fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// A field of one record of a source: column `field` of the row starting
/// at byte `record` of a CSV, field `field` of issue `record` of a Jira
/// export, the JSON path number `record` of a request. What the numbers
/// mean is the front end's to say.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FieldRef {
    pub source: SourceId,
    pub record: u32,
    pub field: u32,
}

/// Where a value came from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Origin {
    /// Nowhere a user could look: a default, or a value a front end derived.
    #[default]
    Unknown,
    Span(Span),
    Field(FieldRef),
}

impl Origin {
    /// The source it points into, if any.
    pub fn source(self) -> Option<SourceId> {
        match self {
            Origin::Unknown => None,
            Origin::Span(span) => Some(span.source),
            Origin::Field(field) => Some(field.source),
        }
    }
}

impl From<Span> for Origin {
    fn from(span: Span) -> Self {
        Origin::Span(span)
    }
}

impl From<FieldRef> for Origin {
    fn from(field: FieldRef) -> Self {
        Origin::Field(field)
    }
}

/// A value with where it came from.
#[derive(Clone, Debug, PartialEq)]
pub struct Located<T> {
    pub value: T,
    pub origin: Origin,
}

impl<T> Located<T> {
    pub fn new(value: T, origin: impl Into<Origin>) -> Self {
        Located { value, origin: origin.into() }
    }

    /// A value no user wrote down (a front end's default).
    pub fn unlocated(value: T) -> Self {
        Located { value, origin: Origin::Unknown }
    }
}
