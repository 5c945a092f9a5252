//! `GET /v1/sync/pull`, `/v1/sync/snapshot` and `/v1/sync/status`: what a device reads.

use crate::AppState;
use crate::auth::Caller;
use crate::error::ApiResult;
use crate::feed::as_image;
use axum::Json;
use axum::extract::{Query, State};
use serde::Deserialize;
use stride_protocol::{Change, DeviceStatus, MAX_PULL_LIMIT, PullResponse, SnapshotPosition, SnapshotResponse};
use tokio_postgres::Row;

/// Paging of the feed.
#[derive(Debug, Deserialize)]
pub struct PullQuery {
    /// Changes after this position.
    #[serde(default)]
    after: i64,
    /// At most this many (capped at [`MAX_PULL_LIMIT`]).
    limit: Option<i64>,
}

fn page_size(limit: Option<i64>) -> i64 {
    limit.unwrap_or(500).clamp(1, MAX_PULL_LIMIT)
}

fn change(row: &Row) -> Change {
    let entity: String = row.get(1);
    let mut image = as_image(row.get(3)).unwrap_or_default();
    if entity == "user" {
        // Versions published before hashes stopped travelling carried them: never sent.
        image.insert("password_hash".into(), serde_json::Value::from("!"));
        image.remove("pin_hash");
    }
    Change {
        server_seq: row.get(0),
        entity,
        id: row.get(2),
        image,
    }
}

/// The clinic's feed after a position, in commit order.
pub async fn pull(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<PullQuery>,
) -> ApiResult<Json<PullResponse>> {
    let limit = page_size(q.limit);
    let db = state.pool.get().await?;
    let rows = db
        .query(
            "SELECT server_seq, entity, entity_id, image FROM change_log
             WHERE clinic_id = $1 AND server_seq > $2 ORDER BY server_seq LIMIT $3",
            &[&caller.clinic_id, &q.after, &(limit + 1)],
        )
        .await?;
    let has_more = rows.len() as i64 > limit;
    let changes: Vec<Change> = rows.iter().take(limit as usize).map(change).collect();
    let cursor = changes.last().map_or(q.after, |c| c.server_seq);
    Ok(Json(PullResponse {
        changes,
        cursor,
        has_more,
        epoch: epoch(&db, caller.clinic_id).await?,
    }))
}

/// Paging of a snapshot.
#[derive(Debug, Deserialize)]
pub struct SnapshotQuery {
    /// Records after this rank and creation position (none: from the start).
    rank: Option<i32>,
    after: Option<i64>,
    limit: Option<i64>,
}

/// Every record at its current version, in creation order, for a device starting out.
pub async fn snapshot(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<SnapshotQuery>,
) -> ApiResult<Json<SnapshotResponse>> {
    let limit = page_size(q.limit);
    let db = state.pool.get().await?;
    // Read the feed position first: anything committed later is in the feed after it.
    let head = db
        .query_one(
            "SELECT value, epoch::text FROM clinic_seq WHERE clinic_id = $1",
            &[&caller.clinic_id],
        )
        .await?;
    let (cursor, epoch): (i64, String) = (head.get(0), head.get(1));
    let rows = db
        .query(
            "SELECT server_seq, entity, id, image, rank, created_seq FROM record
             WHERE clinic_id = $1 AND (rank, created_seq) > ($2, $3) ORDER BY rank, created_seq LIMIT $4",
            &[
                &caller.clinic_id,
                &q.rank.unwrap_or(-1),
                &q.after.unwrap_or(-1),
                &(limit + 1),
            ],
        )
        .await?;
    let more = rows.len() as i64 > limit;
    let page = &rows[..rows.len().min(limit as usize)];
    let next = match page.last() {
        Some(last) if more => Some(SnapshotPosition {
            rank: last.get(4),
            created_seq: last.get(5),
        }),
        _ => None,
    };
    Ok(Json(SnapshotResponse {
        changes: page.iter().map(change).collect(),
        next,
        cursor,
        epoch,
    }))
}

/// The clinic feed's epoch.
pub async fn epoch(db: &tokio_postgres::Client, clinic_id: uuid::Uuid) -> ApiResult<String> {
    Ok(db
        .query_one("SELECT epoch::text FROM clinic_seq WHERE clinic_id = $1", &[&clinic_id])
        .await?
        .get(0))
}

/// The server's view of the calling device.
pub async fn status(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<DeviceStatus>> {
    let db = state.pool.get().await?;
    let row = db
        .query_one(
            "SELECT d.last_seq, s.value, s.epoch::text FROM device d JOIN clinic_seq s ON s.clinic_id = d.clinic_id
             WHERE d.id = $1",
            &[&caller.device_id],
        )
        .await?;
    Ok(Json(DeviceStatus {
        device_id: caller.device_id.to_string(),
        last_seq: row.get(0),
        feed_head: row.get(1),
        epoch: row.get(2),
    }))
}
