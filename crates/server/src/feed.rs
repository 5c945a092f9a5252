//! The clinic's feed: every record version, numbered in commit order, and the current
//! version of each record.

use crate::error::{ApiError, ApiResult};
use deadpool_postgres::Transaction;
use stride_protocol::Image;
use uuid::Uuid;

/// Publishes a new version of a record in the caller's transaction; returns its feed
/// position. The clinic's sequencer row stays locked until the transaction ends, so
/// positions are visible in the order they were handed out.
pub async fn publish(
    tx: &Transaction<'_>,
    clinic_id: Uuid,
    entity: &str,
    id: &str,
    image: &Image,
    op_id: Option<Uuid>,
) -> ApiResult<i64> {
    let rank = stride_protocol::kinds::rank(entity)
        .ok_or_else(|| ApiError::Internal(format!("{entity} is not a synced kind")))?;
    let seq: i64 = tx
        .query_one(
            &crate::db::cached(
                tx,
                "UPDATE clinic_seq SET value = value + 1 WHERE clinic_id = $1 RETURNING value",
            )
            .await?,
            &[&clinic_id],
        )
        .await?
        .get(0);
    let image = serde_json::Value::Object(image.clone());
    tx.execute(
            &crate::db::cached(tx, "INSERT INTO change_log (clinic_id, server_seq, entity, entity_id, image, op_id) VALUES ($1, $2, $3, $4, $5, $6)").await?,
        &[&clinic_id, &seq, &entity, &id, &image, &op_id],
    )
    .await?;
    tx.execute(
        &crate::db::cached(
            tx,
            "INSERT INTO record (clinic_id, entity, id, image, server_seq, rank, created_seq)
         VALUES ($1, $2, $3, $4, $5, $6, $5)
         ON CONFLICT (clinic_id, entity, id) DO UPDATE SET image = excluded.image, server_seq = excluded.server_seq",
        )
        .await?,
        &[&clinic_id, &entity, &id, &image, &seq, &rank],
    )
    .await?;
    Ok(seq)
}

/// The current version of a record, locked for the rest of the transaction.
pub async fn current(tx: &Transaction<'_>, clinic_id: Uuid, entity: &str, id: &str) -> ApiResult<Option<Image>> {
    let row = tx
        .query_opt(
            &crate::db::cached(
                tx,
                "SELECT image FROM record WHERE clinic_id = $1 AND entity = $2 AND id = $3 FOR UPDATE",
            )
            .await?,
            &[&clinic_id, &entity, &id],
        )
        .await?;
    Ok(row.and_then(|r| as_image(r.get(0))))
}

/// A record as it was at feed position `seq` (the newest version at or before it).
pub async fn as_of(
    tx: &Transaction<'_>,
    clinic_id: Uuid,
    entity: &str,
    id: &str,
    seq: i64,
) -> ApiResult<Option<Image>> {
    let row = tx.query_opt(
            &crate::db::cached(tx, "SELECT image FROM change_log WHERE clinic_id = $1 AND entity = $2 AND entity_id = $3 AND server_seq <= $4
             ORDER BY server_seq DESC LIMIT 1").await?,
            &[&clinic_id, &entity, &id, &seq],
        )
        .await?;
    Ok(row.and_then(|r| as_image(r.get(0))))
}

/// The image in a JSON value, if it is an object.
pub fn as_image(v: serde_json::Value) -> Option<Image> {
    match v {
        serde_json::Value::Object(m) => Some(m),
        _ => None,
    }
}
