//! The shape of a plan, as against its values: which items, groups,
//! milestones and risks there are, what each waits on, requires or
//! affects, and the calendar. Two versions of a plan differ in shape when
//! work is added or removed or links change; [`mix_shapes`] builds the plan
//! with some of those differences undone, so the effect of each on the
//! dates can be measured (what changed and why). Values (estimates,
//! progress, capacity, targets, risk odds) are mixed afterwards on the
//! resolved program with [`crate::Program::with_parts_of`].

use std::collections::{BTreeMap, HashSet};

use crate::doc::{GroupDoc, ItemDoc, MilestoneDoc, PlanDoc, RiskDoc, TeamDoc};

/// One part of a plan's shape, named by key.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Shape {
    /// An item: that it exists, its team, people, date constraints, group
    /// and dependencies.
    Item(String),
    /// A group: that it exists, its parent and dependencies.
    Group(String),
    /// A milestone: that it exists and the work it requires.
    Milestone(String),
    /// A risk: that it exists and what it affects.
    Risk(String),
    /// The program's start, calendar and the teams' holidays.
    Calendar,
}

/// How a part of the shape changed from the earlier version.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ShapeChange {
    Added,
    Removed,
    Changed,
}

/// Every part of the shape that differs between `old` and `new`, sorted,
/// with how it changed.
pub fn shape_changes(old: &[PlanDoc], new: &[PlanDoc]) -> Vec<(Shape, ShapeChange)> {
    let (old, new) = (with_additions(old), with_additions(new));
    let (old, new) = (Flat::new(&old), Flat::new(&new));
    // A link to work only one version has is part of that work's change.
    let both: HashSet<&str> = old.targets().intersection(&new.targets()).copied().collect();
    let mut out = Vec::new();
    compare(&old.items, &new.items, |i| item_shape(i, &both), Shape::Item, &mut out);
    compare(&old.groups.by_key, &new.groups.by_key, |g| group_shape(g, &both), Shape::Group, &mut out);
    compare(&old.milestones.by_key, &new.milestones.by_key, |m| milestone_shape(m, &both), Shape::Milestone, &mut out);
    compare(&old.risks.by_key, &new.risks.by_key, |r| risk_shape(r, &both), Shape::Risk, &mut out);
    if calendar_shape(&old) != calendar_shape(&new) {
        out.push((Shape::Calendar, ShapeChange::Changed));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// The plan `new` with the parts of its shape in `revert` as `old` has
/// them, as one document holding only what dates depend on (no decisions,
/// blockers, updates, systems, interfaces, people or findings settings).
/// Values stay `new`'s where the item, milestone or risk is in both. A
/// link to work only one version has comes with that work, and links to
/// work not in the mix are dropped, so every mix resolves; items keep
/// `new`'s order, with those only `old` has after the item they followed
/// there.
pub fn mix_shapes(old: &[PlanDoc], new: &[PlanDoc], revert: &[Shape]) -> PlanDoc {
    let (old, new) = (&with_additions(old)[..], &with_additions(new)[..]);
    let reverted: HashSet<&Shape> = revert.iter().collect();
    let (old_flat, new_flat) = (Flat::new(old), Flat::new(new));
    let mut out = PlanDoc::default();

    let calendar_as_old = reverted.contains(&Shape::Calendar);
    let program = new.iter().find_map(|d| d.program.as_ref());
    let old_program = old.iter().find_map(|d| d.program.as_ref());
    if let Some(program) = program {
        let mut program = program.clone();
        if calendar_as_old && let Some(then) = old_program {
            program.start = then.start.clone();
            program.calendar = then.calendar.clone();
        }
        out.program = Some(program);
    }

    for (key, team) in &new_flat.teams {
        let mut team = TeamDoc { lead: None, ..(*team).clone() };
        if calendar_as_old && let Some(then) = old_flat.teams.get(key) {
            team.holidays = then.holidays.clone();
        }
        out.teams.push(team);
    }
    for (key, team) in &old_flat.teams {
        if !new_flat.teams.contains_key(key) {
            out.teams.push(TeamDoc { lead: None, ..(*team).clone() });
        }
    }

    out.items = merged(&old_flat.item_order, &new_flat.item_order, |key| {
        let take_old = reverted.contains(&Shape::Item(key.to_owned()));
        match (old_flat.items.get(key), new_flat.items.get(key), take_old) {
            (_, Some(now), false) => Some((*now).clone()),
            (Some(then), Some(now), true) => Some(ItemDoc {
                estimate: now.estimate.clone(),
                remaining: now.remaining.clone(),
                status: now.status.clone(),
                actual_start: now.actual_start.clone(),
                actual_finish: now.actual_finish.clone(),
                ..(*then).clone()
            }),
            (Some(then), None, true) => Some((*then).clone()),
            _ => None,
        }
    });
    for item in &mut out.items {
        item.owner = None;
        item.systems.clear();
        item.interfaces.clear();
    }
    out.groups = chosen(&old_flat.groups, &new_flat.groups, &reverted, Shape::Group, |then, _| then.clone());
    for group in &mut out.groups {
        group.owner = None;
    }
    out.milestones = chosen(&old_flat.milestones, &new_flat.milestones, &reverted, Shape::Milestone, |then, now| {
        MilestoneDoc { target: now.target.clone(), ..then.clone() }
    });
    out.risks = chosen(&old_flat.risks, &new_flat.risks, &reverted, Shape::Risk, |then, now| RiskDoc {
        likelihood: now.likelihood.clone(),
        impact: now.impact.clone(),
        status: now.status.clone(),
        schedule_impact: now.schedule_impact.clone(),
        ..then.clone()
    });
    for risk in &mut out.risks {
        risk.owner = None;
    }

    // Links to work both versions have follow the chosen version; a link
    // to work only one has is part of that work's change, so it is there
    // exactly when that work is.
    let present: HashSet<String> = out
        .items
        .iter()
        .map(|i| i.id.value.clone())
        .chain(out.groups.iter().map(|g| g.id.value.clone()))
        .chain(out.milestones.iter().map(|m| m.id.value.clone()))
        .collect();
    let (old_targets, new_targets) = (old_flat.targets(), new_flat.targets());
    let side = Sides { present: &present, old: &old_targets, new: &new_targets };
    for item in &mut out.items {
        let key = item.id.value.as_str();
        let chose_old = reverted.contains(&Shape::Item(key.to_owned())) || !new_flat.items.contains_key(key);
        let (then, now) = (old_flat.items.get(key).map(|i| &i.depends), new_flat.items.get(key).map(|i| &i.depends));
        item.depends = side.links(&item.depends, chose_old, then, now, |d| &d.item.value);
    }
    for group in &mut out.groups {
        let key = group.id.value.as_str();
        let chose_old = reverted.contains(&Shape::Group(key.to_owned())) || !new_flat.groups.by_key.contains_key(key);
        let then = old_flat.groups.by_key.get(key).map(|g| &g.depends);
        let now = new_flat.groups.by_key.get(key).map(|g| &g.depends);
        group.depends = side.links(&group.depends, chose_old, then, now, |d| &d.item.value);
    }
    for milestone in &mut out.milestones {
        let key = milestone.id.value.as_str();
        let chose_old =
            reverted.contains(&Shape::Milestone(key.to_owned())) || !new_flat.milestones.by_key.contains_key(key);
        let then = old_flat.milestones.by_key.get(key).map(|m| &m.requires);
        let now = new_flat.milestones.by_key.get(key).map(|m| &m.requires);
        milestone.requires = side.links(&milestone.requires, chose_old, then, now, |r| &r.value);
    }
    for risk in &mut out.risks {
        let key = risk.id.value.as_str();
        let chose_old = reverted.contains(&Shape::Risk(key.to_owned())) || !new_flat.risks.by_key.contains_key(key);
        let then = old_flat.risks.by_key.get(key).map(|r| &r.affects);
        let now = new_flat.risks.by_key.get(key).map(|r| &r.affects);
        risk.affects = side.links(&risk.affects, chose_old, then, now, |a| &a.value);
    }
    let groups: HashSet<&String> = out.groups.iter().map(|g| &g.id.value).collect();
    let absent_group = |g: &Option<crate::Located<String>>| g.as_ref().is_some_and(|g| !groups.contains(&g.value));
    let (items_absent, groups_absent): (Vec<bool>, Vec<bool>) = (
        out.items.iter().map(|i| absent_group(&i.group)).collect(),
        out.groups.iter().map(|g| absent_group(&g.parent)).collect(),
    );
    for (item, absent) in out.items.iter_mut().zip(items_absent) {
        if absent {
            item.group = None;
        }
    }
    for (group, absent) in out.groups.iter_mut().zip(groups_absent) {
        if absent {
            group.parent = None;
        }
    }
    out
}

/// The documents with each file's additions merged into the items they
/// add to, as the resolver merges them: an item's links are its own and
/// its additions' alike.
fn with_additions(docs: &[PlanDoc]) -> std::borrow::Cow<'_, [PlanDoc]> {
    let mut additions = crate::resolve::additions::Additions::new(docs);
    if additions.is_empty() {
        return std::borrow::Cow::Borrowed(docs);
    }
    let mut ignored = Vec::new();
    docs.iter()
        .map(|doc| {
            let items =
                doc.items.iter().map(|i| additions.merged(i, &mut ignored).unwrap_or_else(|| i.clone())).collect();
            PlanDoc { items, additions: Vec::new(), ..doc.clone() }
        })
        .collect::<Vec<_>>()
        .into()
}

/// Which keys the mix has, and which each version has.
struct Sides<'a> {
    present: &'a HashSet<String>,
    old: &'a HashSet<&'a str>,
    new: &'a HashSet<&'a str>,
}

