//! What the engine computes from a program: the schedule, the forecast,
//! the findings and the reports, exactly as `linchpin schedule --format
//! json`, `forecast`, `findings` and `report` give them for the same plan
//! and settings. Each is cached in the database by program version and
//! settings (so a second read of an unchanged program is one row, on any
//! server), and computed on the engine's bounded pool within its time limit.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use linchpin_analysis::RawSettings;
use linchpin_analysis::run::{AnalysisError, plan_findings, plan_forecast, plan_schedule};
use linchpin_analysis::view::findings::FindingsView;
use linchpin_analysis::view::forecast::ForecastView;
use linchpin_analysis::view::schedule::ScheduleView;
use linchpin_engine::forecast::Distribution;
use linchpin_store::Store;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::Shared;
use super::entities::read;
use crate::auth::Caller;
use crate::error::{ApiError, ApiPath, ApiQuery};
use crate::state::{App, Loaded};

/// The settings a computation takes, as `linchpin schedule` and
/// `forecast` take them; absent ones get the same defaults.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// The forecast's seed (default 1): the same seed gives the same numbers.
    pub seed: Option<u64>,
    /// Forecast iterations, 1 to 1,000,000 (default 10,000; fewer for a large capacity-aware program).
    #[param(minimum = 1, maximum = 1000000)]
    pub iterations: Option<usize>,
    /// `pert` (default) or `triangular`.
    pub distribution: Option<DistributionParam>,
    /// Respect team capacity (default true).
    pub capacity: Option<bool>,
    /// Schedules the capacity-aware search may generate, 1 to 1,000,000.
    #[param(minimum = 1, maximum = 1000000)]
    pub effort: Option<usize>,
}

#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum DistributionParam {
    Pert,
    Triangular,
}

impl Settings {
    fn raw(&self) -> RawSettings {
        RawSettings {
            seed: self.seed,
            iterations: self.iterations,
            effort: self.effort,
            capacity: self.capacity,
            distribution: self.distribution.map(|d| match d {
                DistributionParam::Pert => Distribution::Pert,
                DistributionParam::Triangular => Distribution::Triangular,
            }),
            ..RawSettings::default()
        }
    }

    /// The settings as one canonical string, for the cache key.
    fn key(&self) -> String {
        format!(
            "seed={:?}&iterations={:?}&distribution={:?}&capacity={:?}&effort={:?}",
            self.seed, self.iterations, self.distribution, self.capacity, self.effort
        )
    }
}

/// The settings with the defaults that depend on the program, every bound checked.
pub(crate) fn complete(
    raw: RawSettings,
    program: &linchpin_model::Program,
) -> Result<linchpin_analysis::Settings, ApiError> {
    raw.resolve(program.items().len()).map_err(|e| ApiError::BadRequest(e.to_string()))
}

/// An analysis's failure as an answer: past the time limit 503, with
/// `advice` on what the caller can change; otherwise the settings were at
/// fault (400).
pub(crate) fn analysis_error(e: AnalysisError, limit: std::time::Duration, advice: &str) -> ApiError {
    match e.code() {
        "stopped" => ApiError::Unavailable(format!(
            "the computation took longer than the server's limit of {} seconds{advice}",
            limit.as_secs()
        )),
        _ => ApiError::BadRequest(e.to_string()),
    }
}

/// What a caller of the API can do about an analysis past the time limit.
const ASK_FOR_LESS: &str = "; ask for fewer iterations";

/// The cached answer for `what` at the program's version (from memory, or
/// the database's cache), or computes it.
async fn cached(
    app: &App,
    loaded: std::sync::Arc<Loaded>,
    what: String,
    compute: impl FnOnce(&Loaded, &dyn linchpin_engine::progress::Sink) -> Result<Vec<u8>, ApiError> + Send + 'static,
) -> Result<Bytes, ApiError> {
    let (id, version) = (loaded.row.id.clone(), loaded.row.version);
    if let Some(hit) = app.result(&id, version, &what) {
        return Ok(hit);
    }
    if let Some(hit) = app.store.cache_get(&id, version, &what).await? {
        let hit = Bytes::from(hit);
        app.keep_result(&id, version, &what, hit.clone());
        return Ok(hit);
    }
    let bytes = app.engine.run(move |sink| compute(&loaded, sink)).await??;
    // A cache that cannot be written is only slower.
    if let Err(e) = app.store.cache_put(&id, version, &what, &bytes).await {
        tracing::warn!(error = %e, "cannot cache a result");
    }
    let bytes = Bytes::from(bytes);
    app.keep_result(&id, version, &what, bytes.clone());
    Ok(bytes)
}

