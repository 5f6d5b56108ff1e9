//! What every handler shares: the store, the settings, the engine's
//! worker pool, and the programs resolved lately.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use linchpin_engine::progress::Flow;
use linchpin_model::Program;
use linchpin_model::diagnostic::Severity;
use linchpin_plan::stored::{EntryCache, Kind, SharedBody};
use linchpin_store::{Db, EntityRow, ProgramRow, Store};
use tokio::sync::Semaphore;

use crate::config::Config;
use crate::error::{ApiError, Problem};

pub struct App {
    pub store: Db,
    pub config: Config,
    pub engine: Engine,
    /// The dashboard's analyses of recent program versions.
    pub pages: crate::web::Pages,
    resolved: Mutex<VecDeque<Arc<Loaded>>>,
    /// Held while a program missing from `resolved` is resolved, so many
    /// readers of a new version wait for one resolution instead of each
    /// doing it.
    resolving: tokio::sync::Mutex<()>,
    /// One writer at a time per program in this process, so writers of
    /// one program queue instead of each checking a plan that another's
    /// commit makes stale (across processes the versions still decide).
    writing: Mutex<std::collections::HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
    /// Per program id, its entries as last decoded, so a check decodes only
    /// the entities a write changes (see [`EntryCache`]). An entry is reused
    /// only for the same body at the same place, so whatever version a
    /// load is of, it decodes as it would from scratch; safe to lose.
    decoded: Mutex<std::collections::HashMap<String, Arc<Mutex<EntryCache>>>>,
    /// Computed results read lately, newest first, beside the database's
    /// cache: a big one is answered without reading it from the database
    /// each time. Keyed by program id, version and settings; safe to lose.
    results: Mutex<VecDeque<KeptResult>>,
}

/// A computed result kept in memory.
struct KeptResult {
    program_id: String,
    version: i64,
    what: String,
    bytes: axum::body::Bytes,
}

/// How many bytes of computed results are kept in memory at most.
const RESULT_BYTES_KEPT: usize = 64 * 1024 * 1024;
/// How many computed results are kept in memory at most.
const RESULTS_KEPT: usize = 64;

/// Programs kept resolved in memory: a read of an unchanged program skips
/// its entities and the resolver. Safe to lose, and keyed by version, so
/// a server sharing the database with others never serves a stale one.
const RESOLVED_KEPT: usize = 8;

/// A program as stored at one version, and resolved.
pub struct Loaded {
    pub row: ProgramRow,
    /// Shared with the versions before and after, so a write copies only
    /// the rows it changes.
    pub entities: Vec<Arc<EntityRow>>,
    pub program: Arc<Program>,
}

impl App {
    pub fn new(store: Db, config: Config) -> Self {
        let engine = Engine::new(config.workers, config.compute_limit);
        App {
            store,
            config,
            engine,
            pages: crate::web::Pages::default(),
            resolved: Mutex::new(VecDeque::new()),
            resolving: tokio::sync::Mutex::new(()),
            writing: Mutex::new(std::collections::HashMap::new()),
            decoded: Mutex::new(std::collections::HashMap::new()),
            results: Mutex::new(VecDeque::new()),
        }
    }

    /// The program `key` as it is now, resolved (from memory when this
    /// version was resolved lately).
    pub async fn load(&self, row: ProgramRow) -> Result<Arc<Loaded>, ApiError> {
        if let Some(hit) = self.kept(&row) {
            return Ok(hit);
        }
        let _one_at_a_time = self.resolving.lock().await;
        if let Some(hit) = self.kept(&row) {
            return Ok(hit);
        }
        let (row, entities) = self.store.program(&row.key).await?;
        let entities: Vec<Arc<EntityRow>> = entities.into_iter().map(Arc::new).collect();
        if let Some(hit) = self.kept(&row) {
            return Ok(hit);
        }
        let decoded = self.decoded(&row.id);
        let (row, entities, program) = self
            .engine
            .run(move |_| {
                let program = resolve_with(&entities, &decoded).map_err(|problems| {
                    ApiError::Internal(format!("the stored program does not resolve: {:?}", problems.first()))
                })?;
                Ok::<_, ApiError>((row, entities, program))
            })
            .await??;
        Ok(self.keep(Loaded { row, entities, program: Arc::new(program) }))
    }

