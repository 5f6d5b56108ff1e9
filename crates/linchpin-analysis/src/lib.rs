//! The analyses a front end asks for, as a library the CLI, the report
//! renderer and the server all call: settings resolved once from their
//! sources ([`settings`]), what-ifs read as people type them
//! ([`what_if`]), the runs in one fixed order ([`run`]), and the results as
//! plain serialisable views ([`view`]), whose JSON is what
//! `--format json` prints.
//!
//! Pure like the engine: no files, no terminal, no clock, no environment.
//! Long runs report to a progress sink that can stop them, so a server can
//! bound a request's time.

pub mod run;
pub mod settings;
pub mod view;
pub mod what_if;

pub use run::AnalysisError;
pub use settings::{RawSettings, Settings, SettingsError};
