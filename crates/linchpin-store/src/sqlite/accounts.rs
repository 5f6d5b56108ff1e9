//! Users, roles, sessions, tokens, login throttling and setup codes on
//! SQLite. Each function is one transaction; writes take the write lock
//! first (`BEGIN IMMEDIATE`), so a check and the write it guards see the
//! same database.

use chrono::{DateTime, Utc};
use sqlx::sqlite::SqliteRow;
use sqlx::{Row, SqliteConnection};
use uuid::Uuid;

use super::{SqliteStore, audit_in, column_time, column_time_opt, find_program, program_row, time_text};
use crate::accounts::{
    self, MAX_FAILURES_PER_KEY, MAX_REVOKED_TOKENS_PER_USER, MAX_SESSIONS_PER_USER, MAX_SETUP_CODES,
    MAX_TOKENS_PER_USER, NewToken, NewUser, Role, SessionRow, THROTTLE_RETENTION, TokenRow, UserChange, UserRow,
    parse_role, parse_uuid, role_json, token_json, user_json,
};
use crate::{ProgramRow, Result, StoreError, micros, now};

const USER_COLUMNS: &str = "id, name, display_name, password_hash, server_admin, disabled, created_at";
const MEMBER_COLUMNS: &str =
    "u.id, u.name, u.display_name, u.password_hash, u.server_admin, u.disabled, u.created_at, m.role";
const MEMBER_PROGRAM_COLUMNS: &str = "p.id, p.key, p.name, p.version, p.created_at, p.updated_at, m.role";
const SESSION_COLUMNS: &str = "id_hash, user_id, csrf_token, created_at, last_seen";
const TOKEN_COLUMNS: &str = "id, user_id, name, hash, programs, can_write, created_at, last_used, revoked_at";

fn user_row(row: &SqliteRow) -> Result<UserRow> {
    Ok(UserRow {
        id: parse_uuid(&row.try_get::<String, _>("id")?)?,
        name: row.try_get("name")?,
        display_name: row.try_get("display_name")?,
        password_hash: row.try_get("password_hash")?,
        server_admin: row.try_get("server_admin")?,
        disabled: row.try_get("disabled")?,
        created_at: column_time(row, "created_at")?,
    })
}

fn session_row(row: &SqliteRow) -> Result<SessionRow> {
    Ok(SessionRow {
        id_hash: row.try_get("id_hash")?,
        user_id: parse_uuid(&row.try_get::<String, _>("user_id")?)?,
        csrf_token: row.try_get("csrf_token")?,
        created_at: column_time(row, "created_at")?,
        last_seen: column_time(row, "last_seen")?,
    })
}

fn token_row(row: &SqliteRow) -> Result<TokenRow> {
    let programs: Option<String> = row.try_get("programs")?;
    Ok(TokenRow {
        id: parse_uuid(&row.try_get::<String, _>("id")?)?,
        user_id: parse_uuid(&row.try_get::<String, _>("user_id")?)?,
        name: row.try_get("name")?,
        hash: row.try_get("hash")?,
        programs: programs.map(|text| serde_json::from_str(&text)).transpose()?,
        write: row.try_get("can_write")?,
        created_at: column_time(row, "created_at")?,
        last_used: column_time_opt(row, "last_used")?,
        revoked_at: column_time_opt(row, "revoked_at")?,
    })
}

fn no_user(id: Uuid) -> StoreError {
    StoreError::NotFound { kind: "user", key: id.to_string() }
}

