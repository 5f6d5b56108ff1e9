//! Groups of work: their nesting and members, and the dependencies they
//! stand for written out as item links. A dependency on a group is on each
//! of its items; a dependency of a group holds each of its items. Writing
//! them out keeps every engine exact without knowing about groups.

use super::Resolver;
use crate::diagnostic::{Code, Diagnostic};
use crate::doc::{DependencyDoc, GroupDoc};
use crate::origin::Origin;
use crate::*;

/// The most links dependencies on and of groups may add: each adds one per
/// item of the group, so a few on large groups are cheap and thousands
/// would swamp the schedule.
pub const MAX_GROUP_LINKS: usize = 2_000_000;

/// How deep groups may nest.
pub const MAX_GROUP_DEPTH: usize = 64;

impl Resolver {
    /// What a dependency may name: an item, or a group too when the plan has any.
    pub(crate) fn dependency_kind(&self) -> &'static str {
        if self.group_ids.ids.is_empty() { "item" } else { "item or group" }
    }

    /// Adds a group (resolved when the resolver finishes).
    pub fn group(&mut self, doc: &GroupDoc) {
        if self.group_ids.register(&doc.id, self.groups.len(), GroupId::new, &mut self.diagnostics) {
            self.groups.push(doc.clone());
        }
    }

    /// The groups with their parents, owners, deadlines and members.
    pub(crate) fn resolve_groups(&mut self) -> Vec<Group> {
        let docs = self.groups.clone();
        let mut groups: Vec<Group> = docs
            .iter()
            .map(|doc| {
                let field = |f: &str| format!("groups[{}].{f}", doc.id.value);
                self.check_not_an_item_id("group", &doc.id, "dependencies", field("id"));
                let deadline =
                    doc.deadline.as_ref().and_then(|d| self.plausible(d, "the deadline", &field("deadline")));
                Group {
                    key: doc.id.value.clone(),
                    title: doc.title.value.clone(),
                    kind: doc.kind.as_ref().map_or(GroupKind::Group, |k| k.value),
                    parent: doc
                        .parent
                        .as_ref()
                        .and_then(|p| self.group_ids.resolve(p, &mut self.diagnostics, &field("parent"))),
                    owner: self.who_opt(&doc.owner, &field("owner")),
                    deadline,
                    members: Vec::new(),
                }
            })
            .collect();
        // A group inside itself, or nested past the limit, has no members
        // worth counting; it is reported once.
        let mut depth_ok = vec![true; groups.len()];
        for (g, doc) in docs.iter().enumerate() {
            let mut at = groups[g].parent;
            let mut depth = 0;
            while let Some(parent) = at {
                depth += 1;
                if parent.index() == g || depth > MAX_GROUP_DEPTH {
                    let message = if parent.index() == g {
                        format!("group `{}` sits inside itself", doc.id.value)
                    } else {
                        format!("group `{}` nests more than {MAX_GROUP_DEPTH} groups deep", doc.id.value)
                    };
                    let origin = doc.parent.as_ref().map_or(doc.id.origin, |p| p.origin);
                    self.diagnostics.push(
                        Diagnostic::error(Code::DependencyCycle, origin, message)
                            .with_label("its `parent` leads back to it")
                            .with_help("a group's parent must be a group outside it")
                            .with_field(format!("groups[{}].parent", doc.id.value)),
                    );
                    depth_ok[g] = false;
                    break;
                }
                at = groups[parent.index()].parent;
            }
        }
        for (i, item) in self.items.iter().enumerate() {
            let mut at = item.group.filter(|g| g.index() < groups.len());
            while let Some(g) = at {
                if !depth_ok[g.index()] {
                    break;
                }
                groups[g.index()].members.push(ItemId::new(i));
                at = groups[g.index()].parent;
            }
        }
        groups
    }

    /// Writes out each group's own dependencies: every item of the group
    /// waits on what the group waits on.
    pub(crate) fn expand_group_dependencies(&mut self, groups: &[Group]) {
        let docs = std::mem::take(&mut self.groups);
        for (g, doc) in docs.iter().enumerate() {
            let field = format!("groups[{}].depends", doc.id.value);
            for dependency in &doc.depends {
                let Some((kind, lag, lag_unit)) = self.link_of(dependency, &field) else { continue };
                let predecessors = match self.item_ids.get(&dependency.item.value) {
                    Some(item) => vec![ItemId::new(item as usize)],
                    None => match self.group_ids.get(&dependency.item.value) {
                        Some(on) if kind == LinkKind::StartToStart => {
                            self.start_to_start_on_group(dependency, &groups[on.index()], &field);
                            continue;
                        }
                        Some(on) => groups[on.index()].members.clone(),
                        None => {
                            let known = self.item_ids.keys().chain(self.group_ids.ids.keys().map(String::as_str));
                            let diagnostic = super::checks::unknown_reference(
                                self.dependency_kind(),
                                "items",
                                &dependency.item.value,
                                dependency.item.origin,
                                known,
                                self.diagnostics.len(),
                            );
                            self.diagnostics.push(diagnostic.with_field(field.clone()));
                            continue;
                        }
                    },
                };
                for &member in &groups[g].members {
                    for &on in &predecessors {
                        if !self.add_group_link(member, Dependency { on, kind, lag, lag_unit }, dependency.item.origin)
                        {
                            return;
                        }
                    }
                }
            }
        }
    }

    /// The kind, lag and unit of a dependency of or on a group, checked as
    /// an item's are.
    fn link_of(&mut self, doc: &DependencyDoc, field: &str) -> Option<(LinkKind, f64, LagUnit)> {
        let kind = doc.kind.as_ref().map_or(LinkKind::FinishToStart, |k| k.value);
        let lag = match &doc.lag {
            Some(l) => match super::checks::check_days(l.value, l.origin, "a lag") {
                Some(d) => {
                    self.diagnostics.push(d.with_field(field));
                    return None;
                }
                None => l.value,
            },
            None => 0.0,
        };
        let lag_unit = doc.lag_unit.as_ref().map_or(LagUnit::WorkingDays, |u| u.value);
        if lag_unit == LagUnit::CalendarDays && kind != LinkKind::FinishToStart {
            let origin = doc.lag_unit.as_ref().map_or(doc.item.origin, |u| u.origin);
            self.diagnostics.push(
                Diagnostic::error(
                    Code::UnsupportedLink,
                    origin,
                    format!("a {} link cannot wait in calendar days", kind.as_str().replace('_', "-")),
                )
                .with_label("only finish-to-start links do")
                .with_help("make it finish-to-start, or give the lag in working days")
                .with_field(field),
            );
            return None;
        }
        Some((kind, lag, lag_unit))
    }

    pub(crate) fn start_to_start_on_group(&mut self, doc: &DependencyDoc, group: &Group, field: &str) {
        let origin = doc.kind.as_ref().map_or(doc.item.origin, |k| k.origin);
        self.diagnostics.push(
            Diagnostic::error(
                Code::UnsupportedLink,
                origin,
                format!("a start-to-start link cannot wait on group `{}`", group.key),
            )
            .with_label("a group starts with its first item, which a plan does not fix")
            .with_help("link to the item of the group that must start first")
            .with_field(field),
        );
    }

    /// Adds a link written out from a group; `false` once the links added
    /// pass [`MAX_GROUP_LINKS`] (reported once).
    pub(crate) fn add_group_link(&mut self, item: ItemId, link: Dependency, origin: Origin) -> bool {
        if self.pending.group_links >= MAX_GROUP_LINKS {
            if !self.pending.group_links_reported {
                self.pending.group_links_reported = true;
                self.diagnostics.push(
                    Diagnostic::error(
                        Code::OutOfRange,
                        origin,
                        format!(
                            "dependencies on and of groups add more than {} item links",
                            diagnostic::grouped(MAX_GROUP_LINKS as u64)
                        ),
                    )
                    .with_label("the limit is passed here")
                    .with_help(
                        "each adds one link per item of the group; depend on the items that finish last instead",
                    ),
                );
            }
            return false;
        }
        self.pending.group_links += 1;
        let depends = &mut self.items[item.index()].depends;
        self.pending.expanded_origins.insert((item.index() as u32, depends.len() as u32), origin);
        depends.push(link);
        true
    }
}
