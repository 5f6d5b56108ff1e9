//! Either backend, chosen by the database's URL, so the server and the
//! CLI hold one type whatever the user configured.

use std::path::Path;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::{
    AuditRow, EntityChange, EntityRow, History, NewEntity, NewToken, NewUser, PostgresStore, ProgramRow, Result, Role,
    SessionRow, SqliteStore, Store, StoreError, TokenRow, TrendPoint, UserRow,
};

pub enum Db {
    Sqlite(SqliteStore),
    Postgres(PostgresStore),
}

impl Db {
    /// Opens `database` and applies its migrations: PostgreSQL for a
    /// `postgres://` or `postgresql://` URL, else a SQLite file at the path
    /// (with or without `sqlite://` before it), created when missing.
    pub async fn open(database: &str) -> Result<Db> {
        if database.starts_with("postgres://") || database.starts_with("postgresql://") {
            return Ok(Db::Postgres(PostgresStore::open(database).await?));
        }
        let path = database.strip_prefix("sqlite://").unwrap_or(database);
        Ok(Db::Sqlite(SqliteStore::open(Path::new(path)).await?))
    }

    /// A consistent copy at `to` while others write. SQLite only: a
    /// PostgreSQL database is copied with its own tools.
    pub async fn backup(&self, to: &Path) -> Result<()> {
        match self {
            Db::Sqlite(store) => store.backup(to).await,
            Db::Postgres(_) => Err(StoreError::Unsupported(
                "a PostgreSQL database is backed up with `pg_dump` (and restored with `pg_restore` or `psql`), not by Linchpin",
            )),
        }
    }

    /// `sqlite` or `postgres`.
    pub fn backend(&self) -> &'static str {
        match self {
            Db::Sqlite(_) => "sqlite",
            Db::Postgres(_) => "postgres",
        }
    }
}

/// Calls the same method on whichever backend this is.
macro_rules! dispatch {
    ($self:ident.$method:ident($($arg:expr),*)) => {
        match $self {
            Db::Sqlite(store) => store.$method($($arg),*).await,
            Db::Postgres(store) => store.$method($($arg),*).await,
        }
    };
}

impl Store for Db {
    async fn programs(&self) -> Result<Vec<ProgramRow>> {
        dispatch!(self.programs())
    }

    async fn program_row(&self, key: &str) -> Result<ProgramRow> {
        dispatch!(self.program_row(key))
    }

    async fn program(&self, key: &str) -> Result<(ProgramRow, Vec<EntityRow>)> {
        dispatch!(self.program(key))
    }

    async fn create_program(&self, actor: &str, key: &str, name: &str, entities: Vec<NewEntity>) -> Result<ProgramRow> {
        dispatch!(self.create_program(actor, key, name, entities))
    }

    async fn apply(
        &self,
        actor: &str,
        program: &str,
        base: Option<i64>,
        changes: Vec<EntityChange>,
    ) -> Result<ProgramRow> {
        dispatch!(self.apply(actor, program, base, changes))
    }

    async fn history(&self, which: History) -> Result<Vec<AuditRow>> {
        dispatch!(self.history(which))
    }

    async fn ready(&self) -> Result<()> {
        dispatch!(self.ready())
    }

    async fn delete_program(&self, actor: &str, key: &str, version: i64) -> Result<()> {
        dispatch!(self.delete_program(actor, key, version))
    }

    async fn create_user(&self, actor: &str, user: NewUser) -> Result<UserRow> {
        dispatch!(self.create_user(actor, user))
    }

    async fn user(&self, id: Uuid) -> Result<Option<UserRow>> {
        dispatch!(self.user(id))
    }

    async fn user_by_name(&self, name: &str) -> Result<Option<UserRow>> {
        dispatch!(self.user_by_name(name))
    }

    async fn users(&self) -> Result<Vec<UserRow>> {
        dispatch!(self.users())
    }

    async fn count_users(&self) -> Result<i64> {
        dispatch!(self.count_users())
    }

    async fn set_password(&self, actor: &str, user_id: Uuid, password_hash: &str) -> Result<UserRow> {
        dispatch!(self.set_password(actor, user_id, password_hash))
    }

    async fn set_server_admin(&self, actor: &str, user_id: Uuid, server_admin: bool) -> Result<UserRow> {
        dispatch!(self.set_server_admin(actor, user_id, server_admin))
    }

