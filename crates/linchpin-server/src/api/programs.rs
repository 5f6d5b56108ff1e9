//! Programs as a whole: list the ones the caller can see, create one from
//! plan files, read it back as a plan folder (`linchpin pull`), replace it
//! from plan files (`linchpin push`, refused when based on an old version
//! unless forced), and its members.

use std::collections::HashMap;

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use linchpin_store::{EntityChange, NewEntity, ProgramRow, Role, Store, StoreError};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{Page, ProgramOut, Shared, changes_since, etag, visible};
use crate::auth::Caller;
use crate::error::{ApiError, ApiJson, ApiPath, ApiQuery, Problem};
use crate::state::{App, problem};

/// The most files a plan upload holds.
pub const MAX_FILES: usize = 10_000;
/// A program key: 1 to 64 of `a-z 0-9 -`, as in an address.
pub const KEY_MAX: usize = 64;

#[derive(Debug, Serialize, ToSchema)]
pub struct ProgramPage {
    pub programs: Vec<ProgramOut>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
}

/// One file of a plan folder.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanFile {
    /// Its path inside the folder, e.g. `items/payments.yaml`.
    pub path: String,
    /// Its YAML text.
    pub text: String,
}

/// A plan to store: its files, as `linchpin check` reads them.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanIn {
    /// For a new program, its key: 1 to 64 of `a-z 0-9 -`.
    pub key: Option<String>,
    /// The program version the files were pulled at, for a replacement.
    pub base_version: Option<i64>,
    /// Replace even when the program changed since `base_version`.
    #[serde(default)]
    pub force: bool,
    pub files: Vec<PlanFile>,
}

/// A program as plan files.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlanOut {
    pub program: ProgramOut,
    pub files: Vec<PlanFile>,
}

/// What a push changed.
#[derive(Debug, Serialize, ToSchema)]
pub struct PushOut {
    pub program: ProgramOut,
    pub created: usize,
    pub updated: usize,
    pub deleted: usize,
    /// Warnings the plan has (it has no errors, or it was refused).
    pub warnings: Vec<Problem>,
}

fn check_key(key: &str) -> Result<(), ApiError> {
    let ok = !key.is_empty()
        && key.len() <= KEY_MAX
        && key.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !key.starts_with('-');
    if ok {
        Ok(())
    } else {
        Err(ApiError::BadRequest(format!(
            "a program key is 1 to {KEY_MAX} of lowercase letters, digits and `-`, not starting with `-`"
        )))
    }
}

/// The plan files as entities and the plan's warnings, or its problems.
async fn entities_of(app: &App, files: Vec<PlanFile>) -> Result<(Vec<NewEntity>, String, Vec<Problem>), ApiError> {
    if files.is_empty() || files.len() > MAX_FILES {
        return Err(ApiError::BadRequest(format!("a plan is 1 to {MAX_FILES} files")));
    }
    app.engine
        .run(move |_| {
            let bytes: Vec<(std::path::PathBuf, Vec<u8>)> =
                files.iter().map(|f| (std::path::PathBuf::from(&f.path), f.text.as_bytes().to_vec())).collect();
            let plan = linchpin_plan::load_yaml_bytes(bytes);
            // Each problem where it is in the files, as `linchpin check` says it.
            let located = |d: &linchpin_model::Diagnostic| match plan.sources.span(d.origin) {
                Some(span) => {
                    let file = plan.sources.get(span.source);
                    let (line, column) = file.line_column(span.start as usize);
                    let path = file.path().display().to_string();
                    Problem { file: Some(path), line: Some(line), column: Some(column), ..problem(d) }
                }
                None => problem(d),
            };
            let (errors, warnings): (Vec<Problem>, Vec<Problem>) =
                plan.diagnostics.iter().map(located).partition(|p| p.severity == "error");
            if !errors.is_empty() {
                return Err(ApiError::Invalid(errors));
            }
            let name = plan.program().map(|p| p.name().to_owned()).unwrap_or_default();
            let texts: Vec<(String, String)> = files.into_iter().map(|f| (f.path, f.text)).collect();
            let entities = linchpin_plan::stored::entities(&texts).map_err(|d| ApiError::Invalid(vec![problem(&d)]))?;
            let new = entities
                .into_iter()
                .map(|e| NewEntity { kind: e.kind.as_str().to_owned(), key: e.key, body: e.body })
                .collect();
            Ok((new, name, warnings))
        })
        .await?
}

/// The programs the caller can see, by key.
#[utoipa::path(get, path = "/api/v1/programs", tag = "programs", params(Page),
    responses((status = 200, body = ProgramPage), (status = 401, body = crate::error::ErrorBody)))]
pub async fn list(
    State(app): State<Shared>,
    caller: Caller,
    ApiQuery(page): ApiQuery<Page>,
) -> Result<Response, ApiError> {
    let mut visible_programs = Vec::new();
    for row in app.store.programs().await? {
        match caller.role(&app, &row).await {
            Ok(role) => visible_programs.push(ProgramOut::new(&row, role)),
            Err(ApiError::NotFound) => {}
            Err(e) => return Err(e),
        }
    }
    let (programs, next) = page.of(visible_programs)?;
    Ok(axum::Json(ProgramPage { programs, next }).into_response())
}

