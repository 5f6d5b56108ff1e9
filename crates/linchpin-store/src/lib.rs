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

mod migrate;
mod postgres;
mod sqlite;

use chrono::{DateTime, Utc};
use serde_json::Value;

pub use migrate::{MIGRATIONS_POSTGRES, MIGRATIONS_SQLITE, Migration};
pub use postgres::PostgresStore;
pub use sqlite::SqliteStore;

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
    Program(String),
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

fn plan_changes(stored: &[EntityRow], changes: Vec<EntityChange>) -> Result<Plan> {
    use std::collections::HashMap;
    let mut rows: HashMap<String, EntityRow> = stored.iter().map(|e| (e.id.clone(), e.clone())).collect();
    let mut next_position: HashMap<String, i64> = HashMap::new();
    for e in stored {
        let p = next_position.entry(e.kind.clone()).or_insert(0);
        *p = (*p).max(e.position + 1);
    }
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
    // Keys stay unique within a kind.
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