async fn find_user(tx: &mut SqliteConnection, id: Uuid) -> Result<Option<UserRow>> {
    let row = sqlx::query(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = ?"))
        .bind(id.to_string())
        .fetch_optional(&mut *tx)
        .await?;
    row.as_ref().map(user_row).transpose()
}

async fn audit_user(
    tx: &mut SqliteConnection,
    actor: &str,
    user: &UserRow,
    action: &'static str,
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
) -> Result<()> {
    let entry = (Some(user.id.to_string()), "user".to_owned(), user.name.clone(), action, before, after);
    audit_in(tx, actor, "", 0, entry).await
}

pub(super) async fn create_user(store: &SqliteStore, actor: &str, user: NewUser) -> Result<UserRow> {
    let user = accounts::check_new_user(user)?;
    let mut tx = store.write().await?;
    let taken: Option<(String,)> =
        sqlx::query_as("SELECT id FROM users WHERE name = ?").bind(&user.name).fetch_optional(&mut *tx).await?;
    if taken.is_some() {
        return Err(StoreError::DuplicateKey { kind: "user".into(), key: user.name });
    }
    let row = UserRow {
        id: Uuid::new_v4(),
        name: user.name,
        display_name: user.display_name,
        password_hash: user.password_hash,
        server_admin: user.server_admin,
        disabled: false,
        created_at: now(),
    };
    sqlx::query(&format!("INSERT INTO users ({USER_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)"))
        .bind(row.id.to_string())
        .bind(&row.name)
        .bind(&row.display_name)
        .bind(&row.password_hash)
        .bind(row.server_admin)
        .bind(row.disabled)
        .bind(time_text(row.created_at))
        .execute(&mut *tx)
        .await?;
    audit_user(&mut tx, actor, &row, "create", None, Some(user_json(&row))).await?;
    tx.commit().await?;
    Ok(row)
}

pub(super) async fn user(store: &SqliteStore, id: Uuid) -> Result<Option<UserRow>> {
    find_user(&mut *store.pool.acquire().await?, id).await
}

pub(super) async fn user_by_name(store: &SqliteStore, name: &str) -> Result<Option<UserRow>> {
    // A name that could not be stored is nobody's.
    let Ok(name) = accounts::user_name(name) else { return Ok(None) };
    let row = sqlx::query(&format!("SELECT {USER_COLUMNS} FROM users WHERE name = ?"))
        .bind(name)
        .fetch_optional(&store.pool)
        .await?;
    row.as_ref().map(user_row).transpose()
}

pub(super) async fn users(store: &SqliteStore) -> Result<Vec<UserRow>> {
    let rows = sqlx::query(&format!("SELECT {USER_COLUMNS} FROM users ORDER BY name")).fetch_all(&store.pool).await?;
    rows.iter().map(user_row).collect()
}

pub(super) async fn count_users(store: &SqliteStore) -> Result<i64> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM users").fetch_one(&store.pool).await?)
}

pub(super) async fn change_user(
    store: &SqliteStore,
    actor: &str,
    user_id: Uuid,
    change: UserChange<'_>,
) -> Result<UserRow> {
    change.check()?;
    let mut tx = store.write().await?;
    let user = find_user(&mut tx, user_id).await?.ok_or_else(|| no_user(user_id))?;
    let Some((changed, after)) = change.apply(&user) else { return Ok(user) };
    sqlx::query("UPDATE users SET password_hash = ?, server_admin = ?, disabled = ? WHERE id = ?")
        .bind(&changed.password_hash)
        .bind(changed.server_admin)
        .bind(changed.disabled)
        .bind(user_id.to_string())
        .execute(&mut *tx)
        .await?;
    if changed.disabled {
        sqlx::query("DELETE FROM sessions WHERE user_id = ?").bind(user_id.to_string()).execute(&mut *tx).await?;
    }
    audit_user(&mut tx, actor, &changed, "update", Some(user_json(&user)), Some(after)).await?;
    tx.commit().await?;
    Ok(changed)
}

pub(super) async fn set_role(
    store: &SqliteStore,
    actor: &str,
    program_key: &str,
    user_id: Uuid,
    role: Option<Role>,
) -> Result<()> {
    let mut tx = store.write().await?;
    let program = find_program(&mut tx, program_key).await?;
    let user = find_user(&mut tx, user_id).await?.ok_or_else(|| no_user(user_id))?;
    let current = current_role(&mut tx, user_id, &program.id).await?;
    if current == role {
        return Ok(());
    }
    match role {
        Some(role) => {
            sqlx::query(
                "INSERT INTO memberships (program_id, user_id, role) VALUES (?, ?, ?)
                 ON CONFLICT (program_id, user_id) DO UPDATE SET role = excluded.role",
            )
            .bind(&program.id)
            .bind(user_id.to_string())
            .bind(role.as_str())
            .execute(&mut *tx)
            .await?;
        }
        None => {
            sqlx::query("DELETE FROM memberships WHERE program_id = ? AND user_id = ?")
                .bind(&program.id)
                .bind(user_id.to_string())
                .execute(&mut *tx)
                .await?;
        }
    }
    let entry = (
        Some(user_id.to_string()),
        "role".to_owned(),
        user.name,
        accounts::role_action(current, role),
        current.map(role_json),
        role.map(role_json),
    );
    audit_in(&mut tx, actor, &program.id, program.version, entry).await?;
    tx.commit().await?;
    Ok(())
}

async fn current_role(tx: &mut SqliteConnection, user_id: Uuid, program_id: &str) -> Result<Option<Role>> {
    let role: Option<String> = sqlx::query_scalar("SELECT role FROM memberships WHERE user_id = ? AND program_id = ?")
        .bind(user_id.to_string())
        .bind(program_id)
        .fetch_optional(&mut *tx)
        .await?;
    role.as_deref().map(parse_role).transpose()
}

