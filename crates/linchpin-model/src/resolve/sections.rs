//! Every section but items, resolved once every id is known.

use std::collections::HashMap;

use super::checks::{check_estimate, unknown_reference};
use super::{Resolver, after_status_date, estimate, out_of_order};
use crate::diagnostic::{Code, Diagnostic};
use crate::doc::*;
use crate::origin::{Located, Origin};
use crate::*;

impl Resolver {
    fn item_id(&mut self, key: &Located<String>, field: &str) -> Option<ItemId> {
        match self.item_ids.get(&key.value) {
            Some(id) => Some(ItemId::new(id as usize)),
            None => {
                let diagnostic = unknown_reference(
                    "item",
                    "items",
                    &key.value,
                    key.origin,
                    self.item_ids.keys(),
                    self.diagnostics.len(),
                );
                self.diagnostics.push(diagnostic.with_field(field));
                None
            }
        }
    }

    fn item_ids_of(&mut self, keys: &[Located<String>], field: &str) -> Vec<ItemId> {
        keys.iter().filter_map(|k| self.item_id(k, field)).collect()
    }

    /// The items `keys` name, a group standing for all its items.
    fn items_or_groups(&mut self, keys: &[Located<String>], groups: &[Group], field: &str) -> Vec<ItemId> {
        let mut items = Vec::new();
        for key in keys {
            if let Some(id) = self.item_ids.get(&key.value) {
                items.push(ItemId::new(id as usize));
            } else if let Some(group) = self.group_ids.get(&key.value) {
                items.extend(&groups[group.index()].members);
            } else {
                let known = self.item_ids.keys().chain(self.group_ids.ids.keys().map(String::as_str));
                let diagnostic = unknown_reference(
                    self.dependency_kind(),
                    "items",
                    &key.value,
                    key.origin,
                    known,
                    self.diagnostics.len(),
                );
                self.diagnostics.push(diagnostic.with_field(field));
            }
        }
        items.sort_unstable();
        items.dedup();
        items
    }

    pub(crate) fn resolve_milestones(&mut self, groups: &[Group]) -> Vec<Milestone> {
        let docs = std::mem::take(&mut self.milestones);
        let start = self.header.start;
        docs.iter()
            .map(|doc| {
                let field = |f: &str| format!("milestones[{}].{f}", doc.id.value);
                self.check_not_an_item_id("milestone", &doc.id, "risks", field("id"));
                let target = self.plausible_opt(&doc.target, "the target", &field("target"));
                if let (Some(t), Some(written)) = (target, &doc.target)
                    && t < start
                {
                    self.diagnostics.push(
                        out_of_order(written.origin, "the target", t, "the program start", start)
                            .with_field(field("target")),
                    );
                }
                Milestone {
                    key: doc.id.value.clone(),
                    title: doc.title.value.clone(),
                    requires: self.items_or_groups(&doc.requires, groups, &field("requires")),
                    target,
                }
            })
            .collect()
    }

    pub(crate) fn resolve_systems(&mut self) -> Vec<System> {
        let docs = std::mem::take(&mut self.systems);
        docs.iter()
            .map(|doc| {
                let field = |f: &str| format!("systems[{}].{f}", doc.id.value);
                System {
                    key: doc.id.value.clone(),
                    name: doc.name.clone().unwrap_or_else(|| doc.id.value.clone()),
                    kind: doc.kind.as_ref().map_or(SystemKind::Service, |k| k.value),
                    owner: doc
                        .owner
                        .as_ref()
                        .and_then(|o| self.team_ids.resolve(o, &mut self.diagnostics, &field("owner"))),
                    depends_on: self.system_ids.resolve_all(
                        &doc.depends_on,
                        &mut self.diagnostics,
                        &field("depends_on"),
                    ),
                }
            })
            .collect()
    }