fn json_response(bytes: Bytes, version: i64) -> Response {
    let mut response = ([(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))], bytes).into_response();
    response.headers_mut().insert(header::ETAG, super::etag(version));
    response
}

fn to_json(value: &impl serde::Serialize) -> Result<Vec<u8>, ApiError> {
    serde_json::to_vec(value).map_err(ApiError::internal)
}

/// The schedule, as `linchpin schedule --format json` prints it.
#[utoipa::path(get, path = "/api/v1/programs/{program}/schedule", tag = "computed",
    params(("program" = String, Path), Settings),
    responses((status = 200, description = "the schedule", content_type = "application/json", body = Object),
        (status = 404, body = crate::error::ErrorBody), (status = 503, body = crate::error::ErrorBody)))]
pub async fn schedule(
    State(app): State<Shared>,
    caller: Caller,
    ApiPath(program): ApiPath<String>,
    ApiQuery(settings): ApiQuery<Settings>,
) -> Result<Response, ApiError> {
    let loaded = read(&app, &caller, &program).await?;
    let version = loaded.row.version;
    let limit = app.engine.limit();
    let bytes = cached(&app, loaded, format!("schedule?{}", settings.key()), move |loaded, sink| {
        let program = &loaded.program;
        let resolved = complete(settings.raw(), program)?;
        let schedule = plan_schedule(program, &resolved, sink).map_err(|e| analysis_error(e, limit, ASK_FOR_LESS))?;
        let view = ScheduleView::new(program, &schedule);
        to_json(&view)
    })
    .await?;
    Ok(json_response(bytes, version))
}

/// The Monte Carlo forecast, as `linchpin forecast --format json` prints it.
#[utoipa::path(get, path = "/api/v1/programs/{program}/forecast", tag = "computed",
    params(("program" = String, Path), Settings),
    responses((status = 200, description = "the forecast", content_type = "application/json", body = Object),
        (status = 404, body = crate::error::ErrorBody), (status = 503, body = crate::error::ErrorBody)))]
pub async fn forecast(
    State(app): State<Shared>,
    caller: Caller,
    ApiPath(program): ApiPath<String>,
    ApiQuery(settings): ApiQuery<Settings>,
) -> Result<Response, ApiError> {
    let loaded = read(&app, &caller, &program).await?;
    let version = loaded.row.version;
    let limit = app.engine.limit();
    let bytes = cached(&app, loaded, format!("forecast?{}", settings.key()), move |loaded, sink| {
        let program = &loaded.program;
        let raw = RawSettings { forecast_capacity: settings.capacity, ..settings.raw() };
        let resolved = complete(raw, program)?;
        let forecast = plan_forecast(program, &resolved, sink).map_err(|e| analysis_error(e, limit, ASK_FOR_LESS))?;
        to_json(&ForecastView::new(program, &forecast, &resolved.forecast))
    })
    .await?;
    Ok(json_response(bytes, version))
}

/// The findings, as `linchpin findings --format json` prints them.
#[utoipa::path(get, path = "/api/v1/programs/{program}/findings", tag = "computed",
    params(("program" = String, Path), Settings),
    responses((status = 200, description = "the findings", content_type = "application/json", body = Object),
        (status = 404, body = crate::error::ErrorBody), (status = 503, body = crate::error::ErrorBody)))]
pub async fn findings(
    State(app): State<Shared>,
    caller: Caller,
    ApiPath(program): ApiPath<String>,
    ApiQuery(settings): ApiQuery<Settings>,
) -> Result<Response, ApiError> {
    let loaded = read(&app, &caller, &program).await?;
    let version = loaded.row.version;
    let limit = app.engine.limit();
    let bytes = cached(&app, loaded, format!("findings?{}", settings.key()), move |loaded, sink| {
        let program = &loaded.program;
        let raw = RawSettings { forecast: Some(true), ..settings.raw() };
        let resolved = complete(raw, program)?;
        let findings = plan_findings(program, &resolved, sink).map_err(|e| analysis_error(e, limit, ASK_FOR_LESS))?;
        to_json(&FindingsView::new(program, &findings))
    })
    .await?;
    Ok(json_response(bytes, version))
}

