//! The plan's `findings` settings (thresholds and accepted findings) and its
//! `baseline`, resolved against the program's ids.

use std::collections::HashMap;

use chrono::NaiveDate;
use linchpin_model::{AcceptedFinding, FindingKind, ItemId, Planned, QualityCheck, Thresholds};

use crate::checks::unknown_reference;
use crate::decode::Spanned;
use crate::diagnostic::{Diagnostic, did_you_mean};
use crate::raw::{AcceptedDoc, BaselineDoc, PlanFile, ThresholdsDoc};
use crate::resolve::Registries;
use crate::source::Span;

/// Thresholds with every file's overrides applied; a threshold set in two
/// files is reported.
pub fn thresholds(files: &[PlanFile], diagnostics: &mut Vec<Diagnostic>) -> Thresholds {
    let mut thresholds = Thresholds::default();
    let mut seen: HashMap<&'static str, Span> = HashMap::new();
    for doc in files.iter().filter_map(|f| f.findings.as_ref()?.thresholds.as_ref()) {
        apply(doc, &mut thresholds, &mut seen, diagnostics);
    }
    thresholds
}

fn apply(
    doc: &ThresholdsDoc,
    into: &mut Thresholds,
    seen: &mut HashMap<&'static str, Span>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let mut once = |name: &'static str, span: Span, diagnostics: &mut Vec<Diagnostic>| -> bool {
        if let Some(first) = seen.insert(name, span) {
            diagnostics.push(
                Diagnostic::error("duplicate-setting", span, format!("threshold `{name}` is set twice"))
                    .with_label("set again here")
                    .with_related(first, "first set here")
                    .with_help("keep one `findings.thresholds` value per threshold across the plan's files")
                    .with_field(format!("findings.thresholds.{name}")),
            );
            return false;
        }
        true
    };
    let mut number = |name: &'static str, value: &Option<Spanned<f64>>, max: f64, target: &mut f64| {
        let Some(v) = value else { return };
        if !once(name, v.span, diagnostics) {
            return;
        }
        if !(0.0..=max).contains(&v.value) {
            diagnostics.push(out_of_range(name, v.span, &format!("from 0 to {max}"), v.value.to_string()));
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
    let mut whole = |name: &'static str, value: &Option<Spanned<i64>>, min: i64, target: &mut u32| {
        let Some(v) = value else { return };
        if !once(name, v.span, diagnostics) {
            return;
        }
        match u32::try_from(v.value) {
            Ok(n) if v.value >= min && n <= 100_000 => *target = n,
            _ => {
                diagnostics.push(out_of_range(name, v.span, &format!("a whole number from {min}"), v.value.to_string()))
            }
        }
    };
    whole("shared_min_teams", &doc.shared_min_teams, 2, &mut into.shared_min_teams);
    whole("spof_min_dependents", &doc.spof_min_dependents, 1, &mut into.spof_min_dependents);
    whole("blocker_escalation_days", &doc.blocker_escalation_days, 0, &mut into.blocker_escalation_days);
    whole("stale_days", &doc.stale_days, 0, &mut into.stale_days);
}

fn out_of_range(name: &str, span: Span, range: &str, found: String) -> Diagnostic {
    Diagnostic::error("out-of-range", span, format!("threshold `{name}` must be {range}, found {found}"))
        .with_label("out of range")
        .with_help("remove it to use the default")
        .with_field(format!("findings.thresholds.{name}"))
}

