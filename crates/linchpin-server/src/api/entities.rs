//! A program's entities (teams, items, milestones, risks, decisions,
//! blockers, status updates…), each the plan document a plan file would
//! hold, read and changed one at a time. Every change is checked by
//! resolving the whole program as it would be, with the plan files' own
//! rules; one that would make it invalid is refused with the problems
//! `linchpin check` would print (422).

use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use linchpin_plan::stored::Kind;
use linchpin_store::{EntityChange, EntityRow, History, NewEntity, ProgramRow, Role, Store, StoreError};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};

use super::{AuditOut, HistoryPage, Page, Shared, base_version, etag, visible};
use crate::auth::Caller;
use crate::error::{ApiError, ApiJson, ApiPath, ApiQuery};
use crate::state::{App, Loaded, resolve_with};

/// How many times a write is tried again when another write to the same
/// program landed between its read and its commit.
const WRITE_TRIES: usize = 64;

/// One entity.
#[derive(Debug, Serialize, ToSchema)]
pub struct EntityOut {
    /// Stable for the entity's life, whatever its key becomes.
    pub id: String,
    /// `item`, `team`, `risk`…
    pub kind: String,
    /// The id a user types, e.g. `PAY-12`.
    pub key: String,
    /// Send it back to change the entity.
    pub version: i64,
    /// The plan document, as the plan format describes it (docs/plan-format.md).
    #[schema(value_type = Object)]
    pub body: Value,
}

impl From<&EntityRow> for EntityOut {
    fn from(e: &EntityRow) -> Self {
        EntityOut {
            id: e.id.clone(),
            kind: e.kind.clone(),
            key: e.key.clone(),
            version: e.version,
            body: e.body.clone(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EntityPage {
    pub entities: Vec<EntityOut>,
    /// The cursor of the next page, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
}

/// A change to an entity: a JSON merge patch (RFC 7396) of its document.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PatchIn {
    /// The version read (or send `If-Match`).
    pub version: Option<i64>,
    /// Fields to set; `null` removes one.
    #[schema(value_type = Object)]
    pub patch: Value,
}

/// An entity's whole new document.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReplaceIn {
    /// The version read (or send `If-Match`).
    pub version: Option<i64>,
    #[schema(value_type = Object)]
    pub body: Value,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct VersionQuery {
    /// The version read (or send `If-Match`).
    pub version: Option<i64>,
}

/// The collections of a program, by their plan-file section names.
#[derive(Debug, Deserialize, Serialize, ToSchema, Clone, Copy)]
#[serde(rename_all = "snake_case")]
pub enum Collection {
    Teams,
    Items,
    Groups,
    Milestones,
    Systems,
    Interfaces,
    Risks,
    Decisions,
    Blockers,
    Updates,
    Stakeholders,
    People,
    Additions,
}

impl Collection {
    pub fn kind(self) -> Kind {
        match self {
            Collection::Teams => Kind::Team,
            Collection::Items => Kind::Item,
            Collection::Groups => Kind::Group,
            Collection::Milestones => Kind::Milestone,
            Collection::Systems => Kind::System,
            Collection::Interfaces => Kind::Interface,
            Collection::Risks => Kind::Risk,
            Collection::Decisions => Kind::Decision,
            Collection::Blockers => Kind::Blocker,
            Collection::Updates => Kind::Update,
            Collection::Stakeholders => Kind::Stakeholder,
            Collection::People => Kind::Person,
            Collection::Additions => Kind::Addition,
        }
    }
}

/// The plan sections there is one of.
#[derive(Debug, Deserialize, Serialize, ToSchema, Clone, Copy)]
#[serde(rename_all = "snake_case")]
pub enum Section {
    /// Name, goal, start, status date, calendar.
    Program,
    /// Thresholds and accepted findings.
    Findings,
    /// The committed dates.
    Baseline,
}

impl Section {
    pub fn kind(self) -> Kind {
        match self {
            Section::Program => Kind::Program,
            Section::Findings => Kind::Findings,
            Section::Baseline => Kind::Baseline,
        }
    }
}

/// A section there is one of (`program`: its name, start and status date).
#[utoipa::path(get, path = "/api/v1/programs/{program}/sections/{section}", tag = "entities",
    params(("program" = String, Path), ("section" = Section, Path)),
    responses((status = 200, body = EntityOut), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get_section(
    State(app): State<Shared>,
    caller: Caller,
    ApiPath((program, section)): ApiPath<(String, Section)>,
) -> Result<Response, ApiError> {
    let loaded = read(&app, &caller, &program).await?;
    let entity = of_kind(&loaded, section.kind()).next().ok_or(ApiError::NotFound)?;
    Ok(([(header::ETAG, etag(entity.version))], axum::Json(EntityOut::from(entity))).into_response())
}

/// Changes some fields of a section there is one of: moving the status
/// date on as work is reported, say.
#[utoipa::path(patch, path = "/api/v1/programs/{program}/sections/{section}", tag = "entities",
    params(("program" = String, Path), ("section" = Section, Path),
        ("If-Match" = Option<String>, Header, description = "the ETag read")),
    request_body = PatchIn,
    responses((status = 200, body = EntityOut), (status = 404, body = crate::error::ErrorBody),
        (status = 409, body = crate::error::ErrorBody), (status = 412, body = crate::error::ErrorBody),
        (status = 422, body = crate::error::ErrorBody)))]
pub async fn patch_section(
    State(app): State<Shared>,
    caller: Caller,
    headers: HeaderMap,
    ApiPath((program, section)): ApiPath<(String, Section)>,
    ApiJson(input): ApiJson<PatchIn>,
) -> Result<Response, ApiError> {
    if !input.patch.is_object() {
        return Err(ApiError::BadRequest("`patch` is a JSON object of the fields to change".into()));
    }
    let version = base_version(&headers, input.version)?;
    let kind = section.kind();
    replace_with(&app, &caller, &program, kind, kind.section(), version, |body| {
        let mut body = body.clone();
        merge_patch(&mut body, &input.patch);
        body
    })
    .await
}

fn of_kind(loaded: &Loaded, kind: Kind) -> impl Iterator<Item = &EntityRow> {
    loaded.entities.iter().map(|e| &**e).filter(move |e| e.kind == kind.as_str())
}

pub(crate) fn find<'a>(loaded: &'a Loaded, kind: Kind, key: &str) -> Result<&'a EntityRow, ApiError> {
    of_kind(loaded, kind).find(|e| e.key == key).ok_or(ApiError::NotFound)
}

