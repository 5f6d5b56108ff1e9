//! Plan files to the program model.
//!
//! A plan is a YAML file, a folder of YAML files whose sections are merged,
//! or a spreadsheet CSV of work items. Loading never stops at the first
//! problem: it returns every [`Diagnostic`] with its file, span and a
//! suggested fix, and the [`Program`] only when there is no error.
//!
//! Only this crate knows the plan syntax; the model and the engine know
//! nothing of YAML or CSV. What it reads becomes the model's documents,
//! and the model's resolver builds the program from them, as it does for
//! every other front end.

mod decode;
mod schema;
pub mod sections;
pub mod source;
pub mod spreadsheet;
pub mod stored;
pub mod write;
pub mod yaml;

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use linchpin_model::doc::PlanDoc;
use linchpin_model::{Code, Origin, Program, SourceId, Span};

use crate::decode::{Cx, Decode};
pub use crate::source::{SourceFile, SourceKind, Sources};
pub use linchpin_model::{Diagnostic, Severity};

/// The largest YAML plan read, one file or a whole folder. Real plans are a
/// few hundred kilobytes; the cap keeps a stray multi-megabyte file from
/// stalling a command.
pub const MAX_YAML_BYTES: u64 = 32 * 1024 * 1024;
/// How many `.yaml` files a plan folder may hold.
pub const MAX_FOLDER_FILES: usize = 10_000;
/// The largest spreadsheet read: a million-item CSV, the most items a plan
/// may hold, is about 60 MB.
pub const MAX_CSV_BYTES: u64 = 128 * 1024 * 1024;
/// How deep a plan folder is searched for `.yaml` files.
const MAX_FOLDER_DEPTH: usize = 8;

/// Why a plan could not be read at all (as opposed to read and found wrong).
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("cannot read `{path}`")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("`{path}` is {}; plan files are limited to {}", bytes(*size), bytes(*limit))]
    TooLarge { path: PathBuf, size: u64, limit: u64 },
    #[error("the plan files in `{path}` add up to more than {}, the limit for a plan", bytes(*limit))]
    FolderTooLarge { path: PathBuf, limit: u64 },
    #[error("`{path}` holds more than {limit} plan files")]
    TooManyFiles { path: PathBuf, limit: usize },
    #[error("`{path}` is {kind}, not a file; a plan is a file or a folder")]
    NotAFile { path: PathBuf, kind: &'static str },
    #[error("`{path}` holds no plan files (`.yaml`, `.yml`)")]
    NoPlanFiles { path: PathBuf },
    #[error("`{path}` is not a plan file: expected `.yaml`, `.yml`, `.csv` or a folder")]
    UnknownKind { path: PathBuf },
}

/// Settings for loading.
#[derive(Clone, Debug, Default)]
pub struct LoadOptions {
    /// The program start for a spreadsheet CSV, which has no program section.
    pub csv_start: Option<NaiveDate>,
}

/// A loaded plan: its sources, every problem found and, when there is no
/// error, the program.
#[derive(Debug)]
pub struct Plan {
    pub sources: Sources,
    /// Every problem, each pointing at text, top to bottom.
    pub diagnostics: Vec<Diagnostic>,
    program: Option<Program>,
    /// The documents the program was resolved from (none for a CSV).
    docs: Vec<PlanDoc>,
}

impl Plan {
    fn new(sources: Sources, mut diagnostics: Vec<Diagnostic>, program: Option<Program>, docs: Vec<PlanDoc>) -> Self {
        // "No estimate" for an estimate that was there but unreadable is noise.
        let unreadable: std::collections::HashSet<String> = diagnostics
            .iter()
            .filter(|d| d.is_error())
            .filter_map(|d| {
                let (item, point) = d.field.rsplit_once('.')?;
                ["estimate", "optimistic", "likely", "pessimistic"].contains(&point).then(|| item.to_owned())
            })
            .collect();
        if !unreadable.is_empty() {
            diagnostics.retain(|d| {
                d.code != Code::NoEstimate
                    || d.field.rsplit_once('.').is_none_or(|(item, _)| !unreadable.contains(item))
            });
        }
        sources.locate(&mut diagnostics);
        linchpin_model::diagnostic::sort(&mut diagnostics);
        Plan { sources, diagnostics, program, docs }
    }

    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// The program, when the plan has no errors.
    pub fn program(&self) -> Option<&Program> {
        if self.has_errors() { None } else { self.program.as_ref() }
    }

