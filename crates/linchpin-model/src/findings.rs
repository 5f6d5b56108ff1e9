//! What the plan says about its own findings: the thresholds a program
//! judges itself by, and the findings its TPM has looked at and accepted.

use chrono::NaiveDate;

use crate::{DecisionId, GroupId, InterfaceId, ItemId, MilestoneId, Program, SystemId, TeamId};

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
    /// Work with a deadline planned, or forecast at P80, to finish after it.
    DeadlineAtRisk,
    /// A failed schedule-quality check (adapted from the DCMA 14-point assessment).
    ScheduleQuality,
}

impl FindingKind {
    pub const ALL: [FindingKind; 11] = [
        FindingKind::SharedDependency,
        FindingKind::SinglePointOfFailure,
        FindingKind::BuiltBeforeContract,
        FindingKind::FragileDependency,
        FindingKind::OverCommittedTeam,
        FindingKind::DecisionNeeded,
        FindingKind::Blocker,
        FindingKind::StaleStatus,
        FindingKind::MilestoneAtRisk,
        FindingKind::DeadlineAtRisk,
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
            FindingKind::DeadlineAtRisk => "deadline_at_risk",
            FindingKind::ScheduleQuality => "schedule_quality",
        }
    }

    /// The kinds of thing a finding of this kind can be about.
    pub fn subject_kinds(self) -> &'static [SubjectKind] {
        match self {
            FindingKind::SharedDependency => &[SubjectKind::System, SubjectKind::Interface],
            FindingKind::SinglePointOfFailure => &[SubjectKind::System, SubjectKind::Team],
            FindingKind::BuiltBeforeContract => &[SubjectKind::Interface],
            FindingKind::OverCommittedTeam => &[SubjectKind::Team],
            FindingKind::DecisionNeeded => &[SubjectKind::Decision],
            FindingKind::FragileDependency | FindingKind::Blocker | FindingKind::StaleStatus => &[SubjectKind::Item],
            FindingKind::MilestoneAtRisk => &[SubjectKind::Milestone],
            FindingKind::DeadlineAtRisk => &[SubjectKind::Item, SubjectKind::Group],
            FindingKind::ScheduleQuality => &[SubjectKind::Check],
        }
    }

    /// The id of the finding of this kind about the subject of kind
    /// `subject` keyed `key`: `kind:key`, or `kind:subject:key` when this kind
    /// of finding can be about another kind of thing and the plan has one
    /// keyed `key` too (`defines` says whether it does). The one rule for the
    /// ids `linchpin findings` prints and the ids plans accept.
    pub fn id(self, subject: SubjectKind, key: &str, defines: impl Fn(SubjectKind, &str) -> bool) -> String {
        let ambiguous = self.subject_kinds().iter().any(|&other| other != subject && defines(other, key));
        if ambiguous {
            format!("{}:{}:{key}", self.as_str(), subject.as_str())
        } else {
            format!("{}:{key}", self.as_str())
        }
    }

    /// The id of the finding of this kind about `subject` in `program`.
    pub fn id_in(self, subject: FindingSubject, program: &Program) -> String {
        self.id(subject.kind(), subject.key(program), |kind, key| defines(program, kind, key))
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
            FindingKind::DeadlineAtRisk => "an item or group id",
            FindingKind::ScheduleQuality => "a check name",
        }
    }
}

/// Whether `program` has a `kind` of thing keyed `key`.
fn defines(program: &Program, kind: SubjectKind, key: &str) -> bool {
    match kind {
        SubjectKind::Team => program.teams().iter().any(|t| t.key == key),
        SubjectKind::Item => program.items().iter().any(|i| i.key == key),
        SubjectKind::Group => program.groups().iter().any(|g| g.key == key),
        SubjectKind::Milestone => program.milestones().iter().any(|m| m.key == key),
        SubjectKind::System => program.systems().iter().any(|s| s.key == key),
        SubjectKind::Interface => program.interfaces().iter().any(|f| f.key == key),
        SubjectKind::Decision => program.decisions().iter().any(|d| d.key == key),
        SubjectKind::Check => QualityCheck::ALL.iter().any(|c| c.as_str() == key),
    }
}

