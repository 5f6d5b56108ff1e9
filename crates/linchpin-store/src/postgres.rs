//! PostgreSQL, for teams sharing a server and several server processes
//! sharing one database. Writes run serializable; a serialization failure
//! or deadlock is retried, never returned to the user.

use std::time::Duration;

use chrono::{DateTime, Utc};
use sqlx::postgres::{PgPool, PgPoolOptions, PgRow};
use sqlx::{Postgres, Row, Transaction};
use uuid::Uuid;

mod accounts;
mod cache;
mod trend;

use crate::accounts::UserChange;
use crate::migrate::{LEDGER, MIGRATIONS_POSTGRES, pending};
use crate::{
    AuditRow, EntityChange, EntityRow, History, NewEntity, NewToken, NewUser, ProgramRow, Result, Role, SessionRow,
    Store, StoreError, TokenRow, Touched, TrendPoint, UserRow, new_id,
};

/// How many times a write is tried when PostgreSQL aborts it for a
/// serialization failure or a deadlock.
const MOST_TRIES: u32 = 50;

pub struct PostgresStore {
    pool: PgPool,
}

impl PostgresStore {
    /// Connects to `url` (`postgres://…`) and applies the migrations.
    pub async fn open(url: &str) -> Result<Self> {
        let pool =
            PgPoolOptions::new().max_connections(16).acquire_timeout(Duration::from_secs(30)).connect(url).await?;
        let store = PostgresStore { pool };
        store.migrate().await?;
        Ok(store)
    }

    async fn migrate(&self) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        // One process migrates at a time; the others wait, then find
        // nothing left to do.
        sqlx::query("SELECT pg_advisory_xact_lock(7162534)").execute(&mut *tx).await?;
        sqlx::query(LEDGER).execute(&mut *tx).await?;
        let applied: Vec<(i64, String, String)> =
            sqlx::query_as("SELECT version, name, checksum FROM linchpin_migrations ORDER BY version")
                .fetch_all(&mut *tx)
                .await?;
        for m in pending(MIGRATIONS_POSTGRES, &applied)? {
            sqlx::raw_sql(m.sql).execute(&mut *tx).await?;
            sqlx::query(
                "INSERT INTO linchpin_migrations (version, name, checksum, applied_at) VALUES ($1, $2, $3, $4)",
            )
            .bind(m.version)
            .bind(m.name)
            .bind(m.checksum())
            .bind(Utc::now().to_rfc3339())
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn write(&self) -> Result<Transaction<'static, Postgres>> {
        Ok(self.pool.begin_with("BEGIN ISOLATION LEVEL SERIALIZABLE").await?)
    }

    /// The pool, for tests that try what the store must refuse.
    pub fn pool(&self) -> &PgPool {
        &self.pool
    }

    /// Runs `attempt` until it does not fail for a serialization failure
    /// or deadlock, with a short growing pause between tries.
    async fn retrying<T, F>(&self, mut attempt: impl FnMut() -> F) -> Result<T>
    where
        F: std::future::Future<Output = Result<T>>,
    {
        let mut tries = 0;
        loop {
            match attempt().await {
                Err(StoreError::Database(sqlx::Error::Database(e)))
                    if matches!(e.code().as_deref(), Some("40001" | "40P01")) && tries + 1 < MOST_TRIES =>
                {
                    tries += 1;
                    tokio::time::sleep(Duration::from_millis(2 * tries as u64)).await;
                }
                other => return other,
            }
        }
    }
}

