//! Accounts: the first administrator (by the one-time code the server
//! prints), signing in and out, one's own API tokens, and users for
//! server administrators.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use linchpin_store::{History, NewToken, NewUser, SessionRow, Store, UserRow};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{AuditOut, HistoryPage, Page, Shared};
use crate::auth::{self, Caller, Via};
use crate::error::{ApiError, ApiJson, ApiPath, ApiQuery};
use crate::state::App;

#[derive(Debug, Serialize, ToSchema)]
pub struct UserOut {
    pub id: String,
    pub name: String,
    pub display_name: String,
    pub server_admin: bool,
    pub disabled: bool,
    pub created_at: String,
}

impl From<&UserRow> for UserOut {
    fn from(u: &UserRow) -> Self {
        UserOut {
            id: u.id.to_string(),
            name: u.name.clone(),
            display_name: u.display_name.clone(),
            server_admin: u.server_admin,
            disabled: u.disabled,
            created_at: u.created_at.to_rfc3339(),
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignIn {
    pub name: String,
    pub password: String,
}

/// A new session: send `csrf_token` as `x-csrf-token` with every write.
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionOut {
    pub user: UserOut,
    pub csrf_token: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetupIn {
    /// The code the server printed at its first start.
    pub code: String,
    pub name: String,
    pub display_name: Option<String>,
    pub password: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUserIn {
    pub name: String,
    pub display_name: Option<String>,
    pub password: String,
    #[serde(default)]
    pub server_admin: bool,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTokenIn {
    /// What it is for, e.g. `CI status bot`.
    pub name: String,
    /// Program keys it may reach; absent: every program the user can.
    pub programs: Option<Vec<String>>,
    /// Whether it may change things (default: read only).
    #[serde(default)]
    pub write: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TokenOut {
    pub id: String,
    pub name: String,
    /// Program ids it may reach; absent: every program the user can.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub programs: Option<Vec<String>>,
    pub write: bool,
    pub created_at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_used: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revoked_at: Option<String>,
}

/// A token just made: `token` is shown this once and never again.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedToken {
    pub token: String,
    #[serde(flatten)]
    pub about: TokenOut,
}

const SETUP_HOURS: i64 = 24;

/// On a database with no users, a one-time code to create the first
/// administrator with, valid for a day; the server prints its link.
pub async fn setup_code(app: &App) -> Result<Option<String>, ApiError> {
    if app.store.count_users().await? > 0 {
        return Ok(None);
    }
    let code = auth::secret();
    app.store.put_setup_code(&auth::sha256_hex(&code), Utc::now() + chrono::Duration::hours(SETUP_HOURS)).await?;
    Ok(Some(code))
}

async fn hash(password: String) -> Result<String, ApiError> {
    auth::check_password_rules(&password)?;
    tokio::task::spawn_blocking(move || auth::hash_password(&password)).await.map_err(ApiError::internal)?
}

/// Creates the first server administrator with the one-time code, and signs them in.
#[utoipa::path(post, path = "/api/v1/setup", tag = "accounts", request_body = SetupIn,
    responses((status = 201, body = SessionOut), (status = 400, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody)))]
pub async fn setup(
    State(app): State<Shared>,
    headers: HeaderMap,
    ApiJson(input): ApiJson<SetupIn>,
) -> Result<Response, ApiError> {
    let name = auth::check_user_name(&input.name)?;
    // A hash costs 19 MiB and real time: once setup is over, anyone asking
    // is refused before the server spends them.
    if input.code.len() > 128 || app.store.count_users().await? > 0 {
        return Err(ApiError::NotFound);
    }
    let password_hash = hash(input.password).await?;
    if !app.store.take_setup_code(&auth::sha256_hex(&input.code), Utc::now()).await? {
        return Err(ApiError::NotFound);
    }
    let actor = name.clone();
    let user = app
        .store
        .create_user(
            &actor,
            NewUser {
                display_name: input.display_name.unwrap_or_else(|| name.clone()),
                name,
                password_hash,
                server_admin: true,
            },
        )
        .await?;
    start_session(&app, &headers, user, StatusCode::CREATED).await
}

async fn start_session(
    app: &App,
    headers: &HeaderMap,
    user: UserRow,
    status: StatusCode,
) -> Result<Response, ApiError> {
    let cookie = auth::secret();
    let csrf = auth::secret();
    let now = Utc::now();
    app.store
        .create_session(SessionRow {
            id_hash: auth::sha256_hex(&cookie),
            user_id: user.id,
            csrf_token: csrf.clone(),
            created_at: now,
            last_seen: now,
        })
        .await?;
    let set = auth::session_set_cookie(Some(&cookie), auth::secure_cookie(app, headers), app.config.session_absolute);
    let mut response =
        (status, axum::Json(SessionOut { user: UserOut::from(&user), csrf_token: csrf })).into_response();
    response.headers_mut().insert(header::SET_COOKIE, HeaderValue::from_str(&set).map_err(ApiError::internal)?);
    Ok(response)
}

/// Signs in with a name and password: a session cookie (a new one every
/// time) and its CSRF token. Failed tries are counted per account and per
/// address, and past a limit refused for a while (429).
#[utoipa::path(post, path = "/api/v1/session", tag = "accounts", request_body = SignIn,
    responses((status = 201, body = SessionOut), (status = 401, body = crate::error::ErrorBody),
        (status = 429, body = crate::error::ErrorBody)))]
pub async fn sign_in(
    State(app): State<Shared>,
    address: ClientAddress,
    headers: HeaderMap,
    ApiJson(input): ApiJson<SignIn>,
) -> Result<Response, ApiError> {
    // A name no account can have (too long, control characters…) is
    // refused before it reaches the throttling table, which would not take it.
    let Ok(name) = auth::check_user_name(&input.name) else { return Err(ApiError::Unauthenticated) };
    if input.password.len() > 4 * auth::PASSWORD_MAX {
        return Err(ApiError::Unauthenticated);
    }
    let keys = [format!("user:{name}"), format!("addr:{}", address.0)];
    let since = Utc::now() - chrono::Duration::from_std(auth::THROTTLE_WINDOW).unwrap_or_default();
    for (key, most) in keys.iter().zip([auth::THROTTLE_ACCOUNT, auth::THROTTLE_ADDRESS]) {
        if app.store.login_failures_since(key, since).await? >= most {
            return Err(ApiError::Throttled(auth::THROTTLE_WINDOW.as_secs()));
        }
    }
    let user = app.store.user_by_name(&name).await?;
    let hash = user.as_ref().map_or_else(|| auth::decoy_hash().to_owned(), |u| u.password_hash.clone());
    let password = input.password;
    let ok = tokio::task::spawn_blocking(move || auth::verify_password(&password, &hash))
        .await
        .map_err(ApiError::internal)?;
    match user {
        Some(user) if ok && !user.disabled => {
            app.store.clear_login_failures(&keys[0]).await?;
            start_session(&app, &headers, user, StatusCode::CREATED).await
        }
        _ => {
            for key in &keys {
                app.store.record_login_failure(key, Utc::now()).await?;
            }
            Err(ApiError::Unauthenticated)
        }
    }
}

/// Signs out: the session ends on the server, and the cookie is cleared.
#[utoipa::path(delete, path = "/api/v1/session", tag = "accounts",
    responses((status = 204), (status = 401, body = crate::error::ErrorBody)))]