impl Sides<'_> {
    /// The links of one document in the mix: `chosen`'s (its old version's
    /// when `chose_old`) to work both versions have, and each version's
    /// own to work only it has, where the mix has that work.
    fn links<L: Clone>(
        &self,
        chosen: &[L],
        chose_old: bool,
        then: Option<&Vec<L>>,
        now: Option<&Vec<L>>,
        target: impl Fn(&L) -> &String,
    ) -> Vec<L> {
        let only_old = |l: &L| self.old.contains(target(l).as_str()) && !self.new.contains(target(l).as_str());
        let only_new = |l: &L| self.new.contains(target(l).as_str()) && !self.old.contains(target(l).as_str());
        let here = |l: &L| self.present.contains(target(l));
        let mut out: Vec<L> = chosen
            .iter()
            .filter(|l| here(l) && (if chose_old { !only_new(l) } else { !only_old(l) }))
            .cloned()
            .collect();
        let other = if chose_old { now } else { then };
        let theirs = |l: &&L| here(l) && if chose_old { only_new(l) } else { only_old(l) };
        out.extend(other.into_iter().flatten().filter(theirs).cloned());
        out
    }
}

/// A plan's documents, by key.
struct Flat<'a> {
    teams: BTreeMap<&'a str, &'a TeamDoc>,
    items: BTreeMap<&'a str, &'a ItemDoc>,
    item_order: Vec<&'a str>,
    groups: Keyed<'a, GroupDoc>,
    milestones: Keyed<'a, MilestoneDoc>,
    risks: Keyed<'a, RiskDoc>,
    calendar: Option<&'a crate::doc::ProgramDoc>,
}

