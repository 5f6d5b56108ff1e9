//! The plan file as written: every section and field, with spans, before
//! references are resolved. The same types generate the JSON Schema that
//! `linchpin schema` prints, so the schema cannot drift from the decoder.

use std::borrow::Cow;

use chrono::{NaiveDate, Weekday};
use linchpin_model::{Audience, ContractStatus, DecisionStatus, Health, ItemStatus, LinkKind, RiskStatus, SystemKind};
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};

use crate::decode::{Choice, Cx, Decode, Keyword, Spanned};
use crate::diagnostic::Diagnostic;
use crate::yaml::{Node, NodeKind};

macro_rules! field_type {
    (required, $ty:ty) => { $ty };
    (optional, $ty:ty) => { Option<$ty> };
    (list, $ty:ty) => { Vec<$ty> };
}

macro_rules! decode_field {
    (required, $fields:ident, $cx:ident, $name:ident, $what:expr) => {
        $fields.require($cx, stringify!($name), $what)
    };
    (optional, $fields:ident, $cx:ident, $name:ident, $what:expr) => {
        $fields.get($cx, stringify!($name))
    };
    (list, $fields:ident, $cx:ident, $name:ident, $what:expr) => {
        $fields.list($cx, stringify!($name))
    };
}

macro_rules! finish_field {
    (required, $value:ident) => {
        $value?
    };
    (optional, $value:ident) => {
        $value
    };
    (list, $value:ident) => {
        $value
    };
}