pub async fn sign_out(State(app): State<Shared>, caller: Caller, headers: HeaderMap) -> Result<Response, ApiError> {
    let Via::Session { id_hash, .. } = &caller.via else {
        return Err(ApiError::BadRequest("an API token has no session to end; revoke the token instead".into()));
    };
    app.store.delete_session(id_hash).await?;
    let set = auth::session_set_cookie(None, auth::secure_cookie(&app, &headers), std::time::Duration::ZERO);
    let mut response = StatusCode::NO_CONTENT.into_response();
    response.headers_mut().insert(header::SET_COOKIE, HeaderValue::from_str(&set).map_err(ApiError::internal)?);
    Ok(response)
}

/// Who the caller is.
#[utoipa::path(get, path = "/api/v1/me", tag = "accounts",
    responses((status = 200, body = UserOut), (status = 401, body = crate::error::ErrorBody)))]
pub async fn me(caller: Caller) -> Result<Response, ApiError> {
    Ok(axum::Json(UserOut::from(&caller.user)).into_response())
}

fn token_out(t: linchpin_store::TokenRow) -> TokenOut {
    TokenOut {
        id: t.id.to_string(),
        name: t.name,
        programs: t.programs,
        write: t.write,
        created_at: t.created_at.to_rfc3339(),
        last_used: t.last_used.map(|d| d.to_rfc3339()),
        revoked_at: t.revoked_at.map(|d| d.to_rfc3339()),
    }
}

