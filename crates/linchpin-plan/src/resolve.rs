//! Decoded plan files to a [`Program`]: ids become typed references, and
//! everything that is wrong across fields and files is reported (unknown
//! references, duplicate ids, impossible estimates, dates out of order,
//! actuals after the status date, capacity ≤ 0, dependency cycles).

use std::collections::{BTreeSet, HashMap};

use chrono::NaiveDate;
use linchpin_model::*;

use crate::checks::{check_cycles, check_days, check_estimate, unknown_reference};
use crate::decode::Spanned;
use crate::diagnostic::Diagnostic;
use crate::raw::*;
use crate::source::Span;

/// The ids a plan defines, by kind, for checks made after resolution.
pub(crate) struct Registries<'a> {
    pub teams: &'a HashMap<String, (TeamId, Span)>,
    pub items: &'a HashMap<String, (ItemId, Span)>,
    pub milestones: &'a HashMap<String, (MilestoneId, Span)>,
    pub systems: &'a HashMap<String, (SystemId, Span)>,
    pub interfaces: &'a HashMap<String, (InterfaceId, Span)>,
    pub decisions: &'a HashMap<String, (DecisionId, Span)>,
}

/// Ids of one kind of entity, with where each was defined.
struct Registry<Id> {
    kind: &'static str,
    section: &'static str,
    ids: HashMap<String, (Id, Span)>,
}

impl<Id: Copy> Registry<Id> {
    fn new(kind: &'static str, section: &'static str) -> Self {
        Registry { kind, section, ids: HashMap::new() }
    }

    fn resolve(&self, key: &Spanned<String>, diagnostics: &mut Vec<Diagnostic>, field: &str) -> Option<Id> {
        match self.ids.get(&key.value) {
            Some(&(id, _)) => Some(id),
            None => {
                diagnostics.push(
                    unknown_reference(
                        self.kind,
                        self.section,
                        &key.value,
                        key.span,
                        self.ids.keys().map(String::as_str),
                    )
                    .with_field(field),
                );
                None
            }
        }
    }

    fn resolve_all(&self, keys: &[Spanned<String>], diagnostics: &mut Vec<Diagnostic>, field: &str) -> Vec<Id> {
        keys.iter().filter_map(|k| self.resolve(k, diagnostics, field)).collect()
    }
}

/// Registers each entity's id, reporting duplicates; returns the entities
/// kept (first definition wins) with their ids.
fn register<'a, T, Id: Copy>(
    registry: &mut Registry<Id>,
    docs: impl Iterator<Item = &'a T>,
    id_of: impl Fn(&T) -> &Spanned<String>,
    make_id: impl Fn(usize) -> Id,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<&'a T>
where
    T: 'a,
{
    let mut kept = Vec::new();
    for doc in docs {
        let key = id_of(doc);
        if let Some(&(_, first)) = registry.ids.get(&key.value) {
            diagnostics.push(
                Diagnostic::error("duplicate-id", key.span, format!("duplicate {} id `{}`", registry.kind, key.value))
                    .with_label("defined again here")
                    .with_related(first, "first defined here")
                    .with_help(format!("give each {} its own id", registry.kind))
                    .with_field(format!("{}[{}].id", registry.section, key.value)),
            );
            continue;
        }
        registry.ids.insert(key.value.clone(), (make_id(kept.len()), key.span));
        kept.push(doc);
    }
    kept
}

fn expand_holidays(holidays: &[HolidayDoc], diagnostics: &mut Vec<Diagnostic>, field: &str) -> BTreeSet<NaiveDate> {
    let mut days = BTreeSet::new();
    for holiday in holidays {
        let first = holiday.date.value;
        let last = holiday.until.as_ref().map_or(first, |u| u.value);
        if last < first {
            let span = holiday.until.as_ref().map_or(holiday.date.span, |u| u.span);
            diagnostics.push(out_of_order(span, "the holiday's `until`", last, "its `date`", first).with_field(field));
            continue;
        }
        if (last - first).num_days() > 366 {
            let span = holiday.until.as_ref().map_or(holiday.date.span, |u| u.span);
            diagnostics.push(
                Diagnostic::error("date-range", span, "a holiday longer than a year")
                    .with_label("more than 366 days after `date`")
                    .with_help("check the year of `until`")
                    .with_field(field),
            );
            continue;
        }
        days.extend(first.iter_days().take_while(|d| *d <= last));
    }
    days
}