/// A section of the plan: a struct, its schema and its decoder from one
/// field list. `list` fields must also carry `#[schemars(default)]`.
macro_rules! document {
    (
        $(#[$meta:meta])*
        $name:ident as $what:literal {
            $( $(#[$fmeta:meta])* $field:ident : $ty:ty = $mode:ident ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, JsonSchema)]
        #[schemars(deny_unknown_fields)]
        pub struct $name {
            $( $(#[$fmeta])* pub $field: field_type!($mode, $ty), )*
        }

        impl $name {
            /// The field names this section accepts.
            pub const FIELDS: &'static [&'static str] = &[$(stringify!($field)),*];
        }

        impl Decode for $name {
            const EXPECTED: &'static str = concat!("a mapping (", $what, ")");
            fn decode(node: &Node, cx: &mut Cx) -> Option<Self> {
                let fields = cx.fields(node, $what, Self::FIELDS)?;
                $( let $field = decode_field!($mode, fields, cx, $field, $what); )*
                Some($name { $( $field: finish_field!($mode, $field), )* })
            }
        }
    };
}

document! {
    /// A Linchpin plan file. A plan may be one file or a folder of files whose
    /// sections are merged; exactly one of them holds `program`.
    PlanFile as "a plan file" {
        /// The program's name, dates and calendar.
        program: ProgramDoc = optional,
        /// The teams doing the work.
        #[schemars(default)]
        teams: TeamDoc = list,
        /// The work items.
        #[schemars(default)]
        items: ItemDoc = list,
        /// Dates committed to stakeholders and the work they need.
        #[schemars(default)]
        milestones: MilestoneDoc = list,
        /// Services, databases, queues, libraries and external dependencies.
        #[schemars(default)]
        systems: SystemDoc = list,
        /// API contracts between teams.
        #[schemars(default)]
        interfaces: InterfaceDoc = list,
        /// The risk register.
        #[schemars(default)]
        risks: RiskDoc = list,
        /// Open and made decisions.
        #[schemars(default)]
        decisions: DecisionDoc = list,
        /// What is stopping work right now.
        #[schemars(default)]
        blockers: BlockerDoc = list,
        /// Dated status reports (green / amber / red).
        #[schemars(default)]
        updates: UpdateDoc = list,
        /// Who reads the reports.
        #[schemars(default)]
        stakeholders: StakeholderDoc = list,
        /// Thresholds for `linchpin findings`, and the findings accepted.
        findings: FindingsDoc = optional,
        /// The dates each item was committed to when the baseline was taken.
        baseline: BaselineDoc = optional,
    }
}

document! {
    /// The program as a whole.
    ProgramDoc as "the program" {
        /// The program's name.
        name: Spanned<String> = required,
        /// What the program is for, in one sentence.
        goal: String = optional,
        /// The first working day.
        start: Spanned<NaiveDate> = required,
        /// The date progress is recorded "as of".
        status_date: Spanned<NaiveDate> = optional,
        /// Working weekdays and holidays for everyone.
        calendar: CalendarDoc = optional,
    }
}

document! {
    /// Which days are worked.
    CalendarDoc as "a calendar" {
        /// The worked weekdays; Monday to Friday when absent.
        working_days: Vec<Spanned<Choice<Weekday>>> = optional,
        /// Days (or ranges of days) nobody works.
        #[schemars(default)]
        holidays: HolidayDoc = list,
    }
}

document! {
    /// A team and its capacity.
    TeamDoc as "a team" {
        /// A short id used to refer to the team, e.g. `payments`.
        id: Spanned<String> = required,
        /// The team's display name.
        name: String = optional,
        /// The engineering lead.
        lead: String = optional,
        /// People available to the program from its start (default 1).
        capacity: Spanned<i64> = optional,
        /// Later changes: from a date on, a different number of people.
        #[schemars(default)]
        capacity_changes: CapacityChangeDoc = list,
        /// The team's own days off, on top of the program calendar.
        #[schemars(default)]
        holidays: HolidayDoc = list,
    }
}

document! {
    /// From a date on, a team has a different number of people.
    CapacityChangeDoc as "a capacity change" {
        /// The first day of the new capacity.
        from: Spanned<NaiveDate> = required,
        /// People available from that day.
        people: Spanned<i64> = required,
    }
}

document! {
    /// A piece of work one team delivers.
    ItemDoc as "a work item" {
        /// A unique id, e.g. `PAY-12`.
        id: Spanned<String> = required,
        title: Spanned<String> = required,
        /// The id of the team doing it.
        team: Spanned<String> = required,
        /// The person accountable.
        owner: String = optional,
        /// Working days: one number, `[optimistic, likely, pessimistic]`, or a mapping of the three.
        estimate: Spanned<EstimateDoc> = optional,
        /// People of the team it needs at once (default 1).
        people: Spanned<i64> = optional,
        /// not_started (default), in_progress, done or blocked.
        status: Spanned<Choice<ItemStatus>> = optional,
        actual_start: Spanned<NaiveDate> = optional,
        actual_finish: Spanned<NaiveDate> = optional,
        /// Working days left, for work in progress.
        remaining: Spanned<f64> = optional,
        /// Do not start before this date (a fixed-date constraint).
        not_before: Spanned<NaiveDate> = optional,
        /// Items this one waits on: an id (finish-to-start), or `{item, type, lag}`.
        #[schemars(default)]
        depends: DependencyDoc = list,
        /// Ids of the systems it touches.
        #[schemars(default)]
        systems: Spanned<String> = list,
        /// Ids of the interfaces (API contracts) it provides or consumes.
        #[schemars(default)]
        interfaces: Spanned<String> = list,
        /// The key in another tracker, e.g. a Jira key.
        key: String = optional,
        #[schemars(default)]
        tags: String = list,
    }
}

document! {
    /// A date committed to stakeholders.
    MilestoneDoc as "a milestone" {
        id: Spanned<String> = required,
        title: Spanned<String> = required,
        /// Ids of the items that must be done.
        #[schemars(default)]
        requires: Spanned<String> = list,
        /// The date committed to stakeholders.
        target: Spanned<NaiveDate> = optional,
    }
}

document! {
    /// A service, database, queue, library or external dependency.
    SystemDoc as "a system" {
        id: Spanned<String> = required,
        name: String = optional,
        /// service (default), database, queue, library or external.
        kind: Spanned<Choice<SystemKind>> = optional,
        /// The id of the owning team.
        owner: Spanned<String> = optional,
        /// Ids of the systems it depends on.
        #[schemars(default)]
        depends_on: Spanned<String> = list,
    }
}

document! {
    /// An API contract between a provider and its consumers.
    InterfaceDoc as "an interface" {
        id: Spanned<String> = required,
        name: String = optional,
        /// Who provides it: `{system, team}`; the team defaults to the system's owner.
        provider: Spanned<ProviderDoc> = required,
        /// Ids of the consuming teams.
        #[schemars(default)]
        consumers: Spanned<String> = list,
        /// draft (default), proposed, agreed or frozen.
        status: Spanned<Choice<ContractStatus>> = optional,
        /// When the contract was agreed.
        agreed: Spanned<NaiveDate> = optional,
        /// When agreement is expected, while still draft or proposed.
        expected: Spanned<NaiveDate> = optional,
        /// The id of the item whose completion agrees the contract.
        defined_by: Spanned<String> = optional,
    }
}

document! {
    /// The provider of an interface.
    ProviderDoc as "an interface provider" {
        /// The id of the providing system.
        system: Spanned<String> = optional,
        /// The id of the providing team.
        team: Spanned<String> = optional,
    }
}

document! {
    /// An entry in the risk register.
    RiskDoc as "a risk" {
        id: Spanned<String> = required,
        title: Spanned<String> = required,
        /// 1 (rare) to 5 (almost certain).
        likelihood: Spanned<i64> = required,
        /// 1 (minor) to 5 (severe).
        impact: Spanned<i64> = required,
        owner: String = optional,
        mitigation: String = optional,
        /// What would tell us it is happening.
        trigger: String = optional,
        /// open (default), owned, accepted, mitigated or resolved.
        status: Spanned<Choice<RiskStatus>> = optional,
        /// Ids of the items or milestones it affects.
        #[schemars(default)]
        affects: Spanned<String> = list,
        /// What it does to the schedule if it fires.
        schedule_impact: ScheduleImpactDoc = optional,
    }
}

document! {
    /// A risk's effect on the schedule.
    ScheduleImpactDoc as "a schedule impact" {
        /// The chance it fires, from 0 to 1.
        probability: Spanned<f64> = required,
        /// Working days added to each affected item: one number, `[min, likely, max]` or a mapping.
        delay: Spanned<EstimateDoc> = required,
    }
}

document! {
    /// A decision the program must make.
    DecisionDoc as "a decision" {
        id: Spanned<String> = required,
        question: Spanned<String> = required,
        /// Criteria the options are scored against, with weights.
        #[schemars(default)]
        criteria: CriterionDoc = list,
        #[schemars(default)]
        options: OptionDoc = list,
        /// Who drives it to a conclusion.
        driver: String = optional,
        /// Who makes the call.
        approver: String = optional,
        #[schemars(default)]
        contributors: String = list,
        /// open (default), decided or superseded.
        status: Spanned<Choice<DecisionStatus>> = optional,
        /// The id of the chosen option.
        chosen: Spanned<String> = optional,
        rationale: String = optional,
        /// When it was decided.
        date: Spanned<NaiveDate> = optional,
        /// A date it was promised by.
        due: Spanned<NaiveDate> = optional,
        /// Ids of the items that wait on it.
        #[schemars(default)]
        blocks: Spanned<String> = list,
    }
}

document! {
    /// A criterion options are scored against.
    CriterionDoc as "a criterion" {
        name: Spanned<String> = required,
        /// How much it counts (default 1).
        weight: Spanned<f64> = optional,
    }
}

document! {
    /// One way a decision could go.
    OptionDoc as "a decision option" {
        id: Spanned<String> = required,
        description: String = optional,
        #[schemars(default)]
        pros: String = list,
        #[schemars(default)]
        cons: String = list,
        /// Scores by criterion name, e.g. `{cost: 3, risk: 4}`.
        scores: ScoresDoc = optional,
    }
}

document! {
    /// Something stopping a work item.
    BlockerDoc as "a blocker" {
        /// The id of the blocked item.
        item: Spanned<String> = required,
        description: Spanned<String> = required,
        /// When it was raised.
        raised: Spanned<NaiveDate> = required,
        owner: String = optional,
        /// Who it has been escalated to.
        escalated_to: String = optional,
        /// When it was cleared.
        resolved: Spanned<NaiveDate> = optional,
    }
}

document! {
    /// A dated status report: on the program, or on one team (`team`) or item (`item`).
    UpdateDoc as "a status update" {
        date: Spanned<NaiveDate> = required,
        /// green, amber or red.
        health: Spanned<Choice<Health>> = required,
        /// The id of the team it reports on.
        team: Spanned<String> = optional,
        /// The id of the item it reports on.
        item: Spanned<String> = optional,
        note: String = optional,
        author: String = optional,
    }
}

document! {
    /// Someone who reads the program's reports.
    StakeholderDoc as "a stakeholder" {
        name: Spanned<String> = required,
        role: String = optional,
        /// executive or engineering (default).
        audience: Spanned<Choice<Audience>> = optional,
    }
}

document! {
    /// How `linchpin findings` judges this program.
    FindingsDoc as "the findings settings" {
        /// Limits findings are raised at; each has a default.
        thresholds: ThresholdsDoc = optional,
        /// Findings looked at and accepted: still listed, in their own section.
        #[schemars(default)]
        accepted: AcceptedDoc = list,
    }
}

document! {
    /// Limits findings are raised at.
    ThresholdsDoc as "the finding thresholds" {
        /// Slack (working days) within which work counts as near-critical (default 10).
        near_critical_days: Spanned<f64> = optional,
        /// Teams relying on a system or interface before it is a shared dependency (default 3).
        shared_min_teams: Spanned<i64> = optional,
        /// Share of milestones hanging on a system before it is a single point of failure (default 0.5).
        spof_milestone_share: Spanned<f64> = optional,
        /// Systems depending on a system before it counts as high fan-in (default 3).
        spof_min_dependents: Spanned<i64> = optional,
        /// Share of the remaining critical-path work one team may own before it is a single point of failure (default 0.5).
        spof_team_share: Spanned<f64> = optional,
        /// Upstream slack (working days) at or below which a cross-team dependency is fragile (default 5).
        fragile_slack_days: Spanned<f64> = optional,
        /// Demand over capacity above which a week is over-committed (default 1.0).
        overload_ratio: Spanned<f64> = optional,
        /// Working days ahead a decision's needed-by date raises a finding (default 10).
        decision_warning_days: Spanned<f64> = optional,
        /// Days a blocker may stay unescalated (default 5).
        blocker_escalation_days: Spanned<i64> = optional,
        /// Days without an update before work in progress is stale (default 10).
        stale_days: Spanned<i64> = optional,
        /// Schedule quality: slack (working days) counted as high (default 44).
        high_slack_days: Spanned<f64> = optional,
        /// Schedule quality: duration (working days) counted as long (default 44).
        long_duration_days: Spanned<f64> = optional,
    }
}

document! {
    /// A finding the TPM has accepted.
    AcceptedDoc as "an accepted finding" {
        /// The finding's id as `linchpin findings` prints it, `kind:subject`.
        finding: Spanned<String> = required,
        /// Why it is acceptable.
        reason: Spanned<String> = required,
        /// Who accepted it and watches it.
        owner: Spanned<String> = required,
        /// The acceptance lapses after this date.
        until: Spanned<NaiveDate> = optional,
    }
}

document! {
    /// A baseline: the dates the plan committed to when it was taken.
    BaselineDoc as "a baseline" {
        /// When the baseline was taken.
        date: Spanned<NaiveDate> = required,
        /// Each item's committed start and finish.
        #[schemars(default)]
        items: BaselineItemDoc = list,
    }
}

document! {
    /// One item's dates in the baseline.
    BaselineItemDoc as "a baseline entry" {
        /// The item's id.
        item: Spanned<String> = required,
        start: Spanned<NaiveDate> = required,
        finish: Spanned<NaiveDate> = required,
    }
}

/// A holiday: a date, or `{date, until, name}` for a range.
#[derive(Clone, Debug)]
pub struct HolidayDoc {
    pub date: Spanned<NaiveDate>,
    pub until: Option<Spanned<NaiveDate>>,
    pub name: Option<String>,
}

document! {
    /// A range of days off.
    HolidayRangeDoc as "a holiday" {
        /// The first day off.
        date: Spanned<NaiveDate> = required,
        /// The last day off, for a range.
        until: Spanned<NaiveDate> = optional,
        name: String = optional,
    }
}

impl Decode for HolidayDoc {
    const EXPECTED: &'static str = "a date or `{date, until, name}`";
    fn decode(node: &Node, cx: &mut Cx) -> Option<Self> {
        if let NodeKind::Map(_) = node.kind {
            let range = HolidayRangeDoc::decode(node, cx)?;
            return Some(HolidayDoc { date: range.date, until: range.until, name: range.name });
        }
        let date = Spanned::<NaiveDate>::decode(node, cx)?;
        Some(HolidayDoc { date, until: None, name: None })
    }
}

impl JsonSchema for HolidayDoc {
    fn schema_name() -> Cow<'static, str> {
        "Holiday".into()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let range = generator.subschema_for::<HolidayRangeDoc>();
        let date = generator.subschema_for::<NaiveDate>();
        json_schema!({ "description": "A date, or `{date, until, name}` for a range.", "oneOf": [date, range] })
    }
}

/// A three-point estimate as written, in working days.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct EstimateDoc {
    pub optimistic: f64,
    pub likely: f64,
    pub pessimistic: f64,
}

impl Decode for EstimateDoc {
    const EXPECTED: &'static str = "a number of days, `[optimistic, likely, pessimistic]` or a mapping of the three";
    const EXAMPLE: &'static str = "[3, 5, 10]";
    fn decode(node: &Node, cx: &mut Cx) -> Option<Self> {
        match &node.kind {
            NodeKind::Scalar { quoted: true, .. } => {
                cx.wrong_type(node, Self::EXPECTED);
                None
            }
            NodeKind::Scalar { .. } => {
                let days = f64::decode(node, cx)?;
                Some(EstimateDoc { optimistic: days, likely: days, pessimistic: days })
            }
            NodeKind::List(points) => {
                let values: Vec<f64> = Vec::<f64>::decode(node, cx)?;
                if values.len() != points.len() {
                    return None; // an element was wrong and has been reported
                }
                match values[..] {
                    [days] => Some(EstimateDoc { optimistic: days, likely: days, pessimistic: days }),
                    [optimistic, likely, pessimistic] => Some(EstimateDoc { optimistic, likely, pessimistic }),
                    _ => {
                        cx.report(
                            Diagnostic::error(
                                "wrong-type",
                                node.span,
                                format!("an estimate has three points, found {}", values.len()),
                            )
                            .with_label("expected [optimistic, likely, pessimistic]")
                            .with_help("write `[optimistic, likely, pessimistic]`, e.g. `[3, 5, 10]`, or one number"),
                        );
                        None
                    }
                }
            }
            NodeKind::Map(_) => {
                let points = EstimatePointsDoc::decode(node, cx)?;
                Some(EstimateDoc {
                    optimistic: points.optimistic,
                    likely: points.likely,
                    pessimistic: points.pessimistic,
                })
            }
            NodeKind::Null => {
                cx.wrong_type(node, Self::EXPECTED);
                None
            }
        }
    }
}

document! {
    /// The three points of an estimate, in working days.
    EstimatePointsDoc as "an estimate" {
        optimistic: f64 = required,
        likely: f64 = required,
        pessimistic: f64 = required,
    }
}

impl JsonSchema for EstimateDoc {
    fn schema_name() -> Cow<'static, str> {
        "Estimate".into()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let points = generator.subschema_for::<EstimatePointsDoc>();
        json_schema!({
            "description": "Working days: one number, `[optimistic, likely, pessimistic]`, or a mapping of the three.",
            "oneOf": [
                { "type": "number" },
                { "type": "array", "items": { "type": "number" }, "minItems": 1, "maxItems": 3 },
                points
            ]
        })
    }
}

/// A dependency: a plain item id (finish-to-start, no lag) or `{item, type, lag}`.
#[derive(Clone, Debug)]
pub struct DependencyDoc {
    pub item: Spanned<String>,
    pub kind: Option<Spanned<Choice<LinkKind>>>,
    pub lag: Option<Spanned<f64>>,
}

const DEPENDENCY_FIELDS: &[&str] = &["item", "type", "lag"];

impl Decode for DependencyDoc {
    const EXPECTED: &'static str = "an item id or `{item, type, lag}`";
    fn decode(node: &Node, cx: &mut Cx) -> Option<Self> {
        if let NodeKind::Map(_) = node.kind {
            let fields = cx.fields(node, "a dependency", DEPENDENCY_FIELDS)?;
            let item = fields.require(cx, "item", "a dependency");
            let kind = fields.get(cx, "type");
            let lag = fields.get(cx, "lag");
            return Some(DependencyDoc { item: item?, kind, lag });
        }
        let item = Spanned::<String>::decode(node, cx)?;
        Some(DependencyDoc { item, kind: None, lag: None })
    }
}

impl JsonSchema for DependencyDoc {
    fn schema_name() -> Cow<'static, str> {
        "Dependency".into()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let kind = generator.subschema_for::<Choice<LinkKind>>();
        json_schema!({
            "description": "An item id (finish-to-start), or `{item, type, lag}`.",
            "oneOf": [
                { "type": "string" },
                {
                    "type": "object",
                    "additionalProperties": false,
                    "required": ["item"],
                    "properties": {
                        "item": { "type": "string", "description": "The id of the item waited on." },
                        "type": kind,
                        "lag": { "type": "number", "description": "Working days between the two ends; negative for a lead." }
                    }
                }
            ]
        })
    }
}

/// Scores of a decision option by criterion name.
#[derive(Clone, Debug, Default)]
pub struct ScoresDoc(pub Vec<(Spanned<String>, Spanned<f64>)>);

impl Decode for ScoresDoc {
    const EXPECTED: &'static str = "a mapping of criterion names to scores";
    fn decode(node: &Node, cx: &mut Cx) -> Option<Self> {
        let NodeKind::Map(entries) = &node.kind else {
            cx.wrong_type(node, Self::EXPECTED);
            return None;
        };
        let scores = entries
            .iter()
            .filter_map(|(k, v)| Some((Spanned::<String>::decode(k, cx)?, Spanned::<f64>::decode(v, cx)?)))
            .collect();
        Some(ScoresDoc(scores))
    }
}

impl JsonSchema for ScoresDoc {
    fn schema_name() -> Cow<'static, str> {
        "Scores".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "Scores by criterion name.",
            "type": "object",
            "additionalProperties": { "type": "number" }
        })
    }
}