fn program_row(row: &PgRow) -> Result<ProgramRow> {
    Ok(ProgramRow {
        id: row.try_get("id")?,
        key: row.try_get("key")?,
        name: row.try_get("name")?,
        version: row.try_get("version")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

fn entity_row(row: &PgRow) -> Result<EntityRow> {
    Ok(EntityRow {
        id: row.try_get("id")?,
        kind: row.try_get("kind")?,
        key: row.try_get("key")?,
        position: row.try_get("position")?,
        body: row.try_get("body")?,
        version: row.try_get("version")?,
    })
}

const PROGRAM_COLUMNS: &str = "id, key, name, version, created_at, updated_at";
const ENTITY_COLUMNS: &str = "id, kind, key, position, body, version";

async fn find_program(tx: &mut sqlx::PgConnection, key: &str) -> Result<ProgramRow> {
    let row = sqlx::query(&format!("SELECT {PROGRAM_COLUMNS} FROM programs WHERE key = $1"))
        .bind(key)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| StoreError::NotFound { kind: "program", key: key.to_owned() })?;
    program_row(&row)
}

async fn entities(tx: &mut sqlx::PgConnection, program_id: &str) -> Result<Vec<EntityRow>> {
    let rows = sqlx::query(&format!(
        "SELECT {ENTITY_COLUMNS} FROM entities WHERE program_id = $1 ORDER BY kind, position, id"
    ))
    .bind(program_id)
    .fetch_all(&mut *tx)
    .await?;
    rows.iter().map(entity_row).collect()
}

/// The rows `changes` can touch or clash with and where each kind they
/// create into ends: for a few changes only those rows (see
/// [`Touched`]), so a write to a large program does not read all of it.
async fn touched_entities(
    tx: &mut sqlx::PgConnection,
    program_id: &str,
    changes: &[EntityChange],
) -> Result<(Vec<EntityRow>, std::collections::HashMap<String, i64>)> {
    let Some(touched) = Touched::of(changes) else {
        let rows = entities(tx, program_id).await?;
        let next = crate::next_positions(&rows);
        return Ok((rows, next));
    };
    let rows = sqlx::query(&format!(
        // A union, not an OR, so each half is looked up in its index; a row
        // found by both is one row.
        "SELECT {ENTITY_COLUMNS} FROM entities WHERE program_id = $1 AND id = ANY($2) \
         UNION ALL SELECT {ENTITY_COLUMNS} FROM entities WHERE program_id = $1 AND key = ANY($3) \
         ORDER BY kind, position, id"
    ))
    .bind(program_id)
    .bind(&touched.ids)
    .bind(&touched.keys)
    .fetch_all(&mut *tx)
    .await?;
    let mut rows = rows.iter().map(entity_row).collect::<Result<Vec<_>>>()?;
    rows.dedup_by(|a, b| a.id == b.id);
    let mut next = std::collections::HashMap::new();
    if !touched.created_kinds.is_empty() {
        let ends: Vec<(String, i64)> = sqlx::query_as(
            "SELECT kind, MAX(position) + 1 FROM entities WHERE program_id = $1 AND kind = ANY($2) GROUP BY kind",
        )
        .bind(program_id)
        .bind(&touched.created_kinds)
        .fetch_all(&mut *tx)
        .await?;
        next.extend(ends);
    }
    Ok((rows, next))
}

impl Store for PostgresStore {
    async fn programs(&self) -> Result<Vec<ProgramRow>> {
        let rows =
            sqlx::query(&format!("SELECT {PROGRAM_COLUMNS} FROM programs ORDER BY key")).fetch_all(&self.pool).await?;
        rows.iter().map(program_row).collect()
    }

    async fn program_row(&self, key: &str) -> Result<ProgramRow> {
        let mut conn = self.pool.acquire().await?;
        find_program(&mut conn, key).await
    }

    async fn program(&self, key: &str) -> Result<(ProgramRow, Vec<EntityRow>)> {
        // One snapshot for the program and its entities.
        let mut tx = self.pool.begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY").await?;
        let program = find_program(&mut tx, key).await?;
        let entities = entities(&mut tx, &program.id).await?;
        tx.commit().await?;
        Ok((program, entities))
    }

    async fn create_program(&self, actor: &str, key: &str, name: &str, new: Vec<NewEntity>) -> Result<ProgramRow> {
        self.retrying(|| async {
            let mut tx = self.write().await?;
            if find_program(&mut tx, key).await.is_ok() {
                return Err(StoreError::Exists(key.to_owned()));
            }
            let now = Utc::now();
            let program = ProgramRow {
                id: new_id(),
                key: key.to_owned(),
                name: name.to_owned(),
                version: 1,
                created_at: now,
                updated_at: now,
            };
            sqlx::query(
                "INSERT INTO programs (id, key, name, version, created_at, updated_at) VALUES ($1, $2, $3, 1, $4, $5)",
            )
            .bind(&program.id)
            .bind(key)
            .bind(name)
            .bind(now)
            .bind(now)
            .execute(&mut *tx)
            .await
            .map_err(|e| match &e {
                sqlx::Error::Database(d) if d.code().as_deref() == Some("23505") => StoreError::Exists(key.to_owned()),
                _ => StoreError::Database(e),
            })?;
            audit(&mut tx, actor, &program, (None, "program".into(), key.to_owned(), "create", None, None)).await?;
            let changes = new.iter().cloned().map(EntityChange::Create).collect();
            write_changes(&mut tx, actor, &program, &[], Default::default(), changes).await?;
            tx.commit().await?;
            Ok(program)
        })
        .await
    }

    async fn apply(
        &self,
        actor: &str,
        program: &str,
        base: Option<i64>,
        changes: Vec<EntityChange>,
    ) -> Result<ProgramRow> {
        self.retrying(|| async {
            let mut tx = self.write().await?;
            let mut row = find_program(&mut tx, program).await?;
            if let Some(base) = base
                && base != row.version
            {
                return Err(StoreError::Conflict {
                    what: format!("program `{program}`"),
                    expected: base,
                    actual: row.version,
                });
            }
            let (stored, next) = touched_entities(&mut tx, &row.id, &changes).await?;
            row.version += 1;
            row.updated_at = Utc::now();
            sqlx::query("UPDATE programs SET version = $1, updated_at = $2 WHERE id = $3")
                .bind(row.version)
                .bind(row.updated_at)
                .bind(&row.id)
                .execute(&mut *tx)
                .await?;
            write_changes(&mut tx, actor, &row, &stored, next, changes.clone()).await?;
            tx.commit().await?;
            Ok(row)
        })
        .await
    }

    async fn history(&self, which: History) -> Result<Vec<AuditRow>> {
        let (column, value) = match which {
            History::Program(key) => {
                let mut conn = self.pool.acquire().await?;
                ("program_id", find_program(&mut conn, &key).await?.id)
            }
            History::Entity(id) => ("entity_id", id),
            History::Actor(actor) => ("actor", actor),
        };
        let rows = sqlx::query(&format!(
            "SELECT id, at, actor, program_id, program_version, entity_id, kind, key, action, before, after FROM audit WHERE {column} = $1 ORDER BY id"
        ))
        .bind(value)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(AuditRow {
                    id: r.try_get("id")?,
                    at: r.try_get("at")?,
                    actor: r.try_get("actor")?,
                    program_id: r.try_get("program_id")?,
                    program_version: r.try_get("program_version")?,
                    entity_id: r.try_get("entity_id")?,
                    kind: r.try_get("kind")?,
                    key: r.try_get("key")?,
                    action: r.try_get("action")?,
                    before: r.try_get("before")?,
                    after: r.try_get("after")?,
                })
            })
            .collect()
    }

    async fn ready(&self) -> Result<()> {
        let applied: Vec<(i64, String, String)> =
            sqlx::query_as("SELECT version, name, checksum FROM linchpin_migrations ORDER BY version")
                .fetch_all(&self.pool)
                .await?;
        if pending(MIGRATIONS_POSTGRES, &applied)?.is_empty() {
            Ok(())
        } else {
            Err(StoreError::NotFound { kind: "migration", key: "pending".into() })
        }
    }

    async fn delete_program(&self, actor: &str, key: &str, version: i64) -> Result<()> {
        self.retrying(|| async {
            let mut tx = self.write().await?;
            let program = find_program(&mut tx, key).await?;
            if program.version != version {
                return Err(StoreError::Conflict {
                    what: format!("program `{key}`"),
                    expected: version,
                    actual: program.version,
                });
            }
            // Entities, memberships and cached results go with it (ON
            // DELETE CASCADE); the audit trail stays.
            sqlx::query("DELETE FROM programs WHERE id = $1").bind(&program.id).execute(&mut *tx).await?;
            let before = serde_json::json!({ "name": program.name });
            let entry = (None, "program".into(), key.to_owned(), "delete", Some(before), None);
            audit(&mut tx, actor, &program, entry).await?;
            tx.commit().await?;
            Ok(())
        })
        .await
    }

    async fn create_user(&self, actor: &str, user: NewUser) -> Result<UserRow> {
        accounts::create_user(self, actor, user).await
    }

    async fn user(&self, id: Uuid) -> Result<Option<UserRow>> {
        accounts::user(self, id).await
    }

    async fn user_by_name(&self, name: &str) -> Result<Option<UserRow>> {
        accounts::user_by_name(self, name).await
    }

    async fn users(&self) -> Result<Vec<UserRow>> {
        accounts::users(self).await
    }

    async fn count_users(&self) -> Result<i64> {
        accounts::count_users(self).await
    }

    async fn set_password(&self, actor: &str, user_id: Uuid, password_hash: &str) -> Result<UserRow> {
        accounts::change_user(self, actor, user_id, UserChange::Password(password_hash)).await
    }

    async fn set_server_admin(&self, actor: &str, user_id: Uuid, server_admin: bool) -> Result<UserRow> {
        accounts::change_user(self, actor, user_id, UserChange::ServerAdmin(server_admin)).await
    }

    async fn set_disabled(&self, actor: &str, user_id: Uuid, disabled: bool) -> Result<UserRow> {
        accounts::change_user(self, actor, user_id, UserChange::Disabled(disabled)).await
    }

    async fn set_role(&self, actor: &str, program_key: &str, user_id: Uuid, role: Option<Role>) -> Result<()> {
        accounts::set_role(self, actor, program_key, user_id, role).await
    }

    async fn role(&self, user_id: Uuid, program_id: &str) -> Result<Option<Role>> {
        accounts::role(self, user_id, program_id).await
    }

    async fn members(&self, program_key: &str) -> Result<Vec<(UserRow, Role)>> {
        accounts::members(self, program_key).await
    }

    async fn roles_of(&self, user_id: Uuid) -> Result<Vec<(ProgramRow, Role)>> {
        accounts::roles_of(self, user_id).await
    }

    async fn create_session(&self, session: SessionRow) -> Result<()> {
        accounts::create_session(self, session).await
    }

    async fn session(&self, id_hash: &str) -> Result<Option<SessionRow>> {
        accounts::session(self, id_hash).await
    }

    async fn touch_session(&self, id_hash: &str, at: DateTime<Utc>) -> Result<bool> {
        accounts::touch_session(self, id_hash, at).await
    }

    async fn delete_session(&self, id_hash: &str) -> Result<bool> {
        accounts::delete_session(self, id_hash).await
    }

    async fn delete_sessions_of(&self, user_id: Uuid) -> Result<u64> {
        accounts::delete_sessions_of(self, user_id).await
    }

    async fn delete_sessions_idle_since(
        &self,
        cutoff_last_seen: DateTime<Utc>,
        cutoff_created: DateTime<Utc>,
    ) -> Result<u64> {
        accounts::delete_sessions_idle_since(self, cutoff_last_seen, cutoff_created).await
    }

    async fn create_token(&self, actor: &str, token: NewToken) -> Result<TokenRow> {
        accounts::create_token(self, actor, token).await
    }

    async fn token_by_hash(&self, hash: &str) -> Result<Option<TokenRow>> {
        accounts::token_by_hash(self, hash).await
    }

    async fn touch_token(&self, id: Uuid, at: DateTime<Utc>) -> Result<()> {
        accounts::touch_token(self, id, at).await
    }

    async fn revoke_token(&self, actor: &str, user_id: Uuid, token_id: Uuid) -> Result<TokenRow> {
        accounts::revoke_token(self, actor, user_id, token_id).await
    }

    async fn tokens_of(&self, user_id: Uuid) -> Result<Vec<TokenRow>> {
        accounts::tokens_of(self, user_id).await
    }

    async fn record_login_failure(&self, key: &str, at: DateTime<Utc>) -> Result<()> {
        accounts::record_login_failure(self, key, at).await
    }

    async fn login_failures_since(&self, key: &str, since: DateTime<Utc>) -> Result<i64> {
        accounts::login_failures_since(self, key, since).await
    }

    async fn clear_login_failures(&self, key: &str) -> Result<()> {
        accounts::clear_login_failures(self, key).await
    }

    async fn put_setup_code(&self, hash: &str, expires_at: DateTime<Utc>) -> Result<()> {
        accounts::put_setup_code(self, hash, expires_at).await
    }

    async fn take_setup_code(&self, hash: &str, now: DateTime<Utc>) -> Result<bool> {
        accounts::take_setup_code(self, hash, now).await
    }

    async fn cache_get(&self, program_id: &str, version: i64, key: &str) -> Result<Option<Vec<u8>>> {
        cache::cache_get(self, program_id, version, key).await
    }

    async fn cache_put(&self, program_id: &str, version: i64, key: &str, bytes: &[u8]) -> Result<bool> {
        cache::cache_put(self, program_id, version, key, bytes).await
    }

    async fn record_trend(&self, program_id: &str, point: &TrendPoint) -> Result<()> {
        trend::record_trend(self, program_id, point).await
    }

    async fn trend(&self, program_id: &str, version: i64, limit: usize) -> Result<Vec<TrendPoint>> {
        trend::trend(self, program_id, version, limit).await
    }
}

