//! Signing in and out, the account page with its API tokens, and the
//! administration of users and program roles. Each goes through the
//! API's own handlers (the same throttling, hashing, checks and audit),
//! so the pages add no second way to do any of it.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use linchpin_store::{Role, Store};
use maud::{Markup, html};
use serde::Deserialize;

use super::layout::{Page, html_response};
use super::{Visitor, WebError, encode, safe_next, see_other};
use crate::api::accounts::{ClientAddress, NewTokenIn, NewUserIn, SignIn};
use crate::auth::{self, Via};
use crate::error::{ApiError, ApiJson, ApiPath};
use crate::state::App;

type Shared = Arc<App>;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NextQuery {
    pub next: Option<String>,
}

fn sign_in_form(next: &str, failed: Option<&str>) -> Markup {
    html! {
        h1 { "Sign in" }
        @if let Some(why) = failed { p.warning role="alert" { (why) } }
        form method="post" action="/sign-in" {
            input type="hidden" name="next" value=(next);
            label for="name" { "User name" }
            input id="name" name="name" autocomplete="username" required maxlength="64" autofocus;
            label for="password" { "Password" }
            input id="password" name="password" type="password" autocomplete="current-password" required maxlength="1024";
            p { button.primary type="submit" { "Sign in" } }
        }
    }
}

