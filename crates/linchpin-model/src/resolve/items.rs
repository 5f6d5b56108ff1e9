//! Work items: converted as they arrive. The teams, systems and
//! interfaces they name are resolved then when known, and at the end when
//! not; the items they wait on are all resolved at the end, in parallel
//! (a million-item plan has three million of them).

use super::checks::{check_days, check_estimate, cycle_diagnostics};
use super::{Resolver, after_status_date, estimate, out_of_order, positive};
use crate::diagnostic::{Code, Diagnostic};
use crate::doc::{DependencyDoc, ItemDoc};
use crate::origin::{Located, Origin};
use crate::*;

/// A reference an item made to an id not known when it was added.
pub(crate) struct Reference {
    item: u32,
    /// Where in the item's list the resolved id goes.
    slot: u32,
    target: Target,
    key: Located<String>,
}

#[derive(Clone, Copy)]
enum Target {
    Team,
    System,
    Interface,
    Group,
}

/// What waits for [`Resolver::finish`].
#[derive(Default)]
pub(crate) struct Pending {
    references: Vec<Reference>,
    /// Items that named their people before their team was known: the
    /// check against the team's size waits with them.
    people: Vec<(u32, u32, Origin)>,
    /// The key each link names, numbered in item order, in one buffer.
    link_keys: String,
    link_key_ends: Vec<u32>,
    /// Where each link was written, as runs over the links numbered in
    /// item order: `(first link, origin)`, a new run only where the origin
    /// changes (a spreadsheet row's links share one cell).
    link_origins: Vec<(u64, Origin)>,
    links: u64,
    /// Each item's first link in that numbering, once all are written.
    first_link: Vec<u64>,
    /// Links written out from groups, by (item, position in its list),
    /// with where the group dependency they stand for was written.
    pub(crate) expanded_origins: std::collections::HashMap<(u32, u32), Origin>,
    pub(crate) group_links: usize,
    pub(crate) group_links_reported: bool,
    /// Where each item's owner and each team's lead was written, to name
    /// them as people once the people are known.
    pub(crate) owners: Vec<(u32, Origin)>,
    pub(crate) leads: Vec<(u32, Origin)>,
}

impl Pending {
    fn link(&mut self, key: &str, origin: Origin) {
        if self.link_origins.last().is_none_or(|&(_, last)| last != origin) {
            self.link_origins.push((self.links, origin));
        }
        self.link_keys.push_str(key);
        self.link_key_ends.push(u32::try_from(self.link_keys.len()).unwrap_or(u32::MAX));
        self.links += 1;
    }

    fn link_key(&self, link: usize) -> &str {
        let start = if link == 0 { 0 } else { self.link_key_ends[link - 1] as usize };
        &self.link_keys[start..self.link_key_ends[link] as usize]
    }

    fn origin_of_link(&self, link: u64) -> Option<Origin> {
        let run = self.link_origins.partition_point(|&(first, _)| first <= link);
        run.checked_sub(1).map(|r| self.link_origins[r].1)
    }
}

/// Placeholder for an id resolved later; never left in a built program.
const UNRESOLVED: usize = u32::MAX as usize;

impl Resolver {
    /// Adds a work item. Its team, and the items, systems and interfaces it
    /// names, may come later.
    pub fn item(&mut self, doc: &ItemDoc) {
        if let Some(long) = super::long_id("item", "items", &doc.id) {
            self.diagnostics.push(long);
        }
        let index = match self.item_ids.insert(&doc.id.value) {
            Ok(index) => index,
            Err(first) => {
                let first = self.item_origins[first as usize];
                self.diagnostics.push(super::duplicate("item", "items", &doc.id, first));
                return;
            }
        };
        self.item_origins.push(doc.id.origin);
        let item = self.convert(index, doc);
        self.items.push(item);
    }

