//! Skills analysis: how a resume maps to what technical program manager
//! roles require.

pub mod extract;
pub mod model;
pub mod terms;