    pub(crate) fn resolve_interfaces(&mut self, systems: &[System]) -> Vec<Interface> {
        let docs = std::mem::take(&mut self.interfaces);
        docs.iter()
            .map(|doc| {
                let field = |f: &str| format!("interfaces[{}].{f}", doc.id.value);
                let provider = &doc.provider.value;
                let provider_system = provider
                    .system
                    .as_ref()
                    .and_then(|s| self.system_ids.resolve(s, &mut self.diagnostics, &field("provider.system")));
                let provider_team = match &provider.team {
                    Some(t) => self.team_ids.resolve(t, &mut self.diagnostics, &field("provider.team")),
                    None => {
                        let owner = provider_system.and_then(|s| systems[s.index()].owner);
                        if owner.is_none() && (provider.system.is_none() || provider_system.is_some()) {
                            self.diagnostics.push(
                                Diagnostic::error(
                                    Code::MissingField,
                                    doc.provider.origin,
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
                let status = doc.status.as_ref().map_or(ContractStatus::Draft, |s| s.value);
                if let (Some(agreed), false) = (&doc.agreed, status.is_agreed()) {
                    self.diagnostics.push(
                        Diagnostic::warning(
                            Code::AgreedDateOnDraft,
                            agreed.origin,
                            format!("interface `{}` has an agreed date but is {}", doc.id.value, status.as_str()),
                        )
                        .with_label("agreed, yet still not agreed?")
                        .with_help("set `status: agreed`, or remove `agreed`")
                        .with_field(field("agreed")),
                    );
                }
                let agreed = self.plausible_opt(&doc.agreed, "the agreed date", &field("agreed"));
                let expected = self.plausible_opt(&doc.expected, "the expected date", &field("expected"));
                let defined_by = doc.defined_by.as_ref().and_then(|i| self.item_id(i, &field("defined_by")));
                Interface {
                    key: doc.id.value.clone(),
                    name: doc.name.clone().unwrap_or_else(|| doc.id.value.clone()),
                    provider_system,
                    provider_team: provider_team.unwrap_or(TeamId::new(0)),
                    consumers: self.team_ids.resolve_all(&doc.consumers, &mut self.diagnostics, &field("consumers")),
                    status,
                    agreed,
                    expected,
                    defined_by,
                }
            })
            .collect()
    }

    pub(crate) fn resolve_risks(&mut self) -> Vec<Risk> {
        let docs = std::mem::take(&mut self.risks);
        docs.iter().map(|doc| self.resolve_risk(doc)).collect()
    }

    fn resolve_risk(&mut self, doc: &RiskDoc) -> Risk {
        let field = |f: &str| format!("risks[{}].{f}", doc.id.value);
        let mut score = |v: &Located<i64>, name: &str| -> u8 {
            if (1..=5).contains(&v.value) {
                v.value as u8
            } else {
                self.diagnostics.push(
                    Diagnostic::error(
                        Code::OutOfRange,
                        v.origin,
                        format!("{name} must be from 1 to 5, found {}", v.value),
                    )
                    .with_label("outside 1–5")
                    .with_help("1 is the lowest, 5 the highest")
                    .with_field(field(name)),
                );
                v.value.clamp(1, 5) as u8
            }
        };
        let likelihood = score(&doc.likelihood, "likelihood");
        let impact = score(&doc.impact, "impact");
        let mut affects_items = Vec::new();
        let mut affects_milestones = Vec::new();
        for key in &doc.affects {
            if let Some(id) = self.item_ids.get(&key.value) {
                affects_items.push(ItemId::new(id as usize));
            } else if let Some(id) = self.milestone_ids.get(&key.value) {
                affects_milestones.push(id);
            } else {
                let known = self.item_ids.keys().chain(self.milestone_ids.ids.keys().map(String::as_str));
                self.diagnostics.push(
                    unknown_reference(
                        "item or milestone",
                        "items",
                        &key.value,
                        key.origin,
                        known,
                        self.diagnostics.len(),
                    )
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
                self.diagnostics.push(
                    Diagnostic::error(
                        Code::OutOfRange,
                        p.origin,
                        format!("probability must be from 0 to 1, found {}", p.value),
                    )
                    .with_label("outside 0–1")
                    .with_help(help)
                    .with_field(field("schedule_impact.probability")),
                );
                return None;
            }
            if let Some(d) = check_estimate(&si.delay.value, si.delay.origin, "delay") {
                self.diagnostics.push(d.with_field(field("schedule_impact.delay")));
                return None;
            }
            Some(ScheduleImpact { probability: p.value, delay: estimate(&si.delay.value) })
        });
        if schedule_impact.is_some() && affects_items.is_empty() && affects_milestones.is_empty() {
            self.diagnostics.push(
                Diagnostic::warning(
                    Code::ImpactAffectsNothing,
                    doc.id.origin,
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
            owner: self.who_opt(&doc.owner, &field("owner")),
            mitigation: doc.mitigation.clone(),
            trigger: doc.trigger.clone(),
            status: doc.status.as_ref().map_or(RiskStatus::Open, |s| s.value),
            affects_items,
            affects_milestones,
            schedule_impact,
        }
    }

    pub(crate) fn resolve_decisions(&mut self) -> Vec<Decision> {
        let docs = std::mem::take(&mut self.decisions);
        docs.iter().map(|doc| self.resolve_decision(doc)).collect()
    }

    fn resolve_decision(&mut self, doc: &DecisionDoc) -> Decision {
        let key = &doc.id.value;
        let field = |f: &str| format!("decisions[{key}].{f}");
        let criteria: Vec<Criterion> = doc
            .criteria
            .iter()
            .map(|c| {
                let weight = c.weight.as_ref().map_or(1.0, |w| w.value);
                if weight < 0.0 {
                    let origin = c.weight.as_ref().map_or(c.name.origin, |w| w.origin);
                    self.diagnostics.push(
                        Diagnostic::error(Code::OutOfRange, origin, "a criterion weight cannot be negative")
                            .with_label("negative weight")
                            .with_help("use 0 to ignore a criterion")
                            .with_field(field("criteria")),
                    );
                }
                Criterion { name: c.name.value.clone(), weight: weight.max(0.0) }
            })
            .collect();
        let criterion_names: Vec<&str> = criteria.iter().map(|c| c.name.as_str()).collect();
        let mut option_keys: HashMap<&str, Origin> = HashMap::new();
        let mut options = Vec::with_capacity(doc.options.len());
        for o in &doc.options {
            if let Some(first) = option_keys.insert(&o.id.value, o.id.origin) {
                self.diagnostics.push(
                    Diagnostic::error(Code::DuplicateId, o.id.origin, format!("duplicate option id `{}`", o.id.value))
                        .with_label("defined again here")
                        .with_related(first, "first defined here")
                        .with_field(field("options")),
                );
            }
            let mut scores = Vec::with_capacity(o.scores.len());
            for (name, score) in &o.scores {
                match criterion_names.iter().position(|c| *c == name.value) {
                    Some(i) => scores.push((i, score.value)),
                    None => self.diagnostics.push(
                        unknown_reference(
                            "criterion",
                            "criteria",
                            &name.value,
                            name.origin,
                            criterion_names.iter().copied(),
                            self.diagnostics.len(),
                        )
                        .with_field(field("options.scores")),
                    ),
                }
            }
            // In the criteria's order, not as written: scores are a mapping,
            // and a stored entity (JSON) keeps no order of its keys.
            scores.sort_by_key(|&(criterion, _)| criterion);
            options.push(DecisionOption {
                key: o.id.value.clone(),
                description: o.description.clone(),
                pros: o.pros.clone(),
                cons: o.cons.clone(),
                scores,
            });
        }
        let status = doc.status.as_ref().map_or(DecisionStatus::Open, |s| s.value);
        let chosen =
            doc.chosen.as_ref().and_then(|c| match options.iter().position(|o: &DecisionOption| o.key == c.value) {
                Some(i) => Some(i),
                None => {
                    self.diagnostics.push(
                        unknown_reference(
                            "option",
                            "options",
                            &c.value,
                            c.origin,
                            options.iter().map(|o| o.key.as_str()),
                            self.diagnostics.len(),
                        )
                        .with_field(field("chosen")),
                    );
                    None
                }
            });
        if status == DecisionStatus::Decided && doc.chosen.is_none() {
            let origin = doc.status.as_ref().map_or(doc.id.origin, |s| s.origin);
            self.diagnostics.push(
                Diagnostic::warning(
                    Code::DecidedWithoutChoice,
                    origin,
                    format!("decision `{key}` is decided but names no `chosen` option"),
                )
                .with_label("decided on what?")
                .with_help("add `chosen: <option id>`")
                .with_field(field("chosen")),
            );
        }
        let date = self.plausible_opt(&doc.date, "the decision date", &field("date"));
        let due = self.plausible_opt(&doc.due, "the due date", &field("due"));
        Decision {
            key: key.clone(),
            question: doc.question.value.clone(),
            criteria,
            options,
            driver: self.who_opt(&doc.driver, &field("driver")),
            approver: self.who_opt(&doc.approver, &field("approver")),
            contributors: doc.contributors.iter().map(|c| self.who(c, &field("contributors"))).collect(),
            status,
            chosen,
            rationale: doc.rationale.clone(),
            date,
            due,
            blocks: self.item_ids_of(&doc.blocks, &field("blocks")),
        }
    }

    pub(crate) fn resolve_blockers(&mut self) -> Vec<Blocker> {
        let docs = std::mem::take(&mut self.blockers);
        let status_date = self.header.status_date;
        let mut blockers = Vec::with_capacity(docs.len());
        for doc in &docs {
            let item = self.item_id(&doc.item, "blockers.item");
            let raised = self.plausible(&doc.raised, "the blocker's `raised` date", "blockers.raised");
            let resolved = self.plausible_opt(&doc.resolved, "the blocker's `resolved` date", "blockers.resolved");
            if let Some(sd) = status_date
                && doc.raised.value > sd
                && raised.is_some()
            {
                self.diagnostics.push(
                    after_status_date(doc.raised.origin, "the blocker's `raised` date", doc.raised.value, sd)
                        .with_field("blockers.raised"),
                );
            }
            if let Some(r) = &doc.resolved
                && resolved.is_some()
                && r.value < doc.raised.value
            {
                self.diagnostics.push(
                    out_of_order(r.origin, "`resolved`", r.value, "`raised`", doc.raised.value)
                        .with_field("blockers.resolved"),
                );
            }
            let (Some(item), Some(raised)) = (item, raised) else { continue };
            blockers.push(Blocker {
                item,
                description: doc.description.value.clone(),
                raised,
                owner: self.who_opt(&doc.owner, "blockers.owner"),
                escalated_to: self.who_opt(&doc.escalated_to, "blockers.escalated_to"),
                resolved,
            });
        }
        blockers
    }

    pub(crate) fn resolve_updates(&mut self) -> Vec<StatusUpdate> {
        let docs = std::mem::take(&mut self.updates);
        let mut updates = Vec::with_capacity(docs.len());
        for doc in &docs {
            let subject = match (&doc.team, &doc.item) {
                (Some(team), None) => {
                    self.team_ids.resolve(team, &mut self.diagnostics, "updates.team").map(Subject::Team)
                }
                (None, Some(item)) => self.item_id(item, "updates.item").map(Subject::Item),
                (None, None) => Some(Subject::Program),
                (Some(_), Some(item)) => {
                    self.diagnostics.push(
                        Diagnostic::error(
                            Code::AmbiguousUpdate,
                            item.origin,
                            "a status update names both a team and an item",
                        )
                        .with_label("one subject per update")
                        .with_help("split it into two updates, or keep only `item`")
                        .with_field("updates.item"),
                    );
                    None
                }
            };
            let date = self.plausible(&doc.date, "the update's date", "updates.date");
            let (Some(subject), Some(date)) = (subject, date) else { continue };
            updates.push(StatusUpdate {
                date,
                subject,
                health: doc.health.value,
                note: doc.note.clone(),
                author: self.who_opt(&doc.author, "updates.author"),
            });
        }
        updates
    }

    pub(crate) fn resolve_stakeholders(&mut self) -> Vec<Stakeholder> {
        std::mem::take(&mut self.stakeholders)
            .into_iter()
            .map(|doc| Stakeholder {
                name: doc.name.value,
                role: doc.role,
                audience: doc.audience.map_or(Audience::Engineering, |a| a.value),
            })
            .collect()
    }
}