    async fn set_disabled(&self, actor: &str, user_id: Uuid, disabled: bool) -> Result<UserRow> {
        dispatch!(self.set_disabled(actor, user_id, disabled))
    }

    async fn set_role(&self, actor: &str, program_key: &str, user_id: Uuid, role: Option<Role>) -> Result<()> {
        dispatch!(self.set_role(actor, program_key, user_id, role))
    }

    async fn role(&self, user_id: Uuid, program_id: &str) -> Result<Option<Role>> {
        dispatch!(self.role(user_id, program_id))
    }

    async fn members(&self, program_key: &str) -> Result<Vec<(UserRow, Role)>> {
        dispatch!(self.members(program_key))
    }

    async fn roles_of(&self, user_id: Uuid) -> Result<Vec<(ProgramRow, Role)>> {
        dispatch!(self.roles_of(user_id))
    }

    async fn create_session(&self, session: SessionRow) -> Result<()> {
        dispatch!(self.create_session(session))
    }

    async fn session(&self, id_hash: &str) -> Result<Option<SessionRow>> {
        dispatch!(self.session(id_hash))
    }

    async fn touch_session(&self, id_hash: &str, at: DateTime<Utc>) -> Result<bool> {
        dispatch!(self.touch_session(id_hash, at))
    }

    async fn delete_session(&self, id_hash: &str) -> Result<bool> {
        dispatch!(self.delete_session(id_hash))
    }

    async fn delete_sessions_of(&self, user_id: Uuid) -> Result<u64> {
        dispatch!(self.delete_sessions_of(user_id))
    }

    async fn delete_sessions_idle_since(
        &self,
        cutoff_last_seen: DateTime<Utc>,
        cutoff_created: DateTime<Utc>,
    ) -> Result<u64> {
        dispatch!(self.delete_sessions_idle_since(cutoff_last_seen, cutoff_created))
    }

    async fn create_token(&self, actor: &str, token: NewToken) -> Result<TokenRow> {
        dispatch!(self.create_token(actor, token))
    }

    async fn token_by_hash(&self, hash: &str) -> Result<Option<TokenRow>> {
        dispatch!(self.token_by_hash(hash))
    }

    async fn touch_token(&self, id: Uuid, at: DateTime<Utc>) -> Result<()> {
        dispatch!(self.touch_token(id, at))
    }

    async fn revoke_token(&self, actor: &str, user_id: Uuid, token_id: Uuid) -> Result<TokenRow> {
        dispatch!(self.revoke_token(actor, user_id, token_id))
    }

    async fn tokens_of(&self, user_id: Uuid) -> Result<Vec<TokenRow>> {
        dispatch!(self.tokens_of(user_id))
    }

    async fn record_login_failure(&self, key: &str, at: DateTime<Utc>) -> Result<()> {
        dispatch!(self.record_login_failure(key, at))
    }

    async fn login_failures_since(&self, key: &str, since: DateTime<Utc>) -> Result<i64> {
        dispatch!(self.login_failures_since(key, since))
    }

    async fn clear_login_failures(&self, key: &str) -> Result<()> {
        dispatch!(self.clear_login_failures(key))
    }

    async fn put_setup_code(&self, hash: &str, expires_at: DateTime<Utc>) -> Result<()> {
        dispatch!(self.put_setup_code(hash, expires_at))
    }

    async fn take_setup_code(&self, hash: &str, now: DateTime<Utc>) -> Result<bool> {
        dispatch!(self.take_setup_code(hash, now))
    }

    async fn cache_get(&self, program_id: &str, version: i64, key: &str) -> Result<Option<Vec<u8>>> {
        dispatch!(self.cache_get(program_id, version, key))
    }

    async fn cache_put(&self, program_id: &str, version: i64, key: &str, bytes: &[u8]) -> Result<bool> {
        dispatch!(self.cache_put(program_id, version, key, bytes))
    }

    async fn record_trend(&self, program_id: &str, point: &TrendPoint) -> Result<()> {
        dispatch!(self.record_trend(program_id, point))
    }

    async fn trend(&self, program_id: &str, version: i64, limit: usize) -> Result<Vec<TrendPoint>> {
        dispatch!(self.trend(program_id, version, limit))
    }
}
