//! A resume or listing as text: plain text and Markdown as they are, PDF
//! through `pdf-extract`, DOCX through `zip` and `quick-xml`, each bounded
//! in size, pages and decompressed bytes. The format is told by the bytes,
//! not the file name.

use std::io::Read;

use serde::Serialize;

/// The largest input file read.
pub const MAX_INPUT_BYTES: usize = 10 << 20;
/// The most text kept from one document; a resume is a few pages.
pub const MAX_TEXT_BYTES: usize = 512 << 10;
/// The most pages of a PDF read.
pub const MAX_PDF_PAGES: usize = 50;
/// The most bytes one DOCX part may decompress to.
pub const MAX_ENTRY_BYTES: u64 = 16 << 20;
/// The most bytes all the DOCX parts read may decompress to together.
pub const MAX_DOCX_BYTES: u64 = 32 << 20;
/// The most entries a DOCX archive may list.
pub const MAX_DOCX_ENTRIES: usize = 2000;
/// The most bytes one PDF stream may inflate to.
pub const MAX_PDF_STREAM_BYTES: u64 = 16 << 20;
/// The most bytes all of a PDF's streams may inflate to together.
pub const MAX_PDF_STREAMS_BYTES: u64 = 64 << 20;
/// The most bytes one stream of the raw file may inflate to, images
/// included, before the file is parsed.
pub const MAX_PDF_RAW_STREAM_BYTES: u64 = 32 << 20;
/// The most bytes all the raw file's streams may inflate to together.
pub const MAX_PDF_RAW_STREAMS_BYTES: u64 = 128 << 20;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Text,
    Pdf,
    Docx,
}

#[derive(Debug, thiserror::Error)]
pub enum ExtractError {
    #[error("the file is larger than {} MiB", MAX_INPUT_BYTES >> 20)]
    TooLarge,
    #[error("the file is empty")]
    Empty,
    #[error("the PDF is encrypted; save an unprotected copy and try again")]
    Encrypted,
    #[error("the PDF cannot be read (truncated or damaged?): {0}")]
    BadPdf(String),
    #[error("the PDF has {0} pages, more than the {MAX_PDF_PAGES} read")]
    TooManyPages(usize),
    #[error("the PDF's streams inflate to more than {} MiB (a compression bomb, or an image too large: save it without images, or as text)", .0 >> 20)]
    PdfBomb(u64),
    #[error("the PDF has no text to read (a scanned image?); export it with its text, or paste it as plain text")]
    NoText,
    #[error("the DOCX cannot be read: {0}")]
    BadDocx(String),
    #[error("the DOCX unpacks to more than {} MiB (a zip bomb?)", .0 >> 20)]
    ZipBomb(u64),
    #[error("the DOCX's `{0}` declares a DOCTYPE; documents with DTDs or external entities are refused")]
    Doctype(String),
    #[error("the file is neither text (UTF-8), PDF nor DOCX")]
    Unknown,
}

/// The text of a document and the format it was read as.
#[derive(Clone, Debug)]
pub struct Extracted {
    pub format: Format,
    pub text: String,
    /// Whether the text was cut at [`MAX_TEXT_BYTES`].
    pub cut: bool,
}

/// Reads a document from its bytes.
pub fn extract(bytes: &[u8]) -> Result<Extracted, ExtractError> {
    if bytes.len() > MAX_INPUT_BYTES {
        return Err(ExtractError::TooLarge);
    }
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(ExtractError::Empty);
    }
    let (format, text) = if bytes.starts_with(b"%PDF-") || find(&bytes[..bytes.len().min(1024)], b"%PDF-").is_some() {
        (Format::Pdf, pdf(bytes)?)
    } else if bytes.starts_with(b"PK\x03\x04") {
        (Format::Docx, docx(bytes)?)
    } else if let Some(text) = utf16(bytes) {
        if text.contains('\0') {
            return Err(ExtractError::Unknown);
        }
        (Format::Text, text.replace("\r\n", "\n"))
    } else {
        let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
        let text = std::str::from_utf8(bytes).map_err(|_| ExtractError::Unknown)?;
        // Text with NULs is a binary file that happens to be valid UTF-8.
        if text.contains('\0') {
            return Err(ExtractError::Unknown);
        }
        (Format::Text, text.replace("\r\n", "\n"))
    };
    let (text, cut) = bounded(text);
    Ok(Extracted { format, text, cut })
}

