//! `linchpin serve`: the shared server. A thin shell over the store and
//! the engine: every write goes through the plan resolver, every read of
//! a computed result comes from the same analyses the CLI runs.
//!
//! - `config`: settings from flags, environment and file, bounded and redacted.
//! - `auth`: passwords (argon2id), sessions, CSRF, API tokens, roles.
//! - `api`: the JSON API (`/api/v1`), described by `/api/openapi.json`.
//! - `state`: the store, the engine's worker pool, programs resolved lately.
//! - `middleware`: request ids, security headers, the slow-body guard.
//! - `web`: the dashboard's pages, over the same writes and analyses.

pub mod api;
pub mod auth;
pub mod config;
pub mod error;
pub mod example;
pub mod middleware;
pub mod state;
pub mod web;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use linchpin_store::Store;
use utoipa::OpenApi;

pub use crate::config::{Config, RawConfig};
use crate::error::status_response;
pub use crate::state::App;

#[derive(OpenApi)]
#[openapi(
    info(title = "Linchpin", description = "Programs, their computed schedule, forecast, findings and reports, and accounts.", version = "1"),
    paths(
        api::programs::list, api::programs::create, api::programs::get, api::programs::pull, api::programs::push,
        api::programs::members, api::programs::set_member, api::programs::remove_member,
        api::entities::list, api::entities::get, api::entities::create, api::entities::patch, api::entities::replace,
        api::entities::delete, api::entities::history, api::entities::program_history,
        api::entities::get_section, api::entities::patch_section,
        api::computed::schedule, api::computed::forecast, api::computed::findings, api::computed::report,
        api::accounts::setup, api::accounts::sign_in, api::accounts::sign_out, api::accounts::me,
        api::accounts::tokens, api::accounts::create_token, api::accounts::revoke_token,
        api::accounts::users, api::accounts::create_user, api::accounts::user_history,
        healthz, readyz,
    ),
    // Types used only as parameters are not collected on their own.
    components(schemas(
        api::entities::Collection, api::entities::Section, api::computed::DistributionParam, api::computed::AudienceParam,
        api::computed::ReportFormat,
    )),
    modifiers(&Security, &CommonAnswers),
    security(("token" = []), ("session" = [])),
)]
pub struct ApiDoc;

struct Security;

impl utoipa::Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "token",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(auth::SESSION_COOKIE))),
        );
    }
}

/// The error answers any API operation can give besides its own (a bad
/// query, no or the wrong credentials, a body that is slow, too large, not
/// JSON or not the right shape, the server busy), listed on each so that
/// clients know every status they can meet.
struct CommonAnswers;

impl utoipa::Modify for CommonAnswers {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::content::Content;
        use utoipa::openapi::{Ref, RefOr, ResponseBuilder};
        const ALWAYS: [(&str, &str); 5] = [
            ("400", "the query, path or headers are not ones this operation takes"),
            ("401", "not signed in, or the token is not valid"),
            ("403", "signed in, but not allowed to do this"),
            ("500", "the server failed; the body names the request id of the log line"),
            ("503", "the server is busy or its database does not answer; try again"),
        ];
        const WITH_BODY: [(&str, &str); 4] = [
            ("408", "the body trickled in too slowly"),
            ("413", "the body is larger than the limit"),
            ("415", "the body is not sent as application/json"),
            ("422", "the body is not the JSON this operation takes"),
        ];
        for (path, item) in openapi.paths.paths.iter_mut() {
            if !path.starts_with("/api/v1/") {
                continue;
            }
            let operations = [&mut item.get, &mut item.put, &mut item.post, &mut item.delete, &mut item.patch];
            for operation in operations.into_iter().flatten() {
                let body = operation.request_body.is_some();
                let extra = if body { &WITH_BODY[..] } else { &[] };
                for (status, description) in ALWAYS.iter().chain(extra) {
                    operation.responses.responses.entry((*status).to_owned()).or_insert_with(|| {
                        RefOr::T(
                            ResponseBuilder::new()
                                .description(*description)
                                .content("application/json", Content::new(Some(Ref::from_schema_name("ErrorBody"))))
                                .build(),
                        )
                    });
                }
            }
        }
    }
}

/// The process is up.
#[utoipa::path(get, path = "/healthz", tag = "operations", security(()), responses((status = 200, body = String)))]
async fn healthz() -> &'static str {
    "ok"
}

