//! One work item: everything about it, its dependencies up and down with
//! their dates and slack, its history from the audit trail, and for
//! editors one form that updates its status, remaining estimate and
//! actual dates (and, in the same change, a note for the status history),
//! and forms to raise and clear a blocker.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::response::Response;
use linchpin_model::{ItemId, ItemStatus};
use linchpin_plan::stored::Kind;
use linchpin_store::{EntityChange, EntityRow, History, NewEntity, Role, Store};
use maud::{Markup, html};
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::analysed::{Ready, analysed};
use super::layout::Page;
use super::program::{computing, item_link, nav, open, team_link};
use super::{Visitor, WebError, encode, see_other};
use crate::api::entities::write;
use crate::error::ApiError;
use crate::state::App;

type Shared = Arc<App>;

/// An entity of the program as stored (its document and version), or not found.
pub(crate) use crate::api::entities::find as entity;

/// Changes some fields of one entity (a JSON merge patch of its document),
/// refused when it moved past `version`: the API's own write, for a form.
pub async fn patch_entity(
    app: &App,
    visitor: &Visitor,
    program: &str,
    kind: Kind,
    key: &str,
    version: i64,
    patch: Value,
) -> Result<(), WebError> {
    write(app, &visitor.caller, program, |loaded| {
        let e = entity(loaded, kind, key)?;
        stale(e, version)?;
        let mut body = e.body.clone();
        crate::api::entities::merge_patch(&mut body, &patch);
        Ok(vec![EntityChange::Update { id: e.id.clone(), version, key: e.key.clone(), body }])
    })
    .await?;
    Ok(())
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Saved {
    pub saved: Option<String>,
}

pub async fn item_page(
    State(app): State<Shared>,
    visitor: Visitor,
    Path((key, item_key)): Path<(String, String)>,
    Query(saved): Query<Saved>,
) -> Result<Response, WebError> {
    let (_, role, loaded) = open(&app, &visitor, &key).await?;
    let id = loaded.program.keys().items.get(item_key.as_str()).copied().ok_or(ApiError::NotFound)?;
    let row = entity(&loaded, Kind::Item, &item_key)?.clone();
    let title = format!("{}: {}", item_key, loaded.program.item(id).title);
    let a = match analysed(&app, loaded.clone(), super::analysed::PATIENCE).await? {
        Ready::Done(a) => a,
        Ready::Computing => return Ok(computing(&visitor, &loaded, "item", &title)),
    };
    let history = app.store.history(History::Entity(row.id.clone())).await?;
    let program = &a.loaded.program;
    let roadmap = &a.findings.roadmap;
    let item = program.item(id);
    let s = roadmap.item(id);
    let editor = role >= Role::Editor;
    let successors: Vec<ItemId> = (0..program.items().len())
        .map(ItemId::new)
        .filter(|&j| program.item(j).depends.iter().any(|d| d.on == id))
        .collect();
    let blockers: Vec<(usize, &linchpin_model::Blocker)> =
        program.blockers().iter().enumerate().filter(|(_, b)| b.item == id).collect();
    let blocker_rows: Vec<&EntityRow> =
        loaded.entities.iter().map(|e| &**e).filter(|e| e.kind == Kind::Blocker.as_str()).collect();
    let base = format!("/p/{}/items/{}", encode(&key), encode(&item_key));
    let default_date = program.status_date().unwrap_or_else(|| chrono::Utc::now().date_naive());
    let dep_row = |other: ItemId| -> Markup {
        let o = program.item(other);
        let os = roadmap.item(other);
        html! { tr {
            th scope="row" { (item_link(&key, &o.key)) }
            td { (o.title) }
            td { (team_link(&key, &program.team(o.team).key, &program.team(o.team).name)) }
            td { (o.status.as_str().replace('_', " ")) }
            td.word { (roadmap.start_date(other)) }
            td.word { (roadmap.finish_date(other)) }
            td.word { @if o.status == ItemStatus::Done { "done" } @else { (format!("{:.1}", os.least_slack())) } }
        } }
    };
    let dep_head = html! { thead { tr {
        th scope="col" { "Item" } th scope="col" { "Title" } th scope="col" { "Team" } th scope="col" { "Status" }
        th scope="col" { "Start" } th scope="col" { "Finish" } th scope="col" { "Slack" }
    } } };
    let body = html! {
        h1 { (title) }
        @if saved.saved.is_some() { p.done role="status" { "Saved. The schedule and forecast below are recomputed from the new version." } }
        dl.facts {
            dt { "Team" } dd { (team_link(&key, &program.team(item.team).key, &program.team(item.team).name)) }
            @if let Some(owner) = &item.owner { dt { "Owner" } dd { (owner) } }
            dt { "Status" } dd { (item.status.as_str().replace('_', " ")) }
            @if let Some(e) = &item.estimate {
                dt { "Estimate (working days)" } dd { (e.optimistic) " / " (e.likely) " / " (e.pessimistic) " (optimistic / likely / pessimistic)" }
            }
            @if let Some(r) = item.remaining { dt { "Remaining (working days)" } dd { (r) } }
            @if let Some(d) = item.actual_start { dt { "Started" } dd { (d) } }
            @if let Some(d) = item.actual_finish { dt { "Finished" } dd { (d) } }
            dt { "Roadmap" } dd { (roadmap.start_date(id)) " to " (roadmap.finish_date(id)) }
            dt { "Slack" } dd {
                (format!("{:.1}", s.total_slack)) " working days to the end"
                @for (m, slack) in &s.milestone_slack { ", " (format!("{slack:.1}")) " to " (program.milestone(*m).key) }
                @if s.critical { " · on the critical path" }
                @if s.slack_estimated { " (estimated)" }
            }
            @if let Some(d) = item.deadline { dt { "Deadline" } dd { (d) } }
        }
        section aria-labelledby="upstream" {
            h2 id="upstream" { "Waits on" }
            @if item.depends.is_empty() { p { "Nothing." } } @else {
                div.table-scroll { table { (dep_head) tbody { @for d in &item.depends { (dep_row(d.on)) } } } }
            }
        }
        section aria-labelledby="downstream" {
            h2 id="downstream" { "Waited on by" }
            @if successors.is_empty() { p { "Nothing." } } @else {
                div.table-scroll { table { (dep_head) tbody { @for j in &successors { (dep_row(*j)) } } } }
            }
        }
        section aria-labelledby="blockers-heading" {
            h2 id="blockers-heading" { "Blockers" }
            @if blockers.is_empty() { p { "None raised." } }
            ul {
                @for (n, b) in &blockers {
                    li {
                        (b.description) " (raised " (b.raised)
                        @if let Some(o) = &b.owner { ", owner " (o) }
                        @if let Some(e) = &b.escalated_to { ", escalated to " (e) }
                        @if let Some(r) = b.resolved { ", cleared " (r) }
                        ")"
                        @if editor && b.resolved.is_none() {
                            @if let Some(row) = blocker_rows.get(*n) {
                                form.inline method="post" action={ (base) "/blockers/" (encode(&row.key)) "/clear" } {
                                    input type="hidden" name="csrf" value=(visitor.csrf);
                                    input type="hidden" name="version" value=(row.version);
                                    " "
                                    label.inline for={ "cleared-" (n) } { "Cleared on" }
                                    input type="date" id={ "cleared-" (n) } name="date" value=(default_date) required;
                                    " " button type="submit" { "Clear the blocker" }
                                }
                            }
                        }
                    }
                }
            }
            @if editor {
                form method="post" action={ (base) "/blockers" } {
                    input type="hidden" name="csrf" value=(visitor.csrf);
                    fieldset {
                        legend { "Raise a blocker" }
                        label for="blocker-description" { "What blocks it" }
                        textarea id="blocker-description" name="description" rows="2" cols="60" maxlength="2000" required {}
                        div.form-row {
                            div { label for="blocker-owner" { "Owner (who clears it)" }
                                input id="blocker-owner" name="owner" maxlength="200"; }
                            div { label for="blocker-raised" { "Raised on" }
                                input type="date" id="blocker-raised" name="raised" value=(default_date) required; }
                        }
                        p { button type="submit" { "Raise the blocker" } }
                    }
                }
            }
        }
        @if editor { (update_form(&visitor, &base, &row, item, default_date)) }
        section aria-labelledby="history-heading" {
            h2 id="history-heading" { "History" }
            @if history.is_empty() { p { "No changes on this server yet (it came with the plan as pushed)." } }
            div.table-scroll { table {
                thead { tr { th scope="col" { "When (UTC)" } th scope="col" { "Who" } th scope="col" { "What" } th scope="col" { "Changed" } } }
                tbody {
                    @for h in history.iter().rev() {
                        tr {
                            td.word { (h.at.format("%Y-%m-%d %H:%M")) }
                            td { (h.actor) }
                            td { (h.action) " (program version " (h.program_version) ")" }
                            td { (changed_fields(h.before.as_ref(), h.after.as_ref())) }
                        }
                    }
                }
            } }
        }
    };
    Ok(Page { title, visitor: Some(&visitor), program: Some(nav(&loaded, "item")), body, computing: false }
        .into_response())
}

fn update_form(
    visitor: &Visitor,
    base: &str,
    row: &EntityRow,
    item: &linchpin_model::WorkItem,
    default_date: chrono::NaiveDate,
) -> Markup {
    let value = |field: &str| {
        row.body.get(field).and_then(|v| v.as_str().map(str::to_owned).or_else(|| v.as_f64().map(|n| n.to_string())))
    };
    html! {
        form method="post" action=(base) {
            input type="hidden" name="csrf" value=(visitor.csrf);
            input type="hidden" name="version" value=(row.version);
            fieldset {
                legend { "Update the item" }
                div.form-row {
                    div {
                        label for="status" { "Status" }
                        select id="status" name="status" {
                            @for s in ItemStatus::ALL {
                                option value=(s.as_str()) selected[s == item.status] { (s.as_str().replace('_', " ")) }
                            }
                        }
                    }
                    div {
                        label for="remaining" { "Remaining (working days)" }
                        input id="remaining" name="remaining" inputmode="decimal" size="8" value=[value("remaining")];
                    }
                    div {
                        label for="actual_start" { "Started on" }
                        input type="date" id="actual_start" name="actual_start" value=[value("actual_start")];
                    }
                    div {
                        label for="actual_finish" { "Finished on" }
                        input type="date" id="actual_finish" name="actual_finish" value=[value("actual_finish")];
                    }
                }
                p.hint { "Leave a field empty to clear it. Remaining work replaces the estimate for the forecast once the item has started." }
                div.form-row {
                    div {
                        label for="health" { "Status update (optional)" }
                        select id="health" name="health" {
                            option value="" { "no update" }
                            option value="green" { "green" } option value="amber" { "amber" } option value="red" { "red" }
                        }
                    }
                    div {
                        label for="note" { "Note for the status history" }
                        input id="note" name="note" size="50" maxlength="2000";
                    }
                    div {
                        label for="update_date" { "Dated" }
                        input type="date" id="update_date" name="update_date" value=(default_date);
                    }
                }
                p { button.primary type="submit" { "Save" } }
            }
        }
    }
}

/// The top-level fields an audit row's change touched.
fn changed_fields(before: Option<&Value>, after: Option<&Value>) -> String {
    let empty = Map::new();
    let b = before.and_then(Value::as_object).unwrap_or(&empty);
    let a = after.and_then(Value::as_object).unwrap_or(&empty);
    let mut fields: Vec<String> = Vec::new();
    for (k, v) in a {
        match b.get(k) {
            Some(old) if old == v => {}
            Some(old) => fields.push(format!("{k}: {} → {}", short(old), short(v))),
            None => fields.push(format!("{k}: {}", short(v))),
        }
    }
    for k in b.keys().filter(|k| !a.contains_key(*k)) {
        fields.push(format!("{k} removed"));
    }
    if fields.is_empty() { "—".to_owned() } else { fields.join("; ") }
}

fn short(v: &Value) -> String {
    let s = match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    if s.chars().count() > 60 { format!("{}…", s.chars().take(60).collect::<String>()) } else { s }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UpdateForm {
    pub csrf: String,
    pub version: i64,
    pub status: String,
    #[serde(default)]
    pub remaining: String,
    #[serde(default)]
    pub actual_start: String,
    #[serde(default)]
    pub actual_finish: String,
    #[serde(default)]
    pub health: String,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub update_date: String,
}

/// A form's text as a JSON value: empty clears the field, a number is a
/// number, anything else text for the resolver to judge.
fn field(text: &str) -> Value {
    let text = text.trim();
    if text.is_empty() {
        Value::Null
    } else if let Ok(n) = text.parse::<f64>()
        && n.is_finite()
    {
        json!(n)
    } else {
        json!(text)
    }
}

fn date_field(text: &str) -> Value {
    match text.trim() {
        "" => Value::Null,
        t => json!(t),
    }
}

/// Saves the item form: one change of the item (and, with a health, a
/// status update), checked by the resolver against the version read.
pub async fn update_item(
    State(app): State<Shared>,
    visitor: Visitor,
    Path((key, item_key)): Path<(String, String)>,
    axum::Form(form): axum::Form<UpdateForm>,
) -> Result<Response, WebError> {
    visitor.check_csrf(&form.csrf)?;
    if !ItemStatus::ALL.iter().any(|s| s.as_str() == form.status) {
        return Err(ApiError::BadRequest(format!("`{}` is not a status", form.status)).into());
    }
    let mut patch = Map::new();
    patch.insert("status".into(), json!(form.status));
    patch.insert("remaining".into(), field(&form.remaining));
    patch.insert("actual_start".into(), date_field(&form.actual_start));
    patch.insert("actual_finish".into(), date_field(&form.actual_finish));
    let patch = Value::Object(patch);
    let update = match form.health.as_str() {
        "" => None,
        "green" | "amber" | "red" => {
            let mut body = Map::new();
            body.insert("date".into(), date_field(&form.update_date));
            body.insert("item".into(), json!(item_key));
            body.insert("health".into(), json!(form.health));
            let user = &visitor.caller.user;
            let author = if user.display_name.trim().is_empty() { &user.name } else { &user.display_name };
            body.insert("author".into(), json!(author));
            if !form.note.trim().is_empty() {
                body.insert("note".into(), json!(form.note.trim()));
            }
            Some(Value::Object(body))
        }
        other => return Err(ApiError::BadRequest(format!("`{other}` is not a health")).into()),
    };
    write(&app, &visitor.caller, &key, |loaded| {
        let entity = entity(loaded, Kind::Item, &item_key)?;
        stale(entity, form.version)?;
        let mut body = entity.body.clone();
        crate::api::entities::merge_patch(&mut body, &patch);
        let mut changes =
            vec![EntityChange::Update { id: entity.id.clone(), version: form.version, key: entity.key.clone(), body }];
        if let Some(update) = &update {
            let base = linchpin_plan::stored::key_of(Kind::Update, update);
            let key = linchpin_plan::stored::unique_key(base, |k| {
                loaded.entities.iter().any(|e| e.kind == Kind::Update.as_str() && e.key == k)
            });
            changes.push(EntityChange::Create(NewEntity {
                kind: Kind::Update.as_str().into(),
                key,
                body: update.clone(),
            }));
        }
        Ok(changes)
    })
    .await?;
    Ok(see_other(&format!("/p/{}/items/{}?saved=1", encode(&key), encode(&item_key))))
}

/// Refuses a form filled in against a version the entity has moved past.
pub fn stale(entity: &EntityRow, version: i64) -> Result<(), ApiError> {
    if entity.version == version {
        return Ok(());
    }
    Err(ApiError::Conflict {
        message: format!(
            "{} `{}` changed since this form was loaded (it is at version {}, the form at {version})",
            entity.kind, entity.key, entity.version
        ),
        current: Some(entity.version),
        changes: Vec::new(),
    })
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BlockerForm {
    pub csrf: String,
    pub description: String,
    #[serde(default)]
    pub owner: String,
    pub raised: String,
}

pub async fn raise_blocker(
    State(app): State<Shared>,
    visitor: Visitor,
    Path((key, item_key)): Path<(String, String)>,
    axum::Form(form): axum::Form<BlockerForm>,
) -> Result<Response, WebError> {
    visitor.check_csrf(&form.csrf)?;
    let mut body = Map::new();
    body.insert("item".into(), json!(item_key));
    body.insert("description".into(), json!(form.description.trim()));
    body.insert("raised".into(), date_field(&form.raised));
    if !form.owner.trim().is_empty() {
        body.insert("owner".into(), json!(form.owner.trim()));
    }
    let body = Value::Object(body);
    write(&app, &visitor.caller, &key, |loaded| {
        entity(loaded, Kind::Item, &item_key)?;
        let base = linchpin_plan::stored::key_of(Kind::Blocker, &body);
        let key = linchpin_plan::stored::unique_key(base, |k| {
            loaded.entities.iter().any(|e| e.kind == Kind::Blocker.as_str() && e.key == k)
        });
        Ok(vec![EntityChange::Create(NewEntity { kind: Kind::Blocker.as_str().into(), key, body: body.clone() })])
    })
    .await?;
    Ok(see_other(&format!("/p/{}/items/{}?saved=1", encode(&key), encode(&item_key))))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClearForm {
    pub csrf: String,
    pub version: i64,
    pub date: String,
}

pub async fn clear_blocker(
    State(app): State<Shared>,
    visitor: Visitor,
    Path((key, item_key, blocker)): Path<(String, String, String)>,
    axum::Form(form): axum::Form<ClearForm>,
) -> Result<Response, WebError> {
    visitor.check_csrf(&form.csrf)?;
    let patch = json!({ "resolved": date_field(&form.date) });
    patch_entity(&app, &visitor, &key, Kind::Blocker, &blocker, form.version, patch).await?;
    Ok(see_other(&format!("/p/{}/items/{}?saved=1", encode(&key), encode(&item_key))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_text_becomes_plan_values() {
        assert_eq!(field(""), Value::Null);
        assert_eq!(field(" 3.5 "), json!(3.5));
        assert_eq!(field("three"), json!("three"));
        assert_eq!(field("NaN"), json!("NaN"));
        assert_eq!(
            changed_fields(Some(&json!({"a": 1, "b": 2})), Some(&json!({"a": 1, "b": 3, "c": "x"}))),
            "b: 2 → 3; c: x"
        );
        assert_eq!(changed_fields(Some(&json!({"a": 1})), Some(&json!({}))), "a removed");
    }
}