/// The kinds of thing a finding can be about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SubjectKind {
    Team,
    Item,
    Group,
    Milestone,
    System,
    Interface,
    Decision,
    /// A schedule-quality check.
    Check,
}

impl SubjectKind {
    pub const ALL: [SubjectKind; 8] = [
        SubjectKind::Team,
        SubjectKind::Item,
        SubjectKind::Group,
        SubjectKind::Milestone,
        SubjectKind::System,
        SubjectKind::Interface,
        SubjectKind::Decision,
        SubjectKind::Check,
    ];

    /// The name a qualified finding id uses: `single_point_of_failure:team:ledger`.
    pub fn as_str(self) -> &'static str {
        match self {
            SubjectKind::Team => "team",
            SubjectKind::Item => "item",
            SubjectKind::Group => "group",
            SubjectKind::Milestone => "milestone",
            SubjectKind::System => "system",
            SubjectKind::Interface => "interface",
            SubjectKind::Decision => "decision",
            SubjectKind::Check => "check",
        }
    }
}

/// What a finding is about: one entity of the program, or a schedule-quality check.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FindingSubject {
    Team(TeamId),
    Item(ItemId),
    Group(GroupId),
    Milestone(MilestoneId),
    System(SystemId),
    Interface(InterfaceId),
    Decision(DecisionId),
    Check(QualityCheck),
}

impl FindingSubject {
    pub fn kind(self) -> SubjectKind {
        match self {
            FindingSubject::Team(_) => SubjectKind::Team,
            FindingSubject::Item(_) => SubjectKind::Item,
            FindingSubject::Group(_) => SubjectKind::Group,
            FindingSubject::Milestone(_) => SubjectKind::Milestone,
            FindingSubject::System(_) => SubjectKind::System,
            FindingSubject::Interface(_) => SubjectKind::Interface,
            FindingSubject::Decision(_) => SubjectKind::Decision,
            FindingSubject::Check(_) => SubjectKind::Check,
        }
    }

    /// The key the plan gives it (a check's name for a check).
    pub fn key(self, program: &Program) -> &str {
        match self {
            FindingSubject::Team(id) => &program.team(id).key,
            FindingSubject::Item(id) => &program.item(id).key,
            FindingSubject::Group(id) => &program.group(id).key,
            FindingSubject::Milestone(id) => &program.milestone(id).key,
            FindingSubject::System(id) => &program.system(id).key,
            FindingSubject::Interface(id) => &program.interface(id).key,
            FindingSubject::Decision(id) => &program.decision(id).key,
            FindingSubject::Check(check) => check.as_str(),
        }
    }
}

/// The schedule-quality checks, adapted from the DCMA 14-point assessment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
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
    /// Report health: a milestone is green only with at least this chance
    /// of its target ...
    pub health_green_chance: f64,
    /// ... and red below this one ...
    pub health_red_chance: f64,
    /// ... or when its P80 is more than this many working days after it.
    pub health_red_days: f64,
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
            health_green_chance: 0.8,
            health_red_chance: 0.5,
            health_red_days: 10.0,
        }
    }
}

/// A finding the TPM has looked at and decided to live with.
#[derive(Clone, Debug, PartialEq)]
pub struct AcceptedFinding {
    pub kind: FindingKind,
    /// What the finding is about, resolved from its id.
    pub subject: FindingSubject,
    pub reason: String,
    pub owner: String,
    /// The acceptance lapses after this date and the finding is raised again.
    pub until: Option<NaiveDate>,
}

impl AcceptedFinding {
    /// The id of the finding accepted, in the form `linchpin findings` prints it.
    pub fn id(&self, program: &Program) -> String {
        self.kind.id_in(self.subject, program)
    }
}