/// Creates a program from plan files; the caller becomes its admin.
#[utoipa::path(post, path = "/api/v1/programs", tag = "programs", request_body = PlanIn,
    responses((status = 201, body = PushOut), (status = 400, body = crate::error::ErrorBody),
        (status = 409, body = crate::error::ErrorBody), (status = 413, body = crate::error::ErrorBody),
        (status = 422, body = crate::error::ErrorBody)))]
pub async fn create(
    State(app): State<Shared>,
    caller: Caller,
    ApiJson(input): ApiJson<PlanIn>,
) -> Result<Response, ApiError> {
    caller.require_write()?;
    if let crate::auth::Via::Token { programs: Some(_), .. } = caller.via {
        return Err(ApiError::Forbidden("an API token scoped to programs cannot create one".into()));
    }
    let key = input.key.clone().ok_or_else(|| ApiError::BadRequest("a new program needs a `key`".into()))?;
    check_key(&key)?;
    let (entities, name, warnings) = entities_of(&app, input.files).await?;
    let created = entities.len();
    let row = app.store.create_program(&caller.user.name, &key, &name, entities).await?;
    if !caller.user.server_admin {
        app.store.set_role(&caller.user.name, &key, caller.user.id, Some(Role::Admin)).await?;
    }
    let out = PushOut { program: ProgramOut::new(&row, Role::Admin), created, updated: 0, deleted: 0, warnings };
    Ok((StatusCode::CREATED, [(header::ETAG, etag(row.version))], axum::Json(out)).into_response())
}

/// A program's identity and version.
#[utoipa::path(get, path = "/api/v1/programs/{program}", tag = "programs", params(("program" = String, Path)),
    responses((status = 200, body = ProgramOut), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get(
    State(app): State<Shared>,
    caller: Caller,
    ApiPath(program): ApiPath<String>,
) -> Result<Response, ApiError> {
    let (row, role) = visible(&app, &caller, &program).await?;
    Ok(([(header::ETAG, etag(row.version))], axum::Json(ProgramOut::new(&row, role))).into_response())
}

/// The program as a plan folder that checks clean (`linchpin pull`).
#[utoipa::path(get, path = "/api/v1/programs/{program}/plan", tag = "programs", params(("program" = String, Path)),
    responses((status = 200, body = PlanOut), (status = 404, body = crate::error::ErrorBody)))]
pub async fn pull(
    State(app): State<Shared>,
    caller: Caller,
    ApiPath(program): ApiPath<String>,
) -> Result<Response, ApiError> {
    let (row, role) = visible(&app, &caller, &program).await?;
    let (row, entities) = app.store.program(&row.key).await?;
    let version = row.version;
    let files = app
        .engine
        .run(move |_| {
            let parts: Vec<(linchpin_plan::stored::Kind, &serde_json::Value)> =
                entities.iter().filter_map(|e| Some((e.kind.parse().ok()?, &e.body))).collect();
            linchpin_plan::stored::plan_folder(parts)
        })
        .await?;
    let files = files.into_iter().map(|(path, text)| PlanFile { path, text }).collect();
    Ok(([(header::ETAG, etag(version))], axum::Json(PlanOut { program: ProgramOut::new(&row, role), files }))
        .into_response())
}

/// Replaces the program with plan files (`linchpin push`): each entity is
/// matched by kind and key, so what did not change keeps its id and
/// version. Refused when the program changed since `base_version`, with
/// what changed, unless `force`.
#[utoipa::path(put, path = "/api/v1/programs/{program}/plan", tag = "programs", params(("program" = String, Path)),
    request_body = PlanIn,
    responses((status = 200, body = PushOut), (status = 404, body = crate::error::ErrorBody),
        (status = 409, body = crate::error::ErrorBody), (status = 412, body = crate::error::ErrorBody),
        (status = 422, body = crate::error::ErrorBody)))]