/// The caller's API tokens (never their secrets).
#[utoipa::path(get, path = "/api/v1/me/tokens", tag = "accounts",
    responses((status = 200, body = [TokenOut]), (status = 401, body = crate::error::ErrorBody)))]
pub async fn tokens(State(app): State<Shared>, caller: Caller) -> Result<Response, ApiError> {
    let tokens: Vec<TokenOut> = app.store.tokens_of(caller.user.id).await?.into_iter().map(token_out).collect();
    Ok(axum::Json(tokens).into_response())
}

/// Makes an API token; its secret is in this answer only.
#[utoipa::path(post, path = "/api/v1/me/tokens", tag = "accounts", request_body = NewTokenIn,
    responses((status = 201, body = CreatedToken), (status = 400, body = crate::error::ErrorBody),
        (status = 401, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn create_token(
    State(app): State<Shared>,
    caller: Caller,
    ApiJson(input): ApiJson<NewTokenIn>,
) -> Result<Response, ApiError> {
    // A token cannot mint tokens: that would outlive its own revocation.
    if !matches!(caller.via, Via::Session { .. }) {
        return Err(ApiError::Forbidden("API tokens are made when signed in, not with another token".into()));
    }
    let name = input.name.trim().to_owned();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(ApiError::BadRequest("a token's name is 1 to 100 characters".into()));
    }
    let programs = match input.programs {
        None => None,
        Some(keys) if keys.len() <= 1000 => {
            let mut ids = Vec::with_capacity(keys.len());
            for key in keys {
                let (row, _) = super::visible(&app, &caller, &key).await?;
                ids.push(row.id);
            }
            Some(ids)
        }
        Some(_) => return Err(ApiError::BadRequest("a token names at most 1,000 programs".into())),
    };
    let secret = format!("lp_{}", auth::secret());
    let row = app
        .store
        .create_token(
            &caller.user.name,
            NewToken { user_id: caller.user.id, name, hash: auth::sha256_hex(&secret), programs, write: input.write },
        )
        .await?;
    Ok((StatusCode::CREATED, axum::Json(CreatedToken { token: secret, about: token_out(row) })).into_response())
}

/// Revokes one of the caller's tokens.
#[utoipa::path(delete, path = "/api/v1/me/tokens/{id}", tag = "accounts", params(("id" = String, Path)),
    responses((status = 204), (status = 401, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn revoke_token(
    State(app): State<Shared>,
    caller: Caller,
    ApiPath(id): ApiPath<String>,
) -> Result<Response, ApiError> {
    caller.require_write()?;
    caller.require_unscoped()?;
    let id: linchpin_store::Uuid = id.parse().map_err(|_| ApiError::NotFound)?;
    app.store.revoke_token(&caller.user.name, caller.user.id, id).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// Every user (server administrators only).
#[utoipa::path(get, path = "/api/v1/users", tag = "accounts", params(Page),
    responses((status = 200, body = [UserOut]), (status = 403, body = crate::error::ErrorBody)))]
pub async fn users(
    State(app): State<Shared>,
    caller: Caller,
    ApiQuery(page): ApiQuery<Page>,
) -> Result<Response, ApiError> {
    caller.require_unscoped()?;
    if !caller.user.server_admin {
        return Err(ApiError::Forbidden("this needs a server administrator".into()));
    }
    let all: Vec<UserOut> = app.store.users().await?.iter().map(UserOut::from).collect();
    let (users, _) = page.of(all)?;
    Ok(axum::Json(users).into_response())
}

/// Adds a user (server administrators only).
#[utoipa::path(post, path = "/api/v1/users", tag = "accounts", request_body = NewUserIn,
    responses((status = 201, body = UserOut), (status = 400, body = crate::error::ErrorBody),
        (status = 403, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn create_user(
    State(app): State<Shared>,
    caller: Caller,
    ApiJson(input): ApiJson<NewUserIn>,
) -> Result<Response, ApiError> {
    caller.require_server_admin()?;
    let name = auth::check_user_name(&input.name)?;
    let password_hash = hash(input.password).await?;
    let display_name = input.display_name.unwrap_or_else(|| name.clone());
    if display_name.chars().count() > 200 {
        return Err(ApiError::BadRequest("a display name is at most 200 characters".into()));
    }
    let user = app
        .store
        .create_user(&caller.user.name, NewUser { name, display_name, password_hash, server_admin: input.server_admin })
        .await?;
    Ok((StatusCode::CREATED, axum::Json(UserOut::from(&user))).into_response())
}

/// What a user changed, oldest first (the user themself or server administrators).
#[utoipa::path(get, path = "/api/v1/users/{user}/history", tag = "history", params(("user" = String, Path), Page),
    responses((status = 200, body = HistoryPage), (status = 404, body = crate::error::ErrorBody)))]
pub async fn user_history(
    State(app): State<Shared>,
    caller: Caller,
    ApiPath(user): ApiPath<String>,
    ApiQuery(page): ApiQuery<Page>,
) -> Result<Response, ApiError> {
    let user = user.to_lowercase();
    if !caller.user.server_admin && caller.user.name != user {
        return Err(ApiError::NotFound);
    }
    let rows = app.store.history(History::Actor(user)).await?;
    let (entries, next) = page.of(rows.into_iter().map(AuditOut::from).collect())?;
    Ok(axum::Json(HistoryPage { entries, next }).into_response())
}

/// The address a request came from, as [`auth::client_address`] judges it.
pub struct ClientAddress(pub String);

impl axum::extract::FromRequestParts<Arc<App>> for ClientAddress {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, app: &Arc<App>) -> Result<Self, ApiError> {
        Ok(ClientAddress(auth::client_address(&parts.headers, auth::peer(parts), app.config.trust_proxy)))
    }
}

#[derive(Debug, Deserialize)]
pub struct SetupQuery {
    pub code: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct SetupForm {
    pub code: String,
    pub name: String,
    pub password: String,
}

/// HTML text with `& < > " '` escaped.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn page(title: &str, body: &str) -> Response {
    let html = format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title} · Linchpin</title><style>body{{font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;color:#1a1a1a}}\
         label{{display:block;margin:1rem 0 .25rem}}input{{font:inherit;padding:.4rem;width:100%;box-sizing:border-box}}\
         button{{font:inherit;margin-top:1rem;padding:.5rem 1rem}}:focus-visible{{outline:3px solid #1a56db;outline-offset:2px}}</style></head>\
         <body><main><h1>{title}</h1>{body}</main></body></html>\n"
    );
    ([(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"))], html).into_response()
}

/// The first administrator's page, reached by the link the server prints.
pub async fn setup_page(ApiQuery(query): ApiQuery<SetupQuery>) -> Response {
    let code: String = query.code.unwrap_or_default().chars().take(128).collect();
    let code = escape_html(&code);
    page(
        "Create the first administrator",
        &format!(
            "<form method=\"post\" action=\"/setup\"><input type=\"hidden\" name=\"code\" value=\"{code}\">\
             <label for=\"name\">User name</label><input id=\"name\" name=\"name\" autocomplete=\"username\" required maxlength=\"64\">\
             <label for=\"password\">Password (at least {} characters)</label>\
             <input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"new-password\" required minlength=\"{}\" maxlength=\"{}\">\
             <button type=\"submit\">Create</button></form>",
            auth::PASSWORD_MIN,
            auth::PASSWORD_MIN,
            auth::PASSWORD_MAX
        ),
    )
}

/// The setup page's form: the first administrator, signed in.
pub async fn setup_form(
    State(app): State<Shared>,
    headers: HeaderMap,
    axum::Form(form): axum::Form<SetupForm>,
) -> Result<Response, ApiError> {
    let input = SetupIn { code: form.code, name: form.name, display_name: None, password: form.password };
    let name = auth::check_user_name(&input.name)?;
    let mut response = setup(State(app), headers, ApiJson(input)).await?;
    let set_cookie = response.headers_mut().remove(header::SET_COOKIE);
    let mut done = page(
        "Done",
        &format!(
            "<p>You are signed in as <strong>{}</strong>, a server administrator. The API is at <code>/api/v1</code>, described by <a href=\"/api/openapi.json\">/api/openapi.json</a>.</p>",
            escape_html(&name)
        ),
    );
    if let Some(cookie) = set_cookie {
        done.headers_mut().insert(header::SET_COOKIE, cookie);
    }
    Ok(done)
}
