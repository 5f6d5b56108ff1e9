//! Each program version's analyses, as the pages need them: the roadmap,
//! the forecast and the findings, computed once per version with the
//! defaults `linchpin findings` and `report` use (so a page's numbers are
//! the CLI's and the API's), off the request on the engine's pool. A page
//! that asks while they are computed waits a moment, then says it is
//! computing and reloads, instead of hanging. Kept in memory: safe to
//! lose, and keyed by version, so a page never shows an older version's
//! numbers as current.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use linchpin_analysis::RawSettings;
use linchpin_analysis::run::{Findings, plan_findings};
use linchpin_engine::forecast::Forecast;
use linchpin_model::MilestoneId;
use linchpin_report::document::Document;
use linchpin_report::health::{Assessment, assess};
use linchpin_report::{Audience, charts, register};
use linchpin_store::{MilestoneForecast, Store, TrendPoint};
use tokio::sync::Notify;

use super::program::demote;
use crate::error::ApiError;
use crate::state::{App, Loaded};

/// Analysed versions kept.
const KEPT: usize = 8;
/// How long a page waits for a computation before it says "computing".
pub const PATIENCE: Duration = Duration::from_millis(1500);

/// One program version, analysed.
pub struct Analysed {
    pub loaded: Arc<Loaded>,
    pub settings: linchpin_analysis::Settings,
    pub findings: Findings,
    pub forecast: Forecast,
    /// The executive and engineering registers, written once (the
    /// executive one tries what-ifs for its path to green).
    /// Each milestone's and the program's derived health, with the reasons.
    pub assessment: Assessment,
    pub executive: Document,
    pub engineering: Document,
    /// The two registers' blocks as HTML for a page, and each milestone's
    /// S-curve (its key, the HTML), rendered once.
    pub executive_html: String,
    pub engineering_html: String,
    pub curves: Vec<(String, String)>,
    /// Each team's register as HTML for a page, rendered when first asked for.
    teams: Mutex<HashMap<usize, Arc<String>>>,
}

impl Analysed {
    /// The team register of `team`, as HTML for a page.
    pub fn team_register(&self, team: linchpin_model::TeamId) -> Arc<String> {
        if let Some(done) = self.teams.lock().ok().and_then(|t| t.get(&team.index()).cloned()) {
            return done;
        }
        let document = Arc::new(demote(register::report(&self.facts(), Audience::Team(team)).body_html()));
        if let Ok(mut teams) = self.teams.lock() {
            teams.insert(team.index(), document.clone());
        }
        document
    }

    /// What the reports are written from, for this version.
    pub fn facts(&self) -> linchpin_report::Facts<'_> {
        linchpin_report::Facts {
            program: &self.loaded.program,
            roadmap: &self.findings.roadmap,
            forecast: &self.forecast,
            options: self.settings.forecast,
            findings: &self.findings.report,
            since: None,
            trend: &[],
        }
    }
}

/// What a page gets: the analyses, or word that they are on their way.
pub enum Ready<T> {
    Done(Arc<T>),
    Computing,
}

enum Slot<T> {
    Running(Arc<Notify>),
    Done(Arc<T>),
    Failed(String),
}

/// Computations keyed by what they are of, each run once however many
/// pages ask, the latest few kept.
pub struct Slots<T> {
    /// Each slot, and the finished ones' keys oldest first.
    slots: Mutex<(HashMap<String, Slot<T>>, Finished)>,
}

type Finished = VecDeque<String>;

impl<T> Default for Slots<T> {
    fn default() -> Self {
        Slots { slots: Mutex::new((HashMap::new(), VecDeque::new())) }
    }
}

impl<T: Send + Sync + 'static> Slots<T> {
    /// The result for `key`, computing it with `compute` (once) when it is
    /// not there; waits up to `patience` for it.
    pub async fn get(
        self: &Arc<Self>,
        key: String,
        patience: Duration,
        compute: impl Future<Output = Result<T, ApiError>> + Send + 'static,
    ) -> Result<Ready<T>, ApiError> {
        let notified = {
            let mut guard = self.slots.lock().map_err(ApiError::internal)?;
            let (slots, _) = &mut *guard;
            match slots.get(&key) {
                Some(Slot::Done(done)) => return Ok(Ready::Done(done.clone())),
                Some(Slot::Failed(why)) => {
                    // Reported once; the next visit tries again.
                    let why = why.clone();
                    slots.remove(&key);
                    return Err(ApiError::Unavailable(why));
                }
                Some(Slot::Running(notify)) => notify.clone(),
                None => {
                    let notify = Arc::new(Notify::new());
                    slots.insert(key.clone(), Slot::Running(notify.clone()));
                    let this = self.clone();
                    let key = key.clone();
                    tokio::spawn(async move {
                        let outcome = compute.await;
                        this.finish(key, outcome);
                    });
                    notify
                }
            }
        };
        let waiting = notified.notified();
        // The result may have landed between the lock and the wait.
        if let Some(ready) = self.settled(&key)? {
            return ready;
        }
        let _ = tokio::time::timeout(patience, waiting).await;
        self.settled(&key)?.unwrap_or(Ok(Ready::Computing))
    }

    /// The outcome for `key` once there is one (a failure is told once;
    /// the next visit tries again).
    #[allow(clippy::type_complexity)] // an outcome, or none yet, or a poisoned lock
    fn settled(&self, key: &str) -> Result<Option<Result<Ready<T>, ApiError>>, ApiError> {
        let mut guard = self.slots.lock().map_err(ApiError::internal)?;
        let slots = &mut guard.0;
        Ok(match slots.get(key) {
            Some(Slot::Done(done)) => Some(Ok(Ready::Done(done.clone()))),
            Some(Slot::Failed(why)) => {
                let why = why.clone();
                slots.remove(key);
                Some(Err(ApiError::Unavailable(why)))
            }
            _ => None,
        })
    }

    fn finish(&self, key: String, outcome: Result<T, ApiError>) {
        let Ok(mut guard) = self.slots.lock() else { return };
        let (slots, order) = &mut *guard;
        let slot = match outcome {
            Ok(value) => Slot::Done(Arc::new(value)),
            Err(e) => Slot::Failed(e.to_string()),
        };
        if let Some(Slot::Running(notify)) = slots.insert(key.clone(), slot) {
            notify.notify_waiters();
        }
        order.retain(|k| k != &key);
        order.push_back(key);
        while order.len() > KEPT {
            if let Some(old) = order.pop_front() {
                slots.remove(&old);
            }
        }
    }
}