fn out_of_order(span: Span, later_name: &str, later: NaiveDate, earlier_name: &str, earlier: NaiveDate) -> Diagnostic {
    Diagnostic::error(
        "dates-out-of-order",
        span,
        format!("{later_name} ({later}) is before {earlier_name} ({earlier})"),
    )
    .with_label("dates out of order")
    .with_help("check the dates; one of them has the wrong day, month or year")
}

fn after_status_date(span: Span, what: &str, date: NaiveDate, status_date: NaiveDate) -> Diagnostic {
    Diagnostic::error(
        "actual-after-status-date",
        span,
        format!("{what} ({date}) is after the status date ({status_date})"),
    )
    .with_label("in the future as of the status date")
    .with_help("actuals record what has happened; move the program's `status_date` forward or fix this date")
}

fn positive(value: &Spanned<i64>, what: &str, diagnostics: &mut Vec<Diagnostic>, field: &str) -> Option<u32> {
    if value.value <= 0 {
        diagnostics.push(
            Diagnostic::error(
                "capacity-not-positive",
                value.span,
                format!("{what} must be at least 1, found {}", value.value),
            )
            .with_label("must be 1 or more")
            .with_help("a team with nobody cannot do work; remove the team or give it people")
            .with_field(field),
        );
        return None;
    }
    match u32::try_from(value.value) {
        Ok(v) if v <= 100_000 => Some(v),
        _ => {
            diagnostics.push(
                Diagnostic::error("out-of-range", value.span, format!("{what} of {} is implausible", value.value))
                    .with_label("too large")
                    .with_help("capacity counts people")
                    .with_field(field),
            );
            None
        }
    }
}

fn estimate(doc: &EstimateDoc) -> Estimate {
    Estimate { optimistic: doc.optimistic, likely: doc.likely, pessimistic: doc.pessimistic }
}