    /// The program, when the plan has no errors.
    pub fn into_program(self) -> Option<Program> {
        if self.has_errors() { None } else { self.program }
    }

    /// The program, when the plan has no errors, and the documents it was
    /// resolved from (none for a CSV, or for a load through the server's
    /// [`EntryCache`](stored::EntryCache), which keeps them), to mix with
    /// another version's.
    pub fn into_program_and_docs(self) -> Option<(Program, Vec<PlanDoc>)> {
        if self.has_errors() { None } else { self.program.map(|p| (p, self.docs)) }
    }
}

/// Loads a plan from a YAML file, a folder of YAML files or a CSV.
pub fn load_path(path: &Path, options: &LoadOptions) -> Result<Plan, LoadError> {
    let metadata = std::fs::metadata(path).map_err(|source| LoadError::Io { path: path.into(), source })?;
    if metadata.is_dir() {
        return Ok(load_yaml_bytes(folder_files(path)?));
    }
    regular(path, &metadata)?;
    match extension(path).as_deref() {
        Some("yaml" | "yml") => {
            let bytes = read_limited(path, MAX_YAML_BYTES)?;
            Ok(load_yaml_bytes(vec![(path.to_owned(), bytes)]))
        }
        Some("csv") => {
            let bytes = read_limited(path, MAX_CSV_BYTES)?;
            let teams_path = teams_csv_path(path);
            let teams = match std::fs::metadata(&teams_path) {
                Ok(_) => Some((teams_path.clone(), read_limited(&teams_path, MAX_CSV_BYTES)?)),
                Err(_) => None,
            };
            let start = options.csv_start.unwrap_or_default();
            Ok(load_csv_bytes(path, bytes, teams, start))
        }
        _ => Err(LoadError::UnknownKind { path: path.into() }),
    }
}

/// The YAML files a plan folder holds (hidden ones left out, sorted by
/// path), or the one file a YAML plan is, with their bytes, held to the
/// same bounds `load_path` holds them to; for front ends that send a plan
/// elsewhere (`linchpin push`).
pub fn yaml_files(path: &Path) -> Result<Vec<(PathBuf, Vec<u8>)>, LoadError> {
    let metadata = std::fs::metadata(path).map_err(|source| LoadError::Io { path: path.into(), source })?;
    if metadata.is_dir() {
        return folder_files(path);
    }
    regular(path, &metadata)?;
    match extension(path).as_deref() {
        Some("yaml" | "yml") => Ok(vec![(path.to_owned(), read_limited(path, MAX_YAML_BYTES)?)]),
        _ => Err(LoadError::UnknownKind { path: path.into() }),
    }
}

fn folder_files(path: &Path) -> Result<Vec<(PathBuf, Vec<u8>)>, LoadError> {
    let mut files = Vec::new();
    collect_yaml(path, 0, &mut files)?;
    files.sort();
    if files.is_empty() {
        return Err(LoadError::NoPlanFiles { path: path.into() });
    }
    let mut texts = Vec::new();
    read_within(path, files, MAX_YAML_BYTES, &mut texts)?;
    Ok(texts)
}

/// Reads `files` of folder `dir` into `texts`, all of them at most `left`
/// bytes together (else the folder is too large).
fn read_within(
    dir: &Path,
    files: Vec<PathBuf>,
    mut left: u64,
    texts: &mut Vec<(PathBuf, Vec<u8>)>,
) -> Result<(), LoadError> {
    for file in files {
        let bytes = read_limited(&file, left).map_err(|error| match error {
            LoadError::TooLarge { .. } => LoadError::FolderTooLarge { path: dir.into(), limit: MAX_YAML_BYTES },
            other => other,
        })?;
        left -= bytes.len() as u64;
        texts.push((file, bytes));
    }
    Ok(())
}

