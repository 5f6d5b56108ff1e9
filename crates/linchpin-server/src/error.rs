//! Every answer that is not a success: one JSON shape, the right status,
//! and for a 500 a request id, with the details only in the log.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use linchpin_store::StoreError;
use serde::Serialize;
use utoipa::ToSchema;

tokio::task_local! {
    /// The id of the request being answered, set by the request middleware.
    pub static REQUEST_ID: String;
}

/// The request id of the task answering, or `-` outside a request.
pub fn request_id() -> String {
    REQUEST_ID.try_with(Clone::clone).unwrap_or_else(|_| "-".to_owned())
}

/// A problem with a plan, as `linchpin check` reports it.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Problem {
    /// `error` or `warning`.
    pub severity: String,
    /// A stable name for the kind of problem, e.g. `unknown-reference`.
    pub code: String,
    pub message: String,
    /// The field at fault, e.g. `items[PAY-3].team`.
    pub field: String,
    /// How to fix it, when there is something to suggest.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// The entity it is in, as `collection/key` (`blockers/IDN-3@2026-10-28`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entity: Option<String>,
    /// Where it is in the uploaded plan files: the file's path as uploaded,
    /// and the 1-based line and column (in characters).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
}

/// A change made by someone else, named in a conflict.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ChangeSummary {
    pub at: String,
    pub actor: String,
    pub kind: String,
    pub key: String,
    pub action: String,
    pub program_version: i64,
}

/// The body of every error.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// A stable name for the kind of failure, for machines.
    pub code: String,
    pub message: String,
    /// The plan's problems when a write would make it invalid.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<Problem>,
    /// What changed since the version a stale write was based on.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<ChangeSummary>,
    /// The version the resource is at, when a write was stale.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current_version: Option<i64>,
    /// Quote this when reporting a server error.
    pub request_id: String,
}

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("not found")]
    NotFound,
    #[error("sign in or send an API token")]
    Unauthenticated,
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    BadRequest(String),
    #[error("the body is larger than the {0} bytes allowed")]
    TooLarge(usize),
    #[error("the request body arrived too slowly")]
    SlowBody,
    #[error("the plan would have errors")]
    Invalid(Vec<Problem>),
    #[error("{message}")]
    Conflict { message: String, current: Option<i64>, changes: Vec<ChangeSummary> },
    #[error("send the version you read: an If-Match header with its ETag, or a `version` field")]
    VersionRequired,
    #[error("the version sent is not the current one")]
    Stale { current: i64 },
    #[error("too many failed sign-ins; try again in {0} seconds")]
    Throttled(u64),
    #[error("{0}")]
    Unavailable(String),
    #[error("internal: {0}")]
    Internal(String),
}

impl ApiError {
    pub fn internal(e: impl std::fmt::Display) -> Self {
        ApiError::Internal(e.to_string())
    }

    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::Unauthenticated => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::SlowBody => StatusCode::REQUEST_TIMEOUT,
            ApiError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Conflict { .. } => StatusCode::CONFLICT,
            ApiError::VersionRequired | ApiError::Stale { .. } => StatusCode::PRECONDITION_FAILED,
            ApiError::Throttled(_) => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn code(&self) -> &'static str {
        match self {
            ApiError::NotFound => "not-found",
            ApiError::Unauthenticated => "unauthenticated",
            ApiError::Forbidden(_) => "forbidden",
            ApiError::BadRequest(_) => "bad-request",
            ApiError::TooLarge(_) => "too-large",
            ApiError::SlowBody => "slow-body",
            ApiError::Invalid(_) => "invalid-plan",
            ApiError::Conflict { .. } => "conflict",
            ApiError::VersionRequired => "version-required",
            ApiError::Stale { .. } => "stale-version",
            ApiError::Throttled(_) => "throttled",
            ApiError::Unavailable(_) => "unavailable",
            ApiError::Internal(_) => "internal",
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound { .. } => ApiError::NotFound,
            StoreError::Exists(key) => ApiError::Conflict {
                message: format!("a program `{key}` already exists"),
                current: None,
                changes: Vec::new(),
            },
            StoreError::Conflict { what, actual, .. } => ApiError::Conflict {
                message: format!("{what} changed since it was read (it is at version {actual})"),
                current: Some(actual),
                changes: Vec::new(),
            },
            StoreError::DuplicateKey { kind, key } => ApiError::Conflict {
                message: format!("two {kind}s would have the id `{key}`"),
                current: None,
                changes: Vec::new(),
            },
            other => ApiError::Internal(other.to_string()),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        let code = self.code();
        let request_id = request_id();
        let message = match &self {
            ApiError::Internal(detail) => {
                tracing::error!(request_id, detail, "internal error");
                format!("something went wrong on the server; quote request id {request_id} when reporting it")
            }
            other => other.to_string(),
        };
        let retry = match self {
            ApiError::Throttled(seconds) => Some(seconds),
            _ => None,
        };
        let (problems, changes, current_version) = match self {
            ApiError::Invalid(problems) => (problems, Vec::new(), None),
            ApiError::Conflict { changes, current, .. } => (Vec::new(), changes, current),
            ApiError::Stale { current } => (Vec::new(), Vec::new(), Some(current)),
            _ => (Vec::new(), Vec::new(), None),
        };
        error_response(status, code, message, problems, changes, current_version, request_id, retry)
    }
}