pub(crate) async fn read(app: &App, caller: &Caller, program: &str) -> Result<std::sync::Arc<Loaded>, ApiError> {
    let (row, _) = visible(app, caller, program).await?;
    app.load(row).await
}

/// Lists a program's entities of one collection, in plan order.
#[utoipa::path(get, path = "/api/v1/programs/{program}/{collection}", tag = "entities",
    params(("program" = String, Path), ("collection" = Collection, Path), Page),
    responses((status = 200, body = EntityPage), (status = 404, body = crate::error::ErrorBody)))]
pub async fn list(
    State(app): State<Shared>,
    caller: Caller,
    ApiPath((program, collection)): ApiPath<(String, Collection)>,
    ApiQuery(page): ApiQuery<Page>,
) -> Result<Response, ApiError> {
    let loaded = read(&app, &caller, &program).await?;
    let all: Vec<EntityOut> = of_kind(&loaded, collection.kind()).map(EntityOut::from).collect();
    let (entities, next) = page.of(all)?;
    Ok(axum::Json(EntityPage { entities, next }).into_response())
}

/// One entity, with its version as the `ETag`.
#[utoipa::path(get, path = "/api/v1/programs/{program}/{collection}/{key}", tag = "entities",
    params(("program" = String, Path), ("collection" = Collection, Path), ("key" = String, Path)),
    responses((status = 200, body = EntityOut), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get(
    State(app): State<Shared>,
    caller: Caller,
    ApiPath((program, collection, key)): ApiPath<(String, Collection, String)>,
) -> Result<Response, ApiError> {
    let loaded = read(&app, &caller, &program).await?;
    let entity = find(&loaded, collection.kind(), &key)?;
    Ok(([(header::ETAG, etag(entity.version))], axum::Json(EntityOut::from(entity))).into_response())
}

/// The audit trail of one entity, oldest first.
#[utoipa::path(get, path = "/api/v1/programs/{program}/{collection}/{key}/history", tag = "history",
    params(("program" = String, Path), ("collection" = Collection, Path), ("key" = String, Path), Page),
    responses((status = 200, body = HistoryPage), (status = 404, body = crate::error::ErrorBody)))]