/// The plan files of folder `dir` as they will be once `written` (paths
/// in it, with their new texts) is written: the files `written` replaces
/// are not read, so the folder's size bound counts the new texts in their
/// place. A folder that does not exist yet holds only `written`.
pub fn folder_as_written(dir: &Path, written: Vec<(PathBuf, Vec<u8>)>) -> Result<Vec<(PathBuf, Vec<u8>)>, LoadError> {
    let mut files = Vec::new();
    if dir.is_dir() {
        collect_yaml(dir, 0, &mut files)?;
    }
    files.retain(|path| written.iter().all(|(new, _)| new != path));
    if files.len() + written.len() > MAX_FOLDER_FILES {
        return Err(LoadError::TooManyFiles { path: dir.into(), limit: MAX_FOLDER_FILES });
    }
    let new: u64 = written.iter().map(|(_, text)| text.len() as u64).sum();
    let left = MAX_YAML_BYTES
        .checked_sub(new)
        .ok_or_else(|| LoadError::FolderTooLarge { path: dir.into(), limit: MAX_YAML_BYTES })?;
    let mut texts = written;
    read_within(dir, files, left, &mut texts)?;
    texts.sort();
    Ok(texts)
}

fn extension(path: &Path) -> Option<String> {
    path.extension().map(|e| e.to_string_lossy().to_lowercase())
}

/// `plan.csv` → `plan.teams.csv`.
pub fn teams_csv_path(path: &Path) -> PathBuf {
    let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    path.with_file_name(format!("{stem}.teams.csv"))
}

fn collect_yaml(dir: &Path, depth: usize, out: &mut Vec<PathBuf>) -> Result<(), LoadError> {
    if depth > MAX_FOLDER_DEPTH {
        return Ok(());
    }
    let entries = std::fs::read_dir(dir).map_err(|source| LoadError::Io { path: dir.into(), source })?;
    for entry in entries {
        let entry = entry.map_err(|source| LoadError::Io { path: dir.into(), source })?;
        let path = entry.path();
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let file_type = entry.file_type().map_err(|source| LoadError::Io { path: path.clone(), source })?;
        if file_type.is_dir() {
            collect_yaml(&path, depth + 1, out)?;
        } else if matches!(extension(&path).as_deref(), Some("yaml" | "yml")) {
            if out.len() == MAX_FOLDER_FILES {
                return Err(LoadError::TooManyFiles { path: dir.into(), limit: MAX_FOLDER_FILES });
            }
            out.push(path);
        }
    }
    Ok(())
}

/// Reads at most `limit` bytes of a regular file. The size is what could be
/// read, not what the file system claims (`/proc` files claim 0 bytes), and
/// anything but a regular file is refused before it is opened: a named pipe
/// would block the read forever, a device never ends.
fn read_limited(path: &Path, limit: u64) -> Result<Vec<u8>, LoadError> {
    use std::io::Read;
    let io = |source| LoadError::Io { path: path.into(), source };
    regular(path, &std::fs::metadata(path).map_err(io)?)?;
    let file = std::fs::File::open(path).map_err(io)?;
    // The file opened may not be the one looked at, if it was swapped since.
    regular(path, &file.metadata().map_err(io)?)?;
    let mut bytes = Vec::new();
    // Read one byte past the limit to tell "exactly at" from "over".
    file.take(limit + 1).read_to_end(&mut bytes).map_err(io)?;
    if bytes.len() as u64 > limit {
        let size = std::fs::metadata(path).map_or(0, |m| m.len()).max(bytes.len() as u64);
        return Err(LoadError::TooLarge { path: path.into(), size, limit });
    }
    Ok(bytes)
}

fn regular(path: &Path, metadata: &std::fs::Metadata) -> Result<(), LoadError> {
    let file_type = metadata.file_type();
    if file_type.is_file() {
        return Ok(());
    }
    #[cfg(unix)]
    let kind = {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            "a named pipe"
        } else if file_type.is_char_device() || file_type.is_block_device() {
            "a device"
        } else if file_type.is_socket() {
            "a socket"
        } else if file_type.is_dir() {
            "a folder"
        } else {
            "not a regular file"
        }
    };
    #[cfg(not(unix))]
    let kind = if file_type.is_dir() { "a folder" } else { "not a regular file" };
    Err(LoadError::NotAFile { path: path.into(), kind })
}

