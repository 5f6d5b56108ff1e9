//! The plan format, section by section: how each of the model's documents
//! is written in YAML. One `document!` declaration per section gives its
//! decoder, its JSON Schema and its field list, so the schema cannot drift
//! from what is accepted; the declaration must name every field of the
//! model's document, or it does not compile.

use chrono::Weekday;
use linchpin_model::doc::*;
use linchpin_model::{
    Audience, Code, ContractStatus, DecisionStatus, Diagnostic, GroupKind, Health, ItemStatus, LagUnit, LinkKind,
    Located, RiskStatus, SystemKind,
};
use serde_json::{Value, json};

use crate::decode::{Cx, Decode, Keyword, decode_keyword};
use crate::schema::{Defs, Schema, described, doc_text, nullable, object};
use crate::yaml::{Node, NodeKind};

/// A section of the plan: a mapping with a fixed set of fields.
pub trait Section {
    /// Its name in the JSON Schema's `$defs`.
    const NAME: &'static str;
    /// The field names it accepts.
    const FIELDS: &'static [&'static str];
}

macro_rules! decode_field {
    (required, $fields:ident, $cx:ident, $name:ident, $ty:ty, $what:expr) => {
        $fields.require::<$ty>($cx, stringify!($name), $what)
    };
    (optional, $fields:ident, $cx:ident, $name:ident, $ty:ty, $what:expr) => {
        $fields.get::<$ty>($cx, stringify!($name))
    };
    (list, $fields:ident, $cx:ident, $name:ident, $ty:ty, $what:expr) => {
        $fields.list::<$ty>($cx, stringify!($name))
    };
    (mapped, $fields:ident, $cx:ident, $name:ident, $ty:ty, $what:expr) => {
        $fields.get::<$ty>($cx, stringify!($name)).map(Into::into).unwrap_or_default()
    };
}

macro_rules! finish_field {
    (required, $value:ident) => {
        $value?
    };
    ($other:ident, $value:ident) => {
        $value
    };
}

macro_rules! field_schema {
    (required, $ty:ty, $defs:ident) => {
        (<$ty as Schema>::schema($defs), true)
    };
    (optional, $ty:ty, $defs:ident) => {
        (nullable(<$ty as Schema>::schema($defs)), false)
    };
    (list, $ty:ty, $defs:ident) => {{
        let mut schema = <Vec<$ty> as Schema>::schema($defs);
        schema["default"] = json!([]);
        (schema, false)
    }};
    (mapped, $ty:ty, $defs:ident) => {
        (nullable(<$ty as Schema>::schema($defs)), false)
    };
}

