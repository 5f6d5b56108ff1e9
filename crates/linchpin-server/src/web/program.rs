//! The portfolio (every program the visitor can see) and a program's
//! page: its derived health and reasons, milestones with their forecast
//! and S-curves, teams, the executive or engineering register (the same
//! blocks as `linchpin report`), and recent status updates.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::response::Response;
use linchpin_model::{Health, MilestoneId, Program, Subject};
use linchpin_report::document::Document;
use linchpin_report::health::Assessment;
use linchpin_store::{ProgramRow, Role, Store};
use maud::{Markup, html};
use serde::Deserialize;

use super::analysed::{Analysed, Ready, analysed};
use super::layout::{Page, ProgramNav, trusted};
use super::{Visitor, WebError, encode};
use crate::error::ApiError;
use crate::state::{App, Loaded};

type Shared = Arc<App>;

/// The program `key` as the visitor may see it, resolved.
pub async fn open(app: &App, visitor: &Visitor, key: &str) -> Result<(ProgramRow, Role, Arc<Loaded>), WebError> {
    let (row, role) = visitor.program(app, key).await?;
    let loaded = app.load(row.clone()).await?;
    Ok((row, role, loaded))
}

pub fn nav<'a>(loaded: &'a Loaded, current: &'a str) -> ProgramNav<'a> {
    ProgramNav {
        key: &loaded.row.key,
        name: loaded.program.name(),
        version: loaded.row.version,
        status_date: loaded.program.status_date(),
        current,
    }
}

/// The page that says the numbers are on their way, and reloads.
pub fn computing<'a>(visitor: &'a Visitor, loaded: &'a Loaded, current: &'a str, title: &str) -> Response {
    Page {
        title: title.to_owned(),
        visitor: Some(visitor),
        program: Some(nav(loaded, current)),
        body: html! {
            h1 { (title) }
            p.notice role="status" {
                "Computing the schedule, forecast and findings of version " (loaded.row.version)
                " of this program. The page shows them as soon as they are ready."
            }
        },
        computing: true,
    }
    .into_response()
}

pub fn health_badge(health: Health) -> Markup {
    let (class, word) = match health {
        Health::Green => ("badge health-green", "Green"),
        Health::Amber => ("badge health-amber", "Amber"),
        Health::Red => ("badge health-red", "Red"),
    };
    html! { span class=(class) { (word) } }
}

pub fn item_link(program_key: &str, item_key: &str) -> Markup {
    html! { a href={ "/p/" (encode(program_key)) "/items/" (encode(item_key)) } { (item_key) } }
}

pub fn team_link(program_key: &str, team_key: &str, label: &str) -> Markup {
    html! { a href={ "/p/" (encode(program_key)) "/teams/" (encode(team_key)) } { (label) } }
}

/// What the portfolio says of one program.
struct Summary {
    row: ProgramRow,
    role: Role,
    analysed: Option<Arc<Analysed>>,
    failed: Option<String>,
}

/// Every program the visitor can see, with its derived health, next
/// milestone and its P80 against target, top risk and open decisions.
pub async fn portfolio(State(app): State<Shared>, visitor: Visitor) -> Result<Response, WebError> {
    let mut summaries = Vec::new();
    for row in app.store.programs().await? {
        let role = match visitor.caller.role(&app, &row).await {
            Ok(role) => role,
            Err(ApiError::NotFound) => continue,
            Err(e) => return Err(e.into()),
        };
        summaries.push(Summary { row, role, analysed: None, failed: None });
    }
    // Start every computation first, then wait for them together.
    let patience = super::analysed::PATIENCE / (summaries.len().max(1) as u32);
    for s in &mut summaries {
        let loaded = app.load(s.row.clone()).await?;
        match analysed(&app, loaded, patience).await {
            Ok(Ready::Done(a)) => s.analysed = Some(a),
            Ok(Ready::Computing) => {}
            Err(e) => s.failed = Some(e.to_string()),
        }
    }
    let computing = summaries.iter().any(|s| s.analysed.is_none() && s.failed.is_none());
    let body = html! {
        h1 { "Programs" }
        @if summaries.is_empty() {
            p { "You are not a member of any program yet. A program admin can add you, or push a plan with "
                code { "linchpin push PLAN --server URL" } "." }
        } @else {
            @if computing {
                p.notice role="status" { "Some programs are still being computed; the page shows them as soon as they are ready." }
            }
            div.table-scroll {
                table id="portfolio" {
                    caption { "Every program you can see, with its health derived from the forecast and the plan" }
                    thead { tr {
                        th scope="col" { "Program" } th scope="col" { "Health" } th scope="col" { "Next milestone" }
                        th scope="col" { "Target" } th scope="col" { "P80" } th scope="col" { "Top risk" }
                        th scope="col" { "Open decisions" } th scope="col" { "Your role" }
                    } }
                    tbody {
                        @for s in &summaries { (portfolio_row(s)) }
                    }
                }
            }
        }
    };
    Ok(Page { title: "Programs".into(), visitor: Some(&visitor), program: None, body, computing }.into_response())
}