    /// Keeps a program just resolved (by a read, or by the check of the
    /// write that made this version) for the reads that follow.
    pub fn keep(&self, loaded: Loaded) -> Arc<Loaded> {
        let loaded = Arc::new(loaded);
        if let Ok(mut kept) = self.resolved.lock() {
            // A slow reader's older version does not push out a newer one.
            if kept.iter().any(|l| l.row.id == loaded.row.id && l.row.version > loaded.row.version) {
                return loaded;
            }
            kept.retain(|l| l.row.id != loaded.row.id);
            kept.push_front(loaded.clone());
            kept.truncate(RESOLVED_KEPT);
        }
        loaded
    }

    /// Waits for this process's turn to write to program `key`.
    pub async fn write_turn(&self, key: &str) -> tokio::sync::OwnedMutexGuard<()> {
        let lock = match self.writing.lock() {
            Ok(mut locks) => {
                // Forget the locks no one holds or waits on, so the map stays small.
                if locks.len() > 1024 {
                    locks.retain(|_, l| Arc::strong_count(l) > 1);
                }
                locks.entry(key.to_owned()).or_default().clone()
            }
            Err(_) => Arc::new(tokio::sync::Mutex::new(())),
        };
        lock.lock_owned().await
    }

    /// The decoded entries of program `id` (a program's id, not its key:
    /// a program deleted and made again under its key starts afresh).
    pub fn decoded(&self, id: &str) -> Arc<Mutex<EntryCache>> {
        match self.decoded.lock() {
            Ok(mut all) => {
                // One per program kept lately; the others are decoded again when needed.
                if all.len() > RESOLVED_KEPT && !all.contains_key(id) {
                    all.clear();
                }
                all.entry(id.to_owned()).or_default().clone()
            }
            Err(_) => Arc::default(),
        }
    }

    /// A computed result kept in memory for this program version and settings.
    pub fn result(&self, program_id: &str, version: i64, what: &str) -> Option<axum::body::Bytes> {
        let kept = self.results.lock().ok()?;
        kept.iter()
            .find(|r| r.program_id == program_id && r.version == version && r.what == what)
            .map(|r| r.bytes.clone())
    }

    /// Keeps a computed result in memory, the oldest going past the bounds.
    pub fn keep_result(&self, program_id: &str, version: i64, what: &str, bytes: axum::body::Bytes) {
        if bytes.len() > RESULT_BYTES_KEPT {
            return;
        }
        if let Ok(mut kept) = self.results.lock() {
            kept.retain(|r| !(r.program_id == program_id && r.version == version && r.what == what));
            kept.push_front(KeptResult { program_id: program_id.to_owned(), version, what: what.to_owned(), bytes });
            let mut total = 0;
            let fits = kept
                .iter()
                .take_while(|r| {
                    total += r.bytes.len();
                    total <= RESULT_BYTES_KEPT
                })
                .count();
            kept.truncate(fits.min(RESULTS_KEPT));
        }
    }

    /// The newest version of program `id` this process has resolved, if
    /// it still keeps one.
    pub fn newest(&self, id: &str) -> Option<Arc<Loaded>> {
        let kept = self.resolved.lock().ok()?;
        kept.iter().find(|l| l.row.id == id).cloned()
    }

    fn kept(&self, row: &ProgramRow) -> Option<Arc<Loaded>> {
        let kept = self.resolved.lock().ok()?;
        kept.iter().find(|l| l.row.id == row.id && l.row.version == row.version).cloned()
    }
}

/// The entities as one plan through the plan files' own resolver: the
/// program, or every problem as `linchpin check` would name it.
pub fn resolve(entities: &[EntityRow]) -> Result<Program, Vec<Problem>> {
    let shared: Vec<Arc<EntityRow>> = entities.iter().cloned().map(Arc::new).collect();
    resolve_with(&shared, &Mutex::default())
}

