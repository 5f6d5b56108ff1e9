//! The JSON API, version 1: programs and their entities (read, and
//! changed through the plan resolver), the computed schedule, forecast,
//! findings and reports, the audit trail, and accounts.

pub mod accounts;
pub mod computed;
pub mod entities;
pub mod programs;

use std::sync::Arc;

use axum::http::{HeaderMap, HeaderValue, header};
use linchpin_store::{AuditRow, ProgramRow, Store};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::Caller;
use crate::error::{ApiError, ChangeSummary};
use crate::state::App;

/// The most entries a page of a list holds.
pub const PAGE_MAX: usize = 1000;
pub const PAGE_DEFAULT: usize = 100;

/// Which page of a list to answer.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Page {
    /// At most 1,000 (default 100).
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<usize>,
    /// The `next` of the page before.
    pub cursor: Option<String>,
}

impl Page {
    /// The offset and size asked for, checked.
    pub fn bounds(&self) -> Result<(usize, usize), ApiError> {
        let limit = self.limit.unwrap_or(PAGE_DEFAULT);
        if !(1..=PAGE_MAX).contains(&limit) {
            return Err(ApiError::BadRequest(format!("`limit` must be from 1 to {PAGE_MAX}")));
        }
        let offset = match &self.cursor {
            None => 0,
            Some(c) => {
                c.parse::<usize>().map_err(|_| ApiError::BadRequest("`cursor` is not one this server gave".into()))?
            }
        };
        Ok((offset, limit))
    }

    /// One page of `all`, and the cursor of the next when there is one.
    pub fn of<T>(&self, all: Vec<T>) -> Result<(Vec<T>, Option<String>), ApiError> {
        let (offset, limit) = self.bounds()?;
        let total = all.len();
        let page: Vec<T> = all.into_iter().skip(offset).take(limit).collect();
        let next = (offset + page.len() < total).then(|| (offset + page.len()).to_string());
        Ok((page, next))
    }
}

/// A program as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProgramOut {
    pub id: String,
    pub key: String,
    pub name: String,
    /// One more with every change; send it back to change the program.
    pub version: i64,
    pub created_at: String,
    pub updated_at: String,
    /// The caller's role: `viewer`, `editor` or `admin`.
    pub role: String,
}

impl ProgramOut {
    pub fn new(row: &ProgramRow, role: linchpin_store::Role) -> Self {
        ProgramOut {
            id: row.id.clone(),
            key: row.key.clone(),
            name: row.name.clone(),
            version: row.version,
            created_at: row.created_at.to_rfc3339(),
            updated_at: row.updated_at.to_rfc3339(),
            role: role.as_str().to_owned(),
        }
    }
}

/// One row of the audit trail.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditOut {
    pub at: String,
    pub actor: String,
    pub program_version: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entity_id: Option<String>,
    pub kind: String,
    pub key: String,
    /// `create`, `update` or `delete`.
    pub action: String,
    #[schema(value_type = Option<Object>)]
    pub before: Option<serde_json::Value>,
    #[schema(value_type = Option<Object>)]
    pub after: Option<serde_json::Value>,
}

impl From<AuditRow> for AuditOut {
    fn from(a: AuditRow) -> Self {
        AuditOut {
            at: a.at.to_rfc3339(),
            actor: a.actor,
            program_version: a.program_version,
            entity_id: a.entity_id,
            kind: a.kind,
            key: a.key,
            action: a.action,
            before: a.before,
            after: a.after,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HistoryPage {
    pub entries: Vec<AuditOut>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
}

/// The program `key` if the caller may see it, with their role.
pub async fn visible(app: &App, caller: &Caller, key: &str) -> Result<(ProgramRow, linchpin_store::Role), ApiError> {
    let row = app.store.program_row(key).await?;
    let role = caller.role(app, &row).await?;
    Ok((row, role))
}

/// What changed in a program after version `since`, newest last, at most 50.
pub async fn changes_since(app: &App, program: &ProgramRow, since: i64) -> Result<Vec<ChangeSummary>, ApiError> {
    let rows = app.store.history(linchpin_store::History::Program(program.key.clone())).await?;
    let mut changes: Vec<ChangeSummary> = rows
        .into_iter()
        .filter(|a| a.program_version > since)
        .map(|a| ChangeSummary {
            at: a.at.to_rfc3339(),
            actor: a.actor,
            kind: a.kind,
            key: a.key,
            action: a.action,
            program_version: a.program_version,
        })
        .collect();
    let excess = changes.len().saturating_sub(50);
    changes.drain(..excess);
    Ok(changes)
}

/// The `ETag` of a version.
pub fn etag(version: i64) -> HeaderValue {
    HeaderValue::from_str(&format!("\"{version}\"")).unwrap_or(HeaderValue::from_static("\"0\""))
}

/// The version an `If-Match` header names, if any.
pub fn if_match(headers: &HeaderMap) -> Result<Option<i64>, ApiError> {
    let Some(value) = headers.get(header::IF_MATCH) else { return Ok(None) };
    let text = value.to_str().map_err(|_| ApiError::BadRequest("`If-Match` is not text".into()))?;
    let trimmed = text.trim().trim_start_matches("W/").trim_matches('"');
    trimmed.parse::<i64>().map(Some).map_err(|_| {
        ApiError::BadRequest(format!("`If-Match` must be an ETag this server gave, like \"3\", not `{text}`"))
    })
}

/// The version a write is based on: from `If-Match` or the body's
/// `version`, which must agree when both are sent; a write without one is
/// refused.
pub fn base_version(headers: &HeaderMap, field: Option<i64>) -> Result<i64, ApiError> {
    match (if_match(headers)?, field) {
        (Some(a), Some(b)) if a != b => {
            Err(ApiError::BadRequest(format!("`If-Match` says version {a} and the body says {b}")))
        }
        (Some(v), _) | (None, Some(v)) => Ok(v),
        (None, None) => Err(ApiError::VersionRequired),
    }
}

pub type Shared = Arc<App>;
