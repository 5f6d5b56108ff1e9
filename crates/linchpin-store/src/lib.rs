//! Programs stored on the shared server, behind one [`Store`] trait with a
//! SQLite and a PostgreSQL implementation.
//!
//! A program is kept as its entities (teams, items, milestones, risks…),
//! each the JSON of the plan document it is written as, with a stable id
//! beside the key a user types, so renaming or deleting one thing never
//! renumbers another. Every write names the versions it was based on: a
//! stale one changes nothing and says so ([`StoreError::Conflict`]). Every
//! change is written with an audit row in the same transaction, and the
//! audit table refuses updates and deletes.
//!
//! The store knows nothing of what the documents mean: the server checks
//! a write with the plan resolver before it gets here.
//!
//! Beside programs it keeps what several servers sharing one database
//! must agree on ([`accounts`]): users and their roles, sessions, API
//! tokens, login throttling, the first administrator's setup code, and a
//! result cache per program version ([`cache`]), and each version's
//! milestone forecast for the trend ([`trend`]). [`Db`] is either backend,
//! chosen by the database's URL.

pub mod accounts;
pub mod cache;
mod db;
mod migrate;
mod postgres;
mod sqlite;
pub mod trend;

use chrono::{DateTime, SubsecRound, Utc};
use serde_json::Value;
/// Users', tokens' and sessions' ids, re-exported so callers name the
/// same type.
pub use uuid::Uuid;

pub use accounts::{NewToken, NewUser, Role, SessionRow, TokenRow, UnknownRole, UserRow};
pub use db::Db;
pub use migrate::{MIGRATIONS_POSTGRES, MIGRATIONS_SQLITE, Migration};
pub use postgres::PostgresStore;
pub use sqlite::SqliteStore;
pub use trend::{MilestoneForecast, TrendPoint};