/// Text saved as UTF-16 with its byte-order mark (Windows' "Unicode"), if
/// it is that and decodes.
fn utf16(bytes: &[u8]) -> Option<String> {
    let (little, rest) = match bytes {
        [0xff, 0xfe, rest @ ..] => (true, rest),
        [0xfe, 0xff, rest @ ..] => (false, rest),
        _ => return None,
    };
    if rest.len() % 2 != 0 {
        return None;
    }
    let units = rest
        .chunks_exact(2)
        .map(|p| if little { u16::from_le_bytes([p[0], p[1]]) } else { u16::from_be_bytes([p[0], p[1]]) });
    char::decode_utf16(units).collect::<Result<String, _>>().ok()
}

fn bounded(mut text: String) -> (String, bool) {
    if text.len() <= MAX_TEXT_BYTES {
        return (text, false);
    }
    let mut end = MAX_TEXT_BYTES;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text.truncate(end);
    (text, true)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// A PDF's text, page by page. `pdf-extract` (and `lopdf` under it) can
/// panic on malformed content streams rather than return an error; a panic
/// there must not take down the caller (a server thread, later), so it is
/// caught here and reported as an unreadable PDF. Nothing is shared across
/// the boundary but the input slice, so no state is left half-updated.
fn pdf(bytes: &[u8]) -> Result<String, ExtractError> {
    let result = std::panic::catch_unwind(|| pdf_pages(bytes));
    match result {
        Ok(result) => result,
        Err(panic) => {
            let why = panic
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| panic.downcast_ref::<&str>().copied())
                .unwrap_or("the PDF reader failed");
            Err(ExtractError::BadPdf(why.chars().take(200).collect()))
        }
    }
}

fn pdf_pages(bytes: &[u8]) -> Result<String, ExtractError> {
    use pdf_extract::{Document, output_doc_page};
    streams_within_bounds(bytes)?;
    let mut doc = Document::load_mem(bytes).map_err(|e| match e {
        pdf_extract::Error::Decryption(_) => ExtractError::Encrypted,
        other => ExtractError::BadPdf(other.to_string().chars().take(200).collect()),
    })?;
    if doc.is_encrypted() {
        // Many PDFs are "encrypted" with an empty password only to set
        // permissions; those read. Any other password is the user's.
        if doc.decrypt("").is_err() || doc.is_encrypted() {
            return Err(ExtractError::Encrypted);
        }
    }
    let pages = doc.get_pages();
    if pages.len() > MAX_PDF_PAGES {
        return Err(ExtractError::TooManyPages(pages.len()));
    }
    without_images(&mut doc);
    inflated_within_bounds(&doc)?;
    let mut text = String::new();
    for &number in pages.keys() {
        let mut output = Columns::default();
        output_doc_page(&doc, &mut output, number)
            .map_err(|e| ExtractError::BadPdf(e.to_string().chars().take(200).collect()))?;
        text.push_str(&output.text);
        text.push('\n');
        if text.len() > MAX_TEXT_BYTES {
            break;
        }
    }
    if text.trim().is_empty() {
        return Err(ExtractError::NoText);
    }
    Ok(text)
}

/// One character a PDF draws, where it draws it (PDF space: y grows up).
struct Glyph {
    x: f64,
    y: f64,
    end: f64,
    size: f64,
    text: String,
}

/// A run of text on one row: a cell, or a column's line.
struct Run {
    row: usize,
    x0: f64,
    x1: f64,
    text: String,
}