/// The most versions a milestone trend shows.
pub const TREND_POINTS: usize = 12;

/// The dashboard's computations.
#[derive(Default)]
pub struct Pages {
    pub analysed: Arc<Slots<Analysed>>,
    pub what_ifs: Arc<Slots<super::what_if::Outcome>>,
}

/// Keeps this version's milestone forecast for the trend, in the database
/// so it outlives a restart and every server shows the same trend. Losing
/// it loses a point of a chart, not a page: a failure is logged.
async fn record_trend(app: &App, a: &Analysed) {
    let program = &a.loaded.program;
    let point = TrendPoint {
        version: a.loaded.row.version,
        at: a.loaded.row.updated_at,
        milestones: a
            .forecast
            .milestones()
            .iter()
            .enumerate()
            .map(|(i, t)| MilestoneForecast {
                key: program.milestone(MilestoneId::new(i)).key.clone(),
                p50: t.p50_date,
                p80: t.p80_date,
            })
            .collect(),
    };
    if let Err(e) = app.store.record_trend(&a.loaded.row.id, &point).await {
        tracing::warn!(program = %a.loaded.row.key, version = point.version, error = %e, "the milestone trend was not recorded");
    }
}

/// The milestone trend of program `id` up to `version`: the last
/// [`TREND_POINTS`] versions forecast, oldest first.
pub async fn trend(app: &App, id: &str, version: i64) -> Result<Vec<charts::Version>, ApiError> {
    Ok(app
        .store
        .trend(id, version, TREND_POINTS)
        .await?
        .into_iter()
        .map(|point| charts::Version {
            label: format!("v{} {}", point.version, point.at.format("%m-%d %H:%M")),
            milestones: point.milestones.into_iter().map(|m| (m.key, m.p50, m.p80)).collect(),
        })
        .collect())
}

/// The program's version analysed, or word that it is being computed.
pub async fn analysed(app: &Arc<App>, loaded: Arc<Loaded>, patience: Duration) -> Result<Ready<Analysed>, ApiError> {
    let key = format!("{}@{}", loaded.row.id, loaded.row.version);
    let engine_app = app.clone();
    app.pages
        .analysed
        .clone()
        .get(key, patience, async move {
            let limit = background_limit(&engine_app);
            let analysed = engine_app.engine.run_within(limit, move |sink| analyse(loaded, sink, limit)).await??;
            record_trend(&engine_app, &analysed).await;
            Ok(analysed)
        })
        .await
}

/// How long a page's analyses may run: they run in the background, not
/// holding a request, so ten times a request's limit (a capacity-aware
/// forecast of 10,000 items takes minutes).
pub fn background_limit(app: &App) -> Duration {
    app.engine.limit().saturating_mul(10)
}

/// The settings every page computes with: the CLI's defaults for the
/// program's size, with the forecast on (as `findings` and `report` run).
pub fn settings(program: &linchpin_model::Program) -> Result<linchpin_analysis::Settings, ApiError> {
    crate::api::computed::complete(RawSettings { forecast: Some(true), ..RawSettings::default() }, program)
}

fn analyse(
    loaded: Arc<Loaded>,
    sink: &dyn linchpin_engine::progress::Sink,
    limit: Duration,
) -> Result<Analysed, ApiError> {
    let program = &loaded.program;
    let settings = settings(program)?;
    let mut findings = plan_findings(program, &settings, sink).map_err(|e| engine_error(e, limit))?;
    let forecast = findings.forecast.take().ok_or_else(|| ApiError::internal("the forecast was not run"))?;
    let facts = linchpin_report::Facts {
        program,
        roadmap: &findings.roadmap,
        forecast: &forecast,
        options: settings.forecast,
        findings: &findings.report,
        since: None,
        trend: &[],
    };
    let assessment = assess(&facts);
    let executive = register::report(&facts, Audience::Executive);
    let engineering = register::report(&facts, Audience::Engineering);
    let curves = (0..program.milestones().len())
        .filter_map(|i| {
            let mut doc = Document::default();
            charts::s_curve(&facts, MilestoneId::new(i), &mut doc);
            (!doc.blocks.is_empty())
                .then(|| (program.milestone(MilestoneId::new(i)).key.clone(), demote(doc.body_html())))
        })
        .collect();
    Ok(Analysed {
        assessment,
        executive_html: demote(executive.body_html()),
        engineering_html: demote(engineering.body_html()),
        executive,
        engineering,
        curves,
        teams: Mutex::new(HashMap::new()),
        loaded,
        settings,
        findings,
        forecast,
    })
}

/// An analysis's failure on a page: the API's answer, without its advice
/// (a page asks for no number of iterations).
pub fn engine_error(e: linchpin_analysis::AnalysisError, limit: Duration) -> ApiError {
    crate::api::computed::analysis_error(e, limit, "")
}