/// A byte count as people read it: `512 bytes`, `15.2 MiB`.
fn bytes(count: u64) -> String {
    const UNITS: [&str; 3] = ["KiB", "MiB", "GiB"];
    if count < 1024 {
        return format!("{count} bytes");
    }
    let mut value = count as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    if value.fract() == 0.0 { format!("{value} {}", UNITS[unit]) } else { format!("{value:.1} {}", UNITS[unit]) }
}

/// The UTF-8 byte-order mark.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Turns bytes into a source file; text that is not UTF-8 is reported at
/// the first bad byte and kept (lossily) so the report can show it.
fn to_source(
    sources: &mut Sources,
    path: PathBuf,
    bytes: Vec<u8>,
    kind: SourceKind,
    diagnostics: &mut Vec<Diagnostic>,
) -> (SourceId, bool) {
    // A byte-order mark (spreadsheet programs write one) is not content.
    let mut bytes = bytes;
    if bytes.starts_with(BOM) {
        bytes.drain(..BOM.len());
    }
    match String::from_utf8(bytes) {
        Ok(text) => (sources.add(SourceFile::new(path, text, kind)), true),
        Err(error) => {
            let offset = error.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(error.as_bytes()).into_owned();
            let file = sources.add(SourceFile::new(path, text, kind));
            // In the lossy text, the bad byte became U+FFFD at the same offset.
            diagnostics.push(
                Diagnostic::error(
                    Code::NotUtf8,
                    Span::new(file, offset, offset + '\u{FFFD}'.len_utf8()),
                    "the file is not UTF-8 text",
                )
                .with_label("this byte is not valid UTF-8")
                .with_help("save the file as UTF-8 (spreadsheet programs call it \"CSV UTF-8\")"),
            );
            (file, false)
        }
    }
}

/// Loads YAML plan files given as (path, bytes): one plan, its sections merged.
pub fn load_yaml_bytes(files: Vec<(PathBuf, Vec<u8>)>) -> Plan {
    let mut sources = Sources::default();
    let mut diagnostics = Vec::new();
    let mut docs = Vec::new();
    let mut first_file = None;
    // A file that could not be read, or whose `program` section could not
    // be decoded, may be where the program is: then its absence is not news.
    let mut program_unreadable = false;
    for (path, bytes) in files {
        let (file, ok) = to_source(&mut sources, path, bytes, SourceKind::Yaml, &mut diagnostics);
        first_file.get_or_insert(file);
        if !ok {
            program_unreadable = true;
            continue;
        }
        match yaml::parse(file, sources.get(file)) {
            Ok(node) => {
                if matches!(node.kind, yaml::NodeKind::Null) {
                    continue; // an empty file adds nothing
                }
                let mut cx = Cx::new(&mut diagnostics);
                match PlanDoc::decode(&node, &mut cx) {
                    Some(doc) => {
                        program_unreadable |= doc.program.is_none() && names_program(&node);
                        docs.push(doc);
                    }
                    None => program_unreadable = true,
                }
            }
            Err(diagnostic) => {
                program_unreadable = true;
                diagnostics.push(*diagnostic);
            }
        }
    }
    let fallback = Origin::Span(Span::new(first_file.unwrap_or_default(), 0, 0));
    resolve_documents(sources, diagnostics, docs, program_unreadable, fallback)
}

/// The plan of `docs`, resolved unless the program section was there but
/// could not be read (then its problems are the plan's, not a missing
/// program's); `fallback` is where problems without a place of their own go.
pub(crate) fn resolve_documents(
    sources: Sources,
    mut diagnostics: Vec<Diagnostic>,
    docs: Vec<PlanDoc>,
    program_unreadable: bool,
    fallback: Origin,
) -> Plan {
    let program = resolve_borrowed(&mut diagnostics, &docs, program_unreadable, fallback);
    Plan::new(sources, diagnostics, program, docs)
}

/// [`resolve_documents`] of documents its caller keeps (the server's entry
/// cache, which patches them between loads): the plan holds no documents.
pub(crate) fn resolve_kept_documents(
    sources: Sources,
    mut diagnostics: Vec<Diagnostic>,
    docs: &[PlanDoc],
    program_unreadable: bool,
    fallback: Origin,
) -> Plan {
    let program = resolve_borrowed(&mut diagnostics, docs, program_unreadable, fallback);
    Plan::new(sources, diagnostics, program, Vec::new())
}