/// A page's text laid out by position rather than drawing order: glyphs
/// grouped into rows by baseline, rows cut into runs where the gap between
/// glyphs is wide, and, when the runs fall into side-by-side columns that
/// no row crosses, each column read top to bottom before the next. A
/// two-column resume whose columns share baselines is otherwise merged
/// line by line ("Kanban Ran PI planning for 9 teams").
#[derive(Default)]
struct Columns {
    glyphs: Vec<Glyph>,
    /// Bytes of glyph text kept on this page: at most [`MAX_TEXT_BYTES`].
    kept: usize,
    text: String,
}

/// A gap wider than this many font sizes starts a new run.
const RUN_GAP: f64 = 2.0;
/// A column holds runs on at least this many rows (a few right-aligned
/// dates are not a column of their own).
const LEAST_COLUMN_ROWS: usize = 3;

impl pdf_extract::OutputDev for Columns {
    fn begin_page(
        &mut self,
        _page: u32,
        _media_box: &pdf_extract::MediaBox,
        _art_box: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), pdf_extract::OutputError> {
        self.glyphs.clear();
        Ok(())
    }

    fn end_page(&mut self) -> Result<(), pdf_extract::OutputError> {
        self.text.push_str(&layout(&self.glyphs));
        self.glyphs.clear();
        Ok(())
    }

    fn output_character(
        &mut self,
        trm: &pdf_extract::Transform,
        width: f64,
        _spacing: f64,
        font_size: f64,
        char: &str,
    ) -> Result<(), pdf_extract::OutputError> {
        if self.kept > MAX_TEXT_BYTES {
            return Ok(());
        }
        // The font size in page space, as pdf-extract measures it.
        let sx = font_size * (trm.m11 + trm.m21);
        let sy = font_size * (trm.m12 + trm.m22);
        let size = (sx * sy).abs().sqrt();
        let size = if size.is_finite() && size > 0.0 { size } else { 1.0 };
        let (x, y) = (trm.m31, trm.m32);
        let end = x + width * size;
        if x.is_finite() && y.is_finite() && end.is_finite() {
            self.kept += char.len();
            self.glyphs.push(Glyph { x, y, end, size, text: char.to_owned() });
        }
        Ok(())
    }

    fn begin_word(&mut self) -> Result<(), pdf_extract::OutputError> {
        Ok(())
    }

    fn end_word(&mut self) -> Result<(), pdf_extract::OutputError> {
        Ok(())
    }

    fn end_line(&mut self) -> Result<(), pdf_extract::OutputError> {
        Ok(())
    }
}