/// Which report to write.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ReportQuery {
    /// `executive` (default), `engineering` or `team`.
    pub audience: Option<AudienceParam>,
    /// The team, for a team's report.
    pub team: Option<String>,
    /// `html` (default) or `md`.
    pub format: Option<ReportFormat>,
    pub seed: Option<u64>,
    #[param(minimum = 1, maximum = 1000000)]
    pub iterations: Option<usize>,
}

#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum AudienceParam {
    Executive,
    Engineering,
    Team,
}

#[derive(Debug, Clone, Copy, Deserialize, ToSchema, PartialEq)]
#[serde(rename_all = "lowercase")]
pub enum ReportFormat {
    Html,
    Md,
}

/// The status report, as `linchpin report` writes it: one self-contained
/// HTML page, or Markdown (its charts' tables only).
#[utoipa::path(get, path = "/api/v1/programs/{program}/report", tag = "computed",
    params(("program" = String, Path), ReportQuery),
    responses((status = 200, description = "the report", content_type = "text/html", body = String),
        (status = 400, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody), (status = 503, body = crate::error::ErrorBody)))]
pub async fn report(
    State(app): State<Shared>,
    caller: Caller,
    ApiPath(program): ApiPath<String>,
    ApiQuery(query): ApiQuery<ReportQuery>,
) -> Result<Response, ApiError> {
    use linchpin_report::Audience;
    let loaded = read(&app, &caller, &program).await?;
    let format = query.format.unwrap_or(ReportFormat::Html);
    let audience = match (query.audience, &query.team) {
        (None | Some(AudienceParam::Team), Some(team)) => {
            let id = loaded.program.keys().teams.get(team.as_str()).copied().ok_or_else(|| {
                ApiError::BadRequest(
                    match linchpin_model::diagnostic::did_you_mean(
                        team,
                        loaded.program.keys().teams.keys().map(String::as_str),
                    ) {
                        Some(s) => format!("no team `{team}`; did you mean `{s}`?"),
                        None => format!("no team `{team}`"),
                    },
                )
            })?;
            Audience::Team(id)
        }
        (Some(AudienceParam::Team), None) => return Err(ApiError::BadRequest("a team report needs `team`".into())),
        (Some(_), Some(_)) => return Err(ApiError::BadRequest("`team` goes with audience=team".into())),
        (None | Some(AudienceParam::Executive), None) => Audience::Executive,
        (Some(AudienceParam::Engineering), None) => Audience::Engineering,
    };
    let key = format!("report?{:?}&{:?}&{:?}&{:?}", audience, format, query.seed, query.iterations);
    let limit = app.engine.limit();
    let bytes = cached(&app, loaded, key, move |loaded, sink| {
        let program = &loaded.program;
        let raw = RawSettings {
            forecast: Some(true),
            seed: query.seed,
            iterations: query.iterations,
            ..RawSettings::default()
        };
        let resolved = complete(raw, program)?;
        let findings = plan_findings(program, &resolved, sink).map_err(|e| analysis_error(e, limit, ASK_FOR_LESS))?;
        let Some(forecast) = findings.forecast.as_ref() else {
            return Err(ApiError::internal("the report's forecast was not run"));
        };
        let facts = linchpin_report::Facts {
            program,
            roadmap: &findings.roadmap,
            forecast,
            options: resolved.forecast,
            findings: &findings.report,
            since: None,
            trend: &[],
        };
        let document = linchpin_report::register::report(&facts, audience);
        Ok(match format {
            ReportFormat::Html => document.to_html(),
            ReportFormat::Md => document.to_markdown(&[]),
        }
        .into_bytes())
    })
    .await?;
    let content_type = match format {
        ReportFormat::Html => "text/html; charset=utf-8",
        ReportFormat::Md => "text/markdown; charset=utf-8",
    };
    Ok(([(header::CONTENT_TYPE, HeaderValue::from_static(content_type))], bytes).into_response())
}