fn portfolio_row(s: &Summary) -> Markup {
    let link = html! { a href={ "/p/" (encode(&s.row.key)) } { (s.row.name) } };
    let Some(a) = &s.analysed else {
        return html! { tr {
            th scope="row" { (link) }
            td colspan="6" { @if let Some(why) = &s.failed { "Could not be computed: " (why) } @else { "Computing…" } }
            td { (s.role.as_str()) }
        } };
    };
    let program = &a.loaded.program;
    let link = html! {
        (link) br;
        span.hint { "version " (a.loaded.row.version)
            @match program.status_date() { Some(d) => { ", as of " (d) } None => { ", no status date" } } }
    };
    let assessment = &a.assessment;
    let next = next_milestone(a);
    let top_risk = program.risks().iter().filter(|r| r.status.is_live()).max_by_key(|r| r.exposure());
    let open_decisions = a.findings.report.decisions.len();
    html! { tr {
        th scope="row" { (link) }
        td { (health_badge(assessment.health)) }
        @match next {
            Some(m) => {
                @let t = &a.forecast.milestones()[m.index()];
                td { (program.milestone(m).key) ": " (program.milestone(m).title) }
                td.word { @match program.milestone(m).target { Some(d) => (d), None => "—" } }
                td.word {
                    (t.p80_date)
                    @if let Some(target) = program.milestone(m).target {
                        @let late = linchpin_report::health::p80_days_late(&a.facts(), t, target);
                        @if late > 0.0 { " (" (late) " working days late)" } @else { " (on time)" }
                    }
                }
            }
            None => { td colspan="3" { "Every milestone is done" } }
        }
        td { @match top_risk { Some(r) => { (r.key) ": " (r.title) } None => "None open" } }
        td { (open_decisions) }
        td { (s.role.as_str()) }
    } }
}