/// A page's glyphs as lines of text, column by column.
fn layout(glyphs: &[Glyph]) -> String {
    if glyphs.is_empty() {
        return String::new();
    }
    // Rows: glyphs top to bottom, a new row when the baseline drops by
    // half a font size.
    let mut order: Vec<usize> = (0..glyphs.len()).collect();
    order.sort_by(|&a, &b| glyphs[b].y.total_cmp(&glyphs[a].y));
    let mut rows: Vec<(f64, f64, Vec<usize>)> = Vec::new(); // (baseline, size, glyphs)
    for i in order {
        let g = &glyphs[i];
        match rows.last_mut() {
            Some((y, size, members)) if *y - g.y <= 0.5 * size.max(g.size) => members.push(i),
            _ => rows.push((g.y, g.size, vec![i])),
        }
    }
    let mut runs: Vec<Run> = Vec::new();
    for (row, (_, _, members)) in rows.iter_mut().enumerate() {
        members.sort_by(|&a, &b| glyphs[a].x.total_cmp(&glyphs[b].x));
        let mut run: Option<Run> = None;
        let mut last_end = f64::NEG_INFINITY;
        for &i in members.iter() {
            let g = &glyphs[i];
            let gap = g.x - last_end;
            match &mut run {
                Some(r) if gap <= RUN_GAP * g.size => {
                    let blank = g.text.trim().is_empty();
                    if gap > 0.1 * g.size && !r.text.ends_with(' ') && !blank {
                        r.text.push(' ');
                    }
                    if !blank || !r.text.ends_with(' ') {
                        r.text.push_str(if blank { " " } else { &g.text });
                    }
                    r.x1 = r.x1.max(g.end);
                }
                _ => {
                    runs.extend(run.take());
                    if !g.text.trim().is_empty() {
                        run = Some(Run { row, x0: g.x, x1: g.end, text: g.text.clone() });
                    }
                }
            }
            if !g.text.trim().is_empty() || run.is_some() {
                last_end = last_end.max(g.end);
            }
        }
        runs.extend(run);
    }
    runs.retain(|r| !r.text.trim().is_empty());
    // Columns: the spans of x that runs cover, merged where they overlap;
    // each span holding runs on several rows is a column.
    let mut spans: Vec<(f64, f64)> = runs.iter().map(|r| (r.x0, r.x1)).collect();
    spans.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut merged: Vec<(f64, f64)> = Vec::new();
    for (a, b) in spans {
        match merged.last_mut() {
            Some(last) if a <= last.1 => last.1 = last.1.max(b),
            _ => merged.push((a, b)),
        }
    }
    // The spans are sorted and apart: a run's column by binary search, so
    // a page of scattered glyphs stays linear-logarithmic.
    let column_of = |r: &Run| merged.partition_point(|&(a, _)| a <= r.x0).saturating_sub(1);
    // Runs come row by row, so each column's rows are counted in one pass.
    let mut rows_in: Vec<(Option<usize>, usize)> = vec![(None, 0); merged.len()];
    for r in &runs {
        let (last, count) = &mut rows_in[column_of(r)];
        if *last != Some(r.row) {
            *last = Some(r.row);
            *count += 1;
        }
    }
    let columns = merged.len() >= 2 && rows_in.iter().all(|&(_, n)| n >= LEAST_COLUMN_ROWS);
    let groups: Vec<Vec<&Run>> = if columns {
        let mut groups: Vec<Vec<&Run>> = vec![Vec::new(); merged.len()];
        for r in &runs {
            groups[column_of(r)].push(r);
        }
        groups
    } else {
        vec![runs.iter().collect()]
    };
    let mut out = String::new();
    for group in groups {
        let mut last_row: Option<usize> = None;
        for run in group {
            match last_row {
                // A table's row stays one line, its scale with its subject.
                Some(row) if row == run.row => out.push(' '),
                Some(row) => {
                    out.push('\n');
                    // A paragraph's gap: a blank line, as a paragraph break.
                    let (y0, size, _) = &rows[row];
                    if y0 - rows[run.row].0 > 1.5 * size {
                        out.push('\n');
                    }
                }
                None => {}
            }
            out.push_str(run.text.trim());
            last_row = Some(run.row);
        }
        out.push_str("\n\n");
    }
    out
}

/// How many bytes `reader` yields, reading at most `room + 1`; a read
/// error ends the count (the data is not, or no longer, what was tried).
fn measured(reader: impl std::io::Read, room: u64) -> u64 {
    let mut counted = 0u64;
    let mut reader = reader.take(room + 1);
    let mut buf = [0u8; 1 << 14];
    loop {
        match std::io::Read::read(&mut reader, &mut buf) {
            Ok(0) | Err(_) => return counted,
            Ok(n) => counted += n as u64,
        }
    }
}