/// Documents of one kind by key, in the order they were written.
struct Keyed<'a, T> {
    by_key: BTreeMap<&'a str, &'a T>,
    order: Vec<&'a str>,
}

impl<'a, T> Keyed<'a, T> {
    fn new(docs: impl Iterator<Item = &'a T>, key: fn(&T) -> &str) -> Self {
        let mut by_key = BTreeMap::new();
        let mut order = Vec::new();
        for doc in docs {
            if by_key.insert(key(doc), doc).is_none() {
                order.push(key(doc));
            }
        }
        Keyed { by_key, order }
    }
}

impl<'a> Flat<'a> {
    /// Every key a link, requirement or risk can name.
    fn targets(&self) -> HashSet<&'a str> {
        let groups = self.groups.order.iter();
        self.item_order.iter().chain(groups).chain(&self.milestones.order).copied().collect()
    }

    fn new(docs: &'a [PlanDoc]) -> Self {
        let items = Keyed::new(docs.iter().flat_map(|d| &d.items), |i| &i.id.value);
        Flat {
            teams: docs.iter().flat_map(|d| &d.teams).map(|t| (t.id.value.as_str(), t)).collect(),
            items: items.by_key,
            item_order: items.order,
            groups: Keyed::new(docs.iter().flat_map(|d| &d.groups), |g| &g.id.value),
            milestones: Keyed::new(docs.iter().flat_map(|d| &d.milestones), |m| &m.id.value),
            risks: Keyed::new(docs.iter().flat_map(|d| &d.risks), |r| &r.id.value),
            calendar: docs.iter().find_map(|d| d.program.as_ref()),
        }
    }
}