    fn convert(&mut self, index: u32, doc: &ItemDoc) -> WorkItem {
        let key = &doc.id.value;
        let field = |f: &str| format!("items[{key}].{f}");
        let estimate_value = doc.estimate.as_ref().and_then(|e| match check_estimate(&e.value, e.origin, "estimate") {
            Some(d) => {
                self.diagnostics.push(d.with_field(field("estimate")));
                None
            }
            None => Some(estimate(&e.value)),
        });
        let status = doc.status.as_ref().map_or(ItemStatus::NotStarted, |s| s.value);
        if doc.estimate.is_none() && status != ItemStatus::Done {
            self.diagnostics.push(
                Diagnostic::warning(Code::NoEstimate, doc.id.origin, format!("item `{key}` has no estimate"))
                    .with_label("scheduled as taking no time")
                    .with_help("add `estimate: [optimistic, likely, pessimistic]` in working days")
                    .with_field(field("estimate")),
            );
        }
        let team = match self.team_ids.get(&doc.team.value) {
            Some(team) => team,
            None => {
                self.pending.references.push(Reference {
                    item: index,
                    slot: 0,
                    target: Target::Team,
                    key: doc.team.clone(),
                });
                TeamId::new(UNRESOLVED)
            }
        };
        let people = match &doc.people {
            Some(p) => {
                let people = positive(p, "people", &mut self.diagnostics, &field("people"));
                if let Some(n) = people {
                    if team.index() == UNRESOLVED {
                        self.pending.people.push((index, n, p.origin));
                    } else {
                        self.check_people(key, n, team, p.origin);
                    }
                }
                people.unwrap_or(1)
            }
            None => 1,
        };
        self.check_actuals(doc, status);
        let remaining = self.remaining(doc, status);
        let not_before = doc.not_before.as_ref().and_then(|d| self.plausible(d, "`not_before`", &field("not_before")));
        let start_on = doc.start_on.as_ref().and_then(|d| self.plausible(d, "`start_on`", &field("start_on")));
        let deadline = doc.deadline.as_ref().and_then(|d| self.plausible(d, "the deadline", &field("deadline")));
        self.check_constraints(doc, not_before, start_on, deadline);
        if doc.depends.len() > super::MAX_DEPENDENCIES_PER_ITEM {
            self.diagnostics.push(
                Diagnostic::error(
                    Code::TooLarge,
                    doc.id.origin,
                    format!(
                        "item `{key}` lists {} dependencies; an item may list at most {}",
                        crate::diagnostic::grouped(doc.depends.len() as u64),
                        crate::diagnostic::grouped(super::MAX_DEPENDENCIES_PER_ITEM as u64)
                    ),
                )
                .with_label("too many dependencies")
                .with_help("depend on a group, or on the few items that finish last")
                .with_field(field("depends")),
            );
        }
        let mut depends = Vec::with_capacity(doc.depends.len());
        for dependency in &doc.depends {
            depends.push(self.link(dependency, key));
        }
        if let Some(owner) = &doc.owner {
            self.pending.owners.push((index, owner.origin));
        }
        let systems = known_or_later(
            &self.system_ids,
            &mut self.pending,
            index,
            &doc.systems,
            Target::System,
            SystemId::new(UNRESOLVED),
        );
        let interfaces = known_or_later(
            &self.interface_ids,
            &mut self.pending,
            index,
            &doc.interfaces,
            Target::Interface,
            InterfaceId::new(UNRESOLVED),
        );
        let group = known_or_later(
            &self.group_ids,
            &mut self.pending,
            index,
            doc.group.as_slice(),
            Target::Group,
            GroupId::new(UNRESOLVED),
        )
        .first()
        .copied();
        WorkItem {
            key: key.clone(),
            title: doc.title.value.clone(),
            team,
            owner: doc.owner.as_ref().map(|o| o.value.clone()),
            estimate: estimate_value,
            people,
            status,
            actual_start: doc.actual_start.as_ref().map(|d| d.value),
            actual_finish: doc.actual_finish.as_ref().map(|d| d.value),
            remaining,
            not_before,
            start_on,
            deadline,
            group,
            depends,
            systems,
            interfaces,
            external_key: doc.key.clone(),
            tags: doc.tags.clone(),
            baseline: None,
        }
    }

    /// Dates that cannot all hold: a start before the program or after the
    /// deadline, a `start_on` before its `not_before`.
    fn check_constraints(
        &mut self,
        doc: &ItemDoc,
        not_before: Option<chrono::NaiveDate>,
        start_on: Option<chrono::NaiveDate>,
        deadline: Option<chrono::NaiveDate>,
    ) {
        let key = &doc.id.value;
        let start = self.header.start;
        if let (Some(on), Some(written)) = (start_on, &doc.start_on) {
            if on < start {
                self.diagnostics.push(
                    out_of_order(written.origin, "`start_on`", on, "the program start", start)
                        .with_field(format!("items[{key}].start_on")),
                );
            }
            if let Some(not_before) = not_before
                && on < not_before
            {
                self.diagnostics.push(
                    out_of_order(written.origin, "`start_on`", on, "`not_before`", not_before)
                        .with_field(format!("items[{key}].start_on")),
                );
            }
        }
        if let (Some(deadline), Some(written)) = (deadline, &doc.deadline) {
            let earliest = start_on.unwrap_or(start);
            if deadline < earliest {
                let what = if start_on.is_some() { "`start_on`" } else { "the program start" };
                self.diagnostics.push(
                    out_of_order(written.origin, "the deadline", deadline, what, earliest)
                        .with_field(format!("items[{key}].deadline")),
                );
            }
        }
    }