/// [`resolve`], decoding only the entities `decoded` does not hold as they
/// are (a row shared with the version it last loaded is not even compared).
pub fn resolve_with(entities: &[Arc<EntityRow>], decoded: &Mutex<EntryCache>) -> Result<Program, Vec<Problem>> {
    let mut parts: Vec<(Kind, SharedBody)> = Vec::with_capacity(entities.len());
    for e in entities {
        let kind: Kind = e.kind.parse().map_err(|_| {
            vec![Problem {
                severity: "error".into(),
                code: "unknown-kind".into(),
                message: format!("the store holds an entity of unknown kind `{}`", e.kind),
                field: e.key.clone(),
                help: None,
                entity: None,
                file: None,
                line: None,
                column: None,
            }]
        })?;
        parts.push((kind, e.clone() as SharedBody));
    }
    let plan = match decoded.lock() {
        Ok(mut decoded) => decoded.load_shared(parts.iter().map(|(kind, body)| (*kind, body))),
        Err(_) => linchpin_plan::stored::load_entities(
            parts.iter().map(|(kind, body)| (*kind, linchpin_plan::stored::body_of(body))),
        ),
    };
    // Name the entity each problem is in: a blocker or an update has no id
    // for the field path to name it by.
    let entity_at = |d: &linchpin_model::Diagnostic| {
        let (kind, n) = linchpin_plan::stored::entry_of(&plan, d.origin)?;
        let key = entities.iter().filter(|e| e.kind == kind.as_str()).nth(n).map(|e| e.key.clone())?;
        Some(format!("{}/{key}", kind.section()))
    };
    let problems: Vec<Problem> = plan
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| Problem { entity: entity_at(d), ..problem(d) })
        .collect();
    match plan.into_program() {
        Some(program) if problems.is_empty() => Ok(program),
        _ => Err(problems),
    }
}

pub fn problem(d: &linchpin_model::Diagnostic) -> Problem {
    Problem {
        severity: match d.severity {
            Severity::Error => "error",
            _ => "warning",
        }
        .to_owned(),
        code: d.code.as_str().to_owned(),
        message: d.message.clone(),
        field: d.field.clone(),
        help: d.help.clone(),
        entity: None,
        file: None,
        line: None,
        column: None,
    }
}

/// The engine's work, off the async runtime: at most `workers` at once
/// (others wait their turn, within the time limit), each told to stop when
/// its time is up, so one large forecast cannot stall other users.
pub struct Engine {
    permits: Arc<Semaphore>,
    limit: Duration,
}

impl Engine {
    pub fn new(workers: usize, limit: Duration) -> Self {
        Engine { permits: Arc::new(Semaphore::new(workers)), limit }
    }

    pub fn limit(&self) -> Duration {
        self.limit
    }

    /// Runs `work` on a worker thread; it is given a progress sink that
    /// answers stop once the time limit has passed.
    pub async fn run<T, F>(&self, work: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&dyn linchpin_engine::progress::Sink) -> T + Send + 'static,
    {
        self.run_within(self.limit, work).await
    }

    /// [`Engine::run`] with a time limit of its own (work that no request waits on).
    pub async fn run_within<T, F>(&self, limit: Duration, work: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&dyn linchpin_engine::progress::Sink) -> T + Send + 'static,
    {
        let deadline = Instant::now() + limit;
        let permit = tokio::time::timeout(limit, self.permits.clone().acquire_owned())
            .await
            .map_err(|_| ApiError::Unavailable("the server is busy computing; try again shortly".into()))?
            .map_err(ApiError::internal)?;
        let handle = tokio::task::spawn_blocking(move || {
            let _permit = permit;
            let sink = move |_: usize, _: usize| if Instant::now() >= deadline { Flow::Stop } else { Flow::Continue };
            work(&sink)
        });
        handle.await.map_err(ApiError::internal)
    }
}
