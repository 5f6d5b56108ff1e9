//! Skills analysis: how a resume maps to what technical program manager
//! roles require, with the evidence for every score quoted from the
//! resume. Pure: it takes the bytes or text its caller read and returns a
//! structured analysis; no I/O, no global state.
//!
//! - [`model`]: the competency model as data (`model.yaml`, embedded, or a
//!   user's own), validated with the line and field of any problem.
//! - [`extract`]: a file's bytes to text: plain text, Markdown, PDF, DOCX,
//!   each bounded.
//! - [`sentences`], [`terms`], [`scale`], [`evidence`]: sentences with
//!   their byte ranges, the model's terms with inflections, scale signals,
//!   and which mentions are evidence (not negated, not wishes) and how
//!   strong.
//! - [`analysis`]: skill scores, background, role fits, gaps, years.
//! - [`mod@listing`]: what a job listing requires and prefers, and a resume
//!   compared with it point by point.
//! - [`render`]: text, and a document for Markdown and HTML.

pub mod analysis;
pub mod evidence;
pub mod extract;
pub mod listing;
pub mod model;
pub mod render;
pub mod scale;
pub mod sentences;
pub mod terms;

pub use analysis::{Analysis, Options, analyse};
pub use listing::{Comparison, compare, listing};
pub use model::{Model, ModelError};