impl<T: JsonSchema> JsonSchema for Spanned<T> {
    fn inline_schema() -> bool {
        T::inline_schema()
    }
    fn schema_name() -> Cow<'static, str> {
        T::schema_name()
    }
    fn schema_id() -> Cow<'static, str> {
        T::schema_id()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        T::json_schema(generator)
    }
}

/// Names for keyword sets in the schema.
pub trait KeywordName: Keyword {
    const NAME: &'static str;
}

impl<K: KeywordName> JsonSchema for Choice<K> {
    fn schema_name() -> Cow<'static, str> {
        K::NAME.into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        let words: Vec<&str> =
            K::ALL.iter().map(|k| k.word()).chain(K::aliases().iter().map(|(alias, _)| *alias)).collect();
        json_schema!({ "type": "string", "enum": words })
    }
}

macro_rules! keyword {
    ($ty:ty, $name:literal, [$($variant:expr),* $(,)?], $word:expr, [$(($alias:literal, $target:expr)),* $(,)?]) => {
        impl Keyword for $ty {
            const ALL: &'static [Self] = &[$($variant),*];
            fn word(self) -> &'static str {
                $word(self)
            }
            fn aliases() -> &'static [(&'static str, Self)] {
                &[$(($alias, $target)),*]
            }
        }
        impl KeywordName for $ty {
            const NAME: &'static str = $name;
        }
    };
}