/// Merges the files' sections and builds the program, reporting every problem.
pub fn resolve(files: &[PlanFile], diagnostics: &mut Vec<Diagnostic>, fallback_span: Span) -> Option<Program> {
    // The program section: exactly one.
    let programs: Vec<&ProgramDoc> = files.iter().filter_map(|f| f.program.as_ref()).collect();
    let Some(program_doc) = programs.first() else {
        diagnostics.push(
            Diagnostic::error("missing-program", fallback_span, "the plan has no `program` section")
                .with_label("expected `program:` with a name and start date")
                .with_help(
                    "add `program: {name: My program, start: 2026-01-05}`; `linchpin init` writes a starter plan",
                ),
        );
        return None;
    };
    for extra in &programs[1..] {
        diagnostics.push(
            Diagnostic::error("duplicate-program", extra.name.span, "the plan has more than one `program` section")
                .with_label("second `program`")
                .with_related(program_doc.name.span, "first `program` here")
                .with_help("keep one `program` section across all the plan's files"),
        );
    }
    let start = program_doc.start.value;
    let status_date = program_doc.status_date.as_ref().map(|d| d.value);
    if let Some(sd) = &program_doc.status_date
        && sd.value < start
    {
        diagnostics.push(
            out_of_order(sd.span, "`status_date`", sd.value, "the program `start`", start)
                .with_field("program.status_date"),
        );
    }
    let mut calendar = Calendar::default();
    if let Some(cal) = &program_doc.calendar {
        if let Some(days) = &cal.working_days {
            calendar.working_days = Weekdays::from_days(days.iter().map(|d| d.value.0));
            if calendar.working_days.is_empty() {
                let span = days.first().map_or(program_doc.name.span, |d| d.span);
                diagnostics.push(
                    Diagnostic::error("no-working-days", span, "the calendar has no working days")
                        .with_help("list the worked weekdays, e.g. `[mon, tue, wed, thu, fri]`")
                        .with_field("program.calendar.working_days"),
                );
            }
        }
        calendar.holidays = expand_holidays(&cal.holidays, diagnostics, "program.calendar.holidays");
    }

    // Register ids of every kind before resolving any reference.
    let mut team_ids = Registry::new("team", "teams");
    let mut item_ids = Registry::new("item", "items");
    let mut milestone_ids = Registry::new("milestone", "milestones");
    let mut system_ids = Registry::new("system", "systems");
    let mut interface_ids = Registry::new("interface", "interfaces");
    let mut risk_ids = Registry::new("risk", "risks");
    let mut decision_ids = Registry::new("decision", "decisions");
    let teams = register(&mut team_ids, files.iter().flat_map(|f| &f.teams), |d| &d.id, TeamId::new, diagnostics);
    let items = register(&mut item_ids, files.iter().flat_map(|f| &f.items), |d| &d.id, ItemId::new, diagnostics);
    let milestones = register(
        &mut milestone_ids,
        files.iter().flat_map(|f| &f.milestones),
        |d| &d.id,
        MilestoneId::new,
        diagnostics,
    );
    let systems =
        register(&mut system_ids, files.iter().flat_map(|f| &f.systems), |d| &d.id, SystemId::new, diagnostics);
    let interfaces = register(
        &mut interface_ids,
        files.iter().flat_map(|f| &f.interfaces),
        |d| &d.id,
        InterfaceId::new,
        diagnostics,
    );
    let risks = register(&mut risk_ids, files.iter().flat_map(|f| &f.risks), |d| &d.id, RiskId::new, diagnostics);
    let decisions =
        register(&mut decision_ids, files.iter().flat_map(|f| &f.decisions), |d| &d.id, DecisionId::new, diagnostics);
    for milestone in &milestones {
        if let Some((_, item_span)) = item_ids.ids.get(&milestone.id.value) {
            diagnostics.push(
                Diagnostic::error(
                    "duplicate-id",
                    milestone.id.span,
                    format!("milestone `{}` has the same id as an item", milestone.id.value),
                )
                .with_label("also an item id")
                .with_related(*item_span, "the item")
                .with_help("risks name items and milestones in one list, so their ids must differ")
                .with_field(format!("milestones[{}].id", milestone.id.value)),
            );
        }
    }

    let teams: Vec<Team> = teams
        .iter()
        .map(|doc| {
            let field = |f: &str| format!("teams[{}].{f}", doc.id.value);
            let capacity = match &doc.capacity {
                Some(c) => positive(c, "team capacity", diagnostics, &field("capacity")).unwrap_or(1),
                None => 1,
            };
            let mut capacity_changes: Vec<CapacityChange> = doc
                .capacity_changes
                .iter()
                .filter_map(|c| {
                    let people = positive(&c.people, "capacity", diagnostics, &field("capacity_changes"))?;
                    Some(CapacityChange { from: c.from.value, people })
                })
                .collect();
            capacity_changes.sort_by_key(|c| c.from);
            Team {
                key: doc.id.value.clone(),
                name: doc.name.clone().unwrap_or_else(|| doc.id.value.clone()),
                lead: doc.lead.clone(),
                capacity,
                capacity_changes,
                holidays: expand_holidays(&doc.holidays, diagnostics, &field("holidays")),
            }
        })
        .collect();
    let max_capacity: Vec<u32> = teams.iter().map(Team::most_people).collect();

    // Items: resolved in two passes so that a dependency on a later item works.
    let mut link_spans: HashMap<(usize, usize), Span> = HashMap::new();
    let mut edges = Vec::new();
    let mut resolved_items: Vec<WorkItem> = Vec::with_capacity(items.len());
    let mut item_keep = Vec::with_capacity(items.len());
    for (index, doc) in items.iter().enumerate() {
        let key = &doc.id.value;
        let field = |f: &str| format!("items[{key}].{f}");
        let team = team_ids.resolve(&doc.team, diagnostics, &field("team"));
        let estimate_value =
            doc.estimate.as_ref().and_then(|e| match check_estimate(&estimate(&e.value), e.span, "estimate") {
                Some(d) => {
                    diagnostics.push(d.with_field(field("estimate")));
                    None
                }
                None => Some(estimate(&e.value)),
            });
        let estimate_field = field("estimate");
        let estimate_reported = diagnostics.iter().any(|d| d.field == estimate_field);
        if doc.estimate.is_none()
            && !estimate_reported
            && !matches!(doc.status.as_ref().map(|s| s.value.0), Some(ItemStatus::Done))
        {
            diagnostics.push(
                Diagnostic::warning("no-estimate", doc.id.span, format!("item `{key}` has no estimate"))
                    .with_label("scheduled as taking no time")
                    .with_help("add `estimate: [optimistic, likely, pessimistic]` in working days")
                    .with_field(field("estimate")),
            );
        }
        let people = match &doc.people {
            Some(p) => {
                let people = positive(p, "people", diagnostics, &field("people"));
                if let (Some(n), Some(t)) = (people, team)
                    && n > max_capacity[t.index()]
                {
                    diagnostics.push(
                        Diagnostic::error(
                            "exceeds-capacity",
                            p.span,
                            format!(
                                "item `{key}` needs {n} people but team `{}` never has more than {}",
                                teams[t.index()].key,
                                max_capacity[t.index()]
                            ),
                        )
                        .with_label("more than the team has")
                        .with_help("split the item, lower `people`, or raise the team's capacity")
                        .with_field(field("people")),
                    );
                }
                people.unwrap_or(1)
            }
            None => 1,
        };
        let status = doc.status.as_ref().map_or(ItemStatus::NotStarted, |s| s.value.0);
        check_actuals(doc, status, status_date, start, diagnostics);
        if let Some(r) = &doc.remaining {
            if let Some(d) = check_days(r.value, r.span, "remaining work") {
                diagnostics.push(d.with_field(field("remaining")));
            } else if r.value < 0.0 {
                diagnostics.push(
                    Diagnostic::error("impossible-estimate", r.span, "remaining work is negative")
                        .with_label("cannot be negative")
                        .with_help("use 0 when the work is finished, or mark the item `status: done`")
                        .with_field(field("remaining")),
                );
            } else if status != ItemStatus::InProgress && status != ItemStatus::Blocked {
                diagnostics.push(
                    Diagnostic::warning(
                        "remaining-not-in-progress",
                        r.span,
                        format!("`remaining` is set but item `{key}` is {}", status.as_str()),
                    )
                    .with_label("only used for work in progress")
                    .with_help("set `status: in_progress`, or remove `remaining`")
                    .with_field(field("remaining")),
                );
            }
        }
        let mut depends = Vec::with_capacity(doc.depends.len());
        for dep in &doc.depends {
            let Some(on) = item_ids.resolve(&dep.item, diagnostics, &field("depends")) else {
                continue;
            };
            let kind = dep.kind.as_ref().map_or(LinkKind::FinishToStart, |k| k.value.0);
            let lag = match &dep.lag {
                Some(l) => match check_days(l.value, l.span, "a lag") {
                    Some(d) => {
                        diagnostics.push(d.with_field(field("depends")));
                        0.0
                    }
                    None => l.value,
                },
                None => 0.0,
            };
            link_spans.insert((on.index(), index), dep.item.span);
            edges.push((on.index() as u32, index as u32));
            depends.push(Dependency { on, kind, lag });
        }
        let systems = system_ids.resolve_all(&doc.systems, diagnostics, &field("systems"));
        let interfaces = interface_ids.resolve_all(&doc.interfaces, diagnostics, &field("interfaces"));
        item_keep.push(team.is_some());
        resolved_items.push(WorkItem {
            key: key.clone(),
            title: doc.title.value.clone(),
            team: team.unwrap_or(TeamId::new(0)),
            owner: doc.owner.clone(),
            estimate: estimate_value,
            people,
            status,
            actual_start: doc.actual_start.as_ref().map(|d| d.value),
            actual_finish: doc.actual_finish.as_ref().map(|d| d.value),
            remaining: doc.remaining.as_ref().map(|r| r.value.max(0.0)),
            not_before: doc.not_before.as_ref().map(|d| d.value),
            depends,
            systems,
            interfaces,
            external_key: doc.key.clone(),
            tags: doc.tags.clone(),
            baseline: None,
        });
    }
    let keys: Vec<&str> = items.iter().map(|d| d.id.value.as_str()).collect();
    diagnostics.extend(check_cycles(&keys, &edges, |p, s| link_spans.get(&(p, s)).copied()));

    let milestones: Vec<Milestone> = milestones
        .iter()
        .map(|doc| {
            let field = |f: &str| format!("milestones[{}].{f}", doc.id.value);
            if let Some(t) = &doc.target
                && t.value < start
            {
                diagnostics.push(
                    out_of_order(t.span, "the target", t.value, "the program start", start).with_field(field("target")),
                );
            }
            Milestone {
                key: doc.id.value.clone(),
                title: doc.title.value.clone(),
                requires: item_ids.resolve_all(&doc.requires, diagnostics, &field("requires")),
                target: doc.target.as_ref().map(|t| t.value),
            }
        })
        .collect();

    let systems: Vec<System> = systems
        .iter()
        .map(|doc| {
            let field = |f: &str| format!("systems[{}].{f}", doc.id.value);
            System {
                key: doc.id.value.clone(),
                name: doc.name.clone().unwrap_or_else(|| doc.id.value.clone()),
                kind: doc.kind.as_ref().map_or(SystemKind::Service, |k| k.value.0),
                owner: doc.owner.as_ref().and_then(|o| team_ids.resolve(o, diagnostics, &field("owner"))),
                depends_on: system_ids.resolve_all(&doc.depends_on, diagnostics, &field("depends_on")),
            }
        })
        .collect();

    let mut interface_keep = Vec::new();
    let interfaces: Vec<Interface> = interfaces
        .iter()
        .map(|doc| {
            let field = |f: &str| format!("interfaces[{}].{f}", doc.id.value);
            let provider = &doc.provider.value;
            let provider_system =
                provider.system.as_ref().and_then(|s| system_ids.resolve(s, diagnostics, &field("provider.system")));
            let provider_team = match &provider.team {
                Some(t) => team_ids.resolve(t, diagnostics, &field("provider.team")),
                None => {
                    let owner = provider_system.and_then(|s| systems[s.index()].owner);
                    if owner.is_none() && (provider.system.is_none() || provider_system.is_some()) {
                        diagnostics.push(
                            Diagnostic::error(
                                "missing-field",
                                doc.provider.span,
                                format!("interface `{}` has no providing team", doc.id.value),
                            )
                            .with_label("no `team`, and no system with an owner")
                            .with_help("add `team: <team id>` to `provider`, or an `owner` to the providing system")
                            .with_field(field("provider.team")),
                        );
                    }
                    owner
                }
            };
            let status = doc.status.as_ref().map_or(ContractStatus::Draft, |s| s.value.0);
            if let (Some(agreed), false) = (&doc.agreed, status.is_agreed()) {
                diagnostics.push(
                    Diagnostic::warning(
                        "agreed-date-on-draft",
                        agreed.span,
                        format!("interface `{}` has an agreed date but is {}", doc.id.value, status.as_str()),
                    )
                    .with_label("agreed, yet still not agreed?")
                    .with_help("set `status: agreed`, or remove `agreed`")
                    .with_field(field("agreed")),
                );
            }
            interface_keep.push(provider_team.is_some());
            Interface {
                key: doc.id.value.clone(),
                name: doc.name.clone().unwrap_or_else(|| doc.id.value.clone()),
                provider_system,
                provider_team: provider_team.unwrap_or(TeamId::new(0)),
                consumers: team_ids.resolve_all(&doc.consumers, diagnostics, &field("consumers")),
                status,
                agreed: doc.agreed.as_ref().map(|d| d.value),
                expected: doc.expected.as_ref().map(|d| d.value),
                defined_by: doc
                    .defined_by
                    .as_ref()
                    .and_then(|i| item_ids.resolve(i, diagnostics, &field("defined_by"))),
            }
        })
        .collect();

    let risks: Vec<Risk> = risks
        .iter()
        .map(|doc| {
            let field = |f: &str| format!("risks[{}].{f}", doc.id.value);
            let score = |v: &Spanned<i64>, name: &str, diagnostics: &mut Vec<Diagnostic>| -> u8 {
                if (1..=5).contains(&v.value) {
                    v.value as u8
                } else {
                    diagnostics.push(
                        Diagnostic::error(
                            "out-of-range",
                            v.span,
                            format!("{name} must be from 1 to 5, found {}", v.value),
                        )
                        .with_label("outside 1–5")
                        .with_help("1 is the lowest, 5 the highest")
                        .with_field(field(name)),
                    );
                    v.value.clamp(1, 5) as u8
                }
            };
            let likelihood = score(&doc.likelihood, "likelihood", diagnostics);
            let impact = score(&doc.impact, "impact", diagnostics);
            let mut affects_items = Vec::new();
            let mut affects_milestones = Vec::new();
            for key in &doc.affects {
                if let Some((id, _)) = item_ids.ids.get(&key.value) {
                    affects_items.push(*id);
                } else if let Some((id, _)) = milestone_ids.ids.get(&key.value) {
                    affects_milestones.push(*id);
                } else {
                    let known = item_ids.ids.keys().chain(milestone_ids.ids.keys()).map(String::as_str);
                    diagnostics.push(
                        unknown_reference("item or milestone", "items", &key.value, key.span, known)
                            .with_field(field("affects")),
                    );
                }
            }
            let schedule_impact = doc.schedule_impact.as_ref().and_then(|si| {
                let p = &si.probability;
                if !(0.0..=1.0).contains(&p.value) {
                    let help = if (1.0..=100.0).contains(&p.value) {
                        format!("write it as a fraction: `{}`", p.value / 100.0)
                    } else {
                        "a probability is from 0 to 1".to_owned()
                    };
                    diagnostics.push(
                        Diagnostic::error(
                            "out-of-range",
                            p.span,
                            format!("probability must be from 0 to 1, found {}", p.value),
                        )
                        .with_label("outside 0–1")
                        .with_help(help)
                        .with_field(field("schedule_impact.probability")),
                    );
                    return None;
                }
                if let Some(d) = check_estimate(&estimate(&si.delay.value), si.delay.span, "delay") {
                    diagnostics.push(d.with_field(field("schedule_impact.delay")));
                    return None;
                }
                Some(ScheduleImpact { probability: p.value, delay: estimate(&si.delay.value) })
            });
            if schedule_impact.is_some() && affects_items.is_empty() && affects_milestones.is_empty() {
                diagnostics.push(
                    Diagnostic::warning(
                        "impact-affects-nothing",
                        doc.id.span,
                        format!("risk `{}` has a schedule impact but affects no item", doc.id.value),
                    )
                    .with_label("its delay lands nowhere")
                    .with_help("list the items it would delay under `affects`")
                    .with_field(field("affects")),
                );
            }
            Risk {
                key: doc.id.value.clone(),
                title: doc.title.value.clone(),
                likelihood,
                impact,
                owner: doc.owner.clone(),
                mitigation: doc.mitigation.clone(),
                trigger: doc.trigger.clone(),
                status: doc.status.as_ref().map_or(RiskStatus::Open, |s| s.value.0),
                affects_items,
                affects_milestones,
                schedule_impact,
            }
        })
        .collect();

    let decisions: Vec<Decision> = decisions.iter().map(|doc| resolve_decision(doc, &item_ids, diagnostics)).collect();

    let blockers: Vec<Blocker> = files
        .iter()
        .flat_map(|f| &f.blockers)
        .filter_map(|doc| {
            let item = item_ids.resolve(&doc.item, diagnostics, "blockers.item")?;
            if let Some(sd) = status_date
                && doc.raised.value > sd
            {
                diagnostics.push(
                    after_status_date(doc.raised.span, "the blocker's `raised` date", doc.raised.value, sd)
                        .with_field("blockers.raised"),
                );
            }
            if let Some(resolved) = &doc.resolved
                && resolved.value < doc.raised.value
            {
                diagnostics.push(
                    out_of_order(resolved.span, "`resolved`", resolved.value, "`raised`", doc.raised.value)
                        .with_field("blockers.resolved"),
                );
            }
            Some(Blocker {
                item,
                description: doc.description.value.clone(),
                raised: doc.raised.value,
                owner: doc.owner.clone(),
                escalated_to: doc.escalated_to.clone(),
                resolved: doc.resolved.as_ref().map(|d| d.value),
            })
        })
        .collect();

    let updates: Vec<StatusUpdate> = files
        .iter()
        .flat_map(|f| &f.updates)
        .filter_map(|doc| {
            let subject = match (&doc.team, &doc.item) {
                (Some(team), None) => Subject::Team(team_ids.resolve(team, diagnostics, "updates.team")?),
                (None, Some(item)) => Subject::Item(item_ids.resolve(item, diagnostics, "updates.item")?),
                (None, None) => Subject::Program,
                (Some(_), Some(item)) => {
                    diagnostics.push(
                        Diagnostic::error(
                            "ambiguous-update",
                            item.span,
                            "a status update names both a team and an item",
                        )
                        .with_label("one subject per update")
                        .with_help("split it into two updates, or keep only `item`")
                        .with_field("updates.item"),
                    );
                    return None;
                }
            };
            Some(StatusUpdate {
                date: doc.date.value,
                subject,
                health: doc.health.value.0,
                note: doc.note.clone(),
                author: doc.author.clone(),
            })
        })
        .collect();

    let stakeholders = files
        .iter()
        .flat_map(|f| &f.stakeholders)
        .map(|doc| Stakeholder {
            name: doc.name.value.clone(),
            role: doc.role.clone(),
            audience: doc.audience.as_ref().map_or(Audience::Engineering, |a| a.value.0),
        })
        .collect();

    let thresholds = crate::policy::thresholds(files, diagnostics);
    let registries = Registries {
        teams: &team_ids.ids,
        items: &item_ids.ids,
        milestones: &milestone_ids.ids,
        systems: &system_ids.ids,
        interfaces: &interface_ids.ids,
        decisions: &decision_ids.ids,
    };
    let accepted_findings = crate::policy::accepted(files, &registries, diagnostics);
    let (baseline_date, baseline) = crate::policy::baseline(files, &item_ids.ids, resolved_items.len(), diagnostics);
    for (item, planned) in resolved_items.iter_mut().zip(baseline) {
        item.baseline = planned;
    }

    // An item or interface whose team did not resolve was reported; it is
    // kept so ids stay stable, pointing at team 0, but only when teams exist.
    if (item_keep.iter().any(|k| !k) || interface_keep.iter().any(|k| !k)) && teams.is_empty() {
        return None;
    }

    Some(Program {
        name: program_doc.name.value.clone(),
        goal: program_doc.goal.clone(),
        start,
        status_date,
        calendar,
        teams,
        items: resolved_items,
        milestones,
        systems,
        interfaces,
        risks,
        decisions,
        blockers,
        updates,
        stakeholders,
        thresholds,
        accepted_findings,
        baseline_date,
    })
}

