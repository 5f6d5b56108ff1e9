//! What a finding suggests doing, as data: who does what, about which
//! entities, by when. [`crate::render::action`] says it in words.

use chrono::NaiveDate;
use linchpin_engine::forecast::DriverKind;
use linchpin_model::{DecisionId, InterfaceId, ItemId, MilestoneId, QualityCheck, SystemId, TeamId};

use crate::facts::{Shared, Who};

/// A suggested action.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// One coordinator for the changes to a shared dependency across the
    /// teams relying on it.
    CoordinateChanges {
        shared: Shared,
        /// The owning team, whose lead coordinates; `None`: name an owner first.
        coordinator: Option<TeamId>,
        teams: usize,
        /// With near-critical work: freeze changes from a date and review the work together.
        freeze: Option<Freeze>,
    },
    /// Make sure a system everything hangs on can fail safely.
    HardenSystem {
        system: SystemId,
        /// Who to check with; `None`: the system is outside the program.
        owner: Option<TeamId>,
        /// The next milestone to keep risky changes away from, and its target.
        keep_clear_of: Option<(MilestoneId, NaiveDate)>,
    },
    /// Shield the team owning the critical path from other work.
    ProtectFocus {
        team: TeamId,
        until: NaiveDate,
        /// The item to pair someone from another team on.
        pair_on: Option<ItemId>,
    },
    /// Agree the contract this week.
    AgreeContractNow {
        interface: InterfaceId,
        /// The provider's team, then the consumers'.
        room: Vec<TeamId>,
        /// Consuming work is already under way.
        work_under_way: bool,
    },
    /// Review the contract before the consuming work starts, or make that
    /// work wait on the item that settles it.
    ReviewContract {
        interface: InterfaceId,
        room: Vec<TeamId>,
        before: NaiveDate,
        settled_by: ItemId,
        hold_back_days: f64,
    },
    /// Agree the contract before the consuming work starts, and link the
    /// item that settles it.
    AgreeContractAndLink { interface: InterfaceId, room: Vec<TeamId>, before: NaiveDate },
    /// Agree a handoff date and check it weekly.
    AgreeHandoff {
        upstream: ItemId,
        date: NaiveDate,
        upstream_team: TeamId,
        downstream_teams: Vec<TeamId>,
        name_owner: bool,
        get_estimate: bool,
    },
    /// Add people to an over-committed team.
    AddPeople {
        team: TeamId,
        /// Whole people, at least one.
        people: f64,
        week: NaiveDate,
        /// Its work with slack that could move later, most slack first.
        move_later: Vec<ItemId>,
    },
    /// Book the meeting that makes a decision.
    BookDecisionMeeting {
        decision: DecisionId,
        /// `None`: now.
        before: Option<NaiveDate>,
        /// Who brings the options, when not the one deciding.
        brings_options: Option<String>,
        /// Who makes the call (`None`: the approver, whom the plan does not name).
        decides: Option<String>,
    },
    /// Write down what blocks an item.
    RecordBlocker { item: ItemId },
    /// Ask whoever a blocker is escalated to for a date.
    AskForClearDate { item: ItemId, escalated_to: String },
    /// Escalate a blocker open past the plan's limit.
    Escalate {
        item: ItemId,
        /// `None`: the program sponsor.
        to: Option<Who>,
        age_days: i64,
        limit_days: i64,
    },
    /// Agree a date to clear a blocker, and when to escalate it.
    AgreeClearDate {
        item: ItemId,
        /// The oldest blocker's owner (`None`: the item's owner).
        with: Option<String>,
        /// `None`: the program sponsor.
        escalate_to: Option<Who>,
        escalate_on: NaiveDate,
    },
    /// Ask for an update on stale work.
    AskForUpdate { item: ItemId, ask: Who },
    /// Win back the days between a milestone's target and its P80.
    ShortenForecast {
        milestone: MilestoneId,
        /// What to work on first (`None`: scope on its critical path).
        first: Option<DriverKind>,
        days: f64,
        p80: NaiveDate,
    },
    /// Win back the days a milestone is planned late.
    ShortenPlan { milestone: MilestoneId, days: f64 },
    /// Win back the days work is late against its deadline.
    MeetDeadline {
        work: linchpin_engine::schedule::Work,
        days: f64,
        /// The forecast's P80 date, when one ran.
        p80: Option<NaiveDate>,
    },
    /// Fix what a failed schedule-quality check found.
    FixSchedule(QualityCheck),
}

/// A freeze window on a shared dependency.
#[derive(Clone, Debug, PartialEq)]
pub struct Freeze {
    pub from: NaiveDate,
    /// The near-critical work to review together.
    pub review: Vec<ItemId>,
}
