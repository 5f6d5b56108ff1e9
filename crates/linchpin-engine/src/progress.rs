//! How far a long computation has got, and whether to go on: the capacity
//! search and the forecast report to a progress [`Sink`] as they work, and
//! stop when it says so, so a server can bound a request's time and a
//! terminal can show a progress line. Reporting never changes a result:
//! work that is not stopped is the same whatever the sink.

/// Whether to go on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flow {
    Continue,
    Stop,
}

/// Hears `done` of `total` units of work (schedules generated, forecast
/// iterations) and answers whether to go on.
pub trait Sink: Sync {
    fn report(&self, done: usize, total: usize) -> Flow;
}

impl<F: Fn(usize, usize) -> Flow + Sync> Sink for F {
    fn report(&self, done: usize, total: usize) -> Flow {
        self(done, total)
    }
}

/// A sink that hears nothing and never stops the work.
#[derive(Clone, Copy, Debug, Default)]
pub struct Quiet;

impl Sink for Quiet {
    fn report(&self, _: usize, _: usize) -> Flow {
        Flow::Continue
    }
}

/// The work was stopped by its progress sink before it finished.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("stopped after {done} of {total} units of work")]
pub struct Stopped {
    pub done: usize,
    pub total: usize,
}
