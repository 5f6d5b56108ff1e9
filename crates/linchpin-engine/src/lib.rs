//! Pure analyses over the program model.
//!
//! Everything here is a function of a [`linchpin_model::Program`] (and
//! explicit parameters such as a seed): no I/O, no clocks, no global state,
//! so the CLI and the server get the same answers from the same plan.

pub mod cpm;
pub mod forecast;
pub mod graph;
pub mod network;
pub mod progress;
pub mod rcpsp;
pub mod schedule;
pub mod time;
