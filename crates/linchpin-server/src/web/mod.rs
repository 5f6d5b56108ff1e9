//! The dashboard: server-rendered pages over the same store, engine and
//! reports as the API. Every page works without script; forms post
//! ordinary form bodies, each carrying the session's CSRF token, and go
//! through the API's own writes (the version check, the resolver, the
//! audit trail), so a form can do nothing the API would refuse.
//!
//! - `analysed`: each program version's schedule, forecast and findings,
//!   computed once off the request and kept, so pages render in
//!   milliseconds and say "computing" instead of hanging.
//! - `layout`: the page around every page, its style, errors as pages.
//! - `account`: sign-in, sign-out, the account page and its API tokens,
//!   administration of users and program roles.
//! - `program`, `team`, `item`, `registers`, `what_if`: the pages of a program.

pub mod account;
pub mod analysed;
pub mod item;
pub mod layout;
pub mod program;
pub mod registers;
pub mod team;
pub mod what_if;

use std::sync::Arc;

use axum::Router;
use axum::extract::{FromRequestParts, OptionalFromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use linchpin_store::{ProgramRow, Role};

use crate::auth::{self, Caller, Via};
use crate::error::ApiError;
use crate::state::App;

pub use analysed::Pages;
pub use layout::WebError;

/// Every page's route.
pub fn routes() -> Router<Arc<App>> {
    Router::new()
        .route("/", get(program::portfolio))
        .route("/assets/style.css", get(layout::style_sheet))
        .route("/assets/computing.js", get(layout::computing_script))
        .route("/sign-in", get(account::sign_in_page).post(account::sign_in))
        .route("/sign-out", post(account::sign_out))
        .route("/account", get(account::account_page))
        .route("/account/tokens", post(account::create_token))
        .route("/account/tokens/{id}/revoke", post(account::revoke_token))
        .route("/admin", get(account::admin_page))
        .route("/admin/users", post(account::create_user))
        .route("/admin/roles", post(account::set_role))
        .route("/p/{program}", get(program::program_page))
        .route("/p/{program}/report", get(program::report))
        .route("/p/{program}/teams/{team}", get(team::team_page))
        .route("/p/{program}/items/{key}", get(item::item_page).post(item::update_item))
        .route("/p/{program}/items/{key}/blockers", post(item::raise_blocker))
        .route("/p/{program}/items/{key}/blockers/{blocker}/clear", post(item::clear_blocker))
        .route("/p/{program}/risks", get(registers::risks_page).post(registers::add_risk))
        .route("/p/{program}/risks/{key}/close", post(registers::close_risk))
        .route("/p/{program}/decisions", get(registers::decisions_page).post(registers::record_decision))
        .route("/p/{program}/what-if", get(what_if::what_if_page).post(what_if::save))
}

/// A signed-in visitor of a page: by session cookie only (the dashboard
/// is for people; tokens are for the API). Without a session, pages
/// redirect to the sign-in page and come back after.
pub struct Visitor {
    pub caller: Caller,
    pub csrf: String,
}

impl Visitor {
    pub fn name(&self) -> &str {
        &self.caller.user.name
    }

    /// Refuses a form post whose CSRF token is not this session's: a page
    /// of another site can make the browser post here with the cookie,
    /// but cannot read the token the form was given.
    pub fn check_csrf(&self, sent: &str) -> Result<(), WebError> {
        if auth::same_secret(sent, &self.csrf) {
            Ok(())
        } else {
            Err(WebError::from(ApiError::Forbidden(
                "this form is stale or did not come from this site (its CSRF token is not this session's); reload the page and send it again"
                    .into(),
            )))
        }
    }

    /// The program `key` and the visitor's role in it; a program the
    /// visitor may not see is "not found", as in the API.
    pub async fn program(&self, app: &App, key: &str) -> Result<(ProgramRow, Role), WebError> {
        Ok(crate::api::visible(app, &self.caller, key).await?)
    }
}

/// Where a page was asked for, so sign-in can come back to it.
fn wanted(parts: &Parts) -> String {
    parts.uri.path_and_query().map_or("/", |p| p.as_str()).to_owned()
}

impl FromRequestParts<Arc<App>> for Visitor {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, app: &Arc<App>) -> Result<Self, Response> {
        match <Visitor as OptionalFromRequestParts<Arc<App>>>::from_request_parts(parts, app).await? {
            Some(visitor) => Ok(visitor),
            None => {
                let next = wanted(parts);
                Err(Redirect::to(&format!("/sign-in?next={}", encode(&next))).into_response())
            }
        }
    }
}