keyword!(
    ItemStatus,
    "ItemStatus",
    [ItemStatus::NotStarted, ItemStatus::InProgress, ItemStatus::Done, ItemStatus::Blocked],
    ItemStatus::as_str,
    [("todo", ItemStatus::NotStarted), ("started", ItemStatus::InProgress)]
);
keyword!(
    LinkKind,
    "LinkType",
    [LinkKind::FinishToStart, LinkKind::StartToStart, LinkKind::FinishToFinish],
    LinkKind::as_str,
    [("fs", LinkKind::FinishToStart), ("ss", LinkKind::StartToStart), ("ff", LinkKind::FinishToFinish)]
);
keyword!(
    SystemKind,
    "SystemKind",
    [SystemKind::Service, SystemKind::Database, SystemKind::Queue, SystemKind::Library, SystemKind::External],
    SystemKind::as_str,
    []
);
keyword!(
    ContractStatus,
    "ContractStatus",
    [ContractStatus::Draft, ContractStatus::Proposed, ContractStatus::Agreed, ContractStatus::Frozen],
    ContractStatus::as_str,
    []
);
keyword!(
    RiskStatus,
    "RiskStatus",
    [RiskStatus::Open, RiskStatus::Owned, RiskStatus::Accepted, RiskStatus::Mitigated, RiskStatus::Resolved],
    RiskStatus::as_str,
    []
);
keyword!(
    DecisionStatus,
    "DecisionStatus",
    [DecisionStatus::Open, DecisionStatus::Decided, DecisionStatus::Superseded],
    DecisionStatus::as_str,
    []
);
keyword!(Health, "Health", [Health::Green, Health::Amber, Health::Red], Health::as_str, []);
keyword!(Audience, "Audience", [Audience::Executive, Audience::Engineering], Audience::as_str, []);
keyword!(
    Weekday,
    "Weekday",
    [Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri, Weekday::Sat, Weekday::Sun],
    weekday_word,
    [
        ("monday", Weekday::Mon),
        ("tuesday", Weekday::Tue),
        ("wednesday", Weekday::Wed),
        ("thursday", Weekday::Thu),
        ("friday", Weekday::Fri),
        ("saturday", Weekday::Sat),
        ("sunday", Weekday::Sun)
    ]
);

fn weekday_word(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "mon",
        Weekday::Tue => "tue",
        Weekday::Wed => "wed",
        Weekday::Thu => "thu",
        Weekday::Fri => "fri",
        Weekday::Sat => "sat",
        Weekday::Sun => "sun",
    }
}
