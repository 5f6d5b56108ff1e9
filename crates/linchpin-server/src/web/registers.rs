//! The risk and decision registers: filtered and sorted tables, and for
//! editors forms to add or close a risk and to record a decision with its
//! options and the one chosen. Filters are an ordinary GET form, so a
//! filtered register is a link one can send.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::response::Response;
use linchpin_model::{DecisionId, DecisionStatus, RiskStatus};
use linchpin_plan::stored::Kind;
use linchpin_store::{EntityChange, NewEntity, Role};
use maud::{Markup, html};
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::analysed::{Ready, analysed};
use super::item::{entity, patch_entity};
use super::layout::Page;
use super::program::{computing, item_link, nav, open};
use super::{Visitor, WebError, encode, see_other};
use crate::api::entities::write;
use crate::error::ApiError;
use crate::state::App;

type Shared = Arc<App>;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RiskQuery {
    /// `live` (default), `all`, or one status.
    pub status: Option<String>,
    /// Only risks whose owner contains this.
    pub owner: Option<String>,
    /// `exposure` (default), `likelihood`, `impact` or `id`.
    pub sort: Option<String>,
    pub saved: Option<String>,
}

pub async fn risks_page(
    State(app): State<Shared>,
    visitor: Visitor,
    Path(key): Path<String>,
    Query(query): Query<RiskQuery>,
) -> Result<Response, WebError> {
    let (_, role, loaded) = open(&app, &visitor, &key).await?;
    let program = &loaded.program;
    let status = query.status.as_deref().unwrap_or("live");
    if status != "live" && status != "all" && !RiskStatus::ALL.iter().any(|s| s.as_str() == status) {
        return Err(ApiError::BadRequest(format!("no risk status `{status}`")).into());
    }
    let sort = query.sort.as_deref().unwrap_or("exposure");
    let owner = query.owner.as_deref().map(str::trim).filter(|o| !o.is_empty()).map(str::to_lowercase);
    let mut risks: Vec<(usize, &linchpin_model::Risk)> = program
        .risks()
        .iter()
        .enumerate()
        .filter(|(_, r)| match status {
            "live" => r.status.is_live(),
            "all" => true,
            s => r.status.as_str() == s,
        })
        .filter(|(_, r)| {
            owner.as_ref().is_none_or(|o| r.owner.as_ref().is_some_and(|ro| ro.to_lowercase().contains(o.as_str())))
        })
        .collect();
    match sort {
        "exposure" => risks.sort_by_key(|(_, r)| std::cmp::Reverse((r.exposure(), r.likelihood))),
        "likelihood" => risks.sort_by_key(|(_, r)| std::cmp::Reverse((r.likelihood, r.impact))),
        "impact" => risks.sort_by_key(|(_, r)| std::cmp::Reverse((r.impact, r.likelihood))),
        "id" => risks.sort_by(|a, b| a.1.key.cmp(&b.1.key)),
        other => return Err(ApiError::BadRequest(format!("cannot sort by `{other}`")).into()),
    }
    let editor = role >= Role::Editor;
    let base = format!("/p/{}/risks", encode(&key));
    let body = html! {
        h1 { "Risks" }
        @if query.saved.is_some() { p.done role="status" { "Saved." } }
        form method="get" action=(base) {
            fieldset {
                legend { "Filter and sort" }
                div.form-row {
                    div { label for="f-status" { "Status" }
                        select id="f-status" name="status" {
                            option value="live" selected[status == "live"] { "live (not mitigated or resolved)" }
                            option value="all" selected[status == "all"] { "all" }
                            @for s in RiskStatus::ALL { option value=(s.as_str()) selected[status == s.as_str()] { (s.as_str()) } }
                        } }
                    div { label for="f-owner" { "Owner contains" }
                        input id="f-owner" name="owner" value=[query.owner.as_deref()] maxlength="200"; }
                    div { label for="f-sort" { "Sort by" }
                        select id="f-sort" name="sort" {
                            @for (v, label) in [("exposure", "exposure (likelihood × impact)"), ("likelihood", "likelihood"), ("impact", "impact"), ("id", "id")] {
                                option value=(v) selected[sort == v] { (label) }
                            }
                        } }
                    div { button type="submit" { "Show" } }
                }
            }
        }
        p { (risks.len()) " risks shown." }
        div.table-scroll { table id="risks" {
            thead { tr {
                th scope="col" { "Risk" } th scope="col" { "Likelihood" } th scope="col" { "Impact" }
                th scope="col" { "Exposure" } th scope="col" { "Status" } th scope="col" { "Owner" }
                th scope="col" { "Affects" } th scope="col" { "Mitigation" }
                @if editor { th scope="col" { "Close" } }
            } }
            tbody {
                @for (n, r) in &risks {
                    tr data-risk=(r.key) {
                        th scope="row" { (r.key) ": " (r.title) }
                        td { (r.likelihood) } td { (r.impact) } td { (r.exposure()) }
                        td { (r.status.as_str()) }
                        td { @if let Some(o) = &r.owner { (o) } @else { "—" } }
                        td { @for (i, item) in r.affects_items.iter().enumerate() { @if i > 0 { ", " } (item_link(&key, &program.item(*item).key)) }
                             @for m in &r.affects_milestones { " " (program.milestone(*m).key) } }
                        td { @if let Some(m) = &r.mitigation { (m) } @else { "—" } }
                        @if editor {
                            td { @if r.status.is_live() { (close_form(&visitor, &base, &loaded, *n, &r.key)) } }
                        }
                    }
                }
            }
        } }
        @if editor { (add_risk_form(&visitor, &base)) }
    };
    Ok(Page {
        title: "Risks".into(),
        visitor: Some(&visitor),
        program: Some(nav(&loaded, "risks")),
        body,
        computing: false,
    }
    .into_response())
}