pub async fn push(
    State(app): State<Shared>,
    caller: Caller,
    ApiPath(program): ApiPath<String>,
    ApiJson(input): ApiJson<PlanIn>,
) -> Result<Response, ApiError> {
    let row = app.store.program_row(&program).await?;
    caller.require(&app, &row, Role::Editor).await?;
    if !input.force {
        let base = input.base_version.ok_or(ApiError::VersionRequired)?;
        if base != row.version {
            return Err(stale_push(&app, &row, base).await?);
        }
    }
    let (new, _, warnings) = entities_of(&app, input.files).await?;
    let (current, stored) = app.store.program(&program).await?;
    if !input.force && input.base_version != Some(current.version) {
        return Err(stale_push(&app, &current, input.base_version.unwrap_or_default()).await?);
    }
    let mut by_key: HashMap<(String, String), &linchpin_store::EntityRow> =
        stored.iter().map(|e| ((e.kind.clone(), e.key.clone()), e)).collect();
    let mut changes = Vec::new();
    let (mut created, mut updated) = (0, 0);
    for entity in new {
        match by_key.remove(&(entity.kind.clone(), entity.key.clone())) {
            Some(old) if old.body == entity.body => {}
            Some(old) => {
                updated += 1;
                changes.push(EntityChange::Update {
                    id: old.id.clone(),
                    version: old.version,
                    key: entity.key,
                    body: entity.body,
                });
            }
            None => {
                created += 1;
                changes.push(EntityChange::Create(entity));
            }
        }
    }
    let deleted = by_key.len();
    let mut gone: Vec<_> = by_key.into_values().collect();
    gone.sort_by_key(|e| (e.kind.clone(), e.position));
    changes.extend(gone.into_iter().map(|e| EntityChange::Delete { id: e.id.clone(), version: e.version }));
    let row = if changes.is_empty() {
        current
    } else {
        match app.store.apply(&caller.user.name, &program, Some(current.version), changes).await {
            Ok(row) => row,
            Err(StoreError::Conflict { .. }) => {
                return Err(stale_push(&app, &app.store.program_row(&program).await?, current.version).await?);
            }
            Err(e) => return Err(e.into()),
        }
    };
    let role = caller.role(&app, &row).await?;
    let out = PushOut { program: ProgramOut::new(&row, role), created, updated, deleted, warnings };
    Ok(([(header::ETAG, etag(row.version))], axum::Json(out)).into_response())
}

async fn stale_push(app: &App, row: &ProgramRow, base: i64) -> Result<ApiError, ApiError> {
    let changes = changes_since(app, row, base).await?;
    Ok(ApiError::Conflict {
        message: format!(
            "program `{}` is at version {}, not {base}: it changed on the server since; pull it, or push with --force to overwrite",
            row.key, row.version
        ),
        current: Some(row.version),
        changes,
    })
}

/// A member of a program.
#[derive(Debug, Serialize, ToSchema)]
pub struct MemberOut {
    pub user: String,
    pub display_name: String,
    /// `viewer`, `editor` or `admin`.
    pub role: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RoleIn {
    /// `viewer`, `editor` or `admin`.
    pub role: String,
}

/// Who may see and change the program.
#[utoipa::path(get, path = "/api/v1/programs/{program}/members", tag = "programs", params(("program" = String, Path)),
    responses((status = 200, body = [MemberOut]), (status = 404, body = crate::error::ErrorBody)))]
pub async fn members(
    State(app): State<Shared>,
    caller: Caller,
    ApiPath(program): ApiPath<String>,
) -> Result<Response, ApiError> {
    let (row, _) = visible(&app, &caller, &program).await?;
    let members: Vec<MemberOut> = app
        .store
        .members(&row.key)
        .await?
        .into_iter()
        .map(|(u, r)| MemberOut { user: u.name, display_name: u.display_name, role: r.as_str().to_owned() })
        .collect();
    Ok(axum::Json(members).into_response())
}

/// Gives a user a role in the program (program or server admins only).
#[utoipa::path(put, path = "/api/v1/programs/{program}/members/{user}", tag = "programs",
    params(("program" = String, Path), ("user" = String, Path)), request_body = RoleIn,
    responses((status = 200, body = MemberOut), (status = 400, body = crate::error::ErrorBody),
        (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn set_member(
    State(app): State<Shared>,
    caller: Caller,
    ApiPath((program, user)): ApiPath<(String, String)>,
    ApiJson(input): ApiJson<RoleIn>,
) -> Result<Response, ApiError> {
    let row = app.store.program_row(&program).await?;
    caller.require(&app, &row, Role::Admin).await?;
    let role: Role =
        input.role.parse().map_err(|_| ApiError::BadRequest("`role` is viewer, editor or admin".into()))?;
    let target = app.store.user_by_name(&user.to_lowercase()).await?.ok_or(ApiError::NotFound)?;
    app.store.set_role(&caller.user.name, &row.key, target.id, Some(role)).await?;
    Ok(axum::Json(MemberOut { user: target.name, display_name: target.display_name, role: role.as_str().to_owned() })
        .into_response())
}

/// Takes a user's role in the program away.
#[utoipa::path(delete, path = "/api/v1/programs/{program}/members/{user}", tag = "programs",
    params(("program" = String, Path), ("user" = String, Path)),
    responses((status = 204), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn remove_member(
    State(app): State<Shared>,
    caller: Caller,
    ApiPath((program, user)): ApiPath<(String, String)>,
) -> Result<Response, ApiError> {
    let row = app.store.program_row(&program).await?;
    caller.require(&app, &row, Role::Admin).await?;
    let target = app.store.user_by_name(&user.to_lowercase()).await?.ok_or(ApiError::NotFound)?;
    app.store.set_role(&caller.user.name, &row.key, target.id, None).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