pub(super) async fn role(store: &SqliteStore, user_id: Uuid, program_id: &str) -> Result<Option<Role>> {
    current_role(&mut *store.pool.acquire().await?, user_id, program_id).await
}

pub(super) async fn members(store: &SqliteStore, program_key: &str) -> Result<Vec<(UserRow, Role)>> {
    let mut tx = store.pool.begin().await?;
    let program = find_program(&mut tx, program_key).await?;
    let rows = sqlx::query(&format!(
        "SELECT {MEMBER_COLUMNS} FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.program_id = ? ORDER BY u.name"
    ))
    .bind(&program.id)
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    rows.iter().map(|row| Ok((user_row(row)?, parse_role(&row.try_get::<String, _>("role")?)?))).collect()
}

pub(super) async fn roles_of(store: &SqliteStore, user_id: Uuid) -> Result<Vec<(ProgramRow, Role)>> {
    let rows = sqlx::query(&format!(
        "SELECT {MEMBER_PROGRAM_COLUMNS} FROM memberships m JOIN programs p ON p.id = m.program_id WHERE m.user_id = ? ORDER BY p.key"
    ))
    .bind(user_id.to_string())
    .fetch_all(&store.pool)
    .await?;
    rows.iter().map(|row| Ok((program_row(row)?, parse_role(&row.try_get::<String, _>("role")?)?))).collect()
}