/// Measures, in the raw bytes and before `lopdf` parses anything, what the
/// data after each `stream` keyword inflates to: `lopdf` inflates object
/// streams as it loads the file, so a bomb there must be caught first. The
/// deflate data says where it ends itself, so neither `/Length` nor
/// `endstream` (which the data could fake) is trusted; data that is not
/// zlib measures nothing. Zlib inside zlib is measured to three levels.
/// The bounds are wider than for what the text reader inflates (images,
/// emptied once the file is parsed, are measured here too).
fn streams_within_bounds(bytes: &[u8]) -> Result<(), ExtractError> {
    let mut total = 0u64;
    let mut from = 0;
    while let Some(found) = find(&bytes[from..], b"stream") {
        let at = from + found;
        from = at + 6;
        if bytes[..at].ends_with(b"end") {
            continue;
        }
        let data = match &bytes[from..] {
            [b'\r', b'\n', rest @ ..] | [b'\n', rest @ ..] | [b'\r', rest @ ..] => rest,
            _ => continue,
        };
        if data.first() != Some(&0x78) {
            continue;
        }
        let room = MAX_PDF_RAW_STREAM_BYTES.min(MAX_PDF_RAW_STREAMS_BYTES - total);
        let once = measured(flate2::read::ZlibDecoder::new(data), room);
        let twice = measured(flate2::read::ZlibDecoder::new(flate2::read::ZlibDecoder::new(data)), room);
        let thrice = measured(
            flate2::read::ZlibDecoder::new(flate2::read::ZlibDecoder::new(flate2::read::ZlibDecoder::new(data))),
            room,
        );
        let inflated = once.max(twice).max(thrice);
        if inflated > room {
            return Err(ExtractError::PdfBomb(MAX_PDF_RAW_STREAM_BYTES.min(MAX_PDF_RAW_STREAMS_BYTES)));
        }
        total += inflated;
    }
    Ok(())
}

/// Empties the PDF's images: they hold no text, and `pdf-extract` would
/// otherwise inflate each one and read its pixels as page operators.
fn without_images(doc: &mut pdf_extract::Document) {
    for object in doc.objects.values_mut() {
        let pdf_extract::Object::Stream(stream) = object else { continue };
        if stream.dict.get(b"Subtype").and_then(pdf_extract::Object::as_name).is_ok_and(|s| s == b"Image") {
            stream.dict.remove(b"Filter");
            stream.dict.remove(b"DecodeParms");
            stream.set_content(Vec::new());
        }
    }
}

/// Measures what every Flate-compressed stream of the PDF inflates to,
/// without keeping it, before `pdf-extract` inflates the page contents and
/// fonts it needs: a stream of zeros compresses a thousandfold, so ten
/// megabytes of PDF could otherwise ask for ten gigabytes. Chains of Flate
/// filters are measured through to their end. (Object streams are inflated
/// by `lopdf` as it loads the file: [`streams_within_bounds`] measured
/// them in the raw bytes first. This pass sees streams after decryption.)
fn inflated_within_bounds(doc: &pdf_extract::Document) -> Result<(), ExtractError> {
    let mut total = 0u64;
    for object in doc.objects.values() {
        let pdf_extract::Object::Stream(stream) = object else { continue };
        let Ok(filters) = stream.filters() else { continue };
        let flate = filters.iter().take_while(|f| **f == b"FlateDecode").count();
        if flate == 0 {
            continue;
        }
        let mut reader: Box<dyn std::io::Read + '_> = Box::new(stream.content.as_slice());
        for _ in 0..flate.min(4) {
            reader = Box::new(flate2::read::ZlibDecoder::new(reader));
        }
        let room = MAX_PDF_STREAM_BYTES.min(MAX_PDF_STREAMS_BYTES - total);
        // A damaged stream is pdf-extract's to report; only its size matters here.
        let inflated = measured(reader, room);
        if inflated > room {
            return Err(ExtractError::PdfBomb(MAX_PDF_STREAM_BYTES.min(MAX_PDF_STREAMS_BYTES)));
        }
        total += inflated;
    }
    Ok(())
}

