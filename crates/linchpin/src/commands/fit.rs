//! `linchpin fit RESUME [--job LISTING…]`: how a resume maps to the TPM
//! role and its neighbours, and to real listings, with quoted evidence. A
//! thin shell over `linchpin-fit`: it reads the files (bounded), runs the
//! analysis and prints it.

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

use linchpin_fit::extract::{self, Extracted, MAX_INPUT_BYTES};
use linchpin_fit::{Model, Options};

use crate::{Error, Outcome};

/// The most listings compared in one run.
pub const MAX_LISTINGS: usize = 20;
/// How long reading one document may take before it is given up: a PDF's
/// content streams can be made to take far longer than any resume needs.
pub const READ_SECONDS: u64 = 20;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The resume: plain text, Markdown, PDF or DOCX (told by its bytes).
    #[arg(required_unless_present = "print_model", value_name = "RESUME")]
    pub resume: Option<PathBuf>,
    /// A job listing to compare the resume with (same formats); repeat for
    /// more (at most 20).
    #[arg(long = "job", value_name = "LISTING")]
    pub jobs: Vec<PathBuf>,
    /// Text for a terminal, Markdown, JSON (exact quotes and offsets), or
    /// one self-contained HTML page.
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    /// A competency model of your own, in the format `--print-model` writes.
    #[arg(long, value_name = "FILE")]
    pub model: Option<PathBuf>,
    /// Print the default competency model (YAML) to start your own from.
    #[arg(long, conflicts_with_all = ["resume", "jobs", "model"])]
    pub print_model: bool,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    Md,
    Json,
    Html,
}

/// What `--format json` prints.
#[derive(serde::Serialize)]
struct Json<'a> {
    resume: Source,
    analysis: &'a linchpin_fit::Analysis,
    listings: Vec<ListingJson<'a>>,
}

#[derive(serde::Serialize)]
struct Source {
    file: String,
    format: extract::Format,
    /// Whether the text was cut at the most read.
    cut: bool,
}

#[derive(serde::Serialize)]
struct ListingJson<'a> {
    #[serde(flatten)]
    source: Source,
    #[serde(flatten)]
    comparison: &'a linchpin_fit::Comparison,
}

pub fn run(args: Args) -> Result<Outcome, Error> {
    if args.print_model {
        say!("{}", linchpin_fit::model::DEFAULT_MODEL);
        return Ok(Outcome::Success);
    }
    let Some(resume_path) = &args.resume else { return Err(Error::ResumeNeeded) };
    quiet_pdf_panics();
    if args.jobs.len() > MAX_LISTINGS {
        return Err(Error::TooManyListings { most: MAX_LISTINGS });
    }
    let model = match &args.model {
        None => Model::default_model(),
        Some(path) => {
            let bytes = read_bounded(path, linchpin_fit::model::MAX_MODEL_BYTES)?;
            let text = String::from_utf8(bytes).map_err(|_| Error::Model {
                path: path.clone(),
                source: linchpin_fit::ModelError {
                    line: 1,
                    column: 1,
                    field: String::new(),
                    message: "the file is not UTF-8 text".into(),
                },
            })?;
            Model::parse(&text).map_err(|source| Error::Model { path: path.clone(), source })?
        }
    };
    let resume = document(resume_path)?;
    let this_year = chrono::Datelike::year(&chrono::Local::now().date_naive());
    let mut analysis = linchpin_fit::analyse(&model, &resume.text, Options { this_year: Some(this_year) });
    analysis.cut |= resume.cut;
    let mut listings = Vec::new();
    for path in &args.jobs {
        let listing = document(path)?;
        let read = linchpin_fit::listing(&model, &listing.text);
        listings.push((path, listing, linchpin_fit::compare(&model, &analysis, read)));
    }
    let comparisons: Vec<linchpin_fit::Comparison> = listings.iter().map(|(_, _, c)| c.clone()).collect();
    match args.format {
        Format::Text => say!("{}", linchpin_fit::render::text(&model, &analysis, &comparisons)),
        Format::Md => say!("{}", linchpin_fit::render::document(&model, &analysis, &comparisons).to_markdown(&[])),
        Format::Html => say!("{}", linchpin_fit::render::document(&model, &analysis, &comparisons).to_html()),
        Format::Json => {
            let source =
                |path: &Path, e: &Extracted| Source { file: path.display().to_string(), format: e.format, cut: e.cut };
            crate::emit_json(&Json {
                resume: Source { cut: analysis.cut, ..source(resume_path, &resume) },
                analysis: &analysis,
                listings: listings
                    .iter()
                    .map(|(path, e, c)| ListingJson { source: source(path, e), comparison: c })
                    .collect(),
            });
        }
    }
    Ok(Outcome::Success)
}

/// `pdf-extract` panics on some damaged PDFs; the extractor catches those
/// panics and reports the PDF as unreadable, so the default hook's "thread
/// panicked" message would only alarm. A panic anywhere else is reported
/// as usual.
fn quiet_pdf_panics() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let in_pdf_reader =
            info.location().is_some_and(|l| ["/pdf-extract-", "/lopdf-"].iter().any(|c| l.file().contains(c)));
        if !in_pdf_reader {
            default(info);
        }
    }));
}

/// A file's bytes, refused past `most` before more than that is read.
fn read_bounded(path: &Path, most: usize) -> Result<Vec<u8>, Error> {
    let read_error = |source| Error::Read { path: path.to_owned(), source };
    let file = std::fs::File::open(path).map_err(read_error)?;
    let meta = file.metadata().map_err(read_error)?;
    if !meta.is_file() {
        return Err(Error::NotADocument { path: path.to_owned() });
    }
    let mut bytes = Vec::new();
    file.take(most as u64 + 1).read_to_end(&mut bytes).map_err(read_error)?;
    if bytes.len() > most {
        return Err(Error::Document { path: path.to_owned(), source: extract::ExtractError::TooLarge });
    }
    Ok(bytes)
}

/// A resume or listing as text. Extraction runs on its own thread with a
/// deadline: if a hostile PDF keeps it busy, the command ends with an
/// error and the thread ends with the process.
fn document(path: &Path) -> Result<Extracted, Error> {
    let bytes = read_bounded(path, MAX_INPUT_BYTES)?;
    let (send, receive) = std::sync::mpsc::channel();
    std::thread::Builder::new()
        .name("extract".into())
        .spawn(move || {
            let _ = send.send(extract::extract(&bytes));
        })
        .map_err(|source| Error::Read { path: path.to_owned(), source })?;
    match receive.recv_timeout(Duration::from_secs(READ_SECONDS)) {
        Ok(result) => result.map_err(|source| Error::Document { path: path.to_owned(), source }),
        Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
            Err(Error::DocumentTimeout { path: path.to_owned(), seconds: READ_SECONDS })
        }
        Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
            Err(Error::Document { path: path.to_owned(), source: extract::ExtractError::Unknown })
        }
    }
}