fn close_form(visitor: &Visitor, base: &str, loaded: &crate::state::Loaded, n: usize, key: &str) -> Markup {
    let version = entity(loaded, Kind::Risk, key).map(|e| e.version).unwrap_or_default();
    html! {
        form method="post" action={ (base) "/" (encode(key)) "/close" } {
            input type="hidden" name="csrf" value=(visitor.csrf);
            input type="hidden" name="version" value=(version);
            label for={ "close-" (n) } { "Close " (key) " as" }
            select id={ "close-" (n) } name="status" {
                option value="mitigated" { "mitigated" } option value="resolved" { "resolved" }
            }
            " " button type="submit" { "Close" }
        }
    }
}

fn add_risk_form(visitor: &Visitor, base: &str) -> Markup {
    html! {
        form method="post" action=(base) {
            input type="hidden" name="csrf" value=(visitor.csrf);
            fieldset {
                legend { "Add a risk" }
                div.form-row {
                    div { label for="risk-id" { "Id" } input id="risk-id" name="id" required maxlength="64" size="8" placeholder="R20"; }
                    div { label for="risk-title" { "What could happen" } input id="risk-title" name="title" required maxlength="500" size="50"; }
                }
                div.form-row {
                    div { label for="risk-likelihood" { "Likelihood (1 to 5)" }
                        input type="number" id="risk-likelihood" name="likelihood" min="1" max="5" required value="3"; }
                    div { label for="risk-impact" { "Impact (1 to 5)" }
                        input type="number" id="risk-impact" name="impact" min="1" max="5" required value="3"; }
                    div { label for="risk-owner" { "Owner" } input id="risk-owner" name="owner" maxlength="200"; }
                }
                label for="risk-mitigation" { "Mitigation" }
                input id="risk-mitigation" name="mitigation" maxlength="2000" size="70";
                label for="risk-affects" { "Affects (item or milestone ids, separated by commas)" }
                input id="risk-affects" name="affects" maxlength="2000" size="50";
                p { button.primary type="submit" { "Add the risk" } }
            }
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RiskForm {
    pub csrf: String,
    pub id: String,
    pub title: String,
    pub likelihood: String,
    pub impact: String,
    #[serde(default)]
    pub owner: String,
    #[serde(default)]
    pub mitigation: String,
    #[serde(default)]
    pub affects: String,
}

fn number_or_text(text: &str) -> Value {
    match text.trim().parse::<i64>() {
        Ok(n) => json!(n),
        Err(_) => json!(text.trim()),
    }
}

pub async fn add_risk(
    State(app): State<Shared>,
    visitor: Visitor,
    Path(key): Path<String>,
    axum::Form(form): axum::Form<RiskForm>,
) -> Result<Response, WebError> {
    visitor.check_csrf(&form.csrf)?;
    let mut body = Map::new();
    body.insert("id".into(), json!(form.id.trim()));
    body.insert("title".into(), json!(form.title.trim()));
    body.insert("likelihood".into(), number_or_text(&form.likelihood));
    body.insert("impact".into(), number_or_text(&form.impact));
    body.insert("status".into(), json!(if form.owner.trim().is_empty() { "open" } else { "owned" }));
    for (name, value) in [("owner", &form.owner), ("mitigation", &form.mitigation)] {
        if !value.trim().is_empty() {
            body.insert(name.into(), json!(value.trim()));
        }
    }
    let affects: Vec<&str> = form.affects.split(',').map(str::trim).filter(|s| !s.is_empty()).collect();
    if !affects.is_empty() {
        body.insert("affects".into(), json!(affects));
    }
    create(&app, &visitor, &key, Kind::Risk, Value::Object(body)).await?;
    Ok(see_other(&format!("/p/{}/risks?saved=1", encode(&key))))
}

/// Adds an entity with an id, refused when one with that id exists.
async fn create(app: &App, visitor: &Visitor, program: &str, kind: Kind, body: Value) -> Result<(), WebError> {
    let id = linchpin_plan::stored::key_of(kind, &body);
    write(app, &visitor.caller, program, |loaded| {
        if loaded.entities.iter().any(|e| e.kind == kind.as_str() && e.key == id) {
            return Err(ApiError::Conflict {
                message: format!("a {} `{id}` already exists; choose another id", kind.as_str()),
                current: None,
                changes: Vec::new(),
            });
        }
        Ok(vec![EntityChange::Create(NewEntity { kind: kind.as_str().into(), key: id.clone(), body: body.clone() })])
    })
    .await?;
    Ok(())
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CloseForm {
    pub csrf: String,
    pub version: i64,
    pub status: String,
}

pub async fn close_risk(
    State(app): State<Shared>,
    visitor: Visitor,
    Path((key, risk)): Path<(String, String)>,
    axum::Form(form): axum::Form<CloseForm>,
) -> Result<Response, WebError> {
    visitor.check_csrf(&form.csrf)?;
    if !matches!(form.status.as_str(), "mitigated" | "resolved") {
        return Err(ApiError::BadRequest("a risk is closed as mitigated or resolved".into()).into());
    }
    patch_entity(&app, &visitor, &key, Kind::Risk, &risk, form.version, json!({ "status": form.status })).await?;
    Ok(see_other(&format!("/p/{}/risks?saved=1", encode(&key))))
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionQuery {
    /// `open` (default), `all`, or one status.
    pub status: Option<String>,
    /// `needed` (default: the date it must be made by), `due` or `id`.
    pub sort: Option<String>,
    pub saved: Option<String>,
}

pub async fn decisions_page(
    State(app): State<Shared>,
    visitor: Visitor,
    Path(key): Path<String>,
    Query(query): Query<DecisionQuery>,
) -> Result<Response, WebError> {
    let (_, role, loaded) = open(&app, &visitor, &key).await?;
    let a = match analysed(&app, loaded.clone(), super::analysed::PATIENCE).await? {
        Ready::Done(a) => a,
        Ready::Computing => return Ok(computing(&visitor, &loaded, "decisions", "Decisions")),
    };
    let program = &a.loaded.program;
    let status = query.status.as_deref().unwrap_or("open");
    if status != "all" && !DecisionStatus::ALL.iter().any(|s| s.as_str() == status) {
        return Err(ApiError::BadRequest(format!("no decision status `{status}`")).into());
    }
    let sort = query.sort.as_deref().unwrap_or("needed");
    let needed = |d: DecisionId| a.findings.report.decisions.iter().find(|n| n.decision == d);
    let mut decisions: Vec<DecisionId> = (0..program.decisions().len())
        .map(DecisionId::new)
        .filter(|&d| status == "all" || program.decision(d).status.as_str() == status)
        .collect();
    match sort {
        "needed" => decisions
            .sort_by_key(|&d| (needed(d).and_then(|n| n.needed_by).is_none(), needed(d).and_then(|n| n.needed_by))),
        "due" => decisions.sort_by_key(|&d| (program.decision(d).due.is_none(), program.decision(d).due)),
        "id" => decisions.sort_by(|x, y| program.decision(*x).key.cmp(&program.decision(*y).key)),
        other => return Err(ApiError::BadRequest(format!("cannot sort by `{other}`")).into()),
    }
    let editor = role >= Role::Editor;
    let base = format!("/p/{}/decisions", encode(&key));
    let default_date = program.status_date().unwrap_or_else(|| chrono::Utc::now().date_naive());
    let body = html! {
        h1 { "Decisions" }
        @if query.saved.is_some() { p.done role="status" { "Saved." } }
        form method="get" action=(base) {
            fieldset {
                legend { "Filter and sort" }
                div.form-row {
                    div { label for="f-status" { "Status" }
                        select id="f-status" name="status" {
                            @for s in DecisionStatus::ALL { option value=(s.as_str()) selected[status == s.as_str()] { (s.as_str()) } }
                            option value="all" selected[status == "all"] { "all" }
                        } }
                    div { label for="f-sort" { "Sort by" }
                        select id="f-sort" name="sort" {
                            @for (v, label) in [("needed", "needed by (from the schedule)"), ("due", "due date set"), ("id", "id")] {
                                option value=(v) selected[sort == v] { (label) }
                            }
                        } }
                    div { button type="submit" { "Show" } }
                }
            }
        }
        div.table-scroll { table id="decisions" {
            thead { tr {
                th scope="col" { "Decision" } th scope="col" { "Status" } th scope="col" { "Options" }
                th scope="col" { "Chosen" } th scope="col" { "Due" } th scope="col" { "Needed by" }
                th scope="col" { "Blocks" } th scope="col" { "Driver" }
            } }
            tbody {
                @for d in &decisions {
                    @let decision = program.decision(*d);
                    tr data-decision=(decision.key) {
                        th scope="row" { (decision.key) ": " (decision.question) }
                        td { (decision.status.as_str()) }
                        td { @for (i, o) in decision.options.iter().enumerate() { @if i > 0 { ", " } (o.key) } }
                        td { @match decision.chosen { Some(c) => { (decision.options[c].key)
                                @if let Some(r) = &decision.rationale { ": " (r) } }
                             None => "—" } }
                        td.word { @match decision.due { Some(d) => (d), None => "—" } }
                        td.word { @match needed(*d).and_then(|n| n.needed_by) { Some(n) => (n), None => "—" } }
                        td { @for (i, item) in decision.blocks.iter().enumerate() { @if i > 0 { ", " } (item_link(&key, &program.item(*item).key)) } }
                        td { @if let Some(x) = &decision.driver { (x) } @else { "—" } }
                    }
                }
            }
        } }
        @if editor {
            @for d in decisions.iter().filter(|d| program.decision(**d).status == DecisionStatus::Open) {
                (decide_form(&visitor, &base, &a.loaded, *d, default_date))
            }
            (new_decision_form(&visitor, &base, default_date))
        }
    };
    Ok(Page {
        title: "Decisions".into(),
        visitor: Some(&visitor),
        program: Some(nav(&loaded, "decisions")),
        body,
        computing: false,
    }
    .into_response())
}

fn decide_form(
    visitor: &Visitor,
    base: &str,
    loaded: &crate::state::Loaded,
    d: DecisionId,
    date: chrono::NaiveDate,
) -> Markup {
    let decision = loaded.program.decision(d);
    let version = entity(loaded, Kind::Decision, &decision.key).map(|e| e.version).unwrap_or_default();
    let n = d.index();
    html! {
        form method="post" action=(base) {
            input type="hidden" name="csrf" value=(visitor.csrf);
            input type="hidden" name="version" value=(version);
            input type="hidden" name="id" value=(decision.key);
            fieldset {
                legend { "Record decision " (decision.key) ": " (decision.question) }
                div.form-row {
                    div { label for={ "chosen-" (n) } { "Chosen option" }
                        select id={ "chosen-" (n) } name="chosen" required {
                            option value="" { "choose one" }
                            @for o in &decision.options {
                                option value=(o.key) { (o.key) @if let Some(desc) = &o.description { ": " (desc) } }
                            }
                        } }
                    div { label for={ "date-" (n) } { "Decided on" }
                        input type="date" id={ "date-" (n) } name="date" value=(date) required; }
                }
                label for={ "rationale-" (n) } { "Rationale" }
                input id={ "rationale-" (n) } name="rationale" maxlength="2000" size="70";
                p { button.primary type="submit" { "Record the decision" } }
            }
        }
    }
}

fn new_decision_form(visitor: &Visitor, base: &str, date: chrono::NaiveDate) -> Markup {
    html! {
        form method="post" action=(base) {
            input type="hidden" name="csrf" value=(visitor.csrf);
            fieldset {
                legend { "A new decision" }
                div.form-row {
                    div { label for="new-id" { "Id" } input id="new-id" name="id" required maxlength="64" size="8" placeholder="D9"; }
                    div { label for="new-question" { "Question" } input id="new-question" name="question" required maxlength="500" size="50"; }
                }
                label for="new-options" { "Options, one a line: id, a colon, what it means" }
                textarea id="new-options" name="options" rows="3" cols="60" required maxlength="4000" placeholder="keep: keep the current design\nrewrite: rewrite the service" {}
                div.form-row {
                    div { label for="new-chosen" { "Chosen option id (empty while open)" } input id="new-chosen" name="chosen" maxlength="64" size="12"; }
                    div { label for="new-date" { "Decided on" } input type="date" id="new-date" name="date" value=(date); }
                    div { label for="new-due" { "Due (while open)" } input type="date" id="new-due" name="due"; }
                }
                label for="new-rationale" { "Rationale" }
                input id="new-rationale" name="rationale" maxlength="2000" size="70";
                p { button.primary type="submit" { "Record the decision" } }
            }
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionForm {
    pub csrf: String,
    /// Present when deciding an existing decision.
    pub version: Option<i64>,
    pub id: String,
    #[serde(default)]
    pub question: String,
    #[serde(default)]
    pub options: String,
    #[serde(default)]
    pub chosen: String,
    #[serde(default)]
    pub date: String,
    #[serde(default)]
    pub due: String,
    #[serde(default)]
    pub rationale: String,
}

/// Records a decision: an open one decided (its chosen option, date and
/// rationale), or a new one with its options (decided when one is chosen).
pub async fn record_decision(
    State(app): State<Shared>,
    visitor: Visitor,
    Path(key): Path<String>,
    axum::Form(form): axum::Form<DecisionForm>,
) -> Result<Response, WebError> {
    visitor.check_csrf(&form.csrf)?;
    let chosen = form.chosen.trim();
    let mut decided = Map::new();
    if !chosen.is_empty() {
        decided.insert("status".into(), json!("decided"));
        decided.insert("chosen".into(), json!(chosen));
        if !form.date.trim().is_empty() {
            decided.insert("date".into(), json!(form.date.trim()));
        }
        if !form.rationale.trim().is_empty() {
            decided.insert("rationale".into(), json!(form.rationale.trim()));
        }
    }
    match form.version {
        Some(version) => {
            if chosen.is_empty() {
                return Err(ApiError::BadRequest("choose the option decided on".into()).into());
            }
            patch_entity(&app, &visitor, &key, Kind::Decision, form.id.trim(), version, Value::Object(decided)).await?;
        }
        None => {
            let mut body = Map::new();
            body.insert("id".into(), json!(form.id.trim()));
            body.insert("question".into(), json!(form.question.trim()));
            let options = parse_options(&form.options)?;
            body.insert("options".into(), Value::Array(options));
            if chosen.is_empty() {
                body.insert("status".into(), json!("open"));
                if !form.due.trim().is_empty() {
                    body.insert("due".into(), json!(form.due.trim()));
                }
            }
            body.extend(decided);
            create(&app, &visitor, &key, Kind::Decision, Value::Object(body)).await?;
        }
    }
    Ok(see_other(&format!("/p/{}/decisions?saved=1&status=all", encode(&key))))
}

/// `id: description` lines as the plan's options.
fn parse_options(text: &str) -> Result<Vec<Value>, ApiError> {
    let options: Vec<Value> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|line| match line.split_once(':') {
            Some((id, description)) if !description.trim().is_empty() => {
                json!({ "id": id.trim(), "description": description.trim() })
            }
            Some((id, _)) => json!({ "id": id.trim() }),
            None => json!({ "id": line }),
        })
        .collect();
    if options.len() < 2 {
        return Err(ApiError::BadRequest("a decision needs at least two options, one a line".into()));
    }
    Ok(options)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_are_read_one_a_line() {
        let options = parse_options("keep: keep it\n\n rewrite :rewrite it\nthird").expect("three");
        assert_eq!(
            options,
            vec![
                json!({"id": "keep", "description": "keep it"}),
                json!({"id": "rewrite", "description": "rewrite it"}),
                json!({"id": "third"})
            ]
        );
        assert!(parse_options("only: one").is_err());
    }
}