/// A DOCX's body text: each paragraph and table row a line, each table
/// cell a line of its own, tabs kept. Entries are read through a limit
/// that stops at the declared size or [`MAX_ENTRY_BYTES`], whichever is
/// smaller, so a lying header cannot make it read more.
fn docx(bytes: &[u8]) -> Result<String, ExtractError> {
    let bad = |e: &dyn std::fmt::Display| ExtractError::BadDocx(e.to_string().chars().take(200).collect());
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| bad(&e))?;
    if archive.len() > MAX_DOCX_ENTRIES {
        return Err(ExtractError::BadDocx(format!("it lists {} parts, more than {MAX_DOCX_ENTRIES}", archive.len())));
    }
    let mut total = 0u64;
    let mut read =
        |archive: &mut zip::ZipArchive<std::io::Cursor<&[u8]>>, name: &str| -> Result<Option<String>, ExtractError> {
            let mut entry = match archive.by_name(name) {
                Ok(entry) => entry,
                Err(zip::result::ZipError::FileNotFound) => return Ok(None),
                Err(e) => return Err(bad(&e)),
            };
            if entry.size() > MAX_ENTRY_BYTES || total + entry.size() > MAX_DOCX_BYTES {
                return Err(ExtractError::ZipBomb(MAX_DOCX_BYTES.min(MAX_ENTRY_BYTES)));
            }
            let room = MAX_ENTRY_BYTES.min(MAX_DOCX_BYTES - total);
            let mut data = Vec::new();
            (&mut entry).take(room + 1).read_to_end(&mut data).map_err(|e| bad(&e))?;
            if data.len() as u64 > room {
                return Err(ExtractError::ZipBomb(MAX_DOCX_BYTES.min(MAX_ENTRY_BYTES)));
            }
            total += data.len() as u64;
            Ok(Some(String::from_utf8(data).map_err(|_| ExtractError::BadDocx(format!("`{name}` is not UTF-8")))?))
        };
    let Some(body) = read(&mut archive, "word/document.xml")? else {
        return Err(ExtractError::BadDocx("it has no `word/document.xml` (not a Word document?)".into()));
    };
    docx_text(&body, "word/document.xml")
}