pub(super) async fn create_session(store: &SqliteStore, session: SessionRow) -> Result<()> {
    accounts::check_session(&session)?;
    let mut tx = store.write().await?;
    find_user(&mut tx, session.user_id).await?.ok_or_else(|| no_user(session.user_id))?;
    let user_id = session.user_id.to_string();
    sqlx::query(&format!("INSERT INTO sessions ({SESSION_COLUMNS}) VALUES (?, ?, ?, ?, ?)"))
        .bind(&session.id_hash)
        .bind(&user_id)
        .bind(&session.csrf_token)
        .bind(time_text(micros(session.created_at)))
        .bind(time_text(micros(session.last_seen)))
        .execute(&mut *tx)
        .await
        .map_err(|e| duplicate(e, "session", "with this id"))?;
    sqlx::query(
        "DELETE FROM sessions WHERE user_id = ? AND id_hash NOT IN
         (SELECT id_hash FROM sessions WHERE user_id = ? ORDER BY last_seen DESC, id_hash LIMIT ?)",
    )
    .bind(&user_id)
    .bind(&user_id)
    .bind(MAX_SESSIONS_PER_USER as i64)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A unique violation as [`StoreError::DuplicateKey`], anything else as it is.
fn duplicate(e: sqlx::Error, kind: &str, key: &str) -> StoreError {
    match &e {
        sqlx::Error::Database(d) if d.kind() == sqlx::error::ErrorKind::UniqueViolation => {
            StoreError::DuplicateKey { kind: kind.to_owned(), key: key.to_owned() }
        }
        _ => StoreError::Database(e),
    }
}

pub(super) async fn session(store: &SqliteStore, id_hash: &str) -> Result<Option<SessionRow>> {
    if accounts::sha256_hex("session id hash", id_hash).is_err() {
        return Ok(None);
    }
    let row = sqlx::query(&format!("SELECT {SESSION_COLUMNS} FROM sessions WHERE id_hash = ?"))
        .bind(id_hash)
        .fetch_optional(&store.pool)
        .await?;
    row.as_ref().map(session_row).transpose()
}

pub(super) async fn touch_session(store: &SqliteStore, id_hash: &str, at: DateTime<Utc>) -> Result<bool> {
    let mut tx = store.write().await?;
    let done = sqlx::query("UPDATE sessions SET last_seen = max(last_seen, ?) WHERE id_hash = ?")
        .bind(time_text(micros(at)))
        .bind(id_hash)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(done.rows_affected() > 0)
}

pub(super) async fn delete_session(store: &SqliteStore, id_hash: &str) -> Result<bool> {
    let mut tx = store.write().await?;
    let done = sqlx::query("DELETE FROM sessions WHERE id_hash = ?").bind(id_hash).execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(done.rows_affected() > 0)
}

pub(super) async fn delete_sessions_of(store: &SqliteStore, user_id: Uuid) -> Result<u64> {
    let mut tx = store.write().await?;
    let done =
        sqlx::query("DELETE FROM sessions WHERE user_id = ?").bind(user_id.to_string()).execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(done.rows_affected())
}

pub(super) async fn delete_sessions_idle_since(
    store: &SqliteStore,
    cutoff_last_seen: DateTime<Utc>,
    cutoff_created: DateTime<Utc>,
) -> Result<u64> {
    let mut tx = store.write().await?;
    let done = sqlx::query("DELETE FROM sessions WHERE last_seen < ? OR created_at < ?")
        .bind(time_text(micros(cutoff_last_seen)))
        .bind(time_text(micros(cutoff_created)))
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(done.rows_affected())
}

async fn audit_token(
    tx: &mut SqliteConnection,
    actor: &str,
    token: &TokenRow,
    action: &'static str,
    before: Option<serde_json::Value>,
) -> Result<()> {
    let entry = (
        Some(token.user_id.to_string()),
        "token".to_owned(),
        token.name.clone(),
        action,
        before,
        Some(token_json(token)),
    );
    audit_in(tx, actor, "", 0, entry).await
}

pub(super) async fn create_token(store: &SqliteStore, actor: &str, token: NewToken) -> Result<TokenRow> {
    let token = accounts::check_new_token(token)?;
    let mut tx = store.write().await?;
    find_user(&mut tx, token.user_id).await?.ok_or_else(|| no_user(token.user_id))?;
    for program in token.programs.iter().flatten() {
        let found: Option<(String,)> =
            sqlx::query_as("SELECT id FROM programs WHERE id = ?").bind(program).fetch_optional(&mut *tx).await?;
        if found.is_none() {
            return Err(StoreError::NotFound { kind: "program", key: program.clone() });
        }
    }
    let live: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM tokens WHERE user_id = ? AND revoked_at IS NULL")
        .bind(token.user_id.to_string())
        .fetch_one(&mut *tx)
        .await?;
    if live >= MAX_TOKENS_PER_USER as i64 {
        return Err(StoreError::TooMany { what: "unrevoked tokens for one user", most: MAX_TOKENS_PER_USER });
    }
    let row = TokenRow {
        id: Uuid::new_v4(),
        user_id: token.user_id,
        name: token.name,
        hash: token.hash,
        programs: token.programs,
        write: token.write,
        created_at: now(),
        last_used: None,
        revoked_at: None,
    };
    let programs = row.programs.as_ref().map(serde_json::to_string).transpose()?;
    sqlx::query(&format!("INSERT INTO tokens ({TOKEN_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, NULL, NULL)"))
        .bind(row.id.to_string())
        .bind(row.user_id.to_string())
        .bind(&row.name)
        .bind(&row.hash)
        .bind(programs)
        .bind(row.write)
        .bind(time_text(row.created_at))
        .execute(&mut *tx)
        .await
        .map_err(|e| duplicate(e, "token", "with this hash"))?;
    audit_token(&mut tx, actor, &row, "create", None).await?;
    tx.commit().await?;
    Ok(row)
}

pub(super) async fn token_by_hash(store: &SqliteStore, hash: &str) -> Result<Option<TokenRow>> {
    if accounts::sha256_hex("token hash", hash).is_err() {
        return Ok(None);
    }
    let row = sqlx::query(&format!("SELECT {TOKEN_COLUMNS} FROM tokens WHERE hash = ?"))
        .bind(hash)
        .fetch_optional(&store.pool)
        .await?;
    row.as_ref().map(token_row).transpose()
}

pub(super) async fn touch_token(store: &SqliteStore, id: Uuid, at: DateTime<Utc>) -> Result<()> {
    let mut tx = store.write().await?;
    let at = time_text(micros(at));
    sqlx::query("UPDATE tokens SET last_used = ? WHERE id = ? AND (last_used IS NULL OR last_used < ?)")
        .bind(&at)
        .bind(id.to_string())
        .bind(&at)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

pub(super) async fn revoke_token(store: &SqliteStore, actor: &str, user_id: Uuid, token_id: Uuid) -> Result<TokenRow> {
    let mut tx = store.write().await?;
    let row = sqlx::query(&format!("SELECT {TOKEN_COLUMNS} FROM tokens WHERE id = ? AND user_id = ?"))
        .bind(token_id.to_string())
        .bind(user_id.to_string())
        .fetch_optional(&mut *tx)
        .await?;
    let token = row.as_ref().map(token_row).transpose()?;
    let token = token.ok_or_else(|| StoreError::NotFound { kind: "token", key: token_id.to_string() })?;
    if token.revoked_at.is_some() {
        return Ok(token);
    }
    let revoked = TokenRow { revoked_at: Some(now()), ..token.clone() };
    sqlx::query("UPDATE tokens SET revoked_at = ? WHERE id = ?")
        .bind(revoked.revoked_at.map(time_text))
        .bind(token_id.to_string())
        .execute(&mut *tx)
        .await?;
    // Revoked tokens are kept for the record, but not without end.
    sqlx::query(
        "DELETE FROM tokens WHERE user_id = ? AND revoked_at IS NOT NULL AND id NOT IN
         (SELECT id FROM tokens WHERE user_id = ? AND revoked_at IS NOT NULL ORDER BY revoked_at DESC, id LIMIT ?)",
    )
    .bind(user_id.to_string())
    .bind(user_id.to_string())
    .bind(MAX_REVOKED_TOKENS_PER_USER as i64)
    .execute(&mut *tx)
    .await?;
    audit_token(&mut tx, actor, &revoked, "update", Some(token_json(&token))).await?;
    tx.commit().await?;
    Ok(revoked)
}

pub(super) async fn tokens_of(store: &SqliteStore, user_id: Uuid) -> Result<Vec<TokenRow>> {
    let rows = sqlx::query(&format!("SELECT {TOKEN_COLUMNS} FROM tokens WHERE user_id = ? ORDER BY created_at, id"))
        .bind(user_id.to_string())
        .fetch_all(&store.pool)
        .await?;
    rows.iter().map(token_row).collect()
}

pub(super) async fn record_login_failure(store: &SqliteStore, key: &str, at: DateTime<Utc>) -> Result<()> {
    accounts::throttle_key(key)?;
    let at = micros(at);
    let mut tx = store.write().await?;
    sqlx::query("DELETE FROM login_failures WHERE at < ?")
        .bind(time_text(at - THROTTLE_RETENTION))
        .execute(&mut *tx)
        .await?;
    sqlx::query("INSERT INTO login_failures (key, at) VALUES (?, ?)")
        .bind(key)
        .bind(time_text(at))
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "DELETE FROM login_failures WHERE key = ? AND id NOT IN
         (SELECT id FROM login_failures WHERE key = ? ORDER BY at DESC, id DESC LIMIT ?)",
    )
    .bind(key)
    .bind(key)
    .bind(MAX_FAILURES_PER_KEY as i64)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

pub(super) async fn login_failures_since(store: &SqliteStore, key: &str, since: DateTime<Utc>) -> Result<i64> {
    accounts::throttle_key(key)?;
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM login_failures WHERE key = ? AND at >= ?")
        .bind(key)
        .bind(time_text(micros(since)))
        .fetch_one(&store.pool)
        .await?)
}

pub(super) async fn clear_login_failures(store: &SqliteStore, key: &str) -> Result<()> {
    accounts::throttle_key(key)?;
    let mut tx = store.write().await?;
    sqlx::query("DELETE FROM login_failures WHERE key = ?").bind(key).execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(())
}

pub(super) async fn put_setup_code(store: &SqliteStore, hash: &str, expires_at: DateTime<Utc>) -> Result<()> {
    accounts::sha256_hex("setup code hash", hash)?;
    let created = now();
    let mut tx = store.write().await?;
    sqlx::query("DELETE FROM setup_codes WHERE expires_at <= ?").bind(time_text(created)).execute(&mut *tx).await?;
    sqlx::query(
        "INSERT INTO setup_codes (hash, expires_at, created_at) VALUES (?, ?, ?)
         ON CONFLICT (hash) DO UPDATE SET expires_at = excluded.expires_at",
    )
    .bind(hash)
    .bind(time_text(micros(expires_at)))
    .bind(time_text(created))
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "DELETE FROM setup_codes WHERE hash NOT IN
         (SELECT hash FROM setup_codes ORDER BY created_at DESC, hash LIMIT ?)",
    )
    .bind(MAX_SETUP_CODES as i64)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

pub(super) async fn take_setup_code(store: &SqliteStore, hash: &str, now: DateTime<Utc>) -> Result<bool> {
    if accounts::sha256_hex("setup code hash", hash).is_err() {
        return Ok(false);
    }
    let mut tx = store.write().await?;
    let users: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users").fetch_one(&mut *tx).await?;
    let expires: Option<String> = sqlx::query_scalar("SELECT expires_at FROM setup_codes WHERE hash = ?")
        .bind(hash)
        .fetch_optional(&mut *tx)
        .await?;
    let now = time_text(micros(now));
    // Text of one width compares as the times do.
    let taken = users == 0 && expires.is_some_and(|expires| expires > now);
    if taken || users > 0 {
        // The setup is over: no other code may be used.
        sqlx::query("DELETE FROM setup_codes").execute(&mut *tx).await?;
    } else {
        sqlx::query("DELETE FROM setup_codes WHERE expires_at <= ?").bind(&now).execute(&mut *tx).await?;
    }
    tx.commit().await?;
    Ok(taken)
}