/// The database answers and its migrations are applied.
#[utoipa::path(get, path = "/readyz", tag = "operations", security(()),
    responses((status = 200, body = String), (status = 503, body = crate::error::ErrorBody)))]
async fn readyz(State(app): State<Arc<App>>) -> Response {
    match app.store.ready().await {
        Ok(()) => "ready".into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "not ready");
            status_response(
                StatusCode::SERVICE_UNAVAILABLE,
                "not-ready",
                "the database is not reachable or not migrated",
            )
        }
    }
}

async fn openapi_json() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], ApiDoc::openapi().to_json().unwrap_or_default()).into_response()
}

async fn not_found() -> Response {
    status_response(StatusCode::NOT_FOUND, "not-found", "not found")
}

async fn method_not_allowed() -> Response {
    status_response(StatusCode::METHOD_NOT_ALLOWED, "method-not-allowed", "this address does not take that method")
}

fn panicked(_: Box<dyn std::any::Any + Send>) -> Response {
    let id = error::request_id();
    tracing::error!(request_id = id, "a handler panicked");
    status_response(
        StatusCode::INTERNAL_SERVER_ERROR,
        "internal",
        format!("something went wrong on the server; quote request id {id} when reporting it"),
    )
}

/// Every route, with its limits and middleware.
pub fn router(app: Arc<App>) -> Router {
    use api::{accounts, computed, entities, programs};
    use axum::routing::{post, put};
    let plan_limit = DefaultBodyLimit::max(app.config.plan_limit);
    let api = Router::new()
        .route("/programs", get(programs::list).post(programs::create).layer(plan_limit))
        .route("/programs/{program}", get(programs::get))
        .route("/programs/{program}/plan", get(programs::pull).put(programs::push).layer(plan_limit))
        .route("/programs/{program}/members", get(programs::members))
        .route("/programs/{program}/members/{user}", put(programs::set_member).delete(programs::remove_member))
        .route("/programs/{program}/history", get(entities::program_history))
        .route("/programs/{program}/schedule", get(computed::schedule))
        .route("/programs/{program}/forecast", get(computed::forecast))
        .route("/programs/{program}/findings", get(computed::findings))
        .route("/programs/{program}/report", get(computed::report))
        .route("/programs/{program}/sections/{section}", get(entities::get_section).patch(entities::patch_section))
        .route("/programs/{program}/{collection}", get(entities::list).post(entities::create))
        .route(
            "/programs/{program}/{collection}/{key}",
            get(entities::get).patch(entities::patch).put(entities::replace).delete(entities::delete),
        )
        .route("/programs/{program}/{collection}/{key}/history", get(entities::history))
        .route("/setup", post(accounts::setup))
        .route("/session", post(accounts::sign_in).delete(accounts::sign_out))
        .route("/me", get(accounts::me))
        .route("/me/tokens", get(accounts::tokens).post(accounts::create_token))
        .route("/me/tokens/{id}", axum::routing::delete(accounts::revoke_token))
        .route("/users", get(accounts::users).post(accounts::create_user))
        .route("/users/{user}/history", get(accounts::user_history))
        .method_not_allowed_fallback(method_not_allowed);
    // The outermost limit holds for every body, streamed or not; the
    // extractors hold JSON to its own, smaller one.
    let most = app.config.plan_limit.max(app.config.json_limit);
    Router::new()
        .nest("/api/v1", api)
        .route("/api/openapi.json", get(openapi_json))
        .route("/setup", get(api::accounts::setup_page).post(api::accounts::setup_form))
        .merge(web::routes())
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(app.config.json_limit))
        .layer(axum::middleware::from_fn(middleware::guard_body))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(most))
        .layer(axum::middleware::from_fn_with_state(most, middleware::refuse_declared_too_large))
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(panicked))
        .layer(axum::middleware::from_fn(middleware::request_context))
        .with_state(app)
}

/// Serves until `shutdown` resolves, then lets requests in flight finish.
pub async fn serve(
    app: Arc<App>,
    listener: tokio::net::TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let router = router(app).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, router).with_graceful_shutdown(shutdown).await
}

/// Resolves on SIGTERM or Ctrl-C.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing the requests in flight");
}

/// Log lines to standard error, as text or JSON, at the level
/// `LINCHPIN_LOG` names (default `info`).
pub fn init_logs(json: bool) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_env("LINCHPIN_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    if json {
        builder.json().init();
    } else {
        builder.init();
    }
}