/// The text of WordprocessingML.
fn docx_text(xml: &str, part: &str) -> Result<String, ExtractError> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut text = String::new();
    let mut in_text = false;
    loop {
        let event = reader.read_event().map_err(|e| ExtractError::BadDocx(format!("`{part}`: {e}")))?;
        match event {
            Event::DocType(_) => return Err(ExtractError::Doctype(part.to_owned())),
            Event::Start(e) if e.local_name().as_ref() == b"t" => in_text = true,
            Event::End(e) => match e.local_name().as_ref() {
                b"t" => in_text = false,
                b"p" | b"tc" | b"tr" if !text.ends_with('\n') => text.push('\n'),
                _ => {}
            },
            Event::Empty(e) => match e.local_name().as_ref() {
                b"tab" => text.push('\t'),
                b"br" | b"cr" => text.push('\n'),
                _ => {}
            },
            Event::Text(t) if in_text => {
                let decoded = t.decode().map_err(|e| ExtractError::BadDocx(format!("`{part}`: {e}")))?;
                let unescaped = quick_xml::escape::unescape(&decoded)
                    .map_err(|e| ExtractError::BadDocx(format!("`{part}`: {e}")))?;
                text.push_str(&unescaped);
            }
            Event::GeneralRef(r) if in_text => {
                // Only the predefined and numeric references: no DTD is read.
                if let Some(c) = r.resolve_char_ref().ok().flatten() {
                    text.push(c);
                } else {
                    let name = r.decode().map_err(|e| ExtractError::BadDocx(format!("`{part}`: {e}")))?;
                    match quick_xml::escape::resolve_predefined_entity(&name) {
                        Some(s) => text.push_str(s),
                        None => return Err(ExtractError::Doctype(part.to_owned())),
                    }
                }
            }
            Event::Eof => break,
            _ => {}
        }
        if text.len() > MAX_TEXT_BYTES {
            break;
        }
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_read_as_it_is_and_binary_is_refused() {
        let e = extract("\u{feff}Led 3 teams.\r\nRan reviews.".as_bytes()).expect("text");
        assert_eq!((e.format, e.text.as_str()), (Format::Text, "Led 3 teams.\nRan reviews."));
        assert!(matches!(extract(b"\xff\xfe\x00"), Err(ExtractError::Unknown)));
        assert!(matches!(extract(b"\xff\xfe\x00\xd8a\x00"), Err(ExtractError::Unknown)), "a lone surrogate");
        let utf16: Vec<u8> =
            [0xff, 0xfe].into_iter().chain("Led 3 teams.\r\n".encode_utf16().flat_map(u16::to_le_bytes)).collect();
        assert_eq!(extract(&utf16).expect("UTF-16").text, "Led 3 teams.\n");
        assert!(matches!(extract(b"a\0b"), Err(ExtractError::Unknown)));
        assert!(matches!(extract(b"  \n"), Err(ExtractError::Empty)));
        assert!(matches!(extract(&vec![b'a'; MAX_INPUT_BYTES + 1]), Err(ExtractError::TooLarge)));
        let long = "é".repeat(MAX_TEXT_BYTES);
        let e = extract(long.as_bytes()).expect("text");
        assert!(e.cut && e.text.len() <= MAX_TEXT_BYTES);
    }

    #[test]
    fn docx_xml_gives_lines_and_refuses_a_doctype() {
        let xml = r#"<w:document xmlns:w="w"><w:body><w:p><w:r><w:t>Led &amp; ran</w:t><w:tab/><w:t>reviews</w:t></w:r></w:p><w:tbl><w:tr><w:tc><w:p><w:r><w:t>Jira</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>Scrum&#233;</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:body></w:document>"#;
        assert_eq!(docx_text(xml, "d").expect("text"), "Led & ran\treviews\nJira\nScrumé\n");
        let evil = r#"<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><w:document><w:t>&x;</w:t></w:document>"#;
        assert!(matches!(docx_text(evil, "d"), Err(ExtractError::Doctype(_))));
        let undeclared = r#"<w:document><w:t>&x;</w:t></w:document>"#;
        assert!(matches!(docx_text(undeclared, "d"), Err(ExtractError::Doctype(_))));
        assert!(matches!(docx_text("<w:t>unclosed", "d"), Ok(_) | Err(ExtractError::BadDocx(_))));
    }

    #[test]
    fn garbage_that_looks_like_a_pdf_or_zip_is_an_error() {
        assert!(matches!(extract(b"%PDF-1.7\n1 0 obj <<"), Err(ExtractError::BadPdf(_))));
        assert!(matches!(extract(b"PK\x03\x04garbage"), Err(ExtractError::BadDocx(_))));
    }

    fn glyphs(x: f64, y: f64, text: &str) -> Vec<Glyph> {
        text.chars()
            .enumerate()
            .map(|(i, c)| {
                let x = x + 5.0 * i as f64;
                Glyph { x, y, end: x + 5.0, size: 10.0, text: c.to_string() }
            })
            .collect()
    }

    #[test]
    fn columns_that_share_baselines_are_read_one_after_the_other() {
        let mut page = Vec::new();
        for (row, (left, right)) in
            [("SKILLS", "EXPERIENCE"), ("Kanban", "Ran PI planning."), ("Jira", "Led 9 teams.")].into_iter().enumerate()
        {
            let y = 700.0 - 12.0 * row as f64;
            page.extend(glyphs(50.0, y, left));
            page.extend(glyphs(200.0, y, right));
        }
        assert_eq!(layout(&page), "SKILLS\nKanban\nJira\n\nEXPERIENCE\nRan PI planning.\nLed 9 teams.\n\n");
        // Two rows only: a table's cells, kept on their row.
        assert_eq!(layout(&page[..page.len() / 3 * 2]).lines().next(), Some("SKILLS EXPERIENCE"));
    }

    #[test]
    fn a_page_of_scattered_glyphs_is_laid_out_whole() {
        let page: Vec<Glyph> = (0..200_000)
            .map(|i| {
                let (x, y) = (f64::from(i % 400) * 40.0, f64::from(i / 400) * 12.0);
                Glyph { x, y, end: x + 5.0, size: 10.0, text: "x".into() }
            })
            .collect();
        // 200,000 runs in 400 spans: a quadratic layout would not finish.
        let text = layout(&page);
        assert_eq!(text.matches('x').count(), 200_000);
    }
}