/// The JSON error answer; also used for answers made outside a handler
/// (a body limit, a panic, an unknown route).
#[allow(clippy::too_many_arguments)]
fn error_response(
    status: StatusCode,
    code: &str,
    message: String,
    problems: Vec<Problem>,
    changes: Vec<ChangeSummary>,
    current_version: Option<i64>,
    request_id: String,
    retry: Option<u64>,
) -> Response {
    let body = ErrorBody {
        error: ErrorDetail { code: code.to_owned(), message, problems, changes, current_version, request_id },
    };
    let mut response = (status, Json(body)).into_response();
    if let Some(seconds) = retry
        && let Ok(value) = HeaderValue::from_str(&seconds.to_string())
    {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    response
}

/// A plain error answer by status alone.
pub fn status_response(status: StatusCode, code: &str, message: impl Into<String>) -> Response {
    error_response(status, code, message.into(), Vec::new(), Vec::new(), None, request_id(), None)
}

/// A request that could not be read: the status and message axum's
/// extractor chose, or the slow-body guard's.
#[derive(Debug)]
pub struct Rejected(pub StatusCode, pub String);

impl IntoResponse for Rejected {
    fn into_response(self) -> Response {
        let code = match self.0 {
            StatusCode::PAYLOAD_TOO_LARGE => "too-large",
            StatusCode::REQUEST_TIMEOUT => "slow-body",
            StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported-media-type",
            StatusCode::UNPROCESSABLE_ENTITY => "invalid-body",
            _ => "bad-request",
        };
        status_response(self.0, code, self.1)
    }
}

fn rejected(status: StatusCode, text: String, error: &(dyn std::error::Error + 'static)) -> Rejected {
    let mut source = Some(error);
    while let Some(e) = source {
        if e.is::<crate::middleware::SlowBody>() {
            return Rejected(StatusCode::REQUEST_TIMEOUT, crate::middleware::SlowBody.to_string());
        }
        // The limit on a streamed body trips inside the slow-body guard's
        // stream, which hides it from axum's own check: find it here.
        if e.is::<http_body_util::LengthLimitError>() {
            return Rejected(StatusCode::PAYLOAD_TOO_LARGE, "the request body is larger than the server allows".into());
        }
        source = e.source();
    }
    Rejected(status, text)
}

impl From<axum::extract::rejection::JsonRejection> for Rejected {
    fn from(r: axum::extract::rejection::JsonRejection) -> Self {
        rejected(r.status(), r.body_text(), &r)
    }
}

impl From<axum::extract::rejection::BytesRejection> for Rejected {
    fn from(r: axum::extract::rejection::BytesRejection) -> Self {
        rejected(r.status(), r.body_text(), &r)
    }
}

impl From<axum::extract::rejection::QueryRejection> for Rejected {
    fn from(r: axum::extract::rejection::QueryRejection) -> Self {
        Rejected(StatusCode::BAD_REQUEST, r.body_text())
    }
}

impl From<axum::extract::rejection::PathRejection> for Rejected {
    fn from(r: axum::extract::rejection::PathRejection) -> Self {
        Rejected(StatusCode::BAD_REQUEST, r.body_text())
    }
}

/// `Json` whose refusals are answered in the API's error shape.
#[derive(axum::extract::FromRequest)]
#[from_request(via(axum::Json), rejection(Rejected))]
pub struct ApiJson<T>(pub T);

impl<T: Serialize> IntoResponse for ApiJson<T> {
    fn into_response(self) -> Response {
        Json(self.0).into_response()
    }
}

/// `Query` whose refusals are answered in the API's error shape.
#[derive(axum::extract::FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(Rejected))]
pub struct ApiQuery<T>(pub T);

/// `Path` whose refusals are answered in the API's error shape.
#[derive(axum::extract::FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(Rejected))]
pub struct ApiPath<T>(pub T);
