//! The plan's `findings` settings (thresholds and accepted findings) and its
//! `baseline`, resolved against the program's ids.

use std::collections::HashMap;

use super::Resolver;
use super::checks::unknown_reference;
use crate::diagnostic::{Code, Diagnostic, did_you_mean};
use crate::doc::{AcceptedDoc, ThresholdsDoc};
use crate::origin::{Located, Origin};
use crate::{AcceptedFinding, FindingKind, FindingSubject, ItemId, Planned, QualityCheck, SubjectKind, Thresholds};

impl Resolver {
    /// Thresholds with every document's overrides applied; a threshold set
    /// twice is reported.
    pub(crate) fn resolve_thresholds(&mut self) -> Thresholds {
        let mut thresholds = Thresholds::default();
        let mut seen: HashMap<&'static str, Origin> = HashMap::new();
        let docs: Vec<ThresholdsDoc> = self.findings.iter().filter_map(|f| f.thresholds.clone()).collect();
        for doc in &docs {
            apply(doc, &mut thresholds, &mut seen, &mut self.diagnostics);
        }
        thresholds
    }

    /// The accepted findings, each id checked: a known kind, and a subject
    /// that names something the plan defines.
    pub(crate) fn resolve_accepted(&mut self) -> Vec<AcceptedFinding> {
        let docs: Vec<AcceptedDoc> = self.findings.iter().flat_map(|f| f.accepted.iter().cloned()).collect();
        let mut seen: HashMap<(FindingKind, FindingSubject), Origin> = HashMap::new();
        let mut out = Vec::new();
        for doc in &docs {
            let Some((kind, subject, key)) = self.finding_id(&doc.finding) else { continue };
            let until = self.plausible_opt(&doc.until, "the acceptance's `until`", "findings.accepted.until");
            let accepted = AcceptedFinding {
                kind,
                subject,
                reason: doc.reason.value.clone(),
                owner: self.who(&doc.owner, "findings.accepted.owner"),
                until,
            };
            // Typed, so the short and the qualified form of one id are one finding.
            if let Some(first) = seen.insert((kind, subject), doc.finding.origin) {
                let id = kind.id(subject.kind(), key, |other, key| self.subject(other, key).is_some());
                self.diagnostics.push(
                    Diagnostic::error(
                        Code::DuplicateId,
                        doc.finding.origin,
                        format!("finding `{id}` is accepted twice"),
                    )
                    .with_label("accepted again here")
                    .with_related(first, "first accepted here")
                    .with_help("keep one entry per finding")
                    .with_field("findings.accepted.finding"),
                );
                continue;
            }
            out.push(accepted);
        }
        out
    }