/// A program as stored: its identity and version.
#[derive(Clone, Debug, PartialEq)]
pub struct ProgramRow {
    pub id: String,
    pub key: String,
    pub name: String,
    /// One more with every write to the program or any of its entities.
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// One entity of a program: a team, an item, a risk…
#[derive(Clone, Debug, PartialEq)]
pub struct EntityRow {
    /// Stable for the entity's life, whatever its key becomes.
    pub id: String,
    /// What it is: `team`, `item`, `milestone`, `risk`, …
    pub kind: String,
    /// The id a user types (`PAY-12`), unique within the program and kind.
    pub key: String,
    /// Where it sits among its kind, for writing the plan back in order.
    pub position: i64,
    /// The document, as JSON.
    pub body: Value,
    /// One more with every change to this entity.
    pub version: i64,
}

/// An entity's body, so the plan loader's entry cache can hold the row
/// itself and know an unchanged one by its address.
impl AsRef<Value> for EntityRow {
    fn as_ref(&self) -> &Value {
        &self.body
    }
}

/// A new entity, its id chosen by the store.
#[derive(Clone, Debug, PartialEq)]
pub struct NewEntity {
    pub kind: String,
    pub key: String,
    pub body: Value,
}

/// One change to a program's entities, each naming the version it was
/// based on.
#[derive(Clone, Debug, PartialEq)]
pub enum EntityChange {
    Create(NewEntity),
    /// The entity with this id gets a new key and body.
    Update {
        id: String,
        version: i64,
        key: String,
        body: Value,
    },
    Delete {
        id: String,
        version: i64,
    },
}

/// One row of the audit trail.
#[derive(Clone, Debug, PartialEq)]
pub struct AuditRow {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor: String,
    pub program_id: String,
    /// The program's version the change made.
    pub program_version: i64,
    /// The entity changed, or none for the program itself.
    pub entity_id: Option<String>,
    pub kind: String,
    pub key: String,
    /// `create`, `update` or `delete`.
    pub action: String,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

/// Which part of the audit trail to read.
#[derive(Clone, Debug, PartialEq)]
pub enum History {
    /// A program's changes by its key, its members' roles among them.
    Program(String),
    /// An entity's changes by its id. A user's id gives the user's whole
    /// trail: the account, its roles in every program and its tokens.
    Entity(String),
    Actor(String),
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("no {kind} `{key}`")]
    NotFound { kind: &'static str, key: String },
    #[error("a program `{0}` already exists")]
    Exists(String),
    #[error("{what} is at version {actual}, not {expected}: it changed since it was read")]
    Conflict { what: String, expected: i64, actual: i64 },
    #[error("two {kind}s would have the id `{key}`")]
    DuplicateKey { kind: String, key: String },
    #[error(
        "the database was written by a newer Linchpin (it has migration {version}, `{name}`, which this one does not know); upgrade Linchpin"
    )]
    Newer { version: i64, name: String },
    #[error("migration {version} (`{name}`) was changed after it was applied to this database")]
    EditedMigration { version: i64, name: String },
    #[error("invalid {what}: {reason}")]
    Invalid { what: &'static str, reason: &'static str },
    #[error("too many {what}: at most {most}")]
    TooMany { what: &'static str, most: usize },
    #[error("{0}")]
    Unsupported(&'static str),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("stored JSON is unreadable: {0}")]
    Json(#[from] serde_json::Error),
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// Where programs are kept. Every method is one transaction. The futures
/// are `Send`, so a server can run them on any of its threads.
pub trait Store: Send + Sync {
    /// Every program, by key.
    fn programs(&self) -> impl Future<Output = Result<Vec<ProgramRow>>> + Send;

    /// A program's identity and version alone: what a request checks
    /// before it needs the entities.
    fn program_row(&self, key: &str) -> impl Future<Output = Result<ProgramRow>> + Send;

    /// A program and its entities, in kind and position order.
    fn program(&self, key: &str) -> impl Future<Output = Result<(ProgramRow, Vec<EntityRow>)>> + Send;

    /// A new program at version 1 with these entities.
    fn create_program(
        &self,
        actor: &str,
        key: &str,
        name: &str,
        entities: Vec<NewEntity>,
    ) -> impl Future<Output = Result<ProgramRow>> + Send;

    /// Changes to a program's entities, all or none: refused with
    /// [`StoreError::Conflict`] when the program is no longer at `base`
    /// (when given) or an entity no longer at the version its change names.
    fn apply(
        &self,
        actor: &str,
        program: &str,
        base: Option<i64>,
        changes: Vec<EntityChange>,
    ) -> impl Future<Output = Result<ProgramRow>> + Send;

    /// The audit trail of a program, an entity or an actor, oldest first.
    fn history(&self, which: History) -> impl Future<Output = Result<Vec<AuditRow>>> + Send;

    /// Whether the database answers and its migrations are applied.
    fn ready(&self) -> impl Future<Output = Result<()>> + Send;

    /// Deletes a program with its entities, members and cached results,
    /// refused with [`StoreError::Conflict`] unless it is at `version`.
    /// The audit trail keeps its history.
    fn delete_program(&self, actor: &str, key: &str, version: i64) -> impl Future<Output = Result<()>> + Send;

    // Users. Every change is audited as kind `user` with the user's id as
    // the entity and no program (an empty `program_id`, version 0); no
    // audit row holds a password hash.

    /// A new user, refused with [`StoreError::DuplicateKey`] when the name
    /// is taken in any case, and [`StoreError::Invalid`] when a field is.
    fn create_user(&self, actor: &str, user: NewUser) -> impl Future<Output = Result<UserRow>> + Send;

    fn user(&self, id: Uuid) -> impl Future<Output = Result<Option<UserRow>>> + Send;

    /// The user with this login name, in any case.
    fn user_by_name(&self, name: &str) -> impl Future<Output = Result<Option<UserRow>>> + Send;

    /// Every user, by name.
    fn users(&self) -> impl Future<Output = Result<Vec<UserRow>>> + Send;

    fn count_users(&self) -> impl Future<Output = Result<i64>> + Send;

    /// A new password hash (a PHC string); the audit row says only that
    /// the password changed. Sessions are left as they are.
    fn set_password(
        &self,
        actor: &str,
        user_id: Uuid,
        password_hash: &str,
    ) -> impl Future<Output = Result<UserRow>> + Send;

    fn set_server_admin(
        &self,
        actor: &str,
        user_id: Uuid,
        server_admin: bool,
    ) -> impl Future<Output = Result<UserRow>> + Send;

    /// Disables or enables a user. Disabling ends the user's sessions in
    /// the same transaction; tokens are kept, so whoever accepts one must
    /// check its user.
    fn set_disabled(&self, actor: &str, user_id: Uuid, disabled: bool) -> impl Future<Output = Result<UserRow>> + Send;

    // Roles in programs, audited as kind `role` under the program, with
    // the user's id as the entity and the role as before and after.

    /// Gives a user a role in a program, or takes it away with `None`.
    /// Setting the role a user already has changes and audits nothing.
    fn set_role(
        &self,
        actor: &str,
        program_key: &str,
        user_id: Uuid,
        role: Option<Role>,
    ) -> impl Future<Output = Result<()>> + Send;

    /// A user's role in the program with this id (not key).
    fn role(&self, user_id: Uuid, program_id: &str) -> impl Future<Output = Result<Option<Role>>> + Send;

    /// A program's members and their roles, by name.
    fn members(&self, program_key: &str) -> impl Future<Output = Result<Vec<(UserRow, Role)>>> + Send;

    /// The programs a user has a role in, by key.
    fn roles_of(&self, user_id: Uuid) -> impl Future<Output = Result<Vec<(ProgramRow, Role)>>> + Send;

    // Sessions, kept in the database so every server knows them. Not
    // audited: logins are the server's log's business.

    /// Stores a new session. A user keeps at most
    /// [`accounts::MAX_SESSIONS_PER_USER`]; past that the least recently
    /// seen ends.
    fn create_session(&self, session: SessionRow) -> impl Future<Output = Result<()>> + Send;

    fn session(&self, id_hash: &str) -> impl Future<Output = Result<Option<SessionRow>>> + Send;

    /// Moves a session's `last_seen` forward to `at` (never back, whichever
    /// server saw it last); false when there is no such session.
    fn touch_session(&self, id_hash: &str, at: DateTime<Utc>) -> impl Future<Output = Result<bool>> + Send;

    /// Ends a session; false when there was none.
    fn delete_session(&self, id_hash: &str) -> impl Future<Output = Result<bool>> + Send;

    /// Ends every session of a user, returning how many.
    fn delete_sessions_of(&self, user_id: Uuid) -> impl Future<Output = Result<u64>> + Send;

    /// Ends the sessions last seen before `cutoff_last_seen` (idle) or
    /// created before `cutoff_created` (too old), returning how many.
    fn delete_sessions_idle_since(
        &self,
        cutoff_last_seen: DateTime<Utc>,
        cutoff_created: DateTime<Utc>,
    ) -> impl Future<Output = Result<u64>> + Send;

    // API tokens, audited as kind `token` with the user's id as the entity
    // and the token's name as the key; no audit row holds a hash.

    /// A new token; its programs must exist. A user holds at most
    /// [`accounts::MAX_TOKENS_PER_USER`] unrevoked tokens.
    fn create_token(&self, actor: &str, token: NewToken) -> impl Future<Output = Result<TokenRow>> + Send;

    /// The token with this hash, revoked or not: the caller checks.
    fn token_by_hash(&self, hash: &str) -> impl Future<Output = Result<Option<TokenRow>>> + Send;

    /// Moves a token's `last_used` forward to `at`.
    fn touch_token(&self, id: Uuid, at: DateTime<Utc>) -> impl Future<Output = Result<()>> + Send;

    /// Revokes one of a user's tokens ([`StoreError::NotFound`] when it is
    /// not theirs). Revoking it again changes nothing.
    fn revoke_token(&self, actor: &str, user_id: Uuid, token_id: Uuid)
    -> impl Future<Output = Result<TokenRow>> + Send;

    /// A user's tokens, oldest first, revoked ones too.
    fn tokens_of(&self, user_id: Uuid) -> impl Future<Output = Result<Vec<TokenRow>>> + Send;

    // Login throttling shared by every server. Keys are the server's
    // (`user:alice`, `addr:127.0.0.1`); failures older than
    // [`accounts::THROTTLE_RETENTION`] are pruned as new ones come.

    fn record_login_failure(&self, key: &str, at: DateTime<Utc>) -> impl Future<Output = Result<()>> + Send;

    /// How many failures `key` has had since `since` (at most
    /// [`accounts::MAX_FAILURES_PER_KEY`]).
    fn login_failures_since(&self, key: &str, since: DateTime<Utc>) -> impl Future<Output = Result<i64>> + Send;

    fn clear_login_failures(&self, key: &str) -> impl Future<Output = Result<()>> + Send;

    // The one-time setup code that lets the first administrator in.

    /// Keeps a setup code's hash until `expires_at`. Several may be kept
    /// (servers starting together each print one), at most
    /// [`accounts::MAX_SETUP_CODES`].
    fn put_setup_code(&self, hash: &str, expires_at: DateTime<Utc>) -> impl Future<Output = Result<()>> + Send;

    /// True, once, when `hash` is a kept code unexpired at `now` and there
    /// are still no users. Taking one deletes every code, so of several
    /// takes at once, with the same code or another, exactly one is true.
    fn take_setup_code(&self, hash: &str, now: DateTime<Utc>) -> impl Future<Output = Result<bool>> + Send;

    // The result cache, per program version; see [`cache`].

    /// The bytes kept under `key` for this version of the program.
    fn cache_get(
        &self,
        program_id: &str,
        version: i64,
        key: &str,
    ) -> impl Future<Output = Result<Option<Vec<u8>>>> + Send;

    /// Keeps `bytes` under `key` for this version of the program, deleting
    /// the program's entries of other versions and the oldest entries past
    /// [`cache::CACHE_BYTES_PER_PROGRAM`]. False, keeping nothing, when the
    /// program is gone or no longer at `version`, or the bytes alone are
    /// over the bound.
    fn cache_put(
        &self,
        program_id: &str,
        version: i64,
        key: &str,
        bytes: &[u8],
    ) -> impl Future<Output = Result<bool>> + Send;

    // The milestone trend; see [`trend`].

    /// Records a version's milestone forecast. A version already recorded
    /// keeps its first record (every server computes the same numbers for
    /// it), a program that is gone records nothing, and only the newest
    /// [`trend::KEPT_PER_PROGRAM`] versions are kept.
    fn record_trend(&self, program_id: &str, point: &TrendPoint) -> impl Future<Output = Result<()>> + Send;

    /// The newest `limit` recorded versions of the program up to
    /// `version`, oldest first.
    fn trend(
        &self,
        program_id: &str,
        version: i64,
        limit: usize,
    ) -> impl Future<Output = Result<Vec<TrendPoint>>> + Send;
}

/// Now, to the microsecond both backends keep, so a row returned as
/// written equals the row read back.
pub(crate) fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}

/// A time the caller gave, to the microsecond both backends keep.
pub(crate) fn micros(at: DateTime<Utc>) -> DateTime<Utc> {
    at.trunc_subsecs(6)
}

fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// The changes `apply` makes, resolved against the stored entities: what
/// each row becomes, and the audit rows, in order. Shared by both
/// backends so they cannot disagree on the rules.
struct Plan {
    /// Each row as it is to be, and whether it is new.
    upserts: Vec<(EntityRow, bool)>,
    deletes: Vec<String>,
    audit: Vec<Audit>,
}

/// An audit row to write: entity id, kind, key, action, before, after.
type Audit = (Option<String>, String, String, &'static str, Option<Value>, Option<Value>);

/// Up to this many changes, `apply` reads only the rows they can touch
/// ([`Touched`]); a larger change (a push) reads the whole program.
const FEW_CHANGES: usize = 256;

/// The rows a few changes can touch or clash with, as `apply` reads them
/// instead of the whole program: those the changes name by id, those of
/// any kind holding a key a change gives (so a clash of keys is seen),
/// and where each kind created into ends.
#[derive(Debug, Default)]
pub(crate) struct Touched {
    pub ids: Vec<String>,
    pub keys: Vec<String>,
    pub created_kinds: Vec<String>,
}

impl Touched {
    /// What to read for `changes`, or `None` when they are too many and
    /// the whole program is read.
    pub(crate) fn of(changes: &[EntityChange]) -> Option<Touched> {
        if changes.len() > FEW_CHANGES {
            return None;
        }
        let mut touched = Touched::default();
        for change in changes {
            match change {
                EntityChange::Create(new) => {
                    touched.keys.push(new.key.clone());
                    touched.created_kinds.push(new.kind.clone());
                }
                EntityChange::Update { id, key, .. } => {
                    touched.ids.push(id.clone());
                    touched.keys.push(key.clone());
                }
                EntityChange::Delete { id, .. } => touched.ids.push(id.clone()),
            }
        }
        Some(touched)
    }

    /// The lists as JSON arrays, for a query's `json_each` or `jsonb_array_elements_text`.
    pub(crate) fn json(list: &[String]) -> String {
        Value::from(list.to_vec()).to_string()
    }
}

/// The position after the last of each kind among `rows`.
pub(crate) fn next_positions(rows: &[EntityRow]) -> std::collections::HashMap<String, i64> {
    let mut next_position = std::collections::HashMap::new();
    for e in rows {
        let p = next_position.entry(e.kind.clone()).or_insert(0);
        *p = (*p).max(e.position + 1);
    }
    next_position
}

/// `stored` holds every row a change names or whose key it gives (the
/// whole program, or what [`Touched`] reads), `next_position` where each
/// kind created into ends.
fn plan_changes(
    stored: &[EntityRow],
    mut next_position: std::collections::HashMap<String, i64>,
    changes: Vec<EntityChange>,
) -> Result<Plan> {
    use std::collections::HashMap;
    let mut rows: HashMap<String, EntityRow> = stored.iter().map(|e| (e.id.clone(), e.clone())).collect();
    let mut plan = Plan { upserts: Vec::new(), deletes: Vec::new(), audit: Vec::new() };
    let mut touched: Vec<String> = Vec::new();
    for change in changes {
        match change {
            EntityChange::Create(new) => {
                let position = next_position.entry(new.kind.clone()).or_insert(0);
                let row = EntityRow {
                    id: new_id(),
                    kind: new.kind,
                    key: new.key,
                    position: *position,
                    body: new.body,
                    version: 1,
                };
                *position += 1;
                plan.audit.push((
                    Some(row.id.clone()),
                    row.kind.clone(),
                    row.key.clone(),
                    "create",
                    None,
                    Some(row.body.clone()),
                ));
                touched.push(row.id.clone());
                rows.insert(row.id.clone(), row);
            }
            EntityChange::Update { id, version, key, body } => {
                let row = rows.get_mut(&id).ok_or_else(|| StoreError::NotFound { kind: "entity", key: id.clone() })?;
                if row.version != version {
                    return Err(StoreError::Conflict {
                        what: format!("{} `{}`", row.kind, row.key),
                        expected: version,
                        actual: row.version,
                    });
                }
                plan.audit.push((
                    Some(id.clone()),
                    row.kind.clone(),
                    key.clone(),
                    "update",
                    Some(row.body.clone()),
                    Some(body.clone()),
                ));
                row.key = key;
                row.body = body;
                row.version += 1;
                touched.push(id);
            }
            EntityChange::Delete { id, version } => {
                let row = rows.remove(&id).ok_or_else(|| StoreError::NotFound { kind: "entity", key: id.clone() })?;
                if row.version != version {
                    return Err(StoreError::Conflict {
                        what: format!("{} `{}`", row.kind, row.key),
                        expected: version,
                        actual: row.version,
                    });
                }
                plan.audit.push((Some(id.clone()), row.kind.clone(), row.key.clone(), "delete", Some(row.body), None));
                plan.deletes.push(id);
            }
        }
    }
    // Keys stay unique within a kind. Two rows that would share one
    // include a changed one, and any row holding a key a change gives is
    // in `stored`.
    let mut seen = std::collections::HashSet::new();
    for row in rows.values() {
        if !seen.insert((row.kind.as_str(), row.key.as_str())) {
            return Err(StoreError::DuplicateKey { kind: row.kind.clone(), key: row.key.clone() });
        }
    }
    let existing: std::collections::HashSet<&str> = stored.iter().map(|e| e.id.as_str()).collect();
    let mut once = std::collections::HashSet::new();
    for id in touched {
        if once.insert(id.clone())
            && let Some(row) = rows.get(&id)
        {
            plan.upserts.push((row.clone(), !existing.contains(id.as_str())));
        }
    }
    Ok(plan)
}