async fn write_changes(
    tx: &mut sqlx::PgConnection,
    actor: &str,
    program: &ProgramRow,
    stored: &[EntityRow],
    next_position: std::collections::HashMap<String, i64>,
    changes: Vec<EntityChange>,
) -> Result<()> {
    let plan = crate::plan_changes(stored, next_position, changes)?;
    for id in &plan.deletes {
        sqlx::query("DELETE FROM entities WHERE id = $1").bind(id).execute(&mut *tx).await?;
    }
    for (row, new) in &plan.upserts {
        let query = if *new {
            sqlx::query(
                "INSERT INTO entities (id, program_id, kind, key, position, body, version) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(&row.id)
            .bind(&program.id)
            .bind(&row.kind)
            .bind(&row.key)
            .bind(row.position)
            .bind(&row.body)
            .bind(row.version)
        } else {
            sqlx::query("UPDATE entities SET key = $1, body = $2, version = $3 WHERE id = $4")
                .bind(&row.key)
                .bind(&row.body)
                .bind(row.version)
                .bind(&row.id)
        };
        query.execute(&mut *tx).await?;
    }
    for entry in plan.audit {
        audit(tx, actor, program, entry).await?;
    }
    Ok(())
}

async fn audit(tx: &mut sqlx::PgConnection, actor: &str, program: &ProgramRow, entry: crate::Audit) -> Result<()> {
    audit_in(tx, actor, &program.id, program.version, entry).await
}

/// An audit row under any program id and version (empty and 0 for rows
/// about users).
async fn audit_in(
    tx: &mut sqlx::PgConnection,
    actor: &str,
    program_id: &str,
    program_version: i64,
    entry: crate::Audit,
) -> Result<()> {
    let (entity, kind, key, action, before, after) = entry;
    sqlx::query(
        "INSERT INTO audit (at, actor, program_id, program_version, entity_id, kind, key, action, before, after) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(Utc::now())
    .bind(actor)
    .bind(program_id)
    .bind(program_version)
    .bind(entity)
    .bind(kind)
    .bind(key)
    .bind(action)
    .bind(before)
    .bind(after)
    .execute(&mut *tx)
    .await?;
    Ok(())
}
