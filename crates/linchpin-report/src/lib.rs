//! Status reports: one set of facts (the schedule, the forecast and the
//! findings that `linchpin schedule`, `forecast` and `findings` print),
//! told to three readers. `health` derives green, amber or red for each
//! milestone and the program from documented rules; `register` writes the
//! executive, engineering and team registers as a `document`, which renders
//! as Markdown or as one self-contained HTML page; `charts` draws the SVG
//! they hold. Pure: no I/O.

pub mod charts;
pub mod document;
pub mod green;
pub mod health;
pub mod register;
pub mod since;
#[cfg(test)]
mod testing;
mod text;

use linchpin_engine::forecast::{Forecast, ForecastOptions};
use linchpin_engine::schedule::Schedule;
use linchpin_findings::Report;
use linchpin_model::{Program, TeamId};

/// Who a report is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Audience {
    /// One page for the VP: health, milestones, risks, decisions, asks.
    Executive,
    /// The critical path, hand-offs, contracts, blockers and findings.
    Engineering,
    /// One team's lead: what it owes, waits on, its load and its items.
    Team(TeamId),
}

/// Everything a report is written from, computed once by the engine.
pub struct Facts<'a> {
    pub program: &'a Program,
    /// The schedule the program works to (capacity-aware by default).
    pub roadmap: &'a Schedule,
    pub forecast: &'a Forecast,
    /// The options the forecast ran with, for the what-ifs a report tries.
    pub options: ForecastOptions,
    pub findings: &'a Report,
    /// What changed since an earlier version of the plan, when asked.
    pub since: Option<&'a since::Since>,
    /// The plan's versions since then, oldest first, for the milestone trend.
    pub trend: &'a [charts::Version],
}
