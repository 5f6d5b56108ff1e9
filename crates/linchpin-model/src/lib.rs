//! The program model: everything a technical program manager tracks about a
//! cross-team program, as plain data.
//!
//! This crate is pure: no I/O, no file formats, no async. Plan files, the
//! spreadsheet importer and (later) the shared server all build a
//! [`Program`]; the engine and the reports read one. Entities refer to each
//! other through typed indexes ([`ItemId`], [`TeamId`], ...) into the
//! program's vectors, so a resolved program never holds a dangling reference.

mod calendar;
mod findings;
mod ids;
mod program;

pub use calendar::{Calendar, Weekdays};
pub use findings::{AcceptedFinding, FindingKind, QualityCheck, Thresholds};
pub use ids::{DecisionId, InterfaceId, ItemId, MilestoneId, RiskId, SystemId, TeamId};
pub use program::*;

pub use chrono::NaiveDate;