impl OptionalFromRequestParts<Arc<App>> for Visitor {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, app: &Arc<App>) -> Result<Option<Self>, Response> {
        // Posts from pages of another origin are refused outright, before
        // anything else is read (the CSRF token is checked too).
        if parts.method == axum::http::Method::POST
            && !same_origin(&parts.headers, &app.config.public_url, app.config.trust_proxy)
        {
            return Err(
                WebError::from(ApiError::Forbidden("this form was sent from another site".into())).into_response()
            );
        }
        if parts.headers.contains_key(header::AUTHORIZATION) {
            return Ok(None);
        }
        match auth::identify(parts, app).await {
            Ok(Some(caller)) => match &caller.via {
                Via::Session { csrf, .. } => {
                    let csrf = csrf.clone();
                    Ok(Some(Visitor { caller, csrf }))
                }
                Via::Token { .. } => Ok(None),
            },
            Ok(None) => Ok(None),
            Err(e) => Err(WebError::from(e).into_response()),
        }
    }
}

/// Whether a post's `Origin` (or, without one, its `Referer`) is this
/// server: the host the request was sent to, the public address it is
/// configured with, or behind a trusted proxy the host the proxy was asked
/// for. A post with neither header is left to the CSRF token.
pub(crate) fn same_origin(headers: &HeaderMap, public_url: &str, trust_proxy: bool) -> bool {
    let from = headers.get(header::ORIGIN).or_else(|| headers.get(header::REFERER)).and_then(|v| v.to_str().ok());
    let Some(url) = from else { return true };
    if url == "null" {
        return false;
    }
    let host_of = |url: &str| -> Option<String> {
        let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
        rest.split('/').next().map(str::to_ascii_lowercase)
    };
    let Some(origin) = host_of(url) else { return false };
    let header_host =
        |name: header::HeaderName| headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_ascii_lowercase);
    let mut hosts = vec![header_host(header::HOST), host_of(public_url)];
    if trust_proxy {
        hosts.push(header_host(header::HeaderName::from_static("x-forwarded-host")));
    }
    hosts.into_iter().flatten().any(|h| h == origin)
}

/// Percent-encodes `s` for a query value or a path segment.
pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A local path to come back to after signing in: only paths of this
/// site, never another host (`//evil.example`) or a script.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') && n.len() <= 2048 => n.to_owned(),
        _ => "/".to_owned(),
    }
}

/// After a form post, back to a page (303, so a reload does not post again).
pub fn see_other(to: &str) -> Response {
    Redirect::to(to).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_stays_on_this_site() {
        assert_eq!(safe_next(Some("/p/platform?x=1")), "/p/platform?x=1");
        assert_eq!(safe_next(Some("//evil.example/")), "/");
        assert_eq!(safe_next(Some("https://evil.example/")), "/");
        assert_eq!(safe_next(Some("/\\evil.example")), "/");
        assert_eq!(safe_next(None), "/");
        assert_eq!(encode("/p/a b?x=é"), "%2Fp%2Fa%20b%3Fx%3D%C3%A9");
    }

    #[test]
    fn posts_from_other_sites_are_told_apart() {
        let public = "https://linchpin.example.com";
        let mut headers = HeaderMap::new();
        headers.insert(header::HOST, "127.0.0.1:8080".parse().expect("header"));
        assert!(same_origin(&headers, public, false), "no origin: left to the CSRF token");
        headers.insert(header::ORIGIN, "http://127.0.0.1:8080".parse().expect("header"));
        assert!(same_origin(&headers, public, false));
        headers.insert(header::ORIGIN, "https://linchpin.example.com".parse().expect("header"));
        assert!(same_origin(&headers, public, false), "the public address, behind a proxy that rewrote Host");
        headers.insert(header::ORIGIN, "http://evil.example".parse().expect("header"));
        assert!(!same_origin(&headers, public, false));
        headers.insert(header::ORIGIN, "null".parse().expect("header"));
        assert!(!same_origin(&headers, public, false));
        headers.insert(header::ORIGIN, "https://dash.internal".parse().expect("header"));
        headers.insert("x-forwarded-host", "dash.internal".parse().expect("header"));
        assert!(!same_origin(&headers, public, false), "a forwarded host counts only behind a trusted proxy");
        assert!(same_origin(&headers, public, true));
    }
}
