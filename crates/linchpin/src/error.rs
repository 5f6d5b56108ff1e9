//! What stops a command before it can judge the plan (exit code 2), typed
//! to the edge: the message is said once, with its causes after it.

use std::path::PathBuf;

use linchpin_analysis::AnalysisError;
use linchpin_engine::rcpsp::psplib::PsplibError;
use linchpin_plan::LoadError;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Load(#[from] LoadError),
    #[error(transparent)]
    Analysis(#[from] AnalysisError),
    #[error("cannot read `{}`", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot write `{}`", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("`{}` already exists; pass `--force` to overwrite it", path.display())]
    Exists { path: PathBuf },
    #[error("`{}` is not a solutions table", path.display())]
    Solutions {
        path: PathBuf,
        #[source]
        source: PsplibError,
    },
    #[error("`{}` holds no `.sm` instances", path.display())]
    NoInstances { path: PathBuf },
    #[error("`{name}`")]
    Instance {
        name: String,
        #[source]
        source: PsplibError,
    },
    #[error("no best-known makespan for `{name}`")]
    NoBest { name: String },
    #[error("cannot start worker threads")]
    Threads(#[source] rayon::ThreadPoolBuildError),
    #[error("`{old}` is now `{new}`")]
    Renamed { old: String, new: String },
    #[error("`--audience team` needs `--team ID`")]
    TeamNeeded,
    #[error("`--team` is for `--audience team`; leave out `--audience` or make it `team`")]
    TeamWithoutTeamAudience,
    #[error("the folder `{path}` does not exist; create it first")]
    NoOutputFolder { path: String },
    #[error("`--format pdf` needs `-o FILE`")]
    PdfNeedsOutput,
    #[error("the plan at `{spec}` has errors; fix them there or compare with another version")]
    EarlierPlan { spec: String },
    #[error("cannot read the plan at revision `{revision}`: {why}")]
    Revision { revision: String, why: String },
    #[error(
        "a PDF is printed by headless Chromium, which is not installed: install Debian's `chromium` package (`apt-get install chromium`) or set LINCHPIN_CHROMIUM to a Chromium binary"
    )]
    NoBrowser,
    #[error("`{}` could not print the report to PDF", browser.display())]
    Browser { browser: PathBuf },
    #[error("`linchpin fit` needs a resume (or `--print-model`)")]
    ResumeNeeded,
    #[error("at most {most} listings are compared at once")]
    TooManyListings { most: usize },
    #[error("`{}` is not a file", path.display())]
    NotADocument { path: PathBuf },
    #[error("cannot read `{}` as a resume or listing", path.display())]
    Document {
        path: PathBuf,
        #[source]
        source: linchpin_fit::extract::ExtractError,
    },
    #[error("reading `{}` took more than {seconds} seconds; export it again or save it as plain text", path.display())]
    DocumentTimeout { path: PathBuf, seconds: u64 },
    #[error("`{}` is not a valid competency model", path.display())]
    Model {
        path: PathBuf,
        #[source]
        source: linchpin_fit::ModelError,
    },
    #[error("unknown team `{key}`{}", .suggestion.as_ref().map_or(String::new(), |s| format!(", did you mean `{s}`?")))]
    UnknownTeam { key: String, suggestion: Option<String> },
    #[error("cannot import `{}`", path.display())]
    Import {
        path: PathBuf,
        #[source]
        source: linchpin_interop::import::ImportError,
    },
    #[error(
        "the import is {} MiB of YAML, which with the plan's own files is more than the {} MiB a plan may hold; import fewer issues (a narrower filter), or leave tags out (`tags: []` in the mapping); the last import is kept",
        bytes >> 20, linchpin_plan::MAX_YAML_BYTES >> 20
    )]
    ImportTooLarge { bytes: u64 },
    #[error(
        "the import would not load as a plan: {why}; import fewer issues (a narrower filter), or leave tags out (`tags: []` in the mapping); the last import is kept"
    )]
    ImportRefused { why: String },
    #[error("an MS Project import reads one file")]
    OneFile,
    #[error("`{}` is not a mapping: {why}", path.display())]
    Mapping { path: PathBuf, why: String },
    #[error("{0}")]
    Server(String),
    #[error(
        "no API token for {server}: set LINCHPIN_TOKEN, or add it to `{}` as [servers.\"{server}\"] token = \"…\" (make one on the server's account page or with POST /api/v1/me/tokens)",
        file.display()
    )]
    NoToken { server: String, file: PathBuf },
    #[error("the server refused ({status}): {message}")]
    Refused { status: u16, message: String },
}

impl Error {
    /// A stable name for the kind of failure, for scripts reading JSON.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Load(LoadError::Io { .. }) | Error::Read { .. } => "cannot-read",
            Error::Load(
                LoadError::TooLarge { .. } | LoadError::FolderTooLarge { .. } | LoadError::TooManyFiles { .. },
            ) => "too-large",
            Error::Load(LoadError::NotAFile { .. }) => "not-a-file",
            Error::Load(_) => "not-a-plan",
            Error::Analysis(error) => error.code(),
            Error::Write { .. } => "cannot-write",
            Error::Exists { .. } => "exists",
            Error::Solutions { .. } | Error::NoInstances { .. } | Error::Instance { .. } | Error::NoBest { .. } => {
                "bad-benchmark"
            }
            Error::Threads(_) => "threads",
            Error::Renamed { .. } => "renamed-option",
            Error::TeamNeeded
            | Error::TeamWithoutTeamAudience
            | Error::NoOutputFolder { .. }
            | Error::UnknownTeam { .. }
            | Error::PdfNeedsOutput => "bad-option",
            Error::NoBrowser | Error::Browser { .. } => "no-browser",
            Error::EarlierPlan { .. } | Error::Revision { .. } => "bad-since",
            Error::ResumeNeeded | Error::TooManyListings { .. } => "bad-option",
            Error::NotADocument { .. } => "not-a-file",
            Error::Document { source: linchpin_fit::extract::ExtractError::TooLarge, .. } => "too-large",
            Error::Document { .. } | Error::DocumentTimeout { .. } => "not-a-document",
            Error::Model { .. } => "bad-model",
            Error::Import { .. } => "cannot-import",
            Error::ImportTooLarge { .. } | Error::ImportRefused { .. } => "too-large",
            Error::OneFile => "bad-option",
            Error::Mapping { .. } => "bad-mapping",
            Error::Server(_) => "server",
            Error::NoToken { .. } => "no-token",
            Error::Refused { status: 409, .. } => "conflict",
            Error::Refused { .. } => "refused",
        }
    }

    /// The message and every cause after it, each said once.
    pub fn chain(&self) -> String {
        let mut message = self.to_string();
        let mut source = std::error::Error::source(self);
        while let Some(cause) = source {
            message.push_str(": ");
            message.push_str(&cause.to_string());
            source = cause.source();
        }
        message
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cause_is_said_once() {
        let error = Error::Load(LoadError::Io {
            path: "plan.yaml".into(),
            source: std::io::Error::new(std::io::ErrorKind::NotFound, "No such file or directory"),
        });
        assert_eq!(error.chain(), "cannot read `plan.yaml`: No such file or directory");
        assert_eq!(error.code(), "cannot-read");
    }
}
