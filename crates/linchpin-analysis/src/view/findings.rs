//! Findings as `linchpin findings --format json` prints them, and as risk
//! register entries.

use linchpin_findings::risks::RiskEntry;
use linchpin_findings::{Finding, Severity, render};
use linchpin_model::{AcceptedFinding, Program};
use serde::Serialize;

use super::round3;
use super::schedule::GroupView;
use crate::run::Findings;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EntityView {
    pub kind: &'static str,
    pub id: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ContactView {
    pub name: Option<String>,
    pub role: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FindingView {
    pub id: String,
    pub kind: &'static str,
    pub subject: String,
    pub severity: &'static str,
    pub headline: String,
    pub explanation: String,
    pub action: String,
    pub involved: Vec<EntityView>,
    pub people: Vec<ContactView>,
    pub figures: serde_json::Map<String, serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub acceptance: Option<AcceptanceView>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AcceptanceView {
    pub finding: String,
    pub reason: String,
    pub owner: String,
    pub until: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct QualityView {
    pub check: &'static str,
    pub measure: &'static str,
    pub value: Option<f64>,
    pub threshold: f64,
    pub comparison: &'static str,
    pub passed: Option<bool>,
    pub items: Vec<String>,
    pub note: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SummaryView {
    pub open: usize,
    pub high: usize,
    pub medium: usize,
    pub low: usize,
    pub accepted: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DecisionView {
    pub id: String,
    pub question: String,
    pub needed_by: Option<String>,
    pub first_waiting: Option<String>,
    pub latest_start: Option<String>,
    pub working_days_left: Option<f64>,
    pub waiting: Vec<String>,
    pub due: Option<String>,
}

/// What the findings were judged against.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Basis {
    /// Whether the roadmap respected capacity.
    pub capacity_aware: bool,
    /// The forecast's iterations and whether it respected capacity, if one ran.
    pub forecast: Option<(usize, bool)>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FindingsView {
    pub program: String,
    pub as_of: String,
    pub capacity_aware: bool,
    pub forecast_iterations: Option<usize>,
    pub forecast_capacity_aware: bool,
    pub summary: SummaryView,
    pub findings: Vec<FindingView>,
    pub accepted: Vec<FindingView>,
    /// Acceptances whose finding is no longer raised.
    pub unmatched_acceptances: Vec<AcceptanceView>,
    /// Acceptances past their `until` date; their findings are open again.
    pub lapsed_acceptances: Vec<AcceptanceView>,
    pub schedule_quality: Vec<QualityView>,
    /// Every open decision's needed-by date, soonest first.
    pub decisions: Vec<DecisionView>,
    /// Each group, in plan order: its roll-up and the open findings that
    /// touch its work.
    pub groups: Vec<GroupFindingsView>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GroupFindingsView {
    #[serde(flatten)]
    pub group: GroupView,
    /// The forecast's P80 finish and chance of its deadline, when one ran.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub p80: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub probability_on_deadline: Option<f64>,
    pub open: usize,
    pub high: usize,
    pub medium: usize,
    pub low: usize,
    /// The ids of those findings, most severe first.
    pub findings: Vec<String>,
}

impl AcceptanceView {
    pub fn new(program: &Program, a: &AcceptedFinding) -> Self {
        AcceptanceView {
            finding: a.id(program),
            reason: a.reason.clone(),
            owner: a.owner.clone(),
            until: a.until.map(|d| d.to_string()),
        }
    }
}

impl FindingView {
    pub fn new(program: &Program, f: &Finding, acceptance: Option<&AcceptedFinding>) -> Self {
        let words = render::words(program, f);
        FindingView {
            id: f.id(program),
            kind: f.kind().as_str(),
            subject: f.subject().key(program).to_owned(),
            severity: f.severity.as_str(),
            headline: words.headline,
            explanation: words.explanation,
            action: words.action,
            involved: f.involved.iter().map(|e| EntityView { kind: e.kind(), id: e.key(program).to_owned() }).collect(),
            people: f
                .people
                .iter()
                .map(|c| ContactView { name: c.name.clone(), role: render::role(program, &c.role) })
                .collect(),
            // JSON has no infinity: a week with no capacity has no load figure.
            figures: f
                .figures
                .iter()
                .map(|(k, v)| {
                    (
                        k.as_str().to_owned(),
                        if v.is_finite() { serde_json::json!(round3(*v)) } else { serde_json::Value::Null },
                    )
                })
                .collect(),
            acceptance: acceptance.map(|a| AcceptanceView::new(program, a)),
        }
    }
}

impl FindingsView {
    pub fn new(program: &Program, findings: &Findings) -> Self {
        let Findings { report, basis, .. } = findings;
        let basis = *basis;
        let by = |s: Severity| report.open.iter().filter(|f| f.severity == s).count();
        let ids: Vec<String> = report.open.iter().map(|f| f.id(program)).collect();
        let groups = GroupView::all(program, &findings.roadmap)
            .into_iter()
            .zip(report.by_group(program))
            .map(|(group, touched)| {
                let forecast =
                    findings.forecast.as_ref().and_then(|f| f.groups().iter().find(|t| t.group == Some(touched.group)));
                let count = |s: Severity| touched.open.iter().filter(|&&i| report.open[i].severity == s).count();
                GroupFindingsView {
                    group,
                    p80: forecast.map(|t| t.p80_date.to_string()),
                    probability_on_deadline: forecast.and_then(|t| t.probability_on_target).map(round3),
                    open: touched.open.len(),
                    high: count(Severity::High),
                    medium: count(Severity::Medium),
                    low: count(Severity::Low),
                    findings: touched.open.iter().map(|&i| ids[i].clone()).collect(),
                }
            })
            .collect();
        FindingsView {
            program: program.name().to_owned(),
            as_of: report.as_of.to_string(),
            capacity_aware: basis.capacity_aware,
            forecast_iterations: basis.forecast.map(|(n, _)| n),
            forecast_capacity_aware: basis.forecast.is_some_and(|(_, capacity)| capacity),
            summary: SummaryView {
                open: report.open.len(),
                high: by(Severity::High),
                medium: by(Severity::Medium),
                low: by(Severity::Low),
                accepted: report.accepted.len(),
            },
            findings: report.open.iter().map(|f| FindingView::new(program, f, None)).collect(),
            groups,
            accepted: report
                .accepted
                .iter()
                .map(|a| FindingView::new(program, &a.finding, Some(&a.acceptance)))
                .collect(),
            unmatched_acceptances: report.unmatched.iter().map(|a| AcceptanceView::new(program, a)).collect(),
            lapsed_acceptances: report.lapsed.iter().map(|a| AcceptanceView::new(program, a)).collect(),
            decisions: report
                .decisions
                .iter()
                .map(|d| {
                    let decision = program.decision(d.decision);
                    DecisionView {
                        id: decision.key.clone(),
                        question: decision.question.clone(),
                        needed_by: d.needed_by.map(|x| x.to_string()),
                        first_waiting: d.first_waiting.map(|i| program.item(i).key.clone()),
                        latest_start: d.latest_start.map(|x| x.to_string()),
                        working_days_left: d.working_days_left.map(round3),
                        waiting: d.waiting.iter().map(|i| program.item(*i).key.clone()).collect(),
                        due: decision.due.map(|x| x.to_string()),
                    }
                })
                .collect(),
            schedule_quality: report
                .quality
                .iter()
                .map(|q| QualityView {
                    check: q.check.as_str(),
                    measure: render::measure(q.check),
                    value: q.value.map(round3),
                    threshold: q.threshold,
                    comparison: if q.at_most { "at_most" } else { "at_least" },
                    passed: q.passed,
                    items: q.items.iter().map(|i| program.item(*i).key.clone()).collect(),
                    note: q.note.as_ref().map(|n| render::note(program, n)),
                })
                .collect(),
        }
    }
}

/// A finding as an entry for the risk register.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RiskView {
    pub id: String,
    pub title: String,
    pub likelihood: u8,
    pub impact: u8,
    pub owner: Option<String>,
    pub mitigation: String,
    pub affects: Vec<String>,
    pub finding: String,
}

impl RiskView {
    pub fn new(r: &RiskEntry) -> Self {
        RiskView {
            id: r.id.clone(),
            title: r.title.clone(),
            likelihood: r.likelihood,
            impact: r.impact,
            owner: r.owner.clone(),
            mitigation: r.mitigation.clone(),
            affects: r.affects.clone(),
            finding: r.finding.clone(),
        }
    }
}