/// A section: its decoder, schema and field list from one field list.
macro_rules! document {
    (
        $(#[doc = $doc:expr])*
        $name:ident as $what:literal {
            $( $(#[doc = $fdoc:expr])* $field:ident : $ty:ty = $mode:ident ),* $(,)?
        }
    ) => {
        impl Section for $name {
            const NAME: &'static str = stringify!($name);
            const FIELDS: &'static [&'static str] = &[$(stringify!($field)),*];
        }

        impl Decode for $name {
            const EXPECTED: &'static str = concat!("a mapping (", $what, ")");
            fn decode(node: &Node, cx: &mut Cx) -> Option<Self> {
                let fields = cx.fields(node, $what, <Self as Section>::FIELDS)?;
                $( let $field = decode_field!($mode, fields, cx, $field, $ty, $what); )*
                Some($name { $( $field: finish_field!($mode, $field), )* })
            }
        }

        impl Schema for $name {
            fn schema(defs: &mut Defs) -> Value {
                defs.named(stringify!($name), |defs| {
                    let properties = vec![$({
                        let (schema, required) = field_schema!($mode, $ty, defs);
                        (stringify!($field), described(schema, &doc_text(&[$($fdoc),*])), required)
                    }),*];
                    object(&doc_text(&[$($doc),*]), properties)
                })
            }
        }
    };
}

document! {
    /// A Linchpin plan file. A plan may be one file or a folder of files whose
    /// sections are merged; exactly one of them holds `program`.
    PlanDoc as "a plan file" {
        /// The program's name, dates and calendar.
        program: ProgramDoc = optional,
        /// The teams doing the work.
        teams: TeamDoc = list,
        /// The work items.
        items: ItemDoc = list,
        /// Groups of work items: epics, workstreams, phases.
        groups: GroupDoc = list,
        /// Dates committed to stakeholders and the work they need.
        milestones: MilestoneDoc = list,
        /// Services, databases, queues, libraries and external dependencies.
        systems: SystemDoc = list,
        /// API contracts between teams.
        interfaces: InterfaceDoc = list,
        /// The risk register.
        risks: RiskDoc = list,
        /// Open and made decisions.
        decisions: DecisionDoc = list,
        /// What is stopping work right now.
        blockers: BlockerDoc = list,
        /// Dated status reports (green / amber / red).
        updates: UpdateDoc = list,
        /// Who reads the reports.
        stakeholders: StakeholderDoc = list,
        /// The people owners, leads, approvers and contacts name, by id or name (optional).
        people: PersonDoc = list,
        /// Thresholds for `linchpin findings`, and the findings accepted.
        findings: FindingsDoc = optional,
        /// The dates each item was committed to when the baseline was taken.
        baseline: BaselineDoc = optional,
        /// What this file adds to items another file defines (an import's generated file): links, systems, estimates.
        additions: AdditionDoc = list,
    }
}

document! {
    /// The program as a whole.
    ProgramDoc as "the program" {
        /// The program's name.
        name: Located<String> = required,
        /// What the program is for, in one sentence.
        goal: String = optional,
        /// The first working day.
        start: Located<chrono::NaiveDate> = required,
        /// The date progress is recorded "as of".
        status_date: Located<chrono::NaiveDate> = optional,
        /// Working weekdays and holidays for everyone.
        calendar: CalendarDoc = optional,
    }
}

document! {
    /// Which days are worked.
    CalendarDoc as "a calendar" {
        /// The worked weekdays; Monday to Friday when absent.
        working_days: Vec<Located<Weekday>> = optional,
        /// Days (or ranges of days) nobody works.
        holidays: HolidayDoc = list,
    }
}

document! {
    /// A team and its capacity.
    TeamDoc as "a team" {
        /// A short id used to refer to the team, e.g. `payments`.
        id: Located<String> = required,
        /// The team's display name.
        name: String = optional,
        /// The engineering lead.
        lead: Located<String> = optional,
        /// People available to the program from its start (default 1).
        capacity: Located<i64> = optional,
        /// Later changes: from a date on, a different number of people.
        capacity_changes: CapacityChangeDoc = list,
        /// The team's own days off, on top of the program calendar.
        holidays: HolidayDoc = list,
    }
}

document! {
    /// From a date on, a team has a different number of people.
    CapacityChangeDoc as "a capacity change" {
        /// The first day of the new capacity.
        from: Located<chrono::NaiveDate> = required,
        /// People available from that day.
        people: Located<i64> = required,
    }
}

document! {
    /// A piece of work one team delivers.
    ItemDoc as "a work item" {
        /// A unique id, e.g. `PAY-12`.
        id: Located<String> = required,
        title: Located<String> = required,
        /// The id of the team doing it.
        team: Located<String> = required,
        /// The person accountable.
        owner: Located<String> = optional,
        /// Working days: one number, `[optimistic, likely, pessimistic]`, or a mapping of the three.
        estimate: Located<EstimateDoc> = optional,
        /// People of the team it needs at once (default 1).
        people: Located<i64> = optional,
        /// not_started (default), in_progress, done or blocked.
        status: Located<ItemStatus> = optional,
        actual_start: Located<chrono::NaiveDate> = optional,
        actual_finish: Located<chrono::NaiveDate> = optional,
        /// Working days left, for work in progress.
        remaining: Located<f64> = optional,
        /// Do not start before this date (a fixed-date constraint).
        not_before: Located<chrono::NaiveDate> = optional,
        /// Start on exactly this date, whatever the predecessors (the schedule reports any that would make it later).
        start_on: Located<chrono::NaiveDate> = optional,
        /// Finish by this date; the schedule reports the slack to it, and the forecast the chance of making it.
        deadline: Located<chrono::NaiveDate> = optional,
        /// The id of the group (epic, workstream, phase) it belongs to.
        group: Located<String> = optional,
        /// Items (or groups: all their work) this one waits on: an id (finish-to-start), or `{item, type, lag, lag_unit}`.
        depends: DependencyDoc = list,
        /// Ids of the systems it touches.
        systems: Located<String> = list,
        /// Ids of the interfaces (API contracts) it provides or consumes.
        interfaces: Located<String> = list,
        /// The key in another tracker, e.g. a Jira key.
        key: String = optional,
        tags: String = list,
    }
}

document! {
    /// What a file adds to an item defined in another: lists are appended, values set.
    AdditionDoc as "an addition" {
        /// The id of the item added to.
        item: Located<String> = required,
        /// The person accountable.
        owner: Located<String> = optional,
        /// Working days, replacing the item's own estimate.
        estimate: Located<EstimateDoc> = optional,
        /// People of the team it needs at once.
        people: Located<i64> = optional,
        not_before: Located<chrono::NaiveDate> = optional,
        start_on: Located<chrono::NaiveDate> = optional,
        deadline: Located<chrono::NaiveDate> = optional,
        /// More items (or groups) it waits on.
        depends: DependencyDoc = list,
        /// More systems it touches.
        systems: Located<String> = list,
        /// More interfaces it provides or consumes.
        interfaces: Located<String> = list,
        /// More tags.
        tags: String = list,
    }
}

document! {
    /// A group of work items: an epic, a workstream, a phase. Groups nest.
    GroupDoc as "a group" {
        /// A unique id, different from every item's, e.g. `LEDGER-V2`.
        id: Located<String> = required,
        title: Located<String> = required,
        /// group (default), epic, workstream or phase.
        kind: Located<GroupKind> = optional,
        /// The id of the group it sits in.
        parent: Located<String> = optional,
        /// The person accountable.
        owner: Located<String> = optional,
        /// All its work must finish by this date.
        deadline: Located<chrono::NaiveDate> = optional,
        /// Items or groups every item of this group waits on: an id, or `{item, type, lag, lag_unit}`.
        depends: DependencyDoc = list,
    }
}

document! {
    /// A date committed to stakeholders.
    MilestoneDoc as "a milestone" {
        id: Located<String> = required,
        title: Located<String> = required,
        /// Ids of the items (or groups: all their work) that must be done.
        requires: Located<String> = list,
        /// The date committed to stakeholders.
        target: Located<chrono::NaiveDate> = optional,
    }
}

document! {
    /// A service, database, queue, library or external dependency.
    SystemDoc as "a system" {
        id: Located<String> = required,
        name: String = optional,
        /// service (default), database, queue, library or external.
        kind: Located<SystemKind> = optional,
        /// The id of the owning team.
        owner: Located<String> = optional,
        /// Ids of the systems it depends on.
        depends_on: Located<String> = list,
    }
}

document! {
    /// An API contract between a provider and its consumers.
    InterfaceDoc as "an interface" {
        id: Located<String> = required,
        name: String = optional,
        /// Who provides it: `{system, team}`; the team defaults to the system's owner.
        provider: Located<ProviderDoc> = required,
        /// Ids of the consuming teams.
        consumers: Located<String> = list,
        /// draft (default), proposed, agreed or frozen.
        status: Located<ContractStatus> = optional,
        /// When the contract was agreed.
        agreed: Located<chrono::NaiveDate> = optional,
        /// When agreement is expected, while still draft or proposed.
        expected: Located<chrono::NaiveDate> = optional,
        /// The id of the item whose completion agrees the contract.
        defined_by: Located<String> = optional,
    }
}

document! {
    /// The provider of an interface.
    ProviderDoc as "an interface provider" {
        /// The id of the providing system.
        system: Located<String> = optional,
        /// The id of the providing team.
        team: Located<String> = optional,
    }
}

document! {
    /// An entry in the risk register.
    RiskDoc as "a risk" {
        id: Located<String> = required,
        title: Located<String> = required,
        /// 1 (rare) to 5 (almost certain).
        likelihood: Located<i64> = required,
        /// 1 (minor) to 5 (severe).
        impact: Located<i64> = required,
        owner: Located<String> = optional,
        mitigation: String = optional,
        /// What would tell us it is happening.
        trigger: String = optional,
        /// open (default), owned, accepted, mitigated or resolved.
        status: Located<RiskStatus> = optional,
        /// Ids of the items or milestones it affects.
        affects: Located<String> = list,
        /// What it does to the schedule if it fires.
        schedule_impact: ScheduleImpactDoc = optional,
    }
}

document! {
    /// A risk's effect on the schedule.
    ScheduleImpactDoc as "a schedule impact" {
        /// The chance it fires, from 0 to 1.
        probability: Located<f64> = required,
        /// Working days added to each affected item: one number, `[min, likely, max]` or a mapping.
        delay: Located<EstimateDoc> = required,
    }
}

document! {
    /// A decision the program must make.
    DecisionDoc as "a decision" {
        id: Located<String> = required,
        question: Located<String> = required,
        /// Criteria the options are scored against, with weights.
        criteria: CriterionDoc = list,
        options: OptionDoc = list,
        /// Who drives it to a conclusion.
        driver: Located<String> = optional,
        /// Who makes the call.
        approver: Located<String> = optional,
        contributors: Located<String> = list,
        /// open (default), decided or superseded.
        status: Located<DecisionStatus> = optional,
        /// The id of the chosen option.
        chosen: Located<String> = optional,
        rationale: String = optional,
        /// When it was decided.
        date: Located<chrono::NaiveDate> = optional,
        /// A date it was promised by.
        due: Located<chrono::NaiveDate> = optional,
        /// Ids of the items that wait on it.
        blocks: Located<String> = list,
    }
}

document! {
    /// A criterion options are scored against.
    CriterionDoc as "a criterion" {
        name: Located<String> = required,
        /// How much it counts (default 1).
        weight: Located<f64> = optional,
    }
}

document! {
    /// One way a decision could go.
    OptionDoc as "a decision option" {
        id: Located<String> = required,
        description: String = optional,
        pros: String = list,
        cons: String = list,
        /// Scores by criterion name, e.g. `{cost: 3, risk: 4}`.
        scores: Scores = mapped,
    }
}

document! {
    /// Something stopping a work item.
    BlockerDoc as "a blocker" {
        /// The id of the blocked item.
        item: Located<String> = required,
        description: Located<String> = required,
        /// When it was raised.
        raised: Located<chrono::NaiveDate> = required,
        owner: Located<String> = optional,
        /// Who it has been escalated to.
        escalated_to: Located<String> = optional,
        /// When it was cleared.
        resolved: Located<chrono::NaiveDate> = optional,
    }
}

document! {
    /// A dated status report: on the program, or on one team (`team`) or item (`item`).
    UpdateDoc as "a status update" {
        date: Located<chrono::NaiveDate> = required,
        /// green, amber or red.
        health: Located<Health> = required,
        /// The id of the team it reports on.
        team: Located<String> = optional,
        /// The id of the item it reports on.
        item: Located<String> = optional,
        note: String = optional,
        author: Located<String> = optional,
    }
}

document! {
    /// Someone who reads the program's reports.
    StakeholderDoc as "a stakeholder" {
        name: Located<String> = required,
        role: String = optional,
        /// executive or engineering (default).
        audience: Located<Audience> = optional,
    }
}

document! {
    /// Someone the plan names as an owner, lead, approver or contact.
    PersonDoc as "a person" {
        /// A short id, e.g. `marta`; owner and lead fields may use it or the name.
        id: Located<String> = required,
        /// Their full name, as reports show it.
        name: Located<String> = required,
        /// The id of their team.
        team: Located<String> = optional,
        role: String = optional,
        /// How to reach them: an email address, a chat handle.
        contact: String = optional,
    }
}

document! {
    /// How `linchpin findings` judges this program.
    FindingsDoc as "the findings settings" {
        /// Limits findings are raised at; each has a default.
        thresholds: ThresholdsDoc = optional,
        /// Findings looked at and accepted: still listed, in their own section.
        accepted: AcceptedDoc = list,
    }
}

document! {
    /// Limits findings are raised at.
    ThresholdsDoc as "the finding thresholds" {
        /// Slack (working days) within which work counts as near-critical (default 10).
        near_critical_days: Located<f64> = optional,
        /// Teams relying on a system or interface before it is a shared dependency (default 3).
        shared_min_teams: Located<i64> = optional,
        /// Share of milestones hanging on a system before it is a single point of failure (default 0.5).
        spof_milestone_share: Located<f64> = optional,
        /// Systems depending on a system before it counts as high fan-in (default 3).
        spof_min_dependents: Located<i64> = optional,
        /// Share of the remaining critical-path work one team may own before it is a single point of failure (default 0.5).
        spof_team_share: Located<f64> = optional,
        /// Upstream slack (working days) at or below which a cross-team dependency is fragile (default 5).
        fragile_slack_days: Located<f64> = optional,
        /// Demand over capacity above which a week is over-committed (default 1.0).
        overload_ratio: Located<f64> = optional,
        /// Working days ahead a decision's needed-by date raises a finding (default 10).
        decision_warning_days: Located<f64> = optional,
        /// Days a blocker may stay unescalated (default 5).
        blocker_escalation_days: Located<i64> = optional,
        /// Days without an update before work in progress is stale (default 10).
        stale_days: Located<i64> = optional,
        /// Schedule quality: slack (working days) counted as high (default 44).
        high_slack_days: Located<f64> = optional,
        /// Schedule quality: duration (working days) counted as long (default 44).
        long_duration_days: Located<f64> = optional,
        /// Report health: the least chance of its target a milestone may have and be green (default 0.8).
        health_green_chance: Located<f64> = optional,
        /// Report health: below this chance of its target a milestone is red (default 0.5).
        health_red_chance: Located<f64> = optional,
        /// Report health: a milestone whose P80 is more than this many working days after its target is red (default 10).
        health_red_days: Located<f64> = optional,
    }
}

document! {
    /// A finding the TPM has accepted.
    AcceptedDoc as "an accepted finding" {
        /// The finding's id as `linchpin findings` prints it, `kind:subject`.
        finding: Located<String> = required,
        /// Why it is acceptable.
        reason: Located<String> = required,
        /// Who accepted it and watches it.
        owner: Located<String> = required,
        /// The acceptance lapses after this date.
        until: Located<chrono::NaiveDate> = optional,
    }
}

document! {
    /// A baseline: the dates the plan committed to when it was taken.
    BaselineDoc as "a baseline" {
        /// When the baseline was taken.
        date: Located<chrono::NaiveDate> = required,
        /// Each item's committed start and finish.
        items: BaselineItemDoc = list,
    }
}

document! {
    /// One item's dates in the baseline.
    BaselineItemDoc as "a baseline entry" {
        /// The item's id.
        item: Located<String> = required,
        start: Located<chrono::NaiveDate> = required,
        finish: Located<chrono::NaiveDate> = required,
    }
}

/// The mapping form of a holiday.
struct HolidayRange {
    date: Located<chrono::NaiveDate>,
    until: Option<Located<chrono::NaiveDate>>,
    name: Option<String>,
}

document! {
    /// A range of days off.
    HolidayRange as "a holiday" {
        /// The first day off.
        date: Located<chrono::NaiveDate> = required,
        /// The last day off, for a range.
        until: Located<chrono::NaiveDate> = optional,
        name: String = optional,
    }
}

impl Decode for HolidayDoc {
    const EXPECTED: &'static str = "a date or `{date, until, name}`";
    fn decode(node: &Node, cx: &mut Cx) -> Option<Self> {
        if let NodeKind::Map(_) = node.kind {
            let range = HolidayRange::decode(node, cx)?;
            return Some(HolidayDoc { date: range.date, until: range.until, name: range.name });
        }
        let date = Located::<chrono::NaiveDate>::decode(node, cx)?;
        Some(HolidayDoc { date, until: None, name: None })
    }
}

impl Schema for HolidayDoc {
    fn schema(defs: &mut Defs) -> Value {
        defs.named("Holiday", |defs| {
            let range = HolidayRange::schema(defs);
            let date = chrono::NaiveDate::schema(defs);
            json!({ "description": "A date, or `{date, until, name}` for a range.", "oneOf": [date, range] })
        })
    }
}

/// The mapping form of an estimate.
struct EstimatePoints {
    optimistic: f64,
    likely: f64,
    pessimistic: f64,
}

document! {
    /// The three points of an estimate, in working days.
    EstimatePoints as "an estimate" {
        optimistic: f64 = required,
        likely: f64 = required,
        pessimistic: f64 = required,
    }
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
            NodeKind::Scalar { .. } => Some(EstimateDoc::exact(f64::decode(node, cx)?)),
            NodeKind::List(points) => {
                let values: Vec<f64> = Vec::<f64>::decode(node, cx)?;
                if values.len() != points.len() {
                    return None; // an element was wrong and has been reported
                }
                match values[..] {
                    [days] => Some(EstimateDoc::exact(days)),
                    [optimistic, likely, pessimistic] => Some(EstimateDoc { optimistic, likely, pessimistic }),
                    _ => {
                        cx.report(
                            Diagnostic::error(
                                Code::WrongType,
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
                let points = EstimatePoints::decode(node, cx)?;
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

impl Schema for EstimateDoc {
    fn schema(defs: &mut Defs) -> Value {
        defs.named("Estimate", |defs| {
            let points = EstimatePoints::schema(defs);
            json!({
                "description": "Working days: one number, `[optimistic, likely, pessimistic]`, or a mapping of the three.",
                "oneOf": [
                    { "type": "number" },
                    { "type": "array", "items": { "type": "number" }, "minItems": 1, "maxItems": 3 },
                    points
                ]
            })
        })
    }
}

const DEPENDENCY_FIELDS: &[&str] = &["item", "type", "lag", "lag_unit"];

/// The fields of a named mapping of the JSON Schema (`$defs` name) in the
/// order they are declared, for writers that lay a plan out as people read
/// it (`id` and `title` first). A test checks that every mapping of the
/// schema is listed.
pub(crate) fn declared_fields(def: &str) -> Option<&'static [&'static str]> {
    macro_rules! fields_of {
        ($($ty:ident),* $(,)?) => {
            match def {
                $( <$ty as Section>::NAME => Some(<$ty as Section>::FIELDS), )*
                "Dependency" => Some(DEPENDENCY_FIELDS),
                _ => None,
            }
        };
    }
    fields_of!(
        PlanDoc,
        ProgramDoc,
        CalendarDoc,
        TeamDoc,
        CapacityChangeDoc,
        ItemDoc,
        AdditionDoc,
        GroupDoc,
        MilestoneDoc,
        SystemDoc,
        InterfaceDoc,
        ProviderDoc,
        RiskDoc,
        ScheduleImpactDoc,
        DecisionDoc,
        CriterionDoc,
        OptionDoc,
        BlockerDoc,
        UpdateDoc,
        StakeholderDoc,
        PersonDoc,
        FindingsDoc,
        ThresholdsDoc,
        AcceptedDoc,
        BaselineDoc,
        BaselineItemDoc,
        HolidayRange,
        EstimatePoints,
    )
}

impl Decode for DependencyDoc {
    const EXPECTED: &'static str = "an item id or `{item, type, lag, lag_unit}`";
    fn decode(node: &Node, cx: &mut Cx) -> Option<Self> {
        if let NodeKind::Map(_) = node.kind {
            let fields = cx.fields(node, "a dependency", DEPENDENCY_FIELDS)?;
            let item = fields.require(cx, "item", "a dependency");
            let kind = fields.get(cx, "type");
            let lag = fields.get(cx, "lag");
            let lag_unit = fields.get(cx, "lag_unit");
            return Some(DependencyDoc { item: item?, kind, lag, lag_unit });
        }
        Some(DependencyDoc::on(Located::<String>::decode(node, cx)?))
    }
}

impl Schema for DependencyDoc {
    fn schema(defs: &mut Defs) -> Value {
        defs.named("Dependency", |defs| {
            let kind = LinkKind::schema(defs);
            let unit = LagUnit::schema(defs);
            json!({
                "description": "An item id (finish-to-start), or `{item, type, lag, lag_unit}`.",
                "oneOf": [
                    { "type": "string" },
                    {
                        "type": "object",
                        "additionalProperties": false,
                        "required": ["item"],
                        "properties": {
                            "item": { "type": "string", "description": "The id of the item waited on." },
                            "type": kind,
                            "lag": { "type": "number", "description": "Days between the two ends, in `lag_unit`; negative for a lead." },
                            "lag_unit": unit
                        }
                    }
                ]
            })
        })
    }
}

/// Scores of a decision option, by criterion name.
#[derive(Default)]
struct Scores(Vec<(Located<String>, Located<f64>)>);

impl From<Scores> for Vec<(Located<String>, Located<f64>)> {
    fn from(scores: Scores) -> Self {
        scores.0
    }
}

impl Decode for Scores {
    const EXPECTED: &'static str = "a mapping of criterion names to scores";
    fn decode(node: &Node, cx: &mut Cx) -> Option<Self> {
        let NodeKind::Map(entries) = &node.kind else {
            cx.wrong_type(node, Self::EXPECTED);
            return None;
        };
        let scores = entries
            .iter()
            .filter_map(|(k, v)| Some((Located::<String>::decode(k, cx)?, Located::<f64>::decode(v, cx)?)))
            .collect();
        Some(Scores(scores))
    }
}

impl Schema for Scores {
    fn schema(defs: &mut Defs) -> Value {
        defs.named("Scores", |_| {
            json!({
                "description": "Scores by criterion name.",
                "type": "object",
                "additionalProperties": { "type": "number" }
            })
        })
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
        impl Decode for $ty {
            const EXPECTED: &'static str = "one of the listed words";
            fn decode(node: &Node, cx: &mut Cx) -> Option<Self> {
                decode_keyword(node, cx)
            }
        }
        impl Schema for $ty {
            fn schema(defs: &mut Defs) -> Value {
                defs.named($name, |_| {
                    let words: Vec<&str> = <$ty as Keyword>::ALL
                        .iter()
                        .map(|k| k.word())
                        .chain(<$ty as Keyword>::aliases().iter().map(|(alias, _)| *alias))
                        .collect();
                    json!({ "type": "string", "enum": words })
                })
            }
        }
    };
}

keyword!(
    ItemStatus,
    "ItemStatus",
    [ItemStatus::NotStarted, ItemStatus::InProgress, ItemStatus::Done, ItemStatus::Blocked],
    ItemStatus::as_str,
    [
        ("todo", ItemStatus::NotStarted),
        ("to_do", ItemStatus::NotStarted),
        ("open", ItemStatus::NotStarted),
        ("started", ItemStatus::InProgress),
        ("closed", ItemStatus::Done),
        ("resolved", ItemStatus::Done)
    ]
);
keyword!(
    LinkKind,
    "LinkType",
    [LinkKind::FinishToStart, LinkKind::StartToStart, LinkKind::FinishToFinish],
    LinkKind::as_str,
    [("fs", LinkKind::FinishToStart), ("ss", LinkKind::StartToStart), ("ff", LinkKind::FinishToFinish)]
);
keyword!(
    GroupKind,
    "GroupKind",
    [GroupKind::Group, GroupKind::Epic, GroupKind::Workstream, GroupKind::Phase],
    GroupKind::as_str,
    []
);
keyword!(
    LagUnit,
    "LagUnit",
    [LagUnit::WorkingDays, LagUnit::CalendarDays],
    LagUnit::as_str,
    [
        ("working", LagUnit::WorkingDays),
        ("calendar", LagUnit::CalendarDays),
        ("elapsed", LagUnit::CalendarDays),
        ("edays", LagUnit::CalendarDays)
    ]
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