pub async fn history(
    State(app): State<Shared>,
    caller: Caller,
    ApiPath((program, collection, key)): ApiPath<(String, Collection, String)>,
    ApiQuery(page): ApiQuery<Page>,
) -> Result<Response, ApiError> {
    let loaded = read(&app, &caller, &program).await?;
    let entity = find(&loaded, collection.kind(), &key)?;
    let rows = app.store.history(History::Entity(entity.id.clone())).await?;
    let (entries, next) = page.of(rows.into_iter().map(AuditOut::from).collect())?;
    Ok(axum::Json(HistoryPage { entries, next }).into_response())
}

/// Adds an entity: its document as the plan format describes it.
#[utoipa::path(post, path = "/api/v1/programs/{program}/{collection}", tag = "entities",
    params(("program" = String, Path), ("collection" = Collection, Path)),
    request_body(content = Object, description = "the plan document"),
    responses((status = 201, body = EntityOut), (status = 404, body = crate::error::ErrorBody),
        (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn create(
    State(app): State<Shared>,
    caller: Caller,
    ApiPath((program, collection)): ApiPath<(String, Collection)>,
    ApiJson(body): ApiJson<Value>,
) -> Result<Response, ApiError> {
    let kind = collection.kind();
    if !body.is_object() {
        return Err(ApiError::BadRequest(format!("a {} is a JSON object", kind.as_str())));
    }
    let base = linchpin_plan::stored::key_of(kind, &body);
    let mut key = base.clone();
    let written = write(&app, &caller, &program, |loaded| {
        // An entry without an id (a second update on one day) gets a key of
        // its own; two entries with one id are a conflict.
        if !kind.has_id() {
            key = linchpin_plan::stored::unique_key(base.clone(), |k| of_kind(loaded, kind).any(|e| e.key == k));
        }
        if of_kind(loaded, kind).any(|e| e.key == key) {
            return Err(ApiError::Conflict {
                message: format!("a {} `{key}` already exists", kind.as_str()),
                current: None,
                changes: Vec::new(),
            });
        }
        Ok(vec![EntityChange::Create(NewEntity {
            kind: kind.as_str().to_owned(),
            key: key.clone(),
            body: body.clone(),
        })])
    })
    .await?;
    let entity = written.into_iter().find(|e| e.kind == kind.as_str() && e.key == key).ok_or(ApiError::NotFound)?;
    Ok((StatusCode::CREATED, [(header::ETAG, etag(entity.version))], axum::Json(EntityOut::from(&entity)))
        .into_response())
}

/// Changes some fields of an entity (a JSON merge patch of its document).
#[utoipa::path(patch, path = "/api/v1/programs/{program}/{collection}/{key}", tag = "entities",
    params(("program" = String, Path), ("collection" = Collection, Path), ("key" = String, Path),
        ("If-Match" = Option<String>, Header, description = "the ETag read")),
    request_body = PatchIn,
    responses((status = 200, body = EntityOut), (status = 404, body = crate::error::ErrorBody),
        (status = 409, body = crate::error::ErrorBody), (status = 412, body = crate::error::ErrorBody),
        (status = 422, body = crate::error::ErrorBody)))]
pub async fn patch(
    State(app): State<Shared>,
    caller: Caller,
    headers: HeaderMap,
    ApiPath((program, collection, key)): ApiPath<(String, Collection, String)>,
    ApiJson(input): ApiJson<PatchIn>,
) -> Result<Response, ApiError> {
    if !input.patch.is_object() {
        return Err(ApiError::BadRequest("`patch` is a JSON object of the fields to change".into()));
    }
    let version = base_version(&headers, input.version)?;
    replace_with(&app, &caller, &program, collection.kind(), &key, version, |body| {
        let mut body = body.clone();
        merge_patch(&mut body, &input.patch);
        body
    })
    .await
}

