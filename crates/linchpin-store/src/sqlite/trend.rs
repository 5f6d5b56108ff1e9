//! The milestone trend on SQLite.

use sqlx::Row;

use super::{SqliteStore, column_time, time_text};
use crate::trend::{KEPT_PER_PROGRAM, TrendPoint, encode, point};
use crate::{Result, micros};

pub(super) async fn record_trend(store: &SqliteStore, program_id: &str, point: &TrendPoint) -> Result<()> {
    let milestones = encode(&point.milestones)?;
    let mut tx = store.write().await?;
    sqlx::query(
        "INSERT INTO milestone_trend (program_id, version, at, milestones)
         SELECT ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM programs WHERE id = ?)
         ON CONFLICT (program_id, version) DO NOTHING",
    )
    .bind(program_id)
    .bind(point.version)
    .bind(time_text(micros(point.at)))
    .bind(milestones)
    .bind(program_id)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "DELETE FROM milestone_trend WHERE program_id = ? AND version <= (
             SELECT version FROM milestone_trend WHERE program_id = ? ORDER BY version DESC LIMIT 1 OFFSET ?)",
    )
    .bind(program_id)
    .bind(program_id)
    .bind(KEPT_PER_PROGRAM)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

pub(super) async fn trend(
    store: &SqliteStore,
    program_id: &str,
    version: i64,
    limit: usize,
) -> Result<Vec<TrendPoint>> {
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let rows = sqlx::query(
        "SELECT version, at, milestones FROM milestone_trend
         WHERE program_id = ? AND version <= ? ORDER BY version DESC LIMIT ?",
    )
    .bind(program_id)
    .bind(version)
    .bind(limit)
    .fetch_all(&store.pool)
    .await?;
    let mut points = rows
        .iter()
        .map(|row| point(row.try_get("version")?, column_time(row, "at")?, &row.try_get::<String, _>("milestones")?))
        .collect::<Result<Vec<_>>>()?;
    points.reverse();
    Ok(points)
}