fn check_actuals(
    doc: &ItemDoc,
    status: ItemStatus,
    status_date: Option<NaiveDate>,
    start: NaiveDate,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let key = &doc.id.value;
    let field = |f: &str| format!("items[{key}].{f}");
    if let (Some(s), Some(f)) = (&doc.actual_start, &doc.actual_finish)
        && f.value < s.value
    {
        diagnostics.push(
            out_of_order(f.span, "`actual_finish`", f.value, "`actual_start`", s.value)
                .with_field(field("actual_finish")),
        );
    }
    for (name, date) in [("actual_start", &doc.actual_start), ("actual_finish", &doc.actual_finish)] {
        let Some(date) = date else { continue };
        match status_date {
            Some(sd) if date.value > sd => {
                diagnostics
                    .push(after_status_date(date.span, &format!("`{name}`"), date.value, sd).with_field(field(name)));
            }
            None => {
                diagnostics.push(
                    Diagnostic::error(
                        "actual-without-status-date",
                        date.span,
                        format!("item `{key}` records `{name}` but the program has no `status_date`"),
                    )
                    .with_label("progress needs an \"as of\" date")
                    .with_help("add `status_date:` to `program`: the date this progress is known as of")
                    .with_field(field(name)),
                );
            }
            _ => {}
        }
        if date.value < start {
            diagnostics.push(
                Diagnostic::warning(
                    "actual-before-start",
                    date.span,
                    format!("`{name}` ({}) is before the program start ({start})", date.value),
                )
                .with_label("before the program began")
                .with_field(field(name)),
            );
        }
    }
    let status_span = doc.status.as_ref().map_or(doc.id.span, |s| s.span);
    match status {
        ItemStatus::Done if doc.actual_finish.is_none() => diagnostics.push(
            Diagnostic::warning(
                "done-without-finish",
                status_span,
                format!("item `{key}` is done but has no `actual_finish`"),
            )
            .with_label("when did it finish?")
            .with_help("add `actual_finish:`; until then it is taken to have finished by its planned date")
            .with_field(field("actual_finish")),
        ),
        ItemStatus::NotStarted if doc.actual_start.is_some() || doc.actual_finish.is_some() => diagnostics.push(
            Diagnostic::warning(
                "status-contradicts-actuals",
                status_span,
                format!("item `{key}` has actual dates but is not started"),
            )
            .with_label("status says not started")
            .with_help("set `status: in_progress` or `status: done`")
            .with_field(field("status")),
        ),
        ItemStatus::InProgress | ItemStatus::Blocked if doc.actual_finish.is_some() => diagnostics.push(
            Diagnostic::warning(
                "status-contradicts-actuals",
                status_span,
                format!("item `{key}` has an `actual_finish` but is {}", status.as_str()),
            )
            .with_label("finished, or not?")
            .with_help("set `status: done`, or remove `actual_finish`")
            .with_field(field("status")),
        ),
        _ => {}
    }
}