/// Replaces an entity's whole document.
#[utoipa::path(put, path = "/api/v1/programs/{program}/{collection}/{key}", tag = "entities",
    params(("program" = String, Path), ("collection" = Collection, Path), ("key" = String, Path),
        ("If-Match" = Option<String>, Header, description = "the ETag read")),
    request_body = ReplaceIn,
    responses((status = 200, body = EntityOut), (status = 404, body = crate::error::ErrorBody),
        (status = 409, body = crate::error::ErrorBody), (status = 412, body = crate::error::ErrorBody),
        (status = 422, body = crate::error::ErrorBody)))]
pub async fn replace(
    State(app): State<Shared>,
    caller: Caller,
    headers: HeaderMap,
    ApiPath((program, collection, key)): ApiPath<(String, Collection, String)>,
    ApiJson(input): ApiJson<ReplaceIn>,
) -> Result<Response, ApiError> {
    if !input.body.is_object() {
        return Err(ApiError::BadRequest("`body` is a JSON object".into()));
    }
    let version = base_version(&headers, input.version)?;
    replace_with(&app, &caller, &program, collection.kind(), &key, version, |_| input.body.clone()).await
}

/// Removes an entity.
#[utoipa::path(delete, path = "/api/v1/programs/{program}/{collection}/{key}", tag = "entities",
    params(("program" = String, Path), ("collection" = Collection, Path), ("key" = String, Path),
        ("If-Match" = Option<String>, Header, description = "the ETag read"), VersionQuery),
    responses((status = 204), (status = 404, body = crate::error::ErrorBody),
        (status = 409, body = crate::error::ErrorBody), (status = 412, body = crate::error::ErrorBody),
        (status = 422, body = crate::error::ErrorBody)))]
