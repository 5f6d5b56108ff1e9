//! The text of loaded files and spans into them.

use std::path::{Path, PathBuf};

/// Which loaded file a span points into.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FileId(pub(crate) u32);

impl FileId {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// A byte range in one loaded file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    pub file: FileId,
    pub start: usize,
    pub end: usize,
}

/// One file as read, with the line starts needed to turn offsets into
/// line and column.
#[derive(Clone, Debug)]
pub struct SourceFile {
    pub path: PathBuf,
    pub text: String,
    line_starts: Vec<usize>,
}

impl SourceFile {
    pub fn new(path: impl Into<PathBuf>, text: String) -> Self {
        let line_starts = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
        SourceFile { path: path.into(), text, line_starts }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The 1-based line and column (in characters) of a byte offset.
    pub fn line_column(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&start| start <= offset) - 1;
        let line_start = self.line_starts[line];
        let column = self.text.get(line_start..offset).map_or(0, |s| s.chars().count());
        (line + 1, column + 1)
    }

    /// The byte offset of a 1-based line and 0-based character column, as the
    /// YAML parser reports positions.
    pub(crate) fn offset_of(&self, line: usize, char_column: usize) -> usize {
        let Some(&line_start) = self.line_starts.get(line.saturating_sub(1)) else {
            return self.text.len();
        };
        let rest = &self.text[line_start..];
        rest.char_indices().nth(char_column).map_or(self.text.len(), |(i, _)| line_start + i)
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
    files: Vec<SourceFile>,
}

impl Sources {
    pub fn add(&mut self, file: SourceFile) -> FileId {
        self.files.push(file);
        FileId((self.files.len() - 1) as u32)
    }

    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.index()]
    }

    pub fn files(&self) -> &[SourceFile] {
        &self.files
    }

    /// Widens every span of `diagnostics` to whole characters, so any
    /// front end's offsets are safe to slice and print.
    pub fn snap_spans(&self, diagnostics: &mut [crate::Diagnostic]) {
        let snap = |span: &mut Span| {
            if let Some(file) = self.files.get(span.file.index()) {
                (span.start, span.end) = file.snap(span.start, span.end);
            }
        };
        for diagnostic in diagnostics {
            snap(&mut diagnostic.span);
            for (span, _) in &mut diagnostic.related {
                snap(span);
            }
        }
    }

    /// The text a span covers.
    pub fn snippet(&self, span: Span) -> &str {
        self.get(span.file).text.get(span.start..span.end).unwrap_or("")
    }
}