    fn check_people(&mut self, key: &str, people: u32, team: TeamId, origin: Origin) {
        let team = &self.teams[team.index()];
        let most = team.most_people();
        if people > most {
            self.diagnostics.push(
                Diagnostic::error(
                    Code::ExceedsCapacity,
                    origin,
                    format!("item `{key}` needs {people} people but team `{}` never has more than {most}", team.key),
                )
                .with_label("more than the team has")
                .with_help("split the item, lower `people`, or raise the team's capacity")
                .with_field(format!("items[{key}].people")),
            );
        }
    }

    fn remaining(&mut self, doc: &ItemDoc, status: ItemStatus) -> Option<f64> {
        let r = doc.remaining.as_ref()?;
        let key = &doc.id.value;
        let field = format!("items[{key}].remaining");
        if let Some(d) = check_days(r.value, r.origin, "remaining work") {
            self.diagnostics.push(d.with_field(field));
        } else if r.value < 0.0 {
            self.diagnostics.push(
                Diagnostic::error(Code::ImpossibleEstimate, r.origin, "remaining work is negative")
                    .with_label("cannot be negative")
                    .with_help("use 0 when the work is finished, or mark the item `status: done`")
                    .with_field(field),
            );
        } else if status != ItemStatus::InProgress && status != ItemStatus::Blocked {
            self.diagnostics.push(
                Diagnostic::warning(
                    Code::RemainingNotInProgress,
                    r.origin,
                    format!("`remaining` is set but item `{key}` is {}", status.as_str()),
                )
                .with_label("only used for work in progress")
                .with_help("set `status: in_progress`, or remove `remaining`")
                .with_field(field),
            );
        }
        Some(r.value.max(0.0))
    }

    /// One dependency of item `key`, numbered `item`.
    fn link(&mut self, doc: &DependencyDoc, key: &str) -> Dependency {
        let kind = doc.kind.as_ref().map_or(LinkKind::FinishToStart, |k| k.value);
        let mut lag_unit = doc.lag_unit.as_ref().map_or(LagUnit::WorkingDays, |u| u.value);
        if let Some(unit) = &doc.lag_unit
            && lag_unit == LagUnit::CalendarDays
            && kind != LinkKind::FinishToStart
        {
            self.diagnostics.push(
                Diagnostic::error(
                    Code::UnsupportedLink,
                    unit.origin,
                    format!("a {} link cannot wait in calendar days", kind.as_str().replace('_', "-")),
                )
                .with_label("only finish-to-start links do")
                .with_help("make it finish-to-start, or give the lag in working days")
                .with_field(format!("items[{key}].depends")),
            );
            lag_unit = LagUnit::WorkingDays;
        }
        let lag = match &doc.lag {
            Some(l) => match check_days(l.value, l.origin, "a lag") {
                Some(d) => {
                    self.diagnostics.push(d.with_field(format!("items[{key}].depends")));
                    0.0
                }
                None => l.value,
            },
            None => 0.0,
        };
        self.pending.link(&doc.item.value, doc.item.origin);
        Dependency { on: ItemId::new(UNRESOLVED), kind, lag, lag_unit }
    }

