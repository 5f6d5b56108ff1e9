//! The program model: everything a technical program manager tracks about a
//! cross-team program, as plain data, and the one way to build it.
//!
//! This crate is pure: no I/O, no file formats, no async. Front ends (plan
//! files, the spreadsheet loader, importers, the shared server) turn what
//! they read into [`doc`] documents, each value with its [`Origin`]; the
//! [`resolve()`] resolver checks them and builds a [`Program`], reporting
//! every problem as a [`Diagnostic`]. The engine and the reports read a
//! program. Entities refer to each other through typed indexes
//! ([`ItemId`], [`TeamId`], ...) into the program's vectors, so a program
//! never holds a dangling reference.

mod calendar;
mod change;
pub mod dates;
pub mod diagnostic;
pub mod doc;
mod findings;
mod ids;
mod mix;
mod origin;
mod program;
pub mod resolve;
pub mod shape;

pub use calendar::{Calendar, Weekdays};
pub use change::{Change, ChangeError};
pub use diagnostic::{Code, Diagnostic, Severity};
pub use findings::{AcceptedFinding, FindingKind, FindingSubject, QualityCheck, SubjectKind, Thresholds};
pub use ids::{DecisionId, GroupId, InterfaceId, ItemId, MilestoneId, RiskId, SystemId, TeamId};
pub use mix::Part;
pub use origin::{FieldRef, Located, Origin, SourceId, Span};
pub use program::*;
pub use resolve::{Resolution, Resolver, resolve};

pub use chrono::NaiveDate;