fn resolve_decision(doc: &DecisionDoc, item_ids: &Registry<ItemId>, diagnostics: &mut Vec<Diagnostic>) -> Decision {
    let key = &doc.id.value;
    let field = |f: &str| format!("decisions[{key}].{f}");
    let criteria: Vec<Criterion> = doc
        .criteria
        .iter()
        .map(|c| {
            let weight = c.weight.as_ref().map_or(1.0, |w| w.value);
            if weight < 0.0 {
                let span = c.weight.as_ref().map_or(c.name.span, |w| w.span);
                diagnostics.push(
                    Diagnostic::error("out-of-range", span, "a criterion weight cannot be negative")
                        .with_label("negative weight")
                        .with_help("use 0 to ignore a criterion")
                        .with_field(field("criteria")),
                );
            }
            Criterion { name: c.name.value.clone(), weight: weight.max(0.0) }
        })
        .collect();
    let criterion_names: Vec<&str> = criteria.iter().map(|c| c.name.as_str()).collect();
    let mut option_keys: HashMap<&str, Span> = HashMap::new();
    let options: Vec<DecisionOption> = doc
        .options
        .iter()
        .map(|o| {
            if let Some(first) = option_keys.insert(&o.id.value, o.id.span) {
                diagnostics.push(
                    Diagnostic::error("duplicate-id", o.id.span, format!("duplicate option id `{}`", o.id.value))
                        .with_label("defined again here")
                        .with_related(first, "first defined here")
                        .with_field(field("options")),
                );
            }
            let scores = o
                .scores
                .iter()
                .flat_map(|s| &s.0)
                .filter_map(|(name, score)| match criterion_names.iter().position(|c| *c == name.value) {
                    Some(i) => Some((i, score.value)),
                    None => {
                        diagnostics.push(
                            unknown_reference(
                                "criterion",
                                "criteria",
                                &name.value,
                                name.span,
                                criterion_names.iter().copied(),
                            )
                            .with_field(field("options.scores")),
                        );
                        None
                    }
                })
                .collect();
            DecisionOption {
                key: o.id.value.clone(),
                description: o.description.clone(),
                pros: o.pros.clone(),
                cons: o.cons.clone(),
                scores,
            }
        })
        .collect();
    let status = doc.status.as_ref().map_or(DecisionStatus::Open, |s| s.value.0);
    let chosen = doc.chosen.as_ref().and_then(|c| match options.iter().position(|o| o.key == c.value) {
        Some(i) => Some(i),
        None => {
            diagnostics.push(
                unknown_reference("option", "options", &c.value, c.span, options.iter().map(|o| o.key.as_str()))
                    .with_field(field("chosen")),
            );
            None
        }
    });
    if status == DecisionStatus::Decided && doc.chosen.is_none() {
        let span = doc.status.as_ref().map_or(doc.id.span, |s| s.span);
        diagnostics.push(
            Diagnostic::warning(
                "decided-without-choice",
                span,
                format!("decision `{key}` is decided but names no `chosen` option"),
            )
            .with_label("decided on what?")
            .with_help("add `chosen: <option id>`")
            .with_field(field("chosen")),
        );
    }
    Decision {
        key: key.clone(),
        question: doc.question.value.clone(),
        criteria,
        options,
        driver: doc.driver.clone(),
        approver: doc.approver.clone(),
        contributors: doc.contributors.clone(),
        status,
        chosen,
        rationale: doc.rationale.clone(),
        date: doc.date.as_ref().map(|d| d.value),
        due: doc.due.as_ref().map(|d| d.value),
        blocks: item_ids.resolve_all(&doc.blocks, diagnostics, &field("blocks")),
    }
}