/// The accepted findings, each id checked: a known kind, and a subject that
/// names something the plan defines.
pub fn accepted(files: &[PlanFile], ids: &Registries, diagnostics: &mut Vec<Diagnostic>) -> Vec<AcceptedFinding> {
    let mut seen: HashMap<String, Span> = HashMap::new();
    let mut out = Vec::new();
    for doc in files.iter().filter_map(|f| f.findings.as_ref()).flat_map(|f| &f.accepted) {
        let Some((kind, subject)) = parse_id(doc, ids, diagnostics) else { continue };
        let accepted = AcceptedFinding {
            kind,
            subject: subject.to_owned(),
            reason: doc.reason.value.clone(),
            owner: doc.owner.value.clone(),
            until: doc.until.as_ref().map(|u| u.value),
        };
        if let Some(first) = seen.insert(accepted.id(), doc.finding.span) {
            diagnostics.push(
                Diagnostic::error(
                    "duplicate-id",
                    doc.finding.span,
                    format!("finding `{}` is accepted twice", accepted.id()),
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

fn parse_id<'d>(
    doc: &'d AcceptedDoc,
    ids: &Registries,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<(FindingKind, &'d str)> {
    let field = "findings.accepted.finding";
    let text = doc.finding.value.as_str();
    let span = doc.finding.span;
    let Some((kind_text, subject)) = text.split_once(':') else {
        diagnostics.push(
            Diagnostic::error("bad-finding-id", span, format!("`{text}` is not a finding id"))
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
        diagnostics.push(
            Diagnostic::error("unknown-reference", span, format!("unknown finding kind `{kind_text}`"))
                .with_label("no such kind of finding")
                .with_help(help)
                .with_field(field),
        );
        return None;
    };
    let known = |exists: bool, what: &str, keys: Vec<&str>, diagnostics: &mut Vec<Diagnostic>| {
        if !exists {
            let mut diagnostic = unknown_reference(what, "findings.accepted", subject, span, keys.iter().copied());
            if keys.is_empty() {
                diagnostic = diagnostic.with_help(format!("a `{}` finding names {}", kind.as_str(), kind.subject()));
            }
            diagnostics.push(diagnostic.with_field(field));
        }
        exists
    };
    let ok = match kind {
        FindingKind::SharedDependency => known(
            ids.systems.contains_key(subject) || ids.interfaces.contains_key(subject),
            "system or interface",
            ids.systems.keys().chain(ids.interfaces.keys()).map(String::as_str).collect(),
            diagnostics,
        ),
        FindingKind::SinglePointOfFailure => known(
            ids.systems.contains_key(subject) || ids.teams.contains_key(subject),
            "system or team",
            ids.systems.keys().chain(ids.teams.keys()).map(String::as_str).collect(),
            diagnostics,
        ),
        FindingKind::BuiltBeforeContract => known(
            ids.interfaces.contains_key(subject),
            "interface",
            ids.interfaces.keys().map(String::as_str).collect(),
            diagnostics,
        ),
        FindingKind::OverCommittedTeam => {
            known(ids.teams.contains_key(subject), "team", ids.teams.keys().map(String::as_str).collect(), diagnostics)
        }
        FindingKind::DecisionNeeded => known(
            ids.decisions.contains_key(subject),
            "decision",
            ids.decisions.keys().map(String::as_str).collect(),
            diagnostics,
        ),
        FindingKind::FragileDependency | FindingKind::Blocker | FindingKind::StaleStatus => {
            known(ids.items.contains_key(subject), "item", ids.items.keys().map(String::as_str).collect(), diagnostics)
        }
        FindingKind::MilestoneAtRisk => known(
            ids.milestones.contains_key(subject),
            "milestone",
            ids.milestones.keys().map(String::as_str).collect(),
            diagnostics,
        ),
        FindingKind::ScheduleQuality => known(
            QualityCheck::ALL.iter().any(|c| c.as_str() == subject),
            "schedule-quality check",
            QualityCheck::ALL.iter().map(|c| c.as_str()).collect(),
            diagnostics,
        ),
    };
    ok.then_some((kind, subject))
}

/// The baseline's date and each item's committed dates; a second baseline,
/// an item baselined twice or dates out of order are reported.
pub fn baseline(
    files: &[PlanFile],
    items: &HashMap<String, (ItemId, Span)>,
    item_count: usize,
    diagnostics: &mut Vec<Diagnostic>,
) -> (Option<NaiveDate>, Vec<Option<Planned>>) {
    let mut planned = vec![None; item_count];
    let docs: Vec<&BaselineDoc> = files.iter().filter_map(|f| f.baseline.as_ref()).collect();
    let Some(first) = docs.first() else { return (None, planned) };
    for extra in &docs[1..] {
        diagnostics.push(
            Diagnostic::error("duplicate-baseline", extra.date.span, "the plan has more than one `baseline`")
                .with_label("second baseline")
                .with_related(first.date.span, "first baseline here")
                .with_help("keep one baseline; `linchpin baseline PLAN > PLAN/baseline.yaml` replaces it")
                .with_field("baseline"),
        );
    }
    let mut spans: Vec<Option<Span>> = vec![None; item_count];
    for entry in &first.items {
        let Some(&(id, _)) = items.get(&entry.item.value) else {
            diagnostics.push(
                unknown_reference(
                    "item",
                    "items",
                    &entry.item.value,
                    entry.item.span,
                    items.keys().map(String::as_str),
                )
                .with_field("baseline.items.item"),
            );
            continue;
        };
        if entry.finish.value < entry.start.value {
            diagnostics.push(
                Diagnostic::error(
                    "dates-out-of-order",
                    entry.finish.span,
                    format!("the baseline finish ({}) is before its start ({})", entry.finish.value, entry.start.value),
                )
                .with_label("dates out of order")
                .with_help("check the dates; one of them has the wrong day, month or year")
                .with_field(format!("baseline.items[{}].finish", entry.item.value)),
            );
            continue;
        }
        if let Some(previous) = spans[id.index()].replace(entry.item.span) {
            diagnostics.push(
                Diagnostic::error(
                    "duplicate-id",
                    entry.item.span,
                    format!("item `{}` is baselined twice", entry.item.value),
                )
                .with_label("again here")
                .with_related(previous, "first here")
                .with_help("keep one baseline entry per item")
                .with_field("baseline.items.item"),
            );
            continue;
        }
        planned[id.index()] = Some(Planned { start: entry.start.value, finish: entry.finish.value });
    }
    (Some(first.date.value), planned)
}
