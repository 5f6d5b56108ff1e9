//! The text of loaded files, and turning origins into places in them.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use linchpin_model::{Diagnostic, FieldRef, Origin, SourceId, Span};

/// What a source holds, for turning its origins into spans.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SourceKind {
    Yaml,
    /// A spreadsheet: its values' origins are cells, `FieldRef { record:
    /// the byte offset of the row, field: the column }`; its fields are
    /// separated by `delimiter` (`,`, `;` or a tab).
    Csv {
        delimiter: u8,
    },
}

/// One file as read, with the line starts needed to turn offsets into
/// line and column.
#[derive(Clone, Debug)]
pub struct SourceFile {
    pub path: PathBuf,
    pub text: String,
    pub kind: SourceKind,
    line_starts: Vec<usize>,
    /// For text that is not all ASCII, the byte offset of every
    /// `CHAR_STEP`th character, so a character index finds its byte in a
    /// few steps however long the line (one line of a million entries is
    /// valid YAML).
    char_steps: Option<Vec<usize>>,
}

/// Characters between two entries of `SourceFile::char_steps`.
const CHAR_STEP: usize = 64;

impl SourceFile {
    pub fn new(path: impl Into<PathBuf>, text: String, kind: SourceKind) -> Self {
        let line_starts = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
        let char_steps = (!text.is_ascii()).then(|| text.char_indices().step_by(CHAR_STEP).map(|(i, _)| i).collect());
        SourceFile { path: path.into(), text, kind, line_starts, char_steps }
    }

    /// The byte offset of the character at `index` (as the YAML parser
    /// counts positions), in constant time.
    pub(crate) fn offset_of_char(&self, index: usize) -> usize {
        match &self.char_steps {
            None => index.min(self.text.len()),
            Some(steps) => {
                let Some(&from) = steps.get(index / CHAR_STEP) else { return self.text.len() };
                let rest = &self.text[from..];
                rest.char_indices().nth(index % CHAR_STEP).map_or(self.text.len(), |(i, _)| from + i)
            }
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The 1-based line and column (in characters) of a byte offset.
    pub fn line_column(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&start| start <= offset) - 1;
        let line_start = self.line_starts[line];
        let column = self.char_index(offset).saturating_sub(self.char_index(line_start));
        (line + 1, column + 1)
    }

    /// How many characters come before a byte offset, in a few steps
    /// however long the line: a plan of one line holding 400,000 entries
    /// has as many diagnostics on it, and counting each one's column from
    /// the line's start took minutes.
    fn char_index(&self, offset: usize) -> usize {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        match &self.char_steps {
            None => offset,
            Some(steps) => {
                let step = steps.partition_point(|&start| start <= offset).saturating_sub(1);
                let from = steps.get(step).copied().unwrap_or(0);
                step * CHAR_STEP + self.text.get(from..offset).map_or(0, |s| s.chars().count())
            }
        }
    }

    /// The span widened, if need be, to whole characters within the text.
    pub fn snap(&self, start: usize, end: usize) -> (usize, usize) {
        let len = self.text.len();
        let mut start = start.min(len);
        while !self.text.is_char_boundary(start) {
            start -= 1;
        }
        let mut end = end.clamp(start, len);
        while !self.text.is_char_boundary(end) {
            end += 1;
        }
        (start, end)
    }

    pub fn line_starts(&self) -> &[usize] {
        &self.line_starts
    }
}

/// Every file a plan was loaded from.
#[derive(Clone, Debug, Default)]
pub struct Sources {
    /// Shared, so plans loaded from the same entries (the server's cache
    /// of decoded entities) hold one copy of each text.
    files: Vec<Arc<SourceFile>>,
}

impl Sources {
    pub fn add(&mut self, file: SourceFile) -> SourceId {
        self.add_shared(Arc::new(file))
    }

    pub fn add_shared(&mut self, file: Arc<SourceFile>) -> SourceId {
        self.files.push(file);
        SourceId((self.files.len() - 1) as u32)
    }

    pub fn get(&self, id: SourceId) -> &SourceFile {
        &self.files[id.index()]
    }

    pub fn files(&self) -> &[Arc<SourceFile>] {
        &self.files
    }

    /// The span of text an origin points at: a spreadsheet cell is found by
    /// rescanning its row (done only for the few values a problem names).
    pub fn span(&self, origin: Origin) -> Option<Span> {
        match origin {
            Origin::Unknown => None,
            Origin::Span(span) => {
                let file = self.files.get(span.source.index())?;
                let (start, end) = file.snap(span.start as usize, span.end as usize);
                Some(Span::new(span.source, start, end))
            }
            Origin::Field(FieldRef { source, record, field }) => {
                let file = self.files.get(source.index())?;
                let delimiter = match file.kind {
                    SourceKind::Csv { delimiter } => delimiter,
                    SourceKind::Yaml => b',',
                };
                let (start, end) = crate::spreadsheet::cell(&file.text, record as usize, field as usize, delimiter);
                Some(Span::new(source, start, end))
            }
        }
    }

    /// Points every diagnostic at text: spreadsheet cells become spans, and
    /// spans are widened to whole characters, so any front end's offsets
    /// are safe to slice and print.
    pub fn locate(&self, diagnostics: &mut [Diagnostic]) {
        let locate = |origin: &mut Origin| {
            if let Some(span) = self.span(*origin) {
                *origin = Origin::Span(span);
            }
        };
        for diagnostic in diagnostics {
            locate(&mut diagnostic.origin);
            for (origin, _) in &mut diagnostic.related {
                locate(origin);
            }
        }
    }

    /// The 1-based line and column an origin starts at.
    pub fn line_column(&self, origin: Origin) -> Option<(usize, usize)> {
        let span = self.span(origin)?;
        Some(self.get(span.source).line_column(span.start as usize))
    }

    /// The text a span covers.
    pub fn snippet(&self, span: Span) -> &str {
        self.files.get(span.source.index()).and_then(|f| f.text.get(span.range())).unwrap_or("")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn character_indexes_find_their_bytes_in_any_text() {
        for text in [
            "plain ascii text, a bit longer than one step of sixty-four characters",
            "é✓ a mix of ünïcode — and ASCII — runs past several steps of sixty-four characters, ✓✓✓",
        ] {
            let file = SourceFile::new("t", text.to_owned(), SourceKind::Yaml);
            for (index, (byte, _)) in text.char_indices().enumerate() {
                assert_eq!(file.offset_of_char(index), byte);
            }
            assert_eq!(file.offset_of_char(text.chars().count()), text.len());
            assert_eq!(file.offset_of_char(10_000), text.len());
        }
    }

    #[test]
    fn line_and_column_count_characters_from_the_line_start() {
        let long = "é✓x".repeat(100);
        for text in [
            "a: 1\nbb: [1, 2, 3]\n\nlast line without an end".to_owned(),
            format!("é: ✓\n{long}\n  ünï — cöde: [{long}]\nend"),
        ] {
            let file = SourceFile::new("t", text.clone(), SourceKind::Yaml);
            for (offset, _) in text.char_indices().chain(std::iter::once((text.len(), ' '))) {
                let before = &text[..offset];
                let line = before.matches('\n').count() + 1;
                let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
                assert_eq!(file.line_column(offset), (line, column), "at byte {offset}");
            }
        }
    }
}