/// The first milestone, by forecast P50, that is not yet reached.
fn next_milestone(a: &Analysed) -> Option<MilestoneId> {
    let program = &a.loaded.program;
    let as_of = program.as_of();
    (0..program.milestones().len())
        .map(MilestoneId::new)
        .filter(|m| a.findings.roadmap.milestones[m.index()].date >= as_of)
        .min_by_key(|m| a.forecast.milestones()[m.index()].p50_date)
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegisterQuery {
    pub register: Option<String>,
}

/// A program's page, in the executive register (default) or the engineering one.
pub async fn program_page(
    State(app): State<Shared>,
    visitor: Visitor,
    Path(key): Path<String>,
    Query(query): Query<RegisterQuery>,
) -> Result<Response, WebError> {
    let engineering = match query.register.as_deref() {
        None | Some("executive") => false,
        Some("engineering") => true,
        Some(other) => {
            return Err(ApiError::BadRequest(format!("no register `{other}`: use executive or engineering")).into());
        }
    };
    let current = if engineering { "engineering" } else { "overview" };
    let (_, _, loaded) = open(&app, &visitor, &key).await?;
    let a = match analysed(&app, loaded.clone(), super::analysed::PATIENCE).await? {
        Ready::Done(a) => a,
        Ready::Computing => return Ok(computing(&visitor, &loaded, current, loaded.program.name())),
    };
    let assessment = &a.assessment;
    let program = &a.loaded.program;
    let register = if engineering { &a.engineering_html } else { &a.executive_html };
    let trend = super::analysed::trend(&app, &loaded.row.id, loaded.row.version).await?;
    let body = html! {
        h1 { (program.name()) " " (health_badge(assessment.health)) }
        @if let Some(goal) = program.goal() { p { (goal) } }
        (health_reasons(program, assessment))
        (milestones(&a, assessment, &trend))
        (teams(&loaded.row.key, program, assessment))
        section.register aria-label={ (if engineering { "Engineering" } else { "Executive" }) " register" } {
            p.hint {
                @if engineering {
                    "The engineering register: the critical path, hand-offs, contracts, blockers and findings. "
                    a href={ "/p/" (encode(&key)) } { "Switch to the executive register" }
                } @else {
                    "The executive register, as the Friday report says it. "
                    a href={ "/p/" (encode(&key)) "?register=engineering" } { "Switch to the engineering register" }
                }
                " · " a href={ "/p/" (encode(&key)) "/report" } { "Printable report" }
            }
            (trusted(register.as_str()))
        }
        (updates(&loaded.row.key, program))
    };
    Ok(Page {
        title: (if engineering { "Engineering status" } else { "Overview" }).to_owned(),
        visitor: Some(&visitor),
        program: Some(nav(&loaded, current)),
        body,
        computing: false,
    }
    .into_response())
}

/// A register's headings one level down, under the page's own `h1`.
pub fn demote(html: String) -> String {
    let mut out = html;
    for level in (1..=5).rev() {
        out = out.replace(&format!("<h{level}>"), &format!("<h{}>", level + 1));
        out = out.replace(&format!("</h{level}>"), &format!("</h{}>", level + 1));
    }
    out
}

fn health_reasons(program: &Program, assessment: &Assessment) -> Markup {
    let not_green: Vec<_> = assessment.milestones.iter().filter(|m| m.health != Health::Green).collect();
    html! {
        section aria-labelledby="health" {
            h2 id="health" { "Health" }
            @if not_green.is_empty() {
                p { "Every milestone is green: each is likely to make its target, with no overdue decision or unescalated blocker on its work." }
            } @else {
                ul {
                    @for m in not_green {
                        li {
                            (health_badge(m.health)) " " strong { (program.milestone(m.milestone).key) } ": "
                            @for (i, r) in m.reasons.iter().enumerate() {
                                @if i > 0 { "; " } (r.text)
                            }
                        }
                    }
                }
            }
            @if let Some(reported) = &assessment.reported {
                @if reported.health != assessment.health {
                    p.warning {
                        "The latest status update (" (reported.date)
                        @if let Some(author) = &reported.author { ", " (author) }
                        ") says " strong { (linchpin_report::register::health_word(reported.health)) }
                        "; the numbers above say " strong { (linchpin_report::register::health_word(assessment.health)) } "."
                    }
                }
            }
        }
    }
}

fn milestones(a: &Analysed, assessment: &Assessment, trend: &[linchpin_report::charts::Version]) -> Markup {
    let program = &a.loaded.program;
    let facts = a.facts();
    let mut trend_chart = Document::default();
    linchpin_report::charts::milestone_trend(&facts, trend, &mut trend_chart);

    html! {
        section aria-labelledby="milestones-heading" {
            h2 id="milestones-heading" { "Milestones" }
            div.table-scroll {
                table id="milestones" {
                    caption { "Each milestone's forecast: P50 is even odds, P80 four in five" }
                    thead { tr {
                        th scope="col" { "Milestone" } th scope="col" { "Target" } th scope="col" { "P50" }
                        th scope="col" { "P80" } th scope="col" { "Chance of target" } th scope="col" { "Health" }
                    } }
                    tbody {
                        @for (i, t) in a.forecast.milestones().iter().enumerate() {
                            @let m = program.milestone(MilestoneId::new(i));
                            tr data-milestone=(m.key) {
                                th scope="row" { (m.key) ": " (m.title) }
                                td.word data-field="target" { @match m.target { Some(d) => (d), None => "—" } }
                                td.word data-field="p50" { (t.p50_date) }
                                td.word data-field="p80" { (t.p80_date) }
                                td.word data-field="chance" { @match t.probability_on_target { Some(p) => { (format!("{:.0} %", 100.0 * p)) } None => "—" } }
                                td { (health_badge(assessment.milestone(MilestoneId::new(i)).health)) }
                            }
                        }
                    }
                }
            }
            @if trend_chart.blocks.is_empty() {
                p.hint { "The milestone trend shows once two versions of the program have been forecast (it shows the last "
                    (super::analysed::TREND_POINTS) ")." }
            } @else {
                h3 { "Trend" }
                p.hint { "The P80 of each milestone in the versions this server forecast since it started, oldest first." }
                (trusted(demote(trend_chart.body_html())))
            }
            @for (key, curve) in &a.curves {
                details {
                    summary { "S-curve of " (key) }
                    (trusted(curve.as_str()))
                }
            }
        }
    }
}

fn teams(key: &str, program: &Program, assessment: &Assessment) -> Markup {
    html! {
        section aria-labelledby="teams-heading" {
            h2 id="teams-heading" { "Teams" }
            ul.teams {
                @for t in &assessment.teams {
                    @let team = program.team(t.team);
                    li { (team_link(key, &team.key, &team.name)) " " (health_badge(t.health))
                        @if let Some(lead) = &team.lead { " · lead " (lead) } }
                }
            }
        }
    }
}

fn updates(key: &str, program: &Program) -> Markup {
    let mut recent: Vec<_> = program.updates().iter().collect();
    recent.sort_by_key(|u| std::cmp::Reverse(u.date));
    recent.truncate(10);
    html! {
        section aria-labelledby="updates-heading" {
            h2 id="updates-heading" { "Recent status updates" }
            @if recent.is_empty() { p { "No status updates yet." } }
            ul {
                @for u in recent {
                    li {
                        (u.date) " · "
                        @match u.subject {
                            Subject::Program => "the program",
                            Subject::Team(t) => (team_link(key, &program.team(t).key, &program.team(t).name)),
                            Subject::Item(i) => (item_link(key, &program.item(i).key)),
                        }
                        " " (health_badge(u.health))
                        @if let Some(author) = &u.author { " " (author) }
                        @if let Some(note) = &u.note { ": " (note) }
                    }
                }
            }
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportQuery {
    /// `executive` (default), `engineering` or `team` (with `team`).
    pub audience: Option<crate::api::computed::AudienceParam>,
    pub team: Option<String>,
}

/// The printable report: exactly the page `linchpin report --format html`
/// writes for the same plan (the same facts, the same register), self-contained.
pub async fn report(
    State(app): State<Shared>,
    visitor: Visitor,
    Path(key): Path<String>,
    Query(query): Query<ReportQuery>,
) -> Result<Response, WebError> {
    use crate::api::computed::AudienceParam;
    let (_, _, loaded) = open(&app, &visitor, &key).await?;
    let team = match (&query.audience, &query.team) {
        (None | Some(AudienceParam::Team), Some(team)) => {
            Some(loaded.program.keys().teams.get(team.as_str()).copied().ok_or(ApiError::NotFound)?)
        }
        (Some(AudienceParam::Team), None) => {
            return Err(ApiError::BadRequest("a team report needs `team`".into()).into());
        }
        (Some(_), Some(_)) => return Err(ApiError::BadRequest("`team` goes with audience=team".into()).into()),
        (_, None) => None,
    };
    let a = match analysed(&app, loaded.clone(), super::analysed::PATIENCE).await? {
        Ready::Done(a) => a,
        Ready::Computing => return Ok(computing(&visitor, &loaded, "report", "Printable report")),
    };
    let html = match (team, query.audience) {
        (Some(team), _) => {
            linchpin_report::register::report(&a.facts(), linchpin_report::Audience::Team(team)).to_html()
        }
        (None, Some(AudienceParam::Engineering)) => a.engineering.to_html(),
        (None, _) => a.executive.to_html(),
    };
    Ok(super::layout::html_response(axum::http::StatusCode::OK, maud::PreEscaped(html)))
}