fn resolve_borrowed(
    diagnostics: &mut Vec<Diagnostic>,
    docs: &[PlanDoc],
    program_unreadable: bool,
    fallback: Origin,
) -> Option<Program> {
    let has_program = docs.iter().any(|d| d.program.is_some());
    if has_program || !program_unreadable {
        let resolution = linchpin_model::resolve(docs, fallback);
        diagnostics.extend(resolution.diagnostics);
        resolution.program
    } else {
        None
    }
}

/// Whether a plan file's top level has a `program` key.
fn names_program(node: &yaml::Node) -> bool {
    let yaml::NodeKind::Map(entries) = &node.kind else { return false };
    entries.iter().any(|(key, _)| matches!(&key.kind, yaml::NodeKind::Scalar { text, .. } if &**text == "program"))
}

/// The documents one YAML plan file holds, or `None` when it is not a
/// plan file (its problems are what loading the plan reports). Front ends
/// that write into a plan folder (the importers) read what the user's own
/// files define this way.
pub fn decode_yaml(text: &str) -> Option<PlanDoc> {
    let source = SourceFile::new("plan.yaml", text.to_owned(), SourceKind::Yaml);
    let node = yaml::parse(SourceId(0), &source).ok()?;
    let mut diagnostics = Vec::new();
    PlanDoc::decode(&node, &mut Cx::new(&mut diagnostics))
}

/// Loads one YAML plan from text (tests, fuzzing, the server).
pub fn load_yaml_str(name: &str, text: &str) -> Plan {
    load_yaml_bytes(vec![(PathBuf::from(name), text.as_bytes().to_vec())])
}

/// Loads a spreadsheet CSV and, optionally, its teams file.
pub fn load_csv_bytes(path: &Path, bytes: Vec<u8>, teams: Option<(PathBuf, Vec<u8>)>, start: NaiveDate) -> Plan {
    let mut sources = Sources::default();
    let mut diagnostics = Vec::new();
    let kind = SourceKind::Csv { delimiter: spreadsheet::delimiter(&bytes, spreadsheet::Sheet::Items) };
    let (file, ok) = to_source(&mut sources, path.to_owned(), bytes, kind, &mut diagnostics);
    let mut capacities = Vec::new();
    let mut teams_ok = true;
    if let Some((teams_path, teams_bytes)) = teams {
        let kind = SourceKind::Csv { delimiter: spreadsheet::delimiter(&teams_bytes, spreadsheet::Sheet::Teams) };
        let (teams_file, ok) = to_source(&mut sources, teams_path, teams_bytes, kind, &mut diagnostics);
        teams_ok = ok;
        if ok {
            capacities = spreadsheet::read_teams(teams_file, sources.get(teams_file), &mut diagnostics);
        }
    }
    let name = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let program = if ok && teams_ok {
        spreadsheet::read_items(file, sources.get(file), &name, start, capacities, &mut diagnostics)
    } else {
        None
    };
    Plan::new(sources, diagnostics, program, Vec::new())
}

/// The JSON Schema of the YAML plan format, for editors.
pub fn json_schema() -> serde_json::Value {
    schema::document::<PlanDoc>("Linchpin plan", "https://linchpin.dev/schema/plan.json")
}

/// Every document of a multi-document YAML file as JSON values, parsed
/// with the plan files' caps (depth, values, aliases), for front ends that
/// read other YAML formats (a Backstage catalog).
pub fn yaml_documents_to_json(name: &str, text: &str) -> Result<Vec<serde_json::Value>, Box<Diagnostic>> {
    let source = SourceFile::new(name, text.to_owned(), SourceKind::Yaml);
    Ok(yaml::parse_documents(SourceId(0), &source)?.iter().map(yaml::to_json).collect())
}

/// A YAML plan as JSON values (dates as strings), in the shape the JSON
/// Schema describes; used to validate plans against the schema.
pub fn yaml_to_json(text: &str) -> Result<serde_json::Value, Box<Diagnostic>> {
    let source = SourceFile::new("plan.yaml", text.to_owned(), SourceKind::Yaml);
    let node = yaml::parse(SourceId(0), &source)?;
    Ok(yaml::to_json(&node))
}
