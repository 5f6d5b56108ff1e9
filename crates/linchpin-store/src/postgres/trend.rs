//! The milestone trend on PostgreSQL: one statement each, so a record
//! needs no serializable retry (a second server recording the same
//! version finds the row there and leaves it).

use sqlx::Row;

use super::PostgresStore;
use crate::trend::{KEPT_PER_PROGRAM, TrendPoint, encode, point};
use crate::{Result, micros};

pub(super) async fn record_trend(store: &PostgresStore, program_id: &str, point: &TrendPoint) -> Result<()> {
    let milestones = encode(&point.milestones)?;
    sqlx::query(
        "INSERT INTO milestone_trend (program_id, version, at, milestones)
         SELECT $1, $2, $3, $4 WHERE EXISTS (SELECT 1 FROM programs WHERE id = $1)
         ON CONFLICT (program_id, version) DO NOTHING",
    )
    .bind(program_id)
    .bind(point.version)
    .bind(micros(point.at))
    .bind(milestones)
    .execute(&store.pool)
    .await?;
    sqlx::query(
        "DELETE FROM milestone_trend WHERE program_id = $1 AND version <= (
             SELECT version FROM milestone_trend WHERE program_id = $1 ORDER BY version DESC LIMIT 1 OFFSET $2)",
    )
    .bind(program_id)
    .bind(KEPT_PER_PROGRAM)
    .execute(&store.pool)
    .await?;
    Ok(())
}

pub(super) async fn trend(
    store: &PostgresStore,
    program_id: &str,
    version: i64,
    limit: usize,
) -> Result<Vec<TrendPoint>> {
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let rows = sqlx::query(
        "SELECT version, at, milestones FROM milestone_trend
         WHERE program_id = $1 AND version <= $2 ORDER BY version DESC LIMIT $3",
    )
    .bind(program_id)
    .bind(version)
    .bind(limit)
    .fetch_all(&store.pool)
    .await?;
    let mut points = rows
        .iter()
        .map(|row| point(row.try_get("version")?, row.try_get("at")?, &row.try_get::<String, _>("milestones")?))
        .collect::<Result<Vec<_>>>()?;
    points.reverse();
    Ok(points)
}