    /// A finding id resolved to its kind and subject: `kind:key`, or
    /// `kind:entity:key` (needed when a key names two things the kind can be
    /// about, such as a team and a system both called `ledger`); with the key.
    fn finding_id<'d>(&mut self, finding: &'d Located<String>) -> Option<(FindingKind, FindingSubject, &'d str)> {
        let field = "findings.accepted.finding";
        let text = finding.value.as_str();
        let origin = finding.origin;
        let Some((kind_text, rest)) = text.split_once(':') else {
            self.diagnostics.push(
                Diagnostic::error(Code::BadFindingId, origin, format!("`{text}` is not a finding id"))
                    .with_label("expected `kind:subject`")
                    .with_help("copy the id `linchpin findings` prints, e.g. `built_before_contract:ledger-v2-api`")
                    .with_field(field),
            );
            return None;
        };
        let Some(kind) = FindingKind::ALL.into_iter().find(|k| k.as_str() == kind_text) else {
            let names = FindingKind::ALL.map(FindingKind::as_str);
            let help = match did_you_mean(kind_text, names) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("kinds: {}", names.join(", ")),
            };
            self.diagnostics.push(
                Diagnostic::error(Code::UnknownReference, origin, format!("unknown finding kind `{kind_text}`"))
                    .with_label("no such kind of finding")
                    .with_help(help)
                    .with_field(field),
            );
            return None;
        };
        let admitted = kind.subject_kinds();
        // The short form first: every id written before qualified ones
        // existed reads as it did, keys with colons in them included.
        let named: Vec<FindingSubject> = admitted.iter().filter_map(|&k| self.subject(k, rest)).collect();
        match named[..] {
            [subject] => return Some((kind, subject, rest)),
            [_, _, ..] => {
                let kinds: Vec<&str> = named.iter().map(|s| s.kind().as_str()).collect();
                let ids: Vec<String> = named
                    .iter()
                    .map(|s| format!("`{}`", kind.id(s.kind(), rest, |other, key| self.subject(other, key).is_some())))
                    .collect();
                self.diagnostics.push(
                    Diagnostic::error(
                        Code::BadFindingId,
                        origin,
                        format!("`{text}` could be the {} `{rest}`", kinds.join(" or the ")),
                    )
                    .with_label("ambiguous finding id")
                    .with_help(format!("write {}", ids.join(" or ")))
                    .with_field(field),
                );
                return None;
            }
            [] => {}
        }
        let qualified = rest
            .split_once(':')
            .and_then(|(entity, key)| SubjectKind::ALL.into_iter().find(|k| k.as_str() == entity).map(|k| (k, key)));
        if let Some((entity, key)) = qualified {
            if admitted.contains(&entity) {
                if let Some(subject) = self.subject(entity, key) {
                    return Some((kind, subject, key));
                }
                let (section, keys) = self.subject_keys(entity);
                self.diagnostics.push(
                    unknown_reference(
                        subject_name(entity),
                        section,
                        key,
                        origin,
                        keys.iter().copied(),
                        self.diagnostics.len(),
                    )
                    .with_field(field),
                );
                return None;
            }
            let wanted: Vec<&str> = admitted.iter().map(|k| with_article(*k)).collect();
            let rewrites: Vec<String> = admitted
                .iter()
                .filter(|k| self.subject(**k, key).is_some())
                .map(|k| format!("`{}`", kind.id(*k, key, |other, key| self.subject(other, key).is_some())))
                .collect();
            let help = if rewrites.is_empty() {
                format!("`{}` findings name {}", kind.as_str(), kind.subject())
            } else {
                format!("write {}", rewrites.join(" or "))
            };
            self.diagnostics.push(
                Diagnostic::error(
                    Code::BadFindingId,
                    origin,
                    format!(
                        "`{}` findings are about {}, not {}",
                        kind.as_str(),
                        wanted.join(" or "),
                        with_article(entity)
                    ),
                )
                .with_label("wrong kind of subject")
                .with_help(help)
                .with_field(field),
            );
            return None;
        }
        let what: Vec<&str> = admitted.iter().map(|k| subject_name(*k)).collect();
        let keys: Vec<&str> = admitted.iter().flat_map(|k| self.subject_keys(*k).1).collect();
        let mut diagnostic = unknown_reference(
            &what.join(" or "),
            "findings.accepted",
            rest,
            origin,
            keys.iter().copied(),
            self.diagnostics.len(),
        );
        if keys.is_empty() {
            diagnostic = diagnostic.with_help(format!("`{}` findings name {}", kind.as_str(), kind.subject()));
        }
        self.diagnostics.push(diagnostic.with_field(field));
        None
    }

    /// The subject of kind `kind` keyed `key`, if the plan defines one.
    fn subject(&self, kind: SubjectKind, key: &str) -> Option<FindingSubject> {
        match kind {
            SubjectKind::Team => self.team_ids.get(key).map(FindingSubject::Team),
            SubjectKind::Item => self.item_ids.get(key).map(|i| FindingSubject::Item(ItemId::new(i as usize))),
            SubjectKind::Group => self.group_ids.get(key).map(FindingSubject::Group),
            SubjectKind::Milestone => self.milestone_ids.get(key).map(FindingSubject::Milestone),
            SubjectKind::System => self.system_ids.get(key).map(FindingSubject::System),
            SubjectKind::Interface => self.interface_ids.get(key).map(FindingSubject::Interface),
            SubjectKind::Decision => self.decision_ids.get(key).map(FindingSubject::Decision),
            SubjectKind::Check => QualityCheck::ALL.into_iter().find(|c| c.as_str() == key).map(FindingSubject::Check),
        }
    }

    /// The plan section subjects of a kind are defined in, and their keys.
    fn subject_keys(&self, kind: SubjectKind) -> (&'static str, Vec<&str>) {
        match kind {
            SubjectKind::Team => ("teams", self.team_ids.keys()),
            SubjectKind::Item => ("items", self.item_ids.keys().collect()),
            SubjectKind::Group => ("groups", self.group_ids.keys()),
            SubjectKind::Milestone => ("milestones", self.milestone_ids.keys()),
            SubjectKind::System => ("systems", self.system_ids.keys()),
            SubjectKind::Interface => ("interfaces", self.interface_ids.keys()),
            SubjectKind::Decision => ("decisions", self.decision_ids.keys()),
            SubjectKind::Check => ("findings.accepted", QualityCheck::ALL.iter().map(|c| c.as_str()).collect()),
        }
    }

    /// The baseline's date, with each item's committed dates set; a second
    /// baseline, an item baselined twice or dates out of order are reported.
    pub(crate) fn resolve_baseline(&mut self) -> Option<chrono::NaiveDate> {
        let docs = std::mem::take(&mut self.baselines);
        let first = docs.first()?;
        for extra in &docs[1..] {
            self.diagnostics.push(
                Diagnostic::error(Code::DuplicateBaseline, extra.date.origin, "the plan has more than one `baseline`")
                    .with_label("second baseline")
                    .with_related(first.date.origin, "first baseline here")
                    .with_help("keep one baseline; `linchpin baseline PLAN > PLAN/baseline.yaml` replaces it")
                    .with_field("baseline"),
            );
        }
        let mut seen: Vec<Option<Origin>> = vec![None; self.items.len()];
        for entry in &first.items {
            let Some(id) = self.item_ids.get(&entry.item.value) else {
                self.diagnostics.push(
                    unknown_reference(
                        "item",
                        "items",
                        &entry.item.value,
                        entry.item.origin,
                        self.item_ids.keys(),
                        self.diagnostics.len(),
                    )
                    .with_field("baseline.items.item"),
                );
                continue;
            };
            let field = format!("baseline.items[{}]", entry.item.value);
            let start = self.plausible(&entry.start, "the baseline start", &format!("{field}.start"));
            let finish = self.plausible(&entry.finish, "the baseline finish", &format!("{field}.finish"));
            let (Some(start), Some(finish)) = (start, finish) else { continue };
            if finish < start {
                self.diagnostics.push(
                    Diagnostic::error(
                        Code::DatesOutOfOrder,
                        entry.finish.origin,
                        format!("the baseline finish ({finish}) is before its start ({start})"),
                    )
                    .with_label("dates out of order")
                    .with_help("check the dates; one of them has the wrong day, month or year")
                    .with_field(format!("{field}.finish")),
                );
                continue;
            }
            if let Some(previous) = seen[id as usize].replace(entry.item.origin) {
                self.diagnostics.push(
                    Diagnostic::error(
                        Code::DuplicateId,
                        entry.item.origin,
                        format!("item `{}` is baselined twice", entry.item.value),
                    )
                    .with_label("again here")
                    .with_related(previous, "first here")
                    .with_help("keep one baseline entry per item")
                    .with_field("baseline.items.item"),
                );
                continue;
            }
            self.items[id as usize].baseline = Some(Planned { start, finish });
        }
        self.plausible(&first.date, "the baseline date", "baseline.date")
    }
}

