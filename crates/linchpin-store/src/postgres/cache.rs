//! The result cache on PostgreSQL. Reads take no locks; a put is a
//! serializable write like any other, so two servers storing results of
//! one program at once cannot push it past its bound.

use super::PostgresStore;
use crate::cache::{check_key, evictions_for, size};
use crate::{Result, now};

pub(super) async fn cache_get(
    store: &PostgresStore,
    program_id: &str,
    version: i64,
    key: &str,
) -> Result<Option<Vec<u8>>> {
    check_key(key)?;
    Ok(sqlx::query_scalar("SELECT bytes FROM result_cache WHERE program_id = $1 AND version = $2 AND key = $3")
        .bind(program_id)
        .bind(version)
        .bind(key)
        .fetch_optional(&store.pool)
        .await?)
}

pub(super) async fn cache_put(
    store: &PostgresStore,
    program_id: &str,
    version: i64,
    key: &str,
    bytes: &[u8],
) -> Result<bool> {
    check_key(key)?;
    let Some(size) = size(bytes) else { return Ok(false) };
    store
        .retrying(|| async {
            let mut tx = store.write().await?;
            let current: Option<i64> = sqlx::query_scalar("SELECT version FROM programs WHERE id = $1")
                .bind(program_id)
                .fetch_optional(&mut *tx)
                .await?;
            if current != Some(version) {
                // Gone, or moved on since these results were computed.
                return Ok(false);
            }
            sqlx::query("DELETE FROM result_cache WHERE program_id = $1 AND version <> $2")
                .bind(program_id)
                .bind(version)
                .execute(&mut *tx)
                .await?;
            let others: Vec<(String, i64)> = sqlx::query_as(
                "SELECT key, size FROM result_cache WHERE program_id = $1 AND key <> $2 ORDER BY stored_at, key",
            )
            .bind(program_id)
            .bind(key)
            .fetch_all(&mut *tx)
            .await?;
            for evicted in evictions_for(&others, size) {
                sqlx::query("DELETE FROM result_cache WHERE program_id = $1 AND key = $2")
                    .bind(program_id)
                    .bind(evicted)
                    .execute(&mut *tx)
                    .await?;
            }
            sqlx::query(
                "INSERT INTO result_cache (program_id, version, key, bytes, size, stored_at)
                 VALUES ($1, $2, $3, $4, $5, $6)
                 ON CONFLICT (program_id, version, key) DO UPDATE
                 SET bytes = excluded.bytes, size = excluded.size, stored_at = excluded.stored_at",
            )
            .bind(program_id)
            .bind(version)
            .bind(key)
            .bind(bytes)
            .bind(size)
            .bind(now())
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok(true)
        })
        .await
}
