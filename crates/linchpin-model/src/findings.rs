//! What the plan says about its own findings: the thresholds a program
//! judges itself by, and the findings its TPM has looked at and accepted.

use chrono::NaiveDate;

/// The kinds of coordination risk and schedule-health finding.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FindingKind {
    /// A system or interface the work of several teams relies on.
    SharedDependency,
    /// A system many milestones hang on, or a team that owns most of the critical path.
    SinglePointOfFailure,
    /// Work consuming an interface whose contract is not yet agreed.
    BuiltBeforeContract,
    /// Work other teams wait on that has little slack, no owner or no estimate.
    FragileDependency,
    /// A team asked for more than it has over some weeks.
    OverCommittedTeam,
    /// An open decision that must be made soon for the work waiting on it to start on time.
    DecisionNeeded,
    /// An unresolved blocker.
    Blocker,
    /// Work in progress nobody has reported on lately.
    StaleStatus,
    /// A milestone whose P80 date is after its target.
    MilestoneAtRisk,
    /// A failed schedule-quality check (adapted from the DCMA 14-point assessment).
    ScheduleQuality,
}

impl FindingKind {
    pub const ALL: [FindingKind; 10] = [
        FindingKind::SharedDependency,
        FindingKind::SinglePointOfFailure,
        FindingKind::BuiltBeforeContract,
        FindingKind::FragileDependency,
        FindingKind::OverCommittedTeam,
        FindingKind::DecisionNeeded,
        FindingKind::Blocker,
        FindingKind::StaleStatus,
        FindingKind::MilestoneAtRisk,
        FindingKind::ScheduleQuality,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            FindingKind::SharedDependency => "shared_dependency",
            FindingKind::SinglePointOfFailure => "single_point_of_failure",
            FindingKind::BuiltBeforeContract => "built_before_contract",
            FindingKind::FragileDependency => "fragile_dependency",
            FindingKind::OverCommittedTeam => "over_committed_team",
            FindingKind::DecisionNeeded => "decision_needed",
            FindingKind::Blocker => "blocker",
            FindingKind::StaleStatus => "stale_status",
            FindingKind::MilestoneAtRisk => "milestone_at_risk",
            FindingKind::ScheduleQuality => "schedule_quality",
        }
    }

    /// What the part of a finding id after the colon names.
    pub fn subject(self) -> &'static str {
        match self {
            FindingKind::SharedDependency => "a system or interface id",
            FindingKind::SinglePointOfFailure => "a system or team id",
            FindingKind::BuiltBeforeContract => "an interface id",
            FindingKind::OverCommittedTeam => "a team id",
            FindingKind::DecisionNeeded => "a decision id",
            FindingKind::FragileDependency | FindingKind::Blocker | FindingKind::StaleStatus => "an item id",
            FindingKind::MilestoneAtRisk => "a milestone id",
            FindingKind::ScheduleQuality => "a check name",
        }
    }
}

/// The schedule-quality checks, adapted from the DCMA 14-point assessment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum QualityCheck {
    MissingLogic,
    Leads,
    Lags,
    RelationshipTypes,
    HardConstraints,
    HighSlack,
    LongDurations,
    InvalidDates,
    MissedTasks,
    CriticalPathTest,
    CriticalPathLengthIndex,
    BaselineExecutionIndex,
}

impl QualityCheck {
    pub const ALL: [QualityCheck; 12] = [
        QualityCheck::MissingLogic,
        QualityCheck::Leads,
        QualityCheck::Lags,
        QualityCheck::RelationshipTypes,
        QualityCheck::HardConstraints,
        QualityCheck::HighSlack,
        QualityCheck::LongDurations,
        QualityCheck::InvalidDates,
        QualityCheck::MissedTasks,
        QualityCheck::CriticalPathTest,
        QualityCheck::CriticalPathLengthIndex,
        QualityCheck::BaselineExecutionIndex,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            QualityCheck::MissingLogic => "missing_logic",
            QualityCheck::Leads => "leads",
            QualityCheck::Lags => "lags",
            QualityCheck::RelationshipTypes => "relationship_types",
            QualityCheck::HardConstraints => "hard_constraints",
            QualityCheck::HighSlack => "high_slack",
            QualityCheck::LongDurations => "long_durations",
            QualityCheck::InvalidDates => "invalid_dates",
            QualityCheck::MissedTasks => "missed_tasks",
            QualityCheck::CriticalPathTest => "critical_path_test",
            QualityCheck::CriticalPathLengthIndex => "critical_path_length_index",
            QualityCheck::BaselineExecutionIndex => "baseline_execution_index",
        }
    }
}

/// The limits findings are raised at. A plan may override any of them.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Thresholds {
    /// Work within this many working days of slack counts as near-critical.
    pub near_critical_days: f64,
    /// A system or interface is a shared dependency from this many teams on.
    pub shared_min_teams: u32,
    /// A system is a single point of failure when at least this share of
    /// the milestones hangs on it ...
    pub spof_milestone_share: f64,
    /// ... and it is a cut vertex of the system graph or at least this many
    /// systems depend on it.
    pub spof_min_dependents: u32,
    /// A team is a single point of failure when it owns at least this share
    /// of the remaining critical-path work.
    pub spof_team_share: f64,
    /// A cross-team dependency is fragile when the upstream item has at
    /// most this many working days of slack.
    pub fragile_slack_days: f64,
    /// A week is over-committed when demand exceeds capacity times this.
    pub overload_ratio: f64,
    /// A decision is raised when it is needed within this many working days.
    pub decision_warning_days: f64,
    /// A blocker older than this many days without escalation is high severity.
    pub blocker_escalation_days: u32,
    /// Work in progress with no update for more than this many days is stale.
    pub stale_days: u32,
    /// Schedule quality: slack above this many working days is "high".
    pub high_slack_days: f64,
    /// Schedule quality: durations above this many working days are "long".
    pub long_duration_days: f64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            near_critical_days: 10.0,
            shared_min_teams: 3,
            spof_milestone_share: 0.5,
            spof_min_dependents: 3,
            spof_team_share: 0.5,
            fragile_slack_days: 5.0,
            overload_ratio: 1.0,
            decision_warning_days: 10.0,
            blocker_escalation_days: 5,
            stale_days: 10,
            // The DCMA assessment's 44 working days (two months).
            high_slack_days: 44.0,
            long_duration_days: 44.0,
        }
    }
}

/// A finding the TPM has looked at and decided to live with.
#[derive(Clone, Debug, PartialEq)]
pub struct AcceptedFinding {
    pub kind: FindingKind,
    /// What the finding is about, as in its id (`kind:subject`).
    pub subject: String,
    pub reason: String,
    pub owner: String,
    /// The acceptance lapses after this date and the finding is raised again.
    pub until: Option<NaiveDate>,
}

impl AcceptedFinding {
    /// The id of the finding accepted, `kind:subject`.
    pub fn id(&self) -> String {
        format!("{}:{}", self.kind.as_str(), self.subject)
    }
}