pub async fn sign_in_page(visitor: Option<Visitor>, Query(query): Query<NextQuery>) -> Result<Response, WebError> {
    let next = safe_next(query.next.as_deref());
    if let Some(v) = &visitor {
        let body = html! {
            h1 { "Signed in" }
            p { "You are signed in as " strong { (v.name()) } ". " a href=(next) { "Go on" } }
        };
        return Ok(
            Page { title: "Sign in".into(), visitor: Some(v), program: None, body, computing: false }.into_response()
        );
    }
    Ok(Page {
        title: "Sign in".into(),
        visitor: None,
        program: None,
        body: sign_in_form(&next, None),
        computing: false,
    }
    .into_response())
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignInForm {
    pub name: String,
    pub password: String,
    #[serde(default)]
    pub next: String,
}

/// Signs in through the API's own sign-in (throttled per account and
/// address), then goes on to the page asked for.
pub async fn sign_in(
    State(app): State<Shared>,
    address: ClientAddress,
    headers: HeaderMap,
    axum::Form(form): axum::Form<SignInForm>,
) -> Result<Response, WebError> {
    if !super::same_origin(&headers, &app.config.public_url, app.config.trust_proxy) {
        return Err(ApiError::Forbidden("this form was sent from another site".into()).into());
    }
    let next = safe_next(Some(&form.next));
    let input = SignIn { name: form.name, password: form.password };
    match crate::api::accounts::sign_in(State(app), address, headers, ApiJson(input)).await {
        Ok(mut answer) => {
            let mut response = see_other(&next);
            if let Some(cookie) = answer.headers_mut().remove(header::SET_COOKIE) {
                response.headers_mut().insert(header::SET_COOKIE, cookie);
            }
            Ok(response)
        }
        Err(ApiError::Unauthenticated) => {
            let page = Page {
                title: "Sign in".into(),
                visitor: None,
                program: None,
                body: sign_in_form(&next, Some("That user name and password do not match an account.")),
                computing: false,
            };
            Ok(html_response(StatusCode::UNAUTHORIZED, page.render()))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CsrfForm {
    pub csrf: String,
}

pub async fn sign_out(
    State(app): State<Shared>,
    visitor: Visitor,
    headers: HeaderMap,
    axum::Form(form): axum::Form<CsrfForm>,
) -> Result<Response, WebError> {
    visitor.check_csrf(&form.csrf)?;
    if let Via::Session { id_hash, .. } = &visitor.caller.via {
        app.store.delete_session(id_hash).await?;
    }
    let set = auth::session_set_cookie(None, auth::secure_cookie(&app, &headers), std::time::Duration::ZERO);
    let mut response = see_other("/sign-in");
    response.headers_mut().insert(header::SET_COOKIE, set.parse().map_err(ApiError::internal)?);
    Ok(response)
}

/// The account page: who one is, one's programs and roles, API tokens.
pub async fn account_page(State(app): State<Shared>, visitor: Visitor) -> Result<Response, WebError> {
    account(&app, &visitor, None).await
}

/// `created`: a token just made, as (its name, its secret).
async fn account(app: &App, visitor: &Visitor, created: Option<(String, String)>) -> Result<Response, WebError> {
    let user = &visitor.caller.user;
    let tokens = app.store.tokens_of(user.id).await?;
    let roles = app.store.roles_of(user.id).await?;
    let programs = app.store.programs().await?;
    let name_of = |id: &str| programs.iter().find(|p| p.id == id).map_or_else(|| id.to_owned(), |p| p.key.clone());
    let body = html! {
        h1 { "Your account" }
        p { "Signed in as " strong { (user.name) } @if !user.display_name.is_empty() { " (" (user.display_name) ")" }
            @if user.server_admin { ", a server administrator" } "." }
        section aria-labelledby="roles-heading" {
            h2 id="roles-heading" { "Your programs" }
            @if roles.is_empty() { p { "You have no role in any program yet." } }
            ul { @for (p, role) in &roles { li { a href={ "/p/" (encode(&p.key)) } { (p.name) } " · " (role.as_str()) } } }
        }
        section aria-labelledby="tokens-heading" {
            h2 id="tokens-heading" { "API tokens" }
            p { "A token lets a script or the " code { "linchpin push" } " and " code { "pull" }
                " commands act as you, within your roles. Give it to the command in " code { "LINCHPIN_TOKEN" } "." }
            @if let Some((name, secret)) = &created {
                div.done role="status" {
                    p { "Token " strong { (name) } " made. Copy it now: it is shown this once, and the server keeps only its hash." }
                    p.secret id="new-token" { (secret) }
                }
            }
            @if tokens.is_empty() { p { "You have no tokens." } } @else {
                div.table-scroll { table id="tokens" {
                    thead { tr { th scope="col" { "Name" } th scope="col" { "May" } th scope="col" { "Programs" }
                        th scope="col" { "Made" } th scope="col" { "Last used" } th scope="col" { "State" } } }
                    tbody {
                        @for t in &tokens {
                            tr {
                                th scope="row" { (t.name) }
                                td { @if t.write { "read and write" } @else { "read" } }
                                td { @match &t.programs { None => "every program you can see",
                                    Some(ids) => { @for (i, id) in ids.iter().enumerate() { @if i > 0 { ", " } (name_of(id)) } } } }
                                td.word { (t.created_at.format("%Y-%m-%d")) }
                                td.word { @match t.last_used { Some(d) => { (d.format("%Y-%m-%d %H:%M")) } None => "never" } }
                                td {
                                    @if let Some(r) = t.revoked_at { "revoked " (r.format("%Y-%m-%d")) } @else {
                                        form.inline method="post" action={ "/account/tokens/" (t.id) "/revoke" } {
                                            input type="hidden" name="csrf" value=(visitor.csrf);
                                            button type="submit" aria-label={ "Revoke token " (t.name) } { "Revoke" }
                                        }
                                    }
                                }
                            }
                        }
                    }
                } }
            }
            form method="post" action="/account/tokens" {
                input type="hidden" name="csrf" value=(visitor.csrf);
                fieldset {
                    legend { "Make a token" }
                    div.form-row {
                        div { label for="token-name" { "What it is for" } input id="token-name" name="name" required maxlength="100" size="30"; }
                        div { label for="token-programs" { "Only these programs (ids, separated by commas; empty for all)" }
                            input id="token-programs" name="programs" maxlength="2000" size="30"; }
                        div { label for="token-write" { "May change things" }
                            input type="checkbox" id="token-write" name="write" value="on"; }
                    }
                    p { button.primary type="submit" { "Make the token" } }
                }
            }
        }
    };
    Ok(Page { title: "Your account".into(), visitor: Some(visitor), program: None, body, computing: false }
        .into_response())
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenForm {
    pub csrf: String,
    pub name: String,
    #[serde(default)]
    pub programs: String,
    pub write: Option<String>,
}

/// Makes a token and shows its secret on the page this once (no
/// redirect: the secret must not travel in a URL or be stored to show later).
pub async fn create_token(
    State(app): State<Shared>,
    visitor: Visitor,
    axum::Form(form): axum::Form<TokenForm>,
) -> Result<Response, WebError> {
    visitor.check_csrf(&form.csrf)?;
    let programs: Vec<String> =
        form.programs.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect();
    let input = NewTokenIn {
        name: form.name,
        programs: (!programs.is_empty()).then_some(programs),
        write: form.write.is_some(),
    };
    let answer = crate::api::accounts::create_token(State(app.clone()), visitor.caller.clone(), ApiJson(input)).await?;
    let bytes = axum::body::to_bytes(answer.into_body(), 64 * 1024).await.map_err(ApiError::internal)?;
    let created: serde_json::Value = serde_json::from_slice(&bytes).map_err(ApiError::internal)?;
    let text = |field: &str| created.get(field).and_then(|v| v.as_str()).unwrap_or_default().to_owned();
    let mut response = account(&app, &visitor, Some((text("name"), text("token")))).await?;
    response.headers_mut().insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-store"));
    Ok(response)
}

pub async fn revoke_token(
    State(app): State<Shared>,
    visitor: Visitor,
    Path(id): Path<String>,
    axum::Form(form): axum::Form<CsrfForm>,
) -> Result<Response, WebError> {
    visitor.check_csrf(&form.csrf)?;
    crate::api::accounts::revoke_token(State(app), visitor.caller, ApiPath(id)).await?;
    Ok(see_other("/account"))
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SavedQuery {
    pub saved: Option<String>,
}

/// Users (for server administrators) and the members of the programs the
/// visitor administers.
pub async fn admin_page(
    State(app): State<Shared>,
    visitor: Visitor,
    Query(query): Query<SavedQuery>,
) -> Result<Response, WebError> {
    let user = &visitor.caller.user;
    let mut administered = Vec::new();
    for p in app.store.programs().await? {
        if matches!(visitor.caller.role(&app, &p).await, Ok(Role::Admin)) {
            let members = app.store.members(&p.key).await?;
            administered.push((p, members));
        }
    }
    if !user.server_admin && administered.is_empty() {
        return Err(ApiError::Forbidden("administration is for server administrators and program admins".into()).into());
    }
    let users = if user.server_admin { app.store.users().await? } else { Vec::new() };
    let body = html! {
        h1 { "Administration" }
        @if query.saved.is_some() { p.done role="status" { "Saved." } }
        @if user.server_admin {
            section aria-labelledby="users-heading" {
                h2 id="users-heading" { "Users" }
                div.table-scroll { table id="users" {
                    thead { tr { th scope="col" { "User name" } th scope="col" { "Name" } th scope="col" { "Server administrator" } th scope="col" { "State" } } }
                    tbody { @for u in &users { tr {
                        th scope="row" { (u.name) } td { (u.display_name) }
                        td { @if u.server_admin { "yes" } @else { "no" } }
                        td { @if u.disabled { "disabled" } @else { "active" } }
                    } } }
                } }
                form method="post" action="/admin/users" {
                    input type="hidden" name="csrf" value=(visitor.csrf);
                    fieldset {
                        legend { "Add a user" }
                        div.form-row {
                            div { label for="user-name" { "User name" } input id="user-name" name="name" required maxlength="64" autocomplete="off"; }
                            div { label for="user-display" { "Name" } input id="user-display" name="display_name" maxlength="200"; }
                            div { label for="user-password" { "First password (at least " (auth::PASSWORD_MIN) " characters)" }
                                input type="password" id="user-password" name="password" required minlength=(auth::PASSWORD_MIN) maxlength=(auth::PASSWORD_MAX) autocomplete="new-password"; }
                            div { label for="user-admin" { "Server administrator" } input type="checkbox" id="user-admin" name="server_admin" value="on"; }
                        }
                        p { button.primary type="submit" { "Add the user" } }
                    }
                }
            }
        }
        section aria-labelledby="roles-heading" {
            h2 id="roles-heading" { "Program roles" }
            @for (p, members) in &administered {
                h3 { (p.name) " (" (p.key) ")" }
                ul { @for (m, role) in members { li { (m.name) ": " (role.as_str()) } } }
            }
            @if !administered.is_empty() {
                form method="post" action="/admin/roles" {
                    input type="hidden" name="csrf" value=(visitor.csrf);
                    fieldset {
                        legend { "Give a user a role" }
                        div.form-row {
                            div { label for="role-program" { "Program" }
                                select id="role-program" name="program" { @for (p, _) in &administered { option value=(p.key) { (p.name) } } } }
                            div { label for="role-user" { "User name" } input id="role-user" name="user" required maxlength="64"; }
                            div { label for="role-role" { "Role" }
                                select id="role-role" name="role" {
                                    option value="viewer" { "viewer: reads" } option value="editor" { "editor: updates status and the plan" }
                                    option value="admin" { "admin: also manages members" } option value="none" { "none: remove from the program" }
                                } }
                        }
                        p { button.primary type="submit" { "Save the role" } }
                    }
                }
            }
        }
    };
    Ok(Page { title: "Administration".into(), visitor: Some(&visitor), program: None, body, computing: false }
        .into_response())
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserForm {
    pub csrf: String,
    pub name: String,
    #[serde(default)]
    pub display_name: String,
    pub password: String,
    pub server_admin: Option<String>,
}

pub async fn create_user(
    State(app): State<Shared>,
    visitor: Visitor,
    axum::Form(form): axum::Form<UserForm>,
) -> Result<Response, WebError> {
    visitor.check_csrf(&form.csrf)?;
    let display = form.display_name.trim();
    let input = NewUserIn {
        name: form.name,
        display_name: (!display.is_empty()).then(|| display.to_owned()),
        password: form.password,
        server_admin: form.server_admin.is_some(),
    };
    crate::api::accounts::create_user(State(app), visitor.caller, ApiJson(input)).await?;
    Ok(see_other("/admin?saved=1"))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleForm {
    pub csrf: String,
    pub program: String,
    pub user: String,
    pub role: String,
}

pub async fn set_role(
    State(app): State<Shared>,
    visitor: Visitor,
    axum::Form(form): axum::Form<RoleForm>,
) -> Result<Response, WebError> {
    visitor.check_csrf(&form.csrf)?;
    let path = ApiPath((form.program, form.user.trim().to_owned()));
    if form.role == "none" {
        crate::api::programs::remove_member(State(app), visitor.caller, path).await?;
    } else {
        let input = crate::api::programs::RoleIn { role: form.role };
        crate::api::programs::set_member(State(app), visitor.caller, path, ApiJson(input)).await?;
    }
    Ok(see_other("/admin?saved=1"))
}
