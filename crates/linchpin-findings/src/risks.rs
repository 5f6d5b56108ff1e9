//! Findings as entries for the plan's risk register.

use std::collections::HashSet;

use linchpin_model::{FindingKind, Program};

use crate::facts::Facts;
use crate::{Entity, Finding, Severity, render};

/// A risk entry in the plan's terms, ready to be written under `risks:`.
#[derive(Clone, Debug, PartialEq)]
pub struct RiskEntry {
    pub id: String,
    pub title: String,
    pub likelihood: u8,
    pub impact: u8,
    pub owner: Option<String>,
    pub mitigation: String,
    /// Item and milestone ids.
    pub affects: Vec<String>,
    /// The id of the finding it came from.
    pub finding: String,
}

/// At most this many items or milestones in one risk's `affects`.
const AFFECTS_LIMIT: usize = 20;

fn code(kind: FindingKind) -> &'static str {
    match kind {
        FindingKind::SharedDependency => "SHARED",
        FindingKind::SinglePointOfFailure => "SPOF",
        FindingKind::BuiltBeforeContract => "CONTRACT",
        FindingKind::FragileDependency => "HANDOFF",
        FindingKind::OverCommittedTeam => "LOAD",
        FindingKind::DecisionNeeded => "DECISION",
        FindingKind::Blocker => "BLOCKER",
        FindingKind::StaleStatus => "STALE",
        FindingKind::MilestoneAtRisk => "DATE",
        FindingKind::DeadlineAtRisk => "DEADLINE",
        FindingKind::ScheduleQuality => "QUALITY",
    }
}

fn impact(kind: FindingKind, severity: Severity) -> u8 {
    let base: u8 = match kind {
        FindingKind::MilestoneAtRisk => 5,
        FindingKind::BuiltBeforeContract | FindingKind::SinglePointOfFailure | FindingKind::DeadlineAtRisk => 4,
        FindingKind::StaleStatus | FindingKind::ScheduleQuality => 2,
        _ => 3,
    };
    if severity == Severity::High { (base + 1).min(5) } else { base }
}

fn likelihood(finding: &Finding) -> u8 {
    let miss = match &finding.facts {
        Facts::ForecastLate(late) => Some(1.0 - late.probability_on_target),
        Facts::DeadlineLate(late) => late.forecast.as_ref().map(|f| 1.0 - f.probability_on_target),
        _ => None,
    };
    match (miss, finding.severity) {
        (Some(miss), _) => (1.0 + (miss * 5.0).floor()).clamp(1.0, 5.0) as u8,
        (None, Severity::High) => 4,
        (None, Severity::Medium) => 3,
        (None, Severity::Low) => 2,
    }
}

fn slug(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.' {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_owned()
}

/// One risk entry per finding, with ids that clash with no risk the plan
/// already has (nor with each other).
pub fn as_risks(program: &Program, findings: &[&Finding]) -> Vec<RiskEntry> {
    let mut taken: HashSet<String> = program.risks().iter().map(|r| r.key.clone()).collect();
    findings
        .iter()
        .map(|finding| {
            let id = finding.id(program);
            // The id after its kind: the key, qualified when the key alone is ambiguous.
            let subject = id.split_once(':').map_or(id.as_str(), |(_, subject)| subject);
            let stem = format!("R-{}-{}", code(finding.kind()), slug(subject));
            let mut risk = stem.clone();
            let mut n = 2;
            while taken.contains(&risk) {
                risk = format!("{stem}-{n}");
                n += 1;
            }
            taken.insert(risk.clone());
            let affects = finding
                .involved
                .iter()
                .filter(|e| matches!(e, Entity::Item(_) | Entity::Milestone(_)))
                .take(AFFECTS_LIMIT)
                .map(|e| e.key(program).to_owned())
                .collect();
            let words = render::words(program, finding);
            RiskEntry {
                id: risk,
                title: words.headline,
                likelihood: likelihood(finding),
                impact: impact(finding.kind(), finding.severity),
                owner: finding.people.iter().find_map(|c| c.name.clone()),
                mitigation: words.action,
                affects,
                finding: id,
            }
        })
        .collect()
}