fn apply(
    doc: &ThresholdsDoc,
    into: &mut Thresholds,
    seen: &mut HashMap<&'static str, Origin>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let mut once = |name: &'static str, origin: Origin, diagnostics: &mut Vec<Diagnostic>| -> bool {
        if let Some(first) = seen.insert(name, origin) {
            diagnostics.push(
                Diagnostic::error(Code::DuplicateSetting, origin, format!("threshold `{name}` is set twice"))
                    .with_label("set again here")
                    .with_related(first, "first set here")
                    .with_help("keep one `findings.thresholds` value per threshold across the plan's files")
                    .with_field(format!("findings.thresholds.{name}")),
            );
            return false;
        }
        true
    };
    let mut number = |name: &'static str, value: &Option<Located<f64>>, max: f64, target: &mut f64| {
        let Some(v) = value else { return };
        if !once(name, v.origin, diagnostics) {
            return;
        }
        if !(0.0..=max).contains(&v.value) {
            diagnostics.push(out_of_range(name, v.origin, &format!("from 0 to {max}"), v.value.to_string()));
            return;
        }
        *target = v.value;
    };
    number("near_critical_days", &doc.near_critical_days, 10_000.0, &mut into.near_critical_days);
    number("spof_milestone_share", &doc.spof_milestone_share, 1.0, &mut into.spof_milestone_share);
    number("spof_team_share", &doc.spof_team_share, 1.0, &mut into.spof_team_share);
    number("fragile_slack_days", &doc.fragile_slack_days, 10_000.0, &mut into.fragile_slack_days);
    number("overload_ratio", &doc.overload_ratio, 100.0, &mut into.overload_ratio);
    number("decision_warning_days", &doc.decision_warning_days, 10_000.0, &mut into.decision_warning_days);
    number("high_slack_days", &doc.high_slack_days, 10_000.0, &mut into.high_slack_days);
    number("long_duration_days", &doc.long_duration_days, 10_000.0, &mut into.long_duration_days);
    number("health_green_chance", &doc.health_green_chance, 1.0, &mut into.health_green_chance);
    number("health_red_chance", &doc.health_red_chance, 1.0, &mut into.health_red_chance);
    number("health_red_days", &doc.health_red_days, 10_000.0, &mut into.health_red_days);
    if into.health_red_chance > into.health_green_chance {
        let origin = doc.health_red_chance.as_ref().or(doc.health_green_chance.as_ref()).map(|v| v.origin);
        if let Some(origin) = origin {
            let expected = format!("at most health_green_chance ({})", into.health_green_chance);
            diagnostics.push(out_of_range("health_red_chance", origin, &expected, into.health_red_chance.to_string()));
        }
    }
    let mut whole = |name: &'static str, value: &Option<Located<i64>>, min: i64, target: &mut u32| {
        let Some(v) = value else { return };
        if !once(name, v.origin, diagnostics) {
            return;
        }
        match u32::try_from(v.value) {
            Ok(n) if v.value >= min && n <= 100_000 => *target = n,
            _ => diagnostics.push(out_of_range(
                name,
                v.origin,
                &format!("a whole number from {min}"),
                v.value.to_string(),
            )),
        }
    };
    whole("shared_min_teams", &doc.shared_min_teams, 2, &mut into.shared_min_teams);
    whole("spof_min_dependents", &doc.spof_min_dependents, 1, &mut into.spof_min_dependents);
    whole("blocker_escalation_days", &doc.blocker_escalation_days, 0, &mut into.blocker_escalation_days);
    whole("stale_days", &doc.stale_days, 0, &mut into.stale_days);
}

fn out_of_range(name: &str, origin: Origin, range: &str, found: String) -> Diagnostic {
    Diagnostic::error(Code::OutOfRange, origin, format!("threshold `{name}` must be {range}, found {found}"))
        .with_label("out of range")
        .with_help("remove it to use the default")
        .with_field(format!("findings.thresholds.{name}"))
}

/// "a system", "an interface".
fn with_article(kind: SubjectKind) -> &'static str {
    match kind {
        SubjectKind::Team => "a team",
        SubjectKind::Item => "an item",
        SubjectKind::Group => "a group",
        SubjectKind::Milestone => "a milestone",
        SubjectKind::System => "a system",
        SubjectKind::Interface => "an interface",
        SubjectKind::Decision => "a decision",
        SubjectKind::Check => "a schedule-quality check",
    }
}

/// What an unknown subject is called in "unknown system `x`".
fn subject_name(kind: SubjectKind) -> &'static str {
    match kind {
        SubjectKind::Check => "schedule-quality check",
        other => other.as_str(),
    }
}