/// Keys in `new`'s order, with those only `old` has placed after the key
/// they followed in `old`; each kept when `pick` gives a document.
fn merged<'k, T>(old: &[&'k str], new: &[&'k str], mut pick: impl FnMut(&'k str) -> Option<T>) -> Vec<T> {
    let in_new: HashSet<&str> = new.iter().copied().collect();
    let mut after: BTreeMap<Option<&str>, Vec<&str>> = BTreeMap::new();
    let mut last = None;
    for &key in old {
        if in_new.contains(key) {
            last = Some(key);
        } else {
            after.entry(last).or_default().push(key);
        }
    }
    let mut out = Vec::new();
    let mut place = |key: &'k str, out: &mut Vec<T>| out.extend(pick(key));
    for &key in after.get(&None).into_iter().flatten() {
        place(key, &mut out);
    }
    for &key in new {
        place(key, &mut out);
        for &key in after.get(&Some(key)).into_iter().flatten() {
            place(key, &mut out);
        }
    }
    out
}

/// The keys of both versions in one order: `new`'s, with those only `old`
/// has placed after the key they followed in `old` (where the work a mix
/// brings back goes in this week's order of work).
pub fn merged_keys<'k>(old: &[&'k str], new: &[&'k str]) -> Vec<&'k str> {
    merged(old, new, Some)
}

/// For each key of either version: `new`'s document, or with its shape
/// reverted `old`'s (through `revert_both` when both have it) or none.
fn chosen<T: Clone>(
    old: &Keyed<'_, T>,
    new: &Keyed<'_, T>,
    reverted: &HashSet<&Shape>,
    shape: fn(String) -> Shape,
    revert_both: impl Fn(&T, &T) -> T,
) -> Vec<T> {
    merged(&old.order, &new.order, |key| {
        let take_old = reverted.contains(&shape(key.to_owned()));
        match (old.by_key.get(key), new.by_key.get(key), take_old) {
            (_, Some(now), false) => Some((*now).clone()),
            (Some(then), Some(now), true) => Some(revert_both(then, now)),
            (Some(then), None, true) => Some((*then).clone()),
            _ => None,
        }
    })
}

fn compare<T>(
    old: &BTreeMap<&str, &T>,
    new: &BTreeMap<&str, &T>,
    shape_of: impl Fn(&T) -> String,
    shape: fn(String) -> Shape,
    out: &mut Vec<(Shape, ShapeChange)>,
) {
    for (key, now) in new {
        match old.get(key) {
            None => out.push((shape((*key).to_owned()), ShapeChange::Added)),
            Some(then) if shape_of(then) != shape_of(now) => {
                out.push((shape((*key).to_owned()), ShapeChange::Changed));
            }
            Some(_) => {}
        }
    }
    for key in old.keys().filter(|k| !new.contains_key(*k)) {
        out.push((shape((*key).to_owned()), ShapeChange::Removed));
    }
}

// Shapes are compared as text of their values alone, not where they were
// written: moving an item to another file changes nothing.

fn dependencies(depends: &[crate::doc::DependencyDoc], both: &HashSet<&str>) -> Vec<String> {
    let mut out: Vec<String> = depends
        .iter()
        .filter(|d| both.contains(d.item.value.as_str()))
        .map(|d| {
            format!(
                "{} {:?} {:?} {:?}",
                d.item.value,
                d.kind.as_ref().map(|k| k.value),
                d.lag.as_ref().map(|l| l.value),
                d.lag_unit.as_ref().map(|u| u.value)
            )
        })
        .collect();
    out.sort();
    out
}

fn item_shape(item: &ItemDoc, both: &HashSet<&str>) -> String {
    let value = |d: &Option<crate::Located<chrono::NaiveDate>>| d.as_ref().map(|d| d.value);
    format!(
        "{} {:?} {:?} {:?} {:?} {:?} {:?}",
        item.team.value,
        item.people.as_ref().map(|p| p.value),
        value(&item.not_before),
        value(&item.start_on),
        value(&item.deadline),
        item.group.as_ref().map(|g| &g.value),
        dependencies(&item.depends, both)
    )
}

fn group_shape(group: &GroupDoc, both: &HashSet<&str>) -> String {
    format!(
        "{:?} {:?} {:?}",
        group.parent.as_ref().map(|p| &p.value),
        group.deadline.as_ref().map(|d| d.value),
        dependencies(&group.depends, both)
    )
}

fn milestone_shape(milestone: &MilestoneDoc, both: &HashSet<&str>) -> String {
    let mut requires: Vec<&str> =
        milestone.requires.iter().map(|r| r.value.as_str()).filter(|r| both.contains(r)).collect();
    requires.sort();
    requires.join(" ")
}

fn risk_shape(risk: &RiskDoc, both: &HashSet<&str>) -> String {
    let mut affects: Vec<&str> = risk.affects.iter().map(|a| a.value.as_str()).filter(|a| both.contains(a)).collect();
    affects.sort();
    affects.join(" ")
}

fn calendar_shape(plan: &Flat<'_>) -> String {
    let holidays = |h: &[crate::doc::HolidayDoc]| {
        h.iter().map(|h| format!("{} {:?}", h.date.value, h.until.as_ref().map(|u| u.value))).collect::<Vec<_>>()
    };
    let calendar = plan.calendar.map(|p| {
        let days = p.calendar.as_ref().map(|c| {
            (c.working_days.as_ref().map(|d| d.iter().map(|d| d.value).collect::<Vec<_>>()), holidays(&c.holidays))
        });
        (p.start.value, days)
    });
    let teams: Vec<_> = plan.teams.iter().map(|(key, t)| (key, holidays(&t.holidays))).collect();
    format!("{calendar:?} {teams:?}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Origin;
    use crate::doc::{DependencyDoc, ProgramDoc};
    use crate::origin::Located;

    fn at<T>(value: T) -> Located<T> {
        Located::new(value, Origin::Unknown)
    }

    fn item(id: &str, depends: &[&str]) -> ItemDoc {
        let mut item = ItemDoc::new(id, format!("{id} title"), "t", Origin::Unknown);
        item.estimate = Some(at(crate::doc::EstimateDoc::exact(5.0)));
        item.depends = depends.iter().map(|d| DependencyDoc::on(at((*d).to_owned()))).collect();
        item
    }

    fn plan(items: Vec<ItemDoc>) -> Vec<PlanDoc> {
        let team = TeamDoc {
            id: at("t".to_owned()),
            name: None,
            lead: None,
            capacity: Some(at(2)),
            capacity_changes: Vec::new(),
            holidays: Vec::new(),
        };
        let program = ProgramDoc {
            name: at("p".to_owned()),
            goal: None,
            start: at(chrono::NaiveDate::from_ymd_opt(2026, 1, 5).expect("a date")),
            status_date: None,
            calendar: None,
        };
        let milestone = MilestoneDoc {
            id: at("M".to_owned()),
            title: at("M".to_owned()),
            requires: items.iter().map(|i| i.id.clone()).collect(),
            target: None,
        };
        vec![PlanDoc {
            program: Some(program),
            teams: vec![team],
            items,
            milestones: vec![milestone],
            ..Default::default()
        }]
    }

    fn keys(doc: &PlanDoc) -> Vec<(String, Vec<String>)> {
        doc.items
            .iter()
            .map(|i| (i.id.value.clone(), i.depends.iter().map(|d| d.item.value.clone()).collect()))
            .collect()
    }

    #[test]
    fn changes_are_found_by_value_not_by_where_they_were_written() {
        let old = plan(vec![item("A", &[]), item("B", &["A"]), item("C", &["B"])]);
        let mut moved = old.clone();
        moved[0].items[1].id.origin = Origin::Span(crate::Span::new(crate::SourceId::default(), 3, 4));
        moved[0].items[1].estimate = Some(at(crate::doc::EstimateDoc::exact(9.0)));
        assert_eq!(shape_changes(&old, &moved), vec![]);

        let new = plan(vec![item("A", &[]), item("C", &["A"]), item("D", &["C"])]);
        assert_eq!(
            shape_changes(&old, &new),
            vec![
                (Shape::Item("B".into()), ShapeChange::Removed),
                (Shape::Item("C".into()), ShapeChange::Changed),
                (Shape::Item("D".into()), ShapeChange::Added),
            ]
        );
        // M requires the work it did less B plus D: nothing of its own.
        let mut required = new.clone();
        required[0].milestones[0].requires.pop();
        assert!(shape_changes(&new, &required).contains(&(Shape::Milestone("M".into()), ShapeChange::Changed)));
    }

    #[test]
    fn a_link_another_file_adds_is_the_items_own() {
        // The TPM's file adds B → A to an imported B: B's links changed,
        // and the mix of every change keeps the added link.
        let old = plan(vec![item("A", &[]), item("B", &[])]);
        let mut new = old.clone();
        new.push(PlanDoc {
            additions: vec![crate::doc::AdditionDoc {
                item: at("B".to_owned()),
                owner: None,
                estimate: None,
                people: None,
                not_before: None,
                start_on: None,
                deadline: None,
                depends: vec![DependencyDoc::on(at("A".to_owned()))],
                systems: Vec::new(),
                interfaces: Vec::new(),
                tags: Vec::new(),
            }],
            ..Default::default()
        });
        assert_eq!(shape_changes(&old, &new), vec![(Shape::Item("B".into()), ShapeChange::Changed)]);
        assert_eq!(keys(&mix_shapes(&old, &new, &[])), vec![("A".into(), vec![]), ("B".into(), vec!["A".into()])]);
        let undone = mix_shapes(&old, &new, &[Shape::Item("B".into())]);
        assert_eq!(keys(&undone), vec![("A".into(), vec![]), ("B".into(), vec![])]);
    }

    #[test]
    fn a_mix_reverts_exactly_the_parts_named_and_drops_links_to_missing_work() {
        let old = plan(vec![item("A", &[]), item("B", &["A"]), item("C", &["B"])]);
        let new = plan(vec![item("A", &[]), item("C", &["A"]), item("D", &["C"])]);
        let all: Vec<Shape> = shape_changes(&old, &new).into_iter().map(|c| c.0).collect();
        assert_eq!(keys(&mix_shapes(&old, &new, &[])), keys(&new[0]));
        assert_eq!(keys(&mix_shapes(&old, &new, &all)), keys(&old[0]));
        // B back where it was, with what waited on it: C waits on A as it
        // does now, and on B as it did; D is gone.
        let mix = mix_shapes(&old, &new, &[Shape::Item("B".into()), Shape::Item("D".into())]);
        assert_eq!(
            keys(&mix),
            vec![("A".into(), vec![]), ("B".into(), vec!["A".into()]), ("C".into(), vec!["A".into(), "B".into()])]
        );
        // D stays, still waiting on C, but C is as it was, waiting on B,
        // which is not there.
        let mix = mix_shapes(&old, &new, &[Shape::Item("C".into())]);
        assert_eq!(keys(&mix), vec![("A".into(), vec![]), ("C".into(), vec![]), ("D".into(), vec!["C".into()])]);
        // The milestone requires B again with B back, and D only with D.
        let mix = mix_shapes(&old, &new, &[Shape::Item("B".into())]);
        let requires: Vec<&str> = mix.milestones[0].requires.iter().map(|r| r.value.as_str()).collect();
        assert_eq!(requires, ["A", "C", "D", "B"]);
        let mix = mix_shapes(&old, &new, &[Shape::Item("D".into())]);
        let requires: Vec<&str> = mix.milestones[0].requires.iter().map(|r| r.value.as_str()).collect();
        assert_eq!(requires, ["A", "C"]);
        let resolved = crate::resolve(&[mix], Origin::Unknown);
        assert!(resolved.program.is_some(), "{:?}", resolved.diagnostics);
    }
}