    fn check_actuals(&mut self, doc: &ItemDoc, status: ItemStatus) {
        let key = &doc.id.value;
        let field = |f: &str| format!("items[{key}].{f}");
        let (start, status_date) = (self.header.start, self.header.status_date);
        if let (Some(s), Some(f)) = (&doc.actual_start, &doc.actual_finish)
            && f.value < s.value
        {
            self.diagnostics.push(
                out_of_order(f.origin, "`actual_finish`", f.value, "`actual_start`", s.value)
                    .with_field(field("actual_finish")),
            );
        }
        for (name, date) in [("actual_start", &doc.actual_start), ("actual_finish", &doc.actual_finish)] {
            let Some(date) = date else { continue };
            if self.plausible(date, &format!("`{name}`"), &field(name)).is_none() {
                continue;
            }
            match status_date {
                Some(sd) if date.value > sd => {
                    self.diagnostics.push(
                        after_status_date(date.origin, &format!("`{name}`"), date.value, sd).with_field(field(name)),
                    );
                }
                None => {
                    self.diagnostics.push(
                        Diagnostic::error(
                            Code::ActualWithoutStatusDate,
                            date.origin,
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
                self.diagnostics.push(
                    Diagnostic::warning(
                        Code::ActualBeforeStart,
                        date.origin,
                        format!("`{name}` ({}) is before the program start ({start})", date.value),
                    )
                    .with_label("before the program began")
                    .with_field(field(name)),
                );
            }
        }
        let status_origin = doc.status.as_ref().map_or(doc.id.origin, |s| s.origin);
        let warning = match status {
            ItemStatus::Done if doc.actual_finish.is_none() => Some(
                Diagnostic::warning(
                    Code::DoneWithoutFinish,
                    status_origin,
                    format!("item `{key}` is done but has no `actual_finish`"),
                )
                .with_label("when did it finish?")
                .with_help("add `actual_finish:`; until then it is taken to have finished by its planned date")
                .with_field(field("actual_finish")),
            ),
            ItemStatus::NotStarted if doc.actual_start.is_some() || doc.actual_finish.is_some() => Some(
                Diagnostic::warning(
                    Code::StatusContradictsActuals,
                    status_origin,
                    format!("item `{key}` has actual dates but is not started"),
                )
                .with_label("status says not started")
                .with_help("set `status: in_progress` or `status: done`")
                .with_field(field("status")),
            ),
            ItemStatus::InProgress | ItemStatus::Blocked if doc.actual_finish.is_some() => Some(
                Diagnostic::warning(
                    Code::StatusContradictsActuals,
                    status_origin,
                    format!("item `{key}` has an `actual_finish` but is {}", status.as_str()),
                )
                .with_label("finished, or not?")
                .with_help("set `status: done`, or remove `actual_finish`")
                .with_field(field("status")),
            ),
            _ => None,
        };
        self.diagnostics.extend(warning);
    }

    /// Resolves the references to teams, systems, interfaces and groups
    /// that named ids added after the item.
    pub(crate) fn finish_references(&mut self) {
        let references = std::mem::take(&mut self.pending.references);
        for reference in references {
            let Reference { item, slot, target, key } = reference;
            let work = &self.items[item as usize];
            let field = |f: &str| format!("items[{}].{f}", work.key);
            match target {
                Target::Team => match self.team_ids.resolve(&key, &mut self.diagnostics, &field("team")) {
                    Some(team) => self.items[item as usize].team = team,
                    None => continue,
                },
                Target::System => {
                    if let Some(id) = self.system_ids.resolve(&key, &mut self.diagnostics, &field("systems")) {
                        self.items[item as usize].systems[slot as usize] = id;
                    }
                }
                Target::Interface => {
                    if let Some(id) = self.interface_ids.resolve(&key, &mut self.diagnostics, &field("interfaces")) {
                        self.items[item as usize].interfaces[slot as usize] = id;
                    }
                }
                Target::Group => {
                    if let Some(id) = self.group_ids.resolve(&key, &mut self.diagnostics, &field("group")) {
                        self.items[item as usize].group = Some(id);
                    }
                }
            }
        }
    }

    /// Resolves every link (writing out those on and of groups), checks the
    /// people of items whose team came late, and looks for cycles.
    pub(crate) fn finish_links(&mut self, groups: &[Group]) {
        self.resolve_links(groups);
        self.expand_group_dependencies(groups);
        for (item, people, origin) in std::mem::take(&mut self.pending.people) {
            let work = &self.items[item as usize];
            if work.team.index() != UNRESOLVED {
                let (key, team) = (work.key.clone(), work.team);
                self.check_people(&key, people, team, origin);
            }
        }
        self.check_cycles();
    }

    /// Resolves every link's key, in parallel over the items: the id index
    /// is read-only by now. A key naming a group becomes a link to each of
    /// its items.
    fn resolve_links(&mut self, groups: &[Group]) {
        use rayon::prelude::*;
        let mut first_link = Vec::with_capacity(self.items.len());
        let mut links = 0usize;
        for item in &self.items {
            first_link.push(links);
            links += item.depends.len();
        }
        self.pending.first_link = first_link.iter().map(|&f| f as u64).collect();
        let (ids, pending) = (&self.item_ids, &self.pending);
        // (item, link) for every key that names no item.
        let unknown: Vec<(usize, usize)> = self
            .items
            .par_iter_mut()
            .zip(first_link.par_iter())
            .enumerate()
            .flat_map_iter(|(index, (item, &first))| {
                let mut unknown = Vec::new();
                for (slot, dependency) in item.depends.iter_mut().enumerate() {
                    match ids.get(pending.link_key(first + slot)) {
                        Some(on) => dependency.on = ItemId::new(on as usize),
                        None => unknown.push((index, first + slot)),
                    }
                }
                unknown.into_iter()
            })
            .collect();
        for (item, link) in unknown {
            let key = self.pending.link_key(link).to_owned();
            let origin = self.pending.origin_of_link(link as u64).unwrap_or_default();
            let field = format!("items[{}].depends", self.items[item].key);
            let Some(group) = self.group_ids.get(&key) else {
                let known = self.item_ids.keys().chain(self.group_ids.ids.keys().map(String::as_str));
                let diagnostic = super::checks::unknown_reference(
                    self.dependency_kind(),
                    "items",
                    &key,
                    origin,
                    known,
                    self.diagnostics.len(),
                );
                self.diagnostics.push(diagnostic.with_field(field));
                continue;
            };
            let slot = link - first_link[item];
            let written = self.items[item].depends[slot];
            let group = &groups[group.index()];
            if written.kind == LinkKind::StartToStart {
                let doc = crate::doc::DependencyDoc::on(Located::new(key, origin));
                self.start_to_start_on_group(&doc, group, &field);
                continue;
            }
            // The written link points at the group's first item; the rest follow.
            let Some((&first, rest)) = group.members.split_first() else {
                self.empty_groups.push((item, slot, origin));
                continue;
            };
            self.items[item].depends[slot].on = first;
            for &on in rest {
                if !self.add_group_link(ItemId::new(item), Dependency { on, ..written }, origin) {
                    break;
                }
            }
        }
        self.pending.link_keys = String::new();
        self.pending.link_key_ends = Vec::new();
    }

    /// Every cycle, as a diagnostic; without one, the items' topological
    /// order, unless every link points back to an earlier item (then there
    /// can be no cycle, and the program finds its order when first asked).
    fn check_cycles(&mut self) {
        let mut edges = Vec::with_capacity(self.pending.links as usize);
        for (succ, item) in self.items.iter().enumerate() {
            for dependency in &item.depends {
                if dependency.on.index() != UNRESOLVED {
                    edges.push((dependency.on.index() as u32, succ as u32));
                }
            }
        }
        if edges.iter().all(|&(p, s)| p < s) {
            return;
        }
        // Kahn's order, not the written one: the engine's schedules and
        // tie-breaks follow it.
        let graph = linchpin_graph::Adjacency::from_edges(self.items.len(), edges.iter().copied());
        let cycles = match linchpin_graph::topological_order(&graph) {
            Ok(order) => {
                let order = order.into_iter().map(|v| ItemId::new(v as usize)).collect();
                self.order.get_or_init(|| order);
                return;
            }
            Err(cycles) => cycles,
        };
        let keys: Vec<&str> = self.items.iter().map(|i| i.key.as_str()).collect();
        let items = &self.items;
        let pending = &self.pending;
        let found = cycle_diagnostics(&keys, &cycles, |pred, succ| {
            let slot = items[succ].depends.iter().position(|d| d.on.index() == pred)?;
            match pending.expanded_origins.get(&(succ as u32, slot as u32)) {
                Some(&origin) => Some(origin),
                None => pending.origin_of_link(pending.first_link[succ] + slot as u64),
            }
        });
        self.diagnostics.extend(found);
    }
}

/// The ids `keys` name in `registry`, or placeholders for those not known
/// yet, which wait in `pending` for [`Resolver::finish`].
fn known_or_later<Id: Copy>(
    registry: &super::Registry<Id>,
    pending: &mut Pending,
    item: u32,
    keys: &[Located<String>],
    target: Target,
    placeholder: Id,
) -> Vec<Id> {
    let mut ids = Vec::with_capacity(keys.len());
    for (slot, key) in keys.iter().enumerate() {
        ids.push(registry.get(&key.value).unwrap_or_else(|| {
            pending.references.push(Reference { item, slot: slot as u32, target, key: key.clone() });
            placeholder
        }));
    }
    ids
}