pub async fn delete(
    State(app): State<Shared>,
    caller: Caller,
    headers: HeaderMap,
    ApiPath((program, collection, key)): ApiPath<(String, Collection, String)>,
    ApiQuery(query): ApiQuery<VersionQuery>,
) -> Result<Response, ApiError> {
    let version = base_version(&headers, query.version)?;
    let kind = collection.kind();
    write(&app, &caller, &program, |loaded| {
        let entity = find(loaded, kind, &key)?;
        stale(entity, version)?;
        Ok(vec![EntityChange::Delete { id: entity.id.clone(), version }])
    })
    .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

async fn replace_with(
    app: &App,
    caller: &Caller,
    program: &str,
    kind: Kind,
    key: &str,
    version: i64,
    new_body: impl Fn(&Value) -> Value,
) -> Result<Response, ApiError> {
    let mut id = String::new();
    let written = write(app, caller, program, |loaded| {
        let entity = find(loaded, kind, key)?;
        stale(entity, version)?;
        let body = new_body(&entity.body);
        if !body.is_object() {
            return Err(ApiError::BadRequest(format!("a {} is a JSON object", kind.as_str())));
        }
        id.clone_from(&entity.id);
        // An id is the key; an entry without one keeps the key it was made with.
        let new_key = if kind.has_id() { linchpin_plan::stored::key_of(kind, &body) } else { entity.key.clone() };
        Ok(vec![EntityChange::Update { id: entity.id.clone(), version, key: new_key, body }])
    })
    .await?;
    let entity = written.iter().find(|e| e.id == id).ok_or(ApiError::NotFound)?;
    Ok(([(header::ETAG, etag(entity.version))], axum::Json(EntityOut::from(entity))).into_response())
}

/// Refuses a change based on a version the entity has moved past.
fn stale(entity: &EntityRow, version: i64) -> Result<(), ApiError> {
    if entity.version == version {
        return Ok(());
    }
    Err(ApiError::Conflict {
        message: format!(
            "{} `{}` is at version {}, not {version}: it changed since it was read; read it again and redo the change",
            entity.kind, entity.key, entity.version
        ),
        current: Some(entity.version),
        changes: Vec::new(),
    })
}

/// RFC 7396: objects merge key by key, `null` removes, anything else replaces.
pub fn merge_patch(target: &mut Value, patch: &Value) {
    let Value::Object(patch) = patch else {
        *target = patch.clone();
        return;
    };
    if !target.is_object() {
        *target = Value::Object(serde_json::Map::new());
    }
    if let Value::Object(map) = target {
        for (k, v) in patch {
            if v.is_null() {
                map.remove(k);
            } else {
                merge_patch(map.entry(k.clone()).or_insert(Value::Null), v);
            }
        }
    }
}

/// Makes the changes `make` asks for against the program as it is, once the
/// whole program as it would be resolves cleanly; tried again from a fresh
/// read when another write to the program lands first. Answers the
/// entities it changed, as written.
pub async fn write(
    app: &App,
    caller: &Caller,
    program: &str,
    mut make: impl FnMut(&Loaded) -> Result<Vec<EntityChange>, ApiError>,
) -> Result<Vec<EntityRow>, ApiError> {
    // Made against the program as last known before queueing for the turn
    // to write, so a change already stale (most attempts, when many
    // clients race for one item) is refused without waiting to learn so.
    let (known, made) = read_and_make(app, caller, program, &mut make).await?;
    let _turn = app.write_turn(program).await;
    // A write of this process that landed meanwhile is seen without
    // reading the database; one of another process, by the store's check
    // of the base version, and then the program is read again.
    let mut ready = match app.newest(&known.row.id) {
        Some(newer) if newer.row.version > known.row.version => {
            let changes = make(&newer)?;
            Some((newer, changes))
        }
        _ => Some((known, made)),
    };
    for attempt in 0..WRITE_TRIES {
        let (loaded, changes) = match ready.take() {
            Some(ready) => ready,
            None => read_and_make(app, caller, program, &mut make).await?,
        };
        let (resolved, after) = check(app, &loaded, &changes).await?;
        let creates = changes.iter().any(|c| matches!(c, EntityChange::Create(_)));
        let touched: Vec<Touched> = changes
            .iter()
            .map(|c| match c {
                EntityChange::Create(new) => Touched::Key(new.kind.clone(), new.key.clone()),
                EntityChange::Update { id, .. } | EntityChange::Delete { id, .. } => Touched::Id(id.clone()),
            })
            .collect();
        match app.store.apply(&caller.user.name, program, Some(loaded.row.version), changes).await {
            Ok(written) => {
                // Without new entities the rows are known as written; new
                // ones get their ids and places from the store.
                let (row, entities) = if creates {
                    let (row, entities) = app.store.program(program).await?;
                    (row, entities.into_iter().map(Arc::new).collect())
                } else {
                    (written.clone(), after)
                };
                let changed = changed_rows(&entities, &touched);
                // The check resolved exactly this version: keep it for the reads to come.
                if row.version == written.version {
                    app.keep(crate::state::Loaded { row, entities, program: std::sync::Arc::new(resolved) });
                }
                return Ok(changed);
            }
            Err(StoreError::Conflict { what, .. }) if what.starts_with("program ") => {
                // Someone else's write landed first: read again and redo.
                let pause = rand::random::<u64>() % (1 + 2 * attempt as u64).min(20);
                tokio::time::sleep(std::time::Duration::from_millis(pause)).await;
            }
            Err(e) => return Err(e.into()),
        }
    }
    Err(ApiError::Unavailable("the program is changing too fast to write to; try again".into()))
}

/// The program as it is now, if the caller may change it, and the changes
/// `make` asks for against it.
async fn read_and_make(
    app: &App,
    caller: &Caller,
    program: &str,
    make: &mut impl FnMut(&Loaded) -> Result<Vec<EntityChange>, ApiError>,
) -> Result<(Arc<Loaded>, Vec<EntityChange>), ApiError> {
    let row = app.store.program_row(program).await?;
    caller.require(app, &row, Role::Editor).await?;
    let loaded = app.load(row).await?;
    let changes = make(&loaded)?;
    Ok((loaded, changes))
}

/// An entity a write changed, by what is known of it before it is written.
enum Touched {
    Id(String),
    /// A new one: its kind and key.
    Key(String, String),
}

/// The rows of `entities` a write changed (not all of a large program).
fn changed_rows(entities: &[Arc<EntityRow>], touched: &[Touched]) -> Vec<EntityRow> {
    entities
        .iter()
        .map(|e| &**e)
        .filter(|e| {
            touched.iter().any(|t| match t {
                Touched::Id(id) => &e.id == id,
                Touched::Key(kind, key) => &e.kind == kind && &e.key == key,
            })
        })
        .cloned()
        .collect()
}

/// The program `changes` would make and its entities as they would be
/// (each changed one a version on), or its problems.
async fn check(
    app: &App,
    loaded: &Loaded,
    changes: &[EntityChange],
) -> Result<(linchpin_model::Program, Vec<Arc<EntityRow>>), ApiError> {
    let mut entities: Vec<Arc<EntityRow>> = loaded.entities.clone();
    // Keys that are new to their kind: only they can make two entities of
    // one kind share a key (the stored ones are unique).
    let mut new_keys: Vec<(String, String)> = Vec::new();
    for change in changes {
        match change {
            EntityChange::Create(new) => {
                new_keys.push((new.kind.clone(), new.key.clone()));
                entities.push(Arc::new(EntityRow {
                    id: String::new(),
                    kind: new.kind.clone(),
                    key: new.key.clone(),
                    position: i64::MAX,
                    body: new.body.clone(),
                    version: 1,
                }));
            }
            EntityChange::Update { id, key, body, .. } => {
                if let Some(e) = entities.iter_mut().find(|e| &e.id == id) {
                    if &e.key != key {
                        new_keys.push((e.kind.clone(), key.clone()));
                    }
                    *e = Arc::new(EntityRow {
                        id: e.id.clone(),
                        kind: e.kind.clone(),
                        key: key.clone(),
                        position: e.position,
                        body: body.clone(),
                        version: e.version + 1,
                    });
                }
            }
            EntityChange::Delete { id, .. } => entities.retain(|e| &e.id != id),
        }
    }
    for (kind, key) in &new_keys {
        if entities.iter().filter(|e| &e.kind == kind && &e.key == key).nth(1).is_some() {
            return Err(ApiError::Conflict {
                message: format!("two {kind}s would have the id `{key}`"),
                current: None,
                changes: Vec::new(),
            });
        }
    }
    let decoded = app.decoded(&loaded.row.id);
    app.engine
        .run(move |_| resolve_with(&entities, &decoded).map(|program| (program, entities)))
        .await?
        .map_err(ApiError::Invalid)
}

/// The audit trail of a program, oldest first.
#[utoipa::path(get, path = "/api/v1/programs/{program}/history", tag = "history",
    params(("program" = String, Path), Page),
    responses((status = 200, body = HistoryPage), (status = 404, body = crate::error::ErrorBody)))]
pub async fn program_history(
    State(app): State<Shared>,
    caller: Caller,
    ApiPath(program): ApiPath<String>,
    ApiQuery(page): ApiQuery<Page>,
) -> Result<Response, ApiError> {
    let (row, _): (ProgramRow, _) = visible(&app, &caller, &program).await?;
    let rows = app.store.history(History::Program(row.key.clone())).await?;
    let (entries, next) = page.of(rows.into_iter().map(AuditOut::from).collect())?;
    Ok(axum::Json(HistoryPage { entries, next }).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn merge_patch_follows_rfc_7396() {
        let mut doc = json!({"a": "b", "c": {"d": "e", "f": "g"}});
        merge_patch(&mut doc, &json!({"a": "z", "c": {"f": null}}));
        assert_eq!(doc, json!({"a": "z", "c": {"d": "e"}}));
        let mut doc = json!({"status": "in_progress", "remaining": 3});
        merge_patch(&mut doc, &json!({"remaining": 2, "actual_start": "2026-11-02"}));
        assert_eq!(doc, json!({"status": "in_progress", "remaining": 2, "actual_start": "2026-11-02"}));
    }
}
